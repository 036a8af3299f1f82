#!/usr/bin/env python3
"""The SPAM server of examples/spam_server.coro, in Python's asyncio.

    python3 bench/spam_server_asyncio.py [port]

Same protocol and same behaviour (see the comment at the top of the Coro
version): "SPAM n" gets "100 SPAM FOLLOWS\\n" and n lines, anything else
"400 WE ONLY SERVE SPAM\\n", a line over 1024 bytes gets the 400 and the
connection closes; one task per client; the first line printed is
"listening on 127.0.0.1:PORT".  Written the ordinary asyncio way (streams,
one write per reply, drain), as the comparison for bench/spam-rps.sh.
"""
import asyncio
import socket
import sys

MAX_LINE = 1024
HEADER = b"100 SPAM FOLLOWS\n"
LINE = b"spam glorious spam\n"
BAD = b"400 WE ONLY SERVE SPAM\n"
CHUNK = 4096        # lines per write for huge replies, as the Coro server


def parse_request(line):
    tokens = line.split()
    if len(tokens) != 2 or tokens[0] != b"SPAM":
        return None
    t = tokens[1]
    digits = t[1:] if t[:1] in (b"+", b"-") else t
    if not digits or len(digits) > 18 or not digits.isdigit():
        return None
    n = int(t)
    return n if n >= 1 else None


async def handle(reader, writer):
    try:
        while True:
            try:
                line = await reader.readline()
            except ValueError:              # over the limit
                writer.write(BAD)
                await writer.drain()
                return
            if not line:
                return
            n = parse_request(line)
            if n is None:
                writer.write(BAD)
            else:
                writer.write(HEADER + LINE * (n % CHUNK))
                for _ in range(n // CHUNK):
                    await writer.drain()
                    writer.write(LINE * CHUNK)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = await asyncio.start_server(handle, "127.0.0.1", port, limit=MAX_LINE,
                                        backlog=socket.SOMAXCONN, reuse_address=True)
    port = server.sockets[0].getsockname()[1]
    print("listening on 127.0.0.1:%d" % port, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
