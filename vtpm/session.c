/* Authorization sessions (TPM 2.0 Library Part 1, 19): password (TPM_RS_PW), HMAC and policy
 * sessions, unbound or bound, salted or not; StartAuthSession (Part 3, 11.1). The policy state and
 * its deferred checks are in policy.c.
 *
 * Command HMAC  = HMAC(sessionKey || authValue, cpHash || nonceCaller || nonceTPM || attrs)
 * Response HMAC = HMAC(sessionKey || authValue, rpHash || nonceTPM' || nonceCaller || attrs)
 * cpHash = H(commandCode || Name(handle_1..n) || parameters), rpHash = H(0 || commandCode || parameters).
 * authValue is left out when a bound session authorizes its bind entity (Part 1, 19.6.11). */
#include "core/str.h"
#include "vtpm/internal.h"

struct vtpm_session *vtpm_session_find(struct vtpm *t, uint32_t handle)
{
	for (unsigned i = 0; i < VTPM_SESSIONS; i++) {
		struct vtpm_session *s = &t->sessions[i];
		if (s->used && !s->saved && s->handle == handle)
			return s;
	}
	return NULL;
}

void vtpm_sessions_reset(struct vtpm *t)
{
	crypto_wipe(t->sessions, sizeof(t->sessions));
}

bool vtpm_entity_name(struct vtpm *t, uint32_t handle, uint8_t *name, uint16_t *len)
{
	struct vtpm_nv_index *x;

	if ((handle >> 24) == TPM_HT_NV_INDEX) {
		x = vtpm_nv_find(t, handle);
		if (!x)
			return false;
		vtpm_nv_name(x, name, len);
		return true;
	}
	/* A sequence object's nameAlg is TPM_ALG_NULL, so its Name is the Empty Buffer (Part 1, 16;
	 * ESYS computes cpHash the same way). PCRs, permanent handles and sessions are named by their
	 * handle. */
	if ((handle >> 24) == TPM_HT_TRANSIENT || (handle >> 24) == TPM_HT_PERSISTENT) {
		struct vtpm_object *o = vtpm_object_find(t, handle); /* persistent: evict.c */
		if (!o)
			return false;
		*len = vtpm_obj_is_key(o) ? o->name_len : 0;
		memcpy(name, o->name, *len);
		return true;
	}
	vtpm_set_be32(name, handle);
	*len = 4;
	return true;
}

/* The authValue of an entity (Part 1, 19.6.5); returns a handle-class RC when it cannot be used. */
static uint32_t entity_auth(struct vtpm *t, uint32_t h, const uint8_t **auth, uint16_t *len, bool *da)
{
	struct vtpm_nv_index *x;
	struct vtpm_object *o;

	*da = false;
	switch (h) {
	case TPM_RH_OWNER:
		if (!t->sh_enable)
			return TPM_RC_HIERARCHY;
		*auth = t->p.owner_auth;
		*len = t->p.owner_auth_len;
		return 0;
	case TPM_RH_ENDORSEMENT:
		if (!t->eh_enable)
			return TPM_RC_HIERARCHY;
		*auth = t->p.endorsement_auth;
		*len = t->p.endorsement_auth_len;
		return 0;
	case TPM_RH_PLATFORM:
		if (!t->ph_enable)
			return TPM_RC_HIERARCHY;
		*auth = t->platform_auth;
		*len = t->platform_auth_len;
		return 0;
	case TPM_RH_LOCKOUT:
		*auth = t->p.lockout_auth;
		*len = t->p.lockout_auth_len;
		return 0;
	case TPM_RH_NULL: /* the NULL hierarchy's authValue is the Empty Buffer */
		*auth = NULL;
		*len = 0;
		return 0;
	default:
		break;
	}
	if (h < VTPM_PCR_COUNT) {
		*auth = NULL;
		*len = 0;
		return 0;
	}
	if ((h >> 24) == TPM_HT_NV_INDEX) {
		x = vtpm_nv_find(t, h);
		if (!x)
			return TPM_RC_HANDLE;
		*auth = x->auth;
		*len = x->auth_len;
		*da = !(x->attrs & TPMA_NV_NO_DA);
		return 0;
	}
	o = vtpm_object_find(t, h);
	if (o) {
		/* whether the authValue may be used in the command's role: auth_value_usable() */
		*auth = o->auth;
		*len = o->auth_len;
		*da = vtpm_obj_is_key(o) && !(o->attrs & TPMA_OBJECT_NODA);
		return 0;
	}
	return (h >> 24) == TPM_HT_TRANSIENT || (h >> 24) == TPM_HT_PERSISTENT ? TPM_RC_HANDLE
									      : TPM_RC_VALUE;
}

uint32_t vtpm_parse_sessions(struct vtpm *t, struct vtpm_cmd *c, struct vtpm_rd *r)
{
	uint32_t auth_size, rc;
	struct vtpm_rd a;

	if (!vtpm_get_u32(r, &auth_size))
		return TPM_RC_AUTHSIZE;
	if (auth_size < 9 || auth_size > vtpm_rd_left(r))
		return TPM_RC_AUTHSIZE;
	vtpm_rd_init(&a, r->p + r->off, auth_size);
	r->off += auth_size;
	while (vtpm_rd_left(&a) > 0) {
		unsigned n = c->n_auths;
		struct vtpm_auth *s;

		if (n >= VTPM_MAX_SESSIONS_IN_CMD)
			return TPM_RC_AUTHSIZE;
		s = &c->auths[n];
		if (!vtpm_get_u32(&a, &s->handle))
			return TPM_RC_AUTHSIZE;
		rc = vtpm_get_tpm2b(&a, s->nonce, &s->nonce_len, VTPM_AUTH_MAX);
		if (rc)
			return rc == TPM_RC_SIZE ? RC_S(TPM_RC_SIZE, n + 1) : TPM_RC_AUTHSIZE;
		if (!vtpm_get_u8(&a, &s->attrs))
			return TPM_RC_AUTHSIZE;
		rc = vtpm_get_tpm2b(&a, s->hmac, &s->hmac_len, VTPM_AUTH_MAX);
		if (rc)
			return rc == TPM_RC_SIZE ? RC_S(TPM_RC_SIZE, n + 1) : TPM_RC_AUTHSIZE;
		if (s->attrs & 0x18) /* reserved bits 3-4 */
			return RC_S(TPM_RC_ATTRIBUTES, n + 1);
		if (s->handle == TPM_RS_PW) {
			if (s->nonce_len != 0)
				return RC_S(TPM_RC_NONCE, n + 1);
			if (s->attrs & (TPMA_SESSION_DECRYPT | TPMA_SESSION_ENCRYPT))
				return RC_S(TPM_RC_ATTRIBUTES, n + 1);
			s->s = NULL;
		} else {
			s->s = vtpm_session_find(t, s->handle);
			if (!s->s)
				return (s->handle >> 24) == TPM_HT_HMAC_SESSION ||
						       (s->handle >> 24) == TPM_HT_POLICY_SESSION
					       ? RC_S(TPM_RC_HANDLE, n + 1)
					       : RC_S(TPM_RC_VALUE, n + 1);
			for (unsigned j = 0; j < n; j++) {
				if (c->auths[j].s == s->s)
					return RC_S(TPM_RC_HANDLE, n + 1);
			}
			/* a trial session only computes digests (Part 1, 19.7.9) */
			if (s->s->pol_flags & VTPM_POL_TRIAL)
				return RC_S(TPM_RC_ATTRIBUTES, n + 1);
			/* ESYS sends an empty nonceCaller with a PolicyPassword session, which the
			 * reference TPM accepts: policy sessions only have the upper bound */
			if ((s->nonce_len < 16 && !vtpm_session_is_policy(s->s)) ||
			    s->nonce_len > crypto_hash_size(s->s->hash))
				return RC_S(TPM_RC_SIZE, n + 1);
			/* Parameter encryption needs a symmetric definition, and at most one session may
			 * decrypt and one encrypt (Part 1, 21.1). */
			if ((s->attrs & (TPMA_SESSION_DECRYPT | TPMA_SESSION_ENCRYPT)) &&
			    s->s->sym_alg == TPM_ALG_NULL)
				return RC_S(TPM_RC_ATTRIBUTES, n + 1);
			for (unsigned j = 0; j < n; j++) {
				if (c->auths[j].attrs & s->attrs & (TPMA_SESSION_DECRYPT | TPMA_SESSION_ENCRYPT))
					return RC_S(TPM_RC_ATTRIBUTES, n + 1);
			}
		}
		rc = vtpm_audit_check(t, c, n); /* audit attributes: audit.c */
		if (rc)
			return rc;
		c->n_auths++;
	}
	return 0;
}

void vtpm_cp_hash(struct vtpm *t, const struct vtpm_cmd *c, enum crypto_hash_alg alg, const uint8_t *params,
		  size_t plen, uint8_t *out)
{
	struct crypto_hash_ctx h;
	uint8_t buf[4 + 2 + CRYPTO_HASH_MAX_DIGEST];
	uint16_t nlen;

	crypto_hash_init(&h, alg);
	vtpm_set_be32(buf, c->cc);
	crypto_hash_update(&h, buf, 4);
	for (unsigned i = 0; i < c->n_handles; i++) {
		if (vtpm_entity_name(t, c->handles[i], buf, &nlen))
			crypto_hash_update(&h, buf, nlen);
	}
	crypto_hash_update(&h, params, plen);
	crypto_hash_final(&h, out);
}

static void session_hmac(const struct vtpm_session *s, const uint8_t *auth, uint16_t auth_len,
			 const uint8_t *phash, const uint8_t *n1, uint16_t n1_len, const uint8_t *n2,
			 uint16_t n2_len, uint8_t attrs, uint8_t *out)
{
	uint8_t key[2 * VTPM_AUTH_MAX];
	struct crypto_hmac_ctx m;
	size_t dl = crypto_hash_size(s->hash);

	memcpy(key, s->key, s->key_len);
	if (auth_len)
		memcpy(key + s->key_len, auth, auth_len);
	crypto_hmac_init(&m, s->hash, key, (size_t)s->key_len + auth_len);
	crypto_hmac_update(&m, phash, dl);
	crypto_hmac_update(&m, n1, n1_len);
	crypto_hmac_update(&m, n2, n2_len);
	crypto_hmac_update(&m, &attrs, 1);
	crypto_hmac_final(&m, out);
	crypto_wipe(key, sizeof(key));
}

/* Identity of a bind entity (Part 1, 19.6.11): its Name together with its authValue, hashed, so a
 * session stops counting as bound when either changes (an NV index's Name changes when it is first
 * written; a hierarchy's authValue with HierarchyChangeAuth). */
static bool bind_identity(struct vtpm *t, uint32_t handle, const uint8_t *auth, uint16_t auth_len,
			  uint8_t out[32])
{
	uint8_t name[2 + CRYPTO_HASH_MAX_DIGEST];
	struct crypto_hash_ctx h;
	uint16_t nlen;

	if (!vtpm_entity_name(t, handle, name, &nlen))
		return false;
	crypto_hash_init(&h, CRYPTO_SHA256);
	crypto_hash_update(&h, name, nlen);
	crypto_hash_update(&h, auth, auth_len);
	crypto_hash_final(&h, out);
	return true;
}

/* Whether the session is bound to exactly this entity (then its authValue is already in the key). */
static bool bound_to(struct vtpm *t, const struct vtpm_session *s, uint32_t handle)
{
	const uint8_t *auth = NULL;
	uint16_t len = 0;
	uint8_t id[32];
	bool da;

	if (s->bind == TPM_RH_NULL || s->bind != handle || entity_auth(t, handle, &auth, &len, &da))
		return false;
	len = auth ? vtpm_trim_zeros(auth, len) : 0;
	return bind_identity(t, handle, auth, len, id) && crypto_ct_equal(id, s->bind_id, 32);
}

/* Dictionary-attack self-healing (Part 1, 19.8.6): one failure forgiven per recoveryTime seconds of
 * TPM clock; a locked lockoutAuth is released after lockoutRecovery seconds (0: only by a TPM
 * Reset, i.e. the next Startup(CLEAR)). recoveryTime 0 turns DA protection off. */
void vtpm_da_heal(struct vtpm *t)
{
	uint64_t now = vtpm_clock_now(t), step = (uint64_t)t->p.da_recovery_time * 1000u;

	if (t->p.da_failed_tries == 0 || step == 0 || now < t->da_heal_at) {
		t->da_heal_at = now;
	} else {
		uint64_t n = (now - t->da_heal_at) / step;
		if (n > t->p.da_failed_tries)
			n = t->p.da_failed_tries;
		t->p.da_failed_tries -= (uint32_t)n;
		t->da_heal_at += n * step;
	}
	if (t->lockout_locked && t->p.da_lockout_recovery != 0 &&
	    now - t->lockout_locked_at >= (uint64_t)t->p.da_lockout_recovery * 1000u)
		t->lockout_locked = false;
}

/* Whether a password or HMAC session may use the entity's authValue in this role (Part 1, 19.7.2;
 * IsPolicySessionRequired / IsAuthValueAvailable in the reference code): never for DUP, for ADMIN
 * only on a key without adminWithPolicy (other entities need a policy there), for USER on a key
 * only with userWithAuth. NV indices: nv.c checks AUTHREAD/AUTHWRITE. */
static uint32_t auth_value_usable(struct vtpm *t, const struct vtpm_cmd_desc *d, unsigned i, uint32_t h)
{
	uint8_t role = i < 2 ? d->role[i] : VTPM_ROLE_USER;
	const struct vtpm_object *o = vtpm_object_find(t, h);
	bool key = o && vtpm_obj_is_key(o);

	if (role == VTPM_ROLE_DUP)
		return TPM_RC_AUTH_TYPE;
	if (role == VTPM_ROLE_ADMIN)
		return key && !(o->attrs & TPMA_OBJECT_ADMINWITHPOLICY) ? 0 : TPM_RC_AUTH_TYPE;
	if (key && !(o->attrs & TPMA_OBJECT_USERWITHAUTH))
		return TPM_RC_AUTH_UNAVAILABLE;
	return 0;
}

/* For a policy session the authValue takes part only after PolicyAuthValue or PolicyPassword. */
static bool policy_uses_auth(const struct vtpm_session *s)
{
	return s->pol_flags & (VTPM_POL_AUTHVALUE | VTPM_POL_PASSWORD);
}

static uint32_t check_one(struct vtpm *t, struct vtpm_cmd *c, const struct vtpm_cmd_desc *d, unsigned i,
			  const uint8_t *params, size_t plen)
{
	struct vtpm_auth *a = &c->auths[i];
	bool policy = a->s && vtpm_session_is_policy(a->s);
	const uint8_t *auth = NULL;
	uint16_t auth_len = 0;
	bool da, use_auth = true;
	uint32_t rc = entity_auth(t, c->handles[i], &auth, &auth_len, &da);

	if (rc)
		return (rc & 0x80u) ? RC_H(rc, i + 1) : rc;
	if (policy) {
		rc = vtpm_policy_check(t, c, d, i, params, plen);
		use_auth = policy_uses_auth(a->s);
	} else {
		rc = auth_value_usable(t, d, i, c->handles[i]);
	}
	if (rc)
		return rc;
	if (!use_auth)
		da = false; /* nothing secret is tried, so nothing counts towards lockout */
	if (use_auth && c->handles[i] == TPM_RH_LOCKOUT && t->lockout_locked)
		return TPM_RC_LOCKOUT;
	if (t->p.da_recovery_time == 0)
		da = false; /* DA protection disabled */
	if (da && t->p.da_failed_tries >= t->p.da_max_tries)
		return TPM_RC_LOCKOUT;
	auth_len = auth ? vtpm_trim_zeros(auth, auth_len) : 0;
	if (auth_len)
		memcpy(c->pre_auth[i], auth, auth_len);
	c->pre_auth_len[i] = auth_len;

	bool ok;
	if (!a->s || (policy && (a->s->pol_flags & VTPM_POL_PASSWORD))) {
		uint16_t given = vtpm_trim_zeros(a->hmac, a->hmac_len);
		ok = given == auth_len && crypto_ct_equal(a->hmac, auth, auth_len);
	} else {
		uint8_t ph[CRYPTO_HASH_MAX_DIGEST], want[CRYPTO_HASH_MAX_DIGEST];
		struct vtpm_session *s = a->s;
		size_t dl = crypto_hash_size(s->hash);

		vtpm_cp_hash(t, c, s->hash, params, plen, ph);
		if (policy ? !use_auth : bound_to(t, s, c->handles[i]))
			auth_len = 0;
		session_hmac(s, auth, auth_len, ph, a->nonce, a->nonce_len, s->nonce_tpm, s->nonce_len,
			     a->attrs, want);
		ok = a->hmac_len == dl && crypto_ct_equal(a->hmac, want, dl);
	}
	if (ok)
		return 0;
	/* Dictionary-attack accounting (Part 1, 19.8.6): lockout auth failures lock lockoutAuth;
	 * failures on DA-protected entities count towards maxTries. Persisted at once. */
	if (use_auth && c->handles[i] == TPM_RH_LOCKOUT) {
		t->lockout_locked = true;
		t->lockout_locked_at = vtpm_clock_now(t);
	} else if (da) {
		if (t->p.da_failed_tries == 0)
			t->da_heal_at = vtpm_clock_now(t);
		t->p.da_failed_tries++;
		rc = vtpm_state_commit(t);
		if (rc)
			return rc;
	}
	return RC_S(TPM_RC_AUTH_FAIL, i + 1);
}

uint32_t vtpm_authorize(struct vtpm *t, struct vtpm_cmd *c, const struct vtpm_cmd_desc *d,
			const uint8_t *params, size_t plen)
{
	uint32_t rc;

	if (c->tag == TPM_ST_SESSIONS && c->n_auths < d->n_auth)
		return TPM_RC_AUTH_MISSING;
	c->n_auth = d->n_auth;
	/* Sessions beyond the authorizations may only serve parameter encryption or audit. */
	for (unsigned i = d->n_auth; i < c->n_auths; i++) {
		if (!c->auths[i].s ||
		    !(c->auths[i].attrs & (TPMA_SESSION_DECRYPT | TPMA_SESSION_ENCRYPT | TPMA_SESSION_AUDIT)))
			return RC_S(TPM_RC_ATTRIBUTES, i + 1);
	}
	for (unsigned i = 0; i < c->n_auths; i++) {
		uint8_t a = c->auths[i].attrs;
		if ((a & TPMA_SESSION_DECRYPT) && !vtpm_first_param_sized(c->cc, false))
			return RC_S(TPM_RC_ATTRIBUTES, i + 1);
		if ((a & TPMA_SESSION_ENCRYPT) && !vtpm_first_param_sized(c->cc, true))
			return RC_S(TPM_RC_ATTRIBUTES, i + 1);
	}
	if (d->n_auth)
		vtpm_da_heal(t);
	for (unsigned i = 0; i < d->n_auth; i++) {
		rc = check_one(t, c, d, i, params, plen);
		if (rc)
			return rc;
	}
	/* An encryption-only session carries an HMAC too, keyed by its sessionKey alone. */
	for (unsigned i = d->n_auth; i < c->n_auths; i++) {
		struct vtpm_auth *a = &c->auths[i];
		uint8_t ph[CRYPTO_HASH_MAX_DIGEST], want[CRYPTO_HASH_MAX_DIGEST];
		size_t dl = crypto_hash_size(a->s->hash);

		c->pre_auth_len[i] = 0;
		vtpm_cp_hash(t, c, a->s->hash, params, plen, ph);
		session_hmac(a->s, NULL, 0, ph, a->nonce, a->nonce_len, a->s->nonce_tpm, a->s->nonce_len,
			     a->attrs, want);
		if (a->hmac_len != dl || !crypto_ct_equal(a->hmac, want, dl))
			return RC_S(TPM_RC_AUTH_FAIL, i + 1);
	}
	vtpm_audit_cphash(t, c, params, plen);
	return 0;
}

/* sessionKey || authValue of the entity session i authorizes (none for encryption-only sessions,
 * none when the session is bound to that entity). For the response the entity's current authValue
 * is used when it still exists (HierarchyChangeAuth answers under the new one), else the value it
 * had before the command. */
size_t vtpm_session_value(struct vtpm *t, const struct vtpm_cmd *c, unsigned i, bool response,
			  uint8_t *out)
{
	const struct vtpm_session *s = c->auths[i].s;
	const uint8_t *auth = c->pre_auth[i], *cur;
	uint16_t auth_len = c->pre_auth_len[i], cur_len;
	bool da;

	memcpy(out, s->key, s->key_len);
	if (i >= c->n_auth) {
		auth_len = 0;
	} else {
		if (response && entity_auth(t, c->handles[i], &cur, &cur_len, &da) == 0) {
			auth = cur;
			auth_len = cur ? vtpm_trim_zeros(cur, cur_len) : 0;
		}
		if (vtpm_session_is_policy(s) ? !policy_uses_auth(s) : bound_to(t, s, c->handles[i]))
			auth_len = 0;
	}
	if (auth_len)
		memcpy(out + s->key_len, auth, auth_len);
	return (size_t)s->key_len + auth_len;
}

/* After a successful command: every HMAC session takes the caller's nonce and a fresh nonceTPM. */
void vtpm_sessions_roll(struct vtpm *t, struct vtpm_cmd *c)
{
	for (unsigned i = 0; i < c->n_auths; i++) {
		struct vtpm_auth *a = &c->auths[i];
		struct vtpm_session *s = a->s;

		if (!s)
			continue;
		memcpy(s->nonce_caller, a->nonce, a->nonce_len);
		s->nonce_caller_len = a->nonce_len;
		vtpm_random(t, s->nonce_tpm, s->nonce_len);
	}
}

/* After the response: a session without continueSession is flushed; a continued policy session
 * starts a new policy with the new nonce (Part 1, 19.7.1; the reference code's
 * UpdateInternalSession). */
static void session_done(struct vtpm *t, struct vtpm_session *s, uint8_t attrs)
{
	if (!(attrs & TPMA_SESSION_CONTINUESESSION)) {
		crypto_wipe(s, sizeof(*s));
	} else if (vtpm_session_is_policy(s)) {
		vtpm_policy_reset(s);
		s->start_time = vtpm_time_now(t);
	}
}

void vtpm_respond_sessions(struct vtpm *t, struct vtpm_cmd *c, struct vtpm_wr *w, const uint8_t *params,
			   size_t plen)
{
	for (unsigned i = 0; i < c->n_auths; i++) {
		struct vtpm_auth *a = &c->auths[i];
		struct vtpm_session *s = a->s;

		if (!s) {
			vtpm_put_u16(w, 0);
			vtpm_put_u8(w, TPMA_SESSION_CONTINUESESSION);
			vtpm_put_u16(w, 0);
			continue;
		}
		/* a policy session with PolicyPassword answers with an empty HMAC (Part 1, 19.7.13) */
		if (vtpm_session_is_policy(s) && (s->pol_flags & VTPM_POL_PASSWORD) && i < c->n_auth) {
			vtpm_put_tpm2b(w, s->nonce_tpm, s->nonce_len);
			vtpm_put_u8(w, a->attrs);
			vtpm_put_u16(w, 0);
			session_done(t, s, a->attrs);
			continue;
		}
		uint8_t rp[CRYPTO_HASH_MAX_DIGEST], mac[CRYPTO_HASH_MAX_DIGEST], buf[8];
		uint8_t key[2 * VTPM_AUTH_MAX];
		struct crypto_hash_ctx h;
		struct crypto_hmac_ctx m;
		size_t dl = crypto_hash_size(s->hash), kl = vtpm_session_value(t, c, i, true, key);

		crypto_hash_init(&h, s->hash);
		vtpm_set_be32(buf, TPM_RC_SUCCESS);
		vtpm_set_be32(buf + 4, c->cc);
		crypto_hash_update(&h, buf, 8);
		crypto_hash_update(&h, params, plen);
		crypto_hash_final(&h, rp);
		crypto_hmac_init(&m, s->hash, key, kl);
		crypto_hmac_update(&m, rp, dl);
		crypto_hmac_update(&m, s->nonce_tpm, s->nonce_len);
		crypto_hmac_update(&m, a->nonce, a->nonce_len);
		crypto_hmac_update(&m, &a->attrs, 1);
		crypto_hmac_final(&m, mac);
		crypto_wipe(key, sizeof(key));
		vtpm_put_tpm2b(w, s->nonce_tpm, s->nonce_len);
		vtpm_put_u8(w, a->attrs);
		vtpm_put_tpm2b(w, mac, (uint16_t)dl);
		session_done(t, s, a->attrs);
	}
}

static uint32_t alloc_session_handle(struct vtpm *t, struct vtpm_session **out)
{
	for (unsigned i = 0; i < VTPM_SESSIONS; i++) {
		if (!t->sessions[i].used) {
			*out = &t->sessions[i];
			return 0;
		}
	}
	return TPM_RC_SESSION_HANDLES;
}

/* TPMT_SYM_DEF for a session (Part 2, 11.1.6; parameter 4 of StartAuthSession): AES-128/256 in
 * CFB mode, XOR with a hash algorithm (kept in *bits), or NULL. */
static uint32_t get_sym_def(struct vtpm_rd *r, uint16_t *alg, uint16_t *bits)
{
	enum crypto_hash_alg h;
	uint16_t mode;

	*bits = 0;
	if (!vtpm_get_u16(r, alg))
		return RC_P(TPM_RC_INSUFFICIENT, 4);
	switch (*alg) {
	case TPM_ALG_NULL:
		return 0;
	case TPM_ALG_AES:
		if (!vtpm_get_u16(r, bits) || !vtpm_get_u16(r, &mode))
			return RC_P(TPM_RC_INSUFFICIENT, 4);
		if (*bits != 128 && *bits != 256)
			return RC_P(TPM_RC_SYMMETRIC, 4);
		return mode == TPM_ALG_CFB ? 0 : RC_P(TPM_RC_MODE, 4);
	case TPM_ALG_XOR:
		if (!vtpm_get_u16(r, bits))
			return RC_P(TPM_RC_INSUFFICIENT, 4);
		return vtpm_hash_from_alg(*bits, &h) ? 0 : RC_P(TPM_RC_HASH, 4);
	default:
		return RC_P(TPM_RC_SYMMETRIC, 4);
	}
}

/* The salt of an ECC tpmKey (Part 1, C.6.1 / 11.4.10.3): encryptedSalt is the caller's ephemeral
 * point Qe (TPMS_ECC_POINT), Z = x(d·Qe) after validating Qe, and
 *   salt = KDFe(nameAlg, Z, "SECRET", Qe.x, key.x, digest size of nameAlg)
 * Any defect of the point or of its encoding: TPM_RC_VALUE on encryptedSalt. */
/* Decrypts encryptedSalt with tpmKey (Part 3, 11.1; Part 1, secret sharing): a loaded RSA or ECC
 * key with its private part and the decrypt attribute; the same primitive as ActivateCredential and
 * Import (vtpm_object_decrypt_secret: RSAES-OAEP or ECDH + KDFe, label "SECRET"). */
static uint32_t decrypt_salt(struct vtpm *t, uint32_t key, const uint8_t *in, uint16_t in_len, uint8_t *salt,
			     uint16_t *salt_len)
{
	struct vtpm_object *o = vtpm_object_find(t, key);
	uint8_t buf[CRYPTO_RSA_MAX_BYTES];
	size_t n = 0;
	uint32_t rc;

	if (!o || (o->kind != VTPM_OBJ_ECC && o->kind != VTPM_OBJ_RSA))
		return RC_H(TPM_RC_HANDLE, 1); /* not an asymmetric key */
	if (in_len == 0)
		return RC_P(TPM_RC_VALUE, 2);
	/* a key without its private part, or without decrypt, is a handle error (mapped below) */
	rc = vtpm_object_decrypt_secret(t, o, "SECRET", in, in_len, buf, &n);
	if (rc == TPM_RC_KEY || rc == TPM_RC_ATTRIBUTES || rc == TPM_RC_SCHEME)
		rc = RC_H(rc, 1);
	else if (rc && rc != TPM_RC_FAILURE)
		rc = RC_P(TPM_RC_VALUE, 2); /* any undecryptable salt, as the reference code answers */
	if (!rc && n > CRYPTO_HASH_MAX_DIGEST)
		rc = RC_P(TPM_RC_VALUE, 2); /* a salt longer than any digest cannot be a session salt */
	if (!rc) {
		memcpy(salt, buf, n);
		*salt_len = (uint16_t)n;
	}
	crypto_wipe(buf, sizeof(buf));
	return rc;
}

/* sessionKey = KDFa(authHash, bind.authValue || salt, "ATH", nonceTPM, nonceCaller, digest bits)
 * for a bound or salted session, even when that input is empty; the Empty Buffer when neither
 * (Part 1, 19.6.8). */
static bool session_key(struct vtpm_session *s, const uint8_t *bauth, uint16_t bauth_len, const uint8_t *salt,
			uint16_t salt_len, const uint8_t *nonce, uint16_t nonce_len)
{
	uint8_t secret[VTPM_AUTH_MAX + CRYPTO_HASH_MAX_DIGEST];
	bool ok;

	if (s->bind == TPM_RH_NULL && salt_len == 0)
		return true;
	if (bauth_len)
		memcpy(secret, bauth, bauth_len);
	if (salt_len)
		memcpy(secret + bauth_len, salt, salt_len);
	s->key_len = s->nonce_len;
	ok = crypto_kdfa(s->hash, secret, (size_t)bauth_len + salt_len, "ATH", s->nonce_tpm, s->nonce_len, nonce,
			 nonce_len, (uint32_t)s->key_len * 8, s->key);
	crypto_wipe(secret, sizeof(secret));
	return ok;
}

/* StartAuthSession's parameters (Part 3, 11.1), parsed and checked. */
struct start_params {
	uint8_t nonce[VTPM_AUTH_MAX], enc_salt[512], type;
	uint16_t nonce_len, enc_len, sym, sym_bits, hash_alg;
	enum crypto_hash_alg hash;
};

static uint32_t get_start_params(struct vtpm_rd *r, struct start_params *p)
{
	uint32_t rc = vtpm_get_tpm2b(r, p->nonce, &p->nonce_len, sizeof(p->nonce));

	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = vtpm_get_tpm2b(r, p->enc_salt, &p->enc_len, sizeof(p->enc_salt));
	if (rc)
		return vtpm_param_rc(rc, 2);
	if (!vtpm_get_u8(r, &p->type))
		return RC_P(TPM_RC_INSUFFICIENT, 3);
	rc = get_sym_def(r, &p->sym, &p->sym_bits);
	if (rc)
		return rc;
	if (!vtpm_get_u16(r, &p->hash_alg))
		return RC_P(TPM_RC_INSUFFICIENT, 5);
	if (!vtpm_hash_from_alg(p->hash_alg, &p->hash))
		return RC_P(TPM_RC_HASH, 5);
	if (vtpm_rd_left(r))
		return TPM_RC_SIZE;
	if (p->type != TPM_SE_HMAC && p->type != TPM_SE_POLICY && p->type != TPM_SE_TRIAL)
		return RC_P(TPM_RC_VALUE, 3);
	if (p->nonce_len < 16 || p->nonce_len > crypto_hash_size(p->hash))
		return RC_P(TPM_RC_SIZE, 1);
	return 0;
}

uint32_t vtpm_cmd_start_auth_session(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t salt[CRYPTO_HASH_MAX_DIGEST], bind_id[32] = { 0 };
	uint32_t tpm_key = c->handles[0], bind = c->handles[1], rc;
	uint16_t salt_len = 0, bauth_len = 0;
	const uint8_t *bauth = NULL;
	struct start_params p;
	struct vtpm_session *s;
	bool da;

	rc = get_start_params(&c->in, &p);
	if (rc)
		return rc;
	if (tpm_key != TPM_RH_NULL) {
		rc = decrypt_salt(t, tpm_key, p.enc_salt, p.enc_len, salt, &salt_len);
		if (rc)
			return rc;
	} else if (p.enc_len != 0) {
		return RC_P(TPM_RC_VALUE, 2);
	}
	if (bind != TPM_RH_NULL) {
		rc = entity_auth(t, bind, &bauth, &bauth_len, &da);
		if (rc)
			return RC_H(rc, 2);
		bauth_len = bauth ? vtpm_trim_zeros(bauth, bauth_len) : 0;
		if (!bind_identity(t, bind, bauth, bauth_len, bind_id))
			return RC_H(TPM_RC_HANDLE, 2);
	}
	rc = alloc_session_handle(t, &s);
	if (rc)
		return rc;

	memset(s, 0, sizeof(*s));
	s->used = true;
	s->type = p.type;
	s->hash = p.hash;
	s->hash_tpm_alg = p.hash_alg;
	s->bind = bind;
	memcpy(s->bind_id, bind_id, sizeof(bind_id));
	s->sym_alg = p.sym;
	s->sym_bits = p.sym_bits;
	s->handle = (p.type == TPM_SE_HMAC ? HR_HMAC_SESSION : HR_POLICY_SESSION) | (t->next_session++ & 0xFFFFFFu);
	s->pol_flags = p.type == TPM_SE_TRIAL ? VTPM_POL_TRIAL : 0;
	s->start_time = vtpm_time_now(t);
	s->nonce_len = (uint16_t)crypto_hash_size(p.hash);
	vtpm_random(t, s->nonce_tpm, s->nonce_len);
	memcpy(s->nonce_caller, p.nonce, p.nonce_len);
	s->nonce_caller_len = p.nonce_len;
	if (!session_key(s, bauth, bauth_len, salt, salt_len, p.nonce, p.nonce_len)) {
		crypto_wipe(s, sizeof(*s));
		crypto_wipe(salt, sizeof(salt));
		return TPM_RC_FAILURE;
	}
	crypto_wipe(salt, sizeof(salt));
	c->rsp_handle = s->handle;
	vtpm_put_tpm2b(&c->out, s->nonce_tpm, s->nonce_len);
	return 0;
}
