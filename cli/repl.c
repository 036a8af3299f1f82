/*
 * repl.c: the read-eval-print loop.
 *
 * A line is first tried as an expression ("return <line>") so that its
 * values print; otherwise as statements.  Input is incomplete when the
 * parser's error is at the end of the input: then more lines are read
 * under the ">> " prompt.  With standard input not a terminal there are
 * no prompts, so a pipe can drive it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MAX_INPUT (1 << 20)

static bool incomplete(coro_VM *vm, int status)
{
    if (status != CORO_ERRSYNTAX)
        return false;
    size_t len;
    const char *msg = coro_tolstring(vm, -1, &len);
    const char *eof = "<eof>";
    size_t n = strlen(eof);
    return msg && len >= n && strcmp(msg + len - n, eof) == 0;
}

static char *read_line(bool tty, const char *prompt)
{
    if (tty) {
        fputs(prompt, stdout);
        fflush(stdout);
    }
    size_t cap = 256, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    int c;
    while ((c = getchar()) != EOF && c != '\n') {
        if (n + 1 >= cap) {
            if (cap >= MAX_INPUT)
                break;
            cap *= 2;
            char *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                return NULL;
            }
            buf = grown;
        }
        buf[n++] = (char)c;
    }
    if (c == EOF && n == 0) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static void print_results(coro_VM *vm, int base)
{
    int n = coro_gettop(vm) - base;
    if (n <= 0)
        return;
    coro_getglobal(vm, "print");
    coro_insert(vm, base + 1);
    if (coro_pcall_traceback(vm, n, 0) != CORO_OK) {
        fprintf(stderr, "coro: %s\n", coro_tostring(vm, -1));
        coro_pop(vm, 1);
    }
}

/* Compiles the accumulated input; returns the status (function or error
 * on top). */
static int compile_input(coro_VM *vm, const char *code)
{
    char *ret = malloc(strlen(code) + 8);
    if (!ret)
        return CORO_ERRMEM;
    strcpy(ret, "return ");
    strcat(ret, code);
    int status = coro_load(vm, ret, strlen(ret), "=stdin", "t");
    free(ret);
    if (status == CORO_OK)
        return status;
    coro_pop(vm, 1);
    return coro_load(vm, code, strlen(code), "=stdin", "t");
}

void coro_cli_repl(coro_VM *vm)
{
    bool tty = isatty(STDIN_FILENO);
    char *line;
    while ((line = read_line(tty, "> ")) != NULL) {
        size_t cap = strlen(line) + 1;
        char *code = line;
        int status;
        for (;;) {
            status = compile_input(vm, code);
            if (!incomplete(vm, status))
                break;
            coro_pop(vm, 1);
            char *more = read_line(tty, ">> ");
            if (!more)
                break;
            size_t need = strlen(code) + strlen(more) + 2;
            if (need > cap) {
                char *grown = realloc(code, need);
                if (!grown) {
                    free(more);
                    break;
                }
                code = grown;
                cap = need;
            }
            strcat(code, "\n");
            strcat(code, more);
            free(more);
        }
        free(code);
        int base = coro_gettop(vm) - 1;
        if (status == CORO_OK)
            status = coro_pcall_traceback(vm, 0, CORO_MULTRET);
        if (status == CORO_OK) {
            print_results(vm, base);
        } else {
            fprintf(stderr, "%s\n", coro_tostring(vm, -1));
            fflush(stderr);
        }
        coro_settop(vm, base);
        fflush(stdout);
    }
    if (tty)
        fputc('\n', stdout);
}
