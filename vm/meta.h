/*
 * meta.h: metatables and metamethod lookup.
 *
 * Tables and userdata have their own metatables; every other type shares
 * one per type (strings have the string library's, coroutines the one
 * holding their methods).  Looking up an absent metamethod is the common
 * case on hot paths (`t.x` on a table with a metatable but no __index), so
 * a table caches "known absent" bits for the first TM_CACHED events; any
 * store into the table clears the cache.
 */
#ifndef CORO_META_H
#define CORO_META_H

#include "state.h"

extern const char *const coro_type_names[];   /* indexed by CORO_T* + 1 */
#define coro_basic_type_name(t) (coro_type_names[(t) + 1])

void coro_meta_init(coro_VM *vm);
Table *coro_meta_table_of(coro_VM *vm, const Value *o);
const Value *coro_meta_get_raw(coro_VM *vm, Table *mt, TagMethod tm);
const Value *coro_meta_get(coro_VM *vm, const Value *o, TagMethod tm);
/* Fast test for an absent cached event in a (possibly NULL) metatable. */
#define meta_fast_absent(mt, tm) ((mt) == NULL || ((mt)->absent_tm & (1u << (tm))))
/* Type name for messages: a metatable's __name (string) if present. */
const char *coro_meta_typename(coro_VM *vm, const Value *o);

#endif
