/*
 * aux.c: helpers for writing C functions (argument checks, errors,
 * metatables by name, registration, buffers, references): the part of the
 * API that Lua users know as lauxlib.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "coro.h"
#include "api.h"
#include "call.h"
#include "coroutine.h"
#include "debug.h"
#include "mem.h"
#include "meta.h"
#include "str.h"
#include "table.h"

/* ---- errors ------------------------------------------------------------------ */

void coro_where(coro_VM *vm, int lvl)
{
    Coroutine *co = vm->current;
    if ((int)co->nframes - 1 - lvl >= 0) {
        Frame *f = &co->frames[co->nframes - 1 - lvl];
        char buf[CHUNKID_SIZE + 24];
        coro_debug_where(f, buf, sizeof buf);
        coro_pushstring(vm, buf);
        return;
    }
    coro_pushstring(vm, "");
}

int coro_errorf(coro_VM *vm, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    coro_where(vm, 1);
    coro_pushvfstring(vm, fmt, ap);
    va_end(ap);
    coro_concat(vm, 2);
    coro_error(vm);
}

/* Name of the running C function for messages: how its caller called it,
 * or its name in a loaded module. */
static const char *current_function_name(coro_VM *vm, const char **kind)
{
    Coroutine *co = vm->current;
    Frame *f = co_top_frame(co);
    const char *name = NULL;
    *kind = coro_debug_funcname(vm, co, f, &name);
    if (*kind)
        return name;
    /* Search package.loaded like tracebacks do. */
    coro_getfield(vm, CORO_REGISTRYINDEX, "_LOADED");
    if (coro_type(vm, -1) == CORO_TTABLE) {
        Value fn = *f->func;
        coro_pushnil(vm);
        while (coro_next(vm, -2)) {
            if (coro_type(vm, -1) == CORO_TTABLE && coro_type(vm, -2) == CORO_TSTRING) {
                coro_pushnil(vm);
                while (coro_next(vm, -2)) {
                    Value *v = coro_api_slot(vm, -1);
                    if (v->tag == fn.tag && v->u.p == fn.u.p && coro_type(vm, -2) == CORO_TSTRING) {
                        const char *mod = coro_tostring(vm, -4);
                        const char *field = coro_tostring(vm, -2);
                        if (strcmp(mod, "_G") == 0)
                            coro_pushstring(vm, field);
                        else
                            coro_pushfstring(vm, "%s.%s", mod, field);
                        const char *r = coro_tostring(vm, -1);
                        /* Keep the string alive: leave it on the stack. */
                        coro_replace(vm, -6);
                        coro_pop(vm, 4);
                        return r;
                    }
                    coro_pop(vm, 1);
                }
            }
            coro_pop(vm, 1);
        }
    }
    coro_pop(vm, 1);
    return "?";
}

int coro_argerror(coro_VM *vm, int arg, const char *extramsg)
{
    const char *kind;
    const char *name = current_function_name(vm, &kind);
    if (kind && strcmp(kind, "method") == 0) {
        arg--;
        if (arg == 0)
            coro_errorf(vm, "calling '%s' on bad self (%s)", name, extramsg);
    }
    coro_errorf(vm, "bad argument #%d to '%s' (%s)", arg, name, extramsg);
}

int coro_typeerror(coro_VM *vm, int arg, const char *tname)
{
    const char *typearg;
    if (coro_getmetafield(vm, arg, "__name") == CORO_TSTRING)
        typearg = coro_tostring(vm, -1);
    else if (coro_type(vm, arg) == CORO_TLIGHTUSERDATA)
        typearg = "light userdata";
    else
        typearg = coro_typename(vm, coro_type(vm, arg));
    const char *msg = coro_pushfstring(vm, "%s expected, got %s", tname, typearg);
    coro_argerror(vm, arg, msg);
}

static void tag_error(coro_VM *vm, int arg, int tag)
{
    coro_typeerror(vm, arg, coro_typename(vm, tag));
}

/* ---- argument checks -------------------------------------------------------------- */

coro_Integer coro_checkinteger(coro_VM *vm, int arg)
{
    int isnum;
    coro_Integer d = coro_tointegerx(vm, arg, &isnum);
    if (!isnum) {
        if (coro_isnumber(vm, arg))
            coro_argerror(vm, arg, "number has no integer representation");
        tag_error(vm, arg, CORO_TNUMBER);
    }
    return d;
}

coro_Integer coro_optinteger(coro_VM *vm, int arg, coro_Integer def)
{
    return coro_isnoneornil(vm, arg) ? def : coro_checkinteger(vm, arg);
}

coro_Number coro_checknumber(coro_VM *vm, int arg)
{
    int isnum;
    coro_Number d = coro_tonumberx(vm, arg, &isnum);
    if (!isnum)
        tag_error(vm, arg, CORO_TNUMBER);
    return d;
}

coro_Number coro_optnumber(coro_VM *vm, int arg, coro_Number def)
{
    return coro_isnoneornil(vm, arg) ? def : coro_checknumber(vm, arg);
}

const char *coro_checklstring(coro_VM *vm, int arg, size_t *len)
{
    const char *s = coro_tolstring(vm, arg, len);
    if (!s)
        tag_error(vm, arg, CORO_TSTRING);
    return s;
}

const char *coro_optlstring(coro_VM *vm, int arg, const char *def, size_t *len)
{
    if (coro_isnoneornil(vm, arg)) {
        if (len)
            *len = def ? strlen(def) : 0;
        return def;
    }
    return coro_checklstring(vm, arg, len);
}

const char *coro_checkstring(coro_VM *vm, int arg)
{
    return coro_checklstring(vm, arg, NULL);
}

const char *coro_optstring(coro_VM *vm, int arg, const char *def)
{
    return coro_optlstring(vm, arg, def, NULL);
}

void coro_checktype(coro_VM *vm, int arg, int type)
{
    if (coro_type(vm, arg) != type)
        tag_error(vm, arg, type);
}

void coro_checkany(coro_VM *vm, int arg)
{
    if (coro_type(vm, arg) == CORO_TNONE)
        coro_argerror(vm, arg, "value expected");
}

int coro_checkoption(coro_VM *vm, int arg, const char *def, const char *const list[])
{
    const char *name = def ? coro_optstring(vm, arg, def) : coro_checkstring(vm, arg);
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], name) == 0)
            return i;
    coro_argerror(vm, arg, coro_pushfstring(vm, "invalid option '%s'", name));
}

void coro_checkstack_msg(coro_VM *vm, int n, const char *msg)
{
    if (!coro_checkstack(vm, n)) {
        if (msg)
            coro_errorf(vm, "stack overflow (%s)", msg);
        coro_errorf(vm, "stack overflow");
    }
}

/* ---- metatables ---------------------------------------------------------------------- */

int coro_newmetatable(coro_VM *vm, const char *tname)
{
    if (coro_getmetatable_named(vm, tname) != CORO_TNIL)
        return 0;
    coro_pop(vm, 1);
    coro_createtable(vm, 0, 2);
    coro_pushstring(vm, tname);
    coro_setfield(vm, -2, "__name");
    coro_pushvalue(vm, -1);
    coro_setfield(vm, CORO_REGISTRYINDEX, tname);
    return 1;
}

int coro_getmetatable_named(coro_VM *vm, const char *tname)
{
    return coro_getfield(vm, CORO_REGISTRYINDEX, tname);
}

void coro_setmetatable_named(coro_VM *vm, const char *tname)
{
    coro_getmetatable_named(vm, tname);
    coro_setmetatable(vm, -2);
}

void *coro_testudata(coro_VM *vm, int idx, const char *tname)
{
    void *p = coro_touserdata(vm, idx);
    if (p && coro_type(vm, idx) == CORO_TUSERDATA && coro_getmetatable(vm, idx)) {
        coro_getmetatable_named(vm, tname);
        int same = coro_rawequal(vm, -1, -2);
        coro_pop(vm, 2);
        return same ? p : NULL;
    }
    return NULL;
}

void *coro_checkudata(coro_VM *vm, int idx, const char *tname)
{
    void *p = coro_testudata(vm, idx, tname);
    if (!p)
        coro_typeerror(vm, idx, tname);
    return p;
}

int coro_getmetafield(coro_VM *vm, int obj, const char *e)
{
    if (!coro_getmetatable(vm, obj))
        return CORO_TNIL;
    coro_pushstring(vm, e);
    int tt = coro_rawget(vm, -2);
    if (tt == CORO_TNIL)
        coro_pop(vm, 2);
    else
        coro_remove(vm, -2);
    return tt;
}

int coro_callmeta(coro_VM *vm, int obj, const char *e)
{
    obj = coro_absindex(vm, obj);
    if (coro_getmetafield(vm, obj, e) == CORO_TNIL)
        return 0;
    coro_pushvalue(vm, obj);
    coro_call(vm, 1, 1);
    return 1;
}

/* ---- registration ----------------------------------------------------------------------- */

void coro_setfuncs(coro_VM *vm, const coro_Reg *l, int nup)
{
    coro_checkstack_msg(vm, nup, "too many upvalues");
    for (; l->name; l++) {
        if (!l->func) {
            coro_pushboolean(vm, 0);
        } else {
            for (int i = 0; i < nup; i++)
                coro_pushvalue(vm, -nup);
            coro_pushcclosure(vm, l->func, nup);
        }
        coro_setfield(vm, -(nup + 2), l->name);
    }
    coro_pop(vm, nup);
}

void coro_newlib(coro_VM *vm, const coro_Reg *l)
{
    int n = 0;
    while (l[n].name)
        n++;
    coro_createtable(vm, 0, n);
    coro_setfuncs(vm, l, 0);
}

int coro_getsubtable(coro_VM *vm, int idx, const char *fname)
{
    if (coro_getfield(vm, idx, fname) == CORO_TTABLE)
        return 1;
    coro_pop(vm, 1);
    idx = coro_absindex(vm, idx);
    coro_newtable(vm);
    coro_pushvalue(vm, -1);
    coro_setfield(vm, idx, fname);
    return 0;
}

void coro_requiref(coro_VM *vm, const char *modname, coro_CFunction openf, int glb)
{
    coro_getsubtable(vm, CORO_REGISTRYINDEX, "_LOADED");
    coro_getfield(vm, -1, modname);
    if (!coro_toboolean(vm, -1)) {
        coro_pop(vm, 1);
        coro_pushcfunction(vm, openf);
        coro_pushstring(vm, modname);
        coro_call(vm, 1, 1);
        coro_pushvalue(vm, -1);
        coro_setfield(vm, -3, modname);
    }
    coro_remove(vm, -2);
    if (glb) {
        coro_pushvalue(vm, -1);
        coro_setglobal(vm, modname);
    }
}

coro_Integer coro_len_int(coro_VM *vm, int idx)
{
    coro_len(vm, idx);
    int isnum;
    coro_Integer l = coro_tointegerx(vm, -1, &isnum);
    if (!isnum)
        coro_errorf(vm, "object length is not an integer");
    coro_pop(vm, 1);
    return l;
}

const char *coro_tolstring_meta(coro_VM *vm, int idx, size_t *len)
{
    idx = coro_absindex(vm, idx);
    if (coro_callmeta(vm, idx, "__tostring")) {
        if (!coro_isstring(vm, -1))
            coro_errorf(vm, "'__tostring' must return a string");
    } else {
        switch (coro_type(vm, idx)) {
        case CORO_TNUMBER:
            coro_pushvalue(vm, idx);
            coro_tolstring(vm, -1, NULL);
            break;
        case CORO_TSTRING:
            coro_pushvalue(vm, idx);
            break;
        case CORO_TBOOLEAN:
            coro_pushstring(vm, coro_toboolean(vm, idx) ? "true" : "false");
            break;
        case CORO_TNIL:
            coro_pushstring(vm, "nil");
            break;
        default: {
            int tt = coro_getmetafield(vm, idx, "__name");
            const char *kind = tt == CORO_TSTRING ? coro_tostring(vm, -1)
                               : coro_typename(vm, coro_type(vm, idx));
            coro_pushfstring(vm, "%s: %p", kind, coro_topointer(vm, idx));
            if (tt != CORO_TNIL)
                coro_remove(vm, -2);
            break;
        }
        }
    }
    return coro_tolstring(vm, -1, len);
}

int coro_fileresult(coro_VM *vm, int ok, const char *fname)
{
    int en = errno;
    if (ok) {
        coro_pushboolean(vm, 1);
        return 1;
    }
    coro_pushnil(vm);
    if (fname)
        coro_pushfstring(vm, "%s: %s", fname, strerror(en));
    else
        coro_pushstring(vm, strerror(en));
    coro_pushinteger(vm, en);
    return 3;
}

/* ---- references -------------------------------------------------------------------------- */

/* Free references form a list through t[0] (Lua's scheme). */
int coro_ref(coro_VM *vm, int t)
{
    if (coro_isnil(vm, -1)) {
        coro_pop(vm, 1);
        return CORO_REFNIL;
    }
    t = coro_absindex(vm, t);
    int ref;
    if (coro_rawgeti(vm, t, 0) == CORO_TNIL) {
        ref = 0;
        coro_pushinteger(vm, 0);
        coro_rawseti(vm, t, 0);
    } else {
        ref = (int)coro_tointeger(vm, -1);
    }
    coro_pop(vm, 1);
    if (ref != 0) {
        coro_rawgeti(vm, t, ref);
        coro_rawseti(vm, t, 0);
    } else {
        ref = (int)coro_rawlen(vm, t) + 1;
    }
    coro_rawseti(vm, t, ref);
    return ref;
}

void coro_unref(coro_VM *vm, int t, int ref)
{
    if (ref < 0)
        return;
    t = coro_absindex(vm, t);
    coro_rawgeti(vm, t, 0);
    coro_rawseti(vm, t, ref);
    coro_pushinteger(vm, ref);
    coro_rawseti(vm, t, 0);
}

int coro_getref(coro_VM *vm, int t, int ref)
{
    if (ref == CORO_REFNIL) {
        coro_pushnil(vm);
        return CORO_TNIL;
    }
    return coro_rawgeti(vm, t, ref);
}

/* ---- buffers ----------------------------------------------------------------------------------- */

/* A buffer starts in its own `init` array; when that is too small the
 * bytes move to a userdata on the stack, so an error frees them. */

void coro_buffinit(coro_VM *vm, coro_Buffer *B)
{
    B->vm = vm;
    B->b = B->init;
    B->n = 0;
    B->size = sizeof B->init;
    coro_pushlightuserdata(vm, B);     /* placeholder slot */
}

/* Makes room for sz more bytes; the buffer's box is at boxidx. */
static char *prep_buffer(coro_Buffer *B, size_t sz, int boxidx)
{
    if (B->size - B->n >= sz)
        return B->b + B->n;
    coro_VM *vm = B->vm;
    size_t newsize = B->size * 2;
    if (newsize - B->n < sz)
        newsize = B->n + sz;
    if (newsize < B->n || newsize > SIZE_MAX / 4)
        coro_errorf(vm, "not enough memory");
    char *fresh = coro_newuserdata(vm, newsize);
    memcpy(fresh, B->b, B->n);
    /* The new box replaces the placeholder (or the old box). */
    coro_replace(vm, boxidx - 1);
    B->b = fresh;
    B->size = newsize;
    return B->b + B->n;
}

char *coro_prepbuffsize(coro_Buffer *B, size_t sz)
{
    return prep_buffer(B, sz, -1);
}

void coro_addlstring(coro_Buffer *B, const char *s, size_t l)
{
    if (l == 0)
        return;
    char *p = prep_buffer(B, l, -1);
    memcpy(p, s, l);
    B->n += l;
}

void coro_addstring(coro_Buffer *B, const char *s)
{
    coro_addlstring(B, s, strlen(s));
}

void coro_addchar(coro_Buffer *B, char c)
{
    if (B->n >= B->size)
        prep_buffer(B, 1, -1);
    B->b[B->n++] = c;
}

void coro_addvalue(coro_Buffer *B)
{
    coro_VM *vm = B->vm;
    size_t len;
    coro_tolstring(vm, -1, &len);
    char *p = prep_buffer(B, len, -2);
    const char *s = coro_tolstring(vm, -1, &len);
    memcpy(p, s, len);
    B->n += len;
    coro_pop(vm, 1);
}

void coro_pushresult(coro_Buffer *B)
{
    coro_VM *vm = B->vm;
    coro_hook_charge_bytes(vm, B->n);
    coro_pushlstring(vm, B->b, B->n);
    coro_remove(vm, -2);
}

char *coro_buffinitsize(coro_VM *vm, coro_Buffer *B, size_t sz)
{
    coro_buffinit(vm, B);
    return coro_prepbuffsize(B, sz);
}

void coro_pushresultsize(coro_Buffer *B, size_t sz)
{
    B->n += sz;
    coro_pushresult(B);
}
