/* vTPM duplication and import (issue 6, credentials part) against OpenSSL: Duplicate -> Import
 * round trips with and without the inner wrapper, refusals, encryptedDuplication, persistent keys,
 * P-384 protectors and parents, and Import of keys wrapped entirely by the test. */
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

#include "tests/unit/vtpm_cred_util.h"

#define A_DUPKEY (TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_SIGN)

static int ossl_verify(const uint8_t xy[64], const uint8_t *dg, const uint8_t *r, const uint8_t *s)
{
	EC_KEY *k = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	BIGNUM *x = BN_bin2bn(xy, 32, NULL), *y = BN_bin2bn(xy + 32, 32, NULL);
	ECDSA_SIG *sig = ECDSA_SIG_new();
	int ok;

	EC_KEY_set_public_key_affine_coordinates(k, x, y);
	ECDSA_SIG_set0(sig, BN_bin2bn(r, 32, NULL), BN_bin2bn(s, 32, NULL));
	ok = ECDSA_do_verify(dg, 32, sig, k);
	ECDSA_SIG_free(sig);
	BN_free(x); BN_free(y);
	EC_KEY_free(k);
	return ok;
}

/* The public point of an ecc_tp() public area */
static void pub_xy(const uint8_t *pub, size_t n, uint8_t xy[64])
{
	memcpy(xy, pub + n - 66, 32);
	memcpy(xy + 32, pub + n - 32, 32);
}

/* ---- duplication ---- */

/* policyDigest of PolicyCommandCode(Duplicate) from an empty policy */
static void dup_policy(uint8_t d[32])
{
	uint8_t in[40] = { 0 };

	vtpm_set_be32(in + 32, TPM_CC_PolicyCommandCode);
	vtpm_set_be32(in + 36, TPM_CC_Duplicate);
	sha256(in, 40, d);
}

static uint8_t dup_nonce[32]; /* nonceTPM of the last dup_session() */

/* A policy session with PolicyCommandCode(Duplicate) run */
static uint32_t dup_session(void)
{
	struct cb c;
	uint32_t s;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_StartAuthSession);
	u32(&c, TPM_RH_NULL); u32(&c, TPM_RH_NULL);
	u16(&c, 16); for (int i = 0; i < 16; i++) u8(&c, (uint8_t)i);
	u16(&c, 0); u8(&c, TPM_SE_POLICY); u16(&c, TPM_ALG_NULL); u16(&c, TPM_ALG_SHA256);
	assert_int_equal(exec(&c), 0);
	s = vtpm_be32(rsp + 10);
	assert_int_equal(vtpm_be16(rsp + 14), 32);
	memcpy(dup_nonce, rsp + 16, 32);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicyCommandCode);
	u32(&c, s); u32(&c, TPM_CC_Duplicate);
	assert_int_equal(exec(&c), 0);
	return s;
}

struct dup { uint8_t key[32], dup[700], seed[300]; uint16_t kl, dl, sl; };

static uint32_t duplicate(uint32_t key, uint32_t np, uint32_t sess, bool inner, struct dup *out)
{
	struct cb c;
	uint32_t rc;
	const uint8_t *p;

	uint8_t prm[8], cp[32], hin[32 + 4 + 34 + 34 + 8], mac[32];
	size_t pl = 0, n = 0;
	unsigned ml = 32;

	/* encryptionKeyIn (empty), symmetricAlg */
	vtpm_set_be16(prm, 0); pl = 2;
	if (inner) {
		vtpm_set_be16(prm + 2, TPM_ALG_AES); vtpm_set_be16(prm + 4, 128); vtpm_set_be16(prm + 6, TPM_ALG_CFB);
		pl = 8;
	} else {
		vtpm_set_be16(prm + 2, TPM_ALG_NULL);
		pl = 4;
	}
	/* the policy session's HMAC, keyed by an empty sessionKey (unbound, unsalted, no PolicyAuthValue):
	 * HMAC(cpHash || nonceCaller (empty) || nonceTPM || attributes 0) */
	vtpm_set_be32(hin, TPM_CC_Duplicate); n = 4;
	n += (size_t)(obj(key)->name_len);
	memcpy(hin + 4, obj(key)->name, obj(key)->name_len);
	if (np == TPM_RH_NULL) {
		vtpm_set_be32(hin + n, np); n += 4;
	} else {
		memcpy(hin + n, obj(np)->name, obj(np)->name_len); n += obj(np)->name_len;
	}
	memcpy(hin + n, prm, pl); n += pl;
	sha256(hin, n, cp);
	memcpy(hin, cp, 32); memcpy(hin + 32, dup_nonce, 32); hin[64] = 0;
	HMAC(EVP_sha256(), "", 0, hin, 65, mac, &ml);
	start(&c, TPM_ST_SESSIONS, TPM_CC_Duplicate);
	u32(&c, key); u32(&c, np);
	if (sess) {
		u32(&c, 41); u32(&c, sess); u16(&c, 0); u8(&c, 0); b2b(&c, mac, 32);
	} else {
		pw(&c, "");
	}
	bytes(&c, prm, pl);
	rc = exec(&c);
	if (rc == 0) {
		p = rsp + 14;
		out->kl = vtpm_be16(p); memcpy(out->key, p + 2, out->kl); p += 2 + out->kl;
		out->dl = vtpm_be16(p); memcpy(out->dup, p + 2, out->dl); p += 2 + out->dl;
		out->sl = vtpm_be16(p); memcpy(out->seed, p + 2, out->sl);
	}
	return rc;
}

static uint32_t import(uint32_t parent, const uint8_t *pub, uint16_t publ, const struct dup *d, bool inner,
		       struct blob *out)
{
	struct cb c;
	uint32_t rc;

	start(&c, TPM_ST_SESSIONS, TPM_CC_Import);
	u32(&c, parent);
	pw(&c, "");
	b2b(&c, d->key, d->kl);
	b2b(&c, pub, publ);
	b2b(&c, d->dup, d->dl);
	b2b(&c, d->seed, d->sl);
	if (inner) {
		u16(&c, TPM_ALG_AES); u16(&c, 128); u16(&c, TPM_ALG_CFB);
	} else {
		u16(&c, TPM_ALG_NULL);
	}
	rc = exec(&c);
	if (rc == 0 && out) {
		out->priv_len = vtpm_be16(rsp + 14);
		memcpy(out->priv, rsp + 16, out->priv_len);
		memcpy(out->pub, pub, publ);
		out->pub_len = publ;
	}
	return rc;
}

/* The loaded key signs a digest; the signature verifies under xy with OpenSSL. */
static void signs_for(uint32_t h, const uint8_t xy[64])
{
	uint8_t dg[32];

	sha256("imported", 8, dg);
	assert_int_equal(sign(h, dg), 0);
	assert_int_equal(vtpm_be16(rsp + 14), TPM_ALG_ECDSA);
	assert_int_equal(ossl_verify(xy, dg, rsp + 20, rsp + 54), 1);
	dg[0] ^= 1;
	assert_int_not_equal(ossl_verify(xy, dg, rsp + 20, rsp + 54), 1);
}

static void dup_key(uint32_t parent, uint32_t attrs, struct blob *b, uint32_t *h)
{
	uint8_t pol[32];
	struct tp t;

	dup_policy(pol);
	ecc_tp(&t, attrs, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	memmove(t.b + 8 + 32 + 2, t.b + 10, t.n - 10); /* splice in the authPolicy */
	t.b[8] = 0; t.b[9] = 32;
	memcpy(t.b + 10, pol, 32);
	t.n += 32;
	assert_int_equal(create(parent, "", &t, "", NULL, 0, b), 0);
	assert_int_equal(load(parent, b, h), 0);
}

static void test_duplicate_import_round_trip(void **state)
{
	struct blob b, ib;
	struct dup d;
	struct tp t;
	uint8_t xy[64];
	uint32_t p1, p2, k, ik;

	(void)state;
	assert_int_equal(srk(&p1), 0);
	srk_tp_other(&t, 'n');
	assert_int_equal(create_primary(TPM_RH_OWNER, &t, "", &p2), 0);
	dup_key(p1, A_DUPKEY, &b, &k);
	pub_xy(b.pub, b.pub_len, xy);
	assert_int_equal(flush(p1), 0); /* three object slots: key, new parent, imported key */
	for (int inner = 0; inner < 2; inner++) {
		assert_int_equal(duplicate(k, p2, dup_session(), inner, &d), 0);
		assert_int_equal(d.kl, inner ? 16 : 0);
		assert_int_equal(d.sl, 68); /* an ECDH point for the P-256 parent */
		assert_int_equal(import(p2, b.pub, b.pub_len, &d, inner, &ib), 0);
		assert_int_equal(load(p2, &ib, &ik), 0);
		signs_for(ik, xy);
		assert_int_equal(flush(ik), 0);
		if (inner) {
			d.key[3] ^= 1; /* the wrong inner key */
			assert_int_equal(import(p2, b.pub, b.pub_len, &d, inner, NULL), RC_P(TPM_RC_INTEGRITY, 3));
		}
	}
	/* to TPM_RH_NULL: only the inner wrapper; the test opens it with OpenSSL */
	assert_int_equal(duplicate(k, TPM_RH_NULL, dup_session(), true, &d), 0);
	assert_int_equal(d.sl, 0);
	{
		uint8_t buf[700], name[34], want[32], hin[700];
		name_of_pub(b.pub, b.pub_len, name);
		memcpy(buf, d.dup, d.dl);
		cfb128(d.key, 16, buf, d.dl, 0);
		assert_int_equal(vtpm_be16(buf), 32);
		memcpy(hin, buf + 34, d.dl - 34u);
		memcpy(hin + d.dl - 34, name, 34);
		sha256(hin, d.dl - 34u + 34u, want);
		assert_memory_equal(buf + 2, want, 32);
		assert_int_equal(vtpm_be16(buf + 34), d.dl - 36);
		assert_int_equal(vtpm_be16(buf + 36), TPM_ALG_ECC);
	}
	assert_int_equal(import(p2, b.pub, b.pub_len, &d, true, &ib), 0);
	assert_int_equal(load(p2, &ib, &ik), 0);
	signs_for(ik, xy);
	/* the old parent is not the one a duplicate for p2 was made for */
	assert_int_equal(duplicate(k, p2, dup_session(), true, &d), 0);
	assert_int_equal(flush(ik), 0);
	assert_int_equal(srk(&p1), 0);
	assert_int_equal(import(p1, b.pub, b.pub_len, &d, true, NULL), RC_P(TPM_RC_INTEGRITY, 3));
	assert_int_equal(import(p2, b.pub, b.pub_len, &d, true, NULL), 0);
}

static void test_duplicate_refusals(void **state)
{
	struct blob b;
	struct dup d;
	uint32_t p1, k, fixed, s;

	(void)state;
	assert_int_equal(srk(&p1), 0);
	/* fixedParent keys cannot be duplicated */
	dup_key(p1, A_KEY | TPMA_OBJECT_SIGN, &b, &fixed);
	assert_int_equal(duplicate(fixed, TPM_RH_NULL, dup_session(), false, &d), RC_H(TPM_RC_ATTRIBUTES, 1));
	assert_int_equal(flush(fixed), 0);
	dup_key(p1, A_DUPKEY, &b, &k);
	/* DUP role: the authValue never authorizes it */
	assert_int_equal(duplicate(k, TPM_RH_NULL, 0, false, &d), TPM_RC_AUTH_TYPE);
	/* a signing key is no new parent */
	assert_int_equal(duplicate(k, k, dup_session(), false, &d), RC_H(TPM_RC_TYPE, 2));
	s = dup_session();
	assert_int_equal(duplicate(k, TPM_RH_NULL, s, false, &d), 0);
	assert_int_equal(d.kl, 0);
	assert_int_equal(d.sl, 0);
}

static void test_encrypted_duplication_needs_both_wrappers(void **state)
{
	struct blob b;
	struct dup d;
	struct tp t;
	uint32_t p1, p2, k;

	(void)state;
	assert_int_equal(srk(&p1), 0);
	srk_tp_other(&t, 'e');
	assert_int_equal(create_primary(TPM_RH_OWNER, &t, "", &p2), 0);
	dup_key(p1, A_DUPKEY | TPMA_OBJECT_ENCRYPTEDDUPLICATION, &b, &k);
	assert_int_equal(duplicate(k, p2, dup_session(), false, &d), RC_P(TPM_RC_SYMMETRIC, 2));
	assert_int_equal(duplicate(k, TPM_RH_NULL, dup_session(), true, &d), RC_H(TPM_RC_HIERARCHY, 2));
	assert_int_equal(duplicate(k, p2, dup_session(), true, &d), 0);
	assert_int_equal(import(p2, b.pub, b.pub_len, &d, true, NULL), 0);
	d.sl = 0;
	assert_int_equal(import(p2, b.pub, b.pub_len, &d, true, NULL), RC_P(TPM_RC_SIZE, 4));
}

/* A persistent key is authorized by its policy like a transient one: Duplicate of a key evicted to
 * 0x81000010 with its PolicyCommandCode(Duplicate) session, then Import and Load elsewhere. */
static void test_duplicate_of_a_persistent_key(void **state)
{
	struct blob b, ib;
	struct dup d;
	struct tp t;
	struct cb c;
	uint8_t xy[64];
	uint32_t p1, p2, k, ik, ph = 0x81000010u;

	(void)state;
	assert_int_equal(srk(&p1), 0);
	dup_key(p1, A_DUPKEY, &b, &k);
	pub_xy(b.pub, b.pub_len, xy);
	start(&c, TPM_ST_SESSIONS, TPM_CC_EvictControl);
	u32(&c, TPM_RH_OWNER); u32(&c, k); pw(&c, ""); u32(&c, ph);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(flush(k), 0);
	assert_int_equal(flush(p1), 0);
	srk_tp_other(&t, 'p');
	assert_int_equal(create_primary(TPM_RH_OWNER, &t, "", &p2), 0);
	assert_int_equal(duplicate(ph, p2, dup_session(), true, &d), 0);
	assert_int_equal(import(p2, b.pub, b.pub_len, &d, true, &ib), 0);
	assert_int_equal(load(p2, &ib, &ik), 0);
	signs_for(ik, xy);
}

/* A P-384 storage key with SHA-384 nameAlg as protector and as new parent: 48-byte coordinates and
 * seeds on both sides of secret sharing. */
static void test_p384_protector_and_parent(void **state)
{
	struct blob akb, ib;
	struct cred cr;
	struct dup d;
	struct tp t;
	uint8_t name[34], xy[64];
	uint32_t ek, ak, k, ik;

	(void)state;
	if (!vtpm_have_p384())
		skip();
	head(&t, TPM_ALG_ECC, TPM_ALG_SHA384, A_SRK, NULL, 0);
	t16(&t, TPM_ALG_AES); t16(&t, 256); t16(&t, TPM_ALG_CFB);
	t16(&t, TPM_ALG_NULL); t16(&t, TPM_ECC_NIST_P384); t16(&t, TPM_ALG_NULL); t16(&t, 0); t16(&t, 0);
	assert_int_equal(create_primary(TPM_RH_OWNER, &t, "", &ek), 0);
	ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	assert_int_equal(create(ek, "", &t, "", NULL, 0, &akb), 0);
	assert_int_equal(load(ek, &akb, &ak), 0);
	name_of_pub(akb.pub, akb.pub_len, name);
	assert_int_equal(make_credential(ek, "p384 credential of 48 bytes max", 31, name, 34, &cr), 0);
	assert_int_equal(cr.sl, 2 + 48 + 2 + 48);
	assert_int_equal(vtpm_be16(cr.blob), 48); /* integrity: a SHA-384 HMAC */
	assert_int_equal(activate(ak, ek, &cr), 0);
	assert_memory_equal(rsp + 16, "p384 credential of 48 bytes max", 31);
	cr.blob[60] ^= 1;
	assert_int_equal(activate(ak, ek, &cr), RC_P(TPM_RC_INTEGRITY, 1));
	assert_int_equal(flush(ak), 0);
	/* a duplicable P-256 key under an ordinary SRK, duplicated to the P-384 parent */
	assert_int_equal(srk(&ak), 0);
	dup_key(ak, A_DUPKEY, &akb, &k);
	assert_int_equal(flush(ak), 0);
	pub_xy(akb.pub, akb.pub_len, xy);
	assert_int_equal(duplicate(k, ek, dup_session(), true, &d), 0);
	assert_int_equal(d.sl, 2 + 48 + 2 + 48);
	assert_int_equal(import(ek, akb.pub, akb.pub_len, &d, true, &ib), 0);
	assert_int_equal(flush(k), 0);
	assert_int_equal(load(ek, &ib, &ik), 0);
	signs_for(ik, xy);
}

/* ---- Import of a key wrapped by the test ---- */

/* TPMT_PUBLIC of an ECDSA P-256 signing key with point xy, importable (no fixedTPM/fixedParent) */
static void ext_pub(struct tp *t, uint32_t attrs, const uint8_t xy[64])
{
	ecc_tp(t, attrs, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	t->n -= 4;
	t2b(t, xy, 32);
	t2b(t, xy + 32, 32);
}

/* The duplicate of (pub, sensitive key of type) for the P-256 storage key parent_xy, inner key ik
 * (16 bytes) or none. */
static void wrap_key(const struct tp *pub, uint16_t type, const uint8_t *key, uint16_t kl,
		     const uint8_t parent_xy[64], const uint8_t *ik, struct dup *out)
{
	uint8_t sens[400], inner[500], name[34], seed[32], hin[500];
	size_t sl = 0, il;

	name_of_pub(pub->b, pub->n, name);
	/* TPM2B_SENSITIVE: size || type || authValue "" || seedValue "" || TPM2B key */
	vtpm_set_be16(sens + 2, type); sl = 4;
	sens[sl++] = 0; sens[sl++] = 0;
	sens[sl++] = 0; sens[sl++] = 0;
	vtpm_set_be16(sens + sl, kl); sl += 2;
	memcpy(sens + sl, key, kl); sl += kl;
	vtpm_set_be16(sens, (uint16_t)(sl - 2));
	if (ik) {
		memcpy(hin, sens, sl);
		memcpy(hin + sl, name, 34);
		inner[0] = 0; inner[1] = 32;
		sha256(hin, sl + 34, inner + 2);
		memcpy(inner + 34, sens, sl);
		il = 34 + sl;
		cfb128(ik, 16, inner, il, 1);
		memcpy(out->key, ik, 16);
		out->kl = 16;
	} else {
		memcpy(inner, sens, sl);
		il = sl;
		out->kl = 0;
	}
	out->sl = (uint16_t)ecc_share(parent_xy, "DUPLICATE", seed, out->seed);
	out->dl = (uint16_t)outer_wrap(seed, name, 34, inner, il, out->dup);
}

static void wrap_external(const struct tp *pub, const uint8_t d32[32], const uint8_t parent_xy[64],
			  const uint8_t *ik, struct dup *out)
{
	wrap_key(pub, TPM_ALG_ECC, d32, 32, parent_xy, ik, out);
}

/* An OpenSSL RSA-2048 key: n and the prime p */
static void rsa_keypair(uint8_t n[256], uint8_t p[128])
{
	RSA *r = RSA_new();
	BIGNUM *e = BN_new();
	const BIGNUM *bn, *bp;

	BN_set_word(e, 65537);
	assert_int_equal(RSA_generate_key_ex(r, 2048, e, NULL), 1);
	RSA_get0_key(r, &bn, NULL, NULL);
	RSA_get0_factors(r, &bp, NULL);
	BN_bn2binpad(bn, n, 256);
	BN_bn2binpad(bp, p, 128);
	BN_free(e);
	RSA_free(r);
}

/* An RSA key from OpenSSL imported (prime p in the sensitive area, Part 2, 11.2.4.5): it signs with
 * RSASSA and OpenSSL verifies; a prime of another key is refused (TPM_RC_BINDING). */
static void test_import_of_an_openssl_rsa_key(void **state)
{
	uint8_t n[256], p[128], n2[256], p2[128], dg[32];
	struct blob ib;
	struct dup dp;
	struct tp pub;
	uint32_t par, h;

	(void)state;
	if (!have_rsa())
		skip();
	assert_int_equal(srk(&par), 0);
	rsa_keypair(n, p);
	head(&pub, TPM_ALG_RSA, TPM_ALG_SHA256, TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_SIGN, NULL, 0);
	t16(&pub, TPM_ALG_NULL); t16(&pub, TPM_ALG_RSASSA); t16(&pub, TPM_ALG_SHA256);
	t16(&pub, 2048); t32(&pub, 0); t2b(&pub, n, 256);
	wrap_key(&pub, TPM_ALG_RSA, p, 128, obj(par)->ecc_xy, NULL, &dp);
	assert_int_equal(import(par, pub.b, (uint16_t)pub.n, &dp, false, &ib), 0);
	assert_int_equal(load(par, &ib, &h), 0);
	sha256("rsa import", 10, dg);
	assert_int_equal(sign(h, dg), 0);
	assert_int_equal(vtpm_be16(rsp + 14), TPM_ALG_RSASSA);
	assert_int_equal(vtpm_be16(rsp + 18), 256);
	{
		RSA *r = RSA_new();
		RSA_set0_key(r, BN_bin2bn(n, 256, NULL), BN_bin2bn((const uint8_t *)"\x01\x00\x01", 3, NULL), NULL);
		assert_int_equal(RSA_verify(NID_sha256, dg, 32, rsp + 20, 256, r), 1);
		dg[5] ^= 1;
		assert_int_not_equal(RSA_verify(NID_sha256, dg, 32, rsp + 20, 256, r), 1);
		RSA_free(r);
	}
	rsa_keypair(n2, p2);
	wrap_key(&pub, TPM_ALG_RSA, p2, 128, obj(par)->ecc_xy, NULL, &dp);
	assert_int_equal(import(par, pub.b, (uint16_t)pub.n, &dp, false, NULL), RC_P(TPM_RC_BINDING, 3));
}

static void test_import_of_an_openssl_key(void **state)
{
	static const uint8_t ik[16] = "inner key 16 by";
	uint8_t d[32], xy[64], d2[32], xy2[64];
	struct blob ib;
	struct dup dp;
	struct tp pub;
	uint32_t p, h;

	(void)state;
	assert_int_equal(srk(&p), 0);
	ec_keypair(d, xy);
	ext_pub(&pub, A_DUPKEY & ~TPMA_OBJECT_SENSITIVEDATAORIGIN, xy);
	for (int inner = 0; inner < 2; inner++) {
		wrap_external(&pub, d, obj(p)->ecc_xy, inner ? ik : NULL, &dp);
		assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, inner, &ib), 0);
		assert_int_equal(load(p, &ib, &h), 0);
		signs_for(h, xy);
		assert_int_equal(flush(h), 0);
	}
	/* the sensitive area must belong to the public one */
	ec_keypair(d2, xy2);
	wrap_external(&pub, d2, obj(p)->ecc_xy, ik, &dp);
	assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, true, NULL), RC_P(TPM_RC_BINDING, 3));
	/* a tampered duplicate, a wrong inner key size, a missing inner wrapper */
	wrap_external(&pub, d, obj(p)->ecc_xy, ik, &dp);
	dp.dup[50] ^= 4;
	assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, true, NULL), RC_P(TPM_RC_INTEGRITY, 3));
	wrap_external(&pub, d, obj(p)->ecc_xy, ik, &dp);
	dp.kl = 15;
	assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, true, NULL), RC_P(TPM_RC_SIZE, 1));
	dp.kl = 16;
	assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, false, NULL), RC_P(TPM_RC_SIZE, 1));
	dp.kl = 0;
	assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, false, NULL), RC_P(TPM_RC_INTEGRITY, 3));
	/* fixedParent objects cannot be imported */
	ext_pub(&pub, A_DUPKEY | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_FIXEDTPM, xy);
	wrap_external(&pub, d, obj(p)->ecc_xy, ik, &dp);
	assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, true, NULL), RC_P(TPM_RC_ATTRIBUTES, 2));
	/* a signing key is no parent */
	ext_pub(&pub, A_DUPKEY, xy);
	wrap_external(&pub, d, obj(p)->ecc_xy, ik, &dp);
	assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, true, &ib), 0);
	assert_int_equal(load(p, &ib, &h), 0);
	assert_int_equal(import(h, pub.b, (uint16_t)pub.n, &dp, true, NULL), RC_H(TPM_RC_TYPE, 1));
	assert_int_equal(objects_used(), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_p384_protector_and_parent, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_import_round_trip, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_refusals, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_encrypted_duplication_needs_both_wrappers, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_of_a_persistent_key, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_import_of_an_openssl_key, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_import_of_an_openssl_rsa_key, setup_started, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
