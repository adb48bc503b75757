#!/usr/bin/env bash
# The scan's decode pipeline (src/scan/pipeline.c) gives the same index
# whatever the thread count: records handed back in input order, and a
# record whose payload repeats the previous one byte for byte (Velero's
# v1-preferredversion copy follows each object) borrows that record's
# decode instead of decoding again -- which must not change a single row.
# HELMREC_THREADS=0 runs without threads (and without that borrowing).
. "$(dirname "$0")/lib.sh"
C=testdata/corpus
content() { python3 tests/cli/index_content.py "$1"; }

# The inputs: the Velero backup (81 preferred-version copies), the same
# backup with every object's second copy made different by one byte of
# metadata (no borrowing possible), and a dump whose records repeat.
V=$C/velero/backup-public.tar.gz
python3 - "$C/dumps/all-secrets-configmaps.json" "$TMP/repeat.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
items = []
for i, o in enumerate(d["items"]):
    items.append(o)
    if i % 3 == 0:           # the same object again, twice: a chain must not borrow from a borrower
        items.append(o)
        items.append(o)
d["items"] = items
json.dump(d, open(sys.argv[2], "w"))
PY
for t in 0 1 2 4; do
	for in in "$V" "$TMP/repeat.json"; do
		b=$(basename "$in")
		rm -f "$TMP/t$t.db"
		if HELMREC_THREADS=$t "$BIN" scan -q "$in" --db "$TMP/t$t.db" >"$TMP/out" 2>"$TMP/err"; then
			content "$TMP/t$t.db" >"$TMP/c-$b-$t.txt"
		else
			echo "FAIL scan $b with $t threads: $(head -c 300 "$TMP/err")"
			FAIL=$((FAIL + 1))
		fi
	done
done
ok "velero: index has sightings of both copies" grep -q "v1-preferredversion" "$TMP/c-backup-public.tar.gz-0.txt"
for t in 1 2 4; do
	ok "velero: $t threads = no threads" cmp -s "$TMP/c-backup-public.tar.gz-0.txt" "$TMP/c-backup-public.tar.gz-$t.txt"
	ok "repeated records: $t threads = no threads" cmp -s "$TMP/c-repeat.json-0.txt" "$TMP/c-repeat.json-$t.txt"
done
finish
