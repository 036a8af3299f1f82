/*
 * call.c: calls, returns, errors, unwinding and coroutine switches.
 *
 * Read call.h first.  Every function here leaves the VM consistent before
 * it calls anything that may raise, because an error longjmps to the
 * innermost catch point, which unwinds from whatever frames exist then.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "api.h"
#include "coroutine.h"
#include "debug.h"
#include "func.h"
#include "gc.h"
#include "mem.h"
#include "meta.h"
#include "opcodes.h"
#include "str.h"
#include "table.h"

#define MAX_C_DEPTH 200

/* What a coroutine hands to its resumer. */
typedef enum TransferKind {
    KIND_YIELD, KIND_RETURN, KIND_ERROR, KIND_CLOSED
} TransferKind;

/* ---- errors -------------------------------------------------------------------- */

void coro_throw(coro_VM *vm, int status)
{
    vm->error_status = status;
    if (!vm->errjmp) {
        /* No protected call anywhere: the host broke the API contract. */
        const Value *e = &vm->error_value;
        fprintf(stderr, "coro: unprotected error: %s\n",
                is_string(e) ? as_string(e)->data : "(error object is not a string)");
        abort();
    }
    longjmp(vm->errjmp->buf, 1);
}

void coro_throw_value(coro_VM *vm, const Value *err)
{
    vm->error_value = *err;
    coro_trace_reset(vm);
    coro_throw(vm, CORO_ERRRUN);
}

void coro_rethrow(coro_VM *vm, const Value *err)
{
    vm->error_value = *err;
    coro_throw(vm, CORO_ERRRUN);
}

void coro_throw_msg(coro_VM *vm, const char *fmt, ...)
{
    char msg[1024];
    char where[CHUNKID_SIZE + 24];
    where[0] = '\0';
    Coroutine *co = vm->current;
    if (co && co->nframes > 0)
        coro_debug_where(co_top_frame(co), where, sizeof where);
    size_t n = strlen(where);
    memcpy(msg, where, n);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - n, fmt, ap);
    va_end(ap);
    Value err;
    set_string(&err, coro_str_newc(vm, msg));
    coro_throw_value(vm, &err);
}

int coro_protect(coro_VM *vm, void (*fn)(coro_VM *vm, void *ud), void *ud)
{
    Coroutine *co = vm->current;
    size_t top = stack_offset(co, co->top);
    uint32_t nframes = co->nframes;
    uint8_t c_calls = co->c_calls;
    ErrorJmp ej;
    ej.prev = vm->errjmp;
    vm->errjmp = &ej;
    volatile int status = CORO_OK;
    if (setjmp(ej.buf) == 0)
        fn(vm, ud);
    else
        status = vm->error_status;
    vm->errjmp = ej.prev;
    if (status != CORO_OK) {
        coro_switch_to(vm, co);
        co->status = CO_RUNNING;
        coro_upval_close(vm, co, stack_at(co, top));
        co->nframes = nframes;
        co->c_calls = c_calls;
        co->top = stack_at(co, top);
    }
    return status;
}

/* ---- calls ------------------------------------------------------------------------ */

int coro_call_prepare(coro_VM *vm, Value *func, int nresults, uint8_t flags)
{
    Coroutine *co = vm->current;
    int call_chain = 0;
    for (;;) {
        switch (func->tag) {
        case TAG_LCLOSURE: {
            Proto *p = as_lclosure(func)->proto;
            size_t foff = stack_offset(co, func);
            int nargs = (int)(co->top - func) - 1;
            /* Exactly the registers: a suspended generator keeps no slack
             * (anything pushed beyond them reserves its own room). */
            size_t need = foff + 1 + p->max_stack;
            if (p->is_vararg)
                need += (size_t)nargs + 1;
            coro_stack_reserve(vm, co, need);
            func = stack_at(co, foff);
            Frame *f = coro_frame_push(vm, co, flags & (FRAME_HANDLER | FRAME_CLOSER));
            f->func = func;
            f->top = func + 1 + p->max_stack;
            f->nresults = (int16_t)nresults;
            f->flags = flags;
            f->pending = 0;
            f->aux = 0;
            f->u.s.pc = p->code;
            f->u.s.vararg_shift = 0;
            f->u.s.extra_args = 0;
            for (; nargs < p->num_params; nargs++)
                set_nil(co->top++);
            return DRIVE_DONE;
        }
        case TAG_CFUNC:
        case TAG_CCLOSURE: {
            coro_CFunction fn = func->tag == TAG_CFUNC ? func->u.f : as_cclosure(func)->fn;
            size_t foff = stack_offset(co, func);
            coro_stack_ensure(vm, co, CORO_MINSTACK);
            func = stack_at(co, foff);
            Frame *f = coro_frame_push(vm, co, flags & (FRAME_HANDLER | FRAME_CLOSER));
            f->func = func;
            f->top = co->top + CORO_MINSTACK;
            f->nresults = (int16_t)nresults;
            f->flags = (uint8_t)(flags | FRAME_C);
            f->pending = 0;
            f->aux = 0;
            f->u.c.k = NULL;
            f->u.c.ctx = 0;
            return fn(vm);
        }
        default: {
            const Value *tm = coro_meta_get(vm, func, TM_CALL);
            if (is_nil(tm))
                coro_debug_call_error(vm, func);
            if (++call_chain > 100)
                coro_throw_msg(vm, "'__call' chain too long; possible loop");
            Value handler = *tm;
            size_t foff = stack_offset(co, func);
            coro_stack_ensure(vm, co, 1);
            func = stack_at(co, foff);
            for (Value *p = co->top; p > func; p--)
                *p = *(p - 1);
            co->top++;
            *func = handler;
            break;
        }
        }
    }
}

static int c_continue(coro_VM *vm, Frame *cf, int status);
static int transfer(coro_VM *vm, Coroutine *from, TransferKind kind, Value *first, int n);

void coro_hook_charge(coro_VM *vm, int n)
{
    vm->hook_countdown -= n;
    /* The hook once per `count` counted, as if they were instructions. */
    while (vm->hook_countdown <= 0) {
        int excess = -vm->hook_countdown;
        coro_hook_fire(vm);
        vm->hook_countdown -= excess;
    }
}

/* Results copied per count of the hook. */
#define RESULTS_PER_COUNT 32

int coro_return(coro_VM *vm, Value *first, int n)
{
    /* Copying results is work the count hook must see: results can grow
     * with the depth (return pcall(f), recursively), and then the way
     * back is quadratic with no call or jump to count. */
    if (n >= RESULTS_PER_COUNT)
        coro_hook_charge(vm, n / RESULTS_PER_COUNT);
    Coroutine *co = vm->current;
    Frame *f = co_top_frame(co);
    uint8_t flags = f->flags;
    Value *dst = (flags & FRAME_C) ? f->func : f->func - f->u.s.vararg_shift;
    int wanted = f->nresults;
    if (co->open_upvals && co->open_upvals->v >= f->func)
        coro_upval_close(vm, co, f->func);
    if (wanted < 0) {
        if (dst != first)
            memmove(dst, first, sizeof(Value) * (size_t)n);
        co->top = dst + n;
    } else {
        int i = 0;
        for (; i < n && i < wanted; i++)
            copy_value(dst + i, first + i);
        for (; i < wanted; i++)
            set_nil(&dst[i]);
        co->top = dst + wanted;
    }
    co->nframes--;
    if (flags & (FRAME_BOUNDARY | FRAME_HANDLER | FRAME_CLOSER)) {
        if (flags & FRAME_HANDLER) {
            /* The message handler's result is the error from now on. */
            vm->error_value = dst[0];
            co->top = dst;
            return DRIVE_UNWIND;
        }
        if (flags & FRAME_CLOSER) {
            vm->error_value = dst[-1];
            co->top = dst - 1;
            return DRIVE_UNWIND;
        }
        vm->loop_exit = EXIT_RETURN;
        return DRIVE_DONE;
    }
    if (co->nframes == 0)
        return transfer(vm, co, KIND_RETURN, dst, (int)(co->top - dst));
    Frame *caller = co_top_frame(co);
    if (caller->flags & FRAME_C)
        return c_continue(vm, caller, CORO_OK);
    if (caller->pending) {
        uint8_t pending = caller->pending;
        caller->pending = 0;
        coro_finish_op(vm, caller, pending);
        return DRIVE_DONE;
    }
    return DRIVE_DONE;
}

/* The request of C frame cf completed (results on top): call its
 * continuation. */
static int c_continue(coro_VM *vm, Frame *cf, int status)
{
    Coroutine *co = vm->current;
    Value *results = stack_at(co, (size_t)cf->aux);
    if (cf->flags & FRAME_MSGH) {
        /* Drop the copy of the message handler below the results. */
        Value *slot = results - 1;
        memmove(slot, results, sizeof(Value) * (size_t)(co->top - results));
        co->top--;
        results = slot;
    }
    cf->flags &= (uint8_t)~(FRAME_PROTECTED | FRAME_MSGH | FRAME_HANDLING);
    if (cf->top < co->top + CORO_MINSTACK) {
        size_t off = stack_offset(co, co->top);
        coro_stack_reserve(vm, co, off + CORO_MINSTACK);
        cf = co_top_frame(co);
        cf->top = co->top + CORO_MINSTACK;
    }
    if (!cf->u.c.k)
        return (int)(co->top - results);
    return cf->u.c.k(vm, status, cf->u.c.ctx);
}

void coro_drive(coro_VM *vm, int r)
{
    while (r != DRIVE_DONE) {
        if (r == DRIVE_UNWIND) {
            r = coro_unwind(vm);
        } else if (r == CORO_REQUEST) {
            r = coro_handle_request(vm);
        } else if (r >= 0) {
            Coroutine *co = vm->current;
            Frame *f = co_top_frame(co);
            if (r > co->top - (f->func + 1))
                coro_throw_msg(vm, "C function returned more results than it pushed");
            r = coro_return(vm, co->top - r, r);
        } else {
            coro_throw_msg(vm, "C function returned an invalid result");
        }
    }
}

/* ---- metamethods from instructions ------------------------------------------------- */

void coro_call_meta(coro_VM *vm, const Value *fn, const Value *a, const Value *b,
                    const Value *c, int nargs, int nresults, uint8_t pending)
{
    Coroutine *co = vm->current;
    Frame *caller = co_top_frame(co);
    /* Copy before the stack may move: the arguments may live in it. */
    Value args[4];
    args[0] = *fn;
    if (nargs > 0) args[1] = *a;
    if (nargs > 1) args[2] = *b;
    if (nargs > 2) args[3] = *c;
    /* Above every register of the caller (co->top may be stale). */
    if (co->top < caller->top)
        co->top = caller->top;
    coro_stack_ensure(vm, co, nargs + 1 + STACK_EXTRA);
    caller = co_top_frame(co);
    Value *func = co->top;
    for (int i = 0; i <= nargs; i++)
        *co->top++ = args[i];
    caller->pending = pending;
    int r = coro_call_prepare(vm, func, nresults, 0);
    coro_drive(vm, r);
}

void coro_finish_op(coro_VM *vm, Frame *f, uint8_t pending)
{
    Coroutine *co = vm->current;
    Value *base = f->func + 1;
    Instr i = f->u.s.pc[-1];
    OpCode op = GET_OP(i);
    if (pending == PENDING_CLOSE) {
        /* A __close at block exit or return returned: redo the instruction
         * (it closes the next variable or completes). */
        if (op == OP_RETURN)
            co->top = base + GET_A(i) + f->aux;
        f->u.s.pc--;
        return;
    }
    Value *result = co->top - 1;
    switch (op) {
    case OP_EQ: case OP_LT: case OP_LE: case OP_EQK: case OP_EQI:
    case OP_LTI: case OP_LEI: case OP_GTI: case OP_GEI: {
        int res = !is_falsy(result);
        co->top--;
        if (res != GET_K(i))
            f->u.s.pc++;        /* skip the jump */
        break;
    }
    case OP_CONCAT: {
        /* The pair's result replaces the last two of the f->aux operands;
         * concatenate on if more than one remains. */
        Value *first = base + GET_A(i);
        int n = f->aux;
        first[n - 2] = *result;
        n--;
        co->top = first + n;
        if (n > 1) {
            f->u.s.pc--;    /* the loop redoes the concatenation */
            f->aux = 1;     /* "the operands end at co->top" */
        } else {
            f->aux = 0;
        }
        break;
    }
    case OP_SETTABUP: case OP_SETTABLE: case OP_SETI: case OP_SETFIELD:
        co->top--;
        break;
    case OP_AWAIT: {
        /* __await returned the coroutine to delegate to. */
        Value *ra = base + GET_A(i);
        *ra = *result;
        co->top--;
        if (!is_coroutine(ra))
            coro_throw_msg(vm, "'__await' must return a coroutine");
        f->u.s.pc--;
        break;
    }
    default:
        /* GET*, SELF, arithmetic, UNM, BNOT, LEN: the value goes to R[A]. */
        base[GET_A(i)] = *result;
        co->top--;
        break;
    }
}

/* ---- calls from C ---------------------------------------------------------------------- */

struct CallArgs {
    size_t func;
    int nresults;
    uint8_t flags;
};

static int start_call(coro_VM *vm, void *ud)
{
    struct CallArgs *a = ud;
    Coroutine *co = vm->current;
    return coro_call_prepare(vm, stack_at(co, a->func), a->nresults, a->flags);
}

static int nested_call(coro_VM *vm, Value *func, int nresults, uint8_t flags)
{
    Coroutine *co = vm->current;
    if (vm->c_depth >= MAX_C_DEPTH)
        coro_throw_msg(vm, "C stack overflow");
    struct CallArgs a = { stack_offset(co, func), nresults, (uint8_t)(flags | FRAME_BOUNDARY) };
    uint32_t nframes = co->nframes;
    co->c_calls++;
    vm->c_depth++;
    RunGuard guard = { co, nframes, a.func };
    int exit = coro_vm_run(vm, start_call, &a, &guard);
    vm->c_depth--;
    coro_switch_to(vm, co);
    co->c_calls--;
    co->nframes = nframes;
    return exit;
}

void coro_call_value(coro_VM *vm, Value *func, int nresults)
{
    /* On: with its status, so a memory error stays one through every
     * level of C calls. */
    if (nested_call(vm, func, nresults, 0) == EXIT_ERROR)
        coro_throw(vm, vm->error_status);
}

int coro_pcall_value(coro_VM *vm, Value *func, int nresults)
{
    if (nested_call(vm, func, nresults, 0) == EXIT_ERROR)
        return vm->error_status;
    return CORO_OK;
}

int coro_vm_run(coro_VM *vm, int (*start)(coro_VM *vm, void *ud), void *ud,
                const RunGuard *guard)
{
    ErrorJmp ej;
    ej.prev = vm->errjmp;
    vm->errjmp = &ej;
    int saved_exit = vm->loop_exit;
    vm->loop_exit = EXIT_NONE;
    volatile int started = 0;
    for (;;) {
        if (setjmp(ej.buf) == 0) {
            if (!started) {
                started = 1;
                coro_drive(vm, start ? start(vm, ud) : DRIVE_DONE);
            }
            while (!vm->loop_exit)
                coro_execute(vm);
            break;
        }
        /* An error: unwind it (which may itself raise; we come back). */
        Coroutine *co = vm->current;
        if (guard && co == guard->co && co->nframes <= guard->nframes) {
            Value *dst = stack_at(co, guard->slot);
            *dst = vm->error_value;
            co->top = dst + 1;
            vm->loop_exit = EXIT_ERROR;
            break;
        }
        if (co->closing == 1)
            co->closing = 2;
        coro_drive(vm, coro_unwind(vm));
    }
    vm->errjmp = ej.prev;
    int exit = vm->loop_exit;
    vm->loop_exit = saved_exit;
    return exit;
}

/* ---- coroutine switches --------------------------------------------------------------- */

void coro_co_kill(coro_VM *vm, Coroutine *co)
{
    co->status = CO_DEAD;
    co->started = CO_STARTED;
    coro_co_release(vm, co);
}

/* Copies n values onto the top of co's stack. */
static void push_values(coro_VM *vm, Coroutine *co, const Value *src, int n)
{
    coro_stack_ensure(vm, co, n + CORO_MINSTACK);
    for (int i = 0; i < n; i++)
        *co->top++ = src[i];
}

/* Puts n values into ra as an instruction with result operand c wants
 * them (c == 0: all of them, top set after). */
static void place_results(coro_VM *vm, Coroutine *co, Value *ra, int c, const Value *src, int n)
{
    int wanted = c - 1;
    if (wanted < 0) {
        size_t off = stack_offset(co, ra);
        coro_stack_reserve(vm, co, off + (size_t)n + STACK_EXTRA);
        ra = stack_at(co, off);
        for (int i = 0; i < n; i++)
            ra[i] = src[i];
        co->top = ra + n;
        return;
    }
    int i = 0;
    for (; i < n && i < wanted; i++)
        ra[i] = src[i];
    for (; i < wanted; i++)
        set_nil(&ra[i]);
}

/* place_results with an optional first value before the n values. */
static void place_call_results(coro_VM *vm, Coroutine *co, Value *ra, int c, const Value *prefix,
                               const Value *src, int n)
{
    if (!prefix) {
        place_results(vm, co, ra, c, src, n);
        return;
    }
    size_t off = stack_offset(co, ra);
    int wanted = c - 1;
    if (wanted < 0) {
        coro_stack_reserve(vm, co, off + (size_t)n + 1 + STACK_EXTRA);
        ra = stack_at(co, off);
        ra[0] = *prefix;
        for (int j = 0; j < n; j++)
            ra[1 + j] = src[j];
        co->top = ra + 1 + n;
        return;
    }
    if (wanted >= 1) {
        ra[0] = *prefix;
        place_results(vm, co, ra + 1, wanted, src, n);
    }
}

static bool is_delegating(const Frame *f, Coroutine **delegate)
{
    if (f->flags & FRAME_C)
        return false;
    Instr i = f->u.s.pc[-1];
    OpCode op = GET_OP(i);
    if (op != OP_YIELDFROM && op != OP_AWAIT)
        return false;
    Value *ra = f->func + 1 + GET_A(i);
    if (!is_coroutine(ra))
        return false;
    *delegate = as_coroutine(ra);
    return true;
}

/* `from` (the current coroutine) hands `kind` with n values to the
 * coroutine that resumed it. */
static int transfer(coro_VM *vm, Coroutine *from, TransferKind kind, Value *first, int n)
{
    for (;;) {
        Coroutine *to = from->resumer;
        from->resumer = NULL;
        if (kind == KIND_ERROR && !from->c_resumed)
            coro_trace_boundary(vm);
        from->status = kind == KIND_YIELD ? CO_SUSPENDED : CO_DEAD;
        to->status = CO_RUNNING;
        coro_switch_to(vm, to);
        Value err = vm->error_value;

        if (from->c_resumed) {
            /* Resumed by C (coro_resume): hand over and leave the loop. */
            from->c_resumed = 0;
            if (kind == KIND_ERROR)
                push_values(vm, to, &err, 1);
            else
                push_values(vm, to, first, n);
            if (kind != KIND_YIELD) {
                from->dead_by_error = kind == KIND_ERROR;
                coro_co_release(vm, from);
                if (kind == KIND_ERROR)
                    from->stack[0] = err;
            }
            vm->loop_exit = kind == KIND_YIELD ? EXIT_YIELD : kind == KIND_ERROR ? EXIT_ERROR : EXIT_FINISH;
            return DRIVE_DONE;
        }

        Frame *f = co_top_frame(to);
        if (f->flags & FRAME_C) {
            if (kind == KIND_ERROR)
                push_values(vm, to, &err, 1);
            else
                push_values(vm, to, first, n);
            if (kind != KIND_YIELD) {
                from->dead_by_error = kind == KIND_ERROR;
                coro_co_release(vm, from);
                if (kind == KIND_ERROR)
                    from->stack[0] = err;
            }
            int status = kind == KIND_YIELD ? CORO_YIELD : kind == KIND_ERROR ? vm->error_status : CORO_OK;
            Frame *cf = co_top_frame(to);
            if (cf->top < to->top + CORO_MINSTACK)
                cf->top = to->top + CORO_MINSTACK;
            if (!cf->u.c.k)
                return kind == KIND_ERROR ? (coro_rethrow(vm, &err), 0) : n;
            return cf->u.c.k(vm, status, cf->u.c.ctx);
        }

        /* A script frame suspended at TFORCALL, YIELDFROM or AWAIT, or
         * at a CALL of co:send / coroutine.resume made without a C frame
         * (coro_fast_resume). */
        Instr i = f->u.s.pc[-1];
        Value *ra = f->func + 1 + GET_A(i);
        if (GET_OP(i) == OP_CALL) {
            bool lua_resume = ra->tag == TAG_CFUNC && ra->u.f == vm->resume_fn;
            Value flag;
            if (kind == KIND_ERROR) {
                from->dead_by_error = 1;
                coro_co_release(vm, from);
                from->stack[0] = err;
                if (!lua_resume)
                    return DRIVE_UNWIND;    /* send raises it at the call */
                set_bool(&flag, false);
                place_call_results(vm, to, ra, GET_C(i), &flag, &err, 1);
                return DRIVE_DONE;
            }
            set_bool(&flag, true);
            place_call_results(vm, to, ra, GET_C(i), lua_resume ? &flag : NULL, first, n);
            if (kind != KIND_YIELD)
                coro_co_release(vm, from);
            return DRIVE_DONE;
        }
        if (kind == KIND_ERROR || kind == KIND_CLOSED) {
            from->dead_by_error = kind == KIND_ERROR;
            coro_co_release(vm, from);
            if (kind == KIND_ERROR) {
                from->stack[0] = err;
                return DRIVE_UNWIND;    /* raised in `to`, at the instruction */
            }
            /* The delegate finished closing: now close the delegator. */
            to->closing = 1;
            to->c_calls++;
            set_nil(&vm->error_value);
            return DRIVE_UNWIND;
        }
        switch (GET_OP(i)) {
        case OP_TFORCALL:
            if (kind == KIND_YIELD) {
                place_results(vm, to, ra + 4, GET_C(i) + 1, first, n);
                f = co_top_frame(to);
                ra = f->func + 1 + GET_A(i);
                ra[2] = ra[4];
                /* Continue the loop even if the first value is nil: jump
                 * to the body as TFORLOOP would. */
                Instr loop = *f->u.s.pc;
                f->u.s.pc += 1 - GET_BX(loop);
            } else {
                coro_co_release(vm, from);
                f->u.s.pc++;    /* skip TFORLOOP: the loop ends */
            }
            return DRIVE_DONE;
        case OP_YIELDFROM:
        case OP_AWAIT:
            if (kind == KIND_YIELD) {
                /* Delegation: pass the values on to our own resumer. */
                if (to == vm->main_co || to->resumer == NULL)
                    coro_throw_msg(vm, "attempt to yield from outside a coroutine");
                if (to->c_calls > 0)
                    coro_throw_msg(vm, "attempt to yield across a C-call boundary");
                from = to;
                continue;
            }
            place_results(vm, to, ra, GET_C(i), first, n);
            coro_co_release(vm, from);
            return DRIVE_DONE;
        default:
            coro_throw_msg(vm, "internal error: bad resume point");
        }
    }
}

/* The current coroutine `to` resumes co (suspended) with n values from
 * args (in to's stack, already popped). */
static void begin_switch(coro_VM *vm, Coroutine *co)
{
    Coroutine *from = vm->current;
    if (from->depth + 1 >= co_max_depth(vm))
        coro_throw_msg(vm, "stack overflow (too many nested coroutines)");
    co->depth = from->depth + 1;
    co->keep_tbc = 0;
    co->resumer = from;
    from->status = CO_NORMAL;
    co->status = CO_RUNNING;
    coro_switch_to(vm, co);
}

static int resume_into(coro_VM *vm, Coroutine *co, const Value *args, int n)
{
    for (;;) {
        if (co->started != CO_STARTED) {
            bool preset = co->started == CO_PRESET;
            co->started = CO_STARTED;
            if (!preset) {
                co->top = co->stack + 1;
                push_values(vm, co, args, n);
            }
            bool async = is_lclosure(co->stack) && as_lclosure(co->stack)->proto->is_async;
            int r = coro_call_prepare(vm, co->stack, CORO_MULTRET, 0);
            if (r == DRIVE_DONE && async)
                co_top_frame(co)->u.s.pc++;     /* skip ASYNC: this is the body */
            return r;
        }
        Frame *f = co_top_frame(co);
        if (f->flags & FRAME_C) {
            push_values(vm, co, args, n);
            f = co_top_frame(co);
            if (f->top < co->top + CORO_MINSTACK)
                f->top = co->top + CORO_MINSTACK;
            if (f->u.c.k)
                return f->u.c.k(vm, CORO_YIELD, f->u.c.ctx);
            return n;
        }
        Coroutine *delegate;
        if (is_delegating(f, &delegate)) {
            if (delegate->status != CO_SUSPENDED) {
                Value err;
                set_string(&err, coro_str_newc(vm, delegate->status == CO_DEAD
                                               ? "cannot resume dead coroutine"
                                               : "cannot resume non-suspended coroutine"));
                vm->error_value = err;
                coro_trace_reset(vm);
                return DRIVE_UNWIND;
            }
            begin_switch(vm, delegate);
            co = delegate;
            continue;
        }
        Instr i = f->u.s.pc[-1];
        place_results(vm, co, f->func + 1 + GET_A(i), GET_C(i), args, n);
        return DRIVE_DONE;
    }
}

/* keep_trace: the error brings its traceback (vm->trace_carry). */
static int throw_into(coro_VM *vm, Coroutine *co, const Value *err, bool keep_trace)
{
    Value e = *err;
    if (!keep_trace)
        coro_trace_reset(vm);
    for (;;) {
        if (co->started != CO_STARTED) {
            co->started = CO_STARTED;
            co->top = co->stack;
            vm->error_value = e;
            vm->error_status = CORO_ERRRUN;
            return DRIVE_UNWIND;    /* no frames: it dies at once */
        }
        Coroutine *delegate;
        if (is_delegating(co_top_frame(co), &delegate) && delegate->status == CO_SUSPENDED) {
            begin_switch(vm, delegate);
            co = delegate;
            continue;
        }
        vm->error_value = e;
        vm->error_status = CORO_ERRRUN;
        return DRIVE_UNWIND;
    }
}

static int close_into(coro_VM *vm, Coroutine *co)
{
    for (;;) {
        if (co->started != CO_STARTED)
            return transfer(vm, co, KIND_CLOSED, NULL, 0);
        if (co->dead_by_error) {
            /* Died in error with <close> variables left: close them with
             * its error. */
            co->closing = 2;
            co->c_calls++;
            vm->error_value = co->stack[0];
            vm->error_status = CORO_ERRRUN;
            coro_trace_reset(vm);
            return DRIVE_UNWIND;
        }
        Coroutine *delegate;
        if (is_delegating(co_top_frame(co), &delegate) && delegate->status == CO_SUSPENDED) {
            begin_switch(vm, delegate);
            co = delegate;
            continue;
        }
        co->closing = 1;
        co->c_calls++;
        set_nil(&vm->error_value);
        return DRIVE_UNWIND;
    }
}

int coro_yield_values(coro_VM *vm, Value *first, int n)
{
    Coroutine *co = vm->current;
    if (co == vm->main_co || co->resumer == NULL)
        coro_throw_msg(vm, "attempt to yield from outside a coroutine");
    if (co->c_calls > 0)
        coro_throw_msg(vm, "attempt to yield across a C-call boundary");
    return transfer(vm, co, KIND_YIELD, first, n);
}

int coro_fast_resume(coro_VM *vm, Value *func, bool lua_resume)
{
    Coroutine *co = vm->current;
    Coroutine *target = as_coroutine(func + 1);
    Value *args = func + 2;
    int n = (int)(co->top - args);
    begin_switch(vm, target);
    target->keep_tbc = lua_resume;
    return resume_into(vm, target, args, n);
}

int coro_resume_script(coro_VM *vm, Coroutine *target)
{
    if (target->status != CO_SUSPENDED) {
        if (target->status == CO_DEAD)
            coro_throw_msg(vm, "cannot resume dead coroutine");
        coro_throw_msg(vm, "cannot resume non-suspended coroutine");
    }
    begin_switch(vm, target);
    return resume_into(vm, target, NULL, 0);
}

int coro_delegate(coro_VM *vm, Coroutine *target)
{
    Coroutine *co = vm->current;
    if (co == vm->main_co || co->resumer == NULL)
        coro_throw_msg(vm, "attempt to yield from outside a coroutine");
    if (co->c_calls > 0)
        coro_throw_msg(vm, "attempt to yield across a C-call boundary");
    return coro_resume_script(vm, target);
}

int coro_handle_request(coro_VM *vm)
{
    Coroutine *co = vm->current;
    Frame *cf = co_top_frame(co);
    uint8_t kind = vm->req.kind;
    vm->req.kind = REQ_NONE;
    cf->u.c.k = vm->req.k;
    cf->u.c.ctx = vm->req.ctx;
    switch (kind) {
    case REQ_CALL: {
        Value *func = co->top - vm->req.nargs - 1;
        int nresults = vm->req.nresults;
        if (vm->req.protected_call) {
            if (vm->req.msgh) {
                /* The handler goes just below the function. */
                Value handler = *(cf->func + vm->req.msgh);
                size_t foff = stack_offset(co, func);
                coro_stack_ensure(vm, co, 1);
                func = stack_at(co, foff);
                cf = co_top_frame(co);
                for (Value *p = co->top; p > func; p--)
                    *p = *(p - 1);
                co->top++;
                *func = handler;
                func++;
                cf->flags |= FRAME_MSGH;
            }
            cf->flags |= FRAME_PROTECTED;
        }
        cf->aux = (int32_t)stack_offset(co, func);
        return coro_call_prepare(vm, func, nresults, 0);
    }
    case REQ_YIELD: {
        int n = vm->req.nargs;
        size_t first = stack_offset(co, co->top - n);
        int r = coro_yield_values(vm, co->top - n, n);
        /* Handed over: as in Lua, the continuation finds its stack without
         * the yielded values, the resume values in their place. */
        co->top = stack_at(co, first);
        return r;
    }
    case REQ_RESUME:
    case REQ_THROW:
    case REQ_CLOSE: {
        int nargs = vm->req.nargs;
        Value *target_slot = co->top - nargs - 1;
        if (!is_coroutine(target_slot))
            coro_throw_msg(vm, "coroutine expected");
        Coroutine *target = as_coroutine(target_slot);
        bool closing_dead = kind == REQ_CLOSE && target->status == CO_DEAD &&
                            target->tbc && target->tbc->count > 0;
        if (target->status != CO_SUSPENDED && !closing_dead) {
            if (target->status == CO_DEAD)
                coro_throw_msg(vm, "cannot resume dead coroutine");
            coro_throw_msg(vm, "cannot resume non-suspended coroutine");
        }
        Value *args = target_slot + 1;
        co->top = target_slot;      /* popped; still readable until copied */
        bool keep = vm->req.protected_call;    /* coroutine.resume */
        begin_switch(vm, target);
        target->keep_tbc = keep;
        if (kind == REQ_RESUME)
            return resume_into(vm, target, args, nargs);
        if (kind == REQ_THROW)
            return throw_into(vm, target, args, false);
        return close_into(vm, target);
    }
    default:
        coro_throw_msg(vm, "invalid request");
    }
}

struct CResume {
    Coroutine *target;
    Value *args;
    int nargs;
    int mode;
};

static int start_c_resume(coro_VM *vm, void *ud)
{
    struct CResume *r = ud;
    begin_switch(vm, r->target);
    r->target->c_resumed = 1;
    r->target->keep_tbc = 1;    /* lua_resume's semantics */
    if (r->mode != RESUME_VALUES)
        return throw_into(vm, r->target, r->args, r->mode == RESUME_THROW_KEEP_TRACE);
    return resume_into(vm, r->target, r->args, r->nargs);
}

int coro_resume_from_c(coro_VM *vm, int nargs, int *nresults)
{
    return coro_resume_from_c_mode(vm, nargs, nresults, RESUME_VALUES);
}

int coro_resume_from_c_mode(coro_VM *vm, int nargs, int *nresults, int mode)
{
    Coroutine *from = vm->current;
    Value *slot = from->top - nargs - 1;
    *nresults = 0;
    const char *problem = NULL;
    if (!is_coroutine(slot))
        problem = "coroutine expected";
    else if (as_coroutine(slot)->status == CO_DEAD)
        problem = "cannot resume dead coroutine";
    else if (as_coroutine(slot)->status != CO_SUSPENDED)
        problem = "cannot resume non-suspended coroutine";
    else if (vm->c_depth >= MAX_C_DEPTH)
        problem = "C stack overflow";
    if (problem) {
        from->top = slot;
        set_string(slot, coro_str_newc(vm, problem));
        from->top = slot + 1;
        *nresults = 1;
        return CORO_ERRRUN;
    }
    struct CResume r = { as_coroutine(slot), slot + 1, nargs, mode };
    size_t slot_off = stack_offset(from, slot);
    from->top = slot;
    from->c_calls++;
    vm->c_depth++;
    /* An error raised in `from` (too many nested coroutines, no memory
     * to hand the results back) is the resume's error, not its caller's. */
    RunGuard guard = { from, from->nframes, slot_off };
    int exit = coro_vm_run(vm, start_c_resume, &r, &guard);
    vm->c_depth--;
    from->c_calls--;
    coro_switch_to(vm, from);
    from->status = CO_RUNNING;
    *nresults = (int)(from->top - stack_at(from, slot_off));
    switch (exit) {
    case EXIT_YIELD: return CORO_YIELD;
    case EXIT_FINISH: return CORO_OK;
    default: return vm->error_status ? vm->error_status : CORO_ERRRUN;
    }
}

Coroutine *coro_async_coroutine(coro_VM *vm, Frame *f)
{
    Coroutine *co = vm->current;
    Proto *p = as_lclosure(f->func)->proto;
    int nargs = (int)(co->top - f->func) - 1;
    if (nargs < p->num_params)
        nargs = p->num_params;
    size_t foff = stack_offset(co, f->func);
    int slots = 1 + (p->max_stack > nargs ? p->max_stack : nargs);
    if (p->is_vararg)
        slots += nargs + 1;
    Coroutine *fresh = coro_co_new(vm, slots);
    Value *func = stack_at(co, foff);
    for (int i = 0; i <= nargs; i++)
        fresh->stack[i] = func[i];
    fresh->top = fresh->stack + 1 + nargs;
    fresh->started = CO_PRESET;
    return fresh;
}

/* ---- unwinding ------------------------------------------------------------------------ */

/* Calls __close(v, err) for a to-be-closed slot while unwinding. */
static int call_closer(coro_VM *vm, Coroutine *co, Value *slot)
{
    Value v = *slot;
    Value err = vm->error_value;
    if (co->closing == 1)
        set_nil(&err);
    const Value *tm = coro_meta_get(vm, &v, TM_CLOSE);
    Value handler = *tm;
    Value *top = coro_co_live_top(co);
    size_t toff = stack_offset(co, top);
    coro_stack_reserve(vm, co, toff + 4 + STACK_EXTRA);
    top = stack_at(co, toff);
    top[0] = err;
    top[1] = handler;
    top[2] = v;
    top[3] = err;
    co->top = top + 4;
    return coro_call_prepare(vm, top + 1, 0, FRAME_CLOSER);
}

static int coroutine_died(coro_VM *vm, Coroutine *co)
{
    bool closed_cleanly = co->closing == 1;
    co->closing = 0;
    co->c_calls = 0;
    if (co == vm->main_co)
        coro_throw_msg(vm, "internal error: main coroutine unwound");
    return transfer(vm, co, closed_cleanly ? KIND_CLOSED : KIND_ERROR, NULL, 0);
}

int coro_unwind(coro_VM *vm)
{
    Coroutine *co = vm->current;
    int ci = -1;
    if (!co->closing) {
        for (int i = (int)co->nframes - 1; i >= 0; i--) {
            if (co->frames[i].flags & (FRAME_PROTECTED | FRAME_BOUNDARY)) {
                ci = i;
                break;
            }
        }
    }
    Frame *cat = ci >= 0 ? &co->frames[ci] : NULL;
    if (cat && (cat->flags & (FRAME_PROTECTED | FRAME_MSGH | FRAME_HANDLING)) == (FRAME_PROTECTED | FRAME_MSGH)) {
        /* Call the message handler before anything is unwound. */
        cat->flags |= FRAME_HANDLING;
        Value handler = stack_at(co, (size_t)cat->aux)[-1];
        Value err = vm->error_value;
        Value *top = coro_co_live_top(co);
        size_t toff = stack_offset(co, top);
        coro_stack_reserve(vm, co, toff + 2 + STACK_EXTRA);
        top = stack_at(co, toff);
        top[0] = handler;
        top[1] = err;
        co->top = top + 2;
        return coro_call_prepare(vm, top, 1, FRAME_HANDLER);
    }
    if (cat && (cat->flags & FRAME_HANDLING) && vm->error_status != CORO_ERRERR &&
        vm->error_status != CORO_ERRMEM) {
        /* An error while the handler ran (or after it): give up on it.
         * Running out of memory stays what it is, as in Lua. */
        bool handler_running = false;
        for (uint32_t i = (uint32_t)ci + 1; i < co->nframes; i++)
            if (co->frames[i].flags & FRAME_HANDLER)
                handler_running = true;
        if (handler_running) {
            set_string(&vm->error_value, coro_str_newc(vm, "error in error handling"));
            vm->error_status = CORO_ERRERR;
        }
    }
    bool is_protected = cat && (cat->flags & FRAME_PROTECTED);
    uint32_t keep = cat ? (uint32_t)ci + (is_protected ? 1 : 0) : 0;
    /* Dying under coroutine.resume, Lua leaves <close> variables to
     * coroutine.close. */
    bool defer_close = !cat && co->keep_tbc && !co->closing;
    while (co->nframes > keep) {
        Frame *f = co_top_frame(co);
        Value *tbc = defer_close ? NULL : coro_tbc_top(co, f->func);
        if (tbc) {
            coro_tbc_pop(co);
            return call_closer(vm, co, tbc);
        }
        if (!co->closing && !(f->flags & (FRAME_HANDLER | FRAME_CLOSER)))
            coro_trace_record(vm, co, co->nframes - 1);
        coro_upval_close(vm, co, f->func);
        co->nframes--;
    }
    if (is_protected) {
        Value *dst = stack_at(co, (size_t)cat->aux);
        if (cat->flags & FRAME_MSGH)
            dst--;
        Value *tbc = coro_tbc_top(co, dst);
        if (tbc) {
            coro_tbc_pop(co);
            return call_closer(vm, co, tbc);
        }
        coro_upval_close(vm, co, dst);
        *dst = vm->error_value;
        co->top = dst + 1;
        if (cat->top < co->top + CORO_MINSTACK)
            cat->top = co->top + CORO_MINSTACK;
        cat->flags &= (uint8_t)~(FRAME_PROTECTED | FRAME_MSGH | FRAME_HANDLING);
        int status = vm->error_status;
        /* The garbage that exhausted memory would fail the handler's next
         * allocation: collect it while everything live is on the stack. */
        if (status == CORO_ERRMEM) {
            coro_gc_full(vm);
            cat = &co->frames[ci];      /* finalizers may have moved the frames */
        }
        if (!cat->u.c.k)
            coro_throw(vm, status);
        return cat->u.c.k(vm, status, cat->u.c.ctx);
    }
    if (cat) {
        /* The boundary frame (popped above) catches it for its loop. */
        Value *dst = (cat->flags & FRAME_C) ? cat->func : cat->func - cat->u.s.vararg_shift;
        *dst = vm->error_value;
        co->top = dst + 1;
        vm->loop_exit = EXIT_ERROR;
        return DRIVE_DONE;
    }
    /* Nothing in this coroutine catches it: the coroutine dies. */
    while (!defer_close && co->tbc && co->tbc->count > 0) {
        Value *tbc = coro_tbc_top(co, co->stack);
        coro_tbc_pop(co);
        if (tbc)
            return call_closer(vm, co, tbc);
    }
    return coroutine_died(vm, co);
}

/* ---- finalizers ---------------------------------------------------------------------- */

struct Finalizer {
    Value obj;
};

static void run_finalizer(coro_VM *vm, void *ud)
{
    struct Finalizer *f = ud;
    const Value *tm = coro_meta_get(vm, &f->obj, TM_GC);
    if (!is_function(tm) && is_nil(coro_meta_get(vm, tm, TM_CALL)))
        return;
    Coroutine *co = vm->current;
    coro_stack_ensure(vm, co, 2 + STACK_EXTRA);
    Value *func = co->top;
    func[0] = *tm;
    func[1] = f->obj;
    co->top += 2;
    coro_call_value(vm, func, 0);
}

void coro_call_finalizer(coro_VM *vm, GCObject *o)
{
    struct Finalizer f;
    set_gc(&f.obj, o, o->tag);
    Coroutine *co = vm->current;
    /* Run above everything live in the current frame. */
    Value *saved_top = co->top;
    Value *live = coro_co_live_top(co);
    size_t saved_off = stack_offset(co, saved_top);
    co->top = live;
    Value saved_error = vm->error_value;
    int saved_status = vm->error_status;
    uint8_t gc_stopped = vm->gc_stopped;
    vm->gc_stopped = 1;     /* no collection inside a finalizer */
    coro_protect(vm, run_finalizer, &f);
    vm->gc_stopped = gc_stopped;
    vm->error_value = saved_error;
    vm->error_status = saved_status;
    co = vm->current;
    co->top = stack_at(co, saved_off);
}
