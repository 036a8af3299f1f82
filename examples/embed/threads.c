/*
 * threads.c: two VMs running at the same time on two threads.
 *
 * A VM has no global state: its heap, globals, scheduler and allocator
 * are its own.  So each thread may create and use its own VM with no
 * locking at all.  What is NOT allowed is using one VM from two threads
 * at once; hand results between threads as C data, as here.
 *
 * Each VM also gets its own allocator, which counts the bytes it holds:
 * after coro_free, every byte must have come back.
 *
 *   usage: threads        (link with -lpthread)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coro.h"

typedef struct Job {
    const char *name;
    const char *script;
    char result[160];   /* copied out of the VM before it is freed */
    size_t held;        /* bytes the allocator has handed out, not freed */
    size_t peak;
} Job;

/* The allocator: realloc/free plus accounting.  ud is the thread's Job,
 * touched only by that thread. */
static void *counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    Job *job = ud;
    if (nsize == 0) {
        if (ptr)
            job->held -= osize;
        free(ptr);
        return NULL;
    }
    void *fresh = realloc(ptr, nsize);
    if (!fresh)
        return NULL;    /* the VM raises "not enough memory" */
    job->held = job->held - (ptr ? osize : 0) + nsize;
    if (job->held > job->peak)
        job->peak = job->held;
    return fresh;
}

static void *run_job(void *arg)
{
    Job *job = arg;
    coro_Config cfg;
    coro_config_init(&cfg);
    cfg.alloc = counting_alloc;
    cfg.alloc_ud = job;
    coro_VM *vm = coro_new(&cfg);
    if (!vm) {
        snprintf(job->result, sizeof job->result, "cannot create a VM");
        return NULL;
    }
    int status = coro_open_libs(vm);
    if (status == CORO_OK)
        status = coro_load(vm, job->script, strlen(job->script), job->name, "t");
    if (status == CORO_OK)
        status = coro_pcall_traceback(vm, 0, 1);
    const char *s = coro_tostring(vm, -1);
    snprintf(job->result, sizeof job->result, "%s%s", status == CORO_OK ? "" : "error: ",
             s ? s : "(no result)");
    coro_free(vm);
    return NULL;
}

/* Both scripts set the same global, `who`: each VM has its own. */
static const char primes_script[] =
    "who = 'primes'\n"
    "local function primes()\n"
    "  return coroutine.wrap(function()\n"
    "    local n = 2\n"
    "    while true do\n"
    "      local prime = true\n"
    "      for d = 2, n - 1 do\n"
    "        if d * d > n then break end\n"
    "        if n % d == 0 then prime = false break end\n"
    "      end\n"
    "      if prime then yield n end\n"
    "      n = n + 1\n"
    "    end\n"
    "  end)\n"
    "end\n"
    "local count, last = 0, nil\n"
    "for p in primes() do\n"
    "  if p > 50000 then break end\n"
    "  count, last = count + 1, p\n"
    "end\n"
    "return who .. ': ' .. count .. ' below 50000, the last ' .. last\n";

static const char queue_script[] =
    "who = 'queue'\n"
    "local q = sched.queue(8)\n"
    "local total, items = 0, 0\n"
    "sched.run(function()\n"
    "  sched.spawn(function()\n"
    "    for i = 1, 20000 do await q:put(i) end\n"
    "    await q:put(false)\n"
    "  end)\n"
    "  while true do\n"
    "    local v = await q:get()\n"
    "    if not v then break end\n"
    "    total, items = total + v, items + 1\n"
    "  end\n"
    "end)\n"
    "return who .. ': ' .. items .. ' items through a queue, sum ' .. total\n";

int main(void)
{
    Job jobs[2] = {
        { .name = "=primes", .script = primes_script },
        { .name = "=queue", .script = queue_script },
    };
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) {
        if (pthread_create(&threads[i], NULL, run_job, &jobs[i]) != 0) {
            fprintf(stderr, "threads: cannot start a thread\n");
            return 1;
        }
    }
    for (int i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);

    /* Printed here, in a fixed order, once both are done. */
    int ok = 1;
    for (int i = 0; i < 2; i++) {
        printf("%s\n", jobs[i].result);
        printf("  all memory returned: %s\n", jobs[i].held == 0 ? "yes" : "NO");
        ok = ok && jobs[i].held == 0 && strncmp(jobs[i].result, "error", 5) != 0;
    }
    return ok ? 0 : 1;
}
