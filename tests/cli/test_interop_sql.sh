#!/usr/bin/env bash
# Interop (SQL driver): `helmrec export --driver sql` of every corpus release,
# as is and moved, loaded with psql into a FRESH PostgreSQL database (one
# helm never touched: the export carries helm's schema and its migration
# bookkeeping) and into a database where helm already ran its migrations;
# then the real helm 4 and helm 3 with HELM_DRIVER=sql read it (history, get
# all, get metadata with custom labels, list) and are compared with the
# goldens; on the moved releases rollback + upgrade run (cluster side: the
# API emulator).  PostgreSQL runs on 127.0.0.1 from a temporary directory.
# Label: interop (SKIP = exit 77).
source "$(dirname "$0")/../interop/lib.sh"
ir_need_helmrec
ir_need_helm
ir_start_pg
ir_scan_corpus
ir_mapping
ir_start_kubeapi sql
export HELM_DRIVER=sql

# As is, into a fresh database.
"$HELMREC" export -A --driver sql --db "$IR_DB" --out "$IR_TMP/all.sql" 2>"$IR_TMP/export.err" ||
	{ cat "$IR_TMP/export.err"; ir_fail "export --driver sql"; }
ir_pg_newdb fresh
ir_psql fresh -f "$IR_TMP/all.sql" || ir_fail "psql load into a fresh database"
HELM_DRIVER_SQL_CONNECTION_STRING=$IR_PGURL ir_check_both "sql" --releases "$IR_RELEASES" --all-revisions --list
# Helm must not have needed to migrate anything: its bookkeeping is ours.
n=$(ir_psql fresh -At -c "SELECT count(*) FROM gorp_migrations WHERE id IN ('init','custom_labels')")
[ "$n" = 2 ] || ir_fail "gorp_migrations has $n of helm's 2 migration ids"

# Into a database where helm already created its schema (a first helm call).
ir_pg_newdb used
HELM_DRIVER_SQL_CONNECTION_STRING=$IR_PGURL TZ=UTC "$H4" list -A >/dev/null 2>&1 ||
	ir_fail "helm 4 list on an empty database"
ir_psql used -f "$IR_TMP/all.sql" || ir_fail "psql load into a database helm already migrated"
HELM_DRIVER_SQL_CONNECTION_STRING=$IR_PGURL python3 "$IR_ROOT/tests/interop/helmcheck.py" --helm "$H3" \
	--goldens "$IR_ROOT/testdata/corpus/goldens/helm-v3.17.1" --releases "$IR_RELEASES" --list \
	--label "sql (migrated db)" || ir_fail "sql into a migrated database"

# Loading the same export twice must fail cleanly and change nothing (one transaction).
before=$(ir_psql fresh -At -c "SELECT count(*) FROM releases_v1")
ir_psql fresh -f "$IR_TMP/all.sql" >/dev/null 2>&1 && ir_fail "a second load did not fail on duplicate keys"
after=$(ir_psql fresh -At -c "SELECT count(*) FROM releases_v1")
[ "$before" = "$after" ] || ir_fail "a failed second load changed releases_v1 ($before -> $after rows)"

# Moved, then rollback + upgrade.
"$HELMREC" export -A --driver sql --db "$IR_DB" --namespace-map "$IR_NSMAP" --rename "$IR_RENAME" \
	--out "$IR_TMP/moved.sql" 2>"$IR_TMP/export.err" || { cat "$IR_TMP/export.err"; ir_fail "export --driver sql (moved)"; }
ir_pg_newdb moved
ir_psql moved -f "$IR_TMP/moved.sql" || ir_fail "psql load (moved)"
export HELM_DRIVER_SQL_CONNECTION_STRING=$IR_PGURL
ir_check_both "sql moved" --releases "$IR_RELEASES" --map-ns "$IR_NSMAP" --rename "$IR_RENAME" --list
"$HELMREC" export web -n shop --driver memory --db "$IR_DB" --out "$IR_TMP/web.json" 2>/dev/null
ir_rollback_upgrade "$H4" site shop-moved "$IR_TMP/web.json" "sql helm 4 shop/web as shop-moved/site"
ir_rollback_upgrade "$H3" site shop-moved "$IR_TMP/web.json" "sql helm 3 shop/web as shop-moved/site"
if echo ",$IR_RELEASES," | grep -q ',sqlapp/ledger,'; then
	"$HELMREC" export ledger -n sqlapp --driver memory --db "$IR_DB" --out "$IR_TMP/ledger.json" 2>/dev/null
	ir_rollback_upgrade "$H4" books sqlapp-moved "$IR_TMP/ledger.json" "sql helm 4 sqlapp/ledger as sqlapp-moved/books"
fi
ir_done
