/*
 * map.c — the OLD=NEW maps of `helmrec export` (--namespace-map, --rename)
 * and the name rules their targets must satisfy: Kubernetes namespaces are
 * DNS-1123 labels, Helm release names follow ValidateReleaseName (at most
 * 53 characters, DNS-1123 subdomain shape, so dots are allowed).
 */
#include "export/export.h"

#include <stdlib.h>
#include <string.h>

static int is_alnum_lower(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* One DNS-1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, len bytes, len >= 1. */
static int valid_label(const char *s, size_t len)
{
	if (!len || !is_alnum_lower(s[0]) || !is_alnum_lower(s[len - 1]))
		return 0;
	for (size_t i = 1; i + 1 < len; i++)
		if (!is_alnum_lower(s[i]) && s[i] != '-')
			return 0;
	return 1;
}

int hr_export_valid_namespace(const char *s)
{
	size_t len = s ? strlen(s) : 0;

	return len <= 63 && valid_label(s, len);
}

int hr_export_valid_release_name(const char *s)
{
	size_t len = s ? strlen(s) : 0;
	const char *p = s, *dot;

	if (!len || len > 53)
		return 0;
	for (;;) {
		dot = strchr(p, '.');
		if (!valid_label(p, dot ? (size_t)(dot - p) : strlen(p)))
			return 0;
		if (!dot)
			return 1;
		p = dot + 1;
	}
}

const char *hr_export_map_lookup(const hr_export_map *map, const char *name)
{
	if (!map || !name)
		return name;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->pairs[i].from, name))
			return map->pairs[i].to;
	return name;
}

void hr_export_map_free(hr_export_map *map)
{
	for (size_t i = 0; i < map->n; i++) {
		free(map->pairs[i].from);
		free(map->pairs[i].to);
	}
	free(map->pairs);
	map->pairs = NULL;
	map->n = 0;
}

static int add_pair(hr_export_map *map, const char *from, size_t flen, const char *to, size_t tlen,
		    int kind, hr_error *err)
{
	const char *what = kind == HR_EXPORT_MAP_NAMESPACE ? "namespace" : "release name";
	hr_export_pair *np, p = { strndup(from, flen), strndup(to, tlen) };
	int ok, rc;

	if (!p.from || !p.to)
		goto nomem;
	ok = kind == HR_EXPORT_MAP_NAMESPACE ? hr_export_valid_namespace(p.to) : hr_export_valid_release_name(p.to);
	if (!*p.from || !ok) {
		rc = hr_error_set(err, HR_EINVAL, "invalid %s mapping \"%s=%s\": %s", what, p.from, p.to,
			     !*p.from ? "empty source" :
			     kind == HR_EXPORT_MAP_NAMESPACE ? "target must be a DNS-1123 label of at most 63 characters" :
			     "target must be a valid release name (at most 53 characters, lower-case alphanumerics, '-' and '.')");
		goto fail;
	}
	for (size_t i = 0; i < map->n; i++) {
		if (!strcmp(map->pairs[i].from, p.from)) {
			rc = hr_error_set(err, HR_EINVAL, "%s \"%s\" is mapped twice", what, p.from);
			goto fail;
		}
	}
	if (map->n >= SIZE_MAX / sizeof(*np) - 1)
		goto nomem;
	np = realloc(map->pairs, (map->n + 1) * sizeof(*np));
	if (!np)
		goto nomem;
	map->pairs = np;
	map->pairs[map->n++] = p;
	return 0;
nomem:
	rc = hr_error_set(err, HR_ENOMEM, "out of memory");
fail:
	free(p.from);
	free(p.to);
	return rc;
}

int hr_export_parse_map(hr_export_map *map, const char *spec, int kind, hr_error *err)
{
	const char *p = spec ? spec : "";

	if (!*p)
		return hr_error_set(err, HR_EINVAL, "empty mapping: expected OLD=NEW[,OLD=NEW...]");
	while (*p) {
		const char *end = strchr(p, ','), *eq;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int rc;

		eq = memchr(p, '=', len);
		if (!eq)
			return hr_error_set(err, HR_EINVAL, "mapping \"%.*s\" has no '=': expected OLD=NEW", (int)len, p);
		rc = add_pair(map, p, (size_t)(eq - p), eq + 1, len - (size_t)(eq - p) - 1, kind, err);
		if (rc)
			return rc;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}
