/* vTPM internals shared by the vtpm/ sources; not for use outside vtpm/. */
#ifndef MANTLE_VTPM_INTERNAL_H
#define MANTLE_VTPM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/crypto/crypto.h"
#include "vtpm/marshal.h"
#include "vtpm/tpm_types.h"
#include "vtpm/vtpm.h"

#define VTPM_PCR_COUNT 24u
#define VTPM_BANKS 3u /* SHA-1, SHA-256, SHA-384 */
#define VTPM_PCR_SAVED 16u /* PCRs 0-15 are saved by Shutdown(STATE) (PC Client PTP) */
#define VTPM_MAX_DIGEST 48u
#define VTPM_AUTH_MAX 64u
#define VTPM_NV_INDICES 16u
#define VTPM_NV_INDEX_MAX 2048u
#define VTPM_NV_BUFFER_MAX 1024u
#define VTPM_SESSIONS 3u
#define VTPM_OBJECTS 3u
#define VTPM_MAX_SESSIONS_IN_CMD 3u
#define VTPM_SEED_SIZE 64u
#define VTPM_BLOB_MAX (1024u + VTPM_NV_INDICES * (VTPM_NV_INDEX_MAX + 160u) + \
		       VTPM_BANKS * VTPM_PCR_SAVED * VTPM_MAX_DIGEST)

#define VTPM_MUST_CHECK __attribute__((warn_unused_result))

struct vtpm_nv_index {
	bool used;
	uint32_t handle;
	uint16_t name_alg;
	uint32_t attrs;
	uint16_t auth_len;
	uint16_t policy_len;
	uint16_t size;
	uint8_t auth[VTPM_AUTH_MAX];
	uint8_t policy[VTPM_AUTH_MAX];
	uint8_t data[VTPM_NV_INDEX_MAX];
};

/* Everything the NV blob holds (docs/vtpm.md, "NV blob"). */
struct vtpm_persist {
	uint8_t eps[VTPM_SEED_SIZE], sps[VTPM_SEED_SIZE], pps[VTPM_SEED_SIZE];
	uint8_t owner_auth[VTPM_AUTH_MAX], endorsement_auth[VTPM_AUTH_MAX], lockout_auth[VTPM_AUTH_MAX];
	uint16_t owner_auth_len, endorsement_auth_len, lockout_auth_len;
	bool disable_clear;
	uint32_t da_max_tries, da_recovery_time, da_lockout_recovery, da_failed_tries;
	uint64_t clock;
	uint32_t reset_count, restart_count;
	uint8_t pcr_alloc; /* bit b set: bank b allocated (takes effect at the next TPM Reset) */
	/* Orderly shutdown state, written by Shutdown(STATE), consumed by the next Startup. */
	bool saved_valid;
	bool orderly;
	uint8_t saved_pcr_alloc;
	uint8_t saved_pcr[VTPM_BANKS][VTPM_PCR_SAVED][VTPM_MAX_DIGEST];
	struct vtpm_nv_index nv[VTPM_NV_INDICES];
};

struct vtpm_session {
	bool used;
	bool saved; /* context saved and not loaded: the handle stays reserved */
	uint8_t type;
	uint16_t hash_tpm_alg;
	uint16_t sym_alg, sym_bits; /* recorded for parameter encryption (part 2) */
	enum crypto_hash_alg hash;
	uint32_t handle;
	uint32_t bind;
	uint8_t bind_id[32]; /* H(Name || authValue) of the bind entity at StartAuthSession */
	uint16_t nonce_len;
	uint8_t nonce_tpm[VTPM_AUTH_MAX];
	uint8_t nonce_caller[VTPM_AUTH_MAX];
	uint16_t nonce_caller_len;
	uint16_t key_len;
	uint8_t key[VTPM_AUTH_MAX];
	uint64_t saved_seq;
	/* ---- policy and trial sessions (policy.c; Part 1, 19.7) ---- */
	uint8_t policy[CRYPTO_HASH_MAX_DIGEST]; /* policyDigest, crypto_hash_size(hash) bytes */
	uint8_t pol_flags;                      /* VTPM_POL_* */
	uint8_t pol_u1;                         /* what pol_hash holds: VTPM_U1_* */
	uint8_t pol_locality;                   /* TPMA_LOCALITY; 0: any */
	uint32_t pol_cc;                        /* commandCode; 0: any */
	uint32_t pol_pcr_counter;               /* pcrUpdateCounter at PolicyPCR (VTPM_POL_PCR) */
	uint64_t pol_timeout;                   /* TPM time (ms) the policy expires at; 0: never */
	uint64_t start_time;                    /* TPM time (ms) of the last nonceTPM roll */
	uint8_t pol_hash[CRYPTO_HASH_MAX_DIGEST]; /* cpHash, nameHash or templateHash */
};

/* pol_flags */
#define VTPM_POL_TRIAL 0x01u
#define VTPM_POL_AUTHVALUE 0x02u   /* PolicyAuthValue: HMAC keyed with the entity's authValue */
#define VTPM_POL_PASSWORD 0x04u    /* PolicyPassword: the authValue in clear in the HMAC field */
#define VTPM_POL_PCR 0x08u         /* PolicyPCR ran: pol_pcr_counter must still be current */
#define VTPM_POL_NVWRITTEN 0x10u   /* PolicyNvWritten ran ... */
#define VTPM_POL_NVWRITTEN_SET 0x20u /* ... and wants TPMA_NV_WRITTEN set */
#define VTPM_POL_PP 0x40u          /* PolicyPhysicalPresence: needs physical presence asserted */
/* pol_u1 */
#define VTPM_U1_NONE 0u
#define VTPM_U1_CPHASH 1u
#define VTPM_U1_NAMEHASH 2u
#define VTPM_U1_TEMPLATE 3u

enum vtpm_obj_kind {
	VTPM_OBJ_HASH_SEQ = 1,
	VTPM_OBJ_HMAC_SEQ = 2,
	VTPM_OBJ_EVENT_SEQ = 3,
	VTPM_OBJ_KEYEDHASH = 4, /* an HMAC key loaded with LoadExternal */
	VTPM_OBJ_ECC = 5,       /* an ECC P-256 signing key (CreatePrimary), ecc.c */
};

#define VTPM_FIRMWARE_1 0x00010000u /* Mantle 0.1 (TPM_PT_FIRMWARE_VERSION_1) */
#define VTPM_FIRMWARE_2 0x00000000u

#define VTPM_PUBLIC_MAX 256u
#define VTPM_SYM_DATA_MAX 128u /* MAX_SYM_DATA */

struct vtpm_object {
	bool used;
	uint8_t kind;
	uint16_t alg; /* TPM_ALG of a hash or HMAC sequence */
	uint32_t handle;
	uint16_t auth_len;
	uint8_t auth[VTPM_AUTH_MAX];
	struct crypto_hash_ctx h[VTPM_BANKS]; /* [0] for hash sequences; one per bank for events */
	struct crypto_hmac_ctx mac;
	/* keyedHash objects: the TPMT_PUBLIC as loaded, its Name, the key */
	uint16_t name_alg;
	uint16_t scheme_hash; /* TPM_ALG_NULL when the key's scheme leaves the hash to the command */
	uint32_t attrs;       /* TPMA_OBJECT */
	bool has_sensitive;
	uint16_t pub_len, name_len, key_len;
	uint8_t pub[VTPM_PUBLIC_MAX];
	uint8_t name[2 + CRYPTO_HASH_MAX_DIGEST];
	uint8_t key[VTPM_SYM_DATA_MAX]; /* ECC: the private scalar (32 bytes) */
	/* ECC keys: hierarchy (TPM_RH_*) the primary was created in, signing scheme, public point */
	uint32_t hierarchy;
	uint16_t scheme; /* TPM_ALG_ECDSA or TPM_ALG_NULL (hash in scheme_hash) */
	uint8_t ecc_xy[CRYPTO_P256_POINT];
	/* authPolicy of keys (Part 1, 19.7.11): what a policy session's digest must equal */
	uint16_t policy_len;
	uint8_t policy[CRYPTO_HASH_MAX_DIGEST];
};

/* Objects with a Name and an authValue (keys), as opposed to sequences. */
static inline bool vtpm_obj_is_key(const struct vtpm_object *o)
{
	return o->kind == VTPM_OBJ_KEYEDHASH || o->kind == VTPM_OBJ_ECC;
}

/* Largest ContextSave output for an object (TPM_PT_MAX_OBJECT_CONTEXT): TPMS_CONTEXT header (18),
 * integrity TPM2B (34), encoded state (kind, alg, auth TPM2B, then an event sequence's three hash
 * states, the largest variant; context.c checks that). */
#define VTPM_OBJECT_STATE_MAX (1u + 2u + 2u + VTPM_AUTH_MAX + VTPM_BANKS * sizeof(struct crypto_hash_ctx))
#define VTPM_OBJECT_CONTEXT_MAX (18u + 34u + VTPM_OBJECT_STATE_MAX)

struct vtpm {
	const struct vtpm_platform *plat;
	bool powered;
	bool started;
	uint32_t failure_rc; /* 0 unless in failure mode */
	uint8_t locality;
	struct crypto_drbg drbg;
	/* DRBG output drawn ahead in blocks (one HMAC_DRBG update per refill instead of per request);
	 * consumed bytes are wiped, and StirRandom discards the pool. */
	uint16_t rng_avail;
	uint8_t rng_pool[1024];
	struct vtpm_persist p;
	uint8_t active_alloc; /* banks active since the last TPM Reset */
	uint8_t pcr[VTPM_BANKS][VTPM_PCR_COUNT][VTPM_MAX_DIGEST];
	uint32_t pcr_update_counter;
	bool sh_enable, eh_enable, ph_enable, ph_enable_nv;
	uint16_t platform_auth_len;
	uint8_t platform_auth[VTPM_AUTH_MAX];
	bool lockout_locked;
	uint64_t lockout_locked_at; /* clock (ms) when lockoutAuth was locked */
	uint64_t da_heal_at;        /* clock (ms) of the last failedTries decrement */
	struct vtpm_session sessions[VTPM_SESSIONS];
	struct vtpm_object objects[VTPM_OBJECTS];
	bool drtm_active; /* between _TPM_Hash_Start and _TPM_Hash_End */
	bool hcrtm_active; /* ... when the sequence started before Startup (H-CRTM) */
	bool hcrtm_done;   /* H-CRTM digests wait in hcrtm[] for Startup(CLEAR) */
	uint8_t hcrtm[VTPM_BANKS][VTPM_MAX_DIGEST];
	struct crypto_hash_ctx drtm[VTPM_BANKS];
	uint64_t context_seq;
	uint8_t context_key[32];
	uint8_t null_seed[VTPM_SEED_SIZE]; /* NULL hierarchy seed, new at every _TPM_Init */
	uint64_t time_origin_ms; /* platform time at _TPM_Init */
	uint64_t clock_origin;   /* p.clock at _TPM_Init or the last ClockSet */
	uint64_t clock_at_ms;    /* platform time when clock_origin was taken */
	uint32_t next_object;
	uint32_t next_session;
	uint8_t blob[VTPM_BLOB_MAX];
	uint8_t rsp_params[VTPM_MAX_RESPONSE];
	uint8_t cmd_params[VTPM_MAX_COMMAND]; /* decrypted copy of the parameter area */
	uint8_t mask[VTPM_MAX_COMMAND];       /* XOR parameter-encryption mask */
};

/* One authorization from the command's session area. */
struct vtpm_auth {
	uint32_t handle;
	uint16_t nonce_len;
	uint8_t nonce[VTPM_AUTH_MAX];
	uint8_t attrs;
	uint16_t hmac_len;
	uint8_t hmac[VTPM_AUTH_MAX];
	struct vtpm_session *s; /* NULL for TPM_RS_PW */
};

struct vtpm_cmd {
	uint32_t cc;
	uint16_t tag;
	uint32_t handles[3];
	unsigned n_handles;
	struct vtpm_rd in;  /* the parameter area */
	struct vtpm_wr out; /* response parameters */
	uint32_t rsp_handle;
	unsigned n_auths;
	unsigned n_auth; /* how many of the sessions authorize handles (the rest: encryption only) */
	struct vtpm_auth auths[VTPM_MAX_SESSIONS_IN_CMD];
	/* authValue of each authorized entity as it was before the command: the response HMAC uses it
	 * when the command removed the entity (SequenceComplete, NV_UndefineSpace). */
	uint16_t pre_auth_len[VTPM_MAX_SESSIONS_IN_CMD];
	uint8_t pre_auth[VTPM_MAX_SESSIONS_IN_CMD][VTPM_AUTH_MAX];
	bool nv_dirty; /* the handler changed persistent state */
};

typedef uint32_t (*vtpm_handler)(struct vtpm *t, struct vtpm_cmd *c);

struct vtpm_cmd_desc {
	uint32_t cc;
	vtpm_handler fn;
	uint8_t n_handles;
	uint8_t n_auth;  /* the first n_auth handles need authorization */
	bool rhandle;    /* the response carries a handle */
	bool nv;         /* may write NV (TPMA_CC nv) */
	bool flushed;    /* flushes handle 0 (TPMA_CC flushed) */
	/* Authorization role of handles 1 and 2 (Part 1, 19.7.2; Part 3's "Auth Role" per handle):
	 * VTPM_ROLE_USER (0, the default), _ADMIN or _DUP. */
	uint8_t role[2];
};

#define VTPM_ROLE_USER 0u
#define VTPM_ROLE_ADMIN 1u /* e.g. Certify, ActivateCredential, ObjectChangeAuth (object handle) */
#define VTPM_ROLE_DUP 2u   /* Duplicate (object handle) */

/* engine.c */
extern const struct vtpm_cmd_desc vtpm_commands[];
extern const size_t vtpm_command_count;
uint64_t vtpm_clock_now(const struct vtpm *t);

/* Algorithms */
bool vtpm_hash_from_alg(uint16_t tpm_alg, enum crypto_hash_alg *out);
int vtpm_bank_of_alg(uint16_t tpm_alg); /* -1 if not a PCR bank algorithm */
uint16_t vtpm_bank_alg(unsigned bank);
enum crypto_hash_alg vtpm_bank_hash(unsigned bank);
uint16_t vtpm_trim_zeros(const uint8_t *p, uint16_t len);

/* state.c */
VTPM_MUST_CHECK uint32_t vtpm_state_commit(struct vtpm *t);
void vtpm_random(struct vtpm *t, void *out, size_t len);
void vtpm_enter_failure(struct vtpm *t, uint32_t rc);

/* session.c */
void vtpm_da_heal(struct vtpm *t);
VTPM_MUST_CHECK uint32_t vtpm_parse_sessions(struct vtpm *t, struct vtpm_cmd *c, struct vtpm_rd *r);
VTPM_MUST_CHECK uint32_t vtpm_authorize(struct vtpm *t, struct vtpm_cmd *c, const struct vtpm_cmd_desc *d,
					const uint8_t *params, size_t params_len);
VTPM_MUST_CHECK uint32_t vtpm_param_decrypt(struct vtpm *t, struct vtpm_cmd *c, const uint8_t *params,
					    size_t len);
void vtpm_sessions_roll(struct vtpm *t, struct vtpm_cmd *c);
void vtpm_param_encrypt(struct vtpm *t, struct vtpm_cmd *c);
bool vtpm_first_param_sized(uint32_t cc, bool response);
size_t vtpm_session_value(struct vtpm *t, const struct vtpm_cmd *c, unsigned i, bool response, uint8_t *out);
void vtpm_respond_sessions(struct vtpm *t, struct vtpm_cmd *c, struct vtpm_wr *w, const uint8_t *params,
			   size_t params_len);
struct vtpm_session *vtpm_session_find(struct vtpm *t, uint32_t handle);
void vtpm_sessions_reset(struct vtpm *t);
VTPM_MUST_CHECK bool vtpm_entity_name(struct vtpm *t, uint32_t handle, uint8_t *name, uint16_t *len);

/* nv.c */
struct vtpm_nv_index *vtpm_nv_find(struct vtpm *t, uint32_t handle);
void vtpm_nv_public(const struct vtpm_nv_index *x, struct vtpm_wr *w);
void vtpm_nv_name(const struct vtpm_nv_index *x, uint8_t *name, uint16_t *len);
void vtpm_nv_startup(struct vtpm *t, bool clear);
void vtpm_nv_clear_owner(struct vtpm *t);

/* pcr.c */
void vtpm_pcr_startup(struct vtpm *t, bool restore);
void vtpm_drtm_startup(struct vtpm *t, bool clear);
void vtpm_pcr_save(struct vtpm *t);
void vtpm_pcr_extend(struct vtpm *t, unsigned bank, unsigned pcr, const uint8_t *digest);
VTPM_MUST_CHECK bool vtpm_pcr_can_extend(const struct vtpm *t, unsigned pcr);
bool vtpm_pcr_extend_allowed(unsigned pcr, uint8_t locality);

/* object.c */
struct vtpm_object *vtpm_object_find(struct vtpm *t, uint32_t handle);
struct vtpm_object *vtpm_object_alloc(struct vtpm *t);

/* ecc.c */
VTPM_MUST_CHECK bool vtpm_hierarchy_proof(const struct vtpm *t, uint32_t hier, uint8_t proof[32]);
void vtpm_flush_hierarchy(struct vtpm *t, uint32_t hier); /* flushes that hierarchy's loaded keys */
void vtpm_put_ticket(const struct vtpm *t, struct vtpm_wr *w, uint16_t tag, uint32_t hier,
		     enum crypto_hash_alg alg, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len);
/* Verifies the TPMT_SIGNATURE read from `in` (parameter n) over digest with the loaded key `handle`
 * (handle position hn for error codes). On success *key is the key (its Name, hierarchy, nameAlg
 * for tickets). Shared by VerifySignature, PolicySigned and PolicyAuthorize. */
VTPM_MUST_CHECK uint32_t vtpm_object_verify(struct vtpm *t, uint32_t handle, unsigned hn, const uint8_t *digest,
					    size_t dlen, struct vtpm_rd *in, unsigned n, struct vtpm_object **key);

/* Command handlers */
uint32_t vtpm_cmd_create_primary(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_sign(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_verify_signature(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_quote(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_startup(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_shutdown(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_self_test(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_incremental_self_test(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_get_test_result(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_get_random(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_stir_random(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_get_capability(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_test_parms(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_pcr_extend(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_pcr_event(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_pcr_read(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_pcr_reset(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_pcr_allocate(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_hash(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_hash_sequence_start(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_hmac_start(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_load_external(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_read_public(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_hmac(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_sequence_update(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_sequence_complete(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_event_sequence_complete(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_start_auth_session(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_context_save(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_context_load(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_flush_context(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_clear(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_clear_control(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_hierarchy_change_auth(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_hierarchy_control(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_da_lock_reset(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_da_parameters(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_read_clock(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_clock_set(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_nv_define_space(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_nv_undefine_space(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_nv_read_public(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_nv_write(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_nv_read(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_nv_increment(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_nv_extend(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_nv_set_bits(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_nv_write_lock(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_nv_read_lock(struct vtpm *t, struct vtpm_cmd *c);

/* ---- policy sessions (policy.c) and their hooks elsewhere ---- */
bool vtpm_session_is_policy(const struct vtpm_session *s);
void vtpm_policy_reset(struct vtpm_session *s); /* back to the state of a new session */
/* session.c: cpHash = H_alg(commandCode || Names of the handles || parameters) */
void vtpm_cp_hash(struct vtpm *t, const struct vtpm_cmd *c, enum crypto_hash_alg alg, const uint8_t *params,
		  size_t plen, uint8_t *out);
/* policy.c helpers shared with policyauth.c */
VTPM_MUST_CHECK uint32_t vtpm_policy_session(struct vtpm *t, uint32_t h, unsigned n, struct vtpm_session **out);
/* policyDigest' = H(policyDigest || cc || a || b) */
void vtpm_policy_extend(struct vtpm_session *s, uint32_t cc, const void *a, size_t al, const void *b, size_t bl);
/* PolicySigned/PolicySecret/PolicyAuthorize: extend by cc || name, then policyDigest' = H(policyDigest || ref) */
void vtpm_policy_update(struct vtpm_session *s, uint32_t cc, const uint8_t *name, size_t nl, const uint8_t *ref,
			size_t rl);
/* The deferred checks of a policy session authorizing handle i (Part 1, 19.7; Part 3, 23): the
 * entity's authPolicy, commandCode, cpHash/nameHash/template, PCRs, locality, expiry, NV written.
 * Returns 0 or the RC (already numbered for session i + 1 where the spec numbers it). */
VTPM_MUST_CHECK uint32_t vtpm_policy_check(struct vtpm *t, const struct vtpm_cmd *c, const struct vtpm_cmd_desc *d,
					   unsigned i, const uint8_t *params, size_t plen);
bool vtpm_nv_write_command(uint32_t cc);
/* nv.c: NvReadAccessChecks / NvWriteAccessChecks for authHandle ah on index x; policy: the
 * authorization came from a policy session (POLICYREAD/POLICYWRITE instead of AUTHREAD/AUTHWRITE). */
uint32_t vtpm_nv_access(const struct vtpm_nv_index *x, uint32_t ah, bool write, bool policy);
uint64_t vtpm_time_now(const struct vtpm *t); /* ms since _TPM_Init (TPMS_TIME_INFO.time) */
uint32_t vtpm_cmd_policy_signed(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_secret(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_or(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_pcr(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_locality(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_nv(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_counter_timer(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_command_code(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_cp_hash(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_name_hash(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_duplication_select(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_authorize(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_auth_value(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_password(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_get_digest(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_restart(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_nv_written(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_template(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_ticket(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_authorize_nv(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_policy_physical_presence(struct vtpm *t, struct vtpm_cmd *c);

/* Parameter-reading helpers: return the format-one RC for parameter n. */
static inline uint32_t vtpm_param_rc(uint32_t rc, unsigned n)
{
	return (rc & 0x80u) ? RC_P(rc, n) : rc;
}

#endif
