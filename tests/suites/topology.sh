#!/usr/bin/env bash
# tests/suites/topology.sh: slotlock beyond one Redis. Starts each topology in turn with
# scripts/topology.sh (free loopback ports, temp dirs), runs its scenario
# tests/topology/<mode>.php against it, and stops it:
#
#   cluster   3-master Redis Cluster: hash-tagged keys on the right master, every operation
#             for 50 companies, activeLocks(), MOVED and ASK, credentials, a 16 x 100 race
#   cluster_failover  3 masters + 3 replicas: wait_replicas, a master killed (replica takes
#             over), a race after, the old master rejoins, a master frozen and thawed
#   sentinel  master + replica + 3 sentinels: discovery, wait_replicas, SENTINEL FAILOVER and
#             a frozen master (re-discovery, split brain right after), a race
#   quorum    3 independent masters: keys on all 3, a race, one master frozen, two down (no
#             partial hold left), both back, fences
#
# Environment: SLOTLOCK_EXT_SO (default modules/slotlock.so), PHP (default php8.2 or php),
# SLOTLOCK_TOPOLOGY_ONLY="cluster quorum" to run some. Skipped (exit 0) when the module has
# no SlotLockService::topology(). Exits non-zero when a scenario failed. About 2 minutes;
# each scenario is killed after its time limit, the whole suite stays under 4 minutes.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
# shellcheck source=scripts/topology.sh
source "$ROOT/scripts/topology.sh"

say() { printf '==> topology: %s\n' "$*" >&2; }
die() { printf 'topology.sh: %s\n' "$*" >&2; exit 1; }

PHP=${PHP:-$(command -v php8.2 || command -v php)} || die "php not found"
[[ -n "$PHP" ]] || die "php not found"
so=${SLOTLOCK_EXT_SO:-$ROOT/modules/slotlock.so}
if [[ ! -f "$so" ]]; then
    [[ -n "${CI:-}" ]] && die "$so is missing (./dev build)"
    say "SKIP: $so is missing (./dev build)"
    exit 0
fi
for ext in redis pcntl posix; do
    "$PHP" -r "exit(extension_loaded('$ext') ? 0 : 1);" || die "php needs the $ext extension (./dev deps)"
done
for bin in redis-server redis-cli; do
    command -v "$bin" >/dev/null || die "$bin missing (./dev deps)"
done
if ! "$PHP" -d "extension=$so" -r 'exit(method_exists("SlotLockService", "topology") ? 0 : 1);'; then
    say "SKIP: $so has no SlotLockService::topology() (no cluster/sentinel/quorum support)"
    exit 0
fi

# a private copy: a rebuild during the run cannot pull the module from under the scenarios
work=$(mktemp -d "${TMPDIR:-/tmp}/slotlock-topology-suite.XXXXXX")
sl_at_exit "rm -rf '$work'"
cp "$so" "$work/slotlock.so"

declare -A limit=([cluster]=60 [cluster_failover]=70 [sentinel]=90 [quorum]=50)
declare -A topo=([cluster]=cluster [cluster_failover]=cluster-replicas [sentinel]=sentinel [quorum]=quorum)
budget=230                      # seconds for the whole suite, servers included
t0=$SECONDS
failed=()
passed=()
for mode in ${SLOTLOCK_TOPOLOGY_ONLY:-cluster cluster_failover sentinel quorum}; do
    [[ -f "tests/topology/$mode.php" && -n "${limit[$mode]:-}" ]] || die "unknown scenario $mode"
    left=$(( budget - (SECONDS - t0) ))
    if (( left < 20 )); then
        say "FAIL $mode: not run, the suite's $budget s are spent"
        failed+=("$mode")
        continue
    fi
    say "$mode: starting the servers"
    if ! slotlock_topology_start "${topo[$mode]}"; then
        say "FAIL $mode: the topology did not start"
        failed+=("$mode")
        continue
    fi
    lim=${limit[$mode]}
    (( lim > left - 5 )) && lim=$(( left - 5 ))
    say "$mode: tests/topology/$mode.php (limit $lim s)"
    timeout -k 5 "$lim" "$PHP" -d "extension=$work/slotlock.so" "tests/topology/$mode.php"
    rc=$?
    slotlock_topology_stop "$SLOTLOCK_TOPOLOGY_DIR"
    if [[ $rc -eq 0 ]]; then
        passed+=("$mode")
    else
        [[ $rc -eq 124 || $rc -eq 137 ]] && say "$mode: killed after $lim s"
        say "FAIL $mode (exit $rc)"
        failed+=("$mode")
    fi
done
say "$((SECONDS - t0)) s; passed: ${passed[*]:-none}; failed: ${failed[*]:-none}"
[[ ${#failed[@]} -eq 0 ]]
