#!/bin/sh
# Runs each libFuzzer harness for a bounded time, one after the other.
#
#   run-fuzz.sh DIR SECONDS NAME...
#
# DIR holds the harnesses (DIR/fuzz_NAME, from `make fuzz-build`).  Each
# one's corpus lives in DIR/corpus/NAME and grows from run to run; it
# starts from the seeds gathered into DIR/seeds/NAME: the test scripts for
# the compiler and program harnesses, plus fuzz/seeds/NAME if present.
# Findings are written to DIR/artifacts; one line per run is appended to
# DIR/fuzz.log (harness, start, end, wall seconds, CPU seconds,
# executions, corpus size, result).  The exit status is 1 if any harness found something.
# FUZZ_TIMEOUT (default 10) is the seconds of wall time after which an
# input counts as a hang: raise it on a loaded machine or under nice.
set -u
dir=$1
secs=$2
shift 2
mkdir -p "$dir/corpus" "$dir/seeds" "$dir/artifacts" "$dir/logs"
found=0

gather_seeds() {
    name=$1
    seeds=$dir/seeds/$name
    rm -rf "$seeds"
    mkdir -p "$seeds"
    case $name in
        compile|run)
            # Named by their path, so two tests called main.coro do not collide.
            find tests examples \( -name '*.coro' -o -name '*.lua' \) -type f -size -64k |
            while read -r f; do
                cp "$f" "$seeds/$(echo "$f" | tr / _)"
            done ;;
    esac
    [ -d "fuzz/seeds/$name" ] && cp fuzz/seeds/"$name"/* "$seeds"/
    true
}

for name in "$@"; do
    bin=$dir/fuzz_$name
    [ -x "$bin" ] || { echo "fuzz: no harness $bin (make fuzz-build)" >&2; exit 1; }
    gather_seeds "$name"
    mkdir -p "$dir/corpus/$name"
    dict=""
    case $name in compile|run) dict=-dict=fuzz/coro.dict ;; *) [ -f "fuzz/$name.dict" ] && dict=-dict=fuzz/$name.dict ;; esac
    start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    t0=$(date +%s)
    log=$dir/logs/$name-$(date -u +%Y%m%dT%H%M%S).log
    echo "== fuzz $name for ${secs}s (log $log)"
    # CPU seconds (user + system) are what the campaign totals count.
    timer=""
    [ -x /usr/bin/time ] && timer="/usr/bin/time -f %U+%S -o $dir/logs/cpu"
    rm -f "$dir/logs/cpu"
    # shellcheck disable=SC2086
    $timer "$bin" -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -max_len=16384 \
        -close_fd_mask=3 -print_final_stats=1 $dict \
        -artifact_prefix="$dir/artifacts/$name-" \
        "$dir/corpus/$name" "$dir/seeds/$name" >"$log" 2>&1
    status=$?
    t1=$(date +%s)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cpu="?"
    [ -s "$dir/logs/cpu" ] && cpu=$(tail -n 1 "$dir/logs/cpu" | awk -F+ '{ print $1 + $2 }')
    units=$(ls "$dir/corpus/$name" | wc -l)
    if [ "$status" -eq 0 ]; then
        result=clean
    else
        result="FOUND (status $status)"
        found=1
        grep -m 5 -E 'ERROR|SUMMARY|Test unit written|ALARM|abort' "$log" | sed 's/^/    /'
    fi
    echo "$name $start $(date -u +%Y-%m-%dT%H:%M:%SZ) $((t1 - t0))s cpu=${cpu}s execs=${execs:-?} corpus=$units $result" |
        tee -a "$dir/fuzz.log"
done
exit $found
