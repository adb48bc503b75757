/*
 * getmisc.c — `helm get manifest`, `get hooks`, `get notes` and
 * `get metadata` from a release JSON tree.  Follows helm v4.1.4
 * pkg/cmd/get_{manifest,hooks,notes,metadata}.go + pkg/action/get_metadata.go
 * and their v3.17.1 counterparts in cmd/helm/ and pkg/action/.
 */
#include "render/helm.h"
#include "codec/record_write.h"
#include "model/release.h"

#include <stdlib.h>
#include <string.h>
#include "util/gotime.h"


static int nomem(hr_error *err)
{
	return hr_error_set(err, HR_ENOMEM, "out of memory");
}

int hr_render_get_manifest(hr_buf *out, struct json_object *release, hr_error *err)
{
	if (hr_buf_puts(out, hr_release_member_str(release, "manifest", "")) || hr_buf_putc(out, '\n'))
		return nomem(err);
	return 0;
}

int hr_render_get_hooks(hr_buf *out, struct json_object *release, hr_error *err)
{
	struct json_object *hooks = hr_release_member_type(release, "hooks", json_type_array);
	size_t n = hooks ? json_object_array_length(hooks) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(hooks, i);
		if (hr_buf_printf(out, "---\n# Source: %s\n%s\n", hr_release_member_str(h, "path", ""),
				  hr_release_member_str(h, "manifest", "")))
			return nomem(err);
	}
	return 0;
}

int hr_render_get_notes(hr_buf *out, struct json_object *release, hr_error *err)
{
	const char *notes = hr_release_member_str(hr_release_member_type(release, "info", json_type_object), "notes", "");

	if (*notes && hr_buf_printf(out, "NOTES:\n%s\n", notes))
		return nomem(err);
	return 0;
}

/* ---- get metadata ---- */

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A Go map[string]string as a json-c object with sorted keys (the order
 * json.Marshal and labels.Set.String use); a later duplicate key wins.
 */
static struct json_object *sorted_map(const char **keys, const char **vals, size_t n)
{
	struct json_object *m = json_object_new_object();
	const char **order;

	if (!m)
		return NULL;
	if (!n)
		return m;
	if (!(order = calloc(n, sizeof(*order)))) {
		json_object_put(m);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = keys[i];
	qsort(order, n, sizeof(*order), by_string);
	for (size_t i = 0; i < n; i++) {
		const char *v = NULL;
		struct json_object *s;
		if (i && strcmp(order[i], order[i - 1]) == 0)
			continue;
		for (size_t j = 0; j < n; j++)
			if (strcmp(keys[j], order[i]) == 0)
				v = vals[j];
		if (!(s = json_object_new_string(v ? v : "")) || json_object_object_add(m, order[i], s)) {
			json_object_put(s);
			json_object_put(m);
			free(order);
			return NULL;
		}
	}
	free(order);
	return m;
}

/* k8s labels.Set(m).String(): "k=v" pairs of a sorted map joined with ",". */
static int set_string(hr_buf *b, struct json_object *m)
{
	int first = 1;

	json_object_object_foreach(m, k, v) {
		if (hr_buf_printf(b, "%s%s=%s", first ? "" : ",", k, json_object_get_string(v)))
			return HR_ENOMEM;
		first = 0;
	}
	return 0;
}

/* Go's %q for a string (strconv.Quote), for ASCII control bytes and printable text. */
static void go_quote(hr_buf *b, const char *s)
{
	hr_buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc = NULL;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\a': esc = "\\a"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\v': esc = "\\v"; break;
		}
		if (esc)
			hr_buf_puts(b, esc);
		else if (c < 0x20 || c == 0x7f)
			hr_buf_printf(b, "\\x%02x", c);
		else
			hr_buf_putc(b, (char)c);
	}
	hr_buf_putc(b, '"');
}

static const char *apply_method_text(const char *m, hr_buf *tmp)
{
	if (!*m)
		return "client-side apply (defaulted)";
	if (strcmp(m, "csa") == 0)
		return "client-side apply";
	if (strcmp(m, "ssa") == 0)
		return "server-side apply";
	hr_buf_puts(tmp, "unknown (");
	go_quote(tmp, m);
	hr_buf_putc(tmp, ')');
	return hr_buf_cstr(tmp);
}

int hr_render_get_metadata(hr_buf *out, struct json_object *rel, const hr_label *labels,
			   size_t nlabels, int system_labels, int helm_major, const char *format,
			   hr_error *err)
{
	struct json_object *chart = hr_release_member_type(rel, "chart", json_type_object);
	struct json_object *meta = hr_release_member_type(chart, "metadata", json_type_object);
	struct json_object *info = hr_release_member_type(rel, "info", json_type_object);
	struct json_object *ann_in = hr_release_member_type(meta, "annotations", json_type_object);
	struct json_object *deps = hr_release_member_type(meta, "dependencies", json_type_array);
	struct json_object *ver = hr_release_member_type(rel, "version", json_type_int);
	struct json_object *ann = NULL, *lab = NULL, *tree = NULL;
	const char **keys = NULL, **vals = NULL, **depnames = NULL;
	hr_buf deployed = HR_BUF_INIT, tmp = HR_BUF_INIT;
	hr_render__fmt fmt;
	hr_gotime t;
	size_t n = 0, ndeps = deps ? json_object_array_length(deps) : 0;
	int rc;

	if ((rc = hr_render__parse_format(format, &fmt, err)))
		return rc;
	if (helm_major == 0)
		helm_major = 4;
	if (!meta)
		return hr_error_set(err, HR_EFORMAT, "release %s has no chart metadata",
				    hr_release_member_str(rel, "name", ""));
	if ((rc = hr_gotime_parse(&t, hr_release_member_str(info, "last_deployed", ""), err))) {
		hr_error_prefix(err, rc, "release %s: last_deployed", hr_release_member_str(rel, "name", ""));
		return rc;
	}
	rc = HR_ENOMEM;
	if (hr_gotime_format(&deployed, &t, HR_GOTIME_RFC3339))
		goto nomem;

	/* annotations and labels as sorted maps */
	{
		size_t na = ann_in ? (size_t)json_object_object_length(ann_in) : 0, cap = na > nlabels ? na : nlabels;
		if (cap && (!(keys = calloc(cap, sizeof(*keys))) || !(vals = calloc(cap, sizeof(*vals)))))
			goto nomem;
		if (ann_in) {
			json_object_object_foreach(ann_in, k, v) {
				keys[n] = k;
				vals[n++] = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
			}
		}
		if (!(ann = sorted_map(keys, vals, n)))
			goto nomem;
		n = 0;
		for (size_t i = 0; i < nlabels; i++) {
			if (!system_labels && hr_record_write_is_system_label(labels[i].key))
				continue;
			keys[n] = labels[i].key;
			vals[n++] = labels[i].value;
		}
		if (!(lab = sorted_map(keys, vals, n)))
			goto nomem;
	}

	if (fmt == HR_RENDER__TABLE) {
		if (ndeps && !(depnames = calloc(ndeps, sizeof(*depnames))))
			goto nomem;
		for (size_t i = 0; i < ndeps; i++)
			depnames[i] = hr_release_member_str(json_object_array_get_idx(deps, i), "name", "");
		if (ndeps)
			qsort(depnames, ndeps, sizeof(*depnames), by_string);
		if (hr_buf_printf(out, "NAME: %s\nCHART: %s\nVERSION: %s\nAPP_VERSION: %s\nANNOTATIONS: ",
				  hr_release_member_str(rel, "name", ""), hr_release_member_str(meta, "name", ""),
				  hr_release_member_str(meta, "version", ""), hr_release_member_str(meta, "appVersion", "")) ||
		    set_string(out, ann) || hr_buf_putc(out, '\n'))
			goto nomem;
		if (helm_major >= 4 &&
		    (hr_buf_puts(out, "LABELS: ") || set_string(out, lab) || hr_buf_putc(out, '\n')))
			goto nomem;
		if (hr_buf_puts(out, "DEPENDENCIES: "))
			goto nomem;
		for (size_t i = 0; i < ndeps; i++)
			if (hr_buf_printf(out, "%s%s", i ? "," : "", depnames[i]))
				goto nomem;
		if (hr_buf_printf(out, "\nNAMESPACE: %s\nREVISION: %lld\nSTATUS: %s\nDEPLOYED_AT: %s\n",
				  hr_release_member_str(rel, "namespace", ""), ver ? (long long)json_object_get_int64(ver) : 0LL,
				  hr_release_member_str(info, "status", ""), hr_buf_cstr(&deployed)))
			goto nomem;
		if (helm_major >= 4 && hr_buf_printf(out, "APPLY_METHOD: %s\n",
						     apply_method_text(hr_release_member_str(rel, "apply_method", ""), &tmp)))
			goto nomem;
		rc = 0;
		goto done;
	}

	if (!(tree = json_object_new_object()) ||
	    hr_release_add(tree, "name", json_object_new_string(hr_release_member_str(rel, "name", ""))) ||
	    hr_release_add(tree, "chart", json_object_new_string(hr_release_member_str(meta, "name", ""))) ||
	    hr_release_add(tree, "version", json_object_new_string(hr_release_member_str(meta, "version", ""))) ||
	    hr_release_add(tree, "appVersion", json_object_new_string(hr_release_member_str(meta, "appVersion", ""))))
		goto nomem;
	if (json_object_object_length(ann)) {
		if (hr_release_add(tree, "annotations", ann))
			goto nomem;
		ann = NULL;
	}
	if (helm_major >= 4 && json_object_object_length(lab)) {
		if (hr_release_add(tree, "labels", lab))
			goto nomem;
		lab = NULL;
	}
	if (ndeps && hr_release_add(tree, "dependencies", json_object_get(deps)))
		goto nomem;
	if (hr_release_add(tree, "namespace", json_object_new_string(hr_release_member_str(rel, "namespace", ""))) ||
	    hr_release_add(tree, "revision", json_object_new_int64(ver ? json_object_get_int64(ver) : 0)) ||
	    hr_release_add(tree, "status", json_object_new_string(hr_release_member_str(info, "status", ""))) ||
	    hr_release_add(tree, "deployedAt", json_object_new_string(hr_buf_cstr(&deployed))))
		goto nomem;
	if (helm_major >= 4 && *hr_release_member_str(rel, "apply_method", "") &&
	    hr_release_add(tree, "applyMethod", json_object_new_string(hr_release_member_str(rel, "apply_method", ""))))
		goto nomem;
	rc = hr_render__encode(out, tree, fmt, err);
	goto done;
nomem:
	rc = nomem(err);
done:
	json_object_put(tree);
	json_object_put(ann);
	json_object_put(lab);
	free(keys);
	free(vals);
	free(depnames);
	hr_buf_free(&deployed);
	hr_buf_free(&tmp);
	return rc;
}
