/*
 * sha256.c — hex SHA-256 of a byte range (OpenSSL libcrypto EVP), used to
 * fingerprint Helm payload strings and release JSON bodies in the index.
 */
#include "codec/codec.h"

#include <openssl/evp.h>

void hr_sha256_hex(const void *data, size_t len, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
		/* libcrypto cannot fail here short of a broken install */
		hex[0] = '\0';
		return;
	}
	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}
