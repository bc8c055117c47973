/* core/crypto RSA: key generation and the frozen derivation (pinned vectors), rebuilding keys from
 * one prime, cross-checks with OpenSSL both ways for every scheme (PKCS #1 v1.5 and PSS signatures,
 * OAEP and PKCS #1 v1.5 encryption), and the rejection of bad input. The published vectors are in
 * test_crypto_rsa_vectors.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "core/crypto/crypto.h"
#include "tests/unit/crypto_test_util.h"
#include "bearssl_rsa.h"
#include "core/crypto/crypto_internal.h"

/* Pinned crypto_rsa_derive outputs: see test_rsa_derive_pinned_vectors. */
#define RSA2048_PIN "127a63ceb95546530a9cded6f3bef87f58c59e3160ea386a14d6def82b31c307"
#define RSA3072_PIN "f4a0c9287fe309e1ac169edd7263ba420972fa58a524a9e4196a65dd15ab1e27"


static void tohex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static struct test_rng trng = { 0x6A09E667F3BCC908ull };
static void fill(void *p, size_t n)
{
	test_rng_fill(&trng, p, n);
}

static const EVP_MD *ossl_md(enum crypto_hash_alg a)
{
	switch (a) {
	case CRYPTO_SHA1: return EVP_sha1();
	case CRYPTO_SHA256: return EVP_sha256();
	case CRYPTO_SHA384: return EVP_sha384();
	default: return EVP_sha512();
	}
}

static const enum crypto_hash_alg ALGS[] = { CRYPTO_SHA1, CRYPTO_SHA256, CRYPTO_SHA384, CRYPTO_SHA512 };

/* ---- keys shared by the tests (generation is the slow part) ---- */

static struct crypto_rsa_pub pub2048, pub3072;
static struct crypto_rsa_priv priv2048, priv3072;

static int setup_keys(void **state)
{
	struct test_rng r = { 0xB7E151628AED2A6Bull };
	static const uint8_t seed[32] = { 1, 2, 3 };

	(void)state;
	if (!crypto_rsa_generate(2048, 0, test_rng_fill, &r, &pub2048, &priv2048))
		return -1;
	if (!crypto_rsa_derive(CRYPTO_SHA256, seed, sizeof(seed), "setup", NULL, 0, NULL, 0, 3072, 65537, &pub3072,
			       &priv3072))
		return -1;
	return 0;
}

/* OpenSSL's view of our key; with_private adds d = e^-1 mod (p-1)(q-1) and the CRT values. */
static EVP_PKEY *ossl_key(const struct crypto_rsa_pub *pub, const struct crypto_rsa_priv *priv)
{
	size_t k = pub->bits / 8u, half = k / 2;
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	BIGNUM *n = BN_bin2bn(pub->n, (int)k, NULL), *e = BN_new(), *bn[6] = { 0 }, *d = NULL;
	BN_CTX *bc = BN_CTX_new();
	EVP_PKEY *pk = NULL;
	OSSL_PARAM *params;

	BN_set_word(e, pub->e);
	OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, n);
	OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, e);
	if (priv) {
		BIGNUM *p1 = BN_new(), *q1 = BN_new(), *phi = BN_new();
		const uint8_t *f[5] = { priv->p, priv->q, priv->dp, priv->dq, priv->iq };
		static const char *names[5] = { OSSL_PKEY_PARAM_RSA_FACTOR1, OSSL_PKEY_PARAM_RSA_FACTOR2,
						OSSL_PKEY_PARAM_RSA_EXPONENT1, OSSL_PKEY_PARAM_RSA_EXPONENT2,
						OSSL_PKEY_PARAM_RSA_COEFFICIENT1 };

		for (int i = 0; i < 5; i++) {
			bn[i] = BN_bin2bn(f[i], (int)half, NULL);
			OSSL_PARAM_BLD_push_BN(b, names[i], bn[i]);
		}
		BN_sub(p1, bn[0], BN_value_one());
		BN_sub(q1, bn[1], BN_value_one());
		BN_mul(phi, p1, q1, bc);
		d = BN_mod_inverse(NULL, e, phi, bc);
		assert_non_null(d);
		OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_D, d);
		BN_free(p1);
		BN_free(q1);
		BN_free(phi);
	}
	params = OSSL_PARAM_BLD_to_param(b);
	assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
	assert_int_equal(EVP_PKEY_fromdata(ctx, &pk, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params), 1);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	EVP_PKEY_CTX_free(ctx);
	BN_CTX_free(bc);
	BN_free(n);
	BN_free(e);
	BN_clear_free(d);
	for (int i = 0; i < 6; i++)
		BN_clear_free(bn[i]);
	return pk;
}

/* Our key as OpenSSL sees it passes OpenSSL's full key check (primality of p and q, d, CRT values). */
static void check_key_with_openssl(const struct crypto_rsa_pub *pub, const struct crypto_rsa_priv *priv)
{
	EVP_PKEY *pk = ossl_key(pub, priv);
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(pk, NULL);

	assert_int_equal(EVP_PKEY_private_check(c), 1);
	assert_int_equal(EVP_PKEY_pairwise_check(c), 1);
	assert_int_equal(EVP_PKEY_get_bits(pk), pub->bits);
	EVP_PKEY_CTX_free(c);
	EVP_PKEY_free(pk);
}

static void test_rsa_generated_keys_pass_openssl_checks(void **state)
{
	(void)state;
	assert_int_equal(pub2048.bits, 2048);
	assert_int_equal(pub2048.e, 65537);
	check_key_with_openssl(&pub2048, &priv2048);
	check_key_with_openssl(&pub3072, &priv3072);
}

static void test_rsa_generate_rejects_bad_parameters(void **state)
{
	struct test_rng r = { 1 };
	struct crypto_rsa_pub pub;
	struct crypto_rsa_priv priv;

	(void)state;
	assert_false(crypto_rsa_generate(1024, 0, test_rng_fill, &r, &pub, &priv));
	assert_false(crypto_rsa_generate(4096, 0, test_rng_fill, &r, &pub, &priv));
	assert_false(crypto_rsa_generate(2048, 65536, test_rng_fill, &r, &pub, &priv));
	assert_false(crypto_rsa_generate(2048, 1, test_rng_fill, &r, &pub, &priv));
	assert_false(crypto_rsa_derive(CRYPTO_HASH_COUNT, "s", 1, "l", NULL, 0, NULL, 0, 2048, 0, &pub, &priv));
}

/* ---- the frozen derivation ---- */

/* The stream is KDFa's output with [L]32 = 0xFFFFFFF8, read in any chunking. First 40 bytes for
 * key = "stream-key", label "RSA", ctxU "u", SHA-256, computed with Python's hmac. */
static void test_kdfa_stream_matches_independent_computation(void **state)
{
	struct crypto_kdfa_stream s;
	uint8_t a[200], b[200];
	char hex[81];

	(void)state;
	assert_true(crypto_kdfa_stream_init(&s, CRYPTO_SHA256, "stream-key", 10, "RSA", "u", 1, NULL, 0));
	crypto_kdfa_stream_read(&s, a, sizeof(a));
	crypto_kdfa_stream_end(&s);
	tohex(a, 40, hex);
	assert_string_equal(hex, "0ba9035d753357cbf8c1a998bd5005f4281823142a88227cbb893794b7214630"
				 "a5272fb5929b7d69");
	/* chunk boundaries do not matter */
	assert_true(crypto_kdfa_stream_init(&s, CRYPTO_SHA256, "stream-key", 10, "RSA", "u", 1, NULL, 0));
	for (size_t off = 0, step = 1; off < sizeof(b); off += step, step = step * 3 % 17 + 1)
		crypto_kdfa_stream_read(&s, b + off, off + step <= sizeof(b) ? step : sizeof(b) - off);
	assert_memory_equal(a, b, sizeof(a));
	assert_false(crypto_kdfa_stream_init(&s, CRYPTO_HASH_COUNT, "k", 1, "RSA", NULL, 0, NULL, 0));
}

static void n_digest_hex(const struct crypto_rsa_pub *pub, char hex[65])
{
	uint8_t h[32];

	crypto_hash(CRYPTO_SHA256, pub->n, pub->bits / 8u, h);
	tohex(h, 32, hex);
}

/* Pinned outputs of crypto_rsa_derive (SHA-256 of n). If these change, every RSA primary key a
 * vTPM ever derived changes: never update them; add a new derivation version instead. */
static void test_rsa_derive_pinned_vectors(void **state)
{
	uint8_t seed[64], ctx[] = "context-u";
	struct crypto_rsa_pub pub, pub2;
	struct crypto_rsa_priv priv, priv2;
	char hex[65];

	(void)state;
	for (int i = 0; i < 64; i++)
		seed[i] = (uint8_t)i;
	assert_true(crypto_rsa_derive(CRYPTO_SHA256, seed, 64, "Primary Object Creation", ctx, 9, NULL, 0, 2048, 0,
				      &pub, &priv));
	n_digest_hex(&pub, hex);
	printf("rsa-2048 derive: sha256(n) = %s\n", hex);
	assert_string_equal(hex, RSA2048_PIN);
	assert_int_equal(pub.e, 65537);
	check_key_with_openssl(&pub, &priv);

	assert_true(crypto_rsa_derive(CRYPTO_SHA256, seed, 64, "Primary Object Creation", ctx, 9, NULL, 0, 3072, 0,
				      &pub2, &priv2));
	n_digest_hex(&pub2, hex);
	printf("rsa-3072 derive: sha256(n) = %s\n", hex);
	assert_string_equal(hex, RSA3072_PIN);
	check_key_with_openssl(&pub2, &priv2);

	/* deterministic, and bound to every input */
	assert_true(crypto_rsa_derive(CRYPTO_SHA256, seed, 64, "Primary Object Creation", ctx, 9, NULL, 0, 2048, 0,
				      &pub2, &priv2));
	assert_memory_equal(&pub, &pub2, sizeof(pub));
	assert_memory_equal(&priv, &priv2, sizeof(priv));
	ctx[0] ^= 1;
	assert_true(crypto_rsa_derive(CRYPTO_SHA256, seed, 64, "Primary Object Creation", ctx, 9, NULL, 0, 2048, 0,
				      &pub2, &priv2));
	assert_memory_not_equal(pub.n, pub2.n, 256);
}

/* crypto_rsa_derive is exactly crypto_rsa_generate fed by the KDFa stream. */
static void test_rsa_derive_is_generate_over_kdfa_stream(void **state)
{
	struct crypto_kdfa_stream s;
	struct crypto_rsa_pub pub, pub2;
	struct crypto_rsa_priv priv, priv2;

	(void)state;
	assert_true(crypto_rsa_derive(CRYPTO_SHA384, "seed", 4, "L", "U", 1, "V", 1, 2048, 3, &pub, &priv));
	assert_int_equal(pub.e, 3);
	assert_true(crypto_kdfa_stream_init(&s, CRYPTO_SHA384, "seed", 4, "L", "U", 1, "V", 1));
	assert_true(crypto_rsa_generate(2048, 3, (crypto_rand_fn)crypto_kdfa_stream_read, &s, &pub2, &priv2));
	assert_memory_equal(&pub, &pub2, sizeof(pub));
	assert_memory_equal(&priv, &priv2, sizeof(priv));
	check_key_with_openssl(&pub, &priv);
}

/* The derived key does not depend on which BearSSL engine runs the arithmetic: the i31 keygen
 * (what a compiler without 128-bit integers gets) draws the same stream and finds the same primes. */
static void test_rsa_derive_same_with_i31_engine(void **state)
{
	static const uint8_t seed[32] = { 9 };
	struct crypto_kdfa_stream s;
	struct crypto_rand_prng prng;
	struct crypto_rsa_pub pub;
	struct crypto_rsa_priv priv;
	uint8_t kpriv[BR_RSA_KBUF_PRIV_SIZE(2048)], kpub[BR_RSA_KBUF_PUB_SIZE(2048)];
	br_rsa_private_key sk;
	br_rsa_public_key pk;

	(void)state;
	assert_true(crypto_rsa_derive(CRYPTO_SHA256, seed, 32, "engine", NULL, 0, NULL, 0, 2048, 0, &pub, &priv));
	assert_true(crypto_kdfa_stream_init(&s, CRYPTO_SHA256, seed, 32, "engine", NULL, 0, NULL, 0));
	crypto_rand_prng_init(&prng, (crypto_rand_fn)crypto_kdfa_stream_read, &s);
	assert_int_equal(br_rsa_i31_keygen(&prng.vtable, &sk, kpriv, &pk, kpub, 2048, 65537), 1);
	assert_int_equal(pk.nlen, 256);
	assert_memory_equal(pk.n, pub.n, 256);
	assert_memory_equal(sk.p, priv.p, 128);
	assert_memory_equal(sk.iq, priv.iq, 128);
}

/* ---- signatures against OpenSSL ---- */

static EVP_PKEY_CTX *sig_ctx(EVP_PKEY *pk, bool sign, int pad, enum crypto_hash_alg a, int saltlen)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(pk, NULL);

	assert_int_equal(sign ? EVP_PKEY_sign_init(c) : EVP_PKEY_verify_init(c), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(c, pad), 1);
	assert_int_equal(EVP_PKEY_CTX_set_signature_md(c, ossl_md(a)), 1);
	if (pad == RSA_PKCS1_PSS_PADDING) {
		assert_int_equal(EVP_PKEY_CTX_set_rsa_mgf1_md(c, ossl_md(a)), 1);
		assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(c, saltlen), 1);
	}
	return c;
}

static void check_signatures(const struct crypto_rsa_pub *pub, const struct crypto_rsa_priv *priv)
{
	size_t k = pub->bits / 8u;
	EVP_PKEY *pk = ossl_key(pub, priv);

	for (unsigned i = 0; i < 4; i++) {
		enum crypto_hash_alg a = ALGS[i];
		size_t hl = crypto_hash_size(a), sl = k;
		uint8_t h[64], sig[CRYPTO_RSA_MAX_BYTES], osig[CRYPTO_RSA_MAX_BYTES];
		static const int salts[] = { RSA_PSS_SALTLEN_DIGEST, RSA_PSS_SALTLEN_MAX, 0, 7 };
		EVP_PKEY_CTX *c;

		fill(h, hl);
		/* PKCS #1 v1.5 is deterministic: both sides produce the same signature. */
		assert_true(crypto_rsa_pkcs1_sign(priv, a, h, sig));
		c = sig_ctx(pk, false, RSA_PKCS1_PADDING, a, 0);
		assert_int_equal(EVP_PKEY_verify(c, sig, k, h, hl), 1);
		EVP_PKEY_CTX_free(c);
		c = sig_ctx(pk, true, RSA_PKCS1_PADDING, a, 0);
		assert_int_equal(EVP_PKEY_sign(c, osig, &sl, h, hl), 1);
		EVP_PKEY_CTX_free(c);
		assert_memory_equal(sig, osig, k);
		assert_true(crypto_rsa_pkcs1_verify(pub, a, h, osig, k));
		assert_false(crypto_rsa_pkcs1_verify(pub, a, h, osig, k - 1));
		assert_false(crypto_rsa_pkcs1_verify(pub, ALGS[(i + 1) % 4], h, osig, k));
		osig[k / 2] ^= 4;
		assert_false(crypto_rsa_pkcs1_verify(pub, a, h, osig, k));

		/* PSS: Mantle signs (salt = hash length), OpenSSL verifies with any salt length. */
		assert_true(crypto_rsa_pss_sign(priv, a, h, test_rng_fill, &trng, sig));
		c = sig_ctx(pk, false, RSA_PKCS1_PSS_PADDING, a, RSA_PSS_SALTLEN_AUTO);
		assert_int_equal(EVP_PKEY_verify(c, sig, k, h, hl), 1);
		EVP_PKEY_CTX_free(c);
		c = sig_ctx(pk, false, RSA_PKCS1_PSS_PADDING, a, (int)hl); /* and it is hl */
		assert_int_equal(EVP_PKEY_verify(c, sig, k, h, hl), 1);
		EVP_PKEY_CTX_free(c);
		assert_true(crypto_rsa_pss_verify(pub, a, h, sig, k));
		/* OpenSSL signs with several salt lengths; Mantle verifies them all. */
		for (unsigned j = 0; j < 4; j++) {
			c = sig_ctx(pk, true, RSA_PKCS1_PSS_PADDING, a, salts[j]);
			sl = k;
			assert_int_equal(EVP_PKEY_sign(c, osig, &sl, h, hl), 1);
			EVP_PKEY_CTX_free(c);
			assert_true(crypto_rsa_pss_verify(pub, a, h, osig, k));
			assert_false(crypto_rsa_pss_verify(pub, ALGS[(i + 1) % 4], h, osig, k));
			h[hl - 1] ^= 1;
			assert_false(crypto_rsa_pss_verify(pub, a, h, osig, k));
			h[hl - 1] ^= 1;
		}
		sig[3] ^= 0x10;
		assert_false(crypto_rsa_pss_verify(pub, a, h, sig, k));
		assert_false(crypto_rsa_pss_verify(pub, a, h, sig, k + 1));
	}
	EVP_PKEY_free(pk);
}

static void test_rsa_signatures_cross_check_openssl_2048(void **state)
{
	(void)state;
	check_signatures(&pub2048, &priv2048);
}

static void test_rsa_signatures_cross_check_openssl_3072(void **state)
{
	(void)state;
	check_signatures(&pub3072, &priv3072);
}

/* ---- encryption against OpenSSL ---- */

static EVP_PKEY_CTX *enc_ctx(EVP_PKEY *pk, bool enc, int pad, enum crypto_hash_alg a, const void *label,
			     size_t label_len)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(pk, NULL);

	assert_int_equal(enc ? EVP_PKEY_encrypt_init(c) : EVP_PKEY_decrypt_init(c), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(c, pad), 1);
	if (pad == RSA_PKCS1_OAEP_PADDING) {
		assert_int_equal(EVP_PKEY_CTX_set_rsa_oaep_md(c, ossl_md(a)), 1);
		assert_int_equal(EVP_PKEY_CTX_set_rsa_mgf1_md(c, ossl_md(a)), 1);
		if (label_len)
			assert_int_equal(EVP_PKEY_CTX_set0_rsa_oaep_label(c, OPENSSL_memdup(label, label_len),
									   (int)label_len), 1);
	}
	return c;
}

static void check_encryption(const struct crypto_rsa_pub *pub, const struct crypto_rsa_priv *priv)
{
	static const char label[] = "DUPLICATE"; /* TPM labels carry their NUL */
	size_t k = pub->bits / 8u;
	EVP_PKEY *pk = ossl_key(pub, priv);

	for (unsigned i = 0; i < 4; i++) {
		enum crypto_hash_alg a = ALGS[i];
		size_t hl = crypto_hash_size(a), maxo = k - 2 * hl - 2, len = (i * 37) % maxo, ol, ml;
		uint8_t msg[CRYPTO_RSA_MAX_BYTES], ct[CRYPTO_RSA_MAX_BYTES], pt[CRYPTO_RSA_MAX_BYTES];
		EVP_PKEY_CTX *c;

		fill(msg, sizeof(msg));
		/* OAEP with a label: Mantle -> OpenSSL, OpenSSL -> Mantle */
		assert_true(crypto_rsa_oaep_encrypt(pub, a, label, sizeof(label), msg, len, test_rng_fill, &trng, ct));
		c = enc_ctx(pk, false, RSA_PKCS1_OAEP_PADDING, a, label, sizeof(label));
		ol = sizeof(pt);
		assert_int_equal(EVP_PKEY_decrypt(c, pt, &ol, ct, k), 1);
		EVP_PKEY_CTX_free(c);
		assert_int_equal(ol, len);
		assert_memory_equal(pt, msg, len);
		c = enc_ctx(pk, true, RSA_PKCS1_OAEP_PADDING, a, label, sizeof(label));
		ol = k;
		assert_int_equal(EVP_PKEY_encrypt(c, ct, &ol, msg, maxo), 1);
		EVP_PKEY_CTX_free(c);
		assert_true(crypto_rsa_oaep_decrypt(priv, a, label, sizeof(label), ct, k, pt, &ml));
		assert_int_equal(ml, maxo);
		assert_memory_equal(pt, msg, maxo);
		/* wrong label, wrong hash, tampered, wrong length, too long a message */
		assert_false(crypto_rsa_oaep_decrypt(priv, a, label, sizeof(label) - 1, ct, k, pt, &ml));
		assert_int_equal(ml, 0);
		assert_false(crypto_rsa_oaep_decrypt(priv, ALGS[(i + 1) % 4], label, sizeof(label), ct, k, pt, &ml));
		assert_false(crypto_rsa_oaep_decrypt(priv, a, label, sizeof(label), ct, k - 1, pt, &ml));
		ct[k - 1] ^= 1;
		assert_false(crypto_rsa_oaep_decrypt(priv, a, label, sizeof(label), ct, k, pt, &ml));
		assert_false(crypto_rsa_oaep_encrypt(pub, a, NULL, 0, msg, maxo + 1, test_rng_fill, &trng, ct));

		/* PKCS #1 v1.5 encryption both ways */
		len = (i * 53) % (k - 11);
		assert_true(crypto_rsa_pkcs1_encrypt(pub, msg, len, test_rng_fill, &trng, ct));
		c = enc_ctx(pk, false, RSA_PKCS1_PADDING, a, NULL, 0);
		ol = sizeof(pt);
		assert_int_equal(EVP_PKEY_decrypt(c, pt, &ol, ct, k), 1);
		EVP_PKEY_CTX_free(c);
		assert_int_equal(ol, len);
		assert_memory_equal(pt, msg, len);
		c = enc_ctx(pk, true, RSA_PKCS1_PADDING, a, NULL, 0);
		ol = k;
		assert_int_equal(EVP_PKEY_encrypt(c, ct, &ol, msg, k - 11), 1);
		EVP_PKEY_CTX_free(c);
		assert_true(crypto_rsa_pkcs1_decrypt(priv, ct, k, pt, &ml));
		assert_int_equal(ml, k - 11);
		assert_memory_equal(pt, msg, k - 11);
		assert_false(crypto_rsa_pkcs1_encrypt(pub, msg, k - 10, test_rng_fill, &trng, ct));
		assert_false(crypto_rsa_pkcs1_decrypt(priv, ct, k + 1, pt, &ml));
	}
	EVP_PKEY_free(pk);
}

static void test_rsa_encryption_cross_check_openssl_2048(void **state)
{
	(void)state;
	check_encryption(&pub2048, &priv2048);
}

static void test_rsa_encryption_cross_check_openssl_3072(void **state)
{
	(void)state;
	check_encryption(&pub3072, &priv3072);
}

/* ---- malformed input ---- */

/* Ciphertexts whose decryption is a chosen encoded message: each malformed PKCS #1 v1.5 block is
 * refused, the well-formed ones (empty message, exactly 8 bytes of padding) accepted. */
static void test_rsa_pkcs1_decrypt_rejects_malformed_padding(void **state)
{
	size_t k = 256, ml;
	uint8_t em[256], ct[256], pt[256];
	struct {
		const char *what;
		size_t zero_at; /* index of the separator, 0 for none */
		uint8_t b0, b1;
		bool ok;
	} cases[] = {
		{ "well formed", 100, 0, 2, true },
		{ "empty message", 255, 0, 2, true },
		{ "exactly 8 padding bytes", 10, 0, 2, true },
		{ "7 padding bytes", 9, 0, 2, false },
		{ "no padding", 2, 0, 2, false },
		{ "no separator", 0, 0, 2, false },
		{ "block type 1", 100, 0, 1, false },
		{ "leading byte not 0", 100, 1, 2, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(em, 0x5A, k);
		em[0] = cases[i].b0;
		em[1] = cases[i].b1;
		if (cases[i].zero_at)
			em[cases[i].zero_at] = 0;
		/* em < n in every case: n's top byte is at least 0x80 */
		assert_true(crypto_rsa_public_raw(&pub2048, em, ct));
		ml = 77;
		bool ok = crypto_rsa_pkcs1_decrypt(&priv2048, ct, k, pt, &ml);
		if (ok != cases[i].ok)
			fail_msg("%s: got %d", cases[i].what, ok);
		if (ok) {
			assert_int_equal(ml, k - 1 - cases[i].zero_at);
			assert_memory_equal(pt, em + cases[i].zero_at + 1, ml);
		} else {
			assert_int_equal(ml, 0);
		}
	}
}

static void test_rsa_rejects_input_not_below_modulus(void **state)
{
	size_t k = 256, ml;
	uint8_t big[256], out[256], h[32] = { 0 };

	(void)state;
	memcpy(big, pub2048.n, k); /* in = n */
	assert_false(crypto_rsa_public_raw(&pub2048, big, out));
	assert_false(crypto_rsa_private_raw(&priv2048, big, out));
	assert_false(crypto_rsa_pkcs1_verify(&pub2048, CRYPTO_SHA256, h, big, k));
	assert_false(crypto_rsa_pss_verify(&pub2048, CRYPTO_SHA256, h, big, k));
	assert_false(crypto_rsa_pkcs1_decrypt(&priv2048, big, k, out, &ml));
	assert_false(crypto_rsa_oaep_decrypt(&priv2048, CRYPTO_SHA256, NULL, 0, big, k, out, &ml));
	memset(big, 0xFF, k);
	assert_false(crypto_rsa_public_raw(&pub2048, big, out));
	assert_false(crypto_rsa_private_raw(&priv2048, big, out));
	/* n - 1 is fine and the raw operations are inverse */
	memcpy(big, pub2048.n, k);
	big[k - 1] -= 1;
	assert_true(crypto_rsa_private_raw(&priv2048, big, out));
	assert_true(crypto_rsa_public_raw(&pub2048, out, out));
	assert_memory_equal(out, big, k);
}

static void test_rsa_rejects_malformed_keys(void **state)
{
	struct crypto_rsa_pub pub = pub2048;
	struct crypto_rsa_priv priv = priv2048;
	uint8_t in[256] = { 0, 1 }, out[256], h[32] = { 0 };

	(void)state;
	pub.bits = 1024;
	assert_false(crypto_rsa_public_raw(&pub, in, out));
	pub = pub2048;
	pub.e = 0; /* "default" is resolved by callers, not here */
	assert_false(crypto_rsa_public_raw(&pub, in, out));
	pub.e = 65536;
	assert_false(crypto_rsa_public_raw(&pub, in, out));
	pub = pub2048;
	pub.n[255] ^= 1; /* even modulus */
	assert_false(crypto_rsa_public_raw(&pub, in, out));
	pub = pub2048;
	pub.n[0] &= 0x7F; /* modulus shorter than its size */
	assert_false(crypto_rsa_public_raw(&pub, in, out));
	priv.bits = 4096;
	assert_false(crypto_rsa_private_raw(&priv, in, out));
	assert_false(crypto_rsa_pkcs1_sign(&priv, CRYPTO_SHA256, h, out));
	priv = priv2048;
	assert_false(crypto_rsa_pkcs1_sign(&priv, CRYPTO_HASH_COUNT, h, out));
	assert_false(crypto_rsa_pss_sign(&priv, CRYPTO_HASH_COUNT, h, test_rng_fill, &trng, out));
}

/* ---- rebuilding a key from one prime ---- */

static void bn_field(const EVP_PKEY *pk, const char *name, uint8_t *out, size_t len)
{
	BIGNUM *bn = NULL;

	assert_int_equal(EVP_PKEY_get_bn_param(pk, name, &bn), 1);
	assert_int_equal(BN_bn2binpad(bn, out, (int)len), (int)len);
	BN_clear_free(bn);
}

static void check_priv_from_prime(unsigned bits)
{
	EVP_PKEY *pk = EVP_RSA_gen(bits);
	size_t k = bits / 8u, half = k / 2;
	struct crypto_rsa_pub pub = { .bits = (uint16_t)bits, .e = 65537 };
	struct crypto_rsa_priv want = { .bits = (uint16_t)bits, .e = 65537 }, got;
	uint8_t padded[CRYPTO_RSA_MAX_PRIME + 4] = { 0 }, bad[CRYPTO_RSA_MAX_PRIME], h[32], sig[CRYPTO_RSA_MAX_BYTES];

	assert_non_null(pk);
	bn_field(pk, OSSL_PKEY_PARAM_RSA_N, pub.n, k);
	bn_field(pk, OSSL_PKEY_PARAM_RSA_FACTOR1, want.p, half);
	bn_field(pk, OSSL_PKEY_PARAM_RSA_FACTOR2, want.q, half);
	bn_field(pk, OSSL_PKEY_PARAM_RSA_EXPONENT1, want.dp, half);
	bn_field(pk, OSSL_PKEY_PARAM_RSA_EXPONENT2, want.dq, half);
	bn_field(pk, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, want.iq, half);
	assert_true(crypto_rsa_priv_from_prime(&pub, want.p, half, &got));
	assert_memory_equal(&got, &want, sizeof(got));
	/* leading zero bytes are allowed */
	memcpy(padded + 4, want.p, half);
	assert_true(crypto_rsa_priv_from_prime(&pub, padded, half + 4, &got));
	assert_memory_equal(&got, &want, sizeof(got));
	/* from the other prime: the same key with the roles of p and q swapped */
	assert_true(crypto_rsa_priv_from_prime(&pub, want.q, half, &got));
	assert_memory_equal(got.p, want.q, half);
	assert_memory_equal(got.q, want.p, half);
	assert_memory_equal(got.dp, want.dq, half);
	fill(h, 32);
	assert_true(crypto_rsa_pkcs1_sign(&got, CRYPTO_SHA256, h, sig));
	assert_true(crypto_rsa_pkcs1_verify(&pub, CRYPTO_SHA256, h, sig, k));

	/* not a divisor */
	memcpy(bad, want.p, half);
	bad[half - 1] += 2;
	assert_false(crypto_rsa_priv_from_prime(&pub, bad, half, &got));
	/* wrong sizes: too short, nonzero excess byte, a shifted prime */
	assert_false(crypto_rsa_priv_from_prime(&pub, want.p + 1, half - 1, &got));
	padded[0] = 1;
	assert_false(crypto_rsa_priv_from_prime(&pub, padded, half + 4, &got));
	memset(bad, 0, half);
	memcpy(bad + 1, want.p, half - 1);
	assert_false(crypto_rsa_priv_from_prime(&pub, bad, half, &got));
	/* 1 and even values */
	memset(bad, 0, half);
	bad[half - 1] = 1;
	assert_false(crypto_rsa_priv_from_prime(&pub, bad, half, &got));
	memcpy(bad, want.p, half);
	bad[half - 1] ^= 1;
	assert_false(crypto_rsa_priv_from_prime(&pub, bad, half, &got));
	/* the wrong public exponent: p-1 and e share no factor, but the key does not match... */
	pub.e = 4; /* ...and an even e is refused outright */
	assert_false(crypto_rsa_priv_from_prime(&pub, want.p, half, &got));
	EVP_PKEY_free(pk);
}

static void test_rsa_priv_from_prime_recovers_openssl_keys(void **state)
{
	(void)state;
	check_priv_from_prime(2048);
	check_priv_from_prime(3072);
	check_priv_from_prime(2048);
}

/* e must be invertible modulo p-1 and q-1: for every small odd e, the rebuild succeeds exactly
 * when gcd(e, (p-1)(q-1)) = 1 (decided here with OpenSSL's arithmetic), and both outcomes occur. */
static void test_rsa_priv_from_prime_requires_invertible_e(void **state)
{
	struct crypto_rsa_pub pub = pub2048;
	struct crypto_rsa_priv got;
	BIGNUM *p1 = BN_bin2bn(priv2048.p, 128, NULL), *q1 = BN_bin2bn(priv2048.q, 128, NULL);
	BIGNUM *phi = BN_new(), *g = BN_new(), *e = BN_new();
	BN_CTX *c = BN_CTX_new();
	unsigned yes = 0, no = 0;

	(void)state;
	BN_sub_word(p1, 1);
	BN_sub_word(q1, 1);
	BN_mul(phi, p1, q1, c);
	for (uint32_t v = 3; v < 400; v += 2) {
		bool want;

		BN_set_word(e, v);
		BN_gcd(g, e, phi, c);
		want = BN_is_one(g);
		pub.e = v;
		assert_int_equal(crypto_rsa_priv_from_prime(&pub, priv2048.p, 128, &got), want);
		if (want) {
			uint8_t in[256] = { 0, 1, 2, 3 }, s[256], back[256];
			/* the rebuilt key is a working key for that e */
			assert_true(crypto_rsa_private_raw(&got, in, s));
			assert_true(crypto_rsa_public_raw(&pub, s, back));
			assert_memory_equal(back, in, 256);
		}
		want ? yes++ : no++;
	}
	assert_true(yes > 0 && no > 0);
	BN_free(p1), BN_free(q1), BN_free(phi), BN_free(g), BN_free(e);
	BN_CTX_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsa_generated_keys_pass_openssl_checks),
		cmocka_unit_test(test_rsa_generate_rejects_bad_parameters),
		cmocka_unit_test(test_kdfa_stream_matches_independent_computation),
		cmocka_unit_test(test_rsa_derive_pinned_vectors),
		cmocka_unit_test(test_rsa_derive_is_generate_over_kdfa_stream),
		cmocka_unit_test(test_rsa_derive_same_with_i31_engine),
		cmocka_unit_test(test_rsa_signatures_cross_check_openssl_2048),
		cmocka_unit_test(test_rsa_signatures_cross_check_openssl_3072),
		cmocka_unit_test(test_rsa_encryption_cross_check_openssl_2048),
		cmocka_unit_test(test_rsa_encryption_cross_check_openssl_3072),
		cmocka_unit_test(test_rsa_pkcs1_decrypt_rejects_malformed_padding),
		cmocka_unit_test(test_rsa_rejects_input_not_below_modulus),
		cmocka_unit_test(test_rsa_rejects_malformed_keys),
		cmocka_unit_test(test_rsa_priv_from_prime_recovers_openssl_keys),
		cmocka_unit_test(test_rsa_priv_from_prime_requires_invertible_e),
	};
	return cmocka_run_group_tests(tests, setup_keys, NULL);
}
