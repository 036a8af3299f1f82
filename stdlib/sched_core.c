/*
 * sched_core.c: tasks and the scheduler loop (see sched.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sched.h"
#include "api.h"
#include "call.h"
#include "coroutine.h"
#include "debug.h"
#include "gc.h"
#include "mem.h"
#include "object.h"

#define TASK_NAME "sched.task"

/* ---- time ---------------------------------------------------------------- */

double coro_sched_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- wait lists ----------------------------------------------------------- */

void coro_waitlist_push(WaitList *l, Task *t)
{
    t->wait_list = l;
    t->wait_next = NULL;
    t->wait_prev = l->tail;
    if (l->tail)
        l->tail->wait_next = t;
    else
        l->head = t;
    l->tail = t;
    l->count++;
}

void coro_waitlist_remove(Task *t)
{
    WaitList *l = t->wait_list;
    if (!l)
        return;
    if (t->wait_prev)
        t->wait_prev->wait_next = t->wait_next;
    else
        l->head = t->wait_next;
    if (t->wait_next)
        t->wait_next->wait_prev = t->wait_prev;
    else
        l->tail = t->wait_prev;
    l->count--;
    t->wait_list = NULL;
    t->wait_prev = t->wait_next = NULL;
}

Task *coro_waitlist_pop(WaitList *l)
{
    Task *t = l->head;
    if (t)
        coro_waitlist_remove(t);
    return t;
}

/* ---- the scheduler object ---------------------------------------------------- */

static void sched_mark(coro_VM *vm)
{
    Sched *s = vm->sched;
    for (Task *t = s->alive_head; t; t = t->alive_next)
        coro_gc_mark_object(vm, (GCObject *)t->self);
}

static void sched_free(coro_VM *vm)
{
    Sched *s = vm->sched;
    if (!s)
        return;
    coro_timers_free(s);
    coro_poll_free(s->poll);
    vm->sched = NULL;
    vm->sched_mark = NULL;
    vm->sched_free = NULL;
    coro_mem_free(vm, s, sizeof(Sched));
}

/* Lets the process use every descriptor the hard limit allows. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

Sched *coro_sched_get(coro_VM *vm)
{
    if (vm->sched)
        return vm->sched;
    Sched *s = coro_mem_alloc(vm, sizeof(Sched));
    memset(s, 0, sizeof *s);
    s->vm = vm;
    s->poll = coro_poll_new();
    if (!s->poll) {
        coro_mem_free(vm, s, sizeof(Sched));
        coro_mem_error(vm);
    }
    vm->sched = s;
    vm->sched_mark = sched_mark;
    vm->sched_free = sched_free;
    raise_fd_limit();
    return s;
}

/* ---- tasks ----------------------------------------------------------------- */

Task *coro_task_test(coro_VM *vm, int idx)
{
    return coro_testudata(vm, idx, TASK_NAME);
}

Task *coro_task_check(coro_VM *vm, int idx)
{
    return coro_checkudata(vm, idx, TASK_NAME);
}

void coro_task_push(coro_VM *vm, Task *t)
{
    Value v;
    set_gc(&v, t->self, TAG_USERDATA);
    coro_api_push(vm, &v);
}

Task *coro_sched_current(Sched *s)
{
    return s->current;
}

static void alive_add(Sched *s, Task *t)
{
    t->alive_next = NULL;
    t->alive_prev = s->alive_tail;
    if (s->alive_tail)
        s->alive_tail->alive_next = t;
    else
        s->alive_head = t;
    s->alive_tail = t;
    s->alive_count++;
}

static void alive_remove(Sched *s, Task *t)
{
    if (t->alive_prev)
        t->alive_prev->alive_next = t->alive_next;
    else
        s->alive_head = t->alive_next;
    if (t->alive_next)
        t->alive_next->alive_prev = t->alive_prev;
    else
        s->alive_tail = t->alive_prev;
    t->alive_prev = t->alive_next = NULL;
    s->alive_count--;
}

void coro_sched_make_ready(Sched *s, Task *t)
{
    t->state = TASK_READY;
    t->wait = WAIT_NONE;
    t->wait_what = NULL;
    t->ready_next = NULL;
    if (s->ready_tail)
        s->ready_tail->ready_next = t;
    else
        s->ready_head = t;
    s->ready_tail = t;
}

static Task *ready_pop(Sched *s)
{
    Task *t = s->ready_head;
    if (t) {
        s->ready_head = t->ready_next;
        if (!s->ready_head)
            s->ready_tail = NULL;
        t->ready_next = NULL;
    }
    return t;
}

/* Takes t off everything it waits on. */
static void unwait(Sched *s, Task *t)
{
    if (t->timer_index >= 0)
        coro_timer_remove(s, t);
    if (t->poll_index >= 0)
        coro_poll_remove(s->poll, t);
    coro_waitlist_remove(t);
    t->wait = WAIT_NONE;
    coro_task_push(s->vm, t);
    coro_pushnil(s->vm);
    coro_setiuservalue(s->vm, -2, TASK_UV_WAITING);
    coro_pop(s->vm, 1);
}

void coro_sched_block(Sched *s, Task *t, WaitKind kind, const char *what)
{
    t->state = TASK_BLOCKED;
    t->wait = (uint8_t)kind;
    t->wait_what = what;
}

/* The box: a table holding values to send to the task, or its results. */
static void push_box(coro_VM *vm, Task *t)
{
    coro_task_push(vm, t);
    if (coro_getiuservalue(vm, -1, TASK_UV_BOX) != CORO_TTABLE) {
        coro_pop(vm, 1);
        coro_createtable(vm, 4, 2);
        coro_pushvalue(vm, -1);
        coro_setiuservalue(vm, -3, TASK_UV_BOX);
    }
    coro_remove(vm, -2);
}

void coro_task_set_values(Sched *s, Task *t, int n)
{
    coro_VM *vm = s->vm;
    push_box(vm, t);
    coro_insert(vm, -n - 1);
    /* With v1..vi still on top, the box is at -(i + 1). */
    for (int i = n; i >= 1; i--)
        coro_rawseti(vm, -(i + 1), i);
    coro_pop(vm, 1);
    t->npending = n;
    t->throw_pending = 0;
}

void coro_sched_wake(Sched *s, Task *t, int n, bool as_error)
{
    unwait(s, t);
    coro_task_set_values(s, t, n);
    t->throw_pending = as_error && n > 0;
    coro_sched_make_ready(s, t);
    t->granted = 0;
}

static Task *new_task(coro_VM *vm, Sched *s)
{
    Task *t = coro_newuserdatauv(vm, sizeof(Task), TASK_NUV);
    memset(t, 0, sizeof *t);
    t->id = ++s->next_id;
    t->sched = s;
    t->self = coro_api_slot(vm, -1)->u.gc;
    t->timer_index = -1;
    t->poll_index = -1;
    coro_setmetatable_named(vm, TASK_NAME);
    return t;
}

/* "file:line" of the script code nearest to the running C function: its
 * caller, or, when that is a C function too (pcall(sched.spawn, f)), the
 * script code that called that. */
static void caller_position(coro_VM *vm, char *buf, size_t size)
{
    snprintf(buf, size, "?");
    for (int level = 1; level <= 8; level++) {
        coro_where(vm, level);
        size_t len;
        const char *w = coro_tolstring(vm, -1, &len);
        if (len >= 2)
            snprintf(buf, size, "%.*s", (int)(len - 2), w);
        coro_pop(vm, 1);
        if (len >= 2)
            return;
    }
}

/* Spawns the function or coroutine below nargs arguments; pushes the
 * task (popping them). */
static Task *spawn(coro_VM *vm, Sched *s, int nargs)
{
    int fidx = coro_gettop(vm) - nargs;
    int type = coro_type(vm, fidx);
    if (type != CORO_TTHREAD && type != CORO_TFUNCTION)
        coro_typeerror(vm, fidx, "function or coroutine");
    if (type == CORO_TFUNCTION) {
        coro_pushvalue(vm, fidx);
        coro_newcoroutine(vm);
        coro_replace(vm, fidx);
    } else if (coro_costatus(vm, fidx) != CORO_CO_SUSPENDED) {
        coro_argerror(vm, fidx, "coroutine is not suspended");
    }
    Task *t = new_task(vm, s);
    coro_pushvalue(vm, fidx);
    coro_setiuservalue(vm, -2, TASK_UV_CO);
    coro_replace(vm, fidx);             /* the task replaces f */
    caller_position(vm, t->spawned_at, sizeof t->spawned_at);
    t->spawned_by = s->current ? s->current->id : 0;
    /* The arguments are the first resume's values. */
    coro_task_set_values(s, t, nargs);
    alive_add(s, t);
    coro_sched_make_ready(s, t);
    return t;
}

void coro_sched_spawn(coro_VM *vm, int nargs)
{
    spawn(vm, coro_sched_get(vm), nargs);
}

/* ---- finishing tasks -------------------------------------------------------------- */

/* Gives joiner j the outcome of the finished task t: its results, or its
 * error to raise (with t's traceback attached). */
static void give_outcome(Sched *s, Task *j, Task *t)
{
    coro_VM *vm = s->vm;
    bool failed = t->state != TASK_DONE;
    push_box(vm, t);
    int n;
    if (failed) {
        coro_rawgeti(vm, -1, 1);
        n = 1;
        push_box(vm, j);
        coro_getfield(vm, -3, "trace");
        coro_pushfstring(vm, "\n\t(...awaited by task %I:)", (coro_Integer)j->id);
        coro_concat(vm, 2);
        coro_setfield(vm, -2, "carry");
        coro_pop(vm, 1);
    } else {
        coro_getfield(vm, -1, "n");
        n = (int)coro_tointeger(vm, -1);
        coro_pop(vm, 1);
        coro_checkstack(vm, n + 2);
        for (int i = 1; i <= n; i++)
            coro_rawgeti(vm, -i, i);
    }
    coro_remove(vm, -n - 1);
    coro_task_set_values(s, j, n);
    j->throw_pending = failed;
}

/* Wakes every joiner of the finished task t with its outcome. */
static void wake_joiners(Sched *s, Task *t)
{
    Task *j;
    while ((j = coro_waitlist_pop(&t->joiners)) != NULL) {
        coro_sched_wake(s, j, 0, false);
        give_outcome(s, j, t);
    }
}

/* Formats the failure of t (error on top, not popped) as the lines of its
 * traceback without the "stack traceback:" header, then
 * "\t(task N spawned at file:line by task M)", and stores it in its box as
 * "trace".  Without the header it can be carried into the traceback of a
 * task that awaits t (or of sched.run's caller), which has its own. */
static void record_trace(Sched *s, Task *t)
{
    static const char header[] = "stack traceback:";
    coro_VM *vm = s->vm;
    push_box(vm, t);
    coro_trace_push(vm);
    size_t len;
    const char *tb = coro_tolstring(vm, -1, &len);
    size_t skip = 0;
    if (len >= sizeof header - 1 && memcmp(tb, header, sizeof header - 1) == 0)
        skip = sizeof header - 1;
    if (skip < len && tb[skip] == '\n')
        skip++;
    coro_pushlstring(vm, tb + skip, len - skip);
    coro_remove(vm, -2);
    const char *sep = len > skip ? "\n" : "";
    if (t->spawned_by)
        coro_pushfstring(vm, "%s\t(task %I spawned at %s by task %I)", sep, (coro_Integer)t->id,
                         t->spawned_at, (coro_Integer)t->spawned_by);
    else
        coro_pushfstring(vm, "%s\t(task %I spawned at %s)", sep, (coro_Integer)t->id, t->spawned_at);
    coro_concat(vm, 2);
    coro_setfield(vm, -2, "trace");
    coro_pop(vm, 1);
}

static int tostring_protected(coro_VM *vm)
{
    coro_tolstring_meta(vm, 1, NULL);
    return 1;
}

static void report_failure(Sched *s, Task *t)
{
    coro_VM *vm = s->vm;
    int base = coro_gettop(vm);
    push_box(vm, t);
    coro_getfield(vm, -1, "trace");
    coro_rawgeti(vm, -2, 1);
    const char *msg = coro_tostring(vm, -1);
    char buf[64];
    if (!msg && coro_getmetafield(vm, -1, "__tostring") != CORO_TNIL) {
        /* As the coro command does for an uncaught error object. */
        coro_pop(vm, 1);
        coro_pushcfunction(vm, tostring_protected);
        coro_pushvalue(vm, -2);
        if (coro_pcall(vm, 1, 1, 0) == CORO_OK)
            msg = coro_tostring(vm, -1);
    }
    if (!msg) {
        snprintf(buf, sizeof buf, "(error object is a %s value)",
                 coro_typename(vm, coro_type(vm, base + 3)));
        msg = buf;
    }
    fprintf(stderr, "task %lld failed: %s\nstack traceback:\n%s\n", (long long)t->id, msg,
            coro_tostring(vm, base + 2));
    fflush(stderr);
    coro_settop(vm, base);
    s->failures++;
}

/* t's coroutine returned the n values on top. */
static void task_done(Sched *s, Task *t, int n)
{
    coro_VM *vm = s->vm;
    push_box(vm, t);
    coro_insert(vm, -n - 1);
    for (int i = n; i >= 1; i--)
        coro_rawseti(vm, -(i + 1), i);
    coro_pushinteger(vm, n);
    coro_setfield(vm, -2, "n");
    coro_pop(vm, 1);
    t->state = TASK_DONE;
    alive_remove(s, t);
    wake_joiners(s, t);
}

/* t's coroutine failed with the error on top. */
static int close_protected(coro_VM *vm)
{
    coro_getfield(vm, 1, "close");
    coro_pushvalue(vm, 1);
    coro_call(vm, 1, 2);
    return 2;
}

/* Closes t's coroutine, dead in error (the error on top), so that its
 * pending <close> variables are closed with that error: Lua 5.4 leaves
 * them to coroutine.close when a coroutine resumed from C dies in error.
 * An error raised by a __close handler replaces the one on top. */
static void close_coroutine(Sched *s, Task *t)
{
    coro_VM *vm = s->vm;
    int err = coro_gettop(vm);
    coro_pushcfunction(vm, close_protected);
    coro_task_push(vm, t);
    coro_getiuservalue(vm, -1, TASK_UV_CO);
    coro_remove(vm, -2);
    if (coro_pcall(vm, 1, 2, 0) == CORO_OK && !coro_toboolean(vm, -2) &&
        !coro_rawequal(vm, -1, err))
        coro_replace(vm, err);
    coro_settop(vm, err);
}

static void task_failed(Sched *s, Task *t)
{
    coro_VM *vm = s->vm;
    record_trace(s, t);
    close_coroutine(s, t);
    bool cancelled = false;
    if (t->was_cancelled && coro_type(vm, -1) == CORO_TSTRING &&
        strcmp(coro_tostring(vm, -1), "cancelled") == 0)
        cancelled = true;
    push_box(vm, t);
    coro_insert(vm, -2);
    coro_rawseti(vm, -2, 1);
    coro_pop(vm, 1);
    t->state = cancelled ? TASK_CANCELLED : TASK_FAILED;
    alive_remove(s, t);
    bool awaited = t->joiners.count > 0 || t->awaited;
    wake_joiners(s, t);
    if (!awaited && !cancelled)
        report_failure(s, t);
}

/* ---- running one task ------------------------------------------------------------- */

static Performed perform(Sched *s, Task *t, int idx);

/* Resumes t once (and again while the instruction it yields completes at
 * once). */
static void step(Sched *s, Task *t)
{
    coro_VM *vm = s->vm;
    for (;;) {
        int base = coro_gettop(vm);
        coro_checkstack(vm, t->npending + 5);
        /* The task stays on the stack for the whole step: once it has
         * finished it is off the alive list, and nothing else may hold it
         * while its joiners are woken and its failure reported. */
        coro_task_push(vm, t);
        coro_task_push(vm, t);
        coro_getiuservalue(vm, -1, TASK_UV_CO);
        coro_remove(vm, -2);
        int nargs = t->npending;
        int mode = RESUME_VALUES;
        if (nargs > 0) {
            push_box(vm, t);
            for (int i = 1; i <= nargs; i++)
                coro_rawgeti(vm, -i, i);
            if (t->throw_pending) {
                /* An error carried from another task keeps its trace. */
                coro_getfield(vm, -nargs - 1, "carry");
                if (coro_type(vm, -1) == CORO_TSTRING) {
                    vm->trace_count = 0;
                    vm->trace_carry = *coro_api_slot(vm, -1);
                    coro_pushnil(vm);
                    coro_setfield(vm, -nargs - 3, "carry");
                    mode = RESUME_THROW_KEEP_TRACE;
                } else {
                    mode = RESUME_THROW;
                }
                coro_pop(vm, 1);
            }
            coro_remove(vm, -nargs - 1);
        }
        t->npending = 0;
        t->throw_pending = 0;
        t->granted = 0;
        t->state = TASK_RUNNING;
        s->current = t;
        int nres;
        int status = coro_resume_from_c_mode(vm, nargs, &nres, mode);
        s->current = NULL;
        if (status == CORO_YIELD) {
            /* The instruction is the first value yielded (nil if none). */
            if (nres == 0)
                coro_pushnil(vm);
            else if (nres > 1)
                coro_pop(vm, nres - 1);
            int iidx = coro_gettop(vm);
            Performed p;
            if (t->cancel_requested) {
                /* Raised once: the task may catch it and await again. */
                t->cancel_requested = 0;
                coro_pushstring(vm, "cancelled");
                coro_task_set_values(s, t, 1);
                t->throw_pending = 1;
                p = PERFORMED_NOW;
            } else {
                p = perform(s, t, iidx);
            }
            coro_settop(vm, base);
            if (p != PERFORMED_NOW)
                return;
            continue;
        }
        if (status == CORO_OK)
            task_done(s, t, nres);
        else
            task_failed(s, t);
        coro_settop(vm, base);
        return;
    }
}

/* Handles the instruction at idx yielded by t. */
static Performed perform(Sched *s, Task *t, int idx)
{
    coro_VM *vm = s->vm;
    int type = coro_type(vm, idx);
    if (type == CORO_TNIL) {
        coro_sched_make_ready(s, t);
        return PERFORMED_QUEUED;
    }
    if (type == CORO_TUSERDATA) {
        Task *other = coro_task_test(vm, idx);
        if (other) {
            if (other->state == TASK_DONE || other->state == TASK_FAILED || other->state == TASK_CANCELLED) {
                /* Finished: its results (or error) at once. */
                give_outcome(s, t, other);
                return PERFORMED_NOW;
            }
            if (other == t) {
                coro_pushstring(vm, "a task cannot await itself");
                coro_task_set_values(s, t, 1);
                t->throw_pending = 1;
                return PERFORMED_NOW;
            }
            coro_waitlist_push(&other->joiners, t);
            coro_sched_block(s, t, WAIT_LIST, "a task");
            coro_task_push(vm, t);
            coro_pushvalue(vm, idx);
            coro_setiuservalue(vm, -2, TASK_UV_WAITING);
            coro_pop(vm, 1);
            return PERFORMED_BLOCKED;
        }
        if (coro_future_is(vm, idx))
            return coro_future_await(s, t, idx);
        SchedInstr *in = coro_testudata(vm, idx, INSTR_NAME);
        if (in)
            return coro_sched_perform_instr(s, t, idx);
    }
    if (coro_getmetafield(vm, idx, "__instruction") != CORO_TNIL) {
        /* A custom instruction: it is called, and the task waits for a
         * task:wake (which the call itself may already have made). */
        coro_sched_block(s, t, WAIT_CUSTOM, "a custom instruction");
        coro_task_push(vm, t);
        coro_pushvalue(vm, idx);
        coro_setiuservalue(vm, -2, TASK_UV_WAITING);
        coro_pop(vm, 1);
        coro_pushvalue(vm, idx);
        coro_task_push(vm, t);
        if (coro_pcall(vm, 2, 0, 0) != CORO_OK) {
            if (t->state == TASK_READY) {
                /* It woke the task before failing: the task is queued
                 * already, and gets the error instead of the values. */
                coro_task_set_values(s, t, 1);
                t->throw_pending = 1;
                return PERFORMED_QUEUED;
            }
            unwait(s, t);
            coro_task_set_values(s, t, 1);
            t->throw_pending = 1;
            t->state = TASK_RUNNING;
            return PERFORMED_NOW;
        }
        return t->state == TASK_BLOCKED ? PERFORMED_BLOCKED : PERFORMED_QUEUED;
    }
    coro_pushstring(vm, "sched: unknown instruction");
    coro_task_set_values(s, t, 1);
    t->throw_pending = 1;
    return PERFORMED_NOW;
}

/* ---- the loop ------------------------------------------------------------------------- */

static void fd_ready(Sched *s, Task *t)
{
    if (t->timer_index >= 0)
        coro_timer_remove(s, t);
    coro_pushboolean(s->vm, 1);
    coro_sched_wake(s, t, 1, false);
}

/* Makes due timers' tasks ready (a descriptor wait that times out gets
 * false). */
static void expire_timers(Sched *s)
{
    double now = coro_sched_now();
    Task *t;
    while ((t = coro_timer_pop_due(s, now)) != NULL) {
        if (t->wait == WAIT_FD) {
            coro_pushboolean(s->vm, 0);
            coro_sched_wake(s, t, 1, false);
        } else {
            coro_sched_wake(s, t, 0, false);
        }
    }
}

/* Runs every ready task once (tasks made ready meanwhile wait for the
 * next round, so a task yielding in a loop cannot starve the others). */
static void run_ready(Sched *s)
{
    Task *last = s->ready_tail;
    Task *t;
    while (last && (t = ready_pop(s)) != NULL) {
        bool was_last = t == last;
        step(s, t);
        if (was_last)
            break;
    }
}

/* Milliseconds to wait for timers (-1: no timer). */
static int timer_wait_ms(Sched *s)
{
    double next = coro_timer_next(s);
    if (next < 0)
        return -1;
    double ms = next * 1000.0;
    if (ms <= 0)
        return 0;
    if (ms > 1e9)
        return 1000000000;
    return (int)ms + 1;
}

int coro_sched_tasks(coro_VM *vm)
{
    return vm->sched ? vm->sched->alive_count : 0;
}

int coro_sched_failures(coro_VM *vm)
{
    return vm->sched ? vm->sched->failures : 0;
}

int coro_sched_timeout(coro_VM *vm)
{
    Sched *s = vm->sched;
    if (!s)
        return -1;
    if (s->ready_head)
        return 0;
    return timer_wait_ms(s);
}

int coro_sched_pollfds(coro_VM *vm, coro_PollFd *fds, int max)
{
    Sched *s = vm->sched;
    if (!s)
        return 0;
    return coro_poll_export(s->poll, fds, max);
}

/* Waits for timers and descriptors, up to limit_ms (-1: no limit). */
static void wait_events(Sched *s, int limit_ms)
{
    int ms = timer_wait_ms(s);
    if (limit_ms >= 0 && (ms < 0 || ms > limit_ms))
        ms = limit_ms;
    if (coro_poll_count(s->poll) > 0 || ms != 0) {
        if (coro_poll_count(s->poll) == 0 && ms > 0) {
            struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
            while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
                ;
        } else if (coro_poll_count(s->poll) > 0) {
            coro_poll_wait(s->poll, ms, s, fd_ready);
        }
    }
    expire_timers(s);
}

static const char *state_name(uint8_t state)
{
    static const char *const names[] = { "ready", "running", "blocked", "done", "failed", "cancelled" };
    return state < 6 ? names[state] : "?";
}

/* Nothing is ready, no timer or descriptor can wake anyone: report every
 * blocked task. */
static void report_deadlock(Sched *s)
{
    fprintf(stderr, "sched: deadlock: %d task%s blocked forever:\n", s->alive_count,
            s->alive_count == 1 ? "" : "s");
    for (Task *t = s->alive_head; t; t = t->alive_next) {
        const char *what = t->wait_what ? t->wait_what : "nothing";
        char buf[48];
        /* A join names the task it waits for. */
        coro_task_push(s->vm, t);
        coro_getiuservalue(s->vm, -1, TASK_UV_WAITING);
        Task *other = coro_task_test(s->vm, -1);
        if (other) {
            snprintf(buf, sizeof buf, "task %lld", (long long)other->id);
            what = buf;
        }
        coro_pop(s->vm, 2);
        fprintf(stderr, "\ttask %lld (%s, spawned at %s) waits on %s\n", (long long)t->id,
                state_name(t->state), t->spawned_at, what);
    }
    fflush(stderr);
}

static bool can_wake(Sched *s)
{
    return s->ready_head || s->ntimers > 0 || coro_poll_count(s->poll) > 0;
}

/* Runs until no task is alive.  Returns false on deadlock. */
static bool run_until_idle(Sched *s)
{
    while (s->alive_count > 0) {
        if (s->ready_head)
            run_ready(s);
        if (s->alive_count == 0)
            break;
        if (s->ready_head) {
            /* Still tasks ready: take in due timers and ready descriptors
             * without waiting, so that tasks yielding in a loop cannot
             * starve the sleepers and the readers. */
            if (s->ntimers > 0 || coro_poll_count(s->poll) > 0)
                wait_events(s, 0);
            continue;
        }
        if (!can_wake(s))
            return false;
        wait_events(s, -1);
    }
    return true;
}

/* run_until_idle in protected mode for sched.run: pushes its result. */
static int idle_protected(coro_VM *vm)
{
    coro_pushboolean(vm, run_until_idle(coro_sched_get(vm)));
    return 1;
}

/* coro_sched_run: the loop in protected mode. */
static int run_protected(coro_VM *vm)
{
    Sched *s = coro_sched_get(vm);
    if (s->running)
        coro_errorf(vm, "sched.run is already running");
    s->running = 1;
    bool ok = run_until_idle(s);
    s->running = 0;
    if (!ok) {
        report_deadlock(s);
        coro_pushstring(vm, "deadlock");
        coro_error(vm);
    }
    return 0;
}

int coro_sched_run(coro_VM *vm)
{
    coro_pushcfunction(vm, run_protected);
    int status = coro_pcall(vm, 0, 0, 0);
    if (status != CORO_OK && vm->sched)
        vm->sched->running = 0;
    return status;
}

static int step_protected(coro_VM *vm)
{
    Sched *s = coro_sched_get(vm);
    int limit = (int)coro_tointeger(vm, 1);
    s->running = 1;
    if (s->ready_head)
        run_ready(s);
    /* Tasks still ready: only take in what is due, without waiting. */
    if (s->alive_count > 0 && can_wake(s))
        wait_events(s, s->ready_head ? 0 : limit);
    if (s->ready_head && !s->current)
        run_ready(s);
    s->running = 0;
    coro_pushinteger(vm, s->alive_count);
    return 1;
}

int coro_sched_step(coro_VM *vm, int timeout_ms)
{
    coro_pushcfunction(vm, step_protected);
    coro_pushinteger(vm, timeout_ms);
    if (coro_pcall(vm, 1, 1, 0) != CORO_OK) {
        if (vm->sched)
            vm->sched->running = 0;
        return -1;
    }
    int alive = (int)coro_tointeger(vm, -1);
    coro_pop(vm, 1);
    return alive;
}

/* ---- the module's functions ----------------------------------------------------------- */

static int sched_spawn(coro_VM *vm)
{
    coro_checkany(vm, 1);
    spawn(vm, coro_sched_get(vm), coro_gettop(vm) - 1);
    coro_settop(vm, 1);
    return 1;
}

static int sched_run(coro_VM *vm)
{
    Sched *s = coro_sched_get(vm);
    if (s->current)
        coro_errorf(vm, "sched.run cannot be called from inside a task");
    if (s->running)
        coro_errorf(vm, "sched.run is already running");
    Task *main_task = NULL;
    if (!coro_isnoneornil(vm, 1)) {
        main_task = spawn(vm, s, coro_gettop(vm) - 1);
        main_task->awaited = 1;     /* its failure is run's error */
    }
    /* Protected, so that the scheduler's own failure (no memory) does
     * not leave it marked as running for good. */
    s->running = 1;
    coro_pushcfunction(vm, idle_protected);
    int status = coro_pcall(vm, 0, 1, 0);
    s->running = 0;
    if (status != CORO_OK)
        return coro_error(vm);
    bool ok = coro_toboolean(vm, -1);
    coro_pop(vm, 1);
    if (!ok) {
        report_deadlock(s);
        /* If f failed, its error is the cause and the deadlock a
         * consequence (tasks it left waiting on it): raise the cause. */
        bool f_failed = main_task && (main_task->state == TASK_FAILED ||
                                      main_task->state == TASK_CANCELLED);
        if (!f_failed) {
            coro_pushstring(vm, "deadlock");
            return coro_error(vm);
        }
    }
    if (!main_task)
        return 0;
    push_box(vm, main_task);
    if (main_task->state == TASK_DONE) {
        coro_getfield(vm, -1, "n");
        int n = (int)coro_tointeger(vm, -1);
        coro_pop(vm, 1);
        coro_checkstack(vm, n + 1);
        for (int i = 1; i <= n; i++)
            coro_rawgeti(vm, -i, i);
        return n;
    }
    /* Raise the task's error, bringing its traceback along. */
    coro_getfield(vm, -1, "trace");
    if (coro_type(vm, -1) == CORO_TSTRING) {
        coro_pushstring(vm, "\n\t(...in a task run by:)");
        coro_concat(vm, 2);
    }
    Value carry = *coro_api_slot(vm, -1);
    coro_rawgeti(vm, -2, 1);
    Value err = *coro_api_slot(vm, -1);
    vm->trace_count = 0;
    vm->trace_carry = carry;
    coro_rethrow(vm, &err);
}

static int sched_current(coro_VM *vm)
{
    Sched *s = coro_sched_get(vm);
    if (!s->current)
        coro_pushnil(vm);
    else
        coro_task_push(vm, s->current);
    return 1;
}

/* ---- task methods ----------------------------------------------------------------------- */

static int task_index(coro_VM *vm)
{
    Task *t = coro_task_check(vm, 1);
    const char *key = coro_tostring(vm, 2);
    if (key && strcmp(key, "id") == 0) {
        coro_pushinteger(vm, t->id);
        return 1;
    }
    coro_getmetatable(vm, 1);
    coro_pushvalue(vm, 2);
    coro_rawget(vm, -2);
    return 1;
}

static int task_status(coro_VM *vm)
{
    Task *t = coro_task_check(vm, 1);
    coro_pushstring(vm, state_name(t->state));
    return 1;
}

static int task_wake(coro_VM *vm)
{
    Task *t = coro_task_check(vm, 1);
    Sched *s = t->sched;
    int n = coro_gettop(vm) - 1;
    if (t->state == TASK_BLOCKED) {
        coro_sched_wake(s, t, n, false);
        coro_pushboolean(vm, 1);
        return 1;
    }
    if (t->state == TASK_READY || t->state == TASK_RUNNING) {
        /* Not waiting yet: its next suspend() returns these at once. */
        coro_createtable(vm, n, 1);
        for (int i = 1; i <= n; i++) {
            coro_pushvalue(vm, i + 1);
            coro_rawseti(vm, -2, i);
        }
        coro_pushinteger(vm, n);
        coro_setfield(vm, -2, "n");
        push_box(vm, t);
        coro_insert(vm, -2);
        coro_setfield(vm, -2, "wake");
        coro_pop(vm, 1);
        t->wake_pending = 1;
        coro_pushboolean(vm, 1);
        return 1;
    }
    coro_pushboolean(vm, 0);
    return 1;
}

static int task_cancel(coro_VM *vm)
{
    Task *t = coro_task_check(vm, 1);
    Sched *s = t->sched;
    switch (t->state) {
    case TASK_DONE: case TASK_FAILED: case TASK_CANCELLED:
        coro_pushboolean(vm, 0);
        return 1;
    case TASK_RUNNING:
        t->was_cancelled = 1;
        t->cancel_requested = 1;    /* raised at its next suspension */
        break;
    case TASK_READY:
        t->was_cancelled = 1;
        if (t->granted) {
            /* A primitive handed it something (a lock, an item taken from
             * a queue...): it gets that, and the cancel at its next
             * suspension, so that nothing is lost. */
            t->cancel_requested = 1;
            break;
        }
        coro_pushstring(vm, "cancelled");
        coro_task_set_values(s, t, 1);
        t->throw_pending = 1;
        break;
    default:
        t->was_cancelled = 1;
        coro_pushstring(vm, "cancelled");
        coro_sched_wake(s, t, 1, true);
        break;
    }
    coro_pushboolean(vm, 1);
    return 1;
}

static int task_tostring(coro_VM *vm)
{
    Task *t = coro_task_check(vm, 1);
    coro_pushfstring(vm, "task %I (%s)", (coro_Integer)t->id, state_name(t->state));
    return 1;
}

static const coro_Reg task_methods[] = {
    { "status", task_status },
    { "wake", task_wake },
    { "cancel", task_cancel },
    { NULL, NULL }
};

/* Pushes the wake values a task:wake stored before a suspend, if any
 * (returns -1 if there were none). */
int coro_task_take_wake(coro_VM *vm, Task *t)
{
    if (!t->wake_pending)
        return -1;
    t->wake_pending = 0;
    push_box(vm, t);
    coro_getfield(vm, -1, "wake");
    coro_pushnil(vm);
    coro_setfield(vm, -3, "wake");
    coro_getfield(vm, -1, "n");
    int n = (int)coro_tointeger(vm, -1);
    coro_pop(vm, 1);
    coro_checkstack(vm, n + 1);
    for (int i = 1; i <= n; i++)
        coro_rawgeti(vm, -i, i);
    coro_remove(vm, -n - 1);
    coro_remove(vm, -n - 1);
    return n;
}

static const coro_Reg sched_funcs[] = {
    { "spawn", sched_spawn },
    { "run", sched_run },
    { "current", sched_current },
    { NULL, NULL }
};

void coro_sched_open_core(coro_VM *vm)
{
    coro_sched_get(vm);
    if (coro_newmetatable(vm, TASK_NAME)) {
        coro_setfuncs(vm, task_methods, 0);
        coro_pushcfunction(vm, task_index);
        coro_setfield(vm, -2, "__index");
        coro_pushcfunction(vm, task_tostring);
        coro_setfield(vm, -2, "__tostring");
    }
    coro_pop(vm, 1);
    coro_setfuncs(vm, sched_funcs, 0);
}
