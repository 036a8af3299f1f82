/*
 * repl.h: the pieces of the read-eval-print loop (cli/repl*.c).
 *
 * The loop (repl.c) reads a chunk, line by line until the parser stops
 * asking for more, and hands it to the evaluator (repl_eval.c), which
 * prints results with the value printer (repl_print.c).  Lines starting
 * with ':' and a letter are commands (repl_cmd.c); no Lua statement can
 * start that way (a label starts with "::").
 *
 * The scheduler keeps running while the REPL waits for input: the input
 * side (repl_input.c) never blocks in a read, it waits with poll() on
 * standard input together with the descriptors and the next timer of
 * the scheduler (repl_wait.c), and runs a scheduler step whenever those
 * are due.  Ctrl-C sets a flag (repl_signal.c) that a count hook turns
 * into an "interrupted" error inside whatever script code is running.
 */
#ifndef CORO_REPL_H
#define CORO_REPL_H

#include <stdbool.h>
#include <stddef.h>

#include "coro.h"

/* ---- repl_signal.c: Ctrl-C, window size changes, the count hook ---------- */

/* What script code runs at the moment, for the count hook: the user's
 * own line (Ctrl-C stops it at once), or background tasks the REPL runs
 * while it waits for input (stopped only if they keep the REPL busy). */
enum { CORO_REPL_IDLE, CORO_REPL_EVAL, CORO_REPL_BACKGROUND };

/* Installs the SIGINT/SIGWINCH/SIGCONT handlers and the count hook. */
void coro_repl_signals_install(coro_VM *vm);
void coro_repl_signals_restore(coro_VM *vm);
/* With keep false, SIGINT has its default effect while the REPL waits for
 * input (the piped mode: Ctrl-C ends the session, as in Lua). */
void coro_repl_sigint_while_reading(bool keep);
void coro_repl_set_activity(int activity);
/* Whether Ctrl-C was pressed since the last call (clears it). */
bool coro_repl_take_interrupt(void);
bool coro_repl_interrupt_seen(void);
bool coro_repl_take_winch(void);
bool coro_repl_take_cont(void);

/* ---- repl_wait.c: waiting on standard input and the scheduler at once ---- */

enum { CORO_WAIT_INPUT = 1, CORO_WAIT_SCHED = 0, CORO_WAIT_NEVER = -1 };
/* Waits until fd (or -1 for none) is readable, a timer or descriptor of
 * the scheduler is due, a task is ready, or a signal arrives.  Returns
 * CORO_WAIT_INPUT if fd is readable, CORO_WAIT_SCHED otherwise, or
 * CORO_WAIT_NEVER when nothing at all could ever wake it. */
int coro_repl_wait(coro_VM *vm, int fd);
/* Runs one scheduler step without waiting, as `activity` (for Ctrl-C);
 * reports a scheduler error. */
void coro_repl_sched_step(coro_VM *vm, int activity);

/* ---- repl_input.c: lines from the terminal (edited) or a pipe ------------ */

typedef struct coro_ReplInput coro_ReplInput;
enum { CORO_INPUT_LINE, CORO_INPUT_EOF, CORO_INPUT_INTERRUPT };

coro_ReplInput *coro_repl_input_open(coro_VM *vm, bool tty);
void coro_repl_input_close(coro_ReplInput *in);
/* Reads a line (without its newline) into *line (malloc'd).  Runs the
 * scheduler while it waits.  Returns CORO_INPUT_LINE, CORO_INPUT_EOF or
 * CORO_INPUT_INTERRUPT (Ctrl-C: the line was dropped). */
int coro_repl_input_read(coro_ReplInput *in, const char *prompt, char **line);
/* Records a line in the history (terminal only). */
void coro_repl_input_remember(coro_ReplInput *in, const char *line);
/* Whether lines are edited with libedit (for :help). */
bool coro_repl_input_edits(coro_ReplInput *in);

/* ---- repl_print.c: showing values --------------------------------------- */

/* Writes the n values on top of the stack (popped) to standard output,
 * tab-separated on one line: tables as literals, strings inside tables
 * quoted, anything with __tostring through it.  Returns CORO_OK, or an
 * error status with the message (and traceback) on top. */
int coro_repl_print_values(coro_VM *vm, int n);

/* ---- repl_eval.c: compiling and running what was typed ------------------- */

enum { CORO_CHUNK_OK, CORO_CHUNK_INCOMPLETE, CORO_CHUNK_ERROR };
/* Compiles code, first as "return <code>" so that an expression's values
 * print.  CORO_CHUNK_OK pushes the function; CORO_CHUNK_ERROR pushes the
 * message; CORO_CHUNK_INCOMPLETE (the parser stopped at the end of the
 * input) pushes nothing. */
int coro_repl_compile(coro_VM *vm, const char *code, size_t len);
/* Runs the compiled chunk on top (popped) and prints its values or its
 * error.  A chunk with `await` at its top level runs as a task while
 * the scheduler runs, until it finishes. */
void coro_repl_run(coro_VM *vm);
/* Prints the error message on top (popped) to standard error. */
void coro_repl_report(coro_VM *vm);

/* ---- repl_cmd.c: the ':' commands ----------------------------------------- */

/* Whether line is a command (':' then a letter, after blanks). */
bool coro_repl_is_command(const char *line);
/* Runs it; returns false for :quit. */
bool coro_repl_command(coro_VM *vm, coro_ReplInput *in, const char *line);

#endif
