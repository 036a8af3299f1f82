/*
 * The collector: unreachable objects are freed, reachable ones survive
 * (including through suspended coroutines, open upvalues and the
 * registry), finalizers run, memory returns to its baseline.
 */
#include <criterion/criterion.h>

#include "coro.h"

static coro_VM *vm;

static void setup(void)
{
    vm = coro_new(NULL);
    coro_open_libs(vm);
}
static void teardown(void) { coro_free(vm); }

TestSuite(gc, .init = setup, .fini = teardown);

static void run(const char *code)
{
    int status = coro_dostring(vm, code);
    cr_assert_eq(status, CORO_OK, "%s", status ? coro_tostring(vm, -1) : "");
}

Test(gc, garbage_is_freed)
{
    coro_gc(vm, CORO_GCCOLLECT, 0);
    size_t before = coro_memory_used(vm);
    run("local t = {} for i = 1, 100000 do t[i] = {i} end t = nil");
    coro_gc(vm, CORO_GCCOLLECT, 0);
    size_t after = coro_memory_used(vm);
    cr_assert_lt(after, before + 64 * 1024, "before %zu after %zu", before, after);
}

Test(gc, suspended_coroutines_keep_their_values)
{
    run("co = coroutine.create(function() local t = {x = 'kept'} coroutine.yield() return t.x end) "
        "coroutine.resume(co)");
    coro_gc(vm, CORO_GCCOLLECT, 0);
    run("local ok, v = coroutine.resume(co) assert(ok and v == 'kept')");
}

Test(gc, open_upvalues_of_dropped_coroutines)
{
    /* A closure escapes a coroutine that is then dropped while suspended:
     * the upvalue must keep its value. */
    run("local co = coroutine.wrap(function() local v = {'alive'} get = function() return v[1] end "
        "coroutine.yield() end) co() co = nil");
    coro_gc(vm, CORO_GCCOLLECT, 0);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    run("assert(get() == 'alive')");
}

Test(gc, finalizers_run)
{
    run("count = 0 for i = 1, 10 do setmetatable({}, {__gc = function() count = count + 1 end}) end");
    coro_gc(vm, CORO_GCCOLLECT, 0);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    run("assert(count == 10, count)");
}

Test(gc, registry_references_keep_values)
{
    coro_newtable(vm);
    coro_pushstring(vm, "v");
    coro_setfield(vm, -2, "k");
    int ref = coro_ref(vm, CORO_REGISTRYINDEX);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    coro_getref(vm, CORO_REGISTRYINDEX, ref);
    coro_getfield(vm, -1, "k");
    cr_assert_str_eq(coro_tostring(vm, -1), "v");
    coro_unref(vm, CORO_REGISTRYINDEX, ref);
}

Test(gc, count_includes_stacks)
{
    coro_gc(vm, CORO_GCCOLLECT, 0);
    size_t before = coro_memory_used(vm);
    run("local function f(n) if n == 0 then deepcount = collectgarbage('count') return 0 end "
        "return 1 + f(n - 1) end f(10000)");
    coro_getglobal(vm, "deepcount");
    double kb = coro_tonumber(vm, -1);
    /* 10,000 frames and their registers are counted. */
    cr_assert_gt(kb * 1024, (double)before + 10000 * 40);
}
