/*
 * ast.h: the syntax tree the parser builds and the code generator reads.
 *
 * The tree is the only thing that passes between the front end (lexer.re,
 * parser.y, ast.c) and the back end (codegen.c).  Every node lives in one
 * arena owned by the parse, so building a node is a pointer bump and the
 * whole tree is freed at once when compilation ends; no node is ever freed
 * on its own.
 *
 * Shape: one struct for every node, a kind tag and a union.  Lists are
 * arena arrays (AstList) rather than linked lists, so the code generator
 * can index them and knows their length up front (it needs the count to
 * adjust multiple results).  Every node carries the line it starts on;
 * nodes whose end matters for debug information (functions, blocks) also
 * carry the line of their closing token.
 *
 * Left-associative operator chains (`a + b + c ...`, `f()()()`, `a.b.c.d`)
 * make trees that are deep along their left spine.  The parser builds them
 * without growing its own stack, and every walker of the tree (printer,
 * code generator) must follow a left spine with a loop, not recursion, so
 * that a 100,000-term sum cannot exhaust the C stack.  Right-nesting
 * (parentheses, unary operators, `..`, `^`, nested functions and blocks) is
 * bounded by the parser's nesting limit (CORO_MAX_SYNTAX_DEPTH).
 */
#ifndef CORO_AST_H
#define CORO_AST_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Deepest right-nesting the parser accepts before it reports
 * "chunk has too many syntax levels". */
#define CORO_MAX_SYNTAX_DEPTH 200

typedef struct AstNode AstNode;

/* A growable array of node pointers, allocated in the parse arena. */
typedef struct AstList {
    AstNode **items;
    int count;
    int cap;
} AstList;

typedef enum AstKind {
    /* ---- expressions ---- */
    AST_NIL,
    AST_TRUE,
    AST_FALSE,
    AST_VARARG,         /* ... */
    AST_INTEGER,        /* u.integer */
    AST_FLOAT,          /* u.number */
    AST_STRING,         /* u.string: bytes after escape processing */
    AST_NAME,           /* u.name: an identifier used as a variable */
    AST_INDEX,          /* u.index: object[key]; object.name has an AST_STRING key */
    AST_CALL,           /* u.call: fn(args) */
    AST_METHOD_CALL,    /* u.method: object:name(args) */
    AST_FUNCTION,       /* u.function: function (params) body end */
    AST_TABLE,          /* u.table: { fields } */
    AST_BINARY,         /* u.binary: left op right (includes and/or) */
    AST_UNARY,          /* u.unary: op operand */
    AST_PAREN,          /* u.paren: (expr), truncates to one value */
    AST_YIELD,          /* u.yield: yield [values]; no values = bare yield */
    AST_YIELD_FROM,     /* u.operand: yield from expr */
    AST_AWAIT,          /* u.operand: await expr */

    /* ---- statements ---- */
    AST_BLOCK,          /* u.block: a list of statements */
    AST_LOCAL,          /* u.local: local names [= values] */
    AST_ASSIGN,         /* u.assign: targets = values */
    AST_EXPR_STAT,      /* u.operand: a call, yield, yield from or await as a statement */
    AST_DO,             /* u.body: do block end */
    AST_WHILE,          /* u.loop: while cond do block end */
    AST_REPEAT,         /* u.loop: repeat block until cond */
    AST_IF,             /* u.if_: if c1 then b1 elseif c2 then b2 ... else be end */
    AST_NUMERIC_FOR,    /* u.numeric_for: for v = start, limit [, step] do block end */
    AST_GENERIC_FOR,    /* u.generic_for: for names in exprs do block end */
    AST_FUNCTION_STAT,  /* u.function_stat: function a.b.c:m() ... end */
    AST_LOCAL_FUNCTION, /* u.local_function: local function f() ... end */
    AST_RETURN,         /* u.return_: return [values] */
    AST_BREAK,
    AST_GOTO,           /* u.label: goto name */
    AST_LABEL,          /* u.label: ::name:: */
    AST_KIND_COUNT
} AstKind;

typedef enum AstBinaryOp {
    AST_OP_ADD, AST_OP_SUB, AST_OP_MUL, AST_OP_DIV, AST_OP_IDIV, AST_OP_MOD,
    AST_OP_POW, AST_OP_CONCAT,
    AST_OP_BAND, AST_OP_BOR, AST_OP_BXOR, AST_OP_SHL, AST_OP_SHR,
    AST_OP_EQ, AST_OP_NE, AST_OP_LT, AST_OP_LE, AST_OP_GT, AST_OP_GE,
    AST_OP_AND, AST_OP_OR,
    AST_BINARY_OP_COUNT
} AstBinaryOp;

typedef enum AstUnaryOp {
    AST_OP_NEG,     /* -x */
    AST_OP_NOT,     /* not x */
    AST_OP_LEN,     /* #x */
    AST_OP_BNOT,    /* ~x */
    AST_UNARY_OP_COUNT
} AstUnaryOp;

/* Attribute of a name declared by `local`. */
typedef enum AstAttrib {
    AST_ATTRIB_NONE,
    AST_ATTRIB_CONST,   /* <const> */
    AST_ATTRIB_CLOSE    /* <close> */
} AstAttrib;

/* A byte string in the arena; not NUL-terminated in general (may hold
 * NULs), though the front end does put a NUL after the last byte. */
typedef struct AstString {
    const char *data;
    size_t len;
} AstString;

struct AstNode {
    uint8_t kind;           /* AstKind */
    int line;               /* line of the node's first token (for
                             * AST_BINARY: of the operator, where Lua
                             * reports the operation's errors) */
    union {
        int64_t integer;                /* AST_INTEGER */
        double number;                  /* AST_FLOAT */
        AstString string;               /* AST_STRING */

        /* AST_NAME.  attrib is meaningful only for names declared by
         * AST_LOCAL (and is AST_ATTRIB_NONE everywhere else). */
        struct { AstString id; uint8_t attrib; } name;

        struct { AstNode *object, *key; } index;            /* AST_INDEX */
        struct { AstNode *fn; AstList args; } call;         /* AST_CALL */
        /* AST_METHOD_CALL: object:name(args); name is an AST_STRING. */
        struct { AstNode *object, *name; AstList args; } method;

        /* AST_FUNCTION.  params are AST_NAME nodes (not counting the
         * implicit `self` of a method, which is_method adds first).
         * name is a display name for messages, or NULL:
         * "f", "t.a.b", "t.a:m" for statements, NULL for anonymous
         * function expressions. */
        struct {
            AstList params;
            AstNode *body;          /* AST_BLOCK */
            const char *name;
            int end_line;           /* line of the closing `end` */
            bool is_vararg;
            bool is_method;         /* declared with `:`, has implicit self */
            bool is_async;          /* declared with `async` */
        } function;

        /* AST_TABLE: fields in source order (AstField, below). */
        struct { struct AstField *fields; int count; int cap; } table;

        struct { uint8_t op; AstNode *left, *right; } binary;   /* AST_BINARY */
        struct { uint8_t op; AstNode *operand; } unary;         /* AST_UNARY */
        AstNode *paren;                                         /* AST_PAREN */
        struct { AstList values; } yield;                       /* AST_YIELD */
        AstNode *operand;           /* AST_YIELD_FROM, AST_AWAIT, AST_EXPR_STAT */

        /* AST_BLOCK.  end_line is the line of the token that ends the
         * block (`end`, `until`, `else`, ..., or the last line for the
         * chunk). */
        struct { AstList stats; int end_line; } block;

        /* AST_LOCAL: names are AST_NAME nodes carrying their attrib;
         * values may be empty. */
        struct { AstList names; AstList values; } local;

        /* AST_ASSIGN: targets are AST_NAME or AST_INDEX nodes. */
        struct { AstList targets; AstList values; } assign;

        AstNode *body;              /* AST_DO: an AST_BLOCK */

        /* AST_WHILE (cond checked first) and AST_REPEAT (body first; the
         * condition sees the body's locals). */
        struct { AstNode *cond; AstNode *body; } loop;

        /* AST_IF: conds[i] guards blocks[i]; else_block may be NULL. */
        struct { AstList conds; AstList blocks; AstNode *else_block; } if_;

        /* AST_NUMERIC_FOR: var is an AST_NAME; step may be NULL. */
        struct {
            AstNode *var, *start, *limit, *step;
            AstNode *body;
        } numeric_for;

        /* AST_GENERIC_FOR: names are AST_NAME nodes, exprs the explist. */
        struct { AstList names; AstList exprs; AstNode *body; } generic_for;

        /* AST_FUNCTION_STAT: `function a.b.c:m() end`.  target is what the
         * closure is assigned to: an AST_NAME (`function f`) or an
         * AST_INDEX chain (`a.b.c.m`, with the method name as the last
         * key).  fn->u.function.is_method says whether `:` was used. */
        struct { AstNode *target; AstNode *fn; } function_stat;

        /* AST_LOCAL_FUNCTION: name is an AST_NAME, in scope inside fn. */
        struct { AstNode *name; AstNode *fn; } local_function;

        struct { AstList values; } return_;     /* AST_RETURN */
        AstString label;                        /* AST_GOTO, AST_LABEL */
    } u;
};

/* One entry of a table constructor.  key == NULL: a positional item
 * (`{ v }`); otherwise `[key] = value` or `name = value` (the name as an
 * AST_STRING key). */
typedef struct AstField {
    AstNode *key;
    AstNode *value;
    int line;
} AstField;

/* ---- parsing ---------------------------------------------------------- */

/* Memory for the front end comes from a host-style allocator so that a
 * VM's memory limit also covers compilation.  Same contract as
 * coro_Alloc in include/coro.h: nsize == 0 frees and returns NULL;
 * otherwise returns the new block, or NULL when memory is exhausted. */
typedef void *(*AstAllocFn)(void *ud, void *ptr, size_t osize, size_t nsize);

typedef struct AstArena AstArena;

typedef enum AstParseStatus {
    AST_PARSE_OK = 0,
    AST_PARSE_SYNTAX_ERROR,     /* message in errmsg */
    AST_PARSE_NO_MEMORY         /* errmsg is "not enough memory" */
} AstParseStatus;

typedef struct AstParse {
    /* inputs */
    AstAllocFn alloc;
    void *alloc_ud;
    const char *chunkid;    /* display name used in messages, e.g. "x.coro"
                             * or [string "..."] (already formatted) */
    const char *source;     /* need not be NUL-terminated */
    size_t length;

    /* outputs */
    AstNode *root;          /* AST_FUNCTION: the main chunk (vararg, no
                             * params, name NULL, line 0) */
    bool error_at_eof;      /* the syntax error was found at the end of the
                             * input (the REPL reads more lines then) */
    char errmsg[512];       /* "chunkid:line: message near 'token'" */

    AstArena *arena;        /* owns every node; freed by ast_parse_free */
} AstParse;

/* Parses p->source into p->root.  Never crashes and never exits on bad
 * input; every failure is returned as a status with p->errmsg set. */
AstParseStatus coro_ast_parse(AstParse *p);

/* Frees the tree and the arena (safe to call after any status). */
void coro_ast_parse_free(AstParse *p);

/* Prints the tree in an indented, readable form (coro --ast). */
#include <stdio.h>
void coro_ast_print(FILE *out, const AstNode *root);

/* Names for messages and the printer. */
const char *coro_ast_kind_name(AstKind kind);
const char *coro_ast_binary_op_name(AstBinaryOp op);   /* "+", "..", "and", ... */
const char *coro_ast_unary_op_name(AstUnaryOp op);     /* "-", "not", "#", "~" */

#endif
