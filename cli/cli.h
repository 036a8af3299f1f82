/*
 * cli.h: the pieces of the `coro` command.
 */
#ifndef CORO_CLI_H
#define CORO_CLI_H

#include <stdbool.h>

#include "coro.h"

enum { CLI_CHECK_ONLY, CLI_PRINT_AST };
/* Parses a file: reports errors, prints the tree for CLI_PRINT_AST. */
int coro_cli_check(const char *path, int what);
/* Compiles a file and lists its bytecode. */
int coro_cli_disasm(const char *path);

/* Runs the scheduler until no task is pending (after the main chunk). */
int coro_cli_finish_tasks(coro_VM *vm);
/* Whether a task failed with nobody awaiting it (exit status 1). */
int coro_cli_failed_tasks(coro_VM *vm);

/* The read-eval-print loop (terminal or pipe). */
void coro_cli_repl(coro_VM *vm);

#endif
