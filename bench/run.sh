#!/usr/bin/env bash
# bench/run.sh: time every benchmark under coro, lua5.4, luajit -joff and
# python3 and print one comparison table.
#
#   bench/run.sh [-n RUNS] [-q] [NAME...]
#
#   -n RUNS  runs per program and interpreter (default 5); the table shows
#            the median time and the largest peak RSS seen
#   -q       quick smoke test: one run of each
#   NAME     only these programs (e.g. fib co-pingpong sched-sleep)
#
# Run from the repository root (`make bench` does).  For each program NAME:
#   coro     runs bench/NAME.lua, or bench/NAME.coro when there is no .lua
#   lua5.4   runs bench/NAME.lua
#   luajit   runs bench/NAME.lua with -joff (interpreter only)
#   python3  runs bench/NAME.py
# and when both NAME.lua and NAME.coro exist, a second row "NAME.coro"
# shows coro running the Coro-syntax version against the same reference
# timings.  Every program prints a checksum; the first run's output of each
# interpreter is compared with the reference (lua5.4's output, else
# python3's) and a mismatch shows as "wrong".  A program that fails or
# times out shows "error"; an interpreter that is not installed shows
# "n/a"; a missing variant shows "-".  Nothing here aborts the run.
#
# Environment: CORO (default ./coro), LUA (lua5.4), LUAJIT (luajit),
# PYTHON (python3), BENCH_TIMEOUT (seconds per run, default 300),
# BENCH_CLOCK: "cpu" (default: user + system seconds of the process, which
# other load on the machine disturbs far less than the wall clock) or
# "wall".

# `make bench` runs this with sh: hand over to bash, which it needs.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

set -u
export LC_ALL=C

RUNS=5
while getopts "n:qh" opt; do
    case $opt in
    n) RUNS=$OPTARG ;;
    q) RUNS=1 ;;
    h) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: bench/run.sh [-n RUNS] [-q] [NAME...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
case $RUNS in
'' | *[!0-9]* | 0) echo "bench/run.sh: -n wants a positive number" >&2; exit 2 ;;
esac

DIR=bench
if [ ! -d "$DIR" ]; then
    echo "bench/run.sh: run from the repository root" >&2
    exit 2
fi
CORO=${CORO:-./coro}
LUA=${LUA:-lua5.4}
LUAJIT=${LUAJIT:-luajit}
PYTHON=${PYTHON:-python3}
TIMEOUT=${BENCH_TIMEOUT:-300}
CLOCK=${BENCH_CLOCK:-cpu}
case $CLOCK in cpu | wall) ;; *) echo "bench/run.sh: BENCH_CLOCK is cpu or wall" >&2; exit 2 ;; esac

have() { command -v "$1" >/dev/null 2>&1; }
HAVE_CORO=0; { [ -x "$CORO" ] || { case $CORO in */*) false ;; *) have "$CORO" ;; esac; }; } && HAVE_CORO=1
HAVE_LUA=0; have "$LUA" && HAVE_LUA=1
HAVE_JIT=0; have "$LUAJIT" && HAVE_JIT=1
HAVE_PY=0; have "$PYTHON" && HAVE_PY=1
TIME_BIN=
[ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 && TIME_BIN=/usr/bin/time
TIMEOUT_CMD=
have timeout && TIMEOUT_CMD="timeout $TIMEOUT"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'rm -rf "$TMP"; exit 130' INT TERM

# ---- which programs -------------------------------------------------------

# spam_*: the SPAM server benchmark has its own driver (bench/spam-rps.sh).
is_cpu() { case $1 in co-* | sched-* | spam_*) return 1 ;; *) return 0 ;; esac; }

if [ $# -gt 0 ]; then
    NAMES=()
    for n in "$@"; do
        n=${n##*/}
        n=${n%.lua}; n=${n%.coro}; n=${n%.py}
        NAMES+=("$n")
    done
else
    # CPU programs first, then coroutine, then scheduler programs.
    mapfile -t ALL < <(ls "$DIR" | sed -n 's/\.\(lua\|coro\|py\)$//p' | sort -u)
    NAMES=()
    for n in "${ALL[@]}"; do is_cpu "$n" && NAMES+=("$n"); done
    for n in "${ALL[@]}"; do case $n in co-*) NAMES+=("$n") ;; esac; done
    for n in "${ALL[@]}"; do case $n in sched-*) NAMES+=("$n") ;; esac; done
fi

# ---- measuring --------------------------------------------------------------

# measure KEY FILE CMD...: runs CMD FILE $RUNS times.  Sets the cell
# TIME[KEY] to the median seconds (or "error"), RSS[KEY] to the peak RSS
# in KiB (or "-"), and leaves the first run's stdout in $TMP/KEY.out.
declare -A TIME RSS STATUS
measure() {
    local key=$1 file=$2
    shift 2
    local times=() peak=0 i start end rc rss
    for ((i = 1; i <= RUNS; i++)); do
        start=$(date +%s%N)
        if [ -n "$TIME_BIN" ]; then
            $TIMEOUT_CMD "$TIME_BIN" -f "%U %S %M" -o "$TMP/rss" "$@" "$file" \
                </dev/null >"$TMP/run.out" 2>"$TMP/run.err"
        else
            $TIMEOUT_CMD "$@" "$file" </dev/null >"$TMP/run.out" 2>"$TMP/run.err"
        fi
        rc=$?
        end=$(date +%s%N)
        if [ $rc -ne 0 ]; then
            TIME[$key]=error; RSS[$key]=-; STATUS[$key]=error
            cp "$TMP/run.err" "$TMP/$key.err"
            return
        fi
        [ "$i" -eq 1 ] && cp "$TMP/run.out" "$TMP/$key.out"
        if [ "$CLOCK" = cpu ] && [ -n "$TIME_BIN" ]; then
            # user + system seconds, in microseconds like the wall clock
            times+=($(tail -n 1 "$TMP/rss" | awk '{ printf "%d", ($1 + $2) * 1e6 }'))
        else
            times+=($(( (end - start) / 1000 )))
        fi
        if [ -n "$TIME_BIN" ]; then
            rss=$(tail -n 1 "$TMP/rss" | awk '{ print $3 }')
            case $rss in '' | *[!0-9]*) ;; *) [ "$rss" -gt "$peak" ] && peak=$rss ;; esac
        fi
    done
    TIME[$key]=$(printf '%s\n' "${times[@]}" | sort -n |
        awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m / 1e6 }')
    if [ -n "$TIME_BIN" ]; then RSS[$key]=$peak; else RSS[$key]=-; fi
    STATUS[$key]=ok
}

# na KEY TEXT: a cell that was not measured ("n/a" or "-").
na() { TIME[$1]=$2; RSS[$1]=-; STATUS[$1]=$2; }

# check KEY REFKEY: marks KEY "wrong" when its output differs from REFKEY's.
check() {
    local key=$1 ref=$2
    [ "${STATUS[$key]:-}" = ok ] || return
    [ -n "$ref" ] && [ "$ref" != "$key" ] || return
    if ! cmp -s "$TMP/$key.out" "$TMP/$ref.out"; then
        TIME[$key]=wrong; STATUS[$key]=wrong
        cp "$TMP/$key.out" "$TMP/$key.wrong"
    fi
}

progress() { printf '%s\n' "$*" >&2; }

ROWS=()
for name in "${NAMES[@]}"; do
    lua=$DIR/$name.lua; py=$DIR/$name.py; cor=$DIR/$name.coro
    if [ ! -f "$lua" ] && [ ! -f "$py" ] && [ ! -f "$cor" ]; then
        progress "bench: no program named $name"
        continue
    fi
    progress "bench: $name"
    # lua5.4 and luajit
    if [ -f "$lua" ]; then
        if [ $HAVE_LUA = 1 ]; then measure "$name:lua" "$lua" "$LUA"; else na "$name:lua" n/a; fi
        if [ $HAVE_JIT = 1 ]; then measure "$name:jit" "$lua" "$LUAJIT" -joff; else na "$name:jit" n/a; fi
    else
        na "$name:lua" -; na "$name:jit" -
    fi
    # python3
    if [ -f "$py" ]; then
        if [ $HAVE_PY = 1 ]; then measure "$name:py" "$py" "$PYTHON"; else na "$name:py" n/a; fi
    else
        na "$name:py" -
    fi
    # coro: the .lua version, else the .coro version
    cfile=$lua; [ -f "$lua" ] || cfile=$cor
    if [ -f "$cfile" ]; then
        if [ $HAVE_CORO = 1 ]; then measure "$name:coro" "$cfile" "$CORO"; else na "$name:coro" n/a; fi
    else
        na "$name:coro" -
    fi
    ref=
    [ "${STATUS[$name:lua]}" = ok ] && ref=$name:lua
    [ -z "$ref" ] && [ "${STATUS[$name:py]}" = ok ] && ref=$name:py
    for k in jit py coro; do check "$name:$k" "$ref"; done
    ROWS+=("$name|$name")
    # the Coro-syntax variant, against the same reference timings
    if [ -f "$lua" ] && [ -f "$cor" ]; then
        row=$name.coro
        TIME[$row:lua]=${TIME[$name:lua]}; RSS[$row:lua]=${RSS[$name:lua]}; STATUS[$row:lua]=${STATUS[$name:lua]}
        TIME[$row:jit]=${TIME[$name:jit]}; RSS[$row:jit]=${RSS[$name:jit]}; STATUS[$row:jit]=${STATUS[$name:jit]}
        TIME[$row:py]=${TIME[$name:py]}; RSS[$row:py]=${RSS[$name:py]}; STATUS[$row:py]=${STATUS[$name:py]}
        if [ $HAVE_CORO = 1 ]; then measure "$row:coro" "$cor" "$CORO"; else na "$row:coro" n/a; fi
        check "$row:coro" "$ref"
        ROWS+=("$row|$name")
    fi
done

# ---- the table ----------------------------------------------------------------

ratio() {   # ratio A B: A/B when both are numbers
    case "$1/$2" in
    *[!0-9./]* | */ | /*) echo - ;;
    *) awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }' ;;
    esac
}
mem() {     # mem KIB: "12.3M"
    case $1 in
    '' | *[!0-9]*) echo - ;;
    *) awk -v k="$1" 'BEGIN { if (k >= 1048576) printf "%.2fG", k / 1048576; else printf "%.1fM", k / 1024 }' ;;
    esac
}

machine() {
    local model
    model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
    echo "${model:-unknown CPU}, $(nproc 2>/dev/null || echo '?') CPUs"
}
version() { "$@" 2>&1 | head -n 1 | sed "s/ *\(--\|Copyright\).*//"; }

echo
[ -n "$TIME_BIN" ] || CLOCK=wall
echo "Coro benchmarks: median of $RUNS run(s), $CLOCK seconds; peak RSS; $(machine)"
echo "coro:    $([ $HAVE_CORO = 1 ] && echo "$CORO" || echo "n/a ($CORO not built)")"
echo "lua5.4:  $([ $HAVE_LUA = 1 ] && version "$LUA" -v || echo n/a)"
echo "luajit:  $([ $HAVE_JIT = 1 ] && version "$LUAJIT" -v || echo n/a) (-joff)"
echo "python3: $([ $HAVE_PY = 1 ] && version "$PYTHON" --version || echo n/a)"
[ -z "$TIME_BIN" ] && echo "(peak RSS needs GNU time as /usr/bin/time: apt-get install time)"
echo
FMT='%-20s %8s %8s %8s %8s  %7s %7s %7s  %8s %8s %8s %8s\n'
printf "$FMT" program coro lua5.4 luajit python3 c/lua c/jit c/py rss:coro rss:lua rss:jit rss:py
printf "$FMT" -------------------- -------- -------- -------- -------- ------- ------- ------- -------- -------- -------- --------
GEO_LOGSUM=0; GEO_N=0; CPU_N=0
for entry in "${ROWS[@]}"; do
    row=${entry%%|*}; base=${entry#*|}
    c=${TIME[$row:coro]}; l=${TIME[$row:lua]}; j=${TIME[$row:jit]}; p=${TIME[$row:py]}
    printf "$FMT" "$row" "$c" "$l" "$j" "$p" "$(ratio "$c" "$l")" "$(ratio "$c" "$j")" "$(ratio "$c" "$p")" \
        "$(mem "${RSS[$row:coro]}")" "$(mem "${RSS[$row:lua]}")" "$(mem "${RSS[$row:jit]}")" "$(mem "${RSS[$row:py]}")"
    if [ "$row" = "$base" ] && is_cpu "$row"; then
        CPU_N=$((CPU_N + 1))
        r=$(ratio "$c" "$l")
        if [ "$r" != - ]; then
            GEO_LOGSUM=$(awk -v s="$GEO_LOGSUM" -v c="$c" -v l="$l" 'BEGIN { printf "%.12f", s + log(c / l) }')
            GEO_N=$((GEO_N + 1))
        fi
    fi
done
echo
if [ "$GEO_N" -gt 0 ]; then
    echo "geometric mean of coro/lua5.4 over the CPU programs ($GEO_N of $CPU_N): $(awk -v s="$GEO_LOGSUM" -v n="$GEO_N" 'BEGIN { printf "%.2f", exp(s / n) }')"
else
    echo "geometric mean of coro/lua5.4 over the CPU programs: n/a (no program ran under both)"
fi
# Explain every failure in a few lines, so "error" and "wrong" can be chased.
for entry in "${ROWS[@]}"; do
    row=${entry%%|*}
    for k in coro lua jit py; do
        case ${STATUS[$row:$k]:-} in
        error)
            [ -f "$TMP/$row:$k.err" ] &&
                echo "$row under $k failed: $(head -n 1 "$TMP/$row:$k.err" | cut -c1-150)" ;;
        wrong)
            echo "$row under $k printed: $(head -n 1 "$TMP/$row:$k.wrong" | cut -c1-150)" ;;
        esac
    done
done
exit 0
