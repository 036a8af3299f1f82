/*
 * lib_string.h: what the files of the string library share.
 *
 * The library is split by subsystem: lib_string.c holds the small
 * functions, the string metatable and the registration; the pattern
 * matcher (find, match, gmatch, gsub), string.format and the binary
 * packing functions each live in their own file and export only their
 * library entry points.
 */
#ifndef CORO_LIB_STRING_H
#define CORO_LIB_STRING_H

#include <limits.h>
#include <stddef.h>

#include "coro.h"

/* The longest string the library builds in one piece (rep, pack): Lua
 * 5.4 caps these at INT_MAX, so a typo like string.rep(s, 1e10) fails
 * with a clear message instead of exhausting memory. */
#define STRLIB_MAX_SIZE ((size_t)INT_MAX)

/* A start position as Lua's string functions read it (1-based): negative
 * counts from the end, anything at or before the start becomes 1.  The
 * result may exceed len. */
static inline size_t strlib_start_pos(coro_Integer pos, size_t len)
{
    if (pos > 0)
        return (size_t)pos;
    if (pos == 0 || pos < -(coro_Integer)len)
        return 1;
    return len - (size_t)(-(pos + 1));
}

/* An end position: negative counts from the end, the result is clamped
 * to 0..len. */
static inline size_t strlib_end_pos(coro_Integer pos, size_t len)
{
    if (pos > (coro_Integer)len)
        return len;
    if (pos >= 0)
        return (size_t)pos;
    if (pos < -(coro_Integer)len)
        return 0;
    return len - (size_t)(-(pos + 1));
}

/* lib_string_pattern.c */
int coro_strlib_find(coro_VM *vm);
int coro_strlib_match(coro_VM *vm);
int coro_strlib_gmatch(coro_VM *vm);
int coro_strlib_gsub(coro_VM *vm);

/* lib_string_format.c */
int coro_strlib_format(coro_VM *vm);

/* lib_string_pack.c */
int coro_strlib_pack(coro_VM *vm);
int coro_strlib_packsize(coro_VM *vm);
int coro_strlib_unpack(coro_VM *vm);

#endif
