/*
 * repl_wait.c: one wait for the terminal and the scheduler together.
 *
 * The scheduler can be driven from outside (coro.h): it tells which
 * descriptors its tasks wait on and when its next timer is due, and
 * coro_sched_step(vm, 0) runs whatever is ready without blocking.  So the
 * REPL polls standard input plus those descriptors, with the timer as the
 * timeout, and steps the scheduler when poll says something other than
 * input is due.  Tasks thus keep running while the user types.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#include "repl.h"

#define FEW_FDS 16

int coro_repl_wait(coro_VM *vm, int fd)
{
    bool tasks = coro_sched_tasks(vm) > 0;
    int nsched = tasks ? coro_sched_pollfds(vm, NULL, 0) : 0;
    int timeout = tasks ? coro_sched_timeout(vm) : -1;
    if (fd < 0 && nsched == 0 && timeout < 0)
        return CORO_WAIT_NEVER;

    struct pollfd few[FEW_FDS + 1], *pfds = few;
    coro_PollFd cfew[FEW_FDS], *cfds = cfew;
    if (nsched > FEW_FDS) {
        pfds = malloc(sizeof *pfds * (size_t)(nsched + 1));
        cfds = malloc(sizeof *cfds * (size_t)nsched);
        if (!pfds || !cfds) {
            /* No room to watch them all: poll in short naps instead. */
            free(pfds);
            free(cfds);
            pfds = few;
            cfds = cfew;
            nsched = 0;
            if (timeout < 0 || timeout > 10)
                timeout = 10;
        }
    }
    int n = 0;
    if (fd >= 0) {
        pfds[n].fd = fd;
        pfds[n].events = POLLIN;
        pfds[n].revents = 0;
        n++;
    }
    if (nsched > 0)
        nsched = coro_sched_pollfds(vm, cfds, nsched);
    for (int i = 0; i < nsched; i++) {
        pfds[n].fd = cfds[i].fd;
        pfds[n].events = (short)(((cfds[i].events & CORO_POLLIN) ? POLLIN : 0) |
                                 ((cfds[i].events & CORO_POLLOUT) ? POLLOUT : 0));
        pfds[n].revents = 0;
        n++;
    }
    int r = poll(pfds, (nfds_t)n, timeout);
    bool input = r > 0 && fd >= 0 && (pfds[0].revents & (POLLIN | POLLHUP | POLLERR));
    if (pfds != few)
        free(pfds);
    if (cfds != cfew)
        free(cfds);
    return input ? CORO_WAIT_INPUT : CORO_WAIT_SCHED;
}

void coro_repl_sched_step(coro_VM *vm, int activity)
{
    if (coro_sched_tasks(vm) == 0)
        return;
    coro_repl_set_activity(activity);
    int alive = coro_sched_step(vm, 0);
    coro_repl_set_activity(CORO_REPL_IDLE);
    if (alive < 0) {
        fflush(stdout);
        fprintf(stderr, "coro: %s\n", coro_tostring(vm, -1));
        fflush(stderr);
        coro_pop(vm, 1);
    }
    fflush(stdout);
}
