#!/usr/bin/env bash
# tests/fuzz/run.sh [seconds]: build every libFuzzer target (make) and run each
# for `seconds` (default 20) from its committed seed corpus (corpus/<target>/),
# growing a working corpus in build/corpus/<target>/. Exits non-zero when a
# target crashes, leaks, times out or breaks an invariant; the input that did
# it is left in build/crashes/<target>/ and the log in build/<target>.log.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TARGETS=(fuzz_dsn fuzz_handle fuzz_key fuzz_reply fuzz_redirect)

secs=${1:-20}
if ! [[ "$secs" =~ ^[0-9]+$ ]] || (( secs < 1 )); then
    echo "usage: $0 [seconds per target, default 20]" >&2
    exit 2
fi

cd "$HERE"
# One run at a time per checkout: two `./dev test` at once would share build/.
mkdir -p build
exec 9>build/.run.lock
flock 9
make --no-print-directory -s all

final_stat() { sed -n "s/^stat::$1: *\([0-9]*\).*/\1/p" "$2" | tail -n1; }

rc=0
for t in "${TARGETS[@]}"; do
    work=build/corpus/$t
    crashes=build/crashes/$t
    log=build/$t.log
    mkdir -p "$work" "$crashes"
    args=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
          -artifact_prefix="$crashes/")
    [[ -f dict/$t.dict ]] && args+=(-dict="dict/$t.dict")
    echo "==> $t: ${secs} s"
    if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} build/"$t" "${args[@]}" "$work" "corpus/$t" >"$log" 2>&1; then
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1 || true)
        echo "==> $t: ok, $(final_stat number_of_executed_units "$log") runs," \
             "$(final_stat average_exec_per_sec "$log") exec/s, ${cov:-cov: ?}," \
             "corpus $(find "$work" -type f | wc -l) files, peak rss $(final_stat peak_rss_mb "$log") MB"
    else
        echo "==> $t: FAILED (log: tests/fuzz/$log)"
        grep -E 'ERROR|invariant failed|SUMMARY|runtime error|Test unit written' "$log" | head -n 20 || true
        rc=1
    fi
done
exit $rc
