/*
 * test_db_pgsql.c — the SQLite-dialect → PostgreSQL rewrite of the index's
 * SQL (hr_db_pg_translate, src/index/db_pg_sql.c) and the --db target
 * classification (hr_db_is_pg).
 */
#include "index/db.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

static void expect(const char *in, const char *want, int want_np)
{
	char *out = NULL;
	int np = -1;

	CU_ASSERT_EQUAL_FATAL(hr_db_pg_translate(in, strlen(in), &out, &np), 0);
	if (strcmp(out, want))
		fprintf(stderr, "\n  in:   %s\n  got:  %s\n  want: %s\n", in, out, want);
	CU_ASSERT_STRING_EQUAL(out, want);
	CU_ASSERT_EQUAL(np, want_np);
	free(out);
}

static void test_placeholders(void)
{
	expect("SELECT ?1, ?2, ?10", "SELECT $1, $2, $10", 10);
	expect("SELECT ?, ?", "SELECT $1, $2", 2);
	expect("SELECT id FROM t WHERE a = ?3", "SELECT id FROM t WHERE a = $3", 3);
	/* string literals, quoted identifiers and comments are left alone */
	expect("SELECT '?1', 'it''s ?2', \"?3\" FROM t WHERE x = ?4 -- ?5\n",
	       "SELECT '?1', 'it''s ?2', \"?3\" FROM t WHERE x = $4 -- ?5\n", 4);
	expect("SELECT /* ?9 */ ?1", "SELECT /* ?9 */ $1", 1);
	expect("SELECT 'a?1b' || ?2", "SELECT 'a?1b' || $2", 2);
}

static void test_dialect(void)
{
	expect("INSERT OR IGNORE INTO t(a) VALUES(?1)", "INSERT INTO t(a) VALUES($1) ON CONFLICT DO NOTHING", 1);
	expect("SELECT 1 FROM t WHERE a IS NOT ?1 OR b IS ?2 OR c IS NULL OR d IS NOT NULL",
	       "SELECT 1 FROM t WHERE a IS DISTINCT FROM $1 OR b IS NOT DISTINCT FROM $2 OR c IS NULL"
	       " OR d IS NOT NULL", 2);
	expect("SELECT * FROM (SELECT 1) WHERE x", "SELECT * FROM (SELECT 1) AS hr_d1 WHERE x", 0);
	expect("SELECT * FROM (SELECT 1) q", "SELECT * FROM (SELECT 1) q", 0);
	expect("DELETE FROM temp.t", "DELETE FROM pg_temp.t", 0);
	expect("BEGIN IMMEDIATE", "BEGIN", 0);
	expect("SELECT offset FROM s LIMIT 1 OFFSET 2", "SELECT \"offset\" FROM s LIMIT 1 OFFSET 2", 0);
	expect("SELECT a, MAX(version) FROM r WHERE b GROUP BY ns, n ORDER BY ns",
	       "SELECT * FROM (SELECT DISTINCT ON (ns, n) a FROM r WHERE b ORDER BY ns, n, version DESC) AS hr_max"
	       " ORDER BY ns", 0);
}

static void test_is_pg(void)
{
	CU_ASSERT(hr_db_is_pg("postgresql://u@h/db"));
	CU_ASSERT(hr_db_is_pg("postgres://h/db"));
	CU_ASSERT(hr_db_is_pg("host=/run/pg dbname=fleet"));
	CU_ASSERT(hr_db_is_pg("dbname=fleet"));
	CU_ASSERT(!hr_db_is_pg("index.db"));
	CU_ASSERT(!hr_db_is_pg("/tmp/x=y.db"));
	CU_ASSERT(!hr_db_is_pg(":memory:"));
	CU_ASSERT(!hr_db_is_pg(NULL));
}

HR_TEST_MAIN("db_pgsql",
	     { "?N placeholders", test_placeholders },
	     { "SQLite-isms rewritten", test_dialect },
	     { "--db target kinds", test_is_pg })
