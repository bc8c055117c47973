/* RSA_Encrypt and RSA_Decrypt (TPM 2.0 Library Part 3, 14.2 and 14.3): OAEP, RSAES-PKCS1-v1_5 or,
 * with no scheme anywhere, the raw operation on a left-padded block.
 *
 * Scheme selection (Part 1, 27.2.4 / CryptRsaSelectScheme of the reference code): a key with a scheme
 * uses it and the command's must be NULL or the same; a key without one takes the command's. A
 * non-empty OAEP label must end in its NUL (TPM_RC_VALUE); RSA_Decrypt needs an unrestricted
 * decryption key. */
#include "core/str.h"
#include "vtpm/internal.h"

#define DATA_MAX 66u /* TPM2B_DATA */

struct rsa_in {
	uint16_t len, label_len, scheme, hash;
	uint8_t data[CRYPTO_RSA_MAX_BYTES], label[DATA_MAX];
};

static uint32_t rsa_key(struct vtpm *t, uint32_t h, bool priv, struct vtpm_object **out)
{
	struct vtpm_object *o = vtpm_object_find(t, h);

	if (!o || !vtpm_obj_is_key(o))
		return RC_H(TPM_RC_HANDLE, 1);
	if (o->kind != VTPM_OBJ_RSA || (priv && !o->has_sensitive))
		return RC_H(TPM_RC_KEY, 1);
	if (!(o->attrs & TPMA_OBJECT_DECRYPT) || (priv && (o->attrs & TPMA_OBJECT_RESTRICTED)))
		return RC_H(TPM_RC_ATTRIBUTES, 1);
	*out = o;
	return 0;
}

static uint32_t get_in(struct vtpm_rd *r, const struct vtpm_object *o, struct rsa_in *in)
{
	uint16_t scheme, hash = TPM_ALG_NULL;
	enum crypto_hash_alg h;
	uint32_t rc;

	rc = vtpm_get_tpm2b(r, in->data, &in->len, o->tp.rsa_bits / 8u);
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (!vtpm_get_u16(r, &scheme))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (scheme == TPM_ALG_OAEP && !vtpm_get_u16(r, &hash))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (scheme != TPM_ALG_OAEP && scheme != TPM_ALG_RSAES && scheme != TPM_ALG_NULL)
		return RC_P(TPM_RC_SCHEME, 2);
	if (scheme == TPM_ALG_OAEP && !vtpm_hash_from_alg(hash, &h))
		return RC_P(TPM_RC_HASH, 2);
	rc = vtpm_get_tpm2b(r, in->label, &in->label_len, sizeof(in->label));
	if (rc)
		return vtpm_param_rc(rc, 3);
	if (vtpm_rd_left(r))
		return TPM_RC_SIZE;
	if (in->label_len && in->label[in->label_len - 1] != 0)
		return RC_P(TPM_RC_VALUE, 3);
	if (o->scheme != TPM_ALG_NULL) {
		if (scheme != TPM_ALG_NULL && (scheme != o->scheme || hash != o->scheme_hash))
			return RC_P(TPM_RC_SCHEME, 2);
		scheme = o->scheme;
		hash = o->scheme_hash;
	}
	if (o->scheme == TPM_ALG_RSASSA || o->scheme == TPM_ALG_RSAPSS)
		return RC_H(TPM_RC_SCHEME, 1); /* a signing scheme on a key that also decrypts */
	in->scheme = scheme;
	in->hash = hash;
	return 0;
}

uint32_t vtpm_cmd_rsa_encrypt(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_object *o;
	struct crypto_rsa_pub pub;
	struct rsa_in in;
	uint8_t out[CRYPTO_RSA_MAX_BYTES], blk[CRYPTO_RSA_MAX_BYTES];
	enum crypto_hash_alg h;
	size_t n;
	bool ok;
	uint32_t rc = rsa_key(t, c->handles[0], false, &o);

	if (!rc)
		rc = get_in(&c->in, o, &in);
	if (rc)
		return rc;
	vtpm_object_rsa_pub(o, &pub);
	n = o->tp.rsa_bits / 8u;
	if (in.scheme == TPM_ALG_OAEP) {
		(void)vtpm_hash_from_alg(in.hash, &h);
		ok = crypto_rsa_oaep_encrypt(&pub, h, in.label, in.label_len, in.data, in.len, vtpm_rand_fn, t, out);
	} else if (in.scheme == TPM_ALG_RSAES) {
		ok = crypto_rsa_pkcs1_encrypt(&pub, in.data, in.len, vtpm_rand_fn, t, out);
	} else {
		memset(blk, 0, n);
		memcpy(blk + n - in.len, in.data, in.len);
		ok = crypto_rsa_public_raw(&pub, blk, out);
	}
	if (!ok)
		return RC_P(TPM_RC_VALUE, 1); /* message too long for the padding, or >= n */
	vtpm_put_tpm2b(&c->out, out, (uint16_t)n);
	return 0;
}

uint32_t vtpm_cmd_rsa_decrypt(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_object *o;
	struct crypto_rsa_priv priv;
	struct rsa_in in;
	uint8_t out[CRYPTO_RSA_MAX_BYTES], blk[CRYPTO_RSA_MAX_BYTES];
	enum crypto_hash_alg h;
	size_t n, len = 0;
	bool ok;
	uint32_t rc = rsa_key(t, c->handles[0], true, &o);

	if (!rc)
		rc = get_in(&c->in, o, &in);
	if (rc)
		return rc;
	n = o->tp.rsa_bits / 8u;
	if (!vtpm_object_rsa_priv(o, &priv))
		return TPM_RC_FAILURE;
	if (in.scheme == TPM_ALG_OAEP) {
		(void)vtpm_hash_from_alg(in.hash, &h);
		ok = crypto_rsa_oaep_decrypt(&priv, h, in.label, in.label_len, in.data, in.len, out, &len);
	} else if (in.scheme == TPM_ALG_RSAES) {
		ok = crypto_rsa_pkcs1_decrypt(&priv, in.data, in.len, out, &len);
	} else {
		memset(blk, 0, n);
		memcpy(blk + n - in.len, in.data, in.len);
		ok = crypto_rsa_private_raw(&priv, blk, out);
		len = n;
	}
	crypto_wipe(&priv, sizeof(priv));
	if (!ok)
		return RC_P(TPM_RC_VALUE, 1);
	vtpm_put_tpm2b(&c->out, out, (uint16_t)len);
	crypto_wipe(out, sizeof(out));
	return 0;
}
