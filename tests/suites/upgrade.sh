#!/usr/bin/env bash
# tests/suites/upgrade.sh: the rolling upgrade from wire format 1 (slotlock 0.1.x) to
# format 2, both directions, with the real old extension.
#
# Builds slotlock at V1_COMMIT (the last format-1 commit; `git archive` of this
# repository's history, so it needs a clone with history, as CI has) in a temp dir, then
# on one Redis runs tests/upgrade/rolling.php under both builds:
#
#   1. format 1 writes (hold, booked marker, compound); format 2 meets them: held,
#      never overwritten or deleted, byte for byte unchanged
#   2. format 2 writes; format 1 meets them: held (its HMGET gets WRONGTYPE, which 0.1.x
#      treats as another owner's hold), never touched
#   3. 6 processes of each version race for 40 slots with acquire + commit:
#      no slot is booked twice
#
# The format-1 build is cached in $SLOTLOCK_V1_CACHE (default /tmp/slotlock-v1-<commit>)
# across runs. Environment: SLOTLOCK_EXT_SO (default modules/slotlock.so),
# SLOTLOCK_TEST_HOST/PORT (a throw-away redis-server is started when unset), PHP.
# About 60 s the first time (the build), 5 s after. Exit 0 = pass.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
V1_COMMIT=dd093ad
PHP=${PHP:-$(command -v php8.2 || command -v php)}
EXT=${SLOTLOCK_EXT_SO:-$ROOT/modules/slotlock.so}
CACHE=${SLOTLOCK_V1_CACHE:-/tmp/slotlock-v1-$V1_COMMIT}

[[ -f "$EXT" ]] || { echo "upgrade: $EXT not built (./dev build)" >&2; exit 1; }
if ! git -C "$ROOT" cat-file -e "$V1_COMMIT^{commit}" 2>/dev/null; then
    echo "upgrade: commit $V1_COMMIT (format 1) is not in this checkout; a clone with history is needed" >&2
    exit 1
fi

# ---- the format-1 extension ---------------------------------------------------------------
if [[ ! -f "$CACHE/modules/slotlock.so" ]]; then
    echo "==> upgrade: building slotlock at $V1_COMMIT (format 1) in $CACHE"
    rm -rf "$CACHE"
    mkdir -p "$CACHE"
    git -C "$ROOT" archive "$V1_COMMIT" | tar -x -C "$CACHE"
    (cd "$CACHE" && phpize >/dev/null && ./configure --quiet >/dev/null && make -s -j2 >/dev/null 2>&1) || {
        echo "upgrade: building the format-1 extension failed" >&2
        rm -rf "$CACHE"
        exit 1
    }
fi
V1="$CACHE/modules/slotlock.so"

# ---- a Redis ------------------------------------------------------------------------------
if [[ -z "${SLOTLOCK_TEST_PORT:-}" ]]; then
    # shellcheck source=../../scripts/redis.sh
    source "$ROOT/scripts/redis.sh"
    slotlock_redis_start
fi
HOST=${SLOTLOCK_TEST_HOST:-127.0.0.1}
PORT=$SLOTLOCK_TEST_PORT
PREFIX="slupgrade_$$_$RANDOM"

run() { # run VERSION PHASE [args]
    local so=$EXT
    [[ "$1" == v1 ]] && so=$V1
    "$PHP" -d "extension=$so" "$ROOT/tests/upgrade/rolling.php" "$2" "$HOST" "$PORT" "$PREFIX" "${@:3}"
}

fail=0
out=$(run v1 v1-write) || fail=1; echo "$out"
grep -q '^wire format 1$' <<<"$out" || { echo "FAIL the old build does not speak format 1"; fail=1; }
out=$(run v2 v2-meets) || fail=1; echo "$out"
grep -q '^wire format 2$' <<<"$out" || { echo "FAIL the new build does not speak format 2"; fail=1; }
out=$(run v2 v2-write) || fail=1; echo "$out"
out=$(run v1 v1-meets) || fail=1; echo "$out"

tmp=$(mktemp -d)
pids=()
start=$("$PHP" -r 'echo microtime(true) + 1.5;')
for i in 1 2 3 4 5 6; do
    run v1 race 40 "$start" >"$tmp/v1-$i" 2>&1 &
    pids+=($!)
    run v2 race 40 "$start" >"$tmp/v2-$i" 2>&1 &
    pids+=($!)
done
wait "${pids[@]}" || true   # not a bare wait: the redis-server started above is a child too
cat "$tmp"/v1-* | grep '^won ' >"$tmp/won-v1" || true
cat "$tmp"/v2-* | grep '^won ' >"$tmp/won-v2" || true
wins=$(cat "$tmp/won-v1" "$tmp/won-v2" | wc -l)
twice=$(cat "$tmp/won-v1" "$tmp/won-v2" | sort | uniq -d | wc -l)
v1wins=$(wc -l <"$tmp/won-v1")
v2wins=$(wc -l <"$tmp/won-v2")
errors=$( (cat "$tmp"/v1-* "$tmp"/v2-* | grep -v -e '^won ' -e '^wire format' || true) | head -3)
rm -rf "$tmp"
if [[ "$twice" -eq 0 && "$wins" -ge 1 && "$wins" -le 40 && -z "$errors" ]]; then
    echo "PASS race, 6 format-1 and 6 format-2 processes on 40 slots: $wins bookings ($v1wins by format 1, $v2wins by format 2), none twice"
else
    echo "FAIL race: $wins bookings, $twice slots booked twice; $errors"
    fail=1
fi

if (( fail )); then
    exit 1
fi
echo "upgrade: format 1 <-> format 2 on one Redis: every check passed"
