#!/usr/bin/env bash
# Hand-edited records (issue 14), no helm needed: the doctored objects of
# tests/interop/doctor.py scanned, then read as helm reads them (list keys
# by the body, history per object, get --revision by object key, version 0)
# — the same answers test_interop_identity.sh checks against the real helm —
# and exported without rewriting evidence: a body that disagrees with its
# object keeps its payload bytes (with a warning) unless --normalize.
source "$(dirname "$0")/lib.sh"
fail() { echo "FAIL: $*"; FAIL=$((FAIL + 1)); }
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 77; }
python3 tests/interop/doctor.py testdata/corpus/dumps/all-secrets-configmaps.json "$TMP/doc.json" || exit 1
DB="$TMP/doc.db"
"$BIN" scan "$TMP/doc.json" --db "$DB" >/dev/null 2>&1 || fail "scan"

# list -A: body names/namespaces, one row per body identity.
"$BIN" list -A --db "$DB" | awk 'NR > 1 {print $1, $2, $3}' >"$TMP/list"
printf '%s\n' "cache pruned 6" "gizmo crd 2" "plat old122 1" "web shop 6" "web staging 2" "zero zero 0" | cmp -s - "$TMP/list" ||
	fail "list -A: $(cat "$TMP/list")"
# history: the body held by web.v6 and web.v7 prints twice.
[ "$("$BIN" history web -n shop --db "$DB" | awk 'NR > 1 {print $1}' | tr '\n' ' ')" = "1 2 3 4 5 6 6 " ] ||
	fail "history web -n shop"
[ "$("$BIN" history zero -n zero --db "$DB" | awk 'NR > 1 {print $1}')" = 0 ] || fail "history zero (version 0)"
"$BIN" status zero -n zero --db "$DB" | grep -qx 'REVISION: 0' || fail "status zero: REVISION: 0"
# get --revision N is the object key .vN: cache.v2 holds revision 6; there is no object .v6.
"$BIN" get values cache -n pruned --revision 2 --db "$DB" >"$TMP/v2" 2>&1 || fail "get --revision 2 (key cache.v2)"
"$BIN" get values cache -n pruned --db "$DB" >"$TMP/last" 2>&1
cmp -s "$TMP/v2" "$TMP/last" || fail "--revision 2 is not the body of revision 6"
"$BIN" get values cache -n pruned --revision 6 --db "$DB" >"$TMP/out" 2>&1
[ $? = 4 ] && grep -q 'release: not found' "$TMP/out" || fail "--revision 6 should be not found: $(cat "$TMP/out")"
"$BIN" get values zero -n zero --revision 1 --db "$DB" >/dev/null 2>&1 || fail "get zero --revision 1 (key zero.v1)"

# export keeps the payload of a body that disagrees with its object, and warns.
"$BIN" export gizmo -n elsewhere --driver secret -o json --db "$DB" --out "$TMP/g.json" 2>"$TMP/err" ||
	fail "export gizmo"
grep -q '^warning: elsewhere/gizmo revision 2: the body says release crd/gizmo' "$TMP/err" ||
	fail "no inconsistency warning: $(cat "$TMP/err")"
python3 - "$TMP/doc.json" "$TMP/g.json" <<'PY' || fail "payload of elsewhere/gizmo changed without --normalize"
import json, sys
a = [o for o in json.load(open(sys.argv[1]))["items"] if o["metadata"]["namespace"] == "elsewhere"][0]
b = json.load(open(sys.argv[2]))["items"][0]
sys.exit(a["data"]["release"] != b["data"]["release"])
PY
"$BIN" export gizmo -n elsewhere --driver secret -o json --normalize --db "$DB" --out "$TMP/n.json" 2>"$TMP/err" ||
	fail "export --normalize"
grep -q 're-encoded' "$TMP/err" || fail "--normalize did not re-encode: $(cat "$TMP/err")"
"$BIN" decode "$TMP/n.json" -o json 2>/dev/null | python3 -c '
import json, sys
r = json.load(sys.stdin)
r = r[0] if isinstance(r, list) else r
sys.exit(r["namespace"] != "elsewhere")' || fail "--normalize: body namespace not aligned"

# A moved body is re-serialized in its writer's dialect: Go < 1.22 escapes stay, only the namespace differs.
"$BIN" export plat -n old122 --driver secret -o json --namespace-map old122=new122 --db "$DB" --out "$TMP/m.json" \
	2>"$TMP/err" || fail "export old122: $(cat "$TMP/err")"
python3 - "$TMP/doc.json" "$TMP/m.json" <<'PY' || fail "moved Go<1.22 body: bytes other than the namespace changed"
import base64, gzip, json, sys
def body(o):
    return gzip.decompress(base64.b64decode(base64.b64decode(o["data"]["release"])))
a = [o for o in json.load(open(sys.argv[1]))["items"] if o["metadata"]["namespace"] == "old122"][0]
b = json.load(open(sys.argv[2]))["items"][0]
want = body(a).replace(b'"namespace":"old122"', b'"namespace":"new122"', 1)
sys.exit(not (b'\\u0008' in want and body(b) == want))
PY

# Helm-3-only flags: refused under Helm 4 compatibility with helm 4.1.4's words, accepted under 3.
while IFS='|' read -r args want; do
	# shellcheck disable=SC2086
	"$BIN" --helm-compat 4 $args --db "$DB" >/dev/null 2>"$TMP/err"
	rc=$?
	[ "$rc" = 2 ] && [ "$(cat "$TMP/err")" = "Error: $want" ] || fail "helm 4: $args: exit $rc, $(cat "$TMP/err")"
	# shellcheck disable=SC2086
	"$BIN" --helm-compat 3 $args --db "$DB" >/dev/null 2>&1 || fail "helm 3: $args refused"
done <<'CASES'
list -a|unknown shorthand flag: 'a' in -a
list -qa|unknown shorthand flag: 'a' in -a
list --all|unknown flag: --all
status web -n shop --show-desc|unknown flag: --show-desc
CASES
"$BIN" --helm-compat 4 list -n -a --db "$DB" >/dev/null 2>&1   # "-a" is the namespace here
[ $? = 0 ] || fail "helm 4: list -n -a (a namespace named -a) refused"

finish
