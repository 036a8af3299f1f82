/*
 * ops.h: the slow paths of the dispatch loop.
 *
 * The loop handles the common cases inline (integer and float arithmetic,
 * table slots that exist, script-to-script calls); everything else comes
 * here: coercions, metamethods, errors.  A function that returns true has
 * started a metamethod call (a frame was pushed, or a C metamethod already
 * ran and its result was stored), so the loop must reload its state from
 * the current frame instead of continuing with its cached pointers.
 */
#ifndef CORO_OPS_H
#define CORO_OPS_H

#include "state.h"

bool coro_raw_equal(const Value *a, const Value *b);

/* t[key] into *dst, following __index. */
bool coro_op_index(coro_VM *vm, const Value *t, const Value *key, Value *dst);
/* t[key] = val, following __newindex. */
bool coro_op_newindex(coro_VM *vm, const Value *t, const Value *key, const Value *val);
/* Arithmetic (CORO_OP*) with coercion and metamethods; *dst gets the
 * result unless a metamethod call started. */
bool coro_op_arith(coro_VM *vm, int op, const Value *a, const Value *b, Value *dst);
bool coro_op_len(coro_VM *vm, const Value *v, Value *dst);
/* Comparisons: 0 or 1, or -1 when a metamethod call started (its result
 * finishes the instruction later). */
int coro_op_equal(coro_VM *vm, const Value *a, const Value *b);
int coro_op_less(coro_VM *vm, const Value *a, const Value *b);
int coro_op_less_equal(coro_VM *vm, const Value *a, const Value *b);
bool coro_less_number(const Value *a, const Value *b);
bool coro_less_equal_number(const Value *a, const Value *b);
/* Concatenates the values from first to co->top into *first.  From the
 * loop (nested false) a __concat starts as a pending metamethod call and
 * true is returned; from C (nested true) it runs to completion. */
bool coro_op_concat(coro_VM *vm, Value *first, bool nested);

/* Numeric for: prepares R[A..A+3]; returns true if the loop is skipped. */
bool coro_op_forprep(coro_VM *vm, Value *ra);
/* Closes upvalues at or above level and calls pending __close handlers
 * (one per call: returns true when one was started). */
bool coro_op_close(coro_VM *vm, Value *level);
void coro_op_tbc(coro_VM *vm, Value *slot);

LClosure *coro_op_closure(coro_VM *vm, Proto *p, LClosure *enclosing, Value *base);
void coro_op_setlist(coro_VM *vm, Value *ra, int n, unsigned int last);
/* VARARGPREP: moves the function above its arguments. */
void coro_op_varargprep(coro_VM *vm, Frame *f, int nfixed);
/* VARARG: copies the extra arguments (wanted < 0: all) to ra. */
void coro_op_vararg(coro_VM *vm, Frame *f, Value *ra, int wanted);
/* Converts a value to a string in place (numbers); false if it is not one. */
bool coro_tostring_inplace(coro_VM *vm, Value *v);

#endif
