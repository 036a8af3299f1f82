/*
 * support.c: the internal operations of stdlib_internal.h.
 */
#include "stdlib_internal.h"
#include "api.h"
#include "call.h"
#include "gc.h"

void coro_stdlib_set_first_upvalue(coro_VM *vm, int idx)
{
    Value *fn = coro_api_slot(vm, idx);
    Coroutine *co = vm->current;
    Value v = co->top[-1];
    co->top--;
    if (!is_lclosure(fn) || as_lclosure(fn)->nupvals == 0)
        return;
    LClosure *cl = as_lclosure(fn);
    UpVal *uv = coro_gc_new(vm, sizeof(UpVal), TAG_UPVAL);
    uv->u.closed = v;
    uv->v = &uv->u.closed;
    cl->upvals[0] = uv;
    if (cl->marked & MARK_BLACK)
        coro_gc_touch(vm, (GCObject *)cl);     /* an old closure, a young upvalue */
}

int coro_stdlib_rethrow(coro_VM *vm)
{
    Coroutine *co = vm->current;
    Value err = co->top[-1];
    coro_rethrow(vm, &err);
}

void coro_stdlib_count(coro_VM *vm, int n)
{
    coro_hook_charge(vm, n);
}
