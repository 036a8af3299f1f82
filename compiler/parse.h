/*
 * parse.h: the state shared by the driver (parse.c), the grammar's actions
 * (parser.y) and the syntax error explainer (syntax_error.c).
 *
 * The grammar's actions build nodes with the builders of ast_build.h and
 * call the coro_parse_* helpers below for everything that needs context:
 * nesting levels, checks that Lua makes while parsing, and errors.
 *
 * Every reduction happens while the driver feeds the token that follows
 * the reduced phrase (lemon reduces on lookahead, and defers even the
 * reductions a shift completes until the next token arrives).  So `cur`
 * is, in every action, the token after the phrase: exactly the token Lua
 * looks at when it makes the same check, whose line it reports.
 */
#ifndef CORO_PARSE_H
#define CORO_PARSE_H

#include "ast.h"
#include "ast_build.h"
#include "lex.h"
#include "scope.h"

/* Constructs that nest: the parser counts them to enforce
 * CORO_MAX_SYNTAX_DEPTH, and an error that expects a closing token names
 * the innermost open one ("to close 'while' at line 3"). */
typedef enum CoroLevelKind {
    CORO_LEVEL_PAREN,       /* ( expr ) */
    CORO_LEVEL_CALL,        /* f( args ): line of f, as Lua reports it */
    CORO_LEVEL_BRACE,       /* { fields } */
    CORO_LEVEL_BRACKET,     /* [ key ] */
    CORO_LEVEL_OPERATOR,    /* right operand of a unary op, .., ^, yield, await */
    CORO_LEVEL_FUNCTION,    /* parameters and body */
    CORO_LEVEL_DO,
    CORO_LEVEL_WHILE,
    CORO_LEVEL_FOR,
    CORO_LEVEL_REPEAT,
    CORO_LEVEL_IF
} CoroLevelKind;

typedef struct CoroLevel {
    uint8_t kind;           /* CoroLevelKind */
    int line;               /* line Lua names in "to close ... at line N" */
} CoroLevel;

/* Semantic values of a few nonterminals. */
typedef struct CoroFuncName {
    AstNode *target;        /* AST_NAME or AST_INDEX chain */
    bool is_method;
} CoroFuncName;

typedef struct CoroParams {
    AstList names;
    bool is_vararg;
} CoroParams;

typedef struct CoroParser {
    AstParse *p;
    AstBuilder ast;
    CoroLexer lex;
    CoroLexeme cur;             /* token being fed; see the top of the file */
    bool failed;                /* an error is in p->errmsg */
    int depth;
    CoroLevel levels[CORO_MAX_SYNTAX_DEPTH];
    int function_stat_line;     /* `function` of a statement, until its '(' */
    bool next_block_is_loop;    /* set by a loop's `do`/`repeat` */
    AstNode *last_prefix;       /* the prefix expression completed last */
    CoroScope scope;
} CoroParser;

/* ---- the generated parser (parser.y, %name coro_lemon_parse) ---- */
size_t coro_lemon_parser_size(void);
void coro_lemon_parser_start(void *parser, CoroParser *ps);
bool coro_lemon_token_accepted(void *parser, int token);
void coro_lemon_reduce_pending(void *parser);
void coro_lemon_parseInit(void *parser);
void coro_lemon_parseFinalize(void *parser);
void coro_lemon_parse(void *parser, int major, CoroToken minor,
                      CoroParser *ps);

/* ---- nesting ---- */
void coro_parse_enter(CoroParser *ps, CoroLevelKind kind, int line);
void coro_parse_leave(CoroParser *ps);

/* ---- errors ---- */

/* "chunk:line: message near 'token'" with the current token. */
__attribute__((format(printf, 2, 3)))
void coro_parse_error(CoroParser *ps, const char *fmt, ...);
/* "chunk:line: message" (Lua's semantic errors have no near part). */
__attribute__((format(printf, 2, 3)))
void coro_parse_semantic_error(CoroParser *ps, const char *fmt, ...);
/* Out of memory: status AST_PARSE_NO_MEMORY. */
void coro_parse_no_memory(CoroParser *ps);

/* Beyond CORO_MAX_SYNTAX_DEPTH. */
void coro_parse_too_deep(CoroParser *ps);

/* Called by the grammar when the current token cannot be shifted;
 * accepts(parser, token) says which tokens could have been. */
typedef bool (*CoroTokenProbe)(void *parser, int token);
void coro_parse_syntax_error(CoroParser *ps, CoroTokenProbe accepts,
                             void *parser);

/* ---- blocks and functions ---- */
AstNode *coro_parse_begin_block(CoroParser *ps);
void coro_parse_end_block(CoroParser *ps, AstNode *block);
void coro_parse_open_function(CoroParser *ps, int lparen_line);
CoroParams coro_parse_params(CoroParser *ps, AstList names, bool is_vararg);
AstNode *coro_parse_close_function(CoroParser *ps, CoroParams params,
                                   AstNode *body, int end_line);
void coro_parse_finish(CoroParser *ps, AstNode *body);

/* ---- checks Lua makes while parsing ---- */

/* A prefix expression used as a statement must be a call. */
AstNode *coro_parse_call_stat(CoroParser *ps, AstNode *expr);
/* An assignment target must be a name or an index. */
AstNode *coro_parse_target(CoroParser *ps, AstNode *expr);
/* `...` needs a vararg function. */
AstNode *coro_parse_vararg(CoroParser *ps, int line);
/* <const> or <close>. */
int coro_parse_attrib(CoroParser *ps, AstString name);
AstNode *coro_parse_attname(CoroParser *ps, CoroToken name, int attrib);
void coro_parse_add_attname(CoroParser *ps, AstList *names, AstNode *name);

/* ---- statements that touch the scope ---- */
AstNode *coro_parse_local(CoroParser *ps, int line, AstList names,
                          AstList values);
AstNode *coro_parse_local_function(CoroParser *ps, int line, CoroToken name,
                                   AstNode *fn, int fn_line, bool is_async);
AstNode *coro_parse_label(CoroParser *ps, int line, CoroToken name);
AstNode *coro_parse_goto(CoroParser *ps, int line, CoroToken name);
AstNode *coro_parse_break(CoroParser *ps, int line);
/* A `;` statement: may be what ends a run of labels. */
void coro_parse_empty_stat(CoroParser *ps);

#endif
