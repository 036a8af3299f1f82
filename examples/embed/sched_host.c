/*
 * sched_host.c: a host program that keeps its own event loop and drives
 * Coro's scheduler from it, and that defines an instruction in C.
 *
 * The script's tasks await three kinds of thing:
 *   - sched.sleep, a timer of the scheduler's own;
 *   - sched.readable(fd) on a pipe that the host writes to;
 *   - host.after(ms, value), an instruction defined here: its metatable's
 *     __instruction (a C function) records the task and a deadline in the
 *     host's own timer list, and the host's loop wakes the task with
 *     task:wake(value) when the deadline comes.
 *
 * The loop asks the scheduler what it waits for (coro_sched_timeout for
 * its next timer, coro_sched_pollfds for its descriptors), adds its own
 * timers, sleeps in poll(2), and lets the scheduler run what became ready
 * with coro_sched_step(vm, 0).
 *
 * Build: make (it lands in build/examples/embed/sched_host); run it with
 * no arguments.  See docs/sched.md, "Instructions from C".
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "coro.h"

/* ---- the host's own timers --------------------------------------------- */

typedef struct HostTimer {
    double due;         /* seconds, CLOCK_MONOTONIC */
    int task_ref;       /* the waiting task, in the registry */
    int value_ref;      /* what its await returns */
} HostTimer;

#define MAX_TIMERS 16
static HostTimer timers[MAX_TIMERS];
static int ntimers;
static int pipe_fds[2];     /* the script reads [0]; the host writes [1] */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the instruction --------------------------------------------------- */

#define AFTER_NAME "host.after"

typedef struct After {
    double seconds;
} After;

/* host.after(ms, value): an instruction; user value 1 holds the value. */
static int host_after(coro_VM *vm)
{
    coro_Number ms = coro_checknumber(vm, 1);
    coro_checkany(vm, 2);
    After *a = coro_newuserdatauv(vm, sizeof(After), 1);
    a->seconds = ms / 1000.0;
    coro_pushvalue(vm, 2);
    coro_setiuservalue(vm, -2, 1);
    coro_setmetatable_named(vm, AFTER_NAME);
    return 1;
}

/* __instruction(after, task): called by the scheduler when a task awaits
 * the instruction.  The task stays blocked until someone calls
 * task:wake(...); here the host's loop does, when the timer is due. */
static int after_instruction(coro_VM *vm)
{
    After *a = coro_checkudata(vm, 1, AFTER_NAME);
    if (ntimers == MAX_TIMERS)
        return coro_errorf(vm, "host.after: too many timers");
    HostTimer *t = &timers[ntimers];
    t->due = now() + a->seconds;
    coro_pushvalue(vm, 2);
    t->task_ref = coro_ref(vm, CORO_REGISTRYINDEX);
    coro_getiuservalue(vm, 1, 1);
    t->value_ref = coro_ref(vm, CORO_REGISTRYINDEX);
    ntimers++;
    return 0;
}

/* host.write(s): writes s to the pipe the script waits on. */
static int host_write(coro_VM *vm)
{
    size_t len;
    const char *s = coro_checklstring(vm, 1, &len);
    if (write(pipe_fds[1], s, len) != (ssize_t)len)
        return coro_errorf(vm, "host.write failed");
    return 0;
}

/* host.read(): what is in the pipe (up to 256 bytes). */
static int host_read(coro_VM *vm)
{
    char buf[256];
    ssize_t n = read(pipe_fds[0], buf, sizeof buf);
    coro_pushlstring(vm, buf, n > 0 ? (size_t)n : 0);
    return 1;
}

static const coro_Reg host_funcs[] = {
    { "after", host_after },
    { "write", host_write },
    { "read", host_read },
    { NULL, NULL }
};

static int open_host(coro_VM *vm)
{
    if (coro_newmetatable(vm, AFTER_NAME)) {
        coro_pushcfunction(vm, after_instruction);
        coro_setfield(vm, -2, "__instruction");
    }
    coro_pop(vm, 1);
    coro_newlib(vm, host_funcs);
    coro_pushinteger(vm, pipe_fds[0]);
    coro_setfield(vm, -2, "pipe");
    return 1;
}

/* Wakes the tasks whose host timers are due: task:wake(value). */
static void fire_due_timers(coro_VM *vm)
{
    double t = now();
    for (int i = 0; i < ntimers;) {
        if (timers[i].due > t) {
            i++;
            continue;
        }
        HostTimer due = timers[i];
        timers[i] = timers[--ntimers];
        coro_getref(vm, CORO_REGISTRYINDEX, due.task_ref);
        coro_getfield(vm, -1, "wake");
        coro_insert(vm, -2);                    /* wake, task */
        coro_getref(vm, CORO_REGISTRYINDEX, due.value_ref);
        if (coro_pcall(vm, 2, 0, 0) != CORO_OK) {
            fprintf(stderr, "wake: %s\n", coro_tostring(vm, -1));
            coro_pop(vm, 1);
        }
        coro_unref(vm, CORO_REGISTRYINDEX, due.task_ref);
        coro_unref(vm, CORO_REGISTRYINDEX, due.value_ref);
    }
}

/* Milliseconds until the first host timer (-1: none). */
static int host_timeout(void)
{
    if (ntimers == 0)
        return -1;
    double first = timers[0].due;
    for (int i = 1; i < ntimers; i++)
        if (timers[i].due < first)
            first = timers[i].due;
    double ms = (first - now()) * 1000.0;
    return ms <= 0 ? 0 : (int)ms + 1;
}

static const char script[] =
    "local function note(s) print(s) end\n"
    "sched.spawn(function()\n"
    "  note('reader waits on the pipe')\n"
    "  await sched.readable(host.pipe)\n"
    "  note('reader got: ' .. host.read())\n"
    "end)\n"
    "sched.spawn(function()\n"
    "  note('host timer says: ' .. await host.after(200, 'two hundred ms'))\n"
    "end)\n"
    "sched.spawn(function()\n"
    "  await sched.sleep(0.02)\n"
    "  note('sched timer: twenty ms; the host writes to the pipe')\n"
    "  host.write('hello through the pipe')\n"
    "end)\n"
    "note('main chunk done')\n";

int main(void)
{
    if (pipe(pipe_fds) != 0)
        return 1;
    coro_VM *vm = coro_new(NULL);
    coro_open_libs(vm);
    coro_requiref(vm, "host", open_host, 1);
    coro_pop(vm, 1);
    if (coro_dostring(vm, script) != CORO_OK) {
        fprintf(stderr, "%s\n", coro_tostring(vm, -1));
        return 1;
    }

    /* The host's event loop. */
    for (;;) {
        int alive = coro_sched_step(vm, 0);     /* run what is ready */
        if (alive < 0) {
            fprintf(stderr, "%s\n", coro_tostring(vm, -1));
            return 1;
        }
        if (alive == 0)
            break;
        int timeout = coro_sched_timeout(vm);   /* its timers; 0: ready */
        int mine = host_timeout();
        if (mine >= 0 && (timeout < 0 || mine < timeout))
            timeout = mine;
        coro_PollFd want[8];
        int n = coro_sched_pollfds(vm, want, 8);
        struct pollfd fds[8];
        for (int i = 0; i < n && i < 8; i++) {
            fds[i].fd = want[i].fd;
            fds[i].events = (short)(((want[i].events & CORO_POLLIN) ? POLLIN : 0) |
                                    ((want[i].events & CORO_POLLOUT) ? POLLOUT : 0));
            fds[i].revents = 0;
        }
        if (timeout < 0 && n == 0) {
            fprintf(stderr, "deadlock: %d tasks wait for nothing the host knows\n", alive);
            return 1;
        }
        poll(fds, (nfds_t)(n < 8 ? n : 8), timeout);
        fire_due_timers(vm);
    }
    printf("all tasks finished; failures: %d\n", coro_sched_failures(vm));
    coro_free(vm);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return 0;
}
