/*
 * gc.c: mark and sweep, generational by default.
 *
 * In generational mode the mark bit is sticky: what survives a collection
 * stays marked ("old"), and a minor collection marks only from the roots,
 * the running coroutine and the old objects that were given references
 * since (vm->touched, kept by the write barriers in gc.h), then sweeps
 * only the objects made since the last collection, which sit at the head
 * of allgc before vm->old_head.  A major collection unmarks everything and
 * does a full mark and sweep; it runs when the heap has doubled since the
 * last one.  Non-generational mode (collectgarbage("incremental")) does
 * only full collections and leaves every survivor unmarked.
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
/* A minor collection after this share of the last major's live bytes. */
#define MINOR_DIVISOR 5

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
    if (!o || (o->marked & vm->gc_mark_bit))
        return;
    o->marked |= vm->gc_mark_bit;
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
static bool is_unreached(coro_VM *vm, const Value *v)
{
    if (!is_collectable(v))
        return false;
    if (v->tag == TAG_STRING) {
        v->u.gc->marked |= vm->gc_mark_bit;
        return false;
    }
    return !(v->u.gc->marked & (vm->gc_mark_bit | MARK_FIXED));
}

static bool key_unreached(coro_VM *vm, const Node *n)
{
    Value k = { .u = n->key, .tag = n->key_tag };
    return n->key_tag != TAG_DEADKEY && is_unreached(vm, &k);
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
        if (is_unreached(vm, &t->array[i])) {
            coro_gc_mark_value(vm, &t->array[i]);
            marked = true;
        }
    }
    uint32_t n = table_node_count(t);
    for (uint32_t i = 0; i < n; i++) {
        Node *node = &t->nodes[i];
        if (is_nil(&node->val))
            continue;
        if (!key_unreached(vm, node) && is_unreached(vm, &node->val)) {
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

/* ---- write barriers -------------------------------------------------------------- */

void coro_gc_touch(coro_VM *vm, GCObject *o)
{
    o->marked &= (uint8_t)~MARK_BLACK;
    if (o->marked & MARK_TOUCHED)
        return;
    GCObject **link = gclist_of(o);
    if (!link) {
        /* No children to trace later (a string): keep it now. */
        o->marked |= MARK_BLACK;
        return;
    }
    o->marked |= MARK_TOUCHED;
    *link = vm->touched;
    vm->touched = o;
}

void coro_gc_barrier_forward(coro_VM *vm, const Value *v)
{
    if (vm->gc_generational && is_collectable(v) && !(v->u.gc->marked & MARK_BLACK))
        coro_gc_touch(vm, v->u.gc);
}

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
static void clear_weak(coro_VM *vm, GCObject *list, bool keys, bool values)
{
    for (GCObject *o = list; o; o = ((Table *)o)->gclist) {
        Table *t = (Table *)o;
        if (values)
            for (uint32_t i = 0; i < t->array_size; i++)
                if (is_unreached(vm, &t->array[i]))
                    set_nil(&t->array[i]);
        uint32_t n = table_node_count(t);
        for (uint32_t i = 0; i < n; i++) {
            Node *node = &t->nodes[i];
            if (is_nil(&node->val))
                continue;
            if ((keys && key_unreached(vm, node)) || (values && is_unreached(vm, &node->val))) {
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

/* Frees the unmarked objects of list up to (not including) stop; the
 * survivors stay marked in generational mode. */
static void sweep_list(coro_VM *vm, GCObject **list, GCObject *stop)
{
    uint8_t bit = vm->gc_mark_bit;
    /* Survivors: unmarked again (full collections), or marked old. */
    uint8_t set = vm->gc_generational ? MARK_BLACK : 0;
    GCObject **p = list;
    GCObject *o;
    while ((o = *p) != stop) {
        if (o->marked & (bit | MARK_FIXED)) {
            o->marked = (uint8_t)((o->marked & ~(MARK_BLACK | MARK_MAJOR)) | set);
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
    if (vm->old_head == o)
        vm->old_head = o->next;
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
        if (o->marked & vm->gc_mark_bit) {
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

/* Survivors on the finalizer lists, as the sweep leaves those of allgc. */
static void settle_list(coro_VM *vm, GCObject *o, bool young)
{
    uint8_t set = vm->gc_generational && !young ? MARK_BLACK : 0;
    for (; o; o = o->next)
        o->marked = (uint8_t)((o->marked & ~(MARK_BLACK | MARK_MAJOR)) | set);
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
    size_t threshold;
    if (vm->gc_generational) {
        size_t young = vm->gc_minor_budget;
        threshold = live + (young < MIN_THRESHOLD ? MIN_THRESHOLD : young);
    } else {
        threshold = live * 2;
        if (threshold < MIN_THRESHOLD)
            threshold = MIN_THRESHOLD;
    }
    if (vm->memory_limit && threshold > live + (vm->memory_limit - (live < vm->memory_limit ? live : vm->memory_limit)) / 2)
        threshold = live + (vm->memory_limit > live ? (vm->memory_limit - live) / 2 : 0);
    if (vm->gc_stress || vm->gc_stopped == 2)
        threshold = 0;
    vm->gc_threshold = threshold;
}

/* A major collection traces everything: the touched list is moot. */
static void drop_touched(coro_VM *vm)
{
    for (GCObject *o = vm->touched; o; o = *gclist_of(o))
        o->marked &= (uint8_t)~MARK_TOUCHED;
    vm->touched = NULL;
}

/* The old objects given young references, and the running coroutine
 * (its stack has no barrier), are traced again in a minor collection. */
static void mark_touched(coro_VM *vm)
{
    /* (A young running coroutine is reached as a root.) */
    GCObject *cur = (GCObject *)vm->current;
    if ((cur->marked & (MARK_BLACK | MARK_TOUCHED)) == MARK_BLACK)
        coro_gc_touch(vm, cur);
    GCObject *o = vm->touched;
    vm->touched = NULL;
    while (o) {
        GCObject **link = gclist_of(o);
        GCObject *next = *link;
        o->marked = (uint8_t)((o->marked & ~MARK_TOUCHED) | MARK_BLACK);
        *link = vm->gray;
        vm->gray = o;
        o = next;
    }
}

static void collect(coro_VM *vm, bool major)
{
    if (vm->gc_running)
        return;
    vm->gc_running = 1;
    if (!vm->gc_generational)
        major = true;
    size_t before = vm->bytes;
    vm->gray = NULL;
    vm->weak = NULL;
    vm->ephemeron = NULL;
    /* A major collection in generational mode marks with a bit of its own,
     * so that old objects need no unmarking pass first: the sweep turns
     * the bit into "old" on survivors. */
    vm->gc_mark_bit = major && vm->gc_generational ? MARK_MAJOR : MARK_BLACK;
    if (major)
        drop_touched(vm);
    else
        mark_touched(vm);
    mark_roots(vm);
    propagate(vm);
    converge_ephemerons(vm);
    /* Weak values go before finalizers revive anything; weak keys after. */
    clear_weak(vm, vm->weak, false, true);
    separate_unreachable(vm);
    converge_ephemerons(vm);
    clear_weak(vm, vm->ephemeron, true, false);
    clear_weak(vm, vm->weak, true, false);
    sweep_list(vm, &vm->allgc, major ? NULL : vm->old_head);
    vm->old_head = vm->allgc;
    if (major)
        settle_list(vm, vm->finobj, false);
    /* Revived for their finalizers, then young again. */
    settle_list(vm, vm->tobefnz, true);
    vm->gc_mark_bit = MARK_BLACK;
    vm->gc_running = 0;
    if (major) {
        vm->gc_major_base = vm->bytes;
        /* Still building up (the young survived before this major): the
         * next collection may as well be the next major. */
        vm->gc_minor_budget = vm->gc_minor_budget >= vm->gc_major_base / 2
                              ? vm->gc_major_base : vm->gc_major_base / MINOR_DIVISOR;
    } else {
        /* When most of the young survive (a heap being built up), minor
         * collections only promote: space them out, up to the major base,
         * as the young survival rate says. */
        size_t young = before > vm->gc_last_live ? before - vm->gc_last_live : 0;
        size_t freed = before > vm->bytes ? before - vm->bytes : 0;
        if (young > 0 && freed < young / 2) {
            size_t grown = vm->gc_minor_budget * 2;
            vm->gc_minor_budget = grown < vm->gc_major_base ? grown : vm->gc_major_base;
        } else {
            vm->gc_minor_budget = vm->gc_major_base / MINOR_DIVISOR;
        }
    }
    vm->gc_last_live = vm->bytes;
    coro_gc_set_threshold(vm);
}

/* A major collection when the heap has doubled since the last one (and
 * every eighth time under stress), a minor one otherwise. */
static bool major_due(coro_VM *vm)
{
    if (vm->gc_stress)
        return (++vm->gc_stress_count & 7) == 0;
    return vm->bytes > 2 * vm->gc_major_base;
}

void coro_gc_step(coro_VM *vm)
{
    if (vm->gc_stopped == 1) {
        vm->gc_threshold = vm->bytes + MIN_THRESHOLD;
        return;
    }
    collect(vm, major_due(vm));
    if (vm->tobefnz)
        run_finalizers(vm);
}

void coro_gc_full(coro_VM *vm)
{
    collect(vm, true);
    if (vm->tobefnz)
        run_finalizers(vm);
}

void coro_gc_set_generational(coro_VM *vm, bool on)
{
    if (vm->gc_generational == on)
        return;
    if (on) {
        /* A major collection leaves every survivor marked old. */
        vm->gc_generational = 1;
        coro_gc_full(vm);
        return;
    }
    /* Full collections want every object unmarked between them. */
    coro_gc_full(vm);
    drop_touched(vm);
    for (GCObject *o = vm->allgc; o; o = o->next)
        o->marked &= (uint8_t)~MARK_BLACK;
    for (GCObject *o = vm->finobj; o; o = o->next)
        o->marked &= (uint8_t)~MARK_BLACK;
    vm->gc_generational = 0;
    coro_gc_set_threshold(vm);
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
            coro_upval_close(vm, (Coroutine *)o, ((Coroutine *)o)->stack);
    while ((o = vm->allgc) != NULL) {
        vm->allgc = o->next;
        free_object(vm, o);
    }
    while ((o = vm->finobj) != NULL) {
        vm->finobj = o->next;
        free_object(vm, o);
    }
}
