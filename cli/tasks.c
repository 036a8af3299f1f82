/*
 * tasks.c: what the command does with tasks left when the script ends:
 * it runs the scheduler until none is pending (SPEC section 3).
 */
#include <stdio.h>

#include "cli.h"

int coro_cli_finish_tasks(coro_VM *vm)
{
    if (coro_sched_tasks(vm) == 0)
        return CORO_OK;
    int status = coro_sched_run(vm);
    if (status != CORO_OK) {
        fprintf(stderr, "coro: %s\n", coro_tostring(vm, -1));
        fflush(stderr);
        coro_pop(vm, 1);
    }
    return status;
}

int coro_cli_failed_tasks(coro_VM *vm)
{
    return coro_sched_failures(vm);
}
