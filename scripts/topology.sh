#!/usr/bin/env bash
# shellcheck shell=bash
# scripts/topology.sh: throw-away multi-node Redis topologies for tests and benchmarks.
#
# Every server listens on a free random loopback port (never a fixed one), keeps
# nothing on disk but its own temp dir, and is stopped by `stop` or, when the
# functions are sourced, when the sourcing shell exits.
#
# CLI (the servers outlive the command; stop them with `stop`):
#
#   eval "$(scripts/topology.sh start cluster|cluster-replicas|sentinel|quorum|single)"
#   scripts/topology.sh stop DIR            stop every server of DIR and remove it
#   scripts/topology.sh env DIR             print the export lines again
#   scripts/topology.sh kill DIR PORT       SIGKILL the server on PORT (it stays stopped)
#   scripts/topology.sh restart DIR PORT    start it again, same port and args; waits for PING
#   scripts/topology.sh pid DIR PORT        the pid of the server on PORT
#
# Sourced: slotlock_topology_start MODE exports the variables below into the
# calling shell (and registers an at-exit stop); slotlock_topology_stop [DIR].
#
#   all       SLOTLOCK_TOPOLOGY_MODE, SLOTLOCK_TOPOLOGY_DIR
#   cluster   SLOTLOCK_CLUSTER="127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3" (3 masters, all
#             16384 slots, cluster_state:ok on every node), SLOTLOCK_CLUSTER_PIDS (same order)
#   cluster-replicas  the same with one replica per master (6 nodes in SLOTLOCK_CLUSTER,
#             every replica's link up), for failover tests
#   sentinel  SLOTLOCK_SENTINEL="127.0.0.1:S1,127.0.0.1:S2,127.0.0.1:S3",
#             SLOTLOCK_SENTINEL_MASTER=mymaster (quorum 2, down-after 1000 ms,
#             failover-timeout 3000 ms), SLOTLOCK_SENTINEL_MASTER_ADDR/_PID,
#             SLOTLOCK_SENTINEL_REPLICA_ADDR/_PID (one replica, link up), SLOTLOCK_SENTINEL_PIDS
#   quorum    SLOTLOCK_QUORUM="redis://127.0.0.1:Q1,redis://127.0.0.1:Q2,redis://127.0.0.1:Q3"
#             (3 independent masters), SLOTLOCK_QUORUM_PIDS
#   single    SLOTLOCK_SINGLE="redis://127.0.0.1:P", SLOTLOCK_SINGLE_PID
#
# DIR holds one sub-dir per server (port, pid, cmd, redis.log) and `env` (the export lines).
# SLOTLOCK_TOPOLOGY_WAIT (seconds, default 20) bounds every wait;
# SLOTLOCK_TOPOLOGY_NODE_TIMEOUT (ms, default 3000) is the cluster-node-timeout.

_sltopo_self=${BASH_SOURCE[0]}
_sltopo_root=$(cd "$(dirname "$_sltopo_self")/.." && pwd)
# sl_at_exit and _sl_port_busy
# shellcheck source=scripts/redis.sh
source "$_sltopo_root/scripts/redis.sh"

_sltopo_err() { printf 'topology.sh: %s\n' "$*" >&2; }
_sltopo_log() { [[ -n "${SLOTLOCK_TOPOLOGY_QUIET:-}" ]] || printf 'topology: %s\n' "$*" >&2; }
_sltopo_wait() { echo "${SLOTLOCK_TOPOLOGY_WAIT:-20}"; }

_SLTOPO_TAKEN=" "

# _sltopo_free_port: sets _SLTOPO_PORT to a loopback port nothing listens on and that this
# shell has not handed out yet (not in a subshell: it must remember what it handed out).
# Below the kernel's ephemeral range when there is room: a port that an outgoing
# connection (a cluster bus link, a client) holds makes bind() fail.
_sltopo_free_port() {
    local port try lo=20000 hi=60000 eph
    read -r eph _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || eph=
    if [[ -n "$eph" ]] && (( eph > 12000 )); then lo=10000; hi=$(( eph - 1 )); fi
    for (( try=0; try<200; try++ )); do
        port=$(( lo + (RANDOM * 32768 + RANDOM) % (hi - lo + 1) ))
        [[ "$_SLTOPO_TAKEN" == *" $port "* ]] && continue
        _sl_port_busy "$port" && continue
        _SLTOPO_TAKEN+="$port "
        _SLTOPO_PORT=$port
        return 0
    done
    _sltopo_err "no free port found"
    return 1
}

# _sltopo_cli PORT ARGS...: redis-cli on 127.0.0.1:PORT with a short timeout per call.
_sltopo_cli() {
    local port=$1; shift
    timeout 5 redis-cli -h 127.0.0.1 -p "$port" "$@" 2>/dev/null
}

# _sltopo_alive PID: true when PID is a live redis-server (guards against pid reuse).
_sltopo_alive() {
    local pid=$1
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
    [[ -r /proc/$pid/cmdline ]] || return 0
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'redis-server\|redis-sentinel'
}

# _sltopo_launch NODEDIR: runs NODEDIR/cmd (one argument a line) in the background,
# logs to NODEDIR/redis.log, writes NODEDIR/pid; waits for PING. Returns 1 if it died or
# never answered (the process is then killed).
_sltopo_launch() {
    local nd=$1 port pid i deadline args=()
    port=$(cat "$nd/port")
    mapfile -t args <"$nd/cmd"
    "${args[@]}" </dev/null >>"$nd/redis.log" 2>&1 &
    pid=$!
    disown "$pid" 2>/dev/null   # no "Killed" job notice when a test kills it
    echo "$pid" >"$nd/pid"
    deadline=$(( SECONDS + $(_sltopo_wait) ))
    while (( SECONDS < deadline )); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 1; }
        [[ "$(_sltopo_cli "$port" ping)" == PONG ]] && return 0
        sleep 0.05
    done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 1
}

# _sltopo_server DIR NAME ARGS...: starts one server as DIR/NAME on a free port.
# In ARGS, @PORT@ becomes the port, @BUS@ a second free port, @DIR@ the node dir.
# An argument @CONF@ is replaced by NODEDIR/server.conf, written from $_SLTOPO_CONF with
# the same substitutions. Retries with other ports when the server cannot start.
_sltopo_server() {
    local dir=$1 name=$2; shift 2
    local nd=$dir/$name try port bus a conf="" confdata=${_SLTOPO_CONF:-}
    _SLTOPO_CONF=
    mkdir -p "$nd"
    for (( try=0; try<10; try++ )); do
        _sltopo_free_port || return 1
        port=$_SLTOPO_PORT
        _sltopo_free_port || return 1
        bus=$_SLTOPO_PORT
        echo "$port" >"$nd/port"
        : >"$nd/cmd"
        for a in "$@"; do
            if [[ "$a" == @CONF@ ]]; then
                conf=$nd/server.conf
                a=$conf
            fi
            a=${a//@PORT@/$port}; a=${a//@BUS@/$bus}; a=${a//@DIR@/$nd}
            printf '%s\n' "$a" >>"$nd/cmd"
        done
        if [[ -n "$conf" ]]; then
            confdata=${confdata//@PORT@/$port}; confdata=${confdata//@BUS@/$bus}
            printf '%s\n' "${confdata//@DIR@/$nd}" >"$conf"
        fi
        rm -f "$nd/nodes.conf"
        _sltopo_launch "$nd" && return 0
        _sltopo_log "$name on port $port did not start (try $((try + 1)): $(tail -n 1 "$nd/redis.log" 2>/dev/null)), retrying on another port"
    done
    _sltopo_err "$name: redis-server did not start; last log lines:"
    tail -n 20 "$nd/redis.log" >&2 2>/dev/null
    return 1
}

# _sltopo_node_by_port DIR PORT: prints the node dir of the server on PORT.
_sltopo_node_by_port() {
    local dir=$1 port=$2 nd
    for nd in "$dir"/*/; do
        nd=${nd%/}
        [[ -f "$nd/port" && "$(cat "$nd/port")" == "$port" ]] && { echo "$nd"; return 0; }
    done
    _sltopo_err "no server on port $port in $dir"
    return 1
}

_sltopo_ports() {   # DIR NAME...: the ports of those nodes, space separated
    local dir=$1 n out=(); shift
    for n in "$@"; do out+=("$(cat "$dir/$n/port")"); done
    echo "${out[*]}"
}

_sltopo_pids() {    # DIR NAME...: their pids, comma separated
    local dir=$1 n out=(); shift
    for n in "$@"; do out+=("$(cat "$dir/$n/pid")"); done
    local IFS=,
    echo "${out[*]}"
}

# the common redis-server arguments of a data node
_SLTOPO_DATA_ARGS=(redis-server --bind 127.0.0.1 --port @PORT@ --save '' --appendonly no
                   --daemonize no --dir @DIR@ --logfile @DIR@/redis.log
                   --enable-debug-command local)

_sltopo_start_single() {
    local dir=$1 p
    _sltopo_server "$dir" n1 "${_SLTOPO_DATA_ARGS[@]}" || return 1
    p=$(_sltopo_ports "$dir" n1)
    _sltopo_env "$dir" SLOTLOCK_SINGLE "redis://127.0.0.1:$p" \
        SLOTLOCK_SINGLE_PID "$(_sltopo_pids "$dir" n1)"
}

_sltopo_start_quorum() {
    local dir=$1 n ports dsns=()
    for n in q1 q2 q3; do
        _sltopo_server "$dir" "$n" "${_SLTOPO_DATA_ARGS[@]}" || return 1
    done
    for n in $(_sltopo_ports "$dir" q1 q2 q3); do dsns+=("redis://127.0.0.1:$n"); done
    ports=$(IFS=,; echo "${dsns[*]}")
    _sltopo_env "$dir" SLOTLOCK_QUORUM "$ports" SLOTLOCK_QUORUM_PIDS "$(_sltopo_pids "$dir" q1 q2 q3)"
}

# _sltopo_start_cluster DIR [REPLICAS]: 3 masters, each with REPLICAS replicas (0 or 1).
_sltopo_start_cluster() {
    local dir=$1 replicas=${2:-0} n p ports=() addrs deadline ok out names=(c1 c2 c3) create=()
    (( replicas > 0 )) && names=(c1 c2 c3 c4 c5 c6)
    for n in "${names[@]}"; do
        _sltopo_server "$dir" "$n" "${_SLTOPO_DATA_ARGS[@]}" \
            --cluster-enabled yes --cluster-config-file nodes.conf --cluster-port @BUS@ \
            --cluster-node-timeout "${SLOTLOCK_TOPOLOGY_NODE_TIMEOUT:-3000}" || return 1
    done
    read -r -a ports <<<"$(_sltopo_ports "$dir" "${names[@]}")"
    for p in "${ports[@]}"; do create+=("127.0.0.1:$p"); done
    if ! out=$(timeout "$(_sltopo_wait)" redis-cli --cluster create "${create[@]}" \
            --cluster-replicas "$replicas" --cluster-yes </dev/null 2>&1); then
        _sltopo_err "redis-cli --cluster create failed:"
        printf '%s\n' "$out" | tail -n 20 >&2
        return 1
    fi
    printf '%s\n' "$out" >"$dir/cluster-create.log"
    # every node says ok and sees 3 masters covering all slots
    deadline=$(( SECONDS + $(_sltopo_wait) ))
    while :; do
        ok=1
        for p in "${ports[@]}"; do
            out=$(_sltopo_cli "$p" cluster info)
            [[ "$out" == *cluster_state:ok* && "$out" == *cluster_slots_assigned:16384* \
               && "$out" == *"cluster_known_nodes:${#ports[@]}"* && "$out" == *cluster_size:3* ]] || { ok=0; break; }
            # a replica: its link to the master is up
            out=$(_sltopo_cli "$p" info replication)
            [[ "$out" != *role:slave* || "$out" == *master_link_status:up* ]] || { ok=0; break; }
        done
        (( ok )) && break
        if (( SECONDS >= deadline )); then
            _sltopo_err "cluster not ok after $(_sltopo_wait) s; CLUSTER INFO of 127.0.0.1:$p:"
            printf '%s\n' "$out" >&2
            return 1
        fi
        sleep 0.1
    done
    addrs=$(printf '127.0.0.1:%s,' "${ports[@]}")
    _sltopo_env "$dir" SLOTLOCK_CLUSTER "${addrs%,}" SLOTLOCK_CLUSTER_PIDS "$(_sltopo_pids "$dir" "${names[@]}")"
}

_sltopo_start_cluster-replicas() { _sltopo_start_cluster "$1" 1; }

_sltopo_start_sentinel() {
    local dir=$1 n pm pr s deadline ok out sports=() addrs
    _sltopo_server "$dir" m "${_SLTOPO_DATA_ARGS[@]}" || return 1
    pm=$(_sltopo_ports "$dir" m)
    _sltopo_server "$dir" r "${_SLTOPO_DATA_ARGS[@]}" --replicaof 127.0.0.1 "$pm" || return 1
    pr=$(_sltopo_ports "$dir" r)
    for n in s1 s2 s3; do
        _SLTOPO_CONF="bind 127.0.0.1
port @PORT@
daemonize no
dir @DIR@
logfile @DIR@/redis.log
sentinel monitor mymaster 127.0.0.1 $pm 2
sentinel down-after-milliseconds mymaster 1000
sentinel failover-timeout mymaster 3000
sentinel parallel-syncs mymaster 1"
        _sltopo_server "$dir" "$n" redis-server @CONF@ --sentinel || return 1
    done
    read -r -a sports <<<"$(_sltopo_ports "$dir" s1 s2 s3)"
    # ready: the replica's link is up, and every sentinel knows the replica and the 2 others
    deadline=$(( SECONDS + $(_sltopo_wait) ))
    while :; do
        ok=1
        out=$(_sltopo_cli "$pr" info replication)
        [[ "$out" == *master_link_status:up* ]] || ok=0
        if (( ok )); then
            for s in "${sports[@]}"; do
                out=$(_sltopo_cli "$s" sentinel master mymaster | tr '\n' ' ')
                [[ "$out" == *"num-slaves 1 "* && "$out" == *"num-other-sentinels 2 "* \
                   && "$out" == *"flags master "* ]] || { ok=0; break; }
            done
        fi
        (( ok )) && break
        if (( SECONDS >= deadline )); then
            _sltopo_err "sentinel setup not ready after $(_sltopo_wait) s; last: $out"
            return 1
        fi
        sleep 0.2
    done
    addrs=$(printf '127.0.0.1:%s,' "${sports[@]}")
    _sltopo_env "$dir" SLOTLOCK_SENTINEL "${addrs%,}" SLOTLOCK_SENTINEL_MASTER mymaster \
        SLOTLOCK_SENTINEL_MASTER_ADDR "127.0.0.1:$pm" SLOTLOCK_SENTINEL_MASTER_PID "$(_sltopo_pids "$dir" m)" \
        SLOTLOCK_SENTINEL_REPLICA_ADDR "127.0.0.1:$pr" SLOTLOCK_SENTINEL_REPLICA_PID "$(_sltopo_pids "$dir" r)" \
        SLOTLOCK_SENTINEL_PIDS "$(_sltopo_pids "$dir" s1 s2 s3)"
}

# _sltopo_env DIR NAME VALUE...: appends export lines to DIR/env and exports them here.
_sltopo_env() {
    local dir=$1; shift
    while [[ $# -ge 2 ]]; do
        printf "export %s='%s'\n" "$1" "${2//\'/\'\\\'\'}" >>"$dir/env"
        export "$1=$2"
        shift 2
    done
}

# slotlock_topology_start MODE: starts MODE (cluster|sentinel|quorum|single) in a new
# temp dir and exports its variables. Sourced use registers an at-exit stop unless
# _SLTOPO_NO_AT_EXIT is set (the CLI). Everything started is stopped again on failure.
slotlock_topology_start() {
    local mode=${1:-} dir t0=$SECONDS
    case "$mode" in
        cluster|cluster-replicas|sentinel|quorum|single) ;;
        *) _sltopo_err "usage: slotlock_topology_start cluster|cluster-replicas|sentinel|quorum|single"; return 2 ;;
    esac
    command -v redis-server >/dev/null || { _sltopo_err "redis-server not found (apt-get install redis-server)"; return 1; }
    command -v redis-cli >/dev/null || { _sltopo_err "redis-cli not found (apt-get install redis-tools)"; return 1; }
    dir=$(mktemp -d "${TMPDIR:-/tmp}/slotlock-topo.XXXXXX") || return 1
    echo "$mode" >"$dir/mode"
    _sltopo_env "$dir" SLOTLOCK_TOPOLOGY_MODE "$mode" SLOTLOCK_TOPOLOGY_DIR "$dir"
    if [[ -z "${_SLTOPO_NO_AT_EXIT:-}" ]]; then
        sl_at_exit "slotlock_topology_stop '$dir'"
    fi
    if ! "_sltopo_start_$mode" "$dir"; then
        _sltopo_err "could not start the $mode topology; logs:"
        local log
        for log in "$dir"/*/redis.log; do
            [[ -f "$log" ]] && { echo "--- $log" >&2; tail -n 5 "$log" >&2; }
        done
        slotlock_topology_stop "$dir"
        return 1
    fi
    _sltopo_log "$mode up in $((SECONDS - t0)) s ($dir)"
    return 0
}

# slotlock_topology_stop [DIR]: stops every server of DIR (SIGSTOPped ones too) and
# removes DIR. Default: $SLOTLOCK_TOPOLOGY_DIR.
slotlock_topology_stop() {
    local dir=${1:-${SLOTLOCK_TOPOLOGY_DIR:-}} nd pid pids=() i
    [[ -n "$dir" && -d "$dir" ]] || return 0
    if [[ "$dir" != */slotlock-topo.* ]]; then
        _sltopo_err "refusing to stop $dir: not a topology dir"
        return 1
    fi
    for nd in "$dir"/*/; do
        pid=$(cat "$nd/pid" 2>/dev/null) || continue
        if _sltopo_alive "$pid"; then
            kill -CONT "$pid" 2>/dev/null
            kill -TERM "$pid" 2>/dev/null
            pids+=("$pid")
        fi
    done
    for (( i=0; i<50; i++ )); do
        local left=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
        (( left )) || break
        sleep 0.1
    done
    for pid in "${pids[@]}"; do
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    rm -rf "$dir"
    if [[ "$dir" == "${SLOTLOCK_TOPOLOGY_DIR:-}" ]]; then
        unset SLOTLOCK_TOPOLOGY_DIR SLOTLOCK_TOPOLOGY_MODE
    fi
    return 0
}

# slotlock_topology_kill DIR PORT: SIGKILL the server on PORT (SIGCONT first).
slotlock_topology_kill() {
    local nd pid
    nd=$(_sltopo_node_by_port "$1" "$2") || return 1
    pid=$(cat "$nd/pid")
    if _sltopo_alive "$pid"; then
        kill -CONT "$pid" 2>/dev/null
        kill -9 "$pid" 2>/dev/null
        local i
        for (( i=0; i<50; i++ )); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    return 0
}

# slotlock_topology_restart DIR PORT: start the server on PORT again (killing it first if
# it still runs); same port, same arguments, same dir (a cluster node keeps nodes.conf).
slotlock_topology_restart() {
    local nd
    nd=$(_sltopo_node_by_port "$1" "$2") || return 1
    slotlock_topology_kill "$1" "$2"
    if ! _sltopo_launch "$nd"; then
        _sltopo_err "could not restart the server on port $2; log:"
        tail -n 10 "$nd/redis.log" >&2
        return 1
    fi
    return 0
}

# ------------------------------------------------------------------------ CLI ----
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -uo pipefail
    usage() { sed -n '2,35p' "$0" | sed 's/^# \{0,1\}//'; }
    cmd=${1:-}
    [[ $# -gt 0 ]] && shift
    case "$cmd" in
        start)
            [[ $# -eq 1 ]] || { usage >&2; exit 2; }
            # stopped if this is interrupted; left running once started
            slotlock_topology_start "$1" || exit 1
            _SL_AT_EXIT=()
            cat "$SLOTLOCK_TOPOLOGY_DIR/env"
            ;;
        stop)
            [[ $# -eq 1 ]] || { usage >&2; exit 2; }
            slotlock_topology_stop "$1" || exit 1
            ;;
        env)
            [[ $# -eq 1 && -f "$1/env" ]] || { _sltopo_err "no env in ${1:-}"; exit 2; }
            cat "$1/env"
            ;;
        kill)
            [[ $# -eq 2 ]] || { usage >&2; exit 2; }
            slotlock_topology_kill "$1" "$2" || exit 1
            ;;
        restart)
            [[ $# -eq 2 ]] || { usage >&2; exit 2; }
            slotlock_topology_restart "$1" "$2" || exit 1
            ;;
        pid)
            [[ $# -eq 2 ]] || { usage >&2; exit 2; }
            nd=$(_sltopo_node_by_port "$1" "$2") || exit 1
            cat "$nd/pid"
            ;;
        -h|--help|help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
    exit 0
fi
