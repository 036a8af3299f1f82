/*
 * spam_load.c: the load client of bench/spam-rps.sh.
 *
 *   spam_load PORT CONNECTIONS SECONDS [N]
 *
 * Opens CONNECTIONS connections to 127.0.0.1:PORT; on each, sends
 * "SPAM N\n" (default 3), reads the whole reply, checks it byte for byte
 * and sends the next request at once.  After one second of warm-up it
 * counts the replies completed during SECONDS and prints
 *   connections=C requests=R seconds=S rps=X
 * It is written in C with epoll on one thread so that the client costs
 * far less than either server, and the same client measures both.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct Client {
    int fd;
    size_t got;         /* bytes of the current reply received */
} Client;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static void send_request(Client *c, const char *req, size_t len)
{
    /* A request is a few bytes on an idle connection: it always fits. */
    if (send(c->fd, req, len, MSG_NOSIGNAL) != (ssize_t)len)
        die("send");
    c->got = 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: spam_load PORT CONNECTIONS SECONDS [N]\n");
        return 2;
    }
    int port = atoi(argv[1]);
    int nconn = atoi(argv[2]);
    double seconds = atof(argv[3]);
    int n = argc > 4 ? atoi(argv[4]) : 3;

    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    char req[32];
    size_t reqlen = (size_t)snprintf(req, sizeof req, "SPAM %d\n", n);
    static const char header[] = "100 SPAM FOLLOWS\n";
    static const char line[] = "spam glorious spam\n";
    size_t replylen = strlen(header) + (size_t)n * strlen(line);
    char *reply = malloc(replylen);
    char *buf = malloc(replylen + 4096);
    if (!reply || !buf)
        die("malloc");
    memcpy(reply, header, strlen(header));
    for (int i = 0; i < n; i++)
        memcpy(reply + strlen(header) + (size_t)i * strlen(line), line, strlen(line));

    int ep = epoll_create1(0);
    if (ep < 0)
        die("epoll_create1");
    Client *clients = calloc((size_t)nconn, sizeof *clients);
    if (!clients)
        die("calloc");
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);

    /* Connect everyone first (blocking connects: the backlog is large). */
    for (int i = 0; i < nconn; i++) {
        Client *c = &clients[i];
        c->fd = socket(AF_INET, SOCK_STREAM, 0);
        if (c->fd < 0)
            die("socket");
        if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0)
            die("connect");
        int one = 1;
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
        if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0)
            die("epoll_ctl");
    }
    for (int i = 0; i < nconn; i++)
        send_request(&clients[i], req, reqlen);

    double start = now();
    double count_from = start + 1.0;
    double end = count_from + seconds;
    long long counted = 0;
    struct epoll_event events[256];
    for (;;) {
        double t = now();
        if (t >= end)
            break;
        int k = epoll_wait(ep, events, 256, 100);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            die("epoll_wait");
        }
        int counting = now() >= count_from;
        for (int i = 0; i < k; i++) {
            Client *c = events[i].data.ptr;
            ssize_t r = recv(c->fd, buf, replylen - c->got + 4096, 0);
            if (r <= 0) {
                fprintf(stderr, "spam_load: the server closed a connection (%s)\n",
                        r == 0 ? "EOF" : strerror(errno));
                return 1;
            }
            if (c->got + (size_t)r > replylen ||
                memcmp(buf, reply + c->got, (size_t)r) != 0) {
                fprintf(stderr, "spam_load: wrong reply\n");
                return 1;
            }
            c->got += (size_t)r;
            if (c->got == replylen) {
                if (counting)
                    counted++;
                send_request(c, req, reqlen);
            }
        }
    }
    double elapsed = now() - count_from;
    printf("connections=%d requests=%lld seconds=%.2f rps=%.0f\n", nconn, counted, elapsed,
           (double)counted / elapsed);
    for (int i = 0; i < nconn; i++)
        close(clients[i].fd);
    free(clients);
    free(reply);
    free(buf);
    return 0;
}
