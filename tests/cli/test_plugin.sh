#!/usr/bin/env bash
# The helm plugin (plugin/): installed into the real helm 4.1.4 and 3.17.1 in
# throw-away HELM_* directories, `helm rec history NAME -n NS --db FILE`
# answers as helmrec does, with the binary on PATH or beside the plugin;
# HELM_DRIVER is export's default driver; --debug (HELM_DEBUG) adds notes.
# Skips (77) when the helm binaries cannot be obtained.
. "$(dirname "$0")/../interop/lib.sh"
ir_need_helmrec
ir_need_helm
HELMREC=$(cd "$(dirname "$HELMREC")" && pwd)/$(basename "$HELMREC")
unset HELMREC_BIN HELMREC_DB HELM_NAMESPACE HELM_DRIVER HELM_DEBUG
DB=$IR_TMP/idx.db
"$HELMREC" scan "$IR_ROOT/testdata/corpus/dumps/all-secrets-configmaps.yaml" --db "$DB" >/dev/null 2>&1 ||
	ir_fail "scan"
"$HELMREC" history web -n shop --db "$DB" >"$IR_TMP/want" || ir_fail "helmrec history"
mkdir -p "$IR_TMP/onpath"
ln -s "$HELMREC" "$IR_TMP/onpath/helmrec"
# A copy of the plugin with the binary beside it (as a release tarball ships it).
mkdir -p "$IR_TMP/beside/bin"
cp "$IR_ROOT/plugin/plugin.yaml" "$IR_ROOT/plugin/helm-rec.sh" "$IR_TMP/beside/"
cp "$HELMREC" "$IR_TMP/beside/bin/helmrec"
NOPATH=/usr/local/bin:/usr/bin:/bin
command -v helmrec >/dev/null && PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vx "$(dirname "$(command -v helmrec)")" | paste -sd:)

for H in "$H4" "$H3"; do
	v=$("$H" version --short 2>/dev/null | cut -c1-2)
	for mode in onpath beside; do
		home=$IR_TMP/home-$v-$mode
		rm -rf "$home"
		mkdir -p "$home/data/plugins" "$home/config" "$home/cache"
		export HELM_DATA_HOME=$home/data HELM_PLUGINS=$home/data/plugins HELM_CONFIG_HOME=$home/config \
			HELM_CACHE_HOME=$home/cache
		src=$IR_ROOT/plugin p=$NOPATH:$IR_TMP/onpath
		if [ "$mode" = beside ]; then src=$IR_TMP/beside p=$NOPATH; fi
		PATH=$p "$H" plugin install "$src" >"$IR_TMP/out" 2>&1 || { ir_fail "$v $mode: plugin install: $(cat "$IR_TMP/out")"; continue; }
		PATH=$p "$H" plugin list 2>&1 | grep -q '^rec ' || ir_fail "$v $mode: plugin list has no rec"
		PATH=$p "$H" rec history web -n shop --db "$DB" >"$IR_TMP/got" 2>"$IR_TMP/err" ||
			ir_fail "$v $mode: helm rec history: $(cat "$IR_TMP/err")"
		cmp -s "$IR_TMP/want" "$IR_TMP/got" || ir_fail "$v $mode: helm rec history differs from helmrec history"
		[ "$mode" = onpath ] || continue
		PATH=$p "$H" rec hist web --namespace=shop --db "$DB" >"$IR_TMP/got" 2>&1
		cmp -s "$IR_TMP/want" "$IR_TMP/got" || ir_fail "$v: helm rec hist --namespace=shop"
		PATH=$p "$H" rec --debug history web -n shop --db "$DB" >/dev/null 2>"$IR_TMP/err"
		grep -q "helm rec: running .*-n shop" "$IR_TMP/err" || ir_fail "$v: --debug notes ($(cat "$IR_TMP/err"))"
		PATH=$p HELM_DRIVER=configmaps "$H" rec export web -n shop --db "$DB" >"$IR_TMP/got" 2>"$IR_TMP/err" ||
			ir_fail "$v: helm rec export with HELM_DRIVER: $(cat "$IR_TMP/err")"
		grep -q '^kind: ConfigMap' "$IR_TMP/got" || ir_fail "$v: HELM_DRIVER=configmaps is not export's default"
		PATH=$p HELM_DRIVER=configmaps "$H" rec export web -n shop --driver secret --db "$DB" >"$IR_TMP/got" 2>&1
		grep -q '^kind: Secret' "$IR_TMP/got" || ir_fail "$v: --driver beats HELM_DRIVER"
		PATH=$p "$H" rec --version >"$IR_TMP/got" 2>&1
		grep -q '^helmrec ' "$IR_TMP/got" || ir_fail "$v: helm rec --version"
	done
done
# Without a binary anywhere: a clear error.
PATH=$NOPATH HELM_PLUGIN_DIR=$IR_ROOT/plugin sh "$IR_ROOT/plugin/helm-rec.sh" list >/dev/null 2>"$IR_TMP/err" &&
	ir_fail "no binary: should fail"
grep -q "helmrec not found" "$IR_TMP/err" || ir_fail "no binary: message"
ir_done
