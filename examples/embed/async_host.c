/*
 * async_host.c: asynchronous operations implemented by the host, which
 * scripts `await` like any other operation.
 *
 * The host offers `fetch(key)`.  Scripts write
 *
 *     local value = await fetch("apple")
 *
 * and the task waits, without blocking anything else, until the host
 * decides the value is ready.  The pieces:
 *
 *  1. fetch(key) returns a coroutine whose body is a C function (as the
 *     `socket` module's operations do).  `await` on a coroutine delegates
 *     to it, so whatever the body yields travels up to the scheduler.
 *  2. The body yields, with coro_yieldk, a request: a userdata whose
 *     metatable has `__instruction`.  The scheduler calls
 *     __instruction(request, task) and leaves the task blocked; our
 *     __instruction (in C) just records the task in the host's list of
 *     pending requests.
 *  3. Later, from its own loop, the host completes a request by calling
 *     task:wake(true, value) or task:wake(false, message).  The task
 *     becomes ready; when it runs, the body's continuation receives those
 *     values and returns the value (or raises the message), which becomes
 *     the value of the script's `await`.
 *
 * Nothing stays on the C stack while a task waits: between the yield and
 * the continuation there is only data (the request, the recorded task).
 * Several tasks wait at once here, and the host completes them in a
 * different order from the one they asked in.
 *
 *   usage: async_host
 */
#include <stdio.h>
#include <string.h>

#include "coro.h"

/* ---- the host's side: requests waiting for an answer -------------------- */

#define MAX_PENDING 16

typedef struct Pending {
    char key[32];
    int task;               /* reference to the waiting task */
} Pending;

typedef struct Host {
    Pending pending[MAX_PENDING];
    int npending;
} Host;

/* The request userdata: what the task waits on.  Keeping the key in it
 * (and not in the C function's frame) is what lets the frame go away. */
#define REQUEST_TYPE "async_host.request"

typedef struct Request {
    char key[32];
} Request;

/* __instruction(request, task): called by the scheduler, once, right
 * after the task yielded the request.  Record who waits for what; the
 * task stays blocked until someone calls task:wake. */
static int request_instruction(coro_VM *vm)
{
    Host *host = coro_get_userdata(vm);
    Request *req = coro_checkudata(vm, 1, REQUEST_TYPE);
    if (host->npending == MAX_PENDING)
        return coro_errorf(vm, "too many requests in flight");
    Pending *p = &host->pending[host->npending++];
    snprintf(p->key, sizeof p->key, "%s", req->key);
    coro_pushvalue(vm, 2);
    p->task = coro_ref(vm, CORO_REGISTRYINDEX);    /* keeps the task alive */
    return 0;
}

/* Shown in deadlock reports and by print. */
static int request_tostring(coro_VM *vm)
{
    Request *req = coro_checkudata(vm, 1, REQUEST_TYPE);
    coro_pushfstring(vm, "request for '%s'", req->key);
    return 1;
}

/* ---- the script's side: fetch(key) ------------------------------------------ */

/* The continuation: the task was woken with (ok, value-or-message).
 * They are the two values on top of the stack. */
static int fetch_k(coro_VM *vm, int status, coro_KContext ctx)
{
    (void)status;       /* CORO_YIELD: we are resumed after our yield */
    (void)ctx;
    if (!coro_toboolean(vm, -2)) {
        coro_pushvalue(vm, -1);
        return coro_error(vm);      /* raised at the script's `await` */
    }
    coro_pushvalue(vm, -1);
    return 1;                       /* the value the `await` gives */
}

/* The operation's body, run when the script awaits it. */
static int fetch_body(coro_VM *vm)
{
    const char *key = coro_tostring(vm, coro_upvalueindex(1));
    Request *req = coro_newuserdatauv(vm, sizeof(Request), 0);
    snprintf(req->key, sizeof req->key, "%s", key);
    coro_setmetatable_named(vm, REQUEST_TYPE);
    /* Hand the request to whoever resumed us (the scheduler) and return;
     * fetch_k runs when the task is woken. */
    return coro_yieldk(vm, 1, 0, fetch_k);
}

/* fetch(key) -> an operation to await */
static int fetch(coro_VM *vm)
{
    coro_checkstring(vm, 1);
    coro_settop(vm, 1);
    coro_pushcclosure(vm, fetch_body, 1);   /* the key is its upvalue */
    coro_newcoroutine(vm);
    return 1;
}

/* ---- completing requests from the host ------------------------------------ */

/* Calls task:wake(ok, value) for p and forgets p.  wake returns false if
 * the task no longer waits (it was cancelled meanwhile): nothing to do
 * then. */
static void complete(coro_VM *vm, Pending *p, int ok, const char *value)
{
    printf("host: completing '%s'\n", p->key);
    coro_getref(vm, CORO_REGISTRYINDEX, p->task);
    coro_getfield(vm, -1, "wake");      /* the method... */
    coro_insert(vm, -2);                /* ...below the task, its self */
    coro_pushboolean(vm, ok);
    coro_pushstring(vm, value);
    if (coro_pcall(vm, 3, 1, 0) != CORO_OK)
        printf("host: wake failed: %s\n", coro_tostring(vm, -1));
    coro_pop(vm, 1);
    coro_unref(vm, CORO_REGISTRYINDEX, p->task);
}

/* The host's "backend": answers in its own time and order (here, the
 * newest request first), and knows only some keys. */
static void answer_newest(coro_VM *vm, Host *host)
{
    static const struct {
        const char *key, *colour;
    } colours[] = {
        { "apple", "red" }, { "banana", "yellow" }, { "kiwi", "brown" }, { "lime", "green" },
    };
    Pending p = host->pending[--host->npending];
    for (size_t i = 0; i < sizeof colours / sizeof colours[0]; i++) {
        if (strcmp(p.key, colours[i].key) == 0) {
            complete(vm, &p, 1, colours[i].colour);
            return;
        }
    }
    complete(vm, &p, 0, "no such fruit");
}

static const char script[] =
    "local function worker(key)\n"
    "  print(key .. ': asking')\n"
    "  local colour = await fetch(key)\n"
    "  print(key .. ': ' .. colour)\n"
    "end\n"
    "sched.spawn(worker, 'apple')\n"
    "sched.spawn(worker, 'banana')\n"
    "sched.spawn(function()\n"
    "  -- errors from the host arrive as errors, even through pcall\n"
    "  local ok, err = pcall(function() return await fetch('durian') end)\n"
    "  print('durian: ' .. tostring(ok) .. ', ' .. err)\n"
    "end)\n"
    "sched.spawn(function()\n"
    "  -- host operations compose with the scheduler's own\n"
    "  local both = await sched.gather(fetch('kiwi'), fetch('lime'))\n"
    "  print('gathered: ' .. both[1] .. ' and ' .. both[2])\n"
    "end)\n";

int main(void)
{
    Host host;
    memset(&host, 0, sizeof host);
    coro_VM *vm = coro_new(NULL);
    if (!vm)
        return 1;
    coro_set_userdata(vm, &host);
    if (coro_open_libs(vm) != CORO_OK) {
        fprintf(stderr, "async_host: %s\n", coro_tostring(vm, -1));
        coro_free(vm);
        return 1;
    }

    /* The request type and the fetch function. */
    coro_newmetatable(vm, REQUEST_TYPE);
    coro_pushcfunction(vm, request_instruction);
    coro_setfield(vm, -2, "__instruction");
    coro_pushcfunction(vm, request_tostring);
    coro_setfield(vm, -2, "__tostring");
    coro_pop(vm, 1);
    coro_pushcfunction(vm, fetch);
    coro_setglobal(vm, "fetch");

    /* The script only spawns tasks: nothing runs until we step. */
    if (coro_load(vm, script, sizeof script - 1, "=script", "t") != CORO_OK ||
        coro_pcall_traceback(vm, 0, 0) != CORO_OK) {
        fprintf(stderr, "async_host: %s\n", coro_tostring(vm, -1));
        coro_free(vm);
        return 1;
    }

    /* The host's loop.  coro_sched_run would report a deadlock here: it
     * cannot know that we will wake the blocked tasks.  Stepping leaves
     * the waiting to us. */
    for (;;) {
        int alive = coro_sched_step(vm, 0);     /* run whatever is ready */
        if (alive < 0) {
            printf("scheduler error: %s\n", coro_tostring(vm, -1));
            coro_pop(vm, 1);
            break;
        }
        if (alive == 0)
            break;                              /* every task finished */
        if (coro_sched_timeout(vm) == 0)
            continue;                           /* some are ready again */
        if (host.npending == 0) {
            printf("tasks wait on something nobody will complete\n");
            break;
        }
        printf("host: %d requests pending\n", host.npending);
        answer_newest(vm, &host);
    }
    printf("failed tasks: %d\n", coro_sched_failures(vm));

    /* Requests never completed still hold references: coro_free releases
     * them with everything else. */
    coro_free(vm);
    return 0;
}
