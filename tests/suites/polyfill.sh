#!/usr/bin/env bash
# tests/suites/polyfill.sh: the shared phpt suite (tests/*.phpt) against the PHP polyfill
# (polyfill/, no slotlock.so), tests/polyfill/native_paths.php (what the polyfill sends to servers
# with DELIFEQ, DELEX or no SET NX GET, faked), then tests/polyfill/differential.php (the same calls through
# both give the same results and messages) and the rolling-deploy test tests/polyfill/mixed.php
# (the extension and the polyfill contending for the same slots on one Redis), and the rolling
# upgrade from wire format 1 tests/upgrade/polyfill.php (the 0.1.x polyfill of tests/upgrade/format1
# next to today's polyfill, and the extension when it is built).
#
# Environment: SLOTLOCK_TEST_HOST/PORT/SOCKET (a throw-away redis-server is started when
# SLOTLOCK_TEST_PORT is unset), SLOTLOCK_EXT_SO (default modules/slotlock.so; without it the
# mixed test is skipped unless CI is set), PHP (default php8.2 or php).
# Tests named in tests/polyfill/skip.txt (extension-only behaviour, each with its reason)
# are left out. SLOTLOCK_POLYFILL_KEEP=1 keeps the work dir. Exits non-zero on any failure.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
# shellcheck source=../../scripts/redis.sh
source "$ROOT/scripts/redis.sh"

say() { printf '==> polyfill: %s\n' "$*" >&2; }
die() { printf 'polyfill.sh: %s\n' "$*" >&2; exit 1; }

PHP=${PHP:-$(command -v php8.2 || command -v php)} || die "php not found"
[[ -n "$PHP" ]] || die "php not found"
"$PHP" -r 'exit(extension_loaded("redis") ? 0 : 1);' || die "php-redis (class Redis) is not loaded"
if "$PHP" -r 'exit(extension_loaded("slotlock") ? 0 : 1);'; then
    die "slotlock.so is loaded by php.ini: the polyfill cannot be tested in this php"
fi

if [[ -z "${SLOTLOCK_TEST_PORT:-}" ]]; then
    slotlock_redis_start || die "could not start redis-server"
    say "redis on 127.0.0.1:$SLOTLOCK_TEST_PORT and $SLOTLOCK_TEST_SOCKET"
fi
export SLOTLOCK_TEST_HOST=${SLOTLOCK_TEST_HOST:-127.0.0.1} SLOTLOCK_TEST_PORT SLOTLOCK_TEST_SOCKET=${SLOTLOCK_TEST_SOCKET:-}

failed=0

# ---- 1. the scripts are the wire format's and the extension's, byte for byte -------------
if ! "$PHP" tests/polyfill/check_scripts.php; then
    say "FAIL: the polyfill's Lua scripts differ from docs/WIRE.md or src/sl_scripts.c"
    failed=1
fi

# the one-key native paths against fake servers (Valkey 9, Redis 8.4, Redis 6.2, ACL-refused COMMAND)
if ! "$PHP" tests/polyfill/native_paths.php; then
    say "FAIL: tests/polyfill/native_paths.php"
    failed=1
fi

# ---- 2. the phpt suite against the polyfill ------------------------------------------------
runner=$ROOT/run-tests.php
if [[ ! -f "$runner" ]]; then
    runner=$("$(command -v php-config8.2 || command -v php-config)" --extension-dir 2>/dev/null)/build/run-tests.php
fi
[[ -f "$runner" ]] || die "run-tests.php not found (phpize first: ./dev build)"

work=$(mktemp -d "${TMPDIR:-/tmp}/slotlock-polyfill.XXXXXX")
[[ -n "${SLOTLOCK_POLYFILL_KEEP:-}" ]] && say "work dir: $work" || sl_at_exit "rm -rf '$work'"
# the helpers the tests include
cp tests/*.inc "$work/" 2>/dev/null || true
copied=0 skipped=0
for t in tests/*.phpt; do
    name=$(basename "$t")
    if grep -qE "^[[:space:]]*${name//./\\.}([[:space:]]|$)" tests/polyfill/skip.txt 2>/dev/null; then
        skipped=$((skipped + 1))
        continue
    fi
    # drop "slotlock" from --EXTENSIONS-- (the polyfill stands in for it), keep the others;
    # an --EXTENSIONS-- section left empty is dropped
    "$PHP" -r '
        $src = file_get_contents($argv[1]);
        $out = preg_replace_callback("/^--EXTENSIONS--\r?\n(.*?)(?=^--[A-Z_]+--\r?$)/ms", function ($m) {
            $keep = array_filter(preg_split("/\r?\n/", $m[1]), fn ($l) => trim($l) !== "" && trim($l) !== "slotlock");
            return $keep ? "--EXTENSIONS--\n" . implode("\n", $keep) . "\n" : "";
        }, $src);
        file_put_contents($argv[2], $out);
    ' "$t" "$work/$name"
    copied=$((copied + 1))
done
say "phpt: $copied tests, $skipped skipped by tests/polyfill/skip.txt"

log=$work/run.log
TEST_PHP_EXECUTABLE=$PHP NO_INTERACTION=1 \
    "$PHP" "$runner" -q --show-diff --no-color --no-progress -j1 \
        -d "auto_prepend_file=$ROOT/polyfill/slotlock.php" \
        "$work" >"$log" 2>&1
rc=$?
tr '\r' '\n' <"$log" | sed 's/\x1b\[[0-9;]*m//g' \
    | grep -E '^(PASS|FAIL|SKIP|BORK|LEAK|WARN|XFAIL) .*\[[^]]*\]' >"$work/results" || true
pass=$(grep -cE '^(PASS|XFAIL|WARN) ' "$work/results" || true)
fail=$(grep -cE '^(FAIL|BORK|LEAK) ' "$work/results" || true)
skip=$(grep -cE '^SKIP ' "$work/results" || true)
if [[ $fail -gt 0 ]]; then
    sed -n '/^=====*$/,$p' "$log" | grep -vE '^(PASS|SKIP) ' | head -n 400 >&2
    grep -E '^(FAIL|BORK|LEAK) ' "$work/results" >&2
fi
if [[ $skip -gt 0 ]]; then
    grep -E '^SKIP ' "$work/results" >&2
    if [[ -n "${CI:-}" ]]; then
        say "CI allows no skipped test: $skip counted as failed"
        fail=$((fail + skip))
    fi
fi
say "phpt: $pass passed, $fail failed, $skip skipped"
if [[ $fail -gt 0 || $((pass + fail + skip)) -ne $copied || ( $rc -ne 0 && $fail -eq 0 ) ]]; then
    say "FAIL: phpt against the polyfill (run-tests.php exit $rc)"
    failed=1
fi

# ---- 3. extension and polyfill: same answers, and side by side on one Redis ----------------
so=${SLOTLOCK_EXT_SO:-$ROOT/modules/slotlock.so}
# the rolling upgrade from format 1: the 0.1.x polyfill next to today's (and the extension)
if ! SLOTLOCK_EXT_SO=$([[ -f "$so" ]] && echo "$so") PHP=$PHP "$PHP" tests/upgrade/polyfill.php; then
    say "FAIL: tests/upgrade/polyfill.php"
    failed=1
fi
if [[ -f "$so" ]]; then
    for t in differential mixed; do
        if ! SLOTLOCK_EXT_SO=$so PHP=$PHP "$PHP" "tests/polyfill/$t.php"; then
            say "FAIL: tests/polyfill/$t.php"
            failed=1
        fi
    done
elif [[ -n "${CI:-}" ]]; then
    say "FAIL: $so is missing: the differential and mixed tests cannot run"
    failed=1
else
    say "SKIP differential and mixed tests: $so is missing (./dev build)"
fi

[[ $failed -eq 0 ]] && say "all passed"
exit $failed
