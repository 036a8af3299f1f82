/*
 * test_lexer.c: the re2c lexer on its own (tokens, values, lines) and,
 * through coro_ast_parse, its error messages as Lua 5.4 words them.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "ast_build.h"
#include "lex.h"
#include "parser.h"
#include "mem.h"

/* ---- a lexer over a test string ------------------------------------------ */

static AstBuilder builder;
static CoroLexer lexer;
static unsigned char *text;

static void lex_bytes(const char *src, size_t len)
{
    memset(&builder, 0, sizeof builder);
    builder.arena = coro_arena_new(coro_mem_system_alloc, NULL);
    text = malloc(len + 1);
    memcpy(text, src, len);
    text[len] = '\0';
    coro_lex_init(&lexer, &builder, coro_mem_system_alloc, NULL, text, len);
}

static void lex(const char *src)
{
    lex_bytes(src, strlen(src));
}

static void lex_done(void)
{
    coro_lex_free(&lexer);
    coro_arena_free(builder.arena);
    free(text);
    text = NULL;
}

static CoroLexeme next(void)
{
    CoroLexeme t;
    coro_lex_next(&lexer, &t);
    return t;
}

static void expect_kinds(const char *src, const int *kinds, int n)
{
    lex(src);
    for (int i = 0; i < n; i++) {
        CoroLexeme t = next();
        cr_expect_eq(t.kind, kinds[i], "%s: token %d is %d, expected %d",
                     src, i, t.kind, kinds[i]);
    }
    cr_expect_eq(next().kind, 0, "%s: expected the end", src);
    lex_done();
}

#define KINDS(src, ...)                                                    \
    do {                                                                   \
        const int kinds_[] = { __VA_ARGS__ };                              \
        expect_kinds(src, kinds_, (int)(sizeof kinds_ / sizeof *kinds_)); \
    } while (0)

/* ---- tokens --------------------------------------------------------------- */

Test(lexer, keywords)
{
    KINDS("and break do else elseif end false for function goto if in local "
          "nil not or repeat return then true until while yield await",
          TK_AND, TK_BREAK, TK_DO, TK_ELSE, TK_ELSEIF, TK_END, TK_FALSE,
          TK_FOR, TK_FUNCTION, TK_GOTO, TK_IF, TK_IN, TK_LOCAL, TK_NIL,
          TK_NOT, TK_OR, TK_REPEAT, TK_RETURN, TK_THEN, TK_TRUE, TK_UNTIL,
          TK_WHILE, TK_YIELD, TK_AWAIT);
}

Test(lexer, contextual_words_are_names_to_the_lexer)
{
    KINDS("async from", TK_NAME, TK_NAME);
    KINDS("yields awaited ends _end End", TK_NAME, TK_NAME, TK_NAME, TK_NAME,
          TK_NAME);
}

Test(lexer, operators)
{
    KINDS("+ - * / // % ^ # & ~ | << >> == ~= <= >= < > = ( ) { } [ ] :: ; : , "
          ". .. ...",
          TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_IDIV, TK_PERCENT, TK_CARET,
          TK_HASH, TK_AMP, TK_TILDE, TK_PIPE, TK_SHL, TK_SHR, TK_EQ, TK_NE,
          TK_LE, TK_GE, TK_LT, TK_GT, TK_ASSIGN, TK_LPAREN, TK_RPAREN,
          TK_LBRACE, TK_RBRACE, TK_LBRACKET, TK_RBRACKET, TK_DBCOLON,
          TK_SEMI, TK_COLON, TK_COMMA, TK_DOT, TK_CONCAT, TK_DOTS);
}

Test(lexer, operators_without_spaces)
{
    KINDS("a.b:c(...)..d//e<<=f>=g~=h==i", TK_NAME, TK_DOT, TK_NAME, TK_COLON,
          TK_NAME, TK_LPAREN, TK_DOTS, TK_RPAREN, TK_CONCAT, TK_NAME, TK_IDIV,
          TK_NAME, TK_SHL, TK_ASSIGN, TK_NAME, TK_GE, TK_NAME, TK_NE, TK_NAME,
          TK_EQ, TK_NAME);
    KINDS("....", TK_DOTS, TK_DOT);
    KINDS("a..1", TK_NAME, TK_CONCAT, TK_INT);
    KINDS(":::", TK_DBCOLON, TK_COLON);
    KINDS("~~=", TK_TILDE, TK_NE);
}

Test(lexer, names)
{
    lex("_ a1 _x9 A_B élan");
    const char *names[] = { "_", "a1", "_x9", "A_B" };
    for (int i = 0; i < 4; i++) {
        CoroLexeme t = next();
        cr_assert_eq(t.kind, TK_NAME);
        cr_expect_str_eq(t.tok.u.string.data, names[i]);
        cr_expect_eq(t.tok.u.string.len, strlen(names[i]));
    }
    /* Bytes beyond ASCII are not letters in Lua. */
    CoroLexeme t = next();
    cr_expect_eq(t.kind, TK_CHAR);
    cr_expect_eq(t.tok.u.integer, 0xC3);
    lex_done();
}

Test(lexer, unknown_bytes_are_single_char_tokens)
{
    KINDS("@ $ ! ? ` \\", TK_CHAR, TK_CHAR, TK_CHAR, TK_CHAR, TK_CHAR, TK_CHAR);
}

/* ---- numerals -------------------------------------------------------------- */

static void expect_integer(const char *src, int64_t value)
{
    lex(src);
    CoroLexeme t = next();
    cr_expect_eq(t.kind, TK_INT, "%s is not an integer (%d)", src, t.kind);
    cr_expect_eq(t.tok.u.integer, value, "%s: %lld", src,
                 (long long)t.tok.u.integer);
    cr_expect_eq(next().kind, 0, "%s: more than one token", src);
    lex_done();
}

static void expect_float(const char *src, double value)
{
    lex(src);
    CoroLexeme t = next();
    cr_expect_eq(t.kind, TK_FLOAT, "%s is not a float (%d)", src, t.kind);
    cr_expect(t.tok.u.number == value, "%s: %.17g, expected %.17g", src,
              t.tok.u.number, value);
    cr_expect_eq(next().kind, 0, "%s: more than one token", src);
    lex_done();
}

Test(lexer, decimal_integers)
{
    expect_integer("0", 0);
    expect_integer("3", 3);
    expect_integer("345", 345);
    expect_integer("007", 7);
    expect_integer("9223372036854775807", INT64_MAX);
}

Test(lexer, hexadecimal_integers)
{
    expect_integer("0xff", 255);
    expect_integer("0XFF", 255);
    expect_integer("0xBEBADA", 0xBEBADA);
    expect_integer("0x7fffffffffffffff", INT64_MAX);
    expect_integer("0x0", 0);
}

Test(lexer, integer_overflow_as_lua)
{
    /* Decimal integers too big become floats. */
    expect_float("9223372036854775808", 9223372036854775808.0);
    expect_float("18446744073709551616", 18446744073709551616.0);
    /* Hexadecimal ones wrap around modulo 2^64. */
    expect_integer("0xffffffffffffffff", -1);
    expect_integer("0x8000000000000000", INT64_MIN);
    expect_integer("0x10000000000000000", 0);
    expect_integer("0x1ffffffffffffffff", -1);
}

Test(lexer, decimal_floats)
{
    expect_float("3.0", 3.0);
    expect_float("3.1416", 3.1416);
    expect_float("314.16e-2", 314.16e-2);
    expect_float("0.31416E1", 0.31416E1);
    expect_float("34e1", 340.0);
    expect_float(".5", 0.5);
    expect_float("5.", 5.0);
    expect_float("1e+10", 1e10);
    expect_float("1E-10", 1e-10);
    expect_float(".5e-3", 0.5e-3);
    expect_float("1e400", HUGE_VAL);
}

Test(lexer, hexadecimal_floats)
{
    expect_float("0x0.1E", 0x0.1Ep0);
    expect_float("0xA23p-4", 0xA23p-4);
    expect_float("0X1.921FB54442D18P+1", 0X1.921FB54442D18P+1);
    expect_float("0x1p4", 16.0);
    expect_float("0x.8P-1", 0.25);
    expect_float("0x.8", 0.5);
    expect_float("0xA.8p0", 10.5);
}

Test(lexer, numeral_followed_by_other_tokens)
{
    KINDS("1+2", TK_INT, TK_PLUS, TK_INT);
    KINDS("1 ..2", TK_INT, TK_CONCAT, TK_INT);
    KINDS("0x1e+5", TK_INT, TK_PLUS, TK_INT);     /* e is a hex digit */
    KINDS("1e5+1", TK_FLOAT, TK_PLUS, TK_INT);
    KINDS("3-2", TK_INT, TK_MINUS, TK_INT);
}

/* ---- strings ---------------------------------------------------------------- */

static void expect_string_bytes(const char *src, const char *value, size_t len)
{
    lex(src);
    CoroLexeme t = next();
    cr_expect_eq(t.kind, TK_STRING, "%s: kind %d", src, t.kind);
    if (t.kind == TK_STRING) {
        cr_expect_eq(t.tok.u.string.len, len, "%s: length %zu, expected %zu",
                     src, t.tok.u.string.len, len);
        cr_expect(memcmp(t.tok.u.string.data, value, len) == 0,
                  "%s: wrong value", src);
        cr_expect_eq(t.tok.u.string.data[len], '\0', "%s: no NUL after it", src);
    }
    cr_expect_eq(next().kind, 0, "%s: more than one token", src);
    lex_done();
}

#define STR(src, value) expect_string_bytes(src, value, sizeof(value) - 1)

Test(lexer, quotes)
{
    STR("\"double\"", "double");
    STR("'single'", "single");
    STR("\"it's\"", "it's");
    STR("'say \"hi\"'", "say \"hi\"");
    STR("\"\"", "");
    STR("''", "");
}

Test(lexer, simple_escapes)
{
    STR("\"\\a\\b\\f\\n\\r\\t\\v\"", "\a\b\f\n\r\t\v");
    STR("\"\\\\\\\"\\'\"", "\\\"'");
    STR("'\\''", "'");
}

Test(lexer, hex_escapes)
{
    STR("\"\\x41\\x62\\x7a\"", "Abz");
    STR("\"\\xFF\\x00\\xfe\"", "\xff\0\xfe");
}

Test(lexer, decimal_escapes)
{
    STR("\"\\65\\066\\0671\"", "ABC1");
    STR("\"\\0\\255\"", "\0\xff");
    STR("\"\\2555\"", "\xff" "5");
    STR("\"\\9x\"", "\tx");
}

Test(lexer, utf8_escapes)
{
    STR("\"\\u{48}\"", "H");
    STR("\"\\u{e9}\"", "\xc3\xa9");
    STR("\"\\u{20AC}\"", "\xe2\x82\xac");
    STR("\"\\u{10FFFF}\"", "\xf4\x8f\xbf\xbf");
    STR("\"\\u{0}\"", "\0");
    STR("\"\\u{7FF}\\u{800}\"", "\xdf\xbf\xe0\xa0\x80");
    STR("\"\\u{D800}\"", "\xed\xa0\x80");                  /* surrogates too */
    STR("\"\\u{200000}\"", "\xf8\x88\x80\x80\x80");        /* five bytes */
    STR("\"\\u{7FFFFFFF}\"", "\xfd\xbf\xbf\xbf\xbf\xbf");  /* six bytes */
    STR("\"\\u{0000000041}\"", "A");                       /* leading zeros */
}

Test(lexer, escaped_newlines)
{
    STR("\"a\\\nb\"", "a\nb");
    STR("\"a\\\r\nb\"", "a\nb");
    STR("\"a\\\n\rb\"", "a\nb");
    STR("\"a\\\rb\"", "a\nb");
}

Test(lexer, zap_escape)
{
    STR("\"a\\z   b\"", "ab");
    STR("\"a\\z \n\r\n \t\v\f b\"", "ab");
    STR("\"a\\zb\"", "ab");
    STR("\"\\z\"", "");
}

Test(lexer, nul_bytes_in_strings_and_comments)
{
    static const char src[] = "\"a\0b\" --\0\n'\0'";
    lex_bytes(src, sizeof src - 1);
    CoroLexeme t = next();
    cr_assert_eq(t.kind, TK_STRING);
    cr_expect_eq(t.tok.u.string.len, 3);
    cr_expect(memcmp(t.tok.u.string.data, "a\0b", 3) == 0);
    t = next();
    cr_assert_eq(t.kind, TK_STRING);
    cr_expect_eq(t.tok.u.string.len, 1);
    cr_expect_eq(next().kind, 0);
    lex_done();
}

Test(lexer, nul_byte_outside_strings)
{
    static const char src[] = "a\0b";
    lex_bytes(src, sizeof src - 1);
    cr_expect_eq(next().kind, TK_NAME);
    CoroLexeme t = next();
    cr_expect_eq(t.kind, TK_CHAR);
    cr_expect_eq(t.tok.u.integer, 0);
    cr_expect_eq(next().kind, TK_NAME);
    cr_expect_eq(next().kind, 0);
    lex_done();
}

Test(lexer, long_strings)
{
    STR("[[]]", "");
    STR("[[abc]]", "abc");
    STR("[[\nfirst newline skipped]]", "first newline skipped");
    STR("[[\r\nskipped]]", "skipped");
    STR("[[\n\rskipped]]", "skipped");
    STR("[[\rskipped]]", "skipped");
    STR("[[\n\nonly one skipped]]", "\nonly one skipped");
    STR("[[a\r\nb\rc\n\rd]]", "a\nb\nc\nd");
    STR("[==[ ]] ]=] ]===] ]==]", " ]] ]=] ]===] ");
    STR("[=[a]]=]", "a]");
    STR("[=[a]==]=]", "a]==");
    STR("[=[\n]=]", "");
    STR("[[\\n is not an escape]]", "\\n is not an escape");
}

Test(lexer, comments)
{
    KINDS("-- comment\nx", TK_NAME);
    KINDS("--[[ long\ncomment ]] x", TK_NAME);
    KINDS("--[==[ ]] ]==] x", TK_NAME);
    KINDS("---[[ short\nx --]]", TK_NAME);
    KINDS("--[=x short\nx", TK_NAME);
    KINDS("--", 0);
    KINDS("x --", TK_NAME);
    KINDS("x --[[", TK_NAME, CORO_TK_ERROR);
}

/* ---- lines ----------------------------------------------------------------- */

static void expect_lines(const char *src, const int *lines, int n)
{
    lex(src);
    for (int i = 0; i < n; i++) {
        CoroLexeme t = next();
        cr_expect_eq(t.tok.line, lines[i], "token %d of %s on line %d, expected %d",
                     i, src, t.tok.line, lines[i]);
    }
    lex_done();
}

#define LINES(src, ...)                                                   \
    do {                                                                  \
        const int lines_[] = { __VA_ARGS__ };                             \
        expect_lines(src, lines_, (int)(sizeof lines_ / sizeof *lines_)); \
    } while (0)

Test(lexer, every_newline_form_counts_once)
{
    LINES("a\nb\rc\r\nd\n\re", 1, 2, 3, 4, 5);
    LINES("a\n\nb\r\rc", 1, 3, 5);
    LINES("a\r\n\r\nb", 1, 3);
    LINES("a\n\r\n\rb", 1, 3);
    LINES("a\r\n\rb", 1, 3);
}

Test(lexer, lines_inside_tokens_and_comments)
{
    LINES("a [[\n\nx]] b", 1, 1, 3);
    LINES("a --[[\n\n]] b", 1, 3);
    LINES("a \"x\\\ny\" b", 1, 1, 2);
    LINES("a \"x\\z\n\n y\" b", 1, 1, 3);
    LINES("a -- c\nb", 1, 2);
    lex("x [[\n\n]]");
    next();
    CoroLexeme t = next();
    cr_expect_eq(t.tok.line, 1);
    cr_expect_eq(t.last_line, 3);
    lex_done();
}

Test(lexer, eof_line)
{
    lex("a\n\n");
    next();
    CoroLexeme t = next();
    cr_expect_eq(t.kind, 0);
    cr_expect_eq(t.tok.line, 3);
    lex_done();
}

Test(lexer, hash_is_the_length_operator_anywhere)
{
    /* Skipping a "#!" first line is the file loader's job (vm/run.c),
     * not the lexer's: in source text "#" is always an operator. */
    KINDS("#x", TK_HASH, TK_NAME);
    KINDS("x\n#y", TK_NAME, TK_HASH, TK_NAME);
}

Test(lexer, token_positions)
{
    lex("  local  x");
    CoroLexeme t = next();
    cr_expect_eq(t.offset, 2);
    cr_expect_eq(t.length, 5);
    t = next();
    cr_expect_eq(t.offset, 9);
    cr_expect_eq(t.length, 1);
    lex_done();
}

/* ---- errors, through the parser (full Lua messages) ---------------------- */

static void expect_error(const char *src, const char *message)
{
    AstParse p;
    memset(&p, 0, sizeof p);
    p.alloc = coro_mem_system_alloc;
    p.chunkid = "t";
    p.source = src;
    p.length = strlen(src);
    cr_expect_eq(coro_ast_parse(&p), AST_PARSE_SYNTAX_ERROR, "%s: parsed", src);
    cr_expect_str_eq(p.errmsg, message, "source: %s", src);
    coro_ast_parse_free(&p);
}

Test(lexer_errors, unfinished_strings)
{
    expect_error("x = \"abc\nprint(x)", "t:1: unfinished string near '\"abc'");
    expect_error("x = 'abc", "t:1: unfinished string near <eof>");
    expect_error("x = \"a\\tb\r", "t:1: unfinished string near '\"a\tb'");
    expect_error("x = \"a\\\n", "t:2: unfinished string near <eof>");
    expect_error("x = \"a\\", "t:1: unfinished string near <eof>");
    expect_error("\n\nx = \"", "t:3: unfinished string near <eof>");
}

Test(lexer_errors, unfinished_long_brackets)
{
    expect_error("x = [==[\nabc\n]=]", "t:3: unfinished long string (starting at line 1) near <eof>");
    expect_error("\n--[[ never\nclosed\n", "t:4: unfinished long comment (starting at line 2) near <eof>");
    expect_error("x = [=x", "t:1: invalid long string delimiter near '[='");
    expect_error("x = [==", "t:1: invalid long string delimiter near '[=='");
}

Test(lexer_errors, malformed_numbers)
{
    expect_error("x = 3x", "t:1: malformed number near '3x'");
    expect_error("x = 0xg", "t:1: malformed number near '0xg'");
    expect_error("x = 0x", "t:1: malformed number near '0x'");
    expect_error("x = 1e", "t:1: malformed number near '1e'");
    expect_error("x = 1e+", "t:1: malformed number near '1e+'");
    expect_error("x = 0x1p", "t:1: malformed number near '0x1p'");
    expect_error("x = 3.4.5", "t:1: malformed number near '3.4.5'");
    expect_error("x = 1..2", "t:1: malformed number near '1..2'");
    expect_error("x = 12abc", "t:1: malformed number near '12abc'");
    expect_error("x = 1_000", "t:1: malformed number near '1_'");
    expect_error("x = .0x1", "t:1: malformed number near '.0x1'");
}

Test(lexer_errors, escapes)
{
    expect_error("x = \"\\q\"", "t:1: invalid escape sequence near '\"\\q'");
    expect_error("x = \"ab\\ q\"", "t:1: invalid escape sequence near '\"ab\\ '");
    expect_error("x = \"\\256\"", "t:1: decimal escape too large near '\"\\256\"'");
    expect_error("x = \"\\999", "t:1: decimal escape too large near '\"\\999'");
    expect_error("x = \"\\xZZ\"", "t:1: hexadecimal digit expected near '\"\\xZ'");
    expect_error("x = \"\\xA\"", "t:1: hexadecimal digit expected near '\"\\xA\"'");
    expect_error("x = \"\\x", "t:1: hexadecimal digit expected near '\"\\x'");
    expect_error("x = \"\\u41\"", "t:1: missing '{' near '\"\\u4'");
    expect_error("x = \"\\u{41\"", "t:1: missing '}' near '\"\\u{41\"'");
    expect_error("x = \"\\u{}\"", "t:1: hexadecimal digit expected near '\"\\u{}'");
    expect_error("x = \"\\u{G}\"", "t:1: hexadecimal digit expected near '\"\\u{G'");
    expect_error("x = \"\\u{80000000}\"", "t:1: UTF-8 value too large near '\"\\u{80000000'");
    expect_error("x = \"\\u{110000000}\"", "t:1: UTF-8 value too large near '\"\\u{110000000'");
    /* Decoded escapes before the bad one show decoded. */
    expect_error("x = \"\\65\\x42\\q\"", "t:1: invalid escape sequence near '\"AB\\q'");
    /* Like Lua's %s, the near text stops at a NUL. */
    expect_error("x = \"a\\0\\q\"", "t:1: invalid escape sequence near '\"a'");
}

Test(lexer_errors, unexpected_bytes)
{
    expect_error("x = 1 @", "t:1: unexpected symbol near '@'");
    expect_error("x = \x01", "t:1: unexpected symbol near '<\\1>'");
    expect_error("x = \x7f", "t:1: unexpected symbol near '<\\127>'");
    expect_error("x\xe9 = 1", "t:1: syntax error near '<\\233>'");
    expect_error("local x\xe9 = 1", "t:1: unexpected symbol near '<\\233>'");
}

Test(lexer_errors, nul_byte_has_no_near_text)
{
    static const char src[] = "x = \0";
    AstParse p;
    memset(&p, 0, sizeof p);
    p.alloc = coro_mem_system_alloc;
    p.chunkid = "t";
    p.source = src;
    p.length = sizeof src - 1;
    cr_expect_eq(coro_ast_parse(&p), AST_PARSE_SYNTAX_ERROR);
    cr_expect_str_eq(p.errmsg, "t:1: unexpected symbol");
    coro_ast_parse_free(&p);
}

Test(lexer_errors, reported_only_when_reached)
{
    /* A syntax error comes before a lexical error after it, as in Lua. */
    expect_error("x = = 3x", "t:1: unexpected symbol near '='");
    expect_error("x = 1 3x", "t:1: malformed number near '3x'");
}

Test(lexer_errors, error_at_eof_flag)
{
    static const struct {
        const char *src;
        bool at_eof;
    } cases[] = {
        { "x = [[abc", true },
        { "--[[ abc", true },
        { "x = \"abc", true },
        { "x = \"abc\n", false },
        { "x = 3x", false },
        { "x = \"\\q\"", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        AstParse p;
        memset(&p, 0, sizeof p);
        p.alloc = coro_mem_system_alloc;
        p.chunkid = "t";
        p.source = cases[i].src;
        p.length = strlen(cases[i].src);
        coro_ast_parse(&p);
        cr_expect_eq(p.error_at_eof, cases[i].at_eof, "%s", cases[i].src);
        coro_ast_parse_free(&p);
    }
}

Test(lexer, source_without_terminating_nul)
{
    /* The exact-size buffer lets AddressSanitizer catch any read past it. */
    const char *chunks[] = { "x = 1", "x = [[abc", "x = \"abc", "--", "x = 0x",
                             "x = 'a\\", "x = 'a\\x", "x = 1e", "--[==[" };
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        size_t len = strlen(chunks[i]);
        char *exact = malloc(len);
        memcpy(exact, chunks[i], len);
        AstParse p;
        memset(&p, 0, sizeof p);
        p.alloc = coro_mem_system_alloc;
        p.chunkid = "t";
        p.source = exact;
        p.length = len;
        coro_ast_parse(&p);
        coro_ast_parse_free(&p);
        free(exact);
    }
}
