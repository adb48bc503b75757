#!/usr/bin/env bash
# helmrec audit on the corpus (every planted problem found, with its remedy;
# healthy releases quiet at warning and above; no credential value printed)
# and on records doctored here from corpus records for the rules the corpus
# does not exercise.
. "$(dirname "$0")/lib.sh"
C=testdata/corpus
IN=(--from $C/dumps/all-secrets-configmaps.yaml --from $C/sql/helm-sql-full.sql)

"$BIN" audit -A "${IN[@]}" -o json > "$TMP/a.json"
ok "audit json" test -s "$TMP/a.json"
# jq-like assertions in python: has RULE SEV NS/REL [substring in message] [substring in remedy]
has() {
	python3 - "$TMP/a.json" "$@" <<'PY'
import json, sys
f = json.load(open(sys.argv[1])); rule, sev, rel = sys.argv[2:5]
msg = sys.argv[5] if len(sys.argv) > 5 else ""; fix = sys.argv[6] if len(sys.argv) > 6 else ""
ns, name = rel.split("/")
sys.exit(0 if any(x["rule"] == rule and x["severity"] == sev and x["namespace"] == ns and x["release"] == name
                  and msg in x["message"] and fix in (x.get("remedy") or "") for x in f) else 1)
PY
}
ok "stuck upgrade" has stuck-operation error stuck/hung "another operation (install/upgrade/rollback) is in progress" "helmrec repair hung -n stuck --unlock"
ok "stuck upgrade names the record" has stuck-operation error stuck/hung "revision 2 is pending-upgrade" "sh.helm.release.v1.hung.v2"
ok "stuck install" has stuck-operation error stuck/fresh "pending-install" "sh.helm.release.v1.fresh.v1"
ok "pruned history is info" has revision-gap info pruned/cache "revisions 1 to 3 are not stored"
ok "credentials in user values" has credentials warning shop/web "user-supplied value credentials.password"
ok "uninstalled --keep-history is info" has no-deployed info batch/etl "has no deployed releases"
ok "sql keep-history is info" has no-deployed info sqlapp/reports "has no deployed releases"
ok "mixed helm 3/4 history" has helm4-readiness info migrate/legacy "mixes Helm 3"
ok "subchart not stored" has chart-provenance info platform/plat "cachelet"
ok "healthy releases quiet" python3 - "$TMP/a.json" <<'PY'
import json, sys
bad = [x for x in json.load(open(sys.argv[1])) if x["severity"] != "info"
       and (x["namespace"], x["release"]) not in {("stuck", "hung"), ("stuck", "fresh")}
       and not (x["rule"] == "credentials" and x["release"] == "web" and x["namespace"] == "shop")]
print(bad); sys.exit(1 if bad else 0)
PY
ok "failed upgrade with a later deploy is quiet" python3 -c "
import json,sys; sys.exit(any(x['release'] in ('cfg',) and x['severity']!='info' for x in json.load(open('$TMP/a.json'))))"

# --fail-on: exit 5 at or above the level; 0 below it.
expect_status "fail-on error" 5 "$BIN" audit -A "${IN[@]}" --fail-on error
expect_status "fail-on warning" 5 "$BIN" audit -A "${IN[@]}" --fail-on warning
expect_status "fail-on below findings" 0 "$BIN" audit -A "${IN[@]}" --fail-on error --rule helm4-readiness
expect_status "unknown rule is usage" 2 "$BIN" audit -A "${IN[@]}" --rule nope
expect_status "bad fail-on is usage" 2 "$BIN" audit -A "${IN[@]}" --fail-on fatal
expect_status "namespace only" 0 "$BIN" audit -n shop "${IN[@]}"
ok "namespace only lists shop" sh -c "! grep -q stuck/ '$TMP/out' && grep -q shop/web '$TMP/out'"

# No credential value in any default output.
python3 tests/cli/known_secrets.py $C/decoded > "$TMP/secrets"
ok "known credential values collected" test "$(wc -l < "$TMP/secrets")" -ge 3
"$BIN" audit -A "${IN[@]}" > "$TMP/all.out"
"$BIN" audit -A "${IN[@]}" --explain >> "$TMP/all.out"
"$BIN" audit -A "${IN[@]}" -o sarif >> "$TMP/all.out"
cat "$TMP/a.json" >> "$TMP/all.out"
ok "no credential value printed" sh -c "! grep -F -f '$TMP/secrets' '$TMP/all.out'"
"$BIN" audit -n shop "${IN[@]}" --rule credentials --show-secrets -o json > "$TMP/show.json"
ok "--show-secrets shows them" grep -q "init-ecmz8u5pqj92" "$TMP/show.json"

# SARIF 2.1.0 structure (the official schema is not vendored; see sarif_check.py).
"$BIN" audit -A "${IN[@]}" -o sarif > "$TMP/a.sarif"
ok "sarif valid" python3 tests/cli/sarif_check.py "$TMP/a.sarif"
ok "sarif logical location" grep -q '"fullyQualifiedName": "stuck/hung@2"' "$TMP/a.sarif"

# Findings are stored in the index, with a view.
"$BIN" scan $C/dumps/all-secrets-configmaps.yaml --db "$TMP/i.db" --quiet
"$BIN" audit -A --db "$TMP/i.db" > /dev/null
ok "findings stored" test "$(sqlite3 "$TMP/i.db" "SELECT COUNT(*) FROM v_findings WHERE rule = 'stuck-operation'")" = 2
ok "stored without values" sh -c "! sqlite3 '$TMP/i.db' 'SELECT * FROM finding' | grep -F -f '$TMP/secrets'"

# Doctored: a status label changed by hand.
sed '0,/status: superseded/s//status: deployed/' $C/dumps/per-namespace/staging.yaml > "$TMP/relabel.yaml"
"$BIN" audit -n staging --from "$TMP/relabel.yaml" -o json > "$TMP/a.json"
ok "label mismatch" has label-mismatch warning staging/web 'status label "deployed" but the release body says "superseded"' "status=superseded"

# Doctored: a revision dropped from the middle of a history.
python3 - $C/dumps/per-namespace/shop.yaml "$TMP/gap.yaml" <<'PY'
import sys
docs = open(sys.argv[1]).read().split("\n---\n")
open(sys.argv[2], "w").write("\n---\n".join(d for d in docs if "sh.helm.release.v1.web.v3\n" not in d))
PY
"$BIN" audit -n shop --from "$TMP/gap.yaml" -o json > "$TMP/a.json"
ok "revision gap" has revision-gap warning shop/web "revision 3 is missing between 2 and 4" "sh.helm.release.v1.web.v3"

# Doctored: a removed API in the manifest of a copy of shop/web v6 (a second
# live record next to the dump: also a conflict), and a chart file grown past 80 %.
python3 - $C/decoded/secret/shop/sh.helm.release.v1.web.v6.json "$TMP" <<'PY'
import base64, gzip, json, os, sys
r = json.load(open(sys.argv[1])); out = sys.argv[2]
d = dict(r); d["manifest"] = r["manifest"].replace("apiVersion: apps/v1\nkind: Deployment", "apiVersion: extensions/v1beta1\nkind: Deployment")
assert d["manifest"] != r["manifest"]
def secret(path, body):
    helm = base64.b64encode(gzip.compress(json.dumps(body).encode())).decode()
    open(path, "w").write("""apiVersion: v1
kind: Secret
metadata:
  name: sh.helm.release.v1.web.v6
  namespace: shop
  labels:
    name: web
    owner: helm
    status: deployed
    version: "6"
type: helm.sh/release.v1
data:
  release: %s
""" % base64.b64encode(helm.encode()).decode())
secret(os.path.join(out, "deprecated.yaml"), d)
g = dict(r); g["chart"] = dict(r["chart"])
g["chart"]["files"] = (r["chart"].get("files") or []) + [{"name": "big.bin", "data": base64.b64encode(os.urandom(500000)).decode()}]
secret(os.path.join(out, "big.yaml"), g)
PY
"$BIN" audit -n shop --from $C/dumps/per-namespace/shop.yaml --from "$TMP/deprecated.yaml" -o json > "$TMP/a.json"

ok "removed api replacement" has deprecated-api error shop/web "removed in Kubernetes 1.16 (target 1.32)" "apps/v1"
ok "conflict" has conflict error shop/web "revision 6 has 2 different bodies"
"$BIN" audit -n shop --from $C/dumps/per-namespace/shop.yaml --from "$TMP/deprecated.yaml" --kube-version 1.15 --rule deprecated-api -o json > "$TMP/a.json"
ok "deprecated before removal" has deprecated-api warning shop/web "is deprecated in Kubernetes 1.9 (target 1.15)"
"$BIN" audit -n shop --from "$TMP/big.yaml" --rule size -o json > "$TMP/a.json"
ok "size pressure" has size warning shop/web "of the 1 MiB object limit" ".helmignore"
ok "size names what takes the space" grep -q "files [0-9]* KiB" "$TMP/a.json"

finish
