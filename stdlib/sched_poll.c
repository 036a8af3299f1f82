/*
 * sched_poll.c: waiting for descriptors with poll(2).
 *
 * poll has no FD_SETSIZE limit, and with one entry per waiting task the
 * arrays are what poll wants as they are.  Removing an entry moves the
 * last one into its place (each task knows its index), so adding and
 * removing are O(1) and a wait is O(waiting tasks).  Another backend
 * (epoll) would implement this same interface in its own file.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#include "sched.h"

struct PollSet {
    struct pollfd *fds;
    Task **tasks;
    int n, cap;
};

PollSet *coro_poll_new(void)
{
    PollSet *ps = calloc(1, sizeof *ps);
    return ps;
}

void coro_poll_free(PollSet *ps)
{
    if (!ps)
        return;
    free(ps->fds);
    free(ps->tasks);
    free(ps);
}

bool coro_poll_add(PollSet *ps, Task *t, int fd, short events)
{
    if (ps->n >= ps->cap) {
        int cap = ps->cap ? ps->cap * 2 : 16;
        struct pollfd *fds = realloc(ps->fds, sizeof *fds * (size_t)cap);
        if (!fds)
            return false;
        ps->fds = fds;
        Task **tasks = realloc(ps->tasks, sizeof *tasks * (size_t)cap);
        if (!tasks)
            return false;
        ps->tasks = tasks;
        ps->cap = cap;
    }
    int i = ps->n++;
    ps->fds[i].fd = fd;
    ps->fds[i].events = (short)(((events & CORO_POLLIN) ? POLLIN : 0) | ((events & CORO_POLLOUT) ? POLLOUT : 0));
    ps->fds[i].revents = 0;
    ps->tasks[i] = t;
    t->poll_index = i;
    return true;
}

void coro_poll_remove(PollSet *ps, Task *t)
{
    int i = t->poll_index;
    if (i < 0)
        return;
    t->poll_index = -1;
    int last = --ps->n;
    if (i != last) {
        ps->fds[i] = ps->fds[last];
        ps->tasks[i] = ps->tasks[last];
        ps->tasks[i]->poll_index = i;
    }
}

int coro_poll_count(PollSet *ps)
{
    return ps->n;
}

int coro_poll_wait(PollSet *ps, int timeout_ms, Sched *s, void (*ready)(Sched *s, Task *t))
{
    int rc = poll(ps->fds, (nfds_t)ps->n, timeout_ms);
    if (rc <= 0)
        return rc < 0 && errno != EINTR ? -1 : 0;
    /* Backwards: waking a task removes its entry by swapping the last in. */
    for (int i = ps->n - 1; i >= 0; i--) {
        if (i < ps->n && ps->fds[i].revents) {
            ps->fds[i].revents = 0;
            ready(s, ps->tasks[i]);
        }
    }
    return rc;
}

int coro_poll_export(PollSet *ps, coro_PollFd *fds, int max)
{
    for (int i = 0; i < ps->n && i < max; i++) {
        fds[i].fd = ps->fds[i].fd;
        fds[i].events = (short)(((ps->fds[i].events & POLLIN) ? CORO_POLLIN : 0) |
                                ((ps->fds[i].events & POLLOUT) ? CORO_POLLOUT : 0));
    }
    return ps->n;
}
