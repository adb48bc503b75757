/*
 * dsvalue.c — the part of reading a datastore value that does not depend on
 * whether it came from bbolt or SQLite: pick the keys that can hold Helm
 * records, decrypt, decode the Kubernetes object and build the record.
 */
#include "sources/dsvalue.h"

#include <string.h>
#include "sources/k8sproto.h"

int hr_ds_key_kind(const unsigned char *key, size_t len)
{
	size_t slash[3], n = 0;

	/* The last three '/' separate <resource>/<ns>/<name>. */
	for (size_t i = len; i-- > 0 && n < 3;)
		if (key[i] == '/')
			slash[n++] = i;
	if (n < 3 || slash[0] == len - 1 || slash[1] + 1 == slash[0] || slash[2] + 1 == slash[1])
		return HR_DSKEY_OTHER;
	const unsigned char *res = key + slash[2] + 1;
	size_t rl = slash[1] - slash[2] - 1;
	if (rl == 7 && !memcmp(res, "secrets", 7))
		return HR_DSKEY_SECRET;
	if (rl == 10 && !memcmp(res, "configmaps", 10))
		return HR_DSKEY_CONFIGMAP;
	return HR_DSKEY_OTHER;
}

int hr_ds_value_to_record(hr_record **out, const char *key, const unsigned char *val, size_t len,
			  const hr_enc_config *enc, hr_buf *scratch, hr_source_stats *stats, hr_error *err)
{
	hr_k8s_object o = HR_K8S_OBJECT_INIT;
	hr_enc_provider prov;
	int rc;

	*out = NULL;
	rc = hr_enc_decrypt(enc, val, len, key, scratch, &prov, err);
	if (rc == HR_EUNSUPPORTED && prov == HR_ENC_KMS) {
		stats->encrypted_kms++;
		return 0;
	}
	if (rc < 0)
		return rc == HR_ENOMEM ? rc : HR_ESKIP;
	if ((rc = hr_k8s_decode(&o, (const unsigned char *)scratch->ptr, scratch->len, err)) < 0) {
		if (prov != HR_ENC_IDENTITY)
			hr_error_prefix(err, rc, "after %s decryption: ", hr_enc_provider_name(prov));
		return rc == HR_ENOMEM ? rc : HR_ESKIP;
	}
	rc = hr_k8s_object_to_record(out, &o, stats, err);
	hr_k8s_object_release(&o);
	return rc;
}
