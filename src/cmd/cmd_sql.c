/*
 * cmd_sql.c — `helmrec sql "SELECT ..."`: query the index read-only and
 * print the rows as an aligned table, JSON (an array of objects, numbers as
 * numbers) or CSV (RFC 4180); the table shows terminal controls in the
 * values as visible escapes (util/termsafe.h).  The SQLite side, which
 * refuses writes, is index/sql.c; this file only formats.
 */
#include "cmd/common.h"
#include "index/sql.h"
#include "util/array.h"
#include "util/termsafe.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const hr_command_help help = {
	"sql", "sql \"SELECT ...\" [-o table|json|csv] [--db FILE]",
	"Query the index with SQL, read-only",
	"Opens the index (--db, $HELMREC_DB or ./helmrec.db) read-only and prints\n"
	"the rows; statements that would write are refused.  Tables and views are\n"
	"described in docs/index-schema.md (v_history, v_latest, v_resources,\n"
	"v_sightings).\n\n"
	"Examples:\n"
	"  helmrec sql \"SELECT namespace, name, revision, status FROM v_history WHERE status LIKE 'pending%'\"\n"
	"  helmrec sql -o csv \"SELECT * FROM v_latest\" > latest.csv"
};

typedef struct table {
	char **cells;      /* rows * ncol, header first; malloc'd */
	size_t n, cap;
	int ncol;
	int fmt;           /* 't', 'j', 'c' */
	json_object *arr;  /* json */
	int failed;
} table;

static int on_row(void *user, const hr_sql_row *row)
{
	table *t = user;

	if (t->fmt == 'j') {
		json_object *o;

		if (!row->values)
			return 0;
		o = json_object_new_object();
		for (int c = 0; c < row->ncol; c++) {
			const char *v = row->values[c];
			json_object *jv = NULL;

			if (row->kinds[c] == HR_SQL_INT)
				jv = json_object_new_int64(strtoll(v, NULL, 10));
			else if (row->kinds[c] == HR_SQL_REAL)
				jv = json_object_new_double(strtod(v, NULL));
			else if (v)
				jv = json_object_new_string(v);
			json_object_object_add(o, row->names[c], jv);
		}
		json_object_array_add(t->arr, o);
		return 0;
	}
	if (!row->values) {
		if (t->ncol && t->ncol != row->ncol)
			return 0;  /* a second statement: keep the first one's header */
		if (t->ncol)
			return 0;
		t->ncol = row->ncol;
	} else if (row->ncol != t->ncol) {
		return 0;
	}
	if (HR_ARRAY_GROW(t->cells, t->n + (size_t)row->ncol, t->cap))
		return 1;
	for (int c = 0; c < row->ncol; c++) {
		const char *v = row->values ? row->values[c] : row->names[c];
		hr_buf b = HR_BUF_INIT;

		if (!v)
			v = t->fmt == 't' ? "NULL" : "";
		/* the table is terminal text: controls made visible; CSV is data */
		if (t->fmt == 't' ? hr_termsafe_put(&b, v, strlen(v)) : hr_buf_puts(&b, v)) {
			hr_buf_free(&b);
			return 1;
		}
		if (!(t->cells[t->n] = hr_buf_detach(&b, NULL)))
			return 1;
		t->n++;
	}
	return 0;
}

static void put_csv(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void print_table(const table *t)
{
	size_t *w = calloc((size_t)t->ncol + 1, sizeof(*w));

	if (!w)
		return;
	for (size_t i = 0; i < t->n; i++) {
		size_t len = strlen(t->cells[i]);

		if (len > w[i % (size_t)t->ncol])
			w[i % (size_t)t->ncol] = len;
	}
	for (size_t i = 0; i < t->n; i++) {
		int c = (int)(i % (size_t)t->ncol);

		if (c == t->ncol - 1)
			printf("%s\n", t->cells[i]);
		else
			printf("%-*s  ", (int)w[c], t->cells[i]);
	}
	free(w);
}

int cmd_sql(int argc, char **argv, hr_ctx *ctx)
{
	const char *fmt = "table";
	hr_option opts[] = {
		HR_OPT_ENUM_('o', "output", &fmt, "FORMAT", "table|json|csv", "table (default), json or csv"),
		HR_OPT_END_,
	};
	hr_error err = HR_ERROR_INIT;
	hr_index_sql *db = NULL;
	table t = { 0 };
	hr_strlist pos;
	int rc;

	if ((rc = hr_cmd_start(argc, argv, &help, opts, ctx, &pos, 1, 1, "the SQL")))
		return rc < 0 ? 0 : rc;
	t.fmt = fmt[0];
	if (ctx->from.n) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "\"helmrec sql\" reads an index file (--db), not --from");
		goto out;
	}
	if (t.fmt == 'j' && !(t.arr = json_object_new_array())) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "out of memory");
		goto out;
	}
	if (hr_index_sql_open(&db, ctx->db, &err)) {
		rc = hr_cmd_error(err.code == HR_ENOTFOUND ? HR_EXIT_NOTFOUND : HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if (hr_index_sql_exec(db, pos.items[0], NULL, 0, on_row, &t, &err)) {
		rc = hr_cmd_error(err.code == HR_EINVAL ? HR_EXIT_USAGE : HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if (t.fmt == 'j') {
		/* cells are raw bytes: a value outside UTF-8 becomes \ufffd, so the answer stays JSON */
		const char *s = json_object_to_json_string_ext(t.arr, JSON_C_TO_STRING_PLAIN |
								  JSON_C_TO_STRING_NOSLASHESCAPE);
		hr_buf js = HR_BUF_INIT;

		if (!s || hr_termsafe_json(&js, s, strlen(s)) || hr_buf_putc(&js, '\n'))
			rc = hr_cmd_error(HR_EXIT_FAIL, "out of memory");
		else
			rc = hr_cmd_write(js.ptr, js.len);
		hr_buf_free(&js);
	} else if (t.fmt == 'c') {
		for (size_t i = 0; i < t.n; i++) {
			put_csv(stdout, t.cells[i]);
			fputs((int)(i % (size_t)t.ncol) == t.ncol - 1 ? "\r\n" : ",", stdout);
		}
	} else if (t.ncol) {
		print_table(&t);
	}
out:
	for (size_t i = 0; i < t.n; i++)
		free(t.cells[i]);
	free(t.cells);
	json_object_put(t.arr);
	hr_index_sql_close(db);
	hr_strlist_free(&pos);
	return rc;
}
