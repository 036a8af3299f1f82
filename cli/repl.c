/*
 * repl.c: the read-eval-print loop (see repl.h for how the parts fit).
 *
 * On a terminal: prompts "> " and ">> ", line editing, history, Ctrl-C
 * to interrupt or to drop the line, Ctrl-D (or :quit) to leave.  With
 * standard input not a terminal: no prompts and no banner, so a pipe can
 * drive it and only the results come out; when the input ends, tasks
 * still alive run to completion, as after a script.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "repl.h"

typedef struct Chunk {
    char *code;
    size_t len, cap;
} Chunk;

static bool chunk_add(Chunk *c, const char *line)
{
    size_t n = strlen(line);
    size_t need = c->len + n + 2;
    if (need > c->cap) {
        size_t cap = c->cap ? c->cap : 256;
        while (cap < need)
            cap *= 2;
        char *grown = realloc(c->code, cap);
        if (!grown)
            return false;
        c->code = grown;
        c->cap = cap;
    }
    if (c->len > 0)
        c->code[c->len++] = '\n';
    memcpy(c->code + c->len, line, n);
    c->len += n;
    c->code[c->len] = '\0';
    return true;
}

static bool blank(const char *s)
{
    return s[strspn(s, " \t\r")] == '\0';
}

enum { READ_CHUNK, READ_COMMAND, READ_NOTHING, READ_EOF };

/* Reads lines until they make a complete chunk (compiled, on top of the
 * stack) or a command (its line in *command). */
static int read_chunk(coro_VM *vm, coro_ReplInput *in, char **command)
{
    Chunk c = { NULL, 0, 0 };
    const char *prompt = "> ";
    for (;;) {
        char *line;
        int r = coro_repl_input_read(in, prompt, &line);
        if (r == CORO_INPUT_INTERRUPT) {
            free(c.code);
            return READ_NOTHING;
        }
        if (r == CORO_INPUT_EOF) {
            if (c.len == 0) {
                free(c.code);
                return READ_EOF;
            }
            /* The input ended inside a statement: say what was missing.
             * On a terminal, Ctrl-D there only drops the statement (the
             * next read waits again); a pipe ends with its next read. */
            if (coro_load(vm, c.code, c.len, "=stdin", "t") != CORO_OK)
                coro_repl_report(vm);
            else
                coro_pop(vm, 1);
            free(c.code);
            return READ_NOTHING;
        }
        coro_repl_input_remember(in, line);
        if (c.len == 0 && coro_repl_is_command(line)) {
            free(c.code);
            *command = line;
            return READ_COMMAND;
        }
        if (c.len == 0 && blank(line)) {
            free(line);
            return READ_NOTHING;
        }
        bool ok = chunk_add(&c, line);
        free(line);
        if (!ok) {
            free(c.code);
            coro_pushstring(vm, "not enough memory for the input");
            coro_repl_report(vm);
            return READ_NOTHING;
        }
        int status = coro_repl_compile(vm, c.code, c.len);
        if (status == CORO_CHUNK_INCOMPLETE) {
            prompt = ">> ";
            continue;
        }
        free(c.code);
        if (status == CORO_CHUNK_ERROR) {
            coro_repl_report(vm);
            return READ_NOTHING;
        }
        return READ_CHUNK;
    }
}

void coro_cli_repl(coro_VM *vm)
{
    bool tty = isatty(STDIN_FILENO);
    coro_ReplInput *in = coro_repl_input_open(vm, tty);
    if (!in) {
        fprintf(stderr, "coro: not enough memory for the REPL\n");
        return;
    }
    if (tty) {
        printf("Type :help for help, Ctrl-D to leave.\n");
        fflush(stdout);
    }
    coro_repl_signals_install(vm);
    for (;;) {
        char *command = NULL;
        /* Piped: Ctrl-C while waiting for input ends the session, as in Lua. */
        coro_repl_sigint_while_reading(tty);
        int r = read_chunk(vm, in, &command);
        coro_repl_sigint_while_reading(true);
        if (r == READ_EOF)
            break;
        if (r == READ_COMMAND) {
            bool go_on = coro_repl_command(vm, in, command);
            free(command);
            if (!go_on)
                break;
        } else if (r == READ_CHUNK) {
            coro_repl_run(vm);
        }
    }
    coro_repl_input_close(in);
    coro_repl_signals_restore(vm);
    if (!tty)
        coro_cli_finish_tasks(vm);
}
