/*
 * test_api_calls.c: the public API, part 3: calling (coro_call, coro_pcall,
 * message handlers, errors crossing C functions, the continuation forms
 * coro_callk and coro_pcallk), the argument-checking helpers, loading and
 * running source (modes, chunk names, files), tracebacks and the count
 * hook.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coro.h"

#include "api_fixture.h"

TestSuite(api_call, .init = setup, .fini = teardown);
TestSuite(api_error, .init = setup, .fini = teardown);
TestSuite(api_check, .init = setup, .fini = teardown);
TestSuite(api_cont, .init = setup, .fini = teardown);
TestSuite(api_load, .init = setup, .fini = teardown);
TestSuite(api_hook, .init = setup, .fini = teardown);

/* Loads source text under a chunk name (the length counted for us). */
static int load_named(const char *code, const char *chunkname)
{
    return coro_load(vm, code, strlen(code), chunkname, "t");
}

static void expose(const char *name, coro_CFunction fn)
{
    coro_pushcfunction(vm, fn);
    coro_setglobal(vm, name);
}

/* ---- calls -------------------------------------------------------------------- */

static int sum_and_count(coro_VM *v)
{
    int n = coro_gettop(v);
    coro_Integer sum = 0;
    for (int i = 1; i <= n; i++)
        sum += coro_checkinteger(v, i);
    coro_pushinteger(v, sum);
    coro_pushinteger(v, n);
    return 2;
}

Test(api_call, c_function_results_are_adjusted)
{
    coro_pushcfunction(vm, sum_and_count);
    coro_pushinteger(vm, 1);
    coro_pushinteger(vm, 2);
    coro_pushinteger(vm, 3);
    coro_call(vm, 3, CORO_MULTRET);
    cr_assert_eq(coro_gettop(vm), 2);
    cr_assert_eq(coro_tointeger(vm, 1), 6);
    cr_assert_eq(coro_tointeger(vm, 2), 3);
    coro_settop(vm, 0);
    coro_pushcfunction(vm, sum_and_count);
    coro_call(vm, 0, 1);
    cr_assert_eq(coro_gettop(vm), 1, "extra results dropped");
    coro_pushcfunction(vm, sum_and_count);
    coro_call(vm, 0, 4);
    cr_assert_eq(coro_gettop(vm), 5, "missing results are nil");
    cr_assert(coro_isnil(vm, 4) && coro_isnil(vm, 5));
}

Test(api_call, script_functions)
{
    run("function swap(a, b, ...) return b, a, select('#', ...) end");
    coro_getglobal(vm, "swap");
    coro_pushstring(vm, "x");
    coro_pushstring(vm, "y");
    coro_pushnil(vm);
    coro_pushnil(vm);
    coro_call(vm, 4, 3);
    cr_assert_str_eq(coro_tostring(vm, 1), "y");
    cr_assert_str_eq(coro_tostring(vm, 2), "x");
    cr_assert_eq(coro_tointeger(vm, 3), 2, "trailing nils are passed");
}

static int call_number(coro_VM *v)
{
    coro_pushinteger(v, 3);
    coro_call(v, 0, 0);
    return 0;
}

Test(api_call, calling_non_functions)
{
    coro_pushcfunction(vm, call_number);
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "attempt to call a number value"), "%s", errmsg());
    coro_settop(vm, 0);
    run("return setmetatable({}, {__call = function(self, a) return 'called with ' .. a end})");
    coro_pushstring(vm, "arg");
    coro_call(vm, 1, 1);
    cr_assert_str_eq(coro_tostring(vm, -1), "called with arg", "__call is honoured");
}

/* coro_pcall of a value that cannot be called returns CORO_ERRRUN with
 * the message on top, from the host's level and inside a C function (the
 * error comes before the call's frame exists: it once looped at the host's
 * level, and inside a C function unwound the caller's own frame). */
Test(api_call, pcall_of_a_non_function_from_the_host, .timeout = 5)
{
    coro_pushinteger(vm, 3);
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "attempt to call a number value"), "%s", errmsg());
}

static int pcall_number(coro_VM *v)
{
    coro_pushinteger(v, 3);
    coro_pushinteger(v, coro_pcall(v, 0, 0, 0));
    return 2;
}

Test(api_call, pcall_of_a_non_function_in_c)
{
    coro_pushcfunction(vm, pcall_number);
    cr_assert_eq(coro_pcall(vm, 0, 2, 0), CORO_OK);
    cr_assert_eq(coro_tointeger(vm, -1), CORO_ERRRUN);
    cr_assert(coro_type(vm, -2) == CORO_TSTRING && strstr(coro_tostring(vm, -2), "attempt to call"),
              "the message, not the value called");
}

static int recurse(coro_VM *v)
{
    /* Each level calls the script, which calls us again. */
    coro_Integer n = coro_checkinteger(v, 1);
    if (n == 0) {
        coro_pushinteger(v, 0);
        return 1;
    }
    coro_getglobal(v, "down");
    coro_pushinteger(v, n - 1);
    coro_call(v, 1, 1);
    coro_pushinteger(v, coro_tointeger(v, -1) + 1);
    return 1;
}

Test(api_call, nested_c_and_script_calls)
{
    expose("recurse", recurse);
    run("function down(n) return recurse(n) end");
    coro_getglobal(vm, "down");
    coro_pushinteger(vm, 50);
    cr_assert_eq(coro_pcall(vm, 1, 1, 0), CORO_OK, "%s", errmsg());
    cr_assert_eq(coro_tointeger(vm, -1), 50);
}

Test(api_call, c_stack_overflow_is_an_error)
{
    expose("recurse", recurse);
    run("function down(n) return recurse(n) end");
    coro_getglobal(vm, "down");
    coro_pushinteger(vm, 100000);
    cr_assert_eq(coro_pcall(vm, 1, 1, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "stack overflow"), "%s", errmsg());
    /* And the VM goes on. */
    coro_settop(vm, 0);
    run("return 1 + 1");
    cr_assert_eq(coro_tointeger(vm, -1), 2);
}

/* ---- errors ------------------------------------------------------------------------- */

static int raise_table(coro_VM *v)
{
    coro_newtable(v);
    coro_pushinteger(v, 7);
    coro_setfield(v, -2, "code");
    return coro_error(v);
}

Test(api_error, error_values_keep_their_identity)
{
    coro_pushstring(vm, "below");
    coro_pushcfunction(vm, raise_table);
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert_eq(coro_gettop(vm), 2, "exactly the error above what was there");
    cr_assert_eq(coro_type(vm, -1), CORO_TTABLE);
    coro_getfield(vm, -1, "code");
    cr_assert_eq(coro_tointeger(vm, -1), 7);
    cr_assert_str_eq(coro_tostring(vm, 1), "below");
}

static int call_global_f(coro_VM *v)
{
    /* An error from the script passes through this C function. */
    coro_getglobal(v, "f");
    coro_call(v, 0, 0);
    coro_pushstring(v, "not reached");
    return 1;
}

Test(api_error, errors_cross_c_functions)
{
    expose("call_f", call_global_f);
    run("function f() error({tag = 'deep'}) end\n"
        "function g() call_f() end");
    coro_getglobal(vm, "g");
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    coro_getfield(vm, -1, "tag");
    cr_assert_str_eq(coro_tostring(vm, -1), "deep");
    coro_settop(vm, 0);
    /* A script pcall catches what a C function lets through. */
    run("local ok, e = pcall(call_f) return ok, e.tag");
    cr_assert_eq(coro_toboolean(vm, 1), 0);
    cr_assert_str_eq(coro_tostring(vm, 2), "deep");
}

static int errorf_here(coro_VM *v)
{
    return coro_errorf(v, "bad %s number %d", "thing", 3);
}

Test(api_error, errorf_names_the_calling_line)
{
    expose("errorf_here", errorf_here);
    load_named("local x = 1\nerrorf_here()", "=chunk");
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "chunk:2: bad thing number 3");
}

static int where_levels(coro_VM *v)
{
    coro_where(v, 1);
    coro_where(v, 2);
    coro_where(v, 100);
    return 3;
}

Test(api_error, where)
{
    expose("where_levels", where_levels);
    /* No tail calls: they would take the levels away. */
    load_named("local function f()\n  local a, b, c = where_levels() return a, b, c\nend\n"
               "local a, b, c = f() return a, b, c", "=w");
    cr_assert_eq(coro_pcall(vm, 0, 3, 0), CORO_OK, "%s", errmsg());
    cr_assert_str_eq(coro_tostring(vm, 1), "w:2: ");
    cr_assert_str_eq(coro_tostring(vm, 2), "w:4: ");
    cr_assert_str_eq(coro_tostring(vm, 3), "", "no such level");
}

static int handler_add_prefix(coro_VM *v)
{
    coro_pushfstring(v, "handled: %s", coro_tostring(v, 1));
    return 1;
}

static int handler_traceback(coro_VM *v)
{
    coro_traceback(v, coro_tostring(v, 1), 1);
    return 1;
}

static int handler_fails(coro_VM *v)
{
    coro_pushstring(v, "the handler fails too");
    return coro_error(v);
}

Test(api_error, message_handlers)
{
    coro_pushcfunction(vm, handler_add_prefix);
    load_named("error('oops')", "=h");
    cr_assert_eq(coro_pcall(vm, 0, 1, 1), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "handled: h:1: oops");
    cr_assert_eq(coro_gettop(vm), 2, "handler and error");
    coro_settop(vm, 0);

    /* A relative index, and every result wanted. */
    coro_pushcfunction(vm, handler_add_prefix);
    load_named("error('again')", "=h");
    cr_assert_eq(coro_pcall(vm, 0, CORO_MULTRET, -2), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "handled: h:1: again");
    coro_settop(vm, 0);

    /* The handler runs where the error happened: it can see the stack. */
    run("function inner() error('with a trace') end function outer() inner() end");
    coro_pushcfunction(vm, handler_traceback);
    coro_getglobal(vm, "outer");
    cr_assert_eq(coro_pcall(vm, 0, 1, 1), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "with a trace\nstack traceback:"), "%s", errmsg());
    cr_assert(strstr(errmsg(), "'inner'") && strstr(errmsg(), "'outer'"), "%s", errmsg());
    coro_settop(vm, 0);

    /* Success: the handler is not called, results as usual. */
    coro_pushcfunction(vm, handler_fails);
    run("return function(a) return a * 2, 'two' end");
    coro_pushinteger(vm, 21);
    cr_assert_eq(coro_pcall(vm, 1, 2, 1), CORO_OK);
    cr_assert_eq(coro_tointeger(vm, -2), 42);
    cr_assert_str_eq(coro_tostring(vm, -1), "two");
}

Test(api_error, failing_message_handler)
{
    coro_pushcfunction(vm, handler_fails);
    coro_loadstring(vm, "error('first')");
    cr_assert_eq(coro_pcall(vm, 0, 1, 1), CORO_ERRERR);
    cr_assert_str_eq(errmsg(), "error in error handling");
}

/* With a message handler and nresults 0 (or more than 1), the error value
 * is still the one value left on top (the handler's path once adjusted it
 * to nresults values). */
Test(api_error, message_handler_with_no_results_wanted)
{
    coro_pushcfunction(vm, handler_add_prefix);
    load_named("error('oops')", "=h");
    cr_assert_eq(coro_pcall(vm, 0, 0, 1), CORO_ERRRUN);
    cr_assert_eq(coro_gettop(vm), 2);
    cr_assert_str_eq(errmsg(), "handled: h:1: oops");
}

/* With a handler and no error, the results are adjusted to nresults. */
Test(api_error, message_handler_results_adjusted)
{
    coro_pushcfunction(vm, handler_add_prefix);
    load_named("return 1, 2", "=h");
    cr_assert_eq(coro_pcall(vm, 0, 3, 1), CORO_OK);
    cr_assert_eq(coro_gettop(vm), 4);
    cr_assert_eq(coro_tointeger(vm, 2), 1);
    cr_assert_eq(coro_tointeger(vm, 3), 2);
    cr_assert(coro_isnil(vm, 4));
    coro_settop(vm, 1);
    load_named("return 1, 2", "=h");
    cr_assert_eq(coro_pcall(vm, 0, 1, 1), CORO_OK);
    cr_assert_eq(coro_gettop(vm), 2);
    cr_assert_eq(coro_tointeger(vm, 2), 1);
}

static int arg_errors(coro_VM *v)
{
    return coro_argerror(v, 2, "too small");
}

static int type_errors(coro_VM *v)
{
    return coro_typeerror(v, 1, "widget");
}

Test(api_error, argerror_and_typeerror_name_the_function)
{
    expose("limit", arg_errors);
    expose("widgetize", type_errors);
    run("obj = {limit = limit}");
    load_named("limit(1, 2)", "=a");
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "a:1: bad argument #2 to 'limit' (too small)");
    coro_settop(vm, 0);
    load_named("obj:limit(2)", "=a");
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "a:1: bad argument #1 to 'limit' (too small)", "self is not counted");
    coro_settop(vm, 0);
    load_named("widgetize({})", "=a");
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "a:1: bad argument #1 to 'widgetize' (widget expected, got table)");
    coro_settop(vm, 0);
    load_named("widgetize()", "=a");
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "a:1: bad argument #1 to 'widgetize' (widget expected, got no value)");
    coro_settop(vm, 0);
    load_named("widgetize(setmetatable({}, {__name = 'Gadget'}))", "=a");
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "a:1: bad argument #1 to 'widgetize' (widget expected, got Gadget)");
}

static int self_error(coro_VM *v)
{
    return coro_argerror(v, 1, "not a proper self");
}

Test(api_error, argerror_on_self)
{
    expose("m", self_error);
    run("obj = {m = m}");
    load_named("obj:m()", "=s");
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "s:1: calling 'm' on bad self (not a proper self)");
}

/* ---- argument checks ------------------------------------------------------------------ */

static int check_int(coro_VM *v)
{
    coro_pushinteger(v, coro_checkinteger(v, 1));
    return 1;
}

static int check_num(coro_VM *v)
{
    coro_pushnumber(v, coro_checknumber(v, 1));
    return 1;
}

static int check_str(coro_VM *v)
{
    size_t len;
    const char *s = coro_checklstring(v, 1, &len);
    coro_pushfstring(v, "%s/%d", s, (int)len);
    return 1;
}

static int check_table(coro_VM *v)
{
    coro_checktype(v, 1, CORO_TTABLE);
    return 0;
}

static int check_any(coro_VM *v)
{
    coro_checkany(v, 1);
    return 0;
}

static int optionals(coro_VM *v)
{
    size_t len;
    coro_pushinteger(v, coro_optinteger(v, 1, -1));
    coro_pushnumber(v, coro_optnumber(v, 2, 0.5));
    coro_pushstring(v, coro_optstring(v, 3, "dflt"));
    const char *s = coro_optlstring(v, 4, "four", &len);
    coro_pushfstring(v, "%s/%d", s, (int)len);
    return 4;
}

static int option(coro_VM *v)
{
    static const char *const modes[] = { "read", "write", "append", NULL };
    coro_pushinteger(v, coro_checkoption(v, 1, "write", modes));
    coro_pushinteger(v, coro_checkoption(v, 2, NULL, modes));
    return 2;
}

/* Calls the C function with the arguments given as source text; returns
 * the status with the results (or error) on the stack. */
static int call_with(coro_CFunction fn, const char *args)
{
    char code[256];
    expose("fn", fn);
    snprintf(code, sizeof code, "return fn(%s)", args);
    coro_settop(vm, 0);
    coro_load(vm, code, strlen(code), "=c", "t");
    return coro_pcall(vm, 0, CORO_MULTRET, 0);
}

Test(api_check, integers)
{
    cr_assert_eq(call_with(check_int, "42"), CORO_OK);
    cr_assert_eq(coro_tointeger(vm, -1), 42);
    cr_assert_eq(call_with(check_int, "4.0"), CORO_OK);
    cr_assert_eq(coro_tointeger(vm, -1), 4);
    cr_assert_eq(call_with(check_int, "'12'"), CORO_OK, "strings convert");
    cr_assert_eq(coro_tointeger(vm, -1), 12);
    cr_assert_eq(call_with(check_int, "4.5"), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "c:1: bad argument #1 to 'fn' (number has no integer representation)");
    cr_assert_eq(call_with(check_int, "'x'"), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "c:1: bad argument #1 to 'fn' (number expected, got string)");
    cr_assert_eq(call_with(check_int, ""), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "c:1: bad argument #1 to 'fn' (number expected, got no value)");
}

Test(api_check, numbers_strings_types)
{
    cr_assert_eq(call_with(check_num, "'0x10'"), CORO_OK);
    cr_assert_eq(coro_tonumber(vm, -1), 16.0);
    cr_assert_eq(call_with(check_num, "nil"), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "c:1: bad argument #1 to 'fn' (number expected, got nil)");
    cr_assert_eq(call_with(check_str, "'abc'"), CORO_OK);
    cr_assert_str_eq(coro_tostring(vm, -1), "abc/3");
    cr_assert_eq(call_with(check_str, "12"), CORO_OK, "numbers convert");
    cr_assert_str_eq(coro_tostring(vm, -1), "12/2");
    cr_assert_eq(call_with(check_str, "true"), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "c:1: bad argument #1 to 'fn' (string expected, got boolean)");
    cr_assert_eq(call_with(check_table, "{}"), CORO_OK);
    cr_assert_eq(call_with(check_table, "1"), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "c:1: bad argument #1 to 'fn' (table expected, got number)");
    cr_assert_eq(call_with(check_any, "nil"), CORO_OK, "nil is a value");
    cr_assert_eq(call_with(check_any, ""), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "c:1: bad argument #1 to 'fn' (value expected)");
}

Test(api_check, optional_arguments)
{
    cr_assert_eq(call_with(optionals, ""), CORO_OK);
    cr_assert_eq(coro_tointeger(vm, 1), -1);
    cr_assert_eq(coro_tonumber(vm, 2), 0.5);
    cr_assert_str_eq(coro_tostring(vm, 3), "dflt");
    cr_assert_str_eq(coro_tostring(vm, 4), "four/4");
    cr_assert_eq(call_with(optionals, "nil, nil, nil, nil"), CORO_OK, "nil means absent");
    cr_assert_eq(coro_tointeger(vm, 1), -1);
    cr_assert_eq(call_with(optionals, "7, 2, 's', 'xy'"), CORO_OK);
    cr_assert_eq(coro_tointeger(vm, 1), 7);
    cr_assert_eq(coro_tonumber(vm, 2), 2.0);
    cr_assert_str_eq(coro_tostring(vm, 3), "s");
    cr_assert_str_eq(coro_tostring(vm, 4), "xy/2");
    cr_assert_eq(call_with(optionals, "1, 2, {}"), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "c:1: bad argument #3 to 'fn' (string expected, got table)");
}

Test(api_check, options)
{
    cr_assert_eq(call_with(option, "nil, 'append'"), CORO_OK);
    cr_assert_eq(coro_tointeger(vm, 1), 1, "the default");
    cr_assert_eq(coro_tointeger(vm, 2), 2);
    cr_assert_eq(call_with(option, "'read', 'read'"), CORO_OK);
    cr_assert_eq(coro_tointeger(vm, 1), 0);
    cr_assert_eq(call_with(option, "'read', 'delete'"), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "c:1: bad argument #2 to 'fn' (invalid option 'delete')");
    cr_assert_eq(call_with(option, "'read'"), CORO_ERRRUN, "no default for the second");
}

/* ---- continuations: coro_callk and coro_pcallk ---------------------------------------- */

static int seen_status;
static coro_KContext seen_ctx;

static int callk_k(coro_VM *v, int status, coro_KContext ctx)
{
    seen_status = status;
    seen_ctx = ctx;
    /* Our stack: what we had, then the callee's results. */
    coro_pushinteger(v, coro_gettop(v));
    return coro_gettop(v);
}

static int use_callk(coro_VM *v)
{
    coro_pushstring(v, "kept");
    coro_getglobal(v, "callee");
    coro_pushinteger(v, 20);
    return coro_callk(v, 1, CORO_MULTRET, 1234, callk_k);
}

Test(api_cont, callk_runs_the_continuation_with_results)
{
    seen_status = -1;
    expose("use_callk", use_callk);
    run("function callee(x) return x + 1, x + 2 end\n"
        "return use_callk('arg')");
    cr_assert_eq(seen_status, CORO_OK);
    cr_assert_eq(seen_ctx, 1234);
    cr_assert_eq(coro_gettop(vm), 5);
    cr_assert_str_eq(coro_tostring(vm, 1), "arg");
    cr_assert_str_eq(coro_tostring(vm, 2), "kept");
    cr_assert_eq(coro_tointeger(vm, 3), 21);
    cr_assert_eq(coro_tointeger(vm, 4), 22);
    cr_assert_eq(coro_tointeger(vm, 5), 4, "the continuation saw four values");
}

Test(api_cont, callk_lets_the_callee_yield)
{
    /* Nothing of use_callk is on the C stack while callee is suspended. */
    seen_status = -1;
    expose("use_callk", use_callk);
    run("function callee(x) local y = yield x return y * 2 end\n"
        "local co = coroutine.wrap(function() return use_callk() end)\n"
        "local first = co()\n"
        "local a, b, c = co(50)\n"
        "return first, a, b, c");
    cr_assert_eq(coro_tointeger(vm, 1), 20, "the callee's yield");
    cr_assert_str_eq(coro_tostring(vm, 2), "kept");
    cr_assert_eq(coro_tointeger(vm, 3), 100);
    cr_assert_eq(coro_tointeger(vm, 4), 2, "the continuation saw two values");
    cr_assert_eq(seen_status, CORO_OK);
}

static int callk_error_k(coro_VM *v, int status, coro_KContext ctx)
{
    (void)v;
    (void)status;
    (void)ctx;
    cr_assert_fail("an unprotected callk's continuation must not run after an error");
    return 0;
}

static int use_callk_failing(coro_VM *v)
{
    coro_getglobal(v, "error");
    coro_pushstring(v, "from the callee");
    return coro_callk(v, 1, 0, 0, callk_error_k);
}

Test(api_cont, callk_errors_propagate)
{
    expose("use_callk_failing", use_callk_failing);
    run("return pcall(use_callk_failing)");
    cr_assert_eq(coro_toboolean(vm, 1), 0);
    cr_assert_str_eq(coro_tostring(vm, 2), "from the callee");
}

static int pcallk_k(coro_VM *v, int status, coro_KContext ctx)
{
    seen_status = status;
    seen_ctx = ctx;
    coro_pushboolean(v, status == CORO_OK);
    coro_insert(v, -2);
    return 2;
}

static int use_pcallk(coro_VM *v)
{
    coro_pushvalue(v, 1);
    return coro_pcallk(v, 0, 1, 0, 99, pcallk_k);
}

static int use_pcallk_handler(coro_VM *v)
{
    coro_pushcfunction(v, handler_add_prefix);
    coro_pushvalue(v, 1);
    return coro_pcallk(v, 0, 1, -2, 7, pcallk_k);
}

Test(api_cont, pcallk_statuses)
{
    expose("use_pcallk", use_pcallk);
    expose("use_pcallk_handler", use_pcallk_handler);
    run("return use_pcallk(function() return 'fine' end)");
    cr_assert_eq(seen_status, CORO_OK);
    cr_assert_eq(seen_ctx, 99);
    cr_assert_eq(coro_toboolean(vm, 1), 1);
    cr_assert_str_eq(coro_tostring(vm, 2), "fine");
    coro_settop(vm, 0);
    run("return use_pcallk(function() error('bad', 0) end)");
    cr_assert_eq(seen_status, CORO_ERRRUN);
    cr_assert_eq(coro_toboolean(vm, 1), 0);
    cr_assert_str_eq(coro_tostring(vm, 2), "bad");
    coro_settop(vm, 0);
    run("return use_pcallk_handler(function() error('bad', 0) end)");
    cr_assert_eq(seen_status, CORO_ERRRUN);
    cr_assert_eq(seen_ctx, 7);
    cr_assert_str_eq(coro_tostring(vm, 2), "handled: bad");
}

static int pcallk_without_k(coro_VM *v)
{
    coro_pushvalue(v, 1);
    return coro_pcallk(v, 0, 0, 0, 0, NULL);
}

Test(api_cont, pcallk_needs_a_continuation)
{
    expose("pcallk_without_k", pcallk_without_k);
    coro_loadstring(vm, "return pcallk_without_k(print)");
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "coro_pcallk needs a continuation"), "%s", errmsg());
}

static int returns_too_many(coro_VM *v)
{
    (void)v;
    return 5;
}

static int returns_garbage(coro_VM *v)
{
    (void)v;
    return -7;
}

Test(api_cont, bad_result_counts_are_errors)
{
    coro_pushcfunction(vm, returns_too_many);
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "more results than it pushed"), "%s", errmsg());
    coro_settop(vm, 0);
    coro_pushcfunction(vm, returns_garbage);
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "invalid result"), "%s", errmsg());
}

/* ---- loading ---------------------------------------------------------------------------- */

Test(api_load, modes)
{
    static const char binary[] = "\x1b" "Lua\x54\x00";
    cr_assert_eq(load_named("return 1", "=m"), CORO_OK);
    cr_assert_eq(coro_load(vm, "return 1", 8, "=m", "bt"), CORO_OK);
    cr_assert_eq(coro_load(vm, "return 1", 8, "=m", NULL), CORO_OK, "NULL means bt");
    cr_assert_eq(coro_gettop(vm), 3);
    cr_assert_eq(coro_load(vm, "return 1", 8, "=m", "b"), CORO_ERRSYNTAX);
    cr_assert_str_eq(errmsg(), "attempt to load a text chunk (mode is 'b')");
    cr_assert_eq(coro_load(vm, binary, sizeof binary - 1, "=m", "t"), CORO_ERRSYNTAX);
    cr_assert_str_eq(errmsg(), "attempt to load a binary chunk (mode is 't')");
    cr_assert_eq(coro_load(vm, binary, sizeof binary - 1, "=m", "bt"), CORO_ERRSYNTAX);
    cr_assert_str_eq(errmsg(), "binary chunks are not supported");
}

static void expect_load_error(const char *chunkname, const char *want)
{
    coro_settop(vm, 0);
    cr_assert_eq(coro_load(vm, "x = = 1", 7, chunkname, "t"), CORO_ERRSYNTAX);
    cr_assert_eq(coro_gettop(vm), 1);
    const char *msg = errmsg();
    cr_assert(strncmp(msg, want, strlen(want)) == 0, "'%s' does not start with '%s'", msg, want);
}

Test(api_load, chunk_names)
{
    expect_load_error("=literal name", "literal name:1:");
    expect_load_error("@dir/file.coro", "dir/file.coro:1:");
    expect_load_error("x = = 1", "[string \"x = = 1\"]:1:");
    expect_load_error(NULL, "?:1:");
    coro_settop(vm, 0);
    cr_assert_eq(coro_loadstring(vm, "x = = 1"), CORO_ERRSYNTAX);
    cr_assert(strncmp(errmsg(), "[string \"x = = 1\"]:1:", 19) == 0, "%s", errmsg());
    /* Runtime errors use the same name. */
    coro_settop(vm, 0);
    load_named("\n\nerror('here')", "@runtime.coro");
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "runtime.coro:3: here");
}

Test(api_load, text_with_zero_bytes_and_empty)
{
    cr_assert_eq(coro_load(vm, "return 'a\0b'", 12, "=z", "t"), CORO_OK);
    coro_call(vm, 0, 1);
    cr_assert_eq(coro_rawlen(vm, -1), 3);
    cr_assert_eq(load_named("", "=empty"), CORO_OK);
    coro_call(vm, 0, CORO_MULTRET);
    cr_assert_eq(coro_gettop(vm), 1, "an empty chunk returns nothing");
}

Test(api_load, loaded_chunks_see_the_globals)
{
    coro_pushinteger(vm, 5);
    coro_setglobal(vm, "g");
    run("g = g + 1 return ...");
    coro_getglobal(vm, "g");
    cr_assert_eq(coro_tointeger(vm, -1), 6);
    coro_loadstring(vm, "return select('#', ...), ...");
    coro_pushstring(vm, "a");
    coro_pushstring(vm, "b");
    coro_call(vm, 2, 2);
    cr_assert_eq(coro_tointeger(vm, -2), 2, "a chunk is a vararg function");
}

static char tmpname[64];

static void write_temp(const char *text)
{
    strcpy(tmpname, "/tmp/coro_api_XXXXXX");
    int fd = mkstemp(tmpname);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

Test(api_load, files)
{
    write_temp("#!/usr/bin/env coro\nlocal a = ...\nreturn (a or 1) * 7\n");
    cr_assert_eq(coro_loadfile(vm, tmpname), CORO_OK, "%s", errmsg());
    coro_pushinteger(vm, 3);
    coro_call(vm, 1, 1);
    cr_assert_eq(coro_tointeger(vm, -1), 21, "the #! line is skipped");
    cr_assert_eq(coro_dofile(vm, tmpname), CORO_OK);
    cr_assert_eq(coro_tointeger(vm, -1), 7);
    remove(tmpname);

    write_temp("local x = 1\nreturn x +\n");
    coro_settop(vm, 0);
    cr_assert_eq(coro_loadfile(vm, tmpname), CORO_ERRSYNTAX);
    char want[128];
    snprintf(want, sizeof want, "%s:", tmpname + 0);
    cr_assert(strncmp(errmsg(), want, strlen(want)) == 0, "'%s' names the file", errmsg());
    cr_assert_eq(coro_gettop(vm), 1);
    remove(tmpname);
}

Test(api_load, file_errors)
{
    cr_assert_eq(coro_loadfile(vm, "/nonexistent/dir/x.coro"), CORO_ERRFILE);
    cr_assert_str_eq(errmsg(), "cannot open /nonexistent/dir/x.coro: No such file or directory");
    cr_assert_eq(coro_gettop(vm), 1);
    coro_settop(vm, 0);
    cr_assert_eq(coro_loadfile(vm, "/tmp"), CORO_ERRFILE, "a directory cannot be read");
    cr_assert(strstr(errmsg(), "/tmp"), "%s", errmsg());
    coro_settop(vm, 0);
    cr_assert_eq(coro_dofile(vm, "/nonexistent/x.coro"), CORO_ERRFILE);
    cr_assert_eq(coro_gettop(vm), 1);
}

Test(api_load, standard_input)
{
    write_temp("return 'from stdin'");
    cr_assert_not_null(freopen(tmpname, "r", stdin));
    cr_assert_eq(coro_loadfile(vm, NULL), CORO_OK, "%s", errmsg());
    coro_call(vm, 0, 1);
    cr_assert_str_eq(coro_tostring(vm, -1), "from stdin");
    remove(tmpname);
    write_temp("error('stdin fails')");
    cr_assert_not_null(freopen(tmpname, "r", stdin));
    coro_settop(vm, 0);
    cr_assert_eq(coro_loadfile(vm, NULL), CORO_OK);
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "stdin:1: stdin fails");
    remove(tmpname);
}

Test(api_load, dostring_and_tracebacks)
{
    cr_assert_eq(coro_dostring(vm, "return 1, 2"), CORO_OK);
    cr_assert_eq(coro_gettop(vm), 2, "every result");
    coro_settop(vm, 0);
    cr_assert_eq(coro_dostring(vm, "local function lvl2() error('deep') end\n"
                                   "local function lvl1() lvl2() end\n"
                                   "lvl1()"), CORO_ERRRUN);
    const char *msg = errmsg();
    cr_assert(strstr(msg, ":1: deep\nstack traceback:\n"), "%s", msg);
    cr_assert(strstr(msg, "lvl2") && strstr(msg, "lvl1") && strstr(msg, "in main chunk"), "%s", msg);
    cr_assert_eq(coro_gettop(vm), 1);
    coro_settop(vm, 0);
    cr_assert_eq(coro_dostring(vm, "this is not code"), CORO_ERRSYNTAX);
    cr_assert_eq(coro_gettop(vm), 1);
    coro_settop(vm, 0);
    /* A non-string error is described. */
    cr_assert_eq(coro_dostring(vm, "error({})"), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "(error object is a table value)"), "%s", errmsg());
    coro_settop(vm, 0);
    cr_assert_eq(coro_dostring(vm, "error(setmetatable({}, {__tostring = function() return 'described' end}))"),
                 CORO_ERRRUN);
    cr_assert(strncmp(errmsg(), "described\nstack traceback:", 26) == 0, "%s", errmsg());
}

Test(api_load, pcall_traceback)
{
    run("function fails(x) error('failed with ' .. x) end");
    coro_pushstring(vm, "below");
    coro_getglobal(vm, "fails");
    coro_pushstring(vm, "arg");
    cr_assert_eq(coro_pcall_traceback(vm, 1, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "failed with arg\nstack traceback:"), "%s", errmsg());
    cr_assert(strstr(errmsg(), "fails"), "%s", errmsg());
    cr_assert_eq(coro_gettop(vm), 2);
    coro_settop(vm, 0);
    coro_getglobal(vm, "type");
    coro_pushinteger(vm, 1);
    cr_assert_eq(coro_pcall_traceback(vm, 1, 1), CORO_OK);
    cr_assert_str_eq(coro_tostring(vm, -1), "number");
}

static int push_traceback(coro_VM *v)
{
    coro_traceback(v, "here", 1);
    coro_traceback(v, NULL, 1);
    return 2;
}

Test(api_load, traceback_from_c)
{
    expose("push_traceback", push_traceback);
    load_named("local function inner()\n  return push_traceback()\nend\nreturn inner()", "=tb");
    cr_assert_eq(coro_pcall(vm, 0, 2, 0), CORO_OK, "%s", errmsg());
    const char *with = coro_tostring(vm, 1), *without = coro_tostring(vm, 2);
    cr_assert(strncmp(with, "here\nstack traceback:", 21) == 0, "%s", with);
    cr_assert(strstr(with, "tb:2:"), "%s", with);
    cr_assert(strncmp(without, "stack traceback:", 16) == 0, "%s", without);
}

/* ---- the count hook ------------------------------------------------------------------------ */

static int hook_calls;
static int hook_limit;

static void counting_hook(coro_VM *v)
{
    if (++hook_calls > hook_limit) {
        coro_pushstring(v, "too long");
        coro_error(v);
    }
}

Test(api_hook, stops_a_runaway_script)
{
    hook_calls = 0;
    hook_limit = 100;
    coro_sethook(vm, counting_hook, 1000);
    cr_assert_eq(coro_dostring(vm, "while true do end"), CORO_ERRRUN);
    cr_assert(strncmp(errmsg(), "too long", 8) == 0, "%s", errmsg());
    cr_assert_eq(hook_calls, 101);
    /* Also a loop through calls only. */
    hook_calls = 0;
    coro_settop(vm, 0);
    cr_assert_eq(coro_dostring(vm, "local function f() return f() end f()"), CORO_ERRRUN);
    cr_assert(strncmp(errmsg(), "too long", 8) == 0, "%s", errmsg());
    /* And inside coroutines. */
    hook_calls = 0;
    coro_settop(vm, 0);
    cr_assert_eq(coro_dostring(vm, "local co = coroutine.wrap(function() while true do end end) co()"),
                 CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "too long"), "%s", errmsg());
}

Test(api_hook, scripts_can_catch_it_but_not_escape)
{
    hook_calls = 0;
    hook_limit = 10;
    coro_sethook(vm, counting_hook, 100);
    cr_assert_eq(coro_dostring(vm, "caught = select(2, pcall(function() while true do end end))\n"
                                   "while true do end"), CORO_ERRRUN);
    coro_getglobal(vm, "caught");
    cr_assert_str_eq(coro_tostring(vm, -1), "too long");
}

Test(api_hook, removed_hook_is_not_called)
{
    hook_calls = 0;
    hook_limit = 1 << 30;
    coro_sethook(vm, counting_hook, 10);
    run("for i = 1, 1000 do end");
    cr_assert_gt(hook_calls, 50);
    coro_sethook(vm, NULL, 0);
    int before = hook_calls;
    run("for i = 1, 100000 do end");
    cr_assert_eq(hook_calls, before);
    /* A count of 0 also removes it. */
    coro_sethook(vm, counting_hook, 10);
    coro_sethook(vm, counting_hook, 0);
    run("for i = 1, 100000 do end");
    cr_assert_eq(hook_calls, before);
}

Test(api_hook, the_vm_is_usable_after_a_stop)
{
    hook_calls = 0;
    hook_limit = 5;
    coro_sethook(vm, counting_hook, 100);
    cr_assert_eq(coro_dostring(vm, "while true do end"), CORO_ERRRUN);
    coro_settop(vm, 0);
    hook_calls = 0;
    hook_limit = 1 << 30;
    run("local s = 0 for i = 1, 100 do s = s + i end return s");
    cr_assert_eq(coro_tointeger(vm, -1), 5050);
}

static void where_hook(coro_VM *v)
{
    coro_where(v, 0);   /* the interrupted script function */
    coro_error(v);
}

/* A hook that fires on the backward jump of a loop sees a line of the
 * loop (it once saw the line of the instruction before the loop). */
Test(api_hook, position_of_the_interrupted_code)
{
    coro_sethook(vm, where_hook, 1000);
    load_named("local x = 0\nwhile true do\n  x = x + 1\nend", "=h");
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    const char *msg = errmsg();
    cr_assert(strcmp(msg, "h:2: ") == 0 || strcmp(msg, "h:3: ") == 0 || strcmp(msg, "h:4: ") == 0,
              "%s", msg);
}
