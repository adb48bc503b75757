/*
 * kubeapi.c — the Kubernetes API deprecation table, read by the audit's
 * deprecated-api rule and by `repair --map-apis`.
 *
 * The table is helmrec's own data file, formats/kube-deprecations.tsv,
 * embedded at build time (scripts/embed.cmake) as hr_kube_deprecations_tsv.
 * It is parsed once into a static array; a malformed line is a build-time
 * bug and makes hr_deprecations() fail with HR_EFORMAT naming the line.
 */
#include "model/kubeapi.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

extern const char hr_kube_deprecations_tsv[];

#define MAX_ROWS 256

static hr_deprecation table[MAX_ROWS];
static size_t table_n;
static int table_done;

int hr_kube_version_parse(const char *s, int *major, int *minor)
{
	char *end;
	long ma, mi;

	if (!s)
		return HR_EINVAL;
	if (*s == 'v')
		s++;
	if (*s < '0' || *s > '9')
		return HR_EINVAL;
	errno = 0;
	ma = strtol(s, &end, 10);
	if (errno || *end != '.' || end[1] < '0' || end[1] > '9')
		return HR_EINVAL;
	mi = strtol(end + 1, &end, 10);
	if (errno || (*end && *end != '.') || ma > 1000 || mi > 1000)
		return HR_EINVAL;
	*major = (int)ma;
	*minor = (int)mi;
	return 0;
}

/* Copy field [p, q) into dst (size cap); 0 or -1 if it does not fit. */
static int field(char *dst, size_t cap, const char *p, const char *q)
{
	size_t len = (size_t)(q - p);

	if (len == 0 || len >= cap)
		return -1;
	memcpy(dst, p, len);
	dst[len] = 0;
	return 0;
}

static int parse_line(hr_deprecation *d, const char *line, const char *eol)
{
	const char *f[5], *p = line;
	char ver[16];
	size_t i;

	for (i = 0; i < 5; i++) {
		f[i] = p;
		while (p < eol && *p != '\t')
			p++;
		if (i < 4) {
			if (p >= eol)
				return -1;
			p++;
		}
	}
	if (field(d->api_version, sizeof(d->api_version), f[0], f[1] - 1) ||
	    field(d->kind, sizeof(d->kind), f[1], f[2] - 1) ||
	    field(ver, sizeof(ver), f[2], f[3] - 1) || hr_kube_version_parse(ver, &d->dep_major, &d->dep_minor) ||
	    field(ver, sizeof(ver), f[3], f[4] - 1) || hr_kube_version_parse(ver, &d->rem_major, &d->rem_minor) ||
	    field(d->replacement, sizeof(d->replacement), f[4], eol))
		return -1;
	if (!strcmp(d->replacement, "-"))
		d->replacement[0] = 0;
	return 0;
}

int hr_deprecations(const hr_deprecation **out, size_t *n, hr_error *err)
{
	const char *p = hr_kube_deprecations_tsv;
	size_t lineno = 0;

	if (!table_done) {
		table_n = 0;
		while (*p) {
			const char *eol = strchr(p, '\n');

			if (!eol)
				eol = p + strlen(p);
			lineno++;
			if (eol > p && *p != '#') {
				if (table_n == MAX_ROWS || parse_line(&table[table_n], p, eol))
					return hr_error_set(err, HR_EFORMAT, "formats/kube-deprecations.tsv: line %zu: bad entry",
							    lineno);
				table_n++;
			}
			p = *eol ? eol + 1 : eol;
		}
		table_done = 1;
	}
	*out = table;
	*n = table_n;
	return 0;
}

const hr_deprecation *hr_deprecation_find(const char *api_version, const char *kind)
{
	const hr_deprecation *t;
	size_t n;

	if (!api_version || !kind || hr_deprecations(&t, &n, NULL))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].api_version, api_version) && !strcmp(t[i].kind, kind))
			return &t[i];
	return NULL;
}
