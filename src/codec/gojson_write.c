/*
 * gojson_write.c — write json-c trees as Go's encoding/json (json.Marshal)
 * does, so that a parsed Helm release re-encodes to the same bytes.
 *
 * Strings follow encoding/json's appendString: runs of safe ASCII and valid
 * UTF-8 are copied; '"' and '\\' get a backslash; \n \r \t (and \b \f since
 * Go 1.22) short escapes; other bytes below 0x20, and < > & unless HTML
 * escaping is off, become \u00xx with lower-case hex; U+2028 and U+2029 are
 * always escaped; each byte that does not start a valid UTF-8 sequence (as
 * Go's utf8.DecodeRune judges it: no overlongs, no surrogates, <= U+10FFFF)
 * becomes the six characters \ufffd.
 *
 * Floats follow encoding/json's floatEncoder (util/gostrconv's
 * hr_go_json_float); UTF-8 is judged by util/goutf8.
 */
#include "codec/gojson.h"
#include "util/gostrconv.h"
#include "util/goutf8.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char hexdig[] = "0123456789abcdef";

/* 1 = copy as is; for ASCII only.  Index 0: HTML escaping on, 1: off. */
static unsigned char safe_tab[2][128];
static pthread_once_t safe_once = PTHREAD_ONCE_INIT;

static void init_safe(void)
{
	int c;

	for (c = 0; c < 128; c++) {
		int ok = c >= 0x20 && c != '"' && c != '\\';

		safe_tab[1][c] = (unsigned char)ok;
		safe_tab[0][c] = (unsigned char)(ok && c != '<' && c != '>' && c != '&');
	}
}

int hr_gojson_write_string(hr_buf *out, const char *str, size_t len, unsigned flags)
{
	const unsigned char *s = (const unsigned char *)str;
	const unsigned char *safe;
	size_t i = 0, start = 0;
	char esc[6];
	int rc;

	pthread_once(&safe_once, init_safe);
	safe = safe_tab[(flags & HR_GOJSON_NO_HTML_ESCAPE) ? 1 : 0];
	/* most strings need no escaping: reserve once */
	rc = hr_buf_grow(out, len + 2);
	if (rc)
		return rc;
	out->ptr[out->len++] = '"';
	while (i < len) {
		unsigned char b = s[i];
		size_t elen = 0;

		if (b < 0x80) {
			if (safe[b]) {
				i++;
				continue;
			}
			esc[0] = '\\';
			switch (b) {
			case '"': case '\\': esc[1] = (char)b; elen = 2; break;
			case '\n': esc[1] = 'n'; elen = 2; break;
			case '\r': esc[1] = 'r'; elen = 2; break;
			case '\t': esc[1] = 't'; elen = 2; break;
			case '\b':
			case '\f':
				if (!(flags & HR_GOJSON_GO_PRE122)) {
					esc[1] = b == '\b' ? 'b' : 'f';
					elen = 2;
					break;
				}
				/* fall through */
			default:
				memcpy(esc + 1, "u00", 3);
				esc[4] = hexdig[b >> 4];
				esc[5] = hexdig[b & 15];
				elen = 6;
				break;
			}
			rc = hr_buf_put(out, s + start, i - start);
			if (!rc)
				rc = hr_buf_put(out, esc, elen);
			if (rc)
				return rc;
			i++;
			start = i;
			continue;
		}
		uint32_t cp = 0;
		size_t n = hr_goutf8_valid_len(s + i, len - i, &cp);

		if (n && cp != 0x2028 && cp != 0x2029) {
			i += n;
			continue;
		}
		rc = hr_buf_put(out, s + start, i - start);
		if (rc)
			return rc;
		if (n) {
			memcpy(esc, "\\u202", 5);
			esc[5] = hexdig[cp & 15];
			rc = hr_buf_put(out, esc, 6);
			i += n;
		} else {
			rc = hr_buf_put(out, "\\ufffd", 6);
			i++;
		}
		if (rc)
			return rc;
		start = i;
	}
	rc = hr_buf_put(out, s + start, len - start);
	if (!rc)
		rc = hr_buf_putc(out, '"');
	return rc;
}

int hr_gojson_write_float(hr_buf *out, double f)
{
	return hr_go_json_float(out, f);
}

/* Source text kept by the parser for a double, or NULL. */
static const char *number_text(struct json_object *v)
{
	const char *t = json_object_get_userdata(v);

	if (t && (t[0] == '-' || (t[0] >= '0' && t[0] <= '9')))
		return t;
	return NULL;
}

static int write_value(hr_buf *out, struct json_object *v, unsigned flags, int depth)
{
	char num[32];
	int rc, first = 1;

	if (!v)
		return hr_buf_put(out, "null", 4);
	switch (json_object_get_type(v)) {
	case json_type_null:
		return hr_buf_put(out, "null", 4);
	case json_type_boolean:
		return json_object_get_boolean(v) ? hr_buf_put(out, "true", 4)
						  : hr_buf_put(out, "false", 5);
	case json_type_int: {
		int64_t i = json_object_get_int64(v);

		if (i == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX)
			snprintf(num, sizeof(num), "%llu",
				 (unsigned long long)json_object_get_uint64(v));
		else
			snprintf(num, sizeof(num), "%lld", (long long)i);
		return hr_buf_puts(out, num);
	}
	case json_type_double: {
		const char *t = number_text(v);

		return t ? hr_buf_puts(out, t) : hr_gojson_write_float(out, json_object_get_double(v));
	}
	case json_type_string:
		return hr_gojson_write_string(out, json_object_get_string(v),
					      (size_t)json_object_get_string_len(v), flags);
	case json_type_array: {
		size_t i, n = json_object_array_length(v);

		if (depth >= HR_GOJSON_MAX_DEPTH)
			return HR_EINVAL;
		rc = hr_buf_putc(out, '[');
		for (i = 0; !rc && i < n; i++) {
			if (i)
				rc = hr_buf_putc(out, ',');
			if (!rc)
				rc = write_value(out, json_object_array_get_idx(v, i), flags, depth + 1);
		}
		return rc ? rc : hr_buf_putc(out, ']');
	}
	case json_type_object:
		if (depth >= HR_GOJSON_MAX_DEPTH)
			return HR_EINVAL;
		rc = hr_buf_putc(out, '{');
		if (rc)
			return rc;
		json_object_object_foreach(v, key, val) {
			if (!first && (rc = hr_buf_putc(out, ',')))
				return rc;
			first = 0;
			rc = hr_gojson_write_string(out, key, strlen(key), flags);
			if (!rc)
				rc = hr_buf_putc(out, ':');
			if (!rc)
				rc = write_value(out, val, flags, depth + 1);
			if (rc)
				return rc;
		}
		return hr_buf_putc(out, '}');
	}
	return HR_EINVAL;
}

int hr_gojson_write(hr_buf *out, struct json_object *v, unsigned flags)
{
	return write_value(out, v, flags, 0);
}

/*
 * Which writer produced `json`, from its escapes: `\u0008`/`\u000c` =
 * Go before 1.22 (Helm <= 3.14), `\b`/`\f` = Go 1.22 and later; a raw
 * `<`, `>` or `&` (json.Marshal always escapes them) = a writer with HTML
 * escaping off.  Backslashes only occur inside strings, so walking escape
 * pairs is exact.  Undecided bodies hold none of these characters, and any
 * dialect writes their bytes the same.
 */
unsigned hr_gojson_dialect(const char *json, size_t len)
{
	unsigned flags = 0;
	int pre = 0, post = 0;

	for (size_t i = 0; i < len; i++) {
		char c = json[i];

		if (c == '<' || c == '>' || c == '&') {
			flags |= HR_GOJSON_NO_HTML_ESCAPE;
		} else if (c == '\\' && i + 1 < len) {
			char e = json[++i];

			if (e == 'b' || e == 'f')
				post = 1;
			else if (e == 'u' && i + 4 < len && !memcmp(json + i + 1, "00", 2) &&
				 json[i + 3] == '0' && (json[i + 4] == '8' || json[i + 4] == 'c'))
				pre = 1;
		}
	}
	if (pre && !post)
		flags |= HR_GOJSON_GO_PRE122;
	return flags;
}
