/*
 * drift_out.c — a drift report as text: the JSON array of docs/drift.md,
 * the table `helmrec drift` prints, and the body of the RESOURCES section
 * `helmrec status` prints (kubectl-like tables per "VERSION/KIND" as helm's
 * statusPrinter writes them, filled from the live objects of the backup).
 * Formatting only: the judging is drift.c's.
 */
#include "drift/drift.h"
#include "model/release.h"
#include "util/array.h"
#include "util/gotime.h"
#include "util/termsafe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nomem(hr_error *err)
{
	return hr_error_set(err, HR_ENOMEM, "out of memory");
}

/* ---- JSON ---- */

/* A difference value: the JSON it holds, null when absent. */
static struct json_object *value_json(const char *text)
{
	struct json_object *v;

	if (!text)
		return NULL;
	v = json_tokener_parse(text);
	return v ? v : json_object_new_string(text);
}

/* A new object appended to `arr`; NULL when out of memory. */
static struct json_object *append_object(struct json_object *arr)
{
	struct json_object *o = json_object_new_object();

	if (o && json_object_array_add(arr, o)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* Add a new empty array under `key` of `o`; NULL when out of memory. */
static struct json_object *add_array(struct json_object *o, const char *key)
{
	struct json_object *a = json_object_new_array();

	if (a && json_object_object_add(o, key, a)) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

/* Append difference d to `diffs` as {path, stored, live, managers}; 0 or HR_ENOMEM. */
static int diff_json(struct json_object *diffs, const hr_drift_diff *d)
{
	struct json_object *dj = append_object(diffs), *mg;

	if (!dj)
		return HR_ENOMEM;
	json_object_object_add(dj, "path", json_object_new_string(d->path));
	json_object_object_add(dj, "stored", value_json(d->stored));
	json_object_object_add(dj, "live", value_json(d->live));
	if (!(mg = add_array(dj, "managers")))
		return HR_ENOMEM;
	for (size_t m = 0; m < d->nmanagers; m++)
		json_object_array_add(mg, json_object_new_string(d->managers[m]));
	return 0;
}

int hr_drift_json(hr_buf *out, const hr_drift_report *r, hr_error *err)
{
	struct json_object *arr = json_object_new_array();
	int oom = !arr;

	for (size_t i = 0; i < r->n && !oom; i++) {
		const hr_drift_item *it = &r->items[i];
		struct json_object *o = append_object(arr), *diffs;

		if (!o) {
			oom = 1;
			break;
		}
		json_object_object_add(o, "namespace", json_object_new_string(it->release_namespace));
		json_object_object_add(o, "release", json_object_new_string(it->release));
		json_object_object_add(o, "revision", it->revision ? json_object_new_int64(it->revision) : NULL);
		json_object_object_add(o, "apiVersion", json_object_new_string(it->api_version));
		json_object_object_add(o, "kind", json_object_new_string(it->kind));
		json_object_object_add(o, "name", json_object_new_string(it->name));
		json_object_object_add(o, "state", json_object_new_string(hr_drift_state_name(it->state)));
		if (!(diffs = add_array(o, "differences"))) {
			oom = 1;
			break;
		}
		for (size_t k = 0; k < it->ndiffs && !oom; k++)
			oom = diff_json(diffs, &it->diffs[k]) < 0;
	}
	if (!oom) {
		const char *s = json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							       JSON_C_TO_STRING_NOSLASHESCAPE);

		/* DEL, C1 and bytes outside UTF-8 from the inputs as JSON escapes too */
		oom = !s || hr_termsafe_json(out, s, strlen(s)) || hr_buf_putc(out, '\n');
	}
	json_object_put(arr);
	return oom ? nomem(err) : 0;
}

/* ---- tables: columns padded to the widest cell + 3, the last one unpadded (kubectl's tabwriter) ---- */

typedef struct table {
	char **cells;
	size_t ncols, n, alloc;
} table;

/* Cells are names from the inputs: terminal controls made visible (util/termsafe.h). */
static int table_add(table *t, const char *const *row)
{
	if (HR_ARRAY_GROW(t->cells, t->n + t->ncols, t->alloc))
		return HR_ENOMEM;
	for (size_t c = 0; c < t->ncols; c++) {
		hr_buf b = HR_BUF_INIT;

		if (hr_termsafe_put(&b, row[c] ? row[c] : "", row[c] ? strlen(row[c]) : 0)) {
			hr_buf_free(&b);
			return HR_ENOMEM;
		}
		if (!(t->cells[t->n + c] = hr_buf_detach(&b, NULL)))
			return HR_ENOMEM;
	}
	t->n += t->ncols;
	return 0;
}

static void table_free(table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

/* Write every row of t, each column as wide as its widest cell. */
static int table_write(hr_buf *out, const table *t)
{
	size_t w[16] = { 0 }, rows = t->ncols ? t->n / t->ncols : 0;

	for (size_t r = 0; r < rows; r++)
		for (size_t c = 0; c < t->ncols && c < 16; c++)
			if (strlen(t->cells[r * t->ncols + c]) > w[c])
				w[c] = strlen(t->cells[r * t->ncols + c]);
	for (size_t r = 0; r < rows; r++) {
		for (size_t c = 0; c < t->ncols && c < 16; c++) {
			const char *cell = t->cells[r * t->ncols + c];

			if (c + 1 < t->ncols) {
				if (hr_buf_printf(out, "%-*s", (int)(w[c] + 3), cell))
					return HR_ENOMEM;
			} else if (hr_buf_puts(out, cell)) {
				return HR_ENOMEM;
			}
		}
		if (hr_buf_putc(out, '\n'))
			return HR_ENOMEM;
	}
	return 0;
}

/* One RESOURCES group: unless rc is already an error, write t and a blank line; free t either way. */
static int table_flush(hr_buf *out, table *t, int rc)
{
	if (!rc)
		rc = table_write(out, t);
	if (!rc)
		rc = hr_buf_putc(out, '\n');
	table_free(t);
	return rc;
}

static const char *value_text(const char *v)
{
	return v ? v : "(absent)";
}

int hr_drift_table(hr_buf *out, const hr_drift_report *r, hr_error *err)
{
	static const char *const head[] = { "NAMESPACE", "RELEASE", "REVISION", "KIND", "NAME", "STATE" };
	hr_buf line = HR_BUF_INIT;
	int rc = 0;

	/* one table per item so the difference lines can follow it; widths over all items */
	table all = { .ncols = 6 };
	size_t w[6] = { 0 };

	rc = table_add(&all, head);
	for (size_t i = 0; i < r->n && !rc; i++) {
		const hr_drift_item *it = &r->items[i];
		char rev[24], kind[256], name[512];
		const char *row[6];

		snprintf(rev, sizeof(rev), "%lld", (long long)it->revision);
		snprintf(kind, sizeof(kind), "%s/%s", it->api_version, it->kind);
		snprintf(name, sizeof(name), "%s%s%s", it->namespace, *it->namespace ? "/" : "", it->name);
		row[0] = it->release_namespace; row[1] = it->release; row[2] = it->revision ? rev : "-";
		row[3] = kind; row[4] = name; row[5] = hr_drift_state_name(it->state);
		rc = table_add(&all, row);
	}
	for (size_t k = 0; !rc && k < all.n; k++)
		if (strlen(all.cells[k]) > w[k % 6])
			w[k % 6] = strlen(all.cells[k]);
	for (size_t row = 0; !rc && row < all.n / 6; row++) {
		const hr_drift_item *it = row ? &r->items[row - 1] : NULL;

		for (size_t c = 0; c < 6 && !rc; c++)
			rc = c < 5 ? hr_buf_printf(out, "%-*s", (int)(w[c] + 3), all.cells[row * 6 + c])
				   : hr_buf_printf(out, "%s\n", all.cells[row * 6 + c]);
		if (!it)
			continue;
		hr_buf_clear(&line);
		if (it->note && it->state != HR_DRIFT_IN_SYNC)
			rc = hr_buf_printf(&line, "    %s\n", it->note);
		for (size_t d = 0; d < it->ndiffs && !rc; d++) {
			const hr_drift_diff *df = &it->diffs[d];

			rc = hr_buf_printf(&line, "    %s: stored %s, live %s", df->path, value_text(df->stored),
					   value_text(df->live));
			for (size_t m = 0; m < df->nmanagers && !rc; m++)
				rc = hr_buf_printf(&line, "%s%s", m ? ", " : " (managers: ", df->managers[m]);
			if (!rc)
				rc = hr_buf_puts(&line, df->nmanagers ? ")\n" : " (no manager owns it live)\n");
		}
		/* paths, values and managers come from the inputs, as the cells do */
		if (!rc && line.len)
			rc = hr_termsafe_put(out, line.ptr, line.len);
	}
	table_free(&all);
	hr_buf_free(&line);
	return rc ? nomem(err) : 0;
}

/* ---- status RESOURCES ---- */

/* kubectl's duration.HumanDuration. */
static void human_duration(char *buf, size_t n, int64_t secs)
{
	int64_t minutes = secs / 60, hours = secs / 3600;

	if (secs < -1)
		snprintf(buf, n, "<invalid>");
	else if (secs < 0)
		snprintf(buf, n, "0s");
	else if (secs < 120)
		snprintf(buf, n, "%llds", (long long)secs);
	else if (minutes < 10)
		secs % 60 ? snprintf(buf, n, "%lldm%llds", (long long)minutes, (long long)(secs % 60))
			  : snprintf(buf, n, "%lldm", (long long)minutes);
	else if (minutes < 180)
		snprintf(buf, n, "%lldm", (long long)minutes);
	else if (hours < 8)
		minutes % 60 ? snprintf(buf, n, "%lldh%lldm", (long long)hours, (long long)(minutes % 60))
			     : snprintf(buf, n, "%lldh", (long long)hours);
	else if (hours < 48)
		snprintf(buf, n, "%lldh", (long long)hours);
	else if (hours < 24 * 8)
		hours % 24 ? snprintf(buf, n, "%lldd%lldh", (long long)(hours / 24), (long long)(hours % 24))
			   : snprintf(buf, n, "%lldd", (long long)(hours / 24));
	else if (hours < 24 * 365 * 2)
		snprintf(buf, n, "%lldd", (long long)(hours / 24));
	else if (hours < 24 * 365 * 8)
		(hours / 24) % 365 ? snprintf(buf, n, "%lldy%lldd", (long long)(hours / 24 / 365),
					      (long long)((hours / 24) % 365))
				   : snprintf(buf, n, "%lldy", (long long)(hours / 24 / 365));
	else
		snprintf(buf, n, "%lldy", (long long)(hours / 24 / 365));
}

static int64_t unix_of(const char *rfc, int *ok)
{
	hr_gotime t;
	hr_error e = HR_ERROR_INIT;

	*ok = rfc && *rfc && hr_gotime_parse(&t, rfc, &e) == 0;
	return *ok ? t.unix : 0;
}

static int64_t int_at(struct json_object *o, const char *a, const char *b, int64_t dflt)
{
	struct json_object *v = hr_release_member(hr_release_member(o, a), b);

	return v && (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))
		       ? json_object_get_int64(v) : dflt;
}

static size_t count_members(struct json_object *o)
{
	return o && json_object_is_type(o, json_type_object) ? (size_t)json_object_object_length(o) : 0;
}

/* The kind's kubectl columns between NAME and AGE into cells (at most 4), their headers into head. */
static size_t kind_columns(const char *kind, struct json_object *live, const char **head, char cells[][256])
{
	struct json_object *spec = hr_release_member(live, "spec");

	if (!strcmp(kind, "Deployment") || !strcmp(kind, "StatefulSet")) {
		head[0] = "READY";
		snprintf(cells[0], 256, "%lld/%lld", (long long)int_at(live, "status", "readyReplicas", 0),
			 (long long)int_at(live, "spec", "replicas", 1));
		if (!strcmp(kind, "StatefulSet"))
			return 1;
		head[1] = "UP-TO-DATE";
		snprintf(cells[1], 256, "%lld", (long long)int_at(live, "status", "updatedReplicas", 0));
		head[2] = "AVAILABLE";
		snprintf(cells[2], 256, "%lld", (long long)int_at(live, "status", "availableReplicas", 0));
		return 3;
	}
	if (!strcmp(kind, "ConfigMap")) {
		head[0] = "DATA";
		snprintf(cells[0], 256, "%zu", count_members(hr_release_member(live, "data")) +
						 count_members(hr_release_member(live, "binaryData")));
		return 1;
	}
	if (!strcmp(kind, "Secret")) {
		head[0] = "TYPE";
		snprintf(cells[0], 256, "%s", hr_release_member_str(live, "type", ""));
		head[1] = "DATA";
		snprintf(cells[1], 256, "%zu", count_members(hr_release_member(live, "data")));
		return 2;
	}
	if (!strcmp(kind, "ServiceAccount")) {
		struct json_object *s = hr_release_member(live, "secrets");

		head[0] = "SECRETS";
		snprintf(cells[0], 256, "%zu", s && json_object_is_type(s, json_type_array) ? json_object_array_length(s) : 0);
		return 1;
	}
	if (!strcmp(kind, "Service")) {
		struct json_object *ports = hr_release_member(spec, "ports");
		const char *type = hr_release_member_str(spec, "type", "ClusterIP");
		size_t n = ports && json_object_is_type(ports, json_type_array) ? json_object_array_length(ports) : 0;
		size_t len = 0;

		head[0] = "TYPE";
		snprintf(cells[0], 256, "%s", type);
		head[1] = "CLUSTER-IP";
		snprintf(cells[1], 256, "%s", hr_release_member_str(spec, "clusterIP", "<none>"));
		head[2] = "EXTERNAL-IP";
		snprintf(cells[2], 256, "%s", !strcmp(type, "LoadBalancer") ? "<pending>" : "<none>");
		head[3] = "PORT(S)";
		cells[3][0] = '\0';
		for (size_t i = 0; i < n && len < 200; i++) {
			struct json_object *p = json_object_array_get_idx(ports, i);
			int64_t node = hr_release_int(p, "nodePort", 0);
			int w;

			if (node)
				w = snprintf(cells[3] + len, 256 - len, "%s%lld:%lld/%s", i ? "," : "",
					     (long long)hr_release_int(p, "port", 0), (long long)node,
					     hr_release_member_str(p, "protocol", "TCP"));
			else
				w = snprintf(cells[3] + len, 256 - len, "%s%lld/%s", i ? "," : "",
					     (long long)hr_release_int(p, "port", 0), hr_release_member_str(p, "protocol", "TCP"));
			if (w > 0)
				len += (size_t)w < 256 - len ? (size_t)w : 256 - len - 1;
		}
		if (!n)
			snprintf(cells[3], 256, "<none>");
		return 4;
	}
	return 0;
}

static int cmp_items(const void *a, const void *b)
{
	const hr_drift_item *x = *(const hr_drift_item *const *)a, *y = *(const hr_drift_item *const *)b;
	const char *vx = strchr(x->api_version, '/'), *vy = strchr(y->api_version, '/');
	int c = strcmp(vx ? vx + 1 : x->api_version, vy ? vy + 1 : y->api_version);

	if (!c)
		c = strcmp(x->kind, y->kind);
	if (!c)
		c = strcmp(x->namespace, y->namespace);
	if (!c)
		c = strcmp(x->name, y->name);
	return c;
}

int hr_drift_resources_text(hr_buf *out, const hr_drift_report *r, hr_error *err)
{
	const hr_drift_item **sorted = NULL;
	const char *newest = NULL;
	int64_t at;
	size_t n = 0, missing = 0;
	int rc = 0, ok;

	if (r->n && !(sorted = calloc(r->n, sizeof(*sorted))))
		return nomem(err);
	for (size_t i = 0; i < r->n; i++) {
		const hr_drift_item *it = &r->items[i];

		if (it->state == HR_DRIFT_ORPHAN)
			continue;
		if (!it->live) {
			missing++;
			continue;
		}
		sorted[n++] = it;
		if (it->observed && (!newest || strcmp(it->observed, newest) > 0))
			newest = it->observed;
	}
	if (!n)
		goto out;
	qsort(sorted, n, sizeof(*sorted), cmp_items);
	at = unix_of(newest, &ok);
	rc = hr_buf_printf(out, "(from the backup's objects as of %s, not from a cluster)\n", newest ? newest : "an unknown time");
	for (size_t i = 0; i < n && !rc;) {
		const hr_drift_item *first = sorted[i];
		const char *v = strchr(first->api_version, '/');
		const char *head[8] = { "NAME" };
		char cells[4][256];
		table t = { 0 };
		size_t j = i, extra = kind_columns(first->kind, first->live, head + 1, cells);

		head[extra + 1] = "AGE";
		t.ncols = extra + 2;
		rc = hr_buf_printf(out, "==> %s/%s\n", v ? v + 1 : first->api_version, first->kind) ? HR_ENOMEM
												      : table_add(&t, head);
		for (j = i; !rc && j < n; j++) {
			const hr_drift_item *it = sorted[j];
			const char *vj = strchr(it->api_version, '/');
			const char *row[8];
			char age[32];
			int64_t created = unix_of(hr_release_member_str(hr_release_member(it->live, "metadata"),
									"creationTimestamp", ""), &ok);

			if (strcmp(vj ? vj + 1 : it->api_version, v ? v + 1 : first->api_version) || strcmp(it->kind, first->kind))
				break;
			kind_columns(it->kind, it->live, head + 1, cells);
			row[0] = it->name;
			for (size_t c = 0; c < extra; c++)
				row[c + 1] = cells[c];
			if (ok)
				human_duration(age, sizeof(age), at - created);
			else
				snprintf(age, sizeof(age), "<unknown>");
			row[extra + 1] = age;
			rc = table_add(&t, row);
		}
		rc = table_flush(out, &t, rc);
		i = j;
	}
	if (!rc && missing) {
		static const char *const head[] = { "RESOURCE", "NAME" };
		table t = { .ncols = 2 };

		rc = hr_buf_puts(out, "==> missing from the backup\n") ? HR_ENOMEM : table_add(&t, head);
		for (size_t i = 0; i < r->n && !rc; i++) {
			const hr_drift_item *it = &r->items[i];
			const char *v = strchr(it->api_version, '/');
			char res[256];
			const char *row[2];

			if (it->state != HR_DRIFT_MISSING)
				continue;
			snprintf(res, sizeof(res), "%s/%s", v ? v + 1 : it->api_version, it->kind);
			row[0] = res;
			row[1] = it->name;
			rc = table_add(&t, row);
		}
		rc = table_flush(out, &t, rc);
	}
out:
	free(sorted);
	return rc ? nomem(err) : 0;
}
