/*
 * db_pg.c — the PostgreSQL engine behind db.h (libpq).
 */
#include "index/db_int.h"

int hr_db_pg_open(hr_db **out, const char *conninfo, unsigned flags, hr_error *err)
{
	*out = NULL;
	return hr_error_set(err, HR_EDB, "%s: PostgreSQL support is not built", conninfo);
}

int hr_db_pg_translate(const char *sql, size_t len, char **out, int *nparams)
{
	*out = NULL;
	*nparams = 0;
	return HR_EDB;
}
