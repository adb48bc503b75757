#!/usr/bin/env bash
# Forensic safety (issue 12), one block per promise, on the project's own
# testdata: inputs are never written; --from failures fail the command;
# rollback output says where it goes; an interrupted scan leaves an index
# that answers; exit codes and -o as documented; helm's namespace
# conventions; truncated dumps reported; re-scans idempotent by content;
# a folder scan skips our own files; "nothing found" said; provenance
# (sightings); --quiet everywhere, export --out --force, progress width.
. "$(dirname "$0")/lib.sh"
C=testdata/corpus
DUMP=$C/dumps/all-secrets-configmaps.yaml
DB=$TMP/idx.db
"$BIN" scan -q "$DUMP" --db "$DB" || { echo "FAIL setup scan"; exit 1; }
has() { grep -q -- "$1" "$TMP/err"; }
case "$BIN" in /*) ;; *) BIN=$PWD/$BIN ;; esac

# 1. Inputs are never written: a kine copy keeps its sha256; other files refused.
cp $C/datastores/plain/state.db "$TMP/k.db"
sum=$(sha256sum <"$TMP/k.db")
expect_status "1 scan kine into itself" 1 "$BIN" scan "$TMP/k.db" --db "$TMP/k.db"
ok "1 same input and index named" has "is the index being written"
expect_status "1 scan into a kine datastore" 1 "$BIN" scan "$DUMP" --db "$TMP/k.db"
ok "1 kine named" has "this is a k3s/kine datastore: read it with --from or scan it into another --db"
expect_status "1 list a kine datastore" 1 "$BIN" list -A --db "$TMP/k.db"
ok "1 kine sha256 unchanged" test "$(sha256sum <"$TMP/k.db")" = "$sum"
ok "1 nothing written beside the kine file" test "$(ls "$TMP" | grep -c '^k\.db')" = 1
cp $C/datastores/plain/etcd-snapshot.db "$TMP/e.db"
sum=$(sha256sum <"$TMP/e.db")
expect_status "1 scan into an etcd snapshot" 1 "$BIN" scan "$DUMP" --db "$TMP/e.db"
ok "1 etcd named" has "etcd snapshot (bbolt)"
ok "1 etcd sha256 unchanged" test "$(sha256sum <"$TMP/e.db")" = "$sum"
printf 'notes\n' >"$TMP/notes.txt"
expect_status "1 scan into a text file" 1 "$BIN" scan "$DUMP" --db "$TMP/notes.txt"
ok "1 text file unchanged" test "$(cat "$TMP/notes.txt")" = notes
sqlite3 "$TMP/other.db" "CREATE TABLE t(x)"
expect_status "1 another application's SQLite" 1 "$BIN" scan "$DUMP" --db "$TMP/other.db"
ok "1 application id set on a new index" test "$(sqlite3 "$DB" 'PRAGMA application_id')" = 1213352280
cp "$DB" "$TMP/old.db"
sqlite3 "$TMP/old.db" "PRAGMA application_id = 0"
expect_status "1 index from before application_id is read" 0 "$BIN" list -A --db "$TMP/old.db"
expect_status "1 ... and written" 0 "$BIN" scan -q $C/dumps/single-record.yaml --db "$TMP/old.db"
ok "1 ... and marked on write" test "$(sqlite3 "$TMP/old.db" 'PRAGMA application_id')" = 1213352280
ok "1 README example does not point --db at a datastore" sh -c '! grep -q "\-\-db etcd\.db" README.md'

# 2. --from failures fail the command.
expect_status "2 --from typo" 1 "$BIN" list -A --from "$TMP/typo.yaml"
expect_status "2 --from - with a tarball" 1 sh -c "\"$BIN\" list -A --from - <$C/velero/backup-public.tar.gz"
expect_status "2 --encryption-config missing" 1 "$BIN" list -A --from $C/datastores/encrypted/etcd-snapshot.db \
	--encryption-config "$TMP/nonexistent"
expect_status "2 --from with skipped records" 3 "$BIN" list -A --from $C/datastores/encrypted/etcd-snapshot.db
ok "2 table still printed for 3" grep -q webapp "$TMP/out"

# 3. Rollback output says where it goes.
expect_status "3 rollback" 0 "$BIN" rollback web 3 -n shop --db "$DB" --manifests-only
ok "3 namespaced resources get the release namespace" python3 -c "
import re,sys
docs=[d for d in open('$TMP/out').read().split('---\n') if d.strip()]
ns=[d for d in docs if re.search(r'^kind: (Deployment|Service|ServiceAccount|Secret|ConfigMap)$', d, re.M)]
sys.exit(not ns or any(not re.search(r'^metadata:\n(  .*\n)*  namespace: shop$', d, re.M) for d in ns))"
expect_status "3 rollback --out DIR/" 0 "$BIN" rollback web 3 -n shop --db "$DB" --out "$TMP/restore/"
ok "3 hint names the namespace, no double slash" grep -qF "kubectl apply -n shop -f $TMP/restore/manifest.yaml" "$TMP/err"
ok "3 no //" sh -c "! grep -q 'restore//' \"$TMP/err\""

# 4. An interrupted scan leaves an index that answers.
for i in $(seq 1 4000); do echo '---'; cat $C/dumps/single-record.yaml; done >"$TMP/big.yaml"
"$BIN" scan "$TMP/big.yaml" --db "$TMP/i.db" 2>"$TMP/i.err" &
pid=$!
ok "4 scan paused after its first commit" pause_after_commit $pid "$TMP/i.db"
kill -INT $pid
kill -CONT $pid
wait $pid
rc=$?
ok "4 SIGINT exits 130 (got $rc)" test $rc = 130
ok "4 says how to finish" grep -q "run 'helmrec scan $TMP/big.yaml --db $TMP/i.db' again" "$TMP/i.err"
expect_status "4 list after SIGINT" 0 "$BIN" list -A --db "$TMP/i.db"
ok "4 committed revisions answer" grep -q '^web' "$TMP/out"
ok "4 warning names the input" has "the scan of $TMP/big.yaml into $TMP/i.db was interrupted"
expect_status "4 re-scan completes" 0 "$BIN" scan -q "$TMP/big.yaml" --db "$TMP/i.db"
ok "4 4000 sightings" test "$(sqlite3 "$TMP/i.db" 'SELECT COUNT(*) FROM sighting')" = 4000
expect_status "4 no warning once complete" 0 "$BIN" list -A --db "$TMP/i.db"
ok "4 ... none" test ! -s "$TMP/err"
"$BIN" scan "$TMP/big.yaml" --db "$TMP/k9.db" 2>/dev/null &
pid=$!
ok "4 scan paused after its first commit (SIGKILL)" pause_after_commit $pid "$TMP/k9.db"
kill -KILL $pid
wait $pid 2>/dev/null
expect_status "4 list after SIGKILL (hot journal)" 0 "$BIN" list -A --db "$TMP/k9.db"
ok "4 no journal left after recovery" test ! -e "$TMP/k9.db-journal"

# 5. Exit codes as documented; -o validated with helm's words; one Error: prefix.
expect_status "5 scan nonexistent" 1 "$BIN" scan "$TMP/nonexistent.yaml" --db "$TMP/n.db"
expect_status "5 decode nonexistent" 1 "$BIN" decode "$TMP/nonexistent.yaml"
ok "5 decode Error:" has "^Error: "
expect_status "5 get manifest -o json" 2 "$BIN" get manifest web -n shop -o json --db "$DB"
expect_status "5 list -o bogus" 2 "$BIN" list -o bogus --db "$DB"
ok "5 helm's words" has 'Error: invalid argument "bogus" for "-o, --output" flag: invalid format type'
for c in history status sightings; do
	expect_status "5 $c -o bogus" 2 "$BIN" $c web -n shop -o bogus --db "$DB"
done
expect_status "5 scan -o json" 0 "$BIN" scan "$DUMP" --db "$DB" -o json
ok "5 scan -o json prints JSON" grep -q '^{"inputs":1' "$TMP/out"
expect_status "5 parse error" 2 "$BIN" list --no-such --db "$DB"
ok "5 parse error prefix" has "^Error: unknown flag: --no-such"

# 6. Helm's namespace conventions everywhere.
expect_status "6 HELM_NAMESPACE history" 0 env HELM_NAMESPACE=staging "$BIN" history web --db "$DB"
ok "6 ... staging's web (2 revisions)" test "$(wc -l <"$TMP/out")" = "$(("$(sqlite3 "$DB" "SELECT COUNT(*) FROM revision WHERE namespace='staging' AND name='web' AND is_current")" + 1))"
expect_status "6 HELM_NAMESPACE status" 0 env HELM_NAMESPACE=shop "$BIN" status web --db "$DB"
ok "6 ... shop" grep -q '^NAMESPACE: shop' "$TMP/out"
expect_status "6 -n before the command" 0 "$BIN" -n shop --db "$DB" history web
ok "6 ... shop's web" grep -q 'deployed' "$TMP/out"
expect_status "6 --db before the command" 0 "$BIN" --db "$DB" list -A

# 7. A truncated dump is reported (exit 3, file and last complete object named).
n=$(wc -c <"$DUMP")
for frac in 7 100 500 999; do
	head -c $((n * frac / 1000)) "$DUMP" >"$TMP/cut$frac.yaml"
	expect_status "7 cut at $frac/1000" 3 "$BIN" scan -q "$TMP/cut$frac.yaml" --db "$TMP/cut$frac.db"
	ok "7 cut at $frac/1000 named" has "cut$frac.yaml.*truncated; last complete object"
done
n=$(wc -c <$C/dumps/all-secrets-configmaps.json)
head -c $((n / 2)) $C/dumps/all-secrets-configmaps.json >"$TMP/cut.json"
expect_status "7 JSON List cut" 3 "$BIN" scan -q "$TMP/cut.json" --db "$TMP/cutj.db"
gzip -c "$DUMP" >"$TMP/d.yaml.gz"
n=$(wc -c <"$TMP/d.yaml.gz")
head -c $((n - 4)) "$TMP/d.yaml.gz" >"$TMP/cut.yaml.gz"
expect_status "7 gzip without its trailer" 3 "$BIN" scan -q "$TMP/cut.yaml.gz" --db "$TMP/cutg.db"
ok "7 ... named" has "cut.yaml.gz: gzip data is truncated"
# Archives: a tar cut between two entries (libarchive takes it as complete) and a
# tar.gz without only its gzip trailer (libarchive stops at the tar end blocks).
V=$C/velero/backup-public.tar.gz
gunzip -c "$V" >"$TMP/whole.tar"
expect_status "7 whole tar" 0 "$BIN" scan -q "$TMP/whole.tar" --db "$TMP/wt.db"
python3 - "$TMP/whole.tar" "$TMP/cut.tar" <<'EOF2'
import sys, tarfile
ms = tarfile.open(sys.argv[1]).getmembers()
m = ms[len(ms) // 2]
end = m.offset_data + (m.size + 511) // 512 * 512
open(sys.argv[2], "wb").write(open(sys.argv[1], "rb").read()[:end])
EOF2
expect_status "7 tar cut between entries" 3 "$BIN" scan -q "$TMP/cut.tar" --db "$TMP/ct.db"
ok "7 ... named" has "cut.tar: the tar archive ends without its end-of-archive blocks.*last complete entry: resources/"
n=$(wc -c <"$V")
head -c $((n - 8)) "$V" >"$TMP/notrailer.tar.gz"
expect_status "7 tar.gz without its gzip trailer" 3 "$BIN" scan -q "$TMP/notrailer.tar.gz" --db "$TMP/nt.db"
ok "7 ... named" has "notrailer.tar.gz: gzip data is truncated.*the archive looks truncated; last complete entry: "

# 8. Re-scans are idempotent by content, not by mtime.
cp "$DUMP" "$TMP/dump.yaml"
"$BIN" scan -q "$TMP/dump.yaml" --db "$TMP/t.db"
before=$(sqlite3 "$TMP/t.db" 'SELECT COUNT(*) FROM sighting')
touch -d '2030-01-01' "$TMP/dump.yaml"
expect_status "8 re-scan after touch" 0 "$BIN" scan -q "$TMP/dump.yaml" --db "$TMP/t.db"
ok "8 sightings unchanged ($before)" test "$(sqlite3 "$TMP/t.db" 'SELECT COUNT(*) FROM sighting')" = "$before"
ok "8 one source" test "$(sqlite3 "$TMP/t.db" 'SELECT COUNT(*) FROM source')" = 1

# 9. Scanning a folder skips our own files; no journal left behind.
mkdir "$TMP/backup"
cp "$DUMP" "$TMP/backup/"
expect_status "9 folder scan" 0 sh -c "cd \"$TMP/backup\" && \"$BIN\" scan -q ."
expect_status "9 folder scan again" 0 sh -c "cd \"$TMP/backup\" && \"$BIN\" scan -q ."
ok "9 only the dump's records (30 sightings)" test "$(sqlite3 "$TMP/backup/helmrec.db" 'SELECT COUNT(*) FROM sighting')" = 30
ok "9 no journal left" test ! -e "$TMP/backup/helmrec.db-journal"

# 10. Say when nothing was found; the summary adds up.
python3 -c "
import json
d=json.load(open('$C/dumps/all-secrets-configmaps.json'))
d['items']=[i for i in d['items'] if 'release' not in (i.get('data') or {})]
json.dump(d, open('$TMP/others.json','w'), indent=4)"
expect_status "10 no release records" 0 "$BIN" scan "$TMP/others.json" --db "$TMP/none.db"
ok "10 said" has "no Helm release records in $TMP/others.json"
expect_status "10 summary json" 0 "$BIN" scan "$DUMP" --db "$TMP/sum.db" -o json
ok "10 objects = records + other + skipped" python3 -c "
import json,sys; s=json.load(open('$TMP/out')); sys.exit(s['objects'] != s['records'] + s['skipped_other'] + s['errors'])"

# 11. Provenance is visible.
expect_status "11 sightings" 0 "$BIN" sightings web -n shop --db "$DB" --revision 6
ok "11 sightings names the input and object" grep -q "all-secrets-configmaps.yaml.*shop/sh.helm.release.v1.web.v6" "$TMP/out"
expect_status "11 sightings json" 0 "$BIN" sightings web -n shop --db "$DB" -o json
ok "11 json parses" python3 -c "import json; assert json.load(open('$TMP/out'))[0]['state'] == 'live'"
"$BIN" scan -q $C/datastores/plain/etcd-snapshot.db --db "$TMP/ds.db"
expect_status "11 history --include-deleted" 0 "$BIN" history webapp -n default --include-deleted --db "$TMP/ds.db"
ok "11 note on recovered revisions" has "recovered from datastore history"
expect_status "11 sightings of a recovered revision" 0 "$BIN" sightings webapp -n default --db "$TMP/ds.db" -o json
ok "11 deleted/historical states shown" python3 -c "
import json; s={r['state'] for r in json.load(open('$TMP/out'))}; assert s - {'live'}, s"
sed -n '/^```sh/,/^```/p' docs/index-schema.md | grep '^sqlite3 helmrec.db' | sed 's/^sqlite3 helmrec.db //' >"$TMP/shq"
ok "11 docs sh examples found" test "$(wc -l <"$TMP/shq")" -ge 2
while IFS= read -r q; do
	q=${q#\"}
	q=${q%\"}
	expect_status "11 docs example: $q" 0 "$BIN" sql --db "$DB" -o csv "$q"
	ok "11 no duplicate rows: $q" test "$(sort "$TMP/out" | uniq -d | wc -l)" = 0
done <"$TMP/shq"

# 12. --quiet everywhere; export --out refuses to overwrite; progress fits the terminal.
for c in "list -A" "history web -n shop" "status web -n shop" "get values web -n shop" "sightings web -n shop" \
	"audit -A" "diff web 1 2 -n shop" "rollback web -n shop" "export -A --driver secret --dry-run"; do
	expect_status "12 --quiet: $c" 0 "$BIN" $c --quiet --db "$DB"
done
expect_status "12 scan --quiet" 0 "$BIN" scan "$DUMP" --db "$DB" --quiet
ok "12 ... silent" test ! -s "$TMP/err"
: >"$TMP/exported.yaml"
expect_status "12 export --out existing" 1 "$BIN" export -A --driver secret --out "$TMP/exported.yaml" --db "$DB"
ok "12 ... untouched" test ! -s "$TMP/exported.yaml"
expect_status "12 export --out --force" 0 "$BIN" export -A --driver secret --out "$TMP/exported.yaml" --force --db "$DB"
ok "12 ... written" test -s "$TMP/exported.yaml"
mkdir -p "$TMP/chart"
: >"$TMP/chart/Chart.yaml"
expect_status "12 chart refusal is 1" 1 "$BIN" chart web -n shop --out "$TMP/chart" --db "$DB"
if command -v script >/dev/null; then
	COLUMNS=40 script -qec "stty cols 40; \"$BIN\" scan \"$TMP/big.yaml\" --db \"$TMP/p.db\"" /dev/null >"$TMP/tty" 2>&1
	ok "12 progress lines fit 40 columns" python3 -c "
import re,sys
t=open('$TMP/tty',encoding='utf-8',errors='replace').read()
parts=[re.sub(r'\x1b\[K','',p) for p in re.split(r'[\r\n]', t)]
sys.exit(any(len(p) > 40 and 'MB' in p for p in parts))"
fi

# 13. Control characters from the inputs: helmrec's own text (audit table,
# warnings, errors) shows them as visible escapes; list prints the body's
# name as helm does; JSON escapes them by JSON's rules (docs/reliability.md).
python3 - $C/dumps/single-record.yaml "$TMP/ctl.yaml" <<'EOF2'
import sys
d = open(sys.argv[1], "rb").read()
d = d.replace(b"name: web\n", b"name: \"w\\e[31mred\\x01\\u202e\"\n", 1)
open(sys.argv[2], "wb").write(d.replace(b"status: deployed", b"status: \"\\e]0;title\\a\"", 1))
EOF2
expect_status "13 scan" 0 "$BIN" scan -q "$TMP/ctl.yaml" --db "$TMP/ctl.db"
expect_status "13 audit" 0 "$BIN" audit -A --explain --db "$TMP/ctl.db"
ok "13 audit: escapes shown" grep -qF 'shop/w\x1b[31mred\x01\u202e' "$TMP/out"
ok "13 audit: no raw control" sh -c "! LC_ALL=C grep -q \"\$(printf '[\\001-\\010\\013\\014\\016-\\037\\177]')\" \"$TMP/out\""
expect_status "13 audit json" 0 "$BIN" audit -A -o json --db "$TMP/ctl.db"
ok "13 audit json: JSON escapes" grep -qF 'w\u001b[31mred\u0001' "$TMP/out"
expect_status "13 warning names a path with controls" 1 "$BIN" list -A --from "$TMP/no$(printf '\033]0;t\007')"
ok "13 warning: escaped" grep -qF 'no\x1b]0;t\x07: cannot open' "$TMP/err"
ok "13 warning: no raw ESC" sh -c "! grep -q \"\$(printf '\\033')\" \"$TMP/err\""

finish
