/*
 * run.c: loading files and running chunks with a traceback (the
 * convenience layer of the API used by the `coro` command and hosts).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "coro.h"
#include "api.h"
#include "call.h"
#include "debug.h"
#include "mem.h"
#include "state.h"

/* Reads the file named by argument 1 (or stdin) and loads it; runs in
 * protected mode, so reading and compiling may raise. */
static int load_file(coro_VM *vm)
{
    const char *filename = coro_touserdata(vm, 1);
    FILE *f = filename ? fopen(filename, "rb") : stdin;
    if (!f) {
        coro_pushfstring(vm, "cannot open %s: %s", filename, strerror(errno));
        coro_pushinteger(vm, CORO_ERRFILE);
        return 2;
    }
    coro_Buffer b;
    coro_buffinit(vm, &b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        /* An error in addlstring must not leak the FILE: check first. */
        if (!coro_checkstack(vm, 4))
            break;
        coro_addlstring(&b, chunk, n);
    }
    int read_error = ferror(f);
    if (f != stdin)
        fclose(f);
    if (read_error) {
        coro_pushfstring(vm, "cannot read %s", filename ? filename : "stdin");
        coro_pushinteger(vm, CORO_ERRFILE);
        return 2;
    }
    coro_pushresult(&b);
    size_t len;
    const char *src = coro_tolstring(vm, -1, &len);
    /* A byte order mark and a first line starting with '#' (a "#!" line)
     * are skipped, keeping the newline so line numbers stay right. */
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) {
        src += 3;
        len -= 3;
    }
    if (len > 0 && src[0] == '#') {
        while (len > 0 && src[0] != '\n') {
            src++;
            len--;
        }
    }
    if (filename)
        coro_pushfstring(vm, "@%s", filename);
    else
        coro_pushstring(vm, "=stdin");
    int status = coro_load(vm, src, len, coro_tostring(vm, -1), "bt");
    coro_pushinteger(vm, status);
    return 2;
}

int coro_loadfile(coro_VM *vm, const char *filename)
{
    coro_pushcfunction(vm, load_file);
    coro_pushlightuserdata(vm, (void *)filename);
    int status = coro_pcall(vm, 1, 2, 0);
    if (status != CORO_OK)
        return status;  /* the error (no memory) is on top */
    status = (int)coro_tointeger(vm, -1);
    coro_pop(vm, 1);
    return status;
}

/* Converts the error value (argument 1) to a message, as the standalone
 * interpreter shows it. */
static int error_message(coro_VM *vm)
{
    int t = coro_type(vm, 1);
    if (t == CORO_TSTRING)
        return 1;
    if (coro_callmeta(vm, 1, "__tostring") && coro_type(vm, -1) == CORO_TSTRING)
        return 1;
    coro_pushfstring(vm, "(error object is a %s value)", coro_typename(vm, t));
    return 1;
}

/* message .. "\n" .. traceback of the error in flight (protected). */
static int format_error(coro_VM *vm)
{
    TraceEntry saved[TRACE_HEAD + TRACE_TAIL];
    int count = vm->trace_count;
    Value carry = vm->trace_carry;
    memcpy(saved, vm->trace, sizeof saved);
    /* Kept on the stack below the message (format_error returns the top). */
    coro_trace_anchor(vm, saved, count, &carry);
    /* __tostring runs script code, which may raise and reset the trace. */
    coro_pushcfunction(vm, error_message);
    coro_pushvalue(vm, 1);
    if (coro_pcall(vm, 1, 1, 0) != CORO_OK || coro_type(vm, -1) != CORO_TSTRING) {
        coro_pop(vm, 1);
        coro_pushstring(vm, "(error object cannot be converted to a string)");
    }
    memcpy(vm->trace, saved, sizeof saved);
    vm->trace_count = count;
    vm->trace_carry = carry;
    coro_pushstring(vm, "\n");
    coro_trace_push(vm);
    coro_pushstring(vm, "\n\t[C]: in ?");
    coro_concat(vm, 4);
    return 1;
}

/* Turns the error on top into "message\nstack traceback:...".  If that
 * fails (no memory), the failure's own message takes its place. */
static void add_traceback(coro_VM *vm)
{
    coro_pushcfunction(vm, format_error);
    coro_insert(vm, -2);
    coro_pcall(vm, 1, 1, 0);
}

int coro_pcall_traceback(coro_VM *vm, int nargs, int nresults)
{
    int status = coro_pcall(vm, nargs, nresults, 0);
    if (status != CORO_OK)
        add_traceback(vm);
    return status;
}

static int run_loaded(coro_VM *vm, int status)
{
    if (status == CORO_OK)
        status = coro_pcall_traceback(vm, 0, CORO_MULTRET);
    return status;
}

int coro_dostring(coro_VM *vm, const char *s)
{
    return run_loaded(vm, coro_loadstring(vm, s));
}

int coro_dofile(coro_VM *vm, const char *filename)
{
    return run_loaded(vm, coro_loadfile(vm, filename));
}

void coro_traceback(coro_VM *vm, const char *msg, int level)
{
    if (msg) {
        coro_pushstring(vm, msg);
        coro_pushstring(vm, "\n");
    }
    coro_debug_push_live_traceback(vm, level);
    if (msg)
        coro_concat(vm, 3);
}
