/*
 * ingest.c — add one decoded record to the index.
 *
 * Identity of a revision is (namespace, release name, version): the
 * namespace of the storage object (where helm looks for it), the `name`
 * label (what helm's history query selects on), and the body's version.
 * When the object lacks them, the body supplies them, then the object key.
 * Helm 2 records take the namespace from the (converted) body: helm-2to3
 * writes them into the release's namespace, not Tiller's; the sighting
 * keeps Tiller's namespace as the object's.
 * A body is stored once per distinct JSON (sha256); every place it was seen
 * is a sighting.  Inserting the same record twice changes nothing.
 */
#include "index/index_int.h"
#include "model/release.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *labels_json(const hr_label *l, size_t n)
{
	struct json_object *o = json_object_new_object();
	char *s;

	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++)
		json_object_object_add(o, l[i].key, json_object_new_string(l[i].value));
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}

/* The cached statement `slot` with a release key bound: ?1 namespace, ?2 name, ?`cluster_i` the scan's cluster. */
static int prepare_key(hr_index *idx, int slot, const char *sql, int cluster_i, const char *ns, const char *name,
		       hr_db_stmt **st, hr_error *err)
{
	int rc = hr_index_prepare(idx, slot, sql, st, err);

	if (rc)
		return rc;
	hr_db_bind_text(*st, cluster_i, hr_index_cluster(idx), -1, HR_DB_STATIC);
	hr_db_bind_text(*st, 1, ns, -1, HR_DB_STATIC);
	hr_db_bind_text(*st, 2, name, -1, HR_DB_STATIC);
	return 0;
}

static int release_id(hr_index *idx, const char *ns, const char *name, int64_t *id, hr_error *err)
{
	hr_db_stmt *st;
	int rc = prepare_key(idx, ST_RELEASE_UPSERT,
		"INSERT INTO release(namespace, name, cluster) VALUES(?1, ?2, ?3) "
		"ON CONFLICT(cluster, namespace, name) DO UPDATE SET name = excluded.name RETURNING id", 3, ns, name,
		&st, err);

	if (rc)
		return rc;
	if (hr_db_step(st) != HR_DB_ROW)
		return hr_index_dberr(idx, err, "insert release");
	*id = hr_db_column_int64(st, 0);
	hr_db_reset(st);
	return 0;
}

/* The id of the revision row with this key and body: 0 found, 1 none, or an error. */
static int find_revision(hr_index *idx, const char *ns, const char *name, int64_t version, const char *json_sha,
			 int64_t *id, hr_error *err)
{
	hr_db_stmt *st;
	int rc = prepare_key(idx, ST_REV_FIND,
		"SELECT id FROM revision WHERE namespace = ?1 AND name = ?2 AND version = ?3 AND json_sha256 = ?4"
		" AND cluster = ?5", 5, ns, name, &st, err);

	if (rc)
		return rc;
	hr_db_bind_int64(st, 3, version);
	hr_db_bind_text(st, 4, json_sha, -1, HR_DB_STATIC);
	rc = hr_db_step(st);
	if (rc == HR_DB_ROW)
		*id = hr_db_column_int64(st, 0);
	hr_db_reset(st);
	if (rc == HR_DB_ROW)
		return 0;
	if (rc != HR_DB_DONE)
		return hr_index_dberr(idx, err, "find revision");
	return 1;
}

/*
 * Find the body row, inserting it if new; *is_new tells which.  The insert
 * is idempotent (ON CONFLICT … DO NOTHING, then the row is looked up
 * again), so a concurrent writer of the same body cannot fail it.
 */
static int revision_row(hr_index *idx, int64_t rel_id, const char *ns, const char *name, int64_t version,
			const hr_record *rec, const hr_decoded *dec, struct json_object *rel,
			const char *json_sha, const char *payload_sha, int64_t *id, int *is_new, hr_error *err)
{
	const char *body_ns = hr_release_namespace(rel), *body_name = hr_release_name(rel);
	const char *cn, *cv;
	hr_db_stmt *st;
	int rc;

	*is_new = 0;
	if ((rc = find_revision(idx, ns, name, version, json_sha, id, err)) != 1)
		return rc;

	rc = hr_index_prepare(idx, ST_REV_INSERT,
		"INSERT INTO revision(release_id, namespace, name, version, status, chart_name, chart_version,"
		" app_version, has_chart, description, first_deployed, last_deployed, deleted, apply_method,"
		" body_namespace, body_name, driver, payload_sha256, json_sha256, payload_size, json_size, cluster)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?21,?22,?23)"
		" ON CONFLICT(cluster, namespace, name, version, json_sha256) DO NOTHING RETURNING id", &st, err);
	if (rc)
		return rc;
	cn = hr_release_str(rel, "chart.metadata.name");
	cv = hr_release_str(rel, "chart.metadata.version");
	hr_db_bind_int64(st, 1, rel_id);
	hr_db_bind_text(st, 2, ns, -1, HR_DB_STATIC);
	hr_db_bind_text(st, 3, name, -1, HR_DB_STATIC);
	hr_db_bind_int64(st, 4, version);
	hr_index_bind_opt(st, 5, hr_release_status(rel));
	hr_index_bind_opt(st, 6, cn);
	hr_index_bind_opt(st, 7, cv);
	hr_index_bind_opt(st, 8, hr_release_str(rel, "chart.metadata.appVersion"));
	{
		struct json_object *md = hr_release_get(rel, "chart.metadata");
		hr_db_bind_int(st, 9, md && json_object_is_type(md, json_type_object));
	}
	hr_index_bind_opt(st, 10, hr_release_str(rel, "info.description"));
	hr_index_bind_opt(st, 11, hr_release_str_nonempty(rel, "info.first_deployed"));
	hr_index_bind_opt(st, 12, hr_release_str_nonempty(rel, "info.last_deployed"));
	hr_index_bind_opt(st, 13, hr_release_str_nonempty(rel, "info.deleted"));
	hr_index_bind_opt(st, 14, hr_release_str(rel, "apply_method"));
	hr_index_bind_opt(st, 15, body_ns && strcmp(body_ns, ns) ? body_ns : NULL);
	hr_index_bind_opt(st, 16, body_name && strcmp(body_name, name) ? body_name : NULL);
	hr_db_bind_text(st, 17, hr_driver_name(rec->driver), -1, HR_DB_STATIC);
	hr_index_bind_opt(st, 18, payload_sha);
	hr_db_bind_text(st, 19, json_sha, -1, HR_DB_STATIC);
	hr_db_bind_int64(st, 21, (int64_t)(dec->helm.len ? dec->helm.len : dec->body.len));
	hr_db_bind_int64(st, 22, (int64_t)dec->body.len);
	hr_db_bind_text(st, 23, hr_index_cluster(idx), -1, HR_DB_STATIC);
	rc = hr_db_step(st);
	if (rc == HR_DB_DONE) {
		/* another writer stored this body since the lookup: its row is the one */
		hr_db_reset(st);
		if ((rc = find_revision(idx, ns, name, version, json_sha, id, err)) == 1)
			rc = hr_error_set(err, HR_EDB, "insert revision: %s/%s version %lld: row vanished",
					  ns, name, (long long)version);
		return rc;
	}
	if (rc != HR_DB_ROW)
		return hr_index_dberr(idx, err, "insert revision");
	*id = hr_db_column_int64(st, 0);
	hr_db_reset(st);
	*is_new = 1;
	/* Keep the compressed Helm string when there is one; else the JSON itself. */
	rc = hr_index_prepare(idx, ST_PAYLOAD_INSERT, "INSERT INTO payload(revision_id, data) VALUES(?1, ?2)"
		" ON CONFLICT(revision_id) DO NOTHING", &st, err);
	if (rc)
		return rc;
	hr_db_bind_int64(st, 1, *id);
	if (dec->helm.len)
		hr_db_bind_blob(st, 2, dec->helm.ptr, dec->helm.len, HR_DB_STATIC);
	else
		hr_db_bind_blob(st, 2, dec->body.ptr ? dec->body.ptr : "", dec->body.len, HR_DB_STATIC);
	if (hr_db_step(st) != HR_DB_DONE)
		return hr_index_dberr(idx, err, "insert payload");
	hr_db_reset(st);
	return 0;
}

static int add_sighting(hr_index *idx, int64_t rev_id, int64_t source_id, const hr_record *rec,
			const char *payload_sha, hr_error *err)
{
	hr_db_stmt *st;
	char *labels = labels_json(rec->labels, rec->nlabels);
	char *annots = labels_json(rec->annotations, rec->nannotations);
	int rc;

	if (!labels || !annots) {
		free(labels);
		free(annots);
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	rc = hr_index_prepare(idx, ST_SIGHT_INSERT,
		"INSERT OR IGNORE INTO sighting(revision_id, source_id, driver, object_name, object_namespace,"
		" location, offset, state, ds_revision, ds_create_revision, ds_version, labels, annotations,"
		" created, payload_sha256, ds_until) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)", &st, err);
	if (!rc) {
		char loc[4096];

		snprintf(loc, sizeof(loc), "%s%s%s", rec->source_path ? rec->source_path : "",
			 rec->location ? ": " : "", rec->location ? rec->location : "");
		hr_db_bind_int64(st, 1, rev_id);
		hr_db_bind_int64(st, 2, source_id);
		hr_db_bind_text(st, 3, hr_driver_name(rec->driver), -1, HR_DB_STATIC);
		hr_index_bind_opt(st, 4, rec->name);
		hr_index_bind_opt(st, 5, rec->namespace);
		hr_db_bind_text(st, 6, loc, -1, HR_DB_TRANSIENT);
		hr_db_bind_int64(st, 7, (int64_t)rec->offset);
		hr_db_bind_text(st, 8, hr_state_name(rec->state), -1, HR_DB_STATIC);
		hr_db_bind_int64(st, 9, rec->ds_revision);
		hr_db_bind_int64(st, 10, rec->ds_create_revision);
		hr_db_bind_int64(st, 11, rec->ds_version);
		hr_db_bind_text(st, 12, labels, -1, HR_DB_STATIC);
		hr_db_bind_text(st, 13, annots, -1, HR_DB_STATIC);
		hr_index_bind_opt(st, 14, rec->created);
		hr_index_bind_opt(st, 15, payload_sha);
		hr_db_bind_int64(st, 16, rec->ds_until_revision);
		if (hr_db_step(st) != HR_DB_DONE)
			rc = hr_index_dberr(idx, err, "insert sighting");
		hr_db_reset(st);
	}
	free(labels);
	free(annots);
	return rc;
}

/*
 * Labels that disagree with the body are not checked here: the
 * label-mismatch rule of `helmrec audit` (src/audit/) reads them back from
 * the sightings.
 */
int hr_index_add(hr_index *idx, int64_t source_id, const hr_record *rec,
		 const hr_decoded *dec, struct json_object *rel, const hr_derived *derived,
		 const char *json_sha_in, const char *payload_sha_in, hr_error *err)
{
	char json_sha[65], payload_sha[65];
	const char *ns, *name, *label;
	char *key_name = NULL;
	int64_t version, rel_id = 0, rev_id = 0, key_version = 0;
	int is_new, rc;

	if (rec->name)
		hr_record_parse_key(rec->name, &key_name, &key_version);
	if (rec->driver == HR_DRIVER_HELM2_CONFIGMAP || rec->driver == HR_DRIVER_HELM2_SECRET)
		ns = hr_release_namespace(rel);   /* Tiller's namespace is only where the object lived */
	else
		ns = rec->namespace && *rec->namespace ? rec->namespace : hr_release_namespace(rel);
	if (!ns || !*ns)
		ns = "default";
	name = hr_record_label(rec, "name");
	if (!name || !*name)
		name = hr_release_name(rel);
	if (!name || !*name)
		name = key_name;
	/*
	 * The version is the body's, as helm decodes it: a body without
	 * `version` (or with 0) is revision 0 to helm (its own status goldens
	 * print REVISION: 0), whatever the object's key or labels say.  Only a
	 * body that is not a JSON object falls back to the label, then the key.
	 */
	version = hr_release_version(rel);
	if (!json_object_is_type(rel, json_type_object)) {
		if ((label = hr_record_label(rec, "version")))
			version = strtoll(label, NULL, 10);
		if (version <= 0)
			version = key_version;
	}
	if (!name || !*name) {
		rc = hr_error_set(err, HR_ESKIP, "%s: %s: %s: release has no name",
				  rec->source_path ? rec->source_path : "-", rec->location ? rec->location : "",
				  rec->name ? rec->name : "(bare payload)");
		goto out;
	}
	if (json_sha_in)
		memcpy(json_sha, json_sha_in, sizeof(json_sha));
	else
		hr_sha256_hex(dec->body.ptr, dec->body.len, json_sha);
	if (payload_sha_in)
		memcpy(payload_sha, payload_sha_in, sizeof(payload_sha));
	else if (dec->helm.len)
		hr_sha256_hex(dec->helm.ptr, dec->helm.len, payload_sha);
	if ((rc = release_id(idx, ns, name, &rel_id, err)))
		goto out;
	if ((rc = revision_row(idx, rel_id, ns, name, version, rec, dec, rel, json_sha,
			       dec->helm.len ? payload_sha : NULL, &rev_id, &is_new, err)))
		goto out;
	if (is_new && (rc = hr_index_derive(idx, rev_id, derived, err)))
		goto out;
	rc = add_sighting(idx, rev_id, source_id, rec, dec->helm.len ? payload_sha : NULL, err);
out:
	free(key_name);
	return rc;
}
