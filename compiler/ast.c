/*
 * ast.c: the parse arena and the syntax tree builders.
 *
 * The arena hands out memory by bumping a pointer through blocks obtained
 * from the host's allocator; nothing is freed until the whole tree goes.
 * Lists grow by doubling into fresh arena memory, leaving the old array
 * behind: at most as much waste as the final list, and in exchange no
 * node ever needs its own free.
 */
#include <limits.h>
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "ast.h"
#include "ast_build.h"

/* ---- arena -------------------------------------------------------------- */

typedef struct ArenaBlock {
    struct ArenaBlock *next;
    size_t size;                /* whole block, header included */
} ArenaBlock;

struct AstArena {
    AstAllocFn alloc;
    void *ud;
    ArenaBlock *blocks;
    char *free_start, *free_end;    /* unused part of the newest block */
    size_t next_size;               /* size of the next ordinary block */
};

enum {
    ARENA_ALIGN = alignof(max_align_t),
    ARENA_FIRST_BLOCK = 4096,
    ARENA_LARGEST_BLOCK = 256 * 1024
};

#define ROUND_UP(n) (((n) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))
#define BLOCK_HEADER ROUND_UP(sizeof(ArenaBlock))

AstArena *coro_arena_new(AstAllocFn alloc, void *ud)
{
    AstArena *a = alloc(ud, NULL, 0, sizeof *a);
    if (!a)
        return NULL;
    memset(a, 0, sizeof *a);
    a->alloc = alloc;
    a->ud = ud;
    a->next_size = ARENA_FIRST_BLOCK;
    return a;
}

void coro_arena_free(AstArena *a)
{
    if (!a)
        return;
    ArenaBlock *blk = a->blocks;
    while (blk) {
        ArenaBlock *next = blk->next;
        a->alloc(a->ud, blk, blk->size, 0);
        blk = next;
    }
    a->alloc(a->ud, a, sizeof *a, 0);
}

/* A request too big for the current block.  Large ones get a block of
 * their own, linked behind the current one so its free tail stays in
 * use; small ones start a new, larger block. */
static void *arena_grow(AstArena *a, size_t size)
{
    bool dedicated = size > a->next_size / 4;
    size_t total = BLOCK_HEADER + (dedicated ? size : a->next_size);
    if (total < size)
        return NULL;
    ArenaBlock *blk = a->alloc(a->ud, NULL, 0, total);
    if (!blk)
        return NULL;
    blk->size = total;
    char *data = (char *)blk + BLOCK_HEADER;
    if (dedicated && a->blocks) {
        blk->next = a->blocks->next;
        a->blocks->next = blk;
        return data;
    }
    blk->next = a->blocks;
    a->blocks = blk;
    a->free_start = data + size;
    a->free_end = (char *)blk + total;
    if (!dedicated && a->next_size < ARENA_LARGEST_BLOCK)
        a->next_size *= 2;
    return data;
}

/* Memory aligned for any node (align == ARENA_ALIGN) or unaligned bytes
 * for strings (align == 1), which then pack without padding. */
static void *arena_alloc(AstArena *a, size_t size, size_t align)
{
    if (size > SIZE_MAX - ARENA_ALIGN)
        return NULL;
    uintptr_t start = ((uintptr_t)a->free_start + align - 1) & ~(uintptr_t)(align - 1);
    if (a->free_start && start <= (uintptr_t)a->free_end &&
        (uintptr_t)a->free_end - start >= size) {
        a->free_start = (char *)start + size;
        return (void *)start;
    }
    return arena_grow(a, ROUND_UP(size));
}

static void *builder_alloc(AstBuilder *b, size_t size, size_t align)
{
    if (b->failed)
        return NULL;
    void *p = arena_alloc(b->arena, size, align);
    if (!p)
        b->failed = true;
    return p;
}

void *coro_ast_alloc(AstBuilder *b, size_t size)
{
    return builder_alloc(b, size, ARENA_ALIGN);
}

AstString coro_ast_copy_string(AstBuilder *b, const char *data, size_t len)
{
    AstString s = { "", 0 };
    char *copy = len < SIZE_MAX ? builder_alloc(b, len + 1, 1) : NULL;
    if (!copy)
        return s;
    if (len)
        memcpy(copy, data, len);
    copy[len] = '\0';
    s.data = copy;
    s.len = len;
    return s;
}

/* ---- lists -------------------------------------------------------------- */

static bool grow_array(AstBuilder *b, void **items, int count, int *cap,
                       size_t item_size)
{
    if (*cap > INT_MAX / 2)
        return b->failed = true, false;
    int new_cap = *cap ? *cap * 2 : 1;
    void *grown = coro_ast_alloc(b, (size_t)new_cap * item_size);
    if (!grown)
        return false;
    if (count)
        memcpy(grown, *items, (size_t)count * item_size);
    *items = grown;
    *cap = new_cap;
    return true;
}

void coro_ast_list_push(AstBuilder *b, AstList *list, AstNode *item)
{
    if (b->failed)
        return;
    if (list->count == list->cap) {
        void *items = list->items;
        if (!grow_array(b, &items, list->count, &list->cap, sizeof(AstNode *)))
            return;
        list->items = items;
    }
    list->items[list->count++] = item;
}

AstList coro_ast_list1(AstBuilder *b, AstNode *item)
{
    AstList list = { NULL, 0, 0 };
    coro_ast_list_push(b, &list, item);
    return list;
}

/* ---- nodes -------------------------------------------------------------- */

static AstNode *new_node(AstBuilder *b, AstKind kind, int line)
{
    AstNode *n = coro_ast_alloc(b, sizeof *n);
    if (!n)
        return &b->dummy;
    memset(n, 0, sizeof *n);
    n->kind = (uint8_t)kind;
    n->line = line;
    return n;
}

AstNode *coro_ast_leaf(AstBuilder *b, AstKind kind, int line)
{
    return new_node(b, kind, line);
}

AstNode *coro_ast_integer(AstBuilder *b, int line, int64_t value)
{
    AstNode *n = new_node(b, AST_INTEGER, line);
    n->u.integer = value;
    return n;
}

AstNode *coro_ast_float(AstBuilder *b, int line, double value)
{
    AstNode *n = new_node(b, AST_FLOAT, line);
    n->u.number = value;
    return n;
}

AstNode *coro_ast_string(AstBuilder *b, int line, AstString value)
{
    AstNode *n = new_node(b, AST_STRING, line);
    n->u.string = value;
    return n;
}

AstNode *coro_ast_name(AstBuilder *b, int line, AstString id)
{
    AstNode *n = new_node(b, AST_NAME, line);
    n->u.name.id = id;
    n->u.name.attrib = AST_ATTRIB_NONE;
    return n;
}

AstNode *coro_ast_index(AstBuilder *b, AstNode *object, AstNode *key)
{
    AstNode *n = new_node(b, AST_INDEX, object->line);
    n->u.index.object = object;
    n->u.index.key = key;
    return n;
}

AstNode *coro_ast_call(AstBuilder *b, AstNode *fn)
{
    AstNode *n = new_node(b, AST_CALL, fn->line);
    n->u.call.fn = fn;
    return n;
}

AstNode *coro_ast_method_call(AstBuilder *b, AstNode *object, AstNode *name)
{
    AstNode *n = new_node(b, AST_METHOD_CALL, object->line);
    n->u.method.object = object;
    n->u.method.name = name;
    return n;
}

static AstList *call_args(AstNode *call)
{
    return call->kind == AST_METHOD_CALL ? &call->u.method.args
                                         : &call->u.call.args;
}

void coro_ast_call_add_arg(AstBuilder *b, AstNode *call, AstNode *arg)
{
    if (call != &b->dummy)
        coro_ast_list_push(b, call_args(call), arg);
}

void coro_ast_call_set_args(AstNode *call, AstList args)
{
    *call_args(call) = args;
}

AstNode *coro_ast_function(AstBuilder *b, AstList params, bool is_vararg,
                           AstNode *body, int end_line)
{
    AstNode *n = new_node(b, AST_FUNCTION, body->line);
    n->u.function.params = params;
    n->u.function.is_vararg = is_vararg;
    n->u.function.body = body;
    n->u.function.end_line = end_line;
    return n;
}

void coro_ast_function_set(AstNode *fn, int line, bool is_async)
{
    fn->line = line;
    fn->u.function.is_async = is_async;
}

AstNode *coro_ast_table(AstBuilder *b, int line)
{
    return new_node(b, AST_TABLE, line);
}

void coro_ast_table_add(AstBuilder *b, AstNode *table, AstNode *key,
                        AstNode *value, int line)
{
    if (b->failed)
        return;
    int *count = &table->u.table.count;
    if (*count == table->u.table.cap) {
        void *fields = table->u.table.fields;
        if (!grow_array(b, &fields, *count, &table->u.table.cap,
                        sizeof(AstField)))
            return;
        table->u.table.fields = fields;
    }
    AstField *f = &table->u.table.fields[(*count)++];
    f->key = key;
    f->value = value;
    f->line = line;
}

AstNode *coro_ast_binary(AstBuilder *b, int op, AstNode *left, AstNode *right, int op_line)
{
    /* Lua reports an operator's errors on the operator's own line. */
    AstNode *n = new_node(b, AST_BINARY, op_line);
    n->u.binary.op = (uint8_t)op;
    n->u.binary.left = left;
    n->u.binary.right = right;
    return n;
}

AstNode *coro_ast_unary(AstBuilder *b, int op, int line, AstNode *operand)
{
    AstNode *n = new_node(b, AST_UNARY, line);
    n->u.unary.op = (uint8_t)op;
    n->u.unary.operand = operand;
    return n;
}

AstNode *coro_ast_paren(AstBuilder *b, int line, AstNode *inner)
{
    AstNode *n = new_node(b, AST_PAREN, line);
    n->u.paren = inner;
    return n;
}

AstNode *coro_ast_yield(AstBuilder *b, int line, AstList values)
{
    AstNode *n = new_node(b, AST_YIELD, line);
    n->u.yield.values = values;
    return n;
}

AstNode *coro_ast_operand(AstBuilder *b, AstKind kind, int line,
                          AstNode *operand)
{
    AstNode *n = new_node(b, kind, line);
    n->u.operand = operand;
    return n;
}

/* ---- statements --------------------------------------------------------- */

AstNode *coro_ast_block(AstBuilder *b, int line)
{
    AstNode *n = new_node(b, AST_BLOCK, line);
    n->u.block.end_line = line;
    return n;
}

void coro_ast_block_add(AstBuilder *b, AstNode *block, AstNode *stat)
{
    if (stat && block != &b->dummy)
        coro_ast_list_push(b, &block->u.block.stats, stat);
}

AstNode *coro_ast_local(AstBuilder *b, int line, AstList names,
                        AstList values)
{
    AstNode *n = new_node(b, AST_LOCAL, line);
    n->u.local.names = names;
    n->u.local.values = values;
    return n;
}

AstNode *coro_ast_assign(AstBuilder *b, AstList targets, AstList values)
{
    int line = targets.count ? targets.items[0]->line : 0;
    AstNode *n = new_node(b, AST_ASSIGN, line);
    n->u.assign.targets = targets;
    n->u.assign.values = values;
    return n;
}

AstNode *coro_ast_do(AstBuilder *b, int line, AstNode *body)
{
    AstNode *n = new_node(b, AST_DO, line);
    n->u.body = body;
    return n;
}

AstNode *coro_ast_loop(AstBuilder *b, AstKind kind, int line, AstNode *cond,
                       AstNode *body)
{
    AstNode *n = new_node(b, kind, line);
    n->u.loop.cond = cond;
    n->u.loop.body = body;
    return n;
}

AstNode *coro_ast_if(AstBuilder *b, int line, AstNode *cond, AstNode *block)
{
    AstNode *n = new_node(b, AST_IF, line);
    coro_ast_if_add(b, n, cond, block);
    return n;
}

void coro_ast_if_add(AstBuilder *b, AstNode *if_, AstNode *cond,
                     AstNode *block)
{
    if (if_ == &b->dummy)
        return;
    coro_ast_list_push(b, &if_->u.if_.conds, cond);
    coro_ast_list_push(b, &if_->u.if_.blocks, block);
}

AstNode *coro_ast_numeric_for(AstBuilder *b, int line, AstNode *var,
                              AstNode *start, AstNode *limit, AstNode *step,
                              AstNode *body)
{
    AstNode *n = new_node(b, AST_NUMERIC_FOR, line);
    n->u.numeric_for.var = var;
    n->u.numeric_for.start = start;
    n->u.numeric_for.limit = limit;
    n->u.numeric_for.step = step;
    n->u.numeric_for.body = body;
    return n;
}

AstNode *coro_ast_generic_for(AstBuilder *b, int line, AstList names,
                              AstList exprs, AstNode *body)
{
    AstNode *n = new_node(b, AST_GENERIC_FOR, line);
    n->u.generic_for.names = names;
    n->u.generic_for.exprs = exprs;
    n->u.generic_for.body = body;
    return n;
}

/* "a.b.c" or "a.b:c" for `function a.b.c()`: the keys of the index chain
 * read from the outside in, so the name is filled in from its end. */
static const char *function_display_name(AstBuilder *b, AstNode *target,
                                         bool is_method)
{
    size_t len = 0;
    AstNode *n = target;
    for (; n->kind == AST_INDEX; n = n->u.index.object)
        len += n->u.index.key->u.string.len + 1;
    if (n->kind != AST_NAME)
        return NULL;
    len += n->u.name.id.len;
    char *name = coro_ast_alloc(b, len + 1);
    if (!name)
        return NULL;
    char *end = name + len;
    *end = '\0';
    char sep = is_method ? ':' : '.';
    for (n = target; n->kind == AST_INDEX; n = n->u.index.object) {
        AstString key = n->u.index.key->u.string;
        end -= key.len;
        memcpy(end, key.data, key.len);
        *--end = sep;
        sep = '.';
    }
    memcpy(name, n->u.name.id.data, n->u.name.id.len);
    return name;
}

AstNode *coro_ast_function_stat(AstBuilder *b, int line, AstNode *target,
                                AstNode *fn, bool is_method)
{
    AstNode *n = new_node(b, AST_FUNCTION_STAT, line);
    n->u.function_stat.target = target;
    n->u.function_stat.fn = fn;
    if (fn != &b->dummy) {
        fn->u.function.is_method = is_method;
        fn->u.function.name = function_display_name(b, target, is_method);
    }
    return n;
}

AstNode *coro_ast_local_function(AstBuilder *b, int line, AstNode *name,
                                 AstNode *fn)
{
    AstNode *n = new_node(b, AST_LOCAL_FUNCTION, line);
    n->u.local_function.name = name;
    n->u.local_function.fn = fn;
    if (fn != &b->dummy)
        fn->u.function.name = name->u.name.id.data;
    return n;
}

AstNode *coro_ast_return(AstBuilder *b, int line, AstList values)
{
    AstNode *n = new_node(b, AST_RETURN, line);
    n->u.return_.values = values;
    return n;
}

AstNode *coro_ast_jump(AstBuilder *b, AstKind kind, int line, AstString name)
{
    AstNode *n = new_node(b, kind, line);
    n->u.label = name;
    return n;
}

/* ---- names -------------------------------------------------------------- */

const char *coro_ast_kind_name(AstKind kind)
{
    static const char *const names[AST_KIND_COUNT] = {
        [AST_NIL] = "nil", [AST_TRUE] = "true", [AST_FALSE] = "false",
        [AST_VARARG] = "vararg", [AST_INTEGER] = "integer",
        [AST_FLOAT] = "float", [AST_STRING] = "string", [AST_NAME] = "name",
        [AST_INDEX] = "index", [AST_CALL] = "call",
        [AST_METHOD_CALL] = "method call", [AST_FUNCTION] = "function",
        [AST_TABLE] = "table", [AST_BINARY] = "binary",
        [AST_UNARY] = "unary", [AST_PAREN] = "paren", [AST_YIELD] = "yield",
        [AST_YIELD_FROM] = "yield from", [AST_AWAIT] = "await",
        [AST_BLOCK] = "block", [AST_LOCAL] = "local",
        [AST_ASSIGN] = "assign", [AST_EXPR_STAT] = "expression statement",
        [AST_DO] = "do", [AST_WHILE] = "while", [AST_REPEAT] = "repeat",
        [AST_IF] = "if", [AST_NUMERIC_FOR] = "numeric for",
        [AST_GENERIC_FOR] = "generic for",
        [AST_FUNCTION_STAT] = "function statement",
        [AST_LOCAL_FUNCTION] = "local function", [AST_RETURN] = "return",
        [AST_BREAK] = "break", [AST_GOTO] = "goto", [AST_LABEL] = "label",
    };
    return (unsigned)kind < AST_KIND_COUNT ? names[kind] : "?";
}

const char *coro_ast_binary_op_name(AstBinaryOp op)
{
    static const char *const names[AST_BINARY_OP_COUNT] = {
        [AST_OP_ADD] = "+", [AST_OP_SUB] = "-", [AST_OP_MUL] = "*",
        [AST_OP_DIV] = "/", [AST_OP_IDIV] = "//", [AST_OP_MOD] = "%",
        [AST_OP_POW] = "^", [AST_OP_CONCAT] = "..", [AST_OP_BAND] = "&",
        [AST_OP_BOR] = "|", [AST_OP_BXOR] = "~", [AST_OP_SHL] = "<<",
        [AST_OP_SHR] = ">>", [AST_OP_EQ] = "==", [AST_OP_NE] = "~=",
        [AST_OP_LT] = "<", [AST_OP_LE] = "<=", [AST_OP_GT] = ">",
        [AST_OP_GE] = ">=", [AST_OP_AND] = "and", [AST_OP_OR] = "or",
    };
    return (unsigned)op < AST_BINARY_OP_COUNT ? names[op] : "?";
}

const char *coro_ast_unary_op_name(AstUnaryOp op)
{
    static const char *const names[AST_UNARY_OP_COUNT] = {
        [AST_OP_NEG] = "-", [AST_OP_NOT] = "not", [AST_OP_LEN] = "#",
        [AST_OP_BNOT] = "~",
    };
    return (unsigned)op < AST_UNARY_OP_COUNT ? names[op] : "?";
}

/* ---- freeing ------------------------------------------------------------ */

void coro_ast_parse_free(AstParse *p)
{
    coro_arena_free(p->arena);
    p->arena = NULL;
    p->root = NULL;
}
