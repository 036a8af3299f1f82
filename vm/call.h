/*
 * call.h: calls, returns, errors and coroutine switches.
 *
 * The design rule (DESIGN.md, fixed): a script calling a script never
 * recurses on the C stack, and suspending or resuming a coroutine is a
 * change of which coroutine the one dispatch loop runs.  So everything
 * here works on frames and stacks in the heap:
 *
 *  - A call pushes a frame.  A script callee is then run by the loop; a C
 *    callee is called at once and returns either its results or a
 *    *request*: call this with continuation k, yield these values, resume
 *    that coroutine.  The request is carried out by pushing frames or
 *    switching coroutines, and k is called when it completes.
 *  - A return pops a frame and moves the results to where the caller wants
 *    them; a caller that is a C frame gets its continuation called; a
 *    script caller waiting on a metamethod gets its instruction finished.
 *  - The "driver" (coro_drive) runs these steps in a loop until control is
 *    back in a script frame, so chains of C continuations never nest.
 *  - An error longjmps to the innermost catch point (one per dispatch loop
 *    invocation and per protected call from C), which unwinds frames to
 *    the nearest catcher: running pending __close handlers, recording the
 *    traceback, and crossing from a coroutine that dies into the one that
 *    resumed it.  A yield never longjmps.
 *
 * Nested dispatch loops exist only where a C function calls a script and
 * needs its result before returning (coro_call, table.sort's comparator,
 * the scheduler resuming a task): their first frame is marked
 * FRAME_BOUNDARY, and a coroutine with one on its stack cannot yield.
 */
#ifndef CORO_CALL_H
#define CORO_CALL_H

#include "state.h"

/* What a C function returns to make a request (see coro_callk etc.). */
#define CORO_REQUEST (-1000)

/* Driver codes beside "a C frame produced r". */
#define DRIVE_DONE   (-2000)    /* control is in a script frame (or the loop
                                 * must exit): reload and go on */
#define DRIVE_UNWIND (-2001)    /* vm->error_value must unwind vm->current */

typedef enum RequestKind {
    REQ_NONE, REQ_CALL, REQ_YIELD, REQ_RESUME, REQ_THROW, REQ_CLOSE
} RequestKind;

/* Why a dispatch loop invocation ends. */
typedef enum LoopExit {
    EXIT_NONE = 0,
    EXIT_RETURN,            /* the boundary frame returned */
    EXIT_YIELD,             /* the coroutine resumed from C yielded */
    EXIT_FINISH,            /* ... returned */
    EXIT_ERROR              /* an error reached the boundary / killed it */
} LoopExit;

/* ---- errors ---------------------------------------------------------------- */

/* Raises vm->error_value with the given status (to the innermost catch). */
CORO_NORETURN void coro_throw(coro_VM *vm, int status);
/* Raises a new error value (starting a new traceback). */
CORO_NORETURN void coro_throw_value(coro_VM *vm, const Value *err);
/* Raises "chunkid:line: <formatted message>" at the running script. */
CORO_NORETURN void coro_throw_msg(coro_VM *vm, const char *fmt, ...);
/* Raises an error value that came from elsewhere (a coroutine's error
 * re-raised by send/wrap/await), keeping its traceback. */
CORO_NORETURN void coro_rethrow(coro_VM *vm, const Value *err);

/* Runs fn(vm, ud) catching errors: returns CORO_OK or the error status
 * (error in vm->error_value).  Restores the stack top and frame count of
 * the current coroutine on error. */
int coro_protect(coro_VM *vm, void (*fn)(coro_VM *vm, void *ud), void *ud);

/* ---- calls ------------------------------------------------------------------ */

/* Pushes a frame for the call of func (arguments above it up to top).
 * Returns DRIVE_DONE if a script frame was pushed, otherwise what the C
 * function returned (results on top, or CORO_REQUEST). */
int coro_call_prepare(coro_VM *vm, Value *func, int nresults, uint8_t flags);
/* Runs the driver until control is back in a script frame. */
void coro_drive(coro_VM *vm, int r);
/* Pops the top frame delivering n results from first; returns a driver
 * code (or a C continuation's result). */
int coro_return(coro_VM *vm, Value *first, int n);

/* A metamethod call from an instruction: calls fn with nargs arguments
 * (a, b, c) placed at co->top, wanting nresults, and marks the calling
 * script frame as waiting (pending) to finish its instruction. */
void coro_call_meta(coro_VM *vm, const Value *fn, const Value *a, const Value *b,
                    const Value *c, int nargs, int nresults, uint8_t pending);
/* Completes the pending instruction of script frame f after its
 * metamethod returned (result at co->top - 1). */
void coro_finish_op(coro_VM *vm, Frame *f, uint8_t pending);

/* Runs a call from C to completion (a nested loop if needed). */
void coro_call_value(coro_VM *vm, Value *func, int nresults);
/* Protected: returns a status; on error the error value is at func. */
int coro_pcall_value(coro_VM *vm, Value *func, int nresults);

/* ---- coroutines ----------------------------------------------------------- */

/* Executes a YIELD/YIELDFROM/AWAIT-style suspension of the current
 * coroutine handing out n values from first. */
int coro_yield_values(coro_VM *vm, Value *first, int n);
/* The current script frame (at a TFORCALL, YIELDFROM or AWAIT) resumes
 * target with no values; its yields and return come back to that
 * instruction. */
int coro_resume_script(coro_VM *vm, Coroutine *target);
/* co:send(...) or coroutine.resume(co, ...) called from a CALL
 * instruction, done without a C frame (func is the function's slot, the
 * coroutine is suspended); the results come back to the CALL. */
int coro_fast_resume(coro_VM *vm, Value *func, bool lua_resume);
/* Same for YIELDFROM/AWAIT, which must themselves be able to yield. */
int coro_delegate(coro_VM *vm, Coroutine *target);
/* Handles a request made by the top C frame. */
int coro_handle_request(coro_VM *vm);
/* coro_resume (coro.h): resumes from C, running a nested loop. */
int coro_resume_from_c(coro_VM *vm, int nargs, int *nresults);
/* The same, or raising the value on top (nargs 1) in the coroutine at its
 * suspension point; with RESUME_THROW_KEEP_TRACE the error keeps the
 * traceback in vm->trace_carry. */
enum { RESUME_VALUES, RESUME_THROW, RESUME_THROW_KEEP_TRACE };
int coro_resume_from_c_mode(coro_VM *vm, int nargs, int *nresults, int mode);
/* Marks a coroutine dead and drops its stack. */
void coro_co_kill(coro_VM *vm, Coroutine *co);
/* Creates the coroutine for an async function call: the current frame
 * (at its first instruction) with its arguments. */
Coroutine *coro_async_coroutine(coro_VM *vm, Frame *f);

/* Unwinds the current coroutine with vm->error_value (called at a catch
 * point); returns a driver code. */
int coro_unwind(coro_VM *vm);

/* Calls o's __gc (from the collector), protected; errors are dropped. */
void coro_call_finalizer(coro_VM *vm, GCObject *o);

/* The dispatch loop with its catch point: first runs start(vm, ud) (which
 * returns a driver code), then drives and executes until the loop exit
 * condition; returns the LoopExit. */
/* Where a nested call's error goes when it is raised before the call's
 * boundary frame exists (the value is not callable, or its frame found no
 * memory): no frame of this run can catch it. */
typedef struct RunGuard {
    Coroutine *co;
    uint32_t nframes;       /* co's frames when the run began */
    size_t slot;            /* the called value's slot: the error goes here */
} RunGuard;

int coro_vm_run(coro_VM *vm, int (*start)(coro_VM *vm, void *ud), void *ud,
                const RunGuard *guard);
/* The loop itself (vm.c). */
void coro_execute(coro_VM *vm);
/* The count hook's turn: resets the countdown and calls it (it may raise). */
void coro_hook_fire(coro_VM *vm);
/* Counts n units of work done outside the dispatch loop toward the hook. */
void coro_hook_charge(coro_VM *vm, int n);
/* Bytes of a string being built that count as one: one instruction can
 * copy megabytes (s .. t, string.rep, table.concat), and a budget that
 * saw only instructions would allow hours of copying. */
#define STRING_BYTES_PER_COUNT 256
#define coro_hook_charge_bytes(vm, len) \
    do { if ((len) >= STRING_BYTES_PER_COUNT) \
        coro_hook_charge((vm), (int)((len) / STRING_BYTES_PER_COUNT)); } while (0)

#endif
