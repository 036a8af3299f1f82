/*
 * sandbox.h: a VM for fuzzed scripts, with no access to files, sockets or
 * the clock's sleeps, and budgets on instructions and memory.
 *
 * The instruction budget is enforced with the count hook: once it is
 * spent the hook fires at every count and raises each time, so a script
 * that catches the error with pcall cannot go on for long.  Library code
 * that loops without counting (pattern matching, string.rep) is bounded
 * by the memory limit and by the libraries' own limits; anything that is
 * not shows up as a libFuzzer timeout, which is a finding.
 */
#ifndef CORO_FUZZ_SANDBOX_H
#define CORO_FUZZ_SANDBOX_H

#include <stddef.h>

#include "coro.h"

typedef struct FuzzSandbox {
    long budget;        /* hook firings allowed */
    long fired;
} FuzzSandbox;

/* A fresh VM with the safe libraries open (base without print's output,
 * load without loadfile/dofile, coroutine, string, table, math, utf8, and
 * sched without its timers and descriptor waits).  Aborts if that fails:
 * the limits are generous enough that it never should. */
coro_VM *fuzz_sandbox_new(FuzzSandbox *sb, size_t memory_limit, long budget);

/* Gives the script a fresh instruction budget. */
void fuzz_sandbox_rearm(coro_VM *vm, FuzzSandbox *sb);

/* Aborts unless status is one a script may end with, and (for an error)
 * the message on top of the stack is a string or some other value. */
void fuzz_check_status(coro_VM *vm, int status);

/* The VM must still run a small chunk after whatever the input did: it
 * may fail for want of memory (the input may hold all of it), nothing
 * else. */
void fuzz_check_alive(coro_VM *vm, FuzzSandbox *sb);

#endif
