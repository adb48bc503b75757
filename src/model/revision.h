/*
 * revision.h — one revision of a release as the commands see it: the
 * summary the index returns and `history` / `list` print, and a revision
 * loaded whole (summary, release tree, object labels).
 *
 * Ownership: the strings of an hr_rev_summary are owned by the array when
 * the index filled it (hr_index_history, hr_index_all: free the array with
 * hr_rev_summaries_free) and borrowed from the release tree when
 * hr_rev_summary_from_json filled it (do not free them).  An hr_revision
 * array owns its summaries and trees: free with hr_revisions_free().
 */
#ifndef HR_MODEL_REVISION_H
#define HR_MODEL_REVISION_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

typedef struct hr_rev_summary {
	int64_t id;                  /* index row (revision.id); 0 when not read from an index */
	const char *name, *namespace;
	int64_t version;
	const char *status;          /* info.status */
	const char *chart_name, *chart_version, *app_version; /* chart.metadata */
	int has_chart;               /* chart and chart.metadata present (else MISSING) */
	const char *description;     /* info.description */
	const char *first_deployed, *last_deployed; /* RFC 3339 as stored, NULL if absent or "" */
	/* What only the index knows (NULL / 0 from a release tree). */
	const char *deleted, *apply_method;
	const char *driver;          /* storage driver of the newest sighting ("secret", "configmap", ...) */
	int is_live, conflict;
	int64_t state_order;
	/*
	 * When set (index-filled rows of hr_index_history / hr_index_all): one
	 * block holding every string above, freed alone by
	 * hr_rev_summaries_free instead of one free per string.
	 */
	char *strings;
} hr_rev_summary;

/*
 * Fill `out` from a release JSON tree (json-c view of the decoded record).
 * Strings point into `release` (valid while it lives).  Never fails: absent
 * fields stay NULL/0.
 */
void hr_rev_summary_from_json(hr_rev_summary *out, struct json_object *release);

/* Free an index-filled array of `n` summaries and their strings (NULL is fine). */
void hr_rev_summaries_free(hr_rev_summary *revs, size_t n);

/* One revision loaded whole. */
typedef struct hr_revision {
	hr_rev_summary sum;          /* strings owned */
	struct json_object *rel;     /* the release tree (owned) */
	struct json_object *labels;  /* object labels of the newest live sighting (owned, {} if none) */
} hr_revision;

/* Free `n` revisions (summaries, trees) and the array (NULL is fine). */
void hr_revisions_free(hr_revision *revs, size_t n);

#endif
