/*
 * test_sources_hostile.c — the readers against damaged and hostile inputs.
 *
 * Each case must end in a clear error (naming the file and a line or
 * offset) or a counted skip, never a crash, a hang or unbounded memory; and
 * good records before (and, where the format allows, after) the damage must
 * still be returned.
 */
#include "testutil.h"
#include "sources/source.h"
#include "sources/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define DUMPS "testdata/corpus/dumps"

/* Read a whole source; it must open. */
static void read_all(tu_drain *out, const char *path, const hr_source_opts *opts)
{
	tu_drain_free(out);     /* the previous run's */
	tu_drain_source(out, path, opts);
	CU_ASSERT_EQUAL_FATAL(out->open_rc, 0);
}

static char tmp[4096];

static const char *tmpfile_with(const char *name, const void *data, size_t len)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	CU_ASSERT_FATAL(tu_write_file(path, data, len) == 0);
	return path;
}

/* Occurrences of `needle` in the first `len` bytes of `hay`. */
static int count_in(const char *hay, size_t len, const char *needle)
{
	int n = 0;
	size_t nl = strlen(needle);

	for (const char *p = hay; (p = memmem(p, len - (size_t)(p - hay), needle, nl)); p += nl)
		n++;
	return n;
}

static void test_empty(void)
{
	tu_drain r = { 0 };

	read_all(&r, tmpfile_with("empty", "", 0), NULL);
	CU_ASSERT_EQUAL(r.nrec + r.nskips + r.end_rc, 0);
	read_all(&r, tmpfile_with("blank", "\n\n  \n", 5), NULL);
	CU_ASSERT_EQUAL(r.nrec + r.nskips + r.end_rc, 0);
	read_all(&r, tmpfile_with("emptylist.json", "{\"apiVersion\":\"v1\",\"items\":[],\"kind\":\"List\"}", 44), NULL);
	CU_ASSERT_EQUAL(r.nrec + r.nskips + r.end_rc, 0);
	CU_ASSERT_EQUAL(r.stats.objects, 0);
	read_all(&r, tmpfile_with("emptylist.yaml", "apiVersion: v1\nitems: []\nkind: List\n", 36), NULL);
	CU_ASSERT_EQUAL(r.nrec + r.nskips + r.end_rc, 0);
	CU_ASSERT_EQUAL(r.stats.objects, 0);
	tu_drain_free(&r);
}

static void test_binary_junk(void)
{
	unsigned char junk[8192];
	tu_drain r = { 0 };

	srand(42);
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)rand();
	junk[0] = 0x01;  /* not a gzip magic by accident */
	read_all(&r, tmpfile_with("junk.bin", junk, sizeof(junk)), NULL);
	CU_ASSERT_EQUAL(r.nrec, 0);
	CU_ASSERT_EQUAL(r.nskips, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&r, 0), "junk.bin: unrecognised content"));

	/* gzip magic followed by junk: a gzip error, not a crash */
	junk[0] = 0x1f;
	junk[1] = 0x8b;
	read_all(&r, tmpfile_with("junk.gz", junk, sizeof(junk)), NULL);
	CU_ASSERT_EQUAL(r.nrec, 0);
	CU_ASSERT(r.nskips + (r.end_rc != 0) >= 1);
	tu_drain_free(&r);
}

static void test_alias_bomb(void)
{
	hr_buf doc = HR_BUF_INIT, single = HR_BUF_INIT;
	tu_drain r = { 0 };

	/* a billion-laughs document between two good records */
	CU_ASSERT_FATAL(tu_read_file(&single, DUMPS "/single-record.yaml") == 0);
	hr_buf_put(&doc, single.ptr, single.len);
	hr_buf_puts(&doc, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\n  labels:\n    owner: helm\n"
			  "data:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
	for (int i = 1; i < 12; i++)
		hr_buf_printf(&doc, "  %c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", 'a' + i, 'a' + i,
			      'a' + i - 1, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1,
			      'a' + i - 1, 'a' + i - 1, 'a' + i - 1);
	hr_buf_puts(&doc, "  release: *l\n---\n");
	hr_buf_put(&doc, single.ptr, single.len);
	read_all(&r, tmpfile_with("bomb.yaml", doc.ptr, doc.len), NULL);
	CU_ASSERT_EQUAL(r.nrec, 2);
	CU_ASSERT_EQUAL(r.nskips, 1);
	CU_ASSERT_EQUAL(r.end_rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&r, 0), "alias"));
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&r, 0), "bomb.yaml: line "));
	CU_ASSERT_EQUAL(r.stats.errors, 1);
	hr_buf_free(&doc);
	hr_buf_free(&single);
	tu_drain_free(&r);
}

/* Cut the YAML List inside a quoted scalar of item `k`: the items before it still come out. */
static void test_truncated_yaml(void)
{
	hr_buf file = HR_BUF_INIT;
	tu_drain r = { 0 };

	CU_ASSERT_FATAL(tu_read_file(&file, DUMPS "/all-secrets-configmaps.yaml") == 0);
	/* the 20th creationTimestamp, cut in the middle of its quoted value */
	const char *p = file.ptr;
	for (int i = 0; i < 20; i++) {
		p = strstr(p, "creationTimestamp: \"");
		CU_ASSERT_FATAL(p != NULL);
		p += strlen("creationTimestamp: \"");
	}
	size_t cut = (size_t)(p - file.ptr) + 5;
	/* the item holding the cut starts at the last "\n- " before it */
	size_t item = cut;
	while (item > 0 && memcmp(file.ptr + item, "\n- ", 3))
		item--;
	int expect = count_in(file.ptr, item, "\n      owner: helm\n");
	CU_ASSERT_FATAL(expect > 0);
	read_all(&r, tmpfile_with("cut.yaml", file.ptr, cut), NULL);
	CU_ASSERT_EQUAL(r.nrec, expect);
	CU_ASSERT_EQUAL(r.end_rc, HR_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err.msg, "cut.yaml: line "));

	/* in a directory the broken file is one skip and the walk goes on */
	char sub[4200];
	snprintf(sub, sizeof(sub), "%s/dir", tmp);
	CU_ASSERT_FATAL(mkdir(sub, 0700) == 0);
	char f1[4300], f2[4300];
	snprintf(f1, sizeof(f1), "%s/a-cut.yaml", sub);
	snprintf(f2, sizeof(f2), "%s/b-full.yaml", sub);
	CU_ASSERT_FATAL(tu_write_file(f1, file.ptr, cut) == 0);
	CU_ASSERT_FATAL(tu_write_file(f2, file.ptr, file.len) == 0);
	read_all(&r, sub, NULL);
	CU_ASSERT_EQUAL(r.nrec, expect + count_in(file.ptr, file.len, "\n      owner: helm\n"));
	CU_ASSERT_EQUAL(r.nskips, 1);
	CU_ASSERT_EQUAL(r.end_rc, 0);
	unlink(f1);
	unlink(f2);
	rmdir(sub);
	hr_buf_free(&file);
	tu_drain_free(&r);
}

static void test_truncated_json(void)
{
	hr_buf file = HR_BUF_INIT;
	tu_drain r = { 0 };

	CU_ASSERT_FATAL(tu_read_file(&file, DUMPS "/all-secrets-configmaps.json") == 0);
	/* cut inside the 15th "release" value */
	const char *p = file.ptr;
	for (int i = 0; i < 15; i++) {
		p = strstr(p, "\"release\": \"");
		CU_ASSERT_FATAL(p != NULL);
		p += 12;
	}
	size_t cut = (size_t)(p - file.ptr) + 100;
	int expect = count_in(file.ptr, cut, "\"owner\": \"helm\"");
	/* items list "data" before "metadata": the 15th item's labels come after the cut */
	read_all(&r, tmpfile_with("cut.json", file.ptr, cut), NULL);
	CU_ASSERT_EQUAL(r.nrec, expect);
	CU_ASSERT_EQUAL(r.end_rc, HR_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err.msg, "cut.json: offset "));

	/* garbage in the middle of the items array */
	hr_buf bad = HR_BUF_INIT;
	hr_buf_put(&bad, file.ptr, cut);
	hr_buf_puts(&bad, "\"}}, !!! ]}");
	read_all(&r, tmpfile_with("bad.json", bad.ptr, bad.len), NULL);
	CU_ASSERT_EQUAL(r.end_rc, HR_EFORMAT);
	CU_ASSERT(r.nrec >= (size_t)expect);
	hr_buf_free(&bad);
	hr_buf_free(&file);
	tu_drain_free(&r);
}

static long max_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* A 100 MB single-line scalar with an 8 MB object cap: a clear error, bounded memory. */
static void test_huge_line(void)
{
	const size_t big = 100u << 20;
	char path[4200];
	hr_source_opts o = { 0 };
	long before = max_rss_kb();
	tu_drain r = { 0 };

	o.max_object = 8u << 20;
	for (int json = 0; json < 2; json++) {
		snprintf(path, sizeof(path), "%s/huge.%s", tmp, json ? "json" : "yaml");
		FILE *f = fopen(path, "wb");
		CU_ASSERT_FATAL(f != NULL);
		fputs(json ? "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"type\":\"helm.sh/release.v1\",\"data\":{\"release\":\""
			   : "apiVersion: v1\nkind: Secret\ntype: helm.sh/release.v1\ndata:\n  release: ", f);
		char chunk[65536];
		memset(chunk, 'A', sizeof(chunk));
		for (size_t n = 0; n < big; n += sizeof(chunk))
			fwrite(chunk, 1, sizeof(chunk), f);
		fputs(json ? "\"},\"metadata\":{\"name\":\"x\"}}\n" : "\nmetadata:\n  name: x\n", f);
		CU_ASSERT_FATAL(fclose(f) == 0);
		read_all(&r, path, &o);
		CU_ASSERT_EQUAL(r.nrec, 0);
		CU_ASSERT_EQUAL(r.end_rc, HR_ETOOBIG);
		CU_ASSERT_PTR_NOT_NULL(strstr(r.err.msg, "larger than the limit"));
		CU_ASSERT_PTR_NOT_NULL(strstr(r.err.msg, path));
		unlink(path);
	}
#if !defined(__SANITIZE_ADDRESS__)
	/* a few copies of the 8 MB cap at most, never the 100 MB line */
	CU_ASSERT(max_rss_kb() - before < 64 * 1024);
#else
	(void)before;
#endif
	tu_drain_free(&r);
}

/* One record without data.release among good ones: a skip naming it; the others come out. */
static void test_missing_release(void)
{
	hr_buf single = HR_BUF_INIT, doc = HR_BUF_INIT, nodata = HR_BUF_INIT;
	tu_drain r = { 0 };

	CU_ASSERT_FATAL(tu_read_file(&single, DUMPS "/single-record.yaml") == 0);
	/* drop the "data:" block (its two lines) from a copy */
	const char *d = strstr(single.ptr, "data:\n");
	CU_ASSERT_FATAL(d != NULL);
	const char *after = strchr(strchr(d, '\n') + 1, '\n') + 1;
	hr_buf_put(&nodata, single.ptr, (size_t)(d - single.ptr));
	hr_buf_puts(&nodata, after);

	hr_buf_put(&doc, single.ptr, single.len);
	hr_buf_puts(&doc, "---\n");
	size_t line = 1;
	for (size_t i = 0; i < doc.len; i++)
		line += doc.ptr[i] == '\n';
	hr_buf_put(&doc, nodata.ptr, nodata.len);
	hr_buf_puts(&doc, "---\n");
	hr_buf_put(&doc, single.ptr, single.len);
	read_all(&r, tmpfile_with("nodata.yaml", doc.ptr, doc.len), NULL);
	CU_ASSERT_EQUAL(r.nrec, 2);
	CU_ASSERT_EQUAL(r.nskips, 1);
	CU_ASSERT_EQUAL(r.stats.errors, 1);
	char want[4400];
	snprintf(want, sizeof(want), "%s/nodata.yaml: line %zu: secret shop/sh.helm.release.v1.web.v6: no data.release",
		 tmp, line);
	CU_ASSERT_STRING_EQUAL(tu_drain_skip(&r, 0), want);

	/* the same in a JSON List: item 0 loses data.release */
	struct json_object *all = json_object_from_file(DUMPS "/all-secrets-configmaps.json"), *items, *data;
	CU_ASSERT_FATAL(all && json_object_object_get_ex(all, "items", &items));
	CU_ASSERT_FATAL(json_object_object_get_ex(json_object_array_get_idx(items, 0), "data", &data));
	json_object_object_del(data, "release");
	const char *txt = json_object_to_json_string_ext(all, JSON_C_TO_STRING_PRETTY);
	read_all(&r, tmpfile_with("nodata.json", txt, strlen(txt)), NULL);
	int helm = count_in(txt, strlen(txt), "\"owner\":\"helm\"") + count_in(txt, strlen(txt), "\"owner\": \"helm\"");
	CU_ASSERT(helm > 1);
	CU_ASSERT_EQUAL(r.nrec, helm - 1);
	CU_ASSERT_EQUAL(r.nskips, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&r, 0), "nodata.json: offset "));
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&r, 0), ": no data.release"));
	json_object_put(all);
	hr_buf_free(&single);
	hr_buf_free(&doc);
	hr_buf_free(&nodata);
	tu_drain_free(&r);
}

/* Nesting far beyond any object: a skip or a clear error, not a stack overflow. */
static void test_deep_nesting(void)
{
	hr_buf doc = HR_BUF_INIT;
	tu_drain r = { 0 };

	hr_buf_puts(&doc, "a: ");
	for (int i = 0; i < 200000; i++)
		hr_buf_putc(&doc, '[');
	for (int i = 0; i < 200000; i++)
		hr_buf_putc(&doc, ']');
	hr_buf_puts(&doc, "\n");
	read_all(&r, tmpfile_with("deep.yaml", doc.ptr, doc.len), NULL);
	CU_ASSERT_EQUAL(r.nrec, 0);
	CU_ASSERT_EQUAL(r.end_rc, HR_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err.msg, "deep.yaml: line 1: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err.msg, "nested deeper"));

	hr_buf_clear(&doc);
	hr_buf_puts(&doc, "{\"a\":");
	for (int i = 0; i < 200000; i++)
		hr_buf_putc(&doc, '[');
	read_all(&r, tmpfile_with("deep.json", doc.ptr, doc.len), NULL);
	CU_ASSERT_EQUAL(r.nrec, 0);
	CU_ASSERT_EQUAL(r.end_rc, HR_EFORMAT);
	hr_buf_free(&doc);
	tu_drain_free(&r);
}

/* A gzip bomb stops at the inflate cap; a truncated gzip is an error. */
static void test_gzip_limits(void)
{
	hr_error err = HR_ERROR_INIT;
	hr_input *in;
	char path[4200];
	char buf[65536];
	long n;
	uint64_t total = 0;

	snprintf(path, sizeof(path), "%s/zeros.gz", tmp);
	gzFile g = gzopen(path, "wb9");
	CU_ASSERT_FATAL(g != NULL);
	memset(buf, 0, sizeof(buf));
	for (int i = 0; i < 160; i++)  /* 10 MB of zeros, ~10 KB compressed */
		gzwrite(g, buf, sizeof(buf));
	gzclose(g);
	CU_ASSERT_FATAL(hr_input_open(&in, path, 1 << 20, &err) == 0);
	CU_ASSERT(hr_input_is_gzip(in));
	while ((n = hr_input_read(in, buf, sizeof(buf), &err)) > 0)
		total += (uint64_t)n;
	CU_ASSERT_EQUAL(n, HR_ETOOBIG);
	CU_ASSERT(total <= 1 << 20);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "zeros.gz"));
	hr_input_close(in);

	/* truncated: half of the compressed file */
	hr_buf z = HR_BUF_INIT;
	CU_ASSERT_FATAL(tu_read_file(&z, path) == 0);
	const char *cut = tmpfile_with("cut.gz", z.ptr, z.len / 2);
	CU_ASSERT_FATAL(hr_input_open(&in, cut, 0, &err) == 0);
	while ((n = hr_input_read(in, buf, sizeof(buf), &err)) > 0)
		;
	CU_ASSERT_EQUAL(n, HR_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "truncated"));
	hr_input_close(in);

	/* trailing garbage after the last member */
	hr_buf_puts(&z, "garbage!");
	const char *tg = tmpfile_with("trail.gz", z.ptr, z.len);
	CU_ASSERT_FATAL(hr_input_open(&in, tg, 0, &err) == 0);
	while ((n = hr_input_read(in, buf, sizeof(buf), &err)) > 0)
		;
	CU_ASSERT_EQUAL(n, HR_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "trailing garbage"));
	hr_input_close(in);
	unlink(path);
	hr_buf_free(&z);
}

/* Peeked bytes are read again; a missing file fails at open with its name. */
static void test_input_basics(void)
{
	hr_error err = HR_ERROR_INIT;
	hr_buf all = HR_BUF_INIT, got = HR_BUF_INIT;
	hr_input *in;
	char head[100], buf[777];
	long n;
	hr_source *src;

	CU_ASSERT_FATAL(tu_read_file(&all, DUMPS "/single-record.yaml") == 0);
	CU_ASSERT_FATAL(hr_input_open(&in, DUMPS "/single-record.yaml", 0, &err) == 0);
	CU_ASSERT_EQUAL(hr_input_peek(in, head, sizeof(head), &err), (long)sizeof(head));
	CU_ASSERT_EQUAL(memcmp(head, all.ptr, sizeof(head)), 0);
	while ((n = hr_input_read(in, buf, sizeof(buf), &err)) > 0)
		hr_buf_put(&got, buf, (size_t)n);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(got.len, all.len);
	CU_ASSERT_EQUAL(memcmp(got.ptr, all.ptr, all.len), 0);
	CU_ASSERT_EQUAL(hr_input_raw_size(in), all.len);
	CU_ASSERT_EQUAL(hr_input_raw_consumed(in), all.len);
	hr_input_close(in);

	CU_ASSERT_EQUAL(hr_source_open(&src, "testdata/no/such/file.yaml", NULL, &err), HR_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "testdata/no/such/file.yaml: cannot open"));
	hr_buf_free(&all);
	hr_buf_free(&got);
}

/* A symlink loop in a tree is walked once; unsupported inputs are clear skips. */
static void test_walk_loops_and_stubs(void)
{
	char dir[4200], link[4300], copy[4300];
	hr_buf single = HR_BUF_INIT;
	tu_drain r = { 0 };

	snprintf(dir, sizeof(dir), "%s/tree", tmp);
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	snprintf(link, sizeof(link), "%s/self", dir);
	CU_ASSERT_FATAL(symlink(".", link) == 0);
	char sub[4300], up[4400];
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	CU_ASSERT_FATAL(mkdir(sub, 0700) == 0);
	snprintf(up, sizeof(up), "%s/up", sub);
	CU_ASSERT_FATAL(symlink("..", up) == 0);
	snprintf(copy, sizeof(copy), "%s/one.yaml", dir);
	CU_ASSERT_FATAL(tu_read_file(&single, DUMPS "/single-record.yaml") == 0);
	CU_ASSERT_FATAL(tu_write_file(copy, single.ptr, single.len) == 0);
	read_all(&r, dir, NULL);
	CU_ASSERT_EQUAL(r.nrec, 1);
	CU_ASSERT_EQUAL(r.nskips, 0);
	unlink(copy);
	unlink(link);
	unlink(up);
	rmdir(sub);
	rmdir(dir);
	hr_buf_free(&single);

	/* the velero tarball inside a directory walk: every record twice (two Velero folders), no skip */
	read_all(&r, "testdata/corpus/velero", NULL);
	CU_ASSERT_EQUAL(r.end_rc, 0);
	CU_ASSERT_EQUAL(r.nrec, 60);
	CU_ASSERT_EQUAL(r.nskips, 0);
	tu_drain_free(&r);
}

static void test_yaml_scalars(void)
{
	/* plain scalars resolve, quoted ones stay strings; labels keep text */
	const char *y = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sh.helm.release.v1.x.v1\n"
			"  namespace: \"007\"\n  labels:\n    owner: helm\n    version: 12\n    flag: yes\n"
			"    n: ~\n    f: 1.5\n    q: \"yes\"\ndata:\n  release: 'H4sIabc'\n";
	hr_error err = HR_ERROR_INIT;
	hr_source *src;
	hr_record *rec;

	CU_ASSERT_FATAL(hr_source_open(&src, tmpfile_with("scalars.yaml", y, strlen(y)), NULL, &err) == 0);
	CU_ASSERT_EQUAL_FATAL(hr_source_next(src, &rec, &err), 1);
	CU_ASSERT_EQUAL(rec->driver, HR_DRIVER_CONFIGMAP);
	CU_ASSERT_EQUAL(rec->form, HR_PAYLOAD_HELM);
	CU_ASSERT_STRING_EQUAL(rec->namespace, "007");
	CU_ASSERT_STRING_EQUAL(rec->payload, "H4sIabc");
	CU_ASSERT_STRING_EQUAL(hr_record_label(rec, "version"), "12");
	CU_ASSERT_STRING_EQUAL(hr_record_label(rec, "flag"), "true");
	CU_ASSERT_STRING_EQUAL(hr_record_label(rec, "n"), "");
	CU_ASSERT_STRING_EQUAL(hr_record_label(rec, "f"), "1.5");
	CU_ASSERT_STRING_EQUAL(hr_record_label(rec, "q"), "yes");
	hr_record_free(rec);
	hr_source_close(src);
}

static void setup(void)
{
	const char *d = tu_tmpdir();

	snprintf(tmp, sizeof(tmp), "%s", d ? d : "/tmp");
}

static void test_setup(void)
{
	setup();
	CU_ASSERT(access(tmp, W_OK) == 0);
}

static void test_cleanup(void)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	CU_ASSERT(tu_run(NULL, cmd) == 0);
}

HR_TEST_MAIN("sources-hostile",
	     { "setup", test_setup },
	     { "empty inputs", test_empty },
	     { "binary junk", test_binary_junk },
	     { "yaml alias bomb", test_alias_bomb },
	     { "truncated yaml", test_truncated_yaml },
	     { "truncated json", test_truncated_json },
	     { "100 MB line", test_huge_line },
	     { "record without data.release", test_missing_release },
	     { "deep nesting", test_deep_nesting },
	     { "gzip limits", test_gzip_limits },
	     { "input basics", test_input_basics },
	     { "walk loops and stubs", test_walk_loops_and_stubs },
	     { "yaml scalars", test_yaml_scalars },
	     { "cleanup", test_cleanup })
