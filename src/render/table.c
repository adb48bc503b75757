/*
 * table.c — gosuri/uitable v0.0.4 table layout with go-runewidth v0.0.9
 * widths, for Helm's `history` and `list` tables.  See table.h for the
 * rules; this file holds the layout loop, a UTF-8 decoder that treats bad
 * bytes as Go does (one U+FFFD per byte), uitable's ANSI-sequence stripper
 * and the Unicode width tables.
 *
 * The width tables were produced with the rules of go-runewidth's own
 * generator (East Asian Width W/F = 2; A = ambiguous; code points whose
 * EastAsianWidth.txt line mentions COMBINING = 0; Na above U+00FF = 0, a
 * quirk of that generator) from Python's unicodedata (Unicode 14), where
 * go-runewidth v0.0.9 used Unicode 13: only characters added in Unicode 14
 * can differ.
 */
#include "render/table.h"
#include "util/array.h"
#include "util/goutf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct range {
	uint32_t lo, hi;
};

#include "render/table_width.inc"

struct row {
	size_t ncells;
	char **cells;
};

struct hr_table {
	struct row *rows;
	size_t nrows, cap;
	size_t max_col_width;
};

/* ---- code points and widths ---- */

static int in_table(uint32_t cp, const struct range *t, size_t n)
{
	size_t lo = 0, hi = n;

	if (n == 0 || cp < t[0].lo)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t[mid].hi < cp)
			lo = mid + 1;
		else if (t[mid].lo > cp)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

#define IN(cp, t) in_table((cp), (t), sizeof(t) / sizeof((t)[0]))

static const struct range nonprint[] = {
	{ 0x0000, 0x001F }, { 0x007F, 0x009F }, { 0x00AD, 0x00AD }, { 0x070F, 0x070F },
	{ 0x180B, 0x180E }, { 0x200B, 0x200F }, { 0x2028, 0x202E }, { 0x206A, 0x206F },
	{ 0xD800, 0xDFFF }, { 0xFEFF, 0xFEFF }, { 0xFFF9, 0xFFFB }, { 0xFFFE, 0xFFFF },
};

static const struct range private_use[] = {
	{ 0xE000, 0xF8FF }, { 0xF0000, 0xFFFFD }, { 0x100000, 0x10FFFD },
};

static int locale_is_east_asian(const char *loc)
{
	static const char *const multibyte[] = { "utf-8", "utf8", "jis", "eucjp", "euckr",
		"euccn", "sjis", "cp932", "cp51932", "cp936", "cp949", "cp950", "big5", "gbk",
		"gb2312" };
	char cs[64];
	const char *dot = NULL, *p = loc;
	size_t n, i;
	int found = 0, utf;

	/* "ll[l][_CC].charset" picks the charset, else the whole string is one */
	if (p[0] >= 'a' && p[0] <= 'z' && p[1] >= 'a' && p[1] <= 'z') {
		p += 2;
		if (*p >= 'a' && *p <= 'z')
			p++;
		if (p[0] == '_' && p[1] >= 'A' && p[1] <= 'Z' && p[2] >= 'A' && p[2] <= 'Z')
			p += 3;
		if (*p == '.' && p[1])
			dot = p + 1;
	}
	n = strlen(dot ? dot : loc);
	if (n >= sizeof(cs))
		return 0;
	for (i = 0; i <= n; i++) {
		char c = (dot ? dot : loc)[i];
		cs[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if (n >= 11 && strcmp(cs + n - 11, "@cjk_narrow") == 0)
		return 0;
	if ((p = strchr(cs, '@')))
		cs[p - cs] = 0;
	for (i = 0; i < sizeof(multibyte) / sizeof(multibyte[0]); i++)
		if (strcmp(cs, multibyte[i]) == 0)
			found = 1;
	if (!found)
		return 0;
	utf = cs[0] == 'u';
	return !utf || strncmp(loc, "ja", 2) == 0 || strncmp(loc, "ko", 2) == 0 ||
	       strncmp(loc, "zh", 2) == 0;
}

static int east_asian(void)
{
	const char *e = getenv("RUNEWIDTH_EASTASIAN"), *loc;

	if (e && *e)
		return strcmp(e, "1") == 0;
	loc = getenv("LC_ALL");
	if (!loc || !*loc)
		loc = getenv("LC_CTYPE");
	if (!loc || !*loc)
		loc = getenv("LANG");
	if (!loc || !*loc || strcmp(loc, "POSIX") == 0 || strcmp(loc, "C") == 0)
		return 0;
	if (loc[0] == 'C' && (loc[1] == '.' || loc[1] == '-'))
		return 0;
	return locale_is_east_asian(loc);
}

static int rune_width_ea(unsigned long cp, int ea)
{
	if (cp > 0x10FFFF || IN(cp, nonprint) || IN(cp, combining) || IN(cp, notassigned))
		return 0;
	if ((ea && (IN(cp, private_use) || IN(cp, ambiguous))) || IN(cp, doublewidth))
		return 2;
	return 1;
}

int hr_rune_width(unsigned long cp)
{
	return rune_width_ea(cp, east_asian());
}

/*
 * Length of uitable's ANSI pattern matched at s[0..len), 0 if none:
 *   [ESC CSI] [[\]()#;?]* ( [A-Za-z0-9;]* BEL | (\d{1,4}(;\d{0,4})*)? FINAL )
 * The optional digit group is tried longest first (greedy).
 */
static size_t ansi_len(const unsigned char *s, size_t len)
{
	size_t j, k, ends[64], nends = 0;

	if (s[0] == 0x1B)
		j = 1;
	else if (len >= 2 && s[0] == 0xC2 && s[1] == 0x9B)
		j = 2;
	else
		return 0;
	while (j < len && s[j] && strchr("[]()#;?", s[j]))
		j++;
	for (k = j; k < len && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
				 (s[k] >= '0' && s[k] <= '9') || s[k] == ';'); k++)
		;
	if (k < len && s[k] == 0x07)
		return k + 1;
	/* all ends of \d{1,4}(;\d{0,4})* starting at j */
	k = j;
	for (size_t d = 0; d < 4 && k < len && s[k] >= '0' && s[k] <= '9'; d++) {
		k++;
		if (nends < 64)
			ends[nends++] = k;
	}
	while (nends && k < len && s[k] == ';' && nends < 60) {
		k++;
		ends[nends++] = k;
		for (size_t d = 0; d < 4 && k < len && s[k] >= '0' && s[k] <= '9'; d++) {
			k++;
			ends[nends++] = k;
		}
	}
	for (size_t i = nends + 1; i-- > 0;) {
		size_t e = i ? ends[i - 1] : j;
		unsigned char c;
		if (e >= len)
			continue;
		c = s[e];
		if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'P') || c == 'R' || c == 'Z' ||
		    c == 'c' || (c >= 'f' && c <= 'n') || c == 'q' || c == 'r' || c == 'y' ||
		    c == 't' || c == '=' || c == '>' || c == '<' || c == '~')
			return e + 1;
	}
	return 0;
}

static size_t width_ea(const char *str, size_t len, int ea)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, w = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((n = ansi_len(s + i, len - i))) {
			i += n;
			continue;
		}
		i += hr_goutf8_decode(s + i, len - i, &cp);
		w += (size_t)rune_width_ea(cp, ea);
	}
	return w;
}

size_t hr_text_width(const char *s, size_t len)
{
	return width_ea(s, len, east_asian());
}

/* ---- the table ---- */

int hr_table_new(hr_table **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : HR_ENOMEM;
}

void hr_table_free(hr_table *t)
{
	if (!t)
		return;
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->rows[r].ncells; c++)
			free(t->rows[r].cells[c]);
		free(t->rows[r].cells);
	}
	free(t->rows);
	free(t);
}

void hr_table_set_max_col_width(hr_table *t, size_t width)
{
	t->max_col_width = width;
}

int hr_table_add_row(hr_table *t, size_t ncells, const char *const *cells)
{
	struct row row = { 0, NULL };

	if (HR_ARRAY_GROW(t->rows, t->nrows + 1, t->cap))
		return HR_ENOMEM;
	if (ncells) {
		if (ncells > SIZE_MAX / sizeof(char *))
			return HR_ENOMEM;
		row.cells = calloc(ncells, sizeof(char *));
		if (!row.cells)
			return HR_ENOMEM;
	}
	for (row.ncells = 0; row.ncells < ncells; row.ncells++) {
		const char *c = cells[row.ncells] ? cells[row.ncells] : "";
		if (!(row.cells[row.ncells] = strdup(c))) {
			for (size_t i = 0; i < row.ncells; i++)
				free(row.cells[i]);
			free(row.cells);
			return HR_ENOMEM;
		}
	}
	t->rows[t->nrows++] = row;
	return 0;
}

/* Widest line of a cell. */
static size_t line_width(const char *s, int ea)
{
	size_t w = 0;

	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		size_t lw = width_ea(s, n, ea);
		if (lw > w)
			w = lw;
		if (!nl)
			return w;
		s = nl + 1;
	}
}

/* uitable's strutil.Resize(s, n, false) appended to `out` (n > 0). */
static int resize(hr_buf *out, const char *s, size_t len, size_t n, int ea)
{
	size_t slen = width_ea(s, len, ea), i = 0;
	long w = 0, limit = (long)n - 3;
	int rc;

	if (slen <= n) {
		if ((rc = hr_buf_put(out, s, len)))
			return rc;
		for (; slen < n; slen++)
			if ((rc = hr_buf_putc(out, ' ')))
				return rc;
		return 0;
	}
	while (i < len) {
		uint32_t cp;
		size_t k = hr_goutf8_decode((const unsigned char *)s + i, len - i, &cp);
		long rw = rune_width_ea(cp, ea);
		if (cp == 0xFFFD && k == 1)
			rc = hr_buf_puts(out, "\xEF\xBF\xBD");
		else
			rc = hr_buf_put(out, s + i, k);
		if (rc)
			return rc;
		i += k;
		if (w + rw >= limit)
			break;
		w += rw;
	}
	return hr_buf_puts(out, "...");
}

/* The cell as uitable's Cell.String() gives it for column width `w`. */
static int cell_string(hr_buf *out, const char *s, size_t len, size_t w, int ea)
{
	if (w == 0)
		return hr_buf_put(out, s, len);
	return resize(out, s, len, w, ea);
}

static int write_row(hr_buf *out, const struct row *row, const size_t *colw, int ea)
{
	hr_buf *full = NULL;
	size_t lc = 1, x, y;
	int rc = 0;

	if (row->ncells && !(full = calloc(row->ncells, sizeof(*full))))
		return HR_ENOMEM;
	for (y = 0; y < row->ncells; y++) {
		size_t n = 1;
		if ((rc = cell_string(&full[y], row->cells[y], strlen(row->cells[y]), colw[y], ea)))
			goto done;
		for (const char *p = hr_buf_cstr(&full[y]); (p = strchr(p, '\n')); p++)
			n++;
		if (n > lc)
			lc = n;
	}
	for (x = 0; x < lc; x++) {
		for (y = 0; y < row->ncells; y++) {
			const char *p = hr_buf_cstr(&full[y]), *nl;
			size_t i;
			if (y && (rc = hr_buf_putc(out, '\t')))
				goto done;
			for (i = 0; i < x && p; i++) {
				p = strchr(p, '\n');
				if (p)
					p++;
			}
			if (!p) {
				/* uitable's nil cell: PadLeft(" ", width) */
				size_t k = colw[y] ? colw[y] : 1;
				while (k--)
					if ((rc = hr_buf_putc(out, ' ')))
						goto done;
				continue;
			}
			nl = strchr(p, '\n');
			if ((rc = cell_string(out, p, nl ? (size_t)(nl - p) : strlen(p), colw[y], ea)))
				goto done;
		}
		if (x + 1 < lc && (rc = hr_buf_putc(out, '\n')))
			goto done;
	}
done:
	for (y = 0; full && y < row->ncells; y++)
		hr_buf_free(&full[y]);
	free(full);
	return rc;
}

int hr_table_write(hr_buf *out, const hr_table *t)
{
	size_t *colw = NULL, ncols = 0, r, c;
	int ea = east_asian(), rc = 0;

	for (r = 0; r < t->nrows; r++)
		if (t->rows[r].ncells > ncols)
			ncols = t->rows[r].ncells;
	if (ncols && !(colw = calloc(ncols, sizeof(*colw))))
		return HR_ENOMEM;
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->rows[r].ncells; c++) {
			size_t w = line_width(t->rows[r].cells[c], ea);
			if (t->max_col_width && w > t->max_col_width)
				w = t->max_col_width;
			if (w > colw[c])
				colw[c] = w;
		}
	}
	for (r = 0; r < t->nrows; r++) {
		if ((rc = write_row(out, &t->rows[r], colw, ea)))
			goto done;
		if (r + 1 < t->nrows && (rc = hr_buf_putc(out, '\n')))
			goto done;
	}
	rc = hr_buf_putc(out, '\n');
done:
	free(colw);
	return rc;
}
