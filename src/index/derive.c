/*
 * derive.c — the search tables derived from a body at scan time:
 * `resource` (one row per manifest document), `hook`, and `value` (user
 * values flattened to dotted paths).
 *
 * The manifest reader here is deliberately light: documents are split at
 * lines that start with "---" (as helm's splitter does) and only the head
 * fields (apiVersion, kind, metadata.name, metadata.namespace) and the
 * "# Source:" comment are read, by line, at their usual indentation.
 * Exact per-resource splitting for rollback lives in src/render/.
 */
#include "index/index_int.h"
#include "model/release.h"

#include <stdlib.h>
#include <string.h>

static char *dup_trim(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') || (s[0] == '\'' && s[n - 1] == '\'')))
		s++, n -= 2;
	return strndup(s, n);
}

typedef struct doc_head {
	char *api_version, *kind, *name, *ns, *source;
} doc_head;

static void head_free(doc_head *h)
{
	free(h->api_version);
	free(h->kind);
	free(h->name);
	free(h->ns);
	free(h->source);
	memset(h, 0, sizeof(*h));
}

static void read_head(const char *doc, size_t len, doc_head *h)
{
	const char *p = doc, *end = doc + len;
	int in_meta = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);

#define KEY(lit) (n > sizeof(lit) - 1 && !strncmp(p, lit, sizeof(lit) - 1))
		if (KEY("# Source: ") && !h->source)
			h->source = dup_trim(p + 10, n - 10);
		else if (KEY("apiVersion:") && !h->api_version)
			h->api_version = dup_trim(p + 11, n - 11);
		else if (KEY("kind:") && !h->kind)
			h->kind = dup_trim(p + 5, n - 5);
		else if (n >= 9 && !strncmp(p, "metadata:", 9))
			in_meta = 1;
		else if (in_meta && KEY("  name:") && !h->name)
			h->name = dup_trim(p + 7, n - 7);
		else if (in_meta && KEY("  namespace:") && !h->ns)
			h->ns = dup_trim(p + 12, n - 12);
		else if (n && p[0] != ' ' && p[0] != '#')
			in_meta = 0;
#undef KEY
		p += n + 1;
	}
}

static int add_resources(hr_index *idx, int64_t rev_id, const char *manifest, hr_error *err)
{
	const char *p = manifest, *start = NULL;
	int seq = 0, rc = 0;
	sqlite3_stmt *st;

	if (!manifest)
		return 0;
	if ((rc = hr_index_prepare(idx, ST_RES_INSERT,
		"INSERT OR IGNORE INTO resource(revision_id, seq, api_version, kind, namespace, name, source_path, sha256)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8)", &st, err)))
		return rc;
	for (;;) {
		int at_sep = (*p == '\0') || (p[0] == '-' && p[1] == '-' && p[2] == '-');

		if (at_sep && start) {
			size_t len = (size_t)(p - start);
			doc_head h = { 0 };
			char sha[65];

			read_head(start, len, &h);
			if (h.kind || h.api_version) {
				hr_sha256_hex(start, len, sha);
				sqlite3_reset(st);
				sqlite3_bind_int64(st, 1, rev_id);
				sqlite3_bind_int(st, 2, seq++);
				sqlite3_bind_text(st, 3, h.api_version, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(st, 4, h.kind, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(st, 5, h.ns, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(st, 6, h.name, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(st, 7, h.source, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(st, 8, sha, -1, SQLITE_TRANSIENT);
				if (sqlite3_step(st) != SQLITE_DONE)
					rc = hr_index_dberr(idx, err, "insert resource");
			}
			head_free(&h);
			if (rc)
				return rc;
			start = NULL;
		}
		if (!*p)
			break;
		if (at_sep) {
			const char *eol = strchr(p, '\n');
			if (!eol)
				break;
			start = eol + 1;
			p = eol + 1;
			continue;
		}
		if (!start)
			start = p;
		{
			const char *eol = strchr(p, '\n');
			p = eol ? eol + 1 : p + strlen(p);
		}
	}
	return 0;
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
	sqlite3_stmt *st;
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

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, rev_id);
		sqlite3_bind_int(st, 2, (int)i);
		sqlite3_bind_text(st, 3, hr_release_str(h, "name"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, hr_release_str(h, "kind"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, hr_release_str(h, "path"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6, events, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 7, hr_release_int(h, "weight", 0));
		sqlite3_bind_text(st, 8, pol, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 9, hr_release_str_nonempty(h, "last_run.phase"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 10, hr_release_str_nonempty(h, "last_run.started_at"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 11, hr_release_str_nonempty(h, "last_run.completed_at"), -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : hr_index_dberr(idx, err, "insert hook");
		free(events);
		free(pol);
		if (rc)
			return rc;
	}
	return 0;
}

static int flatten(hr_index *idx, sqlite3_stmt *st, int64_t rev_id, hr_buf *path, struct json_object *v,
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
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, rev_id);
	sqlite3_bind_text(st, 2, hr_buf_cstr(path), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
			  -1, SQLITE_TRANSIENT);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : hr_index_dberr(idx, err, "insert value");
}

int hr_index_derive(hr_index *idx, int64_t revision_id, struct json_object *rel, hr_error *err)
{
	struct json_object *config = hr_release_get(rel, "config");
	hr_buf path = HR_BUF_INIT;
	sqlite3_stmt *st;
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
