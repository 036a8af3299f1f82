# sched-yield: the asyncio counterpart of sched-yield.coro (asyncio has no
# bare yield, so this is the same program as sched-switch.py: N tasks each
# awaiting asyncio.sleep(0) M times).
import asyncio
import sys

TASKS = int(sys.argv[1]) if len(sys.argv) > 1 else 100
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 6000


async def worker(rounds, counter):
    for _ in range(rounds):
        await asyncio.sleep(0)
        counter[0] += 1


async def main():
    counter = [0]
    await asyncio.gather(*(worker(ROUNDS, counter) for _ in range(TASKS)))
    print("tasks %d, switches %d" % (TASKS, counter[0]))


asyncio.run(main())
