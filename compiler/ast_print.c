/*
 * ast_print.c: the syntax tree as indented text (coro --ast, and the
 * parser's tests compare trees through it).
 *
 * One node per line: what it is, its details, "@line" (or "@line-end"
 * for functions and blocks).  Children follow one level deeper, in
 * source order; where the order alone would not say which part is which
 * (assignments, if, for) the child line starts with its role.
 *
 * Trees are deep along their left spines (a 100,000-term sum), so the
 * walk keeps its own stack on the heap instead of recursing, and
 * indentation stops growing at MAX_INDENT levels, where the depth is
 * printed in brackets instead, so the output stays linear in size.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"

enum { MAX_INDENT = 40 };

typedef struct Item {
    const AstNode *node;        /* a node, or else a table field */
    const AstField *field;
    const char *role;           /* "cond", "then", ... or NULL */
    int depth;
} Item;

typedef struct Printer {
    FILE *out;
    Item *stack;
    size_t count, cap;
    bool out_of_memory;
} Printer;

static void push_item(Printer *pr, Item item)
{
    if (pr->count == pr->cap) {
        size_t cap = pr->cap ? pr->cap * 2 : 64;
        Item *grown = realloc(pr->stack, cap * sizeof *grown);
        if (!grown) {
            pr->out_of_memory = true;
            return;
        }
        pr->stack = grown;
        pr->cap = cap;
    }
    pr->stack[pr->count++] = item;
}

/* Children are pushed last to first so that they pop in source order. */
static void push(Printer *pr, const AstNode *node, const char *role, int depth)
{
    if (node)
        push_item(pr, (Item){ node, NULL, role, depth });
}

static void push_list(Printer *pr, const AstList *list, const char *role,
                      int depth)
{
    for (int i = list->count - 1; i >= 0; i--)
        push(pr, list->items[i], role, depth);
}

/* ---- text of one line ----------------------------------------------------- */

static void print_escaped(FILE *out, AstString s)
{
    static const char escapes[] = "\a\b\f\n\r\t\v";
    static const char letters[] = "abfnrtv";
    fputc('"', out);
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.data[i];
        const char *e = c ? strchr(escapes, c) : NULL;
        if (e)
            fprintf(out, "\\%c", letters[e - escapes]);
        else if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20 || c >= 0x7F)
            fprintf(out, "\\%03d", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

/* The shortest form that reads back as the same double. */
static void print_float(FILE *out, double value)
{
    if (isinf(value)) {
        fputs(value > 0 ? "inf" : "-inf", out);
        return;
    }
    if (isnan(value)) {
        fputs("nan", out);
        return;
    }
    char text[40];
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, value);
        if (strtod(text, NULL) == value)
            break;
    }
    fputs(text, out);
    if (!strpbrk(text, ".e"))
        fputs(".0", out);
}

static void print_names(FILE *out, const AstList *names, bool attribs)
{
    for (int i = 0; i < names->count; i++) {
        const AstNode *n = names->items[i];
        fprintf(out, "%s%s", i ? ", " : " ", n->u.name.id.data);
        if (attribs && n->u.name.attrib == AST_ATTRIB_CONST)
            fputs(" <const>", out);
        else if (attribs && n->u.name.attrib == AST_ATTRIB_CLOSE)
            fputs(" <close>", out);
    }
}

static void print_function_head(FILE *out, const AstNode *n)
{
    const char *name = n->u.function.name;
    fprintf(out, " %s(", name ? name : "");
    const AstList *params = &n->u.function.params;
    for (int i = 0; i < params->count; i++)
        fprintf(out, "%s%s", i ? ", " : "", params->items[i]->u.name.id.data);
    if (n->u.function.is_vararg)
        fputs(params->count ? ", ..." : "...", out);
    fputc(')', out);
    if (n->u.function.is_method)
        fputs(" method", out);
    if (n->u.function.is_async)
        fputs(" async", out);
}

/* What follows the kind's name on a node's line. */
static void print_details(FILE *out, const AstNode *n)
{
    switch (n->kind) {
    case AST_INTEGER: fprintf(out, " %" PRId64, n->u.integer); break;
    case AST_FLOAT: fputc(' ', out); print_float(out, n->u.number); break;
    case AST_STRING: fputc(' ', out); print_escaped(out, n->u.string); break;
    case AST_NAME: fprintf(out, " %s", n->u.name.id.data); break;
    case AST_METHOD_CALL:
        fprintf(out, " :%s", n->u.method.name->u.string.data);
        break;
    case AST_FUNCTION: print_function_head(out, n); break;
    case AST_BINARY:
        fprintf(out, " %s", coro_ast_binary_op_name(n->u.binary.op));
        break;
    case AST_UNARY:
        fprintf(out, " %s", coro_ast_unary_op_name(n->u.unary.op));
        break;
    case AST_LOCAL: print_names(out, &n->u.local.names, true); break;
    case AST_NUMERIC_FOR:
        fprintf(out, " %s", n->u.numeric_for.var->u.name.id.data);
        break;
    case AST_GENERIC_FOR: print_names(out, &n->u.generic_for.names, false); break;
    case AST_LOCAL_FUNCTION:
        fprintf(out, " %s", n->u.local_function.name->u.name.id.data);
        break;
    case AST_GOTO: case AST_LABEL: fprintf(out, " %s", n->u.label.data); break;
    default: break;
    }
}

static void print_line_number(FILE *out, const AstNode *n)
{
    if (n->kind == AST_FUNCTION)
        fprintf(out, " @%d-%d\n", n->line, n->u.function.end_line);
    else if (n->kind == AST_BLOCK)
        fprintf(out, " @%d-%d\n", n->line, n->u.block.end_line);
    else
        fprintf(out, " @%d\n", n->line);
}

static void print_indent(FILE *out, const Item *item)
{
    int shown = item->depth < MAX_INDENT ? item->depth : MAX_INDENT;
    for (int i = 0; i < shown; i++)
        fputs("  ", out);
    if (item->depth > MAX_INDENT)
        fprintf(out, "[%d] ", item->depth);
    if (item->role)
        fprintf(out, "%s: ", item->role);
}

/* ---- children ------------------------------------------------------------- */

static void push_if_children(Printer *pr, const AstNode *n, int depth)
{
    push(pr, n->u.if_.else_block, "else", depth);
    for (int i = n->u.if_.conds.count - 1; i >= 0; i--) {
        push(pr, n->u.if_.blocks.items[i], "then", depth);
        push(pr, n->u.if_.conds.items[i], "cond", depth);
    }
}

static void push_table_fields(Printer *pr, const AstNode *n, int depth)
{
    for (int i = n->u.table.count - 1; i >= 0; i--)
        push_item(pr, (Item){ NULL, &n->u.table.fields[i], NULL, depth });
}

static void push_children(Printer *pr, const AstNode *n, int depth)
{
    switch (n->kind) {
    case AST_INDEX:
        push(pr, n->u.index.key, NULL, depth);
        push(pr, n->u.index.object, NULL, depth);
        break;
    case AST_CALL:
        push_list(pr, &n->u.call.args, NULL, depth);
        push(pr, n->u.call.fn, NULL, depth);
        break;
    case AST_METHOD_CALL:
        push_list(pr, &n->u.method.args, NULL, depth);
        push(pr, n->u.method.object, NULL, depth);
        break;
    case AST_FUNCTION: push(pr, n->u.function.body, NULL, depth); break;
    case AST_TABLE: push_table_fields(pr, n, depth); break;
    case AST_BINARY:
        push(pr, n->u.binary.right, NULL, depth);
        push(pr, n->u.binary.left, NULL, depth);
        break;
    case AST_UNARY: push(pr, n->u.unary.operand, NULL, depth); break;
    case AST_PAREN: push(pr, n->u.paren, NULL, depth); break;
    case AST_YIELD: push_list(pr, &n->u.yield.values, NULL, depth); break;
    case AST_YIELD_FROM: case AST_AWAIT: case AST_EXPR_STAT:
        push(pr, n->u.operand, NULL, depth);
        break;
    case AST_BLOCK: push_list(pr, &n->u.block.stats, NULL, depth); break;
    case AST_LOCAL: push_list(pr, &n->u.local.values, NULL, depth); break;
    case AST_ASSIGN:
        push_list(pr, &n->u.assign.values, "value", depth);
        push_list(pr, &n->u.assign.targets, "target", depth);
        break;
    case AST_DO: push(pr, n->u.body, NULL, depth); break;
    case AST_WHILE:
        push(pr, n->u.loop.body, NULL, depth);
        push(pr, n->u.loop.cond, "cond", depth);
        break;
    case AST_REPEAT:
        push(pr, n->u.loop.cond, "until", depth);
        push(pr, n->u.loop.body, NULL, depth);
        break;
    case AST_IF: push_if_children(pr, n, depth); break;
    case AST_NUMERIC_FOR:
        push(pr, n->u.numeric_for.body, NULL, depth);
        push(pr, n->u.numeric_for.step, "step", depth);
        push(pr, n->u.numeric_for.limit, "limit", depth);
        push(pr, n->u.numeric_for.start, "start", depth);
        break;
    case AST_GENERIC_FOR:
        push(pr, n->u.generic_for.body, NULL, depth);
        push_list(pr, &n->u.generic_for.exprs, "in", depth);
        break;
    case AST_FUNCTION_STAT:
        push(pr, n->u.function_stat.fn, NULL, depth);
        push(pr, n->u.function_stat.target, NULL, depth);
        break;
    case AST_LOCAL_FUNCTION: push(pr, n->u.local_function.fn, NULL, depth); break;
    case AST_RETURN: push_list(pr, &n->u.return_.values, NULL, depth); break;
    default: break;
    }
}

static void print_item(Printer *pr, const Item *item)
{
    print_indent(pr->out, item);
    if (item->field) {
        const AstField *f = item->field;
        fprintf(pr->out, "%s @%d\n", f->key ? "field" : "item", f->line);
        push(pr, f->value, NULL, item->depth + 1);
        push(pr, f->key, NULL, item->depth + 1);
        return;
    }
    const AstNode *n = item->node;
    fputs(coro_ast_kind_name((AstKind)n->kind), pr->out);
    print_details(pr->out, n);
    print_line_number(pr->out, n);
    push_children(pr, n, item->depth + 1);
}

void coro_ast_print(FILE *out, const AstNode *root)
{
    Printer pr = { out, NULL, 0, 0, false };
    push(&pr, root, NULL, 0);
    while (pr.count > 0 && !pr.out_of_memory) {
        Item item = pr.stack[--pr.count];
        print_item(&pr, &item);
    }
    if (pr.out_of_memory)
        fputs("... (out of memory)\n", out);
    free(pr.stack);
}
