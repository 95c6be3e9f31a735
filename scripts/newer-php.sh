#!/usr/bin/env bash
# scripts/newer-php.sh [SUITE]: build and test the extension against the newest
# PHP another Debian release ships (default: trixie, PHP 8.4), in a throw-away
# root made by .ci/fresh-root.sh (debootstrap minbase of SUITE, git archive HEAD
# copied in). Inside: install phpX-dev, phpX-cli, phpX-redis, hiredis and
# redis-server from SUITE; phpize + configure + make with ./dev's strict
# warning set (-Werror); then the whole phpt suite (run-tests.php of that PHP)
# on a throw-away Redis. Not part of CI (it adds ~3 minutes and a second
# cached root); run it by hand, as root, when the Zend glue changes.
#
# Debian 12 ships only PHP 8.2, so this is how 8.4 (trixie) is built and tested
# here; PHP 8.3 and 8.5 are checked by reading UPGRADING.INTERNALS (README).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
suite=${1:-trixie}

# shellcheck disable=SC2016
inner='set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
v=$(apt-cache search --names-only "^php8\.[0-9]+-dev$" | cut -d" " -f1 | sort -V | tail -n1 | sed "s/^php//; s/-dev$//")
[[ -n "$v" ]] || { echo "newer-php: no php8.x-dev in this release" >&2; exit 1; }
echo "==> newer-php: PHP $v"
apt-get install -y -qq "php$v-dev" "php$v-cli" "php$v-redis" libhiredis-dev pkg-config redis-server >/dev/null
php$v --version
dpkg-query -W -f="\${Package} \${Version}\n" libhiredis-dev
strict=$(sed -n "/^STRICT_CFLAGS=\"/,/\"$/p" dev | tr -d "\"\\\\" | sed "s/^STRICT_CFLAGS=//" | tr "\n" " ")
"phpize$v" >/dev/null
./configure -q --with-php-config="php-config$v" --enable-slotlock
echo "==> newer-php: make CFLAGS=-g -O2 $strict"
make -s -j2 CFLAGS="-g -O2 $strict"
php$v -d extension=$PWD/modules/slotlock.so --ri slotlock | sed -n "1,6p"
source scripts/redis.sh
slotlock_redis_start
export SLOTLOCK_TEST_HOST SLOTLOCK_TEST_PORT SLOTLOCK_TEST_SOCKET SLOTLOCK_TEST_REDIS_PID
export SLOTLOCK_EXT_SO=$PWD/modules/slotlock.so
TEST_PHP_EXECUTABLE=$(command -v php$v) NO_INTERACTION=1 php$v run-tests.php -q \
    -d extension=$PWD/modules/slotlock.so --show-diff --no-color --no-progress -j2 tests/ 2>&1 \
    | tee /tmp/phpt.log | grep -E "^(FAIL|SKIP|BORK|LEAK)|^Tests (passed|failed|skipped)" || true
grep -qE "^Tests failed +: +0 " /tmp/phpt.log'

SLOTLOCK_CI_SUITE=$suite exec bash "$ROOT/.ci/fresh-root.sh" -- "$inner"
