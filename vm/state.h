/*
 * state.h: the VM handle (struct coro_VM) and the names of metamethods.
 *
 * Everything a VM owns hangs off this struct: the heap and its collector,
 * the string intern table, the registry and globals, the coroutines, the
 * error-unwinding state and the scheduler.  There are no globals anywhere
 * else in the VM, so independent VMs never share anything.
 */
#ifndef CORO_STATE_H
#define CORO_STATE_H

#include <setjmp.h>

#include "object.h"

/* Metamethod ("tag method") names, in an order the table cache relies on:
 * the first TM_CACHED events have an "absent" bit in Table.absent_tm. */
typedef enum TagMethod {
    TM_INDEX, TM_NEWINDEX, TM_GC, TM_MODE, TM_LEN, TM_EQ,
    TM_ADD, TM_SUB, TM_MUL, TM_MOD, TM_POW, TM_DIV, TM_IDIV,
    TM_BAND, TM_BOR, TM_BXOR, TM_SHL, TM_SHR,
    TM_UNM, TM_BNOT, TM_LT, TM_LE, TM_CONCAT, TM_CALL, TM_CLOSE,
    TM_TOSTRING, TM_NAME, TM_PAIRS, TM_METATABLE, TM_AWAIT, TM_INSTRUCTION,
    TM_COUNT
} TagMethod;

#define TM_CACHED 6

/* One catch point for errors (a setjmp in a dispatch loop or a protected
 * call from C).  Errors are the only thing that ever longjmps. */
typedef struct ErrorJmp {
    struct ErrorJmp *prev;
    jmp_buf buf;
} ErrorJmp;

/* One line of an error's traceback, recorded as the error unwinds a frame
 * (so it spans coroutines).  Formatting waits until someone prints it. */
typedef struct TraceEntry {
    Value fn;               /* the function (nil: a coroutine boundary) */
    int line;               /* current line, -1 for C functions */
    int caller_pc;          /* the calling instruction, -1 if unknown */
    GCObject *caller;       /* the calling closure, to name fn, or NULL */
} TraceEntry;

/* A traceback keeps its first TRACE_HEAD and last TRACE_TAIL entries. */
#define TRACE_HEAD 12
#define TRACE_TAIL 12

typedef struct Sched Sched;

struct coro_VM {
    /* ---- memory ---- */
    coro_Alloc alloc;
    void *alloc_ud;
    size_t bytes;               /* allocated now */
    size_t memory_limit;        /* 0: none */
    size_t gc_threshold;        /* collect when bytes pass this */
    size_t gc_estimate;         /* bytes live after the last collection */

    /* ---- collector ---- */
    GCObject *allgc;            /* every collectable object */
    GCObject *finobj;           /* objects with a __gc, not yet due */
    GCObject *tobefnz;          /* unreachable objects whose __gc is due */
    GCObject *gray;             /* marked, children not yet traced */
    GCObject *weak;             /* tables with weak values (or both) */
    GCObject *ephemeron;        /* tables with weak keys only */
    GCObject *touched;          /* old objects given young references (gclist links) */
    GCObject *old_head;         /* first object of allgc older than the last collection */
    size_t gc_major_base;       /* bytes live after the last major collection */
    size_t gc_minor_budget;     /* bytes to allocate before the next minor one */
    size_t gc_last_live;        /* bytes live after the last collection */
    uint8_t gc_generational;    /* survivors stay marked; minor collections */
    uint8_t gc_stress_count;
    uint8_t gc_mark_bit;        /* what marks "reached" in the collection under way */
    uint8_t gc_stopped;         /* collectgarbage("stop") */
    uint8_t gc_stress;          /* CORO_GC_STRESS: collect at every check */
    uint8_t gc_running;         /* inside a collection */
    uint8_t in_finalizer;

    /* ---- strings ---- */
    String **strings;           /* intern table of short strings */
    uint32_t strings_size;      /* a power of 2 */
    uint32_t strings_count;
    uint32_t seed;              /* hash seed */

    /* ---- roots ---- */
    Table *registry;
    Table *globals;
    Table *type_metatables[CORO_TTHREAD + 1];   /* string, coroutine, ... */
    String *tm_names[TM_COUNT];
    String *memerr_msg;         /* "not enough memory", preallocated */
    Coroutine *main_co;
    Coroutine *current;         /* the coroutine the loop is running */

    /* ---- calls ---- */
    struct {
        uint8_t kind;           /* RequestKind (call.h) */
        uint8_t protected_call;
        int nargs;
        int nresults;
        int msgh;
        coro_KFunction k;
        coro_KContext ctx;
    } req;                      /* the request of the C function returning
                                 * CORO_REQUEST */
    int loop_exit;              /* LoopExit of the innermost loop */

    /* ---- errors ---- */
    ErrorJmp *errjmp;           /* innermost catch point */
    Value error_value;          /* the error being raised */
    int error_status;           /* its CORO_ERR* status */
    TraceEntry trace[TRACE_HEAD + TRACE_TAIL];  /* traceback of the error
                                 * in flight, recorded as it unwinds */
    int trace_count;            /* entries recorded in all */
    Value trace_carry;          /* traceback text the error brought from
                                 * elsewhere (a failed task), printed
                                 * before the recorded entries */

    /* ---- limits and hooks ---- */
    uint32_t max_frames;
    coro_Hook hook;
    int hook_every;
    int hook_countdown;             /* decremented at calls and back jumps */
    uint16_t c_depth;           /* nested dispatch loops (all coroutines) */

    Value none;                 /* what an index past the top reads */
    Value registry_value;       /* what CORO_REGISTRYINDEX reads */

    coro_CFunction send_fn;     /* co:send and coroutine.resume, which */
    coro_CFunction resume_fn;   /* CALL runs without a C frame */
    coro_CFunction yield_fn;    /* and coroutine.yield, likewise */

    /* ---- host ---- */
    void *host_ud;
    Sched *sched;               /* the task scheduler, once opened */
    void (*sched_mark)(coro_VM *vm);    /* marks the scheduler's roots */
    void (*sched_free)(coro_VM *vm);
};

#endif
