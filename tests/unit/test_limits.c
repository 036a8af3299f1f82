/*
 * The limits a host sets on untrusted scripts (include/coro.h): the
 * instruction-count hook and the memory limit.  Whatever the script does,
 * it ends with a clean error the host can read, in bounded time, and the
 * VM goes on working.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coro.h"

static coro_VM *vm;
static long fired;
static long budget;

/* Raises once the budget is spent, and from then on at every count, as a
 * sandbox would (a script catching the error cannot get far). */
static void budget_hook(coro_VM *hvm)
{
    if (++fired <= budget)
        return;
    coro_sethook(hvm, budget_hook, 1);
    coro_errorf(hvm, "budget spent");
}

static void setup(void)
{
    vm = coro_new(NULL);
    cr_assert(vm);
    cr_assert_eq(coro_open_libs(vm), CORO_OK);
    fired = 0;
}
static void teardown(void) { coro_free(vm); }

TestSuite(limits, .init = setup, .fini = teardown, .timeout = 60);

static void arm(long firings, int every)
{
    fired = 0;
    budget = firings;
    coro_sethook(vm, budget_hook, every);
}

/* Runs code; returns its status, leaves the message (if any) in msg. */
static int run(const char *code, char *msg, size_t size)
{
    int status = coro_dostring(vm, code);
    const char *m = status == CORO_OK ? "" : coro_tostring(vm, -1);
    snprintf(msg, size, "%s", m ? m : "(not a string)");
    coro_settop(vm, 0);
    return status;
}

static void still_works(void)
{
    coro_sethook(vm, NULL, 0);
    coro_set_memory_limit(vm, 0);
    cr_assert_eq(coro_dostring(vm, "local t = {} for i = 1, 1000 do t[i] = i .. '' end return #t"),
                 CORO_OK, "%s", coro_tostring(vm, -1));
    cr_assert_eq(coro_tointeger(vm, -1), 1000);
    coro_settop(vm, 0);
}

/* Each chunk must end in the budget's error, with a fresh budget of
 * `firings` firings of the hook every 1,000 counts. */
static void expect_budget_stops(const char *const *chunks, size_t n, long firings)
{
    char msg[512];
    for (size_t i = 0; i < n; i++) {
        arm(firings, 1000);
        int status = run(chunks[i], msg, sizeof msg);
        cr_assert_eq(status, CORO_ERRRUN, "%s: status %d", chunks[i], status);
        cr_assert(strstr(msg, "budget spent"), "%s: %s", chunks[i], msg);
    }
    still_works();
}

Test(limits, hook_stops_an_endless_loop)
{
    char msg[512];
    arm(100, 1000);
    cr_assert_eq(run("while true do end", msg, sizeof msg), CORO_ERRRUN);
    cr_assert(strstr(msg, "budget spent"), "%s", msg);
    still_works();
}

Test(limits, hook_stops_a_loop_that_catches_its_errors)
{
    char msg[512];
    arm(100, 1000);
    int status = run("local function f() while true do end end\n"
                     "while true do pcall(f) end", msg, sizeof msg);
    cr_assert_eq(status, CORO_ERRRUN);
    cr_assert(strstr(msg, "budget spent"), "%s", msg);
    still_works();
}

Test(limits, hook_stops_endless_coroutines_and_tasks)
{
    char msg[512];
    arm(100, 1000);
    cr_assert_neq(run("local co = coroutine.wrap(function() while true do yield end end)\n"
                      "while true do co() end", msg, sizeof msg), CORO_OK);
    cr_assert(strstr(msg, "budget spent"), "%s", msg);
    arm(100, 1000);
    cr_assert_neq(run("sched.run(function() while true do yield end end)", msg, sizeof msg),
                  CORO_OK);
    cr_assert(strstr(msg, "budget spent"), "%s", msg);
    still_works();
}

/* Each level returns one value more than the level below: the way back
 * copies a number of values that grows with the square of the depth.
 * Without the copies counted, a million levels ran for many minutes
 * between two counts and the hook could not stop them. */
Test(limits, hook_sees_results_growing_with_depth)
{
    char msg[512];
    arm(2000, 1000);
    int status = run("local function f() return pcall(f) end\n"
                     "return select('#', f())", msg, sizeof msg);
    /* The hook fired on the way back (a level's pcall caught it, and the
     * results stopped growing) well before the suite's timeout. */
    cr_assert_gt(fired, budget);
    cr_assert(status == CORO_OK || strstr(msg, "budget spent"), "%s", msg);
    still_works();
}

Test(limits, memory_limit_gives_a_catchable_error)
{
    char msg[512];
    size_t base = coro_memory_used(vm);
    coro_set_memory_limit(vm, base + (4u << 20));
    static const char *const programs[] = {
        "local s = string.rep('x', 10 * 1024 * 1024)",
        "local s = 'x' for i = 1, 40 do s = s .. s end",
        "local t = {} for i = 1, 1e8 do t[i] = i end",
        "local t = {} for i = 1, 1e8 do t['k' .. i] = true end",
        "local t = {} for i = 1, 1e6 do t[i] = string.rep('y', 100) end return table.concat(t)",
        "return string.format('%s%s', string.rep('a', 3e6), string.rep('b', 3e6))",
        "return select('#', table.unpack({}, 1, 900000))",
        "local function f() return 1 + f() end return f()",
        "local co = {} for i = 1, 1e6 do co[i] = coroutine.create(print) end",
        "local s = string.rep('a', 1e6) local t = {} for w in s:gmatch('()') do t[#t+1] = w end",
        "return load(string.rep('local x = {1, 2, 3} ', 1e6))",
        "sched.run(function() local q = sched.queue() for i = 1, 1e8 do await q:put({}) end end)",
    };
    for (size_t i = 0; i < sizeof programs / sizeof *programs; i++) {
        /* Inside pcall: the script sees the error and goes on. */
        char wrapped[600];
        snprintf(wrapped, sizeof wrapped,
                 "local ok, err = pcall(load([==[%s]==]))\n"
                 "collectgarbage()\n"
                 "if ok then error('finished', 0) end\n"
                 "if err ~= 'not enough memory' then error(err, 0) end\n"
                 "return 'caught'", programs[i]);
        int status = coro_dostring(vm, wrapped);
        const char *m = coro_tostring(vm, -1);
        cr_assert_eq(status, CORO_OK, "%s: %s", programs[i], m ? m : "?");
        cr_assert_str_eq(m, "caught", "%s", programs[i]);
        coro_settop(vm, 0);
        /* Uncaught: the host gets the error. */
        status = run(programs[i], msg, sizeof msg);
        /* CORO_ERRMEM, or CORO_ERRRUN where library code raised it again
         * (sched.run raising its task's error), as in Lua. */
        cr_assert(status == CORO_ERRMEM || status == CORO_ERRRUN, "%s: status %d, %s",
                  programs[i], status, msg);
        cr_assert(strncmp(msg, "not enough memory", 17) == 0, "%s: %s", programs[i], msg);
        coro_gc(vm, CORO_GCCOLLECT, 0);
        /* What the failed program held is garbage now, and the main
         * coroutine gives back the stack and frames it grew to: the next
         * program has about the room the first had (the intern table of
         * strings keeps its size).  Before, a recursion to the limit left
         * it all held by the main coroutine. */
        cr_assert_lt(coro_memory_used(vm), base + (1u << 20), "%s: %zu bytes held", programs[i],
                     coro_memory_used(vm) - base);
    }
    still_works();
}

/* Source whose innermost function uses 300 upvalues (past the limit of
 * 255) inside one long expression: "before" and "after" surround the
 * 300 names, "sep" goes between them. */
static void upvalue_source(char *src, size_t size, const char *before, const char *sep,
                           const char *after)
{
    size_t n = 0;
    for (int i = 1; i <= 300; i++) {
        if (i == 151)
            n += (size_t)snprintf(src + n, size - n, "return function()\n");
        n += (size_t)snprintf(src + n, size - n, "local a%d\n", i);
    }
    n += (size_t)snprintf(src + n, size - n, "return function() %s", before);
    for (int i = 1; i <= 300; i++)
        n += (size_t)snprintf(src + n, size - n, "%sa%d", i > 1 ? sep : "", i);
    snprintf(src + n, size - n, "%s end end", after);
}

/* A compile error must give back everything the compiler took: before,
 * the heap arrays of a long operator chain, a long suffix chain or a
 * long assignment were lost when an error unwound past them. */
Test(limits, compile_errors_free_their_memory)
{
    static char src[3][16384];
    upvalue_source(src[0], sizeof src[0], "return 0 + ", " + ", "");
    upvalue_source(src[1], sizeof src[1], "return t[", "][", "]");
    size_t n = 0;
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(src[2] + n, sizeof src[2] - n, "%sa", i ? ", " : "");
    snprintf(src[2] + n, sizeof src[2] - n, " = 1");
    for (size_t i = 0; i < 3; i++) {
        /* Once first: caches of the VM (strings of the API) fill. */
        cr_assert_eq(coro_loadstring(vm, src[i]), CORO_ERRSYNTAX, "case %zu compiled", i);
        coro_settop(vm, 0);
        coro_gc(vm, CORO_GCCOLLECT, 0);
        size_t before = coro_memory_used(vm);
        cr_assert_eq(coro_loadstring(vm, src[i]), CORO_ERRSYNTAX, "case %zu compiled", i);
        coro_settop(vm, 0);
        coro_gc(vm, CORO_GCCOLLECT, 0);
        cr_assert_eq(coro_memory_used(vm), before, "case %zu: %zu bytes kept",
                     i, coro_memory_used(vm) - before);
    }
}

/* A traceback set aside while another is built (coro_traceback, or the
 * message of an error whose __tostring fails) must keep what it refers
 * to alive: with a collection at every allocation, the closures only the
 * set-aside traceback named were freed and later marked (found by ASan
 * in the GC-stress run). */
Test(limits, set_aside_traceback_survives_collections)
{
    setenv("CORO_GC_STRESS", "1", 1);
    coro_VM *svm = coro_new(NULL);
    unsetenv("CORO_GC_STRESS");
    cr_assert(svm);
    cr_assert_eq(coro_open_libs(svm), CORO_OK);
    /* The error's trace names closures that are garbage once it is caught. */
    cr_assert_eq(coro_dostring(svm,
        "for i = 1, 3 do pcall(function() local f = function() error('x') end; f() end) end"),
        CORO_OK);
    coro_traceback(svm, "here", 0);
    cr_assert(strstr(coro_tostring(svm, -1), "here"));
    coro_settop(svm, 0);
    coro_gc(svm, CORO_GCCOLLECT, 0);
    /* And an uncaught error whose value cannot be shown. */
    int status = coro_dostring(svm,
        "local function inner() error(setmetatable({}, {__tostring = function() error('no') end})) end\n"
        "inner()");
    cr_assert_eq(status, CORO_ERRRUN);
    cr_assert(strstr(coro_tostring(svm, -1), "cannot be converted"), "%s", coro_tostring(svm, -1));
    coro_settop(svm, 0);
    coro_gc(svm, CORO_GCCOLLECT, 0);
    coro_free(svm);
}

/* A pattern that backtracks exponentially (found by the string fuzzer:
 * twenty-odd "x*" items against a run of x's that then fails) ran for
 * hours inside one call of string.find, where the count hook never fired.
 * Matching steps now count, so a budget stops it. */
Test(limits, hook_stops_exponential_pattern_matching)
{
    static const char *const calls[] = {
        "return string.find(string.rep('*', 46) .. 'l 5', \"'*\" .. string.rep('*', 54) .. 'l 5 34')",
        "return string.match(string.rep('a', 40), string.rep('a*', 30) .. 'b')",
        "return string.gsub(string.rep('a', 40), string.rep('a-', 30) .. 'b', 'x')",
        "for w in string.gmatch(string.rep('a', 40), string.rep('a?', 40) .. 'b') do end",
        /* Quadratic work inside few matcher steps: long scans. */
        "return string.find(string.rep('(', 1e6), '%b()')",
        "return string.find(string.rep('a', 1e6), '.-b')",
        "return string.find(string.rep('a', 1e6), '[' .. string.rep('xyz', 1e4) .. 'a]*b')",
        "return string.find(string.rep('a', 1e6), '[' .. string.rep('xyz', 1e4) .. 'a]-b')",
        "return string.find(string.rep('a', 1e5), string.rep('[' .. string.rep('xyz', 1e3) .. 'a]', 100) .. 'b')",
        "local s = string.rep('a', 2e5) return string.find(s .. s, '(' .. s .. ')%1b')",
    };
    expect_budget_stops(calls, sizeof calls / sizeof *calls, 1000);
}

/* Each iteration of these loops counts once, but copies megabytes: the
 * budget allowed terabytes of copying (hours).  Building a long string
 * now counts in proportion to its length. */
Test(limits, hook_sees_strings_being_built)
{
    static const char *const loops[] = {
        "local s = string.rep('x', 1e7) while true do local t = s .. 'y' end",
        "local s = string.rep('x', 1e7) while true do local t = string.rep(s, 2) end",
        "local t = {string.rep('x', 1e7), 'y'} while true do local u = table.concat(t) end",
        "local s = string.rep('x', 1e7) while true do local u = string.format('%s%s', s, s) end",
        "local s = string.rep('x', 1e7) while true do local u = s:gsub('x', 'y') end",
    };
    expect_budget_stops(loops, sizeof loops / sizeof *loops, 2000);
}

/* Library loops whose length a script picks (found by the program
 * fuzzer: table.move over 2^62 elements ran for hours under a budget). */
Test(limits, hook_stops_long_table_library_loops)
{
    static const char *const calls[] = {
        "return table.move({}, 1, 1 << 62, 2)",
        "return table.move({}, 1, 1 << 62, 2, {})",
        "return table.move({}, 2, 1 << 62, 1)",
        "local p = setmetatable({}, {__len = function() return 1 << 62 end}) table.insert(p, 1, 0)",
        "local p = setmetatable({}, {__len = function() return 1 << 62 end}) table.remove(p, 1)",
        "local p = setmetatable({}, {__len = function() return 1 << 62 end, __index = function() return '' end})"
        " return table.concat(p)",
    };
    expect_budget_stops(calls, sizeof calls / sizeof *calls, 1000);
}
