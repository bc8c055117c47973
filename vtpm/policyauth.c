/* Policy assertions checked when they run (TPM 2.0 Library Part 3, 23): PolicySigned, PolicySecret,
 * PolicyAuthorize, PolicyTicket, PolicyPCR, PolicyNV, PolicyAuthorizeNV, PolicyCounterTimer. In a trial session the checks are
 * skipped and only the digest is computed (policy.c has the session state and the rest).
 *
 *   PolicySigned/Secret: policyDigest' = H(H(policyDigest || CC || Name(authObject)) || policyRef)
 *   PolicyAuthorize:     policyDigest' = H(H(0...0 || CC || keySign) || policyRef)
 *   PolicyPCR:           policyDigest' = H(policyDigest || CC || TPML_PCR_SELECTION || pcrDigest)
 *   PolicyNV:            policyDigest' = H(policyDigest || CC || args || Name(nvIndex))
 *   PolicyAuthorizeNV:   policyDigest' = H(0...0 || CC || Name(nvIndex))
 *   PolicyCounterTimer:  policyDigest' = H(policyDigest || CC || args)
 *   args = H(operandB || offset || operation)
 * Expiration: PolicySigned/PolicySecret with expiration != 0 limit the session to |expiration|
 * seconds after its start (nonceTPM given) or to TPM time |expiration| s (no nonce); a negative
 * expiration asks for a ticket (TPMT_TK_AUTH) that PolicyTicket accepts later in this boot. */
#include "core/str.h"
#include "vtpm/internal.h"

#define TIME_INFO_SIZE 25u /* TPMS_TIME_INFO: time, clock, resetCount, restartCount, safe */
#define OPERAND_MAX CRYPTO_HASH_MAX_DIGEST

static bool trial(const struct vtpm_session *s)
{
	return s->pol_flags & VTPM_POL_TRIAL;
}

/* ---- TPM_EO comparisons (Part 2, 6.8) over big-endian operands of the same size ---------------- */

static int cmp_unsigned(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	}
	return 0;
}

/* Two's complement: the sign bit of the first byte decides unless both signs agree. */
static int cmp_signed(const uint8_t *a, const uint8_t *b, size_t n)
{
	bool na = n && (a[0] & 0x80u), nb = n && (b[0] & 0x80u);

	if (na != nb)
		return na ? -1 : 1;
	return cmp_unsigned(a, b, n);
}

static bool eo_holds(uint16_t op, const uint8_t *a, const uint8_t *b, size_t n)
{
	switch (op) {
	case TPM_EO_EQ: return cmp_unsigned(a, b, n) == 0;
	case TPM_EO_NEQ: return cmp_unsigned(a, b, n) != 0;
	case TPM_EO_SIGNED_GT: return cmp_signed(a, b, n) > 0;
	case TPM_EO_UNSIGNED_GT: return cmp_unsigned(a, b, n) > 0;
	case TPM_EO_SIGNED_LT: return cmp_signed(a, b, n) < 0;
	case TPM_EO_UNSIGNED_LT: return cmp_unsigned(a, b, n) < 0;
	case TPM_EO_SIGNED_GE: return cmp_signed(a, b, n) >= 0;
	case TPM_EO_UNSIGNED_GE: return cmp_unsigned(a, b, n) >= 0;
	case TPM_EO_SIGNED_LE: return cmp_signed(a, b, n) <= 0;
	case TPM_EO_UNSIGNED_LE: return cmp_unsigned(a, b, n) <= 0;
	case TPM_EO_BITSET:
		for (size_t i = 0; i < n; i++)
			if ((a[i] & b[i]) != b[i])
				return false;
		return true;
	default: /* TPM_EO_BITCLEAR */
		for (size_t i = 0; i < n; i++)
			if (a[i] & b[i])
				return false;
		return true;
	}
}

struct operand {
	uint8_t b[OPERAND_MAX];
	uint16_t len, offset, op;
};

/* operandB, offset, operation: parameters 1-3 of PolicyNV and PolicyCounterTimer */
static uint32_t get_operand(struct vtpm_rd *r, struct operand *o)
{
	uint32_t rc = vtpm_get_tpm2b(r, o->b, &o->len, sizeof(o->b));

	if (rc)
		return vtpm_param_rc(rc, 1);
	if (!vtpm_get_u16(r, &o->offset))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (!vtpm_get_u16(r, &o->op))
		return RC_P(TPM_RC_INSUFFICIENT, 3);
	if (o->op > TPM_EO_BITCLEAR)
		return RC_P(TPM_RC_VALUE, 3);
	return vtpm_rd_left(r) ? TPM_RC_SIZE : 0;
}

/* args = H(operandB || offset || operation), then extended with CC || args || name */
static void extend_operand(struct vtpm_session *s, uint32_t cc, const struct operand *o, const uint8_t *name,
			   size_t nl)
{
	uint8_t args[CRYPTO_HASH_MAX_DIGEST], tail[4];
	struct crypto_hash_ctx h;

	vtpm_set_be16(tail, o->offset);
	vtpm_set_be16(tail + 2, o->op);
	crypto_hash_init(&h, s->hash);
	crypto_hash_update(&h, o->b, o->len);
	crypto_hash_update(&h, tail, 4);
	crypto_hash_final(&h, args);
	vtpm_policy_extend(s, cc, args, crypto_hash_size(s->hash), name, nl);
}

uint32_t vtpm_cmd_policy_counter_timer(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t info[TIME_INFO_SIZE];
	struct vtpm_wr w = { .p = info, .cap = sizeof(info) };
	struct vtpm_session *s;
	struct operand o;
	uint32_t rc;

	rc = get_operand(&c->in, &o);
	if (rc)
		return rc;
	rc = vtpm_policy_session(t, c->handles[0], 1, &s);
	if (rc)
		return rc;
	if (o.offset > TIME_INFO_SIZE)
		return RC_P(TPM_RC_VALUE, 2);
	if ((uint32_t)o.offset + o.len > TIME_INFO_SIZE)
		return TPM_RC_RANGE;
	if (!trial(s)) {
		vtpm_put_u64(&w, vtpm_time_now(t));
		vtpm_put_u64(&w, vtpm_clock_now(t));
		vtpm_put_u32(&w, t->p.reset_count);
		vtpm_put_u32(&w, t->p.restart_count);
		vtpm_put_u8(&w, 1);
		if (!eo_holds(o.op, info + o.offset, o.b, o.len))
			return TPM_RC_POLICY;
	}
	extend_operand(s, TPM_CC_PolicyCounterTimer, &o, NULL, 0);
	return 0;
}

/* PolicyNV and PolicyAuthorizeNV: handles authHandle, nvIndex, policySession. The index (handle
 * 2) and session (handle 3) are looked up; the read checks (Part 3, 31.3.1 NvReadAccessChecks)
 * are made unless the session is a trial. */
static uint32_t nv_policy_handles(struct vtpm *t, struct vtpm_cmd *c, struct vtpm_nv_index **x,
				  struct vtpm_session **s)
{
	bool policy_auth = c->n_auths > 0 && c->auths[0].s && vtpm_session_is_policy(c->auths[0].s);
	uint32_t rc = vtpm_policy_session(t, c->handles[2], 3, s);

	if (rc)
		return rc;
	if ((c->handles[1] >> 24) != TPM_HT_NV_INDEX)
		return RC_H(TPM_RC_VALUE, 2);
	*x = vtpm_nv_find(t, c->handles[1]);
	if (!*x)
		return RC_H(TPM_RC_HANDLE, 2);
	if (trial(*s))
		return 0;
	rc = vtpm_nv_access(*x, c->handles[0], false, policy_auth);
	if (rc)
		return rc;
	if ((*x)->attrs & TPMA_NV_READLOCKED)
		return TPM_RC_NV_LOCKED;
	return (*x)->attrs & TPMA_NV_WRITTEN ? 0 : TPM_RC_NV_UNINITIALIZED;
}

uint32_t vtpm_cmd_policy_nv(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t name[2 + CRYPTO_HASH_MAX_DIGEST];
	struct vtpm_nv_index *x;
	struct vtpm_session *s;
	struct operand o;
	uint16_t nl;
	uint32_t rc;

	rc = get_operand(&c->in, &o);
	if (rc)
		return rc;
	rc = nv_policy_handles(t, c, &x, &s);
	if (rc)
		return rc;
	if (!trial(s)) {
		if (o.offset > x->size)
			return RC_P(TPM_RC_VALUE, 2);
		if (x->size - o.offset < o.len)
			return RC_P(TPM_RC_SIZE, 1);
		if (!eo_holds(o.op, x->data + o.offset, o.b, o.len))
			return TPM_RC_POLICY;
	}
	vtpm_nv_name(x, name, &nl);
	extend_operand(s, TPM_CC_PolicyNV, &o, name, nl);
	return 0;
}

/* PolicyAuthorizeNV (Part 3, 23.22): the index holds a TPMT_HA (hashAlg, digest) naming the policy
 * its owner currently approves; when the session's digest is that policy, the digest becomes
 * H(0...0 || CC || Name(nvIndex)). Index too short or hashAlg not the session's: TPM_RC_HASH;
 * another digest: TPM_RC_VALUE. */
uint32_t vtpm_cmd_policy_authorize_nv(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t name[2 + CRYPTO_HASH_MAX_DIGEST];
	struct vtpm_nv_index *x;
	struct vtpm_session *s;
	uint16_t nl;
	uint32_t rc;

	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	rc = nv_policy_handles(t, c, &x, &s);
	if (rc)
		return rc;
	if (!trial(s)) {
		size_t dl = crypto_hash_size(s->hash);

		if (x->size < 2 + dl || vtpm_be16(x->data) != s->hash_tpm_alg)
			return TPM_RC_HASH;
		if (!crypto_ct_equal(x->data + 2, s->policy, dl))
			return TPM_RC_VALUE;
	}
	vtpm_nv_name(x, name, &nl);
	memset(s->policy, 0, sizeof(s->policy));
	vtpm_policy_extend(s, TPM_CC_PolicyAuthorizeNV, name, nl, NULL, 0);
	return 0;
}

/* ---- PolicyPCR ---------------------------------------------------------------------------------- */

/* Reads a TPML_PCR_SELECTION (parameter 2) and hashes the selected PCRs of allocated banks, in
 * selection order and ascending within a selection, under the session's hash. sel and sel_len
 * point at the selection's bytes as sent, which the policy digest covers. */
static uint32_t pcr_selection_digest(const struct vtpm *t, struct vtpm_rd *r, enum crypto_hash_alg alg,
				     const uint8_t **sel, size_t *sel_len, uint8_t *out)
{
	struct crypto_hash_ctx h;
	size_t start = r->off;
	uint32_t count;

	if (!vtpm_get_u32(r, &count))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (count > VTPM_BANKS)
		return RC_P(TPM_RC_SIZE, 2);
	crypto_hash_init(&h, alg);
	for (uint32_t i = 0; i < count; i++) {
		uint8_t bits[4] = { 0 }, size;
		uint16_t bank_alg;
		int b;

		if (!vtpm_get_u16(r, &bank_alg) || !vtpm_get_u8(r, &size))
			return RC_P(TPM_RC_INSUFFICIENT, 2);
		if (size < 1 || size > 4)
			return RC_P(TPM_RC_VALUE, 2);
		if (!vtpm_get_bytes(r, bits, size))
			return RC_P(TPM_RC_INSUFFICIENT, 2);
		b = vtpm_bank_of_alg(bank_alg);
		if (b < 0)
			return RC_P(TPM_RC_HASH, 2);
		if (!(t->active_alloc >> b & 1u))
			continue;
		for (unsigned p = 0; p < VTPM_PCR_COUNT; p++) {
			if (bits[p / 8] >> (p % 8) & 1u)
				crypto_hash_update(&h, t->pcr[b][p], crypto_hash_size(vtpm_bank_hash((unsigned)b)));
		}
	}
	crypto_hash_final(&h, out);
	*sel = r->p + start;
	*sel_len = r->off - start;
	return 0;
}

uint32_t vtpm_cmd_policy_pcr(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t given[CRYPTO_HASH_MAX_DIGEST], now[CRYPTO_HASH_MAX_DIGEST];
	const uint8_t *sel, *digest = now;
	struct vtpm_session *s;
	uint16_t glen, dl;
	size_t sel_len;
	uint32_t rc;

	rc = vtpm_get_tpm2b(&c->in, given, &glen, sizeof(given));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = vtpm_policy_session(t, c->handles[0], 1, &s);
	if (rc)
		return rc;
	rc = pcr_selection_digest(t, &c->in, s->hash, &sel, &sel_len, now);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	dl = (uint16_t)crypto_hash_size(s->hash);
	if (!trial(s)) {
		if ((s->pol_flags & VTPM_POL_PCR) && s->pol_pcr_counter != t->pcr_update_counter)
			return TPM_RC_PCR_CHANGED;
		if (glen != 0 && (glen != dl || !crypto_ct_equal(given, now, dl)))
			return RC_P(TPM_RC_VALUE, 1);
	} else if (glen != 0) {
		digest = given; /* a trial computes the policy for the values the caller expects */
		dl = glen;
	}
	vtpm_policy_extend(s, TPM_CC_PolicyPCR, sel, sel_len, digest, dl);
	if (!trial(s)) {
		s->pol_flags |= VTPM_POL_PCR;
		s->pol_pcr_counter = t->pcr_update_counter;
	}
	return 0;
}

/* ---- PolicySigned / PolicySecret ---------------------------------------------------------------- */

struct auth_args {
	uint8_t nonce[CRYPTO_HASH_MAX_DIGEST], cp[CRYPTO_HASH_MAX_DIGEST], ref[CRYPTO_HASH_MAX_DIGEST];
	uint16_t nonce_len, cp_len, ref_len;
	int32_t expiration;
	uint64_t timeout;
};

/* nonceTPM, cpHashA, policyRef, expiration: parameters 1-4 */
static uint32_t get_auth_args(struct vtpm_rd *r, struct auth_args *a)
{
	uint32_t rc, e;

	rc = vtpm_get_tpm2b(r, a->nonce, &a->nonce_len, sizeof(a->nonce));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = vtpm_get_tpm2b(r, a->cp, &a->cp_len, sizeof(a->cp));
	if (rc)
		return vtpm_param_rc(rc, 2);
	rc = vtpm_get_tpm2b(r, a->ref, &a->ref_len, sizeof(a->ref));
	if (rc)
		return vtpm_param_rc(rc, 3);
	if (!vtpm_get_u32(r, &e))
		return RC_P(TPM_RC_INSUFFICIENT, 4);
	a->expiration = (int32_t)e;
	return 0;
}

/* The checks PolicySigned and PolicySecret share (Part 3, 23.3 / 23.4): a given nonceTPM must be
 * the session's, the authorization must not have expired, a given cpHashA must have the session's
 * digest size and agree with a cpHash the session already holds. Computes a->timeout. */
static uint32_t check_auth_args(const struct vtpm *t, const struct vtpm_session *s, struct auth_args *a)
{
	uint64_t now = vtpm_time_now(t), secs;

	a->timeout = 0;
	if (a->nonce_len != 0 && (a->nonce_len != s->nonce_len || !crypto_ct_equal(a->nonce, s->nonce_tpm, s->nonce_len)))
		return RC_P(TPM_RC_NONCE, 1);
	if (a->expiration != 0) {
		secs = a->expiration < 0 ? (uint64_t)(-(int64_t)a->expiration) : (uint64_t)a->expiration;
		a->timeout = a->nonce_len ? s->start_time + secs * 1000u : secs * 1000u + now % 1000u;
		if (a->timeout < now)
			return RC_P(TPM_RC_EXPIRED, 4);
	}
	if (a->cp_len != 0) {
		if (a->cp_len != crypto_hash_size(s->hash))
			return RC_P(TPM_RC_SIZE, 2);
		if (s->pol_u1 != VTPM_U1_NONE && !crypto_ct_equal(a->cp, s->pol_hash, a->cp_len))
			return TPM_RC_CPHASH;
	}
	return 0;
}

/* ---- tickets (TPMT_TK_AUTH, Part 2, 10.7.5) --------------------------------------------------- */

#define EXPIRATION_BIT (1ull << 63) /* in TPM2B_TIMEOUT: the ticket also ends at the next TPM Reset */

/* HMAC-SHA-256(proof(hier), tag || cpHashA || policyRef || authName || timeout [|| epoch]
 * [|| resetCount]). TPM time starts over at every _TPM_Init, so a ticket with a timeout is bound to
 * this boot (epoch = resetCount || restartCount, which every Startup changes); expiresOnReset binds
 * it to the resetCount as well. False when the hierarchy has no proof (NULL): no ticket. */
static bool ticket_auth(const struct vtpm *t, uint16_t tag, uint32_t hier, uint64_t timeout, bool on_reset,
			const struct auth_args *a, const uint8_t *name, uint16_t nl, uint8_t out[32])
{
	uint8_t proof[32], b[8];
	struct crypto_hmac_ctx m;

	if (!vtpm_hierarchy_proof(t, hier, proof))
		return false;
	crypto_hmac_init(&m, CRYPTO_SHA256, proof, sizeof(proof));
	vtpm_set_be16(b, tag);
	crypto_hmac_update(&m, b, 2);
	crypto_hmac_update(&m, a->cp, a->cp_len);
	crypto_hmac_update(&m, a->ref, a->ref_len);
	crypto_hmac_update(&m, name, nl);
	vtpm_set_be32(b, (uint32_t)(timeout >> 32));
	vtpm_set_be32(b + 4, (uint32_t)timeout);
	crypto_hmac_update(&m, b, 8);
	if (timeout != 0) {
		vtpm_set_be32(b, t->p.reset_count);
		vtpm_set_be32(b + 4, t->p.restart_count);
		crypto_hmac_update(&m, b, 8);
		if (on_reset)
			crypto_hmac_update(&m, b, 4);
	}
	crypto_hmac_final(&m, out);
	crypto_wipe(proof, sizeof(proof));
	return true;
}

/* The hierarchy an authorizing entity belongs to, for its tickets. */
static uint32_t entity_hierarchy(struct vtpm *t, uint32_t h)
{
	const struct vtpm_nv_index *x;
	const struct vtpm_object *o;

	if (h == TPM_RH_OWNER || h == TPM_RH_ENDORSEMENT || h == TPM_RH_PLATFORM)
		return h;
	if ((h >> 24) == TPM_HT_NV_INDEX && (x = vtpm_nv_find(t, h)) != NULL)
		return (x->attrs & TPMA_NV_PLATFORMCREATE) ? TPM_RH_PLATFORM : TPM_RH_OWNER;
	o = vtpm_object_find(t, h);
	return o && o->kind == VTPM_OBJ_ECC ? o->hierarchy : TPM_RH_NULL;
}

/* Extends the digest and records cpHashA and the timeout. The answer is the timeout and a ticket
 * when expiration < 0 (Part 3, 23.3: the caller may replay the authorization with PolicyTicket),
 * else an empty timeout and the NULL ticket of the tag. */
static void finish_auth(struct vtpm *t, struct vtpm_cmd *c, struct vtpm_session *s, uint32_t cc, uint16_t tag,
			uint32_t hier, const uint8_t *name, uint16_t nl, const struct auth_args *a)
{
	uint8_t tk[32];
	bool on_reset = a->nonce_len == 0;

	vtpm_policy_update(s, cc, name, nl, a->ref, a->ref_len);
	if (a->cp_len != 0) {
		memcpy(s->pol_hash, a->cp, a->cp_len);
		s->pol_u1 = VTPM_U1_CPHASH;
	}
	if (a->timeout != 0 && (s->pol_timeout == 0 || s->pol_timeout > a->timeout))
		s->pol_timeout = a->timeout;
	if (a->expiration < 0 && !trial(s) && ticket_auth(t, tag, hier, a->timeout, on_reset, a, name, nl, tk)) {
		vtpm_put_u16(&c->out, 8);
		vtpm_put_u64(&c->out, a->timeout | (on_reset ? EXPIRATION_BIT : 0));
		vtpm_put_u16(&c->out, tag);
		vtpm_put_u32(&c->out, hier);
		vtpm_put_tpm2b(&c->out, tk, sizeof(tk));
		return;
	}
	vtpm_put_u16(&c->out, 0); /* timeout */
	vtpm_put_u16(&c->out, tag);
	vtpm_put_u32(&c->out, TPM_RH_NULL);
	vtpm_put_u16(&c->out, 0);
}

uint32_t vtpm_cmd_policy_secret(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t name[2 + CRYPTO_HASH_MAX_DIGEST];
	struct vtpm_session *s;
	struct auth_args a;
	uint16_t nl;
	uint32_t rc;

	rc = get_auth_args(&c->in, &a);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	rc = vtpm_policy_session(t, c->handles[1], 2, &s);
	if (rc)
		return rc;
	if (!vtpm_entity_name(t, c->handles[0], name, &nl))
		return RC_H(TPM_RC_HANDLE, 1);
	if (!trial(s)) {
		rc = check_auth_args(t, s, &a);
		if (rc)
			return rc;
	} else {
		a.timeout = 0;
	}
	finish_auth(t, c, s, TPM_CC_PolicySecret, TPM_ST_AUTH_SECRET, entity_hierarchy(t, c->handles[0]), name, nl, &a);
	return 0;
}

/* Skips a TPMT_SIGNATURE (parameter n) without checking it: what a trial session does. */
static uint32_t skip_signature(struct vtpm_rd *r, unsigned n)
{
	uint8_t buf[512];
	uint16_t alg, hash, len;
	uint32_t rc;

	if (!vtpm_get_u16(r, &alg))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (alg == TPM_ALG_NULL)
		return 0;
	if (!vtpm_get_u16(r, &hash))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	switch (alg) {
	case TPM_ALG_ECDSA:
		rc = vtpm_get_tpm2b(r, buf, &len, 66);
		if (!rc)
			rc = vtpm_get_tpm2b(r, buf, &len, 66);
		return rc ? vtpm_param_rc(rc, n) : 0;
	case TPM_ALG_RSASSA:
	case TPM_ALG_RSAPSS:
		rc = vtpm_get_tpm2b(r, buf, &len, sizeof(buf));
		return rc ? vtpm_param_rc(rc, n) : 0;
	default:
		return RC_P(TPM_RC_SCHEME, n);
	}
}

/* aHash = H_sigHash(nonceTPM || expiration || cpHashA || policyRef), the digest the authority
 * signed; the hash is the signature's (peeked without consuming it). */
static uint32_t signed_digest(struct vtpm_rd *sig, const struct auth_args *a, uint8_t *out, size_t *len)
{
	struct vtpm_rd peek = *sig;
	struct crypto_hash_ctx h;
	enum crypto_hash_alg alg;
	uint16_t sig_alg, hash;
	uint8_t e[4];

	if (!vtpm_get_u16(&peek, &sig_alg) || sig_alg == TPM_ALG_NULL || !vtpm_get_u16(&peek, &hash) ||
	    !vtpm_hash_from_alg(hash, &alg))
		return RC_P(TPM_RC_SCHEME, 5);
	vtpm_set_be32(e, (uint32_t)a->expiration);
	crypto_hash_init(&h, alg);
	crypto_hash_update(&h, a->nonce, a->nonce_len);
	crypto_hash_update(&h, e, 4);
	crypto_hash_update(&h, a->cp, a->cp_len);
	crypto_hash_update(&h, a->ref, a->ref_len);
	crypto_hash_final(&h, out);
	*len = crypto_hash_size(alg);
	return 0;
}

uint32_t vtpm_cmd_policy_signed(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t digest[CRYPTO_HASH_MAX_DIGEST];
	struct vtpm_object *key = vtpm_object_find(t, c->handles[0]);
	struct vtpm_session *s;
	struct auth_args a;
	size_t dlen;
	uint32_t rc;

	rc = get_auth_args(&c->in, &a);
	if (rc)
		return rc;
	rc = vtpm_policy_session(t, c->handles[1], 2, &s);
	if (rc)
		return rc;
	if (!key || !vtpm_obj_is_key(key))
		return RC_H(TPM_RC_HANDLE, 1);
	if (trial(s)) {
		rc = skip_signature(&c->in, 5);
		a.timeout = 0;
	} else {
		rc = check_auth_args(t, s, &a);
		if (!rc)
			rc = signed_digest(&c->in, &a, digest, &dlen);
		if (!rc)
			rc = vtpm_object_verify(t, c->handles[0], 1, digest, dlen, &c->in, 5, &key);
	}
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	finish_auth(t, c, s, TPM_CC_PolicySigned, TPM_ST_AUTH_SIGNED, entity_hierarchy(t, c->handles[0]), key->name,
		    key->name_len, &a);
	return 0;
}

/* ---- PolicyAuthorize ---------------------------------------------------------------------------- */

/* The verification ticket VerifySignature issued over aHash with the key named keySign:
 * HMAC_nameAlg(proof(hierarchy), TPM_ST_VERIFIED || aHash || keySign). A NULL-hierarchy ticket
 * proves nothing and never matches. */
static bool ticket_valid(const struct vtpm *t, uint32_t hier, enum crypto_hash_alg alg, const uint8_t *ahash,
			 const uint8_t *key_name, uint16_t kl, const uint8_t *tk, uint16_t tkl)
{
	uint8_t proof[32], want[CRYPTO_HASH_MAX_DIGEST], tag[2];
	struct crypto_hmac_ctx m;
	size_t dl = crypto_hash_size(alg);
	bool ok;

	if (tkl != dl || !vtpm_hierarchy_proof(t, hier, proof))
		return false;
	vtpm_set_be16(tag, TPM_ST_VERIFIED);
	crypto_hmac_init(&m, alg, proof, sizeof(proof));
	crypto_hmac_update(&m, tag, 2);
	crypto_hmac_update(&m, ahash, dl);
	crypto_hmac_update(&m, key_name, kl);
	crypto_hmac_final(&m, want);
	ok = crypto_ct_equal(want, tk, dl);
	crypto_wipe(proof, sizeof(proof));
	return ok;
}

uint32_t vtpm_cmd_policy_authorize(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t approved[CRYPTO_HASH_MAX_DIGEST], ref[CRYPTO_HASH_MAX_DIGEST], key[2 + CRYPTO_HASH_MAX_DIGEST];
	uint8_t tk[CRYPTO_HASH_MAX_DIGEST], ahash[CRYPTO_HASH_MAX_DIGEST];
	uint16_t al, rl, kl, tkl, tag;
	struct vtpm_session *s;
	struct crypto_hash_ctx h;
	enum crypto_hash_alg alg;
	uint32_t hier, rc;

	rc = vtpm_get_tpm2b(&c->in, approved, &al, sizeof(approved));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = vtpm_get_tpm2b(&c->in, ref, &rl, sizeof(ref));
	if (rc)
		return vtpm_param_rc(rc, 2);
	rc = vtpm_get_tpm2b(&c->in, key, &kl, sizeof(key));
	if (rc)
		return vtpm_param_rc(rc, 3);
	if (!vtpm_get_u16(&c->in, &tag) || !vtpm_get_u32(&c->in, &hier))
		return RC_P(TPM_RC_INSUFFICIENT, 4);
	rc = vtpm_get_tpm2b(&c->in, tk, &tkl, sizeof(tk));
	if (rc)
		return vtpm_param_rc(rc, 4);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (tag != TPM_ST_VERIFIED)
		return RC_P(TPM_RC_TAG, 4);
	rc = vtpm_policy_session(t, c->handles[0], 1, &s);
	if (rc)
		return rc;
	if (kl < 2)
		return RC_P(TPM_RC_SIZE, 3);
	if (!vtpm_hash_from_alg(vtpm_be16(key), &alg))
		return RC_P(TPM_RC_HASH, 3);
	if (kl - 2u != crypto_hash_size(alg))
		return RC_P(TPM_RC_SIZE, 3);
	if (!trial(s)) {
		size_t dl = crypto_hash_size(s->hash);

		if (al != dl || !crypto_ct_equal(approved, s->policy, dl))
			return RC_P(TPM_RC_VALUE, 1);
		crypto_hash_init(&h, alg);
		crypto_hash_update(&h, approved, al);
		crypto_hash_update(&h, ref, rl);
		crypto_hash_final(&h, ahash);
		if (!ticket_valid(t, hier, alg, ahash, key, kl, tk, tkl))
			return RC_P(TPM_RC_VALUE, 4);
	}
	memset(s->policy, 0, sizeof(s->policy));
	vtpm_policy_update(s, TPM_CC_PolicyAuthorize, key, kl, ref, rl);
	return 0;
}

/* ---- PolicyTicket ------------------------------------------------------------------------------- */

/* Replays a PolicySigned/PolicySecret authorization from its ticket (Part 3, 23.5): the ticket must
 * be this TPM's for exactly these timeout, cpHashA, policyRef and authName, in this boot, and not
 * expired. */
uint32_t vtpm_cmd_policy_ticket(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t to[8], name[2 + CRYPTO_HASH_MAX_DIGEST], tk[CRYPTO_HASH_MAX_DIGEST], want[32];
	uint16_t tol, nl, tkl, tag;
	struct vtpm_session *s;
	struct auth_args a;
	uint32_t hier, rc;
	uint64_t timeout;
	bool on_reset;

	memset(&a, 0, sizeof(a));
	rc = vtpm_get_tpm2b(&c->in, to, &tol, sizeof(to));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = vtpm_get_tpm2b(&c->in, a.cp, &a.cp_len, sizeof(a.cp));
	if (rc)
		return vtpm_param_rc(rc, 2);
	rc = vtpm_get_tpm2b(&c->in, a.ref, &a.ref_len, sizeof(a.ref));
	if (rc)
		return vtpm_param_rc(rc, 3);
	rc = vtpm_get_tpm2b(&c->in, name, &nl, sizeof(name));
	if (rc)
		return vtpm_param_rc(rc, 4);
	if (!vtpm_get_u16(&c->in, &tag) || !vtpm_get_u32(&c->in, &hier))
		return RC_P(TPM_RC_INSUFFICIENT, 5);
	rc = vtpm_get_tpm2b(&c->in, tk, &tkl, sizeof(tk));
	if (rc)
		return vtpm_param_rc(rc, 5);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (tag != TPM_ST_AUTH_SIGNED && tag != TPM_ST_AUTH_SECRET)
		return RC_P(TPM_RC_TAG, 5);
	rc = vtpm_policy_session(t, c->handles[0], 1, &s);
	if (rc)
		return rc;
	if (trial(s))
		return RC_H(TPM_RC_ATTRIBUTES, 1);
	if (tol != 8)
		return RC_P(TPM_RC_SIZE, 1);
	timeout = ((uint64_t)vtpm_be32(to) << 32) | vtpm_be32(to + 4);
	on_reset = timeout & EXPIRATION_BIT;
	timeout &= ~EXPIRATION_BIT;
	if (timeout != 0 && timeout < vtpm_time_now(t))
		return RC_P(TPM_RC_EXPIRED, 1);
	if (a.cp_len != 0) {
		if (a.cp_len != crypto_hash_size(s->hash))
			return RC_P(TPM_RC_SIZE, 2);
		if (s->pol_u1 != VTPM_U1_NONE && !crypto_ct_equal(a.cp, s->pol_hash, a.cp_len))
			return TPM_RC_CPHASH;
	}
	if (tkl != sizeof(want) || !ticket_auth(t, tag, hier, timeout, on_reset, &a, name, nl, want) ||
	    !crypto_ct_equal(want, tk, sizeof(want)))
		return RC_P(TPM_RC_TICKET, 5);
	vtpm_policy_update(s, tag == TPM_ST_AUTH_SIGNED ? TPM_CC_PolicySigned : TPM_CC_PolicySecret, name, nl, a.ref,
			   a.ref_len);
	if (a.cp_len != 0) {
		memcpy(s->pol_hash, a.cp, a.cp_len);
		s->pol_u1 = VTPM_U1_CPHASH;
	}
	if (timeout != 0 && (s->pol_timeout == 0 || s->pol_timeout > timeout))
		s->pol_timeout = timeout;
	return 0;
}
