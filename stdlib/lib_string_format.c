/*
 * lib_string_format.c: string.format.
 *
 * Each conversion is validated here and then handed to the C library's
 * snprintf, so numbers come out exactly as C (and therefore Lua) prints
 * them.  Validation is strict for the same reason Lua's is: only flags,
 * a width and a precision of at most two digits each may reach snprintf,
 * which bounds every item's size (the largest, "%99.99f" of 1e308, needs
 * about 410 bytes) and keeps the C library's undefined corners (%n,
 * '*', length modifiers) out of reach of scripts.
 */
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "coro.h"
#include "lib_string.h"

/* A conversion's flags, width and precision, plus the conversion letter,
 * may be at most this long (Lua's limit). */
#define SPEC_MAX_LEN 21
/* Room for any single formatted item (see above). */
#define ITEM_BUF 512

/* The flags each kind of conversion accepts. */
#define FLAGS_INT "-+ 0"
#define FLAGS_UNSIGNED "-0"
#define FLAGS_HEX "-#0"
#define FLAGS_FLOAT "-+ #0"
#define FLAGS_OTHER "-"

/* Reads the conversion after a '%' at f: its flags, digits and dots, and
 * the conversion character (0 at the end of the format).  Writes
 * "%<spec><conv>" to spec and returns the position after it. */
static const char *read_spec(coro_VM *vm, const char *f, const char *fend, char *spec)
{
    size_t n = 0;
    while (f + n < fend && f[n] != '\0' && strchr("-+ #0123456789.", f[n]))
        n++;
    if (n + 1 > SPEC_MAX_LEN)
        coro_errorf(vm, "invalid format (too long)");
    spec[0] = '%';
    memcpy(spec + 1, f, n);
    spec[n + 1] = f + n < fend ? f[n] : '\0';
    spec[n + 2] = '\0';
    return f + n < fend ? f + n + 1 : fend;
}

static const char *skip_two_digits(const char *p)
{
    if (isdigit((unsigned char)*p))
        p++;
    if (isdigit((unsigned char)*p))
        p++;
    return p;
}

/* Checks that spec uses only the given flags, a width below 100 that does
 * not start with '0', and (if allowed) a precision below 100. */
static void check_spec(coro_VM *vm, const char *spec, const char *flags, bool precision)
{
    const char *p = spec + 1;
    p += strspn(p, flags);
    if (*p != '0') {
        p = skip_two_digits(p);
        if (*p == '.' && precision)
            p = skip_two_digits(p + 1);
    }
    if (!isalpha((unsigned char)*p))
        coro_errorf(vm, "invalid conversion specification: '%s'", spec);
}

/* Rewrites spec for snprintf with a length modifier before the
 * conversion letter ("%5d" -> "%5lld"). */
static void with_length(char *out, const char *spec, const char *modifier)
{
    size_t n = strlen(spec);
    memcpy(out, spec, n - 1);
    strcpy(out + n - 1, modifier);
    size_t m = strlen(out);
    out[m] = spec[n - 1];
    out[m + 1] = '\0';
}

/* ---- %q ------------------------------------------------------------------------------- */

static void add_quoted_string(coro_Buffer *b, const char *s, size_t len)
{
    coro_addchar(b, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\' || c == '\n') {
            coro_addchar(b, '\\');
            coro_addchar(b, (char)c);
        } else if (iscntrl(c)) {
            /* A digit right after the escape would extend it. */
            char esc[8];
            bool digit_next = i + 1 < len && isdigit((unsigned char)s[i + 1]);
            int n = snprintf(esc, sizeof esc, digit_next ? "\\%03d" : "\\%d", c);
            coro_addlstring(b, esc, (size_t)n);
        } else {
            coro_addchar(b, (char)c);
        }
    }
    coro_addchar(b, '"');
}

/* A float as a literal that reads back exactly: hexadecimal, or an
 * expression for the values that have no literal. */
static int quote_float(char *buf, size_t size, coro_Number x)
{
    if (x == (coro_Number)HUGE_VAL)
        return snprintf(buf, size, "1e9999");
    if (x == -(coro_Number)HUGE_VAL)
        return snprintf(buf, size, "-1e9999");
    if (x != x)
        return snprintf(buf, size, "(0/0)");
    return snprintf(buf, size, "%a", x);
}

static void add_literal(coro_VM *vm, coro_Buffer *b, int arg)
{
    char buf[ITEM_BUF];
    int n;
    switch (coro_type(vm, arg)) {
    case CORO_TSTRING: {
        size_t len;
        const char *s = coro_tolstring(vm, arg, &len);
        add_quoted_string(b, s, len);
        return;
    }
    case CORO_TNUMBER:
        if (!coro_isinteger(vm, arg)) {
            n = quote_float(buf, sizeof buf, coro_tonumber(vm, arg));
        } else {
            coro_Integer i = coro_tointeger(vm, arg);
            /* -9223372036854775808 would read back as a float (the
             * minus is an operator applied to a too-large integer). */
            if (i == INT64_MIN)
                n = snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)i);
            else
                n = snprintf(buf, sizeof buf, "%lld", (long long)i);
        }
        coro_addlstring(b, buf, (size_t)n);
        return;
    case CORO_TNIL:
    case CORO_TBOOLEAN:
        coro_tolstring_meta(vm, arg, NULL);
        coro_addvalue(b);
        return;
    default:
        coro_argerror(vm, arg, "value has no literal form");
    }
}

/* ---- %s -------------------------------------------------------------------------------- */

static void add_string_item(coro_VM *vm, coro_Buffer *b, int arg, const char *spec)
{
    size_t len;
    const char *s = coro_tolstring_meta(vm, arg, &len);
    if (spec[2] == '\0') {
        coro_addvalue(b);   /* plain %s: the whole string, zeros and all */
        return;
    }
    coro_argcheck(vm, strlen(s) == len, arg, "string contains zeros");
    check_spec(vm, spec, FLAGS_OTHER, true);
    if (!strchr(spec, '.') && len >= 100) {
        /* No precision to cut it and too long for any width to matter. */
        coro_addvalue(b);
        return;
    }
    char buf[ITEM_BUF];
    int n = snprintf(buf, sizeof buf, spec, s);
    coro_pop(vm, 1);
    coro_addlstring(b, buf, (size_t)n);
}

/* ---- the function ---------------------------------------------------------------------- */

/* Formats one conversion (spec, ending in its letter) of argument arg. */
static void add_item(coro_VM *vm, coro_Buffer *b, int arg, const char *spec)
{
    char buf[ITEM_BUF];
    char form[SPEC_MAX_LEN + 8];
    int n;
    char conv = spec[strlen(spec) - 1];
    switch (conv) {
    case 'c':
        check_spec(vm, spec, FLAGS_OTHER, false);
        n = snprintf(buf, sizeof buf, spec, (int)coro_checkinteger(vm, arg));
        break;
    case 'd':
    case 'i': {
        coro_Integer i = coro_checkinteger(vm, arg);
        check_spec(vm, spec, FLAGS_INT, true);
        with_length(form, spec, "ll");
        n = snprintf(buf, sizeof buf, form, (long long)i);
        break;
    }
    case 'u':
    case 'o':
    case 'x':
    case 'X': {
        coro_Integer i = coro_checkinteger(vm, arg);
        check_spec(vm, spec, conv == 'u' ? FLAGS_UNSIGNED : FLAGS_HEX, true);
        with_length(form, spec, "ll");
        n = snprintf(buf, sizeof buf, form, (unsigned long long)i);
        break;
    }
    case 'a':
    case 'A':
        check_spec(vm, spec, FLAGS_FLOAT, true);
        n = snprintf(buf, sizeof buf, spec, (double)coro_checknumber(vm, arg));
        break;
    case 'e':
    case 'E':
    case 'f':
    case 'g':
    case 'G': {
        coro_Number x = coro_checknumber(vm, arg);
        check_spec(vm, spec, FLAGS_FLOAT, true);
        n = snprintf(buf, sizeof buf, spec, (double)x);
        break;
    }
    case 'p': {
        const void *ptr = coro_topointer(vm, arg);
        check_spec(vm, spec, FLAGS_OTHER, false);
        if (ptr) {
            n = snprintf(buf, sizeof buf, spec, ptr);
        } else {
            /* Values that are not objects print as "(null)" with the
             * same width, portably. */
            strcpy(form, spec);
            form[strlen(form) - 1] = 's';
            n = snprintf(buf, sizeof buf, form, "(null)");
        }
        break;
    }
    case 'q':
        if (spec[2] != '\0')
            coro_errorf(vm, "specifier '%%q' cannot have modifiers");
        add_literal(vm, b, arg);
        return;
    case 's':
        add_string_item(vm, b, arg, spec);
        return;
    default:
        coro_errorf(vm, "invalid conversion '%s' to 'format'", spec);
    }
    coro_addlstring(b, buf, (size_t)n);
}

int coro_strlib_format(coro_VM *vm)
{
    int top = coro_gettop(vm);
    int arg = 1;
    size_t len;
    const char *f = coro_checklstring(vm, 1, &len);
    const char *fend = f + len;
    coro_Buffer b;
    coro_buffinit(vm, &b);
    while (f < fend) {
        const char *pct = memchr(f, '%', (size_t)(fend - f));
        if (!pct) {
            coro_addlstring(&b, f, (size_t)(fend - f));
            break;
        }
        coro_addlstring(&b, f, (size_t)(pct - f));
        f = pct + 1;
        if (f < fend && *f == '%') {
            coro_addchar(&b, '%');
            f++;
            continue;
        }
        if (++arg > top)
            coro_argerror(vm, arg, "no value");
        char spec[SPEC_MAX_LEN + 2];
        f = read_spec(vm, f, fend, spec);
        add_item(vm, &b, arg, spec);
    }
    coro_pushresult(&b);
    return 1;
}
