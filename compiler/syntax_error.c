/*
 * syntax_error.c: says what Lua 5.4 would say about a token the parser
 * cannot shift.
 *
 * Lua's parser is recursive descent: at an error it is inside one
 * function expecting one thing, and that choice makes the message
 * ("'then' expected", "unexpected symbol", "'end' expected (to close
 * 'while' at line 3)").  An LALR parser holds the same knowledge as the
 * set of tokens it could shift next.  So: compute that set (by asking the
 * parser about each candidate) and map it to the message Lua's parser
 * gives in the corresponding place.  The checks run in the order of
 * Lua's own priorities; the comments name the Lua construct each one
 * stands for.  The innermost open construct (from the nesting levels)
 * supplies "to close ... at line N".
 */
#include <stdio.h>

#include "parse.h"
#include "parser.h"

typedef struct Expected {
    CoroTokenProbe accepts;
    void *parser;
} Expected;

static bool can(const Expected *e, int token)
{
    return e->accepts(e->parser, token);
}

/* Lua's check_match: the opener is named only when it is on another line
 * than the offending token. */
static void expected_closing(CoroParser *ps, const char *what,
                             const char *opener, int line)
{
    if (line == ps->cur.last_line)
        coro_parse_error(ps, "%s expected", what);
    else
        coro_parse_error(ps, "%s expected (to close %s at line %d)", what,
                         opener, line);
}

/* The innermost open construct that a closing token could be for.
 * Operators and the key brackets of table fields are skipped: an
 * operator whose right operand is complete, or a field `[k] = v` whose
 * value is, stays open until the next token decides whether it goes on. */
static const CoroLevel *innermost(const CoroParser *ps, bool blocks_only)
{
    for (int i = ps->depth - 1; i >= 0; i--) {
        const CoroLevel *level = &ps->levels[i];
        if (level->kind == CORO_LEVEL_OPERATOR ||
            level->kind == CORO_LEVEL_BRACKET)
            continue;
        if (!blocks_only || level->kind >= CORO_LEVEL_FUNCTION)
            return level;
    }
    return NULL;
}

/* A block ended (Lua stops a block at else, elseif, end, until or the end
 * of input, and after `return`); its enclosing construct wants its own
 * closing word. */
static void block_not_closed(CoroParser *ps)
{
    static const char *const openers[] = {
        [CORO_LEVEL_FUNCTION] = "'function'", [CORO_LEVEL_DO] = "'do'",
        [CORO_LEVEL_WHILE] = "'while'", [CORO_LEVEL_FOR] = "'for'",
        [CORO_LEVEL_REPEAT] = "'repeat'", [CORO_LEVEL_IF] = "'if'",
    };
    const CoroLevel *level = innermost(ps, true);
    if (!level)
        coro_parse_error(ps, "<eof> expected");
    else if (level->kind == CORO_LEVEL_REPEAT)
        expected_closing(ps, "'until'", "'repeat'", level->line);
    else
        expected_closing(ps, "'end'", openers[level->kind], level->line);
}

static bool is_call(const AstNode *n)
{
    return n && (n->kind == AST_CALL || n->kind == AST_METHOD_CALL);
}

static bool is_variable(const AstNode *n)
{
    return n && (n->kind == AST_NAME || n->kind == AST_INDEX);
}

static bool ends_block(int token)
{
    return token == TK_ELSE || token == TK_ELSEIF || token == TK_END ||
           token == TK_UNTIL || token == 0;
}

/* ')' closes a parenthesised expression or call arguments (Lua's
 * check_match), or a parameter list (a plain check). */
static void paren_not_closed(CoroParser *ps)
{
    const CoroLevel *level = innermost(ps, false);
    if (level && (level->kind == CORO_LEVEL_PAREN ||
                  level->kind == CORO_LEVEL_CALL))
        expected_closing(ps, "')'", "'('", level->line);
    else
        coro_parse_error(ps, "')' expected");
}

/* Where an expression, a statement or the end of a block could come:
 * Lua's messages there depend on what was just parsed.  Returns false if
 * the parser is not in such a place. */
static bool explain_in_context(CoroParser *ps, const Expected *e)
{
    int token = ps->cur.kind;
    /* After a prefix expression that could be assigned to (in a table
     * constructor a name followed by '=' is a field instead). */
    bool after_target = can(e, TK_ASSIGN) && can(e, TK_DOT) &&
                        !can(e, TK_RBRACE);
    bool block_may_end = can(e, TK_END) || can(e, TK_UNTIL) || can(e, 0) ||
                         can(e, TK_ELSE);
    if (can(e, TK_NIL) && block_may_end && ends_block(token)) {
        /* `return` takes a block's end for the end of its (empty) value
         * list; then the wrong end is the enclosing construct's error. */
        block_not_closed(ps);
    } else if (can(e, TK_NIL)) {
        /* An expression must start here: Lua's primaryexp. */
        coro_parse_error(ps, "unexpected symbol");
    } else if (after_target && can(e, TK_LOCAL)) {
        /* A statement's first prefix expression, not followed by '=' or
         * ',': Lua requires a call; after a call a new statement starts. */
        if (!is_call(ps->last_prefix))
            coro_parse_error(ps, "syntax error");
        else if (ends_block(token))
            block_not_closed(ps);
        else
            coro_parse_error(ps, "unexpected symbol");
    } else if (after_target) {
        /* A later target of an assignment: it must be assignable, and
         * '=' must follow the last one. */
        coro_parse_error(ps, is_variable(ps->last_prefix) ? "'=' expected"
                                                          : "syntax error");
    } else if (can(e, TK_LOCAL)) {
        /* A statement may start here: the token either ends the block or
         * is taken for the start of an expression statement. */
        if (ends_block(token))
            block_not_closed(ps);
        else
            coro_parse_error(ps, "unexpected symbol");
    } else if (block_may_end) {
        /* After `return ...` only the end of the block may follow. */
        block_not_closed(ps);
    } else {
        return false;
    }
    return true;
}

/* A specific token is missing.  Several may be acceptable (the next
 * list item, another operator); the test order is the order in which
 * Lua's parser insists on one of them. */
static void explain_missing_token(CoroParser *ps, const Expected *e)
{
    if (can(e, TK_THEN)) {                         /* if/elseif condition */
        coro_parse_error(ps, "'then' expected");
    } else if (can(e, TK_DO)) {                    /* while, for header */
        coro_parse_error(ps, "'do' expected");
    } else if (can(e, TK_NAME) && can(e, TK_DOTS)) {   /* parameters */
        coro_parse_error(ps, "<name> or '...' expected");
    } else if (can(e, TK_RPAREN)) {
        paren_not_closed(ps);
    } else if (can(e, TK_RBRACKET)) {              /* t[k] and [k] = v */
        coro_parse_error(ps, "']' expected");
    } else if (can(e, TK_RBRACE)) {                /* table constructor */
        const CoroLevel *level = innermost(ps, false);
        expected_closing(ps, "'}'", "'{'", level ? level->line : 0);
    } else if (can(e, TK_STRING) && can(e, TK_LBRACE) && !can(e, TK_DOT)) {
        coro_parse_error(ps, "function arguments expected");  /* a:m */
    } else if (can(e, TK_NAME) && can(e, TK_LPAREN)) {
        /* A prefix expression must start here (an assignment target). */
        coro_parse_error(ps, "unexpected symbol");
    } else if (can(e, TK_LPAREN) && !can(e, TK_PLUS)) {   /* function body */
        coro_parse_error(ps, "'(' expected");
    } else if (can(e, TK_ASSIGN) && can(e, TK_IN)) {   /* for header */
        coro_parse_error(ps, "'=' or 'in' expected");
    } else if (can(e, TK_IN)) {
        coro_parse_error(ps, "'in' expected");
    } else if (can(e, TK_ASSIGN)) {                /* [k] = v */
        coro_parse_error(ps, "'=' expected");
    } else if (can(e, TK_GT) && !can(e, TK_LT)) {  /* local x <attrib> */
        coro_parse_error(ps, "'>' expected");
    } else if (can(e, TK_DBCOLON)) {               /* ::label:: */
        coro_parse_error(ps, "'::' expected");
    } else if (can(e, TK_NAME)) {
        coro_parse_error(ps, "<name> expected");
    } else if (can(e, TK_COMMA)) {                 /* numeric for */
        coro_parse_error(ps, "',' expected");
    } else {
        coro_parse_error(ps, "syntax error");
    }
}

void coro_parse_syntax_error(CoroParser *ps, CoroTokenProbe accepts,
                             void *parser)
{
    if (ps->failed)
        return;
    Expected e = { accepts, parser };
    if (!explain_in_context(ps, &e))
        explain_missing_token(ps, &e);
}
