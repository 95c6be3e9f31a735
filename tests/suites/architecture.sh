#!/usr/bin/env bash
# tests/suites/architecture.sh: keeps docs/ARCHITECTURE.md true.
#
#   1. every file the map names exists;
#   2. no file of src/ includes php.h (or any Zend/PHP header);
#   3. no include circle among the C files (tsort of the "..." includes);
#   4. calls run one way: every call between the objects of the last build
#      (.libs/*.o, src/.libs/*.o) goes from a higher layer to a strictly lower
#      one, in the order below (the same as the map), so there is no call
#      circle and no class file calls across into another;
#   5. every object of the build has a place in that order.
#
# Needs a build (./dev build; ./dev test builds first). Exit 0 = pass.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
fail=0
bad() { echo "architecture: $*" >&2; fail=1; }

# Layer of each object: callers have smaller numbers than what they call.
declare -A LAYER=(
    [slotlock]=0
    [slotlock_service]=1 [slotlock_availability]=1 [slotlock_metrics]=1
    [slotlock_ops]=2 [slotlock_metrics_batch]=3 [slotlock_keys]=4 [slotlock_args]=5 [slotlock_lock]=6
    [slotlock_exceptions]=7
    [sl_lock]=10 [sl_options]=10 [sl_event]=10 [sl_metrics]=10
    [sl_topology]=11 [sl_scripts]=12 [sl_conn]=13 [sl_key]=14 [sl_tls]=14
    [sl_dsn]=15 [sl_sha1]=15 [sl_stats]=15 [sl_tls_opts]=16
)

# 1. Files the map names (backquoted paths with an extension).
[[ -f docs/ARCHITECTURE.md ]] || { echo "architecture: docs/ARCHITECTURE.md is missing" >&2; exit 1; }
named=0
while read -r f; do
    named=$((named + 1))
    [[ -e "$f" ]] || bad "docs/ARCHITECTURE.md names $f, which does not exist"
done < <(grep -o '`[A-Za-z0-9_./-]*\.\(c\|h\|php\|md\|sh\|m4\|w32\)`' docs/ARCHITECTURE.md | tr -d '`' | sort -u)
(( named >= 10 )) || bad "docs/ARCHITECTURE.md names only $named files"

# 2. The core never sees PHP.
while read -r hit; do
    bad "src/ must not include PHP headers: $hit"
done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](php|zend|Zend|ext/|main/|TSRM)' src/*.c src/*.h || true)

# 3. Include graph: "a b" per #include "b" in a, resolved next to a or at the root.
edges=$(for f in *.c *.h src/*.c src/*.h; do
    dir=$(dirname "$f")
    grep -oE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]+"' "$f" | sed -E 's/.*"([^"]+)"/\1/' |
    while read -r inc; do
        if [[ -f "$dir/$inc" ]]; then t="$dir/$inc"; elif [[ -f "$inc" ]]; then t="$inc"; else continue; fi
        echo "$f ${t#./}"
    done
done)
if ! out=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null); then
    bad "include circle: $out"
elif [[ -n "$out" ]]; then
    bad "include circle: $out"
fi

# 4 + 5. Calls between objects, from the symbols each one needs and defines.
objs=(.libs/*.o src/.libs/*.o)
[[ -e "${objs[0]}" ]] || { echo "architecture: no objects; run ./dev build first" >&2; exit 1; }
declare -A DEF=()
for o in "${objs[@]}"; do
    n=$(basename "$o" .o)
    [[ -n "${LAYER[$n]+x}" ]] || bad "$o has no layer: add it to docs/ARCHITECTURE.md and this suite"
    while read -r s; do DEF[$s]=$n; done < <(nm --defined-only "$o" | awk '$2 == "T" { print $3 }')
done
calls=0
for o in "${objs[@]}"; do
    n=$(basename "$o" .o)
    while read -r s; do
        t=${DEF[$s]:-}
        [[ -n "$t" && "$t" != "$n" ]] || continue
        calls=$((calls + 1))
        if (( ${LAYER[$n]:-99} >= ${LAYER[$t]:-99} )); then
            bad "$n calls $s in $t: calls must go down the layers (docs/ARCHITECTURE.md)"
        fi
    done < <(nm -u "$o" | awk '{ print $2 }')
done
(( calls >= 20 )) || bad "only $calls calls between objects found; is the build complete?"

if (( fail )); then
    exit 1
fi
echo "architecture: $named files named and present, no PHP header in src/, no include circle, $calls calls all downward"
