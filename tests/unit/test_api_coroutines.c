/*
 * test_api_coroutines.c: the public API, part 4: coroutines driven from
 * C (coro_newcoroutine, coro_resume, coro_costatus), C functions that
 * yield (coro_yieldk, also from inside a script pcall and a C pcallk),
 * coro_resumek, and the scheduler driven by the host (spawn, run, step,
 * timeout, pollfds, tasks, failures, custom instructions woken from C).
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <string.h>
#include <unistd.h>

#include "coro.h"

#include "api_fixture.h"

static void setup_quiet(void)
{
    cr_redirect_stderr();   /* failure and deadlock reports are expected */
    setup();
}

TestSuite(api_co, .init = setup, .fini = teardown);
TestSuite(api_yield, .init = setup, .fini = teardown);
TestSuite(api_sched, .init = setup, .fini = teardown);

static void expose(const char *name, coro_CFunction fn)
{
    coro_pushcfunction(vm, fn);
    coro_setglobal(vm, name);
}

/* ---- coroutines from C -------------------------------------------------------- */

/* Pushes a coroutine running the function the chunk returns. */
static void new_coroutine(const char *code)
{
    run(code);
    coro_newcoroutine(vm);
    cr_assert_eq(coro_type(vm, -1), CORO_TTHREAD);
}

/* Resumes the coroutine at idx (a copy) with nargs values from the top. */
static int resume_at(int idx, int nargs, int *nres)
{
    idx = coro_absindex(vm, idx);
    coro_pushvalue(vm, idx);
    coro_insert(vm, -(nargs + 1));
    return coro_resume(vm, nargs, nres);
}

Test(api_co, resume_yields_and_returns)
{
    new_coroutine("return function(a, b)\n"
                  "  local c = coroutine.yield(a + b, 'two')\n"
                  "  local d = yield\n"
                  "  return c, d, 'end'\n"
                  "end");
    cr_assert_eq(coro_costatus(vm, 1), CORO_CO_SUSPENDED);
    int nres;
    coro_pushinteger(vm, 1);
    coro_pushinteger(vm, 2);
    cr_assert_eq(resume_at(1, 2, &nres), CORO_YIELD);
    cr_assert_eq(nres, 2);
    cr_assert_eq(coro_gettop(vm), 3, "the coroutine and arguments were popped");
    cr_assert_eq(coro_tointeger(vm, 2), 3);
    cr_assert_str_eq(coro_tostring(vm, 3), "two");
    cr_assert_eq(coro_costatus(vm, 1), CORO_CO_SUSPENDED);
    coro_settop(vm, 1);
    coro_pushstring(vm, "c");
    cr_assert_eq(resume_at(1, 1, &nres), CORO_YIELD);
    cr_assert_eq(nres, 0, "a bare yield hands nothing");
    coro_pushstring(vm, "d");
    cr_assert_eq(resume_at(1, 1, &nres), CORO_OK);
    cr_assert_eq(nres, 3);
    cr_assert_str_eq(coro_tostring(vm, -3), "c");
    cr_assert_str_eq(coro_tostring(vm, -2), "d");
    cr_assert_str_eq(coro_tostring(vm, -1), "end");
    cr_assert_eq(coro_costatus(vm, 1), CORO_CO_DEAD);
    coro_settop(vm, 1);
    cr_assert_eq(resume_at(1, 0, &nres), CORO_ERRRUN);
    cr_assert_eq(nres, 1);
    cr_assert_str_eq(errmsg(), "cannot resume dead coroutine");
}

Test(api_co, resume_errors)
{
    new_coroutine("return function() yield 1 error('inside', 0) end");
    int nres;
    cr_assert_eq(resume_at(1, 0, &nres), CORO_YIELD);
    coro_settop(vm, 1);
    cr_assert_eq(resume_at(1, 0, &nres), CORO_ERRRUN);
    cr_assert_eq(nres, 1);
    cr_assert_str_eq(errmsg(), "inside");
    cr_assert_eq(coro_costatus(vm, 1), CORO_CO_DEAD);
    coro_settop(vm, 1);
    /* Not a coroutine at all. */
    coro_pushinteger(vm, 5);
    cr_assert_eq(coro_resume(vm, 0, &nres), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "coroutine expected");
    coro_settop(vm, 1);
    /* The running coroutine cannot be resumed. */
    coro_pushthread(vm);
    cr_assert_eq(coro_resume(vm, 0, &nres), CORO_ERRRUN);
    cr_assert_str_eq(errmsg(), "cannot resume non-suspended coroutine");
    /* The VM carries on. */
    coro_settop(vm, 0);
    run("return 2 + 2");
    cr_assert_eq(coro_tointeger(vm, -1), 4);
}

Test(api_co, error_values_of_any_type)
{
    new_coroutine("return function() error({code = 3}) end");
    int nres;
    cr_assert_eq(resume_at(1, 0, &nres), CORO_ERRRUN);
    cr_assert_eq(coro_type(vm, -1), CORO_TTABLE);
    coro_getfield(vm, -1, "code");
    cr_assert_eq(coro_tointeger(vm, -1), 3);
}

static int report_status(coro_VM *v)
{
    /* Called inside coroutine B, which was resumed by A: both statuses. */
    coro_getglobal(v, "A");
    coro_getglobal(v, "B");
    coro_pushinteger(v, coro_costatus(v, -2));
    coro_pushinteger(v, coro_costatus(v, -2));
    coro_pushboolean(v, coro_isyieldable(v));
    return 3;
}

Test(api_co, statuses_and_yieldability)
{
    expose("report_status", report_status);
    run("B = coroutine.create(function() return report_status() end)\n"
        "A = coroutine.create(function() return coroutine.resume(B) end)\n"
        "return coroutine.resume(A)");
    cr_assert_eq(coro_toboolean(vm, 1), 1);
    cr_assert_eq(coro_toboolean(vm, 2), 1);
    cr_assert_eq(coro_tointeger(vm, 3), CORO_CO_NORMAL, "A resumed B");
    cr_assert_eq(coro_tointeger(vm, 4), CORO_CO_RUNNING);
    cr_assert_eq(coro_toboolean(vm, 5), 1);
    cr_assert_eq(coro_isyieldable(vm), 0, "the host is in the main coroutine");
    coro_newtable(vm);
    cr_assert_eq(coro_costatus(vm, -1), CORO_CO_DEAD, "not a coroutine");
}

static int yieldable_inside_call(coro_VM *v)
{
    coro_pushboolean(v, coro_isyieldable(v));
    return 1;
}

static int call_it(coro_VM *v)
{
    /* coro_call runs its callee to completion: no yield across it. */
    coro_pushvalue(v, 1);
    coro_call(v, 0, CORO_MULTRET);
    return coro_gettop(v) - 1;
}

Test(api_co, no_yield_across_coro_call)
{
    expose("yieldable", yieldable_inside_call);
    expose("call_it", call_it);
    run("local co = coroutine.wrap(function()\n"
        "  return yieldable(), call_it(yieldable)\n"
        "end)\n"
        "return co()");
    cr_assert_eq(coro_toboolean(vm, 1), 1);
    cr_assert_eq(coro_toboolean(vm, 2), 0, "under coro_call");
    coro_settop(vm, 0);
    run("local co = coroutine.create(function() call_it(function() yield 1 end) end)\n"
        "return coroutine.resume(co)");
    cr_assert_eq(coro_toboolean(vm, 1), 0);
    cr_assert(strstr(coro_tostring(vm, 2), "attempt to yield across a C-call boundary"), "%s",
              coro_tostring(vm, 2));
}

static int c_body(coro_VM *v)
{
    /* A coroutine whose body is C: yields its argument doubled, then
     * returns what it was sent. */
    coro_pushinteger(v, coro_checkinteger(v, 1) * 2);
    return coro_yieldk(v, 1, 0, NULL);
}

Test(api_co, coroutine_with_a_c_body)
{
    coro_pushcfunction(vm, c_body);
    coro_newcoroutine(vm);
    int nres;
    coro_pushinteger(vm, 21);
    cr_assert_eq(resume_at(1, 1, &nres), CORO_YIELD);
    cr_assert_eq(coro_tointeger(vm, -1), 42);
    coro_settop(vm, 1);
    coro_pushstring(vm, "sent");
    coro_pushstring(vm, "too");
    cr_assert_eq(resume_at(1, 2, &nres), CORO_OK);
    cr_assert_eq(nres, 2, "with no continuation, the resume values are the results");
    cr_assert_str_eq(coro_tostring(vm, -2), "sent");
    cr_assert_str_eq(coro_tostring(vm, -1), "too");
}

Test(api_co, async_functions_and_generic_for)
{
    new_coroutine("return function(n) for i = 1, n do yield i end end");
    coro_settop(vm, 0);
    run("async function count(n) for i = 1, n do yield i * 10 end return 'done' end\n"
        "return count(2)");
    int nres;
    cr_assert_eq(resume_at(1, 0, &nres), CORO_YIELD);
    cr_assert_eq(coro_tointeger(vm, -1), 10);
    coro_settop(vm, 1);
    cr_assert_eq(resume_at(1, 0, &nres), CORO_YIELD);
    cr_assert_eq(coro_tointeger(vm, -1), 20);
    coro_settop(vm, 1);
    cr_assert_eq(resume_at(1, 0, &nres), CORO_OK);
    cr_assert_str_eq(coro_tostring(vm, -1), "done");
}

Test(api_co, suspended_coroutines_survive_collection)
{
    new_coroutine("return function() local t = {'kept'} yield 1 return t[1] end");
    int nres;
    cr_assert_eq(resume_at(1, 0, &nres), CORO_YIELD);
    int ref;
    coro_pushvalue(vm, 1);
    ref = coro_ref(vm, CORO_REGISTRYINDEX);
    coro_settop(vm, 0);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    coro_getref(vm, CORO_REGISTRYINDEX, ref);
    cr_assert_eq(resume_at(1, 0, &nres), CORO_OK);
    cr_assert_str_eq(coro_tostring(vm, -1), "kept");
    const char *s = coro_tolstring_meta(vm, 1, NULL);
    cr_assert(strstr(s, "thread: ") && strstr(s, "(dead)"), "%s", s);
}

/* ---- C functions that yield ------------------------------------------------------ */

static int k_status;
static coro_KContext k_ctx;
static int k_calls;

static int yield_k(coro_VM *v, int status, coro_KContext ctx)
{
    k_calls++;
    k_status = status;
    k_ctx = ctx;
    /* The resume values are on top; hand back the first one, tagged. */
    coro_pushfstring(v, "resumed with %s", coro_tostring(v, -1));
    return 1;
}

static int c_yield(coro_VM *v)
{
    coro_pushstring(v, "out");
    return coro_yieldk(v, 1, 4242, yield_k);
}

Test(api_yield, continuation_gets_status_ctx_and_values)
{
    k_calls = 0;
    expose("c_yield", c_yield);
    new_coroutine("return function() return c_yield() end");
    int nres;
    cr_assert_eq(resume_at(1, 0, &nres), CORO_YIELD);
    cr_assert_eq(nres, 1);
    cr_assert_str_eq(coro_tostring(vm, -1), "out");
    cr_assert_eq(k_calls, 0, "not before the resume");
    coro_settop(vm, 1);
    coro_pushstring(vm, "in");
    cr_assert_eq(resume_at(1, 1, &nres), CORO_OK);
    cr_assert_eq(k_calls, 1);
    cr_assert_eq(k_status, CORO_YIELD);
    cr_assert_eq(k_ctx, 4242);
    cr_assert_str_eq(coro_tostring(vm, -1), "resumed with in");
}

Test(api_yield, across_a_script_pcall)
{
    /* c_yield runs inside a script pcall inside a coroutine: the yield
     * crosses the pcall, and the pcall still protects what follows. */
    expose("c_yield", c_yield);
    new_coroutine("return function()\n"
                  "  local ok, v = pcall(function()\n"
                  "    local r = c_yield()\n"
                  "    error('after: ' .. r, 0)\n"
                  "  end)\n"
                  "  return ok, v\n"
                  "end");
    int nres;
    cr_assert_eq(resume_at(1, 0, &nres), CORO_YIELD);
    cr_assert_str_eq(coro_tostring(vm, -1), "out");
    coro_settop(vm, 1);
    coro_pushstring(vm, "value");
    cr_assert_eq(resume_at(1, 1, &nres), CORO_OK, "%s", errmsg());
    cr_assert_eq(nres, 2);
    cr_assert_eq(coro_toboolean(vm, -2), 0);
    cr_assert_str_eq(coro_tostring(vm, -1), "after: resumed with value");
    cr_assert_eq(k_status, CORO_YIELD);
}

static int pcallk_done(coro_VM *v, int status, coro_KContext ctx)
{
    (void)ctx;
    coro_pushinteger(v, status);
    return 2;
}

static int protected_runner(coro_VM *v)
{
    /* Calls its argument with coro_pcallk: the callee may yield. */
    coro_pushvalue(v, 1);
    return coro_pcallk(v, 0, 1, 0, 0, pcallk_done);
}

Test(api_yield, across_a_c_pcallk)
{
    expose("c_yield", c_yield);
    expose("protected_runner", protected_runner);
    new_coroutine("return function()\n"
                  "  return protected_runner(function() local r = c_yield() error(r, 0) end)\n"
                  "end");
    int nres;
    cr_assert_eq(resume_at(1, 0, &nres), CORO_YIELD);
    coro_settop(vm, 1);
    coro_pushstring(vm, "x");
    cr_assert_eq(resume_at(1, 1, &nres), CORO_OK, "%s", errmsg());
    cr_assert_eq(nres, 2);
    cr_assert_str_eq(coro_tostring(vm, -2), "resumed with x");
    cr_assert_eq(coro_tointeger(vm, -1), CORO_ERRRUN);
}

static int yield_outside(coro_VM *v)
{
    coro_pushinteger(v, 1);
    return coro_yieldk(v, 1, 0, NULL);
}

Test(api_yield, outside_a_coroutine)
{
    expose("yield_outside", yield_outside);
    coro_loadstring(vm, "yield_outside()");
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "attempt to yield from outside a coroutine"), "%s", errmsg());
}

static int resumek_k(coro_VM *v, int status, coro_KContext ctx)
{
    (void)ctx;
    /* The coroutine and the arguments are gone; the values it handed
     * over (or its error) are what is left.  Add the status. */
    coro_pushinteger(v, status);
    return coro_gettop(v);
}

static int resume_with_k(coro_VM *v)
{
    /* resume_with_k(co, ...): resumes co without nesting a C call. */
    return coro_resumek(v, coro_gettop(v) - 1, 0, resumek_k);
}

Test(api_yield, resumek)
{
    expose("resume_with_k", resume_with_k);
    run("co = coroutine.create(function(a) yield a * 2 return 'ret' end)\n"
        "local a, sa = resume_with_k(co, 5)\n"
        "local b, sb = resume_with_k(co, 'x')\n"
        "co = coroutine.create(function() local b = coroutine.yield() error(b, 0) end)\n"
        "resume_with_k(co)\n"
        "local c, sc = resume_with_k(co, 'fail')\n"
        "return a, sa, b, sb, c, sc");
    cr_assert_eq(coro_tointeger(vm, 1), 10);
    cr_assert_eq(coro_tointeger(vm, 2), CORO_YIELD);
    cr_assert_str_eq(coro_tostring(vm, 3), "ret");
    cr_assert_eq(coro_tointeger(vm, 4), CORO_OK);
    cr_assert_str_eq(coro_tostring(vm, 5), "fail");
    cr_assert_eq(coro_tointeger(vm, 6), CORO_ERRRUN);
}

Test(api_yield, resumek_from_a_coroutine_yields_through)
{
    /* A coroutine that resumes another with coro_resumek may itself be
     * suspended and resumed meanwhile: nothing is on the C stack. */
    expose("resume_with_k", resume_with_k);
    new_coroutine("return function()\n"
                  "  local inner = coroutine.create(function() yield 'inner' return 'inner done' end)\n"
                  "  local v1 = resume_with_k(inner)\n"
                  "  local got = yield v1\n"
                  "  local v2, st = resume_with_k(inner)\n"
                  "  return got, v2, st\n"
                  "end");
    int nres;
    cr_assert_eq(resume_at(1, 0, &nres), CORO_YIELD);
    cr_assert_str_eq(coro_tostring(vm, -1), "inner");
    coro_settop(vm, 1);
    coro_pushstring(vm, "outer got");
    cr_assert_eq(resume_at(1, 1, &nres), CORO_OK, "%s", errmsg());
    cr_assert_eq(nres, 3);
    cr_assert_str_eq(coro_tostring(vm, -3), "outer got");
    cr_assert_str_eq(coro_tostring(vm, -2), "inner done");
    cr_assert_eq(coro_tointeger(vm, -1), CORO_OK);
}

/* coro_yieldk: the values the C function yielded are gone from its stack
 * when the continuation runs (as in Lua), leaving only what it had below
 * them and the resume values (they once stayed). */
static int stack_k(coro_VM *v, int status, coro_KContext ctx)
{
    (void)status;
    (void)ctx;
    coro_pushinteger(v, coro_gettop(v));
    return 1;
}

static int yield_two(coro_VM *v)
{
    coro_settop(v, 0);
    coro_pushstring(v, "kept below");
    coro_pushstring(v, "y1");
    coro_pushstring(v, "y2");
    return coro_yieldk(v, 2, 0, stack_k);
}

Test(api_yield, yielded_values_are_removed)
{
    expose("yield_two", yield_two);
    new_coroutine("return function() return yield_two() end");
    int nres;
    cr_assert_eq(resume_at(1, 0, &nres), CORO_YIELD);
    cr_assert_eq(nres, 2);
    coro_settop(vm, 1);
    coro_pushstring(vm, "r1");
    cr_assert_eq(resume_at(1, 1, &nres), CORO_OK);
    cr_assert_eq(coro_tointeger(vm, -1), 2, "'kept below' and 'r1'");
}

/* ---- the scheduler ------------------------------------------------------------------ */

Test(api_sched, idle_scheduler)
{
    cr_assert_eq(coro_sched_tasks(vm), 0);
    cr_assert_eq(coro_sched_failures(vm), 0);
    cr_assert_eq(coro_sched_timeout(vm), -1);
    coro_PollFd fds[4];
    cr_assert_eq(coro_sched_pollfds(vm, fds, 4), 0);
    cr_assert_eq(coro_sched_step(vm, 0), 0);
    cr_assert_eq(coro_sched_run(vm), CORO_OK);
    cr_assert_eq(coro_gettop(vm), 0);
}

Test(api_sched, spawn_and_run)
{
    run("log = {}\n"
        "return function(name, n)\n"
        "  for i = 1, n do log[#log + 1] = name .. i yield end\n"
        "  return name\n"
        "end");
    coro_pushvalue(vm, 1);
    coro_pushstring(vm, "a");
    coro_pushinteger(vm, 2);
    coro_sched_spawn(vm, 2);
    cr_assert_eq(coro_gettop(vm), 2, "the task replaces the function and arguments");
    cr_assert_eq(coro_type(vm, -1), CORO_TUSERDATA);
    coro_getfield(vm, -1, "id");
    cr_assert_eq(coro_tointeger(vm, -1), 1);
    coro_pop(vm, 1);
    coro_pushvalue(vm, 1);
    coro_pushstring(vm, "b");
    coro_pushinteger(vm, 2);
    coro_sched_spawn(vm, 2);
    cr_assert_eq(coro_sched_tasks(vm), 2);
    cr_assert_eq(coro_sched_timeout(vm), 0, "tasks are ready");
    cr_assert_eq(coro_sched_run(vm), CORO_OK, "%s", errmsg());
    cr_assert_eq(coro_sched_tasks(vm), 0);
    run("return table and table.concat and table.concat(log, ' ') or\n"
        "       log[1] .. ' ' .. log[2] .. ' ' .. log[3] .. ' ' .. log[4]");
    cr_assert_str_eq(coro_tostring(vm, -1), "a1 b1 a2 b2", "first in, first out");
    coro_settop(vm, 2);
    coro_getfield(vm, 2, "status");
    coro_pushvalue(vm, 2);
    coro_call(vm, 1, 1);
    cr_assert_str_eq(coro_tostring(vm, -1), "done");
}

Test(api_sched, spawning_a_coroutine_and_errors)
{
    new_coroutine("return function() yield end");
    coro_sched_spawn(vm, 0);
    cr_assert_eq(coro_sched_tasks(vm), 1);
    cr_assert_eq(coro_sched_run(vm), CORO_OK);
    coro_settop(vm, 0);
}

static int spawn_number(coro_VM *v)
{
    coro_pushinteger(v, 1);
    coro_sched_spawn(v, 0);
    return 1;
}

Test(api_sched, spawning_a_non_function)
{
    coro_pushcfunction(vm, spawn_number);
    cr_assert_eq(coro_pcall(vm, 0, 0, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "function or coroutine expected"), "%s", errmsg());
}

Test(api_sched, failures_are_counted, .init = setup_quiet)
{
    run("sched.spawn(function() error('task failed on purpose') end)\n"
        "sched.spawn(function() end)");
    cr_assert_eq(coro_sched_run(vm), CORO_OK, "other tasks' failures are not run's error");
    cr_assert_eq(coro_sched_failures(vm), 1);
    cr_assert_eq(coro_sched_tasks(vm), 0);
}

Test(api_sched, deadlock, .init = setup_quiet)
{
    run("sched.spawn(function() await sched.suspend() end)");
    cr_assert_eq(coro_sched_run(vm), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "deadlock"), "%s", errmsg());
    cr_assert_eq(coro_sched_tasks(vm), 1);
    coro_settop(vm, 0);
    /* step does not call it a deadlock: the host may wake the task. */
    cr_assert_eq(coro_sched_step(vm, 0), 1);
    cr_assert_eq(coro_sched_timeout(vm), -1);
}

Test(api_sched, run_inside_a_task_is_an_error)
{
    run("sched.spawn(function() ok, err = pcall(sched.run) end)");
    cr_assert_eq(coro_sched_run(vm), CORO_OK);
    run("return ok, err");
    cr_assert_eq(coro_toboolean(vm, 1), 0);
    cr_assert(strstr(coro_tostring(vm, 2), "inside a task"), "%s", coro_tostring(vm, 2));
}

Test(api_sched, step_and_timers)
{
    run("sched.spawn(function() await sched.sleep(0.05) done = true end)");
    cr_assert_eq(coro_sched_timeout(vm), 0);
    cr_assert_eq(coro_sched_step(vm, 0), 1, "it ran and now sleeps");
    int ms = coro_sched_timeout(vm);
    cr_assert(ms > 0 && ms <= 51, "%d ms", ms);
    cr_assert_eq(coro_sched_step(vm, 0), 1, "not due yet: no waiting");
    cr_assert_eq(coro_getglobal(vm, "done"), CORO_TNIL);
    coro_pop(vm, 1);
    int alive = 1;
    for (int i = 0; i < 100 && alive > 0; i++)
        alive = coro_sched_step(vm, 100);
    cr_assert_eq(alive, 0);
    cr_assert_eq(coro_getglobal(vm, "done"), CORO_TBOOLEAN);
    cr_assert_eq(coro_sched_timeout(vm), -1);
}

Test(api_sched, pollfds_and_readiness)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    coro_pushinteger(vm, p[0]);
    coro_setglobal(vm, "FD");
    run("sched.spawn(function() got = await sched.readable(FD) end)");
    cr_assert_eq(coro_sched_step(vm, 0), 1);
    coro_PollFd fds[4];
    cr_assert_eq(coro_sched_pollfds(vm, fds, 4), 1);
    cr_assert_eq(fds[0].fd, p[0]);
    cr_assert_eq(fds[0].events, CORO_POLLIN);
    cr_assert_eq(coro_sched_pollfds(vm, fds, 0), 1, "the count, even with no room");
    cr_assert_eq(coro_sched_timeout(vm), -1, "no timer");
    cr_assert_eq(coro_sched_step(vm, 0), 1, "nothing to read yet");
    cr_assert_eq(write(p[1], "x", 1), 1);
    cr_assert_eq(coro_sched_step(vm, 0), 0, "woken and finished");
    cr_assert_eq(coro_sched_pollfds(vm, fds, 4), 0);
    run("return got");
    cr_assert_eq(coro_toboolean(vm, -1), 1);
    close(p[0]);
    close(p[1]);
}

/* A custom instruction implemented in C: records the task in the
 * registry so that the test can wake it. */
static int record_task(coro_VM *v)
{
    coro_pushvalue(v, 2);
    coro_setfield(v, CORO_REGISTRYINDEX, "test.waiting");
    return 0;
}

static int make_instruction(coro_VM *v)
{
    coro_newtable(v);
    coro_newtable(v);
    coro_pushcfunction(v, record_task);
    coro_setfield(v, -2, "__instruction");
    coro_setmetatable(v, -2);
    return 1;
}

/* task:wake(...) from C, the way a host does it. */
static void wake_waiting(int nvalues, const char *const *values)
{
    coro_getfield(vm, CORO_REGISTRYINDEX, "test.waiting");
    coro_getfield(vm, -1, "wake");
    coro_insert(vm, -2);
    for (int i = 0; i < nvalues; i++)
        coro_pushstring(vm, values[i]);
    cr_assert_eq(coro_pcall(vm, nvalues + 1, 1, 0), CORO_OK, "%s", errmsg());
    cr_assert_eq(coro_toboolean(vm, -1), 1, "the task was waiting");
    coro_pop(vm, 1);
}

Test(api_sched, custom_instruction_woken_from_c)
{
    expose("make_instruction", make_instruction);
    run("sched.spawn(function() a, b = await make_instruction() end)");
    cr_assert_eq(coro_sched_step(vm, 0), 1);
    coro_getfield(vm, CORO_REGISTRYINDEX, "test.waiting");
    coro_getfield(vm, -1, "status");
    coro_insert(vm, -2);
    coro_call(vm, 1, 1);
    cr_assert_str_eq(coro_tostring(vm, -1), "blocked");
    coro_pop(vm, 1);
    cr_assert_eq(coro_sched_timeout(vm), -1, "only the host can wake it");
    wake_waiting(2, (const char *const[]){ "first", "second" });
    cr_assert_eq(coro_sched_timeout(vm), 0);
    cr_assert_eq(coro_sched_step(vm, 0), 0);
    run("return a, b");
    cr_assert_str_eq(coro_tostring(vm, -2), "first");
    cr_assert_str_eq(coro_tostring(vm, -1), "second");
}

static int failing_instruction(coro_VM *v)
{
    return coro_errorf(v, "instruction refused");
}

static int make_failing_instruction(coro_VM *v)
{
    coro_newtable(v);
    coro_newtable(v);
    coro_pushcfunction(v, failing_instruction);
    coro_setfield(v, -2, "__instruction");
    coro_setmetatable(v, -2);
    return 1;
}

Test(api_sched, failing_instruction_raises_in_the_task)
{
    expose("make_failing_instruction", make_failing_instruction);
    run("sched.spawn(function() ok, err = pcall(function() await make_failing_instruction() end) end)");
    cr_assert_eq(coro_sched_run(vm), CORO_OK, "%s", errmsg());
    run("return ok, err");
    cr_assert_eq(coro_toboolean(vm, 1), 0);
    cr_assert(strstr(coro_tostring(vm, 2), "instruction refused"), "%s", coro_tostring(vm, 2));
}

Test(api_sched, unknown_instruction)
{
    run("sched.spawn(function() ok, err = pcall(function() await 42 end) end)");
    cr_assert_eq(coro_sched_run(vm), CORO_OK);
    run("return ok, err");
    cr_assert_eq(coro_toboolean(vm, 1), 0);
    cr_assert_str_eq(coro_tostring(vm, 2), "sched: unknown instruction");
}

Test(api_sched, get_resume_from_c)
{
    run("sched.spawn(function() resume = await sched.get_resume() value = await sched.suspend() end)");
    cr_assert_eq(coro_sched_step(vm, 0), 1);
    coro_getglobal(vm, "resume");
    cr_assert_eq(coro_type(vm, -1), CORO_TFUNCTION);
    coro_pushstring(vm, "from C");
    coro_call(vm, 1, 0);
    cr_assert_eq(coro_sched_step(vm, 0), 0);
    run("return value");
    cr_assert_str_eq(coro_tostring(vm, -1), "from C");
}
