/*
 * test_datastore_util.h — helpers shared by the etcd, kine and bbolt tests
 * (static functions; included by one test program each): run a datastore
 * reader to the end collecting records and skip messages, read the
 * corpus's expected.json, hash payloads, and copy/patch corpus files into a
 * temporary directory for hostile-input tests.
 */
#ifndef HR_TEST_DATASTORE_UTIL_H
#define HR_TEST_DATASTORE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <openssl/evp.h>
#include "sources/reader.h"
#include "testutil.h"

#define DS_DIR "testdata/corpus/datastores/"

typedef struct ds_run {
	hr_record **rec;
	size_t nrec;
	char **skips;            /* HR_ESKIP messages */
	size_t nskips;
	hr_source_stats stats;
	int open_rc;             /* result of the open call */
	int end_rc;              /* 0 at a clean end, else the fatal code */
	hr_error err;            /* open or fatal error */
} ds_run;

typedef int (*ds_open_fn)(hr_reader *, const char *, const hr_source_opts *, hr_source_stats *, hr_error *);

/* Run a reader to the end; at most 10000 steps so that a loop cannot hang the test. */
static __attribute__((unused)) void ds_collect(ds_run *run, ds_open_fn open_fn, const char *path, const hr_source_opts *opts)
{
	hr_source_opts none = { 0 };
	hr_reader r;
	hr_record *rec;
	int rc;

	memset(run, 0, sizeof(*run));
	run->open_rc = open_fn(&r, path, opts ? opts : &none, &run->stats, &run->err);
	if (run->open_rc < 0)
		return;
	for (int steps = 0; steps < 10000; steps++) {
		hr_error e = HR_ERROR_INIT;
		rc = r.next(r.state, &rec, &e);
		if (rc == 0)
			break;
		if (rc == HR_ESKIP) {
			run->skips = realloc(run->skips, (run->nskips + 1) * sizeof(char *));
			run->skips[run->nskips++] = strdup(e.msg);
			continue;
		}
		if (rc < 0) {
			run->end_rc = rc;
			run->err = e;
			break;
		}
		run->rec = realloc(run->rec, (run->nrec + 1) * sizeof(*run->rec));
		run->rec[run->nrec++] = rec;
	}
	r.close(r.state);
}

static __attribute__((unused)) void ds_run_free(ds_run *run)
{
	for (size_t i = 0; i < run->nrec; i++)
		hr_record_free(run->rec[i]);
	for (size_t i = 0; i < run->nskips; i++)
		free(run->skips[i]);
	free(run->rec);
	free(run->skips);
}

static __attribute__((unused)) void ds_sha256_hex(const void *p, size_t n, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int ml = 0;

	EVP_Digest(p, n, md, &ml, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
	hex[64] = 0;
}

/*
 * sha256 of the Helm string a record carries: the payload itself for
 * HR_PAYLOAD_HELM, its base64 decoding for HR_PAYLOAD_K8S_B64.
 */
static __attribute__((unused)) void ds_helm_sha(const hr_record *r, char hex[65])
{
	if (r->form == HR_PAYLOAD_K8S_B64) {
		unsigned char *out = malloc(r->payload_len + 4);
		int n = EVP_DecodeBlock(out, (const unsigned char *)r->payload, (int)r->payload_len);
		size_t len = n < 0 ? 0 : (size_t)n;
		for (size_t i = r->payload_len; i > 0 && r->payload[i - 1] == '=' && len > 0; i--)
			len--;
		ds_sha256_hex(out, len, hex);
		free(out);
	} else {
		ds_sha256_hex(r->payload, r->payload_len, hex);
	}
}

static __attribute__((unused)) struct json_object *ds_expected(const char *variant)
{
	char path[256];

	snprintf(path, sizeof(path), DS_DIR "%s/expected.json", variant);
	return json_object_from_file(path);
}

static __attribute__((unused)) struct json_object *ds_get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!o || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static __attribute__((unused)) const char *ds_str(struct json_object *o, const char *key)
{
	struct json_object *v = ds_get(o, key);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static __attribute__((unused)) int64_t ds_int(struct json_object *o, const char *key)
{
	struct json_object *v = ds_get(o, key);
	return v ? json_object_get_int64(v) : 0;
}

/* The record at revision `rev` for object ns/name, or NULL. */
static __attribute__((unused)) const hr_record *ds_find(const ds_run *run, const char *ns, const char *name, int64_t rev)
{
	for (size_t i = 0; i < run->nrec; i++) {
		const hr_record *r = run->rec[i];
		if (r->ds_revision == rev && !strcmp(r->namespace, ns) && !strcmp(r->name, name))
			return r;
	}
	return NULL;
}

/* Copy a corpus file into a fresh temp dir; returns the copy's path (static). */
static __attribute__((unused)) const char *ds_copy(const char *src, const char *name, hr_buf *content)
{
	static char path[512];

	hr_buf_clear(content);
	if (tu_read_file(content, src) < 0)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", tu_tmpdir(), name);
	return path;
}

static __attribute__((unused)) void ds_put_le(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static __attribute__((unused)) int ds_any_skip_contains(const ds_run *run, const char *needle)
{
	for (size_t i = 0; i < run->nskips; i++)
		if (strstr(run->skips[i], needle))
			return 1;
	return 0;
}

#endif
