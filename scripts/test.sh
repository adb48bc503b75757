#!/usr/bin/env bash
# Set up, build, and run every test twice: a normal build (build/) and an
# AddressSanitizer + UBSan build (build-asan/; the interop tests with the real
# helm run once, in the normal build).  Exit status 0 only if both pass.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup-interop.sh   # PostgreSQL, npm, the real helm 3 and 4 (never fails: interop tests skip loudly)
bash scripts/build.sh build
bash scripts/build.sh build-asan -DHELMREC_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "== tests (release build)"
(cd build && ctest --output-on-failure -j"$(nproc)" "$@")
echo "== tests (ASan + UBSan build)"
(cd build-asan && ctest --output-on-failure -j"$(nproc)" -LE interop "$@")
# Each libFuzzer target for 20 s when clang is here (issue 15); CI only, since
# it builds a third tree.  A crash fails the run; no clang is a loud skip.
if [ "${CI:-}" = true ]; then
  echo "== fuzz smoke (every target, 20 s each)"
  rc=0
  bash scripts/fuzz.sh smoke 20 || rc=$?
  [ "$rc" = 77 ] && echo "fuzz smoke skipped: clang/libFuzzer not installed (HELMREC_SETUP_FUZZ=1 bash scripts/setup.sh)"
  [ "$rc" = 0 ] || [ "$rc" = 77 ] || exit "$rc"
fi
