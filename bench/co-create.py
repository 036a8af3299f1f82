# co-create: creates many short-lived generators, each resumed twice (it
# yields once, then returns); Python counterpart of co-create.lua.
import sys


def body(a):
    b = yield a * 2
    return a + b


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000000
    total = 0
    for i in range(n):
        g = body(i % 1000)
        x = next(g)
        try:
            g.send(1)
        except StopIteration as stop:
            y = stop.value
        total += x + y
    print("coroutines %d, checksum %d" % (n, total))


main()
