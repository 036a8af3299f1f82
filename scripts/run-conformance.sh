#!/bin/sh
# run-conformance.sh: differential test of Coro against the reference Lua.
#
#   sh scripts/run-conformance.sh CORO_BINARY [NAME...]
#
# Runs every tests/conformance/*.lua (or only the NAMEs given, with or
# without the .lua suffix) under lua5.4 and under CORO_BINARY, from the
# current directory (the repository root), with stdin from /dev/null and a
# per-test timeout.  A test passes when stdout is byte-for-byte identical
# and the exit status is the same; when the reference exits non-zero (a
# test that ends with an uncaught error) the first line of stderr must
# match too, after the reference's "lua5.4: " prefix is replaced by
# "coro: ".  Prints "ok NAME" or "FAIL NAME" with a diff, then
# "conformance: N passed, M failed"; exits 1 if anything failed.
#
# Environment: LUA (reference interpreter, default lua5.4),
# CONFORMANCE_TIMEOUT (seconds per run, default 20).

LUA=${LUA:-lua5.4}
TIMEOUT=${CONFORMANCE_TIMEOUT:-20}
DIR=tests/conformance

if [ $# -lt 1 ]; then
    echo "usage: sh scripts/run-conformance.sh CORO_BINARY [NAME...]" >&2
    exit 2
fi
CORO=$1
shift

# The Makefile passes a bare "coro": run the file in this directory, not
# whatever "coro" the PATH holds.
case $CORO in
*/*) ;;
*) [ -f "$CORO" ] && CORO=./$CORO ;;
esac

if ! command -v "$LUA" >/dev/null 2>&1; then
    echo "conformance: SKIPPED ($LUA not installed)"
    exit 1
fi
if ! command -v "$CORO" >/dev/null 2>&1; then
    echo "conformance: no such binary: $CORO" >&2
    exit 1
fi
if [ ! -d "$DIR" ]; then
    echo "conformance: no $DIR here; run from the repository root" >&2
    exit 1
fi

if command -v timeout >/dev/null 2>&1; then
    TIMEOUT_CMD="timeout $TIMEOUT"
else
    TIMEOUT_CMD=
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/conformance.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'rm -rf "$TMP"; exit 130' INT TERM

# Both interpreters see the same, fixed environment.
TZ=UTC
LC_ALL=C
export TZ LC_ALL

if [ $# -gt 0 ]; then
    TESTS=
    for t in "$@"; do
        t=${t##*/}
        t=${t%.lua}
        TESTS="$TESTS $DIR/$t.lua"
    done
else
    TESTS=$(ls "$DIR"/*.lua 2>/dev/null)
fi

pass=0
fail=0
failed=

# run INTERP FILE PREFIX: stdout to PREFIX.out, stderr to PREFIX.err,
# the exit status to PREFIX.rc.
run() {
    $TIMEOUT_CMD "$1" "$2" </dev/null >"$3.out" 2>"$3.err"
    echo $? >"$3.rc"
}

for file in $TESTS; do
    name=${file##*/}
    name=${name%.lua}
    if [ ! -f "$file" ]; then
        echo "FAIL $name (no such test: $file)"
        fail=$((fail + 1))
        failed="$failed $name"
        continue
    fi
    run "$LUA" "$file" "$TMP/lua5.4"
    run "$CORO" "$file" "$TMP/coro"
    erc=$(cat "$TMP/lua5.4.rc")
    grc=$(cat "$TMP/coro.rc")
    why=
    if ! cmp -s "$TMP/lua5.4.out" "$TMP/coro.out"; then
        why="stdout differs"
    fi
    if [ "$erc" != "$grc" ]; then
        case $grc in
        124) why="${why:+$why; }timed out after ${TIMEOUT}s" ;;
        *) why="${why:+$why; }exit status $grc, expected $erc" ;;
        esac
    elif [ "$erc" != 0 ]; then
        sed -e '1!d' -e 's/^lua5\.4: /coro: /' "$TMP/lua5.4.err" >"$TMP/lua5.4.err1"
        sed -n '1p' "$TMP/coro.err" >"$TMP/coro.err1"
        if ! cmp -s "$TMP/lua5.4.err1" "$TMP/coro.err1"; then
            why="${why:+$why; }first line of stderr differs"
        fi
    fi
    if [ -z "$why" ]; then
        echo "ok $name"
        pass=$((pass + 1))
    else
        echo "FAIL $name ($why)"
        fail=$((fail + 1))
        failed="$failed $name"
        if ! cmp -s "$TMP/lua5.4.out" "$TMP/coro.out"; then
            (cd "$TMP" && diff -u lua5.4.out coro.out) |
                sed -e '1,2s/\t.*//' -e 's/^/    /' | head -n 40
        fi
        if [ "$erc" != 0 ] || [ "$grc" != 0 ]; then
            echo "    stderr, lua5.4: $(sed -n 1p "$TMP/lua5.4.err")"
            echo "    stderr, coro:   $(sed -n 1p "$TMP/coro.err")"
        fi
    fi
done

echo "conformance: $pass passed, $fail failed"
if [ "$fail" -gt 0 ]; then
    echo "failed:$failed"
    exit 1
fi
if [ "$pass" -eq 0 ]; then
    echo "conformance: no tests ran" >&2
    exit 1
fi
exit 0
