#!/usr/bin/env bash
# Helm 2 (Tiller) records through the binary: scanning the kubectl dumps and
# the Velero backup indexes them under the release's own namespace (as
# helm-2to3 writes them), `helmrec --helm-compat 3 history` prints what
# helm 3 prints after the conversion (expected-v3/NS/NAME.history.txt/.json,
# TZ=UTC as lib.sh sets), and `helmrec decode` prints the converted JSON.
. "$(dirname "$0")/lib.sh"
H2=testdata/corpus/helm2
DB=$TMP/h2.db
q() { sqlite3 "$DB" "$1"; }

expect_status "scan helm 2 yaml dump" 0 "$BIN" scan $H2/dumps/helm2-dump.yaml --db "$DB" --quiet
ok "25 revisions" test "$(q 'SELECT COUNT(*) FROM revision')" = 25
ok "12 releases (cache twice: shop and apps)" test "$(q 'SELECT COUNT(*) FROM release')" = 12
ok "indexed under the release namespace" test "$(q "SELECT COUNT(*) FROM revision WHERE namespace IN ('kube-system','tiller-apps')")" = 0
ok "sightings keep Tiller's namespace" test "$(q "SELECT COUNT(*) FROM sighting WHERE object_namespace IN ('kube-system','tiller-apps')")" = 25
ok "drivers are helm2-*" test "$(q "SELECT COUNT(*) FROM revision WHERE driver LIKE 'helm2-%'")" = 25

for exp in $H2/expected-v3/*/*.history.txt; do
	ns=$(basename "$(dirname "$exp")")
	name=$(basename "$exp" .history.txt)
	check "history $ns/$name" "$exp" "$BIN" --helm-compat 3 history "$name" -n "$ns" --db "$DB"
	check "history $ns/$name -o json" "${exp%.txt}.json" "$BIN" --helm-compat 3 history "$name" -n "$ns" -o json --db "$DB"
done

# The JSON dump and the Velero backup hold the same records: no new revisions, no conflicts.
expect_status "scan helm 2 json dump" 0 "$BIN" scan $H2/dumps/helm2-dump.json --db "$DB" --quiet
expect_status "scan helm 2 velero backup" 0 "$BIN" scan $H2/velero/backup-helm2.tar.gz --db "$DB" --quiet
ok "still 25 revisions" test "$(q 'SELECT COUNT(*) FROM revision')" = 25
ok "no conflicts" test "$(q 'SELECT COUNT(*) FROM revision WHERE conflict')" = 0
ok "4 sightings per revision" test "$(q 'SELECT COUNT(*) FROM sighting')" = 100

# decode prints the converted release JSON (one line per record); compare two with their files.
"$BIN" decode $H2/dumps/single-record.yaml >"$TMP/single.json" 2>/dev/null
name=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["namespace"]+"/"+r["name"]+".v"+str(r["version"]))' "$TMP/single.json")
# (decode ends the line; the expected file holds the bare JSON)
check "decode single record ($name)" $H2/expected-v3/$name.json head -c -1 "$TMP/single.json"
finish
