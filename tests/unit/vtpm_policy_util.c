/* Shared helpers of the vTPM policy unit tests; see vtpm_policy_util.h. */
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

/* ---- independent digest computations ---- */
void sha256(const void *p, size_t n, uint8_t out[32])
{
	EVP_Digest(p, n, out, NULL, EVP_sha256(), NULL);
}

void hmac256(const void *key, size_t kl, const void *data, size_t n, uint8_t out[32])
{
	unsigned l;
	HMAC(EVP_sha256(), key, (int)kl, data, n, out, &l);
}

/* d = SHA-256(d || cc || a) */
void ext(uint8_t d[32], uint32_t cc, const void *a, size_t al)
{
	uint8_t buf[1024];
	memcpy(buf, d, 32);
	vtpm_set_be32(buf + 32, cc);
	memcpy(buf + 36, a, al);
	sha256(buf, 36 + al, d);
}

/* d = SHA-256(d || r) */
void ext_ref(uint8_t d[32], const void *r, size_t rl)
{
	uint8_t buf[128];
	memcpy(buf, d, 32);
	memcpy(buf + 32, r, rl);
	sha256(buf, 32 + rl, d);
}

/* ---- commands ---- */

uint32_t start_session(uint8_t type, struct sess *s)
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

uint32_t get_digest(const struct sess *s, uint8_t out[32])
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

void expect_digest(const struct sess *s, const uint8_t want[32])
{
	uint8_t got[32];
	assert_int_equal(get_digest(s, got), 0);
	assert_memory_equal(got, want, 32);
}

/* A policy command with the session as its only handle and raw parameter bytes. */
uint32_t pol(uint32_t cc, const struct sess *s, const void *params, size_t n)
{
	struct cb c;
	start(&c, TPM_ST_NO_SESSIONS, cc);
	u32(&c, s->h);
	bytes(&c, params, n);
	return exec(&c);
}

uint32_t pol_u32(uint32_t cc, const struct sess *s, uint32_t v)
{
	uint8_t b[4];
	vtpm_set_be32(b, v);
	return pol(cc, s, b, 4);
}

uint32_t pol_2b(uint32_t cc, const struct sess *s, const uint8_t *d, uint16_t n)
{
	uint8_t b[128];
	vtpm_set_be16(b, n);
	memcpy(b + 2, d, n);
	return pol(cc, s, b, 2u + n);
}

/* PolicyPCR over SHA-256 PCRs given by a 3-byte select; digest may be empty. sel_out gets the
 * TPML_PCR_SELECTION bytes. */
size_t pcr_sel(uint8_t *p, uint32_t mask)
{
	vtpm_set_be32(p, 1);
	vtpm_set_be16(p + 4, TPM_ALG_SHA256);
	p[6] = 3;
	p[7] = (uint8_t)mask; p[8] = (uint8_t)(mask >> 8); p[9] = (uint8_t)(mask >> 16);
	return 10;
}

uint32_t pol_pcr(const struct sess *s, const uint8_t *dg, uint16_t dl, uint32_t mask)
{
	uint8_t b[128];
	vtpm_set_be16(b, dl);
	if (dl)
		memcpy(b + 2, dg, dl);
	return pol(TPM_CC_PolicyPCR, s, b, 2u + dl + pcr_sel(b + 2 + dl, mask));
}

void pcr_read256(unsigned pcr, uint8_t out[32])
{
	memcpy(out, T->pcr[1][pcr], 32); /* bank 1 = SHA-256; read back through PCR_Read in test_vtpm.c */
}

uint32_t pcr_extend(unsigned pcr, uint8_t v)
{
	uint8_t d[32];
	struct cb c;
	memset(d, v, 32);
	start(&c, TPM_ST_SESSIONS, TPM_CC_PCR_Extend);
	u32(&c, pcr); pw(&c, "");
	u32(&c, 1); u16(&c, TPM_ALG_SHA256); bytes(&c, d, 32);
	return exec(&c);
}

uint32_t nv_define_policy(uint32_t idx, uint32_t attrs, uint16_t size, const char *auth, const uint8_t pol32[32])
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

uint32_t nv_write_owner(uint32_t idx, const void *data, uint16_t n)
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_Write);
	u32(&c, TPM_RH_OWNER); u32(&c, idx); pw(&c, "");
	b2b(&c, data, n); u16(&c, 0);
	return exec(&c);
}

/* Name of an entity as the TPM reports it (NV_ReadPublic / ReadPublic), or its handle. */
size_t name_of(uint32_t h, uint8_t *out)
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
uint32_t run_auth(struct sess *s, bool password, const char *auth, uint32_t cc, const uint32_t *hs, unsigned nh,
		  const uint8_t *params, size_t pl)
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

uint32_t nv_read_with(struct sess *s, uint32_t idx, uint16_t size)
{
	uint32_t hs[2] = { idx, idx };
	uint8_t p[4];
	vtpm_set_be16(p, size); vtpm_set_be16(p + 2, 0);
	return run_auth(s, false, "", TPM_CC_NV_Read, hs, 2, p, 4);
}

/* ECC P-256 signing key (owner hierarchy), with an authPolicy when pol32 is given. */
uint32_t create_key(uint32_t attrs, const uint8_t *pol32)
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
void tpm_sign(uint32_t key, const uint8_t dg[32], uint8_t sig[72])
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_Sign);
	u32(&c, key); pw(&c, "");
	b2b(&c, dg, 32); u16(&c, TPM_ALG_NULL);
	u16(&c, TPM_ST_HASHCHECK); u32(&c, TPM_RH_NULL); u16(&c, 0);
	assert_int_equal(exec(&c), 0);
	memcpy(sig, rsp + 14, 72);
}

