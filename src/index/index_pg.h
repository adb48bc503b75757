/*
 * index_pg.h — the PostgreSQL side of hr_index_open and hr_index_finish
 * (index_pg.c; internal to src/index/).
 */
#ifndef HR_INDEX_PG_H
#define HR_INDEX_PG_H

#include "index/index_int.h"

/*
 * Connect idx->db to idx->path (a PostgreSQL target, hr_db_is_pg) and
 * create or migrate the schema; refuses a database that holds another
 * application's tables.  HR_EDB, HR_EINVAL, HR_ENOTFOUND (read-only, no index).
 */
int hr_index_pg_open(hr_index *idx, hr_error *err);
/*
 * BEGIN a scan batch on PostgreSQL: the transaction first takes the
 * cluster's advisory lock (released at COMMIT/ROLLBACK), so scanners of the
 * same cluster take turns batch by batch — no two find-or-insert the same
 * source, release or revision at once, and their row locks cannot cross
 * into a deadlock — while scanners of other clusters run alongside.  HR_EDB.
 */
int hr_index_pg_begin(hr_index *idx, hr_error *err);
/* hr_index_finish's statements in PostgreSQL's form (?1 = the source id, 0 = all). */
extern const char hr_index_pg_finish_sql[];

#endif
