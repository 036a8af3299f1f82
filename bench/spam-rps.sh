#!/usr/bin/env bash
# bench/spam-rps.sh: requests per second of the SPAM server, Coro's
# (examples/spam_server.coro) against Python asyncio's
# (bench/spam_server_asyncio.py), measured by the same load client
# (bench/spam_load.c: C, epoll, one thread, every reply checked).
#
#   bench/spam-rps.sh [-t SECONDS] [-r RUNS] [-n N] [CONNECTIONS...]
#
#   -t SECONDS   measuring time per run, after 1 s of warm-up (default 5)
#   -r RUNS      runs per server and connection count, the two servers
#                taking turns; the median is shown, then every run (default 3)
#   -n N         each request is "SPAM N" (default 3: a 74-byte reply)
#   CONNECTIONS  concurrent connections to measure (default: 100 1000)
#
# Each run starts a fresh server.  Run from the repository root after
# `make`.  Environment: CORO (default ./coro), PYTHON (python3), CC (cc).

if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
export LC_ALL=C

SECONDS_PER_RUN=5
RUNS=3
N=3
while getopts "t:r:n:h" opt; do
    case $opt in
    t) SECONDS_PER_RUN=$OPTARG ;;
    r) RUNS=$OPTARG ;;
    n) N=$OPTARG ;;
    h) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: bench/spam-rps.sh [-t SECONDS] [-r RUNS] [-n N] [CONNECTIONS...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
CONNS=("$@")
[ ${#CONNS[@]} -gt 0 ] || CONNS=(100 1000)

CORO=${CORO:-./coro}
PYTHON=${PYTHON:-python3}
CC=${CC:-cc}
[ -x "$CORO" ] || { echo "spam-rps: no $CORO (run make first)" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
LOAD=$TMP/spam_load
"$CC" -std=c11 -O2 -o "$LOAD" bench/spam_load.c || exit 1

# run_once SERVER_CMD... : starts the server, runs the client against it
# for one connection count ($C), prints the rps (or "error").
run_once() {
    coproc SERVER { exec "$@" 0 2>"$TMP/server.err"; }
    local pid=$SERVER_PID first port rps
    if ! read -r -t 10 first <&"${SERVER[0]}"; then
        echo "error"; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; return
    fi
    port=${first##*:}
    rps=$("$LOAD" "$port" "$C" "$SECONDS_PER_RUN" "$N" 2>"$TMP/load.err" | sed -n 's/.*rps=//p')
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if [ -z "$rps" ]; then
        echo "error" ; sed 's/^/    /' "$TMP/load.err" "$TMP/server.err" >&2
    else
        echo "$rps"
    fi
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "error") }'; }

echo "SPAM server, \"SPAM $N\" requests, ${SECONDS_PER_RUN} s per run, median of $RUNS runs"
echo "coro: $CORO ($("$CORO" -v 2>&1 | head -n 1)); asyncio: $("$PYTHON" --version 2>&1)"
printf '%-12s %14s %14s %10s\n' connections "coro rps" "asyncio rps" ratio
for C in "${CONNS[@]}"; do
    # The servers take turns, so a machine whose load drifts during the
    # measurement favours neither.
    coro_runs=() py_runs=()
    for ((i = 1; i <= RUNS; i++)); do
        coro_runs+=("$(run_once "$CORO" examples/spam_server.coro)")
        py_runs+=("$(run_once "$PYTHON" bench/spam_server_asyncio.py)")
    done
    coro_rps=$(median "${coro_runs[@]}")
    py_rps=$(median "${py_runs[@]}")
    case " ${coro_runs[*]} " in *" error "*) coro_rps=error ;; esac
    case " ${py_runs[*]} " in *" error "*) py_rps=error ;; esac
    ratio=$(awk -v a="$coro_rps" -v b="$py_rps" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }')
    printf '%-12s %14s %14s %10s    (coro: %s; asyncio: %s)\n' "$C" "$coro_rps" "$py_rps" "$ratio" \
        "${coro_runs[*]}" "${py_runs[*]}"
done
echo "(ratio: coro rps / asyncio rps; higher is better for coro)"
