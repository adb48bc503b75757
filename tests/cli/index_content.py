# Print the content of a helmrec index, independent of row ids and scan
# times, so that two indexes built from the same inputs compare equal with
# cmp(1) however their scans were interrupted and resumed (test_kill.sh).
# Every table is printed sorted; a column holding another row's id is
# replaced by that row's natural key (revision: namespace/name/version/
# json_sha256, source: path, live object: source/kind/namespace/name/
# resourceVersion); blobs by their sha256; source.scanned_at is dropped.
# Usage: python3 tests/cli/index_content.py INDEX.db
import hashlib, sqlite3, sys

db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
q = lambda sql: db.execute(sql).fetchall()
rev = {r[0]: "%s/%s#%s:%s" % r[1:] for r in q("SELECT id, namespace, name, version, json_sha256 FROM revision")}
src = {r[0]: r[1] for r in q("SELECT id, path FROM source")}
rel = {r[0]: "%s/%s" % r[1:] for r in q("SELECT id, namespace, name FROM release")}
obj = {}
if q("SELECT 1 FROM sqlite_master WHERE name = 'live_object'"):
    obj = {r[0]: "%s %s %s/%s@%s" % (src.get(r[1]), r[2], r[3], r[4], r[5])
           for r in q("SELECT id, source_id, kind, namespace, name, resource_version FROM live_object")}
refs = {"revision_id": rev, "source_id": src, "release_id": rel, "object_id": obj}
ids = {"revision": rev, "source": src, "release": rel, "live_object": obj}
drop = {("source", "scanned_at")}

def cell(v):
    if isinstance(v, bytes):
        return "blob:" + hashlib.sha256(v).hexdigest()
    return repr(v)

for (table,) in q("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"):
    cols = [c[1] for c in q("PRAGMA table_info(%s)" % table)]
    lines = []
    for row in q("SELECT * FROM %s" % table):
        out = []
        for c, v in zip(cols, row):
            if (table, c) in drop:
                continue
            if c == "id" and table in ids:
                v = "=" + str(ids[table].get(v))
            elif c == "id":
                continue  # surrogate key of a leaf table (sighting, finding)
            elif c in refs:
                v = "->" + str(refs[c].get(v, v))
            else:
                v = cell(v)
            out.append("%s=%s" % (c, v))
        lines.append(" ".join(out))
    print("## %s (%d rows)" % (table, len(lines)))
    for line in sorted(lines):
        print(line)
