#!/usr/bin/env bash
# Build the libFuzzer targets of tests/fuzz with clang into build-fuzz/ and
# run one of them.
#   scripts/fuzz.sh TARGET [SECONDS] [extra libFuzzer flags...]
#   scripts/fuzz.sh list          # the targets
# TARGET is a file name tests/fuzz/TARGET.c (fuzz_codec, fuzz_yaml, ...).
# New inputs go to build-fuzz/corpus/TARGET (seeded from the committed
# corpus, which is only read); crashes to build-fuzz/crashes/TARGET/.  Copy
# a crash into tests/fuzz/corpus/TARGET/crash-<name> once it is fixed.
# The dictionary tests/fuzz/dict/TARGET.dict is used when present.
# Needs clang and libclang-rt-*-dev (optional packages in scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET [SECONDS] [libFuzzer flags]}
secs=${2:-30}
shift; shift || true
if [ "$target" = list ]; then
  ls tests/fuzz/fuzz_*.c | sed 's|.*/||; s|\.c$||' | grep -v '^fuzz_common$'
  exit 0
fi
[ -f "tests/fuzz/$target.c" ] || { echo "fuzz.sh: no target tests/fuzz/$target.c" >&2; exit 2; }
CC=${CC:-$(command -v clang || command -v clang-14 || true)}
[ -n "$CC" ] || { echo "fuzz.sh: clang not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 77; }
dir=build-fuzz
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
if [ ! -f "$dir/CMakeCache.txt" ]; then
  CC="$CC" cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHELMREC_FUZZ=ON \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
fi
cmake --build "$dir" --target "$target" -j"$(nproc)" > "$dir/build-$target.log" 2>&1 ||
  { grep -v '^\[' "$dir/build-$target.log" >&2; exit 1; }
mkdir -p "$dir/corpus/$target" "$dir/crashes/$target"
dict=()
[ -f "tests/fuzz/dict/$target.dict" ] && dict=(-dict="tests/fuzz/dict/$target.dict")
seeds=()
[ -d "tests/fuzz/corpus/$target" ] && seeds=("tests/fuzz/corpus/$target")
export TZ=UTC
exec "$dir/tests/fuzz/$target" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 -max_len=262144 \
  -print_final_stats=1 -artifact_prefix="$dir/crashes/$target/" "${dict[@]}" "$@" \
  "$dir/corpus/$target" "${seeds[@]}"
