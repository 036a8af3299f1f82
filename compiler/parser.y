/*
 * parser.y: the Coro grammar (Lua 5.4 plus coroutine syntax) for lemon.
 *
 * Directives first, then the rules; every action is a call into ast.c
 * (node builders) or parse.c (checks that need context).
 *
 * Shape of the grammar:
 *  - Every list is left-recursive (statements, expression lists, fields,
 *    elseif parts, prefix chains such as a.b.c or f()()), so the parser's
 *    stack does not grow with the length of a list or of a left-
 *    associative operator chain.
 *  - Constructs that nest to the right open a "level" when their first
 *    token is reduced by a one-token marker rule (paren_open, do_open,
 *    unop, ...) and close it when the construct is reduced.  The levels
 *    enforce CORO_MAX_SYNTAX_DEPTH, which also bounds the parser's stack,
 *    and remember the opening line for Lua's "to close" messages.
 *  - Lua's `a = b \n (f)()` reads as a call of b: after a prefix
 *    expression, '(' is shifted rather than ending the statement.  The two
 *    rules that could end there carry the lowest precedence and LPAREN a
 *    high one, which resolves those conflicts; there are no others.
 *  - A statement that starts with a prefix expression is either a call or
 *    the start of an assignment.  Both are parsed as prefix expressions
 *    and checked in the action (a call / a name or index), which is how
 *    Lua reports "syntax error" for both.
 *  - yield is a prefix operator of the lowest precedence; the driver
 *    hands over YIELD_BARE when nothing follows it on its line.  await is
 *    a unary operator.
 */

%include {
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include "parse.h"

/* The parser's stack grows as needed (%stack_size 0), and its memory must
 * come from the parse's allocator like everything else, so that a VM's
 * memory limit covers it.  This lemon template has no hook for that, but
 * it calls malloc and realloc only in yyGrowStack (where the parser is
 * `p`) and free only in ParseFinalize (where it is `pParser`); these
 * macros send the three calls to the functions in %code below. */
static void *parser_stack_realloc(void *parser, void *block, size_t size);
static void parser_stack_free(void *parser, void *block);
#define malloc(size) parser_stack_realloc(p, NULL, (size))
#define realloc(block, size) parser_stack_realloc(p, (block), (size))
#define free(block) parser_stack_free(pParser, (block))

#define NO_LIST ((AstList){ NULL, 0, 0 })
#define AST (&ps->ast)
/* Every prefix expression is recorded as it is completed: if the token
 * after it is rejected, the error depends on what it was. */
#define PREFIX(node) (ps->last_prefix = (node))
}

%name coro_lemon_parse
%token_prefix TK_
%token_type {CoroToken}
%extra_argument {CoroParser *ps}
%default_type {AstNode *}

/* Growable; the nesting levels bound it to a few dozen entries a level. */
%stack_size 0
/* Only reached when growing the stack fails. */
%stack_overflow { coro_parse_no_memory(ps); }
/* The driver asks coro_lemon_token_accepted before feeding each token, so
 * this only runs if the two ever disagree. */
%syntax_error { coro_parse_syntax_error(ps, coro_lemon_token_accepted, yypParser); }

%token AND BREAK DO ELSE ELSEIF END FALSE FOR FUNCTION GOTO IF IN LOCAL
       NIL NOT OR REPEAT RETURN THEN TRUE UNTIL WHILE.
%token YIELD YIELD_BARE FROM AWAIT ASYNC.
%token NAME STRING INT FLOAT.
%token PLUS MINUS STAR SLASH IDIV PERCENT CARET HASH AMP TILDE PIPE SHL SHR
       CONCAT DOTS EQ NE LT LE GT GE ASSIGN.
%token LPAREN RPAREN LBRACE RBRACE LBRACKET RBRACKET DBCOLON SEMI COLON
       COMMA DOT.
/* A byte that starts no token; never accepted. */
%token CHAR.

%left LOWEST.
%right YIELD.
%left OR.
%left AND.
%left LT GT LE GE EQ NE.
%left PIPE.
%left TILDE.
%left AMP.
%left SHL SHR.
%right CONCAT.
%left PLUS MINUS.
%left STAR SLASH IDIV PERCENT.
%right NOT.
%right CARET.
%left LPAREN.

%type block {AstNode *}
%type stats {AstNode *}
%type explist {AstList}
%type targets {AstList}
%type namelist {AstList}
%type params {AstList}
%type attnames {AstList}
%type parlist {CoroParams}
%type funcname {CoroFuncName}
%type attrib {int}
%type field {AstField}
%type do_open {CoroToken}
%type while_open {CoroToken}
%type repeat_open {CoroToken}
%type if_open {CoroToken}
%type for_open {CoroToken}
%type function_kw {CoroToken}
%type paren_open {CoroToken}
%type lbracket {CoroToken}
%type yield_kw {CoroToken}
%type await_kw {CoroToken}
%type unop {CoroToken}

/* ---- chunk and blocks --------------------------------------------------- */

chunk ::= block(B).                         { coro_parse_finish(ps, B); }

block(A) ::= stats(A).                      { coro_parse_end_block(ps, A); }
block(A) ::= stats(A) retstat(R).           { coro_ast_block_add(AST, A, R);
                                              coro_parse_end_block(ps, A); }

stats(A) ::= .                              { A = coro_parse_begin_block(ps); }
stats(A) ::= stats(A) stat(S).              { coro_ast_block_add(AST, A, S); }

retstat(A) ::= RETURN(T).                   { A = coro_ast_return(AST, T.line, NO_LIST); }
retstat(A) ::= RETURN(T) SEMI.              { A = coro_ast_return(AST, T.line, NO_LIST); }
retstat(A) ::= RETURN(T) explist(E).        { A = coro_ast_return(AST, T.line, E); }
retstat(A) ::= RETURN(T) explist(E) SEMI.   { A = coro_ast_return(AST, T.line, E); }

/* ---- statements --------------------------------------------------------- */

stat(A) ::= SEMI.                           { A = NULL; coro_parse_empty_stat(ps); }
stat(A) ::= prefixexp(P). [LOWEST]          { A = coro_parse_call_stat(ps, P); }
stat(A) ::= targets(T) ASSIGN explist(E).   { A = coro_ast_assign(AST, T, E); }
stat(A) ::= DBCOLON(T) NAME(N) DBCOLON.     { A = coro_parse_label(ps, T.line, N); }
stat(A) ::= BREAK(T).                       { A = coro_parse_break(ps, T.line); }
stat(A) ::= GOTO(T) NAME(N).                { A = coro_parse_goto(ps, T.line, N); }
stat(A) ::= do_open(D) block(B) END.        { A = coro_ast_do(AST, D.line, B);
                                              coro_parse_leave(ps); }
stat(A) ::= while_open(W) expr(C) loop_do block(B) END.
                                            { A = coro_ast_loop(AST, AST_WHILE, W.line, C, B);
                                              coro_parse_leave(ps); }
stat(A) ::= repeat_open(R) block(B) UNTIL expr(C).
                                            { A = coro_ast_loop(AST, AST_REPEAT, R.line, C, B);
                                              coro_parse_leave(ps); }
stat(A) ::= ifparts(A) END.                 { coro_parse_leave(ps); }
stat(A) ::= ifparts(A) ELSE block(B) END.   { A->u.if_.else_block = B;
                                              coro_parse_leave(ps); }
stat(A) ::= for_open(F) NAME(N) ASSIGN expr(S) COMMA expr(L) loop_do block(B) END.
                                            { A = coro_ast_numeric_for(AST, F.line,
                                                  coro_ast_name(AST, N.line, N.u.string),
                                                  S, L, NULL, B);
                                              coro_parse_leave(ps); }
stat(A) ::= for_open(F) NAME(N) ASSIGN expr(S) COMMA expr(L) COMMA expr(T) loop_do block(B) END.
                                            { A = coro_ast_numeric_for(AST, F.line,
                                                  coro_ast_name(AST, N.line, N.u.string),
                                                  S, L, T, B);
                                              coro_parse_leave(ps); }
stat(A) ::= for_open(F) namelist(N) IN explist(E) loop_do block(B) END.
                                            { A = coro_ast_generic_for(AST, F.line, N, E, B);
                                              coro_parse_leave(ps); }
stat(A) ::= function_kw(K) funcname(N) funcbody(F).
                                            { coro_ast_function_set(F, K.line, false);
                                              A = coro_ast_function_stat(AST, K.line, N.target,
                                                                         F, N.is_method); }
stat(A) ::= ASYNC(K) function_kw funcname(N) funcbody(F).
                                            { coro_ast_function_set(F, K.line, true);
                                              A = coro_ast_function_stat(AST, K.line, N.target,
                                                                         F, N.is_method); }
stat(A) ::= LOCAL(L) FUNCTION(K) NAME(N) funcbody(F).
                                            { A = coro_parse_local_function(ps, L.line, N, F,
                                                                            K.line, false); }
stat(A) ::= LOCAL(L) ASYNC(K) FUNCTION NAME(N) funcbody(F).
                                            { A = coro_parse_local_function(ps, L.line, N, F,
                                                                            K.line, true); }
stat(A) ::= LOCAL(L) attnames(N).           { A = coro_parse_local(ps, L.line, N, NO_LIST); }
stat(A) ::= LOCAL(L) attnames(N) ASSIGN explist(E).
                                            { A = coro_parse_local(ps, L.line, N, E); }
stat(A) ::= yield_kw(Y) explist(E).         { A = coro_ast_operand(AST, AST_EXPR_STAT, Y.line,
                                                  coro_ast_yield(AST, Y.line, E));
                                              coro_parse_leave(ps); }
stat(A) ::= YIELD_BARE(Y).                  { A = coro_ast_operand(AST, AST_EXPR_STAT, Y.line,
                                                  coro_ast_yield(AST, Y.line, NO_LIST)); }
stat(A) ::= yield_kw(Y) FROM expr(E).       { A = coro_ast_operand(AST, AST_EXPR_STAT, Y.line,
                                                  coro_ast_operand(AST, AST_YIELD_FROM,
                                                                   Y.line, E));
                                              coro_parse_leave(ps); }
stat(A) ::= awaitexp(E).                    { A = coro_ast_operand(AST, AST_EXPR_STAT,
                                                                   E->line, E); }

targets(A) ::= prefixexp(P).                { A = coro_ast_list1(AST, coro_parse_target(ps, P)); }
targets(A) ::= targets(A) COMMA prefixexp(P).
                                            { coro_ast_list_push(AST, &A, coro_parse_target(ps, P)); }

ifparts(A) ::= if_open(I) expr(C) THEN block(B).
                                            { A = coro_ast_if(AST, I.line, C, B); }
ifparts(A) ::= ifparts(A) ELSEIF expr(C) THEN block(B).
                                            { coro_ast_if_add(AST, A, C, B); }

namelist(A) ::= NAME(N).                    { A = coro_ast_list1(AST,
                                                  coro_ast_name(AST, N.line, N.u.string)); }
namelist(A) ::= namelist(A) COMMA NAME(N).  { coro_ast_list_push(AST, &A,
                                                  coro_ast_name(AST, N.line, N.u.string)); }

attnames(A) ::= attname(N).                 { A = coro_ast_list1(AST, N); }
attnames(A) ::= attnames(A) COMMA attname(N).
                                            { coro_parse_add_attname(ps, &A, N); }
attname(A) ::= NAME(N) attrib(T).           { A = coro_parse_attname(ps, N, T); }
attrib(A) ::= .                             { A = AST_ATTRIB_NONE; }
attrib(A) ::= LT NAME(N) GT.                { A = coro_parse_attrib(ps, N.u.string); }

/* ---- functions ---------------------------------------------------------- */

funcname(A) ::= dotted(D).                  { A.target = D; A.is_method = false; }
funcname(A) ::= dotted(D) COLON NAME(N).    { A.target = coro_ast_index(AST, D,
                                                  coro_ast_string(AST, N.line, N.u.string));
                                              A.is_method = true; }
dotted(A) ::= NAME(N).                      { A = coro_ast_name(AST, N.line, N.u.string); }
dotted(A) ::= dotted(D) DOT NAME(N).        { A = coro_ast_index(AST, D,
                                                  coro_ast_string(AST, N.line, N.u.string)); }

funcbody(A) ::= fn_lparen parlist(P) RPAREN block(B) END(E).
                                            { A = coro_parse_close_function(ps, P, B, E.line); }
fn_lparen ::= LPAREN(T).                    { coro_parse_open_function(ps, T.line); }

parlist(A) ::= .                            { A = coro_parse_params(ps, NO_LIST, false); }
parlist(A) ::= DOTS.                        { A = coro_parse_params(ps, NO_LIST, true); }
parlist(A) ::= params(L).                   { A = coro_parse_params(ps, L, false); }
parlist(A) ::= params(L) COMMA DOTS.        { A = coro_parse_params(ps, L, true); }
params(A) ::= NAME(N).                      { A = coro_ast_list1(AST,
                                                  coro_ast_name(AST, N.line, N.u.string)); }
params(A) ::= params(A) COMMA NAME(N).      { coro_ast_list_push(AST, &A,
                                                  coro_ast_name(AST, N.line, N.u.string)); }

/* ---- expressions -------------------------------------------------------- */

explist(A) ::= expr(E).                     { A = coro_ast_list1(AST, E); }
explist(A) ::= explist(A) COMMA expr(E).    { coro_ast_list_push(AST, &A, E); }

expr(A) ::= NIL(T).                         { A = coro_ast_leaf(AST, AST_NIL, T.line); }
expr(A) ::= TRUE(T).                        { A = coro_ast_leaf(AST, AST_TRUE, T.line); }
expr(A) ::= FALSE(T).                       { A = coro_ast_leaf(AST, AST_FALSE, T.line); }
expr(A) ::= INT(T).                         { A = coro_ast_integer(AST, T.line, T.u.integer); }
expr(A) ::= FLOAT(T).                       { A = coro_ast_float(AST, T.line, T.u.number); }
expr(A) ::= STRING(T).                      { A = coro_ast_string(AST, T.line, T.u.string); }
expr(A) ::= DOTS(T).                        { A = coro_parse_vararg(ps, T.line); }
expr(A) ::= FUNCTION(K) funcbody(F).        { A = F; coro_ast_function_set(F, K.line, false); }
expr(A) ::= ASYNC(K) FUNCTION funcbody(F).  { A = F; coro_ast_function_set(F, K.line, true); }
expr(A) ::= prefixexp(P). [LOWEST]          { A = P; }
expr(A) ::= table(T).                       { A = T; }
expr(A) ::= expr(L) OR(OP) expr(R).             { A = coro_ast_binary(AST, AST_OP_OR, L, R, OP.line); }
expr(A) ::= expr(L) AND(OP) expr(R).            { A = coro_ast_binary(AST, AST_OP_AND, L, R, OP.line); }
expr(A) ::= expr(L) LT(OP) expr(R).             { A = coro_ast_binary(AST, AST_OP_LT, L, R, OP.line); }
expr(A) ::= expr(L) GT(OP) expr(R).             { A = coro_ast_binary(AST, AST_OP_GT, L, R, OP.line); }
expr(A) ::= expr(L) LE(OP) expr(R).             { A = coro_ast_binary(AST, AST_OP_LE, L, R, OP.line); }
expr(A) ::= expr(L) GE(OP) expr(R).             { A = coro_ast_binary(AST, AST_OP_GE, L, R, OP.line); }
expr(A) ::= expr(L) EQ(OP) expr(R).             { A = coro_ast_binary(AST, AST_OP_EQ, L, R, OP.line); }
expr(A) ::= expr(L) NE(OP) expr(R).             { A = coro_ast_binary(AST, AST_OP_NE, L, R, OP.line); }
expr(A) ::= expr(L) PIPE(OP) expr(R).           { A = coro_ast_binary(AST, AST_OP_BOR, L, R, OP.line); }
expr(A) ::= expr(L) TILDE(OP) expr(R).          { A = coro_ast_binary(AST, AST_OP_BXOR, L, R, OP.line); }
expr(A) ::= expr(L) AMP(OP) expr(R).            { A = coro_ast_binary(AST, AST_OP_BAND, L, R, OP.line); }
expr(A) ::= expr(L) SHL(OP) expr(R).            { A = coro_ast_binary(AST, AST_OP_SHL, L, R, OP.line); }
expr(A) ::= expr(L) SHR(OP) expr(R).            { A = coro_ast_binary(AST, AST_OP_SHR, L, R, OP.line); }
expr(A) ::= expr(L) concat(OP) expr(R). [CONCAT]
                                            { A = coro_ast_binary(AST, AST_OP_CONCAT, L, R, OP);
                                              coro_parse_leave(ps); }
expr(A) ::= expr(L) PLUS(OP) expr(R).           { A = coro_ast_binary(AST, AST_OP_ADD, L, R, OP.line); }
expr(A) ::= expr(L) MINUS(OP) expr(R).          { A = coro_ast_binary(AST, AST_OP_SUB, L, R, OP.line); }
expr(A) ::= expr(L) STAR(OP) expr(R).           { A = coro_ast_binary(AST, AST_OP_MUL, L, R, OP.line); }
expr(A) ::= expr(L) SLASH(OP) expr(R).          { A = coro_ast_binary(AST, AST_OP_DIV, L, R, OP.line); }
expr(A) ::= expr(L) IDIV(OP) expr(R).           { A = coro_ast_binary(AST, AST_OP_IDIV, L, R, OP.line); }
expr(A) ::= expr(L) PERCENT(OP) expr(R).        { A = coro_ast_binary(AST, AST_OP_MOD, L, R, OP.line); }
expr(A) ::= unop(O) expr(E). [NOT]          { A = coro_ast_unary(AST, (int)O.u.integer, O.line, E);
                                              coro_parse_leave(ps); }
expr(A) ::= expr(L) pow(OP) expr(R). [CARET] { A = coro_ast_binary(AST, AST_OP_POW, L, R, OP);
                                              coro_parse_leave(ps); }
expr(A) ::= yield_kw(Y) expr(E). [YIELD]    { A = coro_ast_yield(AST, Y.line, coro_ast_list1(AST, E));
                                              coro_parse_leave(ps); }
expr(A) ::= YIELD_BARE(Y).                  { A = coro_ast_yield(AST, Y.line, NO_LIST); }
expr(A) ::= yield_kw(Y) FROM expr(E). [YIELD]
                                            { A = coro_ast_operand(AST, AST_YIELD_FROM, Y.line, E);
                                              coro_parse_leave(ps); }
expr(A) ::= awaitexp(E).                    { A = E; }

awaitexp(A) ::= await_kw(K) expr(E). [NOT]  { A = coro_ast_operand(AST, AST_AWAIT, K.line, E);
                                              coro_parse_leave(ps); }

prefixexp(A) ::= NAME(N).                   { A = PREFIX(coro_ast_name(AST, N.line, N.u.string)); }
prefixexp(A) ::= prefixexp(P) DOT NAME(N).  { A = PREFIX(coro_ast_index(AST, P,
                                                  coro_ast_string(AST, N.line, N.u.string))); }
prefixexp(A) ::= prefixexp(P) lbracket expr(K) RBRACKET.
                                            { A = PREFIX(coro_ast_index(AST, P, K)); coro_parse_leave(ps); }
prefixexp(A) ::= paren_open(O) expr(E) RPAREN.
                                            { A = PREFIX(coro_ast_paren(AST, O.line, E));
                                              coro_parse_leave(ps); }
prefixexp(A) ::= callhead(A) RPAREN.        { PREFIX(A); coro_parse_leave(ps); }
prefixexp(A) ::= callhead(A) explist(E) RPAREN.
                                            { coro_ast_call_set_args(A, E); PREFIX(A);
                                              coro_parse_leave(ps); }
prefixexp(A) ::= prefixexp(P) STRING(S).    { A = PREFIX(coro_ast_call(AST, P));
                                              coro_ast_call_add_arg(AST, A,
                                                  coro_ast_string(AST, S.line, S.u.string)); }
prefixexp(A) ::= prefixexp(P) table(T).     { A = PREFIX(coro_ast_call(AST, P));
                                              coro_ast_call_add_arg(AST, A, T); }
prefixexp(A) ::= prefixexp(P) COLON NAME(N) STRING(S).
                                            { A = PREFIX(coro_ast_method_call(AST, P,
                                                  coro_ast_string(AST, N.line, N.u.string)));
                                              coro_ast_call_add_arg(AST, A,
                                                  coro_ast_string(AST, S.line, S.u.string)); }
prefixexp(A) ::= prefixexp(P) COLON NAME(N) table(T).
                                            { A = PREFIX(coro_ast_method_call(AST, P,
                                                  coro_ast_string(AST, N.line, N.u.string)));
                                              coro_ast_call_add_arg(AST, A, T); }

callhead(A) ::= prefixexp(P) LPAREN.        { A = coro_ast_call(AST, P);
                                              coro_parse_enter(ps, CORO_LEVEL_CALL, P->line); }
callhead(A) ::= prefixexp(P) COLON NAME(N) LPAREN.
                                            { A = coro_ast_method_call(AST, P,
                                                  coro_ast_string(AST, N.line, N.u.string));
                                              coro_parse_enter(ps, CORO_LEVEL_CALL, P->line); }

table(A) ::= table_open(A) RBRACE.          { coro_parse_leave(ps); }
table(A) ::= fields(A) RBRACE.              { coro_parse_leave(ps); }
table(A) ::= fields(A) fieldsep RBRACE.     { coro_parse_leave(ps); }
fields(A) ::= table_open(A) field(F).       { coro_ast_table_add(AST, A, F.key, F.value, F.line); }
fields(A) ::= fields(A) fieldsep field(F).  { coro_ast_table_add(AST, A, F.key, F.value, F.line); }
fieldsep ::= COMMA.
fieldsep ::= SEMI.
field(A) ::= lbracket(L) expr(K) RBRACKET ASSIGN expr(V).
                                            { A.key = K; A.value = V; A.line = L.line;
                                              coro_parse_leave(ps); }
field(A) ::= NAME(N) ASSIGN expr(V).        { A.key = coro_ast_string(AST, N.line, N.u.string);
                                              A.value = V; A.line = N.line; }
field(A) ::= expr(V).                       { A.key = NULL; A.value = V; A.line = V->line; }

/* ---- markers: the first token of a nesting construct -------------------- */

do_open(A) ::= DO(T).                       { A = T; coro_parse_enter(ps, CORO_LEVEL_DO, T.line); }
while_open(A) ::= WHILE(T).                 { A = T; coro_parse_enter(ps, CORO_LEVEL_WHILE, T.line); }
for_open(A) ::= FOR(T).                     { A = T; coro_parse_enter(ps, CORO_LEVEL_FOR, T.line); }
if_open(A) ::= IF(T).                       { A = T; coro_parse_enter(ps, CORO_LEVEL_IF, T.line); }
repeat_open(A) ::= REPEAT(T).               { A = T; coro_parse_enter(ps, CORO_LEVEL_REPEAT, T.line);
                                              ps->next_block_is_loop = true; }
loop_do ::= DO.                             { ps->next_block_is_loop = true; }
function_kw(A) ::= FUNCTION(T).             { A = T; ps->function_stat_line = T.line; }
paren_open(A) ::= LPAREN(T).                { A = T; coro_parse_enter(ps, CORO_LEVEL_PAREN, T.line); }
table_open(A) ::= LBRACE(T).                { A = coro_ast_table(AST, T.line);
                                              coro_parse_enter(ps, CORO_LEVEL_BRACE, T.line); }
lbracket(A) ::= LBRACKET(T).                { A = T; coro_parse_enter(ps, CORO_LEVEL_BRACKET, T.line); }
yield_kw(A) ::= YIELD(T).                   { A = T; coro_parse_enter(ps, CORO_LEVEL_OPERATOR, T.line); }
await_kw(A) ::= AWAIT(T).                   { A = T; coro_parse_enter(ps, CORO_LEVEL_OPERATOR, T.line); }
%type concat {int}
concat(A) ::= CONCAT(T).                    { coro_parse_enter(ps, CORO_LEVEL_OPERATOR, T.line); A = T.line; }
%type pow {int}
pow(A) ::= CARET(T).                        { coro_parse_enter(ps, CORO_LEVEL_OPERATOR, T.line); A = T.line; }
unop(A) ::= MINUS(T).                       { A = T; A.u.integer = AST_OP_NEG;
                                              coro_parse_enter(ps, CORO_LEVEL_OPERATOR, T.line); }
unop(A) ::= NOT(T).                         { A = T; A.u.integer = AST_OP_NOT;
                                              coro_parse_enter(ps, CORO_LEVEL_OPERATOR, T.line); }
unop(A) ::= HASH(T).                        { A = T; A.u.integer = AST_OP_LEN;
                                              coro_parse_enter(ps, CORO_LEVEL_OPERATOR, T.line); }
unop(A) ::= TILDE(T).                       { A = T; A.u.integer = AST_OP_BNOT;
                                              coro_parse_enter(ps, CORO_LEVEL_OPERATOR, T.line); }

%code {
/* Size of the parser object, for allocating it with the parse's own
 * allocator (lemon's constructor only takes a plain malloc). */
size_t coro_lemon_parser_size(void)
{
    return sizeof(yyParser);
}

/* Initialises a parser in memory of coro_lemon_parser_size() bytes.  The
 * parse state is stored first because initialising allocates the stack. */
void coro_lemon_parser_start(void *parser, CoroParser *ps)
{
    ((yyParser *)parser)->ps = ps;
    coro_lemon_parseInit(parser);
}

static size_t stack_bytes(const yyParser *p)
{
    return (size_t)p->yystksz * sizeof(yyStackEntry);
}

static void *parser_stack_realloc(void *parser, void *block, size_t size)
{
    yyParser *p = parser;
    AstParse *ap = p->ps->p;
    void *grown = ap->alloc(ap->alloc_ud, block, block ? stack_bytes(p) : 0,
                            size);
    if (!grown)
        p->ps->ast.failed = true;
    return grown;
}

static void parser_stack_free(void *parser, void *block)
{
    yyParser *p = parser;
    AstParse *ap = p->ps->p;
    ap->alloc(ap->alloc_ud, block, stack_bytes(p), 0);
}

/* Performs the reductions that lemon has left pending after a shift: it
 * defers even a reduction that needs no lookahead until the next token
 * arrives.  The driver runs them (with that next token already current,
 * as lemon would) before asking whether the token is accepted, so that
 * the configuration an error is explained from has closed everything the
 * tokens so far have closed. */
void coro_lemon_reduce_pending(void *parser)
{
    yyParser *p = parser;
    CoroToken none = { 0, { .integer = 0 } };
    while (p->yytos->stateno > YY_MAX_SHIFT) {
        unsigned rule = p->yytos->stateno - YY_MIN_REDUCE;
        /* A shift never completes an empty rule, whose reduction could
         * need more stack; leave any such case to the parser itself. */
        if (yyRuleInfoNRhs[rule] == 0)
            break;
        yy_reduce(p, rule, YYNOCODE, none);
    }
}

/* Would the parser, in its current configuration, shift `token` after
 * the reductions it calls for?  The reductions are simulated on a copy of
 * the states above the stack, so the parser itself is not touched.
 *
 * The driver asks before feeding every token.  Lemon, like any LALR
 * parser with default reductions, may reduce on a token it will then
 * reject; asking first means no action ever runs for a bad token (so an
 * action cannot report a misleading error, or end a block, ahead of the
 * syntax error) and the configuration an error is explained from is the
 * one before those reductions, which still knows everything that could
 * have followed. */
bool coro_lemon_token_accepted(void *parser, int token)
{
    yyParser *p = parser;
    int top = (int)(p->yytos - p->yystack);
    YYACTIONTYPE pushed[64];
    int npushed = 0;
    YYACTIONTYPE state = p->yytos->stateno;
    for (int steps = 0; steps < 100000; steps++) {
        YYACTIONTYPE act = yy_find_shift_action((YYCODETYPE)token, state);
        if (act < YY_MIN_REDUCE)
            return act <= YY_MAX_SHIFTREDUCE || act == YY_ACCEPT_ACTION;
        unsigned rule = act - YY_MIN_REDUCE;
        int pop = -yyRuleInfoNRhs[rule];
        int from_pushed = pop < npushed ? pop : npushed;
        npushed -= from_pushed;
        top -= pop - from_pushed;
        if (top < 0 || npushed == (int)(sizeof pushed / sizeof pushed[0]))
            return false;
        YYACTIONTYPE below = npushed ? pushed[npushed - 1] : p->yystack[top].stateno;
        state = yy_find_reduce_action(below, yyRuleInfoLhs[rule]);
        pushed[npushed++] = state;
    }
    return false;
}
}
