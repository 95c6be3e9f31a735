# shellcheck shell=bash
# scripts/redis.sh: a throw-away redis-server for tests, demos and benchmarks.
#
# Source it, then call slotlock_redis_start. It starts redis-server on a free
# random loopback port (20000-60000) and on a unix socket in a fresh temp dir,
# with no persistence, waits until it answers PING, and exports:
#
#   SLOTLOCK_TEST_HOST=127.0.0.1
#   SLOTLOCK_TEST_PORT=<port>
#   SLOTLOCK_TEST_SOCKET=<tmpdir>/redis.sock
#   SLOTLOCK_TEST_REDIS_PID=<pid of redis-server>   (do not kill it from a test)
#   SLOTLOCK_TEST_REDIS_DIR=<tmpdir>                (its log: redis.log)
#
# The server is stopped and its dir removed when the sourcing shell exits
# (EXIT/INT/TERM trap installed through sl_at_exit), or by slotlock_redis_stop.

# --- at-exit hooks: one trap, many commands --------------------------------
if [[ -z "${_SL_AT_EXIT_INIT:-}" ]]; then
    _SL_AT_EXIT_INIT=1
    _SL_AT_EXIT=()
    _sl_run_at_exit() {
        local i
        for (( i=${#_SL_AT_EXIT[@]}-1; i>=0; i-- )); do
            eval "${_SL_AT_EXIT[$i]}" || true
        done
        _SL_AT_EXIT=()
    }
    trap '_sl_run_at_exit' EXIT
    trap '_sl_run_at_exit; trap - INT; kill -INT $$' INT
    trap '_sl_run_at_exit; trap - TERM; kill -TERM $$' TERM
fi

# sl_at_exit CMD: run CMD (a string, eval'd) when the shell exits, newest first.
sl_at_exit() { _SL_AT_EXIT+=("$1"); }

# _sl_port_busy PORT: true when something listens on 127.0.0.1:PORT.
_sl_port_busy() {
    local port=$1
    if command -v ss >/dev/null 2>&1; then
        ss -Htln "sport = :$port" 2>/dev/null | grep -q . && return 0
    fi
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    return 1
}

# slotlock_redis_start [extra redis-server args...]
slotlock_redis_start() {
    local server cli tmp port pid try i
    server=$(command -v redis-server) || { echo "redis.sh: redis-server not found (run ./dev deps)" >&2; return 1; }
    cli=$(command -v redis-cli) || { echo "redis.sh: redis-cli not found (run ./dev deps)" >&2; return 1; }

    tmp=$(mktemp -d "${TMPDIR:-/tmp}/slotlock-redis.XXXXXX") || return 1
    for (( try=0; try<20; try++ )); do
        port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40001 ))
        _sl_port_busy "$port" && continue

        "$server" --bind 127.0.0.1 --port "$port" \
            --unixsocket "$tmp/redis.sock" --unixsocketperm 700 \
            --save '' --appendonly no --daemonize no \
            --dir "$tmp" --logfile "$tmp/redis.log" \
            --enable-debug-command local \
            "$@" </dev/null >/dev/null 2>&1 &
        pid=$!

        for (( i=0; i<100; i++ )); do       # up to ~10 s
            if ! kill -0 "$pid" 2>/dev/null; then
                break                        # died: port taken meanwhile? try another
            fi
            if [[ "$("$cli" -s "$tmp/redis.sock" ping 2>/dev/null)" == PONG ]]; then   # also when TCP is TLS only
                export SLOTLOCK_TEST_HOST=127.0.0.1
                export SLOTLOCK_TEST_PORT=$port
                export SLOTLOCK_TEST_SOCKET=$tmp/redis.sock
                export SLOTLOCK_TEST_REDIS_PID=$pid
                export SLOTLOCK_TEST_REDIS_DIR=$tmp
                sl_at_exit "slotlock_redis_stop $pid '$tmp'"
                return 0
            fi
            sleep 0.1
        done
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    echo "redis.sh: could not start redis-server; last log:" >&2
    tail -n 20 "$tmp/redis.log" >&2 2>/dev/null || true
    rm -rf "$tmp"
    return 1
}

# slotlock_redis_stop [PID DIR]: stop the server (default: the exported one).
slotlock_redis_stop() {
    local pid=${1:-${SLOTLOCK_TEST_REDIS_PID:-}} dir=${2:-${SLOTLOCK_TEST_REDIS_DIR:-}} i
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null
        for (( i=0; i<50; i++ )); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    [[ -n "$dir" && "$dir" == */slotlock-redis.* ]] && rm -rf "$dir"
    if [[ "$pid" == "${SLOTLOCK_TEST_REDIS_PID:-}" ]]; then
        unset SLOTLOCK_TEST_HOST SLOTLOCK_TEST_PORT SLOTLOCK_TEST_SOCKET SLOTLOCK_TEST_REDIS_PID SLOTLOCK_TEST_REDIS_DIR
    fi
    return 0
}
