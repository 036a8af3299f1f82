/*
 * fuzz_strlib.c: libFuzzer harness (3), string patterns and
 * string.format with fuzzed arguments, called through the C API.
 *
 * The input is text, so seeds are easy to write by hand:
 *
 *   line 1     an operation letter, then up to two integers:
 *              f find (init, plain)   m match (init)   g gmatch (init)
 *              s gsub, string replacement (max n)   t gsub, table
 *              c gsub, function   F format
 *   patterns   line 2 the pattern; for s, line 3 the replacement; the
 *              rest of the input is the subject
 *   format     line 2 the format; each further line an argument, by its
 *              first character: i integer, f float (strtod: inf, nan,
 *              hex), s string (the rest of the line), b true, n nil,
 *              t a table whose __tostring returns the rest of the line,
 *              T a plain table
 *
 * A call may fail with a clean error; it may not crash, leak, or run
 * unbounded: the VM has a 16 MiB memory limit and the sandbox's
 * instruction budget, which the pattern matcher's steps count toward.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coro.h"
#include "sandbox.h"

#define MEMORY_LIMIT (16u << 20)
#define BUDGET 300          /* hook firings, as in fuzz_run.c */
#define GMATCH_MAX 1000

typedef struct Cursor {
    const char *p, *end;
} Cursor;

/* The next line without its newline (the rest, at the end). */
static size_t next_line(Cursor *c, const char **line)
{
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    const char *stop = nl ? nl : c->end;
    *line = c->p;
    size_t len = (size_t)(stop - c->p);
    c->p = nl ? nl + 1 : c->end;
    return len;
}

static int tostring_field(coro_VM *vm)
{
    coro_getfield(vm, 1, "text");
    return 1;
}

static void push_arg(coro_VM *vm, const char *s, size_t len)
{
    char buf[64];
    size_t n = len - 1 < sizeof buf - 1 ? len - 1 : sizeof buf - 1;
    memcpy(buf, s + 1, n);
    buf[n] = '\0';
    switch (s[0]) {
    case 'i': coro_pushinteger(vm, strtoll(buf, NULL, 0)); break;
    case 'f': coro_pushnumber(vm, strtod(buf, NULL)); break;
    case 's': coro_pushlstring(vm, s + 1, len - 1); break;
    case 'b': coro_pushboolean(vm, 1); break;
    case 't':
        coro_newtable(vm);
        coro_pushlstring(vm, s + 1, len - 1);
        coro_setfield(vm, -2, "text");
        coro_newtable(vm);
        coro_pushcfunction(vm, tostring_field);
        coro_setfield(vm, -2, "__tostring");
        coro_setmetatable(vm, -2);
        break;
    case 'T': coro_newtable(vm); break;
    default: coro_pushnil(vm); break;
    }
}

static void push_replacement_table(coro_VM *vm)
{
    coro_newtable(vm);
    coro_pushstring(vm, "A");
    coro_setfield(vm, -2, "a");
    coro_pushboolean(vm, 0);
    coro_setfield(vm, -2, "b");
    coro_pushinteger(vm, 7);
    coro_setfield(vm, -2, "1");
    coro_newtable(vm);
    coro_setfield(vm, -2, "t");     /* an invalid replacement value */
}

/* Runs in protected mode: argument 1 is the Cursor. */
static int run_input(coro_VM *vm)
{
    Cursor *c = coro_touserdata(vm, 1);
    const char *line;
    size_t len = next_line(c, &line);
    if (len == 0)
        return 0;
    char head[64];
    size_t n = len < sizeof head - 1 ? len : sizeof head - 1;
    memcpy(head, line, n);
    head[n] = '\0';
    char op = head[0];
    long long a = 0, b = 0;
    int nums = sscanf(head + 1, "%lld %lld", &a, &b);

    coro_getglobal(vm, "string");
    if (op == 'F') {
        coro_getfield(vm, -1, "format");
        len = next_line(c, &line);
        coro_pushlstring(vm, line, len);
        int nargs = 1;
        while (c->p < c->end && nargs < 40) {
            len = next_line(c, &line);
            if (len > 0) {
                push_arg(vm, line, len);
                nargs++;
            }
        }
        coro_call(vm, nargs, 1);
        return 0;
    }
    static const char *const ops = "fmgstc";
    if (!strchr(ops, op))
        return 0;
    const char *fn = op == 'f' ? "find" : op == 'm' ? "match" : op == 'g' ? "gmatch" : "gsub";
    coro_getfield(vm, -1, fn);
    const char *pat;
    size_t patlen = next_line(c, &pat);
    const char *repl = NULL;
    size_t repllen = 0;
    if (op == 's')
        repllen = next_line(c, &repl);
    coro_pushlstring(vm, c->p, (size_t)(c->end - c->p));     /* subject */
    coro_pushlstring(vm, pat, patlen);
    int nargs = 2;
    switch (op) {
    case 'f':
        coro_pushinteger(vm, nums >= 1 ? a : 1);
        coro_pushboolean(vm, nums >= 2 && b);
        nargs += 2;
        break;
    case 'm':
    case 'g':
        if (nums >= 1) {
            coro_pushinteger(vm, a);
            nargs++;
        }
        break;
    case 's':
        coro_pushlstring(vm, repl, repllen);
        nargs++;
        break;
    case 't':
        push_replacement_table(vm);
        nargs++;
        break;
    case 'c':
        if (coro_loadstring(vm, "return function(a, b) if b then return b .. a end return nil end") != CORO_OK)
            return coro_error(vm);
        coro_call(vm, 0, 1);
        nargs++;
        break;
    }
    if (op != 'f' && op != 'm' && op != 'g' && nums >= 1) {
        coro_pushinteger(vm, a);
        nargs++;
    }
    if (op != 'g') {
        coro_call(vm, nargs, CORO_MULTRET);
        return 0;
    }
    coro_call(vm, nargs, 1);
    for (int i = 0; i < GMATCH_MAX; i++) {
        coro_pushvalue(vm, -1);
        coro_call(vm, 0, 1);
        int done = coro_isnil(vm, -1);
        coro_pop(vm, 1);
        if (done)
            break;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    coro_Config cfg;
    coro_config_init(&cfg);
    cfg.memory_limit = MEMORY_LIMIT;
    coro_VM *vm = coro_new(&cfg);
    if (!vm || coro_open_lib(vm, "base") != CORO_OK || coro_open_lib(vm, "string") != CORO_OK)
        abort();
    FuzzSandbox sb = { BUDGET, 0 };
    coro_set_userdata(vm, &sb);
    fuzz_sandbox_rearm(vm, &sb);
    Cursor c = { (const char *)data, (const char *)data + size };
    coro_pushcfunction(vm, run_input);
    coro_pushlightuserdata(vm, &c);
    int status = coro_pcall(vm, 1, 0, 0);
    if (status != CORO_OK && status != CORO_ERRRUN && status != CORO_ERRMEM)
        abort();
    if (status != CORO_OK && coro_type(vm, -1) != CORO_TSTRING)
        abort();            /* library errors are messages */
    coro_free(vm);
    return 0;
}
