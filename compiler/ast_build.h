/*
 * ast_build.h: the arena and the node builders (ast.c), used by the
 * lexer and by the grammar's actions.
 *
 * Every builder takes an AstBuilder.  When an allocation fails the
 * builder marks it failed and from then on every builder returns the
 * builder's own dummy node instead of NULL, so the grammar's actions
 * never have to test their inputs; the driver sees the failure after the
 * current token and stops.
 */
#ifndef CORO_AST_BUILD_H
#define CORO_AST_BUILD_H

#include "ast.h"

typedef struct AstBuilder {
    AstArena *arena;
    bool failed;            /* an allocation failed */
    AstNode dummy;          /* stands in for nodes that could not be made */
} AstBuilder;

/* ---- arena ---- */

AstArena *coro_arena_new(AstAllocFn alloc, void *ud);
void coro_arena_free(AstArena *arena);

/* Memory from the builder's arena (8-byte aligned), or NULL after marking
 * the builder failed. */
void *coro_ast_alloc(AstBuilder *b, size_t size);

/* An arena copy of data[0..len) with a NUL after it. */
AstString coro_ast_copy_string(AstBuilder *b, const char *data, size_t len);

/* ---- lists ---- */

AstList coro_ast_list1(AstBuilder *b, AstNode *item);
void coro_ast_list_push(AstBuilder *b, AstList *list, AstNode *item);

/* ---- expressions ---- */

AstNode *coro_ast_leaf(AstBuilder *b, AstKind kind, int line);
AstNode *coro_ast_integer(AstBuilder *b, int line, int64_t value);
AstNode *coro_ast_float(AstBuilder *b, int line, double value);
AstNode *coro_ast_string(AstBuilder *b, int line, AstString value);
AstNode *coro_ast_name(AstBuilder *b, int line, AstString id);
AstNode *coro_ast_index(AstBuilder *b, AstNode *object, AstNode *key);
AstNode *coro_ast_call(AstBuilder *b, AstNode *fn);
AstNode *coro_ast_method_call(AstBuilder *b, AstNode *object, AstNode *name);
/* Adds one argument (a string or table argument) to a call. */
void coro_ast_call_add_arg(AstBuilder *b, AstNode *call, AstNode *arg);
/* Sets a call's argument list (parenthesised arguments). */
void coro_ast_call_set_args(AstNode *call, AstList args);
AstNode *coro_ast_function(AstBuilder *b, AstList params, bool is_vararg,
                           AstNode *body, int end_line);
/* Fills in what only the function's context knows: its first line (the
 * `function` or `async` keyword) and whether it was declared `async`. */
void coro_ast_function_set(AstNode *fn, int line, bool is_async);
AstNode *coro_ast_table(AstBuilder *b, int line);
void coro_ast_table_add(AstBuilder *b, AstNode *table, AstNode *key,
                        AstNode *value, int line);
AstNode *coro_ast_binary(AstBuilder *b, int op, AstNode *left, AstNode *right, int op_line);
AstNode *coro_ast_unary(AstBuilder *b, int op, int line, AstNode *operand);
AstNode *coro_ast_paren(AstBuilder *b, int line, AstNode *inner);
AstNode *coro_ast_yield(AstBuilder *b, int line, AstList values);
/* AST_YIELD_FROM, AST_AWAIT and AST_EXPR_STAT: one operand. */
AstNode *coro_ast_operand(AstBuilder *b, AstKind kind, int line,
                          AstNode *operand);

/* ---- statements ---- */

AstNode *coro_ast_block(AstBuilder *b, int line);
void coro_ast_block_add(AstBuilder *b, AstNode *block, AstNode *stat);
AstNode *coro_ast_local(AstBuilder *b, int line, AstList names,
                        AstList values);
AstNode *coro_ast_assign(AstBuilder *b, AstList targets, AstList values);
AstNode *coro_ast_do(AstBuilder *b, int line, AstNode *body);
AstNode *coro_ast_loop(AstBuilder *b, AstKind kind, int line, AstNode *cond,
                       AstNode *body);
AstNode *coro_ast_if(AstBuilder *b, int line, AstNode *cond, AstNode *block);
void coro_ast_if_add(AstBuilder *b, AstNode *if_, AstNode *cond,
                     AstNode *block);
AstNode *coro_ast_numeric_for(AstBuilder *b, int line, AstNode *var,
                              AstNode *start, AstNode *limit, AstNode *step,
                              AstNode *body);
AstNode *coro_ast_generic_for(AstBuilder *b, int line, AstList names,
                              AstList exprs, AstNode *body);
/* `function target() ... end`; computes the function's display name. */
AstNode *coro_ast_function_stat(AstBuilder *b, int line, AstNode *target,
                                AstNode *fn, bool is_method);
AstNode *coro_ast_local_function(AstBuilder *b, int line, AstNode *name,
                                 AstNode *fn);
AstNode *coro_ast_return(AstBuilder *b, int line, AstList values);
/* AST_GOTO and AST_LABEL. */
AstNode *coro_ast_jump(AstBuilder *b, AstKind kind, int line, AstString name);

#endif
