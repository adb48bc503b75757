#!/usr/bin/env bash
# helmrec rollback against the rollbacks real helm made in the corpus: the
# history is cut just before helm's rollback revision, helmrec rolls back,
# and the record it writes must decode to exactly helm's release JSON
# (with helm's clock value given as --now).
. "$(dirname "$0")/lib.sh"
DUMPS=testdata/corpus/dumps/per-namespace

# without OBJECT: the documents of a per-namespace dump other than OBJECT
drop_object() {
	awk -v obj="$2" 'BEGIN{RS="\n---\n"; ORS="\n---\n"} index($0, "  name: " obj "\n") == 0 {print}' "$1"
}

# rollback_equals NAME NS RELEASE TARGET VERSION COMPAT: helm's record vVERSION
rollback_equals() {
	local name=$1 ns=$2 rel=$3 target=$4 v=$5 compat=$6 obj=sh.helm.release.v1.$3.v$5 when
	drop_object "$DUMPS/$ns.yaml" "$obj" >"$TMP/before.yaml"
	"$BIN" decode "$DUMPS/$ns.yaml" 2>/dev/null | grep "\"version\":$v,\"namespace\":\"$ns\"" >"$TMP/helm.json"
	when=$(sed 's/.*"last_deployed":"\([^"]*\)".*/\1/' "$TMP/helm.json")
	ok "$name: helm's record found" test -s "$TMP/helm.json"
	if "$BIN" rollback "$rel" "$target" -n "$ns" --from "$TMP/before.yaml" --helm-compat "$compat" \
		--now "$when" --records-only >"$TMP/records.yaml" 2>"$TMP/plan.txt"; then
		"$BIN" decode "$TMP/records.yaml" | grep "\"version\":$v," >"$TMP/mine.json"
		if cmp -s "$TMP/helm.json" "$TMP/mine.json"; then PASS=$((PASS + 1)); else
			echo "FAIL $name: record differs from helm's"; FAIL=$((FAIL + 1)); fi
		ok "$name: plan names the new record" grep -q "create  $obj" "$TMP/plan.txt"
	else
		echo "FAIL $name: rollback exited $? ($(head -c 300 "$TMP/plan.txt"))"
		FAIL=$((FAIL + 1))
	fi
}

rollback_equals "cm/cfg (helm 3.17, configmap)" cm cfg 2 4 3
rollback_equals "migrate/legacy (helm 4 over a helm 3 history)" migrate legacy 2 4 4

# the bundle directory
D=$TMP/bundle
expect_status "rollback --out" 0 "$BIN" rollback web 3 -n shop --from testdata/corpus/dumps/all-secrets-configmaps.yaml --out "$D"
ok "bundle: records" test -s "$D/records.yaml"
ok "bundle: five resources" test "$(ls "$D/manifests" | wc -l)" -eq 5
ok "bundle: plan" grep -q "update  sh.helm.release.v1.web.v6  deployed -> superseded" "$D/plan.txt"
ok "bundle: files are private" test "$(stat -c %a "$D/records.yaml")" = 600
# -o json is one document
expect_status "rollback -o json" 0 "$BIN" rollback cfg 2 -n cm --from "$DUMPS/cm.yaml" -o json
ok "rollback -o json parses" python3 -c "import json,sys; d=json.load(open('$TMP/out')); assert d['revision']==5 and d['target']==2"
# errors as helm words them
expect_status "no such revision" 4 "$BIN" rollback cfg 9 -n cm --from "$DUMPS/cm.yaml"
ok "no such revision message" grep -q "release has no 9 version" "$TMP/err"
expect_status "bad --driver" 2 "$BIN" rollback cfg 2 -n cm --from "$DUMPS/cm.yaml" --driver sql
expect_status "bad --server-side" 2 "$BIN" rollback cfg 2 -n cm --from "$DUMPS/cm.yaml" --server-side maybe
expect_status "both only flags" 2 "$BIN" rollback cfg 2 -n cm --from "$DUMPS/cm.yaml" --records-only --manifests-only
finish
