#!/usr/bin/env python3
"""Black-box test of examples/spam_server.coro.

Starts the server as its own process (`coro examples/spam_server.coro 0`),
reads the port from its first line, and checks every reply byte for byte:
good and bad requests, pipelined and split requests, a final request
without a newline, huge replies, clients that vanish in the middle of a
reply, a client sending 10 MB without a newline, and 200 concurrent
clients.  Between the phases it checks that the server still answers, and
at the end that its descriptor count is back to where it started.

usage: spam_client.py [--coro PATH] [--server PATH]   (run from the repo root)
Standard library only; finishes in well under a minute.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HEADER = b"100 SPAM FOLLOWS\n"
LINE = b"spam glorious spam\n"
BAD = b"400 WE ONLY SERVE SPAM\n"
TIMEOUT = 15.0          # per socket operation
DEADLINE = 120.0        # the whole run, even under sanitizers

GOOD = [
    b"SPAM 1\n", b"SPAM 3\n", b"SPAM 007\n", b"SPAM +2\n", b"  SPAM\t4  \r\n",
    b"SPAM 4096\n",        # the server's chunk size
    b"SPAM 4097\n",
    b"SPAM 100000\n",      # 1.9 MB
]
BAD_REQUESTS = [
    b"SPAM 0\n", b"SPAM x\n", b"EGGS 3\n", b"SPAM -1\n", b"SPAM -0\n", b"SPAM\n",
    b"\n", b"   \n", b"SPAM 3 4\n", b"spam 3\n", b"SPAM 3.0\n", b"SPAM 0x10\n",
    b"SPAM 1e2\n", b"SPAMM 3\n", b"SPAM3\n", b"SPAM 3x\n", b"SPAM ++3\n",
    b"SPAM 1_0\n", b"SPAM 1234567890123456789\n",
]


def spam_count(request):
    """The protocol, written independently of the server: n for a valid
    "SPAM n" request (split on whitespace like str.split; n an optionally
    signed decimal of at most 18 digits, at least 1), else None."""
    tokens = request.split()
    if len(tokens) != 2 or tokens[0] != b"SPAM":
        return None
    t = tokens[1]
    digits = t[1:] if t[:1] in (b"+", b"-") else t
    if not digits or len(digits) > 18 or not all(48 <= c <= 57 for c in digits):
        return None
    n = int(t)
    return n if n >= 1 else None


def expected(request):
    n = spam_count(request)
    return HEADER + LINE * n if n else BAD


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


class Server:
    def __init__(self, coro, script):
        self.errfile = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([coro, script, "0"], stdout=subprocess.PIPE,
                                     stderr=self.errfile, stdin=subprocess.DEVNULL)
        first = self.proc.stdout.readline()
        prefix = b"listening on 127.0.0.1:"
        if not first.startswith(prefix):
            raise Failure("first line of the server: %r; stderr: %r" % (first, self.stderr()))
        self.port = int(first[len(prefix):])

    def stderr(self):
        self.errfile.seek(0)
        return self.errfile.read().decode(errors="replace")

    def alive(self):
        return self.proc.poll() is None

    def fds(self):
        return len(os.listdir("/proc/%d/fd" % self.proc.pid))

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_exactly(s, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = s.recv(min(n - len(buf), 1 << 16))
        if not chunk:
            break
        buf += chunk
    return bytes(buf)


def read_to_eof(s):
    buf = bytearray()
    while True:
        chunk = s.recv(1 << 16)
        if not chunk:
            return bytes(buf)
        buf += chunk


def exchange(port, requests):
    """One connection: each request in turn, its reply checked exactly."""
    with connect(port) as s:
        for r in requests:
            s.sendall(r)
            want = expected(r)
            got = read_exactly(s, len(want))
            check(got == want, "reply to %r: %d bytes, starting %r; expected %d bytes starting %r"
                  % (r, len(got), got[:60], len(want), want[:60]))
        # Nothing more may come: after our end closes, the server closes.
        s.shutdown(socket.SHUT_WR)
        rest = read_to_eof(s)
        check(rest == b"", "extra bytes after the replies: %r" % rest[:60])


def probe(server, what):
    """The server is alive and answers a fresh client correctly."""
    check(server.alive(), "server died (%s); stderr:\n%s" % (what, server.stderr()))
    exchange(server.port, [b"SPAM 2\n", b"EGGS 1\n"])


# ---- the phases ---------------------------------------------------------------

def test_each_request(server):
    check(all(spam_count(r) for r in GOOD) and not any(spam_count(r) for r in BAD_REQUESTS),
          "the test's own request lists disagree with spam_count")
    for r in GOOD:
        exchange(server.port, [r])
    for r in BAD_REQUESTS:
        exchange(server.port, [r])
    print("ok: %d good and %d bad requests, each on its own connection" % (len(GOOD), len(BAD_REQUESTS)))


def test_session(server):
    # The seed's session: several requests on one connection, in turn.
    seq = [b"SPAM 3\n", b"SPAM 0\n", b"SPAM x\n", b"EGGS 3\n", b"SPAM 1\n", b"SPAM 4097\n", b"\n", b"SPAM 2\n"]
    exchange(server.port, seq)
    # Pipelined: everything in one send, then read to the end.
    with connect(server.port) as s:
        s.sendall(b"".join(seq))
        s.shutdown(socket.SHUT_WR)
        got = read_to_eof(s)
    want = b"".join(expected(r) for r in seq)
    check(got == want, "pipelined replies differ (%d bytes, expected %d)" % (len(got), len(want)))
    # A request split over several packets.
    with connect(server.port) as s:
        for piece in (b"SP", b"AM", b" 1", b"2", b"\n"):
            s.sendall(piece)
            time.sleep(0.02)
        want = HEADER + LINE * 12
        got = read_exactly(s, len(want))
        check(got == want, "split request: got %r" % got[:60])
    # A last request without "\n" is still answered, then the server closes.
    with connect(server.port) as s:
        s.sendall(b"SPAM 1\nSPAM 2")
        s.shutdown(socket.SHUT_WR)
        got = read_to_eof(s)
        check(got == HEADER + LINE + HEADER + LINE * 2, "unterminated last request: got %r" % got)
    print("ok: sessions (in turn, pipelined, split, unterminated last line)")


def test_disconnect_mid_reply(server):
    for _ in range(20):
        s = connect(server.port)
        s.sendall(b"SPAM 10000000\n")       # 190 MB: far more than we read
        got = read_exactly(s, 5000)
        check(got.startswith(HEADER + LINE), "huge reply starts wrong: %r" % got[:40])
        # Unread data pending: the close resets the connection.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        s.close()
    # And some that simply close without a reset.
    for _ in range(5):
        s = connect(server.port)
        s.sendall(b"SPAM 10000000\n")
        read_exactly(s, 100)
        s.close()
    probe(server, "after clients left mid-reply")
    print("ok: 25 clients disconnected in the middle of a 190 MB reply; server still serving")


def test_long_line(server):
    rss_before = server.rss_kib()
    s = connect(server.port)
    sent = 0
    chunk = b"x" * 65536
    failed = None
    try:
        while sent < 10 * 1024 * 1024:
            s.sendall(chunk)
            sent += len(chunk)
    except OSError as e:                  # the server hung up on us: expected
        failed = e
    try:
        rest = read_to_eof(s)
    except OSError:
        rest = None                       # reset before we could read: allowed
    s.close()
    check(rest in (None, b"", BAD), "reply to a 10 MB line: %r" % (rest[:60] if rest else rest))
    growth = server.rss_kib() - rss_before
    check(growth < 16 * 1024, "server grew by %d KiB reading a 10 MB line" % growth)
    probe(server, "after a 10 MB line")
    how = "the server hung up after %d bytes" % sent if failed else "sent all 10 MB"
    print("ok: 10 MB without a newline (%s; reply %r; RSS growth %d KiB)" % (how, rest, growth))


def test_concurrent(server, nclients=200):
    barrier = threading.Barrier(nclients)
    errors = []
    requests = [b"SPAM 3\n", b"SPAM x\n", b"SPAM 50\n", b"EGGS 3\n", b"SPAM 1\n"]

    def client(i):
        try:
            with connect(server.port) as s:
                barrier.wait(TIMEOUT)
                mine = requests[i % len(requests):] + requests[:i % len(requests)]
                for r in mine:
                    s.sendall(r)
                    want = expected(r)
                    got = read_exactly(s, len(want))
                    if got != want:
                        errors.append("client %d, %r: got %r" % (i, r, got[:40]))
                        return
                s.shutdown(socket.SHUT_WR)
                if read_to_eof(s) != b"":
                    errors.append("client %d: extra bytes" % i)
        except Exception as e:             # noqa: BLE001 (report any failure)
            errors.append("client %d: %r" % (i, e))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(nclients)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join(DEADLINE)
    check(not errors, "%d of %d concurrent clients failed, e.g. %s" % (len(errors), nclients, errors[:3]))
    probe(server, "after concurrent clients")
    print("ok: %d concurrent clients, %d requests each (%.2f s)" % (nclients, len(requests), time.time() - t0))


def test_fds(server, baseline):
    deadline = time.time() + 10
    while server.fds() != baseline and time.time() < deadline:
        time.sleep(0.05)
    check(server.fds() == baseline, "server holds %d descriptors, %d at the start"
          % (server.fds(), baseline))
    print("ok: descriptor count back to the baseline (%d)" % baseline)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--coro", default="./coro")
    ap.add_argument("--server", default="examples/spam_server.coro")
    args = ap.parse_args()
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(Failure("took over %d s" % DEADLINE)))
    signal.alarm(int(DEADLINE))
    coro = os.path.abspath(args.coro) if os.path.exists(args.coro) else args.coro
    server = Server(coro, args.server)
    try:
        baseline = server.fds()
        probe(server, "at the start")
        test_each_request(server)
        test_session(server)
        test_disconnect_mid_reply(server)
        test_long_line(server)
        test_concurrent(server)
        test_fds(server, baseline)
        check(server.alive(), "server died at the end")
        err = server.stderr()
        check(err == "", "server wrote to stderr:\n" + err)
    except Failure as e:
        print("FAIL: %s" % e)
        err = server.stderr()
        if err:
            print("server stderr:\n" + err)
        server.stop()
        return 1
    server.stop()
    print("spam server tests passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
