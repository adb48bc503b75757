/*
 * getall.c — `helm get all RELEASE` (without --template) for a decoded
 * release record.
 *
 * Helm prints it with its status printer in debug + metadata mode
 * (pkg/cmd/get_all.go in helm 4.1, cmd/helm/get_all.go in helm 3.17), so
 * this is that printer (hr_render__status_table, status.c) with: CHART /
 * VERSION / APP_VERSION, DESCRIPTION on helm 4 only (helm 3's get all does
 * not ask for it), both values blocks as YAML, every hook and the
 * manifest.  Stored records never carry live resources, so the RESOURCES
 * block never appears.
 */
#include "render/helm.h"
#include "render/values.h"

int hr_render_get_all(hr_buf *out, struct json_object *release, int helm_major, hr_error *err)
{
	hr_render__status_opts o = { .show_desc = helm_major >= 4, .show_metadata = 1, .debug = 1,
				     .helm_major = helm_major };
	size_t n0 = out->len;
	int rc;

	if (!json_object_is_type(release, json_type_object))
		return hr_error_set(err, HR_EINVAL, "get all: release is not a JSON object");
	if ((rc = hr_render__status_table(out, release, &o, err))) {
		hr_error_prefix(err, rc, "get all: ");
		if (out->ptr)
			hr_buf_truncate(out, n0);
	}
	return rc;
}
