#!/usr/bin/env bash
# tests/suites/unit.sh: the sanitizer pass of the cmocka unit tests (tests/unit/).
#
# ./dev test already runs the unit tests in its run_unit step, counting each
# test: `make -C tests/unit test`, or `make -C tests/unit valgrind` when CI is
# set (or SLOTLOCK_VALGRIND=1). So this suite does not run them a second time;
# it adds what run_unit does not cover: on CI, the clang ASan/UBSan build
# (`make -C tests/unit asan`). Outside CI it only says so and passes.
#
#   bash tests/suites/unit.sh --all   test + valgrind + asan, for use without ./dev
#
# Needs SLOTLOCK_TEST_HOST / SLOTLOCK_TEST_PORT (./dev exports them) for
# test_lock_redis. Exit 0 = pass.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

if [[ "${1:-}" == --all ]]; then
    make -C "$ROOT/tests/unit" test valgrind asan
    exit
fi
if [[ -z "${CI:-}" ]]; then
    echo "unit.sh: ./dev test ran make -C tests/unit test already; valgrind and ASan/UBSan run when CI is set" \
         "(or: bash tests/suites/unit.sh --all)"
    exit 0
fi
make -C "$ROOT/tests/unit" asan
