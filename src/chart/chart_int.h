/*
 * chart_int.h — semi-private helpers shared by the export/chart*.c files.
 * Not part of the library's interface.
 */
#ifndef HR_CHART_CHART_INT_H
#define HR_CHART_CHART_INT_H

#include "chart/chart.h"

/* Append a printf-formatted sentence to c->notes.  0 or HR_ENOMEM. */
int hr__chart_add_note(hr_chart *c, hr_error *err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Fill c->missing and add the notes about sub-charts, from every trace the
 * record keeps of them: `deps` (metadata.dependencies as written to
 * Chart.yaml, may be NULL), `lock` (chart.lock, may be NULL), the
 * requirements.yaml / requirements.lock among c's files (v1 charts), and
 * the "# Source: CHART/charts/SUB/..." lines of the stored manifest and
 * the hook paths of `rel` (sub-charts that were rendered even if nothing
 * declared them).  Must run after c->files is complete.
 */
int hr__chart_note_subcharts(hr_chart *c, struct json_object *rel, struct json_object *deps,
			     struct json_object *lock, hr_error *err);

#endif
