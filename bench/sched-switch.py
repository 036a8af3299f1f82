# sched-switch: N asyncio tasks each awaiting asyncio.sleep(0) M times, so
# the event loop switches between ready tasks N*M times; the asyncio
# counterpart of sched-switch.coro and sched-yield.coro.
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
