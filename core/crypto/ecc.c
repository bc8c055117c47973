/* ECC over NIST P-256 and P-384: ECDSA, ECDH, point validation, and key derivation from a seed.
 *
 * The curve arithmetic is BearSSL's, constant time: br_ec_p256_m31 for P-256 and br_ec_prime_i31
 * for P-384 (BearSSL has no specialised P-384 code; its m31/m62 "all" tables also route P-384 to
 * prime_i31), with its i31 ECDSA (RFC 6979 deterministic nonces). Nothing here does field or group
 * arithmetic. What is Mantle's: the range checks (scalars in [1, n-1], coordinates in [0, p-1]),
 * the x || y point convention, and the seed-driven scalar derivation, which is frozen (see
 * docs/crypto.md). Both curves share one code path described by struct ec_curve. */
#include "core/crypto/crypto.h"

#include "bearssl.h"
#include "core/crypto/crypto_internal.h"
#include "core/str.h"

#define EC_MAX 48u /* largest scalar / coordinate (P-384) */

/* Group order n and field prime p, big-endian (FIPS 186-4, D.1.2.3 and D.1.2.4). */
static const uint8_t P256_N[32] = {
	0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
};
static const uint8_t P256_P[32] = {
	0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};
static const uint8_t P384_N[48] = {
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xC7, 0x63, 0x4D, 0x81, 0xF4, 0x37, 0x2D, 0xDF,
	0x58, 0x1A, 0x0D, 0xB2, 0x48, 0xB0, 0xA7, 0x7A, 0xEC, 0xEC, 0x19, 0x6A, 0xCC, 0xC5, 0x29, 0x73,
};
static const uint8_t P384_P[48] = {
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
	0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF,
};

struct ec_curve {
	int id;                   /* BearSSL curve identifier (RFC 4492 numbering) */
	const br_ec_impl *impl;
	const uint8_t *n, *p;
	size_t len;               /* scalar and coordinate length in bytes */
	unsigned candidates;      /* blocks tried by the seed derivation */
};

static const struct ec_curve P256 = {
	.id = BR_EC_secp256r1, .impl = &br_ec_p256_m31, .n = P256_N, .p = P256_P, .len = 32,
	.candidates = CRYPTO_P256_DERIVE_CANDIDATES,
};
static const struct ec_curve P384 = {
	.id = BR_EC_secp384r1, .impl = &br_ec_prime_i31, .n = P384_N, .p = P384_P, .len = 48,
	.candidates = CRYPTO_P384_DERIVE_CANDIDATES,
};

/* 1 if a < b (len-byte big-endian numbers), else 0; time independent of the values. */
static uint32_t ct_lt(const uint8_t *a, const uint8_t *b, size_t len)
{
	uint32_t borrow = 0;

	for (size_t i = len; i-- > 0;)
		borrow = ((uint32_t)a[i] - b[i] - borrow) >> 31;
	return borrow;
}

/* 1 if a is all zeros, else 0; constant time. */
static uint32_t ct_zero(const uint8_t *a, size_t len)
{
	uint32_t acc = 0;

	for (size_t i = 0; i < len; i++)
		acc |= a[i];
	return (acc - 1u) >> 31;
}

/* 1 if d is in [1, n-1], else 0; constant time. */
static uint32_t ec_scalar_ok(const struct ec_curve *c, const uint8_t *d)
{
	return ct_lt(d, c->n, c->len) & (ct_zero(d, c->len) ^ 1u);
}

static bool ec_scalar_valid(const struct ec_curve *c, const uint8_t *d)
{
	uint32_t ok = ec_scalar_ok(c, d);

	/* Whether a key is usable is the function's answer, not a secret. */
	CRYPTO_CT_DECLASSIFY(&ok, sizeof(ok));
	return ok != 0;
}

/* 0x04 || x || y, the SEC 1 uncompressed encoding BearSSL takes. */
static size_t ec_encode(const struct ec_curve *c, const uint8_t *xy, uint8_t *q)
{
	q[0] = 0x04;
	memcpy(q + 1, xy, 2 * c->len);
	return 1 + 2 * c->len;
}

static bool ec_point_valid(const struct ec_curve *c, const uint8_t *xy)
{
	uint8_t q[1 + 2 * EC_MAX], one = 1;
	size_t qlen;

	/* Coordinates must be reduced (BearSSL's on-curve test works modulo p); then the point must
	 * satisfy the curve equation, which BearSSL checks when it decodes it. The point at infinity
	 * has no encoding here. Public data: no constant-time requirement. */
	if (!ct_lt(xy, c->p, c->len) || !ct_lt(xy + c->len, c->p, c->len))
		return false;
	qlen = ec_encode(c, xy, q);
	return c->impl->mul(q, qlen, &one, 1, c->id) == 1;
}

static bool ec_public(const struct ec_curve *c, const uint8_t *d, uint8_t *xy)
{
	uint8_t q[1 + 2 * EC_MAX];

	if (!ec_scalar_valid(c, d))
		return false;
	if (c->impl->mulgen(q, d, c->len, c->id) != 1 + 2 * c->len)
		return false;
	memcpy(xy, q + 1, 2 * c->len);
	return true;
}

static bool ec_derive(const struct ec_curve *c, enum crypto_hash_alg alg, const void *seed, size_t seed_len,
		      const char *label, const void *ctx_u, size_t u_len, const void *ctx_v, size_t v_len,
		      uint8_t *d)
{
	uint8_t stream[4 * EC_MAX];
	size_t slen = c->candidates * c->len;
	uint32_t found = 0;

	_Static_assert(CRYPTO_P256_DERIVE_CANDIDATES * 32 <= sizeof(stream) &&
			       CRYPTO_P384_DERIVE_CANDIDATES * 48 <= sizeof(stream),
		       "derivation stream buffer too small");
	if (!crypto_kdfa(alg, seed, seed_len, label, ctx_u, u_len, ctx_v, v_len, (uint32_t)(8u * slen), stream))
		return false;
	/* The first candidate in [1, n-1] wins. Every candidate is examined and the choice is made
	 * with masks, so timing does not depend on which one (or the secret bytes). */
	memset(d, 0, c->len);
	for (unsigned i = 0; i < c->candidates; i++) {
		const uint8_t *cand = stream + c->len * i;
		uint32_t ok = ec_scalar_ok(c, cand);
		uint8_t take = (uint8_t)(0u - (ok & (found ^ 1u)));

		for (size_t j = 0; j < c->len; j++)
			d[j] = (uint8_t)(d[j] | (cand[j] & take));
		found |= ok;
	}
	crypto_wipe(stream, sizeof(stream));
	CRYPTO_CT_DECLASSIFY(&found, sizeof(found));
	return found != 0;
}

static bool ec_sign(const struct ec_curve *c, const uint8_t *d, enum crypto_hash_alg alg,
		    const uint8_t *digest, uint8_t *rs)
{
	const br_hash_class *hc = crypto_br_hash_class(alg);
	uint8_t x[EC_MAX];
	br_ec_private_key sk = { .curve = c->id, .x = x, .xlen = c->len };
	size_t n;

	if (!hc || !ec_scalar_valid(c, d))
		return false;
	memcpy(x, d, c->len);
	n = br_ecdsa_i31_sign_raw(c->impl, hc, digest, &sk, rs);
	crypto_wipe(x, sizeof(x));
	return n == 2 * c->len;
}

static bool ec_verify(const struct ec_curve *c, const uint8_t *xy, const uint8_t *digest, size_t digest_len,
		      const uint8_t *rs)
{
	uint8_t q[1 + 2 * EC_MAX];
	br_ec_public_key pk = { .curve = c->id, .q = q };

	if (digest_len == 0 || digest_len > CRYPTO_HASH_MAX_DIGEST || !ec_point_valid(c, xy))
		return false;
	pk.qlen = ec_encode(c, xy, q);
	return br_ecdsa_i31_vrfy_raw(c->impl, digest, digest_len, &pk, rs, 2 * c->len) == 1;
}

/* z = x of d·peer, or x || y when full (TPM2_ECDH_ZGen/KeyGen return the whole point). */
static bool ec_dh(const struct ec_curve *c, const uint8_t *d, const uint8_t *peer, uint8_t *z, bool full)
{
	uint8_t q[1 + 2 * EC_MAX];
	size_t qlen;
	uint32_t ok;

	if (!ec_point_valid(c, peer) || !ec_scalar_valid(c, d))
		return false;
	qlen = ec_encode(c, peer, q);
	ok = c->impl->mul(q, qlen, d, c->len, c->id);
	if (ok == 1)
		memcpy(z, q + 1, full ? 2u * c->len : c->len);
	crypto_wipe(q, sizeof(q));
	return ok == 1;
}

/* ---- P-256 ---- */

bool crypto_p256_scalar_valid(const uint8_t d[CRYPTO_P256_SCALAR])
{
	return ec_scalar_valid(&P256, d);
}

bool crypto_p256_point_valid(const uint8_t xy[CRYPTO_P256_POINT])
{
	return ec_point_valid(&P256, xy);
}

bool crypto_p256_public(const uint8_t d[CRYPTO_P256_SCALAR], uint8_t xy[CRYPTO_P256_POINT])
{
	return ec_public(&P256, d, xy);
}

bool crypto_p256_derive(enum crypto_hash_alg alg, const void *seed, size_t seed_len, const char *label,
			const void *ctx_u, size_t u_len, const void *ctx_v, size_t v_len,
			uint8_t d[CRYPTO_P256_SCALAR])
{
	return ec_derive(&P256, alg, seed, seed_len, label, ctx_u, u_len, ctx_v, v_len, d);
}

bool crypto_ecdsa_p256_sign(const uint8_t d[CRYPTO_P256_SCALAR], enum crypto_hash_alg alg,
			    const uint8_t *digest, uint8_t rs[64])
{
	return ec_sign(&P256, d, alg, digest, rs);
}

bool crypto_ecdsa_p256_verify(const uint8_t xy[CRYPTO_P256_POINT], const uint8_t *digest, size_t digest_len,
			      const uint8_t rs[64])
{
	return ec_verify(&P256, xy, digest, digest_len, rs);
}

bool crypto_ecdh_p256(const uint8_t d[CRYPTO_P256_SCALAR], const uint8_t peer[CRYPTO_P256_POINT],
		      uint8_t z[32])
{
	return ec_dh(&P256, d, peer, z, false);
}

bool crypto_ecdh_p256_point(const uint8_t d[CRYPTO_P256_SCALAR], const uint8_t peer[CRYPTO_P256_POINT],
			    uint8_t xy[CRYPTO_P256_POINT])
{
	return ec_dh(&P256, d, peer, xy, true);
}

/* ---- P-384 ---- */

bool crypto_p384_scalar_valid(const uint8_t d[CRYPTO_P384_SCALAR])
{
	return ec_scalar_valid(&P384, d);
}

bool crypto_p384_point_valid(const uint8_t xy[CRYPTO_P384_POINT])
{
	return ec_point_valid(&P384, xy);
}

bool crypto_p384_public(const uint8_t d[CRYPTO_P384_SCALAR], uint8_t xy[CRYPTO_P384_POINT])
{
	return ec_public(&P384, d, xy);
}

bool crypto_p384_derive(enum crypto_hash_alg alg, const void *seed, size_t seed_len, const char *label,
			const void *ctx_u, size_t u_len, const void *ctx_v, size_t v_len,
			uint8_t d[CRYPTO_P384_SCALAR])
{
	return ec_derive(&P384, alg, seed, seed_len, label, ctx_u, u_len, ctx_v, v_len, d);
}

bool crypto_ecdsa_p384_sign(const uint8_t d[CRYPTO_P384_SCALAR], enum crypto_hash_alg alg,
			    const uint8_t *digest, uint8_t rs[96])
{
	return ec_sign(&P384, d, alg, digest, rs);
}

bool crypto_ecdsa_p384_verify(const uint8_t xy[CRYPTO_P384_POINT], const uint8_t *digest, size_t digest_len,
			      const uint8_t rs[96])
{
	return ec_verify(&P384, xy, digest, digest_len, rs);
}

bool crypto_ecdh_p384(const uint8_t d[CRYPTO_P384_SCALAR], const uint8_t peer[CRYPTO_P384_POINT],
		      uint8_t z[48])
{
	return ec_dh(&P384, d, peer, z, false);
}

bool crypto_ecdh_p384_point(const uint8_t d[CRYPTO_P384_SCALAR], const uint8_t peer[CRYPTO_P384_POINT],
			    uint8_t xy[CRYPTO_P384_POINT])
{
	return ec_dh(&P384, d, peer, xy, true);
}
