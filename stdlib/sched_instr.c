/*
 * sched_instr.c: the instruction constructors (sched.sleep, readable,
 * writable, suspend, get_resume) and how the scheduler performs them.
 *
 * An instruction is a small userdata describing a wait; a task hands it
 * to the scheduler with `await` (which yields it, since it has no
 * __await).  Its user values hold the script values it refers to (the
 * object of a lock or queue operation, the value to put).
 */
#include <stdio.h>
#include <string.h>

#include "sched.h"
#include "api.h"

int coro_task_take_wake(coro_VM *vm, Task *t);

static SchedInstr *new_instr(coro_VM *vm, InstrKind kind)
{
    SchedInstr *in = coro_newuserdatauv(vm, sizeof(SchedInstr), 2);
    memset(in, 0, sizeof *in);
    in->kind = (uint8_t)kind;
    in->seconds = -1;
    in->fd = -1;
    coro_setmetatable_named(vm, INSTR_NAME);
    return in;
}

/* Pushes a new instruction of the given kind whose user value 1 is the
 * value at objidx (0: none); used by the primitives' methods. */
SchedInstr *coro_instr_new(coro_VM *vm, InstrKind kind, int objidx)
{
    objidx = objidx ? coro_absindex(vm, objidx) : 0;
    SchedInstr *in = new_instr(vm, kind);
    if (objidx) {
        coro_pushvalue(vm, objidx);
        coro_setiuservalue(vm, -2, 1);
    }
    return in;
}

static int sched_sleep(coro_VM *vm)
{
    double seconds = coro_checknumber(vm, 1);
    SchedInstr *in = new_instr(vm, INSTR_SLEEP);
    in->seconds = seconds != seconds ? 0 : seconds;
    return 1;
}

/* An io library file handle: a userdata "FILE*" laid out as Lua's
 * luaL_Stream (the FILE, then the function that closes it, NULL once the
 * handle is closed). */
typedef struct FileHandle {
    FILE *f;
    coro_CFunction closef;
} FileHandle;

/* The descriptor of an integer, an io file or anything with :fileno(). */
static int descriptor_of(coro_VM *vm, int idx)
{
    if (coro_isinteger(vm, idx))
        return (int)coro_tointeger(vm, idx);
    FileHandle *fh = coro_testudata(vm, idx, "FILE*");
    if (fh) {
        if (!fh->closef || !fh->f)
            coro_argerror(vm, idx, "attempt to use a closed file");
        return fileno(fh->f);
    }
    if (coro_getmetafield(vm, idx, "__index") != CORO_TNIL) {
        coro_getfield(vm, -1, "fileno");
        coro_remove(vm, -2);
        if (coro_type(vm, -1) == CORO_TFUNCTION) {
            coro_pushvalue(vm, idx);
            coro_call(vm, 1, 1);
            int isnum;
            int fd = (int)coro_tointegerx(vm, -1, &isnum);
            coro_pop(vm, 1);
            if (isnum && fd >= 0)
                return fd;
        } else {
            coro_pop(vm, 1);
        }
    }
    coro_typeerror(vm, idx, "descriptor, file or socket");
}

static int fd_wait(coro_VM *vm, InstrKind kind)
{
    int fd = descriptor_of(vm, 1);
    double timeout = coro_optnumber(vm, 2, -1);
    SchedInstr *in = new_instr(vm, kind);
    in->fd = fd;
    in->seconds = timeout;
    return 1;
}

static int sched_readable(coro_VM *vm)
{
    return fd_wait(vm, INSTR_READABLE);
}

static int sched_writable(coro_VM *vm)
{
    return fd_wait(vm, INSTR_WRITABLE);
}

static int sched_suspend(coro_VM *vm)
{
    new_instr(vm, INSTR_SUSPEND);
    return 1;
}

static int sched_get_resume(coro_VM *vm)
{
    new_instr(vm, INSTR_GET_RESUME);
    return 1;
}

/* The function get_resume gives: wakes its task with its arguments. */
static int resume_function(coro_VM *vm)
{
    coro_pushvalue(vm, coro_upvalueindex(1));
    coro_insert(vm, 1);
    coro_getfield(vm, 1, "wake");
    coro_insert(vm, 1);
    coro_call(vm, coro_gettop(vm) - 1, 1);
    return 1;
}

static const char *instr_what(InstrKind kind)
{
    switch (kind) {
    case INSTR_SLEEP: return "sleep";
    case INSTR_READABLE: return "a readable descriptor";
    case INSTR_WRITABLE: return "a writable descriptor";
    case INSTR_SUSPEND: return "suspend (a wake)";
    case INSTR_GET_RESUME: return "get_resume";
    case INSTR_LOCK: return "lock acquire";
    case INSTR_SEMAPHORE: return "semaphore acquire";
    case INSTR_EVENT_WAIT: return "event wait";
    case INSTR_QUEUE_PUT: return "queue put";
    case INSTR_QUEUE_GET: return "queue get";
    case INSTR_WAITQUEUE: return "waitqueue wait";
    default: return "an instruction";
    }
}

Performed coro_sched_perform_instr(Sched *s, Task *t, int idx)
{
    coro_VM *vm = s->vm;
    SchedInstr *in = coro_touserdata(vm, idx);
    switch (in->kind) {
    case INSTR_SLEEP:
        if (in->seconds <= 0) {
            coro_sched_make_ready(s, t);
            return PERFORMED_QUEUED;
        }
        coro_timer_add(s, t, coro_sched_now() + in->seconds);
        coro_sched_block(s, t, WAIT_SLEEP, "sleep");
        return PERFORMED_BLOCKED;
    case INSTR_READABLE:
    case INSTR_WRITABLE:
        if (!coro_poll_add(s->poll, t, in->fd, in->kind == INSTR_READABLE ? CORO_POLLIN : CORO_POLLOUT)) {
            coro_pushstring(vm, "not enough memory");
            coro_task_set_values(s, t, 1);
            t->throw_pending = 1;
            return PERFORMED_NOW;
        }
        if (in->seconds >= 0)
            coro_timer_add(s, t, coro_sched_now() + in->seconds);
        coro_sched_block(s, t, WAIT_FD, instr_what((InstrKind)in->kind));
        return PERFORMED_BLOCKED;
    case INSTR_SUSPEND: {
        int n = coro_task_take_wake(vm, t);
        if (n >= 0) {
            coro_task_set_values(s, t, n);
            return PERFORMED_NOW;
        }
        coro_sched_block(s, t, WAIT_SUSPEND, "suspend (a wake)");
        return PERFORMED_BLOCKED;
    }
    case INSTR_GET_RESUME:
        coro_task_push(vm, t);
        coro_pushcclosure(vm, resume_function, 1);
        coro_task_set_values(s, t, 1);
        return PERFORMED_NOW;
    default:
        return coro_sync_perform(s, t, in, idx);
    }
}

static int instr_tostring(coro_VM *vm)
{
    SchedInstr *in = coro_checkudata(vm, 1, INSTR_NAME);
    coro_pushfstring(vm, "sched instruction (%s)", instr_what((InstrKind)in->kind));
    return 1;
}

static const coro_Reg instr_funcs[] = {
    { "sleep", sched_sleep },
    { "readable", sched_readable },
    { "writable", sched_writable },
    { "suspend", sched_suspend },
    { "get_resume", sched_get_resume },
    { NULL, NULL }
};

void coro_sched_open_instr(coro_VM *vm)
{
    if (coro_newmetatable(vm, INSTR_NAME)) {
        coro_pushcfunction(vm, instr_tostring);
        coro_setfield(vm, -2, "__tostring");
    }
    coro_pop(vm, 1);
    coro_setfuncs(vm, instr_funcs, 0);
}
