# shellcheck shell=bash
# scripts/tls.sh: a throw-away CA, certificates and a TLS redis-server for tests and benchmarks.
#
# Source it (after scripts/redis.sh) or run it: `bash scripts/tls.sh certs DIR` writes into DIR
#   ca.crt ca.key              the test CA
#   server.crt server.key      localhost + 127.0.0.1, signed by the CA (also a client certificate:
#                              cluster nodes and replicas present it to each other)
#   client.crt client.key      a client certificate signed by the CA
#   client-enc.key             the same client key, encrypted with the passphrase "client-pass"
#   other-ca.crt other.crt other.key   a server certificate from a CA nobody trusts
#   wrong-name.crt wrong-name.key      signed by the CA, but for wrong.example only
#   expired.crt expired.key            signed by the CA, valid only in January 2020
# (EC P-256 keys: quick to make). slotlock_tls_redis_start then starts redis-server with TLS
# only on a free port (--port 0) and exports, besides what scripts/redis.sh exports,
#   SLOTLOCK_TEST_TLS=1  SLOTLOCK_TEST_TLS_DIR=<certs dir>  SLOTLOCK_TEST_PORT=<the TLS port>

_sl_tls_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# _sl_tls_sign DIR NAME CN SAN EXT_USAGE CA: NAME.key + NAME.crt signed by CA (ca or other-ca)
_sl_tls_sign() {
    local dir=$1 name=$2 cn=$3 san=$4 usage=$5 ca=$6
    _sl_tls_key "$dir/$name.key" || return 1
    openssl req -new -key "$dir/$name.key" -subj "/CN=$cn" -out "$dir/$name.csr" 2>/dev/null || return 1
    printf 'subjectAltName=%s\nextendedKeyUsage=%s\n' "$san" "$usage" >"$dir/$name.ext"
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/$ca.crt" -CAkey "$dir/$ca.key" -CAcreateserial \
        -days 30 -sha256 -extfile "$dir/$name.ext" -out "$dir/$name.crt" 2>/dev/null || return 1
}

# slotlock_tls_certs DIR: every file listed above (kept when DIR/ready exists)
slotlock_tls_certs() {
    local dir=$1 n
    [[ -f "$dir/ready" ]] && return 0
    mkdir -p "$dir" && chmod 700 "$dir" || return 1
    for n in ca other-ca; do
        _sl_tls_key "$dir/$n.key" || return 1
        openssl req -x509 -new -key "$dir/$n.key" -subj "/CN=slotlock test $n" -days 30 -sha256 \
            -out "$dir/$n.crt" 2>/dev/null || return 1
    done
    _sl_tls_sign "$dir" server localhost 'DNS:localhost,IP:127.0.0.1' serverAuth,clientAuth ca || return 1
    _sl_tls_sign "$dir" client slotlock-client 'DNS:slotlock-client' clientAuth ca || return 1
    _sl_tls_sign "$dir" other localhost 'DNS:localhost,IP:127.0.0.1' serverAuth other-ca || return 1
    _sl_tls_sign "$dir" wrong-name wrong.example 'DNS:wrong.example' serverAuth ca || return 1
    openssl pkey -in "$dir/client.key" -aes256 -passout pass:client-pass -out "$dir/client-enc.key" 2>/dev/null \
        || return 1
    # x509 -days cannot go back in time: `openssl ca` takes explicit dates.
    mkdir -p "$dir/ca-db" && : >"$dir/ca-db/index.txt" && echo 1000 >"$dir/ca-db/serial"
    cat >"$dir/ca.cnf" <<EOF
[ca]
default_ca = test
[test]
database = $dir/ca-db/index.txt
new_certs_dir = $dir/ca-db
serial = $dir/ca-db/serial
default_md = sha256
policy = any
copy_extensions = copy
[any]
commonName = supplied
EOF
    _sl_tls_key "$dir/expired.key" || return 1
    openssl req -new -key "$dir/expired.key" -subj "/CN=localhost" -out "$dir/expired.csr" 2>/dev/null || return 1
    openssl ca -batch -config "$dir/ca.cnf" -cert "$dir/ca.crt" -keyfile "$dir/ca.key" -notext \
        -startdate 20200101000000Z -enddate 20200201000000Z -extfile "$dir/server.ext" \
        -in "$dir/expired.csr" -out "$dir/expired.crt" 2>/dev/null || return 1
    chmod 600 "$dir"/*.key
    touch "$dir/ready"
}

# slotlock_tls_server_args DIR [CERT] [AUTH]: redis-server arguments for TLS with DIR's
# certificates (CERT: server, other, wrong-name or expired; AUTH: tls-auth-clients no|optional|yes)
slotlock_tls_server_args() {
    local dir=$1 cert=${2:-server} auth=${3:-optional}
    printf '%s\n' --tls-cert-file "$dir/$cert.crt" --tls-key-file "$dir/$cert.key" \
        --tls-ca-cert-file "$dir/ca.crt" --tls-auth-clients "$auth"
}

# slotlock_tls_redis_start [extra redis-server args...]: the server of the TLS test phase
slotlock_tls_redis_start() {
    local dir=${SLOTLOCK_TEST_TLS_DIR:-} port args
    if [[ -z "$dir" ]]; then
        dir=$(mktemp -d "${TMPDIR:-/tmp}/slotlock-tls.XXXXXX") || return 1
        sl_at_exit "rm -rf '$dir'"
    fi
    slotlock_tls_certs "$dir" || { echo "tls.sh: could not make the test certificates" >&2; return 1; }
    mapfile -t args < <(slotlock_tls_server_args "$dir")
    for (( try=0; try<20; try++ )); do
        port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40001 ))
        _sl_port_busy "$port" && continue
        # scripts/redis.sh answers PING on the unix socket; the TCP side is TLS only.
        if slotlock_redis_start --tls-port "$port" "${args[@]}" "$@" --port 0; then
            export SLOTLOCK_TEST_PORT=$port SLOTLOCK_TEST_TLS=1 SLOTLOCK_TEST_TLS_DIR=$dir
            return 0
        fi
    done
    return 1
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    case "${1:-}" in
        certs) slotlock_tls_certs "${2:?usage: tls.sh certs DIR}" ;;
        *) echo "usage: bash scripts/tls.sh certs DIR" >&2; exit 2 ;;
    esac
fi
