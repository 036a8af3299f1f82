/*
 * ops.c: slow paths of the dispatch loop (see ops.h).
 */
#include <math.h>
#include <string.h>

#include "ops.h"
#include "call.h"
#include "coroutine.h"
#include "debug.h"
#include "func.h"
#include "gc.h"
#include "mem.h"
#include "meta.h"
#include "number.h"
#include "str.h"
#include "table.h"

/* Longest chain of __index/__newindex tables followed. */
#define MAX_TAG_LOOP 2000

bool coro_raw_equal(const Value *a, const Value *b)
{
    if (a->tag != b->tag) {
        if (is_number(a) && is_number(b)) {
            int64_t i1, i2;
            return coro_value_to_int(a, &i1, F2I_EXACT) && coro_value_to_int(b, &i2, F2I_EXACT) &&
                   i1 == i2 && !is_string(a) && !is_string(b);
        }
        return false;
    }
    switch (a->tag) {
    case TAG_NIL: case TAG_FALSE: case TAG_TRUE:
        return true;
    case TAG_INT:
        return a->u.i == b->u.i;
    case TAG_FLOAT:
        return a->u.n == b->u.n;
    case TAG_CFUNC:
        return a->u.f == b->u.f;
    case TAG_STRING:
        return coro_str_equal(as_string(a), as_string(b));
    default:
        return a->u.p == b->u.p;
    }
}

/* ---- indexing --------------------------------------------------------------- */

bool coro_op_index(coro_VM *vm, const Value *t, const Value *key, Value *dst)
{
    for (int loop = 0; loop < MAX_TAG_LOOP; loop++) {
        const Value *tm;
        if (is_table(t)) {
            Table *h = as_table(t);
            const Value *v = is_string(key) && as_string(key)->is_short
                             ? table_get_short(h, as_string(key)) : coro_table_get(h, key);
            if (!is_nil(v)) {
                *dst = *v;
                return false;
            }
            tm = meta_fast_absent(h->metatable, TM_INDEX) ? &coro_absent
                 : coro_meta_get_raw(vm, h->metatable, TM_INDEX);
            if (is_nil(tm)) {
                set_nil(dst);
                return false;
            }
        } else {
            tm = coro_meta_get(vm, t, TM_INDEX);
            if (is_nil(tm))
                coro_debug_type_error(vm, t, "index");
        }
        if (is_function(tm)) {
            coro_call_meta(vm, tm, t, key, NULL, 2, 1, PENDING_FINISH);
            return true;
        }
        t = tm;
    }
    coro_throw_msg(vm, "'__index' chain too long; possible loop");
}

bool coro_op_newindex(coro_VM *vm, const Value *t, const Value *key, const Value *val)
{
    for (int loop = 0; loop < MAX_TAG_LOOP; loop++) {
        const Value *tm;
        if (is_table(t)) {
            Table *h = as_table(t);
            const Value *slot = coro_table_get(h, key);
            if (!is_nil(slot)) {
                *(Value *)slot = *val;
                coro_gc_barrier_back(vm, h, val);
                return false;
            }
            tm = meta_fast_absent(h->metatable, TM_NEWINDEX) ? &coro_absent
                 : coro_meta_get_raw(vm, h->metatable, TM_NEWINDEX);
            if (is_nil(tm)) {
                coro_table_set(vm, h, key, val);
                return false;
            }
        } else {
            tm = coro_meta_get(vm, t, TM_NEWINDEX);
            if (is_nil(tm))
                coro_debug_type_error(vm, t, "index");
        }
        if (is_function(tm)) {
            coro_call_meta(vm, tm, t, key, val, 3, 0, PENDING_FINISH);
            return true;
        }
        t = tm;
    }
    coro_throw_msg(vm, "'__newindex' chain too long; possible loop");
}

/* ---- arithmetic -------------------------------------------------------------- */

static TagMethod arith_event(int op)
{
    if (op == CORO_OPUNM)
        return TM_UNM;
    if (op == CORO_OPBNOT)
        return TM_BNOT;
    return (TagMethod)(TM_ADD + op);
}

static bool is_bitwise(int op)
{
    return op >= CORO_OPBAND && op <= CORO_OPSHR ? true : op == CORO_OPBNOT;
}

bool coro_op_arith(coro_VM *vm, int op, const Value *a, const Value *b, Value *dst)
{
    if (coro_arith_raw(vm, op, a, b, dst))
        return false;
    TagMethod event = arith_event(op);
    const Value *tm = coro_meta_get(vm, a, event);
    if (is_nil(tm))
        tm = coro_meta_get(vm, b, event);
    if (is_nil(tm)) {
        if (is_bitwise(op))
            coro_debug_int_error(vm, a, b);
        coro_debug_arith_error(vm, a, b, "perform arithmetic on");
    }
    coro_call_meta(vm, tm, a, b, NULL, 2, 1, PENDING_FINISH);
    return true;
}

bool coro_op_len(coro_VM *vm, const Value *v, Value *dst)
{
    const Value *tm;
    if (is_table(v)) {
        Table *t = as_table(v);
        tm = meta_fast_absent(t->metatable, TM_LEN) ? &coro_absent
             : coro_meta_get_raw(vm, t->metatable, TM_LEN);
        if (is_nil(tm)) {
            set_int(dst, (int64_t)coro_table_length(t));
            return false;
        }
    } else if (is_string(v)) {
        set_int(dst, (int64_t)str_len(as_string(v)));
        return false;
    } else {
        tm = coro_meta_get(vm, v, TM_LEN);
        if (is_nil(tm))
            coro_debug_type_error(vm, v, "get length of");
    }
    coro_call_meta(vm, tm, v, v, NULL, 2, 1, PENDING_FINISH);
    return true;
}

/* ---- comparison ------------------------------------------------------------ */

static bool lt_int_float(int64_t i, double f)
{
    if (i >= -(INT64_C(1) << 53) && i <= (INT64_C(1) << 53))
        return (double)i < f;
    int64_t fi;
    if (coro_flt_to_int(f, &fi, F2I_CEIL))
        return i < fi;
    return f > 0;
}

static bool le_int_float(int64_t i, double f)
{
    if (i >= -(INT64_C(1) << 53) && i <= (INT64_C(1) << 53))
        return (double)i <= f;
    int64_t fi;
    if (coro_flt_to_int(f, &fi, F2I_FLOOR))
        return i <= fi;
    return f > 0;
}

static bool lt_float_int(double f, int64_t i)
{
    if (i >= -(INT64_C(1) << 53) && i <= (INT64_C(1) << 53))
        return f < (double)i;
    int64_t fi;
    if (coro_flt_to_int(f, &fi, F2I_FLOOR))
        return fi < i;
    return f < 0;
}

static bool le_float_int(double f, int64_t i)
{
    if (i >= -(INT64_C(1) << 53) && i <= (INT64_C(1) << 53))
        return f <= (double)i;
    int64_t fi;
    if (coro_flt_to_int(f, &fi, F2I_CEIL))
        return fi <= i;
    return f < 0;
}

bool coro_less_number(const Value *a, const Value *b)
{
    if (is_int(a)) {
        if (is_int(b))
            return as_int(a) < as_int(b);
        return lt_int_float(as_int(a), as_float(b));
    }
    if (is_float(b))
        return as_float(a) < as_float(b);
    return lt_float_int(as_float(a), as_int(b));
}

bool coro_less_equal_number(const Value *a, const Value *b)
{
    if (is_int(a)) {
        if (is_int(b))
            return as_int(a) <= as_int(b);
        return le_int_float(as_int(a), as_float(b));
    }
    if (is_float(b))
        return as_float(a) <= as_float(b);
    return le_float_int(as_float(a), as_int(b));
}

static int call_order_tm(coro_VM *vm, const Value *a, const Value *b, TagMethod event)
{
    const Value *tm = coro_meta_get(vm, a, event);
    if (is_nil(tm))
        tm = coro_meta_get(vm, b, event);
    if (is_nil(tm))
        coro_debug_order_error(vm, a, b);
    coro_call_meta(vm, tm, a, b, NULL, 2, 1, PENDING_FINISH);
    return -1;
}

int coro_op_less(coro_VM *vm, const Value *a, const Value *b)
{
    if (is_number(a) && is_number(b))
        return coro_less_number(a, b);
    if (is_string(a) && is_string(b))
        return coro_str_compare(as_string(a), as_string(b)) < 0;
    return call_order_tm(vm, a, b, TM_LT);
}

int coro_op_less_equal(coro_VM *vm, const Value *a, const Value *b)
{
    if (is_number(a) && is_number(b))
        return coro_less_equal_number(a, b);
    if (is_string(a) && is_string(b))
        return coro_str_compare(as_string(a), as_string(b)) <= 0;
    return call_order_tm(vm, a, b, TM_LE);
}

int coro_op_equal(coro_VM *vm, const Value *a, const Value *b)
{
    if (coro_raw_equal(a, b))
        return 1;
    if (a->tag != b->tag || (a->tag != TAG_TABLE && a->tag != TAG_USERDATA))
        return 0;
    const Value *tm = coro_meta_get(vm, a, TM_EQ);
    if (is_nil(tm))
        tm = coro_meta_get(vm, b, TM_EQ);
    if (is_nil(tm))
        return 0;
    coro_call_meta(vm, tm, a, b, NULL, 2, 1, PENDING_FINISH);
    return -1;
}

/* ---- concatenation ----------------------------------------------------------- */

bool coro_tostring_inplace(coro_VM *vm, Value *v)
{
    if (is_string(v))
        return true;
    if (!is_number(v))
        return false;
    char buf[NUMBER_BUF];
    int n = coro_number_to_str(v, buf);
    set_string(v, coro_str_new(vm, buf, (size_t)n));
    return true;
}

static bool is_stringy(const Value *v)
{
    return is_string(v) || is_number(v);
}

bool coro_op_concat(coro_VM *vm, Value *first, bool nested)
{
    Coroutine *co = vm->current;
    size_t first_off = stack_offset(co, first);
    for (;;) {
        first = stack_at(co, first_off);
        Value *top = co->top;
        int total = (int)(top - first);
        if (total <= 1)
            return false;
        Value *a = top - 2, *b = top - 1;
        if (!is_stringy(a) || !is_stringy(b)) {
            const Value *tm = coro_meta_get(vm, a, TM_CONCAT);
            if (is_nil(tm))
                tm = coro_meta_get(vm, b, TM_CONCAT);
            if (is_nil(tm))
                coro_debug_concat_error(vm, a, b);
            if (!nested) {
                co_top_frame(co)->aux = total;
                coro_call_meta(vm, tm, a, b, NULL, 2, 1, PENDING_FINISH);
                return true;
            }
            Value args[3] = { *tm, *a, *b };
            size_t top_off = stack_offset(co, top);
            coro_stack_ensure(vm, co, 3);
            Value *func = co->top;
            for (int j = 0; j < 3; j++)
                *co->top++ = args[j];
            coro_call_value(vm, func, 1);
            co = vm->current;
            top = stack_at(co, top_off);
            top[-2] = top[0];
            co->top = top - 1;
            continue;
        }
        /* Join the longest run of strings/numbers ending at the top. */
        int n = 2;
        while (n < total && is_stringy(top - n - 1))
            n++;
        size_t len = 0;
        for (int i = n; i > 0; i--) {
            Value *v = top - i;
            coro_tostring_inplace(vm, v);
            size_t l = str_len(as_string(v));
            if (l >= SIZE_MAX / 2 - len)
                coro_throw_msg(vm, "string length overflow");
            len += l;
        }
        coro_hook_charge_bytes(vm, len);
        String *s;
        if (len <= SHORT_STRING_MAX) {
            char buf[SHORT_STRING_MAX + 1];
            size_t off = 0;
            for (int i = n; i > 0; i--) {
                String *p = as_string(top - i);
                memcpy(buf + off, p->data, str_len(p));
                off += str_len(p);
            }
            s = coro_str_new(vm, buf, len);
        } else {
            s = coro_str_new_long(vm, len);
            size_t off = 0;
            for (int i = n; i > 0; i--) {
                String *p = as_string(top - i);
                memcpy(s->data + off, p->data, str_len(p));
                off += str_len(p);
            }
        }
        set_string(top - n, s);
        co->top = top - n + 1;
    }
}

/* ---- loops ------------------------------------------------------------------ */

/* Converts the limit of an integer loop; returns true to skip the loop. */
static bool for_limit(coro_VM *vm, int64_t init, const Value *lim, int64_t *p, int64_t step)
{
    if (!coro_value_to_int(lim, p, step < 0 ? F2I_CEIL : F2I_FLOOR)) {
        double flim;
        if (!coro_value_to_number(lim, &flim))
            coro_debug_for_error(vm, lim, "limit");
        if (0 < flim) {
            if (step < 0)
                return true;
            *p = INT64_MAX;
        } else {
            if (step > 0)
                return true;
            *p = INT64_MIN;
        }
    }
    return step > 0 ? init > *p : init < *p;
}

bool coro_op_forprep(coro_VM *vm, Value *ra)
{
    Value *pinit = ra, *plimit = ra + 1, *pstep = ra + 2;
    if (is_int(pinit) && is_int(pstep)) {
        int64_t init = as_int(pinit), step = as_int(pstep), limit;
        if (step == 0)
            coro_throw_msg(vm, "'for' step is zero");
        set_int(ra + 3, init);
        if (for_limit(vm, init, plimit, &limit, step))
            return true;
        uint64_t count;
        if (step > 0) {
            count = (uint64_t)limit - (uint64_t)init;
            if (step != 1)
                count /= (uint64_t)step;
        } else {
            count = (uint64_t)init - (uint64_t)limit;
            count /= (uint64_t)(-(step + 1)) + 1u;
        }
        set_int(plimit, (int64_t)count);
        return false;
    }
    double init, limit, step;
    if (!coro_value_to_number(plimit, &limit))
        coro_debug_for_error(vm, plimit, "limit");
    if (!coro_value_to_number(pstep, &step))
        coro_debug_for_error(vm, pstep, "step");
    if (!coro_value_to_number(pinit, &init))
        coro_debug_for_error(vm, pinit, "initial value");
    if (step == 0)
        coro_throw_msg(vm, "'for' step is zero");
    if (step > 0 ? limit < init : init < limit)
        return true;
    set_float(pinit, init);
    set_float(plimit, limit);
    set_float(pstep, step);
    set_float(ra + 3, init);
    return false;
}

/* ---- closing ---------------------------------------------------------------- */

void coro_op_tbc(coro_VM *vm, Value *slot)
{
    if (is_falsy(slot))
        return;     /* false and nil need no closing */
    const Value *tm = coro_meta_get(vm, slot, TM_CLOSE);
    if (is_nil(tm)) {
        Coroutine *co = vm->current;
        Frame *f = co_top_frame(co);
        Proto *p = as_lclosure(f->func)->proto;
        int reg = (int)(slot - (f->func + 1));
        const char *name = coro_proto_local_name(p, reg + 1, (int)(f->u.s.pc - p->code) - 1);
        coro_throw_msg(vm, "variable '%s' got a non-closable value", name ? name : "?");
    }
    coro_tbc_push(vm, vm->current, slot);
}

bool coro_op_close(coro_VM *vm, Value *level)
{
    Coroutine *co = vm->current;
    /* Upvalues close first, then the variables in reverse order. */
    coro_upval_close(vm, co, level);
    Value *slot = coro_tbc_top(co, level);
    if (slot) {
        coro_tbc_pop(co);
        Value v = *slot, nil;
        set_nil(&nil);
        const Value *tm = coro_meta_get(vm, &v, TM_CLOSE);
        Value handler = *tm;
        Frame *f = co_top_frame(co);
        if (co->top < f->top)
            co->top = f->top;
        coro_call_meta(vm, &handler, &v, &nil, NULL, 2, 0, PENDING_CLOSE);
        return true;
    }
    return false;
}

/* ---- closures, lists, varargs ---------------------------------------------------- */

LClosure *coro_op_closure(coro_VM *vm, Proto *p, LClosure *enclosing, Value *base)
{
    LClosure *cl = coro_lclosure_new(vm, p);
    for (int i = 0; i < p->upval_size; i++) {
        UpvalDesc *d = &p->upvals[i];
        if (d->in_stack)
            cl->upvals[i] = coro_upval_find(vm, vm->current, base + d->index);
        else
            cl->upvals[i] = enclosing->upvals[d->index];
    }
    return cl;
}

void coro_op_setlist(coro_VM *vm, Value *ra, int n, unsigned int last)
{
    Table *t = as_table(ra);
    last += (unsigned)n;
    if (last > t->array_size)
        coro_table_reserve_array(vm, t, last);
    for (; n > 0; n--) {
        t->array[last - 1] = ra[n];
        coro_gc_barrier_back(vm, t, &ra[n]);
        last--;
    }
}

void coro_op_varargprep(coro_VM *vm, Frame *f, int nfixed)
{
    Coroutine *co = vm->current;
    int nactual = (int)(co->top - f->func) - 1;
    int nextra = nactual - nfixed;
    Proto *p = as_lclosure(f->func)->proto;
    size_t foff = stack_offset(co, f->func);
    coro_stack_reserve(vm, co, foff + (size_t)nactual + 2 + p->max_stack + STACK_EXTRA);
    f = co_top_frame(co);
    Value *func = f->func;
    Value *top = co->top;
    *top++ = *func;
    for (int i = 1; i <= nfixed; i++) {
        *top++ = func[i];
        set_nil(&func[i]);
    }
    f->func += nactual + 1;
    f->top += nactual + 1;
    f->u.s.vararg_shift = nactual + 1;
    f->u.s.extra_args = nextra;
    co->top = top;
}

void coro_op_vararg(coro_VM *vm, Frame *f, Value *ra, int wanted)
{
    Coroutine *co = vm->current;
    int nextra = f->u.s.extra_args;
    if (wanted < 0) {
        wanted = nextra;
        size_t off = stack_offset(co, ra);
        coro_stack_reserve(vm, co, off + (size_t)nextra + STACK_EXTRA);
        f = co_top_frame(co);
        ra = stack_at(co, off);
        co->top = ra + nextra;
    }
    Value *src = f->func - nextra;
    int i = 0;
    for (; i < wanted && i < nextra; i++)
        ra[i] = src[i];
    for (; i < wanted; i++)
        set_nil(&ra[i]);
}
