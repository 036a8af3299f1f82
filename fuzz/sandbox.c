/*
 * sandbox.c: the fuzzers' VM (see sandbox.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "sandbox.h"

#define HOOK_EVERY 1000

static void budget_hook(coro_VM *vm)
{
    FuzzSandbox *sb = coro_get_userdata(vm);
    if (++sb->fired <= sb->budget)
        return;
    /* From now on every count raises, so pcall in a loop cannot outlast it. */
    coro_sethook(vm, budget_hook, 1);
    coro_errorf(vm, "instruction budget spent");
}

/* print, minus the output: still converts every argument, so __tostring
 * and __name run as they would. */
static int quiet_print(coro_VM *vm)
{
    int n = coro_gettop(vm);
    for (int i = 1; i <= n; i++) {
        coro_tolstring_meta(vm, i, NULL);
        coro_pop(vm, 1);
    }
    return 0;
}

static void drop(coro_VM *vm, const char *table, const char *field)
{
    if (table) {
        coro_getglobal(vm, table);
        coro_pushnil(vm);
        coro_setfield(vm, -2, field);
        coro_pop(vm, 1);
    } else {
        coro_pushnil(vm);
        coro_setglobal(vm, field);
    }
}

static int setup(coro_VM *vm)
{
    coro_pushcfunction(vm, quiet_print);
    coro_setglobal(vm, "print");
    drop(vm, NULL, "loadfile");
    drop(vm, NULL, "dofile");
    /* Timers and descriptor waits would sleep for real. */
    drop(vm, "sched", "sleep");
    drop(vm, "sched", "timeout");
    drop(vm, "sched", "readable");
    drop(vm, "sched", "writable");
    return 0;
}

coro_VM *fuzz_sandbox_new(FuzzSandbox *sb, size_t memory_limit, long budget)
{
    coro_Config cfg;
    coro_config_init(&cfg);
    cfg.memory_limit = memory_limit;
    cfg.max_frames = 20000;
    coro_VM *vm = coro_new(&cfg);
    if (!vm)
        abort();
    static const char *const libs[] = {
        "base", "load", "coroutine", "string", "table", "math", "utf8", "sched", NULL
    };
    for (const char *const *l = libs; *l; l++)
        if (coro_open_lib(vm, *l) != CORO_OK) {
            fprintf(stderr, "sandbox: cannot open %s: %s\n", *l, coro_tostring(vm, -1));
            abort();
        }
    coro_pushcfunction(vm, setup);
    if (coro_pcall(vm, 0, 0, 0) != CORO_OK)
        abort();
    sb->budget = budget;
    coro_set_userdata(vm, sb);
    fuzz_sandbox_rearm(vm, sb);
    return vm;
}

void fuzz_sandbox_rearm(coro_VM *vm, FuzzSandbox *sb)
{
    sb->fired = 0;
    coro_sethook(vm, budget_hook, HOOK_EVERY);
}

void fuzz_check_status(coro_VM *vm, int status)
{
    switch (status) {
    case CORO_OK:
        return;
    case CORO_ERRRUN:
    case CORO_ERRSYNTAX:
    case CORO_ERRMEM:
    case CORO_ERRERR:
        if (coro_gettop(vm) < 1) {
            fprintf(stderr, "sandbox: error status %d with no message\n", status);
            abort();
        }
        return;
    default:
        fprintf(stderr, "sandbox: unexpected status %d\n", status);
        abort();
    }
}

void fuzz_check_alive(coro_VM *vm, FuzzSandbox *sb)
{
    coro_settop(vm, 0);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    fuzz_sandbox_rearm(vm, sb);
    /* Language only: the input may have replaced any global. */
    int status = coro_dostring(vm, "local t = {} for i = 1, 10 do t[i] = i .. '' end return #t");
    if (status == CORO_ERRMEM) {
        coro_settop(vm, 0);
        return;
    }
    if (status != CORO_OK || coro_tointeger(vm, -1) != 10) {
        fprintf(stderr, "sandbox: the VM no longer runs code: status %d: %s\n", status,
                coro_tostring(vm, -1) ? coro_tostring(vm, -1) : "(no message)");
        abort();
    }
    coro_settop(vm, 0);
}
