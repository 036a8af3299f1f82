/*
 * lex.h: the lexer's interface (generated from lexer.re by re2c).
 *
 * The lexer turns bytes into tokens one at a time, on demand.  It knows
 * nothing about context: `yield` and `await` always come out as keywords
 * and `async` and `from` always as names.  The driver (parse.c) looks at
 * the neighbouring tokens and decides what they really are, because that
 * needs one token of lookahead and one of lookbehind, which is easier to
 * read in one place than spread over lexer states.
 *
 * Lexical errors are tokens too (kind CORO_TK_ERROR, message in the
 * lexer): Lua reports a bad token only when the parser asks for it, and
 * the driver reads one token ahead, so it must be able to hold an error
 * until its turn comes.
 */
#ifndef CORO_LEX_H
#define CORO_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "ast_build.h"

/* Kinds beyond the parser's token codes (parser.h); 0 is end of input. */
enum {
    CORO_TK_ERROR = -1,     /* lexical error; message in CoroLexer.message */
    CORO_TK_NO_MEMORY = -2  /* an allocation failed */
};

/* The semantic value of a terminal: what the grammar's actions see. */
typedef struct CoroToken {
    int line;                   /* line of the token's first byte */
    union {
        AstString string;       /* NAME, STRING: arena copy, NUL after */
        int64_t integer;        /* INT; CHAR: the byte; operators: the op */
        double number;          /* FLOAT */
    } u;
} CoroToken;

/* A token as the lexer hands it over. */
typedef struct CoroLexeme {
    int kind;                   /* TK_* code, 0 at end, or CORO_TK_* */
    int last_line;              /* line of its last byte: Lua's error line */
    size_t offset, length;      /* its bytes in the source */
    CoroToken tok;
} CoroLexeme;

typedef struct CoroLexer {
    const unsigned char *base;      /* source copy, NUL at base[length] */
    const unsigned char *cursor;
    const unsigned char *limit;     /* base + length */
    int line;
    AstBuilder *ast;                /* arena for names and string values */
    AstAllocFn alloc;               /* for the scratch buffer */
    void *alloc_ud;
    char *buf;                      /* scratch: string values, numerals */
    size_t len, cap;
    bool error_at_eof;              /* the last error was "near <eof>" */
    char message[400];              /* last lexical error, "... near '...'" */
} CoroLexer;

/* Starts lexing text[0..length) (text[length] must be NUL).  Skips a
 * UTF-8 byte order mark and a first line starting with '#'. */
void coro_lex_init(CoroLexer *lx, AstBuilder *ast, AstAllocFn alloc,
                   void *alloc_ud, const unsigned char *text, size_t length);

/* Reads the next token into *out. */
void coro_lex_next(CoroLexer *lx, CoroLexeme *out);

/* Frees the scratch buffer. */
void coro_lex_free(CoroLexer *lx);

#endif
