#!/usr/bin/env bash
# Input identity (src/scan/input_hash.c, index/source.c): a regular file is
# hashed on its own thread while the scan reads it, registered by path, size
# and mtime, and identified by content before its first commit.  A copy of
# an input already indexed (another path, another mtime) must still add
# nothing -- also when the copy is longer than one batch (1 000 records),
# so that rows were written before the hash was known -- and an interrupted
# scan of the same content under a touched file is resumed, not doubled.
. "$(dirname "$0")/lib.sh"
C=testdata/corpus
D=$C/dumps/all-secrets-configmaps.json
content() { python3 tests/cli/index_content.py "$1"; }
python3 - "$D" "$TMP/big.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
items = [o for o in d["items"] if (o.get("metadata", {}).get("labels") or {}).get("owner") == "helm"]
d["items"] = [items[i % len(items)] for i in range(1500)]   # release records, > one batch
json.dump(d, open(sys.argv[2], "w"))
PY

# 1. a small input and its copy: identified at the end of the input
expect_status "scan the dump" 0 "$BIN" scan -q "$D" --db "$TMP/a.db"
content "$TMP/a.db" >"$TMP/a1.txt"
cp "$D" "$TMP/copy.json"; touch -d '2020-01-01' "$TMP/copy.json"
expect_status "scan its copy" 0 "$BIN" scan "$TMP/copy.json" --db "$TMP/a.db"
ok "the copy is reported as indexed already" grep -q "already indexed" "$TMP/err"
content "$TMP/a.db" >"$TMP/a2.txt"
ok "the copy added nothing" cmp -s "$TMP/a1.txt" "$TMP/a2.txt"

# 2. a copy longer than a batch: identified before the first commit, rolled back
expect_status "scan big" 0 "$BIN" scan -q "$TMP/big.json" --db "$TMP/b.db"
content "$TMP/b.db" >"$TMP/b1.txt"
ok "big: 1 500 sightings" python3 -c "
import sqlite3,sys; n=sqlite3.connect(sys.argv[1]).execute('select count(*) from sighting').fetchone()[0]
sys.exit(n != 1500)" "$TMP/b.db"
cp "$TMP/big.json" "$TMP/big-copy.json"; touch -d '2020-01-01' "$TMP/big-copy.json"
expect_status "scan big's copy" 0 "$BIN" scan "$TMP/big-copy.json" --db "$TMP/b.db"
ok "big's copy is reported as indexed already" grep -q "already indexed" "$TMP/err"
content "$TMP/b.db" >"$TMP/b2.txt"
ok "big's copy added nothing" cmp -s "$TMP/b1.txt" "$TMP/b2.txt"
ok "the source hash is recorded" python3 -c "
import sqlite3,sys,hashlib
h=hashlib.sha256(open(sys.argv[2],'rb').read()).hexdigest()
r=sqlite3.connect(sys.argv[1]).execute('select sha256 from source').fetchall()
sys.exit(r != [(h,)])" "$TMP/b.db" "$TMP/big.json"

# 3. an interrupted scan, the file touched since (same content): resumed under its id
python3 -c "
import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('update source set complete = 0'); c.commit()" "$TMP/b.db"
touch -d '2021-01-01' "$TMP/big.json"
expect_status "rescan the touched input" 0 "$BIN" scan -q "$TMP/big.json" --db "$TMP/b.db"
content "$TMP/b.db" >"$TMP/b3.txt"
ok "resumed: one source, complete" python3 -c "
import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute('select count(*), min(complete) from source').fetchone()
sys.exit(r != (1, 1))" "$TMP/b.db"

expect_status "scan the touched input into a new index" 0 "$BIN" scan -q "$TMP/big.json" --db "$TMP/c.db"
content "$TMP/c.db" >"$TMP/c1.txt"
ok "resumed: the rows of a clean scan of the file as it is now" cmp -s "$TMP/b3.txt" "$TMP/c1.txt"
finish
