/* vTPM engine: command framing, response codes for malformed input, state left unchanged by failed
 * commands, PCRs, NV indices and the NV blob, clock, D-RTM/H-CRTM, capabilities; sessions are in
 * test_vtpm_sessions.c. */
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

static uint32_t extend(uint32_t pcr, const uint8_t d[32], const char *pass)
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_PCR_Extend);
	u32(&c, pcr);
	pw(&c, pass);
	u32(&c, 1); u16(&c, TPM_ALG_SHA256); bytes(&c, d, 32);
	return exec(&c);
}

/* ---------------------------------------------------------------------------------------------- */
static void test_commands_before_startup_get_initialize(void **state)
{
	(void)state;
	struct cb c;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_GetRandom);
	u16(&c, 8);
	assert_int_equal(exec(&c), TPM_RC_INITIALIZE);
	assert_int_equal(startup(TPM_SU_CLEAR), 0);
	assert_int_equal(startup(TPM_SU_CLEAR), TPM_RC_INITIALIZE);
}

static void test_header_errors(void **state)
{
	(void)state;
	uint8_t b[VTPM_MAX_COMMAND + 8] = { 0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01, 0x7B, 0, 8 };

	assert_int_equal(vtpm_execute(T, b, 9, rsp, sizeof(rsp)), 10);
	assert_int_equal(rc_of(), TPM_RC_COMMAND_SIZE);
	vtpm_execute(T, b, 11, rsp, sizeof(rsp)); /* size field says 12 */
	assert_int_equal(rc_of(), TPM_RC_COMMAND_SIZE);
	b[1] = 0x05;
	vtpm_execute(T, b, 12, rsp, sizeof(rsp));
	assert_int_equal(rc_of(), TPM_RC_BAD_TAG);
	b[1] = 0x01;
	b[8] = 0x01; b[9] = 0xFF; /* 0x1FF: no such command */
	vtpm_execute(T, b, 12, rsp, sizeof(rsp));
	assert_int_equal(rc_of(), TPM_RC_COMMAND_CODE);
	b[9] = 0x7B;
	vtpm_set_be32(b + 2, VTPM_MAX_COMMAND + 1);
	vtpm_execute(T, b, VTPM_MAX_COMMAND + 1, rsp, sizeof(rsp));
	assert_int_equal(rc_of(), TPM_RC_COMMAND_SIZE);
	assert_int_equal(vtpm_execute(T, b, 12, rsp, 9), 0); /* no room for any response */
}

static void test_get_random_caps_at_64_and_rejects_trailing_bytes(void **state)
{
	(void)state;
	struct cb c;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_GetRandom);
	u16(&c, 1000);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(vtpm_be16(rsp + 10), 64);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_GetRandom);
	u16(&c, 8);
	u8(&c, 0);
	assert_int_equal(exec(&c), TPM_RC_SIZE);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_GetRandom);
	u8(&c, 0);
	assert_int_equal(exec(&c), RC_P(TPM_RC_INSUFFICIENT, 1));
}

static void test_pcr_extend_matches_independent_hash(void **state)
{
	(void)state;
	uint8_t d[32], buf[64], want[32], got[32];

	memset(d, 0, 32);
	d[31] = 1;
	assert_int_equal(extend(0, d, ""), 0);
	memset(buf, 0, 32);
	memcpy(buf + 32, d, 32);
	sha256(buf, 64, want);
	pcr_value(0, got);
	assert_memory_equal(got, want, 32);
	/* The reference value from the PC Client examples (reference/vtpm.md 3.3). */
	assert_int_equal(got[0], 0x90);
	assert_int_equal(got[31], 0x65);
}

static void test_malformed_pcr_extend_leaves_pcr_unchanged(void **state)
{
	(void)state;
	uint8_t d[32] = { 7 }, before[32], after[32];
	struct cb c;

	assert_int_equal(extend(5, d, ""), 0);
	pcr_value(5, before);
	/* truncated digest */
	start(&c, TPM_ST_SESSIONS, TPM_CC_PCR_Extend);
	u32(&c, 5); pw(&c, ""); u32(&c, 1); u16(&c, TPM_ALG_SHA256); bytes(&c, d, 31);
	assert_int_equal(exec(&c), RC_P(TPM_RC_INSUFFICIENT, 1));
	/* unknown hash */
	start(&c, TPM_ST_SESSIONS, TPM_CC_PCR_Extend);
	u32(&c, 5); pw(&c, ""); u32(&c, 1); u16(&c, 0x0099); bytes(&c, d, 32);
	assert_int_equal(exec(&c), RC_P(TPM_RC_HASH, 1));
	/* too many digests */
	start(&c, TPM_ST_SESSIONS, TPM_CC_PCR_Extend);
	u32(&c, 5); pw(&c, ""); u32(&c, 9);
	assert_int_equal(exec(&c), RC_P(TPM_RC_SIZE, 1));
	/* bad PCR handle */
	assert_int_equal(extend(30, d, ""), RC_H(TPM_RC_VALUE, 1));
	/* wrong password for a PCR (empty authValue) */
	assert_int_equal(extend(5, d, "x"), RC_S(TPM_RC_AUTH_FAIL, 1));
	/* no session area at all */
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PCR_Extend);
	u32(&c, 5); u32(&c, 1); u16(&c, TPM_ALG_SHA256); bytes(&c, d, 32);
	assert_int_equal(exec(&c), TPM_RC_AUTH_MISSING);
	/* authorization size larger than the command */
	start(&c, TPM_ST_SESSIONS, TPM_CC_PCR_Extend);
	u32(&c, 5); u32(&c, 500);
	assert_int_equal(exec(&c), TPM_RC_AUTHSIZE);
	/* password session carrying a nonce */
	start(&c, TPM_ST_SESSIONS, TPM_CC_PCR_Extend);
	u32(&c, 5); u32(&c, 11); u32(&c, TPM_RS_PW); u16(&c, 2); u16(&c, 0xabcd); u8(&c, 1); u16(&c, 0);
	u32(&c, 1); u16(&c, TPM_ALG_SHA256); bytes(&c, d, 32);
	assert_int_equal(exec(&c), RC_S(TPM_RC_NONCE, 1));
	/* unknown session handle */
	start(&c, TPM_ST_SESSIONS, TPM_CC_PCR_Extend);
	u32(&c, 5); u32(&c, 9); u32(&c, 0x02000123); u16(&c, 0); u8(&c, 1); u16(&c, 0);
	u32(&c, 1); u16(&c, TPM_ALG_SHA256); bytes(&c, d, 32);
	assert_int_equal(exec(&c), RC_S(TPM_RC_HANDLE, 1));
	/* trailing garbage after the parameters */
	start(&c, TPM_ST_SESSIONS, TPM_CC_PCR_Extend);
	u32(&c, 5); pw(&c, ""); u32(&c, 1); u16(&c, TPM_ALG_SHA256); bytes(&c, d, 32); u8(&c, 0);
	assert_int_equal(exec(&c), TPM_RC_SIZE);
	pcr_value(5, after);
	assert_memory_equal(before, after, 32);
}

static void test_pcr_locality_and_reset_rules(void **state)
{
	(void)state;
	uint8_t d[32] = { 1 }, v[32], zero[32] = { 0 };
	struct cb c;

	assert_int_equal(extend(17, d, ""), TPM_RC_LOCALITY);
	vtpm_set_locality(T, 4);
	assert_int_equal(extend(17, d, ""), 0);
	vtpm_set_locality(T, 0);
	assert_int_equal(extend(16, d, ""), 0);
	start(&c, TPM_ST_SESSIONS, TPM_CC_PCR_Reset);
	u32(&c, 16); pw(&c, "");
	assert_int_equal(exec(&c), 0);
	pcr_value(16, v);
	assert_memory_equal(v, zero, 32);
	start(&c, TPM_ST_SESSIONS, TPM_CC_PCR_Reset);
	u32(&c, 7); pw(&c, "");
	assert_int_equal(exec(&c), TPM_RC_LOCALITY);
}

static void test_nv_define_write_read_and_range_errors(void **state)
{
	(void)state;
	assert_int_equal(nv_define(0x01500000, ORD, 16, "pw"), 0);
	assert_int_equal(nv_define(0x01500000, ORD, 16, "pw"), TPM_RC_NV_DEFINED);
	assert_int_equal(nv_read(TPM_RH_OWNER, 0x01500000, 4, 0, ""), TPM_RC_NV_UNINITIALIZED);
	assert_int_equal(nv_write(0x01500000, "abcd", 4, 2), 0);
	assert_int_equal(nv_write(0x01500000, "0123456789", 10, 10), TPM_RC_NV_RANGE);
	assert_int_equal(nv_read(TPM_RH_OWNER, 0x01500000, 6, 0, ""), 0);
	assert_int_equal(vtpm_be16(rsp + 14), 6);
	assert_memory_equal(rsp + 16, "\xff\xff" "abcd", 6); /* unwritten bytes read as 0xFF */
	assert_int_equal(nv_read(TPM_RH_OWNER, 0x01500000, 8, 10, ""), TPM_RC_NV_RANGE);
	assert_int_equal(nv_read(0x01500000, 0x01500000, 4, 2, "pw"), 0);
	assert_int_equal(nv_read(0x01500000, 0x01500000, 4, 2, "nope"), RC_S(TPM_RC_AUTH_FAIL, 1));
	assert_int_equal(nv_read(TPM_RH_OWNER, 0x01500001, 4, 0, ""), RC_H(TPM_RC_HANDLE, 2));
	/* bad attributes: no read authority at all */
	assert_int_equal(nv_define(0x01500002, TPMA_NV_OWNERWRITE, 8, ""), RC_P(TPM_RC_ATTRIBUTES, 2));
	/* counter with a size other than 8 */
	assert_int_equal(nv_define(0x01500002, ORD | (TPM_NT_COUNTER << 4), 4, ""), RC_P(TPM_RC_SIZE, 2));
}

static void test_nv_failed_write_leaves_data_and_blob_unchanged(void **state)
{
	(void)state;
	uint8_t blob[VTPM_BLOB_MAX];
	size_t len;
	unsigned before;

	assert_int_equal(nv_define(0x01500000, ORD, 8, ""), 0);
	assert_int_equal(nv_write(0x01500000, "12345678", 8, 0), 0);
	memcpy(blob, nv_store_buf, nv_len);
	len = nv_len;
	before = stores;
	assert_int_equal(nv_write(0x01500000, "xxxxxxxxx", 9, 0), TPM_RC_NV_RANGE);
	assert_int_equal(stores, before);
	assert_int_equal(nv_len, len);
	assert_memory_equal(nv_store_buf, blob, len);
	assert_int_equal(nv_read(TPM_RH_OWNER, 0x01500000, 8, 0, ""), 0);
	assert_memory_equal(rsp + 16, "12345678", 8);
}

static void test_nv_survives_power_cycle(void **state)
{
	(void)state;
	assert_int_equal(nv_define(0x01500000, ORD, 8, ""), 0);
	assert_int_equal(nv_write(0x01500000, "persist!", 8, 0), 0);
	vtpm_power_on(T, &plat);
	assert_int_equal(startup(TPM_SU_CLEAR), 0);
	assert_int_equal(nv_read(TPM_RH_OWNER, 0x01500000, 8, 0, ""), 0);
	assert_memory_equal(rsp + 16, "persist!", 8);
}

static void test_corrupt_or_torn_blob_enters_failure_mode(void **state)
{
	(void)state;
	uint32_t why;
	struct cb c;

	assert_int_equal(nv_define(0x01500000, ORD, 8, ""), 0);
	for (int mode = 0; mode < 3; mode++) {
		size_t saved = nv_len;
		uint8_t keep = nv_store_buf[40];
		if (mode == 0)
			nv_store_buf[40] ^= 1;     /* bit flip */
		else if (mode == 1)
			nv_len = saved / 2;        /* torn write */
		else
			nv_store_buf[8] = 9;       /* unknown version */
		vtpm_power_on(T, &plat);
		assert_true(vtpm_in_failure(T, &why));
		assert_int_equal(why, TPM_RC_INTEGRITY);
		assert_int_equal(startup(TPM_SU_CLEAR), TPM_RC_FAILURE);
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_GetTestResult);
		assert_int_equal(exec(&c), 0);
		assert_int_equal(vtpm_be32(rsp + 10 + 2 + 4), TPM_RC_FAILURE);
		nv_len = saved;
		nv_store_buf[40] = keep;
		if (mode == 2)
			nv_store_buf[8] = 0;
	}
	vtpm_power_on(T, &plat);
	assert_false(vtpm_in_failure(T, NULL));
}

static void test_shutdown_state_then_startup_state_restores_pcrs(void **state)
{
	(void)state;
	uint8_t d[32] = { 9 }, before[32], after[32], zero[32] = { 0 };

	assert_int_equal(extend(3, d, ""), 0);
	assert_int_equal(extend(16, d, ""), 0);
	pcr_value(3, before);
	assert_int_equal(shutdown(TPM_SU_STATE), 0);
	vtpm_power_on(T, &plat);
	assert_int_equal(startup(TPM_SU_STATE), 0);
	pcr_value(3, after);
	assert_memory_equal(before, after, 32);
	pcr_value(16, after); /* PCR 16 is not saved */
	assert_memory_equal(after, zero, 32);
	assert_int_equal(shutdown(TPM_SU_CLEAR), 0);
	vtpm_power_on(T, &plat);
	assert_int_equal(startup(TPM_SU_STATE), RC_P(TPM_RC_VALUE, 1));
	assert_int_equal(startup(TPM_SU_CLEAR), 0);
	pcr_value(3, after);
	assert_memory_equal(after, zero, 32);
}

static void test_capability_commands_and_handles_shape(void **state)
{
	(void)state;
	struct cb c;
	uint32_t n;
	bool found = false;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_GetCapability);
	u32(&c, TPM_CAP_COMMANDS); u32(&c, TPM_CC_FIRST); u32(&c, 100);
	assert_int_equal(exec(&c), 0);
	n = vtpm_be32(rsp + 15);
	assert_int_equal(n, vtpm_command_count);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t a = vtpm_be32(rsp + 19 + 4 * i);
		if ((a & 0xFFFF) == TPM_CC_PCR_Extend) {
			found = true;
			assert_int_equal((a >> 25) & 7, 1); /* cHandles */
			assert_int_equal((a >> 28) & 1, 0);
		}
		if ((a & 0xFFFF) == TPM_CC_StartAuthSession)
			assert_int_equal((a >> 28) & 1, 1); /* rHandle */
	}
	assert_true(found);
	/* HANDLES: moreData(1) + capability(4) + count(4) + 4*count, exactly. */
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_GetCapability);
	u32(&c, TPM_CAP_HANDLES); u32(&c, HR_PCR); u32(&c, 100);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(rlen, 10 + 1 + 4 + 4 + 4 * 24);
	/* paged: PCRs from 22, two at a time -> 22, 23 and no more; from 5 -> moreData */
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_GetCapability);
	u32(&c, TPM_CAP_HANDLES); u32(&c, 22); u32(&c, 2);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(rsp[10], 0);
	assert_int_equal(vtpm_be32(rsp + 15), 2);
	assert_int_equal(vtpm_be32(rsp + 19), 22);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_GetCapability);
	u32(&c, TPM_CAP_HANDLES); u32(&c, 5); u32(&c, 2);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(rsp[10], 1);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_GetCapability);
	u32(&c, TPM_CAP_HANDLES); u32(&c, 0x05000000); u32(&c, 2);
	assert_int_equal(exec(&c), RC_P(TPM_RC_VALUE, 2));
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_GetCapability);
	u32(&c, 0x77); u32(&c, 0); u32(&c, 1);
	assert_int_equal(exec(&c), RC_P(TPM_RC_VALUE, 1));
	/* Properties paging: moreData set when count cuts the list. */
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_GetCapability);
	u32(&c, TPM_CAP_TPM_PROPERTIES); u32(&c, TPM_PT_FIXED); u32(&c, 2);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(rsp[10], 1);
	assert_int_equal(vtpm_be32(rsp + 15), 2);
}

static void test_nv_store_failure_is_reported_and_rolled_back(void **state)
{
	(void)state;
	nv_fail = true;
	assert_int_equal(nv_define(0x01500000, ORD, 8, ""), 0x923);
	nv_fail = false;
	assert_false(vtpm_in_failure(T, NULL));
	/* memory went back to the persisted state: the index does not exist */
	assert_int_equal(nv_read(TPM_RH_OWNER, 0x01500000, 8, 0, ""), RC_H(TPM_RC_HANDLE, 2));
	assert_int_equal(nv_define(0x01500000, ORD, 8, ""), 0);
}

static void test_clock_set_forward_only(void **state)
{
	(void)state;
	struct cb c;

	now_ms += 5000;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ReadClock);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(vtpm_be32(rsp + 10 + 8 + 4), 5000); /* clock low word */
	start(&c, TPM_ST_SESSIONS, TPM_CC_ClockSet);
	u32(&c, TPM_RH_OWNER); pw(&c, ""); u32(&c, 0); u32(&c, 10);
	assert_int_equal(exec(&c), RC_P(TPM_RC_VALUE, 1));
	start(&c, TPM_ST_SESSIONS, TPM_CC_ClockSet);
	u32(&c, TPM_RH_OWNER); pw(&c, ""); u32(&c, 1); u32(&c, 0);
	assert_int_equal(exec(&c), 0);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ReadClock);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(vtpm_be32(rsp + 10 + 8), 1);
}

/* Every state-changing command, cut at every length short of its full size (with the size field
 * patched to match, so framing passes) or with one byte appended, fails and changes neither PCRs
 * nor the NV blob. */
static void snapshot(uint8_t *pcrs, uint8_t *blob, size_t *blen)
{
	memcpy(pcrs, T->pcr, sizeof(T->pcr));
	memcpy(blob, nv_store_buf, nv_len);
	*blen = nv_len;
}

static void test_truncated_or_padded_commands_fail_without_side_effects(void **state)
{
	(void)state;
	static uint8_t pcrs[sizeof(((struct vtpm *)0)->pcr)], blob[VTPM_BLOB_MAX];
	uint8_t d[32] = { 5 };
	struct cb cmds[6], c;
	size_t blen;

	assert_int_equal(nv_define(0x01500000, ORD, 16, ""), 0);
	start(&cmds[0], TPM_ST_SESSIONS, TPM_CC_PCR_Extend);
	u32(&cmds[0], 2); pw(&cmds[0], ""); u32(&cmds[0], 1); u16(&cmds[0], TPM_ALG_SHA256); bytes(&cmds[0], d, 32);
	start(&cmds[1], TPM_ST_SESSIONS, TPM_CC_NV_Write);
	u32(&cmds[1], TPM_RH_OWNER); u32(&cmds[1], 0x01500000); pw(&cmds[1], ""); b2b(&cmds[1], "abcdefgh", 8); u16(&cmds[1], 0);
	start(&cmds[2], TPM_ST_SESSIONS, TPM_CC_NV_DefineSpace);
	u32(&cmds[2], TPM_RH_OWNER); pw(&cmds[2], ""); b2b(&cmds[2], "pw", 2);
	u16(&cmds[2], 14); u32(&cmds[2], 0x01500001); u16(&cmds[2], TPM_ALG_SHA256); u32(&cmds[2], ORD); u16(&cmds[2], 0); u16(&cmds[2], 8);
	start(&cmds[3], TPM_ST_SESSIONS, TPM_CC_HierarchyChangeAuth);
	u32(&cmds[3], TPM_RH_OWNER); pw(&cmds[3], ""); b2b(&cmds[3], "newauth", 7);
	start(&cmds[4], TPM_ST_SESSIONS, TPM_CC_PCR_Event);
	u32(&cmds[4], 3); pw(&cmds[4], ""); b2b(&cmds[4], "event", 5);
	start(&cmds[5], TPM_ST_SESSIONS, TPM_CC_DictionaryAttackParameters);
	u32(&cmds[5], TPM_RH_LOCKOUT); pw(&cmds[5], ""); u32(&cmds[5], 1); u32(&cmds[5], 2); u32(&cmds[5], 3);

	for (int i = 0; i < 6; i++) {
		fin(&cmds[i]);
		for (size_t cut = 10; cut <= cmds[i].n + 1; cut++) {
			if (cut == cmds[i].n)
				continue;
			memcpy(c.b, cmds[i].b, cmds[i].n);
			c.n = cut;
			if (cut > cmds[i].n)
				c.b[cut - 1] = 0;
			snapshot(pcrs, blob, &blen);
			assert_int_not_equal(exec(&c), 0);
			assert_int_equal(rlen, 10);
			assert_memory_equal(pcrs, T->pcr, sizeof(T->pcr));
			assert_int_equal(blen, nv_len);
			assert_memory_equal(blob, nv_store_buf, blen);
		}
		/* the intact command still works afterwards */
		c = cmds[i];
		assert_int_equal(exec(&c), 0);
	}
}

static void test_drtm_signals_reset_and_extend_pcr17(void **state)
{
	(void)state;
	uint8_t v[32], buf[64], want[32];

	assert_false(vtpm_hash_start(T)); /* locality 0 */
	vtpm_set_locality(T, 4);
	assert_false(vtpm_hash_data(T, "x", 1)); /* out of sequence */
	assert_true(vtpm_hash_start(T));
	assert_true(vtpm_hash_data(T, "mea", 3));
	assert_true(vtpm_hash_data(T, "sured", 5));
	assert_true(vtpm_hash_end(T));
	vtpm_set_locality(T, 0);
	memset(buf, 0, 32);
	sha256("measured", 8, buf + 32);
	sha256(buf, 64, want);
	pcr_value(17, v);
	assert_memory_equal(v, want, 32);
	pcr_value(18, v); /* reset to zero by the D-RTM sequence */
	memset(want, 0, 32);
	assert_memory_equal(v, want, 32);
}

static void test_hcrtm_before_startup_sets_pcr0(void **state)
{
	(void)state;
	uint8_t v[32], buf[64], want[32];

	vtpm_set_locality(T, 4);
	assert_true(vtpm_hash_start(T));
	assert_true(vtpm_hash_data(T, "crtm", 4));
	assert_true(vtpm_hash_end(T));
	vtpm_set_locality(T, 0);
	assert_int_equal(startup(TPM_SU_CLEAR), 0);
	memset(buf, 0, 32);
	buf[31] = 4;
	sha256("crtm", 4, buf + 32);
	sha256(buf, 64, want);
	pcr_value(0, v);
	assert_memory_equal(v, want, 32);
	/* the next TPM Reset without H-CRTM starts PCR 0 from the startup locality (3 here) */
	assert_int_equal(shutdown(TPM_SU_CLEAR), 0);
	vtpm_power_on(T, &plat);
	vtpm_set_locality(T, 3);
	assert_int_equal(startup(TPM_SU_CLEAR), 0);
	vtpm_set_locality(T, 0);
	memset(want, 0, 32);
	want[31] = 3;
	pcr_value(0, v);
	assert_memory_equal(v, want, 32);
}

static void test_command_table_is_sorted_and_unique(void **state)
{
	(void)state;
	for (size_t i = 1; i < vtpm_command_count; i++)
		assert_true(vtpm_commands[i - 1].cc < vtpm_commands[i].cc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commands_before_startup_get_initialize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_errors, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_get_random_caps_at_64_and_rejects_trailing_bytes, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_pcr_extend_matches_independent_hash, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_pcr_extend_leaves_pcr_unchanged, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_pcr_locality_and_reset_rules, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_nv_define_write_read_and_range_errors, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_nv_failed_write_leaves_data_and_blob_unchanged, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_nv_survives_power_cycle, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_or_torn_blob_enters_failure_mode, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_state_then_startup_state_restores_pcrs, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_capability_commands_and_handles_shape, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_nv_store_failure_is_reported_and_rolled_back, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_clock_set_forward_only, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_or_padded_commands_fail_without_side_effects, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_drtm_signals_reset_and_extend_pcr17, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_hcrtm_before_startup_sets_pcr0, setup, teardown),
		cmocka_unit_test(test_command_table_is_sorted_and_unique),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
