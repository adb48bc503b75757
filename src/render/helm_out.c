/*
 * helm_out.c — what the Helm-output renderers share: the `-o` format names
 * and the encoders for json/yaml output.  JSON is written as Go's
 * json.Encoder writes it (compact, HTML-escaped strings, one "\n"); the
 * json-c tree's key order is the struct/map order helm would produce (the
 * renderers build it so), and numbers are written as json-c holds them
 * (integers, or the original text of parsed numbers, which helm wrote in
 * Go's own float format).  YAML goes through render/yaml.h (sigs.k8s.io/yaml
 * emulation) when available.
 */
#include "render/helm.h"

#include <string.h>

/* render/yaml.h lands from another branch; until then -o yaml is refused. */
#if defined(__has_include)
#if __has_include("render/yaml.h")
#include "render/yaml.h"
#define HR_HAVE_YAML 1
#endif
#endif

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

/* Decode one UTF-8 sequence as Go does; returns its length, *cp = 0xFFFD if invalid (length 1). */
static size_t utf8_next(const unsigned char *s, size_t len, unsigned long *cp)
{
	unsigned char b = s[0], lo = 0x80, hi = 0xBF;
	size_t n;

	*cp = 0xFFFD;
	if (b >= 0xC2 && b <= 0xDF)
		n = 2;
	else if (b >= 0xE0 && b <= 0xEF)
		n = 3;
	else if (b >= 0xF0 && b <= 0xF4)
		n = 4;
	else
		return 1;
	if (b == 0xE0)
		lo = 0xA0;
	else if (b == 0xED)
		hi = 0x9F;
	else if (b == 0xF0)
		lo = 0x90;
	else if (b == 0xF4)
		hi = 0x8F;
	if (len < n || s[1] < lo || s[1] > hi)
		return 1;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 1;
	if (n == 2)
		*cp = ((unsigned long)(b & 0x1F) << 6) | (s[1] & 0x3F);
	else if (n == 3)
		*cp = ((unsigned long)(b & 0x0F) << 12) | ((unsigned long)(s[1] & 0x3F) << 6) |
		      (s[2] & 0x3F);
	else
		*cp = ((unsigned long)(b & 0x07) << 18) | ((unsigned long)(s[1] & 0x3F) << 12) |
		      ((unsigned long)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
	return n;
}

int hr_render__json_string(hr_buf *out, const char *str, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, start = 0;
	int rc;

	if ((rc = hr_buf_putc(out, '"')))
		return rc;
	while (i < len) {
		unsigned char c = s[i];
		char esc[8];
		const char *rep = NULL;
		size_t n = 1;
		unsigned long cp;

		if (c >= 0x80) {
			n = utf8_next(s + i, len - i, &cp);
			if (cp == 0xFFFD && n == 1)
				rep = "\\ufffd";
			else if (cp == 0x2028)
				rep = "\\u2028";
			else if (cp == 0x2029)
				rep = "\\u2029";
		} else if (c == '"') {
			rep = "\\\"";
		} else if (c == '\\') {
			rep = "\\\\";
		} else if (c == '\n') {
			rep = "\\n";
		} else if (c == '\r') {
			rep = "\\r";
		} else if (c == '\t') {
			rep = "\\t";
		} else if (c == '\b') {
			rep = "\\b";
		} else if (c == '\f') {
			rep = "\\f";
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			esc[6] = 0;
			rep = esc;
		}
		if (rep) {
			if ((rc = hr_buf_put(out, str + start, i - start)) || (rc = hr_buf_puts(out, rep)))
				return rc;
			start = i + n;
		}
		i += n;
	}
	if ((rc = hr_buf_put(out, str + start, len - start)))
		return rc;
	return hr_buf_putc(out, '"');
}

static int json_write(hr_buf *out, struct json_object *v)
{
	int rc = 0;

	switch (json_object_get_type(v)) {
	case json_type_null:
		return hr_buf_puts(out, "null");
	case json_type_boolean:
		return hr_buf_puts(out, json_object_get_boolean(v) ? "true" : "false");
	case json_type_int:
	case json_type_double:
		/* json-c writes parsed numbers with their original text */
		return hr_buf_puts(out, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	case json_type_string:
		return hr_render__json_string(out, json_object_get_string(v),
					      (size_t)json_object_get_string_len(v));
	case json_type_array: {
		size_t n = json_object_array_length(v);
		if ((rc = hr_buf_putc(out, '[')))
			return rc;
		for (size_t i = 0; i < n; i++) {
			if (i && (rc = hr_buf_putc(out, ',')))
				return rc;
			if ((rc = json_write(out, json_object_array_get_idx(v, i))))
				return rc;
		}
		return hr_buf_putc(out, ']');
	}
	case json_type_object: {
		int first = 1;
		if ((rc = hr_buf_putc(out, '{')))
			return rc;
		json_object_object_foreach(v, key, val) {
			if (!first && (rc = hr_buf_putc(out, ',')))
				return rc;
			first = 0;
			if ((rc = hr_render__json_string(out, key, strlen(key))) ||
			    (rc = hr_buf_putc(out, ':')) || (rc = json_write(out, val)))
				return rc;
		}
		return hr_buf_putc(out, '}');
	}
	}
	return 0;
}

int hr_render__encode(hr_buf *out, struct json_object *v, hr_render__fmt fmt, hr_error *err)
{
	int rc;

	if (fmt == HR_RENDER__YAML) {
#ifdef HR_HAVE_YAML
		return hr_yaml_write(out, v, err);
#else
		return hr_error_set(err, HR_EUNSUPPORTED, "yaml output is not available yet");
#endif
	}
	if ((rc = json_write(out, v)) || (rc = hr_buf_putc(out, '\n')))
		return hr_error_set(err, rc, "out of memory writing JSON");
	return 0;
}
