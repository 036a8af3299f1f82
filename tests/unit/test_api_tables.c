/*
 * test_api_tables.c: the public API, part 2: tables, metatables,
 * userdata and user values, coro_next, references, and the lauxlib-style
 * helpers (named metatables, registration, require from C, conversions
 * with metamethods, buffers).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "coro.h"

#include "api_fixture.h"

TestSuite(api_tables, .init = setup, .fini = teardown);
TestSuite(api_meta, .init = setup, .fini = teardown);
TestSuite(api_udata, .init = setup, .fini = teardown);
TestSuite(api_refs, .init = setup, .fini = teardown);
TestSuite(api_aux, .init = setup, .fini = teardown);
TestSuite(api_buffer, .init = setup, .fini = teardown);

/* ---- tables ------------------------------------------------------------------ */

Test(api_tables, globals)
{
    coro_pushinteger(vm, 5);
    coro_setglobal(vm, "five");
    cr_assert_eq(coro_gettop(vm), 0);
    cr_assert_eq(coro_getglobal(vm, "five"), CORO_TNUMBER);
    cr_assert_eq(coro_tointeger(vm, -1), 5);
    cr_assert_eq(coro_getglobal(vm, "no_such_global"), CORO_TNIL);
    cr_assert_eq(coro_gettop(vm), 2, "nil is pushed for a missing global");
    run("assert(five == 5)");
}

Test(api_tables, get_and_set_by_key_kind)
{
    coro_newtable(vm);
    coro_pushstring(vm, "v1");
    coro_setfield(vm, 1, "name");
    coro_pushstring(vm, "v2");
    coro_seti(vm, 1, 3);
    coro_pushboolean(vm, 1);
    coro_pushstring(vm, "v3");
    coro_settable(vm, 1);
    coro_pushnumber(vm, 2.0);       /* a float key with an integer value */
    coro_pushstring(vm, "v4");
    coro_settable(vm, 1);
    cr_assert_eq(coro_gettop(vm), 1);
    cr_assert_eq(coro_getfield(vm, 1, "name"), CORO_TSTRING);
    cr_assert_str_eq(coro_tostring(vm, -1), "v1");
    cr_assert_eq(coro_geti(vm, 1, 3), CORO_TSTRING);
    cr_assert_str_eq(coro_tostring(vm, -1), "v2");
    coro_pushboolean(vm, 1);
    cr_assert_eq(coro_gettable(vm, 1), CORO_TSTRING);
    cr_assert_str_eq(coro_tostring(vm, -1), "v3");
    cr_assert_eq(coro_geti(vm, 1, 2), CORO_TSTRING, "2.0 was normalised to 2");
    cr_assert_eq(coro_getfield(vm, 1, "missing"), CORO_TNIL);
    cr_assert_eq(coro_geti(vm, 1, 99), CORO_TNIL);
    cr_assert_eq(coro_gettop(vm), 7, "one value pushed per get");
}

Test(api_tables, createtable_sizes)
{
    coro_createtable(vm, 100, 10);
    coro_createtable(vm, -5, -5);   /* treated as no hint */
    coro_createtable(vm, 0, 0);
    for (int i = 1; i <= 200; i++) {
        coro_pushinteger(vm, i * 2);
        coro_rawseti(vm, 1, i);
    }
    cr_assert_eq(coro_rawlen(vm, 1), 200);
    cr_assert_eq(coro_rawlen(vm, 2), 0);
    cr_assert_eq(coro_type(vm, 3), CORO_TTABLE);
}

Test(api_tables, index_and_newindex_metamethods)
{
    run("log = {}\n"
        "local base = {inherited = 'from base'}\n"
        "return setmetatable({}, {__index = base}),\n"
        "       setmetatable({}, {__index = function(t, k) return 'computed ' .. k end,\n"
        "                         __newindex = function(t, k, v) log[#log + 1] = k .. '=' .. v end})");
    cr_assert_eq(coro_getfield(vm, 1, "inherited"), CORO_TSTRING);
    cr_assert_str_eq(coro_tostring(vm, -1), "from base");
    cr_assert_eq(coro_getfield(vm, 2, "x"), CORO_TSTRING);
    cr_assert_str_eq(coro_tostring(vm, -1), "computed x");
    cr_assert_eq(coro_geti(vm, 2, 7), CORO_TSTRING);
    cr_assert_str_eq(coro_tostring(vm, -1), "computed 7");
    coro_pushstring(vm, "val");
    coro_setfield(vm, 2, "key");
    coro_pushstring(vm, "raw");
    coro_rawseti(vm, 2, 1);         /* no __newindex */
    coro_pushinteger(vm, 9);
    coro_rawgeti(vm, 2, 1);
    cr_assert_str_eq(coro_tostring(vm, -1), "raw");
    coro_pushstring(vm, "key");
    cr_assert_eq(coro_rawget(vm, 2), CORO_TNIL, "__newindex stored nothing");
    coro_pushstring(vm, "inherited");
    cr_assert_eq(coro_rawget(vm, 1), CORO_TNIL, "raw access ignores __index");
    run("assert(log[1] == 'key=val' and #log == 1, #log)");
}

Test(api_tables, raw_pointer_keys)
{
    static int key1, key2;
    coro_newtable(vm);
    coro_pushstring(vm, "one");
    coro_rawsetp(vm, 1, &key1);
    coro_pushstring(vm, "two");
    coro_rawsetp(vm, 1, &key2);
    cr_assert_eq(coro_rawgetp(vm, 1, &key1), CORO_TSTRING);
    cr_assert_str_eq(coro_tostring(vm, -1), "one");
    cr_assert_eq(coro_rawgetp(vm, 1, &key2), CORO_TSTRING);
    cr_assert_str_eq(coro_tostring(vm, -1), "two");
    cr_assert_eq(coro_rawgetp(vm, 1, &vm), CORO_TNIL);
    /* The registry is the usual place for such keys. */
    coro_pushstring(vm, "private");
    coro_rawsetp(vm, CORO_REGISTRYINDEX, &key1);
    coro_rawgetp(vm, CORO_REGISTRYINDEX, &key1);
    cr_assert_str_eq(coro_tostring(vm, -1), "private");
}

static int rawget_on_number(coro_VM *v)
{
    coro_pushinteger(v, 1);
    coro_pushinteger(v, 1);
    coro_rawget(v, -2);
    return 0;
}

static int index_nil(coro_VM *v)
{
    coro_pushnil(v);
    coro_getfield(v, -1, "field");
    return 0;
}

static int newindex_number(coro_VM *v)
{
    coro_pushinteger(v, 1);
    coro_pushinteger(v, 2);
    coro_setfield(v, -2, "field");
    return 0;
}

static int nil_key(coro_VM *v)
{
    coro_newtable(v);
    coro_pushnil(v);
    coro_pushinteger(v, 1);
    coro_rawset(v, -3);
    return 0;
}

Test(api_tables, errors)
{
    cr_assert_eq(protect(rawget_on_number, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "table expected"), "%s", errmsg());
    coro_pop(vm, 1);
    cr_assert_eq(protect(index_nil, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "attempt to index a nil value"), "%s", errmsg());
    coro_pop(vm, 1);
    cr_assert_eq(protect(newindex_number, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "attempt to index a number value"), "%s", errmsg());
    coro_pop(vm, 1);
    cr_assert_eq(protect(nil_key, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "index is nil"), "%s", errmsg());
    coro_pop(vm, 1);
    cr_assert_eq(coro_gettop(vm), 0);
}

Test(api_tables, next_visits_every_pair_once)
{
    run("return {10, 20, 30, a = 'x', b = 'y'}");
    int count = 0;
    coro_Integer sum = 0;
    int seen_a = 0, seen_b = 0;
    coro_pushnil(vm);
    while (coro_next(vm, 1)) {
        count++;
        if (coro_type(vm, -2) == CORO_TNUMBER) {
            sum += coro_tointeger(vm, -1);
        } else {
            /* coro_tostring on a key would convert it in place and upset
             * the traversal: only strings are read as strings here. */
            const char *k = coro_tostring(vm, -2);
            seen_a += strcmp(k, "a") == 0;
            seen_b += strcmp(k, "b") == 0;
        }
        coro_pop(vm, 1);
    }
    cr_assert_eq(count, 5);
    cr_assert_eq(sum, 60);
    cr_assert(seen_a == 1 && seen_b == 1);
    cr_assert_eq(coro_gettop(vm), 1, "the last coro_next popped the key");
}

Test(api_tables, next_allows_clearing_fields)
{
    run("local t = {} for i = 1, 50 do t['k' .. i] = i end return t");
    coro_pushnil(vm);
    int count = 0;
    while (coro_next(vm, 1)) {
        coro_pop(vm, 1);
        coro_pushvalue(vm, -1);
        coro_pushnil(vm);
        coro_settable(vm, 1);   /* clear the field being visited */
        count++;
    }
    cr_assert_eq(count, 50);
    coro_pushnil(vm);
    cr_assert_eq(coro_next(vm, 1), 0, "now empty");
}

static int next_bad_key(coro_VM *v)
{
    coro_newtable(v);
    coro_pushstring(v, "not a key of it");
    coro_next(v, -2);
    return 0;
}

Test(api_tables, next_with_a_foreign_key)
{
    cr_assert_eq(protect(next_bad_key, 0), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "invalid key to 'next'"), "%s", errmsg());
}

/* ---- metatables ----------------------------------------------------------------- */

Test(api_meta, set_get_and_remove)
{
    coro_newtable(vm);
    cr_assert_eq(coro_getmetatable(vm, 1), 0);
    cr_assert_eq(coro_gettop(vm), 1, "nothing pushed");
    coro_newtable(vm);
    coro_pushstring(vm, "meta");
    coro_setfield(vm, -2, "tag");
    coro_setmetatable(vm, 1);
    cr_assert_eq(coro_gettop(vm), 1, "the metatable was popped");
    cr_assert_eq(coro_getmetatable(vm, 1), 1);
    coro_getfield(vm, -1, "tag");
    cr_assert_str_eq(coro_tostring(vm, -1), "meta");
    coro_settop(vm, 1);
    coro_pushnil(vm);
    coro_setmetatable(vm, 1);
    cr_assert_eq(coro_getmetatable(vm, 1), 0);
}

Test(api_meta, type_wide_metatables)
{
    /* As lua_setmetatable: a value that is neither a table nor a full
     * userdata shares its metatable with every value of its type. */
    coro_pushboolean(vm, 1);
    run("return {__index = function(b, k) return k .. ' of ' .. tostring(b) end}");
    coro_setmetatable(vm, 1);
    run("return (false).name");
    cr_assert_str_eq(coro_tostring(vm, -1), "name of false");
    coro_pushboolean(vm, 0);
    cr_assert_eq(coro_getmetatable(vm, -1), 1);
    coro_settop(vm, 0);
    coro_pushboolean(vm, 0);
    coro_pushnil(vm);
    coro_setmetatable(vm, 1);
    cr_assert_eq(coro_getmetatable(vm, 1), 0);
    coro_pushinteger(vm, 1);
    cr_assert_eq(coro_getmetatable(vm, -1), 0, "numbers have none");
}

Test(api_meta, metafields)
{
    run("return setmetatable({}, {__name = 'Thing', __tostring = function(t) return 'a thing' end,\n"
        "                         answer = 42})");
    cr_assert_eq(coro_getmetafield(vm, 1, "answer"), CORO_TNUMBER);
    cr_assert_eq(coro_tointeger(vm, -1), 42);
    coro_pop(vm, 1);
    cr_assert_eq(coro_getmetafield(vm, 1, "missing"), CORO_TNIL);
    cr_assert_eq(coro_gettop(vm), 1, "nothing pushed for a missing field");
    coro_pushinteger(vm, 3);
    cr_assert_eq(coro_getmetafield(vm, -1, "__index"), CORO_TNIL, "no metatable");
    coro_pop(vm, 1);
    cr_assert_eq(coro_callmeta(vm, 1, "__tostring"), 1);
    cr_assert_str_eq(coro_tostring(vm, -1), "a thing");
    coro_pop(vm, 1);
    cr_assert_eq(coro_callmeta(vm, 1, "__missing"), 0);
    cr_assert_eq(coro_gettop(vm), 1);
}

Test(api_meta, named_metatables)
{
    cr_assert_eq(coro_newmetatable(vm, "test.Type"), 1);
    coro_getfield(vm, -1, "__name");
    cr_assert_str_eq(coro_tostring(vm, -1), "test.Type");
    coro_pop(vm, 1);
    cr_assert_eq(coro_newmetatable(vm, "test.Type"), 0, "exists already");
    cr_assert(coro_rawequal(vm, -1, -2), "the same table is pushed");
    coro_settop(vm, 0);
    cr_assert_eq(coro_getmetatable_named(vm, "test.Type"), CORO_TTABLE);
    cr_assert_eq(coro_getmetatable_named(vm, "test.Unknown"), CORO_TNIL);
    coro_settop(vm, 0);
    coro_newtable(vm);
    coro_setmetatable_named(vm, "test.Type");
    coro_getmetatable(vm, 1);
    coro_getmetatable_named(vm, "test.Type");
    cr_assert(coro_rawequal(vm, -1, -2));
}

Test(api_meta, finalizers_of_tables_run)
{
    run("collected = 0\n"
        "for i = 1, 5 do setmetatable({}, {__gc = function() collected = collected + 1 end}) end");
    coro_gc(vm, CORO_GCCOLLECT, 0);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    coro_getglobal(vm, "collected");
    cr_assert_eq(coro_tointeger(vm, -1), 5);
}

/* ---- userdata --------------------------------------------------------------------- */

Test(api_udata, blocks_are_zeroed_and_sized)
{
    unsigned char *p = coro_newuserdatauv(vm, 100, 0);
    cr_assert_not_null(p);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(p[i], 0);
    memset(p, 0xFF, 100);       /* the whole block is ours */
    cr_assert_eq(coro_rawlen(vm, -1), 100);
    void *empty = coro_newuserdata(vm, 0);
    (void)empty;
    cr_assert_eq(coro_type(vm, -1), CORO_TUSERDATA);
    cr_assert_eq(coro_rawlen(vm, -1), 0);
    /* Blocks are aligned for any type. */
    double *d = coro_newuserdata(vm, sizeof(double) * 4);
    cr_assert_eq((uintptr_t)d % _Alignof(max_align_t), 0);
}

Test(api_udata, user_values)
{
    coro_newuserdatauv(vm, 8, 2);
    cr_assert_eq(coro_getiuservalue(vm, 1, 1), CORO_TNIL, "user values start nil");
    coro_pop(vm, 1);
    coro_pushstring(vm, "first");
    cr_assert_eq(coro_setiuservalue(vm, 1, 1), 1);
    coro_newtable(vm);
    cr_assert_eq(coro_setiuservalue(vm, 1, 2), 1);
    cr_assert_eq(coro_gettop(vm), 1, "the values were popped");
    cr_assert_eq(coro_getiuservalue(vm, 1, 1), CORO_TSTRING);
    cr_assert_str_eq(coro_tostring(vm, -1), "first");
    cr_assert_eq(coro_getiuservalue(vm, 1, 2), CORO_TTABLE);
    coro_settop(vm, 1);
    /* Out of range: CORO_TNONE with nil pushed; a set pops and fails. */
    cr_assert_eq(coro_getiuservalue(vm, 1, 3), CORO_TNONE);
    cr_assert_eq(coro_type(vm, -1), CORO_TNIL);
    cr_assert_eq(coro_getiuservalue(vm, 1, 0), CORO_TNONE);
    coro_settop(vm, 1);
    coro_pushinteger(vm, 5);
    cr_assert_eq(coro_setiuservalue(vm, 1, 3), 0);
    cr_assert_eq(coro_gettop(vm), 1);
    /* Not a userdata at all. */
    coro_newtable(vm);
    cr_assert_eq(coro_getiuservalue(vm, 2, 1), CORO_TNONE);
    coro_pushinteger(vm, 5);
    cr_assert_eq(coro_setiuservalue(vm, 2, 1), 0);
    /* coro_newuserdata gives exactly one. */
    coro_settop(vm, 0);
    coro_newuserdata(vm, 4);
    coro_pushinteger(vm, 1);
    cr_assert_eq(coro_setiuservalue(vm, 1, 1), 1);
    coro_pushinteger(vm, 2);
    cr_assert_eq(coro_setiuservalue(vm, 1, 2), 0);
}

Test(api_udata, user_values_keep_values_alive)
{
    coro_newuserdatauv(vm, 1, 1);
    run("return setmetatable({}, {__gc = function() freed = true end})");
    coro_setiuservalue(vm, 1, 1);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    cr_assert_eq(coro_getglobal(vm, "freed"), CORO_TNIL, "still referenced");
    coro_settop(vm, 0);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    cr_assert_eq(coro_getglobal(vm, "freed"), CORO_TBOOLEAN, "gone with its userdata");
}

static int finalized;

static int count_gc(coro_VM *v)
{
    (void)v;
    finalized++;
    return 0;
}

Test(api_udata, finalizers_run_on_collection_and_at_free)
{
    finalized = 0;
    coro_newmetatable(vm, "test.Fin");
    coro_pushcfunction(vm, count_gc);
    coro_setfield(vm, -2, "__gc");
    coro_pop(vm, 1);
    for (int i = 0; i < 3; i++) {
        coro_newuserdata(vm, 8);
        coro_setmetatable_named(vm, "test.Fin");
    }
    coro_pop(vm, 2);    /* two become garbage, one stays */
    coro_gc(vm, CORO_GCCOLLECT, 0);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    cr_assert_eq(finalized, 2);
    coro_free(vm);
    vm = NULL;
    cr_assert_eq(finalized, 3, "coro_free runs the rest");
    vm = coro_new(NULL);    /* for teardown */
}

static int check_vec(coro_VM *v)
{
    coro_checkudata(v, 1, "test.Vec");
    return 0;
}

Test(api_udata, test_and_check_types)
{
    coro_newmetatable(vm, "test.Vec");
    coro_newmetatable(vm, "test.Other");
    coro_settop(vm, 0);
    void *vec = coro_newuserdata(vm, 8);
    coro_setmetatable_named(vm, "test.Vec");
    coro_newuserdata(vm, 8);
    coro_setmetatable_named(vm, "test.Other");
    coro_newuserdata(vm, 8);                /* no metatable */
    coro_pushlightuserdata(vm, vec);
    coro_newtable(vm);
    cr_assert_eq(coro_testudata(vm, 1, "test.Vec"), vec);
    cr_assert_null(coro_testudata(vm, 2, "test.Vec"));
    cr_assert_null(coro_testudata(vm, 3, "test.Vec"));
    cr_assert_null(coro_testudata(vm, 4, "test.Vec"), "light userdata has no type");
    cr_assert_null(coro_testudata(vm, 5, "test.Vec"));
    cr_assert_null(coro_testudata(vm, 9, "test.Vec"));
    cr_assert_eq(coro_checkudata(vm, 1, "test.Vec"), vec);
    cr_assert_eq(coro_gettop(vm), 5, "nothing left behind");
    coro_settop(vm, 0);
    coro_newtable(vm);
    cr_assert_eq(protect(check_vec, 1), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "bad argument #1") && strstr(errmsg(), "test.Vec expected, got table"),
              "%s", errmsg());
    coro_settop(vm, 0);
    coro_newuserdata(vm, 8);
    coro_setmetatable_named(vm, "test.Other");
    cr_assert_eq(protect(check_vec, 1), CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "test.Vec expected, got test.Other"), "%s", errmsg());
}

/* ---- references ------------------------------------------------------------------- */

Test(api_refs, ref_getref_unref)
{
    coro_pushstring(vm, "a");
    int ra = coro_ref(vm, CORO_REGISTRYINDEX);
    coro_pushstring(vm, "b");
    int rb = coro_ref(vm, CORO_REGISTRYINDEX);
    cr_assert_eq(coro_gettop(vm), 0, "coro_ref pops");
    cr_assert(ra > 0 && rb > 0 && ra != rb);
    cr_assert_eq(coro_getref(vm, CORO_REGISTRYINDEX, ra), CORO_TSTRING);
    cr_assert_str_eq(coro_tostring(vm, -1), "a");
    cr_assert_eq(coro_getref(vm, CORO_REGISTRYINDEX, rb), CORO_TSTRING);
    cr_assert_str_eq(coro_tostring(vm, -1), "b");
    coro_unref(vm, CORO_REGISTRYINDEX, ra);
    coro_pushstring(vm, "c");
    int rc = coro_ref(vm, CORO_REGISTRYINDEX);
    cr_assert_eq(rc, ra, "a freed reference is reused");
    coro_getref(vm, CORO_REGISTRYINDEX, rc);
    cr_assert_str_eq(coro_tostring(vm, -1), "c");
}

Test(api_refs, nil_and_no_ref)
{
    coro_pushnil(vm);
    cr_assert_eq(coro_ref(vm, CORO_REGISTRYINDEX), CORO_REFNIL);
    cr_assert_eq(coro_gettop(vm), 0);
    cr_assert_eq(coro_getref(vm, CORO_REGISTRYINDEX, CORO_REFNIL), CORO_TNIL);
    cr_assert_eq(coro_gettop(vm), 1);
    coro_unref(vm, CORO_REGISTRYINDEX, CORO_REFNIL);
    coro_unref(vm, CORO_REGISTRYINDEX, CORO_NOREF);
}

Test(api_refs, refs_in_a_table_of_ours)
{
    coro_newtable(vm);
    int refs[100];
    for (int i = 0; i < 100; i++) {
        coro_pushinteger(vm, i * i);
        refs[i] = coro_ref(vm, 1);
    }
    for (int i = 0; i < 100; i += 2)
        coro_unref(vm, 1, refs[i]);
    for (int i = 1; i < 100; i += 2) {
        coro_getref(vm, 1, refs[i]);
        cr_assert_eq(coro_tointeger(vm, -1), i * i);
        coro_pop(vm, 1);
    }
}

Test(api_refs, references_keep_values_alive)
{
    run("return setmetatable({}, {__gc = function() freed = true end})");
    int ref = coro_ref(vm, CORO_REGISTRYINDEX);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    cr_assert_eq(coro_getglobal(vm, "freed"), CORO_TNIL);
    coro_pop(vm, 1);
    coro_unref(vm, CORO_REGISTRYINDEX, ref);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    coro_gc(vm, CORO_GCCOLLECT, 0);
    cr_assert_eq(coro_getglobal(vm, "freed"), CORO_TBOOLEAN);
}

/* ---- registration and helpers ------------------------------------------------------ */

static int return_upvalue(coro_VM *v)
{
    /* Upvalue 1 is a table shared by every function of the library. */
    coro_pushvalue(v, coro_upvalueindex(1));
    return 1;
}

Test(api_aux, setfuncs_with_shared_upvalues)
{
    static const coro_Reg funcs[] = {
        { "f", return_upvalue },
        { "g", return_upvalue },
        { "placeholder", NULL },
        { NULL, NULL }
    };
    coro_newtable(vm);              /* the library */
    coro_newtable(vm);              /* the shared upvalue */
    coro_setfuncs(vm, funcs, 1);
    cr_assert_eq(coro_gettop(vm), 1, "the upvalue was popped");
    coro_getfield(vm, 1, "f");
    coro_call(vm, 0, 1);
    coro_getfield(vm, 1, "g");
    coro_call(vm, 0, 1);
    cr_assert_eq(coro_type(vm, -1), CORO_TTABLE);
    cr_assert(coro_rawequal(vm, -1, -2), "the same upvalue");
    cr_assert_eq(coro_getfield(vm, 1, "placeholder"), CORO_TBOOLEAN);
    cr_assert_eq(coro_toboolean(vm, -1), 0);
}

static int add2(coro_VM *v)
{
    coro_pushinteger(v, coro_checkinteger(v, 1) + coro_checkinteger(v, 2));
    return 1;
}

Test(api_aux, newlib)
{
    static const coro_Reg funcs[] = { { "add", add2 }, { NULL, NULL } };
    coro_newlib(vm, funcs);
    coro_setglobal(vm, "mylib");
    run("return mylib.add(2, 3)");
    cr_assert_eq(coro_tointeger(vm, -1), 5);
}

Test(api_aux, getsubtable)
{
    coro_newtable(vm);
    cr_assert_eq(coro_getsubtable(vm, 1, "sub"), 0, "created");
    coro_pushinteger(vm, 1);
    coro_setfield(vm, -2, "x");
    coro_settop(vm, 1);
    cr_assert_eq(coro_getsubtable(vm, 1, "sub"), 1, "found");
    coro_getfield(vm, -1, "x");
    cr_assert_eq(coro_tointeger(vm, -1), 1);
    coro_settop(vm, 1);
    coro_pushinteger(vm, 3);
    coro_setfield(vm, 1, "notatable");
    cr_assert_eq(coro_getsubtable(vm, 1, "notatable"), 0, "replaced by a table");
    cr_assert_eq(coro_type(vm, -1), CORO_TTABLE);
}

static int opened;

static int open_counter(coro_VM *v)
{
    opened++;
    coro_newtable(v);
    coro_pushvalue(v, 1);       /* the module name it was called with */
    coro_setfield(v, -2, "name");
    return 1;
}

Test(api_aux, requiref_opens_once)
{
    opened = 0;
    coro_requiref(vm, "counter", open_counter, 1);
    cr_assert_eq(opened, 1);
    cr_assert_eq(coro_gettop(vm), 1, "a copy of the module is left");
    coro_getfield(vm, 1, "name");
    cr_assert_str_eq(coro_tostring(vm, -1), "counter");
    coro_settop(vm, 0);
    coro_requiref(vm, "counter", open_counter, 0);
    cr_assert_eq(opened, 1, "already in package.loaded");
    run("local m = require('counter') assert(m == counter and package.loaded.counter == m)");
    coro_requiref(vm, "hidden", open_counter, 0);
    cr_assert_eq(opened, 2);
    run("assert(hidden == nil and require('hidden').name == 'hidden')");
}

static int bad_tostring(coro_VM *v)
{
    coro_tolstring_meta(v, 1, NULL);
    return 1;
}

Test(api_aux, tolstring_meta)
{
    size_t len;
    coro_pushnil(vm);
    cr_assert_str_eq(coro_tolstring_meta(vm, -1, &len), "nil");
    cr_assert_eq(len, 3);
    coro_pushboolean(vm, 1);
    cr_assert_str_eq(coro_tolstring_meta(vm, -1, NULL), "true");
    coro_pushinteger(vm, 12);
    cr_assert_str_eq(coro_tolstring_meta(vm, -1, NULL), "12");
    cr_assert_eq(coro_type(vm, -2), CORO_TNUMBER, "the original stays a number");
    coro_pushnumber(vm, 0.5);
    cr_assert_str_eq(coro_tolstring_meta(vm, -1, NULL), "0.5");
    coro_pushstring(vm, "str");
    cr_assert_str_eq(coro_tolstring_meta(vm, -1, NULL), "str");
    run("return setmetatable({}, {__tostring = function() return 'custom' end}),\n"
        "       setmetatable({}, {__name = 'MyType'})");
    int base = coro_gettop(vm);
    cr_assert_str_eq(coro_tolstring_meta(vm, base - 1, NULL), "custom");
    const char *s = coro_tolstring_meta(vm, base, NULL);
    cr_assert(strncmp(s, "MyType: ", 8) == 0, "%s", s);
    coro_newtable(vm);
    s = coro_tolstring_meta(vm, -1, NULL);
    cr_assert(strncmp(s, "table: ", 7) == 0, "%s", s);
    coro_settop(vm, 0);
    /* A number is accepted (as in Lua); anything else is an error. */
    run("return setmetatable({}, {__tostring = function() return 42 end})");
    cr_assert_str_eq(coro_tolstring_meta(vm, 1, NULL), "42");
    coro_settop(vm, 0);
    run("return setmetatable({}, {__tostring = function() return {} end})");
    int status = protect(bad_tostring, 1);
    cr_assert_eq(status, CORO_ERRRUN);
    cr_assert(strstr(errmsg(), "'__tostring' must return a string"), "%s", errmsg());
}

Test(api_aux, fileresult)
{
    cr_assert_eq(coro_fileresult(vm, 1, "x"), 1);
    cr_assert_eq(coro_toboolean(vm, -1), 1);
    coro_settop(vm, 0);
    errno = ENOENT;
    cr_assert_eq(coro_fileresult(vm, 0, "missing.txt"), 3);
    cr_assert(coro_isnil(vm, 1));
    cr_assert_str_eq(coro_tostring(vm, 2), "missing.txt: No such file or directory");
    cr_assert_eq(coro_tointeger(vm, 3), ENOENT);
    coro_settop(vm, 0);
    errno = EACCES;
    cr_assert_eq(coro_fileresult(vm, 0, NULL), 3);
    cr_assert_str_eq(coro_tostring(vm, 2), "Permission denied");
}

/* ---- buffers ------------------------------------------------------------------------ */

Test(api_buffer, small_and_large)
{
    coro_Buffer b;
    coro_pushstring(vm, "below");
    coro_buffinit(vm, &b);
    coro_addstring(&b, "abc");
    coro_addchar(&b, '-');
    coro_addlstring(&b, "x\0y", 3);
    coro_pushinteger(vm, 42);
    coro_addvalue(&b);
    coro_pushresult(&b);
    cr_assert_eq(coro_gettop(vm), 2, "only the result is left above");
    size_t len;
    const char *s = coro_tolstring(vm, -1, &len);
    cr_assert_eq(len, 9);
    cr_assert_eq(memcmp(s, "abc-x\0y42", 9), 0);
    cr_assert_str_eq(coro_tostring(vm, 1), "below");

    /* Far beyond the buffer's own 512 bytes. */
    coro_settop(vm, 0);
    coro_buffinit(vm, &b);
    for (int i = 0; i < 10000; i++) {
        coro_addchar(&b, (char)('a' + i % 26));
        coro_addstring(&b, "0123456789");
    }
    coro_pushresult(&b);
    cr_assert_eq(coro_rawlen(vm, -1), 110000);
    s = coro_tostring(vm, -1);
    cr_assert_eq(s[0], 'a');
    cr_assert_eq(s[11], 'b');
    cr_assert_eq(s[109989], (char)('a' + 9999 % 26));
    cr_assert_eq(coro_gettop(vm), 1);
}

Test(api_buffer, prepared_space)
{
    coro_Buffer b;
    char *p = coro_buffinitsize(vm, &b, 2000);
    memset(p, 'z', 2000);
    coro_pushresultsize(&b, 2000);
    cr_assert_eq(coro_rawlen(vm, -1), 2000);
    coro_settop(vm, 0);
    coro_buffinit(vm, &b);
    coro_addstring(&b, "head:");
    p = coro_prepbuffsize(&b, 4);
    memcpy(p, "tail", 4);
    coro_addsize(&b, 4);
    coro_pushresult(&b);
    cr_assert_str_eq(coro_tostring(vm, -1), "head:tail");
}

static int addvalue_moves_box(coro_VM *v)
{
    /* addvalue with the value above a grown buffer. */
    coro_Buffer b;
    coro_buffinit(v, &b);
    for (int i = 0; i < 1000; i++)
        coro_addchar(&b, 'x');
    coro_pushstring(v, "+more");
    coro_addvalue(&b);
    coro_pushresult(&b);
    return 1;
}

Test(api_buffer, addvalue_after_growth)
{
    cr_assert_eq(protect(addvalue_moves_box, 0), CORO_OK);
    cr_assert_eq(coro_rawlen(vm, -1), 1005);
    cr_assert_eq(strcmp(coro_tostring(vm, -1) + 1000, "+more"), 0);
}
