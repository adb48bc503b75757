/*
 * test_gunzip_stream.c — the streaming inflater (ISA-L or zlib, whichever
 * the build has) against zlib's own gzip writer: every header flag
 * (FEXTRA, FNAME, FCOMMENT, FHCRC), input and output offered a byte at a
 * time or all at once, a member that ends exactly at its trailer, damaged
 * CRC/length/data; and hr_input over such files read with tiny buffers, so
 * output still pending when the last input byte was taken comes out.
 */
#include "testutil.h"
#include "sources/gunzip_stream.h"
#include "sources/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ~200 KB: base64-like text with some repeats, the shape of a Velero tarball. */
static void make_text(hr_buf *b)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned x = 12345;

	for (int i = 0; i < 200000; i++) {
		x = x * 1103515245u + 12345u;
		CU_ASSERT_FATAL(hr_buf_putc(b, (i % 997) < 40 ? "{\"release\":\"H4sI\"}\n"[i % 19] : al[(x >> 16) % 64]) == 0);
	}
}

/* Append one gzip member of text to out; flags: 1 = name, comment, extra and header CRC. */
static void gzip_member(hr_buf *out, const hr_buf *text, int flags)
{
	z_stream zs;
	gz_header h;
	unsigned char buf[65536];
	int zrc;

	memset(&zs, 0, sizeof(zs));
	memset(&h, 0, sizeof(h));
	CU_ASSERT_FATAL(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
	if (flags) {
		h.name = (Bytef *)"backup.tar";
		h.comment = (Bytef *)"a comment";
		h.extra = (Bytef *)"XYZW";
		h.extra_len = 4;
		h.hcrc = 1;
		CU_ASSERT_FATAL(deflateSetHeader(&zs, &h) == Z_OK);
	}
	zs.next_in = (Bytef *)text->ptr;
	zs.avail_in = (uInt)text->len;
	do {
		zs.next_out = buf;
		zs.avail_out = sizeof(buf);
		zrc = deflate(&zs, Z_FINISH);
		CU_ASSERT_FATAL(hr_buf_put(out, buf, sizeof(buf) - zs.avail_out) == 0);
	} while (zrc == Z_OK);
	CU_ASSERT_FATAL(zrc == Z_STREAM_END);
	deflateEnd(&zs);
}

/*
 * Inflate one member from in[0..len) offering at most step_in / step_out
 * bytes per call; returns the code, *used the input taken, *ended 1 at the
 * member's end.
 */
static int run_member(const unsigned char *in, size_t len, size_t step_in, size_t step_out, hr_buf *out,
		      size_t *used, int *ended, const char **why)
{
	hr_gunzip *g;
	unsigned char tmp[65536];
	size_t pos = 0;
	int rc = 0, idle = 0;

	CU_ASSERT_FATAL(hr_gunzip_new(&g) == 0);
	*ended = 0;
	while (!*ended && idle < 2) {
		size_t il = len - pos < step_in ? len - pos : step_in, ol = step_out;

		if ((rc = hr_gunzip_run(g, in + pos, &il, tmp, &ol, ended, why)) < 0)
			break;
		pos += il;
		CU_ASSERT_FATAL(hr_buf_put(out, tmp, ol) == 0);
		idle = il || ol ? 0 : idle + 1;
	}
	hr_gunzip_free(g);
	*used = pos;
	return rc;
}

static void test_members(void)
{
	static const size_t steps[][2] = { { 1, 1 }, { 1, 65536 }, { 65536, 1 }, { 7, 13 }, { 1 << 20, 65536 } };
	hr_buf text = HR_BUF_INIT, z = HR_BUF_INIT, out = HR_BUF_INIT;
	size_t first, used;
	int ended;
	const char *why = NULL;

	make_text(&text);
	gzip_member(&z, &text, 1);
	first = z.len;
	gzip_member(&z, &text, 0);
	for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		/* the first member: stops exactly after its trailer */
		hr_buf_clear(&out);
		CU_ASSERT_EQUAL(run_member((unsigned char *)z.ptr, z.len, steps[k][0], steps[k][1], &out, &used, &ended, &why), 0);
		CU_ASSERT(ended);
		CU_ASSERT_EQUAL(used, first);
		CU_ASSERT(out.len == text.len && !memcmp(out.ptr, text.ptr, text.len));
		/* the second, plain header */
		hr_buf_clear(&out);
		CU_ASSERT_EQUAL(run_member((unsigned char *)z.ptr + first, z.len - first, steps[k][0], steps[k][1], &out,
					   &used, &ended, &why), 0);
		CU_ASSERT(ended);
		CU_ASSERT_EQUAL(used, z.len - first);
		CU_ASSERT(out.len == text.len && !memcmp(out.ptr, text.ptr, text.len));
	}
	/* cut short: no error, no end, a prefix of the text */
	hr_buf_clear(&out);
	CU_ASSERT_EQUAL(run_member((unsigned char *)z.ptr, first - 5, 4096, 4096, &out, &used, &ended, &why), 0);
	CU_ASSERT(!ended);
	CU_ASSERT(out.len <= text.len && !memcmp(out.ptr, text.ptr, out.len));
	printf("(%s) ", hr_gunzip_engine());
	hr_buf_free(&text);
	hr_buf_free(&z);
	hr_buf_free(&out);
}

static void test_damage(void)
{
	hr_buf text = HR_BUF_INIT, z = HR_BUF_INIT, out = HR_BUF_INIT;
	size_t used;
	int ended;
	const char *why;

	make_text(&text);
	gzip_member(&z, &text, 0);
	/* CRC, then length, then a byte of the deflate data, then the magic */
	const size_t at[] = { z.len - 8, z.len - 2, z.len / 2, 0 };
	for (size_t k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
		z.ptr[at[k]] ^= 0x55;
		why = NULL;
		hr_buf_clear(&out);
		CU_ASSERT_EQUAL(run_member((unsigned char *)z.ptr, z.len, 65536, 65536, &out, &used, &ended, &why), HR_EFORMAT);
		CU_ASSERT_PTR_NOT_NULL(why);
		if (k < 2)
			CU_ASSERT(why && strstr(why, "check"));
		z.ptr[at[k]] ^= 0x55;
	}
	/* a header with every flag: its CRC, then a reserved flag bit, fed a byte at a time and whole */
	hr_buf_clear(&z);
	gzip_member(&z, &text, 1);
	const size_t hcrc_at = 10 + 2 + 4 + sizeof("backup.tar") + sizeof("a comment");
	for (size_t step = 1; step <= 65536; step += 65535) {
		hr_buf_clear(&out);
		CU_ASSERT_EQUAL(run_member((unsigned char *)z.ptr, z.len, step, 65536, &out, &used, &ended, &why), 0);
		CU_ASSERT(ended && out.len == text.len);
		z.ptr[hcrc_at] ^= 1;
		CU_ASSERT_EQUAL(run_member((unsigned char *)z.ptr, z.len, step, 65536, &out, &used, &ended, &why), HR_EFORMAT);
		CU_ASSERT(why && !strcmp(why, "header crc mismatch"));
		z.ptr[hcrc_at] ^= 1;
		z.ptr[3] |= 0x20;
		CU_ASSERT_EQUAL(run_member((unsigned char *)z.ptr, z.len, step, 65536, &out, &used, &ended, &why), HR_EFORMAT);
		CU_ASSERT(why && !strcmp(why, "unknown header flags set"));
		z.ptr[3] &= ~0x20;
	}
	hr_buf_free(&text);
	hr_buf_free(&z);
	hr_buf_free(&out);
}

/* hr_input over two members, read with buffers of 1, 7 and 65536 bytes; then cut by one byte. */
static void test_input_reads(void)
{
	static const size_t sizes[] = { 1, 7, 65536 };
	hr_buf text = HR_BUF_INIT, z = HR_BUF_INIT, got = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	char path[4200];
	unsigned char buf[65536];
	hr_input *in;
	long n;

	make_text(&text);
	gzip_member(&z, &text, 1);
	gzip_member(&z, &text, 0);
	snprintf(path, sizeof(path), "%s/two.gz", tu_tmpdir());
	CU_ASSERT_FATAL(tu_write_file(path, z.ptr, z.len) == 0);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		hr_buf_clear(&got);
		CU_ASSERT_FATAL(hr_input_open(&in, path, 0, &err) == 0);
		while ((n = hr_input_read(in, buf, sizes[k], &err)) > 0)
			CU_ASSERT_FATAL(hr_buf_put(&got, buf, (size_t)n) == 0);
		CU_ASSERT_EQUAL(n, 0);
		CU_ASSERT(got.len == 2 * text.len && !memcmp(got.ptr, text.ptr, text.len) &&
			  !memcmp(got.ptr + text.len, text.ptr, text.len));
		hr_input_close(in);
	}
	CU_ASSERT_FATAL(tu_write_file(path, z.ptr, z.len - 1) == 0);
	CU_ASSERT_FATAL(hr_input_open(&in, path, 0, &err) == 0);
	while ((n = hr_input_read(in, buf, 7, &err)) > 0)
		;
	CU_ASSERT_EQUAL(n, HR_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "truncated"));
	hr_input_close(in);
	remove(path);
	hr_buf_free(&text);
	hr_buf_free(&z);
	hr_buf_free(&got);
}

HR_TEST_MAIN("gunzip_stream",
	     { "members, header flags, any step sizes", test_members },
	     { "damaged CRC, length, data, magic, header CRC, flags", test_damage },
	     { "hr_input with tiny reads, cut by one byte", test_input_reads })
