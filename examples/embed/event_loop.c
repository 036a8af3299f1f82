/*
 * event_loop.c: Coro tasks inside a host's own poll() loop.
 *
 * Many programs already have an event loop (a GUI toolkit, a server, a
 * game).  They cannot hand control to coro_sched_run, which only returns
 * when every task is done.  Instead the host asks the scheduler what it
 * waits on, and folds that into its own wait:
 *
 *   coro_sched_pollfds(vm, ...)  the descriptors tasks wait on
 *   coro_sched_timeout(vm)       milliseconds until Coro's next timer
 *                                (0: a task is ready now; -1: no timer)
 *   coro_sched_step(vm, 0)       run what is due, without waiting
 *
 * One thread, one poll() call per turn, for the host's descriptors and
 * Coro's together.
 *
 * The demonstration: the host keeps a timer of its own and two pipes.
 * On each tick it writes a number into `inbox`, which a Coro task awaits
 * with sched.readable; the task answers through `reply()`, a C function
 * writing into `outbox`, which only the host watches.  Another task
 * sleeps on Coro timers meanwhile, which the host's poll timeout honours.
 *
 *   usage: event_loop
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "coro.h"

#define TICK_MS 10
#define TICKS 3
#define MAX_CORO_FDS 16

typedef struct Host {
    int inbox[2];       /* host -> task */
    int outbox[2];      /* task -> host */
} Host;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- functions for the script ------------------------------------------ */

/* read_message(fd) -> the bytes waiting on fd (the task awaited
 * sched.readable first, so this does not block). */
static int read_message(coro_VM *vm)
{
    int fd = (int)coro_checkinteger(vm, 1);
    char buf[64];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) < 0 && errno == EINTR)
        ;
    if (n <= 0)
        return coro_errorf(vm, "read_message: %s", n == 0 ? "end of file" : strerror(errno));
    coro_pushlstring(vm, buf, (size_t)n);
    return 1;
}

/* reply(text): to the host, through its pipe. */
static int reply(coro_VM *vm)
{
    Host *host = coro_get_userdata(vm);
    size_t len;
    const char *text = coro_checklstring(vm, 1, &len);
    if (write(host->outbox[1], text, len) != (ssize_t)len)
        return coro_errorf(vm, "reply: %s", strerror(errno));
    return 0;
}

static const char script[] =
    "local inbox = ...\n"
    "local sleeper = sched.spawn(function()\n"
    "  local naps = 0\n"
    "  for i = 1, 5 do\n"
    "    await sched.sleep(0.002)\n"
    "    naps = naps + 1\n"
    "  end\n"
    "  return naps\n"
    "end)\n"
    "sched.spawn(function()\n"
    "  while true do\n"
    "    await sched.readable(inbox)\n"
    "    local msg = read_message(inbox)\n"
    "    if msg == 'quit' then break end\n"
    "    print('task: got ping ' .. msg)\n"
    "    reply(msg)\n"
    "  end\n"
    "  print('task: quitting; the sleeper napped ' .. (await sleeper) .. ' times')\n"
    "end)\n";

/* ---- the host's loop ---------------------------------------------------- */

/* Sends a message to the task. */
static void send_message(Host *host, const char *msg)
{
    printf("host: sending %s\n", msg);
    if (write(host->inbox[1], msg, strlen(msg)) < 0)
        perror("write");
}

static int run_loop(coro_VM *vm, Host *host)
{
    int ticks = 0;
    double next_tick = now_ms() + TICK_MS;      /* < 0: no tick planned */

    while (coro_sched_tasks(vm) > 0) {
        /* What everyone waits on: our outbox first, then Coro's fds. */
        struct pollfd fds[1 + MAX_CORO_FDS];
        fds[0] = (struct pollfd){ .fd = host->outbox[0], .events = POLLIN };
        coro_PollFd coro_fds[MAX_CORO_FDS];
        int ncoro = coro_sched_pollfds(vm, coro_fds, MAX_CORO_FDS);
        if (ncoro > MAX_CORO_FDS) {
            fprintf(stderr, "event_loop: tasks wait on more than %d descriptors\n", MAX_CORO_FDS);
            return -1;
        }
        for (int i = 0; i < ncoro; i++) {
            short events = 0;
            if (coro_fds[i].events & CORO_POLLIN)
                events |= POLLIN;
            if (coro_fds[i].events & CORO_POLLOUT)
                events |= POLLOUT;
            fds[1 + i] = (struct pollfd){ .fd = coro_fds[i].fd, .events = events };
        }

        /* How long we may sleep: until our tick or Coro's timer, whichever
         * comes first (-1 from Coro means "no timer of mine"). */
        int timeout = -1;
        if (next_tick >= 0) {
            double left = next_tick - now_ms();
            timeout = left > 0 ? (int)left + 1 : 0;
        }
        int coro_timeout = coro_sched_timeout(vm);
        if (coro_timeout >= 0 && (timeout < 0 || coro_timeout < timeout))
            timeout = coro_timeout;

        int n = poll(fds, (nfds_t)(1 + ncoro), timeout);
        if (n < 0 && errno != EINTR) {
            perror("poll");
            return -1;
        }

        /* Our own business. */
        if (n > 0 && (fds[0].revents & (POLLIN | POLLHUP))) {
            char buf[64];
            ssize_t len = read(host->outbox[0], buf, sizeof buf - 1);
            if (len > 0) {
                buf[len] = '\0';
                printf("host: got pong %s\n", buf);
                next_tick = now_ms() + TICK_MS;
            }
        }
        if (next_tick >= 0 && now_ms() >= next_tick) {
            next_tick = -1;     /* the next one is planned when the pong comes */
            if (++ticks <= TICKS) {
                char msg[16];
                snprintf(msg, sizeof msg, "%d", ticks);
                send_message(host, msg);
            } else {
                send_message(host, "quit");
            }
        }

        /* Coro's business: a descriptor of its became ready, a timer of
         * its is due, or a task is ready to run. */
        int coro_due = coro_sched_timeout(vm) == 0;
        for (int i = 0; i < ncoro; i++)
            if (fds[1 + i].revents)
                coro_due = 1;
        if (coro_due && coro_sched_step(vm, 0) < 0) {
            fprintf(stderr, "event_loop: %s\n", coro_tostring(vm, -1));
            coro_pop(vm, 1);
            return -1;
        }
    }
    return 0;
}

int main(void)
{
    Host host;
    if (pipe(host.inbox) != 0 || pipe(host.outbox) != 0) {
        perror("pipe");
        return 1;
    }
    coro_VM *vm = coro_new(NULL);
    if (!vm)
        return 1;
    coro_set_userdata(vm, &host);
    int status = coro_open_libs(vm);
    if (status == CORO_OK) {
        coro_pushcfunction(vm, read_message);
        coro_setglobal(vm, "read_message");
        coro_pushcfunction(vm, reply);
        coro_setglobal(vm, "reply");
        /* The chunk receives the inbox descriptor as its `...`. */
        status = coro_load(vm, script, sizeof script - 1, "=script", "t");
        if (status == CORO_OK) {
            coro_pushinteger(vm, host.inbox[0]);
            status = coro_pcall_traceback(vm, 1, 0);
        }
    }
    if (status != CORO_OK) {
        fprintf(stderr, "event_loop: %s\n", coro_tostring(vm, -1));
        coro_free(vm);
        return 1;
    }

    int rc = run_loop(vm, &host);
    printf("host: all tasks done\n");
    coro_free(vm);
    close(host.inbox[0]);
    close(host.inbox[1]);
    close(host.outbox[0]);
    close(host.outbox[1]);
    return rc == 0 ? 0 : 1;
}
