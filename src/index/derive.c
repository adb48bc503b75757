/*
 * derive.c — the search tables derived from a body: `resource` (one row
 * per manifest document), `hook`, and `value` (user values flattened to
 * dotted paths).  The rows are built off this thread, by the scan's decode
 * workers (scan/derive_rows.c, model/derived.h); the index only inserts
 * them, for a body it stores for the first time.
 */
#include "index/index_int.h"

static int add_resources(hr_index *idx, int64_t rev_id, const hr_derived *d, hr_error *err)
{
	hr_db_stmt *st;
	int rc;

	if (!d->nresources)
		return 0;
	if ((rc = hr_index_prepare(idx, ST_RES_INSERT,
		"INSERT OR IGNORE INTO resource(revision_id, seq, api_version, kind, namespace, name, source_path, sha256)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8)", &st, err)))
		return rc;
	for (size_t i = 0; i < d->nresources; i++) {
		const hr_resource_row *r = &d->resources[i];

		hr_db_reset(st);
		hr_db_bind_int64(st, 1, rev_id);
		hr_db_bind_int(st, 2, r->seq);
		hr_db_bind_text(st, 3, hr_derived_str(d, r->api_version), -1, HR_DB_STATIC);
		hr_db_bind_text(st, 4, hr_derived_str(d, r->kind), -1, HR_DB_STATIC);
		hr_db_bind_text(st, 5, hr_derived_str(d, r->namespace), -1, HR_DB_STATIC);
		hr_db_bind_text(st, 6, hr_derived_str(d, r->name), -1, HR_DB_STATIC);
		hr_db_bind_text(st, 7, hr_derived_str(d, r->source_path), -1, HR_DB_STATIC);
		hr_db_bind_text(st, 8, r->sha256, -1, HR_DB_STATIC);
		if (hr_db_step(st) != HR_DB_DONE)
			return hr_index_dberr(idx, err, "insert resource");
	}
	return 0;
}

static int add_hooks(hr_index *idx, int64_t rev_id, const hr_derived *d, hr_error *err)
{
	hr_db_stmt *st;
	int rc;

	if (!d->nhooks)
		return 0;
	if ((rc = hr_index_prepare(idx, ST_HOOK_INSERT,
		"INSERT OR IGNORE INTO hook(revision_id, seq, name, kind, path, events, weight, delete_policies,"
		" last_run_phase, last_run_started, last_run_completed) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
		&st, err)))
		return rc;
	for (size_t i = 0; i < d->nhooks; i++) {
		const hr_hook_row *h = &d->hooks[i];

		hr_db_reset(st);
		hr_db_bind_int64(st, 1, rev_id);
		hr_db_bind_int(st, 2, h->seq);
		hr_db_bind_text(st, 3, hr_derived_str(d, h->name), -1, HR_DB_STATIC);
		hr_db_bind_text(st, 4, hr_derived_str(d, h->kind), -1, HR_DB_STATIC);
		hr_db_bind_text(st, 5, hr_derived_str(d, h->path), -1, HR_DB_STATIC);
		hr_db_bind_text(st, 6, hr_derived_str(d, h->events), -1, HR_DB_STATIC);
		hr_db_bind_int64(st, 7, h->weight);
		hr_db_bind_text(st, 8, hr_derived_str(d, h->delete_policies), -1, HR_DB_STATIC);
		hr_db_bind_text(st, 9, hr_derived_str(d, h->last_run_phase), -1, HR_DB_STATIC);
		hr_db_bind_text(st, 10, hr_derived_str(d, h->last_run_started), -1, HR_DB_STATIC);
		hr_db_bind_text(st, 11, hr_derived_str(d, h->last_run_completed), -1, HR_DB_STATIC);
		if (hr_db_step(st) != HR_DB_DONE)
			return hr_index_dberr(idx, err, "insert hook");
	}
	return 0;
}

int hr_index_derive(hr_index *idx, int64_t revision_id, const hr_derived *d, hr_error *err)
{
	hr_db_stmt *st;
	int rc;

	if (!d || !d->built)
		return hr_error_set(err, HR_EINVAL, "derived rows of revision row %lld were not built",
				    (long long)revision_id);
	if ((rc = add_resources(idx, revision_id, d, err)) || (rc = add_hooks(idx, revision_id, d, err)))
		return rc;
	if (!d->nvalues)
		return 0;
	if ((rc = hr_index_prepare(idx, ST_VALUE_INSERT,
		"INSERT OR IGNORE INTO value(revision_id, path, value) VALUES(?1, ?2, ?3)", &st, err)))
		return rc;
	for (size_t i = 0; i < d->nvalues; i++) {
		hr_db_reset(st);
		hr_db_bind_int64(st, 1, revision_id);
		hr_db_bind_text(st, 2, hr_derived_str(d, d->values[i].path), -1, HR_DB_STATIC);
		hr_db_bind_text(st, 3, hr_derived_str(d, d->values[i].value), -1, HR_DB_STATIC);
		if (hr_db_step(st) != HR_DB_DONE)
			return hr_index_dberr(idx, err, "insert value");
	}
	return 0;
}
