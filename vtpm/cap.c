/* TPM2_GetCapability (Part 3, 30.2) and TPM2_TestParms (Part 3, 10.3). */
#include "core/str.h"
#include "vtpm/internal.h"

#define MAX_CAP_DATA (VTPM_MAX_RESPONSE - 10 - 1 - 4 - 4)

/* Fixed identity (TPM_PT_MANUFACTURER etc.): vendor "MNTL", string "Mantle vTPM". */
#define VTPM_MANUFACTURER 0x4D4E544Cu /* "MNTL" */
#define VTPM_SPEC_LEVEL 0u
#define VTPM_SPEC_REVISION 159u        /* 1.59 */
#define VTPM_SPEC_DAY 1u
#define VTPM_SPEC_YEAR 2019u

struct alg_info {
	uint16_t alg;
	uint32_t attrs;
	bool rsa; /* listed only when the crypto layer has RSA */
};

/* Sorted by algorithm ID. AES/CFB/XOR serve session parameter encryption; KEYEDHASH is the HMAC
 * key object of LoadExternal. */
static const struct alg_info algs[] = {
	{ TPM_ALG_RSA, TPMA_ALGORITHM_ASYMMETRIC | TPMA_ALGORITHM_OBJECT, true },
	{ TPM_ALG_SHA1, TPMA_ALGORITHM_HASH, false },
	{ TPM_ALG_HMAC, TPMA_ALGORITHM_HASH | TPMA_ALGORITHM_SIGNING, false },
	{ TPM_ALG_AES, TPMA_ALGORITHM_SYMMETRIC, false },
	{ TPM_ALG_KEYEDHASH, TPMA_ALGORITHM_HASH | TPMA_ALGORITHM_OBJECT | TPMA_ALGORITHM_SIGNING, false },
	{ TPM_ALG_XOR, TPMA_ALGORITHM_SYMMETRIC | TPMA_ALGORITHM_HASH, false },
	{ TPM_ALG_SHA256, TPMA_ALGORITHM_HASH, false },
	{ TPM_ALG_SHA384, TPMA_ALGORITHM_HASH, false },
	{ TPM_ALG_SHA512, TPMA_ALGORITHM_HASH, false },
	{ TPM_ALG_NULL, 0, false },
	{ TPM_ALG_RSASSA, TPMA_ALGORITHM_ASYMMETRIC | TPMA_ALGORITHM_SIGNING, true },
	{ TPM_ALG_RSAES, TPMA_ALGORITHM_ASYMMETRIC | TPMA_ALGORITHM_ENCRYPTING, true },
	{ TPM_ALG_RSAPSS, TPMA_ALGORITHM_ASYMMETRIC | TPMA_ALGORITHM_SIGNING, true },
	{ TPM_ALG_OAEP, TPMA_ALGORITHM_ASYMMETRIC | TPMA_ALGORITHM_ENCRYPTING, true },
	{ TPM_ALG_ECDSA, TPMA_ALGORITHM_ASYMMETRIC | TPMA_ALGORITHM_SIGNING, false },
	{ TPM_ALG_ECC, TPMA_ALGORITHM_ASYMMETRIC | TPMA_ALGORITHM_OBJECT, false },
	{ TPM_ALG_SYMCIPHER, TPMA_ALGORITHM_OBJECT, false },
	{ TPM_ALG_CTR, TPMA_ALGORITHM_SYMMETRIC | TPMA_ALGORITHM_ENCRYPTING, false },
	{ TPM_ALG_OFB, TPMA_ALGORITHM_SYMMETRIC | TPMA_ALGORITHM_ENCRYPTING, false },
	{ TPM_ALG_CBC, TPMA_ALGORITHM_SYMMETRIC | TPMA_ALGORITHM_ENCRYPTING, false },
	{ TPM_ALG_CFB, TPMA_ALGORITHM_SYMMETRIC | TPMA_ALGORITHM_ENCRYPTING, false },
	{ TPM_ALG_ECB, TPMA_ALGORITHM_SYMMETRIC | TPMA_ALGORITHM_ENCRYPTING, false },
};

static uint32_t cap_algs(struct vtpm_wr *w, uint32_t first, uint32_t count)
{
	uint32_t n = 0;
	size_t nalg = sizeof(algs) / sizeof(algs[0]);
	size_t i = 0, at;
	bool more = false, rsa = vtpm_have_rsa();

	while (i < nalg && algs[i].alg < first)
		i++;
	vtpm_put_u32(w, TPM_CAP_ALGS);
	at = w->len;
	vtpm_put_u32(w, 0);
	for (; i < nalg; i++) {
		if (algs[i].rsa && !rsa)
			continue;
		if (n >= count) {
			more = true;
			break;
		}
		vtpm_put_u16(w, algs[i].alg);
		vtpm_put_u32(w, algs[i].attrs);
		n++;
	}
	if (!w->overflow)
		vtpm_set_be32(w->p + at, n);
	return more;
}

static uint32_t cc_attrs(const struct vtpm_cmd_desc *d)
{
	return (d->cc & 0xFFFFu) | (d->nv ? TPMA_CC_NV : 0) | (d->flushed ? TPMA_CC_FLUSHED : 0) |
	       ((uint32_t)d->n_handles << TPMA_CC_CHANDLES_SHIFT) | (d->rhandle ? TPMA_CC_RHANDLE : 0);
}

static bool cap_commands(struct vtpm_wr *w, uint32_t first, uint32_t count)
{
	uint32_t n = 0;
	size_t at;
	bool more = false;

	vtpm_put_u32(w, TPM_CAP_COMMANDS);
	at = w->len;
	vtpm_put_u32(w, 0);
	for (size_t i = 0; i < vtpm_command_count; i++) {
		if (vtpm_commands[i].cc < first)
			continue;
		if (n >= count) {
			more = true;
			break;
		}
		vtpm_put_u32(w, cc_attrs(&vtpm_commands[i]));
		n++;
	}
	if (!w->overflow)
		vtpm_set_be32(w->p + at, n);
	return more;
}

static bool cap_cc_list(struct vtpm_wr *w, uint32_t cap)
{
	vtpm_put_u32(w, cap);
	vtpm_put_u32(w, 0); /* no physical-presence or audited commands */
	return false;
}

static bool cap_pcrs(struct vtpm *t, struct vtpm_wr *w)
{
	vtpm_put_u32(w, TPM_CAP_PCRS);
	vtpm_put_u32(w, VTPM_BANKS);
	for (unsigned b = 0; b < VTPM_BANKS; b++) {
		uint8_t on = (t->active_alloc >> b & 1u) ? 0xFF : 0x00;
		vtpm_put_u16(w, vtpm_bank_alg(b));
		vtpm_put_u8(w, 3);
		vtpm_put_u8(w, on);
		vtpm_put_u8(w, on);
		vtpm_put_u8(w, on);
	}
	return false;
}

/* Handles in use, ascending, from `first` in the range `first`'s type (Part 3, 30.2.1). */
static bool handle_type_valid(uint8_t type)
{
	return type == TPM_HT_PCR || type == TPM_HT_NV_INDEX || type == TPM_HT_HMAC_SESSION ||
	       type == TPM_HT_POLICY_SESSION || type == TPM_HT_PERMANENT || type == TPM_HT_TRANSIENT ||
	       type == TPM_HT_PERSISTENT;
}

/* The handles in use of one type, unsorted (valid types only, see handle_type_valid). */
static uint32_t collect_handles(struct vtpm *t, uint8_t type, uint32_t *list)
{
	static const uint32_t perm[] = { TPM_RH_OWNER, TPM_RH_NULL, TPM_RS_PW, TPM_RH_LOCKOUT,
					  TPM_RH_ENDORSEMENT, TPM_RH_PLATFORM, TPM_RH_PLATFORM_NV };
	uint32_t n = 0;

	switch (type) {
	case TPM_HT_PCR:
		for (uint32_t i = 0; i < VTPM_PCR_COUNT; i++)
			list[n++] = i;
		break;
	case TPM_HT_NV_INDEX:
		for (unsigned i = 0; i < VTPM_NV_INDICES; i++)
			if (t->p.nv[i].used)
				list[n++] = t->p.nv[i].handle;
		break;
	/* For this capability 0x02 means TPM_HT_LOADED_SESSION and 0x03 TPM_HT_SAVED_SESSION
	 * (Part 2, 7.2): sessions of any type, by whether their context is saved. */
	case TPM_HT_HMAC_SESSION:
	case TPM_HT_POLICY_SESSION:
		for (unsigned i = 0; i < VTPM_SESSIONS; i++)
			if (t->sessions[i].used && t->sessions[i].saved == (type == TPM_HT_POLICY_SESSION))
				list[n++] = t->sessions[i].handle;
		break;
	case TPM_HT_PERMANENT:
		for (unsigned i = 0; i < sizeof(perm) / sizeof(perm[0]); i++)
			list[n++] = perm[i];
		break;
	case TPM_HT_TRANSIENT:
		for (unsigned i = 0; i < VTPM_OBJECTS; i++)
			if (t->objects[i].used)
				list[n++] = t->objects[i].handle;
		break;
	default: /* TPM_HT_PERSISTENT */
		for (unsigned i = 0; i < VTPM_PERSISTENT; i++)
			if (t->p.pobj[i].handle)
				list[n++] = t->p.pobj[i].handle;
		break;
	}
	return n;
}

static bool cap_handles(struct vtpm *t, struct vtpm_wr *w, uint32_t first, uint32_t count)
{
	uint32_t list[VTPM_PCR_COUNT + VTPM_NV_INDICES], n, out = 0;
	uint8_t type = (uint8_t)(first >> 24);
	bool more = false;
	/* Session lists hold HMAC (0x02) and policy (0x03) handles under either type, so order and
	 * the `first` bound use the low 24 bits there. */
	uint32_t key_mask = (type == TPM_HT_HMAC_SESSION || type == TPM_HT_POLICY_SESSION) ? 0xFFFFFFu
											 : 0xFFFFFFFFu;
	size_t at;

	_Static_assert(VTPM_PCR_COUNT + VTPM_NV_INDICES >= 7 + VTPM_SESSIONS + VTPM_OBJECTS,
		       "handle list large enough for every type");
	n = collect_handles(t, type, list);
	first &= key_mask;
	for (uint32_t i = 1; i < n; i++) { /* insertion sort: tiny lists */
		for (uint32_t j = i; j > 0 && (list[j - 1] & key_mask) > (list[j] & key_mask); j--) {
			uint32_t x = list[j];
			list[j] = list[j - 1];
			list[j - 1] = x;
		}
	}
	vtpm_put_u32(w, TPM_CAP_HANDLES);
	at = w->len;
	vtpm_put_u32(w, 0);
	for (uint32_t i = 0; i < n; i++) {
		if ((list[i] & key_mask) < first)
			continue;
		if (out >= count) {
			more = true;
			break;
		}
		vtpm_put_u32(w, list[i]);
		out++;
	}
	if (!w->overflow)
		vtpm_set_be32(w->p + at, out);
	return more;
}

static uint32_t count_nv(const struct vtpm *t, bool counters)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < VTPM_NV_INDICES; i++) {
		const struct vtpm_nv_index *x = &t->p.nv[i];
		if (x->used && (!counters || ((x->attrs & TPMA_NV_TPM_NT_MASK) >> TPMA_NV_TPM_NT_SHIFT) ==
							      TPM_NT_COUNTER))
			n++;
	}
	return n;
}

static bool property(struct vtpm *t, uint32_t pt, uint32_t *v)
{
	uint32_t loaded = 0, active = 0;

	for (unsigned i = 0; i < VTPM_OBJECTS; i++)
		loaded += t->objects[i].used;
	for (unsigned i = 0; i < VTPM_SESSIONS; i++)
		active += t->sessions[i].used;
	switch (pt) {
	case TPM_PT_FAMILY_INDICATOR: *v = 0x322E3000u; return true; /* "2.0" */
	case TPM_PT_LEVEL: *v = VTPM_SPEC_LEVEL; return true;
	case TPM_PT_REVISION: *v = VTPM_SPEC_REVISION; return true;
	case TPM_PT_DAY_OF_YEAR: *v = VTPM_SPEC_DAY; return true;
	case TPM_PT_YEAR: *v = VTPM_SPEC_YEAR; return true;
	case TPM_PT_MANUFACTURER: *v = VTPM_MANUFACTURER; return true;
	case TPM_PT_VENDOR_STRING_1: *v = 0x4D616E74u; return true; /* "Mant" */
	case TPM_PT_VENDOR_STRING_2: *v = 0x6C652076u; return true; /* "le v" */
	case TPM_PT_VENDOR_STRING_3: *v = 0x54504D00u; return true; /* "TPM\0" */
	case TPM_PT_VENDOR_STRING_4: *v = 0; return true;
	case TPM_PT_VENDOR_TPM_TYPE: *v = 1; return true;
	case TPM_PT_FIRMWARE_VERSION_1: *v = VTPM_FIRMWARE_1; return true;
	case TPM_PT_FIRMWARE_VERSION_2: *v = VTPM_FIRMWARE_2; return true;
	case TPM_PT_INPUT_BUFFER: *v = VTPM_NV_BUFFER_MAX; return true;
	case TPM_PT_HR_TRANSIENT_MIN: *v = VTPM_OBJECTS; return true;
	case TPM_PT_HR_PERSISTENT_MIN: *v = VTPM_PERSISTENT; return true;
	case TPM_PT_HR_LOADED_MIN: *v = VTPM_SESSIONS; return true;
	case TPM_PT_ACTIVE_SESSIONS_MAX: *v = VTPM_SESSIONS; return true;
	case TPM_PT_PCR_COUNT: *v = VTPM_PCR_COUNT; return true;
	case TPM_PT_PCR_SELECT_MIN: *v = 3; return true;
	case TPM_PT_CONTEXT_GAP_MAX: *v = 0xFFFFu; return true;
	case TPM_PT_NV_COUNTERS_MAX: *v = VTPM_NV_INDICES; return true;
	case TPM_PT_NV_INDEX_MAX: *v = VTPM_NV_INDEX_MAX; return true;
	case TPM_PT_MEMORY: *v = 0; return true;
	case TPM_PT_CLOCK_UPDATE: *v = 1000; return true;
	case TPM_PT_CONTEXT_HASH: *v = TPM_ALG_SHA256; return true;
	case TPM_PT_CONTEXT_SYM: *v = TPM_ALG_AES; return true;
	case TPM_PT_CONTEXT_SYM_SIZE: *v = 128; return true;
	case TPM_PT_ORDERLY_COUNT: *v = 0; return true;
	case TPM_PT_MAX_COMMAND_SIZE: *v = VTPM_MAX_COMMAND; return true;
	case TPM_PT_MAX_RESPONSE_SIZE: *v = VTPM_MAX_RESPONSE; return true;
	case TPM_PT_MAX_DIGEST: *v = 64; return true;
	/* TPMS_CONTEXT: sequence, savedHandle, hierarchy, blob size, integrity TPM2B, encrypted slot */
	case TPM_PT_MAX_OBJECT_CONTEXT: *v = VTPM_OBJECT_CONTEXT_MAX; return true;
	case TPM_PT_MAX_SESSION_CONTEXT: *v = 8 + 4 + 4 + 2 + 34 + sizeof(struct vtpm_session); return true;
	case TPM_PT_PS_FAMILY_INDICATOR: *v = 1; return true; /* PC Client */
	case TPM_PT_PS_LEVEL: *v = 0; return true;
	case TPM_PT_PS_REVISION: *v = 0x105; return true;
	case TPM_PT_PS_DAY_OF_YEAR: *v = 0; return true;
	case TPM_PT_PS_YEAR: *v = 0; return true;
	case TPM_PT_SPLIT_MAX: *v = 0; return true;
	case TPM_PT_TOTAL_COMMANDS: *v = (uint32_t)vtpm_command_count; return true;
	case TPM_PT_LIBRARY_COMMANDS: *v = (uint32_t)vtpm_command_count; return true;
	case TPM_PT_VENDOR_COMMANDS: *v = 0; return true;
	case TPM_PT_NV_BUFFER_MAX: *v = VTPM_NV_BUFFER_MAX; return true;
	case TPM_PT_MODES: *v = 0; return true;
	case TPM_PT_MAX_CAP_BUFFER: *v = MAX_CAP_DATA; return true;
	case TPM_PT_PERMANENT:
		/* TPMA_PERMANENT: ownerAuthSet(0) endorsementAuthSet(1) lockoutAuthSet(2)
		 * disableClear(8) inLockout(9) */
		*v = (t->p.owner_auth_len ? 1u : 0) | (t->p.endorsement_auth_len ? 2u : 0) |
		     (t->p.lockout_auth_len ? 4u : 0) | (t->p.disable_clear ? 0x100u : 0) |
		     (t->p.da_recovery_time && t->p.da_failed_tries >= t->p.da_max_tries ? 0x200u : 0);
		return true;
	case TPM_PT_STARTUP_CLEAR:
		/* TPMA_STARTUP_CLEAR: phEnable(0) shEnable(1) ehEnable(2) phEnableNV(3) orderly(31) */
		*v = (t->ph_enable ? 1u : 0) | (t->sh_enable ? 2u : 0) | (t->eh_enable ? 4u : 0) |
		     (t->ph_enable_nv ? 8u : 0);
		return true;
	case TPM_PT_HR_NV_INDEX: *v = count_nv(t, false); return true;
	case TPM_PT_HR_LOADED: *v = loaded; return true;
	case TPM_PT_HR_LOADED_AVAIL: *v = VTPM_OBJECTS - loaded; return true;
	case TPM_PT_HR_ACTIVE: *v = active; return true;
	case TPM_PT_HR_ACTIVE_AVAIL: *v = VTPM_SESSIONS - active; return true;
	case TPM_PT_HR_TRANSIENT_AVAIL: *v = VTPM_OBJECTS - loaded; return true;
	case TPM_PT_HR_PERSISTENT: *v = vtpm_persistent_count(t); return true;
	case TPM_PT_HR_PERSISTENT_AVAIL: *v = VTPM_PERSISTENT - vtpm_persistent_count(t); return true;
	case TPM_PT_NV_COUNTERS: *v = count_nv(t, true); return true;
	case TPM_PT_NV_COUNTERS_AVAIL: *v = VTPM_NV_INDICES - count_nv(t, false); return true;
	case TPM_PT_ALGORITHM_SET: *v = 0; return true;
	case TPM_PT_LOADED_CURVES: *v = 0; return true;
	case TPM_PT_LOCKOUT_COUNTER: *v = t->p.da_failed_tries; return true;
	case TPM_PT_MAX_AUTH_FAIL: *v = t->p.da_max_tries; return true;
	case TPM_PT_LOCKOUT_INTERVAL: *v = t->p.da_recovery_time; return true;
	case TPM_PT_LOCKOUT_RECOVERY: *v = t->p.da_lockout_recovery; return true;
	case TPM_PT_NV_WRITE_RECOVERY: *v = 0; return true;
	case TPM_PT_AUDIT_COUNTER_0: *v = 0; return true;
	case TPM_PT_AUDIT_COUNTER_1: *v = 0; return true;
	default: return false;
	}
}

static bool cap_properties(struct vtpm *t, struct vtpm_wr *w, uint32_t first, uint32_t count)
{
	uint32_t n = 0, v;
	size_t at;

	vtpm_put_u32(w, TPM_CAP_TPM_PROPERTIES);
	at = w->len;
	vtpm_put_u32(w, 0);
	for (uint32_t pt = first < TPM_PT_FIXED ? TPM_PT_FIXED : first; pt <= TPM_PT_LAST; pt++) {
		if (!property(t, pt, &v))
			continue;
		if (n >= count) {
			if (!w->overflow)
				vtpm_set_be32(w->p + at, n);
			return true;
		}
		vtpm_put_u32(w, pt);
		vtpm_put_u32(w, v);
		n++;
	}
	if (!w->overflow)
		vtpm_set_be32(w->p + at, n);
	return false;
}

/* TPML_TAGGED_PCR_PROPERTY: for each TPM_PT_PCR tag, the PCRs that have it. */
static bool pcr_has(uint32_t tag, unsigned pcr)
{
	switch (tag) {
	case TPM_PT_PCR_SAVE:
		return pcr < VTPM_PCR_SAVED;
	case TPM_PT_PCR_EXTEND_L0:
	case TPM_PT_PCR_EXTEND_L0 + 2:
	case TPM_PT_PCR_EXTEND_L0 + 4:
	case TPM_PT_PCR_EXTEND_L0 + 6:
	case TPM_PT_PCR_EXTEND_L4: {
		unsigned loc = (tag - TPM_PT_PCR_EXTEND_L0) / 2;
		return vtpm_pcr_extend_allowed(pcr, (uint8_t)loc);
	}
	case TPM_PT_PCR_RESET_L0:
	case TPM_PT_PCR_RESET_L0 + 2:
	case TPM_PT_PCR_RESET_L0 + 4:
	case TPM_PT_PCR_RESET_L0 + 6:
	case TPM_PT_PCR_RESET_L4:
		return pcr == 16 || pcr == 23;
	case TPM_PT_PCR_NO_INCREMENT:
		return pcr == 16 || pcr == 21 || pcr == 22 || pcr == 23;
	case TPM_PT_PCR_DRTM_RESET:
		return pcr >= 17 && pcr <= 22;
	default:
		return false;
	}
}

static bool cap_pcr_properties(struct vtpm_wr *w, uint32_t first, uint32_t count)
{
	static const uint32_t tags[] = { TPM_PT_PCR_SAVE, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
					 0x09, 0x0A, TPM_PT_PCR_NO_INCREMENT, TPM_PT_PCR_DRTM_RESET,
					 TPM_PT_PCR_POLICY, TPM_PT_PCR_AUTH };
	uint32_t n = 0;
	size_t at;

	vtpm_put_u32(w, TPM_CAP_PCR_PROPERTIES);
	at = w->len;
	vtpm_put_u32(w, 0);
	for (unsigned i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		uint8_t bits[3] = { 0 };
		if (tags[i] < first)
			continue;
		if (n >= count) {
			if (!w->overflow)
				vtpm_set_be32(w->p + at, n);
			return true;
		}
		for (unsigned p = 0; p < VTPM_PCR_COUNT; p++)
			if (pcr_has(tags[i], p))
				bits[p / 8] |= (uint8_t)(1u << (p % 8));
		vtpm_put_u32(w, tags[i]);
		vtpm_put_u8(w, 3);
		vtpm_put_bytes(w, bits, 3);
		n++;
	}
	if (!w->overflow)
		vtpm_set_be32(w->p + at, n);
	return false;
}

uint32_t vtpm_cmd_get_capability(struct vtpm *t, struct vtpm_cmd *c)
{
	uint32_t cap, prop, count;
	struct vtpm_wr w;
	bool more = false;

	if (!vtpm_get_u32(&c->in, &cap))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (!vtpm_get_u32(&c->in, &prop))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (!vtpm_get_u32(&c->in, &count))
		return RC_P(TPM_RC_INSUFFICIENT, 3);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	/* The answer is written in place after the moreData byte, bounded to MAX_CAP_DATA. */
	vtpm_put_u8(&c->out, 0);
	if (c->out.overflow || c->out.cap - c->out.len < MAX_CAP_DATA)
		return TPM_RC_FAILURE;
	w = (struct vtpm_wr){ .p = c->out.p + c->out.len, .cap = MAX_CAP_DATA };
	/* Keep every answer within one response: at most what fits (each item is <= 8 bytes). */
	if (count > (MAX_CAP_DATA - 8) / 8)
		count = (MAX_CAP_DATA - 8) / 8;
	switch (cap) {
	case TPM_CAP_ALGS:
		if (prop > 0xFFFFu)
			return RC_P(TPM_RC_VALUE, 2);
		more = cap_algs(&w, prop, count);
		break;
	case TPM_CAP_HANDLES:
		if (!handle_type_valid((uint8_t)(prop >> 24)))
			return RC_P(TPM_RC_VALUE, 2);
		more = cap_handles(t, &w, prop, count);
		break;
	case TPM_CAP_COMMANDS:
		more = cap_commands(&w, prop, count);
		break;
	case TPM_CAP_PP_COMMANDS:
	case TPM_CAP_AUDIT_COMMANDS:
		more = cap_cc_list(&w, cap);
		break;
	case TPM_CAP_PCRS:
		more = cap_pcrs(t, &w);
		break;
	case TPM_CAP_TPM_PROPERTIES:
		more = cap_properties(t, &w, prop, count);
		break;
	case TPM_CAP_PCR_PROPERTIES:
		more = cap_pcr_properties(&w, prop, count);
		break;
	case TPM_CAP_ECC_CURVES: {
		uint16_t curves[2];
		uint32_t n = 0, at;

		if (prop <= TPM_ECC_NIST_P256)
			curves[n++] = TPM_ECC_NIST_P256;
		if (prop <= TPM_ECC_NIST_P384 && vtpm_have_p384())
			curves[n++] = TPM_ECC_NIST_P384;
		vtpm_put_u32(&w, TPM_CAP_ECC_CURVES);
		at = n < count ? n : count;
		more = n > at;
		vtpm_put_u32(&w, at);
		for (uint32_t i = 0; i < at; i++)
			vtpm_put_u16(&w, curves[i]);
		break;
	}
	default:
		return RC_P(TPM_RC_VALUE, 1);
	}
	if (w.overflow)
		return TPM_RC_FAILURE;
	c->out.p[c->out.len - 1] = more;
	c->out.len += w.len;
	return 0;
}

/* TestParms (Part 3, 10.3): the parameters of any object type CreatePrimary accepts (public.c),
 * RSA and P-384 only when the crypto layer implements them. */
uint32_t vtpm_cmd_test_parms(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_public tp;
	uint32_t rc;

	(void)t;
	memset(&tp, 0, sizeof(tp));
	if (!vtpm_get_u16(&c->in, &tp.type))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	rc = vtpm_public_parms_parse(&c->in, 1, &tp);
	if (rc) {
		c->in.off = c->in.len;
		return rc;
	}
	if (tp.type == TPM_ALG_RSA && !vtpm_have_rsa())
		return RC_P(TPM_RC_VALUE, 1);
	if (tp.type == TPM_ALG_KEYEDHASH && tp.scheme == TPM_ALG_XOR)
		return RC_P(TPM_RC_SCHEME, 1); /* no XOR (derivation) objects */
	if (tp.type == TPM_ALG_ECC && tp.curve == TPM_ECC_NIST_P384 && !vtpm_have_p384())
		return RC_P(TPM_RC_CURVE, 1);
	return 0;
}
