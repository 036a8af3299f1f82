/*
 * alloc_fail.c: fails allocations one by one and checks that the VM fails
 * cleanly every time.
 *
 *   alloc_fail WORKLOAD.coro [EVERY [FIRST [MODE]]]
 *
 * For N = 1, 2, 3, ... a fresh VM, whose allocator refuses the Nth
 * allocation (any call that allocates, grows or shrinks a block: the
 * allocator's contract in coro.h lets any of them fail), is created, opens every library, compiles the workload and
 * runs it (the workload drives the scheduler itself), until N is past the
 * last allocation the whole thing makes.  Every N is run twice: once with
 * only the Nth allocation failing, once with every allocation from the
 * Nth on failing (which exercises the error paths' own allocations).
 * EVERY > 1 runs only every EVERY-th N, for slow builds; FIRST starts
 * from another N and MODE (single or rest) runs one of the two, to study
 * a failure.  A run that takes more than a minute counts as a hang.
 *
 * Each run must end in one of two ways: the workload's result (the same
 * checksum as without failures), or the error "not enough memory" from
 * the step the failure hit.  Afterwards, with allocations allowed again,
 * the VM must run a small chunk, the bytes it says it holds must be what
 * the allocator handed out, and freeing it must give back every byte.  A
 * crash is left for the sanitizers (and the shell) to report.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coro.h"

typedef struct Injector {
    long count;         /* allocations (and reallocations) so far */
    long fail_at;       /* the first one to refuse; 0: none */
    int fail_rest;      /* refuse every one from fail_at on */
    int armed;
    long injected;      /* refusals made */
    size_t live;        /* bytes handed out and not yet freed */
} Injector;

static void *injecting_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    Injector *in = ud;
    size_t held = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        in->live -= held;
        return NULL;
    }
    in->count++;
    if (in->armed && in->fail_at > 0 &&
        (in->count == in->fail_at || (in->fail_rest && in->count > in->fail_at))) {
        in->injected++;
        return NULL;
    }
    void *fresh = realloc(ptr, nsize);
    if (fresh)
        in->live = in->live - held + nsize;
    return fresh;
}

static const char *source;
static size_t source_len;
static coro_Integer expected;

typedef struct Totals {
    long runs, injected, succeeded, no_memory, deadlocked, no_vm;
    long in_libs, in_compile, in_run;   /* where the failures that stopped a run landed */
} Totals;

static volatile long current_n;
static volatile int current_rest;

static void on_alarm(int sig)
{
    (void)sig;
    char msg[120];
    int len = snprintf(msg, sizeof msg, "alloc_fail: allocation %ld%s: the run hangs\n",
                       (long)current_n, current_rest ? " and after" : "");
    if (write(2, msg, (size_t)len) < 0)
        _exit(2);
    _exit(1);
}

static int keep_going;      /* ALLOC_FAIL_KEEP_GOING: report all, exit at the end */
static long problems;
static const char *run_errors;  /* the run's standard error, shown with a problem */

static void fail(long n, int rest, const char *what, const char *detail)
{
    fprintf(stderr, "alloc_fail: allocation %ld%s: %s%s%s\n", n,
            rest ? " and after" : "", what, detail ? ": " : "", detail ? detail : "");
    if (run_errors && run_errors[0])
        fprintf(stderr, "alloc_fail: the run's standard error:\n%s", run_errors);
    problems++;
    if (!keep_going)
        exit(1);
}

/* The message of an error status must be exactly "not enough memory"
 * (a traceback may follow it). */
static void check_no_memory(coro_VM *vm, long n, int rest, const char *step, int status)
{
    const char *msg = coro_tostring(vm, -1);
    size_t len = strlen("not enough memory");
    if (!msg || strncmp(msg, "not enough memory", len) != 0 || (msg[len] && msg[len] != '\n')) {
        char detail[300];
        snprintf(detail, sizeof detail, "status %d, %.250s", status, msg ? msg : "(not a string)");
        fail(n, rest, step, detail);
    }
}

/* What the VM's standard error received during a run: the scheduler
 * reports there the tasks that failed with nobody awaiting them. */
static FILE *capture;
static int saved_stderr = -1;

static void capture_begin(void)
{
    fflush(stderr);
    if (!capture && !(capture = tmpfile())) {
        perror("alloc_fail: tmpfile");
        exit(2);
    }
    rewind(capture);
    if (ftruncate(fileno(capture), 0) != 0 || (saved_stderr = dup(2)) < 0 ||
        dup2(fileno(capture), 2) < 0) {
        perror("alloc_fail: capturing stderr");
        exit(2);
    }
}

static const char *capture_end(void)
{
    static char text[8192];
    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    rewind(capture);
    size_t n = fread(text, 1, sizeof text - 1, capture);
    text[n] = '\0';
    return text;
}

/* Code run after the failure, with allocations allowed again: the VM
 * must still work, and the scheduler must not be left wedged (tasks the
 * failed run left blocked make a deadlock, which is fair). */
static const char *const after =
    "local t = {} for i = 1, 100 do t[i] = i .. '' end\n"
    "if not sched then return #t end  -- the failure came before it opened\n"
    "if sched.current() ~= nil then error('still inside a task') end\n"
    "local ok, r = pcall(sched.run, function() return #t end)\n"
    "if ok and r == 100 or r == 'deadlock' then return 100 end\n"
    "error(r, 0)\n";

/* Runs the whole program once; returns the allocations it made. */
static long run_once(long n, int rest, Totals *tot)
{
    Injector in = { 0, n, rest, 1, 0, 0 };
    current_n = n;
    current_rest = rest;
    alarm(60);
    coro_Config cfg;
    coro_config_init(&cfg);
    cfg.alloc = injecting_alloc;
    cfg.alloc_ud = &in;
    tot->runs++;

    coro_VM *vm = coro_new(&cfg);
    if (!vm) {
        if (in.injected == 0)
            fail(n, rest, "coro_new failed with memory to spare", NULL);
        if (in.live != 0)
            fail(n, rest, "coro_new failed and kept memory", NULL);
        tot->injected += in.injected;
        tot->no_vm++;
        return in.count;
    }
    const char *step = "opening the libraries";
    capture_begin();
    int status = coro_open_libs(vm);
    if (status == CORO_OK) {
        step = "compiling";
        status = coro_load(vm, source, source_len, "@workload.coro", "t");
    }
    if (status == CORO_OK) {
        step = "running";
        status = coro_pcall_traceback(vm, 0, 1);
    }
    const char *errors = run_errors = capture_end();
    const char *msg = status == CORO_OK ? NULL : coro_tostring(vm, -1);
    if (status == CORO_OK) {
        if (coro_tointeger(vm, -1) != expected)
            fail(n, rest, "the workload finished with a different result", coro_tostring(vm, -1));
        tot->succeeded++;
    } else if (msg && strncmp(msg, "deadlock", 8) == 0 && coro_sched_failures(vm) > 0 &&
               strstr(errors, " failed: not enough memory")) {
        /* A task died of it before it could run any code of its own
         * (nothing can catch that), its failure was reported, and what
         * waited for it waits forever. */
        tot->deadlocked++;
    } else {
        check_no_memory(vm, n, rest, step, status);
        tot->no_memory++;
        *(step[0] == 'o' ? &tot->in_libs : step[0] == 'c' ? &tot->in_compile : &tot->in_run) += 1;
    }
    long count = in.count;
    tot->injected += in.injected;

    in.armed = 0;
    coro_settop(vm, 0);
    capture_begin();
    status = coro_dostring(vm, after);
    run_errors = capture_end();
    if (status != CORO_OK || coro_tointeger(vm, -1) != 100)
        fail(n, rest, "the VM cannot run code after the failure", coro_tostring(vm, -1));
    run_errors = NULL;
    coro_settop(vm, 0);
    if (coro_memory_used(vm) != in.live) {
        char detail[100];
        snprintf(detail, sizeof detail, "it says %zu, the allocator gave %zu",
                 coro_memory_used(vm), in.live);
        fail(n, rest, "the VM's count of its memory is wrong", detail);
    }
    coro_free(vm);
    if (in.live != 0) {
        char detail[60];
        snprintf(detail, sizeof detail, "%zu bytes", in.live);
        fail(n, rest, "memory leaked after coro_free", detail);
    }
    return count;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[1 << 20];
    *len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: alloc_fail WORKLOAD.coro [EVERY]\n");
        return 2;
    }
    long every = argc > 2 ? atol(argv[2]) : 1;
    long first = argc > 3 ? atol(argv[3]) : 1;
    const char *mode = argc > 4 ? argv[4] : "both";
    if (every < 1)
        every = 1;
    if (first < 1)
        first = 1;
    signal(SIGALRM, on_alarm);
    keep_going = getenv("ALLOC_FAIL_KEEP_GOING") != NULL;
    source = read_file(argv[1], &source_len);
    if (!source) {
        fprintf(stderr, "alloc_fail: cannot read %s\n", argv[1]);
        return 2;
    }

    /* The reference run, without failures, gives the result and the
     * number of allocations to go through. */
    Injector probe = { 0 };
    coro_Config cfg;
    coro_config_init(&cfg);
    cfg.alloc = injecting_alloc;
    cfg.alloc_ud = &probe;
    coro_VM *vm = coro_new(&cfg);
    if (!vm || coro_open_libs(vm) != CORO_OK ||
        coro_load(vm, source, source_len, "@workload.coro", "t") != CORO_OK ||
        coro_pcall_traceback(vm, 0, 1) != CORO_OK) {
        fprintf(stderr, "alloc_fail: the workload fails without any failure injected: %s\n",
                vm ? coro_tostring(vm, -1) : "no VM");
        return 1;
    }
    expected = coro_tointeger(vm, -1);
    coro_free(vm);

    Totals tot = { 0 };
    long last = 0;
    for (int rest = 0; rest <= 1; rest++) {
        if ((rest && strcmp(mode, "single") == 0) || (!rest && strcmp(mode, "rest") == 0))
            continue;
        for (long n = first;; n += every) {
            long made = run_once(n, rest, &tot);
            if (made > last)
                last = made;
            if (made < n)
                break;      /* the Nth allocation never came */
        }
    }
    printf("alloc_fail: %ld runs over %ld allocations, %ld failures injected: "
           "%ld ended with \"not enough memory\", %ld with a task's failure and a deadlock, "
           "%ld finished (failure absorbed), %ld could not create the VM\n",
           tot.runs, last, tot.injected, tot.no_memory, tot.deadlocked, tot.succeeded, tot.no_vm);
    printf("alloc_fail: \"not enough memory\" from opening the libraries %ld times, "
           "compiling %ld, running %ld\n", tot.in_libs, tot.in_compile, tot.in_run);
    return problems > 0;
}
