/*
 * derive.c — the search tables derived from a body: `resource` (one row
 * per manifest document), `hook`, and `value` (user values flattened to
 * dotted paths).  The rows are built off this thread, by the scan's decode
 * workers (scan/derive_rows.c, model/derived.h); the index only inserts
 * them, for a body it stores for the first time.
 */
#include "index/index_int.h"

/* Bind the derived strings at offsets `offs` to parameters first, first+1, ... (HR_DERIVED_NULL: NULL). */
static void bind_strs(hr_db_stmt *st, int first, const hr_derived *d, const size_t *offs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hr_db_bind_text(st, first + (int)i, hr_derived_str(d, offs[i]), -1, HR_DB_STATIC);
}

/* ?2.. of row i of each table (?1 is the revision row). */
static void bind_resource(hr_db_stmt *st, const hr_derived *d, size_t i)
{
	const hr_resource_row *r = &d->resources[i];
	const size_t cols[] = { r->api_version, r->kind, r->namespace, r->name, r->source_path };

	hr_db_bind_int(st, 2, r->seq);
	bind_strs(st, 3, d, cols, 5);
	hr_db_bind_text(st, 8, r->sha256, -1, HR_DB_STATIC);
}

static void bind_hook(hr_db_stmt *st, const hr_derived *d, size_t i)
{
	const hr_hook_row *h = &d->hooks[i];
	const size_t head[] = { h->name, h->kind, h->path, h->events };
	const size_t tail[] = { h->delete_policies, h->last_run_phase, h->last_run_started, h->last_run_completed };

	hr_db_bind_int(st, 2, h->seq);
	bind_strs(st, 3, d, head, 4);
	hr_db_bind_int64(st, 7, h->weight);
	bind_strs(st, 8, d, tail, 4);
}

static void bind_value(hr_db_stmt *st, const hr_derived *d, size_t i)
{
	const size_t cols[] = { d->values[i].path, d->values[i].value };

	bind_strs(st, 2, d, cols, 2);
}

/* Insert rows 0..n-1 of one table through the cached statement `slot` (`what` names it in errors). */
static int insert_rows(hr_index *idx, int slot, const char *sql, const char *what, int64_t rev_id,
		       const hr_derived *d, size_t n, void (*bind)(hr_db_stmt *, const hr_derived *, size_t),
		       hr_error *err)
{
	hr_db_stmt *st;
	int rc;

	if (!n)
		return 0;
	if ((rc = hr_index_prepare(idx, slot, sql, &st, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		hr_db_reset(st);
		hr_db_bind_int64(st, 1, rev_id);
		bind(st, d, i);
		if (hr_db_step(st) != HR_DB_DONE)
			return hr_index_dberr(idx, err, what);
	}
	return 0;
}

int hr_index_derive(hr_index *idx, int64_t revision_id, const hr_derived *d, hr_error *err)
{
	int rc;

	if (!d || !d->built)
		return hr_error_set(err, HR_EINVAL, "derived rows of revision row %lld were not built",
				    (long long)revision_id);
	if ((rc = insert_rows(idx, ST_RES_INSERT,
		"INSERT OR IGNORE INTO resource(revision_id, seq, api_version, kind, namespace, name, source_path, sha256)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8)", "insert resource", revision_id, d, d->nresources, bind_resource, err)))
		return rc;
	if ((rc = insert_rows(idx, ST_HOOK_INSERT,
		"INSERT OR IGNORE INTO hook(revision_id, seq, name, kind, path, events, weight, delete_policies,"
		" last_run_phase, last_run_started, last_run_completed) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
		"insert hook", revision_id, d, d->nhooks, bind_hook, err)))
		return rc;
	return insert_rows(idx, ST_VALUE_INSERT, "INSERT OR IGNORE INTO value(revision_id, path, value) VALUES(?1, ?2, ?3)",
			   "insert value", revision_id, d, d->nvalues, bind_value, err);
}
