#!/usr/bin/env bash
# scripts/package-check.sh: is the PECL package whole, and does it install?
#
#   1. every shipped file (see scripts/package-xml.php) is in package.xml with
#      the right role, and package.xml names no missing file;
#   2. config.w32 builds the same core files as config.m4, and
#      PHP_SLOTLOCK_VERSION in php_slotlock.h (SL_VERSION, the one source of the
#      version) is package.xml's release version; composer.json (PIE) is valid
#      (`composer validate --strict`) and names the options config.m4 has;
#   3. `pecl package` in a temp copy of exactly the listed files, its
#      package.xml dated today, makes slotlock-<version>.tgz with no warning
#      (copied to --out DIR when given);
#   4. when CI is set or SLOTLOCK_PECL_INSTALL=1: `pecl install --offline` of
#      that tarball (pecl runs phpize/configure/make itself) with a private PEAR
#      config whose ext_dir and registry are in a temp dir (the system is left
#      alone), then `php --ri slotlock` with the installed module must print
#      the version and no startup warning.
#
# usage: scripts/package-check.sh [--out DIR]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PHP=$(command -v php8.2 || command -v php)
OUT=
while [[ $# -gt 0 ]]; do
    case "$1" in
        --out) OUT=$2; shift 2 ;;
        *) echo "usage: $0 [--out DIR]" >&2; exit 2 ;;
    esac
done

fail=0
problem() { echo "package-check: $*" >&2; fail=1; }

# 1. package.xml <contents> against the files in git
"$PHP" scripts/package-xml.php --check || fail=1

# 2a. config.w32 core list == config.m4 SLOTLOCK_CORE
m4_core=$(sed -n 's/^[[:space:]]*SLOTLOCK_CORE="\(.*\)".*/\1/p' config.m4 | tr ' ' '\n' | sed 's#^src/##' | grep . | sort)
w32_core=$(sed -n 's/^[[:space:]]*var slotlock_core = "\(.*\)".*/\1/p' config.w32 | tr ' ' '\n' | grep . | sort)
if [[ "$m4_core" != "$w32_core" ]]; then
    problem "config.w32's slotlock_core differs from config.m4's SLOTLOCK_CORE:"
    diff <(echo "$m4_core") <(echo "$w32_core") >&2 || true
fi
m4_ext=$(sed -n 's/.*\[\(slotlock\.c [^]$]*\).*/\1/p' config.m4 | head -n1 | tr ' ' '\n' | grep . | sort)
w32_ext=$(sed -n 's/.*EXTENSION("slotlock", "\([^"]*\)".*/\1/p' config.w32 | head -n1 | tr ' ' '\n' | grep . | sort)
if [[ -z "$m4_ext" || "$m4_ext" != "$w32_ext" ]]; then
    problem "config.w32's EXTENSION(\"slotlock\", ...) files differ from config.m4's PHP_NEW_EXTENSION:"
    diff <(echo "$m4_ext") <(echo "$w32_ext") >&2 || true
fi

# 2b. version
version=$("$PHP" -r '$x = simplexml_load_file($argv[1]); echo $x->version->release;' package.xml)
[[ -n "$version" ]] || problem "no <version><release> in package.xml"
# PHP_SLOTLOCK_VERSION may be defined through another macro (e.g. SL_VERSION
# in src/): follow the chain through php_slotlock.h and src/*.h.
macro_value() {
    sed -n "s/^#[[:space:]]*define[[:space:]]\{1,\}$1[[:space:]]\{1,\}\(.*\)/\1/p" \
        php_slotlock.h src/*.h 2>/dev/null | head -n1 | sed 's#[[:space:]]*/[*/].*##; s/[[:space:]]*$//'
}
if [[ -f php_slotlock.h ]]; then
    hversion=$(macro_value PHP_SLOTLOCK_VERSION)
    for _ in 1 2 3; do
        [[ "$hversion" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || break
        hversion=$(macro_value "$hversion")
    done
    hversion=${hversion#\"}; hversion=${hversion%\"}
    if [[ "$hversion" != "$version" ]]; then
        problem "PHP_SLOTLOCK_VERSION in php_slotlock.h is \"$hversion\", package.xml says \"$version\""
    fi
fi

# 2c. composer.json, the package PIE installs: `composer validate --strict`,
# then its php-ext section against PIE's rules and config.m4's options
composer_validate() {
    COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_HOME=$chome composer validate --strict --no-interaction "$@" 2>&1
}
if [[ ! -f composer.json ]]; then
    problem "composer.json (PIE) is missing"
elif ! command -v composer >/dev/null; then
    problem "composer is not installed (./dev deps)"
else
    chome=$(mktemp -d "${TMPDIR:-/tmp}/slotlock-composer.XXXXXX")
    if out=$(composer_validate composer.json); then
        echo "package-check: composer validate --strict: ok"
    elif grep -q 'The property php-ext is not defined' <<<"$out" \
            && ! grep -E '^- ' <<<"$out" | grep -vq 'The property php-ext is not defined'; then
        # Composer learnt php-ext in 2.7; Debian 12's is older and rejects the
        # key as unknown, and nothing else: validate the rest strictly on a copy
        # without it (scripts/composer-check.php checks php-ext itself)
        "$PHP" -r '$j = json_decode(file_get_contents($argv[1]), true); unset($j["php-ext"]);
            file_put_contents($argv[2], json_encode($j, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES));' \
            composer.json "$chome/composer.json"
        if out2=$(composer_validate "$chome/composer.json"); then
            echo "package-check: composer validate --strict: ok but for php-ext, which composer" \
                 "$(COMPOSER_ALLOW_SUPERUSER=1 composer --version 2>/dev/null | awk '{print $3}') does not know (2.7+ does)"
        else
            echo "$out2" >&2
            problem "composer validate --strict failed"
        fi
    else
        echo "$out" >&2
        problem "composer validate --strict failed"
    fi
    rm -rf "$chome"
    "$PHP" scripts/composer-check.php || fail=1
fi

if [[ $fail -ne 0 ]]; then
    echo "package-check: FAILED before packaging" >&2
    exit 1
fi

# 3. pecl package in a temp copy
tmp=$(mktemp -d "${TMPDIR:-/tmp}/slotlock-pkg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src"
"$PHP" scripts/package-xml.php --list | while read -r _role path; do
    mkdir -p "$tmp/src/$(dirname "$path")"
    cp -p "$path" "$tmp/src/$path"
done
cp package.xml "$tmp/src/"
# dated today (the day it is packaged), version from src/sl_common.h
"$PHP" scripts/package-xml.php --stamp "$tmp/src/package.xml" >/dev/null
tgz=slotlock-$version.tgz
if ! (cd "$tmp/src" && pecl package package.xml) >"$tmp/package.log" 2>&1; then
    cat "$tmp/package.log" >&2
    echo "package-check: pecl package failed" >&2
    exit 1
fi
cat "$tmp/package.log"
if grep -qiE '^(error|warning)' "$tmp/package.log"; then
    echo "package-check: pecl package printed warnings or errors" >&2
    exit 1
fi
[[ -f "$tmp/src/$tgz" ]] || { echo "package-check: pecl package did not make $tgz" >&2; exit 1; }
if [[ -n "$OUT" ]]; then
    cp "$tmp/src/$tgz" "$OUT/"
    echo "package-check: wrote $OUT/$tgz"
fi

# 4. pecl install into a staging root
want_install=${SLOTLOCK_PECL_INSTALL:-}
[[ -z "$want_install" && -n "${CI:-}" ]] && want_install=1
if [[ "$want_install" != 1 ]]; then
    echo "package-check: ok (pecl install skipped; CI or SLOTLOCK_PECL_INSTALL=1 runs it)"
    exit 0
fi

# A private PEAR config (registry, temp and download dirs under $tmp). pecl
# installs the module where `php-config --extension-dir` says (and looks for it
# under `php-config --prefix`); pecl puts its bin_dir first in PATH, so a
# php-config there that answers $tmp and $tmp/ext keeps the system's extension
# dir untouched. (`pecl install -P` cannot build extensions.)
pear -c "$tmp/pear.conf" config-create "$tmp/root" "$tmp/pear.conf" >/dev/null
for kv in "temp_dir $tmp/pear-temp" "download_dir $tmp/pear-download" \
          "cache_dir $tmp/pear-cache" "bin_dir $tmp/bin"; do
    # shellcheck disable=SC2086
    pear -c "$tmp/pear.conf" config-set $kv >/dev/null
done
mkdir -p "$tmp/bin" "$tmp/ext"
php_config=$(command -v php-config8.2 || command -v php-config)
phpize=$(command -v phpize8.2 || command -v phpize)
cat >"$tmp/bin/php-config" <<EOS
#!/bin/sh
case "\$1" in
    --prefix) echo "$tmp" ;;
    --extension-dir) echo "$tmp/ext" ;;
    *) exec "$php_config" "\$@" ;;
esac
EOS
printf '#!/bin/sh\nexec "%s" "$@"\n' "$phpize" >"$tmp/bin/phpize"
chmod +x "$tmp/bin/php-config" "$tmp/bin/phpize"

if ! pecl -c "$tmp/pear.conf" install -f --offline -D 'with-hiredis-dir="no"' "$tmp/src/$tgz" \
        </dev/null >"$tmp/install.log" 2>&1; then
    tail -n 60 "$tmp/install.log" >&2
    echo "package-check: pecl install failed" >&2
    exit 1
fi
if grep -qE '^(PHP )?(Warning|Deprecated|Notice)|^WARNING' "$tmp/install.log"; then
    grep -E '^(PHP )?(Warning|Deprecated|Notice)|^WARNING' "$tmp/install.log" >&2
    echo "package-check: pecl install printed warnings" >&2
    exit 1
fi
so=$tmp/ext/slotlock.so
if [[ ! -f "$so" ]]; then
    tail -n 60 "$tmp/install.log" >&2
    echo "package-check: pecl install did not install slotlock.so" >&2
    exit 1
fi
echo "package-check: pecl install built $so"

ri=$("$PHP" -d "extension=$so" --ri slotlock 2>&1) || { echo "$ri" >&2; echo "package-check: php --ri slotlock failed" >&2; exit 1; }
echo "$ri"
if grep -qE '^(PHP )?(Warning|Deprecated|Notice|Fatal error|Parse error)|Startup' <<<"$ri"; then
    echo "package-check: php --ri slotlock printed a warning" >&2
    exit 1
fi
if ! grep -qF "$version" <<<"$ri"; then
    echo "package-check: php --ri slotlock does not show version $version" >&2
    exit 1
fi
echo "package-check: ok ($tgz installs and loads)"
