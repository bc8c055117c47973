/* Policy and trial sessions (TPM 2.0 Library Part 1, 19.7 "Enhanced Authorization"; Part 3, 23):
 * the per-session policy state, the deferred checks made when a policy session authorizes an
 * entity, and the policy commands that only extend the digest or record a condition.
 * PolicySigned, PolicySecret, PolicyAuthorize(NV), PolicyTicket, PolicyNV, PolicyCounterTimer and PolicyPCR, which
 * check something at the time they run, are in policyauth.c.
 *
 * Every assertion extends policyDigest: policyDigest' = H_authHash(policyDigest || TPM_CC || args).
 * A trial session (TPM_SE_TRIAL) computes the same digests without checking anything and can
 * never authorize. A deferred condition (commandCode, cpHash, nameHash, templateHash, locality,
 * PCRs unchanged, NV written, expiry) is recorded in the session and checked by vtpm_policy_check
 * when the session authorizes a handle; after such a command a continued policy session starts
 * over (Part 1, 19.7.1: the policy data is reset when the nonce rolls). */
#include "core/str.h"
#include "vtpm/internal.h"

bool vtpm_session_is_policy(const struct vtpm_session *s)
{
	return s->type == TPM_SE_POLICY || s->type == TPM_SE_TRIAL;
}

uint64_t vtpm_time_now(const struct vtpm *t)
{
	uint64_t now = t->plat && t->plat->time_ms ? t->plat->time_ms(t->plat->ctx) : 0;

	return now >= t->time_origin_ms ? now - t->time_origin_ms : 0;
}

void vtpm_policy_reset(struct vtpm_session *s)
{
	memset(s->policy, 0, sizeof(s->policy));
	memset(s->pol_hash, 0, sizeof(s->pol_hash));
	s->pol_flags &= VTPM_POL_TRIAL;
	s->pol_u1 = VTPM_U1_NONE;
	s->pol_locality = 0;
	s->pol_cc = 0;
	s->pol_pcr_counter = 0;
	s->pol_timeout = 0;
}

uint32_t vtpm_policy_session(struct vtpm *t, uint32_t h, unsigned n, struct vtpm_session **out)
{
	if ((h >> 24) != TPM_HT_POLICY_SESSION)
		return RC_H(TPM_RC_VALUE, n);
	*out = vtpm_session_find(t, h);
	return *out && vtpm_session_is_policy(*out) ? 0 : RC_H(TPM_RC_HANDLE, n);
}

void vtpm_policy_extend(struct vtpm_session *s, uint32_t cc, const void *a, size_t al, const void *b, size_t bl)
{
	struct crypto_hash_ctx h;
	uint8_t code[4];

	vtpm_set_be32(code, cc);
	crypto_hash_init(&h, s->hash);
	crypto_hash_update(&h, s->policy, crypto_hash_size(s->hash));
	crypto_hash_update(&h, code, 4);
	crypto_hash_update(&h, a, al);
	crypto_hash_update(&h, b, bl);
	crypto_hash_final(&h, s->policy);
}

void vtpm_policy_update(struct vtpm_session *s, uint32_t cc, const uint8_t *name, size_t nl, const uint8_t *ref,
			size_t rl)
{
	struct crypto_hash_ctx h;

	vtpm_policy_extend(s, cc, name, nl, NULL, 0);
	crypto_hash_init(&h, s->hash);
	crypto_hash_update(&h, s->policy, crypto_hash_size(s->hash));
	crypto_hash_update(&h, ref, rl);
	crypto_hash_final(&h, s->policy);
}

/* ---- deferred checks ---------------------------------------------------------------------------- */

/* Commands that write an NV index through its authHandle (Part 3, 31: IsWriteOperation). */
bool vtpm_nv_write_command(uint32_t cc)
{
	return cc == TPM_CC_NV_Write || cc == TPM_CC_NV_Increment || cc == TPM_CC_NV_Extend ||
	       cc == TPM_CC_NV_SetBits || cc == TPM_CC_NV_WriteLock;
}

/* The authPolicy of the entity and its hash algorithm, when a policy session may be used for it in
 * this role (Part 1, 19.7.11; IsAuthPolicyAvailable in the reference code): keys always, NV
 * indices with POLICYWRITE / POLICYREAD for the operation (any ADMIN or DUP use), never sequences.
 * Hierarchies and PCRs have no authPolicy here (SetPrimaryPolicy / PCR_SetAuthPolicy are not
 * implemented), so a policy session cannot authorize them. */
static uint32_t entity_policy(struct vtpm *t, uint32_t cc, uint8_t role, uint32_t h, const uint8_t **pol,
			      uint16_t *len, uint16_t *alg)
{
	if ((h >> 24) == TPM_HT_NV_INDEX) {
		const struct vtpm_nv_index *x = vtpm_nv_find(t, h);
		uint32_t need = vtpm_nv_write_command(cc) ? TPMA_NV_POLICYWRITE : TPMA_NV_POLICYREAD;

		if (!x || x->policy_len == 0 || (role == VTPM_ROLE_USER && !(x->attrs & need)))
			return TPM_RC_AUTH_UNAVAILABLE;
		*pol = x->policy;
		*len = x->policy_len;
		*alg = x->name_alg;
		return 0;
	}
	/* persistent keys too: an EK at 0x81010001 is used through its PolicySecret policy */
	if ((h >> 24) == TPM_HT_TRANSIENT || (h >> 24) == TPM_HT_PERSISTENT) {
		const struct vtpm_object *o = vtpm_object_find(t, h);

		if (!o || !vtpm_obj_is_key(o))
			return TPM_RC_AUTH_UNAVAILABLE;
		*pol = o->policy;
		*len = o->policy_len;
		*alg = o->name_alg;
		return 0;
	}
	return TPM_RC_AUTH_UNAVAILABLE;
}

/* H_alg(Name(handle 1) || ... || Name(handle n)): what PolicyNameHash and PolicyDuplicationSelect
 * bind the session to. */
static void name_hash(struct vtpm *t, const struct vtpm_cmd *c, enum crypto_hash_alg alg, uint8_t *out)
{
	uint8_t name[2 + CRYPTO_HASH_MAX_DIGEST];
	struct crypto_hash_ctx h;
	uint16_t nl;

	crypto_hash_init(&h, alg);
	for (unsigned i = 0; i < c->n_handles; i++) {
		if (vtpm_entity_name(t, c->handles[i], name, &nl))
			crypto_hash_update(&h, name, nl);
	}
	crypto_hash_final(&h, out);
}

/* H_alg of the public template a creation command carries as its second parameter (the first is
 * inSensitive): Create, CreatePrimary, CreateLoaded. Other commands never match. */
static bool template_hash(const struct vtpm_cmd *c, enum crypto_hash_alg alg, const uint8_t *params,
			  size_t plen, uint8_t *out)
{
	struct vtpm_rd r;
	uint16_t n;

	if (c->cc != TPM_CC_Create && c->cc != TPM_CC_CreatePrimary && c->cc != TPM_CC_CreateLoaded)
		return false;
	vtpm_rd_init(&r, params, plen);
	if (!vtpm_get_u16(&r, &n) || n > vtpm_rd_left(&r))
		return false;
	r.off += n;
	if (!vtpm_get_u16(&r, &n) || n > vtpm_rd_left(&r))
		return false;
	crypto_hash(alg, r.p + r.off, n, out);
	return true;
}

static bool u1_matches(struct vtpm *t, const struct vtpm_cmd *c, const struct vtpm_session *s,
		       const uint8_t *params, size_t plen)
{
	uint8_t d[CRYPTO_HASH_MAX_DIGEST];
	size_t dl = crypto_hash_size(s->hash);

	switch (s->pol_u1) {
	case VTPM_U1_CPHASH:
		vtpm_cp_hash(t, c, s->hash, params, plen, d);
		break;
	case VTPM_U1_NAMEHASH:
		name_hash(t, c, s->hash, d);
		break;
	case VTPM_U1_TEMPLATE:
		if (!template_hash(c, s->hash, params, plen, d))
			return false;
		break;
	default:
		return true;
	}
	return crypto_ct_equal(d, s->pol_hash, dl);
}

static bool locality_ok(const struct vtpm *t, const struct vtpm_session *s)
{
	if (s->pol_locality == 0)
		return true;
	/* extended localities (32..255) never match: this TPM has localities 0-4 only */
	return s->pol_locality < 32 && (s->pol_locality >> t->locality & 1u);
}

uint32_t vtpm_policy_check(struct vtpm *t, const struct vtpm_cmd *c, const struct vtpm_cmd_desc *d, unsigned i,
			   const uint8_t *params, size_t plen)
{
	const struct vtpm_session *s = c->auths[i].s;
	uint8_t role = i < 2 ? d->role[i] : VTPM_ROLE_USER;
	size_t dl = crypto_hash_size(s->hash);
	const uint8_t *pol;
	uint16_t len, alg;
	uint32_t rc;

	rc = entity_policy(t, c->cc, role, c->handles[i], &pol, &len, &alg);
	if (rc)
		return rc;
	/* PolicySecret proves knowledge of the authValue: a policy session without
	 * PolicyAuthValue/PolicyPassword proves nothing (Part 3, 23.4) */
	if (c->cc == TPM_CC_PolicySecret && !(s->pol_flags & (VTPM_POL_AUTHVALUE | VTPM_POL_PASSWORD)))
		return RC_S(TPM_RC_MODE, i + 1);
	if ((s->pol_flags & VTPM_POL_PCR) && s->pol_pcr_counter != t->pcr_update_counter)
		return TPM_RC_PCR_CHANGED;
	if (len != dl || !crypto_ct_equal(pol, s->policy, dl) || alg != s->hash_tpm_alg)
		return RC_S(TPM_RC_POLICY_FAIL, i + 1);
	if (s->pol_timeout != 0 && s->pol_timeout < vtpm_time_now(t))
		return RC_S(TPM_RC_EXPIRED, i + 1);
	if (s->pol_cc != 0 && s->pol_cc != c->cc)
		return RC_S(TPM_RC_POLICY_CC, i + 1);
	/* ADMIN and DUP uses need a policy that names the command (Part 1, 19.7.2) */
	if (s->pol_cc == 0 && role != VTPM_ROLE_USER)
		return RC_S(TPM_RC_POLICY_FAIL, i + 1);
	if (!locality_ok(t, s))
		return TPM_RC_LOCALITY;
	/* this platform has no physical-presence signal, so it is never asserted */
	if (s->pol_flags & VTPM_POL_PP)
		return RC_S(TPM_RC_PP, i + 1);
	if (!u1_matches(t, c, s, params, plen))
		return RC_S(TPM_RC_POLICY_FAIL, i + 1);
	if (s->pol_flags & VTPM_POL_NVWRITTEN) {
		const struct vtpm_nv_index *x = vtpm_nv_find(t, c->handles[i]);
		bool want = s->pol_flags & VTPM_POL_NVWRITTEN_SET;

		if (!x || !!(x->attrs & TPMA_NV_WRITTEN) != want)
			return RC_S(TPM_RC_POLICY_FAIL, i + 1);
	}
	return 0;
}

/* ---- commands that record a condition ----------------------------------------------------------- */

/* The session named by the command's last handle; every parameter must be consumed already. */
static uint32_t last_session(struct vtpm *t, struct vtpm_cmd *c, struct vtpm_session **s)
{
	uint32_t rc = vtpm_policy_session(t, c->handles[c->n_handles - 1], c->n_handles, s);

	if (rc)
		return rc;
	return vtpm_rd_left(&c->in) ? TPM_RC_SIZE : 0;
}

static bool command_implemented(uint32_t cc)
{
	for (size_t i = 0; i < vtpm_command_count; i++) {
		if (vtpm_commands[i].cc == cc)
			return true;
	}
	return false;
}

/* PolicyAuthValue and PolicyPassword extend with the same code (TPM_CC_PolicyAuthValue, Part 3,
 * 23.18), so one policy accepts either proof; they differ in how the authValue is shown. */
static uint32_t auth_value_common(struct vtpm *t, struct vtpm_cmd *c, uint8_t set)
{
	struct vtpm_session *s;
	uint32_t rc = last_session(t, c, &s);

	if (rc)
		return rc;
	vtpm_policy_extend(s, TPM_CC_PolicyAuthValue, NULL, 0, NULL, 0);
	s->pol_flags &= (uint8_t)~(VTPM_POL_AUTHVALUE | VTPM_POL_PASSWORD);
	s->pol_flags |= set;
	return 0;
}

uint32_t vtpm_cmd_policy_auth_value(struct vtpm *t, struct vtpm_cmd *c)
{
	return auth_value_common(t, c, VTPM_POL_AUTHVALUE);
}

uint32_t vtpm_cmd_policy_password(struct vtpm *t, struct vtpm_cmd *c)
{
	return auth_value_common(t, c, VTPM_POL_PASSWORD);
}

uint32_t vtpm_cmd_policy_physical_presence(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_session *s;
	uint32_t rc = last_session(t, c, &s);

	if (rc)
		return rc;
	vtpm_policy_extend(s, TPM_CC_PolicyPhysicalPresence, NULL, 0, NULL, 0);
	s->pol_flags |= VTPM_POL_PP;
	return 0;
}

uint32_t vtpm_cmd_policy_command_code(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_session *s;
	uint8_t b[4];
	uint32_t code, rc;

	if (!vtpm_get_u32(&c->in, &code))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	rc = last_session(t, c, &s);
	if (rc)
		return rc;
	if (s->pol_cc != 0 && s->pol_cc != code)
		return RC_P(TPM_RC_VALUE, 1);
	if (!command_implemented(code))
		return RC_P(TPM_RC_POLICY_CC, 1);
	vtpm_set_be32(b, code);
	vtpm_policy_extend(s, TPM_CC_PolicyCommandCode, b, 4, NULL, 0);
	s->pol_cc = code;
	return 0;
}

/* PolicyCpHash, PolicyNameHash and PolicyTemplate share the session's one digest slot (u1). */
static uint32_t u1_common(struct vtpm *t, struct vtpm_cmd *c, uint32_t cc, uint8_t kind)
{
	uint8_t d[CRYPTO_HASH_MAX_DIGEST];
	struct vtpm_session *s;
	uint16_t n;
	uint32_t rc;

	rc = vtpm_get_tpm2b(&c->in, d, &n, sizeof(d));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = last_session(t, c, &s);
	if (rc)
		return rc;
	if (n != crypto_hash_size(s->hash))
		return RC_P(TPM_RC_SIZE, 1);
	if (s->pol_u1 != VTPM_U1_NONE) {
		/* the same cpHash or template again is allowed; anything else conflicts */
		bool same = s->pol_u1 == kind && kind != VTPM_U1_NAMEHASH && crypto_ct_equal(d, s->pol_hash, n);

		if (!same)
			return kind == VTPM_U1_TEMPLATE && s->pol_u1 == kind ? RC_P(TPM_RC_VALUE, 1) : TPM_RC_CPHASH;
	}
	vtpm_policy_extend(s, cc, d, n, NULL, 0);
	memcpy(s->pol_hash, d, n);
	s->pol_u1 = kind;
	return 0;
}

uint32_t vtpm_cmd_policy_cp_hash(struct vtpm *t, struct vtpm_cmd *c)
{
	return u1_common(t, c, TPM_CC_PolicyCpHash, VTPM_U1_CPHASH);
}

uint32_t vtpm_cmd_policy_name_hash(struct vtpm *t, struct vtpm_cmd *c)
{
	return u1_common(t, c, TPM_CC_PolicyNameHash, VTPM_U1_NAMEHASH);
}

uint32_t vtpm_cmd_policy_template(struct vtpm *t, struct vtpm_cmd *c)
{
	return u1_common(t, c, TPM_CC_PolicyTemplate, VTPM_U1_TEMPLATE);
}

/* TPMA_LOCALITY (Part 2, 8.5): bits 0-4 are localities 0-4; a value of 32 and above names one
 * extended locality. Successive PolicyLocality calls intersect. */
uint32_t vtpm_cmd_policy_locality(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_session *s;
	uint8_t loc, now;
	uint32_t rc;

	if (!vtpm_get_u8(&c->in, &loc))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	rc = last_session(t, c, &s);
	if (rc)
		return rc;
	if (loc == 0)
		return RC_P(TPM_RC_RANGE, 1);
	now = s->pol_locality;
	if (now != 0 && (now < 32) != (loc < 32))
		return RC_P(TPM_RC_RANGE, 1);
	if (loc < 32) {
		now = (uint8_t)((now ? now : 0x1Fu) & loc);
		if (now == 0)
			return RC_P(TPM_RC_RANGE, 1);
	} else {
		if (now != 0 && now != loc)
			return RC_P(TPM_RC_RANGE, 1);
		now = loc;
	}
	vtpm_policy_extend(s, TPM_CC_PolicyLocality, &loc, 1, NULL, 0);
	s->pol_locality = now;
	return 0;
}

/* TPML_DIGEST pHashList, 2..8 entries (Part 2, 10.9.2; Part 3, 23.6). */
uint32_t vtpm_cmd_policy_or(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t list[8][CRYPTO_HASH_MAX_DIGEST];
	uint16_t len[8];
	struct vtpm_session *s;
	struct crypto_hash_ctx h;
	uint32_t count, rc;
	uint8_t code[4];
	bool hit = false;
	size_t dl;

	if (!vtpm_get_u32(&c->in, &count))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (count < 2 || count > 8)
		return RC_P(TPM_RC_SIZE, 1);
	for (uint32_t i = 0; i < count; i++) {
		rc = vtpm_get_tpm2b(&c->in, list[i], &len[i], CRYPTO_HASH_MAX_DIGEST);
		if (rc)
			return vtpm_param_rc(rc, 1);
	}
	rc = last_session(t, c, &s);
	if (rc)
		return rc;
	dl = crypto_hash_size(s->hash);
	for (uint32_t i = 0; i < count; i++)
		hit |= len[i] == dl && crypto_ct_equal(list[i], s->policy, dl);
	if (!hit && !(s->pol_flags & VTPM_POL_TRIAL))
		return RC_P(TPM_RC_VALUE, 1);
	/* the new digest starts from zeros, so every branch ends in the same value */
	vtpm_set_be32(code, TPM_CC_PolicyOR);
	memset(s->policy, 0, sizeof(s->policy));
	crypto_hash_init(&h, s->hash);
	crypto_hash_update(&h, s->policy, dl);
	crypto_hash_update(&h, code, 4);
	for (uint32_t i = 0; i < count; i++)
		crypto_hash_update(&h, list[i], len[i]);
	crypto_hash_final(&h, s->policy);
	return 0;
}

uint32_t vtpm_cmd_policy_nv_written(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_session *s;
	uint8_t yes;
	uint32_t rc;

	if (!vtpm_get_u8(&c->in, &yes))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	rc = last_session(t, c, &s);
	if (rc)
		return rc;
	if (yes > 1)
		return RC_P(TPM_RC_VALUE, 1);
	if ((s->pol_flags & VTPM_POL_NVWRITTEN) && !!(s->pol_flags & VTPM_POL_NVWRITTEN_SET) != yes)
		return RC_P(TPM_RC_VALUE, 1);
	vtpm_policy_extend(s, TPM_CC_PolicyNvWritten, &yes, 1, NULL, 0);
	s->pol_flags |= VTPM_POL_NVWRITTEN;
	if (yes)
		s->pol_flags |= VTPM_POL_NVWRITTEN_SET;
	return 0;
}

/* Binds the session to Duplicate with exactly these names (the nameHash slot holds
 * H(objectName || newParentName), which is what Duplicate's two handles hash to). */
uint32_t vtpm_cmd_policy_duplication_select(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t obj[2 * (2 + CRYPTO_HASH_MAX_DIGEST) + 1], parent[2 + CRYPTO_HASH_MAX_DIGEST], inc;
	uint16_t ol, pl;
	struct vtpm_session *s;
	struct crypto_hash_ctx h;
	uint32_t rc;

	rc = vtpm_get_tpm2b(&c->in, obj, &ol, sizeof(parent));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = vtpm_get_tpm2b(&c->in, parent, &pl, sizeof(parent));
	if (rc)
		return vtpm_param_rc(rc, 2);
	if (!vtpm_get_u8(&c->in, &inc))
		return RC_P(TPM_RC_INSUFFICIENT, 3);
	if (inc > 1)
		return RC_P(TPM_RC_VALUE, 3);
	rc = last_session(t, c, &s);
	if (rc)
		return rc;
	if (s->pol_u1 != VTPM_U1_NONE)
		return TPM_RC_CPHASH;
	if (s->pol_cc != 0)
		return TPM_RC_COMMAND_CODE;
	crypto_hash_init(&h, s->hash);
	crypto_hash_update(&h, obj, ol);
	crypto_hash_update(&h, parent, pl);
	crypto_hash_final(&h, s->pol_hash);
	s->pol_u1 = VTPM_U1_NAMEHASH;
	/* policyDigest' = H(policyDigest || CC || [objectName] || newParentName || includeObject) */
	ol = inc ? ol : 0;
	memmove(obj + ol, parent, pl);
	memcpy(obj + ol + pl, &inc, 1);
	vtpm_policy_extend(s, TPM_CC_PolicyDuplicationSelect, obj, (size_t)ol + pl + 1, NULL, 0);
	s->pol_cc = TPM_CC_Duplicate;
	return 0;
}

uint32_t vtpm_cmd_policy_get_digest(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_session *s;
	uint32_t rc = last_session(t, c, &s);

	if (rc)
		return rc;
	vtpm_put_tpm2b(&c->out, s->policy, (uint16_t)crypto_hash_size(s->hash));
	return 0;
}

uint32_t vtpm_cmd_policy_restart(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_session *s;
	uint32_t rc = last_session(t, c, &s);

	if (rc)
		return rc;
	vtpm_policy_reset(s);
	return 0;
}
