/*
 * sha256.c — hex SHA-256 of a byte range or of a stream of ranges
 * (OpenSSL libcrypto EVP), used to fingerprint Helm payload strings,
 * release JSON bodies and whole inputs in the index.
 */
#include "codec/codec.h"

#include <openssl/evp.h>

/* Lower-case hex of a 32-byte digest. */
static void put_hex(const unsigned char md[32], char hex[65])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

void hr_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
		/* libcrypto cannot fail here short of a broken install */
		hex[0] = '\0';
		return;
	}
	put_hex(md, hex);
}

hr_sha256 *hr_sha256_begin(void)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx && !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	return (hr_sha256 *)ctx;
}

void hr_sha256_update(hr_sha256 *h, const void *data, size_t len)
{
	EVP_DigestUpdate((EVP_MD_CTX *)h, data, len);
}

int hr_sha256_end(hr_sha256 *h, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int ok;

	if (!h)
		return -1;
	ok = EVP_DigestFinal_ex((EVP_MD_CTX *)h, md, &mdlen) && mdlen == 32;
	EVP_MD_CTX_free((EVP_MD_CTX *)h);
	if (!ok)
		return -1;
	put_hex(md, hex);
	return 0;
}
