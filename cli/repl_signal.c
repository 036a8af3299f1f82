/*
 * repl_signal.c: Ctrl-C in the REPL.
 *
 * A signal handler may not touch the VM, so SIGINT only sets flags; the
 * VM's count hook (run every HOOK_EVERY calls and backward jumps) turns a
 * pending interrupt into the error "interrupted" inside the script code
 * that is running, which unwinds to the REPL like any error and leaves
 * the session as it was.  Code that is not running (the REPL waiting in
 * poll) sees the flag when poll returns EINTR.
 *
 * The flags are the only process-wide state of the command: a signal
 * cannot be delivered to one VM, and there is one REPL per process.
 */
#include <signal.h>
#include <string.h>
#include <time.h>

#include "repl.h"

#define HOOK_EVERY 1000
/* A background task that keeps the REPL from reading input for this long
 * is stopped by Ctrl-C; a shorter one is left alone (the Ctrl-C was meant
 * for the line being typed). */
#define RUNAWAY_SECONDS 0.3

static volatile sig_atomic_t sigint_seen;     /* for the REPL's own loops */
static volatile sig_atomic_t sigint_pending;  /* for the hook: not yet raised */
static volatile sig_atomic_t sigwinch_seen;
static volatile sig_atomic_t sigcont_seen;
static int activity = CORO_REPL_IDLE;
static double activity_since;
static struct sigaction old_int, old_winch, old_cont;
static bool int_installed;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void on_sigint(int sig)
{
    (void)sig;
    sigint_seen = 1;
    sigint_pending = 1;
}

static void on_sigwinch(int sig)
{
    (void)sig;
    sigwinch_seen = 1;
}

static void on_sigcont(int sig)
{
    (void)sig;
    sigcont_seen = 1;
}

static void hook(coro_VM *vm)
{
    if (!sigint_pending || activity == CORO_REPL_IDLE)
        return;
    if (activity == CORO_REPL_BACKGROUND && now() - activity_since < RUNAWAY_SECONDS)
        return;
    /* Once per Ctrl-C: a script that catches the error gets to go on, and
     * another Ctrl-C stops it again.  A runaway background task takes the
     * Ctrl-C for itself: the line being typed stays. */
    sigint_pending = 0;
    if (activity == CORO_REPL_BACKGROUND)
        sigint_seen = 0;
    coro_where(vm, 0);      /* level 0: the script function running now */
    coro_pushstring(vm, "interrupted");
    coro_concat(vm, 2);
    coro_error(vm);
}

/* SIGINT without SA_RESTART: a blocking read (the REPL's, or io.read in
 * a script) returns EINTR, so Ctrl-C is noticed at once.  The others
 * restart: resizing the window must not make a script's read fail (poll,
 * where the REPL waits, returns EINTR either way). */
static void handle(int sig, void (*fn)(int), bool restart, struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, old);
}

void coro_repl_signals_install(coro_VM *vm)
{
    handle(SIGINT, on_sigint, false, &old_int);
    int_installed = true;
    handle(SIGWINCH, on_sigwinch, true, &old_winch);
    handle(SIGCONT, on_sigcont, true, &old_cont);
    coro_sethook(vm, hook, HOOK_EVERY);
}

void coro_repl_signals_restore(coro_VM *vm)
{
    coro_sethook(vm, NULL, 0);
    if (int_installed)
        sigaction(SIGINT, &old_int, NULL);
    int_installed = false;
    sigaction(SIGWINCH, &old_winch, NULL);
    sigaction(SIGCONT, &old_cont, NULL);
}

void coro_repl_sigint_while_reading(bool keep)
{
    if (keep && !int_installed) {
        handle(SIGINT, on_sigint, false, NULL);
        int_installed = true;
    } else if (!keep && int_installed) {
        sigaction(SIGINT, &old_int, NULL);
        int_installed = false;
    }
}

void coro_repl_set_activity(int what)
{
    activity = what;
    activity_since = now();
}

bool coro_repl_take_interrupt(void)
{
    bool seen = sigint_seen;
    sigint_seen = 0;
    sigint_pending = 0;
    return seen;
}

bool coro_repl_interrupt_seen(void)
{
    return sigint_seen;
}

bool coro_repl_take_winch(void)
{
    bool seen = sigwinch_seen;
    sigwinch_seen = 0;
    return seen;
}

bool coro_repl_take_cont(void)
{
    bool seen = sigcont_seen;
    sigcont_seen = 0;
    return seen;
}
