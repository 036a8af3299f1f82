/*
 * fuzz_compile.c: libFuzzer harness (1), the front end on arbitrary bytes.
 *
 * Each input is parsed to a syntax tree (and printed, as `coro --ast`
 * does), then compiled to bytecode through the public API (and listed, as
 * `coro --disasm` does), both into /dev/null.  Either may refuse the input
 * with a syntax error; nothing may crash, leak or disagree: the parser
 * alone and the full compiler must accept the same inputs, except that
 * the compiler may also report a limit it checks itself.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coro.h"
#include "ast.h"
#include "api.h"
#include "debug.h"
#include "disasm.h"
#include "state.h"
#include "mem.h"

static FILE *sink;

static int parse_only(const uint8_t *data, size_t size)
{
    char chunkid[CHUNKID_SIZE];
    coro_chunkid(chunkid, sizeof chunkid, "=fuzz", 5);
    AstParse p;
    memset(&p, 0, sizeof p);
    p.alloc = coro_mem_system_alloc;
    p.chunkid = chunkid;
    p.source = (const char *)data;
    p.length = size;
    AstParseStatus status = coro_ast_parse(&p);
    if (status == AST_PARSE_OK)
        coro_ast_print(sink, p.root);
    else if (p.errmsg[0] == '\0')
        abort();            /* a refusal must say why */
    coro_ast_parse_free(&p);
    return status == AST_PARSE_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!sink)
        sink = fopen("/dev/null", "w");
    int parsed = parse_only(data, size);

    coro_VM *vm = coro_new(NULL);
    if (!vm)
        abort();
    int status = coro_load(vm, (const char *)data, size, "=fuzz", "t");
    if (status == CORO_OK) {
        if (!parsed)
            abort();        /* the compiler took what the parser refused */
        coro_disasm(sink, as_lclosure(coro_api_slot(vm, -1))->proto);
    } else if (status != CORO_ERRSYNTAX || !coro_tostring(vm, -1)) {
        abort();
    }
    coro_free(vm);
    return 0;
}
