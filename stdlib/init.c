/*
 * init.c: opening the standard libraries, by name and all at once, in
 * protected mode so that a failure (no memory) is a status, not a crash.
 */
#include <string.h>

#include "coro.h"

typedef struct Library {
    const char *name;
    void (*open)(coro_VM *vm);
} Library;

static const Library libraries[] = {
    { "base", coro_open_base },
    { "load", coro_open_load },
    { "package", coro_open_package },
    { "coroutine", coro_open_coroutine },
    { "string", coro_open_string },
    { "table", coro_open_table },
    { "math", coro_open_math },
    { "utf8", coro_open_utf8 },
    { "sched", coro_open_sched },
    { "io", coro_open_io },
    { "os", coro_open_os },
    { "socket", coro_open_socket },
    { NULL, NULL }
};

static int open_named(coro_VM *vm)
{
    const char *name = coro_touserdata(vm, 1);
    for (const Library *l = libraries; l->name; l++) {
        if (name == NULL || strcmp(name, l->name) == 0) {
            l->open(vm);
            if (name)
                return 0;
        }
    }
    if (name)
        coro_errorf(vm, "no library named '%s'", name);
    return 0;
}

int coro_open_lib(coro_VM *vm, const char *name)
{
    /* Nothing here allocates before the protected call. */
    coro_pushcfunction(vm, open_named);
    coro_pushlightuserdata(vm, (void *)name);
    return coro_pcall(vm, 1, 0, 0);
}

int coro_open_libs(coro_VM *vm)
{
    coro_pushcfunction(vm, open_named);
    coro_pushlightuserdata(vm, NULL);
    return coro_pcall(vm, 1, 0, 0);
}
