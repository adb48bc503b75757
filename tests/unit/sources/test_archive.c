/*
 * test_archive.c — the tar/zip reader against the corpus's Velero backups
 * (checked against records.tsv and the Helm 2 ground truth), and against
 * archives written here with libarchive: hostile names, an entry over the
 * size cap, a header lying about its size, a truncated tar.gz, zip, a
 * kubectl List, non-JSON entries.
 */
#include "testutil.h"
#include "sources/reader.h"
#include "codec/codec.h"

#include <archive.h>
#include <archive_entry.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading ---- */

/* Read a whole archive with the given object size cap (0 = default). */
static void read_all(tu_drain *o, const char *path, size_t max_object)
{
	hr_source_opts opts = { 0 };
	hr_reader r = { 0 };

	opts.max_object = max_object;
	tu_drain_init(o);
	tu_drain_reader(o, hr_reader_archive_open(&r, path, &opts, &o->stats, &o->err), &r);
}

static size_t count_named(const tu_drain *o, const char *ns, const char *name, hr_record **hits)
{
	size_t k = 0;

	for (size_t i = 0; i < o->nrec; i++)
		if (!strcmp(o->rec[i]->namespace, ns) && !strcmp(o->rec[i]->name, name)) {
			if (k < 2)
				hits[k] = o->rec[i];
			k++;
		}
	return k;
}

/* ---- writing test archives ---- */

typedef struct tentry {
	const char *name;
	const char *data;       /* NULL: a directory */
	size_t len;             /* 0: strlen(data) */
} tentry;

static void write_archive(const char *path, int zip, int gzip, const tentry *e, size_t n)
{
	struct archive *a = archive_write_new();
	struct archive_entry *ent = archive_entry_new();

	CU_ASSERT_FATAL(a && ent);
	if (zip)
		archive_write_set_format_zip(a);
	else
		archive_write_set_format_pax_restricted(a);
	if (gzip)
		archive_write_add_filter_gzip(a);
	CU_ASSERT_FATAL(archive_write_open_filename(a, path) == ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		size_t len = e[i].data ? (e[i].len ? e[i].len : strlen(e[i].data)) : 0;

		archive_entry_clear(ent);
		archive_entry_set_pathname(ent, e[i].name);
		archive_entry_set_filetype(ent, e[i].data ? AE_IFREG : AE_IFDIR);
		archive_entry_set_perm(ent, 0755);
		archive_entry_set_size(ent, (la_int64_t)len);
		CU_ASSERT_FATAL(archive_write_header(a, ent) == ARCHIVE_OK);
		if (len)
			CU_ASSERT_FATAL(archive_write_data(a, e[i].data, len) == (la_ssize_t)len);
	}
	archive_entry_free(ent);
	CU_ASSERT(archive_write_close(a) == ARCHIVE_OK);
	archive_write_free(a);
}

static char *tmp_path(const char *name)
{
	static char p[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", tu_tmpdir(), name);
	return p[k];
}

#define HELM_CM(ns, rel, v) \
	"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"sh.helm.release.v1." rel ".v" v "\"," \
	"\"namespace\":\"" ns "\",\"labels\":{\"name\":\"" rel "\",\"owner\":\"helm\",\"status\":\"deployed\",\"version\":\"" v "\"}}," \
	"\"data\":{\"release\":\"H4sIAAAAAAAA/6quBQQAAP//Q7+m1gIAAAA=\"}}"

/* ---- tests ---- */

/*
 * Every secret/configmap record of records.tsv is in the Velero backup twice
 * (plain and preferred-version folders), with the payload helm wrote.
 */
static void test_velero_public(void)
{
	hr_buf tsv = HR_BUF_INIT;
	size_t want = 0;
	char *line, *save = NULL;
	tu_drain o;

	read_all(&o, "testdata/corpus/velero/backup-public.tar.gz", 0);
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_EQUAL(o.nskips, 0);
	CU_ASSERT_FATAL(tu_read_file(&tsv, "testdata/corpus/records.tsv") == 0);
	for (line = strtok_r(tsv.ptr, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[9], *fs = NULL, *p = line, hex[65], loc[512];
		hr_record *hits[2] = { NULL, NULL };
		hr_driver d;
		int k = 0;

		for (char *t = strtok_r(p, "\t", &fs); t && k < 9; t = strtok_r(NULL, "\t", &fs))
			f[k++] = t;
		if (k < 9 || !strcmp(f[0], "driver") || !strcmp(f[0], "sql"))
			continue;
		want++;
		d = !strcmp(f[0], "secret") ? HR_DRIVER_SECRET : HR_DRIVER_CONFIGMAP;
		CU_ASSERT_EQUAL(count_named(&o, f[1], f[2], hits), 2);
		if (!hits[0] || !hits[1])
			continue;
		for (int h = 0; h < 2; h++) {
			CU_ASSERT_EQUAL(hits[h]->driver, d);
			tu_helm_sha256(hits[h], hex);
			CU_ASSERT_STRING_EQUAL(hex, f[7]);
			CU_ASSERT_STRING_EQUAL(hr_record_label(hits[h], "status"), f[5]);
			CU_ASSERT_STRING_EQUAL(hits[h]->source_path, "testdata/corpus/velero/backup-public.tar.gz");
		}
		snprintf(loc, sizeof(loc), "entry resources/%ss/namespaces/%s/%s.json", f[0], f[1], f[2]);
		CU_ASSERT(!strcmp(hits[0]->location, loc) || !strcmp(hits[1]->location, loc));
		snprintf(loc, sizeof(loc), "entry resources/%ss/v1-preferredversion/namespaces/%s/%s.json", f[0], f[1], f[2]);
		CU_ASSERT(!strcmp(hits[0]->location, loc) || !strcmp(hits[1]->location, loc));
	}
	CU_ASSERT_EQUAL(want, 30);
	CU_ASSERT_EQUAL(o.nrec, 2 * want);                 /* nothing else is a Helm 3 record */
	CU_ASSERT(o.stats.objects >= 2 * want);             /* non-Helm Secrets/ConfigMaps were looked at too */
	CU_ASSERT_EQUAL(o.stats.records, 2 * want);
	CU_ASSERT_EQUAL(o.stats.errors, 0);
	CU_ASSERT(o.stats.bytes_read > 0);
	/* namespaces (2 x 16), metadata/version and the non-Helm objects are skipped */
	CU_ASSERT(o.stats.skipped_other >= 33);
	CU_ASSERT_EQUAL(o.stats.helm2, 0);
	hr_buf_free(&tsv);
	tu_drain_free(&o);
}

/* The Helm 2 backup: every Tiller record counted and returned as a Helm 2 record (twice). */
static void test_velero_helm2(void)
{
	json_object *gen = json_object_from_file("testdata/corpus/helm2/generated-records.json"), *recs;
	tu_drain o;

	CU_ASSERT_FATAL(gen != NULL);
	CU_ASSERT_FATAL(json_object_object_get_ex(gen, "records", &recs));
	read_all(&o, "testdata/corpus/helm2/velero/backup-helm2.tar.gz", 0);
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_EQUAL(o.nrec, 2 * json_object_array_length(recs));
	for (size_t i = 0; i < o.nrec; i++)
		CU_ASSERT(o.rec[i]->driver == HR_DRIVER_HELM2_CONFIGMAP || o.rec[i]->driver == HR_DRIVER_HELM2_SECRET);
	CU_ASSERT_EQUAL(o.stats.helm2, 2 * json_object_array_length(recs));
	json_object_put(gen);
	tu_drain_free(&o);
}

/* Names that would escape an extraction are only names; they are flagged. */
static void test_hostile_names(void)
{
	static const char list[] =
		"{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" HELM_CM("a", "one", "1") "," HELM_CM("a", "two", "1") "]}";
	const tentry e[] = {
		{ "../../etc/evil.json", HELM_CM("x", "evil", "1"), 0 },
		{ "/abs/path.json", HELM_CM("x", "abs", "1"), 0 },
		{ "dir/", NULL, 0 },
		{ "dir/notes.yaml", "apiVersion: v1\nkind: ConfigMap\n", 0 },
		{ "dir/list.json", list, 0 },
		{ "resources/configmaps/namespaces/x/broken.json", "{\"kind\": ", 0 },
		{ "resources/configmaps/namespaces/x/ok.json", HELM_CM("x", "ok", "2"), 0 },
		{ "weird\nname.json", HELM_CM("x", "nl", "1"), 0 },
	};
	const char *path = tmp_path("hostile.tar");
	hr_record *hits[2];
	tu_drain o;

	write_archive(path, 0, 0, e, sizeof(e) / sizeof(e[0]));
	read_all(&o, path, 0);
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_EQUAL(o.nrec, 6);
	CU_ASSERT_EQUAL(count_named(&o, "x", "sh.helm.release.v1.evil.v1", hits), 1);
	CU_ASSERT_STRING_EQUAL(hits[0]->location, "entry ../../etc/evil.json (suspicious name)");
	CU_ASSERT_EQUAL(count_named(&o, "x", "sh.helm.release.v1.abs.v1", hits), 1);
	CU_ASSERT_STRING_EQUAL(hits[0]->location, "entry /abs/path.json (suspicious name)");
	CU_ASSERT_EQUAL(count_named(&o, "x", "sh.helm.release.v1.nl.v1", hits), 1);
	CU_ASSERT_STRING_EQUAL(hits[0]->location, "entry weird\\x0aname.json (suspicious name)");
	CU_ASSERT_EQUAL(count_named(&o, "a", "sh.helm.release.v1.one.v1", hits), 1);
	CU_ASSERT_STRING_EQUAL(hits[0]->location, "entry dir/list.json item 0");
	CU_ASSERT_EQUAL(count_named(&o, "a", "sh.helm.release.v1.two.v1", hits), 1);
	CU_ASSERT_STRING_EQUAL(hits[0]->location, "entry dir/list.json item 1");
	CU_ASSERT_EQUAL(count_named(&o, "x", "sh.helm.release.v1.ok.v2", hits), 1);
	CU_ASSERT_EQUAL(o.nskips, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&o, 0), "broken.json: invalid JSON"));
	CU_ASSERT_EQUAL(o.stats.errors, 1);
	CU_ASSERT_EQUAL(o.stats.records, 6);
	CU_ASSERT(o.stats.skipped_other >= 1);             /* the YAML entry */
	tu_drain_free(&o);
}

/* An entry over the cap is one clear skip; the entries after it are read. */
static void test_entry_cap(void)
{
	static char big[10000];
	const tentry e[] = {
		{ "resources/configmaps/namespaces/x/a.json", HELM_CM("x", "a", "1"), 0 },
		{ "resources/configmaps/namespaces/x/big.json", big, sizeof(big) },
		{ "resources/configmaps/namespaces/x/b.json", HELM_CM("x", "b", "1"), 0 },
	};
	const char *path = tmp_path("cap.tar.gz");
	tu_drain o;

	memset(big, ' ', sizeof(big));
	big[0] = '{';
	big[sizeof(big) - 1] = '}';
	write_archive(path, 0, 1, e, 3);
	read_all(&o, path, 4096);
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_EQUAL(o.nrec, 2);
	CU_ASSERT_EQUAL(o.nskips, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&o, 0), "big.json: 10000 bytes, over the 4096-byte object limit"));
	tu_drain_free(&o);

	/* Without a size in the header (zip streaming can do that) the cap still holds. */
	write_archive(path, 1, 0, e, 3);
	read_all(&o, path, 4096);
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_EQUAL(o.nrec, 2);
	CU_ASSERT_EQUAL(o.nskips, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&o, 0), "big.json"));
	tu_drain_free(&o);
}

/* Rewrite the size field of the ustar header at hdr and fix its checksum. */
static void ustar_set_size(unsigned char *hdr, const char *octal11)
{
	unsigned sum = 0;

	memcpy(hdr + 124, octal11, 11);
	hdr[135] = '\0';
	memset(hdr + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += hdr[i];
	snprintf((char *)hdr + 148, 8, "%06o", sum);
	hdr[155] = ' ';
}

/* A header claiming 8 GiB: skipped by its size, then the archive ends early. */
static void test_lying_header(void)
{
	const tentry e[] = {
		{ "resources/configmaps/namespaces/x/a.json", HELM_CM("x", "a", "1"), 0 },
		{ "resources/configmaps/namespaces/x/liar.json", HELM_CM("x", "l", "1"), 0 },
	};
	const char *path = tmp_path("liar.tar");
	hr_buf b = HR_BUF_INIT;
	unsigned char *hdr;
	tu_drain o;

	write_archive(path, 0, 0, e, 2);
	CU_ASSERT_FATAL(tu_read_file(&b, path) == 0);
	hdr = memmem(b.ptr, b.len, "resources/configmaps/namespaces/x/liar.json", 43);
	CU_ASSERT_PTR_NOT_NULL_FATAL(hdr);
	CU_ASSERT_FATAL(((char *)hdr - b.ptr) % 512 == 0);      /* the name starts a ustar header */
	ustar_set_size(hdr, "77777777777");
	CU_ASSERT_FATAL(tu_write_file(path, b.ptr, b.len) == 0);
	read_all(&o, path, 0);
	CU_ASSERT_EQUAL(o.nrec, 1);
	CU_ASSERT_EQUAL(o.nskips, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&o, 0), "liar.json: 8589934591 bytes, over the"));
	CU_ASSERT_EQUAL(o.rc, HR_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err.msg, "truncated or damaged"));
	hr_buf_free(&b);
	tu_drain_free(&o);
}

/* A cut tar.gz: the records before the damage, then a clear error. */
static void test_truncated(void)
{
	const char *path = tmp_path("cut.tar.gz");
	hr_buf b = HR_BUF_INIT;
	tu_drain full, o;

	read_all(&full, "testdata/corpus/velero/backup-public.tar.gz", 0);
	CU_ASSERT_FATAL(tu_read_file(&b, "testdata/corpus/velero/backup-public.tar.gz") == 0);
	CU_ASSERT_FATAL(tu_write_file(path, b.ptr, b.len / 2) == 0);
	read_all(&o, path, 0);
	CU_ASSERT(o.nrec > 0 && o.nrec < full.nrec);
	CU_ASSERT_EQUAL(o.rc, HR_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err.msg, path));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err.msg, "truncated or damaged"));
	/* what came out is exactly the start of the full read */
	for (size_t i = 0; i < o.nrec && i < full.nrec; i++) {
		CU_ASSERT_STRING_EQUAL(o.rec[i]->location, full.rec[i]->location);
		CU_ASSERT_EQUAL(o.rec[i]->payload_len, full.rec[i]->payload_len);
		CU_ASSERT(!memcmp(o.rec[i]->payload, full.rec[i]->payload, o.rec[i]->payload_len));
	}
	tu_drain_free(&o);

	/*
	 * Cut early (20 000 compressed bytes, less than one inflate block of
	 * libarchive's own gzip filter): the entries before the cut still come out.
	 */
	CU_ASSERT_FATAL(tu_write_file(path, b.ptr, 20000) == 0);
	read_all(&o, path, 0);
	CU_ASSERT(o.nrec > 0);
	CU_ASSERT_EQUAL(o.rc, HR_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err.msg, "gzip data is truncated"));
	for (size_t i = 0; i < o.nrec && i < full.nrec; i++)
		CU_ASSERT_STRING_EQUAL(o.rec[i]->location, full.rec[i]->location);
	tu_drain_free(&o);
	tu_drain_free(&full);

	/* not an archive at all */
	CU_ASSERT_FATAL(tu_write_file(path, "hello, this is text\n", 20) == 0);
	read_all(&o, path, 0);
	CU_ASSERT_EQUAL(o.nrec, 0);
	CU_ASSERT(o.rc == HR_EFORMAT || o.rc == HR_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err.msg, path));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err.msg, "not a readable tar or zip archive"));
	tu_drain_free(&o);

	/* a file that cannot be opened is an I/O error */
	read_all(&o, "testdata/no/such/backup.tar.gz", 0);
	CU_ASSERT_EQUAL(o.rc, HR_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err.msg, "testdata/no/such/backup.tar.gz: No such file"));
	tu_drain_free(&o);
	hr_buf_free(&b);
}

/*
 * Damaged copies of the real backup, uncompressed (bytes overwritten, cut at
 * random places): the reader must end every time without crashing (the
 * sanitizer build checks memory); what it returns must be whole records.
 */
static void test_mutations(void)
{
	const char *tar = tmp_path("plain.tar"), *path = tmp_path("mut.tar");
	hr_buf orig = HR_BUF_INIT, cmd = HR_BUF_INIT;
	uint32_t seed = 4242;

	CU_ASSERT_FATAL(hr_buf_printf(&cmd, "gzip -dc testdata/corpus/velero/backup-public.tar.gz > '%s'", tar) == 0);
	CU_ASSERT_FATAL(tu_run(NULL, cmd.ptr) == 0);
	CU_ASSERT_FATAL(tu_read_file(&orig, tar) == 0);
	for (int round = 0; round < 120; round++) {
		hr_buf b = HR_BUF_INIT;
		size_t len = orig.len;
		tu_drain o;

		CU_ASSERT_FATAL(hr_buf_put(&b, orig.ptr, orig.len) == 0);
		for (int k = 0; k < 1 + round % 16; k++) {
			seed = seed * 1103515245u + 12345u;
			/* half of the hits land in the first entries' headers */
			b.ptr[(seed & 1 ? (seed >> 8) % 4096 : (seed >> 8) % b.len)] = (char)(seed >> 16);
		}
		if (round % 3 == 0) {
			seed = seed * 1103515245u + 12345u;
			len = (seed >> 4) % orig.len;
		}
		CU_ASSERT_FATAL(tu_write_file(path, b.ptr, len) == 0);
		read_all(&o, path, 0);
		CU_ASSERT(o.rc == 0 || o.rc == HR_EFORMAT);
		for (size_t i = 0; i < o.nrec; i++) {
			CU_ASSERT_PTR_NOT_NULL(o.rec[i]->name);
			CU_ASSERT(!strncmp(o.rec[i]->location, "entry ", 6));
		}
		tu_drain_free(&o);
		hr_buf_free(&b);
	}
	hr_buf_free(&orig);
	hr_buf_free(&cmd);
}

/* Through hr_source: the backups are recognised by content and counted. */
/* A kubectl YAML item for HELM_CM's record (the same payload). */
#define HELM_CM_YAML(ns, rel, v) \
	"- apiVersion: v1\n  data:\n    release: H4sIAAAAAAAA/6quBQQAAP//Q7+m1gIAAAA=\n  kind: ConfigMap\n  metadata:\n" \
	"    labels:\n      name: " rel "\n      owner: helm\n      status: deployed\n      version: \"" v "\"\n" \
	"    name: sh.helm.release.v1." rel ".v" v "\n    namespace: " ns "\n"
#define YAML_LIST(items) "apiVersion: v1\nitems:\n" items "kind: List\nmetadata:\n  resourceVersion: \"\"\n"

static const char *gz(hr_buf *b, const char *text)
{
	hr_error err = HR_ERROR_INIT;

	CU_ASSERT_FATAL(hr_gzip_deflate(b, text, strlen(text), &err) == 0);
	return b->ptr;
}

/*
 * Dumps tarred up by hand: kubectl YAML, gzip'd JSON and YAML, a pg_dump
 * are read as dumps of their own; a chart's templates are not; a member
 * that fails part way keeps its good objects and the entries after it.
 */
static void test_member_dumps(void)
{
	static const char list_json[] = "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" HELM_CM("j", "gzjson", "1") "]}";
	hr_buf gj = HR_BUF_INIT, gy = HR_BUF_INIT, cut = HR_BUF_INIT, sql = HR_BUF_INIT;
	const char *good_then_bad = YAML_LIST(HELM_CM_YAML("b", "before", "1")) "---\nkind: [unclosed\n";
	hr_record *hits[2];
	tu_drain o;
	size_t before;

	gz(&gj, list_json);
	gz(&gy, YAML_LIST(HELM_CM_YAML("g", "gzyaml", "2")));
	{
		/* many objects, so that the cut end of the gzip stream leaves the first ones whole */
		hr_buf t = HR_BUF_INIT;

		hr_buf_puts(&t, "apiVersion: v1\nitems:\n");
		for (int i = 1; i <= 200; i++)
			hr_buf_printf(&t, HELM_CM_YAML("c", "cut%d", "1"), i, i);
		hr_buf_puts(&t, "kind: List\n");
		gz(&cut, t.ptr);
		hr_buf_free(&t);
	}
	CU_ASSERT_FATAL(tu_read_file(&sql, "testdata/corpus/sql/helm-sql-full.sql") == 0);
	{
		const tentry e[] = {
			{ "dumps/all.yaml", YAML_LIST(HELM_CM_YAML("yy", "one", "1") HELM_CM_YAML("yy", "two", "3")), 0 },
			{ "dumps/more.json.gz", gj.ptr, gj.len },
			{ "dumps/more.yaml.gz", gy.ptr, gy.len },
			{ "chart/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n", 0 },
			{ "chart/Chart.yaml", "name: x\nversion: 1.0.0\n", 0 },
			{ "dumps/bad.yaml", good_then_bad, 0 },
			{ "dumps/cut.yaml.gz", cut.ptr, cut.len - 30 },
			{ "db/helm.sql", sql.ptr, sql.len },
			{ "z/after.json", HELM_CM("z", "after", "1"), 0 },
		};
		const char *path = tmp_path("members.tar.gz");

		write_archive(path, 0, 1, e, sizeof(e) / sizeof(e[0]));
		read_all(&o, path, 0);
	}
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_EQUAL(count_named(&o, "yy", "sh.helm.release.v1.one.v1", hits), 1);
	CU_ASSERT_STRING_EQUAL(hits[0]->location, "entry dumps/all.yaml: line 3");
	CU_ASSERT_PTR_NOT_NULL(strstr(hits[0]->source_path, "members.tar.gz"));
	CU_ASSERT_PTR_NULL(strstr(hits[0]->source_path, "entry"));
	CU_ASSERT_EQUAL(count_named(&o, "yy", "sh.helm.release.v1.two.v3", hits), 1);
	CU_ASSERT_EQUAL(count_named(&o, "j", "sh.helm.release.v1.gzjson.v1", hits), 1);
	CU_ASSERT_EQUAL(count_named(&o, "g", "sh.helm.release.v1.gzyaml.v2", hits), 1);
	CU_ASSERT_EQUAL(count_named(&o, "b", "sh.helm.release.v1.before.v1", hits), 1);
	CU_ASSERT_EQUAL(count_named(&o, "c", "sh.helm.release.v1.cut1.v1", hits), 1);
	CU_ASSERT_EQUAL(count_named(&o, "c", "sh.helm.release.v1.cut190.v1", hits), 1);
	CU_ASSERT_EQUAL(count_named(&o, "c", "sh.helm.release.v1.cut200.v1", hits), 0);
	CU_ASSERT_EQUAL(count_named(&o, "z", "sh.helm.release.v1.after.v1", hits), 1);
	/* the pg_dump's rows: driver sql */
	before = 0;
	for (size_t i = 0; i < o.nrec; i++)
		if (o.rec[i]->driver == HR_DRIVER_SQL) {
			before++;
			CU_ASSERT(!strncmp(o.rec[i]->location, "entry db/helm.sql: ", 19));
		}
	CU_ASSERT(before > 0);
	/* the template was not read as an object; the two bad members are one skip each, named */
	CU_ASSERT_EQUAL(o.nskips, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&o, 0), "entry dumps/bad.yaml: line"));
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&o, 1), "entry dumps/cut.yaml.gz"));
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_drain_skip(&o, 1), "truncated"));
	CU_ASSERT_EQUAL(o.stats.records, o.nrec);
	hr_buf_free(&gj);
	hr_buf_free(&gy);
	hr_buf_free(&cut);
	hr_buf_free(&sql);
	tu_drain_free(&o);
}

static void test_via_source(void)
{
	static const struct { const char *path; uint64_t records, helm2; } cases[] = {
		{ "testdata/corpus/velero/backup-public.tar.gz", 60, 0 },
		{ "testdata/corpus/helm2/velero/backup-helm2.tar.gz", 50, 50 },
	};

	for (size_t k = 0; k < 2; k++) {
		hr_source_stats st;
		hr_error err = HR_ERROR_INIT;
		hr_source *src = NULL;
		hr_record *rec;
		uint64_t n = 0;
		int rc;

		CU_ASSERT_FATAL(hr_source_open(&src, cases[k].path, NULL, &err) == 0);
		CU_ASSERT_EQUAL(hr_source_kind_of(src), HR_SRC_ARCHIVE);
		while ((rc = hr_source_next(src, &rec, &err)) == 1) {
			CU_ASSERT(!strncmp(rec->location, "entry resources/", 16));
			n++;
			hr_record_free(rec);
		}
		CU_ASSERT_EQUAL(rc, 0);
		hr_source_stats_get(src, &st);
		/* 30 Helm 3 records x 2 folders (records.tsv); 25 Tiller records x 2 (generated-records.json),
		 * yielded as Helm 2 records and counted in helm2 too */
		CU_ASSERT_EQUAL(n, cases[k].records);
		CU_ASSERT_EQUAL(st.records, cases[k].records);
		CU_ASSERT_EQUAL(st.helm2, cases[k].helm2);
		CU_ASSERT_EQUAL(st.errors, 0);
		hr_source_close(src);
	}
}

HR_TEST_MAIN("archive",
	     { "Velero backup matches records.tsv", test_velero_public },
	     { "Velero backup of Helm 2 records", test_velero_helm2 },
	     { "hostile names, List, bad JSON, YAML", test_hostile_names },
	     { "entry size cap (tar.gz and zip)", test_entry_cap },
	     { "header lying about its size", test_lying_header },
	     { "truncated archive", test_truncated },
	     { "damaged copies", test_mutations },
	     { "dumps inside an archive", test_member_dumps },
	     { "through hr_source", test_via_source })
