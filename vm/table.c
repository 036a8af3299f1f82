/*
 * table.c: array part + hash part tables.
 */
#include <math.h>
#include <string.h>

#include "table.h"
#include "call.h"
#include "gc.h"
#include "mem.h"
#include "str.h"

const Value coro_absent = { .u = { .i = 0 }, .tag = TAG_NIL };

/* The hash part of every table without one: never written. */
const Node coro_empty_node = { .val = { .tag = TAG_NIL }, .key_tag = TAG_NIL, .next = 0 };

#define MAX_ARRAY_BITS 31
#define MAX_HASH_BITS 30

/* ---- hashing -------------------------------------------------------------- */

static inline uint32_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (uint32_t)x;
}

static inline Node *node_at(Table *t, uint32_t h)
{
    return &t->nodes[h & ((1u << t->log2_nodes) - 1)];
}

static inline Node *main_position_int(Table *t, int64_t i)
{
    /* Consecutive integers land in consecutive nodes. */
    uint64_t u = (uint64_t)i;
    return node_at(t, (uint32_t)(u ^ (u >> 32)));
}

static Node *main_position(Table *t, uint8_t tag, ValuePayload key)
{
    switch (tag) {
    case TAG_INT:
        return main_position_int(t, key.i);
    case TAG_FLOAT: {
        uint64_t bits;
        memcpy(&bits, &key.n, sizeof bits);
        return node_at(t, mix64(bits));
    }
    case TAG_STRING:
        return node_at(t, coro_str_hash((String *)key.gc));
    case TAG_FALSE:
        return node_at(t, 0);
    case TAG_TRUE:
        return node_at(t, 1);
    case TAG_CFUNC:
        return node_at(t, mix64((uint64_t)(uintptr_t)key.f));
    default:
        return node_at(t, mix64((uint64_t)(uintptr_t)key.p));
    }
}

static inline bool key_equals(const Node *n, const Value *key)
{
    if (n->key_tag != key->tag) {
        /* A dead key still matches the same object, for `next`. */
        return n->key_tag == TAG_DEADKEY && is_collectable(key) && n->key.gc == key->u.gc;
    }
    switch (key->tag) {
    case TAG_NIL: case TAG_FALSE: case TAG_TRUE:
        return true;
    case TAG_INT:
        return n->key.i == key->u.i;
    case TAG_FLOAT:
        return n->key.n == key->u.n;
    case TAG_CFUNC:
        return n->key.f == key->u.f;
    case TAG_STRING:
        return coro_str_equal((String *)n->key.gc, as_string(key));
    default:
        return n->key.p == key->u.p;
    }
}

/* ---- creation and sizing ------------------------------------------------- */

static void set_nodes(coro_VM *vm, Table *t, uint32_t nhash)
{
    if (nhash == 0) {
        t->nodes = (Node *)&coro_empty_node;   /* never written: has_nodes is 0 */
        t->log2_nodes = 0;
        t->has_nodes = 0;
        t->last_free = NULL;
        return;
    }
    int bits = 0;
    while ((1u << bits) < nhash)
        bits++;
    if (bits > MAX_HASH_BITS)
        coro_throw_msg(vm, "table overflow");
    uint32_t size = 1u << bits;
    Node *nodes = coro_mem_new_array(vm, Node, size);
    for (uint32_t i = 0; i < size; i++) {
        set_nil(&nodes[i].val);
        nodes[i].key_tag = TAG_NIL;
        nodes[i].next = 0;
    }
    t->nodes = nodes;
    t->log2_nodes = (uint8_t)bits;
    t->has_nodes = 1;
    t->last_free = nodes + size;
}

Table *coro_table_new(coro_VM *vm, uint32_t narray, uint32_t nhash)
{
    Table *t = coro_gc_new(vm, sizeof(Table), TAG_TABLE);
    t->absent_tm = 0xFF;
    t->array_size = 0;
    t->border_hint = 0;
    t->array = NULL;
    t->metatable = NULL;
    t->gclist = NULL;
    set_nodes(vm, t, 0);
    if (narray || nhash)
        coro_table_resize(vm, t, narray, nhash);
    return t;
}

size_t coro_table_size_bytes(const Table *t)
{
    return sizeof(Table) + sizeof(Value) * t->array_size +
           (t->has_nodes ? sizeof(Node) << t->log2_nodes : 0);
}

void coro_table_free(coro_VM *vm, Table *t)
{
    coro_mem_free_array(vm, t->array, Value, t->array_size);
    if (t->has_nodes)
        coro_mem_free_array(vm, t->nodes, Node, 1u << t->log2_nodes);
    coro_mem_free(vm, t, sizeof(Table));
}

/* ---- lookup ------------------------------------------------------------- */

const Value *coro_table_get_int_hash(Table *t, int64_t key)
{
    if (!t->has_nodes)
        return &coro_absent;
    Node *n = main_position_int(t, key);
    for (;;) {
        if (n->key_tag == TAG_INT && n->key.i == key)
            return &n->val;
        if (n->next == 0)
            return &coro_absent;
        n += n->next;
    }
}

const Value *coro_table_get_short(Table *t, String *key)
{
    return table_get_short(t, key);
}

static const Value *get_generic(Table *t, const Value *key)
{
    if (!t->has_nodes)
        return &coro_absent;
    Node *n = main_position(t, key->tag, key->u);
    for (;;) {
        if (key_equals(n, key) && n->key_tag != TAG_DEADKEY)
            return &n->val;
        if (n->next == 0)
            return &coro_absent;
        n += n->next;
    }
}

const Value *coro_table_get_str(Table *t, String *key)
{
    if (key->is_short)
        return coro_table_get_short(t, key);
    Value k;
    set_string(&k, key);
    return get_generic(t, &k);
}

/* A float with an integral value is the same key as that integer. */
static inline bool float_to_int_key(double d, int64_t *out)
{
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
        int64_t i = (int64_t)d;
        if ((double)i == d) {
            *out = i;
            return true;
        }
    }
    return false;
}

const Value *coro_table_get(Table *t, const Value *key)
{
    switch (key->tag) {
    case TAG_STRING:
        return coro_table_get_str(t, as_string(key));
    case TAG_INT:
        return coro_table_get_int(t, key->u.i);
    case TAG_NIL:
        return &coro_absent;
    case TAG_FLOAT: {
        int64_t i;
        if (float_to_int_key(key->u.n, &i))
            return coro_table_get_int(t, i);
        return get_generic(t, key);
    }
    default:
        return get_generic(t, key);
    }
}

/* ---- rehash ------------------------------------------------------------- */

/* nums[i] counts integer keys k with 2^(i-1) < k <= 2^i. */
static uint32_t count_array_keys(Table *t, uint32_t *nums)
{
    uint32_t total = 0, i = 1;
    for (int lg = 0, ttlg = 1; lg <= MAX_ARRAY_BITS; lg++, ttlg *= 2) {
        uint32_t limit = (uint32_t)ttlg, count = 0;
        if (limit > t->array_size) {
            limit = t->array_size;
            if (i > limit)
                break;
        }
        for (; i <= limit; i++)
            if (!is_nil(&t->array[i - 1]))
                count++;
        nums[lg] += count;
        total += count;
        if (ttlg > INT32_MAX / 2)
            break;
    }
    return total;
}

static int ceil_log2(uint64_t x)
{
    int l = 0;
    x--;
    while (x > 0) {
        l++;
        x >>= 1;
    }
    return l;
}

static bool count_int_key(const Value *key, uint32_t *nums)
{
    int64_t k;
    if (key->tag == TAG_INT)
        k = key->u.i;
    else
        return false;
    if (k > 0 && k <= ((int64_t)1 << MAX_ARRAY_BITS)) {
        nums[ceil_log2((uint64_t)k)]++;
        return true;
    }
    return false;
}

static uint32_t count_hash_keys(Table *t, uint32_t *nums, uint32_t *nints)
{
    uint32_t total = 0, ints = 0;
    uint32_t size = table_node_count(t);
    for (uint32_t i = 0; i < size; i++) {
        Node *n = &t->nodes[i];
        if (!is_nil(&n->val)) {
            if (n->key_tag == TAG_INT) {
                Value k = { .u = n->key, .tag = TAG_INT };
                if (count_int_key(&k, nums))
                    ints++;
            }
            total++;
        }
    }
    *nints += ints;
    return total;
}

/* The largest power of two n such that more than n/2 of 1..n are used. */
static uint32_t optimal_array_size(uint32_t *nums, uint32_t *nint_keys)
{
    uint32_t twotoi = 1, a = 0, na = 0, optimal = 0;
    for (int i = 0; twotoi > 0 && *nint_keys > twotoi / 2; i++, twotoi *= 2) {
        a += nums[i];
        if (a > twotoi / 2) {
            optimal = twotoi;
            na = a;
        }
        if (i >= MAX_ARRAY_BITS)
            break;
    }
    *nint_keys = na;
    return optimal;
}

static void insert_new(coro_VM *vm, Table *t, const Value *key, const Value *val);

void coro_table_resize(coro_VM *vm, Table *t, uint32_t narray, uint32_t nhash)
{
    uint32_t old_asize = t->array_size;
    Node *old_nodes = t->nodes;
    uint32_t old_nsize = table_node_count(t);
    int had_nodes = t->has_nodes;

    /* Allocate the new parts before touching the table, so that a memory
     * error leaves it as it was. */
    Value *array = t->array;
    if (narray != old_asize) {
        if (narray > old_asize) {
            array = coro_mem_realloc(vm, t->array, sizeof(Value) * old_asize, sizeof(Value) * narray);
            for (uint32_t i = old_asize; i < narray; i++)
                set_nil(&array[i]);
        }
    }
    Table fresh = *t;
    if (narray > old_asize) {
        t->array = array;
        t->array_size = narray;
    }
    set_nodes(vm, &fresh, nhash);   /* may raise; t is consistent */

    /* Values beyond a shrinking array part move to the hash part. */
    t->nodes = fresh.nodes;
    t->log2_nodes = fresh.log2_nodes;
    t->has_nodes = fresh.has_nodes;
    t->last_free = fresh.last_free;
    if (narray < old_asize) {
        Value *old_array = t->array;
        t->array_size = narray;
        for (uint32_t i = narray; i < old_asize; i++) {
            if (!is_nil(&old_array[i])) {
                Value k;
                set_int(&k, (int64_t)i + 1);
                insert_new(vm, t, &k, &old_array[i]);
            }
        }
        t->array = coro_mem_realloc(vm, old_array, sizeof(Value) * old_asize, sizeof(Value) * narray);
    }
    for (uint32_t i = 0; i < old_nsize; i++) {
        Node *n = &old_nodes[i];
        if (!is_nil(&n->val)) {
            Value k = { .u = n->key, .tag = n->key_tag };
            if (k.tag == TAG_INT && (uint64_t)k.u.i - 1 < t->array_size)
                t->array[k.u.i - 1] = n->val;
            else
                insert_new(vm, t, &k, &n->val);
        }
    }
    if (had_nodes)
        coro_mem_free_array(vm, old_nodes, Node, old_nsize);
}

static void rehash(coro_VM *vm, Table *t, const Value *extra_key)
{
    uint32_t nums[MAX_ARRAY_BITS + 1];
    memset(nums, 0, sizeof nums);
    uint32_t nint = count_array_keys(t, nums);
    uint32_t total = nint;
    total += count_hash_keys(t, nums, &nint);
    if (count_int_key(extra_key, nums))
        nint++;
    total++;
    uint32_t na = nint;
    uint32_t asize = optimal_array_size(nums, &na);
    coro_table_resize(vm, t, asize, total - na);
}

void coro_table_reserve_array(coro_VM *vm, Table *t, uint32_t n)
{
    if (n > t->array_size)
        coro_table_resize(vm, t, n, table_node_count(t));
}

/* ---- insertion ----------------------------------------------------------- */

static Node *free_node(Table *t)
{
    if (!t->has_nodes)
        return NULL;
    while (t->last_free > t->nodes) {
        t->last_free--;
        if (t->last_free->key_tag == TAG_NIL)
            return t->last_free;
    }
    return NULL;
}

/* Inserts a key known to be absent; the table has room or is rehashed. */
static Value *new_key(coro_VM *vm, Table *t, const Value *key)
{
    if (!t->has_nodes) {
        rehash(vm, t, key);
        return coro_table_set_slot(vm, t, key);
    }
    Node *mp = main_position(t, key->tag, key->u);
    if (!is_nil(&mp->val)) {
        /* The main position holds a live entry, so its key is live too. */
        Node *f = free_node(t);
        if (!f) {
            rehash(vm, t, key);
            return coro_table_set_slot(vm, t, key);
        }
        Node *othern = main_position(t, mp->key_tag, mp->key);
        if (othern != mp) {
            /* The colliding node is out of its main position: move it to
             * the free node and take its place. */
            while (othern + othern->next != mp)
                othern += othern->next;
            othern->next = (int32_t)(f - othern);
            *f = *mp;
            if (mp->next != 0) {
                f->next += (int32_t)(mp - f);
                mp->next = 0;
            }
        } else {
            /* The colliding node is in its main position: chain the new
             * key in the free node. */
            f->next = mp->next != 0 ? (int32_t)((mp + mp->next) - f) : 0;
            mp->next = (int32_t)(f - mp);
            mp = f;
        }
    }
    /* A node whose value is nil is free to take, whatever key it held; it
     * keeps its place in any chain running through it. */
    mp->key = key->u;
    mp->key_tag = key->tag;
    set_nil(&mp->val);
    return &mp->val;
}

static void insert_new(coro_VM *vm, Table *t, const Value *key, const Value *val)
{
    Value *slot = new_key(vm, t, key);
    *slot = *val;
}

Value *coro_table_set_slot(coro_VM *vm, Table *t, const Value *key)
{
    Value k = *key;
    switch (k.tag) {
    case TAG_INT:
        if ((uint64_t)k.u.i - 1 < t->array_size)
            return &t->array[k.u.i - 1];
        break;
    case TAG_NIL:
        coro_throw_msg(vm, "table index is nil");
    case TAG_FLOAT: {
        int64_t i;
        if (float_to_int_key(k.u.n, &i)) {
            set_int(&k, i);
            if ((uint64_t)i - 1 < t->array_size)
                return &t->array[i - 1];
        } else if (isnan(k.u.n)) {
            coro_throw_msg(vm, "table index is NaN");
        }
        break;
    }
    default:
        break;
    }
    t->absent_tm = 0;
    if (t->has_nodes) {
        Node *n = main_position(t, k.tag, k.u);
        for (;;) {
            if (n->key_tag == k.tag && key_equals(n, &k))
                return &n->val;
            if (n->next == 0)
                break;
            n += n->next;
        }
    }
    return new_key(vm, t, &k);
}

void coro_table_set(coro_VM *vm, Table *t, const Value *key, const Value *val)
{
    Value v = *val;
    if (is_nil(&v)) {
        /* Assigning nil never creates a key (but bad keys still raise). */
        if (key->tag == TAG_NIL)
            coro_throw_msg(vm, "table index is nil");
        if (key->tag == TAG_FLOAT && isnan(key->u.n))
            coro_throw_msg(vm, "table index is NaN");
        const Value *old = coro_table_get(t, key);
        if (!is_absent(old))
            *(Value *)old = v;
        return;
    }
    Value *slot = coro_table_set_slot(vm, t, key);
    *slot = v;
}

void coro_table_set_int(coro_VM *vm, Table *t, int64_t key, const Value *val)
{
    if ((uint64_t)key - 1 < t->array_size) {
        t->array[key - 1] = *val;
        return;
    }
    Value k;
    set_int(&k, key);
    coro_table_set(vm, t, &k, val);
}

void coro_table_set_str(coro_VM *vm, Table *t, String *key, const Value *val)
{
    Value k;
    set_string(&k, key);
    coro_table_set(vm, t, &k, val);
}

/* ---- length --------------------------------------------------------------- */

static uint64_t hash_border(Table *t, uint64_t j)
{
    uint64_t i;
    if (j == 0)
        j++;
    do {
        i = j;
        if (j <= (uint64_t)INT64_MAX / 2)
            j *= 2;
        else {
            j = (uint64_t)INT64_MAX;
            if (is_nil(coro_table_get_int(t, (int64_t)j)))
                break;
            return j;
        }
    } while (!is_nil(coro_table_get_int(t, (int64_t)j)));
    /* i is present, j is absent: binary search between them. */
    while (j - i > 1) {
        uint64_t m = (i + j) / 2;
        if (is_nil(coro_table_get_int(t, (int64_t)m)))
            j = m;
        else
            i = m;
    }
    return i;
}

uint64_t coro_table_length(Table *t)
{
    uint32_t n = t->array_size;
    if (n > 0 && is_nil(&t->array[n - 1])) {
        /* A loop appending with t[#t + 1] or popping moves the border by
         * one: try the last border and its neighbours before searching. */
        uint32_t h = t->border_hint;
        if (h < n - 1) {
            if (is_nil(&t->array[h])) {
                if (h == 0 || !is_nil(&t->array[h - 1]))
                    return h;
                if (h == 1 || !is_nil(&t->array[h - 2]))
                    return t->border_hint = h - 1;
            } else if (is_nil(&t->array[h + 1])) {
                return t->border_hint = h + 1;
            }
        }
        uint32_t i = 0, j = n;
        while (j - i > 1) {
            uint32_t m = (i + j) / 2;
            if (is_nil(&t->array[m - 1]))
                j = m;
            else
                i = m;
        }
        return t->border_hint = i;
    }
    if (!t->has_nodes || is_nil(coro_table_get_int(t, (int64_t)n + 1)))
        return n;
    return hash_border(t, n);
}

/* ---- iteration ------------------------------------------------------------ */

static uint64_t find_index(coro_VM *vm, Table *t, const Value *key)
{
    if (is_nil(key))
        return 0;
    Value k = *key;
    if (k.tag == TAG_FLOAT) {
        int64_t i;
        if (float_to_int_key(k.u.n, &i))
            set_int(&k, i);
    }
    if (k.tag == TAG_INT && (uint64_t)k.u.i - 1 < t->array_size)
        return (uint64_t)k.u.i;
    if (t->has_nodes) {
        Node *n = main_position(t, k.tag, k.u);
        for (;;) {
            if (key_equals(n, &k))
                return (uint64_t)(n - t->nodes) + 1 + t->array_size;
            if (n->next == 0)
                break;
            n += n->next;
        }
    }
    coro_throw_msg(vm, "invalid key to 'next'");
}

bool coro_table_next(coro_VM *vm, Table *t, Value *key, Value *val)
{
    uint64_t i = find_index(vm, t, key);
    for (; i < t->array_size; i++) {
        if (!is_nil(&t->array[i])) {
            set_int(key, (int64_t)i + 1);
            *val = t->array[i];
            return true;
        }
    }
    uint64_t size = table_node_count(t);
    for (i -= t->array_size; i < size; i++) {
        Node *n = &t->nodes[i];
        if (!is_nil(&n->val)) {
            key->u = n->key;
            key->tag = n->key_tag;
            *val = n->val;
            return true;
        }
    }
    return false;
}
