#!/usr/bin/env bash
# Print the helmrec-CMD(1) man page of one command from the binary's own
# `helmrec CMD --help` (the option table) and the README's example lines for
# that command, so the page cannot drift from the parser:
#   bash scripts/gen-man-cmd.sh build/helmrec history > helmrec-history.1
set -euo pipefail
BIN=$1
CMD=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/"; }
summary=$("$BIN" --help | awk -v c="$CMD" '$1 == c { $1 = ""; sub(/^ +/, ""); print; exit }')
up=$(printf '%s' "$CMD" | tr 'a-z' 'A-Z')
ver=$("$BIN" --version | awk '{print $2}')
echo ".TH HELMREC-$up 1 \"\" \"helmrec $ver\" \"User Commands\""
echo ".SH NAME"
printf 'helmrec-%s \\- %s\n' "$CMD" "$(printf '%s' "$summary" | esc)"
echo ".SH SYNOPSIS"
echo ".nf"
"$BIN" "$CMD" --help | awk '/^Usage:/{f=1; next} f && /^$/{exit} f' | sed 's/^  //' | esc
echo ".fi"
echo ".SH DESCRIPTION"
echo ".nf"
"$BIN" "$CMD" --help | esc
echo ".fi"
echo ".SH EXAMPLES"
echo ".nf"
ex=$(grep -E "^helmrec $CMD( |\$)" "$ROOT/README.md" || true)
if [ -n "$ex" ]; then printf '%s\n' "$ex" | esc; else echo "helmrec $CMD --help"; fi
echo ".fi"
cat <<'EOT'
.SH ENVIRONMENT
.TP
.B HELM_NAMESPACE
the namespace when -n is not given (as helm; set by helm for `helm rec`)
.TP
.B HELMREC_DB
the index file when --db is not given (default ./helmrec.db)
.TP
.B HELMREC_HELM_COMPAT
3 or 4: answer as that helm major version (default 4), as --helm-compat
.TP
.B NO_COLOR
when set and not empty, no colour even on a terminal (unless --color always)
.TP
.B HELMREC_COLOR
auto, always or never: when to colour output, as --color (default auto)
.TP
.B TZ
the time zone of printed times, as for helm
.SH EXIT STATUS
0 ok; 1 failure; 2 usage error; 3 done, but some inputs or records were
skipped; 4 release or revision not found.
.SH SEE ALSO
EOT
echo "helmrec(1), helm(1), sqlite3(1)"
