/*
 * func.c: prototypes, closures, upvalues.
 */
#include <string.h>

#include "func.h"
#include "gc.h"
#include "mem.h"

Proto *coro_proto_new(coro_VM *vm)
{
    Proto *p = coro_gc_new(vm, sizeof(Proto), TAG_PROTO);
    memset((char *)p + offsetof(Proto, num_params), 0,
           sizeof(Proto) - offsetof(Proto, num_params));
    return p;
}

void coro_proto_free(coro_VM *vm, Proto *p)
{
    coro_mem_free_array(vm, p->code, Instr, p->code_size);
    coro_mem_free_array(vm, p->constants, Value, p->const_size);
    coro_mem_free_array(vm, p->protos, Proto *, p->proto_size);
    coro_mem_free_array(vm, p->upvals, UpvalDesc, p->upval_size);
    coro_mem_free_array(vm, p->lines, int32_t, p->lines_size);
    coro_mem_free_array(vm, p->locvars, LocVar, p->locvar_size);
    coro_mem_free(vm, p, sizeof(Proto));
}

size_t coro_lclosure_size(int nupvals)
{
    return offsetof(LClosure, upvals) + sizeof(UpVal *) * (size_t)nupvals;
}

size_t coro_cclosure_size(int nupvals)
{
    return offsetof(CClosure, upvals) + sizeof(Value) * (size_t)nupvals;
}

LClosure *coro_lclosure_new(coro_VM *vm, Proto *p)
{
    LClosure *cl = coro_gc_new(vm, coro_lclosure_size(p->upval_size), TAG_LCLOSURE);
    cl->nupvals = (uint8_t)p->upval_size;
    cl->gclist = NULL;
    cl->proto = p;
    for (int i = 0; i < p->upval_size; i++)
        cl->upvals[i] = NULL;
    return cl;
}

CClosure *coro_cclosure_new(coro_VM *vm, coro_CFunction fn, int nupvals)
{
    CClosure *cl = coro_gc_new(vm, coro_cclosure_size(nupvals), TAG_CCLOSURE);
    cl->nupvals = (uint8_t)nupvals;
    cl->gclist = NULL;
    cl->fn = fn;
    for (int i = 0; i < nupvals; i++)
        set_nil(&cl->upvals[i]);
    return cl;
}

UpVal *coro_upval_find(coro_VM *vm, Coroutine *co, Value *level)
{
    UpVal **p = &co->open_upvals;
    UpVal *uv;
    while ((uv = *p) != NULL && uv->v >= level) {
        if (uv->v == level)
            return uv;
        p = &uv->u.open.next;
    }
    uv = coro_gc_new(vm, sizeof(UpVal), TAG_UPVAL);
    uv->v = level;
    uv->u.open.next = *p;
    uv->u.open.previous = p;
    if (*p)
        (*p)->u.open.previous = &uv->u.open.next;
    *p = uv;
    return uv;
}

void coro_upval_close(Coroutine *co, Value *level)
{
    UpVal *uv;
    while ((uv = co->open_upvals) != NULL && uv->v >= level) {
        co->open_upvals = uv->u.open.next;
        if (co->open_upvals)
            co->open_upvals->u.open.previous = &co->open_upvals;
        uv->u.closed = *uv->v;
        uv->v = &uv->u.closed;
    }
}

void coro_upval_unlink(UpVal *uv)
{
    *uv->u.open.previous = uv->u.open.next;
    if (uv->u.open.next)
        uv->u.open.next->u.open.previous = uv->u.open.previous;
}

const char *coro_proto_local_name(const Proto *p, int n, int pc)
{
    for (int i = 0; i < p->locvar_size && p->locvars[i].start_pc <= pc; i++) {
        if (pc < p->locvars[i].end_pc) {
            n--;
            if (n == 0)
                return p->locvars[i].name->data;
        }
    }
    return NULL;
}

int coro_proto_line(const Proto *p, int pc)
{
    if (!p->lines || p->code_size == 0)
        return -1;
    if (pc < 0)
        pc = 0;
    if (pc >= p->code_size)
        pc = p->code_size - 1;
    return p->lines[pc];
}
