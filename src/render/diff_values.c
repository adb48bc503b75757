/*
 * diff_values.c — the user-supplied values of a revision as the sorted
 * "path: JSON" lines that `helmrec diff` compares, with credential values
 * (the audit's test, hr_audit_credential_kind) masked the way Secret data
 * is: "REDACTED # (N bytes)" when the other side holds the same value, else
 * the side's mark ("--------" / "++++++++"), so a rotated password still
 * shows as a change without its text.
 */
#include "render/diff.h"
#include "audit/audit.h"
#include "codec/gojson.h"
#include "util/termsafe.h"

#include <stdlib.h>
#include <string.h>

static int flatten(hr_buf *out, struct json_object *v, struct json_object *other, const char *key, hr_buf *path,
		   const char *mark, int mask)
{
	size_t base = path->len;
	int rc = 0;

	if (v && json_object_is_type(v, json_type_object) && json_object_object_length(v)) {
		size_t n = (size_t)json_object_object_length(v), i = 0;
		const char **keys = calloc(n, sizeof(*keys));

		if (!keys)
			return HR_ENOMEM;
		{
			json_object_object_foreach(v, k, x) {
				(void)x;
				keys[i++] = k;
			}
		}
		for (size_t a = 1; a < n; a++)
			for (size_t b = a; b > 0 && strcmp(keys[b], keys[b - 1]) < 0; b--) {
				const char *t = keys[b];

				keys[b] = keys[b - 1];
				keys[b - 1] = t;
			}
		for (i = 0; i < n && !rc; i++) {
			struct json_object *x = NULL, *ox = NULL;

			json_object_object_get_ex(v, keys[i], &x);
			if (other && json_object_is_type(other, json_type_object))
				json_object_object_get_ex(other, keys[i], &ox);
			rc = hr_buf_printf(path, "%s%s", base ? "." : "", keys[i]);
			rc = rc ? rc : flatten(out, x, ox, keys[i], path, mark, mask);
			hr_buf_truncate(path, base);
		}
		free(keys);
		return rc;
	}
	if (v && json_object_is_type(v, json_type_array) && json_object_array_length(v)) {
		size_t on = other && json_object_is_type(other, json_type_array) ? json_object_array_length(other) : 0;

		for (size_t i = 0; i < json_object_array_length(v) && !rc; i++) {
			rc = hr_buf_printf(path, "[%zu]", i);
			rc = rc ? rc : flatten(out, json_object_array_get_idx(v, i),
					       i < on ? json_object_array_get_idx(other, i) : NULL, key, path, mark, mask);
			hr_buf_truncate(path, base);
		}
		return rc;
	}
	rc = hr_buf_printf(out, "%s: ", base ? path->ptr : "(root)");
	if (!rc && mask && key && hr_audit_credential_kind(key, v)) {
		int same = other && json_object_equal(v, other);

		rc = hr_buf_printf(out, "\"%s # (%zu bytes)\"", same ? "REDACTED" : mark,
				   strlen(json_object_get_string(v)));
	} else if (!rc) {
		rc = hr_gojson_write(out, v, HR_GOJSON_NO_HTML_ESCAPE);
	}
	return rc ? rc : hr_buf_putc(out, '\n');
}

int hr_diff_values_lines(hr_buf *out, struct json_object *cfg, struct json_object *other, const char *mark,
			 unsigned flags)
{
	hr_buf path = HR_BUF_INIT, lines = HR_BUF_INIT;
	int rc = 0;

	if (cfg && json_object_is_type(cfg, json_type_object) && json_object_object_length(cfg))
		rc = flatten(&lines, cfg, other, NULL, &path, mark, !(flags & HR_DIFF_SHOW_SECRETS));
	/* keys and values come from the inputs: terminal controls made visible (util/termsafe.h) */
	if (!rc && lines.len)
		rc = hr_termsafe_put(out, lines.ptr, lines.len);
	hr_buf_free(&path);
	hr_buf_free(&lines);
	return rc;
}
