/*
 * lib_string.c: the string library (Lua 5.4's), its registration, and the
 * metatable every string shares.
 *
 * The metatable does two jobs.  Its __index is the string table, so
 * ("x"):rep(3) finds string.rep.  Its arithmetic events are how "10" + 1
 * works: as in Lua 5.4 the VM itself never converts strings for
 * arithmetic, it only finds these metamethods, which convert both
 * operands with the numeral rules and redo the operation.  Keeping the
 * coercion here keeps the dispatch loop free of it, and a program that
 * replaces the metatable can switch it off.
 *
 * Pattern matching, string.format and pack/unpack live in their own files
 * (lib_string_pattern.c, lib_string_format.c, lib_string_pack.c).
 */
#include <ctype.h>
#include <limits.h>
#include <string.h>

#include "coro.h"
#include "lib_string.h"

static int str_len(coro_VM *vm)
{
    size_t len;
    coro_checklstring(vm, 1, &len);
    coro_pushinteger(vm, (coro_Integer)len);
    return 1;
}

static int str_sub(coro_VM *vm)
{
    size_t len;
    const char *s = coro_checklstring(vm, 1, &len);
    size_t first = strlib_start_pos(coro_checkinteger(vm, 2), len);
    size_t last = strlib_end_pos(coro_optinteger(vm, 3, -1), len);
    if (first > last)
        coro_pushstring(vm, "");
    else
        coro_pushlstring(vm, s + first - 1, last - first + 1);
    return 1;
}

static int str_reverse(coro_VM *vm)
{
    size_t len;
    const char *s = coro_checklstring(vm, 1, &len);
    coro_Buffer b;
    char *out = coro_buffinitsize(vm, &b, len);
    for (size_t i = 0; i < len; i++)
        out[i] = s[len - 1 - i];
    coro_pushresultsize(&b, len);
    return 1;
}

/* Maps every byte through toupper or tolower (the C locale's tables, as
 * Lua does). */
static int map_bytes(coro_VM *vm, int (*map)(int))
{
    size_t len;
    const char *s = coro_checklstring(vm, 1, &len);
    coro_Buffer b;
    char *out = coro_buffinitsize(vm, &b, len);
    for (size_t i = 0; i < len; i++)
        out[i] = (char)map((unsigned char)s[i]);
    coro_pushresultsize(&b, len);
    return 1;
}

static int str_lower(coro_VM *vm)
{
    return map_bytes(vm, tolower);
}

static int str_upper(coro_VM *vm)
{
    return map_bytes(vm, toupper);
}

static int str_rep(coro_VM *vm)
{
    size_t len, seplen;
    const char *s = coro_checklstring(vm, 1, &len);
    coro_Integer n = coro_checkinteger(vm, 2);
    const char *sep = coro_optlstring(vm, 3, "", &seplen);
    if (n <= 0) {
        coro_pushstring(vm, "");
        return 1;
    }
    /* Each copy but the last is followed by a separator: n * (len +
     * seplen) bounds the total, and checking it by division cannot
     * overflow. */
    if (len + seplen < len || len + seplen > STRLIB_MAX_SIZE / (coro_Unsigned)n)
        coro_errorf(vm, "resulting string too large");
    if (len + seplen == 0) {
        coro_pushstring(vm, "");
        return 1;
    }
    size_t total = (size_t)n * len + (size_t)(n - 1) * seplen;
    coro_Buffer b;
    char *out = coro_buffinitsize(vm, &b, total);
    for (coro_Integer i = 0; i < n; i++) {
        memcpy(out, s, len);
        out += len;
        if (seplen > 0 && i + 1 < n) {
            memcpy(out, sep, seplen);
            out += seplen;
        }
    }
    coro_pushresultsize(&b, total);
    return 1;
}

static int str_byte(coro_VM *vm)
{
    size_t len;
    const char *s = coro_checklstring(vm, 1, &len);
    coro_Integer i = coro_optinteger(vm, 2, 1);
    /* j defaults to i as given, not as adjusted: s:byte(0) is empty. */
    size_t last = strlib_end_pos(coro_optinteger(vm, 3, i), len);
    size_t first = strlib_start_pos(i, len);
    if (first > last)
        return 0;
    if (last - first >= (size_t)INT_MAX)
        coro_errorf(vm, "string slice too long");
    int n = (int)(last - first) + 1;
    coro_checkstack_msg(vm, n, "string slice too long");
    for (int k = 0; k < n; k++)
        coro_pushinteger(vm, (unsigned char)s[first - 1 + (size_t)k]);
    return n;
}

static int str_char(coro_VM *vm)
{
    int n = coro_gettop(vm);
    coro_Buffer b;
    char *out = coro_buffinitsize(vm, &b, (size_t)n);
    for (int i = 1; i <= n; i++) {
        coro_Integer c = coro_checkinteger(vm, i);
        coro_argcheck(vm, (coro_Unsigned)c <= UCHAR_MAX, i, "value out of range");
        out[i - 1] = (char)(unsigned char)c;
    }
    coro_pushresultsize(&b, (size_t)n);
    return 1;
}

/* Coro has no binary chunks, so no function can be dumped; the argument
 * is still checked first, as Lua does. */
static int str_dump(coro_VM *vm)
{
    coro_checktype(vm, 1, CORO_TFUNCTION);
    coro_errorf(vm, "unable to dump given function");
}

/* ---- arithmetic on strings ------------------------------------------------------- */

/* Pushes the operand at idx as a number if it is one or is a string that
 * is a whole numeral; returns 0 (pushing nothing) otherwise. */
static int push_as_number(coro_VM *vm, int idx)
{
    if (coro_type(vm, idx) == CORO_TNUMBER) {
        coro_pushvalue(vm, idx);
        return 1;
    }
    if (coro_type(vm, idx) != CORO_TSTRING)
        return 0;
    size_t len;
    const char *s = coro_tolstring(vm, idx, &len);
    size_t used = coro_stringtonumber(vm, s);
    if (used == len + 1)
        return 1;
    /* An embedded zero ends the numeral early: not a numeral after all. */
    if (used != 0)
        coro_pop(vm, 1);
    return 0;
}

static int arith_fallback_done(coro_VM *vm, int status, coro_KContext ctx)
{
    (void)vm;
    (void)status;
    (void)ctx;
    return 1;
}

/* Neither operand converts: give the other operand's own metamethod for
 * the event a chance (so a string plus an object with __add still works),
 * or fail naming the event and both types.  The metamethod is called with
 * a continuation, so it may yield as metamethods called by the VM can. */
static int arith_fallback(coro_VM *vm, const char *event)
{
    coro_settop(vm, 2);
    if (coro_type(vm, 2) == CORO_TSTRING || coro_getmetafield(vm, 2, event) == CORO_TNIL)
        coro_errorf(vm, "attempt to %s a '%s' with a '%s'", event + 2,
                    coro_typename(vm, coro_type(vm, 1)), coro_typename(vm, coro_type(vm, 2)));
    coro_insert(vm, -3);
    return coro_callk(vm, 2, 1, 0, arith_fallback_done);
}

static int string_arith(coro_VM *vm, int op, const char *event)
{
    if (push_as_number(vm, 1) && push_as_number(vm, 2)) {
        coro_arith(vm, op);
        return 1;
    }
    return arith_fallback(vm, event);
}

static int arith_add(coro_VM *vm) { return string_arith(vm, CORO_OPADD, "__add"); }
static int arith_sub(coro_VM *vm) { return string_arith(vm, CORO_OPSUB, "__sub"); }
static int arith_mul(coro_VM *vm) { return string_arith(vm, CORO_OPMUL, "__mul"); }
static int arith_mod(coro_VM *vm) { return string_arith(vm, CORO_OPMOD, "__mod"); }
static int arith_pow(coro_VM *vm) { return string_arith(vm, CORO_OPPOW, "__pow"); }
static int arith_div(coro_VM *vm) { return string_arith(vm, CORO_OPDIV, "__div"); }
static int arith_idiv(coro_VM *vm) { return string_arith(vm, CORO_OPIDIV, "__idiv"); }
/* __unm gets its operand twice; the arithmetic uses the copy on top. */
static int arith_unm(coro_VM *vm) { return string_arith(vm, CORO_OPUNM, "__unm"); }

static const coro_Reg string_meta_funcs[] = {
    {"__add", arith_add},
    {"__sub", arith_sub},
    {"__mul", arith_mul},
    {"__mod", arith_mod},
    {"__pow", arith_pow},
    {"__div", arith_div},
    {"__idiv", arith_idiv},
    {"__unm", arith_unm},
    {NULL, NULL},
};

/* ---- registration ------------------------------------------------------------------ */

static const coro_Reg string_funcs[] = {
    {"byte", str_byte},
    {"char", str_char},
    {"dump", str_dump},
    {"find", coro_strlib_find},
    {"format", coro_strlib_format},
    {"gmatch", coro_strlib_gmatch},
    {"gsub", coro_strlib_gsub},
    {"len", str_len},
    {"lower", str_lower},
    {"match", coro_strlib_match},
    {"rep", str_rep},
    {"reverse", str_reverse},
    {"sub", str_sub},
    {"upper", str_upper},
    {"pack", coro_strlib_pack},
    {"packsize", coro_strlib_packsize},
    {"unpack", coro_strlib_unpack},
    {NULL, NULL},
};

/* Expects the string table on top; leaves it there. */
static void set_string_metatable(coro_VM *vm)
{
    coro_newtable(vm);
    coro_setfuncs(vm, string_meta_funcs, 0);
    coro_pushvalue(vm, -2);
    coro_setfield(vm, -2, "__index");
    coro_pushstring(vm, "");
    coro_pushvalue(vm, -2);
    coro_setmetatable(vm, -2);   /* for every string, not just this one */
    coro_pop(vm, 2);
}

static int open_string(coro_VM *vm)
{
    coro_newlib(vm, string_funcs);
    set_string_metatable(vm);
    return 1;
}

void coro_open_string(coro_VM *vm)
{
    coro_requiref(vm, "string", open_string, 1);
    coro_pop(vm, 1);
}
