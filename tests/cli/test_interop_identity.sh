#!/usr/bin/env bash
# Interop (issue 14): hand-edited records read as helm reads them.  The
# doctored objects of tests/interop/doctor.py (an object moved to another
# namespace, a body held by two objects, a body relabelled under another
# release name, an object renamed to another key, a body without version)
# are created through the Kubernetes API emulator and read by the real helm
# 4 and helm 3; helmrec scans the very same objects and must print the same
# `list -A`, `history`, `get values --revision`, `get values` and `status`;
# and the Helm-3-only flags are refused with helm 4's own error text.
# Label: interop (SKIP = exit 77).
source "$(dirname "$0")/../interop/lib.sh"
ir_need_helmrec
ir_need_helm
export HELM_DRIVER=secret
DOC="$IR_TMP/doctored.json"
python3 "$IR_ROOT/tests/interop/doctor.py" "$IR_ROOT/testdata/corpus/dumps/all-secrets-configmaps.json" "$DOC" ||
	{ ir_fail "doctor.py"; ir_done; }
"$HELMREC" scan "$DOC" --db "$IR_TMP/doc.db" >/dev/null 2>&1 || ir_fail "scan of the doctored objects"
ir_start_kubeapi identity
python3 "$IR_ROOT/tests/interop/kubecreate.py" "$KUBECONFIG" "$DOC" || ir_fail "create the doctored objects"

# Each line: the arguments of one command, run by helm and by helmrec.
CASES=(
	"list -A"
	"list -n elsewhere"
	"list -n staging"
	"history web -n shop"
	"history web -n staging"
	"history web2 -n staging"
	"history cache -n pruned"
	"history gizmo -n elsewhere"
	"history zero -n zero"
	"get values web -n shop --revision 7"
	"get values cache -n pruned --revision 2"
	"get values cache -n pruned --revision 6"
	"get values cache -n pruned"
	"get values web2 -n staging"
	"get values zero -n zero --revision 1"
	"get values gizmo -n elsewhere"
	"status zero -n zero"
)
for helm in "$H3" "$H4"; do
	major=$("$helm" version --template '{{.Version}}' | cut -c2)
	for c in "${CASES[@]}"; do
		# shellcheck disable=SC2086
		"$helm" $c >"$IR_TMP/helm.out" 2>&1
		hrc=$?
		# shellcheck disable=SC2086
		"$HELMREC" --helm-compat "$major" $c --db "$IR_TMP/doc.db" >"$IR_TMP/rec.out" 2>&1
		rrc=$?
		# helm's live status RESOURCES and timestamps are not comparable offline.
		if [[ "$c" == list* ]]; then
			# helm 3 orders releases of the same name as its map iteration does (random).
			sort "$IR_TMP/helm.out" >"$IR_TMP/helm.cmp"
			sort "$IR_TMP/rec.out" >"$IR_TMP/rec.cmp"
		elif [[ "$c" == status* ]]; then
			grep -E '^(NAME|NAMESPACE|STATUS|REVISION):' "$IR_TMP/helm.out" >"$IR_TMP/helm.cmp"
			grep -E '^(NAME|NAMESPACE|STATUS|REVISION):' "$IR_TMP/rec.out" >"$IR_TMP/rec.cmp"
		else
			cp "$IR_TMP/helm.out" "$IR_TMP/helm.cmp"
			cp "$IR_TMP/rec.out" "$IR_TMP/rec.cmp"
		fi
		if ! cmp -s "$IR_TMP/helm.cmp" "$IR_TMP/rec.cmp" || [ $((hrc == 0)) -ne $((rrc == 0)) ]; then
			ir_fail "helm $major: '$c' differs (helm exit $hrc, helmrec exit $rrc)"
			diff "$IR_TMP/helm.cmp" "$IR_TMP/rec.cmp" | head -20
		fi
	done
done
# Helm-3-only flags: helm 4 refuses them; helmrec --helm-compat 4 with the same words.
for c in "list -a" "list --all" "list -qa" "status web -n shop --show-desc"; do
	# shellcheck disable=SC2086
	"$H4" $c >/dev/null 2>"$IR_TMP/helm.err"
	# shellcheck disable=SC2086
	"$HELMREC" --helm-compat 4 $c --db "$IR_TMP/doc.db" >/dev/null 2>"$IR_TMP/rec.err"
	cmp -s "$IR_TMP/helm.err" "$IR_TMP/rec.err" ||
		ir_fail "helm 4 '$c': helm says '$(cat "$IR_TMP/helm.err")', helmrec '$(cat "$IR_TMP/rec.err")'"
	# shellcheck disable=SC2086
	"$H3" $c >/dev/null 2>&1 || ir_fail "helm 3 refuses '$c'"
done
ir_stop_kubeapi
ir_done
