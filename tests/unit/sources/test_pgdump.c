/*
 * test_pgdump.c — the pg_dump reader against the real dumps of Helm's SQL
 * driver in the corpus (COPY and --column-inserts forms), checked against
 * records.json, plus hand-made and damaged dumps for escapes, ordering and
 * hostile input.
 */
#include "testutil.h"
#include "codec/codec.h"
#include "sources/reader.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers ---- */

/* Read a whole pg_dump file with the given object size cap (0 = default). */
static void read_all(tu_drain *o, const char *path, size_t max_object)
{
	hr_source_opts opts = { 0 };
	hr_input *in = NULL;
	hr_reader r = { 0 };
	hr_error err = HR_ERROR_INIT;

	opts.max_object = max_object;
	tu_drain_init(o);
	CU_ASSERT_FATAL(hr_input_open(&in, path, 0, &err) == 0);
	tu_drain_reader(o, hr_reader_pgdump_open(&r, in, &opts, &o->stats, &o->err), &r);
	CU_ASSERT_FATAL(o->open_rc == 0);
	hr_input_close(in);     /* the reader borrows the input */
}

static hr_record *find(tu_drain *o, const char *ns, const char *name)
{
	hr_record *hit = NULL;

	for (size_t i = 0; i < o->nrec; i++)
		if (!strcmp(o->rec[i]->namespace, ns) && !strcmp(o->rec[i]->name, name)) {
			CU_ASSERT_PTR_NULL(hit);        /* each row exactly once */
			hit = o->rec[i];
		}
	return hit;
}

/* Labels of rec must be exactly: the four column labels, then the custom ones. */
static void check_labels(const hr_record *rec, json_object *want_labels, json_object *want_custom)
{
	size_t nsys = (size_t)json_object_object_length(want_labels);
	size_t ncus = want_custom ? (size_t)json_object_object_length(want_custom) : 0;
	size_t i = 0;

	CU_ASSERT_EQUAL(rec->nlabels, nsys + ncus);
	json_object_object_foreach(want_labels, k, v) {
		const char *got = hr_record_label(rec, k);

		CU_ASSERT_PTR_NOT_NULL(got);
		if (got)
			CU_ASSERT_STRING_EQUAL(got, json_object_get_string(v));
	}
	/* custom labels come after the column labels */
	for (i = 0; i < rec->nlabels; i++) {
		int is_sys = json_object_object_get_ex(want_labels, rec->labels[i].key, NULL);

		CU_ASSERT(is_sys ? i < nsys : i >= nsys);
		if (!is_sys && want_custom) {
			json_object *cv;

			CU_ASSERT(json_object_object_get_ex(want_custom, rec->labels[i].key, &cv));
			if (json_object_object_get_ex(want_custom, rec->labels[i].key, &cv))
				CU_ASSERT_STRING_EQUAL(rec->labels[i].value, json_object_get_string(cv));
		}
	}
}

/* Every sql row of records.json is found once with its labels, times and payload hash. */
static void check_against_corpus(tu_drain *o)
{
	json_object *all = json_object_from_file("testdata/corpus/records.json");
	size_t want = 0;

	CU_ASSERT_FATAL(all != NULL);
	for (size_t i = 0; i < json_object_array_length(all); i++) {
		json_object *e = json_object_array_get_idx(all, i), *v, *labels, *custom = NULL;
		const char *ns, *name;
		hr_record *rec;
		char hex[65];

		json_object_object_get_ex(e, "driver", &v);
		if (strcmp(json_object_get_string(v), "sql"))
			continue;
		want++;
		json_object_object_get_ex(e, "namespace", &v);
		ns = json_object_get_string(v);
		json_object_object_get_ex(e, "object", &v);
		name = json_object_get_string(v);
		rec = find(o, ns, name);
		CU_ASSERT_PTR_NOT_NULL(rec);
		if (!rec)
			continue;
		CU_ASSERT_EQUAL(rec->driver, HR_DRIVER_SQL);
		CU_ASSERT_EQUAL(rec->form, HR_PAYLOAD_HELM);
		CU_ASSERT_EQUAL(strlen(rec->payload), rec->payload_len);
		hr_sha256_hex(rec->payload, rec->payload_len, hex);
		json_object_object_get_ex(e, "payload_sha256", &v);
		CU_ASSERT_STRING_EQUAL(hex, json_object_get_string(v));
		json_object_object_get_ex(e, "createdAt", &v);
		CU_ASSERT_EQUAL(rec->sql_created_at, json_object_get_int64(v));
		json_object_object_get_ex(e, "modifiedAt", &v);
		CU_ASSERT_EQUAL(rec->sql_modified_at, json_object_get_int64(v));
		json_object_object_get_ex(e, "labels", &labels);
		json_object_object_get_ex(e, "custom_labels", &custom);
		check_labels(rec, labels, custom);
		CU_ASSERT(!strncmp(rec->location, "line ", 5));
		CU_ASSERT_PTR_NOT_NULL(rec->source_path);
	}
	CU_ASSERT(want >= 5);
	CU_ASSERT_EQUAL(o->nrec, want);
	CU_ASSERT_EQUAL(o->stats.objects, want);
	CU_ASSERT_EQUAL(o->stats.records, want);
	CU_ASSERT_EQUAL(o->stats.errors, 0);
	json_object_put(all);
}

/* Line number of the first line of `path` containing `needle` (1-based), 0 if none. */
static unsigned line_of(const char *path, const char *needle)
{
	hr_buf b = HR_BUF_INIT;
	unsigned line = 1;
	char *hit;

	if (tu_read_file(&b, path) < 0)
		return 0;
	hit = strstr(b.ptr, needle);
	for (char *c = b.ptr; hit && c < hit; c++)
		line += *c == '\n';
	hr_buf_free(&b);
	return hit ? line : 0;
}

/* ---- tests ---- */

static void test_copy_dump(void)
{
	const char *path = "testdata/corpus/sql/helm-sql-full.sql";
	tu_drain o;
	hr_record *rec;
	char want[32];

	read_all(&o, path, 0);
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_EQUAL(o.nskips, 0);
	check_against_corpus(&o);
	/* the location is the line of the row in the file */
	rec = find(&o, "sqlapp", "sh.helm.release.v1.reports.v1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
	snprintf(want, sizeof(want), "line %u", line_of(path, "sh.helm.release.v1.reports.v1\thelm.sh"));
	CU_ASSERT_STRING_EQUAL(rec->location, want);
	tu_drain_free(&o);
}

static void test_insert_dump(void)
{
	const char *path = "testdata/corpus/sql/helm-sql-data-inserts.sql";
	tu_drain o;
	hr_record *rec;
	char want[32];

	read_all(&o, path, 0);
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_EQUAL(o.nskips, 0);
	check_against_corpus(&o);
	rec = find(&o, "sqlapp", "sh.helm.release.v1.ledger.v3");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
	snprintf(want, sizeof(want), "line %u", line_of(path, "VALUES ('sh.helm.release.v1.ledger.v3', 'helm.sh"));
	CU_ASSERT_STRING_EQUAL(rec->location, want);
	tu_drain_free(&o);
}

/* Both dumps describe the same rows: same payloads, same labels. */
static void test_forms_agree(void)
{
	tu_drain a, b;

	read_all(&a, "testdata/corpus/sql/helm-sql-full.sql", 0);
	read_all(&b, "testdata/corpus/sql/helm-sql-data-inserts.sql", 0);
	CU_ASSERT_EQUAL(a.nrec, b.nrec);
	for (size_t i = 0; i < a.nrec; i++) {
		hr_record *x = a.rec[i], *y = find(&b, x->namespace, x->name);

		CU_ASSERT_PTR_NOT_NULL_FATAL(y);
		CU_ASSERT_EQUAL(x->payload_len, y->payload_len);
		CU_ASSERT(!memcmp(x->payload, y->payload, x->payload_len));
		CU_ASSERT_EQUAL(x->nlabels, y->nlabels);
		for (size_t k = 0; k < x->nlabels && k < y->nlabels; k++) {
			CU_ASSERT_STRING_EQUAL(x->labels[k].key, y->labels[k].key);
			CU_ASSERT_STRING_EQUAL(x->labels[k].value, y->labels[k].value);
		}
	}
	tu_drain_free(&a);
	tu_drain_free(&b);
}

static char *tmp_path(const char *name)
{
	static char p[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", tu_tmpdir(), name);
	return p[k];
}

/* Cut the COPY dump in the middle of the third release row. */
static void test_truncated_copy(void)
{
	hr_buf b = HR_BUF_INIT;
	const char *path = tmp_path("trunc.sql");
	char *start, *row;
	tu_drain o;
	int i;

	CU_ASSERT_FATAL(tu_read_file(&b, "testdata/corpus/sql/helm-sql-full.sql") == 0);
	start = strstr(b.ptr, "COPY public.releases_v1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(start);
	row = strchr(start, '\n') + 1;
	for (i = 0; i < 2; i++)
		row = strchr(row, '\n') + 1;
	CU_ASSERT_FATAL(tu_write_file(path, b.ptr, (size_t)(row - b.ptr) + 200) == 0);
	read_all(&o, path, 0);
	CU_ASSERT_EQUAL(o.nrec, 2);                /* the two whole rows */
	CU_ASSERT_EQUAL(o.nskips, 1);            /* the cut row */
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&o, 0), "cut short"));
	CU_ASSERT_EQUAL(o.rc, HR_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err.msg, "truncated"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err.msg, "public.releases_v1"));
	/* the rows before the damage carry their custom labels */
	for (size_t k = 0; k < o.nrec; k++)
		CU_ASSERT_STRING_EQUAL(hr_record_label(o.rec[k], "team"), "finance");
	tu_drain_free(&o);
	hr_buf_free(&b);
}

/* One release INSERT is damaged: it is skipped with its line, the others are read. */
static void test_malformed_insert(void)
{
	hr_buf b = HR_BUF_INIT;
	const char *path = tmp_path("bad-insert.sql");
	char *stmt, *vals, want[64];
	unsigned line;
	tu_drain o;

	CU_ASSERT_FATAL(tu_read_file(&b, "testdata/corpus/sql/helm-sql-data-inserts.sql") == 0);
	stmt = strstr(b.ptr, "VALUES ('sh.helm.release.v1.ledger.v2', 'helm.sh");
	CU_ASSERT_PTR_NOT_NULL_FATAL(stmt);
	vals = stmt + strlen("VALUES ");
	*vals = '[';
	CU_ASSERT_FATAL(tu_write_file(path, b.ptr, b.len) == 0);
	line = line_of(path, "VALUES ['sh.helm.release.v1.ledger.v2', 'helm.sh");
	read_all(&o, path, 0);
	CU_ASSERT_EQUAL(o.nrec, 4);
	CU_ASSERT_EQUAL(o.nskips, 1);
	CU_ASSERT_PTR_NULL(find(&o, "sqlapp", "sh.helm.release.v1.ledger.v2"));
	snprintf(want, sizeof(want), "line %u: malformed INSERT", line);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&o, 0), want));
	CU_ASSERT_EQUAL(o.stats.objects, 4);               /* the statement that cannot be parsed has no row */
	CU_ASSERT_EQUAL(o.stats.errors, 1);
	tu_drain_free(&o);

	/*
	 * An unbalanced quote makes the rest of the file one string, as it
	 * would for psql: the rows before are kept and the end is an error
	 * naming the statement where the string began.
	 */
	*vals = '(';
	vals[1] = 'X';
	CU_ASSERT_FATAL(tu_write_file(path, b.ptr, b.len) == 0);
	read_all(&o, path, 0);
	CU_ASSERT_EQUAL(o.nrec, 2);
	CU_ASSERT_EQUAL(o.rc, HR_EFORMAT);
	snprintf(want, sizeof(want), "begun at line %u", line);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err.msg, want));
	tu_drain_free(&o);
	vals[1] = '\'';

	/* An INSERT cut by the end of the file. */
	stmt = strstr(b.ptr, "VALUES ('sh.helm.release.v1.reports.v1', 'helm.sh");
	CU_ASSERT_FATAL(tu_write_file(path, b.ptr, (size_t)(stmt - b.ptr) + 100) == 0);
	read_all(&o, path, 0);
	CU_ASSERT_EQUAL(o.nrec, 4);
	CU_ASSERT_EQUAL(o.rc, HR_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err.msg, "inside the INSERT statement"));
	tu_drain_free(&o);
	hr_buf_free(&b);
}

/*
 * Hand-made dump: releases before their labels, COPY escapes and NULLs,
 * --inserts without a column list, multi-row and multi-line INSERTs, E''
 * strings, a reordered column list.
 */
static void test_synthetic(void)
{
	static const char dump[] =
		"\\restrict abc\n"
		"COPY public.releases_v1 (namespace, key, body, type, name, version, status, owner, createdat, modifiedat) FROM stdin;\n"
		"ns1\tsh.helm.release.v1.a.v1\tAA\\\\B\\tC\\nD\\101\\x41\thelm.sh/release.v1\ta\t1\tdeployed\thelm\t10\t\\N\n"
		"\\.\n"
		"COPY public.custom_labels_v1 (releasekey, releasenamespace, key, value) FROM stdin;\n"
		"sh.helm.release.v1.a.v1\tns1\tteam\tx\\ty\n"
		"sh.helm.release.v1.a.v1\tns2\tteam\tother-namespace\n"
		"sh.helm.release.v1.b.v1\tns1\tteam\tb-team\n"
		"\\.\n"
		"INSERT INTO releases_v1 VALUES ('sh.helm.release.v1.b.v1', 'helm.sh/release.v1', 'it''s', 'b', 'ns1', 1, 'deployed', 'helm', 20, 21), "
		"('sh.helm.release.v1.b.v2', 'helm.sh/release.v1', E'q\\'\\\\\\n', 'b', 'ns1', 2, 'failed', 'helm', 22, 0);\n"
		"INSERT INTO \"public\".\"releases_v1\" (key, body, namespace) VALUES ('sh.helm.release.v1.c.v1', 'line1\n"
		"line2; still', 'ns1');\n"
		"INSERT INTO public.gorp_migrations (id) VALUES ('init');\n"
		"\\unrestrict abc\n";
	const char *path = tmp_path("synthetic.sql");
	tu_drain o;
	hr_record *r;

	CU_ASSERT_FATAL(tu_write_file(path, dump, sizeof(dump) - 1) == 0);
	read_all(&o, path, 0);
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_EQUAL(o.nskips, 0);
	CU_ASSERT_EQUAL(o.nrec, 4);

	r = find(&o, "ns1", "sh.helm.release.v1.a.v1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->payload_len, 10);
	CU_ASSERT(!memcmp(r->payload, "AA\\B\tC\nDAA", 10));
	CU_ASSERT_EQUAL(r->sql_created_at, 10);
	CU_ASSERT_EQUAL(r->sql_modified_at, 0);
	CU_ASSERT_STRING_EQUAL(r->location, "line 3");
	CU_ASSERT_STRING_EQUAL(hr_record_label(r, "team"), "x\ty");   /* labels after the row */
	CU_ASSERT_EQUAL(r->nlabels, 5);

	r = find(&o, "ns1", "sh.helm.release.v1.b.v1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(r->payload, "it's");
	CU_ASSERT_STRING_EQUAL(hr_record_label(r, "team"), "b-team");
	CU_ASSERT_STRING_EQUAL(hr_record_label(r, "status"), "deployed");
	CU_ASSERT_EQUAL(r->sql_modified_at, 21);

	r = find(&o, "ns1", "sh.helm.release.v1.b.v2");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(r->payload, "q'\\\n");
	CU_ASSERT_STRING_EQUAL(hr_record_label(r, "version"), "2");
	CU_ASSERT_PTR_NULL(hr_record_label(r, "team"));
	CU_ASSERT_STRING_EQUAL(r->location, "line 10");

	r = find(&o, "ns1", "sh.helm.release.v1.c.v1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(r->payload, "line1\nline2; still");
	CU_ASSERT_EQUAL(r->nlabels, 0);
	tu_drain_free(&o);
}

/*
 * Release rows before their custom labels, in a file: the reader reads the
 * labels ahead (a second pass) instead of holding every release in memory,
 * so the first record comes out before the rest of the rows are read.
 */
static void test_labels_after_releases(void)
{
	static const char dump[] =
		"INSERT INTO public.releases_v1 (key, body, namespace, status) VALUES ('sh.helm.release.v1.r.v1', 'P1', 'n', 'superseded');\n"
		"INSERT INTO public.releases_v1 (key, body, namespace, status) VALUES ('sh.helm.release.v1.r.v2', 'P2', 'n', 'deployed');\n"
		"INSERT INTO public.custom_labels_v1 (releasekey, releasenamespace, key, value) VALUES ('sh.helm.release.v1.r.v2', 'n', 'k', 'v2');\n"
		"INSERT INTO public.custom_labels_v1 (releasekey, releasenamespace, key, value) VALUES ('sh.helm.release.v1.r.v1', 'n', 'k', 'v1');\n";
	const char *path = tmp_path("late-labels.sql");
	hr_source_stats st = { 0 };
	hr_error err = HR_ERROR_INIT;
	hr_input *in = NULL;
	hr_reader r = { 0 };
	hr_record *rec = NULL;

	CU_ASSERT_FATAL(tu_write_file(path, dump, sizeof(dump) - 1) == 0);
	CU_ASSERT_FATAL(hr_input_open(&in, path, 0, &err) == 0);
	CU_ASSERT_FATAL(hr_reader_pgdump_open(&r, in, NULL, &st, &err) == 0);
	CU_ASSERT_EQUAL(r.next(r.state, &rec, &err), 1);
	CU_ASSERT_EQUAL(st.objects, 1);                 /* the second row is not read yet */
	CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
	CU_ASSERT_STRING_EQUAL(rec->name, "sh.helm.release.v1.r.v1");
	CU_ASSERT_STRING_EQUAL(hr_record_label(rec, "k"), "v1");
	CU_ASSERT_EQUAL(rec->nlabels, 2);               /* status, k: no duplicate from the second pass */
	hr_record_free(rec);
	CU_ASSERT_EQUAL(r.next(r.state, &rec, &err), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
	CU_ASSERT_STRING_EQUAL(hr_record_label(rec, "k"), "v2");
	CU_ASSERT_EQUAL(rec->nlabels, 2);
	hr_record_free(rec);
	CU_ASSERT_EQUAL(r.next(r.state, &rec, &err), 0);
	r.close(r.state);
	hr_input_close(in);
}

/* A row longer than max_object is one clear skip; the rest is read. */
static void test_line_cap(void)
{
	tu_drain o;

	read_all(&o, "testdata/corpus/sql/helm-sql-full.sql", 4096);
	CU_ASSERT_EQUAL(o.nrec, 0);                        /* every release row is bigger */
	CU_ASSERT_EQUAL(o.nskips, 5);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&o, 0), "longer than 4096 bytes"));
	CU_ASSERT_EQUAL(o.rc, 0);
	tu_drain_free(&o);
}

/* Garbage and empty input give no records and no crash. */
static void test_garbage(void)
{
	static const char junk[] = "COPY public.releases_v1 (key, body) FROM stdin;\n\\N\t\\N\nonly-one-field\n";
	const char *path = tmp_path("junk.sql");
	tu_drain o;

	CU_ASSERT_FATAL(tu_write_file(path, junk, sizeof(junk) - 1) == 0);
	read_all(&o, path, 0);
	CU_ASSERT_EQUAL(o.nrec, 0);
	CU_ASSERT_EQUAL(o.nskips, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&o, 0), "without key"));
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&o, 1), "has 1 values"));
	CU_ASSERT_EQUAL(o.rc, HR_EFORMAT);
	tu_drain_free(&o);

	CU_ASSERT_FATAL(tu_write_file(path, "", 0) == 0);
	read_all(&o, path, 0);
	CU_ASSERT_EQUAL(o.nrec + o.nskips, 0);
	CU_ASSERT_EQUAL(o.rc, 0);
	tu_drain_free(&o);
}

/*
 * Damaged copies of the real dumps (bytes overwritten, cut at random
 * places): the reader must end every time, without crashing, and every
 * record it returns must be complete (the sanitizer build checks memory).
 */
static void test_mutations(void)
{
	static const char *const src[] = {
		"testdata/corpus/sql/helm-sql-full.sql", "testdata/corpus/sql/helm-sql-data-inserts.sql"
	};
	static const char junk[] = "\\'\"\t\n;(),\\.NE";
	const char *path = tmp_path("mut.sql");
	uint32_t seed = 12345;

	for (int f = 0; f < 2; f++) {
		hr_buf orig = HR_BUF_INIT;

		CU_ASSERT_FATAL(tu_read_file(&orig, src[f]) == 0);
		for (int round = 0; round < 150; round++) {
			hr_buf b = HR_BUF_INIT;
			size_t len = orig.len;
			tu_drain o;

			CU_ASSERT_FATAL(hr_buf_put(&b, orig.ptr, orig.len) == 0);
			for (int k = 0; k < 1 + round % 8; k++) {
				seed = seed * 1103515245u + 12345u;
				b.ptr[(seed >> 8) % b.len] = (seed & 1) ? junk[(seed >> 3) % (sizeof(junk) - 1)]
									: (char)(seed >> 16);
			}
			if (round % 3 == 0) {
				seed = seed * 1103515245u + 12345u;
				len = (seed >> 4) % orig.len;
			}
			CU_ASSERT_FATAL(tu_write_file(path, b.ptr, len) == 0);
			read_all(&o, path, 0);
			CU_ASSERT(o.rc == 0 || o.rc == HR_EFORMAT);
			for (size_t i = 0; i < o.nrec; i++) {
				CU_ASSERT_PTR_NOT_NULL(o.rec[i]->name);
				CU_ASSERT_PTR_NOT_NULL(o.rec[i]->payload);
				CU_ASSERT(o.rec[i]->payload_len <= len);
			}
			tu_drain_free(&o);
			hr_buf_free(&b);
		}
		hr_buf_free(&orig);
	}
}

/*
 * From stdin the dump cannot be read twice: release rows are held until
 * their custom labels have been read, and still get them.
 */
static void test_labels_after_releases_stdin(void)
{
	static const char dump[] =
		"COPY public.releases_v1 (key, body, namespace) FROM stdin;\n"
		"sh.helm.release.v1.r.v1\tP1\tn\n"
		"sh.helm.release.v1.r.v2\tP2\tn\n"
		"\\.\n"
		"COPY public.custom_labels_v1 (releasekey, releasenamespace, key, value) FROM stdin;\n"
		"sh.helm.release.v1.r.v2\tn\tk\tv2\n"
		"sh.helm.release.v1.r.v1\tn\tk\tv1\n"
		"\\.\n";
	const char *path = tmp_path("late-labels-stdin.sql");
	hr_source_stats st = { 0 };
	hr_error err = HR_ERROR_INIT;
	hr_input *in = NULL;
	hr_reader r = { 0 };
	hr_record *rec = NULL;
	int saved, fd;

	CU_ASSERT_FATAL(tu_write_file(path, dump, sizeof(dump) - 1) == 0);
	saved = dup(0);
	fd = open(path, O_RDONLY);
	CU_ASSERT_FATAL(saved >= 0 && fd >= 0 && dup2(fd, 0) == 0);
	close(fd);
	CU_ASSERT_FATAL(hr_input_open(&in, "-", 0, &err) == 0);
	CU_ASSERT_FATAL(hr_reader_pgdump_open(&r, in, NULL, &st, &err) == 0);
	CU_ASSERT_EQUAL(r.next(r.state, &rec, &err), 1);
	CU_ASSERT_EQUAL(st.objects, 2);                 /* both rows were read first */
	CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
	CU_ASSERT_STRING_EQUAL(rec->name, "sh.helm.release.v1.r.v1");
	CU_ASSERT_STRING_EQUAL(hr_record_label(rec, "k"), "v1");
	hr_record_free(rec);
	CU_ASSERT_EQUAL(r.next(r.state, &rec, &err), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
	CU_ASSERT_STRING_EQUAL(hr_record_label(rec, "k"), "v2");
	hr_record_free(rec);
	CU_ASSERT_EQUAL(r.next(r.state, &rec, &err), 0);
	r.close(r.state);
	hr_input_close(in);
	dup2(saved, 0);
	close(saved);
}

/* Through hr_source: the dump is recognised by its content, also gzip'd. */
static void test_via_source(void)
{
	const char *gz = tmp_path("dump.sql.gz");
	hr_buf cmd = HR_BUF_INIT;
	tu_drain direct;

	read_all(&direct, "testdata/corpus/sql/helm-sql-full.sql", 0);
	CU_ASSERT_FATAL(hr_buf_printf(&cmd, "gzip -c testdata/corpus/sql/helm-sql-full.sql > '%s'", gz) == 0);
	CU_ASSERT_FATAL(tu_run(NULL, cmd.ptr) == 0);
	for (int k = 0; k < 2; k++) {
		const char *path = k ? gz : "testdata/corpus/sql/helm-sql-full.sql";
		hr_source_stats st;
		hr_error err = HR_ERROR_INIT;
		hr_source *src = NULL;
		hr_record *rec;
		size_t n = 0;
		int rc;

		CU_ASSERT_FATAL(hr_source_open(&src, path, NULL, &err) == 0);
		CU_ASSERT_EQUAL(hr_source_kind_of(src), HR_SRC_PGDUMP);
		while ((rc = hr_source_next(src, &rec, &err)) == 1) {
			hr_record *d = find(&direct, rec->namespace, rec->name);

			CU_ASSERT_PTR_NOT_NULL(d);
			if (d) {
				CU_ASSERT_EQUAL(rec->payload_len, d->payload_len);
				CU_ASSERT(!memcmp(rec->payload, d->payload, d->payload_len));
				CU_ASSERT_EQUAL(rec->nlabels, d->nlabels);
				CU_ASSERT_STRING_EQUAL(rec->location, d->location);
			}
			CU_ASSERT_STRING_EQUAL(rec->source_path, path);
			n++;
			hr_record_free(rec);
		}
		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT_EQUAL(n, direct.nrec);
		hr_source_stats_get(src, &st);
		CU_ASSERT_EQUAL(st.records, direct.nrec);
		CU_ASSERT_EQUAL(st.objects, direct.nrec);
		hr_source_close(src);
	}
	tu_drain_free(&direct);
	hr_buf_free(&cmd);
}

HR_TEST_MAIN("pgdump",
	     { "COPY dump matches records.json", test_copy_dump },
	     { "column-inserts dump matches records.json", test_insert_dump },
	     { "COPY and INSERT forms agree", test_forms_agree },
	     { "truncated COPY block", test_truncated_copy },
	     { "malformed and truncated INSERT", test_malformed_insert },
	     { "escapes, ordering, insert forms", test_synthetic },
	     { "labels after the releases", test_labels_after_releases },
	     { "line cap", test_line_cap },
	     { "garbage", test_garbage },
	     { "damaged copies", test_mutations },
	     { "labels after the releases, from stdin", test_labels_after_releases_stdin },
	     { "through hr_source, plain and gzip", test_via_source })
