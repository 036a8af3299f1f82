#!/bin/sh
# run-repl-tests.sh BINARY: the REPL's tests.
#
#   tests/repl/NAME.in        lines piped into `BINARY`, run in tests/repl
#   tests/repl/NAME.args      its arguments, on one line (none: no arguments)
#   tests/repl/NAME.out       expected standard output and error, merged
#   tests/repl/NAME.contains  instead of .out: lines that must each appear
#   tests/repl/NAME.status    expected exit status (none: 0)
#   docs/repl.md              the transcript made of the ```text blocks
#                             that follow a "<!-- session -->" line, run
#                             as one session: "> " and ">> " lines are the
#                             input, the other lines the expected output
#   tests/repl/terminal.sh    the terminal test (tmux): editing, history,
#                             Ctrl-C, output of tasks while typing
#
# Addresses (0x and lowercase hex digits) read 0xADDR on both sides.  HOME is a temporary
# directory, so no history file of the user is touched.
set -u

if [ $# -ne 1 ]; then
    echo "usage: $0 BINARY" >&2
    exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/tests/repl
[ -x "$bin" ] || { echo "repl tests: no binary $bin" >&2; exit 1; }
limit=${CORO_TEST_TIMEOUT:-60}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
HOME=$tmp/home
export HOME
mkdir -p "$HOME"
pass=0
fail=0
failed=""

normalize() {
    sed -e 's/0x[0-9a-f][0-9a-f]*/0xADDR/g' "$1"
}

# check NAME INPUT EXPECTED MODE: runs the input, compares (MODE is
# "exact" or "contains"), counts.
check() {
    name=$1
    input=$2
    expected=$3
    mode=$4
    want_status=0
    [ -f "$dir/$name.status" ] && want_status=$(cat "$dir/$name.status")
    args=""
    [ -f "$dir/$name.args" ] && args=$(cat "$dir/$name.args")
    # shellcheck disable=SC2086  # the arguments are split on purpose
    (cd "$dir" && timeout "$limit" "$bin" $args < "$input" > "$tmp/got" 2>&1)
    status=$?
    normalize "$tmp/got" > "$tmp/got.n"
    ok=yes
    if [ "$mode" = contains ]; then
        while IFS= read -r want; do
            grep -qF -- "$want" "$tmp/got.n" || { echo "   missing: $want"; ok=no; }
        done < "$expected"
    else
        normalize "$expected" > "$tmp/want.n"
        if ! cmp -s "$tmp/want.n" "$tmp/got.n"; then
            diff -u "$tmp/want.n" "$tmp/got.n" | sed 's/^/   /' | head -40
            ok=no
        fi
    fi
    if [ "$status" != "$want_status" ]; then
        echo "   exit status $status, expected $want_status"
        ok=no
    fi
    if [ $ok = yes ]; then
        pass=$((pass + 1))
    else
        echo "FAIL $name"
        fail=$((fail + 1))
        failed="$failed $name"
    fi
}

for input in "$dir"/*.in; do
    name=$(basename "$input" .in)
    if [ -f "$dir/$name.contains" ]; then
        check "$name" "$input" "$dir/$name.contains" contains
    else
        check "$name" "$input" "$dir/$name.out" exact
    fi
done

# The transcript of docs/repl.md, split into what is typed and what shows.
awk -v in_file="$tmp/doc.in" -v out_file="$tmp/doc.out" '
    /^<!-- session -->$/ { armed = 1; next }
    armed && /^```/ { armed = 0; inside = 1; next }
    inside && /^```/ { inside = 0; next }
    inside && /^>>? / { sub(/^>>? /, ""); print > in_file; next }
    inside && /^>>?$/ { print "" > in_file; next }
    inside { print > out_file }
' "$root/docs/repl.md"
if [ -s "$tmp/doc.in" ]; then
    check docs/repl.md "$tmp/doc.in" "$tmp/doc.out" exact
else
    echo "FAIL docs/repl.md: no session transcript found"
    fail=$((fail + 1))
    failed="$failed docs/repl.md"
fi

if sh "$dir/terminal.sh" "$bin"; then
    pass=$((pass + 1))
else
    echo "FAIL terminal.sh"
    fail=$((fail + 1))
    failed="$failed terminal.sh"
fi

echo "repl tests: $pass passed, $fail failed"
[ $fail -eq 0 ] || { echo "failed:$failed"; exit 1; }
