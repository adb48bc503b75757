#!/usr/bin/env bash
# A write error on stdout is an error: with stdout on /dev/full (every write
# fails with ENOSPC) each command must exit 1 and say so on stderr, never
# exit 0 with the output silently lost (docs/conventions.md, DESIGN.md
# § Style 10: every write checked, stdout flushed and closed at the end).
. "$(dirname "$0")/lib.sh"
DUMP=testdata/corpus/dumps/all-secrets-configmaps.yaml

if ! [ -c /dev/full ] || printf x 2>/dev/null >/dev/full; then
	echo "SKIP: no /dev/full that fails writes"
	exit 77
fi

# full NAME CMD...: CMD with stdout on /dev/full exits 1 with an error message naming the failure.
full() {
	local name=$1 rc
	shift
	"$@" >/dev/full 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q '^Error: .*No space left on device' "$TMP/err"; then
		PASS=$((PASS + 1))
	else
		echo "FAIL $name: exit $rc, stderr: $(head -c 300 "$TMP/err")"
		FAIL=$((FAIL + 1))
	fi
}

full "history table" "$BIN" history web -n shop --from "$DUMP"
full "history json" "$BIN" history web -n shop --from "$DUMP" -o json
full "history yaml" "$BIN" history web -n shop --from "$DUMP" -o yaml
full "list" "$BIN" list -A --from "$DUMP"
full "status" "$BIN" status web -n shop --from "$DUMP"
full "get values" "$BIN" get values web -n shop --from "$DUMP"
full "get manifest" "$BIN" get manifest web -n shop --from "$DUMP"
full "diff" "$BIN" diff web 3 4 -n shop --from "$DUMP"
full "--help" "$BIN" --help
# the same commands succeed with a working stdout (so the failure above is the write)
expect_status "history to a file" 0 "$BIN" history web -n shop --from "$DUMP"
ok "history wrote rows" grep -q '^1 ' "$TMP/out"
finish
