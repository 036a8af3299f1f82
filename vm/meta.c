/*
 * meta.c: metamethod lookup.
 */
#include "meta.h"
#include "gc.h"
#include "str.h"
#include "table.h"

const char *const coro_type_names[] = {
    "no value", "nil", "boolean", "userdata", "number", "string",
    "table", "function", "userdata", "thread"
};

const int8_t coro_tag_basic_type[TAG_COUNT] = {
    [TAG_NIL] = CORO_TNIL,
    [TAG_FALSE] = CORO_TBOOLEAN,
    [TAG_TRUE] = CORO_TBOOLEAN,
    [TAG_INT] = CORO_TNUMBER,
    [TAG_FLOAT] = CORO_TNUMBER,
    [TAG_LIGHTUD] = CORO_TLIGHTUSERDATA,
    [TAG_CFUNC] = CORO_TFUNCTION,
    [TAG_STRING] = CORO_TSTRING,
    [TAG_TABLE] = CORO_TTABLE,
    [TAG_LCLOSURE] = CORO_TFUNCTION,
    [TAG_CCLOSURE] = CORO_TFUNCTION,
    [TAG_USERDATA] = CORO_TUSERDATA,
    [TAG_COROUTINE] = CORO_TTHREAD,
    [TAG_PROTO] = CORO_TNONE,
    [TAG_UPVAL] = CORO_TNONE,
};

static const char *const tm_event_names[TM_COUNT] = {
    "__index", "__newindex", "__gc", "__mode", "__len", "__eq",
    "__add", "__sub", "__mul", "__mod", "__pow", "__div", "__idiv",
    "__band", "__bor", "__bxor", "__shl", "__shr",
    "__unm", "__bnot", "__lt", "__le", "__concat", "__call", "__close",
    "__tostring", "__name", "__pairs", "__metatable", "__await", "__instruction",
};

void coro_meta_init(coro_VM *vm)
{
    for (int i = 0; i < TM_COUNT; i++) {
        vm->tm_names[i] = coro_str_newc(vm, tm_event_names[i]);
        vm->tm_names[i]->marked |= MARK_FIXED;
    }
}

Table *coro_meta_table_of(coro_VM *vm, const Value *o)
{
    switch (o->tag) {
    case TAG_TABLE:
        return as_table(o)->metatable;
    case TAG_USERDATA:
        return as_userdata(o)->metatable;
    default:
        return vm->type_metatables[basic_type(o)];
    }
}

const Value *coro_meta_get_raw(coro_VM *vm, Table *mt, TagMethod tm)
{
    if (mt == NULL)
        return &coro_absent;
    if (tm < TM_CACHED && (mt->absent_tm & (1u << tm)))
        return &coro_absent;
    const Value *v = coro_table_get_short(mt, vm->tm_names[tm]);
    if (is_nil(v) && tm < TM_CACHED)
        mt->absent_tm |= (uint8_t)(1u << tm);
    return v;
}

const Value *coro_meta_get(coro_VM *vm, const Value *o, TagMethod tm)
{
    return coro_meta_get_raw(vm, coro_meta_table_of(vm, o), tm);
}

const char *coro_meta_typename(coro_VM *vm, const Value *o)
{
    if (o->tag == TAG_TABLE || o->tag == TAG_USERDATA) {
        Table *mt = coro_meta_table_of(vm, o);
        if (mt) {
            const Value *name = coro_meta_get_raw(vm, mt, TM_NAME);
            if (is_string(name))
                return as_string(name)->data;
        }
    }
    return coro_basic_type_name(basic_type(o));
}
