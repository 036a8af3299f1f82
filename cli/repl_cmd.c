/*
 * repl_cmd.c: the REPL's own commands, lines starting with ':' and a
 * letter (Lua code cannot start that way: a label starts with "::").
 *
 * :tasks and :disasm need what the public API does not give (the list of
 * live tasks with what each waits on; a function's prototype), so they
 * read the VM's internal structures, read-only.  Only this file and the
 * AWAIT test in repl_eval.c do.
 */
#include <stdio.h>
#include <string.h>

#include "repl.h"
#include "api.h"
#include "disasm.h"
#include "sched.h"
#include "state.h"
#include "value.h"

#define TASK_METATABLE "sched.task"

static const char *skip_blanks(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

bool coro_repl_is_command(const char *line)
{
    line = skip_blanks(line);
    return line[0] == ':' && ((line[1] >= 'a' && line[1] <= 'z') || (line[1] >= 'A' && line[1] <= 'Z'));
}

static void help(coro_ReplInput *in)
{
    printf("Type Coro code: an expression prints its values, a statement runs.\n"
           "Input that is not finished (an open 'do', 'function', '(' ...) continues\n"
           "on the next line under the '>> ' prompt.  Globals last for the session;\n"
           "locals last for one input, as in Lua.\n"
           "\n"
           "  await e         at the top level: runs the scheduler until e completes\n"
           "                  and prints its values (other tasks run meanwhile)\n"
           "  sched.spawn(f)  starts a task that keeps running while you type\n"
           "\n"
           "Commands:\n"
           "  :help           this text\n"
           "  :tasks          live tasks: id, status, what they wait on, where they are\n"
           "  :disasm EXPR    the bytecode of a function\n"
           "  :quit           leave (so does Ctrl-D)\n");
    if (coro_repl_input_edits(in))
        printf("\nCtrl-C interrupts a running computation or clears the line.\n"
               "Editing keys are Emacs-like; Up and Down walk the history (~/.coro_history).\n");
    else
        printf("\nCtrl-C interrupts a running computation.\n");
}

/* ---- :tasks --------------------------------------------------------------- */

/* "stdin:3" out of a coroutine's tostring, "thread: 0x... (suspended at stdin:3)". */
static void coroutine_position(coro_VM *vm, int idx, char *buf, size_t size)
{
    snprintf(buf, size, "-");
    if (coro_type(vm, idx) != CORO_TTHREAD)
        return;
    const char *s = coro_tolstring_meta(vm, idx, NULL);
    const char *at = s ? strstr(s, " at ") : NULL;
    if (at) {
        at += 4;
        size_t n = strcspn(at, ")");
        snprintf(buf, size, "%.*s", (int)n, at);
    }
    coro_pop(vm, 1);
}

static void task_waits_on(coro_VM *vm, Task *t, int task, char *buf, size_t size)
{
    buf[0] = '\0';
    if (t->state != TASK_BLOCKED)
        return;
    const char *what = t->wait_what ? t->wait_what : "?";
    if (t->wait == WAIT_SLEEP) {
        double left = t->deadline - coro_sched_now();
        if (left < 0)
            left = 0;
        snprintf(buf, size, left < 10 ? "sleep (%.1f s left)" : "sleep (%.0f s left)", left);
        return;
    }
    coro_getiuservalue(vm, task, TASK_UV_WAITING);
    Task *other = coro_testudata(vm, -1, TASK_METATABLE);
    if (other)
        snprintf(buf, size, "task %lld", (long long)other->id);
    else
        snprintf(buf, size, "%s", what);
    coro_pop(vm, 1);
}

static void show_task(coro_VM *vm, Task *t)
{
    coro_task_push(vm, t);
    int task = coro_gettop(vm);
    coro_getfield(vm, task, "status");
    coro_pushvalue(vm, task);
    const char *status = "?";
    if (coro_pcall(vm, 1, 1, 0) == CORO_OK && coro_type(vm, -1) == CORO_TSTRING)
        status = coro_tostring(vm, -1);
    char waits[96], where[128], spawned[160];
    task_waits_on(vm, t, task, waits, sizeof waits);
    coro_getiuservalue(vm, task, TASK_UV_CO);
    coroutine_position(vm, -1, where, sizeof where);
    coro_pop(vm, 1);
    if (t->spawned_by)
        snprintf(spawned, sizeof spawned, "spawned at %s by task %lld", t->spawned_at,
                 (long long)t->spawned_by);
    else
        snprintf(spawned, sizeof spawned, "spawned at %s", t->spawned_at);
    printf("%4lld  %-9s  %-22s  %s (%s)\n", (long long)t->id, status, waits, where, spawned);
    coro_settop(vm, task - 1);
}

static void tasks(coro_VM *vm)
{
    Sched *s = vm->sched;
    if (!s || !s->alive_head) {
        printf("no tasks\n");
        return;
    }
    printf("%4s  %-9s  %-22s  %s\n", "id", "status", "waits on", "at");
    for (Task *t = s->alive_head; t; t = t->alive_next)
        show_task(vm, t);
}

/* ---- :disasm ---------------------------------------------------------------- */

static void disasm(coro_VM *vm, const char *expr)
{
    expr = skip_blanks(expr);
    if (!*expr) {
        printf("usage: :disasm EXPR   (a function, e.g. :disasm gen)\n");
        return;
    }
    int base = coro_gettop(vm);
    coro_pushstring(vm, "return ");
    coro_pushstring(vm, expr);
    coro_concat(vm, 2);
    size_t len;
    const char *code = coro_tolstring(vm, -1, &len);
    int status = coro_load(vm, code, len, "=stdin", "t") == CORO_OK ? CORO_CHUNK_OK : CORO_CHUNK_ERROR;
    coro_remove(vm, -2);
    if (status == CORO_CHUNK_OK) {
        coro_repl_set_activity(CORO_REPL_EVAL);
        status = coro_pcall_traceback(vm, 0, 1) == CORO_OK ? CORO_CHUNK_OK : CORO_CHUNK_ERROR;
        coro_repl_set_activity(CORO_REPL_IDLE);
    }
    if (status != CORO_CHUNK_OK) {
        coro_repl_report(vm);
        coro_settop(vm, base);
        return;
    }
    Value *v = coro_api_slot(vm, -1);
    if (is_lclosure(v)) {
        fflush(stdout);
        coro_disasm(stdout, as_lclosure(v)->proto);
    } else if (coro_type(vm, -1) == CORO_TFUNCTION) {
        printf(":disasm: a builtin function has no bytecode\n");
    } else if (coro_type(vm, -1) == CORO_TTHREAD) {
        printf(":disasm: a coroutine; disassemble the function that made it\n");
    } else {
        printf(":disasm: not a function (a %s value)\n", coro_typename(vm, coro_type(vm, -1)));
    }
    coro_settop(vm, base);
}

/* ---- dispatch ----------------------------------------------------------------- */

static bool is_name(const char *word, size_t len, const char *name)
{
    return strlen(name) == len && memcmp(word, name, len) == 0;
}

bool coro_repl_command(coro_VM *vm, coro_ReplInput *in, const char *line)
{
    line = skip_blanks(line) + 1;
    size_t len = strcspn(line, " \t");
    const char *rest = line + len;
    bool go_on = true;
    if (is_name(line, len, "help") || is_name(line, len, "h")) {
        help(in);
    } else if (is_name(line, len, "tasks")) {
        tasks(vm);
    } else if (is_name(line, len, "disasm")) {
        disasm(vm, rest);
    } else if (is_name(line, len, "quit") || is_name(line, len, "q") || is_name(line, len, "exit")) {
        go_on = false;
    } else {
        printf("unknown command :%.*s (:help lists them)\n", (int)len, line);
    }
    fflush(stdout);
    return go_on;
}
