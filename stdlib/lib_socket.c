/*
 * lib_socket.c: the `socket` module: listeners, connections and their
 * awaitable operations (the design is explained in socket.h).
 *
 *   socket.listen(host, port [, backlog])   a listener (plain call)
 *   socket.connect(host, port)              awaitable: a connection
 *   l:accept()                              awaitable: connection, "ip:port"
 *   c:recv([max])                           awaitable: up to max bytes, nil at EOF
 *   c:readline([max])                       awaitable: a line with its "\n",
 *                                           the rest at EOF, then nil
 *   c:send(data)                            awaitable: returns when all is written
 *   c:shutdown([how]) c:close() c:fileno() c:peer()
 *   l:close() l:fileno() l:port()
 *
 * An operation's body runs when the task awaits it, on the coroutine the
 * call returned; its upvalues are the socket object and the argument.
 * Each object caches the sched.readable/sched.writable instructions for
 * its descriptor in its user values, so waiting allocates nothing.
 */
#define _GNU_SOURCE     /* accept4 */
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sched.h"
#include "socket.h"

#define LISTENER_NAME "socket.listener"
#define CONN_NAME "socket.connection"

/* readline refuses a line longer than this (with its "\n") unless told
 * otherwise: a peer that never sends a newline must not make the buffer
 * grow without bound. */
#define DEFAULT_MAX_LINE 65536
/* recv's default, and the most one recv call reads: it reads into one
 * scratch block per VM, so idle connections hold no buffer for it. */
#define RECV_CHUNK 65536
/* readline's buffer starts this small (most lines are short); one grown
 * past RBUF_KEEP for a long line is dropped once it is empty again. */
#define RBUF_MIN 4096
#define RBUF_KEEP 16384

/* Registry keys (their addresses) for sched.readable and sched.writable,
 * taken once when the module opens, and for recv's scratch block. */
static const char readable_key = 'r';
static const char writable_key = 'w';
static const char scratch_key = 's';

typedef struct Listener {
    int fd;
    int port;
    char addr[SOCK_ADDRSTR];
} Listener;

/* A waiter takes three consecutive user values: the cached instruction,
 * then the operation's coroutine and the task that last waited with it,
 * so that close() can wake that task at once (see wake_waiter). */
enum { WAITER_INSTR = 0, WAITER_OP = 1, WAITER_TASK = 2 };

enum { LISTENER_UV_READ = 1, LISTENER_NUV = 3 };

typedef struct Conn {
    int fd;
    bool eof;               /* the peer will send nothing more */
    char *rbuf;             /* data of the user value CONN_UV_RBUF */
    size_t rcap;
    size_t rstart, rend;    /* the buffered bytes */
    size_t scanned;         /* rbuf[rstart..scanned) holds no "\n" */
    char peer[SOCK_ADDRSTR];
} Conn;

enum { CONN_UV_RBUF = 1, CONN_UV_READ = 2, CONN_UV_WRITE = 5, CONN_NUV = 7 };

/* ---- helpers ---------------------------------------------------------------------- */

/* Pushes the wait instruction of the waiter at user value w of the
 * object at idx (made with sched.readable/writable(fd) the first time),
 * and notes the running operation and task as the waiter's. */
static void push_wait(coro_VM *vm, int idx, int w, const char *key, int fd)
{
    idx = coro_absindex(vm, idx);
    coro_pushthread(vm);
    coro_setiuservalue(vm, idx, w + WAITER_OP);
    Task *t = coro_sched_current(coro_sched_get(vm));
    if (t)
        coro_task_push(vm, t);
    else
        coro_pushnil(vm);
    coro_setiuservalue(vm, idx, w + WAITER_TASK);
    if (coro_getiuservalue(vm, idx, w + WAITER_INSTR) == CORO_TUSERDATA)
        return;
    coro_pop(vm, 1);
    coro_rawgetp(vm, CORO_REGISTRYINDEX, key);
    coro_pushinteger(vm, fd);
    coro_call(vm, 1, 1);
    coro_pushvalue(vm, -1);
    coro_setiuservalue(vm, idx, w + WAITER_INSTR);
}

/* Before the descriptor of the object at idx is closed: a task still
 * waiting on it through waiter w gets "socket is closed" now.  Left to
 * poll, it would wake on POLLNVAL, or, if a new socket took the same
 * number meanwhile, only when that one became ready.  The operation's
 * coroutine is suspended exactly while it waits in our yield. */
static void wake_waiter(coro_VM *vm, int idx, int w)
{
    int top = coro_gettop(vm);
    idx = coro_absindex(vm, idx);
    if (coro_getiuservalue(vm, idx, w + WAITER_OP) == CORO_TTHREAD &&
        coro_costatus(vm, -1) == CORO_CO_SUSPENDED &&
        coro_getiuservalue(vm, idx, w + WAITER_TASK) == CORO_TUSERDATA) {
        Task *t = coro_task_test(vm, -1);
        if (t && t->state == TASK_BLOCKED && t->wait == WAIT_FD) {
            coro_pushstring(vm, "socket is closed");
            coro_sched_wake(t->sched, t, 1, true);
        }
    }
    coro_settop(vm, top);
    for (int i = WAITER_OP; i <= WAITER_TASK; i++) {
        coro_pushnil(vm);
        coro_setiuservalue(vm, idx, w + i);
    }
}

/* Pushes a coroutine whose body is fn with the nup values on top as its
 * upvalues (popped): the awaitable an operation returns. */
static int push_op(coro_VM *vm, coro_CFunction fn, int nup)
{
    coro_pushcclosure(vm, fn, nup);
    coro_newcoroutine(vm);
    return 1;
}

static void set_nodelay(int fd)
{
    /* Request/response protocols write small pieces; Nagle's algorithm
     * would hold the second one back until the peer's delayed ACK. */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static bool would_block(int err)
{
    return err == EAGAIN || err == EWOULDBLOCK;
}

/* ---- connections -------------------------------------------------------------------- */

static Conn *new_conn(coro_VM *vm)
{
    Conn *c = coro_newuserdatauv(vm, sizeof(Conn), CONN_NUV);
    memset(c, 0, sizeof *c);
    c->fd = -1;
    coro_setmetatable_named(vm, CONN_NAME);
    return c;
}

static void conn_close(Conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->rbuf = NULL;
    c->rcap = c->rstart = c->rend = c->scanned = 0;
}

static Conn *check_conn(coro_VM *vm, int idx)
{
    return coro_checkudata(vm, idx, CONN_NAME);
}

static Conn *check_open_conn(coro_VM *vm, int idx)
{
    Conn *c = check_conn(vm, idx);
    if (c->fd < 0)
        coro_errorf(vm, "socket is closed");
    return c;
}

/* The connection of a running operation (upvalue 1). */
static Conn *op_conn(coro_VM *vm)
{
    Conn *c = coro_touserdata(vm, coro_upvalueindex(1));
    if (c->fd < 0)
        coro_errorf(vm, "socket is closed");
    return c;
}

/* Gives c a read buffer of cap bytes holding what it buffered. */
static void set_rbuf(coro_VM *vm, Conn *c, size_t cap)
{
    char *b = coro_newuserdatauv(vm, cap, 0);
    size_t n = c->rend - c->rstart;
    if (n)
        memcpy(b, c->rbuf + c->rstart, n);
    c->scanned -= c->rstart;
    c->rstart = 0;
    c->rend = n;
    c->rbuf = b;
    c->rcap = cap;
    coro_pushvalue(vm, coro_upvalueindex(1));
    coro_insert(vm, -2);
    coro_setiuservalue(vm, -2, CONN_UV_RBUF);
    coro_pop(vm, 1);
}

/* Pushes the first n buffered bytes and drops them from the buffer. */
static void take(coro_VM *vm, Conn *c, size_t n)
{
    coro_pushlstring(vm, c->rbuf + c->rstart, n);
    c->rstart += n;
    if (c->scanned < c->rstart)
        c->scanned = c->rstart;
    if (c->rstart == c->rend) {
        c->rstart = c->rend = c->scanned = 0;
        if (c->rcap > RBUF_KEEP) {
            coro_pushvalue(vm, coro_upvalueindex(1));
            coro_pushnil(vm);
            coro_setiuservalue(vm, -2, CONN_UV_RBUF);
            coro_pop(vm, 1);
            c->rbuf = NULL;
            c->rcap = 0;
        }
    }
}

static CORO_NORETURN void raise_io(coro_VM *vm, int err, const char *op)
{
    coro_sock_raise_errno(vm, err, "%s", op);
}

/* ---- recv ----------------------------------------------------------------------------- */

static int recv_step(coro_VM *vm);

static int recv_k(coro_VM *vm, int status, coro_KContext ctx)
{
    (void)status;
    (void)ctx;
    coro_settop(vm, 0);
    return recv_step(vm);
}

static int recv_step(coro_VM *vm)
{
    Conn *c = op_conn(vm);
    size_t max = (size_t)coro_tointeger(vm, coro_upvalueindex(2));
    size_t avail = c->rend - c->rstart;
    if (avail) {
        take(vm, c, avail < max ? avail : max);
        return 1;
    }
    if (c->eof) {
        coro_pushnil(vm);
        return 1;
    }
    size_t want = max < RECV_CHUNK ? max : RECV_CHUNK;
    coro_rawgetp(vm, CORO_REGISTRYINDEX, &scratch_key);
    char *scratch = coro_touserdata(vm, -1);
    for (;;) {
        ssize_t r = recv(c->fd, scratch, want, 0);
        if (r > 0) {
            coro_pushlstring(vm, scratch, (size_t)r);
            return 1;
        }
        if (r == 0) {
            c->eof = true;
            coro_pushnil(vm);
            return 1;
        }
        if (errno == EINTR)
            continue;
        if (!would_block(errno))
            raise_io(vm, errno, "recv");
        coro_pop(vm, 1);
        push_wait(vm, coro_upvalueindex(1), CONN_UV_READ, &readable_key, c->fd);
        return coro_yieldk(vm, 1, 0, recv_k);
    }
}

static int recv_body(coro_VM *vm)
{
    coro_settop(vm, 0);
    return recv_step(vm);
}

static int conn_recv(coro_VM *vm)
{
    check_open_conn(vm, 1);
    coro_Integer max = coro_optinteger(vm, 2, RECV_CHUNK);
    coro_argcheck(vm, max > 0, 2, "must be positive");
    coro_settop(vm, 1);
    coro_pushinteger(vm, max);
    return push_op(vm, recv_body, 2);
}

/* ---- readline ---------------------------------------------------------------------------- */

static int readline_step(coro_VM *vm);

static int readline_k(coro_VM *vm, int status, coro_KContext ctx)
{
    (void)status;
    (void)ctx;
    coro_settop(vm, 0);
    return readline_step(vm);
}

static CORO_NORETURN void line_too_long(coro_VM *vm, size_t max)
{
    char limit[32];
    snprintf(limit, sizeof limit, "%zu", max);
    coro_errorf(vm, "readline: line too long (more than %s bytes)", limit);
}

/* Makes room after the buffered bytes (fewer than max of them). */
static void make_room(coro_VM *vm, Conn *c, size_t max)
{
    if (c->rstart > 0 && c->rend == c->rcap) {
        size_t n = c->rend - c->rstart;
        memmove(c->rbuf, c->rbuf + c->rstart, n);
        c->scanned -= c->rstart;
        c->rstart = 0;
        c->rend = n;
    }
    if (c->rend < c->rcap)
        return;
    size_t cap = c->rcap ? c->rcap * 2 : RBUF_MIN;
    if (cap > max && max > c->rcap)
        cap = max;
    set_rbuf(vm, c, cap);
}

static int readline_step(coro_VM *vm)
{
    Conn *c = op_conn(vm);
    size_t max = (size_t)coro_tointeger(vm, coro_upvalueindex(2));
    for (;;) {
        size_t avail = c->rend - c->rstart;
        if (c->scanned < c->rend) {
            char *nl = memchr(c->rbuf + c->scanned, '\n', c->rend - c->scanned);
            if (nl) {
                size_t len = (size_t)(nl - (c->rbuf + c->rstart)) + 1;
                if (len > max)
                    line_too_long(vm, max);
                take(vm, c, len);
                return 1;
            }
            c->scanned = c->rend;
        }
        if (avail >= max)
            line_too_long(vm, max);
        if (c->eof) {
            if (avail)
                take(vm, c, avail);
            else
                coro_pushnil(vm);
            return 1;
        }
        make_room(vm, c, max);
        ssize_t r = recv(c->fd, c->rbuf + c->rend, c->rcap - c->rend, 0);
        if (r > 0) {
            c->rend += (size_t)r;
            continue;
        }
        if (r == 0) {
            c->eof = true;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (!would_block(errno))
            raise_io(vm, errno, "readline");
        push_wait(vm, coro_upvalueindex(1), CONN_UV_READ, &readable_key, c->fd);
        return coro_yieldk(vm, 1, 0, readline_k);
    }
}

static int readline_body(coro_VM *vm)
{
    coro_settop(vm, 0);
    return readline_step(vm);
}

static int conn_readline(coro_VM *vm)
{
    check_open_conn(vm, 1);
    coro_Integer max = coro_optinteger(vm, 2, DEFAULT_MAX_LINE);
    coro_argcheck(vm, max > 0, 2, "must be positive");
    coro_settop(vm, 1);
    coro_pushinteger(vm, max);
    return push_op(vm, readline_body, 2);
}

/* ---- send ----------------------------------------------------------------------------------- */

static int send_step(coro_VM *vm, size_t off);

static int send_k(coro_VM *vm, int status, coro_KContext ctx)
{
    (void)status;
    coro_settop(vm, 0);
    return send_step(vm, (size_t)ctx);
}

static int send_step(coro_VM *vm, size_t off)
{
    Conn *c = op_conn(vm);
    size_t len;
    const char *data = coro_tolstring(vm, coro_upvalueindex(2), &len);
    while (off < len) {
        ssize_t w = send(c->fd, data + off, len - off, MSG_NOSIGNAL);
        if (w >= 0) {
            off += (size_t)w;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (!would_block(errno))
            raise_io(vm, errno, "send");
        push_wait(vm, coro_upvalueindex(1), CONN_UV_WRITE, &writable_key, c->fd);
        return coro_yieldk(vm, 1, (coro_KContext)off, send_k);
    }
    return 0;
}

static int send_body(coro_VM *vm)
{
    coro_settop(vm, 0);
    return send_step(vm, 0);
}

static int conn_send(coro_VM *vm)
{
    check_open_conn(vm, 1);
    coro_checklstring(vm, 2, NULL);
    coro_settop(vm, 2);
    return push_op(vm, send_body, 2);
}

/* ---- the other connection methods ------------------------------------------------------------ */

static int conn_close_method(coro_VM *vm)
{
    Conn *c = check_conn(vm, 1);
    if (c->fd >= 0) {
        wake_waiter(vm, 1, CONN_UV_READ);
        wake_waiter(vm, 1, CONN_UV_WRITE);
    }
    conn_close(c);
    coro_pushnil(vm);
    coro_setiuservalue(vm, 1, CONN_UV_RBUF);
    return 0;
}

static int conn_gc(coro_VM *vm)
{
    Conn *c = coro_touserdata(vm, 1);
    if (c)
        conn_close(c);
    return 0;
}

static int conn_shutdown(coro_VM *vm)
{
    static const char *const hows[] = { "w", "r", "rw", NULL };
    static const int modes[] = { SHUT_WR, SHUT_RD, SHUT_RDWR };
    Conn *c = check_open_conn(vm, 1);
    int how = coro_checkoption(vm, 2, "w", hows);
    /* Shutting down a connection the peer has reset already is fine. */
    if (shutdown(c->fd, modes[how]) != 0 && errno != ENOTCONN)
        coro_sock_raise_errno(vm, errno, "shutdown");
    return 0;
}

static int conn_fileno(coro_VM *vm)
{
    coro_pushinteger(vm, check_open_conn(vm, 1)->fd);
    return 1;
}

static int conn_peer(coro_VM *vm)
{
    coro_pushstring(vm, check_open_conn(vm, 1)->peer);
    return 1;
}

static int conn_tostring(coro_VM *vm)
{
    Conn *c = check_conn(vm, 1);
    if (c->fd < 0)
        coro_pushstring(vm, "socket.connection (closed)");
    else
        coro_pushfstring(vm, "socket.connection (%s, fd %d)", c->peer, c->fd);
    return 1;
}

static const coro_Reg conn_methods[] = {
    { "recv", conn_recv },
    { "readline", conn_readline },
    { "send", conn_send },
    { "shutdown", conn_shutdown },
    { "close", conn_close_method },
    { "fileno", conn_fileno },
    { "peer", conn_peer },
    { NULL, NULL }
};

/* ---- connect ---------------------------------------------------------------------------------- */

/* Upvalues: host, port.  Stack while it runs: [1] the address list (or
 * the lookup handle before it), [2] the connection being tried. */

static int connect_try(coro_VM *vm, int i, int err);

static CORO_NORETURN void connect_failed(coro_VM *vm, int err)
{
    const char *host = coro_tostring(vm, coro_upvalueindex(1));
    int port = (int)coro_tointeger(vm, coro_upvalueindex(2));
    if (err == 0)
        coro_errorf(vm, "connect to %s:%d: no address", host, port);
    coro_sock_raise_errno(vm, err, "connect to %s:%d", host, port);
}

static int connected(coro_VM *vm, Conn *c, const SockAddr *a)
{
    coro_sock_format((const struct sockaddr *)&a->sa, c->peer, sizeof c->peer);
    set_nodelay(c->fd);
    coro_settop(vm, 2);
    return 1;
}

static int connect_wait_k(coro_VM *vm, int status, coro_KContext ctx)
{
    (void)status;
    coro_settop(vm, 2);
    Conn *c = coro_touserdata(vm, 2);
    SockAddrList *al = coro_touserdata(vm, 1);
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
        soerr = errno;
    if (soerr == 0)
        return connected(vm, c, &al->addr[ctx]);
    conn_close(c);
    return connect_try(vm, (int)ctx + 1, soerr);
}

/* Tries the addresses from the i-th on; err is the last failure. */
static int connect_try(coro_VM *vm, int i, int err)
{
    SockAddrList *al = coro_touserdata(vm, 1);
    for (; i < al->n; i++) {
        const SockAddr *a = &al->addr[i];
        coro_settop(vm, 1);
        /* The object first: a cancelled task leaves the descriptor to
         * its __gc, and an allocation failure leaks nothing. */
        Conn *c = new_conn(vm);
        c->fd = socket(a->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (c->fd < 0) {
            err = errno;
            continue;
        }
        int rc;
        do {
            rc = connect(c->fd, (const struct sockaddr *)&a->sa, a->len);
        } while (rc != 0 && errno == EINTR);
        if (rc == 0)
            return connected(vm, c, a);
        if (errno == EINPROGRESS) {
            push_wait(vm, 2, CONN_UV_WRITE, &writable_key, c->fd);
            return coro_yieldk(vm, 1, (coro_KContext)i, connect_wait_k);
        }
        err = errno;
        conn_close(c);
    }
    connect_failed(vm, err);
}

static int connect_lookup_k(coro_VM *vm, int status, coro_KContext ctx)
{
    (void)status;
    (void)ctx;
    coro_settop(vm, 1);
    coro_sock_lookup_finish(vm, 1, coro_tostring(vm, coro_upvalueindex(1)),
                            (int)coro_tointeger(vm, coro_upvalueindex(2)), "connect to");
    return connect_try(vm, 0, 0);
}

static int connect_body(coro_VM *vm)
{
    coro_settop(vm, 0);
    const char *host = coro_tostring(vm, coro_upvalueindex(1));
    int port = (int)coro_tointeger(vm, coro_upvalueindex(2));
    if (coro_sock_is_numeric(host)) {
        coro_sock_resolve_now(vm, host, port, false, "connect to");
        return connect_try(vm, 0, 0);
    }
    int fd = coro_sock_lookup_start(vm, host, port);
    coro_rawgetp(vm, CORO_REGISTRYINDEX, &readable_key);
    coro_pushinteger(vm, fd);
    coro_call(vm, 1, 1);
    return coro_yieldk(vm, 1, 0, connect_lookup_k);
}

static int check_port(coro_VM *vm, int arg)
{
    coro_Integer port = coro_checkinteger(vm, arg);
    coro_argcheck(vm, port >= 0 && port <= 65535, arg, "port out of range");
    return (int)port;
}

static int sock_connect(coro_VM *vm)
{
    coro_checkstring(vm, 1);
    int port = check_port(vm, 2);
    coro_settop(vm, 1);
    coro_pushinteger(vm, port);
    return push_op(vm, connect_body, 2);
}

/* ---- listeners ------------------------------------------------------------------------------------ */

static Listener *check_listener(coro_VM *vm, int idx)
{
    return coro_checkudata(vm, idx, LISTENER_NAME);
}

static Listener *check_open_listener(coro_VM *vm, int idx)
{
    Listener *l = check_listener(vm, idx);
    if (l->fd < 0)
        coro_errorf(vm, "socket is closed");
    return l;
}

/* Binds and listens on the first address of the list at index 4 that
 * works, with the listener at index 5. */
static int listen_on(coro_VM *vm, Listener *l, int backlog)
{
    SockAddrList *al = coro_touserdata(vm, 4);
    int err = 0;
    for (int i = 0; i < al->n && l->fd < 0; i++) {
        const SockAddr *a = &al->addr[i];
        int fd = socket(a->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            err = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, (const struct sockaddr *)&a->sa, a->len) != 0 || listen(fd, backlog) != 0) {
            err = errno;
            close(fd);
            continue;
        }
        l->fd = fd;
    }
    return err;
}

static int sock_listen(coro_VM *vm)
{
    const char *host = coro_isnoneornil(vm, 1) ? NULL : coro_checkstring(vm, 1);
    int port = check_port(vm, 2);
    coro_Integer backlog = coro_optinteger(vm, 3, SOMAXCONN);
    coro_argcheck(vm, backlog >= 0, 3, "must not be negative");
    if (backlog > INT_MAX)
        backlog = INT_MAX;
    coro_settop(vm, 3);
    coro_sock_resolve_now(vm, host, port, true, "listen on");
    Listener *l = coro_newuserdatauv(vm, sizeof(Listener), LISTENER_NUV);
    memset(l, 0, sizeof *l);
    l->fd = -1;
    coro_setmetatable_named(vm, LISTENER_NAME);
    int err = listen_on(vm, l, (int)backlog);
    if (l->fd < 0) {
        if (err == 0)
            coro_errorf(vm, "listen on %s:%d: no address", host ? host : "*", port);
        coro_sock_raise_errno(vm, err, "listen on %s:%d", host ? host : "*", port);
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    if (getsockname(l->fd, (struct sockaddr *)&ss, &sl) == 0) {
        coro_sock_format((struct sockaddr *)&ss, l->addr, sizeof l->addr);
        l->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                 : ((struct sockaddr_in *)&ss)->sin_port);
    }
    return 1;
}

/* accept: upvalue 1 the listener; stack [1] the connection to fill, made
 * before the system call so that nothing can fail after it. */

static int accept_step(coro_VM *vm);

static int accept_k(coro_VM *vm, int status, coro_KContext ctx)
{
    (void)status;
    (void)ctx;
    coro_settop(vm, 1);
    return accept_step(vm);
}

static int accept_step(coro_VM *vm)
{
    Listener *l = coro_touserdata(vm, coro_upvalueindex(1));
    if (l->fd < 0)
        coro_errorf(vm, "socket is closed");
    Conn *c = coro_touserdata(vm, 1);
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        int fd = accept4(l->fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            c->fd = fd;
            set_nodelay(fd);
            coro_sock_format((struct sockaddr *)&ss, c->peer, sizeof c->peer);
            coro_pushstring(vm, c->peer);
            return 2;
        }
        /* A connection that died in the queue is the peer's business. */
        if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
            continue;
        if (!would_block(errno))
            raise_io(vm, errno, "accept");
        push_wait(vm, coro_upvalueindex(1), LISTENER_UV_READ, &readable_key, l->fd);
        return coro_yieldk(vm, 1, 0, accept_k);
    }
}

static int accept_body(coro_VM *vm)
{
    coro_settop(vm, 0);
    new_conn(vm);
    return accept_step(vm);
}

static int listener_accept(coro_VM *vm)
{
    check_open_listener(vm, 1);
    coro_settop(vm, 1);
    return push_op(vm, accept_body, 1);
}

static int listener_close(coro_VM *vm)
{
    Listener *l = check_listener(vm, 1);
    if (l->fd >= 0) {
        wake_waiter(vm, 1, LISTENER_UV_READ);
        close(l->fd);
    }
    l->fd = -1;
    return 0;
}

static int listener_gc(coro_VM *vm)
{
    Listener *l = coro_touserdata(vm, 1);
    if (l && l->fd >= 0) {
        close(l->fd);
        l->fd = -1;
    }
    return 0;
}

static int listener_port(coro_VM *vm)
{
    coro_pushinteger(vm, check_open_listener(vm, 1)->port);
    return 1;
}

static int listener_fileno(coro_VM *vm)
{
    coro_pushinteger(vm, check_open_listener(vm, 1)->fd);
    return 1;
}

static int listener_tostring(coro_VM *vm)
{
    Listener *l = check_listener(vm, 1);
    if (l->fd < 0)
        coro_pushstring(vm, "socket.listener (closed)");
    else
        coro_pushfstring(vm, "socket.listener (%s, fd %d)", l->addr, l->fd);
    return 1;
}

static const coro_Reg listener_methods[] = {
    { "accept", listener_accept },
    { "close", listener_close },
    { "port", listener_port },
    { "fileno", listener_fileno },
    { NULL, NULL }
};

/* ---- the module ------------------------------------------------------------------------------------- */

static const coro_Reg socket_funcs[] = {
    { "listen", sock_listen },
    { "connect", sock_connect },
    { NULL, NULL }
};

/* Creates the metatable tname with methods as __index. */
static void new_class(coro_VM *vm, const char *tname, const coro_Reg *methods,
                      coro_CFunction gc, coro_CFunction close_fn, coro_CFunction tostring)
{
    if (coro_newmetatable(vm, tname)) {
        coro_newlib(vm, methods);
        coro_setfield(vm, -2, "__index");
        coro_pushcfunction(vm, gc);
        coro_setfield(vm, -2, "__gc");
        coro_pushcfunction(vm, close_fn);
        coro_setfield(vm, -2, "__close");
        coro_pushcfunction(vm, tostring);
        coro_setfield(vm, -2, "__tostring");
    }
    coro_pop(vm, 1);
}

/* Keeps sched.readable and sched.writable where the operations find
 * them, opening the scheduler first if the host has not. */
static void take_sched_functions(coro_VM *vm)
{
    coro_getsubtable(vm, CORO_REGISTRYINDEX, "_LOADED");
    if (coro_getfield(vm, -1, "sched") != CORO_TTABLE) {
        coro_pop(vm, 1);
        coro_open_sched(vm);
        coro_getfield(vm, -1, "sched");
    }
    coro_getfield(vm, -1, "readable");
    coro_rawsetp(vm, CORO_REGISTRYINDEX, &readable_key);
    coro_getfield(vm, -1, "writable");
    coro_rawsetp(vm, CORO_REGISTRYINDEX, &writable_key);
    coro_pop(vm, 2);
}

static void ignore_sigpipe(void)
{
    /* Sends use MSG_NOSIGNAL already; this covers any other write to a
     * socket, unless the host installed a handler of its own. */
    struct sigaction sa;
    if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL) {
        sa.sa_handler = SIG_IGN;
        sigaction(SIGPIPE, &sa, NULL);
    }
}

static int open_socket(coro_VM *vm)
{
    ignore_sigpipe();
    take_sched_functions(vm);
    coro_newuserdatauv(vm, RECV_CHUNK, 0);
    coro_rawsetp(vm, CORO_REGISTRYINDEX, &scratch_key);
    new_class(vm, CONN_NAME, conn_methods, conn_gc, conn_close_method, conn_tostring);
    new_class(vm, LISTENER_NAME, listener_methods, listener_gc, listener_close, listener_tostring);
    coro_sock_open_lookup(vm);
    coro_newlib(vm, socket_funcs);
    return 1;
}

void coro_open_socket(coro_VM *vm)
{
    coro_requiref(vm, "socket", open_socket, 1);
    coro_pop(vm, 1);
}
