/*
 * dsvalue.h — what the etcd and kine readers share: recognise the etcd keys
 * that hold Secrets and ConfigMaps, and turn one stored value (possibly
 * encrypted) into a release record.  Semi-private to src/sources/.
 */
#ifndef HR_SOURCES_DSVALUE_H
#define HR_SOURCES_DSVALUE_H

#include <stddef.h>
#include "model/record.h"
#include "sources/encryption.h"
#include "sources/source.h"
#include "util/buf.h"
#include "util/error.h"

enum { HR_DSKEY_OTHER = 0, HR_DSKEY_SECRET, HR_DSKEY_CONFIGMAP };

/*
 * Classify an etcd key by its tail: "<prefix>/secrets/<ns>/<name>" or
 * "<prefix>/configmaps/<ns>/<name>" (any prefix, e.g. /registry or
 * OpenShift's /kubernetes.io).  Returns HR_DSKEY_*.
 */
int hr_ds_key_kind(const unsigned char *key, size_t len);

/*
 * Decrypt (by prefix, with `key` as AES-GCM additional data), decode and
 * classify one stored value.  Returns 1 with *out (a Helm record with
 * driver, object fields and payload; provenance left to the caller), 0
 * when it is not a release record or is KMS-encrypted (stats updated:
 * skipped_other, helm2, encrypted_kms), or HR_ESKIP with err saying why
 * (wrong key, bad protobuf...).  `scratch` is a reusable buffer.
 */
int hr_ds_value_to_record(hr_record **out, const char *key, const unsigned char *val, size_t len,
			  const hr_enc_config *enc, hr_buf *scratch, hr_source_stats *stats, hr_error *err);

#endif
