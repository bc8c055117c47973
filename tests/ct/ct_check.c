/* Constant-time check of core/crypto's private-key code paths, ctgrind style.
 *
 * Built without sanitizers and run under valgrind's memcheck (make crypto-ct). Each check marks its
 * secret inputs undefined with VALGRIND_MAKE_MEM_UNDEFINED; memcheck then reports any conditional
 * jump or memory address that depends on them. core/crypto is compiled with CRYPTO_CT_VALGRIND, so
 * the few values a function must reveal (its success bit, a decrypted length) are declassified
 * where they leave constant-time code (CRYPTO_CT_DECLASSIFY); results are declassified here before
 * they are compared. What BearSSL does on purpose with secrets (the prime search of key generation)
 * is suppressed in tests/ct/ct.supp, with the reason. The checks also verify the results, so a
 * path that was silently skipped would fail.
 *
 * Exit status: 0 when every functional check passed; valgrind's --error-exitcode reports leaks of
 * secrets into control flow. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <valgrind/memcheck.h>

#include "core/crypto/crypto.h"
#include "core/crypto/crypto_internal.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static int failures;

#define EXPECT(c)                                                                  \
	do {                                                                       \
		if (!(c)) {                                                        \
			fprintf(stderr, "ct_check: %s:%d: %s\n", __func__, __LINE__, #c); \
			failures++;                                                \
		}                                                                  \
	} while (0)

static uint64_t rs = 0x0123456789ABCDEFull;
static void xfill(void *ctx, void *out, size_t n)
{
	uint8_t *b = out;

	(void)ctx;
	for (size_t i = 0; i < n; i++) {
		rs ^= rs >> 12;
		rs ^= rs << 25;
		rs ^= rs >> 27;
		b[i] = (uint8_t)((rs * 0x2545F4914F6CDD1Dull) >> 56);
	}
}

/* ---- KDFs ---- */

static void check_kdfs(void)
{
	uint8_t key[48], out[100], ref[100];

	for (int a = CRYPTO_SHA1; a < CRYPTO_HASH_COUNT; a++) {
		xfill(NULL, key, sizeof(key));
		EXPECT(crypto_kdfa(a, key, sizeof(key), "ct", "u", 1, "v", 1, 8 * 100 - 3, ref));
		SECRET(key, sizeof(key));
		EXPECT(crypto_kdfa(a, key, sizeof(key), "ct", "u", 1, "v", 1, 8 * 100 - 3, out));
		EXPECT(crypto_kdfe(a, key, sizeof(key), "ct", "u", 1, "v", 1, 8 * 100, out));
		PUBLIC(key, sizeof(key));
		EXPECT(crypto_kdfa(a, key, sizeof(key), "ct", "u", 1, "v", 1, 8 * 100 - 3, out));
		EXPECT(memcmp(out, ref, sizeof(out)) == 0);
	}
}

/* ---- ECC: derivation candidate selection, public key, ECDSA, ECDH ---- */

static void check_ecc(void)
{
	uint8_t seed[32], d[48], xy[96], peer[96], pd[48], h[48], rs_[96], z[48];

	xfill(NULL, seed, sizeof(seed));
	xfill(NULL, h, sizeof(h));
	/* peers: public */
	EXPECT(crypto_p256_derive(CRYPTO_SHA256, "peer", 4, "p", NULL, 0, NULL, 0, pd));
	EXPECT(crypto_p256_public(pd, peer));
	SECRET(seed, sizeof(seed));
	EXPECT(crypto_p256_derive(CRYPTO_SHA256, seed, sizeof(seed), "ct", NULL, 0, NULL, 0, d));
	/* d stays secret: it comes from the seed */
	EXPECT(crypto_p256_public(d, xy));
	EXPECT(crypto_ecdsa_p256_sign(d, CRYPTO_SHA256, h, rs_));
	EXPECT(crypto_ecdh_p256(d, peer, z));
	PUBLIC(xy, sizeof(xy));
	PUBLIC(rs_, 64);
	EXPECT(crypto_ecdsa_p256_verify(xy, h, 32, rs_));

	EXPECT(crypto_p384_derive(CRYPTO_SHA384, "peer", 4, "p", NULL, 0, NULL, 0, pd));
	EXPECT(crypto_p384_public(pd, peer));
	EXPECT(crypto_p384_derive(CRYPTO_SHA384, seed, sizeof(seed), "ct", NULL, 0, NULL, 0, d));
	EXPECT(crypto_p384_public(d, xy));
	EXPECT(crypto_ecdsa_p384_sign(d, CRYPTO_SHA384, h, rs_));
	EXPECT(crypto_ecdh_p384(d, peer, z));
	PUBLIC(xy, sizeof(xy));
	PUBLIC(rs_, 96);
	EXPECT(crypto_ecdsa_p384_verify(xy, h, 48, rs_));
	PUBLIC(seed, sizeof(seed));
}

/* ---- RSA padding (ours) on secret encoded messages ---- */

static void check_pkcs1_decrypt_padding(void)
{
	static const size_t zero_at[] = { 100, 255, 10, 9, 2, 0 };
	uint8_t em[256];
	size_t len;

	for (size_t i = 0; i < sizeof(zero_at) / sizeof(zero_at[0]); i++) {
		uint32_t ok;

		xfill(NULL, em, sizeof(em));
		for (size_t j = 2; j < sizeof(em); j++)
			em[j] |= 1;
		em[0] = 0;
		em[1] = 2;
		if (zero_at[i])
			em[zero_at[i]] = 0;
		SECRET(em, sizeof(em));
		ok = rsa_pad_pkcs1_decrypt_check(em, sizeof(em), &len);
		PUBLIC(&ok, sizeof(ok));
		PUBLIC(&len, sizeof(len));
		EXPECT(ok == (zero_at[i] >= 10));
		EXPECT(!ok || len == 255 - zero_at[i]);
		PUBLIC(em, sizeof(em));
	}
}

static void check_pss_encode(void)
{
	uint8_t h[64], salt[64], em[384];

	xfill(NULL, h, sizeof(h));
	xfill(NULL, salt, sizeof(salt));
	SECRET(h, sizeof(h));
	SECRET(salt, sizeof(salt));
	EXPECT(rsa_pad_pss_encode(CRYPTO_SHA512, h, salt, 64, 3072, em, 384));
	EXPECT(rsa_pad_pss_encode(CRYPTO_SHA256, h, salt, 32, 2047, em, 256));
	PUBLIC(h, sizeof(h));
	PUBLIC(salt, sizeof(salt));
}

/* ---- RSA with a secret key: signing, decryption, rebuilding from a prime, derivation ---- */

static struct crypto_rsa_pub pub;
static struct crypto_rsa_priv priv;

static void secret_key(struct crypto_rsa_priv *k)
{
	size_t half = k->bits / 16u;

	SECRET(k->p, half);
	SECRET(k->q, half);
	SECRET(k->dp, half);
	SECRET(k->dq, half);
	SECRET(k->iq, half);
}

static void public_key(struct crypto_rsa_priv *k)
{
	PUBLIC(k, sizeof(*k));
}

static void check_rsa_private_ops(void)
{
	uint8_t h[32], sig[256], msg[100], ct[256], pt[256];
	static const char label[] = "ct-label";
	size_t len;
	bool ok;

	xfill(NULL, h, sizeof(h));
	xfill(NULL, msg, sizeof(msg));
	secret_key(&priv);
	EXPECT(crypto_rsa_pkcs1_sign(&priv, CRYPTO_SHA256, h, sig));
	PUBLIC(sig, sizeof(sig));
	EXPECT(crypto_rsa_pkcs1_verify(&pub, CRYPTO_SHA256, h, sig, 256));
	EXPECT(crypto_rsa_pss_sign(&priv, CRYPTO_SHA256, h, xfill, NULL, sig));
	PUBLIC(sig, sizeof(sig));
	EXPECT(crypto_rsa_pss_verify(&pub, CRYPTO_SHA256, h, sig, 256));

	EXPECT(crypto_rsa_oaep_encrypt(&pub, CRYPTO_SHA256, label, sizeof(label), msg, 100, xfill, NULL, ct));
	ok = crypto_rsa_oaep_decrypt(&priv, CRYPTO_SHA256, label, sizeof(label), ct, 256, pt, &len);
	PUBLIC(pt, sizeof(pt));
	EXPECT(ok && len == 100 && memcmp(pt, msg, 100) == 0);
	ct[5] ^= 1; /* bad padding: the failure is constant time too */
	EXPECT(!crypto_rsa_oaep_decrypt(&priv, CRYPTO_SHA256, label, sizeof(label), ct, 256, pt, &len));

	EXPECT(crypto_rsa_pkcs1_encrypt(&pub, msg, 100, xfill, NULL, ct));
	ok = crypto_rsa_pkcs1_decrypt(&priv, ct, 256, pt, &len);
	PUBLIC(pt, sizeof(pt));
	EXPECT(ok && len == 100 && memcmp(pt, msg, 100) == 0);
	ct[5] ^= 1;
	EXPECT(!crypto_rsa_pkcs1_decrypt(&priv, ct, 256, pt, &len));
	public_key(&priv);
}

static void check_rsa_priv_from_prime(void)
{
	struct crypto_rsa_priv got;
	uint8_t p[128];

	memcpy(p, priv.p, sizeof(p));
	SECRET(p, sizeof(p));
	EXPECT(crypto_rsa_priv_from_prime(&pub, p, sizeof(p), &got));
	public_key(&got);
	EXPECT(memcmp(&got, &priv, sizeof(got)) == 0);
	p[127] ^= 2; /* not a divisor: rejected, in constant time until the verdict */
	EXPECT(!crypto_rsa_priv_from_prime(&pub, p, sizeof(p), &got));
	PUBLIC(p, sizeof(p));
}

static void check_rsa_derive(void)
{
	struct crypto_rsa_pub dpub;
	struct crypto_rsa_priv dpriv;
	uint8_t seed[32], h[32], sig[256];

	xfill(NULL, seed, sizeof(seed));
	xfill(NULL, h, sizeof(h));
	SECRET(seed, sizeof(seed));
	EXPECT(crypto_rsa_derive(CRYPTO_SHA256, seed, sizeof(seed), "ct", NULL, 0, NULL, 0, 2048, 0, &dpub, &dpriv));
	/* n is public once the key exists */
	PUBLIC(&dpub, sizeof(dpub));
	EXPECT(crypto_rsa_pkcs1_sign(&dpriv, CRYPTO_SHA256, h, sig));
	PUBLIC(sig, sizeof(sig));
	EXPECT(crypto_rsa_pkcs1_verify(&dpub, CRYPTO_SHA256, h, sig, 256));
	PUBLIC(seed, sizeof(seed));
}

int main(void)
{
	struct { const char *name; void (*fn)(void); } checks[] = {
		{ "kdfa/kdfe", check_kdfs },
		{ "ecc derive/sign/ecdh", check_ecc },
		{ "pkcs1 decrypt padding", check_pkcs1_decrypt_padding },
		{ "pss encode", check_pss_encode },
		{ "rsa private operations", check_rsa_private_ops },
		{ "rsa priv_from_prime", check_rsa_priv_from_prime },
		{ "rsa derive", check_rsa_derive },
	};

	if (!crypto_rsa_generate(2048, 0, xfill, NULL, &pub, &priv)) {
		fprintf(stderr, "ct_check: key generation failed\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		int before = failures;

		checks[i].fn();
		printf("ct_check: %-24s %s\n", checks[i].name, failures == before ? "ok" : "FAILED");
	}
	return failures ? 1 : 0;
}
