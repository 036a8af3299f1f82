/*
 * test_api.c: the public API (include/coro.h), part 1: creating
 * VMs, the stack, reading and pushing values, arithmetic, comparison,
 * concatenation and length.
 *
 * Only coro.h is used, as a host would.  Operations that raise are run
 * inside a C function called with coro_pcall (protect(), api_fixture.h), since an
 * error with no protected call aborts the process.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "coro.h"

#include "api_fixture.h"

TestSuite(api_state, .init = setup, .fini = teardown);
TestSuite(api_stack, .init = setup, .fini = teardown);
TestSuite(api_read, .init = setup, .fini = teardown);
TestSuite(api_push, .init = setup, .fini = teardown);
TestSuite(api_ops, .init = setup, .fini = teardown);

/* ---- creating and configuring VMs ---------------------------------------- */

Test(api_state, config_defaults)
{
    coro_Config cfg;
    memset(&cfg, 0xAB, sizeof cfg);
    coro_config_init(&cfg);
    cr_assert_not_null(cfg.alloc);
    cr_assert_null(cfg.alloc_ud);
    cr_assert_eq(cfg.memory_limit, 0);
    cr_assert_eq(cfg.max_frames, 1000000);
    coro_VM *other = coro_new(&cfg);
    cr_assert_not_null(other);
    coro_free(other);
}

Test(api_state, free_null_is_harmless)
{
    coro_free(NULL);
}

Test(api_state, vms_are_independent)
{
    coro_VM *other = coro_new(NULL);
    coro_open_libs(other);
    coro_pushinteger(vm, 1);
    coro_setglobal(vm, "x");
    coro_pushinteger(other, 2);
    coro_setglobal(other, "x");
    coro_getglobal(vm, "x");
    coro_getglobal(other, "x");
    cr_assert_eq(coro_tointeger(vm, -1), 1);
    cr_assert_eq(coro_tointeger(other, -1), 2);
    coro_free(other);
}

Test(api_state, host_userdata)
{
    int token;
    cr_assert_null(coro_get_userdata(vm));
    coro_set_userdata(vm, &token);
    cr_assert_eq(coro_get_userdata(vm), &token);
}

Test(api_state, memory_used_grows_and_shrinks)
{
    coro_gc(vm, CORO_GCCOLLECT, 0);
    size_t before = coro_memory_used(vm);
    cr_assert_gt(before, 0);
    coro_createtable(vm, 10000, 0);
    cr_assert_gt(coro_memory_used(vm), before + 10000 * 8);
    coro_pop(vm, 1);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    cr_assert_leq(coro_memory_used(vm), before);
}

Test(api_state, gc_controls)
{
    cr_assert_eq(coro_gc(vm, CORO_GCISRUNNING, 0), 1);
    coro_gc(vm, CORO_GCSTOP, 0);
    cr_assert_eq(coro_gc(vm, CORO_GCISRUNNING, 0), 0);
    coro_gc(vm, CORO_GCRESTART, 0);
    cr_assert_eq(coro_gc(vm, CORO_GCISRUNNING, 0), 1);
    size_t used = coro_memory_used(vm);
    int kib = coro_gc(vm, CORO_GCCOUNT, 0), rest = coro_gc(vm, CORO_GCCOUNTB, 0);
    cr_assert_eq((size_t)kib * 1024 + (size_t)rest, used);
    cr_assert_geq(coro_gc(vm, CORO_GCSTEP, 0), 0);
    cr_assert_eq(coro_gc(vm, 12345, 0), -1, "an unknown request");
}

static void setup_quiet(void)
{
    cr_redirect_stderr();   /* the report is expected: keep the log clean */
    setup();
}

Test(api_state, unprotected_error_aborts, .signal = SIGABRT, .init = setup_quiet)
{
    /* An error with no protected call to catch it: the VM reports it
     * and aborts, like Lua's panic. */
    coro_pushstring(vm, "nobody catches this");
    coro_error(vm);
}

/* ---- the stack ----------------------------------------------------------- */

static void push_ints(int n)
{
    for (int i = 1; i <= n; i++)
        coro_pushinteger(vm, i);
}

/* Asserts that the stack holds exactly the integers given. */
static void expect_ints(int n, const int *want)
{
    cr_assert_eq(coro_gettop(vm), n, "top %d, expected %d", coro_gettop(vm), n);
    for (int i = 0; i < n; i++)
        cr_assert_eq(coro_tointeger(vm, i + 1), want[i], "slot %d: %lld, expected %d", i + 1,
                     (long long)coro_tointeger(vm, i + 1), want[i]);
}

Test(api_stack, top_starts_empty)
{
    cr_assert_eq(coro_gettop(vm), 0);
}

Test(api_stack, settop_grows_with_nils_and_shrinks)
{
    push_ints(2);
    coro_settop(vm, 5);
    cr_assert_eq(coro_gettop(vm), 5);
    cr_assert_eq(coro_type(vm, 3), CORO_TNIL);
    cr_assert_eq(coro_type(vm, 5), CORO_TNIL);
    coro_settop(vm, -2);        /* pops one */
    cr_assert_eq(coro_gettop(vm), 4);
    coro_pop(vm, 2);
    cr_assert_eq(coro_gettop(vm), 2);
    coro_settop(vm, 0);
    cr_assert_eq(coro_gettop(vm), 0);
}

Test(api_stack, settop_far_above)
{
    coro_settop(vm, 5000);
    cr_assert_eq(coro_gettop(vm), 5000);
    cr_assert_eq(coro_type(vm, 5000), CORO_TNIL);
    coro_settop(vm, 0);
}

Test(api_stack, absindex)
{
    push_ints(3);
    cr_assert_eq(coro_absindex(vm, -1), 3);
    cr_assert_eq(coro_absindex(vm, -3), 1);
    cr_assert_eq(coro_absindex(vm, 2), 2);
    cr_assert_eq(coro_absindex(vm, CORO_REGISTRYINDEX), CORO_REGISTRYINDEX);
    cr_assert_eq(coro_absindex(vm, coro_upvalueindex(1)), coro_upvalueindex(1));
}

Test(api_stack, pushvalue_and_copy)
{
    push_ints(3);
    coro_pushvalue(vm, 1);
    coro_copy(vm, 2, 3);
    expect_ints(4, (int[]){ 1, 2, 2, 1 });
    coro_copy(vm, 1, 10);      /* past the top: nothing happens */
    cr_assert_eq(coro_gettop(vm), 4);
}

Test(api_stack, rotate_both_ways)
{
    push_ints(5);
    coro_rotate(vm, 2, 1);
    expect_ints(5, (int[]){ 1, 5, 2, 3, 4 });
    coro_rotate(vm, 2, -1);
    expect_ints(5, (int[]){ 1, 2, 3, 4, 5 });
    coro_rotate(vm, -3, 2);
    expect_ints(5, (int[]){ 1, 2, 4, 5, 3 });
    coro_rotate(vm, 9, 1);      /* past the top: nothing happens */
    expect_ints(5, (int[]){ 1, 2, 4, 5, 3 });
}

Test(api_stack, insert_remove_replace)
{
    push_ints(4);
    coro_insert(vm, 1);
    expect_ints(4, (int[]){ 4, 1, 2, 3 });
    coro_remove(vm, 2);
    expect_ints(3, (int[]){ 4, 2, 3 });
    coro_pushinteger(vm, 9);
    coro_replace(vm, 1);
    expect_ints(3, (int[]){ 9, 2, 3 });
    coro_remove(vm, -1);
    expect_ints(2, (int[]){ 9, 2 });
}

Test(api_stack, checkstack)
{
    cr_assert_eq(coro_checkstack(vm, 10000), 1);
    for (int i = 0; i < 10000; i++)
        coro_pushinteger(vm, i);
    cr_assert_eq(coro_tointeger(vm, -1), 9999);
    cr_assert_eq(coro_checkstack(vm, -1), 0);
    cr_assert_eq(coro_checkstack(vm, INT_MAX / 2), 0, "a limit exists");
    coro_settop(vm, 0);
}

static int checkstack_huge(coro_VM *v)
{
    coro_checkstack_msg(v, INT_MAX / 2, "too many widgets");
    return 0;
}

static int checkstack_huge_nomsg(coro_VM *v)
{
    coro_checkstack_msg(v, INT_MAX / 2, NULL);
    return 0;
}

Test(api_stack, checkstack_msg_raises)
{
    cr_assert_eq(protect(checkstack_huge, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "stack overflow (too many widgets)"), "%s", errmsg());
    coro_pop(vm, 1);
    cr_assert_eq(protect(checkstack_huge_nomsg, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "stack overflow"), "%s", errmsg());
}

/* ---- reading values -------------------------------------------------------- */

static int dummy_cfunction(coro_VM *v)
{
    (void)v;
    return 0;
}

Test(api_read, type_of_every_kind)
{
    int x;
    coro_pushnil(vm);
    coro_pushboolean(vm, 0);
    coro_pushlightuserdata(vm, &x);
    coro_pushinteger(vm, 1);
    coro_pushnumber(vm, 1.5);
    coro_pushstring(vm, "s");
    coro_newtable(vm);
    coro_pushcfunction(vm, dummy_cfunction);
    coro_newuserdata(vm, 4);
    coro_pushthread(vm);
    int want[] = { CORO_TNIL, CORO_TBOOLEAN, CORO_TLIGHTUSERDATA, CORO_TNUMBER, CORO_TNUMBER,
                   CORO_TSTRING, CORO_TTABLE, CORO_TFUNCTION, CORO_TUSERDATA, CORO_TTHREAD };
    const char *names[] = { "nil", "boolean", "userdata", "number", "number",
                            "string", "table", "function", "userdata", "thread" };
    for (int i = 0; i < 10; i++) {
        cr_assert_eq(coro_type(vm, i + 1), want[i], "slot %d", i + 1);
        cr_assert_str_eq(coro_typename(vm, coro_type(vm, i + 1)), names[i]);
    }
}

Test(api_read, index_past_the_top_is_none)
{
    coro_pushinteger(vm, 1);
    cr_assert_eq(coro_type(vm, 2), CORO_TNONE);
    cr_assert_eq(coro_type(vm, 1000), CORO_TNONE);
    cr_assert_eq(coro_type(vm, -2), CORO_TNONE, "below the bottom");
    cr_assert(coro_isnone(vm, 2));
    cr_assert(coro_isnoneornil(vm, 2));
    cr_assert(!coro_isnil(vm, 2));
    cr_assert_str_eq(coro_typename(vm, CORO_TNONE), "no value");
    cr_assert_str_eq(coro_typename(vm, 99), "?");
    /* Readers give their neutral value for a missing slot. */
    cr_assert_eq(coro_tointeger(vm, 5), 0);
    cr_assert_eq(coro_tonumber(vm, 5), 0.0);
    cr_assert_eq(coro_toboolean(vm, 5), 0);
    cr_assert_null(coro_tostring(vm, 5));
    cr_assert_null(coro_touserdata(vm, 5));
    cr_assert_null(coro_tocfunction(vm, 5));
    cr_assert_eq(coro_rawlen(vm, 5), 0);
    cr_assert_eq(coro_isnumber(vm, 5), 0);
    cr_assert_eq(coro_isstring(vm, 5), 0);
    cr_assert_eq(coro_costatus(vm, 5), CORO_CO_DEAD);
}

Test(api_read, upvalue_index_outside_a_c_closure_is_none)
{
    cr_assert_eq(coro_type(vm, coro_upvalueindex(1)), CORO_TNONE);
}

Test(api_read, predicates)
{
    int x;
    coro_pushinteger(vm, 3);            /* 1 */
    coro_pushnumber(vm, 3.0);           /* 2 */
    coro_pushstring(vm, " 0x10 ");      /* 3 */
    coro_pushstring(vm, "abc");         /* 4 */
    coro_pushcfunction(vm, dummy_cfunction);    /* 5 */
    coro_pushlightuserdata(vm, &x);     /* 6 */
    coro_newuserdata(vm, 1);            /* 7 */
    run("return function() end");       /* 8 */
    coro_pushnil(vm);                   /* 9 */
    cr_assert(coro_isinteger(vm, 1));
    cr_assert(!coro_isinteger(vm, 2), "3.0 is a float");
    cr_assert(!coro_isinteger(vm, 3), "strings are not integers");
    cr_assert(coro_isnumber(vm, 1) && coro_isnumber(vm, 2) && coro_isnumber(vm, 3));
    cr_assert(!coro_isnumber(vm, 4));
    cr_assert(coro_isstring(vm, 1) && coro_isstring(vm, 3));
    cr_assert(!coro_isstring(vm, 5));
    cr_assert(coro_iscfunction(vm, 5));
    cr_assert(!coro_iscfunction(vm, 8));
    cr_assert(coro_isuserdata(vm, 6) && coro_isuserdata(vm, 7));
    cr_assert(!coro_isuserdata(vm, 1));
    cr_assert(coro_isnil(vm, 9) && coro_isnoneornil(vm, 9) && !coro_isnone(vm, 9));
}

Test(api_read, number_conversions)
{
    int isnum = -1;
    coro_pushstring(vm, "10");
    cr_assert_eq(coro_tonumberx(vm, -1, &isnum), 10.0);
    cr_assert_eq(isnum, 1);
    cr_assert_eq(coro_type(vm, -1), CORO_TSTRING, "reading does not convert the slot");
    coro_pushstring(vm, "ten");
    cr_assert_eq(coro_tonumberx(vm, -1, &isnum), 0.0);
    cr_assert_eq(isnum, 0);
    coro_pushnumber(vm, 3.0);
    cr_assert_eq(coro_tointegerx(vm, -1, &isnum), 3);
    cr_assert_eq(isnum, 1, "a float with an exact integer value converts");
    coro_pushnumber(vm, 3.5);
    cr_assert_eq(coro_tointegerx(vm, -1, &isnum), 0);
    cr_assert_eq(isnum, 0);
    coro_pushnumber(vm, 9.3e18);
    coro_tointegerx(vm, -1, &isnum);
    cr_assert_eq(isnum, 0, "out of the integer range");
    coro_pushstring(vm, "0x7fffffffffffffff");
    cr_assert_eq(coro_tointegerx(vm, -1, &isnum), INT64_MAX);
    cr_assert_eq(isnum, 1);
    coro_newtable(vm);
    cr_assert_eq(coro_tointegerx(vm, -1, NULL), 0, "isnum may be NULL");
    cr_assert_eq(coro_tonumber(vm, -1), 0.0);
}

Test(api_read, truth)
{
    coro_pushnil(vm);
    coro_pushboolean(vm, 0);
    coro_pushboolean(vm, 42);
    coro_pushinteger(vm, 0);
    coro_pushstring(vm, "");
    cr_assert_eq(coro_toboolean(vm, 1), 0);
    cr_assert_eq(coro_toboolean(vm, 2), 0);
    cr_assert_eq(coro_toboolean(vm, 3), 1);
    cr_assert_eq(coro_toboolean(vm, 4), 1, "0 is true, as in Lua");
    cr_assert_eq(coro_toboolean(vm, 5), 1);
}

Test(api_read, tolstring_converts_numbers_in_place)
{
    size_t len = 99;
    coro_pushinteger(vm, -42);
    cr_assert_str_eq(coro_tolstring(vm, -1, &len), "-42");
    cr_assert_eq(len, 3);
    cr_assert_eq(coro_type(vm, -1), CORO_TSTRING, "Lua's in-place conversion");
    coro_pushnumber(vm, 10.0);
    cr_assert_str_eq(coro_tostring(vm, -1), "10.0");
    coro_pushnumber(vm, 0.1);
    cr_assert_str_eq(coro_tostring(vm, -1), "0.1");
    coro_pushnumber(vm, 1e100);
    cr_assert_str_eq(coro_tostring(vm, -1), "1e+100");
    coro_pushlstring(vm, "a\0b", 3);
    const char *s = coro_tolstring(vm, -1, &len);
    cr_assert_eq(len, 3);
    cr_assert_eq(memcmp(s, "a\0b", 3), 0);
    coro_newtable(vm);
    len = 99;
    cr_assert_null(coro_tolstring(vm, -1, &len));
    cr_assert_eq(len, 0);
    coro_pushboolean(vm, 1);
    cr_assert_null(coro_tostring(vm, -1), "booleans are not converted");
}

Test(api_read, functions_and_pointers)
{
    int x;
    coro_pushcfunction(vm, dummy_cfunction);
    cr_assert_eq(coro_tocfunction(vm, -1), dummy_cfunction);
    coro_pushinteger(vm, 7);
    coro_pushcclosure(vm, dummy_cfunction, 1);
    cr_assert_eq(coro_tocfunction(vm, -1), dummy_cfunction, "closures too");
    run("return print");
    cr_assert_not_null(coro_tocfunction(vm, -1));
    run("return function() end");
    cr_assert_null(coro_tocfunction(vm, -1));

    coro_pushlightuserdata(vm, &x);
    cr_assert_eq(coro_touserdata(vm, -1), &x);
    cr_assert_eq(coro_topointer(vm, -1), &x);
    void *block = coro_newuserdata(vm, 16);
    cr_assert_eq(coro_touserdata(vm, -1), block);
    cr_assert_eq(coro_topointer(vm, -1), block);
    coro_newtable(vm);
    coro_newtable(vm);
    cr_assert_not_null(coro_topointer(vm, -1));
    cr_assert_neq(coro_topointer(vm, -1), coro_topointer(vm, -2));
    cr_assert_null(coro_touserdata(vm, -1));
    coro_pushinteger(vm, 1);
    cr_assert_null(coro_topointer(vm, -1));
}

Test(api_read, rawlen)
{
    coro_pushlstring(vm, "abc\0", 4);
    cr_assert_eq(coro_rawlen(vm, -1), 4);
    run("return setmetatable({1, 2, 3}, {__len = function() return 99 end})");
    cr_assert_eq(coro_rawlen(vm, -1), 3, "no __len");
    coro_newuserdata(vm, 24);
    cr_assert_eq(coro_rawlen(vm, -1), 24);
    coro_pushinteger(vm, 12345);
    cr_assert_eq(coro_rawlen(vm, -1), 0);
}

/* ---- pushing values ------------------------------------------------------------- */

Test(api_push, strings)
{
    const char *s = coro_pushstring(vm, "hello");
    cr_assert_str_eq(s, "hello");
    cr_assert_eq(coro_gettop(vm), 1);
    cr_assert_null(coro_pushstring(vm, NULL));
    cr_assert_eq(coro_type(vm, -1), CORO_TNIL, "NULL pushes nil");
    s = coro_pushlstring(vm, NULL, 0);
    cr_assert_str_eq(s, "");
    s = coro_pushlstring(vm, "a\0b", 3);
    cr_assert_eq(coro_rawlen(vm, -1), 3);
    cr_assert_eq(s[3], '\0', "always terminated");
    /* Equal strings are equal values. */
    coro_pushstring(vm, "hello");
    cr_assert(coro_rawequal(vm, 1, -1));
}

Test(api_push, fstring_formats)
{
    const char *s = coro_pushfstring(vm, "%s|%d|%I|%f|%c|%U|%%|%s", "a", -5,
                                     (coro_Integer)1 << 40, 2.5, 'x', 0x20AC, NULL);
    cr_assert_str_eq(s, "a|-5|1099511627776|2.5|x|\xE2\x82\xAC|%|(null)");
    s = coro_pushfstring(vm, "%f %f", 3.0, 1e15);
    cr_assert_str_eq(s, "3.0 1e+15");
    s = coro_pushfstring(vm, "%p", (void *)&s);
    cr_assert(strlen(s) > 2, "%s", s);
    s = coro_pushfstring(vm, "no formats");
    cr_assert_str_eq(s, "no formats");
    s = coro_pushfstring(vm, "%I", (coro_Integer)INT64_MIN);
    cr_assert_str_eq(s, "-9223372036854775808");
}

static int upvalue_reader(coro_VM *v)
{
    /* Returns its two upvalues and the type of a third it lacks. */
    coro_pushvalue(v, coro_upvalueindex(1));
    coro_pushvalue(v, coro_upvalueindex(2));
    coro_pushinteger(v, coro_type(v, coro_upvalueindex(3)));
    /* Upvalues can be replaced. */
    coro_pushstring(v, "changed");
    coro_replace(v, coro_upvalueindex(1));
    return 3;
}

Test(api_push, c_closures_and_upvalues)
{
    coro_pushstring(vm, "first");
    coro_pushinteger(vm, 2);
    coro_pushcclosure(vm, upvalue_reader, 2);
    cr_assert_eq(coro_gettop(vm), 1, "the upvalues were popped");
    coro_pushvalue(vm, 1);
    coro_call(vm, 0, 3);
    cr_assert_str_eq(coro_tostring(vm, -3), "first");
    cr_assert_eq(coro_tointeger(vm, -2), 2);
    cr_assert_eq(coro_tointeger(vm, -1), CORO_TNONE);
    coro_settop(vm, 1);
    coro_call(vm, 0, 1);
    cr_assert_str_eq(coro_tostring(vm, -1), "changed");
}

Test(api_push, booleans_numbers_nil)
{
    coro_pushboolean(vm, 7);
    cr_assert_eq(coro_toboolean(vm, -1), 1);
    coro_pushinteger(vm, INT64_MIN);
    cr_assert_eq(coro_tointeger(vm, -1), INT64_MIN);
    coro_pushnumber(vm, -0.0);
    cr_assert(!coro_isinteger(vm, -1));
    coro_pushnil(vm);
    cr_assert(coro_isnil(vm, -1));
}

Test(api_push, globals_and_registry)
{
    coro_pushglobaltable(vm);
    coro_rawgeti(vm, CORO_REGISTRYINDEX, CORO_RIDX_GLOBALS);
    cr_assert(coro_rawequal(vm, -1, -2));
    coro_getfield(vm, -1, "print");
    cr_assert_eq(coro_type(vm, -1), CORO_TFUNCTION);
}

static int report_thread(coro_VM *v)
{
    int ismain = coro_pushthread(v);
    coro_pushboolean(v, ismain);
    return 2;
}

Test(api_push, thread)
{
    cr_assert_eq(coro_pushthread(vm), 1, "the host runs in the main coroutine");
    cr_assert_eq(coro_type(vm, -1), CORO_TTHREAD);
    cr_assert_eq(coro_costatus(vm, -1), CORO_CO_RUNNING);
    coro_pushcfunction(vm, report_thread);
    coro_setglobal(vm, "report_thread");
    run("local co = coroutine.create(function() return report_thread() end)\n"
        "local ok, co2, ismain = coroutine.resume(co)\n"
        "assert(ok and co2 == co and ismain == false)");
}

/* ---- arithmetic, comparison, concatenation, length ---------------------------------- */

static void arith_ints(coro_Integer a, coro_Integer b, int op)
{
    coro_pushinteger(vm, a);
    coro_pushinteger(vm, b);
    coro_arith(vm, op);
}

Test(api_ops, arith_on_numbers)
{
    arith_ints(2, 3, CORO_OPADD);
    cr_assert(coro_isinteger(vm, -1) && coro_tointeger(vm, -1) == 5);
    arith_ints(2, 3, CORO_OPSUB);
    cr_assert_eq(coro_tointeger(vm, -1), -1);
    arith_ints(6, 7, CORO_OPMUL);
    cr_assert_eq(coro_tointeger(vm, -1), 42);
    arith_ints(-7, 3, CORO_OPMOD);
    cr_assert_eq(coro_tointeger(vm, -1), 2, "the sign of the divisor, as Lua");
    arith_ints(2, 10, CORO_OPPOW);
    cr_assert(!coro_isinteger(vm, -1) && coro_tonumber(vm, -1) == 1024.0);
    arith_ints(7, 2, CORO_OPDIV);
    cr_assert_eq(coro_tonumber(vm, -1), 3.5);
    arith_ints(-7, 2, CORO_OPIDIV);
    cr_assert_eq(coro_tointeger(vm, -1), -4, "floor division");
    arith_ints(12, 10, CORO_OPBAND);
    cr_assert_eq(coro_tointeger(vm, -1), 8);
    arith_ints(12, 3, CORO_OPBOR);
    cr_assert_eq(coro_tointeger(vm, -1), 15);
    arith_ints(12, 10, CORO_OPBXOR);
    cr_assert_eq(coro_tointeger(vm, -1), 6);
    arith_ints(1, 62, CORO_OPSHL);
    cr_assert_eq(coro_tointeger(vm, -1), (coro_Integer)1 << 62);
    arith_ints(-1, 60, CORO_OPSHR);
    cr_assert_eq(coro_tointeger(vm, -1), 15, "logical shift");
    coro_pushinteger(vm, 5);
    coro_arith(vm, CORO_OPUNM);
    cr_assert_eq(coro_tointeger(vm, -1), -5);
    coro_pushinteger(vm, 0);
    coro_arith(vm, CORO_OPBNOT);
    cr_assert_eq(coro_tointeger(vm, -1), -1);
    arith_ints(INT64_MAX, 1, CORO_OPADD);
    cr_assert_eq(coro_tointeger(vm, -1), INT64_MIN, "wrap-around");
    coro_pushnumber(vm, 1.5);
    coro_pushinteger(vm, 1);
    coro_arith(vm, CORO_OPADD);
    cr_assert_eq(coro_tonumber(vm, -1), 2.5);
    cr_assert_eq(coro_gettop(vm), 16, "one result per operation");
}

Test(api_ops, arith_coerces_strings_with_the_string_library)
{
    /* As in Lua 5.4, "10" + 1 works through the string metatable's
     * arithmetic metamethods, which the string library installs. */
    if (coro_getglobal(vm, "string") == CORO_TNIL)
        cr_skip_test("no string library in this build");
    coro_pushstring(vm, "10");
    coro_pushinteger(vm, 1);
    coro_arith(vm, CORO_OPADD);
    cr_assert_eq(coro_tointeger(vm, -1), 11);
}

static int arith_args(coro_VM *v)
{
    int op = (int)coro_tointeger(v, -1);
    coro_pop(v, 1);
    coro_arith(v, op);
    return 1;
}

static int try_arith(int op)
{
    coro_pushinteger(vm, op);
    return protect(arith_args, 3);
}

Test(api_ops, arith_errors)
{
    coro_newtable(vm);
    coro_pushinteger(vm, 1);
    cr_assert_eq(try_arith(CORO_OPADD), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "attempt to perform arithmetic on a table value"), "%s", errmsg());
    coro_pop(vm, 1);
    coro_pushnumber(vm, 1.5);
    coro_pushinteger(vm, 1);
    cr_assert_eq(try_arith(CORO_OPBAND), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "number has no integer representation"), "%s", errmsg());
    coro_pop(vm, 1);
    coro_pushinteger(vm, 1);
    coro_pushinteger(vm, 0);
    cr_assert_eq(try_arith(CORO_OPIDIV), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "attempt to divide by zero"), "%s", errmsg());
    coro_pop(vm, 1);
    coro_pushinteger(vm, 1);
    coro_pushinteger(vm, 0);
    cr_assert_eq(try_arith(CORO_OPMOD), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "attempt to perform 'n%0'"), "%s", errmsg());
    coro_pop(vm, 1);
    cr_assert_eq(coro_gettop(vm), 0);
}

Test(api_ops, arith_metamethods)
{
    run("local mt = {}\n"
        "mt.__add = function(a, b) return 'add' end\n"
        "mt.__unm = function(a) return 'unm' end\n"
        "mt.__band = function(a, b) return 'band' end\n"
        "mt.__bnot = function(a) return 'bnot' end\n"
        "mt.__idiv = function(a, b) return type(a) .. '//' .. type(b) end\n"
        "return setmetatable({}, mt)");
    coro_pushvalue(vm, 1);
    coro_pushinteger(vm, 1);
    coro_arith(vm, CORO_OPADD);
    cr_assert_str_eq(coro_tostring(vm, -1), "add");
    coro_pushinteger(vm, 1);
    coro_pushvalue(vm, 1);
    coro_arith(vm, CORO_OPIDIV);
    cr_assert_str_eq(coro_tostring(vm, -1), "number//table", "the right operand's metamethod");
    coro_pushvalue(vm, 1);
    coro_arith(vm, CORO_OPUNM);
    cr_assert_str_eq(coro_tostring(vm, -1), "unm");
    coro_pushvalue(vm, 1);
    coro_pushinteger(vm, 3);
    coro_arith(vm, CORO_OPBAND);
    cr_assert_str_eq(coro_tostring(vm, -1), "band");
    coro_pushvalue(vm, 1);
    coro_arith(vm, CORO_OPBNOT);
    cr_assert_str_eq(coro_tostring(vm, -1), "bnot");
    cr_assert_eq(coro_gettop(vm), 6);
}

Test(api_ops, compare_values)
{
    coro_pushinteger(vm, 1);        /* 1 */
    coro_pushnumber(vm, 1.0);       /* 2 */
    coro_pushinteger(vm, 2);        /* 3 */
    coro_pushstring(vm, "a");       /* 4 */
    coro_pushstring(vm, "b");       /* 5 */
    coro_newtable(vm);              /* 6 */
    coro_newtable(vm);              /* 7 */
    cr_assert(coro_compare(vm, 1, 2, CORO_OPEQ), "1 == 1.0");
    cr_assert(coro_rawequal(vm, 1, 2));
    cr_assert(coro_compare(vm, 1, 3, CORO_OPLT));
    cr_assert(!coro_compare(vm, 3, 1, CORO_OPLT));
    cr_assert(coro_compare(vm, 1, 2, CORO_OPLE));
    cr_assert(coro_compare(vm, 4, 5, CORO_OPLT));
    cr_assert(coro_compare(vm, 5, 5, CORO_OPLE));
    cr_assert(!coro_compare(vm, 6, 7, CORO_OPEQ));
    cr_assert(coro_compare(vm, 6, 6, CORO_OPEQ));
    cr_assert(!coro_compare(vm, 1, 4, CORO_OPEQ), "1 ~= 'a'");
    cr_assert(!coro_compare(vm, 1, 99, CORO_OPEQ), "an invalid index compares false");
    cr_assert(!coro_compare(vm, 99, 99, CORO_OPLE));
    cr_assert(!coro_rawequal(vm, 1, 99));
}

static int compare_args(coro_VM *v)
{
    coro_pushboolean(v, coro_compare(v, 1, 2, CORO_OPLT));
    return 1;
}

Test(api_ops, compare_errors)
{
    coro_pushinteger(vm, 1);
    coro_pushstring(vm, "1");
    cr_assert_eq(protect(compare_args, 2), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "attempt to compare number with string"), "%s", errmsg());
    coro_pop(vm, 1);
    coro_newtable(vm);
    coro_newtable(vm);
    cr_assert_eq(protect(compare_args, 2), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "attempt to compare two table values"), "%s", errmsg());
}

Test(api_ops, compare_metamethods)
{
    run("local mt = {\n"
        "  __eq = function(a, b) return a.v == b.v end,\n"
        "  __lt = function(a, b) return a.v < b.v end,\n"
        "  __le = function(a, b) return a.v <= b.v end,\n"
        "}\n"
        "return setmetatable({v = 1}, mt), setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)");
    cr_assert(coro_compare(vm, 1, 2, CORO_OPEQ));
    cr_assert(!coro_rawequal(vm, 1, 2), "raw equality ignores __eq");
    cr_assert(!coro_compare(vm, 1, 3, CORO_OPEQ));
    cr_assert(coro_compare(vm, 1, 3, CORO_OPLT));
    cr_assert(!coro_compare(vm, 3, 1, CORO_OPLT));
    cr_assert(coro_compare(vm, 1, 2, CORO_OPLE));
    cr_assert(!coro_compare(vm, 3, 2, CORO_OPLE));
    cr_assert_eq(coro_gettop(vm), 3, "nothing left behind");
}

Test(api_ops, concat)
{
    coro_concat(vm, 0);
    cr_assert_str_eq(coro_tostring(vm, -1), "", "no values: the empty string");
    coro_pushstring(vm, "alone");
    coro_concat(vm, 1);
    cr_assert_str_eq(coro_tostring(vm, -1), "alone");
    cr_assert_eq(coro_gettop(vm), 2);
    coro_pushstring(vm, "a");
    coro_pushinteger(vm, 1);
    coro_pushnumber(vm, 2.5);
    coro_pushstring(vm, "b");
    coro_concat(vm, 4);
    cr_assert_str_eq(coro_tostring(vm, -1), "a12.5b");
    cr_assert_eq(coro_gettop(vm), 3);
}

static int concat_args(coro_VM *v)
{
    coro_concat(v, coro_gettop(v));
    return 1;
}

Test(api_ops, concat_metamethod_and_error)
{
    run("return setmetatable({}, {__concat = function(a, b)\n"
        "  return (type(a) == 'table' and 'T' or a) .. (type(b) == 'table' and 'T' or b)\n"
        "end})");
    coro_pushstring(vm, "x");
    coro_pushvalue(vm, 1);
    coro_pushstring(vm, "y");
    coro_concat(vm, 3);
    cr_assert_str_eq(coro_tostring(vm, -1), "xTy");
    coro_settop(vm, 0);
    coro_pushstring(vm, "x");
    coro_newtable(vm);
    cr_assert_eq(protect(concat_args, 2), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "attempt to concatenate a table value"), "%s", errmsg());
}

static int len_arg(coro_VM *v)
{
    coro_len(v, 1);
    return 1;
}

Test(api_ops, length)
{
    coro_pushstring(vm, "four");
    coro_len(vm, -1);
    cr_assert_eq(coro_tointeger(vm, -1), 4);
    run("return {1, 2, 3}, setmetatable({}, {__len = function() return 42 end}),\n"
        "       setmetatable({}, {__len = function() return 'many' end})");
    coro_len(vm, 3);
    cr_assert_eq(coro_tointeger(vm, -1), 3);
    coro_len(vm, 4);
    cr_assert_eq(coro_tointeger(vm, -1), 42);
    cr_assert_eq(coro_len_int(vm, 4), 42);
    coro_len(vm, 5);
    cr_assert_str_eq(coro_tostring(vm, -1), "many", "__len may return anything");
    coro_settop(vm, 0);
    coro_pushinteger(vm, 1);
    cr_assert_eq(protect(len_arg, 1), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "attempt to get length of a number value"), "%s", errmsg());
}

static int len_int_arg(coro_VM *v)
{
    coro_pushinteger(v, coro_len_int(v, 1));
    return 1;
}

Test(api_ops, len_int_rejects_non_integers)
{
    run("return setmetatable({}, {__len = function() return 1.5 end})");
    cr_assert_eq(protect(len_int_arg, 1), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "object length is not an integer"), "%s", errmsg());
}

Test(api_ops, stringtonumber)
{
    cr_assert_eq(coro_stringtonumber(vm, "0x10"), 5);
    cr_assert(coro_isinteger(vm, -1) && coro_tointeger(vm, -1) == 16);
    cr_assert_eq(coro_stringtonumber(vm, " 1e2 "), 6);
    cr_assert(!coro_isinteger(vm, -1) && coro_tonumber(vm, -1) == 100.0);
    cr_assert_eq(coro_stringtonumber(vm, "abc"), 0);
    cr_assert_eq(coro_stringtonumber(vm, ""), 0);
    cr_assert_eq(coro_stringtonumber(vm, "1 2"), 0);
    cr_assert_eq(coro_gettop(vm), 2, "nothing pushed for a non-numeral");
}
