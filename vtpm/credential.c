/* Credential protection: MakeCredential and ActivateCredential (TPM 2.0 Library Part 1, 24;
 * Part 3, 12.6 and 12.5).
 *
 * A credential (at most a digest of the protector's nameAlg) travels to the TPM that holds both the
 * protector (an EK: restricted decryption key) and the object whose Name it is bound to (an AK):
 *   seed           = shared with the protector under the label "IDENTITY" (secret.c / object.c)
 *   credentialBlob = TPM2B_ID_OBJECT: the outer wrapper of protect.c around TPM2B_DIGEST credential,
 *                    keyed by seed, nameAlg and symmetric key size of the protector, and bound to
 *                    objectName (the KDFa context of "STORAGE" and the HMAC's trailer)
 * so a blob made for another Name fails the integrity check (TPM_RC_INTEGRITY), as does any bit
 * changed in it. */
#include "core/str.h"
#include "vtpm/internal.h"

#define ID_OBJECT_MAX (2u + CRYPTO_HASH_MAX_DIGEST + 2u + CRYPTO_HASH_MAX_DIGEST)
#define NAME_MAX (2u + CRYPTO_HASH_MAX_DIGEST)

/* A credential protector: an asymmetric restricted decryption key; private part only if priv. */
static uint32_t protector(struct vtpm *t, uint32_t handle, unsigned hn, bool priv, struct vtpm_object **out)
{
	struct vtpm_object *o = vtpm_object_find(t, handle);

	if (!o || !vtpm_obj_is_key(o))
		return RC_H(TPM_RC_HANDLE, hn);
	if (o->kind != VTPM_OBJ_RSA && o->kind != VTPM_OBJ_ECC)
		return RC_H(TPM_RC_TYPE, hn);
	if ((o->attrs & (TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT)) !=
	    (TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT))
		return RC_H(priv ? TPM_RC_ATTRIBUTES : TPM_RC_TYPE, hn);
	if (priv && !o->has_sensitive)
		return RC_H(TPM_RC_KEY, hn);
	*out = o;
	return 0;
}

uint32_t vtpm_cmd_make_credential(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t cred[2 + CRYPTO_HASH_MAX_DIGEST], name[NAME_MAX], seed[CRYPTO_HASH_MAX_DIGEST];
	uint8_t secret[VTPM_SECRET_MAX], blob[ID_OBJECT_MAX];
	struct vtpm_wr bw = { .p = blob, .cap = sizeof(blob) };
	struct vtpm_object *o;
	enum crypto_hash_alg h;
	uint16_t cred_len, name_len;
	size_t seed_len, secret_len;
	uint32_t rc;
	bool ok;

	rc = protector(t, c->handles[0], 1, false, &o);
	if (rc)
		return rc;
	rc = vtpm_get_tpm2b(&c->in, cred + 2, &cred_len, CRYPTO_HASH_MAX_DIGEST);
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = vtpm_get_tpm2b(&c->in, name, &name_len, sizeof(name));
	if (rc)
		return vtpm_param_rc(rc, 2);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	(void)vtpm_hash_from_alg(o->name_alg, &h);
	if (cred_len > crypto_hash_size(h))
		return RC_P(TPM_RC_SIZE, 1);
	rc = vtpm_object_encrypt_secret(t, o, "IDENTITY", seed, &seed_len, secret, &secret_len);
	if (rc)
		return (rc & 0x80u) ? RC_H(rc, 1) : rc;
	vtpm_set_be16(cred, cred_len);
	ok = vtpm_outer_wrap(h, seed, seed_len, o->tp.sym_bits, name, name_len, cred, 2u + cred_len, &bw);
	crypto_wipe(seed, sizeof(seed));
	crypto_wipe(cred, sizeof(cred));
	if (!ok)
		return TPM_RC_FAILURE;
	vtpm_put_tpm2b(&c->out, blob, (uint16_t)bw.len);
	vtpm_put_tpm2b(&c->out, secret, (uint16_t)secret_len);
	return 0;
}

uint32_t vtpm_cmd_activate_credential(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t blob[ID_OBJECT_MAX], secret[VTPM_SECRET_MAX], seed[CRYPTO_RSA_MAX_BYTES], plain[VTPM_WRAPPED_MAX];
	struct vtpm_object *obj = vtpm_object_find(t, c->handles[0]), *key;
	uint16_t blob_len, secret_len;
	size_t seed_len = 0, plain_len = 0, hl;
	enum crypto_hash_alg h;
	uint32_t rc;

	if (!obj || !vtpm_obj_is_key(obj))
		return RC_H(TPM_RC_HANDLE, 1);
	rc = protector(t, c->handles[1], 2, true, &key);
	if (rc)
		return rc;
	rc = vtpm_get_tpm2b(&c->in, blob, &blob_len, sizeof(blob));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = vtpm_get_tpm2b(&c->in, secret, &secret_len, sizeof(secret));
	if (rc)
		return vtpm_param_rc(rc, 2);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	rc = vtpm_object_decrypt_secret(t, key, "IDENTITY", secret, secret_len, seed, &seed_len);
	if (rc)
		return rc == TPM_RC_KEY ? TPM_RC_FAILURE : vtpm_param_rc(rc, 2);
	(void)vtpm_hash_from_alg(key->name_alg, &h);
	hl = crypto_hash_size(h);
	rc = vtpm_outer_unwrap(h, seed, seed_len, key->tp.sym_bits, obj->name, obj->name_len, blob, blob_len, plain,
			       &plain_len);
	crypto_wipe(seed, sizeof(seed));
	if (!rc && (plain_len < 2 || vtpm_be16(plain) != plain_len - 2 || plain_len - 2 > hl))
		rc = TPM_RC_SIZE;
	if (!rc)
		vtpm_put_tpm2b(&c->out, plain + 2, (uint16_t)(plain_len - 2));
	crypto_wipe(plain, sizeof(plain));
	return rc ? RC_P(rc, 1) : 0;
}
