/* core/crypto internals: shared between the files of core/crypto and their host tests, never used
 * elsewhere in Mantle (crypto.h is the interface). Includes BearSSL's public headers. */
#ifndef MANTLE_CORE_CRYPTO_CRYPTO_INTERNAL_H
#define MANTLE_CORE_CRYPTO_CRYPTO_INTERNAL_H

#include "bearssl_hash.h"
#include "bearssl_rand.h"
#include "core/crypto/crypto.h"

/* Constant-time checking (tests/ct/ct_check.c, docs/crypto.md "Constant time"): that build marks
 * secrets undefined for valgrind's memcheck, which then reports every branch or memory index that
 * depends on them. A value derived from secrets that a function must reveal anyway (its success
 * bit, the length of a decrypted message) is declassified at the one place it leaves constant-time
 * code; everywhere else these are no-ops. */
#ifdef CRYPTO_CT_VALGRIND
#include <valgrind/memcheck.h>
#define CRYPTO_CT_DECLASSIFY(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#else
#define CRYPTO_CT_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

/* BearSSL's class for one of our hash identifiers; NULL for an unknown one. */
const br_hash_class *crypto_br_hash_class(enum crypto_hash_alg alg);

/* A br_prng_class over a crypto_rand_fn, for BearSSL code that draws randomness (key generation,
 * OAEP). Only generate() is meaningful; BearSSL never seeds or re-seeds the PRNGs it is given. */
struct crypto_rand_prng {
	const br_prng_class *vtable;
	crypto_rand_fn fn;
	void *ctx;
};
void crypto_rand_prng_init(struct crypto_rand_prng *r, crypto_rand_fn fn, void *ctx);

/* ------------------------------------------------------------------------------------------------ */
/* An unbounded KDFa byte stream (docs/crypto.md "RSA key derivation"):
 *   block(i) = HMAC(key, [i]32 || label || 0x00 || ctx_u || ctx_v || [CRYPTO_KDFA_STREAM_BITS]32),
 *   i = 1, 2, ..., concatenated and read in order. Every prefix therefore equals
 *   crypto_kdfa(..., bits = 8 * prefix length) only when that call also states
 *   CRYPTO_KDFA_STREAM_BITS; the stream *is* the prefix of KDFa(..., CRYPTO_KDFA_STREAM_BITS).
 * The pointers must stay valid while the stream is read. */
#define CRYPTO_KDFA_STREAM_BITS 0xFFFFFFF8u /* largest whole-byte length KDFa's [L]32 can state */

struct crypto_kdfa_stream {
	enum crypto_hash_alg alg;
	const void *key;
	size_t key_len;
	const char *label;
	const void *ctx_u, *ctx_v;
	size_t u_len, v_len;
	uint32_t counter;                     /* blocks produced so far */
	size_t used;                          /* bytes of block already handed out */
	uint8_t block[CRYPTO_HASH_MAX_DIGEST];
	bool exhausted;                       /* read past CRYPTO_KDFA_STREAM_BITS: output is zeros */
};

/* False for an unknown hash. */
CRYPTO_MUST_CHECK bool crypto_kdfa_stream_init(struct crypto_kdfa_stream *s, enum crypto_hash_alg alg,
					       const void *key, size_t key_len, const char *label,
					       const void *ctx_u, size_t u_len, const void *ctx_v, size_t v_len);
void crypto_kdfa_stream_read(struct crypto_kdfa_stream *s, void *out, size_t len);
/* Wipes the buffered block. */
void crypto_kdfa_stream_end(struct crypto_kdfa_stream *s);

/* ------------------------------------------------------------------------------------------------ */
/* RSA padding on encoded messages (rsa_pad.c), exposed for the published-vector tests, which use
 * moduli of any size. k is the modulus length in bytes, mod_bits its exact bit length. */

/* EMSA-PSS-ENCODE (RFC 8017 9.1.1) with an explicit salt, written as the k-byte integer
 * representative (a leading zero byte when (mod_bits - 1) is a multiple of 8). */
CRYPTO_MUST_CHECK bool rsa_pad_pss_encode(enum crypto_hash_alg alg, const uint8_t *digest, const uint8_t *salt,
					  size_t salt_len, unsigned mod_bits, uint8_t *em, size_t k);
/* EMSA-PSS-VERIFY (RFC 8017 9.1.2) for any salt length; em is the k-byte s^e mod n. */
CRYPTO_MUST_CHECK bool rsa_pad_pss_verify(enum crypto_hash_alg alg, const uint8_t *digest, const uint8_t *em,
					  unsigned mod_bits, size_t k);
/* RSAES-PKCS1-v1_5 encoding (RFC 8017 7.2.1): 0x00 0x02 PS 0x00 M, with PS (k - len - 3 bytes, none
 * zero) given by the caller. False when len > k - 11 or PS holds a zero. */
CRYPTO_MUST_CHECK bool rsa_pad_pkcs1_encrypt_encode(const uint8_t *msg, size_t len, const uint8_t *ps,
						    uint8_t *em, size_t k);
/* The decryption check of RFC 8017 7.2.2 step 3, in constant time: the time and memory accesses
 * do not depend on em's content. On success the message is moved to em[0 .. *len - 1] and 1 is
 * returned; 0 otherwise. The result and *len are still secret (not declassified). */
uint32_t rsa_pad_pkcs1_decrypt_check(uint8_t *em, size_t k, size_t *len);

/* RSASSA-PSS signing with an explicit salt (any length the modulus allows). */
CRYPTO_MUST_CHECK bool crypto_rsa_pss_sign_salt(const struct crypto_rsa_priv *priv, enum crypto_hash_alg alg,
						const uint8_t *digest, const uint8_t *salt, size_t salt_len,
						uint8_t *sig);
/* RSAES-PKCS1-v1_5 encryption with an explicit padding string (k - len - 3 nonzero bytes). */
CRYPTO_MUST_CHECK bool crypto_rsa_pkcs1_encrypt_ps(const struct crypto_rsa_pub *pub, const uint8_t *msg,
						   size_t len, const uint8_t *ps, uint8_t *out);

#endif
