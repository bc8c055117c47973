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
#define VTPM_PERSISTENT 7u /* persistent objects (EvictControl); PC Client's minimum */
#define VTPM_BLOB_MAX (1024u + VTPM_NV_INDICES * (VTPM_NV_INDEX_MAX + 160u) + \
		       VTPM_BANKS * VTPM_PCR_SAVED * VTPM_MAX_DIGEST + VTPM_PERSISTENT * (6u + VTPM_PSTATE_MAX))

#define VTPM_MUST_CHECK __attribute__((warn_unused_result))

/* A key's encoded state (context.c's object encoding: kind, alg, auth, hierarchy, has_sensitive,
 * public area, qualified name, seedValue, private key); the largest one, an RSA-3072 key. */
#define VTPM_PSTATE_MAX (1u + 2u + 2u + VTPM_AUTH_MAX + 4u + 1u + 2u + 512u + 2u + 2u + 64u + 2u + 64u + 2u + 192u)

/* A persistent object as the NV blob keeps it (format 2): its handle (0: slot free) and state. */
struct vtpm_pobj {
	uint32_t handle;
	uint16_t len;
	uint8_t data[VTPM_PSTATE_MAX];
};

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
	struct vtpm_pobj pobj[VTPM_PERSISTENT]; /* format 2 */
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
	/* ---- audit sessions (audit.c; attest part) ---- */
	bool audit;                                   /* used with the audit attribute since start/reset */
	uint8_t audit_digest[CRYPTO_HASH_MAX_DIGEST]; /* crypto_hash_size(hash) bytes */
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
	VTPM_OBJ_KEYEDHASH = 4, /* HMAC keys and sealed data objects */
	VTPM_OBJ_ECC = 5,       /* ECC keys, P-256 and P-384 */
	VTPM_OBJ_RSA = 6,       /* RSA keys, 2048 and 3072 bits */
	VTPM_OBJ_SYMCIPHER = 7, /* AES keys */
};

#define VTPM_FIRMWARE_1 0x00010000u /* Mantle 0.1 (TPM_PT_FIRMWARE_VERSION_1) */
#define VTPM_FIRMWARE_2 0x00000000u

#define VTPM_PUBLIC_MAX 512u  /* an RSA-3072 TPMT_PUBLIC with a SHA-512 policy fits */
#define VTPM_SYM_DATA_MAX 128u /* MAX_SYM_DATA */
#define VTPM_OBJ_KEY_MAX CRYPTO_RSA_MAX_PRIME /* largest sensitive: an RSA-3072 prime (192 bytes) */

/* ---- object model (public.c, object.c, protect.c) ---------------------------------------------- */

/* A TPMT_PUBLIC decoded (Part 2, 12.2.4). Which fields mean something depends on type. */
struct vtpm_public {
	uint16_t type, name_alg;
	uint32_t attrs;
	uint16_t policy_len;
	uint8_t policy[CRYPTO_HASH_MAX_DIGEST];
	uint16_t sym_alg, sym_bits, sym_mode; /* RSA/ECC: symmetric (parents); SYMCIPHER: its cipher */
	uint16_t scheme, scheme_hash;         /* RSA/ECC/KEYEDHASH scheme; its hash (NULL if none) */
	uint16_t scheme_kdf;                  /* KEYEDHASH XOR: its KDF */
	uint16_t curve;                       /* ECC */
	uint16_t rsa_bits;                    /* RSA */
	uint32_t rsa_e;                       /* RSA, as in the template (0 means 65537) */
	uint16_t u1_len, u2_len;              /* unique: RSA n | ECC x, y | KEYEDHASH/SYMCIPHER digest */
	uint8_t u1[CRYPTO_RSA_MAX_BYTES], u2[CRYPTO_P384_SCALAR];
};

/* A TPMT_SENSITIVE decoded (Part 2, 12.3.2.5): key = RSA prime p | ECC d | HMAC key or sealed
 * data | AES key. */
struct vtpm_sensitive {
	uint16_t type;
	uint16_t auth_len, seed_len, key_len;
	uint8_t auth[CRYPTO_HASH_MAX_DIGEST], seed[CRYPTO_HASH_MAX_DIGEST], key[VTPM_OBJ_KEY_MAX];
};

#define VTPM_SENSITIVE_MAX (2u + 2u + CRYPTO_HASH_MAX_DIGEST + 2u + CRYPTO_HASH_MAX_DIGEST + 2u + VTPM_OBJ_KEY_MAX)
/* TPM2B_PRIVATE contents: integrity TPM2B_DIGEST || encrypted TPM2B_SENSITIVE */
#define VTPM_PRIVATE_MAX (2u + CRYPTO_HASH_MAX_DIGEST + 2u + VTPM_SENSITIVE_MAX)

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
	uint8_t key[VTPM_OBJ_KEY_MAX]; /* RSA: prime p; ECC: the private scalar; else the key/data */
	/* Keys: hierarchy (TPM_RH_*) they belong to, scheme, ECC public point (x || y, curve size each) */
	uint32_t hierarchy;
	uint16_t scheme; /* the key's scheme (hash in scheme_hash) or TPM_ALG_NULL */
	uint8_t ecc_xy[CRYPTO_P384_POINT];
	struct vtpm_public tp; /* the public area decoded */
	uint16_t seed_len, qname_len;
	uint8_t seed[CRYPTO_HASH_MAX_DIGEST]; /* seedValue: parents' protection seed, symmetric binding */
	uint8_t qname[2 + CRYPTO_HASH_MAX_DIGEST];
	uint32_t persistent; /* the persistent handle it was loaded from (EvictControl), else 0 */
	/* authPolicy of keys (Part 1, 19.7.11): what a policy session's digest must equal */
	uint16_t policy_len;
	uint8_t policy[CRYPTO_HASH_MAX_DIGEST];
};

/* Objects with a Name and an authValue (keys), as opposed to sequences. */
static inline bool vtpm_obj_is_key(const struct vtpm_object *o)
{
	return o->kind >= VTPM_OBJ_KEYEDHASH && o->kind <= VTPM_OBJ_SYMCIPHER;
}

/* Largest ContextSave output for an object (TPM_PT_MAX_OBJECT_CONTEXT): TPMS_CONTEXT header (18),
 * integrity TPM2B (34), encoded state: the larger of an event sequence (kind, alg, auth, three hash
 * states) and a key (an RSA-3072 key with a 512-byte public area is the largest). */
#define VTPM_SEQ_STATE_MAX (1u + 2u + 2u + VTPM_AUTH_MAX + VTPM_BANKS * sizeof(struct crypto_hash_ctx))
/* A key: kind, alg, auth, hierarchy, has_sensitive, pub, qname, seed, key (context.c) */
#define VTPM_KEY_STATE_MAX (1u + 2u + 2u + VTPM_AUTH_MAX + 4u + 1u + 2u + VTPM_PUBLIC_MAX + \
			    2u + 2u + CRYPTO_HASH_MAX_DIGEST + 2u + CRYPTO_HASH_MAX_DIGEST + 2u + VTPM_OBJ_KEY_MAX)
#define VTPM_OBJECT_STATE_MAX (VTPM_SEQ_STATE_MAX > VTPM_KEY_STATE_MAX ? VTPM_SEQ_STATE_MAX : VTPM_KEY_STATE_MAX)
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
	struct vtpm_object pobjects[VTPM_PERSISTENT]; /* p.pobj decoded, same index */
	/* an object being built (CreatePrimary, Create, Load...): kept off the 16 KiB stack; wiped
	 * after every use */
	struct vtpm_object scratch;
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
	uint32_t exclusive_audit; /* the exclusive audit session's handle, 0 if none (audit.c) */
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
	/* the command's audit session (index + 1, 0: none) and its cpHash (audit.c) */
	uint8_t audit_idx;
	uint8_t audit_cp[CRYPTO_HASH_MAX_DIGEST];
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

/* ---- object model (issue 6, objects part) ------------------------------------------------------ */
/* public.c: TPMT_PUBLIC / TPMT_SENSITIVE. rc numbers parameter n. parse checks the encoding and
 * algorithm support; check applies Part 1's attribute rules against the parent (NULL: a primary);
 * create_check adds CreatePrimary/Create's rules on supplied sensitive data. */
VTPM_MUST_CHECK uint32_t vtpm_public_parse(const uint8_t *p, size_t len, unsigned n, struct vtpm_public *tp);
VTPM_MUST_CHECK uint32_t vtpm_public_check(const struct vtpm_public *tp, const struct vtpm_object *parent, unsigned n);
VTPM_MUST_CHECK uint32_t vtpm_public_create_check(const struct vtpm_public *tp, const struct vtpm_object *parent,
						 size_t data_len, unsigned n);
void vtpm_public_put(struct vtpm_wr *w, const struct vtpm_public *tp);
VTPM_MUST_CHECK uint32_t vtpm_sensitive_parse(const uint8_t *p, size_t len, unsigned n, struct vtpm_sensitive *s);
void vtpm_sensitive_put(struct vtpm_wr *w, const struct vtpm_sensitive *s);
bool vtpm_public_is_parent(const struct vtpm_public *tp);
/* TPMU_PUBLIC_PARMS of tp->type (TestParms shares it) */
VTPM_MUST_CHECK uint32_t vtpm_public_parms_parse(struct vtpm_rd *r, unsigned n, struct vtpm_public *tp);
bool vtpm_have_p384(void);
bool vtpm_have_rsa(void);
size_t vtpm_ecc_size(uint16_t curve); /* coordinate bytes, 0 for an unsupported curve */

/* object.c: fills o from a public area (pub as given: its Name hashes those bytes) and optionally
 * the sensitive one, checking that they belong together (TPM_RC_BINDING / TPM_RC_KEY_SIZE,
 * parameter n). pqn: the parent's qualified name (a hierarchy handle for primaries). */
VTPM_MUST_CHECK uint32_t vtpm_object_fill(struct vtpm_object *o, const struct vtpm_public *tp, const uint8_t *pub,
					  size_t pub_len, const struct vtpm_sensitive *s, uint32_t hier,
					  const uint8_t *pqn, size_t pqn_len, unsigned n);
/* The same for areas this TPM produced itself (a key it just generated, an integrity-checked
 * context or NV entry): the ECC point validation and public/private pairing check, a scalar
 * multiplication each, are skipped. Everything from outside goes through vtpm_object_fill. */
VTPM_MUST_CHECK uint32_t vtpm_object_fill_trusted(struct vtpm_object *o, const struct vtpm_public *tp,
						  const uint8_t *pub, size_t pub_len, const struct vtpm_sensitive *s,
						  uint32_t hier, const uint8_t *pqn, size_t pqn_len, unsigned n);
/* Moves an object built in scratch space (tmp) into a free slot, unless rc already says the command
 * failed; TPM_RC_OBJECT_MEMORY when no slot is free. tmp is wiped either way, so a failed command
 * leaves no key material behind and no slot taken. */
VTPM_MUST_CHECK uint32_t vtpm_object_commit(struct vtpm *t, struct vtpm_object *tmp, uint32_t rc,
					    struct vtpm_object **out);
void vtpm_object_sensitive(const struct vtpm_object *o, struct vtpm_sensitive *s);
bool vtpm_object_is_parent(const struct vtpm_object *o);
/* RSA keys: the public key, and the private key rebuilt from the stored prime. */
void vtpm_object_rsa_pub(const struct vtpm_object *o, struct crypto_rsa_pub *pub);
VTPM_MUST_CHECK bool vtpm_object_rsa_priv(const struct vtpm_object *o, struct crypto_rsa_priv *priv);
/* Secret sharing (Part 1, 11.4.10.4 / C.6): RSA-OAEP decryption (label with its NUL) or ECDH + KDFe
 * with the key; used by salted sessions, ActivateCredential and Import. */
VTPM_MUST_CHECK uint32_t vtpm_object_decrypt_secret(struct vtpm *t, struct vtpm_object *o, const char *label,
						    const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len);

/* protect.c: Protected Storage (Part 1, 23): the outer wrapper around a marshalled TPM2B_SENSITIVE:
 *   integrity = HMAC_hash(KDFa(hash, seed, "INTEGRITY", -, -, digest bits), encSensitive || Name)
 *   encSensitive = AES-CFB(KDFa(hash, seed, "STORAGE", Name, -, symBits), IV = 0, TPM2B_SENSITIVE)
 * Import and Duplicate reuse these with their own seed. plain (unwrap) holds VTPM_WRAPPED_MAX bytes. */
VTPM_MUST_CHECK bool vtpm_outer_wrap(enum crypto_hash_alg h, const uint8_t *seed, size_t seed_len, uint16_t sym_bits,
				     const uint8_t *name, size_t name_len, const uint8_t *plain, size_t len,
				     struct vtpm_wr *w);
VTPM_MUST_CHECK uint32_t vtpm_outer_unwrap(enum crypto_hash_alg h, const uint8_t *seed, size_t seed_len,
					   uint16_t sym_bits, const uint8_t *name, size_t name_len,
					   const uint8_t *in, size_t in_len, uint8_t *plain, size_t *plain_len);
/* The TPM2B_PRIVATE of object data under parent (wrap), and its inverse (TPM_RC_INTEGRITY etc.,
 * parameter n). */
VTPM_MUST_CHECK bool vtpm_private_wrap(const struct vtpm_object *parent, const uint8_t *name, size_t name_len,
				       const struct vtpm_sensitive *s, struct vtpm_wr *w);
VTPM_MUST_CHECK uint32_t vtpm_private_unwrap(const struct vtpm_object *parent, const uint8_t *name, size_t name_len,
					     const uint8_t *in, size_t in_len, unsigned n, struct vtpm_sensitive *s);

/* creation.c: PCR selections, creation data and tickets shared by CreatePrimary, Create and Quote */
struct vtpm_pcr_list {
	uint32_t count;
	struct {
		uint16_t alg;
		uint8_t size;
		uint8_t bits[4];
	} s[VTPM_BANKS];
};
VTPM_MUST_CHECK uint32_t vtpm_pcr_list_get(const struct vtpm *t, struct vtpm_rd *r, unsigned n, struct vtpm_pcr_list *l);
void vtpm_pcr_list_put(struct vtpm_wr *w, const struct vtpm_pcr_list *l);
void vtpm_pcr_list_digest(const struct vtpm *t, const struct vtpm_pcr_list *l, enum crypto_hash_alg alg, uint8_t *out);
/* TPMS_CREATION_DATA into cd (capacity cap), its hash into chash; parent NULL: a hierarchy. */
VTPM_MUST_CHECK size_t vtpm_creation_data(const struct vtpm *t, const struct vtpm_pcr_list *sel, enum crypto_hash_alg h,
					  uint32_t parent_handle, const struct vtpm_object *parent,
					  const uint8_t *outside, uint16_t outside_len, uint8_t *cd, size_t cap,
					  uint8_t *chash);
/* Reads a TPM2B in place; rc numbers parameter n. */
VTPM_MUST_CHECK uint32_t vtpm_get_sized(struct vtpm_rd *r, unsigned n, const uint8_t **p, uint16_t *len, size_t max);
const uint8_t *vtpm_hierarchy_seed(const struct vtpm *t, uint32_t hier);
bool vtpm_hierarchy_enabled(const struct vtpm *t, uint32_t hier);
/* object.c: ECC by curve (P-256, P-384); xy = x || y, d and each coordinate vtpm_ecc_size() bytes */
VTPM_MUST_CHECK bool vtpm_ecc_public(uint16_t curve, const uint8_t *d, uint8_t *xy);
VTPM_MUST_CHECK bool vtpm_ecc_point_valid(uint16_t curve, const uint8_t *xy);
VTPM_MUST_CHECK bool vtpm_ecc_derive(uint16_t curve, enum crypto_hash_alg h, const uint8_t *seed, size_t seed_len,
				     const char *label, const void *u, size_t ul, const void *v, size_t vl, uint8_t *d);
VTPM_MUST_CHECK bool vtpm_ecc_sign(uint16_t curve, const uint8_t *d, enum crypto_hash_alg h, const uint8_t *digest,
				   uint8_t *rs);
VTPM_MUST_CHECK bool vtpm_ecc_verify(uint16_t curve, const uint8_t *xy, const uint8_t *digest, size_t dlen,
				     const uint8_t *rs);
VTPM_MUST_CHECK bool vtpm_ecc_dh(uint16_t curve, const uint8_t *d, const uint8_t *peer, uint8_t *z);
/* vtpm_random as a crypto_rand_fn (ctx = struct vtpm *) */
void vtpm_rand_fn(void *ctx, void *out, size_t len);
/* keygen.c: a new object's sensitive area and outPublic (unique filled in) into o: derived from
 * the seed of hier for a primary (parent NULL; pub = inPublic as sent feeds the derivation), from
 * the DRBG for a child of parent. auth and data come from inSensitive; tp's unique is filled in. */
VTPM_MUST_CHECK uint32_t vtpm_object_generate(struct vtpm *t, struct vtpm_object *o, struct vtpm_public *tp,
					      const uint8_t *pub, size_t pub_len, const uint8_t *auth, uint16_t auth_len,
					      const uint8_t *data, uint16_t data_len, uint32_t hier,
					      const struct vtpm_object *parent);
/* context.c: an object's state encoding (ContextSave and persistent objects) */
size_t vtpm_object_encode(const struct vtpm_object *o, uint8_t *out, size_t cap);
VTPM_MUST_CHECK bool vtpm_object_decode(struct vtpm_object *o, const uint8_t *p, size_t n, bool trusted);
/* evict.c: persistent objects */
VTPM_MUST_CHECK bool vtpm_persistent_reload(struct vtpm *t); /* p.pobj -> pobjects; false if corrupt */
void vtpm_persistent_clear_owner(struct vtpm *t);            /* Clear: owner and endorsement objects */
uint32_t vtpm_persistent_count(const struct vtpm *t);
uint32_t vtpm_cmd_evict_control(struct vtpm *t, struct vtpm_cmd *c);
/* ---- end of the object model block ------------------------------------------------------------- */

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
/* -- objects and keys (issue 6, objects part) -- */
uint32_t vtpm_cmd_create_primary(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_create(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_create_loaded(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_load(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_unseal(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_object_change_auth(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_encrypt_decrypt(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_encrypt_decrypt2(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_rsa_encrypt(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_rsa_decrypt(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_ecdh_keygen(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_ecdh_zgen(struct vtpm *t, struct vtpm_cmd *c);
/* -- end of objects and keys -- */
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

/* ---- credentials and duplication (issue 6, credentials part) ---------------------------------- */
/* secret.c: the encrypt side of secret sharing (Part 1, 11.4.10.4 / C.6), inverse of
 * vtpm_object_decrypt_secret: a fresh seed of the key's nameAlg digest size, and the
 * TPM2B_ENCRYPTED_SECRET contents that carry it to the key (RSA-OAEP with the label and its NUL, or
 * an ephemeral ECDH key's TPMS_ECC_POINT with seed = KDFe(nameAlg, Z, label, Qe.x, Qs.x)). The key
 * needs only its public part; it must be an asymmetric decryption key. */
VTPM_MUST_CHECK uint32_t vtpm_object_encrypt_secret(struct vtpm *t, const struct vtpm_object *o, const char *label,
						    uint8_t *seed, size_t *seed_len, uint8_t *out, size_t *out_len);
#define VTPM_SECRET_MAX CRYPTO_RSA_MAX_BYTES /* TPM2B_ENCRYPTED_SECRET contents */
/* An inner-wrapped duplicate: TPM2B_DIGEST innerIntegrity || TPM2B_SENSITIVE (Part 1, 23.3.2.3) */
#define VTPM_WRAPPED_MAX (2u + CRYPTO_HASH_MAX_DIGEST + 2u + VTPM_SENSITIVE_MAX)
uint32_t vtpm_cmd_make_credential(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_activate_credential(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_duplicate(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_import(struct vtpm *t, struct vtpm_cmd *c);
/* ---- end of credentials and duplication ---- */
/* ---- attestation and ECDH commands (issue 6, attest part: sign.c helpers, attest.c, ecdh.c) ---- */
/* The signing scheme an attestation is signed with: scheme, its hash (TPM_ALG_*), the hash. */
struct vtpm_attest_sig {
	uint16_t scheme, hash_alg;
	enum crypto_hash_alg h;
};
/* The signing key at handle (position hn for RCs): *out = NULL for TPM_RH_NULL (unsigned
 * attestation), else a loaded key with sign and its private part (TPM_RC_KEY otherwise). */
VTPM_MUST_CHECK uint32_t vtpm_attest_signer(struct vtpm *t, uint32_t handle, unsigned hn, struct vtpm_object **out);
/* TPMT_SIG_SCHEME (parameter n) against the key (Part 3, 18.1); read and ignored without a key. */
VTPM_MUST_CHECK uint32_t vtpm_attest_scheme(struct vtpm_rd *r, unsigned n, const struct vtpm_object *o,
					    struct vtpm_attest_sig *s);
/* Starts a TPM2B_ATTEST in w: size placeholder, magic, type, qualifiedSigner (the key's qualified
 * name or TPM_RH_NULL), extraData, clockInfo and firmwareVersion (obfuscated as Part 1, 36.7 asks).
 * Returns where it starts; the caller appends the type's TPMU_ATTEST member, then ... */
size_t vtpm_attest_begin(const struct vtpm *t, struct vtpm_wr *w, uint16_t type, const struct vtpm_object *o,
			 const uint8_t *extra, uint16_t extra_len);
/* ... sets the size and appends the TPMT_SIGNATURE over H(TPMS_ATTEST) (TPM_ALG_NULL without a key). */
VTPM_MUST_CHECK uint32_t vtpm_attest_finish(struct vtpm *t, struct vtpm_wr *w, size_t start, const struct vtpm_object *o,
					    const struct vtpm_attest_sig *s);
uint32_t vtpm_cmd_certify(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_certify_creation(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_get_time(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_nv_certify(struct vtpm *t, struct vtpm_cmd *c);
/* ecdh.c: the whole point d·peer (x || y), peer validated */
VTPM_MUST_CHECK bool vtpm_ecc_dh_point(uint16_t curve, const uint8_t *d, const uint8_t *peer, uint8_t *xy);
/* audit.c: audit sessions (Part 1, 19.6.4 / 36.4). The session-area checks of the audit attributes
 * (session i, not a password, at most one, auditReset/auditExclusive only with audit, auditExclusive
 * only on the exclusive session), the cpHash taken at authorization, and the digest update
 * auditDigest' = H(auditDigest || cpHash || rpHash) after a successful command, which also sets the
 * response's auditExclusive bit and keeps the exclusivity state. */
VTPM_MUST_CHECK uint32_t vtpm_audit_check(const struct vtpm *t, struct vtpm_cmd *c, unsigned i);
void vtpm_audit_cphash(struct vtpm *t, struct vtpm_cmd *c, const uint8_t *params, size_t plen);
void vtpm_audit_update(struct vtpm *t, struct vtpm_cmd *c);
uint32_t vtpm_cmd_get_session_audit_digest(struct vtpm *t, struct vtpm_cmd *c);
/* ---- end of the attest block ---- */

/* Parameter-reading helpers: return the format-one RC for parameter n. */
static inline uint32_t vtpm_param_rc(uint32_t rc, unsigned n)
{
	return (rc & 0x80u) ? RC_P(rc, n) : rc;
}

#endif
