#!/usr/bin/env bash
# Build the libFuzzer targets of tests/fuzz with clang into build-fuzz/ and
# run one of them.
#   scripts/fuzz.sh TARGET [SECONDS] [extra libFuzzer flags...]
#   scripts/fuzz.sh list          # the targets
#   scripts/fuzz.sh campaign [FILE]  # run "TARGET SECONDS [MAX_LEN]" lines of FILE
#                                 # (default: the list below) one after the other,
#                                 # nice -n 10, logs in build-fuzz/logs/TARGET.log
#   scripts/fuzz.sh summary       # markdown table of the logs (runs, exec/s, cov, ft, crashes)
#   scripts/fuzz.sh smoke [SECONDS] # every target for SECONDS (default 20), one after
#                                 # the other; exit 1 if any finds a crash (CI, when
#                                 # clang is here; 77 when it is not)
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
if [ "$target" = campaign ]; then
  # One fuzzer at a time (shared machine).  Scratch files on tmpfs when there is one.
  [ -d /dev/shm ] && export TMPDIR=/dev/shm
  mkdir -p build-fuzz/logs
  list=${2:-}
  default="fuzz_codec 900 4096
fuzz_gojson 600 4096
fuzz_k8sproto 300 4096
fuzz_helm2 300 65536
fuzz_helm2_values 120 16384
fuzz_yaml 300 65536
fuzz_yaml_diff 120 65536
fuzz_json 300 65536
fuzz_etcd 300 65536
fuzz_archive 300 65536
fuzz_pgdump 300 65536
fuzz_kine 120 65536
fuzz_encryption 60 4096
fuzz_bare 60 65536
fuzz_yaml_emit 60 16384
fuzz_yaml_slow 60 65536
fuzz_manifest_head 60 65536"
  { [ -n "$list" ] && cat "$list" || echo "$default"; } | while read -r t s len; do
    [ -z "$t" ] && continue
    echo "== $t $s s (max_len ${len:-262144}) $(date -u +%T)"
    nice -n 10 bash "$0" "$t" "$s" ${len:+-max_len=$len} >"build-fuzz/logs/$t.log" 2>&1 </dev/null
    echo "   exit $?"
  done
  exit 0
fi
if [ "$target" = smoke ]; then
  command -v clang >/dev/null || command -v clang-14 >/dev/null || { echo "fuzz smoke: SKIP, no clang" >&2; exit 77; }
  mkdir -p build-fuzz/logs
  failed=()
  for t in $(bash "$0" list); do
    if nice -n 5 bash "$0" "$t" "$secs" >"build-fuzz/logs/smoke-$t.log" 2>&1 </dev/null; then
      echo "fuzz smoke: $t ok ($(grep -o '^Done [0-9]* runs' "build-fuzz/logs/smoke-$t.log" | cut -d' ' -f2) runs)"
    else
      rc=$?
      [ "$rc" = 77 ] && { echo "fuzz smoke: SKIP ($t: no clang)" >&2; exit 77; }
      echo "fuzz smoke: $t FAILED (exit $rc), see build-fuzz/logs/smoke-$t.log; crash inputs in build-fuzz/crashes/$t/" >&2
      tail -20 "build-fuzz/logs/smoke-$t.log" >&2
      failed+=("$t")
    fi
  done
  [ ${#failed[@]} -eq 0 ] || { echo "fuzz smoke: ${#failed[@]} target(s) failed: ${failed[*]}" >&2; exit 1; }
  exit 0
fi
if [ "$target" = summary ]; then
  # Sums over every log of a target (TARGET.log, TARGET.2.log, ...).
  echo "| target | seconds | executions | exec/s | cov | ft | corpus | crashes |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  for t in $(bash "$0" list); do
    files=$(compgen -G "build-fuzz/logs/$t.log"; compgen -G "build-fuzz/logs/$t.*.log") || true
    [ -n "$files" ] || continue
    # shellcheck disable=SC2086
    cat $files | awk -v t="$t" '
      /^Done [0-9]+ runs in [0-9]+ second/ { runs += $2; secs += $5 }
      /^#[0-9]+.*cov: / { for (i = 1; i <= NF; i++) { if ($i == "cov:") c = $(i+1); if ($i == "ft:") f = $(i+1); if ($i == "corp:") k = $(i+1) } }
      /^==[0-9]+==ERROR|^SUMMARY: |deadly signal|Test unit written/ { crash++ }
      END { if (c > cov) cov = c; printf "| `%s` | %d | %d | %d | %s | %s | %s | %d |\n", t, secs, runs, secs ? runs / secs : 0, c, f, k, crash / 1 }'
  done
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
# Datastore files are too big to commit as seeds (150-230 KB each): the
# etcd and kine targets are seeded from testdata at run time (pass a
# -max_len of at least 262144 so that they are not cut).
case "$target" in
  fuzz_etcd) ds="testdata/corpus/datastores/*/etcd-snapshot.db testdata/corpus/datastores/*/*.raw testdata/corpus/datastores/third-party/*.db" ;;
  fuzz_kine) ds="testdata/corpus/datastores/*/state.db" ;;
  *) ds="" ;;
esac
if [ -n "$ds" ]; then
  mkdir -p "$dir/seeds/$target"
  n=0
  # shellcheck disable=SC2086
  for f in $ds; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    # fuzz_etcd reads its first byte as flags (bit 0: --carve), the file after it
    if [ "$target" = fuzz_etcd ]; then
      { printf '\000'; cat "$f"; } >"$dir/seeds/$target/seed-$n"
      printf '\001' | cat - "$f" >"$dir/seeds/$target/seed-carve-$n"
    else
      cp "$f" "$dir/seeds/$target/seed-$n"
    fi
  done
  seeds+=("$dir/seeds/$target")
fi
export TZ=UTC
# libFuzzer's own exit code for a crash is 77, which this script means as
# "no clang" (a skip): a crash exits 1 instead, a timeout 70.
exec "$dir/tests/fuzz/$target" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 -max_len=262144 \
  -error_exitcode=1 -timeout_exitcode=70 \
  -print_final_stats=1 -artifact_prefix="$dir/crashes/$target/" "${dict[@]}" "$@" \
  "$dir/corpus/$target" "${seeds[@]}"
