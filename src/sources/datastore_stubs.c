/*
 * datastore_stubs.c — placeholders for the readers of issue 7 (Velero
 * archives, etcd snapshots, kine SQLite, pg_dump) until they land: each says
 * clearly that the input kind is recognised but not yet supported.
 * Delete a stub when its reader file is added.
 */
#include "sources/reader.h"

int hr_reader_pgdump_open(hr_reader *r, hr_input *in, const hr_source_opts *o, hr_source_stats *s, hr_error *err)
{
	return hr_error_set(err, HR_EUNSUPPORTED, "%s: pg_dump input is not supported yet", hr_input_path(in));
}

int hr_reader_archive_open(hr_reader *r, const char *path, const hr_source_opts *o, hr_source_stats *s, hr_error *err)
{
	return hr_error_set(err, HR_EUNSUPPORTED, "%s: archive input is not supported yet", path);
}
