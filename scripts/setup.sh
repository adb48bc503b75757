#!/usr/bin/env bash
# Install helmrec's Debian build and test dependencies when missing.
# HELMREC_SETUP_FUZZ=1 also installs the optional fuzzing toolchain.
# Idempotent; run as root on a fresh Debian 12 machine (uses sudo otherwise).
set -euo pipefail
pkgs=(build-essential cmake pkg-config zlib1g-dev libyaml-dev libjson-c-dev
      libsqlite3-dev libcunit1-dev libdeflate-dev libarchive-dev libssl-dev
      libsodium-dev libisal-dev sqlite3 python3 libpq-dev
      valgrind strace)   # test tools: cli_test_valgrind, cli_test_kill (both skip or degrade without them)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# Test shells: zsh and fish load the completion scripts in tests/cli/test_completion.sh
# (that part skips loudly without them); installed when possible, never fatal.
shells=()
for p in zsh fish; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || shells+=("$p")
done
# Optional: clang + its runtime for scripts/fuzz.sh (libFuzzer); not needed to build or test.
optional=(clang libclang-rt-14-dev)
if [ "${HELMREC_SETUP_FUZZ:-0}" = 1 ]; then
  for p in "${optional[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ${#shells[@]} -gt 0 ]; then
  echo "setup: installing ${shells[*]} (optional, for the completion tests)" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${shells[@]}" >/dev/null 2>&1 ||
    echo "setup: could not install ${shells[*]}; their completion tests will skip" >&2
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
