/*
 * socket_addr.c: host names to addresses, addresses to "ip:port", and
 * error messages for the socket module.
 *
 * getaddrinfo may wait for DNS for as long as it likes, and the process
 * must never wait.  Numeric literals need no lookup and are converted at
 * once.  Any other name is looked up on a helper thread; the task awaits
 * the read end of a pipe the thread writes one byte to when it is done.
 * The thread and the waiting task share the Lookup record through a
 * reference count, because either may finish first: the task may be
 * cancelled (its handle collected) while the thread still waits for DNS,
 * and the thread then frees the record alone.  A thread whose result was
 * taken is joined (it is exiting by then), so none outlives the program
 * that used it; only one abandoned in the middle of a lookup is detached.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "socket.h"

#define LOOKUP_NAME "socket.lookup"

/* ---- errors ------------------------------------------------------------------- */

/* The C library's messages read as sentences ("Connection refused");
 * ours continue a phrase, so the first letter goes to lower case. */
static void lower_first(char *text)
{
    if (text[0] >= 'A' && text[0] <= 'Z')
        text[0] = (char)(text[0] - 'A' + 'a');
}

void coro_sock_raise_errno(coro_VM *vm, int err, const char *fmt, ...)
{
    char text[128];
    snprintf(text, sizeof text, "%s", strerror(err));
    lower_first(text);
    va_list ap;
    va_start(ap, fmt);
    coro_where(vm, 1);
    coro_pushvfstring(vm, fmt, ap);
    va_end(ap);
    coro_pushfstring(vm, ": %s", text);
    coro_concat(vm, 3);
    coro_error(vm);
}

/* ---- formatting --------------------------------------------------------------- */

void coro_sock_format(const struct sockaddr *sa, char *buf, size_t size)
{
    char ip[INET6_ADDRSTRLEN];
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
        snprintf(buf, size, "%s:%d", ip, ntohs(in->sin_port));
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
        snprintf(buf, size, "[%s]:%d", ip, ntohs(in6->sin6_port));
    } else {
        snprintf(buf, size, "?");
    }
}

/* ---- address lists -------------------------------------------------------------- */

/* At most this many addresses of a name are tried. */
#define MAX_ADDRS 16

/* Copies the stream addresses of res into out; returns how many. */
static int collect(const struct addrinfo *res, SockAddr *out)
{
    int n = 0;
    for (const struct addrinfo *ai = res; ai && n < MAX_ADDRS; ai = ai->ai_next) {
        if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
            ai->ai_addrlen > sizeof(struct sockaddr_storage))
            continue;
        SockAddr *a = &out[n++];
        memset(a, 0, sizeof *a);
        a->family = ai->ai_family;
        a->len = ai->ai_addrlen;
        memcpy(&a->sa, ai->ai_addr, ai->ai_addrlen);
    }
    return n;
}

static void push_addrlist(coro_VM *vm, const SockAddr *addrs, int n)
{
    SockAddrList *l = coro_newuserdatauv(vm, sizeof(SockAddrList) + (size_t)n * sizeof(SockAddr), 0);
    l->n = n;
    memcpy(l->addr, addrs, (size_t)n * sizeof(SockAddr));
}

static void fill_hints(struct addrinfo *hints, bool passive, bool numeric)
{
    memset(hints, 0, sizeof *hints);
    hints->ai_family = AF_UNSPEC;
    hints->ai_socktype = SOCK_STREAM;
    hints->ai_protocol = IPPROTO_TCP;
    hints->ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0) | (numeric ? AI_NUMERICHOST : 0);
}

static CORO_NORETURN void raise_gai(coro_VM *vm, int rc, int err, const char *what,
                                    const char *host, int port)
{
    if (rc == EAI_SYSTEM)
        coro_sock_raise_errno(vm, err, "%s %s:%d", what, host ? host : "*", port);
    char text[128];
    snprintf(text, sizeof text, "%s", gai_strerror(rc));
    lower_first(text);
    coro_errorf(vm, "%s %s:%d: %s", what, host ? host : "*", port, text);
}

static bool is_wildcard(const char *host)
{
    return host == NULL || host[0] == '\0' || strcmp(host, "*") == 0;
}

bool coro_sock_is_numeric(const char *host)
{
    unsigned char buf[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

void coro_sock_resolve_now(coro_VM *vm, const char *host, int port, bool passive,
                           const char *what)
{
    char service[8];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints, *res = NULL;
    const char *node = is_wildcard(host) ? NULL : host;
    fill_hints(&hints, passive, node && coro_sock_is_numeric(node));
    int rc = getaddrinfo(node, service, &hints, &res);
    if (rc != 0)
        raise_gai(vm, rc, errno, what, host, port);
    /* Copied out first: building the list may raise, and res must not
     * leak. */
    SockAddr addrs[MAX_ADDRS];
    int n = collect(res, addrs);
    freeaddrinfo(res);
    push_addrlist(vm, addrs, n);
}

/* ---- lookups on a helper thread --------------------------------------------------- */

typedef struct Lookup {
    atomic_int refs;        /* the thread and the task's handle */
    atomic_int done;
    int rfd, wfd;
    int status;             /* getaddrinfo's result */
    int err;                /* errno for EAI_SYSTEM */
    struct addrinfo *res;
    char service[8];
    char host[];
} Lookup;

typedef struct LookupHandle {
    Lookup *lk;
    bool joinable;          /* thread runs the lookup and is not yet joined */
    pthread_t thread;
} LookupHandle;

/* Joins the handle's thread if it is done (it only has its exit left),
 * else lets it finish on its own. */
static void lookup_let_go(LookupHandle *h)
{
    if (!h->joinable)
        return;
    h->joinable = false;
    if (atomic_load_explicit(&h->lk->done, memory_order_acquire))
        pthread_join(h->thread, NULL);
    else
        pthread_detach(h->thread);
}

static void lookup_release(Lookup *lk)
{
    if (atomic_fetch_sub_explicit(&lk->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (lk->res)
        freeaddrinfo(lk->res);
    close(lk->rfd);
    close(lk->wfd);
    free(lk);
}

static void lookup_run(Lookup *lk)
{
    struct addrinfo hints;
    fill_hints(&hints, false, false);
    lk->status = getaddrinfo(lk->host, lk->service, &hints, &lk->res);
    lk->err = errno;
    atomic_store_explicit(&lk->done, 1, memory_order_release);
    ssize_t w;
    do {
        w = write(lk->wfd, "", 1);
    } while (w < 0 && errno == EINTR);
    lookup_release(lk);
}

static void *lookup_thread(void *arg)
{
    lookup_run(arg);
    return NULL;
}

static int lookup_gc(coro_VM *vm)
{
    LookupHandle *h = coro_touserdata(vm, 1);
    if (h && h->lk) {
        lookup_let_go(h);
        lookup_release(h->lk);
        h->lk = NULL;
    }
    return 0;
}


int coro_sock_lookup_start(coro_VM *vm, const char *host, int port)
{
    LookupHandle *h = coro_newuserdatauv(vm, sizeof *h, 0);
    h->lk = NULL;
    h->joinable = false;
    coro_setmetatable_named(vm, LOOKUP_NAME);
    size_t hl = strlen(host);
    Lookup *lk = malloc(sizeof *lk + hl + 1);
    if (!lk)
        coro_errorf(vm, "not enough memory");
    int fds[2];
    if (pipe(fds) != 0) {
        int err = errno;
        free(lk);
        coro_sock_raise_errno(vm, err, "connect to %s:%d", host, port);
    }
    for (int i = 0; i < 2; i++)
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    atomic_init(&lk->refs, 2);
    atomic_init(&lk->done, 0);
    lk->rfd = fds[0];
    lk->wfd = fds[1];
    lk->status = 0;
    lk->err = 0;
    lk->res = NULL;
    snprintf(lk->service, sizeof lk->service, "%d", port);
    memcpy(lk->host, host, hl + 1);
    h->lk = lk;
    /* With no thread to be had, the lookup runs here, as a last resort. */
    h->joinable = pthread_create(&h->thread, NULL, lookup_thread, lk) == 0;
    if (!h->joinable)
        lookup_run(lk);
    return lk->rfd;
}

void coro_sock_lookup_finish(coro_VM *vm, int idx, const char *host, int port,
                             const char *what)
{
    idx = coro_absindex(vm, idx);
    LookupHandle *h = coro_touserdata(vm, idx);
    Lookup *lk = h->lk;
    if (!lk || !atomic_load_explicit(&lk->done, memory_order_acquire))
        coro_errorf(vm, "%s %s:%d: lookup not finished", what, host, port);
    if (lk->status != 0)
        raise_gai(vm, lk->status, lk->err, what, host, port);
    SockAddr addrs[MAX_ADDRS];
    int n = collect(lk->res, addrs);
    push_addrlist(vm, addrs, n);
    /* The handle becomes garbage, but the pipe need not wait for the
     * collector to be closed. */
    lookup_let_go(h);
    h->lk = NULL;
    lookup_release(lk);
    coro_replace(vm, idx);
}

void coro_sock_open_lookup(coro_VM *vm)
{
    if (coro_newmetatable(vm, LOOKUP_NAME)) {
        coro_pushcfunction(vm, lookup_gc);
        coro_setfield(vm, -2, "__gc");
    }
    coro_pop(vm, 1);
}
