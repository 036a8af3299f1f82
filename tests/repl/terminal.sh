#!/bin/sh
# terminal.sh BINARY: drives the REPL in a real terminal (a tmux pane) and
# checks what the screen shows: line editing, history recall and its
# file, Ctrl-C (a running loop, then the line being typed), the output of
# a task printing on a timer while a line is typed, Ctrl-D; and the
# walkthrough of docs/repl.md typed as written.
#
# tmux is required (CI installs it): without it this test fails.
set -u

bin=$1
if ! command -v tmux >/dev/null 2>&1; then
    echo "   terminal test: tmux is not installed (apt-get install tmux)"
    exit 1
fi
tmp=$(mktemp -d)
sock=coro-repl-test-$$
pane=repl
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home"

failures=0
fail() {
    echo "   terminal test: $1"
    echo "   --- screen:"
    screen | sed 's/^/   | /'
    failures=$((failures + 1))
}

screen() {
    tmux -L "$sock" capture-pane -p -t "$pane"
}

# wait_for TEXT: until the screen shows TEXT (a fixed string), 10 s at most.
wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# count TEXT: how many lines of the screen contain it.
count() {
    screen | grep -cF -- "$1"
}

# wait_count TEXT N: until N lines of the screen contain TEXT.
wait_count() {
    i=0
    while [ $i -lt 100 ]; do
        [ "$(count "$1")" -ge "$2" ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

keys() {
    tmux -L "$sock" send-keys -t "$pane" "$@"
}

# type TEXT: literally (send-keys would read "end" as the End key).
type_text() {
    tmux -L "$sock" send-keys -t "$pane" -l -- "$1"
}

line() {
    type_text "$1"
    keys Enter
}

tmux -L "$sock" new-session -d -s "$pane" -x 120 -y 50 \
    "env HOME='$tmp/home' TERM=xterm '$bin'; echo \"exited with status \$?\"; sleep 60"
wait_for "Type :help" || fail "no banner"
wait_for ">" || fail "no prompt"

# Line editing: type, move left, insert in the middle.
line 'x = 41'
type_text 'x1'
keys Left
type_text ' + '
keys Enter
wait_for "> x + 1" || fail "the edited line does not read 'x + 1'"
wait_for "42" || fail "x + 1 did not give 42"

# History: Up recalls the line, which runs again.
keys Up
sleep 0.3
[ "$(screen | grep -c '^> x + 1$')" -ge 2 ] || fail "Up did not recall 'x + 1'"
keys Enter
wait_count 42 2 || fail "the recalled line did not run"

# Ctrl-C stops a running loop and the session goes on.
line 'while true do end'
sleep 0.5
keys C-c
wait_count "interrupted" 1 || fail "Ctrl-C did not interrupt 'while true do end'"
line 'x * 2'
wait_for "82" || fail "no working prompt after the interrupt"

# Ctrl-C at the prompt drops what was typed.
type_text 'this is dropped'
keys C-c
sleep 0.3
line '"after" .. " ctrl-c"'
wait_for "after ctrl-c" || fail "the line after Ctrl-C at the prompt did not run alone"

# A task printing on a timer while a line is typed in three pieces: its
# output shows above the line, the line stays whole, and it runs.
line 'n = 0'
line 'ticker = sched.spawn(function() while n < 8 do await sched.sleep(0.2) n = n + 1 print("tick " .. n) end end)'
wait_for "tick 1" || fail "the ticker did not start"
type_text 'print("typed'
sleep 0.5
type_text ' while'
sleep 0.5
type_text ' ticking")'
wait_for "tick 8" || fail "the ticker did not print while a line was typed"
screen | grep -q '^> print("typed while ticking")$' || fail "the typed line is not whole on the screen"
keys Enter
wait_for "typed while ticking" || fail "the line typed while ticking did not run"
[ "$(screen | grep -c '^typed while ticking$')" -eq 1 ] || fail "the output of the typed line is wrong"

# Top-level await, and Ctrl-C cancelling it.
line 'await sched.sleep(0.1)'
line 'await sched.sleep(30)'
sleep 0.4
keys C-c
wait_count "interrupted" 2 || fail "Ctrl-C did not stop the await"
line '"back " .. n'
wait_for "back 8" || fail "no working prompt after the await was interrupted"

# Ctrl-D leaves; the history is in ~/.coro_history.
keys C-d
wait_for "exited with status 0" || fail "Ctrl-D did not leave the REPL with status 0"
grep -q 'x\\040+\\0401' "$tmp/home/.coro_history" 2>/dev/null ||
    grep -q 'x + 1' "$tmp/home/.coro_history" 2>/dev/null ||
    fail "the history file has no 'x + 1'"

# The walkthrough of docs/repl.md, typed in a fresh session: the screen
# must read as the transcript (tabs show as spaces; addresses differ).
docs=$(cd "$(dirname "$0")/../.." && pwd)/docs/repl.md
awk '/^<!-- session -->$/ { a = 1; next }
     a && /^```/ { a = 0; i = 1; next }
     i && /^```/ { i = 0; next }
     i { print }' "$docs" | sed 's/0x[0-9a-f][0-9a-f]*/0xADDR/g' | expand > "$tmp/transcript"
pane=walkthrough
tmux -L "$sock" new-session -d -s "$pane" -x 150 -y 50 "env HOME='$tmp/home' TERM=xterm '$bin'; sleep 60"
wait_for "Type :help" || fail "no banner for the walkthrough"
grep -E '^>>?( |$)' "$tmp/transcript" | sed -E 's/^>>? ?//' | while IFS= read -r typed; do
    type_text "$typed"
    keys Enter
    sleep 0.1
done
last=$(grep -v '^>' "$tmp/transcript" | tail -n 1)
wait_for "$last" || fail "the walkthrough did not finish"
sleep 0.3
tmux -L "$sock" capture-pane -p -S - -t "$pane" | sed '1,2d' | sed '/^$/d' | sed '$d' |
    sed 's/0x[0-9a-f][0-9a-f]*/0xADDR/g' > "$tmp/screen"
if ! cmp -s "$tmp/transcript" "$tmp/screen"; then
    diff -u "$tmp/transcript" "$tmp/screen" | sed 's/^/   /'
    fail "the walkthrough of docs/repl.md does not show as written"
fi

[ $failures -eq 0 ]
