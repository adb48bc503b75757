#!/usr/bin/env bash
# helmrec feels like helm: --version names the commit, `help CMD` is
# `CMD --help`, and helm's aliases (ls, hist) work.
. "$(dirname "$0")/lib.sh"
expect_status "--version" 0 "$BIN" --version
ok "--version names version and commit" grep -Eq '^helmrec [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{4,}|unknown)\)$' "$TMP/out"
for c in $("$BIN" --help | awk '/^Commands:/{f=1; next} f && /^  [a-z]/{print $1}'); do
	"$BIN" "$c" --help >"$TMP/a" 2>&1
	"$BIN" help "$c" >"$TMP/b" 2>&1
	ok "help $c is $c --help" cmp -s "$TMP/a" "$TMP/b"
done
in=testdata/corpus/dumps/single-record.yaml
"$BIN" list -A --from "$in" >"$TMP/list" 2>&1
"$BIN" ls -A --from "$in" >"$TMP/ls" 2>&1
ok "ls is list" cmp -s "$TMP/list" "$TMP/ls"
name=$("$BIN" list -A -q --from "$in")
"$BIN" history "$name" --from "$in" >"$TMP/h1" 2>&1
"$BIN" hist "$name" --from "$in" >"$TMP/h2" 2>&1
ok "hist is history" cmp -s "$TMP/h1" "$TMP/h2"
ok "history output not empty" test -s "$TMP/h1"
expect_status "help unknown command" 0 "$BIN" help frobnicate
finish
