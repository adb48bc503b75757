/*
 * test_datastore_util.h — helpers shared by the etcd, kine and bbolt tests
 * (static functions; included by one test program each): run a datastore
 * reader to the end (testutil's tu_drain), read the corpus's expected.json,
 * and copy/patch corpus files into a temporary directory for hostile-input
 * tests.  Hashing is testutil's tu_helm_sha256 / the library's hr_sha256_hex.
 */
#ifndef HR_TEST_DATASTORE_UTIL_H
#define HR_TEST_DATASTORE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "codec/codec.h"
#include "sources/reader.h"
#include "testutil.h"

#define DS_DIR "testdata/corpus/datastores/"

typedef int (*ds_open_fn)(hr_reader *, const char *, const hr_source_opts *, hr_source_stats *, hr_error *);

/* Run a datastore reader on `path` to the end (see tu_drain_reader). */
static __attribute__((unused)) void ds_collect(tu_drain *run, ds_open_fn open_fn, const char *path, const hr_source_opts *opts)
{
	hr_source_opts none = { 0 };
	hr_reader r;

	tu_drain_init(run);
	tu_drain_reader(run, open_fn(&r, path, opts ? opts : &none, &run->stats, &run->err), &r);
}

static __attribute__((unused)) struct json_object *ds_expected(const char *variant)
{
	char path[256];

	snprintf(path, sizeof(path), DS_DIR "%s/expected.json", variant);
	return tu_load_json(path);
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
static __attribute__((unused)) const hr_record *ds_find(const tu_drain *run, const char *ns, const char *name, int64_t rev)
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

static __attribute__((unused)) int ds_any_skip_contains(const tu_drain *run, const char *needle)
{
	for (size_t i = 0; i < run->nskips; i++)
		if (strstr(run->skips[i], needle))
			return 1;
	return 0;
}

#endif
