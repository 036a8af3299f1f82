#!/bin/sh
# Golden tests: runs every NAME.coro / NAME.lua under DIR with the coro
# binary and compares with the files beside it:
#   NAME.out     expected standard output (none: must be empty)
#   NAME.err     expected standard error (none: must be empty)
#   NAME.status  expected exit status (none: 0)
#   NAME.in      standard input (none: /dev/null)
#   NAME.args    extra command-line arguments, one line
# A test that cannot run on this machine (no IPv6, say) prints a first
# line starting "skip: " with the reason; it is counted as skipped.
# A test with a NAME.nostress file (saying why) is not run under
# CORO_GC_STRESS: a test of limits whose size cannot shrink (a million
# frames) would take hours when every allocation collects.  It is
# counted as skipped too, never as passed.
# Each test runs in its own directory as `coro NAME.coro`, so messages
# name the file without a path.  Addresses (0x...) are replaced by 0xADDR
# in both outputs before comparing.
#
# usage: run-script-tests.sh CORO_BINARY DIR [NAME...]
set -u
coro=$1
dir=$2
shift 2
case $coro in /*) ;; *) coro=$(pwd)/$coro ;; esac
[ -x "$coro" ] || { echo "script tests: no binary $coro" >&2; exit 1; }
limit=${CORO_TEST_TIMEOUT:-60}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
skip=0
failed=""

normalize() {
    sed -e 's/0x[0-9a-fA-F][0-9a-fA-F]*/0xADDR/g' "$1"
}

run_one() {
    script=$1
    d=$(dirname "$script")
    f=$(basename "$script")
    base=${f%.*}
    name=${script#"$dir"/}
    stem=$d/$base
    input=/dev/null
    if [ -f "$stem.in" ]; then
        # by absolute path: the test runs in its own directory
        case $stem in /*) input=$stem.in ;; *) input=$(pwd)/$stem.in ;; esac
    fi
    args=""
    [ -f "$stem.args" ] && args=$(cat "$stem.args")
    if [ -n "${CORO_GC_STRESS:-}" ] && [ -f "$stem.nostress" ]; then
        skip=$((skip + 1))
        echo "SKIP $name (under GC stress: $(head -n 1 "$stem.nostress"))"
        return
    fi
    want_status=0
    [ -f "$stem.status" ] && want_status=$(cat "$stem.status")
    # shellcheck disable=SC2086
    (cd "$d" && timeout "$limit" "$coro" "$f" $args <"$input" >"$tmp/out" 2>"$tmp/err")
    status=$?
    if [ "$(head -c 6 "$tmp/out")" = "skip: " ]; then
        skip=$((skip + 1))
        echo "SKIP $name ($(head -n 1 "$tmp/out" | cut -c 7-))"
        return
    fi
    problem=""
    if [ "$status" != "$want_status" ]; then
        problem="exit status $status, expected $want_status"
    fi
    normalize "$tmp/out" >"$tmp/out.n"
    if [ -f "$stem.out" ]; then normalize "$stem.out" >"$tmp/want.out"; else : >"$tmp/want.out"; fi
    if ! cmp -s "$tmp/want.out" "$tmp/out.n"; then
        problem="$problem${problem:+; }stdout differs"
    fi
    normalize "$tmp/err" >"$tmp/err.n"
    if [ -f "$stem.err" ]; then normalize "$stem.err" >"$tmp/want.err"; else : >"$tmp/want.err"; fi
    if ! cmp -s "$tmp/want.err" "$tmp/err.n"; then
        problem="$problem${problem:+; }stderr differs"
    fi
    if [ -z "$problem" ]; then
        pass=$((pass + 1))
        [ -n "${VERBOSE:-}" ] && echo "ok $name"
    else
        fail=$((fail + 1))
        failed="$failed $name"
        echo "FAIL $name ($problem)"
        diff -u "$tmp/want.out" "$tmp/out.n" | sed -n '3,30p' | sed 's/^/    /'
        diff -u "$tmp/want.err" "$tmp/err.n" | sed -n '3,30p' | sed 's/^/    /'
    fi
}

if [ $# -gt 0 ]; then
    for n in "$@"; do
        for ext in coro lua; do
            [ -f "$dir/$n.$ext" ] && run_one "$dir/$n.$ext"
        done
    done
else
    for script in $(find "$dir" \( -name '*.coro' -o -name '*.lua' \) -type f | sort); do
        case $script in
            */modules/*|*/lib/*) continue ;;   # helpers required by tests
        esac
        run_one "$script"
    done
fi

label=${CORO_GC_STRESS:+ (GC stress)}
skipped=""
[ "$skip" -gt 0 ] && skipped=", $skip skipped"
echo "script tests ($dir)$label: $pass passed, $fail failed$skipped"
[ "$fail" -eq 0 ] || { echo "failed:$failed"; exit 1; }
