/*
 * yaml11.h — go-yaml v2's resolve() for a plain scalar: the YAML 1.1 rules
 * Helm 2 values, sigs.k8s.io/yaml and kubectl's YAML go through.  A plain
 * scalar is null ("", ~, null), a boolean (y/yes/on/true/n/no/off/false in
 * three spellings), a float (.inf/.nan words, Go float syntax), an integer
 * (Go's ParseInt/ParseUint with base prefixes after removing every '_'),
 * a timestamp (go-yaml's four time.Parse layouts), or a string.
 *
 * One resolver serves the decoders (codec/helm2_values.c,
 * sources/kube_yaml.c) and the printer that must quote what would not read
 * back as a string (render/yaml_scalar.c).  Plain values, nothing to free.
 */
#ifndef HR_UTIL_YAML11_H
#define HR_UTIL_YAML11_H

#include <stddef.h>
#include <stdint.h>

typedef enum hr_yaml11_kind {
	HR_YAML11_NULL = 0,
	HR_YAML11_BOOL,
	HR_YAML11_INT,        /* fits int64: .i */
	HR_YAML11_UINT,       /* above INT64_MAX, fits uint64: .u */
	HR_YAML11_FLOAT,      /* .f (also for .inf/.nan) */
	HR_YAML11_STR,
	HR_YAML11_TIMESTAMP   /* the text is kept by the caller */
} hr_yaml11_kind;

typedef struct hr_yaml11_value {
	hr_yaml11_kind kind;
	int b;
	int64_t i;
	uint64_t u;
	double f;
} hr_yaml11_value;

/*
 * resolve("", s[0..n)) of go-yaml v2.  Returns 0 (out filled) or
 * HR_ENOMEM.  Text with a NUL byte is a string.
 */
int hr_yaml11_resolve(const char *s, size_t n, hr_yaml11_value *out);

/*
 * go-yaml's isBase60Float (^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$):
 * its encoder quotes such strings although resolve() reads them as strings.
 */
int hr_yaml11_is_base60_float(const char *s, size_t n);

/* go-yaml's parseTimestamp succeeds on s[0..n). */
int hr_yaml11_is_timestamp(const char *s, size_t n);

#endif
