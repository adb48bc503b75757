#!/usr/bin/env bash
# `helmrec export` from the command line (no helm needed): usage errors and
# exit codes, --dry-run writes nothing, --out FILE (0600, atomic) and --out
# DIR, and the export read back by helmrec itself: scanning the exported
# Secrets/ConfigMaps and exporting again gives the same bytes, and a moved
# release moved back is the original again (payloads included, for the
# unchanged ones).
set -u
BIN=${HELMREC_BIN:-build/helmrec}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAIL=0
fail() { echo "FAIL: $*"; FAIL=$((FAIL + 1)); }
status() { # status WANT CMD...
	local want=$1
	shift
	"$@" >"$TMP/out" 2>"$TMP/err"
	local rc=$?
	[ "$rc" = "$want" ] || fail "exit $rc, want $want: $* ($(head -c 200 "$TMP/err"))"
}

DB="$TMP/idx.db"
"$BIN" scan testdata/corpus/dumps/all-secrets-configmaps.yaml --db "$DB" >/dev/null 2>&1
[ -s "$DB" ] || { echo "FAIL: scan"; exit 1; }

status 2 "$BIN" export -A --db "$DB"                                   # no --driver
status 2 "$BIN" export -A --driver bogus --db "$DB"
status 2 "$BIN" export --driver secret --db "$DB"                      # nothing selected
status 2 "$BIN" export -A -n shop --driver secret --db "$DB"
status 2 "$BIN" export -A --driver secret --namespace-map shop=Bad --db "$DB"
status 2 "$BIN" export -A --driver secret --rename web --db "$DB"
status 2 "$BIN" export -A --driver secret -o xml --db "$DB"
status 4 "$BIN" export nope -n shop --driver secret --db "$DB"
status 1 "$BIN" export -A --driver secret --namespace-map shop=staging --db "$DB"   # two webs collide
grep -q 'would both become' "$TMP/err" || fail "collision message: $(cat "$TMP/err")"

status 0 "$BIN" export -A --driver secret --db "$DB" --out "$TMP/dry.yaml" --dry-run
[ ! -e "$TMP/dry.yaml" ] || fail "--dry-run wrote a file"
grep -q '^export: 11 release(s), 30 revision(s)' "$TMP/err" || fail "summary: $(head -2 "$TMP/err")"

status 0 "$BIN" export -A --driver secret --db "$DB" --out "$TMP/all.yaml"
[ "$(stat -c %a "$TMP/all.yaml")" = 600 ] || fail "--out FILE mode $(stat -c %a "$TMP/all.yaml")"
[ "$(grep -c '^kind: Secret$' "$TMP/all.yaml")" = 30 ] || fail "30 Secrets expected"
ls "$TMP"/all.yaml.tmp* >/dev/null 2>&1 && fail "temporary file left behind"

mkdir "$TMP/dir"
status 0 "$BIN" export -A --driver configmap -o json --db "$DB" --out "$TMP/dir"
[ "$(ls "$TMP/dir" | wc -l)" = 11 ] || fail "--out DIR: $(ls "$TMP/dir" | wc -l) files, want 11"
[ -s "$TMP/dir/shop.web.json" ] || fail "--out DIR: no shop.web.json"

# Export -> scan -> export: same bytes (payloads and labels survive).
status 0 "$BIN" scan "$TMP/all.yaml" --db "$TMP/again.db"
status 0 "$BIN" export -A --driver secret --db "$TMP/again.db" --out "$TMP/again.yaml"
cmp -s "$TMP/all.yaml" "$TMP/again.yaml" || fail "export of the re-scanned export differs"

# Move shop/web away and back: the same objects as a plain export.
status 0 "$BIN" export web -n shop --driver secret --db "$DB" --namespace-map shop=prod --rename web=site \
	--out "$TMP/moved.yaml"
grep -q 'name: "sh.helm.release.v1.site.v6"' "$TMP/moved.yaml" || fail "moved object name"
grep -q 'namespace: "prod"' "$TMP/moved.yaml" || fail "moved object namespace"
status 0 "$BIN" scan "$TMP/moved.yaml" --db "$TMP/moved.db"
status 0 "$BIN" export site -n prod --driver memory --db "$TMP/moved.db" --namespace-map prod=shop \
	--rename site=web --out "$TMP/back.json"
status 0 "$BIN" export web -n shop --driver memory --db "$DB" --out "$TMP/orig.json"
cmp -s "$TMP/back.json" "$TMP/orig.json" || fail "moved there and back: release JSON differs"

[ "$FAIL" = 0 ] && echo "test_export.sh: all passed"
exit $((FAIL != 0))
