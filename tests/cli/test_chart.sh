#!/usr/bin/env bash
# `helmrec chart`: for every Secret/ConfigMap revision of the public dump,
# the chart directory holds exactly the files the stored record splits into
# (templates and files byte-identical to their base64 in the decoded record,
# Chart.yaml/values.yaml/Chart.lock reading back as the stored metadata,
# values and lock), the .tgz lists NAME/<the same files>; what helm did not
# store is said on stderr; overwriting is refused without --force; a record
# with a path-traversal template name is rejected and nothing is written.
. "$(dirname "$0")/lib.sh"

DUMP=testdata/corpus/dumps/all-secrets-configmaps.yaml
DB=$TMP/idx.db
"$BIN" scan --db "$DB" "$DUMP" >/dev/null 2>&1
ok "scan the dump" test -s "$DB"

# verify_py DIR TGZ DECODED.json: exit 0 if the recovered chart matches the record.
verify_py=$(cat <<'PY'
import base64, json, os, sys, tarfile, yaml
d, tgz, rec = sys.argv[1:4]
chart = json.load(open(rec))["chart"]
meta = chart["metadata"]
v1 = meta.get("apiVersion", "v1") == "v1"
want = {}
for key in ("templates", "files"):
    for f in chart.get(key) or []:
        want[f["name"]] = base64.b64decode(f["data"] or "")
if chart.get("schema"):
    want["values.schema.json"] = base64.b64decode(chart["schema"])
yamls = {"Chart.yaml": dict(meta)}
if "dependencies" in meta:
    yamls["Chart.yaml"]["dependencies"] = [{k: v for k, v in x.items() if k != "enabled"} for x in meta["dependencies"]]
if v1:
    yamls["Chart.yaml"].pop("dependencies", None)
if chart.get("values") is not None:
    yamls["values.yaml"] = chart["values"]
if chart.get("lock") and not v1:
    yamls["Chart.lock"] = chart["lock"]
def strify(v):  # BaseLoader reads every scalar as text
    if isinstance(v, dict): return {k: strify(x) for k, x in v.items()}
    if isinstance(v, list): return [strify(x) for x in v]
    if isinstance(v, bool): return "true" if v else "false"
    if v is None: return "null"
    return str(v)
got = set()
for root, _, files in os.walk(d):
    for f in files:
        got.add(os.path.relpath(os.path.join(root, f), d))
allw = set(want) | set(yamls)
bad = []
if got != allw:
    bad.append("file set: extra %s, missing %s" % (sorted(got - allw), sorted(allw - got)))
for name, data in want.items():
    if name in got and open(os.path.join(d, name), "rb").read() != data:
        bad.append(name + ": bytes differ from the record")
for name, val in yamls.items():
    if name in got:
        back = yaml.load(open(os.path.join(d, name)), Loader=yaml.BaseLoader)
        if back != strify(val):
            bad.append(name + ": does not read back as the stored value")
with tarfile.open(tgz) as t:
    members = t.getmembers()
    names = [m.name for m in members]
    if sorted(names) != sorted(meta["name"] + "/" + n for n in allw):
        bad.append("tgz entries: %s" % names)
    if names and names[0] != meta["name"] + "/Chart.yaml":
        bad.append("tgz: Chart.yaml is not first")
    for m in members:
        rel = m.name.split("/", 1)[1]
        if not m.isfile() or m.mode != 0o644 or t.extractfile(m).read() != open(os.path.join(d, rel), "rb").read():
            bad.append("tgz entry " + m.name + " differs from the directory")
if os.path.basename(tgz) != "%s-%s.tgz" % (meta["name"], meta["version"]):
    bad.append("tgz name " + tgz)
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
)

revs=$(python3 -c '
import json
for r in json.load(open("testdata/corpus/records.json")):
    if r["driver"] in ("secret", "configmap"):
        print(r["driver"], r["namespace"], r["release"], r["version"])
')
n=0
while read -r drv ns rel ver; do
	[ -n "$ns" ] || continue
	id="$ns/$rel v$ver"
	d=$TMP/c-$ns-$rel-$ver
	mkdir -p "$d"
	if ! "$BIN" chart "$rel" -n "$ns" --revision "$ver" --db "$DB" --out "$d/chart" --tgz >"$d/out" 2>"$d/notes"; then
		echo "FAIL $id: helmrec chart: $(head -c 300 "$d/notes")"
		FAIL=$((FAIL + 1))
		continue
	fi
	if python3 -c "$verify_py" "$d/chart" "$d"/*.tgz "testdata/corpus/decoded/$drv/$ns/sh.helm.release.v1.$rel.v$ver.json" >"$d/why"; then
		PASS=$((PASS + 1))
	else
		echo "FAIL $id: $(head -5 "$d/why")"
		FAIL=$((FAIL + 1))
	fi
	ok "$id: says values.yaml comments are lost" grep -q "comments" "$d/notes"
	ok "$id: stdout names the directory" grep -q "into $d/chart" "$d/out"
	n=$((n + 1))
done <<<"$revs"
ok "checked every revision" test "$n" -ge 30

# Sub-charts: named on stderr, with the command that restores them.
d=$TMP/plat
expect_status "plat: recovered" 0 "$BIN" chart plat -n platform --db "$DB" --out "$d"
ok "plat: names the missing sub-chart" grep -q "charts/ is missing cachelet 0.3.1 (file://../cachelet)" "$TMP/err"
ok "plat: says helm dependency build" grep -q "helm dependency build" "$TMP/err"
ok "plat: WARNING incomplete" grep -q "^WARNING: the recovered chart is incomplete: 1 sub-chart is missing" "$TMP/err"
ok "plat: charts/ not invented" test ! -e "$d/charts"
ok "web: no sub-chart warning" sh -c "! grep -q sub-chart '$TMP/c-shop-web-6/notes'"

# Overwriting.
d=$TMP/c-shop-web-6/chart
echo stray >"$d/stray"
expect_status "existing chart dir refused" 1 "$BIN" chart web -n shop --db "$DB" --out "$d"
ok "refusal message" grep -q "not empty (use --force" "$TMP/err"
ok "refused: left as it was" test -f "$d/stray"
expect_status "--force replaces it" 0 "$BIN" chart web -n shop --db "$DB" --out "$d" --force
ok "--force: stray file gone" test ! -e "$d/stray"
mkdir -p "$TMP/fresh"
expect_status "existing tgz refused before anything is written" 1 \
	"$BIN" chart web -n shop --revision 6 --db "$DB" --out "$TMP/c-shop-web-6/other" --tgz
ok "tgz refusal message" grep -q "webapp-0.1.0.tgz exists" "$TMP/err"
ok "tgz refusal: no directory written" test ! -e "$TMP/c-shop-web-6/other"
mkdir -p "$TMP/home/notes"
expect_status "a directory without Chart.yaml is never replaced" 1 "$BIN" chart web -n shop --db "$DB" --out "$TMP/home" --force
ok "home kept" test -d "$TMP/home/notes"

# Usage and lookup errors.
expect_status "--out is required" 2 "$BIN" chart web -n shop --db "$DB"
expect_status "unknown release" 4 "$BIN" chart nosuch --db "$DB" --out "$TMP/x"
expect_status "unknown revision" 4 "$BIN" chart web -n shop --revision 99 --db "$DB" --out "$TMP/x"
ok "nothing written for an unknown release" test ! -e "$TMP/x"

# A hostile record: a template named ../../evil.yaml, stored as helm stores it.
python3 - "$TMP/hostile.yaml" <<'PY'
import base64, gzip, json, sys
rel = json.load(open("testdata/corpus/decoded/secret/shop/sh.helm.release.v1.web.v1.json"))
rel["chart"]["templates"][2]["name"] = "../../evil.yaml"
helm = base64.b64encode(gzip.compress(json.dumps(rel).encode())).decode()
k8s = base64.b64encode(helm.encode()).decode()
open(sys.argv[1], "w").write("""apiVersion: v1
kind: Secret
metadata:
  name: sh.helm.release.v1.web.v1
  namespace: shop
  labels: {name: web, owner: helm, status: deployed, version: "1"}
type: helm.sh/release.v1
data:
  release: %s
""" % k8s)
PY
mkdir -p "$TMP/h/a/b"
expect_status "path traversal rejected" 1 "$BIN" chart web -n shop --from "$TMP/hostile.yaml" --out "$TMP/h/a/b/out" --tgz
ok "error names the file" grep -q 'chart.templates\[2\] "../../evil.yaml": unsafe file name' "$TMP/err"
ok "nothing escaped" test ! -e "$TMP/h/evil.yaml"
ok "nothing written" sh -c "[ -z \"\$(ls -A '$TMP/h/a/b')\" ]"
finish
