/*
 * encryption.h — Kubernetes encryption at rest, read side: load an
 * EncryptionConfiguration (YAML or JSON, as given to kube-apiserver's
 * --encryption-provider-config or written by k3s --secrets-encryption) and
 * decrypt stored values by their `k8s:enc:<provider>:v1:<key>:` prefix.
 * Semi-private: used by the etcd and kine readers and tests.  The formats
 * are described in formats/encryption-at-rest.md.
 *
 * Supported: identity (no prefix: passed through), aescbc (16-byte IV +
 * AES-CBC + PKCS#7), aesgcm (12-byte nonce + AES-GCM + 16-byte tag, the
 * etcd key as additional data), secretbox (24-byte nonce + NaCl secretbox).
 * KMS v1/v2 values are recognised but need the KMS to unwrap their data key:
 * they return HR_EUNSUPPORTED so callers can count them.
 *
 * Ownership: free a configuration with hr_enc_config_free().
 */
#ifndef HR_SOURCES_ENCRYPTION_H
#define HR_SOURCES_ENCRYPTION_H

#include <stddef.h>
#include "util/buf.h"
#include "util/error.h"

typedef enum hr_enc_provider {
	HR_ENC_IDENTITY = 0,
	HR_ENC_AESCBC,
	HR_ENC_AESGCM,
	HR_ENC_SECRETBOX,
	HR_ENC_KMS,
	HR_ENC_UNKNOWN          /* a k8s:enc: prefix naming another provider */
} hr_enc_provider;

typedef struct hr_enc_config hr_enc_config;

/*
 * Load the configuration at `path`.  Every aescbc, aesgcm and secretbox key
 * of every resource group is kept (the key name in a value's prefix selects
 * it).  A key whose secret is not base64 or has the wrong length
 * (aescbc/aesgcm: 16, 24 or 32 bytes; secretbox: 32) is HR_EFORMAT with its
 * name and line.  Free with hr_enc_config_free().
 */
int hr_enc_config_load(hr_enc_config **out, const char *path, hr_error *err);
/* The same from memory; `what` names the source in messages. */
int hr_enc_config_parse(hr_enc_config **out, const char *text, size_t len, const char *what, hr_error *err);
void hr_enc_config_free(hr_enc_config *c);
/* Number of usable keys. */
size_t hr_enc_config_nkeys(const hr_enc_config *c);

/* "identity", "aescbc", "aesgcm", "secretbox", "kms", "unknown". */
const char *hr_enc_provider_name(hr_enc_provider p);

/*
 * Look at a stored value's prefix: sets *prov, copies the key (or KMS
 * provider) name into keyname (NUL-terminated, truncated to knsz), and
 * *hdrlen to the prefix length.  A value without a k8s:enc: prefix is
 * HR_ENC_IDENTITY with *hdrlen 0.
 */
void hr_enc_sniff(const unsigned char *val, size_t len, hr_enc_provider *prov,
		  char *keyname, size_t knsz, size_t *hdrlen);

/*
 * Decrypt `val` into `out` (cleared first; identity values are copied).
 * `aad` is the etcd key (kine: the name column), used by aesgcm.  *prov
 * (may be NULL) gets the provider.  Returns 0; HR_EUNSUPPORTED for KMS or
 * unknown providers; HR_ECRYPTO when there is no configuration, no key of
 * that name, or no key of that name decrypts the value (wrong key, bad tag,
 * bad padding); HR_EFORMAT when the value is too short for its layout.
 * Messages name the provider and key.  `cfg` may be NULL.
 */
int hr_enc_decrypt(const hr_enc_config *cfg, const unsigned char *val, size_t len,
		   const char *aad, hr_buf *out, hr_enc_provider *prov, hr_error *err);

#endif
