#!/usr/bin/env bash
# tests/suites/fuzz-short.sh: every libFuzzer target of tests/fuzz/ for 10 s each
# (about a minute with the build). Exit 0 = no crash, leak or broken invariant.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
exec bash "$ROOT/tests/fuzz/run.sh" 10
