/* Helpers shared by the object-model tests (vtpm_objects_util.h). */
#define OPENSSL_API_COMPAT 0x10100000L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/rsa.h>

#include "vtpm/internal.h"

#include "tests/unit/vtpm_objects_util.h"

size_t unhex(const char *h, uint8_t *out)
{
	size_t n = strlen(h) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(h + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
	return n;
}

void t16(struct tp *t, uint16_t v) { t->b[t->n++] = (uint8_t)(v >> 8); t->b[t->n++] = (uint8_t)v; }

void t32(struct tp *t, uint32_t v) { t16(t, (uint16_t)(v >> 16)); t16(t, (uint16_t)v); }

void t2b(struct tp *t, const void *p, uint16_t n) { t16(t, n); if (n) memcpy(t->b + t->n, p, n); t->n += n; }

void head(struct tp *t, uint16_t type, uint16_t name_alg, uint32_t attrs, const uint8_t *pol, uint16_t pl)
{
	t->n = 0;
	t16(t, type);
	t16(t, name_alg);
	t32(t, attrs);
	t2b(t, pol, pl);
}

void ecc_tp(struct tp *t, uint32_t attrs, uint16_t sym_bits, uint16_t mode, uint16_t scheme, uint16_t curve)
{
	head(t, TPM_ALG_ECC, TPM_ALG_SHA256, attrs, NULL, 0);
	if (sym_bits) {
		t16(t, TPM_ALG_AES); t16(t, sym_bits); t16(t, mode);
	} else {
		t16(t, TPM_ALG_NULL);
	}
	t16(t, scheme);
	if (scheme != TPM_ALG_NULL)
		t16(t, TPM_ALG_SHA256);
	t16(t, curve);
	t16(t, TPM_ALG_NULL);
	t16(t, 0);
	t16(t, 0);
}

void srk_tp(struct tp *t) { ecc_tp(t, A_SRK, 128, TPM_ALG_CFB, TPM_ALG_NULL, TPM_ECC_NIST_P256); }

/* another storage key: the same template with a one-byte unique.x */
void srk_tp_other(struct tp *t, char c)
{
	srk_tp(t);
	t->n -= 4;
	t16(t, 1);
	t->b[t->n++] = (uint8_t)c;
	t16(t, 0);
}

void keyed_tp(struct tp *t, uint32_t attrs, uint16_t scheme)
{
	head(t, TPM_ALG_KEYEDHASH, TPM_ALG_SHA256, attrs, NULL, 0);
	t16(t, scheme);
	if (scheme == TPM_ALG_HMAC)
		t16(t, TPM_ALG_SHA256);
	t16(t, 0);
}

void aes_tp(struct tp *t, uint32_t attrs, uint16_t bits, uint16_t mode)
{
	head(t, TPM_ALG_SYMCIPHER, TPM_ALG_SHA256, attrs, NULL, 0);
	t16(t, TPM_ALG_AES); t16(t, bits); t16(t, mode);
	t16(t, 0);
}

/* ---- commands ---- */
void sens_create(struct cb *c, const char *auth, const void *data, uint16_t dl)
{
	u16(c, (uint16_t)(4 + strlen(auth) + dl));
	b2b(c, auth, (uint16_t)strlen(auth));
	b2b(c, dl ? data : "", dl);
}

uint32_t create_primary(uint32_t hier, const struct tp *t, const char *auth, uint32_t *h)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_CreatePrimary);
	u32(&c, hier);
	pw(&c, "");
	sens_create(&c, auth, NULL, 0);
	b2b(&c, t->b, (uint16_t)t->n);
	u16(&c, 0);
	u32(&c, 0);
	uint32_t rc = exec(&c);
	if (rc == 0 && h)
		*h = vtpm_be32(rsp + 10);
	return rc;
}

/* outPublic of a CreatePrimary response */
const uint8_t *primary_pub(uint16_t *len)
{
	*len = vtpm_be16(rsp + 18);
	return rsp + 20;
}

uint32_t create(uint32_t parent, const char *pauth, const struct tp *t, const char *auth, const void *data,
		       uint16_t dl, struct blob *out)
{
	struct cb c;
	uint32_t rc;

	start(&c, TPM_ST_SESSIONS, TPM_CC_Create);
	u32(&c, parent);
	pw(&c, pauth);
	sens_create(&c, auth, data, dl);
	b2b(&c, t->b, (uint16_t)t->n);
	u16(&c, 0);
	u32(&c, 0);
	rc = exec(&c);
	if (rc == 0 && out) {
		const uint8_t *p = rsp + 14;
		out->priv_len = vtpm_be16(p);
		memcpy(out->priv, p + 2, out->priv_len);
		p += 2 + out->priv_len;
		out->pub_len = vtpm_be16(p);
		memcpy(out->pub, p + 2, out->pub_len);
	}
	return rc;
}

uint32_t load(uint32_t parent, const struct blob *b, uint32_t *h)
{
	struct cb c;
	uint32_t rc;

	start(&c, TPM_ST_SESSIONS, TPM_CC_Load);
	u32(&c, parent);
	pw(&c, "");
	b2b(&c, b->priv, b->priv_len);
	b2b(&c, b->pub, b->pub_len);
	rc = exec(&c);
	if (rc == 0 && h)
		*h = vtpm_be32(rsp + 10);
	return rc;
}

uint32_t unseal(uint32_t h, const char *auth)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_Unseal);
	u32(&c, h);
	pw(&c, auth);
	return exec(&c);
}

uint32_t flush(uint32_t h)
{
	struct cb c;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_FlushContext);
	u32(&c, h);
	return exec(&c);
}

unsigned objects_used(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < VTPM_OBJECTS; i++)
		n += T->objects[i].used;
	return n;
}

struct vtpm_object *obj(uint32_t h)
{
	return vtpm_object_find(T, h);
}

/* KDFa with HMAC-SHA-256 written out on OpenSSL (Part 1, 11.4.10.2) */
void ossl_kdfa(const uint8_t *key, size_t kl, const char *label, const uint8_t *u, size_t ul,
		      const uint8_t *v, size_t vl, uint8_t *out, uint32_t bits)
{
	uint8_t tmp[32];
	for (uint32_t i = 1, done = 0; done < bits / 8; i++, done += 32) {
		uint8_t in[512], ctr[4] = { (uint8_t)(i >> 24), (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };
		uint8_t lb[4] = { (uint8_t)(bits >> 24), (uint8_t)(bits >> 16), (uint8_t)(bits >> 8), (uint8_t)bits };
		size_t n = 0, ll = strlen(label) + 1;
		unsigned ol = 32;
		memcpy(in + n, ctr, 4); n += 4;
		memcpy(in + n, label, ll); n += ll;
		if (ul) memcpy(in + n, u, ul);
		n += ul;
		if (vl) memcpy(in + n, v, vl);
		n += vl;
		memcpy(in + n, lb, 4); n += 4;
		HMAC(EVP_sha256(), key, (int)kl, in, n, tmp, &ol);
		memcpy(out + done, tmp, bits / 8 - done < 32 ? bits / 8 - done : 32);
	}
}

void sha256(const void *p, size_t n, uint8_t out[32])
{
	EVP_Digest(p, n, out, NULL, EVP_sha256(), NULL);
}

/* ctxU of a primary: 000b || SHA-256(template) */
void ctx_u(const struct tp *t, uint8_t u[34])
{
	u[0] = 0;
	u[1] = 0x0b;
	sha256(t->b, t->n, u + 2);
}

uint32_t srk(uint32_t *h)
{
	struct tp t;

	srk_tp(&t);
	return create_primary(TPM_RH_OWNER, &t, "", h);
}

bool have_rsa(void)
{
	static int have = -1;
	if (have < 0) {
		struct crypto_rsa_pub pub;
		struct crypto_rsa_priv *priv = malloc(sizeof(*priv));
		have = crypto_rsa_derive(CRYPTO_SHA256, "seed", 4, "x", NULL, 0, NULL, 0, 2048, 0, &pub, priv);
		free(priv);
	}
	return have;
}

size_t context_save(uint32_t h, uint8_t *blob)
{
	struct cb c;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ContextSave);
	u32(&c, h);
	assert_int_equal(exec(&c), 0);
	memcpy(blob, rsp + 10, rlen - 10);
	return rlen - 10;
}

uint32_t context_load(const uint8_t *blob, size_t n, uint32_t *h)
{
	struct cb c;
	uint32_t rc;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ContextLoad);
	bytes(&c, blob, n);
	rc = exec(&c);
	if (rc == 0 && h)
		*h = vtpm_be32(rsp + 10);
	return rc;
}

uint32_t sign(uint32_t key, const uint8_t dg[32])
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_Sign);
	u32(&c, key);
	pw(&c, "");
	b2b(&c, dg, 32);
	u16(&c, TPM_ALG_NULL);
	u16(&c, TPM_ST_HASHCHECK);
	u32(&c, TPM_RH_NULL);
	u16(&c, 0);
	return exec(&c);
}
