#!/usr/bin/env bash
# An input cut short (issue 15): a gzip'd kubectl YAML dump whose gzip
# stream ends early, after the objects of three namespaces.  The scan must
# keep every record read before the damage (`list -A` shows exactly what a
# scan of the undamaged first part shows), exit 3 (done, but not all was
# read), name the file and the place on stderr, and leave the input
# incomplete: queries warn, a second scan of the same cut file reads it
# again (not "already indexed") without a second sighting of anything, and
# a scan of the repaired file at the same path ends with every record and
# the warning gone.  The same for a gzip'd JSON List, and for inputs that
# end early without a read error: a plain YAML List cut inside an object
# and a tar that lacks its end-of-archive blocks (the signs of truncation
# are warnings; the input must still count as read only in part).
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "SKIP: no sqlite3"; exit 77; }
NS=testdata/corpus/dumps/per-namespace

# part 1: batch, labels, shop (17 records); part 2: staging, stuck.  The
# gzip stream is flushed after part 1, so a cut shortly after that point
# loses part 2 and nothing of part 1.
python3 - "$NS" "$TMP" <<'PY'
import json, sys, zlib
ns, tmp = sys.argv[1], sys.argv[2]
def docs(names):
    return b"".join(b"---\n" + open("%s/%s.yaml" % (ns, n), "rb").read() for n in names)
def cut_gzip(first, second, name):
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    head = c.compress(first) + c.flush(zlib.Z_FULL_FLUSH)
    whole = head + c.compress(second) + c.flush()
    open("%s/%s.part1" % (tmp, name), "wb").write(first)
    open("%s/%s.full" % (tmp, name), "wb").write(whole)
    open("%s/%s" % (tmp, name), "wb").write(whole[:len(head) + 300])
one, two = docs(["batch", "labels", "shop"]), docs(["staging", "stuck"])
cut_gzip(one, two, "dump.yaml.gz")
# a JSON List of the corpus dump's objects, cut after its first 12 items
lst = json.load(open("testdata/corpus/dumps/all-secrets-configmaps.json"))
items = [json.dumps(i, indent=4).encode() for i in lst["items"]]
k = 12
cut_gzip(b'{"apiVersion": "v1", "items": [' + b",\n".join(items[:k]),
         b",\n" + b",\n".join(items[k:]) + b'], "kind": "List", "metadata": {"resourceVersion": ""}}\n', "list.json.gz")
open("%s/list.json.gz.part1" % tmp, "wb").write(
    b'{"apiVersion": "v1", "items": [' + b",\n".join(items[:k]) + b'], "kind": "List"}\n')
PY
[ -s "$TMP/dump.yaml.gz" ] || { echo "FAIL setup"; exit 1; }
DB=$TMP/idx.db REF=$TMP/ref.db
q() { sqlite3 "$DB" "$1"; }

# What the undamaged first part holds.
expect_status "scan of part 1" 0 "$BIN" scan -q "$TMP/dump.yaml.gz.part1" --db "$REF"
"$BIN" list -A --db "$REF" >"$TMP/ref.txt"
n=$(($(wc -l <"$TMP/ref.txt") - 1))
ok "part 1 has several releases ($n)" test "$n" -ge 3

# The cut dump: the records before the damage kept, exit 3, file and place named.
expect_status "scan of the cut dump exits 3" 3 "$BIN" scan "$TMP/dump.yaml.gz" --db "$DB"
cp "$TMP/err" "$TMP/scan.err"
ok "stderr names the file and the place" grep -q "dump.yaml.gz: gzip data is truncated (after [0-9]* compressed bytes) (reading YAML line [0-9]*; last complete object: line [0-9]* (" "$TMP/scan.err"
ok "the summary says the input was read only in part" grep -q "^read only in part: 1 input" "$TMP/scan.err"
"$BIN" list -A --db "$DB" >"$TMP/list.txt" 2>"$TMP/list.err"
ok "list -A shows the $n releases read before the damage" cmp -s "$TMP/ref.txt" "$TMP/list.txt"
ok "revisions: the same as part 1's" test "$(q 'SELECT COUNT(*) FROM revision')" = "$(sqlite3 "$REF" 'SELECT COUNT(*) FROM revision')"
ok "the input is recorded incomplete" test "$(q 'SELECT complete FROM source')" = 0
ok "queries warn that it was read only in part" grep -q "dump.yaml.gz was read into .* only in part" "$TMP/list.err"
ok "and do not call it interrupted" sh -c "! grep -q interrupted '$TMP/list.err'"
"$BIN" scan -o json "$TMP/dump.yaml.gz" --db "$TMP/json.db" >"$TMP/json.out" 2>/dev/null
ok "-o json counts the input read in part" grep -q '"inputs_partly_read":1,' "$TMP/json.out"

# A second scan of the same cut file reads it again, and sights nothing twice.
sightings=$(q 'SELECT COUNT(*) FROM sighting')
expect_status "second scan of the cut dump exits 3 again" 3 "$BIN" scan "$TMP/dump.yaml.gz" --db "$DB"
ok "it was read again, not skipped as already indexed" sh -c "grep -q 'gzip data is truncated' '$TMP/err' && ! grep -q 'already indexed' '$TMP/err'"
ok "no sighting twice ($sightings)" test "$(q 'SELECT COUNT(*) FROM sighting')" = "$sightings"
ok "still one source" test "$(q 'SELECT COUNT(*) FROM source')" = 1
"$BIN" list -A --db "$DB" >"$TMP/list.txt" 2>/dev/null
ok "list -A unchanged" cmp -s "$TMP/ref.txt" "$TMP/list.txt"

# The repaired file at the same path: not skipped, every record, no warning.
expect_status "scan of the full reference" 0 "$BIN" scan -q "$TMP/dump.yaml.gz.full" --db "$TMP/full.db"
"$BIN" list -A --db "$TMP/full.db" >"$TMP/full.txt"
cp "$TMP/dump.yaml.gz.full" "$TMP/dump.yaml.gz"
expect_status "scan of the repaired dump exits 0" 0 "$BIN" scan "$TMP/dump.yaml.gz" --db "$DB"
ok "it was read, not skipped" sh -c "! grep -q 'already indexed' '$TMP/err'"
"$BIN" list -A --db "$DB" >"$TMP/list.txt" 2>"$TMP/list.err"
ok "list -A shows every release" cmp -s "$TMP/full.txt" "$TMP/list.txt"
ok "more releases than before the repair" test "$(wc -l <"$TMP/full.txt")" -gt "$(wc -l <"$TMP/ref.txt")"
ok "revisions: the same as the full dump's" test "$(q 'SELECT COUNT(*) FROM revision')" = "$(sqlite3 "$TMP/full.db" 'SELECT COUNT(*) FROM revision')"
ok "the repaired input is complete" test "$(q 'SELECT complete FROM source ORDER BY id DESC LIMIT 1')" = 1
ok "no warning once the path was read to the end" test ! -s "$TMP/list.err"
expect_status "a scan of it again is skipped" 0 "$BIN" scan "$TMP/dump.yaml.gz" --db "$DB"
ok "as already indexed" grep -q "already indexed" "$TMP/err"

# A gzip'd JSON List cut after 12 items: those kept, the input incomplete.
DB=$TMP/json-idx.db
expect_status "scan of the first 12 items" 0 "$BIN" scan -q "$TMP/list.json.gz.part1" --db "$TMP/json-ref.db"
"$BIN" list -A --db "$TMP/json-ref.db" >"$TMP/ref.txt"
expect_status "scan of the cut JSON List exits 3" 3 "$BIN" scan "$TMP/list.json.gz" --db "$DB"
ok "stderr names the file and the place" grep -q "list.json.gz: gzip data is truncated (after [0-9]* compressed bytes)" "$TMP/err"
"$BIN" list -A --db "$DB" >"$TMP/list.txt" 2>"$TMP/list.err"
ok "list -A shows the releases of the 12 items" cmp -s "$TMP/ref.txt" "$TMP/list.txt"
ok "the JSON input is recorded incomplete" test "$(q 'SELECT complete FROM source')" = 0
sightings=$(q 'SELECT COUNT(*) FROM sighting')
expect_status "second scan of the cut JSON List exits 3 again" 3 "$BIN" scan "$TMP/list.json.gz" --db "$DB"
ok "no sighting twice ($sightings)" test "$(q 'SELECT COUNT(*) FROM sighting')" = "$sightings"

# A plain kubectl YAML List cut inside an object (no read error: the
# missing closing `kind: List` and the half object are the signs) and a
# tar cut between two members: each exits 3, keeps what precedes the cut,
# and stays incomplete, so that a scan of it again reads it again.
LIST=testdata/corpus/dumps/all-secrets-configmaps.yaml
head -c 300000 "$LIST" >"$TMP/cut.yaml"
DB=$TMP/plain-idx.db
expect_status "scan of the cut plain YAML List exits 3" 3 "$BIN" scan "$TMP/cut.yaml" --db "$DB"
ok "it says the dump looks truncated" grep -q "cut.yaml: the List ends without its closing \"kind: List\": the dump looks truncated; last complete object: line [0-9]* (" "$TMP/err"
ok "the summary says the input was read only in part" grep -q "^read only in part: 1 input" "$TMP/err"
ok "the cut plain YAML is recorded incomplete" test "$(q 'SELECT complete FROM source')" = 0
ok "records before the cut are kept" test "$(q 'SELECT COUNT(*) FROM revision')" -gt 10
sightings=$(q 'SELECT COUNT(*) FROM sighting')
expect_status "a second scan of it exits 3 again (read again, not skipped)" 3 "$BIN" scan "$TMP/cut.yaml" --db "$DB"
ok "no sighting twice ($sightings)" test "$(q 'SELECT COUNT(*) FROM sighting')" = "$sightings"
mkdir -p "$TMP/tarsrc"
python3 - "$TMP/tarsrc" <<'PY'
import json, sys
items = [i for i in json.load(open("testdata/corpus/dumps/all-secrets-configmaps.json"))["items"]
         if i.get("type") == "helm.sh/release.v1"]
for n, i in zip(("a.json", "b.json"), items):
    json.dump(i, open("%s/%s" % (sys.argv[1], n), "w"))
PY
tar -C "$TMP/tarsrc" -cf "$TMP/whole.tar" a.json b.json
# keep the first member whole: its header, its data padded to 512
first=$(( (512 + $(stat -c %s "$TMP/tarsrc/a.json") + 511) / 512 * 512 ))
head -c "$first" "$TMP/whole.tar" >"$TMP/cut.tar"
DB=$TMP/tar-idx.db
expect_status "scan of a tar cut between members exits 3" 3 "$BIN" scan "$TMP/cut.tar" --db "$DB"
ok "it names the last complete entry" grep -q "cut.tar: the tar archive ends without its end-of-archive blocks: it looks truncated; last complete entry: a.json" "$TMP/err"
ok "the cut tar is recorded incomplete" test "$(q 'SELECT complete FROM source')" = 0
ok "the first member's record is kept" test "$(q 'SELECT COUNT(*) FROM revision')" = 1

# A byte libyaml refuses (a NUL, bad UTF-8) after good documents: libyaml
# decodes its whole 16 KiB input buffer before parsing it, so such a byte
# used to fail every document before it in the buffer.  The reader hands
# libyaml only the text before the byte: the records before it are kept,
# the error names the byte's line, exit 3, and the fast path and libyaml
# alone agree.
for bad in 'a\x00b' 'a\xe2Zb' 'a\x1bb'; do
  { cat "$NS/batch.yaml"; printf -- '---\nkind: Secret\nmetadata:\n  name: x\n  note: %b\n' "$bad"; } >"$TMP/bad.yaml"
  lines=$(wc -l <"$NS/batch.yaml")
  for slow in "" 1; do
    DB=$TMP/bad-$slow.db
    rm -f "$DB"
    expect_status "a refused byte after good documents (${bad}${slow:+, libyaml alone}) exits 3" 3 env ${slow:+HELMREC_YAML_SLOW=1} "$BIN" scan "$TMP/bad.yaml" --db "$DB"
    ok "the records before it are kept (${bad}${slow:+, libyaml alone})" test "$(q 'SELECT COUNT(*) FROM revision')" -ge 2
    ok "the error names the byte's line $((lines + 5)) (${bad}${slow:+, libyaml alone})" grep -q "bad.yaml: line $((lines + 5)): YAML error: " "$TMP/err"
  done
done

# A multi-document dump (no closing marker to miss) cut inside its last
# object: at a line end inside the labels (the Secret has data.release and
# a kind but no name yet) and inside a line (no final newline; kubectl
# always ends its output with one).  Each is reported, exits 3, keeps the
# five records before it, and leaves the input incomplete.
SHOP=$NS/shop.yaml
line=$(grep -n "sh.helm.release.v1.web.v6" "$SHOP" | head -1 | cut -d: -f1)
head -n $((line - 4)) "$SHOP" >"$TMP/cut-lines.yaml"
{ head -n $((line + 1)) "$SHOP"; printf '  namespace: sh'; } >"$TMP/cut-mid.yaml"
for c in cut-lines cut-mid; do
  DB=$TMP/$c.db
  expect_status "a multi-document dump cut inside its last object ($c) exits 3" 3 "$BIN" scan "$TMP/$c.yaml" --db "$DB"
  ok "$c: it says the dump looks truncated" grep -q "$c.yaml: line [0-9]*: .*the dump looks truncated" "$TMP/err"
  ok "$c: the five records before it are kept" test "$(q "SELECT COUNT(*) FROM revision WHERE namespace = 'shop'")" = 5
  ok "$c: the input is recorded incomplete" test "$(q 'SELECT complete FROM source')" = 0
  case $c in
  cut-lines) ok "$c: the half object is reported as such" grep -q "object with data.release but no kind, metadata or name" "$TMP/err" ;;
  cut-mid) ok "$c: the warning names the missing final newline and the object" \
	grep -q "no final newline): the dump looks truncated; the last object, line [0-9]* (Secret sh/sh.helm.release.v1.web.v6), may be cut short" "$TMP/err" ;;
  esac
done

# A pg_dump cut between two statements (here inside its table definitions):
# no COPY or INSERT is left open, so only pg_dump's closing comment
# ("-- PostgreSQL database dump complete") tells the dump was whole.
SQL=testdata/corpus/sql/helm-sql-full.sql
head -c 1000 "$SQL" >"$TMP/cut.sql"
DB=$TMP/sql-idx.db
expect_status "a pg_dump cut between statements exits 3" 3 "$BIN" scan "$TMP/cut.sql" --db "$DB"
ok "it names the missing closing comment" grep -q "cut.sql: line [0-9]*: the dump ends without pg_dump's closing \"-- PostgreSQL database dump complete\": it looks truncated" "$TMP/err"
ok "the cut pg_dump is recorded incomplete" test "$(q 'SELECT complete FROM source')" = 0
DB=$TMP/sql-whole.db
expect_status "the whole pg_dump exits 0" 0 "$BIN" scan -q "$SQL" --db "$DB"

finish
