/*
 * copy.c — `helmrec index copy`: move the rows of one or every cluster
 * from one index to another (SQLite ↔ PostgreSQL, either way) without
 * reading the backups again.
 *
 * Rows are copied table by table, parents first (source, release,
 * revision, then what hangs off a revision or a source), each through
 * the storage interface of its own side, so the two engines never meet.
 * Ids are the target's own: each copied row's old id is mapped to the id
 * it has in the target — an existing row with the same identity (the
 * unique keys of the schema) is reused, so copying twice changes nothing.
 * The target commits every few hundred rows; hr_index_finish then
 * recomputes its flags.
 */
#include "index/index_int.h"
#include "util/array.h"

#include <stdlib.h>
#include <string.h>

enum { BATCH = 500 };

/* old id → new id, sorted by old id (ids come in ascending order) */
typedef struct idmap {
	int64_t *from, *to;
	size_t n, cap, cap2;
} idmap;

static int map_add(idmap *m, int64_t from, int64_t to)
{
	if (HR_ARRAY_GROW(m->from, m->n + 1, m->cap) || HR_ARRAY_GROW(m->to, m->n + 1, m->cap2))
		return HR_ENOMEM;
	m->from[m->n] = from;
	m->to[m->n++] = to;
	return 0;
}

static int64_t map_get(const idmap *m, int64_t from)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->from[mid] == from)
			return m->to[mid];
		if (m->from[mid] < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static void map_free(idmap *m)
{
	free(m->from);
	free(m->to);
}

/* Bind column `c` of the source row as parameter `p` of the target statement. */
static void bind_col(hr_db_stmt *in, int c, hr_db_stmt *out, int p)
{
	switch (hr_db_column_type(in, c)) {
	case HR_DB_NULL: hr_db_bind_null(out, p); break;
	case HR_DB_INTEGER: hr_db_bind_int64(out, p, hr_db_column_int64(in, c)); break;
	case HR_DB_BLOB:
		hr_db_bind_blob(out, p, hr_db_column_blob(in, c) ? hr_db_column_blob(in, c) : "",
				(size_t)hr_db_column_bytes(in, c), HR_DB_TRANSIENT);
		break;
	default: hr_db_bind_text(out, p, (const char *)hr_db_column_text(in, c), -1, HR_DB_TRANSIENT); break;
	}
}

/*
 * One table.  `sel` reads the rows of cluster ?1 from `from`: column 0 is
 * the row's id (its parent's when it has none), columns 1..ncols the
 * values to insert; `find` (may be
 * NULL) looks the row up in `to` by its identity, bound from the selected
 * columns 1..nfind; `ins` inserts it, bound from columns 1..ncols with the
 * columns in `remap` (1-based, 0-terminated) replaced through `maps`.
 * Rows whose parent (`skip_unless`, a column index mapped by `skip_map`)
 * was not newly inserted are skipped.  `own` collects old → new ids.
 */
typedef struct table_copy {
	const char *sel, *find, *ins;
	int nfind, ncols;
	int remap[4];
	idmap *maps[4];
	idmap *own;          /* NULL: no id of its own */
	idmap *only_new;     /* copy only rows whose column `only_col` maps to a new row of this map */
	int only_col;
} table_copy;

static int copy_table(hr_index *from, hr_index *to, const char *cluster, const table_copy *t, idmap *fresh,
		      size_t *pending, hr_error *err)
{
	hr_db_stmt *sel = NULL, *find = NULL, *ins = NULL;
	int rc = 0, step;

	if (hr_db_prepare(from->db, t->sel, -1, &sel, NULL) != HR_DB_OK)
		return hr_index_dberr(from, err, "copy: read");
	if ((t->find && hr_db_prepare(to->db, t->find, -1, &find, NULL) != HR_DB_OK) ||
	    hr_db_prepare(to->db, t->ins, -1, &ins, NULL) != HR_DB_OK) {
		rc = hr_index_dberr(to, err, "copy: prepare");
		goto out;
	}
	hr_db_bind_text(sel, 1, cluster, -1, HR_DB_STATIC);
	while (!rc && (step = hr_db_step(sel)) == HR_DB_ROW) {
		int64_t old = hr_db_column_int64(sel, 0), id = 0;

		if (t->only_new && !map_get(t->only_new, hr_db_column_int64(sel, t->only_col)))
			continue;
		if (find) {
			hr_db_reset(find);
			hr_db_clear_bindings(find);
			for (int c = 1; c <= t->nfind; c++)
				bind_col(sel, c, find, c);
			hr_db_bind_text(find, t->nfind + 1, cluster, -1, HR_DB_STATIC);
			if ((step = hr_db_step(find)) == HR_DB_ROW)
				id = hr_db_column_int64(find, 0);
			else if (step != HR_DB_DONE)
				rc = hr_index_dberr(to, err, "copy: find");
		}
		if (!rc && !id) {
			hr_db_reset(ins);
			hr_db_clear_bindings(ins);
			for (int c = 1; c <= t->ncols; c++) {
				int mapped = 0;

				for (int k = 0; k < 4 && t->remap[k]; k++)
					if (t->remap[k] == c) {
						hr_db_bind_int64(ins, c, map_get(t->maps[k], hr_db_column_int64(sel, c)));
						mapped = 1;
					}
				if (!mapped)
					bind_col(sel, c, ins, c);
			}
			hr_db_bind_text(ins, t->ncols + 1, cluster, -1, HR_DB_STATIC);
			if (hr_db_step(ins) != HR_DB_DONE)
				rc = hr_index_dberr(to, err, "copy: insert");
			else if (t->own && !(id = hr_db_last_insert_rowid(to->db)))
				rc = hr_error_set(err, HR_EDB, "%s: copy: no id for a new row", to->path);
			else if (t->own && fresh && map_add(fresh, old, id))
				rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		}
		if (!rc && t->own && map_add(t->own, old, id))
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		/* short transactions on the target */
		if (!rc && ++*pending >= BATCH) {
			*pending = 0;
			if (!(rc = hr_index_commit(to, err)))
				rc = hr_index_begin(to, err);
		}
	}
	if (!rc && step != HR_DB_DONE && step != HR_DB_ROW)
		rc = hr_index_dberr(from, err, "copy: read");
out:
	hr_db_finalize(sel);
	hr_db_finalize(find);
	hr_db_finalize(ins);
	return rc;
}

#define REV_COLS "release_id, namespace, name, version, status, chart_name, chart_version, app_version, has_chart," \
	" description, first_deployed, last_deployed, deleted, apply_method, body_namespace, body_name, driver," \
	" payload_sha256, json_sha256, payload_size, json_size, state_order, is_current, is_live, conflict"
#define LIVE_COLS "source_id, api_group, kind, namespace, name, resource_version, api_version, uid, rv_order," \
	" created, observed, release_name, release_namespace, managed_by_helm, location, body_size, body"

/* Copy cluster `cluster` of `from` into `to`. */
static int copy_cluster(hr_index *from, hr_index *to, const char *cluster, hr_error *err)
{
	idmap src = { 0 }, rel = { 0 }, rev = { 0 }, rev_new = { 0 }, obj = { 0 }, obj_new = { 0 };
	size_t pending = 0;
	const table_copy tables[] = {
		{ "SELECT id, path, size, mtime, sha256, kind, scanned_at, complete, records, skipped, head_revision,"
		  " compact_revision FROM source WHERE cluster = ?1 ORDER BY id",
		  "SELECT id FROM source WHERE path = ?1 AND size IS ?2 AND mtime IS ?3 AND sha256 IS ?4 AND cluster = ?5",
		  "INSERT INTO source(path, size, mtime, sha256, kind, scanned_at, complete, records, skipped,"
		  " head_revision, compact_revision, cluster) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
		  4, 11, { 0 }, { NULL }, &src, NULL, 0 },
		{ "SELECT id, namespace, name FROM release WHERE cluster = ?1 ORDER BY id",
		  "SELECT id FROM release WHERE namespace = ?1 AND name = ?2 AND cluster = ?3",
		  "INSERT INTO release(namespace, name, cluster) VALUES(?1, ?2, ?3)",
		  2, 2, { 0 }, { NULL }, &rel, NULL, 0 },
		{ "SELECT id, " REV_COLS " FROM revision WHERE cluster = ?1 ORDER BY id",
		  "SELECT id FROM revision WHERE namespace = ?2 AND name = ?3 AND version = ?4 AND json_sha256 = ?19"
		  " AND cluster = ?20",
		  "INSERT INTO revision(" REV_COLS ", cluster) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,"
		  "?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26)", 19, 25, { 1 }, { &rel }, &rev, NULL, 0 },
		{ "SELECT p.revision_id, p.revision_id, p.data FROM payload p JOIN revision r ON r.id = p.revision_id"
		  " WHERE r.cluster = ?1 ORDER BY p.revision_id",
		  NULL, "INSERT INTO payload(revision_id, data) VALUES(?1, ?2)", 0, 2, { 1 }, { &rev }, NULL, &rev_new, 0 },
		{ "SELECT s.revision_id, s.revision_id, s.seq, s.api_version, s.kind, s.namespace, s.name, s.source_path, s.sha256"
		  " FROM resource s JOIN revision r ON r.id = s.revision_id WHERE r.cluster = ?1 ORDER BY 1, 2",
		  NULL, "INSERT INTO resource(revision_id, seq, api_version, kind, namespace, name, source_path, sha256)"
		  " VALUES(?1,?2,?3,?4,?5,?6,?7,?8)", 0, 8, { 1 }, { &rev }, NULL, &rev_new, 0 },
		{ "SELECT h.revision_id, h.revision_id, h.seq, h.name, h.kind, h.path, h.events, h.weight, h.delete_policies,"
		  " h.last_run_phase, h.last_run_started, h.last_run_completed"
		  " FROM hook h JOIN revision r ON r.id = h.revision_id WHERE r.cluster = ?1 ORDER BY 1, 2",
		  NULL, "INSERT INTO hook(revision_id, seq, name, kind, path, events, weight, delete_policies,"
		  " last_run_phase, last_run_started, last_run_completed) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
		  0, 11, { 1 }, { &rev }, NULL, &rev_new, 0 },
		{ "SELECT v.revision_id, v.revision_id, v.path, v.value FROM value v JOIN revision r ON r.id = v.revision_id"
		  " WHERE r.cluster = ?1 ORDER BY 1, 2",
		  NULL, "INSERT INTO value(revision_id, path, value) VALUES(?1, ?2, ?3)", 0, 3, { 1 }, { &rev }, NULL,
		  &rev_new, 0 },
		{ "SELECT s.id, s.revision_id, s.source_id, s.driver, s.object_name, s.object_namespace, s.location, s.offset,"
		  " s.state, s.ds_revision, s.ds_create_revision, s.ds_version, s.ds_until, s.labels, s.annotations,"
		  " s.created, s.payload_sha256 FROM sighting s JOIN revision r ON r.id = s.revision_id"
		  " WHERE r.cluster = ?1 ORDER BY s.id",
		  NULL, "INSERT OR IGNORE INTO sighting(revision_id, source_id, driver, object_name, object_namespace,"
		  " location, offset, state, ds_revision, ds_create_revision, ds_version, ds_until, labels, annotations,"
		  " created, payload_sha256) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
		  0, 16, { 1, 2 }, { &rev, &src }, NULL, NULL, 0 },
		{ "SELECT id, " LIVE_COLS " FROM live_object WHERE cluster = ?1 ORDER BY id",
		  "SELECT id FROM live_object WHERE api_group = ?2 AND kind = ?3"
		  " AND namespace = ?4 AND name = ?5 AND resource_version = ?6 AND cluster = ?7",
		  "INSERT INTO live_object(" LIVE_COLS ", cluster) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,"
		  "?14,?15,?16,?17,?18)", 6, 17, { 1 }, { &src }, &obj, NULL, 0 },
		{ "SELECT m.object_id, m.object_id, m.seq, m.manager, m.operation, m.subresource, m.time, m.fields"
		  " FROM live_manager m JOIN live_object l ON l.id = m.object_id WHERE l.cluster = ?1 ORDER BY 1, 2",
		  NULL, "INSERT INTO live_manager(object_id, seq, manager, operation, subresource, time, fields)"
		  " VALUES(?1,?2,?3,?4,?5,?6,?7)", 0, 7, { 1 }, { &obj }, NULL, &obj_new, 0 },
	};
	int rc;

	if ((rc = hr_index_begin(to, err)))
		return rc;
	for (size_t i = 0; !rc && i < sizeof(tables) / sizeof(tables[0]); i++) {
		idmap *fresh = tables[i].own == &rev ? &rev_new : tables[i].own == &obj ? &obj_new : NULL;

		rc = copy_table(from, to, cluster, &tables[i], fresh, &pending, err);
	}
	if (!rc)
		rc = hr_index_commit(to, err);
	else
		hr_index_rollback(to);
	map_free(&src);
	map_free(&rel);
	map_free(&rev);
	map_free(&rev_new);
	map_free(&obj);
	map_free(&obj_new);
	return rc;
}

int hr_index_copy(hr_index *from, hr_index *to, const char *cluster, hr_error *err)
{
	hr_cluster_row *rows = NULL;
	size_t n = 0, done = 0;
	int rc;

	if ((rc = hr_index_clusters(from, &rows, &n, err)))
		return rc;
	for (size_t i = 0; !rc && i < n; i++)
		if (!cluster || !strcmp(rows[i].name, cluster)) {
			rc = copy_cluster(from, to, rows[i].name, err);
			done++;
		}
	if (!rc && cluster && !done)
		rc = hr_error_set(err, HR_ENOTFOUND, "%s has no cluster \"%s\"", from->path, cluster);
	if (!rc)
		rc = hr_index_finish(to, 0, err);
	hr_cluster_rows_free(rows, n);
	return rc;
}
