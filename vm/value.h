/*
 * value.h: how the VM represents a value.
 *
 * A Value is a 16-byte tagged union: 8 bytes of payload and a one-byte
 * tag.  NaN-boxing would halve that, but Coro's integers are full 64-bit
 * integers with wrap-around (Lua 5.4 semantics), and a 64-bit integer does
 * not fit in the 51 payload bits of a NaN.  Boxing large integers would put
 * an allocation on the path of ordinary arithmetic, and keeping two integer
 * representations would put a branch there; both cost more than the extra
 * 8 bytes per slot, which mainly matter for big arrays (Lua 5.4 pays the
 * same).  See docs/performance.md for the measurements.
 *
 * Tags are ordered so that the common tests are single comparisons:
 * falsy is `tag <= TAG_FALSE`, numbers are TAG_INT/TAG_FLOAT, and every
 * tag at or above TAG_STRING points to a collectable object.
 */
#ifndef CORO_VALUE_H
#define CORO_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "coro.h"

typedef struct GCObject GCObject;

typedef enum ValueTag {
    TAG_NIL = 0,
    TAG_FALSE,
    TAG_TRUE,
    TAG_INT,
    TAG_FLOAT,
    TAG_LIGHTUD,        /* light userdata: a bare C pointer */
    TAG_CFUNC,          /* light C function: no upvalues, no allocation */
    TAG_STRING,         /* first collectable tag */
    TAG_TABLE,
    TAG_LCLOSURE,       /* script function */
    TAG_CCLOSURE,       /* C function with upvalues */
    TAG_USERDATA,
    TAG_COROUTINE,
    /* Collectable objects that are never values: */
    TAG_PROTO,
    TAG_UPVAL,
    TAG_COUNT
} ValueTag;

typedef union ValuePayload {
    GCObject *gc;
    void *p;
    coro_CFunction f;
    int64_t i;
    double n;
} ValuePayload;

typedef struct Value {
    ValuePayload u;
    uint8_t tag;
} Value;

#define is_collectable(v)   ((v)->tag >= TAG_STRING)
#define is_falsy(v)         ((v)->tag <= TAG_FALSE)
#define is_nil(v)           ((v)->tag == TAG_NIL)
#define is_int(v)           ((v)->tag == TAG_INT)
#define is_float(v)         ((v)->tag == TAG_FLOAT)
#define is_number(v)        ((v)->tag == TAG_INT || (v)->tag == TAG_FLOAT)
#define is_string(v)        ((v)->tag == TAG_STRING)
#define is_table(v)         ((v)->tag == TAG_TABLE)
#define is_lclosure(v)      ((v)->tag == TAG_LCLOSURE)
#define is_function(v)      ((v)->tag == TAG_LCLOSURE || (v)->tag == TAG_CCLOSURE || (v)->tag == TAG_CFUNC)
#define is_coroutine(v)     ((v)->tag == TAG_COROUTINE)
#define is_userdata(v)      ((v)->tag == TAG_USERDATA)

#define as_int(v)           ((v)->u.i)
#define as_float(v)         ((v)->u.n)
#define as_number(v)        ((v)->tag == TAG_INT ? (double)(v)->u.i : (v)->u.n)
#define as_gc(v)            ((v)->u.gc)
#define as_string(v)        ((String *)(v)->u.gc)
#define as_table(v)         ((Table *)(v)->u.gc)
#define as_lclosure(v)      ((LClosure *)(v)->u.gc)
#define as_cclosure(v)      ((CClosure *)(v)->u.gc)
#define as_userdata(v)      ((Userdata *)(v)->u.gc)
#define as_coroutine(v)     ((Coroutine *)(v)->u.gc)

#define set_nil(v)          ((v)->tag = TAG_NIL)
#define set_bool(v, b)      ((v)->tag = (b) ? TAG_TRUE : TAG_FALSE)
#define set_int(v, x)       do { Value *v_ = (v); v_->u.i = (x); v_->tag = TAG_INT; } while (0)
#define set_float(v, x)     do { Value *v_ = (v); v_->u.n = (x); v_->tag = TAG_FLOAT; } while (0)
#define set_gc(v, o, t)     do { Value *v_ = (v); v_->u.gc = (GCObject *)(o); v_->tag = (t); } while (0)
#define set_string(v, s)    set_gc(v, s, TAG_STRING)
#define set_table(v, t)     set_gc(v, t, TAG_TABLE)
#define set_lclosure(v, c)  set_gc(v, c, TAG_LCLOSURE)
#define set_cclosure(v, c)  set_gc(v, c, TAG_CCLOSURE)
#define set_userdata(v, x)  set_gc(v, x, TAG_USERDATA)
#define set_coroutine(v, c) set_gc(v, c, TAG_COROUTINE)
#define set_cfunc(v, fn)    do { Value *v_ = (v); v_->u.f = (fn); v_->tag = TAG_CFUNC; } while (0)
#define set_lightud(v, x)   do { Value *v_ = (v); v_->u.p = (x); v_->tag = TAG_LIGHTUD; } while (0)

/* Copies a value field by field.  A whole-struct copy is one 16-byte
 * load, which cannot take its data from the two separate stores that
 * just wrote the value (set_int and friends): the store-forwarding stall
 * costs more than the copy.  Hot paths copy with this. */
#define copy_value(dst, src) \
    do { Value *d_ = (dst); const Value *s_ = (src); d_->u = s_->u; d_->tag = s_->tag; } while (0)

/* The CORO_T* basic type of a tag (what type() reports). */
extern const int8_t coro_tag_basic_type[TAG_COUNT];
#define basic_type(v)       (coro_tag_basic_type[(v)->tag])

#endif
