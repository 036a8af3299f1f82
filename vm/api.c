/*
 * api.c: the public C API (include/coro.h): the stack, values, tables,
 * calls and coroutines.
 */
#include <stdio.h>
#include <string.h>

#include "coro.h"
#include "api.h"
#include "call.h"
#include "codegen.h"
#include "coroutine.h"
#include "debug.h"
#include "func.h"
#include "gc.h"
#include "mem.h"
#include "meta.h"
#include "number.h"
#include "ops.h"
#include "str.h"
#include "table.h"

/* ---- slots ---------------------------------------------------------------- */

Frame *coro_api_frame(coro_VM *vm)
{
    return co_top_frame(vm->current);
}

Value *coro_api_slot(coro_VM *vm, int idx)
{
    Coroutine *co = vm->current;
    Frame *f = co_top_frame(co);
    if (idx > 0) {
        Value *o = f->func + idx;
        return o < co->top ? o : &vm->none;
    }
    if (idx > CORO_REGISTRYINDEX) {
        if (-idx > co->top - (f->func + 1))
            return &vm->none;
        return co->top + idx;
    }
    if (idx == CORO_REGISTRYINDEX) {
        set_table(&vm->registry_value, vm->registry);
        return &vm->registry_value;
    }
    /* An upvalue of the running C closure. */
    int n = CORO_REGISTRYINDEX - idx;
    if (f->func->tag == TAG_CCLOSURE) {
        CClosure *cl = as_cclosure(f->func);
        if (n <= cl->nupvals)
            return &cl->upvals[n - 1];
    }
    return &vm->none;
}

void coro_api_push(coro_VM *vm, const Value *v)
{
    Coroutine *co = vm->current;
    if (co->top >= co->stack_end) {
        Value copy = *v;
        coro_stack_ensure(vm, co, CORO_MINSTACK);
        *co->top++ = copy;
        return;
    }
    *co->top++ = *v;
}

static void push_gc(coro_VM *vm, void *o, uint8_t tag)
{
    Value v;
    set_gc(&v, o, tag);
    coro_api_push(vm, &v);
}

int coro_api_request(coro_VM *vm, int kind, int nargs, int nresults, int msgh,
                     coro_KContext ctx, coro_KFunction k)
{
    vm->req.kind = (uint8_t)kind;
    vm->req.protected_call = 0;
    vm->req.nargs = nargs;
    vm->req.nresults = nresults;
    vm->req.msgh = msgh;
    vm->req.k = k;
    vm->req.ctx = ctx;
    return CORO_REQUEST;
}

/* ---- the stack ------------------------------------------------------------- */

int coro_absindex(coro_VM *vm, int idx)
{
    if (idx > 0 || idx <= CORO_REGISTRYINDEX)
        return idx;
    Coroutine *co = vm->current;
    return (int)(co->top - co_top_frame(co)->func) + idx;
}

int coro_gettop(coro_VM *vm)
{
    Coroutine *co = vm->current;
    return (int)(co->top - (co_top_frame(co)->func + 1));
}

void coro_settop(coro_VM *vm, int idx)
{
    Coroutine *co = vm->current;
    Frame *f = co_top_frame(co);
    Value *newtop;
    if (idx >= 0) {
        newtop = f->func + 1 + idx;
        if (newtop > co->top) {
            size_t off = stack_offset(co, newtop);
            coro_stack_reserve(vm, co, off + CORO_MINSTACK);
            f = co_top_frame(co);
            newtop = stack_at(co, off);
            while (co->top < newtop)
                set_nil(co->top++);
        }
    } else {
        newtop = co->top + idx + 1;
        if (newtop < f->func + 1)
            newtop = f->func + 1;
    }
    co->top = newtop;
}

void coro_pushvalue(coro_VM *vm, int idx)
{
    Value v = *coro_api_slot(vm, idx);
    coro_api_push(vm, &v);
}

static void reverse(Value *from, Value *to)
{
    for (; from < to; from++, to--) {
        Value t = *from;
        *from = *to;
        *to = t;
    }
}

void coro_rotate(coro_VM *vm, int idx, int n)
{
    Value *t = vm->current->top - 1;
    Value *p = coro_api_slot(vm, idx);
    if (coro_api_isnone(vm, p))
        return;
    Value *m = n >= 0 ? t - n : p - n - 1;
    reverse(p, m);
    reverse(m + 1, t);
    reverse(p, t);
}

void coro_copy(coro_VM *vm, int fromidx, int toidx)
{
    Value *to = coro_api_slot(vm, toidx);
    if (!coro_api_isnone(vm, to)) {
        *to = *coro_api_slot(vm, fromidx);
        /* An upvalue of the running C closure: an old closure must see it. */
        if (toidx < CORO_REGISTRYINDEX)
            coro_gc_barrier_back(vm, co_top_frame(vm->current)->func->u.gc, to);
    }
}

int coro_checkstack(coro_VM *vm, int n)
{
    Coroutine *co = vm->current;
    if (n < 0)
        return 0;
    /* First: a stack grown to its limit has spare room for error handling
     * that a request must not be granted. */
    if (stack_offset(co, co->top) + (size_t)n > MAX_STACK_SLOTS)
        return 0;
    if (co->stack_end - co->top >= n + STACK_EXTRA) {
        Frame *f = co_top_frame(co);
        if (f->top < co->top + n)
            f->top = co->top + n;
        return 1;
    }
    coro_stack_ensure(vm, co, n + STACK_EXTRA);
    Frame *f = co_top_frame(co);
    if (f->top < co->top + n)
        f->top = co->top + n;
    return 1;
}

void coro_pop(coro_VM *vm, int n)
{
    coro_settop(vm, -n - 1);
}

void coro_insert(coro_VM *vm, int idx)
{
    coro_rotate(vm, idx, 1);
}

void coro_remove(coro_VM *vm, int idx)
{
    coro_rotate(vm, idx, -1);
    coro_pop(vm, 1);
}

void coro_replace(coro_VM *vm, int idx)
{
    coro_copy(vm, -1, idx);
    coro_pop(vm, 1);
}

/* ---- reading values ----------------------------------------------------------- */

int coro_type(coro_VM *vm, int idx)
{
    Value *v = coro_api_slot(vm, idx);
    return coro_api_isnone(vm, v) ? CORO_TNONE : basic_type(v);
}

const char *coro_typename(coro_VM *vm, int type)
{
    (void)vm;
    if (type < CORO_TNONE || type > CORO_TTHREAD)
        return "?";
    return coro_basic_type_name(type);
}

int coro_isnumber(coro_VM *vm, int idx)
{
    double d;
    return coro_value_to_number(coro_api_slot(vm, idx), &d);
}

int coro_isstring(coro_VM *vm, int idx)
{
    Value *v = coro_api_slot(vm, idx);
    return is_string(v) || is_number(v);
}

int coro_isinteger(coro_VM *vm, int idx)
{
    return is_int(coro_api_slot(vm, idx));
}

int coro_iscfunction(coro_VM *vm, int idx)
{
    Value *v = coro_api_slot(vm, idx);
    return v->tag == TAG_CFUNC || v->tag == TAG_CCLOSURE;
}

int coro_isuserdata(coro_VM *vm, int idx)
{
    Value *v = coro_api_slot(vm, idx);
    return v->tag == TAG_USERDATA || v->tag == TAG_LIGHTUD;
}

int coro_isnil(coro_VM *vm, int idx)
{
    return coro_type(vm, idx) == CORO_TNIL;
}

int coro_isnone(coro_VM *vm, int idx)
{
    return coro_type(vm, idx) == CORO_TNONE;
}

int coro_isnoneornil(coro_VM *vm, int idx)
{
    return coro_type(vm, idx) <= CORO_TNIL;
}

coro_Number coro_tonumberx(coro_VM *vm, int idx, int *isnum)
{
    double d = 0;
    int ok = coro_value_to_number(coro_api_slot(vm, idx), &d);
    if (isnum)
        *isnum = ok;
    return ok ? d : 0;
}

coro_Integer coro_tointegerx(coro_VM *vm, int idx, int *isnum)
{
    int64_t i = 0;
    int ok = coro_value_to_int(coro_api_slot(vm, idx), &i, F2I_EXACT);
    if (isnum)
        *isnum = ok;
    return ok ? i : 0;
}

coro_Number coro_tonumber(coro_VM *vm, int idx)
{
    return coro_tonumberx(vm, idx, NULL);
}

coro_Integer coro_tointeger(coro_VM *vm, int idx)
{
    return coro_tointegerx(vm, idx, NULL);
}

int coro_toboolean(coro_VM *vm, int idx)
{
    return !is_falsy(coro_api_slot(vm, idx));
}

const char *coro_tolstring(coro_VM *vm, int idx, size_t *len)
{
    Value *v = coro_api_slot(vm, idx);
    if (!is_string(v)) {
        if (!is_number(v)) {
            if (len)
                *len = 0;
            return NULL;
        }
        size_t off = stack_offset(vm->current, v);
        bool on_stack = v >= vm->current->stack && v < vm->current->stack_end;
        coro_tostring_inplace(vm, v);
        coro_gc_check(vm);
        if (on_stack)
            v = stack_at(vm->current, off);
    }
    if (len)
        *len = str_len(as_string(v));
    return as_string(v)->data;
}

const char *coro_tostring(coro_VM *vm, int idx)
{
    return coro_tolstring(vm, idx, NULL);
}

coro_CFunction coro_tocfunction(coro_VM *vm, int idx)
{
    Value *v = coro_api_slot(vm, idx);
    if (v->tag == TAG_CFUNC)
        return v->u.f;
    if (v->tag == TAG_CCLOSURE)
        return as_cclosure(v)->fn;
    return NULL;
}

void *coro_touserdata(coro_VM *vm, int idx)
{
    Value *v = coro_api_slot(vm, idx);
    if (v->tag == TAG_USERDATA)
        return userdata_block(as_userdata(v));
    if (v->tag == TAG_LIGHTUD)
        return v->u.p;
    return NULL;
}

const void *coro_topointer(coro_VM *vm, int idx)
{
    Value *v = coro_api_slot(vm, idx);
    switch (v->tag) {
    case TAG_USERDATA:
        return userdata_block(as_userdata(v));
    case TAG_LIGHTUD:
        return v->u.p;
    case TAG_CFUNC:
        return (const void *)(uintptr_t)v->u.f;
    default:
        return is_collectable(v) ? (const void *)v->u.gc : NULL;
    }
}

coro_Unsigned coro_rawlen(coro_VM *vm, int idx)
{
    Value *v = coro_api_slot(vm, idx);
    switch (v->tag) {
    case TAG_STRING: return str_len(as_string(v));
    case TAG_TABLE: return coro_table_length(as_table(v));
    case TAG_USERDATA: return as_userdata(v)->size;
    default: return 0;
    }
}

/* ---- arithmetic, comparison, concatenation ------------------------------------------ */

/* Runs an operation that may call a metamethod, to completion: the
 * metamethod runs as a nested call whose result lands at dst. */
static void call_binary_tm(coro_VM *vm, const Value *tm, const Value *a, const Value *b, int nres)
{
    Coroutine *co = vm->current;
    Value args[3] = { *tm, *a, *b };
    coro_stack_ensure(vm, co, 3);
    Value *func = co->top;
    for (int i = 0; i < 3; i++)
        *co->top++ = args[i];
    coro_call_value(vm, func, nres);
}

void coro_arith(coro_VM *vm, int op)
{
    Coroutine *co = vm->current;
    if (op == CORO_OPUNM || op == CORO_OPBNOT) {
        Value v = co->top[-1];
        coro_api_push(vm, &v);
    }
    Value a = co->top[-2], b = co->top[-1];
    co->top -= 2;
    Value res;
    if (coro_arith_raw(vm, op, &a, &b, &res)) {
        coro_api_push(vm, &res);
        return;
    }
    TagMethod event = op == CORO_OPUNM ? TM_UNM : op == CORO_OPBNOT ? TM_BNOT : (TagMethod)(TM_ADD + op);
    const Value *tm = coro_meta_get(vm, &a, event);
    if (is_nil(tm))
        tm = coro_meta_get(vm, &b, event);
    if (is_nil(tm)) {
        if (op >= CORO_OPBAND && op != CORO_OPUNM)
            coro_debug_int_error(vm, &a, &b);
        coro_debug_arith_error(vm, &a, &b, "perform arithmetic on");
    }
    call_binary_tm(vm, tm, &a, &b, 1);
}

int coro_rawequal(coro_VM *vm, int idx1, int idx2)
{
    Value *a = coro_api_slot(vm, idx1), *b = coro_api_slot(vm, idx2);
    if (coro_api_isnone(vm, a) || coro_api_isnone(vm, b))
        return 0;
    return coro_raw_equal(a, b);
}

int coro_compare(coro_VM *vm, int idx1, int idx2, int op)
{
    Value a = *coro_api_slot(vm, idx1), b = *coro_api_slot(vm, idx2);
    if (coro_api_isnone(vm, coro_api_slot(vm, idx1)) || coro_api_isnone(vm, coro_api_slot(vm, idx2)))
        return 0;
    TagMethod event;
    switch (op) {
    case CORO_OPEQ:
        if (coro_raw_equal(&a, &b))
            return 1;
        if (a.tag != b.tag || (a.tag != TAG_TABLE && a.tag != TAG_USERDATA))
            return 0;
        event = TM_EQ;
        break;
    case CORO_OPLT:
        if (is_number(&a) && is_number(&b))
            return coro_less_number(&a, &b);
        if (is_string(&a) && is_string(&b))
            return coro_str_compare(as_string(&a), as_string(&b)) < 0;
        event = TM_LT;
        break;
    default:
        if (is_number(&a) && is_number(&b))
            return coro_less_equal_number(&a, &b);
        if (is_string(&a) && is_string(&b))
            return coro_str_compare(as_string(&a), as_string(&b)) <= 0;
        event = TM_LE;
        break;
    }
    const Value *tm = coro_meta_get(vm, &a, event);
    if (is_nil(tm))
        tm = coro_meta_get(vm, &b, event);
    if (is_nil(tm)) {
        if (op == CORO_OPEQ)
            return 0;
        coro_debug_order_error(vm, &a, &b);
    }
    call_binary_tm(vm, tm, &a, &b, 1);
    Coroutine *co = vm->current;
    int res = !is_falsy(co->top - 1);
    co->top--;
    return res;
}

void coro_concat(coro_VM *vm, int n)
{
    Coroutine *co = vm->current;
    if (n == 0) {
        push_gc(vm, coro_str_new(vm, "", 0), TAG_STRING);
        return;
    }
    if (n == 1)
        return;
    coro_op_concat(vm, co->top - n, true);
    coro_gc_check(vm);
}

void coro_len(coro_VM *vm, int idx)
{
    Value v = *coro_api_slot(vm, idx);
    if (is_string(&v)) {
        Value r;
        set_int(&r, (int64_t)str_len(as_string(&v)));
        coro_api_push(vm, &r);
        return;
    }
    const Value *tm = coro_meta_get(vm, &v, TM_LEN);
    if (is_table(&v) && is_nil(tm)) {
        Value r;
        set_int(&r, (int64_t)coro_table_length(as_table(&v)));
        coro_api_push(vm, &r);
        return;
    }
    if (is_nil(tm))
        coro_debug_type_error(vm, &v, "get length of");
    call_binary_tm(vm, tm, &v, &v, 1);
}

size_t coro_stringtonumber(coro_VM *vm, const char *s)
{
    Value v;
    size_t n = coro_str_to_number(s, strlen(s), &v);
    if (n)
        coro_api_push(vm, &v);
    return n;
}

/* ---- pushing ----------------------------------------------------------------------- */

void coro_pushnil(coro_VM *vm)
{
    Value v;
    set_nil(&v);
    coro_api_push(vm, &v);
}

void coro_pushnumber(coro_VM *vm, coro_Number n)
{
    Value v;
    set_float(&v, n);
    coro_api_push(vm, &v);
}

void coro_pushinteger(coro_VM *vm, coro_Integer n)
{
    Value v;
    set_int(&v, n);
    coro_api_push(vm, &v);
}

const char *coro_pushlstring(coro_VM *vm, const char *s, size_t len)
{
    String *str = coro_str_new(vm, len ? s : "", len);
    push_gc(vm, str, TAG_STRING);
    coro_gc_check(vm);
    return str->data;
}

const char *coro_pushstring(coro_VM *vm, const char *s)
{
    if (!s) {
        coro_pushnil(vm);
        return NULL;
    }
    return coro_pushlstring(vm, s, strlen(s));
}

const char *coro_pushvfstring(coro_VM *vm, const char *fmt, va_list ap)
{
    coro_Buffer b;
    coro_buffinit(vm, &b);
    const char *e;
    while ((e = strchr(fmt, '%')) != NULL) {
        coro_addlstring(&b, fmt, (size_t)(e - fmt));
        char buf[64];
        switch (e[1]) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            coro_addstring(&b, s ? s : "(null)");
            break;
        }
        case 'c':
            coro_addchar(&b, (char)va_arg(ap, int));
            break;
        case 'd':
            snprintf(buf, sizeof buf, "%d", va_arg(ap, int));
            coro_addstring(&b, buf);
            break;
        case 'I':
            snprintf(buf, sizeof buf, "%lld", (long long)va_arg(ap, coro_Integer));
            coro_addstring(&b, buf);
            break;
        case 'f': {
            Value v;
            set_float(&v, va_arg(ap, double));
            coro_number_to_str(&v, buf);
            coro_addstring(&b, buf);
            break;
        }
        case 'p':
            snprintf(buf, sizeof buf, "%p", va_arg(ap, void *));
            coro_addstring(&b, buf);
            break;
        case 'U': {
            unsigned long x = (unsigned long)va_arg(ap, long);
            char u[8];
            int n = 0;
            if (x < 0x80) {
                u[n++] = (char)x;
            } else {
                char tmp[8];
                int m = 0;
                unsigned long mfb = 0x3f;
                do {
                    tmp[m++] = (char)(0x80 | (x & 0x3f));
                    x >>= 6;
                    mfb >>= 1;
                } while (x > mfb);
                tmp[m++] = (char)((~mfb << 1) | x);
                while (m > 0)
                    u[n++] = tmp[--m];
            }
            coro_addlstring(&b, u, (size_t)n);
            break;
        }
        case '%':
            coro_addchar(&b, '%');
            break;
        default:
            coro_addchar(&b, '%');
            coro_addchar(&b, e[1]);
            break;
        }
        fmt = e + 2;
    }
    coro_addstring(&b, fmt);
    coro_pushresult(&b);
    return coro_tostring(vm, -1);
}

const char *coro_pushfstring(coro_VM *vm, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *s = coro_pushvfstring(vm, fmt, ap);
    va_end(ap);
    return s;
}

void coro_pushcclosure(coro_VM *vm, coro_CFunction fn, int n)
{
    if (n == 0) {
        Value v;
        set_cfunc(&v, fn);
        coro_api_push(vm, &v);
        return;
    }
    CClosure *cl = coro_cclosure_new(vm, fn, n);
    Coroutine *co = vm->current;
    for (int i = 0; i < n; i++)
        cl->upvals[i] = co->top[i - n];
    co->top -= n;
    push_gc(vm, cl, TAG_CCLOSURE);
    coro_gc_check(vm);
}

void coro_pushcfunction(coro_VM *vm, coro_CFunction fn)
{
    coro_pushcclosure(vm, fn, 0);
}

void coro_pushboolean(coro_VM *vm, int b)
{
    Value v;
    set_bool(&v, b);
    coro_api_push(vm, &v);
}

void coro_pushlightuserdata(coro_VM *vm, void *p)
{
    Value v;
    set_lightud(&v, p);
    coro_api_push(vm, &v);
}

void coro_pushglobaltable(coro_VM *vm)
{
    push_gc(vm, vm->globals, TAG_TABLE);
}

int coro_pushthread(coro_VM *vm)
{
    push_gc(vm, vm->current, TAG_COROUTINE);
    return vm->current == vm->main_co;
}

/* ---- tables ----------------------------------------------------------------------- */

/* t[key] with metamethods, run to completion; result pushed. */
static int get_and_push(coro_VM *vm, const Value *t, const Value *key)
{
    Value tv = *t, kv = *key;
    if (is_table(&tv)) {
        const Value *v = coro_table_get(as_table(&tv), &kv);
        if (!is_nil(v) || meta_fast_absent(as_table(&tv)->metatable, TM_INDEX) ||
            is_nil(coro_meta_get_raw(vm, as_table(&tv)->metatable, TM_INDEX))) {
            coro_api_push(vm, v);
            return basic_type(v);
        }
    }
    /* Follow __index; a function handler runs as a nested call. */
    for (int loop = 0; loop < 2000; loop++) {
        const Value *tm;
        if (is_table(&tv)) {
            const Value *v = coro_table_get(as_table(&tv), &kv);
            if (!is_nil(v)) {
                coro_api_push(vm, v);
                return basic_type(v);
            }
            tm = coro_meta_get_raw(vm, as_table(&tv)->metatable, TM_INDEX);
            if (is_nil(tm)) {
                coro_pushnil(vm);
                return CORO_TNIL;
            }
        } else {
            tm = coro_meta_get(vm, &tv, TM_INDEX);
            if (is_nil(tm))
                coro_debug_type_error(vm, &tv, "index");
        }
        if (is_function(tm)) {
            call_binary_tm(vm, tm, &tv, &kv, 1);
            return coro_type(vm, -1);
        }
        tv = *tm;
    }
    coro_throw_msg(vm, "'__index' chain too long; possible loop");
}

static void set_with_meta(coro_VM *vm, const Value *t, const Value *key, const Value *val)
{
    Value tv = *t, kv = *key, vv = *val;
    for (int loop = 0; loop < 2000; loop++) {
        const Value *tm;
        if (is_table(&tv)) {
            Table *h = as_table(&tv);
            const Value *slot = coro_table_get(h, &kv);
            if (!is_nil(slot)) {
                *(Value *)slot = vv;
                coro_gc_barrier_back(vm, h, &vv);
                return;
            }
            tm = coro_meta_get_raw(vm, h->metatable, TM_NEWINDEX);
            if (is_nil(tm)) {
                coro_table_set(vm, h, &kv, &vv);
                return;
            }
        } else {
            tm = coro_meta_get(vm, &tv, TM_NEWINDEX);
            if (is_nil(tm))
                coro_debug_type_error(vm, &tv, "index");
        }
        if (is_function(tm)) {
            Coroutine *co = vm->current;
            Value args[4] = { *tm, tv, kv, vv };
            coro_stack_ensure(vm, co, 4);
            Value *func = co->top;
            for (int i = 0; i < 4; i++)
                *co->top++ = args[i];
            coro_call_value(vm, func, 0);
            return;
        }
        tv = *tm;
    }
    coro_throw_msg(vm, "'__newindex' chain too long; possible loop");
}

static Value string_key(coro_VM *vm, const char *k)
{
    Value v;
    set_string(&v, coro_str_newc(vm, k));
    return v;
}

int coro_getglobal(coro_VM *vm, const char *name)
{
    Value g, key = string_key(vm, name);
    set_table(&g, vm->globals);
    return get_and_push(vm, &g, &key);
}

int coro_gettable(coro_VM *vm, int idx)
{
    Value t = *coro_api_slot(vm, idx);
    Coroutine *co = vm->current;
    Value key = co->top[-1];
    co->top--;
    return get_and_push(vm, &t, &key);
}

int coro_getfield(coro_VM *vm, int idx, const char *k)
{
    Value t = *coro_api_slot(vm, idx);
    Value key = string_key(vm, k);
    return get_and_push(vm, &t, &key);
}

int coro_geti(coro_VM *vm, int idx, coro_Integer i)
{
    Value t = *coro_api_slot(vm, idx);
    Value key;
    set_int(&key, i);
    return get_and_push(vm, &t, &key);
}

static Table *table_at(coro_VM *vm, int idx)
{
    Value *t = coro_api_slot(vm, idx);
    if (!is_table(t))
        coro_throw_msg(vm, "table expected");
    return as_table(t);
}

int coro_rawget(coro_VM *vm, int idx)
{
    Table *t = table_at(vm, idx);
    Coroutine *co = vm->current;
    const Value *v = coro_table_get(t, co->top - 1);
    co->top[-1] = *v;
    return basic_type(v);
}

int coro_rawgeti(coro_VM *vm, int idx, coro_Integer i)
{
    const Value *v = coro_table_get_int(table_at(vm, idx), i);
    coro_api_push(vm, v);
    return basic_type(v);
}

int coro_rawgetp(coro_VM *vm, int idx, const void *p)
{
    Value key;
    set_lightud(&key, (void *)p);
    const Value *v = coro_table_get(table_at(vm, idx), &key);
    coro_api_push(vm, v);
    return basic_type(v);
}

void coro_createtable(coro_VM *vm, int narr, int nrec)
{
    Table *t = coro_table_new(vm, narr > 0 ? (uint32_t)narr : 0, nrec > 0 ? (uint32_t)nrec : 0);
    push_gc(vm, t, TAG_TABLE);
    coro_gc_check(vm);
}

void coro_newtable(coro_VM *vm)
{
    coro_createtable(vm, 0, 0);
}

void *coro_newuserdatauv(coro_VM *vm, size_t size, int nuvalue)
{
    if (size > SIZE_MAX / 2 || nuvalue < 0 || nuvalue > UINT16_MAX)
        coro_mem_error(vm);
    Userdata *u = coro_gc_new(vm, userdata_block_offset(nuvalue) + size, TAG_USERDATA);
    u->nuvalue = (uint16_t)nuvalue;
    u->metatable = NULL;
    u->size = size;
    u->gclist = NULL;
    for (int i = 0; i < nuvalue; i++)
        set_nil(&u->uv[i]);
    memset(userdata_block(u), 0, size);
    push_gc(vm, u, TAG_USERDATA);
    coro_gc_check(vm);
    return userdata_block(u);
}

void *coro_newuserdata(coro_VM *vm, size_t size)
{
    return coro_newuserdatauv(vm, size, 1);
}

int coro_getiuservalue(coro_VM *vm, int idx, int n)
{
    Value *v = coro_api_slot(vm, idx);
    if (!is_userdata(v) || n < 1 || n > as_userdata(v)->nuvalue) {
        coro_pushnil(vm);
        return CORO_TNONE;
    }
    Value uv = as_userdata(v)->uv[n - 1];
    coro_api_push(vm, &uv);
    return basic_type(&uv);
}

int coro_setiuservalue(coro_VM *vm, int idx, int n)
{
    Value *v = coro_api_slot(vm, idx);
    Coroutine *co = vm->current;
    int ok = is_userdata(v) && n >= 1 && n <= as_userdata(v)->nuvalue;
    if (ok) {
        as_userdata(v)->uv[n - 1] = co->top[-1];
        coro_gc_barrier_back(vm, as_userdata(v), &co->top[-1]);
    }
    co->top--;
    return ok;
}

int coro_getmetatable(coro_VM *vm, int idx)
{
    Table *mt = coro_meta_table_of(vm, coro_api_slot(vm, idx));
    if (!mt)
        return 0;
    push_gc(vm, mt, TAG_TABLE);
    return 1;
}

void coro_setglobal(coro_VM *vm, const char *name)
{
    Value g, key = string_key(vm, name);
    set_table(&g, vm->globals);
    Coroutine *co = vm->current;
    Value val = co->top[-1];
    set_with_meta(vm, &g, &key, &val);
    co = vm->current;
    co->top--;
}

void coro_settable(coro_VM *vm, int idx)
{
    Value t = *coro_api_slot(vm, idx);
    Coroutine *co = vm->current;
    Value key = co->top[-2], val = co->top[-1];
    set_with_meta(vm, &t, &key, &val);
    co = vm->current;
    co->top -= 2;
}

void coro_setfield(coro_VM *vm, int idx, const char *k)
{
    Value t = *coro_api_slot(vm, idx);
    Value key = string_key(vm, k);
    Coroutine *co = vm->current;
    Value val = co->top[-1];
    set_with_meta(vm, &t, &key, &val);
    co = vm->current;
    co->top--;
}

void coro_seti(coro_VM *vm, int idx, coro_Integer i)
{
    Value t = *coro_api_slot(vm, idx);
    Value key;
    set_int(&key, i);
    Coroutine *co = vm->current;
    Value val = co->top[-1];
    set_with_meta(vm, &t, &key, &val);
    co = vm->current;
    co->top--;
}

void coro_rawset(coro_VM *vm, int idx)
{
    Table *t = table_at(vm, idx);
    Coroutine *co = vm->current;
    coro_table_set(vm, t, co->top - 2, co->top - 1);
    t->absent_tm = 0;
    co->top -= 2;
}

void coro_rawseti(coro_VM *vm, int idx, coro_Integer i)
{
    Table *t = table_at(vm, idx);
    Coroutine *co = vm->current;
    coro_table_set_int(vm, t, i, co->top - 1);
    co->top--;
}

void coro_rawsetp(coro_VM *vm, int idx, const void *p)
{
    Table *t = table_at(vm, idx);
    Value key;
    set_lightud(&key, (void *)p);
    Coroutine *co = vm->current;
    coro_table_set(vm, t, &key, co->top - 1);
    co->top--;
}

void coro_setmetatable(coro_VM *vm, int idx)
{
    Value *obj = coro_api_slot(vm, idx);
    Coroutine *co = vm->current;
    Value *mtv = co->top - 1;
    Table *mt = is_nil(mtv) ? NULL : as_table(mtv);
    switch (obj->tag) {
    case TAG_TABLE:
        as_table(obj)->metatable = mt;
        coro_gc_barrier_back(vm, as_table(obj), mtv);
        if (mt)
            coro_gc_check_finalizer(vm, obj->u.gc, mt);
        break;
    case TAG_USERDATA:
        as_userdata(obj)->metatable = mt;
        coro_gc_barrier_back(vm, as_userdata(obj), mtv);
        if (mt)
            coro_gc_check_finalizer(vm, obj->u.gc, mt);
        break;
    default:
        vm->type_metatables[basic_type(obj)] = mt;
        break;
    }
    co->top--;
}

int coro_next(coro_VM *vm, int idx)
{
    Table *t = table_at(vm, idx);
    Coroutine *co = vm->current;
    Value key = co->top[-1], val;
    if (coro_table_next(vm, t, &key, &val)) {
        co->top[-1] = key;
        coro_api_push(vm, &val);
        return 1;
    }
    co->top--;
    return 0;
}

/* ---- calls ---------------------------------------------------------------------------- */

void coro_call(coro_VM *vm, int nargs, int nresults)
{
    Coroutine *co = vm->current;
    coro_call_value(vm, co->top - (nargs + 1), nresults);
}

/* After a memory error the garbage that ran the VM out of memory is still
 * there; collect it now, while everything live is rooted, rather than let
 * it fail the host's next call. */
static void collect_after_memory_error(coro_VM *vm, int status)
{
    if (status == CORO_ERRMEM) {
        coro_gc_full(vm);
        coro_co_shrink_running(vm, vm->current);
    }
}

static int pcall_trampoline_k(coro_VM *vm, int status, coro_KContext ctx)
{
    *(int *)ctx = status;
    coro_remove(vm, 1);     /* our copy of the handler */
    return coro_gettop(vm);
}

static int pcall_trampoline(coro_VM *vm)
{
    int nargs = coro_gettop(vm) - 3;
    coro_KContext status_ptr = (coro_KContext)coro_touserdata(vm, 1);
    coro_remove(vm, 1);
    return coro_pcallk(vm, nargs, CORO_MULTRET, 1, status_ptr, pcall_trampoline_k);
}

int coro_pcall(coro_VM *vm, int nargs, int nresults, int msgh)
{
    Coroutine *co = vm->current;
    if (msgh == 0) {
        Value *func = co->top - (nargs + 1);
        size_t off = stack_offset(co, func);
        int status = coro_pcall_value(vm, func, nresults);
        if (status != CORO_OK) {
            co = vm->current;
            co->top = stack_at(co, off) + 1;
            collect_after_memory_error(vm, status);
        }
        return status;
    }
    /* With a handler: [trampoline, &status, handler, f, args...] */
    int status = CORO_OK;
    Value handler = *coro_api_slot(vm, msgh);
    int fidx = coro_gettop(vm) - nargs;
    coro_checkstack(vm, 3);
    coro_pushcfunction(vm, pcall_trampoline);
    coro_insert(vm, fidx);
    coro_pushlightuserdata(vm, &status);
    coro_insert(vm, fidx + 1);
    coro_api_push(vm, &handler);
    coro_insert(vm, fidx + 2);
    co = vm->current;
    Value *func = co_top_frame(co)->func + fidx;
    size_t off = stack_offset(co, func);
    /* All results, then adjusted here: on an error the one value left is
     * the handler's result, whatever nresults says. */
    int rs = coro_pcall_value(vm, func, CORO_MULTRET);
    co = vm->current;
    if (rs != CORO_OK || status != CORO_OK) {
        co->top = stack_at(co, off) + 1;
        collect_after_memory_error(vm, rs != CORO_OK ? rs : status);
        return rs != CORO_OK ? rs : status;
    }
    if (nresults != CORO_MULTRET) {
        int got = (int)(co->top - stack_at(co, off));
        if (got < nresults)
            coro_stack_ensure(vm, co, nresults - got);
        Value *want = stack_at(co, off) + nresults;
        while (co->top < want)
            set_nil(co->top++);
        co->top = want;
    }
    return status;
}

int coro_callk(coro_VM *vm, int nargs, int nresults, coro_KContext ctx, coro_KFunction k)
{
    return coro_api_request(vm, REQ_CALL, nargs, nresults, 0, ctx, k);
}

int coro_pcallk(coro_VM *vm, int nargs, int nresults, int msgh, coro_KContext ctx, coro_KFunction k)
{
    if (!k)
        coro_throw_msg(vm, "coro_pcallk needs a continuation");
    int r = coro_api_request(vm, REQ_CALL, nargs, nresults, msgh ? coro_absindex(vm, msgh) : 0, ctx, k);
    vm->req.protected_call = 1;
    return r;
}

int coro_error(coro_VM *vm)
{
    Coroutine *co = vm->current;
    Value err = co->top[-1];
    coro_throw_value(vm, &err);
}

/* ---- coroutines ------------------------------------------------------------------------ */

void coro_newcoroutine(coro_VM *vm)
{
    Coroutine *cur = vm->current;
    Value fn = cur->top[-1];
    int slots = 1 + (is_lclosure(&fn) ? as_lclosure(&fn)->proto->max_stack : CORO_MINSTACK) + 1;
    Coroutine *co = coro_co_new(vm, slots);
    co->stack[0] = fn;
    co->top = co->stack + 1;
    cur = vm->current;
    set_coroutine(&cur->top[-1], co);
    coro_gc_check(vm);
}

int coro_costatus(coro_VM *vm, int idx)
{
    Value *v = coro_api_slot(vm, idx);
    if (!is_coroutine(v))
        return CORO_CO_DEAD;
    return as_coroutine(v)->status;
}

int coro_resume(coro_VM *vm, int nargs, int *nresults)
{
    return coro_resume_from_c(vm, nargs, nresults);
}

int coro_resumek(coro_VM *vm, int nargs, coro_KContext ctx, coro_KFunction k)
{
    return coro_api_request(vm, REQ_RESUME, nargs, 0, 0, ctx, k);
}

int coro_api_resume_keeping_tbc(coro_VM *vm, int nargs, coro_KContext ctx, coro_KFunction k)
{
    int r = coro_api_request(vm, REQ_RESUME, nargs, 0, 0, ctx, k);
    vm->req.protected_call = 1;     /* read by the resume as "keep <close>" */
    return r;
}

int coro_yieldk(coro_VM *vm, int nresults, coro_KContext ctx, coro_KFunction k)
{
    return coro_api_request(vm, REQ_YIELD, nresults, 0, 0, ctx, k);
}

int coro_isyieldable(coro_VM *vm)
{
    Coroutine *co = vm->current;
    return co != vm->main_co && co->c_calls == 0;
}

/* ---- loading ---------------------------------------------------------------------------- */

struct LoadArgs {
    const char *buf;
    size_t size;
    const char *chunkname;
};

static void do_load(coro_VM *vm, void *ud)
{
    struct LoadArgs *a = ud;
    LClosure *cl = coro_compile(vm, a->buf, a->size, a->chunkname);
    Value v;
    set_lclosure(&v, cl);
    coro_api_push(vm, &v);
    /* The first upvalue is _ENV: the globals. */
    UpVal *uv = coro_gc_new(vm, sizeof(UpVal), TAG_UPVAL);
    set_table(&uv->u.closed, vm->globals);
    uv->v = &uv->u.closed;
    cl->upvals[0] = uv;
    coro_gc_check(vm);
}

int coro_load(coro_VM *vm, const char *buf, size_t size, const char *chunkname, const char *mode)
{
    if (!chunkname)
        chunkname = "=?";
    if (!mode)
        mode = "bt";
    bool binary = size > 0 && buf[0] == 0x1B;
    const char *what = binary ? "binary" : "text";
    if (!strchr(mode, binary ? 'b' : 't')) {
        coro_pushfstring(vm, "attempt to load a %s chunk (mode is '%s')", what, mode);
        return CORO_ERRSYNTAX;
    }
    if (binary) {
        coro_pushstring(vm, "binary chunks are not supported");
        return CORO_ERRSYNTAX;
    }
    struct LoadArgs a = { buf, size, chunkname };
    int status = coro_protect(vm, do_load, &a);
    if (status != CORO_OK)
        coro_api_push(vm, &vm->error_value);
    if (status == CORO_ERRMEM)
        coro_gc_full(vm);   /* what the failed compile left, before it fails the next */
    return status;
}

int coro_loadstring(coro_VM *vm, const char *s)
{
    return coro_load(vm, s, strlen(s), s, "bt");
}
