/*
 * mem.c: allocation with accounting and the memory limit.
 */
#include <stdlib.h>

#include "mem.h"

#include "call.h"
#include "debug.h"

void *coro_mem_system_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, nsize);
}

void *coro_mem_try_realloc(coro_VM *vm, void *block, size_t old_size, size_t new_size)
{
    if (new_size == 0) {
        if (block) {
            vm->alloc(vm->alloc_ud, block, old_size, 0);
            vm->bytes -= old_size;
        }
        return NULL;
    }
    if (vm->memory_limit && new_size > old_size &&
        vm->bytes - old_size + new_size > vm->memory_limit)
        return NULL;
    void *fresh = vm->alloc(vm->alloc_ud, block, block ? old_size : 0, new_size);
    if (!fresh)
        return NULL;
    vm->bytes = vm->bytes - (block ? old_size : 0) + new_size;
    return fresh;
}

void coro_mem_error(coro_VM *vm)
{
    set_string(&vm->error_value, vm->memerr_msg);
    coro_trace_reset(vm);
    coro_throw(vm, CORO_ERRMEM);
}

void *coro_mem_realloc(coro_VM *vm, void *block, size_t old_size, size_t new_size)
{
    void *fresh = coro_mem_try_realloc(vm, block, old_size, new_size);
    if (!fresh && new_size > 0)
        coro_mem_error(vm);
    return fresh;
}

void *coro_mem_alloc(coro_VM *vm, size_t size)
{
    return coro_mem_realloc(vm, NULL, 0, size);
}

void coro_mem_free(coro_VM *vm, void *block, size_t size)
{
    if (block)
        coro_mem_try_realloc(vm, block, size, 0);
}

void *coro_mem_grow(coro_VM *vm, void *block, int *cap, int need,
                    size_t elem_size, int limit, const char *what)
{
    if (need <= *cap)
        return block;
    if (need > limit)
        coro_throw_msg(vm, "too many %s (limit is %d)", what, limit);
    int fresh_cap = *cap < 4 ? 4 : *cap;
    while (fresh_cap < need)
        fresh_cap = fresh_cap > limit / 2 ? limit : fresh_cap * 2;
    block = coro_mem_realloc(vm, block, (size_t)*cap * elem_size, (size_t)fresh_cap * elem_size);
    *cap = fresh_cap;
    return block;
}
