#!/bin/sh
# Runs the embedding examples (examples/embed/NAME.c, built by make into
# DIR/NAME) and checks each one:
#   - its standard output equals examples/embed/NAME.out;
#   - its exit status is 0 (or the number in examples/embed/NAME.status);
#   - when valgrind is installed, the same run under
#     `valgrind --leak-check=full` reports no error and no leak of any
#     kind (definite, indirect, possible or still reachable).
# Standard error is not compared (the sandbox notes libraries missing from
# the build there), but it is shown when a check fails.
#
# The examples run from the root of the repository, which is how they
# find the files they read (examples/embed/host_script.coro).
#
# usage: run-embed-tests.sh DIR [NAME...]
# CORO_VALGRIND=no skips the valgrind runs; they are skipped by
# themselves for binaries built with a sanitizer, which valgrind cannot run.
set -u
dir=${1:?usage: run-embed-tests.sh DIR [NAME...]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
src=$root/examples/embed
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac
limit=${CORO_TEST_TIMEOUT:-120}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

use_valgrind=no
if [ "${CORO_VALGRIND:-yes}" != no ] && command -v valgrind >/dev/null 2>&1; then
    use_valgrind=yes
fi

pass=0
fail=0
failed=""
sanitized=0

# The names to run: those given, or one per example source.
if [ $# -eq 0 ]; then
    set -- $(cd "$src" && ls *.c | sed 's/\.c$//' | sort)
fi

report_failure() {
    name=$1
    problem=$2
    fail=$((fail + 1))
    failed="$failed $name"
    echo "FAIL $name ($problem)"
    if [ -f "$tmp/want" ] && [ -f "$tmp/out" ]; then
        diff -u "$tmp/want" "$tmp/out" | sed -n '3,40p' | sed 's/^/    /'
    fi
    [ -s "$tmp/err" ] && sed -n '1,40p' "$tmp/err" | sed 's/^/    stderr: /'
    return 0
}

for name in "$@"; do
    bin=$dir/$name
    rm -f "$tmp/want" "$tmp/out" "$tmp/err"
    if [ ! -x "$bin" ]; then
        report_failure "$name" "not built: $bin"
        continue
    fi
    want_status=0
    [ -f "$src/$name.status" ] && want_status=$(cat "$src/$name.status")
    if [ -f "$src/$name.out" ]; then cp "$src/$name.out" "$tmp/want"; else : >"$tmp/want"; fi

    (cd "$root" && timeout "$limit" "$bin" </dev/null >"$tmp/out" 2>"$tmp/err")
    status=$?
    problem=""
    [ "$status" = "$want_status" ] || problem="exit status $status, expected $want_status"
    cmp -s "$tmp/want" "$tmp/out" || problem="$problem${problem:+; }stdout differs"
    if [ -n "$problem" ]; then
        report_failure "$name" "$problem"
        continue
    fi

    if [ $use_valgrind = yes ] && grep -q -a -e AddressSanitizer -e ThreadSanitizer "$bin"; then
        sanitized=$((sanitized + 1))
    elif [ $use_valgrind = yes ]; then
        # 99 is what valgrind exits with when it found something; the
        # example's own status must still be the expected one otherwise.
        (cd "$root" && timeout "$limit" valgrind -q --leak-check=full --show-leak-kinds=all \
            --errors-for-leak-kinds=all --error-exitcode=99 "$bin" </dev/null >"$tmp/out" 2>"$tmp/err")
        status=$?
        if [ "$status" = 99 ]; then
            report_failure "$name" "valgrind found errors or leaks"
            continue
        fi
        if [ "$status" != "$want_status" ] || ! cmp -s "$tmp/want" "$tmp/out"; then
            report_failure "$name" "under valgrind: exit status $status or stdout differs"
            continue
        fi
    fi
    pass=$((pass + 1))
    [ -n "${VERBOSE:-}" ] && echo "ok $name"
done

note=""
[ $use_valgrind = yes ] || note=" (without valgrind)"
[ $sanitized -gt 0 ] && note=" (sanitizer build: $sanitized without valgrind)"
echo "embed tests$note: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "failed:$failed"; exit 1; }
