#!/usr/bin/env bash
# tests/suites/laravel.sh: examples/laravel in a real Laravel app (Debian's
# php-laravel-framework, sqlite, the test Redis), run by tests/laravel/run.php
# twice: with the slotlock extension, and with polyfill/slotlock.php when it
# exists. Installs the Debian packages it needs when they are missing.
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

# ---- with the extension ----------------------------------------------------
SO=${SLOTLOCK_EXT_SO:-$ROOT/modules/slotlock.so}
if "$PHP" -r 'exit(extension_loaded("slotlock") ? 0 : 1);'; then
    say "slotlock is loaded by php.ini: using that one"
    "$PHP" tests/laravel/run.php || rc=1
elif [[ -f "$SO" ]]; then
    SLOTLOCK_EXT_SO=$SO "$PHP" -d "extension=$SO" tests/laravel/run.php || rc=1
else
    say "FAIL: no extension at $SO (./dev build)"
    rc=1
fi

# ---- with the polyfill -----------------------------------------------------
if [[ ! -f polyfill/slotlock.php ]]; then
    say "polyfill/slotlock.php does not exist yet: polyfill run skipped"
elif "$PHP" -r 'exit(extension_loaded("slotlock") ? 0 : 1);'; then
    say "slotlock is loaded by php.ini: polyfill run skipped"
else
    "$PHP" tests/laravel/run.php || rc=1
fi

exit $rc
