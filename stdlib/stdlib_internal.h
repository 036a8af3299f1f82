/*
 * stdlib_internal.h: what the standard library needs beyond the public
 * API (a few operations that reach into the VM).
 */
#ifndef CORO_STDLIB_INTERNAL_H
#define CORO_STDLIB_INTERNAL_H

#include "coro.h"

/* Pops the value on top and makes it the first upvalue of the script
 * function at idx (load's env argument). */
void coro_stdlib_set_first_upvalue(coro_VM *vm, int idx);
/* Raises the value on top as an error that came from elsewhere (a
 * coroutine), keeping the traceback recorded so far. */
CORO_NORETURN int coro_stdlib_rethrow(coro_VM *vm);
/* The results of a process's exit status from system() or pclose(), as
 * Lua's os.execute gives them: true or nil, "exit" or "signal", the code
 * (or nil, message, errno if the call itself failed).  In lib_os.c. */
int coro_stdlib_execresult(coro_VM *vm, int stat);
/* Counts n units of work a library function does on its own (a step of
 * the pattern matcher) toward the count hook, which may raise: so a host's
 * instruction budget also bounds work that runs no script code. */
void coro_stdlib_count(coro_VM *vm, int n);

#endif
