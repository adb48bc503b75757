#!/usr/bin/env bash
# Print docs/cli.md from the binary's own --help texts:
#   bash scripts/gen-cli-doc.sh build/helmrec > docs/cli.md
set -euo pipefail
BIN=${1:-build/helmrec}
echo "# helmrec command reference"
echo
echo "Generated from the option tables (\`helmrec COMMAND --help\`), which also drive parsing, so this page cannot drift"
echo "from the binary: \`tests/cli/test_help.sh\` checks that it matches."
echo
for c in $("$BIN" --help | awk '/^Commands:/{f=1; next} f && /^  [a-z]/{print $1}'); do
	echo "## helmrec $c"
	echo
	echo '```'
	"$BIN" "$c" --help
	echo '```'
	echo
done
echo "## Exit status"
echo
echo "0 ok, 1 failure, 2 usage error, 3 done but some inputs or records were skipped, or an input was read only in part (it ends in an error: the records before it are kept, the input stays incomplete) (each reported on stderr), 4 release or revision not found, 5 helmrec audit found something at or above --fail-on (docs/audit.md), 130 helmrec scan interrupted (what was read is kept; run the same scan again to finish)."
