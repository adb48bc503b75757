# Shared helpers for the shell tests in tests/cli/ (sourced, not run).
# HELMREC_BIN is set by ctest; outside ctest it defaults to build/helmrec.
set -u
BIN=${HELMREC_BIN:-build/helmrec}
export TZ=UTC NO_COLOR=1
PASS=0
FAIL=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# check NAME EXPECTED_FILE CMD...: run CMD, compare stdout with EXPECTED_FILE byte for byte.
check() {
	local name=$1 exp=$2
	shift 2
	if "$@" >"$TMP/out" 2>"$TMP/err"; then :; else
		echo "FAIL $name: exit $? ($(head -c 300 "$TMP/err"))"
		FAIL=$((FAIL + 1))
		return
	fi
	if cmp -s "$exp" "$TMP/out"; then
		PASS=$((PASS + 1))
	else
		echo "FAIL $name: output differs from $exp"
		diff "$exp" "$TMP/out" | head -10
		FAIL=$((FAIL + 1))
	fi
}

# expect_status NAME CODE CMD...: the command must exit with CODE.
expect_status() {
	local name=$1 code=$2 rc
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq "$code" ]; then
		PASS=$((PASS + 1))
	else
		echo "FAIL $name: exit $rc, wanted $code ($(head -c 300 "$TMP/err"))"
		FAIL=$((FAIL + 1))
	fi
}

# ok NAME CONDITION-COMMAND...: the command must succeed.
ok() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then PASS=$((PASS + 1)); else echo "FAIL $name"; FAIL=$((FAIL + 1)); fi
}

finish() {
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}

# check_ties NAME EXPECTED_FILE CMD...: like check, but rows that helm itself
# orders at random (helm 3 list: equal release names in several namespaces
# come out of a Go map) may be permuted among themselves: table lines are
# compared after stable-sorting by the NAME column, JSON arrays after sorting
# by (name, namespace).  Everything else must still be byte-identical.
check_ties() {
	local name=$1 exp=$2
	shift 2
	if ! "$@" >"$TMP/out" 2>"$TMP/err"; then
		echo "FAIL $name: exit $? ($(head -c 300 "$TMP/err"))"
		FAIL=$((FAIL + 1))
		return
	fi
	if python3 - "$exp" "$TMP/out" <<'PY'
import json, sys
def norm(path):
    data = open(path, 'rb').read()
    if data.startswith(b'['):
        rows = json.loads(data)
        return json.dumps(sorted(rows, key=lambda r: (r.get('name'), r.get('namespace'))) if rows and isinstance(rows[0], dict) else rows)
    lines = data.split(b'\n')
    head, body = lines[:1], lines[1:]
    return head + sorted(body, key=lambda l: (l.split(b'\t')[0], l))
sys.exit(0 if norm(sys.argv[1]) == norm(sys.argv[2]) else 1)
PY
	then
		PASS=$((PASS + 1))
	else
		echo "FAIL $name: output differs from $exp (ties ignored)"
		diff "$exp" "$TMP/out" | head -10
		FAIL=$((FAIL + 1))
	fi
}

# pause_after_commit PID DB: wait (up to 20 s) until the scan PID has
# committed a sighting into the SQLite index DB, then SIGSTOP it.  Succeeds
# only when PID is then stopped in the middle of its scan, so that a signal
# sent next lands mid-scan whatever the machine's speed (a fixed sleep let a
# fast machine finish first).  The caller sends its signal, then SIGCONT.
pause_after_commit() {
	local pid=$1 db=$2 n i st
	for i in $(seq 2000); do
		if [ -s "$db" ]; then
			n=$(sqlite3 -readonly -cmd '.timeout 500' "$db" 'SELECT COUNT(*) FROM sighting' 2>/dev/null)
			[ "${n:-0}" -gt 0 ] 2>/dev/null && break
		fi
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.01
	done
	kill -STOP "$pid" 2>/dev/null || return 1
	for i in $(seq 100); do
		st=$(sed 's/.*) //; s/ .*//' "/proc/$pid/stat" 2>/dev/null)
		case "$st" in T | t) return 0 ;; Z | "") return 1 ;; esac
		sleep 0.01
	done
	return 1
}
