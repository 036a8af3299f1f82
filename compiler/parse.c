/*
 * parse.c: the driver (token loop feeding the lemon parser) and the
 * helpers the grammar's actions call for anything that needs context.
 *
 * The driver keeps one token of lookahead and one of lookbehind, which is
 * all the coroutine keywords need:
 *   - `yield`/`await` right after '.' or ':' are names (coroutine.yield);
 *   - `yield` is bare when the next token is on a later line or closes
 *     something (; end else elseif until ) ] } , or the end);
 *   - `async` is a keyword only when `function` follows;
 *   - `from` is a keyword only right after `yield` on the same line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "parser.h"

/* ---- error messages ------------------------------------------------------ */

/* Appends to a fixed buffer, truncating. */
typedef struct Text {
    char *data;
    size_t size, len;
} Text;

static void text_add(Text *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n && t->len + 1 < t->size; i++)
        t->data[t->len++] = s[i];
    t->data[t->len] = '\0';
}

static void text_repeat(Text *t, char c, int n)
{
    for (int i = 0; i < n; i++)
        text_add(t, &c, 1);
}

/* A string token as Lua shows it: delimiters around the decoded value,
 * the whole cut at the first NUL (Lua formats it with %s). */
static void string_near_text(const char *src, AstString value, Text *t)
{
    int level = 0;
    while (src[0] == '[' && src[level + 1] == '=')
        level++;
    size_t shown = strnlen(value.data, value.len);
    text_add(t, "'", 1);
    text_add(t, src, 1);
    if (src[0] == '[') {
        text_repeat(t, '=', level);
        text_add(t, "[", 1);
    }
    text_add(t, value.data, shown);
    if (shown == value.len) {
        text_add(t, src[0] == '[' ? "]" : src, 1);
        if (src[0] == '[') {
            text_repeat(t, '=', level);
            text_add(t, "]", 1);
        }
    }
    text_add(t, "'", 1);
}

/* Lua's text for a token in "near ...": names, numerals and other fixed
 * tokens as written; strings as above; '<\N>' for a control byte; nothing
 * at all for a NUL byte (Lua omits the whole "near" part then). */
static void near_text(const CoroParser *ps, const CoroLexeme *tok, char *out,
                      size_t size)
{
    const char *src = (const char *)ps->lex.base + tok->offset;
    Text t = { out, size, 0 };
    out[0] = '\0';
    if (tok->kind == 0) {
        text_add(&t, "<eof>", 5);
    } else if (tok->kind == TK_CHAR) {
        int c = (int)tok->tok.u.integer;
        if (c >= 0x20 && c < 0x7F)
            snprintf(out, size, "'%c'", c);
        else if (c != 0)
            snprintf(out, size, "'<\\%d>'", c);
    } else if (tok->kind == TK_STRING) {
        string_near_text(src, tok->tok.u.string, &t);
    } else {
        text_add(&t, "'", 1);
        text_add(&t, src, tok->length);
        text_add(&t, "'", 1);
    }
}

static void set_error(CoroParser *ps, int line, const char *msg,
                      const char *near)
{
    if (ps->failed)
        return;
    ps->failed = true;
    AstParse *p = ps->p;
    if (near && near[0])
        snprintf(p->errmsg, sizeof p->errmsg, "%s:%d: %s near %s",
                 p->chunkid, line, msg, near);
    else
        snprintf(p->errmsg, sizeof p->errmsg, "%s:%d: %s", p->chunkid,
                 line, msg);
}

void coro_parse_error(CoroParser *ps, const char *fmt, ...)
{
    char msg[256], near[sizeof ps->p->errmsg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    near_text(ps, &ps->cur, near, sizeof near);
    if (!ps->failed)
        ps->p->error_at_eof = ps->cur.kind == 0;
    set_error(ps, ps->cur.last_line, msg, near);
}

void coro_parse_semantic_error(CoroParser *ps, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    set_error(ps, ps->cur.last_line, msg, NULL);
}

void coro_parse_no_memory(CoroParser *ps)
{
    if (ps->failed)
        return;
    ps->failed = true;
    ps->ast.failed = true;
    snprintf(ps->p->errmsg, sizeof ps->p->errmsg, "not enough memory");
}

void coro_parse_too_deep(CoroParser *ps)
{
    coro_parse_semantic_error(ps, "chunk has too many syntax levels");
}

static void check_scope(CoroParser *ps, CoroScopeStatus status)
{
    if (status == CORO_SCOPE_ERROR)
        coro_parse_semantic_error(ps, "%s", ps->scope.message);
    else if (status == CORO_SCOPE_NO_MEMORY)
        coro_parse_no_memory(ps);
}

/* ---- nesting ------------------------------------------------------------- */

void coro_parse_enter(CoroParser *ps, CoroLevelKind kind, int line)
{
    if (ps->depth == CORO_MAX_SYNTAX_DEPTH) {
        coro_parse_too_deep(ps);
        return;
    }
    ps->levels[ps->depth].kind = (uint8_t)kind;
    ps->levels[ps->depth].line = line;
    ps->depth++;
}

void coro_parse_leave(CoroParser *ps)
{
    if (ps->depth > 0)
        ps->depth--;
}

/* ---- blocks and functions ------------------------------------------------ */

AstNode *coro_parse_begin_block(CoroParser *ps)
{
    coro_scope_enter_block(&ps->scope, ps->next_block_is_loop);
    ps->next_block_is_loop = false;
    return coro_ast_block(&ps->ast, ps->cur.tok.line);
}

void coro_parse_end_block(CoroParser *ps, AstNode *block)
{
    block->u.block.end_line = ps->cur.tok.line;
    check_scope(ps, coro_scope_leave_block(&ps->scope));
}

/* Lua names a function statement's `function` keyword in "to close"
 * messages, but the '(' for local functions and function expressions. */
void coro_parse_open_function(CoroParser *ps, int lparen_line)
{
    int line = ps->function_stat_line ? ps->function_stat_line : lparen_line;
    ps->function_stat_line = 0;
    coro_parse_enter(ps, CORO_LEVEL_FUNCTION, line);
    coro_scope_open_function(&ps->scope);
}

CoroParams coro_parse_params(CoroParser *ps, AstList names, bool is_vararg)
{
    CoroParams params = { names, is_vararg };
    coro_scope_set_vararg(&ps->scope, is_vararg);
    return params;
}

AstNode *coro_parse_close_function(CoroParser *ps, CoroParams params,
                                   AstNode *body, int end_line)
{
    check_scope(ps, coro_scope_close_function(&ps->scope));
    coro_parse_leave(ps);
    return coro_ast_function(&ps->ast, params.names, params.is_vararg, body,
                             end_line);
}

void coro_parse_finish(CoroParser *ps, AstNode *body)
{
    check_scope(ps, coro_scope_close_function(&ps->scope));
    AstList none = { NULL, 0, 0 };
    AstNode *main = coro_ast_function(&ps->ast, none, true, body, 0);
    coro_ast_function_set(main, 0, false);
    ps->p->root = main;
}

/* ---- checks -------------------------------------------------------------- */

AstNode *coro_parse_call_stat(CoroParser *ps, AstNode *expr)
{
    if (expr->kind != AST_CALL && expr->kind != AST_METHOD_CALL)
        coro_parse_error(ps, "syntax error");
    return coro_ast_operand(&ps->ast, AST_EXPR_STAT, expr->line, expr);
}

AstNode *coro_parse_target(CoroParser *ps, AstNode *expr)
{
    if (expr->kind != AST_NAME && expr->kind != AST_INDEX)
        coro_parse_error(ps, "syntax error");
    return expr;
}

AstNode *coro_parse_vararg(CoroParser *ps, int line)
{
    if (!coro_scope_is_vararg(&ps->scope))
        set_error(ps, line, "cannot use '...' outside a vararg function",
                  "'...'");
    return coro_ast_leaf(&ps->ast, AST_VARARG, line);
}

int coro_parse_attrib(CoroParser *ps, AstString name)
{
    if (strcmp(name.data, "const") == 0)
        return AST_ATTRIB_CONST;
    if (strcmp(name.data, "close") == 0)
        return AST_ATTRIB_CLOSE;
    coro_parse_semantic_error(ps, "unknown attribute '%s'", name.data);
    return AST_ATTRIB_NONE;
}

AstNode *coro_parse_attname(CoroParser *ps, CoroToken name, int attrib)
{
    AstNode *n = coro_ast_name(&ps->ast, name.line, name.u.string);
    n->u.name.attrib = (uint8_t)attrib;
    return n;
}

void coro_parse_add_attname(CoroParser *ps, AstList *names, AstNode *name)
{
    if (name->u.name.attrib == AST_ATTRIB_CLOSE) {
        for (int i = 0; i < names->count; i++) {
            if (names->items[i]->u.name.attrib == AST_ATTRIB_CLOSE) {
                coro_parse_semantic_error(
                    ps, "multiple to-be-closed variables in local list");
                break;
            }
        }
    }
    coro_ast_list_push(&ps->ast, names, name);
}

/* ---- statements that touch the scope -------------------------------------- */

AstNode *coro_parse_local(CoroParser *ps, int line, AstList names,
                          AstList values)
{
    for (int i = 0; i < names.count; i++)
        check_scope(ps, coro_scope_add_local(&ps->scope,
                                             names.items[i]->u.name.id));
    return coro_ast_local(&ps->ast, line, names, values);
}

AstNode *coro_parse_local_function(CoroParser *ps, int line, CoroToken name,
                                   AstNode *fn, int fn_line, bool is_async)
{
    AstNode *var = coro_ast_name(&ps->ast, name.line, name.u.string);
    coro_ast_function_set(fn, fn_line, is_async);
    check_scope(ps, coro_scope_add_local(&ps->scope, name.u.string));
    return coro_ast_local_function(&ps->ast, line, var, fn);
}

static bool ends_block(int kind)
{
    return kind == TK_ELSE || kind == TK_ELSEIF || kind == TK_END ||
           kind == 0;
}

/* Labels are placed once the next token is neither ';' nor '::'. */
static void place_labels_if_due(CoroParser *ps)
{
    int next = ps->cur.kind;
    if (next != TK_SEMI && next != TK_DBCOLON)
        check_scope(ps, coro_scope_place_labels(&ps->scope, ends_block(next)));
}

AstNode *coro_parse_label(CoroParser *ps, int line, CoroToken name)
{
    check_scope(ps, coro_scope_label(&ps->scope, name.u.string, line));
    place_labels_if_due(ps);
    return coro_ast_jump(&ps->ast, AST_LABEL, line, name.u.string);
}

void coro_parse_empty_stat(CoroParser *ps)
{
    place_labels_if_due(ps);
}

AstNode *coro_parse_goto(CoroParser *ps, int line, CoroToken name)
{
    check_scope(ps, coro_scope_goto(&ps->scope, name.u.string, name.line));
    return coro_ast_jump(&ps->ast, AST_GOTO, line, name.u.string);
}

AstNode *coro_parse_break(CoroParser *ps, int line)
{
    check_scope(ps, coro_scope_break(&ps->scope, line));
    return coro_ast_leaf(&ps->ast, AST_BREAK, line);
}

/* ---- the token loop ------------------------------------------------------ */

static bool is_name(const CoroLexeme *t, const char *name)
{
    return t->kind == TK_NAME && strcmp(t->tok.u.string.data, name) == 0;
}

static bool yield_is_bare(const CoroLexeme *yield, const CoroLexeme *next)
{
    switch (next->kind) {
    case 0: case TK_SEMI: case TK_END: case TK_ELSE: case TK_ELSEIF:
    case TK_UNTIL: case TK_RPAREN: case TK_RBRACKET: case TK_RBRACE:
    case TK_COMMA:
        return true;
    default:
        return next->tok.line > yield->last_line;
    }
}

static void make_name(CoroLexeme *t, const char *name)
{
    t->kind = TK_NAME;
    t->tok.u.string.data = name;
    t->tok.u.string.len = strlen(name);
}

/* Gives the contextual words their meaning (see the top of the file). */
static void classify(CoroLexeme *cur, const CoroLexeme *prev,
                     const CoroLexeme *next)
{
    bool after_dot = prev->kind == TK_DOT || prev->kind == TK_COLON;
    if (cur->kind == TK_YIELD) {
        if (after_dot)
            make_name(cur, "yield");
        else if (yield_is_bare(cur, next))
            cur->kind = TK_YIELD_BARE;
    } else if (cur->kind == TK_AWAIT) {
        if (after_dot)
            make_name(cur, "await");
    } else if (is_name(cur, "async")) {
        if (!after_dot && next->kind == TK_FUNCTION)
            cur->kind = TK_ASYNC;
    } else if (is_name(cur, "from")) {
        if (prev->kind == TK_YIELD && prev->last_line == cur->tok.line)
            cur->kind = TK_FROM;
    }
}

static void report_lex_error(CoroParser *ps)
{
    if (ps->cur.kind == CORO_TK_NO_MEMORY) {
        coro_parse_no_memory(ps);
        return;
    }
    ps->p->error_at_eof = ps->lex.error_at_eof;
    set_error(ps, ps->cur.last_line, ps->lex.message, NULL);
}

static void feed_tokens(CoroParser *ps, void *parser)
{
    CoroLexeme prev, next;
    memset(&prev, 0, sizeof prev);
    prev.kind = -100;
    coro_lex_next(&ps->lex, &next);
    for (;;) {
        ps->cur = next;
        if (ps->cur.kind < 0) {
            report_lex_error(ps);
            return;
        }
        if (ps->cur.kind != 0)
            coro_lex_next(&ps->lex, &next);
        classify(&ps->cur, &prev, &next);
        coro_lemon_reduce_pending(parser);
        if (ps->failed)
            return;
        if (!coro_lemon_token_accepted(parser, ps->cur.kind)) {
            coro_parse_syntax_error(ps, coro_lemon_token_accepted, parser);
            return;
        }
        coro_lemon_parse(parser, ps->cur.kind, ps->cur.tok, ps);
        if (ps->ast.failed)
            coro_parse_no_memory(ps);
        if (ps->failed || ps->cur.kind == 0)
            return;
        prev = ps->cur;
    }
}

/* ---- entry points -------------------------------------------------------- */

static void *alloc_block(AstParse *p, size_t size)
{
    return p->alloc(p->alloc_ud, NULL, 0, size);
}

static void free_block(AstParse *p, void *block, size_t size)
{
    if (block)
        p->alloc(p->alloc_ud, block, size, 0);
}

/* Everything but the tree is temporary: it is freed before returning. */
static AstParseStatus run_parser(CoroParser *ps)
{
    AstParse *p = ps->p;
    size_t text_size = p->length + 1;
    unsigned char *text = text_size ? alloc_block(p, text_size) : NULL;
    size_t parser_size = coro_lemon_parser_size();
    void *parser = alloc_block(p, parser_size);
    if (text && parser) {
        if (p->length)
            memcpy(text, p->source, p->length);
        text[p->length] = '\0';
        coro_lex_init(&ps->lex, &ps->ast, p->alloc, p->alloc_ud, text,
                      p->length);
        coro_lemon_parser_start(parser, ps);
        coro_scope_open_function(&ps->scope);
        coro_scope_set_vararg(&ps->scope, true);
        feed_tokens(ps, parser);
        coro_lemon_parseFinalize(parser);
        coro_lex_free(&ps->lex);
    } else {
        coro_parse_no_memory(ps);
    }
    free_block(p, parser, parser_size);
    free_block(p, text, text_size);
    coro_scope_free(&ps->scope);
    if (!ps->failed && !p->root)
        coro_parse_semantic_error(ps, "parse ended early");
    if (!ps->failed)
        return AST_PARSE_OK;
    return ps->ast.failed ? AST_PARSE_NO_MEMORY : AST_PARSE_SYNTAX_ERROR;
}

AstParseStatus coro_ast_parse(AstParse *p)
{
    p->root = NULL;
    p->error_at_eof = false;
    p->errmsg[0] = '\0';
    p->arena = coro_arena_new(p->alloc, p->alloc_ud);
    CoroParser *ps = p->arena ? alloc_block(p, sizeof *ps) : NULL;
    if (!ps) {
        coro_arena_free(p->arena);
        p->arena = NULL;
        snprintf(p->errmsg, sizeof p->errmsg, "not enough memory");
        return AST_PARSE_NO_MEMORY;
    }
    memset(ps, 0, sizeof *ps);
    ps->p = p;
    ps->ast.arena = p->arena;
    coro_scope_init(&ps->scope, p->alloc, p->alloc_ud);
    AstParseStatus status = run_parser(ps);
    free_block(p, ps, sizeof *ps);
    if (status != AST_PARSE_OK)
        p->root = NULL;
    return status;
}
