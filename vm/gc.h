/*
 * gc.h: the garbage collector.
 *
 * A precise, stop-the-world mark and sweep, generational by default (see
 * gc.c: minor collections trace and sweep only what is young, with write
 * barriers below keeping old objects' new references).  Roots are the
 * registry (which
 * holds the globals and the loaded modules), the per-type metatables, the
 * main and running coroutines (each coroutine marks its live stack, its
 * open upvalues and its resumer), the error in flight with its traceback,
 * and the scheduler's queues.  Marking threads gray objects through their
 * `gclist` links, so it never recurses and never allocates.
 *
 * Collections start only at check points (coro_gc_check), never inside an
 * allocation: at a check point every live value is in a root, a stack slot
 * or a reachable object, so no C local can hold the only reference to a
 * fresh object.  The dispatch loop checks after the instructions that
 * allocate (tables, closures, concatenation, calls) and the API after the
 * functions that push new objects.  CORO_GC_STRESS=1 in the environment
 * makes every check point collect (minor collections, every eighth a
 * major one), which turns a missing root or barrier into an immediate,
 * reproducible failure.
 *
 * Objects with a __gc metamethod (set when the metatable is attached) live
 * on a separate list; when found unreachable they are revived for one more
 * cycle and their finalizers called after the collection, in reverse order
 * of marking.
 */
#ifndef CORO_GC_H
#define CORO_GC_H

#include "state.h"

void *coro_gc_new(coro_VM *vm, size_t size, uint8_t tag);

#define coro_gc_check(vm) \
    do { if ((vm)->bytes >= (vm)->gc_threshold) coro_gc_step(vm); } while (0)

/* Collects if due (or always under stress), then runs due finalizers. */
void coro_gc_step(coro_VM *vm);
/* A full collection now (collectgarbage("collect")). */
void coro_gc_full(coro_VM *vm);
/* Called when a metatable is set on o: registers a finalizer if needed. */
void coro_gc_check_finalizer(coro_VM *vm, GCObject *o, Table *mt);
/* Frees every object (VM shutdown), running pending finalizers first. */
void coro_gc_free_all(coro_VM *vm);
void coro_gc_set_threshold(coro_VM *vm);

/* ---- write barriers (generational mode) ----
 * An old object (marked by the last collection) given a reference to a
 * young one must be traced again at the next minor collection, or the
 * young one would be freed under it. */

/* Puts o on vm->touched (a string, with no children, just stays). */
void coro_gc_touch(coro_VM *vm, GCObject *o);
/* Keeps the young value v alive until the next collection traces it. */
void coro_gc_barrier_forward(coro_VM *vm, const Value *v);

/* o (a table, userdata or C closure) now refers to the value *v. */
#define coro_gc_barrier_back(vm, o, v) \
    do { \
        if ((((GCObject *)(o))->marked & MARK_BLACK) && is_collectable(v) && \
            !((v)->u.gc->marked & MARK_BLACK)) \
            coro_gc_touch((vm), (GCObject *)(o)); \
    } while (0)

/* Upvalue uv now holds *v: an old closed upvalue, or an open one (whose
 * slot may be in a coroutine that is not running), keeps v alive. */
#define coro_gc_barrier_upval(vm, uv, v) \
    do { \
        if (((uv)->marked & MARK_BLACK) || upval_is_open(uv)) \
            coro_gc_barrier_forward((vm), (v)); \
    } while (0)

/* A coroutine about to run, or stopping: its stack changes unseen. */
#define coro_gc_barrier_co(vm, co) \
    do { \
        if (((GCObject *)(co))->marked & MARK_BLACK) \
            coro_gc_touch((vm), (GCObject *)(co)); \
    } while (0)

/* Makes co the running coroutine.  The one stopping is traced at the next
 * collection (its stack changed while it ran); co needs nothing: whatever
 * was put on its stack for the switch is seen, since a collection always
 * traces the running coroutine, and co is touched in turn when it stops. */
static inline void coro_switch_to(coro_VM *vm, Coroutine *co)
{
    coro_gc_barrier_co(vm, vm->current);
    vm->current = co;
}

/* collectgarbage("generational") / ("incremental"). */
void coro_gc_set_generational(coro_VM *vm, bool on);

/* Marking for external roots (the scheduler). */
void coro_gc_mark_value(coro_VM *vm, const Value *v);
void coro_gc_mark_object(coro_VM *vm, GCObject *o);

#endif
