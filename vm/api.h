/*
 * api.h: helpers shared by the C API and the library code that needs the
 * VM's internals (the base library, coroutines, the scheduler).
 */
#ifndef CORO_API_H
#define CORO_API_H

#include "state.h"

/* The slot for a stack index; a sentinel nil (vm->none) for an index past
 * the top. */
Value *coro_api_slot(coro_VM *vm, int idx);
#define coro_api_isnone(vm, v) ((v) == &(vm)->none)
/* Pushes a copy of v (growing the stack if needed). */
void coro_api_push(coro_VM *vm, const Value *v);
/* The frame of the running C function (or the host's base frame). */
Frame *coro_api_frame(coro_VM *vm);
/* A request from the running C function (coro_callk & co). */
int coro_api_request(coro_VM *vm, int kind, int nargs, int nresults, int msgh,
                     coro_KContext ctx, coro_KFunction k);

/* coro_resumek for coroutine.resume: a coroutine that dies in error keeps
 * its <close> variables for coroutine.close, as Lua does. */
int coro_api_resume_keeping_tbc(coro_VM *vm, int nargs, coro_KContext ctx, coro_KFunction k);

#endif
