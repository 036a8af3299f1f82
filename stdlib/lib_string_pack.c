/*
 * lib_string_pack.c: string.pack, string.packsize and string.unpack.
 *
 * A format is read one option at a time by the same parser for all three
 * functions, which keeps their idea of sizes and alignment identical.
 * Integers are assembled byte by byte with shifts rather than by copying
 * native memory, so the code does not depend on the host's byte order;
 * floats are copied and reversed when the requested order differs from
 * the host's.  Integers wider than a Lua integer (up to 16 bytes) are
 * sign- or zero-extended on packing and checked on unpacking.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "coro.h"
#include "lib_string.h"

/* Widest integer option, in bytes. */
#define PACK_MAX_INT 16
/* Bytes in a Lua integer. */
#define LUA_INT_BYTES ((int)sizeof(coro_Integer))

typedef enum Kind {
    K_INT,          /* signed integer */
    K_UINT,         /* unsigned integer */
    K_FLOAT,        /* C float */
    K_NUMBER,       /* Lua number (a double) */
    K_DOUBLE,       /* C double */
    K_FIXED,        /* fixed-size string (c) */
    K_STRING,       /* string with a length prefix (s) */
    K_ZSTRING,      /* zero-terminated string (z) */
    K_PADDING,      /* one zero byte (x) */
    K_ALIGN,        /* alignment only (X) */
    K_NOP           /* settings, spaces */
} Kind;

typedef struct Format {
    coro_VM *vm;
    const char *p;
    bool little;
    int max_align;
} Format;

/* The strictest alignment a C type can need here (that of a double, an
 * integer or a pointer): the default maximum for '!'. */
struct align_probe {
    char c;
    union { double d; void *p; coro_Integer i; long l; } u;
};
#define NATIVE_MAX_ALIGN ((int)offsetof(struct align_probe, u))

static bool host_is_little(void)
{
    const union { int i; char c[sizeof(int)]; } probe = {1};
    return probe.c[0] == 1;
}

/* Reads an optional decimal size; stops before it could exceed what the
 * sizes here may be, leaving further digits to be read as options. */
static int read_count(Format *fmt, int absent)
{
    if (!isdigit((unsigned char)*fmt->p))
        return absent;
    int n = 0;
    do {
        n = n * 10 + (*fmt->p++ - '0');
    } while (isdigit((unsigned char)*fmt->p) && n <= ((int)STRLIB_MAX_SIZE - 9) / 10);
    return n;
}

static int read_int_size(Format *fmt, int absent)
{
    int n = read_count(fmt, absent);
    if (n > PACK_MAX_INT || n <= 0)
        coro_errorf(fmt->vm, "integral size (%d) out of limits [1,%d]", n, PACK_MAX_INT);
    return n;
}

/* Reads one option; sets *size to the bytes it occupies (for strings, of
 * the length prefix only). */
static Kind read_option(Format *fmt, int *size)
{
    char opt = *fmt->p++;
    *size = 0;
    switch (opt) {
    case 'b': *size = 1; return K_INT;
    case 'B': *size = 1; return K_UINT;
    case 'h': *size = (int)sizeof(short); return K_INT;
    case 'H': *size = (int)sizeof(short); return K_UINT;
    case 'l': *size = (int)sizeof(long); return K_INT;
    case 'L': *size = (int)sizeof(long); return K_UINT;
    case 'j': *size = LUA_INT_BYTES; return K_INT;
    case 'J': *size = LUA_INT_BYTES; return K_UINT;
    case 'T': *size = (int)sizeof(size_t); return K_UINT;
    case 'f': *size = (int)sizeof(float); return K_FLOAT;
    case 'n': *size = (int)sizeof(coro_Number); return K_NUMBER;
    case 'd': *size = (int)sizeof(double); return K_DOUBLE;
    case 'i': *size = read_int_size(fmt, (int)sizeof(int)); return K_INT;
    case 'I': *size = read_int_size(fmt, (int)sizeof(int)); return K_UINT;
    case 's': *size = read_int_size(fmt, (int)sizeof(size_t)); return K_STRING;
    case 'c':
        *size = read_count(fmt, -1);
        if (*size == -1)
            coro_errorf(fmt->vm, "missing size for format option 'c'");
        return K_FIXED;
    case 'z': return K_ZSTRING;
    case 'x': *size = 1; return K_PADDING;
    case 'X': return K_ALIGN;
    case ' ': return K_NOP;
    case '<': fmt->little = true; return K_NOP;
    case '>': fmt->little = false; return K_NOP;
    case '=': fmt->little = host_is_little(); return K_NOP;
    case '!': fmt->max_align = read_int_size(fmt, NATIVE_MAX_ALIGN); return K_NOP;
    default:
        coro_errorf(fmt->vm, "invalid format option '%c'", opt);
    }
}

/* Reads the next option and works out the padding that must precede it
 * at offset `offset` of the packed data. */
static Kind next_option(Format *fmt, size_t offset, int *size, int *padding)
{
    Kind kind = read_option(fmt, size);
    int align = *size;
    if (kind == K_ALIGN) {
        /* X takes its alignment from the option after it, which is
         * otherwise ignored. */
        if (*fmt->p == '\0' || read_option(fmt, &align) == K_FIXED || align == 0)
            coro_argerror(fmt->vm, 1, "invalid next option for option 'X'");
    }
    *padding = 0;
    if (align <= 1 || kind == K_FIXED)
        return kind;
    if (align > fmt->max_align)
        align = fmt->max_align;
    if ((align & (align - 1)) != 0)
        coro_argerror(fmt->vm, 1, "format asks for alignment not power of 2");
    *padding = (align - (int)(offset & (size_t)(align - 1))) & (align - 1);
    return kind;
}

static void format_init(Format *fmt, coro_VM *vm)
{
    fmt->vm = vm;
    fmt->p = coro_checkstring(vm, 1);
    fmt->little = host_is_little();
    fmt->max_align = 1;
}

/* ---- pack ------------------------------------------------------------------------------------ */

/* Appends the low `size` bytes of v in the given order; beyond the width
 * of a Lua integer, the sign is extended. */
static void add_int(coro_Buffer *b, coro_Unsigned v, bool little, int size, bool negative)
{
    char *out = coro_prepbuffsize(b, (size_t)size);
    for (int i = 0; i < size; i++) {
        unsigned char byte;
        if (i < LUA_INT_BYTES)
            byte = (unsigned char)(v >> (8 * i));
        else
            byte = negative ? 0xff : 0;
        out[little ? i : size - 1 - i] = (char)byte;
    }
    coro_addsize(b, (size_t)size);
}

/* Copies a float's bytes to dst in the requested order. */
static void copy_ordered(char *dst, const void *src, int size, bool little)
{
    if (little == host_is_little()) {
        memcpy(dst, src, (size_t)size);
    } else {
        const char *s = src;
        for (int i = 0; i < size; i++)
            dst[i] = s[size - 1 - i];
    }
}

static void pack_float(coro_Buffer *b, Kind kind, coro_Number x, bool little)
{
    if (kind == K_FLOAT) {
        float f = (float)x;
        copy_ordered(coro_prepbuffsize(b, sizeof f), &f, (int)sizeof f, little);
        coro_addsize(b, sizeof f);
    } else {
        double d = (double)x;
        copy_ordered(coro_prepbuffsize(b, sizeof d), &d, (int)sizeof d, little);
        coro_addsize(b, sizeof d);
    }
}

int coro_strlib_pack(coro_VM *vm)
{
    Format fmt;
    format_init(&fmt, vm);
    /* A nil between the arguments and the buffer, so a missing argument
     * reads as nil rather than as the buffer's slot. */
    coro_pushnil(vm);
    coro_Buffer b;
    coro_buffinit(vm, &b);
    int arg = 1;
    size_t total = 0;
    while (*fmt.p != '\0') {
        int size, padding;
        Kind kind = next_option(&fmt, total, &size, &padding);
        total += (size_t)padding + (size_t)size;
        while (padding-- > 0)
            coro_addchar(&b, '\0');
        arg++;
        switch (kind) {
        case K_INT: {
            coro_Integer v = coro_checkinteger(vm, arg);
            if (size < LUA_INT_BYTES) {
                coro_Integer limit = (coro_Integer)1 << (size * 8 - 1);
                coro_argcheck(vm, -limit <= v && v < limit, arg, "integer overflow");
            }
            add_int(&b, (coro_Unsigned)v, fmt.little, size, v < 0);
            break;
        }
        case K_UINT: {
            coro_Integer v = coro_checkinteger(vm, arg);
            if (size < LUA_INT_BYTES)
                coro_argcheck(vm, (coro_Unsigned)v < ((coro_Unsigned)1 << (size * 8)), arg,
                              "unsigned overflow");
            add_int(&b, (coro_Unsigned)v, fmt.little, size, false);
            break;
        }
        case K_FLOAT:
        case K_NUMBER:
        case K_DOUBLE:
            pack_float(&b, kind, coro_checknumber(vm, arg), fmt.little);
            break;
        case K_FIXED: {
            size_t len;
            const char *s = coro_checklstring(vm, arg, &len);
            coro_argcheck(vm, len <= (size_t)size, arg, "string longer than given size");
            coro_addlstring(&b, s, len);
            size_t fill = (size_t)size - len;
            memset(coro_prepbuffsize(&b, fill), 0, fill);
            coro_addsize(&b, fill);
            break;
        }
        case K_STRING: {
            size_t len;
            const char *s = coro_checklstring(vm, arg, &len);
            coro_argcheck(vm, size >= (int)sizeof(size_t) || len < ((size_t)1 << (size * 8)),
                          arg, "string length does not fit in given size");
            add_int(&b, (coro_Unsigned)len, fmt.little, size, false);
            coro_addlstring(&b, s, len);
            total += len;
            break;
        }
        case K_ZSTRING: {
            size_t len;
            const char *s = coro_checklstring(vm, arg, &len);
            coro_argcheck(vm, strlen(s) == len, arg, "string contains zeros");
            coro_addlstring(&b, s, len);
            coro_addchar(&b, '\0');
            total += len + 1;
            break;
        }
        case K_PADDING:
            coro_addchar(&b, '\0');
            arg--;
            break;
        case K_ALIGN:
        case K_NOP:
            arg--;
            break;
        }
    }
    coro_pushresult(&b);
    return 1;
}

int coro_strlib_packsize(coro_VM *vm)
{
    Format fmt;
    format_init(&fmt, vm);
    size_t total = 0;
    while (*fmt.p != '\0') {
        int size, padding;
        Kind kind = next_option(&fmt, total, &size, &padding);
        coro_argcheck(vm, kind != K_STRING && kind != K_ZSTRING, 1, "variable-length format");
        size_t item = (size_t)size + (size_t)padding;
        coro_argcheck(vm, total <= STRLIB_MAX_SIZE - item, 1, "format result too large");
        total += item;
    }
    coro_pushinteger(vm, (coro_Integer)total);
    return 1;
}

/* ---- unpack ---------------------------------------------------------------------------------- */

static coro_Integer read_int(coro_VM *vm, const char *src, bool little, int size, bool is_signed)
{
    coro_Unsigned v = 0;
    int used = size <= LUA_INT_BYTES ? size : LUA_INT_BYTES;
    for (int i = used - 1; i >= 0; i--) {
        v <<= 8;
        v |= (unsigned char)src[little ? i : size - 1 - i];
    }
    if (size < LUA_INT_BYTES) {
        if (is_signed) {
            coro_Unsigned sign = (coro_Unsigned)1 << (size * 8 - 1);
            v = (v ^ sign) - sign;
        }
    } else if (size > LUA_INT_BYTES) {
        /* The extra bytes must only repeat the sign (or be zero). */
        unsigned char fill = (is_signed && (coro_Integer)v < 0) ? 0xff : 0;
        for (int i = LUA_INT_BYTES; i < size; i++)
            if ((unsigned char)src[little ? i : size - 1 - i] != fill)
                coro_errorf(vm, "%d-byte integer does not fit into Lua Integer", size);
    }
    return (coro_Integer)v;
}

static coro_Number read_float(const char *src, Kind kind, bool little)
{
    if (kind == K_FLOAT) {
        float f;
        copy_ordered((char *)&f, src, (int)sizeof f, little);
        return (coro_Number)f;
    }
    double d;
    copy_ordered((char *)&d, src, (int)sizeof d, little);
    return (coro_Number)d;
}

int coro_strlib_unpack(coro_VM *vm)
{
    Format fmt;
    format_init(&fmt, vm);
    size_t ld;
    const char *data = coro_checklstring(vm, 2, &ld);
    size_t pos = strlib_start_pos(coro_optinteger(vm, 3, 1), ld) - 1;
    coro_argcheck(vm, pos <= ld, 3, "initial position out of string");
    int nresults = 0;
    while (*fmt.p != '\0') {
        int size, padding;
        Kind kind = next_option(&fmt, pos, &size, &padding);
        coro_argcheck(vm, (size_t)padding + (size_t)size <= ld - pos, 2, "data string too short");
        pos += (size_t)padding;
        coro_checkstack_msg(vm, 2, "too many results");
        nresults++;
        switch (kind) {
        case K_INT:
        case K_UINT:
            coro_pushinteger(vm, read_int(vm, data + pos, fmt.little, size, kind == K_INT));
            break;
        case K_FLOAT:
        case K_NUMBER:
        case K_DOUBLE:
            coro_pushnumber(vm, read_float(data + pos, kind, fmt.little));
            break;
        case K_FIXED:
            coro_pushlstring(vm, data + pos, (size_t)size);
            break;
        case K_STRING: {
            size_t len = (size_t)read_int(vm, data + pos, fmt.little, size, false);
            coro_argcheck(vm, len <= ld - pos - (size_t)size, 2, "data string too short");
            coro_pushlstring(vm, data + pos + size, len);
            pos += len;
            break;
        }
        case K_ZSTRING: {
            const char *zero = memchr(data + pos, '\0', ld - pos);
            coro_argcheck(vm, zero != NULL, 2, "unfinished string for format 'z'");
            size_t len = (size_t)(zero - (data + pos));
            coro_pushlstring(vm, data + pos, len);
            pos += len + 1;
            break;
        }
        case K_PADDING:
        case K_ALIGN:
        case K_NOP:
            nresults--;
            break;
        }
        pos += (size_t)size;
    }
    coro_pushinteger(vm, (coro_Integer)pos + 1);
    return nresults + 1;
}
