/*
 * The scheduler driven from C (include/coro.h): coro_sched_spawn, _run,
 * _step, _timeout, _pollfds, _tasks, _failures, and an instruction defined
 * in C through __instruction.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <unistd.h>

#include "coro.h"

static coro_VM *vm;

static void setup(void)
{
    vm = coro_new(NULL);
    coro_open_libs(vm);
}
static void teardown(void) { coro_free(vm); }

TestSuite(sched_api, .init = setup, .fini = teardown);

static void run(const char *code)
{
    int status = coro_dostring(vm, code);
    cr_assert_eq(status, CORO_OK, "%s", status ? coro_tostring(vm, -1) : "");
}

static const char *global_string(const char *name)
{
    coro_getglobal(vm, name);
    const char *s = coro_tostring(vm, -1);
    coro_pop(vm, 1);
    return s ? s : "(nil)";
}

static coro_Integer global_integer(const char *name)
{
    coro_getglobal(vm, name);
    coro_Integer i = coro_tointeger(vm, -1);
    coro_pop(vm, 1);
    return i;
}

Test(sched_api, spawn_from_c_and_run)
{
    run("function add(a, b) yield; result = a + b end");
    coro_getglobal(vm, "add");
    coro_pushinteger(vm, 2);
    coro_pushinteger(vm, 40);
    coro_sched_spawn(vm, 2);
    cr_assert_eq(coro_type(vm, -1), CORO_TUSERDATA);    /* the task */
    coro_getfield(vm, -1, "id");
    cr_assert_eq(coro_tointeger(vm, -1), 1);
    coro_pop(vm, 2);
    cr_assert_eq(coro_sched_tasks(vm), 1);
    cr_assert_eq(coro_sched_run(vm), CORO_OK);
    cr_assert_eq(global_integer("result"), 42);
    cr_assert_eq(coro_sched_tasks(vm), 0);
}

Test(sched_api, run_reports_deadlock)
{
    run("sched.spawn(function() await sched.suspend() end)");
    cr_assert_neq(coro_sched_run(vm), CORO_OK);
    cr_assert_str_eq(coro_tostring(vm, -1), "deadlock");
    coro_pop(vm, 1);
    cr_assert_eq(coro_sched_tasks(vm), 1);
}

Test(sched_api, failures_are_counted)
{
    run("sched.spawn(function() error('x') end) sched.spawn(function() end)");
    cr_assert_eq(coro_sched_run(vm), CORO_OK);
    cr_assert_eq(coro_sched_failures(vm), 1);
}

Test(sched_api, timeout_tells_what_the_scheduler_waits_for)
{
    cr_assert_eq(coro_sched_timeout(vm), -1);           /* nothing at all */
    run("t = sched.spawn(function() await sched.sleep(0.5) end)");
    cr_assert_eq(coro_sched_timeout(vm), 0);            /* a task is ready */
    cr_assert_eq(coro_sched_step(vm, 0), 1);            /* it runs and sleeps */
    int ms = coro_sched_timeout(vm);
    cr_assert(ms > 400 && ms <= 501, "timeout %d", ms);
    run("t:cancel()");
    cr_assert_eq(coro_sched_step(vm, 0), 0);
    cr_assert_eq(coro_sched_timeout(vm), -1);
}

Test(sched_api, pollfds_lists_the_descriptors_tasks_wait_on)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    coro_pushinteger(vm, fds[0]);
    coro_setglobal(vm, "rfd");
    coro_pushinteger(vm, fds[1]);
    coro_setglobal(vm, "wfd");
    run("got = 'nothing' "
        "sched.spawn(function() got = tostring(await sched.readable(rfd)) end) "
        "sched.spawn(function() await sched.writable(wfd) end)");
    cr_assert_eq(coro_sched_step(vm, 0), 1);            /* the writer is done */
    coro_PollFd want[4];
    cr_assert_eq(coro_sched_pollfds(vm, want, 4), 1);
    cr_assert_eq(want[0].fd, fds[0]);
    cr_assert_eq(want[0].events, CORO_POLLIN);
    cr_assert_eq(coro_sched_timeout(vm), -1);           /* no timer */
    cr_assert_eq(coro_sched_step(vm, 0), 1);            /* not ready yet */
    cr_assert_eq(write(fds[1], "x", 1), 1);
    cr_assert_eq(coro_sched_step(vm, 0), 0);
    cr_assert_str_eq(global_string("got"), "true");
    cr_assert_eq(coro_sched_pollfds(vm, want, 4), 0);
    close(fds[0]);
    close(fds[1]);
}

Test(sched_api, step_waits_up_to_its_limit)
{
    run("done = false sched.spawn(function() await sched.sleep(0.03) done = true end)");
    cr_assert_eq(coro_sched_step(vm, 0), 1);            /* starts sleeping */
    cr_assert_eq(coro_sched_step(vm, 1), 1);            /* 1 ms: too early */
    cr_assert_eq(coro_sched_step(vm, -1), 0);           /* waits for it */
    coro_getglobal(vm, "done");
    cr_assert(coro_toboolean(vm, -1));
}

/* A task yielding in a loop must not keep a sleeper from waking when the
 * host drives the scheduler step by step with no waiting. */
Test(sched_api, step_takes_in_timers_while_tasks_stay_ready)
{
    run("done = false "
        "sched.spawn(function() await sched.sleep(0.02) done = true end) "
        "sched.spawn(function() while not done do yield end end)");
    int steps = 0;
    while (coro_sched_step(vm, 0) > 0 && steps < 10000000)
        steps++;
    coro_getglobal(vm, "done");
    cr_assert(coro_toboolean(vm, -1), "after %d steps", steps);
}

/* An instruction defined in C: __instruction records the task; C wakes it. */
static int waiting_ref = CORO_NOREF;

static int instr_handler(coro_VM *v)
{
    coro_pushvalue(v, 2);
    waiting_ref = coro_ref(v, CORO_REGISTRYINDEX);
    return 0;
}

static int make_instr(coro_VM *v)
{
    coro_newuserdatauv(v, 0, 0);
    if (coro_newmetatable(v, "test.instr")) {
        coro_pushcfunction(v, instr_handler);
        coro_setfield(v, -2, "__instruction");
    }
    coro_setmetatable(v, -2);
    return 1;
}

Test(sched_api, instruction_defined_in_c)
{
    coro_pushcfunction(vm, make_instr);
    coro_setglobal(vm, "make_instr");
    run("got = 'nothing' sched.spawn(function() got = await make_instr() end)");
    cr_assert_eq(coro_sched_step(vm, 0), 1);
    cr_assert_neq(waiting_ref, CORO_NOREF);
    cr_assert_str_eq(global_string("got"), "nothing");
    coro_getref(vm, CORO_REGISTRYINDEX, waiting_ref);
    coro_getfield(vm, -1, "status");
    coro_pushvalue(vm, -2);
    coro_call(vm, 1, 1);
    cr_assert_str_eq(coro_tostring(vm, -1), "blocked");
    coro_pop(vm, 1);
    coro_getfield(vm, -1, "wake");
    coro_insert(vm, -2);
    coro_pushstring(vm, "woken from C");
    cr_assert_eq(coro_pcall(vm, 2, 0, 0), CORO_OK);
    coro_unref(vm, CORO_REGISTRYINDEX, waiting_ref);
    waiting_ref = CORO_NOREF;
    cr_assert_eq(coro_sched_step(vm, 0), 0);
    cr_assert_str_eq(global_string("got"), "woken from C");
}

/* SPEC 3: the backend is not limited to FD_SETSIZE. */
Test(sched_api, descriptors_above_fd_setsize)
{
    struct rlimit rl;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    int high = FD_SETSIZE + 500;
    if (rl.rlim_cur <= (rlim_t)high)
        cr_skip_test("RLIMIT_NOFILE is %ld", (long)rl.rlim_cur);
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    cr_assert_eq(dup2(fds[0], high), high);
    coro_pushinteger(vm, high);
    coro_setglobal(vm, "rfd");
    run("got = 'nothing' sched.spawn(function() got = tostring(await sched.readable(rfd, 5)) end)");
    cr_assert_eq(coro_sched_step(vm, 0), 1);
    coro_PollFd want[2];
    cr_assert_eq(coro_sched_pollfds(vm, want, 2), 1);
    cr_assert_eq(want[0].fd, high);
    cr_assert_eq(coro_sched_step(vm, 0), 1);            /* nothing written yet */
    cr_assert_str_eq(global_string("got"), "nothing");
    cr_assert_eq(write(fds[1], "x", 1), 1);
    cr_assert_eq(coro_sched_step(vm, 0), 0);
    cr_assert_str_eq(global_string("got"), "true");
    close(high);
    close(fds[0]);
    close(fds[1]);
}

/* SPEC 3: the function get_resume gives is callable from C. */
Test(sched_api, get_resume_function_called_from_c)
{
    run("got = 'nothing' sched.spawn(function() "
        "  resume = await sched.get_resume() "
        "  got = await sched.suspend() "
        "end)");
    cr_assert_eq(coro_sched_step(vm, 0), 1);
    cr_assert_eq(coro_getglobal(vm, "resume"), CORO_TFUNCTION);
    coro_pushstring(vm, "from C");
    cr_assert_eq(coro_pcall(vm, 1, 1, 0), CORO_OK);
    cr_assert(coro_toboolean(vm, -1));                  /* it woke the task */
    coro_pop(vm, 1);
    cr_assert_eq(coro_sched_run(vm), CORO_OK);
    cr_assert_str_eq(global_string("got"), "from C");
}
