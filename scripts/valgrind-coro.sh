#!/bin/sh
# The coro command under valgrind, for the script-test runner: any memory
# error or leak (definite, indirect or possible) makes the exit status 99
# and the report lands in stderr, so the test fails and shows it.
#
#   CORO_BIN=path/to/coro scripts/valgrind-coro.sh ARGS...
exec valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
    "${CORO_BIN:?}" "$@"
