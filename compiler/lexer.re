/*
 * lexer.re: source bytes -> tokens (re2c generates lexer.c from this).
 *
 * The source is a private copy with a NUL after its last byte.  re2c runs
 * in "sentinel with bounds check" mode: reading a NUL costs one compare
 * against the limit, which tells a NUL inside the text (an ordinary,
 * unexpected byte) from the end.  The hand-written helpers that look
 * ahead also stop at a NUL, so nothing ever reads past the copy.
 *
 * re2c matches the shape of each token; the helpers below do what regular
 * expressions cannot: long brackets (whose closing depends on the opening
 * level), escape sequences, and numeral conversion.
 *
 * Error messages and their "near" text are Lua 5.4's exactly: for strings
 * the text is what has been read so far, escapes already decoded, plus the
 * raw characters of a bad escape and the byte that made it bad.
 */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "parser.h"

/*!re2c
    re2c:api:style = free-form;
    re2c:define:YYCTYPE = "unsigned char";
    re2c:define:YYCURSOR = "cur";
    re2c:define:YYLIMIT = "lx->limit";
    re2c:yyfill:enable = 0;
    re2c:eof = 0;

    name      = [a-zA-Z_][a-zA-Z0-9_]*;
    dec_tail  = ([eE] [+-]? | [0-9a-fA-F.])*;
    hex_tail  = ([pP] [+-]? | [0-9a-fA-F.])*;
    numeral   = "."? ("0" [xX] hex_tail | [0-9] dec_tail) [a-zA-Z_]?;
*/

/* Lua's character classes are ASCII whatever the locale. */
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_hex_digit(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static bool is_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static bool is_newline(int c) { return c == '\n' || c == '\r'; }
static int hex_value(int c)
{
    return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

static bool at_end(const CoroLexer *lx, const unsigned char *p)
{
    return p >= lx->limit;
}

/* One line break: "\n", "\r", "\r\n" or "\n\r". */
static const unsigned char *skip_newline(CoroLexer *lx, const unsigned char *p)
{
    int first = *p++;
    if (is_newline(*p) && *p != first)
        p++;
    lx->line++;
    return p;
}

/* ---- errors -------------------------------------------------------------- */

/* Both report false so that callers can `return lex_error(...)`. */
static bool lex_error(CoroLexer *lx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lx->message, sizeof lx->message, fmt, ap);
    va_end(ap);
    return false;
}

static bool no_memory(CoroLexer *lx)
{
    lx->message[0] = '\0';
    lx->ast->failed = true;
    return false;
}

/* "msg near '<scratch buffer>'"; like Lua, the text stops at a NUL. */
static bool error_near_buffer(CoroLexer *lx, const char *msg)
{
    size_t len = strnlen(lx->buf, lx->len);
    return lex_error(lx, "%s near '%.*s'", msg, (int)len, lx->buf);
}

static bool error_near_eof(CoroLexer *lx, const char *msg)
{
    lx->error_at_eof = true;
    return lex_error(lx, "%s near <eof>", msg);
}

/* ---- scratch buffer ------------------------------------------------------ */

static bool buf_reserve(CoroLexer *lx, size_t more)
{
    if (lx->cap - lx->len >= more)
        return true;
    size_t cap = lx->cap ? lx->cap : 256;
    while (cap - lx->len < more) {
        if (cap > SIZE_MAX / 2)
            return false;
        cap *= 2;
    }
    char *grown = lx->alloc(lx->alloc_ud, lx->buf, lx->cap, cap);
    if (!grown)
        return false;
    lx->buf = grown;
    lx->cap = cap;
    return true;
}

static bool buf_add(CoroLexer *lx, int c)
{
    if (!buf_reserve(lx, 1))
        return no_memory(lx);
    lx->buf[lx->len++] = (char)c;
    return true;
}

static bool buf_append(CoroLexer *lx, const unsigned char *from,
                       const unsigned char *to)
{
    size_t n = (size_t)(to - from);
    if (n == 0)
        return true;
    if (!buf_reserve(lx, n))
        return no_memory(lx);
    memcpy(lx->buf + lx->len, from, n);
    lx->len += n;
    return true;
}

/* ---- long brackets ------------------------------------------------------- */

/* Reads the body of a long string or comment of the given level; *pcur is
 * just past the opening bracket and ends just past the closing one.  A
 * string's value (first newline dropped, every line break as "\n") is
 * left in the scratch buffer. */
static bool read_long_bracket(CoroLexer *lx, const unsigned char **pcur,
                              size_t level, bool is_comment)
{
    int start_line = lx->line;
    const unsigned char *p = *pcur;
    lx->len = 0;
    if (is_newline(*p))
        p = skip_newline(lx, p);
    for (;;) {
        const unsigned char *run = p;
        while (*p != ']' && !is_newline(*p) && *p != '\0')
            p++;
        if (!is_comment && !buf_append(lx, run, p))
            return false;
        if (*p == ']') {
            const unsigned char *q = p + 1;
            while (*q == '=')
                q++;
            if ((size_t)(q - p - 1) == level && *q == ']') {
                *pcur = q + 1;
                return true;
            }
            if (!is_comment && !buf_add(lx, ']'))
                return false;
            p++;
        } else if (is_newline(*p)) {
            if (!is_comment && !buf_add(lx, '\n'))
                return false;
            p = skip_newline(lx, p);
        } else if (at_end(lx, p)) {
            lx->error_at_eof = true;
            return lex_error(lx, "unfinished long %s (starting at line %d) "
                             "near <eof>",
                             is_comment ? "comment" : "string", start_line);
        } else {
            if (!is_comment && !buf_add(lx, '\0'))
                return false;
            p++;
        }
    }
}

/* After "--": a long comment if a long bracket follows, else the rest of
 * the line. */
static bool skip_comment(CoroLexer *lx, const unsigned char **pcur)
{
    const unsigned char *p = *pcur;
    if (*p == '[') {
        const unsigned char *q = p + 1;
        while (*q == '=')
            q++;
        if (*q == '[') {
            *pcur = q + 1;
            return read_long_bracket(lx, pcur, (size_t)(q - p - 1), true);
        }
    }
    while (!is_newline(*p) && !at_end(lx, p))
        p++;
    *pcur = p;
    return true;
}

/* ---- short strings -------------------------------------------------------- */

/* A bad escape: the near text also shows the byte that made it bad. */
static bool escape_error(CoroLexer *lx, const unsigned char *p,
                         const char *msg)
{
    if (!at_end(lx, p) && !buf_add(lx, *p))
        return false;
    return error_near_buffer(lx, msg);
}

static bool read_hex_escape(CoroLexer *lx, const unsigned char **pp, int *value)
{
    const unsigned char *p = *pp;       /* at the 'x' */
    if (!buf_add(lx, *p++))
        return false;
    *value = 0;
    for (int i = 0; i < 2; i++, p++) {
        if (!is_hex_digit(*p))
            return escape_error(lx, p, "hexadecimal digit expected");
        if (!buf_add(lx, *p))
            return false;
        *value = *value * 16 + hex_value(*p);
    }
    *pp = p;
    return true;
}

static bool read_decimal_escape(CoroLexer *lx, const unsigned char **pp,
                                int *value)
{
    const unsigned char *p = *pp;
    *value = 0;
    for (int i = 0; i < 3 && is_digit(*p); i++, p++) {
        if (!buf_add(lx, *p))
            return false;
        *value = *value * 10 + (*p - '0');
    }
    if (*value > 255)
        return escape_error(lx, p, "decimal escape too large");
    *pp = p;
    return true;
}

/* Encodes a code point up to 2^31 - 1 in (extended, up to six byte)
 * UTF-8, as Lua does for "\u{...}". */
static size_t utf8_encode(unsigned long cp, unsigned char out[6])
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    size_t n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : cp < 0x200000 ? 4
             : cp < 0x4000000 ? 5 : 6;
    for (size_t i = n - 1; i > 0; i--) {
        out[i] = (unsigned char)(0x80 | (cp & 0x3F));
        cp >>= 6;
    }
    out[0] = (unsigned char)((0xFF00u >> n) | cp);
    return n;
}

static bool read_utf8_escape(CoroLexer *lx, const unsigned char **pp,
                             size_t mark)
{
    const unsigned char *p = *pp;       /* at the 'u' */
    if (!buf_add(lx, *p++))
        return false;
    if (*p != '{')
        return escape_error(lx, p, "missing '{'");
    if (!buf_add(lx, *p++))
        return false;
    if (!is_hex_digit(*p))
        return escape_error(lx, p, "hexadecimal digit expected");
    unsigned long cp = 0;
    for (; is_hex_digit(*p); p++) {
        if (cp > 0x7FFFFFFul)
            return escape_error(lx, p, "UTF-8 value too large");
        if (!buf_add(lx, *p))
            return false;
        cp = cp * 16 + (unsigned long)hex_value(*p);
    }
    if (*p != '}')
        return escape_error(lx, p, "missing '}'");
    unsigned char bytes[6];
    size_t n = utf8_encode(cp, bytes);
    lx->len = mark;
    *pp = p + 1;
    return buf_append(lx, bytes, bytes + n);
}

/* Skips the line breaks and other white space after "\z". */
static const unsigned char *skip_zap(CoroLexer *lx, const unsigned char *p)
{
    while (is_space(*p))
        p = is_newline(*p) ? skip_newline(lx, p) : p + 1;
    return p;
}

static int simple_escape(int c)
{
    switch (c) {
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    case '\\': case '"': case '\'': return c;
    default: return -1;
    }
}

/* *pp is at a backslash.  The backslash and the escape's characters stay
 * in the buffer while it is read (they are part of any error's near
 * text) and are then replaced by the value. */
static bool read_escape(CoroLexer *lx, const unsigned char **pp)
{
    const unsigned char *p = *pp + 1;
    size_t mark = lx->len;
    int value = simple_escape(*p);
    if (!buf_add(lx, '\\'))
        return false;
    if (value >= 0) {
        p++;
    } else if (is_newline(*p)) {
        p = skip_newline(lx, p);
        value = '\n';
    } else if (*p == 'x') {
        if (!read_hex_escape(lx, &p, &value))
            return false;
    } else if (*p == 'u') {
        *pp = p;
        return read_utf8_escape(lx, pp, mark);
    } else if (*p == 'z') {
        lx->len = mark;
        *pp = skip_zap(lx, p + 1);
        return true;
    } else if (at_end(lx, p)) {
        *pp = p;                /* the caller reports the unfinished string */
        return true;
    } else if (is_digit(*p)) {
        if (!read_decimal_escape(lx, &p, &value))
            return false;
    } else {
        return escape_error(lx, p, "invalid escape sequence");
    }
    lx->len = mark;
    *pp = p;
    return buf_add(lx, value);
}

/* *pcur is just past the opening quote.  The buffer holds the quote and
 * then the value, so that an error can show both. */
static bool read_string(CoroLexer *lx, const unsigned char **pcur, int quote)
{
    const unsigned char *p = *pcur;
    lx->len = 0;
    if (!buf_add(lx, quote))
        return false;
    for (;;) {
        const unsigned char *run = p;
        while (*p != quote && *p != '\\' && !is_newline(*p) && *p != '\0')
            p++;
        if (!buf_append(lx, run, p))
            return false;
        if (*p == quote) {
            *pcur = p + 1;
            return true;
        }
        if (is_newline(*p))
            return error_near_buffer(lx, "unfinished string");
        if (*p == '\0') {
            if (at_end(lx, p))
                return error_near_eof(lx, "unfinished string");
            if (!buf_add(lx, *p++))
                return false;
        } else if (!read_escape(lx, &p)) {
            return false;
        }
    }
}

/* ---- numerals -------------------------------------------------------------- */

/* Integers as Lua reads them: hexadecimal wraps around modulo 2^64,
 * decimal must fit (else it is read again as a float). */
static bool numeral_integer(const char *s, size_t len, int64_t *out)
{
    uint64_t value = 0;
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        for (size_t i = 2; i < len; i++) {
            if (!is_hex_digit((unsigned char)s[i]))
                return false;
            value = value * 16 + (uint64_t)hex_value((unsigned char)s[i]);
        }
    } else {
        for (size_t i = 0; i < len; i++) {
            if (!is_digit((unsigned char)s[i]))
                return false;
            unsigned d = (unsigned)(s[i] - '0');
            if (value > ((uint64_t)INT64_MAX - d) / 10)
                return false;
            value = value * 10 + d;
        }
    }
    *out = (int64_t)value;
    return true;
}

/* strtod must take all of s.  Like Lua, a numeral that fails because the
 * C locale is not in force is retried with the locale's decimal point. */
static bool numeral_float(char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    if (end != s && *end == '\0')
        return true;
    char *dot = strchr(s, '.');
    char point = localeconv()->decimal_point[0];
    if (!dot || point == '.')
        return false;
    *dot = point;
    *out = strtod(s, &end);
    return end != s && *end == '\0';
}

static int read_numeral(CoroLexer *lx, const unsigned char *start,
                        const unsigned char *end, CoroToken *tok)
{
    size_t len = (size_t)(end - start);
    if (numeral_integer((const char *)start, len, &tok->u.integer))
        return TK_INT;
    lx->len = 0;
    if (!buf_append(lx, start, end) || !buf_add(lx, '\0'))
        return CORO_TK_NO_MEMORY;
    if (numeral_float(lx->buf, &tok->u.number))
        return TK_FLOAT;
    lex_error(lx, "malformed number near '%.*s'", (int)len, (const char *)start);
    return CORO_TK_ERROR;
}

/* ---- tokens ----------------------------------------------------------------- */

static int string_token(CoroLexer *lx, bool ok, size_t skip, CoroToken *tok)
{
    if (!ok)
        return lx->ast->failed ? CORO_TK_NO_MEMORY : CORO_TK_ERROR;
    /* An empty long string may not have needed the buffer at all. */
    const char *value = lx->len > skip ? lx->buf + skip : "";
    tok->u.string = coro_ast_copy_string(lx->ast, value, lx->len - skip);
    return lx->ast->failed ? CORO_TK_NO_MEMORY : TK_STRING;
}

static int name_token(CoroLexer *lx, const unsigned char *start,
                      const unsigned char *end, CoroToken *tok)
{
    tok->u.string = coro_ast_copy_string(lx->ast, (const char *)start,
                                         (size_t)(end - start));
    return lx->ast->failed ? CORO_TK_NO_MEMORY : TK_NAME;
}

/* Scans one token starting at *pcur; returns its kind.  White space and
 * comments are skipped first, and *pstart is set to the token's start. */
static int scan(CoroLexer *lx, const unsigned char **pcur,
                const unsigned char **pstart, CoroToken *tok)
{
    const unsigned char *cur = *pcur, *start;
    int kind;
    for (;;) {
        start = cur;
        tok->line = lx->line;
#define TOKEN(k) { kind = (k); goto done; }
        /*!re2c
            $              { kind = 0; goto done; }
            [ \t\v\f]+     { continue; }
            [\n\r]         { cur = skip_newline(lx, start); continue; }
            "--"           {
                if (!skip_comment(lx, &cur))
                    TOKEN(CORO_TK_ERROR)
                continue;
            }
            "[" "="* "["   {
                bool ok = read_long_bracket(lx, &cur, (size_t)(cur - start - 2),
                                            false);
                TOKEN(string_token(lx, ok, 0, tok))
            }
            "[" "="+       {
                lex_error(lx, "invalid long string delimiter near '%.*s'",
                          (int)(cur - start), (const char *)start);
                TOKEN(CORO_TK_ERROR)
            }
            ["']           {
                bool ok = read_string(lx, &cur, *start);
                TOKEN(string_token(lx, ok, 1, tok))
            }
            numeral        { TOKEN(read_numeral(lx, start, cur, tok)) }

            "and"          { TOKEN(TK_AND) }
            "await"        { TOKEN(TK_AWAIT) }
            "break"        { TOKEN(TK_BREAK) }
            "do"           { TOKEN(TK_DO) }
            "else"         { TOKEN(TK_ELSE) }
            "elseif"       { TOKEN(TK_ELSEIF) }
            "end"          { TOKEN(TK_END) }
            "false"        { TOKEN(TK_FALSE) }
            "for"          { TOKEN(TK_FOR) }
            "function"     { TOKEN(TK_FUNCTION) }
            "goto"         { TOKEN(TK_GOTO) }
            "if"           { TOKEN(TK_IF) }
            "in"           { TOKEN(TK_IN) }
            "local"        { TOKEN(TK_LOCAL) }
            "nil"          { TOKEN(TK_NIL) }
            "not"          { TOKEN(TK_NOT) }
            "or"           { TOKEN(TK_OR) }
            "repeat"       { TOKEN(TK_REPEAT) }
            "return"       { TOKEN(TK_RETURN) }
            "then"         { TOKEN(TK_THEN) }
            "true"         { TOKEN(TK_TRUE) }
            "until"        { TOKEN(TK_UNTIL) }
            "while"        { TOKEN(TK_WHILE) }
            "yield"        { TOKEN(TK_YIELD) }
            name           { TOKEN(name_token(lx, start, cur, tok)) }

            "+"            { TOKEN(TK_PLUS) }
            "-"            { TOKEN(TK_MINUS) }
            "*"            { TOKEN(TK_STAR) }
            "/"            { TOKEN(TK_SLASH) }
            "//"           { TOKEN(TK_IDIV) }
            "%"            { TOKEN(TK_PERCENT) }
            "^"            { TOKEN(TK_CARET) }
            "#"            { TOKEN(TK_HASH) }
            "&"            { TOKEN(TK_AMP) }
            "~"            { TOKEN(TK_TILDE) }
            "|"            { TOKEN(TK_PIPE) }
            "<<"           { TOKEN(TK_SHL) }
            ">>"           { TOKEN(TK_SHR) }
            "=="           { TOKEN(TK_EQ) }
            "~="           { TOKEN(TK_NE) }
            "<="           { TOKEN(TK_LE) }
            ">="           { TOKEN(TK_GE) }
            "<"            { TOKEN(TK_LT) }
            ">"            { TOKEN(TK_GT) }
            "="            { TOKEN(TK_ASSIGN) }
            "("            { TOKEN(TK_LPAREN) }
            ")"            { TOKEN(TK_RPAREN) }
            "{"            { TOKEN(TK_LBRACE) }
            "}"            { TOKEN(TK_RBRACE) }
            "["            { TOKEN(TK_LBRACKET) }
            "]"            { TOKEN(TK_RBRACKET) }
            "::"           { TOKEN(TK_DBCOLON) }
            ";"            { TOKEN(TK_SEMI) }
            ":"            { TOKEN(TK_COLON) }
            ","            { TOKEN(TK_COMMA) }
            "."            { TOKEN(TK_DOT) }
            ".."           { TOKEN(TK_CONCAT) }
            "..."          { TOKEN(TK_DOTS) }

            *              {
                tok->u.integer = *start;
                TOKEN(TK_CHAR)
            }
        */
#undef TOKEN
    }
done:
    *pcur = cur;
    *pstart = start;
    return kind;
}

void coro_lex_next(CoroLexer *lx, CoroLexeme *out)
{
    const unsigned char *cur = lx->cursor, *start;
    memset(out, 0, sizeof *out);
    lx->error_at_eof = false;
    out->kind = scan(lx, &cur, &start, &out->tok);
    out->offset = (size_t)(start - lx->base);
    out->length = (size_t)(cur - start);
    out->last_line = lx->line;
    lx->cursor = cur;
}

void coro_lex_init(CoroLexer *lx, AstBuilder *ast, AstAllocFn alloc,
                   void *alloc_ud, const unsigned char *text, size_t length)
{
    memset(lx, 0, sizeof *lx);
    lx->base = text;
    lx->limit = text + length;
    lx->cursor = text;
    lx->line = 1;
    lx->ast = ast;
    lx->alloc = alloc;
    lx->alloc_ud = alloc_ud;
    /* A byte order mark and a "#!" first line are skipped when a file is
     * loaded (vm/run.c), as Lua does: not here, so load("#...") fails. */
}

void coro_lex_free(CoroLexer *lx)
{
    if (lx->buf)
        lx->alloc(lx->alloc_ud, lx->buf, lx->cap, 0);
    lx->buf = NULL;
    lx->len = lx->cap = 0;
}
