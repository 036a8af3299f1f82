# sched-sleep: 100,000 asyncio tasks each awaiting asyncio.sleep(0.01) (once
# by default); the asyncio counterpart of sched-sleep.coro.
import asyncio
import sys

TASKS = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
SLEEPS = int(sys.argv[2]) if len(sys.argv) > 2 else 1


async def sleeper(n, counter):
    for _ in range(n):
        await asyncio.sleep(0.01)
        counter[0] += 1


async def main():
    counter = [0]
    await asyncio.gather(*(sleeper(SLEEPS, counter) for _ in range(TASKS)))
    print("tasks %d, wakeups %d" % (TASKS, counter[0]))


asyncio.run(main())
