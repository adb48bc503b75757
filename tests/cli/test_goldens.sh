#!/usr/bin/env bash
# Every golden in testdata/corpus/goldens (helm 4.1.4 and helm 3.17.1 answers
# for the same records) against helmrec, byte for byte: history (table, json),
# list per storage driver (table, json), get values/manifest/hooks/notes/
# metadata/all for every revision.
. "$(dirname "$0")/lib.sh"
C=testdata/corpus
G=$C/goldens
DB=${HELMREC_TEST_DB:-$TMP/all.db}  # test_pg.sh runs this against PostgreSQL
"$BIN" scan $C/dumps/all-secrets-configmaps.yaml $C/sql/helm-sql-full.sql --db "$DB" --quiet 2>/dev/null; [ $? -le 3 ] || {
	echo "FAIL scan of the corpus (exit $?)"; exit 1; }

for ver in helm-v4.1.4 helm-v3.17.1; do
	compat=4; [ "$ver" = helm-v3.17.1 ] && compat=3
	H=("$BIN" --db "$DB" --helm-compat $compat)
	for dir in $(cd $G/$ver && ls -d */*/ | grep -v '^_'); do
		ns=${dir%%/*}; rel=${dir#*/}; rel=${rel%/}
		d=$G/$ver/$ns/$rel
		check "$ver $ns/$rel history" $d/history.txt "${H[@]}" history "$rel" -n "$ns"
		check "$ver $ns/$rel history json" $d/history.json "${H[@]}" history "$rel" -n "$ns" -o json
		for rd in "$d"/rev-*; do
			r=${rd##*rev-}
			check "$ver $ns/$rel r$r values" $rd/values.json "${H[@]}" get values "$rel" -n "$ns" --revision "$r" -o json
			check "$ver $ns/$rel r$r values --all" $rd/values-all.json "${H[@]}" get values "$rel" -n "$ns" --revision "$r" --all -o json
			check "$ver $ns/$rel r$r manifest" $rd/manifest.yaml "${H[@]}" get manifest "$rel" -n "$ns" --revision "$r"
			check "$ver $ns/$rel r$r hooks" $rd/hooks.yaml "${H[@]}" get hooks "$rel" -n "$ns" --revision "$r"
			check "$ver $ns/$rel r$r notes" $rd/notes.txt "${H[@]}" get notes "$rel" -n "$ns" --revision "$r"
			check "$ver $ns/$rel r$r metadata" $rd/metadata.json "${H[@]}" get metadata "$rel" -n "$ns" --revision "$r" -o json
			check "$ver $ns/$rel r$r all" $rd/all.txt "${H[@]}" get all "$rel" -n "$ns" --revision "$r"
		done
	done
	# helm list per storage driver: v4 `list -A`, v3 `list -A -a`.
	la=(-A); [ $compat = 3 ] && la=(-A -a)
	secret_inputs=()
	for f in $C/dumps/per-namespace/*.yaml; do
		[ "$(basename $f)" = cm.yaml ] || secret_inputs+=(--from "$f")
	done
	for drv in secret configmap sql; do
		case $drv in
		secret) src=("${secret_inputs[@]}") ;;
		configmap) src=(--from $C/dumps/per-namespace/cm.yaml) ;;
		sql) src=(--from $C/sql/helm-sql-full.sql) ;;
		esac
		# helm 3 orders equal names from different namespaces at random (see lib.sh).
		cmp=check; [ $compat = 3 ] && cmp=check_ties
		$cmp "$ver list $drv" $G/$ver/_list/$drv.txt "$BIN" --helm-compat $compat list "${la[@]}" "${src[@]}"
		$cmp "$ver list $drv json" $G/$ver/_list/$drv.json "$BIN" --helm-compat $compat list "${la[@]}" -o json "${src[@]}"
	done
done
finish
