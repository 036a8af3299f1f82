# co-suspended: creates 1,000,000 generators and advances each to its
# first yield so all of them are suspended at once, then finishes them;
# Python counterpart of co-suspended.lua (compare the peak RSS).
import sys
import inspect


def body(i):
    extra = yield i % 7
    return i % 10 + extra


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    gens = []
    parked = 0
    for i in range(1, n + 1):
        g = body(i)
        parked += next(g)
        gens.append(g)
    suspended = sum(1 for g in gens if inspect.getgeneratorstate(g) == "GEN_SUSPENDED")
    finished = 0
    for i in range(n):
        try:
            gens[i].send(1)
        except StopIteration as stop:
            finished += stop.value
        gens[i] = None
    print("suspended %d, checksums %d %d" % (suspended, parked, finished))


main()
