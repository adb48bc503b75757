/*
 * test_sources_fastpath.c — the YAML fast path (yaml_fast.c) must give
 * exactly what libyaml alone gives: every record field, offsets included,
 * every skip message and the stats, on the corpus dumps and on shapes where
 * a base64 line is not a plain mapping value (block, folded, quoted and
 * flow scalars, CRLF, non-ASCII text before it, aliases, errors, a gzip
 * stream cut short).
 */
#include "testutil.h"
#include "sources/source.h"
#include "sources/yaml_fast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* Everything a source produced, as text, for comparison. */
static void transcript(hr_buf *out, const char *path, const hr_source_opts *o, int slow)
{
	hr_error err = HR_ERROR_INIT;
	hr_source *src;
	hr_record *r;
	hr_source_stats st;
	int rc;

	if (slow)
		setenv("HELMREC_YAML_SLOW", "1", 1);
	else
		unsetenv("HELMREC_YAML_SLOW");
	hr_buf_clear(out);
	rc = hr_source_open(&src, path, o, &err);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	while ((rc = hr_source_next(src, &r, &err)) != 0) {
		if (rc != 1) {
			hr_buf_printf(out, "rc %d: %s\n", rc, err.msg);
			if (rc != HR_ESKIP)
				break;
			continue;
		}
		hr_buf_printf(out, "%s %s/%s created=%s at %s %s offset=%llu form=%d\n", hr_driver_name(r->driver),
			      r->namespace, r->name, r->created ? r->created : "-", r->source_path, r->location,
			      (unsigned long long)r->offset, r->form);
		for (size_t i = 0; i < r->nlabels; i++)
			hr_buf_printf(out, " label %s=%s\n", r->labels[i].key, r->labels[i].value);
		for (size_t i = 0; i < r->nannotations; i++)
			hr_buf_printf(out, " annotation %s=%s|\n", r->annotations[i].key, r->annotations[i].value);
		hr_buf_printf(out, " payload %zu ", r->payload_len);
		hr_buf_put(out, r->payload, r->payload_len);
		hr_buf_puts(out, "\n");
		hr_record_free(r);
	}
	hr_source_stats_get(src, &st);
	hr_buf_printf(out, "objects %llu records %llu other %llu errors %llu\n", (unsigned long long)st.objects,
		      (unsigned long long)st.records, (unsigned long long)st.skipped_other,
		      (unsigned long long)st.errors);
	hr_source_close(src);
	unsetenv("HELMREC_YAML_SLOW");
}

static void same_both_ways(const char *path, int min_records)
{
	hr_buf fast = HR_BUF_INIT, slow = HR_BUF_INIT;

	transcript(&fast, path, NULL, 0);
	transcript(&slow, path, NULL, 1);
	if (fast.len != slow.len || memcmp(fast.ptr, slow.ptr, fast.len)) {
		fprintf(stderr, "fast and slow differ for %s\n--- fast\n%.3000s\n--- slow\n%.3000s\n", path,
			fast.ptr, slow.ptr);
		CU_FAIL("fast path differs");
	}
	CU_ASSERT_PTR_NULL(strstr(fast.ptr, "HRfp"));  /* no placeholder leaks */
	/* and the transcript is not trivially empty */
	int n = 0;
	for (const char *p = fast.ptr; (p = strstr(p, " payload ")); p++)
		n++;
	CU_ASSERT(n >= min_records);
	hr_buf_free(&fast);
	hr_buf_free(&slow);
}

static void test_corpus(void)
{
	static const char *files[] = {
		"testdata/corpus/dumps/all-secrets-configmaps.yaml",
		"testdata/corpus/dumps/single-record.yaml",
		"testdata/corpus/dumps/per-namespace",
		"testdata/corpus/helm2/dumps/helm2-dump.yaml",
	};
	same_both_ways(files[0], 30);
	same_both_ways(files[1], 1);
	same_both_ways(files[2], 30);
	same_both_ways(files[3], 25);
}

static char tmp[4096];

static const char *write_tmp(const char *name, const hr_buf *b)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	CU_ASSERT_FATAL(tu_write_file(path, b->ptr, b->len) == 0);
	return path;
}

/* Odd places for long base64 lines. */
static void odd_doc(hr_buf *d, const char *B, const char *nl)
{
	hr_buf_printf(d, "apiVersion: v1%skind: List%sitems:%s", nl, nl, nl);
	hr_buf_printf(d, "- apiVersion: v1%s  kind: ConfigMap%s  metadata:%s", nl, nl, nl);
	hr_buf_printf(d, "    name: sh.helm.release.v1.a.v1%s    namespace: \"ns-\xc3\xa9\xe2\x9c\x93\"%s", nl, nl);
	hr_buf_printf(d, "    labels: {owner: helm, k\xc3\xa9y: v\xc3\xa9}%s    annotations:%s", nl, nl);
	hr_buf_printf(d, "      literal: |%s        first line%s        inner: %s%s        last%s", nl, nl, B, nl, nl);
	hr_buf_printf(d, "      folded: >%s        x%s        inner: %s%s%s        y%s", nl, nl, B, nl, nl, nl);
	hr_buf_printf(d, "      dq: \"start%s        cont: %s%s        end\"%s", nl, B, nl, nl);
	hr_buf_printf(d, "      sq: 'a%s        cont: %s%s        '%s", nl, B, nl, nl);
	hr_buf_printf(d, "      flow: {a: b,%s        x: %s%s        }%s", nl, B, nl, nl);
	hr_buf_printf(d, "      spaced: %s %s", B, nl);
	hr_buf_printf(d, "      commented: %s # note%s", B, nl);
	hr_buf_printf(d, "  data:%s    release: %s%s", nl, B, nl);
	hr_buf_printf(d, "- apiVersion: v1%s  kind: Secret%s  type: helm.sh/release.v1%s", nl, nl, nl);
	hr_buf_printf(d, "  metadata: {name: sh.helm.release.v1.b.v1, namespace: n\xc3\xa9}%s", nl);
	hr_buf_printf(d, "  data:%s    other: %s%s    release: %s%s", nl, B, nl, B, nl);
	hr_buf_printf(d, "- apiVersion: v1%s  kind: Secret%s  type: helm.sh/release.v1%s", nl, nl, nl);
	hr_buf_printf(d, "  metadata: {name: alias, namespace: x}%s  data:%s    a: &a %s%s    release: *a%s", nl, nl, B,
		      nl, nl);
	hr_buf_printf(d, "- apiVersion: v1%s  kind: Secret%s  type: helm.sh/release.v1%s", nl, nl, nl);
	hr_buf_printf(d, "  metadata: {name: sh.helm.release.v1.c.v1, namespace: last}%s  data:%s    release: %s%s",
		      nl, nl, B, nl);
	hr_buf_printf(d, "kind: List%s", nl);
}

static void test_odd_shapes(void)
{
	hr_buf B = HR_BUF_INIT, d = HR_BUF_INIT;

	snprintf(tmp, sizeof(tmp), "%s", tu_tmpdir());
	for (int i = 0; i < 300; i++)
		hr_buf_putc(&B, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[(i * 7) % 64]);
	hr_buf_puts(&B, "==");
	odd_doc(&d, B.ptr, "\n");
	same_both_ways(write_tmp("odd.yaml", &d), 3);
	hr_buf_clear(&d);
	odd_doc(&d, B.ptr, "\r\n");
	same_both_ways(write_tmp("odd-crlf.yaml", &d), 3);

	/* a syntax error after a placeholder line: same records, same message */
	hr_buf_clear(&d);
	odd_doc(&d, B.ptr, "\n");
	hr_buf_truncate(&d, (size_t)(strstr(d.ptr, "- apiVersion: v1\n  kind: Secret\n  type: helm.sh/release.v1\n  metadata: {name: alias") - d.ptr));
	hr_buf_printf(&d, "- plain: start\n    cont: %s\n", B.ptr);
	same_both_ways(write_tmp("err.yaml", &d), 2);

	/* the base64 text exactly at the threshold, and one below it */
	hr_buf_clear(&d);
	hr_buf_printf(&d, "kind: ConfigMap\nmetadata: {name: t, labels: {owner: helm}}\ndata:\n  release: %.*s\n"
			  "---\nkind: ConfigMap\nmetadata: {name: u, labels: {owner: helm}}\ndata:\n  release: %.*s\n",
		      256, B.ptr, 255, B.ptr);
	same_both_ways(write_tmp("edge.yaml", &d), 2);
	hr_buf_free(&B);
	hr_buf_free(&d);
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	tu_run(NULL, cmd);
}

/*
 * A gzip'd dump cut short: the filter hands libyaml every line read before
 * the gzip error, then the error, so the objects before the cut come out
 * (they were lost while the filter dropped its pending text on a failed
 * read), the same as without the filter.
 */
static void test_cut_gzip(void)
{
	hr_buf raw = HR_BUF_INIT, z = HR_BUF_INIT, t = HR_BUF_INIT;
	char path[4200];
	gzFile g;

	snprintf(tmp, sizeof(tmp), "%s", tu_tmpdir());
	CU_ASSERT_FATAL(tu_read_file(&raw, "testdata/corpus/dumps/all-secrets-configmaps.yaml") == 0);
	snprintf(path, sizeof(path), "%s/whole.yaml.gz", tmp);
	CU_ASSERT_FATAL((g = gzopen(path, "wb6")) != NULL);
	CU_ASSERT_FATAL(gzwrite(g, raw.ptr, (unsigned)raw.len) == (int)raw.len);
	gzclose(g);
	CU_ASSERT_FATAL(tu_read_file(&z, path) == 0);
	for (size_t cut = z.len / 8; cut < z.len; cut += z.len / 4) {
		hr_buf_clear(&t);
		hr_buf_put(&t, z.ptr, cut);
		same_both_ways(write_tmp("cut.yaml.gz", &t), (int)(cut * 30 / z.len / 2));
	}
	transcript(&t, path, NULL, 0);
	CU_ASSERT_PTR_NULL(strstr(t.ptr, "rc "));
	hr_buf_free(&raw);
	hr_buf_free(&z);
	hr_buf_free(&t);
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	tu_run(NULL, cmd);
}

static int fast_read_cb(void *data, unsigned char *buf, size_t size, size_t *size_read)
{
	hr_error err = HR_ERROR_INIT;
	long n = hr_yaml_fast_read(data, buf, size, &err);

	*size_read = n > 0 ? (size_t)n : 0;
	return n >= 0;
}

/*
 * Many documents of one short line each plus a long value: a 64 KiB chunk
 * of filtered text then stands for some 60 values.  Driven by libyaml as
 * the reader drives it, the filter must not set more than
 * HR_YAML_FAST_HOLD plus one value aside at once, and every value must
 * come back whole.
 */
static void test_held_bounded(void)
{
	char path[] = "/tmp/hr-fastpath-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	const size_t ndocs = 60, vlen = 65536;
	char *val = malloc(vlen + 1);
	hr_error err = HR_ERROR_INIT;
	hr_input *in = NULL;
	hr_yaml_fast *fast = NULL;
	yaml_parser_t parser;
	size_t values = 0;
	int done = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(val);
	for (size_t i = 0; i < vlen; i++)
		val[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"[(i * 7) % 32];
	val[vlen] = '\0';
	for (size_t d = 0; d < ndocs; d++)
		fprintf(f, "---\nv: %s\n", val);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(hr_input_open(&in, path, 0, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hr_yaml_fast_new(&fast, in, (size_t)1 << 24), 0);
	CU_ASSERT_FATAL(yaml_parser_initialize(&parser));
	yaml_parser_set_input(&parser, fast_read_cb, fast);
	while (!done) {
		yaml_event_t ev;

		if (!yaml_parser_parse(&parser, &ev))
			break;
		CU_ASSERT_EQUAL(hr_yaml_fast_restore(fast, &ev), 0);
		if (ev.type == YAML_SCALAR_EVENT && ev.data.scalar.length == vlen)
			values += !memcmp(ev.data.scalar.value, val, vlen);
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	CU_ASSERT(done);
	CU_ASSERT_EQUAL(values, ndocs);
	CU_ASSERT(hr_yaml_fast_held_peak(fast) >= vlen);
	CU_ASSERT(hr_yaml_fast_held_peak(fast) <= HR_YAML_FAST_HOLD + vlen);
	yaml_parser_delete(&parser);
	hr_yaml_fast_free(fast);
	hr_input_close(in);
	free(val);
	unlink(path);
}

HR_TEST_MAIN("sources-fastpath",
	     { "corpus: fast path equals libyaml alone", test_corpus },
	     { "odd shapes: fast path equals libyaml alone", test_odd_shapes },
	     { "gzip'd dump cut short: fast path equals libyaml alone", test_cut_gzip },
	     { "values set aside stay bounded", test_held_bounded })
