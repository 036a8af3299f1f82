/*
 * Tables: array/hash parts, borders, iteration under modification,
 * rehashing, key normalisation.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <math.h>

#include "coro.h"
#include "state.h"
#include "table.h"
#include "str.h"

static coro_VM *vm;

static void setup(void) { vm = coro_new(NULL); }
static void teardown(void) { coro_free(vm); }

TestSuite(table, .init = setup, .fini = teardown);

static Value int_value(int64_t i)
{
    Value v;
    set_int(&v, i);
    return v;
}

Test(table, sequence_goes_to_array_part)
{
    Table *t = coro_table_new(vm, 0, 0);
    for (int i = 1; i <= 1000; i++) {
        Value v = int_value(i * 10);
        coro_table_set_int(vm, t, i, &v);
    }
    cr_assert_geq(t->array_size, 1000u);
    cr_assert_eq(coro_table_length(t), 1000u);
    for (int i = 1; i <= 1000; i++)
        cr_assert_eq(as_int(coro_table_get_int(t, i)), i * 10);
}

Test(table, reverse_fill_still_a_sequence)
{
    Table *t = coro_table_new(vm, 0, 0);
    for (int i = 100; i >= 1; i--) {
        Value v = int_value(i);
        coro_table_set_int(vm, t, i, &v);
    }
    cr_assert_eq(coro_table_length(t), 100u);
}

Test(table, border_with_hole)
{
    Table *t = coro_table_new(vm, 0, 0);
    for (int i = 1; i <= 10; i++) {
        Value v = int_value(i);
        coro_table_set_int(vm, t, i, &v);
    }
    Value nil;
    set_nil(&nil);
    coro_table_set_int(vm, t, 10, &nil);
    uint64_t n = coro_table_length(t);
    cr_assert_eq(n, 9u);
    /* Any border is valid: t[n] non-nil and t[n+1] nil. */
    coro_table_set_int(vm, t, 5, &nil);
    n = coro_table_length(t);
    cr_assert(n == 4 || n == 9, "border %lu", (unsigned long)n);
}

Test(table, float_keys_normalise_to_integers)
{
    Table *t = coro_table_new(vm, 0, 0);
    Value k, v = int_value(7);
    set_float(&k, 3.0);
    coro_table_set(vm, t, &k, &v);
    cr_assert_eq(as_int(coro_table_get_int(t, 3)), 7);
    set_float(&k, 3.5);
    coro_table_set(vm, t, &k, &v);
    cr_assert_eq(as_int(coro_table_get(t, &k)), 7);
}

Test(table, string_keys_short_and_long)
{
    Table *t = coro_table_new(vm, 0, 0);
    char longkey[200];
    memset(longkey, 'x', sizeof longkey - 1);
    longkey[sizeof longkey - 1] = '\0';
    Value v = int_value(1), w = int_value(2);
    coro_table_set_str(vm, t, coro_str_newc(vm, "short"), &v);
    coro_table_set_str(vm, t, coro_str_newc(vm, longkey), &w);
    /* A different String object with the same long content finds it. */
    cr_assert_eq(as_int(coro_table_get_str(t, coro_str_newc(vm, longkey))), 2);
    cr_assert_eq(as_int(coro_table_get_str(t, coro_str_newc(vm, "short"))), 1);
    cr_assert(is_nil(coro_table_get_str(t, coro_str_newc(vm, "other"))));
}

Test(table, next_survives_clearing_fields)
{
    Table *t = coro_table_new(vm, 0, 0);
    for (int i = 0; i < 100; i++) {
        char name[16];
        snprintf(name, sizeof name, "k%d", i);
        Value v = int_value(i);
        coro_table_set_str(vm, t, coro_str_newc(vm, name), &v);
    }
    Value key, val, nil;
    set_nil(&key);
    set_nil(&nil);
    int seen = 0;
    while (coro_table_next(vm, t, &key, &val)) {
        coro_table_set(vm, t, &key, &nil);   /* assigning nil to the current key */
        seen++;
    }
    cr_assert_eq(seen, 100);
}

Test(table, many_keys_and_deletions)
{
    Table *t = coro_table_new(vm, 0, 0);
    Value nil;
    set_nil(&nil);
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 5000; i++) {
            Value k = int_value((int64_t)i * 7919 + round), v = int_value(i);
            coro_table_set(vm, t, &k, &v);
        }
        for (int i = 0; i < 5000; i += 2) {
            Value k = int_value((int64_t)i * 7919 + round);
            coro_table_set(vm, t, &k, &nil);
        }
    }
    for (int i = 1; i < 5000; i += 2) {
        Value k = int_value((int64_t)i * 7919 + 4);
        cr_assert_eq(as_int(coro_table_get(t, &k)), i);
    }
}

Test(table, nil_and_nan_keys_are_errors)
{
    cr_assert_neq(coro_dostring(vm, "local t = {} t[nil] = 1"), CORO_OK);
    cr_assert(strstr(coro_tostring(vm, -1), "table index is nil"));
    coro_pop(vm, 1);
    cr_assert_neq(coro_dostring(vm, "local t = {} t[0/0] = 1"), CORO_OK);
    cr_assert(strstr(coro_tostring(vm, -1), "table index is NaN"));
}
