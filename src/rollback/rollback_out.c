/*
 * rollback_out.c — a rollback bundle as bytes: record objects (Secret or
 * ConfigMap, YAML stream or JSON List) for `kubectl apply`, the target
 * manifest as one stream and one file per resource, the rollback hooks in
 * run order, the human plan, and the whole bundle as JSON; written into a
 * directory file by file, atomically.
 *
 * The record objects carry exactly what helm's drivers put in them (name,
 * namespace, labels, type, data.release); they are written by the one
 * record writer, codec/record_write.h, in its sorted style.
 */
#include "rollback/rollback.h"
#include "codec/codec.h"
#include "codec/gojson.h"
#include "codec/record_write.h"
#include "model/release.h"
#include "render/indent.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The record writer's view of a record of the bundle. */
static hr_record_obj record_of(const hr_rollback_bundle *b, const hr_rollback_rec *r, hr_driver drv)
{
	hr_record_obj o = {
		.driver = drv, .name = b->name, .namespace = b->namespace, .version = r->version,
		.labels = r->labels, .payload = r->payload, .payload_len = r->payload_len,
	};

	return o;
}

static struct json_object *record_json(const hr_rollback_bundle *b, const hr_rollback_rec *r, hr_driver drv)
{
	hr_record_obj o = record_of(b, r, drv);
	hr_error ignored = HR_ERROR_INIT;
	struct json_object *tree;

	return hr_record_write_object(&tree, &o, HR_RECORD_STYLE_SORTED, &ignored) ? NULL : tree;
}

/* Append the Go-marshalled, 4-space indented form of v plus a newline. */
static int put_json(hr_buf *out, struct json_object *v, hr_error *err)
{
	hr_buf c = HR_BUF_INIT;
	int rc = hr_gojson_write(&c, v, 0);

	rc = rc ? rc : hr_json_indent(out, c.ptr, c.len, "    ");
	rc = rc ? rc : hr_buf_putc(out, '\n');
	hr_buf_free(&c);
	return rc ? hr_error_set(err, rc, "rendering JSON: %s", hr_error_name(rc)) : 0;
}

int hr_rollback_render_records(hr_buf *out, const hr_rollback_bundle *b, hr_driver drv, int as_json,
			       hr_error *err)
{
	int rc = 0;

	if (!as_json) {
		for (size_t i = 0; !rc && i <= b->nsuperseded; i++) {
			hr_record_obj o = record_of(b, i ? &b->superseded[i - 1] : &b->record, drv);

			rc = hr_record_write_yaml(out, &o, HR_RECORD_STYLE_SORTED, err);
		}
		return rc;
	}
	{
		struct json_object *list = json_object_new_object(), *items = json_object_new_array(), *o;

		if (!list || !items)
			goto nomem;
		json_object_object_add(list, "apiVersion", json_object_new_string("v1"));
		json_object_object_add(list, "kind", json_object_new_string("List"));
		json_object_object_add(list, "items", items);
		for (size_t i = 0; i <= b->nsuperseded; i++) {
			if (!(o = record_json(b, i ? &b->superseded[i - 1] : &b->record, drv)))
				goto nomem;
			json_object_array_add(items, o);
		}
		rc = put_json(out, list, err);
		json_object_put(list);
		return rc;
nomem:
		json_object_put(list);
		json_object_put(items);
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	}
}

static int put_doc(hr_buf *out, const char *text, size_t len)
{
	int rc = hr_buf_puts(out, "---\n");

	rc = rc ? rc : hr_buf_put(out, text, len);
	if (!rc && (!len || text[len - 1] != '\n'))
		rc = hr_buf_putc(out, '\n');
	return rc;
}

int hr_rollback_render_manifest(hr_buf *out, const hr_rollback_bundle *b, hr_error *err)
{
	for (size_t i = 0; i < b->resources.n; i++)
		if (put_doc(out, b->resources.items[i].text, b->resources.items[i].len))
			return hr_error_set(err, HR_ENOMEM, "out of memory");
	return 0;
}

/* "before-hook-creation,hook-succeeded" or "none". */
static int policies(hr_buf *out, struct json_object *hook)
{
	struct json_object *p = hr_release_member_type(hook, "delete_policies", json_type_array);
	size_t n = p ? json_object_array_length(p) : 0;
	int rc = 0;

	if (!n)
		return hr_buf_puts(out, "none");
	for (size_t i = 0; !rc && i < n; i++)
		rc = hr_buf_printf(out, "%s%s", i ? "," : "", json_object_get_string(json_object_array_get_idx(p, i)));
	return rc;
}

static int hook_doc(hr_buf *out, const hr_hook_ref *h, const char *event)
{
	int rc = hr_buf_printf(out, "---\n# helmrec: %s hook %s/%s, weight %lld, delete policies: ", event, h->kind,
			       h->name, (long long)h->weight);

	rc = rc ? rc : policies(out, h->hook);
	rc = rc ? rc : hr_buf_printf(out, "\n# Source: %s\n", h->path);
	rc = rc ? rc : hr_buf_put(out, h->manifest, h->manifest_len);
	if (!rc && (!h->manifest_len || h->manifest[h->manifest_len - 1] != '\n'))
		rc = hr_buf_putc(out, '\n');
	return rc;
}

int hr_rollback_render_hooks(hr_buf *out, const hr_rollback_bundle *b, int post, hr_error *err)
{
	const hr_hook_ref *v = post ? b->post : b->pre;
	size_t n = post ? b->npost : b->npre;

	for (size_t i = 0; i < n; i++)
		if (hook_doc(out, &v[i], post ? "post-rollback" : "pre-rollback"))
			return hr_error_set(err, HR_ENOMEM, "out of memory");
	return 0;
}

static int keeps(const hr_resource *r)
{
	/* helm.sh/resource-policy: keep (quoted or not) protects a resource from deletion */
	const char *p = strstr(r->text, "helm.sh/resource-policy");

	return p && strstr(p, "keep") && (size_t)(strstr(p, "keep") - p) < 40;
}

static int res_line(hr_buf *out, const char *verb, const hr_resource *r, const char *dns)
{
	return hr_buf_printf(out, "  %-7s %s %s %s/%s\n", verb, *r->api_version ? r->api_version : "?",
			     *r->kind ? r->kind : "?", *r->namespace ? r->namespace : dns, *r->name ? r->name : "?");
}

static int hooks_plan(hr_buf *out, const hr_hook_ref *v, size_t n, const char *event)
{
	int rc = hr_buf_printf(out, "  %s:%s\n", event, n ? "" : " none");

	for (size_t i = 0; !rc && i < n; i++) {
		rc = hr_buf_printf(out, "    %s %s (weight %lld, delete policies: ", v[i].kind, v[i].name,
				   (long long)v[i].weight);
		rc = rc ? rc : policies(out, v[i].hook);
		rc = rc ? rc : hr_buf_puts(out, ")\n");
	}
	return rc;
}

int hr_rollback_render_plan(hr_buf *out, const hr_rollback_bundle *b, hr_driver drv, hr_error *err)
{
	const char *obj = drv == HR_DRIVER_SECRET ? "Secret" : "ConfigMap";
	const char *desc = hr_release_str(b->record.rel, "info.description");
	int rc;

	rc = hr_buf_printf(out, "Rollback of %s/%s to revision %lld (last revision %lld, new revision %lld)\n",
			   b->namespace, b->name, (long long)b->target, (long long)b->last, (long long)b->version);
	rc = rc ? rc : hr_buf_printf(out, "Records (%s):\n  create  sh.helm.release.v1.%s.v%lld  status deployed, \"%s\"\n",
				     obj, b->name, (long long)b->version, desc ? desc : "");
	for (size_t i = 0; !rc && i < b->nsuperseded; i++)
		rc = hr_buf_printf(out, "  update  sh.helm.release.v1.%s.v%lld  %s -> superseded\n", b->name,
				   (long long)b->superseded[i].version, b->superseded[i].was_status);
	rc = rc ? rc : hr_buf_printf(out, "Resources of revision %lld (%zu, install order):\n", (long long)b->target,
				     b->resources.n);
	for (size_t i = 0; !rc && i < b->resources.n; i++)
		rc = res_line(out, "apply", &b->resources.items[i], b->namespace);
	for (size_t i = 0; !rc && i < b->nremoved; i++) {
		const hr_resource *r = &b->current.items[b->removed[i]];

		rc = res_line(out, keeps(r) ? "keep" : "delete", r, b->namespace);
	}
	if (!rc && b->nremoved)
		rc = hr_buf_printf(out, "  (delete: in revision %lld, not in revision %lld; helm deletes them unless "
				   "annotated helm.sh/resource-policy: keep)\n", (long long)b->last, (long long)b->target);
	if (!rc && b->unscoped)
		rc = hr_buf_printf(out, "  (%zu resource%s of kinds whose scope is unknown here (custom resources) carry no "
				   "namespace: apply with -n %s, as helm installs them into the release namespace)\n",
				   b->unscoped, b->unscoped == 1 ? "" : "s", b->namespace);
	rc = rc ? rc : hr_buf_puts(out, "Hooks (run in this order; kubectl does not run them):\n");
	rc = rc ? rc : hooks_plan(out, b->pre, b->npre, "pre-rollback");
	rc = rc ? rc : hooks_plan(out, b->post, b->npost, "post-rollback");
	return rc ? hr_error_set(err, HR_ENOMEM, "out of memory") : 0;
}

static struct json_object *res_json(const hr_resource *r, const char *dns)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "apiVersion", json_object_new_string(r->api_version));
	json_object_object_add(o, "kind", json_object_new_string(r->kind));
	json_object_object_add(o, "namespace", json_object_new_string(*r->namespace ? r->namespace : dns));
	json_object_object_add(o, "name", json_object_new_string(r->name));
	json_object_object_add(o, "source", json_object_new_string(r->source));
	json_object_object_add(o, "manifest", json_object_new_string_len(r->text, (int)r->len));
	return o;
}

static struct json_object *hooks_json(const hr_hook_ref *v, size_t n)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < n; i++) {
		struct json_object *o = json_object_new_object(), *p = hr_release_member(v[i].hook, "delete_policies");

		if (!o)
			break;
		json_object_object_add(o, "name", json_object_new_string(v[i].name));
		json_object_object_add(o, "kind", json_object_new_string(v[i].kind));
		json_object_object_add(o, "weight", json_object_new_int64(v[i].weight));
		json_object_object_add(o, "delete_policies", p ? json_object_get(p) : json_object_new_array());
		json_object_object_add(o, "path", json_object_new_string(v[i].path));
		json_object_object_add(o, "manifest", json_object_new_string_len(v[i].manifest, (int)v[i].manifest_len));
		json_object_array_add(a, o);
	}
	return a;
}

int hr_rollback_render_json(hr_buf *out, const hr_rollback_bundle *b, hr_driver drv, hr_error *err)
{
	struct json_object *o = json_object_new_object(), *a, *h, *recs;
	int rc;

	if (!o)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	json_object_object_add(o, "release", json_object_new_string(b->name));
	json_object_object_add(o, "namespace", json_object_new_string(b->namespace));
	json_object_object_add(o, "target", json_object_new_int64(b->target));
	json_object_object_add(o, "last", json_object_new_int64(b->last));
	json_object_object_add(o, "revision", json_object_new_int64(b->version));
	a = json_object_new_array();
	for (size_t i = 0; a && i < b->resources.n; i++)
		json_object_array_add(a, res_json(&b->resources.items[i], b->namespace));
	json_object_object_add(o, "resources", a);
	a = json_object_new_array();
	for (size_t i = 0; a && i < b->nremoved; i++)
		json_object_array_add(a, res_json(&b->current.items[b->removed[i]], b->namespace));
	json_object_object_add(o, "removed", a);
	h = json_object_new_object();
	if (h) {
		json_object_object_add(h, "pre-rollback", hooks_json(b->pre, b->npre));
		json_object_object_add(h, "post-rollback", hooks_json(b->post, b->npost));
	}
	json_object_object_add(o, "hooks", h);
	recs = json_object_new_array();
	for (size_t i = 0; recs && i <= b->nsuperseded; i++)
		json_object_array_add(recs, record_json(b, i ? &b->superseded[i - 1] : &b->record, drv));
	json_object_object_add(o, "records", recs);
	rc = put_json(out, o, err);
	json_object_put(o);
	return rc;
}

/* ---- files ---- */


static int mkdir_p(const char *path, hr_error *err)
{
	char *c = strdup(path);
	int rc = 0;

	if (!c)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	for (char *s = c + 1; ; s++) {
		if (*s == '/' || !*s) {
			char save = *s;

			*s = '\0';
			if (mkdir(c, 0700) && errno != EEXIST) {
				rc = hr_error_set(err, HR_EIO, "%s: mkdir: %s", c, strerror(errno));
				break;
			}
			*s = save;
			if (!save)
				break;
		}
	}
	free(c);
	return rc;
}

/* "003-deployment-web-webapp.yaml": lower-case kind, name with unsafe bytes as '_'. */
static int file_name(hr_buf *out, const char *dir, size_t num, int width, const char *kind, const char *name)
{
	int rc = hr_buf_printf(out, "%s/%0*zu-", dir, width, num);

	for (const char *s = kind; !rc && *s; s++)
		rc = hr_buf_putc(out, (*s >= 'A' && *s <= 'Z') ? (char)(*s - 'A' + 'a') : *s);
	rc = rc ? rc : hr_buf_putc(out, '-');
	for (const char *s = name; !rc && *s; s++) {
		char ch = *s;

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'))
			ch = '_';
		rc = hr_buf_putc(out, ch);
	}
	return rc ? rc : hr_buf_puts(out, ".yaml");
}

static int write_buf(const char *dir, const char *leaf, const hr_buf *b, hr_error *err)
{
	hr_buf p = HR_BUF_INIT;
	int rc = hr_buf_printf(&p, "%s/%s", dir, leaf);

	rc = rc ? hr_error_set(err, HR_ENOMEM, "out of memory") : hr_file_write_atomic(p.ptr, b->ptr, b->len, err);
	hr_buf_free(&p);
	return rc;
}

/*
 * Write `doc` as the i-th file (from 1, `width` digits) of directory d,
 * named after kind and name (file_name; p is scratch).  `built` is what
 * building doc returned: nonzero, it ran out of memory.
 */
static int write_numbered(hr_buf *p, const char *d, size_t i, int width, const char *kind, const char *name,
			  int built, const hr_buf *doc, hr_error *err)
{
	hr_buf_clear(p);
	if (built || file_name(p, d, i + 1, width, kind, name))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	return hr_file_write_atomic(p->ptr, doc->ptr, doc->len, err);
}

static int write_hooks(const char *dir, const hr_hook_ref *v, size_t n, const char *event, hr_error *err)
{
	hr_buf d = HR_BUF_INIT, p = HR_BUF_INIT, doc = HR_BUF_INIT;
	int rc = 0;

	if (!n)
		return 0;
	if (hr_buf_printf(&d, "%s/hooks/%s", dir, event))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if ((rc = mkdir_p(d.ptr, err)))
		goto out;
	for (size_t i = 0; !rc && i < n; i++) {
		hr_buf_clear(&doc);
		rc = write_numbered(&p, d.ptr, i, 2, v[i].kind, v[i].name, hook_doc(&doc, &v[i], event), &doc, err);
	}
out:
	hr_buf_free(&d);
	hr_buf_free(&p);
	hr_buf_free(&doc);
	return rc;
}

int hr_rollback_write_dir(const char *dir, const hr_rollback_bundle *b, hr_driver drv, int what,
			  hr_error *err)
{
	hr_buf buf = HR_BUF_INIT, p = HR_BUF_INIT, d = HR_BUF_INIT;
	int rc;

	if ((rc = mkdir_p(dir, err)))
		return rc;
	if (what != 2) {
		if ((rc = hr_rollback_render_records(&buf, b, drv, 0, err)) || (rc = write_buf(dir, "records.yaml", &buf, err)))
			goto out;
	}
	if (what != 1) {
		hr_buf_clear(&buf);
		if ((rc = hr_rollback_render_manifest(&buf, b, err)) || (rc = write_buf(dir, "manifest.yaml", &buf, err)))
			goto out;
		if (hr_buf_printf(&d, "%s/manifests", dir)) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = mkdir_p(d.ptr, err)))
			goto out;
		for (size_t i = 0; !rc && i < b->resources.n; i++) {
			const hr_resource *r = &b->resources.items[i];

			hr_buf_clear(&buf);
			rc = write_numbered(&p, d.ptr, i, 3, r->kind, r->name, put_doc(&buf, r->text, r->len), &buf, err);
		}
		if (rc || (rc = write_hooks(dir, b->pre, b->npre, "pre-rollback", err)) ||
		    (rc = write_hooks(dir, b->post, b->npost, "post-rollback", err)))
			goto out;
	}
	hr_buf_clear(&buf);
	if ((rc = hr_rollback_render_plan(&buf, b, drv, err)) || (rc = write_buf(dir, "plan.txt", &buf, err)))
		goto out;
out:
	hr_buf_free(&buf);
	hr_buf_free(&p);
	hr_buf_free(&d);
	return rc;
}
