/*
 * debug.h: what the VM knows about running code, for messages.
 *
 * Error messages name the variable involved (`attempt to index a nil
 * value (local 't')`) by looking at the bytecode: which instruction last
 * set the register holding the bad value, and what that instruction read
 * (a local, a global through _ENV, a field, an upvalue, a method).  Call
 * sites name the called function the same way, for tracebacks and for
 * `bad argument #1 to 'insert'`.
 *
 * Tracebacks are recorded while an error unwinds, one entry per frame it
 * leaves, so a traceback spans every coroutine the error passed through:
 * the failing coroutine's frames, then its resumer's, innermost first.
 */
#ifndef CORO_DEBUG_H
#define CORO_DEBUG_H

#include "state.h"

#define CHUNKID_SIZE 60

void coro_chunkid(char *out, size_t outsize, const char *source, size_t len);

/* The current line of a script frame (-1 for C frames). */
int coro_frame_line(const Frame *f);
/* The closure's prototype, or NULL for C frames. */
Proto *coro_frame_proto(const Frame *f);
/* Index of the instruction a script frame is executing. */
int coro_frame_pc(const Frame *f);

/* "chunkid:line: " for a script frame, "" otherwise. */
void coro_debug_where(const Frame *f, char *buf, size_t size);

/* " (local 'x')"-style description of where o came from, or "". */
void coro_debug_varinfo(coro_VM *vm, const Value *o, char *buf, size_t size);

/* Name of the function running in frame f as its caller called it:
 * returns the kind ("global", "local", "method", "field", "upvalue",
 * "for iterator", "metamethod") and sets *name, or NULL if unknown. */
const char *coro_debug_funcname(coro_VM *vm, Coroutine *co, const Frame *f, const char **name);

CORO_NORETURN void coro_debug_type_error(coro_VM *vm, const Value *o, const char *op);
CORO_NORETURN void coro_debug_call_error(coro_VM *vm, const Value *o);
CORO_NORETURN void coro_debug_concat_error(coro_VM *vm, const Value *a, const Value *b);
CORO_NORETURN void coro_debug_arith_error(coro_VM *vm, const Value *a, const Value *b, const char *what);
CORO_NORETURN void coro_debug_int_error(coro_VM *vm, const Value *a, const Value *b);
CORO_NORETURN void coro_debug_order_error(coro_VM *vm, const Value *a, const Value *b);
CORO_NORETURN void coro_debug_for_error(coro_VM *vm, const Value *o, const char *what);

/* Traceback recording (see call.c for when). */
void coro_trace_reset(coro_VM *vm);
void coro_trace_record(coro_VM *vm, Coroutine *co, uint32_t frame_index);
void coro_trace_boundary(coro_VM *vm);
/* Pushes the traceback of the error in flight ("stack traceback:\n..."). */
void coro_trace_push(coro_VM *vm);
/* Code that sets the traceback in flight aside (a copy in a C local) while
 * it records or raises another must first push what the copy refers to:
 * the collector does not see the copy.  Pushes the values (they may stay
 * until the C function returns) and returns how many. */
int coro_trace_anchor(coro_VM *vm, const TraceEntry *saved, int count, const Value *carry);
/* Pushes a traceback of the running coroutine and its resumers. */
void coro_debug_push_live_traceback(coro_VM *vm, int level);

#endif
