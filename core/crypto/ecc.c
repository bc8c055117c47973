/* ECC NIST P-256: ECDSA, ECDH, point validation, and key derivation from a seed.
 *
 * The curve arithmetic is BearSSL's constant-time br_ec_p256_m31 and its i31 ECDSA (RFC 6979
 * deterministic nonces); nothing here does field or group arithmetic. What is Mantle's: the range
 * checks (scalars in [1, n-1], coordinates in [0, p-1]), the 64-byte x || y point convention, and
 * the seed-driven scalar derivation (crypto_p256_derive), which is frozen: see docs/crypto.md. */
#include "core/crypto/crypto.h"

#include "bearssl.h"
#include "core/str.h"

/* Group order n and field prime p of P-256 (FIPS 186-4, D.1.2.3), big-endian. */
static const uint8_t P256_N[32] = {
	0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
};
static const uint8_t P256_P[32] = {
	0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

#define IMPL (&br_ec_p256_m31)

/* 1 if a < b (32-byte big-endian numbers), else 0; time independent of the values. */
static uint32_t ct_lt32(const uint8_t *a, const uint8_t *b)
{
	uint32_t borrow = 0;

	for (int i = 31; i >= 0; i--)
		borrow = ((uint32_t)a[i] - b[i] - borrow) >> 31;
	return borrow;
}

/* 1 if a is all zeros, else 0; constant time. */
static uint32_t ct_zero32(const uint8_t *a)
{
	uint32_t acc = 0;

	for (int i = 0; i < 32; i++)
		acc |= a[i];
	return (acc - 1u) >> 31;
}

bool crypto_p256_scalar_valid(const uint8_t d[CRYPTO_P256_SCALAR])
{
	return (ct_lt32(d, P256_N) & (ct_zero32(d) ^ 1u)) != 0;
}

bool crypto_p256_point_valid(const uint8_t xy[CRYPTO_P256_POINT])
{
	uint8_t q[65], one = 1;

	/* Coordinates must be reduced (BearSSL's on-curve test works modulo p); then the point must
	 * satisfy the curve equation, which br_ec_p256_m31 checks when it decodes it. The point at
	 * infinity has no encoding here. Public data: no constant-time requirement. */
	if (!ct_lt32(xy, P256_P) || !ct_lt32(xy + 32, P256_P))
		return false;
	q[0] = 0x04;
	memcpy(q + 1, xy, 64);
	return IMPL->mul(q, sizeof(q), &one, 1, BR_EC_secp256r1) == 1;
}

bool crypto_p256_public(const uint8_t d[CRYPTO_P256_SCALAR], uint8_t xy[CRYPTO_P256_POINT])
{
	uint8_t q[65];

	if (!crypto_p256_scalar_valid(d))
		return false;
	if (IMPL->mulgen(q, d, 32, BR_EC_secp256r1) != 65)
		return false;
	memcpy(xy, q + 1, 64);
	return true;
}

bool crypto_p256_derive(enum crypto_hash_alg alg, const void *seed, size_t seed_len, const char *label,
			const void *ctx_u, size_t u_len, const void *ctx_v, size_t v_len,
			uint8_t d[CRYPTO_P256_SCALAR])
{
	uint8_t stream[CRYPTO_P256_DERIVE_CANDIDATES * 32];
	uint32_t found = 0;

	if (!crypto_kdfa(alg, seed, seed_len, label, ctx_u, u_len, ctx_v, v_len, 8u * sizeof(stream),
			 stream))
		return false;
	/* The first candidate in [1, n-1] wins. Every candidate is examined and the choice is made
	 * with masks, so timing does not depend on which one (or the secret bytes). */
	memset(d, 0, 32);
	for (unsigned i = 0; i < CRYPTO_P256_DERIVE_CANDIDATES; i++) {
		const uint8_t *c = stream + 32u * i;
		uint32_t ok = ct_lt32(c, P256_N) & (ct_zero32(c) ^ 1u);
		uint8_t take = (uint8_t)(0u - (ok & (found ^ 1u)));

		for (unsigned j = 0; j < 32; j++)
			d[j] = (uint8_t)(d[j] | (c[j] & take));
		found |= ok;
	}
	crypto_wipe(stream, sizeof(stream));
	return found != 0;
}

static const br_hash_class *hash_class(enum crypto_hash_alg alg)
{
	switch (alg) {
	case CRYPTO_SHA1: return &br_sha1_vtable;
	case CRYPTO_SHA256: return &br_sha256_vtable;
	case CRYPTO_SHA384: return &br_sha384_vtable;
	case CRYPTO_SHA512: return &br_sha512_vtable;
	default: return NULL;
	}
}

bool crypto_ecdsa_p256_sign(const uint8_t d[CRYPTO_P256_SCALAR], enum crypto_hash_alg alg,
			    const uint8_t *digest, uint8_t rs[64])
{
	const br_hash_class *hc = hash_class(alg);
	uint8_t x[32];
	br_ec_private_key sk = { .curve = BR_EC_secp256r1, .x = x, .xlen = 32 };
	size_t n;

	if (!hc || !crypto_p256_scalar_valid(d))
		return false;
	memcpy(x, d, 32);
	n = br_ecdsa_i31_sign_raw(IMPL, hc, digest, &sk, rs);
	crypto_wipe(x, sizeof(x));
	return n == 64;
}

bool crypto_ecdsa_p256_verify(const uint8_t xy[CRYPTO_P256_POINT], const uint8_t *digest, size_t digest_len,
			      const uint8_t rs[64])
{
	uint8_t q[65];
	br_ec_public_key pk = { .curve = BR_EC_secp256r1, .q = q, .qlen = 65 };

	if (digest_len == 0 || digest_len > CRYPTO_HASH_MAX_DIGEST || !crypto_p256_point_valid(xy))
		return false;
	q[0] = 0x04;
	memcpy(q + 1, xy, 64);
	return br_ecdsa_i31_vrfy_raw(IMPL, digest, digest_len, &pk, rs, 64) == 1;
}

bool crypto_ecdh_p256(const uint8_t d[CRYPTO_P256_SCALAR], const uint8_t peer[CRYPTO_P256_POINT],
		      uint8_t z[32])
{
	uint8_t q[65];
	uint32_t ok;

	if (!crypto_p256_point_valid(peer) || !crypto_p256_scalar_valid(d))
		return false;
	q[0] = 0x04;
	memcpy(q + 1, peer, 64);
	ok = IMPL->mul(q, sizeof(q), d, 32, BR_EC_secp256r1);
	if (ok == 1)
		memcpy(z, q + 1, 32);
	crypto_wipe(q, sizeof(q));
	return ok == 1;
}
