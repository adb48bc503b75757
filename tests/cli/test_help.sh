#!/usr/bin/env bash
# Every command answers --help (exit 0, a Usage line, its flags from the
# option table), and usage errors exit 2 with a message.
. "$(dirname "$0")/lib.sh"
cmds=$("$BIN" --help | awk '/^Commands:/{f=1; next} f && /^  [a-z]/{print $1}')
ok "command list is not empty" test -n "$cmds"
for c in $cmds; do
	expect_status "$c --help" 0 "$BIN" "$c" --help
	ok "$c --help has Usage" grep -q "^  helmrec $c" "$TMP/out"
	ok "$c --help lists --help" grep -q -- "-h, --help" "$TMP/out"
	expect_status "$c unknown flag" 2 "$BIN" "$c" --no-such-flag
	ok "$c unknown flag message" grep -q "unknown flag: --no-such-flag" "$TMP/err"
done
# docs/cli.md is the --help text of every command (regenerate it with scripts/gen-cli-doc.sh).
bash scripts/gen-cli-doc.sh "$BIN" > "$TMP/cli.md"
ok "docs/cli.md matches --help (run scripts/gen-cli-doc.sh)" cmp -s "$TMP/cli.md" docs/cli.md
bash scripts/gen-man.sh "$BIN" > "$TMP/helmrec.1"
ok "docs/helmrec.1 matches --help (run scripts/gen-man.sh)" cmp -s "$TMP/helmrec.1" docs/helmrec.1
expect_status "no command" 2 "$BIN"
expect_status "unknown command" 2 "$BIN" frobnicate
expect_status "bad --helm-compat" 2 "$BIN" list --helm-compat 5 --from testdata/corpus/dumps/single-record.yaml
expect_status "global flag before command" 0 "$BIN" --helm-compat 3 list -A --from testdata/corpus/dumps/single-record.yaml
finish
