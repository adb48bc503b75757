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

static char *dup_col(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? strdup((const char *)t) : NULL;
}

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
	sqlite3_stmt *st = NULL;
	size_t cnt = 0, cap = 0;
	int rc = 0, step;

	*rows = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(idx->db, sql, -1, &st, NULL) != SQLITE_OK)
		return hr_index_dberr(idx, err, "sightings");
	sqlite3_bind_text(st, 1, ns, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, version);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		hr_sighting_row *r;

		if (HR_ARRAY_GROW(out, cnt + 1, cap)) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			goto out;
		}
		r = &out[cnt++];
		memset(r, 0, sizeof(*r));
		r->version = sqlite3_column_int64(st, 0);
		r->status = dup_col(st, 1);
		r->body = dup_col(st, 2);
		r->is_current = sqlite3_column_int(st, 3);
		r->conflict = sqlite3_column_int(st, 4);
		r->source = dup_col(st, 5);
		r->driver = dup_col(st, 6);
		r->object = dup_col(st, 7);
		r->location = dup_col(st, 8);
		r->state = dup_col(st, 9);
		r->ds_revision = sqlite3_column_int64(st, 10);
		r->ds_until = sqlite3_column_int64(st, 11);
	}
	if (step != SQLITE_DONE)
		rc = hr_index_dberr(idx, err, "sightings");
out:
	sqlite3_finalize(st);
	if (rc) {
		hr_sighting_rows_free(out, cnt);
		return rc;
	}
	*rows = out;
	*n = cnt;
	return 0;
}
