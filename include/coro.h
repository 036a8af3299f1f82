/*
 * coro.h: the public interface of the Coro virtual machine.
 *
 * This is the only header a host program includes.  Everything a host can
 * do with a VM goes through the functions below; the VM's value
 * representation is never exposed.  Link with `-lcoro -lm`.
 *
 * The model, for readers who have embedded Lua:
 *
 *  - A coro_VM is an independent interpreter: its own heap, globals,
 *    scheduler and (optionally) memory limit.  No global mutable state is
 *    shared between VMs, so any number may live in one process, and two
 *    VMs may be used from two threads at once (each VM by one thread at a
 *    time).
 *
 *  - Values are exchanged through a stack of slots, exactly as in Lua's C
 *    API.  Positive indices count from the bottom of the current C
 *    function's frame (1 is its first argument), negative ones from the
 *    top (-1 is the last value pushed).  CORO_REGISTRYINDEX names the
 *    registry table; coro_upvalueindex(i) the i-th upvalue of the running
 *    C closure.  Every C function may push CORO_MINSTACK values without
 *    calling coro_checkstack.
 *
 *  - Errors raised inside the VM (and by coro_error and the coro_check*
 *    helpers) unwind to the nearest protected call.  Inside a C function
 *    they do not return: treat them like a `throw`.  Hold no malloc'd
 *    memory across a call that can raise; use the VM's buffers (coro_Buffer)
 *    or userdata instead.  Most API functions can raise (any that
 *    allocates can run out of memory); the host's own code calls them
 *    either inside a C function it runs with coro_pcall, or accepts that
 *    an error with no protected call in progress prints
 *    "coro: unprotected error: ..." and aborts the process, as Lua's
 *    panic does.  The functions that return a status (coro_pcall,
 *    coro_load, coro_dostring, coro_open_lib, coro_sched_run, ...) are
 *    protected themselves.
 *
 *  - Calls from C into scripts come in two forms.  coro_call and
 *    coro_pcall run the callee to completion before they return; a
 *    coroutine cannot yield while such a call is in progress ("attempt to
 *    yield across a C-call boundary").  The continuation forms
 *    coro_callk, coro_pcallk, coro_yieldk and coro_resumek do not call
 *    anything before returning: a C function *returns* their result, and
 *    the VM continues by calling the continuation k(vm, status, ctx) once
 *    the callee returns, fails or the coroutine is resumed.  Nothing of
 *    the C function is left on the C stack, so the script may yield freely
 *    in between.  This is how pcall, coroutine.wrap and the scheduler are
 *    written, and how a host adds asynchronous operations that scripts
 *    `await`.
 */
#ifndef CORO_H
#define CORO_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CORO_VERSION_MAJOR 0
#define CORO_VERSION_MINOR 1
#define CORO_VERSION_PATCH 0
#define CORO_VERSION "Coro 0.1.0"
#define CORO_VERSION_NUM (CORO_VERSION_MAJOR * 10000 + CORO_VERSION_MINOR * 100 + CORO_VERSION_PATCH)

#if defined(__GNUC__) || defined(__clang__)
#define CORO_NORETURN __attribute__((noreturn))
#define CORO_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CORO_NORETURN
#define CORO_PRINTF(f, a)
#endif

typedef struct coro_VM coro_VM;
typedef int64_t coro_Integer;
typedef uint64_t coro_Unsigned;
typedef double coro_Number;

/* A C function callable from scripts.  Arguments are at stack indices
 * 1..coro_gettop(vm); it returns how many values (on top of the stack) are
 * its results, or the value of a coro_*k call (see above). */
typedef int (*coro_CFunction)(coro_VM *vm);

/* A continuation: called with the status of the call, yield or resume it
 * continues and the context given when it was set up. */
typedef intptr_t coro_KContext;
typedef int (*coro_KFunction)(coro_VM *vm, int status, coro_KContext ctx);

/* The allocator: ptr == NULL allocates, nsize == 0 frees (returns NULL),
 * otherwise reallocates.  osize is the block's current size (0 when ptr
 * is NULL).  Returning NULL for nsize > 0 means "no memory", shrinking
 * included; the VM then raises "not enough memory" (status CORO_ERRMEM).
 * Each VM calls its allocator from the thread using the VM only. */
typedef void *(*coro_Alloc)(void *ud, void *ptr, size_t osize, size_t nsize);

/* Called every `count` instructions (counted at calls and backward jumps)
 * while scripts run, in every coroutine of the VM.  Work a single
 * instruction or library call does in bulk counts too, so a budget bounds
 * time: building a string (one count per 256 bytes), copying many
 * results, each step of pattern matching; the hook may then be called
 * from inside a library function, as if at its call.  It may raise an error
 * with coro_error to stop a runaway script; the error is catchable like
 * any other (a script that catches it runs on until the hook raises
 * again).  Note that coro_errorf would prefix the position of the caller
 * of the interrupted function (level 1), not the interrupted line. */
typedef void (*coro_Hook)(coro_VM *vm);

/* ---- basic types and status codes ------------------------------------- */

#define CORO_TNONE          (-1)
#define CORO_TNIL           0
#define CORO_TBOOLEAN       1
#define CORO_TLIGHTUSERDATA 2
#define CORO_TNUMBER        3
#define CORO_TSTRING        4
#define CORO_TTABLE         5
#define CORO_TFUNCTION      6
#define CORO_TUSERDATA      7
#define CORO_TTHREAD        8   /* a coroutine */

/* Statuses returned by the protected functions and given to
 * continuations. */
#define CORO_OK         0
#define CORO_YIELD      1   /* a coroutine yielded (coro_resume, continuations) */
#define CORO_ERRRUN     2   /* a runtime error */
#define CORO_ERRSYNTAX  3   /* a compilation error */
#define CORO_ERRMEM     4   /* "not enough memory" */
#define CORO_ERRERR     5   /* error in the message handler */
#define CORO_ERRFILE    6   /* a file could not be opened or read */

#define CORO_MULTRET    (-1)    /* nresults: keep every result */
#define CORO_MINSTACK   20      /* free slots every C function starts with */

/* The registry: a table only C code can reach (named metatables,
 * references, package.loaded as "_LOADED").  Use string keys prefixed
 * with your library's name, light userdata keys (coro_rawsetp) or
 * references (coro_ref). */
#define CORO_REGISTRYINDEX      (-1000000 - 1000)
/* The index of upvalue i (1-based) of the running C closure; an index
 * past its upvalues reads as CORO_TNONE. */
#define coro_upvalueindex(i)    (CORO_REGISTRYINDEX - (i))

/* Registry slots: registry[CORO_RIDX_GLOBALS] is the global table. */
#define CORO_RIDX_GLOBALS   2

/* ---- creating and freeing VMs ----------------------------------------- */

typedef struct coro_Config {
    coro_Alloc alloc;           /* NULL: the C library's realloc/free */
    void *alloc_ud;
    size_t memory_limit;        /* bytes the VM may hold; 0: no limit */
    int max_frames;             /* call depth per coroutine before
                                 * "stack overflow"; 0: default 1,000,000.
                                 * Coroutines resumed one inside another
                                 * nest at most this or 10,000 deep, the
                                 * lower of the two. */
} coro_Config;

/* Fills *cfg with the defaults. */
void coro_config_init(coro_Config *cfg);

/* A new VM with no libraries opened (cfg may be NULL for the defaults).
 * Returns NULL if the first allocations fail. */
coro_VM *coro_new(const coro_Config *cfg);

/* Frees the VM and everything it allocated: runs pending `__close` and
 * `__gc` handlers first. */
void coro_free(coro_VM *vm);

/* Bytes currently allocated by the VM (the figure collectgarbage("count")
 * reports, in KiB), and the limit (0: none) that may be changed at any
 * time; a limit below the current use makes the next allocation fail.
 * A script stopped by the limit may leave its garbage behind: the next
 * collection frees it, and coro_gc(vm, CORO_GCCOLLECT, 0) does so at
 * once (a host running untrusted scripts does that after each one). */
size_t coro_memory_used(coro_VM *vm);
void coro_set_memory_limit(coro_VM *vm, size_t limit);

/* Sets the count hook (see coro_Hook), replacing any previous one; hook
 * NULL or count <= 0 removes it. */
void coro_sethook(coro_VM *vm, coro_Hook hook, int count);

/* A pointer the host can attach to a VM and read back in callbacks. */
void coro_set_userdata(coro_VM *vm, void *ud);
void *coro_get_userdata(coro_VM *vm);

/* ---- libraries -------------------------------------------------------- */

/* Opens every library below (protected: returns CORO_OK, or an error
 * status with the message on top, e.g. under a memory limit). */
int coro_open_libs(coro_VM *vm);
/* Opens one library by name ("base", "load", "package", "coroutine",
 * "string", "table", "math", "utf8", "io", "os", "sched", "socket"),
 * protected like coro_open_libs; an unknown name is an error. */
int coro_open_lib(coro_VM *vm, const char *name);
/* The openers themselves raise errors like any API function: call them
 * from protected code (a C function run with coro_pcall), or use the
 * two functions above. */
void coro_open_base(coro_VM *vm);       /* print, pairs, pcall, ...: no load/dofile */
void coro_open_load(coro_VM *vm);       /* load, loadfile, dofile */
void coro_open_package(coro_VM *vm);    /* require and package */
void coro_open_coroutine(coro_VM *vm);
void coro_open_string(coro_VM *vm);
void coro_open_table(coro_VM *vm);
void coro_open_math(coro_VM *vm);
void coro_open_utf8(coro_VM *vm);
void coro_open_io(coro_VM *vm);
void coro_open_os(coro_VM *vm);
void coro_open_sched(coro_VM *vm);
void coro_open_socket(coro_VM *vm);

/* ---- the stack -------------------------------------------------------- */

/* The positive index equivalent to idx (pseudo-indices unchanged): it
 * stays valid while values are pushed. */
int coro_absindex(coro_VM *vm, int idx);
/* The number of values in the current frame (the index of the top). */
int coro_gettop(coro_VM *vm);
/* Sets the top: idx >= 0 is the new number of values (new slots are
 * nil), a negative idx counts from the top (-1: unchanged, -2: pop one). */
void coro_settop(coro_VM *vm, int idx);
/* Pushes a copy of the value at idx. */
void coro_pushvalue(coro_VM *vm, int idx);
/* Rotates the values from idx to the top n positions towards the top
 * (negative n: towards the bottom). */
void coro_rotate(coro_VM *vm, int idx, int n);
/* Copies the value at fromidx over the one at toidx. */
void coro_copy(coro_VM *vm, int fromidx, int toidx);
/* Makes room for n more values; returns 0 if it cannot (limit reached). */
int coro_checkstack(coro_VM *vm, int n);
/* Pops n values. */
void coro_pop(coro_VM *vm, int n);
void coro_insert(coro_VM *vm, int idx);     /* move top to idx */
void coro_remove(coro_VM *vm, int idx);     /* remove idx, shifting down */
void coro_replace(coro_VM *vm, int idx);    /* pop top into idx */

/* ---- reading values --------------------------------------------------- */

/* Readers take any index: one past the top (or a missing upvalue) reads
 * as CORO_TNONE, converting to 0, NULL or false.  They do not raise,
 * except coro_tolstring when converting a number runs out of memory. */

/* The type of the value at idx (CORO_T*), CORO_TNONE for no value. */
int coro_type(coro_VM *vm, int idx);
/* The name of a type code: "nil", "number", ..., "no value" for
 * CORO_TNONE ("?" for an invalid code). */
const char *coro_typename(coro_VM *vm, int type);
int coro_isnumber(coro_VM *vm, int idx);    /* number or convertible string */
int coro_isstring(coro_VM *vm, int idx);    /* string or number */
int coro_isinteger(coro_VM *vm, int idx);   /* an integer-subtype number */
int coro_iscfunction(coro_VM *vm, int idx); /* a C function or C closure */
int coro_isuserdata(coro_VM *vm, int idx);  /* full or light */
int coro_isnil(coro_VM *vm, int idx);       /* nil (not: no value) */
int coro_isnone(coro_VM *vm, int idx);      /* no value: past the top */
int coro_isnoneornil(coro_VM *vm, int idx);

/* The value as a number (strings are converted; the slot is not), or 0
 * with *isnum (may be NULL) set to 0 when it cannot be. */
coro_Number coro_tonumberx(coro_VM *vm, int idx, int *isnum);
/* The same for integers: floats with an exact integer value and numeric
 * strings convert; 3.5 or 2^63 do not. */
coro_Integer coro_tointegerx(coro_VM *vm, int idx, int *isnum);
coro_Number coro_tonumber(coro_VM *vm, int idx);       /* isnum NULL */
coro_Integer coro_tointeger(coro_VM *vm, int idx);     /* isnum NULL */
/* 0 for nil, false and no value; 1 for anything else (0 included). */
int coro_toboolean(coro_VM *vm, int idx);
/* Converts a number in place to a string, as Lua does; NULL if the value
 * is neither.  The pointer is valid while the value is on the stack. */
const char *coro_tolstring(coro_VM *vm, int idx, size_t *len);
const char *coro_tostring(coro_VM *vm, int idx);       /* len NULL */
/* The C function of a C function or closure, else NULL. */
coro_CFunction coro_tocfunction(coro_VM *vm, int idx);
/* A full userdata's block or a light userdata's pointer, else NULL. */
void *coro_touserdata(coro_VM *vm, int idx);
/* A pointer identifying a table, function, coroutine or userdata (for
 * hashing and debugging only), NULL for other values. */
const void *coro_topointer(coro_VM *vm, int idx);
/* Raw length: string bytes, table border, userdata size. */
coro_Unsigned coro_rawlen(coro_VM *vm, int idx);

/* ---- arithmetic and comparison ---------------------------------------- */

/* Operations for coro_arith: + - * % ^ / // & | ~ << >>, unary - and ~. */
#define CORO_OPADD  0
#define CORO_OPSUB  1
#define CORO_OPMUL  2
#define CORO_OPMOD  3
#define CORO_OPPOW  4
#define CORO_OPDIV  5
#define CORO_OPIDIV 6
#define CORO_OPBAND 7
#define CORO_OPBOR  8
#define CORO_OPBXOR 9
#define CORO_OPSHL  10
#define CORO_OPSHR  11
#define CORO_OPUNM  12
#define CORO_OPBNOT 13

/* Comparisons for coro_compare: == < <=. */
#define CORO_OPEQ   0
#define CORO_OPLT   1
#define CORO_OPLE   2

/* Pops two operands (one for UNM/BNOT), pushes the result; metamethods
 * apply (and run to completion).  Raises on invalid operands ("attempt to
 * perform arithmetic on a table value", "attempt to divide by zero"). */
void coro_arith(coro_VM *vm, int op);
/* 1 if the two values are primitively equal (no __eq); 0 if not or if
 * either index is not valid. */
int coro_rawequal(coro_VM *vm, int idx1, int idx2);
/* 1 if value idx1 op value idx2 (CORO_OPEQ, CORO_OPLT, CORO_OPLE), with
 * metamethods; 0 if not or if either index is not valid.  Raises for
 * incomparable values ("attempt to compare number with string"). */
int coro_compare(coro_VM *vm, int idx1, int idx2, int op);
/* Concatenates the n values on top (with __concat), pushes the result. */
void coro_concat(coro_VM *vm, int n);
/* Pushes #value (with __len). */
void coro_len(coro_VM *vm, int idx);
/* Converts s to a number and pushes it; returns strlen(s)+1, or 0 (and
 * pushes nothing) when s is not a numeral. */
size_t coro_stringtonumber(coro_VM *vm, const char *s);

/* ---- pushing values --------------------------------------------------- */

/* Each push adds one value on top. */
void coro_pushnil(coro_VM *vm);
void coro_pushnumber(coro_VM *vm, coro_Number n);     /* a float */
void coro_pushinteger(coro_VM *vm, coro_Integer n);
/* Pushes a copy of len bytes (zeros allowed; s may be NULL when len is
 * 0); returns the VM's copy, valid while the string is reachable. */
const char *coro_pushlstring(coro_VM *vm, const char *s, size_t len);
const char *coro_pushstring(coro_VM *vm, const char *s);   /* NULL pushes nil */
/* Formats like Lua's lua_pushfstring: %s %d %I (coro_Integer) %f (number,
 * formatted as Lua formats floats) %p %c %U (UTF-8 of a long) %% only;
 * pushes and returns the result. */
const char *coro_pushvfstring(coro_VM *vm, const char *fmt, va_list ap);
const char *coro_pushfstring(coro_VM *vm, const char *fmt, ...);
/* A C closure with n upvalues taken from the top of the stack. */
void coro_pushcclosure(coro_VM *vm, coro_CFunction fn, int n);
void coro_pushcfunction(coro_VM *vm, coro_CFunction fn);    /* no upvalues */
void coro_pushboolean(coro_VM *vm, int b);     /* any non-zero b: true */
/* A bare C pointer as a value: compared by address, never freed, no
 * metatable of its own. */
void coro_pushlightuserdata(coro_VM *vm, void *p);
void coro_pushglobaltable(coro_VM *vm);    /* _G, what globals live in */
/* Pushes the running coroutine; returns 1 if it is the main one. */
int coro_pushthread(coro_VM *vm);

/* ---- tables and metatables -------------------------------------------- */

/* Each get pushes the value and returns its type.  The plain forms honour
 * __index (and raise "attempt to index a nil value" for values that
 * cannot be indexed); the raw forms need a table and ignore metatables. */
int coro_getglobal(coro_VM *vm, const char *name);
int coro_gettable(coro_VM *vm, int idx);        /* t[k], k popped */
int coro_getfield(coro_VM *vm, int idx, const char *k);
int coro_geti(coro_VM *vm, int idx, coro_Integer i);
int coro_rawget(coro_VM *vm, int idx);          /* k popped */
int coro_rawgeti(coro_VM *vm, int idx, coro_Integer i);
int coro_rawgetp(coro_VM *vm, int idx, const void *p);  /* key: light userdata p */
/* Pushes a new table with room for narr list items and nrec other
 * fields (hints only; <= 0 for none). */
void coro_createtable(coro_VM *vm, int narr, int nrec);
void coro_newtable(coro_VM *vm);
/* A full userdata block of size bytes with nuvalue user values (script
 * values it keeps alive), pushed; freed by the collector (after its __gc,
 * if its metatable has one).  coro_newuserdata gives one user value. */
void *coro_newuserdatauv(coro_VM *vm, size_t size, int nuvalue);
void *coro_newuserdata(coro_VM *vm, size_t size);
/* Pushes user value n (1-based) of the userdata at idx and returns its
 * type (CORO_TNONE, with nil pushed, if it has no such value). */
int coro_getiuservalue(coro_VM *vm, int idx, int n);
/* Pops a value into user value n; returns 0 if there is no such value. */
int coro_setiuservalue(coro_VM *vm, int idx, int n);
/* Pushes the metatable and returns 1, or pushes nothing and returns 0. */
int coro_getmetatable(coro_VM *vm, int idx);

/* Each set pops the value (and the key, for settable/rawset); the plain
 * forms honour __newindex, the raw ones need a table.  A nil or NaN key
 * raises. */
void coro_setglobal(coro_VM *vm, const char *name);
void coro_settable(coro_VM *vm, int idx);               /* t[k] = v, both popped */
void coro_setfield(coro_VM *vm, int idx, const char *k);
void coro_seti(coro_VM *vm, int idx, coro_Integer i);
void coro_rawset(coro_VM *vm, int idx);
void coro_rawseti(coro_VM *vm, int idx, coro_Integer i);
void coro_rawsetp(coro_VM *vm, int idx, const void *p);
/* Pops a table (or nil) and makes it idx's metatable.  For values other
 * than tables and full userdata the metatable is shared by every value
 * of that type (as in Lua).  A __gc field must be present when the
 * metatable is set for the finalizer to be registered. */
void coro_setmetatable(coro_VM *vm, int idx);
/* Table traversal: pops a key (nil to start), pushes the next key and
 * its value and returns 1, or returns 0 (pushing nothing) at the end.
 * Fields may be cleared during a traversal, not added.  Do not call
 * coro_tolstring on a key that is not a string: it would convert it in
 * place.  A key not in the table raises "invalid key to 'next'". */
int coro_next(coro_VM *vm, int idx);

/* ---- calling ------------------------------------------------------------ */

/* Calls the function below the nargs arguments on top (or a value with
 * __call), popping both; leaves nresults results (all of them with
 * CORO_MULTRET; missing ones are nil).  Errors propagate. */
void coro_call(coro_VM *vm, int nargs, int nresults);
/* Same, protected: returns a status; on error the function and arguments
 * are replaced by the one error value (passed through the message
 * handler at index msgh, if msgh != 0: the handler is called with the
 * error where it happened, before the stack unwinds, so it can add a
 * traceback; an error in the handler gives CORO_ERRERR). */
int coro_pcall(coro_VM *vm, int nargs, int nresults, int msgh);

/* Continuation forms: return their value from your C function, which
 * ends there.  coro_callk: once the callee returns, k(vm, CORO_OK, ctx)
 * runs with the C function's stack followed by the results, and what k
 * returns is the C function's result; an error propagates (k does not
 * run).  coro_pcallk: k always runs, with CORO_OK and the results, or
 * with the error status and the error value on top; k is required.  In
 * both, the callee may yield. */
int coro_callk(coro_VM *vm, int nargs, int nresults, coro_KContext ctx, coro_KFunction k);
int coro_pcallk(coro_VM *vm, int nargs, int nresults, int msgh,
                coro_KContext ctx, coro_KFunction k);

/* Raises the value on top of the stack as an error (any value; no
 * position is added: see coro_errorf). */
CORO_NORETURN int coro_error(coro_VM *vm);

/* ---- loading and running source ----------------------------------------- */

/* Compiles a chunk and pushes it as a function, or pushes the error message
 * and returns CORO_ERRSYNTAX / CORO_ERRMEM.  chunkname follows Lua: "@file"
 * for files, "=name" for a literal name, anything else is source text.
 * mode is "t", "b" or "bt" (binary chunks are not supported: "b" fails). */
int coro_load(coro_VM *vm, const char *buf, size_t size,
              const char *chunkname, const char *mode);
/* coro_load of a NUL-terminated string, the string itself as the chunk
 * name ([string "..."] in messages). */
int coro_loadstring(coro_VM *vm, const char *s);
/* Loads a file as a chunk named "@filename" (a first line starting with
 * '#' is skipped); filename NULL reads standard input ("=stdin").
 * Returns CORO_ERRFILE with "cannot open <name>: <reason>" or "cannot
 * read <name>" on top when the file fails, else as coro_load. */
int coro_loadfile(coro_VM *vm, const char *filename);
/* Load and run with a traceback-adding handler; on success every result
 * is left on the stack, on error the message (with traceback) is. */
int coro_dostring(coro_VM *vm, const char *s);
int coro_dofile(coro_VM *vm, const char *filename);    /* NULL: stdin */
/* coro_pcall without a handler, but on error the message on top has the
 * traceback appended (the frames the error left, across coroutines). */
int coro_pcall_traceback(coro_VM *vm, int nargs, int nresults);
/* Pushes msg (may be NULL) followed by "stack traceback:" and the frames
 * of the current coroutine and of the coroutines that resumed it,
 * starting at call level `level` (0: the running function). */
void coro_traceback(coro_VM *vm, const char *msg, int level);

/* ---- coroutines --------------------------------------------------------- */

/* Coroutine statuses (coroutine.status's names). */
#define CORO_CO_SUSPENDED 0
#define CORO_CO_RUNNING   1
#define CORO_CO_NORMAL    2
#define CORO_CO_DEAD      3

/* Pops a function (script or C) and pushes a new suspended coroutine
 * that will run it, with the first resume's values as arguments. */
void coro_newcoroutine(coro_VM *vm);
/* Status of the coroutine at idx (CORO_CO_*); CORO_CO_DEAD for a value
 * that is not a coroutine. */
int coro_costatus(coro_VM *vm, int idx);
/* Resumes a coroutine from C and runs it until it yields, returns or
 * fails.  The stack holds the coroutine and then nargs arguments on top;
 * all are popped (the coroutine too: push a copy first to resume it
 * again) and the yielded or returned values pushed (*nresults of them),
 * or the error value (*nresults 1).  Returns CORO_YIELD, CORO_OK or an
 * error status; resuming a dead or running coroutine, or a value that is
 * not one, is CORO_ERRRUN with a message.  Errors inside the coroutine
 * come back as a status, never raised.  Not for use inside a C function
 * of a coroutine to resume another without nesting: return coro_resumek
 * for that. */
int coro_resume(coro_VM *vm, int nargs, int *nresults);
/* Continuation form: the coroutine and nargs arguments are on top (both
 * popped); k gets CORO_YIELD, CORO_OK or an error status with the values
 * (or error) pushed on top of what remained of the stack.  The resuming
 * coroutine may itself yield and be resumed before k runs. */
int coro_resumek(coro_VM *vm, int nargs, coro_KContext ctx, coro_KFunction k);
/* Suspends the running coroutine handing out the nresults values on top
 * (to coroutine.resume, coro_resume, or the scheduler: a task's yielded
 * value is its instruction).  When it is resumed, k (if not NULL) is
 * called with CORO_YIELD and the resume values on top of the stack (read
 * them from the top: -1 is the last), and its results are the C
 * function's results; with k NULL the resume values are the results
 * directly.  Return its value at once.  Outside a coroutine, or below a
 * coro_call, it raises. */
int coro_yieldk(coro_VM *vm, int nresults, coro_KContext ctx, coro_KFunction k);
#define coro_yield(vm, n) coro_yieldk((vm), (n), 0, NULL)
/* 1 if the running code may yield: inside a coroutine, with no
 * coro_call/coro_pcall (or coro_resume) of C in between. */
int coro_isyieldable(coro_VM *vm);

/* ---- garbage collection ------------------------------------------------- */

#define CORO_GCSTOP     0
#define CORO_GCRESTART  1
#define CORO_GCCOLLECT  2
#define CORO_GCCOUNT    3   /* KiB in use */
#define CORO_GCCOUNTB   4   /* remainder in bytes */
#define CORO_GCSTEP     5
#define CORO_GCISRUNNING 9
#define CORO_GCGEN      10  /* generational mode; returns the previous mode */
#define CORO_GCINC      11  /* full collections only; returns the previous mode */
/* Controls the collector: STOP and RESTART automatic collection, COLLECT
 * a full cycle (running finalizers), STEP (also a full cycle; returns 1),
 * COUNT and COUNTB return the memory in use (KiB, and the bytes beyond),
 * ISRUNNING returns 1 or 0.  arg is unused.  The other commands return
 * 0; an unknown `what` returns -1. */
int coro_gc(coro_VM *vm, int what, int arg);

/* ---- references: keep a value alive across calls ----------------------- */

#define CORO_NOREF  (-2)
#define CORO_REFNIL (-1)
/* Pops the top value, stores it in table t (usually CORO_REGISTRYINDEX)
 * and returns a key for it, keeping the value alive until coro_unref;
 * nil gives CORO_REFNIL and stores nothing.  Keys are small positive
 * integers, reused after coro_unref. */
int coro_ref(coro_VM *vm, int t);
/* Frees a reference (CORO_REFNIL and CORO_NOREF are ignored). */
void coro_unref(coro_VM *vm, int t, int ref);
int coro_getref(coro_VM *vm, int t, int ref);  /* pushes it, returns type */

/* ---- helpers for writing C functions (Lua's lauxlib) -------------------- */

typedef struct coro_Reg {
    const char *name;
    coro_CFunction func;
} coro_Reg;

/* A function's name for coro_argerror and coro_typeerror: how the
 * script called it ('limit', or for obj:m(...) the method, whose self
 * is not counted), else its name in a loaded module ('vec.new'). */

/* Raises "chunk:line: bad argument #arg to 'name' (extramsg)". */
CORO_NORETURN int coro_argerror(coro_VM *vm, int arg, const char *extramsg);
/* Raises "bad argument #arg to 'name' (tname expected, got <type>)",
 * <type> being the value's __name, "no value", "light userdata", ... */
CORO_NORETURN int coro_typeerror(coro_VM *vm, int arg, const char *tname);
/* Raises "chunkname:line: message" (the position of the script that
 * called the running C function; nothing if C called it). */
CORO_NORETURN int coro_errorf(coro_VM *vm, const char *fmt, ...) CORO_PRINTF(2, 3);
/* Pushes "chunkname:line: " of the function at call level lvl (0: the
 * running function, 1: the function that called the running C function),
 * or "" if that level is not a script or does not exist. */
void coro_where(coro_VM *vm, int lvl);

/* Argument checks: coro_check* return argument arg converted, or raise
 * an argument error; coro_opt* return def when the argument is absent
 * or nil.  Numbers and numeric strings convert to each other as in
 * coro_tonumberx/coro_tointegerx/coro_tolstring ("number has no integer
 * representation" for 3.5). */
coro_Integer coro_checkinteger(coro_VM *vm, int arg);
coro_Integer coro_optinteger(coro_VM *vm, int arg, coro_Integer def);
coro_Number coro_checknumber(coro_VM *vm, int arg);
coro_Number coro_optnumber(coro_VM *vm, int arg, coro_Number def);
const char *coro_checklstring(coro_VM *vm, int arg, size_t *len);
const char *coro_optlstring(coro_VM *vm, int arg, const char *def, size_t *len);
const char *coro_checkstring(coro_VM *vm, int arg);
const char *coro_optstring(coro_VM *vm, int arg, const char *def);
/* Raises unless argument arg has the given type (CORO_T*). */
void coro_checktype(coro_VM *vm, int arg, int type);
/* Raises "value expected" if there is no argument arg (nil is one). */
void coro_checkany(coro_VM *vm, int arg);
/* The index in the NULL-terminated list of the string argument (def when
 * absent, if def is not NULL); raises "invalid option '...'". */
int coro_checkoption(coro_VM *vm, int arg, const char *def, const char *const list[]);
/* coro_checkstack, raising "stack overflow (msg)" when it fails. */
void coro_checkstack_msg(coro_VM *vm, int n, const char *msg);
/* Raise an argument error with extramsg (or "tname expected, got ...")
 * unless cond holds. */
#define coro_argcheck(vm, cond, arg, extramsg) \
    ((void)((cond) || coro_argerror((vm), (arg), (extramsg))))
#define coro_argexpected(vm, cond, arg, tname) \
    ((void)((cond) || coro_typeerror((vm), (arg), (tname))))

/* Metatables registered by name (registry[tname]) for userdata types. */
/* Pushes the metatable named tname, creating it (with __name = tname)
 * and returning 1 if it did not exist, else returning 0. */
int coro_newmetatable(coro_VM *vm, const char *tname);
/* Sets the metatable named tname on the value on top (not popped). */
void coro_setmetatable_named(coro_VM *vm, const char *tname);
/* Pushes the metatable named tname (nil if none) and returns its type. */
int coro_getmetatable_named(coro_VM *vm, const char *tname);
/* The block of the full userdata at idx if its metatable is the one
 * named tname, else NULL. */
void *coro_testudata(coro_VM *vm, int idx, const char *tname);
/* The same, raising "tname expected, got ..." instead of NULL. */
void *coro_checkudata(coro_VM *vm, int idx, const char *tname);
/* Pushes metatable field e of obj and returns its type, or CORO_TNIL with
 * nothing pushed. */
int coro_getmetafield(coro_VM *vm, int obj, const char *e);
/* Calls metamethod e of obj with obj as argument, pushing the result;
 * returns 0 (nothing pushed) if there is none. */
int coro_callmeta(coro_VM *vm, int obj, const char *e);

/* Registers the functions of l into the table just below the nup values
 * on top, which become upvalues shared by every function and are
 * popped (nup 0: the table is on top).  The list ends with {NULL, NULL};
 * an entry with a NULL function sets the field to false (a placeholder). */
void coro_setfuncs(coro_VM *vm, const coro_Reg *l, int nup);
/* Pushes a new table with the functions of l. */
void coro_newlib(coro_VM *vm, const coro_Reg *l);
/* Ensures t[fname] is a table (replacing any other value), pushes it;
 * returns 1 if it existed. */
int coro_getsubtable(coro_VM *vm, int idx, const char *fname);
/* Calls openf(modname) if package.loaded[modname] is absent, stores the
 * result there (and as a global if glb), and leaves a copy on the stack. */
void coro_requiref(coro_VM *vm, const char *modname, coro_CFunction openf, int glb);
/* Length of the value at idx as an integer (with __len); raises if it is
 * not an integer. */
coro_Integer coro_len_int(coro_VM *vm, int idx);
/* Converts any value to a string as tostring() does (with __tostring and
 * __name), pushes it and returns it. */
const char *coro_tolstring_meta(coro_VM *vm, int idx, size_t *len);
/* Standard results of a C library call that may fail: on success pushes
 * true (1 result); on failure pushes nil, "fname: strerror", errno. */
int coro_fileresult(coro_VM *vm, int ok, const char *fname);

/* String buffers built on the VM's stack (one slot while in use), safe
 * against errors and the memory limit. */
typedef struct coro_Buffer {
    char *b;
    size_t size;
    size_t n;
    coro_VM *vm;
    char init[512];
} coro_Buffer;

/* Starts a buffer; it occupies one stack slot (pushed here) until
 * coro_pushresult, so the stack above it must be balanced between
 * buffer calls. */
void coro_buffinit(coro_VM *vm, coro_Buffer *B);
/* Returns room for sz bytes at the end; write them, then coro_addsize. */
char *coro_prepbuffsize(coro_Buffer *B, size_t sz);
/* Append l bytes, a NUL-terminated string, one char. */
void coro_addlstring(coro_Buffer *B, const char *s, size_t l);
void coro_addstring(coro_Buffer *B, const char *s);
void coro_addchar(coro_Buffer *B, char c);
#define coro_addsize(B, s) ((B)->n += (s))
/* Adds the value on top of the stack (a string or number) and pops it. */
void coro_addvalue(coro_Buffer *B);
/* Replaces the buffer's slot with the string built. */
void coro_pushresult(coro_Buffer *B);
/* coro_buffinit then coro_prepbuffsize(B, sz). */
char *coro_buffinitsize(coro_VM *vm, coro_Buffer *B, size_t sz);
/* coro_addsize(B, sz) then coro_pushresult. */
void coro_pushresultsize(coro_Buffer *B, size_t sz);

/* ---- the scheduler, driven from the host -------------------------------- */

/* The scheduler of a VM exists once `sched` is opened (or a task is
 * spawned); tasks are the same objects scripts see (task:wake,
 * task:cancel, task:status, task.id).  A host wakes a task blocked on a
 * custom instruction by calling its `wake` method (coro_getfield(vm,
 * idx, "wake"), then call it with the task and the values). */

/* Spawns the function (or suspended coroutine) below nargs arguments on
 * top as a new task at the back of the ready queue, pops them and pushes
 * the task.  Raises for any other value. */
void coro_sched_spawn(coro_VM *vm, int nargs);
/* Runs tasks until none is ready, sleeping or waiting.  Returns CORO_OK, or
 * an error status with the message on top ("deadlock", after a report on
 * standard error, when tasks remain that nothing can wake).  A task that
 * fails with nobody awaiting it is reported on standard error and counted
 * by coro_sched_failures; it is not run's error. */
int coro_sched_run(coro_VM *vm);
/* Runs every task that is ready, then waits up to timeout_ms (-1: without
 * limit; 0: not at all) for a timer or descriptor, and runs what that woke.
 * Returns the number of tasks still alive (0 when the scheduler is idle),
 * or -1 on an error (message on top).  Never reports a deadlock: tasks
 * may be waiting for the host. */
int coro_sched_step(coro_VM *vm, int timeout_ms);

/* Tasks not yet finished, and tasks that failed with nobody awaiting
 * them (the `coro` command exits with status 1 when there are any). */
int coro_sched_tasks(coro_VM *vm);
int coro_sched_failures(coro_VM *vm);

#define CORO_POLLIN  1
#define CORO_POLLOUT 4
typedef struct coro_PollFd {
    int fd;
    short events;       /* CORO_POLLIN and/or CORO_POLLOUT */
} coro_PollFd;
/* The descriptors tasks are waiting on: fills up to max entries and
 * returns how many there are in all (possibly more than max: call again
 * with a bigger array).  When one is ready, call coro_sched_step. */
int coro_sched_pollfds(coro_VM *vm, coro_PollFd *fds, int max);
/* Milliseconds until the earliest timer is due (0 if a task is ready now),
 * or -1 if no task is ready and no timer is set. */
int coro_sched_timeout(coro_VM *vm);

#ifdef __cplusplus
}
#endif
#endif
