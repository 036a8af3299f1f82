#!/bin/sh
# The `coro` command's options (SPEC section 5): each check runs the
# binary and compares its output and exit status.
#
# usage: run-cli-tests.sh CORO_BINARY
set -u
coro=$1
case $coro in /*) ;; *) coro=$(pwd)/$coro ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# check NAME EXPECTED_STATUS EXPECTED_STDOUT_FILE EXPECTED_STDERR_FILE -- command...
# (an expected file of "-" means "anything")
check() {
    name=$1 want_status=$2 want_out=$3 want_err=$4
    shift 5
    "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    status=$?
    problem=""
    [ "$status" = "$want_status" ] || problem="exit status $status, expected $want_status"
    if [ "$want_out" != "-" ] && ! cmp -s "$want_out" "$tmp/out"; then
        problem="$problem${problem:+; }stdout differs"
        diff -u "$want_out" "$tmp/out" | sed -n '3,12p' | sed 's/^/    /'
    fi
    if [ "$want_err" != "-" ] && ! cmp -s "$want_err" "$tmp/err"; then
        problem="$problem${problem:+; }stderr differs"
        diff -u "$want_err" "$tmp/err" | sed -n '3,12p' | sed 's/^/    /'
    fi
    if [ -z "$problem" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name ($problem)"
    fi
}

expect() { printf '%s' "$1" >"$tmp/$2"; }
empty="$tmp/empty"
: >"$empty"

cd "$tmp"

# -e, and code from several -e in order
expect 'hello
3
' e.out
check "-e" 0 e.out "$empty" -- "$coro" -e 'print("hello")' -e 'print(1 + 2)'

# a script with arguments: the arg table as Lua builds it
cat >args.coro <<'EOF'
print(#arg, arg[0], arg[1], arg[2], arg[-1] ~= nil, ...)
EOF
expect '2	args.coro	x	y	true	x	y
' args.out
check "script args" 0 args.out "$empty" -- "$coro" args.coro x y

# the script from standard input with -
printf 'print("from stdin", ...)\n' >stdin.coro
"$coro" - a b <stdin.coro >stdin.actual 2>&1
expect 'from stdin	a	b
' stdin.out
if cmp -s stdin.out stdin.actual; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL coro - (script from stdin)"; fi

# -v and -h
check "-v" 0 - "$empty" -- "$coro" -v
grep -q "Coro" "$tmp/out" || { fail=$((fail + 1)); echo "FAIL -v prints the version"; }
check "-h" 0 - "$empty" -- "$coro" -h
grep -q "usage:" "$tmp/out" || { fail=$((fail + 1)); echo "FAIL -h prints usage"; }
check "unknown option" 1 - - -- "$coro" --nonsense

# an uncaught error: message with the coro: prefix, traceback, status 1
cat >boom.coro <<'EOF'
local function f() error("boom") end
f()
EOF
expect 'coro: boom.coro:1: boom
stack traceback:
	[C]: in function '"'"'error'"'"'
	boom.coro:1: in local '"'"'f'"'"'
	boom.coro:2: in main chunk
	[C]: in ?
' boom.err
check "uncaught error" 1 "$empty" boom.err -- "$coro" boom.coro

# a syntax error
printf 'x = = 1\n' >syntax.coro
expect "coro: syntax.coro:1: unexpected symbol near '='
" syntax.err
check "syntax error" 1 "$empty" syntax.err -- "$coro" syntax.coro

# -p checks syntax only (nothing runs)
printf 'print("ran")\n' >ok.coro
check "-p valid" 0 "$empty" "$empty" -- "$coro" -p ok.coro
check "-p invalid" 1 "$empty" syntax.err -- "$coro" -p syntax.coro

# a missing file
expect 'coro: cannot open missing.coro: No such file or directory
' missing.err
check "missing file" 1 "$empty" missing.err -- "$coro" missing.coro

# --disasm lists every function; coroutine operations are opcodes
cat >gen.coro <<'EOF'
async function gen(co)
  yield 1
  local v = yield from co
  return await v
end
EOF
check "--disasm" 0 - "$empty" -- "$coro" --disasm gen.coro
for op in ASYNC YIELD YIELDFROM AWAIT CLOSURE RETURN; do
    grep -q "	$op " "$tmp/out" || { fail=$((fail + 1)); echo "FAIL --disasm shows $op"; }
done
grep -q "^async function <gen.coro:1,5>" "$tmp/out" || { fail=$((fail + 1)); echo "FAIL --disasm lists the nested function"; }

# --ast prints the tree
check "--ast" 0 - "$empty" -- "$coro" --ast gen.coro
grep -q "yield from" "$tmp/out" || { fail=$((fail + 1)); echo "FAIL --ast shows yield from"; }

# -l requires a module into a global
mkdir -p lib
printf 'return {answer = 42}\n' >mymod.coro
expect '42
' l.out
check "-l" 0 l.out "$empty" -- "$coro" -l mymod -e 'print(mymod.answer)'
check "-l g=mod" 0 l.out "$empty" -- "$coro" -l m=mymod -e 'print(m.answer)'

# os.exit status
check "os.exit(3)" 3 "$empty" "$empty" -- "$coro" -e 'os.exit(3)'

# warn: off by default, on with warn("@on") or -W, one line on stderr
expect 'coro warning: on now 1
' warn.err
check "warn" 0 "$empty" warn.err -- "$coro" -e 'warn("hidden") warn("@on") warn("on ", "now ", 1) warn("@off") warn("hidden")'
expect 'coro warning: shown
' warnW.err
check "-W" 0 "$empty" warnW.err -- "$coro" -W -e 'warn("shown")'

# Script calls never recurse in C: 200,000 nested calls (and a resumed
# coroutine doing the same) run with a 256 KiB C stack, and going deeper
# is a clean "stack overflow", not a crash.
cat >deep.coro <<'EOF'
local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end
print(f(200000))
print(coroutine.wrap(function() return f(200000) end)())
local ok, e = pcall(f, 1e7)
print(ok, e)
EOF
expect '200000
200000
false	deep.coro:1: stack overflow
' deep.out
check "deep recursion, small C stack" 0 deep.out "$empty" -- sh -c 'ulimit -s 256 && exec "$0" deep.coro' "$coro"

echo "cli tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
