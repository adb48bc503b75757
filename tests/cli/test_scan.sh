#!/usr/bin/env bash
# helmrec scan and the index: permissions, idempotent re-scan, the same
# records through two sources (one revision, several sightings), conflicting
# payloads, an interrupted scan completed by the next one, a corrupted index,
# exit codes, and decode output equal to the bodies helm wrote.
. "$(dirname "$0")/lib.sh"
C=testdata/corpus
DUMP=$C/dumps/all-secrets-configmaps.yaml
DB=$TMP/idx.db
q() { sqlite3 "$DB" "$1"; }

# Fresh index: mode 0600, 30 revisions in 11 releases.
expect_status "scan dump" 0 "$BIN" scan "$DUMP" --db "$DB" --quiet
ok "index mode 0600" test "$(stat -c %a "$DB")" = 600
ok "30 revisions" test "$(q 'SELECT COUNT(*) FROM revision')" = 30
ok "11 releases" test "$(q 'SELECT COUNT(*) FROM release')" = 11
ok "payload sha256 matches helm's" test "$(q "SELECT payload_sha256 FROM revision WHERE namespace='shop' AND name='web' AND version=4")" = \
	"$(awk -F'\t' '$2=="shop" && $3=="sh.helm.release.v1.web.v4" {print $8}' $C/records.tsv)"

# Re-scanning changes nothing.
before=$(q 'SELECT COUNT(*) FROM revision; SELECT COUNT(*) FROM sighting; SELECT COUNT(*) FROM source' | tr '\n' ' ')
expect_status "re-scan" 0 "$BIN" scan "$DUMP" --db "$DB" --quiet
after=$(q 'SELECT COUNT(*) FROM revision; SELECT COUNT(*) FROM sighting; SELECT COUNT(*) FROM source' | tr '\n' ' ')
ok "re-scan is idempotent ($before / $after)" test "$before" = "$after"

# The same records through a second source (JSON dump): same revisions, new sightings.
expect_status "scan json dump" 0 "$BIN" scan $C/dumps/all-secrets-configmaps.json --db "$DB" --quiet
ok "still 30 revisions" test "$(q 'SELECT COUNT(*) FROM revision')" = 30
ok "two sightings of shop/web v6" test "$(q "SELECT COUNT(*) FROM sighting s JOIN revision r ON r.id=s.revision_id WHERE r.namespace='shop' AND r.name='web' AND r.version=6")" = 2
ok "no conflicts" test "$(q 'SELECT COUNT(*) FROM revision WHERE conflict')" = 0

# A conflicting payload: shop/web v6 with another body, in a second dump.
python3 - "$C/dumps/single-record.yaml" "$TMP/conflict.yaml" <<'PY'
import base64, gzip, json, re, sys
src = open(sys.argv[1]).read()
m = re.search(r'^  release: (\S+)$', src, re.M)
body = json.loads(gzip.decompress(base64.b64decode(base64.b64decode(m.group(1)))))
body['info']['description'] = 'tampered'
enc = base64.b64encode(base64.b64encode(gzip.compress(json.dumps(body, separators=(',', ':')).encode()))).decode()
open(sys.argv[2], 'w').write(src.replace(m.group(1), enc))
PY
expect_status "scan conflicting dump" 0 "$BIN" scan "$TMP/conflict.yaml" --db "$DB" --quiet
ok "both bodies kept" test "$(q "SELECT COUNT(*) FROM revision WHERE namespace='shop' AND name='web' AND version=6")" = 2
ok "flagged as conflict" test "$(q "SELECT COUNT(*) FROM revision WHERE namespace='shop' AND name='web' AND version=6 AND conflict")" = 2
ok "history still answers" "$BIN" history web -n shop --db "$DB"

# A bad record among good ones: reported, counted, exit 3, the rest indexed.
python3 - "$C/dumps/per-namespace/staging.yaml" "$TMP/bad.yaml" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r'^(  release: )(\S{20})', r'\1!!!!garbled!!!!', s, count=1, flags=re.M)
open(sys.argv[2], 'w').write(s)
PY
expect_status "bad record gives exit 3" 3 "$BIN" scan "$TMP/bad.yaml" --db "$TMP/bad.db"
ok "error names file and object" grep -q "bad.yaml: line [0-9]*.*staging/sh.helm.release.v1.web" "$TMP/err"
ok "the other record is indexed" test "$(sqlite3 "$TMP/bad.db" 'SELECT COUNT(*) FROM revision')" = 1

# Labels that disagree with the body are findings of `helmrec audit` (helm
# selects by labels but prints the body), and helm-style answers still come from the body.
ok "scan records no findings" test "$(q 'SELECT COUNT(*) FROM finding')" = 0
sed '0,/status: superseded/s//status: deployed/' $C/dumps/per-namespace/staging.yaml > "$TMP/relabel.yaml"
expect_status "scan relabelled dump" 0 "$BIN" scan "$TMP/relabel.yaml" --db "$TMP/relabel.db" --quiet
expect_status "audit relabelled dump" 0 "$BIN" audit -A --rule label-mismatch --db "$TMP/relabel.db"
ok "label mismatch finding" test "$(sqlite3 "$TMP/relabel.db" "SELECT COUNT(*) FROM finding WHERE rule='label-mismatch' AND message LIKE '%status label \"deployed\" but the release body says \"superseded\"%'")" = 1
check "history prints the body status" $C/goldens/helm-v3.17.1/staging/web/history.txt "$BIN" --helm-compat 3 history web -n staging --db "$TMP/relabel.db"

# Interrupted scan: keep the first batch only (as a kill -9 after one commit
# would), then scan again: consistent and complete.
"$BIN" scan "$DUMP" --db "$TMP/int.db" --quiet
sqlite3 "$TMP/int.db" "DELETE FROM sighting WHERE id > 10; DELETE FROM payload WHERE revision_id > 10; DELETE FROM value WHERE revision_id IN (SELECT id FROM revision WHERE id > 10);
  DELETE FROM resource WHERE revision_id IN (SELECT id FROM revision WHERE id > 10);
  DELETE FROM hook WHERE revision_id IN (SELECT id FROM revision WHERE id > 10);
  DELETE FROM revision WHERE id > 10; UPDATE source SET complete = 0"
expect_status "resume scan" 0 "$BIN" scan "$DUMP" --db "$TMP/int.db" --quiet
ok "resumed: 30 revisions" test "$(sqlite3 "$TMP/int.db" 'SELECT COUNT(*) FROM revision')" = 30
ok "resumed: one source" test "$(sqlite3 "$TMP/int.db" 'SELECT COUNT(*) FROM source')" = 1
ok "resumed: 30 sightings" test "$(sqlite3 "$TMP/int.db" 'SELECT COUNT(*) FROM sighting')" = 30

# Real kill -9 in the middle of a big scan leaves an index that opens and scans again.
python3 - "$DUMP" "$TMP/big.yaml" <<'PY'
import sys
s = open(sys.argv[1]).read()
head, items = s.split('items:\n', 1)
body, tail = items.rsplit('kind: List', 1)
open(sys.argv[2], 'w').write(head + 'items:\n' + body * 40 + 'kind: List' + tail)
PY
"$BIN" scan "$TMP/big.yaml" --db "$TMP/kill.db" --quiet & pid=$!
ok "scan paused after its first commit" pause_after_commit $pid "$TMP/kill.db"
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
expect_status "scan after kill -9" 0 "$BIN" scan "$TMP/big.yaml" --db "$TMP/kill.db" --quiet
ok "after kill: integrity ok" test "$(sqlite3 "$TMP/kill.db" 'PRAGMA integrity_check')" = ok
ok "after kill: 30 revisions" test "$(sqlite3 "$TMP/kill.db" 'SELECT COUNT(*) FROM revision')" = 30

# A big gzip'd dump is inflated on a background thread: same records; a
# truncated one gives the records before the damage and a clear error.
gzip -c "$TMP/big.yaml" > "$TMP/big.yaml.gz"
ok "big gzip is over the background-inflate size" test "$(stat -c %s "$TMP/big.yaml.gz")" -gt 8388608
expect_status "scan big gzip" 0 "$BIN" scan "$TMP/big.yaml.gz" --db "$TMP/gz.db" --quiet
ok "big gzip: 30 revisions, 1200 sightings" test "$(sqlite3 "$TMP/gz.db" 'SELECT COUNT(*) FROM revision; SELECT COUNT(*) FROM sighting' | tr '\n' ' ')" = "30 1200 "
head -c $(( $(stat -c %s "$TMP/big.yaml.gz") / 2 )) "$TMP/big.yaml.gz" > "$TMP/half.yaml.gz"
expect_status "truncated big gzip: exit 3" 3 "$BIN" scan "$TMP/half.yaml.gz" --db "$TMP/half.db"
ok "truncated big gzip: message" grep -q "half.yaml.gz: gzip data is truncated" "$TMP/err"
ok "truncated big gzip: records before the damage" test "$(sqlite3 "$TMP/half.db" 'SELECT COUNT(*) FROM sighting')" -gt 100

# A directory walk passes over text files that are not Kubernetes objects
# (README, scripts) without warnings; a file named explicitly is still read.
mkdir -p "$TMP/backupdir/sub"
cp "$DUMP" "$TMP/backupdir/sub/dump.yaml"
printf '# Backup of cluster X\n\nTaken by: the on-call engineer\nNotes: none\n' > "$TMP/backupdir/README.md"
expect_status "directory with a README" 0 "$BIN" scan "$TMP/backupdir" --db "$TMP/dir.db" --quiet
ok "directory: 30 revisions" test "$(sqlite3 "$TMP/dir.db" 'SELECT COUNT(*) FROM revision')" = 30
expect_status "README named explicitly is read" 0 "$BIN" scan "$TMP/backupdir/README.md" --db "$TMP/dir2.db"
ok "README named explicitly: one other object" grep -q "1 objects, 0 release records, 1 other objects" "$TMP/err"

# A corrupted or foreign index file is a clear error.
head -c 4096 /dev/urandom > "$TMP/junk.db"
expect_status "corrupted index" 1 "$BIN" history web -n shop --db "$TMP/junk.db"
ok "corrupted index message" grep -qi "index" "$TMP/err"
expect_status "missing index" 1 "$BIN" history web -n shop --db "$TMP/none.db"
expect_status "unknown release" 4 "$BIN" history nosuch -n shop --db "$DB"
ok "helm's not-found message" grep -q "release: not found" "$TMP/err"

# Schema migration: an index of schema version 1 (payloads inside the
# revision rows, no sighting.ds_until) is refused by read-only commands and
# migrated step by step (v2 ... v8) by the next scan.
cp "$DB" "$TMP/v1.db"
sqlite3 "$TMP/v1.db" "ALTER TABLE revision ADD COLUMN payload BLOB;
  UPDATE revision SET payload = (SELECT data FROM payload WHERE revision_id = revision.id);
  DROP TABLE payload; DROP INDEX finding_once; DROP INDEX revision_latest; ALTER TABLE sighting DROP COLUMN ds_until;
  DROP VIEW v_findings; ALTER TABLE finding DROP COLUMN revisions; ALTER TABLE finding DROP COLUMN evidence;
  DROP INDEX source_by_cluster; ALTER TABLE source DROP COLUMN cluster;
  DROP INDEX revision_newest; ALTER TABLE revision DROP COLUMN newest; PRAGMA user_version = 1"
expect_status "v1 index refused read-only" 1 "$BIN" history web -n shop --db "$TMP/v1.db"
ok "v1 message says to scan" grep -q "run helmrec scan" "$TMP/err"
expect_status "scan migrates v1" 0 "$BIN" scan "$DUMP" --db "$TMP/v1.db" --quiet
ok "migrated to v8" test "$(sqlite3 "$TMP/v1.db" 'PRAGMA user_version')" = 8
ok "v_findings exists" sqlite3 "$TMP/v1.db" "SELECT revisions, evidence FROM v_findings LIMIT 1"
ok "ds_until exists" sqlite3 "$TMP/v1.db" "SELECT ds_until FROM sighting LIMIT 1"
ok "clusters added (v7)" test "$(sqlite3 "$TMP/v1.db" 'SELECT DISTINCT cluster FROM revision')" = default
ok "payloads moved" test "$(sqlite3 "$TMP/v1.db" 'SELECT COUNT(*) FROM payload')" = "$(sqlite3 "$TMP/v1.db" 'SELECT COUNT(*) FROM revision')"
check "migrated index answers" $C/goldens/helm-v4.1.4/shop/web/rev-4/all.txt "$BIN" get all web -n shop --revision 4 --db "$TMP/v1.db"

# v7 -> v8: revision.newest computed for the rows already there (no scan
# touches them: the input is known), so list answers as before.
cp "$DB" "$TMP/v7.db"
sqlite3 "$TMP/v7.db" "DROP INDEX revision_newest; ALTER TABLE revision DROP COLUMN newest; PRAGMA user_version = 7"
: > "$TMP/empty.yaml"
expect_status "scan migrates v7" 0 "$BIN" scan "$TMP/empty.yaml" --db "$TMP/v7.db" --quiet
ok "migrated v7 to v8" test "$(sqlite3 "$TMP/v7.db" 'PRAGMA user_version')" = 8
ok "newest bits as a scan sets them" test "$(sqlite3 "$TMP/v7.db" 'SELECT id, newest FROM revision ORDER BY id')" = \
	"$(sqlite3 "$DB" 'SELECT id, newest FROM revision ORDER BY id')"
for args in "-A" "-A --include-deleted -o json" "-n shop" "-n shop --include-deleted"; do
	# shellcheck disable=SC2086
	ok "list $args after v7 -> v8" test "$("$BIN" list $args --db "$TMP/v7.db")" = "$("$BIN" list $args --db "$DB")"
done

# Kubectl dumps tarred up by hand: the YAML and gzip'd members are read (the
# same revisions as the dumps themselves), a chart's templates are not, a bad
# member is one warning naming the entry, and exit 3.
mkdir -p "$TMP/tarred/chart/templates"
cp "$DUMP" "$TMP/tarred/all.yaml"
gzip -c $C/dumps/per-namespace/staging.yaml > "$TMP/tarred/staging.yaml.gz"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n' > "$TMP/tarred/chart/templates/cm.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {a: [1,\n' > "$TMP/tarred/zz-bad.yaml"
tar czf "$TMP/tarred.tgz" -C "$TMP/tarred" all.yaml staging.yaml.gz chart zz-bad.yaml
expect_status "tarred dumps: one bad member" 3 "$BIN" scan "$TMP/tarred.tgz" --db "$TMP/tarred.db"
ok "tarred dumps: the warning names the entry and line" grep -q "tarred.tgz: entry zz-bad.yaml: line 6: YAML error" "$TMP/err"
ok "tarred dumps: no warning for the chart template" sh -c "! grep -q 'templates/cm.yaml' \"$TMP/err\""
"$BIN" scan -q "$DUMP" --db "$TMP/plain.db"
ok "tarred dumps: the dump's revisions" test "$(sqlite3 "$TMP/tarred.db" 'SELECT COUNT(*) FROM revision')" = \
	"$(sqlite3 "$TMP/plain.db" 'SELECT COUNT(*) FROM revision')"
ok "tarred dumps: sightings in both members" test "$(sqlite3 "$TMP/tarred.db" \
	"SELECT COUNT(*) FROM sighting WHERE location LIKE '%entry staging.yaml.gz: line %'")" -gt 0
check "tarred dumps: history from the gzip'd member" $C/goldens/helm-v4.1.4/staging/web/history.txt \
	"$BIN" history web -n staging --db "$TMP/tarred.db"

# --from: no index file needed.
check "history --from" $C/goldens/helm-v4.1.4/shop/web/history.txt "$BIN" history web -n shop --from "$DUMP"

# decode: the body bytes exactly as helm stored them, for every record.
"$BIN" decode "$DUMP" > "$TMP/bodies.jsonl"
ok "decode printed 30 bodies" test "$(wc -l < "$TMP/bodies.jsonl")" = 30
got=$(while IFS= read -r l; do printf '%s' "$l" | sha256sum | cut -c1-64; done < "$TMP/bodies.jsonl" | sort)
want=$(awk -F'\t' 'NR>1 && $1!="sql" {print $9}' $C/records.tsv | sort)
ok "decode bodies equal helm's JSON (sha256)" test "$got" = "$want"
check "decode --field manifest" $C/goldens/helm-v4.1.4/shop/web/rev-6/manifest.yaml sh -c "\"$BIN\" decode --field manifest $C/dumps/single-record.yaml; echo"
"$BIN" decode - < $C/dumps/single-record.yaml > "$TMP/stdin.json"
ok "decode from stdin" test "$(sha256sum < "$TMP/stdin.json" | cut -c1-64)" = "$(head -n 30 "$TMP/bodies.jsonl" | grep -F '"version":6,"namespace":"shop"' | sha256sum | cut -c1-64)"

finish
