#!/usr/bin/env bash
# Interop (Secret and ConfigMap drivers): `helmrec export --driver
# secret|configmap -o json` of every corpus release, as is and moved
# (namespace map + rename), created through the Kubernetes API emulator
# (plain POSTs, as `kubectl create -f`), then read by the real helm 4 and
# helm 3 (history, get all, get metadata — custom labels included —, list)
# and compared with the goldens; the payloads are checked byte for byte
# (roundtrip.py).  On the moved releases helm 4 and helm 3 then run
# `rollback` and `upgrade` (with the chart regenerated from the stored one):
# helm 4 on every release (Secret driver), helm 3 on shop/web and cm/cfg.
# Finally the YAML form is loaded with the real kubectl and read by helm 4.
# Label: interop (SKIP = exit 77).
source "$(dirname "$0")/../interop/lib.sh"
ir_need_helmrec
ir_need_helm
ir_scan_corpus
ir_mapping
DUMP="$IR_ROOT/testdata/corpus/dumps/all-secrets-configmaps.json"
SQLROWS=(--sql "$IR_ROOT/testdata/corpus/sql/helm-sql-data-inserts.sql")

for driver in secret configmap; do
	export HELM_DRIVER=$driver
	# As is.
	ir_start_kubeapi "$driver"
	"$HELMREC" export -A --driver "$driver" -o json --db "$IR_DB" --force --out "$IR_TMP/$driver.json" \
		2>"$IR_TMP/export.err" || { cat "$IR_TMP/export.err"; ir_fail "export --driver $driver"; }
	python3 "$IR_ROOT/tests/interop/roundtrip.py" "$IR_TMP/$driver.json" "$DUMP" "${SQLROWS[@]}" || ir_fail "$driver roundtrip"
	python3 "$IR_ROOT/tests/interop/kubecreate.py" "$KUBECONFIG" "$IR_TMP/$driver.json" || ir_fail "$driver: create"
	ir_check_both "$driver" --releases "$IR_RELEASES" --all-revisions --list
	ir_stop_kubeapi

	# Moved, then rollback + upgrade with both helm versions.
	ir_start_kubeapi "$driver-moved"
	"$HELMREC" export -A --driver "$driver" -o json --db "$IR_DB" --namespace-map "$IR_NSMAP" \
		--rename "$IR_RENAME" --out "$IR_TMP/$driver-moved.json" 2>"$IR_TMP/export.err" ||
		{ cat "$IR_TMP/export.err"; ir_fail "export --driver $driver (moved)"; }
	python3 "$IR_ROOT/tests/interop/roundtrip.py" "$IR_TMP/$driver-moved.json" "$DUMP" "${SQLROWS[@]}" \
		--map-ns "$IR_NSMAP" --rename "$IR_RENAME" || ir_fail "$driver moved roundtrip"
	python3 "$IR_ROOT/tests/interop/kubecreate.py" "$KUBECONFIG" "$IR_TMP/$driver-moved.json" ||
		ir_fail "$driver moved: create"
	ir_check_both "$driver moved" --releases "$IR_RELEASES" --map-ns "$IR_NSMAP" --rename "$IR_RENAME" --list
	if [ "$driver" = secret ]; then
		ir_rollback_upgrade_all "$H4" "$driver helm 4"
	else
		"$HELMREC" export web -n shop --driver memory --db "$IR_DB" --force --out "$IR_TMP/web.json" 2>/dev/null
		ir_rollback_upgrade "$H4" site shop-moved "$IR_TMP/web.json" "$driver helm 4 shop/web as shop-moved/site"
	fi
	"$HELMREC" export web -n shop --driver memory --db "$IR_DB" --force --out "$IR_TMP/web.json" 2>/dev/null
	ir_rollback_upgrade "$H3" site shop-moved "$IR_TMP/web.json" "$driver helm 3 shop/web as shop-moved/site"
	"$HELMREC" export cfg -n cm --driver memory --db "$IR_DB" --force --out "$IR_TMP/cfg.json" 2>/dev/null
	ir_rollback_upgrade "$H3" settings cm-moved "$IR_TMP/cfg.json" "$driver helm 3 cm/cfg as cm-moved/settings"
	[ "$driver" = secret ] ||
		ir_rollback_upgrade "$H4" settings cm-moved "$IR_TMP/cfg.json" "$driver helm 4 cm/cfg as cm-moved/settings"
	ir_stop_kubeapi
done

# The YAML form, created by the real kubectl (`kubectl create -f`), read by helm 4.
if KUBECTL=$(bash "$IR_ROOT/scripts/get-helm.sh" kubectl 2>/dev/null); then
	export HELM_DRIVER=secret
	ir_start_kubeapi yaml
	"$HELMREC" export -A --driver secret --db "$IR_DB" --namespace-map "$IR_NSMAP" --rename "$IR_RENAME" \
		--out "$IR_TMP/moved.yaml" 2>/dev/null || ir_fail "export -o yaml"
	"$KUBECTL" create -f "$IR_TMP/moved.yaml" --validate=false >"$IR_TMP/kubectl.out" 2>&1 ||
		{ cat "$IR_TMP/kubectl.out"; ir_fail "kubectl create -f (YAML export)"; }
	python3 "$IR_ROOT/tests/interop/helmcheck.py" --helm "$H4" --goldens "$IR_ROOT/testdata/corpus/goldens/helm-v4.1.4" \
		--releases "$IR_RELEASES" --map-ns "$IR_NSMAP" --rename "$IR_RENAME" --list --label "secret yaml via kubectl" ||
		ir_fail "secret yaml via kubectl"
	ir_stop_kubeapi
else
	echo "SKIP (part): kubectl could not be obtained; the YAML form was not loaded with kubectl"
fi
ir_done
