#!/bin/sh
# run-syntax-tests.sh BINARY: checks the front end on tests/syntax.
#
#   valid/*.lua, valid/*.coro    `BINARY -p` must accept them.
#   invalid/*.lua, invalid/*.coro
#                                `BINARY -p` must print exactly
#                                "coro: MESSAGE", where MESSAGE is the text
#                                after "-- error: " on the file's first
#                                line, or the first line of a sibling .err
#                                file (for files whose first line matters).
#
# Files are checked from inside their directory, so the chunk name in a
# message is the bare file name.  For .lua files Debian's Lua 5.4 is the
# oracle: valid ones must load under it, and invalid ones must give it the
# very same message (skipped, with a note, when lua5.4 is not installed).
set -u

if [ $# -ne 1 ]; then
    echo "usage: $0 BINARY" >&2
    exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)/tests/syntax

if command -v luac5.4 >/dev/null 2>&1; then
    lua_check() { luac5.4 -p "$1" 2>&1 | sed 's/^luac5\.4: //'; }
elif command -v lua5.4 >/dev/null 2>&1; then
    lua_check() {
        lua5.4 -e "local f, e = loadfile('$1') if not f then print(e) end"
    }
else
    lua_check() { echo "SKIP"; }
    echo "note: lua5.4 not found; .lua files are not cross-checked" >&2
fi

pass=0
fail=0
failed() {
    fail=$((fail + 1))
    echo "FAIL $1"
    shift
    for line in "$@"; do
        echo "     $line"
    done
}

expected_message() {
    if [ -f "${1%.*}.err" ]; then
        head -n 1 "${1%.*}.err"
    else
        head -n 1 "$1" | sed -n 's/^-- error: //p'
    fi
}

check_valid() {
    dir=$1 file=$2
    out=$(cd "$dir" && "$bin" -p "$file" 2>&1)
    if [ -n "$out" ]; then
        failed "valid/$file" "$out"
        return
    fi
    case $file in
    *.lua)
        lua=$(cd "$dir" && lua_check "$file")
        if [ -n "$lua" ] && [ "$lua" != SKIP ]; then
            failed "valid/$file" "lua5.4 rejects it: $lua"
            return
        fi
    esac
    pass=$((pass + 1))
}

check_invalid() {
    dir=$1 file=$2
    want=$(expected_message "$dir/$file")
    if [ -z "$want" ]; then
        failed "invalid/$file" "no '-- error: ' line and no .err file"
        return
    fi
    got=$(cd "$dir" && "$bin" -p "$file" 2>&1)
    if [ "$got" != "coro: $want" ]; then
        failed "invalid/$file" "expected: coro: $want" "got:      $got"
        return
    fi
    case $file in
    *.lua)
        lua=$(cd "$dir" && lua_check "$file")
        if [ "$lua" != SKIP ] && [ "$lua" != "$want" ]; then
            failed "invalid/$file" "lua5.4 says: $lua" "expected:    $want"
            return
        fi
    esac
    pass=$((pass + 1))
}

for f in "$root"/valid/*.lua "$root"/valid/*.coro; do
    [ -f "$f" ] && check_valid "$root/valid" "$(basename "$f")"
done
for f in "$root"/invalid/*.lua "$root"/invalid/*.coro; do
    [ -f "$f" ] && check_invalid "$root/invalid" "$(basename "$f")"
done

echo "syntax tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
