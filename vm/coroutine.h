/*
 * coroutine.h: coroutine objects, their stacks and frames.
 *
 * A coroutine is a value stack plus an array of frames, both in the heap
 * and both owned by the coroutine, plus a few bytes of state.  The main
 * program runs on the VM's main coroutine; every other coroutine starts
 * with a stack sized exactly for its function (a small suspended
 * generator costs well under 200 bytes) and grows by doubling.  A stack
 * that moves leaves pointers into it stale, so growth fixes up every
 * frame and open upvalue; code holding a Value* into a stack across a
 * possible growth must hold an offset instead.
 *
 * Switching coroutines is done by the dispatch loop (call.c): it changes
 * which coroutine is current and continues in that coroutine's top frame.
 */
#ifndef CORO_COROUTINE_H
#define CORO_COROUTINE_H

#include "state.h"

/* How many coroutines may be resumed one inside another: that nesting is
 * recursion too (a generator delegating to itself).  Far fewer than
 * frames: each level holds a whole coroutine, and an error crossing the
 * levels may grow at each (coroutine.wrap adds its position, as in Lua). */
#define CO_MAX_DEPTH 10000
#define co_max_depth(vm) ((vm)->max_frames < CO_MAX_DEPTH ? (vm)->max_frames : CO_MAX_DEPTH)

/* Slots kept free above a C function's arguments, and the extra room
 * every stack keeps for error handling. */
#define STACK_EXTRA 8
/* As Lua 5.4's LUAI_MAXSTACK, so programs hit "stack overflow" where Lua does. */
#define MAX_STACK_SLOTS 1000000

Coroutine *coro_co_new(coro_VM *vm, int stack_slots);
void coro_co_free(coro_VM *vm, Coroutine *co);
size_t coro_co_size_bytes(const Coroutine *co);

/* Ensures room for n more slots above co->top; may move the stack. */
void coro_stack_ensure(coro_VM *vm, Coroutine *co, int n);
/* Ensures the stack reaches at least `end` slots from its start. */
void coro_stack_reserve(coro_VM *vm, Coroutine *co, size_t end_offset);
/* A new frame on top (may move the frame array); raises "stack overflow"
 * past the limit, unless the frame is a message handler's or a __close's
 * (then a few more are allowed to handle the error). */
Frame *coro_frame_push(coro_VM *vm, Coroutine *co, bool for_handler);
/* The end of the live part of the stack (what the collector marks). */
Value *coro_co_live_top(Coroutine *co);
/* Gives back most of a suspended coroutine's stack and frames when it
 * uses a small part of them (after a deep recursion); the collector calls
 * this.  Never fails: without memory it leaves them as they are. */
void coro_co_shrink(coro_VM *vm, Coroutine *co);
/* The same for the running coroutine, which would otherwise keep what a
 * deep recursion or a huge call grew it to for as long as it runs (the
 * main one for the VM's life, under its memory limit).  Only where
 * nothing holds a pointer into its stack but its frames: an explicit full
 * collection, a failed protected call from C. */
void coro_co_shrink_running(coro_VM *vm, Coroutine *co);
/* Frees a dead coroutine's stack, keeping its error value if any. */
void coro_co_release(coro_VM *vm, Coroutine *co);

/* To-be-closed slots. */
void coro_tbc_push(coro_VM *vm, Coroutine *co, Value *slot);
/* The highest to-be-closed slot at or above level, or NULL. */
Value *coro_tbc_top(Coroutine *co, Value *level);
void coro_tbc_pop(Coroutine *co);

#define stack_offset(co, p) ((size_t)((p) - (co)->stack))
#define stack_at(co, off)   ((co)->stack + (off))

#endif
