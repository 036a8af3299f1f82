/*
 * vm.c: the dispatch loop.
 *
 * One loop runs every script frame of every coroutine.  Its state is the
 * current coroutine's top frame: the closure, its constants, the frame's
 * register base and the pc.  Calls to scripts push a frame and continue
 * here; returns pop one and continue in the caller; yields and resumes
 * switch vm->current.  Anything that may have changed which frame is on
 * top, or moved the stack, ends with RELOAD(), which re-reads the state
 * from vm->current (and leaves when the loop's exit condition is set).
 *
 * The common cases are inline; the rest are calls into ops.c (slow paths)
 * and call.c (calls, returns, coroutine switches).  Computed goto when the
 * compiler has it (gcc and clang), a switch otherwise; both come from the
 * opcode list in opcodes.h.
 */
#include <math.h>

#include "call.h"
#include "coroutine.h"
#include "debug.h"
#include "func.h"
#include "gc.h"
#include "meta.h"
#include "number.h"
#include "opcodes.h"
#include "ops.h"
#include "str.h"
#include "table.h"

#if defined(__GNUC__) && !defined(CORO_NO_COMPUTED_GOTO)
#define CORO_COMPUTED_GOTO 1
#endif

/* key through the __index table of metatable mt; NULL if that does not
 * find it, and the general path must run. */
static inline const Value *index_through_metatable(coro_VM *vm, Table *mt, String *key)
{
    if (!mt || (mt->absent_tm & (1u << TM_INDEX)))
        return NULL;
    const Value *idx = table_get_short(mt, vm->tm_names[TM_INDEX]);
    if (!is_table(idx))
        return NULL;
    const Value *v = table_get_short(as_table(idx), key);
    return is_nil(v) ? NULL : v;
}

/* t.key through one __index table (the class pattern). */
static inline const Value *index_through_class(coro_VM *vm, Table *h, String *key)
{
    return index_through_metatable(vm, h->metatable, key);
}

/* x % y, with the common case (both positive) inline. */
static inline int64_t int_mod(coro_VM *vm, int64_t x, int64_t y)
{
    if (x >= 0 && y > 0)
        return x % y;
    return coro_int_mod(vm, x, y);
}

void coro_hook_fire(coro_VM *vm)
{
    vm->hook_countdown = vm->hook ? vm->hook_every : 1 << 30;
    if (vm->hook)
        vm->hook(vm);
}


void coro_execute(coro_VM *vm)
{
    Coroutine *co;
    Frame *frame;
    LClosure *cl;
    const Value *k;
    Value *base;
    const Instr *pc;
    Instr i;

#define RA()        (base + GET_A(i))
#define RB()        (base + GET_B(i))
#define RC()        (base + GET_C(i))
#define KB()        (k + GET_B(i))
#define KC()        (k + GET_C(i))
#define RKC()       (GET_K(i) ? k + GET_C(i) : base + GET_C(i))
#define SAVE_PC()   (frame->u.s.pc = pc)
#define RELOAD()    goto reload
#define DRIVE(r)    do { coro_drive(vm, (r)); RELOAD(); } while (0)
/* The hook sees pc as if the instruction about to run were running (so a
 * position or an error names its line), then the loop resumes before it. */
#define HOOK_CHECK() \
    do { \
        if (--vm->hook_countdown <= 0) { \
            frame->u.s.pc = pc + 1; \
            coro_hook_fire(vm); \
            co_top_frame(co)->u.s.pc = pc; \
            RELOAD(); \
        } \
    } while (0)
#define CHECK_GC() \
    do { \
        if (vm->bytes >= vm->gc_threshold) { \
            SAVE_PC(); \
            co->top = frame->top; \
            coro_gc_step(vm); \
            RELOAD(); \
        } \
    } while (0)
/* A conditional test: skip the following jump, or take it now. */
#define COND_JUMP(cond) \
    do { \
        if ((cond) != GET_K(i)) { \
            pc++; \
        } else { \
            int off_ = GET_SJ(*pc); \
            pc += off_ + 1; \
            if (off_ < 0) HOOK_CHECK(); \
        } \
    } while (0)

#ifdef CORO_COMPUTED_GOTO
    static const void *const labels[OP_COUNT] = {
#define X(name, layout, doc) &&L_##name,
        CORO_OPCODES(X)
#undef X
    };
#define CASE(name) L_##name:
#define NEXT() do { i = *pc++; goto *labels[GET_OP(i)]; } while (0)
#else
#define CASE(name) case OP_##name:
#define NEXT() goto next
#endif

/* A yield of n values at src straight back to a resumer waiting at
 * co:send / coroutine.resume (no C frame on either side): the values
 * become that call's results and the loop goes on in the resumer. */
#define YIELD_TO_SENDER(src, n) \
    do { \
        Coroutine *to_ = co->resumer; \
        Frame *rf_; \
        Instr ci_; \
        Value *rra_; \
        int wanted_; \
        if (to_ && co->c_calls == 0 && !co->c_resumed && co != vm->main_co && \
            !((rf_ = co_top_frame(to_))->flags & FRAME_C) && GET_OP(ci_ = rf_->u.s.pc[-1]) == OP_CALL && \
            (rra_ = rf_->func + 1 + GET_A(ci_))->tag == TAG_CFUNC && \
            (rra_->u.f == vm->send_fn || rra_->u.f == vm->resume_fn) && (wanted_ = GET_C(ci_) - 1) >= 0) { \
            Value *dst_ = rra_; \
            int j_ = 0; \
            if (rra_->u.f == vm->resume_fn && wanted_ > 0) { \
                set_bool(dst_, true); \
                dst_++; \
                wanted_--; \
            } \
            for (; j_ < (n) && j_ < wanted_; j_++) \
                copy_value(dst_ + j_, (src) + j_); \
            for (; j_ < wanted_; j_++) \
                set_nil(&dst_[j_]); \
            co->resumer = NULL; \
            co->status = CO_SUSPENDED; \
            to_->status = CO_RUNNING; \
            coro_switch_to(vm, to_); \
            co = to_; \
            frame = rf_; \
            cl = as_lclosure(frame->func); \
            k = cl->proto->constants; \
            base = frame->func + 1; \
            pc = frame->u.s.pc; \
            NEXT(); \
        } \
    } while (0)

reload:
    if (vm->loop_exit)
        return;
    co = vm->current;
    frame = co_top_frame(co);
    cl = as_lclosure(frame->func);
    k = cl->proto->constants;
    base = frame->func + 1;
    pc = frame->u.s.pc;

#ifdef CORO_COMPUTED_GOTO
    NEXT();
#else
next:
    i = *pc++;
    switch (GET_OP(i)) {
#endif

    CASE(MOVE) {
        copy_value(RA(), RB());
        NEXT();
    }
    CASE(LOADI) {
        set_int(RA(), GET_SBX(i));
        NEXT();
    }
    CASE(LOADF) {
        set_float(RA(), (double)GET_SBX(i));
        NEXT();
    }
    CASE(LOADK) {
        copy_value(RA(), k + GET_BX(i));
        NEXT();
    }
    CASE(LOADKX) {
        copy_value(RA(), k + GET_AX(*pc));
        pc++;
        NEXT();
    }
    CASE(LOADFALSE) {
        set_bool(RA(), false);
        NEXT();
    }
    CASE(LFALSESKIP) {
        set_bool(RA(), false);
        pc++;
        NEXT();
    }
    CASE(LOADTRUE) {
        set_bool(RA(), true);
        NEXT();
    }
    CASE(LOADNIL) {
        Value *ra = RA();
        for (int b = GET_B(i); b >= 0; b--)
            set_nil(ra++);
        NEXT();
    }
    CASE(GETUPVAL) {
        copy_value(RA(), cl->upvals[GET_B(i)]->v);
        NEXT();
    }
    CASE(SETUPVAL) {
        UpVal *uv = cl->upvals[GET_B(i)];
        copy_value(uv->v, RA());
        coro_gc_barrier_upval(vm, uv, RA());
        NEXT();
    }
    CASE(GETTABUP) {
        Value *t = cl->upvals[GET_B(i)]->v;
        const Value *key = KC();
        if (is_table(t)) {
            const Value *v = table_get_short(as_table(t), as_string(key));
            if (!is_nil(v)) {
                copy_value(RA(), v);
                NEXT();
            }
        }
        SAVE_PC();
        if (coro_op_index(vm, t, key, RA()))
            RELOAD();
        NEXT();
    }
    CASE(GETTABLE) {
        Value *t = RB(), *key = RC();
        if (is_table(t)) {
            Table *h = as_table(t);
            const Value *v = is_int(key) && (uint64_t)as_int(key) - 1 < h->array_size
                             ? &h->array[as_int(key) - 1] : coro_table_get(h, key);
            if (!is_nil(v)) {
                copy_value(RA(), v);
                NEXT();
            }
        }
        SAVE_PC();
        if (coro_op_index(vm, t, key, RA()))
            RELOAD();
        NEXT();
    }
    CASE(GETI) {
        Value *t = RB();
        int c = GET_C(i);
        if (is_table(t)) {
            const Value *v = coro_table_get_int(as_table(t), c);
            if (!is_nil(v)) {
                copy_value(RA(), v);
                NEXT();
            }
        }
        Value key;
        set_int(&key, c);
        SAVE_PC();
        if (coro_op_index(vm, t, &key, RA()))
            RELOAD();
        NEXT();
    }
    CASE(GETFIELD) {
        Value *t = RB();
        const Value *key = KC();
        if (is_table(t)) {
            const Value *v = table_get_short(as_table(t), as_string(key));
            if (!is_nil(v) || (v = index_through_class(vm, as_table(t), as_string(key))) != NULL) {
                copy_value(RA(), v);
                NEXT();
            }
        }
        SAVE_PC();
        if (coro_op_index(vm, t, key, RA()))
            RELOAD();
        NEXT();
    }
#define STORE_NEW_KEY(h, slot, key, val) \
    do { \
        if (meta_fast_absent((h)->metatable, TM_NEWINDEX)) { \
            if (is_absent(slot)) { \
                SAVE_PC(); \
                coro_table_set(vm, (h), (key), (val)); \
            } else { \
                copy_value(slot, val); \
                coro_gc_barrier_back(vm, (h), (val)); \
                (h)->absent_tm = 0; \
            } \
            NEXT(); \
        } \
    } while (0)
    CASE(SETTABUP) {
        Value *t = cl->upvals[GET_A(i)]->v;
        const Value *key = KB();
        const Value *val = RKC();
        if (is_table(t)) {
            Value *slot = (Value *)table_get_short(as_table(t), as_string(key));
            if (!is_nil(slot)) {
                copy_value(slot, val);
                coro_gc_barrier_back(vm, as_table(t), val);
                NEXT();
            }
            STORE_NEW_KEY(as_table(t), slot, key, val);
        }
        SAVE_PC();
        if (coro_op_newindex(vm, t, key, val))
            RELOAD();
        NEXT();
    }
    CASE(SETTABLE) {
        Value *t = RA(), *key = RB();
        const Value *val = RKC();
        if (is_table(t)) {
            Table *h = as_table(t);
            Value *slot = is_int(key) && (uint64_t)as_int(key) - 1 < h->array_size
                          ? &h->array[as_int(key) - 1] : (Value *)coro_table_get(h, key);
            if (!is_nil(slot)) {
                copy_value(slot, val);
                coro_gc_barrier_back(vm, h, val);
                NEXT();
            }
            STORE_NEW_KEY(h, slot, key, val);
        }
        SAVE_PC();
        if (coro_op_newindex(vm, t, key, val))
            RELOAD();
        NEXT();
    }
    CASE(SETI) {
        Value *t = RA();
        int b = GET_B(i);
        const Value *val = RKC();
        Value key;
        set_int(&key, b);
        if (is_table(t)) {
            Value *slot = (Value *)coro_table_get_int(as_table(t), b);
            if (!is_nil(slot)) {
                copy_value(slot, val);
                coro_gc_barrier_back(vm, as_table(t), val);
                NEXT();
            }
            STORE_NEW_KEY(as_table(t), slot, &key, val);
        }
        SAVE_PC();
        if (coro_op_newindex(vm, t, &key, val))
            RELOAD();
        NEXT();
    }
    CASE(SETFIELD) {
        Value *t = RA();
        const Value *key = KB();
        const Value *val = RKC();
        if (is_table(t)) {
            Value *slot = (Value *)table_get_short(as_table(t), as_string(key));
            if (!is_nil(slot)) {
                copy_value(slot, val);
                coro_gc_barrier_back(vm, as_table(t), val);
                NEXT();
            }
            STORE_NEW_KEY(as_table(t), slot, key, val);
        }
        SAVE_PC();
        if (coro_op_newindex(vm, t, key, val))
            RELOAD();
        NEXT();
    }
    CASE(NEWTABLE) {
        int b = GET_B(i);
        uint32_t asize = (uint32_t)GET_C(i);
        if (GET_K(i))
            asize += (uint32_t)GET_AX(*pc) * (MAX_ARG_C + 1);
        pc++;
        uint32_t hsize = b > 0 ? 1u << (b - 1) : 0;
        SAVE_PC();
        Table *t = coro_table_new(vm, asize, hsize);
        set_table(RA(), t);
        CHECK_GC();
        NEXT();
    }
    CASE(SELF) {
        Value *ra = RA();
        Value *rb = RB();
        const Value *key = RKC();
        Value obj = *rb;
        ra[1] = obj;
        if (is_string(key) && as_string(key)->is_short) {
            const Value *v = NULL;
            if (is_table(&obj)) {
                v = table_get_short(as_table(&obj), as_string(key));
                if (is_nil(v))
                    v = index_through_class(vm, as_table(&obj), as_string(key));
            } else if (obj.tag != TAG_USERDATA) {
                /* Strings, coroutines: their type's metatable. */
                v = index_through_metatable(vm, vm->type_metatables[basic_type(&obj)], as_string(key));
            }
            if (v) {
                copy_value(ra, v);
                NEXT();
            }
        }
        SAVE_PC();
        if (coro_op_index(vm, rb, key, ra))
            RELOAD();
        NEXT();
    }

    /* ---- arithmetic: integers and floats inline, the rest in ops.c ---- */
#define ARITH_SLOW(op, a, b) \
    do { SAVE_PC(); if (coro_op_arith(vm, (op), (a), (b), RA())) RELOAD(); NEXT(); } while (0)
#define ARITH_INT_FLT(op, iop, fop) \
    do { \
        Value *rb_ = RB(), *rc_ = RC(); \
        if (is_int(rb_) && is_int(rc_)) { \
            int64_t x_ = as_int(rb_), y_ = as_int(rc_); \
            set_int(RA(), iop); \
        } else if (is_number(rb_) && is_number(rc_)) { \
            double x_ = as_number(rb_), y_ = as_number(rc_); \
            set_float(RA(), fop); \
        } else { \
            ARITH_SLOW(op, rb_, rc_); \
        } \
        NEXT(); \
    } while (0)
#define ARITH_FLT(op, fop) \
    do { \
        Value *rb_ = RB(), *rc_ = RC(); \
        if (is_number(rb_) && is_number(rc_)) { \
            double x_ = as_number(rb_), y_ = as_number(rc_); \
            set_float(RA(), fop); \
        } else { \
            ARITH_SLOW(op, rb_, rc_); \
        } \
        NEXT(); \
    } while (0)
#define ARITHK_INT_FLT(op, iop, fop) \
    do { \
        Value *rb_ = RB(); const Value *kc_ = KC(); \
        if (is_int(rb_) && is_int(kc_)) { \
            int64_t x_ = as_int(rb_), y_ = as_int(kc_); \
            set_int(RA(), iop); \
        } else if (is_number(rb_)) { \
            double x_ = as_number(rb_), y_ = as_number(kc_); \
            set_float(RA(), fop); \
        } else if (GET_K(i)) { \
            ARITH_SLOW(op, kc_, rb_); \
        } else { \
            ARITH_SLOW(op, rb_, kc_); \
        } \
        NEXT(); \
    } while (0)
#define ARITHK_FLT(op, fop) \
    do { \
        Value *rb_ = RB(); const Value *kc_ = KC(); \
        if (is_number(rb_)) { \
            double x_ = as_number(rb_), y_ = as_number(kc_); \
            set_float(RA(), fop); \
        } else if (GET_K(i)) { \
            ARITH_SLOW(op, kc_, rb_); \
        } else { \
            ARITH_SLOW(op, rb_, kc_); \
        } \
        NEXT(); \
    } while (0)
#define BITWISE(op, expr, b_, c_, flip_) \
    do { \
        int64_t x_, y_; \
        if (is_int(b_) && is_int(c_)) { \
            x_ = as_int(b_); y_ = as_int(c_); \
            set_int(RA(), expr); \
        } else if (coro_value_to_int(b_, &x_, F2I_EXACT) && coro_value_to_int(c_, &y_, F2I_EXACT) && \
                   !is_string(b_) && !is_string(c_)) { \
            set_int(RA(), expr); \
        } else if (flip_) { \
            ARITH_SLOW(op, c_, b_); \
        } else { \
            ARITH_SLOW(op, b_, c_); \
        } \
        NEXT(); \
    } while (0)

#define IADD(x, y) ((int64_t)((uint64_t)(x) + (uint64_t)(y)))
#define ISUB(x, y) ((int64_t)((uint64_t)(x) - (uint64_t)(y)))
#define IMUL(x, y) ((int64_t)((uint64_t)(x) * (uint64_t)(y)))

    CASE(ADDI) {
        Value *rb = RB();
        int imm = GET_SC(i);
        if (is_int(rb)) {
            set_int(RA(), IADD(as_int(rb), imm));
        } else if (is_float(rb)) {
            set_float(RA(), as_float(rb) + imm);
        } else {
            Value iv;
            set_int(&iv, imm);
            if (GET_K(i))
                ARITH_SLOW(CORO_OPADD, &iv, rb);
            ARITH_SLOW(CORO_OPADD, rb, &iv);
        }
        NEXT();
    }
    CASE(ADDK) { ARITHK_INT_FLT(CORO_OPADD, IADD(x_, y_), x_ + y_); }
    CASE(SUBK) { ARITHK_INT_FLT(CORO_OPSUB, ISUB(x_, y_), x_ - y_); }
    CASE(MULK) { ARITHK_INT_FLT(CORO_OPMUL, IMUL(x_, y_), x_ * y_); }
    CASE(MODK) {
        SAVE_PC();
        ARITHK_INT_FLT(CORO_OPMOD, int_mod(vm, x_, y_), coro_flt_mod(x_, y_));
    }
    CASE(POWK) { ARITHK_FLT(CORO_OPPOW, y_ == 2 ? x_ * x_ : pow(x_, y_)); }
    CASE(DIVK) { ARITHK_FLT(CORO_OPDIV, x_ / y_); }
    CASE(IDIVK) {
        SAVE_PC();
        ARITHK_INT_FLT(CORO_OPIDIV, coro_int_idiv(vm, x_, y_), floor(x_ / y_));
    }
    CASE(BANDK) { const Value *kc = KC(); Value *rb = RB(); BITWISE(CORO_OPBAND, x_ & y_, rb, kc, GET_K(i)); }
    CASE(BORK) { const Value *kc = KC(); Value *rb = RB(); BITWISE(CORO_OPBOR, x_ | y_, rb, kc, GET_K(i)); }
    CASE(BXORK) { const Value *kc = KC(); Value *rb = RB(); BITWISE(CORO_OPBXOR, x_ ^ y_, rb, kc, GET_K(i)); }
    CASE(SHRI) {
        Value *rb = RB();
        Value iv;
        set_int(&iv, GET_SC(i));
        BITWISE(CORO_OPSHR, coro_int_shl(x_, -y_), rb, (&iv), 0);
    }
    CASE(SHLI) {
        Value *rb = RB();
        Value iv;
        set_int(&iv, GET_SC(i));
        BITWISE(CORO_OPSHL, coro_int_shl(x_, y_), (&iv), rb, 0);
    }
    CASE(ADD) { ARITH_INT_FLT(CORO_OPADD, IADD(x_, y_), x_ + y_); }
    CASE(SUB) { ARITH_INT_FLT(CORO_OPSUB, ISUB(x_, y_), x_ - y_); }
    CASE(MUL) { ARITH_INT_FLT(CORO_OPMUL, IMUL(x_, y_), x_ * y_); }
    CASE(MOD) {
        SAVE_PC();
        ARITH_INT_FLT(CORO_OPMOD, int_mod(vm, x_, y_), coro_flt_mod(x_, y_));
    }
    CASE(POW) { ARITH_FLT(CORO_OPPOW, y_ == 2 ? x_ * x_ : pow(x_, y_)); }
    CASE(DIV) { ARITH_FLT(CORO_OPDIV, x_ / y_); }
    CASE(IDIV) {
        SAVE_PC();
        ARITH_INT_FLT(CORO_OPIDIV, coro_int_idiv(vm, x_, y_), floor(x_ / y_));
    }
    CASE(BAND) { Value *rb = RB(), *rc = RC(); BITWISE(CORO_OPBAND, x_ & y_, rb, rc, 0); }
    CASE(BOR) { Value *rb = RB(), *rc = RC(); BITWISE(CORO_OPBOR, x_ | y_, rb, rc, 0); }
    CASE(BXOR) { Value *rb = RB(), *rc = RC(); BITWISE(CORO_OPBXOR, x_ ^ y_, rb, rc, 0); }
    CASE(SHL) { Value *rb = RB(), *rc = RC(); BITWISE(CORO_OPSHL, coro_int_shl(x_, y_), rb, rc, 0); }
    CASE(SHR) { Value *rb = RB(), *rc = RC(); BITWISE(CORO_OPSHR, coro_int_shl(x_, ISUB(0, y_)), rb, rc, 0); }
    CASE(UNM) {
        Value *rb = RB();
        if (is_int(rb))
            set_int(RA(), ISUB(0, as_int(rb)));
        else if (is_float(rb))
            set_float(RA(), -as_float(rb));
        else
            ARITH_SLOW(CORO_OPUNM, rb, rb);
        NEXT();
    }
    CASE(BNOT) {
        Value *rb = RB();
        int64_t x;
        if (is_int(rb))
            set_int(RA(), ~as_int(rb));
        else if (is_float(rb) && coro_value_to_int(rb, &x, F2I_EXACT))
            set_int(RA(), ~x);
        else
            ARITH_SLOW(CORO_OPBNOT, rb, rb);
        NEXT();
    }
    CASE(NOT) {
        set_bool(RA(), is_falsy(RB()));
        NEXT();
    }
    CASE(LEN) {
        Value *rb = RB();
        if (is_string(rb)) {
            set_int(RA(), (int64_t)str_len(as_string(rb)));
            NEXT();
        }
        SAVE_PC();
        if (coro_op_len(vm, rb, RA()))
            RELOAD();
        NEXT();
    }
    CASE(CONCAT) {
        Value *ra = RA();
        int n = frame->aux ? (int)(co->top - ra) : GET_B(i);
        frame->aux = 0;
        co->top = ra + n;
        SAVE_PC();
        if (coro_op_concat(vm, ra, false))
            RELOAD();
        CHECK_GC();
        NEXT();
    }
    CASE(CLOSE) {
        SAVE_PC();
        if (coro_op_close(vm, RA()))
            RELOAD();
        NEXT();
    }
    CASE(TBC) {
        SAVE_PC();
        coro_op_tbc(vm, RA());
        NEXT();
    }
    CASE(JMP) {
        int off = GET_SJ(i);
        pc += off;
        if (off < 0)
            HOOK_CHECK();
        NEXT();
    }
    CASE(EQ) {
        Value *ra = RA(), *rb = RB();
        int cond;
        if (ra->tag == rb->tag && ra->tag != TAG_TABLE && ra->tag != TAG_USERDATA) {
            cond = coro_raw_equal(ra, rb);
        } else {
            SAVE_PC();
            cond = coro_op_equal(vm, ra, rb);
            if (cond < 0)
                RELOAD();
        }
        COND_JUMP(cond);
        NEXT();
    }
    CASE(LT) {
        Value *ra = RA(), *rb = RB();
        int cond;
        if (is_int(ra) && is_int(rb)) {
            cond = as_int(ra) < as_int(rb);
        } else if (is_number(ra) && is_number(rb)) {
            cond = coro_less_number(ra, rb);
        } else {
            SAVE_PC();
            cond = coro_op_less(vm, ra, rb);
            if (cond < 0)
                RELOAD();
        }
        COND_JUMP(cond);
        NEXT();
    }
    CASE(LE) {
        Value *ra = RA(), *rb = RB();
        int cond;
        if (is_int(ra) && is_int(rb)) {
            cond = as_int(ra) <= as_int(rb);
        } else if (is_number(ra) && is_number(rb)) {
            cond = coro_less_equal_number(ra, rb);
        } else {
            SAVE_PC();
            cond = coro_op_less_equal(vm, ra, rb);
            if (cond < 0)
                RELOAD();
        }
        COND_JUMP(cond);
        NEXT();
    }
    CASE(EQK) {
        COND_JUMP(coro_raw_equal(RA(), KB()));
        NEXT();
    }
    CASE(EQI) {
        Value *ra = RA();
        int im = GET_SB(i);
        int cond;
        if (is_int(ra))
            cond = as_int(ra) == im;
        else if (is_float(ra))
            cond = as_float(ra) == (double)im;
        else
            cond = 0;
        COND_JUMP(cond);
        NEXT();
    }
#define ORDER_IMM(iop, fop, slow, flip) \
    do { \
        Value *ra_ = RA(); \
        int im_ = GET_SB(i); \
        int cond_; \
        if (is_int(ra_)) { \
            cond_ = as_int(ra_) iop im_; \
        } else if (is_float(ra_)) { \
            cond_ = as_float(ra_) fop (double)im_; \
        } else { \
            Value iv_; \
            if (GET_C(i)) set_float(&iv_, (double)im_); else set_int(&iv_, im_); \
            SAVE_PC(); \
            cond_ = flip ? slow(vm, &iv_, ra_) : slow(vm, ra_, &iv_); \
            if (cond_ < 0) RELOAD(); \
        } \
        COND_JUMP(cond_); \
        NEXT(); \
    } while (0)
    CASE(LTI) { ORDER_IMM(<, <, coro_op_less, 0); }
    CASE(LEI) { ORDER_IMM(<=, <=, coro_op_less_equal, 0); }
    CASE(GTI) { ORDER_IMM(>, >, coro_op_less, 1); }
    CASE(GEI) { ORDER_IMM(>=, >=, coro_op_less_equal, 1); }
    CASE(TEST) {
        COND_JUMP(!is_falsy(RA()));
        NEXT();
    }
    CASE(TESTSET) {
        Value *rb = RB();
        if (is_falsy(rb) == GET_K(i)) {
            pc++;
        } else {
            copy_value(RA(), rb);
            int off = GET_SJ(*pc);
            pc += off + 1;
            if (off < 0)
                HOOK_CHECK();
        }
        NEXT();
    }

    /* ---- calls and returns ---- */
    {
        Value *func;
        int nresults;
    CASE(CALL) {
        func = RA();
        int b = GET_B(i);
        nresults = GET_C(i) - 1;
        if (b != 0)
            co->top = func + b;
        SAVE_PC();
        goto call;
    }
    CASE(TFORCALL) {
        Value *ra = RA();
        SAVE_PC();
        if (is_coroutine(ra))
            DRIVE(coro_resume_script(vm, as_coroutine(ra)));
        copy_value(ra + 4, ra + 0);
        copy_value(ra + 5, ra + 1);
        copy_value(ra + 6, ra + 2);
        co->top = ra + 7;
        func = ra + 4;
        nresults = GET_C(i);
        goto call;
    }
    call:
        if (func->tag == TAG_LCLOSURE && co->nframes < co->frames_cap && co->nframes < vm->max_frames) {
            LClosure *ncl = as_lclosure(func);
            Proto *p = ncl->proto;
            int nargs = (int)(co->top - func) - 1;
            if (co->stack_end - func > p->max_stack + (p->is_vararg ? nargs + 1 : 0)) {
                Frame *f = &co->frames[co->nframes++];
                f->func = func;
                f->top = func + 1 + p->max_stack;
                f->nresults = (int16_t)nresults;
                f->flags = 0;
                f->pending = 0;
                f->aux = 0;
                f->u.s.vararg_shift = 0;
                f->u.s.extra_args = 0;
                for (; nargs < p->num_params; nargs++)
                    set_nil(co->top++);
                frame = f;
                cl = ncl;
                k = p->constants;
                base = func + 1;
                pc = p->code;
                HOOK_CHECK();
                NEXT();
            }
        }
        if (func->tag == TAG_CFUNC && (func->u.f == vm->send_fn || func->u.f == vm->resume_fn) &&
            co->top > func + 1 && is_coroutine(func + 1) && as_coroutine(func + 1)->status == CO_SUSPENDED &&
            nresults == GET_C(pc[-1]) - 1 && GET_OP(pc[-1]) == OP_CALL) {
            Coroutine *target = as_coroutine(func + 1);
            Frame *tf;
            Instr yi;
            int wanted;
            if (target->started == CO_STARTED && target->nframes > 0 &&
                co->depth + 1 < co_max_depth(vm) &&
                !((tf = co_top_frame(target))->flags & FRAME_C) &&
                (GET_OP(yi = tf->u.s.pc[-1]) == OP_YIELD ||
                 (GET_OP(yi) == OP_CALL && tf->func[1 + GET_A(yi)].tag == TAG_CFUNC &&
                  tf->func[1 + GET_A(yi)].u.f == vm->yield_fn)) &&
                (wanted = GET_C(yi) - 1) >= 0) {
                /* Resume straight into a YIELD: the values become its
                 * results and the loop goes on in the coroutine. */
                Value *args = func + 2, *dst = tf->func + 1 + GET_A(yi);
                int n = (int)(co->top - args), j = 0;
                for (; j < n && j < wanted; j++)
                    copy_value(dst + j, args + j);
                for (; j < wanted; j++)
                    set_nil(&dst[j]);
                target->keep_tbc = func->u.f == vm->resume_fn;
                target->resumer = co;
                target->depth = co->depth + 1;
                co->status = CO_NORMAL;
                target->status = CO_RUNNING;
                coro_switch_to(vm, target);
                co = target;
                frame = tf;
                cl = as_lclosure(frame->func);
                k = cl->proto->constants;
                base = frame->func + 1;
                pc = frame->u.s.pc;
                NEXT();
            }
            DRIVE(coro_fast_resume(vm, func, func->u.f == vm->resume_fn));
        }
        if (func->tag == TAG_CFUNC && func->u.f == vm->yield_fn && co != vm->main_co &&
            co->resumer && co->c_calls == 0 && GET_OP(pc[-1]) == OP_CALL) {
            int n = (int)(co->top - func) - 1;
            YIELD_TO_SENDER(func + 1, n);
            DRIVE(coro_yield_values(vm, func + 1, n));
        }
        {
            int r = coro_call_prepare(vm, func, nresults, 0);
            Frame *cf;
            if (r >= 0 && vm->current == co && !vm->loop_exit &&
                (cf = co_top_frame(co))->flags == FRAME_C && r <= co->top - (cf->func + 1)) {
                /* A C function returned at once: move its results here
                 * and go on without leaving the frame. */
                Value *dst = cf->func;
                Value *first = co->top - r;
                int wanted = cf->nresults;
                if (wanted < 0) {
                    for (int j = 0; j < r; j++)
                        copy_value(dst + j, first + j);
                    co->top = dst + r;
                } else {
                    int j = 0;
                    for (; j < r && j < wanted; j++)
                        copy_value(dst + j, first + j);
                    for (; j < wanted; j++)
                        set_nil(&dst[j]);
                }
                co->nframes--;
                frame = co_top_frame(co);
                base = frame->func + 1;
                NEXT();
            }
            DRIVE(r);
        }
    }
    CASE(TAILCALL) {
        Value *ra = RA();
        int b = GET_B(i);
        if (b != 0)
            co->top = ra + b;
        SAVE_PC();
        if (GET_K(i))
            coro_upval_close(vm, co, base);
        if (!is_lclosure(ra)) {
            /* Not a script function: call it.  If it returns at once, we
             * return its results; otherwise the RETURN after this
             * instruction hands them on. */
            int r = coro_call_prepare(vm, ra, CORO_MULTRET, 0);
            if (r >= 0) {
                co->nframes--;  /* the C frame: its results are on top */
                DRIVE(coro_return(vm, co->top - r, r));
            }
            DRIVE(r);
        }
        Value *dst = frame->func - frame->u.s.vararg_shift;
        int n = (int)(co->top - ra);
        for (int j = 0; j < n; j++)
            copy_value(dst + j, ra + j);
        co->top = dst + n;
        LClosure *ncl = as_lclosure(dst);
        Proto *p = ncl->proto;
        if (co->stack_end - dst > p->max_stack + (p->is_vararg ? n : 0)) {
            /* Reuse the frame in place. */
            frame->func = dst;
            frame->top = dst + 1 + p->max_stack;
            frame->pending = 0;
            frame->aux = 0;
            frame->u.s.vararg_shift = 0;
            frame->u.s.extra_args = 0;
            for (int nargs = n - 1; nargs < p->num_params; nargs++)
                set_nil(co->top++);
            cl = ncl;
            k = p->constants;
            base = dst + 1;
            pc = p->code;
            HOOK_CHECK();
            NEXT();
        }
        int16_t nres = frame->nresults;
        uint8_t flags = frame->flags;
        co->nframes--;
        coro_call_prepare(vm, dst, nres, flags);
        /* The new frame starts at its first instruction (its pc is set). */
        if (--vm->hook_countdown <= 0)
            coro_hook_fire(vm);
        RELOAD();
    }
    CASE(RETURN) {
        Value *ra = RA();
        int n = GET_B(i) - 1;
        if (n < 0)
            n = (int)(co->top - ra);
        SAVE_PC();
        if (GET_K(i)) {
            frame->aux = n;
            if (coro_op_close(vm, base))
                RELOAD();
        }
        DRIVE(coro_return(vm, ra, n));
    }
    CASE(RETURN0) {
        if (frame->flags == 0 && co->nframes >= 2 && frame[-1].flags == 0 && frame[-1].pending == 0) {
            Value *dst = frame->func - frame->u.s.vararg_shift;
            int wanted = frame->nresults;
            if (wanted < 0) {
                co->top = dst;
            } else {
                for (int j = 0; j < wanted; j++)
                    set_nil(&dst[j]);
            }
            co->nframes--;
            frame--;
            cl = as_lclosure(frame->func);
            k = cl->proto->constants;
            base = frame->func + 1;
            pc = frame->u.s.pc;
            NEXT();
        }
        SAVE_PC();
        DRIVE(coro_return(vm, RA(), 0));
    }
    CASE(RETURN1) {
        if (frame->flags == 0 && co->nframes >= 2 && frame[-1].flags == 0 && frame[-1].pending == 0) {
            Value *dst = frame->func - frame->u.s.vararg_shift;
            int wanted = frame->nresults;
            if (wanted < 0) {
                copy_value(dst, RA());
                co->top = dst + 1;
            } else if (wanted > 0) {
                copy_value(dst, RA());
                for (int j = 1; j < wanted; j++)
                    set_nil(&dst[j]);
            }
            co->nframes--;
            frame--;
            cl = as_lclosure(frame->func);
            k = cl->proto->constants;
            base = frame->func + 1;
            pc = frame->u.s.pc;
            NEXT();
        }
        SAVE_PC();
        DRIVE(coro_return(vm, RA(), 1));
    }
    CASE(FORLOOP) {
        Value *ra = RA();
        if (is_int(ra + 2)) {
            uint64_t count = (uint64_t)as_int(ra + 1);
            if (count > 0) {
                int64_t idx = IADD(as_int(ra), as_int(ra + 2));
                set_int(ra + 1, (int64_t)(count - 1));
                set_int(ra, idx);
                set_int(ra + 3, idx);
                pc -= GET_BX(i);
                HOOK_CHECK();
            }
        } else {
            double step = as_float(ra + 2);
            double limit = as_float(ra + 1);
            double idx = as_float(ra) + step;
            if (step > 0 ? idx <= limit : limit <= idx) {
                set_float(ra, idx);
                set_float(ra + 3, idx);
                pc -= GET_BX(i);
                HOOK_CHECK();
            }
        }
        NEXT();
    }
    CASE(FORPREP) {
        SAVE_PC();
        if (coro_op_forprep(vm, RA()))
            pc += GET_BX(i) + 1;
        NEXT();
    }
    CASE(TFORPREP) {
        SAVE_PC();
        coro_op_tbc(vm, RA() + 3);
        pc += GET_BX(i);
        NEXT();
    }
    CASE(TFORLOOP) {
        Value *ra = RA();
        if (!is_nil(ra + 4)) {
            copy_value(ra + 2, ra + 4);
            pc -= GET_BX(i);
            HOOK_CHECK();
        }
        NEXT();
    }
    CASE(SETLIST) {
        Value *ra = RA();
        int n = GET_B(i);
        unsigned int last = (unsigned int)GET_C(i);
        if (n == 0)
            n = (int)(co->top - ra) - 1;
        if (GET_K(i)) {
            last += (unsigned int)GET_AX(*pc) * (MAX_ARG_C + 1);
            pc++;
        }
        SAVE_PC();
        coro_op_setlist(vm, ra, n, last);
        NEXT();
    }
    CASE(CLOSURE) {
        Proto *p = cl->proto->protos[GET_BX(i)];
        SAVE_PC();
        LClosure *ncl = coro_op_closure(vm, p, cl, base);
        set_lclosure(RA(), ncl);
        CHECK_GC();
        NEXT();
    }
    CASE(VARARG) {
        SAVE_PC();
        coro_op_vararg(vm, frame, RA(), GET_C(i) - 1);
        base = frame->func + 1;
        NEXT();
    }
    CASE(VARARGPREP) {
        SAVE_PC();
        coro_op_varargprep(vm, frame, GET_A(i));
        base = frame->func + 1;
        NEXT();
    }
    CASE(EXTRAARG) {
        SAVE_PC();
        coro_throw_msg(vm, "internal error: EXTRAARG executed");
    }

    /* ---- coroutine operations ---- */
    CASE(YIELD) {
        Value *ra = RA();
        int n = GET_B(i) - 1;
        if (n < 0)
            n = (int)(co->top - ra);
        SAVE_PC();
        YIELD_TO_SENDER(ra, n);
        DRIVE(coro_yield_values(vm, ra, n));
    }
    CASE(YIELDFROM) {
        Value *ra = RA();
        SAVE_PC();
        if (!is_coroutine(ra))
            coro_throw_msg(vm, "attempt to yield from a %s value", coro_meta_typename(vm, ra));
        DRIVE(coro_delegate(vm, as_coroutine(ra)));
    }
    CASE(AWAIT) {
        Value *ra = RA();
        SAVE_PC();
        if (is_coroutine(ra))
            DRIVE(coro_delegate(vm, as_coroutine(ra)));
        const Value *tm = coro_meta_get(vm, ra, TM_AWAIT);
        if (!is_nil(tm)) {
            coro_call_meta(vm, tm, ra, NULL, NULL, 1, 1, PENDING_FINISH);
            RELOAD();
        }
        DRIVE(coro_yield_values(vm, ra, 1));
    }
    CASE(ASYNC) {
        SAVE_PC();
        if (vm->bytes >= vm->gc_threshold) {
            /* A check point before the coroutine exists: a loop that only
             * makes and drives async coroutines has no other, and its dead
             * coroutines would pile up. */
            size_t top = stack_offset(co, co->top);
            co->top = frame->top;
            coro_gc_step(vm);
            /* Finalizers may have grown (moved) the stack and the frames. */
            frame = co_top_frame(co);
            co->top = stack_at(co, top);
        }
        Value v;
        set_coroutine(&v, coro_async_coroutine(vm, frame));
        DRIVE(coro_return(vm, &v, 1));
    }

#ifndef CORO_COMPUTED_GOTO
    default:
        SAVE_PC();
        coro_throw_msg(vm, "internal error: bad opcode");
    }
#endif
}
