/* vTPM policy sessions, part 2: the assertions checked when they run — PolicySecret, PolicySigned
 * (bad or expired signatures), PolicyAuthorize (forged tickets), PolicyTicket, PolicyAuthorizeNV —
 * and a key usable only through its policy. Digests and tickets are recomputed with OpenSSL. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_policy_secret_owner, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_signed, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_authorize_with_verification_ticket, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_key_without_user_with_auth_needs_its_policy, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_ticket_replays_signed_and_secret, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_policy_authorize_nv, setup_started, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
