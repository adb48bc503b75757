/*
 * fuzz_encryption.c — encryption at rest.  The first byte chooses: odd, the
 * input is an EncryptionConfiguration (YAML/JSON) to parse; even, it is a
 * etcd key, a NUL, and a stored value decrypted with the corpus's published
 * test configuration (testdata/corpus/datastores/encrypted/), the key as
 * AES-GCM additional data.
 */
#include "fuzz_common.h"

#include <string.h>

#include "sources/encryption.h"

static const char config[] =
	"# TEST KEYS ONLY - published on purpose so the encrypted fixture can be read.\n"
	"apiVersion: apiserver.config.k8s.io/v1\n"
	"kind: EncryptionConfiguration\n"
	"resources:\n"
	"  - resources:\n"
	"      - secrets\n"
	"      - configmaps\n"
	"    providers:\n"
	"      - aesgcm:\n"
	"          keys:\n"
	"            - name: gcm-key-2024\n"
	"              secret: KjZ8LgXDOhzlZLS8G5SSB0qjqZumVQhhMwqUsdGtjWo=\n"
	"      - aescbc:\n"
	"          keys:\n"
	"            - name: cbc-key-2023\n"
	"              secret: V0Mix4uSggrwK3yUiXq+H9vptLQAy4m58ULBUPx0+Sw=\n"
	"      - secretbox:\n"
	"          keys:\n"
	"            - name: sb-key-2022\n"
	"              secret: vrsQ3uvm7/ApmM6iAzOlqXCRRNM/QV7f9I6/WZ47P+A=\n"
	"      - identity: {}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static hr_enc_config *cfg;
	hr_error err = HR_ERROR_INIT;
	hr_buf out = HR_BUF_INIT;
	hr_enc_provider prov;

	if (size < 1)
		return 0;
	if (!cfg && hr_enc_config_parse(&cfg, config, strlen(config), "fuzz", &err) < 0)
		fz_fail("fixed configuration does not load", err.msg, strlen(err.msg), NULL, 0);
	if (data[0] & 1) {
		hr_enc_config *c = NULL;

		if (hr_enc_config_parse(&c, (const char *)data + 1, size - 1, "fuzz", &err) == 0) {
			(void)hr_enc_config_nkeys(c);
			hr_enc_config_free(c);
		}
		return 0;
	}
	const uint8_t *nul = memchr(data + 1, 0, size - 1);
	char key[256] = "/registry/secrets/ns/name";
	const uint8_t *val = data + 1;

	if (nul && (size_t)(nul - (data + 1)) < sizeof(key)) {
		memcpy(key, data + 1, (size_t)(nul - (data + 1)));
		key[nul - (data + 1)] = 0;
		val = nul + 1;
	}
	(void)hr_enc_decrypt(cfg, val, size - (size_t)(val - data), key, &out, &prov, &err);
	hr_buf_free(&out);
	return 0;
}
