/* vTPM attestation commands (issue 6, attest part): Certify, CertifyCreation, GetTime,
 * NV_Certify, each TPMS_ATTEST parsed and its signature checked with OpenSSL (ECDSA, RSASSA, HMAC)
 * or found to be TPM_ALG_NULL for a NULL sign handle; their error paths; restricted keys and
 * TPM_GENERATED_VALUE; audit sessions. ECDH_KeyGen/ZGen are in test_vtpm_ecdh.c. */
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
#include <openssl/sha.h>

#include "vtpm/internal.h"

#include "tests/unit/vtpm_objects_util.h"

#define A_AK (A_KEY | TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN)
#define NV_IDX 0x01500020u

/* Two password authorizations with empty passwords. */
static void pw2(struct cb *c)
{
	u32(c, 18);
	for (int i = 0; i < 2; i++) {
		u32(c, TPM_RS_PW);
		u16(c, 0);
		u8(c, 1);
		u16(c, 0);
	}
}

/* A parsed TPM2B_ATTEST / TPMS_ATTEST response (parameters at rsp + 14). */
struct att {
	const uint8_t *raw; /* TPMS_ATTEST */
	uint16_t len;
	uint16_t type;
	const uint8_t *qsigner, *extra, *attested;
	uint16_t qsigner_len, extra_len;
	uint64_t clock;
	uint32_t reset, restart;
	const uint8_t *sig; /* TPMT_SIGNATURE */
};

static uint64_t be64(const uint8_t *p) { return ((uint64_t)vtpm_be32(p) << 32) | vtpm_be32(p + 4); }

static void parse(struct att *a)
{
	const uint8_t *p = rsp + 14;

	a->len = vtpm_be16(p);
	a->raw = p + 2;
	a->sig = a->raw + a->len;
	p = a->raw;
	assert_int_equal(vtpm_be32(p), TPM_GENERATED_VALUE);
	a->type = vtpm_be16(p + 4);
	a->qsigner_len = vtpm_be16(p + 6);
	a->qsigner = p + 8;
	p = a->qsigner + a->qsigner_len;
	a->extra_len = vtpm_be16(p);
	a->extra = p + 2;
	p = a->extra + a->extra_len;
	a->clock = be64(p);
	a->reset = vtpm_be32(p + 8);
	a->restart = vtpm_be32(p + 12);
	assert_int_equal(p[16], 1);
	a->attested = p + 17 + 8;
	assert_true(a->attested <= a->raw + a->len);
}

/* Verifies the TPMT_SIGNATURE over the attestation with OpenSSL against key k (SHA-256). */
static int ossl_check(const struct vtpm_object *k, const struct att *a)
{
	uint8_t dg[32], mac[32];
	unsigned ml = 32;
	const uint8_t *s = a->sig;
	int ok = 0;

	SHA256(a->raw, a->len, dg);
	if (vtpm_be16(s + 2) != TPM_ALG_SHA256)
		return 0;
	if (k->kind == VTPM_OBJ_ECC) {
		EC_KEY *ek = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
		BIGNUM *x = BN_bin2bn(k->ecc_xy, 32, NULL), *y = BN_bin2bn(k->ecc_xy + 32, 32, NULL);
		ECDSA_SIG *es = ECDSA_SIG_new();
		uint16_t rl = vtpm_be16(s + 4), sl = vtpm_be16(s + 6 + rl);

		assert_int_equal(vtpm_be16(s), TPM_ALG_ECDSA);
		EC_KEY_set_public_key_affine_coordinates(ek, x, y);
		ECDSA_SIG_set0(es, BN_bin2bn(s + 6, rl, NULL), BN_bin2bn(s + 8 + rl, sl, NULL));
		ok = ECDSA_do_verify(dg, 32, es, ek) == 1;
		ECDSA_SIG_free(es);
		BN_free(x);
		BN_free(y);
		EC_KEY_free(ek);
	} else if (k->kind == VTPM_OBJ_RSA) {
		RSA *r = RSA_new();

		assert_int_equal(vtpm_be16(s), TPM_ALG_RSASSA);
		RSA_set0_key(r, BN_bin2bn(k->tp.u1, 256, NULL), BN_bin2bn((const uint8_t *)"\x01\x00\x01", 3, NULL), NULL);
		ok = RSA_verify(NID_sha256, dg, 32, s + 6, vtpm_be16(s + 4), r) == 1;
		RSA_free(r);
	} else {
		assert_int_equal(vtpm_be16(s), TPM_ALG_HMAC);
		HMAC(EVP_sha256(), k->key, (int)k->key_len, dg, 32, mac, &ml);
		ok = memcmp(mac, s + 4, 32) == 0;
	}
	return ok;
}

/* The check fails on a changed attestation: the signature covers every byte. */
static void assert_signed_by(const struct vtpm_object *k, struct att *a)
{
	uint8_t copy[2048];
	struct att b = *a;

	assert_true(ossl_check(k, a));
	memcpy(copy, a->raw, a->len);
	copy[a->len / 2] ^= 0x01;
	b.raw = copy;
	assert_false(ossl_check(k, &b));
}

static uint32_t ecc_ak(uint32_t hier, uint32_t *h)
{
	struct tp t;

	ecc_tp(&t, A_AK, 0, TPM_ALG_NULL, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	return create_primary(hier, &t, "", h);
}

static uint32_t certify(uint32_t oh, uint32_t key, const void *extra, uint16_t el, uint16_t scheme)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_Certify);
	u32(&c, oh);
	u32(&c, key);
	pw2(&c);
	b2b(&c, extra, el);
	u16(&c, scheme);
	if (scheme != TPM_ALG_NULL)
		u16(&c, TPM_ALG_SHA256);
	return exec(&c);
}

static void check_certify(uint32_t oh, uint32_t key)
{
	struct vtpm_object *o = obj(oh), *k = obj(key);
	struct att a;

	assert_int_equal(certify(oh, key, "nonce", 5, TPM_ALG_NULL), 0);
	parse(&a);
	assert_int_equal(a.type, TPM_ST_ATTEST_CERTIFY);
	assert_int_equal(a.qsigner_len, k->qname_len);
	assert_memory_equal(a.qsigner, k->qname, k->qname_len);
	assert_int_equal(a.extra_len, 5);
	assert_memory_equal(a.extra, "nonce", 5);
	assert_int_equal(vtpm_be16(a.attested), o->name_len);
	assert_memory_equal(a.attested + 2, o->name, o->name_len);
	assert_int_equal(vtpm_be16(a.attested + 2 + o->name_len), o->qname_len);
	assert_memory_equal(a.attested + 4 + o->name_len, o->qname, o->qname_len);
	assert_int_equal(a.attested + 4 + o->name_len + o->qname_len, a.raw + a.len);
	assert_signed_by(k, &a);
}

static void test_certify_signed_by_ecc_rsa_and_hmac_keys(void **state)
{
	struct tp t;
	struct blob b;
	uint32_t p, ak, hk;

	(void)state;
	assert_int_equal(srk(&p), 0);
	assert_int_equal(ecc_ak(TPM_RH_OWNER, &ak), 0);
	check_certify(p, ak);
	check_certify(ak, ak); /* a key may certify itself */
	assert_int_equal(flush(ak), 0);
	keyed_tp(&t, A_KEY | TPMA_OBJECT_SIGN, TPM_ALG_HMAC);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &hk), 0);
	check_certify(p, hk);
	assert_int_equal(flush(hk), 0);
	if (!have_rsa())
		return;
	head(&t, TPM_ALG_RSA, TPM_ALG_SHA256, A_AK, NULL, 0);
	t16(&t, TPM_ALG_NULL);
	t16(&t, TPM_ALG_RSASSA);
	t16(&t, TPM_ALG_SHA256);
	t16(&t, 2048);
	t32(&t, 0);
	t16(&t, 0);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &ak), 0);
	check_certify(p, ak);
}

static void test_certify_null_sign_handle_and_obfuscation(void **state)
{
	uint32_t p, ak, ek;
	struct att a;

	(void)state;
	assert_int_equal(srk(&p), 0);
	assert_int_equal(certify(p, TPM_RH_NULL, "x", 1, TPM_ALG_ECDSA), 0);
	parse(&a);
	assert_int_equal(a.qsigner_len, 4);
	assert_int_equal(vtpm_be32(a.qsigner), TPM_RH_NULL);
	assert_int_equal(vtpm_be16(a.sig), TPM_ALG_NULL);
	assert_int_equal(a.sig + 2, rsp + rlen - 10); /* TPMT_SIGNATURE ends the parameters; two 5-byte password sessions follow */
	/* an owner-hierarchy signer sees obfuscated counters, an endorsement one the real ones */
	assert_int_equal(ecc_ak(TPM_RH_OWNER, &ak), 0);
	assert_int_equal(certify(p, ak, "", 0, TPM_ALG_NULL), 0);
	parse(&a);
	assert_int_not_equal(a.reset, T->p.reset_count);
	assert_int_equal(flush(ak), 0);
	assert_int_equal(ecc_ak(TPM_RH_ENDORSEMENT, &ek), 0);
	assert_int_equal(certify(p, ek, "", 0, TPM_ALG_NULL), 0);
	parse(&a);
	assert_int_equal(a.reset, T->p.reset_count);
	assert_int_equal(a.restart, T->p.restart_count);
	assert_int_equal(a.clock, vtpm_clock_now(T));
}

static void test_certify_errors(void **state)
{
	struct tp t;
	struct blob b;
	uint32_t p, ak, k;

	(void)state;
	assert_int_equal(srk(&p), 0);
	assert_int_equal(ecc_ak(TPM_RH_OWNER, &ak), 0);
	/* a storage key does not sign */
	assert_int_equal(certify(ak, p, "", 0, TPM_ALG_NULL), RC_H(TPM_RC_KEY, 2));
	/* the restricted key's scheme (ECDSA/SHA-256) wins; another one is refused */
	assert_int_equal(certify(p, ak, "", 0, TPM_ALG_RSASSA), RC_P(TPM_RC_SCHEME, 2));
	/* qualifyingData larger than TPM2B_DATA */
	{
		uint8_t big[80] = { 0 };
		assert_int_equal(certify(p, ak, big, sizeof(big), TPM_ALG_NULL), RC_P(TPM_RC_SIZE, 1));
	}
	/* the object handle is in the ADMIN role: adminWithPolicy keys need a policy session */
	ecc_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT | TPMA_OBJECT_ADMINWITHPOLICY, 0, TPM_ALG_NULL, TPM_ALG_NULL,
	       TPM_ECC_NIST_P256);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &k), 0);
	assert_int_equal(certify(k, ak, "", 0, TPM_ALG_NULL), TPM_RC_AUTH_TYPE);
	/* the same key without adminWithPolicy is certified with its password */
	assert_int_equal(flush(k), 0);
	ecc_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT, 0, TPM_ALG_NULL, TPM_ALG_NULL, TPM_ECC_NIST_P256);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &k), 0);
	assert_int_equal(certify(k, ak, "", 0, TPM_ALG_NULL), 0);
	/* unloaded handles */
	assert_int_equal(certify(0x80FFFFF0u, ak, "", 0, TPM_ALG_NULL) & 0xFFu, TPM_RC_HANDLE & 0xFFu);
}

/* ---- CertifyCreation ---- */

struct creation { uint8_t hash[32], tk[64]; uint16_t tk_len; uint32_t tk_hier; };

static uint32_t certify_creation(uint32_t key, uint32_t oh, const struct creation *cr, uint16_t tag)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_CertifyCreation);
	u32(&c, key);
	u32(&c, oh);
	pw(&c, "");
	b2b(&c, "q", 1);
	b2b(&c, cr->hash, 32);
	u16(&c, TPM_ALG_NULL);
	u16(&c, tag);
	u32(&c, cr->tk_hier);
	b2b(&c, cr->tk, cr->tk_len);
	return exec(&c);
}

static void test_certify_creation(void **state)
{
	struct tp t;
	struct blob b;
	struct creation cr, bad;
	uint32_t p, ak, k;
	const uint8_t *q;
	struct att a;

	(void)state;
	assert_int_equal(srk(&p), 0);
	assert_int_equal(ecc_ak(TPM_RH_OWNER, &ak), 0);
	ecc_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT, 0, TPM_ALG_NULL, TPM_ALG_NULL, TPM_ECC_NIST_P256);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	/* Create's response: outPrivate, outPublic, creationData, creationHash, creationTicket */
	q = rsp + 14;
	q += 2 + vtpm_be16(q);
	q += 2 + vtpm_be16(q);
	q += 2 + vtpm_be16(q);
	assert_int_equal(vtpm_be16(q), 32);
	memcpy(cr.hash, q + 2, 32);
	q += 34;
	assert_int_equal(vtpm_be16(q), TPM_ST_CREATION);
	cr.tk_hier = vtpm_be32(q + 2);
	cr.tk_len = vtpm_be16(q + 6);
	memcpy(cr.tk, q + 8, cr.tk_len);
	assert_int_equal(cr.tk_hier, TPM_RH_OWNER);
	assert_int_equal(load(p, &b, &k), 0);

	assert_int_equal(certify_creation(ak, k, &cr, TPM_ST_CREATION), 0);
	parse(&a);
	assert_int_equal(a.type, TPM_ST_ATTEST_CREATION);
	assert_int_equal(vtpm_be16(a.attested), obj(k)->name_len);
	assert_memory_equal(a.attested + 2, obj(k)->name, obj(k)->name_len);
	assert_int_equal(vtpm_be16(a.attested + 2 + obj(k)->name_len), 32);
	assert_memory_equal(a.attested + 4 + obj(k)->name_len, cr.hash, 32);
	assert_signed_by(obj(ak), &a);
	/* unsigned */
	assert_int_equal(certify_creation(TPM_RH_NULL, k, &cr, TPM_ST_CREATION), 0);
	parse(&a);
	assert_int_equal(vtpm_be16(a.sig), TPM_ALG_NULL);

	/* a ticket of another creation hash, a changed ticket, another hierarchy, a NULL ticket, the
	 * ticket of another object, the wrong tag */
	bad = cr;
	bad.hash[0] ^= 1;
	assert_int_equal(certify_creation(ak, k, &bad, TPM_ST_CREATION), RC_P(TPM_RC_TICKET, 4));
	bad = cr;
	bad.tk[5] ^= 1;
	assert_int_equal(certify_creation(ak, k, &bad, TPM_ST_CREATION), RC_P(TPM_RC_TICKET, 4));
	bad = cr;
	bad.tk_hier = TPM_RH_ENDORSEMENT;
	assert_int_equal(certify_creation(ak, k, &bad, TPM_ST_CREATION), RC_P(TPM_RC_TICKET, 4));
	bad = cr;
	bad.tk_hier = TPM_RH_NULL;
	bad.tk_len = 0;
	assert_int_equal(certify_creation(ak, k, &bad, TPM_ST_CREATION), RC_P(TPM_RC_TICKET, 4));
	assert_int_equal(certify_creation(ak, p, &cr, TPM_ST_CREATION), RC_P(TPM_RC_TICKET, 4));
	assert_int_equal(certify_creation(ak, k, &cr, TPM_ST_HASHCHECK), RC_P(TPM_RC_TAG, 4));
	/* decrypt keys do not sign */
	assert_int_equal(certify_creation(k, k, &cr, TPM_ST_CREATION), RC_H(TPM_RC_KEY, 1));
}

/* ---- GetTime ---- */

static uint32_t get_time(uint32_t admin, uint32_t key)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_GetTime);
	u32(&c, admin);
	u32(&c, key);
	pw2(&c);
	b2b(&c, "t", 1);
	u16(&c, TPM_ALG_NULL);
	return exec(&c);
}

static void test_get_time(void **state)
{
	uint32_t ak;
	struct att a;

	(void)state;
	now_ms += 12345;
	assert_int_equal(ecc_ak(TPM_RH_OWNER, &ak), 0);
	assert_int_equal(get_time(TPM_RH_ENDORSEMENT, ak), 0);
	parse(&a);
	assert_int_equal(a.type, TPM_ST_ATTEST_TIME);
	/* TPMS_TIME_INFO { time, clockInfo } with the real counters, firmwareVersion */
	assert_int_equal(be64(a.attested), vtpm_time_now(T));
	assert_int_equal(be64(a.attested + 8), a.clock);
	assert_int_equal(vtpm_be32(a.attested + 16), T->p.reset_count);
	assert_int_equal(vtpm_be32(a.attested + 20), T->p.restart_count);
	assert_int_equal(a.attested[24], 1);
	assert_int_equal(be64(a.attested + 25), ((uint64_t)VTPM_FIRMWARE_1 << 32) | VTPM_FIRMWARE_2);
	assert_int_equal(a.attested + 33, a.raw + a.len);
	assert_true(vtpm_time_now(T) >= 12345);
	assert_signed_by(obj(ak), &a);
	/* only the privacy administrator (endorsement) may ask */
	assert_int_equal(get_time(TPM_RH_OWNER, ak), RC_H(TPM_RC_VALUE, 1));
	assert_int_equal(get_time(TPM_RH_ENDORSEMENT, TPM_RH_NULL), 0);
	parse(&a);
	assert_int_equal(vtpm_be16(a.sig), TPM_ALG_NULL);
}

/* ---- NV_Certify ---- */

static uint32_t nv_define(uint32_t attrs, uint16_t size)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_DefineSpace);
	u32(&c, TPM_RH_OWNER);
	pw(&c, "");
	u16(&c, 0);
	u16(&c, 14); u32(&c, NV_IDX); u16(&c, TPM_ALG_SHA256); u32(&c, attrs); u16(&c, 0); u16(&c, size);
	return exec(&c);
}

static uint32_t nv_write(const void *data, uint16_t n)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_Write);
	u32(&c, NV_IDX); u32(&c, NV_IDX);
	pw(&c, "");
	b2b(&c, data, n);
	u16(&c, 0);
	return exec(&c);
}

static uint32_t nv_certify(uint32_t key, uint32_t auth, uint16_t size, uint16_t off)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_Certify);
	u32(&c, key);
	u32(&c, auth);
	u32(&c, NV_IDX);
	pw2(&c);
	b2b(&c, "n", 1);
	u16(&c, TPM_ALG_NULL);
	u16(&c, size);
	u16(&c, off);
	return exec(&c);
}

static void test_nv_certify(void **state)
{
	uint8_t data[32], name[34], dg[32];
	uint16_t nl;
	uint32_t ak;
	struct att a;

	(void)state;
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(0x40 + i);
	assert_int_equal(ecc_ak(TPM_RH_OWNER, &ak), 0);
	assert_int_equal(nv_define(TPMA_NV_AUTHREAD | TPMA_NV_AUTHWRITE | TPMA_NV_NO_DA, 32), 0);
	/* not written yet */
	assert_int_equal(nv_certify(ak, NV_IDX, 8, 0), TPM_RC_NV_UNINITIALIZED);
	assert_int_equal(nv_write(data, 32), 0);
	vtpm_nv_name(vtpm_nv_find(T, NV_IDX), name, &nl);

	assert_int_equal(nv_certify(ak, NV_IDX, 16, 8), 0);
	parse(&a);
	assert_int_equal(a.type, TPM_ST_ATTEST_NV);
	assert_int_equal(vtpm_be16(a.attested), nl);
	assert_memory_equal(a.attested + 2, name, nl);
	assert_int_equal(vtpm_be16(a.attested + 2 + nl), 8);
	assert_int_equal(vtpm_be16(a.attested + 4 + nl), 16);
	assert_memory_equal(a.attested + 6 + nl, data + 8, 16);
	assert_int_equal(a.attested + 6 + nl + 16, a.raw + a.len);
	assert_signed_by(obj(ak), &a);

	/* size = offset = 0: the digest of the whole index (TPMS_NV_DIGEST_CERTIFY_INFO) */
	assert_int_equal(nv_certify(ak, NV_IDX, 0, 0), 0);
	parse(&a);
	assert_int_equal(a.type, TPM_ST_ATTEST_NV_DIGEST);
	SHA256(data, 32, dg);
	assert_int_equal(vtpm_be16(a.attested + 2 + nl), 32);
	assert_memory_equal(a.attested + 4 + nl, dg, 32);
	assert_signed_by(obj(ak), &a);
	assert_int_equal(nv_certify(TPM_RH_NULL, NV_IDX, 4, 0), 0);
	parse(&a);
	assert_int_equal(vtpm_be16(a.sig), TPM_ALG_NULL);

	/* range and authorization errors */
	assert_int_equal(nv_certify(ak, NV_IDX, 8, 28), TPM_RC_NV_RANGE);
	assert_int_equal(nv_certify(ak, NV_IDX, 33, 0), TPM_RC_NV_RANGE);
	assert_int_equal(nv_certify(ak, NV_IDX, 2000, 0), RC_P(TPM_RC_VALUE, 3));
	assert_int_equal(nv_certify(ak, TPM_RH_OWNER, 8, 0), TPM_RC_NV_AUTHORIZATION); /* no OWNERREAD */
	assert_int_equal(nv_certify(ak, TPM_RH_ENDORSEMENT, 8, 0), RC_H(TPM_RC_VALUE, 2));
	assert_int_equal(nv_certify(ak, NV_IDX, 8, 0), 0);
}

/* ---- restricted keys and TPM_GENERATED_VALUE ---- */

static uint32_t hash_cmd(const uint8_t *data, uint16_t n)
{
	struct cb c;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_Hash);
	b2b(&c, data, n);
	u16(&c, TPM_ALG_SHA256);
	u32(&c, TPM_RH_OWNER);
	return exec(&c);
}

/* Signs the digest of the last Hash response with its ticket. */
static uint32_t sign_ticketed(uint32_t key)
{
	uint8_t dg[32], tk[80];
	uint16_t tkl = vtpm_be16(rsp + 10 + 34 + 6);
	uint32_t hier = vtpm_be32(rsp + 10 + 34 + 2);
	struct cb c;

	memcpy(dg, rsp + 12, 32);
	memcpy(tk, rsp + 10 + 34 + 8, tkl);
	start(&c, TPM_ST_SESSIONS, TPM_CC_Sign);
	u32(&c, key);
	pw(&c, "");
	b2b(&c, dg, 32);
	u16(&c, TPM_ALG_NULL);
	u16(&c, TPM_ST_HASHCHECK);
	u32(&c, hier);
	b2b(&c, tk, tkl);
	return exec(&c);
}

static void test_restricted_key_refuses_generated_data(void **state)
{
	uint8_t msg[16] = { 0xFF, 0x54, 0x43, 0x47, 0x80, 0x18 }; /* looks like a TPMS_ATTEST */
	uint32_t ak;

	(void)state;
	assert_int_equal(ecc_ak(TPM_RH_OWNER, &ak), 0);
	assert_int_equal(hash_cmd(msg, sizeof(msg)), 0);
	assert_int_equal(vtpm_be32(rsp + 10 + 34 + 2), TPM_RH_NULL); /* a NULL ticket */
	assert_int_equal(sign_ticketed(ak), RC_P(TPM_RC_TICKET, 3));
	msg[0] = 0xFE;
	assert_int_equal(hash_cmd(msg, sizeof(msg)), 0);
	assert_int_equal(sign_ticketed(ak), 0);
	/* the TPM's own attestations start with TPM_GENERATED_VALUE and the restricted key signs them */
	assert_int_equal(get_time(TPM_RH_ENDORSEMENT, ak), 0);
}

/* ---- audit sessions ---- */

struct hs { uint32_t h; uint8_t nt[32]; };

static void start_session(struct hs *s)
{
	static const uint8_t nc[16] = { 1, 2, 3 };
	struct cb c;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_StartAuthSession);
	u32(&c, TPM_RH_NULL);
	u32(&c, TPM_RH_NULL);
	b2b(&c, nc, 16);
	u16(&c, 0);
	u8(&c, TPM_SE_HMAC);
	u16(&c, TPM_ALG_NULL);
	u16(&c, TPM_ALG_SHA256);
	assert_int_equal(exec(&c), 0);
	s->h = vtpm_be32(rsp + 10);
	memcpy(s->nt, rsp + 16, 32);
}

/* GetRandom(8) with session s as an audit session (unbound, unsalted: HMAC key empty). Updates
 * *digest as the test expects the TPM to: H(digest || cpHash || rpHash), from zeros on reset. */
static uint32_t audited_get_random(struct hs *s, uint8_t attrs, uint8_t digest[32])
{
	uint8_t cp[32], rp[32], mac[32], buf[128], nc[16];
	unsigned ml;
	struct cb c;
	uint32_t rc;

	memset(nc, attrs, sizeof(nc));
	vtpm_set_be32(buf, TPM_CC_GetRandom);
	vtpm_set_be16(buf + 4, 8);
	sha256(buf, 6, cp);
	memcpy(buf, cp, 32);
	memcpy(buf + 32, nc, 16);
	memcpy(buf + 48, s->nt, 32);
	buf[80] = attrs;
	HMAC(EVP_sha256(), "", 0, buf, 81, mac, &ml);
	start(&c, TPM_ST_SESSIONS, TPM_CC_GetRandom);
	u32(&c, 4 + 2 + 16 + 1 + 2 + 32);
	u32(&c, s->h);
	b2b(&c, nc, 16);
	u8(&c, attrs);
	b2b(&c, mac, 32);
	u16(&c, 8);
	rc = exec(&c);
	if (rc)
		return rc;
	assert_int_equal(vtpm_be32(rsp + 10), 10);
	memcpy(s->nt, rsp + 26, 32);
	vtpm_set_be32(buf, 0);
	vtpm_set_be32(buf + 4, TPM_CC_GetRandom);
	memcpy(buf + 8, rsp + 14, 10);
	sha256(buf, 18, rp);
	if (attrs & TPMA_SESSION_AUDITRESET)
		memset(digest, 0, 32);
	memcpy(buf, digest, 32);
	memcpy(buf + 32, cp, 32);
	memcpy(buf + 64, rp, 32);
	sha256(buf, 96, digest);
	return 0;
}

static uint32_t session_audit_digest(uint32_t key, uint32_t sh)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_GetSessionAuditDigest);
	u32(&c, TPM_RH_ENDORSEMENT);
	u32(&c, key);
	u32(&c, sh);
	pw2(&c);
	b2b(&c, "a", 1);
	u16(&c, TPM_ALG_NULL);
	return exec(&c);
}

static void test_session_audit_digest(void **state)
{
	uint8_t digest[32] = { 0 };
	struct hs s;
	struct att a;
	uint32_t ak;
	struct cb c;

	(void)state;
	assert_int_equal(ecc_ak(TPM_RH_OWNER, &ak), 0);
	start_session(&s);
	/* a session that never audited reports an empty digest */
	assert_int_equal(session_audit_digest(ak, s.h), 0);
	parse(&a);
	assert_int_equal(a.type, TPM_ST_ATTEST_SESSION_AUDIT);
	assert_int_equal(a.attested[0], 0);
	assert_int_equal(vtpm_be16(a.attested + 1), 0);
	/* two audited commands: the response says exclusive, the digest chains */
	assert_int_equal(audited_get_random(&s, TPMA_SESSION_CONTINUESESSION | TPMA_SESSION_AUDIT, digest), 0);
	assert_int_equal(rsp[58], TPMA_SESSION_CONTINUESESSION | TPMA_SESSION_AUDIT | TPMA_SESSION_AUDITEXCLUSIVE);
	assert_int_equal(audited_get_random(&s, TPMA_SESSION_CONTINUESESSION | TPMA_SESSION_AUDIT |
							 TPMA_SESSION_AUDITEXCLUSIVE, digest), 0);
	assert_int_equal(session_audit_digest(ak, s.h), 0);
	parse(&a);
	assert_int_equal(a.attested[0], 1); /* still exclusive when GetSessionAuditDigest runs */
	assert_int_equal(vtpm_be16(a.attested + 1), 32);
	assert_memory_equal(a.attested + 3, digest, 32);
	assert_int_equal(a.attested + 35, a.raw + a.len);
	assert_signed_by(obj(ak), &a);
	/* ... which ran without it: no longer exclusive, and auditExclusive is refused */
	assert_int_equal(audited_get_random(&s, TPMA_SESSION_CONTINUESESSION | TPMA_SESSION_AUDIT |
							 TPMA_SESSION_AUDITEXCLUSIVE, digest),
			 RC_S(TPM_RC_EXCLUSIVE, 1));
	assert_int_equal(audited_get_random(&s, TPMA_SESSION_CONTINUESESSION | TPMA_SESSION_AUDIT, digest), 0);
	assert_int_equal(rsp[58], TPMA_SESSION_CONTINUESESSION | TPMA_SESSION_AUDIT);
	assert_int_equal(session_audit_digest(TPM_RH_NULL, s.h), 0);
	parse(&a);
	assert_int_equal(a.attested[0], 0);
	assert_memory_equal(a.attested + 3, digest, 32);
	assert_int_equal(vtpm_be16(a.sig), TPM_ALG_NULL);
	/* auditReset starts again from zeros and makes the session exclusive */
	assert_int_equal(audited_get_random(&s, TPMA_SESSION_CONTINUESESSION | TPMA_SESSION_AUDIT |
							 TPMA_SESSION_AUDITRESET, digest), 0);
	assert_int_equal(rsp[58] & TPMA_SESSION_AUDITEXCLUSIVE, TPMA_SESSION_AUDITEXCLUSIVE);
	assert_int_equal(session_audit_digest(ak, s.h), 0);
	parse(&a);
	assert_int_equal(a.attested[0], 1);
	assert_memory_equal(a.attested + 3, digest, 32);
	/* errors: auditReset without audit, audit on a password session, wrong privacy admin, no session */
	assert_int_equal(audited_get_random(&s, TPMA_SESSION_CONTINUESESSION | TPMA_SESSION_AUDITRESET, digest),
			 RC_S(TPM_RC_ATTRIBUTES, 1));
	start(&c, TPM_ST_SESSIONS, TPM_CC_GetRandom);
	u32(&c, 9); u32(&c, TPM_RS_PW); u16(&c, 0); u8(&c, TPMA_SESSION_CONTINUESESSION | TPMA_SESSION_AUDIT); u16(&c, 0);
	u16(&c, 8);
	assert_int_equal(exec(&c), RC_S(TPM_RC_ATTRIBUTES, 1));
	start(&c, TPM_ST_SESSIONS, TPM_CC_GetSessionAuditDigest);
	u32(&c, TPM_RH_OWNER); u32(&c, ak); u32(&c, s.h);
	pw2(&c);
	b2b(&c, "", 0); u16(&c, TPM_ALG_NULL);
	assert_int_equal(exec(&c), RC_H(TPM_RC_VALUE, 1));
	assert_int_equal(session_audit_digest(ak, 0x02FFFFF0u) & 0xFFu, TPM_RC_HANDLE & 0xFFu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_certify_signed_by_ecc_rsa_and_hmac_keys, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_certify_null_sign_handle_and_obfuscation, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_certify_errors, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_certify_creation, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_get_time, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_nv_certify, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_restricted_key_refuses_generated_data, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_session_audit_digest, setup_started, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
