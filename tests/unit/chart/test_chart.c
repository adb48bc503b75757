/*
 * test_chart.c — chart recovery (export/chart.h) against the real records
 * of the corpus: for every decoded revision (secret, configmap, sql, and
 * the helm-2to3 conversions of the Helm 2 corpus) the recovered file set
 * is the one helm's loader would split back into the stored record, every
 * template/file/schema is byte-identical to the base64 the record holds
 * (decoded here with OpenSSL, not our codec), and Chart.yaml, values.yaml
 * and Chart.lock read back by libyaml hold the stored metadata, values and
 * lock.  The directory and .tgz written to disk are read back (the .tgz
 * with libarchive's reader).  Sub-chart reporting, alias restoration,
 * hostile paths and the refusal to overwrite are tested on edited records.
 */
#include "testutil.h"
#include "codec/gojson.h"
#include "chart/chart.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#define CORPUS "testdata/corpus"

static struct json_object *load_json(const char *path)
{
	hr_buf b = HR_BUF_INIT;
	struct json_object *o = NULL;
	hr_error err = HR_ERROR_INIT;

	if (tu_read_file(&b, path) == 0 && hr_gojson_parse(&o, b.ptr, b.len, &err))
		fprintf(stderr, "%s: %s\n", path, err.msg);
	hr_buf_free(&b);
	return o;
}

static struct json_object *jget(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &v);
	return v;
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* Independent base64 (OpenSSL): decoded bytes into out. */
static int b64(hr_buf *out, const char *s)
{
	size_t n = strlen(s), pad = 0;
	int got;

	hr_buf_clear(out);
	if (hr_buf_grow(out, n / 4 * 3 + 3))
		return -1;
	got = EVP_DecodeBlock((unsigned char *)out->ptr, (const unsigned char *)s, (int)n);
	if (got < 0)
		return -1;
	if (n >= 1 && s[n - 1] == '=')
		pad++;
	if (n >= 2 && s[n - 2] == '=')
		pad++;
	out->len = (size_t)got - pad;
	out->ptr[out->len] = 0;
	return 0;
}

/* ---- YAML read back with libyaml and compared with the stored JSON ---- */

static int looks_typed(const char *s)
{
	char *end;

	if (!*s || !strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "null") || !strcmp(s, "~") ||
	    !strcmp(s, "True") || !strcmp(s, "False") || !strcmp(s, "yes") || !strcmp(s, "no"))
		return 1;
	strtod(s, &end);
	return *end == 0;
}

static int node_matches(yaml_document_t *doc, yaml_node_t *n, struct json_object *j, const char *where)
{
	if (!n) {
		fprintf(stderr, "%s: missing in YAML\n", where);
		return 0;
	}
	switch (json_object_get_type(j)) {
	case json_type_null: {
		const char *v = n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : "?";
		if (strcmp(v, "null") && strcmp(v, "~") && *v) {
			fprintf(stderr, "%s: want null, got %s\n", where, v);
			return 0;
		}
		return 1;
	}
	case json_type_object: {
		size_t nk = 0;

		if (n->type != YAML_MAPPING_NODE) {
			fprintf(stderr, "%s: want a mapping\n", where);
			return 0;
		}
		json_object_object_foreach(j, k, v) {
			yaml_node_t *val = NULL;
			char sub[512];

			nk++;
			for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
				yaml_node_t *key = yaml_document_get_node(doc, p->key);
				if (key->type == YAML_SCALAR_NODE && !strcmp((const char *)key->data.scalar.value, k))
					val = yaml_document_get_node(doc, p->value);
			}
			snprintf(sub, sizeof(sub), "%s.%s", where, k);
			if (!node_matches(doc, val, v, sub))
				return 0;
		}
		if ((size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start) != nk) {
			fprintf(stderr, "%s: key count differs\n", where);
			return 0;
		}
		return 1;
	}
	case json_type_array: {
		size_t len = json_object_array_length(j);

		if (n->type != YAML_SEQUENCE_NODE ||
		    (size_t)(n->data.sequence.items.top - n->data.sequence.items.start) != len) {
			fprintf(stderr, "%s: want a sequence of %zu\n", where, len);
			return 0;
		}
		for (size_t i = 0; i < len; i++) {
			char sub[512];

			snprintf(sub, sizeof(sub), "%s[%zu]", where, i);
			if (!node_matches(doc, yaml_document_get_node(doc, n->data.sequence.items.start[i]),
					  json_object_array_get_idx(j, i), sub))
				return 0;
		}
		return 1;
	}
	default:
		break;
	}
	if (n->type != YAML_SCALAR_NODE) {
		fprintf(stderr, "%s: want a scalar\n", where);
		return 0;
	}
	{
		const char *v = (const char *)n->data.scalar.value;
		int plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;

		switch (json_object_get_type(j)) {
		case json_type_string:
			if ((size_t)json_object_get_string_len(j) != n->data.scalar.length ||
			    memcmp(v, json_object_get_string(j), n->data.scalar.length) || (plain && looks_typed(v))) {
				fprintf(stderr, "%s: want string \"%s\", got %s\"%s\"\n", where, json_object_get_string(j),
					plain ? "plain " : "", v);
				return 0;
			}
			return 1;
		case json_type_boolean:
			if (!plain || strcmp(v, json_object_get_boolean(j) ? "true" : "false")) {
				fprintf(stderr, "%s: want bool, got \"%s\"\n", where, v);
				return 0;
			}
			return 1;
		case json_type_int:
		case json_type_double:
			if (!plain || strtod(v, NULL) != json_object_get_double(j)) {
				fprintf(stderr, "%s: want number %g, got \"%s\"\n", where, json_object_get_double(j), v);
				return 0;
			}
			return 1;
		default:
			return 0;
		}
	}
}

/* Does YAML text `f` (a chart file) hold the JSON value `want`? */
static int yaml_holds(const hr_chart_file *f, struct json_object *want, const char *what)
{
	yaml_parser_t p;
	yaml_document_t doc;
	int ok;

	if (!f) {
		fprintf(stderr, "%s: file missing\n", what);
		return 0;
	}
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, f->data ? f->data : (const unsigned char *)"", f->len);
	if (!yaml_parser_load(&p, &doc)) {
		fprintf(stderr, "%s: libyaml: %s\n", what, p.problem);
		yaml_parser_delete(&p);
		return 0;
	}
	ok = node_matches(&doc, yaml_document_get_root_node(&doc), want, what);
	yaml_document_delete(&doc);
	yaml_parser_delete(&p);
	return ok;
}

/* metadata as Chart.yaml must hold it: no dependencies[].enabled; none at all for v1 charts. */
static struct json_object *expected_chart_yaml(struct json_object *meta, int v1)
{
	struct json_object *o = json_object_new_object();

	json_object_object_foreach(meta, k, v) {
		if (!strcmp(k, "dependencies")) {
			struct json_object *arr;

			if (v1)
				continue;
			arr = json_object_new_array();
			for (size_t i = 0; i < json_object_array_length(v); i++) {
				struct json_object *d = json_object_array_get_idx(v, i), *nd = json_object_new_object();

				json_object_object_foreach(d, dk, dv) {
					if (strcmp(dk, "enabled"))
						json_object_object_add(nd, dk, json_object_get(dv));
				}
				json_object_array_add(arr, nd);
			}
			json_object_object_add(o, k, arr);
			continue;
		}
		json_object_object_add(o, k, json_object_get(v));
	}
	return o;
}

static int64_t unix_of(const char *rfc3339)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, s;

	if (!rfc3339 || sscanf(rfc3339, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s) != 6 || y < 1970)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm); /* the corpus times are all Z (UTC) */
}

/* Every check of one record; returns the number of failures. */
static int check_record(const char *path)
{
	struct json_object *rel = load_json(path), *chart = jget(rel, "chart"), *meta = jget(chart, "metadata");
	struct json_object *lock = jget(chart, "lock"), *values = jget(chart, "values"), *exp;
	hr_chart *c = NULL;
	hr_error err = HR_ERROR_INIT;
	hr_buf bytes = HR_BUF_INIT;
	size_t nexp = 1;
	const char *api = jstr(meta, "apiVersion");
	int v1 = !api || !strcmp(api, "v1"), bad = 0;
	static const char *lists[] = { "templates", "files" };

	if (!rel || hr_chart_from_release(&c, rel, path, &err)) {
		fprintf(stderr, "%s: %s\n", path, err.msg);
		json_object_put(rel);
		return 1;
	}
#define EXPECT(cond, ...) do { if (!(cond)) { fprintf(stderr, "%s: ", path); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); bad++; } } while (0)
	EXPECT(!strcmp(c->files[0].path, "Chart.yaml"), "Chart.yaml is not first");
	EXPECT(!strcmp(c->name, jstr(meta, "name")), "name");
	EXPECT(!strcmp(c->version, jstr(meta, "version") ? jstr(meta, "version") : ""), "version");
	exp = expected_chart_yaml(meta, v1);
	EXPECT(yaml_holds(hr_chart_find(c, "Chart.yaml"), exp, "Chart.yaml"), "Chart.yaml fields");
	json_object_put(exp);
	if (values) {
		nexp++;
		EXPECT(yaml_holds(hr_chart_find(c, "values.yaml"), values, "values.yaml"), "values.yaml");
	} else {
		EXPECT(!hr_chart_find(c, "values.yaml"), "values.yaml written for null values");
	}
	if (lock && !v1) {
		nexp++;
		EXPECT(yaml_holds(hr_chart_find(c, "Chart.lock"), lock, "Chart.lock"), "Chart.lock");
	} else {
		EXPECT(!hr_chart_find(c, "Chart.lock"), "unexpected Chart.lock");
	}
	if (jstr(chart, "schema")) {
		const hr_chart_file *f = hr_chart_find(c, "values.schema.json");

		nexp++;
		b64(&bytes, jstr(chart, "schema"));
		EXPECT(f && f->len == bytes.len && !memcmp(f->data, bytes.ptr, bytes.len), "values.schema.json bytes");
		if (f && unix_of(jstr(chart, "schemamodtime")) > 0)
			EXPECT(f->has_mtime && f->mtime == unix_of(jstr(chart, "schemamodtime")), "schema mtime");
	}
	for (int l = 0; l < 2; l++) {
		struct json_object *arr = jget(chart, lists[l]);

		for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
			struct json_object *e = json_object_array_get_idx(arr, i);
			const hr_chart_file *f = hr_chart_find(c, jstr(e, "name"));

			nexp++;
			b64(&bytes, jstr(e, "data") ? jstr(e, "data") : "");
			EXPECT(f && f->len == bytes.len && (!f->len || !memcmp(f->data, bytes.ptr, bytes.len)),
			       "%s bytes differ", jstr(e, "name"));
			if (f && jstr(e, "modtime"))
				EXPECT(f->has_mtime && f->mtime == unix_of(jstr(e, "modtime")), "%s mtime", f->path);
		}
	}
	EXPECT(c->nfiles == nexp, "%zu files, want %zu", c->nfiles, nexp);
	if (jstr(chart, "modtime"))
		EXPECT(c->files[0].has_mtime && c->files[0].mtime == unix_of(jstr(chart, "modtime")), "Chart.yaml mtime");
#undef EXPECT
	hr_buf_free(&bytes);
	hr_chart_free(c);
	json_object_put(rel);
	return bad;
}

static void test_corpus_records(void)
{
	static const char *pats[] = { CORPUS "/decoded/*/*/*.json", CORPUS "/helm2/expected-v3/*/*.v[0-9]*.json" };
	size_t total = 0;

	for (size_t p = 0; p < 2; p++) {
		glob_t g;

		CU_ASSERT_FATAL(glob(pats[p], 0, NULL, &g) == 0);
		for (size_t i = 0; i < g.gl_pathc; i++, total++)
			CU_ASSERT(check_record(g.gl_pathv[i]) == 0);
		globfree(&g);
	}
	CU_ASSERT(total >= 60);
}

static hr_chart *chart_of(const char *path)
{
	struct json_object *rel = load_json(path);
	hr_chart *c = NULL;
	hr_error err = HR_ERROR_INIT;

	if (hr_chart_from_release(&c, rel, NULL, &err))
		fprintf(stderr, "%s: %s\n", path, err.msg);
	json_object_put(rel);
	return c;
}

static int has_note(const hr_chart *c, const char *part)
{
	for (size_t i = 0; i < c->nnotes; i++)
		if (strstr(c->notes[i], part))
			return 1;
	return 0;
}

/* The directory on disk holds exactly the chart's files, with their bytes and mtimes. */
static int dir_matches(const hr_chart *c, const char *dir)
{
	hr_buf b = HR_BUF_INIT, cmd = HR_BUF_INIT, list = HR_BUF_INIT;
	int ok = 1;

	for (size_t i = 0; i < c->nfiles; i++) {
		char p[2048];
		struct stat st;

		snprintf(p, sizeof(p), "%s/%s", dir, c->files[i].path);
		if (tu_read_file(&b, p) || b.len != c->files[i].len || (b.len && memcmp(b.ptr, c->files[i].data, b.len)) ||
		    stat(p, &st) || (c->files[i].has_mtime && st.st_mtime != c->files[i].mtime)) {
			fprintf(stderr, "%s differs on disk\n", p);
			ok = 0;
		}
	}
	hr_buf_printf(&cmd, "find '%s' -type f | wc -l", dir);
	tu_run(&list, cmd.ptr);
	if ((size_t)atol(hr_buf_cstr(&list)) != c->nfiles) {
		fprintf(stderr, "%s: %s files on disk, want %zu\n", dir, hr_buf_cstr(&list), c->nfiles);
		ok = 0;
	}
	hr_buf_free(&b);
	hr_buf_free(&cmd);
	hr_buf_free(&list);
	return ok;
}

/* The .tgz read back: NAME/<path> for every file in order, regular, 0644, same bytes. */
static int tgz_matches(const hr_chart *c, const char *path)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	size_t i = 0;
	int ok = 1;
	char want[2048], *buf = NULL;

	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 16384) != ARCHIVE_OK) {
		fprintf(stderr, "%s: %s\n", path, archive_error_string(a));
		archive_read_free(a);
		return 0;
	}
	while (ok && archive_read_next_header(a, &e) == ARCHIVE_OK) {
		const hr_chart_file *f = i < c->nfiles ? &c->files[i++] : NULL;
		la_ssize_t got;

		snprintf(want, sizeof(want), "%s/%s", c->name, f ? f->path : "?");
		free(buf);
		buf = malloc((size_t)archive_entry_size(e) + 1);
		got = archive_read_data(a, buf, (size_t)archive_entry_size(e));
		if (!f || strcmp(archive_entry_pathname(e), want) || archive_entry_filetype(e) != AE_IFREG ||
		    (archive_entry_perm(e) & 0777) != 0644 || (size_t)archive_entry_size(e) != f->len || got != (la_ssize_t)f->len ||
		    (f->len && memcmp(buf, f->data, f->len)) || (f->has_mtime && archive_entry_mtime(e) != f->mtime)) {
			fprintf(stderr, "%s: entry %s differs (want %s)\n", path, archive_entry_pathname(e), want);
			ok = 0;
		}
	}
	free(buf);
	if (i != c->nfiles) {
		fprintf(stderr, "%s: %zu entries, want %zu\n", path, i, c->nfiles);
		ok = 0;
	}
	archive_read_free(a);
	return ok;
}

/* Nothing but `keep` is left in `dir` (no temporary directories or files). */
static int only_entries(const char *dir, const char *const *keep)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int ok = 1;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		int known = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");

		for (const char *const *k = keep; *k && !known; k++)
			known = !strcmp(*k, e->d_name);
		if (!known) {
			fprintf(stderr, "%s: left behind: %s\n", dir, e->d_name);
			ok = 0;
		}
	}
	closedir(d);
	return ok;
}

static void test_write_dir_and_tgz(void)
{
	static const char *recs[] = {
		CORPUS "/decoded/secret/shop/sh.helm.release.v1.web.v6.json",
		CORPUS "/decoded/secret/crd/sh.helm.release.v1.gizmo.v2.json",
		CORPUS "/decoded/secret/platform/sh.helm.release.v1.plat.v2.json",
		CORPUS "/decoded/configmap/cm/sh.helm.release.v1.cfg.v3.json",
		CORPUS "/helm2/expected-v3/docs/wiki.v1.json",
	};
	char parent[1024], dir[1100];
	hr_buf tgz = HR_BUF_INIT, name = HR_BUF_INIT;

	for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		hr_chart *c = chart_of(recs[i]);
		hr_error err = HR_ERROR_INIT;
		const char *keep[3];

		CU_ASSERT_FATAL(c != NULL);
		snprintf(parent, sizeof(parent), "%s/w%zu", tu_tmpdir(), i);
		CU_ASSERT_FATAL(mkdir(parent, 0755) == 0);
		snprintf(dir, sizeof(dir), "%s/chart", parent);
		CU_ASSERT(hr_chart_write_dir(c, dir, 0, &err) == 0);
		CU_ASSERT(dir_matches(c, dir));
		hr_buf_clear(&name);
		CU_ASSERT(hr_chart_tgz_name(&name, c, &err) == 0);
		hr_buf_clear(&tgz);
		hr_buf_printf(&tgz, "%s/%s", parent, name.ptr);
		CU_ASSERT(hr_chart_write_tgz(c, tgz.ptr, 0, &err) == 0);
		CU_ASSERT(tgz_matches(c, tgz.ptr));
		keep[0] = "chart";
		keep[1] = name.ptr;
		keep[2] = NULL;
		CU_ASSERT(only_entries(parent, keep));
		/* again: refused without force, both for the directory and the archive */
		CU_ASSERT(hr_chart_write_dir(c, dir, 0, &err) == HR_EINVAL);
		CU_ASSERT(strstr(err.msg, "not empty") != NULL);
		CU_ASSERT(hr_chart_write_tgz(c, tgz.ptr, 0, &err) == HR_EINVAL);
		/* with force: replaced (a stray file in the old directory is gone) */
		snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/stray");
		CU_ASSERT(tu_write_file(dir, "x", 1) == 0);
		dir[strlen(dir) - 6] = 0;
		CU_ASSERT(hr_chart_write_dir(c, dir, 1, &err) == 0);
		CU_ASSERT(dir_matches(c, dir));
		CU_ASSERT(hr_chart_write_tgz(c, tgz.ptr, 1, &err) == 0);
		CU_ASSERT(only_entries(parent, keep));
		hr_chart_free(c);
	}
	hr_buf_free(&tgz);
	hr_buf_free(&name);
}

static void test_write_refusals(void)
{
	hr_chart *c = chart_of(CORPUS "/decoded/secret/crd/sh.helm.release.v1.gizmo.v1.json");
	hr_error err = HR_ERROR_INIT;
	char base[1024], p[1100];
	const char *keep[] = { "empty", "full", "file", "x.tgz", NULL };
	hr_buf b = HR_BUF_INIT;

	CU_ASSERT_FATAL(c != NULL);
	snprintf(base, sizeof(base), "%s/refuse", tu_tmpdir());
	CU_ASSERT_FATAL(mkdir(base, 0755) == 0);
	/* an existing empty directory is fine */
	snprintf(p, sizeof(p), "%s/empty", base);
	CU_ASSERT(mkdir(p, 0755) == 0);
	CU_ASSERT(hr_chart_write_dir(c, p, 0, &err) == 0);
	CU_ASSERT(dir_matches(c, p));
	/* a non-empty directory without Chart.yaml is never replaced, even with force */
	snprintf(p, sizeof(p), "%s/full", base);
	CU_ASSERT(mkdir(p, 0755) == 0);
	snprintf(p, sizeof(p), "%s/full/precious", base);
	CU_ASSERT(tu_write_file(p, "keep me", 7) == 0);
	snprintf(p, sizeof(p), "%s/full", base);
	CU_ASSERT(hr_chart_write_dir(c, p, 0, &err) == HR_EINVAL);
	CU_ASSERT(hr_chart_write_dir(c, p, 1, &err) == HR_EINVAL);
	CU_ASSERT(strstr(err.msg, "no Chart.yaml") != NULL);
	snprintf(p, sizeof(p), "%s/full/precious", base);
	CU_ASSERT(tu_read_file(&b, p) == 0 && b.len == 7);
	/* a regular file in the way */
	snprintf(p, sizeof(p), "%s/file", base);
	CU_ASSERT(tu_write_file(p, "f", 1) == 0);
	CU_ASSERT(hr_chart_write_dir(c, p, 1, &err) == HR_EINVAL);
	CU_ASSERT(strstr(err.msg, "not a directory") != NULL);
	/* an archive path that is a directory */
	snprintf(p, sizeof(p), "%s/x.tgz", base);
	CU_ASSERT(mkdir(p, 0755) == 0);
	CU_ASSERT(hr_chart_write_tgz(c, p, 1, &err) == HR_EINVAL);
	/* a parent that does not exist: an error, nothing created */
	snprintf(p, sizeof(p), "%s/nope/chart", base);
	CU_ASSERT(hr_chart_write_dir(c, p, 0, &err) == HR_EIO);
	CU_ASSERT(strstr(err.msg, "nope") != NULL);
	CU_ASSERT(only_entries(base, keep));
	hr_buf_free(&b);
	hr_chart_free(c);
}

static void test_subcharts_declared(void)
{
	hr_chart *c = chart_of(CORPUS "/decoded/secret/platform/sh.helm.release.v1.plat.v2.json");

	CU_ASSERT_FATAL(c != NULL);
	CU_ASSERT_FATAL(c->nmissing == 1);
	CU_ASSERT_STRING_EQUAL(c->missing[0], "cachelet 0.3.1");
	CU_ASSERT(has_note(c, "charts/ is missing cachelet 0.3.1 (file://../cachelet)"));
	CU_ASSERT(has_note(c, "helm dependency build"));
	CU_ASSERT(has_note(c, "comments"));
	hr_chart_free(c);
	/* a chart without dependencies has no sub-chart note */
	c = chart_of(CORPUS "/decoded/secret/shop/sh.helm.release.v1.web.v1.json");
	CU_ASSERT_FATAL(c != NULL);
	CU_ASSERT(c->nmissing == 0);
	CU_ASSERT(!has_note(c, "sub-chart"));
	hr_chart_free(c);
}

/* A Helm 2 chart converted by helm-2to3: dependencies only in requirements.* among the files. */
static void test_subcharts_v1_requirements(void)
{
	hr_chart *c = chart_of(CORPUS "/helm2/expected-v3/docs/wiki.v1.json");
	const hr_chart_file *f;

	CU_ASSERT_FATAL(c != NULL);
	CU_ASSERT_STRING_EQUAL(c->api_version, "v1");
	CU_ASSERT_FATAL(c->nmissing == 1);
	CU_ASSERT_STRING_EQUAL(c->missing[0], "mariadb 6.5.4"); /* the locked version */
	CU_ASSERT(!hr_chart_find(c, "Chart.lock"));
	CU_ASSERT((f = hr_chart_find(c, "requirements.yaml")) != NULL);
	CU_ASSERT(f && memmem(f->data, f->len, "condition: mariadb.enabled", 26) != NULL); /* the stored bytes */
	CU_ASSERT(!memmem(c->files[0].data, c->files[0].len, "dependencies", 12));
	hr_chart_free(c);
}

static struct json_object *web(void)
{
	return load_json(CORPUS "/decoded/secret/shop/sh.helm.release.v1.web.v6.json");
}

/* A sub-chart nobody declared leaves only its rendered objects in the manifest. */
static void test_subcharts_rendered_only(void)
{
	struct json_object *rel = web();
	hr_buf m = HR_BUF_INIT;
	hr_chart *c = NULL;
	hr_error err = HR_ERROR_INIT;

	hr_buf_printf(&m, "%s---\n# Source: webapp/charts/extra/templates/cm.yaml\nkind: ConfigMap\n",
		      json_object_get_string(jget(rel, "manifest")));
	json_object_object_add(rel, "manifest", json_object_new_string(m.ptr));
	CU_ASSERT_FATAL(hr_chart_from_release(&c, rel, NULL, &err) == 0);
	CU_ASSERT_FATAL(c->nmissing == 1);
	CU_ASSERT_STRING_EQUAL(c->missing[0], "extra");
	CU_ASSERT(has_note(c, "extra (rendered in the manifest, not declared)"));
	hr_chart_free(c);
	hr_buf_free(&m);
	json_object_put(rel);
}

/* helm overwrites an aliased dependency's name with the alias; chart.lock gives it back. */
static void test_alias_restored(void)
{
	struct json_object *rel = web(), *meta = jget(jget(rel, "chart"), "metadata");
	hr_error err = HR_ERROR_INIT;
	hr_chart *c = NULL;
	struct json_object *want;

	json_object_object_add(meta, "dependencies",
			       json_tokener_parse("[{\"name\":\"db\",\"version\":\"12.x\",\"repository\":\"https://charts.example\","
						  "\"enabled\":true,\"alias\":\"db\"},"
						  "{\"name\":\"cache\",\"version\":\"1.0.0\",\"repository\":\"oci://reg/x\",\"alias\":\"cache\"}]"));
	json_object_object_add(jget(rel, "chart"), "lock",
			       json_tokener_parse("{\"generated\":\"2024-01-02T03:04:05Z\",\"digest\":\"sha256:00\","
						  "\"dependencies\":[{\"name\":\"postgresql\",\"version\":\"12.5.1\","
						  "\"repository\":\"https://charts.example\"}]}"));
	CU_ASSERT_FATAL(hr_chart_from_release(&c, rel, NULL, &err) == 0);
	want = json_tokener_parse("[{\"name\":\"postgresql\",\"version\":\"12.x\",\"repository\":\"https://charts.example\","
				  "\"alias\":\"db\"},"
				  "{\"name\":\"cache\",\"version\":\"1.0.0\",\"repository\":\"oci://reg/x\",\"alias\":\"cache\"}]");
	{
		struct json_object *o = json_object_new_object();

		json_object_object_foreach(meta, k, v) {
			json_object_object_add(o, k, json_object_get(strcmp(k, "dependencies") ? v : want));
		}
		CU_ASSERT(yaml_holds(hr_chart_find(c, "Chart.yaml"), o, "Chart.yaml"));
		json_object_put(o);
	}
	CU_ASSERT(has_note(c, "name \"postgresql\" was taken back from chart.lock"));
	CU_ASSERT(has_note(c, "dependency alias \"cache\": helm stored the alias in place of the chart name"));
	CU_ASSERT(c->nmissing == 2);
	CU_ASSERT(c->nmissing > 0 && !strcmp(c->missing[0], "postgresql 12.5.1"));
	CU_ASSERT(hr_chart_find(c, "Chart.lock") && hr_chart_find(c, "Chart.lock")->mtime == 1704164645);
	json_object_put(want);
	hr_chart_free(c);
	json_object_put(rel);
}

/* Rename templates[idx] (or files[idx]) of web v6 and build: must fail naming it. */
static void expect_rejected(const char *list, size_t idx, const char *name, size_t len, const char *why)
{
	struct json_object *rel = web(), *arr = jget(jget(rel, "chart"), list);
	struct json_object *e = json_object_array_get_idx(arr, idx);
	hr_error err = HR_ERROR_INIT;
	hr_chart *c = NULL;
	char origin[64];
	int r;

	CU_ASSERT_FATAL(e != NULL);
	json_object_object_add(e, "name", json_object_new_string_len(name, (int)len));
	r = hr_chart_from_release(&c, rel, "shop/web revision 6", &err);
	snprintf(origin, sizeof(origin), "chart.%s[%zu]", list, idx);
	CU_ASSERT(r == HR_EFORMAT);
	CU_ASSERT(c == NULL);
	CU_ASSERT(strstr(err.msg, "shop/web revision 6: ") == err.msg);
	CU_ASSERT(strstr(err.msg, origin) != NULL);
	CU_ASSERT(strstr(err.msg, why) != NULL);
	if (r != HR_EFORMAT || !strstr(err.msg, why))
		fprintf(stderr, "name %s: %d %s\n", name, r, err.msg);
	json_object_put(rel);
}

static void test_hostile_paths(void)
{
	expect_rejected("templates", 0, "../../../tmp/evil", 17, "\"..\" escapes");
	expect_rejected("templates", 3, "templates/../../x.yaml", 22, "\"..\" escapes");
	expect_rejected("templates", 1, "/etc/passwd", 11, "absolute path");
	expect_rejected("files", 0, "..", 2, "\"..\" escapes");
	expect_rejected("files", 0, "crds/..", 7, "\"..\" escapes");
	expect_rejected("templates", 0, "templates//x.yaml", 17, "empty path component");
	expect_rejected("templates", 0, "templates/", 10, "empty path component");
	expect_rejected("templates", 0, "templates/./x.yaml", 18, "\".\" path component");
	expect_rejected("templates", 0, "", 0, "empty file name");
	expect_rejected("templates", 0, "templates/a\0b", 13, "NUL byte");
	expect_rejected("templates", 0, "templates/a\nb", 13, "control character");
	expect_rejected("templates", 0, "templates\\..\\..\\x", 17, "backslash");
	{
		char longname[1100], comp[300];

		memset(longname, 'a', sizeof(longname));
		for (size_t i = 100; i < sizeof(longname); i += 100)
			longname[i] = '/';
		expect_rejected("files", 0, longname, sizeof(longname), "file name too long");
		memset(comp, 'b', sizeof(comp));
		expect_rejected("files", 0, comp, sizeof(comp), "path component too long");
	}
	/* collisions with another file or with a file the chart writes itself */
	expect_rejected("templates", 1, "templates/NOTES.txt", 19, "same path as chart.templates[0]");
	expect_rejected("files", 0, "Chart.yaml", 10, "same path as chart.metadata");
	expect_rejected("files", 0, "values.yaml", 11, "same path as chart.values");
	expect_rejected("files", 0, "templates/tests", 15, "is a file of that name");
	expect_rejected("files", 0, "templates", 9, "is a file of that name");
}

static void test_hostile_fields(void)
{
	static const struct { const char *path, *json, *why; } cases[] = {
		{ "name", "\"../up\"", "unsafe chart name" },
		{ "name", "\"a/b\"", "unsafe chart name" },
		{ "name", "\"..\"", "unsafe chart name" },
		{ "name", "\"\"", "chart.metadata.name is missing" },
		{ "templates0data", "\"!!notbase64\"", "chart.templates[0] templates/NOTES.txt" },
		{ "templates0data", "42", "data is not a base64 string" },
		{ "schema", "\"@@\"", "chart.schema" },
		{ "templates", "{}", "chart.templates is not a list" },
		{ "files0", "\"x\"", "chart.files[0] is not an object" },
		{ "lock", "[]", "chart.lock is not an object" },
		{ "metadata", "null", "chart.metadata is missing" },
		{ "deps", "[1]", "dependencies[0] is not an object" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct json_object *rel = web(), *chart = jget(rel, "chart"), *v = json_tokener_parse(cases[i].json);
		hr_error err = HR_ERROR_INIT;
		hr_chart *c = NULL;
		const char *p = cases[i].path;

		if (!strcmp(p, "name"))
			json_object_object_add(jget(chart, "metadata"), "name", v);
		else if (!strcmp(p, "templates0data"))
			json_object_object_add(json_object_array_get_idx(jget(chart, "templates"), 0), "data", v);
		else if (!strcmp(p, "files0"))
			json_object_array_put_idx(jget(chart, "files"), 0, v);
		else if (!strcmp(p, "deps"))
			json_object_object_add(jget(chart, "metadata"), "dependencies", v);
		else
			json_object_object_add(chart, p, v);
		CU_ASSERT(hr_chart_from_release(&c, rel, NULL, &err) == HR_EFORMAT);
		CU_ASSERT(c == NULL);
		if (!strstr(err.msg, cases[i].why)) {
			fprintf(stderr, "case %zu: %s\n", i, err.msg);
			CU_FAIL("message does not name the field");
		}
		json_object_put(rel);
	}
	/* no chart at all */
	{
		struct json_object *rel = json_tokener_parse("{\"name\":\"x\",\"version\":1}");
		hr_error err = HR_ERROR_INIT;
		hr_chart *c = NULL;

		CU_ASSERT(hr_chart_from_release(&c, rel, "ns/x", &err) == HR_EFORMAT);
		CU_ASSERT_STRING_EQUAL(err.msg, "ns/x: the release holds no chart");
		json_object_put(rel);
	}
}

static void test_tgz_name(void)
{
	struct json_object *rel = web();
	hr_chart *c = NULL;
	hr_error err = HR_ERROR_INIT;
	hr_buf b = HR_BUF_INIT;

	json_object_object_add(jget(jget(rel, "chart"), "metadata"), "version", json_object_new_string("1/../../x"));
	CU_ASSERT_FATAL(hr_chart_from_release(&c, rel, NULL, &err) == 0);
	CU_ASSERT(hr_chart_tgz_name(&b, c, &err) == HR_EFORMAT);
	CU_ASSERT(b.len == 0);
	CU_ASSERT(strstr(err.msg, "chart.metadata.version") != NULL);
	hr_chart_free(c);
	json_object_put(rel);
	c = chart_of(CORPUS "/decoded/secret/crd/sh.helm.release.v1.gizmo.v1.json");
	CU_ASSERT_FATAL(c != NULL);
	CU_ASSERT(hr_chart_tgz_name(&b, c, &err) == 0);
	CU_ASSERT_STRING_EQUAL(b.ptr, "crdapp-1.2.0.tgz");
	CU_ASSERT(hr_chart_find(c, "crds/widgets.yaml") != NULL);
	hr_chart_free(c);
	hr_buf_free(&b);
}

HR_TEST_MAIN("chart",
	     { "every corpus revision: file set, bytes, Chart.yaml/values/lock", test_corpus_records },
	     { "directory and tgz written and read back; force", test_write_dir_and_tgz },
	     { "refusals leave everything as it was", test_write_refusals },
	     { "declared sub-charts are reported", test_subcharts_declared },
	     { "v1 chart: requirements.* in files", test_subcharts_v1_requirements },
	     { "sub-chart seen only in the manifest", test_subcharts_rendered_only },
	     { "alias names restored from the lock", test_alias_restored },
	     { "hostile paths rejected", test_hostile_paths },
	     { "hostile fields rejected", test_hostile_fields },
	     { "tgz name", test_tgz_name })
