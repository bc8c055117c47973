/* Session-based parameter encryption (TPM 2.0 Library Part 1, 21): the first parameter of a command
 * (decrypt attribute) or of a response (encrypt attribute), when it is a sized buffer, is
 * encrypted with AES-CFB or XOR under the session.
 *   CFB: key || iv = KDFa(authHash, sessionValue, "CFB", nonceNewer, nonceOlder, keyBits + 128)
 *   XOR: mask      = KDFa(hashAlg, sessionValue, "XOR", nonceNewer, nonceOlder, 8 * size)
 * sessionValue = sessionKey || authValue (see vtpm_session_value). For a command nonceNewer is the
 * caller's nonce and nonceOlder the TPM's current one; for the response, the TPM's fresh nonce and
 * the caller's. Both directions are applied to the bytes the HMACs cover as sent on the wire. */
#include "core/str.h"
#include "vtpm/internal.h"

/* Commands whose first command / response parameter is a TPM2B, among those implemented. */
bool vtpm_first_param_sized(uint32_t cc, bool response)
{
	switch (cc) {
	case TPM_CC_Hash:
	case TPM_CC_SequenceComplete:
	case TPM_CC_StartAuthSession:
	case TPM_CC_HMAC:
	case TPM_CC_CreatePrimary:
	case TPM_CC_Quote:
	case TPM_CC_PolicySigned: /* nonceTPM / timeout */
	case TPM_CC_PolicySecret:
		return true;
	case TPM_CC_PolicyNV: /* operandB */
	case TPM_CC_PolicyTicket: /* timeout */
	case TPM_CC_PolicyCounterTimer:
	case TPM_CC_PolicyCpHash:
	case TPM_CC_PolicyNameHash:
	case TPM_CC_PolicyAuthorize: /* approvedPolicy */
	case TPM_CC_PolicyDuplicationSelect:
	case TPM_CC_PolicyTemplate:
	case TPM_CC_PolicyPCR: /* pcrDigest */
		return !response;
	case TPM_CC_PolicyGetDigest:
		return response;
	case TPM_CC_LoadExternal:
	case TPM_CC_HMAC_Start:
	case TPM_CC_HierarchyChangeAuth:
	case TPM_CC_NV_DefineSpace:
	case TPM_CC_NV_Write:
	case TPM_CC_NV_Extend:
	case TPM_CC_PCR_Event:
	case TPM_CC_HashSequenceStart:
	case TPM_CC_SequenceUpdate:
	case TPM_CC_EventSequenceComplete:
	case TPM_CC_StirRandom:
	case TPM_CC_Sign:
	case TPM_CC_VerifySignature:
		return !response;
	/* objects and keys (issue 6, objects part) */
	case TPM_CC_Create:
	case TPM_CC_CreateLoaded:
	case TPM_CC_Load:
	case TPM_CC_ObjectChangeAuth:
	case TPM_CC_EncryptDecrypt2:
	case TPM_CC_RSA_Encrypt:
	case TPM_CC_RSA_Decrypt:
		return true;
	case TPM_CC_Unseal:
	case TPM_CC_EncryptDecrypt:
		return response;
	/* end of objects and keys */
	/* credentials and duplication (issue 6, credentials part) */
	case TPM_CC_MakeCredential:
	case TPM_CC_ActivateCredential:
	case TPM_CC_Duplicate:
	case TPM_CC_Import:
		return true;
	/* end of credentials and duplication */
	/* attestation and ECDH (issue 6, attest part) */
	case TPM_CC_Certify:
	case TPM_CC_CertifyCreation:
	case TPM_CC_GetTime:
	case TPM_CC_NV_Certify:
	case TPM_CC_GetSessionAuditDigest:
	case TPM_CC_ECDH_ZGen:
		return true;
	case TPM_CC_ECDH_KeyGen:
		return response;
	/* end of attestation and ECDH */
	case TPM_CC_GetRandom:
	case TPM_CC_ReadPublic:
	case TPM_CC_NV_Read:
	case TPM_CC_NV_ReadPublic:
	case TPM_CC_GetTestResult:
		return response;
	default:
		return false;
	}
}

static bool transform(struct vtpm *t, struct vtpm_cmd *c, unsigned i, bool response, uint8_t *data,
		      size_t n)
{
	struct vtpm_auth *a = &c->auths[i];
	const struct vtpm_session *s = a->s;
	uint8_t key[2 * VTPM_AUTH_MAX], kiv[48];
	const uint8_t *newer = response ? s->nonce_tpm : a->nonce;
	const uint8_t *older = response ? a->nonce : s->nonce_tpm;
	uint16_t newer_len = response ? s->nonce_len : a->nonce_len;
	uint16_t older_len = response ? a->nonce_len : s->nonce_len;
	size_t kl = vtpm_session_value(t, c, i, response, key);
	bool ok = false;

	if (n == 0)
		return true;
	if (s->sym_alg == TPM_ALG_AES) {
		struct crypto_aes_key k;
		size_t klen = s->sym_bits / 8u;

		if (!crypto_kdfa(s->hash, key, kl, "CFB", newer, newer_len, older, older_len,
				 (uint32_t)(klen + 16) * 8, kiv) ||
		    !crypto_aes_init_enc(&k, kiv, klen))
			goto out;
		if (response)
			crypto_aes_cfb_encrypt(&k, kiv + klen, data, n);
		else
			crypto_aes_cfb_decrypt(&k, kiv + klen, data, n);
		crypto_wipe(&k, sizeof(k));
		ok = true;
	} else if (s->sym_alg == TPM_ALG_XOR) {
		enum crypto_hash_alg h;

		if (n > sizeof(t->mask) || !vtpm_hash_from_alg(s->sym_bits, &h) ||
		    !crypto_kdfa(h, key, kl, "XOR", newer, newer_len, older, older_len, (uint32_t)n * 8,
				 t->mask))
			goto out;
		for (size_t j = 0; j < n; j++)
			data[j] ^= t->mask[j];
		crypto_wipe(t->mask, n);
		ok = true;
	}
out:
	crypto_wipe(key, sizeof(key));
	crypto_wipe(kiv, sizeof(kiv));
	return ok;
}

uint32_t vtpm_param_decrypt(struct vtpm *t, struct vtpm_cmd *c, const uint8_t *params, size_t len)
{
	for (unsigned i = 0; i < c->n_auths; i++) {
		uint16_t n;

		if (!(c->auths[i].attrs & TPMA_SESSION_DECRYPT))
			continue;
		if (len < 2 || len > sizeof(t->cmd_params))
			return RC_P(TPM_RC_INSUFFICIENT, 1);
		n = vtpm_be16(params);
		if (n > len - 2)
			return RC_P(TPM_RC_INSUFFICIENT, 1);
		memcpy(t->cmd_params, params, len);
		if (!transform(t, c, i, false, t->cmd_params + 2, n))
			return TPM_RC_FAILURE;
		vtpm_rd_init(&c->in, t->cmd_params, len);
		return 0;
	}
	return 0;
}

void vtpm_param_encrypt(struct vtpm *t, struct vtpm_cmd *c)
{
	for (unsigned i = 0; i < c->n_auths; i++) {
		uint16_t n;

		if (!(c->auths[i].attrs & TPMA_SESSION_ENCRYPT))
			continue;
		if (c->out.len < 2)
			return;
		n = vtpm_be16(c->out.p);
		if (n > c->out.len - 2 || !transform(t, c, i, true, c->out.p + 2, n))
			c->out.overflow = true; /* turns into TPM_RC_FAILURE; cannot happen */
		return;
	}
}
