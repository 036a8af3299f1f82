/*
 * compile.c: source text to a closure: parse, generate code, wrap.
 */
#include <string.h>

#include "codegen.h"
#include "call.h"
#include "debug.h"
#include "func.h"
#include "mem.h"
#include "str.h"

/* The front end allocates through the VM, inside its memory limit. */
static void *ast_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    return coro_mem_try_realloc((coro_VM *)ud, ptr, osize, nsize);
}

struct CompileJob {
    AstParse *parse;
    const char *chunkname;
    const char *chunkid;
    Proto *proto;
};

static void generate(coro_VM *vm, void *ud)
{
    struct CompileJob *job = ud;
    String *source = coro_str_newc(vm, job->chunkname);
    job->proto = coro_codegen(vm, job->parse->root, job->chunkid, source);
}

LClosure *coro_compile(coro_VM *vm, const char *src, size_t len, const char *chunkname)
{
    char chunkid[CHUNKID_SIZE];
    coro_chunkid(chunkid, sizeof chunkid, chunkname, strlen(chunkname));
    AstParse p;
    memset(&p, 0, sizeof p);
    p.alloc = ast_alloc;
    p.alloc_ud = vm;
    p.chunkid = chunkid;
    p.source = src;
    p.length = len;
    AstParseStatus status = coro_ast_parse(&p);
    if (status == AST_PARSE_NO_MEMORY) {
        coro_ast_parse_free(&p);
        coro_mem_error(vm);
    }
    if (status != AST_PARSE_OK) {
        /* Copy the message out before the parse's memory goes. */
        char msg[sizeof p.errmsg];
        memcpy(msg, p.errmsg, sizeof msg);
        coro_ast_parse_free(&p);
        set_string(&vm->error_value, coro_str_newc(vm, msg));
        coro_throw(vm, CORO_ERRSYNTAX);
    }
    struct CompileJob job = { &p, chunkname, chunkid, NULL };
    int rc = coro_protect(vm, generate, &job);
    coro_ast_parse_free(&p);
    if (rc != CORO_OK)
        coro_throw(vm, rc);
    return coro_lclosure_new(vm, job.proto);
}
