/*
 * main.c: the `coro` command.
 *
 *   coro [options] [script [args]]
 *
 * Options as Lua's standalone interpreter (-e, -l, -i, -v, -, --) plus
 * -p (check syntax only), --disasm (bytecode listing) and --ast (syntax
 * tree).  An uncaught error prints "coro: message" and a traceback and
 * makes the exit status 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coro.h"
#include "cli.h"

static const char *progname = "coro";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: %s [options] [script [args]]\n"
            "Available options are:\n"
            "  -e stat   execute string 'stat'\n"
            "  -i        enter interactive mode after executing 'script'\n"
            "  -l mod    require library 'mod' into global 'mod'\n"
            "  -l g=mod  require library 'mod' into global 'g'\n"
            "  -v        show version information\n"
            "  -W        turn warnings on (warn)\n"
            "  -p        check the syntax of the scripts only\n"
            "  --disasm  list the bytecode of every function of 'script'\n"
            "  --ast     print the syntax tree of 'script'\n"
            "  -h        show this help\n"
            "  --        stop handling options\n"
            "  -         stop handling options and execute stdin\n",
            progname);
}

static void print_version(void)
{
    printf("%s (Lua 5.4 compatible) with coroutines built in\n", CORO_VERSION);
    fflush(stdout);
}

/* Prints the message on top of the stack (after an error). */
static int report(coro_VM *vm, int status)
{
    if (status != CORO_OK) {
        const char *msg = coro_tostring(vm, -1);
        fprintf(stderr, "%s: %s\n", progname, msg ? msg : "(error object is not a string)");
        fflush(stderr);
        coro_pop(vm, 1);
    }
    return status;
}

/* Runs the function below nargs arguments on top; an error leaves its
 * message with a traceback on top. */
static int docall(coro_VM *vm, int nargs, int nresults)
{
    return coro_pcall_traceback(vm, nargs, nresults);
}

static int dochunk(coro_VM *vm, int status)
{
    if (status == CORO_OK)
        status = docall(vm, 0, 0);
    return report(vm, status);
}

static int dostring(coro_VM *vm, const char *s, const char *name)
{
    return dochunk(vm, coro_load(vm, s, strlen(s), name, "t"));
}

/* -l name or -l g=mod */
static int dolibrary(coro_VM *vm, char *spec)
{
    char *eq = strchr(spec, '=');
    const char *global = spec, *mod = spec;
    if (eq) {
        *eq = '\0';
        mod = eq + 1;
    }
    coro_getglobal(vm, "require");
    coro_pushstring(vm, mod);
    int status = docall(vm, 1, 1);
    if (status == CORO_OK)
        coro_setglobal(vm, global);
    return report(vm, status);
}

/* The global `arg`: script at 0, its arguments at 1.., the interpreter
 * and options at negative indices. */
static void create_arg_table(coro_VM *vm, char **argv, int argc, int script)
{
    int narg = argc - (script + 1);
    coro_createtable(vm, narg, script + 1);
    for (int i = 0; i < argc; i++) {
        coro_pushstring(vm, argv[i]);
        coro_rawseti(vm, -2, i - script);
    }
    coro_setglobal(vm, "arg");
}

static int push_script_args(coro_VM *vm)
{
    coro_getglobal(vm, "arg");
    int n = (int)coro_rawlen(vm, -1);
    coro_checkstack(vm, n + 3);
    for (int i = 1; i <= n; i++)
        coro_rawgeti(vm, -i, i);
    coro_remove(vm, -n - 1);
    return n;
}

static int handle_script(coro_VM *vm, const char *fname)
{
    if (strcmp(fname, "-") == 0)
        fname = NULL;   /* standard input */
    int status = coro_loadfile(vm, fname);
    if (status == CORO_OK) {
        int n = push_script_args(vm);
        status = docall(vm, n, 0);
    }
    return report(vm, status);
}

enum Mode { MODE_RUN, MODE_CHECK, MODE_DISASM, MODE_AST };

int main(int argc, char **argv)
{
    if (argv[0] && argv[0][0])
        progname = "coro";
    bool interactive = false, version = false, has_e = false, warnings = false;
    enum Mode mode = MODE_RUN;
    int script = 0;
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            script = i;
            break;
        }
        if (strcmp(a, "--") == 0) {
            if (i + 1 < argc)
                script = i + 1;
            break;
        }
        if (strcmp(a, "-i") == 0) {
            interactive = true;
            version = true;
        } else if (strcmp(a, "-v") == 0) {
            version = true;
        } else if (strcmp(a, "-e") == 0 || strcmp(a, "-l") == 0) {
            if (a[0] == '-' && a[1] == 'e')
                has_e = true;
            if (i + 1 >= argc) {
                fprintf(stderr, "%s: '%s' needs argument\n", progname, a);
                usage(stderr);
                return 1;
            }
            i++;
        } else if (strncmp(a, "-e", 2) == 0 || strncmp(a, "-l", 2) == 0) {
            if (a[1] == 'e')
                has_e = true;
        } else if (strcmp(a, "-p") == 0) {
            mode = MODE_CHECK;
        } else if (strcmp(a, "--disasm") == 0) {
            mode = MODE_DISASM;
        } else if (strcmp(a, "--ast") == 0) {
            mode = MODE_AST;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-W") == 0) {
            warnings = true;
        } else if (strcmp(a, "-E") == 0) {
            /* Lua's -E (ignore LUA_INIT): Coro reads no such variable. */
        } else {
            fprintf(stderr, "%s: unrecognized option '%s'\n", progname, a);
            usage(stderr);
            return 1;
        }
    }

    if (mode != MODE_RUN) {
        if (!script) {
            usage(stderr);
            return 1;
        }
        int rc = 0;
        for (int s = script; s < argc; s++) {
            if (mode == MODE_CHECK)
                rc |= coro_cli_check(argv[s], CLI_CHECK_ONLY);
            else if (mode == MODE_AST)
                rc |= coro_cli_check(argv[s], CLI_PRINT_AST);
            else
                rc |= coro_cli_disasm(argv[s]);
            if (mode != MODE_CHECK)
                break;
        }
        return rc;
    }

    coro_VM *vm = coro_new(NULL);
    if (!vm) {
        fprintf(stderr, "%s: cannot create state: not enough memory\n", progname);
        return 1;
    }
    if (coro_open_libs(vm) != CORO_OK) {
        fprintf(stderr, "%s: %s\n", progname, coro_tostring(vm, -1));
        coro_free(vm);
        return 1;
    }
    create_arg_table(vm, argv, argc, script);
    if (warnings) {
        coro_getglobal(vm, "warn");
        coro_pushstring(vm, "@on");
        coro_pcall(vm, 1, 0, 0);
    }
    if (version)
        print_version();

    int status = CORO_OK;
    /* -e and -l in order. */
    for (i = 1; i < (script ? script : argc) && status == CORO_OK; i++) {
        char *a = argv[i];
        if (a[0] != '-')
            continue;
        if (a[1] == 'e' || a[1] == 'l') {
            char *extra = a[2] ? a + 2 : argv[++i];
            if (a[1] == 'e')
                status = dostring(vm, extra, "=(command line)");
            else
                status = dolibrary(vm, extra);
        }
    }
    if (status == CORO_OK && script)
        status = handle_script(vm, argv[script]);
    /* With -i the tasks the script started go on running under the REPL. */
    if (status == CORO_OK && !interactive)
        status = coro_cli_finish_tasks(vm);
    if (status == CORO_OK) {
        if (interactive) {
            coro_cli_repl(vm);
        } else if (!script && !has_e && !version) {
            if (isatty(STDIN_FILENO))
                print_version();
            coro_cli_repl(vm);
        }
    }
    int failed_tasks = coro_cli_failed_tasks(vm);
    coro_free(vm);
    return status == CORO_OK && !failed_tasks ? 0 : 1;
}
