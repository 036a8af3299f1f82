/*
 * emit.h: instruction emission for the code generator.
 *
 * The code generator walks the syntax tree; this module turns what it
 * finds into register bytecode.  An expression being compiled is described
 * by an ExpDesc that says where its value is (a constant, a local's
 * register, a table slot, the result of an instruction not yet given a
 * target register, a pending conditional jump ...).  Keeping the value
 * "not yet placed" as long as possible is what lets `t.x = a + 1` compile
 * to one ADDI and one SETFIELD with no copies, and `if a < b then` to one
 * LT and one JMP.  Jump lists (t: jumps taken when the expression is true,
 * f: when false) thread through the JMP instructions' own offset fields.
 */
#ifndef CORO_EMIT_H
#define CORO_EMIT_H

#include "ast.h"
#include "opcodes.h"
#include "state.h"

#define NO_JUMP (-1)
#define NO_REG MAX_ARG_A

typedef enum ExpKind {
    EK_VOID,        /* no value (an empty expression list) */
    EK_NIL,
    EK_TRUE,
    EK_FALSE,
    EK_K,           /* u.info: constant index */
    EK_KFLT,        /* u.nval */
    EK_KINT,        /* u.ival */
    EK_KSTR,        /* u.strval, not yet a constant */
    EK_NONRELOC,    /* u.info: the register holding the value */
    EK_LOCAL,       /* u.var: a local variable's register */
    EK_UPVAL,       /* u.info: upvalue index */
    EK_CONST,       /* u.info: index of a compile-time constant variable */
    EK_INDEXED,     /* u.ind: R[t][R[idx]] */
    EK_INDEXUP,     /* u.ind: U[t][K[idx]] */
    EK_INDEXI,      /* u.ind: R[t][idx] */
    EK_INDEXSTR,    /* u.ind: R[t][K[idx]] */
    EK_JMP,         /* u.info: pc of the test's jump */
    EK_RELOC,       /* u.info: pc of an instruction whose A is still free */
    EK_CALL,        /* u.info: pc of a CALL, YIELD, YIELDFROM or AWAIT */
    EK_VARARG       /* u.info: pc of a VARARG */
} ExpKind;

#define ek_is_var(k)     ((k) >= EK_LOCAL && (k) <= EK_INDEXSTR)
#define ek_is_indexed(k) ((k) >= EK_INDEXED && (k) <= EK_INDEXSTR)
#define ek_has_multret(k) ((k) == EK_CALL || (k) == EK_VARARG)

typedef struct ExpDesc {
    ExpKind k;
    union {
        int64_t ival;
        double nval;
        String *strval;
        int info;
        struct { short idx; uint8_t t; } ind;
        struct { uint8_t ridx; unsigned short vidx; } var;
    } u;
    int t;          /* jumps when true */
    int f;          /* jumps when false */
} ExpDesc;

/* Variable kinds. */
#define VAR_REG     0   /* ordinary */
#define VAR_CONST   1   /* <const> held in a register */
#define VAR_CLOSE   2   /* <close> */
#define VAR_CTC     3   /* compile-time constant: no register */

typedef struct VarDesc {
    uint8_t kind;
    uint8_t ridx;           /* register */
    short pidx;             /* index in Proto.locvars */
    String *name;
    Value k;                /* value of a compile-time constant */
} VarDesc;

typedef struct LabelDesc {
    String *name;
    int pc;
    int line;
    uint8_t nactvar;        /* active locals at that point */
    uint8_t close;          /* goto that escapes upvalues */
} LabelDesc;

typedef struct LabelList {
    LabelDesc *arr;
    int n, size;
} LabelList;

typedef struct CodeGen CodeGen;

typedef struct BlockCnt BlockCnt;

typedef struct FuncState {
    Proto *f;
    struct FuncState *prev;
    CodeGen *cg;
    BlockCnt *bl;
    Table *kcache;          /* constant value -> index, for reuse */
    int pc;                 /* next instruction's index */
    int lasttarget;         /* last pc that is a jump target */
    int nk;                 /* constants used */
    int np;                 /* nested protos */
    int firstlocal;         /* first of this function's VarDescs */
    int firstlabel;         /* first of this function's labels */
    short ndebugvars;       /* locvars used */
    uint8_t nactvar;        /* active locals */
    uint8_t nups;           /* upvalues */
    uint8_t freereg;        /* first free register */
    uint8_t needclose;      /* returns must close upvalues / tbc */
    int code_cap, k_cap, p_cap, lv_cap, up_cap;
} FuncState;

struct CodeGen {
    coro_VM *vm;
    const char *chunkid;        /* for messages */
    String *source;             /* chunk name, kept in every Proto */
    String *env_name;           /* "_ENV" */
    FuncState *fs;
    int line;                   /* line for instructions being emitted */
    const char *near;           /* token Lua's one-pass parser would be at, for limit errors */
    VarDesc *actvar;            /* active locals of every open function */
    int nactvar, actvar_cap;
    LabelList gotos;            /* pending gotos */
    LabelList labels;           /* active labels */
    struct Scratch *scratch;    /* heap arrays of the statements being
                                 * compiled, freed if an error unwinds */
};

/* Raises "chunkid:line: msg" as a syntax error. */
CORO_NORETURN void coro_emit_error(CodeGen *cg, int line, const char *fmt, ...);

int coro_emit(FuncState *fs, Instr i);
int coro_emit_abck(FuncState *fs, OpCode o, int a, int b, int c, int k);
#define coro_emit_abc(fs, o, a, b, c) coro_emit_abck(fs, o, a, b, c, 0)
int coro_emit_abx(FuncState *fs, OpCode o, int a, unsigned int bx);
int coro_emit_asbx(FuncState *fs, OpCode o, int a, int sbx);
int coro_emit_k(FuncState *fs, int reg, int k);
void coro_emit_nil(FuncState *fs, int from, int n);
int coro_emit_jump(FuncState *fs);
void coro_emit_ret(FuncState *fs, int first, int nret);
int coro_emit_label(FuncState *fs);     /* marks the current pc as a target */
void coro_emit_patchlist(FuncState *fs, int list, int target);
void coro_emit_patchtohere(FuncState *fs, int list);
void coro_emit_concat(FuncState *fs, int *l1, int l2);
void coro_emit_fixline(FuncState *fs, int line);
Instr *coro_emit_instr(FuncState *fs, ExpDesc *e);

void coro_emit_checkstack(FuncState *fs, int n);
void coro_emit_reserveregs(FuncState *fs, int n);
void coro_emit_int(FuncState *fs, int reg, int64_t i);
int coro_emit_string_k(FuncState *fs, String *s);

void coro_emit_setreturns(FuncState *fs, ExpDesc *e, int nresults);
#define coro_emit_setmultret(fs, e) coro_emit_setreturns(fs, e, CORO_MULTRET)
void coro_emit_setoneret(FuncState *fs, ExpDesc *e);
void coro_emit_dischargevars(FuncState *fs, ExpDesc *e);
int coro_emit_exp2anyreg(FuncState *fs, ExpDesc *e);
void coro_emit_exp2anyregup(FuncState *fs, ExpDesc *e);
void coro_emit_exp2nextreg(FuncState *fs, ExpDesc *e);
void coro_emit_exp2val(FuncState *fs, ExpDesc *e);
bool coro_emit_exp2const(FuncState *fs, const ExpDesc *e, Value *v);
void coro_emit_freeexp(FuncState *fs, ExpDesc *e);
void coro_emit_self(FuncState *fs, ExpDesc *e, ExpDesc *key);
void coro_emit_indexed(FuncState *fs, ExpDesc *t, ExpDesc *k);
void coro_emit_goiftrue(FuncState *fs, ExpDesc *e);
void coro_emit_goiffalse(FuncState *fs, ExpDesc *e);
void coro_emit_storevar(FuncState *fs, ExpDesc *var, ExpDesc *ex);
void coro_emit_prefix(FuncState *fs, AstUnaryOp op, ExpDesc *e, int line);
void coro_emit_infix(FuncState *fs, AstBinaryOp op, ExpDesc *v);
void coro_emit_posfix(FuncState *fs, AstBinaryOp op, ExpDesc *e1, ExpDesc *e2, int line);
void coro_emit_settablesize(FuncState *fs, int pc, int ra, int asize, int hsize);
void coro_emit_setlist(FuncState *fs, int base, int nelems, int tostore);
void coro_emit_finish(FuncState *fs);

static inline void coro_exp_init(ExpDesc *e, ExpKind k, int info)
{
    e->f = e->t = NO_JUMP;
    e->k = k;
    e->u.info = info;
}

#define has_jumps(e) ((e)->t != (e)->f)

#endif
