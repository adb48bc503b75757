#!/usr/bin/env bash
# Configure and build into build/ (or $1), warning-free with -Werror.
# Extra arguments after the directory are passed to cmake (e.g. -DHELMREC_SANITIZE=ON).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -DHELMREC_WERROR=ON "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)" 2>&1 | grep -v '^\[' || true
test -x "$dir/helmrec"
