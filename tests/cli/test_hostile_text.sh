#!/usr/bin/env bash
# Hostile text (issue 15): a release whose name, namespace, labels, chart,
# manifest object names, keys, values and live managers hold ESC, BEL, CR,
# DEL, C1 (U+0085, U+009B) and invalid UTF-8 (a lone 0x9b, 0xff), built by
# make_hostile.py.  helmrec's own text -- drift (table and JSON), the plans
# and summaries of rollback, export, chart and repair, sql's table, audit,
# Error lines -- must hold no raw terminal control: each shows as a visible
# escape (util/termsafe.h, docs/reliability.md § Control characters).  The
# data outputs (the kubectl stream, exported records, written files) keep
# the bytes as they are.
. "$(dirname "$0")/lib.sh"
C=testdata/corpus
DB=$TMP/h.db
python3 "$(dirname "$0")/make_hostile.py" $C "$TMP/h.json" || { echo "FAIL make_hostile.py"; exit 1; }
expect_status "scan" 0 "$BIN" scan -q "$TMP/h.json" --db "$DB"
N=$(printf 'w\033[31m\a\r\177\302\205\302\233\233\377')
NS=$(printf 's\033[31m\a\r\177\302\205\302\233\233\377')
NOW=--now=2026-12-01T00:00:00Z

# clean FILE...: no C0 control but tab and newline, no DEL, no C1 (as UTF-8
# or as a lone byte), no bidi control, no byte outside valid UTF-8.
clean() {
	python3 - "$@" <<'EOF'
import sys
bad = 0
for f in sys.argv[1:]:
    t = open(f, "rb").read().decode("utf-8", "surrogateescape")
    for i, ch in enumerate(t):
        c = ord(ch)
        if ((c < 0x20 and ch not in "\t\n") or 0x7f <= c <= 0x9f or 0x202a <= c <= 0x202e or
                0x2066 <= c <= 0x2069 or 0xdc80 <= c <= 0xdcff):
            print("%s: raw U+%04X at %d: %r" % (f, c, i, t[max(0, i - 30):i + 10]))
            bad = 1
            break
sys.exit(bad)
EOF
}
# run NAME CODE CMD...: exit CODE, and stdout and stderr clean
run() {
	local name=$1
	expect_status "$@"
	ok "$name: stdout and stderr show no raw control" clean "$TMP/out" "$TMP/err"
}
# run_err NAME CODE CMD...: as run, for commands whose stdout is data (only stderr is checked)
run_err() {
	local name=$1
	expect_status "$@"
	ok "$name: stderr shows no raw control" clean "$TMP/err"
}
shows() { grep -qF -- "$2" "$TMP/$1"; }
# data FILE...: written as data: YAML's or JSON's escapes (\u001b), none of termsafe's (\x1b)
data() { grep -qF '\u001b' "$@" && ! grep -qF '\x1b' "$@"; }
esc_ns='s\x1b[31m\x07\x0d\x7f\u0085\u009b\x9b\xff'
esc_rel='w\x1b[31m\x07\x0d\x7f\u0085\u009b\x9b\xff'

run "drift table" 0 "$BIN" drift -A --db "$DB"
ok "drift: difference line escaped" shows out '/data/k\x1b[1m\u009b: stored "stored\u001b]0;x\u0007\r\x7f", live "live\u001b[5m\u0085\x9b\xff" (managers: kubectl\x1b[31m\x07\x0d\x7f\u0085\u009b)'
ok "drift: names escaped" shows out "$esc_ns/cm\\x1b]0;t\\x07\\u0085"
run "drift json" 0 "$BIN" drift -A -o json --db "$DB"
ok "drift json: JSON escapes" shows out '"live": "live\u001b[5m\u0085\ufffd\ufffd"'
ok "drift json: still JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$TMP/out"
ok "drift json: the values kept" python3 -c "
import json,sys; d=json.load(open(sys.argv[1]))
assert d[0]['differences'][0]['stored'] == 'stored\x1b]0;x\x07\r\x7f', d[0]['differences']" "$TMP/out"

run_err "rollback" 0 "$BIN" rollback "$N" -n "$NS" --db "$DB" $NOW
ok "rollback: plan escaped" shows err "Rollback of $esc_ns/$esc_rel to revision 1"
ok "rollback: the stream is data (YAML's escapes, not termsafe's)" data "$TMP/out"
ok "rollback: the namespace it adds is a double-quoted YAML scalar" shows out 'namespace: "s\u001b[31m\u0007\u000d\u007f\u0085\u009b\ufffd\ufffd"'
run_err "rollback --out" 0 "$BIN" rollback "$N" -n "$NS" --db "$DB" --out "$TMP/rb" $NOW
ok "rollback --out: where it goes escaped" shows err "kubectl apply -n $esc_ns -f"
ok "rollback --out: the files are data" data "$TMP/rb/manifest.yaml" "$TMP/rb/records.yaml"

run "export refused" 2 "$BIN" export -A --driver secret --db "$DB"
run_err "export" 0 "$BIN" export -A --driver secret --db "$DB" --rename "$N=web" --namespace-map "$NS=shop"
ok "export: summary escaped" shows err "  $esc_ns/$esc_rel -> shop/web: 2 revision(s)"
run "export --dry-run" 0 "$BIN" export -A --driver configmap --db "$DB" --rename "$N=web" --namespace-map "$NS=shop" --dry-run
run "export --out" 0 "$BIN" export -A --driver configmap --db "$DB" --rename "$N=web" --namespace-map "$NS=shop" --out "$TMP/ex.yaml"
ok "export --out: summary escaped" shows err "  $esc_ns/$esc_rel -> shop/web"
ok "export --out: the records are data" data "$TMP/ex.yaml"

run "chart" 0 "$BIN" chart "$N" -n "$NS" --db "$DB" --out "$TMP/ch"
ok "chart: summary escaped" shows out 'Recovered chart webapp\u0085-0.1.0'
ok "chart: notes escaped" shows err '"files/f\u0085\u009b\x9b\xff.txt" is not under templates/'
ok "chart: file names are data" test -e "$TMP/ch/files/f$(printf '\302\205\302\233\233\377').txt"
# --tgz under the C locale: names outside ASCII (and outside UTF-8) written as their bytes
run "chart --tgz, C locale" 0 env LC_ALL=C "$BIN" chart "$N" -n "$NS" --db "$DB" --out "$TMP/cht" --tgz
ok "chart --tgz: the file names kept byte for byte" python3 -c "
import glob, sys, tarfile
t = tarfile.open(glob.glob(sys.argv[1] + '/*.tgz')[0], encoding='utf-8', errors='surrogateescape')
names = [m.name.encode('utf-8', 'surrogateescape') for m in t.getmembers()]
sys.exit(b'webapp\xc2\x85/files/f\xc2\x85\xc2\x9b\x9b\xff.txt' not in names)" "$TMP"

run_err "repair" 0 "$BIN" repair "$N" -n "$NS" --db "$DB" --mark-deployed 1 $NOW
ok "repair: the records are data" data "$TMP/out"
ok "repair: plan escaped" shows err "repair --mark-deployed of release $esc_rel in namespace $esc_ns"
run "repair --out" 0 "$BIN" repair "$N" -n "$NS" --db "$DB" --mark-deployed 1 $NOW --out "$TMP/rep.yaml"
run "repair --unlock refused" 1 "$BIN" repair "$N" -n "$NS" --db "$DB" --unlock

run "diff" 0 "$BIN" diff "$N" 1 2 -n "$NS" --db "$DB"
ok "diff: title escaped" shows out "$esc_ns, cm\\x1b]0;t\\x07\\u0085, ConfigMap has changed:"
ok "diff: values escaped" shows out '+k\x1b[31m\x07\x0d\x7f\u0085\u009b: "v\u001b[31m\u0007\r\x7f\u0085\u009b\ufffd\ufffd2"'
expect_status "diff --color" 0 "$BIN" diff "$N" 1 2 -n "$NS" --db "$DB" --color=always
ok "diff --color: only helmrec's colours" test "$(LC_ALL=C grep -o $'\e' "$TMP/out" | wc -l)" = "$(LC_ALL=C grep -o $'\e\\[[0-9]*m' "$TMP/out" | wc -l)"
run "diff json" 0 "$BIN" diff "$N" 1 2 -n "$NS" --db "$DB" -o json
run "sql table" 0 "$BIN" sql "SELECT namespace, name, status FROM v_latest" --db "$DB"
ok "sql table escaped" shows out "$esc_ns"
run "sql json" 0 "$BIN" sql "SELECT namespace, name FROM v_latest" -o json --db "$DB"
ok "sql json: still JSON, bytes outside UTF-8 as U+FFFD" python3 -c "
import json,sys; d=json.load(open(sys.argv[1]))
assert d[0]['namespace'] == 's\x1b[31m\x07\r\x7f\x85\x9b\ufffd\ufffd', d" "$TMP/out"
run "audit" 0 "$BIN" audit -A --explain --db "$DB"
run "audit json" 0 "$BIN" audit -A -o json --db "$DB"
run "sightings" 0 "$BIN" sightings "$N" -n "$NS" --db "$DB"
run "rollback to a missing revision" 4 "$BIN" rollback "$N" 9 -n "$NS" --db "$DB"

finish
