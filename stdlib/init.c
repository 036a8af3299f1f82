/*
 * init.c: opening the standard libraries.
 */
#include "coro.h"

void coro_open_libs(coro_VM *vm)
{
    coro_open_base(vm);
    coro_open_load(vm);
    coro_open_coroutine(vm);
    coro_open_sched(vm);
    coro_open_socket(vm);
}
