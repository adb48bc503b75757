#!/usr/bin/env bash
# Interop (memory driver): `helmrec export --driver memory` of every corpus
# release, as is and moved (namespace map + rename), read by the real helm 4
# and helm 3 through HELM_MEMORY_DRIVER_DATA: history (table and JSON),
# get all and get metadata of every revision, list -A, compared with the
# goldens.  `helm list` wants a cluster even with the memory driver, so the
# API emulator stands in.  Label: interop (SKIP = exit 77).
source "$(dirname "$0")/../interop/lib.sh"
ir_need_helmrec
ir_need_helm
ir_scan_corpus
ir_mapping
ir_start_kubeapi memory
export HELM_DRIVER=memory

# As is: every revision.
"$HELMREC" export -A --driver memory --db "$IR_DB" --force --out "$IR_TMP/mem.json" 2>"$IR_TMP/export.err" ||
	{ cat "$IR_TMP/export.err"; ir_fail "export --driver memory"; }
HELM_MEMORY_DRIVER_DATA="$IR_TMP/mem.json" ir_check_both "memory" --releases "$IR_RELEASES" \
	--all-revisions --no-labels --list

# Moved: newest revision of each release, plus list.
"$HELMREC" export -A --driver memory --db "$IR_DB" --namespace-map "$IR_NSMAP" --rename "$IR_RENAME" \
	--out "$IR_TMP/moved.json" 2>"$IR_TMP/export.err" || { cat "$IR_TMP/export.err"; ir_fail "export --driver memory (moved)"; }
HELM_MEMORY_DRIVER_DATA="$IR_TMP/moved.json" ir_check_both "memory moved" --releases "$IR_RELEASES" \
	--map-ns "$IR_NSMAP" --rename "$IR_RENAME" --no-labels --list

# One file per release (--out DIR), joined with ':' as helm allows.
mkdir -p "$IR_TMP/dir"
"$HELMREC" export -A --driver memory --db "$IR_DB" --out "$IR_TMP/dir" 2>/dev/null || ir_fail "export --out DIR"
files=$(ls "$IR_TMP"/dir/*.json | paste -sd: -)
HELM_MEMORY_DRIVER_DATA="$files" python3 "$IR_ROOT/tests/interop/helmcheck.py" --helm "$H4" \
	--goldens "$IR_ROOT/testdata/corpus/goldens/helm-v4.1.4" --releases "$IR_RELEASES" --no-labels --list \
	--label "memory --out DIR" || ir_fail "memory --out DIR"
# Helm 2 migration: Tiller records exported as Helm 3 records (helm-2to3's
# conversion); the real helm 3 and 4 print exactly the expected history.
H2=$IR_ROOT/testdata/corpus/helm2
"$HELMREC" export -A --driver memory --from "$H2/dumps/helm2-dump.yaml" --force --out "$IR_TMP/h2.json" \
	2>"$IR_TMP/export.err" || { cat "$IR_TMP/export.err"; ir_fail "export of Helm 2 records"; }
for exp in "$H2"/expected-v3/*/*.history.txt; do
	ns=$(basename "$(dirname "$exp")"); rel=$(basename "$exp" .history.txt)
	for helm in "$H3" "$H4"; do
		if ! HELM_MEMORY_DRIVER_DATA="$IR_TMP/h2.json" TZ=UTC NO_COLOR=1 "$helm" history "$rel" -n "$ns" \
			>"$IR_TMP/h2.out" 2>&1 || ! cmp -s "$exp" "$IR_TMP/h2.out"; then
			diff "$exp" "$IR_TMP/h2.out" | head -5
			ir_fail "helm 2 migration: $helm history $ns/$rel"
		fi
	done
done
ir_done
