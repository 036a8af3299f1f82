/*
 * func.h: function prototypes, closures and upvalues.
 *
 * A closure captures the locals it uses through upvalues.  While the
 * local's frame is live the upvalue is "open" and points at the stack
 * slot; all closures capturing the same slot share one upvalue, found on
 * the owning coroutine's list of open upvalues (sorted by slot, highest
 * first).  When the frame ends (return, block exit, error unwinding) the
 * value is copied into the upvalue itself and the pointer retargeted:
 * "closing" it.  Because stacks can move when they grow, the stack code
 * fixes the pointers of open upvalues after every reallocation.
 */
#ifndef CORO_FUNC_H
#define CORO_FUNC_H

#include "state.h"

Proto *coro_proto_new(coro_VM *vm);
void coro_proto_free(coro_VM *vm, Proto *p);

LClosure *coro_lclosure_new(coro_VM *vm, Proto *p);
CClosure *coro_cclosure_new(coro_VM *vm, coro_CFunction fn, int nupvals);
size_t coro_lclosure_size(int nupvals);
size_t coro_cclosure_size(int nupvals);

/* The open upvalue for slot `level` of coroutine co, created if needed. */
UpVal *coro_upval_find(coro_VM *vm, Coroutine *co, Value *level);
/* Closes every open upvalue of co at or above level. */
void coro_upval_close(coro_VM *vm, Coroutine *co, Value *level);

/* Removes an open upvalue from its coroutine's list (it is being freed). */
void coro_upval_unlink(UpVal *uv);

/* Name of local variable number n (1-based) live at pc, or NULL. */
const char *coro_proto_local_name(const Proto *p, int n, int pc);
int coro_proto_line(const Proto *p, int pc);

#endif
