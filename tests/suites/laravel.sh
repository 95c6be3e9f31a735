#!/usr/bin/env bash
# tests/suites/laravel.sh: slotlock/laravel (integrations/laravel) and
# slotlock/polyfill (polyfill/) installed by composer, offline, from path
# repositories into a real Laravel app (Debian's php-laravel-framework, sqlite,
# the test Redis), driven through the example handler (examples/laravel):
#   tests/laravel/run.php     with the extension, then with the polyfill: the
#                             booking flow, the race without lock_key, metrics
#   tests/laravel/tls.php     with each: rediss:// / tls:// / ssl options mapped to
#                             slotlock's tls option, booking against a TLS-only Redis
#   tests/laravel/matrix.php  the switch: extension / polyfill / neither x
#                             FEATURE_SLOT_LOCKING unset / auto / true / false
# Installs the Debian packages it needs when they are missing.
#
# Uses SLOTLOCK_TEST_HOST/SLOTLOCK_TEST_PORT (./dev test) or starts its own
# Redis; the module is SLOTLOCK_EXT_SO or modules/slotlock.so.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
say() { printf 'laravel: %s\n' "$*" >&2; }

if [[ ! -f tests/laravel/run.php ]]; then
    say "tests/laravel/ is not here (a PECL tarball ships only this script): nothing to run"
    exit 0
fi

PHP=$(command -v php8.2 || command -v php) || { say "php not found"; exit 1; }

# ---- packages: Laravel, pdo_sqlite, phpredis (Laravel's Redis client) ------
need=()
[[ -f /usr/share/php/Illuminate/autoload.php ]] || need+=(php-laravel-framework)
command -v composer >/dev/null || need+=(composer)
"$PHP" -r 'exit(extension_loaded("pdo_sqlite") ? 0 : 1);' || need+=(php8.2-sqlite3)
"$PHP" -r 'exit(extension_loaded("redis") ? 0 : 1);' || need+=(php-redis)
if [[ ${#need[@]} -gt 0 ]]; then
    say "installing ${need[*]}"
    as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}" >&2; then
        as_root apt-get update >&2
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}" >&2
    fi
fi

# ---- Redis -------------------------------------------------------------
if [[ -z "${SLOTLOCK_TEST_PORT:-}" ]]; then
    # shellcheck disable=SC1091
    source "$ROOT/scripts/redis.sh"
    slotlock_redis_start || { say "could not start redis-server"; exit 1; }
fi
export SLOTLOCK_TEST_HOST=${SLOTLOCK_TEST_HOST:-127.0.0.1} SLOTLOCK_TEST_PORT

rc=0
SO=${SLOTLOCK_EXT_SO:-$ROOT/modules/slotlock.so}
if "$PHP" -r 'exit(extension_loaded("slotlock") ? 0 : 1);'; then
    # (a php with slotlock in php.ini cannot run without it: extension runs only)
    say "slotlock is loaded by php.ini: using that one; the polyfill and no-extension runs need a php without it"
    "$PHP" tests/laravel/run.php || rc=1
    "$PHP" tests/laravel/matrix.php extension || rc=1
    exit $rc
fi
if [[ ! -f "$SO" ]]; then
    say "FAIL: no extension at $SO (./dev build)"
    exit 1
fi
EXT=(-d "extension=$SO")
export SLOTLOCK_EXT_SO=$SO

# ---- the booking flow: with the extension, then with the polyfill ------------
"$PHP" "${EXT[@]}" tests/laravel/run.php || rc=1
"$PHP" tests/laravel/run.php || rc=1

# ---- TLS: the option mapping, and the booking flow against a TLS-only Redis ----------
# (a subshell: the TLS server, its at-exit hooks and its port stay in it; the
# parent's hooks, if any, are not run twice)
(
    unset _SL_AT_EXIT_INIT
    # shellcheck disable=SC1091
    source "$ROOT/scripts/redis.sh"
    # shellcheck disable=SC1091
    source "$ROOT/scripts/tls.sh"
    plain_port=$SLOTLOCK_TEST_PORT
    slotlock_tls_redis_start || { say "could not start a TLS redis-server"; exit 1; }
    export SLOTLOCK_TLS_PORT=$SLOTLOCK_TEST_PORT SLOTLOCK_TLS_CA=$SLOTLOCK_TEST_TLS_DIR/ca.crt
    export SLOTLOCK_TEST_PORT=$plain_port
    trc=0
    "$PHP" "${EXT[@]}" tests/laravel/tls.php || trc=1
    "$PHP" tests/laravel/tls.php || trc=1
    exit $trc
) || rc=1

# ---- the switch --------------------------------------------------------------
"$PHP" "${EXT[@]}" tests/laravel/matrix.php extension || rc=1
"$PHP" tests/laravel/matrix.php polyfill || rc=1
"$PHP" tests/laravel/matrix.php none || rc=1

exit $rc
