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
 *    or userdata instead.
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
 * otherwise reallocates.  Returning NULL for nsize > 0 means "no memory";
 * the VM then raises "not enough memory".  As in Lua, shrinking a block
 * (ptr != NULL, nsize <= osize) must not fail. */
typedef void *(*coro_Alloc)(void *ud, void *ptr, size_t osize, size_t nsize);

/* Called every `count` instructions (counted at calls and backward jumps)
 * while scripts run.  It may raise an error with coro_error/coro_errorf to
 * stop a runaway script; the error is catchable like any other. */
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

#define CORO_OK         0
#define CORO_YIELD      1
#define CORO_ERRRUN     2
#define CORO_ERRSYNTAX  3
#define CORO_ERRMEM     4
#define CORO_ERRERR     5   /* error in the message handler */
#define CORO_ERRFILE    6

#define CORO_MULTRET    (-1)
#define CORO_MINSTACK   20

#define CORO_REGISTRYINDEX      (-1000000 - 1000)
#define coro_upvalueindex(i)    (CORO_REGISTRYINDEX - (i))

/* Registry slots. */
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
 * time; a limit below the current use makes the next allocation fail. */
size_t coro_memory_used(coro_VM *vm);
void coro_set_memory_limit(coro_VM *vm, size_t limit);

/* The count hook, or NULL with count 0 to remove it. */
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

int coro_absindex(coro_VM *vm, int idx);
int coro_gettop(coro_VM *vm);
void coro_settop(coro_VM *vm, int idx);
void coro_pushvalue(coro_VM *vm, int idx);
/* Rotates the values from idx to the top n positions towards the top
 * (negative n: towards the bottom). */
void coro_rotate(coro_VM *vm, int idx, int n);
void coro_copy(coro_VM *vm, int fromidx, int toidx);
/* Makes room for n more values; returns 0 if it cannot (limit reached). */
int coro_checkstack(coro_VM *vm, int n);
void coro_pop(coro_VM *vm, int n);
void coro_insert(coro_VM *vm, int idx);     /* move top to idx */
void coro_remove(coro_VM *vm, int idx);
void coro_replace(coro_VM *vm, int idx);    /* pop top into idx */

/* ---- reading values --------------------------------------------------- */

int coro_type(coro_VM *vm, int idx);
const char *coro_typename(coro_VM *vm, int type);
int coro_isnumber(coro_VM *vm, int idx);    /* number or convertible string */
int coro_isstring(coro_VM *vm, int idx);    /* string or number */
int coro_isinteger(coro_VM *vm, int idx);   /* an integer-subtype number */
int coro_iscfunction(coro_VM *vm, int idx);
int coro_isuserdata(coro_VM *vm, int idx);  /* full or light */
int coro_isnil(coro_VM *vm, int idx);
int coro_isnone(coro_VM *vm, int idx);
int coro_isnoneornil(coro_VM *vm, int idx);

coro_Number coro_tonumberx(coro_VM *vm, int idx, int *isnum);
coro_Integer coro_tointegerx(coro_VM *vm, int idx, int *isnum);
coro_Number coro_tonumber(coro_VM *vm, int idx);
coro_Integer coro_tointeger(coro_VM *vm, int idx);
int coro_toboolean(coro_VM *vm, int idx);
/* Converts a number in place to a string, as Lua does; NULL if the value
 * is neither.  The pointer is valid while the value is on the stack. */
const char *coro_tolstring(coro_VM *vm, int idx, size_t *len);
const char *coro_tostring(coro_VM *vm, int idx);
coro_CFunction coro_tocfunction(coro_VM *vm, int idx);
void *coro_touserdata(coro_VM *vm, int idx);
const void *coro_topointer(coro_VM *vm, int idx);
/* Raw length: string bytes, table border, userdata size. */
coro_Unsigned coro_rawlen(coro_VM *vm, int idx);

/* ---- arithmetic and comparison ---------------------------------------- */

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

#define CORO_OPEQ   0
#define CORO_OPLT   1
#define CORO_OPLE   2

/* Pops two operands (one for UNM/BNOT), pushes the result; metamethods
 * apply (and run to completion). */
void coro_arith(coro_VM *vm, int op);
int coro_rawequal(coro_VM *vm, int idx1, int idx2);
int coro_compare(coro_VM *vm, int idx1, int idx2, int op);
/* Concatenates the n values on top (with __concat), pushes the result. */
void coro_concat(coro_VM *vm, int n);
/* Pushes #value (with __len). */
void coro_len(coro_VM *vm, int idx);
/* Converts s to a number and pushes it; returns strlen(s)+1, or 0 (and
 * pushes nothing) when s is not a numeral. */
size_t coro_stringtonumber(coro_VM *vm, const char *s);

/* ---- pushing values --------------------------------------------------- */

void coro_pushnil(coro_VM *vm);
void coro_pushnumber(coro_VM *vm, coro_Number n);
void coro_pushinteger(coro_VM *vm, coro_Integer n);
const char *coro_pushlstring(coro_VM *vm, const char *s, size_t len);
const char *coro_pushstring(coro_VM *vm, const char *s);   /* NULL pushes nil */
/* Formats like Lua's lua_pushfstring: %s %d %I (coro_Integer) %f (number)
 * %p %c %U (UTF-8 of a long) %% only. */
const char *coro_pushvfstring(coro_VM *vm, const char *fmt, va_list ap);
const char *coro_pushfstring(coro_VM *vm, const char *fmt, ...);
/* A C closure with n upvalues taken from the top of the stack. */
void coro_pushcclosure(coro_VM *vm, coro_CFunction fn, int n);
void coro_pushcfunction(coro_VM *vm, coro_CFunction fn);
void coro_pushboolean(coro_VM *vm, int b);
void coro_pushlightuserdata(coro_VM *vm, void *p);
void coro_pushglobaltable(coro_VM *vm);
/* Pushes the running coroutine; returns 1 if it is the main one. */
int coro_pushthread(coro_VM *vm);

/* ---- tables and metatables -------------------------------------------- */

/* Each get pushes the value and returns its type. */
int coro_getglobal(coro_VM *vm, const char *name);
int coro_gettable(coro_VM *vm, int idx);        /* t[k], k popped */
int coro_getfield(coro_VM *vm, int idx, const char *k);
int coro_geti(coro_VM *vm, int idx, coro_Integer i);
int coro_rawget(coro_VM *vm, int idx);
int coro_rawgeti(coro_VM *vm, int idx, coro_Integer i);
int coro_rawgetp(coro_VM *vm, int idx, const void *p);
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

void coro_setglobal(coro_VM *vm, const char *name);    /* pops the value */
void coro_settable(coro_VM *vm, int idx);               /* t[k] = v, both popped */
void coro_setfield(coro_VM *vm, int idx, const char *k);
void coro_seti(coro_VM *vm, int idx, coro_Integer i);
void coro_rawset(coro_VM *vm, int idx);
void coro_rawseti(coro_VM *vm, int idx, coro_Integer i);
void coro_rawsetp(coro_VM *vm, int idx, const void *p);
/* Pops a table (or nil) and makes it idx's metatable. */
void coro_setmetatable(coro_VM *vm, int idx);
/* Pops a key, pushes the next key and value; returns 0 at the end. */
int coro_next(coro_VM *vm, int idx);

/* ---- calling ------------------------------------------------------------ */

/* Calls the function below the nargs arguments on top; leaves nresults
 * results (all of them with CORO_MULTRET).  Errors propagate. */
void coro_call(coro_VM *vm, int nargs, int nresults);
/* Same, protected: returns a status; on error pushes the error value
 * (passed through the message handler at index msgh, if msgh != 0). */
int coro_pcall(coro_VM *vm, int nargs, int nresults, int msgh);

/* Continuation forms: return their value from your C function. */
int coro_callk(coro_VM *vm, int nargs, int nresults, coro_KContext ctx, coro_KFunction k);
int coro_pcallk(coro_VM *vm, int nargs, int nresults, int msgh,
                coro_KContext ctx, coro_KFunction k);

/* Raises the value on top of the stack as an error. */
CORO_NORETURN int coro_error(coro_VM *vm);

/* ---- loading and running source ----------------------------------------- */

/* Compiles a chunk and pushes it as a function, or pushes the error message
 * and returns CORO_ERRSYNTAX / CORO_ERRMEM.  chunkname follows Lua: "@file"
 * for files, "=name" for a literal name, anything else is source text.
 * mode is "t", "b" or "bt" (binary chunks are not supported: "b" fails). */
int coro_load(coro_VM *vm, const char *buf, size_t size,
              const char *chunkname, const char *mode);
int coro_loadstring(coro_VM *vm, const char *s);
/* filename NULL reads standard input. */
int coro_loadfile(coro_VM *vm, const char *filename);
/* Load and run with a traceback-adding handler; on error the message
 * (with traceback) is on top of the stack. */
int coro_dostring(coro_VM *vm, const char *s);
int coro_dofile(coro_VM *vm, const char *filename);
/* coro_pcall without a handler, but on error the message on top has the
 * traceback appended (the frames the error left, across coroutines). */
int coro_pcall_traceback(coro_VM *vm, int nargs, int nresults);
/* Pushes msg (may be NULL) followed by the traceback of the current
 * coroutine and the coroutines that resumed it. */
void coro_traceback(coro_VM *vm, const char *msg, int level);

/* ---- coroutines --------------------------------------------------------- */

#define CORO_CO_SUSPENDED 0
#define CORO_CO_RUNNING   1
#define CORO_CO_NORMAL    2
#define CORO_CO_DEAD      3

/* Pops a function and pushes a new coroutine running it. */
void coro_newcoroutine(coro_VM *vm);
/* Status of the coroutine at idx (CORO_CO_*). */
int coro_costatus(coro_VM *vm, int idx);
/* Resumes a coroutine from C and runs it until it yields, returns or
 * fails.  The stack holds the coroutine and then nargs arguments on top;
 * all are popped and the yielded or returned values pushed (*nresults of
 * them), or the error value.  Returns CORO_YIELD, CORO_OK or an error
 * status.  Not for use inside a coroutine's own C function to resume
 * another without nesting: return coro_resumek for that. */
int coro_resume(coro_VM *vm, int nargs, int *nresults);
/* Continuation form: the coroutine and nargs arguments are on top; k gets
 * CORO_YIELD, CORO_OK or an error status with the values (or error) pushed
 * on top of what remained of the stack. */
int coro_resumek(coro_VM *vm, int nargs, coro_KContext ctx, coro_KFunction k);
/* Suspends the running coroutine handing out the nresults values on top;
 * when it is resumed, k (if not NULL) is called with CORO_YIELD and the
 * resume values on top of the stack, and its results are the C function's
 * results; with k NULL the resume values are the results directly. */
int coro_yieldk(coro_VM *vm, int nresults, coro_KContext ctx, coro_KFunction k);
#define coro_yield(vm, n) coro_yieldk((vm), (n), 0, NULL)
/* 1 if the running code may yield. */
int coro_isyieldable(coro_VM *vm);

/* ---- garbage collection ------------------------------------------------- */

#define CORO_GCSTOP     0
#define CORO_GCRESTART  1
#define CORO_GCCOLLECT  2
#define CORO_GCCOUNT    3   /* KiB in use */
#define CORO_GCCOUNTB   4   /* remainder in bytes */
#define CORO_GCSTEP     5
#define CORO_GCISRUNNING 9
int coro_gc(coro_VM *vm, int what, int arg);

/* ---- references: keep a value alive across calls ----------------------- */

#define CORO_NOREF  (-2)
#define CORO_REFNIL (-1)
/* Pops the top value, stores it in table t (usually CORO_REGISTRYINDEX)
 * and returns a key for it. */
int coro_ref(coro_VM *vm, int t);
void coro_unref(coro_VM *vm, int t, int ref);
int coro_getref(coro_VM *vm, int t, int ref);  /* pushes it, returns type */

/* ---- helpers for writing C functions (Lua's lauxlib) -------------------- */

typedef struct coro_Reg {
    const char *name;
    coro_CFunction func;
} coro_Reg;

CORO_NORETURN int coro_argerror(coro_VM *vm, int arg, const char *extramsg);
CORO_NORETURN int coro_typeerror(coro_VM *vm, int arg, const char *tname);
/* Raises "chunkname:line: message" (the position of the calling script). */
CORO_NORETURN int coro_errorf(coro_VM *vm, const char *fmt, ...) CORO_PRINTF(2, 3);
/* Pushes "chunkname:line: " of the function at call level lvl (1: the
 * function that called the running C function). */
void coro_where(coro_VM *vm, int lvl);

coro_Integer coro_checkinteger(coro_VM *vm, int arg);
coro_Integer coro_optinteger(coro_VM *vm, int arg, coro_Integer def);
coro_Number coro_checknumber(coro_VM *vm, int arg);
coro_Number coro_optnumber(coro_VM *vm, int arg, coro_Number def);
const char *coro_checklstring(coro_VM *vm, int arg, size_t *len);
const char *coro_optlstring(coro_VM *vm, int arg, const char *def, size_t *len);
const char *coro_checkstring(coro_VM *vm, int arg);
const char *coro_optstring(coro_VM *vm, int arg, const char *def);
void coro_checktype(coro_VM *vm, int arg, int type);
void coro_checkany(coro_VM *vm, int arg);
int coro_checkoption(coro_VM *vm, int arg, const char *def, const char *const list[]);
void coro_checkstack_msg(coro_VM *vm, int n, const char *msg);
#define coro_argcheck(vm, cond, arg, extramsg) \
    ((void)((cond) || coro_argerror((vm), (arg), (extramsg))))
#define coro_argexpected(vm, cond, arg, tname) \
    ((void)((cond) || coro_typeerror((vm), (arg), (tname))))

/* Metatables registered by name for userdata types. */
int coro_newmetatable(coro_VM *vm, const char *tname);   /* 0 if it existed */
void coro_setmetatable_named(coro_VM *vm, const char *tname);
int coro_getmetatable_named(coro_VM *vm, const char *tname);
void *coro_testudata(coro_VM *vm, int idx, const char *tname);
void *coro_checkudata(coro_VM *vm, int idx, const char *tname);
/* Pushes metatable field e of obj and returns its type, or CORO_TNIL with
 * nothing pushed. */
int coro_getmetafield(coro_VM *vm, int obj, const char *e);
/* Calls metamethod e of obj with obj as argument, pushing the result;
 * returns 0 (nothing pushed) if there is none. */
int coro_callmeta(coro_VM *vm, int obj, const char *e);

/* Registers functions into the table on top (with nup shared upvalues
 * below it, which are popped). */
void coro_setfuncs(coro_VM *vm, const coro_Reg *l, int nup);
void coro_newlib(coro_VM *vm, const coro_Reg *l);
/* Ensures t[fname] is a table, pushes it; returns 1 if it existed. */
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

void coro_buffinit(coro_VM *vm, coro_Buffer *B);
char *coro_prepbuffsize(coro_Buffer *B, size_t sz);
void coro_addlstring(coro_Buffer *B, const char *s, size_t l);
void coro_addstring(coro_Buffer *B, const char *s);
void coro_addchar(coro_Buffer *B, char c);
#define coro_addsize(B, s) ((B)->n += (s))
/* Adds the value on top of the stack (a string or number) and pops it. */
void coro_addvalue(coro_Buffer *B);
void coro_pushresult(coro_Buffer *B);
char *coro_buffinitsize(coro_VM *vm, coro_Buffer *B, size_t sz);
void coro_pushresultsize(coro_Buffer *B, size_t sz);

/* ---- the scheduler, driven from the host -------------------------------- */

/* Spawns the function (or coroutine) below nargs arguments on top as a new
 * task, pops them and pushes the task. */
void coro_sched_spawn(coro_VM *vm, int nargs);
/* Runs tasks until none is ready, sleeping or waiting.  Returns CORO_OK, or
 * an error status with the message on top ("deadlock" included). */
int coro_sched_run(coro_VM *vm);
/* Runs every task that is ready, then waits up to timeout_ms (-1: without
 * limit; 0: not at all) for a timer or descriptor, and runs what that woke.
 * Returns the number of tasks still alive (0 when the scheduler is idle),
 * or -1 on an error (message on top). */
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
 * returns how many there are in all. */
int coro_sched_pollfds(coro_VM *vm, coro_PollFd *fds, int max);
/* Milliseconds until the earliest timer is due (0 if a task is ready now),
 * or -1 if no task is ready and no timer is set. */
int coro_sched_timeout(coro_VM *vm);

#ifdef __cplusplus
}
#endif
#endif
