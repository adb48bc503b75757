#!/usr/bin/env bash
# I/O errors (issue 15): a file size limit (ulimit -f; SIGXFSZ is ignored so
# the write fails with EFBIG), a full filesystem (a small tmpfs in a user +
# mount namespace, when unshare(1) can make one), a read-only output
# directory, stdout whose reader went away (pipe, FIFO; SIGPIPE default and
# ignored) and an input FIFO closed early.  Each must give a clear error and
# the documented exit code, never a crash, never a partial file under an
# output's final name, and leave the index as it was (integrity_check ok,
# same content).  /dev/full on stdout is test_write_errors.sh.
#
# Run with --inner DIR by the script itself inside `unshare -rm`, where it
# mounts the tmpfs: the checks that need a mount run there.
. "$(dirname "$0")/lib.sh"
C=testdata/corpus
DUMP=$C/dumps/all-secrets-configmaps.yaml
SMALL=$C/dumps/single-record.yaml
case "$BIN" in /*) ;; *) BIN=$PWD/$BIN ;; esac
command -v sqlite3 >/dev/null || { echo "SKIP: no sqlite3"; exit 77; }
content() { python3 tests/cli/index_content.py "$1"; }
err_has() { grep -q -- "$1" "$TMP/err"; }
# sane NAME: stderr shows no crash (sanitizer report, signal) and no stale errno.
sane() {
	ok "$1: no crash report" sh -c "! grep -Eq 'Sanitizer|runtime error|Segmentation|Aborted|core dumped|No such file' \"$TMP/err\""
}
# no_output NAME PATH: neither PATH nor a temporary file beside it remains.
no_output() {
	ok "$1: no $(basename "$2")" test ! -e "$2"
	ok "$1: no temporary file left" sh -c "! ls \"$2\".tmp* >/dev/null 2>&1"
}
# index_kept NAME DB SAVED: DB is sound and has the content SAVED had.
index_kept() {
	ok "$1: integrity_check ok" test "$(sqlite3 "$2" 'PRAGMA integrity_check' 2>&1)" = ok
	ok "$1: content unchanged" cmp -s "$3" <(content "$2")
	ok "$1: no journal left" test ! -e "$2-journal"
}

# Inputs: a big folder (every kind) and one small record.
mkdir -p "$TMP/in"
for i in $(seq 1 300); do echo '---'; cat $C/dumps/single-record.yaml; done >"$TMP/in/big.yaml"
cp $C/dumps/all-secrets-configmaps.json $C/datastores/plain/etcd-snapshot.db $C/velero/backup-public.tar.gz "$TMP/in/"
"$BIN" scan -q "$TMP/in" --db "$TMP/full.db" || { echo "FAIL setup"; exit 1; }
"$BIN" scan -q "$SMALL" --db "$TMP/small.db" || { echo "FAIL setup"; exit 1; }
small_kb=$(( $(stat -c %s "$TMP/small.db") / 1024 ))
content "$TMP/small.db" >"$TMP/small.txt"

if [ "${1:-}" = --inner ]; then
	# In a private mount namespace: $2 is a fresh directory for the tmpfs.
	M=$2
	mount -t tmpfs -o size=$((small_kb + 192))k tmpfs "$M" || { echo "SKIP inner: mount failed"; exit 77; }
	cp "$TMP/small.db" "$M/i.db"
	expect_status "tmpfs full: scan" 1 "$BIN" scan -q "$TMP/in" --db "$M/i.db"
	ok "tmpfs full: says so, names the index" err_has "^Error: $M/i.db: .*database or disk is full"
	sane "tmpfs full: scan"
	index_kept "tmpfs full" "$M/i.db" "$TMP/small.txt"
	expect_status "tmpfs full: list still answers" 0 "$BIN" list -A --db "$M/i.db"
	# fill what the rolled-back scan freed, then write outputs
	dd if=/dev/zero of="$M/fill" bs=4k 2>/dev/null
	expect_status "tmpfs full: export --out" 1 "$BIN" export -A --driver secret --out "$M/x.yaml" --db "$TMP/full.db"
	ok "tmpfs full: export error names the file" err_has "^Error: $M/x.yaml: write failed: No space left on device"
	ok "tmpfs full: no summary announcing the write" sh -c "! grep -q '^export: ' \"$TMP/err\""
	no_output "tmpfs full: export" "$M/x.yaml"
	expect_status "tmpfs full: report" 1 "$BIN" report --html "$M/r.html" --db "$TMP/full.db"
	ok "tmpfs full: report error" err_has "^Error: .*r.html.*No space left on device"
	no_output "tmpfs full: report" "$M/r.html"
	expect_status "tmpfs full: stdout to a file" 1 sh -c "\"$BIN\" export -A --driver secret --db \"$TMP/full.db\" >\"$M/o.yaml\""
	ok "tmpfs full: stdout error" err_has "^Error: .*No space left on device"
	sane "tmpfs full: stdout"
	rm -f "$M/o.yaml" "$M/fill"
	# Read-only: the same tmpfs remounted read-only, with an index in it.
	mkdir "$M/out"
	mount -o remount,ro "$M" || { echo "SKIP inner: remount ro failed"; finish; exit; }
	expect_status "read-only: scan into an index there" 1 "$BIN" scan -q "$SMALL" --db "$M/i.db"
	ok "read-only: says so" err_has "^Error: $M/i.db: .*readonly database"
	sane "read-only: scan"
	index_kept "read-only" "$M/i.db" "$TMP/small.txt"
	expect_status "read-only: list reads it" 0 "$BIN" list -A --db "$M/i.db"
	expect_status "read-only: new index" 1 "$BIN" scan -q "$SMALL" --db "$M/new.db"
	ok "read-only: new index error" err_has "^Error: .*$M/new.db"
	expect_status "read-only: export --out" 1 "$BIN" export -A --driver secret --out "$M/out/x.yaml" --db "$TMP/full.db"
	ok "read-only: export error" err_has "^Error: $M/out/x.yaml: .*Read-only file system"
	expect_status "read-only: export --out DIR" 1 "$BIN" export -A --driver secret --out "$M/out" --db "$TMP/full.db"
	expect_status "read-only: chart" 1 "$BIN" chart web -n shop --out "$M/out/chart" --db "$TMP/full.db"
	ok "read-only: chart error" err_has "^Error: .*Read-only file system"
	expect_status "read-only: rollback --out" 1 "$BIN" rollback web 3 -n shop --out "$M/out/rb/" --db "$TMP/full.db"
	ok "read-only: rollback error" err_has "^Error: .*Read-only file system"
	expect_status "read-only: report" 1 "$BIN" report --html "$M/out/r.html" --db "$TMP/full.db"
	ok "read-only: report error" err_has "^Error: .*Read-only file system"
	ok "read-only: nothing written" test -z "$(ls -A "$M/out")"
	finish
	exit
fi

# 1. A file size limit: writes past it fail with EFBIG (SIGXFSZ ignored).
limit=$((small_kb + 128))
mkdir "$TMP/f"
cp "$TMP/small.db" "$TMP/f/i.db"
expect_status "ulimit -f: scan" 1 sh -c "ulimit -f $limit; exec \"$BIN\" scan -q \"$TMP/in\" --db \"$TMP/f/i.db\""
ok "ulimit -f: error names the index" err_has "^Error: $TMP/f/i.db: "
sane "ulimit -f: scan"
index_kept "ulimit -f" "$TMP/f/i.db" "$TMP/small.txt"
expect_status "ulimit -f: export --out" 1 sh -c "ulimit -f 64; exec \"$BIN\" export -A --driver secret --out \"$TMP/f/x.yaml\" --db \"$TMP/full.db\""
ok "ulimit -f: export error" err_has "^Error: $TMP/f/x.yaml: write failed: File too large"
no_output "ulimit -f: export" "$TMP/f/x.yaml"
expect_status "ulimit -f: report" 1 sh -c "ulimit -f 64; exec \"$BIN\" report --html \"$TMP/f/r.html\" --db \"$TMP/full.db\""
ok "ulimit -f: report error" err_has "^Error: .*r.html.*File too large"
no_output "ulimit -f: report" "$TMP/f/r.html"
expect_status "ulimit -f: chart --tgz" 1 sh -c "ulimit -f 2; exec \"$BIN\" chart web -n shop --tgz --out \"$TMP/f/chart\" --db \"$TMP/full.db\""
ok "ulimit -f: chart error" err_has "^Error: .*File too large"
no_output "ulimit -f: chart" "$TMP/f/chart"
ok "ulimit -f: no chart tgz" sh -c "! ls \"$TMP\"/f/*.tgz* >/dev/null 2>&1"
expect_status "ulimit -f: stdout to a file" 1 sh -c "ulimit -f 64; exec \"$BIN\" export -A --driver secret --db \"$TMP/full.db\" >\"$TMP/f/o.yaml\""
ok "ulimit -f: stdout error" err_has "^Error: .*File too large"
sane "ulimit -f: stdout"

# 2. A full filesystem and a read-only directory: a tmpfs in a private namespace.
if command -v unshare >/dev/null && unshare -rm true 2>/dev/null; then
	mkdir "$TMP/mnt"
	HELMREC_BIN=$BIN unshare -rm bash "$0" --inner "$TMP/mnt" >"$TMP/inner.log" 2>&1
	rc=$?
	if [ $rc = 77 ]; then
		cat "$TMP/inner.log"
	else
		grep FAIL "$TMP/inner.log"
		ok "tmpfs and read-only checks ($(tail -1 "$TMP/inner.log"))" test $rc = 0
	fi
elif [ "$(id -u)" != 0 ]; then
	# No namespace: a read-only directory by its mode (root would ignore it).
	mkdir "$TMP/ro"
	chmod 555 "$TMP/ro"
	expect_status "read-only dir: export --out" 1 "$BIN" export -A --driver secret --out "$TMP/ro/x.yaml" --db "$TMP/full.db"
	ok "read-only dir: export error" err_has "^Error: $TMP/ro/x.yaml: .*Permission denied"
	expect_status "read-only dir: scan" 1 "$BIN" scan -q "$SMALL" --db "$TMP/ro/i.db"
	expect_status "read-only dir: chart" 1 "$BIN" chart web -n shop --out "$TMP/ro/chart" --db "$TMP/full.db"
	ok "read-only dir: nothing written" test -z "$(ls -A "$TMP/ro")"
	chmod 755 "$TMP/ro"
else
	echo "note: no unshare and running as root: tmpfs and read-only checks skipped"
fi

# 3. stdout whose reader is gone: a pipe with its read end closed before the
# command starts (every write fails), SIGPIPE default then ignored.
python3 - "$BIN" "$TMP/full.db" >"$TMP/pipes.log" <<'EOF'
import os, signal, subprocess, sys
bin, db = sys.argv[1], sys.argv[2]
cmds = [["list", "-A"], ["history", "web", "-n", "shop", "-o", "json"], ["get", "all", "web", "-n", "shop"],
        ["export", "-A", "--driver", "secret"], ["sql", "SELECT * FROM sighting"], ["audit", "-A"],
        ["audit", "-A", "-o", "sarif"], ["diff", "web", "1", "6", "-n", "shop"], ["decode", "--help"]]
bad = ("Sanitizer", "runtime error", "Segmentation", "No such file")
for ignore in (False, True):
    for cmd in cmds:
        r, w = os.pipe()
        os.close(r)
        pre = (lambda: signal.signal(signal.SIGPIPE, signal.SIG_IGN)) if ignore else None
        p = subprocess.run([bin] + cmd + ["--db", db], stdout=w, stderr=subprocess.PIPE, preexec_fn=pre)
        os.close(w)
        err = p.stderr.decode(errors="replace")
        want = (1,) if ignore else (-signal.SIGPIPE, 1)
        ok = p.returncode in want and not any(b in err for b in bad)
        print("%s %s sigpipe=%s: exit %s %s" % ("ok" if ok else "FAIL", " ".join(cmd),
              "ignored" if ignore else "default", p.returncode, err.strip()[-200:].replace("\n", " | ")))
EOF
while IFS= read -r line; do
	case "$line" in ok*) PASS=$((PASS + 1)) ;; *) echo "FAIL pipe: $line"; FAIL=$((FAIL + 1)) ;; esac
done <"$TMP/pipes.log"
# the shell's own pattern: | head -c1 (the reader leaves after one byte)
"$BIN" export -A --driver secret --db "$TMP/full.db" 2>"$TMP/err" | head -c1 >/dev/null
rc=${PIPESTATUS[0]}
ok "| head -c1: killed by SIGPIPE or exit 1 (got $rc)" sh -c "[ $rc = 141 ] || [ $rc = 1 ]"
sane "| head -c1"
# a FIFO whose reader exits after one byte
mkfifo "$TMP/out.fifo"
(head -c1 <"$TMP/out.fifo" >/dev/null) &
"$BIN" get all web -n shop --db "$TMP/full.db" >"$TMP/out.fifo" 2>"$TMP/err"
rc=$?
wait
ok "FIFO reader gone: SIGPIPE or exit 1 (got $rc)" sh -c "[ $rc = 141 ] || [ $rc = 1 ] || [ $rc = 0 ]"
sane "FIFO reader gone"

# 4. An input FIFO whose writer stops half-way: truncation reported (exit 3,
# the FIFO named), the complete records before the cut indexed.
mkfifo "$TMP/in.fifo"
n=$(wc -c <"$DUMP")
(head -c $((n / 2)) "$DUMP" >"$TMP/in.fifo") &
expect_status "FIFO input cut: scan" 3 "$BIN" scan -q "$TMP/in.fifo" --db "$TMP/fifo.db"
wait
ok "FIFO input cut: named as truncated" err_has "in.fifo.*truncated"
ok "FIFO input cut: records before the cut kept" test "$(sqlite3 "$TMP/fifo.db" 'SELECT COUNT(*) FROM revision')" -gt 0
ok "FIFO input cut: integrity_check ok" test "$(sqlite3 "$TMP/fifo.db" 'PRAGMA integrity_check')" = ok
(head -c $((n / 2)) "$DUMP" >"$TMP/in.fifo") &
expect_status "FIFO input cut: --from" 3 "$BIN" list -A --from "$TMP/in.fifo"
wait
ok "FIFO input cut: --from still lists" grep -q '^web' "$TMP/out"
(: >"$TMP/in.fifo") &
expect_status "FIFO input empty: scan" 0 "$BIN" scan "$TMP/in.fifo" --db "$TMP/fifo0.db"
wait
ok "FIFO input empty: said" err_has "no Helm release records"
finish
