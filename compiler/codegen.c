/*
 * codegen.c: from the syntax tree to bytecode.
 *
 * Walks the tree once, resolving names as it goes (locals, upvalues,
 * globals as _ENV.name), and drives emit.c.  Scoping, upvalue capture,
 * goto/label matching and the closing of upvalues and to-be-closed
 * variables follow Lua 5.4 exactly, since programs observe them.
 *
 * The tree's left spines (operator chains, suffix chains) are walked with
 * loops; everything else recurses, bounded by the parser's nesting limit.
 */
#include <stddef.h>
#include <string.h>

#include "codegen.h"
#include "emit.h"
#include "func.h"
#include "gc.h"
#include "mem.h"
#include "str.h"
#include "table.h"
#include "call.h"

#define MAX_VARS 200
#define MAX_UPVALS 255

struct BlockCnt {
    struct BlockCnt *previous;
    int firstlabel;
    int firstgoto;
    uint8_t nactvar;
    uint8_t upval;          /* some variable of the block is captured */
    uint8_t isloop;
    uint8_t insidetbc;
};

static void expr(CodeGen *cg, const AstNode *n, ExpDesc *v);
static void block_stats(CodeGen *cg, const AstNode *blk, bool in_repeat);
static void statement(CodeGen *cg, const AstNode *n);

static String *new_str(CodeGen *cg, const char *s, size_t len)
{
    return coro_str_new(cg->vm, s, len);
}

static String *ast_str(CodeGen *cg, AstString s)
{
    return new_str(cg, s.data, s.len);
}

static String *name_str(CodeGen *cg, const AstNode *n)
{
    return ast_str(cg, n->u.name.id);
}

static void set_line(CodeGen *cg, int line)
{
    if (line > 0)
        cg->line = line;
}

/* "too many X (limit is N) in main function / function at line L" */
CORO_NORETURN static void error_limit(FuncState *fs, int limit, const char *what)
{
    int line = fs->f->line_defined;
    char where[64];
    if (line == 0)
        snprintf(where, sizeof where, "main function");
    else
        snprintf(where, sizeof where, "function at line %d", line);
    if (fs->cg->near)
        coro_emit_error(fs->cg, fs->cg->line, "too many %s (limit is %d) in %s near '%s'", what,
                        limit, where, fs->cg->near);
    coro_emit_error(fs->cg, fs->cg->line, "too many %s (limit is %d) in %s", what, limit, where);
}

/* ---- scratch arrays -------------------------------------------------------- */

/* An expression or statement keeps its pieces on the C stack, and moves
 * them to the heap when there are many.  An error (a limit, no memory)
 * longjmps out of the generator past the code that would free them, so
 * heap scratch arrays are listed in the CodeGen, and coro_codegen's error
 * path frees whatever is still listed. */
typedef struct Scratch {
    struct Scratch *next, *prev;
    size_t size;                /* of the whole block */
    max_align_t data[];
} Scratch;

static void *scratch_alloc(CodeGen *cg, size_t size)
{
    Scratch *s = coro_mem_alloc(cg->vm, sizeof(Scratch) + size);
    s->size = sizeof(Scratch) + size;
    s->prev = NULL;
    s->next = cg->scratch;
    if (cg->scratch)
        cg->scratch->prev = s;
    cg->scratch = s;
    return s->data;
}

static void scratch_free(CodeGen *cg, void *p)
{
    Scratch *s = (Scratch *)((char *)p - offsetof(Scratch, data));
    if (s->prev)
        s->prev->next = s->next;
    else
        cg->scratch = s->next;
    if (s->next)
        s->next->prev = s->prev;
    coro_mem_free(cg->vm, s, s->size);
}

static void scratch_free_all(CodeGen *cg)
{
    while (cg->scratch)
        scratch_free(cg, cg->scratch->data);
}

/* Makes room for one more node in a chain that starts in stack_buf
 * (STACK_CHAIN entries) and doubles on the heap. */
#define STACK_CHAIN 32
static const AstNode **chain_room(CodeGen *cg, const AstNode **chain, const AstNode **stack_buf,
                                  int *cap, int count, const char *what)
{
    if (count < *cap)
        return chain;
    if (*cap > INT32_MAX / 32)
        coro_emit_error(cg, cg->line, "too many %s", what);
    const AstNode **grown = scratch_alloc(cg, sizeof(*chain) * (size_t)*cap * 2);
    memcpy(grown, chain, sizeof(*chain) * (size_t)count);
    if (chain != stack_buf)
        scratch_free(cg, chain);
    *cap *= 2;
    return grown;
}

/* ---- variables -------------------------------------------------------------- */

static VarDesc *local_desc(FuncState *fs, int vidx)
{
    return &fs->cg->actvar[fs->firstlocal + vidx];
}

/* Registers used by the first nvar active locals. */
static int reg_level(FuncState *fs, int nvar)
{
    while (nvar-- > 0) {
        VarDesc *vd = local_desc(fs, nvar);
        if (vd->kind != VAR_CTC)
            return vd->ridx + 1;
    }
    return 0;
}

static int nvarstack(FuncState *fs)
{
    return reg_level(fs, fs->nactvar);
}

static LocVar *local_debug_info(FuncState *fs, int vidx)
{
    VarDesc *vd = local_desc(fs, vidx);
    if (vd->kind == VAR_CTC)
        return NULL;
    return &fs->f->locvars[vd->pidx];
}

static int register_local(CodeGen *cg, FuncState *fs, String *name)
{
    Proto *f = fs->f;
    if (fs->ndebugvars >= f->locvar_size) {
        int cap = f->locvar_size;
        f->locvars = coro_mem_grow(cg->vm, f->locvars, &cap, fs->ndebugvars + 1,
                                   sizeof(LocVar), INT16_MAX, "local variables");
        for (int i = f->locvar_size; i < cap; i++)
            f->locvars[i].name = NULL;
        f->locvar_size = cap;
    }
    f->locvars[fs->ndebugvars].name = name;
    f->locvars[fs->ndebugvars].start_pc = fs->pc;
    f->locvars[fs->ndebugvars].end_pc = fs->pc;
    return fs->ndebugvars++;
}

/* Declares a variable (not yet active); returns its index in the function. */
static int new_local(CodeGen *cg, String *name)
{
    FuncState *fs = cg->fs;
    if (cg->nactvar + 1 - fs->firstlocal > MAX_VARS)
        error_limit(fs, MAX_VARS, "local variables");
    if (cg->nactvar >= cg->actvar_cap)
        cg->actvar = coro_mem_grow(cg->vm, cg->actvar, &cg->actvar_cap, cg->nactvar + 1,
                                   sizeof(VarDesc), INT32_MAX / 64, "local variables");
    VarDesc *vd = &cg->actvar[cg->nactvar++];
    vd->kind = VAR_REG;
    vd->name = name;
    vd->ridx = 0;
    vd->pidx = 0;
    set_nil(&vd->k);
    return cg->nactvar - 1 - fs->firstlocal;
}

static int new_local_lit(CodeGen *cg, const char *name)
{
    return new_local(cg, coro_str_newc(cg->vm, name));
}

static void adjust_locals(CodeGen *cg, int nvars)
{
    FuncState *fs = cg->fs;
    int level = nvarstack(fs);
    for (int i = 0; i < nvars; i++) {
        int vidx = fs->nactvar++;
        VarDesc *vd = local_desc(fs, vidx);
        vd->ridx = (uint8_t)level++;
        vd->pidx = (short)register_local(cg, fs, vd->name);
    }
}

static void remove_vars(FuncState *fs, int tolevel)
{
    fs->cg->nactvar -= fs->nactvar - tolevel;
    while (fs->nactvar > tolevel) {
        LocVar *var = local_debug_info(fs, --fs->nactvar);
        if (var)
            var->end_pc = fs->pc;
    }
}

static void init_var(FuncState *fs, ExpDesc *e, int vidx)
{
    e->f = e->t = NO_JUMP;
    e->k = EK_LOCAL;
    e->u.var.vidx = (unsigned short)vidx;
    e->u.var.ridx = local_desc(fs, vidx)->ridx;
}

static int search_upvalue(FuncState *fs, String *name)
{
    for (int i = 0; i < fs->nups; i++)
        if (fs->f->upvals[i].name == name)
            return i;
    return -1;
}

static int new_upvalue(FuncState *fs, String *name, ExpDesc *v)
{
    CodeGen *cg = fs->cg;
    Proto *f = fs->f;
    if (fs->nups >= MAX_UPVALS)
        error_limit(fs, MAX_UPVALS, "upvalues");
    if (fs->nups >= f->upval_size) {
        int cap = f->upval_size;
        f->upvals = coro_mem_grow(cg->vm, f->upvals, &cap, fs->nups + 1, sizeof(UpvalDesc),
                                  MAX_UPVALS + 1, "upvalues");
        for (int i = f->upval_size; i < cap; i++)
            f->upvals[i].name = NULL;
        f->upval_size = cap;
    }
    UpvalDesc *up = &f->upvals[fs->nups];
    FuncState *prev = fs->prev;
    if (v->k == EK_LOCAL) {
        up->in_stack = 1;
        up->index = v->u.var.ridx;
        up->kind = local_desc(prev, v->u.var.vidx)->kind;
    } else {
        up->in_stack = 0;
        up->index = (uint8_t)v->u.info;
        up->kind = prev->f->upvals[v->u.info].kind;
    }
    up->name = name;
    return fs->nups++;
}

static int search_var(FuncState *fs, String *name, ExpDesc *var)
{
    for (int i = fs->nactvar - 1; i >= 0; i--) {
        VarDesc *vd = local_desc(fs, i);
        if (vd->name == name) {
            if (vd->kind == VAR_CTC) {
                coro_exp_init(var, EK_CONST, fs->firstlocal + i);
            } else {
                init_var(fs, var, i);
            }
            return var->k;
        }
    }
    return -1;
}

/* The block where local `level` lives gets its upvalues closed. */
static void mark_upval(FuncState *fs, int level)
{
    BlockCnt *bl = fs->bl;
    while (bl->nactvar > level)
        bl = bl->previous;
    bl->upval = 1;
    fs->needclose = 1;
}

static void mark_to_be_closed(FuncState *fs)
{
    BlockCnt *bl = fs->bl;
    bl->upval = 1;
    bl->insidetbc = 1;
    fs->needclose = 1;
}

static void single_var_aux(FuncState *fs, String *name, ExpDesc *var, int base)
{
    if (fs == NULL) {
        coro_exp_init(var, EK_VOID, 0);     /* global */
        return;
    }
    int v = search_var(fs, name, var);
    if (v >= 0) {
        if (v == EK_LOCAL && !base)
            mark_upval(fs, var->u.var.vidx);
        return;
    }
    int idx = search_upvalue(fs, name);
    if (idx < 0) {
        single_var_aux(fs->prev, name, var, 0);
        if (var->k == EK_LOCAL || var->k == EK_UPVAL)
            idx = new_upvalue(fs, name, var);
        else
            return;     /* global or compile-time constant */
    }
    coro_exp_init(var, EK_UPVAL, idx);
}

static void code_string(ExpDesc *e, String *s)
{
    e->f = e->t = NO_JUMP;
    e->k = EK_KSTR;
    e->u.strval = s;
}

static void single_var(CodeGen *cg, String *name, ExpDesc *var)
{
    FuncState *fs = cg->fs;
    single_var_aux(fs, name, var, 1);
    if (var->k == EK_VOID) {
        ExpDesc key;
        single_var_aux(fs, cg->env_name, var, 1);
        coro_emit_exp2anyregup(fs, var);
        code_string(&key, name);
        coro_emit_indexed(fs, var, &key);
    }
}

static void check_readonly(CodeGen *cg, ExpDesc *e)
{
    FuncState *fs = cg->fs;
    String *varname = NULL;
    switch (e->k) {
    case EK_CONST:
        varname = cg->actvar[e->u.info].name;
        break;
    case EK_LOCAL: {
        VarDesc *vd = local_desc(fs, e->u.var.vidx);
        if (vd->kind != VAR_REG)
            varname = vd->name;
        break;
    }
    case EK_UPVAL: {
        UpvalDesc *up = &fs->f->upvals[e->u.info];
        if (up->kind != VAR_REG)
            varname = up->name;
        break;
    }
    default:
        return;
    }
    if (varname)
        coro_emit_error(cg, cg->line, "attempt to assign to const variable '%s'", varname->data);
}

/* ---- labels and gotos ------------------------------------------------------------ */

static int new_label_entry(CodeGen *cg, LabelList *l, String *name, int line, int pc)
{
    int n = l->n;
    if (n >= l->size)
        l->arr = coro_mem_grow(cg->vm, l->arr, &l->size, n + 1, sizeof(LabelDesc), INT16_MAX, "labels/gotos");
    l->arr[n].name = name;
    l->arr[n].line = line;
    l->arr[n].nactvar = cg->fs->nactvar;
    l->arr[n].close = 0;
    l->arr[n].pc = pc;
    l->n = n + 1;
    return n;
}

static int new_goto_entry(CodeGen *cg, String *name, int line, int pc)
{
    return new_label_entry(cg, &cg->gotos, name, line, pc);
}

CORO_NORETURN static void jump_scope_error(CodeGen *cg, LabelDesc *gt)
{
    const char *varname = local_desc(cg->fs, gt->nactvar)->name->data;
    coro_emit_error(cg, cg->line, "<goto %s> at line %d jumps into the scope of local '%s'",
                    gt->name->data, gt->line, varname);
}

static void solve_goto(CodeGen *cg, int g, LabelDesc *lb)
{
    LabelList *gl = &cg->gotos;
    LabelDesc *gt = &gl->arr[g];
    if (gt->nactvar < lb->nactvar)
        jump_scope_error(cg, gt);
    coro_emit_patchlist(cg->fs, gt->pc, lb->pc);
    for (int i = g; i < gl->n - 1; i++)
        gl->arr[i] = gl->arr[i + 1];
    gl->n--;
}

static LabelDesc *find_label(CodeGen *cg, String *name)
{
    FuncState *fs = cg->fs;
    for (int i = fs->firstlabel; i < cg->labels.n; i++) {
        LabelDesc *lb = &cg->labels.arr[i];
        if (lb->name == name)
            return lb;
    }
    return NULL;
}

/* Resolves the block's pending gotos to lb; returns whether any of them
 * needs upvalues closed. */
static bool solve_gotos(CodeGen *cg, LabelDesc *lb)
{
    LabelList *gl = &cg->gotos;
    int i = cg->fs->bl->firstgoto;
    bool needsclose = false;
    while (i < gl->n) {
        if (gl->arr[i].name == lb->name) {
            needsclose |= gl->arr[i].close;
            solve_goto(cg, i, lb);
        } else {
            i++;
        }
    }
    return needsclose;
}

static bool create_label(CodeGen *cg, String *name, int line, bool last)
{
    FuncState *fs = cg->fs;
    LabelList *ll = &cg->labels;
    int l = new_label_entry(cg, ll, name, line, coro_emit_label(fs));
    if (last)   /* label is last no-op statement in the block? */
        ll->arr[l].nactvar = fs->bl->nactvar;
    if (solve_gotos(cg, &ll->arr[l])) {
        coro_emit_abc(fs, OP_CLOSE, nvarstack(fs), 0, 0);
        return true;
    }
    return false;
}

static void move_gotos_out(FuncState *fs, BlockCnt *bl)
{
    LabelList *gl = &fs->cg->gotos;
    for (int i = bl->firstgoto; i < gl->n; i++) {
        LabelDesc *gt = &gl->arr[i];
        if (reg_level(fs, gt->nactvar) > reg_level(fs, bl->nactvar))
            gt->close |= bl->upval;
        gt->nactvar = bl->nactvar;
    }
}

CORO_NORETURN static void undefined_goto(CodeGen *cg, LabelDesc *gt)
{
    if (strcmp(gt->name->data, "break") == 0)
        coro_emit_error(cg, cg->line, "break outside a loop at line %d", gt->line);
    coro_emit_error(cg, cg->line, "no visible label '%s' for <goto> at line %d",
                    gt->name->data, gt->line);
}

/* ---- blocks ---------------------------------------------------------------------- */

static void enter_block(FuncState *fs, BlockCnt *bl, uint8_t isloop)
{
    CodeGen *cg = fs->cg;
    bl->isloop = isloop;
    bl->nactvar = fs->nactvar;
    bl->firstlabel = cg->labels.n;
    bl->firstgoto = cg->gotos.n;
    bl->upval = 0;
    bl->insidetbc = fs->bl != NULL && fs->bl->insidetbc;
    bl->previous = fs->bl;
    fs->bl = bl;
}

static void leave_block(FuncState *fs)
{
    CodeGen *cg = fs->cg;
    BlockCnt *bl = fs->bl;
    bool hasclose = false;
    int stklevel = reg_level(fs, bl->nactvar);
    remove_vars(fs, bl->nactvar);
    if (bl->isloop)
        hasclose = create_label(cg, coro_str_newc(cg->vm, "break"), 0, false);
    if (!hasclose && bl->previous && bl->upval)
        coro_emit_abc(fs, OP_CLOSE, stklevel, 0, 0);
    fs->freereg = (uint8_t)stklevel;
    cg->labels.n = bl->firstlabel;
    fs->bl = bl->previous;
    if (bl->previous)
        move_gotos_out(fs, bl);
    else if (bl->firstgoto < cg->gotos.n)
        undefined_goto(cg, &cg->gotos.arr[bl->firstgoto]);
}

/* ---- functions ------------------------------------------------------------------------ */

static Proto *add_prototype(CodeGen *cg)
{
    FuncState *fs = cg->fs;
    Proto *f = fs->f;
    if (fs->np >= f->proto_size) {
        int cap = f->proto_size;
        f->protos = coro_mem_grow(cg->vm, f->protos, &cap, fs->np + 1, sizeof(Proto *), MAX_ARG_BX, "functions");
        for (int i = f->proto_size; i < cap; i++)
            f->protos[i] = NULL;
        f->proto_size = cap;
    }
    Proto *clp = coro_proto_new(cg->vm);
    f->protos[fs->np++] = clp;
    return clp;
}

static void open_func(CodeGen *cg, FuncState *fs, BlockCnt *bl)
{
    Proto *f = fs->f;
    fs->prev = cg->fs;
    fs->cg = cg;
    cg->fs = fs;
    fs->pc = 0;
    fs->lasttarget = 0;
    fs->freereg = 0;
    fs->nk = 0;
    fs->np = 0;
    fs->nups = 0;
    fs->ndebugvars = 0;
    fs->nactvar = 0;
    fs->needclose = 0;
    fs->firstlocal = cg->nactvar;
    fs->firstlabel = cg->labels.n;
    fs->bl = NULL;
    f->source = cg->source;
    f->max_stack = 2;
    fs->kcache = coro_table_new(cg->vm, 0, 0);
    enter_block(fs, bl, 0);
}

/* Trims an array grown by doubling to its used size. */
static void *shrink(coro_VM *vm, void *block, int *cap, int used, size_t elem)
{
    void *fresh = coro_mem_realloc(vm, block, (size_t)*cap * elem, (size_t)used * elem);
    *cap = used;
    return fresh;
}

static void close_func(CodeGen *cg, int end_line)
{
    FuncState *fs = cg->fs;
    Proto *f = fs->f;
    coro_VM *vm = cg->vm;
    set_line(cg, end_line);
    coro_emit_ret(fs, nvarstack(fs), 0);
    leave_block(fs);
    coro_emit_finish(fs);
    f->code = shrink(vm, f->code, &f->code_size, fs->pc, sizeof(Instr));
    f->lines = shrink(vm, f->lines, &f->lines_size, fs->pc, sizeof(int32_t));
    f->constants = shrink(vm, f->constants, &f->const_size, fs->nk, sizeof(Value));
    f->protos = shrink(vm, f->protos, &f->proto_size, fs->np, sizeof(Proto *));
    f->locvars = shrink(vm, f->locvars, &f->locvar_size, fs->ndebugvars, sizeof(LocVar));
    f->upvals = shrink(vm, f->upvals, &f->upval_size, fs->nups, sizeof(UpvalDesc));
    cg->fs = fs->prev;
}

static void code_closure(CodeGen *cg, ExpDesc *v)
{
    FuncState *fs = cg->fs->prev;
    coro_exp_init(v, EK_RELOC, coro_emit_abx(fs, OP_CLOSURE, 0, (unsigned)(fs->np - 1)));
    coro_emit_exp2nextreg(fs, v);
}

static void set_vararg(FuncState *fs, int nparams)
{
    fs->f->is_vararg = 1;
    coro_emit_abc(fs, OP_VARARGPREP, nparams, 0, 0);
}

static void function_body(CodeGen *cg, const AstNode *fn, ExpDesc *e)
{
    FuncState new_fs;
    BlockCnt bl;
    memset(&new_fs, 0, sizeof new_fs);
    new_fs.f = add_prototype(cg);
    new_fs.f->line_defined = fn->line;
    if (fn->u.function.name)
        new_fs.f->name = coro_str_newc(cg->vm, fn->u.function.name);
    open_func(cg, &new_fs, &bl);
    if (fn->u.function.is_method) {
        new_local_lit(cg, "self");
        adjust_locals(cg, 1);
    }
    const AstList *params = &fn->u.function.params;
    for (int i = 0; i < params->count; i++) {
        cg->near = i + 1 < params->count || fn->u.function.is_vararg ? "," : ")";
        new_local(cg, name_str(cg, params->items[i]));
    }
    cg->near = NULL;
    adjust_locals(cg, params->count);
    int nparams = new_fs.nactvar;
    if (fn->u.function.is_async) {
        new_fs.f->is_async = 1;
        coro_emit_abc(&new_fs, OP_ASYNC, 0, 0, 0);
    }
    if (fn->u.function.is_vararg)
        set_vararg(&new_fs, nparams);
    new_fs.f->num_params = (uint8_t)nparams;
    coro_emit_reserveregs(&new_fs, nparams);
    block_stats(cg, fn->u.function.body, false);
    new_fs.f->last_line_defined = fn->u.function.end_line;
    code_closure(cg, e);
    close_func(cg, fn->u.function.end_line);
}

/* ---- expression lists and adjustment ------------------------------------------------------ */

static int explist(CodeGen *cg, const AstList *list, ExpDesc *v)
{
    if (list->count == 0) {
        coro_exp_init(v, EK_VOID, 0);
        return 0;
    }
    for (int i = 0; i < list->count; i++) {
        if (i > 0)
            coro_emit_exp2nextreg(cg->fs, v);
        expr(cg, list->items[i], v);
    }
    return list->count;
}

static void adjust_assign(CodeGen *cg, int nvars, int nexps, ExpDesc *e)
{
    FuncState *fs = cg->fs;
    int needed = nvars - nexps;
    if (ek_has_multret(e->k)) {
        int extra = needed + 1;
        if (extra < 0)
            extra = 0;
        coro_emit_setreturns(fs, e, extra);
    } else {
        if (e->k != EK_VOID)
            coro_emit_exp2nextreg(fs, e);
        if (needed > 0)
            coro_emit_nil(fs, fs->freereg, needed);
    }
    if (needed > 0)
        coro_emit_reserveregs(fs, needed);
    else
        fs->freereg = (uint8_t)(fs->freereg + needed);
}

/* ---- calls and suffixes -------------------------------------------------------------------- */

static void call_args(CodeGen *cg, ExpDesc *f, const AstList *args, int line)
{
    FuncState *fs = cg->fs;
    ExpDesc a;
    explist(cg, args, &a);
    if (ek_has_multret(a.k))
        coro_emit_setmultret(fs, &a);
    int base = f->u.info;
    int nparams;
    if (ek_has_multret(a.k)) {
        nparams = CORO_MULTRET;
    } else {
        if (a.k != EK_VOID)
            coro_emit_exp2nextreg(fs, &a);
        nparams = fs->freereg - (base + 1);
    }
    set_line(cg, line);
    coro_exp_init(f, EK_CALL, coro_emit_abc(fs, OP_CALL, base, nparams + 1, 2));
    coro_emit_fixline(fs, line);
    fs->freereg = (uint8_t)(base + 1);
}

/* A table key: a name (as a string constant) or an expression. */
static void index_key(CodeGen *cg, const AstNode *key, ExpDesc *k)
{
    if (key->kind == AST_STRING) {
        code_string(k, ast_str(cg, key->u.string));
    } else {
        expr(cg, key, k);
        coro_emit_exp2val(cg->fs, k);
    }
}

static bool is_suffix(const AstNode *n)
{
    return n->kind == AST_INDEX || n->kind == AST_CALL || n->kind == AST_METHOD_CALL;
}

static const AstNode *suffix_base(const AstNode *n)
{
    switch (n->kind) {
    case AST_INDEX: return n->u.index.object;
    case AST_CALL: return n->u.call.fn;
    case AST_METHOD_CALL: return n->u.method.object;
    default: return NULL;
    }
}

static void primary(CodeGen *cg, const AstNode *n, ExpDesc *v)
{
    set_line(cg, n->line);
    if (n->kind == AST_NAME) {
        single_var(cg, name_str(cg, n), v);
    } else if (n->kind == AST_PAREN) {
        expr(cg, n->u.paren, v);
        coro_emit_dischargevars(cg->fs, v);
    } else {
        /* Any other expression used as a prefix (the parser allows only
         * names and parentheses, but be safe). */
        expr(cg, n, v);
        coro_emit_dischargevars(cg->fs, v);
    }
}

static void apply_suffix(CodeGen *cg, const AstNode *n, ExpDesc *v, int line)
{
    FuncState *fs = cg->fs;
    switch (n->kind) {
    case AST_INDEX: {
        ExpDesc key;
        coro_emit_exp2anyregup(fs, v);
        index_key(cg, n->u.index.key, &key);
        coro_emit_indexed(fs, v, &key);
        break;
    }
    case AST_METHOD_CALL: {
        ExpDesc key;
        code_string(&key, ast_str(cg, n->u.method.name->u.string));
        coro_emit_self(fs, v, &key);
        call_args(cg, v, &n->u.method.args, line);
        break;
    }
    case AST_CALL:
        coro_emit_exp2nextreg(fs, v);
        call_args(cg, v, &n->u.call.args, line);
        break;
    default:
        break;
    }
}

/* Compiles a chain like a.b[c]:m(x)(y) bottom-up, without recursion. */
static void suffixed(CodeGen *cg, const AstNode *n, ExpDesc *v)
{
    const AstNode *stack_buf[STACK_CHAIN];
    const AstNode **chain = stack_buf;
    int count = 0, cap = STACK_CHAIN;
    const AstNode *p = n;
    while (is_suffix(p)) {
        chain = chain_room(cg, chain, stack_buf, &cap, count, "suffixes");
        chain[count++] = p;
        p = suffix_base(p);
    }
    int line = p->line;
    primary(cg, p, v);
    for (int i = count - 1; i >= 0; i--) {
        set_line(cg, chain[i]->line);
        apply_suffix(cg, chain[i], v, line);
    }
    if (chain != stack_buf)
        scratch_free(cg, chain);
}

/* ---- table constructors ---------------------------------------------------------------------- */

typedef struct ConsControl {
    ExpDesc v;          /* last list item read */
    ExpDesc *t;         /* the table */
    int nh;             /* hash items */
    int na;             /* array items stored */
    int tostore;        /* array items pending */
} ConsControl;

static void close_list_field(FuncState *fs, ConsControl *cc)
{
    if (cc->v.k == EK_VOID)
        return;
    coro_emit_exp2nextreg(fs, &cc->v);
    cc->v.k = EK_VOID;
    if (cc->tostore == FIELDS_PER_FLUSH) {
        coro_emit_setlist(fs, cc->t->u.info, cc->na, cc->tostore);
        cc->na += cc->tostore;
        cc->tostore = 0;
    }
}

static void last_list_field(FuncState *fs, ConsControl *cc)
{
    if (cc->tostore == 0)
        return;
    if (ek_has_multret(cc->v.k)) {
        coro_emit_setmultret(fs, &cc->v);
        coro_emit_setlist(fs, cc->t->u.info, cc->na, CORO_MULTRET);
        cc->na--;
    } else {
        if (cc->v.k != EK_VOID)
            coro_emit_exp2nextreg(fs, &cc->v);
        coro_emit_setlist(fs, cc->t->u.info, cc->na, cc->tostore);
    }
    cc->na += cc->tostore;
}

static void rec_field(CodeGen *cg, ConsControl *cc, const AstField *field)
{
    FuncState *fs = cg->fs;
    int reg = fs->freereg;
    ExpDesc tab, key, val;
    set_line(cg, field->line);
    if (field->key->kind == AST_STRING)
        code_string(&key, ast_str(cg, field->key->u.string));
    else
        index_key(cg, field->key, &key);
    cc->nh++;
    tab = *cc->t;
    coro_emit_indexed(fs, &tab, &key);
    expr(cg, field->value, &val);
    coro_emit_storevar(fs, &tab, &val);
    fs->freereg = (uint8_t)reg;
}

static void constructor(CodeGen *cg, const AstNode *n, ExpDesc *t)
{
    FuncState *fs = cg->fs;
    int pc = coro_emit_abc(fs, OP_NEWTABLE, 0, 0, 0);
    ConsControl cc;
    coro_emit(fs, MAKE_AX(OP_EXTRAARG, 0));
    cc.na = cc.nh = cc.tostore = 0;
    cc.t = t;
    coro_exp_init(t, EK_NONRELOC, fs->freereg);
    coro_emit_reserveregs(fs, 1);
    coro_exp_init(&cc.v, EK_VOID, 0);
    for (int i = 0; i < n->u.table.count; i++) {
        const AstField *field = &n->u.table.fields[i];
        close_list_field(fs, &cc);
        if (field->key) {
            rec_field(cg, &cc, field);
        } else {
            expr(cg, field->value, &cc.v);
            cc.tostore++;
        }
    }
    last_list_field(fs, &cc);
    coro_emit_settablesize(fs, pc, t->u.info, cc.na, cc.nh);
}

/* ---- expressions -------------------------------------------------------------------------------- */

/* yield e1, e2, ... (values go to consecutive registers, like arguments). */
static void yield_expr(CodeGen *cg, const AstNode *n, ExpDesc *v)
{
    FuncState *fs = cg->fs;
    int base = fs->freereg;
    ExpDesc a;
    explist(cg, &n->u.yield.values, &a);
    int nvalues;
    if (ek_has_multret(a.k)) {
        coro_emit_setmultret(fs, &a);
        nvalues = CORO_MULTRET;
    } else {
        if (a.k != EK_VOID)
            coro_emit_exp2nextreg(fs, &a);
        nvalues = fs->freereg - base;
    }
    /* The results land in `base` (a register even when nothing is sent). */
    if (fs->freereg == base)
        coro_emit_reserveregs(fs, 1);
    set_line(cg, n->line);
    coro_exp_init(v, EK_CALL, coro_emit_abc(fs, OP_YIELD, base, nvalues + 1, 2));
    fs->freereg = (uint8_t)(base + 1);
}

static void delegate_expr(CodeGen *cg, const AstNode *n, OpCode op, ExpDesc *v)
{
    FuncState *fs = cg->fs;
    expr(cg, n->u.operand, v);
    coro_emit_exp2nextreg(fs, v);
    int base = v->u.info;
    set_line(cg, n->line);
    coro_exp_init(v, EK_CALL, coro_emit_abc(fs, op, base, 0, 2));
    fs->freereg = (uint8_t)(base + 1);
}

static bool is_binary(const AstNode *n)
{
    return n->kind == AST_BINARY;
}

/* a op1 b op2 c ...: the left spine of binary nodes, compiled bottom-up. */
static void binary_chain(CodeGen *cg, const AstNode *n, ExpDesc *v)
{
    const AstNode *stack_buf[STACK_CHAIN];
    const AstNode **chain = stack_buf;
    int count = 0, cap = STACK_CHAIN;
    const AstNode *p = n;
    while (is_binary(p)) {
        chain = chain_room(cg, chain, stack_buf, &cap, count, "operators");
        chain[count++] = p;
        p = p->u.binary.left;
    }
    expr(cg, p, v);
    for (int i = count - 1; i >= 0; i--) {
        const AstNode *b = chain[i];
        ExpDesc v2;
        AstBinaryOp op = (AstBinaryOp)b->u.binary.op;
        set_line(cg, b->line);
        coro_emit_infix(cg->fs, op, v);
        expr(cg, b->u.binary.right, &v2);
        set_line(cg, b->line);
        coro_emit_posfix(cg->fs, op, v, &v2, b->line);
    }
    if (chain != stack_buf)
        scratch_free(cg, chain);
}

static void expr(CodeGen *cg, const AstNode *n, ExpDesc *v)
{
    FuncState *fs = cg->fs;
    set_line(cg, n->line);
    switch (n->kind) {
    case AST_NIL:
        coro_exp_init(v, EK_NIL, 0);
        break;
    case AST_TRUE:
        coro_exp_init(v, EK_TRUE, 0);
        break;
    case AST_FALSE:
        coro_exp_init(v, EK_FALSE, 0);
        break;
    case AST_INTEGER:
        coro_exp_init(v, EK_KINT, 0);
        v->u.ival = n->u.integer;
        break;
    case AST_FLOAT:
        coro_exp_init(v, EK_KFLT, 0);
        v->u.nval = n->u.number;
        break;
    case AST_STRING:
        code_string(v, ast_str(cg, n->u.string));
        break;
    case AST_VARARG:
        if (!fs->f->is_vararg)
            coro_emit_error(cg, n->line, "cannot use '...' outside a vararg function near '...'");
        coro_exp_init(v, EK_VARARG, coro_emit_abc(fs, OP_VARARG, 0, 0, 1));
        break;
    case AST_TABLE:
        constructor(cg, n, v);
        break;
    case AST_FUNCTION:
        function_body(cg, n, v);
        break;
    case AST_UNARY:
        expr(cg, n->u.unary.operand, v);
        if (n->u.unary.op == AST_OP_NOT || n->u.unary.op == AST_OP_NEG ||
            n->u.unary.op == AST_OP_LEN || n->u.unary.op == AST_OP_BNOT)
            coro_emit_prefix(fs, (AstUnaryOp)n->u.unary.op, v, n->line);
        break;
    case AST_BINARY:
        binary_chain(cg, n, v);
        break;
    case AST_YIELD:
        yield_expr(cg, n, v);
        break;
    case AST_YIELD_FROM:
        delegate_expr(cg, n, OP_YIELDFROM, v);
        break;
    case AST_AWAIT:
        delegate_expr(cg, n, OP_AWAIT, v);
        break;
    case AST_NAME:
    case AST_PAREN:
    case AST_INDEX:
    case AST_CALL:
    case AST_METHOD_CALL:
        suffixed(cg, n, v);
        break;
    default:
        coro_emit_error(cg, n->line, "unexpected node in expression");
    }
}

/* ---- statements ------------------------------------------------------------------------------------ */

static void check_conflict(CodeGen *cg, ExpDesc *targets, int ntargets, ExpDesc *v)
{
    FuncState *fs = cg->fs;
    int extra = fs->freereg;
    bool conflict = false;
    for (int i = 0; i < ntargets; i++) {
        ExpDesc *lh = &targets[i];
        if (!ek_is_indexed(lh->k))
            continue;
        if (lh->k == EK_INDEXUP) {
            if (v->k == EK_UPVAL && lh->u.ind.t == v->u.info) {
                conflict = true;
                lh->k = EK_INDEXSTR;
                lh->u.ind.t = (uint8_t)extra;
            }
        } else {
            if (v->k == EK_LOCAL && lh->u.ind.t == v->u.var.ridx) {
                conflict = true;
                lh->u.ind.t = (uint8_t)extra;
            }
            if (lh->k == EK_INDEXED && v->k == EK_LOCAL && lh->u.ind.idx == v->u.var.ridx) {
                conflict = true;
                lh->u.ind.idx = (short)extra;
            }
        }
    }
    if (conflict) {
        if (v->k == EK_LOCAL)
            coro_emit_abc(fs, OP_MOVE, extra, v->u.var.ridx, 0);
        else
            coro_emit_abc(fs, OP_GETUPVAL, extra, v->u.info, 0);
        coro_emit_reserveregs(fs, 1);
    }
}

static void assignment(CodeGen *cg, const AstNode *n)
{
    FuncState *fs = cg->fs;
    const AstList *targets = &n->u.assign.targets;
    int nvars = targets->count;
    ExpDesc buf[8];
    ExpDesc *vars = nvars <= 8 ? buf : scratch_alloc(cg, sizeof(ExpDesc) * (size_t)nvars);
    for (int i = 0; i < nvars; i++) {
        const AstNode *t = targets->items[i];
        set_line(cg, t->line);
        suffixed(cg, t, &vars[i]);
        if (!ek_is_var(vars[i].k))
            coro_emit_error(cg, t->line, "syntax error near '='");
        check_readonly(cg, &vars[i]);
        if (i > 0 && !ek_is_indexed(vars[i].k))
            check_conflict(cg, vars, i, &vars[i]);
    }
    ExpDesc e;
    int nexps = explist(cg, &n->u.assign.values, &e);
    set_line(cg, n->line);
    int i = nvars - 1;
    if (nexps == nvars) {
        coro_emit_setoneret(fs, &e);
        coro_emit_storevar(fs, &vars[i], &e);
        i--;
    } else {
        adjust_assign(cg, nvars, nexps, &e);
    }
    for (; i >= 0; i--) {
        ExpDesc tmp;
        coro_exp_init(&tmp, EK_NONRELOC, fs->freereg - 1);
        coro_emit_storevar(fs, &vars[i], &tmp);
    }
    if (vars != buf)
        scratch_free(cg, vars);
}

static void check_to_close(FuncState *fs, int level)
{
    if (level != -1) {
        mark_to_be_closed(fs);
        coro_emit_abc(fs, OP_TBC, reg_level(fs, level), 0, 0);
    }
}

static void local_stat(CodeGen *cg, const AstNode *n)
{
    FuncState *fs = cg->fs;
    const AstList *names = &n->u.local.names;
    int toclose = -1;
    int vidx = 0;
    int nvars = 0;
    for (int i = 0; i < names->count; i++) {
        const AstNode *nm = names->items[i];
        if (nm->u.name.attrib != AST_ATTRIB_NONE)
            cg->near = "<";
        else if (i + 1 < names->count)
            cg->near = ",";
        else
            cg->near = n->u.local.values.count > 0 ? "=" : NULL;
        vidx = new_local(cg, name_str(cg, nm));
        cg->near = NULL;
        VarDesc *var = local_desc(fs, vidx);
        switch (nm->u.name.attrib) {
        case AST_ATTRIB_CONST:
            var->kind = VAR_CONST;
            break;
        case AST_ATTRIB_CLOSE:
            var->kind = VAR_CLOSE;
            if (toclose != -1)
                coro_emit_error(cg, nm->line, "multiple to-be-closed variables in local list");
            toclose = fs->nactvar + nvars;
            break;
        default:
            break;
        }
        nvars++;
    }
    ExpDesc e;
    int nexps = explist(cg, &n->u.local.values, &e);
    set_line(cg, n->line);
    VarDesc *var = local_desc(fs, vidx);
    if (nvars == nexps && var->kind == VAR_CONST && coro_emit_exp2const(fs, &e, &var->k)) {
        /* The last variable is a compile-time constant: no register. */
        var->kind = VAR_CTC;
        adjust_locals(cg, nvars - 1);
        fs->nactvar++;
    } else {
        adjust_assign(cg, nvars, nexps, &e);
        adjust_locals(cg, nvars);
    }
    check_to_close(fs, toclose);
}

static void local_function(CodeGen *cg, const AstNode *n)
{
    FuncState *fs = cg->fs;
    ExpDesc b;
    int fvar = fs->nactvar;
    cg->near = "(";
    new_local(cg, name_str(cg, n->u.local_function.name));
    cg->near = NULL;
    adjust_locals(cg, 1);
    function_body(cg, n->u.local_function.fn, &b);
    /* The debug information only starts now. */
    local_debug_info(fs, fvar)->start_pc = fs->pc;
}

static void function_stat(CodeGen *cg, const AstNode *n)
{
    ExpDesc v, b;
    int line = n->line;
    suffixed(cg, n->u.function_stat.target, &v);
    function_body(cg, n->u.function_stat.fn, &b);
    set_line(cg, line);
    check_readonly(cg, &v);
    coro_emit_storevar(cg->fs, &v, &b);
    coro_emit_fixline(cg->fs, line);
}

static void expr_stat(CodeGen *cg, const AstNode *n)
{
    FuncState *fs = cg->fs;
    ExpDesc v;
    expr(cg, n->u.operand, &v);
    if (v.k != EK_CALL)
        coro_emit_error(cg, n->line, "syntax error near '='");
    SET_C(*coro_emit_instr(fs, &v), 1);     /* no results wanted */
}

static void return_stat(CodeGen *cg, const AstNode *n)
{
    FuncState *fs = cg->fs;
    ExpDesc e;
    int first = nvarstack(fs);
    int nret = explist(cg, &n->u.return_.values, &e);
    set_line(cg, n->line);
    if (nret > 0) {
        if (ek_has_multret(e.k)) {
            coro_emit_setmultret(fs, &e);
            Instr *ins = coro_emit_instr(fs, &e);
            if (e.k == EK_CALL && nret == 1 && GET_OP(*ins) == OP_CALL && !fs->bl->insidetbc) {
                *ins = (*ins & ~0x7Fu) | OP_TAILCALL;
            }
            nret = CORO_MULTRET;
        } else if (nret == 1) {
            first = coro_emit_exp2anyreg(fs, &e);
        } else {
            coro_emit_exp2nextreg(fs, &e);
        }
    }
    coro_emit_ret(fs, first, nret);
}

/* Compiles a condition; returns the jumps taken when it is false. */
static int condition(CodeGen *cg, const AstNode *n)
{
    ExpDesc v;
    expr(cg, n, &v);
    if (v.k == EK_NIL)
        v.k = EK_FALSE;
    coro_emit_goiftrue(cg->fs, &v);
    return v.f;
}

static bool block_is_break(const AstNode *blk)
{
    return blk->u.block.stats.count >= 1 && blk->u.block.stats.items[0]->kind == AST_BREAK;
}

static void test_then_block(CodeGen *cg, const AstNode *cond, const AstNode *blk,
                            bool more, int *escapelist)
{
    FuncState *fs = cg->fs;
    BlockCnt bl;
    ExpDesc v;
    int jf;
    expr(cg, cond, &v);
    if (block_is_break(blk)) {
        /* `if x then break`: one conditional jump out of the loop. */
        int line = blk->u.block.stats.items[0]->line;
        coro_emit_goiffalse(fs, &v);
        enter_block(fs, &bl, 0);
        new_goto_entry(cg, coro_str_newc(cg->vm, "break"), line, v.t);
        if (blk->u.block.stats.count == 1) {
            leave_block(fs);
            return;
        }
        jf = coro_emit_jump(fs);
        for (int i = 1; i < blk->u.block.stats.count; i++) {
            statement(cg, blk->u.block.stats.items[i]);
            fs->freereg = (uint8_t)nvarstack(fs);
        }
    } else {
        coro_emit_goiftrue(fs, &v);
        enter_block(fs, &bl, 0);
        jf = v.f;
        block_stats(cg, blk, false);
    }
    leave_block(fs);
    if (more)
        coro_emit_concat(fs, escapelist, coro_emit_jump(fs));
    coro_emit_patchtohere(fs, jf);
}

static void if_stat(CodeGen *cg, const AstNode *n)
{
    FuncState *fs = cg->fs;
    int escapelist = NO_JUMP;
    const AstList *conds = &n->u.if_.conds;
    const AstList *blocks = &n->u.if_.blocks;
    for (int i = 0; i < conds->count; i++) {
        bool more = i + 1 < conds->count || n->u.if_.else_block != NULL;
        test_then_block(cg, conds->items[i], blocks->items[i], more, &escapelist);
    }
    if (n->u.if_.else_block) {
        BlockCnt bl;
        enter_block(fs, &bl, 0);
        block_stats(cg, n->u.if_.else_block, false);
        leave_block(fs);
    }
    coro_emit_patchtohere(fs, escapelist);
}

static void scoped_block(CodeGen *cg, const AstNode *blk, uint8_t isloop)
{
    BlockCnt bl;
    enter_block(cg->fs, &bl, isloop);
    block_stats(cg, blk, false);
    leave_block(cg->fs);
}

static void while_stat(CodeGen *cg, const AstNode *n)
{
    FuncState *fs = cg->fs;
    BlockCnt bl;
    int whileinit = coro_emit_label(fs);
    int condexit = condition(cg, n->u.loop.cond);
    enter_block(fs, &bl, 1);
    /* The body is a scope of its own: its locals close before the jump. */
    scoped_block(cg, n->u.loop.body, 0);
    set_line(cg, n->line);
    coro_emit_patchlist(fs, coro_emit_jump(fs), whileinit);
    leave_block(fs);
    coro_emit_patchtohere(fs, condexit);
}

static void repeat_stat(CodeGen *cg, const AstNode *n)
{
    FuncState *fs = cg->fs;
    BlockCnt bl1, bl2;
    int repeat_init = coro_emit_label(fs);
    enter_block(fs, &bl1, 1);
    enter_block(fs, &bl2, 0);
    block_stats(cg, n->u.loop.body, true);
    set_line(cg, n->u.loop.cond->line);
    int condexit = condition(cg, n->u.loop.cond);
    leave_block(fs);
    if (bl2.upval) {
        int exit = coro_emit_jump(fs);
        coro_emit_patchtohere(fs, condexit);
        coro_emit_abc(fs, OP_CLOSE, reg_level(fs, bl2.nactvar), 0, 0);
        condexit = coro_emit_jump(fs);
        coro_emit_patchtohere(fs, exit);
    }
    coro_emit_patchlist(fs, condexit, repeat_init);
    leave_block(fs);
}

static void fix_for_jump(CodeGen *cg, int pc, int dest, bool back)
{
    Instr *jmp = &cg->fs->f->code[pc];
    int offset = dest - (pc + 1);
    if (back)
        offset = -offset;
    if (offset > MAX_ARG_BX)
        coro_emit_error(cg, cg->line, "control structure too long");
    SET_BX(*jmp, (unsigned)offset);
}

static void for_body(CodeGen *cg, int base, int line, int nvars, bool isgen, const AstNode *body)
{
    FuncState *fs = cg->fs;
    BlockCnt bl;
    int prep = coro_emit_abx(fs, isgen ? OP_TFORPREP : OP_FORPREP, base, 0);
    enter_block(fs, &bl, 0);
    adjust_locals(cg, nvars);
    coro_emit_reserveregs(fs, nvars);
    block_stats(cg, body, false);
    leave_block(fs);
    fix_for_jump(cg, prep, coro_emit_label(fs), false);
    set_line(cg, line);
    if (isgen) {
        coro_emit_abc(fs, OP_TFORCALL, base, 0, nvars);
        coro_emit_fixline(fs, line);
    }
    int endfor = coro_emit_abx(fs, isgen ? OP_TFORLOOP : OP_FORLOOP, base, 0);
    fix_for_jump(cg, endfor, prep + 1, true);
    coro_emit_fixline(fs, line);
}

static void exp1(CodeGen *cg, const AstNode *n)
{
    ExpDesc e;
    expr(cg, n, &e);
    coro_emit_exp2nextreg(cg->fs, &e);
}

static void numeric_for(CodeGen *cg, const AstNode *n)
{
    FuncState *fs = cg->fs;
    int base = fs->freereg;
    cg->near = "=";
    new_local_lit(cg, "(for state)");
    new_local_lit(cg, "(for state)");
    new_local_lit(cg, "(for state)");
    new_local(cg, name_str(cg, n->u.numeric_for.var));
    cg->near = NULL;
    exp1(cg, n->u.numeric_for.start);
    exp1(cg, n->u.numeric_for.limit);
    if (n->u.numeric_for.step) {
        exp1(cg, n->u.numeric_for.step);
    } else {
        coro_emit_int(fs, fs->freereg, 1);
        coro_emit_reserveregs(fs, 1);
    }
    adjust_locals(cg, 3);
    set_line(cg, n->line);
    for_body(cg, base, n->line, 1, false, n->u.numeric_for.body);
}

static void generic_for(CodeGen *cg, const AstNode *n)
{
    FuncState *fs = cg->fs;
    int base = fs->freereg;
    const AstList *names = &n->u.generic_for.names;
    cg->near = names->count > 1 ? "," : "in";
    new_local_lit(cg, "(for state)");
    new_local_lit(cg, "(for state)");
    new_local_lit(cg, "(for state)");
    new_local_lit(cg, "(for state)");
    for (int i = 0; i < names->count; i++) {
        cg->near = i + 1 < names->count ? "," : "in";
        new_local(cg, name_str(cg, names->items[i]));
    }
    cg->near = NULL;
    ExpDesc e;
    int nexps = explist(cg, &n->u.generic_for.exprs, &e);
    set_line(cg, n->line);
    adjust_assign(cg, 4, nexps, &e);
    adjust_locals(cg, 4);
    mark_to_be_closed(fs);
    coro_emit_checkstack(fs, 3);
    for_body(cg, base, n->line, names->count, true, n->u.generic_for.body);
}

static void for_stat(CodeGen *cg, const AstNode *n)
{
    FuncState *fs = cg->fs;
    BlockCnt bl;
    enter_block(fs, &bl, 1);
    if (n->kind == AST_NUMERIC_FOR)
        numeric_for(cg, n);
    else
        generic_for(cg, n);
    leave_block(fs);
}

static void goto_stat(CodeGen *cg, const AstNode *n)
{
    FuncState *fs = cg->fs;
    String *name = ast_str(cg, n->u.label);
    LabelDesc *lb = find_label(cg, name);
    if (lb == NULL) {
        new_goto_entry(cg, name, n->line, coro_emit_jump(fs));
    } else {
        /* Backward jump: close upvalues of locals leaving scope. */
        int lblevel = reg_level(fs, lb->nactvar);
        if (nvarstack(fs) > lblevel)
            coro_emit_abc(fs, OP_CLOSE, lblevel, 0, 0);
        coro_emit_patchlist(fs, coro_emit_jump(fs), lb->pc);
    }
}

static void label_stat(CodeGen *cg, const AstNode *n, bool last)
{
    String *name = ast_str(cg, n->u.label);
    LabelDesc *lb = find_label(cg, name);
    if (lb)
        coro_emit_error(cg, n->line, "label '%s' already defined on line %d", name->data, lb->line);
    create_label(cg, name, n->line, last);
}

static void statement(CodeGen *cg, const AstNode *n)
{
    set_line(cg, n->line);
    switch (n->kind) {
    case AST_LOCAL:
        local_stat(cg, n);
        break;
    case AST_ASSIGN:
        assignment(cg, n);
        break;
    case AST_EXPR_STAT:
        expr_stat(cg, n);
        break;
    case AST_DO:
        scoped_block(cg, n->u.body, 0);
        break;
    case AST_WHILE:
        while_stat(cg, n);
        break;
    case AST_REPEAT:
        repeat_stat(cg, n);
        break;
    case AST_IF:
        if_stat(cg, n);
        break;
    case AST_NUMERIC_FOR:
    case AST_GENERIC_FOR:
        for_stat(cg, n);
        break;
    case AST_FUNCTION_STAT:
        function_stat(cg, n);
        break;
    case AST_LOCAL_FUNCTION:
        local_function(cg, n);
        break;
    case AST_RETURN:
        return_stat(cg, n);
        break;
    case AST_BREAK:
        new_goto_entry(cg, coro_str_newc(cg->vm, "break"), n->line, coro_emit_jump(cg->fs));
        break;
    case AST_GOTO:
        goto_stat(cg, n);
        break;
    case AST_LABEL:
        /* handled by block_stats, which knows what follows */
        break;
    default:
        coro_emit_error(cg, n->line, "unexpected node in statement");
    }
}

static void block_stats(CodeGen *cg, const AstNode *blk, bool in_repeat)
{
    FuncState *fs = cg->fs;
    const AstList *stats = &blk->u.block.stats;
    for (int i = 0; i < stats->count; i++) {
        const AstNode *s = stats->items[i];
        if (s->kind == AST_LABEL) {
            /* A label followed only by labels up to the block's end is
             * "last": locals of the block are already out of its scope
             * (not so before `until`, whose condition sees them). */
            int j = i + 1;
            while (j < stats->count && stats->items[j]->kind == AST_LABEL)
                j++;
            set_line(cg, s->line);
            label_stat(cg, s, j == stats->count && !in_repeat);
        } else {
            statement(cg, s);
        }
        fs->freereg = (uint8_t)nvarstack(fs);
    }
    set_line(cg, blk->u.block.end_line);
}

/* ---- entry ---------------------------------------------------------------------------------- */

static void main_function(CodeGen *cg, const AstNode *root, Proto *f)
{
    FuncState fs;
    BlockCnt bl;
    memset(&fs, 0, sizeof fs);
    fs.f = f;
    open_func(cg, &fs, &bl);
    set_vararg(&fs, 0);
    /* The main function's one upvalue is _ENV. */
    {
        Proto *p = fs.f;
        int cap = 0;
        p->upvals = coro_mem_grow(cg->vm, NULL, &cap, 1, sizeof(UpvalDesc), 1, "upvalues");
        p->upval_size = cap;
        p->upvals[0].name = cg->env_name;
        p->upvals[0].in_stack = 1;
        p->upvals[0].index = 0;
        p->upvals[0].kind = VAR_REG;
        fs.nups = 1;
    }
    block_stats(cg, root->u.function.body, false);
    close_func(cg, root->u.function.body->u.block.end_line);
}

Proto *coro_codegen(coro_VM *vm, const AstNode *root, const char *chunkid, String *source)
{
    CodeGen cg;
    memset(&cg, 0, sizeof cg);
    cg.vm = vm;
    cg.chunkid = chunkid;
    cg.source = source;
    cg.env_name = coro_str_newc(vm, "_ENV");
    cg.line = 1;
    Proto *f = coro_proto_new(vm);
    f->source = source;
    /* The partial tree is reachable from nothing while we build it, but no
     * collection can start during compilation (no check points here). */
    ErrorJmp ej;
    ej.prev = vm->errjmp;
    vm->errjmp = &ej;
    if (setjmp(ej.buf) == 0) {
        main_function(&cg, root, f);
        vm->errjmp = ej.prev;
    } else {
        vm->errjmp = ej.prev;
        scratch_free_all(&cg);
        coro_mem_free(vm, cg.actvar, sizeof(VarDesc) * (size_t)cg.actvar_cap);
        coro_mem_free(vm, cg.gotos.arr, sizeof(LabelDesc) * (size_t)cg.gotos.size);
        coro_mem_free(vm, cg.labels.arr, sizeof(LabelDesc) * (size_t)cg.labels.size);
        coro_throw(vm, vm->error_status);
    }
    coro_mem_free(vm, cg.actvar, sizeof(VarDesc) * (size_t)cg.actvar_cap);
    coro_mem_free(vm, cg.gotos.arr, sizeof(LabelDesc) * (size_t)cg.gotos.size);
    coro_mem_free(vm, cg.labels.arr, sizeof(LabelDesc) * (size_t)cg.labels.size);
    return f;
}
