/* RSA (PKCS #1 v2.2, RFC 8017) operations on BearSSL.
 *
 * BearSSL's "i62" engine (64x64->128 multiplications) where the compiler has 128-bit integers,
 * which both image compilers (x86_64 gcc, aarch64-linux-gnu-gcc) and the host have; its "i31" engine
 * otherwise. Raw RSAEP/RSADP, RSASSA-PKCS1-v1_5 and RSAES-OAEP are BearSSL's; RSASSA-PSS and
 * RSAES-PKCS1-v1_5 are Mantle's padding (rsa_pad.c) around the raw operations. Key generation,
 * derivation and rebuilding a key from one prime are in rsa_key.c. */
#include "core/crypto/crypto.h"

#include "bearssl.h"
#include "core/crypto/crypto_internal.h"
#include "core/str.h"

#ifdef __SIZEOF_INT128__
#define RSA_ENGINE(op) br_rsa_i62_##op
#else
#define RSA_ENGINE(op) br_rsa_i31_##op
#endif

/* The PKCS #1 v1.5 signature of a digest is its DigestInfo; BearSSL builds it from the OID. */
static const unsigned char *hash_oid(enum crypto_hash_alg alg)
{
	switch (alg) {
	case CRYPTO_SHA1: return BR_HASH_OID_SHA1;
	case CRYPTO_SHA256: return BR_HASH_OID_SHA256;
	case CRYPTO_SHA384: return BR_HASH_OID_SHA384;
	case CRYPTO_SHA512: return BR_HASH_OID_SHA512;
	default: return NULL;
	}
}

static bool rsa_bits_ok(unsigned bits)
{
	return bits == 2048 || bits == 3072;
}

/* A BearSSL view of our public key; ebuf holds e's big-endian bytes. Rejects what no RSA key can
 * be: a size we do not support, a modulus without its top bit or even, e even or below 3. */
static bool pub_view(const struct crypto_rsa_pub *pub, br_rsa_public_key *pk, uint8_t ebuf[4])
{
	size_t k = pub->bits / 8u, elen = 4;

	if (!rsa_bits_ok(pub->bits) || !(pub->n[0] & 0x80) || !(pub->n[k - 1] & 1) || pub->e < 3 ||
	    !(pub->e & 1))
		return false;
	ebuf[0] = (uint8_t)(pub->e >> 24);
	ebuf[1] = (uint8_t)(pub->e >> 16);
	ebuf[2] = (uint8_t)(pub->e >> 8);
	ebuf[3] = (uint8_t)pub->e;
	while (ebuf[4 - elen] == 0)
		elen--;
	*pk = (br_rsa_public_key){ .n = (unsigned char *)pub->n, .nlen = k, .e = ebuf + 4 - elen, .elen = elen };
	return true;
}

/* A BearSSL view of our CRT key (BearSSL only reads through these pointers). */
static bool priv_view(const struct crypto_rsa_priv *priv, br_rsa_private_key *sk)
{
	size_t half = priv->bits / 16u;

	if (!rsa_bits_ok(priv->bits))
		return false;
	*sk = (br_rsa_private_key){
		.n_bitlen = priv->bits,
		.p = (unsigned char *)priv->p, .plen = half,
		.q = (unsigned char *)priv->q, .qlen = half,
		.dp = (unsigned char *)priv->dp, .dplen = half,
		.dq = (unsigned char *)priv->dq, .dqlen = half,
		.iq = (unsigned char *)priv->iq, .iqlen = half,
	};
	return true;
}

/* ---- crypto_rand_fn as a BearSSL PRNG ---- */

static void rand_prng_init(const br_prng_class **ctx, const void *params, const void *seed, size_t len)
{
	(void)ctx, (void)params, (void)seed, (void)len;
}

static void rand_prng_generate(const br_prng_class **ctx, void *out, size_t len)
{
	struct crypto_rand_prng *r = (struct crypto_rand_prng *)(void *)ctx;

	r->fn(r->ctx, out, len);
}

static void rand_prng_update(const br_prng_class **ctx, const void *seed, size_t len)
{
	(void)ctx, (void)seed, (void)len;
}

static const br_prng_class rand_prng_class = {
	.context_size = sizeof(struct crypto_rand_prng),
	.init = rand_prng_init,
	.generate = rand_prng_generate,
	.update = rand_prng_update,
};

void crypto_rand_prng_init(struct crypto_rand_prng *r, crypto_rand_fn fn, void *ctx)
{
	*r = (struct crypto_rand_prng){ .vtable = &rand_prng_class, .fn = fn, .ctx = ctx };
}

/* ---- raw operations ---- */

bool crypto_rsa_public_raw(const struct crypto_rsa_pub *pub, const uint8_t *in, uint8_t *out)
{
	br_rsa_public_key pk;
	uint8_t ebuf[4];

	if (!pub_view(pub, &pk, ebuf))
		return false;
	memmove(out, in, pk.nlen);
	/* BearSSL rejects in >= n. */
	if (RSA_ENGINE(public)(out, pk.nlen, &pk) != 1) {
		memset(out, 0, pk.nlen);
		return false;
	}
	return true;
}

bool crypto_rsa_private_raw(const struct crypto_rsa_priv *priv, const uint8_t *in, uint8_t *out)
{
	br_rsa_private_key sk;
	uint32_t ok;

	if (!priv_view(priv, &sk))
		return false;
	memmove(out, in, priv->bits / 8u);
	/* Fails for in >= p*q (public) or an even prime (a broken key). */
	ok = RSA_ENGINE(private)(out, &sk);
	CRYPTO_CT_DECLASSIFY(&ok, sizeof(ok));
	if (ok != 1) {
		crypto_wipe(out, priv->bits / 8u);
		return false;
	}
	return true;
}

/* ---- RSASSA-PKCS1-v1_5 (BearSSL) ---- */

bool crypto_rsa_pkcs1_sign(const struct crypto_rsa_priv *priv, enum crypto_hash_alg alg, const uint8_t *digest,
			   uint8_t *sig)
{
	const unsigned char *oid = hash_oid(alg);
	br_rsa_private_key sk;
	uint32_t ok;

	if (!oid || !priv_view(priv, &sk))
		return false;
	ok = RSA_ENGINE(pkcs1_sign)(oid, digest, crypto_hash_size(alg), &sk, sig);
	CRYPTO_CT_DECLASSIFY(&ok, sizeof(ok));
	if (ok != 1) {
		crypto_wipe(sig, priv->bits / 8u);
		return false;
	}
	return true;
}

bool crypto_rsa_pkcs1_verify(const struct crypto_rsa_pub *pub, enum crypto_hash_alg alg, const uint8_t *digest,
			     const uint8_t *sig, size_t sig_len)
{
	const unsigned char *oid = hash_oid(alg);
	uint8_t ebuf[4], got[CRYPTO_HASH_MAX_DIGEST];
	size_t hlen = crypto_hash_size(alg);
	br_rsa_public_key pk;

	/* RFC 8017 8.2.2 step 1: the signature is exactly k bytes. */
	if (!oid || !pub_view(pub, &pk, ebuf) || sig_len != pk.nlen)
		return false;
	if (RSA_ENGINE(pkcs1_vrfy)(sig, sig_len, oid, hlen, &pk, got) != 1)
		return false;
	return crypto_ct_equal(got, digest, hlen);
}

/* ---- RSASSA-PSS (rsa_pad.c) ---- */

bool crypto_rsa_pss_sign_salt(const struct crypto_rsa_priv *priv, enum crypto_hash_alg alg, const uint8_t *digest,
			      const uint8_t *salt, size_t salt_len, uint8_t *sig)
{
	if (!rsa_bits_ok(priv->bits) ||
	    !rsa_pad_pss_encode(alg, digest, salt, salt_len, priv->bits, sig, priv->bits / 8u))
		return false;
	return crypto_rsa_private_raw(priv, sig, sig);
}

bool crypto_rsa_pss_sign(const struct crypto_rsa_priv *priv, enum crypto_hash_alg alg, const uint8_t *digest,
			 crypto_rand_fn rand, void *rand_ctx, uint8_t *sig)
{
	uint8_t salt[CRYPTO_HASH_MAX_DIGEST];
	size_t hlen = crypto_hash_size(alg);
	bool ok;

	if (hlen == 0)
		return false;
	rand(rand_ctx, salt, hlen);
	ok = crypto_rsa_pss_sign_salt(priv, alg, digest, salt, hlen, sig);
	crypto_wipe(salt, sizeof(salt));
	return ok;
}

bool crypto_rsa_pss_verify(const struct crypto_rsa_pub *pub, enum crypto_hash_alg alg, const uint8_t *digest,
			   const uint8_t *sig, size_t sig_len)
{
	uint8_t em[CRYPTO_RSA_MAX_BYTES];

	if (!rsa_bits_ok(pub->bits) || sig_len != pub->bits / 8u || !crypto_rsa_public_raw(pub, sig, em))
		return false;
	return rsa_pad_pss_verify(alg, digest, em, pub->bits, sig_len);
}

/* ---- RSAES-OAEP (BearSSL) ---- */

bool crypto_rsa_oaep_encrypt(const struct crypto_rsa_pub *pub, enum crypto_hash_alg alg, const void *label,
			     size_t label_len, const uint8_t *msg, size_t len, crypto_rand_fn rand, void *rand_ctx,
			     uint8_t *out)
{
	const br_hash_class *hc = crypto_br_hash_class(alg);
	struct crypto_rand_prng prng;
	br_rsa_public_key pk;
	uint8_t ebuf[4];

	if (!hc || !pub_view(pub, &pk, ebuf))
		return false;
	crypto_rand_prng_init(&prng, rand, rand_ctx);
	/* BearSSL checks len <= k - 2 hLen - 2 (RFC 8017 7.1.1 step 1b). */
	return RSA_ENGINE(oaep_encrypt)(&prng.vtable, hc, label, label_len, &pk, out, pk.nlen, msg, len) == pk.nlen;
}

bool crypto_rsa_oaep_decrypt(const struct crypto_rsa_priv *priv, enum crypto_hash_alg alg, const void *label,
			     size_t label_len, const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len)
{
	const br_hash_class *hc = crypto_br_hash_class(alg);
	uint8_t buf[CRYPTO_RSA_MAX_BYTES];
	br_rsa_private_key sk;
	size_t len = in_len;
	uint32_t ok;

	*out_len = 0;
	if (!hc || !priv_view(priv, &sk) || in_len != priv->bits / 8u)
		return false;
	memcpy(buf, in, in_len);
	/* BearSSL's unpadding is constant time; only its verdict and the length come out. */
	ok = RSA_ENGINE(oaep_decrypt)(hc, label, label_len, &sk, buf, &len);
	CRYPTO_CT_DECLASSIFY(&ok, sizeof(ok));
	CRYPTO_CT_DECLASSIFY(&len, sizeof(len));
	if (ok == 1) {
		memcpy(out, buf, len);
		*out_len = len;
	}
	crypto_wipe(buf, sizeof(buf));
	return ok == 1;
}

/* ---- RSAES-PKCS1-v1_5 (rsa_pad.c) ---- */

bool crypto_rsa_pkcs1_encrypt_ps(const struct crypto_rsa_pub *pub, const uint8_t *msg, size_t len,
				 const uint8_t *ps, uint8_t *out)
{
	uint8_t em[CRYPTO_RSA_MAX_BYTES];

	if (!rsa_bits_ok(pub->bits) || !rsa_pad_pkcs1_encrypt_encode(msg, len, ps, em, pub->bits / 8u))
		return false;
	return crypto_rsa_public_raw(pub, em, out);
}

/* Fills ps with nonzero random bytes; a source that keeps returning zeros is refused. */
static bool nonzero_random(crypto_rand_fn rand, void *rand_ctx, uint8_t *ps, size_t len)
{
	unsigned budget = 1024;

	rand(rand_ctx, ps, len);
	for (size_t i = 0; i < len; i++) {
		while (ps[i] == 0) {
			if (budget-- == 0)
				return false;
			rand(rand_ctx, ps + i, 1);
		}
	}
	return true;
}

bool crypto_rsa_pkcs1_encrypt(const struct crypto_rsa_pub *pub, const uint8_t *msg, size_t len,
			      crypto_rand_fn rand, void *rand_ctx, uint8_t *out)
{
	uint8_t ps[CRYPTO_RSA_MAX_BYTES];
	size_t k = pub->bits / 8u;
	bool ok;

	if (!rsa_bits_ok(pub->bits) || len > k - 11)
		return false;
	ok = nonzero_random(rand, rand_ctx, ps, k - len - 3) && crypto_rsa_pkcs1_encrypt_ps(pub, msg, len, ps, out);
	crypto_wipe(ps, sizeof(ps));
	return ok;
}

bool crypto_rsa_pkcs1_decrypt(const struct crypto_rsa_priv *priv, const uint8_t *in, size_t in_len, uint8_t *out,
			      size_t *out_len)
{
	uint8_t em[CRYPTO_RSA_MAX_BYTES];
	size_t len = 0;
	uint32_t ok;

	*out_len = 0;
	/* RFC 8017 7.2.2 step 1: the ciphertext is exactly k bytes. */
	if (!rsa_bits_ok(priv->bits) || in_len != priv->bits / 8u || !crypto_rsa_private_raw(priv, in, em))
		return false;
	/* Constant-time check; what leaves it is whether the padding was right and the length,
	 * which the caller (TPM2_RSA_Decrypt) reports anyway. */
	ok = rsa_pad_pkcs1_decrypt_check(em, in_len, &len);
	CRYPTO_CT_DECLASSIFY(&ok, sizeof(ok));
	CRYPTO_CT_DECLASSIFY(&len, sizeof(len));
	if (ok == 1) {
		memcpy(out, em, len);
		*out_len = len;
	}
	crypto_wipe(em, sizeof(em));
	return ok == 1;
}
