#!/usr/bin/env bash
# valgrind memcheck over representative commands on the corpus (issue 15):
# every input kind scanned, then each family of output, with
# --error-exitcode (any memory error fails) and definite leaks counted as
# errors.  ctest label valgrind; skipped (77) without valgrind or on a
# sanitizer build (ASan and memcheck do not mix: that build has ASan itself).
. "$(dirname "$0")/lib.sh"
C=testdata/corpus
command -v valgrind >/dev/null || { echo "SKIP: no valgrind"; exit 77; }
if grep -qa __asan_init "$BIN" 2>/dev/null; then echo "SKIP: sanitizer build"; exit 77; fi
DB=$TMP/idx.db
VG=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite
	--errors-for-leak-kinds=definite --track-fds=no --log-file="$TMP/vg.%p.log")

# vg NAME CMD...: CMD under memcheck exits as it does natively (0 or 3) with no report.
vg() {
	local name=$1 rc t0=$SECONDS
	shift
	rm -f "$TMP"/vg.*.log
	"${VG[@]}" "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ -n "${VG_TIMES:-}" ] && echo "$name: $((SECONDS - t0))s"
	if { [ $rc = 0 ] || [ $rc = 3 ]; } && ! grep -qs . "$TMP"/vg.*.log; then
		PASS=$((PASS + 1))
	else
		echo "FAIL valgrind $name: exit $rc"
		cat "$TMP"/vg.*.log 2>/dev/null | head -40
		head -c 300 "$TMP/err"
		FAIL=$((FAIL + 1))
	fi
}

vg "scan yaml" scan -q $C/dumps/all-secrets-configmaps.yaml --db "$DB"
vg "scan velero" scan -q $C/velero/backup-public.tar.gz --db "$DB"
vg "scan etcd" scan -q $C/datastores/plain/etcd-snapshot.db --db "$DB"
vg "scan helm2" scan -q $C/helm2/dumps/single-record.yaml --db "$TMP/h2.db"
vg "list" list -A --db "$DB"
vg "get all" get all web -n shop --db "$DB"
vg "diff" diff web 1 6 -n shop --db "$DB"
vg "audit sarif" audit -A -o sarif --db "$DB"
vg "export secret" export -A --driver secret --db "$DB"
vg "rollback" rollback web 3 -n shop --now 2026-01-01T00:00:00Z --out "$TMP/rb/" --db "$DB"
vg "chart --tgz" chart web -n shop --tgz --out "$TMP/chart" --db "$DB"
vg "report" report --html "$TMP/r.html" --db "$DB"
vg "decode" decode $C/dumps/single-record.yaml
vg "list --from etcd, encrypted" list -A --from $C/datastores/encrypted/etcd-snapshot.db \
	--encryption-config $C/datastores/encrypted/encryption-config.yaml
finish
