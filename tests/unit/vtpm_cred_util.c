/* Helpers shared by the credential and duplication tests (vtpm_cred_util.h): the OpenSSL side of
 * secret sharing and the outer wrapper, and the vTPM commands both test files drive. */
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

#include "tests/unit/vtpm_cred_util.h"

uint32_t activate(uint32_t obj_h, uint32_t key, const struct cred *cr)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_ActivateCredential);
	u32(&c, obj_h);
	u32(&c, key);
	pw2(&c);
	b2b(&c, cr->blob, cr->bl);
	b2b(&c, cr->secret, cr->sl);
	return exec(&c);
}

void cfb128(const uint8_t *key, size_t kl, uint8_t *buf, size_t n, int enc)
{
	uint8_t iv[16] = { 0 }, out[1024];
	int ol = 0;
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();

	assert_true(n <= sizeof(out));
	EVP_CipherInit_ex(x, kl == 16 ? EVP_aes_128_cfb128() : EVP_aes_256_cfb128(), NULL, key, iv, enc);
	EVP_CipherUpdate(x, out, &ol, buf, (int)n);
	EVP_CIPHER_CTX_free(x);
	memcpy(buf, out, n);
}

/* A fresh P-256 key: d and Q = x || y */
void ec_keypair(uint8_t d[32], uint8_t xy[64])
{
	EC_KEY *k = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	BIGNUM *x = BN_new(), *y = BN_new();

	assert_int_equal(EC_KEY_generate_key(k), 1);
	BN_bn2binpad(EC_KEY_get0_private_key(k), d, 32);
	EC_POINT_get_affine_coordinates(EC_KEY_get0_group(k), EC_KEY_get0_public_key(k), x, y, NULL);
	BN_bn2binpad(x, xy, 32);
	BN_bn2binpad(y, xy + 32, 32);
	BN_free(x); BN_free(y);
	EC_KEY_free(k);
}

/* secret sharing to an ECC P-256 key (x || y) as a remote party does it: seed and TPMS_ECC_POINT */
size_t ecc_share(const uint8_t kxy[64], const char *label, uint8_t seed[32], uint8_t *secret)
{
	uint8_t d[32], qe[64], z[32];

	ec_keypair(d, qe);
	ecdh(d, kxy, kxy + 32, z);
	kdfe(z, label, qe, kxy, seed);
	secret[0] = 0; secret[1] = 32; memcpy(secret + 2, qe, 32);
	secret[34] = 0; secret[35] = 32; memcpy(secret + 36, qe + 32, 32);
	return 68;
}

/* x(d·(px, py)) on P-256 */
void ecdh(const uint8_t d[32], const uint8_t px[32], const uint8_t py[32], uint8_t zx[32])
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *p = EC_POINT_new(g), *z = EC_POINT_new(g);
	BIGNUM *bd = BN_bin2bn(d, 32, NULL), *x = BN_bin2bn(px, 32, NULL), *y = BN_bin2bn(py, 32, NULL);

	assert_int_equal(EC_POINT_set_affine_coordinates(g, p, x, y, NULL), 1);
	EC_POINT_mul(g, z, NULL, p, bd, NULL);
	EC_POINT_get_affine_coordinates(g, z, x, NULL, NULL);
	BN_bn2binpad(x, zx, 32);
	BN_free(bd); BN_free(x); BN_free(y);
	EC_POINT_free(p); EC_POINT_free(z);
	EC_GROUP_free(g);
}

void hmac256(const uint8_t *key, const uint8_t *a, size_t al, const uint8_t *b, size_t bl, uint8_t out[32])
{
	uint8_t in[1200];
	unsigned ol = 32;

	memcpy(in, a, al);
	memcpy(in + al, b, bl);
	HMAC(EVP_sha256(), key, 32, in, al + bl, out, &ol);
}

/* KDFe(SHA-256, Z, label, u, v, 256) = H(00000001 || Z || label\0 || u || v) */
void kdfe(const uint8_t z[32], const char *label, const uint8_t u[32], const uint8_t v[32], uint8_t out[32])
{
	uint8_t in[4 + 32 + 16 + 64];
	size_t ll = strlen(label) + 1, n = 0;

	memcpy(in, "\0\0\0\1", 4); n = 4;
	memcpy(in + n, z, 32); n += 32;
	memcpy(in + n, label, ll); n += ll;
	memcpy(in + n, u, 32); n += 32;
	memcpy(in + n, v, 32); n += 32;
	sha256(in, n, out);
}

uint32_t make_credential(uint32_t key, const void *cred, uint16_t cl, const uint8_t *name, uint16_t nl,
				struct cred *out)
{
	struct cb c;
	uint32_t rc;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_MakeCredential);
	u32(&c, key);
	b2b(&c, cred, cl);
	b2b(&c, name, nl);
	rc = exec(&c);
	if (rc == 0) {
		out->bl = vtpm_be16(rsp + 10);
		memcpy(out->blob, rsp + 12, out->bl);
		out->sl = vtpm_be16(rsp + 12 + out->bl);
		memcpy(out->secret, rsp + 14 + out->bl, out->sl);
	}
	return rc;
}

void name_of_pub(const uint8_t *pub, size_t n, uint8_t name[34])
{
	name[0] = 0; name[1] = 0x0b;
	sha256(pub, n, name + 2);
}

/* The outer wrapper (Part 1, 23.3.2.2 / 24.4) with AES-128 and SHA-256: integrity TPM2B || enc */
size_t outer_wrap(const uint8_t seed[32], const uint8_t *name, size_t nl, const uint8_t *plain, size_t n,
			 uint8_t *out)
{
	uint8_t sym[16], hk[32];

	ossl_kdfa(seed, 32, "STORAGE", name, nl, NULL, 0, sym, 128);
	ossl_kdfa(seed, 32, "INTEGRITY", NULL, 0, NULL, 0, hk, 256);
	memcpy(out + 34, plain, n);
	cfb128(sym, 16, out + 34, n, 1);
	out[0] = 0; out[1] = 32;
	hmac256(hk, out + 34, n, name, nl, out + 2);
	return 34 + n;
}

/* Two password authorizations (ActivateCredential) */
void pw2(struct cb *c)
{
	u32(c, 18);
	for (int i = 0; i < 2; i++) {
		u32(c, TPM_RS_PW); u16(c, 0); u8(c, 1); u16(c, 0);
	}
}
