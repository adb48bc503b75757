#!/usr/bin/env bash
# Print the helmrec(1) man page from the binary's own --help texts (the
# option tables), so the page cannot drift from the parser:
#   bash scripts/gen-man.sh build/helmrec > docs/helmrec.1
set -euo pipefail
BIN=${1:-build/helmrec}
esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/"; }
# The version is the build's (CMake's project version, through --version).
ver=$("$BIN" --version | awk '{print $2}')
echo ".TH HELMREC 1 \"\" \"helmrec $ver\" \"User Commands\""
cat <<'EOT'
.SH NAME
helmrec \- offline forensics and migration for Helm release records
.SH SYNOPSIS
.B helmrec
.I COMMAND
.RI [ flags ]
.SH DESCRIPTION
helmrec reads Helm release records from kubectl dumps, Velero backups, etcd
snapshots, k3s/kine datastores, pg_dump files of Helm's SQL driver, Helm 2
(Tiller) records and bare payloads, indexes them into SQLite, and answers as
helm would: history, list, get, status; it also rebuilds rollbacks, diffs
revisions, recovers charts and exports history for another cluster.
.SH COMMANDS
EOT
for c in $("$BIN" --help | awk '/^Commands:/{f=1; next} f && /^  [a-z]/{print $1}'); do
	echo ".SS helmrec $c"
	echo ".nf"
	"$BIN" "$c" --help | esc
	echo ".fi"
done
cat <<'EOT'
.SH EXIT STATUS
0 ok; 1 failure; 2 usage error; 3 done, but some inputs or records were
skipped, or an input was read only in part (it ends in an error: the records
before it are kept, the input stays incomplete) (each reported on standard error); 4 release or revision not found; 5 helmrec audit found something at or above --fail-on;
130 helmrec scan interrupted (what was read is kept; run the same scan again to finish).
An input named on the command line that cannot be read at all is 1; an unsupported -o value is 2.
.SH ENVIRONMENT
HELMREC_DB (default index file), HELMREC_HELM_COMPAT (3 or 4), HELM_NAMESPACE (the namespace when -n is not given),
HELMREC_THREADS (decode workers during a scan; 0 = none), HELMREC_COLOR (auto, always or never, as --color),
NO_COLOR (when set and not empty, no colour in auto mode), TZ (as for helm).
.SH FILES
The index, ./helmrec.db by default, created with mode 0600 and marked with its SQLite application_id;
helmrec never writes a file it does not recognise as its index (a kine state.db or etcd snapshot is
refused: read it with --from or scan it into another --db).
.SH SEE ALSO
helm(1), kubectl(1), sqlite3(1)
EOT
