#!/usr/bin/env bash
# helmrec over a PostgreSQL index (--db postgresql://...) answers byte for
# byte as over SQLite: the golden suite (test_goldens.sh) run against a
# PostgreSQL database, then the same commands (history, list, get, status,
# rollback, export, sql, audit, drift, diff) against an SQLite and a PostgreSQL index of the
# same inputs.  PostgreSQL 15 is started in a temporary directory on
# 127.0.0.1 (tests/interop/lib.sh); without its server binaries the test
# says so and exits 77.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../interop/lib.sh"
trap 'ir_cleanup; rm -rf "$TMP"' EXIT
ir_start_pg
C=testdata/corpus
INPUTS=($C/dumps/all-secrets-configmaps.yaml $C/sql/helm-sql-full.sql)

# 1. the golden suite against PostgreSQL
ir_pg_newdb golden
if HELMREC_TEST_DB=$IR_PGURL HELMREC_BIN=$BIN bash tests/cli/test_goldens.sh >"$TMP/goldens.out" 2>&1; then
	PASS=$((PASS + 1))
else
	echo "FAIL golden suite against PostgreSQL:"; grep -v '^ok' "$TMP/goldens.out" | head -20
	FAIL=$((FAIL + 1))
fi

# 2. the same answers from SQLite and PostgreSQL
ir_pg_newdb same
PG=$IR_PGURL
LITE=$TMP/same.db
"$BIN" scan "${INPUTS[@]}" --db "$LITE" --quiet 2>/dev/null
"$BIN" scan "${INPUTS[@]}" --db "$PG" --quiet 2>/dev/null
# same NAME ARGS...: `helmrec ARGS --db` gives the same stdout and exit status on both
same() {
	local name=$1 a b
	shift
	"$BIN" "$@" --db "$LITE" >"$TMP/lite.out" 2>"$TMP/lite.err"; a=$?
	"$BIN" "$@" --db "$PG" >"$TMP/pg.out" 2>"$TMP/pg.err"; b=$?
	if [ "$a" = "$b" ] && cmp -s "$TMP/lite.out" "$TMP/pg.out"; then
		PASS=$((PASS + 1))
	else
		echo "FAIL $name: SQLite exit $a, PostgreSQL exit $b"; diff "$TMP/lite.out" "$TMP/pg.out" | head -8 | cut -c1-200
		head -c 300 "$TMP/pg.err"
		FAIL=$((FAIL + 1))
	fi
}
same "list -A" list -A
same "list -A -o json" list -A -o json
same "list -A -a (helm 3)" --helm-compat 3 list -A -a
same "list -A --include-deleted" list -A --include-deleted
"$BIN" list -A --db "$LITE" -o json | python3 -c '
import json,sys
for r in json.load(sys.stdin): print(r["namespace"], r["name"], r["revision"])' >"$TMP/rels"
while read -r ns rel last; do
	same "$ns/$rel history" history "$rel" -n "$ns"
	same "$ns/$rel history json" history "$rel" -n "$ns" -o json
	same "$ns/$rel status" status "$rel" -n "$ns"
	same "$ns/$rel get all" get all "$rel" -n "$ns"
	same "$ns/$rel values" get values "$rel" -n "$ns" --all -o json
	same "$ns/$rel sightings" sightings "$rel" -n "$ns"
	[ "$last" -gt 1 ] && same "$ns/$rel rollback" rollback "$rel" 1 -n "$ns" -o json --now 2024-01-02T03:04:05Z
done <"$TMP/rels"
same "audit" audit -A -o json
same "drift" drift -A
same "diff" diff web 1 2 -n staging
same "export secret" export -A --driver secret
same "export sql" export -A --driver sql
same "sql v_history" sql "SELECT * FROM v_history"
same "sql count" sql "SELECT COUNT(*) AS n, SUM(version) AS v FROM revision WHERE is_current = 1"
same "sql read-only" sql "DELETE FROM revision"

# 3. a re-scan changes nothing
before=$("$BIN" sql "SELECT (SELECT COUNT(*) FROM revision), (SELECT COUNT(*) FROM sighting), (SELECT COUNT(*) FROM source)" --db "$PG")
"$BIN" scan "${INPUTS[@]}" --db "$PG" --quiet 2>/dev/null
after=$("$BIN" sql "SELECT (SELECT COUNT(*) FROM revision), (SELECT COUNT(*) FROM sighting), (SELECT COUNT(*) FROM source)" --db "$PG")
ok "re-scan changes no row count" test "$before" = "$after"

# 3b. revision.newest (v8): the same bits as SQLite's; list -n answers the
# same; a v7 database gets them from its migration
bits='SELECT namespace, name, version, json_sha256, newest FROM revision ORDER BY 1, 2, 3, 4'
ok "newest bits as SQLite's" test "$("$BIN" sql "$bits" --db "$PG" -o csv)" = "$("$BIN" sql "$bits" --db "$LITE" -o csv)"
same "list -n staging" list -n staging
same "list -n staging --include-deleted -o json" list -n staging --include-deleted -o json
psql "$PG" -qc "DROP VIEW v_latest; DROP INDEX revision_newest; ALTER TABLE revision DROP COLUMN newest;
  $(sed -n '/^CREATE VIEW v_latest/,/;$/p' schema/index-pg.sql)
  UPDATE meta SET value = '7' WHERE key = 'schema_version'" >/dev/null
expect_status "a read-only command refuses the v7 database" 1 "$BIN" list -A --db "$PG"
: >"$TMP/empty.yaml"
expect_status "scan migrates v7 to v8" 0 "$BIN" scan "$TMP/empty.yaml" --db "$PG" --quiet
ok "schema_version 8" test "$(psql "$PG" -Atc "SELECT value FROM meta WHERE key = 'schema_version'")" = 8
ok "migrated bits as SQLite's" test "$("$BIN" sql "$bits" --db "$PG" -o csv)" = "$("$BIN" sql "$bits" --db "$LITE" -o csv)"
ok "v_latest shows newest again" psql "$PG" -Atc "SELECT newest FROM v_latest LIMIT 1"
same "list -A after v7 -> v8" list -A
same "list -A --include-deleted after v7 -> v8" list -A --include-deleted

# 5. clusters: three scanners at once into one database, each its own
# --cluster; each cluster answers as an SQLite index of that input alone
# c: 2 500 small records, so that its scan commits three batches (the kill below lands between them)
python3 tests/bench/gen --profile tiny --revisions-total 2500 --out "$TMP/g" --formats yaml >/dev/null 2>&1 || {
	echo "FAIL tests/bench/gen"; exit 1; }
declare -A IN=([a]=$C/dumps/all-secrets-configmaps.yaml [b]=$C/sql/helm-sql-full.sql [c]=$TMP/g/list.yaml)
for x in a b c; do "$BIN" scan "${IN[$x]}" --db "$TMP/alone-$x.db" --quiet 2>/dev/null; done
ir_pg_newdb fleet
F=$IR_PGURL
KEYS="SELECT namespace, name, version, json_sha256, is_current, is_live, conflict FROM revision ORDER BY 1, 2, 3, 4"
# fleet_same X: cluster X of the fleet answers as the SQLite index of its input alone
fleet_same() {
	local x=$1 tag=$2
	for q in "list -A" "list -A -o json" "--helm-compat 3 list -A -a"; do
		"$BIN" $q --db "$TMP/alone-$x.db" >"$TMP/a.out" 2>&1
		"$BIN" $q --cluster "$x" --db "$F" >"$TMP/f.out" 2>&1
		ok "$tag: $q --cluster $x" cmp -s "$TMP/a.out" "$TMP/f.out"
	done
	"$BIN" sql "$KEYS" --db "$TMP/alone-$x.db" >"$TMP/a.out"
	local w="FROM revision WHERE cluster = '$x'"
	"$BIN" sql "${KEYS/FROM revision/$w}" --db "$F" >"$TMP/f.out"
	ok "$tag: revision rows of $x" cmp -s "$TMP/a.out" "$TMP/f.out"
}
counts() {
	"$BIN" sql "SELECT (SELECT COUNT(*) FROM source), (SELECT COUNT(*) FROM release), (SELECT COUNT(*) FROM revision),
	  (SELECT COUNT(*) FROM sighting), (SELECT COUNT(*) FROM payload), (SELECT COUNT(*) FROM resource),
	  (SELECT COUNT(*) FROM hook), (SELECT COUNT(*) FROM value), (SELECT COUNT(*) FROM live_object)" --db "$F"
}
pids=()
for x in a b c; do "$BIN" scan "${IN[$x]}" --cluster "$x" --db "$F" --quiet 2>"$TMP/scan-$x.err" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || { echo "FAIL concurrent scan (exit $?)"; cat "$TMP"/scan-*.err; FAIL=$((FAIL + 1)); }; done
for x in a b c; do fleet_same $x concurrent; done
expect_status "no --cluster with three clusters" 2 "$BIN" list -A --db "$F"
ok "the error lists the clusters" grep -q "(a, b, c)" "$TMP/err"
expect_status "unknown cluster" 1 "$BIN" list -A --cluster nosuch --db "$F"
"$BIN" clusters --db "$F" -o json >"$TMP/cl.json"
ok "clusters lists three" python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); assert [x["cluster"] for x in c]==["a","b","c"], c' "$TMP/cl.json"
before=$(counts)
pids=()
for x in a b c; do "$BIN" scan "${IN[$x]}" --cluster "$x" --db "$F" --quiet 2>/dev/null & pids+=($!); done
wait "${pids[@]}"
ok "re-running the three scans changes no row count" test "$before" = "$(counts)"

# 5b. two scanners of overlapping inputs into the SAME cluster at once, in
# crossing orders: both exit 0 and the cluster holds what one clean scan of
# the inputs gives (no duplicate source, revision or sighting)
"$BIN" scan "${IN[a]}" "${IN[c]}" "${IN[b]}" --db "$TMP/overlap.db" --quiet 2>/dev/null
ir_pg_newdb overlap
F=$IR_PGURL
"$BIN" scan "${IN[a]}" "${IN[c]}" "${IN[b]}" --cluster same --db "$F" --quiet 2>"$TMP/ov-1.err" & p1=$!
"$BIN" scan "${IN[c]}" "${IN[b]}" "${IN[a]}" --cluster same --db "$F" --quiet 2>"$TMP/ov-2.err" & p2=$!
wait "$p1"; r1=$?
wait "$p2"; r2=$?
ok "two scanners of one cluster at once: both exit 0 ($r1, $r2)" test "$r1$r2" = 00
[ "$r1$r2" = 00 ] || head -5 "$TMP"/ov-*.err
# the cluster's rows, counted (SQLite: the whole index; PostgreSQL: cluster `same`)
cluster_counts() {
	local w="$2" j="$3"
	"$BIN" sql "SELECT (SELECT COUNT(*) FROM source $w), (SELECT COUNT(*) FROM release $w),
	  (SELECT COUNT(*) FROM revision $w), (SELECT COUNT(*) FROM sighting s $j),
	  (SELECT COUNT(*) FROM payload s $j), (SELECT COUNT(*) FROM resource s $j),
	  (SELECT COUNT(*) FROM hook s $j), (SELECT COUNT(*) FROM value s $j)" --db "$1" -o csv | tail -1
}
JOIN="JOIN revision r ON r.id = s.revision_id WHERE r.cluster = 'same'"
cluster_counts "$TMP/overlap.db" "" "" >"$TMP/a.out"
cluster_counts "$F" "WHERE cluster = 'same'" "$JOIN" >"$TMP/f.out"
ok "overlapping scanners: the row counts of one clean scan" cmp -s "$TMP/a.out" "$TMP/f.out"
cmp -s "$TMP/a.out" "$TMP/f.out" || diff "$TMP/a.out" "$TMP/f.out"
"$BIN" sql "$KEYS" --db "$TMP/overlap.db" >"$TMP/a.out"
w="FROM revision WHERE cluster = 'same'"
"$BIN" sql "${KEYS/FROM revision/$w}" --db "$F" >"$TMP/f.out"
ok "overlapping scanners: the revision rows of one clean scan" cmp -s "$TMP/a.out" "$TMP/f.out"
"$BIN" list -A -a -o json --db "$TMP/overlap.db" >"$TMP/a.out" 2>&1
"$BIN" list -A -a -o json --cluster same --db "$F" >"$TMP/f.out" 2>&1
ok "overlapping scanners: list -A -a as one clean scan" cmp -s "$TMP/a.out" "$TMP/f.out"

# 6. SIGKILL of one scanner mid-load, then a re-scan: the same content
ir_pg_newdb killed
F=$IR_PGURL
"$BIN" scan "${IN[a]}" --cluster a --db "$F" --quiet 2>/dev/null &
"$BIN" scan "${IN[c]}" --cluster c --db "$F" --quiet 2>/dev/null & victim=$!
# kill it once its first batch is committed (or after 20 s)
for _ in $(seq 400); do
	n=$("$BIN" sql "SELECT COUNT(*) FROM revision WHERE cluster = 'c'" --db "$F" -o csv 2>/dev/null | tail -1 | tr -d '\r')
	[ "${n:-0}" -gt 0 ] 2>/dev/null && break
	sleep 0.05
done
kill -KILL "$victim" 2>/dev/null
wait
partial=$("$BIN" sql "SELECT (SELECT COUNT(*) FROM revision WHERE cluster = 'c') || ' revisions, source complete = '
  || COALESCE((SELECT MAX(complete) FROM source WHERE cluster = 'c'), 0)" --db "$F" -o csv 2>/dev/null | tail -1)
echo "note: the killed scanner had stored ${partial:-?} of cluster c"
ok "the scanner was killed mid-load (its source unfinished)" grep -q "complete = 0" <<<"$partial"
expect_status "queries warn about the interrupted scan" 0 "$BIN" list -A --cluster c --db "$F"
ok "the warning names the input" grep -q "was interrupted" "$TMP/err"
"$BIN" scan "${IN[c]}" --cluster c --db "$F" --quiet 2>/dev/null
fleet_same c "after SIGKILL + re-scan"
fleet_same a "beside the killed scanner"

# 7. index copy: SQLite -> PostgreSQL -> SQLite gives the same answers
if "$BIN" index --help >/dev/null 2>&1; then
	ir_pg_newdb copied
	expect_status "index copy to PostgreSQL" 0 "$BIN" index copy --from-db "$TMP/alone-c.db" --to-db "$IR_PGURL" --cluster default
	expect_status "index copy back" 0 "$BIN" index copy --from-db "$IR_PGURL" --to-db "$TMP/back.db" --cluster default
	for q in "list -A -o json" "--helm-compat 3 list -A -a"; do
		"$BIN" $q --db "$TMP/alone-c.db" >"$TMP/a.out" 2>&1
		"$BIN" $q --db "$IR_PGURL" >"$TMP/f.out" 2>&1
		"$BIN" $q --db "$TMP/back.db" >"$TMP/b.out" 2>&1
		ok "copy: $q (PostgreSQL)" cmp -s "$TMP/a.out" "$TMP/f.out"
		ok "copy: $q (back to SQLite)" cmp -s "$TMP/a.out" "$TMP/b.out"
	done
fi

# 8. an insert queued in the pipeline that fails fails the scan, and the
# error names the statement; the failed batch leaves nothing
ir_pg_newdb queued
"$BIN" scan "${IN[a]}" --cluster a --db "$IR_PGURL" --quiet 2>/dev/null
psql "$IR_PGURL" -qc "CREATE FUNCTION no_values() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN
  RAISE EXCEPTION 'no values today'; END\$\$; CREATE TRIGGER no_values BEFORE INSERT ON value
  FOR EACH ROW EXECUTE FUNCTION no_values()" >/dev/null
expect_status "a failing queued insert fails the scan" 1 "$BIN" scan "${IN[b]}" --cluster b --db "$IR_PGURL"
ok "the error says why" grep -q "no values today" "$TMP/err"
ok "the error names the queued statement" grep -q "queued statement: INSERT OR IGNORE INTO value" "$TMP/err"
n=$("$BIN" sql "SELECT COUNT(*) FROM revision WHERE cluster = 'b'" --db "$IR_PGURL" -o csv 2>/dev/null | tail -1 | tr -d '\r')
ok "the failed batch stored no revision ($n)" test "$n" = 0

# 9. an input read only in part (a gzip'd dump cut short, issue 15): the
# records before the cut kept, the source incomplete (complete 0, skipped 1)
# in PostgreSQL as in SQLite, scanned directly or copied with index copy
gzip -c "${INPUTS[0]}" | head -c 100000 >"$TMP/cut.yaml.gz"
pgq() { "$BIN" sql "$1" --db "$IR_PGURL" -o csv 2>/dev/null | tail -1 | tr -d '\r'; }
ir_pg_newdb partial
expect_status "cut dump into PostgreSQL: exit 3" 3 "$BIN" scan "$TMP/cut.yaml.gz" --db "$IR_PGURL"
ok "the error names the file" grep -q "cut.yaml.gz: gzip data is truncated" "$TMP/err"
ok "the records before the cut are kept" test "$(pgq 'SELECT COUNT(*) FROM revision')" -gt 5
ok "the source is incomplete" test "$(pgq 'SELECT complete, skipped FROM source')" = "0,1"
"$BIN" list -A --db "$IR_PGURL" >/dev/null 2>"$TMP/list.err"
ok "queries warn it was read only in part" grep -q "cut.yaml.gz was read into .* only in part" "$TMP/list.err"
n=$(pgq 'SELECT COUNT(*) FROM sighting')
expect_status "the same cut dump again: read again, exit 3" 3 "$BIN" scan "$TMP/cut.yaml.gz" --db "$IR_PGURL"
ok "no sighting twice" test "$(pgq 'SELECT COUNT(*) FROM sighting')" = "$n"
"$BIN" scan -q "$TMP/cut.yaml.gz" --db "$TMP/cut.db" 2>/dev/null
ir_pg_newdb partialcopy
expect_status "index copy of it to PostgreSQL" 0 "$BIN" index copy --from-db "$TMP/cut.db" --to-db "$IR_PGURL"
ok "the copy is incomplete too" test "$(pgq 'SELECT complete, skipped FROM source')" = "0,1"
"$BIN" list -A --db "$IR_PGURL" >/dev/null 2>"$TMP/list.err"
ok "and warns" grep -q "cut.yaml.gz was read into .* only in part" "$TMP/list.err"

# 4. a database of another application is refused, never written
ir_pg_newdb other
psql "$IR_PGURL" -qc "CREATE TABLE release(x int)" >/dev/null
expect_status "foreign database refused" 1 "$BIN" scan "${INPUTS[0]}" --db "$IR_PGURL"
finish
