/*
 * derive.c — the search tables derived from a body at scan time:
 * `resource` (one row per manifest document), `hook`, and `value` (user
 * values flattened to dotted paths).
 *
 * Manifests are read with the manifest model (model/manifest.h): split
 * with helm's line-start separator `(?m)^---[ \t]*` (HR_SPLIT_H424, the
 * rule this table has always used: a document's sha256 covers it from its
 * first non-blank byte up to the next separator line), and each document's
 * head read by hr_manifest_head_quick (by line, no libyaml: the scan writes
 * these rows on its single SQLite thread, so this stays cheap).  Exact,
 * writer-specific splitting and libyaml heads are for rollback and diff.
 */
#include "index/index_int.h"
#include "model/manifest.h"
#include "model/release.h"

#include <stdlib.h>
#include <string.h>

static int add_resources(hr_index *idx, int64_t rev_id, const char *manifest, hr_error *err)
{
	hr_span *docs = NULL;
	size_t n = 0;
	int seq = 0, rc = 0;
	hr_db_stmt *st;

	if (!manifest)
		return 0;
	if ((rc = hr_index_prepare(idx, ST_RES_INSERT,
		"INSERT OR IGNORE INTO resource(revision_id, seq, api_version, kind, namespace, name, source_path, sha256)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8)", &st, err)))
		return rc;
	if ((rc = hr_manifest_split(manifest, strlen(manifest), HR_SPLIT_H424, &docs, &n, err)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		const char *doc = manifest + docs[i].off;
		hr_doc_head h = HR_DOC_HEAD_INIT;
		char sha[65];

		if (hr_manifest_head_quick(&h, doc, docs[i].len)) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			break;
		}
		if (h.kind || h.api_version) {
			hr_sha256_hex(doc, docs[i].len, sha);
			hr_db_reset(st);
			hr_db_bind_int64(st, 1, rev_id);
			hr_db_bind_int(st, 2, seq++);
			hr_db_bind_text(st, 3, h.api_version, -1, HR_DB_TRANSIENT);
			hr_db_bind_text(st, 4, h.kind, -1, HR_DB_TRANSIENT);
			hr_db_bind_text(st, 5, h.namespace, -1, HR_DB_TRANSIENT);
			hr_db_bind_text(st, 6, h.name, -1, HR_DB_TRANSIENT);
			hr_db_bind_text(st, 7, h.source, -1, HR_DB_TRANSIENT);
			hr_db_bind_text(st, 8, sha, -1, HR_DB_TRANSIENT);
			if (hr_db_step(st) != HR_DB_DONE)
				rc = hr_index_dberr(idx, err, "insert resource");
		}
		hr_doc_head_release(&h);
	}
	free(docs);
	return rc;
}

static char *join_strings(struct json_object *arr)
{
	size_t n = arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
	hr_buf b = HR_BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(arr, i));
		if (i)
			hr_buf_putc(&b, ',');
		hr_buf_puts(&b, s ? s : "");
	}
	return n ? hr_buf_detach(&b, NULL) : NULL;
}

static int add_hooks(hr_index *idx, int64_t rev_id, struct json_object *hooks, hr_error *err)
{
	size_t n = hooks && json_object_is_type(hooks, json_type_array) ? json_object_array_length(hooks) : 0;
	hr_db_stmt *st;
	int rc;

	if (!n)
		return 0;
	if ((rc = hr_index_prepare(idx, ST_HOOK_INSERT,
		"INSERT OR IGNORE INTO hook(revision_id, seq, name, kind, path, events, weight, delete_policies,"
		" last_run_phase, last_run_started, last_run_completed) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
		&st, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(hooks, i);
		char *events = join_strings(hr_release_get(h, "events"));
		char *pol = join_strings(hr_release_get(h, "delete_policies"));

		hr_db_reset(st);
		hr_db_bind_int64(st, 1, rev_id);
		hr_db_bind_int(st, 2, (int)i);
		hr_db_bind_text(st, 3, hr_release_str(h, "name"), -1, HR_DB_TRANSIENT);
		hr_db_bind_text(st, 4, hr_release_str(h, "kind"), -1, HR_DB_TRANSIENT);
		hr_db_bind_text(st, 5, hr_release_str(h, "path"), -1, HR_DB_TRANSIENT);
		hr_db_bind_text(st, 6, events, -1, HR_DB_TRANSIENT);
		hr_db_bind_int64(st, 7, hr_release_int(h, "weight", 0));
		hr_db_bind_text(st, 8, pol, -1, HR_DB_TRANSIENT);
		hr_db_bind_text(st, 9, hr_release_str_nonempty(h, "last_run.phase"), -1, HR_DB_TRANSIENT);
		hr_db_bind_text(st, 10, hr_release_str_nonempty(h, "last_run.started_at"), -1, HR_DB_TRANSIENT);
		hr_db_bind_text(st, 11, hr_release_str_nonempty(h, "last_run.completed_at"), -1, HR_DB_TRANSIENT);
		rc = hr_db_step(st) == HR_DB_DONE ? 0 : hr_index_dberr(idx, err, "insert hook");
		free(events);
		free(pol);
		if (rc)
			return rc;
	}
	return 0;
}

static int flatten(hr_index *idx, hr_db_stmt *st, int64_t rev_id, hr_buf *path, struct json_object *v,
		   int depth, hr_error *err)
{
	size_t mark = path->len;
	int rc = 0;

	if (depth > 64)
		return 0;
	if (v && json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, child) {
			if (path->len)
				hr_buf_putc(path, '.');
			hr_buf_puts(path, k);
			rc = flatten(idx, st, rev_id, path, child, depth + 1, err);
			hr_buf_truncate(path, mark);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (v && json_object_is_type(v, json_type_array)) {
		size_t n = json_object_array_length(v);
		for (size_t i = 0; i < n; i++) {
			hr_buf_printf(path, "[%zu]", i);
			rc = flatten(idx, st, rev_id, path, json_object_array_get_idx(v, i), depth + 1, err);
			hr_buf_truncate(path, mark);
			if (rc)
				return rc;
		}
		return 0;
	}
	hr_db_reset(st);
	hr_db_bind_int64(st, 1, rev_id);
	hr_db_bind_text(st, 2, hr_buf_cstr(path), -1, HR_DB_TRANSIENT);
	hr_db_bind_text(st, 3, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
			  -1, HR_DB_TRANSIENT);
	return hr_db_step(st) == HR_DB_DONE ? 0 : hr_index_dberr(idx, err, "insert value");
}

int hr_index_derive(hr_index *idx, int64_t revision_id, struct json_object *rel, hr_error *err)
{
	struct json_object *config = hr_release_get(rel, "config");
	hr_buf path = HR_BUF_INIT;
	hr_db_stmt *st;
	int rc;

	if ((rc = add_resources(idx, revision_id, hr_release_str(rel, "manifest"), err)))
		return rc;
	if ((rc = add_hooks(idx, revision_id, hr_release_get(rel, "hooks"), err)))
		return rc;
	if (!config || !json_object_is_type(config, json_type_object))
		return 0;
	if ((rc = hr_index_prepare(idx, ST_VALUE_INSERT,
		"INSERT OR IGNORE INTO value(revision_id, path, value) VALUES(?1, ?2, ?3)", &st, err)))
		return rc;
	rc = flatten(idx, st, revision_id, &path, config, 0, err);
	hr_buf_free(&path);
	return rc;
}
