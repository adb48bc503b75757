#!/usr/bin/env bash
# helmrec feels like helm: --version names the commit, `help CMD` is
# `CMD --help` (an unknown CMD is a usage error naming it), helm's aliases
# (ls, hist) work, and --color auto|always|never colours diff, audit,
# status and list only when asked or on a terminal (never into a pipe or file).
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
expect_status "help unknown command" 2 "$BIN" help frobnicate
ok "help unknown command names it" grep -q 'unknown command "frobnicate" for "helmrec help"' "$TMP/err"
ok "help unknown command prints no help" test ! -s "$TMP/out"
expect_status "help typo" 2 "$BIN" help sttaus
ok "help typo suggests the command" grep -qx '	status' "$TMP/err"
expect_status "unknown command suggests" 2 "$BIN" histroy
ok "unknown command suggests history" grep -qx '	history' "$TMP/err"

# --color: escapes only with always, or on a terminal without NO_COLOR.
in=testdata/corpus/dumps/all-secrets-configmaps.yaml
esc=$(printf '\033')
has_esc() { grep -q "$esc" "$1"; }
no_esc() { ! grep -q "$esc" "$1"; }
for c in "diff -n pruned cache 4 5" "audit -A" "status -n pruned cache" "list -A"; do
	# shellcheck disable=SC2086
	"$BIN" $c --from "$in" --color always >"$TMP/c.always" 2>/dev/null
	# shellcheck disable=SC2086
	"$BIN" $c --from "$in" --color never >"$TMP/c.never" 2>/dev/null
	# shellcheck disable=SC2086
	env -u NO_COLOR "$BIN" $c --from "$in" >"$TMP/c.pipe" 2>/dev/null
	# shellcheck disable=SC2086
	"$BIN" $c --from "$in" >"$TMP/c.nocolor" 2>/dev/null
	# shellcheck disable=SC2086
	env -u NO_COLOR HELMREC_COLOR=always "$BIN" $c --from "$in" >"$TMP/c.env" 2>/dev/null
	ok "$c: --color always colours" has_esc "$TMP/c.always"
	ok "$c: --color never does not" no_esc "$TMP/c.never"
	ok "$c: auto into a pipe does not" no_esc "$TMP/c.pipe"
	ok "$c: NO_COLOR does not" no_esc "$TMP/c.nocolor"
	ok "$c: HELMREC_COLOR=always colours" has_esc "$TMP/c.env"
	ok "$c: colour is the only difference" cmp -s "$TMP/c.never" <(sed "s/$esc\[[0-9;]*m//g" "$TMP/c.always")
	ok "$c: never is the pipe's output" cmp -s "$TMP/c.never" "$TMP/c.pipe"
done
"$BIN" status -n pruned cache --from "$in" --color always >"$TMP/st" 2>/dev/null
ok "status: helm 4's escapes (namespace cyan, deployed green)" \
	grep -q "^NAMESPACE: $esc\[36mpruned$esc\[0m\$" "$TMP/st"
ok "status: deployed is green" grep -q "^STATUS: $esc\[32mdeployed$esc\[0m\$" "$TMP/st"
"$BIN" status -n pruned cache --from "$in" --color always --helm-compat 3 >"$TMP/st3" 2>/dev/null
ok "status: helm 3 has no colour" no_esc "$TMP/st3"
# list: helm 4's WriteTable escapes (bold headers closed by 22, namespace
# cyan, status by state, superseded/uninstalled plain).  uitable v0.0.4 pads
# by the width with escapes stripped (strutil.StringWidth), so a coloured
# cell carries the colour-off padding after its reset: the loop above checks
# that stripping gives the colour-off bytes; here the exact cells.
"$BIN" list -A --from "$in" --color always >"$TMP/ls4" 2>/dev/null
e=$esc
ok "list: bold headers" grep -q "^${e}\[1mNAME${e}\[22m  *	${e}\[1mNAMESPACE${e}\[22m	.*	${e}\[1mAPP VERSION${e}\[22m\$" "$TMP/ls4"
ok "list: namespace cyan, deployed green, padded after the reset" \
	grep -q "^cache 	${e}\[36mpruned${e}\[0m   	6  *	[^	]*	${e}\[32mdeployed${e}\[0m        *	webapp-0.1.0" "$TMP/ls4"
ok "list: pending-install yellow, widest status unpadded" \
	grep -q "	${e}\[33mpending-install${e}\[0m	" "$TMP/ls4"
ok "list: uninstalled plain" grep -q "	uninstalled  *	hooked" "$TMP/ls4"
ok "list: STATUS column is as wide as its widest word (escapes not counted)" \
	test "$(sed "s/$esc\[[0-9;]*m//g" "$TMP/ls4" | awk -F'\t' 'NR > 1 { print length($5) }' | sort -u)" = 15
"$BIN" list -A --from "$in" --color always --helm-compat 3 >"$TMP/ls3" 2>/dev/null
ok "list: helm 3 has no colour" no_esc "$TMP/ls3"
"$BIN" list -A --from "$in" --color always -o json >"$TMP/lsj" 2>/dev/null
ok "list -o json: no colour" no_esc "$TMP/lsj"
"$BIN" list -A --from "$in" --color always -q >"$TMP/lsq" 2>/dev/null
ok "list -q: no colour" no_esc "$TMP/lsq"
expect_status "--color bad value" 2 "$BIN" list -A --from "$in" --color sometimes
ok "--color bad value is named" grep -q 'sometimes' "$TMP/err"
# On a terminal (script(1) gives a pty): auto colours, NO_COLOR stops it.
if command -v script >/dev/null; then
	env -u NO_COLOR script -qc "$BIN status -n pruned cache --from $in --quiet" /dev/null >"$TMP/tty" 2>&1 </dev/null
	ok "auto on a terminal colours" has_esc "$TMP/tty"
	NO_COLOR=1 script -qc "$BIN status -n pruned cache --from $in --quiet" /dev/null >"$TMP/tty2" 2>&1 </dev/null
	ok "NO_COLOR on a terminal: no colour" no_esc "$TMP/tty2"
	NO_COLOR=1 script -qc "$BIN status -n pruned cache --from $in --quiet --color always" /dev/null >"$TMP/tty3" 2>&1 </dev/null
	ok "--color always beats NO_COLOR" has_esc "$TMP/tty3"
	env -u NO_COLOR script -qc "$BIN list -A --from $in --quiet" /dev/null >"$TMP/tty4" 2>&1 </dev/null
	ok "list: auto on a terminal colours as --color always" \
		cmp -s <(tr -d '\r' <"$TMP/tty4") "$TMP/ls4"
	env -u NO_COLOR script -qc "$BIN list -A --from $in --quiet --color never" /dev/null >"$TMP/tty5" 2>&1 </dev/null
	ok "list: --color never on a terminal: no colour" no_esc "$TMP/tty5"
else
	echo "SKIP: script(1) not installed: --color auto on a terminal untested"
fi
finish
