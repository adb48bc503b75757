/*
 * floor.c — the floor for `helmrec scan`: the least work any tool must do to
 * read every Helm release record in a kubectl dump.  It finds each `release`
 * value by plain byte scanning (YAML `release: VALUE` lines and JSON
 * `"release": "VALUE"` members), base64-decodes it (twice for a Secret, once
 * for a ConfigMap: whichever yields the gzip magic), and inflates it.  No
 * YAML or JSON parsing, no SQLite, nothing kept.  A scanner that does more
 * than this cannot be faster than this, so it bounds what tuning can reach.
 *
 * Built by tests/bench/run (not by CMake; it is not part of helmrec):
 *   cc -O2 -o floor floor.c $(pkg-config --cflags --libs zlib libdeflate) -lpthread
 * Usage: floor [-j THREADS] [--zlib | --base64-only] [--json-c] [--sha256] FILE...
 * (--zlib inflates with zlib instead of libdeflate; --base64-only stops
 * after the base64 decoding, to split the cost; --json-c, when built with
 * -DWITH_JSONC $(pkg-config --cflags --libs json-c), also parses each
 * release JSON into a json-c tree; --sha256, when built with -DWITH_CRYPTO
 * $(pkg-config --cflags --libs libcrypto), also hashes each release JSON:
 * reference costs of what an indexer adds, not part of the floor.)
 * Prints one JSON line: records, payload and JSON byte totals, seconds.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#ifdef WITH_JSONC
#include <json.h>
#endif
#ifdef WITH_CRYPTO
#include <openssl/evp.h>
#endif

typedef struct span {
	const unsigned char *p;
	size_t n;
} span;

static span *spans;
static size_t nspans, capspans;
static atomic_size_t next_span;
static int use_zlib, base64_only, parse_json, hash_json;

typedef struct worker {
	pthread_t th;
	uint64_t records, failed, payload_bytes, json_bytes, checksum;
} worker;

static signed char b64[256];

static void b64_init(void)
{
	const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	memset(b64, -1, sizeof(b64));
	for (int i = 0; i < 64; i++)
		b64[(unsigned char)a[i]] = (signed char)i;
}

/* Standard base64 with padding, no whitespace; returns bytes or -1. */
static long b64_decode(unsigned char *out, const unsigned char *in, size_t n)
{
	size_t i = 0, o = 0;

	while (n && in[n - 1] == '=')
		n--;
	for (; i + 4 <= n; i += 4) {
		int a = b64[in[i]], b = b64[in[i + 1]], c = b64[in[i + 2]], d = b64[in[i + 3]];

		if ((a | b | c | d) < 0)
			return -1;
		uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
		out[o++] = (unsigned char)(v >> 16);
		out[o++] = (unsigned char)(v >> 8);
		out[o++] = (unsigned char)v;
	}
	if (n - i == 2 || n - i == 3) {
		int a = b64[in[i]], b = b64[in[i + 1]], c = n - i == 3 ? b64[in[i + 2]] : 0;

		if ((a | b | c) < 0)
			return -1;
		uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6;
		out[o++] = (unsigned char)(v >> 16);
		if (n - i == 3)
			out[o++] = (unsigned char)(v >> 8);
	} else if (n - i == 1) {
		return -1;
	}
	return (long)o;
}

static void add_span(const unsigned char *p, size_t n)
{
	if (nspans == capspans) {
		capspans = capspans ? 2 * capspans : 4096;
		spans = realloc(spans, capspans * sizeof(*spans));
		if (!spans) {
			perror("floor");
			exit(1);
		}
	}
	spans[nspans].p = p;
	spans[nspans].n = n;
	nspans++;
}

/* Find every `release` value: YAML `^ *release: V$` or JSON `"release": "V"`. */
static void find_spans(const unsigned char *buf, size_t len)
{
	const unsigned char *p = buf, *end = buf + len, *h;

	while ((h = memmem(p, (size_t)(end - p), "release", 7))) {
		const unsigned char *v = h + 7, *e;

		p = v;
		if (h > buf && h[-1] == '"' && end - v > 4 && !memcmp(v, "\": \"", 4)) {
			v += 4;
			e = memchr(v, '"', (size_t)(end - v));
		} else if (end - v > 2 && !memcmp(v, ": ", 2)) {
			const unsigned char *q = h;

			while (q > buf && q[-1] == ' ')
				q--;
			if (q > buf && q[-1] != '\n')
				continue;
			v += 2;
			e = memchr(v, '\n', (size_t)(end - v));
		} else {
			continue;
		}
		if (!e)
			e = end;
		if (e - v > 16)
			add_span(v, (size_t)(e - v));
		p = e;
	}
}

static size_t gunzip_zlib(unsigned char **out, size_t *cap, const unsigned char *in, size_t n)
{
	z_stream z = { 0 };
	size_t got = 0;
	int rc;

	if (inflateInit2(&z, 16 + 15) != Z_OK)
		return (size_t)-1;
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)n;
	do {
		if (got == *cap) {
			*cap *= 2;
			*out = realloc(*out, *cap);
		}
		z.next_out = *out + got;
		z.avail_out = (uInt)(*cap - got);
		rc = inflate(&z, Z_NO_FLUSH);
		got = *cap - z.avail_out;
	} while (rc == Z_OK);
	inflateEnd(&z);
	return rc == Z_STREAM_END ? got : (size_t)-1;
}

static void *work(void *arg)
{
	worker *w = arg;
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	size_t cap1 = 1 << 20, cap2 = 1 << 20, cap3 = 4 << 20;
	unsigned char *b1 = malloc(cap1), *b2 = malloc(cap2), *b3 = malloc(cap3);
	size_t i;

	while ((i = atomic_fetch_add(&next_span, 1)) < nspans) {
		const span *s = &spans[i];
		unsigned char *gz;
		long n;

		if (s->n > cap1) {
			cap1 = s->n;
			b1 = realloc(b1, cap1);
			b2 = realloc(b2, cap1);
			cap2 = cap1;
		}
		n = b64_decode(b1, s->p, s->n);
		if (n < 18) {
			w->failed++;
			continue;
		}
		gz = b1;
		if (b1[0] != 0x1f || b1[1] != 0x8b) {   /* Secret: base64 once more */
			n = b64_decode(b2, b1, (size_t)n);
			gz = b2;
			if (n < 18 || b2[0] != 0x1f || b2[1] != 0x8b) {
				w->failed++;
				continue;
			}
		}
		w->payload_bytes += (uint64_t)n;
		if (base64_only) {
			w->records++;
			continue;
		}
		size_t isize = (size_t)gz[n - 4] | (size_t)gz[n - 3] << 8 | (size_t)gz[n - 2] << 16 |
			       (size_t)gz[n - 1] << 24, got = 0;
		if (isize + 1 > cap3) {
			cap3 = isize + 1;
			b3 = realloc(b3, cap3);
		}
		if (use_zlib) {
			got = gunzip_zlib(&b3, &cap3, gz, (size_t)n);
			if (got == (size_t)-1) {
				w->failed++;
				continue;
			}
		} else if (libdeflate_gzip_decompress(d, gz, (size_t)n, b3, cap3, &got) != LIBDEFLATE_SUCCESS) {
			w->failed++;
			continue;
		}
		w->json_bytes += got;
		w->records++;
#ifdef WITH_CRYPTO
		if (hash_json) {    /* reference: the index keys bodies by sha256 */
			unsigned char md[EVP_MAX_MD_SIZE];
			unsigned int mdlen;

			EVP_Digest(b3, got, md, &mdlen, EVP_sha256(), NULL);
			w->checksum ^= md[0];
		}
#endif
#ifdef WITH_JSONC
		if (parse_json) {   /* reference cost of a full json-c tree, not part of the floor */
			struct json_tokener *tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
			struct json_object *o = json_tokener_parse_ex(tok, (const char *)b3, (int)got);

			if (!o)
				w->failed++;
			json_object_put(o);
			json_tokener_free(tok);
		}
#endif
	}
	free(b1);
	free(b2);
	free(b3);
	libdeflate_free_decompressor(d);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = 1, i;
	struct timespec t0, t1, ts;
	worker *ws;
	uint64_t rec = 0, fail = 0, pb = 0, jb = 0, in = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	b64_init();
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-j") && i + 1 < argc)
			threads = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--zlib"))
			use_zlib = 1;
		else if (!strcmp(argv[i], "--base64-only"))
			base64_only = 1;
#ifdef WITH_JSONC
		else if (!strcmp(argv[i], "--json-c"))
			parse_json = 1;
#endif
#ifdef WITH_CRYPTO
		else if (!strcmp(argv[i], "--sha256"))
			hash_json = 1;
#endif
		else
			break;
	}
	if (i == argc || threads < 1) {
		fprintf(stderr, "usage: floor [-j THREADS] [--zlib | --base64-only] [--json-c] [--sha256] FILE...\n");
		return 2;
	}
	for (; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		struct stat st;
		void *m;

		if (fd < 0 || fstat(fd, &st) < 0) {
			perror(argv[i]);
			return 1;
		}
		if (!st.st_size) {
			close(fd);
			continue;
		}
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			perror(argv[i]);
			return 1;
		}
		madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
		find_spans(m, (size_t)st.st_size);
		in += (uint64_t)st.st_size;
		close(fd);
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ws = calloc((size_t)threads, sizeof(*ws));
	for (i = 0; i < threads; i++)
		pthread_create(&ws[i].th, NULL, work, &ws[i]);
	for (i = 0; i < threads; i++) {
		pthread_join(ws[i].th, NULL);
		rec += ws[i].records;
		fail += ws[i].failed;
		pb += ws[i].payload_bytes;
		jb += ws[i].json_bytes;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("{\"records\": %llu, \"failed\": %llu, \"input_bytes\": %llu, \"gzip_bytes\": %llu, "
	       "\"json_bytes\": %llu, \"threads\": %d, \"inflate\": \"%s\", \"json_c\": %d, \"sha256\": %d, \"find_seconds\": %.3f, "
	       "\"seconds\": %.3f}\n",
	       (unsigned long long)rec, (unsigned long long)fail, (unsigned long long)in,
	       (unsigned long long)pb, (unsigned long long)jb, threads, base64_only ? "none" : use_zlib ? "zlib" : "libdeflate", parse_json, hash_json,
	       (double)(ts.tv_sec - t0.tv_sec) + (double)(ts.tv_nsec - t0.tv_nsec) / 1e9,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(ws);
	return fail ? 1 : 0;
}
