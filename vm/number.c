/*
 * number.c: numeric conversions and raw arithmetic.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "call.h"

bool coro_flt_to_int(double d, int64_t *out, F2IMode mode)
{
    double f = floor(d);
    if (d != f) {
        if (mode == F2I_EXACT)
            return false;
        if (mode == F2I_CEIL)
            f += 1;
    }
    /* -2^63 <= f < 2^63 */
    if (f >= -9223372036854775808.0 && f < 9223372036854775808.0) {
        *out = (int64_t)f;
        return true;
    }
    return false;
}

bool coro_value_str_to_num(const Value *v, Value *out)
{
    if (!is_string(v))
        return false;
    String *s = as_string(v);
    return coro_str_to_number(s->data, str_len(s), out) == str_len(s) + 1;
}

bool coro_value_to_int(const Value *v, int64_t *out, F2IMode mode)
{
    Value tmp;
    if (is_string(v) && coro_value_str_to_num(v, &tmp))
        v = &tmp;
    if (is_int(v)) {
        *out = as_int(v);
        return true;
    }
    if (is_float(v))
        return coro_flt_to_int(as_float(v), out, mode);
    return false;
}

bool coro_value_to_number(const Value *v, double *out)
{
    Value tmp;
    if (is_string(v) && coro_value_str_to_num(v, &tmp))
        v = &tmp;
    if (is_int(v)) {
        *out = (double)as_int(v);
        return true;
    }
    if (is_float(v)) {
        *out = as_float(v);
        return true;
    }
    return false;
}

int64_t coro_int_idiv(coro_VM *vm, int64_t a, int64_t b)
{
    if ((uint64_t)b + 1u <= 1u) {
        if (b == 0)
            coro_throw_msg(vm, "attempt to divide by zero");
        return (int64_t)(0u - (uint64_t)a);   /* b == -1: avoid overflow */
    }
    int64_t q = a / b;
    if ((a ^ b) < 0 && a % b != 0)
        q -= 1;
    return q;
}

int64_t coro_int_mod(coro_VM *vm, int64_t a, int64_t b)
{
    if ((uint64_t)b + 1u <= 1u) {
        if (b == 0)
            coro_throw_msg(vm, "attempt to perform 'n%%0'");
        return 0;
    }
    int64_t r = a % b;
    if (r != 0 && (r ^ b) < 0)
        r += b;
    return r;
}

double coro_flt_mod(double a, double b)
{
    /* fmod truncates; the result must take the divisor's sign. */
    double m = fmod(a, b);
    if ((m > 0) ? b < 0 : (m < 0 && b > 0))
        m += b;
    return m;
}

double coro_flt_idiv(double a, double b)
{
    return floor(a / b);
}

int64_t coro_int_shl(int64_t x, int64_t y)
{
    if (y < 0) {
        if (y <= -64)
            return 0;
        return (int64_t)((uint64_t)x >> (uint64_t)(-y));
    }
    if (y >= 64)
        return 0;
    return (int64_t)((uint64_t)x << (uint64_t)y);
}

static int64_t int_arith(coro_VM *vm, int op, int64_t a, int64_t b)
{
    switch (op) {
    case CORO_OPADD: return (int64_t)((uint64_t)a + (uint64_t)b);
    case CORO_OPSUB: return (int64_t)((uint64_t)a - (uint64_t)b);
    case CORO_OPMUL: return (int64_t)((uint64_t)a * (uint64_t)b);
    case CORO_OPMOD: return coro_int_mod(vm, a, b);
    case CORO_OPIDIV: return coro_int_idiv(vm, a, b);
    case CORO_OPBAND: return a & b;
    case CORO_OPBOR: return a | b;
    case CORO_OPBXOR: return a ^ b;
    case CORO_OPSHL: return coro_int_shl(a, b);
    case CORO_OPSHR: return coro_int_shl(a, (int64_t)(0u - (uint64_t)b));
    case CORO_OPUNM: return (int64_t)(0u - (uint64_t)a);
    case CORO_OPBNOT: return ~a;
    default: return 0;
    }
}

static double flt_arith(int op, double a, double b)
{
    switch (op) {
    case CORO_OPADD: return a + b;
    case CORO_OPSUB: return a - b;
    case CORO_OPMUL: return a * b;
    case CORO_OPDIV: return a / b;
    case CORO_OPPOW: return b == 2 ? a * a : pow(a, b);
    case CORO_OPIDIV: return coro_flt_idiv(a, b);
    case CORO_OPUNM: return -a;
    case CORO_OPMOD: return coro_flt_mod(a, b);
    default: return 0;
    }
}

bool coro_arith_raw(coro_VM *vm, int op, const Value *a, const Value *b, Value *res)
{
    switch (op) {
    case CORO_OPBAND: case CORO_OPBOR: case CORO_OPBXOR:
    case CORO_OPSHL: case CORO_OPSHR: case CORO_OPBNOT: {
        /* Numbers only: Lua 5.4 does not convert strings for these. */
        int64_t x, y;
        if (!is_number(a) || !is_number(b) ||
            !coro_value_to_int(a, &x, F2I_EXACT) || !coro_value_to_int(b, &y, F2I_EXACT))
            return false;
        set_int(res, int_arith(vm, op, x, y));
        return true;
    }
    case CORO_OPDIV: case CORO_OPPOW:
        if (!is_number(a) || !is_number(b))
            return false;
        set_float(res, flt_arith(op, as_number(a), as_number(b)));
        return true;
    default:
        /* Arithmetic on strings is the string library's metamethods'. */
        if (is_int(a) && is_int(b)) {
            set_int(res, int_arith(vm, op, as_int(a), as_int(b)));
            return true;
        }
        if (is_number(a) && is_number(b)) {
            set_float(res, flt_arith(op, as_number(a), as_number(b)));
            return true;
        }
        return false;
    }
}

/* ---- string to number ---------------------------------------------------- */

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Integer numeral (decimal or hex); false if it is not one or a decimal
 * one overflows (it is then read as a float). */
static bool parse_integer(const char *s, const char *end, int64_t *out, const char **stop)
{
    const char *p = s;
    bool neg = false;
    if (p < end && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    uint64_t a = 0;
    bool any = false;
    if (end - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
        for (; p < end && hex_digit((unsigned char)*p) >= 0; p++) {
            a = a * 16 + (uint64_t)hex_digit((unsigned char)*p);
            any = true;
        }
    } else {
        for (; p < end && *p >= '0' && *p <= '9'; p++) {
            unsigned c = (unsigned)(*p - '0');
            if (a >= (uint64_t)INT64_MAX / 10 && (a > (uint64_t)INT64_MAX / 10 || c > 7 + (unsigned)neg))
                return false;   /* overflow: not an integer */
            a = a * 10 + c;
            any = true;
        }
    }
    while (p < end && is_space((unsigned char)*p))
        p++;
    if (!any || p != end)
        return false;
    *out = (int64_t)(neg ? 0u - a : a);
    *stop = p;
    return true;
}

/* Hexadecimal float per Lua: 0x[hex][.hex][p[+-]dec]. */
static bool parse_hex_float(const char *p, const char *end, double *out, const char **stop)
{
    bool neg = false;
    if (p < end && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    if (!(end - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')))
        return false;
    p += 2;
    double r = 0;
    int exp = 0, sigdig = 0, nosigdig = 0;
    bool any = false, dot = false;
    for (; p < end; p++) {
        if (*p == '.') {
            if (dot)
                break;
            dot = true;
        } else if (hex_digit((unsigned char)*p) >= 0) {
            any = true;
            if (sigdig == 0 && *p == '0')
                nosigdig++;
            else if (++sigdig <= 30)
                r = r * 16 + hex_digit((unsigned char)*p);
            else
                exp++;  /* too many digits: ignore, but still count */
            if (dot)
                exp--;
        } else {
            break;
        }
    }
    if (!any)
        return false;
    exp *= 4;
    if (p < end && (*p == 'p' || *p == 'P')) {
        p++;
        bool eneg = false;
        if (p < end && (*p == '-' || *p == '+'))
            eneg = *p++ == '-';
        if (p >= end || !(*p >= '0' && *p <= '9'))
            return false;
        int e = 0;
        for (; p < end && *p >= '0' && *p <= '9'; p++)
            e = e < 100000 ? e * 10 + (*p - '0') : e;
        exp += eneg ? -e : e;
    }
    *out = ldexp(neg ? -r : r, exp);
    *stop = p;
    return true;
}

size_t coro_str_to_number(const char *s, size_t len, Value *out)
{
    const char *p = s, *end = s + len;
    while (p < end && is_space((unsigned char)*p))
        p++;
    const char *q = end;
    while (q > p && is_space((unsigned char)q[-1]))
        q--;
    if (p == q)
        return 0;
    for (const char *c = p; c < q; c++)
        if (*c == '\0')
            return 0;
    const char *stop;
    int64_t i;
    if (parse_integer(p, q, &i, &stop)) {
        set_int(out, i);
        return len + 1;
    }
    /* Floats: reject words strtod would take (inf, nan). */
    for (const char *c = p; c < q; c++)
        if (*c == 'n' || *c == 'N' || *c == 'i' || *c == 'I')
            return 0;
    double d;
    const char *sign = p;
    if (sign < q && (*sign == '-' || *sign == '+'))
        sign++;
    if (q - sign >= 2 && sign[0] == '0' && (sign[1] == 'x' || sign[1] == 'X')) {
        if (!parse_hex_float(p, q, &d, &stop) || stop != q)
            return 0;
    } else {
        char buf[200];
        size_t n = (size_t)(q - p);
        char *tmp = n < sizeof buf ? buf : malloc(n + 1);
        if (!tmp)
            return 0;
        memcpy(tmp, p, n);
        tmp[n] = '\0';
        char *e;
        d = strtod(tmp, &e);
        bool ok = e == tmp + n && n > 0;
        if (tmp != buf)
            free(tmp);
        if (!ok)
            return 0;
    }
    set_float(out, d);
    return len + 1;
}

int coro_number_to_str(const Value *v, char *buf)
{
    if (is_int(v))
        return snprintf(buf, NUMBER_BUF, "%lld", (long long)as_int(v));
    double d = as_float(v);
    int n = snprintf(buf, NUMBER_BUF, "%.14g", d);
    /* Looks like an integer: add ".0" so it reads back as a float. */
    if (buf[strspn(buf, "-0123456789")] == '\0') {
        buf[n++] = '.';
        buf[n++] = '0';
        buf[n] = '\0';
    }
    return n;
}
