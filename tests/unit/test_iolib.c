/*
 * test_iolib.c: unit tests of the io, os and package libraries through the
 * public API: the error paths of file handles (closed files, bad formats,
 * reading past the end), finalizers closing files, os.time's
 * normalisation and validation, and require from C.
 *
 * Each test runs a chunk that returns its findings, and checks the values
 * the chunk left on the stack.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "coro.h"

static coro_VM *vm;
static char tmpname[64];

static void setup(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    vm = coro_new(NULL);
    cr_assert_not_null(vm);
    coro_open_libs(vm);
    strcpy(tmpname, "/tmp/coro_unit_XXXXXX");
    int fd = mkstemp(tmpname);
    cr_assert(fd >= 0);
    close(fd);
    coro_pushstring(vm, tmpname);
    coro_setglobal(vm, "TMP");
}

static void teardown(void)
{
    if (vm)
        coro_free(vm);
    vm = NULL;
    remove(tmpname);
}

/* Runs code; fails the test with the message if it raises.  Its results
 * are left on the stack (1, 2, ...). */
static void run(const char *code)
{
    coro_settop(vm, 0);
    int status = coro_dostring(vm, code);
    cr_assert_eq(status, CORO_OK, "chunk failed: %s", coro_tostring(vm, -1));
}

static const char *str_at(int idx)
{
    const char *s = coro_tostring(vm, idx);
    cr_assert_not_null(s, "value %d is not a string (type %s)", idx,
                       coro_typename(vm, coro_type(vm, idx)));
    return s;
}

static void write_file(const char *content)
{
    FILE *f = fopen(tmpname, "wb");
    cr_assert_not_null(f);
    fputs(content, f);
    fclose(f);
}

static char *slurp(const char *name, char *buf, size_t size)
{
    FILE *f = fopen(name, "rb");
    cr_assert_not_null(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

TestSuite(io, .init = setup, .fini = teardown);
TestSuite(os, .init = setup, .fini = teardown);
TestSuite(package, .init = setup, .fini = teardown);

/* ---- io: failures returned as values -------------------------------------- */

Test(io, open_missing_file_returns_nil_message_errno)
{
    run("return io.open('/nonexistent/coro-unit/file')");
    cr_assert_eq(coro_gettop(vm), 3);
    cr_assert(coro_isnil(vm, 1));
    cr_assert_str_eq(str_at(2), "/nonexistent/coro-unit/file: No such file or directory");
    cr_assert_eq(coro_tointeger(vm, 3), ENOENT);
}

Test(io, open_rejects_bad_modes)
{
    run("local function try(m)\n"
        "  local ok, msg = pcall(io.open, TMP, m)\n"
        "  return tostring(ok) .. ':' .. msg\n"
        "end\n"
        "return try('rw'), try('z'), try(''), try('r+x'), try('+r')");
    for (int i = 1; i <= 5; i++)
        cr_assert(strstr(str_at(i), "false:") == str_at(i) &&
                  strstr(str_at(i), "bad argument #2 to 'io.open' (invalid mode)") != NULL,
                  "mode %d: %s", i, str_at(i));
}

Test(io, write_on_read_only_file_returns_error_triple)
{
    write_file("data");
    run("local f = io.open(TMP, 'r'); return f:write('x')");
    cr_assert(coro_isnil(vm, 1));
    cr_assert_str_eq(str_at(2), "Bad file descriptor");
    cr_assert_eq(coro_tointeger(vm, 3), EBADF);
}

Test(io, reading_a_directory_returns_error_triple)
{
    run("local f = io.open('/'); return f:read('a')");
    cr_assert(coro_isnil(vm, 1));
    cr_assert_str_eq(str_at(2), "Is a directory");
    cr_assert_eq(coro_tointeger(vm, 3), EISDIR);
}

/* ---- io: misuse raises ---------------------------------------------------- */

Test(io, closed_file_operations_raise)
{
    write_file("x\n");
    run("local f = io.open(TMP)\n"
        "f:close()\n"
        "local function try(m)\n"
        "  local ok, msg = pcall(f[m], f, 'no')\n"
        "  return msg\n"
        "end\n"
        "return io.type(f), tostring(f), try('read'), try('write'), try('lines'),\n"
        "       try('seek'), try('flush'), try('setvbuf'), try('close')");
    cr_assert_str_eq(str_at(1), "closed file");
    cr_assert_str_eq(str_at(2), "file (closed)");
    for (int i = 3; i <= 9; i++)
        cr_assert_str_eq(str_at(i), "attempt to use a closed file");
}

Test(io, default_files_closed_raise)
{
    write_file("x\n");
    run("io.input(TMP); io.input():close()\n"
        "local ok1, m1 = pcall(io.read)\n"
        "io.output(TMP); io.output():close()\n"
        "local ok2, m2 = pcall(io.write, 'x')\n"
        "io.input(io.stdin); io.output(io.stdout)\n"
        "return m1, m2");
    cr_assert_str_eq(str_at(1), "default input file is closed");
    cr_assert_str_eq(str_at(2), "default output file is closed");
}

Test(io, invalid_formats_raise)
{
    write_file("x\n");
    run("local f = io.open(TMP)\n"
        "local _, a = pcall(function() return f:read('x') end)\n"
        "local _, b = pcall(function() return f:read('l', '*z') end)\n"
        "local _, c = pcall(function() return f:read({}) end)\n"
        "local _, d = pcall(io.read, 'q')\n"
        "f:close()\n"
        "return a, b, c, d");
    cr_assert(strstr(str_at(1), "bad argument #1 to 'read' (invalid format)"), "%s", str_at(1));
    cr_assert(strstr(str_at(2), "bad argument #2 to 'read' (invalid format)"), "%s", str_at(2));
    cr_assert(strstr(str_at(3), "bad argument #1 to 'read' (string expected, got table)"), "%s", str_at(3));
    cr_assert_str_eq(str_at(4), "bad argument #1 to 'io.read' (invalid format)");
}

Test(io, standard_files_cannot_be_closed)
{
    run("local a, b = io.stdout:close()\n"
        "local c, d = io.close()\n"
        "return a, b, c, d, io.type(io.stdout)");
    cr_assert(coro_isnil(vm, 1));
    cr_assert_str_eq(str_at(2), "cannot close standard file");
    cr_assert(coro_isnil(vm, 3));
    cr_assert_str_eq(str_at(4), "cannot close standard file");
    cr_assert_str_eq(str_at(5), "file");
}

/* ---- io: reading past the end ---------------------------------------------- */

Test(io, reads_past_end)
{
    write_file("one\ntwo");
    run("local f = io.open(TMP)\n"
        "local l1, l2, l3 = f:read('l', 'l', 'l')\n"
        "return l1, l2, l3, f:read(0), f:read(1), f:read('a'), f:read('n'), f:read('L')");
    cr_assert_eq(coro_gettop(vm), 8);
    cr_assert_str_eq(str_at(1), "one");
    cr_assert_str_eq(str_at(2), "two");
    cr_assert(coro_isnil(vm, 3));
    cr_assert(coro_isnil(vm, 4), "read(0) at the end is nil");
    cr_assert(coro_isnil(vm, 5));
    cr_assert_str_eq(str_at(6), "", "read('a') at the end is \"\"");
    cr_assert(coro_isnil(vm, 7));
    cr_assert(coro_isnil(vm, 8));
}

Test(io, failed_format_stops_the_others)
{
    write_file("12 abc");
    run("local f = io.open(TMP)\n"
        "return select('#', f:read('n', 'n', 'l')), f:read('a')");
    /* "n" reads 12, the second "n" fails on "abc": two results, and the
     * failed read consumed nothing but the spaces. */
    cr_assert_eq(coro_tointeger(vm, 1), 2);
    cr_assert_str_eq(str_at(2), "abc");
}

Test(io, numeral_longer_than_200_chars_fails)
{
    char buf[300];
    memset(buf, '7', 201);
    buf[201] = '\0';
    write_file(buf);
    run("local f = io.open(TMP); return f:read('n'), #f:read('a')");
    cr_assert(coro_isnil(vm, 1));
    cr_assert_eq(coro_tointeger(vm, 2), 1, "the 201st digit is left unread");
}

Test(io, exhausted_lines_iterator_raises)
{
    write_file("a\n");
    run("local it, _, _, f = io.lines(TMP)\n"
        "local first, second = it(), it()\n"
        "local ok, msg = pcall(it)\n"
        "return first, second, msg, io.type(f)");
    cr_assert_str_eq(str_at(1), "a");
    cr_assert(coro_isnil(vm, 2));
    cr_assert_str_eq(str_at(3), "file is already closed");
    cr_assert_str_eq(str_at(4), "closed file");
}

Test(io, write_returns_file_and_formats_numbers)
{
    run("local f = io.open(TMP, 'w')\n"
        "local r = f:write(1, ' ', 2.0, ' ', 0.1, ' ', -7, ' ', 1e300, ' ', 2^63)\n"
        "f:close()\n"
        "return r == f");
    cr_assert(coro_toboolean(vm, 1));
    char buf[128];
    cr_assert_str_eq(slurp(tmpname, buf, sizeof buf), "1 2 0.1 -7 1e+300 9.2233720368548e+18");
}

/* ---- io: finalizers ------------------------------------------------------- */

Test(io, collector_closes_unreachable_files)
{
    run("do local f = io.open(TMP, 'w'); f:write('flushed by __gc') end\n"
        "collectgarbage(); collectgarbage()");
    char buf[64];
    cr_assert_str_eq(slurp(tmpname, buf, sizeof buf), "flushed by __gc");
}

Test(io, freeing_the_vm_closes_open_files)
{
    run("KEEP = io.open(TMP, 'w'); KEEP:write('flushed by coro_free')");
    coro_free(vm);
    vm = NULL;
    char buf[64];
    cr_assert_str_eq(slurp(tmpname, buf, sizeof buf), "flushed by coro_free");
}

Test(io, to_be_closed_handle_is_closed_at_scope_end)
{
    run("local keep\n"
        "do local f <close> = io.open(TMP, 'w'); keep = f; f:write('tbc') end\n"
        "return io.type(keep)");
    cr_assert_str_eq(str_at(1), "closed file");
    char buf[16];
    cr_assert_str_eq(slurp(tmpname, buf, sizeof buf), "tbc");
}

/* ---- os.time ------------------------------------------------------------- */

Test(os, time_normalises_fields_in_place)
{
    run("local t = {year = 2024, month = 13, day = 1, hour = 0}\n"
        "local s = os.time(t)\n"
        "return s, t.year, t.month, t.day, t.yday, t.wday, t.isdst");
    cr_assert_eq(coro_tointeger(vm, 1), 1735689600);    /* 2025-01-01 UTC */
    cr_assert_eq(coro_tointeger(vm, 2), 2025);
    cr_assert_eq(coro_tointeger(vm, 3), 1);
    cr_assert_eq(coro_tointeger(vm, 4), 1);
    cr_assert_eq(coro_tointeger(vm, 5), 1);
    cr_assert_eq(coro_tointeger(vm, 6), 4);             /* a Wednesday */
    cr_assert_eq(coro_type(vm, 7), CORO_TBOOLEAN);
}

Test(os, time_normalises_day_zero_and_negative_seconds)
{
    run("local a = {year = 2024, month = 3, day = 0, hour = 0}\n"
        "local b = {year = 2024, month = 1, day = 1, hour = 0, min = 0, sec = -1}\n"
        "return os.time(a), a.month, a.day, os.time(b), b.year, b.month, b.day, b.hour, b.min, b.sec");
    cr_assert_eq(coro_tointeger(vm, 1), 1709164800);    /* 2024-02-29 */
    cr_assert_eq(coro_tointeger(vm, 2), 2);
    cr_assert_eq(coro_tointeger(vm, 3), 29);
    cr_assert_eq(coro_tointeger(vm, 4), 1704067199);    /* 2023-12-31 23:59:59 */
    cr_assert_eq(coro_tointeger(vm, 5), 2023);
    cr_assert_eq(coro_tointeger(vm, 6), 12);
    cr_assert_eq(coro_tointeger(vm, 7), 31);
    cr_assert_eq(coro_tointeger(vm, 8), 23);
    cr_assert_eq(coro_tointeger(vm, 9), 59);
    cr_assert_eq(coro_tointeger(vm, 10), 59);
}

Test(os, time_defaults_hour_to_noon)
{
    run("return os.time({year = 2000, month = 1, day = 1})");
    cr_assert_eq(coro_tointeger(vm, 1), 946728000);
}

Test(os, time_field_errors)
{
    run("local function try(t)\n"
        "  local ok, msg = pcall(os.time, t)\n"
        "  return msg\n"
        "end\n"
        "return try({year = 2000, month = 1}), try({year = 2000, month = 'x', day = 1}),\n"
        "       try({year = 2000, month = 1, day = 1, hour = 2^31}),\n"
        "       try({year = 2^31 + 1900, month = 1, day = 1})");
    cr_assert_str_eq(str_at(1), "field 'day' missing in date table");
    cr_assert_str_eq(str_at(2), "field 'month' is not an integer");
    cr_assert_str_eq(str_at(3), "field 'hour' is out-of-bound");
    cr_assert_str_eq(str_at(4), "field 'year' is out-of-bound");
}

Test(os, date_round_trip_and_bad_conversions)
{
    run("local t = 1700000000\n"
        "local ok, msg = pcall(os.date, '%Ez', t)\n"
        "return os.time(os.date('*t', t)) == t, os.date('!%Y-%m-%d %H:%M:%S', t), msg");
    cr_assert(coro_toboolean(vm, 1));
    cr_assert_str_eq(str_at(2), "2023-11-14 22:13:20");
    cr_assert(strstr(str_at(3), "invalid conversion specifier '%Ez'"), "%s", str_at(3));
}

Test(os, remove_and_rename_failures)
{
    run("local a, b, c = os.remove('/nonexistent/coro-unit')\n"
        "local d, e, f = os.rename('/nonexistent/coro-unit', '/nonexistent/x')\n"
        "return a, b, c, d, e, f");
    cr_assert(coro_isnil(vm, 1));
    cr_assert_str_eq(str_at(2), "/nonexistent/coro-unit: No such file or directory");
    cr_assert_eq(coro_tointeger(vm, 3), ENOENT);
    cr_assert(coro_isnil(vm, 4));
    cr_assert_str_eq(str_at(5), "No such file or directory");
    cr_assert_eq(coro_tointeger(vm, 6), ENOENT);
}

/* ---- package ------------------------------------------------------------- */

static int c_loader(coro_VM *v)
{
    /* The module name and the loader data, joined. */
    coro_pushfstring(v, "%s|%s", coro_tostring(v, 1), coro_tostring(v, 2));
    return 1;
}

Test(package, require_runs_a_preload_loader_from_c)
{
    coro_getglobal(vm, "package");
    coro_getfield(vm, -1, "preload");
    coro_pushcfunction(vm, c_loader);
    coro_setfield(vm, -2, "cmod");
    coro_settop(vm, 0);
    run("local a, b = require('cmod'); return a, b, select('#', require('cmod'))");
    cr_assert_str_eq(str_at(1), "cmod|:preload:");
    cr_assert_str_eq(str_at(2), ":preload:");
    cr_assert_eq(coro_tointeger(vm, 3), 1);
}

Test(package, loaded_is_the_registry_table)
{
    run("return package.loaded, package.loaded.io == io, package.loaded.os == os");
    coro_getfield(vm, CORO_REGISTRYINDEX, "_LOADED");
    cr_assert(coro_rawequal(vm, 1, -1));
    cr_assert(coro_toboolean(vm, 2));
    cr_assert(coro_toboolean(vm, 3));
}

Test(package, not_found_lists_the_searched_files)
{
    run("package.path = '/nonexistent/?.coro;/nonexistent/?/init.coro'\n"
        "local ok, msg = pcall(require, 'a.b')\n"
        "return msg");
    cr_assert_str_eq(str_at(1),
                     "module 'a.b' not found:\n"
                     "\tno field package.preload['a.b']\n"
                     "\tno file '/nonexistent/a/b.coro'\n"
                     "\tno file '/nonexistent/a/b/init.coro'");
}
