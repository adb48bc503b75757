#!/usr/bin/env bash
# Secret hygiene over every output kind (issue 15).  The corpus's known
# credential values (known_secrets.py: password/token/secret/key-like user
# and chart values) must not appear in any stdout or stderr of any command
# and format, nor in errors, warnings, progress, summaries or written files,
# except where printing the release's content is the command's job (exactly
# these, as helm prints them; see docs/reliability.md):
#   - get values / get all / decode (the values), get manifest / get hooks
#     (the rendered templates: the corpus's charts put credentials into
#     Secret stringData), status -o json|yaml (helm prints the whole
#     release there), rollback's manifests and records (what is applied),
#     export --driver memory (release JSON), chart (values.yaml defaults),
#     sql over the value/payload tables, and --show-secrets anywhere.
# Other exports carry payloads (base64 of gzip), never a plain value.
# Also: the index and every written file are mode 0600.
. "$(dirname "$0")/lib.sh"
C=testdata/corpus
case "$BIN" in /*) ;; *) BIN=$PWD/$BIN ;; esac
python3 tests/cli/known_secrets.py $C/decoded >"$TMP/secrets"
# their base64 too (a value copied into Secret data, or a page's data block)
while read -r s; do printf %s "$s" | base64 -w0; echo; done <"$TMP/secrets" >"$TMP/secrets64"
ok "known secrets found" test "$(wc -l <"$TMP/secrets")" -ge 5
DB=$TMP/idx.db
INPUTS=($C/dumps/all-secrets-configmaps.yaml $C/datastores/plain/etcd-snapshot.db $C/velero/backup-public.tar.gz
	$C/sql/helm-sql-full.sql)

# clean NAME FILE...: none of FILEs holds a known credential value.
clean() {
	local name=$1 hit
	shift
	hit=$({ grep -aoF -f "$TMP/secrets" "$@"; grep -aoF -f "$TMP/secrets64" "$@"; } 2>/dev/null | head -3 | tr '\n' ' ')
	if [ -z "$hit" ]; then PASS=$((PASS + 1)); else
		echo "FAIL $name: credential value printed: $hit"
		FAIL=$((FAIL + 1))
	fi
}
# run NAME CMD...: CMD's stdout and stderr hold no credential value (any exit status).
run() {
	local name=$1
	shift
	"$@" >"$TMP/out" 2>"$TMP/err"
	clean "$name" "$TMP/out" "$TMP/err"
}
# leaks NAME CMD...: CMD prints credential values (the check above is not blind).
leaks() {
	local name=$1
	shift
	"$@" >"$TMP/out" 2>&1
	ok "$name prints values (control)" grep -qaF -f "$TMP/secrets" "$TMP/out"
}

# Scan: progress (a terminal via script(1)), summary, -o json, warnings.
run "scan" "$BIN" scan "${INPUTS[@]}" --db "$DB"
run "scan -o json" "$BIN" scan "${INPUTS[@]}" --db "$TMP/j.db" -o json
if command -v script >/dev/null; then
	script -qec "\"$BIN\" scan ${INPUTS[*]} --db \"$TMP/p.db\"" /dev/null >"$TMP/tty" 2>&1
	clean "scan progress on a terminal" "$TMP/tty"
fi
ok "index is 0600" test "$(stat -c %a "$DB")" = 600

# Release listings and status, every format.
rels=$(sqlite3 "$DB" "SELECT DISTINCT namespace || ' ' || name FROM revision")
for f in table json yaml; do
	run "list -o $f" "$BIN" list -A -a -o $f --db "$DB"
done
while read -r ns name; do
	for f in table json yaml; do
		run "history $ns/$name -o $f" "$BIN" history "$name" -n "$ns" -o $f --db "$DB"
	done
	run "status $ns/$name" "$BIN" status "$name" -n "$ns" --show-resources --db "$DB"
	run "sightings $ns/$name" "$BIN" sightings "$name" -n "$ns" -o json --db "$DB"
	run "get notes $ns/$name" "$BIN" get notes "$name" -n "$ns" --db "$DB"
	run "get metadata $ns/$name" "$BIN" get metadata "$name" -n "$ns" -o json --db "$DB"
	run "diff $ns/$name" "$BIN" diff "$name" 1 2 -n "$ns" --db "$DB"
	run "diff $ns/$name -o json" "$BIN" diff "$name" 1 2 -n "$ns" -o json --db "$DB"
done <<<"$rels"

# Audit, drift, report, sql outside the value table.
for f in table json sarif; do
	run "audit -o $f" "$BIN" audit -A -o $f --db "$DB"
done
run "drift" "$BIN" drift -A --db "$DB"
run "drift -o json" "$BIN" drift -A -o json --db "$DB"
run "report" "$BIN" report --html "$TMP/r.html" --db "$DB"
clean "report page" "$TMP/r.html"    # the drawn page: test_report.sh (headless Chromium)
ok "report is 0600" test "$(stat -c %a "$TMP/r.html")" = 600
run "sql findings" "$BIN" sql --db "$DB" -o json "SELECT * FROM finding"
run "sql sightings" "$BIN" sql --db "$DB" -o csv "SELECT * FROM sighting"

# Export (payloads only), repair and rollback files, and their summaries.
for d in secret configmap sql; do
	run "export $d" "$BIN" export -A --driver $d --db "$DB"
	run "export $d --dry-run" "$BIN" export -A --driver $d --dry-run --db "$DB"
done
run "export memory --dry-run" "$BIN" export -A --driver memory --dry-run --db "$DB"
run "export --out" "$BIN" export -A --driver secret --out "$TMP/e.yaml" --db "$DB"
clean "export file" "$TMP/e.yaml"
ok "export file is 0600" test "$(stat -c %a "$TMP/e.yaml")" = 600
run "rollback --out (summary)" "$BIN" rollback web 3 -n shop --out "$TMP/rb/" --db "$DB"
ok "rollback files are 0600" test -z "$(find "$TMP/rb" -type f ! -perm 600)"
run "repair --unlock" "$BIN" repair hung -n stuck --unlock --db "$DB"
run "chart summary" "$BIN" chart web -n shop --out "$TMP/chart" --db "$DB"
ok "chart files are 0600 or 0644 (helm pull's modes)" test -z "$(find "$TMP/chart" -type f ! -perm 600 ! -perm 644)"

# Errors: a wrong revision, a bad flag, a damaged input.
run "error: no revision" "$BIN" get values web -n shop --revision 99 --db "$DB"
run "error: bad --from" "$BIN" list -A --from "$TMP/nonexistent"
head -c 20000 $C/dumps/all-secrets-configmaps.yaml >"$TMP/cut.yaml"
run "warning: truncated dump" "$BIN" scan "$TMP/cut.yaml" --db "$TMP/cut.db"

# The commands whose job is to print values do (the grep is not blind).
leaks "get values" "$BIN" get values web -n shop --db "$DB"
leaks "get all" "$BIN" get all ledger -n sqlapp --db "$DB"
leaks "diff --show-secrets" "$BIN" diff web 1 2 -n shop --show-secrets --db "$DB"
leaks "audit --show-secrets" "$BIN" audit -A --show-secrets -o json --db "$DB"
finish
