/*
 * mem.h: every byte the VM allocates goes through here.
 *
 * One choke point lets the VM count its memory exactly (the figure
 * collectgarbage("count") reports includes stacks, frames and buffers, not
 * just objects) and enforce the host's limit: an allocation that would
 * pass the limit, or that the host allocator refuses, raises the catchable
 * error "not enough memory" instead of returning NULL.  Allocation never
 * runs the collector; collections happen only at check points where every
 * live value is reachable from a root (see gc.h).
 */
#ifndef CORO_MEM_H
#define CORO_MEM_H

#include "state.h"

/* The C library's realloc and free as a coro_Alloc: the allocator of a
 * VM whose host gives none, and of the front end run without a VM (the
 * -p/--ast tools, the front-end tests and fuzzer). */
void *coro_mem_system_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* Raise "not enough memory" on failure. */
void *coro_mem_alloc(coro_VM *vm, size_t size);
void *coro_mem_realloc(coro_VM *vm, void *block, size_t old_size, size_t new_size);
/* Returns NULL on failure instead of raising. */
void *coro_mem_try_realloc(coro_VM *vm, void *block, size_t old_size, size_t new_size);
void coro_mem_free(coro_VM *vm, void *block, size_t size);

/* Grows an array of elem_size elements to hold at least `need`, doubling;
 * raises `what` "too many ..." past limit elements. */
void *coro_mem_grow(coro_VM *vm, void *block, int *cap, int need,
                    size_t elem_size, int limit, const char *what);

#define coro_mem_new(vm, type)          ((type *)coro_mem_alloc((vm), sizeof(type)))
#define coro_mem_new_array(vm, type, n) ((type *)coro_mem_alloc((vm), sizeof(type) * (size_t)(n)))
#define coro_mem_free_array(vm, p, type, n) coro_mem_free((vm), (p), sizeof(type) * (size_t)(n))

CORO_NORETURN void coro_mem_error(coro_VM *vm);

#endif
