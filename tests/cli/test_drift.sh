#!/bin/bash
# helmrec drift, status RESOURCES and the drift/orphan audit rules over a
# backup with live objects (tests/cli/make_live.py: the corpus plus the
# deployed manifests' objects as the API server returns them, with planted
# drift), as a kubectl dump and as a Velero tarball.
. "$(dirname "$0")/lib.sh"
C=${CORPUS:-testdata/corpus}
HERE=$(dirname "$0")

python3 "$HERE/make_live.py" "$C" "$TMP/in" || { echo "FAIL make_live.py"; exit 1; }
SQL=$C/sql/helm-sql-full.sql
expect_status "scan dump" 0 "$BIN" scan "$TMP/in/dump.json" "$TMP/in/live.json" "$SQL" --db "$TMP/d.db"
expect_status "scan velero" 0 "$BIN" scan "$TMP/in/velero.tar.gz" "$SQL" --db "$TMP/v.db"
ok "schema v8" test "$(sqlite3 "$TMP/d.db" 'PRAGMA user_version')" = 8
ok "velero: one row per object (preferred-version copy folded)" test \
	"$(sqlite3 "$TMP/v.db" 'SELECT COUNT(*) FROM live_object')" = "$(sqlite3 "$TMP/d.db" 'SELECT COUNT(*) FROM live_object')"
ok "managers stored with their fields" test \
	"$(sqlite3 "$TMP/d.db" "SELECT fields FROM live_manager WHERE manager = 'kubectl-set'")" = \
	"/spec/template/spec/containers/0/image"

"$BIN" drift -A -o json --db "$TMP/d.db" > "$TMP/d.json" 2>"$TMP/d.err"
"$BIN" drift -A -o json --db "$TMP/v.db" > "$TMP/v.json" 2>"$TMP/v.err"
ok "velero gives the same answers" cmp -s "$TMP/d.json" "$TMP/v.json"

# each planted case classified right, with its cause; nothing else
check_json() {
	python3 - "$1" <<'EOF'
import json, sys
items = json.load(open(sys.argv[1]))
keys = {"namespace", "release", "revision", "apiVersion", "kind", "name", "state", "differences"}
assert all(set(i) == keys for i in items), "JSON shape"
def one(ns, kind, name):
    m = [i for i in items if i["namespace"] == ns and i["kind"] == kind and i["name"] == name]
    assert len(m) == 1, (ns, kind, name, m)
    return m[0]
d = one("shop", "Deployment", "web-webapp")
assert d["state"] == "drifted" and d["revision"] == 6, d
assert d["differences"] == [{"path": "/spec/template/spec/containers/0/image", "stored": "nginx:1.25.3",
                             "live": "nginx:1.27.0-hotfix", "managers": ["kubectl-set"]}], d
h = one("labels", "Deployment", "api-webapp")
assert h["state"] == "drifted" and [(x["path"], x["managers"]) for x in h["differences"]] == \
    [("/spec/replicas", ["horizontal-pod-autoscaler"])], h
s = one("cm", "Secret", "cfg-webapp-credentials")
assert s["state"] == "drifted" and s["differences"] == [{"path": "/data/password", "stored": "(masked)",
                                                        "live": "(masked)", "managers": ["kubectl-edit"]}], s
assert one("pruned", "ConfigMap", "cache-webapp-settings")["state"] == "missing"
o = one("shop", "Service", "web-webapp-old")
assert o["state"] == "orphan" and o["release"] == "web", o
assert one("staging", "Deployment", "web-webapp")["state"] == "in-sync", "webhook-added fields are not drift"
bad = [i for i in items if i["state"] != "in-sync"]
assert len(bad) == 5, [(i["namespace"], i["kind"], i["name"], i["state"]) for i in bad]
assert sum(1 for i in items if i["state"] == "in-sync") >= 20
EOF
}
ok "planted drift classified (dump)" check_json "$TMP/d.json"
ok "planted drift classified (velero)" check_json "$TMP/v.json"

"$BIN" drift -A --db "$TMP/d.db" > "$TMP/table.txt" 2>&1
ok "table: HPA named" grep -q "/spec/replicas: stored 1, live 7 (managers: horizontal-pod-autoscaler)" "$TMP/table.txt"
ok "table: deleted ConfigMap explained" grep -q "held ConfigMap objects: deleted by hand" "$TMP/table.txt"
"$BIN" drift -n staging --db "$TMP/d.db" > "$TMP/staging.txt" 2>&1
ok "healthy release: all in sync" sh -c "! grep -Eq 'drifted|missing|orphan' '$TMP/staging.txt' && grep -q in-sync '$TMP/staging.txt'"
"$BIN" drift web -n shop -o json --db "$TMP/d.db" > "$TMP/web.json"
ok "one release" python3 -c "import json,sys; i=json.load(open(sys.argv[1])); assert {x['release'] for x in i} == {'web'}" "$TMP/web.json"

# status: RESOURCES from the backup, byte-stable, same from Velero
"$BIN" status web -n shop --db "$TMP/d.db" > "$TMP/s1.txt"
"$BIN" status web -n shop --db "$TMP/d.db" > "$TMP/s2.txt"
"$BIN" status web -n shop --db "$TMP/v.db" > "$TMP/s3.txt"
ok "status RESOURCES byte-stable" cmp -s "$TMP/s1.txt" "$TMP/s2.txt"
ok "status RESOURCES same from Velero" cmp -s "$TMP/s1.txt" "$TMP/s3.txt"
ok "status shows RESOURCES" grep -q "^RESOURCES:" "$TMP/s1.txt"
ok "status groups by version/kind" grep -q "^==> v1/Deployment" "$TMP/s1.txt"
ok "status deployment columns" grep -Eq "^web-webapp +3/3 +3 +3 +60m" "$TMP/s1.txt"
"$BIN" status cache -n pruned --db "$TMP/d.db" > "$TMP/s4.txt"
ok "status lists missing resources" grep -A2 "^==> missing from the backup" "$TMP/s4.txt" | grep -q "cache-webapp-settings"
# byte-stable on the plain corpus too (objects from the corpus dump only)
"$BIN" status web -n shop --from $C/dumps/all-secrets-configmaps.yaml > "$TMP/c1.txt"
"$BIN" status web -n shop --from $C/dumps/all-secrets-configmaps.yaml > "$TMP/c2.txt"
ok "status on the corpus byte-stable" cmp -s "$TMP/c1.txt" "$TMP/c2.txt"
# no live objects for a release: status unchanged (no RESOURCES)
"$BIN" status web -n shop --from $C/dumps/single-record.yaml > "$TMP/c3.txt"
ok "no live objects: no RESOURCES" sh -c "! grep -q RESOURCES '$TMP/c3.txt'"

# audit rules
"$BIN" audit -A --db "$TMP/d.db" --rule drift --rule orphan -o json > "$TMP/audit.json"
ok "audit drift and orphan" python3 - "$TMP/audit.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
f = doc["findings"] if isinstance(doc, dict) else doc
rules = sorted((x["rule"], x["namespace"], x["release"]) for x in f)
assert ("orphan", "shop", "web") in rules, rules
for r in (("drift", "shop", "web"), ("drift", "labels", "api"), ("drift", "pruned", "cache"), ("drift", "cm", "cfg")):
    assert r in rules, (r, rules)
assert all(x["severity"] == "warning" for x in f)
assert not [r for r in rules if r[1] == "staging"], rules
EOF

# Secret values never appear (stored or live, clear or base64)
"$BIN" audit -A --db "$TMP/d.db" --explain > "$TMP/audit.txt" 2>&1
"$BIN" status cfg -n cm --db "$TMP/d.db" > "$TMP/s5.txt" 2>&1
for f in d.json v.json table.txt audit.json audit.txt s5.txt; do
	ok "no secret value in $f" sh -c "! grep -Eq 'hand-edited-s3cret|aGFuZC1lZGl0ZWQtczNjcmV0|pw-drqs4jv86hqm|cHctZHJxczRqdjg2aHFt' '$TMP/$f'"
done

finish
