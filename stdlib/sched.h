/*
 * sched.h: the task scheduler (module `sched`), internal interface.
 *
 * A task is a coroutine run by the scheduler.  Whatever a task yields is
 * an instruction: nothing (run again later), a task or future (wait for
 * it), an instruction object made by sched.sleep/readable/... (perform
 * it), a value whose metatable has __instruction (call it; the task waits
 * until someone calls task:wake).  The scheduler resumes tasks from C with
 * coro_resume (one nested dispatch loop per step, never deeper), so a task
 * may yield from any depth of its own calls.
 *
 * Data structures, each chosen for what it must do cheaply:
 *  - ready queue: an intrusive FIFO of tasks (O(1) push and pop);
 *  - timers: a binary min-heap of (deadline, sequence) with each task's
 *    index stored in it, so cancelling removes in O(log n);
 *  - descriptors: the poll backend (sched_poll.c) keeps one entry per
 *    waiting task, removable in O(1);
 *  - every other wait (a task, a future, a lock, a queue, ...) is an
 *    intrusive doubly linked WaitList, so a cancelled task leaves no
 *    stale waiter behind.
 * Tasks, futures and the primitives are userdata; the script values they
 * hold are kept alive through their user values, and the scheduler marks
 * every unfinished task for the collector.
 */
#ifndef CORO_SCHED_H
#define CORO_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "coro.h"

typedef struct Task Task;
typedef struct Sched Sched;

typedef struct WaitList {
    Task *head, *tail;
    int count;
} WaitList;

typedef enum TaskState {
    TASK_READY, TASK_RUNNING, TASK_BLOCKED, TASK_DONE, TASK_FAILED, TASK_CANCELLED
} TaskState;

/* What a blocked task waits on (for messages and for cancellation). */
typedef enum WaitKind {
    WAIT_NONE, WAIT_SLEEP, WAIT_FD, WAIT_LIST, WAIT_SUSPEND, WAIT_CUSTOM
} WaitKind;

/* User values of a task's userdata. */
enum { TASK_UV_CO = 1, TASK_UV_BOX, TASK_UV_WAITING, TASK_NUV = 3 };

struct Task {
    int64_t id;
    uint8_t state;          /* TaskState */
    uint8_t wait;           /* WaitKind while blocked */
    uint8_t cancel_requested; /* running when cancelled: raise at its next yield */
    uint8_t was_cancelled;  /* cancel() reached it: "cancelled" is no failure */
    uint8_t throw_pending;  /* the box holds an error to raise in it */
    uint8_t awaited;        /* sched.run's f: its failure is run's error */
    uint8_t wake_pending;   /* woken while not suspended: next suspend returns */
    uint8_t granted;        /* ready, handed a lock, permit, queue slot or item,
                             * or a waitqueue wake: a cancel waits for its
                             * next suspension, so nothing is lost */
    uint8_t fd_result;      /* readable/writable: 1 ready, 0 timed out */
    int npending;           /* values in the box to send on resume */
    Sched *sched;
    void *self;             /* the task's own userdata object */
    Task *ready_next;       /* ready queue */
    Task *wait_prev, *wait_next;
    WaitList *wait_list;    /* the list it waits in (WAIT_LIST) */
    const char *wait_what;  /* what it waits on, for deadlock reports */
    int timer_index;        /* in the timer heap, -1 if none */
    int poll_index;         /* in the poll set, -1 if none */
    double deadline;
    Task *alive_prev, *alive_next;
    WaitList joiners;       /* tasks awaiting this one */
    int64_t spawned_by;     /* 0: not from a task */
    char spawned_at[96];    /* "file:line" of the spawn call */
};

typedef struct Timer {
    double deadline;
    uint64_t seq;
    Task *task;
} Timer;

typedef struct PollSet PollSet;

struct Sched {
    coro_VM *vm;
    Task *ready_head, *ready_tail;
    Task *alive_head, *alive_tail;     /* unfinished tasks, in spawn order */
    int alive_count;
    Task *current;
    Timer *timers;
    int ntimers, timers_cap;
    uint64_t timer_seq;
    PollSet *poll;
    int64_t next_id;
    int failures;           /* tasks that failed with nobody awaiting */
    int running;            /* inside sched.run or a step */
};

/* ---- sched_core.c ---------------------------------------------------------- */

Sched *coro_sched_get(coro_VM *vm);
Task *coro_task_check(coro_VM *vm, int idx);
Task *coro_task_test(coro_VM *vm, int idx);
/* Pushes the task's userdata. */
void coro_task_push(coro_VM *vm, Task *t);
void coro_sched_make_ready(Sched *s, Task *t);
/* Makes a blocked task ready: removes it from whatever it waits on.
 * The n values on top of the stack are popped and become the values of
 * its pending await (or, with as_error, the one error raised there). */
void coro_sched_wake(Sched *s, Task *t, int n, bool as_error);
/* The task that is running, or NULL. */
Task *coro_sched_current(Sched *s);
/* Blocks the current step's task (called while performing an
 * instruction). */
void coro_sched_block(Sched *s, Task *t, WaitKind kind, const char *what);
double coro_sched_now(void);

/* ---- wait lists ------------------------------------------------------------- */

void coro_waitlist_push(WaitList *l, Task *t);
void coro_waitlist_remove(Task *t);
Task *coro_waitlist_pop(WaitList *l);

/* ---- sched_timers.c ------------------------------------------------------------ */

void coro_timer_add(Sched *s, Task *t, double deadline);
void coro_timer_remove(Sched *s, Task *t);
/* Seconds until the first deadline (negative: none). */
double coro_timer_next(Sched *s);
/* Pops one due timer's task, or NULL. */
Task *coro_timer_pop_due(Sched *s, double now);
void coro_timers_free(Sched *s);

/* ---- sched_poll.c (the descriptor backend) -------------------------------------- */

PollSet *coro_poll_new(void);
void coro_poll_free(PollSet *ps);
/* Registers t as waiting for events (CORO_POLLIN/CORO_POLLOUT) on fd. */
bool coro_poll_add(PollSet *ps, Task *t, int fd, short events);
void coro_poll_remove(PollSet *ps, Task *t);
int coro_poll_count(PollSet *ps);
/* Waits up to timeout_ms (-1: forever); calls ready(s, task) for each
 * task whose descriptor became ready (it is removed first). */
int coro_poll_wait(PollSet *ps, int timeout_ms, Sched *s, void (*ready)(Sched *s, Task *t));
int coro_poll_export(PollSet *ps, coro_PollFd *fds, int max);

/* ---- the instructions and primitives (sched_instr.c, sched_sync.c) ---------------- */

/* The kinds of the instruction objects the constructors return. */
typedef enum InstrKind {
    INSTR_SLEEP, INSTR_READABLE, INSTR_WRITABLE, INSTR_SUSPEND, INSTR_GET_RESUME,
    INSTR_LOCK, INSTR_SEMAPHORE, INSTR_EVENT_WAIT, INSTR_QUEUE_PUT, INSTR_QUEUE_GET,
    INSTR_WAITQUEUE
} InstrKind;

#define INSTR_NAME "sched.instruction"

typedef struct SchedInstr {
    uint8_t kind;           /* InstrKind */
    double seconds;         /* sleep, or a descriptor wait's timeout (<0: none) */
    int fd;
} SchedInstr;

/* Outcome of performing an instruction for task t (the instruction is on
 * top of the stack). */
typedef enum Performed {
    PERFORMED_NOW,          /* resume t at once (values set in its box) */
    PERFORMED_QUEUED,       /* t is at the back of the ready queue */
    PERFORMED_BLOCKED       /* t waits */
} Performed;

Performed coro_sched_perform_instr(Sched *s, Task *t, int idx);
/* Futures and the synchronisation primitives (sched_sync.c). */
bool coro_future_is(coro_VM *vm, int idx);
Performed coro_future_await(Sched *s, Task *t, int idx);
Performed coro_sync_perform(Sched *s, Task *t, SchedInstr *in, int idx);

/* Stores n values from the top of the stack as t's values to resume with
 * (popping them). */
void coro_task_set_values(Sched *s, Task *t, int n);

void coro_sched_open_sync(coro_VM *vm);     /* sets fields in the table on top */
void coro_sched_open_instr(coro_VM *vm);

#endif
