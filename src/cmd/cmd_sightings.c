/*
 * cmd_sightings.c — `helmrec sightings RELEASE`: where each revision of a
 * release was seen (input, object or key, datastore revision, live,
 * deleted or carved, and which body when two disagreed).
 */
#include "cmd/common.h"
#include "index/sightings.h"
#include "render/sightings.h"

#include <stdio.h>
#include <stdlib.h>

static const hr_command_help help = {
	"sightings", "sightings RELEASE [-n NS] [--revision N] [-o table|json]",
	"Show every place each revision of a release was seen",
	"One row per sighting: the revision, its status, the state it was seen in\n"
	"(live, historical, deleted, carved), which body (sha256 prefix; current is\n"
	"the one helm would read, conflict when two live bodies disagree), the input\n"
	"file, the object or datastore key, and the etcd/kine revision (from-until).\n"
	"Tells a live revision from one recovered out of datastore history."
};

int cmd_sightings(int argc, char **argv, hr_ctx *ctx)
{
	const char *ns = NULL, *fmt = "table";
	long revision = 0;
	hr_option opts[] = {
		HR_OPT_STR_('n', "namespace", &ns, "NS", "namespace of the release"),
		HR_OPT_ENUM_('o', "output", &fmt, "FORMAT", "table|json", "table (default) or json"),
		HR_OPT_INT_(0, "revision", &revision, "N", "only this revision"),
		HR_OPT_END_,
	};
	hr_error err = HR_ERROR_INIT;
	hr_sighting_row *rows = NULL;
	hr_index *idx = NULL;
	hr_buf out = HR_BUF_INIT;
	char *owned = NULL;
	hr_strlist pos;
	size_t n = 0;
	int rc;

	if ((rc = hr_cmd_start(argc, argv, &help, opts, ctx, &pos, 1, 1, "RELEASE")))
		return rc < 0 ? 0 : rc;
	if (revision < 0) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--revision must be a positive number");
		goto out;
	}
	if ((rc = hr_cmd_open_release(ctx, pos.items[0], &idx, &ns, &owned)))
		goto out;
	if (hr_index_sightings(idx, ns, pos.items[0], revision, &rows, &n, &err)) {
		rc = hr_cmd_fail(&err);
		goto out;
	}
	if (!n) {
		rc = hr_cmd_error(HR_EXIT_NOTFOUND, "release: not found");
		goto out;
	}
	rc = hr_cmd_emit(hr_render_sightings(&out, rows, n, fmt, &err), &err, &out);
out:
	hr_sighting_rows_free(rows, n);
	hr_buf_free(&out);
	free(owned);
	hr_index_close(idx);
	hr_strlist_free(&pos);
	return rc;
}
