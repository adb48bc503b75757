/*
 * cmd_clusters.c — `helmrec clusters`: the clusters of an index (scan
 * --cluster), each with its inputs, scan times and counts, so that a
 * fleet index can be read one cluster at a time with --cluster NAME.
 */
#include "cmd/common.h"
#include "render/table.h"
#include "util/termsafe.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static const hr_command_help help = {
	"clusters", "clusters [-o table|json]",
	"List the clusters of an index with their inputs, scan times and counts",
	"One row per cluster that `helmrec scan --cluster NAME` wrote (an index\n"
	"scanned without --cluster has one, \"default\"): how many inputs were\n"
	"scanned (and finished), when the first and the last were, and how many\n"
	"releases and current revisions it holds.  Every query command answers for\n"
	"one cluster: the only one, or the one --cluster NAME names.\n"
	"\n"
	"Examples:\n"
	"  helmrec scan prod-eu.yaml --cluster prod-eu --db postgresql://helmrec@db/fleet\n"
	"  helmrec clusters --db postgresql://helmrec@db/fleet\n"
	"  helmrec list -A --cluster prod-eu --db postgresql://helmrec@db/fleet"
};

static int render_json(hr_buf *out, const hr_cluster_row *rows, size_t n)
{
	struct json_object *arr = json_object_new_array();
	int rc = arr ? 0 : -1;

	for (size_t i = 0; !rc && i < n; i++) {
		struct json_object *o = json_object_new_object();

		if (!o || json_object_array_add(arr, o)) {
			json_object_put(o);
			rc = -1;
			break;
		}
		json_object_object_add(o, "cluster", json_object_new_string(rows[i].name ? rows[i].name : ""));
		json_object_object_add(o, "inputs", json_object_new_int64(rows[i].inputs));
		json_object_object_add(o, "complete_inputs", json_object_new_int64(rows[i].complete));
		json_object_object_add(o, "first_scan", rows[i].first_scan ? json_object_new_string(rows[i].first_scan) : NULL);
		json_object_object_add(o, "last_scan", rows[i].last_scan ? json_object_new_string(rows[i].last_scan) : NULL);
		json_object_object_add(o, "releases", json_object_new_int64(rows[i].releases));
		json_object_object_add(o, "revisions", json_object_new_int64(rows[i].revisions));
		json_object_object_add(o, "records", json_object_new_int64(rows[i].records));
		json_object_object_add(o, "skipped", json_object_new_int64(rows[i].skipped));
	}
	if (!rc) {
		const char *s = json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							       JSON_C_TO_STRING_NOSLASHESCAPE);

		rc = !s || hr_termsafe_json(out, s, strlen(s)) || hr_buf_putc(out, '\n');
	}
	json_object_put(arr);
	return rc;
}

static int render_table(hr_buf *out, const hr_cluster_row *rows, size_t n)
{
	static const char *const head[] = { "CLUSTER", "INPUTS", "FIRST SCAN", "LAST SCAN", "RELEASES", "REVISIONS" };
	hr_table *t = NULL;
	hr_buf esc = HR_BUF_INIT;
	int rc = hr_table_new(&t) || hr_table_add_row(t, 6, head);

	for (size_t i = 0; !rc && i < n; i++) {
		char inputs[48], rels[24], revs[24];
		const char *cells[6];

		if (rows[i].complete == rows[i].inputs)
			snprintf(inputs, sizeof(inputs), "%" PRId64, rows[i].inputs);
		else
			snprintf(inputs, sizeof(inputs), "%" PRId64 " (%" PRId64 " incomplete)", rows[i].inputs,
				 rows[i].inputs - rows[i].complete);
		snprintf(rels, sizeof(rels), "%" PRId64, rows[i].releases);
		snprintf(revs, sizeof(revs), "%" PRId64, rows[i].revisions);
		/* the name comes from the inputs (a --cluster given at scan time): controls made visible */
		if (!(cells[0] = hr_termsafe_str(&esc, rows[i].name))) {
			rc = 1;
			break;
		}
		cells[1] = inputs;
		cells[2] = rows[i].first_scan ? rows[i].first_scan : "";
		cells[3] = rows[i].last_scan ? rows[i].last_scan : "";
		cells[4] = rels;
		cells[5] = revs;
		rc = hr_table_add_row(t, 6, cells);
	}
	if (!rc)
		rc = hr_table_write(out, t);
	hr_table_free(t);
	hr_buf_free(&esc);
	return rc;
}

int cmd_clusters(int argc, char **argv, hr_ctx *ctx)
{
	hr_cmd_query q = HR_CMD_QUERY_INIT("table");
	hr_option opts[] = {
		HR_CMD_OPT_OUTPUT_(&q, "table|json", "table (default) or json"),
		HR_OPT_END_,
	};
	hr_cluster_row *rows = NULL;
	size_t n = 0;
	int rc;

	if ((rc = hr_cmd_query_start(&q, argc, argv, &help, opts, ctx, 0, 0, NULL)))
		return rc < 0 ? 0 : rc;
	/* every cluster: the index is opened here, not scoped to one */
	if (hr_index_open(&q.idx, ctx->db, HR_INDEX_READONLY, &q.err) || hr_index_clusters(q.idx, &rows, &n, &q.err)) {
		rc = hr_cmd_fail(&q.err);
		goto out;
	}
	if ((!strcmp(q.fmt, "json") ? render_json(&q.out, rows, n) : render_table(&q.out, rows, n))) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "out of memory");
		goto out;
	}
	rc = hr_cmd_write(q.out.ptr, q.out.len) ? HR_EXIT_FAIL : 0;
out:
	hr_cluster_rows_free(rows, n);
	return hr_cmd_query_free(&q, rc);
}
