#!/usr/bin/env bash
# Interop: `helmrec repair` records accepted by the real helm 4 and helm 3
# through the Kubernetes API emulator (tests/interop/kubeapi.py), applied
# with the real kubectl (`kubectl apply -f`, as a user would).
#
#   --unlock:   the corpus' stuck releases (stuck/hung: helm 4, v2
#               pending-upgrade; stuck/fresh: helm 3, v1 pending-install)
#               are loaded; `helm upgrade` fails with "another operation
#               ... is in progress"; the repair is applied; `helm upgrade`
#               (chart rebuilt from the record with `helmrec chart`)
#               succeeds and the history has exactly one deployed revision.
#   --map-apis: a policy/v1beta1 PodDisruptionBudget (which the emulator
#               does not serve) is planted in the deployed revision of
#               labels/api (helm 4, apply_method ssa, custom labels);
#               `helm upgrade` fails with "resource mapping not found";
#               after the repair it succeeds; the new revision carries
#               policy/v1, keeps apply_method and the custom labels, and
#               its manifest differs from the planted one only in the
#               mapped line.
#   SQL driver: stuck/hung's rows loaded into PostgreSQL, the repair's
#               UPDATE applied with psql, helm 4 (HELM_DRIVER=sql) upgrades.
# Label: interop (SKIP = exit 77).
source "$(dirname "$0")/../interop/lib.sh"
ir_need_helmrec
ir_need_helm
KUBECTL=$(bash "$IR_ROOT/scripts/get-helm.sh" kubectl 2>/dev/null) || ir_skip "kubectl could not be obtained"
ir_scan_corpus
export HELM_DRIVER=secret
NOW=2026-12-07T12:00:00Z

hrun() { TZ=UTC NO_COLOR=1 timeout 120 "$@"; }

# history_check HELM NAME NS PYTHON-ASSERTS: helm history -o json as `h`.
history_check() {
	local helm=$1 name=$2 ns=$3 code=$4
	hrun "$helm" history "$name" -n "$ns" -o json >"$IR_TMP/h.json" 2>&1
	python3 - "$IR_TMP/h.json" <<EOF || { cat "$IR_TMP/h.json"; return 1; }
import json, sys
h = json.load(open(sys.argv[1]))
assert sum(1 for r in h if r["status"] == "deployed") == 1, "deployed count"
assert h[-1]["status"] == "deployed", h[-1]
$code
EOF
}

# ---- --unlock ----
# unlock_case HELM HELM-LABEL NAME STUCK-VERSION
unlock_case() {
	local helm=$1 hl=$2 name=$3 v=$4 tag="unlock stuck/$3 with $2" chart
	chart="$IR_TMP/chart-$name-$hl"
	ir_start_kubeapi "unlock-$name-$hl"
	"$HELMREC" export "$name" -n stuck --driver secret -o json --db "$IR_DB" --force --out "$IR_TMP/$name.json" 2>/dev/null &&
		python3 "$IR_ROOT/tests/interop/kubecreate.py" "$KUBECONFIG" "$IR_TMP/$name.json" 2>/dev/null ||
		{ ir_fail "$tag: load"; ir_stop_kubeapi; return; }
	rm -rf "$chart"
	"$HELMREC" chart "$name" -n stuck --db "$IR_DB" --out "$chart" >/dev/null 2>&1 || { ir_fail "$tag: chart"; ir_stop_kubeapi; return; }
	if hrun "$helm" upgrade "$name" "$chart" -n stuck --reuse-values >"$IR_TMP/up.out" 2>&1 ||
		! grep -q "another operation (install/upgrade/rollback) is in progress" "$IR_TMP/up.out"; then
		cat "$IR_TMP/up.out"
		ir_fail "$tag: helm upgrade before the repair should fail as in progress"
	fi
	"$HELMREC" repair "$name" -n stuck --unlock --now "$NOW" --db "$IR_DB" --out "$IR_TMP/fix-$name-$hl.yaml" \
		2>"$IR_TMP/plan.txt" || { cat "$IR_TMP/plan.txt"; ir_fail "$tag: repair"; ir_stop_kubeapi; return; }
	grep -q "replace  Secret sh.helm.release.v1.$name.v$v: revision $v, pending-" "$IR_TMP/plan.txt" ||
		{ cat "$IR_TMP/plan.txt"; ir_fail "$tag: plan"; }
	"$KUBECTL" apply -f "$IR_TMP/fix-$name-$hl.yaml" --validate=false >"$IR_TMP/apply.out" 2>&1 ||
		{ cat "$IR_TMP/apply.out"; ir_fail "$tag: kubectl apply"; ir_stop_kubeapi; return; }
	if ! hrun "$helm" upgrade --install "$name" "$chart" -n stuck --reuse-values >"$IR_TMP/up.out" 2>&1; then
		cat "$IR_TMP/up.out"
		ir_fail "$tag: helm upgrade after the repair"
	elif history_check "$helm" "$name" stuck "
r = {x['revision']: x for x in h}
# failed; superseded when helm upgraded from it (no deployed revision before: a stuck first install)
assert r[$v]['status'] == ('superseded' if $v == 1 else 'failed'), r[$v]
assert r[$v]['description'].startswith('stuck in pending-'), r[$v]
assert h[-1]['revision'] == $v + 1 and h[-1]['description'] == 'Upgrade complete', h[-1]"; then
		echo "ok   $tag: upgrade after the repair, one deployed revision"
	else
		ir_fail "$tag: history after the repair"
	fi
	ir_stop_kubeapi
}

unlock_case "$H4" helm4 hung 2
unlock_case "$H3" helm3 hung 2
unlock_case "$H3" helm3 fresh 1
unlock_case "$H4" helm4 fresh 1

# ---- --map-apis ----
"$HELMREC" export api -n labels --driver secret -o json --db "$IR_DB" --force --out "$IR_TMP/api.json" 2>/dev/null ||
	ir_fail "map: export labels/api"
python3 - "$IR_TMP/api.json" "$IR_TMP/planted.json" <<'EOF' || ir_fail "map: plant"
# Plant a policy/v1beta1 PodDisruptionBudget first in the deployed revision's
# manifest, editing the JSON text (so the rest stays helm's bytes).
import base64, gzip, json, sys
doc = json.load(open(sys.argv[1]))
pdb = ("---\\n# Source: webapp/templates/pdb.yaml\\napiVersion: policy/v1beta1\\nkind: PodDisruptionBudget\\n"
       "metadata:\\n  name: api-webapp\\nspec:\\n  minAvailable: 1\\n  selector:\\n    matchLabels:\\n"
       "      app.kubernetes.io/instance: api\\n")
done = 0
for o in doc["items"]:
    if o["metadata"]["labels"].get("status") != "deployed":
        continue
    raw = gzip.decompress(base64.b64decode(base64.b64decode(o["data"]["release"]))).decode()
    assert raw.count('"manifest":"---\\n') == 1
    raw = raw.replace('"manifest":"', '"manifest":"' + pdb, 1)
    o["data"]["release"] = base64.b64encode(base64.b64encode(gzip.compress(raw.encode()))).decode()
    done += 1
assert done == 1
json.dump(doc, open(sys.argv[2], "w"))
EOF
"$HELMREC" scan "$IR_TMP/planted.json" --db "$IR_TMP/planted.db" >/dev/null 2>&1 || ir_fail "map: scan planted"
"$HELMREC" chart api -n labels --db "$IR_TMP/planted.db" --out "$IR_TMP/chart-api" >/dev/null 2>&1 || ir_fail "map: chart"
"$HELMREC" repair api -n labels --map-apis --kube-version 1.25 --now "$NOW" --db "$IR_TMP/planted.db" \
	--out "$IR_TMP/map.yaml" 2>"$IR_TMP/plan.txt" || { cat "$IR_TMP/plan.txt"; ir_fail "map: repair"; }
grep -q "map      manifest: PodDisruptionBudget api-webapp: apiVersion policy/v1beta1 -> policy/v1 (removed)" \
	"$IR_TMP/plan.txt" || { cat "$IR_TMP/plan.txt"; ir_fail "map: plan"; }
"$HELMREC" decode "$IR_TMP/planted.json" 2>/dev/null | grep '"version":2,' >"$IR_TMP/old.json"
"$HELMREC" decode "$IR_TMP/map.yaml" 2>/dev/null >"$IR_TMP/new.json"
python3 - "$IR_TMP/old.json" "$IR_TMP/new.json" "$IR_TMP/map.yaml" "$IR_TMP/planted.json" <<'EOF' || ir_fail "map: records"
import json, sys
old = json.loads(open(sys.argv[1]).read())
rels = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
new = {r["version"]: r for r in rels}
assert sorted(new) == [2, 3], sorted(new)
n3 = new[3]
assert n3["apply_method"] == "ssa", n3.get("apply_method")
assert n3["info"]["status"] == "deployed" and new[2]["info"]["status"] == "superseded"
assert n3["info"]["description"] == "Kubernetes deprecated API upgrade - DO NOT rollback from this version"
ol, nl = old["manifest"].split("\n"), n3["manifest"].split("\n")
assert len(ol) == len(nl)
diff = [(a, b) for a, b in zip(ol, nl) if a != b]
assert diff == [("apiVersion: policy/v1beta1", "apiVersion: policy/v1")], diff
for k in old:
    if k not in ("manifest", "info", "version"):
        assert old[k] == n3[k], k
    assert k in n3, k
# custom labels kept
import re
def labels(path, ver):
    t = open(path).read()
    if path.endswith(".json"):
        for o in json.load(open(path))["items"]:
            if o["metadata"]["labels"]["version"] == str(ver):
                return o["metadata"]["labels"]
    docs = t.split("\n---\n")
    for d in docs:
        if "name: sh.helm.release.v1.api.v%d\n" % ver in d:
            return dict(re.findall(r'^    ([^:\s]+): "?([^"\n]*)"?$', d, re.M))
sysl = {"name", "owner", "status", "version", "createdAt", "modifiedAt"}
lo = {k: v for k, v in labels(sys.argv[4], 2).items() if k not in sysl}
ln = {k: v for k, v in labels(sys.argv[3], 3).items() if k not in sysl}
assert lo and lo == ln, (lo, ln)
EOF

# map_case HELM HELM-LABEL
map_case() {
	local helm=$1 hl=$2 tag="map-apis labels/api with $2"
	ir_start_kubeapi "map-$hl"
	python3 "$IR_ROOT/tests/interop/kubecreate.py" "$KUBECONFIG" "$IR_TMP/planted.json" 2>/dev/null ||
		{ ir_fail "$tag: load"; ir_stop_kubeapi; return; }
	if hrun "$helm" upgrade api "$IR_TMP/chart-api" -n labels --reuse-values >"$IR_TMP/up.out" 2>&1 ||
		! grep -q "resource mapping not found" "$IR_TMP/up.out"; then
		cat "$IR_TMP/up.out"
		ir_fail "$tag: helm upgrade before the repair should fail with resource mapping not found"
	fi
	"$KUBECTL" apply -f "$IR_TMP/map.yaml" --validate=false >"$IR_TMP/apply.out" 2>&1 ||
		{ cat "$IR_TMP/apply.out"; ir_fail "$tag: kubectl apply"; ir_stop_kubeapi; return; }
	if ! hrun "$helm" upgrade api "$IR_TMP/chart-api" -n labels --reuse-values >"$IR_TMP/up.out" 2>&1; then
		cat "$IR_TMP/up.out"
		ir_fail "$tag: helm upgrade after the repair"
	elif history_check "$helm" api labels "
r = {x['revision']: x for x in h}
assert r[2]['status'] == 'superseded', r[2]
assert r[3]['description'] == 'Kubernetes deprecated API upgrade - DO NOT rollback from this version', r[3]
assert h[-1]['revision'] == 4 and h[-1]['description'] == 'Upgrade complete', h[-1]"; then
		echo "ok   $tag: upgrade fails before, succeeds after"
	else
		ir_fail "$tag: history after the repair"
	fi
	ir_stop_kubeapi
}

map_case "$H4" helm4
map_case "$H3" helm3

# ---- --unlock for the SQL driver (when PostgreSQL is installed) ----
sql_case() {
	local tag="unlock stuck/hung, SQL driver, helm 4" chart="$IR_TMP/chart-hung-sql"
	ir_start_pg
	ir_pg_newdb repair
	export HELM_DRIVER=sql HELM_DRIVER_SQL_CONNECTION_STRING=$IR_PGURL
	ir_start_kubeapi unlock-sql
	"$HELMREC" export hung -n stuck --driver sql --db "$IR_DB" --force --out "$IR_TMP/hung.sql" 2>/dev/null &&
		ir_psql repair -f "$IR_TMP/hung.sql" >/dev/null || { ir_fail "$tag: load"; return; }
	"$HELMREC" chart hung -n stuck --db "$IR_DB" --out "$chart" >/dev/null 2>&1 || { ir_fail "$tag: chart"; return; }
	hrun "$H4" upgrade hung "$chart" -n stuck --reuse-values >"$IR_TMP/up.out" 2>&1 &&
		ir_fail "$tag: helm upgrade before the repair should fail"
	"$HELMREC" repair hung -n stuck --unlock --driver sql --now "$NOW" --db "$IR_DB" --out "$IR_TMP/fix.sql" \
		2>"$IR_TMP/plan.txt" || { cat "$IR_TMP/plan.txt"; ir_fail "$tag: repair"; return; }
	ir_psql repair -f "$IR_TMP/fix.sql" >/dev/null || { ir_fail "$tag: psql -f"; return; }
	if ! hrun "$H4" upgrade hung "$chart" -n stuck --reuse-values >"$IR_TMP/up.out" 2>&1; then
		cat "$IR_TMP/up.out"
		ir_fail "$tag: helm upgrade after the repair"
	elif history_check "$H4" hung stuck "
r = {x['revision']: x for x in h}
assert r[2]['status'] == 'failed' and r[2]['description'].startswith('stuck in pending-upgrade'), r[2]
assert h[-1]['revision'] == 3 and h[-1]['description'] == 'Upgrade complete', h[-1]"; then
		echo "ok   $tag: upgrade after the repair, one deployed revision"
	else
		ir_fail "$tag: history after the repair"
	fi
	ir_stop_kubeapi
	export HELM_DRIVER=secret
	unset HELM_DRIVER_SQL_CONNECTION_STRING
}
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v psql >/dev/null; then
	sql_case
else
	echo "SKIP (part): PostgreSQL not installed; the SQL driver repair was not loaded"
fi
ir_done
