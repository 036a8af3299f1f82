/*
 * scope.h: what the parser tracks about enclosing functions and blocks,
 * so that it can give Lua 5.4's errors for `...`, `goto`, labels and
 * `break` at the moment Lua gives them.
 *
 * Lua resolves jumps while it parses, and its messages depend on that
 * order: a `break` outside a loop is reported when its function ends, a
 * goto into the scope of a local when the label appears, a repeated label
 * after the no-op statements that follow it.  The parser calls the
 * functions below at the same points (its reductions happen with the
 * next token as lookahead, which is where Lua stands too), so the
 * messages and their lines come out the same.
 *
 * Only the relative number of active locals matters to a jump, so
 * parameters and for-loop variables, which are active for a whole body,
 * are not recorded.
 */
#ifndef CORO_SCOPE_H
#define CORO_SCOPE_H

#include "ast.h"

typedef enum CoroScopeStatus {
    CORO_SCOPE_OK,
    CORO_SCOPE_ERROR,           /* message in CoroScope.message */
    CORO_SCOPE_NO_MEMORY
} CoroScopeStatus;

typedef struct ScopeJump {      /* a label, or a goto waiting for one */
    AstString name;
    int line;
    int nactive;                /* active locals of its function there */
} ScopeJump;

typedef struct ScopeBlock {
    int nactive;                /* active locals when the block began */
    int first_label, first_goto;
    bool is_loop;
} ScopeBlock;

typedef struct ScopeFunction {
    int first_local, first_label, first_goto, first_block;
    bool is_vararg;
} ScopeFunction;

/* Growable stacks; functions and blocks nest at most as deep as the
 * parser's nesting limit allows. */
typedef struct CoroScope {
    AstAllocFn alloc;
    void *alloc_ud;
    AstString *locals;
    int nlocals, cap_locals;
    ScopeJump *labels, *gotos, *pending;   /* pending: labels not yet placed */
    int nlabels, cap_labels, ngotos, cap_gotos, npending, cap_pending;
    ScopeBlock blocks[CORO_MAX_SYNTAX_DEPTH + 2];
    int nblocks;
    ScopeFunction functions[CORO_MAX_SYNTAX_DEPTH + 2];
    int nfunctions;
    char message[300];
} CoroScope;

void coro_scope_init(CoroScope *s, AstAllocFn alloc, void *alloc_ud);
void coro_scope_free(CoroScope *s);

void coro_scope_open_function(CoroScope *s);
/* Fails with "no visible label" or "break outside loop" for the first
 * goto of the function still waiting for its label. */
CoroScopeStatus coro_scope_close_function(CoroScope *s);
void coro_scope_set_vararg(CoroScope *s, bool is_vararg);
bool coro_scope_is_vararg(const CoroScope *s);

void coro_scope_enter_block(CoroScope *s, bool is_loop);
CoroScopeStatus coro_scope_leave_block(CoroScope *s);

CoroScopeStatus coro_scope_add_local(CoroScope *s, AstString name);
CoroScopeStatus coro_scope_goto(CoroScope *s, AstString name, int line);
CoroScopeStatus coro_scope_break(CoroScope *s, int line);

/* A label statement.  Lua places a label only once the no-op statements
 * after it (`;` and other labels) have been read, so labels wait here
 * until coro_scope_place_labels; at_block_end says whether the block ends
 * right after them (then the block's locals are already out of scope). */
CoroScopeStatus coro_scope_label(CoroScope *s, AstString name, int line);
CoroScopeStatus coro_scope_place_labels(CoroScope *s, bool at_block_end);

#endif
