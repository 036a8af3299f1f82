/*
 * lib_base.c: the base library (print, pairs, pcall, ...) and the loaders
 * (load, loadfile, dofile), which a sandbox can leave out.
 *
 * pcall and xpcall are written with continuations: they ask the VM to call
 * the function in protected mode and return, so a coroutine can yield
 * while inside them.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "coro.h"
#include "stdlib_internal.h"

static int base_print(coro_VM *vm)
{
    int n = coro_gettop(vm);
    for (int i = 1; i <= n; i++) {
        size_t len;
        const char *s = coro_tolstring_meta(vm, i, &len);
        if (i > 1)
            fputc('\t', stdout);
        fwrite(s, 1, len, stdout);
        coro_pop(vm, 1);
    }
    fputc('\n', stdout);
    fflush(stdout);
    return 0;
}

static int base_type(coro_VM *vm)
{
    int t = coro_type(vm, 1);
    coro_argcheck(vm, t != CORO_TNONE, 1, "value expected");
    coro_pushstring(vm, coro_typename(vm, t));
    return 1;
}

static int base_tostring(coro_VM *vm)
{
    coro_checkany(vm, 1);
    coro_tolstring_meta(vm, 1, NULL);
    return 1;
}

/* Parses an integer numeral in base 2..36 (spaces around, optional '-'). */
static bool str_to_int_base(const char *s, size_t len, int base, coro_Integer *out)
{
    const char *p = s, *end = s + len;
    coro_Unsigned n = 0;
    bool neg = false, any = false;
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p < end && *p == '-') {
        p++;
        neg = true;
    } else if (p < end && *p == '+') {
        p++;
    }
    while (p < end && isalnum((unsigned char)*p)) {
        int c = (unsigned char)*p;
        int digit = isdigit(c) ? c - '0' : toupper(c) - 'A' + 10;
        if (digit >= base)
            return false;
        n = n * (coro_Unsigned)base + (coro_Unsigned)digit;
        any = true;
        p++;
    }
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (!any || p != end)
        return false;
    *out = (coro_Integer)(neg ? 0u - n : n);
    return true;
}

static int base_tonumber(coro_VM *vm)
{
    if (coro_isnoneornil(vm, 2)) {
        if (coro_type(vm, 1) == CORO_TNUMBER) {
            coro_settop(vm, 1);
            return 1;
        }
        size_t len;
        const char *s = coro_tolstring(vm, 1, &len);
        if (s && coro_type(vm, 1) == CORO_TSTRING && strlen(s) == len && coro_stringtonumber(vm, s) == len + 1)
            return 1;
        coro_checkany(vm, 1);
    } else {
        coro_Integer base = coro_checkinteger(vm, 2);
        coro_checktype(vm, 1, CORO_TSTRING);
        size_t len;
        const char *s = coro_tolstring(vm, 1, &len);
        coro_argcheck(vm, 2 <= base && base <= 36, 2, "base out of range");
        coro_Integer n;
        if (str_to_int_base(s, len, (int)base, &n)) {
            coro_pushinteger(vm, n);
            return 1;
        }
    }
    coro_pushnil(vm);
    return 1;
}

static int ipairs_step(coro_VM *vm)
{
    coro_Integer i = coro_checkinteger(vm, 2);
    i = (coro_Integer)((coro_Unsigned)i + 1);
    coro_pushinteger(vm, i);
    return coro_geti(vm, 1, i) == CORO_TNIL ? 1 : 2;
}

static int base_ipairs(coro_VM *vm)
{
    coro_checkany(vm, 1);
    coro_pushcfunction(vm, ipairs_step);
    coro_pushvalue(vm, 1);
    coro_pushinteger(vm, 0);
    return 3;
}

static int base_next(coro_VM *vm)
{
    coro_checktype(vm, 1, CORO_TTABLE);
    coro_settop(vm, 2);
    if (coro_next(vm, 1))
        return 2;
    coro_pushnil(vm);
    return 1;
}

static int pairs_k(coro_VM *vm, int status, coro_KContext ctx)
{
    (void)status;
    (void)ctx;
    return 3;
}

static int base_pairs(coro_VM *vm)
{
    coro_checkany(vm, 1);
    if (coro_getmetafield(vm, 1, "__pairs") == CORO_TNIL) {
        coro_pushcfunction(vm, base_next);
        coro_pushvalue(vm, 1);
        coro_pushnil(vm);
        return 3;
    }
    coro_pushvalue(vm, 1);
    return coro_callk(vm, 1, 3, 0, pairs_k);
}

static int base_select(coro_VM *vm)
{
    int n = coro_gettop(vm);
    if (coro_type(vm, 1) == CORO_TSTRING && *coro_tostring(vm, 1) == '#') {
        coro_pushinteger(vm, n - 1);
        return 1;
    }
    coro_Integer i = coro_checkinteger(vm, 1);
    if (i < 0)
        i = n + i;
    else if (i > n)
        i = n;
    coro_argcheck(vm, 1 <= i, 1, "index out of range");
    return n - (int)i;
}

static int base_rawget(coro_VM *vm)
{
    coro_checktype(vm, 1, CORO_TTABLE);
    coro_checkany(vm, 2);
    coro_settop(vm, 2);
    coro_rawget(vm, 1);
    return 1;
}

static int base_rawset(coro_VM *vm)
{
    coro_checktype(vm, 1, CORO_TTABLE);
    coro_checkany(vm, 2);
    coro_checkany(vm, 3);
    coro_settop(vm, 3);
    coro_rawset(vm, 1);
    return 1;
}

static int base_rawequal(coro_VM *vm)
{
    coro_checkany(vm, 1);
    coro_checkany(vm, 2);
    coro_pushboolean(vm, coro_rawequal(vm, 1, 2));
    return 1;
}

static int base_rawlen(coro_VM *vm)
{
    int t = coro_type(vm, 1);
    coro_argexpected(vm, t == CORO_TTABLE || t == CORO_TSTRING, 1, "table or string");
    coro_pushinteger(vm, (coro_Integer)coro_rawlen(vm, 1));
    return 1;
}

static int base_setmetatable(coro_VM *vm)
{
    int t = coro_type(vm, 2);
    coro_checktype(vm, 1, CORO_TTABLE);
    coro_argexpected(vm, t == CORO_TNIL || t == CORO_TTABLE, 2, "nil or table");
    if (coro_getmetafield(vm, 1, "__metatable") != CORO_TNIL)
        coro_errorf(vm, "cannot change a protected metatable");
    coro_settop(vm, 2);
    coro_setmetatable(vm, 1);
    return 1;
}

static int base_getmetatable(coro_VM *vm)
{
    coro_checkany(vm, 1);
    if (!coro_getmetatable(vm, 1)) {
        coro_pushnil(vm);
        return 1;
    }
    coro_getmetafield(vm, 1, "__metatable");
    return 1;
}

static int base_error(coro_VM *vm)
{
    coro_Integer level = coro_optinteger(vm, 2, 1);
    coro_settop(vm, 1);
    if (coro_type(vm, 1) == CORO_TSTRING && level > 0) {
        coro_where(vm, (int)level);
        coro_pushvalue(vm, 1);
        coro_concat(vm, 2);
    }
    return coro_error(vm);
}

static int base_assert(coro_VM *vm)
{
    if (coro_toboolean(vm, 1))
        return coro_gettop(vm);
    coro_checkany(vm, 1);
    coro_remove(vm, 1);
    coro_pushstring(vm, "assertion failed!");
    coro_settop(vm, 1);
    return base_error(vm);
}

/* pcall's continuation: (true, results...) or (false, error). */
static int pcall_k(coro_VM *vm, int status, coro_KContext extra)
{
    if (status != CORO_OK && status != CORO_YIELD) {
        coro_pushboolean(vm, 0);
        coro_pushvalue(vm, -2);
        return 2;
    }
    return coro_gettop(vm) - (int)extra;
}

static int base_pcall(coro_VM *vm)
{
    coro_checkany(vm, 1);
    coro_pushboolean(vm, 1);
    coro_insert(vm, 1);     /* the first result, under the call */
    return coro_pcallk(vm, coro_gettop(vm) - 2, CORO_MULTRET, 0, 0, pcall_k);
}

static int base_xpcall(coro_VM *vm)
{
    int n = coro_gettop(vm);
    coro_checktype(vm, 2, CORO_TFUNCTION);
    coro_pushboolean(vm, 1);
    coro_pushvalue(vm, 1);
    coro_rotate(vm, 3, 2);  /* [f, msgh, true, f, args...] */
    return coro_pcallk(vm, n - 2, CORO_MULTRET, 2, 2, pcall_k);
}

static int base_collectgarbage(coro_VM *vm)
{
    static const char *const opts[] = { "stop", "restart", "collect", "count", "step",
                                        "setpause", "setstepmul", "isrunning",
                                        "generational", "incremental", NULL };
    int o = coro_checkoption(vm, 1, "collect", opts);
    switch (o) {
    case 0: coro_gc(vm, CORO_GCSTOP, 0); coro_pushinteger(vm, 0); return 1;
    case 1: coro_gc(vm, CORO_GCRESTART, 0); coro_pushinteger(vm, 0); return 1;
    case 2: coro_gc(vm, CORO_GCCOLLECT, 0); coro_pushinteger(vm, 0); return 1;
    case 3: {
        int k = coro_gc(vm, CORO_GCCOUNT, 0);
        int b = coro_gc(vm, CORO_GCCOUNTB, 0);
        coro_pushnumber(vm, (coro_Number)k + ((coro_Number)b / 1024));
        return 1;
    }
    case 4:
        coro_pushboolean(vm, coro_gc(vm, CORO_GCSTEP, 0));
        return 1;
    case 5: case 6:
        /* Pause and step multiplier: accepted, previous value returned. */
        coro_pushinteger(vm, o == 5 ? 200 : 100);
        return 1;
    case 7:
        coro_pushboolean(vm, coro_gc(vm, CORO_GCISRUNNING, 0));
        return 1;
    default:
        coro_pushstring(vm, "incremental");
        return 1;
    }
}

/* ---- loaders ---------------------------------------------------------------- */

/* Sets the chunk's first upvalue (_ENV) to the value at index envidx. */
static void set_env(coro_VM *vm, int envidx)
{
    coro_pushvalue(vm, envidx);
    coro_stdlib_set_first_upvalue(vm, -2);
}

static int load_aux(coro_VM *vm, int status, int envidx)
{
    if (status == CORO_OK) {
        if (envidx != 0)
            set_env(vm, envidx);
        return 1;
    }
    coro_pushnil(vm);
    coro_insert(vm, -2);
    return 2;   /* nil, message */
}

static int base_load(coro_VM *vm)
{
    size_t len;
    const char *s = coro_tolstring(vm, 1, &len);
    const char *mode = coro_optstring(vm, 3, "bt");
    int env = !coro_isnone(vm, 4) ? 4 : 0;
    int status;
    if (s && coro_type(vm, 1) == CORO_TSTRING) {
        const char *chunkname = coro_optstring(vm, 2, s);
        status = coro_load(vm, s, len, chunkname, mode);
    } else {
        /* A reader function: call it until it returns nil or "". */
        const char *chunkname = coro_optstring(vm, 2, "=(load)");
        coro_checktype(vm, 1, CORO_TFUNCTION);
        coro_Buffer b;
        coro_buffinit(vm, &b);
        int buf_index = coro_gettop(vm);
        for (;;) {
            coro_pushvalue(vm, 1);
            /* Lua's load runs the reader protected: its error is returned. */
            if (coro_pcall(vm, 0, 1, 0) != CORO_OK) {
                coro_insert(vm, buf_index);
                coro_settop(vm, buf_index);
                coro_pushnil(vm);
                coro_insert(vm, -2);
                return 2;
            }
            if (coro_isnil(vm, -1)) {
                coro_pop(vm, 1);
                break;
            }
            if (coro_type(vm, -1) != CORO_TSTRING) {
                coro_settop(vm, buf_index - 1);
                coro_pushnil(vm);
                coro_pushstring(vm, "reader function must return a string");
                return 2;
            }
            size_t l;
            coro_tolstring(vm, -1, &l);
            if (l == 0) {
                coro_pop(vm, 1);
                break;
            }
            coro_addvalue(&b);
        }
        coro_pushresult(&b);
        const char *src = coro_tolstring(vm, -1, &len);
        status = coro_load(vm, src, len, chunkname, mode);
        coro_remove(vm, -2);
    }
    return load_aux(vm, status, env);
}

static int base_loadfile(coro_VM *vm)
{
    const char *fname = coro_optstring(vm, 1, NULL);
    const char *mode = coro_optstring(vm, 2, NULL);
    int env = !coro_isnone(vm, 3) ? 3 : 0;
    (void)mode;
    int status = coro_loadfile(vm, fname);
    return load_aux(vm, status, env);
}

static int dofile_k(coro_VM *vm, int status, coro_KContext ctx)
{
    (void)status;
    (void)ctx;
    return coro_gettop(vm) - 1;
}

static int base_dofile(coro_VM *vm)
{
    const char *fname = coro_optstring(vm, 1, NULL);
    coro_settop(vm, 1);
    if (coro_loadfile(vm, fname) != CORO_OK)
        return coro_error(vm);
    return coro_callk(vm, 0, CORO_MULTRET, 0, dofile_k);
}

static const coro_Reg base_funcs[] = {
    { "assert", base_assert },
    { "collectgarbage", base_collectgarbage },
    { "error", base_error },
    { "getmetatable", base_getmetatable },
    { "ipairs", base_ipairs },
    { "next", base_next },
    { "pairs", base_pairs },
    { "pcall", base_pcall },
    { "print", base_print },
    { "rawequal", base_rawequal },
    { "rawget", base_rawget },
    { "rawlen", base_rawlen },
    { "rawset", base_rawset },
    { "select", base_select },
    { "setmetatable", base_setmetatable },
    { "tonumber", base_tonumber },
    { "tostring", base_tostring },
    { "type", base_type },
    { "xpcall", base_xpcall },
    { NULL, NULL }
};

static const coro_Reg load_funcs[] = {
    { "dofile", base_dofile },
    { "load", base_load },
    { "loadfile", base_loadfile },
    { NULL, NULL }
};

/* warn(msg1, ...): Lua 5.4's warnings.  Off until warn("@on") (or the
 * command's -W); then each message goes to standard error as one line.
 * The on/off state is the closure's upvalue, so each VM has its own. */
static int base_warn(coro_VM *vm)
{
    int n = coro_gettop(vm);
    coro_checkstring(vm, 1);
    for (int i = 2; i <= n; i++)
        coro_checkstring(vm, i);
    const char *first = coro_tostring(vm, 1);
    if (n == 1 && first[0] == '@') {
        /* A control message; unknown ones are ignored, as in Lua. */
        if (strcmp(first, "@on") == 0 || strcmp(first, "@off") == 0) {
            coro_pushboolean(vm, first[2] == 'n');
            coro_replace(vm, coro_upvalueindex(1));
        }
        return 0;
    }
    if (!coro_toboolean(vm, coro_upvalueindex(1)))
        return 0;
    fputs("coro warning: ", stderr);
    for (int i = 1; i <= n; i++) {
        size_t len;
        const char *piece = coro_tolstring(vm, i, &len);
        fwrite(piece, 1, len, stderr);
    }
    fputc('\n', stderr);
    fflush(stderr);
    return 0;
}

static int open_base(coro_VM *vm)
{
    coro_pushglobaltable(vm);
    coro_setfuncs(vm, base_funcs, 0);
    coro_pushboolean(vm, 0);
    coro_pushcclosure(vm, base_warn, 1);
    coro_setfield(vm, -2, "warn");
    coro_pushvalue(vm, -1);
    coro_setfield(vm, -2, "_G");
    coro_pushstring(vm, "Lua 5.4");
    coro_setfield(vm, -2, "_VERSION");
    return 1;
}

void coro_open_base(coro_VM *vm)
{
    coro_requiref(vm, "_G", open_base, 0);
    coro_pop(vm, 1);
}

void coro_open_load(coro_VM *vm)
{
    coro_pushglobaltable(vm);
    coro_setfuncs(vm, load_funcs, 0);
    coro_pop(vm, 1);
}
