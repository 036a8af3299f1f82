/*
 * lib_io.c: the io library (Lua 5.4's) over C's stdio.
 *
 * A file handle is a userdata of type "FILE*" holding the FILE and the
 * function that closes it.  That function is what distinguishes the kinds
 * of handle: fclose for io.open and io.tmpfile, pclose for io.popen, and for
 * the three standard files a function that refuses, so a script cannot
 * close the process's stdout from under the host.  A NULL close function
 * marks a closed handle; every operation checks it first.
 *
 * Failures of the C library are results, not errors: nil, a message and
 * errno, as Lua returns them.  Misuse (a closed file, a bad format) raises.
 *
 * The default input and output files live in the registry, so io.read,
 * io.write and io.lines find them without an upvalue.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "coro.h"
#include "stdlib_internal.h"

#define FILE_HANDLE "FILE*"
#define IO_INPUT    "_IO_input"
#define IO_OUTPUT   "_IO_output"
/* The part of the registry key that names the file in messages. */
#define IO_KEY_PREFIX_LEN (sizeof "_IO_" - 1)

/* The most a counted read asks of fread at once. */
#define READ_STEP 65536
/* Lua's limit on the length of a numeral read by the "n" format. */
#define MAX_NUMERAL 200
/* Lua's limit on the formats io.lines and file:lines keep. */
#define MAX_LINES_FORMATS 250
/* file:setvbuf's default size: Lua's LUAL_BUFFERSIZE on 64-bit hosts. */
#define DEFAULT_VBUF_SIZE 1024

typedef struct Stream {
    FILE *f;
    coro_CFunction closef;      /* NULL: the handle is closed */
} Stream;

static Stream *to_stream(coro_VM *vm, int idx)
{
    return coro_checkudata(vm, idx, FILE_HANDLE);
}

static bool is_closed(const Stream *p)
{
    return p->closef == NULL;
}

/* The open FILE of the handle at index 1. */
static FILE *check_file(coro_VM *vm)
{
    Stream *p = to_stream(vm, 1);
    if (is_closed(p))
        coro_errorf(vm, "attempt to use a closed file");
    return p->f;
}

/* A closed handle, pushed: the caller opens the FILE after this, so that a
 * failure to allocate the userdata cannot leak an open file. */
static Stream *new_stream(coro_VM *vm)
{
    Stream *p = coro_newuserdata(vm, sizeof(Stream));
    p->f = NULL;
    p->closef = NULL;
    coro_setmetatable_named(vm, FILE_HANDLE);
    return p;
}

/* Closes the handle at index 1 and returns the closer's results.  The
 * handle is marked closed before the closer runs: a closer may fail, and
 * the FILE is gone either way. */
static int close_stream(coro_VM *vm)
{
    Stream *p = coro_touserdata(vm, 1);
    coro_CFunction closef = p->closef;
    p->closef = NULL;
    return closef(vm);
}

static int close_std(coro_VM *vm)
{
    Stream *p = coro_touserdata(vm, 1);
    p->closef = close_std;      /* it stays open */
    coro_pushnil(vm);
    coro_pushstring(vm, "cannot close standard file");
    return 2;
}

static int close_file(coro_VM *vm)
{
    Stream *p = coro_touserdata(vm, 1);
    errno = 0;
    int ok = fclose(p->f) == 0;
    return coro_fileresult(vm, ok, NULL);
}

static int close_pipe(coro_VM *vm)
{
    Stream *p = coro_touserdata(vm, 1);
    errno = 0;
    return coro_stdlib_execresult(vm, pclose(p->f));
}

/* ---- opening ---------------------------------------------------------------------- */

/* fopen's modes as Lua accepts them: r, w or a, an optional '+', then
 * nothing but 'b's. */
static bool valid_mode(const char *mode)
{
    if (*mode == '\0' || strchr("rwa", *mode) == NULL)
        return false;
    mode++;
    if (*mode == '+')
        mode++;
    return strspn(mode, "b") == strlen(mode);
}

static int io_open(coro_VM *vm)
{
    const char *filename = coro_checkstring(vm, 1);
    const char *mode = coro_optstring(vm, 2, "r");
    Stream *p = new_stream(vm);
    coro_argcheck(vm, valid_mode(mode), 2, "invalid mode");
    errno = 0;
    p->f = fopen(filename, mode);
    if (p->f == NULL)
        return coro_fileresult(vm, 0, filename);
    p->closef = close_file;
    return 1;
}

/* Opens a file for io.lines, io.input or io.output, which raise on
 * failure instead of returning it. */
static void open_or_raise(coro_VM *vm, const char *filename, const char *mode)
{
    Stream *p = new_stream(vm);
    errno = 0;
    p->f = fopen(filename, mode);
    if (p->f == NULL)
        coro_errorf(vm, "cannot open file '%s' (%s)", filename, strerror(errno));
    p->closef = close_file;
}

static int io_popen(coro_VM *vm)
{
    const char *command = coro_checkstring(vm, 1);
    const char *mode = coro_optstring(vm, 2, "r");
    Stream *p = new_stream(vm);
    coro_argcheck(vm, (mode[0] == 'r' || mode[0] == 'w') && mode[1] == '\0', 2, "invalid mode");
    /* The child shares our descriptors: what we buffered must go first. */
    fflush(NULL);
    errno = 0;
    p->f = popen(command, mode);
    if (p->f == NULL)
        return coro_fileresult(vm, 0, command);
    p->closef = close_pipe;
    return 1;
}

static int io_tmpfile(coro_VM *vm)
{
    Stream *p = new_stream(vm);
    errno = 0;
    p->f = tmpfile();
    if (p->f == NULL)
        return coro_fileresult(vm, 0, NULL);
    p->closef = close_file;
    return 1;
}

/* ---- closing, type, tostring ------------------------------------------------------ */

static int file_close(coro_VM *vm)
{
    check_file(vm);
    return close_stream(vm);
}

static int io_close(coro_VM *vm)
{
    if (coro_isnone(vm, 1))
        coro_getfield(vm, CORO_REGISTRYINDEX, IO_OUTPUT);
    return file_close(vm);
}

/* __gc and __close: close quietly what the script left open. */
static int file_gc(coro_VM *vm)
{
    Stream *p = to_stream(vm, 1);
    if (!is_closed(p) && p->f != NULL)
        close_stream(vm);
    return 0;
}

static int file_tostring(coro_VM *vm)
{
    Stream *p = to_stream(vm, 1);
    if (is_closed(p))
        coro_pushstring(vm, "file (closed)");
    else
        coro_pushfstring(vm, "file (%p)", (void *)p->f);
    return 1;
}

static int io_type(coro_VM *vm)
{
    coro_checkany(vm, 1);
    Stream *p = coro_testudata(vm, 1, FILE_HANDLE);
    if (p == NULL)
        coro_pushnil(vm);
    else
        coro_pushstring(vm, is_closed(p) ? "closed file" : "file");
    return 1;
}

/* ---- default files ---------------------------------------------------------------- */

/* Pushes the default file registered under key and returns its FILE. */
static FILE *default_file(coro_VM *vm, const char *key)
{
    coro_getfield(vm, CORO_REGISTRYINDEX, key);
    Stream *p = coro_touserdata(vm, -1);
    if (is_closed(p))
        coro_errorf(vm, "default %s file is closed", key + IO_KEY_PREFIX_LEN);
    return p->f;
}

/* io.input and io.output: with a file name or a handle, make it the
 * default; in every case return the default. */
static int set_default(coro_VM *vm, const char *key, const char *mode)
{
    if (!coro_isnoneornil(vm, 1)) {
        const char *filename = coro_tostring(vm, 1);
        if (filename) {
            open_or_raise(vm, filename, mode);
        } else {
            check_file(vm);
            coro_pushvalue(vm, 1);
        }
        coro_setfield(vm, CORO_REGISTRYINDEX, key);
    }
    coro_getfield(vm, CORO_REGISTRYINDEX, key);
    return 1;
}

static int io_input(coro_VM *vm)
{
    return set_default(vm, IO_INPUT, "r");
}

static int io_output(coro_VM *vm)
{
    return set_default(vm, IO_OUTPUT, "w");
}

/* ---- reading ---------------------------------------------------------------------- */

/* Room in the buffer, grown (doubled) only when it is full: most lines
 * fit the buffer's own first block and cost no allocation. */
static char *buffer_room(coro_Buffer *b, size_t *room)
{
    char *p = coro_prepbuffsize(b, 1);
    *room = b->size - b->n;
    return p;
}

/* Reads a line; keeps the '\n' when keep_newline.  Fails only at the end
 * of the file with nothing read. */
static bool read_line(coro_VM *vm, FILE *f, bool keep_newline)
{
    coro_Buffer b;
    coro_buffinit(vm, &b);
    int c = EOF;
    for (;;) {
        size_t room, i = 0;
        char *buf = buffer_room(&b, &room);
        /* No VM call between lock and unlock: an error cannot skip it. */
        flockfile(f);
        while (i < room && (c = getc_unlocked(f)) != EOF && c != '\n')
            buf[i++] = (char)c;
        funlockfile(f);
        coro_addsize(&b, i);
        if (i < room)
            break;
    }
    if (c == '\n' && keep_newline)
        coro_addchar(&b, '\n');
    bool ok = c == '\n' || b.n > 0;
    coro_pushresult(&b);
    return ok;
}

static void read_all(coro_VM *vm, FILE *f)
{
    coro_Buffer b;
    coro_buffinit(vm, &b);
    size_t room, got;
    do {
        char *buf = buffer_room(&b, &room);
        got = fread(buf, 1, room, f);
        coro_addsize(&b, got);
    } while (got == room);
    coro_pushresult(&b);
}

/* Reads up to n bytes; fails if there were none. */
static bool read_chars(coro_VM *vm, FILE *f, coro_Unsigned n)
{
    /* Lua allocates the whole count first and fails on an absurd one (a
     * negative count); other counts are read in steps, so a large count on
     * a small file costs no more than the file. */
    if (n > SIZE_MAX / 4) {
        coro_pushstring(vm, "not enough memory");
        coro_error(vm);
    }
    coro_Buffer b;
    coro_buffinit(vm, &b);
    size_t left = (size_t)n;
    while (left > 0) {
        size_t want = left < READ_STEP ? left : READ_STEP;
        char *buf = coro_prepbuffsize(&b, want);
        size_t got = fread(buf, 1, want, f);
        coro_addsize(&b, got);
        left -= got;
        if (got < want)
            break;
    }
    bool ok = b.n > 0;
    coro_pushresult(&b);
    return ok;
}

/* The 0 count: "" unless at the end of the file. */
static bool test_eof(coro_VM *vm, FILE *f)
{
    int c = getc(f);
    ungetc(c, f);
    coro_pushstring(vm, "");
    return c != EOF;
}

/* The "n" format reads the longest prefix that looks like a Lua numeral
 * (it may still turn out not to be one: "0x", "1e") and converts it. */
typedef struct NumReader {
    FILE *f;
    int c;                  /* the look-ahead character */
    size_t n;
    bool overflow;
    char buf[MAX_NUMERAL + 1];
} NumReader;

static bool num_take(NumReader *r)
{
    if (r->n >= MAX_NUMERAL) {
        r->overflow = true;
        return false;
    }
    r->buf[r->n++] = (char)r->c;
    r->c = getc_unlocked(r->f);
    return true;
}

/* Takes the look-ahead if it is one of the two characters in pair. */
static bool num_accept(NumReader *r, const char *pair)
{
    if (r->c == pair[0] || r->c == pair[1])
        return num_take(r);
    return false;
}

static int num_digits(NumReader *r, bool hex)
{
    int count = 0;
    while ((hex ? isxdigit(r->c) : (r->c >= '0' && r->c <= '9')) && num_take(r))
        count++;
    return count;
}

static bool read_number(coro_VM *vm, FILE *f)
{
    NumReader r = { .f = f, .n = 0, .overflow = false };
    bool hex = false;
    int count = 0;
    flockfile(f);
    do {
        r.c = getc_unlocked(f);
    } while (r.c == ' ' || (r.c >= '\t' && r.c <= '\r'));
    num_accept(&r, "-+");
    if (num_accept(&r, "00")) {
        if (num_accept(&r, "xX"))
            hex = true;
        else
            count = 1;      /* the '0' is a digit */
    }
    count += num_digits(&r, hex);
    if (num_accept(&r, ".."))
        count += num_digits(&r, hex);
    if (count > 0 && num_accept(&r, hex ? "pP" : "eE")) {
        num_accept(&r, "-+");
        num_digits(&r, false);
    }
    ungetc(r.c, f);
    funlockfile(f);
    r.buf[r.overflow ? 0 : r.n] = '\0';
    if (coro_stringtonumber(vm, r.buf) != 0)
        return true;
    coro_pushnil(vm);
    return false;
}

/* Reads by the formats at first..first+nformats-1 (a line when there are
 * none); pushes one result per format read, the last one nil if it failed,
 * and stops at the first failure.  Returns the number of results, or the
 * error triple if the C library reported an error. */
static int read_formats(coro_VM *vm, FILE *f, int first, int nformats)
{
    clearerr(f);
    errno = 0;
    bool ok = true;
    int n;
    if (nformats == 0) {
        ok = read_line(vm, f, false);
        n = first + 1;
    } else {
        coro_checkstack_msg(vm, nformats + CORO_MINSTACK, "too many arguments");
        for (n = first; nformats-- > 0 && ok; n++) {
            if (coro_type(vm, n) == CORO_TNUMBER) {
                coro_Unsigned count = (coro_Unsigned)coro_checkinteger(vm, n);
                ok = count == 0 ? test_eof(vm, f) : read_chars(vm, f, count);
                continue;
            }
            const char *fmt = coro_checkstring(vm, n);
            if (*fmt == '*')
                fmt++;      /* Lua 5.2's "*l" and friends */
            switch (*fmt) {
            case 'n': ok = read_number(vm, f); break;
            case 'l': ok = read_line(vm, f, false); break;
            case 'L': ok = read_line(vm, f, true); break;
            case 'a': read_all(vm, f); break;
            default: coro_argerror(vm, n, "invalid format");
            }
        }
    }
    if (ferror(f))
        return coro_fileresult(vm, 0, NULL);
    if (!ok) {
        coro_pop(vm, 1);
        coro_pushnil(vm);
    }
    return n - first;
}

static int io_read(coro_VM *vm)
{
    int nformats = coro_gettop(vm);
    FILE *f = default_file(vm, IO_INPUT);
    coro_pop(vm, 1);
    return read_formats(vm, f, 1, nformats);
}

static int file_read(coro_VM *vm)
{
    FILE *f = check_file(vm);
    return read_formats(vm, f, 2, coro_gettop(vm) - 1);
}

/* ---- lines ---------------------------------------------------------------------- */

/* The iterator: upvalues are the handle, the number of formats, whether
 * to close the file at its end, and the formats. */
static int lines_step(coro_VM *vm)
{
    Stream *p = coro_touserdata(vm, coro_upvalueindex(1));
    int nformats = (int)coro_tointeger(vm, coro_upvalueindex(2));
    if (is_closed(p))
        coro_errorf(vm, "file is already closed");
    /* Formats at 2.., as file:read has them, so bad-argument messages
     * number them alike. */
    coro_settop(vm, 1);
    coro_checkstack_msg(vm, nformats + CORO_MINSTACK, "too many arguments");
    for (int i = 1; i <= nformats; i++)
        coro_pushvalue(vm, coro_upvalueindex(3 + i));
    int n = read_formats(vm, p->f, 2, nformats);
    if (coro_toboolean(vm, -n))
        return n;
    if (n > 1)      /* nil, message, errno: a read error */
        coro_errorf(vm, "%s", coro_tostring(vm, -n + 1));
    if (coro_toboolean(vm, coro_upvalueindex(3))) {
        coro_settop(vm, 0);
        coro_pushvalue(vm, coro_upvalueindex(1));
        close_stream(vm);
    }
    return 0;
}

/* Pushes the iterator over the handle at 1 with the formats above it. */
static void push_lines_iterator(coro_VM *vm, bool close_at_end)
{
    int nformats = coro_gettop(vm) - 1;
    coro_argcheck(vm, nformats <= MAX_LINES_FORMATS, MAX_LINES_FORMATS + 2, "too many arguments");
    coro_pushvalue(vm, 1);
    coro_pushinteger(vm, nformats);
    coro_pushboolean(vm, close_at_end);
    coro_rotate(vm, 2, 3);      /* [file, file, n, close, formats...] */
    coro_pushcclosure(vm, lines_step, 3 + nformats);
}

static int file_lines(coro_VM *vm)
{
    check_file(vm);
    push_lines_iterator(vm, false);
    return 1;
}

static int io_lines(coro_VM *vm)
{
    if (coro_isnone(vm, 1))
        coro_pushnil(vm);
    if (coro_isnil(vm, 1)) {
        coro_getfield(vm, CORO_REGISTRYINDEX, IO_INPUT);
        coro_replace(vm, 1);
        check_file(vm);
        push_lines_iterator(vm, false);
        return 1;
    }
    const char *filename = coro_checkstring(vm, 1);
    open_or_raise(vm, filename, "r");
    coro_replace(vm, 1);
    push_lines_iterator(vm, true);
    /* The file is the loop's to-be-closed value, so a break or an error
     * in the body closes it too. */
    coro_pushnil(vm);
    coro_pushnil(vm);
    coro_pushvalue(vm, 1);
    return 4;
}

/* ---- writing ---------------------------------------------------------------------- */

/* Writes nvalues values from index arg on.  The caller has pushed the
 * handle to return on success on top. */
static int write_values(coro_VM *vm, FILE *f, int arg, int nvalues)
{
    bool ok = true;
    errno = 0;
    for (int i = 0; i < nvalues; i++, arg++) {
        if (coro_type(vm, arg) == CORO_TNUMBER) {
            /* Numbers as Lua's io writes them: floats with "%.14g", so 2.0
             * is written "2" (unlike tostring). */
            int len = coro_isinteger(vm, arg)
                ? fprintf(f, "%lld", (long long)coro_tointeger(vm, arg))
                : fprintf(f, "%.14g", (double)coro_tonumber(vm, arg));
            ok = ok && len > 0;
        } else {
            size_t len;
            const char *s = coro_checklstring(vm, arg, &len);
            ok = ok && fwrite(s, 1, len, f) == len;
        }
    }
    if (ok)
        return 1;   /* the handle, on top */
    return coro_fileresult(vm, 0, NULL);
}

static int io_write(coro_VM *vm)
{
    int nvalues = coro_gettop(vm);
    FILE *f = default_file(vm, IO_OUTPUT);
    return write_values(vm, f, 1, nvalues);
}

static int file_write(coro_VM *vm)
{
    FILE *f = check_file(vm);
    int nvalues = coro_gettop(vm) - 1;
    coro_pushvalue(vm, 1);
    return write_values(vm, f, 2, nvalues);
}

/* ---- seek, setvbuf, flush ------------------------------------------------------- */

static int file_seek(coro_VM *vm)
{
    static const int whence[] = { SEEK_SET, SEEK_CUR, SEEK_END };
    static const char *const names[] = { "set", "cur", "end", NULL };
    FILE *f = check_file(vm);
    int op = coro_checkoption(vm, 2, "cur", names);
    coro_Integer offset = coro_optinteger(vm, 3, 0);
    coro_argcheck(vm, (coro_Integer)(off_t)offset == offset, 3, "not an integer in proper range");
    errno = 0;
    if (fseeko(f, (off_t)offset, whence[op]) != 0)
        return coro_fileresult(vm, 0, NULL);
    coro_pushinteger(vm, (coro_Integer)ftello(f));
    return 1;
}

static int file_setvbuf(coro_VM *vm)
{
    static const int modes[] = { _IONBF, _IOFBF, _IOLBF };
    static const char *const names[] = { "no", "full", "line", NULL };
    FILE *f = check_file(vm);
    int op = coro_checkoption(vm, 2, NULL, names);
    coro_Integer size = coro_optinteger(vm, 3, DEFAULT_VBUF_SIZE);
    errno = 0;
    int ok = setvbuf(f, NULL, modes[op], (size_t)size) == 0;
    return coro_fileresult(vm, ok, NULL);
}

static int file_flush(coro_VM *vm)
{
    FILE *f = check_file(vm);
    errno = 0;
    return coro_fileresult(vm, fflush(f) == 0, NULL);
}

static int io_flush(coro_VM *vm)
{
    FILE *f = default_file(vm, IO_OUTPUT);
    errno = 0;
    return coro_fileresult(vm, fflush(f) == 0, NULL);
}

/* ---- registration ------------------------------------------------------------------ */

static const coro_Reg io_funcs[] = {
    { "close", io_close },
    { "flush", io_flush },
    { "input", io_input },
    { "lines", io_lines },
    { "open", io_open },
    { "output", io_output },
    { "popen", io_popen },
    { "read", io_read },
    { "tmpfile", io_tmpfile },
    { "type", io_type },
    { "write", io_write },
    { NULL, NULL }
};

static const coro_Reg file_methods[] = {
    { "close", file_close },
    { "flush", file_flush },
    { "lines", file_lines },
    { "read", file_read },
    { "seek", file_seek },
    { "setvbuf", file_setvbuf },
    { "write", file_write },
    { NULL, NULL }
};

static const coro_Reg file_metamethods[] = {
    { "__index", NULL },        /* the methods, set below */
    { "__gc", file_gc },
    { "__close", file_gc },
    { "__tostring", file_tostring },
    { NULL, NULL }
};

static void create_metatable(coro_VM *vm)
{
    coro_newmetatable(vm, FILE_HANDLE);
    coro_setfuncs(vm, file_metamethods, 0);
    coro_newlib(vm, file_methods);
    coro_setfield(vm, -2, "__index");
    coro_pop(vm, 1);
}

/* io.stdin and friends; registry_key (may be NULL) makes it a default. */
static void create_std_file(coro_VM *vm, FILE *f, const char *registry_key, const char *name)
{
    Stream *p = new_stream(vm);
    p->f = f;
    p->closef = close_std;
    if (registry_key) {
        coro_pushvalue(vm, -1);
        coro_setfield(vm, CORO_REGISTRYINDEX, registry_key);
    }
    coro_setfield(vm, -2, name);
}

static int open_io(coro_VM *vm)
{
    coro_newlib(vm, io_funcs);
    create_metatable(vm);
    create_std_file(vm, stdin, IO_INPUT, "stdin");
    create_std_file(vm, stdout, IO_OUTPUT, "stdout");
    create_std_file(vm, stderr, NULL, "stderr");
    return 1;
}

void coro_open_io(coro_VM *vm)
{
    coro_requiref(vm, "io", open_io, 1);
    coro_pop(vm, 1);
}
