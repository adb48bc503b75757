/*
 * db_pg_lib.c — loads libpq with dlopen when the first PostgreSQL index is
 * opened, so that a command on a SQLite index (every query's process
 * start) does not map and relocate libpq and its ~30 dependencies
 * (db_pg_lib.h).
 */
#include "index/db_pg_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

hr_pq_api hr_pq;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char why[256];

static void load(void)
{
	static const char *const names[] = { "libpq.so.5", "libpq.so" };
	void *h = NULL;
	const char *e;

	for (size_t i = 0; !h && i < sizeof(names) / sizeof(names[0]); i++)
		h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		e = dlerror();
		snprintf(why, sizeof(why), "PostgreSQL needs libpq: %s", e ? e : "libpq.so.5 not found");
		return;
	}
#define HR_PQ_SYM(f) \
	if (!why[0] && !(hr_pq.f = (__typeof__(hr_pq.f))dlsym(h, #f))) \
		snprintf(why, sizeof(why), "PostgreSQL needs libpq: no %s in libpq.so.5", #f);
	HR_PQ_FUNCS(HR_PQ_SYM)
#undef HR_PQ_SYM
}

int hr_pq_load(hr_error *err)
{
	pthread_once(&once, load);
	if (why[0])
		return hr_error_set(err, HR_EDB, "%s", why);
	return 0;
}
