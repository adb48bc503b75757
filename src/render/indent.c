/*
 * indent.c — Go json.Indent over compact JSON bytes: a scanner that only
 * tracks string state and nesting, so string contents pass through
 * untouched.
 */
#include "render/indent.h"

#include <string.h>

static int newline(hr_buf *out, const char *indent, int depth)
{
	int rc = hr_buf_putc(out, '\n');

	for (int i = 0; !rc && i < depth; i++)
		rc = hr_buf_puts(out, indent);
	return rc;
}

int hr_json_indent(hr_buf *out, const char *json, size_t len, const char *indent)
{
	int depth = 0, in_str = 0, rc = 0;

	for (size_t i = 0; i < len && !rc; i++) {
		char c = json[i];

		if (in_str) {
			rc = hr_buf_putc(out, c);
			if (c == '\\' && i + 1 < len)
				rc = rc ? rc : hr_buf_putc(out, json[++i]);
			else if (c == '"')
				in_str = 0;
			continue;
		}
		switch (c) {
		case '"':
			in_str = 1;
			rc = hr_buf_putc(out, c);
			break;
		case '{':
		case '[':
			/* Empty container stays on one line. */
			if (i + 1 < len && (json[i + 1] == (c == '{' ? '}' : ']'))) {
				rc = hr_buf_putc(out, c);
				rc = rc ? rc : hr_buf_putc(out, json[++i]);
				break;
			}
			rc = hr_buf_putc(out, c);
			rc = rc ? rc : newline(out, indent, ++depth);
			break;
		case '}':
		case ']':
			rc = newline(out, indent, --depth);
			rc = rc ? rc : hr_buf_putc(out, c);
			break;
		case ',':
			rc = hr_buf_putc(out, c);
			rc = rc ? rc : newline(out, indent, depth);
			break;
		case ':':
			rc = hr_buf_puts(out, ": ");
			break;
		case ' ': case '\t': case '\n': case '\r':
			break;
		default:
			rc = hr_buf_putc(out, c);
		}
	}
	return rc;
}
