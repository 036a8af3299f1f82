/*
 * gc.c: mark and sweep.
 */
#include <stdlib.h>
#include <string.h>

#include "gc.h"
#include "call.h"
#include "coroutine.h"
#include "func.h"
#include "mem.h"
#include "meta.h"
#include "str.h"
#include "table.h"

#define MIN_THRESHOLD (256 * 1024)

void *coro_gc_new(coro_VM *vm, size_t size, uint8_t tag)
{
    GCObject *o = coro_mem_alloc(vm, size);
    o->tag = tag;
    o->marked = 0;
    o->next = vm->allgc;
    vm->allgc = o;
    return o;
}

/* ---- marking ---------------------------------------------------------------- */

static GCObject **gclist_of(GCObject *o)
{
    switch (o->tag) {
    case TAG_TABLE: return &((Table *)o)->gclist;
    case TAG_LCLOSURE: return &((LClosure *)o)->gclist;
    case TAG_CCLOSURE: return &((CClosure *)o)->gclist;
    case TAG_PROTO: return &((Proto *)o)->gclist;
    case TAG_COROUTINE: return &((Coroutine *)o)->gclist;
    case TAG_USERDATA: return &((Userdata *)o)->gclist;
    default: return NULL;
    }
}

void coro_gc_mark_object(coro_VM *vm, GCObject *o)
{
    if (!o || (o->marked & MARK_BLACK))
        return;
    o->marked |= MARK_BLACK;
    switch (o->tag) {
    case TAG_STRING:
        return;
    case TAG_UPVAL: {
        UpVal *uv = (UpVal *)o;
        /* An open upvalue's slot belongs to a coroutine that may itself be
         * unreachable; the value must survive to be closed over. */
        coro_gc_mark_value(vm, uv->v);
        return;
    }
    default: {
        GCObject **link = gclist_of(o);
        *link = vm->gray;
        vm->gray = o;
        return;
    }
    }
}

void coro_gc_mark_value(coro_VM *vm, const Value *v)
{
    if (is_collectable(v))
        coro_gc_mark_object(vm, v->u.gc);
}

/* Whether v refers to an object this collection has not reached.  Strings
 * count as reached: they are values, never removed from weak tables. */
static bool is_unreached(const Value *v)
{
    if (!is_collectable(v))
        return false;
    if (v->tag == TAG_STRING) {
        v->u.gc->marked |= MARK_BLACK;
        return false;
    }
    return !(v->u.gc->marked & (MARK_BLACK | MARK_FIXED));
}

static bool key_unreached(const Node *n)
{
    Value k = { .u = n->key, .tag = n->key_tag };
    return n->key_tag != TAG_DEADKEY && is_unreached(&k);
}

/* The weak mode of t from its metatable's __mode: bit 1 keys, bit 2 values. */
static int weak_mode(coro_VM *vm, Table *t)
{
    if (!t->metatable)
        return 0;
    const Value *mode = coro_meta_get_raw(vm, t->metatable, TM_MODE);
    if (!is_string(mode))
        return 0;
    const char *m = as_string(mode)->data;
    return (strchr(m, 'k') ? 1 : 0) | (strchr(m, 'v') ? 2 : 0);
}

/* Weak keys: a value is reached only through a reached key (an ephemeron);
 * returns whether anything new was marked. */
static bool traverse_ephemeron(coro_VM *vm, Table *t)
{
    bool marked = false;
    for (uint32_t i = 0; i < t->array_size; i++) {
        if (is_unreached(&t->array[i])) {
            coro_gc_mark_value(vm, &t->array[i]);
            marked = true;
        }
    }
    uint32_t n = table_node_count(t);
    for (uint32_t i = 0; i < n; i++) {
        Node *node = &t->nodes[i];
        if (is_nil(&node->val))
            continue;
        if (!key_unreached(node) && is_unreached(&node->val)) {
            coro_gc_mark_value(vm, &node->val);
            marked = true;
        }
    }
    return marked;
}

static void traverse_table(coro_VM *vm, Table *t)
{
    coro_gc_mark_object(vm, (GCObject *)t->metatable);
    int mode = weak_mode(vm, t);
    if (mode == 1) {
        traverse_ephemeron(vm, t);
        t->gclist = vm->ephemeron;
        vm->ephemeron = (GCObject *)t;
        return;
    }
    if (mode != 0) {
        /* Weak values (and maybe keys): mark strong keys only. */
        uint32_t n = table_node_count(t);
        for (uint32_t i = 0; i < n && !(mode & 1); i++)
            if (!is_nil(&t->nodes[i].val) && t->nodes[i].key_tag >= TAG_STRING &&
                t->nodes[i].key_tag != TAG_DEADKEY)
                coro_gc_mark_object(vm, t->nodes[i].key.gc);
        t->gclist = vm->weak;
        vm->weak = (GCObject *)t;
        return;
    }
    for (uint32_t i = 0; i < t->array_size; i++)
        coro_gc_mark_value(vm, &t->array[i]);
    uint32_t n = table_node_count(t);
    for (uint32_t i = 0; i < n; i++) {
        Node *node = &t->nodes[i];
        if (is_nil(&node->val)) {
            if (node->key_tag >= TAG_STRING && node->key_tag != TAG_DEADKEY)
                node->key_tag = TAG_DEADKEY;
            continue;
        }
        if (node->key_tag >= TAG_STRING)
            coro_gc_mark_object(vm, node->key.gc);
        coro_gc_mark_value(vm, &node->val);
    }
}

static void traverse_proto(coro_VM *vm, Proto *p)
{
    coro_gc_mark_object(vm, (GCObject *)p->source);
    coro_gc_mark_object(vm, (GCObject *)p->name);
    for (int i = 0; i < p->const_size; i++)
        coro_gc_mark_value(vm, &p->constants[i]);
    for (int i = 0; i < p->proto_size; i++)
        coro_gc_mark_object(vm, (GCObject *)p->protos[i]);
    for (int i = 0; i < p->upval_size; i++)
        coro_gc_mark_object(vm, (GCObject *)p->upvals[i].name);
    for (int i = 0; i < p->locvar_size; i++)
        coro_gc_mark_object(vm, (GCObject *)p->locvars[i].name);
}

static void traverse_coroutine(coro_VM *vm, Coroutine *co)
{
    coro_co_shrink(vm, co);
    Value *live_top = coro_co_live_top(co);
    for (Value *v = co->stack; v < live_top; v++)
        coro_gc_mark_value(vm, v);
    /* Slots above the live part may hold values that die in this cycle;
     * clear them so no later frame reads a dangling pointer. */
    for (Value *v = live_top; v < co->stack_end; v++)
        set_nil(v);
    for (UpVal *uv = co->open_upvals; uv; uv = uv->u.open.next)
        coro_gc_mark_object(vm, (GCObject *)uv);
    coro_gc_mark_object(vm, (GCObject *)co->resumer);
}

static void propagate_all(coro_VM *vm);

static void propagate(coro_VM *vm)
{
    while (vm->gray) {
        GCObject *o = vm->gray;
        GCObject **link = gclist_of(o);
        vm->gray = *link;
        *link = NULL;
        switch (o->tag) {
        case TAG_TABLE:
            traverse_table(vm, (Table *)o);
            break;
        case TAG_LCLOSURE: {
            LClosure *cl = (LClosure *)o;
            coro_gc_mark_object(vm, (GCObject *)cl->proto);
            for (int i = 0; i < cl->nupvals; i++)
                coro_gc_mark_object(vm, (GCObject *)cl->upvals[i]);
            break;
        }
        case TAG_CCLOSURE: {
            CClosure *cl = (CClosure *)o;
            for (int i = 0; i < cl->nupvals; i++)
                coro_gc_mark_value(vm, &cl->upvals[i]);
            break;
        }
        case TAG_PROTO:
            traverse_proto(vm, (Proto *)o);
            break;
        case TAG_COROUTINE:
            traverse_coroutine(vm, (Coroutine *)o);
            break;
        case TAG_USERDATA: {
            Userdata *u = (Userdata *)o;
            coro_gc_mark_object(vm, (GCObject *)u->metatable);
            for (int i = 0; i < u->nuvalue; i++)
                coro_gc_mark_value(vm, &u->uv[i]);
            break;
        }
        default:
            break;
        }
    }
}

/* Marks values of ephemerons whose keys became reached, until nothing
 * changes. */
static void converge_ephemerons(coro_VM *vm)
{
    bool changed;
    do {
        changed = false;
        for (GCObject *o = vm->ephemeron; o; o = ((Table *)o)->gclist) {
            if (traverse_ephemeron(vm, (Table *)o)) {
                propagate_all(vm);
                changed = true;
            }
        }
    } while (changed);
}

/* Removes entries with unreached keys (keys) or values (values). */
static void clear_weak(GCObject *list, bool keys, bool values)
{
    for (GCObject *o = list; o; o = ((Table *)o)->gclist) {
        Table *t = (Table *)o;
        if (values)
            for (uint32_t i = 0; i < t->array_size; i++)
                if (is_unreached(&t->array[i]))
                    set_nil(&t->array[i]);
        uint32_t n = table_node_count(t);
        for (uint32_t i = 0; i < n; i++) {
            Node *node = &t->nodes[i];
            if (is_nil(&node->val))
                continue;
            if ((keys && key_unreached(node)) || (values && is_unreached(&node->val))) {
                set_nil(&node->val);
                if (node->key_tag >= TAG_STRING)
                    node->key_tag = TAG_DEADKEY;
            }
        }
    }
}

static void mark_roots(coro_VM *vm)
{
    coro_gc_mark_object(vm, (GCObject *)vm->registry);
    coro_gc_mark_object(vm, (GCObject *)vm->globals);
    for (int i = 0; i <= CORO_TTHREAD; i++)
        coro_gc_mark_object(vm, (GCObject *)vm->type_metatables[i]);
    coro_gc_mark_object(vm, (GCObject *)vm->main_co);
    coro_gc_mark_object(vm, (GCObject *)vm->current);
    coro_gc_mark_object(vm, (GCObject *)vm->memerr_msg);
    coro_gc_mark_value(vm, &vm->error_value);
    coro_gc_mark_value(vm, &vm->trace_carry);
    int kept = vm->trace_count < TRACE_HEAD + TRACE_TAIL ? vm->trace_count : TRACE_HEAD + TRACE_TAIL;
    for (int i = 0; i < kept; i++) {
        coro_gc_mark_value(vm, &vm->trace[i].fn);
        coro_gc_mark_object(vm, vm->trace[i].caller);
    }
    if (vm->sched_mark)
        vm->sched_mark(vm);
    /* Objects already waiting for their finalizer stay alive. */
    for (GCObject *o = vm->tobefnz; o; o = o->next)
        coro_gc_mark_object(vm, o);
}

static void propagate_all(coro_VM *vm)
{
    propagate(vm);
}

/* ---- freeing --------------------------------------------------------------- */

static void free_object(coro_VM *vm, GCObject *o)
{
    switch (o->tag) {
    case TAG_STRING: {
        String *s = (String *)o;
        if (s->is_short && vm->strings)
            coro_str_unlink(vm, s);
        coro_mem_free(vm, s, coro_str_size(str_len(s)));
        break;
    }
    case TAG_TABLE:
        coro_table_free(vm, (Table *)o);
        break;
    case TAG_LCLOSURE:
        coro_mem_free(vm, o, coro_lclosure_size(((LClosure *)o)->nupvals));
        break;
    case TAG_CCLOSURE:
        coro_mem_free(vm, o, coro_cclosure_size(((CClosure *)o)->nupvals));
        break;
    case TAG_PROTO:
        coro_proto_free(vm, (Proto *)o);
        break;
    case TAG_UPVAL: {
        UpVal *uv = (UpVal *)o;
        if (upval_is_open(uv))
            coro_upval_unlink(uv);
        coro_mem_free(vm, uv, sizeof(UpVal));
        break;
    }
    case TAG_USERDATA: {
        Userdata *u = (Userdata *)o;
        coro_mem_free(vm, u, userdata_total_size(u));
        break;
    }
    case TAG_COROUTINE:
        coro_co_free(vm, (Coroutine *)o);
        break;
    default:
        break;
    }
}

static void sweep_list(coro_VM *vm, GCObject **list)
{
    GCObject **p = list;
    GCObject *o;
    while ((o = *p) != NULL) {
        if (o->marked & (MARK_BLACK | MARK_FIXED)) {
            o->marked &= (uint8_t)~MARK_BLACK;
            p = &o->next;
        } else {
            *p = o->next;
            free_object(vm, o);
        }
    }
}

/* ---- finalizers ---------------------------------------------------------------- */

void coro_gc_check_finalizer(coro_VM *vm, GCObject *o, Table *mt)
{
    if ((o->marked & (MARK_FINALIZE | MARK_FINALIZED)) || !mt)
        return;
    if (is_nil(coro_meta_get_raw(vm, mt, TM_GC)))
        return;
    /* Move o from allgc to finobj. */
    GCObject **p = &vm->allgc;
    while (*p && *p != o)
        p = &(*p)->next;
    if (!*p)
        return;
    *p = o->next;
    o->next = vm->finobj;
    vm->finobj = o;
    o->marked |= MARK_FINALIZE;
}

/* Unreachable objects with finalizers go to tobefnz and are kept alive
 * (with everything they reach) until their finalizer has run. */
static void separate_unreachable(coro_VM *vm)
{
    GCObject **p = &vm->finobj;
    GCObject **tail = &vm->tobefnz;
    while (*tail)
        tail = &(*tail)->next;
    GCObject *o;
    while ((o = *p) != NULL) {
        if (o->marked & MARK_BLACK) {
            p = &o->next;
        } else {
            *p = o->next;
            o->next = NULL;
            *tail = o;
            tail = &o->next;
        }
    }
    for (o = vm->tobefnz; o; o = o->next)
        coro_gc_mark_object(vm, o);
    propagate(vm);
}

static void unmark_list(GCObject *o)
{
    for (; o; o = o->next)
        o->marked &= (uint8_t)~MARK_BLACK;
}

static void run_finalizers(coro_VM *vm)
{
    if (vm->in_finalizer)
        return;
    vm->in_finalizer = 1;
    while (vm->tobefnz) {
        GCObject *o = vm->tobefnz;
        vm->tobefnz = o->next;
        /* Back to the ordinary list: freed by a later cycle if still
         * unreachable then. */
        o->next = vm->allgc;
        vm->allgc = o;
        o->marked = (uint8_t)((o->marked & ~MARK_FINALIZE) | MARK_FINALIZED);
        coro_call_finalizer(vm, o);
    }
    vm->in_finalizer = 0;
}

/* ---- collection ---------------------------------------------------------------- */

void coro_gc_set_threshold(coro_VM *vm)
{
    size_t live = vm->bytes;
    vm->gc_estimate = live;
    size_t threshold = live * 2;
    if (threshold < MIN_THRESHOLD)
        threshold = MIN_THRESHOLD;
    if (vm->memory_limit && threshold > live + (vm->memory_limit - (live < vm->memory_limit ? live : vm->memory_limit)) / 2)
        threshold = live + (vm->memory_limit > live ? (vm->memory_limit - live) / 2 : 0);
    if (vm->gc_stress || vm->gc_stopped == 2)
        threshold = 0;
    vm->gc_threshold = threshold;
}

static void collect(coro_VM *vm)
{
    if (vm->gc_running)
        return;
    vm->gc_running = 1;
    vm->gray = NULL;
    vm->weak = NULL;
    vm->ephemeron = NULL;
    mark_roots(vm);
    propagate(vm);
    converge_ephemerons(vm);
    /* Weak values go before finalizers revive anything; weak keys after. */
    clear_weak(vm->weak, false, true);
    separate_unreachable(vm);
    converge_ephemerons(vm);
    clear_weak(vm->ephemeron, true, false);
    clear_weak(vm->weak, true, false);
    sweep_list(vm, &vm->allgc);
    unmark_list(vm->finobj);
    unmark_list(vm->tobefnz);
    vm->gc_running = 0;
    coro_gc_set_threshold(vm);
}

void coro_gc_step(coro_VM *vm)
{
    if (vm->gc_stopped == 1) {
        vm->gc_threshold = vm->bytes + MIN_THRESHOLD;
        return;
    }
    collect(vm);
    if (vm->tobefnz)
        run_finalizers(vm);
}

void coro_gc_full(coro_VM *vm)
{
    collect(vm);
    if (vm->tobefnz)
        run_finalizers(vm);
}

void coro_gc_free_all(coro_VM *vm)
{
    /* Every remaining finalizer runs before anything is freed. */
    GCObject *o;
    while ((o = vm->finobj) != NULL) {
        vm->finobj = o->next;
        o->next = vm->tobefnz;
        vm->tobefnz = o;
    }
    run_finalizers(vm);
    /* Every string goes: drop the intern table rather than unlink each. */
    coro_str_table_free(vm);
    for (o = vm->allgc; o;) {
        GCObject *next = o->next;
        o->marked = 0;
        o = next;
    }
    /* Close coroutines' upvalues first so no upvalue points into a freed
     * stack while the list is freed. */
    for (o = vm->allgc; o; o = o->next)
        if (o->tag == TAG_COROUTINE)
            coro_upval_close((Coroutine *)o, ((Coroutine *)o)->stack);
    while ((o = vm->allgc) != NULL) {
        vm->allgc = o->next;
        free_object(vm, o);
    }
    while ((o = vm->finobj) != NULL) {
        vm->finobj = o->next;
        free_object(vm, o);
    }
}
