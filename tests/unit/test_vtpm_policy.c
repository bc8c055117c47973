/* vTPM policy and trial sessions (Part 1, 19.7; Part 3, 23): every policy digest is recomputed here
 * with OpenSSL from the formulas of Part 3, the deferred checks are made to fail one by one
 * (command code, PCRs changed, locality, cpHash, expiry, NV written, the wrong PolicyOR branch, a
 * forged PolicyAuthorize ticket, a bad or expired PolicySigned signature), and policies authorize
 * NV reads/writes and key use through the HMAC a policy session carries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "vtpm/internal.h"

#include "tests/unit/vtpm_harness.h"

#define IDX 0x01500010u
#define ATTRS_SK_POLICY 0x00040032u /* fixedTPM fixedParent sensitiveDataOrigin sign, no userWithAuth */
#define ATTRS_SK 0x00040072u        /* the same with userWithAuth */

/* ---- independent digest computations ---- */
static void sha256(const void *p, size_t n, uint8_t out[32])
{
	EVP_Digest(p, n, out, NULL, EVP_sha256(), NULL);
}

static void hmac256(const void *key, size_t kl, const void *data, size_t n, uint8_t out[32])
{
	unsigned l;
	HMAC(EVP_sha256(), key, (int)kl, data, n, out, &l);
}

/* d = SHA-256(d || cc || a) */
static void ext(uint8_t d[32], uint32_t cc, const void *a, size_t al)
{
	uint8_t buf[1024];
	memcpy(buf, d, 32);
	vtpm_set_be32(buf + 32, cc);
	memcpy(buf + 36, a, al);
	sha256(buf, 36 + al, d);
}

/* d = SHA-256(d || r) */
static void ext_ref(uint8_t d[32], const void *r, size_t rl)
{
	uint8_t buf[128];
	memcpy(buf, d, 32);
	memcpy(buf + 32, r, rl);
	sha256(buf, 32 + rl, d);
}

/* ---- commands ---- */
struct sess {
	uint32_t h;
	uint8_t nt[32];
	uint8_t key[32];
	size_t kl;
	uint8_t nc;
};

static uint32_t start_session(uint8_t type, struct sess *s)
{
	uint8_t nc[16];
	struct cb c;
	uint32_t rc;

	memset(nc, 0x11, 16);
	memset(s, 0, sizeof(*s));
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_StartAuthSession);
	u32(&c, TPM_RH_NULL); u32(&c, TPM_RH_NULL);
	b2b(&c, nc, 16); u16(&c, 0); u8(&c, type); u16(&c, TPM_ALG_NULL); u16(&c, TPM_ALG_SHA256);
	rc = exec(&c);
	if (rc == 0) {
		s->h = vtpm_be32(rsp + 10);
		memcpy(s->nt, rsp + 16, 32);
	}
	return rc;
}

static uint32_t get_digest(const struct sess *s, uint8_t out[32])
{
	struct cb c;
	uint32_t rc;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicyGetDigest);
	u32(&c, s->h);
	rc = exec(&c);
	if (rc == 0) {
		assert_int_equal(vtpm_be16(rsp + 10), 32);
		memcpy(out, rsp + 12, 32);
	}
	return rc;
}

static void expect_digest(const struct sess *s, const uint8_t want[32])
{
	uint8_t got[32];
	assert_int_equal(get_digest(s, got), 0);
	assert_memory_equal(got, want, 32);
}

/* A policy command with the session as its only handle and raw parameter bytes. */
static uint32_t pol(uint32_t cc, const struct sess *s, const void *params, size_t n)
{
	struct cb c;
	start(&c, TPM_ST_NO_SESSIONS, cc);
	u32(&c, s->h);
	bytes(&c, params, n);
	return exec(&c);
}

static uint32_t pol_u32(uint32_t cc, const struct sess *s, uint32_t v)
{
	uint8_t b[4];
	vtpm_set_be32(b, v);
	return pol(cc, s, b, 4);
}

static uint32_t pol_2b(uint32_t cc, const struct sess *s, const uint8_t *d, uint16_t n)
{
	uint8_t b[128];
	vtpm_set_be16(b, n);
	memcpy(b + 2, d, n);
	return pol(cc, s, b, 2u + n);
}

/* PolicyPCR over SHA-256 PCRs given by a 3-byte select; digest may be empty. sel_out gets the
 * TPML_PCR_SELECTION bytes. */
static size_t pcr_sel(uint8_t *p, uint32_t mask)
{
	vtpm_set_be32(p, 1);
	vtpm_set_be16(p + 4, TPM_ALG_SHA256);
	p[6] = 3;
	p[7] = (uint8_t)mask; p[8] = (uint8_t)(mask >> 8); p[9] = (uint8_t)(mask >> 16);
	return 10;
}

static uint32_t pol_pcr(const struct sess *s, const uint8_t *dg, uint16_t dl, uint32_t mask)
{
	uint8_t b[128];
	vtpm_set_be16(b, dl);
	if (dl)
		memcpy(b + 2, dg, dl);
	return pol(TPM_CC_PolicyPCR, s, b, 2u + dl + pcr_sel(b + 2 + dl, mask));
}

static void pcr_read256(unsigned pcr, uint8_t out[32])
{
	memcpy(out, T->pcr[1][pcr], 32); /* bank 1 = SHA-256; read back through PCR_Read in test_vtpm.c */
}

static uint32_t pcr_extend(unsigned pcr, uint8_t v)
{
	uint8_t d[32];
	struct cb c;
	memset(d, v, 32);
	start(&c, TPM_ST_SESSIONS, TPM_CC_PCR_Extend);
	u32(&c, pcr); pw(&c, "");
	u32(&c, 1); u16(&c, TPM_ALG_SHA256); bytes(&c, d, 32);
	return exec(&c);
}

static uint32_t nv_define_policy(uint32_t idx, uint32_t attrs, uint16_t size, const char *auth, const uint8_t pol32[32])
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_DefineSpace);
	u32(&c, TPM_RH_OWNER); pw(&c, "");
	b2b(&c, auth, (uint16_t)strlen(auth));
	u16(&c, pol32 ? 46 : 14); u32(&c, idx); u16(&c, TPM_ALG_SHA256); u32(&c, attrs);
	if (pol32)
		b2b(&c, pol32, 32);
	else
		u16(&c, 0);
	u16(&c, size);
	return exec(&c);
}

static uint32_t nv_write_owner(uint32_t idx, const void *data, uint16_t n)
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_Write);
	u32(&c, TPM_RH_OWNER); u32(&c, idx); pw(&c, "");
	b2b(&c, data, n); u16(&c, 0);
	return exec(&c);
}

/* Name of an entity as the TPM reports it (NV_ReadPublic / ReadPublic), or its handle. */
static size_t name_of(uint32_t h, uint8_t *out)
{
	struct cb c;
	if ((h >> 24) == TPM_HT_NV_INDEX || (h >> 24) == TPM_HT_TRANSIENT) {
		start(&c, TPM_ST_NO_SESSIONS, (h >> 24) == TPM_HT_NV_INDEX ? TPM_CC_NV_ReadPublic : TPM_CC_ReadPublic);
		u32(&c, h);
		assert_int_equal(exec(&c), 0);
		const uint8_t *p = rsp + 10;
		p += 2 + vtpm_be16(p);
		memcpy(out, p + 2, vtpm_be16(p));
		return vtpm_be16(p);
	}
	vtpm_set_be32(out, h);
	return 4;
}

/* Runs cc authorized by session s (handle 1 is the authorized one). The HMAC is computed here:
 * HMAC(sessionKey || auth, cpHash || nonceCaller || nonceTPM || attrs); with password set, the HMAC
 * field is auth itself (PolicyPassword). On success the session takes the new nonceTPM. */
static uint32_t run_auth(struct sess *s, bool password, const char *auth, uint32_t cc, const uint32_t *hs,
			 unsigned nh, const uint8_t *params, size_t pl)
{
	uint8_t buf[2048], cp[32], mac[32], nc[16], key[96], attrs = TPMA_SESSION_CONTINUESESSION;
	size_t n = 0, al = strlen(auth);
	struct cb c;
	uint32_t rc;

	vtpm_set_be32(buf, cc); n = 4;
	for (unsigned i = 0; i < nh; i++)
		n += name_of(hs[i], buf + n);
	memcpy(buf + n, params, pl); n += pl;
	sha256(buf, n, cp);
	memset(nc, 0x40 + s->nc++, 16);
	memcpy(key, s->key, s->kl);
	memcpy(key + s->kl, auth, al);
	memcpy(buf, cp, 32); memcpy(buf + 32, nc, 16); memcpy(buf + 48, s->nt, 32); buf[80] = attrs;
	hmac256(key, s->kl + al, buf, 81, mac);
	start(&c, TPM_ST_SESSIONS, cc);
	for (unsigned i = 0; i < nh; i++)
		u32(&c, hs[i]);
	u32(&c, (uint32_t)(4 + 2 + 16 + 1 + 2 + (password ? al : 32)));
	u32(&c, s->h); b2b(&c, nc, 16); u8(&c, attrs);
	if (password)
		b2b(&c, auth, (uint16_t)al);
	else
		b2b(&c, mac, 32);
	bytes(&c, params, pl);
	rc = exec(&c);
	if (rc == 0) {
		size_t off = 14 + vtpm_be32(rsp + 10);
		assert_int_equal(vtpm_be16(rsp + off), 32);
		memcpy(s->nt, rsp + off + 2, 32);
	}
	return rc;
}

static uint32_t nv_read_with(struct sess *s, uint32_t idx, uint16_t size)
{
	uint32_t hs[2] = { idx, idx };
	uint8_t p[4];
	vtpm_set_be16(p, size); vtpm_set_be16(p + 2, 0);
	return run_auth(s, false, "", TPM_CC_NV_Read, hs, 2, p, 4);
}

/* ECC P-256 signing key (owner hierarchy), with an authPolicy when pol32 is given. */
static uint32_t create_key(uint32_t attrs, const uint8_t *pol32)
{
	struct cb t = { .n = 0 }, c;

	u16(&t, TPM_ALG_ECC); u16(&t, TPM_ALG_SHA256); u32(&t, attrs);
	if (pol32)
		b2b(&t, pol32, 32);
	else
		u16(&t, 0);
	u16(&t, TPM_ALG_NULL); u16(&t, TPM_ALG_ECDSA); u16(&t, TPM_ALG_SHA256); u16(&t, TPM_ECC_NIST_P256);
	u16(&t, TPM_ALG_NULL); u16(&t, 0); u16(&t, 0);
	start(&c, TPM_ST_SESSIONS, TPM_CC_CreatePrimary);
	u32(&c, TPM_RH_OWNER); pw(&c, "");
	u16(&c, 4); u16(&c, 0); u16(&c, 0);
	b2b(&c, t.b, (uint16_t)t.n);
	u16(&c, 0); u32(&c, 0);
	assert_int_equal(exec(&c), 0);
	return vtpm_be32(rsp + 10);
}

/* Sign with the key's own ECDSA-SHA256 scheme (unrestricted key, password session); the TPMT_SIGNATURE
 * is copied to sig (72 bytes). */
static void tpm_sign(uint32_t key, const uint8_t dg[32], uint8_t sig[72])
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_Sign);
	u32(&c, key); pw(&c, "");
	b2b(&c, dg, 32); u16(&c, TPM_ALG_NULL);
	u16(&c, TPM_ST_HASHCHECK); u32(&c, TPM_RH_NULL); u16(&c, 0);
	assert_int_equal(exec(&c), 0);
	memcpy(sig, rsp + 14, 72);
}

/* ---- tests ---- */

/* Each assertion of a trial session extends the digest exactly as Part 3 says; the TPM checks
 * nothing in a trial (PolicyPCR with an expected digest, PolicyOR with a list not holding the
 * current digest). PolicyPassword and PolicyAuthValue give the same digest. */
static void test_trial_digests_match_independent_computation(void **state)
{
	(void)state;
	uint8_t want[32] = { 0 }, cp[32], d[32], sel[10], b[256], zero[32] = { 0 }, other[32];
	struct sess s;
	size_t n;

	assert_int_equal(start_session(TPM_SE_TRIAL, &s), 0);
	assert_int_equal(s.h >> 24, TPM_HT_POLICY_SESSION);
	expect_digest(&s, want);

	assert_int_equal(pol_u32(TPM_CC_PolicyCommandCode, &s, TPM_CC_NV_Read), 0);
	vtpm_set_be32(b, TPM_CC_NV_Read);
	ext(want, TPM_CC_PolicyCommandCode, b, 4);
	expect_digest(&s, want);

	assert_int_equal(pol(TPM_CC_PolicyAuthValue, &s, "", 0), 0);
	ext(want, TPM_CC_PolicyAuthValue, "", 0);
	expect_digest(&s, want);
	assert_int_equal(pol(TPM_CC_PolicyPassword, &s, "", 0), 0);
	ext(want, TPM_CC_PolicyAuthValue, "", 0); /* the same code, by the spec */
	expect_digest(&s, want);

	b[0] = 0x09; /* localities 0 and 3 */
	assert_int_equal(pol(TPM_CC_PolicyLocality, &s, b, 1), 0);
	ext(want, TPM_CC_PolicyLocality, b, 1);
	expect_digest(&s, want);

	memset(cp, 0xcc, 32);
	assert_int_equal(pol_2b(TPM_CC_PolicyCpHash, &s, cp, 32), 0);
	ext(want, TPM_CC_PolicyCpHash, cp, 32);
	expect_digest(&s, want);

	/* a trial PolicyPCR takes the caller's expected digest as it is */
	memset(d, 0xdd, 32);
	assert_int_equal(pol_pcr(&s, d, 32, 0x3), 0);
	n = pcr_sel(sel, 0x3);
	memcpy(b, sel, n); memcpy(b + n, d, 32);
	ext(want, TPM_CC_PolicyPCR, b, n + 32);
	expect_digest(&s, want);

	b[0] = 1;
	assert_int_equal(pol(TPM_CC_PolicyNvWritten, &s, b, 1), 0);
	ext(want, TPM_CC_PolicyNvWritten, b, 1);
	expect_digest(&s, want);

	/* PolicyCounterTimer: args = H(operandB || offset || operation) */
	{
		uint8_t p[] = { 0, 2, 0xab, 0xcd, 0, 8, 0, TPM_EO_UNSIGNED_GE }, args[32], a2[8] = { 0xab, 0xcd, 0, 8, 0, TPM_EO_UNSIGNED_GE };
		assert_int_equal(pol(TPM_CC_PolicyCounterTimer, &s, p, sizeof(p)), 0);
		sha256(a2, 6, args);
		ext(want, TPM_CC_PolicyCounterTimer, args, 32);
		expect_digest(&s, want);
	}

	/* PolicyOR in a trial: any list; the result starts from zeros */
	memset(other, 0x0f, 32);
	vtpm_set_be32(b, 2); vtpm_set_be16(b + 4, 32); memcpy(b + 6, other, 32);
	vtpm_set_be16(b + 38, 32); memcpy(b + 40, zero, 32);
	assert_int_equal(pol(TPM_CC_PolicyOR, &s, b, 72), 0);
	memset(want, 0, 32);
	memcpy(b, other, 32); memcpy(b + 32, zero, 32);
	ext(want, TPM_CC_PolicyOR, b, 64);
	expect_digest(&s, want);

	/* PolicyRestart: back to zeros, still a trial session */
	assert_int_equal(pol(TPM_CC_PolicyRestart, &s, "", 0), 0);
	memset(want, 0, 32);
	expect_digest(&s, want);

	/* PolicyNameHash, then PolicyCpHash conflicts with it */
	memset(d, 0x4e, 32);
	assert_int_equal(pol_2b(TPM_CC_PolicyNameHash, &s, d, 32), 0);
	ext(want, TPM_CC_PolicyNameHash, d, 32);
	expect_digest(&s, want);
	assert_int_equal(pol_2b(TPM_CC_PolicyCpHash, &s, cp, 32), TPM_RC_CPHASH);
	assert_int_equal(pol_2b(TPM_CC_PolicyNameHash, &s, d, 31), RC_P(TPM_RC_SIZE, 1));
	expect_digest(&s, want);

	/* PolicyTemplate and PolicyDuplicationSelect on fresh policies */
	assert_int_equal(pol(TPM_CC_PolicyRestart, &s, "", 0), 0);
	memset(want, 0, 32);
	assert_int_equal(pol_2b(TPM_CC_PolicyTemplate, &s, d, 32), 0);
	ext(want, TPM_CC_PolicyTemplate, d, 32);
	expect_digest(&s, want);
	assert_int_equal(pol(TPM_CC_PolicyRestart, &s, "", 0), 0);
	memset(want, 0, 32);
	{
		uint8_t on[34], pn[34], p[80];
		memset(on, 0x0a, 34); memset(pn, 0x0b, 34);
		vtpm_set_be16(p, 34); memcpy(p + 2, on, 34); vtpm_set_be16(p + 36, 34); memcpy(p + 38, pn, 34); p[72] = 1;
		assert_int_equal(pol(TPM_CC_PolicyDuplicationSelect, &s, p, 73), 0);
		memcpy(b, on, 34); memcpy(b + 34, pn, 34); b[68] = 1;
		ext(want, TPM_CC_PolicyDuplicationSelect, b, 69);
		expect_digest(&s, want);
		/* now bound to Duplicate: another command code is refused */
		assert_int_equal(pol_u32(TPM_CC_PolicyCommandCode, &s, TPM_CC_NV_Read), RC_P(TPM_RC_VALUE, 1));
	}
	/* bad parameters leave the digest alone */
	b[0] = 0;
	assert_int_equal(pol(TPM_CC_PolicyLocality, &s, b, 1), RC_P(TPM_RC_RANGE, 1));
	assert_int_equal(pol(TPM_CC_PolicyAuthValue, &s, b, 1), TPM_RC_SIZE);
	expect_digest(&s, want);
}

/* A trial session never authorizes, and a policy command needs a policy session. */
static void test_trial_session_cannot_authorize_and_hmac_session_is_not_a_policy(void **state)
{
	(void)state;
	struct sess s, h;
	assert_int_equal(nv_define_policy(IDX, TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD | TPMA_NV_POLICYREAD, 8, "", NULL), 0);
	assert_int_equal(nv_write_owner(IDX, "12345678", 8), 0);
	assert_int_equal(start_session(TPM_SE_TRIAL, &s), 0);
	assert_int_equal(nv_read_with(&s, IDX, 8), RC_S(TPM_RC_ATTRIBUTES, 1));
	assert_int_equal(start_session(TPM_SE_HMAC, &h), 0);
	assert_int_equal(pol(TPM_CC_PolicyAuthValue, &h, "", 0), RC_H(TPM_RC_VALUE, 1));
	h.h = HR_POLICY_SESSION | 0x777;
	assert_int_equal(pol(TPM_CC_PolicyAuthValue, &h, "", 0), RC_H(TPM_RC_HANDLE, 1));
	/* an empty authPolicy is no policy: POLICYREAD alone then gives nothing */
	assert_int_equal(start_session(TPM_SE_POLICY, &h), 0);
	assert_int_equal(nv_read_with(&h, IDX, 8), TPM_RC_AUTH_UNAVAILABLE);
}

/* An index readable under PolicyPCR(SHA-256 PCRs 0, 1) (POLICYREAD, authPolicy computed here):
 * the read works, a PCR extend after PolicyPCR gives TPM_RC_PCR_CHANGED, a new session after the
 * extend fails PolicyPCR's digest check, and a policy over other values fails at the index. */
static void test_policy_pcr_authorizes_nv_read_until_the_pcr_changes(void **state)
{
	(void)state;
	uint8_t vals[64], pcrd[32], want[32] = { 0 }, b[64], wrong[32];
	struct sess s;
	size_t n;

	pcr_read256(0, vals);
	pcr_read256(1, vals + 32);
	sha256(vals, 64, pcrd);
	n = pcr_sel(b, 0x3);
	memcpy(b + n, pcrd, 32);
	ext(want, TPM_CC_PolicyPCR, b, n + 32);
	assert_int_equal(nv_define_policy(IDX, TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD | TPMA_NV_POLICYREAD, 8, "", want), 0);
	assert_int_equal(nv_write_owner(IDX, "pcrgated", 8), 0);

	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	assert_int_equal(pol_pcr(&s, NULL, 0, 0x3), 0);
	expect_digest(&s, want);
	assert_int_equal(nv_read_with(&s, IDX, 8), 0);
	assert_memory_equal(rsp + 16, "pcrgated", 8);
	/* the policy was consumed: the continued session starts over, and an empty policy fails */
	memset(b, 0, 32);
	expect_digest(&s, b);
	assert_int_equal(nv_read_with(&s, IDX, 8), RC_S(TPM_RC_POLICY_FAIL, 1));

	/* the same with the expected digest given, then PCR 1 changes before the read */
	assert_int_equal(pol_pcr(&s, pcrd, 32, 0x3), 0);
	assert_int_equal(pcr_extend(1, 0x77), 0);
	assert_int_equal(nv_read_with(&s, IDX, 8), TPM_RC_PCR_CHANGED);
	/* ... and a second PolicyPCR in that session sees the change too */
	assert_int_equal(pol_pcr(&s, NULL, 0, 0x3), TPM_RC_PCR_CHANGED);
	/* a new session: the old expected digest no longer matches the PCRs */
	assert_int_equal(pol(TPM_CC_PolicyRestart, &s, "", 0), 0);
	assert_int_equal(pol_pcr(&s, pcrd, 32, 0x3), RC_P(TPM_RC_VALUE, 1));
	memset(wrong, 0, 32);
	assert_int_equal(pol_pcr(&s, wrong, 31, 0x3), RC_P(TPM_RC_VALUE, 1));
	/* with the current values the policy digest differs from the index's authPolicy */
	assert_int_equal(pol_pcr(&s, NULL, 0, 0x3), 0);
	assert_int_equal(nv_read_with(&s, IDX, 8), RC_S(TPM_RC_POLICY_FAIL, 1));
}

/* PolicyCommandCode(NV_Read) + PolicyAuthValue on an index: NV_Read with the right authValue in the
 * HMAC works; NV_Write is refused (TPM_RC_POLICY_CC; no POLICYWRITE: AUTH_UNAVAILABLE); a wrong
 * authValue fails and counts towards lockout. */
static void test_policy_command_code_and_auth_value(void **state)
{
	(void)state;
	uint8_t want[32] = { 0 }, b[4];
	uint32_t hs[2] = { IDX, IDX };
	uint8_t wp[4] = { 0, 0, 0, 0 }; /* NV_Write params: empty data, offset 0 */
	struct sess s;

	vtpm_set_be32(b, TPM_CC_NV_Read);
	ext(want, TPM_CC_PolicyCommandCode, b, 4);
	ext(want, TPM_CC_PolicyAuthValue, "", 0);
	assert_int_equal(nv_define_policy(IDX, TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD | TPMA_NV_POLICYREAD |
						       TPMA_NV_POLICYWRITE, 8, "secret", want), 0);
	assert_int_equal(nv_write_owner(IDX, "ccgated!", 8), 0);

	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	assert_int_equal(pol_u32(TPM_CC_PolicyCommandCode, &s, TPM_CC_NV_Read), 0);
	assert_int_equal(pol(TPM_CC_PolicyAuthValue, &s, "", 0), 0);
	expect_digest(&s, want);
	vtpm_set_be16(wp, 0);
	assert_int_equal(run_auth(&s, false, "secret", TPM_CC_NV_Write, hs, 2, wp, 4), RC_S(TPM_RC_POLICY_CC, 1));
	{
		uint8_t p[4] = { 0, 8, 0, 0 };
		assert_int_equal(run_auth(&s, false, "wrong", TPM_CC_NV_Read, hs, 2, p, 4), RC_S(TPM_RC_AUTH_FAIL, 1));
		assert_int_equal(T->p.da_failed_tries, 1);
		assert_int_equal(run_auth(&s, false, "secret", TPM_CC_NV_Read, hs, 2, p, 4), 0);
		assert_memory_equal(rsp + 16, "ccgated!", 8);
	}
	/* a command code the TPM does not implement cannot be named */
	assert_int_equal(pol_u32(TPM_CC_PolicyCommandCode, &s, 0x1FF), RC_P(TPM_RC_POLICY_CC, 1));
}

/* PolicyPassword: the authValue goes in clear in the HMAC field, the response HMAC is empty. */
static void test_policy_password_on_nv_write(void **state)
{
	(void)state;
	uint8_t want[32] = { 0 }, p[12];
	uint32_t hs[2] = { IDX, IDX };
	struct sess s;

	ext(want, TPM_CC_PolicyAuthValue, "", 0);
	assert_int_equal(nv_define_policy(IDX, TPMA_NV_OWNERREAD | TPMA_NV_POLICYWRITE, 8, "pw", want), 0);
	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	assert_int_equal(pol(TPM_CC_PolicyPassword, &s, "", 0), 0);
	vtpm_set_be16(p, 8); memcpy(p + 2, "pwritten", 8); vtpm_set_be16(p + 10, 0);
	assert_int_equal(run_auth(&s, true, "nope", TPM_CC_NV_Write, hs, 2, p, 12), RC_S(TPM_RC_AUTH_FAIL, 1));
	assert_int_equal(run_auth(&s, true, "pw", TPM_CC_NV_Write, hs, 2, p, 12), 0);
	assert_int_equal(vtpm_be16(rsp + rlen - 2), 0); /* empty response HMAC */
	{
		struct cb c;
		start(&c, TPM_ST_SESSIONS, TPM_CC_NV_Read);
		u32(&c, TPM_RH_OWNER); u32(&c, IDX); pw(&c, "");
		u16(&c, 8); u16(&c, 0);
		assert_int_equal(exec(&c), 0);
		assert_memory_equal(rsp + 16, "pwritten", 8);
	}
	/* the same policy with an HMAC session instead: POLICYWRITE only, so AUTHWRITE is missing */
	{
		struct sess h;
		assert_int_equal(start_session(TPM_SE_HMAC, &h), 0);
		assert_int_equal(run_auth(&h, false, "pw", TPM_CC_NV_Write, hs, 2, p, 12), TPM_RC_NV_AUTHORIZATION);
	}
}

/* PolicyLocality: successive calls intersect; the session only authorizes from those localities. */
static void test_policy_locality(void **state)
{
	(void)state;
	uint8_t want[32] = { 0 }, l3 = 0x08, l34 = 0x18, l0 = 0x01;
	struct sess s;

	ext(want, TPM_CC_PolicyLocality, &l3, 1);
	assert_int_equal(nv_define_policy(IDX, TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD | TPMA_NV_POLICYREAD, 8, "", want), 0);
	assert_int_equal(nv_write_owner(IDX, "locality", 8), 0);
	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	assert_int_equal(pol(TPM_CC_PolicyLocality, &s, &l3, 1), 0);
	assert_int_equal(nv_read_with(&s, IDX, 8), TPM_RC_LOCALITY);
	vtpm_set_locality(T, 3);
	assert_int_equal(nv_read_with(&s, IDX, 8), 0);
	vtpm_set_locality(T, 0);
	/* intersection: {3,4} then {3} leaves {3}; {3} then {0} leaves nothing */
	assert_int_equal(pol(TPM_CC_PolicyLocality, &s, &l34, 1), 0);
	assert_int_equal(pol(TPM_CC_PolicyLocality, &s, &l3, 1), 0);
	assert_int_equal(T->sessions[0].pol_locality | T->sessions[1].pol_locality | T->sessions[2].pol_locality, 0x08);
	assert_int_equal(pol(TPM_CC_PolicyLocality, &s, &l0, 1), RC_P(TPM_RC_RANGE, 1));
}

/* PolicyOR: the current digest must be one of the branches; either branch then gives the same
 * digest, which authorizes. */
static void test_policy_or_branches(void **state)
{
	(void)state;
	uint8_t a[32] = { 0 }, bb[32] = { 0 }, want[32] = { 0 }, list[80], code[4], cat[64];
	struct sess s;

	vtpm_set_be32(code, TPM_CC_NV_Read);
	ext(a, TPM_CC_PolicyCommandCode, code, 4);
	ext(bb, TPM_CC_PolicyAuthValue, "", 0);
	memcpy(cat, a, 32); memcpy(cat + 32, bb, 32);
	ext(want, TPM_CC_PolicyOR, cat, 64);
	vtpm_set_be32(list, 2); vtpm_set_be16(list + 4, 32); memcpy(list + 6, a, 32);
	vtpm_set_be16(list + 38, 32); memcpy(list + 40, bb, 32);
	assert_int_equal(nv_define_policy(IDX, TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD | TPMA_NV_POLICYREAD, 8, "", want), 0);
	assert_int_equal(nv_write_owner(IDX, "orbranch", 8), 0);

	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	/* the wrong branch: the session's digest (zeros) is in neither */
	assert_int_equal(pol(TPM_CC_PolicyOR, &s, list, 72), RC_P(TPM_RC_VALUE, 1));
	assert_int_equal(pol_u32(TPM_CC_PolicyCommandCode, &s, TPM_CC_NV_Read), 0);
	assert_int_equal(pol(TPM_CC_PolicyOR, &s, list, 72), 0);
	expect_digest(&s, want);
	assert_int_equal(nv_read_with(&s, IDX, 8), 0);
	/* branch b (PolicyAuthValue) after the reset */
	assert_int_equal(pol(TPM_CC_PolicyAuthValue, &s, "", 0), 0);
	assert_int_equal(pol(TPM_CC_PolicyOR, &s, list, 72), 0);
	expect_digest(&s, want);
	/* one entry, nine entries: TPM_RC_SIZE */
	vtpm_set_be32(list, 1);
	assert_int_equal(pol(TPM_CC_PolicyOR, &s, list, 38), RC_P(TPM_RC_SIZE, 1));
	vtpm_set_be32(list, 9);
	assert_int_equal(pol(TPM_CC_PolicyOR, &s, list, 72), RC_P(TPM_RC_SIZE, 1));
}

/* PolicyCpHash binds the session to exact parameters. An index's Name covers its authPolicy, so
 * the cpHash policy is approved through PolicyAuthorize (the index's policy names only the key):
 * NV_Read of 4 bytes is authorized, of 8 bytes is not. */
static void test_policy_cp_hash_binds_parameters(void **state)
{
	(void)state;
	uint8_t want[32] = { 0 }, approved[32] = { 0 }, cp[32], buf[128], name[34], kname[34], ahash[32], sig[72];
	uint8_t tk[32];
	uint32_t key = create_key(ATTRS_SK, NULL);
	struct sess s;
	struct cb c;
	size_t n = 0;

	assert_int_equal(name_of(key, kname), 34);
	ext(want, TPM_CC_PolicyAuthorize, kname, 34);
	ext_ref(want, "", 0);
	assert_int_equal(nv_define_policy(IDX, TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD | TPMA_NV_POLICYREAD, 8, "", want), 0);
	assert_int_equal(nv_write_owner(IDX, "cphashed", 8), 0);
	assert_int_equal(name_of(IDX, name), 34);
	vtpm_set_be32(buf, TPM_CC_NV_Read); n = 4;
	memcpy(buf + n, name, 34); n += 34; memcpy(buf + n, name, 34); n += 34;
	vtpm_set_be16(buf + n, 4); vtpm_set_be16(buf + n + 2, 0); n += 4;
	sha256(buf, n, cp);
	ext(approved, TPM_CC_PolicyCpHash, cp, 32);
	sha256(approved, 32, ahash); /* policyRef empty */
	tpm_sign(key, ahash, sig);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_VerifySignature);
	u32(&c, key); b2b(&c, ahash, 32); bytes(&c, sig, 72);
	assert_int_equal(exec(&c), 0);
	memcpy(tk, rsp + 18, 32);

	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	for (int round = 0; round < 2; round++) {
		uint8_t p[4] = { 0, round ? 8 : 4, 0, 0 };
		uint32_t hs[2] = { IDX, IDX };

		assert_int_equal(pol_2b(TPM_CC_PolicyCpHash, &s, cp, 32), 0);
		expect_digest(&s, approved);
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicyAuthorize);
		u32(&c, s.h); b2b(&c, approved, 32); u16(&c, 0); b2b(&c, kname, 34);
		u16(&c, TPM_ST_VERIFIED); u32(&c, TPM_RH_OWNER); b2b(&c, tk, 32);
		assert_int_equal(exec(&c), 0);
		expect_digest(&s, want);
		assert_int_equal(run_auth(&s, false, "", TPM_CC_NV_Read, hs, 2, p, 4), round ? RC_S(TPM_RC_POLICY_FAIL, 1) : 0);
		if (!round)
			assert_memory_equal(rsp + 16, "cpha", 4);
		else
			assert_int_equal(pol(TPM_CC_PolicyRestart, &s, "", 0), 0);
	}
	/* the same cpHash twice is fine, a different one conflicts */
	assert_int_equal(pol_2b(TPM_CC_PolicyCpHash, &s, cp, 32), 0);
	assert_int_equal(pol_2b(TPM_CC_PolicyCpHash, &s, cp, 32), 0);
	cp[0] ^= 1;
	assert_int_equal(pol_2b(TPM_CC_PolicyCpHash, &s, cp, 32), TPM_RC_CPHASH);
	assert_int_equal(pol_2b(TPM_CC_PolicyCpHash, &s, cp, 20), RC_P(TPM_RC_SIZE, 1));
}

/* PolicyNV: compares the index's data with operandB (every TPM_EO kind); TPM_RC_POLICY when the
 * comparison fails; the digest binds the index's Name. */
static void test_policy_nv_comparisons(void **state)
{
	(void)state;
	const uint8_t data[4] = { 0x80, 0x00, 0x10, 0x01 };
	uint8_t want[32] = { 0 }, name[34], args[32], b[80];
	struct sess s;
	struct {
		uint16_t op;
		uint8_t operand[2];
		bool holds;
	} cases[] = {
		{ TPM_EO_EQ, { 0x80, 0x00 }, true },     { TPM_EO_EQ, { 0x80, 0x01 }, false },
		{ TPM_EO_NEQ, { 0x80, 0x01 }, true },    { TPM_EO_UNSIGNED_GT, { 0x7f, 0xff }, true },
		{ TPM_EO_SIGNED_GT, { 0x7f, 0xff }, false }, { TPM_EO_SIGNED_LT, { 0x00, 0x00 }, true },
		{ TPM_EO_UNSIGNED_LT, { 0x00, 0x00 }, false }, { TPM_EO_SIGNED_GE, { 0x80, 0x00 }, true },
		{ TPM_EO_UNSIGNED_GE, { 0x80, 0x01 }, false }, { TPM_EO_SIGNED_LE, { 0xff, 0xff }, true },
		{ TPM_EO_UNSIGNED_LE, { 0x7f, 0xff }, false }, { TPM_EO_BITSET, { 0x80, 0x00 }, true },
		{ TPM_EO_BITSET, { 0x80, 0x01 }, false }, { TPM_EO_BITCLEAR, { 0x7f, 0xff }, true },
		{ TPM_EO_BITCLEAR, { 0x00, 0x01 }, true }, { TPM_EO_BITCLEAR, { 0x80, 0x00 }, false },
	};

	assert_int_equal(nv_define_policy(IDX, TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD | TPMA_NV_AUTHREAD, 4, "", NULL), 0);
	assert_int_equal(nv_write_owner(IDX, data, 4), 0);
	assert_int_equal(name_of(IDX, name), 34);
	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cb c;
		uint8_t before[32];
		assert_int_equal(get_digest(&s, before), 0);
		start(&c, TPM_ST_SESSIONS, TPM_CC_PolicyNV);
		u32(&c, TPM_RH_OWNER); u32(&c, IDX); u32(&c, s.h); pw(&c, "");
		b2b(&c, cases[i].operand, 2); u16(&c, 0); u16(&c, cases[i].op);
		assert_int_equal(exec(&c), cases[i].holds ? 0 : TPM_RC_POLICY);
		if (cases[i].holds) {
			memcpy(b, cases[i].operand, 2); vtpm_set_be16(b + 2, 0); vtpm_set_be16(b + 4, cases[i].op);
			sha256(b, 6, args);
			memcpy(b, args, 32); memcpy(b + 32, name, 34);
			memcpy(want, before, 32);
			ext(want, TPM_CC_PolicyNV, b, 66);
		} else {
			memcpy(want, before, 32);
		}
		expect_digest(&s, want);
	}
	{
		struct cb c;
		/* offset past the end, operand past the end, unknown operation */
		start(&c, TPM_ST_SESSIONS, TPM_CC_PolicyNV);
		u32(&c, TPM_RH_OWNER); u32(&c, IDX); u32(&c, s.h); pw(&c, "");
		b2b(&c, "a", 1); u16(&c, 5); u16(&c, TPM_EO_EQ);
		assert_int_equal(exec(&c), RC_P(TPM_RC_VALUE, 2));
		start(&c, TPM_ST_SESSIONS, TPM_CC_PolicyNV);
		u32(&c, TPM_RH_OWNER); u32(&c, IDX); u32(&c, s.h); pw(&c, "");
		b2b(&c, "abc", 3); u16(&c, 2); u16(&c, TPM_EO_EQ);
		assert_int_equal(exec(&c), RC_P(TPM_RC_SIZE, 1));
		start(&c, TPM_ST_SESSIONS, TPM_CC_PolicyNV);
		u32(&c, TPM_RH_OWNER); u32(&c, IDX); u32(&c, s.h); pw(&c, "");
		b2b(&c, "a", 1); u16(&c, 0); u16(&c, 12);
		assert_int_equal(exec(&c), RC_P(TPM_RC_VALUE, 3));
		/* the index authorizing itself needs AUTHREAD: yes here; the platform lacks PPREAD */
		start(&c, TPM_ST_SESSIONS, TPM_CC_PolicyNV);
		u32(&c, TPM_RH_PLATFORM); u32(&c, IDX); u32(&c, s.h); pw(&c, "");
		b2b(&c, "a", 1); u16(&c, 0); u16(&c, TPM_EO_NEQ);
		assert_int_equal(exec(&c), TPM_RC_NV_AUTHORIZATION);
	}
}

/* PolicyCounterTimer: compares TPMS_TIME_INFO (time since _TPM_Init at offset 0). */
static void test_policy_counter_timer(void **state)
{
	(void)state;
	struct sess s;
	uint8_t p[14];

	now_ms = 1000 + 5000; /* 5 s after power-on */
	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	/* time >= 4000 ms holds, time >= 6000 ms does not */
	vtpm_set_be16(p, 8); memset(p + 2, 0, 8); vtpm_set_be16(p + 8, 0x0fa0);
	vtpm_set_be16(p + 10, 0); vtpm_set_be16(p + 12, TPM_EO_UNSIGNED_GE);
	assert_int_equal(pol(TPM_CC_PolicyCounterTimer, &s, p, 14), 0);
	vtpm_set_be16(p + 8, 0x1770);
	assert_int_equal(pol(TPM_CC_PolicyCounterTimer, &s, p, 14), TPM_RC_POLICY);
	/* offset 25 + 1 byte is past TPMS_TIME_INFO; offset 26 is out of range */
	vtpm_set_be16(p, 1); p[2] = 1; vtpm_set_be16(p + 3, 25); vtpm_set_be16(p + 5, TPM_EO_EQ);
	assert_int_equal(pol(TPM_CC_PolicyCounterTimer, &s, p, 7), TPM_RC_RANGE);
	vtpm_set_be16(p + 3, 26);
	assert_int_equal(pol(TPM_CC_PolicyCounterTimer, &s, p, 7), RC_P(TPM_RC_VALUE, 2));
	/* safe (offset 24) == 1 */
	vtpm_set_be16(p + 3, 24);
	assert_int_equal(pol(TPM_CC_PolicyCounterTimer, &s, p, 7), 0);
}

/* PolicySecret with the owner hierarchy: authorized by the owner's password; the digest binds the
 * owner's Name (its handle) and policyRef; a wrong password fails. */
static void test_policy_secret_owner(void **state)
{
	(void)state;
	uint8_t want[32] = { 0 }, owner[4];
	struct sess s;
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_HierarchyChangeAuth);
	u32(&c, TPM_RH_OWNER); pw(&c, ""); b2b(&c, "ownerpw", 7);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	start(&c, TPM_ST_SESSIONS, TPM_CC_PolicySecret);
	u32(&c, TPM_RH_OWNER); u32(&c, s.h); pw(&c, "wrong");
	u16(&c, 0); u16(&c, 0); b2b(&c, "ref", 3); u32(&c, 0);
	assert_int_equal(exec(&c), RC_S(TPM_RC_AUTH_FAIL, 1));
	start(&c, TPM_ST_SESSIONS, TPM_CC_PolicySecret);
	u32(&c, TPM_RH_OWNER); u32(&c, s.h); pw(&c, "ownerpw");
	b2b(&c, s.nt, 32); u16(&c, 0); b2b(&c, "ref", 3); u32(&c, 0);
	assert_int_equal(exec(&c), 0);
	/* response: timeout (empty), TPMT_TK_AUTH NULL ticket */
	assert_int_equal(vtpm_be16(rsp + 14), 0);
	assert_int_equal(vtpm_be16(rsp + 16), TPM_ST_AUTH_SECRET);
	assert_int_equal(vtpm_be32(rsp + 18), TPM_RH_NULL);
	vtpm_set_be32(owner, TPM_RH_OWNER);
	ext(want, TPM_CC_PolicySecret, owner, 4);
	ext_ref(want, "ref", 3);
	expect_digest(&s, want);
	/* a stale nonceTPM */
	start(&c, TPM_ST_SESSIONS, TPM_CC_PolicySecret);
	u32(&c, TPM_RH_OWNER); u32(&c, s.h); pw(&c, "ownerpw");
	b2b(&c, "0123456789abcdef", 16); u16(&c, 0); u16(&c, 0); u32(&c, 0);
	assert_int_equal(exec(&c), RC_P(TPM_RC_NONCE, 1));
	/* a cpHashA of the wrong size */
	start(&c, TPM_ST_SESSIONS, TPM_CC_PolicySecret);
	u32(&c, TPM_RH_OWNER); u32(&c, s.h); pw(&c, "ownerpw");
	u16(&c, 0); b2b(&c, "short", 5); u16(&c, 0); u32(&c, 0);
	assert_int_equal(exec(&c), RC_P(TPM_RC_SIZE, 2));
	expect_digest(&s, want);
}

/* PolicySigned: aHash = SHA-256(nonceTPM || expiration || cpHashA || policyRef) signed by a loaded
 * key; a bad signature, a stale nonce and an expired authorization are refused; an expiry is also
 * enforced later, when the session authorizes. */
static void test_policy_signed(void **state)
{
	(void)state;
	uint8_t ahash[32], sig[72], buf[128], want[32] = { 0 }, kname[34], e[4];
	uint32_t key = create_key(ATTRS_SK, NULL);
	struct sess s;
	struct cb c;

	assert_int_equal(name_of(key, kname), 34);
	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	/* expiration 2 s after the session started, with its nonce */
	vtpm_set_be32(e, 2);
	memcpy(buf, s.nt, 32); memcpy(buf + 32, e, 4); memcpy(buf + 36, "signref", 7);
	sha256(buf, 43, ahash);
	tpm_sign(key, ahash, sig);
	sig[71] ^= 1;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicySigned);
	u32(&c, key); u32(&c, s.h);
	b2b(&c, s.nt, 32); u16(&c, 0); b2b(&c, "signref", 7); u32(&c, 2); bytes(&c, sig, 72);
	assert_int_equal(exec(&c), RC_P(TPM_RC_SIGNATURE, 5));
	sig[71] ^= 1;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicySigned);
	u32(&c, key); u32(&c, s.h);
	b2b(&c, s.nt, 32); u16(&c, 0); b2b(&c, "signref", 7); u32(&c, 2); bytes(&c, sig, 72);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(vtpm_be16(rsp + 12), TPM_ST_AUTH_SIGNED);
	ext(want, TPM_CC_PolicySigned, kname, 34);
	ext_ref(want, "signref", 7);
	expect_digest(&s, want);

	/* an NV index under that policy reads now, not after the 2 s */
	assert_int_equal(nv_define_policy(IDX, TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD | TPMA_NV_POLICYREAD, 8, "", want), 0);
	assert_int_equal(nv_write_owner(IDX, "signedok", 8), 0);
	now_ms += 3000;
	assert_int_equal(nv_read_with(&s, IDX, 8), RC_S(TPM_RC_EXPIRED, 1));
	/* the same signature again, now expired at PolicySigned itself */
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicySigned);
	u32(&c, key); u32(&c, s.h);
	b2b(&c, s.nt, 32); u16(&c, 0); b2b(&c, "signref", 7); u32(&c, 2); bytes(&c, sig, 72);
	assert_int_equal(exec(&c), RC_P(TPM_RC_EXPIRED, 4));
	/* no expiration, no nonce: valid until the session ends */
	assert_int_equal(pol(TPM_CC_PolicyRestart, &s, "", 0), 0);
	memset(e, 0, 4);
	memcpy(buf, e, 4); memcpy(buf + 4, "signref", 7);
	sha256(buf, 11, ahash);
	tpm_sign(key, ahash, sig);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicySigned);
	u32(&c, key); u32(&c, s.h);
	u16(&c, 0); u16(&c, 0); b2b(&c, "signref", 7); u32(&c, 0); bytes(&c, sig, 72);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(nv_read_with(&s, IDX, 8), 0);
	assert_memory_equal(rsp + 16, "signedok", 8);
	/* a nonce that is not the session's */
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicySigned);
	u32(&c, key); u32(&c, s.h);
	b2b(&c, "0123456789abcdef", 16); u16(&c, 0); u16(&c, 0); u32(&c, 0); bytes(&c, sig, 72);
	assert_int_equal(exec(&c), RC_P(TPM_RC_NONCE, 1));
	/* a trial session accepts any signature and gives the same digest */
	{
		struct sess tr;
		assert_int_equal(start_session(TPM_SE_TRIAL, &tr), 0);
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicySigned);
		u32(&c, key); u32(&c, tr.h);
		u16(&c, 0); u16(&c, 0); b2b(&c, "signref", 7); u32(&c, 0); u16(&c, TPM_ALG_NULL);
		assert_int_equal(exec(&c), 0);
		expect_digest(&tr, want);
	}
}

/* PolicyAuthorize: an approved policy signed by a key and checked by VerifySignature's ticket
 * replaces the digest by H(H(0 || CC || keyName) || policyRef); a forged or NULL ticket, or a
 * session whose digest is not the approved policy, is refused. */
static void test_policy_authorize_with_verification_ticket(void **state)
{
	(void)state;
	uint8_t approved[32] = { 0 }, ahash[32], sig[72], buf[128], want[32] = { 0 }, kname[34], tk[32], code[4];
	uint32_t key = create_key(ATTRS_SK, NULL);
	uint32_t tk_hier;
	struct sess s;
	struct cb c;

	assert_int_equal(name_of(key, kname), 34);
	vtpm_set_be32(code, TPM_CC_NV_Read);
	ext(approved, TPM_CC_PolicyCommandCode, code, 4);
	memcpy(buf, approved, 32); memcpy(buf + 32, "aref", 4);
	sha256(buf, 36, ahash);
	tpm_sign(key, ahash, sig);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_VerifySignature);
	u32(&c, key); b2b(&c, ahash, 32); bytes(&c, sig, 72);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(vtpm_be16(rsp + 10), TPM_ST_VERIFIED);
	tk_hier = vtpm_be32(rsp + 12);
	assert_int_equal(tk_hier, TPM_RH_OWNER);
	assert_int_equal(vtpm_be16(rsp + 16), 32);
	memcpy(tk, rsp + 18, 32);

	ext(want, TPM_CC_PolicyAuthorize, kname, 34);
	ext_ref(want, "aref", 4);
	assert_int_equal(nv_define_policy(IDX, TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD | TPMA_NV_POLICYREAD, 8, "", want), 0);
	assert_int_equal(nv_write_owner(IDX, "approved", 8), 0);

	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
#define AUTHORIZE(hier, t) do { \
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicyAuthorize); \
		u32(&c, s.h); b2b(&c, approved, 32); b2b(&c, "aref", 4); b2b(&c, kname, 34); \
		u16(&c, TPM_ST_VERIFIED); u32(&c, (hier)); b2b(&c, (t), 32); \
	} while (0)
	/* the session's digest is still zeros, not the approved policy */
	AUTHORIZE(tk_hier, tk);
	assert_int_equal(exec(&c), RC_P(TPM_RC_VALUE, 1));
	assert_int_equal(pol_u32(TPM_CC_PolicyCommandCode, &s, TPM_CC_NV_Read), 0);
	tk[5] ^= 0x20;
	AUTHORIZE(tk_hier, tk);
	assert_int_equal(exec(&c), RC_P(TPM_RC_VALUE, 4));
	tk[5] ^= 0x20;
	AUTHORIZE(TPM_RH_ENDORSEMENT, tk); /* the ticket of another hierarchy */
	assert_int_equal(exec(&c), RC_P(TPM_RC_VALUE, 4));
	AUTHORIZE(TPM_RH_NULL, tk);
	assert_int_equal(exec(&c), RC_P(TPM_RC_VALUE, 4));
	AUTHORIZE(tk_hier, tk);
	assert_int_equal(exec(&c), 0);
	expect_digest(&s, want);
	assert_int_equal(nv_read_with(&s, IDX, 8), 0);
	assert_memory_equal(rsp + 16, "approved", 8);
#undef AUTHORIZE
}

/* A key without userWithAuth is usable only through its authPolicy (USER role, Part 1, 19.7.4). */
static void test_key_without_user_with_auth_needs_its_policy(void **state)
{
	(void)state;
	uint8_t want[32] = { 0 }, code[4], dg[32] = { 1 }, p[40];
	struct sess s;
	uint32_t key;
	struct cb c;

	vtpm_set_be32(code, TPM_CC_Sign);
	ext(want, TPM_CC_PolicyCommandCode, code, 4);
	key = create_key(ATTRS_SK_POLICY, want);
	start(&c, TPM_ST_SESSIONS, TPM_CC_Sign);
	u32(&c, key); pw(&c, "");
	b2b(&c, dg, 32); u16(&c, TPM_ALG_NULL); u16(&c, TPM_ST_HASHCHECK); u32(&c, TPM_RH_NULL); u16(&c, 0);
	assert_int_equal(exec(&c), TPM_RC_AUTH_UNAVAILABLE);
	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	assert_int_equal(pol_u32(TPM_CC_PolicyCommandCode, &s, TPM_CC_Sign), 0);
	vtpm_set_be16(p, 32); memcpy(p + 2, dg, 32);
	vtpm_set_be16(p + 34, TPM_ALG_NULL); vtpm_set_be16(p + 36, TPM_ST_HASHCHECK);
	{
		uint8_t q[44];
		memcpy(q, p, 38); vtpm_set_be32(q + 38, TPM_RH_NULL); vtpm_set_be16(q + 42, 0);
		assert_int_equal(run_auth(&s, false, "", TPM_CC_Sign, &key, 1, q, 44), 0);
		assert_int_equal(vtpm_be16(rsp + 14), TPM_ALG_ECDSA);
		/* consumed: the next Sign through the same session needs the policy again */
		assert_int_equal(run_auth(&s, false, "", TPM_CC_Sign, &key, 1, q, 44), RC_S(TPM_RC_POLICY_FAIL, 1));
	}
}

/* PolicyNvWritten: the deferred check follows TPMA_NV_WRITTEN of the authorized index. */
static void test_policy_nv_written(void **state)
{
	(void)state;
	uint8_t want[32] = { 0 }, no = 0, yes = 1;
	uint32_t hs[2] = { IDX, IDX };
	uint8_t p[12];
	struct sess s;

	ext(want, TPM_CC_PolicyNvWritten, &no, 1);
	assert_int_equal(nv_define_policy(IDX, TPMA_NV_OWNERREAD | TPMA_NV_OWNERWRITE | TPMA_NV_POLICYWRITE, 8, "", want), 0);
	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	assert_int_equal(pol(TPM_CC_PolicyNvWritten, &s, &no, 1), 0);
	assert_int_equal(pol(TPM_CC_PolicyNvWritten, &s, &yes, 1), RC_P(TPM_RC_VALUE, 1));
	vtpm_set_be16(p, 8); memcpy(p + 2, "onceonly", 8); vtpm_set_be16(p + 10, 0);
	assert_int_equal(run_auth(&s, false, "", TPM_CC_NV_Write, hs, 2, p, 12), 0);
	/* written now: the same policy no longer holds */
	assert_int_equal(pol(TPM_CC_PolicyNvWritten, &s, &no, 1), 0);
	assert_int_equal(run_auth(&s, false, "", TPM_CC_NV_Write, hs, 2, p, 12), RC_S(TPM_RC_POLICY_FAIL, 1));
}

/* A policy session's state travels in its context (ContextSave/ContextLoad). */
static void test_policy_session_context_keeps_digest(void **state)
{
	(void)state;
	uint8_t want[32] = { 0 }, ctx[1024];
	size_t n;
	struct sess s;
	struct cb c;

	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	assert_int_equal(pol(TPM_CC_PolicyAuthValue, &s, "", 0), 0);
	ext(want, TPM_CC_PolicyAuthValue, "", 0);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ContextSave);
	u32(&c, s.h);
	assert_int_equal(exec(&c), 0);
	n = rlen - 10;
	memcpy(ctx, rsp + 10, n);
	assert_int_equal(get_digest(&s, want), RC_H(TPM_RC_HANDLE, 1));
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ContextLoad);
	bytes(&c, ctx, n);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(vtpm_be32(rsp + 10), s.h);
	memset(want, 0, 32);
	ext(want, TPM_CC_PolicyAuthValue, "", 0);
	expect_digest(&s, want);
}

/* ---- roles and the template check, through vtpm_authorize with a descriptor made here: no
 * implemented command has an ADMIN or DUP handle yet, and only creation commands carry a template
 * (both arrive with the object model) ---- */

/* Authorizes handle key for command cc with role r: password auth (pass) or policy session s. */
static uint32_t authorize_as(uint32_t cc, uint8_t r, uint32_t key, struct sess *s, const char *pass,
			     const uint8_t *params, size_t pl)
{
	struct vtpm_cmd_desc d = { .cc = cc, .n_handles = 1, .n_auth = 1, .role = { r, 0 } };
	struct vtpm_cmd c;

	memset(&c, 0, sizeof(c));
	c.cc = cc;
	c.tag = TPM_ST_SESSIONS;
	c.handles[0] = key;
	c.n_handles = 1;
	c.n_auths = 1;
	c.auths[0].attrs = TPMA_SESSION_CONTINUESESSION;
	if (!s) {
		c.auths[0].handle = TPM_RS_PW;
		c.auths[0].hmac_len = (uint16_t)strlen(pass);
		memcpy(c.auths[0].hmac, pass, c.auths[0].hmac_len);
	} else {
		uint8_t buf[1024], cp[32];
		size_t n;

		c.auths[0].handle = s->h;
		c.auths[0].s = vtpm_session_find(T, s->h);
		c.auths[0].nonce_len = 16;
		memset(c.auths[0].nonce, 0x66, 16);
		vtpm_set_be32(buf, cc);
		n = 4 + name_of(key, buf + 4);
		memcpy(buf + n, params, pl);
		sha256(buf, n + pl, cp);
		memcpy(buf, cp, 32); memcpy(buf + 32, c.auths[0].nonce, 16); memcpy(buf + 48, s->nt, 32);
		buf[80] = c.auths[0].attrs;
		hmac256("", 0, buf, 81, c.auths[0].hmac);
		c.auths[0].hmac_len = 32;
	}
	return vtpm_authorize(T, &c, &d, params, pl);
}

/* Part 1, 19.7.2: DUP never with a password/HMAC; ADMIN with one only without adminWithPolicy; a
 * policy session for ADMIN/DUP must name the command (PolicyCommandCode). */
static void test_admin_and_dup_roles(void **state)
{
	(void)state;
	uint8_t want[32] = { 0 }, code[4], p[2] = { 0, 0 };
	uint32_t plain, admin;
	struct sess s;

	vtpm_set_be32(code, TPM_CC_Duplicate);
	ext(want, TPM_CC_PolicyCommandCode, code, 4);
	plain = create_key(ATTRS_SK, want);
	admin = create_key(ATTRS_SK | TPMA_OBJECT_ADMINWITHPOLICY, want);
	assert_int_equal(authorize_as(TPM_CC_Sign, VTPM_ROLE_USER, plain, NULL, "", p, 2), 0);
	assert_int_equal(authorize_as(TPM_CC_Sign, VTPM_ROLE_ADMIN, plain, NULL, "", p, 2), 0);
	assert_int_equal(authorize_as(TPM_CC_Sign, VTPM_ROLE_ADMIN, admin, NULL, "", p, 2), TPM_RC_AUTH_TYPE);
	assert_int_equal(authorize_as(TPM_CC_Sign, VTPM_ROLE_USER, admin, NULL, "", p, 2), 0);
	assert_int_equal(authorize_as(TPM_CC_Duplicate, VTPM_ROLE_DUP, plain, NULL, "", p, 2), TPM_RC_AUTH_TYPE);
	/* a policy session without a command code cannot serve ADMIN or DUP, even with the digest right */
	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	/* Duplicate is not implemented, so PolicyCommandCode cannot name it (checked below): put the
	 * digest into the session directly, without a recorded commandCode */
	for (unsigned i = 0; i < VTPM_SESSIONS; i++)
		if (T->sessions[i].handle == s.h)
			memcpy(T->sessions[i].policy, want, 32);
	assert_int_equal(authorize_as(TPM_CC_Duplicate, VTPM_ROLE_DUP, plain, &s, "", p, 2), RC_S(TPM_RC_POLICY_FAIL, 1));
	assert_int_equal(pol(TPM_CC_PolicyRestart, &s, "", 0), 0);
	assert_int_equal(pol_u32(TPM_CC_PolicyCommandCode, &s, TPM_CC_Duplicate), RC_P(TPM_RC_POLICY_CC, 1));
}

/* PolicyTemplate: the creation command's inPublic must hash to the recorded templateHash. */
static void test_policy_template_checks_in_public(void **state)
{
	(void)state;
	uint8_t want[32] = { 0 }, th[32], params[64], pub[20];
	uint32_t key;
	struct sess s;
	size_t n;

	memset(pub, 0x7e, sizeof(pub));
	sha256(pub, sizeof(pub), th);
	ext(want, TPM_CC_PolicyTemplate, th, 32);
	key = create_key(ATTRS_SK, want);
	/* CreatePrimary-shaped parameters: inSensitive (empty), inPublic */
	vtpm_set_be16(params, 4); memset(params + 2, 0, 4);
	vtpm_set_be16(params + 6, sizeof(pub)); memcpy(params + 8, pub, sizeof(pub));
	n = 8 + sizeof(pub);
	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	assert_int_equal(pol_2b(TPM_CC_PolicyTemplate, &s, th, 32), 0);
	assert_int_equal(authorize_as(TPM_CC_Create, VTPM_ROLE_USER, key, &s, "", params, n), 0);
	params[10] ^= 1; /* another template */
	assert_int_equal(authorize_as(TPM_CC_Create, VTPM_ROLE_USER, key, &s, "", params, n), RC_S(TPM_RC_POLICY_FAIL, 1));
	params[10] ^= 1;
	assert_int_equal(authorize_as(TPM_CC_Sign, VTPM_ROLE_USER, key, &s, "", params, n), RC_S(TPM_RC_POLICY_FAIL, 1));
	/* a second, different template conflicts */
	th[0] ^= 1;
	assert_int_equal(pol_2b(TPM_CC_PolicyTemplate, &s, th, 32), RC_P(TPM_RC_VALUE, 1));
}

/* TPMT_TK_AUTH as docs/vtpm.md gives it: HMAC-SHA-256(proof(hierarchy), tag || cpHashA || policyRef
 * || authName || timeout || resetCount || restartCount [|| resetCount]) — the proof taken from the
 * engine, the rest composed here. */
static void ticket_want(uint16_t tag, uint32_t hier, uint64_t timeout, bool on_reset, const char *ref,
			const uint8_t *name, size_t nl, uint8_t out[32])
{
	uint8_t proof[32], buf[256];
	size_t n = 0, rl = strlen(ref);

	assert_true(vtpm_hierarchy_proof(T, hier, proof));
	vtpm_set_be16(buf, tag); n = 2;
	memcpy(buf + n, ref, rl); n += rl;
	memcpy(buf + n, name, nl); n += nl;
	vtpm_set_be32(buf + n, (uint32_t)(timeout >> 32)); vtpm_set_be32(buf + n + 4, (uint32_t)timeout); n += 8;
	vtpm_set_be32(buf + n, T->p.reset_count); vtpm_set_be32(buf + n + 4, T->p.restart_count); n += 8;
	if (on_reset) {
		vtpm_set_be32(buf + n, T->p.reset_count);
		n += 4;
	}
	hmac256(proof, 32, buf, n, out);
}

static uint32_t policy_ticket(const struct sess *s, const uint8_t to[8], const char *ref, const uint8_t *name,
			      uint16_t nl, uint16_t tag, uint32_t hier, const uint8_t tk[32])
{
	struct cb c;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicyTicket);
	u32(&c, s->h);
	b2b(&c, to, 8); u16(&c, 0); b2b(&c, ref, (uint16_t)strlen(ref)); b2b(&c, name, nl);
	u16(&c, tag); u32(&c, hier); b2b(&c, tk, 32);
	return exec(&c);
}

/* expiration < 0 returns a ticket; PolicyTicket replays it in another session with the same digest
 * until it expires; a forged ticket, other policyRef, a trial session, and (for a ticket bound to
 * the reset) a TPM Reset are refused. */
static void test_policy_ticket_replays_signed_and_secret(void **state)
{
	(void)state;
	uint8_t ahash[32], sig[72], buf[64], kname[34], to[8], tk[32], want[32], d1[32], owner[4];
	uint32_t key = create_key(ATTRS_SK, NULL);
	uint64_t timeout;
	struct sess s, s2, tr;
	struct cb c;

	assert_int_equal(name_of(key, kname), 34);
	now_ms += 500;
	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	/* aHash with expiration -60 (two's complement on the wire) */
	vtpm_set_be32(buf + 32, (uint32_t)-60);
	memcpy(buf, s.nt, 32); memcpy(buf + 36, "tref", 4);
	sha256(buf, 40, ahash);
	tpm_sign(key, ahash, sig);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicySigned);
	u32(&c, key); u32(&c, s.h);
	b2b(&c, s.nt, 32); u16(&c, 0); b2b(&c, "tref", 4); u32(&c, (uint32_t)-60); bytes(&c, sig, 72);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(vtpm_be16(rsp + 10), 8);
	memcpy(to, rsp + 12, 8);
	timeout = ((uint64_t)vtpm_be32(to) << 32) | vtpm_be32(to + 4);
	assert_int_equal(timeout, 500 + 60000); /* session start (TPM time) + 60 s, not bound to the reset */
	assert_int_equal(vtpm_be16(rsp + 20), TPM_ST_AUTH_SIGNED);
	assert_int_equal(vtpm_be32(rsp + 22), TPM_RH_OWNER);
	assert_int_equal(vtpm_be16(rsp + 26), 32);
	memcpy(tk, rsp + 28, 32);
	ticket_want(TPM_ST_AUTH_SIGNED, TPM_RH_OWNER, timeout, false, "tref", kname, 34, want);
	assert_memory_equal(tk, want, 32);
	assert_int_equal(get_digest(&s, d1), 0);

	assert_int_equal(start_session(TPM_SE_POLICY, &s2), 0);
	tk[3] ^= 1;
	assert_int_equal(policy_ticket(&s2, to, "tref", kname, 34, TPM_ST_AUTH_SIGNED, TPM_RH_OWNER, tk), RC_P(TPM_RC_TICKET, 5));
	tk[3] ^= 1;
	assert_int_equal(policy_ticket(&s2, to, "xref", kname, 34, TPM_ST_AUTH_SIGNED, TPM_RH_OWNER, tk), RC_P(TPM_RC_TICKET, 5));
	assert_int_equal(policy_ticket(&s2, to, "tref", kname, 34, TPM_ST_AUTH_SECRET, TPM_RH_OWNER, tk), RC_P(TPM_RC_TICKET, 5));
	assert_int_equal(policy_ticket(&s2, to, "tref", kname, 34, TPM_ST_VERIFIED, TPM_RH_OWNER, tk), RC_P(TPM_RC_TAG, 5));
	assert_int_equal(start_session(TPM_SE_TRIAL, &tr), 0);
	assert_int_equal(policy_ticket(&tr, to, "tref", kname, 34, TPM_ST_AUTH_SIGNED, TPM_RH_OWNER, tk), RC_H(TPM_RC_ATTRIBUTES, 1));
	assert_int_equal(policy_ticket(&s2, to, "tref", kname, 34, TPM_ST_AUTH_SIGNED, TPM_RH_OWNER, tk), 0);
	expect_digest(&s2, d1);
	now_ms += 61000;
	assert_int_equal(pol(TPM_CC_PolicyRestart, &s2, "", 0), 0);
	assert_int_equal(policy_ticket(&s2, to, "tref", kname, 34, TPM_ST_AUTH_SIGNED, TPM_RH_OWNER, tk), RC_P(TPM_RC_EXPIRED, 1));

	/* PolicySecret(owner), no nonce, expiration -100: absolute TPM time 100 s, bound to the reset */
	start(&c, TPM_ST_SESSIONS, TPM_CC_PolicySecret);
	u32(&c, TPM_RH_OWNER); u32(&c, s2.h); pw(&c, "");
	u16(&c, 0); u16(&c, 0); u16(&c, 0); u32(&c, (uint32_t)-100);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(vtpm_be16(rsp + 14), 8);
	memcpy(to, rsp + 16, 8);
	assert_int_equal(to[0] & 0x80, 0x80);
	timeout = (((uint64_t)vtpm_be32(to) << 32) | vtpm_be32(to + 4)) & ~(1ull << 63);
	assert_int_equal(timeout / 1000, 100);
	memcpy(tk, rsp + 32, 32);
	vtpm_set_be32(owner, TPM_RH_OWNER);
	ticket_want(TPM_ST_AUTH_SECRET, TPM_RH_OWNER, timeout, true, "", owner, 4, want);
	assert_memory_equal(tk, want, 32);
	assert_int_equal(pol(TPM_CC_PolicyRestart, &s2, "", 0), 0);
	assert_int_equal(policy_ticket(&s2, to, "", owner, 4, TPM_ST_AUTH_SECRET, TPM_RH_OWNER, tk), 0);
	/* after a TPM Reset the same ticket is refused */
	assert_int_equal(shutdown(TPM_SU_CLEAR), 0);
	vtpm_power_on(T, &plat);
	assert_int_equal(startup(TPM_SU_CLEAR), 0);
	assert_int_equal(start_session(TPM_SE_POLICY, &s2), 0);
	assert_int_equal(policy_ticket(&s2, to, "", owner, 4, TPM_ST_AUTH_SECRET, TPM_RH_OWNER, tk), RC_P(TPM_RC_TICKET, 5));
}

static uint32_t authorize_nv(uint32_t idx, const struct sess *s)
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_PolicyAuthorizeNV);
	u32(&c, TPM_RH_OWNER); u32(&c, idx); u32(&c, s->h); pw(&c, "");
	return exec(&c);
}

/* PolicyAuthorizeNV: an index B holds the approved policy (TPMT_HA); index A's authPolicy names B.
 * Rewriting B changes what is approved; a wrong hashAlg in B is TPM_RC_HASH. */
static void test_policy_authorize_nv(void **state)
{
	(void)state;
	uint8_t approved[32] = { 0 }, other[32] = { 0 }, want[32] = { 0 }, code[4], ha[34], bname[34];
	const uint32_t A = IDX, B = IDX + 1;
	struct sess s, tr;

	vtpm_set_be32(code, TPM_CC_NV_Read);
	ext(approved, TPM_CC_PolicyCommandCode, code, 4);
	ext(other, TPM_CC_PolicyAuthValue, "", 0);
	assert_int_equal(nv_define_policy(B, TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD, 34, "", NULL), 0);
	vtpm_set_be16(ha, TPM_ALG_SHA256); memcpy(ha + 2, approved, 32);
	assert_int_equal(nv_write_owner(B, ha, 34), 0);
	assert_int_equal(name_of(B, bname), 34);
	ext(want, TPM_CC_PolicyAuthorizeNV, bname, 34);
	assert_int_equal(nv_define_policy(A, TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD | TPMA_NV_POLICYREAD, 8, "", want), 0);
	assert_int_equal(nv_write_owner(A, "nvapprov", 8), 0);

	assert_int_equal(start_session(TPM_SE_TRIAL, &tr), 0);
	assert_int_equal(authorize_nv(B, &tr), 0);
	expect_digest(&tr, want);

	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	assert_int_equal(authorize_nv(B, &s), TPM_RC_VALUE); /* zeros are not the approved policy */
	assert_int_equal(pol_u32(TPM_CC_PolicyCommandCode, &s, TPM_CC_NV_Read), 0);
	assert_int_equal(authorize_nv(B, &s), 0);
	expect_digest(&s, want);
	assert_int_equal(nv_read_with(&s, A, 8), 0);
	assert_memory_equal(rsp + 16, "nvapprov", 8);
	/* another approved policy: the old one no longer passes */
	memcpy(ha + 2, other, 32);
	assert_int_equal(nv_write_owner(B, ha, 34), 0);
	assert_int_equal(pol_u32(TPM_CC_PolicyCommandCode, &s, TPM_CC_NV_Read), 0);
	assert_int_equal(authorize_nv(B, &s), TPM_RC_VALUE);
	assert_int_equal(pol(TPM_CC_PolicyRestart, &s, "", 0), 0);
	assert_int_equal(pol(TPM_CC_PolicyAuthValue, &s, "", 0), 0);
	assert_int_equal(authorize_nv(B, &s), 0);
	/* a TPMT_HA of another hash */
	vtpm_set_be16(ha, TPM_ALG_SHA384);
	assert_int_equal(nv_write_owner(B, ha, 34), 0);
	assert_int_equal(pol(TPM_CC_PolicyAuthValue, &s, "", 0), 0);
	assert_int_equal(authorize_nv(B, &s), TPM_RC_HASH);
}

/* PolicyPhysicalPresence: the digest as specified; this platform never asserts physical presence,
 * so a session carrying it never authorizes (TPM_RC_PP). */
static void test_policy_physical_presence_never_satisfied(void **state)
{
	(void)state;
	uint8_t want[32] = { 0 };
	struct sess s;

	ext(want, TPM_CC_PolicyPhysicalPresence, "", 0);
	assert_int_equal(nv_define_policy(IDX, TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD | TPMA_NV_POLICYREAD, 8, "", want), 0);
	assert_int_equal(nv_write_owner(IDX, "presence", 8), 0);
	assert_int_equal(start_session(TPM_SE_POLICY, &s), 0);
	assert_int_equal(pol(TPM_CC_PolicyPhysicalPresence, &s, "", 0), 0);
	expect_digest(&s, want);
	assert_int_equal(nv_read_with(&s, IDX, 8), RC_S(TPM_RC_PP, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trial_digests_match_independent_computation, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_trial_session_cannot_authorize_and_hmac_session_is_not_a_policy,
						setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_pcr_authorizes_nv_read_until_the_pcr_changes, setup_started,
						teardown),
		cmocka_unit_test_setup_teardown(test_policy_command_code_and_auth_value, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_password_on_nv_write, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_locality, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_or_branches, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_cp_hash_binds_parameters, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_nv_comparisons, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_counter_timer, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_secret_owner, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_signed, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_authorize_with_verification_ticket, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_key_without_user_with_auth_needs_its_policy, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_nv_written, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_session_context_keeps_digest, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_admin_and_dup_roles, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_template_checks_in_public, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_ticket_replays_signed_and_secret, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_authorize_nv, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_physical_presence_never_satisfied, setup_started, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
