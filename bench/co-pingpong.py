# co-pingpong: a generator and the main program exchange a value on every
# send/yield (many round trips); Python counterpart of co-pingpong.lua.
import sys


def echo():
    v = yield
    while True:
        v = yield v + 1


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000000
    g = echo()
    next(g)
    x = 0
    send = g.send
    for _ in range(n):
        x = send(x)
    print("round trips %d, final value %d" % (n, x))


main()
