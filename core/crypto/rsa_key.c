/* RSA keys: generation (BearSSL's keygen over a crypto_rand_fn), deterministic derivation from a
 * seed (FROZEN, docs/crypto.md "RSA key derivation"), and rebuilding the CRT key from the public
 * key and one prime (what a TPM sensitive area stores).
 *
 * Rebuilding needs q = n / p, dp, dq and iq. BearSSL has no public division, so:
 *  - q by exact (Hensel) division: n = p*q means q = n * p^-1 mod 2^(bits/2), computed limb by
 *    limb from the bottom like a Montgomery reduction; whatever remains of n must then be zero,
 *    which is also the check that p divides n;
 *  - dp = e^-1 mod (p-1) through one Euclidean step with the 32-bit e: p-1 = k*e + r; with
 *    v = -r^-1 mod e and u = (1 + v*r) / e, u*e - v*r = 1 and dp = u + v*k (then dp*e = 1 + v*(p-1));
 *  - iq = q^-1 mod p with BearSSL's internal br_i31_moddiv (inner.h).
 * All of it runs in a time that depends only on the key size, except the final verdicts. */
#include "core/crypto/crypto.h"

#include "bearssl.h"
#include "core/crypto/crypto_internal.h"
#include "core/str.h"

/* BearSSL 0.6 internals (src/inner.h) used here: its i31 big integers (word 0 holds the "announced"
 * bit length in BearSSL's encoding, then 31-bit limbs, least significant first) and a constant-time
 * 64/32 division. Declared here because not every build of core/crypto has BearSSL's src/ on its
 * include path (the vTPM fuzzer's does not); where it is, inner.h is included as well, so the
 * compiler checks these declarations against BearSSL's own. */
uint32_t br_divrem(uint32_t hi, uint32_t lo, uint32_t d, uint32_t *r);
void br_i31_decode(uint32_t *x, const void *src, size_t len);
void br_i31_decode_reduce(uint32_t *x, const void *src, size_t len, const uint32_t *m);
void br_i31_encode(void *dst, size_t len, const uint32_t *x);
uint32_t br_i31_ninv31(uint32_t x);
uint32_t br_i31_moddiv(uint32_t *x, const uint32_t *y, const uint32_t *m, uint32_t m0i, uint32_t *t);
#if __has_include("inner.h")
#include "inner.h"
#endif

#ifdef __SIZEOF_INT128__
#define RSA_KEYGEN br_rsa_i62_keygen
#else
#define RSA_KEYGEN br_rsa_i31_keygen
#endif

#define RSA_E_DEFAULT 65537u
#define HALF_LIMBS_MAX (CRYPTO_RSA_MAX_PRIME / 4u)            /* 32-bit limbs of a prime */
#define I31_WORDS_MAX ((CRYPTO_RSA_MAX_PRIME * 8u + 30u) / 31u + 2u) /* i31 integer of a prime */

_Static_assert(BR_RSA_KBUF_PRIV_SIZE(CRYPTO_RSA_MAX_BITS) == 5u * CRYPTO_RSA_MAX_PRIME,
	       "BearSSL's private key buffer is five half-size values");
#ifdef BR_MAX_RSA_SIZE /* from inner.h */
_Static_assert(CRYPTO_RSA_MAX_BITS <= BR_MAX_RSA_SIZE, "BearSSL built without 3072-bit RSA");
#endif

/* Right-aligns a big-endian value of len bytes into a field of flen bytes. */
static void put_field(uint8_t *field, size_t flen, const uint8_t *v, size_t len)
{
	memset(field, 0, flen - len);
	memcpy(field + flen - len, v, len);
}

static bool gen_params_ok(unsigned bits, uint32_t *e)
{
	if (*e == 0)
		*e = RSA_E_DEFAULT;
	return (bits == 2048 || bits == 3072) && *e >= 3 && (*e & 1);
}

/* BearSSL's keygen writes p, q, dp, dq, iq each bits/16 bytes long (both primes have exactly
 * bits/2 bits, the top two set) and n bits/8 bytes. */
static bool keygen(const br_prng_class **rng, unsigned bits, uint32_t e, struct crypto_rsa_pub *pub,
		   struct crypto_rsa_priv *priv)
{
	uint8_t kpriv[BR_RSA_KBUF_PRIV_SIZE(CRYPTO_RSA_MAX_BITS)];
	uint8_t kpub[BR_RSA_KBUF_PUB_SIZE(CRYPTO_RSA_MAX_BITS)];
	size_t half = bits / 16u;
	br_rsa_private_key sk;
	br_rsa_public_key pk;
	uint32_t ok;

	ok = RSA_KEYGEN(rng, &sk, kpriv, &pk, kpub, bits, e);
	CRYPTO_CT_DECLASSIFY(&ok, sizeof(ok));
	if (ok != 1 || pk.nlen != bits / 8u || sk.plen != half || sk.qlen != half) {
		crypto_wipe(kpriv, sizeof(kpriv));
		return false;
	}
	*pub = (struct crypto_rsa_pub){ .bits = (uint16_t)bits, .e = e };
	memcpy(pub->n, pk.n, pk.nlen);
	*priv = (struct crypto_rsa_priv){ .bits = (uint16_t)bits, .e = e };
	put_field(priv->p, half, sk.p, sk.plen);
	put_field(priv->q, half, sk.q, sk.qlen);
	put_field(priv->dp, half, sk.dp, sk.dplen);
	put_field(priv->dq, half, sk.dq, sk.dqlen);
	put_field(priv->iq, half, sk.iq, sk.iqlen);
	crypto_wipe(kpriv, sizeof(kpriv));
	return true;
}

bool crypto_rsa_generate(unsigned bits, uint32_t e, crypto_rand_fn rand, void *rand_ctx, struct crypto_rsa_pub *pub,
			 struct crypto_rsa_priv *priv)
{
	struct crypto_rand_prng prng;

	if (!gen_params_ok(bits, &e))
		return false;
	crypto_rand_prng_init(&prng, rand, rand_ctx);
	return keygen(&prng.vtable, bits, e, pub, priv);
}

static void stream_rand(void *ctx, void *out, size_t len)
{
	crypto_kdfa_stream_read(ctx, out, len);
}

bool crypto_rsa_derive(enum crypto_hash_alg alg, const void *seed, size_t seed_len, const char *label,
		       const void *ctx_u, size_t u_len, const void *ctx_v, size_t v_len, unsigned bits, uint32_t e,
		       struct crypto_rsa_pub *pub, struct crypto_rsa_priv *priv)
{
	struct crypto_kdfa_stream s;
	struct crypto_rand_prng prng;
	bool ok;

	if (!gen_params_ok(bits, &e) ||
	    !crypto_kdfa_stream_init(&s, alg, seed, seed_len, label, ctx_u, u_len, ctx_v, v_len))
		return false;
	crypto_rand_prng_init(&prng, stream_rand, &s);
	ok = keygen(&prng.vtable, bits, e, pub, priv) && !s.exhausted;
	crypto_kdfa_stream_end(&s);
	if (!ok)
		crypto_wipe(priv, sizeof(*priv));
	return ok;
}

/* ---- rebuilding the CRT key from one prime ---- */

/* Big-endian bytes <-> little-endian 32-bit limbs (len = 4 * limbs). */
static void limbs_from_be(uint32_t *x, const uint8_t *b, size_t limbs)
{
	for (size_t i = 0; i < limbs; i++) {
		const uint8_t *w = b + 4 * (limbs - 1 - i);

		x[i] = (uint32_t)w[0] << 24 | (uint32_t)w[1] << 16 | (uint32_t)w[2] << 8 | w[3];
	}
}

static void limbs_to_be(uint8_t *b, const uint32_t *x, size_t limbs)
{
	for (size_t i = 0; i < limbs; i++) {
		uint8_t *w = b + 4 * (limbs - 1 - i);

		w[0] = (uint8_t)(x[i] >> 24);
		w[1] = (uint8_t)(x[i] >> 16);
		w[2] = (uint8_t)(x[i] >> 8);
		w[3] = (uint8_t)x[i];
	}
}

/* q = n / p by exact division (n has 2*L limbs, p and q L limbs, p odd). Returns 1 when p*q == n
 * exactly, 0 otherwise; constant time. n is destroyed. */
static uint32_t exact_div(uint32_t *q, uint32_t *n, const uint32_t *p, size_t L)
{
	uint32_t pinv = p[0], rest = 0, neg = 0;

	/* p0^-1 mod 2^32 by Newton's iteration: correct to 3 bits for odd p0, doubling each step. */
	for (int i = 0; i < 4; i++)
		pinv *= 2u - p[0] * pinv;
	for (size_t i = 0; i < L; i++) {
		uint32_t qi = n[i] * pinv, borrow = 0;
		uint64_t carry = 0;

		q[i] = qi;
		/* n -= qi * p * 2^(32 i); this clears limb i. */
		for (size_t j = 0; j < 2 * L - i; j++) {
			uint64_t t = (j < L ? (uint64_t)qi * p[j] : 0) + carry;
			uint64_t d = (uint64_t)n[i + j] - (uint32_t)t - borrow;

			carry = t >> 32;
			n[i + j] = (uint32_t)d;
			borrow = (uint32_t)(d >> 63);
		}
		neg |= borrow; /* went below zero: p*q exceeds n */
	}
	for (size_t i = 0; i < 2 * L; i++)
		rest |= n[i];
	return ((rest | (0u - rest)) >> 31 ^ 1u) & (neg ^ 1u);
}

/* The inverse of a modulo the odd m (both below 2^32) by the binary extended Euclid algorithm with
 * masks instead of branches. *ok = 1 when gcd(a, m) = 1. Invariants: a = u*a0, b = v*a0 (mod m). */
static uint32_t inv_mod_odd(uint32_t a, uint32_t m, uint32_t *ok)
{
	uint32_t b = m, u = 1, v = 0;

	for (int i = 0; i < 64; i++) {
		uint32_t odd = 0u - (a & 1u);
		uint32_t swap = odd & (uint32_t)(0u - (uint32_t)(((uint64_t)a - b) >> 63));
		uint32_t ta = (a ^ b) & swap, tu = (u ^ v) & swap;
		uint64_t t;

		a ^= ta, b ^= ta, u ^= tu, v ^= tu;
		a -= b & odd;
		t = (uint64_t)u - (v & odd);
		u = (uint32_t)t + (m & (uint32_t)(0u - (uint32_t)(t >> 63)));
		a >>= 1;
		u = (uint32_t)(((uint64_t)u + (m & (0u - (u & 1u)))) >> 1);
	}
	*ok = ((b ^ 1u) | (0u - (b ^ 1u))) >> 31 ^ 1u;
	return v;
}

/* d = e^-1 mod (x - 1) for the odd prime x (L limbs); see the top of the file. Returns 1 when e is
 * invertible. */
static uint32_t crt_exponent(uint32_t *d, const uint32_t *x, size_t L, uint32_t e)
{
	uint32_t k[HALF_LIMBS_MAX], r = 0, ok, v, u, hi, lo, carry = 0;
	uint64_t vr1;

	for (size_t i = L; i-- > 0;) /* k = (x - 1) / e, r = (x - 1) mod e; x odd: x - 1 clears bit 0 */
		k[i] = br_divrem(r, i == 0 ? x[0] & ~1u : x[i], e, &r);
	v = inv_mod_odd(r, e, &ok);
	v = (e - v) & (0u - ok); /* -r^-1 mod e (v != 0 when ok) */
	vr1 = (uint64_t)v * r + 1;
	hi = (uint32_t)(vr1 >> 32);
	lo = (uint32_t)vr1;
	u = br_divrem(hi, lo, e, &hi); /* exact: hi < e since v*r + 1 < e^2 */
	for (size_t i = 0; i < L; i++) { /* d = u + v*k */
		uint64_t t = (uint64_t)v * k[i] + carry + (i == 0 ? u : 0);

		d[i] = (uint32_t)t;
		carry = (uint32_t)(t >> 32);
	}
	crypto_wipe(k, sizeof(k));
	return ok & (((r | (0u - r)) >> 31));
}

/* iq = q^-1 mod p with BearSSL's i31 code. Returns 1 when q is invertible modulo p. */
static uint32_t crt_coefficient(uint8_t *iq, const uint8_t *p, const uint8_t *q, size_t half)
{
	uint32_t mp[I31_WORDS_MAX], x[I31_WORDS_MAX], y[I31_WORDS_MAX], t[3 * I31_WORDS_MAX], ok;

	br_i31_decode(mp, p, half);
	/* br_i31_decode computed p's announced length from its value, with masks; p has exactly 8*half
	 * bits (prime_field checked), so state that public length (BearSSL's encoding: bits + bits/31)
	 * and nothing downstream depends on the secret value for its sizes. */
	mp[0] = (uint32_t)(8u * half + 8u * half / 31u);
	br_i31_decode_reduce(y, q, half, mp);
	memset(x, 0, sizeof(x)); /* x = 1 with p's announced length */
	x[0] = mp[0];
	x[1] = 1;
	ok = br_i31_moddiv(x, y, mp, br_i31_ninv31(mp[1]), t);
	br_i31_encode(iq, half, x);
	crypto_wipe(mp, sizeof(mp));
	crypto_wipe(x, sizeof(x));
	crypto_wipe(y, sizeof(y));
	crypto_wipe(t, sizeof(t));
	return ok;
}

struct rebuild_tmp {
	uint32_t n[2 * HALF_LIMBS_MAX], p[HALF_LIMBS_MAX], q[HALF_LIMBS_MAX], d[HALF_LIMBS_MAX];
	uint8_t pb[CRYPTO_RSA_MAX_PRIME];
};

/* The prime as bits/16 bytes: longer encodings must have zero leading bytes; it must have exactly
 * bits/2 bits and be odd (n being odd). Sizes are public; the verdict is all that leaks. */
static bool prime_field(uint8_t *pb, size_t half, const uint8_t *p, size_t p_len)
{
	uint32_t extra = 0, ok;

	if (p_len > half) {
		for (size_t i = 0; i < p_len - half; i++)
			extra |= p[i];
		p += p_len - half;
		p_len = half;
	}
	put_field(pb, half, p, p_len);
	ok = (((extra | (0u - extra)) >> 31) ^ 1u) & (pb[0] >> 7) & pb[half - 1];
	CRYPTO_CT_DECLASSIFY(&ok, sizeof(ok));
	return ok != 0;
}

static bool rebuild(const struct crypto_rsa_pub *pub, struct rebuild_tmp *t, struct crypto_rsa_priv *priv)
{
	size_t half = pub->bits / 16u, L = half / 4u;
	uint32_t ok;

	limbs_from_be(t->n, pub->n, 2 * L);
	limbs_from_be(t->p, t->pb, L);
	ok = exact_div(t->q, t->n, t->p, L);
	*priv = (struct crypto_rsa_priv){ .bits = pub->bits, .e = pub->e };
	memcpy(priv->p, t->pb, half);
	limbs_to_be(priv->q, t->q, L);
	ok &= crt_exponent(t->d, t->p, L, pub->e);
	limbs_to_be(priv->dp, t->d, L);
	ok &= crt_exponent(t->d, t->q, L, pub->e);
	limbs_to_be(priv->dq, t->d, L);
	ok &= crt_coefficient(priv->iq, priv->p, priv->q, half);
	CRYPTO_CT_DECLASSIFY(&ok, sizeof(ok));
	return ok != 0;
}

bool crypto_rsa_priv_from_prime(const struct crypto_rsa_pub *pub, const uint8_t *p, size_t p_len,
				struct crypto_rsa_priv *priv)
{
	struct rebuild_tmp t;
	size_t k = pub->bits / 8u;
	bool ok;

	/* The public key as crypto_rsa_public_raw would accept it. */
	if ((pub->bits != 2048 && pub->bits != 3072) || !(pub->n[0] & 0x80) || !(pub->n[k - 1] & 1) ||
	    pub->e < 3 || !(pub->e & 1))
		return false;
	ok = prime_field(t.pb, k / 2u, p, p_len) && rebuild(pub, &t, priv);
	crypto_wipe(&t, sizeof(t));
	if (!ok)
		crypto_wipe(priv, sizeof(*priv));
	return ok;
}
