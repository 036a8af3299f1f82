/*
 * table.h: tables, Lua's one data structure.
 *
 * A table has an array part for the keys 1..array_size and a hash part of
 * 2^k nodes using chained scatter with Brent's variation (a colliding key
 * that is not in its main position is moved out, so chains stay short and
 * no node is wasted).  When the hash part is full, a rehash counts the
 * integer keys and picks the largest array size that would be more than
 * half full, which keeps sequences in the array part whatever order they
 * are built in.  `#t` is a border found by binary search, as in Lua.
 *
 * Keys whose value becomes nil stay in their node until the next rehash,
 * so `next` keeps working while a loop clears fields.
 */
#ifndef CORO_TABLE_H
#define CORO_TABLE_H

#include "state.h"

/* The tag of a hash key whose value was nil when the collector ran: its
 * payload only identifies it for `next`. */
#define TAG_DEADKEY 0xFF

extern const Value coro_absent;
#define is_absent(v) ((v) == &coro_absent)

Table *coro_table_new(coro_VM *vm, uint32_t narray, uint32_t nhash);
void coro_table_free(coro_VM *vm, Table *t);
size_t coro_table_size_bytes(const Table *t);

/* Lookups return &coro_absent (a nil) when the key is not there. */
const Value *coro_table_get(Table *t, const Value *key);
const Value *coro_table_get_str(Table *t, String *key);    /* any string */
const Value *coro_table_get_short(Table *t, String *key);  /* interned only */
const Value *coro_table_get_int_hash(Table *t, int64_t key);

/* The hot lookups, inline for the dispatch loop. */
static inline const Value *table_get_short(Table *t, String *key)
{
    Node *n = &t->nodes[key->hash & ((1u << t->log2_nodes) - 1)];
    for (;;) {
        if (n->key_tag == TAG_STRING && n->key.gc == (GCObject *)key)
            return &n->val;
        if (n->next == 0)
            return &coro_absent;
        n += n->next;
    }
}

static inline const Value *coro_table_get_int(Table *t, int64_t key)
{
    if ((uint64_t)key - 1 < t->array_size)
        return &t->array[key - 1];
    return coro_table_get_int_hash(t, key);
}

/* Returns the slot for key, creating it (value nil) if needed; the caller
 * stores the value.  Raises for nil and NaN keys. */
Value *coro_table_set_slot(coro_VM *vm, Table *t, const Value *key);
void coro_table_set(coro_VM *vm, Table *t, const Value *key, const Value *val);
void coro_table_set_int(coro_VM *vm, Table *t, int64_t key, const Value *val);
void coro_table_set_str(coro_VM *vm, Table *t, String *key, const Value *val);

void coro_table_resize(coro_VM *vm, Table *t, uint32_t narray, uint32_t nhash);
/* Ensures the array part has at least n slots (table constructors). */
void coro_table_reserve_array(coro_VM *vm, Table *t, uint32_t n);

/* A border of t (#t without __len). */
uint64_t coro_table_length(Table *t);

/* Iteration: key in/out.  Returns false at the end; raises for a key
 * that is not in the table. */
bool coro_table_next(coro_VM *vm, Table *t, Value *key, Value *val);

#define table_node_count(t) ((t)->has_nodes ? (1u << (t)->log2_nodes) : 0u)

#endif
