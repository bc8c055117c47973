/* The confidential-service operations of core/tee.h (mem_accept, mem_set_shared, attest,
 * derive_key): the snp backend against the simulated platform, and the "absent" answers the `none`
 * backend gives. Keys are recomputed independently with OpenSSL from the model PSP's derivation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/tee.h"
#include "tee/snp/snp_backend.h"
#include "tee/snp/snp_vcpu.h"
#include "tests/sim/snp_sim.h"

const char mantle_version[] = "0.1.0";

#define SECRETS_GPA 0x20000ull
#define GUEST_PAGE 0x500000ull
#define MANTLE_PAGE 0x38000ull /* in Mantle's launch-validated region, below the pool */

static const struct tee_backend *tee = &snp_tee_backend;
static jmp_buf term;

static void boot(uint32_t mode, bool secrets)
{
	snp_sim_init(mode);
	snp_sim_layout();
	if (secrets) {
		struct snp_secrets *sec = snp_sim_ptr(SECRETS_GPA);
		memcpy(sec->vmpck, snp_sim.vmpck, sizeof(sec->vmpck));
	}
	snp_set_launch_pages(secrets ? SECRETS_GPA : 0, 0);
	assert_true(tee->probe());
	snp_sim.term_jmp = &term;
	if (setjmp(term) != 0)
		fail_msg("terminated: %u/%u", snp_sim.term_set, snp_sim.term_code);
	assert_int_equal(tee->init(), 0);
}

static int teardown(void **state)
{
	(void)state;
	snp_set_launch_pages(0, 0);
	snp_sim_fini();
	return 0;
}

static void test_absent_services_answer_unsupported_and_leak_nothing(void **state)
{
	(void)state;
	uint8_t key[32], data[64] = { 1 }, out[16];
	uint32_t len = sizeof(out);

	memset(key, 0xee, sizeof(key));
	assert_int_equal(tee_absent_mem_accept(0x100000, 1), TEE_ERR_UNSUPPORTED);
	assert_int_equal(tee_absent_mem_set_shared(0x100000, 1, true), TEE_ERR_UNSUPPORTED);
	assert_int_equal(tee_absent_attest(data, out, &len), TEE_ERR_UNSUPPORTED);
	assert_int_equal(len, 0);
	assert_int_equal(tee_absent_derive_key(1, key), TEE_ERR_UNSUPPORTED);
	for (int i = 0; i < 32; i++)
		assert_int_equal(key[i], 0);
}

static void test_snp_backend_has_every_service(void **state)
{
	(void)state;
	assert_non_null(tee->mem_accept);
	assert_non_null(tee->mem_set_shared);
	assert_non_null(tee->attest);
	assert_non_null(tee->derive_key);
}

static void test_attest_reports_size_then_returns_the_report(void **state)
{
	(void)state;
	static uint8_t buf[TEE_ATTEST_MAX];
	uint8_t data[64];
	uint32_t len = 100;

	boot(SNP_SIM_HONEST, true);
	memset(data, 0xa7, sizeof(data));
	assert_int_equal(tee->attest(data, buf, &len), TEE_ERR_SIZE);
	assert_int_equal(len, sizeof(struct snp_report));
	assert_int_equal(snp_sim.reports, 0); /* nothing asked of the PSP for a short buffer */
	len = sizeof(buf);
	assert_int_equal(tee->attest(data, buf, &len), TEE_OK);
	assert_int_equal(len, sizeof(struct snp_report));
	const struct snp_report *r = (const void *)buf;
	assert_memory_equal(r->report_data, data, 64);
	assert_int_equal(r->vmpl, 0);
	assert_int_equal(snp_sim.reports, 1);
}

static void test_attest_and_derive_key_without_secrets_page_are_unsupported(void **state)
{
	(void)state;
	static uint8_t buf[TEE_ATTEST_MAX];
	uint8_t data[64] = { 0 }, key[32];
	uint32_t len = sizeof(buf);

	boot(SNP_SIM_HONEST, false);
	assert_int_equal(tee->attest(data, buf, &len), TEE_ERR_UNSUPPORTED);
	assert_int_equal(len, 0);
	memset(key, 0xee, sizeof(key));
	assert_int_equal(tee->derive_key(7, key), TEE_ERR_UNSUPPORTED);
	for (int i = 0; i < 32; i++)
		assert_int_equal(key[i], 0);
}

/* The expected key, computed with OpenSSL from the model PSP's definition. */
static void expected_key(uint32_t context, uint8_t out[32])
{
	struct snp_key_req req = { .guest_field_select = (1u << 0) | (1u << 3) };
	uint8_t psp[32], label[21];
	unsigned int n = 0;

	snp_sim_psp_derive(&req, 0, psp);
	memcpy(label, "mantle derive key", 17);
	memcpy(label + 17, &context, 4); /* little-endian host */
	assert_non_null(HMAC(EVP_sha256(), psp, sizeof(psp), label, sizeof(label), out, &n));
	assert_int_equal(n, 32);
}

static void test_derive_key_is_bound_to_context_and_stable(void **state)
{
	(void)state;
	uint8_t k1[32], k1b[32], k2[32], want[32];

	boot(SNP_SIM_HONEST, true);
	assert_int_equal(tee->derive_key(1, k1), TEE_OK);
	assert_int_equal(tee->derive_key(1, k1b), TEE_OK);
	assert_int_equal(tee->derive_key(2, k2), TEE_OK);
	assert_memory_equal(k1, k1b, 32);
	assert_memory_not_equal(k1, k2, 32);
	expected_key(1, want);
	assert_memory_equal(k1, want, 32);
	expected_key(2, want);
	assert_memory_equal(k2, want, 32);
	/* Neither the PSP's key nor a derived one reached a shared page. */
	assert_false(snp_sim_host_sees(k1, 32));
	assert_false(snp_sim_host_sees(k2, 32));
}

static void test_set_shared_round_trip_of_a_guest_page(void **state)
{
	(void)state;
	static const char secret[] = "guest private bytes 0123456789";
	const struct snp_mem *m;

	boot(SNP_SIM_HONEST, false);
	m = snp_backend_mem();
	memcpy(snp_sim_ptr(GUEST_PAGE), secret, sizeof(secret));
	assert_int_equal(tee->mem_set_shared(GUEST_PAGE, 1, true), TEE_OK);
	assert_false(snp_sim.rmp[GUEST_PAGE >> 12].assigned);
	assert_false(snp_mem_is_validated(m, GUEST_PAGE));
	assert_false(snp_sim_host_sees(secret, sizeof(secret) - 1));
	/* The host writes into the shared page; going private must not keep its bytes. */
	memset(snp_sim_shared_ptr(GUEST_PAGE), 0x66, 4096);
	assert_int_equal(tee->mem_set_shared(GUEST_PAGE, 1, false), TEE_OK);
	assert_true(snp_sim.rmp[GUEST_PAGE >> 12].validated);
	assert_true(snp_mem_is_validated(m, GUEST_PAGE));
	assert_int_equal(snp_sim.rmp[GUEST_PAGE >> 12].perms[SNP_GUEST_VMPL], SNP_RMP_PERM_ALL);
	assert_int_equal(((uint8_t *)snp_sim_ptr(GUEST_PAGE))[100], 0);
	/* Shared twice or private twice is refused and changes nothing. */
	assert_int_equal(tee->mem_set_shared(GUEST_PAGE, 1, false), TEE_ERR_INVALID);
	assert_true(snp_mem_is_validated(m, GUEST_PAGE));
}

static void test_mantle_page_shared_and_back_is_never_granted_to_the_guest(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST, false);
	assert_int_equal(tee->mem_set_shared(MANTLE_PAGE, 2, true), TEE_OK);
	assert_false(snp_sim.rmp[MANTLE_PAGE >> 12].assigned);
	assert_int_equal(tee->mem_set_shared(MANTLE_PAGE, 2, false), TEE_OK);
	assert_true(snp_sim.rmp[MANTLE_PAGE >> 12].validated);
	assert_int_equal(snp_sim.rmp[MANTLE_PAGE >> 12].perms[SNP_GUEST_VMPL], 0);
	assert_int_equal(snp_sim.rmp[(MANTLE_PAGE >> 12) + 1].perms[SNP_GUEST_VMPL], 0);
	/* A range straddling Mantle's end and guest RAM is refused as a whole. */
	assert_int_equal(tee->mem_set_shared(0x1ff000, 2, true), TEE_ERR_INVALID);
	assert_true(snp_sim.rmp[0x1ff].validated);
	assert_true(snp_sim.rmp[0x200].validated);
}

static void test_mem_accept_takes_shared_pages_once_and_refuses_mantle_pages(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST, false);
	assert_int_equal(tee->mem_set_shared(GUEST_PAGE, 4, true), TEE_OK);
	assert_int_equal(tee->mem_accept(GUEST_PAGE, 4), TEE_OK);
	for (uint64_t i = 0; i < 4; i++) {
		assert_true(snp_sim.rmp[(GUEST_PAGE >> 12) + i].validated);
		assert_int_equal(snp_sim.rmp[(GUEST_PAGE >> 12) + i].perms[SNP_GUEST_VMPL], SNP_RMP_PERM_ALL);
	}
	assert_int_equal(tee->mem_accept(GUEST_PAGE, 4), TEE_ERR_INVALID); /* never twice */
	assert_int_equal(tee->mem_accept(MANTLE_PAGE, 1), TEE_ERR_INVALID);
	assert_int_equal(tee->mem_accept(GUEST_PAGE + 1, 1), TEE_ERR_INVALID);
	assert_int_equal(tee->mem_accept(GUEST_PAGE, 0), TEE_ERR_INVALID);
	assert_int_equal(tee->mem_accept(SNP_SIM_MEM_SIZE - 4096, 2), TEE_ERR_INVALID);
	assert_int_equal(tee->mem_accept(~0ull & ~0xfffull, 1), TEE_ERR_INVALID);
}

static void test_accept_against_a_lying_host_fails_without_granting(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST, false);
	assert_int_equal(tee->mem_set_shared(GUEST_PAGE, 1, true), TEE_OK);
	snp_sim.mode = SNP_SIM_HOST_PSC_LIE;
	assert_int_equal(tee->mem_accept(GUEST_PAGE, 1), TEE_ERR_HOST);
	assert_false(snp_mem_is_validated(snp_backend_mem(), GUEST_PAGE));
	assert_int_equal(snp_sim.rmp[GUEST_PAGE >> 12].perms[SNP_GUEST_VMPL], 0);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_absent_services_answer_unsupported_and_leak_nothing),
		cmocka_unit_test(test_snp_backend_has_every_service),
		T(test_attest_reports_size_then_returns_the_report),
		T(test_attest_and_derive_key_without_secrets_page_are_unsupported),
		T(test_derive_key_is_bound_to_context_and_stable),
		T(test_set_shared_round_trip_of_a_guest_page),
		T(test_mantle_page_shared_and_back_is_never_granted_to_the_guest),
		T(test_mem_accept_takes_shared_pages_once_and_refuses_mantle_pages),
		T(test_accept_against_a_lying_host_fails_without_granting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
