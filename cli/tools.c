/*
 * tools.c: `coro -p`, `coro --ast`, `coro --disasm` and the protected call
 * with traceback the command runs scripts with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ast.h"
#include "codegen.h"
#include "debug.h"
#include "disasm.h"
#include "state.h"
#include "api.h"
#include "mem.h"

static char *read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        cap *= 2;
        char *grown = realloc(buf, cap);
        if (!grown)
            free(buf);
        buf = grown;
    }
    if (f != stdin)
        fclose(f);
    *len = n;
    return buf;
}

int coro_cli_check(const char *path, int what)
{
    size_t len;
    char *src = read_all(path, &len);
    if (!src) {
        fprintf(stderr, "coro: cannot open %s\n", path);
        return 1;
    }
    char chunkname[512];
    snprintf(chunkname, sizeof chunkname, "@%s", strcmp(path, "-") == 0 ? "stdin" : path);
    char chunkid[CHUNKID_SIZE];
    if (strcmp(path, "-") == 0)
        snprintf(chunkid, sizeof chunkid, "stdin");
    else
        coro_chunkid(chunkid, sizeof chunkid, chunkname, strlen(chunkname));
    AstParse p;
    memset(&p, 0, sizeof p);
    p.alloc = coro_mem_system_alloc;
    p.chunkid = chunkid;
    p.source = src;
    p.length = len;
    int status = coro_ast_parse(&p);
    if (status == AST_PARSE_OK) {
        if (what == CLI_PRINT_AST)
            coro_ast_print(stdout, p.root);
    } else {
        fprintf(stderr, "coro: %s\n", p.errmsg);
    }
    coro_ast_parse_free(&p);
    free(src);
    return status == AST_PARSE_OK ? 0 : 1;
}

int coro_cli_disasm(const char *path)
{
    coro_VM *vm = coro_new(NULL);
    if (!vm)
        return 1;
    int status = coro_loadfile(vm, strcmp(path, "-") == 0 ? NULL : path);
    if (status != CORO_OK) {
        fprintf(stderr, "coro: %s\n", coro_tostring(vm, -1));
        coro_free(vm);
        return 1;
    }
    Value *fn = coro_api_slot(vm, -1);
    coro_disasm(stdout, as_lclosure(fn)->proto);
    coro_free(vm);
    return 0;
}
