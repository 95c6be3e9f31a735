#!/usr/bin/env bash
# tests/suites/fuzz-short.sh: every libFuzzer target of tests/fuzz/ for 10 s each
# (about a minute with the build). Exit 0 = no crash, leak or broken invariant.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# ./dev test --quick (SLOTLOCK_QUICK=1): 2 s each, enough to build and run every target
exec bash "$ROOT/tests/fuzz/run.sh" "$([[ -n "${SLOTLOCK_QUICK:-}" ]] && echo 2 || echo 10)"
