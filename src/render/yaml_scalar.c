/*
 * yaml_scalar.c — what Helm's JSON-then-YAML round trip does to scalars.
 *
 * sigs.k8s.io/yaml.Marshal writes the value as JSON and lets go-yaml v2
 * read that JSON back before printing it.  This file answers the three
 * questions the emitter (yaml.c) asks about each scalar:
 *
 *  - which text does a float64 number print as (encoding/json's text,
 *    resolved by go-yaml to an int or a float, printed by strconv);
 *  - which string does go-yaml actually hold (invalid UTF-8 replaced by
 *    encoding/json; raw NEL folded and control characters refused by
 *    go-yaml's reader and scanner);
 *  - would the string, written plain, read back as a string (go-yaml's
 *    resolve(): YAML 1.1 booleans and nulls, Go integer and float syntax,
 *    timestamps, base-60 numbers)?
 *
 * Upstream references: go-yaml v2.4 encode.go; Go's strconv, unicode/utf8
 * and go-yaml's resolve() are util/gostrconv, util/goutf8 and util/yaml11.
 */
#include "render/yaml_int.h"
#include "util/error.h"
#include "util/gostrconv.h"
#include "util/goutf8.h"
#include "util/yaml11.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- numbers ---------------------------------------------------------- */

/* Does the decimal text (no sign) fit below or at the limit text? */
static int fits(const char *t, size_t n, const char *limit)
{
	size_t ln = strlen(limit);

	if (n != ln)
		return n < ln;
	return memcmp(t, limit, n) <= 0;
}

/*
 * The scalar go-yaml prints for a float64 that went through encoding/json:
 * integral text fitting int64 or uint64 resolves to an int and prints as
 * is, anything else resolves to a float.
 */
int hr_yaml__number_text(hr_buf *out, double d, hr_error *err)
{
	hr_buf t = HR_BUF_INIT;
	const char *s;
	size_t n;
	int rc, neg;

	rc = hr_go_json_float(&t, d);
	if (rc == HR_EINVAL) {
		rc = hr_error_set(err, HR_EINVAL, "json: unsupported value: %g", d);
		goto done;
	}
	if (rc)
		goto done;
	s = t.ptr;
	n = t.len;
	if (!strpbrk(s, ".e")) {
		neg = s[0] == '-';
		if (neg ? fits(s + 1, n - 1, "9223372036854775808")
			: fits(s, n, "18446744073709551615")) {
			rc = hr_buf_puts(out, strcmp(s, "-0") ? s : "0");
			goto done;
		}
	}
	rc = hr_go_format_float(out, d, 'g', 64);
done:
	hr_buf_free(&t);
	return rc;
}

/* ---- strings after the JSON round trip --------------------------------- */

static int is_nel(const unsigned char *p, size_t n, size_t i)
{
	return i + 1 < n && p[i] == 0xC2 && p[i + 1] == 0x85;
}

/*
 * The string go-yaml reads back from encoding/json's text of `s`: invalid
 * UTF-8 -> U+FFFD; characters the YAML reader refuses -> error; raw NEL
 * (U+0085, which encoding/json leaves unescaped) is a line break to the YAML
 * scanner, so spaces before it vanish, spaces after it are skipped, one
 * break folds to a space and n > 1 breaks to n-1 newlines.  A break followed
 * by "---" or "..." and a blank is a document marker: error.
 */
int hr_yaml__roundtrip_string(hr_buf *out, const char *s, size_t len, hr_error *err)
{
	hr_buf v = HR_BUF_INIT;
	const unsigned char *p;
	size_t i, n, w;
	uint32_t cp;
	int rc, has_nel = 0;

	rc = hr_goutf8_put_fixed(&v, s, len);
	if (rc)
		goto done;
	p = (const unsigned char *)v.ptr;
	n = v.len;
	for (i = 0; i < n; i += w) {
		w = hr_goutf8_valid_len(p + i, n - i, &cp);
		if (cp == 0x7F || (cp >= 0x80 && cp <= 0x9F && cp != 0x85) ||
		    cp == 0xFFFE || cp == 0xFFFF) {
			rc = hr_error_set(err, HR_EFORMAT,
					  "yaml: control characters are not allowed");
			goto done;
		}
		if (cp == 0x85)
			has_nel = 1;
	}
	if (!has_nel) {
		rc = hr_buf_put(out, v.ptr ? v.ptr : "", n);
		goto done;
	}
	i = 0;
	while (!rc && i < n) {
		size_t ws = 0, breaks = 0;
		int lead = 0, last_nel = 0;

		while (!rc && i < n && p[i] != ' ' && !is_nel(p, n, i))
			rc = hr_buf_putc(out, (char)p[i++]);
		if (rc || i >= n)
			break;
		while (i < n && (p[i] == ' ' || is_nel(p, n, i))) {
			last_nel = p[i] != ' ';
			if (!last_nel) {
				if (!lead)
					ws++;
				i++;
				continue;
			}
			if (!lead) {
				ws = 0;
				lead = 1;
			} else {
				breaks++;
			}
			i += 2;
		}
		if (last_nel && i + 3 < n &&
		    (!memcmp(p + i, "---", 3) || !memcmp(p + i, "...", 3)) &&
		    (p[i + 3] == ' ' || is_nel(p, n, i + 3))) {
			rc = hr_error_set(err, HR_EFORMAT, "yaml: found unexpected document indicator");
			goto done;
		}
		if (lead) {
			if (!breaks)
				rc = hr_buf_putc(out, ' ');
			while (!rc && breaks--)
				rc = hr_buf_putc(out, '\n');
		} else {
			while (!rc && ws--)
				rc = hr_buf_putc(out, ' ');
		}
	}
done:
	hr_buf_free(&v);
	return rc;
}

/* ---- go-yaml resolve: would this plain text read back as a string? ---- */

/* go-yaml resolve("", s) == "!!str" && !isBase60Float(s). */
int hr_yaml__plain_is_string(const char *s, size_t n)
{
	hr_yaml11_value v;

	if (hr_yaml11_resolve(s, n, &v))
		return 1;
	return v.kind == HR_YAML11_STR && !hr_yaml11_is_base60_float(s, n);
}
