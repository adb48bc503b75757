/*
 * sightings.c — the provenance query behind `helmrec sightings`: one row
 * per place a revision's body was seen, so a user can tell a live revision
 * from one recovered out of datastore history or carved from free pages.
 */
#include "index/index_int.h"
#include "index/sightings.h"
#include "util/array.h"

#include <stdlib.h>
#include <string.h>

int hr_index_sightings(hr_index *idx, const char *ns, const char *name, int64_t version,
		       hr_sighting_row **rows, size_t *n, hr_error *err)
{
	static const char sql[] =
		"SELECT r.version, r.status, substr(r.json_sha256, 1, 12), r.is_current, r.conflict, src.path,"
		" s.driver, CASE WHEN s.object_name IS NULL THEN NULL WHEN s.object_namespace IS NULL"
		"  OR s.object_namespace = '' THEN s.object_name ELSE s.object_namespace || '/' || s.object_name END,"
		" s.location, s.state, s.ds_revision, s.ds_until"
		" FROM sighting s JOIN revision r ON r.id = s.revision_id JOIN source src ON src.id = s.source_id"
		" WHERE r.namespace = ?1 AND r.name = ?2 AND (?3 = 0 OR r.version = ?3)"
		" ORDER BY r.version, r.is_current DESC, r.id, src.path, s.ds_revision, s.location, s.id";
	hr_sighting_row *out = NULL;
	hr_db_stmt *st = NULL;
	size_t cnt = 0, cap = 0;
	int rc = 0, step;

	*rows = NULL;
	*n = 0;
	if (hr_db_prepare(idx->db, sql, -1, &st, NULL) != HR_DB_OK)
		return hr_index_dberr(idx, err, "sightings");
	hr_db_bind_text(st, 1, ns, -1, HR_DB_STATIC);
	hr_db_bind_text(st, 2, name, -1, HR_DB_STATIC);
	hr_db_bind_int64(st, 3, version);
	while ((step = hr_db_step(st)) == HR_DB_ROW) {
		hr_sighting_row *r;

		if (!(r = HR_INDEX_ROW_ADD(out, cnt, cap))) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			goto out;
		}
		r->version = hr_db_column_int64(st, 0);
		r->status = hr_index_col_dup(st, 1);
		r->body = hr_index_col_dup(st, 2);
		r->is_current = hr_db_column_int(st, 3);
		r->conflict = hr_db_column_int(st, 4);
		r->source = hr_index_col_dup(st, 5);
		r->driver = hr_index_col_dup(st, 6);
		r->object = hr_index_col_dup(st, 7);
		r->location = hr_index_col_dup(st, 8);
		r->state = hr_index_col_dup(st, 9);
		r->ds_revision = hr_db_column_int64(st, 10);
		r->ds_until = hr_db_column_int64(st, 11);
	}
	if (step != HR_DB_DONE)
		rc = hr_index_dberr(idx, err, "sightings");
out:
	hr_db_finalize(st);
	if (rc) {
		hr_sighting_rows_free(out, cnt);
		return rc;
	}
	*rows = out;
	*n = cnt;
	return 0;
}
