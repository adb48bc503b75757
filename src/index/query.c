/*
 * query.c — read side of the index: revisions of a release, every
 * release, the body and labels of one revision.
 *
 * "Current" rows only: for each (namespace, name, version) the body helm
 * would read (see hr_index_finish).  Without HR_Q_INCLUDE_DELETED only
 * revisions that are live at the head of the inputs are returned, which is
 * exactly the set helm's own queries would see.
 */
#include "index/index_int.h"
#include "util/array.h"

#include <stdlib.h>
#include <string.h>

#define REV_COLUMNS \
	"id, namespace, name, version, status, chart_name, chart_version, app_version, description," \
	" has_chart, first_deployed, last_deployed, deleted, apply_method, driver, is_live, conflict, state_order"

/*
 * The text columns of REV_COLUMNS and where each goes.  A row's strings
 * are copied into one block (hr_rev_summary.strings): one malloc per row
 * rather than one per column (list -A reads 10 000 rows of 12 strings).
 */
enum { TEXT_COLS = 12 };
static const char **text_slot(hr_rev_summary *r, int k, int *col)
{
	static const int cols[TEXT_COLS] = { 1, 2, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14 };
	const char **slots[TEXT_COLS] = { &r->namespace, &r->name, &r->status, &r->chart_name, &r->chart_version,
					  &r->app_version, &r->description, &r->first_deployed, &r->last_deployed,
					  &r->deleted, &r->apply_method, &r->driver };

	*col = cols[k];
	return slots[k];
}

static int row_strings(hr_db_stmt *st, hr_rev_summary *r)
{
	const unsigned char *t[TEXT_COLS];
	size_t len[TEXT_COLS], total = 0;
	char *p;
	int k, col;

	for (k = 0; k < TEXT_COLS; k++) {
		text_slot(r, k, &col);
		t[k] = hr_db_column_text(st, col);
		len[k] = t[k] ? (size_t)hr_db_column_bytes(st, col) : 0;
		total += t[k] ? len[k] + 1 : 0;
	}
	if (!(r->strings = p = malloc(total ? total : 1)))
		return HR_ENOMEM;
	for (k = 0; k < TEXT_COLS; k++) {
		const char **slot = text_slot(r, k, &col);

		if (!t[k])
			continue;
		memcpy(p, t[k], len[k]);
		p[len[k]] = 0;
		*slot = p;
		p += len[k] + 1;
	}
	return 0;
}

static int fetch_rows(hr_index *idx, hr_db_stmt *st, hr_rev_summary **rows, size_t *n, hr_error *err)
{
	hr_rev_summary *arr = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	while ((rc = hr_db_step(st)) == HR_DB_ROW) {
		hr_rev_summary *r;

		if (!(r = HR_INDEX_ROW_ADD(arr, cnt, cap)) || row_strings(st, r)) {
			hr_rev_summaries_free(arr, cnt);
			return hr_error_set(err, HR_ENOMEM, "out of memory");
		}
		r->id = hr_db_column_int64(st, 0);
		r->version = hr_db_column_int64(st, 3);
		r->has_chart = hr_db_column_int(st, 9);
		r->is_live = hr_db_column_int(st, 15);
		r->conflict = hr_db_column_int(st, 16);
		r->state_order = hr_db_column_int64(st, 17);
	}
	if (rc != HR_DB_DONE) {
		hr_rev_summaries_free(arr, cnt);
		return hr_index_dberr(idx, err, "query");
	}
	*rows = arr;
	*n = cnt;
	return 0;
}

void hr_index_set_at(hr_index *idx, int64_t at)
{
	idx->at = at > 0 ? at : 0;
}

/*
 * The rows a query starts from.  At the head: the current body of each
 * revision key.  As of datastore revision ?at: per key, the body whose
 * datastore sighting was the key's value at that revision (created at or
 * before it, not yet superseded or deleted), newest first on ties.
 */
static const char head_rows[] =
	"SELECT " REV_COLUMNS " FROM revision WHERE is_current AND (is_live OR ?3)";
static const char at_rows[] =
	"SELECT " REV_COLUMNS " FROM (SELECT r.*, ROW_NUMBER() OVER (PARTITION BY r.namespace, r.name, r.version"
	"   ORDER BY v.dr DESC, r.id DESC) AS rn FROM revision r JOIN"
	"   (SELECT revision_id, MAX(ds_revision) AS dr FROM sighting WHERE ds_revision > 0 AND ds_revision <= ?4"
	"     AND (ds_until = 0 OR ds_until > ?4) AND state <> 'carved' GROUP BY revision_id) v"
	"   ON v.revision_id = r.id) WHERE rn = 1 AND ?3 IS NOT NULL";

/*
 * HR_Q_BODY_ID: helm's list keys releases by the body's name and namespace
 * (filterLatestReleases on rls.Name + rls.Namespace), after selecting the
 * objects by the namespace they live in.  The rows keep the object-side
 * filter and answer with the body's identity.
 */
#define REV_COLUMNS_BODY \
	"id, COALESCE(body_namespace, namespace) AS namespace, COALESCE(body_name, name) AS name, version, status," \
	" chart_name, chart_version, app_version, description, has_chart, first_deployed, last_deployed, deleted," \
	" apply_method, driver, is_live, conflict, state_order"

/*
 * HR_Q_PER_OBJECT: helm's history lists every object its label query
 * finds, so a body held by two objects prints twice.  Distinct live
 * objects (namespace/name) holding each row; rows seen without an object
 * name count once.
 */
static const char objects_of[] =
	"SELECT DISTINCT revision_id AS rid, COALESCE(object_namespace, '') || '/' || object_name AS obj"
	" FROM sighting WHERE state = 'live' AND object_name IS NOT NULL";

static int run_query(hr_index *idx, const char *where, const char *ns, const char *name, unsigned flags,
		     hr_rev_summary **rows, size_t *n, hr_error *err)
{
	hr_buf sql = HR_BUF_INIT;
	hr_db_stmt *st;
	int rc;
	/*
	 * A filter that is not given is "?N IS NULL", not "(?N IS NULL OR
	 * col = ?N)": SQLite cannot use an index for the OR form and scans
	 * every revision (history at 100 000 revisions: 15 ms vs 0.3 ms).
	 */
	const char *ns_is = ns ? "namespace = ?1" : "?1 IS NULL", *name_is = name ? "name = ?2" : "?2 IS NULL";

	*rows = NULL;
	*n = 0;
	if ((flags & HR_Q_BODY_ID) && (flags & HR_Q_LATEST) && !idx->at) {
		/*
		 * helm list at the head: the rows that the scan marked as their
		 * release's newest (revision.newest, index_int.h), read through
		 * the partial index revision_newest: no grouping of every
		 * revision (list -A at 100 000 revisions: ~20 ms of SQL to ~3).
		 * In no particular order: helm list sorts them itself
		 * (hr_render_list).  ?3 stays a parameter for the callers' binding.
		 */
		unsigned bit = (ns ? 4u : 1u) << (flags & HR_Q_INCLUDE_DELETED ? 1 : 0);

		if (hr_buf_printf(&sql, "SELECT " REV_COLUMNS_BODY " FROM revision WHERE newest > 0 AND (newest & %u) <> 0"
				  " AND ?3 IS NOT NULL AND %s AND %s", bit, ns_is,
				  name ? "COALESCE(body_name, name) = ?2" : "?2 IS NULL"))
			return hr_error_set(err, HR_ENOMEM, "out of memory");
		goto run;
	}
	if (flags & HR_Q_BODY_ID) {
		if (hr_buf_printf(&sql, "SELECT " REV_COLUMNS_BODY "%s FROM revision WHERE id IN (SELECT id FROM (%s))"
				  " AND %s AND %s %s ORDER BY %s", (flags & HR_Q_LATEST) ? ", MAX(version)" : "",
				  idx->at ? at_rows : head_rows, ns_is, name ? "COALESCE(body_name, name) = ?2" : "?2 IS NULL",
				  (flags & HR_Q_LATEST) ? "GROUP BY COALESCE(body_namespace, namespace),"
							  " COALESCE(body_name, name)" : "", where))
			return hr_error_set(err, HR_ENOMEM, "out of memory");
		goto run;
	}
	/*
	 * HR_Q_LATEST: SQLite's bare-column MAX() keeps the row holding the
	 * maximum.  At the head, pick the ids through the covering index
	 * revision_latest first and fetch only those rows (2x faster on
	 * 100 000 revisions).
	 */
	if ((flags & HR_Q_LATEST) && !idx->at) {
		if (hr_buf_printf(&sql, "SELECT " REV_COLUMNS " FROM revision WHERE id IN (SELECT id FROM"
				  " (SELECT id, MAX(version) FROM revision WHERE is_current AND (is_live OR ?3)"
				  " AND %s AND %s GROUP BY namespace, name)) ORDER BY %s", ns_is, name_is, where))
			return hr_error_set(err, HR_ENOMEM, "out of memory");
	} else if (hr_buf_printf(&sql, "SELECT *%s FROM (%s) WHERE %s AND %s %s ORDER BY %s",
			  (flags & HR_Q_LATEST) ? ", MAX(version)" : "", idx->at ? at_rows : head_rows, ns_is, name_is,
			  (flags & HR_Q_LATEST) ? "GROUP BY namespace, name" : "", where))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
run:
	if (flags & HR_Q_PER_OBJECT) {
		hr_buf q = HR_BUF_INIT;

		/* the objects of the rows found only: not DISTINCT over every sighting of the index */
		if (hr_buf_printf(&q, "SELECT q.* FROM (%s) q LEFT JOIN (%s AND revision_id IN (SELECT id FROM (%s))) o"
				  " ON o.rid = q.id ORDER BY %s", hr_buf_cstr(&sql), objects_of, hr_buf_cstr(&sql), where)) {
			hr_buf_free(&sql);
			return hr_error_set(err, HR_ENOMEM, "out of memory");
		}
		hr_buf_free(&sql);
		sql = q;
	}
	rc = hr_db_prepare(idx->db, sql.ptr, -1, &st, NULL);
	hr_buf_free(&sql);
	if (rc != HR_DB_OK)
		return hr_index_dberr(idx, err, "query");
	if (ns)
		hr_db_bind_text(st, 1, ns, -1, HR_DB_STATIC);
	if (name)
		hr_db_bind_text(st, 2, name, -1, HR_DB_STATIC);
	hr_db_bind_int(st, 3, !!(flags & HR_Q_INCLUDE_DELETED));
	if (idx->at)
		hr_db_bind_int64(st, 4, idx->at);
	rc = fetch_rows(idx, st, rows, n, err);
	hr_db_finalize(st);
	return rc;
}

int hr_index_history(hr_index *idx, const char *ns, const char *name, unsigned flags,
		     hr_rev_summary **rows, size_t *n, hr_error *err)
{
	return run_query(idx, "namespace, version", ns, name, flags, rows, n, err);
}

int hr_index_all(hr_index *idx, const char *ns, unsigned flags, hr_rev_summary **rows, size_t *n, hr_error *err)
{
	return run_query(idx, "namespace, name, version", ns, NULL, flags, rows, n, err);
}

int hr_index_namespaces_of(hr_index *idx, const char *name, char ***out, size_t *n, hr_error *err)
{
	hr_db_stmt *st;
	char **arr = NULL;
	size_t cnt = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (hr_db_prepare(idx->db, "SELECT DISTINCT namespace FROM revision WHERE name = ?1 AND is_current"
			       " ORDER BY namespace", -1, &st, NULL) != HR_DB_OK)
		return hr_index_dberr(idx, err, "namespaces");
	hr_db_bind_text(st, 1, name, -1, HR_DB_STATIC);
	while ((rc = hr_db_step(st)) == HR_DB_ROW) {
		char **p = realloc(arr, (cnt + 1) * sizeof(*p));
		if (!p || !(p[cnt] = hr_index_col_dup(st, 0))) {
			arr = p ? p : arr;
			rc = HR_DB_ERROR;
			break;
		}
		arr = p;
		cnt++;
	}
	hr_db_finalize(st);
	if (rc != HR_DB_DONE) {
		for (size_t i = 0; i < cnt; i++)
			free(arr[i]);
		free(arr);
		return hr_error_set(err, HR_EDB, "%s: namespaces query failed", idx->path);
	}
	*out = arr;
	*n = cnt;
	return 0;
}

int hr_index_body(hr_index *idx, int64_t id, hr_buf *json, hr_error *err)
{
	hr_decoded dec = HR_DECODED_INIT;
	hr_db_stmt *st;
	int rc;

	if (hr_db_prepare(idx->db, "SELECT data FROM payload WHERE revision_id = ?1", -1, &st, NULL) != HR_DB_OK)
		return hr_index_dberr(idx, err, "body");
	hr_db_bind_int64(st, 1, id);
	if (hr_db_step(st) != HR_DB_ROW) {
		hr_db_finalize(st);
		return hr_error_set(err, HR_ENOTFOUND, "%s: revision row %lld not found", idx->path, (long long)id);
	}
	rc = hr_codec_release_json(&dec, NULL, hr_db_column_blob(st, 0), (size_t)hr_db_column_bytes(st, 0),
				   HR_PAYLOAD_SNIFF, 0, HR_RELEASE_FULL, err);
	hr_db_finalize(st);
	if (!rc) {
		hr_buf_clear(json);
		rc = hr_buf_put(json, dec.body.ptr ? dec.body.ptr : "", dec.body.len);
	}
	hr_decoded_free(&dec);
	return rc;
}

int hr_index_payload(hr_index *idx, int64_t id, hr_buf *payload, int *is_helm, hr_error *err)
{
	hr_db_stmt *st;
	int rc = 0;

	if (hr_db_prepare(idx->db, "SELECT p.data, r.payload_sha256 IS NOT NULL FROM revision r JOIN payload p ON p.revision_id = r.id WHERE r.id = ?1",
			       -1, &st, NULL) != HR_DB_OK)
		return hr_index_dberr(idx, err, "payload");
	hr_db_bind_int64(st, 1, id);
	if (hr_db_step(st) != HR_DB_ROW) {
		rc = hr_error_set(err, HR_ENOTFOUND, "%s: revision row %lld not found", idx->path, (long long)id);
		goto out;
	}
	hr_buf_clear(payload);
	rc = hr_buf_put(payload, hr_db_column_blob(st, 0) ? hr_db_column_blob(st, 0) : "",
			(size_t)hr_db_column_bytes(st, 0));
	if (rc)
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	*is_helm = hr_db_column_int(st, 1);
out:
	hr_db_finalize(st);
	return rc;
}

int hr_index_labels(hr_index *idx, int64_t id, struct json_object **out, hr_error *err)
{
	hr_db_stmt *st;

	*out = NULL;
	if (hr_db_prepare(idx->db, "SELECT labels FROM sighting WHERE revision_id = ?1"
			       " ORDER BY state = 'live' DESC, ds_revision DESC, id DESC LIMIT 1", -1, &st, NULL) != HR_DB_OK)
		return hr_index_dberr(idx, err, "labels");
	hr_db_bind_int64(st, 1, id);
	if (hr_db_step(st) == HR_DB_ROW && hr_db_column_text(st, 0))
		*out = json_tokener_parse((const char *)hr_db_column_text(st, 0));
	hr_db_finalize(st);
	if (!*out)
		*out = json_object_new_object();
	return 0;
}

/*
 * helm's Get(name, version) reads the object whose key is
 * sh.helm.release.v1.NAME.vVERSION in the namespace, whatever body it
 * holds.  *id = the current revision row held by that object (0 = no such
 * object); *keyed = 1 when the revision (ns, name, version) is held only by
 * objects under other keys (helm then finds nothing under this key).
 */
int hr_index_by_key(hr_index *idx, const char *ns, const char *name, int64_t version, unsigned flags,
		    int64_t *id, int *keyed, hr_error *err)
{
	hr_buf key = HR_BUF_INIT;
	hr_db_stmt *st = NULL;
	int rc = 0;

	*id = 0;
	*keyed = 0;
	if (idx->at)
		return 0;   /* time travel answers by revision key only */
	if (hr_buf_printf(&key, "sh.helm.release.v1.%s.v%lld", name, (long long)version))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if (hr_db_prepare(idx->db, "SELECT r.id FROM sighting s JOIN revision r ON r.id = s.revision_id"
			       /* COALESCE(s.object_namespace, r.namespace) = ?2, spelt so that a
				* sighting in another namespace is passed over before its revision is read */
			       " WHERE s.object_name = ?1 AND (s.object_namespace = ?2 OR (s.object_namespace IS NULL"
			       " AND r.namespace = ?2))"
			       " AND r.is_current AND (s.state = 'live' OR ?3)"
			       " ORDER BY s.state = 'live' DESC, s.ds_revision DESC, s.id DESC LIMIT 1",
			       -1, &st, NULL) != HR_DB_OK) {
		rc = hr_index_dberr(idx, err, "key lookup");
		goto out;
	}
	hr_db_bind_text(st, 1, hr_buf_cstr(&key), -1, HR_DB_STATIC);
	hr_db_bind_text(st, 2, ns, -1, HR_DB_STATIC);
	hr_db_bind_int(st, 3, !!(flags & HR_Q_INCLUDE_DELETED));
	if (hr_db_step(st) == HR_DB_ROW) {
		*id = hr_db_column_int64(st, 0);
		goto out;
	}
	hr_db_finalize(st);
	st = NULL;
	if (hr_db_prepare(idx->db, "SELECT 1 FROM revision r JOIN sighting s ON s.revision_id = r.id"
			       " WHERE r.namespace = ?1 AND r.name = ?2 AND r.version = ?3 AND r.is_current"
			       " AND s.object_name LIKE 'sh.helm.release.v1.%' LIMIT 1", -1, &st, NULL) != HR_DB_OK) {
		rc = hr_index_dberr(idx, err, "key lookup");
		goto out;
	}
	hr_db_bind_text(st, 1, ns, -1, HR_DB_STATIC);
	hr_db_bind_text(st, 2, name, -1, HR_DB_STATIC);
	hr_db_bind_int64(st, 3, version);
	*keyed = hr_db_step(st) == HR_DB_ROW;
out:
	hr_db_finalize(st);
	hr_buf_free(&key);
	return rc;
}

int hr_index_identity(hr_index *idx, int64_t id, char **body_ns, char **body_name, int *is_helm, hr_error *err)
{
	hr_db_stmt *st;
	int rc = 0;

	*body_ns = *body_name = NULL;
	*is_helm = 0;
	if (hr_db_prepare(idx->db, "SELECT COALESCE(body_namespace, namespace), COALESCE(body_name, name),"
			       " payload_sha256 IS NOT NULL FROM revision WHERE id = ?1", -1, &st, NULL) != HR_DB_OK)
		return hr_index_dberr(idx, err, "identity");
	hr_db_bind_int64(st, 1, id);
	if (hr_db_step(st) != HR_DB_ROW) {
		rc = hr_error_set(err, HR_ENOTFOUND, "%s: revision row %lld not found", idx->path, (long long)id);
	} else if (!(*body_ns = hr_index_col_dup(st, 0)) || !(*body_name = hr_index_col_dup(st, 1))) {
		free(*body_ns);
		*body_ns = NULL;
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	} else {
		*is_helm = hr_db_column_int(st, 2);
	}
	hr_db_finalize(st);
	return rc;
}
