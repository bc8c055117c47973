/* vTPM engine: HMAC and bound sessions (checked with OpenSSL's HMAC and KDF), session and sequence
 * contexts, dictionary-attack lockout, hash sequences and LoadExternal HMAC keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "vtpm/internal.h"

#include "tests/unit/vtpm_harness.h"
#include "tests/unit/vtpm_engine_util.h"

/* ---- HMAC sessions, computed independently with OpenSSL ---- */
static uint32_t start_hmac_session(const uint8_t nonce_caller[16], uint8_t nonce_tpm[32], uint32_t bind)
{
	struct cb c;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_StartAuthSession);
	u32(&c, TPM_RH_NULL); u32(&c, bind);
	b2b(&c, nonce_caller, 16); u16(&c, 0); u8(&c, TPM_SE_HMAC); u16(&c, TPM_ALG_NULL);
	u16(&c, TPM_ALG_SHA256);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(vtpm_be16(rsp + 14), 32);
	memcpy(nonce_tpm, rsp + 16, 32);
	return vtpm_be32(rsp + 10);
}

static void hmac256(const void *key, size_t kl, const void *data, size_t n, uint8_t out[32])
{
	unsigned l;
	HMAC(EVP_sha256(), key, (int)kl, data, n, out, &l);
}

static void test_hmac_session_authorizes_pcr_extend_and_signs_response(void **state)
{
	(void)state;
	uint8_t nc[16], nt[32], d[32] = { 3 }, cp[32], rp[32], mac[32], buf[256], nc2[16];
	uint32_t sh;
	struct cb c;
	size_t n;

	memset(nc, 0x11, 16);
	sh = start_hmac_session(nc, nt, TPM_RH_NULL);
	assert_int_equal(sh >> 24, TPM_HT_HMAC_SESSION);
	for (int round = 0; round < 2; round++) {
		memset(nc2, 0x22 + round, 16);
		/* cpHash = SHA256(CC || name(PCR 4) || params) */
		n = 0;
		vtpm_set_be32(buf, TPM_CC_PCR_Extend); n += 4;
		vtpm_set_be32(buf + n, 4); n += 4;
		vtpm_set_be32(buf + n, 1); n += 4;
		vtpm_set_be16(buf + n, TPM_ALG_SHA256); n += 2;
		memcpy(buf + n, d, 32); n += 32;
		sha256(buf, n, cp);
		/* HMAC key = sessionKey (empty) || authValue (empty for a PCR) */
		memcpy(buf, cp, 32); memcpy(buf + 32, nc2, 16); memcpy(buf + 48, nt, 32); buf[80] = 1;
		hmac256("", 0, buf, 81, mac);
		start(&c, TPM_ST_SESSIONS, TPM_CC_PCR_Extend);
		u32(&c, 4);
		u32(&c, 4 + 2 + 16 + 1 + 2 + 32); u32(&c, sh); b2b(&c, nc2, 16); u8(&c, 1); b2b(&c, mac, 32);
		u32(&c, 1); u16(&c, TPM_ALG_SHA256); bytes(&c, d, 32);
		assert_int_equal(exec(&c), 0);
		/* response: header, paramSize(0), nonceTPM', attrs, hmac */
		assert_int_equal(vtpm_be32(rsp + 10), 0);
		assert_int_equal(vtpm_be16(rsp + 14), 32);
		memcpy(nt, rsp + 16, 32);
		vtpm_set_be32(buf, 0); vtpm_set_be32(buf + 4, TPM_CC_PCR_Extend);
		sha256(buf, 8, rp);
		memcpy(buf, rp, 32); memcpy(buf + 32, nt, 32); memcpy(buf + 64, nc2, 16); buf[80] = 1;
		hmac256("", 0, buf, 81, mac);
		assert_int_equal(rsp[48], 1);
		assert_int_equal(vtpm_be16(rsp + 49), 32);
		assert_memory_equal(rsp + 51, mac, 32);
	}
	/* A replayed (stale-nonce) HMAC fails and the PCR keeps its value. */
	uint8_t before[32], after[32];
	pcr_value(4, before);
	start(&c, TPM_ST_SESSIONS, TPM_CC_PCR_Extend);
	u32(&c, 4);
	u32(&c, 4 + 2 + 16 + 1 + 2 + 32); u32(&c, sh); b2b(&c, nc2, 16); u8(&c, 1); b2b(&c, mac, 32);
	u32(&c, 1); u16(&c, TPM_ALG_SHA256); bytes(&c, d, 32);
	assert_int_equal(exec(&c), RC_S(TPM_RC_AUTH_FAIL, 1));
	pcr_value(4, after);
	assert_memory_equal(before, after, 32);
}

static void test_session_context_save_load_once_and_integrity(void **state)
{
	(void)state;
	uint8_t nc[16] = { 1 }, nt[32], ctx[1024], ctx2[1024];
	uint32_t sh = start_hmac_session(nc, nt, TPM_RH_NULL);
	size_t clen, clen2;
	struct cb c;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ContextSave);
	u32(&c, sh);
	assert_int_equal(exec(&c), 0);
	clen = rlen - 10;
	memcpy(ctx, rsp + 10, clen);
	assert_int_equal(vtpm_be32(ctx + 8), sh); /* savedHandle */
	/* a tampered blob is refused */
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ContextLoad);
	bytes(&c, ctx, clen);
	c.b[c.n - 1] ^= 1;
	assert_int_equal(exec(&c), RC_P(TPM_RC_INTEGRITY, 1));
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ContextLoad);
	bytes(&c, ctx, clen);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(vtpm_be32(rsp + 10), sh); /* same handle back */
	/* save again; the first blob is now stale and refused */
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ContextSave);
	u32(&c, sh);
	assert_int_equal(exec(&c), 0);
	clen2 = rlen - 10;
	memcpy(ctx2, rsp + 10, clen2);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ContextLoad);
	bytes(&c, ctx, clen);
	assert_int_equal(exec(&c), RC_P(TPM_RC_HANDLE, 1));
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ContextLoad);
	bytes(&c, ctx2, clen2);
	assert_int_equal(exec(&c), 0);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_FlushContext);
	u32(&c, sh);
	assert_int_equal(exec(&c), 0);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_FlushContext);
	u32(&c, sh);
	assert_int_equal(exec(&c), RC_P(TPM_RC_HANDLE, 1));
}

static void test_session_slots_exhaust_with_session_handles_warning(void **state)
{
	(void)state;
	uint8_t nc[16] = { 1 }, nt[32];
	struct cb c;

	for (unsigned i = 0; i < VTPM_SESSIONS; i++)
		start_hmac_session(nc, nt, TPM_RH_NULL);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_StartAuthSession);
	u32(&c, TPM_RH_NULL); u32(&c, TPM_RH_NULL);
	b2b(&c, nc, 16); u16(&c, 0); u8(&c, TPM_SE_HMAC); u16(&c, TPM_ALG_NULL); u16(&c, TPM_ALG_SHA256);
	assert_int_equal(exec(&c), TPM_RC_SESSION_HANDLES);
}

static void test_da_counter_persists_and_locks_out(void **state)
{
	(void)state;
	struct cb c;

	assert_int_equal(nv_define(0x01500000, ORD, 8, "right"), 0);
	assert_int_equal(nv_write(0x01500000, "12345678", 8, 0), 0);
	/* maxTries = 2 */
	start(&c, TPM_ST_SESSIONS, TPM_CC_DictionaryAttackParameters);
	u32(&c, TPM_RH_LOCKOUT); pw(&c, ""); u32(&c, 2); u32(&c, 100); u32(&c, 100);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(nv_read(0x01500000, 0x01500000, 8, 0, "wrong"), RC_S(TPM_RC_AUTH_FAIL, 1));
	vtpm_power_on(T, &plat); /* the failure count is in the blob already */
	assert_int_equal(startup(TPM_SU_CLEAR), 0);
	assert_int_equal(nv_read(0x01500000, 0x01500000, 8, 0, "wrong"), RC_S(TPM_RC_AUTH_FAIL, 1));
	assert_int_equal(nv_read(0x01500000, 0x01500000, 8, 0, "right"), TPM_RC_LOCKOUT);
	start(&c, TPM_ST_SESSIONS, TPM_CC_DictionaryAttackLockReset);
	u32(&c, TPM_RH_LOCKOUT); pw(&c, "");
	assert_int_equal(exec(&c), 0);
	assert_int_equal(nv_read(0x01500000, 0x01500000, 8, 0, "right"), 0);
	/* Self-healing: two failures, then one recoveryTime (100 s) forgives one of them. */
	assert_int_equal(nv_read(0x01500000, 0x01500000, 8, 0, "wrong"), RC_S(TPM_RC_AUTH_FAIL, 1));
	assert_int_equal(nv_read(0x01500000, 0x01500000, 8, 0, "wrong"), RC_S(TPM_RC_AUTH_FAIL, 1));
	assert_int_equal(nv_read(0x01500000, 0x01500000, 8, 0, "right"), TPM_RC_LOCKOUT);
	now_ms += 99 * 1000;
	assert_int_equal(nv_read(0x01500000, 0x01500000, 8, 0, "right"), TPM_RC_LOCKOUT);
	now_ms += 2 * 1000;
	assert_int_equal(nv_read(0x01500000, 0x01500000, 8, 0, "right"), 0);
	/* A wrong lockout password locks lockoutAuth itself. */
	start(&c, TPM_ST_SESSIONS, TPM_CC_DictionaryAttackLockReset);
	u32(&c, TPM_RH_LOCKOUT); pw(&c, "bad");
	assert_int_equal(exec(&c), RC_S(TPM_RC_AUTH_FAIL, 1));
	start(&c, TPM_ST_SESSIONS, TPM_CC_DictionaryAttackLockReset);
	u32(&c, TPM_RH_LOCKOUT); pw(&c, "");
	assert_int_equal(exec(&c), TPM_RC_LOCKOUT);
	now_ms += 100 * 1000; /* lockoutRecovery */
	assert_int_equal(exec(&c), 0);
}

static void test_hash_sequence_matches_openssl(void **state)
{
	(void)state;
	uint8_t data[1500], want[32];
	uint32_t h;
	struct cb c;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	sha256(data, sizeof(data), want);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_HashSequenceStart);
	u16(&c, 0); u16(&c, TPM_ALG_SHA256);
	assert_int_equal(exec(&c), 0);
	h = vtpm_be32(rsp + 10);
	start(&c, TPM_ST_SESSIONS, TPM_CC_SequenceUpdate);
	u32(&c, h); pw(&c, ""); b2b(&c, data, 1000);
	assert_int_equal(exec(&c), 0);
	start(&c, TPM_ST_SESSIONS, TPM_CC_SequenceUpdate);
	u32(&c, h); pw(&c, ""); b2b(&c, data, 1025); /* over TPM2B_MAX_BUFFER */
	assert_int_equal(exec(&c), RC_P(TPM_RC_SIZE, 1));
	start(&c, TPM_ST_SESSIONS, TPM_CC_SequenceComplete);
	u32(&c, h); pw(&c, ""); b2b(&c, data + 1000, 500); u32(&c, TPM_RH_NULL);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(vtpm_be16(rsp + 14), 32);
	assert_memory_equal(rsp + 16, want, 32);
	start(&c, TPM_ST_SESSIONS, TPM_CC_SequenceUpdate);
	u32(&c, h); pw(&c, ""); b2b(&c, data, 1);
	assert_int_equal(exec(&c), RC_H(TPM_RC_HANDLE, 1)); /* flushed by SequenceComplete */
}

/* KDFa via OpenSSL's KBKDF (counter mode, HMAC-SHA-256, label || 0 || context || [L]). */
static void kdfa_ossl(const void *key, size_t kl, const char *label, const uint8_t *ctx, size_t cl,
		      uint8_t *out, size_t n)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "KBKDF", NULL);
	EVP_KDF_CTX *c = EVP_KDF_CTX_new(kdf);
	OSSL_PARAM p[6];

	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MAC, (char *)"HMAC", 0);
	p[1] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)key, kl);
	p[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)label, strlen(label));
	p[4] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)ctx, cl);
	p[5] = OSSL_PARAM_construct_end();
	assert_int_equal(EVP_KDF_derive(c, out, n, p), 1);
	EVP_KDF_CTX_free(c);
	EVP_KDF_free(kdf);
}

/* A session bound to the owner with XOR parameter encryption: sessionKey, the command HMAC and the
 * XOR mask are all computed here with OpenSSL; the TPM must decrypt NV_Write's data to the
 * plaintext, which a password-session NV_Read then returns. */
static void test_bound_session_xor_decrypts_nv_write(void **state)
{
	(void)state;
	const uint8_t plain[16] = "xor-masked-data!";
	uint8_t nc[16], nt[32], nc2[16], key[32], ctx[64], mask[16], enc[16], pub[14], name[34];
	uint8_t buf[512], cp[32], mac[32];
	struct cb c;
	size_t n;
	uint32_t sh;

	start(&c, TPM_ST_SESSIONS, TPM_CC_HierarchyChangeAuth);
	u32(&c, TPM_RH_OWNER); pw(&c, ""); b2b(&c, "ownerpw", 7);
	assert_int_equal(exec(&c), 0);
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_DefineSpace);
	u32(&c, TPM_RH_OWNER); pw(&c, "ownerpw"); u16(&c, 0);
	u16(&c, 14); u32(&c, 0x01500000); u16(&c, TPM_ALG_SHA256); u32(&c, ORD); u16(&c, 0); u16(&c, 16);
	assert_int_equal(exec(&c), 0);

	memset(nc, 0x3c, 16);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_StartAuthSession);
	u32(&c, TPM_RH_NULL); u32(&c, TPM_RH_OWNER);
	b2b(&c, nc, 16); u16(&c, 0); u8(&c, TPM_SE_HMAC); u16(&c, TPM_ALG_XOR); u16(&c, TPM_ALG_SHA256);
	u16(&c, TPM_ALG_SHA256);
	assert_int_equal(exec(&c), 0);
	sh = vtpm_be32(rsp + 10);
	memcpy(nt, rsp + 16, 32);
	memcpy(ctx, nt, 32);
	memcpy(ctx + 32, nc, 16);
	kdfa_ossl("ownerpw", 7, "ATH", ctx, 48, key, 32);

	memset(nc2, 0x5d, 16);
	memcpy(ctx, nc2, 16);
	memcpy(ctx + 16, nt, 32);
	kdfa_ossl(key, 32, "XOR", ctx, 48, mask, 16);
	for (int i = 0; i < 16; i++)
		enc[i] = plain[i] ^ mask[i];
	/* Name of the index: nameAlg || SHA-256(TPMS_NV_PUBLIC) (attributes as defined, not yet written) */
	vtpm_set_be32(pub, 0x01500000); vtpm_set_be16(pub + 4, TPM_ALG_SHA256); vtpm_set_be32(pub + 6, ORD);
	vtpm_set_be16(pub + 10, 0); vtpm_set_be16(pub + 12, 16);
	vtpm_set_be16(name, TPM_ALG_SHA256);
	sha256(pub, 14, name + 2);
	n = 0;
	vtpm_set_be32(buf, TPM_CC_NV_Write); n += 4;
	vtpm_set_be32(buf + n, TPM_RH_OWNER); n += 4;
	memcpy(buf + n, name, 34); n += 34;
	vtpm_set_be16(buf + n, 16); n += 2;
	memcpy(buf + n, enc, 16); n += 16;
	vtpm_set_be16(buf + n, 0); n += 2;
	sha256(buf, n, cp);
	/* bound to the owner and authorizing the owner: the key is the sessionKey alone */
	memcpy(buf, cp, 32); memcpy(buf + 32, nc2, 16); memcpy(buf + 48, nt, 32);
	buf[80] = TPMA_SESSION_CONTINUESESSION | TPMA_SESSION_DECRYPT;
	hmac256(key, 32, buf, 81, mac);
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_Write);
	u32(&c, TPM_RH_OWNER); u32(&c, 0x01500000);
	u32(&c, 4 + 2 + 16 + 1 + 2 + 32); u32(&c, sh); b2b(&c, nc2, 16);
	u8(&c, TPMA_SESSION_CONTINUESESSION | TPMA_SESSION_DECRYPT); b2b(&c, mac, 32);
	b2b(&c, enc, 16); u16(&c, 0);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(nv_read(TPM_RH_OWNER, 0x01500000, 16, 0, "ownerpw"), 0);
	assert_memory_equal(rsp + 16, plain, 16);
	/* the decrypt attribute on a command whose first parameter is not sized is refused */
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_Read);
	u32(&c, TPM_RH_OWNER); u32(&c, 0x01500000);
	u32(&c, 4 + 2 + 16 + 1 + 2 + 32); u32(&c, sh); b2b(&c, nc2, 16);
	u8(&c, TPMA_SESSION_CONTINUESESSION | TPMA_SESSION_DECRYPT); b2b(&c, mac, 32);
	u16(&c, 16); u16(&c, 0);
	assert_int_equal(exec(&c), RC_S(TPM_RC_ATTRIBUTES, 1));
}

static void test_sequence_object_context_save_load(void **state)
{
	(void)state;
	uint8_t ctx[2048], want[32];
	uint32_t h, h2;
	size_t clen;
	struct cb c;

	sha256("hello world", 11, want);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_HashSequenceStart);
	u16(&c, 0); u16(&c, TPM_ALG_SHA256);
	assert_int_equal(exec(&c), 0);
	h = vtpm_be32(rsp + 10);
	start(&c, TPM_ST_SESSIONS, TPM_CC_SequenceUpdate);
	u32(&c, h); pw(&c, ""); b2b(&c, "hello ", 6);
	assert_int_equal(exec(&c), 0);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ContextSave);
	u32(&c, h);
	assert_int_equal(exec(&c), 0);
	clen = rlen - 10;
	memcpy(ctx, rsp + 10, clen);
	assert_int_equal(vtpm_be32(ctx + 8), 0x80000001); /* savedHandle of a sequence */
	assert_true(clen <= VTPM_OBJECT_CONTEXT_MAX);
	assert_true(clen < 400); /* compact: one hash state, not the whole slot */
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_FlushContext);
	u32(&c, h);
	assert_int_equal(exec(&c), 0);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ContextLoad);
	bytes(&c, ctx, clen);
	assert_int_equal(exec(&c), 0);
	h2 = vtpm_be32(rsp + 10);
	assert_int_equal(h2 >> 24, TPM_HT_TRANSIENT);
	start(&c, TPM_ST_SESSIONS, TPM_CC_SequenceComplete);
	u32(&c, h2); pw(&c, ""); b2b(&c, "world", 5); u32(&c, TPM_RH_NULL);
	assert_int_equal(exec(&c), 0);
	assert_memory_equal(rsp + 16, want, 32);
	/* after a power cycle the context key is new: the blob no longer verifies */
	vtpm_power_on(T, &plat);
	assert_int_equal(startup(TPM_SU_CLEAR), 0);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ContextLoad);
	bytes(&c, ctx, clen);
	assert_int_equal(exec(&c), RC_P(TPM_RC_INTEGRITY, 1));
}

/* LoadExternal of an HMAC key: public/sensitive binding and attribute checks, HMAC against OpenSSL,
 * userWithAuth required for password authorization. */
static uint32_t load_hmac_key(const uint8_t key[32], uint32_t attrs, bool good_unique, uint32_t hier,
			      uint32_t *handle)
{
	uint8_t unique[32], seed[32] = { 0 }, sbuf[64];
	struct cb c;

	memcpy(sbuf, seed, 32);
	memcpy(sbuf + 32, key, 32);
	sha256(sbuf, 64, unique);
	if (!good_unique)
		unique[0] ^= 1;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_LoadExternal);
	/* TPM2B_SENSITIVE: type, authValue "", seedValue 32 zero bytes, key */
	u16(&c, 2 + 2 + 2 + 32 + 2 + 32); u16(&c, TPM_ALG_KEYEDHASH); u16(&c, 0); b2b(&c, seed, 32); b2b(&c, key, 32);
	/* TPM2B_PUBLIC: keyedHash, SHA-256, attrs, no policy, HMAC(SHA-256), unique */
	u16(&c, 2 + 2 + 4 + 2 + 4 + 2 + 32); u16(&c, TPM_ALG_KEYEDHASH); u16(&c, TPM_ALG_SHA256); u32(&c, attrs);
	u16(&c, 0); u16(&c, TPM_ALG_HMAC); u16(&c, TPM_ALG_SHA256); b2b(&c, unique, 32);
	u32(&c, hier);
	uint32_t rc = exec(&c);
	if (rc == 0)
		*handle = vtpm_be32(rsp + 10);
	return rc;
}

static void test_load_external_hmac_key_checks_and_hmac(void **state)
{
	(void)state;
	uint8_t key[32], want[32];
	uint32_t h = 0;
	struct cb c;

	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)(0xA0 + i);
	assert_int_equal(load_hmac_key(key, TPMA_OBJECT_SIGN | TPMA_OBJECT_USERWITHAUTH, false, TPM_RH_NULL, &h),
			 RC_P(TPM_RC_BINDING, 2));
	assert_int_equal(load_hmac_key(key, TPMA_OBJECT_SIGN | TPMA_OBJECT_FIXEDTPM, true, TPM_RH_NULL, &h),
			 RC_P(TPM_RC_ATTRIBUTES, 2));
	assert_int_equal(load_hmac_key(key, TPMA_OBJECT_SIGN | TPMA_OBJECT_USERWITHAUTH, true, TPM_RH_OWNER, &h),
			 RC_P(TPM_RC_HIERARCHY, 3));
	assert_int_equal(load_hmac_key(key, TPMA_OBJECT_USERWITHAUTH, true, TPM_RH_NULL, &h),
			 RC_P(TPM_RC_ATTRIBUTES, 2));
	assert_int_equal(load_hmac_key(key, TPMA_OBJECT_SIGN | TPMA_OBJECT_USERWITHAUTH, true, TPM_RH_NULL, &h), 0);
	hmac256(key, 32, "abc", 3, want);
	start(&c, TPM_ST_SESSIONS, TPM_CC_HMAC);
	u32(&c, h); pw(&c, ""); b2b(&c, "abc", 3); u16(&c, TPM_ALG_NULL);
	assert_int_equal(exec(&c), 0);
	assert_memory_equal(rsp + 16, want, 32);
	start(&c, TPM_ST_SESSIONS, TPM_CC_HMAC);
	u32(&c, h); pw(&c, ""); b2b(&c, "abc", 3); u16(&c, TPM_ALG_SHA1); /* differs from the scheme */
	assert_int_equal(exec(&c), RC_P(TPM_RC_VALUE, 2));
	/* without userWithAuth a password cannot authorize the USER role */
	assert_int_equal(load_hmac_key(key, TPMA_OBJECT_SIGN, true, TPM_RH_NULL, &h), 0);
	start(&c, TPM_ST_SESSIONS, TPM_CC_HMAC_Start);
	u32(&c, h); pw(&c, ""); u16(&c, 0); u16(&c, TPM_ALG_NULL);
	assert_int_equal(exec(&c), TPM_RC_AUTH_UNAVAILABLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hmac_session_authorizes_pcr_extend_and_signs_response, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_session_context_save_load_once_and_integrity, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_session_slots_exhaust_with_session_handles_warning, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_da_counter_persists_and_locks_out, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_hash_sequence_matches_openssl, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_bound_session_xor_decrypts_nv_write, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_sequence_object_context_save_load, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_load_external_hmac_key_checks_and_hmac, setup_started, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
