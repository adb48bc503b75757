#!/usr/bin/env bash
# helmrec sql: read-only queries of the index, in table, json and csv; the
# example queries of docs/index-schema.md run and give the expected rows;
# writes are refused and leave the file untouched; a missing index is not created.
. "$(dirname "$0")/lib.sh"
DB=$TMP/idx.db
"$BIN" scan testdata/corpus/dumps/all-secrets-configmaps.yaml --db "$DB" >/dev/null 2>&1
sum0=$(sha256sum "$DB" | cut -d' ' -f1)

q='SELECT namespace, name, revision, status FROM v_history WHERE status LIKE '"'"'pending%'"'"' ORDER BY 1, 2'
printf 'namespace  name   revision  status\nstuck      fresh  1         pending-install\nstuck      hung   2         pending-upgrade\n' >"$TMP/exp"
check "table" "$TMP/exp" "$BIN" sql --db "$DB" "$q"
printf '[{"namespace":"stuck","name":"fresh","revision":1,"status":"pending-install"},{"namespace":"stuck","name":"hung","revision":2,"status":"pending-upgrade"}]\n' >"$TMP/exp"
check "json" "$TMP/exp" "$BIN" sql --db "$DB" -o json "$q"
printf 'namespace,name,revision,status\r\nstuck,fresh,1,pending-install\r\nstuck,hung,2,pending-upgrade\r\n' >"$TMP/exp"
check "csv" "$TMP/exp" env HELMREC_DB="$DB" "$BIN" sql -o csv "$q"
printf 'a,b\r\n"x,y","say ""hi"""\r\n' >"$TMP/exp"
check "csv quoting" "$TMP/exp" "$BIN" sql --db "$DB" -o csv "SELECT 'x,y' AS a, 'say \"hi\"' AS b"
printf '[{"n":null,"f":1.5}]\n' >"$TMP/exp"
check "json null and real" "$TMP/exp" "$BIN" sql --db "$DB" -o json "SELECT NULL AS n, 1.5 AS f"

# The example queries of docs/index-schema.md, in order.
awk '/^## Example queries/{f=1} f && /^```sql/{q=1; s=""; next} f && q && /^```/{q=0; n++; printf "%s", s > (dir "/q" n ".sql"); next} q{s = s $0 "\n"}' \
	dir="$TMP" docs/index-schema.md
ok "docs have 4 example queries" test -s "$TMP/q4.sql"
cat >"$TMP/e1" <<'X'
namespace,name,version,status,last_deployed
stuck,fresh,1,pending-install,2026-11-23T23:54:31.489474235Z
stuck,hung,2,pending-upgrade,2026-11-23T23:54:29.811315616Z
X
cat >"$TMP/e2" <<'X'
namespace,name,version,status
shop,web,3,superseded
shop,web,4,failed
shop,web,5,superseded
shop,web,6,deployed
X
cat >"$TMP/e3" <<'X'
namespace,name,rev_a,rev_b,path,before,after
shop,web,1,2,replicaCount,,3
shop,web,2,3,image.tag,,"""1.25.3"""
shop,web,3,4,image.pullPolicy,,"""NoSuchPolicy"""
shop,web,4,5,image.pullPolicy,"""NoSuchPolicy""",
shop,web,5,6,credentials.password,"""init-ecmz8u5pqj92""","""rotated-3gfptjfyhpvu"""
shop,web,5,6,featureFlags[0],,"""beta"""
shop,web,5,6,featureFlags[1],,"""dark-mode"""
X
cat >"$TMP/e4" <<'X'
chart_name,chart_version,releases,which
crdapp,1.2.0,1,crd/gizmo
hooked,0.1.0,1,batch/etl
platform,2.0.0,1,platform/plat
webapp,0.1.0,8,cm/cfg labels/api migrate/legacy pruned/cache shop/web staging/web stuck/fresh stuck/hung
X
for i in 1 2 3 4; do
	sed 's/$/\r/' "$TMP/e$i" >"$TMP/e$i.crlf"
	check "docs example query $i" "$TMP/e$i.crlf" "$BIN" sql --db "$DB" -o csv "$(cat "$TMP/q$i.sql")"
done

# Read-only: writes refused (usage error, clear message), file unchanged.
for w in "DELETE FROM revision" "UPDATE revision SET status = 'x'" "DROP VIEW v_history" \
	"CREATE TABLE t(x)" "PRAGMA user_version = 9" "SELECT 1; DELETE FROM revision" \
	"ATTACH '$TMP/other.db' AS o" "VACUUM INTO '$TMP/copy.db'"; do
	"$BIN" sql --db "$DB" "$w" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then PASS=$((PASS + 1)); else echo "FAIL write allowed: $w"; FAIL=$((FAIL + 1)); fi
done
ok "refusal message says read-only" grep -q "read-only" "$TMP/err"
ok "no file attached or written" test ! -e "$TMP/other.db" -a ! -e "$TMP/copy.db"
ok "index unchanged" test "$(sha256sum "$DB" | cut -d' ' -f1)" = "$sum0"
expect_status "missing index" 4 "$BIN" sql --db "$TMP/none.db" "SELECT 1"
ok "missing index not created" test ! -e "$TMP/none.db"
expect_status "bad -o" 2 "$BIN" sql --db "$DB" -o yaml "SELECT 1"
expect_status "syntax error" 2 "$BIN" sql --db "$DB" "SELEKT 1"
expect_status "no SQL" 2 "$BIN" sql --db "$DB"
finish
