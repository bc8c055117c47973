/* EncryptDecrypt and EncryptDecrypt2 with SYMCIPHER (AES-128/256) keys (TPM 2.0 Library Part 3,
 * 15.2 and 15.3): CFB, CBC, CTR, OFB and ECB. Encryption needs the key's sign attribute,
 * decryption its decrypt attribute; restricted keys are refused (Part 3, 15.2.1). The key's mode
 * wins; a key with a NULL mode takes the command's.
 *
 * ivOut: CFB and CBC the last ciphertext block, CTR the next counter block, OFB the last keystream
 * block, ECB empty. OFB and ECB are built from CBC on single blocks (E(x) = CBC-encrypt of x under a
 * zero IV; the OFB keystream is the CBC encryption of zero blocks). */
#include "core/str.h"
#include "vtpm/internal.h"

#define MAX_BUFFER 1024u /* TPM2B_MAX_BUFFER */
#define BLK CRYPTO_AES_BLOCK

struct ed_in {
	uint8_t decrypt;
	uint16_t mode, iv_len, len;
	uint8_t iv[BLK];
	uint8_t data[MAX_BUFFER];
};

static bool ecb(const struct crypto_aes_key *k, bool dec, uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i += BLK) {
		uint8_t z[BLK] = { 0 };

		if (!(dec ? crypto_aes_cbc_decrypt(k, z, p + i, BLK) : crypto_aes_cbc_encrypt(k, z, p + i, BLK)))
			return false;
	}
	return true;
}

static bool ofb(const struct crypto_aes_key *k, uint8_t iv[BLK], uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i += BLK) {
		uint8_t ks[BLK] = { 0 }, z[BLK] = { 0 };
		size_t n = len - i < BLK ? len - i : BLK;

		memcpy(z, iv, BLK);
		if (!crypto_aes_cbc_encrypt(k, z, ks, BLK)) /* ks = E(iv) */
			return false;
		for (size_t j = 0; j < n; j++)
			p[i + j] ^= ks[j];
		memcpy(iv, ks, BLK);
	}
	return true;
}

static bool run_mode(const uint8_t *key, uint16_t bits, uint16_t mode, bool dec, uint8_t *iv, uint8_t *p, size_t len)
{
	struct crypto_aes_key k;
	bool dec_schedule = dec && (mode == TPM_ALG_CBC || mode == TPM_ALG_ECB);
	bool ok;

	if (!(dec_schedule ? crypto_aes_init_dec(&k, key, bits / 8u) : crypto_aes_init_enc(&k, key, bits / 8u)))
		return false;
	switch (mode) {
	case TPM_ALG_CFB:
		if (dec)
			crypto_aes_cfb_decrypt(&k, iv, p, len);
		else
			crypto_aes_cfb_encrypt(&k, iv, p, len);
		ok = true;
		break;
	case TPM_ALG_CBC:
		ok = dec ? crypto_aes_cbc_decrypt(&k, iv, p, len) : crypto_aes_cbc_encrypt(&k, iv, p, len);
		break;
	case TPM_ALG_CTR:
		crypto_aes_ctr(&k, iv, p, len);
		ok = true;
		break;
	case TPM_ALG_OFB:
		ok = ofb(&k, iv, p, len);
		break;
	default: /* ECB */
		ok = ecb(&k, dec, p, len);
		break;
	}
	crypto_wipe(&k, sizeof(k));
	return ok;
}

/* np[]: parameter numbers of decrypt, mode, ivIn, inData in this command's order. */
static uint32_t encrypt_decrypt(struct vtpm *t, struct vtpm_cmd *c, struct ed_in *in, const unsigned np[4])
{
	struct vtpm_object *o = vtpm_object_find(t, c->handles[0]);
	uint16_t mode;
	uint32_t need;

	if (!o || !vtpm_obj_is_key(o))
		return RC_H(TPM_RC_HANDLE, 1);
	if (o->kind != VTPM_OBJ_SYMCIPHER || !o->has_sensitive)
		return RC_H(TPM_RC_KEY, 1);
	if (in->decrypt > 1)
		return RC_P(TPM_RC_VALUE, np[0]);
	need = in->decrypt ? TPMA_OBJECT_DECRYPT : TPMA_OBJECT_SIGN;
	if ((o->attrs & TPMA_OBJECT_RESTRICTED) || !(o->attrs & need))
		return RC_H(TPM_RC_ATTRIBUTES, 1);
	mode = o->tp.sym_mode;
	if (mode != TPM_ALG_NULL) {
		if (in->mode != TPM_ALG_NULL && in->mode != mode)
			return RC_P(TPM_RC_MODE, np[1]);
	} else {
		if (in->mode != TPM_ALG_CFB && in->mode != TPM_ALG_CBC && in->mode != TPM_ALG_CTR &&
		    in->mode != TPM_ALG_OFB && in->mode != TPM_ALG_ECB)
			return RC_P(TPM_RC_MODE, np[1]);
		mode = in->mode;
	}
	if (mode == TPM_ALG_ECB ? in->iv_len != 0 : in->iv_len != BLK)
		return RC_P(TPM_RC_SIZE, np[2]);
	if ((mode == TPM_ALG_CBC || mode == TPM_ALG_ECB) && in->len % BLK)
		return RC_P(TPM_RC_SIZE, np[3]);
	if (!run_mode(o->key, o->tp.sym_bits, mode, in->decrypt, in->iv, in->data, in->len))
		return TPM_RC_FAILURE;
	vtpm_put_tpm2b(&c->out, in->data, in->len);
	vtpm_put_tpm2b(&c->out, in->iv, in->iv_len);
	return 0;
}

static uint32_t get_head(struct vtpm_rd *r, struct ed_in *in, const unsigned np[4])
{
	uint32_t rc;

	if (!vtpm_get_u8(r, &in->decrypt))
		return RC_P(TPM_RC_INSUFFICIENT, np[0]);
	if (!vtpm_get_u16(r, &in->mode))
		return RC_P(TPM_RC_INSUFFICIENT, np[1]);
	rc = vtpm_get_tpm2b(r, in->iv, &in->iv_len, sizeof(in->iv));
	return rc ? vtpm_param_rc(rc, np[2]) : 0;
}

uint32_t vtpm_cmd_encrypt_decrypt(struct vtpm *t, struct vtpm_cmd *c)
{
	static const unsigned np[4] = { 1, 2, 3, 4 };
	struct ed_in in;
	uint32_t rc = get_head(&c->in, &in, np);

	if (!rc)
		rc = vtpm_param_rc(vtpm_get_tpm2b(&c->in, in.data, &in.len, sizeof(in.data)), 4);
	if (!rc && vtpm_rd_left(&c->in))
		rc = TPM_RC_SIZE;
	if (!rc)
		rc = encrypt_decrypt(t, c, &in, np);
	crypto_wipe(&in, sizeof(in));
	return rc;
}

uint32_t vtpm_cmd_encrypt_decrypt2(struct vtpm *t, struct vtpm_cmd *c)
{
	static const unsigned np[4] = { 2, 3, 4, 1 };
	struct ed_in in;
	uint32_t rc = vtpm_param_rc(vtpm_get_tpm2b(&c->in, in.data, &in.len, sizeof(in.data)), 1);

	if (!rc)
		rc = get_head(&c->in, &in, np);
	if (!rc && vtpm_rd_left(&c->in))
		rc = TPM_RC_SIZE;
	if (!rc)
		rc = encrypt_decrypt(t, c, &in, np);
	crypto_wipe(&in, sizeof(in));
	return rc;
}
