/*
 * test_api_libs.c: the public API, part 6: opening the libraries one by
 * one (a sandbox gets only some), the openers called directly, and the
 * remaining helpers (coro_pushvfstring, coro_checkstring, coro_argcheck,
 * coro_argexpected, coro_yield).
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "coro.h"

/* The header declares openers for libraries this build may not contain
 * yet.  Weak references let the test link either way and check the ones
 * that are there (a missing one is NULL). */
#pragma weak coro_open_string
#pragma weak coro_open_table
#pragma weak coro_open_math
#pragma weak coro_open_utf8
#pragma weak coro_open_socket

#include "api_fixture.h"

TestSuite(api_libs, .init = setup_bare, .fini = teardown);
TestSuite(api_helpers, .init = setup, .fini = teardown);

/* The type of global `name` (looked up with no metamethods involved). */
static int global_type(const char *name)
{
    coro_pushglobaltable(vm);
    coro_pushstring(vm, name);
    int t = coro_rawget(vm, -2);
    coro_pop(vm, 2);
    return t;
}

/* ---- opening libraries ---------------------------------------------------- */

Test(api_libs, a_new_vm_has_no_libraries)
{
    cr_assert_eq(global_type("print"), CORO_TNIL);
    cr_assert_eq(global_type("coroutine"), CORO_TNIL);
    cr_assert_eq(global_type("sched"), CORO_TNIL);
    /* But the language works. */
    cr_assert_eq(coro_dostring(vm, "local t = {} t[1] = 2 return t[1] * 21"), CORO_OK);
    cr_assert_eq(coro_tointeger(vm, -1), 42);
}

Test(api_libs, one_by_one)
{
    cr_assert_eq(coro_open_lib(vm, "base"), CORO_OK);
    cr_assert_eq(global_type("print"), CORO_TFUNCTION);
    cr_assert_eq(global_type("pcall"), CORO_TFUNCTION);
    cr_assert_eq(global_type("_G"), CORO_TTABLE);
    /* base leaves out everything that compiles or reads code. */
    cr_assert_eq(global_type("load"), CORO_TNIL);
    cr_assert_eq(global_type("loadfile"), CORO_TNIL);
    cr_assert_eq(global_type("dofile"), CORO_TNIL);
    cr_assert_eq(global_type("require"), CORO_TNIL);
    cr_assert_eq(global_type("io"), CORO_TNIL);
    cr_assert_eq(global_type("os"), CORO_TNIL);

    cr_assert_eq(coro_open_lib(vm, "load"), CORO_OK);
    cr_assert_eq(global_type("load"), CORO_TFUNCTION);
    cr_assert_eq(global_type("dofile"), CORO_TFUNCTION);
    cr_assert_eq(coro_open_lib(vm, "coroutine"), CORO_OK);
    cr_assert_eq(global_type("coroutine"), CORO_TTABLE);
    cr_assert_eq(coro_open_lib(vm, "sched"), CORO_OK);
    cr_assert_eq(global_type("sched"), CORO_TTABLE);
    cr_assert_eq(coro_open_lib(vm, "package"), CORO_OK);
    cr_assert_eq(global_type("require"), CORO_TFUNCTION);
    cr_assert_eq(global_type("package"), CORO_TTABLE);
    cr_assert_eq(coro_open_lib(vm, "io"), CORO_OK);
    cr_assert_eq(global_type("io"), CORO_TTABLE);
    cr_assert_eq(coro_open_lib(vm, "os"), CORO_OK);
    cr_assert_eq(global_type("os"), CORO_TTABLE);
    cr_assert_eq(coro_gettop(vm), 0, "nothing left on the stack");
    /* Opening twice is harmless. */
    cr_assert_eq(coro_open_lib(vm, "base"), CORO_OK);
    cr_assert_eq(coro_dostring(vm, "return require('sched') == sched and require('coroutine') == coroutine"),
                 CORO_OK, "%s", errmsg());
    cr_assert_eq(coro_toboolean(vm, -1), 1);
}

Test(api_libs, unknown_names)
{
    cr_assert_eq(coro_open_lib(vm, "nonsense"), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "no library named 'nonsense'");
    cr_assert_eq(coro_gettop(vm), 1);
    coro_settop(vm, 0);
    /* The VM is fine afterwards. */
    cr_assert_eq(coro_open_lib(vm, "base"), CORO_OK);
}

Test(api_libs, every_name_the_header_lists)
{
    /* Each opens, or (libraries not in this build yet) fails cleanly with
     * "no library named". */
    static const char *const names[] = { "base", "load", "package", "coroutine", "string",
                                         "table", "math", "utf8", "io", "os", "sched",
                                         "socket", NULL };
    for (int i = 0; names[i]; i++) {
        int status = coro_open_lib(vm, names[i]);
        if (status != CORO_OK) {
            cr_assert_eq(status, CORO_ERRRUN, "%s: status %d", names[i], status);
            cr_assert(strstr(errmsg(), "no library named"), "%s: %s", names[i], errmsg());
            cr_log_info("library '%s' is not in this build", names[i]);
            coro_pop(vm, 1);
        } else {
            cr_assert_neq(global_type(names[i][0] == 'b' || names[i][0] == 'l' ? "print" : names[i]),
                          CORO_TNIL, "%s opened nothing", names[i]);
        }
    }
    cr_assert_eq(coro_gettop(vm), 0);
}

Test(api_libs, open_libs_is_everything_built)
{
    cr_assert_eq(coro_open_libs(vm), CORO_OK);
    const char *names[] = { "print", "load", "require", "coroutine", "sched", "io", "os", NULL };
    for (int i = 0; names[i]; i++)
        cr_assert_neq(global_type(names[i]), CORO_TNIL, "%s", names[i]);
}

/* The openers themselves raise on failure, so a host calls them from a
 * protected C function. */
static int open_directly(coro_VM *v)
{
    coro_open_base(v);
    coro_open_load(v);
    coro_open_package(v);
    coro_open_coroutine(v);
    coro_open_io(v);
    coro_open_os(v);
    coro_open_sched(v);
    void (*const maybe[])(coro_VM *) = { coro_open_string, coro_open_table, coro_open_math,
                                         coro_open_utf8, coro_open_socket };
    for (size_t i = 0; i < sizeof maybe / sizeof maybe[0]; i++)
        if (maybe[i])
            maybe[i](v);
    return 0;
}

Test(api_libs, openers_called_directly)
{
    coro_pushcfunction(vm, open_directly);
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_OK, "%s", errmsg());
    cr_assert_eq(coro_gettop(vm), 0, "each opener leaves the stack as it found it");
    const char *names[] = { "print", "load", "require", "coroutine", "io", "os", "sched", NULL };
    for (int i = 0; names[i]; i++)
        cr_assert_neq(global_type(names[i]), CORO_TNIL, "%s", names[i]);
    if (coro_open_string)
        cr_assert_eq(global_type("string"), CORO_TTABLE);
    if (coro_open_table)
        cr_assert_eq(global_type("table"), CORO_TTABLE);
    if (coro_open_math)
        cr_assert_eq(global_type("math"), CORO_TTABLE);
    if (coro_open_utf8)
        cr_assert_eq(global_type("utf8"), CORO_TTABLE);
    if (coro_open_socket)
        cr_assert_eq(global_type("socket"), CORO_TTABLE);
}

/* ---- the remaining helpers ------------------------------------------------- */

static const char *push_formatted(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *s = coro_pushvfstring(vm, fmt, ap);
    va_end(ap);
    return s;
}

Test(api_helpers, pushvfstring)
{
    const char *s = push_formatted("%s=%d (%I) %f%%", "x", 42, (coro_Integer)-7, 0.25);
    cr_assert_str_eq(s, "x=42 (-7) 0.25%");
    cr_assert_str_eq(coro_tostring(vm, -1), s, "the pushed string is returned");
}

static int uses_checkstring(coro_VM *v)
{
    const char *s = coro_checkstring(v, 1);
    coro_pushinteger(v, (coro_Integer)strlen(s));
    return 1;
}

static int uses_argcheck(coro_VM *v)
{
    coro_Integer n = coro_checkinteger(v, 1);
    coro_argcheck(v, n > 0, 1, "must be positive");
    coro_argexpected(v, coro_type(v, 2) == CORO_TTABLE || coro_isnone(v, 2), 2, "table or nothing");
    coro_pushinteger(v, n);
    return 1;
}

static int call_with(coro_CFunction fn, const char *args)
{
    char code[128];
    coro_pushcfunction(vm, fn);
    coro_setglobal(vm, "fn");
    snprintf(code, sizeof code, "return fn(%s)", args);
    coro_settop(vm, 0);
    coro_load(vm, code, strlen(code), "=c", "t");
    return coro_pcall(vm, 0, CORO_MULTRET, 0);
}

Test(api_helpers, checkstring_argcheck_argexpected)
{
    cr_assert_eq(call_with(uses_checkstring, "'four'"), CORO_OK);
    cr_assert_eq(coro_tointeger(vm, -1), 4);
    cr_assert_eq(call_with(uses_checkstring, "{}"), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "c:1: bad argument #1 to 'fn' (string expected, got table)");
    cr_assert_eq(call_with(uses_argcheck, "3"), CORO_OK);
    cr_assert_eq(coro_tointeger(vm, -1), 3);
    cr_assert_eq(call_with(uses_argcheck, "0"), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "c:1: bad argument #1 to 'fn' (must be positive)");
    cr_assert_eq(call_with(uses_argcheck, "1, 'x'"), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "c:1: bad argument #2 to 'fn' (table or nothing expected, got string)");
}

static int yield_twice_the_args(coro_VM *v)
{
    int n = coro_gettop(v);
    for (int i = 1; i <= n; i++)
        coro_pushinteger(v, coro_tointeger(v, i) * 2);
    return coro_yield(v, n);
}

Test(api_helpers, yield_macro)
{
    coro_pushcfunction(vm, yield_twice_the_args);
    coro_setglobal(vm, "twice");
    cr_assert_eq(coro_dostring(vm, "local co = coroutine.wrap(function(...) return 'back', twice(...) end)\n"
                                   "local a, b = co(1, 2)\n"
                                   "local c, d, e = co('x', 'y')\n"
                                   "return a, b, c, d, e"), CORO_OK, "%s", errmsg());
    cr_assert_eq(coro_tointeger(vm, 1), 2);
    cr_assert_eq(coro_tointeger(vm, 2), 4);
    cr_assert_str_eq(coro_tostring(vm, 3), "back");
    cr_assert_str_eq(coro_tostring(vm, 4), "x", "the resume values are the results");
    cr_assert_str_eq(coro_tostring(vm, 5), "y");
}
