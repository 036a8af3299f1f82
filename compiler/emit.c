/*
 * emit.c: bytecode emission, registers, jumps and constant folding.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "call.h"
#include "mem.h"
#include "number.h"
#include "str.h"
#include "table.h"

/* Largest constant index usable as an RK operand. */
#define MAX_INDEX_RK MAX_ARG_C

void coro_emit_error(CodeGen *cg, int line, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    coro_VM *vm = cg->vm;
    char full[600];
    snprintf(full, sizeof full, "%s:%d: %s", cg->chunkid, line, msg);
    set_string(&vm->error_value, coro_str_newc(vm, full));
    coro_throw(vm, CORO_ERRSYNTAX);
}

/* ---- raw emission ------------------------------------------------------- */

int coro_emit(FuncState *fs, Instr i)
{
    Proto *f = fs->f;
    coro_VM *vm = fs->cg->vm;
    /* Each array keeps its own size, so that a failure growing the second
     * leaves both sizes true for the collector. */
    if (fs->pc >= f->code_size)
        f->code = coro_mem_grow(vm, f->code, &f->code_size, fs->pc + 1, sizeof(Instr),
                                INT32_MAX / 8, "instructions");
    if (fs->pc >= f->lines_size)
        f->lines = coro_mem_grow(vm, f->lines, &f->lines_size, fs->pc + 1, sizeof(int32_t),
                                 INT32_MAX / 8, "instructions");
    f->code[fs->pc] = i;
    f->lines[fs->pc] = fs->cg->line;
    return fs->pc++;
}

int coro_emit_abck(FuncState *fs, OpCode o, int a, int b, int c, int k)
{
    return coro_emit(fs, MAKE_ABCK(o, a, b, c, k));
}

int coro_emit_abx(FuncState *fs, OpCode o, int a, unsigned int bx)
{
    return coro_emit(fs, MAKE_ABX(o, a, bx));
}

int coro_emit_asbx(FuncState *fs, OpCode o, int a, int sbx)
{
    return coro_emit(fs, MAKE_ABX(o, a, (unsigned int)(sbx + OFFSET_SBX)));
}

static int emit_sj(FuncState *fs, OpCode o, int sj)
{
    return coro_emit(fs, MAKE_AX(o, (unsigned int)(sj + OFFSET_SJ)));
}

static int emit_extraarg(FuncState *fs, int a)
{
    return coro_emit(fs, MAKE_AX(OP_EXTRAARG, (unsigned int)a));
}

int coro_emit_k(FuncState *fs, int reg, int k)
{
    if (k <= MAX_ARG_BX)
        return coro_emit_abx(fs, OP_LOADK, reg, (unsigned int)k);
    int p = coro_emit_abc(fs, OP_LOADKX, reg, 0, 0);
    emit_extraarg(fs, k);
    return p;
}

void coro_emit_fixline(FuncState *fs, int line)
{
    fs->f->lines[fs->pc - 1] = line;
}

/* The previous instruction, if no jump can land between it and here. */
static Instr *previous_instruction(FuncState *fs)
{
    /* Callers only modify LOADNIL and CONCAT, never this. */
    static const Instr invalid = MAKE_AX(OP_EXTRAARG, 0);
    if (fs->pc > fs->lasttarget && fs->pc > 0)
        return &fs->f->code[fs->pc - 1];
    return (Instr *)&invalid;
}

void coro_emit_nil(FuncState *fs, int from, int n)
{
    int l = from + n - 1;
    Instr *prev = previous_instruction(fs);
    if (GET_OP(*prev) == OP_LOADNIL) {
        /* Merge with an adjacent or overlapping LOADNIL. */
        int pfrom = GET_A(*prev);
        int pl = pfrom + GET_B(*prev);
        if ((pfrom <= from && from <= pl + 1) || (from <= pfrom && pfrom <= l + 1)) {
            if (pfrom < from)
                from = pfrom;
            if (pl > l)
                l = pl;
            SET_A(*prev, from);
            SET_B(*prev, l - from);
            return;
        }
    }
    coro_emit_abc(fs, OP_LOADNIL, from, n - 1, 0);
}

/* ---- jumps ------------------------------------------------------------------ */

static int get_jump(FuncState *fs, int pc)
{
    int offset = GET_SJ(fs->f->code[pc]);
    if (offset == NO_JUMP)
        return NO_JUMP;
    return pc + 1 + offset;
}

static void fix_jump(FuncState *fs, int pc, int dest)
{
    Instr *jmp = &fs->f->code[pc];
    int offset = dest - (pc + 1);
    if (!(-OFFSET_SJ <= offset && offset <= MAX_ARG_AX - OFFSET_SJ))
        coro_emit_error(fs->cg, fs->cg->line, "control structure too long");
    SET_SJ(*jmp, offset);
}

void coro_emit_concat(FuncState *fs, int *l1, int l2)
{
    if (l2 == NO_JUMP)
        return;
    if (*l1 == NO_JUMP) {
        *l1 = l2;
        return;
    }
    int list = *l1, next;
    while ((next = get_jump(fs, list)) != NO_JUMP)
        list = next;
    fix_jump(fs, list, l2);
}

int coro_emit_jump(FuncState *fs)
{
    return emit_sj(fs, OP_JMP, NO_JUMP);
}

void coro_emit_ret(FuncState *fs, int first, int nret)
{
    OpCode op = nret == 0 ? OP_RETURN0 : nret == 1 ? OP_RETURN1 : OP_RETURN;
    coro_emit_abc(fs, op, first, nret + 1, 0);
}

static int cond_jump(FuncState *fs, OpCode op, int a, int b, int c, int k)
{
    coro_emit_abck(fs, op, a, b, c, k);
    return coro_emit_jump(fs);
}

int coro_emit_label(FuncState *fs)
{
    fs->lasttarget = fs->pc;
    return fs->pc;
}

static bool is_test_op(OpCode op)
{
    switch (op) {
    case OP_EQ: case OP_LT: case OP_LE: case OP_EQK: case OP_EQI:
    case OP_LTI: case OP_LEI: case OP_GTI: case OP_GEI:
    case OP_TEST: case OP_TESTSET:
        return true;
    default:
        return false;
    }
}

static Instr *jump_control(FuncState *fs, int pc)
{
    Instr *pi = &fs->f->code[pc];
    if (pc >= 1 && is_test_op(GET_OP(*(pi - 1))))
        return pi - 1;
    return pi;
}

/* A TESTSET whose value is wanted in reg (or not at all: NO_REG) becomes
 * a TESTSET into reg or a plain TEST.  Returns false for other jumps. */
static bool patch_test_reg(FuncState *fs, int node, int reg)
{
    Instr *i = jump_control(fs, node);
    if (GET_OP(*i) != OP_TESTSET)
        return false;
    if (reg != NO_REG && reg != GET_B(*i))
        SET_A(*i, reg);
    else
        *i = MAKE_ABCK(OP_TEST, GET_B(*i), 0, 0, GET_K(*i));
    return true;
}

static void remove_values(FuncState *fs, int list)
{
    for (; list != NO_JUMP; list = get_jump(fs, list))
        patch_test_reg(fs, list, NO_REG);
}

static void patch_list_aux(FuncState *fs, int list, int vtarget, int reg, int dtarget)
{
    while (list != NO_JUMP) {
        int next = get_jump(fs, list);
        if (patch_test_reg(fs, list, reg))
            fix_jump(fs, list, vtarget);
        else
            fix_jump(fs, list, dtarget);
        list = next;
    }
}

void coro_emit_patchlist(FuncState *fs, int list, int target)
{
    patch_list_aux(fs, list, target, NO_REG, target);
}

void coro_emit_patchtohere(FuncState *fs, int list)
{
    int here = coro_emit_label(fs);
    coro_emit_patchlist(fs, list, here);
}

Instr *coro_emit_instr(FuncState *fs, ExpDesc *e)
{
    return &fs->f->code[e->u.info];
}

/* ---- registers ---------------------------------------------------------------- */

/* Registers held by active locals. */
static int nvarstack(FuncState *fs)
{
    CodeGen *cg = fs->cg;
    for (int i = fs->nactvar - 1; i >= 0; i--) {
        VarDesc *v = &cg->actvar[fs->firstlocal + i];
        if (v->kind != VAR_CTC)
            return v->ridx + 1;
    }
    return 0;
}

void coro_emit_checkstack(FuncState *fs, int n)
{
    int newstack = fs->freereg + n;
    if (newstack > fs->f->max_stack) {
        if (newstack >= MAX_REGISTERS)
            coro_emit_error(fs->cg, fs->cg->line, "function or expression needs too many registers");
        fs->f->max_stack = (uint8_t)newstack;
    }
}

void coro_emit_reserveregs(FuncState *fs, int n)
{
    coro_emit_checkstack(fs, n);
    fs->freereg = (uint8_t)(fs->freereg + n);
}

static void free_reg(FuncState *fs, int reg)
{
    if (reg >= nvarstack(fs))
        fs->freereg--;
}

static void free_regs(FuncState *fs, int r1, int r2)
{
    if (r1 > r2) {
        free_reg(fs, r1);
        free_reg(fs, r2);
    } else {
        free_reg(fs, r2);
        free_reg(fs, r1);
    }
}

void coro_emit_freeexp(FuncState *fs, ExpDesc *e)
{
    if (e->k == EK_NONRELOC)
        free_reg(fs, e->u.info);
}

static void free_exps(FuncState *fs, ExpDesc *e1, ExpDesc *e2)
{
    int r1 = e1->k == EK_NONRELOC ? e1->u.info : -1;
    int r2 = e2->k == EK_NONRELOC ? e2->u.info : -1;
    if (r1 >= 0 && r2 >= 0)
        free_regs(fs, r1, r2);
    else if (r1 >= 0)
        free_reg(fs, r1);
    else if (r2 >= 0)
        free_reg(fs, r2);
}

/* ---- constants ------------------------------------------------------------------ */

static int add_constant(FuncState *fs, const Value *key, const Value *v)
{
    coro_VM *vm = fs->cg->vm;
    Proto *f = fs->f;
    if (key) {
        const Value *idx = coro_table_get(fs->kcache, key);
        if (is_int(idx)) {
            int k = (int)as_int(idx);
            if (k < fs->nk && f->constants[k].tag == v->tag)
                return k;
        }
    } else {
        /* Floats, booleans, nil: scan (there are few). */
        for (int k = 0; k < fs->nk; k++) {
            const Value *c = &f->constants[k];
            if (c->tag == v->tag &&
                (v->tag != TAG_FLOAT || memcmp(&c->u.n, &v->u.n, sizeof(double)) == 0))
                return k;
        }
    }
    int k = fs->nk;
    if (k >= f->const_size) {
        int cap = f->const_size;
        f->constants = coro_mem_grow(vm, f->constants, &cap, k + 1, sizeof(Value), MAX_ARG_AX, "constants");
        for (int i = f->const_size; i < cap; i++)
            set_nil(&f->constants[i]);
        f->const_size = cap;
    }
    f->constants[k] = *v;
    fs->nk++;
    if (key) {
        Value idx;
        set_int(&idx, k);
        coro_table_set(vm, fs->kcache, key, &idx);
    }
    return k;
}

int coro_emit_string_k(FuncState *fs, String *s)
{
    Value v;
    set_string(&v, s);
    return add_constant(fs, &v, &v);
}

static int int_k(FuncState *fs, int64_t i)
{
    Value v;
    set_int(&v, i);
    return add_constant(fs, &v, &v);
}

static int float_k(FuncState *fs, double d)
{
    Value v;
    set_float(&v, d);
    return add_constant(fs, NULL, &v);
}

static int bool_k(FuncState *fs, bool b)
{
    Value v;
    set_bool(&v, b);
    return add_constant(fs, NULL, &v);
}

static int nil_k(FuncState *fs)
{
    Value v;
    set_nil(&v);
    return add_constant(fs, NULL, &v);
}

static bool fits_sbx(int64_t i)
{
    return -OFFSET_SBX <= i && i <= MAX_ARG_BX - OFFSET_SBX;
}

void coro_emit_int(FuncState *fs, int reg, int64_t i)
{
    if (fits_sbx(i))
        coro_emit_asbx(fs, OP_LOADI, reg, (int)i);
    else
        coro_emit_k(fs, reg, int_k(fs, i));
}

static void emit_float(FuncState *fs, int reg, double d)
{
    int64_t fi;
    if (coro_flt_to_int(d, &fi, F2I_EXACT) && fits_sbx(fi) && !(d == 0 && signbit(d)))
        coro_emit_asbx(fs, OP_LOADF, reg, (int)fi);
    else
        coro_emit_k(fs, reg, float_k(fs, d));
}

static void str2k(FuncState *fs, ExpDesc *e)
{
    e->u.info = coro_emit_string_k(fs, e->u.strval);
    e->k = EK_K;
}

static void const2exp(const Value *v, ExpDesc *e)
{
    switch (v->tag) {
    case TAG_INT: e->k = EK_KINT; e->u.ival = as_int(v); break;
    case TAG_FLOAT: e->k = EK_KFLT; e->u.nval = as_float(v); break;
    case TAG_FALSE: e->k = EK_FALSE; break;
    case TAG_TRUE: e->k = EK_TRUE; break;
    case TAG_NIL: e->k = EK_NIL; break;
    case TAG_STRING: e->k = EK_KSTR; e->u.strval = as_string(v); break;
    default: break;
    }
}

bool coro_emit_exp2const(FuncState *fs, const ExpDesc *e, Value *v)
{
    if (has_jumps(e))
        return false;
    switch (e->k) {
    case EK_FALSE: set_bool(v, false); return true;
    case EK_TRUE: set_bool(v, true); return true;
    case EK_NIL: set_nil(v); return true;
    case EK_KSTR: set_string(v, e->u.strval); return true;
    case EK_KINT: set_int(v, e->u.ival); return true;
    case EK_KFLT: set_float(v, e->u.nval); return true;
    case EK_CONST:
        *v = fs->cg->actvar[e->u.info].k;
        return true;
    default:
        return false;
    }
}

/* ---- multiple results ------------------------------------------------------------ */

void coro_emit_setreturns(FuncState *fs, ExpDesc *e, int nresults)
{
    Instr *pc = coro_emit_instr(fs, e);
    SET_C(*pc, nresults + 1);
    if (e->k == EK_VARARG) {
        SET_A(*pc, fs->freereg);
        coro_emit_reserveregs(fs, 1);
    }
}

void coro_emit_setoneret(FuncState *fs, ExpDesc *e)
{
    if (e->k == EK_CALL) {
        e->k = EK_NONRELOC;
        e->u.info = GET_A(*coro_emit_instr(fs, e));
    } else if (e->k == EK_VARARG) {
        SET_C(*coro_emit_instr(fs, e), 2);
        e->k = EK_RELOC;
    }
}

/* ---- placing values ---------------------------------------------------------------- */

void coro_emit_dischargevars(FuncState *fs, ExpDesc *e)
{
    switch (e->k) {
    case EK_CONST:
        const2exp(&fs->cg->actvar[e->u.info].k, e);
        break;
    case EK_LOCAL:
        e->u.info = e->u.var.ridx;
        e->k = EK_NONRELOC;
        break;
    case EK_UPVAL:
        e->u.info = coro_emit_abc(fs, OP_GETUPVAL, 0, e->u.info, 0);
        e->k = EK_RELOC;
        break;
    case EK_INDEXUP:
        e->u.info = coro_emit_abc(fs, OP_GETTABUP, 0, e->u.ind.t, e->u.ind.idx);
        e->k = EK_RELOC;
        break;
    case EK_INDEXI:
        free_reg(fs, e->u.ind.t);
        e->u.info = coro_emit_abc(fs, OP_GETI, 0, e->u.ind.t, e->u.ind.idx);
        e->k = EK_RELOC;
        break;
    case EK_INDEXSTR:
        free_reg(fs, e->u.ind.t);
        e->u.info = coro_emit_abc(fs, OP_GETFIELD, 0, e->u.ind.t, e->u.ind.idx);
        e->k = EK_RELOC;
        break;
    case EK_INDEXED:
        free_regs(fs, e->u.ind.t, e->u.ind.idx);
        e->u.info = coro_emit_abc(fs, OP_GETTABLE, 0, e->u.ind.t, e->u.ind.idx);
        e->k = EK_RELOC;
        break;
    case EK_VARARG:
    case EK_CALL:
        coro_emit_setoneret(fs, e);
        break;
    default:
        break;
    }
}

static void discharge2reg(FuncState *fs, ExpDesc *e, int reg)
{
    coro_emit_dischargevars(fs, e);
    switch (e->k) {
    case EK_NIL:
        coro_emit_nil(fs, reg, 1);
        break;
    case EK_FALSE:
        coro_emit_abc(fs, OP_LOADFALSE, reg, 0, 0);
        break;
    case EK_TRUE:
        coro_emit_abc(fs, OP_LOADTRUE, reg, 0, 0);
        break;
    case EK_KSTR:
        str2k(fs, e);
        /* fall through */
    case EK_K:
        coro_emit_k(fs, reg, e->u.info);
        break;
    case EK_KFLT:
        emit_float(fs, reg, e->u.nval);
        break;
    case EK_KINT:
        coro_emit_int(fs, reg, e->u.ival);
        break;
    case EK_RELOC:
        SET_A(*coro_emit_instr(fs, e), reg);
        break;
    case EK_NONRELOC:
        if (reg != e->u.info)
            coro_emit_abc(fs, OP_MOVE, reg, e->u.info, 0);
        break;
    default:
        return;     /* EK_JMP: nothing to do here */
    }
    e->u.info = reg;
    e->k = EK_NONRELOC;
}

static void discharge2anyreg(FuncState *fs, ExpDesc *e)
{
    if (e->k != EK_NONRELOC) {
        coro_emit_reserveregs(fs, 1);
        discharge2reg(fs, e, fs->freereg - 1);
    }
}

static int code_loadbool(FuncState *fs, int a, OpCode op)
{
    coro_emit_label(fs);
    return coro_emit_abc(fs, op, a, 0, 0);
}

/* Whether some jump in the list needs a boolean value produced. */
static bool need_value(FuncState *fs, int list)
{
    for (; list != NO_JUMP; list = get_jump(fs, list))
        if (GET_OP(*jump_control(fs, list)) != OP_TESTSET)
            return true;
    return false;
}

static void exp2reg(FuncState *fs, ExpDesc *e, int reg)
{
    discharge2reg(fs, e, reg);
    if (e->k == EK_JMP)
        coro_emit_concat(fs, &e->t, e->u.info);
    if (has_jumps(e)) {
        int p_f = NO_JUMP, p_t = NO_JUMP;
        if (need_value(fs, e->t) || need_value(fs, e->f)) {
            int fj = e->k == EK_JMP ? NO_JUMP : coro_emit_jump(fs);
            p_f = code_loadbool(fs, reg, OP_LFALSESKIP);
            p_t = code_loadbool(fs, reg, OP_LOADTRUE);
            coro_emit_patchtohere(fs, fj);
        }
        int final = coro_emit_label(fs);
        patch_list_aux(fs, e->f, final, reg, p_f);
        patch_list_aux(fs, e->t, final, reg, p_t);
    }
    e->f = e->t = NO_JUMP;
    e->u.info = reg;
    e->k = EK_NONRELOC;
}

void coro_emit_exp2nextreg(FuncState *fs, ExpDesc *e)
{
    coro_emit_dischargevars(fs, e);
    coro_emit_freeexp(fs, e);
    coro_emit_reserveregs(fs, 1);
    exp2reg(fs, e, fs->freereg - 1);
}

int coro_emit_exp2anyreg(FuncState *fs, ExpDesc *e)
{
    coro_emit_dischargevars(fs, e);
    if (e->k == EK_NONRELOC) {
        if (!has_jumps(e))
            return e->u.info;
        if (e->u.info >= nvarstack(fs)) {
            exp2reg(fs, e, e->u.info);
            return e->u.info;
        }
        /* A local with jumps: the result needs its own register. */
    }
    coro_emit_exp2nextreg(fs, e);
    return e->u.info;
}

void coro_emit_exp2anyregup(FuncState *fs, ExpDesc *e)
{
    if (e->k != EK_UPVAL || has_jumps(e))
        coro_emit_exp2anyreg(fs, e);
}

void coro_emit_exp2val(FuncState *fs, ExpDesc *e)
{
    if (has_jumps(e))
        coro_emit_exp2anyreg(fs, e);
    else
        coro_emit_dischargevars(fs, e);
}

/* Turns e into a constant usable as an RK operand, if it can be one. */
static bool exp2k(FuncState *fs, ExpDesc *e)
{
    if (has_jumps(e))
        return false;
    int info;
    switch (e->k) {
    case EK_TRUE: info = bool_k(fs, true); break;
    case EK_FALSE: info = bool_k(fs, false); break;
    case EK_NIL: info = nil_k(fs); break;
    case EK_KINT: info = int_k(fs, e->u.ival); break;
    case EK_KFLT: info = float_k(fs, e->u.nval); break;
    case EK_KSTR: info = coro_emit_string_k(fs, e->u.strval); break;
    case EK_K: info = e->u.info; break;
    default: return false;
    }
    if (info <= MAX_INDEX_RK) {
        e->k = EK_K;
        e->u.info = info;
        return true;
    }
    return false;
}

static int exp2rk(FuncState *fs, ExpDesc *e)
{
    if (exp2k(fs, e))
        return 1;
    coro_emit_exp2anyreg(fs, e);
    return 0;
}

static void code_abrk(FuncState *fs, OpCode o, int a, int b, ExpDesc *ec)
{
    int k = exp2rk(fs, ec);
    coro_emit_abck(fs, o, a, b, ec->u.info, k);
}

void coro_emit_storevar(FuncState *fs, ExpDesc *var, ExpDesc *ex)
{
    switch (var->k) {
    case EK_LOCAL:
        coro_emit_freeexp(fs, ex);
        exp2reg(fs, ex, var->u.var.ridx);
        return;
    case EK_UPVAL: {
        int e = coro_emit_exp2anyreg(fs, ex);
        coro_emit_abc(fs, OP_SETUPVAL, e, var->u.info, 0);
        break;
    }
    case EK_INDEXUP:
        code_abrk(fs, OP_SETTABUP, var->u.ind.t, var->u.ind.idx, ex);
        break;
    case EK_INDEXI:
        code_abrk(fs, OP_SETI, var->u.ind.t, var->u.ind.idx, ex);
        break;
    case EK_INDEXSTR:
        code_abrk(fs, OP_SETFIELD, var->u.ind.t, var->u.ind.idx, ex);
        break;
    case EK_INDEXED:
        code_abrk(fs, OP_SETTABLE, var->u.ind.t, var->u.ind.idx, ex);
        break;
    default:
        break;
    }
    coro_emit_freeexp(fs, ex);
}

void coro_emit_self(FuncState *fs, ExpDesc *e, ExpDesc *key)
{
    coro_emit_exp2anyreg(fs, e);
    int ereg = e->u.info;
    coro_emit_freeexp(fs, e);
    e->u.info = fs->freereg;
    e->k = EK_NONRELOC;
    coro_emit_reserveregs(fs, 2);
    code_abrk(fs, OP_SELF, e->u.info, ereg, key);
    coro_emit_freeexp(fs, key);
}

/* ---- conditions -------------------------------------------------------------------- */

static void negate_condition(FuncState *fs, ExpDesc *e)
{
    Instr *i = jump_control(fs, e->u.info);
    SET_K(*i, GET_K(*i) ^ 1);
}

static int jump_on_cond(FuncState *fs, ExpDesc *e, int cond)
{
    if (e->k == EK_RELOC) {
        Instr ie = *coro_emit_instr(fs, e);
        if (GET_OP(ie) == OP_NOT) {
            fs->pc--;   /* drop the NOT and test its operand the other way */
            return cond_jump(fs, OP_TEST, GET_B(ie), 0, 0, !cond);
        }
    }
    discharge2anyreg(fs, e);
    coro_emit_freeexp(fs, e);
    return cond_jump(fs, OP_TESTSET, NO_REG, e->u.info, 0, cond);
}

void coro_emit_goiftrue(FuncState *fs, ExpDesc *e)
{
    int pc;
    coro_emit_dischargevars(fs, e);
    switch (e->k) {
    case EK_JMP:
        negate_condition(fs, e);
        pc = e->u.info;
        break;
    case EK_K: case EK_KFLT: case EK_KINT: case EK_KSTR: case EK_TRUE:
        pc = NO_JUMP;   /* always true */
        break;
    default:
        pc = jump_on_cond(fs, e, 0);
        break;
    }
    coro_emit_concat(fs, &e->f, pc);
    coro_emit_patchtohere(fs, e->t);
    e->t = NO_JUMP;
}

void coro_emit_goiffalse(FuncState *fs, ExpDesc *e)
{
    int pc;
    coro_emit_dischargevars(fs, e);
    switch (e->k) {
    case EK_JMP:
        pc = e->u.info;
        break;
    case EK_NIL: case EK_FALSE:
        pc = NO_JUMP;   /* always false */
        break;
    default:
        pc = jump_on_cond(fs, e, 1);
        break;
    }
    coro_emit_concat(fs, &e->t, pc);
    coro_emit_patchtohere(fs, e->f);
    e->f = NO_JUMP;
}

static void code_not(FuncState *fs, ExpDesc *e)
{
    switch (e->k) {
    case EK_NIL: case EK_FALSE:
        e->k = EK_TRUE;
        break;
    case EK_K: case EK_KFLT: case EK_KINT: case EK_KSTR: case EK_TRUE:
        e->k = EK_FALSE;
        break;
    case EK_JMP:
        negate_condition(fs, e);
        break;
    case EK_RELOC:
    case EK_NONRELOC:
        discharge2anyreg(fs, e);
        coro_emit_freeexp(fs, e);
        e->u.info = coro_emit_abc(fs, OP_NOT, 0, e->u.info, 0);
        e->k = EK_RELOC;
        break;
    default:
        break;
    }
    int tmp = e->f;
    e->f = e->t;
    e->t = tmp;
    remove_values(fs, e->f);
    remove_values(fs, e->t);
}

/* ---- indexing ------------------------------------------------------------------------ */

static bool is_kstr(FuncState *fs, ExpDesc *e)
{
    return e->k == EK_K && !has_jumps(e) && e->u.info <= MAX_ARG_B &&
           is_string(&fs->f->constants[e->u.info]) &&
           as_string(&fs->f->constants[e->u.info])->is_short;
}

static bool is_kint(ExpDesc *e)
{
    return e->k == EK_KINT && !has_jumps(e);
}

static bool is_cint(ExpDesc *e)
{
    return is_kint(e) && (uint64_t)e->u.ival <= (uint64_t)MAX_ARG_C;
}

static bool is_scint(ExpDesc *e)
{
    /* In unsigned arithmetic: ival + OFFSET_SC overflows near maxinteger. */
    return is_kint(e) && (uint64_t)e->u.ival + OFFSET_SC <= (uint64_t)MAX_ARG_C;
}

/* A number that fits an sB/sC immediate; *isfloat says it was a float. */
static bool is_scnumber(ExpDesc *e, int *pi, int *isfloat)
{
    int64_t i;
    if (e->k == EK_KINT)
        i = e->u.ival;
    else if (e->k == EK_KFLT && coro_flt_to_int(e->u.nval, &i, F2I_EXACT))
        *isfloat = 1;
    else
        return false;
    if (!has_jumps(e) && (uint64_t)i + OFFSET_SC <= (uint64_t)MAX_ARG_C) {
        *pi = (int)i + OFFSET_SC;
        return true;
    }
    return false;
}

void coro_emit_indexed(FuncState *fs, ExpDesc *t, ExpDesc *k)
{
    if (k->k == EK_KSTR)
        str2k(fs, k);
    if (t->k == EK_UPVAL && !is_kstr(fs, k))
        coro_emit_exp2anyreg(fs, t);
    if (t->k == EK_UPVAL) {
        int up = t->u.info;
        t->u.ind.t = (uint8_t)up;
        t->u.ind.idx = (short)k->u.info;
        t->k = EK_INDEXUP;
        return;
    }
    t->u.ind.t = (uint8_t)(t->k == EK_LOCAL ? t->u.var.ridx : t->u.info);
    if (is_kstr(fs, k)) {
        t->u.ind.idx = (short)k->u.info;
        t->k = EK_INDEXSTR;
    } else if (is_cint(k)) {
        t->u.ind.idx = (short)k->u.ival;
        t->k = EK_INDEXI;
    } else {
        t->u.ind.idx = (short)coro_emit_exp2anyreg(fs, k);
        t->k = EK_INDEXED;
    }
}

/* ---- operators --------------------------------------------------------------------- */

static bool to_numeral(const ExpDesc *e, Value *v)
{
    if (has_jumps(e))
        return false;
    if (e->k == EK_KINT) {
        if (v)
            set_int(v, e->u.ival);
        return true;
    }
    if (e->k == EK_KFLT) {
        if (v)
            set_float(v, e->u.nval);
        return true;
    }
    return false;
}

/* The operation can be folded at compile time without changing what
 * happens at run time (no error, no metamethod). */
static bool valid_fold(int op, const Value *v1, const Value *v2)
{
    switch (op) {
    case CORO_OPBAND: case CORO_OPBOR: case CORO_OPBXOR:
    case CORO_OPSHL: case CORO_OPSHR: case CORO_OPBNOT: {
        int64_t i;
        return coro_value_to_int(v1, &i, F2I_EXACT) && coro_value_to_int(v2, &i, F2I_EXACT);
    }
    case CORO_OPDIV: case CORO_OPIDIV: case CORO_OPMOD:
        return as_number(v2) != 0;
    default:
        return true;
    }
}

static bool const_folding(int op, ExpDesc *e1, const ExpDesc *e2)
{
    Value v1, v2, res;
    if (!to_numeral(e1, &v1) || !to_numeral(e2, &v2) || !valid_fold(op, &v1, &v2))
        return false;
    if (!coro_arith_raw(NULL, op, &v1, &v2, &res))
        return false;
    if (is_int(&res)) {
        e1->k = EK_KINT;
        e1->u.ival = as_int(&res);
    } else {
        double n = as_float(&res);
        /* NaN and zeros stay run-time computations (-0.0 vs 0.0). */
        if (isnan(n) || n == 0)
            return false;
        e1->k = EK_KFLT;
        e1->u.nval = n;
    }
    return true;
}

static int ast_to_arith_op(AstBinaryOp op)
{
    switch (op) {
    case AST_OP_ADD: return CORO_OPADD;
    case AST_OP_SUB: return CORO_OPSUB;
    case AST_OP_MUL: return CORO_OPMUL;
    case AST_OP_MOD: return CORO_OPMOD;
    case AST_OP_POW: return CORO_OPPOW;
    case AST_OP_DIV: return CORO_OPDIV;
    case AST_OP_IDIV: return CORO_OPIDIV;
    case AST_OP_BAND: return CORO_OPBAND;
    case AST_OP_BOR: return CORO_OPBOR;
    case AST_OP_BXOR: return CORO_OPBXOR;
    case AST_OP_SHL: return CORO_OPSHL;
    case AST_OP_SHR: return CORO_OPSHR;
    default: return -1;
    }
}

static void code_unexpval(FuncState *fs, OpCode op, ExpDesc *e, int line)
{
    int r = coro_emit_exp2anyreg(fs, e);
    coro_emit_freeexp(fs, e);
    e->u.info = coro_emit_abc(fs, op, 0, r, 0);
    e->k = EK_RELOC;
    coro_emit_fixline(fs, line);
}

void coro_emit_prefix(FuncState *fs, AstUnaryOp op, ExpDesc *e, int line)
{
    static const ExpDesc zero = { EK_KINT, { 0 }, NO_JUMP, NO_JUMP };
    coro_emit_dischargevars(fs, e);
    switch (op) {
    case AST_OP_NEG:
        if (const_folding(CORO_OPUNM, e, &zero))
            break;
        code_unexpval(fs, OP_UNM, e, line);
        break;
    case AST_OP_BNOT:
        if (const_folding(CORO_OPBNOT, e, &zero))
            break;
        code_unexpval(fs, OP_BNOT, e, line);
        break;
    case AST_OP_LEN:
        code_unexpval(fs, OP_LEN, e, line);
        break;
    case AST_OP_NOT:
        code_not(fs, e);
        break;
    default:
        break;
    }
}

void coro_emit_infix(FuncState *fs, AstBinaryOp op, ExpDesc *v)
{
    coro_emit_dischargevars(fs, v);
    switch (op) {
    case AST_OP_AND:
        coro_emit_goiftrue(fs, v);
        break;
    case AST_OP_OR:
        coro_emit_goiffalse(fs, v);
        break;
    case AST_OP_CONCAT:
        coro_emit_exp2nextreg(fs, v);
        break;
    case AST_OP_ADD: case AST_OP_SUB: case AST_OP_MUL: case AST_OP_DIV:
    case AST_OP_IDIV: case AST_OP_MOD: case AST_OP_POW:
    case AST_OP_BAND: case AST_OP_BOR: case AST_OP_BXOR:
    case AST_OP_SHL: case AST_OP_SHR:
        /* Numerals stay as they are: they may fold or be immediates. */
        if (!to_numeral(v, NULL))
            coro_emit_exp2anyreg(fs, v);
        break;
    case AST_OP_EQ: case AST_OP_NE:
        if (!to_numeral(v, NULL))
            exp2rk(fs, v);
        break;
    case AST_OP_LT: case AST_OP_LE: case AST_OP_GT: case AST_OP_GE: {
        int dummy, dummy2 = 0;
        if (!is_scnumber(v, &dummy, &dummy2))
            coro_emit_exp2anyreg(fs, v);
        break;
    }
    default:
        break;
    }
}

static void swap_exps(ExpDesc *e1, ExpDesc *e2)
{
    ExpDesc t = *e1;
    *e1 = *e2;
    *e2 = t;
}

static void finish_binexpval(FuncState *fs, ExpDesc *e1, ExpDesc *e2, OpCode op,
                             int v2, int flip, int line)
{
    int v1 = coro_emit_exp2anyreg(fs, e1);
    int pc = coro_emit_abck(fs, op, 0, v1, v2, flip);
    free_exps(fs, e1, e2);
    e1->u.info = pc;
    e1->k = EK_RELOC;
    coro_emit_fixline(fs, line);
}

static void code_binexpval(FuncState *fs, OpCode op, ExpDesc *e1, ExpDesc *e2, int line)
{
    int v2 = coro_emit_exp2anyreg(fs, e2);
    finish_binexpval(fs, e1, e2, op, v2, 0, line);
}

static void code_bini(FuncState *fs, OpCode op, ExpDesc *e1, ExpDesc *e2, int flip, int line)
{
    int v2 = (int)e2->u.ival + OFFSET_SC;
    finish_binexpval(fs, e1, e2, op, v2, flip, line);
}

static void code_bink(FuncState *fs, int arith, ExpDesc *e1, ExpDesc *e2, int flip, int line)
{
    int v2 = e2->u.info;
    OpCode op = (OpCode)(OP_ADDK + arith);
    finish_binexpval(fs, e1, e2, op, v2, flip, line);
}

static void code_arith(FuncState *fs, int arith, ExpDesc *e1, ExpDesc *e2, int flip, int line)
{
    if (to_numeral(e2, NULL) && exp2k(fs, e2)) {
        code_bink(fs, arith, e1, e2, flip, line);
    } else {
        if (flip)
            swap_exps(e1, e2);
        code_binexpval(fs, (OpCode)(OP_ADD + arith), e1, e2, line);
    }
}

static void code_commutative(FuncState *fs, int arith, ExpDesc *e1, ExpDesc *e2, int line)
{
    int flip = 0;
    if (to_numeral(e1, NULL)) {
        swap_exps(e1, e2);
        flip = 1;
    }
    if (arith == CORO_OPADD && is_scint(e2))
        code_bini(fs, OP_ADDI, e1, e2, flip, line);
    else
        code_arith(fs, arith, e1, e2, flip, line);
}

static void code_bitwise(FuncState *fs, int arith, ExpDesc *e1, ExpDesc *e2, int line)
{
    int flip = 0;
    if (e1->k == EK_KINT) {
        swap_exps(e1, e2);
        flip = 1;
    }
    if (e2->k == EK_KINT && exp2k(fs, e2)) {
        code_bink(fs, arith, e1, e2, flip, line);
    } else {
        if (flip)
            swap_exps(e1, e2);
        code_binexpval(fs, (OpCode)(OP_ADD + arith), e1, e2, line);
    }
}

static void code_order(FuncState *fs, OpCode op, ExpDesc *e1, ExpDesc *e2)
{
    int r1, r2, im, isfloat = 0;
    if (is_scnumber(e2, &im, &isfloat)) {
        r1 = coro_emit_exp2anyreg(fs, e1);
        r2 = im;
        op = op == OP_LT ? OP_LTI : OP_LEI;
    } else if (is_scnumber(e1, &im, &isfloat)) {
        r1 = coro_emit_exp2anyreg(fs, e2);
        r2 = im;
        op = op == OP_LT ? OP_GTI : OP_GEI;
    } else {
        r1 = coro_emit_exp2anyreg(fs, e1);
        r2 = coro_emit_exp2anyreg(fs, e2);
    }
    free_exps(fs, e1, e2);
    e1->u.info = cond_jump(fs, op, r1, r2, isfloat, 1);
    e1->k = EK_JMP;
}

static void code_eq(FuncState *fs, AstBinaryOp opr, ExpDesc *e1, ExpDesc *e2)
{
    int r1, r2, im, isfloat = 0;
    OpCode op;
    if (e1->k != EK_NONRELOC)
        swap_exps(e1, e2);     /* e1 was made a constant by infix */
    r1 = coro_emit_exp2anyreg(fs, e1);
    if (is_scnumber(e2, &im, &isfloat)) {
        op = OP_EQI;
        r2 = im;
    } else if (exp2rk(fs, e2)) {
        op = OP_EQK;
        r2 = e2->u.info;
    } else {
        op = OP_EQ;
        r2 = coro_emit_exp2anyreg(fs, e2);
    }
    free_exps(fs, e1, e2);
    e1->u.info = cond_jump(fs, op, r1, r2, isfloat, opr == AST_OP_EQ);
    e1->k = EK_JMP;
}

static void code_concat(FuncState *fs, ExpDesc *e1, ExpDesc *e2, int line)
{
    Instr *ie2 = previous_instruction(fs);
    if (GET_OP(*ie2) == OP_CONCAT) {
        /* e2 is a concatenation of its own: extend it to cover e1. */
        int n = GET_B(*ie2);
        coro_emit_freeexp(fs, e2);
        SET_A(*ie2, e1->u.info);
        SET_B(*ie2, n + 1);
    } else {
        coro_emit_abc(fs, OP_CONCAT, e1->u.info, 2, 0);
        coro_emit_freeexp(fs, e2);
        coro_emit_fixline(fs, line);
    }
}

void coro_emit_posfix(FuncState *fs, AstBinaryOp op, ExpDesc *e1, ExpDesc *e2, int line)
{
    coro_emit_dischargevars(fs, e2);
    int arith = ast_to_arith_op(op);
    if (arith >= 0 && const_folding(arith, e1, e2))
        return;
    switch (op) {
    case AST_OP_AND:
        coro_emit_concat(fs, &e2->f, e1->f);
        *e1 = *e2;
        break;
    case AST_OP_OR:
        coro_emit_concat(fs, &e2->t, e1->t);
        *e1 = *e2;
        break;
    case AST_OP_CONCAT:
        coro_emit_exp2nextreg(fs, e2);
        code_concat(fs, e1, e2, line);
        break;
    case AST_OP_ADD: case AST_OP_MUL:
        code_commutative(fs, arith, e1, e2, line);
        break;
    case AST_OP_SUB: case AST_OP_DIV: case AST_OP_IDIV:
    case AST_OP_MOD: case AST_OP_POW:
        code_arith(fs, arith, e1, e2, 0, line);
        break;
    case AST_OP_BAND: case AST_OP_BOR: case AST_OP_BXOR:
        code_bitwise(fs, arith, e1, e2, line);
        break;
    case AST_OP_SHL:
        if (is_scint(e1)) {
            swap_exps(e1, e2);
            code_bini(fs, OP_SHLI, e1, e2, 1, line);    /* k << x */
        } else {
            code_binexpval(fs, OP_SHL, e1, e2, line);
        }
        break;
    case AST_OP_SHR:
        if (is_scint(e2))
            code_bini(fs, OP_SHRI, e1, e2, 0, line);     /* x >> k */
        else
            code_binexpval(fs, OP_SHR, e1, e2, line);
        break;
    case AST_OP_EQ: case AST_OP_NE:
        code_eq(fs, op, e1, e2);
        break;
    case AST_OP_GT: case AST_OP_GE:
        /* a > b is b < a */
        swap_exps(e1, e2);
        code_order(fs, op == AST_OP_GT ? OP_LT : OP_LE, e1, e2);
        break;
    case AST_OP_LT: case AST_OP_LE:
        code_order(fs, op == AST_OP_LT ? OP_LT : OP_LE, e1, e2);
        break;
    default:
        break;
    }
}

/* ---- tables ---------------------------------------------------------------------------- */

void coro_emit_settablesize(FuncState *fs, int pc, int ra, int asize, int hsize)
{
    Instr *inst = &fs->f->code[pc];
    int rb = 0;
    if (hsize != 0) {
        int l = 0;
        while ((1 << l) < hsize)
            l++;
        rb = l + 1;
    }
    int extra = asize / (MAX_ARG_C + 1);
    int rc = asize % (MAX_ARG_C + 1);
    *inst = MAKE_ABCK(OP_NEWTABLE, ra, rb, rc, extra > 0);
    *(inst + 1) = MAKE_AX(OP_EXTRAARG, (unsigned)extra);
}

void coro_emit_setlist(FuncState *fs, int base, int nelems, int tostore)
{
    if (tostore == CORO_MULTRET)
        tostore = 0;
    if (nelems <= MAX_ARG_C) {
        coro_emit_abc(fs, OP_SETLIST, base, tostore, nelems);
    } else {
        int extra = nelems / (MAX_ARG_C + 1);
        nelems %= (MAX_ARG_C + 1);
        coro_emit_abck(fs, OP_SETLIST, base, tostore, nelems, 1);
        emit_extraarg(fs, extra);
    }
    fs->freereg = (uint8_t)(base + 1);
}

/* ---- final pass -------------------------------------------------------------------------- */

/* Where a chain of jumps finally lands. */
static int final_target(Instr *code, int i)
{
    for (int count = 0; count < 100; count++) {
        Instr pc = code[i];
        if (GET_OP(pc) != OP_JMP)
            break;
        i += GET_SJ(pc) + 1;
    }
    return i;
}

void coro_emit_finish(FuncState *fs)
{
    Proto *p = fs->f;
    for (int i = 0; i < fs->pc; i++) {
        Instr *pc = &p->code[i];
        switch (GET_OP(*pc)) {
        case OP_RETURN0:
        case OP_RETURN1:
            if (!fs->needclose)
                break;
            *pc = MAKE_ABCK(OP_RETURN, GET_A(*pc), GET_B(*pc), 0, 1);
            break;
        case OP_RETURN:
        case OP_TAILCALL:
            if (fs->needclose)
                SET_K(*pc, 1);
            break;
        case OP_JMP: {
            int target = final_target(p->code, i);
            fix_jump(fs, i, target);
            break;
        }
        default:
            break;
        }
    }
}
