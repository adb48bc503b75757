/*
 * index_int.h — internals shared by the files of src/index/ (not public).
 */
#ifndef HR_INDEX_INT_H
#define HR_INDEX_INT_H

#include <sqlite3.h>
#include "index/index.h"

enum {
	ST_SOURCE_FIND, ST_SOURCE_INSERT, ST_SOURCE_END,
	ST_RELEASE_UPSERT, ST_RELEASE_ID, ST_REV_FIND, ST_REV_INSERT, ST_SIGHT_INSERT,
	ST_RES_INSERT, ST_HOOK_INSERT, ST_VALUE_INSERT, ST_FINDING_INSERT, ST_PAYLOAD_INSERT,
	ST__COUNT
};

struct hr_index {
	sqlite3 *db;
	char *path;
	int readonly;
	int journal_truncate;      /* PRAGMA journal_mode=TRUNCATE was set: reset to DELETE at close */
	int64_t at;   /* time travel: datastore revision, 0 = head */
	sqlite3_stmt *stmts[ST__COUNT];
};

int hr_index_dberr(hr_index *idx, hr_error *err, const char *what);
int hr_index_exec(hr_index *idx, const char *sql, hr_error *err);
/* Cached prepared statement in `slot`, reset and unbound. */
int hr_index_prepare(hr_index *idx, int slot, const char *sql, sqlite3_stmt **out, hr_error *err);
/* Fill the derived tables (resource, hook, value) for a new body. */
int hr_index_derive(hr_index *idx, int64_t revision_id, struct json_object *rel, hr_error *err);

#endif
