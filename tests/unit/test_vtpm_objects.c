/* vTPM object model (issue 6, objects part): storage keys and children (Create/Load/Unseal), the
 * Protected Storage private blob recomputed with OpenSSL, tampered blobs, the attribute rules, the
 * FROZEN primary derivations recomputed and pinned (symmetric keys, the EK templates L-1 and L-2),
 * ObjectChangeAuth, contexts, EvictControl across a power cycle, NV blob format 1, noDA. The key
 * commands are in test_vtpm_keys.c. */
/* the EC_KEY and RSA interfaces keep the OpenSSL cross-checks short */
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
		/* a policy session is required for ADMIN with adminWithPolicy (Part 1, 19.7.5): TPM_RC_AUTH_TYPE */
		assert_int_equal(change_auth(ah, p, "pw", "x", NULL), TPM_RC_AUTH_TYPE);
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

static uint32_t create_loaded(uint32_t parent, const struct tp *t, const void *data, uint16_t dl, uint32_t *h,
			      struct blob *out)
{
	struct cb c;
	uint32_t rc;

	start(&c, TPM_ST_SESSIONS, TPM_CC_CreateLoaded);
	u32(&c, parent);
	pw(&c, "");
	sens_create(&c, "", data, dl);
	b2b(&c, t->b, (uint16_t)t->n);
	rc = exec(&c);
	if (rc == 0) {
		const uint8_t *p = rsp + 18;
		*h = vtpm_be32(rsp + 10);
		out->priv_len = vtpm_be16(p);
		memcpy(out->priv, p + 2, out->priv_len);
		p += 2 + out->priv_len;
		out->pub_len = vtpm_be16(p);
		memcpy(out->pub, p + 2, out->pub_len);
	}
	return rc;
}

/* CreateLoaded: under a hierarchy the primary of CreatePrimary (same template, same key) with no
 * private; under a storage key a loaded child whose outPrivate Load accepts. */
static void test_create_loaded(void **state)
{
	struct tp t;
	struct blob b, b2;
	uint16_t pl;
	uint32_t p, h, h2;

	(void)state;
	srk_tp(&t);
	assert_int_equal(create_loaded(TPM_RH_OWNER, &t, NULL, 0, &p, &b), 0);
	assert_int_equal(b.priv_len, 0);
	assert_int_equal(create_primary(TPM_RH_OWNER, &t, "", &h), 0);
	assert_memory_equal(primary_pub(&pl), b.pub, b.pub_len);
	assert_int_equal(pl, b.pub_len);
	assert_int_equal(flush(h), 0);
	keyed_tp(&t, A_SEAL, TPM_ALG_NULL);
	assert_int_equal(create_loaded(p, &t, "loaded", 6, &h, &b2), 0);
	assert_true(b2.priv_len > 0);
	assert_int_equal(unseal(h, ""), 0);
	assert_memory_equal(rsp + 16, "loaded", 6);
	assert_int_equal(flush(h), 0);
	assert_int_equal(load(p, &b2, &h2), 0);
	assert_int_equal(unseal(h2, ""), 0);
	assert_memory_equal(rsp + 16, "loaded", 6);
	/* a sealed object is no parent; a lockout handle no hierarchy; the rules are Create's */
	assert_int_equal(create_loaded(h2, &t, "x", 1, &h, &b), RC_H(TPM_RC_TYPE, 1));
	assert_int_equal(create_loaded(TPM_RH_LOCKOUT, &t, "x", 1, &h, &b), RC_H(TPM_RC_VALUE, 1));
	assert_int_equal(create_loaded(p, &t, NULL, 0, &h, &b), RC_P(TPM_RC_ATTRIBUTES, 2));
	assert_int_equal(objects_used(), 2);
}

/* A blob whose persistent object does not decode, or names a non-persistent handle, is corrupt:
 * failure mode, never a half-loaded TPM. */
static void test_corrupt_persistent_object_is_failure_mode(void **state)
{
	uint8_t good[VTPM_BLOB_MAX], sum[32];
	size_t n, len, at;
	uint32_t p;

	(void)state;
	assert_int_equal(srk(&p), 0);
	assert_int_equal(evict(TPM_RH_OWNER, p, 0x81000007), 0);
	len = nv_len;
	memcpy(good, nv_store_buf, len);
	/* no NV indices: the object section ends the payload: count, handle, TPM2B state */
	n = len - 32;
	for (at = 16; at + 7 < n; at++)
		if (nv_store_buf[at] == 1 && vtpm_be32(nv_store_buf + at + 1) == 0x81000007 &&
		    at + 7 + vtpm_be16(nv_store_buf + at + 5) == n)
			break;
	assert_true(at + 7 < n);
	for (int what = 0; what < 3; what++) {
		memcpy(nv_store_buf, good, len);
		if (what == 0)
			nv_store_buf[at + 7] = 0x99;             /* object kind */
		else if (what == 1)
			vtpm_set_be32(nv_store_buf + at + 1, 0x80000001); /* a transient handle */
		else
			nv_store_buf[at + 7 + 80] ^= 0x40;       /* inside the public area */
		EVP_Digest(nv_store_buf, n, sum, NULL, EVP_sha256(), NULL);
		memcpy(nv_store_buf + n, sum, 32);
		vtpm_power_on(T, &plat);
		assert_true(vtpm_in_failure(T, NULL));
	}
	memcpy(nv_store_buf, good, len);
	vtpm_power_on(T, &plat);
	assert_false(vtpm_in_failure(T, NULL));
	assert_int_equal(startup(TPM_SU_CLEAR), 0);
	assert_non_null(obj(0x81000007));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seal_create_load_unseal, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_private_blob_is_protected_storage_format, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_or_misplaced_private_blob_is_refused, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_create_attribute_and_scheme_rules, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_symmetric_primary_derivations_recomputed_and_pinned, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_ek_ecc_template_l2, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_ek_rsa_template_l1, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_object_change_auth, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_contexts_of_children_and_parents, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_evict_control_persists_across_power_cycle, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_nv_blob_format_1_still_loads, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_noda_objects_do_not_count_failures, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_create_loaded, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_persistent_object_is_failure_mode, setup_started, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
