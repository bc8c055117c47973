/* vTPM policy and trial sessions (Part 1, 19.7; Part 3, 23), part 1: every policy digest is
 * recomputed here with OpenSSL from the formulas of Part 3, and the deferred checks are made to fail
 * one by one (command code, PCRs changed, locality, cpHash, NV written, the wrong PolicyOR branch,
 * roles, template, physical presence); policies authorize NV reads/writes through the HMAC a policy
 * session carries. Assertions checked when they run (PolicySigned, PolicySecret, PolicyAuthorize,
 * PolicyTicket, PolicyAuthorizeNV) are in test_vtpm_policy_auth.c. */
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
#include "tests/unit/vtpm_policy_util.h"

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
	/* put the digest into the session directly, without a recorded commandCode */
	for (unsigned i = 0; i < VTPM_SESSIONS; i++)
		if (T->sessions[i].handle == s.h)
			memcpy(T->sessions[i].policy, want, 32);
	assert_int_equal(authorize_as(TPM_CC_Duplicate, VTPM_ROLE_DUP, plain, &s, "", p, 2), RC_S(TPM_RC_POLICY_FAIL, 1));
	assert_int_equal(pol(TPM_CC_PolicyRestart, &s, "", 0), 0);
	/* with Duplicate implemented, PolicyCommandCode names it (credentials part) and the digest is
	 * the key's authPolicy */
	assert_int_equal(pol_u32(TPM_CC_PolicyCommandCode, &s, TPM_CC_Duplicate), 0);
	expect_digest(&s, want);
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
		cmocka_unit_test_setup_teardown(test_trial_session_cannot_authorize_and_hmac_session_is_not_a_policy, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_pcr_authorizes_nv_read_until_the_pcr_changes, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_command_code_and_auth_value, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_password_on_nv_write, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_locality, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_or_branches, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_cp_hash_binds_parameters, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_nv_comparisons, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_counter_timer, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_nv_written, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_session_context_keeps_digest, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_admin_and_dup_roles, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_template_checks_in_public, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_physical_presence_never_satisfied, setup_started, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
