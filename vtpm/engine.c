/* Command framing and dispatch (TPM 2.0 Library Part 3, 5 "Command Processing" and Part 1, 18).
 *
 * Order of checks, each answered with the spec's code and no state modified:
 *   header (tag, size, code) -> initialisation/failure mode -> handle area -> session area ->
 *   authorization -> handler (which parses all parameters before it changes anything) ->
 *   persistence of changed state -> response sessions.
 */
#include "core/str.h"
#include "vtpm/internal.h"

#define CMD(code, func, nh, na, rh, nvw, fl) \
	{ .cc = (code), .fn = (func), .n_handles = (nh), .n_auth = (na), .rhandle = (rh), \
	  .nv = (nvw), .flushed = (fl) }

/* A command with a handle in the ADMIN or DUP role (Part 3's "Auth Role"; Part 1, 19.7.2) names
 * the roles of handles 1 and 2: Certify, ActivateCredential, ObjectChangeAuth have ADMIN on the
 * object handle, Duplicate DUP. Every other authorized handle has the USER role. */
#define CMDR(code, func, nh, na, rh, nvw, fl, r1, r2) \
	{ .cc = (code), .fn = (func), .n_handles = (nh), .n_auth = (na), .rhandle = (rh), \
	  .nv = (nvw), .flushed = (fl), .role = { (r1), (r2) } }

/* Sorted by command code: GetCapability(TPM_CAP_COMMANDS) walks it in order. */
const struct vtpm_cmd_desc vtpm_commands[] = {
	CMD(TPM_CC_EvictControl, vtpm_cmd_evict_control, 2, 1, false, true, false), /* objects */
	CMD(TPM_CC_HierarchyControl, vtpm_cmd_hierarchy_control, 1, 1, false, true, false),
	CMD(TPM_CC_NV_UndefineSpace, vtpm_cmd_nv_undefine_space, 2, 1, false, true, false),
	CMD(TPM_CC_Clear, vtpm_cmd_clear, 1, 1, false, true, false),
	CMD(TPM_CC_ClearControl, vtpm_cmd_clear_control, 1, 1, false, true, false),
	CMD(TPM_CC_ClockSet, vtpm_cmd_clock_set, 1, 1, false, true, false),
	CMD(TPM_CC_HierarchyChangeAuth, vtpm_cmd_hierarchy_change_auth, 1, 1, false, true, false),
	CMD(TPM_CC_NV_DefineSpace, vtpm_cmd_nv_define_space, 1, 1, false, true, false),
	CMD(TPM_CC_PCR_Allocate, vtpm_cmd_pcr_allocate, 1, 1, false, true, false),
	CMD(TPM_CC_CreatePrimary, vtpm_cmd_create_primary, 1, 1, true, false, false),
	CMD(TPM_CC_NV_Increment, vtpm_cmd_nv_increment, 2, 1, false, true, false),
	CMD(TPM_CC_NV_SetBits, vtpm_cmd_nv_set_bits, 2, 1, false, true, false),
	CMD(TPM_CC_NV_Extend, vtpm_cmd_nv_extend, 2, 1, false, true, false),
	CMD(TPM_CC_NV_Write, vtpm_cmd_nv_write, 2, 1, false, true, false),
	CMD(TPM_CC_NV_WriteLock, vtpm_cmd_nv_write_lock, 2, 1, false, true, false),
	CMD(TPM_CC_DictionaryAttackLockReset, vtpm_cmd_da_lock_reset, 1, 1, false, true, false),
	CMD(TPM_CC_DictionaryAttackParameters, vtpm_cmd_da_parameters, 1, 1, false, true, false),
	CMD(TPM_CC_PCR_Event, vtpm_cmd_pcr_event, 1, 1, false, false, false),
	CMD(TPM_CC_PCR_Reset, vtpm_cmd_pcr_reset, 1, 1, false, false, false),
	CMD(TPM_CC_SequenceComplete, vtpm_cmd_sequence_complete, 1, 1, false, false, true),
	CMD(TPM_CC_IncrementalSelfTest, vtpm_cmd_incremental_self_test, 0, 0, false, false, false),
	CMD(TPM_CC_SelfTest, vtpm_cmd_self_test, 0, 0, false, false, false),
	CMD(TPM_CC_Startup, vtpm_cmd_startup, 0, 0, false, true, false),
	CMD(TPM_CC_Shutdown, vtpm_cmd_shutdown, 0, 0, false, true, false),
	CMD(TPM_CC_StirRandom, vtpm_cmd_stir_random, 0, 0, false, false, false),
	/* credentials */ CMDR(TPM_CC_ActivateCredential, vtpm_cmd_activate_credential, 2, 2, false, false, false,
				  VTPM_ROLE_ADMIN, VTPM_ROLE_USER),
	/* attest */ CMDR(TPM_CC_Certify, vtpm_cmd_certify, 2, 2, false, false, false, VTPM_ROLE_ADMIN, 0),
	/* policy */ CMD(TPM_CC_PolicyNV, vtpm_cmd_policy_nv, 3, 1, false, false, false),
	/* attest */ CMD(TPM_CC_CertifyCreation, vtpm_cmd_certify_creation, 2, 1, false, false, false),
	/* duplication */ CMDR(TPM_CC_Duplicate, vtpm_cmd_duplicate, 2, 1, false, false, false, VTPM_ROLE_DUP, 0),
	/* attest */ CMD(TPM_CC_GetTime, vtpm_cmd_get_time, 2, 2, false, false, false),
	/* attest */ CMD(TPM_CC_GetSessionAuditDigest, vtpm_cmd_get_session_audit_digest, 3, 2, false, false, false),
	CMD(TPM_CC_NV_Read, vtpm_cmd_nv_read, 2, 1, false, false, false),
	CMD(TPM_CC_NV_ReadLock, vtpm_cmd_nv_read_lock, 2, 1, false, false, false),
	CMDR(TPM_CC_ObjectChangeAuth, vtpm_cmd_object_change_auth, 2, 1, false, false, false, VTPM_ROLE_ADMIN, 0),
	/* policy */ CMD(TPM_CC_PolicySecret, vtpm_cmd_policy_secret, 2, 1, false, false, false),
	CMD(TPM_CC_Create, vtpm_cmd_create, 1, 1, false, false, false), /* objects */
	/* attest */ CMD(TPM_CC_ECDH_ZGen, vtpm_cmd_ecdh_zgen, 1, 1, false, false, false),
	CMD(TPM_CC_HMAC, vtpm_cmd_hmac, 1, 1, false, false, false),
	/* duplication */ CMD(TPM_CC_Import, vtpm_cmd_import, 1, 1, false, false, false),
	CMD(TPM_CC_Load, vtpm_cmd_load, 1, 1, true, false, false), /* objects */
	CMD(TPM_CC_Quote, vtpm_cmd_quote, 1, 1, false, false, false),
	CMD(TPM_CC_RSA_Decrypt, vtpm_cmd_rsa_decrypt, 1, 1, false, false, false), /* objects */
	CMD(TPM_CC_HMAC_Start, vtpm_cmd_hmac_start, 1, 1, true, false, false),
	CMD(TPM_CC_SequenceUpdate, vtpm_cmd_sequence_update, 1, 1, false, false, false),
	CMD(TPM_CC_Sign, vtpm_cmd_sign, 1, 1, false, false, false),
	CMD(TPM_CC_Unseal, vtpm_cmd_unseal, 1, 1, false, false, false), /* objects */
	/* policy */ CMD(TPM_CC_PolicySigned, vtpm_cmd_policy_signed, 2, 0, false, false, false),
	CMD(TPM_CC_ContextLoad, vtpm_cmd_context_load, 0, 0, true, false, false),
	CMD(TPM_CC_ContextSave, vtpm_cmd_context_save, 1, 0, false, false, false),
	/* attest */ CMD(TPM_CC_ECDH_KeyGen, vtpm_cmd_ecdh_keygen, 1, 0, false, false, false),
	CMD(TPM_CC_EncryptDecrypt, vtpm_cmd_encrypt_decrypt, 1, 1, false, false, false), /* objects */
	CMD(TPM_CC_FlushContext, vtpm_cmd_flush_context, 0, 0, false, false, false),
	CMD(TPM_CC_LoadExternal, vtpm_cmd_load_external, 0, 0, true, false, false),
	/* credentials */ CMD(TPM_CC_MakeCredential, vtpm_cmd_make_credential, 1, 0, false, false, false),
	CMD(TPM_CC_NV_ReadPublic, vtpm_cmd_nv_read_public, 1, 0, false, false, false),
	/* policy: PolicyAuthorize .. PolicyOR */
	CMD(TPM_CC_PolicyAuthorize, vtpm_cmd_policy_authorize, 1, 0, false, false, false),
	CMD(TPM_CC_PolicyAuthValue, vtpm_cmd_policy_auth_value, 1, 0, false, false, false),
	CMD(TPM_CC_PolicyCommandCode, vtpm_cmd_policy_command_code, 1, 0, false, false, false),
	CMD(TPM_CC_PolicyCounterTimer, vtpm_cmd_policy_counter_timer, 1, 0, false, false, false),
	CMD(TPM_CC_PolicyCpHash, vtpm_cmd_policy_cp_hash, 1, 0, false, false, false),
	CMD(TPM_CC_PolicyLocality, vtpm_cmd_policy_locality, 1, 0, false, false, false),
	CMD(TPM_CC_PolicyNameHash, vtpm_cmd_policy_name_hash, 1, 0, false, false, false),
	CMD(TPM_CC_PolicyOR, vtpm_cmd_policy_or, 1, 0, false, false, false),
	CMD(TPM_CC_PolicyTicket, vtpm_cmd_policy_ticket, 1, 0, false, false, false),
	/* end of policy block */
	CMD(TPM_CC_ReadPublic, vtpm_cmd_read_public, 1, 0, false, false, false),
	CMD(TPM_CC_RSA_Encrypt, vtpm_cmd_rsa_encrypt, 1, 0, false, false, false), /* objects */
	CMD(TPM_CC_StartAuthSession, vtpm_cmd_start_auth_session, 2, 0, true, false, false),
	CMD(TPM_CC_VerifySignature, vtpm_cmd_verify_signature, 1, 0, false, false, false),
	CMD(TPM_CC_GetCapability, vtpm_cmd_get_capability, 0, 0, false, false, false),
	CMD(TPM_CC_GetRandom, vtpm_cmd_get_random, 0, 0, false, false, false),
	CMD(TPM_CC_GetTestResult, vtpm_cmd_get_test_result, 0, 0, false, false, false),
	CMD(TPM_CC_Hash, vtpm_cmd_hash, 0, 0, false, false, false),
	CMD(TPM_CC_PCR_Read, vtpm_cmd_pcr_read, 0, 0, false, false, false),
	/* policy */ CMD(TPM_CC_PolicyPCR, vtpm_cmd_policy_pcr, 1, 0, false, false, false),
	/* policy */ CMD(TPM_CC_PolicyRestart, vtpm_cmd_policy_restart, 1, 0, false, false, false),
	CMD(TPM_CC_ReadClock, vtpm_cmd_read_clock, 0, 0, false, false, false),
	CMD(TPM_CC_PCR_Extend, vtpm_cmd_pcr_extend, 1, 1, false, false, false),
	/* attest */ CMD(TPM_CC_NV_Certify, vtpm_cmd_nv_certify, 3, 2, false, false, false),
	CMD(TPM_CC_EventSequenceComplete, vtpm_cmd_event_sequence_complete, 2, 2, false, false, true),
	CMD(TPM_CC_HashSequenceStart, vtpm_cmd_hash_sequence_start, 0, 0, true, false, false),
	/* policy */ CMD(TPM_CC_PolicyPhysicalPresence, vtpm_cmd_policy_physical_presence, 1, 0, false, false, false),
	/* policy */ CMD(TPM_CC_PolicyDuplicationSelect, vtpm_cmd_policy_duplication_select, 1, 0, false, false, false),
	/* policy */ CMD(TPM_CC_PolicyGetDigest, vtpm_cmd_policy_get_digest, 1, 0, false, false, false),
	CMD(TPM_CC_TestParms, vtpm_cmd_test_parms, 0, 0, false, false, false),
	/* policy */ CMD(TPM_CC_PolicyPassword, vtpm_cmd_policy_password, 1, 0, false, false, false),
	/* policy */ CMD(TPM_CC_PolicyNvWritten, vtpm_cmd_policy_nv_written, 1, 0, false, false, false),
	/* policy */ CMD(TPM_CC_PolicyTemplate, vtpm_cmd_policy_template, 1, 0, false, false, false),
	CMD(TPM_CC_CreateLoaded, vtpm_cmd_create_loaded, 1, 1, true, false, false), /* objects */
	/* policy */ CMD(TPM_CC_PolicyAuthorizeNV, vtpm_cmd_policy_authorize_nv, 3, 1, false, false, false),
	CMD(TPM_CC_EncryptDecrypt2, vtpm_cmd_encrypt_decrypt2, 1, 1, false, false, false), /* objects */
};
const size_t vtpm_command_count = sizeof(vtpm_commands) / sizeof(vtpm_commands[0]);

size_t vtpm_state_size(void)
{
	return sizeof(struct vtpm);
}

void vtpm_set_locality(struct vtpm *t, uint8_t locality)
{
	t->locality = locality <= 4 ? locality : 0;
}

bool vtpm_in_failure(const struct vtpm *t, uint32_t *why)
{
	if (why)
		*why = t->failure_rc;
	return t->failure_rc != 0;
}

uint64_t vtpm_clock_now(const struct vtpm *t)
{
	uint64_t now = t->plat && t->plat->time_ms ? t->plat->time_ms(t->plat->ctx) : 0;

	return t->clock_origin + (now >= t->clock_at_ms ? now - t->clock_at_ms : 0);
}

bool vtpm_hash_from_alg(uint16_t tpm_alg, enum crypto_hash_alg *out)
{
	switch (tpm_alg) {
	case TPM_ALG_SHA1:
		*out = CRYPTO_SHA1;
		return true;
	case TPM_ALG_SHA256:
		*out = CRYPTO_SHA256;
		return true;
	case TPM_ALG_SHA384:
		*out = CRYPTO_SHA384;
		return true;
	case TPM_ALG_SHA512:
		*out = CRYPTO_SHA512;
		return true;
	default:
		return false;
	}
}

static const uint16_t bank_algs[VTPM_BANKS] = { TPM_ALG_SHA1, TPM_ALG_SHA256, TPM_ALG_SHA384 };
static const enum crypto_hash_alg bank_hashes[VTPM_BANKS] = { CRYPTO_SHA1, CRYPTO_SHA256, CRYPTO_SHA384 };

int vtpm_bank_of_alg(uint16_t tpm_alg)
{
	for (unsigned b = 0; b < VTPM_BANKS; b++) {
		if (bank_algs[b] == tpm_alg)
			return (int)b;
	}
	return -1;
}

uint16_t vtpm_bank_alg(unsigned bank)
{
	return bank_algs[bank];
}

enum crypto_hash_alg vtpm_bank_hash(unsigned bank)
{
	return bank_hashes[bank];
}

uint16_t vtpm_trim_zeros(const uint8_t *p, uint16_t len)
{
	while (len > 0 && p[len - 1] == 0)
		len--;
	return len;
}

static const struct vtpm_cmd_desc *find_command(uint32_t cc)
{
	for (size_t i = 0; i < vtpm_command_count; i++) {
		if (vtpm_commands[i].cc == cc)
			return &vtpm_commands[i];
	}
	return NULL;
}

static size_t error_response(uint8_t *rsp, size_t cap, uint32_t rc)
{
	if (cap < 10)
		return 0;
	vtpm_set_be16(rsp, TPM_ST_NO_SESSIONS);
	vtpm_set_be32(rsp + 2, 10);
	vtpm_set_be32(rsp + 6, rc);
	return 10;
}

/* Commands allowed in failure mode (Part 1, 12.3 "Failure Mode"). */
static bool allowed_in_failure(uint32_t cc)
{
	return cc == TPM_CC_GetTestResult || cc == TPM_CC_GetCapability;
}

static uint32_t parse_header(const uint8_t *cmd, size_t len, uint16_t *tag, uint32_t *cc)
{
	uint32_t size;

	if (len < 10)
		return TPM_RC_COMMAND_SIZE;
	*tag = vtpm_be16(cmd);
	size = vtpm_be32(cmd + 2);
	*cc = vtpm_be32(cmd + 6);
	if (*tag != TPM_ST_NO_SESSIONS && *tag != TPM_ST_SESSIONS)
		return TPM_RC_BAD_TAG;
	if (size != len || size > VTPM_MAX_COMMAND)
		return TPM_RC_COMMAND_SIZE;
	return TPM_RC_SUCCESS;
}

static uint32_t run(struct vtpm *t, const uint8_t *cmd, size_t len, struct vtpm_cmd *c,
		    const struct vtpm_cmd_desc **dout, const uint8_t **params, size_t *params_len)
{
	const struct vtpm_cmd_desc *d;
	struct vtpm_rd r;
	uint32_t rc;

	rc = parse_header(cmd, len, &c->tag, &c->cc);
	if (rc)
		return rc;
	if (t->failure_rc && !allowed_in_failure(c->cc))
		return TPM_RC_FAILURE;
	d = find_command(c->cc);
	if (!d)
		return TPM_RC_COMMAND_CODE;
	*dout = d;
	if (!t->started && c->cc != TPM_CC_Startup && !t->failure_rc)
		return TPM_RC_INITIALIZE;

	vtpm_rd_init(&r, cmd, len);
	r.off = 10;
	c->n_handles = d->n_handles;
	for (unsigned i = 0; i < d->n_handles; i++) {
		if (!vtpm_get_u32(&r, &c->handles[i]))
			return TPM_RC_INSUFFICIENT;
	}
	if (c->tag == TPM_ST_SESSIONS) {
		rc = vtpm_parse_sessions(t, c, &r);
		if (rc)
			return rc;
	} else if (d->n_auth > 0) {
		return TPM_RC_AUTH_MISSING;
	}
	*params = r.p + r.off;
	*params_len = vtpm_rd_left(&r);
	vtpm_rd_init(&c->in, *params, *params_len);
	rc = vtpm_authorize(t, c, d, *params, *params_len);
	if (rc)
		return rc;
	rc = vtpm_param_decrypt(t, c, *params, *params_len);
	if (rc)
		return rc;
	rc = d->fn(t, c);
	if (rc)
		return rc;
	/* Every parameter must have been consumed (Part 3, 5.4: trailing bytes are TPM_RC_SIZE). */
	if (vtpm_rd_left(&c->in) != 0)
		return TPM_RC_SIZE;
	if (c->out.overflow)
		return TPM_RC_FAILURE;
	return TPM_RC_SUCCESS;
}

size_t vtpm_execute(struct vtpm *t, const uint8_t *cmd, size_t cmd_len, uint8_t *rsp, size_t rsp_cap)
{
	const struct vtpm_cmd_desc *d = NULL;
	const uint8_t *params = NULL;
	size_t params_len = 0;
	struct vtpm_cmd c;
	struct vtpm_wr w;
	uint32_t rc;

	if (rsp_cap < 10)
		return 0;
	if (!t->powered)
		return error_response(rsp, rsp_cap, TPM_RC_FAILURE);
	memset(&c, 0, sizeof(c));
	c.out.p = t->rsp_params;
	c.out.cap = sizeof(t->rsp_params);
	/* Handlers parse and check every parameter before they change anything, so an error leaves
	 * PCR, NV and session state as it was. */
	rc = run(t, cmd, cmd_len, &c, &d, &params, &params_len);
	if (rc == TPM_RC_SUCCESS && c.nv_dirty)
		rc = vtpm_state_commit(t);
	if (rc != TPM_RC_SUCCESS)
		return error_response(rsp, rsp_cap, rc);
	if (c.tag == TPM_ST_SESSIONS) {
		vtpm_sessions_roll(t, &c);
		vtpm_param_encrypt(t, &c);
		if (c.out.overflow)
			return error_response(rsp, rsp_cap, TPM_RC_FAILURE);
	}
	vtpm_audit_update(t, &c); /* over the response parameters as sent (attest part) */

	w.p = rsp;
	w.cap = rsp_cap;
	w.len = 0;
	w.overflow = false;
	vtpm_put_u16(&w, c.tag);
	vtpm_put_u32(&w, 0); /* size, patched below */
	vtpm_put_u32(&w, TPM_RC_SUCCESS);
	if (d->rhandle)
		vtpm_put_u32(&w, c.rsp_handle);
	if (c.tag == TPM_ST_SESSIONS)
		vtpm_put_u32(&w, (uint32_t)c.out.len);
	vtpm_put_bytes(&w, c.out.p, c.out.len);
	if (c.tag == TPM_ST_SESSIONS)
		vtpm_respond_sessions(t, &c, &w, c.out.p, c.out.len);
	if (w.overflow)
		return error_response(rsp, rsp_cap, TPM_RC_FAILURE);
	vtpm_set_be32(rsp + 2, (uint32_t)w.len);
	return w.len;
}
