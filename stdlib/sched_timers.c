/*
 * sched_timers.c: the timer heap.
 *
 * A binary min-heap ordered by (deadline, sequence): the sequence keeps
 * timers with equal deadlines in the order they were set, so output stays
 * deterministic.  Each task remembers its index, so removing a cancelled
 * sleeper is O(log n) like inserting one.
 */
#include "sched.h"
#include "mem.h"
#include "state.h"

static bool earlier(const Timer *a, const Timer *b)
{
    return a->deadline < b->deadline || (a->deadline == b->deadline && a->seq < b->seq);
}

static void place(Sched *s, int i, Timer t)
{
    s->timers[i] = t;
    t.task->timer_index = i;
}

static void sift_up(Sched *s, int i)
{
    Timer t = s->timers[i];
    while (i > 0) {
        int parent = (i - 1) / 2;
        if (!earlier(&t, &s->timers[parent]))
            break;
        place(s, i, s->timers[parent]);
        i = parent;
    }
    place(s, i, t);
}

static void sift_down(Sched *s, int i)
{
    Timer t = s->timers[i];
    int n = s->ntimers;
    for (;;) {
        int child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && earlier(&s->timers[child + 1], &s->timers[child]))
            child++;
        if (!earlier(&s->timers[child], &t))
            break;
        place(s, i, s->timers[child]);
        i = child;
    }
    place(s, i, t);
}

void coro_timer_add(Sched *s, Task *t, double deadline)
{
    if (t->timer_index >= 0)
        coro_timer_remove(s, t);
    if (s->ntimers >= s->timers_cap)
        s->timers = coro_mem_grow(s->vm, s->timers, &s->timers_cap, s->ntimers + 1,
                                  sizeof(Timer), INT32_MAX / 64, "timers");
    Timer timer = { deadline, s->timer_seq++, t };
    t->deadline = deadline;
    int i = s->ntimers++;
    s->timers[i] = timer;
    t->timer_index = i;
    sift_up(s, i);
}

void coro_timer_remove(Sched *s, Task *t)
{
    int i = t->timer_index;
    if (i < 0)
        return;
    t->timer_index = -1;
    int last = --s->ntimers;
    if (i == last)
        return;
    place(s, i, s->timers[last]);
    if (i > 0 && earlier(&s->timers[i], &s->timers[(i - 1) / 2]))
        sift_up(s, i);
    else
        sift_down(s, i);
}

double coro_timer_next(Sched *s)
{
    if (s->ntimers == 0)
        return -1;
    double d = s->timers[0].deadline - coro_sched_now();
    return d < 0 ? 0 : d;
}

Task *coro_timer_pop_due(Sched *s, double now)
{
    if (s->ntimers == 0 || s->timers[0].deadline > now)
        return NULL;
    Task *t = s->timers[0].task;
    coro_timer_remove(s, t);
    return t;
}

void coro_timers_free(Sched *s)
{
    coro_mem_free(s->vm, s->timers, sizeof(Timer) * (size_t)s->timers_cap);
    s->timers = NULL;
    s->ntimers = s->timers_cap = 0;
}
