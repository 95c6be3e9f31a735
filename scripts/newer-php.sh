#!/usr/bin/env bash
# scripts/newer-php.sh [8.4]: build and test the extension against a PHP that
# Debian 12 does not ship, from Debian's own archive: 8.4 from Debian 13
# (trixie; sid has 8.4 too). Experimental lists php8.5 and php8.6, but neither
# installs (php-common Breaks php8.5-common in both sid and experimental), so
# 8.5 stays checked by reading (README, "PHP versions"). It runs in a
# throw-away root made by .ci/fresh-root.sh (debootstrap minbase, git archive
# HEAD copied in). Inside: phpX-dev, phpX-cli, phpX-redis, hiredis and
# redis-server from that release; phpize + configure + make with ./dev's
# strict warning set (-Werror); then the whole phpt suite (that PHP's
# run-tests.php) on a throw-away Redis. Exits non-zero on a build error or a
# failed test.
#
# SLOTLOCK_STRICT=0 builds with -Wall only (to see past a newer PHP's own
# headers tripping the strict set).
#
# Where Debian has no phpX-redis (the tests read Redis through phpredis) the
# phpt tests that need it are skipped, and the run prints how many.
#
# Not part of CI (each version adds 1-2 minutes and a cached root, and sid and
# experimental move under it); run it by hand, as root, when the Zend glue
# changes. The README says which versions it last passed on.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
v=${1:-8.4}
case "$v" in
    8.4) suite=trixie; extra=; mode=packaged ;;
    8.5|8.6) suite=sid; extra=experimental; mode=forced ;;
    *) echo "usage: $0 [8.4|8.5|8.6]" >&2; exit 2 ;;
esac

# shellcheck disable=SC2016
if [[ "$mode" == packaged ]]; then
inner='set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
v='"$v"' extra='"$extra"'
if [[ -n "$extra" ]]; then
    echo "deb $(sed -n "s/^deb \([^ ]*\) .*/\1/p" /etc/apt/sources.list | head -n1) $extra main" >>/etc/apt/sources.list
fi
# a mirror snapshot of sid or experimental may be past its Valid-Until
apt-get update -qq -o Acquire::Check-Valid-Until=false
apt-get install -y -qq libhiredis-dev pkg-config redis-server >/dev/null
apt-get install -y -qq ${extra:+-t "$extra"} "php$v-dev" "php$v-cli" >/dev/null
# phpredis (the tests read Redis with it) is packaged for 8.4 only so far: without
# it the tests that need it are skipped, and the run says how many
apt-get install -y -qq ${extra:+-t "$extra"} "php$v-redis" >/dev/null 2>&1 \
    || echo "==> newer-php: no php$v-redis in Debian: the phpt tests that need the redis extension will be skipped"
php$v --version | head -n1
dpkg-query -W -f="\${Package} \${Version}\n" libhiredis-dev redis-server
phpize=phpize$v phpconfig=php-config$v php=php$v
'
else
# experimental's php8.5 packages Depend on php-common, which Breaks them in both
# sid and experimental (a packaging transition): apt refuses, so their
# dependencies come from sid through apt and the php8.5 packages themselves
# through dpkg --force-breaks, in this throw-away root only
inner='set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
v='"$v"'
echo "deb $(sed -n "s/^deb \([^ ]*\) .*/\1/p" /etc/apt/sources.list | head -n1) experimental main" >>/etc/apt/sources.list
apt-get update -qq -o Acquire::Check-Valid-Until=false
mkdir -p /tmp/debs && cd /tmp/debs
apt-get download -qq "php$v-cli/experimental" "php$v-common/experimental" "php$v-dev/experimental" "php$v-readline/experimental"
deps=$(for d in *.deb; do dpkg-deb -f "$d" Depends; done | tr "," "\n" | sed "s/^ //; s/ (.*//; s/ |.*//" | grep -v "^php$v" | sort -u)
apt-get install -y -qq $deps gcc make libhiredis-dev redis-server >/dev/null
dpkg -i --force-breaks *.deb >/dev/null
cd /work/slotlock
php$v --version | head -n1
dpkg-query -W -f="\${Package} \${Version}\n" "php$v-dev" libhiredis-dev redis-server
echo "==> newer-php: no php$v-redis in Debian: the phpt tests that need the redis extension will be skipped"
phpize=phpize$v phpconfig=php-config$v php=php$v
'
fi
# the build and the tests, for both
# shellcheck disable=SC2016
inner+='
strict=$(sed -n "/^STRICT_CFLAGS=\"/,/\"$/p" dev | tr -d "\"\\\\" | sed "s/^STRICT_CFLAGS=//" | tr "\n" " ")
[[ "'"${SLOTLOCK_STRICT:-1}"'" == 0 ]] && strict="-Wall"
"$phpize" >/dev/null
./configure -q --with-php-config="$(command -v "$phpconfig")" --enable-slotlock
echo "==> newer-php: make CFLAGS=-g -O2 $strict"
make -s -j2 CFLAGS="-g -O2 $strict" 2>&1 | grep -vE "^(libtool|-|Libraries|If you|in a given|specify|flag during|   -|See any|more information|$)" || true
[[ -f modules/slotlock.so ]] || { echo "==> newer-php: PHP $v: BUILD FAILED"; exit 1; }
$php -d extension=$PWD/modules/slotlock.so --ri slotlock | sed -n "1,6p"
source scripts/redis.sh
slotlock_redis_start
export SLOTLOCK_TEST_HOST SLOTLOCK_TEST_PORT SLOTLOCK_TEST_SOCKET SLOTLOCK_TEST_REDIS_PID
export SLOTLOCK_EXT_SO=$PWD/modules/slotlock.so
TEST_PHP_EXECUTABLE=$(command -v $php) NO_INTERACTION=1 $php run-tests.php -q \
    -d extension=$PWD/modules/slotlock.so --show-diff --no-color --no-progress -j2 tests/ >/tmp/phpt.log 2>&1 || true
grep -E "^(FAIL|BORK|LEAK)|^Tests (passed|failed|skipped)" /tmp/phpt.log || true
echo "==> newer-php: skipped: $(grep -c "^SKIP" /tmp/phpt.log || true) ($(grep "^SKIP" /tmp/phpt.log | grep -o "reason: .*" | sort | uniq -c | sort -rn | head -n 3 | tr -s " " | tr "\n" ";"))"
if grep -qE "^Tests failed +: +0 " /tmp/phpt.log && grep -qE "^Tests passed +: +[1-9]" /tmp/phpt.log; then
    echo "==> newer-php: PHP $v: built (CFLAGS -g -O2 $strict), phpt passed"
else
    sed -n "/^=====.*FAILED TEST SUMMARY/,/^=====/p" /tmp/phpt.log
    grep -B2 -A30 "^FAIL" /tmp/phpt.log | head -n 80
    echo "==> newer-php: PHP $v: phpt FAILED"
    exit 1
fi'

SLOTLOCK_CI_SUITE=$suite exec bash "$ROOT/.ci/fresh-root.sh" -- "$inner"
