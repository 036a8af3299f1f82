/*
 * host.c: a complete, minimal host.
 *
 * It creates a VM, opens the standard libraries, runs code from a string
 * and from a file, calls the script's functions with arguments, reads
 * back results of every type, and reports script errors with their
 * traceback.
 *
 *   usage: host [SCRIPT]
 *
 * SCRIPT defaults to examples/embed/host_script.coro, a path relative to
 * the current directory: `make test` runs the examples from the root of
 * the repository.  Run it from elsewhere by naming the script.
 *
 * Build (after `make install`):
 *   cc host.c $(pkg-config --cflags --libs coro) -o host
 */
#include <stdio.h>

#include "coro.h"

/* Prints the error message the VM left on top of the stack and pops it.
 * Every API function that returns a status leaves exactly one value there
 * on failure: a string, unless the script raised something else. */
static void report(coro_VM *vm, const char *what, int status)
{
    const char *msg = coro_tostring(vm, -1);
    printf("%s failed (status %d): %s\n", what, status,
           msg ? msg : "(error object is not a string)");
    coro_pop(vm, 1);
}

/* Pushes the global function `name` below the nargs arguments already on
 * the stack and calls it, keeping nresults results (CORO_MULTRET: all).
 * On error the message, with a traceback, is left on top instead. */
static int call_global(coro_VM *vm, const char *name, int nargs, int nresults)
{
    coro_getglobal(vm, name);
    coro_insert(vm, -(nargs + 1));
    return coro_pcall_traceback(vm, nargs, nresults);
}

/* Prints the value at idx, by type: how a host reads each kind of value. */
static void show(coro_VM *vm, int idx)
{
    idx = coro_absindex(vm, idx);   /* stays valid while we push */
    switch (coro_type(vm, idx)) {
    case CORO_TNIL:
        printf("nil\n");
        break;
    case CORO_TBOOLEAN:
        printf("boolean %s\n", coro_toboolean(vm, idx) ? "true" : "false");
        break;
    case CORO_TNUMBER:
        /* Integers and floats are distinct subtypes, as in Lua 5.4. */
        if (coro_isinteger(vm, idx))
            printf("integer %lld\n", (long long)coro_tointeger(vm, idx));
        else
            printf("float %g\n", coro_tonumber(vm, idx));
        break;
    case CORO_TSTRING: {
        /* Strings may hold zero bytes: always take the length. */
        size_t len;
        const char *s = coro_tolstring(vm, idx, &len);
        printf("string of %zu bytes: ", len);
        for (size_t i = 0; i < len; i++) {
            if (s[i] == '\0')
                printf("\\0");
            else
                putchar(s[i]);
        }
        printf("\n");
        break;
    }
    case CORO_TTABLE: {
        /* Named fields and list items, read without metamethods. */
        coro_getfield(vm, idx, "name");
        coro_getfield(vm, idx, "x");
        coro_getfield(vm, idx, "y");
        printf("table: name=%s x=%lld y=%lld, #t=%llu:",
               coro_tostring(vm, -3), (long long)coro_tointeger(vm, -2),
               (long long)coro_tointeger(vm, -1), (unsigned long long)coro_rawlen(vm, idx));
        coro_pop(vm, 3);
        for (coro_Integer i = 1; coro_geti(vm, idx, i) != CORO_TNIL; i++) {
            printf(" [%lld]=%s", (long long)i, coro_tostring(vm, -1));
            coro_pop(vm, 1);
        }
        coro_pop(vm, 1);    /* the nil that ended the loop */
        /* Every pair, in the table's own (unspecified) order: coro_next
         * pops a key and pushes the next key and its value. */
        int pairs = 0;
        coro_pushnil(vm);
        while (coro_next(vm, idx)) {
            pairs++;
            coro_pop(vm, 1);    /* the value; the key stays for next */
        }
        printf(" (%d pairs)\n", pairs);
        break;
    }
    case CORO_TFUNCTION:
        /* Call it: a copy of the function, then its arguments. */
        coro_pushvalue(vm, idx);
        coro_pushinteger(vm, 6);
        coro_pushinteger(vm, 7);
        if (coro_pcall(vm, 2, 1, 0) == CORO_OK) {
            printf("function: f(6, 7) = %lld\n", (long long)coro_tointeger(vm, -1));
            coro_pop(vm, 1);
        } else {
            report(vm, "f(6, 7)", CORO_ERRRUN);
        }
        break;
    case CORO_TTHREAD: {
        /* A coroutine: resume it from C until it finishes.  coro_resume
         * pops the coroutine and its arguments, so resume a copy. */
        printf("coroutine:");
        int status, nres, nargs = 1;
        do {
            coro_pushvalue(vm, idx);
            if (nargs)
                coro_pushinteger(vm, 3);    /* the body's argument, first time only */
            status = coro_resume(vm, nargs, &nres);
            nargs = 0;
            if (status == CORO_YIELD || status == CORO_OK)
                printf(" %s %s", status == CORO_YIELD ? "yielded" : "returned",
                       nres > 0 ? coro_tostring(vm, -1) : "nothing");
            else
                printf(" failed: %s", coro_tostring(vm, -1));
            coro_pop(vm, nres);
        } while (status == CORO_YIELD);
        printf("\n");
        break;
    }
    case CORO_TLIGHTUSERDATA:
        /* A bare C pointer: scripts can hold and compare it, not use it. */
        printf("light userdata: %s\n", coro_touserdata(vm, idx) == (void *)vm
                                        ? "the pointer we passed" : "another pointer");
        break;
    default:
        printf("%s\n", coro_typename(vm, coro_type(vm, idx)));
        break;
    }
}

int main(int argc, char **argv)
{
    const char *script = argc > 1 ? argv[1] : "examples/embed/host_script.coro";

    /* 1. A VM with the default allocator and no memory limit.  NULL
     *    means only that its first allocations failed. */
    coro_VM *vm = coro_new(NULL);
    if (!vm) {
        fprintf(stderr, "host: cannot create a VM: out of memory\n");
        return 1;
    }
    int status = coro_open_libs(vm);
    if (status != CORO_OK) {
        report(vm, "opening the libraries", status);
        coro_free(vm);
        return 1;
    }

    /* 2. Source from a string.  coro_dostring compiles, runs, and on
     *    error leaves the message with a traceback on the stack. */
    status = coro_dostring(vm, "print('hello from a string, ' .. _VERSION)");
    if (status != CORO_OK)
        report(vm, "the string", status);

    /* A syntax error is reported the same way, with CORO_ERRSYNTAX. */
    status = coro_dostring(vm, "print('unfinished'");
    if (status != CORO_OK)
        report(vm, "the broken string", status);

    /* 3. Source from a file.  Running it defines the global functions we
     *    call below; a missing file gives CORO_ERRFILE. */
    status = coro_dofile(vm, script);
    if (status != CORO_OK) {
        report(vm, script, status);
        coro_free(vm);
        return 1;
    }

    /* 4. Calling script functions: push the arguments, call, read the
     *    results from the top of the stack, pop them. */
    coro_pushstring(vm, "C");
    if ((status = call_global(vm, "greet", 1, 1)) == CORO_OK) {
        printf("greet: %s\n", coro_tostring(vm, -1));
        coro_pop(vm, 1);
    } else {
        report(vm, "greet", status);
    }

    coro_pushinteger(vm, 3);
    coro_pushinteger(vm, 4);
    coro_pushinteger(vm, 9);
    if ((status = call_global(vm, "stats", 3, 3)) == CORO_OK) {
        /* Three results: the first is deepest. */
        printf("stats: n=%lld sum=%lld mean=%g\n", (long long)coro_tointeger(vm, -3),
               (long long)coro_tointeger(vm, -2), coro_tonumber(vm, -1));
        coro_pop(vm, 3);
    } else {
        report(vm, "stats", status);
    }

    /* 5. Values of every type.  CORO_MULTRET keeps every result; the
     *    stack top tells how many there are. */
    int base = coro_gettop(vm);
    coro_pushlightuserdata(vm, vm);
    if ((status = call_global(vm, "samples", 1, CORO_MULTRET)) == CORO_OK) {
        int n = coro_gettop(vm) - base;
        printf("samples returned %d values:\n", n);
        for (int i = 1; i <= n; i++) {
            printf("  %d. ", i);
            show(vm, base + i);
        }
        coro_settop(vm, base);
    } else {
        report(vm, "samples", status);
    }

    /* 6. A runtime error: the message says where, the traceback how we
     *    got there. */
    coro_pushstring(vm, "ten");
    status = call_global(vm, "double", 1, 1);
    if (status != CORO_OK)
        report(vm, "double('ten')", status);

    /* An error value need not be a string.  coro_pcall without a handler
     * leaves the value itself, to inspect as any other value. */
    coro_getglobal(vm, "fail_with_table");
    status = coro_pcall(vm, 0, 0, 0);
    if (status != CORO_OK && coro_type(vm, -1) == CORO_TTABLE) {
        coro_getfield(vm, -1, "code");
        coro_getfield(vm, -2, "reason");
        printf("fail_with_table: error code %lld (%s)\n", (long long)coro_tointeger(vm, -2),
               coro_tostring(vm, -1));
        coro_pop(vm, 3);
    }

    /* The stack is back where it started: nothing leaked onto it. */
    printf("stack top at the end: %d\n", coro_gettop(vm));

    /* 7. Free the VM and everything in it. */
    coro_free(vm);
    return 0;
}
