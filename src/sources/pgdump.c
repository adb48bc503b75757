/*
 * pgdump.c — reader for plain-SQL pg_dump files of Helm's SQL storage driver.
 *
 * Helm's SQL driver keeps one row per release revision in `releases_v1`
 * (key, type, body, name, namespace, version, status, owner, createdat,
 * modifiedat) and the user's --labels in `custom_labels_v1` (releasekey,
 * releasenamespace, key, value).  pg_dump writes table data either as
 * `COPY t (cols) FROM stdin;` blocks (tab-separated text-format rows ending
 * with a `\.` line) or, with --inserts/--column-inserts, as `INSERT INTO t
 * (cols) VALUES (...);` statements.  This reader understands both, takes the
 * column order from each statement (helm's order when an INSERT has none),
 * and turns every releases_v1 row into an HR_DRIVER_SQL record whose labels
 * are name/owner/status/version followed by the row's custom labels.
 * Everything else in the dump (schema, SET lines, `\restrict` meta-commands,
 * other tables) is ignored.
 *
 * Streaming and memory: the input is read line by line (a line is capped at
 * max_object).  Custom labels are kept in memory (they are small).  pg_dump
 * writes table data in name order, so custom_labels_v1 normally comes before
 * releases_v1 and release rows are returned as they are read.  When release
 * rows come first, they are held until the custom_labels_v1 data is over (or
 * the end of input) so that they can carry their labels.  To avoid holding
 * the payloads of the dump, the reader first tries to open the file a second
 * time and read only its custom labels (a regular file); only for stdin are
 * the rows held in memory.  Labels for a release that was already returned
 * (a second custom_labels_v1 block later in the file) are not applied.
 *
 * Ownership: the hr_input is borrowed (the caller closes it after the
 * reader's close()).  Counting: the reader counts objects (release rows),
 * the records it returns and the rows it skips (errors).
 */
#include "sources/pgsql.h"
#include "util/array.h"
#include "sources/reader.h"
#include "util/buf.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define PG_CHUNK (64 * 1024)
#define PG_DEFAULT_MAX_LINE ((size_t)1 << 30)

enum pg_table { PG_OTHER = 0, PG_RELEASES, PG_LABELS };
enum pg_mode { MODE_SQL = 0, MODE_COPY, MODE_INSERT };

/* Columns of releases_v1, in helm's table order. */
enum { C_KEY, C_TYPE, C_BODY, C_NAME, C_NAMESPACE, C_VERSION, C_STATUS, C_OWNER,
       C_CREATED, C_MODIFIED, C_NREL };
static const char *const rel_cols[C_NREL] = {
	"key", "type", "body", "name", "namespace", "version", "status", "owner",
	"createdat", "modifiedat"
};
/* Columns of custom_labels_v1. */
enum { L_RKEY, L_RNS, L_KEY, L_VALUE, L_NLAB };
static const char *const lab_cols[L_NLAB] = { "releasekey", "releasenamespace", "key", "value" };

/* Where each known column sits in a statement's column list (-1: absent). */
typedef struct pg_cols {
	enum pg_table table;
	char tname[128];        /* the table name as written, for messages */
	int idx[C_NREL];
	size_t ncols;           /* number of columns in the list; 0 = no list */
} pg_cols;

typedef struct pg_label {
	char *rkey, *rns, *key, *value;
	size_t seq;
} pg_label;

typedef struct pgdump {
	hr_input *in;
	const char *path;
	hr_source_stats *stats;
	size_t max_line;

	char *chunk;
	size_t clen, cpos;
	int in_eof;
	uint64_t pos;           /* uncompressed bytes consumed */
	hr_buf line;
	int line_nl;            /* the line ended with '\n' */
	uint64_t lineno, line_off;

	enum pg_mode mode;
	int std_strings;        /* standard_conforming_strings (on unless SET off) */
	pg_cols cols;           /* columns of the COPY block / INSERT statement */
	uint64_t copy_line;
	hr_buf stmt;            /* an INSERT statement being collected */
	uint64_t stmt_line, stmt_off;
	hr_pgsql_quotes quotes;

	hr_pgsql_row row;
	hr_record **q;          /* records read, not yet returned */
	size_t qhead, qlen, qcap;

	pg_label *labels;
	size_t nlabels, lcap;
	int labels_sorted, labels_seen, labels_done;
	int labels_only;        /* a pre-scan: collect custom labels, build no records */
	int prescanned;         /* labels came from a pre-scan: ignore them in this pass */

	int eof;
	int deferred;           /* fatal code to return once the queue is empty */
	hr_error deferred_err;
	int dump_head, dump_tail; /* pg_dump's opening / closing comment lines seen */
} pgdump;

/* ---- custom labels ---- */

static int label_cmp(const void *a, const void *b)
{
	const pg_label *x = a, *y = b;
	int c = strcmp(x->rkey, y->rkey);

	if (!c)
		c = strcmp(x->rns, y->rns);
	if (!c)
		c = x->seq < y->seq ? -1 : x->seq > y->seq;
	return c;
}

static int labels_add(pgdump *p, const char *rkey, const char *rns, const char *k, const char *v)
{
	pg_label *l;

	if (HR_ARRAY_GROW(p->labels, p->nlabels + 1, p->lcap))
		return HR_ENOMEM;
	l = &p->labels[p->nlabels];
	l->rkey = strdup(rkey);
	l->rns = strdup(rns ? rns : "");
	l->key = strdup(k);
	l->value = strdup(v ? v : "");
	l->seq = p->nlabels;
	if (!l->rkey || !l->rns || !l->key || !l->value) {
		free(l->rkey);
		free(l->rns);
		free(l->key);
		free(l->value);
		return HR_ENOMEM;
	}
	p->nlabels++;
	p->labels_sorted = 0;
	return 0;
}

/* Append the custom labels of rec (by key and namespace), in dump order. */
static int labels_attach(pgdump *p, hr_record *rec)
{
	size_t lo = 0, hi;
	pg_label probe;
	int rc;

	if (!p->nlabels)
		return 0;
	if (!p->labels_sorted) {
		qsort(p->labels, p->nlabels, sizeof(*p->labels), label_cmp);
		p->labels_sorted = 1;
	}
	probe.rkey = rec->name;
	probe.rns = rec->namespace ? rec->namespace : "";
	probe.seq = 0;
	hi = p->nlabels;
	while (lo < hi) {       /* lower bound of (rkey, rns, 0) */
		size_t mid = lo + (hi - lo) / 2;

		if (label_cmp(&p->labels[mid], &probe) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < p->nlabels; lo++) {
		const pg_label *l = &p->labels[lo];

		if (strcmp(l->rkey, probe.rkey) || strcmp(l->rns, probe.rns))
			break;
		if ((rc = hr_record_add_label(rec, l->key, l->value)) < 0)
			return rc;
	}
	return 0;
}

/* ---- record queue ---- */

static int queue_push(pgdump *p, hr_record *rec)
{
	if (HR_ARRAY_GROW(p->q, p->qlen + 1, p->qcap))
		return HR_ENOMEM;
	p->q[p->qlen++] = rec;
	return 0;
}

/* ---- line reading ---- */

/*
 * Read the next line into p->line (without "\n" or "\r\n").  Returns 1, 0 at
 * end of input, HR_ETOOBIG when the line was longer than max_line (the line
 * is consumed), or a read error.
 */
static int read_line(pgdump *p, hr_error *err)
{
	int too_long = 0;

	hr_buf_clear(&p->line);
	p->line_nl = 0;
	p->line_off = p->pos;
	for (;;) {
		char *nl;
		size_t n;
		int rc;

		if (p->cpos == p->clen) {
			long got;

			if (p->in_eof)
				break;
			got = hr_input_read(p->in, p->chunk, PG_CHUNK, err);
			if (got < 0)
				return (int)got;
			if (got == 0) {
				p->in_eof = 1;
				break;
			}
			p->clen = (size_t)got;
			p->cpos = 0;
		}
		nl = memchr(p->chunk + p->cpos, '\n', p->clen - p->cpos);
		n = nl ? (size_t)(nl - (p->chunk + p->cpos)) : p->clen - p->cpos;
		if (!too_long && p->line.len + n > p->max_line)
			too_long = 1;
		if (!too_long && (rc = hr_buf_put(&p->line, p->chunk + p->cpos, n)) < 0)
			return rc;
		p->cpos += n + (nl != NULL);
		p->pos += n + (nl != NULL);
		if (nl) {
			p->line_nl = 1;
			break;
		}
	}
	if (!p->line_nl && p->pos == p->line_off)
		return 0;
	p->lineno++;
	if (too_long)
		return hr_error_set(err, HR_ETOOBIG, "%s: line %" PRIu64 ": line longer than %zu bytes",
				    p->path, p->lineno, p->max_line);
	if (p->line.len && p->line.ptr[p->line.len - 1] == '\r')
		hr_buf_truncate(&p->line, p->line.len - 1);
	if (!p->line.ptr && hr_buf_put(&p->line, "", 0) < 0)     /* keep ptr valid */
		return HR_ENOMEM;
	return 1;
}

/* Parse a possibly schema-qualified table name; fills c->table and c->tname. */
static const char *parse_table(const char *s, const char *end, pg_cols *c)
{
	char part[128];

	size_t used = 0;

	c->tname[0] = '\0';
	for (;;) {
		int n;

		if (!(s = hr_pgsql_ident(s, end, part, sizeof(part))))
			return NULL;
		n = snprintf(c->tname + used, sizeof(c->tname) - used, "%s%s", used ? "." : "", part);
		used += n > 0 ? (size_t)n : 0;
		if (used >= sizeof(c->tname))
			used = sizeof(c->tname) - 1;
		if (s < end && *s == '.') {
			s++;
			continue;
		}
		break;
	}
	/* `part` is the last component: the table itself. */
	c->table = !strcmp(part, "releases_v1") ? PG_RELEASES
		 : !strcmp(part, "custom_labels_v1") ? PG_LABELS : PG_OTHER;
	return s;
}

static void cols_default(pg_cols *c)
{
	size_t n = c->table == PG_RELEASES ? C_NREL : c->table == PG_LABELS ? L_NLAB : 0;

	for (size_t i = 0; i < C_NREL; i++)
		c->idx[i] = i < n ? (int)i : -1;
	c->ncols = 0;
}

/* Parse "(a, b, c)" at s; fills c->idx and c->ncols. */
static const char *parse_collist(const char *s, const char *end, pg_cols *c)
{
	const char *const *names = c->table == PG_RELEASES ? rel_cols : lab_cols;
	size_t nnames = c->table == PG_RELEASES ? C_NREL : c->table == PG_LABELS ? L_NLAB : 0;
	char id[128];

	for (size_t i = 0; i < C_NREL; i++)
		c->idx[i] = -1;
	c->ncols = 0;
	if (s >= end || *s != '(')
		return NULL;
	for (s++;;) {
		s = hr_pgsql_skip_ws(s, end);
		if (!(s = hr_pgsql_ident(s, end, id, sizeof(id))))
			return NULL;
		for (size_t i = 0; i < nnames; i++)
			if (!strcmp(id, names[i]) && c->idx[i] < 0)
				c->idx[i] = (int)c->ncols;
		c->ncols++;
		s = hr_pgsql_skip_ws(s, end);
		if (s < end && *s == ',') {
			s++;
			continue;
		}
		if (s < end && *s == ')')
			return s + 1;
		return NULL;
	}
}

/* ---- rows to records ---- */

static void prescan_labels(pgdump *p);

static int parse_i64(const char *s, int64_t *out)
{
	char *e;
	long long v;

	errno = 0;
	v = strtoll(s, &e, 10);
	if (errno || e == s || *e)
		return -1;
	*out = v;
	return 0;
}

/*
 * One row of c->table read at line `line`: remember a custom label, or queue
 * a release record.  HR_ESKIP (err filled) for a bad row.
 */
static int handle_row(pgdump *p, const pg_cols *c, uint64_t line, uint64_t off, hr_error *err)
{
	const hr_pgsql_row *r = &p->row;
	hr_record *rec = NULL;
	const char *key, *body, *v;
	char where[48];
	int rc;

	if (c->table == PG_OTHER)
		return 0;
	if (c->ncols && r->n != c->ncols)
		return hr_error_set(err, HR_ESKIP, "%s: line %" PRIu64 ": row of %s has %zu values, the column list has %zu",
				    p->path, line, c->tname, r->n, c->ncols);
	if (!c->ncols && r->n != (c->table == PG_RELEASES ? (size_t)C_NREL : (size_t)L_NLAB))
		return hr_error_set(err, HR_ESKIP, "%s: line %" PRIu64 ": row of %s has %zu values, expected %d",
				    p->path, line, c->tname, r->n, c->table == PG_RELEASES ? C_NREL : L_NLAB);
	if (c->table == PG_LABELS) {
		if (p->prescanned > 0)
			return 0;
		key = hr_pgsql_row_get(r, c->idx[L_RKEY]);
		v = hr_pgsql_row_get(r, c->idx[L_KEY]);
		if (!key || !v)
			return 0;
		return labels_add(p, key, hr_pgsql_row_get(r, c->idx[L_RNS]), v, hr_pgsql_row_get(r, c->idx[L_VALUE]));
	}

	if (p->labels_only)
		return 0;
	p->stats->objects++;
	key = hr_pgsql_row_get(r, c->idx[C_KEY]);
	body = hr_pgsql_row_get(r, c->idx[C_BODY]);
	if (!key || !body)
		return hr_error_set(err, HR_ESKIP, "%s: line %" PRIu64 ": %s row without %s",
				    p->path, line, c->tname, key ? "body" : "key");
	if ((rc = hr_record_new(&rec)) < 0)
		goto nomem;
	rec->driver = HR_DRIVER_SQL;
	rec->form = HR_PAYLOAD_HELM;
	rec->offset = off;
	snprintf(where, sizeof(where), "line %" PRIu64, line);
	v = hr_pgsql_row_get(r, c->idx[C_NAMESPACE]);
	if ((rc = hr_record_set_str(&rec->name, key)) < 0 ||
	    (rc = hr_record_set_str(&rec->namespace, v ? v : "")) < 0 ||
	    (rc = hr_record_set_str(&rec->source_path, p->path)) < 0 ||
	    (rc = hr_record_set_str(&rec->location, where)) < 0 ||
	    (rc = hr_record_set_payload(rec, body, hr_pgsql_row_len(r, c->idx[C_BODY]))) < 0)
		goto nomem;
	/* Helm's SQL driver gives a release these labels from its columns. */
	{
		static const int lab_from[] = { C_NAME, C_OWNER, C_STATUS, C_VERSION };

		for (size_t i = 0; i < sizeof(lab_from) / sizeof(lab_from[0]); i++) {
			v = hr_pgsql_row_get(r, c->idx[lab_from[i]]);
			if (v && (rc = hr_record_add_label(rec, rel_cols[lab_from[i]], v)) < 0)
				goto nomem;
		}
	}
	if (((v = hr_pgsql_row_get(r, c->idx[C_CREATED])) && parse_i64(v, &rec->sql_created_at) < 0) ||
	    ((v = hr_pgsql_row_get(r, c->idx[C_MODIFIED])) && parse_i64(v, &rec->sql_modified_at) < 0)) {
		rc = hr_error_set(err, HR_ESKIP, "%s: line %" PRIu64 ": %s row %s/%s: bad timestamp %.40s",
				  p->path, line, c->tname, rec->namespace, key, v);
		hr_record_free(rec);
		return rc;
	}
	if (!p->labels_done && !p->prescanned)
		prescan_labels(p);
	if ((rc = queue_push(p, rec)) < 0)
		goto nomem;
	return 0;
nomem:
	hr_record_free(rec);
	return hr_error_set(err, HR_ENOMEM, "%s: line %" PRIu64 ": out of memory", p->path, line);
}

/* A new table's data starts: custom labels seen before are complete. */
static void note_table(pgdump *p, enum pg_table t)
{
	if (t == PG_LABELS)
		p->labels_seen = 1;
	else if (p->labels_seen)
		p->labels_done = 1;
}

/* ---- COPY ---- */

/* "COPY table (cols) FROM stdin;" — 1 when it is one (mode switched), else 0. */
static int copy_header(pgdump *p)
{
	const char *s = p->line.ptr + 4, *end = p->line.ptr + p->line.len;

	s = hr_pgsql_skip_ws(s, end);
	if (!(s = parse_table(s, end, &p->cols)))
		return 0;
	s = hr_pgsql_skip_ws(s, end);
	if (s < end && *s == '(') {
		if (!(s = parse_collist(s, end, &p->cols)))
			return 0;
		s = hr_pgsql_skip_ws(s, end);
	} else {
		cols_default(&p->cols);
	}
	if (!hr_pgsql_is_kw(s, end, "from"))
		return 0;
	s = hr_pgsql_skip_ws(s + 4, end);
	if (!hr_pgsql_is_kw(s, end, "stdin"))
		return 0;
	s = hr_pgsql_skip_ws(s + 5, end);
	if (s == end || *s != ';' || hr_pgsql_skip_ws(s + 1, end) != end)
		return 0;
	note_table(p, p->cols.table);
	p->mode = MODE_COPY;
	p->copy_line = p->lineno;
	return 1;
}

static int copy_line(pgdump *p, hr_error *err)
{
	int rc;

	if (p->line.len == 2 && !memcmp(p->line.ptr, "\\.", 2)) {
		if (p->cols.table == PG_LABELS)
			p->labels_done = 1;
		p->mode = MODE_SQL;
		return 0;
	}
	if (p->cols.table == PG_OTHER)
		return 0;
	if (!p->line_nl)
		return hr_error_set(err, HR_ESKIP, "%s: line %" PRIu64 ": row of %s cut short by the end of the input",
				    p->path, p->lineno, p->cols.tname);
	if ((rc = hr_pgsql_copy_split(&p->row, p->line.ptr, p->line.len)) < 0)
		return hr_error_set(err, rc, "%s: line %" PRIu64 ": out of memory", p->path, p->lineno);
	return handle_row(p, &p->cols, p->lineno, p->line_off, err);
}

/* ---- INSERT ---- */

static int insert_error(pgdump *p, const char *s, const char *what, hr_error *err)
{
	return hr_error_set(err, HR_ESKIP, "%s: line %" PRIu64 ": malformed INSERT: %s at byte %zu of the statement",
			    p->path, p->stmt_line, what, (size_t)(s - p->stmt.ptr));
}

/*
 * Parse the complete INSERT statement in p->stmt and handle its rows.
 * A malformed statement is one HR_ESKIP (rows before the damage are kept).
 */
static int insert_parse(pgdump *p, hr_error *err)
{
	const char *s = p->stmt.ptr, *end = s + p->stmt.len;
	int rc;

	p->mode = MODE_SQL;
	s = hr_pgsql_skip_ws(s + 6, end);                        /* "INSERT" */
	if (!hr_pgsql_is_kw(s, end, "into"))
		return insert_error(p, s, "expected INTO", err);
	s = hr_pgsql_skip_ws(s + 4, end);
	if (!(s = parse_table(s, end, &p->cols)))
		return insert_error(p, p->stmt.ptr, "bad table name", err);
	note_table(p, p->cols.table);
	if (p->cols.table == PG_OTHER)
		return 0;
	s = hr_pgsql_skip_ws(s, end);
	if (s < end && *s == '(') {
		const char *t = s;

		if (!(s = parse_collist(s, end, &p->cols)))
			return insert_error(p, t, "bad column list", err);
		s = hr_pgsql_skip_ws(s, end);
	} else {
		cols_default(&p->cols);
	}
	if (!hr_pgsql_is_kw(s, end, "values"))
		return insert_error(p, s, "expected VALUES", err);
	s = hr_pgsql_skip_ws(s + 6, end);
	for (;;) {
		if (s >= end || *s != '(')
			return insert_error(p, s, "expected (", err);
		hr_pgsql_row_reset(&p->row);
		for (s++;;) {
			const char *t = hr_pgsql_skip_ws(s, end);

			if (!(s = hr_pgsql_value(&p->row, t, end, p->std_strings)))
				return insert_error(p, t, "bad value", err);
			if (s < end && *s == ',') {
				s++;
				continue;
			}
			if (s < end && *s == ')')
				break;
			return insert_error(p, s, "expected , or )", err);
		}
		if ((rc = handle_row(p, &p->cols, p->stmt_line, p->stmt_off, err)) < 0)
			return rc;
		s = hr_pgsql_skip_ws(s + 1, end);
		if (s < end && *s == ',') {
			s = hr_pgsql_skip_ws(s + 1, end);
			continue;
		}
		if (s < end && *s == ';' && hr_pgsql_skip_ws(s + 1, end) == end)
			return 0;
		return insert_error(p, s, "expected ; after the values", err);
	}
}

static int insert_more(pgdump *p, int first, hr_error *err)
{
	int rc;

	if (!first && (rc = hr_buf_putc(&p->stmt, '\n')) < 0)
		return hr_error_set(err, rc, "%s: line %" PRIu64 ": out of memory", p->path, p->lineno);
	if (p->stmt.len + p->line.len > p->max_line) {
		p->mode = MODE_SQL;
		hr_buf_free(&p->stmt);
		return hr_error_set(err, HR_ESKIP, "%s: line %" PRIu64 ": INSERT statement longer than %zu bytes",
				    p->path, p->stmt_line, p->max_line);
	}
	if ((rc = hr_buf_put(&p->stmt, p->line.ptr, p->line.len)) < 0)
		return hr_error_set(err, rc, "%s: line %" PRIu64 ": out of memory", p->path, p->lineno);
	hr_pgsql_quotes_scan(&p->quotes, p->stmt.ptr, p->stmt.len, p->std_strings);
	if (!hr_pgsql_stmt_complete(&p->quotes, p->stmt.ptr, p->stmt.len)) {
		p->mode = MODE_INSERT;
		return 0;
	}
	rc = insert_parse(p, err);
	hr_buf_clear(&p->stmt);
	return rc;
}

/* ---- the line dispatcher ---- */

static int sql_line(pgdump *p, hr_error *err)
{
	const char *s = p->line.ptr, *end = s + p->line.len;
	static const char mark[] = "-- PostgreSQL database dump";

	/* pg_dump opens its output with this comment and closes it with "... complete" */
	if (p->line.len >= sizeof(mark) - 1 && !memcmp(s, mark, sizeof(mark) - 1)) {
		if (strstr(s + sizeof(mark) - 1, "complete"))
			p->dump_tail = 1;
		else
			p->dump_head = 1;
		return 0;
	}

	if (hr_pgsql_is_kw(s, end, "copy")) {
		copy_header(p);
		return 0;
	}
	if (hr_pgsql_is_kw(s, end, "insert")) {
		hr_buf_clear(&p->stmt);
		p->stmt_line = p->lineno;
		p->stmt_off = p->line_off;
		memset(&p->quotes, 0, sizeof(p->quotes));
		return insert_more(p, 1, err);
	}
	if (hr_pgsql_is_kw(s, end, "set")) {
		const char *t = hr_pgsql_skip_ws(s + 3, end);

		if (hr_pgsql_is_kw(t, end, "standard_conforming_strings"))
			p->std_strings = !strstr(t, "off");
	}
	return 0;
}

static int process_line(pgdump *p, hr_error *err)
{
	switch (p->mode) {
	case MODE_COPY:
		return copy_line(p, err);
	case MODE_INSERT:
		return insert_more(p, 0, err);
	default:
		return sql_line(p, err);
	}
}

/* ---- custom labels that come after the releases ---- */

static void pgdump_free(pgdump *p);

/*
 * A release row came before the custom labels were complete.  When the
 * input is a file that can be opened again, read it once more up front for
 * its custom_labels_v1 rows only, so that release rows need not be held in
 * memory.  On failure (stdin, open error) nothing changes and rows are held.
 */
static void prescan_labels(pgdump *p)
{
	hr_source_stats dummy = { 0 };
	hr_error e = HR_ERROR_INIT;
	hr_input *in2 = NULL;
	pgdump *q;
	int rc;

	p->prescanned = -1;     /* tried */
	if (!strcmp(p->path, "-") || hr_input_open(&in2, p->path, 0, &e) < 0)
		return;
	q = calloc(1, sizeof(*q));
	if (!q || !(q->chunk = malloc(PG_CHUNK))) {
		free(q);
		hr_input_close(in2);
		return;
	}
	q->in = in2;
	q->path = p->path;
	q->stats = &dummy;
	q->max_line = p->max_line;
	q->std_strings = 1;
	q->labels_only = 1;
	while ((rc = read_line(q, &e)) != 0) {
		if (rc == HR_ETOOBIG)
			continue;
		if (rc < 0 || process_line(q, &e) == HR_ENOMEM)
			break;
	}
	if (rc == 0) {          /* read to the end: its labels are the whole set */
		pg_label *l = p->labels;
		size_t n = p->nlabels, cap = p->lcap;

		p->labels = q->labels;
		p->nlabels = q->nlabels;
		p->lcap = q->lcap;
		p->labels_sorted = 0;
		q->labels = l;
		q->nlabels = n;
		q->lcap = cap;
		p->prescanned = 1;
		p->labels_done = 1;
	}
	pgdump_free(q);
	hr_input_close(in2);
}

/* ---- reader interface ---- */

static void set_deferred(pgdump *p, int code, const hr_error *from)
{
	p->deferred = code;
	if (from)
		p->deferred_err = *from;
}

static int pgdump_next(void *state, hr_record **out, hr_error *err)
{
	pgdump *p = state;
	int rc;

	*out = NULL;
	for (;;) {
		if (p->qhead < p->qlen && (p->labels_done || p->eof)) {
			hr_record *rec = p->q[p->qhead++];

			if ((rc = labels_attach(p, rec)) < 0) {
				hr_record_free(rec);
				return hr_error_set(err, rc, "%s: out of memory", p->path);
			}
			p->stats->records++;
			*out = rec;
			return 1;
		}
		if (p->qhead == p->qlen)
			p->qhead = p->qlen = 0;
		if (p->eof) {
			rc = p->deferred;
			if (rc && err)
				*err = p->deferred_err;
			p->deferred = 0;
			return rc;
		}
		rc = read_line(p, err);
		if (rc == HR_ETOOBIG) {
			p->stats->errors++;
			if (p->mode == MODE_INSERT)
				p->mode = MODE_SQL;
			if (err)
				err->code = HR_ESKIP;
			return HR_ESKIP;
		}
		if (rc < 0) {           /* cannot read further: return what we hold first */
			set_deferred(p, rc, err);
			p->eof = 1;
			continue;
		}
		if (rc == 0) {
			hr_error e = HR_ERROR_INIT;

			p->eof = 1;
			if (p->mode == MODE_COPY)
				set_deferred(p, hr_error_set(&e, HR_EFORMAT,
					"%s: line %" PRIu64 ": input ends inside the COPY data of %s begun at line %" PRIu64 " (no \\. line): the dump is truncated",
					p->path, p->lineno, p->cols.tname, p->copy_line), &e);
			else if (p->mode == MODE_INSERT)
				set_deferred(p, hr_error_set(&e, HR_EFORMAT,
					"%s: line %" PRIu64 ": input ends inside the INSERT statement begun at line %" PRIu64 ": the dump is truncated",
					p->path, p->lineno, p->stmt_line), &e);
			else if (p->dump_head && !p->dump_tail && !p->labels_only) {
				/* between statements: only pg_dump's closing comment tells a whole dump */
				p->stats->errors++;
				p->stats->cut++;
				set_deferred(p, hr_error_set(&e, HR_ESKIP,
					"%s: line %" PRIu64 ": the dump ends without pg_dump's closing \"-- PostgreSQL database dump complete\": it looks truncated",
					p->path, p->lineno), &e);
			}
			continue;
		}
		rc = process_line(p, err);
		if (rc == HR_ESKIP) {
			p->stats->errors++;
			return rc;
		}
		if (rc < 0) {
			set_deferred(p, rc, err);
			p->eof = 1;
		}
	}
}

static void pgdump_close(void *state)
{
	pgdump_free(state);
}

static void pgdump_free(pgdump *p)
{
	if (!p)
		return;
	for (size_t i = p->qhead; i < p->qlen; i++)
		hr_record_free(p->q[i]);
	free(p->q);
	for (size_t i = 0; i < p->nlabels; i++) {
		free(p->labels[i].rkey);
		free(p->labels[i].rns);
		free(p->labels[i].key);
		free(p->labels[i].value);
	}
	free(p->labels);
	hr_pgsql_row_release(&p->row);
	hr_buf_free(&p->line);
	hr_buf_free(&p->stmt);
	free(p->chunk);
	free(p);
}

int hr_reader_pgdump_open(hr_reader *r, hr_input *in, const hr_source_opts *o, hr_source_stats *stats, hr_error *err)
{
	pgdump *p = calloc(1, sizeof(*p));

	if (!p || !(p->chunk = malloc(PG_CHUNK))) {
		free(p);
		return hr_error_set(err, HR_ENOMEM, "%s: out of memory", hr_input_path(in));
	}
	p->in = in;
	p->path = hr_input_path(in);
	p->stats = stats;
	p->max_line = o && o->max_object ? o->max_object : PG_DEFAULT_MAX_LINE;
	p->std_strings = 1;
	*r = (hr_reader){ "pgdump", p, pgdump_next, pgdump_close };
	return 0;
}
