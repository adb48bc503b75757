/*
 * cmd_decode.c — `helmrec decode INPUT...`: print the release JSON of every
 * record found, or one part of it.  Replaces the
 * `kubectl get secret ... | base64 -d | base64 -d | gunzip` pipeline.
 */
#include "cmd/common.h"
#include "codec/gojson.h"
#include "model/release.h"
#include "render/indent.h"
#include "render/yaml.h"
#include "sources/source.h"

#include <stdio.h>
#include <string.h>

static const hr_command_help help = {
	"decode", "decode INPUT... [-o json|pretty|yaml] [--field PART]",
	"Print the release JSON held in release records, payloads or dumps",
	"INPUT is a kubectl dump (YAML or JSON, List, single or multi-document, gzip'd or\n"
	"not), a directory, a backup, a bare payload, or - for stdin.  Every release\n"
	"record found is decoded; records that cannot be decoded are reported on stderr\n"
	"and skipped (exit status 3).\n\n"
	"-o json prints the body exactly as Helm stored it (one record per line);\n"
	"pretty indents it; yaml prints it as helm's -o yaml would.\n"
	"--field prints one part: manifest and notes as text; values (alias config),\n"
	"chart, hooks, info, labels (object labels) as JSON/YAML."
};

static int print_part(hr_buf *out, struct json_object *rel, const hr_record *rec, const char *field,
		      const char *fmt, hr_error *err)
{
	struct json_object *part = NULL, *owned = NULL;
	int rc = 0;

	if (!strcmp(field, "manifest") || !strcmp(field, "notes")) {
		const char *s = hr_release_str(rel, !strcmp(field, "notes") ? "info.notes" : "manifest");
		if (s) {
			hr_buf_puts(out, s);
			if (out->len && out->ptr[out->len - 1] != '\n')
				hr_buf_putc(out, '\n');
		}
		return 0;
	}
	if (!strcmp(field, "values") || !strcmp(field, "config"))
		part = hr_release_get(rel, "config");
	else if (!strcmp(field, "chart") || !strcmp(field, "hooks") || !strcmp(field, "info"))
		part = hr_release_get(rel, field);
	else if (!strcmp(field, "labels")) {
		owned = part = json_object_new_object();
		for (size_t i = 0; i < rec->nlabels; i++)
			json_object_object_add(part, rec->labels[i].key, json_object_new_string(rec->labels[i].value));
	} else if (!strcmp(field, "all")) {
		part = rel;
	} else {
		return hr_error_set(err, HR_EINVAL, "unknown --field \"%s\" (manifest, values, config, notes, chart, hooks, info, labels)", field);
	}
	if (!strcmp(fmt, "yaml")) {
		rc = hr_yaml_write(out, part, err);
	} else {
		hr_buf compact = HR_BUF_INIT;

		rc = hr_gojson_write(&compact, part, 0);
		if (!rc && !strcmp(fmt, "pretty"))
			rc = hr_json_indent(out, compact.ptr, compact.len, "  ");
		else if (!rc)
			rc = hr_buf_put(out, compact.ptr, compact.len);
		hr_buf_free(&compact);
		if (!rc)
			rc = hr_buf_putc(out, '\n');
	}
	json_object_put(owned);
	return rc;
}

static int decode_one(const hr_record *rec, const hr_ctx *ctx, const char *fmt, const char *field,
		      int *first, hr_error *err)
{
	hr_source_opts so;
	hr_decoded dec = HR_DECODED_INIT;
	struct json_object *rel = NULL;
	hr_buf out = HR_BUF_INIT;
	int rc;

	hr_ctx_source_opts(ctx, &so);
	rc = hr_scan_decode_record(rec, so.max_payload, 1, &dec, &rel, err);
	if (rc)
		goto done;
	if (!strcmp(fmt, "yaml") && !*first)
		hr_buf_puts(&out, "---\n");
	*first = 0;
	if (field)
		rc = print_part(&out, rel, rec, field, fmt, err);
	else if (!strcmp(fmt, "json")) {
		if ((rc = hr_buf_put(&out, dec.body.ptr, dec.body.len)) || (rc = hr_buf_putc(&out, '\n')))
			hr_error_set(err, rc, "out of memory");
	} else
		rc = print_part(&out, rel, rec, "all", fmt, err);
	if (!rc && hr_cmd_write(out.ptr, out.len))
		rc = HR_EIO;
done:
	hr_buf_free(&out);
	hr_decoded_free(&dec);
	json_object_put(rel);
	return rc;
}

int cmd_decode(int argc, char **argv, hr_ctx *ctx)
{
	const char *fmt = "json", *field = NULL;
	hr_option opts[] = {
		HR_OPT_ENUM_('o', "output", &fmt, "FORMAT", "json|pretty|yaml", "json (as stored, default), pretty, or yaml"),
		HR_OPT_ENUM_(0, "field", &field, "PART", "manifest|values|config|notes|chart|hooks|info|labels", "print one part: manifest, values, config, notes, chart, hooks, info, labels"),
		HR_OPT_END_,
	};
	hr_strlist pos;
	int rc, skipped = 0, failed = 0, first = 1;

	if ((rc = hr_cmd_start(argc, argv, &help, opts, ctx, &pos, 1, -1, "INPUT... or - for stdin")))
		return rc < 0 ? 0 : rc;
	for (int i = 0; i < pos.n; i++) {
		hr_error err = HR_ERROR_INIT;
		hr_source_opts so;
		hr_source *src;
		hr_record *rec;

		hr_ctx_source_opts(ctx, &so);
		if (hr_source_open(&src, pos.items[i], &so, &err)) {
			/* an input named on the command line that cannot be read: a failure (1) */
			hr_cmd_note("Error: %s\n", err.msg);
			failed++;
			continue;
		}
		for (int got = 0; (rc = hr_source_next(src, &rec, &err)) != 0; got++) {
			if ((rc == HR_EUNSUPPORTED || rc == HR_EIO) && !got) {
				/* nothing could be read from it at all */
				hr_cmd_note("Error: %s\n", err.msg);
				failed++;
				break;
			}
			if (rc < 0) {
				hr_cmd_note("warning: %s\n", err.msg);
				skipped++;
				if (rc != HR_ESKIP)
					break;
				continue;
			}
			rc = decode_one(rec, ctx, fmt, field, &first, &err);
			hr_record_free(rec);
			if (rc == HR_EIO || rc == HR_EINVAL) {
				if (rc == HR_EINVAL)
					hr_cmd_note("Error: %s\n", err.msg);
				hr_source_close(src);
				rc = rc == HR_EINVAL ? HR_EXIT_USAGE : HR_EXIT_FAIL;
				goto out;
			}
			if (rc) {
				hr_cmd_note("warning: %s\n", err.msg);
				skipped++;
			}
		}
		hr_source_close(src);
	}
	rc = failed ? HR_EXIT_FAIL : skipped ? HR_EXIT_PARTIAL : HR_EXIT_OK;
out:
	hr_strlist_free(&pos);
	return rc;
}
