/*
 * object.h: the heap objects of the VM.
 *
 * Every collectable object starts with GC_HEADER: the link in the list of
 * all objects (which the sweep phase walks), its tag and its mark bits.
 * The header leaves six bytes of padding that each object type uses for
 * its own small fields, so they cost nothing.
 *
 * Objects that point to other objects also carry a `gclist` link, used
 * only while the collector marks: a gray object (reached, children not yet
 * traced) waits on a list threaded through these links, so marking never
 * recurses and never allocates.
 *
 * Coroutines are the centre of the design (see coroutine.h): a coroutine
 * owns a value stack and an array of frames, both in the heap, and the
 * dispatch loop runs whichever coroutine is current.  Suspending one is
 * saving its pc in its top frame; no C stack is involved.
 */
#ifndef CORO_OBJECT_H
#define CORO_OBJECT_H

#include "value.h"

#define GC_HEADER  GCObject *next; uint8_t tag; uint8_t marked

struct GCObject {
    GC_HEADER;
};

/* Mark bits. */
#define MARK_BLACK      0x01    /* reached in the current collection */
#define MARK_FIXED      0x02    /* never collected (reserved names) */
#define MARK_FINALIZE   0x04    /* has a __gc to run before it is freed */
#define MARK_FINALIZED  0x08    /* its __gc has run (or is scheduled) */
#define MARK_TOUCHED    0x10    /* on vm->touched: traverse at the next collection */
#define MARK_MAJOR      0x20    /* reached by the major collection under way */

typedef uint32_t Instr;

/* ---- strings ---------------------------------------------------------- */

/* Strings up to this length are interned: equal short strings are the
 * same object, so comparing them is comparing pointers, and table keys
 * hash once.  Longer strings are compared by content and hashed lazily. */
#define SHORT_STRING_MAX 40

/* 24 bytes before the characters: a short string keeps its length in six
 * bits and the word after the hash links its intern-table chain; a long
 * string, never interned, keeps its length in that word. */
typedef struct String {
    GC_HEADER;
    uint8_t is_short : 1;
    uint8_t has_hash : 1;   /* long strings: hash computed */
    uint8_t short_len : 6;
    uint8_t reserved;       /* short strings: reserved word or metamethod index + 1 */
    uint32_t hash;
    union {
        size_t long_len;
        struct String *hnext;   /* chain in the intern table */
    } u;
    char data[];            /* the bytes and a NUL */
} String;

static inline size_t str_len(const String *s)
{
    return s->is_short ? s->short_len : s->u.long_len;
}

/* ---- tables ------------------------------------------------------------- */

/* A hash node: 32 bytes.  The key is split into payload and tag so that
 * the tag and the chain link share one word. */
typedef struct Node {
    Value val;
    ValuePayload key;
    uint8_t key_tag;
    int32_t next;           /* offset to the next node of the chain, 0: end */
} Node;

typedef struct Table {
    GC_HEADER;
    uint8_t absent_tm;      /* bit set: metamethod known to be absent (cache) */
    uint8_t log2_nodes;     /* hash part has 1 << log2_nodes nodes */
    uint8_t has_nodes;      /* 0: the hash part is the shared empty node */
    uint32_t array_size;
    uint32_t border_hint;   /* the border # found last (checked before use) */
    Value *array;
    Node *nodes;
    Node *last_free;        /* free nodes are searched for below this */
    struct Table *metatable;
    GCObject *gclist;
} Table;

/* ---- functions ---------------------------------------------------------- */

typedef struct UpvalDesc {
    struct String *name;
    uint8_t in_stack;       /* 1: captures a local of the enclosing function */
    uint8_t index;          /* that local's register, or enclosing upvalue */
    uint8_t kind;           /* local variable kind (const, close) for checks */
} UpvalDesc;

typedef struct LocVar {
    struct String *name;
    int start_pc;           /* first instruction where the variable is live */
    int end_pc;             /* first instruction where it is dead */
} LocVar;

typedef struct Proto {
    GC_HEADER;
    uint8_t num_params;
    uint8_t is_vararg;
    uint8_t max_stack;      /* registers the function needs */
    uint8_t is_async;       /* `async function`: a call returns a coroutine */
    int code_size, const_size, proto_size, upval_size, locvar_size;
    int lines_size;         /* as code_size, apart while one of them grows */
    int line_defined, last_line_defined;
    Instr *code;
    Value *constants;
    struct Proto **protos;
    UpvalDesc *upvals;
    int32_t *lines;         /* source line of every instruction */
    LocVar *locvars;
    struct String *source;  /* chunk name, e.g. "@file.coro" */
    struct String *name;    /* for messages, or NULL */
    GCObject *gclist;
} Proto;

typedef struct UpVal {
    GC_HEADER;
    Value *v;               /* the stack slot while open, &u.closed after */
    union {
        struct {
            struct UpVal *next;     /* open upvalues of the coroutine, by level */
            struct UpVal **previous;    /* the link pointing here */
        } open;
        Value closed;
    } u;
} UpVal;

#define upval_is_open(uv) ((uv)->v != &(uv)->u.closed)

typedef struct LClosure {
    GC_HEADER;
    uint8_t nupvals;
    GCObject *gclist;
    Proto *proto;
    UpVal *upvals[];
} LClosure;

typedef struct CClosure {
    GC_HEADER;
    uint8_t nupvals;
    GCObject *gclist;
    coro_CFunction fn;
    Value upvals[];
} CClosure;

/* ---- userdata ------------------------------------------------------------ */

/* A userdata's user values (script values it keeps alive, as Lua 5.4's)
 * follow the header; its block follows them, aligned for any use. */
typedef struct Userdata {
    GC_HEADER;
    uint16_t nuvalue;
    Table *metatable;
    size_t size;
    GCObject *gclist;
    Value uv[];
} Userdata;

#define USERDATA_ALIGN 16
#define userdata_block_offset(n) \
    ((offsetof(Userdata, uv) + sizeof(Value) * (size_t)(n) + USERDATA_ALIGN - 1) & ~(size_t)(USERDATA_ALIGN - 1))
#define userdata_block(u) ((void *)((char *)(u) + userdata_block_offset((u)->nuvalue)))
#define userdata_total_size(u) (userdata_block_offset((u)->nuvalue) + (u)->size)

/* ---- coroutines and frames ------------------------------------------------ */

/* A frame is one activation.  Script frames save their pc here when they
 * call out; C frames keep the continuation to call when what they asked
 * for (a call, a resume, a yield) completes. */
typedef struct Frame {
    Value *func;            /* the function's slot; arguments follow */
    Value *top;             /* end of the frame's registers (script) or
                             * of the guaranteed room (C) */
    union {
        struct {
            const Instr *pc;        /* next instruction */
            int32_t vararg_shift;   /* slots func moved up for varargs */
            int32_t extra_args;     /* vararg values below func */
        } s;
        struct {
            coro_KFunction k;       /* continuation, or NULL */
            coro_KContext ctx;
        } c;
    } u;
    int16_t nresults;       /* results the caller wants, -1: all */
    uint8_t flags;          /* FRAME_* */
    uint8_t pending;        /* PENDING_*: what to do with this frame's
                             * callee's results (script frames) */
    int32_t aux;            /* C frames with FRAME_PROTECTED: stack offset
                             * of the protected callee's function slot;
                             * script frames in PENDING_CLOSE of a RETURN:
                             * the number of values being returned */
} Frame;

/* Frame flags. */
#define FRAME_C         0x01    /* a C function */
#define FRAME_PROTECTED 0x02    /* C frame catching its callee's errors */
#define FRAME_BOUNDARY  0x04    /* entered from C: returning from it (or an
                                 * error reaching it) leaves the dispatch
                                 * loop that entered it */
#define FRAME_MSGH      0x08    /* catcher with a message handler in the
                                 * slot just below its callee's function */
#define FRAME_HANDLING  0x10    /* catcher whose handler is running or ran */
#define FRAME_HANDLER   0x20    /* the message handler's own frame */
#define FRAME_CLOSER    0x40    /* a __close called while unwinding; the
                                 * error travels in the slot below it */

/* What a script frame does when the callee it is waiting for returns. */
enum {
    PENDING_NONE = 0,   /* an ordinary call: results are in place */
    PENDING_FINISH,     /* a metamethod: finish the instruction at pc-1 */
    PENDING_CLOSE,      /* a __close at block exit: redo the instruction */
};

/* How far a coroutine has got. */
enum {
    CO_FRESH = 0,       /* function at stack[0]; the first resume's values
                         * are its arguments */
    CO_PRESET = 1,      /* an async call: function and arguments already on
                         * the stack; the first resume's values are dropped */
    CO_STARTED = 2
};

typedef enum CoStatus {
    CO_SUSPENDED = CORO_CO_SUSPENDED,
    CO_RUNNING = CORO_CO_RUNNING,
    CO_NORMAL = CORO_CO_NORMAL,
    CO_DEAD = CORO_CO_DEAD
} CoStatus;

/* A to-be-closed variable: the stack offset of its slot. */
typedef struct TbcList {
    int count, cap;
    uint32_t slots[];
} TbcList;

typedef struct Coroutine {
    GC_HEADER;
    uint8_t status;         /* CoStatus */
    uint8_t started;        /* CO_FRESH, CO_PRESET or CO_STARTED */
    uint8_t dead_by_error;  /* died with an error (error value in stack[0]) */
    uint8_t c_resumed : 1;  /* resumed from C: yielding leaves the loop */
    uint8_t keep_tbc : 1;   /* resumed by coroutine.resume: if it dies in
                             * error, its <close> variables wait for
                             * coroutine.close (as in Lua) */
    uint8_t c_calls;        /* nested dispatch loops entered on this coroutine
                             * (while > 0 it cannot yield) */
    uint8_t closing;        /* unwinding for close(), not for an error */
    uint32_t nframes;
    uint32_t frames_cap;
    uint32_t depth;         /* coroutines below it in the resume chain */
    Frame *frames;
    Value *stack;
    Value *stack_end;       /* one past the last slot */
    Value *top;             /* first free slot */
    struct UpVal *open_upvals;
    TbcList *tbc;
    struct Coroutine *resumer;  /* while running or normal */
    GCObject *gclist;
} Coroutine;

#define co_top_frame(co) (&(co)->frames[(co)->nframes - 1])

#endif
