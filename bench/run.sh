#!/usr/bin/env bash
# bench/run.sh: slotlock against its peers on one local Redis (see bench/README.md).
#
#   bench/run.sh [--quick] [--rounds N] [--duration SEC] [--tp-duration SEC]
#                [--cg-ops N] [--mem-ops N] [--only pair,segments,anyof,request,throughput,cpu,memory]
#                [--out DIR] [--keep] [--pin-cpu N | --no-pin]
#
# Redis: SLOTLOCK_TEST_HOST / SLOTLOCK_TEST_PORT (./dev bench sets them); when
# unset, a throw-away redis-server on a free port, stopped at exit.
# Extension: SLOTLOCK_EXT_SO, else modules/slotlock.so (copied first, so a
# rebuild during the run cannot pull it from under the workers).
# CPU layout: Redis and the measured client share one CPU (--pin-cpu, default
# the last one) except in the throughput scenario; see lib/bench.php.
# Writes bench/results/{latest.txt,bench.csv,raw.csv,cpu.csv,server.csv,memory.csv,bench.png,throughput.png}.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
ARGS=("$@")

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
say() { printf '==> %s\n' "$*" >&2; }

usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

QUICK=0 KEEP=0 OUT=$BENCH/results PIN=$(( $(nproc) - 1 ))
PASS=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) QUICK=1; PASS+=(--quick) ;;
        --rounds|--duration|--warmup|--tp-duration|--tp-rounds|--tp-procs|--cg-ops|--cg-peers|--mem-ops|--srv-ops|--srv-rounds|--only)
            [[ $# -ge 2 ]] || die "$1 needs a value"
            PASS+=("$1" "$2"); shift ;;
        --out) [[ $# -ge 2 ]] || die "--out needs a value"; OUT=$2; shift ;;
        --keep) KEEP=1 ;;
        --pin-cpu) [[ $# -ge 2 ]] || die "--pin-cpu needs a value"; PIN=$2; shift ;;
        --no-pin) PIN= ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
    shift
done

PHP=$(command -v php8.2 || command -v php) || die "php not found (./dev deps)"
command -v cc >/dev/null || die "cc not found"
pkg-config --exists hiredis || die "hiredis not found (apt-get install libhiredis-dev)"
"$PHP" -r 'exit(extension_loaded("redis") && extension_loaded("pcntl") ? 0 : 1);' \
    || die "php needs the redis and pcntl extensions (apt-get install php-redis)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/slotlock-bench.XXXXXX")
REDIS_PID= SERVER_PID= SERVER_MASK=
cleanup() {
    # a Redis we were given gets its CPU affinity back
    if [[ -n "$SERVER_MASK" && "$SERVER_PID" != "$REDIS_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        taskset -a -p "$SERVER_MASK" "$SERVER_PID" >/dev/null 2>&1 || true
    fi
    if [[ -n "$REDIS_PID" ]] && kill -0 "$REDIS_PID" 2>/dev/null; then
        kill "$REDIS_PID" 2>/dev/null || true
        wait "$REDIS_PID" 2>/dev/null || true
    fi
    if [[ $KEEP -eq 1 ]]; then
        say "work files kept in $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the extension, a private copy --------------------------------------
EXT=${SLOTLOCK_EXT_SO:-$ROOT/modules/slotlock.so}
[[ -f "$EXT" ]] || die "$EXT not found: run ./dev build first"
cp "$EXT" "$WORK/slotlock.so"
# what was built: the commit and the uncommitted C files at the time of the copy
GIT_DESC=$(cd "$ROOT" && { git rev-parse --short HEAD 2>/dev/null || echo '?'; } | tr -d '\n'
           n=$(git status --porcelain -- '*.c' '*.h' 2>/dev/null | wc -l); echo " + $n uncommitted C/H files")
GIT_DESC="$GIT_DESC; $(basename "$EXT") built $(date -u -r "$EXT" '+%Y-%m-%d %H:%M:%S UTC')"
"$PHP" -d "extension=$WORK/slotlock.so" -r 'exit(class_exists("SlotLockService") ? 0 : 1);' \
    || die "$EXT does not load"

# ---- the C floor, built from the extension's own scripts ----------------
say "building hiredis_floor"
# shellcheck disable=SC2046
cc -O2 -std=gnu99 -I"$ROOT/src" "$BENCH/hiredis_floor.c" "$ROOT/src/sl_scripts.c" "$ROOT/src/sl_sha1.c" "$ROOT/src/sl_conn.c" "$ROOT/src/sl_dsn.c" "$ROOT/src/sl_tls.c" "$ROOT/src/sl_tls_opts.c" \
    $(pkg-config --cflags --libs hiredis) -o "$WORK/hiredis_floor" || die "could not build hiredis_floor"

# ---- Redis ---------------------------------------------------------------
if [[ -n "${SLOTLOCK_TEST_PORT:-}" ]]; then
    HOST=${SLOTLOCK_TEST_HOST:-127.0.0.1}
    PORT=$SLOTLOCK_TEST_PORT
    REDIS_NOTE="given by SLOTLOCK_TEST_HOST/PORT"
else
    command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
    HOST=127.0.0.1
    for _ in $(seq 1 20); do
        PORT=$(( 20000 + RANDOM % 40000 ))
        (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && continue   # taken
        redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --daemonize no \
            --dir "$WORK" --logfile "$WORK/redis.log" </dev/null >/dev/null 2>&1 &
        REDIS_PID=$!
        for _ in $(seq 1 50); do
            [[ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" == PONG ]] && break 2
            kill -0 "$REDIS_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill "$REDIS_PID" 2>/dev/null || true
        wait "$REDIS_PID" 2>/dev/null || true
        REDIS_PID=
    done
    [[ -n "$REDIS_PID" ]] || die "could not start redis-server"
    REDIS_NOTE="throw-away redis-server --port $PORT --save ''"
fi
redis-cli -h "$HOST" -p "$PORT" ping >/dev/null 2>&1 || die "no Redis at $HOST:$PORT"
say "Redis at $HOST:$PORT ($REDIS_NOTE)"

# The server's pid, to pin it (a local server only; its affinity is restored at exit).
PINARGS=()
if [[ -n "$PIN" ]]; then
    command -v taskset >/dev/null || die "taskset not found (util-linux); or run with --no-pin"
    (( PIN >= 0 && PIN < $(nproc) )) || die "--pin-cpu $PIN: this machine has CPUs 0-$(( $(nproc) - 1 ))"
    if [[ "$HOST" == 127.0.0.1 || "$HOST" == localhost ]]; then
        SERVER_PID=$(redis-cli -h "$HOST" -p "$PORT" info server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p')
        if [[ -n "$SERVER_PID" ]] && SERVER_MASK=$(taskset -p "$SERVER_PID" 2>/dev/null | sed -n 's/.*: //p'); then
            PINARGS=(--redis-pid "$SERVER_PID")
        fi
    fi
    PINARGS+=(--pin-cpu "$PIN")
    say "pinning Redis${SERVER_PID:+ (pid $SERVER_PID)} and the measured client to CPU $PIN (not for throughput)"
fi

# ---- run -----------------------------------------------------------------
mkdir -p "$OUT"
CMD="bench/run.sh${ARGS[*]:+ ${ARGS[*]}}"
[[ -n "${SLOTLOCK_TEST_PORT:-}" ]] && CMD="$CMD  (Redis from SLOTLOCK_TEST_PORT, e.g. ./dev bench)"
START=$SECONDS
"$PHP" "$BENCH/lib/bench.php" --php "$PHP" --ext "$WORK/slotlock.so" --floor "$WORK/hiredis_floor" \
    --host "$HOST" --port "$PORT" --out "$OUT" --work "$WORK" --command "$CMD" --git "$GIT_DESC" \
    ${PINARGS[@]+"${PINARGS[@]}"} \
    ${PASS[@]+"${PASS[@]}"}

# ---- wire format 2's options: fencing on/off, activeLocks() at 100k live locks ----
if [[ " ${PASS[*]:-} " != *" --only "* ]]; then
    F2=(--pairs 3000 --rounds 5)
    (( QUICK )) && F2=(--pairs 300 --rounds 2)
    say "format 2: fencing cost, activeLocks() at 100,000 live locks"
    "$PHP" -d "extension=$WORK/slotlock.so" "$BENCH/lib/format2.php" --host "$HOST" --port "$PORT" "${F2[@]}" \
        --live 100000 --out "$OUT/latest.txt" >/dev/null || say "format2.php failed"
fi

# ---- TLS: the pair over TLS beside plain, slotlock and phpredis by hand (bench/tls.php) ----
if [[ " ${PASS[*]:-} " != *" --only "* ]]; then
    TLSB=(--pairs 3000 --rounds 5)
    (( QUICK )) && TLSB=(--pairs 300 --rounds 2)
    say "TLS: the pair over TLS beside plain (its own redis-server and throw-away CA)"
    "$PHP" -d "extension=$WORK/slotlock.so" "$BENCH/tls.php" "${TLSB[@]}" --out "$OUT/latest.txt" || say "tls.php failed"
fi

# ---- charts --------------------------------------------------------------
if command -v gnuplot >/dev/null; then
    read -r NCOL NTP <"$WORK/columns"
    SUB=$(sed "s/'//g" "$WORK/title")
    gnuplot -e "work='$WORK'; out='$OUT'; ncol=$NCOL; ntp=$NTP; subtitle='$SUB'" "$BENCH/plot.gp" \
        && say "charts: $OUT/bench.png, $OUT/throughput.png (for the scenarios run)" || say "gnuplot failed: no charts"
else
    say "gnuplot not found (apt-get install gnuplot-nox): no charts"
fi
say "results: $OUT/latest.txt (+ .csv) after $((SECONDS - START)) s"
