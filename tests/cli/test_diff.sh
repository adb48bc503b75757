#!/usr/bin/env bash
# helmrec diff on known corpus pairs, one index and two (--from-b).
. "$(dirname "$0")/lib.sh"
DUMP=testdata/corpus/dumps/all-secrets-configmaps.yaml
NS=testdata/corpus/dumps/per-namespace

expect_status "web 3 4" 0 "$BIN" diff web 3 4 -n shop --from "$DUMP"
ok "web 3 4: Deployment changed" grep -qx "shop, web-webapp, Deployment (apps) has changed:" "$TMP/out"
ok "web 3 4: imagePullPolicy removed line" grep -qx -- "-          imagePullPolicy: IfNotPresent" "$TMP/out"
ok "web 3 4: imagePullPolicy added line" grep -qx -- "+          imagePullPolicy: NoSuchPolicy" "$TMP/out"
ok "web 3 4: values" grep -qx -- '+image.pullPolicy: "NoSuchPolicy"' "$TMP/out"
ok "web 3 4: no colour when NO_COLOR / not a tty" bash -c "! grep -q $'\033' '$TMP/out'"

expect_status "web 5 6" 0 "$BIN" diff web 5 6 -n shop --from "$DUMP"
ok "web 5 6: password masked" grep -qx -- "+  password: '++++++++ # (20 bytes)'" "$TMP/out"
ok "web 5 6: no value in the Secret part" bash -c "! sed -n '/Secret has changed/,/^\$/p' '$TMP/out' | grep -q rotated-"
expect_status "web 5 6 --show-secrets" 0 "$BIN" diff web 5 6 -n shop --from "$DUMP" --show-secrets
ok "web 5 6: shown" grep -qx -- '+  password: "rotated-3gfptjfyhpvu"' "$TMP/out"

expect_status "etl hooks" 0 "$BIN" diff etl 1 2 -n batch --from "$DUMP"
ok "etl: hook Job changed" grep -qx "batch, etl-hooked-migrate, Job \[hook\] has changed:" "$TMP/out"

# two backups: shop/web v6 in the full dump vs the same revision in the per-namespace dump: identical
expect_status "two inputs, same revision" 0 "$BIN" diff web 6 6 -n shop --from "$DUMP" --from-b "$NS/shop.yaml"
ok "two inputs: no change" test ! -s "$TMP/out"
# and a different revision from the second input
expect_status "two inputs, 3 vs 4" 0 "$BIN" diff web 3 4 -n shop --from "$DUMP" --from-b "$NS/shop.yaml"
ok "two inputs: change found" grep -q "imagePullPolicy: NoSuchPolicy" "$TMP/out"

expect_status "json" 0 "$BIN" diff web 3 4 -n shop --from "$DUMP" -o json
ok "json parses" python3 -c "import json; d=json.load(open('$TMP/out')); assert d['from']==3 and d['to']==4 and len(d['changes'])==2"
expect_status "--context -1" 0 "$BIN" diff web 3 4 -n shop --from "$DUMP" --context -1
ok "whole document shown" grep -q "^ # Source: webapp/templates/deployment.yaml" "$TMP/out"

expect_status "missing revision" 4 "$BIN" diff web 3 99 -n shop --from "$DUMP"
expect_status "bad revision" 2 "$BIN" diff web 3 x -n shop --from "$DUMP"
expect_status "bad format" 2 "$BIN" diff web 3 4 -n shop --from "$DUMP" -o yaml
finish
