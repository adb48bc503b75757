#!/usr/bin/env bash
# Crash safety (issue 15): `helmrec scan` killed with SIGKILL at many moments
# leaves an index that passes `PRAGMA integrity_check` and that a re-scan
# completes to the same content as an uninterrupted scan (compared with
# index_content.py: every table, ids and scan times aside); an export, a
# chart and a rollback killed while writing leave nothing half-written under
# the final name (temporary file + rename).
#
# The kill points are deterministic where strace(1) can trace: SIGKILL
# injected at the Nth pwrite64 / ftruncate (a commit) / the final fsync of
# SQLite (scan) or the Nth
# write / the rename (outputs).  Without strace, SIGKILL after random delays.
. "$(dirname "$0")/lib.sh"
C=testdata/corpus
case "$BIN" in /*) ;; *) BIN=$PWD/$BIN ;; esac
command -v sqlite3 >/dev/null || { echo "SKIP: no sqlite3"; exit 77; }
content() { python3 tests/cli/index_content.py "$1"; }
STRACE=
# LeakSanitizer cannot run under ptrace: off for the traced runs of an ASan build.
NOLSAN="${ASAN_OPTIONS:-}:detect_leaks=0"
if command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; then STRACE=strace; fi

# Inputs of every main kind in one folder; the YAML big enough for many writes.
mkdir "$TMP/in"
for i in $(seq 1 800); do echo '---'; cat $C/dumps/single-record.yaml; done >"$TMP/in/big.yaml"
cp $C/dumps/all-secrets-configmaps.json $C/datastores/plain/etcd-snapshot.db $C/velero/backup-public.tar.gz "$TMP/in/"
cp $C/datastores/compacted/state.db "$TMP/in/kine.db"
"$BIN" scan -q "$TMP/in" --db "$TMP/clean.db" || { echo "FAIL setup scan"; exit 1; }
content "$TMP/clean.db" >"$TMP/clean.txt"
ok "clean index has revisions" grep -q '^## revision ([1-9]' "$TMP/clean.txt"

# killed_scan DB SYSCALL N: scan into DB, SIGKILLed at the Nth SYSCALL (strace);
# SYSCALL "sleep" kills after N seconds instead.  Prints the exit status.
killed_scan() {
	local db=$1 sc=$2 n=$3 pid
	if [ "$sc" = sleep ]; then
		"$BIN" scan -q "$TMP/in" --db "$db" 2>/dev/null &
		pid=$!
		sleep "$n"
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
	else
		ASAN_OPTIONS=$NOLSAN $STRACE -f -o /dev/null -e trace="$sc" -e inject="$sc":signal=SIGKILL:when="$n" \
			"$BIN" scan -q "$TMP/in" --db "$db" 2>/dev/null
	fi
	echo $?
}

# after_kill NAME DB: the index is sound, a re-scan finishes it to the clean content.
after_kill() {
	local name=$1 db=$2
	if [ -e "$db" ]; then
		ok "$name: integrity_check ok" test "$(sqlite3 "$db" 'PRAGMA integrity_check' 2>&1)" = ok
		# list answers: with what was committed, or (nothing committed yet) "run helmrec scan"
		"$BIN" list -A --db "$db" >/dev/null 2>"$TMP/err"
		ok "$name: list answers or says to scan" sh -c "[ $? = 0 ] || grep -q 'run helmrec scan' \"$TMP/err\""
	fi
	expect_status "$name: re-scan" 0 "$BIN" scan -q "$TMP/in" --db "$db"
	content "$db" >"$TMP/got.txt"
	if cmp -s "$TMP/clean.txt" "$TMP/got.txt"; then PASS=$((PASS + 1)); else
		echo "FAIL $name: content differs from a clean scan"
		diff "$TMP/clean.txt" "$TMP/got.txt" | head -10
		FAIL=$((FAIL + 1))
	fi
	ok "$name: no journal left" test ! -e "$db-journal"
}

killed=0
if [ -n "$STRACE" ]; then
	# (no fsync per transaction: a commit is the journal's ftruncate; one fsync at the end)
	for point in pwrite64:1 pwrite64:3 pwrite64:12 pwrite64:40 pwrite64:90 pwrite64:150 pwrite64:180 \
		ftruncate:1 ftruncate:2 ftruncate:3 ftruncate:4 fsync:1; do
		db="$TMP/k-${point/:/-}.db"
		rc=$(killed_scan "$db" "${point%:*}" "${point#*:}")
		[ "$rc" = 137 ] && killed=$((killed + 1))
		after_kill "kill at $point (exit $rc)" "$db"
	done
	# killed three times in a row at later and later points, then finished
	db="$TMP/k-thrice.db"
	for n in 5 60 160; do killed_scan "$db" pwrite64 $n >/dev/null; done
	after_kill "killed three times" "$db"
	ok "most strace points killed the scan ($killed of 12)" test "$killed" -ge 9
fi
for d in 0.05 0.2 0.4; do
	db="$TMP/k-sleep-$d.db"
	rc=$(killed_scan "$db" sleep $d)
	after_kill "kill after ${d}s (exit $rc)" "$db"
done

# Outputs: killed while writing, the final name is absent (never partial);
# the same command run again writes exactly the clean output.
"$BIN" export -A --driver secret --out "$TMP/export-clean.yaml" --db "$TMP/clean.db" 2>/dev/null
"$BIN" chart web --revision 6 -n shop --out "$TMP/chart-clean" --db "$TMP/clean.db" >/dev/null 2>&1
"$BIN" rollback web 3 -n shop --now 2026-12-01T00:00:00Z --out "$TMP/rb-clean/" --db "$TMP/clean.db" 2>/dev/null
ok "clean export written" test -s "$TMP/export-clean.yaml"
ok "clean chart written" test -s "$TMP/chart-clean/Chart.yaml"
ok "clean rollback written" test -s "$TMP/rb-clean/manifest.yaml"
# killed_out NAME SYSCALL N FINAL CMD...: CMD SIGKILLed at the Nth SYSCALL leaves no FINAL.
killed_out() {
	local name=$1 sc=$2 n=$3 final=$4 rc
	shift 4
	rm -rf "$final"
	ASAN_OPTIONS=$NOLSAN $STRACE -f -o /dev/null -e trace="$sc" -e inject="$sc":signal=SIGKILL:when="$n" "$@" >/dev/null 2>&1
	rc=$?
	if [ "$rc" = 137 ]; then
		ok "$name killed at $sc $n: no $final" test ! -e "$final"
	else
		echo "note: $name not killed at $sc $n (exit $rc)"
	fi
}
if [ -n "$STRACE" ]; then
	mkdir "$TMP/tgz"
	for point in write:2 write:5 write:12 write:30 rename:1; do
		killed_out "export" "${point%:*}" "${point#*:}" "$TMP/export.yaml" \
			"$BIN" export -A --driver secret --quiet --out "$TMP/export.yaml" --db "$TMP/clean.db"
		killed_out "chart" "${point%:*}" "${point#*:}" "$TMP/chart" \
			"$BIN" chart web --revision 6 -n shop --out "$TMP/chart" --db "$TMP/clean.db"
		rm -rf "$TMP/tgz/web"
		killed_out "chart --tgz" "${point%:*}" "${point#*:}" "$TMP/tgz/webapp-0.1.0.tgz" \
			"$BIN" chart web --revision 6 -n shop --out "$TMP/tgz/web" --tgz --db "$TMP/clean.db"
	done
	: >"$TMP/rbfiles"
	# rollback writes several files, each atomically: each one present is whole.
	for n in 1 2 3; do
		rm -rf "$TMP/rb"
		ASAN_OPTIONS=$NOLSAN $STRACE -f -o /dev/null -e trace=rename -e inject=rename:signal=SIGKILL:when=$n \
			"$BIN" rollback web 3 -n shop --now 2026-12-01T00:00:00Z --out "$TMP/rb/" --db "$TMP/clean.db" >/dev/null 2>&1
		[ -d "$TMP/rb" ] && (cd "$TMP/rb" && find . -type f ! -name '*.tmp*') >"$TMP/rbfiles"
		while IFS= read -r f; do
			ok "rollback killed at rename $n: $f whole" cmp -s "$TMP/rb/$f" "$TMP/rb-clean/$f"
		done <"$TMP/rbfiles"
	done
else
	echo "note: no strace; output kills skipped"
fi
expect_status "export after kills" 0 "$BIN" export -A --driver secret --out "$TMP/export.yaml" --db "$TMP/clean.db"
ok "... equals the clean export" cmp -s "$TMP/export.yaml" "$TMP/export-clean.yaml"
finish
