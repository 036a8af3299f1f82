/*
 * lib_utf8.c: the utf8 library (Lua 5.4's char charpattern codepoint codes
 * len offset).
 *
 * Strings are byte strings; these functions read and write UTF-8 in them.
 * Strict mode (the default) accepts code points up to U+10FFFF and no
 * surrogates; lax mode accepts the original UTF-8 sequences of up to six
 * bytes (values up to 2^31 - 1).  Overlong encodings are never accepted.
 * Every read is bounded by the string's length, not by its terminator.
 */
#include <limits.h>
#include <stdint.h>

#include "coro.h"

#define MAX_UNICODE 0x10FFFFu
#define MAX_UTF     0x7FFFFFFFu

static int is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Decodes the sequence at s (end: one past the string).  Returns the byte
 * after it and stores its value in *code, or returns NULL if the bytes are
 * not a valid sequence. */
static const char *decode(const char *s, const char *end, uint32_t *code, int strict)
{
    /* The smallest value that needs k continuation bytes: anything below
     * is overlong. */
    static const uint32_t min_value[] = { 0, 0x80, 0x800, 0x10000, 0x200000, 0x4000000 };
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80) {
        *code = c;
        return s + 1;
    }
    /* Each 1 bit after the leading one announces a continuation byte. */
    int count = 0;
    uint32_t value = 0;
    for (; c & 0x40; c = (unsigned char)(c << 1)) {
        if (count == 5)
            return NULL;
        count++;
        if (s + count >= end || !is_continuation((unsigned char)s[count]))
            return NULL;
        value = (value << 6) | ((unsigned char)s[count] & 0x3F);
    }
    if (count == 0)     /* a stray continuation byte */
        return NULL;
    /* What is left of the first byte, after its length prefix. */
    value |= (uint32_t)(c & 0x7F) << (count * 5);
    if (value > MAX_UTF || value < min_value[count])
        return NULL;
    if (strict && (value > MAX_UNICODE || (value >= 0xD800 && value <= 0xDFFF)))
        return NULL;
    *code = value;
    return s + count + 1;
}

/* A relative string position (negative counts from the end) as an
 * absolute one; 0 when it lies before the start. */
static coro_Integer absolute_position(coro_Integer pos, size_t len)
{
    if (pos >= 0)
        return pos;
    if ((size_t)0 - (size_t)pos > len)
        return 0;
    return (coro_Integer)len + pos + 1;
}

/* utf8.len(s [, i [, j [, lax]]]) */
static int utf8_len(coro_VM *vm)
{
    size_t len;
    const char *s = coro_checklstring(vm, 1, &len);
    coro_Integer i = absolute_position(coro_optinteger(vm, 2, 1), len);
    coro_Integer j = absolute_position(coro_optinteger(vm, 3, -1), len);
    int lax = coro_toboolean(vm, 4);
    coro_argcheck(vm, 1 <= i && --i <= (coro_Integer)len, 2, "initial position out of bounds");
    coro_argcheck(vm, --j < (coro_Integer)len, 3, "final position out of bounds");
    coro_Integer n = 0;
    while (i <= j) {
        uint32_t code;
        const char *next = decode(s + i, s + len, &code, !lax);
        if (next == NULL) {
            coro_pushnil(vm);
            coro_pushinteger(vm, i + 1);
            return 2;
        }
        i = next - s;
        n++;
    }
    coro_pushinteger(vm, n);
    return 1;
}

/* utf8.codepoint(s [, i [, j [, lax]]]) */
static int utf8_codepoint(coro_VM *vm)
{
    size_t len;
    const char *s = coro_checklstring(vm, 1, &len);
    coro_Integer i = absolute_position(coro_optinteger(vm, 2, 1), len);
    coro_Integer j = absolute_position(coro_optinteger(vm, 3, i), len);
    int lax = coro_toboolean(vm, 4);
    coro_argcheck(vm, i >= 1, 2, "out of bounds");
    coro_argcheck(vm, j <= (coro_Integer)len, 3, "out of bounds");
    if (i > j)
        return 0;
    /* Capped well below INT_MAX (far beyond any stack the VM grants), so
     * n plus coro_checkstack's own reserve stays inside an int. */
    if (j - i >= INT_MAX / 2)
        return coro_errorf(vm, "string slice too long");
    coro_checkstack_msg(vm, (int)(j - i) + 1, "string slice too long");
    int n = 0;
    const char *p = s + i - 1, *stop = s + j;
    while (p < stop) {
        uint32_t code;
        p = decode(p, s + len, &code, !lax);
        if (p == NULL)
            return coro_errorf(vm, "invalid UTF-8 code");
        coro_pushinteger(vm, code);
        n++;
    }
    return n;
}

/* Appends the UTF-8 encoding of x (at most 2^31 - 1) to the buffer. */
static void add_utf8(coro_Buffer *b, uint32_t x)
{
    char buf[8];
    int n = 0;
    if (x < 0x80) {
        coro_addchar(b, (char)x);
        return;
    }
    /* Continuation bytes from the end; the first byte's free bits shrink
     * by one for each of them. */
    uint32_t first_max = 0x3F;
    do {
        buf[7 - n++] = (char)(0x80 | (x & 0x3F));
        x >>= 6;
        first_max >>= 1;
    } while (x > first_max);
    /* The leading byte: n + 1 high 1 bits, then the rest of x. */
    buf[7 - n] = (char)((~first_max << 1) | x);
    coro_addlstring(b, buf + 7 - n, (size_t)n + 1);
}

static uint32_t check_code(coro_VM *vm, int arg)
{
    coro_Integer code = coro_checkinteger(vm, arg);
    coro_argcheck(vm, (coro_Unsigned)code <= MAX_UTF, arg, "value out of range");
    return (uint32_t)code;
}

/* utf8.char(...) */
static int utf8_char(coro_VM *vm)
{
    int n = coro_gettop(vm);
    coro_Buffer b;
    for (int i = 1; i <= n; i++)
        check_code(vm, i);
    coro_buffinit(vm, &b);
    for (int i = 1; i <= n; i++)
        add_utf8(&b, (uint32_t)coro_tointeger(vm, i));
    coro_pushresult(&b);
    return 1;
}

/* utf8.offset(s, n [, i]) */
static int utf8_offset(coro_VM *vm)
{
    size_t len;
    const char *s = coro_checklstring(vm, 1, &len);
    coro_Integer n = coro_checkinteger(vm, 2);
    coro_Integer i = absolute_position(coro_optinteger(vm, 3, n >= 0 ? 1 : (coro_Integer)len + 1), len);
    coro_argcheck(vm, 1 <= i && --i <= (coro_Integer)len, 3, "position out of bounds");
    /* i is now 0-based; the byte at len counts as a character start. */
#define CONT_AT(k) ((size_t)(k) < len && is_continuation((unsigned char)s[k]))
    if (n == 0) {
        /* The start of the character holding byte i. */
        while (i > 0 && CONT_AT(i))
            i--;
    } else {
        if (CONT_AT(i))
            return coro_errorf(vm, "initial position is a continuation byte");
        if (n < 0) {
            for (; n < 0 && i > 0; n++) {
                do {
                    i--;
                } while (i > 0 && CONT_AT(i));
            }
        } else {
            for (n--; n > 0 && i < (coro_Integer)len; n--) {
                do {
                    i++;
                } while (CONT_AT(i));
            }
        }
    }
#undef CONT_AT
    if (n == 0)
        coro_pushinteger(vm, i + 1);
    else
        coro_pushnil(vm);
    return 1;
}

/* The iterator of utf8.codes: the control value is the position of the
 * previous character (0 at the start). */
static int codes_step(coro_VM *vm, int strict)
{
    size_t len;
    const char *s = coro_checklstring(vm, 1, &len);
    /* Unsigned, so a negative control value ends the loop. */
    coro_Unsigned i = (coro_Unsigned)coro_tointeger(vm, 2);
    /* Skip the rest of the previous character (i points just past its
     * first byte; at the start, i is 0 and nothing is skipped unless the
     * string opens with continuation bytes). */
    while (i < len && is_continuation((unsigned char)s[i]))
        i++;
    if (i >= len)
        return 0;
    uint32_t code;
    if (decode(s + i, s + len, &code, strict) == NULL)
        return coro_errorf(vm, "invalid UTF-8 code");
    coro_pushinteger(vm, (coro_Integer)i + 1);
    coro_pushinteger(vm, code);
    return 2;
}

static int codes_step_strict(coro_VM *vm)
{
    return codes_step(vm, 1);
}

static int codes_step_lax(coro_VM *vm)
{
    return codes_step(vm, 0);
}

/* utf8.codes(s [, lax]) */
static int utf8_codes(coro_VM *vm)
{
    int lax = coro_toboolean(vm, 2);
    coro_checklstring(vm, 1, NULL);
    coro_pushcfunction(vm, lax ? codes_step_lax : codes_step_strict);
    coro_pushvalue(vm, 1);
    coro_pushinteger(vm, 0);
    return 3;
}

static const coro_Reg utf8_funcs[] = {
    { "char", utf8_char },
    { "codepoint", utf8_codepoint },
    { "codes", utf8_codes },
    { "len", utf8_len },
    { "offset", utf8_offset },
    { NULL, NULL }
};

/* Matches exactly one UTF-8 sequence (with Lua patterns); it holds a NUL
 * byte, hence the explicit length. */
static const char charpattern[] = "[\0-\x7F\xC2-\xFD][\x80-\xBF]*";

static int open_utf8(coro_VM *vm)
{
    coro_newlib(vm, utf8_funcs);
    coro_pushlstring(vm, charpattern, sizeof charpattern - 1);
    coro_setfield(vm, -2, "charpattern");
    return 1;
}

void coro_open_utf8(coro_VM *vm)
{
    coro_requiref(vm, "utf8", open_utf8, 1);
    coro_pop(vm, 1);
}
