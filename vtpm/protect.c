/* Protected Storage (TPM 2.0 Library Part 1, 23 "Protected Storage"; Part 2, 12.3.7 TPM2B_PRIVATE).
 *
 * The private area of an object that leaves the TPM is its TPM2B_SENSITIVE (size || TPMT_SENSITIVE)
 * under the outer wrapper of its parent:
 *   symKey   = KDFa(hash, seed, "STORAGE", Name, -, symBits)        (Part 1, 23.3.1 / 23.3.2)
 *   encSens  = AES-CFB(symKey, IV = 0, TPM2B_SENSITIVE)              (the key is unique per Name)
 *   hmacKey  = KDFa(hash, seed, "INTEGRITY", -, -, digest bits)
 *   integrity = HMAC_hash(hmacKey, encSens || Name)
 *   TPM2B_PRIVATE = TPM2B_DIGEST integrity || encSens
 * with hash = the parent's nameAlg, seed = the parent's seedValue and symBits = the parent's
 * symmetric key size. Duplication blobs and credentials use the same outer wrapper with a seed
 * shared through the new parent's key (vtpm_object_decrypt_secret), so Import/Duplicate/
 * ActivateCredential call vtpm_outer_wrap/unwrap with their own seed. The integrity is checked
 * before anything is decrypted. */
#include "core/str.h"
#include "vtpm/internal.h"

static bool outer_keys(enum crypto_hash_alg h, const uint8_t *seed, size_t seed_len, uint16_t sym_bits,
		       const uint8_t *name, size_t name_len, uint8_t *hmac_key, struct crypto_aes_key *k)
{
	uint8_t sym[32];
	bool ok;

	if (sym_bits != 128 && sym_bits != 256)
		return false;
	ok = crypto_kdfa(h, seed, seed_len, "INTEGRITY", NULL, 0, NULL, 0, (uint32_t)(8 * crypto_hash_size(h)),
			 hmac_key) &&
	     crypto_kdfa(h, seed, seed_len, "STORAGE", name, name_len, NULL, 0, sym_bits, sym) &&
	     crypto_aes_init_enc(k, sym, sym_bits / 8u);
	crypto_wipe(sym, sizeof(sym));
	return ok;
}

static void outer_mac(enum crypto_hash_alg h, const uint8_t *hmac_key, const uint8_t *enc, size_t len,
		      const uint8_t *name, size_t name_len, uint8_t *mac)
{
	struct crypto_hmac_ctx m;

	crypto_hmac_init(&m, h, hmac_key, crypto_hash_size(h));
	crypto_hmac_update(&m, enc, len);
	crypto_hmac_update(&m, name, name_len);
	crypto_hmac_final(&m, mac);
	crypto_wipe(&m, sizeof(m));
}

bool vtpm_outer_wrap(enum crypto_hash_alg h, const uint8_t *seed, size_t seed_len, uint16_t sym_bits,
		     const uint8_t *name, size_t name_len, const uint8_t *plain, size_t len, struct vtpm_wr *w)
{
	uint8_t buf[VTPM_WRAPPED_MAX], hmac_key[CRYPTO_HASH_MAX_DIGEST], mac[CRYPTO_HASH_MAX_DIGEST];
	uint8_t iv[CRYPTO_AES_BLOCK] = { 0 };
	struct crypto_aes_key k;

	if (len > sizeof(buf) || !outer_keys(h, seed, seed_len, sym_bits, name, name_len, hmac_key, &k))
		return false;
	memcpy(buf, plain, len);
	crypto_aes_cfb_encrypt(&k, iv, buf, len);
	outer_mac(h, hmac_key, buf, len, name, name_len, mac);
	vtpm_put_tpm2b(w, mac, (uint16_t)crypto_hash_size(h));
	vtpm_put_bytes(w, buf, len);
	crypto_wipe(hmac_key, sizeof(hmac_key));
	crypto_wipe(&k, sizeof(k));
	return !w->overflow;
}

uint32_t vtpm_outer_unwrap(enum crypto_hash_alg h, const uint8_t *seed, size_t seed_len, uint16_t sym_bits,
			   const uint8_t *name, size_t name_len, const uint8_t *in, size_t in_len, uint8_t *plain,
			   size_t *plain_len)
{
	uint8_t hmac_key[CRYPTO_HASH_MAX_DIGEST], mac[CRYPTO_HASH_MAX_DIGEST];
	uint8_t iv[CRYPTO_AES_BLOCK] = { 0 };
	size_t hl = crypto_hash_size(h), len;
	struct crypto_aes_key k;
	bool ok;

	/* integrity TPM2B of the parent's digest size, then at least a TPM2B_SENSITIVE's size field */
	if (in_len < 2 + hl + 2 || vtpm_be16(in) != hl)
		return TPM_RC_INTEGRITY;
	len = in_len - 2 - hl;
	if (len > VTPM_WRAPPED_MAX) /* duplicates may carry an inner wrapper */
		return TPM_RC_SIZE;
	if (!outer_keys(h, seed, seed_len, sym_bits, name, name_len, hmac_key, &k))
		return TPM_RC_FAILURE;
	outer_mac(h, hmac_key, in + 2 + hl, len, name, name_len, mac);
	ok = crypto_ct_equal(mac, in + 2, hl);
	crypto_wipe(hmac_key, sizeof(hmac_key));
	if (!ok) {
		crypto_wipe(&k, sizeof(k));
		return TPM_RC_INTEGRITY;
	}
	memcpy(plain, in + 2 + hl, len);
	crypto_aes_cfb_decrypt(&k, iv, plain, len);
	crypto_wipe(&k, sizeof(k));
	*plain_len = len;
	return 0;
}

bool vtpm_private_wrap(const struct vtpm_object *parent, const uint8_t *name, size_t name_len,
		       const struct vtpm_sensitive *s, struct vtpm_wr *w)
{
	uint8_t buf[2 + VTPM_SENSITIVE_MAX];
	struct vtpm_wr sw = { .p = buf + 2, .cap = sizeof(buf) - 2 };
	enum crypto_hash_alg h;
	bool ok;

	vtpm_sensitive_put(&sw, s);
	if (sw.overflow || !vtpm_hash_from_alg(parent->tp.name_alg, &h))
		return false;
	vtpm_set_be16(buf, (uint16_t)sw.len);
	ok = vtpm_outer_wrap(h, parent->seed, parent->seed_len, parent->tp.sym_bits, name, name_len, buf, 2 + sw.len,
			     w);
	crypto_wipe(buf, sizeof(buf));
	return ok;
}

uint32_t vtpm_private_unwrap(const struct vtpm_object *parent, const uint8_t *name, size_t name_len, const uint8_t *in,
			     size_t in_len, unsigned n, struct vtpm_sensitive *s)
{
	uint8_t buf[VTPM_WRAPPED_MAX];
	enum crypto_hash_alg h;
	size_t len;
	uint32_t rc;

	if (!vtpm_hash_from_alg(parent->tp.name_alg, &h))
		return TPM_RC_FAILURE;
	rc = vtpm_outer_unwrap(h, parent->seed, parent->seed_len, parent->tp.sym_bits, name, name_len, in, in_len, buf,
			       &len);
	if (rc)
		return vtpm_param_rc(rc, n);
	rc = vtpm_be16(buf) == len - 2 ? vtpm_sensitive_parse(buf + 2, len - 2, n, s) : RC_P(TPM_RC_SIZE, n);
	crypto_wipe(buf, sizeof(buf));
	return rc;
}
