/*
 * lib_sched.c: the `sched` module: registration, and loading the parts of
 * it written in Coro (stdlib/sched.coro, embedded at build time).
 */
#include "sched.h"

extern const char coro_embedded_sched[];
extern const size_t coro_embedded_sched_len;

void coro_sched_open_core(coro_VM *vm);

static int open_sched(coro_VM *vm)
{
    coro_newtable(vm);
    coro_sched_open_core(vm);
    coro_sched_open_instr(vm);
    coro_sched_open_sync(vm);
    if (coro_load(vm, coro_embedded_sched, coro_embedded_sched_len, "=[sched]", "t") != CORO_OK)
        coro_error(vm);
    coro_pushvalue(vm, -2);
    coro_getmetatable_named(vm, "sched.task");
    coro_call(vm, 2, 0);
    return 1;
}

void coro_open_sched(coro_VM *vm)
{
    coro_requiref(vm, "sched", open_sched, 1);
    coro_pop(vm, 1);
}
