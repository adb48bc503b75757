#!/usr/bin/env bash
# Datastore backups end to end: an etcd snapshot and a kine state.db of the
# same history (testdata/corpus/datastores/*/plan.json).  Replaying the plan
# gives, at every datastore revision, which revisions each release had and
# in which status; `helmrec history --at REV` must answer exactly that, for
# both files.  At the head, history answers as helm would (pruned and
# uninstalled revisions absent) and --include-deleted recovers them.
. "$(dirname "$0")/lib.sh"
D=testdata/corpus/datastores
for variant in plain encrypted; do
	extra=()
	[ $variant = encrypted ] && extra=(--encryption-config $D/encrypted/encryption-config.yaml)
	for file in etcd-snapshot.db state.db; do
		db=$TMP/$variant-$file.idx
		expect_status "$variant/$file scan" 0 "$BIN" scan $D/$variant/$file --db "$db" --quiet "${extra[@]}"
		col=etcd_revision; [ $file = state.db ] && col=kine_id
		if python3 - "$BIN" "$db" $D/$variant/plan.json $col <<'PY'
import json, re, subprocess, sys
bin_, db, plan, col = sys.argv[1:5]
state = {}   # (ns, name) -> {version: status}
bad = 0
def status_of(note):
    if 're-install pending' in note: return 'pending-install'
    if 're-installed' in note: return 'deployed'
    m = re.search(r'(pending-install|pending-upgrade|deployed|superseded|failed|uninstalling)', note)
    return m.group(1) if m else None
for op in json.load(open(plan)):
    m = re.match(r'/registry/(?:secrets|configmaps)/([^/]+)/sh\.helm\.release\.v1\.(.+)\.v(\d+)$', op['key'])
    if not m:
        continue
    ns, name, ver = m.group(1), m.group(2), int(m.group(3))
    revs = state.setdefault((ns, name), {})
    if op['op'] == 'delete':
        revs.pop(ver, None)
    else:
        revs[ver] = status_of(op['note'])
    at = op[col]
    for (ns2, name2), want in state.items():
        p = subprocess.run([bin_, 'history', name2, '-n', ns2, '--db', db, '--at', str(at), '-o', 'json'],
                           capture_output=True, text=True)
        got = {} if p.returncode == 4 else {r['revision']: r['status'] for r in json.loads(p.stdout or '[]')}
        if got != want:
            bad += 1
            print(f'at {col} {at}: {ns2}/{name2}: want {want}, got {got} ({p.stderr.strip()})')
sys.exit(1 if bad else 0)
PY
		then PASS=$((PASS + 1)); else echo "FAIL $variant/$file: --at replay"; FAIL=$((FAIL + 1)); fi
		# Head: webapp v1 was pruned, oldapp was uninstalled and reinstalled.
		"$BIN" history webapp -n default --db "$db" -o json > "$TMP/h.json"
		ok "$variant/$file head: webapp v2-v4 only" test "$(python3 -c 'import json,sys; print([r["revision"] for r in json.load(open(sys.argv[1]))])' "$TMP/h.json")" = "[2, 3, 4]"
		"$BIN" history webapp -n default --db "$db" -o json --include-deleted > "$TMP/h.json"
		ok "$variant/$file recovered webapp v1" test "$(python3 -c 'import json,sys; print([r["revision"] for r in json.load(open(sys.argv[1]))])' "$TMP/h.json")" = "[1, 2, 3, 4]"
		expect_status "$variant/$file get manifest of a pruned revision" 0 "$BIN" get manifest webapp -n default --revision 1 --include-deleted --db "$db"
		expect_status "$variant/$file pruned revision absent without the flag" 4 "$BIN" get manifest webapp -n default --revision 1 --db "$db"
	done
done
# A wrong key is a clear per-value error, not a crash; the scan goes on.
sed 's/secret: .*/secret: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=/' $D/encrypted/encryption-config.yaml > "$TMP/wrong.yaml"
expect_status "wrong key: exit 3" 3 "$BIN" scan $D/encrypted/etcd-snapshot.db --db "$TMP/wrong.db" --encryption-config "$TMP/wrong.yaml"
ok "wrong key: message names key and provider" grep -q "registry/secrets" "$TMP/err"
finish
