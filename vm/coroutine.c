/*
 * coroutine.c: coroutine memory: stacks, frames, to-be-closed lists.
 */
#include <string.h>

#include "coroutine.h"
#include "call.h"
#include "func.h"
#include "gc.h"
#include "mem.h"

Coroutine *coro_co_new(coro_VM *vm, int stack_slots)
{
    Coroutine *co = coro_gc_new(vm, sizeof(Coroutine), TAG_COROUTINE);
    co->status = CO_SUSPENDED;
    co->started = CO_FRESH;
    co->dead_by_error = 0;
    co->c_resumed = 0;
    co->keep_tbc = 0;
    co->c_calls = 0;
    co->closing = 0;
    co->nframes = 0;
    co->frames_cap = 0;
    co->frames = NULL;
    co->stack = NULL;
    co->stack_end = NULL;
    co->top = NULL;
    co->open_upvals = NULL;
    co->tbc = NULL;
    co->resumer = NULL;
    co->depth = 0;
    co->gclist = NULL;
    /* Allocate after linking so a failure leaves a valid empty object. */
    Value *stack = coro_mem_new_array(vm, Value, stack_slots);
    for (int i = 0; i < stack_slots; i++)
        set_nil(&stack[i]);
    co->stack = stack;
    co->stack_end = stack + stack_slots;
    co->top = stack;
    return co;
}

size_t coro_co_size_bytes(const Coroutine *co)
{
    return sizeof(Coroutine) + sizeof(Value) * (size_t)(co->stack_end - co->stack) +
           sizeof(Frame) * co->frames_cap +
           (co->tbc ? sizeof(TbcList) + sizeof(uint32_t) * (size_t)co->tbc->cap : 0);
}

static void free_tbc(coro_VM *vm, Coroutine *co)
{
    if (co->tbc) {
        coro_mem_free(vm, co->tbc, sizeof(TbcList) + sizeof(uint32_t) * (size_t)co->tbc->cap);
        co->tbc = NULL;
    }
}

void coro_co_free(coro_VM *vm, Coroutine *co)
{
    coro_upval_close(vm, co, co->stack);
    coro_mem_free_array(vm, co->stack, Value, co->stack_end - co->stack);
    coro_mem_free_array(vm, co->frames, Frame, co->frames_cap);
    free_tbc(vm, co);
    coro_mem_free(vm, co, sizeof(Coroutine));
}

void coro_co_release(coro_VM *vm, Coroutine *co)
{
    coro_upval_close(vm, co, co->stack);
    coro_mem_free_array(vm, co->frames, Frame, co->frames_cap);
    co->frames = NULL;
    co->frames_cap = 0;
    co->nframes = 0;
    if (co->tbc && co->tbc->count > 0) {
        /* <close> variables wait for coroutine.close: keep their slots. */
        Value *last = stack_at(co, co->tbc->slots[co->tbc->count - 1]);
        co->top = last + 1;
        return;
    }
    free_tbc(vm, co);
    size_t keep = co->dead_by_error ? 1 : 0;
    size_t size = (size_t)(co->stack_end - co->stack);
    if (size > keep) {
        Value *stack = coro_mem_try_realloc(vm, co->stack, sizeof(Value) * size, sizeof(Value) * keep);
        if (keep == 0) {
            co->stack = co->stack_end = co->top = NULL;
            return;
        }
        if (stack) {
            co->stack = stack;
            co->stack_end = stack + keep;
        }
    }
    co->top = co->stack ? co->stack + keep : NULL;
}

/* Moves the stack to a block of new_size slots, fixing every pointer.
 * Returns false (nothing changed) if try_only and there is no memory. */
static bool stack_realloc_to(coro_VM *vm, Coroutine *co, size_t new_size, bool try_only)
{
    size_t old_size = (size_t)(co->stack_end - co->stack);
    Value *old = co->stack;
    Value *fresh = try_only
        ? coro_mem_try_realloc(vm, old, sizeof(Value) * old_size, sizeof(Value) * new_size)
        : coro_mem_realloc(vm, old, sizeof(Value) * old_size, sizeof(Value) * new_size);
    if (!fresh)
        return false;
    for (size_t i = old_size; i < new_size; i++)
        set_nil(&fresh[i]);
    if (fresh != old) {
        for (uint32_t i = 0; i < co->nframes; i++) {
            Frame *f = &co->frames[i];
            f->func = fresh + (f->func - old);
            f->top = fresh + (f->top - old);
        }
        for (UpVal *uv = co->open_upvals; uv; uv = uv->u.open.next)
            uv->v = fresh + (uv->v - old);
        co->top = fresh + (co->top - old);
    }
    co->stack = fresh;
    co->stack_end = fresh + new_size;
    return true;
}

static void stack_realloc(coro_VM *vm, Coroutine *co, size_t new_size)
{
    stack_realloc_to(vm, co, new_size, false);
}

/* Gives back stack and frame space far beyond what is live (below `top`). */
static void shrink_to(coro_VM *vm, Coroutine *co, Value *top)
{
    size_t size = (size_t)(co->stack_end - co->stack);
    size_t live = (size_t)(top - co->stack);
    size_t want = live + live / 2 + STACK_EXTRA;
    if (size > 256 && size > 4 * want)
        stack_realloc_to(vm, co, want, true);
    if (co->frames_cap > 64 && co->frames_cap > 4 * co->nframes) {
        uint32_t cap = co->nframes + co->nframes / 2 + 4;
        Frame *fresh = coro_mem_try_realloc(vm, co->frames, sizeof(Frame) * co->frames_cap, sizeof(Frame) * cap);
        if (fresh) {
            co->frames = fresh;
            co->frames_cap = cap;
        }
    }
}

void coro_co_shrink(coro_VM *vm, Coroutine *co)
{
    if (co->status != CO_SUSPENDED || !co->stack)
        return;
    shrink_to(vm, co, coro_co_live_top(co));
}

void coro_co_shrink_running(coro_VM *vm, Coroutine *co)
{
    if (!co->stack)
        return;
    /* Live: up to the highest frame window (a caller's may reach past the
     * frame it called) or the top. */
    Value *top = co->top;
    for (uint32_t i = 0; i < co->nframes; i++)
        if (co->frames[i].top > top)
            top = co->frames[i].top;
    if (top > co->stack_end)
        top = co->stack_end;
    shrink_to(vm, co, top);
}

void coro_stack_reserve(coro_VM *vm, Coroutine *co, size_t end_offset)
{
    size_t size = (size_t)(co->stack_end - co->stack);
    if (end_offset <= size)
        return;
    if (end_offset > MAX_STACK_SLOTS) {
        /* Leave room to report the error (and run a message handler). */
        if (size < MAX_STACK_SLOTS + 200)
            stack_realloc(vm, co, MAX_STACK_SLOTS + 200);
        coro_throw_msg(vm, "stack overflow");
    }
    size_t fresh = size * 2;
    if (fresh < end_offset)
        fresh = end_offset;
    if (fresh < 8)
        fresh = 8;
    if (fresh > MAX_STACK_SLOTS)
        fresh = MAX_STACK_SLOTS;
    stack_realloc(vm, co, fresh);
}

void coro_stack_ensure(coro_VM *vm, Coroutine *co, int n)
{
    if (co->stack_end - co->top < n)
        coro_stack_reserve(vm, co, stack_offset(co, co->top) + (size_t)n);
}

/* Frames allowed past the limit for handling the error (a message
 * handler or __close running at the limit, and what they call). */
#define ERROR_FRAMES 200

/* Whether a message handler or __close runs among the frames past the
 * limit (only those frames can be above it). */
static bool handling_error(coro_VM *vm, Coroutine *co)
{
    for (uint32_t i = vm->max_frames > 0 ? vm->max_frames - 1 : 0; i < co->nframes; i++)
        if (co->frames[i].flags & (FRAME_HANDLER | FRAME_CLOSER))
            return true;
    return false;
}

Frame *coro_frame_push(coro_VM *vm, Coroutine *co, bool for_handler)
{
    if (co->nframes >= vm->max_frames) {
        if (co->nframes >= vm->max_frames + ERROR_FRAMES)
            coro_throw_msg(vm, "stack overflow");
        if (!for_handler && !handling_error(vm, co))
            coro_throw_msg(vm, "stack overflow");
    }
    if (co->nframes >= co->frames_cap) {
        uint32_t cap = co->frames_cap == 0 ? 1 : co->frames_cap < 4 ? 4 : co->frames_cap * 2;
        uint32_t limit = co->nframes >= vm->max_frames ? vm->max_frames + ERROR_FRAMES : vm->max_frames;
        if (cap > limit)
            cap = limit;
        co->frames = coro_mem_realloc(vm, co->frames, sizeof(Frame) * co->frames_cap, sizeof(Frame) * cap);
        co->frames_cap = cap;
    }
    return &co->frames[co->nframes++];
}

Value *coro_co_live_top(Coroutine *co)
{
    Value *top = co->top;
    if (co->nframes > 0) {
        Frame *f = co_top_frame(co);
        if (!(f->flags & FRAME_C) && f->top > top)
            top = f->top;
    }
    if (top > co->stack_end)
        top = co->stack_end;
    return top;
}

void coro_tbc_push(coro_VM *vm, Coroutine *co, Value *slot)
{
    TbcList *l = co->tbc;
    int count = l ? l->count : 0;
    int cap = l ? l->cap : 0;
    if (count >= cap) {
        int fresh = cap ? cap * 2 : 4;
        l = coro_mem_realloc(vm, l, l ? sizeof(TbcList) + sizeof(uint32_t) * (size_t)cap : 0,
                             sizeof(TbcList) + sizeof(uint32_t) * (size_t)fresh);
        l->cap = fresh;
        l->count = count;
        co->tbc = l;
    }
    l->slots[l->count++] = (uint32_t)stack_offset(co, slot);
}

Value *coro_tbc_top(Coroutine *co, Value *level)
{
    TbcList *l = co->tbc;
    if (!l || l->count == 0)
        return NULL;
    Value *slot = stack_at(co, l->slots[l->count - 1]);
    return slot >= level ? slot : NULL;
}

void coro_tbc_pop(Coroutine *co)
{
    co->tbc->count--;
}
