/*
 * sched_sync.c: futures and the synchronisation primitives of `sched`:
 * lock, semaphore, event, queue, waitqueue.
 *
 * Each is a userdata holding a WaitList of blocked tasks.  An operation
 * that can complete at once (a free lock, a queue with room, a set event,
 * a done future) completes at once and the same task goes on; otherwise
 * the task waits in the list.  A cancelled task is unlinked from the list,
 * so nothing stale is left behind.  A waiter that is handed something (the
 * lock, a permit, an item, a queue slot, a waitqueue wake) is marked
 * granted: if it is cancelled before it runs, it still gets what it was
 * handed, and the cancel at its next suspension.
 */
#include <string.h>

#include "sched.h"

SchedInstr *coro_instr_new(coro_VM *vm, InstrKind kind, int objidx);

#define FUTURE_NAME "sched.future"
#define LOCK_NAME "sched.lock"
#define SEMAPHORE_NAME "sched.semaphore"
#define EVENT_NAME "sched.event"
#define QUEUE_NAME "sched.queue"
#define WAITQUEUE_NAME "sched.waitqueue"

/* Pops the n values on top into a new table {n = n, ...} pushed instead. */
static void pack_values(coro_VM *vm, int n)
{
    coro_createtable(vm, n, 1);
    coro_insert(vm, -n - 1);
    for (int i = n; i >= 1; i--)
        coro_rawseti(vm, -(i + 1), i);
    coro_pushinteger(vm, n);
    coro_setfield(vm, -2, "n");
}

/* Pushes the values of a packed table at idx; returns their count. */
static int unpack_values(coro_VM *vm, int idx)
{
    idx = coro_absindex(vm, idx);
    coro_getfield(vm, idx, "n");
    int n = (int)coro_tointeger(vm, -1);
    coro_pop(vm, 1);
    coro_checkstack(vm, n + 1);
    for (int i = 1; i <= n; i++)
        coro_rawgeti(vm, idx, i);
    return n;
}

/* Blocks t in list; `waiting` (an index) is kept alive while it waits. */
static Performed wait_in(Sched *s, Task *t, WaitList *list, const char *what, int waiting)
{
    coro_VM *vm = s->vm;
    waiting = coro_absindex(vm, waiting);
    coro_waitlist_push(list, t);
    coro_sched_block(s, t, WAIT_LIST, what);
    coro_task_push(vm, t);
    coro_pushvalue(vm, waiting);
    coro_setiuservalue(vm, -2, TASK_UV_WAITING);
    coro_pop(vm, 1);
    return PERFORMED_BLOCKED;
}

/* ---- futures ---------------------------------------------------------------- */

typedef struct Future {
    uint8_t state;      /* 0 pending, 1 set, 2 failed */
    WaitList waiters;
} Future;

bool coro_future_is(coro_VM *vm, int idx)
{
    return coro_testudata(vm, idx, FUTURE_NAME) != NULL;
}

static int future_new(coro_VM *vm)
{
    Future *f = coro_newuserdatauv(vm, sizeof(Future), 1);
    memset(f, 0, sizeof *f);
    coro_setmetatable_named(vm, FUTURE_NAME);
    return 1;
}

/* Wakes every waiter of f with its values or error (user value 1). */
static void future_release(Sched *s, Future *f, int fidx)
{
    coro_VM *vm = s->vm;
    fidx = coro_absindex(vm, fidx);
    Task *t;
    while ((t = coro_waitlist_pop(&f->waiters)) != NULL) {
        coro_getiuservalue(vm, fidx, 1);
        int n;
        if (f->state == 2) {
            n = 1;
        } else {
            n = unpack_values(vm, -1);
            coro_remove(vm, -n - 1);
        }
        coro_sched_wake(s, t, n, f->state == 2);
    }
}

static int future_set(coro_VM *vm)
{
    Future *f = coro_checkudata(vm, 1, FUTURE_NAME);
    if (f->state != 0)
        coro_errorf(vm, "future is already done");
    pack_values(vm, coro_gettop(vm) - 1);
    coro_setiuservalue(vm, 1, 1);
    f->state = 1;
    future_release(coro_sched_get(vm), f, 1);
    return 0;
}

static int future_fail(coro_VM *vm)
{
    Future *f = coro_checkudata(vm, 1, FUTURE_NAME);
    coro_checkany(vm, 2);
    if (f->state != 0)
        coro_errorf(vm, "future is already done");
    coro_settop(vm, 2);
    coro_setiuservalue(vm, 1, 1);
    f->state = 2;
    future_release(coro_sched_get(vm), f, 1);
    return 0;
}

static int future_done(coro_VM *vm)
{
    Future *f = coro_checkudata(vm, 1, FUTURE_NAME);
    coro_pushboolean(vm, f->state != 0);
    return 1;
}

Performed coro_future_await(Sched *s, Task *t, int idx)
{
    coro_VM *vm = s->vm;
    Future *f = coro_touserdata(vm, idx);
    if (f->state == 0)
        return wait_in(s, t, &f->waiters, "a future", idx);
    coro_getiuservalue(vm, idx, 1);
    if (f->state == 2) {
        coro_task_set_values(s, t, 1);
        t->throw_pending = 1;
    } else {
        int n = unpack_values(vm, -1);
        coro_remove(vm, -n - 1);
        coro_task_set_values(s, t, n);
    }
    return PERFORMED_NOW;
}

/* ---- lock and semaphore --------------------------------------------------------- */

typedef struct Lock {
    int count;          /* semaphore: permits left; lock: 1 free, 0 held */
    Task *owner;
    WaitList waiters;
} Lock;

static int lock_new(coro_VM *vm)
{
    Lock *l = coro_newuserdatauv(vm, sizeof(Lock), 0);
    memset(l, 0, sizeof *l);
    l->count = 1;
    coro_setmetatable_named(vm, LOCK_NAME);
    return 1;
}

static int semaphore_new(coro_VM *vm)
{
    coro_Integer n = coro_optinteger(vm, 1, 1);
    coro_argcheck(vm, n >= 0 && n <= INT32_MAX, 1, "value out of range");
    Lock *l = coro_newuserdatauv(vm, sizeof(Lock), 0);
    memset(l, 0, sizeof *l);
    l->count = (int)n;
    coro_setmetatable_named(vm, SEMAPHORE_NAME);
    return 1;
}

static Lock *check_lock(coro_VM *vm, int idx, bool *is_semaphore)
{
    Lock *l = coro_testudata(vm, idx, LOCK_NAME);
    *is_semaphore = false;
    if (!l) {
        l = coro_testudata(vm, idx, SEMAPHORE_NAME);
        *is_semaphore = true;
    }
    if (!l)
        coro_typeerror(vm, idx, "lock or semaphore");
    return l;
}

static int lock_acquire(coro_VM *vm)
{
    bool sem;
    check_lock(vm, 1, &sem);
    coro_instr_new(vm, sem ? INSTR_SEMAPHORE : INSTR_LOCK, 1);
    return 1;
}

static int lock_release(coro_VM *vm)
{
    bool sem;
    Lock *l = check_lock(vm, 1, &sem);
    Sched *s = coro_sched_get(vm);
    if (!sem && l->count > 0)
        coro_errorf(vm, "lock is not locked");
    Task *next = coro_waitlist_pop(&l->waiters);
    if (next) {
        /* Hand it straight to the first waiter. */
        l->owner = next;
        coro_sched_wake(s, next, 0, false);
        next->granted = 1;
    } else {
        l->count++;
        l->owner = NULL;
    }
    return 0;
}

static int lock_locked(coro_VM *vm)
{
    bool sem;
    Lock *l = check_lock(vm, 1, &sem);
    coro_pushboolean(vm, l->count == 0);
    return 1;
}

static int semaphore_value(coro_VM *vm)
{
    bool sem;
    Lock *l = check_lock(vm, 1, &sem);
    coro_pushinteger(vm, l->count);
    return 1;
}

/* ---- event -------------------------------------------------------------------- */

typedef struct Event {
    bool set;
    WaitList waiters;
} Event;

static int event_new(coro_VM *vm)
{
    Event *e = coro_newuserdatauv(vm, sizeof(Event), 0);
    memset(e, 0, sizeof *e);
    coro_setmetatable_named(vm, EVENT_NAME);
    return 1;
}

static int event_set(coro_VM *vm)
{
    Event *e = coro_checkudata(vm, 1, EVENT_NAME);
    Sched *s = coro_sched_get(vm);
    e->set = true;
    Task *t;
    while ((t = coro_waitlist_pop(&e->waiters)) != NULL)
        coro_sched_wake(s, t, 0, false);
    return 0;
}

static int event_clear(coro_VM *vm)
{
    Event *e = coro_checkudata(vm, 1, EVENT_NAME);
    e->set = false;
    return 0;
}

static int event_is_set(coro_VM *vm)
{
    Event *e = coro_checkudata(vm, 1, EVENT_NAME);
    coro_pushboolean(vm, e->set);
    return 1;
}

static int event_wait(coro_VM *vm)
{
    coro_checkudata(vm, 1, EVENT_NAME);
    coro_instr_new(vm, INSTR_EVENT_WAIT, 1);
    return 1;
}

/* ---- queue ----------------------------------------------------------------------- */

/* Items live in user value 1, a table used as a ring from `first`. */
typedef struct Queue {
    int64_t maxsize;    /* 0: unbounded */
    int64_t first;
    int64_t count;
    WaitList getters;
    WaitList putters;   /* each waits with its put instruction kept */
} Queue;

static int queue_new(coro_VM *vm)
{
    coro_Integer maxsize = coro_optinteger(vm, 1, 0);
    coro_argcheck(vm, maxsize >= 0, 1, "maxsize must not be negative");
    Queue *q = coro_newuserdatauv(vm, sizeof(Queue), 1);
    memset(q, 0, sizeof *q);
    q->maxsize = maxsize;
    q->first = 1;
    coro_newtable(vm);
    coro_setiuservalue(vm, -2, 1);
    coro_setmetatable_named(vm, QUEUE_NAME);
    return 1;
}

/* Appends the value on top (popped) to queue qidx. */
static void queue_push(coro_VM *vm, Queue *q, int qidx)
{
    qidx = coro_absindex(vm, qidx);
    coro_getiuservalue(vm, qidx, 1);
    coro_insert(vm, -2);
    coro_rawseti(vm, -2, q->first + q->count);
    coro_pop(vm, 1);
    q->count++;
}

/* Pushes the first item, removing it. */
static void queue_shift(coro_VM *vm, Queue *q, int qidx)
{
    qidx = coro_absindex(vm, qidx);
    coro_getiuservalue(vm, qidx, 1);
    coro_rawgeti(vm, -1, q->first);
    coro_pushnil(vm);
    coro_rawseti(vm, -3, q->first);
    coro_remove(vm, -2);
    q->first++;
    q->count--;
    if (q->count == 0)
        q->first = 1;
}

static int queue_put(coro_VM *vm)
{
    coro_checkudata(vm, 1, QUEUE_NAME);
    coro_checkany(vm, 2);
    coro_instr_new(vm, INSTR_QUEUE_PUT, 1);
    coro_pushvalue(vm, 2);
    coro_setiuservalue(vm, -2, 2);
    return 1;
}

static int queue_get(coro_VM *vm)
{
    coro_checkudata(vm, 1, QUEUE_NAME);
    coro_instr_new(vm, INSTR_QUEUE_GET, 1);
    return 1;
}

static int queue_len(coro_VM *vm)
{
    Queue *q = coro_checkudata(vm, 1, QUEUE_NAME);
    coro_pushinteger(vm, q->count);
    return 1;
}

static int queue_empty(coro_VM *vm)
{
    Queue *q = coro_checkudata(vm, 1, QUEUE_NAME);
    coro_pushboolean(vm, q->count == 0);
    return 1;
}

static int queue_full(coro_VM *vm)
{
    Queue *q = coro_checkudata(vm, 1, QUEUE_NAME);
    coro_pushboolean(vm, q->maxsize > 0 && q->count >= q->maxsize);
    return 1;
}

/* ---- wait queue -------------------------------------------------------------------- */

typedef struct WaitQueue {
    WaitList waiters;
} WaitQueue;

static int waitqueue_new(coro_VM *vm)
{
    WaitQueue *w = coro_newuserdatauv(vm, sizeof(WaitQueue), 0);
    memset(w, 0, sizeof *w);
    coro_setmetatable_named(vm, WAITQUEUE_NAME);
    return 1;
}

static int waitqueue_wait(coro_VM *vm)
{
    coro_checkudata(vm, 1, WAITQUEUE_NAME);
    coro_instr_new(vm, INSTR_WAITQUEUE, 1);
    return 1;
}

/* Wakes up to max waiters with the arguments after self; returns how many. */
static int waitqueue_wake(coro_VM *vm, int max)
{
    WaitQueue *w = coro_checkudata(vm, 1, WAITQUEUE_NAME);
    Sched *s = coro_sched_get(vm);
    int n = coro_gettop(vm) - 1;
    int woken = 0;
    Task *t;
    while (woken < max && (t = coro_waitlist_pop(&w->waiters)) != NULL) {
        for (int i = 2; i <= n + 1; i++)
            coro_pushvalue(vm, i);
        coro_sched_wake(s, t, n, false);
        t->granted = 1;
        woken++;
    }
    return woken;
}

static int waitqueue_wake_one(coro_VM *vm)
{
    coro_pushboolean(vm, waitqueue_wake(vm, 1) > 0);
    return 1;
}

static int waitqueue_wake_all(coro_VM *vm)
{
    coro_pushinteger(vm, waitqueue_wake(vm, INT32_MAX));
    return 1;
}

static int waitqueue_len(coro_VM *vm)
{
    WaitQueue *w = coro_checkudata(vm, 1, WAITQUEUE_NAME);
    coro_pushinteger(vm, w->waiters.count);
    return 1;
}

/* ---- performing the primitives' instructions ---------------------------------------- */

Performed coro_sync_perform(Sched *s, Task *t, SchedInstr *in, int idx)
{
    coro_VM *vm = s->vm;
    idx = coro_absindex(vm, idx);
    coro_getiuservalue(vm, idx, 1);     /* the object */
    int obj = coro_gettop(vm);
    Performed p = PERFORMED_NOW;
    switch (in->kind) {
    case INSTR_LOCK:
    case INSTR_SEMAPHORE: {
        Lock *l = coro_touserdata(vm, obj);
        if (l->count > 0) {
            l->count--;
            l->owner = t;
            coro_task_set_values(s, t, 0);
        } else {
            p = wait_in(s, t, &l->waiters, in->kind == INSTR_LOCK ? "a lock" : "a semaphore", obj);
        }
        break;
    }
    case INSTR_EVENT_WAIT: {
        Event *e = coro_touserdata(vm, obj);
        if (e->set)
            coro_task_set_values(s, t, 0);
        else
            p = wait_in(s, t, &e->waiters, "an event", obj);
        break;
    }
    case INSTR_QUEUE_PUT: {
        Queue *q = coro_touserdata(vm, obj);
        Task *getter = coro_waitlist_pop(&q->getters);
        if (getter) {
            coro_getiuservalue(vm, idx, 2);
            coro_sched_wake(s, getter, 1, false);
            getter->granted = 1;
            coro_task_set_values(s, t, 0);
        } else if (q->maxsize == 0 || q->count < q->maxsize) {
            coro_getiuservalue(vm, idx, 2);
            queue_push(vm, q, obj);
            coro_task_set_values(s, t, 0);
        } else {
            /* Full: wait, keeping the instruction (and its value). */
            p = wait_in(s, t, &q->putters, "a full queue", idx);
        }
        break;
    }
    case INSTR_QUEUE_GET: {
        Queue *q = coro_touserdata(vm, obj);
        if (q->count > 0) {
            queue_shift(vm, q, obj);
            Task *putter = coro_waitlist_pop(&q->putters);
            if (putter) {
                /* Its value takes the freed place; it goes on. */
                coro_task_push(vm, putter);
                coro_getiuservalue(vm, -1, TASK_UV_WAITING);
                coro_getiuservalue(vm, -1, 2);
                queue_push(vm, q, obj);
                coro_pop(vm, 2);
                coro_sched_wake(s, putter, 0, false);
                putter->granted = 1;
            }
            coro_task_set_values(s, t, 1);
        } else {
            p = wait_in(s, t, &q->getters, "an empty queue", obj);
        }
        break;
    }
    case INSTR_WAITQUEUE: {
        WaitQueue *w = coro_touserdata(vm, obj);
        p = wait_in(s, t, &w->waiters, "a wait queue", obj);
        break;
    }
    default:
        coro_pushstring(vm, "sched: unknown instruction");
        coro_task_set_values(s, t, 1);
        t->throw_pending = 1;
        break;
    }
    coro_settop(vm, obj - 1);
    return p;
}

/* ---- registration ------------------------------------------------------------------- */

static void new_class(coro_VM *vm, const char *name, const coro_Reg *methods)
{
    if (coro_newmetatable(vm, name)) {
        coro_newlib(vm, methods);
        coro_setfield(vm, -2, "__index");
    }
    coro_pop(vm, 1);
}

static const coro_Reg future_methods[] = {
    { "set", future_set }, { "fail", future_fail }, { "done", future_done }, { NULL, NULL }
};
static const coro_Reg lock_methods[] = {
    { "acquire", lock_acquire }, { "release", lock_release }, { "locked", lock_locked },
    { NULL, NULL }
};
static const coro_Reg semaphore_methods[] = {
    { "acquire", lock_acquire }, { "release", lock_release }, { "locked", lock_locked },
    { "value", semaphore_value }, { NULL, NULL }
};
static const coro_Reg event_methods[] = {
    { "set", event_set }, { "clear", event_clear }, { "is_set", event_is_set },
    { "wait", event_wait }, { NULL, NULL }
};
static const coro_Reg queue_methods[] = {
    { "put", queue_put }, { "get", queue_get }, { "len", queue_len },
    { "empty", queue_empty }, { "full", queue_full }, { NULL, NULL }
};
static const coro_Reg waitqueue_methods[] = {
    { "wait", waitqueue_wait }, { "wake_one", waitqueue_wake_one },
    { "wake_all", waitqueue_wake_all }, { "len", waitqueue_len }, { NULL, NULL }
};

static const coro_Reg sync_funcs[] = {
    { "future", future_new },
    { "lock", lock_new },
    { "semaphore", semaphore_new },
    { "event", event_new },
    { "queue", queue_new },
    { "waitqueue", waitqueue_new },
    { NULL, NULL }
};

void coro_sched_open_sync(coro_VM *vm)
{
    new_class(vm, FUTURE_NAME, future_methods);
    new_class(vm, LOCK_NAME, lock_methods);
    new_class(vm, SEMAPHORE_NAME, semaphore_methods);
    new_class(vm, EVENT_NAME, event_methods);
    new_class(vm, QUEUE_NAME, queue_methods);
    new_class(vm, WAITQUEUE_NAME, waitqueue_methods);
    coro_setfuncs(vm, sync_funcs, 0);
}
