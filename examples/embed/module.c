/*
 * module.c: extending Coro with C.
 *
 *  - `vec`, a module of C functions opened with coro_requiref (loaded
 *    at once, also a global), defining a userdata type: a 2-D vector
 *    with methods, fields, metamethods (__add, __eq, __tostring,
 *    __index, __newindex) and a finalizer (__gc).  It keeps a script
 *    value, its label, in a user value.
 *  - `events`, a module registered in package.preload, so that it is
 *    loaded only when a script requires it.  Scripts register callbacks
 *    with it; the host keeps each callback alive with a reference
 *    (coro_ref) and calls it later, long after the script has returned.
 *
 *   usage: module
 */
#include <stdio.h>
#include <string.h>

#include "coro.h"

/* What the host keeps about one VM, reachable from every C function
 * through coro_get_userdata. */
#define MAX_HANDLERS 16
typedef struct Host {
    int finalized;              /* vectors whose __gc ran */
    struct {
        char event[16];
        int ref;                /* CORO_NOREF: slot free */
    } handlers[MAX_HANDLERS];
} Host;

/* ---- the vector type -------------------------------------------------- */

/* The metatable's name in the registry; also what error messages call
 * the type (coro_newmetatable stores it as __name). */
#define VEC_TYPE "vec.Vec2"

typedef struct Vec2 {
    double x, y;
} Vec2;

/* Pushes a new vector.  The block belongs to the collector: no free. */
static Vec2 *push_vec(coro_VM *vm, double x, double y)
{
    /* One user value: the label a script may attach. */
    Vec2 *v = coro_newuserdatauv(vm, sizeof(Vec2), 1);
    v->x = x;
    v->y = y;
    coro_setmetatable_named(vm, VEC_TYPE);
    return v;
}

/* The vector at arg, or an argument error naming the expected type. */
static Vec2 *check_vec(coro_VM *vm, int arg)
{
    return coro_checkudata(vm, arg, VEC_TYPE);
}

static int vec_new(coro_VM *vm)
{
    double x = coro_checknumber(vm, 1);
    double y = coro_optnumber(vm, 2, 0);
    push_vec(vm, x, y);
    return 1;
}

static int vec_length(coro_VM *vm)
{
    Vec2 *v = check_vec(vm, 1);
    /* sqrt would need -lm in every build line; this keeps the example
     * self-contained. */
    double sq = v->x * v->x + v->y * v->y, r = sq;
    for (int i = 0; i < 40 && r > 0; i++)
        r = (r + sq / r) / 2;
    coro_pushnumber(vm, r);
    return 1;
}

static int vec_scaled(coro_VM *vm)
{
    Vec2 *v = check_vec(vm, 1);
    double k = coro_checknumber(vm, 2);
    push_vec(vm, v->x * k, v->y * k);
    return 1;
}

static int vec_add(coro_VM *vm)
{
    /* Either operand may be the vector that brought us here. */
    Vec2 *a = coro_testudata(vm, 1, VEC_TYPE);
    Vec2 *b = coro_testudata(vm, 2, VEC_TYPE);
    if (!a || !b)
        coro_errorf(vm, "attempt to add a vector and a %s",
                    coro_typename(vm, coro_type(vm, a ? 2 : 1)));
    push_vec(vm, a->x + b->x, a->y + b->y);
    return 1;
}

static int vec_eq(coro_VM *vm)
{
    Vec2 *a = check_vec(vm, 1), *b = check_vec(vm, 2);
    coro_pushboolean(vm, a->x == b->x && a->y == b->y);
    return 1;
}

static int vec_tostring(coro_VM *vm)
{
    Vec2 *v = check_vec(vm, 1);
    /* %f formats as Lua does for floats ("1.0", "2.5"). */
    coro_pushfstring(vm, "(%f, %f)", v->x, v->y);
    return 1;
}

/* v.x, v.y, v.label, then the methods (kept in the metatable's
 * "methods" field, which we reach through the metatable itself). */
static int vec_index(coro_VM *vm)
{
    Vec2 *v = check_vec(vm, 1);
    const char *key = coro_tostring(vm, 2);
    if (key && strcmp(key, "x") == 0) {
        coro_pushnumber(vm, v->x);
    } else if (key && strcmp(key, "y") == 0) {
        coro_pushnumber(vm, v->y);
    } else if (key && strcmp(key, "label") == 0) {
        coro_getiuservalue(vm, 1, 1);
    } else {
        coro_getmetatable(vm, 1);
        coro_getfield(vm, -1, "methods");
        coro_pushvalue(vm, 2);
        coro_rawget(vm, -2);        /* nil if there is no such method */
    }
    return 1;
}

static int vec_newindex(coro_VM *vm)
{
    Vec2 *v = check_vec(vm, 1);
    const char *key = coro_checkstring(vm, 2);
    if (strcmp(key, "x") == 0) {
        v->x = coro_checknumber(vm, 3);
    } else if (strcmp(key, "y") == 0) {
        v->y = coro_checknumber(vm, 3);
    } else if (strcmp(key, "label") == 0) {
        /* A user value keeps the script value alive as long as the
         * vector lives; a C pointer to it would not. */
        coro_settop(vm, 3);
        coro_setiuservalue(vm, 1, 1);
    } else {
        coro_errorf(vm, "vectors have no field '%s'", key);
    }
    return 0;
}

/* Runs when the collector frees a vector, or at coro_free.  It must not
 * assume anything about other objects: they may be gone already. */
static int vec_gc(coro_VM *vm)
{
    Host *host = coro_get_userdata(vm);
    host->finalized++;
    return 0;
}

static const coro_Reg vec_functions[] = {
    { "new", vec_new },
    { NULL, NULL }
};

static const coro_Reg vec_methods[] = {
    { "length", vec_length },
    { "scaled", vec_scaled },
    { NULL, NULL }
};

static const coro_Reg vec_metamethods[] = {
    { "__add", vec_add },
    { "__eq", vec_eq },
    { "__tostring", vec_tostring },
    { "__index", vec_index },
    { "__newindex", vec_newindex },
    { "__gc", vec_gc },
    { NULL, NULL }
};

/* The module's opener: called by coro_requiref with the module name,
 * returns the module table. */
static int open_vec(coro_VM *vm)
{
    coro_newmetatable(vm, VEC_TYPE);
    coro_setfuncs(vm, vec_metamethods, 0);
    coro_newlib(vm, vec_methods);
    coro_setfield(vm, -2, "methods");
    coro_pop(vm, 1);

    coro_newlib(vm, vec_functions);
    return 1;
}

/* ---- callbacks kept with references ------------------------------------ */

/* events.on(name, fn) -> id */
static int events_on(coro_VM *vm)
{
    Host *host = coro_get_userdata(vm);
    const char *event = coro_checkstring(vm, 1);
    coro_checktype(vm, 2, CORO_TFUNCTION);
    for (int i = 0; i < MAX_HANDLERS; i++) {
        if (host->handlers[i].ref == CORO_NOREF) {
            snprintf(host->handlers[i].event, sizeof host->handlers[i].event, "%s", event);
            /* The registry now holds the function: it stays alive (and
             * keeps its upvalues alive) until coro_unref. */
            coro_pushvalue(vm, 2);
            host->handlers[i].ref = coro_ref(vm, CORO_REGISTRYINDEX);
            coro_pushinteger(vm, i + 1);
            return 1;
        }
    }
    return coro_errorf(vm, "too many handlers (at most %d)", MAX_HANDLERS);
}

static void drop_handler(coro_VM *vm, Host *host, int i)
{
    coro_unref(vm, CORO_REGISTRYINDEX, host->handlers[i].ref);
    host->handlers[i].ref = CORO_NOREF;
}

/* events.off(id) */
static int events_off(coro_VM *vm)
{
    Host *host = coro_get_userdata(vm);
    coro_Integer id = coro_checkinteger(vm, 1);
    coro_argcheck(vm, id >= 1 && id <= MAX_HANDLERS && host->handlers[id - 1].ref != CORO_NOREF,
                  1, "no such handler");
    drop_handler(vm, host, (int)id - 1);
    return 0;
}

static int open_events(coro_VM *vm)
{
    static const coro_Reg functions[] = {
        { "on", events_on },
        { "off", events_off },
        { NULL, NULL }
    };
    coro_newlib(vm, functions);
    return 1;
}

/* Calls every handler of `event` with one integer argument.  A failing
 * handler is reported and the others still run. */
static void emit(coro_VM *vm, const char *event, coro_Integer arg)
{
    Host *host = coro_get_userdata(vm);
    for (int i = 0; i < MAX_HANDLERS; i++) {
        if (host->handlers[i].ref == CORO_NOREF || strcmp(host->handlers[i].event, event) != 0)
            continue;
        coro_getref(vm, CORO_REGISTRYINDEX, host->handlers[i].ref);
        coro_pushinteger(vm, arg);
        if (coro_pcall(vm, 1, 0, 0) != CORO_OK) {
            printf("handler %d for '%s' failed: %s\n", i + 1, event, coro_tostring(vm, -1));
            coro_pop(vm, 1);
        }
    }
}

/* ---- the script and the host ----------------------------------------------- */

static const char script[] =
    "local vec = require('vec')   -- coro_requiref loaded it already\n"
    "local a, b = vec.new(1, 2), vec.new(3, 4)\n"
    "print('a + b =', a + b, 'b:length() =', b:length())\n"
    "print('fields:', a.x, a.y, 'scaled:', a:scaled(10))\n"
    "print('a + b == vec.new(4, 6):', a + b == vec.new(4, 6))\n"
    "a.label = 'start'\n"
    "print('label:', a.label, 'bad call:', pcall(vec.new, 'one'))\n"
    "print(pcall(function() return a + 1 end))\n"
    "\n"
    "local events = require('events')   -- package.preload runs our opener now\n"
    "local seen = 0\n"
    "events.on('tick', function(n) seen = seen + 1 print('tick', n, 'seen', seen) end)\n"
    "local noisy = events.on('tick', function(n) print('  noisy handler saw tick', n) end)\n"
    "events.on('tick', function(n) if n == 2 then error('tick 2 is unlucky') end end)\n"
    "events.on('done', function() print('done after', seen, 'ticks') end)\n"
    "return noisy\n";

int main(void)
{
    Host host;
    memset(&host, 0, sizeof host);
    for (int i = 0; i < MAX_HANDLERS; i++)
        host.handlers[i].ref = CORO_NOREF;

    coro_VM *vm = coro_new(NULL);
    if (!vm)
        return 1;
    coro_set_userdata(vm, &host);
    if (coro_open_libs(vm) != CORO_OK) {
        fprintf(stderr, "module: %s\n", coro_tostring(vm, -1));
        coro_free(vm);
        return 1;
    }

    /* Eager: call open_vec now, store the result in package.loaded.vec
     * and in the global `vec`, and leave it on the stack. */
    coro_requiref(vm, "vec", open_vec, 1);
    coro_pop(vm, 1);

    /* Lazy: package.preload.events = open_events.  require calls it with
     * the module name the first time a script asks. */
    coro_getglobal(vm, "package");
    coro_getfield(vm, -1, "preload");
    coro_pushcfunction(vm, open_events);
    coro_setfield(vm, -2, "events");
    coro_pop(vm, 2);

    /* The script registers handlers and returns the id of one of them.
     * "=script" names the chunk in messages ("script:8: ..."). */
    if (coro_load(vm, script, sizeof script - 1, "=script", "t") != CORO_OK ||
        coro_pcall_traceback(vm, 0, 1) != CORO_OK) {
        fprintf(stderr, "module: %s\n", coro_tostring(vm, -1));
        coro_free(vm);
        return 1;
    }
    int noisy = (int)coro_tointeger(vm, -1);
    coro_pop(vm, 1);

    /* The script has returned; its local functions live on only through
     * our references.  A full collection proves it. */
    coro_gc(vm, CORO_GCCOLLECT, 0);
    emit(vm, "tick", 1);
    emit(vm, "tick", 2);
    drop_handler(vm, &host, noisy - 1);     /* as events.off would */
    emit(vm, "tick", 3);
    emit(vm, "done", 0);

    /* Finalizers run for every vector still alive when the VM goes. */
    coro_free(vm);
    printf("vectors finalized: %d\n", host.finalized);
    return 0;
}
