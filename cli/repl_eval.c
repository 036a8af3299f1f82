/*
 * repl_eval.c: compiling and running what was typed.
 *
 * A chunk is compiled first as "return <chunk>", so that an expression
 * prints its values, then as it is (Lua's REPL does the same).  It is
 * incomplete, and the REPL reads another line, when the parser ran into
 * the end of the input ("... near <eof>") in either form: "1 +" and
 * "for i = 1, 3 do" both ask for more.
 *
 * A chunk whose own code (not a function inside it) contains AWAIT runs
 * as a task: `await` needs a coroutine driven by the scheduler.  The REPL
 * spawns it and steps the scheduler until it finishes; the other tasks
 * run meanwhile.  A small wrapper written in Coro catches its error with
 * a traceback and keeps its results, because a task's own results and
 * error are not reachable from the public API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repl.h"
#include "api.h"
#include "object.h"
#include "opcodes.h"
#include "value.h"

#define CHUNKNAME "=stdin"

static const char await_wrapper[] =
    "local box, chunk, handler = ...\n"
    "local function keep(ok, ...)\n"
    "  box.ok, box.n, box.values = ok, select('#', ...), {...}\n"
    "end\n"
    "keep(xpcall(chunk, handler))\n"
    "box.finished = true\n";

/* The registry key of the compiled wrapper. */
static const char wrapper_key = 0;

static bool ends_at_eof(coro_VM *vm)
{
    size_t len;
    const char *msg = coro_tolstring(vm, -1, &len);
    static const char eof[] = "<eof>";
    size_t n = sizeof eof - 1;
    return msg && len >= n && memcmp(msg + len - n, eof, n) == 0;
}

int coro_repl_compile(coro_VM *vm, const char *code, size_t len)
{
    /* The line's own newline goes in too: then `"abc` is an unfinished
     * string near '"abc' (an error), and only `"abc\` (an escaped line
     * break) runs into the end and asks for more. */
    static const char ret[] = "return ";
    size_t rlen = sizeof ret - 1;
    char *buf = malloc(rlen + len + 2);
    if (!buf) {
        coro_pushstring(vm, "not enough memory");
        return CORO_CHUNK_ERROR;
    }
    memcpy(buf, ret, rlen);
    memcpy(buf + rlen, code, len);
    buf[rlen + len] = '\n';
    int status = coro_load(vm, buf, rlen + len + 1, CHUNKNAME, "t");
    if (status == CORO_OK) {
        free(buf);
        return CORO_CHUNK_OK;
    }
    bool more = status == CORO_ERRSYNTAX && ends_at_eof(vm);
    coro_pop(vm, 1);
    status = coro_load(vm, buf + rlen, len + 1, CHUNKNAME, "t");
    free(buf);
    if (status == CORO_OK)
        return CORO_CHUNK_OK;
    if (status == CORO_ERRSYNTAX && (more || ends_at_eof(vm))) {
        coro_pop(vm, 1);
        return CORO_CHUNK_INCOMPLETE;
    }
    return CORO_CHUNK_ERROR;
}

void coro_repl_report(coro_VM *vm)
{
    const char *msg = coro_tostring(vm, -1);
    char buf[64];
    if (!msg) {
        snprintf(buf, sizeof buf, "(error object is a %s value)", coro_typename(vm, coro_type(vm, -1)));
        msg = buf;
    }
    fflush(stdout);
    fprintf(stderr, "%s\n", msg);
    fflush(stderr);
    coro_pop(vm, 1);
}

/* Whether the function on top has AWAIT in its own code.  This reads the
 * prototype through internal headers: the API has no way to ask. */
static bool awaits_at_top(coro_VM *vm)
{
    Value *fn = coro_api_slot(vm, -1);
    if (!is_lclosure(fn))
        return false;
    const Proto *p = as_lclosure(fn)->proto;
    for (int i = 0; i < p->code_size; i++)
        if (GET_OP(p->code[i]) == OP_AWAIT)
            return true;
    return false;
}

static void run_plain(coro_VM *vm)
{
    int base = coro_gettop(vm) - 1;
    coro_repl_set_activity(CORO_REPL_EVAL);
    int status = coro_pcall_traceback(vm, 0, CORO_MULTRET);
    if (status == CORO_OK)
        status = coro_repl_print_values(vm, coro_gettop(vm) - base);
    coro_repl_set_activity(CORO_REPL_IDLE);
    if (status != CORO_OK)
        coro_repl_report(vm);
    coro_settop(vm, base);
    fflush(stdout);
}

/* Message handler of the wrapper's xpcall: message plus traceback, cut
 * where the wrapper's own frames begin, so that it reads like the
 * traceback of a line run directly. */
static int traceback_handler(coro_VM *vm)
{
    const char *msg = coro_tostring(vm, 1);
    if (!msg) {
        /* As for a line run directly: __tostring, or say what it was. */
        if (coro_getmetafield(vm, 1, "__tostring") != CORO_TNIL) {
            coro_pop(vm, 1);
            msg = coro_tolstring_meta(vm, 1, NULL);
        } else {
            msg = coro_pushfstring(vm, "(error object is a %s value)",
                                   coro_typename(vm, coro_type(vm, 1)));
        }
    }
    coro_traceback(vm, msg, 1);
    size_t len;
    const char *tb = coro_tolstring(vm, -1, &len);
    static const char wrapper_frame[] = "\n\t[C]: in function 'xpcall'";
    const char *cut = NULL;
    for (const char *at = strstr(tb, wrapper_frame); at; at = strstr(at + 1, wrapper_frame))
        cut = at;   /* the outermost one is the wrapper's */
    if (cut) {
        coro_pushlstring(vm, tb, (size_t)(cut - tb));
        coro_pushstring(vm, "\n\t[C]: in ?");
        coro_concat(vm, 2);
    }
    return 1;
}

/* The wrapper and its three arguments on the stack: spawns it. */
static int spawn_protected(coro_VM *vm)
{
    coro_sched_spawn(vm, 3);
    return 1;
}

static bool push_wrapper(coro_VM *vm)
{
    if (coro_rawgetp(vm, CORO_REGISTRYINDEX, &wrapper_key) == CORO_TFUNCTION)
        return true;
    coro_pop(vm, 1);
    if (coro_load(vm, await_wrapper, sizeof await_wrapper - 1, "=[repl]", "t") != CORO_OK)
        return false;
    coro_pushvalue(vm, -1);
    coro_rawsetp(vm, CORO_REGISTRYINDEX, &wrapper_key);
    return true;
}

/* Calls task:method() (a plain call: task methods do not yield). */
static void call_method(coro_VM *vm, int task, const char *method, int nresults)
{
    coro_getfield(vm, task, method);
    coro_pushvalue(vm, task);
    if (coro_pcall(vm, 1, nresults, 0) != CORO_OK) {
        coro_pop(vm, 1);
        for (int i = 0; i < nresults; i++)
            coro_pushnil(vm);
    }
}

static bool task_finished(coro_VM *vm, int task)
{
    call_method(vm, task, "status", 1);
    const char *s = coro_tostring(vm, -1);
    bool finished = !s || !(strcmp(s, "ready") == 0 || strcmp(s, "running") == 0 ||
                            strcmp(s, "blocked") == 0);
    coro_pop(vm, 1);
    return finished;
}

static bool box_flag(coro_VM *vm, int box, const char *field)
{
    coro_getfield(vm, box, field);
    bool set = coro_toboolean(vm, -1);
    coro_pop(vm, 1);
    return set;
}

/* Steps the scheduler until the task finishes, Ctrl-C is pressed, or
 * nothing can ever wake it.  Returns NULL, or why it stopped early. */
static const char *drive(coro_VM *vm, int task, int box)
{
    for (;;) {
        if (box_flag(vm, box, "finished") || task_finished(vm, task))
            return NULL;
        if (coro_repl_take_interrupt())
            return "interrupted";
        coro_repl_sched_step(vm, CORO_REPL_EVAL);
        if (box_flag(vm, box, "finished") || task_finished(vm, task))
            return NULL;
        if (coro_repl_interrupt_seen())
            continue;
        if (coro_repl_wait(vm, -1) == CORO_WAIT_NEVER)
            return "await: deadlock (no task can make progress)";
    }
}

static void run_as_task(coro_VM *vm)
{
    int base = coro_gettop(vm) - 1;
    if (!push_wrapper(vm)) {
        coro_repl_report(vm);
        coro_settop(vm, base);
        return;
    }
    coro_newtable(vm);                          /* box */
    int box = coro_gettop(vm);
    coro_pushcfunction(vm, spawn_protected);
    coro_pushvalue(vm, box - 1);                /* the wrapper */
    coro_pushvalue(vm, box);
    coro_pushvalue(vm, base + 1);               /* the chunk */
    coro_pushcfunction(vm, traceback_handler);
    if (coro_pcall(vm, 4, 1, 0) != CORO_OK) {
        coro_repl_report(vm);
        coro_settop(vm, base);
        return;
    }
    int task = coro_gettop(vm);

    coro_repl_set_activity(CORO_REPL_EVAL);
    const char *stopped = drive(vm, task, box);
    if (stopped && !task_finished(vm, task)) {
        call_method(vm, task, "cancel", 0);
        /* Let it unwind now rather than at some later step. */
        coro_repl_sched_step(vm, CORO_REPL_EVAL);
    }
    int status = CORO_OK;
    if (stopped) {
        coro_pushstring(vm, stopped);
        status = CORO_ERRRUN;
    } else if (!box_flag(vm, box, "finished")) {
        coro_pushstring(vm, "await: the task was cancelled");
        status = CORO_ERRRUN;
    } else if (!box_flag(vm, box, "ok")) {
        coro_getfield(vm, box, "values");
        coro_rawgeti(vm, -1, 1);
        coro_remove(vm, -2);
        status = CORO_ERRRUN;
    } else {
        coro_getfield(vm, box, "n");
        int n = (int)coro_tointeger(vm, -1);
        coro_pop(vm, 1);
        coro_getfield(vm, box, "values");
        coro_checkstack(vm, n + 1);
        for (int i = 1; i <= n; i++)
            coro_rawgeti(vm, -i, i);
        coro_remove(vm, -n - 1);
        status = coro_repl_print_values(vm, n);
    }
    coro_repl_set_activity(CORO_REPL_IDLE);
    if (status != CORO_OK)
        coro_repl_report(vm);
    coro_settop(vm, base);
    fflush(stdout);
}

void coro_repl_run(coro_VM *vm)
{
    /* A Ctrl-C belongs to the line it interrupted, not to the next. */
    coro_repl_take_interrupt();
    if (awaits_at_top(vm))
        run_as_task(vm);
    else
        run_plain(vm);
    coro_repl_take_interrupt();
}
