# co-pipeline: an 8-stage generator pipeline; Python counterpart of
# co-pipeline.lua (each stage is a generator over the previous one).
import sys


def source(n):
    for i in range(1, n + 1):
        yield i


def stage(prev, k):
    for v in prev:
        yield (v * 3 + k) % 1000003


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    p = source(n)
    for k in range(1, 9):
        p = stage(p, k)
    total = count = 0
    for v in p:
        total += v
        count += 1
    print("items %d, checksum %d" % (count, total))


main()
