/*
 * Strings: interning of short strings, long strings by content, hashing,
 * numeric conversions.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "coro.h"
#include "number.h"
#include "state.h"
#include "str.h"

static coro_VM *vm;

static void setup(void) { vm = coro_new(NULL); }
static void teardown(void) { coro_free(vm); }

TestSuite(strings, .init = setup, .fini = teardown);

Test(strings, short_strings_are_interned)
{
    String *a = coro_str_newc(vm, "hello");
    String *b = coro_str_new(vm, "hello world", 5);
    cr_assert_eq(a, b);
    cr_assert(a->is_short);
}

Test(strings, long_strings_compare_by_content)
{
    char buf[100];
    memset(buf, 'a', sizeof buf);
    String *a = coro_str_new(vm, buf, sizeof buf);
    String *b = coro_str_new(vm, buf, sizeof buf);
    cr_assert_neq(a, b);
    cr_assert(coro_str_equal(a, b));
    cr_assert_eq(coro_str_hash(a), coro_str_hash(b));
    cr_assert_eq(a->data[sizeof buf], '\0');
}

Test(strings, embedded_nuls)
{
    String *a = coro_str_new(vm, "a\0b", 3);
    String *b = coro_str_new(vm, "a\0c", 3);
    cr_assert_neq(a, b);
    cr_assert_lt(coro_str_compare(a, b), 0);
    cr_assert_eq(str_len(a), 3u);
}

Test(strings, intern_table_grows)
{
    for (int i = 0; i < 20000; i++) {
        char name[32];
        snprintf(name, sizeof name, "s%d", i);
        coro_str_newc(vm, name);
    }
    cr_assert_geq(vm->strings_size, 16384u);
    cr_assert_eq(coro_str_newc(vm, "s123"), coro_str_newc(vm, "s123"));
}

static void check_number(const char *s, bool ok, int tag, double value)
{
    Value v;
    size_t n = coro_str_to_number(s, strlen(s), &v);
    cr_assert_eq(n != 0, ok, "%s", s);
    if (ok) {
        cr_assert_eq(v.tag, tag, "%s", s);
        cr_assert_float_eq(as_number(&v), value, 1e-9, "%s", s);
    }
}

Test(strings, string_to_number)
{
    check_number("10", true, TAG_INT, 10);
    check_number("  0x1F  ", true, TAG_INT, 31);
    check_number("1e2", true, TAG_FLOAT, 100);
    check_number("0x1p4", true, TAG_FLOAT, 16);
    check_number(".5", true, TAG_FLOAT, 0.5);
    check_number("9223372036854775808", true, TAG_FLOAT, 9223372036854775808.0);
    check_number("0xffffffffffffffff", true, TAG_INT, -1);
    check_number("1 2", false, 0, 0);
    check_number("", false, 0, 0);
    check_number("inf", false, 0, 0);
    check_number("nan", false, 0, 0);
    check_number("0x", false, 0, 0);
}

Test(strings, number_to_string)
{
    char buf[NUMBER_BUF];
    Value v;
    set_float(&v, 1e15);
    coro_number_to_str(&v, buf);
    cr_assert_str_eq(buf, "1e+15");
    set_float(&v, 3.0);
    coro_number_to_str(&v, buf);
    cr_assert_str_eq(buf, "3.0");
    set_float(&v, -0.0);
    coro_number_to_str(&v, buf);
    cr_assert_str_eq(buf, "-0.0");
    set_int(&v, INT64_MIN);
    coro_number_to_str(&v, buf);
    cr_assert_str_eq(buf, "-9223372036854775808");
}
