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
	const char *ns = NULL, *fmt = NULL;
	long revision = 0;
	int all = 0;
	hr_option opts[] = {
		HR_OPT_BOOL_('a', "all", &all, "values: dump all (computed) values"),
		HR_OPT_BOOL_(0, "include-deleted", &ctx->include_deleted, "also consider revisions recovered from datastore history"),
		HR_OPT_STR_('n', "namespace", &ns, "NS", "namespace of the release"),
		HR_OPT_ENUM_('o', "output", &fmt, "FORMAT", "table|json|yaml", "values, metadata: table (default), json or yaml"),
		HR_OPT_INT_(0, "revision", &revision, "N", "get the named revision"),
		HR_OPT_END_,
	};
	hr_error err = HR_ERROR_INIT;
	struct json_object *rel = NULL, *labels = NULL;
	hr_index *idx = NULL;
	hr_buf out = HR_BUF_INIT;
	char *owned = NULL;
	const char *part, *name;
	hr_strlist pos;
	int rc, r = 0;

	if ((rc = hr_cmd_start(argc, argv, &help, opts, ctx, &pos, 2, 2, "PART RELEASE")))
		return rc < 0 ? 0 : rc;
	part = pos.items[0];
	name = pos.items[1];
	for (r = 0; parts[r] && strcmp(parts[r], part); r++)
		;
	if (!parts[r]) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "unknown part \"%s\": use values, manifest, hooks, notes, metadata or all", part);
		goto out;
	}
	if (fmt && r != 0 && r != 4) {
		/* helm get manifest/hooks/notes/all have no -o: a usage error, as helm's */
		rc = hr_cmd_error(HR_EXIT_USAGE, "unknown shorthand flag: 'o' in -o (\"get %s\" prints text only)", part);
		goto out;
	}
	if (revision < 0) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--revision must be a positive number");
		goto out;
	}
	if (!fmt)
		fmt = "table";
	if ((rc = hr_cmd_open_release(ctx, name, &idx, &ns, &owned)) ||
	    (rc = hr_cmd_load_revision(ctx, idx, ns, name, revision, &rel, &labels)))
		goto out;
	if (!strcmp(part, "values")) {
		r = hr_render_get_values(&out, rel, all, fmt, ctx->helm_major, &err);
	} else if (!strcmp(part, "manifest")) {
		r = hr_render_get_manifest(&out, rel, &err);
	} else if (!strcmp(part, "hooks")) {
		r = hr_render_get_hooks(&out, rel, &err);
	} else if (!strcmp(part, "notes")) {
		r = hr_render_get_notes(&out, rel, &err);
	} else if (!strcmp(part, "metadata")) {
		size_t nl;
		hr_label *l = hr_cmd_label_array(labels, &nl);

		r = l ? hr_render_get_metadata(&out, rel, l, nl, revision == 0, ctx->helm_major, fmt, &err)
		      : hr_error_set(&err, HR_ENOMEM, "out of memory");
		free(l);
	} else {
		r = hr_render_get_all(&out, rel, ctx->helm_major, &err);
	}
	rc = hr_cmd_emit(r, &err, &out);
out:
	json_object_put(rel);
	json_object_put(labels);
	hr_buf_free(&out);
	free(owned);
	hr_index_close(idx);
	hr_strlist_free(&pos);
	return rc;
}
