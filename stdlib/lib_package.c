/*
 * lib_package.c: require and the package table (Lua 5.4's, without C
 * modules).
 *
 * require asks each function of package.searchers in turn for a loader;
 * the first that returns a function wins, and the messages of the others
 * explain a failure.  Two searchers are installed: package.preload, and
 * source files found along package.path.  A module is loaded once:
 * package.loaded (the registry's _LOADED table, where the libraries opened
 * by the host are too) remembers its value.
 *
 * The loader runs as a continuation call (coro_callk), so a module's main
 * chunk may yield: `require` inside a task is an ordinary suspension point.
 *
 * package.path starts as CORO_PATH from the environment, with ";;" in it
 * standing for the default path, or the default path itself.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coro.h"
#include "stdlib_internal.h"

#define PATH_DEFAULT "./?.coro;./?/init.coro;./?.lua;./?/init.lua"
#define PATH_ENV "CORO_PATH"
#define PATH_SEP ";"
#define PATH_MARK "?"
#define DIR_SEP "/"
#define PRELOAD_KEY "_PRELOAD"
#define LOADED_KEY "_LOADED"

/* Adds s to the buffer with every occurrence of pat replaced by repl. */
static void add_gsub(coro_Buffer *b, const char *s, const char *pat, const char *repl)
{
    size_t patlen = strlen(pat);
    const char *hit;
    while ((hit = strstr(s, pat)) != NULL) {
        coro_addlstring(b, s, (size_t)(hit - s));
        coro_addstring(b, repl);
        s = hit + patlen;
    }
    coro_addstring(b, s);
}

static const char *push_gsub(coro_VM *vm, const char *s, const char *pat, const char *repl)
{
    coro_Buffer b;
    coro_buffinit(vm, &b);
    add_gsub(&b, s, pat, repl);
    coro_pushresult(&b);
    return coro_tostring(vm, -1);
}

static bool readable(const char *filename)
{
    FILE *f = fopen(filename, "r");
    if (f == NULL)
        return false;
    fclose(f);
    return true;
}

/* Searches path for name (its sep replaced by dirsep).  Pushes the file
 * name found, or the "no file '...'" list of every candidate and returns
 * NULL. */
static const char *search_path(coro_VM *vm, const char *name, const char *path,
                               const char *sep, const char *dirsep)
{
    if (*sep != '\0' && strchr(name, *sep) != NULL)
        name = push_gsub(vm, name, sep, dirsep);
    const char *candidates = push_gsub(vm, path, PATH_MARK, name);
    const char *p = candidates;
    for (;;) {
        while (*p == *PATH_SEP)
            p++;        /* empty templates are skipped */
        if (*p == '\0')
            break;
        const char *end = strchr(p, *PATH_SEP);
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *filename = coro_pushlstring(vm, p, len);
        if (readable(filename))
            return filename;
        coro_pop(vm, 1);
        p += len;
    }
    /* The message lists every template, empty ones included, as Lua's. */
    coro_Buffer b;
    coro_buffinit(vm, &b);
    coro_addstring(&b, "no file '");
    add_gsub(&b, candidates, PATH_SEP, "'\n\tno file '");
    coro_addstring(&b, "'");
    coro_pushresult(&b);
    return NULL;
}

static int pkg_searchpath(coro_VM *vm)
{
    const char *name = coro_checkstring(vm, 1);
    const char *path = coro_checkstring(vm, 2);
    const char *sep = coro_optstring(vm, 3, ".");
    const char *dirsep = coro_optstring(vm, 4, DIR_SEP);
    if (search_path(vm, name, path, sep, dirsep) != NULL)
        return 1;
    coro_pushnil(vm);
    coro_insert(vm, -2);
    return 2;
}

/* Built without dynamic libraries, as a Lua without dlopen support. */
static int pkg_loadlib(coro_VM *vm)
{
    coro_checkstring(vm, 1);
    coro_checkstring(vm, 2);
    coro_pushnil(vm);
    coro_pushstring(vm, "dynamic libraries not enabled; check your Lua installation");
    coro_pushstring(vm, "absent");
    return 3;
}

/* ---- searchers ------------------------------------------------------------------------ */

static int searcher_preload(coro_VM *vm)
{
    const char *name = coro_checkstring(vm, 1);
    coro_getfield(vm, CORO_REGISTRYINDEX, PRELOAD_KEY);
    if (coro_getfield(vm, -1, name) == CORO_TNIL) {
        coro_pushfstring(vm, "no field package.preload['%s']", name);
        return 1;
    }
    coro_pushstring(vm, ":preload:");
    return 2;
}

/* Finds name along package.path and compiles it: the loader is the main
 * chunk, its extra value the file name. */
static int searcher_source(coro_VM *vm)
{
    const char *name = coro_checkstring(vm, 1);
    coro_getfield(vm, coro_upvalueindex(1), "path");
    const char *path = coro_tostring(vm, -1);
    if (path == NULL)
        coro_errorf(vm, "'package.path' must be a string");
    const char *filename = search_path(vm, name, path, ".", DIR_SEP);
    if (filename == NULL)
        return 1;
    if (coro_loadfile(vm, filename) != CORO_OK)
        coro_errorf(vm, "error loading module '%s' from file '%s':\n\t%s",
                    coro_tostring(vm, 1), filename, coro_tostring(vm, -1));
    coro_pushstring(vm, filename);
    return 2;
}

/* ---- require -------------------------------------------------------------------------- */

/* Asks the searchers for a loader for name; leaves the loader and its
 * extra value on top, or raises the list of what each searcher tried. */
static void find_loader(coro_VM *vm, const char *name)
{
    if (coro_getfield(vm, coro_upvalueindex(1), "searchers") != CORO_TTABLE)
        coro_errorf(vm, "'package.searchers' must be a table");
    int searchers = coro_gettop(vm);
    coro_Buffer msg;
    coro_buffinit(vm, &msg);
    for (coro_Integer i = 1;; i++) {
        /* Each message is preceded by "\n\t"; added now, while the
         * buffer is on top, and taken back when there is no message. */
        coro_addstring(&msg, "\n\t");
        if (coro_rawgeti(vm, searchers, i) == CORO_TNIL) {
            coro_pop(vm, 1);
            msg.n -= 2;
            coro_pushresult(&msg);
            coro_errorf(vm, "module '%s' not found:%s", name, coro_tostring(vm, -1));
        }
        coro_pushstring(vm, name);
        coro_call(vm, 1, 2);
        if (coro_type(vm, -2) == CORO_TFUNCTION) {
            /* [searchers, buffer, loader, extra] -> [loader, extra] */
            coro_remove(vm, searchers);
            coro_remove(vm, searchers);
            return;
        }
        if (coro_isstring(vm, -2)) {
            coro_pop(vm, 1);
            coro_addvalue(&msg);
        } else {
            coro_pop(vm, 2);
            msg.n -= 2;
        }
    }
}

/* After the loader: the stack is [name, loaded, extra, result]. */
static int require_k(coro_VM *vm, int status, coro_KContext ctx)
{
    (void)status;
    (void)ctx;
    const char *name = coro_tostring(vm, 1);
    if (!coro_isnil(vm, -1))
        coro_setfield(vm, 2, name);
    else
        coro_pop(vm, 1);
    if (coro_getfield(vm, 2, name) == CORO_TNIL) {
        /* A module that returns nothing and sets nothing is loaded as true. */
        coro_pushboolean(vm, 1);
        coro_copy(vm, -1, -2);
        coro_setfield(vm, 2, name);
    }
    coro_rotate(vm, -2, 1);     /* the value, then the extra */
    return 2;
}

static int pkg_require(coro_VM *vm)
{
    const char *name = coro_checkstring(vm, 1);
    coro_settop(vm, 1);
    coro_getfield(vm, CORO_REGISTRYINDEX, LOADED_KEY);
    if (coro_getfield(vm, 2, name) != CORO_TNIL && coro_toboolean(vm, -1))
        return 1;
    coro_pop(vm, 1);
    find_loader(vm, name);
    coro_rotate(vm, -2, 1);     /* [name, loaded, extra, loader] */
    coro_pushvalue(vm, 1);
    coro_pushvalue(vm, -3);
    return coro_callk(vm, 2, 1, 0, require_k);
}

/* ---- opening -------------------------------------------------------------------------- */

/* package.path: $CORO_PATH with its first ";;" replaced by the default,
 * or the default. */
static void push_path(coro_VM *vm)
{
    const char *env = getenv(PATH_ENV);
    if (env == NULL) {
        coro_pushstring(vm, PATH_DEFAULT);
        return;
    }
    const char *mark = strstr(env, PATH_SEP PATH_SEP);
    if (mark == NULL) {
        coro_pushstring(vm, env);
        return;
    }
    coro_Buffer b;
    coro_buffinit(vm, &b);
    if (mark > env) {
        coro_addlstring(&b, env, (size_t)(mark - env));
        coro_addstring(&b, PATH_SEP);
    }
    coro_addstring(&b, PATH_DEFAULT);
    if (mark[2] != '\0') {
        coro_addstring(&b, PATH_SEP);
        coro_addstring(&b, mark + 2);
    }
    coro_pushresult(&b);
}

static const coro_Reg package_funcs[] = {
    { "loadlib", pkg_loadlib },
    { "searchpath", pkg_searchpath },
    { NULL, NULL }
};

static int open_package(coro_VM *vm)
{
    static const coro_CFunction searchers[] = { searcher_preload, searcher_source };
    coro_newlib(vm, package_funcs);
    int pkg = coro_gettop(vm);

    coro_createtable(vm, 2, 0);
    for (int i = 0; i < 2; i++) {
        coro_pushvalue(vm, pkg);
        coro_pushcclosure(vm, searchers[i], 1);
        coro_rawseti(vm, -2, i + 1);
    }
    coro_setfield(vm, pkg, "searchers");

    push_path(vm);
    coro_setfield(vm, pkg, "path");
    /* No C modules; kept as a string for scripts that extend it. */
    coro_pushstring(vm, "");
    coro_setfield(vm, pkg, "cpath");
    coro_pushstring(vm, DIR_SEP "\n" PATH_SEP "\n" PATH_MARK "\n!\n-\n");
    coro_setfield(vm, pkg, "config");

    coro_getsubtable(vm, CORO_REGISTRYINDEX, LOADED_KEY);
    coro_setfield(vm, pkg, "loaded");
    coro_getsubtable(vm, CORO_REGISTRYINDEX, PRELOAD_KEY);
    coro_setfield(vm, pkg, "preload");

    coro_pushglobaltable(vm);
    coro_pushvalue(vm, pkg);
    coro_pushcclosure(vm, pkg_require, 1);
    coro_setfield(vm, -2, "require");
    coro_pop(vm, 1);
    return 1;
}

void coro_open_package(coro_VM *vm)
{
    coro_requiref(vm, "package", open_package, 1);
    coro_pop(vm, 1);
}
