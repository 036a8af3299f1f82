/*
 * debug.c: names, positions and tracebacks for error messages.
 */
#include <stdio.h>
#include <string.h>

#include "debug.h"
#include "api.h"
#include "call.h"
#include "func.h"
#include "meta.h"
#include "number.h"
#include "opcodes.h"
#include "str.h"
#include "table.h"

/* ---- chunk names -------------------------------------------------------------- */

void coro_chunkid(char *out, size_t outsize, const char *source, size_t len)
{
    size_t bufflen = outsize;
    if (*source == '=') {
        if (len - 1 < bufflen) {
            memcpy(out, source + 1, len - 1);
            out[len - 1] = '\0';
        } else {
            memcpy(out, source + 1, bufflen - 1);
            out[bufflen - 1] = '\0';
        }
    } else if (*source == '@') {
        if (len - 1 < bufflen) {
            memcpy(out, source + 1, len - 1);
            out[len - 1] = '\0';
        } else {
            /* Keep the end of a long file name. */
            strcpy(out, "...");
            size_t keep = bufflen - 4;
            memcpy(out + 3, source + len - keep, keep);
            out[3 + keep] = '\0';
        }
    } else {
        const char *nl = memchr(source, '\n', len);
        const char *pre = "[string \"";
        const char *pos = "\"]";
        const char *rets = "...";
        size_t avail = bufflen - strlen(pre) - strlen(rets) - strlen(pos) - 1;
        size_t n = strlen(pre);
        memcpy(out, pre, n);
        if (len < avail && nl == NULL) {
            memcpy(out + n, source, len);
            n += len;
        } else {
            size_t srclen = nl ? (size_t)(nl - source) : len;
            if (srclen > avail)
                srclen = avail;
            memcpy(out + n, source, srclen);
            n += srclen;
            memcpy(out + n, rets, strlen(rets));
            n += strlen(rets);
        }
        memcpy(out + n, pos, strlen(pos) + 1);
    }
}

/* ---- frames ------------------------------------------------------------------- */

Proto *coro_frame_proto(const Frame *f)
{
    if (f->flags & FRAME_C)
        return NULL;
    return as_lclosure(f->func)->proto;
}

int coro_frame_pc(const Frame *f)
{
    Proto *p = coro_frame_proto(f);
    if (!p)
        return -1;
    int pc = (int)(f->u.s.pc - p->code) - 1;
    return pc < 0 ? 0 : pc;
}

int coro_frame_line(const Frame *f)
{
    Proto *p = coro_frame_proto(f);
    if (!p)
        return -1;
    return coro_proto_line(p, coro_frame_pc(f));
}

static void proto_chunkid(const Proto *p, char *buf, size_t size)
{
    if (p->source)
        coro_chunkid(buf, size, p->source->data, str_len(p->source));
    else
        snprintf(buf, size, "?");
}

void coro_debug_where(const Frame *f, char *buf, size_t size)
{
    Proto *p = coro_frame_proto(f);
    if (!p) {
        buf[0] = '\0';
        return;
    }
    char id[CHUNKID_SIZE];
    proto_chunkid(p, id, sizeof id);
    snprintf(buf, size, "%s:%d: ", id, coro_frame_line(f));
}

/* ---- symbolic execution ------------------------------------------------------- */

/* Whether op writes register A. */
static bool sets_a(OpCode op)
{
    switch (op) {
    case OP_SETUPVAL: case OP_SETTABUP: case OP_SETTABLE: case OP_SETI:
    case OP_SETFIELD: case OP_CLOSE: case OP_TBC: case OP_JMP:
    case OP_EQ: case OP_LT: case OP_LE: case OP_EQK: case OP_EQI:
    case OP_LTI: case OP_LEI: case OP_GTI: case OP_GEI: case OP_TEST:
    case OP_RETURN: case OP_RETURN0: case OP_RETURN1: case OP_TFORPREP:
    case OP_SETLIST: case OP_EXTRAARG: case OP_ASYNC:
        return false;
    default:
        return true;
    }
}

/* The instruction before lastpc that last set reg, or -1 if unknown
 * (set on a path a jump may skip). */
static int find_set_reg(const Proto *p, int lastpc, int reg)
{
    int setreg = -1, jmptarget = 0;
    for (int pc = 0; pc < lastpc; pc++) {
        Instr i = p->code[pc];
        OpCode op = GET_OP(i);
        int a = GET_A(i);
        bool change;
        switch (op) {
        case OP_LOADNIL:
            change = a <= reg && reg <= a + GET_B(i);
            break;
        case OP_TFORCALL:
            change = reg >= a + 2;
            break;
        case OP_CALL: case OP_TAILCALL: case OP_YIELD: case OP_YIELDFROM: case OP_AWAIT:
            change = reg >= a;
            break;
        case OP_JMP: {
            int dest = pc + 1 + GET_SJ(i);
            if (dest <= lastpc && dest > jmptarget)
                jmptarget = dest;
            change = false;
            break;
        }
        default:
            change = sets_a(op) && reg == a;
            break;
        }
        if (change)
            setreg = pc < jmptarget ? -1 : pc;
    }
    return setreg;
}

static const char *upvalue_name(const Proto *p, int uv)
{
    if (uv < p->upval_size && p->upvals[uv].name)
        return p->upvals[uv].name->data;
    return "?";
}

static const char *kname(const Proto *p, int index)
{
    const Value *k = &p->constants[index];
    return is_string(k) ? as_string(k)->data : "?";
}

static const char *get_obj_name(const Proto *p, int lastpc, int reg, const char **name);

/* Name of the key in register c (a constant string), or "?". */
static void register_name(const Proto *p, int pc, int c, const char **name)
{
    const char *what = get_obj_name(p, pc, c, name);
    if (!(what && *what == 'c'))
        *name = "?";
}

/* Whether the table indexed by instruction i is _ENV (a global access). */
static const char *global_or_field(const Proto *p, int pc, Instr i, bool isup)
{
    int t = GET_B(i);
    const char *name;
    if (isup)
        name = upvalue_name(p, t);
    else
        get_obj_name(p, pc, t, &name);
    return name && strcmp(name, "_ENV") == 0 ? "global" : "field";
}

static const char *get_obj_name(const Proto *p, int lastpc, int reg, const char **name)
{
    *name = coro_proto_local_name(p, reg + 1, lastpc);
    if (*name)
        return "local";
    int pc = find_set_reg(p, lastpc, reg);
    if (pc == -1)
        return NULL;
    Instr i = p->code[pc];
    switch (GET_OP(i)) {
    case OP_MOVE: {
        int b = GET_B(i);
        if (b < GET_A(i))
            return get_obj_name(p, pc, b, name);
        break;
    }
    case OP_GETTABUP:
        *name = kname(p, GET_C(i));
        return global_or_field(p, pc, i, true);
    case OP_GETTABLE:
        register_name(p, pc, GET_C(i), name);
        return global_or_field(p, pc, i, false);
    case OP_GETI:
        *name = "integer index";
        return "field";
    case OP_GETFIELD:
        *name = kname(p, GET_C(i));
        return global_or_field(p, pc, i, false);
    case OP_GETUPVAL:
        *name = upvalue_name(p, GET_B(i));
        return "upvalue";
    case OP_LOADK:
    case OP_LOADKX: {
        int b = GET_OP(i) == OP_LOADK ? GET_BX(i) : GET_AX(p->code[pc + 1]);
        if (is_string(&p->constants[b])) {
            *name = as_string(&p->constants[b])->data;
            return "constant";
        }
        break;
    }
    case OP_SELF:
        if (GET_K(i))
            *name = kname(p, GET_C(i));
        else
            register_name(p, pc, GET_C(i), name);
        return "method";
    default:
        break;
    }
    return NULL;
}

static const char *funcname_from_code(const Proto *p, int pc, const char **name)
{
    Instr i = p->code[pc];
    const char *tm;
    switch (GET_OP(i)) {
    case OP_CALL:
    case OP_TAILCALL:
        return get_obj_name(p, pc, GET_A(i), name);
    case OP_TFORCALL:
        *name = "for iterator";
        return "for iterator";
    case OP_SELF: case OP_GETTABUP: case OP_GETTABLE: case OP_GETI: case OP_GETFIELD:
        tm = "index";
        break;
    case OP_SETTABUP: case OP_SETTABLE: case OP_SETI: case OP_SETFIELD:
        tm = "newindex";
        break;
    case OP_ADDI: case OP_ADDK: case OP_ADD: tm = "add"; break;
    case OP_SUBK: case OP_SUB: tm = "sub"; break;
    case OP_MULK: case OP_MUL: tm = "mul"; break;
    case OP_MODK: case OP_MOD: tm = "mod"; break;
    case OP_POWK: case OP_POW: tm = "pow"; break;
    case OP_DIVK: case OP_DIV: tm = "div"; break;
    case OP_IDIVK: case OP_IDIV: tm = "idiv"; break;
    case OP_BANDK: case OP_BAND: tm = "band"; break;
    case OP_BORK: case OP_BOR: tm = "bor"; break;
    case OP_BXORK: case OP_BXOR: tm = "bxor"; break;
    case OP_SHLI: case OP_SHL: tm = "shl"; break;
    case OP_SHRI: case OP_SHR: tm = "shr"; break;
    case OP_UNM: tm = "unm"; break;
    case OP_BNOT: tm = "bnot"; break;
    case OP_LEN: tm = "len"; break;
    case OP_CONCAT: tm = "concat"; break;
    case OP_EQ: case OP_EQK: case OP_EQI: tm = "eq"; break;
    case OP_LT: case OP_LTI: case OP_GTI: tm = "lt"; break;
    case OP_LE: case OP_LEI: case OP_GEI: tm = "le"; break;
    case OP_CLOSE: case OP_RETURN: tm = "close"; break;
    default:
        return NULL;
    }
    *name = tm;
    return "metamethod";
}

const char *coro_debug_funcname(coro_VM *vm, Coroutine *co, const Frame *f, const char **name)
{
    (void)vm;
    uint32_t index = (uint32_t)(f - co->frames);
    if (index == 0)
        return NULL;
    const Frame *caller = f - 1;
    if (caller->flags & FRAME_C)
        return NULL;
    if (f->flags & FRAME_HANDLER)
        return NULL;
    return funcname_from_code(coro_frame_proto(caller), coro_frame_pc(caller), name);
}

/* ---- variable info --------------------------------------------------------------- */

void coro_debug_varinfo(coro_VM *vm, const Value *o, char *buf, size_t size)
{
    buf[0] = '\0';
    Coroutine *co = vm->current;
    if (!co || co->nframes == 0)
        return;
    Frame *f = co_top_frame(co);
    if (f->flags & FRAME_C)
        return;
    LClosure *cl = as_lclosure(f->func);
    const char *kind = NULL, *name = NULL;
    for (int i = 0; i < cl->nupvals; i++) {
        if (cl->upvals[i] && cl->upvals[i]->v == o) {
            kind = "upvalue";
            name = upvalue_name(cl->proto, i);
            break;
        }
    }
    if (!kind) {
        Value *base = f->func + 1;
        if (o >= base && o < f->top)
            kind = get_obj_name(cl->proto, coro_frame_pc(f), (int)(o - base), &name);
    }
    if (kind)
        snprintf(buf, size, " (%s '%s')", kind, name);
}

CORO_NORETURN void coro_debug_type_error(coro_VM *vm, const Value *o, const char *op)
{
    char info[160];
    coro_debug_varinfo(vm, o, info, sizeof info);
    coro_throw_msg(vm, "attempt to %s a %s value%s", op, coro_meta_typename(vm, o), info);
}

CORO_NORETURN void coro_debug_call_error(coro_VM *vm, const Value *o)
{
    /* Named after how the calling instruction calls it (a for iterator,
     * a metamethod, a method...), else after where the value came from. */
    Coroutine *co = vm->current;
    Frame *f = co && co->nframes > 0 ? co_top_frame(co) : NULL;
    if (f && !(f->flags & FRAME_C)) {
        const char *name = NULL;
        const char *kind = funcname_from_code(coro_frame_proto(f), coro_frame_pc(f), &name);
        if (kind) {
            coro_throw_msg(vm, "attempt to call a %s value (%s '%s')",
                           coro_meta_typename(vm, o), kind, name);
        }
    }
    coro_debug_type_error(vm, o, "call");
}

CORO_NORETURN void coro_debug_concat_error(coro_VM *vm, const Value *a, const Value *b)
{
    if (is_string(a) || is_number(a))
        a = b;
    coro_debug_type_error(vm, a, "concatenate");
}

CORO_NORETURN void coro_debug_arith_error(coro_VM *vm, const Value *a, const Value *b, const char *what)
{
    if (!is_number(a))
        b = a;  /* the first operand is the wrong one */
    coro_debug_type_error(vm, b, what);
}

CORO_NORETURN void coro_debug_int_error(coro_VM *vm, const Value *a, const Value *b)
{
    if (is_number(a) && is_number(b)) {
        int64_t i;
        if (!coro_value_to_int(a, &i, F2I_EXACT))
            b = a;
        char info[160];
        coro_debug_varinfo(vm, b, info, sizeof info);
        coro_throw_msg(vm, "number%s has no integer representation", info);
    }
    coro_debug_arith_error(vm, a, b, "perform bitwise operation on");
}

CORO_NORETURN void coro_debug_order_error(coro_VM *vm, const Value *a, const Value *b)
{
    const char *t1 = coro_meta_typename(vm, a);
    const char *t2 = coro_meta_typename(vm, b);
    if (strcmp(t1, t2) == 0)
        coro_throw_msg(vm, "attempt to compare two %s values", t1);
    coro_throw_msg(vm, "attempt to compare %s with %s", t1, t2);
}

CORO_NORETURN void coro_debug_for_error(coro_VM *vm, const Value *o, const char *what)
{
    coro_throw_msg(vm, "bad 'for' %s (number expected, got %s)", what, coro_meta_typename(vm, o));
}

/* ---- tracebacks ------------------------------------------------------------------ */

void coro_trace_reset(coro_VM *vm)
{
    vm->trace_count = 0;
    set_nil(&vm->trace_carry);
}

static TraceEntry *trace_slot(coro_VM *vm)
{
    int n = vm->trace_count++;
    if (n < TRACE_HEAD)
        return &vm->trace[n];
    /* The tail is a ring of the most recent entries. */
    return &vm->trace[TRACE_HEAD + (n - TRACE_HEAD) % TRACE_TAIL];
}

void coro_trace_record(coro_VM *vm, Coroutine *co, uint32_t frame_index)
{
    Frame *f = &co->frames[frame_index];
    TraceEntry *e = trace_slot(vm);
    e->fn = *f->func;
    e->line = coro_frame_line(f);
    e->caller = NULL;
    e->caller_pc = -1;
    if (frame_index > 0 && !(f->flags & FRAME_HANDLER)) {
        Frame *caller = f - 1;
        if (!(caller->flags & FRAME_C)) {
            e->caller = caller->func->u.gc;
            e->caller_pc = coro_frame_pc(caller);
        }
    }
}

void coro_trace_boundary(coro_VM *vm)
{
    TraceEntry *e = trace_slot(vm);
    set_nil(&e->fn);
    e->line = -1;
    e->caller = NULL;
    e->caller_pc = -1;
}

/* Looks for fn in the tables of package.loaded: "string.format", or
 * "print" for a global. */
static bool global_func_name(coro_VM *vm, const Value *fn, char *buf, size_t size)
{
    Value key;
    set_string(&key, coro_str_newc(vm, "_LOADED"));
    const Value *loaded = coro_table_get(vm->registry, &key);
    if (!is_table(loaded))
        return false;
    Table *lt = as_table(loaded);
    Value mk, mv;
    set_nil(&mk);
    while (coro_table_next(vm, lt, &mk, &mv)) {
        if (!is_table(&mv) || !is_string(&mk))
            continue;
        Value fk, fv;
        set_nil(&fk);
        while (coro_table_next(vm, as_table(&mv), &fk, &fv)) {
            if (is_string(&fk) && fv.tag == fn->tag && fv.u.p == fn->u.p) {
                const char *mod = as_string(&mk)->data;
                if (strcmp(mod, "_G") == 0)
                    snprintf(buf, size, "%s", as_string(&fk)->data);
                else
                    snprintf(buf, size, "%s.%s", mod, as_string(&fk)->data);
                return true;
            }
        }
    }
    return false;
}

static void describe_function(coro_VM *vm, const Value *fn, GCObject *caller, int caller_pc,
                              char *buf, size_t size)
{
    char gname[128];
    const char *kind = NULL, *name = NULL;
    if (caller && caller_pc >= 0 && caller->tag == TAG_LCLOSURE)
        kind = funcname_from_code(((LClosure *)caller)->proto, caller_pc, &name);
    if (global_func_name(vm, fn, gname, sizeof gname)) {
        snprintf(buf, size, "function '%s'", gname);
    } else if (kind) {
        snprintf(buf, size, "%s '%s'", kind, name);
    } else if (fn->tag == TAG_LCLOSURE) {
        Proto *p = as_lclosure(fn)->proto;
        if (p->line_defined == 0) {
            snprintf(buf, size, "main chunk");
        } else {
            char id[CHUNKID_SIZE];
            proto_chunkid(p, id, sizeof id);
            snprintf(buf, size, "function <%s:%d>", id, p->line_defined);
        }
    } else {
        snprintf(buf, size, "?");
    }
}

static void add_entry_line(coro_VM *vm, coro_Buffer *b, const TraceEntry *e)
{
    char line[400];
    if (is_nil(&e->fn)) {
        coro_addstring(b, "\n\t(...in a coroutine, resumed by:)");
        return;
    }
    char desc[200];
    describe_function(vm, &e->fn, e->caller, e->caller_pc, desc, sizeof desc);
    if (e->fn.tag == TAG_LCLOSURE) {
        char id[CHUNKID_SIZE];
        proto_chunkid(as_lclosure(&e->fn)->proto, id, sizeof id);
        snprintf(line, sizeof line, "\n\t%s:%d: in %s", id, e->line, desc);
    } else {
        snprintf(line, sizeof line, "\n\t[C]: in %s", desc);
    }
    coro_addstring(b, line);
}

void coro_trace_push(coro_VM *vm)
{
    coro_Buffer b;
    coro_buffinit(vm, &b);
    coro_addstring(&b, "stack traceback:");
    if (is_string(&vm->trace_carry)) {
        coro_addchar(&b, '\n');
        coro_addlstring(&b, as_string(&vm->trace_carry)->data, str_len(as_string(&vm->trace_carry)));
    }
    int n = vm->trace_count;
    int head = n < TRACE_HEAD ? n : TRACE_HEAD;
    for (int i = 0; i < head; i++)
        add_entry_line(vm, &b, &vm->trace[i]);
    if (n > TRACE_HEAD) {
        int tail = n - TRACE_HEAD < TRACE_TAIL ? n - TRACE_HEAD : TRACE_TAIL;
        int skipped = n - TRACE_HEAD - tail;
        if (skipped > 0) {
            char msg[64];
            snprintf(msg, sizeof msg, "\n\t...\t(skipping %d levels)", skipped);
            coro_addstring(&b, msg);
        }
        for (int i = n - tail; i < n; i++)
            add_entry_line(vm, &b, &vm->trace[TRACE_HEAD + (i - TRACE_HEAD) % TRACE_TAIL]);
    }
    coro_pushresult(&b);
}

int coro_trace_anchor(coro_VM *vm, const TraceEntry *saved, int count, const Value *carry)
{
    int kept = count < TRACE_HEAD + TRACE_TAIL ? count : TRACE_HEAD + TRACE_TAIL;
    coro_checkstack_msg(vm, 2 * kept + 1, "traceback");
    int n = 0;
    for (int i = 0; i < kept; i++, n++) {
        coro_api_push(vm, &saved[i].fn);
        if (saved[i].caller) {
            Value c;
            set_gc(&c, saved[i].caller, saved[i].caller->tag);
            coro_api_push(vm, &c);
            n++;
        }
    }
    coro_api_push(vm, carry);
    return n + 1;
}

void coro_debug_push_live_traceback(coro_VM *vm, int level)
{
    /* Record the live frames as an unwinding would, then format them. */
    TraceEntry saved[TRACE_HEAD + TRACE_TAIL];
    int saved_count = vm->trace_count;
    Value saved_carry = vm->trace_carry;
    memcpy(saved, vm->trace, sizeof saved);
    int base = coro_gettop(vm);
    coro_trace_anchor(vm, saved, saved_count, &saved_carry);
    coro_trace_reset(vm);
    int skip = level;
    for (Coroutine *co = vm->current; co; co = co->resumer) {
        for (int i = (int)co->nframes - 1; i >= 0; i--) {
            if (skip > 0) {
                skip--;
                continue;
            }
            coro_trace_record(vm, co, (uint32_t)i);
        }
        if (co->resumer)
            coro_trace_boundary(vm);
    }
    coro_trace_push(vm);
    memcpy(vm->trace, saved, sizeof saved);
    vm->trace_count = saved_count;
    vm->trace_carry = saved_carry;
    /* The traceback in place of the anchors. */
    coro_replace(vm, base + 1);
    coro_settop(vm, base + 1);
}
