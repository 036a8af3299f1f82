/*
 * lib_os.c: the os library (Lua 5.4's): time and dates, the environment,
 * files by name, commands, locale and exit.
 *
 * Dates go through the C library (mktime, localtime_r, gmtime_r, strftime),
 * so time zones and locales are the host's, as in Lua.  Conversion
 * specifiers are checked against C99's list before strftime sees them,
 * because strftime's behaviour on an unknown one is undefined.
 *
 * os.exit(code, true) does not free the VM: it exits at once.  Freeing the
 * VM from inside one of its own C functions would pull the running frames
 * from under the call; the C library's exit still flushes and closes every
 * open FILE, so what scripts wrote reaches its files.  Pending `__close`
 * and `__gc` handlers do not run.
 */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "coro.h"
#include "stdlib_internal.h"

/* Room for one strftime conversion (Lua's SIZETIMEFMT). */
#define DATE_CONV_SIZE 250

int coro_stdlib_execresult(coro_VM *vm, int stat)
{
    if (stat != 0 && errno != 0)
        return coro_fileresult(vm, 0, NULL);
    const char *what = "exit";
    if (WIFEXITED(stat)) {
        stat = WEXITSTATUS(stat);
    } else if (WIFSIGNALED(stat)) {
        stat = WTERMSIG(stat);
        what = "signal";
    }
    if (what[0] == 'e' && stat == 0)
        coro_pushboolean(vm, 1);
    else
        coro_pushnil(vm);
    coro_pushstring(vm, what);
    coro_pushinteger(vm, stat);
    return 3;
}

/* ---- commands, files, environment --------------------------------------------------- */

static int os_execute(coro_VM *vm)
{
    const char *cmd = coro_optstring(vm, 1, NULL);
    errno = 0;
    int stat = system(cmd);
    if (cmd == NULL) {
        coro_pushboolean(vm, stat);     /* is there a shell? */
        return 1;
    }
    return coro_stdlib_execresult(vm, stat);
}

static int os_remove(coro_VM *vm)
{
    const char *filename = coro_checkstring(vm, 1);
    errno = 0;
    return coro_fileresult(vm, remove(filename) == 0, filename);
}

static int os_rename(coro_VM *vm)
{
    const char *from = coro_checkstring(vm, 1);
    const char *to = coro_checkstring(vm, 2);
    errno = 0;
    return coro_fileresult(vm, rename(from, to) == 0, NULL);
}

/* A fresh name that no other process will be handed: mkstemp creates the
 * file, which stays (empty) for the script to use. */
static int os_tmpname(coro_VM *vm)
{
    char name[] = "/tmp/coro_XXXXXX";
    int fd = mkstemp(name);
    if (fd == -1)
        coro_errorf(vm, "unable to generate a unique filename");
    close(fd);
    coro_pushstring(vm, name);
    return 1;
}

static int os_getenv(coro_VM *vm)
{
    coro_pushstring(vm, getenv(coro_checkstring(vm, 1)));
    return 1;
}

static int os_clock(coro_VM *vm)
{
    coro_pushnumber(vm, (coro_Number)clock() / (coro_Number)CLOCKS_PER_SEC);
    return 1;
}

static int os_setlocale(coro_VM *vm)
{
    static const int categories[] = { LC_ALL, LC_COLLATE, LC_CTYPE, LC_MONETARY, LC_NUMERIC, LC_TIME };
    static const char *const names[] = { "all", "collate", "ctype", "monetary", "numeric", "time", NULL };
    const char *locale = coro_optstring(vm, 1, NULL);
    int op = coro_checkoption(vm, 2, "all", names);
    coro_pushstring(vm, setlocale(categories[op], locale));
    return 1;
}

/* Exits without returning.  The status: true/false as success/failure,
 * else an integer (default success). */
static int os_exit(coro_VM *vm)
{
    int status;
    if (coro_type(vm, 1) == CORO_TBOOLEAN)
        status = coro_toboolean(vm, 1) ? EXIT_SUCCESS : EXIT_FAILURE;
    else
        status = (int)coro_optinteger(vm, 1, EXIT_SUCCESS);
    /* The second argument (close the state first) is accepted and has no
     * further effect: see the comment at the top of the file. */
    fflush(NULL);
    exit(status);
}

/* ---- time --------------------------------------------------------------------------- */

/* A time argument: an integer that fits time_t. */
static time_t check_time(coro_VM *vm, int arg)
{
    coro_Integer t = coro_checkinteger(vm, arg);
    coro_argcheck(vm, (coro_Integer)(time_t)t == t, arg, "time out-of-bounds");
    return (time_t)t;
}

static void set_int_field(coro_VM *vm, const char *key, int value, int delta)
{
    coro_pushinteger(vm, (coro_Integer)value + delta);
    coro_setfield(vm, -2, key);
}

/* Fills the table on top with the fields of tm, as os.date("*t") gives
 * them. */
static void set_all_fields(coro_VM *vm, const struct tm *tm)
{
    set_int_field(vm, "year", tm->tm_year, 1900);
    set_int_field(vm, "month", tm->tm_mon, 1);
    set_int_field(vm, "day", tm->tm_mday, 0);
    set_int_field(vm, "hour", tm->tm_hour, 0);
    set_int_field(vm, "min", tm->tm_min, 0);
    set_int_field(vm, "sec", tm->tm_sec, 0);
    set_int_field(vm, "yday", tm->tm_yday, 1);
    set_int_field(vm, "wday", tm->tm_wday, 1);
    if (tm->tm_isdst >= 0) {
        coro_pushboolean(vm, tm->tm_isdst);
        coro_setfield(vm, -2, "isdst");
    }
}

/* A field of the date table on top, minus delta, checked to fit an int.
 * def < 0 means the field is required. */
static int get_field(coro_VM *vm, const char *key, int def, int delta)
{
    int t = coro_getfield(vm, -1, key);
    int isnum;
    coro_Integer v = coro_tointegerx(vm, -1, &isnum);
    if (!isnum) {
        if (t != CORO_TNIL)
            coro_errorf(vm, "field '%s' is not an integer", key);
        if (def < 0)
            coro_errorf(vm, "field '%s' missing in date table", key);
        coro_pop(vm, 1);
        return def;
    }
    /* v - delta must fit an int; written so that nothing overflows. */
    if (!(v >= 0 ? v - delta <= INT_MAX : (coro_Integer)INT_MIN + delta <= v))
        coro_errorf(vm, "field '%s' is out-of-bound", key);
    coro_pop(vm, 1);
    return (int)(v - delta);
}

static int os_time(coro_VM *vm)
{
    time_t t;
    if (coro_isnoneornil(vm, 1)) {
        t = time(NULL);
    } else {
        coro_checktype(vm, 1, CORO_TTABLE);
        coro_settop(vm, 1);
        struct tm tm;
        memset(&tm, 0, sizeof tm);
        /* Lua 5.4's order, which decides which error a bad table gets. */
        tm.tm_year = get_field(vm, "year", -1, 1900);
        tm.tm_mon = get_field(vm, "month", -1, 1);
        tm.tm_mday = get_field(vm, "day", -1, 0);
        tm.tm_hour = get_field(vm, "hour", 12, 0);
        tm.tm_min = get_field(vm, "min", 0, 0);
        tm.tm_sec = get_field(vm, "sec", 0, 0);
        tm.tm_isdst = coro_getfield(vm, 1, "isdst") == CORO_TNIL ? -1 : coro_toboolean(vm, -1);
        coro_pop(vm, 1);
        t = mktime(&tm);
        /* The table is normalised in place: month 13 becomes January. */
        set_all_fields(vm, &tm);
    }
    if (t == (time_t)-1)
        coro_errorf(vm, "time result cannot be represented in this installation");
    coro_pushinteger(vm, (coro_Integer)t);
    return 1;
}

static int os_difftime(coro_VM *vm)
{
    time_t t1 = check_time(vm, 1);
    time_t t2 = check_time(vm, 2);
    coro_pushnumber(vm, (coro_Number)difftime(t1, t2));
    return 1;
}

/* C99's conversions: one character, or E or O and one more. */
static const char date_conv1[] = "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
static const char *const date_conv2[] = {
    "Ec", "EC", "Ex", "EX", "Ey", "EY",
    "Od", "Oe", "OH", "OI", "Om", "OM", "OS", "Ou", "OU", "OV", "Ow", "OW", "Oy", NULL
};

/* Copies the conversion at s (just after its '%') into spec as "%X" or
 * "%EX" and returns what follows it; raises if it is not C99's. */
static const char *check_conversion(coro_VM *vm, const char *s, size_t left, char spec[4])
{
    spec[0] = '%';
    if (left >= 1 && s[0] != '\0' && strchr(date_conv1, s[0]) != NULL) {
        spec[1] = s[0];
        spec[2] = '\0';
        return s + 1;
    }
    if (left >= 2) {
        for (int i = 0; date_conv2[i]; i++) {
            if (s[0] == date_conv2[i][0] && s[1] == date_conv2[i][1]) {
                spec[1] = s[0];
                spec[2] = s[1];
                spec[3] = '\0';
                return s + 2;
            }
        }
    }
    /* Lua quotes the whole rest of the format. */
    coro_argerror(vm, 1, coro_pushfstring(vm, "invalid conversion specifier '%%%s'", s));
}

static int os_date(coro_VM *vm)
{
    size_t len;
    const char *s = coro_optlstring(vm, 1, "%c", &len);
    time_t t = coro_isnoneornil(vm, 2) ? time(NULL) : check_time(vm, 2);
    const char *end = s + len;
    struct tm tmbuf, *tm;
    if (*s == '!') {
        tm = gmtime_r(&t, &tmbuf);
        s++;
    } else {
        tm = localtime_r(&t, &tmbuf);
    }
    if (tm == NULL)
        coro_errorf(vm, "date result cannot be represented in this installation");
    if (strcmp(s, "*t") == 0) {
        coro_createtable(vm, 0, 9);
        set_all_fields(vm, tm);
        return 1;
    }
    coro_Buffer b;
    coro_buffinit(vm, &b);
    while (s < end) {
        if (*s != '%') {
            coro_addchar(&b, *s++);
            continue;
        }
        char spec[4];
        s = check_conversion(vm, s + 1, (size_t)(end - s - 1), spec);
        char *out = coro_prepbuffsize(&b, DATE_CONV_SIZE);
        coro_addsize(&b, strftime(out, DATE_CONV_SIZE, spec, tm));
    }
    coro_pushresult(&b);
    return 1;
}

/* ---- registration --------------------------------------------------------------------- */

static const coro_Reg os_funcs[] = {
    { "clock", os_clock },
    { "date", os_date },
    { "difftime", os_difftime },
    { "execute", os_execute },
    { "exit", os_exit },
    { "getenv", os_getenv },
    { "remove", os_remove },
    { "rename", os_rename },
    { "setlocale", os_setlocale },
    { "time", os_time },
    { "tmpname", os_tmpname },
    { NULL, NULL }
};

static int open_os(coro_VM *vm)
{
    coro_newlib(vm, os_funcs);
    return 1;
}

void coro_open_os(coro_VM *vm)
{
    coro_requiref(vm, "os", open_os, 1);
    coro_pop(vm, 1);
}
