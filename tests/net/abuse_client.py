#!/usr/bin/env python3
"""The SPAM server under abuse (docs/reliability.md).

Starts examples/spam_server.coro as its own process and, all at once,
holds 1,000 clients making well-formed requests while others send
garbage, hang up in the middle of a 190 MB reply (some with a reset),
stall in the middle of a line, trickle a line one byte at a time, and
send 10 MB without a newline.  Every reply to a complete line is checked
byte for byte against the protocol (spam_client.expected, written apart
from the server).  The whole abuse runs twice: the server must stay up,
answer a fresh client after each round, keep its memory bounded (its peak
RSS in the second round no higher than in the first, give or take), and
hold as many descriptors at the end as at the start.

usage: abuse_client.py [--coro PATH] [--server PATH] [--clients N]
Standard library only; finishes in well under a minute.
"""
import argparse
import asyncio
import os
import random
import resource
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spam_client import BAD, HEADER, Failure, Server, check, expected, probe, spam_count  # noqa: E402

TIMEOUT = 30.0          # any one wait of a client
DEADLINE = 120.0        # the whole run, even under sanitizers


class Tally:
    def __init__(self):
        self.replies = 0            # replies checked byte for byte
        self.bytes = 0              # bytes of them
        self.errors = []
        self.connected = 0
        self.peak_connected = 0
        self.garbage_lines = 0
        self.hangups = 0            # quitters' hang-ups in mid-reply
        self.resets = 0             # ... of them with a reset
        self.stalls = 0
        self.trickles = 0
        self.flood_cut = 0          # flooders the server hung up on
        self.flood_bytes = 0

    def fail(self, what):
        if len(self.errors) < 10:
            self.errors.append(what)


async def open_conn(port, tally):
    r, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), TIMEOUT)
    w.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    tally.connected += 1
    tally.peak_connected = max(tally.peak_connected, tally.connected)
    return r, w


def close_conn(w, tally, reset=False):
    if reset:
        # Unread data pending and linger 0: the close is a reset.
        w.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                              struct.pack("ii", 1, 0))
    w.close()
    tally.connected -= 1


async def good_client(i, port, tally, all_in, gate):
    """Connects, waits until every good client is connected, then makes
    its requests one after another and checks each reply exactly."""
    rng = random.Random(i)
    try:
        r, w = await open_conn(port, tally)
        all_in.append(i)
        await asyncio.wait_for(gate.wait(), TIMEOUT)
        requests = [b"SPAM %d\n" % rng.randint(1, 200) for _ in range(8)]
        requests.insert(rng.randint(0, 8), rng.choice([b"EGGS 1\n", b"SPAM 0\n", b"  SPAM\t+2 \r\n"]))
        requests.insert(rng.randint(0, 9), b"SPAM 5000\n")   # more than one chunk
        for req in requests:
            if rng.random() < 0.2:
                await asyncio.sleep(rng.random() * 0.05)
            w.write(req)
            want = expected(req)
            got = await asyncio.wait_for(r.readexactly(len(want)), TIMEOUT)
            if got != want:
                tally.fail("good client %d, %r: got %r" % (i, req, got[:40]))
                break
            tally.replies += 1
            tally.bytes += len(got)
        w.write_eof()
        rest = await asyncio.wait_for(r.read(), TIMEOUT)
        if rest:
            tally.fail("good client %d: %d bytes after the replies" % (i, len(rest)))
        close_conn(w, tally)
    except Exception as e:                  # noqa: BLE001 (report any failure)
        tally.fail("good client %d: %r" % (i, e))


def garbage_line(rng):
    """A line of random bytes (no newline inside), sometimes a near miss of
    a real request; under the server's 1024-byte limit, and never a valid
    request for more than 1,000 lines (random digits could ask for 10^17)."""
    while True:
        line = random_line(rng)
        n = spam_count(line)
        if n is None or n <= 1000:
            return line


def random_line(rng):
    kind = rng.randrange(4)
    if kind == 0:
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
    elif kind == 1:
        body = b"SPAM " + bytes(rng.choice(b"0123456789+-x \t\0\xff") for _ in range(rng.randrange(1, 25)))
    elif kind == 2:
        body = rng.choice([b"SPAM", b"spam 3", b"SPAM 1 2", b"\0SPAM 1", b"SPAM \xff", b"SPAM 99999999999999999999"])
    else:
        body = b"SPAM %d" % rng.randrange(-3, 30)
    return body.replace(b"\n", b" ") + b"\n"


async def garbage_client(i, port, tally, stop):
    """Random lines, each reply checked exactly too: garbage is a request
    like any other and has a defined answer."""
    rng = random.Random(1000 + i)
    try:
        while not stop.is_set():
            r, w = await open_conn(port, tally)
            for _ in range(rng.randrange(1, 8)):
                line = garbage_line(rng)
                w.write(line)
                want = expected(line)
                got = await asyncio.wait_for(r.readexactly(len(want)), TIMEOUT)
                if got != want:
                    tally.fail("garbage client %d, %r: got %r, expected %r" % (i, line, got[:40], want[:40]))
                    break
                tally.replies += 1
                tally.bytes += len(got)
                tally.garbage_lines += 1
            close_conn(w, tally)
    except Exception as e:                  # noqa: BLE001
        tally.fail("garbage client %d: %r" % (i, e))


async def quitter(i, port, tally, stop):
    """Asks for a 190 MB reply, reads a little, hangs up (every other time
    with a reset)."""
    try:
        n = 0
        while not stop.is_set():
            r, w = await open_conn(port, tally)
            w.write(b"SPAM 10000000\n")
            got = await asyncio.wait_for(r.readexactly(len(HEADER) + 500), TIMEOUT)
            if not got.startswith(HEADER):
                tally.fail("quitter %d: reply starts %r" % (i, got[:30]))
            close_conn(w, tally, reset=n % 2 == 0)
            tally.hangups += 1
            tally.resets += n % 2 == 0
            n += 1
            await asyncio.sleep(0.01)
    except Exception as e:                  # noqa: BLE001
        tally.fail("quitter %d: %r" % (i, e))


async def staller(i, port, tally, stop):
    """Sends half a request and nothing more until the round ends."""
    try:
        r, w = await open_conn(port, tally)
        w.write(b"SPAM 1" if i % 2 else b"SP")
        tally.stalls += 1
        await stop.wait()
        close_conn(w, tally)
    except Exception as e:                  # noqa: BLE001
        tally.fail("staller %d: %r" % (i, e))


async def trickler(i, port, tally, stop):
    """A whole request one byte at a time, slowly; its reply is exact."""
    try:
        while not stop.is_set():
            r, w = await open_conn(port, tally)
            req = b"SPAM 5\n"
            for b in req:
                w.write(bytes([b]))
                await asyncio.sleep(0.03)
            want = expected(req)
            got = await asyncio.wait_for(r.readexactly(len(want)), TIMEOUT)
            if got != want:
                tally.fail("trickler %d: got %r" % (i, got[:40]))
            else:
                tally.replies += 1
                tally.bytes += len(got)
                tally.trickles += 1
            close_conn(w, tally)
    except Exception as e:                  # noqa: BLE001
        tally.fail("trickler %d: %r" % (i, e))


async def flooder(i, port, tally):
    """10 MB without a newline: the server may answer BAD and hang up at
    any point after its line limit; it must not keep reading for ever."""
    try:
        r, w = await open_conn(port, tally)
        chunk = b"x" * 65536
        sent = 0
        try:
            while sent < 10 * 1024 * 1024:
                w.write(chunk)
                await asyncio.wait_for(w.drain(), TIMEOUT)
                sent += len(chunk)
            w.write_eof()
        except (ConnectionError, OSError):
            tally.flood_cut += 1            # hung up on us: expected
        tally.flood_bytes += sent
        try:
            rest = await asyncio.wait_for(r.read(), TIMEOUT)
        except (ConnectionError, OSError):
            rest = None                     # reset before we read it
        if rest not in (None, b"", BAD):
            tally.fail("flooder %d: reply %r" % (i, rest[:40]))
        close_conn(w, tally)
    except Exception as e:                  # noqa: BLE001
        tally.fail("flooder %d: %r" % (i, e))


async def watch_rss(server, samples, stop):
    while not stop.is_set():
        if server.alive():
            samples.append(server.rss_kib())
        await asyncio.sleep(0.05)


async def one_round(server, nclients, tally, baseline):
    port = server.port
    stop = asyncio.Event()
    gate = asyncio.Event()
    all_in = []
    samples = []
    abusers = []
    abusers += [asyncio.ensure_future(garbage_client(i, port, tally, stop)) for i in range(50)]
    abusers += [asyncio.ensure_future(quitter(i, port, tally, stop)) for i in range(20)]
    abusers += [asyncio.ensure_future(staller(i, port, tally, stop)) for i in range(50)]
    abusers += [asyncio.ensure_future(trickler(i, port, tally, stop)) for i in range(10)]
    abusers += [asyncio.ensure_future(flooder(i, port, tally)) for i in range(5)]
    watcher = asyncio.ensure_future(watch_rss(server, samples, stop))
    goods = [asyncio.ensure_future(good_client(i, port, tally, all_in, gate)) for i in range(nclients)]
    # Every good client is connected (and the abusers are at it) before
    # any of them asks anything: that many connections held at once.
    t0 = time.time()
    while len(all_in) < nclients and time.time() - t0 < TIMEOUT and not tally.errors:
        await asyncio.sleep(0.01)
    # Counted on the server's side: its open descriptors, once it has
    # accepted them all (connected only in its backlog does not count).
    held = 0
    while time.time() - t0 < TIMEOUT and not tally.errors:
        held = server.fds() - baseline
        if held >= nclients:
            break
        await asyncio.sleep(0.02)
    gate.set()
    await asyncio.gather(*goods)
    await asyncio.sleep(0.3)                # let the abusers go on a little longer
    stop.set()
    await asyncio.gather(*abusers)
    await watcher
    return held, max(samples) if samples else 0


def raise_fd_limit(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard) if hard != resource.RLIM_INFINITY else need, hard))
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    check(soft >= need, "need %d descriptors, the limit is %d" % (need, soft))


def wait_fds(server, baseline):
    deadline = time.time() + 10
    while server.fds() != baseline and time.time() < deadline:
        time.sleep(0.05)
    return server.fds()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--coro", default="./coro")
    ap.add_argument("--server", default="examples/spam_server.coro")
    ap.add_argument("--clients", type=int, default=1000)
    args = ap.parse_args()
    raise_fd_limit(args.clients + 400)
    coro = os.path.abspath(args.coro) if os.path.exists(args.coro) else args.coro
    # Under AddressSanitizer freed memory waits in a quarantine of 256 MB
    # by default, which the RSS comparison would read as growth; a small
    # one keeps RSS about what the program holds.  Ignored by other builds.
    os.environ["ASAN_OPTIONS"] = ":".join(filter(None, [os.environ.get("ASAN_OPTIONS"),
                                                          "quarantine_size_mb=16"]))
    server = Server(coro, args.server)
    t_start = time.time()
    try:
        baseline = server.fds()
        probe(server, "at the start")
        rss_start = server.rss_kib()
        peaks = []
        loop = asyncio.new_event_loop()
        for rnd in (1, 2):
            tally = Tally()
            held, peak = loop.run_until_complete(asyncio.wait_for(one_round(server, args.clients, tally, baseline), DEADLINE))
            check(not tally.errors, "round %d: %s" % (rnd, "; ".join(tally.errors)))
            check(held >= args.clients, "round %d: only %d connections held at once" % (rnd, held))
            probe(server, "after round %d" % rnd)
            fds = wait_fds(server, baseline)
            check(fds == baseline, "round %d: the server holds %d descriptors, %d at the start"
                  % (rnd, fds, baseline))
            peaks.append(peak)
            print("ok: round %d: the server held %d connections at once (%d well-formed clients "
                  "and the abusers); %d replies checked byte for byte (%.1f MB), %d of them to "
                  "garbage lines and %d to trickled requests; %d hang-ups in mid-reply (%d resets); "
                  "%d stalled lines; %d floods of 10 MB, %d cut off by the server after %.1f MB in all; "
                  "peak RSS %d KiB; descriptors back to %d"
                  % (rnd, held, args.clients, tally.replies, tally.bytes / 1e6, tally.garbage_lines,
                     tally.trickles, tally.hangups, tally.resets, tally.stalls, 5, tally.flood_cut,
                     tally.flood_bytes / 1e6, peak, fds))
        loop.close()
        # Memory bounded: the second round, same load, peaks no higher than
        # the first (allowing for the allocator's slack).
        check(peaks[1] <= peaks[0] * 1.25 + 8 * 1024,
              "peak RSS grew from round 1 to round 2: %d KiB -> %d KiB" % (peaks[0], peaks[1]))
        check(server.alive(), "server died at the end")
        err = server.stderr()
        check(err == "", "server wrote to stderr:\n" + err)
    except (Failure, asyncio.TimeoutError) as e:
        print("FAIL: %s" % (e or "took over %d s" % DEADLINE))
        err = server.stderr()
        if err:
            print("server stderr:\n" + err[:4000])
        server.stop()
        return 1
    server.stop()
    print("abuse test passed: RSS %d KiB at the start, peaks %d and %d KiB (%.1f s)"
          % (rss_start, peaks[0], peaks[1], time.time() - t_start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
