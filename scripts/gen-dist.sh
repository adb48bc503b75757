#!/usr/bin/env bash
# Generate, from the built binary, what the package installs besides it
# (run by the build, see CMakeLists.txt):
#   OUT/man/helmrec.1 and OUT/man/helmrec-CMD.1 (one per command),
#   OUT/completions/helmrec.bash, _helmrec (zsh), helmrec.fish.
#   bash scripts/gen-dist.sh build/helmrec build/dist
set -euo pipefail
BIN=$1
OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT/man" "$OUT/completions"
rm -f "$OUT"/man/helmrec-*.1
bash "$HERE/gen-man.sh" "$BIN" >"$OUT/man/helmrec.1"
for c in $("$BIN" --help | awk '/^Commands:/{f=1; next} f && /^  [a-z]/{print $1}'); do
	bash "$HERE/gen-man-cmd.sh" "$BIN" "$c" >"$OUT/man/helmrec-$c.1"
done
"$BIN" completion bash >"$OUT/completions/helmrec.bash"
"$BIN" completion zsh >"$OUT/completions/_helmrec"
"$BIN" completion fish >"$OUT/completions/helmrec.fish"
