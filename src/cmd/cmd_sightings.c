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
	hr_cmd_query q = HR_CMD_QUERY_INIT("table");
	hr_option opts[] = {
		HR_CMD_OPT_NAMESPACE_(&q, "namespace of the release"),
		HR_CMD_OPT_OUTPUT_(&q, "table|json", "table (default) or json"),
		HR_CMD_OPT_REVISION_(&q, "only this revision"),
		HR_OPT_END_,
	};
	hr_sighting_row *rows = NULL;
	size_t n = 0;
	int rc;

	if ((rc = hr_cmd_query_start(&q, argc, argv, &help, opts, ctx, 1, 1, "RELEASE")))
		return rc < 0 ? 0 : rc;
	if (q.revision < 0) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--revision must be a positive number");
		goto out;
	}
	if ((rc = hr_cmd_query_open(&q, ctx, q.pos.items[0])))
		goto out;
	if (hr_index_sightings(q.idx, q.ns, q.pos.items[0], q.revision, &rows, &n, &q.err)) {
		rc = hr_cmd_fail(&q.err);
		goto out;
	}
	if (!n) {
		rc = hr_cmd_error(HR_EXIT_NOTFOUND, "release: not found");
		goto out;
	}
	rc = hr_cmd_emit(hr_render_sightings(&q.out, rows, n, q.fmt, &q.err), &q.err, &q.out);
out:
	hr_sighting_rows_free(rows, n);
	return hr_cmd_query_free(&q, rc);
}
