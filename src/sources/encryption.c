/*
 * encryption.c — decrypt values that kube-apiserver encrypted at rest.
 *
 * The configuration is loaded with libyaml's document API (JSON is a YAML
 * subset, so k3s's encryption-config.json loads the same way) and reduced
 * to a flat list of (provider, key name, raw key) triples.  Decryption
 * follows the prefix of each value: OpenSSL does AES-CBC and AES-GCM,
 * libsodium does XSalsa20-Poly1305 secretbox.  Several keys may carry the
 * same name in different resource groups: each is tried in turn.
 */
#include "sources/encryption.h"
#include "util/array.h"
#include "codec/codec.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <yaml.h>

#define PREFIX "k8s:enc:"

typedef struct enc_key {
	hr_enc_provider prov;
	char *name;
	unsigned char key[32];
	size_t klen;
} enc_key;

struct hr_enc_config {
	enc_key *keys;
	size_t nkeys, capkeys;
};

const char *hr_enc_provider_name(hr_enc_provider p)
{
	switch (p) {
	case HR_ENC_IDENTITY: return "identity";
	case HR_ENC_AESCBC: return "aescbc";
	case HR_ENC_AESGCM: return "aesgcm";
	case HR_ENC_SECRETBOX: return "secretbox";
	case HR_ENC_KMS: return "kms";
	default: return "unknown";
	}
}

/* ---- configuration ---- */

static yaml_node_t *map_get(yaml_document_t *d, yaml_node_t *m, const char *key)
{
	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);
		if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(key) &&
		    !memcmp(k->data.scalar.value, key, k->data.scalar.length))
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static int add_key(hr_enc_config *c, hr_enc_provider prov, yaml_node_t *name, yaml_node_t *secret,
		   const char *what, hr_error *err)
{
	hr_buf raw = HR_BUF_INIT;
	enc_key *p;
	unsigned long line = secret ? (unsigned long)secret->start_mark.line + 1 : 0;
	int rc = 0;

	if (!name || name->type != YAML_SCALAR_NODE || !secret || secret->type != YAML_SCALAR_NODE)
		return hr_error_set(err, HR_EFORMAT, "%s: %s key without name or secret", what,
				    hr_enc_provider_name(prov));
	raw.max = 64;
	if (hr_base64_decode(&raw, (const char *)secret->data.scalar.value, secret->data.scalar.length, NULL) < 0) {
		rc = hr_error_set(err, HR_EFORMAT, "%s: line %lu: %s key \"%s\": secret is not base64", what,
				  line, hr_enc_provider_name(prov), (const char *)name->data.scalar.value);
		goto out;
	}
	if (prov == HR_ENC_SECRETBOX ? raw.len != 32 : (raw.len != 16 && raw.len != 24 && raw.len != 32)) {
		rc = hr_error_set(err, HR_EFORMAT, "%s: line %lu: %s key \"%s\": %zu-byte secret, expected %s",
				  what, line, hr_enc_provider_name(prov), (const char *)name->data.scalar.value,
				  raw.len, prov == HR_ENC_SECRETBOX ? "32" : "16, 24 or 32");
		goto out;
	}
	if (HR_ARRAY_GROW(c->keys, c->nkeys + 1, c->capkeys)) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	p = c->keys + c->nkeys;
	p->prov = prov;
	p->klen = raw.len;
	memcpy(p->key, raw.ptr, raw.len);
	if (!(p->name = strdup((const char *)name->data.scalar.value))) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	c->nkeys++;
out:
	if (raw.ptr)
		sodium_memzero(raw.ptr, raw.cap);
	hr_buf_free(&raw);
	return rc;
}

static int load_provider(hr_enc_config *c, yaml_document_t *d, yaml_node_t *pm, const char *what, hr_error *err)
{
	static const struct { const char *name; hr_enc_provider prov; } kinds[] = {
		{ "aescbc", HR_ENC_AESCBC }, { "aesgcm", HR_ENC_AESGCM }, { "secretbox", HR_ENC_SECRETBOX },
	};
	int rc;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		yaml_node_t *keys = map_get(d, map_get(d, pm, kinds[i].name), "keys");
		if (!keys)
			continue;
		if (keys->type != YAML_SEQUENCE_NODE)
			return hr_error_set(err, HR_EFORMAT, "%s: line %lu: %s.keys is not a list", what,
					    (unsigned long)keys->start_mark.line + 1, kinds[i].name);
		for (yaml_node_item_t *it = keys->data.sequence.items.start; it < keys->data.sequence.items.top; it++) {
			yaml_node_t *k = yaml_document_get_node(d, *it);
			if ((rc = add_key(c, kinds[i].prov, map_get(d, k, "name"), map_get(d, k, "secret"), what, err)) < 0)
				return rc;
		}
	}
	return 0;
}

int hr_enc_config_parse(hr_enc_config **out, const char *text, size_t len, const char *what, hr_error *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	hr_enc_config *c = calloc(1, sizeof(*c));
	yaml_node_t *root, *res;
	int rc = 0, have_doc = 0;

	*out = NULL;
	if (!c)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if (!yaml_parser_initialize(&parser)) {
		free(c);
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = hr_error_set(err, HR_EFORMAT, "%s: line %lu: %s", what,
				  (unsigned long)parser.problem_mark.line + 1,
				  parser.problem ? parser.problem : "YAML error");
		goto out;
	}
	have_doc = 1;
	root = yaml_document_get_root_node(&doc);
	res = map_get(&doc, root, "resources");
	if (!res || res->type != YAML_SEQUENCE_NODE) {
		rc = hr_error_set(err, HR_EFORMAT, "%s: not an EncryptionConfiguration (no resources list)", what);
		goto out;
	}
	for (yaml_node_item_t *it = res->data.sequence.items.start; it < res->data.sequence.items.top; it++) {
		yaml_node_t *prov = map_get(&doc, yaml_document_get_node(&doc, *it), "providers");
		if (!prov || prov->type != YAML_SEQUENCE_NODE)
			continue;
		for (yaml_node_item_t *p = prov->data.sequence.items.start; p < prov->data.sequence.items.top; p++)
			if ((rc = load_provider(c, &doc, yaml_document_get_node(&doc, *p), what, err)) < 0)
				goto out;
	}
out:
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc < 0)
		hr_enc_config_free(c);
	else
		*out = c;
	return rc;
}

int hr_enc_config_load(hr_enc_config **out, const char *path, hr_error *err)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	if (!f)
		return hr_error_set(err, HR_EIO, "%s: cannot open: %s", path, strerror(errno));
	for (;;) {
		if (cap - len < 4096) {
			char *p;
			if (cap > (1u << 24) || !(p = realloc(text, cap + 8192))) {
				fclose(f);
				free(text);
				return hr_error_set(err, cap > (1u << 24) ? HR_ETOOBIG : HR_ENOMEM,
						    "%s: configuration too large", path);
			}
			text = p;
			cap += 8192;
		}
		size_t n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	rc = ferror(f) ? hr_error_set(err, HR_EIO, "%s: read error", path) : 0;
	fclose(f);
	if (!rc)
		rc = hr_enc_config_parse(out, text, len, path, err);
	if (text)
		sodium_memzero(text, cap);
	free(text);
	return rc;
}

void hr_enc_config_free(hr_enc_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nkeys; i++) {
		free(c->keys[i].name);
		sodium_memzero(c->keys[i].key, sizeof(c->keys[i].key));
	}
	free(c->keys);
	free(c);
}

size_t hr_enc_config_nkeys(const hr_enc_config *c)
{
	return c ? c->nkeys : 0;
}

/* ---- values ---- */

void hr_enc_sniff(const unsigned char *val, size_t len, hr_enc_provider *prov,
		  char *keyname, size_t knsz, size_t *hdrlen)
{
	static const struct { const char *tag; hr_enc_provider prov; } tags[] = {
		{ "aescbc:", HR_ENC_AESCBC }, { "aesgcm:", HR_ENC_AESGCM },
		{ "secretbox:", HR_ENC_SECRETBOX }, { "kms:", HR_ENC_KMS },
	};
	const size_t pl = strlen(PREFIX);
	size_t i, at;

	*prov = HR_ENC_IDENTITY;
	*hdrlen = 0;
	if (knsz)
		keyname[0] = 0;
	if (len < pl || memcmp(val, PREFIX, pl))
		return;
	*prov = HR_ENC_UNKNOWN;
	at = pl;
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		size_t tl = strlen(tags[i].tag);
		if (len - at >= tl && !memcmp(val + at, tags[i].tag, tl)) {
			*prov = tags[i].prov;
			at += tl;
			break;
		}
	}
	if (*prov == HR_ENC_UNKNOWN) {
		while (at < len && val[at] != ':')
			at++;
		at++;
	}
	/* version "v1:" / "v2:" */
	while (at < len && val[at] != ':')
		at++;
	at++;
	size_t ks = at;
	while (at < len && val[at] != ':')
		at++;
	if (knsz) {
		size_t n = at - ks < knsz - 1 ? at - ks : knsz - 1;
		if (ks <= len) {
			memcpy(keyname, val + ks, n);
			keyname[n] = 0;
		}
	}
	*hdrlen = at < len ? at + 1 : len;
}

static int looks_like_object(const unsigned char *p, size_t n)
{
	return (n >= 4 && !memcmp(p, "k8s\0", 4)) || (n >= 1 && (p[0] == '{' || p[0] == ' ' || p[0] == '\n'));
}

static const EVP_CIPHER *aes_cipher(size_t klen, int gcm)
{
	switch (klen) {
	case 16: return gcm ? EVP_aes_128_gcm() : EVP_aes_128_cbc();
	case 24: return gcm ? EVP_aes_192_gcm() : EVP_aes_192_cbc();
	default: return gcm ? EVP_aes_256_gcm() : EVP_aes_256_cbc();
	}
}

/* 0 ok, 1 wrong key/corrupt, negative on other errors. */
static int try_cbc(const enc_key *k, const unsigned char *c, size_t n, hr_buf *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0, rc = 1;

	if (!ctx)
		return HR_ENOMEM;
	hr_buf_clear(out);
	if (hr_buf_grow(out, n + 32) < 0) {
		rc = HR_ENOMEM;
		goto out;
	}
	/* PKCS#7 padding is checked by OpenSSL: every pad byte must equal the pad length. */
	if (EVP_DecryptInit_ex(ctx, aes_cipher(k->klen, 0), NULL, k->key, c) == 1 &&
	    EVP_DecryptUpdate(ctx, (unsigned char *)out->ptr, &l1, c + 16, (int)(n - 16)) == 1 &&
	    EVP_DecryptFinal_ex(ctx, (unsigned char *)out->ptr + l1, &l2) == 1) {
		out->len = (size_t)(l1 + l2);
		out->ptr[out->len] = 0;
		rc = looks_like_object((unsigned char *)out->ptr, out->len) ? 0 : 1;
	}
out:
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

static int try_gcm(const enc_key *k, const unsigned char *c, size_t n, const char *aad, hr_buf *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0, la = 0, rc = 1;
	size_t ct = n - 12 - 16;

	if (!ctx)
		return HR_ENOMEM;
	hr_buf_clear(out);
	if (hr_buf_grow(out, ct + 16) < 0) {
		rc = HR_ENOMEM;
		goto out;
	}
	if (EVP_DecryptInit_ex(ctx, aes_cipher(k->klen, 1), NULL, NULL, NULL) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) == 1 &&
	    EVP_DecryptInit_ex(ctx, NULL, NULL, k->key, c) == 1 &&
	    EVP_DecryptUpdate(ctx, NULL, &la, (const unsigned char *)aad, (int)strlen(aad)) == 1 &&
	    EVP_DecryptUpdate(ctx, (unsigned char *)out->ptr, &l1, c + 12, (int)ct) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, (void *)(c + 12 + ct)) == 1 &&
	    EVP_DecryptFinal_ex(ctx, (unsigned char *)out->ptr + l1, &l2) == 1) {
		out->len = (size_t)(l1 + l2);
		out->ptr[out->len] = 0;
		rc = 0;
	}
out:
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

static int try_secretbox(const enc_key *k, const unsigned char *c, size_t n, hr_buf *out)
{
	size_t ml = n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;

	hr_buf_clear(out);
	if (hr_buf_grow(out, ml + 1) < 0)
		return HR_ENOMEM;
	if (crypto_secretbox_open_easy((unsigned char *)out->ptr, c + crypto_secretbox_NONCEBYTES,
				       n - crypto_secretbox_NONCEBYTES, c, k->key) != 0)
		return 1;
	out->len = ml;
	out->ptr[ml] = 0;
	return 0;
}

int hr_enc_decrypt(const hr_enc_config *cfg, const unsigned char *val, size_t len,
		   const char *aad, hr_buf *out, hr_enc_provider *prov_out, hr_error *err)
{
	hr_enc_provider prov;
	char name[128];
	size_t hdr, n, min, tried = 0;
	const unsigned char *c;

	hr_enc_sniff(val, len, &prov, name, sizeof(name), &hdr);
	if (prov_out)
		*prov_out = prov;
	if (prov == HR_ENC_IDENTITY) {
		hr_buf_clear(out);
		return hr_buf_put(out, val, len);
	}
	if (prov == HR_ENC_KMS)
		return hr_error_set(err, HR_EUNSUPPORTED,
				    "encrypted by KMS provider \"%s\": its data key can only be unwrapped by the KMS",
				    name);
	if (prov == HR_ENC_UNKNOWN)
		return hr_error_set(err, HR_EUNSUPPORTED, "unknown encryption prefix \"%.*s\"",
				    (int)(hdr > 60 ? 60 : hdr), (const char *)val);
	c = val + hdr;
	n = len - hdr;
	min = prov == HR_ENC_AESCBC ? 32 : prov == HR_ENC_AESGCM ? 12 + 16 :
	      crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
	if (n < min || (prov == HR_ENC_AESCBC && (n - 16) % 16) || n > INT32_MAX)
		return hr_error_set(err, HR_EFORMAT, "%s value under key \"%s\": %zu bytes of ciphertext is not a valid length",
				    hr_enc_provider_name(prov), name, n);
	if (sodium_init() < 0)
		return hr_error_set(err, HR_ECRYPTO, "libsodium failed to initialise");
	for (size_t i = 0; cfg && i < cfg->nkeys; i++) {
		const enc_key *k = &cfg->keys[i];
		int rc;
		if (k->prov != prov || strcmp(k->name, name))
			continue;
		tried++;
		if (prov == HR_ENC_AESCBC)
			rc = try_cbc(k, c, n, out);
		else if (prov == HR_ENC_AESGCM)
			rc = try_gcm(k, c, n, aad ? aad : "", out);
		else
			rc = try_secretbox(k, c, n, out);
		if (rc < 0)
			return hr_error_set(err, rc, "out of memory");
		if (rc == 0)
			return 0;
	}
	hr_buf_clear(out);
	if (!cfg)
		return hr_error_set(err, HR_ECRYPTO,
				    "encrypted with %s key \"%s\": no encryption configuration given",
				    hr_enc_provider_name(prov), name);
	if (!tried)
		return hr_error_set(err, HR_ECRYPTO,
				    "encrypted with %s key \"%s\": the encryption configuration has no such key",
				    hr_enc_provider_name(prov), name);
	return hr_error_set(err, HR_ECRYPTO, "%s key \"%s\" does not decrypt the value (wrong key%s)",
			    hr_enc_provider_name(prov), name,
			    prov == HR_ENC_AESGCM ? ", or the value was moved from another etcd key" :
			    prov == HR_ENC_AESCBC ? " or corrupt padding" : " or corrupt value");
}
