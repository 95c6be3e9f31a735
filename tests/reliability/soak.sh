#!/usr/bin/env bash
# tests/reliability/soak.sh [--long]: the concurrency and memory suites, for soaking.
#
#   (default)  the CI forms: 64 workers x 150 flows, 200000 calls under RSS watch
#   --long     64 workers x 1000 flows (then the naive run), 1000000 calls under RSS watch
#              (about six minutes)
#
# Each suite starts its own redis-server; for other options (--seed=N, --workers=N, --ops=N)
# run tests/reliability/concurrency.php or rss.php directly.
# Environment: SLOTLOCK_EXT_SO (default modules/slotlock.so), PHP. Exits non-zero when a
# suite fails. ./dev soak [--long] is meant to build and then run this.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
say() { printf '==> soak: %s\n' "$*" >&2; }

long=()
for a in "$@"; do
    case "$a" in
        --long) long=(--long) ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) say "unknown argument $a"; exit 2 ;;
    esac
done

PHP=${PHP:-$(command -v php8.2 || command -v php)} || { say "php not found"; exit 1; }
load=()
if ! "$PHP" -r 'exit(extension_loaded("slotlock") ? 0 : 1);'; then
    SO=${SLOTLOCK_EXT_SO:-$ROOT/modules/slotlock.so}
    [[ -f "$SO" ]] || { say "no extension at $SO (./dev build)"; exit 1; }
    export SLOTLOCK_EXT_SO=$SO
    load=(-d "extension=$SO")
fi

rc=0
for s in concurrency rss; do
    say "$s ${long[*]:-}"
    t0=$SECONDS
    if "$PHP" "${load[@]}" "tests/reliability/$s.php" "${long[@]}"; then
        say "$s: passed ($((SECONDS - t0)) s)"
    else
        say "$s: FAILED ($((SECONDS - t0)) s)"
        rc=1
    fi
done
exit $rc
