/*
 * manifest.c — find, and on request rewrite, the `metadata.namespace` of
 * the objects in a release manifest (helm's rendered YAML: documents
 * separated by `---`, each a mapping with `metadata:` at column 0).
 *
 * Only the direct child `namespace:` of a top-level `metadata:` mapping is
 * touched, and only when its value (plain, 'single' or "double" quoted) is
 * exactly the old namespace; the quoting style, indentation, comments and
 * every other byte are kept.  References elsewhere (a RoleBinding's
 * subjects, a ConfigMap value, an annotation) are left alone: they are
 * data, not where the object lives.  This is line-based on purpose: helm's
 * templates render block-style YAML, and a flow-style `metadata: {...}` is
 * simply not matched (so never corrupted).
 */
#include "export/export.h"

#include <string.h>

/*
 * The value of `namespace: VALUE` (the text after the key), without quotes,
 * as [*v, *v + *vl).  An unterminated quote yields an empty value.
 */
static void scalar_value(const char *s, size_t len, const char **v, size_t *vl)
{
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	if (len && (*s == '"' || *s == '\'')) {
		const char *end = memchr(s + 1, *s, len - 1);
		*v = s + 1;
		*vl = end ? (size_t)(end - s - 1) : 0;
		return;
	}
	/* A plain scalar: drop a trailing comment and trailing blanks. */
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == ' ' && s[i + 1] == '#') {
			len = i;
			break;
		}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	*v = s;
	*vl = len;
}

int hr_export_manifest_ns(hr_buf *out, const char *manifest, const char *old_ns, const char *new_ns,
			  size_t *count)
{
	const char *p = manifest ? manifest : "";
	size_t oldlen = strlen(old_ns);
	int in_meta = 0;
	long child = -1;

	*count = 0;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p), ind = 0;
		const char *line = p;
		int replaced = 0;

		while (ind < len && line[ind] == ' ')
			ind++;
		if (len >= 3 && !strncmp(line, "---", 3)) {
			in_meta = 0;
		} else if (ind == 0 && len && line[0] != '#') {
			size_t k = len;
			while (k && (line[k - 1] == ' ' || line[k - 1] == '\r'))
				k--;
			in_meta = k == 9 && !strncmp(line, "metadata:", 9);
			child = -1;
		} else if (in_meta && ind < len && line[ind] != '#') {
			if (child < 0)
				child = (long)ind;
			if ((long)ind == child && len - ind > 10 && !strncmp(line + ind, "namespace:", 10)) {
				const char *v;
				size_t vl;

				scalar_value(line + ind + 10, len - ind - 10, &v, &vl);
				if (vl == oldlen && !memcmp(v, old_ns, oldlen)) {
					(*count)++;
					if (out) {
						int rc = hr_buf_put(out, line, (size_t)(v - line)) ||
							 hr_buf_puts(out, new_ns) ||
							 hr_buf_put(out, v + vl, len - (size_t)(v + vl - line));
						if (rc)
							return HR_ENOMEM;
					}
					replaced = 1;
				}
			}
		}
		if (out && !replaced && hr_buf_put(out, line, len))
			return HR_ENOMEM;
		if (out && eol && hr_buf_putc(out, '\n'))
			return HR_ENOMEM;
		p = eol ? eol + 1 : p + len;
	}
	return 0;
}
