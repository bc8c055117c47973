/* The encrypt side of secret sharing (TPM 2.0 Library Part 1, 11.4.10.4 and Annex B.10 / C.6):
 * MakeCredential and Duplicate send a fresh seed to a key of which only the public part is needed.
 * vtpm_object_decrypt_secret (object.c) is the inverse the receiving TPM runs.
 *
 *   RSA: secret = RSAES-OAEP(key, hash = nameAlg, label = "<label>\0", seed)
 *   ECC: (de, Qe) ephemeral on the key's curve, Z = x(de·Qs),
 *        seed = KDFe(nameAlg, Z, label, Qe.x, Qs.x, digest bits), secret = TPMS_ECC_POINT Qe
 * The seed is always a digest of the key's nameAlg. */
#include "core/str.h"
#include "vtpm/internal.h"

/* A random scalar in [1, n-1]: candidates outside the range are drawn again (the chance of one is
 * below 2^-32 on P-256 and P-384). */
static bool ephemeral_scalar(struct vtpm *t, uint16_t curve, uint8_t *d)
{
	size_t sz = vtpm_ecc_size(curve);

	for (unsigned i = 0; i < 8; i++) {
		vtpm_random(t, d, sz);
		if (curve == TPM_ECC_NIST_P256 ? crypto_p256_scalar_valid(d) : crypto_p384_scalar_valid(d))
			return true;
	}
	return false;
}

static uint32_t ecc_encrypt(struct vtpm *t, const struct vtpm_object *o, enum crypto_hash_alg h, const char *label,
			    uint8_t *seed, uint8_t *out, size_t *out_len)
{
	size_t sz = vtpm_ecc_size(o->tp.curve);
	uint8_t d[CRYPTO_P384_SCALAR], qe[CRYPTO_P384_POINT], z[CRYPTO_P384_SCALAR];
	struct vtpm_wr w = { .p = out, .cap = VTPM_SECRET_MAX };
	bool ok;

	if (sz == 0)
		return TPM_RC_CURVE;
	ok = ephemeral_scalar(t, o->tp.curve, d) && vtpm_ecc_public(o->tp.curve, d, qe) &&
	     vtpm_ecc_dh(o->tp.curve, d, o->ecc_xy, z) &&
	     crypto_kdfe(h, z, sz, label, qe, sz, o->ecc_xy, sz, (uint32_t)(8 * crypto_hash_size(h)), seed);
	crypto_wipe(d, sizeof(d));
	crypto_wipe(z, sizeof(z));
	if (!ok)
		return TPM_RC_NO_RESULT;
	vtpm_put_tpm2b(&w, qe, (uint16_t)sz);
	vtpm_put_tpm2b(&w, qe + sz, (uint16_t)sz);
	*out_len = w.len;
	return w.overflow ? TPM_RC_FAILURE : 0;
}

uint32_t vtpm_object_encrypt_secret(struct vtpm *t, const struct vtpm_object *o, const char *label, uint8_t *seed,
				    size_t *seed_len, uint8_t *out, size_t *out_len)
{
	struct crypto_rsa_pub pub;
	enum crypto_hash_alg h;
	uint32_t rc;

	if (!vtpm_obj_is_key(o) || (o->kind != VTPM_OBJ_RSA && o->kind != VTPM_OBJ_ECC))
		return TPM_RC_TYPE;
	if (!(o->attrs & TPMA_OBJECT_DECRYPT))
		return TPM_RC_ATTRIBUTES;
	if (!vtpm_hash_from_alg(o->name_alg, &h))
		return TPM_RC_HASH;
	*seed_len = crypto_hash_size(h);
	vtpm_random(t, seed, *seed_len);
	if (o->kind == VTPM_OBJ_ECC) {
		rc = ecc_encrypt(t, o, h, label, seed, out, out_len);
		if (rc)
			crypto_wipe(seed, *seed_len);
		return rc;
	}
	if (o->scheme != TPM_ALG_NULL && o->scheme != TPM_ALG_OAEP)
		return TPM_RC_SCHEME;
	vtpm_object_rsa_pub(o, &pub);
	if (!crypto_rsa_oaep_encrypt(&pub, h, label, strlen(label) + 1, seed, *seed_len, vtpm_rand_fn, t, out)) {
		crypto_wipe(seed, *seed_len);
		return TPM_RC_NO_RESULT;
	}
	*out_len = o->tp.rsa_bits / 8u;
	return 0;
}
