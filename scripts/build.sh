#!/usr/bin/env bash
# Configure and build into build/ (or $1), warning-free with -Werror.
# Extra arguments after the directory are passed to cmake (e.g. -DHELMREC_SANITIZE=ON).
# A failed configure or build fails this script (no stale binary passes).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -DHELMREC_WERROR=ON "$@" >/dev/null
# Progress lines ("[ 42%] Building ...") are dropped; warnings and errors stay.
cmake --build "$dir" -j"$(nproc)" > "$dir/build.log" 2>&1 || { grep -v '^\[' "$dir/build.log" >&2; exit 1; }
grep -v '^\[' "$dir/build.log" >&2 || true
test -x "$dir/helmrec"
