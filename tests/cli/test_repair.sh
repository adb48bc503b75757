#!/usr/bin/env bash
# helmrec repair on the corpus' stuck releases (stuck/hung: helm 4, v2
# pending-upgrade; stuck/fresh: helm 3, v1 pending-install): what it
# writes, where, and its refusals.  The byte-level checks of the bodies are
# tests/unit/repair; helm's acceptance is tests/cli/test_interop_repair.sh.
. "$(dirname "$0")/lib.sh"
IN=testdata/corpus/dumps/per-namespace/stuck.yaml
NOW=2026-12-07T12:00:00Z
R=("$BIN" repair --from "$IN" -n stuck --now "$NOW")

expect_status "unlock hung" 0 "${R[@]}" hung --unlock
ok "unlock: one Secret" test "$(grep -c '^kind: Secret' "$TMP/out")" -eq 1
ok "unlock: status label failed" grep -q '    status: "failed"' "$TMP/out"
ok "unlock: plan on stderr" grep -q "replace  Secret sh.helm.release.v1.hung.v2: revision 2, pending-upgrade -> failed" "$TMP/err"
ok "unlock: next step" grep -q "revision 1 (deployed) is current again" "$TMP/err"
"$BIN" decode "$TMP/out" >"$TMP/body.json" 2>/dev/null
ok "unlock: body failed, described" grep -q "\"description\":\"stuck in pending-upgrade; marked failed by helmrec on $NOW\",\"status\":\"failed\"" "$TMP/body.json"
ok "unlock: apply_method kept" grep -q '"apply_method":"ssa"' "$TMP/body.json"

expect_status "unlock fresh (first install)" 0 "${R[@]}" fresh --unlock
ok "unlock fresh: next step names upgrade --install" grep -q "helm upgrade --install fresh CHART -n stuck" "$TMP/err"
expect_status "unlock -o json" 0 "${R[@]}" fresh --unlock -o json
ok "unlock -o json is a List" python3 -c "import json; d=json.load(open('$TMP/out')); assert d['kind']=='List' and len(d['items'])==1"
expect_status "unlock --driver configmap" 0 "${R[@]}" fresh --unlock --driver configmap
ok "configmap object" grep -q '^kind: ConfigMap' "$TMP/out"
expect_status "unlock --driver sql" 0 "${R[@]}" hung --unlock --driver sql
ok "sql: one UPDATE in a transaction" python3 -c "
t=open('$TMP/out').read(); assert t.startswith('BEGIN;\nUPDATE releases_v1 SET body = ') and t.endswith('COMMIT;\n') and t.count('UPDATE')==1"

# --dry-run: plan only; --out: atomic, 0600, no overwrite without --force
expect_status "dry-run" 0 "${R[@]}" hung --unlock --dry-run
ok "dry-run: nothing on stdout" test ! -s "$TMP/out"
ok "dry-run: the plan" grep -q "pending-upgrade -> failed" "$TMP/err"
expect_status "--out" 0 "${R[@]}" hung --unlock --out "$TMP/fix.yaml"
ok "--out: written" grep -q "sh.helm.release.v1.hung.v2" "$TMP/fix.yaml"
ok "--out: 0600" test "$(stat -c %a "$TMP/fix.yaml")" = 600
expect_status "--out exists" 1 "${R[@]}" hung --unlock --out "$TMP/fix.yaml"
ok "--out exists: says --force" grep -q "exists (use --force to replace it)" "$TMP/err"
expect_status "--out --force" 0 "${R[@]}" hung --unlock --out "$TMP/fix.yaml" --force
ok "input untouched" cmp -s "$IN" testdata/corpus/dumps/per-namespace/stuck.yaml

# not needed / refused: exit 1 with the reason
expect_status "not stuck" 1 "$BIN" repair api -n labels --from testdata/corpus/dumps/per-namespace/labels.yaml --unlock
ok "not stuck: why" grep -q "does not need --unlock: its newest revision 2 is deployed" "$TMP/err"
expect_status "map-apis: nothing removed" 1 "$BIN" repair api -n labels --from testdata/corpus/dumps/per-namespace/labels.yaml --map-apis
ok "map-apis: why" grep -q "does not need --map-apis" "$TMP/err"
expect_status "map-apis on a pending release" 1 "${R[@]}" hung --map-apis
ok "map-apis refused: why" grep -q "refusing --map-apis: the newest revision 2 of \"hung\" is pending-upgrade" "$TMP/err"
expect_status "mark-deployed: no such revision" 4 "${R[@]}" hung --mark-deployed 7
expect_status "mark-deployed: v1 already deployed" 1 "${R[@]}" hung --mark-deployed 1
ok "mark-deployed: why" grep -q "revision 1 is already its only deployed revision" "$TMP/err"
expect_status "mark-deployed: already" 1 "$BIN" repair api -n labels --from testdata/corpus/dumps/per-namespace/labels.yaml --mark-deployed 2

# usage
expect_status "no repair chosen" 2 "${R[@]}" hung
expect_status "two repairs" 2 "${R[@]}" hung --unlock --map-apis
expect_status "bad --kube-version" 2 "${R[@]}" hung --map-apis --kube-version latest
expect_status "--kube-version without --map-apis" 2 "${R[@]}" hung --unlock --kube-version 1.25
expect_status "bad --driver" 2 "${R[@]}" hung --unlock --driver memory
expect_status "unknown release" 4 "${R[@]}" nope --unlock
finish
