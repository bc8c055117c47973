/* Weak stand-ins for the RSA and P-384 functions declared in core/crypto/crypto.h whose
 * implementation arrives on the crypto branch (issue 6). Until it is merged they fail, so RSA and
 * P-384 objects answer TPM_RC_FAILURE (generation) or TPM_RC_BINDING/TPM_RC_ECC_POINT (loading)
 * and everything else links and runs. BearSSL-backed definitions in core/crypto override these
 * (ordinary object files, not archives, so the strong symbol always wins).
 * Delete this file once core/crypto implements them. */
#include "core/crypto/crypto.h"

#define WEAK __attribute__((weak))

WEAK bool crypto_p384_scalar_valid(const uint8_t d[CRYPTO_P384_SCALAR]) { (void)d; return false; }
WEAK bool crypto_p384_point_valid(const uint8_t xy[CRYPTO_P384_POINT]) { (void)xy; return false; }
WEAK bool crypto_p384_public(const uint8_t d[CRYPTO_P384_SCALAR], uint8_t xy[CRYPTO_P384_POINT])
{ (void)d; (void)xy; return false; }
WEAK bool crypto_p384_derive(enum crypto_hash_alg alg, const void *seed, size_t seed_len, const char *label,
			     const void *ctx_u, size_t u_len, const void *ctx_v, size_t v_len, uint8_t d[CRYPTO_P384_SCALAR])
{ (void)alg; (void)seed; (void)seed_len; (void)label; (void)ctx_u; (void)u_len; (void)ctx_v; (void)v_len; (void)d; return false; }
WEAK bool crypto_ecdsa_p384_sign(const uint8_t d[CRYPTO_P384_SCALAR], enum crypto_hash_alg alg, const uint8_t *digest,
				 uint8_t rs[96])
{ (void)d; (void)alg; (void)digest; (void)rs; return false; }
WEAK bool crypto_ecdsa_p384_verify(const uint8_t xy[CRYPTO_P384_POINT], const uint8_t *digest, size_t digest_len,
				   const uint8_t rs[96])
{ (void)xy; (void)digest; (void)digest_len; (void)rs; return false; }
WEAK bool crypto_ecdh_p384(const uint8_t d[CRYPTO_P384_SCALAR], const uint8_t peer[CRYPTO_P384_POINT], uint8_t z[48])
{ (void)d; (void)peer; (void)z; return false; }

WEAK bool crypto_rsa_generate(unsigned bits, uint32_t e, crypto_rand_fn rand, void *rand_ctx,
			      struct crypto_rsa_pub *pub, struct crypto_rsa_priv *priv)
{ (void)bits; (void)e; (void)rand; (void)rand_ctx; (void)pub; (void)priv; return false; }
WEAK bool crypto_rsa_derive(enum crypto_hash_alg alg, const void *seed, size_t seed_len, const char *label,
			    const void *ctx_u, size_t u_len, const void *ctx_v, size_t v_len, unsigned bits, uint32_t e,
			    struct crypto_rsa_pub *pub, struct crypto_rsa_priv *priv)
{ (void)alg; (void)seed; (void)seed_len; (void)label; (void)ctx_u; (void)u_len; (void)ctx_v; (void)v_len; (void)bits;
  (void)e; (void)pub; (void)priv; return false; }
WEAK bool crypto_rsa_priv_from_prime(const struct crypto_rsa_pub *pub, const uint8_t *p, size_t p_len,
				     struct crypto_rsa_priv *priv)
{ (void)pub; (void)p; (void)p_len; (void)priv; return false; }
WEAK bool crypto_rsa_public_raw(const struct crypto_rsa_pub *pub, const uint8_t *in, uint8_t *out)
{ (void)pub; (void)in; (void)out; return false; }
WEAK bool crypto_rsa_private_raw(const struct crypto_rsa_priv *priv, const uint8_t *in, uint8_t *out)
{ (void)priv; (void)in; (void)out; return false; }
WEAK bool crypto_rsa_pkcs1_sign(const struct crypto_rsa_priv *priv, enum crypto_hash_alg alg, const uint8_t *digest,
				uint8_t *sig)
{ (void)priv; (void)alg; (void)digest; (void)sig; return false; }
WEAK bool crypto_rsa_pkcs1_verify(const struct crypto_rsa_pub *pub, enum crypto_hash_alg alg, const uint8_t *digest,
				  const uint8_t *sig, size_t sig_len)
{ (void)pub; (void)alg; (void)digest; (void)sig; (void)sig_len; return false; }
WEAK bool crypto_rsa_pss_sign(const struct crypto_rsa_priv *priv, enum crypto_hash_alg alg, const uint8_t *digest,
			      crypto_rand_fn rand, void *rand_ctx, uint8_t *sig)
{ (void)priv; (void)alg; (void)digest; (void)rand; (void)rand_ctx; (void)sig; return false; }
WEAK bool crypto_rsa_pss_verify(const struct crypto_rsa_pub *pub, enum crypto_hash_alg alg, const uint8_t *digest,
				const uint8_t *sig, size_t sig_len)
{ (void)pub; (void)alg; (void)digest; (void)sig; (void)sig_len; return false; }
WEAK bool crypto_rsa_oaep_encrypt(const struct crypto_rsa_pub *pub, enum crypto_hash_alg alg, const void *label,
				  size_t label_len, const uint8_t *msg, size_t len, crypto_rand_fn rand, void *rand_ctx,
				  uint8_t *out)
{ (void)pub; (void)alg; (void)label; (void)label_len; (void)msg; (void)len; (void)rand; (void)rand_ctx; (void)out;
  return false; }
WEAK bool crypto_rsa_oaep_decrypt(const struct crypto_rsa_priv *priv, enum crypto_hash_alg alg, const void *label,
				  size_t label_len, const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len)
{ (void)priv; (void)alg; (void)label; (void)label_len; (void)in; (void)in_len; (void)out; (void)out_len; return false; }
WEAK bool crypto_rsa_pkcs1_encrypt(const struct crypto_rsa_pub *pub, const uint8_t *msg, size_t len, crypto_rand_fn rand,
				   void *rand_ctx, uint8_t *out)
{ (void)pub; (void)msg; (void)len; (void)rand; (void)rand_ctx; (void)out; return false; }
WEAK bool crypto_rsa_pkcs1_decrypt(const struct crypto_rsa_priv *priv, const uint8_t *in, size_t in_len, uint8_t *out,
				   size_t *out_len)
{ (void)priv; (void)in; (void)in_len; (void)out; (void)out_len; return false; }
