/* Hierarchy, dictionary-attack and clock commands (TPM 2.0 Library Part 3, 24.6-24.9, 25, 29):
 * Clear, ClearControl, HierarchyChangeAuth, HierarchyControl, DictionaryAttackLockReset,
 * DictionaryAttackParameters, ReadClock, ClockSet. */
#include "core/str.h"
#include "vtpm/internal.h"

#define CLOCK_MAX 0xFFFF000000000000ull /* Part 3, 29.2.1: newTime above this is TPM_RC_VALUE */

uint32_t vtpm_cmd_clear(struct vtpm *t, struct vtpm_cmd *c)
{
	uint32_t ah = c->handles[0];

	if (ah != TPM_RH_LOCKOUT && ah != TPM_RH_PLATFORM)
		return RC_H(TPM_RC_VALUE, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (t->p.disable_clear)
		return TPM_RC_DISABLED;
	/* Part 3, 24.6: new SPS (and with it the owner's proofs), owner/endorsement/lockout auths and
	 * policies cleared, owner NV indices and objects removed, DA state reset, clock counters. */
	vtpm_random(t, t->p.sps, VTPM_SEED_SIZE);
	t->p.owner_auth_len = t->p.endorsement_auth_len = t->p.lockout_auth_len = 0;
	crypto_wipe(t->p.owner_auth, VTPM_AUTH_MAX);
	crypto_wipe(t->p.endorsement_auth, VTPM_AUTH_MAX);
	crypto_wipe(t->p.lockout_auth, VTPM_AUTH_MAX);
	vtpm_nv_clear_owner(t);
	vtpm_persistent_clear_owner(t);
	/* loaded objects of the storage and endorsement hierarchies go (their proofs changed) */
	vtpm_flush_hierarchy(t, TPM_RH_OWNER);
	vtpm_flush_hierarchy(t, TPM_RH_ENDORSEMENT);
	t->p.da_failed_tries = 0;
	t->lockout_locked = false;
	t->p.reset_count = 0;
	t->p.restart_count = 0;
	t->sh_enable = t->eh_enable = true;
	c->nv_dirty = true;
	return 0;
}

uint32_t vtpm_cmd_clear_control(struct vtpm *t, struct vtpm_cmd *c)
{
	uint32_t ah = c->handles[0];
	uint8_t disable;

	if (ah != TPM_RH_LOCKOUT && ah != TPM_RH_PLATFORM)
		return RC_H(TPM_RC_VALUE, 1);
	if (!vtpm_get_u8(&c->in, &disable))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (disable > 1)
		return RC_P(TPM_RC_VALUE, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	/* Only the platform may re-enable Clear (Part 3, 24.7.1). */
	if (!disable && ah == TPM_RH_LOCKOUT)
		return RC_S(TPM_RC_AUTH_FAIL, 1);
	t->p.disable_clear = disable;
	c->nv_dirty = true;
	return 0;
}

uint32_t vtpm_cmd_hierarchy_change_auth(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t auth[VTPM_AUTH_MAX];
	uint16_t n;
	uint32_t rc;

	rc = vtpm_get_tpm2b(&c->in, auth, &n, sizeof(auth));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	/* At most the size of the context integrity digest (SHA-256) (Part 3, 24.8.1). */
	n = vtpm_trim_zeros(auth, n);
	if (n > 32)
		return RC_P(TPM_RC_SIZE, 1);
	switch (c->handles[0]) {
	case TPM_RH_OWNER:
		memcpy(t->p.owner_auth, auth, n);
		t->p.owner_auth_len = n;
		break;
	case TPM_RH_ENDORSEMENT:
		memcpy(t->p.endorsement_auth, auth, n);
		t->p.endorsement_auth_len = n;
		break;
	case TPM_RH_LOCKOUT:
		memcpy(t->p.lockout_auth, auth, n);
		t->p.lockout_auth_len = n;
		break;
	case TPM_RH_PLATFORM:
		memcpy(t->platform_auth, auth, n); /* volatile: reset at every Startup */
		t->platform_auth_len = n;
		return 0;
	default:
		return RC_H(TPM_RC_VALUE, 1);
	}
	c->nv_dirty = true;
	return 0;
}

uint32_t vtpm_cmd_hierarchy_control(struct vtpm *t, struct vtpm_cmd *c)
{
	uint32_t ah = c->handles[0], enable;
	uint8_t state;
	bool *flag;

	if (ah != TPM_RH_PLATFORM && ah != TPM_RH_OWNER && ah != TPM_RH_ENDORSEMENT)
		return RC_H(TPM_RC_VALUE, 1);
	if (!vtpm_get_u32(&c->in, &enable))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (!vtpm_get_u8(&c->in, &state))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (state > 1)
		return RC_P(TPM_RC_VALUE, 2);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	switch (enable) {
	case TPM_RH_OWNER:
		flag = &t->sh_enable;
		break;
	case TPM_RH_ENDORSEMENT:
		flag = &t->eh_enable;
		break;
	case TPM_RH_PLATFORM:
		flag = &t->ph_enable;
		break;
	case TPM_RH_PLATFORM_NV:
		flag = &t->ph_enable_nv;
		break;
	default:
		return RC_P(TPM_RC_VALUE, 1);
	}
	/* Part 3, 24.9.1: only the platform can enable, or act on the platform; the owner and the
	 * endorsement can each only disable themselves. */
	if (ah != TPM_RH_PLATFORM) {
		if (state == 1 || enable != ah)
			return RC_H(TPM_RC_AUTH_TYPE, 1);
	}
	*flag = state;
	/* Disabling a hierarchy flushes its loaded objects (Part 3, 24.9.1). */
	if (!state && enable != TPM_RH_PLATFORM_NV)
		vtpm_flush_hierarchy(t, enable);
	return 0;
}

uint32_t vtpm_cmd_da_lock_reset(struct vtpm *t, struct vtpm_cmd *c)
{
	if (c->handles[0] != TPM_RH_LOCKOUT)
		return RC_H(TPM_RC_VALUE, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	t->p.da_failed_tries = 0;
	c->nv_dirty = true;
	return 0;
}

uint32_t vtpm_cmd_da_parameters(struct vtpm *t, struct vtpm_cmd *c)
{
	uint32_t max, rec, lrec;

	if (c->handles[0] != TPM_RH_LOCKOUT)
		return RC_H(TPM_RC_VALUE, 1);
	if (!vtpm_get_u32(&c->in, &max))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (!vtpm_get_u32(&c->in, &rec))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (!vtpm_get_u32(&c->in, &lrec))
		return RC_P(TPM_RC_INSUFFICIENT, 3);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	t->p.da_max_tries = max;
	t->p.da_recovery_time = rec;
	t->p.da_lockout_recovery = lrec;
	if (t->p.da_failed_tries > max)
		t->p.da_failed_tries = max;
	c->nv_dirty = true;
	return 0;
}

/* TPMS_TIME_INFO (Part 2, 10.11.6): time, then TPMS_CLOCK_INFO {clock, resetCount, restartCount,
 * safe}. `time` counts from _TPM_Init; `clock` is persistent and only moves forward. */
uint32_t vtpm_cmd_read_clock(struct vtpm *t, struct vtpm_cmd *c)
{
	uint64_t now = t->plat->time_ms ? t->plat->time_ms(t->plat->ctx) : 0;

	vtpm_put_u64(&c->out, now >= t->time_origin_ms ? now - t->time_origin_ms : 0);
	vtpm_put_u64(&c->out, vtpm_clock_now(t));
	vtpm_put_u32(&c->out, t->p.reset_count);
	vtpm_put_u32(&c->out, t->p.restart_count);
	vtpm_put_u8(&c->out, 1);
	return 0;
}

uint32_t vtpm_cmd_clock_set(struct vtpm *t, struct vtpm_cmd *c)
{
	uint64_t v, now = t->plat->time_ms ? t->plat->time_ms(t->plat->ctx) : 0;

	if (c->handles[0] != TPM_RH_OWNER && c->handles[0] != TPM_RH_PLATFORM)
		return RC_H(TPM_RC_VALUE, 1);
	if (!vtpm_get_u64(&c->in, &v))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (v > CLOCK_MAX || v < vtpm_clock_now(t))
		return RC_P(TPM_RC_VALUE, 1);
	t->clock_origin = v;
	t->clock_at_ms = now;
	c->nv_dirty = true;
	return 0;
}
