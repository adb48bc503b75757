/*
 * facts.h — what the audit reads from the index, as plain rows.
 *
 * The audit (src/audit/) must not write SQL of its own: these query
 * functions hand it the revisions helm would see with their sizes and
 * where they were found, the live storage objects with their labels, the
 * revision keys whose bodies conflict, and store its findings back into
 * the `finding` table (schema/index.sql, v4).
 *
 * Ownership: every array returned here is the caller's; free it with the
 * matching *_free function.  Strings inside rows are owned by the rows.
 */
#ifndef HR_INDEX_FACTS_H
#define HR_INDEX_FACTS_H

#include <stddef.h>
#include <stdint.h>
#include "index/index.h"

/* One revision as the audit sees it. */
typedef struct hr_fact_rev {
	int64_t id;
	char *namespace, *name;
	int64_t version;
	char *status, *chart_name, *chart_version, *apply_method;
	char *body_name;      /* the body's name when it differs from `name`, else NULL */
	char *driver;         /* driver of the first sighting: secret, configmap, sql, bare, helm2-* */
	char *object_name;    /* storage object (Secret/ConfigMap name, SQL key) of the newest live sighting, or NULL */
	char *sources;        /* input paths it was seen in, comma-separated */
	int64_t payload_size; /* bytes of the Helm string as stored (base64 of gzip), or of the JSON */
	int64_t json_size;
	int is_live;
} hr_fact_rev;

/*
 * The current revision of every revision key (what helm reads), oldest
 * first within each release, ordered by namespace, name, version.  `ns`
 * NULL = every namespace; `include_deleted` adds revisions seen only as
 * deleted or historical datastore values.
 */
int hr_facts_revisions(hr_index *idx, const char *ns, int include_deleted, hr_fact_rev **out, size_t *n,
		       hr_error *err);
void hr_fact_revs_free(hr_fact_rev *rows, size_t n);

/* One live sighting of a current revision in a Helm 3/4 Secret or ConfigMap. */
typedef struct hr_fact_sighting {
	int64_t revision_id;
	char *namespace, *name;   /* the revision key */
	int64_t version;
	char *status;             /* info.status of the body */
	char *body_name;          /* the body's name (never NULL) */
	char *driver, *object_name, *labels;  /* labels: JSON object as found */
	char *source, *location;
} hr_fact_sighting;

int hr_facts_live_objects(hr_index *idx, const char *ns, hr_fact_sighting **out, size_t *n, hr_error *err);
void hr_fact_sightings_free(hr_fact_sighting *rows, size_t n);

/* A revision key with several live bodies. */
typedef struct hr_fact_conflict {
	char *namespace, *name;
	int64_t version;
	int64_t bodies;       /* distinct bodies */
	char *statuses;       /* their statuses, comma-separated */
	char *sources;        /* the inputs holding them, comma-separated */
} hr_fact_conflict;

int hr_facts_conflicts(hr_index *idx, const char *ns, hr_fact_conflict **out, size_t *n, hr_error *err);
void hr_fact_conflicts_free(hr_fact_conflict *rows, size_t n);

/* A finding to store (all strings borrowed). */
typedef struct hr_finding_row {
	const char *rule, *severity, *namespace, *name;
	int64_t version;          /* newest revision concerned (0 = the release as a whole) */
	const char *revisions;    /* every revision concerned, comma-separated */
	const char *message, *evidence, *remedy;
} hr_finding_row;

/*
 * Replace the stored findings of `rules` (nrules ids; 0 = every rule) in
 * namespace `ns` (NULL = all) by `rows`, in one transaction.
 */
int hr_facts_store_findings(hr_index *idx, const char *ns, const char *const *rules, size_t nrules,
			    const hr_finding_row *rows, size_t n, hr_error *err);

#endif
