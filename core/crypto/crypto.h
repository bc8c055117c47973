/* Mantle's crypto interface.
 *
 * Everything in Mantle that needs cryptography (vTPM, SNP guest requests, sealing) calls these
 * functions; the provider is BearSSL (Debian's source package, built by core/crypto/module.mk) and
 * only the .c files of core/crypto include its headers. Context structs here are opaque, fixed-size storage: each
 * implementation file checks with _Static_assert that BearSSL's context fits.
 *
 * What BearSSL does not have is written here on top of its primitives: AES-CFB (crypto_aes_cfb_*),
 * the TPM key derivation functions (crypto_kdfa, crypto_kdfe) and the DRBG glue.
 *
 * Secrets are compared with crypto_ct_equal(), never memcmp().
 */
#ifndef MANTLE_CORE_CRYPTO_CRYPTO_H
#define MANTLE_CORE_CRYPTO_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_MUST_CHECK __attribute__((warn_unused_result))

/* ------------------------------------------------------------------------------------------------ */
/* Hashes (FIPS 180-4). */

enum crypto_hash_alg {
	CRYPTO_SHA1 = 0,
	CRYPTO_SHA256 = 1,
	CRYPTO_SHA384 = 2,
	CRYPTO_SHA512 = 3,
	CRYPTO_HASH_COUNT
};

#define CRYPTO_HASH_MAX_DIGEST 64u
#define CRYPTO_HASH_MAX_BLOCK 128u

/* Digest and block sizes in bytes; 0 for an unknown algorithm. */
size_t crypto_hash_size(enum crypto_hash_alg alg);
size_t crypto_hash_block_size(enum crypto_hash_alg alg);

struct crypto_hash_ctx {
	uint64_t opaque[28];
	uint32_t alg;
};

void crypto_hash_init(struct crypto_hash_ctx *ctx, enum crypto_hash_alg alg);
void crypto_hash_update(struct crypto_hash_ctx *ctx, const void *data, size_t len);
/* Writes crypto_hash_size() bytes; ctx is unchanged and may be updated further. */
void crypto_hash_final(const struct crypto_hash_ctx *ctx, uint8_t *out);
void crypto_hash(enum crypto_hash_alg alg, const void *data, size_t len, uint8_t *out);

/* ------------------------------------------------------------------------------------------------ */
/* HMAC (RFC 2104 / FIPS 198-1) over the hashes above. */

struct crypto_hmac_ctx {
	uint64_t opaque[64];
	uint32_t alg;
};

void crypto_hmac_init(struct crypto_hmac_ctx *ctx, enum crypto_hash_alg alg, const void *key,
		      size_t key_len);
void crypto_hmac_update(struct crypto_hmac_ctx *ctx, const void *data, size_t len);
/* Writes crypto_hash_size(alg) bytes; ctx must be re-initialised before further use. */
void crypto_hmac_final(struct crypto_hmac_ctx *ctx, uint8_t *out);
void crypto_hmac(enum crypto_hash_alg alg, const void *key, size_t key_len, const void *data,
		 size_t len, uint8_t *out);

/* ------------------------------------------------------------------------------------------------ */
/* AES (FIPS 197), constant-time implementation, 128/192/256-bit keys. */

#define CRYPTO_AES_BLOCK 16u

struct crypto_aes_key {
	uint64_t opaque[64];
	uint32_t dir; /* which schedule is loaded, see aes.c */
};

/* Loads an encryption key schedule (for CFB, CTR, CBC encryption and GCM). Returns false for a key
 * length other than 16, 24 or 32 bytes. */
CRYPTO_MUST_CHECK bool crypto_aes_init_enc(struct crypto_aes_key *k, const void *key, size_t key_len);
/* Loads a decryption key schedule (CBC decryption only). */
CRYPTO_MUST_CHECK bool crypto_aes_init_dec(struct crypto_aes_key *k, const void *key, size_t key_len);

/* Full-block CBC (SP 800-38A 6.2); len must be a multiple of 16. iv is updated for chaining. */
CRYPTO_MUST_CHECK bool crypto_aes_cbc_encrypt(const struct crypto_aes_key *k, uint8_t iv[16],
					      void *data, size_t len);
CRYPTO_MUST_CHECK bool crypto_aes_cbc_decrypt(const struct crypto_aes_key *k, uint8_t iv[16],
					      void *data, size_t len);

/* CTR (SP 800-38A 6.5) with a 128-bit big-endian counter block: the whole 16-byte ctr is
 * incremented as a 128-bit integer (the TPM's and OpenSSL's convention). ctr is updated so a stream
 * can be continued on a block boundary. Any length. */
void crypto_aes_ctr(const struct crypto_aes_key *k, uint8_t ctr[16], void *data, size_t len);

/* Full-feedback CFB-128 (SP 800-38A 6.3), as TPM 2.0 uses it for parameter encryption and
 * sensitive areas: any length; a trailing partial block uses the leftmost bytes of the keystream.
 * iv is updated to the last ciphertext block so a stream can be continued on a block boundary. */
void crypto_aes_cfb_encrypt(const struct crypto_aes_key *k, uint8_t iv[16], void *data, size_t len);
void crypto_aes_cfb_decrypt(const struct crypto_aes_key *k, uint8_t iv[16], void *data, size_t len);

/* AES-GCM (SP 800-38D) one-shot, 16-byte tag. Decrypt returns false (and wipes data) when the tag
 * does not verify; the tag is compared in constant time. */
void crypto_aes_gcm_encrypt(const struct crypto_aes_key *k, const void *iv, size_t iv_len,
			    const void *aad, size_t aad_len, void *data, size_t len, uint8_t tag[16]);
CRYPTO_MUST_CHECK bool crypto_aes_gcm_decrypt(const struct crypto_aes_key *k, const void *iv,
					      size_t iv_len, const void *aad, size_t aad_len, void *data,
					      size_t len, const uint8_t tag[16]);

/* ------------------------------------------------------------------------------------------------ */
/* TPM 2.0 key derivation (TPM 2.0 Library Part 1, 11.4.10).
 *
 * KDFa: SP 800-108 counter mode with HMAC:
 *   out = leftmost `bits` of  HMAC(key, [i]32 || label || 0x00 || ctx_u || ctx_v || [bits]32), i = 1..
 * KDFe: SP 800-56A concatenation KDF:
 *   out = leftmost `bits` of  H([i]32 || z || label || 0x00 || party_u || party_v), i = 1..
 * `label` is a C string; its terminating NUL is part of the input, as the spec requires. When bits is
 * not a multiple of 8 the unused high bits of out[0] are cleared (the result is a big-endian number).
 * out receives (bits + 7) / 8 bytes. Returns false for bits == 0 or an unknown hash. */
CRYPTO_MUST_CHECK bool crypto_kdfa(enum crypto_hash_alg alg, const void *key, size_t key_len,
				   const char *label, const void *ctx_u, size_t u_len,
				   const void *ctx_v, size_t v_len, uint32_t bits, uint8_t *out);
CRYPTO_MUST_CHECK bool crypto_kdfe(enum crypto_hash_alg alg, const void *z, size_t z_len,
				   const char *label, const void *party_u, size_t u_len,
				   const void *party_v, size_t v_len, uint32_t bits, uint8_t *out);

/* ------------------------------------------------------------------------------------------------ */
/* Deterministic random bit generator: HMAC_DRBG with SHA-256 (SP 800-90A 10.1.2). */

struct crypto_drbg {
	uint64_t opaque[24];
	bool seeded;
};

/* Instantiates from caller-supplied entropy (at least 32 bytes of full entropy, plus any
 * personalisation). Returns false when seed_len < 32. */
CRYPTO_MUST_CHECK bool crypto_drbg_init(struct crypto_drbg *d, const void *seed, size_t seed_len);
/* Mixes more input into the state (reseed / TPM2_StirRandom). */
void crypto_drbg_reseed(struct crypto_drbg *d, const void *data, size_t len);
/* Fills out; returns false if the DRBG was never seeded (out is then zeroed). */
CRYPTO_MUST_CHECK bool crypto_drbg_generate(struct crypto_drbg *d, void *out, size_t len);

/* Collects `len` bytes from the CPU's entropy source when the build has one (RDRAND on x86_64
 * images, via BearSSL's system seeder). Returns false where there is none: callers then use their
 * platform's entropy callback. */
CRYPTO_MUST_CHECK bool crypto_entropy_cpu(void *out, size_t len);

/* ------------------------------------------------------------------------------------------------ */
/* ECC NIST P-256 (FIPS 186-4): BearSSL's constant-time br_ec_p256_m31 and i31 ECDSA.
 * Scalars are 32-byte big-endian; points are x || y, 32 bytes each (no 0x04 prefix). */

#define CRYPTO_P256_SCALAR 32u
#define CRYPTO_P256_POINT 64u
#define CRYPTO_P256_DERIVE_CANDIDATES 4u

/* d in [1, n-1]; constant time. */
bool crypto_p256_scalar_valid(const uint8_t d[CRYPTO_P256_SCALAR]);
/* x, y < p and (x, y) on the curve. Every point that comes from outside goes through this (the
 * verify and ECDH functions below call it themselves). */
bool crypto_p256_point_valid(const uint8_t xy[CRYPTO_P256_POINT]);
/* Public point d·G; false when d is out of range. */
CRYPTO_MUST_CHECK bool crypto_p256_public(const uint8_t d[CRYPTO_P256_SCALAR], uint8_t xy[CRYPTO_P256_POINT]);
/* Deterministic private scalar from a seed (FROZEN, docs/crypto.md "P-256 key derivation"):
 *   s = KDFa(alg, seed, label, ctx_u, ctx_v, 8 * 32 * CRYPTO_P256_DERIVE_CANDIDATES)  (1024 bits)
 *   d = the first 32-byte block of s, in order, whose big-endian value is in [1, n-1]
 * (FIPS 186-4 B.4.2 "testing candidates" on a KDFa stream; selection in constant time). False only
 * if no block qualifies (probability < 2^-128) or for an unknown hash. */
CRYPTO_MUST_CHECK bool crypto_p256_derive(enum crypto_hash_alg alg, const void *seed, size_t seed_len,
					  const char *label, const void *ctx_u, size_t u_len,
					  const void *ctx_v, size_t v_len, uint8_t d[CRYPTO_P256_SCALAR]);
/* ECDSA with RFC 6979 deterministic nonces over `digest`, which is crypto_hash_size(alg) bytes
 * (longer digests are truncated to the order's length, as FIPS 186-4 requires). rs = r || s. */
CRYPTO_MUST_CHECK bool crypto_ecdsa_p256_sign(const uint8_t d[CRYPTO_P256_SCALAR], enum crypto_hash_alg alg,
					      const uint8_t *digest, uint8_t rs[64]);
/* Verifies r || s over a digest of any length 1..64 with a validated public point. */
CRYPTO_MUST_CHECK bool crypto_ecdsa_p256_verify(const uint8_t xy[CRYPTO_P256_POINT], const uint8_t *digest,
						size_t digest_len, const uint8_t rs[64]);
/* ECDH (SP 800-56A, cofactor 1): z = x coordinate of d·peer; peer is validated first. */
CRYPTO_MUST_CHECK bool crypto_ecdh_p256(const uint8_t d[CRYPTO_P256_SCALAR], const uint8_t peer[CRYPTO_P256_POINT],
					uint8_t z[32]);
/* The whole shared point x || y of d·peer (TPM2_ECDH_ZGen and ECDH_KeyGen return it); same
 * validation of peer and d as crypto_ecdh_p256. */
CRYPTO_MUST_CHECK bool crypto_ecdh_p256_point(const uint8_t d[CRYPTO_P256_SCALAR], const uint8_t peer[CRYPTO_P256_POINT],
					      uint8_t xy[CRYPTO_P256_POINT]);

/* ------------------------------------------------------------------------------------------------ */
/* NIST P-384 (FIPS 186-4): BearSSL's constant-time br_ec_prime_i31 and i31 ECDSA. Same conventions
 * as P-256 above, 48-byte scalars and coordinates. */

#define CRYPTO_P384_SCALAR 48u
#define CRYPTO_P384_POINT 96u
#define CRYPTO_P384_DERIVE_CANDIDATES 4u

bool crypto_p384_scalar_valid(const uint8_t d[CRYPTO_P384_SCALAR]);
bool crypto_p384_point_valid(const uint8_t xy[CRYPTO_P384_POINT]);
CRYPTO_MUST_CHECK bool crypto_p384_public(const uint8_t d[CRYPTO_P384_SCALAR], uint8_t xy[CRYPTO_P384_POINT]);
/* Same construction as crypto_p256_derive with 48-byte candidate blocks (FROZEN, docs/crypto.md
 * "P-384 key derivation"): s = KDFa(..., 8 * 48 * CRYPTO_P384_DERIVE_CANDIDATES) (1536 bits), d = the
 * first 48-byte block in [1, n-1]. */
CRYPTO_MUST_CHECK bool crypto_p384_derive(enum crypto_hash_alg alg, const void *seed, size_t seed_len,
					  const char *label, const void *ctx_u, size_t u_len,
					  const void *ctx_v, size_t v_len, uint8_t d[CRYPTO_P384_SCALAR]);
CRYPTO_MUST_CHECK bool crypto_ecdsa_p384_sign(const uint8_t d[CRYPTO_P384_SCALAR], enum crypto_hash_alg alg,
					      const uint8_t *digest, uint8_t rs[96]);
CRYPTO_MUST_CHECK bool crypto_ecdsa_p384_verify(const uint8_t xy[CRYPTO_P384_POINT], const uint8_t *digest,
						size_t digest_len, const uint8_t rs[96]);
CRYPTO_MUST_CHECK bool crypto_ecdh_p384(const uint8_t d[CRYPTO_P384_SCALAR], const uint8_t peer[CRYPTO_P384_POINT],
					uint8_t z[48]);
CRYPTO_MUST_CHECK bool crypto_ecdh_p384_point(const uint8_t d[CRYPTO_P384_SCALAR], const uint8_t peer[CRYPTO_P384_POINT],
					      uint8_t xy[CRYPTO_P384_POINT]);

/* ------------------------------------------------------------------------------------------------ */
/* RSA (PKCS #1 v2.2, RFC 8017) on BearSSL's i62 (i31 where 128-bit integers are missing) code.
 * 2048- and 3072-bit moduli. All numbers are unsigned big-endian byte strings; a modulus of `bits`
 * bits is exactly bits/8 bytes: the top bit of n must be set. Every private-key path is checked for
 * secret-dependent branches by make crypto-ct (docs/crypto.md "Constant time"). */

#define CRYPTO_RSA_MAX_BITS 3072u
#define CRYPTO_RSA_MAX_BYTES (CRYPTO_RSA_MAX_BITS / 8u)
#define CRYPTO_RSA_MAX_PRIME (CRYPTO_RSA_MAX_BYTES / 2u)

struct crypto_rsa_pub {
	uint16_t bits;  /* 2048 or 3072 */
	uint32_t e;     /* public exponent; TPM's "0" (= 65537) is resolved by the caller */
	uint8_t n[CRYPTO_RSA_MAX_BYTES]; /* bits/8 bytes used */
};

/* CRT form; every field is bits/16 bytes, big-endian, left-padded with zeros. */
struct crypto_rsa_priv {
	uint16_t bits;
	uint32_t e;
	uint8_t p[CRYPTO_RSA_MAX_PRIME], q[CRYPTO_RSA_MAX_PRIME];
	uint8_t dp[CRYPTO_RSA_MAX_PRIME], dq[CRYPTO_RSA_MAX_PRIME], iq[CRYPTO_RSA_MAX_PRIME];
};

/* Byte source for key generation and randomized padding: fills out with len bytes. */
typedef void (*crypto_rand_fn)(void *ctx, void *out, size_t len);

/* A fresh key pair from `rand` (the DRBG for Create, a KDFa stream for primaries). e = 0 means
 * 65537. False for an unsupported size or exponent (e must be odd and > 2). */
CRYPTO_MUST_CHECK bool crypto_rsa_generate(unsigned bits, uint32_t e, crypto_rand_fn rand, void *rand_ctx,
					   struct crypto_rsa_pub *pub, struct crypto_rsa_priv *priv);
/* Deterministic key pair from a seed (FROZEN, docs/crypto.md "RSA key derivation"): the generator
 * above fed by one continuous KDFa stream, i.e. KDFa(alg, seed, label, ctx_u, ctx_v, 0xFFFFFFF8 bits)
 * read from its first byte. False for an unknown hash or as crypto_rsa_generate. */
CRYPTO_MUST_CHECK bool crypto_rsa_derive(enum crypto_hash_alg alg, const void *seed, size_t seed_len,
					 const char *label, const void *ctx_u, size_t u_len, const void *ctx_v,
					 size_t v_len, unsigned bits, uint32_t e, struct crypto_rsa_pub *pub,
					 struct crypto_rsa_priv *priv);
/* Rebuilds the CRT private key from the public key and one prime (what a TPM's sensitive area holds):
 * q = n / p, dp, dq, iq. p may carry leading zero bytes but must have exactly bits/2 bits (so must
 * q). False when p does not divide n, e is not invertible modulo p-1 or q-1, or the key is
 * malformed (priv is then zeroed). */
CRYPTO_MUST_CHECK bool crypto_rsa_priv_from_prime(const struct crypto_rsa_pub *pub, const uint8_t *p,
						  size_t p_len, struct crypto_rsa_priv *priv);

/* Raw operations (RSADP/RSAEP): in and out are bits/8 bytes; false when in >= n. */
CRYPTO_MUST_CHECK bool crypto_rsa_public_raw(const struct crypto_rsa_pub *pub, const uint8_t *in, uint8_t *out);
CRYPTO_MUST_CHECK bool crypto_rsa_private_raw(const struct crypto_rsa_priv *priv, const uint8_t *in, uint8_t *out);

/* RSASSA-PKCS1-v1_5 over a digest of crypto_hash_size(alg) bytes; sig is bits/8 bytes. */
CRYPTO_MUST_CHECK bool crypto_rsa_pkcs1_sign(const struct crypto_rsa_priv *priv, enum crypto_hash_alg alg,
					     const uint8_t *digest, uint8_t *sig);
CRYPTO_MUST_CHECK bool crypto_rsa_pkcs1_verify(const struct crypto_rsa_pub *pub, enum crypto_hash_alg alg,
					       const uint8_t *digest, const uint8_t *sig, size_t sig_len);
/* RSASSA-PSS with MGF1(alg), salt length = digest length (as TPM 2.0 signs); verify accepts any salt
 * length the encoding allows, as TPM 2.0 verification does. */
CRYPTO_MUST_CHECK bool crypto_rsa_pss_sign(const struct crypto_rsa_priv *priv, enum crypto_hash_alg alg,
					   const uint8_t *digest, crypto_rand_fn rand, void *rand_ctx, uint8_t *sig);
CRYPTO_MUST_CHECK bool crypto_rsa_pss_verify(const struct crypto_rsa_pub *pub, enum crypto_hash_alg alg,
					     const uint8_t *digest, const uint8_t *sig, size_t sig_len);
/* RSAES-OAEP with MGF1(alg); the label is bytes (TPM labels include their NUL). encrypt writes bits/8
 * bytes; decrypt returns the message length in *out_len and fails in constant time on bad padding.
 * For both decryptions out needs room for the longest message the key allows (bits/8 bytes always
 * suffice); nothing is written to it on failure and *out_len is then 0. in_len must be bits/8. */
CRYPTO_MUST_CHECK bool crypto_rsa_oaep_encrypt(const struct crypto_rsa_pub *pub, enum crypto_hash_alg alg,
					       const void *label, size_t label_len, const uint8_t *msg, size_t len,
					       crypto_rand_fn rand, void *rand_ctx, uint8_t *out);
CRYPTO_MUST_CHECK bool crypto_rsa_oaep_decrypt(const struct crypto_rsa_priv *priv, enum crypto_hash_alg alg,
					       const void *label, size_t label_len, const uint8_t *in, size_t in_len,
					       uint8_t *out, size_t *out_len);
/* RSAES-PKCS1-v1_5 (written here on the raw operations; decryption without a padding oracle). */
CRYPTO_MUST_CHECK bool crypto_rsa_pkcs1_encrypt(const struct crypto_rsa_pub *pub, const uint8_t *msg, size_t len,
						crypto_rand_fn rand, void *rand_ctx, uint8_t *out);
CRYPTO_MUST_CHECK bool crypto_rsa_pkcs1_decrypt(const struct crypto_rsa_priv *priv, const uint8_t *in,
						size_t in_len, uint8_t *out, size_t *out_len);

/* ------------------------------------------------------------------------------------------------ */
/* Constant-time helpers. */

/* True iff the two buffers are equal; time depends only on len. */
bool crypto_ct_equal(const void *a, const void *b, size_t len);
/* Zeroes a buffer in a way the compiler may not elide. */
void crypto_wipe(void *p, size_t len);

#endif
