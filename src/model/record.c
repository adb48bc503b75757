/*
 * record.c — hr_record construction, labels, and key parsing: the one
 * place a record's strings and label arrays are allocated and freed, plus
 * the driver/state name tables and the Helm v1 storage key parser.
 */
#include "model/record.h"
#include "util/array.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int hr_record_new(hr_record **out)
{
	hr_record *r = calloc(1, sizeof(*r));

	*out = r;
	return r ? 0 : HR_ENOMEM;
}

void hr_labels_free(hr_label *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(l[i].key);
		free(l[i].value);
	}
	free(l);
}

void hr_record_free(hr_record *r)
{
	if (!r)
		return;
	free(r->name);
	free(r->namespace);
	hr_labels_free(r->labels, r->nlabels);
	hr_labels_free(r->annotations, r->nannotations);
	free(r->created);
	free(r->source_path);
	free(r->location);
	free(r->payload);
	free(r);
}

int hr_record_set_str(char **field, const char *s)
{
	char *copy = NULL;

	if (s && !(copy = strdup(s)))
		return HR_ENOMEM;
	free(*field);
	*field = copy;
	return 0;
}

int hr_record_set_payload(hr_record *r, const char *data, size_t len)
{
	char *p;

	if (len == SIZE_MAX || !(p = malloc(len + 1)))
		return HR_ENOMEM;
	memcpy(p, data, len);
	p[len] = '\0';
	free(r->payload);
	r->payload = p;
	r->payload_len = len;
	return 0;
}

int hr_labels_add(hr_label **arr, size_t *n, size_t *cap, const char *k, const char *v)
{
	hr_label *p;

	if (HR_ARRAY_GROW(*arr, *n + 1, *cap))
		return HR_ENOMEM;
	p = *arr;
	p[*n].key = strdup(k);
	p[*n].value = strdup(v ? v : "");
	if (!p[*n].key || !p[*n].value) {
		free(p[*n].key);
		free(p[*n].value);
		return HR_ENOMEM;
	}
	(*n)++;
	return 0;
}

int hr_record_add_label(hr_record *r, const char *key, const char *value)
{
	return hr_labels_add(&r->labels, &r->nlabels, &r->labels_alloc, key, value);
}

int hr_record_add_annotation(hr_record *r, const char *key, const char *value)
{
	return hr_labels_add(&r->annotations, &r->nannotations, &r->annotations_alloc, key, value);
}

const char *hr_record_label(const hr_record *r, const char *key)
{
	for (size_t i = 0; i < r->nlabels; i++)
		if (!strcmp(r->labels[i].key, key))
			return r->labels[i].value;
	return NULL;
}

static const char *const driver_names[] = {
	[HR_DRIVER_UNKNOWN] = "unknown",
	[HR_DRIVER_SECRET] = "secret",
	[HR_DRIVER_CONFIGMAP] = "configmap",
	[HR_DRIVER_SQL] = "sql",
	[HR_DRIVER_BARE] = "bare",
	[HR_DRIVER_HELM2_CONFIGMAP] = "helm2-configmap",
	[HR_DRIVER_HELM2_SECRET] = "helm2-secret",
	[HR_DRIVER_MEMORY] = "memory",
};

const char *hr_driver_name(hr_driver d)
{
	if ((unsigned)d < sizeof(driver_names) / sizeof(driver_names[0]))
		return driver_names[d];
	return "unknown";
}

hr_driver hr_driver_parse(const char *s)
{
	if (!strcmp(s, "secret") || !strcmp(s, "secrets"))
		return HR_DRIVER_SECRET;
	if (!strcmp(s, "configmap") || !strcmp(s, "configmaps"))
		return HR_DRIVER_CONFIGMAP;
	if (!strcmp(s, "sql"))
		return HR_DRIVER_SQL;
	if (!strcmp(s, "bare"))
		return HR_DRIVER_BARE;
	if (!strcmp(s, "helm2-configmap"))
		return HR_DRIVER_HELM2_CONFIGMAP;
	if (!strcmp(s, "helm2-secret"))
		return HR_DRIVER_HELM2_SECRET;
	if (!strcmp(s, "memory"))
		return HR_DRIVER_MEMORY;
	return HR_DRIVER_UNKNOWN;
}

const char *hr_state_name(hr_sighting_state s)
{
	switch (s) {
	case HR_STATE_LIVE: return "live";
	case HR_STATE_HISTORICAL: return "historical";
	case HR_STATE_DELETED: return "deleted";
	case HR_STATE_CARVED: return "carved";
	}
	return "unknown";
}

int hr_record_parse_key(const char *key, char **name_out, int64_t *version_out)
{
	static const char prefix[] = "sh.helm.release.v1.";
	const char *rest, *dot, *p;
	int64_t v = 0;

	*name_out = NULL;
	if (strncmp(key, prefix, sizeof(prefix) - 1))
		return HR_EFORMAT;
	rest = key + sizeof(prefix) - 1;
	dot = strrchr(rest, '.');
	if (!dot || dot == rest || dot[1] != 'v' || !dot[2])
		return HR_EFORMAT;
	for (p = dot + 2; *p; p++) {
		if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10)
			return HR_EFORMAT;
		v = v * 10 + (*p - '0');
	}
	*name_out = strndup(rest, (size_t)(dot - rest));
	if (!*name_out)
		return HR_ENOMEM;
	*version_out = v;
	return 0;
}
