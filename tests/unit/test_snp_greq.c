/* tee/snp guest requests against the simulated PSP (OpenSSL): attestation reports verified with the
 * test VCEK, derived keys, sequence numbers, and replayed/tampered/failed responses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "tee/snp/snp_ghcb.h"
#include "tee/snp/snp_greq.h"
#include "tee/snp/snp_mem.h"
#include "tee/snp/snp_psc.h"
#include "tests/sim/snp_sim.h"

#define GHCB_GPA 0x10000ull
#define REQ_GPA 0x11000ull
#define RSP_GPA 0x12000ull

static uint64_t valid_bits[SNP_SIM_PAGES / 64], owned_bits[SNP_SIM_PAGES / 64];
static struct snp_mem mem;
static struct snp_ghcb_state ghcb;
static struct snp_greq greq;
static struct snp_secrets secrets;
static jmp_buf term;

static void boot(uint32_t mode)
{
	snp_sim_init(SNP_SIM_HONEST);
	snp_sim.term_jmp = &term;
	memset(&ghcb, 0, sizeof(ghcb));
	snp_mem_setup(&mem, valid_bits, owned_bits, SNP_SIM_PAGES);
	snp_sim_launch_validate(0, 256);
	assert_int_equal(snp_mem_mark_launch_validated(&mem, 0, 256), SNP_MEM_OK);
	assert_int_equal(snp_mem_own(&mem, 0, 256), SNP_MEM_OK);
	assert_int_equal(snp_ghcb_negotiate(&ghcb), SNP_GHCB_OK);
	assert_int_equal(snp_ghcb_setup(&ghcb, &mem, GHCB_GPA), SNP_GHCB_OK);
	assert_int_equal(snp_mem_make_shared(&mem, &ghcb, REQ_GPA, 2), SNP_PSC_OK);
	/* The launch put the secrets page in Mantle's memory; the test hands the model's keys over. */
	memset(&secrets, 0, sizeof(secrets));
	memcpy(secrets.vmpck, snp_sim.vmpck, sizeof(secrets.vmpck));
	assert_int_equal(snp_greq_init(&greq, &ghcb, &secrets, 0, REQ_GPA, RSP_GPA), SNP_GREQ_OK);
	snp_sim.mode = mode;
}

static int teardown(void **state)
{
	(void)state;
	snp_sim_fini();
	return 0;
}

/* Verifies the report's ECDSA P-384 signature with OpenSSL and the VCEK's public key. */
static bool report_verifies(const struct snp_report *r)
{
	uint8_t pub[97], be_r[48], be_s[48], der[128], *p = der;
	bool ok = false;

	snp_sim_vcek_public(pub);
	for (int i = 0; i < 48; i++) {
		be_r[i] = r->sig_r[47 - i];
		be_s[i] = r->sig_s[47 - i];
	}
	ECDSA_SIG *sig = ECDSA_SIG_new();
	ECDSA_SIG_set0(sig, BN_bin2bn(be_r, 48, NULL), BN_bin2bn(be_s, 48, NULL));
	int der_len = i2d_ECDSA_SIG(sig, &p);
	ECDSA_SIG_free(sig);

	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-384", 0);
	OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub));
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *key = NULL;
	if (EVP_PKEY_fromdata_init(kctx) == 1 &&
	    EVP_PKEY_fromdata(kctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1) {
		EVP_MD_CTX *md = EVP_MD_CTX_new();
		ok = EVP_DigestVerifyInit(md, NULL, EVP_sha384(), NULL, key) == 1 &&
		     EVP_DigestVerify(md, der, (size_t)der_len, (const uint8_t *)r,
				      SNP_REPORT_SIGNED_LEN) == 1;
		EVP_MD_CTX_free(md);
	}
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(kctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return ok;
}

static void test_report_verifies_with_test_vcek_and_carries_report_data(void **state)
{
	(void)state;
	uint8_t data[64];
	static struct snp_report report;

	boot(SNP_SIM_HONEST);
	for (int i = 0; i < 64; i++)
		data[i] = (uint8_t)(i * 3 + 1);
	assert_int_equal(snp_attest(&greq, data, 0, &report), SNP_GREQ_OK);
	assert_memory_equal(report.report_data, data, 64);
	assert_int_equal(report.vmpl, 0);
	assert_memory_equal(report.measurement, snp_sim.measurement, 48);
	assert_true(report_verifies(&report));
	/* A flipped REPORT_DATA bit breaks the signature: it covers what the caller asked for. */
	report.report_data[0] ^= 1;
	assert_false(report_verifies(&report));
}

static void test_sequence_numbers_advance_by_two_and_never_repeat(void **state)
{
	(void)state;
	uint8_t data[64] = { 1 };
	static struct snp_report report;

	boot(SNP_SIM_HONEST);
	assert_int_equal(snp_attest(&greq, data, 0, &report), SNP_GREQ_OK);
	assert_int_equal(greq.seqno, 2);
	assert_int_equal(snp_sim.psp_seqno[0], 2);
	assert_int_equal(snp_attest(&greq, data, 1, &report), SNP_GREQ_OK);
	assert_int_equal(report.vmpl, 1);
	assert_int_equal(greq.seqno, 4);
	assert_int_equal(snp_sim.psp_seqno[0], 4);
}

static void test_busy_request_is_resent_with_same_sequence_number(void **state)
{
	(void)state;
	uint8_t data[64] = { 2 };
	static struct snp_report report;

	boot(SNP_SIM_HOST_GREQ_BUSY_ONCE);
	assert_int_equal(snp_attest(&greq, data, 0, &report), SNP_GREQ_OK);
	assert_int_equal(snp_sim.greq_calls, 2);
	assert_int_equal(greq.seqno, 2); /* the PSP accepted number 1 on the retry */
}

static void test_replayed_response_is_fatal_and_wipes_vmpck(void **state)
{
	(void)state;
	uint8_t data[64] = { 3 }, zero[sizeof(greq.key)] = { 0 };
	static struct snp_report report;

	boot(SNP_SIM_HOST_GREQ_REPLAY);
	assert_int_equal(snp_attest(&greq, data, 0, &report), SNP_GREQ_OK);
	if (setjmp(term) == 0) {
		enum snp_greq_status s = snp_attest(&greq, data, 0, &report);
		fail_msg("replayed response accepted (%d)", s);
	}
	assert_int_equal(snp_sim.term_set, GHCB_TERM_SET_MANTLE);
	assert_int_equal(snp_sim.term_code, SNP_TERM_GREQ_RESPONSE);
	assert_true(greq.disabled);
	assert_memory_equal(&greq.key, zero, sizeof(zero));
}

static void test_tampered_response_is_fatal(void **state)
{
	(void)state;
	uint8_t data[64] = { 4 };
	static struct snp_report report;

	boot(SNP_SIM_HOST_GREQ_TAMPER);
	if (setjmp(term) == 0) {
		enum snp_greq_status s = snp_attest(&greq, data, 0, &report);
		fail_msg("tampered response accepted (%d)", s);
	}
	assert_int_equal(snp_sim.term_code, SNP_TERM_GREQ_RESPONSE);
	assert_true(greq.disabled);
}

static void test_host_failure_retires_the_key(void **state)
{
	(void)state;
	uint8_t data[64] = { 5 };
	static struct snp_report report;

	boot(SNP_SIM_HOST_GHCB_BAD_RESULT);
	assert_int_equal(snp_attest(&greq, data, 0, &report), SNP_GREQ_HOST_FAILED);
	snp_sim.mode = SNP_SIM_HONEST;
	/* Number 1 may have reached the PSP: nothing is ever sent under this key again. */
	assert_int_equal(snp_attest(&greq, data, 0, &report), SNP_GREQ_DISABLED);
	/* Here it did: the PSP answered and the host then reported failure. */
	assert_int_equal(snp_sim.reports, 1);
	assert_int_equal(snp_sim.greq_calls, 1);
}

static void test_derived_key_is_the_psp_key_for_the_request(void **state)
{
	(void)state;
	struct snp_key_req req = { .guest_field_select = 1, .vmpl = 0 };
	uint8_t key[32], want[32];

	boot(SNP_SIM_HONEST);
	assert_int_equal(snp_derive_key(&greq, &req, key), SNP_GREQ_OK);
	snp_sim_psp_derive(&req, 0, want);
	assert_memory_equal(key, want, 32);
	req.guest_field_select = 3;
	uint8_t key2[32];
	assert_int_equal(snp_derive_key(&greq, &req, key2), SNP_GREQ_OK);
	assert_memory_not_equal(key, key2, 32);
}

static void test_shared_pages_never_hold_plaintext_or_vmpck(void **state)
{
	(void)state;
	static const uint8_t data[64] = "report-data-that-the-host-must-not-read-in-plaintext-0123456789";
	static struct snp_report report;
	struct snp_key_req req = { .vmpl = 0 };
	uint8_t key[32];

	boot(SNP_SIM_HONEST);
	assert_int_equal(snp_attest(&greq, data, 0, &report), SNP_GREQ_OK);
	assert_int_equal(snp_derive_key(&greq, &req, key), SNP_GREQ_OK);
	assert_false(snp_sim_host_sees(data, 32));
	assert_false(snp_sim_host_sees(key, 16));
	for (int i = 0; i < 4; i++)
		assert_false(snp_sim_host_sees(snp_sim.vmpck[i], 16));
}

static void test_bad_arguments_are_refused(void **state)
{
	(void)state;
	uint8_t data[64] = { 0 };
	static struct snp_report report;
	struct snp_greq g2;

	boot(SNP_SIM_HONEST);
	assert_int_equal(snp_attest(&greq, data, 4, &report), SNP_GREQ_BAD_ARGS);
	assert_int_equal(snp_greq_init(&g2, &ghcb, &secrets, 4, REQ_GPA, RSP_GPA), SNP_GREQ_BAD_ARGS);
	assert_int_equal(snp_greq_init(&g2, &ghcb, &secrets, 0, REQ_GPA, REQ_GPA), SNP_GREQ_BAD_ARGS);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_report_verifies_with_test_vcek_and_carries_report_data),
		T(test_sequence_numbers_advance_by_two_and_never_repeat),
		T(test_busy_request_is_resent_with_same_sequence_number),
		T(test_replayed_response_is_fatal_and_wipes_vmpck),
		T(test_tampered_response_is_fatal),
		T(test_host_failure_retires_the_key),
		T(test_derived_key_is_the_psp_key_for_the_request),
		T(test_shared_pages_never_hold_plaintext_or_vmpck),
		T(test_bad_arguments_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
