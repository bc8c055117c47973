/* vTPM object model (issue 6, objects part): storage keys and children (Create/Load/Unseal), the
 * Protected Storage private blob recomputed with OpenSSL, tampered blobs, the attribute rules,
 * keyedHash/symmetric/ECC derivations recomputed and pinned, the EK templates, HMAC and
 * EncryptDecrypt checked against OpenSSL, ObjectChangeAuth, contexts, EvictControl across a power
 * cycle, NV blob format 1 still loading, RSA where the crypto layer provides it. */
/* the EC_KEY interface keeps the OpenSSL cross-checks short */
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

#include "tests/unit/vtpm_harness.h"

/* TPMA_OBJECT combinations */
#define A_FIXED (TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT)
#define A_SRK (A_FIXED | TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_NODA | \
	       TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT)                                     /* 0x30472 */
#define A_SEAL (A_FIXED | TPMA_OBJECT_USERWITHAUTH)                                              /* 0x00052 */
#define A_KEY (A_FIXED | TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH)              /* 0x00072 */
#define A_EK 0x000300B2u /* TCG EK Credential Profile, templates L-1 and L-2 */

static const char *EK_POLICY = "837197674484B3F81A90CC8D46A5D724FD52D76E06520B64F2A1DA1B331469AA";

static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = strlen(h) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(h + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
	return n;
}

/* ---- templates ---- */
struct tp { uint8_t b[600]; size_t n; };
static void t16(struct tp *t, uint16_t v) { t->b[t->n++] = (uint8_t)(v >> 8); t->b[t->n++] = (uint8_t)v; }
static void t32(struct tp *t, uint32_t v) { t16(t, (uint16_t)(v >> 16)); t16(t, (uint16_t)v); }
static void t2b(struct tp *t, const void *p, uint16_t n) { t16(t, n); if (n) memcpy(t->b + t->n, p, n); t->n += n; }

static void head(struct tp *t, uint16_t type, uint16_t name_alg, uint32_t attrs, const uint8_t *pol, uint16_t pl)
{
	t->n = 0;
	t16(t, type);
	t16(t, name_alg);
	t32(t, attrs);
	t2b(t, pol, pl);
}

static void ecc_tp(struct tp *t, uint32_t attrs, uint16_t sym_bits, uint16_t mode, uint16_t scheme, uint16_t curve)
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

static void srk_tp(struct tp *t) { ecc_tp(t, A_SRK, 128, TPM_ALG_CFB, TPM_ALG_NULL, TPM_ECC_NIST_P256); }

/* another storage key: the same template with a one-byte unique.x */
static void srk_tp_other(struct tp *t, char c)
{
	srk_tp(t);
	t->n -= 4;
	t16(t, 1);
	t->b[t->n++] = (uint8_t)c;
	t16(t, 0);
}

static void keyed_tp(struct tp *t, uint32_t attrs, uint16_t scheme)
{
	head(t, TPM_ALG_KEYEDHASH, TPM_ALG_SHA256, attrs, NULL, 0);
	t16(t, scheme);
	if (scheme == TPM_ALG_HMAC)
		t16(t, TPM_ALG_SHA256);
	t16(t, 0);
}

static void aes_tp(struct tp *t, uint32_t attrs, uint16_t bits, uint16_t mode)
{
	head(t, TPM_ALG_SYMCIPHER, TPM_ALG_SHA256, attrs, NULL, 0);
	t16(t, TPM_ALG_AES); t16(t, bits); t16(t, mode);
	t16(t, 0);
}

/* ---- commands ---- */
static void sens_create(struct cb *c, const char *auth, const void *data, uint16_t dl)
{
	u16(c, (uint16_t)(4 + strlen(auth) + dl));
	b2b(c, auth, (uint16_t)strlen(auth));
	b2b(c, dl ? data : "", dl);
}

static uint32_t create_primary(uint32_t hier, const struct tp *t, const char *auth, uint32_t *h)
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
static const uint8_t *primary_pub(uint16_t *len)
{
	*len = vtpm_be16(rsp + 18);
	return rsp + 20;
}

struct blob { uint8_t priv[600], pub[600]; uint16_t priv_len, pub_len; };

static uint32_t create(uint32_t parent, const char *pauth, const struct tp *t, const char *auth, const void *data,
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

static uint32_t load(uint32_t parent, const struct blob *b, uint32_t *h)
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

static uint32_t unseal(uint32_t h, const char *auth)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_Unseal);
	u32(&c, h);
	pw(&c, auth);
	return exec(&c);
}

static uint32_t flush(uint32_t h)
{
	struct cb c;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_FlushContext);
	u32(&c, h);
	return exec(&c);
}

static unsigned objects_used(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < VTPM_OBJECTS; i++)
		n += T->objects[i].used;
	return n;
}

static struct vtpm_object *obj(uint32_t h)
{
	return vtpm_object_find(T, h);
}

/* KDFa with HMAC-SHA-256 written out on OpenSSL (Part 1, 11.4.10.2) */
static void ossl_kdfa(const uint8_t *key, size_t kl, const char *label, const uint8_t *u, size_t ul,
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

static void sha256(const void *p, size_t n, uint8_t out[32])
{
	EVP_Digest(p, n, out, NULL, EVP_sha256(), NULL);
}

/* ctxU of a primary: 000b || SHA-256(template) */
static void ctx_u(const struct tp *t, uint8_t u[34])
{
	u[0] = 0;
	u[1] = 0x0b;
	sha256(t->b, t->n, u + 2);
}

static uint32_t srk(uint32_t *h)
{
	struct tp t;

	srk_tp(&t);
	return create_primary(TPM_RH_OWNER, &t, "", h);
}

/* ---- tests ---- */

static void test_seal_create_load_unseal(void **state)
{
	struct tp t;
	struct blob b;
	uint32_t p, h;

	(void)state;
	assert_int_equal(srk(&p), 0);
	keyed_tp(&t, A_SEAL, TPM_ALG_NULL);
	assert_int_equal(create(p, "", &t, "pw", "secret data", 11, &b), 0);
	assert_int_equal(objects_used(), 1); /* Create loads nothing */
	assert_int_equal(load(p, &b, &h), 0);
	assert_int_equal(vtpm_be32(rsp + 10) >> 24, TPM_HT_TRANSIENT);
	assert_int_equal(unseal(h, "pw"), 0);
	assert_int_equal(vtpm_be16(rsp + 14), 11);
	assert_memory_equal(rsp + 16, "secret data", 11);
	assert_int_equal(unseal(h, "wrong"), RC_S(TPM_RC_AUTH_FAIL, 1));
	/* the Name Load returns is nameAlg || SHA-256(inPublic) */
	{
		uint8_t d[32];
		assert_int_equal(load(p, &b, NULL), 0);
		sha256(b.pub, b.pub_len, d);
		assert_int_equal(vtpm_be16(rsp + 18), 34);
		assert_memory_equal(rsp + 22, d, 32);
	}
	/* slots run out: TPM_RC_OBJECT_MEMORY */
	assert_int_equal(load(p, &b, NULL), TPM_RC_OBJECT_MEMORY);
}

/* The TPM2B_PRIVATE is exactly Part 1's Protected Storage construction under the SRK's seedValue,
 * and the SRK's seedValue is the documented derivation (docs/vtpm.md, FROZEN v1). */
static void test_private_blob_is_protected_storage_format(void **state)
{
	struct tp t, st;
	struct blob b;
	uint8_t u[34], seed[32], hkey[32], skey[32], name[34], mac[32], plain[600], want[32];
	unsigned ml = 32;
	uint32_t p;
	int ol;

	(void)state;
	srk_tp(&st);
	assert_int_equal(srk(&p), 0);
	ctx_u(&st, u);
	ossl_kdfa(T->p.sps, 64, "Mantle primary seedValue", u, 34, NULL, 0, seed, 256);
	assert_int_equal(obj(p)->seed_len, 32);
	assert_memory_equal(obj(p)->seed, seed, 32);

	keyed_tp(&t, A_SEAL, TPM_ALG_NULL);
	assert_int_equal(create(p, "", &t, "pw", "secret", 6, &b), 0);
	name[0] = 0;
	name[1] = 0x0b;
	sha256(b.pub, b.pub_len, name + 2);
	/* integrity = HMAC(KDFa(seed, "INTEGRITY"), encSensitive || Name) */
	assert_int_equal(vtpm_be16(b.priv), 32);
	ossl_kdfa(seed, 32, "INTEGRITY", NULL, 0, NULL, 0, hkey, 256);
	{
		uint8_t in[700];
		size_t el = b.priv_len - 34u;
		memcpy(in, b.priv + 34, el);
		memcpy(in + el, name, 34);
		HMAC(EVP_sha256(), hkey, 32, in, el + 34, mac, &ml);
		assert_memory_equal(mac, b.priv + 2, 32);
	}
	/* encSensitive = AES-128-CFB(KDFa(seed, "STORAGE", Name), IV 0, TPM2B_SENSITIVE) */
	ossl_kdfa(seed, 32, "STORAGE", name, 34, NULL, 0, skey, 128);
	{
		EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
		uint8_t iv[16] = { 0 };
		EVP_DecryptInit_ex(x, EVP_aes_128_cfb128(), NULL, skey, iv);
		EVP_DecryptUpdate(x, plain, &ol, b.priv + 34, b.priv_len - 34);
		EVP_CIPHER_CTX_free(x);
	}
	/* TPM2B_SENSITIVE { KEYEDHASH, authValue "pw", seedValue (32), data "secret" } */
	assert_int_equal(vtpm_be16(plain), ol - 2);
	assert_int_equal(vtpm_be16(plain + 2), TPM_ALG_KEYEDHASH);
	assert_int_equal(vtpm_be16(plain + 4), 2);
	assert_memory_equal(plain + 6, "pw", 2);
	assert_int_equal(vtpm_be16(plain + 8), 32);
	assert_int_equal(vtpm_be16(plain + 42), 6);
	assert_memory_equal(plain + 44, "secret", 6);
	/* unique = SHA-256(seedValue || data), the last 32 bytes of outPublic */
	{
		uint8_t in[38];
		memcpy(in, plain + 10, 32);
		memcpy(in + 32, "secret", 6);
		sha256(in, 38, want);
		assert_memory_equal(b.pub + b.pub_len - 32, want, 32);
	}
}

static void test_tampered_or_misplaced_private_blob_is_refused(void **state)
{
	struct tp t, other;
	struct blob b, x;
	uint32_t p, p2;

	(void)state;
	assert_int_equal(srk(&p), 0);
	keyed_tp(&t, A_SEAL, TPM_ALG_NULL);
	assert_int_equal(create(p, "", &t, "", "s", 1, &b), 0);
	x = b;
	x.priv[x.priv_len - 1] ^= 1; /* ciphertext */
	assert_int_equal(load(p, &x, NULL), RC_P(TPM_RC_INTEGRITY, 1));
	x = b;
	x.priv[5] ^= 1; /* integrity */
	assert_int_equal(load(p, &x, NULL), RC_P(TPM_RC_INTEGRITY, 1));
	x = b;
	x.priv_len = 20; /* truncated */
	assert_int_equal(load(p, &x, NULL), RC_P(TPM_RC_INTEGRITY, 1));
	x = b;
	x.pub[7] ^= TPMA_OBJECT_NODA >> 8; /* another public area: another Name */
	assert_int_equal(load(p, &x, NULL), RC_P(TPM_RC_INTEGRITY, 1));
	/* a different storage key (another unique, so another seedValue) */
	srk_tp_other(&other, 'x');
	assert_int_equal(create_primary(TPM_RH_OWNER, &other, "", &p2), 0);
	assert_int_equal(load(p2, &b, NULL), RC_P(TPM_RC_INTEGRITY, 1));
	assert_int_equal(objects_used(), 2);
	/* a sealed object is no parent; a missing parent is a handle error */
	assert_int_equal(load(p, &b, &p2), 0);
	assert_int_equal(load(p2, &b, NULL), RC_H(TPM_RC_TYPE, 1));
	assert_int_equal(load(0x80ffffff, &b, NULL), RC_H(TPM_RC_HANDLE, 1));
}

static void test_create_attribute_and_scheme_rules(void **state)
{
	struct tp t;
	uint32_t p, s;
	struct blob b;

	(void)state;
	assert_int_equal(srk(&p), 0);
#define BAD(build, auth, data, dl, want)                                           \
	do {                                                                       \
		build;                                                             \
		assert_int_equal(create(p, "", &t, auth, data, dl, NULL), (want)); \
		assert_int_equal(objects_used(), 1);                               \
	} while (0)
	/* who provides the sensitive data */
	BAD(keyed_tp(&t, A_SEAL | TPMA_OBJECT_SENSITIVEDATAORIGIN, TPM_ALG_NULL), "", "d", 1, RC_P(TPM_RC_ATTRIBUTES, 2));
	BAD(keyed_tp(&t, A_SEAL, TPM_ALG_NULL), "", NULL, 0, RC_P(TPM_RC_ATTRIBUTES, 2));
	BAD(ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256), "", "d", 1, RC_P(TPM_RC_ATTRIBUTES, 2));
	BAD(ecc_tp(&t, (A_KEY & ~TPMA_OBJECT_SENSITIVEDATAORIGIN) | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256),
	    "", NULL, 0, RC_P(TPM_RC_ATTRIBUTES, 2));
	/* fixedTPM/fixedParent: equal under a fixedTPM parent */
	BAD(ecc_tp(&t, (A_KEY & ~TPMA_OBJECT_FIXEDPARENT) | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256),
	    "", NULL, 0, RC_P(TPM_RC_ATTRIBUTES, 2));
	BAD(ecc_tp(&t, (A_KEY & ~TPMA_OBJECT_FIXEDTPM) | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256),
	    "", NULL, 0, RC_P(TPM_RC_ATTRIBUTES, 2));
	BAD(ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN | TPMA_OBJECT_ENCRYPTEDDUPLICATION, 0, 0, TPM_ALG_ECDSA,
		   TPM_ECC_NIST_P256), "", NULL, 0, RC_P(TPM_RC_ATTRIBUTES, 2));
	/* restricted, sign, decrypt */
	BAD(ecc_tp(&t, A_KEY | TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN | TPMA_OBJECT_DECRYPT, 0, 0, TPM_ALG_NULL,
		   TPM_ECC_NIST_P256), "", NULL, 0, RC_P(TPM_RC_ATTRIBUTES, 2));
	BAD(ecc_tp(&t, A_KEY, 0, 0, TPM_ALG_NULL, TPM_ECC_NIST_P256), "", NULL, 0, RC_P(TPM_RC_ATTRIBUTES, 2));
	BAD(ecc_tp(&t, A_KEY | TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_NULL, TPM_ECC_NIST_P256),
	    "", NULL, 0, RC_P(TPM_RC_SCHEME, 2));
	BAD(ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN | TPMA_OBJECT_DECRYPT, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256),
	    "", NULL, 0, RC_P(TPM_RC_SCHEME, 2));
	BAD(ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDH, TPM_ECC_NIST_P256), "", NULL, 0, RC_P(TPM_RC_SCHEME, 2));
	/* symmetric definitions: only parents have one, parents need AES-CFB, the parent's */
	BAD(ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN, 128, TPM_ALG_CFB, TPM_ALG_ECDSA, TPM_ECC_NIST_P256), "", NULL, 0,
	    RC_P(TPM_RC_SYMMETRIC, 2));
	BAD(ecc_tp(&t, A_SRK, 0, 0, TPM_ALG_NULL, TPM_ECC_NIST_P256), "", NULL, 0, RC_P(TPM_RC_SYMMETRIC, 2));
	BAD(ecc_tp(&t, A_SRK, 128, TPM_ALG_CBC, TPM_ALG_NULL, TPM_ECC_NIST_P256), "", NULL, 0, RC_P(TPM_RC_MODE, 2));
	BAD(ecc_tp(&t, A_SRK, 256, TPM_ALG_CFB, TPM_ALG_NULL, TPM_ECC_NIST_P256), "", NULL, 0, RC_P(TPM_RC_SYMMETRIC, 2));
	BAD((ecc_tp(&t, A_SRK, 128, TPM_ALG_CFB, TPM_ALG_NULL, TPM_ECC_NIST_P256), t.b[3] = 0x0c), "", NULL, 0,
	    RC_P(TPM_RC_HASH, 2));
	BAD(ecc_tp(&t, A_SRK, 192, TPM_ALG_CFB, TPM_ALG_NULL, TPM_ECC_NIST_P256), "", NULL, 0, RC_P(TPM_RC_KEY_SIZE, 2));
	/* keyedHash schemes */
	BAD(keyed_tp(&t, A_KEY | TPMA_OBJECT_SIGN, TPM_ALG_NULL), "", NULL, 0, RC_P(TPM_RC_SCHEME, 2));
	BAD(keyed_tp(&t, A_SEAL, TPM_ALG_HMAC), "", "d", 1, RC_P(TPM_RC_SCHEME, 2));
	BAD(keyed_tp(&t, A_KEY | TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN | TPMA_OBJECT_DECRYPT, TPM_ALG_NULL), "", NULL, 0,
	    RC_P(TPM_RC_ATTRIBUTES, 2));
	/* symmetric keys: AES-128/256, supplied keys of the right size */
	BAD(aes_tp(&t, A_KEY, 128, TPM_ALG_CFB), "", NULL, 0, RC_P(TPM_RC_ATTRIBUTES, 2));
	BAD(aes_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT, 192, TPM_ALG_CFB), "", NULL, 0, RC_P(TPM_RC_KEY_SIZE, 2));
	BAD(aes_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT, 128, 0x0099), "", NULL, 0, RC_P(TPM_RC_MODE, 2));
	BAD(aes_tp(&t, (A_SEAL & ~A_FIXED) | TPMA_OBJECT_DECRYPT, 128, TPM_ALG_CFB), "", "0123456789", 10,
	    RC_P(TPM_RC_KEY_SIZE, 1));
	/* encoding: reserved bits, name algorithm, policy size, unknown type, trailing byte, curve, auth size */
	BAD(ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN | 1u, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256), "", NULL, 0,
	    RC_P(TPM_RC_RESERVED_BITS, 2));
	BAD((ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256), t.b[3] = 0x99), "", NULL, 0,
	    RC_P(TPM_RC_HASH, 2));
	BAD(head(&t, TPM_ALG_KEYEDHASH, TPM_ALG_SHA256, A_SEAL, (const uint8_t *)"short", 5); t16(&t, TPM_ALG_NULL);
	    t16(&t, 0), "", "d", 1, RC_P(TPM_RC_SIZE, 2));
	BAD((keyed_tp(&t, A_SEAL, TPM_ALG_NULL), t.b[1] = 0x77), "", "d", 1, RC_P(TPM_RC_TYPE, 2));
	BAD((keyed_tp(&t, A_SEAL, TPM_ALG_NULL), t.b[t.n++] = 0), "", "d", 1, RC_P(TPM_RC_SIZE, 2));
	BAD((keyed_tp(&t, A_SEAL, TPM_ALG_NULL), t.n -= 1), "", "d", 1, RC_P(TPM_RC_INSUFFICIENT, 2));
	BAD(ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDSA, 0x0005), "", NULL, 0, RC_P(TPM_RC_CURVE, 2));
	BAD(keyed_tp(&t, A_SEAL, TPM_ALG_NULL), "0123456789012345678901234567890123", "d", 1, RC_P(TPM_RC_SIZE, 1));
	/* the parent must be a storage key */
	keyed_tp(&t, A_SEAL, TPM_ALG_NULL);
	assert_int_equal(create(p, "", &t, "", "d", 1, &b), 0);
	assert_int_equal(load(p, &b, &s), 0);
	assert_int_equal(create(s, "", &t, "", "d", 1, NULL), RC_H(TPM_RC_TYPE, 1));
	/* valid children of every kind */
	ecc_tp(&t, A_SRK, 128, TPM_ALG_CFB, TPM_ALG_NULL, TPM_ECC_NIST_P256);
	assert_int_equal(create(p, "", &t, "", NULL, 0, NULL), 0);
	aes_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT | TPMA_OBJECT_SIGN, 256, TPM_ALG_NULL);
	assert_int_equal(create(p, "", &t, "", NULL, 0, NULL), 0);
	keyed_tp(&t, A_KEY | TPMA_OBJECT_SIGN, TPM_ALG_HMAC);
	assert_int_equal(create(p, "", &t, "", NULL, 0, NULL), 0);
	ecc_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT, 0, 0, TPM_ALG_ECDH, TPM_ECC_NIST_P256);
	assert_int_equal(create(p, "", &t, "", NULL, 0, NULL), 0);
#undef BAD
}

/* A keyedHash (HMAC) and a symmetric primary: key = KDFa(seed, "Primary Object Creation", ctxU,
 * ctxV, bits), seedValue = KDFa(seed, "Mantle primary seedValue", ...), unique = H(seedValue || key);
 * the AES key is also pinned for EPS = 00 01 .. 3f. */
static void test_symmetric_primary_derivations_recomputed_and_pinned(void **state)
{
	struct tp t;
	uint8_t u[34], key[32], seed[32], in[64], d[32], pin[16];
	uint16_t pl;
	const uint8_t *pub;
	uint32_t h;

	(void)state;
	for (unsigned i = 0; i < VTPM_SEED_SIZE; i++)
		T->p.eps[i] = (uint8_t)i;
	aes_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT | TPMA_OBJECT_SIGN, 128, TPM_ALG_CFB);
	assert_int_equal(create_primary(TPM_RH_ENDORSEMENT, &t, "", &h), 0);
	ctx_u(&t, u);
	ossl_kdfa(T->p.eps, 64, "Primary Object Creation", u, 34, NULL, 0, key, 128);
	ossl_kdfa(T->p.eps, 64, "Mantle primary seedValue", u, 34, NULL, 0, seed, 256);
	assert_memory_equal(obj(h)->key, key, 16);
	assert_memory_equal(obj(h)->seed, seed, 32);
	memcpy(in, seed, 32);
	memcpy(in + 32, key, 16);
	sha256(in, 48, d);
	pub = primary_pub(&pl);
	assert_int_equal(vtpm_be16(pub + pl - 34), 32);
	assert_memory_equal(pub + pl - 32, d, 32);
	/* pinned (also recomputed from scratch with Python's hmac when frozen) */
	unhex("667cf1a29a381b75389a929212b85a86", pin);
	assert_memory_equal(key, pin, 16);
	/* HMAC primary: key length = the scheme hash's digest */
	keyed_tp(&t, A_KEY | TPMA_OBJECT_SIGN, TPM_ALG_HMAC);
	assert_int_equal(create_primary(TPM_RH_ENDORSEMENT, &t, "", &h), 0);
	ctx_u(&t, u);
	ossl_kdfa(T->p.eps, 64, "Primary Object Creation", u, 34, NULL, 0, key, 256);
	assert_int_equal(obj(h)->key_len, 32);
	assert_memory_equal(obj(h)->key, key, 32);
	/* a sealed primary keeps the caller's data, which also feeds the seedValue as ctxV */
	keyed_tp(&t, A_SEAL, TPM_ALG_NULL);
	{
		struct cb c;
		start(&c, TPM_ST_SESSIONS, TPM_CC_CreatePrimary);
		u32(&c, TPM_RH_ENDORSEMENT);
		pw(&c, "");
		sens_create(&c, "", "sealed", 6);
		b2b(&c, t.b, (uint16_t)t.n);
		u16(&c, 0);
		u32(&c, 0);
		assert_int_equal(exec(&c), 0);
		h = vtpm_be32(rsp + 10);
	}
	ctx_u(&t, u);
	ossl_kdfa(T->p.eps, 64, "Mantle primary seedValue", u, 34, (const uint8_t *)"sealed", 6, seed, 256);
	assert_memory_equal(obj(h)->seed, seed, 32);
	assert_int_equal(unseal(h, ""), 0);
	assert_memory_equal(rsp + 16, "sealed", 6);
}

/* OpenSSL: d·G on P-256 */
static void ossl_pub(const uint8_t d[32], uint8_t xy[64])
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *p = EC_POINT_new(g);
	BIGNUM *bn = BN_bin2bn(d, 32, NULL), *x = BN_new(), *y = BN_new();

	assert_int_equal(EC_POINT_mul(g, p, bn, NULL, NULL, NULL), 1);
	assert_int_equal(EC_POINT_get_affine_coordinates(g, p, x, y, NULL), 1);
	BN_bn2binpad(x, xy, 32);
	BN_bn2binpad(y, xy + 32, 32);
	BN_free(bn); BN_free(x); BN_free(y);
	EC_POINT_free(p);
	EC_GROUP_free(g);
}

/* The EK Credential Profile's ECC P-256 template (L-2) gives the profile's object: the template
 * with unique = the derived point; the key is the frozen ECC derivation under the EPS. */
static void test_ek_ecc_template_l2(void **state)
{
	struct tp t;
	uint8_t pol[32], u[34], stream[128], xy[64];
	uint16_t pl;
	const uint8_t *pub;
	uint32_t h;

	(void)state;
	for (unsigned i = 0; i < VTPM_SEED_SIZE; i++)
		T->p.eps[i] = (uint8_t)i;
	unhex(EK_POLICY, pol);
	head(&t, TPM_ALG_ECC, TPM_ALG_SHA256, A_EK, pol, 32);
	t16(&t, TPM_ALG_AES); t16(&t, 128); t16(&t, TPM_ALG_CFB);
	t16(&t, TPM_ALG_NULL);
	t16(&t, TPM_ECC_NIST_P256);
	t16(&t, TPM_ALG_NULL);
	{
		uint8_t z[32] = { 0 };
		t2b(&t, z, 32);
		t2b(&t, z, 32);
	}
	assert_int_equal(create_primary(TPM_RH_ENDORSEMENT, &t, "", &h), 0);
	pub = primary_pub(&pl);
	assert_int_equal(pl, t.n);
	assert_memory_equal(pub, t.b, t.n - 68); /* everything but the point */
	ctx_u(&t, u);
	ossl_kdfa(T->p.eps, 64, "Primary Object Creation", u, 34, NULL, 0, stream, 1024);
	assert_true(stream[0] < 0xff); /* the first candidate block is in range */
	ossl_pub(stream, xy);
	assert_memory_equal(pub + pl - 66, xy, 32);
	assert_memory_equal(pub + pl - 32, xy + 32, 32);
	/* pinned (recomputed from scratch in Python: d = d534bbdd...71009f58) */
	{
		uint8_t pin[64];
		unhex("383dba4b3eb2cb176cf6e803ecd43b2aa0a78f7b4cb0ceb8f92d978066f51622"
		      "43f17ef8c257c83900a2d5c4bddf52abee4a7c3e38c6c11acb873c944ea81eee", pin);
		assert_memory_equal(xy, pin, 64);
	}
	assert_true(vtpm_object_is_parent(obj(h)));
	assert_int_equal(obj(h)->policy_len, 32);
	/* userWithAuth is clear: password authorization of the EK's user role is refused */
	{
		struct tp s;
		keyed_tp(&s, A_SEAL, TPM_ALG_NULL);
		assert_int_equal(create(h, "", &s, "", "d", 1, NULL), RC_H(TPM_RC_AUTH_UNAVAILABLE, 1));
	}
}

static bool have_rsa(void)
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

/* RSA-2048 EK (L-1): needs the RSA implementation of the crypto branch. */
static void test_ek_rsa_template_l1(void **state)
{
	struct tp t;
	uint8_t pol[32], z[256] = { 0 };
	uint16_t pl;
	const uint8_t *pub;
	uint32_t h, rc;

	(void)state;
	unhex(EK_POLICY, pol);
	head(&t, TPM_ALG_RSA, TPM_ALG_SHA256, A_EK, pol, 32);
	t16(&t, TPM_ALG_AES); t16(&t, 128); t16(&t, TPM_ALG_CFB);
	t16(&t, TPM_ALG_NULL);
	t16(&t, 2048);
	t32(&t, 0);
	t2b(&t, z, 256);
	rc = create_primary(TPM_RH_ENDORSEMENT, &t, "", &h);
	if (!have_rsa()) {
		assert_int_equal(rc, TPM_RC_FAILURE); /* no RSA key generation in this build */
		assert_int_equal(objects_used(), 0);
		skip();
	}
	assert_int_equal(rc, 0);
	pub = primary_pub(&pl);
	assert_int_equal(pl, t.n);
	assert_memory_equal(pub, t.b, t.n - 256);
	assert_memory_not_equal(pub + pl - 256, z, 256);
	/* same template, same key */
	{
		uint8_t n1[256];
		memcpy(n1, pub + pl - 256, 256);
		assert_int_equal(create_primary(TPM_RH_ENDORSEMENT, &t, "", NULL), 0);
		pub = primary_pub(&pl);
		assert_memory_equal(pub + pl - 256, n1, 256);
	}
}

static uint32_t hmac_cmd(uint32_t h, const void *data, uint16_t n)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_HMAC);
	u32(&c, h);
	pw(&c, "");
	b2b(&c, data, n);
	u16(&c, TPM_ALG_NULL);
	return exec(&c);
}

static void test_created_hmac_key_matches_openssl(void **state)
{
	struct tp t;
	struct blob b;
	uint8_t mac[32];
	unsigned ml = 32;
	uint32_t p, h;

	(void)state;
	assert_int_equal(srk(&p), 0);
	keyed_tp(&t, A_KEY | TPMA_OBJECT_SIGN, TPM_ALG_HMAC);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &h), 0);
	assert_int_equal(obj(h)->key_len, 32);
	assert_int_equal(hmac_cmd(h, "abc", 3), 0);
	HMAC(EVP_sha256(), obj(h)->key, 32, (const uint8_t *)"abc", 3, mac, &ml);
	assert_int_equal(vtpm_be16(rsp + 14), 32);
	assert_memory_equal(rsp + 16, mac, 32);
	/* keys are drawn, not derived: a second key differs */
	{
		uint32_t h2;
		assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
		assert_int_equal(load(p, &b, &h2), 0);
		assert_memory_not_equal(obj(h2)->key, obj(h)->key, 32);
	}
	/* sealed data is no HMAC key, and cannot be unsealed through HMAC's handle either */
	assert_int_equal(unseal(h, ""), RC_H(TPM_RC_ATTRIBUTES, 1));
}

static uint32_t ed2(uint32_t h, uint8_t dec, uint16_t mode, const uint8_t *iv, uint16_t ivl, const uint8_t *in,
		    uint16_t n)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_EncryptDecrypt2);
	u32(&c, h);
	pw(&c, "");
	b2b(&c, in, n);
	u8(&c, dec);
	u16(&c, mode);
	b2b(&c, iv, ivl);
	return exec(&c);
}

static const EVP_CIPHER *ossl_cipher(uint16_t mode)
{
	switch (mode) {
	case TPM_ALG_CFB: return EVP_aes_128_cfb128();
	case TPM_ALG_CBC: return EVP_aes_128_cbc();
	case TPM_ALG_CTR: return EVP_aes_128_ctr();
	case TPM_ALG_OFB: return EVP_aes_128_ofb();
	default: return EVP_aes_128_ecb();
	}
}

static void test_encrypt_decrypt_modes_match_openssl(void **state)
{
	static const uint16_t modes[] = { TPM_ALG_CFB, TPM_ALG_CBC, TPM_ALG_CTR, TPM_ALG_OFB, TPM_ALG_ECB };
	struct tp t;
	struct blob b;
	uint8_t data[64], iv[16], want[80], ct[64];
	uint32_t p, h;
	int ol, fl;

	(void)state;
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	for (unsigned i = 0; i < 16; i++)
		iv[i] = (uint8_t)(0xa0 + i);
	assert_int_equal(srk(&p), 0);
	aes_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT | TPMA_OBJECT_SIGN, 128, TPM_ALG_NULL);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &h), 0);
	for (unsigned m = 0; m < 5; m++) {
		uint16_t ivl = modes[m] == TPM_ALG_ECB ? 0 : 16;
		size_t n = modes[m] == TPM_ALG_CBC || modes[m] == TPM_ALG_ECB ? 64 : 61;
		EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();

		EVP_EncryptInit_ex(x, ossl_cipher(modes[m]), NULL, obj(h)->key, ivl ? iv : NULL);
		EVP_CIPHER_CTX_set_padding(x, 0);
		EVP_EncryptUpdate(x, want, &ol, data, (int)n);
		EVP_EncryptFinal_ex(x, want + ol, &fl);
		EVP_CIPHER_CTX_free(x);
		assert_int_equal(ed2(h, 0, modes[m], iv, ivl, data, (uint16_t)n), 0);
		assert_int_equal(vtpm_be16(rsp + 14), n);
		assert_memory_equal(rsp + 16, want, n);
		assert_int_equal(vtpm_be16(rsp + 16 + n), ivl);
		if (modes[m] == TPM_ALG_CBC)
			assert_memory_equal(rsp + 18 + n, want + n - 16, 16); /* ivOut chains */
		memcpy(ct, rsp + 16, n);
		assert_int_equal(ed2(h, 1, modes[m], iv, ivl, ct, (uint16_t)n), 0);
		assert_memory_equal(rsp + 16, data, n);
	}
	/* EncryptDecrypt (parameter order decrypt, mode, ivIn, inData) gives the same */
	{
		struct cb c;
		start(&c, TPM_ST_SESSIONS, TPM_CC_EncryptDecrypt);
		u32(&c, h);
		pw(&c, "");
		u8(&c, 0);
		u16(&c, TPM_ALG_CFB);
		b2b(&c, iv, 16);
		b2b(&c, data, 16);
		assert_int_equal(exec(&c), 0);
		EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
		EVP_EncryptInit_ex(x, EVP_aes_128_cfb128(), NULL, obj(h)->key, iv);
		EVP_EncryptUpdate(x, want, &ol, data, 16);
		EVP_CIPHER_CTX_free(x);
		assert_memory_equal(rsp + 16, want, 16);
		c.n -= 2 + 16 + 2 + 16;
		b2b(&c, iv, 15);
		b2b(&c, data, 16);
		assert_int_equal(exec(&c), RC_P(TPM_RC_SIZE, 3));
	}
	/* errors: IV size, CBC length, NULL mode on a NULL-mode key, decrypt flag */
	assert_int_equal(ed2(h, 0, TPM_ALG_CFB, iv, 8, data, 16), RC_P(TPM_RC_SIZE, 4));
	assert_int_equal(ed2(h, 0, TPM_ALG_ECB, iv, 16, data, 16), RC_P(TPM_RC_SIZE, 4));
	assert_int_equal(ed2(h, 0, TPM_ALG_CBC, iv, 16, data, 15), RC_P(TPM_RC_SIZE, 1));
	assert_int_equal(ed2(h, 0, TPM_ALG_NULL, iv, 16, data, 16), RC_P(TPM_RC_MODE, 3));
	assert_int_equal(ed2(h, 2, TPM_ALG_CFB, iv, 16, data, 16), RC_P(TPM_RC_VALUE, 2));
	/* a CFB key refuses another mode; a key without sign may not encrypt */
	aes_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT, 256, TPM_ALG_CFB);
	assert_int_equal(flush(h), 0);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &h), 0);
	assert_int_equal(ed2(h, 1, TPM_ALG_CBC, iv, 16, data, 16), RC_P(TPM_RC_MODE, 3));
	assert_int_equal(ed2(h, 1, TPM_ALG_NULL, iv, 16, data, 16), 0);
	assert_int_equal(ed2(h, 0, TPM_ALG_NULL, iv, 16, data, 16), RC_H(TPM_RC_ATTRIBUTES, 1));
	/* other key types are no symmetric keys */
	assert_int_equal(ed2(p, 0, TPM_ALG_CFB, iv, 16, data, 16), RC_H(TPM_RC_KEY, 1));
}

static uint32_t change_auth(uint32_t h, uint32_t parent, const char *old, const char *nw, struct blob *out)
{
	struct cb c;
	uint32_t rc;

	start(&c, TPM_ST_SESSIONS, TPM_CC_ObjectChangeAuth);
	u32(&c, h);
	u32(&c, parent);
	pw(&c, old);
	b2b(&c, nw, (uint16_t)strlen(nw));
	rc = exec(&c);
	if (rc == 0 && out) {
		out->priv_len = vtpm_be16(rsp + 14);
		memcpy(out->priv, rsp + 16, out->priv_len);
	}
	return rc;
}

static void test_object_change_auth(void **state)
{
	struct tp t;
	struct blob b, nb;
	uint32_t p, p2, h, h2;

	(void)state;
	assert_int_equal(srk(&p), 0);
	keyed_tp(&t, A_SEAL, TPM_ALG_NULL);
	assert_int_equal(create(p, "", &t, "old", "s", 1, &b), 0);
	assert_int_equal(load(p, &b, &h), 0);
	assert_int_equal(change_auth(h, p, "wrong", "new", NULL), RC_S(TPM_RC_AUTH_FAIL, 1));
	assert_int_equal(change_auth(h, p, "old", "0123456789012345678901234567890123", NULL), RC_P(TPM_RC_SIZE, 1));
	assert_int_equal(change_auth(h, p, "old", "new", &nb), 0);
	nb.pub_len = b.pub_len;
	memcpy(nb.pub, b.pub, b.pub_len);
	/* the loaded object keeps its authValue; the new blob carries the new one */
	assert_int_equal(unseal(h, "old"), 0);
	assert_int_equal(flush(h), 0);
	assert_int_equal(load(p, &nb, &h2), 0);
	assert_int_equal(unseal(h2, "old"), RC_S(TPM_RC_AUTH_FAIL, 1));
	assert_int_equal(unseal(h2, "new"), 0);
	/* ADMIN role: with adminWithPolicy a password does not authorize it */
	{
		struct tp a;
		struct blob ab;
		uint32_t ah;
		keyed_tp(&a, A_SEAL | TPMA_OBJECT_ADMINWITHPOLICY, TPM_ALG_NULL);
		assert_int_equal(create(p, "", &a, "pw", "s", 1, &ab), 0);
		assert_int_equal(load(p, &ab, &ah), 0);
		assert_int_equal(unseal(ah, "pw"), 0); /* the USER role still takes the password */
		assert_int_equal(change_auth(ah, p, "pw", "x", NULL), TPM_RC_AUTH_UNAVAILABLE);
		assert_int_equal(flush(ah), 0);
	}
	/* parentHandle must be the object's parent */
	{
		struct tp o;
		srk_tp_other(&o, 'z');
		assert_int_equal(create_primary(TPM_RH_OWNER, &o, "", &p2), 0);
		assert_int_equal(change_auth(h2, p2, "new", "x", NULL), RC_H(TPM_RC_TYPE, 2));
	}
}

static size_t context_save(uint32_t h, uint8_t *blob)
{
	struct cb c;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ContextSave);
	u32(&c, h);
	assert_int_equal(exec(&c), 0);
	memcpy(blob, rsp + 10, rlen - 10);
	return rlen - 10;
}

static uint32_t context_load(const uint8_t *blob, size_t n, uint32_t *h)
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

static void test_contexts_of_children_and_parents(void **state)
{
	struct tp t;
	struct blob b;
	uint8_t cb1[1200], cb2[1200];
	size_t n1, n2;
	uint32_t p, h;

	(void)state;
	assert_int_equal(srk(&p), 0);
	keyed_tp(&t, A_SEAL, TPM_ALG_NULL);
	assert_int_equal(create(p, "", &t, "pw", "ctx", 3, &b), 0);
	assert_int_equal(load(p, &b, &h), 0);
	n1 = context_save(h, cb1);
	n2 = context_save(p, cb2);
	assert_true(n2 <= VTPM_OBJECT_CONTEXT_MAX);
	assert_int_equal(flush(h), 0);
	assert_int_equal(flush(p), 0);
	assert_int_equal(context_load(cb1, n1, &h), 0);
	assert_int_equal(unseal(h, "pw"), 0);
	assert_memory_equal(rsp + 16, "ctx", 3);
	/* the reloaded parent still loads its children (same seedValue, same qualified name) */
	assert_int_equal(context_load(cb2, n2, &p), 0);
	assert_int_equal(flush(h), 0);
	assert_int_equal(load(p, &b, &h), 0);
	assert_int_equal(unseal(h, "pw"), 0);
	/* a persistent handle has no context */
	{
		struct cb c;
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ContextSave);
		u32(&c, 0x81000001);
		assert_int_equal(exec(&c), RC_H(TPM_RC_HANDLE, 1));
	}
}

static uint32_t evict(uint32_t auth, uint32_t h, uint32_t ph)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_EvictControl);
	u32(&c, auth);
	u32(&c, h);
	pw(&c, "");
	u32(&c, ph);
	return exec(&c);
}

/* handles of TPM_CAP_HANDLES for the persistent range */
static uint32_t persistent_handles(uint32_t *list)
{
	struct cb c;
	uint32_t n;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_GetCapability);
	u32(&c, 1); /* TPM_CAP_HANDLES */
	u32(&c, HR_PERSISTENT);
	u32(&c, 16);
	assert_int_equal(exec(&c), 0);
	n = vtpm_be32(rsp + 15);
	for (uint32_t i = 0; i < n; i++)
		list[i] = vtpm_be32(rsp + 19 + 4 * i);
	return n;
}

static void test_evict_control_persists_across_power_cycle(void **state)
{
	struct tp t;
	struct blob b;
	uint32_t p, h, list[16];

	(void)state;
	assert_int_equal(srk(&p), 0);
	keyed_tp(&t, A_SEAL, TPM_ALG_NULL);
	assert_int_equal(create(p, "", &t, "", "kept", 4, &b), 0);
	assert_int_equal(evict(TPM_RH_OWNER, p, 0x81800001), RC_P(TPM_RC_RANGE, 1));
	assert_int_equal(evict(TPM_RH_PLATFORM, p, 0x81800001), RC_H(TPM_RC_HIERARCHY, 2));
	assert_int_equal(evict(TPM_RH_OWNER, p, 0x81000001), 0);
	assert_int_equal(evict(TPM_RH_OWNER, p, 0x81000001), TPM_RC_NV_DEFINED);
	assert_int_equal(persistent_handles(list), 1);
	assert_int_equal(list[0], 0x81000001);
	/* power cycle: the persistent SRK is back and still the parent of the blob */
	vtpm_power_on(T, &plat);
	assert_int_equal(startup(TPM_SU_CLEAR), 0);
	assert_int_equal(objects_used(), 0);
	assert_int_equal(load(0x81000001, &b, &h), 0);
	assert_int_equal(unseal(h, ""), 0);
	assert_memory_equal(rsp + 16, "kept", 4);
	/* ReadPublic by persistent handle; a persistent object cannot be flushed */
	{
		struct cb c;
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ReadPublic);
		u32(&c, 0x81000001);
		assert_int_equal(exec(&c), 0);
		assert_int_equal(flush(0x81000001), RC_P(TPM_RC_VALUE, 1));
	}
	/* objects outside a hierarchy or without a sensitive area are not persisted */
	{
		struct cb c;
		uint8_t pubk[] = { 0x00, 0x08, 0x00, 0x0b, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x0b,
				   0x00, 0x00 };
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_LoadExternal);
		u16(&c, 0);
		b2b(&c, pubk, sizeof(pubk));
		u32(&c, TPM_RH_OWNER);
		assert_int_equal(exec(&c), 0);
		assert_int_equal(evict(TPM_RH_OWNER, vtpm_be32(rsp + 10), 0x81000002), RC_H(TPM_RC_ATTRIBUTES, 2));
	}
	/* evicting: the same handle in both places */
	assert_int_equal(evict(TPM_RH_OWNER, 0x81000001, 0x81000002), RC_H(TPM_RC_HANDLE, 2));
	assert_int_equal(evict(TPM_RH_OWNER, 0x81000001, 0x81000001), 0);
	assert_int_equal(persistent_handles(list), 0);
	assert_int_equal(load(0x81000001, &b, NULL), RC_H(TPM_RC_HANDLE, 1));
	/* Clear removes the owner's persistent objects */
	assert_int_equal(srk(&p), 0);
	assert_int_equal(evict(TPM_RH_OWNER, p, 0x81000005), 0);
	{
		struct cb c;
		start(&c, TPM_ST_SESSIONS, TPM_CC_Clear);
		u32(&c, TPM_RH_PLATFORM);
		pw(&c, "");
		assert_int_equal(exec(&c), 0);
	}
	assert_int_equal(persistent_handles(list), 0);
}

/* A format-1 NV blob (before persistent objects) still loads; the next store writes format 2. */
static void test_nv_blob_format_1_still_loads(void **state)
{
	uint8_t sum[32], sps[64];
	size_t n;

	(void)state;
	memcpy(sps, T->p.sps, 64);
	assert_int_equal(vtpm_be32(nv_store_buf + 8), 2);
	/* format 2 with no persistent objects = format 1 plus a zero count byte */
	n = nv_len - 32;
	assert_int_equal(nv_store_buf[n - 1], 0);
	n -= 1;
	vtpm_set_be32(nv_store_buf + 8, 1);
	vtpm_set_be32(nv_store_buf + 12, (uint32_t)(n - 16));
	EVP_Digest(nv_store_buf, n, sum, NULL, EVP_sha256(), NULL);
	memcpy(nv_store_buf + n, sum, 32);
	nv_len = n + 32;
	vtpm_power_on(T, &plat);
	assert_false(vtpm_in_failure(T, NULL));
	assert_memory_equal(T->p.sps, sps, 64);
	assert_int_equal(startup(TPM_SU_CLEAR), 0);
	assert_int_equal(vtpm_be32(nv_store_buf + 8), 2);
	/* a format-1 blob with trailing bytes (a count byte format 1 does not have) is refused */
	vtpm_set_be32(nv_store_buf + 8, 1);
	n = nv_len - 32;
	EVP_Digest(nv_store_buf, n, sum, NULL, EVP_sha256(), NULL);
	memcpy(nv_store_buf + n, sum, 32);
	vtpm_power_on(T, &plat);
	assert_true(vtpm_in_failure(T, NULL));
}

static uint32_t sign(uint32_t key, const uint8_t dg[32])
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

static int ossl_verify(const uint8_t xy[64], const uint8_t *dg, const uint8_t rs[64])
{
	EC_KEY *k = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	BIGNUM *x = BN_bin2bn(xy, 32, NULL), *y = BN_bin2bn(xy + 32, 32, NULL);
	ECDSA_SIG *s = ECDSA_SIG_new();
	int ok;

	EC_KEY_set_public_key_affine_coordinates(k, x, y);
	ECDSA_SIG_set0(s, BN_bin2bn(rs, 32, NULL), BN_bin2bn(rs + 32, 32, NULL));
	ok = ECDSA_do_verify(dg, 32, s, k);
	ECDSA_SIG_free(s);
	BN_free(x);
	BN_free(y);
	EC_KEY_free(k);
	return ok;
}

static void test_created_ecc_key_signs_for_openssl(void **state)
{
	struct tp t;
	struct blob b;
	uint8_t dg[32] = { 9, 8, 7 }, xy[64], rs[64];
	uint32_t p, h;

	(void)state;
	assert_int_equal(srk(&p), 0);
	ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	memcpy(xy, b.pub + b.pub_len - 66, 32);
	memcpy(xy + 32, b.pub + b.pub_len - 32, 32);
	assert_int_equal(load(p, &b, &h), 0);
	assert_int_equal(sign(h, dg), 0);
	memcpy(rs, rsp + 20, 32);
	memcpy(rs + 32, rsp + 54, 32);
	assert_int_equal(ossl_verify(xy, dg, rs), 1);
	/* a storage key does not sign */
	assert_int_equal(sign(p, dg), RC_H(TPM_RC_KEY, 1));
	/* a child's ReadPublic qualified name = 000b || H(QN(SRK) || Name) */
	{
		struct cb c;
		uint8_t in[68], qn[32];
		memcpy(in, obj(p)->qname, 34);
		memcpy(in + 34, obj(h)->name, 34);
		sha256(in, 68, qn);
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ReadPublic);
		u32(&c, h);
		assert_int_equal(exec(&c), 0);
		assert_memory_equal(rsp + 10 + 2 + b.pub_len + 2 + 34 + 2 + 2, qn, 32);
	}
}

/* noDA keys do not count authorization failures; other keys do (Part 1, 19.8). */
static void test_noda_objects_do_not_count_failures(void **state)
{
	struct tp t;
	struct blob b;
	uint32_t p, h, before;

	(void)state;
	assert_int_equal(srk(&p), 0);
	keyed_tp(&t, A_SEAL | TPMA_OBJECT_NODA, TPM_ALG_NULL);
	assert_int_equal(create(p, "", &t, "pw", "s", 1, &b), 0);
	assert_int_equal(load(p, &b, &h), 0);
	before = T->p.da_failed_tries;
	assert_int_equal(unseal(h, "bad"), RC_S(TPM_RC_AUTH_FAIL, 1));
	assert_int_equal(T->p.da_failed_tries, before);
	assert_int_equal(flush(h), 0);
	keyed_tp(&t, A_SEAL, TPM_ALG_NULL);
	assert_int_equal(create(p, "", &t, "pw", "s", 1, &b), 0);
	assert_int_equal(load(p, &b, &h), 0);
	assert_int_equal(unseal(h, "bad"), RC_S(TPM_RC_AUTH_FAIL, 1));
	assert_int_equal(T->p.da_failed_tries, before + 1);
}

/* LoadExternal of an ECC public key made by OpenSSL; VerifySignature of OpenSSL's signature; an
 * off-curve point is refused. */
static void test_load_external_ecc_public_verifies_openssl_signature(void **state)
{
	EC_KEY *k = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	uint8_t xy[64], dg[32] = { 5, 5, 5 }, r[32], s[32];
	struct tp t;
	struct cb c;
	ECDSA_SIG *sig;
	uint32_t h;

	(void)state;
	assert_int_equal(EC_KEY_generate_key(k), 1);
	{
		BIGNUM *x = BN_new(), *y = BN_new();
		EC_POINT_get_affine_coordinates(EC_KEY_get0_group(k), EC_KEY_get0_public_key(k), x, y, NULL);
		BN_bn2binpad(x, xy, 32);
		BN_bn2binpad(y, xy + 32, 32);
		BN_free(x);
		BN_free(y);
	}
	sig = ECDSA_do_sign(dg, 32, k);
	BN_bn2binpad(ECDSA_SIG_get0_r(sig), r, 32);
	BN_bn2binpad(ECDSA_SIG_get0_s(sig), s, 32);
	ECDSA_SIG_free(sig);
	EC_KEY_free(k);
	ecc_tp(&t, TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	t.n -= 4;
	t2b(&t, xy, 32);
	t2b(&t, xy + 32, 32);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_LoadExternal);
	u16(&c, 0);
	b2b(&c, t.b, (uint16_t)t.n);
	u32(&c, TPM_RH_OWNER);
	assert_int_equal(exec(&c), 0);
	h = vtpm_be32(rsp + 10);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_VerifySignature);
	u32(&c, h);
	b2b(&c, dg, 32);
	u16(&c, TPM_ALG_ECDSA);
	u16(&c, TPM_ALG_SHA256);
	b2b(&c, r, 32);
	b2b(&c, s, 32);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(vtpm_be16(rsp + 10), TPM_ST_VERIFIED);
	c.b[c.n - 1] ^= 1;
	assert_int_equal(exec(&c), RC_P(TPM_RC_SIGNATURE, 2));
	/* a public key cannot sign */
	assert_int_equal(sign(h, dg), RC_H(TPM_RC_KEY, 1));
	/* off the curve */
	t.b[t.n - 1] ^= 1;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_LoadExternal);
	u16(&c, 0);
	b2b(&c, t.b, (uint16_t)t.n);
	u32(&c, TPM_RH_OWNER);
	assert_int_equal(exec(&c), RC_P(TPM_RC_ECC_POINT, 2));
	assert_int_equal(objects_used(), 1);
}

/* ---- RSA and P-384 (core/crypto's implementations) ---- */

static EVP_PKEY *ossl_rsa_pub(const uint8_t *n, size_t nl)
{
	RSA *r = RSA_new();
	EVP_PKEY *pk = EVP_PKEY_new();

	RSA_set0_key(r, BN_bin2bn(n, (int)nl, NULL), BN_bin2bn((const uint8_t *)"\x01\x00\x01", 3, NULL), NULL);
	EVP_PKEY_assign_RSA(pk, r);
	return pk;
}

/* RSA: the EK (L-1) derivation pinned, children sign for OpenSSL (RSASSA and RSAPSS), OAEP both
 * ways, the raw and RSAES paths, the scheme rules. */
static void test_rsa_keys_against_openssl(void **state)
{
	struct tp t;
	struct blob b;
	uint8_t pol[32], z[256] = { 0 }, dg[32], pin[32], n[256];
	uint16_t pl;
	const uint8_t *pub;
	uint32_t p, h;
	struct cb c;

	(void)state;
	if (!have_rsa())
		skip();
	for (unsigned i = 0; i < VTPM_SEED_SIZE; i++)
		T->p.eps[i] = (uint8_t)i;
	unhex(EK_POLICY, pol);
	head(&t, TPM_ALG_RSA, TPM_ALG_SHA256, A_EK, pol, 32);
	t16(&t, TPM_ALG_AES); t16(&t, 128); t16(&t, TPM_ALG_CFB);
	t16(&t, TPM_ALG_NULL);
	t16(&t, 2048);
	t32(&t, 0);
	t2b(&t, z, 256);
	assert_int_equal(create_primary(TPM_RH_ENDORSEMENT, &t, "", &p), 0);
	pub = primary_pub(&pl);
	sha256(pub + pl - 256, 256, dg);
	/* the largest key context (RSA-3072 would be larger still: checked below) fits the reported maximum */
	/* FROZEN (docs/vtpm.md): SHA-256 of the RSA EK modulus for EPS = 00 01 .. 3f */
	unhex("d24432c73c2d863f68c27ce3bf0549a46ebc0bb4efb1da8d545e22ad82af93da", pin);
	assert_memory_equal(dg, pin, 32);
	/* ... which is crypto_rsa_derive (docs/crypto.md, pinned there) over the documented inputs */
	{
		struct crypto_rsa_pub rp;
		struct crypto_rsa_priv *rk = malloc(sizeof(*rk));
		uint8_t u[34];
		ctx_u(&t, u);
		assert_true(crypto_rsa_derive(CRYPTO_SHA256, T->p.eps, 64, "Primary Object Creation", u, 34, NULL, 0, 2048,
					      0, &rp, rk));
		assert_memory_equal(rp.n, pub + pl - 256, 256);
		free(rk);
	}
	assert_int_equal(flush(p), 0);
	/* an RSA-3072 storage key with a SHA-512 policy: the largest context is within
	 * TPM_PT_MAX_OBJECT_CONTEXT */
	{
		uint8_t pol64[64], blob[1200];
		size_t n3;
		memset(pol64, 0xab, 64);
		head(&t, TPM_ALG_RSA, TPM_ALG_SHA512, A_SRK, pol64, 64);
		t16(&t, TPM_ALG_AES); t16(&t, 256); t16(&t, TPM_ALG_CFB);
		t16(&t, TPM_ALG_NULL);
		t16(&t, 3072);
		t32(&t, 0);
		t16(&t, 0);
		assert_int_equal(create_primary(TPM_RH_OWNER, &t, "0123456789012345678901234567890123456789012345678901234567890123", &p), 0);
		n3 = context_save(p, blob);
		assert_true(n3 <= VTPM_OBJECT_CONTEXT_MAX);
		assert_true(VTPM_OBJECT_CONTEXT_MAX - n3 < 64); /* the maximum is not loose */
		assert_int_equal(flush(p), 0);
		assert_int_equal(context_load(blob, n3, &p), 0);
		assert_int_equal(flush(p), 0);
	}

	assert_int_equal(srk(&p), 0);
	for (int pss = 0; pss < 2; pss++) {
		head(&t, TPM_ALG_RSA, TPM_ALG_SHA256, A_KEY | TPMA_OBJECT_SIGN, NULL, 0);
		t16(&t, TPM_ALG_NULL);
		t16(&t, pss ? TPM_ALG_RSAPSS : TPM_ALG_RSASSA); t16(&t, TPM_ALG_SHA256);
		t16(&t, 2048);
		t32(&t, 0);
		t16(&t, 0);
		assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
		memcpy(n, b.pub + b.pub_len - 256, 256);
		assert_int_equal(load(p, &b, &h), 0);
		memset(dg, 0x3c, 32);
		assert_int_equal(sign(h, dg), 0);
		assert_int_equal(vtpm_be16(rsp + 14), pss ? TPM_ALG_RSAPSS : TPM_ALG_RSASSA);
		assert_int_equal(vtpm_be16(rsp + 18), 256);
		{
			EVP_PKEY *pk = ossl_rsa_pub(n, 256);
			EVP_PKEY_CTX *vc = EVP_PKEY_CTX_new(pk, NULL);
			EVP_PKEY_verify_init(vc);
			EVP_PKEY_CTX_set_rsa_padding(vc, pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING);
			EVP_PKEY_CTX_set_signature_md(vc, EVP_sha256());
			if (pss)
				EVP_PKEY_CTX_set_rsa_pss_saltlen(vc, 32);
			assert_int_equal(EVP_PKEY_verify(vc, rsp + 20, 256, dg, 32), 1);
			dg[0] ^= 1;
			assert_int_not_equal(EVP_PKEY_verify(vc, rsp + 20, 256, dg, 32), 1);
			EVP_PKEY_CTX_free(vc);
			EVP_PKEY_free(pk);
		}
		/* VerifySignature with the same key: good, then a flipped bit */
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_VerifySignature);
		u32(&c, h);
		dg[0] ^= 1;
		b2b(&c, dg, 32);
		bytes(&c, rsp + 14, 4 + 2 + 256);
		assert_int_equal(exec(&c), 0);
		c.b[c.n - 1] ^= 1;
		assert_int_equal(exec(&c), RC_P(TPM_RC_SIGNATURE, 2));
		assert_int_equal(flush(h), 0);
	}
	/* an RSA decryption key with no scheme: OAEP (SHA-256, empty label) from OpenSSL decrypts */
	head(&t, TPM_ALG_RSA, TPM_ALG_SHA256, A_KEY | TPMA_OBJECT_DECRYPT, NULL, 0);
	t16(&t, TPM_ALG_NULL);
	t16(&t, TPM_ALG_NULL);
	t16(&t, 2048);
	t32(&t, 0);
	t16(&t, 0);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	memcpy(n, b.pub + b.pub_len - 256, 256);
	assert_int_equal(load(p, &b, &h), 0);
	{
		EVP_PKEY *pk = ossl_rsa_pub(n, 256);
		EVP_PKEY_CTX *ec = EVP_PKEY_CTX_new(pk, NULL);
		uint8_t ct[256];
		size_t cl = sizeof(ct);
		EVP_PKEY_encrypt_init(ec);
		EVP_PKEY_CTX_set_rsa_padding(ec, RSA_PKCS1_OAEP_PADDING);
		EVP_PKEY_CTX_set_rsa_oaep_md(ec, EVP_sha256());
		EVP_PKEY_CTX_set_rsa_mgf1_md(ec, EVP_sha256());
		assert_int_equal(EVP_PKEY_encrypt(ec, ct, &cl, (const uint8_t *)"hello oaep", 10), 1);
		EVP_PKEY_CTX_free(ec);
		EVP_PKEY_free(pk);
		start(&c, TPM_ST_SESSIONS, TPM_CC_RSA_Decrypt);
		u32(&c, h);
		pw(&c, "");
		b2b(&c, ct, 256);
		u16(&c, TPM_ALG_OAEP); u16(&c, TPM_ALG_SHA256);
		u16(&c, 0);
		assert_int_equal(exec(&c), 0);
		assert_int_equal(vtpm_be16(rsp + 14), 10);
		assert_memory_equal(rsp + 16, "hello oaep", 10);
		/* a corrupted ciphertext: TPM_RC_VALUE, no plaintext */
		c.b[c.n - 10] ^= 1;
		assert_int_equal(exec(&c), RC_P(TPM_RC_VALUE, 1));
		/* a label without its NUL */
		c.n -= 2;
		b2b(&c, "abc", 3);
		assert_int_equal(exec(&c), RC_P(TPM_RC_VALUE, 3));
	}
	/* RSA_Encrypt (no authorization) RSAES, decrypted by RSA_Decrypt; raw (NULL) round trip */
	for (int raw = 0; raw < 2; raw++) {
		uint8_t ct[256];
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_RSA_Encrypt);
		u32(&c, h);
		b2b(&c, "msg", 3);
		u16(&c, raw ? TPM_ALG_NULL : TPM_ALG_RSAES);
		u16(&c, 0);
		assert_int_equal(exec(&c), 0);
		assert_int_equal(vtpm_be16(rsp + 10), 256);
		memcpy(ct, rsp + 12, 256);
		start(&c, TPM_ST_SESSIONS, TPM_CC_RSA_Decrypt);
		u32(&c, h);
		pw(&c, "");
		b2b(&c, ct, 256);
		u16(&c, raw ? TPM_ALG_NULL : TPM_ALG_RSAES);
		u16(&c, 0);
		assert_int_equal(exec(&c), 0);
		if (raw) {
			assert_int_equal(vtpm_be16(rsp + 14), 256);
			assert_memory_equal(rsp + 16 + 253, "msg", 3);
		} else {
			assert_int_equal(vtpm_be16(rsp + 14), 3);
			assert_memory_equal(rsp + 16, "msg", 3);
		}
	}
	/* a signing-only key does not decrypt; the storage key is restricted */
	start(&c, TPM_ST_SESSIONS, TPM_CC_RSA_Decrypt);
	u32(&c, p);
	pw(&c, "");
	b2b(&c, z, 32);
	u16(&c, TPM_ALG_NULL);
	u16(&c, 0);
	assert_int_equal(exec(&c), RC_H(TPM_RC_KEY, 1));
}

/* P-384: the primary derivation recomputed with OpenSSL; ECDSA-SHA384 verified by OpenSSL. */
static void test_p384_keys_against_openssl(void **state)
{
	struct tp t;
	uint8_t u[34], stream[192], xy[96], dg[48];
	uint16_t pl;
	const uint8_t *pub;
	uint32_t h;
	struct cb c;

	(void)state;
	if (!vtpm_have_p384())
		skip();
	for (unsigned i = 0; i < VTPM_SEED_SIZE; i++)
		T->p.eps[i] = (uint8_t)i;
	head(&t, TPM_ALG_ECC, TPM_ALG_SHA256, A_KEY | TPMA_OBJECT_SIGN, NULL, 0);
	t16(&t, TPM_ALG_NULL);
	t16(&t, TPM_ALG_ECDSA); t16(&t, TPM_ALG_SHA384);
	t16(&t, TPM_ECC_NIST_P384);
	t16(&t, TPM_ALG_NULL);
	t16(&t, 0);
	t16(&t, 0);
	assert_int_equal(create_primary(TPM_RH_ENDORSEMENT, &t, "", &h), 0);
	pub = primary_pub(&pl);
	assert_int_equal(vtpm_be16(pub + pl - 100), 48);
	ctx_u(&t, u);
	ossl_kdfa(T->p.eps, 64, "Primary Object Creation", u, 34, NULL, 0, stream, 8 * 48 * 4);
	{
		EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_secp384r1);
		EC_POINT *pt = EC_POINT_new(g);
		BIGNUM *d = BN_bin2bn(stream, 48, NULL), *x = BN_new(), *y = BN_new();
		assert_true(BN_cmp(d, EC_GROUP_get0_order(g)) < 0); /* the first candidate is in range */
		EC_POINT_mul(g, pt, d, NULL, NULL, NULL);
		EC_POINT_get_affine_coordinates(g, pt, x, y, NULL);
		BN_bn2binpad(x, xy, 48);
		BN_bn2binpad(y, xy + 48, 48);
		assert_memory_equal(pub + pl - 98, xy, 48);
		assert_memory_equal(pub + pl - 48, xy + 48, 48);
		BN_free(d); BN_free(x); BN_free(y);
		EC_POINT_free(pt);
		EC_GROUP_free(g);
	}
	memset(dg, 0x77, 48);
	start(&c, TPM_ST_SESSIONS, TPM_CC_Sign);
	u32(&c, h);
	pw(&c, "");
	b2b(&c, dg, 48);
	u16(&c, TPM_ALG_NULL);
	u16(&c, TPM_ST_HASHCHECK);
	u32(&c, TPM_RH_NULL);
	u16(&c, 0);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(vtpm_be16(rsp + 16), TPM_ALG_SHA384);
	assert_int_equal(vtpm_be16(rsp + 18), 48);
	{
		EC_KEY *k = EC_KEY_new_by_curve_name(NID_secp384r1);
		BIGNUM *x = BN_bin2bn(xy, 48, NULL), *y = BN_bin2bn(xy + 48, 48, NULL);
		ECDSA_SIG *sg = ECDSA_SIG_new();
		EC_KEY_set_public_key_affine_coordinates(k, x, y);
		ECDSA_SIG_set0(sg, BN_bin2bn(rsp + 20, 48, NULL), BN_bin2bn(rsp + 70, 48, NULL));
		assert_int_equal(ECDSA_do_verify(dg, 48, sg, k), 1);
		ECDSA_SIG_free(sg);
		BN_free(x); BN_free(y);
		EC_KEY_free(k);
	}
	/* digest size must match the scheme's hash */
	c.n = 0;
	start(&c, TPM_ST_SESSIONS, TPM_CC_Sign);
	u32(&c, h);
	pw(&c, "");
	b2b(&c, dg, 32);
	u16(&c, TPM_ALG_NULL);
	u16(&c, TPM_ST_HASHCHECK);
	u32(&c, TPM_RH_NULL);
	u16(&c, 0);
	assert_int_equal(exec(&c), RC_P(TPM_RC_SIZE, 1));
}

/* vtpm_object_decrypt_secret (salted sessions, ActivateCredential, Import): ECDH + KDFe with an ECC
 * key and OAEP with an RSA key, against secrets OpenSSL made for the key's public part. */
static void test_decrypt_secret_ecc_and_rsa(void **state)
{
	struct tp t;
	struct blob b;
	uint8_t kxy[64], in[200], out[512], want[32];
	size_t ol = 0;
	uint32_t p, h;

	(void)state;
	assert_int_equal(srk(&p), 0);
	ecc_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT, 0, 0, TPM_ALG_NULL, TPM_ECC_NIST_P256);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	memcpy(kxy, b.pub + b.pub_len - 66, 32);
	memcpy(kxy + 32, b.pub + b.pub_len - 32, 32);
	assert_int_equal(load(p, &b, &h), 0);
	{
		EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
		EC_POINT *q = EC_POINT_new(g), *zp = EC_POINT_new(g), *kp = EC_POINT_new(g);
		BIGNUM *e = BN_new(), *x = BN_new(), *y = BN_new(), *kx = BN_bin2bn(kxy, 32, NULL),
		       *ky = BN_bin2bn(kxy + 32, 32, NULL);
		uint8_t qx[32], qy[32], zx[32], kin[4 + 32 + 7 + 64];
		BN_rand_range(e, EC_GROUP_get0_order(g));
		EC_POINT_mul(g, q, e, NULL, NULL, NULL);
		EC_POINT_get_affine_coordinates(g, q, x, y, NULL);
		BN_bn2binpad(x, qx, 32);
		BN_bn2binpad(y, qy, 32);
		EC_POINT_set_affine_coordinates(g, kp, kx, ky, NULL);
		EC_POINT_mul(g, zp, NULL, kp, e, NULL);
		EC_POINT_get_affine_coordinates(g, zp, x, NULL, NULL);
		BN_bn2binpad(x, zx, 32);
		/* KDFe(SHA-256, Z, "SECRET", Qe.x, Qs.x, 256) = H(00000001 || Z || "SECRET\0" || Qe.x || Qs.x) */
		memcpy(kin, "\0\0\0\1", 4);
		memcpy(kin + 4, zx, 32);
		memcpy(kin + 36, "SECRET", 7);
		memcpy(kin + 43, qx, 32);
		memcpy(kin + 75, kxy, 32);
		sha256(kin, sizeof(kin), want);
		in[0] = 0; in[1] = 32;
		memcpy(in + 2, qx, 32);
		in[34] = 0; in[35] = 32;
		memcpy(in + 36, qy, 32);
		BN_free(e); BN_free(x); BN_free(y); BN_free(kx); BN_free(ky);
		EC_POINT_free(q); EC_POINT_free(zp); EC_POINT_free(kp);
		EC_GROUP_free(g);
	}
	assert_int_equal(vtpm_object_decrypt_secret(T, obj(h), "SECRET", in, 68, out, &ol), 0);
	assert_int_equal(ol, 32);
	assert_memory_equal(out, want, 32);
	in[40] ^= 1; /* off the curve */
	assert_int_equal(vtpm_object_decrypt_secret(T, obj(h), "SECRET", in, 68, out, &ol), TPM_RC_ECC_POINT);
	assert_int_equal(vtpm_object_decrypt_secret(T, obj(h), "SECRET", in, 67, out, &ol), TPM_RC_SIZE);
	assert_int_equal(flush(h), 0);
	if (!have_rsa())
		return;
	head(&t, TPM_ALG_RSA, TPM_ALG_SHA256, A_KEY | TPMA_OBJECT_DECRYPT, NULL, 0);
	t16(&t, TPM_ALG_NULL);
	t16(&t, TPM_ALG_NULL);
	t16(&t, 2048);
	t32(&t, 0);
	t16(&t, 0);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &h), 0);
	{
		EVP_PKEY *pk = ossl_rsa_pub(b.pub + b.pub_len - 256, 256);
		EVP_PKEY_CTX *ec = EVP_PKEY_CTX_new(pk, NULL);
		uint8_t ct[256], *lab = OPENSSL_malloc(7);
		size_t cl = sizeof(ct);
		memcpy(lab, "SECRET", 7);
		EVP_PKEY_encrypt_init(ec);
		EVP_PKEY_CTX_set_rsa_padding(ec, RSA_PKCS1_OAEP_PADDING);
		EVP_PKEY_CTX_set_rsa_oaep_md(ec, EVP_sha256());
		EVP_PKEY_CTX_set_rsa_mgf1_md(ec, EVP_sha256());
		EVP_PKEY_CTX_set0_rsa_oaep_label(ec, lab, 7);
		memset(want, 0x42, 32);
		assert_int_equal(EVP_PKEY_encrypt(ec, ct, &cl, want, 32), 1);
		EVP_PKEY_CTX_free(ec);
		EVP_PKEY_free(pk);
		assert_int_equal(vtpm_object_decrypt_secret(T, obj(h), "SECRET", ct, 256, out, &ol), 0);
		assert_int_equal(ol, 32);
		assert_memory_equal(out, want, 32);
		/* another label: the padding check fails */
		assert_int_equal(vtpm_object_decrypt_secret(T, obj(h), "IDENTITY", ct, 256, out, &ol), TPM_RC_VALUE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seal_create_load_unseal, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_private_blob_is_protected_storage_format, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_or_misplaced_private_blob_is_refused, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_create_attribute_and_scheme_rules, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_symmetric_primary_derivations_recomputed_and_pinned, setup_started,
						teardown),
		cmocka_unit_test_setup_teardown(test_ek_ecc_template_l2, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_ek_rsa_template_l1, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_created_hmac_key_matches_openssl, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_encrypt_decrypt_modes_match_openssl, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_object_change_auth, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_contexts_of_children_and_parents, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_evict_control_persists_across_power_cycle, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_nv_blob_format_1_still_loads, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_created_ecc_key_signs_for_openssl, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_noda_objects_do_not_count_failures, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_load_external_ecc_public_verifies_openssl_signature, setup_started,
						teardown),
		cmocka_unit_test_setup_teardown(test_rsa_keys_against_openssl, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_p384_keys_against_openssl, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_decrypt_secret_ecc_and_rsa, setup_started, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
