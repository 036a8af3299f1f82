/*
 * codegen.h: the back end's entry points.
 */
#ifndef CORO_CODEGEN_H
#define CORO_CODEGEN_H

#include "ast.h"
#include "state.h"

/* Compiles a parsed chunk to its main function's prototype.  Raises a
 * syntax error ("chunkid:line: message") for the errors only scoping can
 * find (goto/labels, const assignment, limits). */
Proto *coro_codegen(coro_VM *vm, const AstNode *root, const char *chunkid, String *source);

/* Parses and compiles source into a closure pushed... see compile.c:
 * returns the main closure (its _ENV upvalue not yet set). */
LClosure *coro_compile(coro_VM *vm, const char *source, size_t len, const char *chunkname);

/* The display form of a chunk name ("@f.coro" -> "f.coro", "=stdin" ->
 * "stdin", source text -> [string "..."]), as Lua's luaO_chunkid. */
void coro_chunkid(char *out, size_t outsize, const char *source, size_t len);

#endif
