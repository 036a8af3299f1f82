/* hello.c: the smallest host: a VM, the standard libraries, one script. */
#include <stdio.h>

#include "coro.h"

int main(void)
{
    coro_VM *vm = coro_new(NULL);           /* default allocator, no memory limit */
    if (!vm || coro_open_libs(vm) != CORO_OK)
        return 1;
    if (coro_dostring(vm, "print('hello from ' .. _VERSION .. ' in Coro')") != CORO_OK)
        fprintf(stderr, "error: %s\n", coro_tostring(vm, -1));  /* message and traceback */
    coro_free(vm);
    return 0;
}
