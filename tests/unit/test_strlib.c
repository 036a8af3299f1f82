/*
 * test_strlib.c: unit tests of the string library through the C API: the
 * pattern matcher's limits (recursion depth, captures, long subjects),
 * string.format's edge cases, rep's size check, pack/unpack round trips,
 * the string metatable, and failures under a memory limit.
 *
 * Each test runs Coro code with coro_dostring and reads what it returns
 * from the stack.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "coro.h"

static coro_VM *vm;

static void setup(void)
{
    vm = coro_new(NULL);
    cr_assert_not_null(vm);
    coro_open_libs(vm);
}

static void teardown(void)
{
    coro_free(vm);
}

TestSuite(strlib, .init = setup, .fini = teardown);

/* Runs code that must succeed; returns its first result as a string (the
 * pointer stays valid until the next run). */
static const char *run(const char *code)
{
    coro_settop(vm, 0);
    int status = coro_dostring(vm, code);
    cr_assert_eq(status, CORO_OK, "%s\n-> %s", code, coro_tostring(vm, -1));
    cr_assert_geq(coro_gettop(vm), 1, "%s returned nothing", code);
    const char *s = coro_tostring(vm, 1);
    cr_assert_not_null(s, "%s: first result is not a string", code);
    return s;
}

static coro_Integer run_int(const char *code)
{
    coro_settop(vm, 0);
    int status = coro_dostring(vm, code);
    cr_assert_eq(status, CORO_OK, "%s\n-> %s", code, coro_tostring(vm, -1));
    int isint;
    coro_Integer n = coro_tointegerx(vm, 1, &isint);
    cr_assert(isint, "%s: first result is not an integer", code);
    return n;
}

/* Runs code that must fail with a message containing `expected`. */
static void run_fails(const char *code, const char *expected)
{
    coro_settop(vm, 0);
    int status = coro_dostring(vm, code);
    cr_assert_neq(status, CORO_OK, "%s should have failed", code);
    const char *msg = coro_tostring(vm, -1);
    cr_assert_not_null(msg);
    cr_assert(strstr(msg, expected) != NULL, "%s\nexpected: %s\ngot: %s", code, expected, msg);
}

/* ---- the pattern matcher's limits ------------------------------------------------------- */

Test(strlib, deep_backtracking_is_too_complex_not_a_crash)
{
    run_fails("return string.match(string.rep('a', 300000), string.rep('a?', 300000) .. 'b')",
              "pattern too complex");
    /* The VM is fine afterwards. */
    cr_assert_str_eq(run("return ('abc'):match('b.')"), "bc");
}

Test(strlib, depth_limit_is_luas)
{
    /* 199 optional items recurse 199 deep and still match; 201 do not. */
    cr_assert_eq(run_int("return #string.match(string.rep('a', 300), string.rep('a?', 199))"), 199);
    run_fails("return string.match(string.rep('a', 300), string.rep('a?', 201))", "pattern too complex");
}

Test(strlib, nested_captures_hit_the_capture_limit)
{
    run_fails("return string.find(string.rep('a', 300), string.rep('(a', 150) .. string.rep(')', 150))",
              "too many captures");
    cr_assert_eq(run_int("return select('#', string.match(string.rep('a', 40), string.rep('(a)', 32)))"), 32);
}

Test(strlib, hostile_pattern_inside_a_coroutine)
{
    /* Coroutines may run on smaller C stacks in embeddings: the bound must
     * hold there too, and the error must come back through resume. */
    cr_assert_str_eq(run("local co = coroutine.create(function()"
                         "  return string.match(string.rep('x', 5000), string.rep('x?', 5000) .. 'y') end)"
                         "local ok, err = coroutine.resume(co)"
                         "return tostring(ok) .. ' ' .. err:match('pattern too complex')"),
                     "false pattern too complex");
}

Test(strlib, long_subjects_do_not_recurse)
{
    /* Greedy and lazy repetition over a megabyte, balanced runs, long
     * literal sequences: loops, not recursion. */
    cr_assert_eq(run_int("local s = string.rep('a', 1000000) .. 'b' return select(2, s:find('a*b'))"), 1000001);
    cr_assert_eq(run_int("local s = string.rep('x', 1000000) return #s:match('^(.-)$')"), 1000000);
    cr_assert_eq(run_int("local s = string.rep('(', 100000) .. string.rep(')', 100000)"
                         "return select(2, s:find('%b()'))"), 200000);
    cr_assert_eq(run_int("local p = string.rep('a', 100000) return select(2, p:find(p))"), 100000);
    cr_assert_eq(run_int("local p = string.rep('[a]', 50000) return select(2, string.rep('a', 50000):find(p))"),
                 50000);
}

Test(strlib, gsub_and_gmatch_on_large_inputs)
{
    cr_assert_eq(run_int("local s, n = string.gsub(string.rep('abc', 100000), 'b', '%0%0') return #s + n"),
                 400000 + 100000);
    cr_assert_eq(run_int("local n = 0 for _ in string.gmatch(string.rep('x', 100000), 'x?') do n = n + 1 end "
                         "return n"), 100000);
}

Test(strlib, pattern_errors)
{
    run_fails("return ('x'):find('[a')", "malformed pattern (missing ']')");
    run_fails("return ('x'):find('x%')", "malformed pattern (ends with '%')");
    run_fails("return ('x'):find('%f')", "missing '[' after '%f' in pattern");
    run_fails("return ('x'):find('%b')", "malformed pattern (missing arguments to '%b')");
    run_fails("return ('x'):find('(x%1)')", "invalid capture index %1");
    run_fails("return ('x'):match('x)')", "invalid pattern capture");
    run_fails("return ('x'):match('(x')", "unfinished capture");
    run_fails("return ('x'):gsub('x', '%2')", "invalid capture index %2");
    run_fails("return ('x'):gsub('x', '%y')", "invalid use of '%' in replacement string");
}

Test(strlib, gsub_function_errors_propagate)
{
    run_fails("return string.gsub(string.rep('a', 10000), 'a', function(c) error('stop here') end)",
              "stop here");
    cr_assert_str_eq(run("return (string.gsub('abc', '%w', {a = 1, b = false}))"), "1bc");
    run_fails("return string.gsub('abc', '%w', {b = true})", "invalid replacement value (a boolean)");
}

/* ---- string.format ---------------------------------------------------------------------- */

Test(strlib, format_widest_items)
{
    cr_assert_eq(run_int("return #string.format('%99.99f', -1e308)"), 410);
    cr_assert_eq(run_int("return #string.format('%-99d|', 1)"), 100);
    cr_assert_eq(run_int("return #string.format('%.99e', 1/3)"), 105);
    cr_assert_str_eq(run("return string.format('%5.2s|%-5s|%.0s', 'abc', 'ab', 'zzz')"), "   ab|ab   |");
    /* A long string without precision is copied whole, whatever the width. */
    cr_assert_eq(run_int("return #string.format('%5s', string.rep('x', 1000))"), 1000);
}

Test(strlib, format_limits)
{
    run_fails("return string.format('%100d', 1)", "invalid conversion specification: '%100d'");
    run_fails("return string.format('%.100f', 1)", "invalid conversion specification: '%.100f'");
    run_fails("return string.format('%' .. string.rep('-', 21) .. 'd', 1)", "invalid format (too long)");
    run_fails("return string.format('%10q', 'x')", "specifier '%q' cannot have modifiers");
    run_fails("return string.format('%n', 1)", "invalid conversion '%n' to 'format'");
    run_fails("return string.format('%*d', 1)", "invalid conversion '%*' to 'format'");
    run_fails("return string.format('%ld', 1)", "invalid conversion '%l' to 'format'");
    run_fails("return string.format('%d', 1.5)", "number has no integer representation");
    run_fails("return string.format('%d', 'x')", "bad argument #2 to 'format' (number expected, got string)");
    run_fails("return string.format('%d %d', 1)", "bad argument #3 to 'format' (no value)");
    run_fails("return string.format('%10s', 'a\\0b')", "string contains zeros");
    run_fails("return string.format('%q', {})", "value has no literal form");
}

Test(strlib, format_q_reads_back)
{
    cr_assert_str_eq(run("return string.format('%q', 0x8000000000000000)"), "0x8000000000000000");
    cr_assert_str_eq(run("return string.format('%q %q %q', 1/0, -1/0, 0.5)"), "1e9999 -1e9999 0x1p-1");
    cr_assert_str_eq(run("return string.format('%q', 0/0)"), "(0/0)");
    cr_assert_str_eq(run("return string.format('%q', '\\0\\0011\\r\\n\"\\\\')"),
                     "\"\\0\\0011\\13\\\n\\\"\\\\\"");
    cr_assert_str_eq(run("local all = '' for i = 0, 255 do all = all .. string.char(i) end "
                         "return tostring(load('return ' .. string.format('%q', all))() == all)"),
                     "true");
}

Test(strlib, format_embedded_zeros)
{
    coro_settop(vm, 0);
    cr_assert_eq(coro_dostring(vm, "return string.format('%s|%c|%s', 'a\\0b', 0, 'z')"), CORO_OK);
    size_t len;
    const char *s = coro_tolstring(vm, 1, &len);
    cr_assert_eq(len, 7);
    cr_assert(memcmp(s, "a\0b|\0|z", 7) == 0);
}

Test(strlib, format_uses_tostring_metamethods)
{
    cr_assert_str_eq(run("return string.format('[%6s]', setmetatable({}, {__tostring = function() return 'obj' end}))"),
                     "[   obj]");
    cr_assert_str_eq(run("return (string.format('%s', setmetatable({}, {__name = 'Thing'})):match('^Thing: '))"),
                     "Thing: ");
}

/* ---- rep, sub, byte, char --------------------------------------------------------------- */

Test(strlib, rep_refuses_huge_results_without_allocating)
{
    run_fails("return string.rep('x', 2^31)", "resulting string too large");
    run_fails("return string.rep('x', 0x7fffffffffffffff)", "resulting string too large");
    run_fails("return string.rep('ab', 2^62, ',')", "resulting string too large");
    /* Empty pieces make an empty string at once, however many. */
    cr_assert_str_eq(run("return string.rep('', 0x7fffffffffffffff)"), "");
    cr_assert_eq(run_int("return #string.rep('ab', 1000, '--')"), 2000 + 999 * 2);
}

Test(strlib, rep_under_a_memory_limit)
{
    coro_Config cfg;
    coro_config_init(&cfg);
    cfg.memory_limit = 8u << 20;
    coro_VM *small = coro_new(&cfg);
    cr_assert_not_null(small);
    coro_open_libs(small);
    cr_assert_neq(coro_dostring(small, "return string.rep('x', 100000000)"), CORO_OK);
    cr_assert(strstr(coro_tostring(small, -1), "not enough memory") != NULL, "%s", coro_tostring(small, -1));
    coro_settop(small, 0);
    cr_assert_eq(coro_dostring(small, "return #string.rep('x', 1000)"), CORO_OK);
    cr_assert_eq(coro_tointeger(small, -1), 1000);
    coro_free(small);
}

Test(strlib, slices_and_bytes)
{
    cr_assert_str_eq(run("return ('hello'):sub(0x8000000000000000, 0x7fffffffffffffff)"), "hello");
    cr_assert_str_eq(run("return ('hello'):sub(-3) .. ('hello'):sub(2, -2) .. ('hello'):sub(0)"),
                     "llo" "ell" "hello");
    cr_assert_eq(run_int("return select('#', ('hello'):byte(0))"), 0);
    cr_assert_eq(run_int("return select('#', string.byte(string.rep('x', 10000), 1, -1))"), 10000);
    run_fails("return string.char(256)", "bad argument #1 to 'char' (value out of range)");
    run_fails("return string.char(65, -1)", "bad argument #2 to 'char' (value out of range)");
}

/* ---- pack / unpack ---------------------------------------------------------------------- */

Test(strlib, pack_round_trips)
{
    cr_assert_eq(run_int("return string.unpack('<i16', string.pack('<i16', -3))"), -3);
    cr_assert_eq(run_int("return string.unpack('>I3', string.pack('>I3', 0xabcdef))"), 0xabcdef);
    cr_assert_eq(run_int("return string.unpack('j', string.pack('j', 0x8000000000000000)) == 0x8000000000000000 and 1 or 0"),
                 1);
    cr_assert_str_eq(run("return (string.unpack('z', string.pack('z', 'hello')))"), "hello");
    cr_assert_str_eq(run("return (string.unpack('s1', string.pack('s1', 'abc')))"), "abc");
    cr_assert_eq(run_int("return string.packsize('!8 b d')"), 16);
    cr_assert_eq(run_int("return #string.pack('!4 b i4 Xi8', 1, 2)"), 8);
}

Test(strlib, pack_errors)
{
    run_fails("return string.pack('i17', 1)", "integral size (17) out of limits [1,16]");
    run_fails("return string.pack('b', 200)", "bad argument #2 to 'pack' (integer overflow)");
    run_fails("return string.unpack('i4', 'abc')", "data string too short");
    run_fails("return string.unpack('z', 'abc')", "unfinished string for format 'z'");
    run_fails("return string.unpack('<i9', string.rep('\\255', 8) .. '\\1')",
              "9-byte integer does not fit into Lua Integer");
    run_fails("return string.packsize('s')", "variable-length format");
    run_fails("return string.packsize(string.rep('c2000000000', 2))", "format result too large");
    run_fails("return string.pack('!3 i4', 1)", "format asks for alignment not power of 2");
    run_fails("return string.pack('X', 1)", "invalid next option for option 'X'");
    run_fails("return string.pack('y', 1)", "invalid format option 'y'");
}

/* ---- the string metatable --------------------------------------------------------------- */

Test(strlib, strings_share_a_metatable_indexing_the_library)
{
    coro_settop(vm, 0);
    coro_pushstring(vm, "any string");
    cr_assert(coro_getmetatable(vm, 1));
    cr_assert_eq(coro_getfield(vm, -1, "__index"), CORO_TTABLE);
    coro_getglobal(vm, "string");
    cr_assert(coro_rawequal(vm, -1, -2));
    cr_assert_str_eq(run("return ('x'):rep(3, '-')"), "x-x-x");
}

Test(strlib, string_arithmetic)
{
    cr_assert_eq(run_int("return '10' + 1"), 11);
    cr_assert_eq(run_int("return -'2' * '0x10'"), -32);
    cr_assert_str_eq(run("return tostring('1' + 1.0) .. ' ' .. tostring('7' // '2')"), "2.0 3");
    run_fails("return 'abc' + 1", "attempt to add a 'string' with a 'number'");
    run_fails("return {} - 'x'", "attempt to sub a 'table' with a 'string'");
    run_fails("return -'x'", "attempt to unm a 'string' with a 'string'");
    /* The other operand's metamethod gets its turn. */
    cr_assert_str_eq(run("local t = setmetatable({}, {__add = function(a, b) return 'added' end}) "
                         "return 'abc' + t"), "added");
}

Test(strlib, string_arithmetic_fallback_may_yield)
{
    /* Coro lets metamethods yield; the one the string metatable defers to
     * is no exception. */
    cr_assert_str_eq(run("local V = setmetatable({}, {__add = function(a, b) "
                         "  return 'got ' .. coroutine.yield('paused') end}) "
                         "local co = coroutine.wrap(function() return 'abc' + V end) "
                         "local first = co() "
                         "return first .. ', ' .. co('resumed')"),
                     "paused, got resumed");
}
