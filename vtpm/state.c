/* TPM lifetime: _TPM_Init (vtpm_power_on), the NV blob, Startup/Shutdown, self tests, randomness.
 *
 * NV blob (docs/vtpm.md has the table): "MVTPMNV1" magic, u32 format version, u32 payload length,
 * payload (struct vtpm_persist marshalled field by field, big-endian), SHA-256 over everything before
 * it. A blob whose magic, version, length, checksum or contents do not check out is never used: the
 * TPM enters failure mode with TPM_RC_FAILURE and GetTestResult says TPM_RC_INTEGRITY. */
#include "core/str.h"
#include "vtpm/internal.h"

#define BLOB_MAGIC "MVTPMNV1"
#define BLOB_VERSION 2u    /* 2: persistent objects after the NV indices */
#define BLOB_VERSION_V1 1u /* still read: no persistent objects */
#define BLOB_HDR 16u

/* Defaults of a manufactured TPM (Part 1, 19.8 dictionary attack; PC Client values). */
#define DA_DEFAULT_MAX_TRIES 32u
#define DA_DEFAULT_RECOVERY 600u
#define DA_DEFAULT_LOCKOUT_RECOVERY 86400u

void vtpm_enter_failure(struct vtpm *t, uint32_t rc)
{
	t->failure_rc = rc ? rc : TPM_RC_FAILURE;
	t->started = false;
}

void vtpm_random(struct vtpm *t, void *out, size_t len)
{
	uint8_t *p = out;

	if (len > sizeof(t->rng_pool)) {
		if (!crypto_drbg_generate(&t->drbg, out, len))
			vtpm_enter_failure(t, TPM_RC_FAILURE);
		return;
	}
	if (t->rng_avail < len) {
		if (!crypto_drbg_generate(&t->drbg, t->rng_pool, sizeof(t->rng_pool))) {
			vtpm_enter_failure(t, TPM_RC_FAILURE);
			memset(out, 0, len);
			return;
		}
		t->rng_avail = sizeof(t->rng_pool);
	}
	/* Hand out from the end of the pool and wipe what was handed out. */
	t->rng_avail = (uint16_t)(t->rng_avail - len);
	memcpy(p, t->rng_pool + t->rng_avail, len);
	crypto_wipe(t->rng_pool + t->rng_avail, len);
}

static void vtpm_random_discard(struct vtpm *t)
{
	crypto_wipe(t->rng_pool, sizeof(t->rng_pool));
	t->rng_avail = 0;
}

static void put_auth(struct vtpm_wr *w, const uint8_t *a, uint16_t len)
{
	vtpm_put_tpm2b(w, a, len);
}

static void serialize(const struct vtpm_persist *p, struct vtpm_wr *w)
{
	unsigned n = 0;

	vtpm_put_bytes(w, p->eps, VTPM_SEED_SIZE);
	vtpm_put_bytes(w, p->sps, VTPM_SEED_SIZE);
	vtpm_put_bytes(w, p->pps, VTPM_SEED_SIZE);
	put_auth(w, p->owner_auth, p->owner_auth_len);
	put_auth(w, p->endorsement_auth, p->endorsement_auth_len);
	put_auth(w, p->lockout_auth, p->lockout_auth_len);
	vtpm_put_u8(w, p->disable_clear);
	vtpm_put_u32(w, p->da_max_tries);
	vtpm_put_u32(w, p->da_recovery_time);
	vtpm_put_u32(w, p->da_lockout_recovery);
	vtpm_put_u32(w, p->da_failed_tries);
	vtpm_put_u64(w, p->clock);
	vtpm_put_u32(w, p->reset_count);
	vtpm_put_u32(w, p->restart_count);
	vtpm_put_u8(w, p->pcr_alloc);
	vtpm_put_u8(w, p->orderly);
	vtpm_put_u8(w, p->saved_valid);
	vtpm_put_u8(w, p->saved_pcr_alloc);
	if (p->saved_valid)
		vtpm_put_bytes(w, p->saved_pcr, sizeof(p->saved_pcr));
	for (unsigned i = 0; i < VTPM_NV_INDICES; i++)
		n += p->nv[i].used;
	vtpm_put_u16(w, (uint16_t)n);
	for (unsigned i = 0; i < VTPM_NV_INDICES; i++) {
		const struct vtpm_nv_index *x = &p->nv[i];
		if (!x->used)
			continue;
		vtpm_put_u32(w, x->handle);
		vtpm_put_u16(w, x->name_alg);
		vtpm_put_u32(w, x->attrs);
		put_auth(w, x->auth, x->auth_len);
		put_auth(w, x->policy, x->policy_len);
		vtpm_put_tpm2b(w, x->data, x->size);
	}
	/* format 2: persistent objects */
	n = 0;
	for (unsigned i = 0; i < VTPM_PERSISTENT; i++)
		n += p->pobj[i].handle != 0;
	vtpm_put_u8(w, (uint8_t)n);
	for (unsigned i = 0; i < VTPM_PERSISTENT; i++) {
		if (!p->pobj[i].handle)
			continue;
		vtpm_put_u32(w, p->pobj[i].handle);
		vtpm_put_tpm2b(w, p->pobj[i].data, p->pobj[i].len);
	}
}

static bool deserialize_objects(struct vtpm_persist *p, struct vtpm_rd *r)
{
	uint8_t n;

	if (!vtpm_get_u8(r, &n) || n > VTPM_PERSISTENT)
		return false;
	for (unsigned i = 0; i < n; i++) {
		if (!vtpm_get_u32(r, &p->pobj[i].handle) || (p->pobj[i].handle >> 24) != TPM_HT_PERSISTENT ||
		    vtpm_get_tpm2b(r, p->pobj[i].data, &p->pobj[i].len, sizeof(p->pobj[i].data)))
			return false;
		for (unsigned j = 0; j < i; j++)
			if (p->pobj[j].handle == p->pobj[i].handle)
				return false;
	}
	return true;
}

static bool get_bool(struct vtpm_rd *r, bool *b)
{
	uint8_t v;

	if (!vtpm_get_u8(r, &v) || v > 1)
		return false;
	*b = v;
	return true;
}

static bool deserialize(struct vtpm_persist *p, struct vtpm_rd *r, uint32_t version)
{
	uint16_t n;

	memset(p, 0, sizeof(*p));
	if (!vtpm_get_bytes(r, p->eps, VTPM_SEED_SIZE) || !vtpm_get_bytes(r, p->sps, VTPM_SEED_SIZE) ||
	    !vtpm_get_bytes(r, p->pps, VTPM_SEED_SIZE))
		return false;
	if (vtpm_get_tpm2b(r, p->owner_auth, &p->owner_auth_len, VTPM_AUTH_MAX) ||
	    vtpm_get_tpm2b(r, p->endorsement_auth, &p->endorsement_auth_len, VTPM_AUTH_MAX) ||
	    vtpm_get_tpm2b(r, p->lockout_auth, &p->lockout_auth_len, VTPM_AUTH_MAX))
		return false;
	if (!get_bool(r, &p->disable_clear) || !vtpm_get_u32(r, &p->da_max_tries) ||
	    !vtpm_get_u32(r, &p->da_recovery_time) || !vtpm_get_u32(r, &p->da_lockout_recovery) ||
	    !vtpm_get_u32(r, &p->da_failed_tries) || !vtpm_get_u64(r, &p->clock) ||
	    !vtpm_get_u32(r, &p->reset_count) || !vtpm_get_u32(r, &p->restart_count) ||
	    !vtpm_get_u8(r, &p->pcr_alloc) || !get_bool(r, &p->orderly) || !get_bool(r, &p->saved_valid) ||
	    !vtpm_get_u8(r, &p->saved_pcr_alloc))
		return false;
	if (p->pcr_alloc & ~7u || p->saved_pcr_alloc & ~7u)
		return false;
	if (p->saved_valid && !vtpm_get_bytes(r, p->saved_pcr, sizeof(p->saved_pcr)))
		return false;
	if (!vtpm_get_u16(r, &n) || n > VTPM_NV_INDICES)
		return false;
	for (unsigned i = 0; i < n; i++) {
		struct vtpm_nv_index *x = &p->nv[i];
		x->used = true;
		if (!vtpm_get_u32(r, &x->handle) || !vtpm_get_u16(r, &x->name_alg) ||
		    !vtpm_get_u32(r, &x->attrs))
			return false;
		if ((x->handle >> 24) != TPM_HT_NV_INDEX)
			return false;
		if (vtpm_get_tpm2b(r, x->auth, &x->auth_len, VTPM_AUTH_MAX) ||
		    vtpm_get_tpm2b(r, x->policy, &x->policy_len, VTPM_AUTH_MAX) ||
		    vtpm_get_tpm2b(r, x->data, &x->size, VTPM_NV_INDEX_MAX))
			return false;
	}
	if (version >= 2 && !deserialize_objects(p, r))
		return false;
	return vtpm_rd_left(r) == 0;
}

static bool load_blob(struct vtpm *t, size_t len);

/* After a failed store the platform still holds the previous blob (stores are atomic): reload it so
 * memory matches what is persisted, and the command's persistent changes are dropped. */
static void restore_persisted(struct vtpm *t)
{
	size_t len = t->plat->nv_load ? t->plat->nv_load(t->plat->ctx, t->blob, sizeof(t->blob)) : 0;

	if (len == 0 || len > sizeof(t->blob) || !load_blob(t, len))
		vtpm_enter_failure(t, TPM_RC_INTEGRITY);
}

uint32_t vtpm_state_commit(struct vtpm *t)
{
	struct vtpm_wr w = { .p = t->blob, .cap = sizeof(t->blob) };
	uint8_t sum[32];

	t->p.clock = vtpm_clock_now(t);
	vtpm_put_bytes(&w, BLOB_MAGIC, 8);
	vtpm_put_u32(&w, BLOB_VERSION);
	vtpm_put_u32(&w, 0);
	serialize(&t->p, &w);
	if (w.overflow || w.cap - w.len < sizeof(sum))
		return TPM_RC_FAILURE;
	vtpm_set_be32(t->blob + 12, (uint32_t)(w.len - BLOB_HDR));
	crypto_hash(CRYPTO_SHA256, t->blob, w.len, sum);
	vtpm_put_bytes(&w, sum, sizeof(sum));
	if (!t->plat->nv_store || !t->plat->nv_store(t->plat->ctx, t->blob, w.len)) {
		restore_persisted(t);
		return 0x923u; /* TPM_RC_NV_UNAVAILABLE */
	}
	return 0;
}

static bool load_blob(struct vtpm *t, size_t len)
{
	uint8_t sum[32];
	struct vtpm_rd r;
	uint32_t version;

	if (len < BLOB_HDR + 32 || memcmp(t->blob, BLOB_MAGIC, 8) != 0)
		return false;
	version = vtpm_be32(t->blob + 8);
	if ((version != BLOB_VERSION && version != BLOB_VERSION_V1) || vtpm_be32(t->blob + 12) != len - BLOB_HDR - 32)
		return false;
	crypto_hash(CRYPTO_SHA256, t->blob, len - 32, sum);
	if (!crypto_ct_equal(sum, t->blob + len - 32, 32))
		return false;
	vtpm_rd_init(&r, t->blob + BLOB_HDR, len - BLOB_HDR - 32);
	/* a persistent object that does not decode makes the whole blob unusable */
	return deserialize(&t->p, &r, version) && vtpm_persistent_reload(t);
}

static void manufacture(struct vtpm *t)
{
	memset(&t->p, 0, sizeof(t->p));
	vtpm_random(t, t->p.eps, VTPM_SEED_SIZE);
	vtpm_random(t, t->p.sps, VTPM_SEED_SIZE);
	vtpm_random(t, t->p.pps, VTPM_SEED_SIZE);
	t->p.da_max_tries = DA_DEFAULT_MAX_TRIES;
	t->p.da_recovery_time = DA_DEFAULT_RECOVERY;
	t->p.da_lockout_recovery = DA_DEFAULT_LOCKOUT_RECOVERY;
	t->p.pcr_alloc = 7; /* SHA-1, SHA-256 and SHA-384 banks */
}

void vtpm_power_on(struct vtpm *t, const struct vtpm_platform *plat)
{
	uint8_t seed[48];
	size_t len;

	memset(t, 0, sizeof(*t));
	t->plat = plat;
	t->powered = true;
	t->next_object = 0;
	t->time_origin_ms = plat->time_ms ? plat->time_ms(plat->ctx) : 0;
	t->clock_at_ms = t->time_origin_ms;
	if (!plat->entropy || !plat->entropy(plat->ctx, seed, sizeof(seed)) ||
	    !crypto_drbg_init(&t->drbg, seed, sizeof(seed))) {
		vtpm_enter_failure(t, TPM_RC_FAILURE);
		return;
	}
	crypto_wipe(seed, sizeof(seed));
	vtpm_random(t, t->context_key, sizeof(t->context_key));
	vtpm_random(t, t->null_seed, sizeof(t->null_seed));
	vtpm_random(t, &t->next_session, sizeof(t->next_session));
	len = plat->nv_load ? plat->nv_load(plat->ctx, t->blob, sizeof(t->blob)) : 0;
	if (len == 0) {
		manufacture(t);
		t->clock_origin = 0;
		if (vtpm_state_commit(t) != 0)
			vtpm_enter_failure(t, TPM_RC_FAILURE);
		return;
	}
	if (len > sizeof(t->blob) || !load_blob(t, len)) {
		memset(&t->p, 0, sizeof(t->p));
		vtpm_enter_failure(t, TPM_RC_INTEGRITY);
		return;
	}
	t->clock_origin = t->p.clock;
}

static void objects_flush_all(struct vtpm *t)
{
	crypto_wipe(t->objects, sizeof(t->objects));
}

uint32_t vtpm_cmd_startup(struct vtpm *t, struct vtpm_cmd *c)
{
	uint16_t su;
	bool restore;

	if (!vtpm_get_u16(&c->in, &su))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (su != TPM_SU_CLEAR && su != TPM_SU_STATE)
		return RC_P(TPM_RC_VALUE, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (t->started)
		return TPM_RC_INITIALIZE;
	/* PC Client PTP: Startup comes from locality 0 or 3. */
	if (t->locality != 0 && t->locality != 3)
		return TPM_RC_LOCALITY;
	/* Startup(STATE) needs a Shutdown(STATE) before it (Part 3, 9.3.1: else TPM_RC_VALUE). */
	if (su == TPM_SU_STATE && !t->p.saved_valid)
		return RC_P(TPM_RC_VALUE, 1);
	restore = su == TPM_SU_STATE;
	/* TPM Reset (CLEAR without saved state, or any CLEAR): new PCR allocation takes effect,
	 * resetCount++. TPM Restart (CLEAR after Shutdown(STATE)): restartCount++. TPM Resume: STATE. */
	if (su == TPM_SU_CLEAR && !t->p.saved_valid) {
		t->p.reset_count++;
		t->p.restart_count = 0;
		t->active_alloc = t->p.pcr_alloc;
	} else if (su == TPM_SU_CLEAR) {
		t->p.restart_count++;
		t->active_alloc = t->p.pcr_alloc;
	} else {
		t->p.restart_count++;
		t->active_alloc = t->p.saved_pcr_alloc;
	}
	vtpm_pcr_startup(t, restore);
	vtpm_drtm_startup(t, su == TPM_SU_CLEAR);
	vtpm_nv_startup(t, su == TPM_SU_CLEAR);
	vtpm_sessions_reset(t);
	objects_flush_all(t);
	t->sh_enable = t->eh_enable = t->ph_enable = t->ph_enable_nv = true;
	t->platform_auth_len = 0;
	t->lockout_locked = false;
	t->p.saved_valid = false;
	t->p.orderly = false;
	t->started = true;
	c->nv_dirty = true;
	return 0;
}

uint32_t vtpm_cmd_shutdown(struct vtpm *t, struct vtpm_cmd *c)
{
	uint16_t su;

	if (!vtpm_get_u16(&c->in, &su))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (su != TPM_SU_CLEAR && su != TPM_SU_STATE)
		return RC_P(TPM_RC_VALUE, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (su == TPM_SU_STATE) {
		vtpm_pcr_save(t);
		t->p.saved_pcr_alloc = t->active_alloc;
		t->p.saved_valid = true;
	} else {
		t->p.saved_valid = false;
	}
	t->p.orderly = true;
	c->nv_dirty = true;
	return 0;
}

/* All algorithms are tested at power-on by the crypto unit tests' vectors being compiled in the
 * same way; the TPM reports itself fully tested (Part 3, 10). */
uint32_t vtpm_cmd_self_test(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t full;

	(void)t;
	if (!vtpm_get_u8(&c->in, &full))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (full > 1)
		return RC_P(TPM_RC_VALUE, 1);
	return 0;
}

uint32_t vtpm_cmd_incremental_self_test(struct vtpm *t, struct vtpm_cmd *c)
{
	uint32_t count;
	uint16_t alg;

	(void)t;
	if (!vtpm_get_u32(&c->in, &count))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (count > 64)
		return RC_P(TPM_RC_SIZE, 1);
	for (uint32_t i = 0; i < count; i++) {
		if (!vtpm_get_u16(&c->in, &alg))
			return RC_P(TPM_RC_INSUFFICIENT, 1);
	}
	vtpm_put_u32(&c->out, 0); /* toDoList: nothing left to test */
	return 0;
}

uint32_t vtpm_cmd_get_test_result(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t data[4];
	uint16_t n = 0;

	if (t->failure_rc) {
		vtpm_set_be32(data, t->failure_rc);
		n = 4;
	}
	vtpm_put_tpm2b(&c->out, data, n);
	vtpm_put_u32(&c->out, t->failure_rc ? TPM_RC_FAILURE : TPM_RC_SUCCESS);
	return 0;
}

uint32_t vtpm_cmd_get_random(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t buf[64];
	uint16_t n;

	if (!vtpm_get_u16(&c->in, &n))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	/* Part 3, 16.1: at most the size of the largest digest (TPMU_HA); larger requests are cut. */
	if (n > sizeof(buf))
		n = (uint16_t)sizeof(buf);
	vtpm_random(t, buf, n);
	if (t->failure_rc)
		return TPM_RC_FAILURE;
	vtpm_put_tpm2b(&c->out, buf, n);
	return 0;
}

uint32_t vtpm_cmd_stir_random(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t buf[128];
	uint16_t n;
	uint32_t rc = vtpm_get_tpm2b(&c->in, buf, &n, sizeof(buf));

	if (rc)
		return vtpm_param_rc(rc, 1);
	crypto_drbg_reseed(&t->drbg, buf, n);
	vtpm_random_discard(t);
	return 0;
}
