/*
 * disasm.c: the bytecode listing of `coro --disasm` (every function of a
 * chunk: its instructions with operands and lines, constants, locals and
 * upvalues).  Names and operand layouts come from the opcode list.
 */
#include <stdio.h>

#include "disasm.h"
#include "debug.h"
#include "number.h"
#include "opcodes.h"

const char *const coro_opcode_names[OP_COUNT] = {
#define X(name, layout, doc) #name,
    CORO_OPCODES(X)
#undef X
};

const uint8_t coro_opcode_layouts[OP_COUNT] = {
#define X(name, layout, doc) layout,
    CORO_OPCODES(X)
#undef X
};

const char *const coro_opcode_docs[OP_COUNT] = {
#define X(name, layout, doc) doc,
    CORO_OPCODES(X)
#undef X
};

static void print_constant(FILE *out, const Value *v)
{
    char buf[NUMBER_BUF];
    switch (v->tag) {
    case TAG_NIL: fputs("nil", out); break;
    case TAG_TRUE: fputs("true", out); break;
    case TAG_FALSE: fputs("false", out); break;
    case TAG_INT:
    case TAG_FLOAT:
        coro_number_to_str(v, buf);
        fputs(buf, out);
        break;
    case TAG_STRING: {
        String *s = as_string(v);
        fputc('"', out);
        for (size_t i = 0; i < str_len(s); i++) {
            unsigned char c = (unsigned char)s->data[i];
            if (c == '"' || c == '\\')
                fprintf(out, "\\%c", c);
            else if (c >= 32 && c < 127)
                fputc(c, out);
            else
                fprintf(out, "\\%03d", c);
        }
        fputc('"', out);
        break;
    }
    default:
        fputs("?", out);
    }
}

static void print_function(FILE *out, const Proto *p, int depth)
{
    char id[CHUNKID_SIZE];
    if (p->source)
        coro_chunkid(id, sizeof id, p->source->data, str_len(p->source));
    else
        snprintf(id, sizeof id, "?");
    fprintf(out, "\n%s <%s:%d,%d> (%d instructions)\n",
            p->line_defined == 0 ? "main" : p->is_async ? "async function" : "function",
            id, p->line_defined, p->last_line_defined, p->code_size);
    fprintf(out, "%d%s params, %d slots, %d upvalues, %d locals, %d constants, %d functions\n",
            p->num_params, p->is_vararg ? "+" : "", p->max_stack, p->upval_size,
            p->locvar_size, p->const_size, p->proto_size);
    for (int pc = 0; pc < p->code_size; pc++) {
        Instr i = p->code[pc];
        OpCode op = GET_OP(i);
        fprintf(out, "\t%d\t[%d]\t%-11s", pc + 1, p->lines ? p->lines[pc] : 0,
                op < OP_COUNT ? coro_opcode_names[op] : "?");
        switch (op < OP_COUNT ? coro_opcode_layouts[op] : LAYOUT_ABC) {
        case LAYOUT_ABC:
            fprintf(out, "%d %d %d%s", GET_A(i), GET_B(i), GET_C(i), GET_K(i) ? "k" : "");
            break;
        case LAYOUT_ABX:
            fprintf(out, "%d %d", GET_A(i), GET_BX(i));
            break;
        case LAYOUT_ASBX:
            fprintf(out, "%d %d", GET_A(i), GET_SBX(i));
            break;
        case LAYOUT_AX:
            fprintf(out, "%d", GET_AX(i));
            break;
        case LAYOUT_SJ:
            fprintf(out, "%d\t; to %d", GET_SJ(i), pc + 2 + GET_SJ(i));
            break;
        }
        switch (op) {
        case OP_LOADK:
            fputs("\t; ", out);
            print_constant(out, &p->constants[GET_BX(i)]);
            break;
        case OP_GETTABUP: case OP_GETFIELD:
            fputs("\t; ", out);
            print_constant(out, &p->constants[GET_C(i)]);
            break;
        case OP_SETTABUP: case OP_SETFIELD:
            fputs("\t; ", out);
            print_constant(out, &p->constants[GET_B(i)]);
            break;
        case OP_EQK:
            fputs("\t; ", out);
            print_constant(out, &p->constants[GET_B(i)]);
            break;
        case OP_ADDK: case OP_SUBK: case OP_MULK: case OP_MODK: case OP_POWK:
        case OP_DIVK: case OP_IDIVK: case OP_BANDK: case OP_BORK: case OP_BXORK:
            fputs("\t; ", out);
            print_constant(out, &p->constants[GET_C(i)]);
            break;
        case OP_CLOSURE:
            fprintf(out, "\t; function <%s:%d>", id, p->protos[GET_BX(i)]->line_defined);
            break;
        default:
            break;
        }
        fputc('\n', out);
    }
    fprintf(out, "constants (%d):\n", p->const_size);
    for (int k = 0; k < p->const_size; k++) {
        fprintf(out, "\t%d\t", k);
        print_constant(out, &p->constants[k]);
        fputc('\n', out);
    }
    fprintf(out, "locals (%d):\n", p->locvar_size);
    for (int l = 0; l < p->locvar_size; l++)
        fprintf(out, "\t%d\t%s\t%d\t%d\n", l, p->locvars[l].name ? p->locvars[l].name->data : "?",
                p->locvars[l].start_pc + 1, p->locvars[l].end_pc + 1);
    fprintf(out, "upvalues (%d):\n", p->upval_size);
    for (int u = 0; u < p->upval_size; u++)
        fprintf(out, "\t%d\t%s\t%d\t%d\n", u, p->upvals[u].name ? p->upvals[u].name->data : "?",
                p->upvals[u].in_stack, p->upvals[u].index);
    for (int f = 0; f < p->proto_size; f++)
        print_function(out, p->protos[f], depth + 1);
}

void coro_disasm(FILE *out, const Proto *p)
{
    print_function(out, p, 0);
}
