/* core/crypto ECC P-256 and P-384: published vectors typed in from the documents (RFC 6979 A.2.5 key pair and
 * deterministic signature, NIST CAVP KAS ECC CDH P-256 COUNT 0), the frozen seed derivation's
 * pinned vector, point validation, and random cross-checks against OpenSSL both ways. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "core/crypto/crypto.h"
#include "tests/unit/crypto_test_util.h"


static struct test_rng rng = { 0x243F6A8885A308D3ull };
static void fill(void *p, size_t n)
{
	test_rng_fill(&rng, p, n);
}

/* RFC 6979 A.2.5 (P-256): key pair, and the SHA-256 signature of "sample" with its deterministic k. */
static const char *RFC_D = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721";
static const char *RFC_QX = "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6";
static const char *RFC_QY = "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299";

static void test_p256_public_rfc6979(void **state)
{
	uint8_t d[32], xy[64];

	(void)state;
	test_unhex(RFC_D, d);
	assert_true(crypto_p256_public(d, xy));
	test_assert_hex(xy, RFC_QX);
	test_assert_hex(xy + 32, RFC_QY);
	assert_true(crypto_p256_point_valid(xy));
}

static void test_ecdsa_rfc6979_sample_sha256(void **state)
{
	uint8_t d[32], xy[64], h[32], rs[64];

	(void)state;
	test_unhex(RFC_D, d);
	assert_true(crypto_p256_public(d, xy));
	crypto_hash(CRYPTO_SHA256, "sample", 6, h);
	assert_true(crypto_ecdsa_p256_sign(d, CRYPTO_SHA256, h, rs));
	test_assert_hex(rs, "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716");
	test_assert_hex(rs + 32, "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
	assert_true(crypto_ecdsa_p256_verify(xy, h, 32, rs));
	rs[63] ^= 1;
	assert_false(crypto_ecdsa_p256_verify(xy, h, 32, rs));
	rs[63] ^= 1;
	h[0] ^= 1;
	assert_false(crypto_ecdsa_p256_verify(xy, h, 32, rs));
}

/* NIST CAVP KAS ECC CDH primitive test vectors (ecccdhtestvectors), P-256, COUNT = 0. */
static void test_ecdh_cavp_count0(void **state)
{
	uint8_t d[32], peer[64], xy[64], z[32];

	(void)state;
	test_unhex("700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d287"
	      "db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4ac", peer);
	test_unhex("7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534", d);
	assert_true(crypto_p256_public(d, xy));
	test_assert_hex(xy, "ead218590119e8876b29146ff89ca61770c4edbbf97d38ce385ed281d8a6b230"
		       "28af61281fd35e2fa7002523acc85a429cb06ee6648325389f59edfce1405141");
	assert_true(crypto_ecdh_p256(d, peer, z));
	test_assert_hex(z, "46fc62106420ff012e54a434fbdd2d25ccc5852060561e68040dd7778997bd7b");
}

static void test_point_and_scalar_validation(void **state)
{
	static const char *P = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";
	static const char *N = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
	uint8_t d[32], xy[64], bad[64], z[32], h[32] = { 1 }, rs[64] = { 1 };

	(void)state;
	test_unhex(RFC_D, d);
	assert_true(crypto_p256_public(d, xy));
	/* off the curve */
	memcpy(bad, xy, 64);
	bad[63] ^= 1;
	assert_false(crypto_p256_point_valid(bad));
	assert_false(crypto_ecdh_p256(d, bad, z));
	assert_false(crypto_ecdsa_p256_verify(bad, h, 32, rs));
	/* (0, 0) and all-zero (no encoding of infinity) */
	memset(bad, 0, 64);
	assert_false(crypto_p256_point_valid(bad));
	/* x + p: the same residue as a valid x, but not reduced */
	memcpy(bad, xy, 64);
	{
		uint8_t p[32];
		unsigned carry = 0;
		test_unhex(P, p);
		for (int i = 31; i >= 0; i--) {
			unsigned v = bad[i] + p[i] + carry;
			bad[i] = (uint8_t)v;
			carry = v >> 8;
		}
		if (!carry) /* only meaningful when x + p still fits in 32 bytes */
			assert_false(crypto_p256_point_valid(bad));
	}
	/* scalars: 0, n, n-1 */
	memset(d, 0, 32);
	assert_false(crypto_p256_scalar_valid(d));
	assert_false(crypto_p256_public(d, xy));
	test_unhex(N, d);
	assert_false(crypto_p256_scalar_valid(d));
	d[31]--;
	assert_true(crypto_p256_scalar_valid(d));
	assert_true(crypto_p256_public(d, xy)); /* (n-1)G = -G */
	test_assert_hex(xy, "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
}

/* The frozen derivation (docs/crypto.md): pinned output for a fixed seed and context. If this
 * vector changes, every existing primary key changes: do not update it, add a new version. */
static void test_p256_derive_pinned_vector(void **state)
{
	uint8_t seed[64], d[32], d2[32], ctx[] = "context-u";

	(void)state;
	for (int i = 0; i < 64; i++)
		seed[i] = (uint8_t)i;
	assert_true(crypto_p256_derive(CRYPTO_SHA256, seed, 64, "Primary Object Creation", ctx, 9, NULL, 0, d));
	assert_true(crypto_p256_scalar_valid(d));
	/* It is the first block of KDFa(..., 1024 bits) when that block is in range. */
	{
		uint8_t s[128];
		assert_true(crypto_kdfa(CRYPTO_SHA256, seed, 64, "Primary Object Creation", ctx, 9, NULL, 0, 1024, s));
		assert_memory_equal(d, s, 32);
	}
	/* computed independently with Python hmac/hashlib when the derivation was frozen */
	test_assert_hex(d, "1ad4e1002b28c6983b647976e40b717e2a85456dfc536474fa2cca5bb9097bb3");
	assert_true(crypto_p256_derive(CRYPTO_SHA256, seed, 64, "Primary Object Creation", ctx, 9, NULL, 0, d2));
	assert_memory_equal(d, d2, 32);
	ctx[0] ^= 1;
	assert_true(crypto_p256_derive(CRYPTO_SHA256, seed, 64, "Primary Object Creation", ctx, 9, NULL, 0, d2));
	assert_memory_not_equal(d, d2, 32);
	assert_false(crypto_p256_derive(CRYPTO_HASH_COUNT, seed, 64, "x", NULL, 0, NULL, 0, d2));
}

/* OpenSSL helpers: an EVP_PKEY from our raw public point (and optionally scalar); len is the
 * coordinate size (32 for P-256, 48 for P-384). */
static EVP_PKEY *ossl_key_curve(size_t len, const uint8_t *xy, const uint8_t *d)
{
	uint8_t q[97];
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *pk = NULL;
	BIGNUM *bn = NULL;

	q[0] = 4;
	memcpy(q + 1, xy, 2 * len);
	OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, len == 32 ? "prime256v1" : "secp384r1", 0);
	OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, q, 1 + 2 * len);
	if (d) {
		bn = BN_bin2bn(d, (int)len, NULL);
		OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, bn);
	}
	params = OSSL_PARAM_BLD_to_param(b);
	assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
	assert_int_equal(EVP_PKEY_fromdata(ctx, &pk, d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params), 1);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	EVP_PKEY_CTX_free(ctx);
	BN_clear_free(bn);
	return pk;
}

static EVP_PKEY *ossl_key(const uint8_t xy[64], const uint8_t *d)
{
	return ossl_key_curve(32, xy, d);
}

static size_t der_from_rs_len(const uint8_t *rs, size_t len, uint8_t *der)
{
	ECDSA_SIG *s = ECDSA_SIG_new();
	unsigned char *p = der;
	int n;

	ECDSA_SIG_set0(s, BN_bin2bn(rs, (int)len, NULL), BN_bin2bn(rs + len, (int)len, NULL));
	n = i2d_ECDSA_SIG(s, &p);
	ECDSA_SIG_free(s);
	return (size_t)n;
}

static void rs_from_der_len(const uint8_t *der, size_t n, uint8_t *rs, size_t len)
{
	const unsigned char *p = der;
	ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)n);
	const BIGNUM *r, *sv;

	assert_non_null(s);
	ECDSA_SIG_get0(s, &r, &sv);
	assert_int_equal(BN_bn2binpad(r, rs, (int)len), (int)len);
	assert_int_equal(BN_bn2binpad(sv, rs + len, (int)len), (int)len);
	ECDSA_SIG_free(s);
}

static size_t der_from_rs(const uint8_t rs[64], uint8_t *der)
{
	return der_from_rs_len(rs, 32, der);
}

static void rs_from_der(const uint8_t *der, size_t n, uint8_t rs[64])
{
	rs_from_der_len(der, n, rs, 32);
}

static void test_ecdsa_ecdh_cross_check_openssl(void **state)
{
	static const enum crypto_hash_alg algs[] = { CRYPTO_SHA1, CRYPTO_SHA256, CRYPTO_SHA384, CRYPTO_SHA512 };

	(void)state;
	for (int iter = 0; iter < 24; iter++) {
		uint8_t seed[32], d[32], xy[64], d2[32], xy2[64], h[64], rs[64], der[80], z1[32], z2[32];
		enum crypto_hash_alg a = algs[iter % 4];
		size_t hl = crypto_hash_size(a), dl = sizeof(der), zl = 32;
		EVP_PKEY *pk, *pk2;
		EVP_PKEY_CTX *c;

		fill(seed, sizeof(seed));
		assert_true(crypto_p256_derive(CRYPTO_SHA256, seed, 32, "test", NULL, 0, NULL, 0, d));
		assert_true(crypto_p256_public(d, xy));
		fill(seed, sizeof(seed));
		assert_true(crypto_p256_derive(CRYPTO_SHA256, seed, 32, "test", NULL, 0, NULL, 0, d2));
		assert_true(crypto_p256_public(d2, xy2));
		fill(h, hl);
		pk = ossl_key(xy, d);
		pk2 = ossl_key(xy2, NULL);
		/* OpenSSL accepts our public key as the public key of our scalar (pairwise check). */
		c = EVP_PKEY_CTX_new(pk, NULL);
		assert_int_equal(EVP_PKEY_pairwise_check(c), 1);
		/* Mantle signs, OpenSSL verifies. */
		assert_true(crypto_ecdsa_p256_sign(d, a, h, rs));
		dl = der_from_rs(rs, der);
		assert_int_equal(EVP_PKEY_verify_init(c), 1);
		assert_int_equal(EVP_PKEY_verify(c, der, dl, h, hl), 1);
		/* OpenSSL signs, Mantle verifies. */
		assert_int_equal(EVP_PKEY_sign_init(c), 1);
		dl = sizeof(der);
		assert_int_equal(EVP_PKEY_sign(c, der, &dl, h, hl), 1);
		rs_from_der(der, dl, rs);
		assert_true(crypto_ecdsa_p256_verify(xy, h, hl, rs));
		h[0] ^= 0x80; /* the leftmost 256 bits are what counts (FIPS 186-4 6.4) */
		assert_false(crypto_ecdsa_p256_verify(xy, h, hl, rs));
		/* ECDH: Mantle's Z equals OpenSSL's. */
		assert_true(crypto_ecdh_p256(d, xy2, z1));
		assert_int_equal(EVP_PKEY_derive_init(c), 1);
		assert_int_equal(EVP_PKEY_derive_set_peer(c, pk2), 1);
		assert_int_equal(EVP_PKEY_derive(c, z2, &zl), 1);
		assert_int_equal(zl, 32);
		assert_memory_equal(z1, z2, 32);
		EVP_PKEY_CTX_free(c);
		EVP_PKEY_free(pk);
		EVP_PKEY_free(pk2);
	}
}

/* ---- P-384 ---- */

/* RFC 6979 A.2.6 (P-384): key pair, and the SHA-384 signature of "sample" with its deterministic k. */
static const char *RFC384_D = "6b9d3dad2e1b8c1c05b19875b6659f4de23c3b667bf297ba9aa47740787137d8"
			      "96d5724e4c70a825f872c9ea60d2edf5";
static const char *RFC384_Q = "ec3a4e415b4e19a4568618029f427fa5da9a8bc4ae92e02e06aae5286b300c64"
			      "def8f0ea9055866064a254515480bc13"
			      "8015d9b72d7d57244ea8ef9ac0c621896708a59367f9dfb9f54ca84b3f1c9db1"
			      "288b231c3ae0d4fe7344fd2533264720";

static void test_p384_public_and_ecdsa_rfc6979_sample(void **state)
{
	uint8_t d[48], xy[96], h[48], rs[96];

	(void)state;
	test_unhex(RFC384_D, d);
	assert_true(crypto_p384_public(d, xy));
	test_assert_hex(xy, RFC384_Q);
	assert_true(crypto_p384_point_valid(xy));
	crypto_hash(CRYPTO_SHA384, "sample", 6, h);
	assert_true(crypto_ecdsa_p384_sign(d, CRYPTO_SHA384, h, rs));
	test_assert_hex(rs, "94edbb92a5ecb8aad4736e56c691916b3f88140666ce9fa73d64c4ea95ad133c"
		       "81a648152e44acf96e36dd1e80fabe46"
		       "99ef4aeb15f178cea1fe40db2603138f130e740a19624526203b6351d0a3a94f"
		       "a329c145786e679e7b82c71a38628ac8");
	assert_true(crypto_ecdsa_p384_verify(xy, h, 48, rs));
	rs[95] ^= 1;
	assert_false(crypto_ecdsa_p384_verify(xy, h, 48, rs));
	rs[95] ^= 1;
	h[47] ^= 1;
	assert_false(crypto_ecdsa_p384_verify(xy, h, 48, rs));
	h[47] ^= 1;
	/* r = 0 and s = 0 are out of range (FIPS 186-4 6.4.2 step 1). */
	memset(rs, 0, 48);
	assert_false(crypto_ecdsa_p384_verify(xy, h, 48, rs));
	assert_false(crypto_ecdsa_p384_verify(xy, h, 0, rs));
	assert_false(crypto_ecdsa_p384_sign(d, CRYPTO_HASH_COUNT, h, rs));
}

static void test_p384_point_and_scalar_validation(void **state)
{
	static const char *P = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"
			       "ffffffff0000000000000000ffffffff";
	static const char *N = "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
			       "581a0db248b0a77aecec196accc52973";
	uint8_t d[48], xy[96], bad[96], z[48], h[48] = { 1 }, rs[96] = { 1 };

	(void)state;
	test_unhex(RFC384_D, d);
	assert_true(crypto_p384_public(d, xy));
	memcpy(bad, xy, 96);
	bad[95] ^= 1; /* off the curve */
	assert_false(crypto_p384_point_valid(bad));
	assert_false(crypto_ecdh_p384(d, bad, z));
	assert_false(crypto_ecdsa_p384_verify(bad, h, 48, rs));
	memset(bad, 0, 96);
	assert_false(crypto_p384_point_valid(bad));
	/* y = p: unreduced coordinate, rejected before any curve arithmetic */
	memcpy(bad, xy, 96);
	test_unhex(P, bad + 48);
	assert_false(crypto_p384_point_valid(bad));
	/* scalars 0, n (invalid), n-1 (valid: (n-1)G = -G, same x as G) */
	memset(d, 0, 48);
	assert_false(crypto_p384_scalar_valid(d));
	assert_false(crypto_p384_public(d, xy));
	test_unhex(N, d);
	assert_false(crypto_p384_scalar_valid(d));
	assert_false(crypto_ecdsa_p384_sign(d, CRYPTO_SHA384, h, rs));
	d[47]--;
	assert_true(crypto_p384_scalar_valid(d));
	assert_true(crypto_p384_public(d, xy));
	test_assert_hex(xy, "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a38"
		       "5502f25dbf55296c3a545e3872760ab7");
	/* the peer must be valid even when our scalar is */
	test_unhex(RFC384_D, d);
	memset(bad, 0xFF, 96);
	assert_false(crypto_ecdh_p384(d, bad, z));
}

/* The frozen P-384 derivation (docs/crypto.md): pinned output, computed independently with Python's
 * hmac/hashlib (KDFa, 1536 bits, first 48-byte block in [1, n-1]). Never update this vector. */
static void test_p384_derive_pinned_vector(void **state)
{
	uint8_t seed[64], d[48], d2[48], ctx[] = "context-u", s[192];

	(void)state;
	for (int i = 0; i < 64; i++)
		seed[i] = (uint8_t)i;
	assert_true(crypto_p384_derive(CRYPTO_SHA256, seed, 64, "Primary Object Creation", ctx, 9, NULL, 0, d));
	test_assert_hex(d, "1329fcc8ef72aefd6ff8b6ff2b30f18ce3daa1cd11bdea27df9e0b586ea7d158"
		      "2e08e0a35e25beea2fa9f7825892ee15");
	assert_true(crypto_kdfa(CRYPTO_SHA256, seed, 64, "Primary Object Creation", ctx, 9, NULL, 0, 1536, s));
	assert_memory_equal(d, s, 48);
	assert_true(crypto_p384_derive(CRYPTO_SHA384, seed, 64, "Primary Object Creation", ctx, 9, NULL, 0, d));
	test_assert_hex(d, "e3f87270d53a65dd984b5ff825e3d7ea72a0cc19245c8813dd1e563bca25145b"
		      "01188029e05fb4afcbe5b2f4246981bd");
	assert_true(crypto_p384_derive(CRYPTO_SHA384, seed, 64, "Primary Object Creation", ctx, 9, NULL, 0, d2));
	assert_memory_equal(d, d2, 48);
	ctx[8] ^= 1;
	assert_true(crypto_p384_derive(CRYPTO_SHA384, seed, 64, "Primary Object Creation", ctx, 9, NULL, 0, d2));
	assert_memory_not_equal(d, d2, 48);
	assert_false(crypto_p384_derive(CRYPTO_HASH_COUNT, seed, 64, "x", NULL, 0, NULL, 0, d2));
}

static void test_p384_ecdsa_ecdh_cross_check_openssl(void **state)
{
	static const enum crypto_hash_alg algs[] = { CRYPTO_SHA1, CRYPTO_SHA256, CRYPTO_SHA384, CRYPTO_SHA512 };

	(void)state;
	for (int iter = 0; iter < 16; iter++) {
		uint8_t seed[48], d[48], xy[96], d2[48], xy2[96], h[64], rs[96], der[120], z1[48], z2[48];
		enum crypto_hash_alg a = algs[iter % 4];
		size_t hl = crypto_hash_size(a), dl, zl = 48;
		EVP_PKEY *pk, *pk2;
		EVP_PKEY_CTX *c;

		fill(seed, sizeof(seed));
		assert_true(crypto_p384_derive(CRYPTO_SHA384, seed, 48, "test", NULL, 0, NULL, 0, d));
		assert_true(crypto_p384_public(d, xy));
		fill(seed, sizeof(seed));
		assert_true(crypto_p384_derive(CRYPTO_SHA384, seed, 48, "test", NULL, 0, NULL, 0, d2));
		assert_true(crypto_p384_public(d2, xy2));
		fill(h, hl);
		pk = ossl_key_curve(48, xy, d);
		pk2 = ossl_key_curve(48, xy2, NULL);
		c = EVP_PKEY_CTX_new(pk, NULL);
		assert_int_equal(EVP_PKEY_pairwise_check(c), 1);
		/* Mantle signs, OpenSSL verifies. */
		assert_true(crypto_ecdsa_p384_sign(d, a, h, rs));
		dl = der_from_rs_len(rs, 48, der);
		assert_int_equal(EVP_PKEY_verify_init(c), 1);
		assert_int_equal(EVP_PKEY_verify(c, der, dl, h, hl), 1);
		/* OpenSSL signs, Mantle verifies. */
		assert_int_equal(EVP_PKEY_sign_init(c), 1);
		dl = sizeof(der);
		assert_int_equal(EVP_PKEY_sign(c, der, &dl, h, hl), 1);
		rs_from_der_len(der, dl, rs, 48);
		assert_true(crypto_ecdsa_p384_verify(xy, h, hl, rs));
		assert_false(crypto_ecdsa_p384_verify(xy2, h, hl, rs));
		h[0] ^= 0x80;
		assert_false(crypto_ecdsa_p384_verify(xy, h, hl, rs));
		/* ECDH both ways: our Z with our scalar equals OpenSSL's with its side's key. */
		assert_true(crypto_ecdh_p384(d, xy2, z1));
		assert_int_equal(EVP_PKEY_derive_init(c), 1);
		assert_int_equal(EVP_PKEY_derive_set_peer(c, pk2), 1);
		assert_int_equal(EVP_PKEY_derive(c, z2, &zl), 1);
		assert_int_equal(zl, 48);
		assert_memory_equal(z1, z2, 48);
		assert_true(crypto_ecdh_p384(d2, xy, z2));
		assert_memory_equal(z1, z2, 48);
		EVP_PKEY_CTX_free(c);
		EVP_PKEY_free(pk);
		EVP_PKEY_free(pk2);
	}
}

/* ECDH agreement with a key OpenSSL generated: OpenSSL's Z from its private key and our public
 * point equals ours from our scalar and its public point. */
static void test_p384_ecdh_with_openssl_generated_key(void **state)
{
	uint8_t seed[48], d[48], xy[96], peer[97], z1[48], z2[48];
	size_t plen = sizeof(peer), zl = 48;
	EVP_PKEY *ours, *theirs = EVP_EC_gen("secp384r1");
	EVP_PKEY_CTX *c;

	(void)state;
	assert_non_null(theirs);
	assert_int_equal(EVP_PKEY_get_octet_string_param(theirs, OSSL_PKEY_PARAM_PUB_KEY, peer, sizeof(peer), &plen), 1);
	assert_int_equal(plen, 97);
	fill(seed, sizeof(seed));
	assert_true(crypto_p384_derive(CRYPTO_SHA256, seed, 48, "ecdh", NULL, 0, NULL, 0, d));
	assert_true(crypto_p384_public(d, xy));
	assert_true(crypto_ecdh_p384(d, peer + 1, z1));
	ours = ossl_key_curve(48, xy, NULL);
	c = EVP_PKEY_CTX_new(theirs, NULL);
	assert_int_equal(EVP_PKEY_derive_init(c), 1);
	assert_int_equal(EVP_PKEY_derive_set_peer(c, ours), 1);
	assert_int_equal(EVP_PKEY_derive(c, z2, &zl), 1);
	assert_memory_equal(z1, z2, 48);
	EVP_PKEY_CTX_free(c);
	EVP_PKEY_free(ours);
	EVP_PKEY_free(theirs);
}

/* The whole ECDH point (crypto_ecdh_p256_point / p384) equals OpenSSL's d·Q, its x is crypto_ecdh's Z,
 * and an off-curve peer is refused. */
static void check_ecdh_point(int nid, size_t sz)
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(nid);
	uint8_t seed[32], d[48], d2[48], q[97], ours[96], want[97], z[48];
	EC_POINT *p = EC_POINT_new(g), *r = EC_POINT_new(g);
	BIGNUM *k;

	for (int iter = 0; iter < 8; iter++) {
		fill(seed, sizeof(seed));
		assert_true(sz == 32 ? crypto_p256_derive(CRYPTO_SHA256, seed, 32, "pt", NULL, 0, NULL, 0, d)
				     : crypto_p384_derive(CRYPTO_SHA256, seed, 32, "pt", NULL, 0, NULL, 0, d));
		fill(seed, sizeof(seed));
		assert_true(sz == 32 ? crypto_p256_derive(CRYPTO_SHA256, seed, 32, "pt", NULL, 0, NULL, 0, d2)
				     : crypto_p384_derive(CRYPTO_SHA256, seed, 32, "pt", NULL, 0, NULL, 0, d2));
		q[0] = 4;
		assert_true(sz == 32 ? crypto_p256_public(d2, q + 1) : crypto_p384_public(d2, q + 1));
		assert_true(sz == 32 ? crypto_ecdh_p256_point(d, q + 1, ours) : crypto_ecdh_p384_point(d, q + 1, ours));
		assert_int_equal(EC_POINT_oct2point(g, p, q, 1 + 2 * sz, NULL), 1);
		k = BN_bin2bn(d, (int)sz, NULL);
		assert_int_equal(EC_POINT_mul(g, r, NULL, p, k, NULL), 1);
		assert_int_equal(EC_POINT_point2oct(g, r, POINT_CONVERSION_UNCOMPRESSED, want, sizeof(want), NULL),
				 1 + 2 * sz);
		assert_memory_equal(ours, want + 1, 2 * sz);
		assert_true(sz == 32 ? crypto_ecdh_p256(d, q + 1, z) : crypto_ecdh_p384(d, q + 1, z));
		assert_memory_equal(z, ours, sz);
		BN_free(k);
		q[2 * sz] ^= 1; /* y off the curve */
		assert_false(sz == 32 ? crypto_ecdh_p256_point(d, q + 1, ours) : crypto_ecdh_p384_point(d, q + 1, ours));
	}
	EC_POINT_free(p);
	EC_POINT_free(r);
	EC_GROUP_free(g);
}

static void test_ecdh_full_point_matches_openssl(void **state)
{
	(void)state;
	check_ecdh_point(NID_X9_62_prime256v1, 32);
	check_ecdh_point(NID_secp384r1, 48);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_p256_public_rfc6979),
		cmocka_unit_test(test_ecdsa_rfc6979_sample_sha256),
		cmocka_unit_test(test_ecdh_cavp_count0),
		cmocka_unit_test(test_point_and_scalar_validation),
		cmocka_unit_test(test_p256_derive_pinned_vector),
		cmocka_unit_test(test_ecdsa_ecdh_cross_check_openssl),
		cmocka_unit_test(test_p384_public_and_ecdsa_rfc6979_sample),
		cmocka_unit_test(test_p384_point_and_scalar_validation),
		cmocka_unit_test(test_p384_derive_pinned_vector),
		cmocka_unit_test(test_p384_ecdsa_ecdh_cross_check_openssl),
		cmocka_unit_test(test_p384_ecdh_with_openssl_generated_key),
		cmocka_unit_test(test_ecdh_full_point_matches_openssl),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
