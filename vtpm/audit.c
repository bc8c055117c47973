/* Audit sessions (TPM 2.0 Library Part 1, 19.6.4 "Session audit" and 36.4; Part 3, 18.5
 * GetSessionAuditDigest). An HMAC or policy session used with the audit attribute keeps
 *   auditDigest' = H_session(auditDigest || cpHash || rpHash)
 * over every successful command it appears in; the digest starts as zeros of the session hash's
 * size the first time the session audits, or again when the command sets auditReset. The TPM keeps
 * one "exclusive" audit session: the one whose audit run has not been interrupted by a command
 * without it; the response reports that state in auditExclusive, and a command that sets
 * auditExclusive with another session is refused (TPM_RC_EXCLUSIVE). Command audit
 * (SetCommandCodeAuditStatus, GetCommandAuditDigest) is not implemented. */
#include "core/str.h"
#include "vtpm/internal.h"

#define AUDIT_BITS (TPMA_SESSION_AUDIT | TPMA_SESSION_AUDITEXCLUSIVE | TPMA_SESSION_AUDITRESET)

uint32_t vtpm_audit_check(const struct vtpm *t, struct vtpm_cmd *c, unsigned i)
{
	const struct vtpm_auth *a = &c->auths[i];

	if (!(a->attrs & AUDIT_BITS))
		return 0;
	if (!(a->attrs & TPMA_SESSION_AUDIT) || !a->s || c->audit_idx)
		return RC_S(TPM_RC_ATTRIBUTES, i + 1);
	if ((a->attrs & TPMA_SESSION_AUDITEXCLUSIVE) && (!a->s->audit || t->exclusive_audit != a->s->handle))
		return RC_S(TPM_RC_EXCLUSIVE, i + 1);
	c->audit_idx = (uint8_t)(i + 1);
	return 0;
}

void vtpm_audit_cphash(struct vtpm *t, struct vtpm_cmd *c, const uint8_t *params, size_t plen)
{
	if (c->audit_idx)
		vtpm_cp_hash(t, c, c->auths[c->audit_idx - 1].s->hash, params, plen, c->audit_cp);
}

void vtpm_audit_update(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_auth *a;
	struct vtpm_session *s;
	struct crypto_hash_ctx h;
	uint8_t rp[CRYPTO_HASH_MAX_DIGEST], buf[8];
	size_t dl;

	if (!c->audit_idx) {
		t->exclusive_audit = 0; /* an audit run without this command is no longer exclusive */
		return;
	}
	a = &c->auths[c->audit_idx - 1];
	s = a->s;
	dl = crypto_hash_size(s->hash);
	if (!s->audit || (a->attrs & TPMA_SESSION_AUDITRESET)) {
		s->audit = true;
		memset(s->audit_digest, 0, sizeof(s->audit_digest));
		t->exclusive_audit = s->handle;
	} else if (t->exclusive_audit != s->handle) {
		t->exclusive_audit = 0;
	}
	if (t->exclusive_audit == s->handle)
		a->attrs |= TPMA_SESSION_AUDITEXCLUSIVE;
	else
		a->attrs &= (uint8_t)~TPMA_SESSION_AUDITEXCLUSIVE;
	/* rpHash = H(responseCode || commandCode || parameters), as the response HMAC uses it */
	vtpm_set_be32(buf, TPM_RC_SUCCESS);
	vtpm_set_be32(buf + 4, c->cc);
	crypto_hash_init(&h, s->hash);
	crypto_hash_update(&h, buf, 8);
	crypto_hash_update(&h, c->out.p, c->out.len);
	crypto_hash_final(&h, rp);
	crypto_hash_init(&h, s->hash);
	crypto_hash_update(&h, s->audit_digest, dl);
	crypto_hash_update(&h, c->audit_cp, dl);
	crypto_hash_update(&h, rp, dl);
	crypto_hash_final(&h, s->audit_digest);
}

/* GetSessionAuditDigest (Part 3, 18.5): privacyAdminHandle (endorsement), signHandle, sessionHandle
 * (an HMAC or policy session, loaded). TPMS_SESSION_AUDIT_INFO = { exclusiveSession, sessionDigest };
 * a session that never audited reports an empty digest. */
uint32_t vtpm_cmd_get_session_audit_digest(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t extra[66];
	uint16_t el;
	struct vtpm_attest_sig sig;
	struct vtpm_session *s;
	struct vtpm_object *k;
	size_t start;
	uint32_t rc;

	if (c->handles[0] != TPM_RH_ENDORSEMENT)
		return RC_H(TPM_RC_VALUE, 1);
	rc = vtpm_attest_signer(t, c->handles[1], 2, &k);
	if (rc)
		return rc;
	s = vtpm_session_find(t, c->handles[2]);
	if (!s)
		return RC_H(TPM_RC_HANDLE, 3);
	rc = vtpm_get_tpm2b(&c->in, extra, &el, sizeof(extra));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = vtpm_attest_scheme(&c->in, 2, k, &sig);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	start = vtpm_attest_begin(t, &c->out, TPM_ST_ATTEST_SESSION_AUDIT, k, extra, el);
	vtpm_put_u8(&c->out, s->audit && t->exclusive_audit == s->handle ? 1 : 0);
	vtpm_put_tpm2b(&c->out, s->audit_digest, s->audit ? (uint16_t)crypto_hash_size(s->hash) : 0);
	return vtpm_attest_finish(t, &c->out, start, k, &sig);
}
