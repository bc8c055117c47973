/* Micro-benchmark of core/crypto's public-key operations beside OpenSSL's on the same host (make
 * crypto-bench, part of make bench): RSA-2048 key generation (median of N, since the prime search
 * makes it vary), RSA-2048/3072 PKCS #1 v1.5 signing and verification, ECDSA P-256 and P-384 signing
 * and verification, ECDH P-384. Built at -O2 without sanitizers, like the image's code. OpenSSL uses
 * its assembly and vector units; core/crypto runs BearSSL's portable C on general registers, as the
 * paravisor must. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "core/crypto/crypto.h"

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static uint64_t xs = 0x9E3779B97F4A7C15ull;
static void xfill(void *ctx, void *out, size_t n)
{
	uint8_t *b = out;

	(void)ctx;
	for (size_t i = 0; i < n; i++) {
		xs ^= xs >> 12;
		xs ^= xs << 25;
		xs ^= xs >> 27;
		b[i] = (uint8_t)((xs * 0x2545F4914F6CDD1Dull) >> 56);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void row(const char *what, double mantle_us, double ossl_us)
{
	printf("  %-30s %10.1f us %10.1f us   x%.1f\n", what, mantle_us, ossl_us, mantle_us / ossl_us);
}

#define KEYGEN_N 9
#define OPS_N 50

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void bench_rsa_keygen(void)
{
	double m[KEYGEN_N], o[KEYGEN_N];
	struct crypto_rsa_pub pub;
	struct crypto_rsa_priv priv;

	for (int i = 0; i < KEYGEN_N; i++) {
		double t = now_us();
		EVP_PKEY *pk;

		if (!crypto_rsa_generate(2048, 0, xfill, NULL, &pub, &priv))
			exit(1);
		m[i] = now_us() - t;
		t = now_us();
		pk = EVP_RSA_gen(2048);
		o[i] = now_us() - t;
		EVP_PKEY_free(pk);
	}
	row("RSA-2048 keygen (median of 9)", median(m, KEYGEN_N), median(o, KEYGEN_N));
}

static EVP_PKEY *ossl_rsa(const struct crypto_rsa_pub *pub, const struct crypto_rsa_priv *priv)
{
	static const char *names[5] = { OSSL_PKEY_PARAM_RSA_FACTOR1, OSSL_PKEY_PARAM_RSA_FACTOR2,
					OSSL_PKEY_PARAM_RSA_EXPONENT1, OSSL_PKEY_PARAM_RSA_EXPONENT2,
					OSSL_PKEY_PARAM_RSA_COEFFICIENT1 };
	const uint8_t *f[5] = { priv->p, priv->q, priv->dp, priv->dq, priv->iq };
	size_t k = pub->bits / 8u, half = k / 2;
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	BIGNUM *n = BN_bin2bn(pub->n, (int)k, NULL), *e = BN_new(), *bn[5], *p1 = BN_new(), *q1 = BN_new();
	BIGNUM *phi = BN_new(), *d;
	BN_CTX *bc = BN_CTX_new();
	EVP_PKEY *pk = NULL;
	OSSL_PARAM *params;

	BN_set_word(e, pub->e);
	OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, n);
	OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, e);
	for (int i = 0; i < 5; i++) {
		bn[i] = BN_bin2bn(f[i], (int)half, NULL);
		OSSL_PARAM_BLD_push_BN(b, names[i], bn[i]);
	}
	BN_sub(p1, bn[0], BN_value_one());
	BN_sub(q1, bn[1], BN_value_one());
	BN_mul(phi, p1, q1, bc);
	d = BN_mod_inverse(NULL, e, phi, bc);
	OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_D, d);
	params = OSSL_PARAM_BLD_to_param(b);
	if (EVP_PKEY_fromdata_init(ctx) != 1 || EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_KEYPAIR, params) != 1)
		exit(1);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	EVP_PKEY_CTX_free(ctx);
	BN_CTX_free(bc);
	BN_free(n), BN_free(e), BN_free(p1), BN_free(q1), BN_free(phi), BN_free(d);
	for (int i = 0; i < 5; i++)
		BN_free(bn[i]);
	return pk;
}

static void bench_rsa_ops(unsigned bits)
{
	struct crypto_rsa_pub pub;
	struct crypto_rsa_priv priv;
	uint8_t h[32], sig[CRYPTO_RSA_MAX_BYTES];
	size_t k = bits / 8u, sl;
	char name[64];
	double t, ms, mv, os, ov;
	EVP_PKEY *pk;
	EVP_PKEY_CTX *c;

	if (!crypto_rsa_derive(CRYPTO_SHA256, "bench", 5, "bench", NULL, 0, NULL, 0, bits, 0, &pub, &priv))
		exit(1);
	pk = ossl_rsa(&pub, &priv);
	xfill(NULL, h, sizeof(h));
	t = now_us();
	for (int i = 0; i < OPS_N; i++)
		if (!crypto_rsa_pkcs1_sign(&priv, CRYPTO_SHA256, h, sig))
			exit(1);
	ms = (now_us() - t) / OPS_N;
	t = now_us();
	for (int i = 0; i < OPS_N; i++)
		if (!crypto_rsa_pkcs1_verify(&pub, CRYPTO_SHA256, h, sig, k))
			exit(1);
	mv = (now_us() - t) / OPS_N;
	c = EVP_PKEY_CTX_new(pk, NULL);
	EVP_PKEY_sign_init(c);
	EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING);
	EVP_PKEY_CTX_set_signature_md(c, EVP_sha256());
	t = now_us();
	for (int i = 0; i < OPS_N; i++) {
		sl = k;
		if (EVP_PKEY_sign(c, sig, &sl, h, 32) != 1)
			exit(1);
	}
	os = (now_us() - t) / OPS_N;
	EVP_PKEY_verify_init(c);
	EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING);
	EVP_PKEY_CTX_set_signature_md(c, EVP_sha256());
	t = now_us();
	for (int i = 0; i < OPS_N; i++)
		if (EVP_PKEY_verify(c, sig, k, h, 32) != 1)
			exit(1);
	ov = (now_us() - t) / OPS_N;
	snprintf(name, sizeof(name), "RSA-%u PKCS1 sign", bits);
	row(name, ms, os);
	snprintf(name, sizeof(name), "RSA-%u PKCS1 verify", bits);
	row(name, mv, ov);
	EVP_PKEY_CTX_free(c);
	EVP_PKEY_free(pk);
}

/* ECDSA sign/verify for one curve; OpenSSL gets its own key of the same curve. */
static void bench_ecdsa(const char *curve, size_t len)
{
	uint8_t d[48], xy[96], h[48], rs[96], der[128];
	double t, ms, mv, os, ov;
	size_t dl = 0;
	char name[64];
	EVP_PKEY *pk = EVP_EC_gen(curve);
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(pk, NULL);
	bool p384 = len == 48;

	xfill(NULL, h, sizeof(h));
	if (!(p384 ? crypto_p384_derive(CRYPTO_SHA384, "b", 1, "b", NULL, 0, NULL, 0, d)
		   : crypto_p256_derive(CRYPTO_SHA256, "b", 1, "b", NULL, 0, NULL, 0, d)) ||
	    !(p384 ? crypto_p384_public(d, xy) : crypto_p256_public(d, xy)))
		exit(1);
	t = now_us();
	for (int i = 0; i < OPS_N; i++)
		if (!(p384 ? crypto_ecdsa_p384_sign(d, CRYPTO_SHA384, h, rs) : crypto_ecdsa_p256_sign(d, CRYPTO_SHA256, h, rs)))
			exit(1);
	ms = (now_us() - t) / OPS_N;
	t = now_us();
	for (int i = 0; i < OPS_N; i++)
		if (!(p384 ? crypto_ecdsa_p384_verify(xy, h, 48, rs) : crypto_ecdsa_p256_verify(xy, h, 32, rs)))
			exit(1);
	mv = (now_us() - t) / OPS_N;
	EVP_PKEY_sign_init(c);
	t = now_us();
	for (int i = 0; i < OPS_N; i++) {
		dl = sizeof(der);
		if (EVP_PKEY_sign(c, der, &dl, h, len) != 1)
			exit(1);
	}
	os = (now_us() - t) / OPS_N;
	EVP_PKEY_verify_init(c);
	t = now_us();
	for (int i = 0; i < OPS_N; i++)
		if (EVP_PKEY_verify(c, der, dl, h, len) != 1)
			exit(1);
	ov = (now_us() - t) / OPS_N;
	snprintf(name, sizeof(name), "ECDSA %s sign", p384 ? "P-384" : "P-256");
	row(name, ms, os);
	snprintf(name, sizeof(name), "ECDSA %s verify", p384 ? "P-384" : "P-256");
	row(name, mv, ov);
	EVP_PKEY_CTX_free(c);
	EVP_PKEY_free(pk);
}

int main(void)
{
	printf("crypto-bench: core/crypto (BearSSL, general registers) vs OpenSSL, per operation\n");
	printf("  %-30s %13s %13s   %s\n", "", "core/crypto", "OpenSSL", "ratio");
	bench_rsa_keygen();
	bench_rsa_ops(2048);
	bench_rsa_ops(3072);
	bench_ecdsa("P-256", 32);
	bench_ecdsa("P-384", 48);
	return 0;
}
