/*
 * helm_out.c — what the Helm-output renderers share: the `-o` format names
 * and the encoders for json/yaml output.  JSON is written as Go's
 * json.Encoder writes it (compact, HTML-escaped strings, one "\n"); the
 * json-c tree's key order is the struct/map order helm would produce (the
 * renderers build it so), and numbers are written as json-c holds them
 * (integers, or the original text of parsed numbers, which helm wrote in
 * Go's own float format).  YAML goes through render/yaml.h (sigs.k8s.io/yaml
 * emulation).
 */
#include "render/helm.h"

#include <string.h>

#include "codec/gojson.h"
#include "render/table.h"
#include "render/yaml.h"

int hr_render__parse_format(const char *format, hr_render__fmt *out, hr_error *err)
{
	if (!format || !*format || strcmp(format, "table") == 0)
		*out = HR_RENDER__TABLE;
	else if (strcmp(format, "json") == 0)
		*out = HR_RENDER__JSON;
	else if (strcmp(format, "yaml") == 0)
		*out = HR_RENDER__YAML;
	else
		return hr_error_set(err, HR_EINVAL, "invalid format type \"%s\"", format);
	return 0;
}

int hr_render__encode(hr_buf *out, struct json_object *v, hr_render__fmt fmt, hr_error *err)
{
	int rc;

	if (fmt == HR_RENDER__YAML)
		return hr_yaml_write(out, v, err);
	if ((rc = hr_gojson_write(out, v, 0)) || (rc = hr_buf_putc(out, '\n')))
		return hr_error_set(err, rc, "out of memory writing JSON");
	return 0;
}

int hr_render__items(hr_buf *out, hr_render__fmt fmt, size_t n, hr_render__item_fn item, const void *ctx,
		     const char *what, hr_error *err)
{
	struct json_object *arr = json_object_new_array(), *v = NULL;
	hr_buf scratch = HR_BUF_INIT;
	int rc = arr ? 0 : HR_ENOMEM;

	for (size_t i = 0; !rc && i < n; i++) {
		hr_buf_clear(&scratch);
		if (!(rc = item(ctx, i, &v, &scratch, err)) && json_object_array_add(arr, v)) {
			json_object_put(v);
			rc = HR_ENOMEM;
		}
	}
	if (rc == HR_ENOMEM)
		hr_error_set(err, rc, "out of memory rendering %s", what);
	else if (!rc)
		rc = hr_render__encode(out, arr, fmt, err);
	json_object_put(arr);
	hr_buf_free(&scratch);
	return rc;
}

int hr_render__table(hr_buf *out, const char *const *head, size_t ncols, size_t n, hr_render__row_fn row,
		     const void *ctx, const char *what, hr_error *err)
{
	hr_buf scratch[3] = { HR_BUF_INIT, HR_BUF_INIT, HR_BUF_INIT };
	const char *cells[8];
	hr_table *t = NULL;
	int rc;

	if (ncols > 8)
		return hr_error_set(err, HR_EINVAL, "table of %zu columns", ncols);
	if ((rc = hr_table_new(&t)) || (head && (rc = hr_table_add_row(t, ncols, head))))
		goto out;
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < 3; k++)
			hr_buf_clear(&scratch[k]);
		if ((rc = row(ctx, i, cells, scratch, err)) || (rc = hr_table_add_row(t, ncols, cells)))
			goto out;
	}
	rc = hr_table_write(out, t);
out:
	if (rc == HR_ENOMEM)
		hr_error_set(err, rc, "out of memory rendering %s", what);
	hr_table_free(t);
	for (int k = 0; k < 3; k++)
		hr_buf_free(&scratch[k]);
	return rc;
}

const char *hr_render__status_escape(const char *s)
{
	if (!strcmp(s, "deployed"))
		return "\033[32m";
	if (!strcmp(s, "failed") || !strcmp(s, "unknown"))
		return "\033[31m";
	if (!strncmp(s, "pending-", 8) || !strcmp(s, "uninstalling"))
		return "\033[33m";
	return "";
}
