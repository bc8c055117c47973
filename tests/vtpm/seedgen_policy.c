/* Writes fuzz seeds for the policy commands: command streams that reach deep into policy.c,
 * policyauth.c and the policy branch of session.c when tests/vtpm/fuzz_vtpm.c replays them.
 *
 * Seeds recorded from tpm2-tools do not get there: every tool is its own connection, so a policy
 * session arrives through ContextLoad of a blob from another boot, which a fresh fuzzing TPM
 * refuses. Here each flow runs on the fuzz target's own platform (fixed entropy, in-memory NV,
 * Startup(CLEAR) first), so handles, nonces, keys and signatures come out exactly as they will
 * during replay, and HMACs and signatures computed from them stay valid.
 * Usage: seedgen_policy OUTDIR  (make vtpm-policy-seeds) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/vtpm/seedgen.h"

const char *seedgen_name = "policy";

struct sess { uint32_t h; uint8_t nt[32]; };

static uint32_t session(uint8_t type, struct sess *s)
{
	struct cb c;
	uint8_t nc[16];
	memset(nc, 0x11, 16);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_StartAuthSession);
	u32(&c, TPM_RH_NULL); u32(&c, TPM_RH_NULL);
	b2b(&c, nc, 16); u16(&c, 0); u8(&c, type); u16(&c, TPM_ALG_NULL); u16(&c, TPM_ALG_SHA256);
	uint32_t rc = run(&c);
	s->h = vtpm_be32(rsp + 10);
	memcpy(s->nt, rsp + 16, 32);
	return rc;
}

static uint32_t pol(uint32_t cc, const struct sess *s, const void *p, size_t n)
{
	struct cb c;
	start(&c, TPM_ST_NO_SESSIONS, cc);
	u32(&c, s->h);
	bytes(&c, p, n);
	return run(&c);
}

static void digest_of(const struct sess *s, uint8_t out[32])
{
	expect(pol(TPM_CC_PolicyGetDigest, s, "", 0), 0, "PolicyGetDigest");
	memcpy(out, rsp + 12, 32);
}

static uint32_t nv_define(uint32_t idx, uint32_t attrs, const uint8_t *policy, const char *auth)
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_DefineSpace);
	u32(&c, TPM_RH_OWNER); pw(&c, "");
	b2b(&c, auth, (uint16_t)strlen(auth));
	u16(&c, 46); u32(&c, idx); u16(&c, TPM_ALG_SHA256); u32(&c, attrs); b2b(&c, policy, 32); u16(&c, 8);
	return run(&c);
}

static uint32_t nv_write_owner(uint32_t idx, const char *data8)
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_Write);
	u32(&c, TPM_RH_OWNER); u32(&c, idx); pw(&c, "");
	b2b(&c, data8, 8); u16(&c, 0);
	return run(&c);
}

/* NV_Read(idx, idx) through policy session s: HMAC with the empty key over cpHash. */
static uint32_t nv_read_policy(uint32_t idx, struct sess *s)
{
	uint8_t buf[256], cp[32], mac[32], name[34], nc[16];
	struct crypto_hmac_ctx m;
	struct cb c;
	size_t n = 0;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_NV_ReadPublic);
	u32(&c, idx);
	expect(run(&c), 0, "NV_ReadPublic");
	const uint8_t *p = rsp + 10 + 2 + vtpm_be16(rsp + 10);
	memcpy(name, p + 2, 34);
	vtpm_set_be32(buf, TPM_CC_NV_Read); n = 4;
	memcpy(buf + n, name, 34); n += 34; memcpy(buf + n, name, 34); n += 34;
	vtpm_set_be16(buf + n, 8); vtpm_set_be16(buf + n + 2, 0); n += 4;
	crypto_hash(CRYPTO_SHA256, buf, n, cp);
	memset(nc, 0x22, 16);
	crypto_hmac_init(&m, CRYPTO_SHA256, "", 0);
	crypto_hmac_update(&m, cp, 32); crypto_hmac_update(&m, nc, 16); crypto_hmac_update(&m, s->nt, 32);
	crypto_hmac_update(&m, "\x01", 1);
	crypto_hmac_final(&m, mac);
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_Read);
	u32(&c, idx); u32(&c, idx);
	u32(&c, 4 + 2 + 16 + 1 + 2 + 32); u32(&c, s->h); b2b(&c, nc, 16); u8(&c, 1); b2b(&c, mac, 32);
	u16(&c, 8); u16(&c, 0);
	uint32_t rc = run(&c);
	if (rc == 0)
		memcpy(s->nt, rsp + 14 + vtpm_be32(rsp + 10) + 2, 32);
	return rc;
}

static size_t pcr_sel(uint8_t *p)
{
	static const uint8_t sel[10] = { 0, 0, 0, 1, 0x00, 0x0b, 3, 3, 0, 0 };
	memcpy(p, sel, 10);
	return 10;
}

static void flow_trial(void)
{
	uint8_t b[128], d[32];
	struct sess s;

	fresh();
	expect(session(TPM_SE_TRIAL, &s), 0, "trial session");
	vtpm_set_be32(b, TPM_CC_NV_Read);
	expect(pol(TPM_CC_PolicyCommandCode, &s, b, 4), 0, "PolicyCommandCode");
	expect(pol(TPM_CC_PolicyAuthValue, &s, "", 0), 0, "PolicyAuthValue");
	expect(pol(TPM_CC_PolicyPassword, &s, "", 0), 0, "PolicyPassword");
	expect(pol(TPM_CC_PolicyLocality, &s, "\x09", 1), 0, "PolicyLocality");
	vtpm_set_be16(b, 32); memset(b + 2, 0xcc, 32);
	expect(pol(TPM_CC_PolicyCpHash, &s, b, 34), 0, "PolicyCpHash");
	vtpm_set_be16(b, 0); pcr_sel(b + 2);
	expect(pol(TPM_CC_PolicyPCR, &s, b, 12), 0, "PolicyPCR");
	expect(pol(TPM_CC_PolicyNvWritten, &s, "\x01", 1), 0, "PolicyNvWritten");
	{
		static const uint8_t ct[] = { 0, 2, 0xab, 0xcd, 0, 8, 0, TPM_EO_UNSIGNED_GE };
		expect(pol(TPM_CC_PolicyCounterTimer, &s, ct, sizeof(ct)), 0, "PolicyCounterTimer");
	}
	digest_of(&s, d);
	vtpm_set_be32(b, 2); vtpm_set_be16(b + 4, 32); memcpy(b + 6, d, 32); vtpm_set_be16(b + 38, 32); memset(b + 40, 1, 32);
	expect(pol(TPM_CC_PolicyOR, &s, b, 72), 0, "PolicyOR");
	expect(pol(TPM_CC_PolicyRestart, &s, "", 0), 0, "PolicyRestart");
	vtpm_set_be16(b, 32); memset(b + 2, 0x4e, 32);
	expect(pol(TPM_CC_PolicyNameHash, &s, b, 34), 0, "PolicyNameHash");
	expect(pol(TPM_CC_PolicyRestart, &s, "", 0), 0, "PolicyRestart");
	expect(pol(TPM_CC_PolicyTemplate, &s, b, 34), 0, "PolicyTemplate");
	expect(pol(TPM_CC_PolicyRestart, &s, "", 0), 0, "PolicyRestart");
	vtpm_set_be16(b, 34); memset(b + 2, 0x0a, 34); vtpm_set_be16(b + 36, 34); memset(b + 38, 0x0b, 34); b[72] = 1;
	expect(pol(TPM_CC_PolicyDuplicationSelect, &s, b, 73), 0, "PolicyDuplicationSelect");
	digest_of(&s, d);
}

static void flow_pcr_nv(void)
{
	uint8_t b[64], d[32], e[32];
	struct sess s, t;
	struct cb c;

	fresh();
	expect(session(TPM_SE_TRIAL, &t), 0, "trial");
	vtpm_set_be16(b, 0); pcr_sel(b + 2);
	expect(pol(TPM_CC_PolicyPCR, &t, b, 12), 0, "trial PolicyPCR");
	digest_of(&t, d);
	expect(nv_define(0x01500100, TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD | TPMA_NV_POLICYREAD, d, ""), 0, "define");
	expect(nv_write_owner(0x01500100, "pcrgated"), 0, "write");
	expect(session(TPM_SE_POLICY, &s), 0, "policy session");
	expect(pol(TPM_CC_PolicyPCR, &s, b, 12), 0, "PolicyPCR");
	expect(nv_read_policy(0x01500100, &s), 0, "NV_Read under PolicyPCR");
	expect(pol(TPM_CC_PolicyPCR, &s, b, 12), 0, "PolicyPCR again");
	memset(e, 1, 32);
	start(&c, TPM_ST_SESSIONS, TPM_CC_PCR_Extend);
	u32(&c, 1); pw(&c, ""); u32(&c, 1); u16(&c, TPM_ALG_SHA256); bytes(&c, e, 32);
	expect(run(&c), 0, "PCR_Extend");
	expect(nv_read_policy(0x01500100, &s), TPM_RC_PCR_CHANGED, "NV_Read after extend");
}

static void flow_nv_and_password(void)
{
	uint8_t d[32], b[16];
	struct sess s, t;
	struct cb c;
	static const uint16_t ops[] = { TPM_EO_EQ, TPM_EO_NEQ, TPM_EO_SIGNED_GT, TPM_EO_UNSIGNED_LT, TPM_EO_BITSET, TPM_EO_BITCLEAR };

	fresh();
	expect(session(TPM_SE_TRIAL, &t), 0, "trial");
	expect(pol(TPM_CC_PolicyPassword, &t, "", 0), 0, "trial PolicyPassword");
	digest_of(&t, d);
	expect(nv_define(0x01500101, TPMA_NV_OWNERREAD | TPMA_NV_AUTHREAD | TPMA_NV_POLICYWRITE, d, "pw"), 0, "define");
	expect(session(TPM_SE_POLICY, &s), 0, "policy session");
	expect(pol(TPM_CC_PolicyPassword, &s, "", 0), 0, "PolicyPassword");
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_Write);
	u32(&c, 0x01500101); u32(&c, 0x01500101);
	u32(&c, 4 + 2 + 1 + 2 + 2); u32(&c, s.h); u16(&c, 0); u8(&c, 1); b2b(&c, "pw", 2);
	b2b(&c, "\x80\x00\x10\x01nvdata", 8); u16(&c, 0);
	expect(run(&c), 0, "NV_Write under PolicyPassword");
	memcpy(s.nt, rsp + 14 + vtpm_be32(rsp + 10) + 2, 32);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		start(&c, TPM_ST_SESSIONS, TPM_CC_PolicyNV);
		u32(&c, 0x01500101); u32(&c, 0x01500101); u32(&c, s.h); pw(&c, "pw");
		vtpm_set_be16(b, 0x8000);
		b2b(&c, b, 2); u16(&c, 0); u16(&c, ops[i]);
		(void)run(&c);
	}
	/* PolicyAuthorizeNV: the index holds no TPMT_HA of SHA-256 (TPM_RC_HASH); in a trial it passes */
	start(&c, TPM_ST_SESSIONS, TPM_CC_PolicyAuthorizeNV);
	u32(&c, 0x01500101); u32(&c, 0x01500101); u32(&c, s.h); pw(&c, "pw");
	expect(run(&c), TPM_RC_HASH, "PolicyAuthorizeNV");
	start(&c, TPM_ST_SESSIONS, TPM_CC_PolicyAuthorizeNV);
	u32(&c, 0x01500101); u32(&c, 0x01500101); u32(&c, t.h); pw(&c, "pw");
	expect(run(&c), 0, "trial PolicyAuthorizeNV");
	start(&c, TPM_ST_SESSIONS, TPM_CC_PolicySecret);
	u32(&c, TPM_RH_OWNER); u32(&c, s.h); pw(&c, "");
	b2b(&c, s.nt, 32); u16(&c, 0); b2b(&c, "ref", 3); u32(&c, 10);
	expect(run(&c), 0, "PolicySecret");
	digest_of(&s, d);
	/* a ticket (expiration < 0) and its replay */
	start(&c, TPM_ST_SESSIONS, TPM_CC_PolicySecret);
	u32(&c, TPM_RH_OWNER); u32(&c, s.h); pw(&c, "");
	u16(&c, 0); u16(&c, 0); b2b(&c, "ref", 3); u32(&c, (uint32_t)-100);
	expect(run(&c), 0, "PolicySecret with a ticket");
	{
		uint8_t to[8], tk[32];
		memcpy(to, rsp + 16, 8);
		memcpy(tk, rsp + 32, 32);
		expect(pol(TPM_CC_PolicyRestart, &s, "", 0), 0, "PolicyRestart");
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicyTicket);
		u32(&c, s.h);
		b2b(&c, to, 8); u16(&c, 0); b2b(&c, "ref", 3); u16(&c, 4); u32(&c, TPM_RH_OWNER);
		u16(&c, TPM_ST_AUTH_SECRET); u32(&c, TPM_RH_OWNER); b2b(&c, tk, 32);
		expect(run(&c), 0, "PolicyTicket");
	}
}

static void flow_signed_and_authorize(void)
{
	uint8_t tmpl[64], d[32], ah[32], sig[72], name[34], tk[32], buf[128];
	struct cb c, t = { .n = 0 };
	struct sess s, tr;
	uint32_t key;

	fresh();
	u16(&t, TPM_ALG_ECC); u16(&t, TPM_ALG_SHA256); u32(&t, 0x00040072u); u16(&t, 0);
	u16(&t, TPM_ALG_NULL); u16(&t, TPM_ALG_ECDSA); u16(&t, TPM_ALG_SHA256); u16(&t, TPM_ECC_NIST_P256);
	u16(&t, TPM_ALG_NULL); u16(&t, 0); u16(&t, 0);
	memcpy(tmpl, t.b, t.n);
	start(&c, TPM_ST_SESSIONS, TPM_CC_CreatePrimary);
	u32(&c, TPM_RH_OWNER); pw(&c, "");
	u16(&c, 4); u16(&c, 0); u16(&c, 0); b2b(&c, tmpl, (uint16_t)t.n); u16(&c, 0); u32(&c, 0);
	expect(run(&c), 0, "CreatePrimary");
	key = vtpm_be32(rsp + 10);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ReadPublic);
	u32(&c, key);
	expect(run(&c), 0, "ReadPublic");
	memcpy(name, rsp + 10 + 2 + vtpm_be16(rsp + 10) + 2, 34);

	/* PolicySigned: aHash = H(nonceTPM || expiration 0 || policyRef "r") */
	expect(session(TPM_SE_POLICY, &s), 0, "policy session");
	memcpy(buf, s.nt, 32); memset(buf + 32, 0, 4); buf[36] = 'r';
	crypto_hash(CRYPTO_SHA256, buf, 37, ah);
	start(&c, TPM_ST_SESSIONS, TPM_CC_Sign);
	u32(&c, key); pw(&c, ""); b2b(&c, ah, 32); u16(&c, TPM_ALG_NULL);
	u16(&c, TPM_ST_HASHCHECK); u32(&c, TPM_RH_NULL); u16(&c, 0);
	expect(run(&c), 0, "Sign aHash");
	memcpy(sig, rsp + 14, 72);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicySigned);
	u32(&c, key); u32(&c, s.h);
	b2b(&c, s.nt, 32); u16(&c, 0); b2b(&c, "r", 1); u32(&c, 0); bytes(&c, sig, 72);
	expect(run(&c), 0, "PolicySigned");

	/* PolicyAuthorize of PolicyCommandCode(NV_Read) */
	expect(session(TPM_SE_TRIAL, &tr), 0, "trial");
	vtpm_set_be32(buf, TPM_CC_NV_Read);
	expect(pol(TPM_CC_PolicyCommandCode, &tr, buf, 4), 0, "trial PolicyCommandCode");
	digest_of(&tr, d);
	crypto_hash(CRYPTO_SHA256, d, 32, ah);
	start(&c, TPM_ST_SESSIONS, TPM_CC_Sign);
	u32(&c, key); pw(&c, ""); b2b(&c, ah, 32); u16(&c, TPM_ALG_NULL);
	u16(&c, TPM_ST_HASHCHECK); u32(&c, TPM_RH_NULL); u16(&c, 0);
	expect(run(&c), 0, "Sign approved");
	memcpy(sig, rsp + 14, 72);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_VerifySignature);
	u32(&c, key); b2b(&c, ah, 32); bytes(&c, sig, 72);
	expect(run(&c), 0, "VerifySignature");
	memcpy(tk, rsp + 18, 32);
	expect(pol(TPM_CC_PolicyRestart, &s, "", 0), 0, "PolicyRestart");
	expect(pol(TPM_CC_PolicyCommandCode, &s, buf, 4), 0, "PolicyCommandCode");
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicyAuthorize);
	u32(&c, s.h); b2b(&c, d, 32); u16(&c, 0); b2b(&c, name, 34);
	u16(&c, TPM_ST_VERIFIED); u32(&c, TPM_RH_OWNER); b2b(&c, tk, 32);
	expect(run(&c), 0, "PolicyAuthorize");
	digest_of(&s, d);
	/* salts: a signing key cannot decrypt, no key no salt */
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_StartAuthSession);
	u32(&c, key); u32(&c, TPM_RH_NULL);
	b2b(&c, "0123456789abcdef", 16); u16(&c, 68); u16(&c, 32); bytes(&c, name + 2, 32); u16(&c, 32); bytes(&c, name + 2, 32);
	u8(&c, TPM_SE_HMAC); u16(&c, TPM_ALG_NULL); u16(&c, TPM_ALG_SHA256);
	expect(run(&c), RC_H(TPM_RC_ATTRIBUTES, 1), "salt with a signing key");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
		return 2;
	}
	T = malloc(vtpm_state_size());
	flow_trial();
	save(argv[1], "trial");
	flow_pcr_nv();
	save(argv[1], "pcr-nv");
	flow_nv_and_password();
	save(argv[1], "nv-password-secret");
	flow_signed_and_authorize();
	save(argv[1], "signed-authorize");
	free(T);
	return failures ? 1 : 0;
}
