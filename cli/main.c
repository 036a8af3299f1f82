/*
 * main.c: the `coro` command (front-end stage: -p and --ast only; the
 * VM-backed options arrive with the VM).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"

static void *plain_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, nsize);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            break;
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        cap *= 2;
        char *grown = realloc(buf, cap);
        if (!grown) {
            free(buf);
            buf = NULL;
        }
        buf = grown;
    }
    if (f != stdin)
        fclose(f);
    *len = n;
    return buf;
}

/* Parses one file; prints the tree when print_tree.  Returns 0 or 1. */
static int check_file(const char *path, int print_tree)
{
    size_t len;
    char *src = read_file(path, &len);
    if (!src) {
        fprintf(stderr, "coro: cannot open %s\n", path);
        return 1;
    }
    AstParse p;
    memset(&p, 0, sizeof p);
    p.alloc = plain_alloc;
    p.chunkid = strcmp(path, "-") == 0 ? "stdin" : path;
    p.source = src;
    p.length = len;
    int status = coro_ast_parse(&p);
    if (status == AST_PARSE_OK) {
        if (print_tree)
            coro_ast_print(stdout, p.root);
    } else {
        fprintf(stderr, "coro: %s\n", p.errmsg);
    }
    coro_ast_parse_free(&p);
    free(src);
    return status == AST_PARSE_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "-p") == 0) {
        int rc = 0;
        for (int i = 2; i < argc; i++)
            rc |= check_file(argv[i], 0);
        return rc;
    }
    if (argc == 3 && strcmp(argv[1], "--ast") == 0)
        return check_file(argv[2], 1);
    fprintf(stderr, "usage: coro -p FILE... | coro --ast FILE\n");
    return 1;
}
