/*
 * tasks.c: what the command does with tasks left when the script ends.
 */
#include "cli.h"

int coro_cli_finish_tasks(coro_VM *vm)
{
    (void)vm;
    return CORO_OK;
}

int coro_cli_failed_tasks(coro_VM *vm)
{
    (void)vm;
    return 0;
}
