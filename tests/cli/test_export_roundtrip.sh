#!/usr/bin/env bash
# Our own outputs are inputs (issue 14): for every driver, `export -A` of the
# corpus index is scanned back, and every release answers `history` and
# every revision `get values --all`, `get manifest`, `get hooks`, `get notes`
# exactly as from the original index (the memory driver keeps no labels, so
# `get metadata` is compared for the object drivers only).
source "$(dirname "$0")/lib.sh"
fail() { echo "FAIL: $*"; FAIL=$((FAIL + 1)); }
DB="$TMP/orig.db"
"$BIN" scan testdata/corpus/dumps/all-secrets-configmaps.yaml --db "$DB" >/dev/null 2>&1 || { echo "FAIL: scan"; exit 1; }
"$BIN" list -A --db "$DB" | awk 'NR > 1 {print $2, $1}' >"$TMP/releases"

answers() { # answers DB DRIVER -> every answer, one file
	local db=$1 drv=$2 ns name v
	while read -r ns name; do
		echo "== $ns/$name"
		"$BIN" history "$name" -n "$ns" --db "$db" 2>&1
		for v in $("$BIN" history "$name" -n "$ns" --db "$db" 2>/dev/null | awk 'NR > 1 {print $1}'); do
			for part in "values --all" manifest hooks notes; do
				# shellcheck disable=SC2086
				"$BIN" get $part "$name" -n "$ns" --revision "$v" --db "$db" 2>&1
			done
			[ "$drv" = memory ] || "$BIN" get metadata "$name" -n "$ns" --revision "$v" --db "$db" 2>&1
		done
	done <"$TMP/releases"
}

for spec in "secret yaml" "secret json" "configmap yaml" "sql -" "memory -"; do
	set -- $spec
	drv=$1 fmt=$2
	rm -f "$TMP/out.$drv"   # secret yaml and secret json write the same name
	args=(export -A --driver "$drv" --db "$DB" --out "$TMP/out.$drv")
	[ "$fmt" = - ] || args+=(-o "$fmt")
	"$BIN" "${args[@]}" 2>"$TMP/err" || { fail "export --driver $drv: $(cat "$TMP/err")"; continue; }
	rm -f "$TMP/back.db"
	"$BIN" scan "$TMP/out.$drv" --db "$TMP/back.db" >"$TMP/scan.out" 2>&1 || fail "scan of the $drv export: $(cat "$TMP/scan.out")"
	kind=$("$BIN" sql "SELECT kind FROM source" --db "$TMP/back.db" -o csv 2>/dev/null | tail -1)
	echo "$drv $fmt: read as $kind; $(tail -1 "$TMP/scan.out")"
	answers "$DB" "$drv" >"$TMP/want"
	answers "$TMP/back.db" "$drv" >"$TMP/got"
	grep -q "^COMPUTED VALUES:" "$TMP/want" || fail "no values in the answers"
	cmp -s "$TMP/want" "$TMP/got" || { fail "$drv $fmt: answers differ after export -> scan"; diff "$TMP/want" "$TMP/got" | head -10; }
done
finish
