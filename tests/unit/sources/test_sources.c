/*
 * test_sources.c — the streaming readers on the real corpus dumps.
 *
 * Every Helm 3/4 Secret/ConfigMap record listed in testdata/corpus/records.tsv
 * must come out of each dump shape (YAML List, JSON List, per-namespace
 * multi-document YAML, gzip'd variants, stdin, a directory), exactly once,
 * with the payload helm stored (checked by the sha256 in records.tsv), and
 * the other objects must be counted, not returned.
 */
#include "testutil.h"
#include "sources/source.h"
#include "sources/reader.h"
#include "sources/kube_object.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define DUMPS "testdata/corpus/dumps"

typedef struct expect {
	char driver[32], ns[64], object[128], sha[65];
	int seen;
} expect;

static expect exp_recs[64];
static size_t nexp;

static void load_expected(void)
{
	FILE *f = fopen("testdata/corpus/records.tsv", "r");
	char line[4096];

	nexp = 0;
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_FATAL(fgets(line, sizeof(line), f) != NULL);  /* header */
	while (fgets(line, sizeof(line), f)) {
		char *fields[16];
		size_t nf = 0;

		for (char *p = strtok(line, "\t\n"); p && nf < 16; p = strtok(NULL, "\t\n"))
			fields[nf++] = p;
		if (nf < 9 || !strcmp(fields[0], "sql"))
			continue;
		CU_ASSERT_FATAL(nexp < sizeof(exp_recs) / sizeof(exp_recs[0]));
		expect *e = &exp_recs[nexp++];
		snprintf(e->driver, sizeof(e->driver), "%s", fields[0]);
		snprintf(e->ns, sizeof(e->ns), "%s", fields[1]);
		snprintf(e->object, sizeof(e->object), "%s", fields[2]);
		snprintf(e->sha, sizeof(e->sha), "%s", fields[7]);
		e->seen = 0;
	}
	fclose(f);
	CU_ASSERT_FATAL(nexp >= 20);
}

typedef struct run {
	int records, skips, fatal;
	int helm2_records;        /* of `records`: Tiller records (not in records.tsv) */
	char last_err[HR_ERROR_MSG_MAX];
	hr_source_stats st;
	hr_source_kind kind;
} run;

/* Read a whole source; check each record against the expected list. */
static void read_all(run *out, const char *path, const hr_source_opts *opts)
{
	hr_error err = HR_ERROR_INIT;
	hr_source *src = NULL;
	hr_record *r;
	int rc;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < nexp; i++)
		exp_recs[i].seen = 0;
	rc = hr_source_open(&src, path, opts, &err);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	while ((rc = hr_source_next(src, &r, &err)) != 0) {
		if (rc == HR_ESKIP) {
			out->skips++;
			snprintf(out->last_err, sizeof(out->last_err), "%s", err.msg);
			continue;
		}
		if (rc < 0) {
			out->fatal = rc;
			snprintf(out->last_err, sizeof(out->last_err), "%s", err.msg);
			break;
		}
		out->records++;
		if (r->driver == HR_DRIVER_HELM2_CONFIGMAP || r->driver == HR_DRIVER_HELM2_SECRET) {
			out->helm2_records++;
			CU_ASSERT_STRING_EQUAL(hr_record_label(r, "OWNER"), "TILLER");
			hr_record_free(r);
			continue;
		}
		int found = 0;
		for (size_t i = 0; i < nexp; i++) {
			expect *e = &exp_recs[i];
			if (strcmp(e->ns, r->namespace) || strcmp(e->object, r->name))
				continue;
			found = 1;
			e->seen++;
			CU_ASSERT_STRING_EQUAL(hr_driver_name(r->driver), e->driver);
			CU_ASSERT_EQUAL(r->form, r->driver == HR_DRIVER_SECRET ? HR_PAYLOAD_K8S_B64 : HR_PAYLOAD_HELM);
			char sha[65];
			tu_helm_sha256(r, sha);
			CU_ASSERT_STRING_EQUAL(sha, e->sha);
			CU_ASSERT_STRING_EQUAL(hr_record_label(r, "owner"), "helm");
			CU_ASSERT_PTR_NOT_NULL(r->created);
			CU_ASSERT_PTR_NOT_NULL(r->location);
			CU_ASSERT_PTR_NOT_NULL(r->source_path);
		}
		CU_ASSERT(found);
		hr_record_free(r);
	}
	hr_source_stats_get(src, &out->st);
	out->kind = hr_source_kind_of(src);
	hr_source_close(src);
}

static void assert_all_seen_once(void)
{
	for (size_t i = 0; i < nexp; i++) {
		if (exp_recs[i].seen != 1)
			fprintf(stderr, "record %s/%s seen %d times\n", exp_recs[i].ns, exp_recs[i].object,
				exp_recs[i].seen);
		CU_ASSERT_EQUAL(exp_recs[i].seen, 1);
	}
}

/* Count lines of a file starting with `prefix` (an independent count of List items). */
static int count_lines(const char *path, const char *prefix)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int n = 0;

	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0)
		if (!strncmp(line, prefix, strlen(prefix)))
			n++;
	free(line);
	fclose(f);
	return n;
}

static void test_yaml_list(void)
{
	run r;
	int items = count_lines(DUMPS "/all-secrets-configmaps.yaml", "- apiVersion:");

	load_expected();
	read_all(&r, DUMPS "/all-secrets-configmaps.yaml", NULL);
	CU_ASSERT_EQUAL(r.kind, HR_SRC_YAML);
	CU_ASSERT_EQUAL(r.fatal, 0);
	CU_ASSERT_EQUAL(r.skips, 0);
	CU_ASSERT_EQUAL(r.records, (int)nexp);
	assert_all_seen_once();
	CU_ASSERT(items > (int)nexp);
	CU_ASSERT_EQUAL(r.st.objects, (uint64_t)items);
	CU_ASSERT_EQUAL(r.st.records, nexp);
	CU_ASSERT_EQUAL(r.st.skipped_other, (uint64_t)items - nexp);
	CU_ASSERT_EQUAL(r.st.helm2, 0);
	CU_ASSERT_EQUAL(r.st.bytes_read, r.st.bytes_total);
}

static void test_json_list(void)
{
	struct json_object *all = json_object_from_file(DUMPS "/all-secrets-configmaps.json");
	struct json_object *items = NULL;
	run r;

	CU_ASSERT_FATAL(all != NULL);
	CU_ASSERT_FATAL(json_object_object_get_ex(all, "items", &items));
	load_expected();
	read_all(&r, DUMPS "/all-secrets-configmaps.json", NULL);
	CU_ASSERT_EQUAL(r.kind, HR_SRC_JSON);
	CU_ASSERT_EQUAL(r.fatal, 0);
	CU_ASSERT_EQUAL(r.skips, 0);
	CU_ASSERT_EQUAL(r.records, (int)nexp);
	assert_all_seen_once();
	CU_ASSERT_EQUAL(r.st.objects, json_object_array_length(items));
	CU_ASSERT_EQUAL(r.st.skipped_other, json_object_array_length(items) - nexp);
	json_object_put(all);
}

/* The per-namespace dumps as a directory: each record comes from its namespace's file. */
static void test_directory(void)
{
	hr_error err = HR_ERROR_INIT;
	hr_source *src;
	hr_record *r;
	run rr;
	int rc, n = 0;

	load_expected();
	read_all(&rr, DUMPS "/per-namespace", NULL);
	CU_ASSERT_EQUAL(rr.kind, HR_SRC_DIRECTORY);
	CU_ASSERT_EQUAL(rr.skips, 0);
	CU_ASSERT_EQUAL(rr.records, (int)nexp);
	assert_all_seen_once();
	CU_ASSERT_EQUAL(rr.st.objects, (uint64_t)count_lines(DUMPS "/all-secrets-configmaps.yaml", "- apiVersion:"));

	CU_ASSERT_FATAL(hr_source_open(&src, DUMPS "/per-namespace", NULL, &err) == 0);
	while ((rc = hr_source_next(src, &r, &err)) == 1) {
		char want[512];

		snprintf(want, sizeof(want), DUMPS "/per-namespace/%s.yaml", r->namespace);
		CU_ASSERT_STRING_EQUAL(r->source_path, want);
		CU_ASSERT_EQUAL(strncmp(r->location, "line ", 5), 0);
		n++;
		hr_record_free(r);
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(n, (int)nexp);
	hr_source_close(src);
}

static void test_single_record(void)
{
	hr_error err = HR_ERROR_INIT;
	hr_source *src;
	hr_record *r = NULL;
	hr_buf file = HR_BUF_INIT;

	CU_ASSERT_FATAL(hr_source_open(&src, DUMPS "/single-record.yaml", NULL, &err) == 0);
	CU_ASSERT_EQUAL_FATAL(hr_source_next(src, &r, &err), 1);
	CU_ASSERT_STRING_EQUAL(r->name, "sh.helm.release.v1.web.v6");
	CU_ASSERT_STRING_EQUAL(r->namespace, "shop");
	CU_ASSERT_EQUAL(r->driver, HR_DRIVER_SECRET);
	CU_ASSERT_STRING_EQUAL(r->location, "line 1");
	CU_ASSERT_STRING_EQUAL(hr_record_label(r, "name"), "web");
	CU_ASSERT_STRING_EQUAL(hr_record_label(r, "version"), "6");
	/* the payload is the text after "release: " in the file, byte for byte */
	CU_ASSERT_FATAL(tu_read_file(&file, DUMPS "/single-record.yaml") == 0);
	const char *p = strstr(file.ptr, "release: ");
	CU_ASSERT_FATAL(p != NULL);
	p += strlen("release: ");
	CU_ASSERT_EQUAL(strcspn(p, "\n"), r->payload_len);
	CU_ASSERT_EQUAL(memcmp(p, r->payload, r->payload_len), 0);
	/* creationTimestamp as written */
	char want[128];
	const char *c = strstr(file.ptr, "creationTimestamp: \"");
	CU_ASSERT_FATAL(c != NULL);
	c += strlen("creationTimestamp: \"");
	snprintf(want, sizeof(want), "%.*s", (int)strcspn(c, "\""), c);
	CU_ASSERT_STRING_EQUAL(r->created, want);
	hr_record_free(r);
	CU_ASSERT_EQUAL(hr_source_next(src, &r, &err), 0);
	hr_source_close(src);
	hr_buf_free(&file);
}

/* gzip `in` to `out` as `members` concatenated gzip members. */
static int gzip_file(const char *in, const char *out, int members)
{
	hr_buf data = HR_BUF_INIT;
	FILE *o;
	int rc = -1;

	if (tu_read_file(&data, in))
		return -1;
	o = fopen(out, "wb");
	if (!o)
		goto done;
	size_t part = data.len / (size_t)members + 1, off = 0;
	for (int m = 0; m < members; m++) {
		size_t n = off + part > data.len ? data.len - off : part;
		z_stream zs = { 0 };
		unsigned char *buf = malloc(n + 1024);
		deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
		zs.next_in = (unsigned char *)data.ptr + off;
		zs.avail_in = (uInt)n;
		zs.next_out = buf;
		zs.avail_out = (uInt)(n + 1024);
		if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
			free(buf);
			deflateEnd(&zs);
			fclose(o);
			goto done;
		}
		fwrite(buf, 1, zs.total_out, o);
		deflateEnd(&zs);
		free(buf);
		off += n;
	}
	rc = fclose(o) ? -1 : 0;
done:
	hr_buf_free(&data);
	return rc;
}

static void test_gzip(void)
{
	const char *dir = tu_tmpdir();
	char path[4096];
	run r;

	CU_ASSERT_FATAL(dir != NULL);
	load_expected();
	snprintf(path, sizeof(path), "%s/dump.yaml.gz", dir);
	CU_ASSERT_FATAL(gzip_file(DUMPS "/all-secrets-configmaps.yaml", path, 1) == 0);
	read_all(&r, path, NULL);
	CU_ASSERT_EQUAL(r.kind, HR_SRC_YAML);
	CU_ASSERT_EQUAL(r.records, (int)nexp);
	CU_ASSERT_EQUAL(r.skips + r.fatal, 0);
	assert_all_seen_once();

	/* three gzip members cut at arbitrary byte positions: one stream */
	snprintf(path, sizeof(path), "%s/dump.json.gz", dir);
	CU_ASSERT_FATAL(gzip_file(DUMPS "/all-secrets-configmaps.json", path, 3) == 0);
	read_all(&r, path, NULL);
	CU_ASSERT_EQUAL(r.kind, HR_SRC_JSON);
	CU_ASSERT_EQUAL(r.records, (int)nexp);
	CU_ASSERT_EQUAL(r.skips + r.fatal, 0);
	assert_all_seen_once();
	unlink(path);
	snprintf(path, sizeof(path), "%s/dump.yaml.gz", dir);
	unlink(path);
	rmdir(dir);
}

/* Read "-" with fd 0 redirected to `file`. */
static void read_stdin(run *r, const char *file)
{
	int saved = dup(0);
	int fd = open(file, O_RDONLY);

	CU_ASSERT_FATAL(saved >= 0 && fd >= 0);
	dup2(fd, 0);
	close(fd);
	read_all(r, "-", NULL);
	dup2(saved, 0);
	close(saved);
}

static void test_stdin(void)
{
	const char *dir = tu_tmpdir();
	char path[4096];
	run r;

	load_expected();
	read_stdin(&r, DUMPS "/all-secrets-configmaps.json");
	CU_ASSERT_EQUAL(r.kind, HR_SRC_JSON);
	CU_ASSERT_EQUAL(r.records, (int)nexp);
	assert_all_seen_once();
	CU_ASSERT_EQUAL(r.st.bytes_total, 0);

	snprintf(path, sizeof(path), "%s/d.yaml.gz", dir);
	CU_ASSERT_FATAL(gzip_file(DUMPS "/all-secrets-configmaps.yaml", path, 2) == 0);
	read_stdin(&r, path);
	CU_ASSERT_EQUAL(r.kind, HR_SRC_YAML);
	CU_ASSERT_EQUAL(r.records, (int)nexp);
	assert_all_seen_once();
	unlink(path);
	rmdir(dir);
}

static hr_source_kind detect_file(const char *path)
{
	hr_error err = HR_ERROR_INIT;
	hr_input *in;
	unsigned char head[4096];
	long n;
	hr_source_kind k;

	if (hr_input_open(&in, path, 0, &err))
		return (hr_source_kind)-1;
	n = hr_input_peek(in, head, sizeof(head), &err);
	k = n < 0 ? (hr_source_kind)-1 : hr_detect(head, (size_t)n);
	hr_input_close(in);
	return k;
}

static void test_detect(void)
{
	CU_ASSERT_EQUAL(detect_file(DUMPS "/all-secrets-configmaps.yaml"), HR_SRC_YAML);
	CU_ASSERT_EQUAL(detect_file(DUMPS "/all-secrets-configmaps.json"), HR_SRC_JSON);
	CU_ASSERT_EQUAL(detect_file("testdata/corpus/velero/backup-public.tar.gz"), HR_SRC_ARCHIVE);
	CU_ASSERT_EQUAL(detect_file("testdata/corpus/datastores/plain/etcd-snapshot.db"), HR_SRC_ETCD);
	CU_ASSERT_EQUAL(detect_file("testdata/corpus/datastores/plain/etcd-member-db.raw"), HR_SRC_ETCD);
	CU_ASSERT_EQUAL(detect_file("testdata/corpus/datastores/plain/state.db"), HR_SRC_KINE);
	CU_ASSERT_EQUAL(detect_file("testdata/corpus/sql/helm-sql-full.sql"), HR_SRC_PGDUMP);
	CU_ASSERT_EQUAL(detect_file("testdata/corpus/sql/helm-sql-data-inserts.sql"), HR_SRC_PGDUMP);
	CU_ASSERT_EQUAL(hr_detect((const unsigned char *)"PK\3\4\0\0", 6), HR_SRC_ARCHIVE);
	CU_ASSERT_EQUAL(hr_detect((const unsigned char *)"\n  H4sIAAAAAAAC/+xyz==\n", 23), HR_SRC_BARE);
	CU_ASSERT_EQUAL(hr_detect((const unsigned char *)"SDRzSUFBQUFBQUFDLytS\n", 21), HR_SRC_BARE);
	CU_ASSERT_EQUAL(hr_detect((const unsigned char *)"eyJuYW1lIjoid2ViIn0=", 20), HR_SRC_BARE);
	CU_ASSERT_EQUAL(hr_detect((const unsigned char *)"H4sI: not a payload\n", 20), HR_SRC_YAML);
	CU_ASSERT_EQUAL(hr_detect((const unsigned char *)"\x7f" "ELF\2\1\1\0", 8), HR_SRC_UNKNOWN);
	CU_ASSERT_EQUAL(hr_detect((const unsigned char *)"", 0), HR_SRC_UNKNOWN);
	/* Helm's release JSON is a bare payload; a kubectl object is JSON */
	CU_ASSERT_EQUAL(hr_detect((const unsigned char *)"{\"name\":\"web\",\"info\":{\"status\":\"x\"}}", 36),
			HR_SRC_BARE);
	CU_ASSERT_EQUAL(hr_detect((const unsigned char *)"{\"name\":\"web\",\"chart\":\"x\"}", 26), HR_SRC_JSON);
}

/* A bare payload file: one record carrying the payload without surrounding whitespace. */
static void test_bare(void)
{
	const char *dir = tu_tmpdir();
	hr_buf file = HR_BUF_INIT, content = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	hr_source *src;
	hr_record *r;
	char path[4096];

	/* take the ConfigMap payload (the Helm string) of cm/cfg v1 from the YAML dump */
	CU_ASSERT_FATAL(tu_read_file(&file, DUMPS "/per-namespace/cm.yaml") == 0);
	const char *p = strstr(file.ptr, "release: H4sI");
	CU_ASSERT_FATAL(p != NULL);
	p += strlen("release: ");
	hr_buf_put(&content, p, strcspn(p, "\n"));
	hr_buf_puts(&content, "\n");
	snprintf(path, sizeof(path), "%s/payload.b64", dir);
	CU_ASSERT_FATAL(tu_write_file(path, content.ptr, content.len) == 0);
	CU_ASSERT_FATAL(hr_source_open(&src, path, NULL, &err) == 0);
	CU_ASSERT_EQUAL(hr_source_kind_of(src), HR_SRC_BARE);
	CU_ASSERT_EQUAL_FATAL(hr_source_next(src, &r, &err), 1);
	CU_ASSERT_EQUAL(r->driver, HR_DRIVER_BARE);
	CU_ASSERT_EQUAL(r->form, HR_PAYLOAD_SNIFF);
	CU_ASSERT_STRING_EQUAL(r->name, "");
	CU_ASSERT_STRING_EQUAL(r->namespace, "");
	CU_ASSERT_EQUAL(r->payload_len, content.len - 1);
	CU_ASSERT_EQUAL(memcmp(r->payload, content.ptr, content.len - 1), 0);
	hr_record_free(r);
	CU_ASSERT_EQUAL(hr_source_next(src, &r, &err), 0);
	hr_source_close(src);
	unlink(path);
	rmdir(dir);
	hr_buf_free(&file);
	hr_buf_free(&content);
}

/* Helm 2 dumps: every Tiller object is counted and returned as a Helm 2 record. */
static void test_helm2(void)
{
	struct json_object *all = json_object_from_file("testdata/corpus/helm2/dumps/helm2-dump.json");
	struct json_object *items = NULL;
	hr_error err = HR_ERROR_INIT;
	int tiller = count_lines("testdata/corpus/helm2/dumps/helm2-dump.yaml", "      OWNER: TILLER");
	int n = 0;
	run r;

	load_expected();
	read_all(&r, "testdata/corpus/helm2/dumps/helm2-dump.yaml", NULL);
	CU_ASSERT(tiller > 0);
	CU_ASSERT_EQUAL(r.records, tiller);
	CU_ASSERT_EQUAL(r.helm2_records, tiller);
	CU_ASSERT_EQUAL(r.st.helm2, (uint64_t)tiller);
	read_all(&r, "testdata/corpus/helm2/dumps/helm2-dump.json", NULL);
	CU_ASSERT_EQUAL(r.records, tiller);
	CU_ASSERT_EQUAL(r.helm2_records, tiller);
	CU_ASSERT_EQUAL(r.st.helm2, (uint64_t)tiller);

	CU_ASSERT_FATAL(all && json_object_object_get_ex(all, "items", &items));
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		struct json_object *it = json_object_array_get_idx(items, i);
		struct json_object *kind = json_object_object_get(it, "kind");
		hr_record *rec;
		int rc = hr_kube_object_to_helm2_record(&rec, it, "x.json", "item", 0, &err);

		CU_ASSERT(rc == 0 || rc == 1);
		if (rc != 1)
			continue;
		n++;
		CU_ASSERT_EQUAL(rec->driver, !strcmp(json_object_get_string(kind), "Secret")
				? HR_DRIVER_HELM2_SECRET : HR_DRIVER_HELM2_CONFIGMAP);
		CU_ASSERT_STRING_EQUAL(hr_record_label(rec, "OWNER"), "TILLER");
		CU_ASSERT(rec->payload_len > 0);
		hr_record_free(rec);
	}
	CU_ASSERT_EQUAL(n, tiller);
	json_object_put(all);
}

HR_TEST_MAIN("sources",
	     { "yaml list", test_yaml_list },
	     { "json list", test_json_list },
	     { "per-namespace directory", test_directory },
	     { "single record", test_single_record },
	     { "gzip and multi-member gzip", test_gzip },
	     { "stdin", test_stdin },
	     { "content detection", test_detect },
	     { "bare payload", test_bare },
	     { "helm 2 records counted", test_helm2 })
