-- helmrec index schema, version 8 (PRAGMA user_version = 8).
-- v2: sighting.ds_until (datastore revision at which a value stopped being current).
-- v3: payloads in their own table, so the small revision rows can be updated
--     without rewriting the blobs.
-- v4: finding.revisions and finding.evidence (helmrec audit), view v_findings.
-- v5: live_object and live_manager: the live Kubernetes objects of a backup
--     (helmrec drift, status RESOURCES); index resource_by_name.
-- v6: query indexes revision_body_latest, sighting_by_object,
--     live_object_by_source (no table changes).
-- v7: clusters: source.cluster (scan --cluster, default 'default'), and
--     release, revision and live_object keyed per cluster; the views gain
--     a cluster column.  schema/index-pg.sql is the same for PostgreSQL.
-- v8: revision.newest (the rows helm list shows, kept by the scan) and the
--     partial index revision_newest that list reads instead of grouping.
--
-- One row per input in `source`; one row per release in `release`; one row
-- per distinct release body (cluster, namespace, name, version, json sha256) in
-- `revision`; one row per place a body was seen in `sighting`.  A revision
-- key (namespace, name, version) with several bodies is either a sequence of
-- states over time (a datastore holds them at increasing revisions) or a
-- conflict (two inputs disagree): `revision.conflict` says which.
-- `resource`, `hook` and `value` are derived from the body at scan time for
-- search; `finding` is filled by audit rules.
--
-- Views for people using sqlite3 directly: v_history, v_latest,
-- v_resources, v_sightings, v_findings (documented in docs/index-schema.md).
-- The code applies this file when user_version is 0 and migrates older
-- versions step by step (src/index/index.c).

CREATE TABLE IF NOT EXISTS source (
	id          INTEGER PRIMARY KEY,
	cluster     TEXT NOT NULL DEFAULT 'default', -- scan --cluster: which cluster the input is a backup of
	path        TEXT NOT NULL,
	size        INTEGER,
	mtime       INTEGER,
	sha256      TEXT,              -- of the file content (NULL for stdin)
	kind        TEXT,              -- yaml, json, archive, etcd, kine, pgdump, bare, directory
	scanned_at  TEXT NOT NULL,     -- RFC 3339 UTC
	complete    INTEGER NOT NULL DEFAULT 0,  -- 1 once every record was indexed
	records     INTEGER NOT NULL DEFAULT 0,
	skipped     INTEGER NOT NULL DEFAULT 0,
	head_revision    INTEGER,      -- datastore head revision, if any
	compact_revision INTEGER       -- datastore compaction revision, if any
);
CREATE INDEX IF NOT EXISTS source_by_path ON source(path, sha256);
CREATE INDEX IF NOT EXISTS source_by_cluster ON source(cluster);

CREATE TABLE IF NOT EXISTS release (
	id          INTEGER PRIMARY KEY,
	cluster     TEXT NOT NULL DEFAULT 'default',
	namespace   TEXT NOT NULL,
	name        TEXT NOT NULL,
	UNIQUE(cluster, namespace, name)
);

CREATE TABLE IF NOT EXISTS revision (
	id             INTEGER PRIMARY KEY,
	release_id     INTEGER NOT NULL REFERENCES release(id),
	cluster        TEXT NOT NULL DEFAULT 'default', -- the cluster of the inputs it was seen in
	namespace      TEXT NOT NULL,
	name           TEXT NOT NULL,
	version        INTEGER NOT NULL,
	status         TEXT,           -- info.status of the body
	chart_name     TEXT,
	chart_version  TEXT,
	app_version    TEXT,
	has_chart      INTEGER NOT NULL DEFAULT 1,
	description    TEXT,
	first_deployed TEXT,           -- RFC 3339 as stored (offset kept), NULL if absent/empty
	last_deployed  TEXT,
	deleted        TEXT,
	apply_method   TEXT,
	body_namespace TEXT,           -- namespace/name inside the body, when they differ from the record
	body_name      TEXT,
	driver         TEXT,           -- driver of the first sighting
	payload_sha256 TEXT,           -- sha256 of the Helm string (base64 of gzip) as first found
	json_sha256    TEXT NOT NULL,  -- sha256 of the release JSON
	payload_size   INTEGER,
	json_size      INTEGER,
	state_order    INTEGER NOT NULL DEFAULT 0, -- highest datastore revision at which this body was seen
	is_current     INTEGER NOT NULL DEFAULT 0, -- 1 for the body helm would read at the head of the inputs
	is_live        INTEGER NOT NULL DEFAULT 0, -- 1 if some sighting is live
	conflict       INTEGER NOT NULL DEFAULT 0, -- 1 if another body for the same key is live too
	newest         INTEGER NOT NULL DEFAULT 0, -- v8, bits: helm list shows this row (src/index/index_int.h)
	UNIQUE(cluster, namespace, name, version, json_sha256)
);
CREATE INDEX IF NOT EXISTS revision_by_key ON revision(namespace, name, version, cluster);
-- covers "newest current revision of each release" (helm list), in one cluster too
CREATE INDEX IF NOT EXISTS revision_latest ON revision(namespace, name, is_current, is_live, version, id, cluster);

-- The stored form of each body: the Helm string as first found (base64 of
-- gzip), or the release JSON when the record had no Helm string.
CREATE TABLE IF NOT EXISTS payload (
	revision_id    INTEGER PRIMARY KEY REFERENCES revision(id),
	data           BLOB NOT NULL
);

CREATE TABLE IF NOT EXISTS sighting (
	id            INTEGER PRIMARY KEY,
	revision_id   INTEGER NOT NULL REFERENCES revision(id),
	source_id     INTEGER NOT NULL REFERENCES source(id),
	driver        TEXT NOT NULL,
	object_name   TEXT,
	object_namespace TEXT,
	location      TEXT,            -- "line 120", "entry resources/...", "key /registry/... rev 42"
	offset        INTEGER,
	state         TEXT NOT NULL,   -- live, historical, deleted, carved
	ds_revision   INTEGER NOT NULL DEFAULT 0,
	ds_create_revision INTEGER NOT NULL DEFAULT 0,
	ds_version    INTEGER NOT NULL DEFAULT 0,
	ds_until      INTEGER NOT NULL DEFAULT 0, -- superseded/deleted at this datastore revision; 0 = current
	labels        TEXT,            -- JSON object of the labels as found, in input order
	annotations   TEXT,            -- JSON object
	created       TEXT,            -- metadata.creationTimestamp
	payload_sha256 TEXT,
	UNIQUE(revision_id, source_id, location, ds_revision)
);
CREATE INDEX IF NOT EXISTS sighting_by_revision ON sighting(revision_id);

CREATE TABLE IF NOT EXISTS resource (
	revision_id  INTEGER NOT NULL REFERENCES revision(id),
	seq          INTEGER NOT NULL, -- order in the manifest
	api_version  TEXT,
	kind         TEXT,
	namespace    TEXT,
	name         TEXT,
	source_path  TEXT,             -- the "# Source:" template path
	sha256       TEXT,             -- of the document text
	PRIMARY KEY(revision_id, seq)
);

CREATE TABLE IF NOT EXISTS hook (
	revision_id  INTEGER NOT NULL REFERENCES revision(id),
	seq          INTEGER NOT NULL,
	name         TEXT,
	kind         TEXT,
	path         TEXT,
	events       TEXT,             -- comma-separated
	weight       INTEGER,
	delete_policies TEXT,          -- comma-separated
	last_run_phase TEXT,
	last_run_started TEXT,
	last_run_completed TEXT,
	PRIMARY KEY(revision_id, seq)
);

CREATE TABLE IF NOT EXISTS value (
	revision_id  INTEGER NOT NULL REFERENCES revision(id),
	path         TEXT NOT NULL,    -- e.g. image.tag, ingress.hosts[0].host
	value        TEXT,             -- JSON text of a scalar
	PRIMARY KEY(revision_id, path)
);

CREATE TABLE IF NOT EXISTS finding (
	id          INTEGER PRIMARY KEY,
	rule        TEXT NOT NULL,
	severity    TEXT NOT NULL,
	namespace   TEXT,
	name        TEXT,
	version     INTEGER,
	message     TEXT NOT NULL,
	remedy      TEXT,
	revisions   TEXT,              -- every revision concerned, comma-separated (version = the newest)
	evidence    TEXT               -- what was seen (never a credential value unless --show-secrets)
);
CREATE UNIQUE INDEX IF NOT EXISTS finding_once ON finding(rule, namespace, name, version, message);

-- (src/index/index.c steps[6] creates the same four views; keep them in step)
CREATE VIEW IF NOT EXISTS v_history AS
	SELECT cluster, namespace, name, version AS revision, last_deployed AS updated, status,
	       chart_name || '-' || chart_version AS chart, app_version, description
	FROM revision WHERE is_current = 1
	ORDER BY cluster, namespace, name, version;

CREATE VIEW IF NOT EXISTS v_latest AS
	SELECT r.* FROM revision r
	WHERE r.is_current = 1 AND r.version = (
		SELECT MAX(version) FROM revision x
		WHERE x.cluster = r.cluster AND x.namespace = r.namespace AND x.name = r.name AND x.is_current = 1);

CREATE VIEW IF NOT EXISTS v_resources AS
	SELECT r.cluster, r.namespace AS release_namespace, r.name AS release, r.version AS revision,
	       s.seq, s.api_version, s.kind, s.namespace, s.name, s.source_path
	FROM resource s JOIN revision r ON r.id = s.revision_id
	WHERE r.is_current = 1;

CREATE VIEW IF NOT EXISTS v_sightings AS
	SELECT r.cluster, r.namespace, r.name, r.version, r.status, s.state, s.driver, s.object_name,
	       src.path AS source, s.location, s.ds_revision
	FROM sighting s JOIN revision r ON r.id = s.revision_id JOIN source src ON src.id = s.source_id;

-- Findings of the last `helmrec audit`, worst first (docs/audit.md).
CREATE VIEW IF NOT EXISTS v_findings AS
	SELECT severity, rule, namespace, name AS release, version AS revision, revisions, message, evidence, remedy
	FROM finding
	ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, namespace, name, version, rule;

-- Live objects of the backup (v6): objects Helm owns or a stored manifest
-- names, one row per (api group, kind, namespace, name, resourceVersion).
-- Keep in step with hr_index_live_schema_sql (src/index/live.c).
CREATE TABLE IF NOT EXISTS live_object (
	id               INTEGER PRIMARY KEY,
	source_id        INTEGER NOT NULL REFERENCES source(id),
	cluster          TEXT NOT NULL DEFAULT 'default', -- the source's (v7)
	api_version      TEXT NOT NULL,
	api_group        TEXT NOT NULL,      -- "" for the core group
	kind             TEXT NOT NULL,
	namespace        TEXT NOT NULL,      -- "" for cluster-scoped objects
	name             TEXT NOT NULL,
	uid              TEXT,
	resource_version TEXT NOT NULL,
	rv_order         INTEGER NOT NULL DEFAULT 0, -- resourceVersion as a number (0 if not one)
	created          TEXT,               -- metadata.creationTimestamp
	observed         TEXT,               -- newest timestamp in the object (creation, managedFields)
	release_name     TEXT,               -- annotation meta.helm.sh/release-name
	release_namespace TEXT,              -- annotation meta.helm.sh/release-namespace
	managed_by_helm  INTEGER NOT NULL DEFAULT 0, -- label app.kubernetes.io/managed-by=Helm
	location         TEXT,
	body_size        INTEGER,            -- JSON bytes
	body             BLOB NOT NULL,      -- gzip of the object's compact JSON
	UNIQUE(cluster, api_group, kind, namespace, name, resource_version)
);
CREATE INDEX IF NOT EXISTS live_object_by_owner ON live_object(release_namespace, release_name);

-- managedFields of each live object: one row per entry, `fields` the JSON
-- pointers it owns (one a line, list items resolved to indexes).
CREATE TABLE IF NOT EXISTS live_manager (
	object_id    INTEGER NOT NULL REFERENCES live_object(id),
	seq          INTEGER NOT NULL,
	manager      TEXT NOT NULL,
	operation    TEXT,
	subresource  TEXT,
	time         TEXT,
	fields       TEXT,
	PRIMARY KEY(object_id, seq)
);
CREATE INDEX IF NOT EXISTS resource_by_name ON resource(name, kind);

-- Query indexes (v6): each turns a scan of a whole table into a search.
-- Keep in step with steps[5] (src/index/index.c).
-- helm list: the newest revision of each release by the body's identity
-- (SQLite 3.40 uses an index on these expressions for the GROUP BY, and as a
-- covering index only when it holds the columns the expressions read too).
CREATE INDEX IF NOT EXISTS revision_body_latest ON revision(COALESCE(body_namespace, namespace),
	COALESCE(body_name, name), is_current, is_live, version, body_namespace, namespace, body_name, name);
-- helm get/status: the object under a storage key.
CREATE INDEX IF NOT EXISTS sighting_by_object ON sighting(object_name);
-- the inputs that held live objects (status RESOURCES, drift).
CREATE INDEX IF NOT EXISTS live_object_by_source ON live_object(source_id, api_group, kind);
-- helm list (v8): the rows with a `newest` bit, covering (src/index/index_int.h
-- HR_INDEX_NEWEST_INDEX_SQL, the 7 -> 8 step, is the same).
CREATE INDEX IF NOT EXISTS revision_newest ON revision(namespace, newest, cluster, body_namespace, body_name,
	name, version, status, chart_name, chart_version, app_version, description, has_chart, first_deployed,
	last_deployed, deleted, apply_method, driver, is_live, conflict, state_order) WHERE newest > 0;
