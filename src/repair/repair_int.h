/*
 * repair_int.h — semi-private to src/repair/: what repair.c (the plan)
 * uses of repair_map.c (the apiVersion rewrite).  Not for other folders.
 */
#ifndef HR_REPAIR_INT_H
#define HR_REPAIR_INT_H

#include <json-c/json.h>
#include "repair/repair.h"
#include "util/error.h"

/*
 * Map the manifest and every hook manifest of `rel` (a stored release tree,
 * changed in place) to the apiVersions the deprecation table gives at
 * kmaj.kmin, adding one change per document to p.  Returns the number of
 * documents changed (>= 0) or a negative HR_E* code with err set.
 */
int hr_repair_map_release(hr_repair_plan *p, struct json_object *rel, int kmaj, int kmin, hr_error *err);

#endif
