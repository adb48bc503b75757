/*
 * cmd_get.c — `helmrec get values|manifest|hooks|notes|metadata|all`:
 * helm get, byte for byte, from the index.
 */
#include "cmd/common.h"
#include "render/values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const hr_command_help help = {
	"get", "get values|manifest|hooks|notes|metadata|all RELEASE [-n NS] [--revision N] [-a] [-o FORMAT]",
	"Print one part of a release revision, as helm get does",
	"Parts:\n"
	"  values     user-supplied values (-a/--all: computed values); -o table|json|yaml\n"
	"  manifest   the rendered manifest\n"
	"  hooks      the hooks\n"
	"  notes      the NOTES.txt output\n"
	"  metadata   chart, labels, status, deployed time; -o table|json|yaml\n"
	"  all        everything, as helm get all\n"
	"Without --revision, the highest revision (whatever its status) is used."
};

static const char *const parts[] = { "values", "manifest", "hooks", "notes", "metadata", "all", NULL };

int cmd_get(int argc, char **argv, hr_ctx *ctx)
{
	hr_cmd_query q = HR_CMD_QUERY_INIT(NULL);
	int all = 0;
	hr_option opts[] = {
		HR_OPT_BOOL_('a', "all", &all, "values: dump all (computed) values"),
		HR_OPT_BOOL_(0, "include-deleted", &ctx->include_deleted, "also consider revisions recovered from datastore history"),
		HR_CMD_OPT_NAMESPACE_(&q, "namespace of the release"),
		HR_CMD_OPT_OUTPUT_(&q, "table|json|yaml", "values, metadata: table (default), json or yaml"),
		HR_CMD_OPT_REVISION_(&q, "get the named revision"),
		HR_OPT_END_,
	};
	struct json_object *rel = NULL, *labels = NULL;
	const char *part, *name;
	int rc, r = 0;

	if ((rc = hr_cmd_query_start(&q, argc, argv, &help, opts, ctx, 2, 2, "PART RELEASE")))
		return rc < 0 ? 0 : rc;
	part = q.pos.items[0];
	name = q.pos.items[1];
	for (r = 0; parts[r] && strcmp(parts[r], part); r++)
		;
	if (!parts[r]) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "unknown part \"%s\": use values, manifest, hooks, notes, metadata or all", part);
		goto out;
	}
	if (q.fmt && r != 0 && r != 4) {
		/* helm get manifest/hooks/notes/all have no -o: a usage error, as helm's */
		rc = hr_cmd_error(HR_EXIT_USAGE, "unknown shorthand flag: 'o' in -o (\"get %s\" prints text only)", part);
		goto out;
	}
	if (q.revision < 0) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--revision must be a positive number");
		goto out;
	}
	if (!q.fmt)
		q.fmt = "table";
	if ((rc = hr_cmd_query_open(&q, ctx, name)) ||
	    (rc = hr_cmd_load_revision(ctx, q.idx, q.ns, name, q.revision, &rel, &labels)))
		goto out;
	if (!strcmp(part, "values")) {
		r = hr_render_get_values(&q.out, rel, all, q.fmt, ctx->helm_major, &q.err);
	} else if (!strcmp(part, "manifest")) {
		r = hr_render_get_manifest(&q.out, rel, &q.err);
	} else if (!strcmp(part, "hooks")) {
		r = hr_render_get_hooks(&q.out, rel, &q.err);
	} else if (!strcmp(part, "notes")) {
		r = hr_render_get_notes(&q.out, rel, &q.err);
	} else if (!strcmp(part, "metadata")) {
		size_t nl;
		hr_label *l = hr_cmd_label_array(labels, &nl);

		r = l ? hr_render_get_metadata(&q.out, rel, l, nl, q.revision == 0, ctx->helm_major, q.fmt, &q.err)
		      : hr_error_set(&q.err, HR_ENOMEM, "out of memory");
		free(l);
	} else {
		r = hr_render_get_all(&q.out, rel, ctx->helm_major, &q.err);
	}
	rc = hr_cmd_emit(r, &q.err, &q.out);
out:
	json_object_put(rel);
	json_object_put(labels);
	return hr_cmd_query_free(&q, rc);
}
