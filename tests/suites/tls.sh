#!/usr/bin/env bash
# tests/suites/tls.sh: slotlock over TLS beyond the phpt suite (which ./dev test also runs
# against a TLS server):
#
#   topology     a 3-master TLS cluster (tls-cluster yes), a TLS master behind a TLS
#                sentinel, 3 TLS quorum masters: tests/tls/topology.php
#   polyfill     the polyfill over TLS through phpredis, same options: tests/tls/polyfill.php
#   race         the reliability race (tests/reliability/concurrency.php --tls): 0 double bookings
#   no-openssl   the extension configured --without-slotlock-openssl in a temp copy builds,
#                php --ri says TLS is disabled, rediss:// and the tls option are ValueErrors
#
#   bash tests/suites/tls.sh [topology] [polyfill] [race] [no-openssl]
# Environment: SLOTLOCK_EXT_SO (default modules/slotlock.so), PHP (default php8.2 or php).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
# shellcheck source=scripts/redis.sh
source "$ROOT/scripts/redis.sh"
# shellcheck source=scripts/tls.sh
source "$ROOT/scripts/tls.sh"

say() { printf '==> tls: %s\n' "$*" >&2; }
PHP=${PHP:-$(command -v php8.2 || command -v php)} || { say "FAIL: php not found"; exit 1; }
SO=${SLOTLOCK_EXT_SO:-$ROOT/modules/slotlock.so}
[[ -f "$SO" ]] || { say "FAIL: no extension at $SO (./dev build)"; exit 1; }
if [[ "$("$PHP" -d "extension=$SO" --ri slotlock)" != *'TLS support (rediss://) => enabled'* ]]; then
    say "FAIL: $SO is built without OpenSSL (libssl-dev, ./dev build)"
    exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/slotlock-tls-suite.XXXXXX") || exit 1
sl_at_exit "rm -rf '$WORK'"
CERTS=$WORK/certs
slotlock_tls_certs "$CERTS" || { say "FAIL: could not make the certificates"; exit 1; }
mapfile -t TLS_ARGS < <(slotlock_tls_server_args "$CERTS")
CLI=(redis-cli --tls --cacert "$CERTS/ca.crt" -h 127.0.0.1)

# tls_node NAME [redis-server args...]: a TLS-only server in $WORK/NAME on a free port (<= 45000:
# the cluster bus is port + 10000); sets PORT. `sentinel` as NAME runs redis-sentinel on a
# config file (the args are its lines).
tls_node() {
    local name=$1 d=$WORK/$1 try pid i
    shift
    mkdir -p "$d"
    for (( try=0; try<20; try++ )); do
        PORT=$(( 20000 + (RANDOM * 32768 + RANDOM) % 25001 ))
        _sl_port_busy "$PORT" && continue
        _sl_port_busy $((PORT + 10000)) && continue
        if [[ $name == sentinel* ]]; then
            { printf 'port 0\ntls-port %s\nbind 127.0.0.1\ndir %s\n' "$PORT" "$d"
              printf 'tls-cert-file %s\ntls-key-file %s\ntls-ca-cert-file %s\ntls-replication yes\ntls-auth-clients optional\n' \
                  "$CERTS/server.crt" "$CERTS/server.key" "$CERTS/ca.crt"
              printf '%s\n' "$@"; } >"$d/sentinel.conf"
            redis-server "$d/sentinel.conf" --sentinel >"$d/log" 2>&1 </dev/null &
        else
            redis-server --port 0 --tls-port "$PORT" --bind 127.0.0.1 --save '' --appendonly no \
                --dir "$d" "${TLS_ARGS[@]}" "$@" >"$d/log" 2>&1 </dev/null &
        fi
        pid=$!
        disown "$pid" 2>/dev/null
        sl_at_exit "kill -9 $pid 2>/dev/null"
        for (( i=0; i<100; i++ )); do
            kill -0 "$pid" 2>/dev/null || break
            if [[ "$("${CLI[@]}" --insecure -p "$PORT" ping 2>/dev/null)" == PONG ]]; then
                return 0
            fi
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null
    done
    say "$name did not start: $(tail -n 3 "$d/log")"
    return 1
}

run_topology() {
    local cluster=() quorum=() p master i ok
    for i in 1 2 3; do
        tls_node "c$i" --cluster-enabled yes --cluster-config-file "$WORK/c$i/nodes.conf" \
            --tls-cluster yes --tls-replication yes || return 1
        cluster+=("127.0.0.1:$PORT")
    done
    "${CLI[@]}" --cluster create "${cluster[@]}" --cluster-yes >"$WORK/cluster-create.log" 2>&1 \
        || { say "cluster create failed: $(tail -n 5 "$WORK/cluster-create.log")"; return 1; }
    for (( i=0; i<100; i++ )); do
        ok=1
        for p in "${cluster[@]}"; do
            "${CLI[@]}" -p "${p#*:}" cluster info 2>/dev/null | grep -q 'cluster_state:ok' || ok=0
        done
        [[ $ok == 1 ]] && break
        sleep 0.2
    done
    [[ $ok == 1 ]] || { say "the TLS cluster never reached cluster_state:ok"; return 1; }
    tls_node master || return 1
    master=$PORT
    tls_node sentinel "sentinel monitor tlsmaster 127.0.0.1 $master 1" || return 1
    local sentinel="127.0.0.1:$PORT"
    for i in 1 2 3; do
        tls_node "q$i" || return 1
        quorum+=("127.0.0.1:$PORT")
    done
    SLOTLOCK_TLS_DIR=$CERTS SLOTLOCK_TLS_CLUSTER=$(IFS=,; echo "${cluster[*]}") \
    SLOTLOCK_TLS_SENTINEL=$sentinel SLOTLOCK_TLS_QUORUM=$(IFS=,; echo "${quorum[*]}") \
        timeout 120 "$PHP" -d "extension=$SO" tests/tls/topology.php
}

run_polyfill() {
    local port
    tls_node pf || return 1
    port=$PORT
    tls_node pf-other --tls-cert-file "$CERTS/other.crt" --tls-key-file "$CERTS/other.key" || return 1
    SLOTLOCK_TLS_DIR=$CERTS SLOTLOCK_TLS_PORT=$port SLOTLOCK_TLS_OTHER_PORT=$PORT \
        timeout 60 "$PHP" tests/tls/polyfill.php
}

run_race() {
    timeout 240 "$PHP" -d "extension=$SO" tests/reliability/concurrency.php --tls="$CERTS" \
        --workers=32 --ops=80 --no-naive
}

# The build without OpenSSL: configure in a temp copy, so this tree's build is untouched.
run_no_openssl() {
    local src=$WORK/no-openssl phpize config php_config
    phpize=$(command -v phpize8.2 || command -v phpize)
    php_config=$(command -v php-config8.2 || command -v php-config)
    mkdir -p "$src"
    # The sources from disk (a release tarball has no git): config.m4, the glue, src/; not the
    # build's own config.h, which configure writes anew.
    mkdir -p "$src/src" && cp config.m4 "$src/" && cp -- *.c *.h "$src/" && rm -f "$src/config.h" \
        && cp src/*.c src/*.h "$src/src/" || return 1
    ( cd "$src" && "$phpize" >/dev/null 2>&1 && ./configure --with-php-config="$php_config" --enable-slotlock \
        --without-slotlock-openssl >configure.log 2>&1 && make -j2 >make.log 2>&1 ) \
        || { say "the build without OpenSSL failed: $(tail -n 5 "$src"/make.log "$src"/configure.log 2>/dev/null)"; return 1; }
    grep -q 'whether slotlock speaks TLS... no' "$src/configure.log" || { say "configure still found TLS"; return 1; }
    if [[ "$(ldd "$src/modules/slotlock.so")" == *libssl* ]]; then
        say "the build without OpenSSL links libssl"
        return 1
    fi
    [[ "$("$PHP" -d "extension=$src/modules/slotlock.so" --ri slotlock)" == *'TLS support (rediss://) => disabled'* ]] \
        || { say "php --ri does not say TLS is disabled"; return 1; }
    "$PHP" -d "extension=$src/modules/slotlock.so" -r '
        foreach (["rediss://127.0.0.1:6380", ["tls" => true]] as $o) {
            try { new SlotLockService($o); echo "accepted\n"; exit(1); }
            catch (ValueError $e) { echo "ValueError: ", $e->getMessage(), "\n"; }
        }' || return 1
}

parts=("$@")
[[ ${#parts[@]} -eq 0 ]] && parts=(topology polyfill race no-openssl)
failed=0
for part in "${parts[@]}"; do
    say "$part"
    t0=$SECONDS
    case "$part" in
        topology) run_topology ;;
        polyfill) run_polyfill ;;
        race) run_race ;;
        no-openssl) run_no_openssl ;;
        *) say "unknown part $part"; false ;;
    esac
    rc=$?
    if [[ $rc -eq 0 ]]; then
        say "$part: passed ($((SECONDS - t0)) s)"
    else
        say "$part: FAILED ($((SECONDS - t0)) s)"
        failed=$((failed + 1))
    fi
done
[[ $failed -eq 0 ]]
