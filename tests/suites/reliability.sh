#!/usr/bin/env bash
# tests/suites/reliability.sh: the reliability and security suites of tests/reliability/,
# short forms (about two minutes in all):
#
#   concurrency.php  64 forked workers booking 1000 contested slots: no double booking,
#                    no lock left behind, beside the double-booking rate of the naive flow
#   faults.php       redis-server down, SIGKILLed, SIGSTOPped, restarted, SCRIPT FLUSH,
#                    CLIENT KILL, OOM, passwords, lost replies, signals: bounded, typed, no stray lock
#   processes.php    fork with a live connection, an FPM-like request loop, requests that die
#   bad_input.php    every method and option against a matrix of hostile values (in children)
#   rss.php          RSS and Zend heap flat over 200000 calls
#   security.php     the README's ACL line, owner checks, secrets, generated owner tokens
#
# Each is `php -d extension=$SLOTLOCK_EXT_SO tests/reliability/<suite>.php`, prints PASS/FAIL
# lines and exits non-zero on a failure. Private redis-servers are started by the suites on
# free loopback ports; bad_input.php uses SLOTLOCK_TEST_HOST/PORT when set.
#
#   bash tests/suites/reliability.sh [suite ...]     e.g. `... faults security`
# Environment: SLOTLOCK_EXT_SO (default modules/slotlock.so), PHP (default php8.2 or php).
# The long forms: tests/reliability/soak.sh --long.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
say() { printf '==> reliability: %s\n' "$*" >&2; }

if [[ ! -d tests/reliability ]]; then
    say "tests/reliability/ is not here (a PECL tarball ships only this script): nothing to run"
    exit 0
fi
PHP=${PHP:-$(command -v php8.2 || command -v php)} || { say "php not found"; exit 1; }
command -v redis-server >/dev/null || { say "FAIL: redis-server not found (./dev deps)"; exit 1; }
for ext in redis pcntl posix; do
    "$PHP" -r "exit(extension_loaded('$ext') ? 0 : 1);" || { say "FAIL: the PHP extension $ext is missing (./dev deps)"; exit 1; }
done

load=()
if "$PHP" -r 'exit(extension_loaded("slotlock") ? 0 : 1);'; then
    say "slotlock is loaded by php.ini: using that one"
else
    SO=${SLOTLOCK_EXT_SO:-$ROOT/modules/slotlock.so}
    [[ -f "$SO" ]] || { say "FAIL: no extension at $SO (./dev build)"; exit 1; }
    export SLOTLOCK_EXT_SO=$SO
    load=(-d "extension=$SO")
fi

# suite and its time limit (seconds): a hung suite is killed and counts as failed
declare -A LIMIT=([concurrency]=240 [faults]=180 [processes]=120 [bad_input]=180 [rss]=180 [security]=180)
suites=("$@")
[[ ${#suites[@]} -eq 0 ]] && suites=(concurrency faults processes bad_input rss security)

passed=0
failed=0
failed_names=()
for s in "${suites[@]}"; do
    s=${s%.php}
    if [[ ! -f "tests/reliability/$s.php" ]]; then
        say "no tests/reliability/$s.php"
        failed=$((failed + 1)); failed_names+=("$s")
        continue
    fi
    say "$s"
    t0=$SECONDS
    timeout --kill-after=10 "${LIMIT[$s]:-300}" "$PHP" "${load[@]}" "tests/reliability/$s.php"
    rc=$?
    if [[ $rc -eq 0 ]]; then
        passed=$((passed + 1))
        say "$s: passed ($((SECONDS - t0)) s)"
    else
        failed=$((failed + 1)); failed_names+=("$s")
        [[ $rc -eq 124 || $rc -eq 137 ]] && say "$s: killed after ${LIMIT[$s]:-300} s"
        say "$s: FAILED (exit $rc, $((SECONDS - t0)) s)"
    fi
done
say "$passed suites passed, $failed failed${failed_names:+: ${failed_names[*]}}"
[[ $failed -eq 0 ]]
