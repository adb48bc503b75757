/*
 * testcorpus.h — corpus helpers shared by the render, model and rollback
 * tests (header-only, static functions): load decoded release JSON of
 * testdata/corpus/decoded/<driver>/<ns>/sh.helm.release.v1.<name>.vN.json
 * and walk testdata/corpus/goldens/index.json.
 */
#ifndef HR_TESTCORPUS_H
#define HR_TESTCORPUS_H

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "testutil.h"

#define CORPUS "testdata/corpus"

static const char *const corpus_versions[] = { "helm-v4.1.4", "helm-v3.17.1" };
static const int corpus_majors[] = { 4, 3 };

static inline struct json_object *corpus_release(const char *driver, const char *ns, const char *name,
					  long version)
{
	char path[1024];

	snprintf(path, sizeof(path), CORPUS "/decoded/%s/%s/sh.helm.release.v1.%s.v%ld.json", driver,
		 ns, name, version);
	return tu_load_json(path);
}

/* All decoded records of one driver (any release), loaded into *out (caller puts each). */
static inline size_t corpus_all_releases(const char *driver, struct json_object ***out)
{
	char pat[512];
	glob_t g;
	size_t n = 0;

	*out = NULL;
	snprintf(pat, sizeof(pat), CORPUS "/decoded/%s/*/*.json", driver);
	if (glob(pat, 0, NULL, &g) != 0)
		return 0;
	*out = calloc(g.gl_pathc + 1, sizeof(**out));
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct json_object *o = tu_load_json(g.gl_pathv[i]);
		if (o)
			(*out)[n++] = o;
	}
	globfree(&g);
	return n;
}

static inline const char *corpus_str(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

/* Golden file text or NULL when absent (caller frees). */
static inline char *corpus_golden(const char *version, const char *dir, const char *file)
{
	char path[1024];
	hr_buf b = HR_BUF_INIT;

	snprintf(path, sizeof(path), CORPUS "/goldens/%s/%s/%s", version, dir, file);
	if (tu_read_file(&b, path) != 0) {
		hr_buf_free(&b);
		return NULL;
	}
	return hr_buf_detach(&b, NULL);
}

/* Report a mismatch with the first differing byte offset (for failing runs). */
static inline int corpus_same(const char *what, const char *got, const char *want)
{
	size_t i = 0;

	if (strcmp(got, want) == 0)
		return 1;
	while (got[i] && got[i] == want[i])
		i++;
	fprintf(stderr, "\nMISMATCH %s at byte %zu\n--- got:\n%s\n--- want:\n%s\n", what, i, got, want);
	return 0;
}

#endif
