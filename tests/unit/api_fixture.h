/*
 * api_fixture.h: the VM and helpers the public-API test files share.
 * Each test file gets its own copy (everything is static), so the suites
 * stay independent.  Include after <criterion/criterion.h> and "coro.h".
 */
#ifndef CORO_API_FIXTURE_H
#define CORO_API_FIXTURE_H

static coro_VM *vm;

/* A VM with no library open. */
static inline void setup_bare(void)
{
    vm = coro_new(NULL);
    cr_assert_not_null(vm);
}

static inline void setup(void)
{
    setup_bare();
    cr_assert_eq(coro_open_libs(vm), CORO_OK);
}

static inline void teardown(void)
{
    coro_free(vm);
    vm = NULL;
}

/* Runs fn(vm) protected with the values on top of the stack as its
 * arguments; returns the status, leaving the results or the error.
 * (An error with no protected call would abort the process.) */
static inline int protect(coro_CFunction fn, int nargs)
{
    coro_pushcfunction(vm, fn);
    coro_insert(vm, -(nargs + 1));
    return coro_pcall(vm, nargs, CORO_MULTRET, 0);
}

/* Runs a chunk that must succeed; its results stay on the stack. */
static inline void run(const char *code)
{
    int status = coro_loadstring(vm, code);
    if (status == CORO_OK)
        status = coro_pcall(vm, 0, CORO_MULTRET, 0);
    cr_assert_eq(status, CORO_OK, "chunk failed: %s", coro_tostring(vm, -1));
}

/* The error message on top, or "" if it is not a string. */
static inline const char *errmsg(void)
{
    const char *s = coro_tostring(vm, -1);
    return s ? s : "";
}

#endif
