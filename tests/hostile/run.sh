#!/usr/bin/env bash
# run.sh — the hostile-input suite: every case of tests/hostile/cases.tsv
# (committed small inputs under cases/) and of the manifest gen.py writes
# for the big generated ones is scanned by `helmrec scan` under
# `ulimit -v` 512 MiB and a CPU-time bound.  Each case must:
#   - not crash (no signal, no sanitizer report), and stay inside the bounds;
#   - end with an allowed exit code (manifest column 2);
#   - when it fails or skips (1/3), name the input file in its messages;
#   - keep the good record beside the damage (column 3: a release that
#     `helmrec list -A` must still show);
#   - never write anything outside the index (tar members ../x, /abs);
#   - print names and labels without raw control characters (ESC, BEL,
#     DEL, C1, bytes outside UTF-8) in helmrec's own text: scan warnings,
#     the audit table (list and history print them as helm does, byte for
#     byte).  tests/cli/test_hostile_text.sh covers the other commands.
# Usage: tests/hostile/run.sh [CASE-GLOB]  (HELMREC_BIN = the binary)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${HELMREC_BIN:-$here/../../build/helmrec}
only=${1:-*}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mem_kb=$((512 * 1024))
cpu_s=${HOSTILE_CPU:-60}
# Sanitizer builds reserve huge virtual ranges: bound RSS there instead.
# (read whole, not piped into grep -q: under pipefail, grep's early exit
# gives ldd/nm a SIGPIPE and the test a false "no sanitizer")
case "$(ldd "$bin" 2>/dev/null; nm -an "$bin" 2>/dev/null)" in *libasan*|*__asan_init*) asan=1 ;; *) asan=0 ;; esac
if [ "$asan" = 1 ]; then
  mem_kb=unlimited
  export ASAN_OPTIONS=${ASAN_OPTIONS:-}:hard_rss_limit_mb=1024:allocator_may_return_null=1:detect_leaks=1
fi
python3 "$here/gen.py" "$tmp/gen" || { echo "hostile: gen.py failed" >&2; exit 1; }
mkdir -p "$tmp/work/out"
fail=0 n=0
# raw_controls FILE: FILE holds a raw terminal control: C0 but tab and
# newline, DEL, C1 as UTF-8 (\xc2\x80..\x9f), or a byte outside valid UTF-8.
raw_controls() {
  LC_ALL=C grep -qa $'[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]\\|\xc2[\x80-\x9f]' "$1" || LC_ALL=C.UTF-8 grep -qavx '.*' "$1"
}
# Commands are written to a file before grep reads it: under pipefail,
# `cmd | grep -q` fails when grep exits at its first match and cmd, still
# writing, gets SIGPIPE.
run_case() {  # dir file codes keep what
  local dir=$1 f=$2 codes=$3 keep=$4 what=$5
  case "$f" in $only) ;; *) return ;; esac
  n=$((n + 1))
  local db="$tmp/work/$f.db" err="$tmp/work/$f.err" rc
  rm -f /tmp/helmrec-hostile-abs.json "$tmp/work/x.json" "$tmp/x.json"
  ( cd "$tmp/work/out" && ulimit -v $mem_kb && ulimit -t "$cpu_s" && exec "$bin" scan -q "$dir/$f" --db "$db" ) \
    >"$tmp/work/out.txt" 2>"$err"
  rc=$?
  local bad=""
  # In a sanitizer build the memory bound is ASan's RSS limit, which kills
  # instead of failing malloc: reaching it is the bound holding.
  if [ "$mem_kb" = unlimited ] && grep -q "hard rss limit exhausted" "$err"; then
    echo "ok   $f ($what): stopped by the RSS bound (sanitizer build)"
    rm -f "$db" "$db"-journal
    return
  fi
  if [ $rc -ge 128 ] || grep -q "Sanitizer\|runtime error" "$err"; then
    bad="crashed or killed (exit $rc)"
  elif ! [[ " $codes " == *" $rc "* ]]; then
    bad="exit $rc, expected one of: $codes"
  elif { [ $rc -eq 1 ] || [ $rc -eq 3 ]; } && ! grep -qF "$f" "$err"; then
    bad="exit $rc without naming the file"
  fi
  if [ -z "$bad" ] && [ "$keep" != - ]; then
    "$bin" list -A --db "$db" 2>/dev/null >"$tmp/work/list.txt"
    if ! awk '{print $1}' "$tmp/work/list.txt" | grep -x "$keep" >/dev/null; then
      bad="good release $keep lost"
    fi
  fi
  if [ -z "$bad" ] && { [ -e /tmp/helmrec-hostile-abs.json ] || [ -e "$tmp/work/x.json" ] || [ -e "$tmp/x.json" ] || [ -n "$(ls -A "$tmp/work/out")" ]; }; then
    bad="wrote outside the index"
  fi
  # helmrec's own text (audit table, warnings and errors) shows terminal
  # controls from the inputs as visible escapes; list/history/status/get
  # print them as helm does, byte for byte (docs/reliability.md).
  if [ -z "$bad" ] && raw_controls "$err"; then
    bad="raw control characters in scan warnings"
  fi
  if [ -z "$bad" ] && [ -f "$db" ]; then
    "$bin" audit -A --explain --db "$db" >"$tmp/work/audit.txt" 2>&1
    if raw_controls "$tmp/work/audit.txt"; then
      bad="raw control characters in the audit table"
    fi
  fi
  if [ -n "$bad" ]; then
    fail=$((fail + 1))
    echo "FAIL $f ($what): $bad" >&2
    head -c 2000 "$err" | sed 's/^/    /' >&2
  else
    echo "ok   $f ($what): exit $rc"
  fi
  rm -f "$db" "$db"-journal
}
while IFS=$'\t' read -r f codes keep what; do
  [ -z "$f" ] || [ "${f:0:1}" = "#" ] && continue
  run_case "$here/cases" "$f" "$codes" "$keep" "$what"
done < "$here/cases.tsv"
while IFS=$'\t' read -r f codes keep what; do
  run_case "$tmp/gen" "$f" "$codes" "$keep" "$what"
done < "$tmp/gen/cases.tsv"
echo "hostile: $n cases, $fail failed"
[ $fail -eq 0 ]
