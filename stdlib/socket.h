/*
 * socket.h: the `socket` module (TCP for tasks), internal interface.
 *
 * Every operation that may wait (accept, connect, recv, readline, send)
 * returns a coroutine whose body is a C function: it tries the system
 * call on a non-blocking descriptor, and when the call would block it
 * yields a sched.readable/sched.writable instruction (coro_yieldk) and
 * tries again in its continuation.  `await op` delegates to that
 * coroutine, so the instruction travels up to the scheduler and the
 * coroutine's return values become the await's values.  Nothing stays on
 * the C stack while a task waits, and a task cancelled while it waits
 * simply never runs the continuation: whatever the operation holds lives
 * in userdata (closed by __gc), never in malloc'd memory on the C stack.
 *
 * The trade-off: one small coroutine per operation, even when the data is
 * already there.  In exchange the operations compose with everything else
 * a task awaits (sched.timeout, gather, cancel) with no special cases.
 *
 * Names are resolved without blocking the process: numeric addresses at
 * once, anything else by getaddrinfo on a short-lived helper thread that
 * signals completion through a pipe the task awaits (socket_addr.c).
 */
#ifndef CORO_SOCKET_H
#define CORO_SOCKET_H

#include <stdbool.h>
#include <sys/socket.h>

#include "coro.h"

/* Room for "[ipv6]:port" with a scope. */
#define SOCK_ADDRSTR 80

/* A resolved address list: a userdata holding n entries. */
typedef struct SockAddr {
    int family;
    socklen_t len;
    struct sockaddr_storage sa;
} SockAddr;

typedef struct SockAddrList {
    int n;
    SockAddr addr[];
} SockAddrList;

/* Resolves host (NULL, "" or "*": the wildcard, for listening) and port
 * now, pushing a SockAddrList.  Raises "what host:port: ..." on failure. */
void coro_sock_resolve_now(coro_VM *vm, const char *host, int port, bool passive,
                           const char *what);
/* 1 if host is a numeric IPv4 or IPv6 literal. */
bool coro_sock_is_numeric(const char *host);

/* Starts resolving host:port on a helper thread.  Pushes a handle and
 * returns the descriptor that becomes readable when the answer is in. */
int coro_sock_lookup_start(coro_VM *vm, const char *host, int port);
/* Replaces the handle at idx (whose descriptor became readable) by the
 * SockAddrList, or raises "what host:port: ...". */
void coro_sock_lookup_finish(coro_VM *vm, int idx, const char *host, int port,
                             const char *what);
void coro_sock_open_lookup(coro_VM *vm);

/* "ip:port" (IPv4) or "[ip]:port" (IPv6) into buf. */
void coro_sock_format(const struct sockaddr *sa, char *buf, size_t size);

/* Raises "prefix: <strerror(err), first letter lowercased>". */
CORO_NORETURN void coro_sock_raise_errno(coro_VM *vm, int err, const char *fmt, ...)
    CORO_PRINTF(3, 4);

#endif
