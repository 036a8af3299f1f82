/*
 * sandbox.c: running untrusted scripts.
 *
 * A sandbox VM gets
 *  - only the libraries that cannot reach outside the VM: no io, os,
 *    package/require, load/loadfile/dofile (which could compile
 *    arbitrary chunks) or socket;
 *  - a memory limit (coro_Config.memory_limit): an allocation beyond it
 *    raises "not enough memory", an ordinary catchable error;
 *  - an instruction budget, enforced by a count hook (coro_sethook) that
 *    raises an error when the script has run too long.
 * A script stopped by either limit leaves the VM usable: the next one
 * runs normally.
 *
 *   usage: sandbox
 */
#include <stdio.h>
#include <string.h>

#include "coro.h"

#define MEMORY_LIMIT (1024 * 1024)  /* bytes, the VM's whole heap */
#define HOOK_EVERY 1000             /* instructions between hook calls */
#define HOOK_BUDGET 2000            /* hook calls per script: ~2M instructions */

/* The libraries a sandbox may have.  coro_open_lib fails for a name the
 * library was built without; such a library is skipped with a note on
 * standard error.  (string, table, math and utf8 join this build later:
 * they will then be opened with no change here.) */
static const char *const safe_libraries[] = {
    "base", "coroutine", "string", "table", "math", "utf8", "sched", NULL
};

typedef struct Sandbox {
    int budget;         /* hook calls left for the running script */
} Sandbox;

/* The count hook.  It raises the error itself, with no position: a hook
 * interrupts a script between two instructions, so coro_errorf's "caller
 * of the running function" would name the wrong place. */
static void count_hook(coro_VM *vm)
{
    Sandbox *sb = coro_get_userdata(vm);
    if (--sb->budget < 0) {
        /* Once the budget is gone, every later hook call raises again:
         * a script that catches the error with pcall gets only one more
         * slice of HOOK_EVERY instructions before it is stopped again. */
        coro_pushstring(vm, "instruction limit exceeded");
        coro_error(vm);
    }
}

static coro_VM *new_sandbox(Sandbox *sb)
{
    coro_Config cfg;
    coro_config_init(&cfg);
    cfg.memory_limit = MEMORY_LIMIT;
    coro_VM *vm = coro_new(&cfg);
    if (!vm)
        return NULL;
    coro_set_userdata(vm, sb);
    for (int i = 0; safe_libraries[i]; i++) {
        int status = coro_open_lib(vm, safe_libraries[i]);
        if (status == CORO_ERRRUN && strstr(coro_tostring(vm, -1), "no library named")) {
            fprintf(stderr, "sandbox: note: library '%s' is not in this build\n", safe_libraries[i]);
        } else if (status != CORO_OK) {
            fprintf(stderr, "sandbox: %s: %s\n", safe_libraries[i], coro_tostring(vm, -1));
            coro_free(vm);
            return NULL;
        }
        if (status != CORO_OK)
            coro_pop(vm, 1);
    }
    coro_sethook(vm, count_hook, HOOK_EVERY);
    return vm;
}

/* Runs one untrusted script with a fresh instruction budget. */
static void run(coro_VM *vm, const char *title, const char *code)
{
    Sandbox *sb = coro_get_userdata(vm);
    sb->budget = HOOK_BUDGET;
    printf("-- %s\n", title);
    /* Mode "t": source text only.  Precompiled chunks are not supported
     * anyway, but an untrusted one must never get near the VM. */
    int status = coro_load(vm, code, strlen(code), "=sandbox", "t");
    if (status == CORO_OK)
        status = coro_pcall(vm, 0, 0, 0);
    if (status != CORO_OK) {
        const char *msg = coro_tostring(vm, -1);
        printf("stopped (%s): %s\n", status == CORO_ERRMEM ? "memory" : "error",
               msg ? msg : "(not a string)");
        coro_pop(vm, 1);
    }
}

int main(void)
{
    Sandbox sb = { 0 };
    coro_VM *vm = new_sandbox(&sb);
    if (!vm) {
        fprintf(stderr, "sandbox: cannot create the VM\n");
        return 1;
    }

    run(vm, "what is missing",
        "for _, name in ipairs({ 'io', 'os', 'package', 'require', 'load', 'loadfile',\n"
        "                        'dofile', 'socket' }) do\n"
        "  print(name, type(_G[name]))\n"
        "end");

    run(vm, "an endless loop", "while true do end");

    run(vm, "a script that catches the limit and carries on",
        "print(pcall(function() while true do end end))\n"
        "while true do end");

    run(vm, "a table that grows without end",
        "local t = {} while true do t[#t+1] = t end");

    run(vm, "a string that doubles without end",
        "local s = 'x' while true do s = s .. s end");

    run(vm, "afterwards, an ordinary script",
        "local order = {}\n"
        "local function worker(name, rounds)\n"
        "  for i = 1, rounds do await sched.sleep(0) end\n"
        "  order[#order + 1] = name\n"
        "end\n"
        "sched.run(function()\n"
        "  local slow = sched.spawn(worker, 'slow', 3)\n"
        "  local quick = sched.spawn(worker, 'quick', 1)\n"
        "  await slow\n"
        "  await quick\n"
        "end)\n"
        "local sum = 0\n"
        "for i = 1, 1000 do sum = sum + i end\n"
        "print('tasks finished:', order[1], order[2], 'sum:', sum)");

    coro_free(vm);
    return 0;
}
