/*
 * lib_coroutine.c: the coroutine library (Lua 5.4's) and the methods every
 * coroutine has (resume, send, throw, close, status).
 *
 * Resuming is a request to the VM (coro_resumek): the C function returns
 * at once and its continuation runs when the coroutine yields, returns or
 * fails.  Nothing stays on the C stack while a coroutine runs.
 */
#include <stdio.h>
#include <string.h>

#include "coro.h"
#include "stdlib_internal.h"
#include "api.h"
#include "call.h"
#include "debug.h"
#include "func.h"
#include "object.h"

static Coroutine *check_coroutine(coro_VM *vm, int arg)
{
    Value *v = coro_api_slot(vm, arg);
    if (!is_coroutine(v))
        coro_typeerror(vm, arg, "thread");
    return as_coroutine(v);
}

static const char *status_name(coro_VM *vm, Coroutine *co)
{
    if (co == vm->current)
        return "running";
    switch (co->status) {
    case CO_SUSPENDED: return "suspended";
    case CO_NORMAL: return "normal";
    case CO_RUNNING: return "running";
    default: return "dead";
    }
}

/* ---- coroutine.create / status / running / isyieldable --------------------------- */

static int co_create(coro_VM *vm)
{
    coro_checktype(vm, 1, CORO_TFUNCTION);
    coro_settop(vm, 1);
    coro_newcoroutine(vm);
    return 1;
}

static int co_status(coro_VM *vm)
{
    coro_pushstring(vm, status_name(vm, check_coroutine(vm, 1)));
    return 1;
}

static int co_running(coro_VM *vm)
{
    int ismain = coro_pushthread(vm);
    coro_pushboolean(vm, ismain);
    return 2;
}

static int co_isyieldable(coro_VM *vm)
{
    Coroutine *co = coro_isnone(vm, 1) ? vm->current : check_coroutine(vm, 1);
    coro_pushboolean(vm, co != vm->main_co && co->c_calls == 0);
    return 1;
}

/* ---- resume ------------------------------------------------------------------------ */

/* Returns an error message if co cannot be resumed now. */
static const char *resume_problem(coro_VM *vm, Coroutine *co)
{
    if (co->status == CO_SUSPENDED)
        return NULL;
    if (co->status == CO_DEAD)
        return "cannot resume dead coroutine";
    (void)vm;
    return "cannot resume non-suspended coroutine";
}

static int resume_k(coro_VM *vm, int status, coro_KContext ctx)
{
    (void)ctx;
    if (status == CORO_OK || status == CORO_YIELD) {
        coro_pushboolean(vm, 1);
        coro_insert(vm, 1);
        return coro_gettop(vm);
    }
    coro_pushboolean(vm, 0);
    coro_insert(vm, -2);
    return 2;
}

static int co_resume(coro_VM *vm)
{
    Coroutine *co = check_coroutine(vm, 1);
    const char *problem = resume_problem(vm, co);
    if (problem) {
        coro_pushboolean(vm, 0);
        coro_pushstring(vm, problem);
        return 2;
    }
    return coro_api_resume_keeping_tbc(vm, coro_gettop(vm) - 1, 0, resume_k);
}

static int co_yield(coro_VM *vm)
{
    return coro_yieldk(vm, coro_gettop(vm), 0, NULL);
}

/* ---- wrap ---------------------------------------------------------------------------- */

static int wrap_k(coro_VM *vm, int status, coro_KContext ctx)
{
    (void)ctx;
    if (status == CORO_OK || status == CORO_YIELD)
        return coro_gettop(vm);
    if (status != CORO_ERRMEM && coro_type(vm, -1) == CORO_TSTRING) {
        coro_where(vm, 1);
        coro_insert(vm, -2);
        coro_concat(vm, 2);
    }
    return coro_stdlib_rethrow(vm);
}

static int wrap_call(coro_VM *vm)
{
    Coroutine *co = as_coroutine(coro_api_slot(vm, coro_upvalueindex(1)));
    const char *problem = resume_problem(vm, co);
    if (problem)
        coro_errorf(vm, "%s", problem);
    coro_pushvalue(vm, coro_upvalueindex(1));
    coro_insert(vm, 1);
    return coro_resumek(vm, coro_gettop(vm) - 1, 0, wrap_k);
}

static int co_wrap(coro_VM *vm)
{
    co_create(vm);
    coro_pushcclosure(vm, wrap_call, 1);
    return 1;
}

/* ---- close ------------------------------------------------------------------------------ */

static int close_k(coro_VM *vm, int status, coro_KContext ctx)
{
    /* Closed: a later close reports nothing more (as Lua). */
    ((Coroutine *)ctx)->dead_by_error = 0;
    if (status == CORO_OK) {
        coro_settop(vm, 0);
        coro_pushboolean(vm, 1);
        return 1;
    }
    coro_pushboolean(vm, 0);
    coro_insert(vm, -2);
    return 2;
}

static int co_close(coro_VM *vm)
{
    Coroutine *co = check_coroutine(vm, 1);
    if (co == vm->current || co->status == CO_RUNNING || co->status == CO_NORMAL)
        coro_errorf(vm, "cannot close a %s coroutine", status_name(vm, co));
    if (co->status == CO_DEAD && !(co->dead_by_error && co->tbc && co->tbc->count > 0)) {
        if (co->dead_by_error) {
            /* Reported once, as Lua does; a second close is clean. */
            co->dead_by_error = 0;
            coro_pushboolean(vm, 0);
            coro_api_push(vm, &co->stack[0]);
            set_nil(&co->stack[0]);
            return 2;
        }
        coro_pushboolean(vm, 1);
        return 1;
    }
    coro_settop(vm, 1);
    return coro_api_request(vm, REQ_CLOSE, 0, 0, 0, (coro_KContext)co, close_k);
}

/* ---- methods: send and throw ----------------------------------------------------------- */

static int send_k(coro_VM *vm, int status, coro_KContext ctx)
{
    (void)ctx;
    if (status == CORO_OK || status == CORO_YIELD)
        return coro_gettop(vm);
    return coro_stdlib_rethrow(vm);
}

static int co_send(coro_VM *vm)
{
    Coroutine *co = check_coroutine(vm, 1);
    const char *problem = resume_problem(vm, co);
    if (problem)
        coro_errorf(vm, "%s", problem);
    return coro_resumek(vm, coro_gettop(vm) - 1, 0, send_k);
}

static int co_throw(coro_VM *vm)
{
    Coroutine *co = check_coroutine(vm, 1);
    const char *problem = resume_problem(vm, co);
    if (problem)
        coro_errorf(vm, "%s", problem);
    coro_settop(vm, 2);
    return coro_api_request(vm, REQ_THROW, 1, 0, 0, 0, send_k);
}

/* "thread: 0x... (suspended at file:line)" */
static int co_tostring(coro_VM *vm)
{
    Coroutine *co = check_coroutine(vm, 1);
    const char *status = status_name(vm, co);
    char where[CHUNKID_SIZE + 32];
    where[0] = '\0';
    if (co->status == CO_SUSPENDED && co != vm->current) {
        if (co->started == CO_STARTED && co->nframes > 0) {
            Frame *f = &co->frames[co->nframes - 1];
            /* A C frame on top (coroutine.yield): report its caller. */
            if ((f->flags & FRAME_C) && co->nframes > 1)
                f--;
            char buf[CHUNKID_SIZE + 24];
            coro_debug_where(f, buf, sizeof buf);
            size_t n = strlen(buf);
            if (n >= 2) {
                buf[n - 2] = '\0';  /* drop ": " */
                snprintf(where, sizeof where, " at %s", buf);
            }
        } else if (is_lclosure(&co->stack[0])) {
            Proto *p = as_lclosure(&co->stack[0])->proto;
            char id[CHUNKID_SIZE];
            coro_chunkid(id, sizeof id, p->source->data, str_len(p->source));
            snprintf(where, sizeof where, " at %s:%d", id, p->line_defined);
        }
    }
    coro_pushfstring(vm, "thread: %p (%s%s)", (void *)co, status, where);
    return 1;
}

static const coro_Reg co_funcs[] = {
    { "create", co_create },
    { "resume", co_resume },
    { "running", co_running },
    { "status", co_status },
    { "wrap", co_wrap },
    { "yield", co_yield },
    { "isyieldable", co_isyieldable },
    { "close", co_close },
    { NULL, NULL }
};

static const coro_Reg co_methods[] = {
    { "resume", co_resume },
    { "send", co_send },
    { "throw", co_throw },
    { "close", co_close },
    { "status", co_status },
    { NULL, NULL }
};

static int open_coroutine(coro_VM *vm)
{
    /* The loop runs these two without a C frame when it can. */
    vm->send_fn = co_send;
    vm->resume_fn = co_resume;
    vm->yield_fn = co_yield;
    coro_newlib(vm, co_funcs);
    /* The metatable all coroutines share. */
    coro_createtable(vm, 0, 3);
    coro_newlib(vm, co_methods);
    coro_setfield(vm, -2, "__index");
    coro_pushcfunction(vm, co_tostring);
    coro_setfield(vm, -2, "__tostring");
    coro_pushstring(vm, "thread");
    coro_setfield(vm, -2, "__name");
    coro_pushthread(vm);
    coro_insert(vm, -2);
    coro_setmetatable(vm, -2);
    coro_pop(vm, 1);
    return 1;
}

void coro_open_coroutine(coro_VM *vm)
{
    coro_requiref(vm, "coroutine", open_coroutine, 1);
    coro_pop(vm, 1);
}
