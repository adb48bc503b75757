/*
 * lookup.c — the lookups every single-release command starts with: which
 * namespace a release is in when -n was not given, and loading one
 * revision or a whole history (summary, release tree, labels) out of the
 * index.  Errors are codes and messages; the commands print them.
 */
#include "index/index_int.h"
#include "codec/gojson.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

int hr_index_resolve_ns(hr_index *idx, const char *name, char **ns, hr_error *err)
{
	hr_buf msg = HR_BUF_INIT;
	const char *pick = "default";
	char **list = NULL;
	size_t n = 0;
	int rc, has_default = 0;

	*ns = NULL;
	if ((rc = hr_index_namespaces_of(idx, name, &list, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++)
		has_default |= !strcmp(list[i], "default");
	if (!has_default && n == 1) {
		pick = list[0];
	} else if (!has_default && n > 1) {
		rc = hr_buf_printf(&msg, "release \"%s\" exists in several namespaces (", name);
		for (size_t i = 0; !rc && i < n; i++)
			rc = hr_buf_printf(&msg, "%s%s", i ? ", " : "", list[i]);
		if (!rc)
			rc = hr_buf_puts(&msg, "); pick one with -n");
		rc = rc ? hr_error_set(err, HR_ENOMEM, "out of memory")
			: hr_error_set(err, HR_ECONFLICT, "%s", hr_buf_cstr(&msg));
		goto out;
	}
	if (!(*ns = strdup(pick)))
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
out:
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
	hr_buf_free(&msg);
	return rc;
}

/* Tree and labels of index row r into *rel, *labels; "NS/NAME revision N: " on error. */
static int load_one(hr_index *idx, const hr_rev_summary *r, const char *ns, const char *name, hr_buf *json,
		    struct json_object **rel, struct json_object **labels, hr_error *err)
{
	int rc;

	if ((rc = hr_index_body(idx, r->id, json, err)) || (rc = hr_gojson_parse(rel, json->ptr, json->len, err)) ||
	    (rc = hr_index_labels(idx, r->id, labels, err))) {
		json_object_put(*rel);
		*rel = NULL;
		return hr_error_prefix(err, rc, "%s/%s revision %lld: ", ns, name, (long long)r->version);
	}
	return 0;
}

int hr_index_load_revision(hr_index *idx, const char *ns, const char *name, int64_t version, unsigned flags,
			   struct json_object **rel, struct json_object **labels, hr_error *err)
{
	hr_rev_summary *rows = NULL, *pick = NULL;
	hr_buf json = HR_BUF_INIT;
	size_t n = 0;
	int rc;

	hr_rev_summary by_key = { 0 };
	int keyed = 0;

	*rel = NULL;
	*labels = NULL;
	/* A given revision is an object key to helm, whatever version its body holds. */
	if (version && (rc = hr_index_by_key(idx, ns, name, version, flags, &by_key.id, &keyed, err)))
		return rc;
	if (by_key.id) {
		by_key.version = version;
		rc = load_one(idx, &by_key, ns, name, &json, rel, labels, err);
		hr_buf_free(&json);
		return rc;
	}
	if ((rc = hr_index_history(idx, ns, name, flags, &rows, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++)
		if (version ? rows[i].version == version : (!pick || rows[i].version > pick->version))
			pick = &rows[i];
	if (!pick || keyed)
		rc = hr_error_set(err, HR_ENOTFOUND, "release: not found");
	else
		rc = load_one(idx, pick, ns, name, &json, rel, labels, err);
	hr_buf_free(&json);
	hr_rev_summaries_free(rows, n);
	return rc;
}

int hr_index_load_history(hr_index *idx, const char *ns, const char *name, unsigned flags,
			  hr_revision **out, size_t *nout, hr_error *err)
{
	hr_rev_summary *rows = NULL;
	hr_revision *revs = NULL;
	hr_buf json = HR_BUF_INIT;
	size_t n = 0;
	int rc;

	*out = NULL;
	*nout = 0;
	if ((rc = hr_index_history(idx, ns, name, flags, &rows, &n, err)))
		return rc;
	if (!n) {
		rc = hr_error_set(err, HR_ENOTFOUND, "release: not found");
		goto out;
	}
	if (!(revs = calloc(n, sizeof(*revs)))) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	/* The summaries move into the revisions (their strings with them). */
	for (size_t i = 0; i < n; i++)
		revs[i].sum = rows[i];
	free(rows);
	rows = NULL;
	for (size_t i = 0; i < n && !rc; i++)
		rc = load_one(idx, &revs[i].sum, ns, name, &json, &revs[i].rel, &revs[i].labels, err);
	if (rc) {
		hr_revisions_free(revs, n);
		revs = NULL;
	}
out:
	if (revs) {
		*out = revs;
		*nout = n;
	}
	hr_buf_free(&json);
	hr_rev_summaries_free(rows, rows ? n : 0);
	return rc;
}
