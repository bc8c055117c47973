/* vTPM ECDH_KeyGen and ECDH_ZGen (issue 6, attest part) against OpenSSL's point multiplication on
 * P-256 and P-384, and their key rules. */
/* the EC_KEY interface keeps the OpenSSL cross-checks short */
#define OPENSSL_API_COMPAT 0x10100000L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include "vtpm/internal.h"

#include "tests/unit/vtpm_objects_util.h"

/* ---- ECDH ---- */

static int nid_of(uint16_t curve) { return curve == TPM_ECC_NIST_P256 ? NID_X9_62_prime256v1 : NID_secp384r1; }

/* OpenSSL's d·Q (x || y, sz bytes each) */
static void ossl_mul(uint16_t curve, const uint8_t *d, const uint8_t *xy, size_t sz, uint8_t *out)
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(nid_of(curve));
	EC_POINT *p = EC_POINT_new(g), *r = EC_POINT_new(g);
	uint8_t in[97], o[97];
	BIGNUM *k = BN_bin2bn(d, (int)sz, NULL);

	in[0] = 4;
	memcpy(in + 1, xy, 2 * sz);
	assert_int_equal(EC_POINT_oct2point(g, p, in, 1 + 2 * sz, NULL), 1);
	assert_int_equal(EC_POINT_mul(g, r, NULL, p, k, NULL), 1);
	assert_int_equal(EC_POINT_point2oct(g, r, POINT_CONVERSION_UNCOMPRESSED, o, sizeof(o), NULL), 1 + 2 * sz);
	memcpy(out, o + 1, 2 * sz);
	BN_free(k);
	EC_POINT_free(p);
	EC_POINT_free(r);
	EC_GROUP_free(g);
}

/* TPM2B_ECC_POINT at p into xy; returns the bytes it took */
static size_t get_point(const uint8_t *p, size_t sz, uint8_t *xy)
{
	assert_int_equal(vtpm_be16(p), 4 + 2 * sz);
	assert_int_equal(vtpm_be16(p + 2), sz);
	memcpy(xy, p + 4, sz);
	assert_int_equal(vtpm_be16(p + 4 + sz), sz);
	memcpy(xy + sz, p + 6 + sz, sz);
	return 6 + 2 * sz;
}

static uint32_t zgen(uint32_t key, const uint8_t *xy, size_t sz)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_ECDH_ZGen);
	u32(&c, key);
	pw(&c, "");
	u16(&c, (uint16_t)(4 + 2 * sz));
	b2b(&c, xy, (uint16_t)sz);
	b2b(&c, xy + sz, (uint16_t)sz);
	return exec(&c);
}

static uint32_t keygen(uint32_t key)
{
	struct cb c;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ECDH_KeyGen);
	u32(&c, key);
	return exec(&c);
}

static void check_ecdh(uint16_t curve, size_t sz)
{
	uint8_t z[96], q[96], want[96], z2[96];
	struct tp t;
	struct blob b;
	uint32_t p, k;
	size_t n;

	assert_int_equal(srk(&p), 0);
	ecc_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT, 0, TPM_ALG_NULL, TPM_ALG_ECDH, curve);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &k), 0);
	/* KeyGen: Z = d_e·Q_key; OpenSSL gets the same from the key's side, d_key·Q_e */
	assert_int_equal(keygen(k), 0);
	n = get_point(rsp + 10, sz, z);
	(void)get_point(rsp + 10 + n, sz, q);
	ossl_mul(curve, obj(k)->key, q, sz, want);
	assert_memory_equal(z, want, 2 * sz);
	/* ZGen with the ephemeral point gives Z back; a second KeyGen draws a new ephemeral key */
	assert_int_equal(zgen(k, q, sz), 0);
	(void)get_point(rsp + 14, sz, z2);
	assert_memory_equal(z2, z, 2 * sz);
	assert_int_equal(keygen(k), 0);
	assert_memory_not_equal(rsp + 10 + n + 4, q, sz);
	/* a point off the curve, a coordinate too long, a wrong outer size */
	q[2 * sz - 1] ^= 1;
	assert_int_equal(zgen(k, q, sz), RC_P(TPM_RC_ECC_POINT, 1));
	{
		struct cb c;
		start(&c, TPM_ST_SESSIONS, TPM_CC_ECDH_ZGen);
		u32(&c, k);
		pw(&c, "");
		u16(&c, (uint16_t)(3 + 2 * sz));
		b2b(&c, z, (uint16_t)sz);
		b2b(&c, z + sz, (uint16_t)sz);
		assert_int_equal(exec(&c), RC_P(TPM_RC_SIZE, 1));
	}
	assert_int_equal(flush(k), 0);
	assert_int_equal(flush(p), 0);
}

static void test_ecdh_keygen_zgen_match_openssl(void **state)
{
	(void)state;
	check_ecdh(TPM_ECC_NIST_P256, 32);
	if (vtpm_have_p384())
		check_ecdh(TPM_ECC_NIST_P384, 48);
}

static void test_ecdh_key_rules(void **state)
{
	uint8_t xy[64], want[64];
	struct tp t;
	struct blob b;
	uint32_t p, k;

	(void)state;
	assert_int_equal(srk(&p), 0);
	memcpy(xy, obj(p)->ecc_xy, 64);
	/* restricted decryption keys (parents) may not be used for ZGen */
	assert_int_equal(zgen(p, xy, 32), RC_H(TPM_RC_ATTRIBUTES, 1));
	/* signing keys neither */
	ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN, 0, TPM_ALG_NULL, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &k), 0);
	assert_int_equal(zgen(k, xy, 32), RC_H(TPM_RC_ATTRIBUTES, 1));
	/* KeyGen needs only the public key: a signing key's point is fine */
	assert_int_equal(keygen(k), 0);
	assert_int_equal(flush(k), 0);
	/* a key that both signs and decrypts has the NULL scheme (Create refuses ECDSA there: the
	 * TPM_RC_SCHEME check of ZGen guards keys loaded otherwise) and may be used */
	ecc_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT | TPMA_OBJECT_SIGN, 0, TPM_ALG_NULL, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), RC_P(TPM_RC_SCHEME, 2));
	ecc_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT | TPMA_OBJECT_SIGN, 0, TPM_ALG_NULL, TPM_ALG_NULL, TPM_ECC_NIST_P256);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &k), 0);
	assert_int_equal(zgen(k, xy, 32), 0);
	ossl_mul(TPM_ECC_NIST_P256, obj(k)->key, xy, 32, want);
	assert_memory_equal(rsp + 14 + 4, want, 32);
	assert_int_equal(flush(k), 0);
	/* non-ECC keys */
	keyed_tp(&t, A_KEY | TPMA_OBJECT_SIGN, TPM_ALG_HMAC);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &k), 0);
	assert_int_equal(keygen(k), RC_H(TPM_RC_KEY, 1));
	assert_int_equal(zgen(k, xy, 32), RC_H(TPM_RC_KEY, 1));
	assert_int_equal(keygen(0x80FFFFF0u), RC_H(TPM_RC_HANDLE, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ecdh_keygen_zgen_match_openssl, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_ecdh_key_rules, setup_started, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
