/*
 * gotime.h — Go's time.Time, as far as Helm's output needs it.
 *
 * Helm stores times as RFC 3339 text (Go's JSON form of time.Time) and
 * prints them with Go layouts: history/status use time.ANSIC, list uses
 * Time.String(), get metadata uses time.RFC3339, `--time-format` takes any
 * layout.  What Go prints depends on the *location* the parsed time carries,
 * and Go's parser picks it as follows (time.Parse with RFC 3339 input):
 *
 *   "…Z"            -> UTC, whose zone abbreviation is "UTC";
 *   "…+hh:mm"       -> the process's local zone (time.Local, from $TZ or
 *                      /etc/localtime) if its offset at that instant is the
 *                      same, printing the local abbreviation (e.g. "CET",
 *                      or "UTC" under TZ=UTC for "+00:00");
 *                      otherwise a nameless fixed zone, whose "MST" prints
 *                      as the numeric offset ("+0200").
 *
 * The wall clock shown is always the stored one (Go never converts to the
 * local zone here).  The zero time (Go's time.Time{}: 0001-01-01 00:00:00
 * UTC) is what an absent or "" time decodes to.
 *
 * hr_gotime is a plain value; nothing to free.
 */
#ifndef HR_UTIL_GOTIME_H
#define HR_UTIL_GOTIME_H

#include <stdint.h>
#include "util/buf.h"
#include "util/error.h"

typedef enum hr_gotime_zone {
	HR_GOTIME_UTC = 0,   /* time.UTC: name "UTC", offset 0 */
	HR_GOTIME_LOCAL,     /* time.Local: name from the C library (tm_zone) */
	HR_GOTIME_FIXED      /* time.FixedZone("", offset): no name */
} hr_gotime_zone;

typedef struct hr_gotime {
	int64_t unix;        /* seconds since 1970-01-01T00:00:00Z (the instant) */
	int32_t nsec;        /* 0..999999999 */
	int32_t offset;      /* seconds east of UTC of the wall clock */
	hr_gotime_zone zone;
	char name[16];       /* zone abbreviation ("" for HR_GOTIME_FIXED) */
} hr_gotime;

/* Go's zero time: 0001-01-01T00:00:00Z in UTC. */
void hr_gotime_zero(hr_gotime *t);

/* The current time in UTC (time.Now().UTC()), from CLOCK_REALTIME. */
void hr_gotime_now_utc(hr_gotime *t);

/* True if `t` is the zero instant (Go's IsZero: whatever the zone). */
int hr_gotime_is_zero(const hr_gotime *t);

/*
 * Parse RFC 3339 text as Go's Time.UnmarshalJSON does (strict form:
 * YYYY-MM-DDTHH:MM:SS[.frac](Z|±hh:mm), fractions beyond 9 digits are
 * truncated), resolving the zone as described above against the current
 * process time zone.  NULL or "" give the zero time (Helm 3 writes "" for
 * zero times, Helm 4 omits the key).  Returns 0 or HR_EFORMAT.
 */
int hr_gotime_parse(hr_gotime *out, const char *s, hr_error *err);

/*
 * Append `t` formatted with the Go layout `layout` (reference time
 * "Mon Jan 2 15:04:05 MST 2006"; all of Go's layout elements are known:
 * Jan January 1 01 Mon Monday 2 _2 02 __2 002 15 3 03 4 04 5 05 2006 06
 * PM pm MST Z0700 Z07:00 Z07 Z070000 Z07:00:00 -0700 -07:00 -07 -070000
 * -07:00:00 and .000/.999/,000/,999 fractions).  Returns 0 or HR_ENOMEM.
 */
int hr_gotime_format(hr_buf *out, const hr_gotime *t, const char *layout);

/* Layouts Helm uses. */
#define HR_GOTIME_ANSIC "Mon Jan _2 15:04:05 2006"
#define HR_GOTIME_STRING "2006-01-02 15:04:05.999999999 -0700 MST"
#define HR_GOTIME_RFC3339 "2006-01-02T15:04:05Z07:00"
#define HR_GOTIME_RFC3339NANO "2006-01-02T15:04:05.999999999Z07:00"

/*
 * Append Go's JSON form (RFC3339Nano without quotes).  Go refuses years
 * outside 0..9999 (json: error calling MarshalJSON); so do we: HR_EINVAL.
 */
int hr_gotime_json(hr_buf *out, const hr_gotime *t, hr_error *err);

#endif
