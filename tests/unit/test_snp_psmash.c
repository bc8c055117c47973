/* 2 MiB pages: guest RAM is validated in 2 MiB PVALIDATEs; converting one 4 KiB page inside such a
 * block makes Mantle ask the host to PSMASH the block (PSC operation 3) and then rescind only that
 * page. The simulated RMP enforces the size rules (a 4 KiB PVALIDATE on a 2 MiB entry is
 * FAIL_SIZEMISMATCH) and keeps the Validated bit per 4 KiB entry after PSMASH; hosts that lie about
 * the split, or split and drop the validation, end in a refusal or a detected remap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/tee.h"
#include "tee/snp/snp_backend.h"
#include "tee/snp/snp_vcpu.h"
#include "tests/sim/snp_sim.h"

const char mantle_version[] = "0.1.0";

#define BLOCK 0x400000ull
#define TARGET (BLOCK + 0x5000ull)
#define NEIGHBOUR (BLOCK + 0x6000ull)

static const struct tee_backend *tee = &snp_tee_backend;
static jmp_buf term;
static const char secret[] = "private bytes of the guest, not for the host";

static void boot(uint32_t mode)
{
	snp_sim_init(mode);
	snp_sim_layout();
	snp_set_launch_pages(0, 0);
	assert_true(tee->probe());
	snp_sim.term_jmp = &term;
	if (setjmp(term) != 0)
		fail_msg("terminated: %u/%u", snp_sim.term_set, snp_sim.term_code);
	assert_int_equal(tee->init(), 0);
	memcpy(snp_sim_ptr(TARGET), secret, sizeof(secret));
	memcpy(snp_sim_ptr(NEIGHBOUR), secret, sizeof(secret));
}

static int teardown(void **state)
{
	(void)state;
	snp_sim_fini();
	return 0;
}

static void assert_block_validated_except(uint64_t except)
{
	const struct snp_mem *m = snp_backend_mem();

	for (uint64_t a = BLOCK; a < BLOCK + SNP_2M_SIZE; a += SNP_PAGE_SIZE) {
		if (a == except)
			continue;
		assert_true(snp_sim.rmp[a >> 12].validated);
		assert_true(snp_mem_is_validated(m, a));
		assert_int_equal(snp_sim.rmp[a >> 12].perms[SNP_GUEST_VMPL], SNP_RMP_PERM_ALL);
	}
}

static void test_ram_is_validated_in_2m_pages(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	for (uint64_t p = BLOCK >> 12; p < (BLOCK + SNP_2M_SIZE) >> 12; p++)
		assert_true(snp_sim.rmp[p].size_2m);
	assert_int_equal(snp_backend_mem()->size_fallbacks, 0);
}

static void test_sharing_one_page_of_a_2m_block_psmashes_it_and_keeps_the_rest(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	const struct snp_mem *m = snp_backend_mem();
	uint64_t pv4k = m->pvalidate_4k;

	assert_int_equal(tee->mem_set_shared(TARGET, 1, true), TEE_OK);
	assert_int_equal(snp_sim.psmash_calls, 1);
	assert_int_equal(m->psmash, 1);
	for (uint64_t p = BLOCK >> 12; p < (BLOCK + SNP_2M_SIZE) >> 12; p++)
		assert_false(snp_sim.rmp[p].size_2m);
	assert_false(snp_sim.rmp[TARGET >> 12].assigned);
	assert_false(snp_mem_is_validated(m, TARGET));
	assert_block_validated_except(TARGET);
	/* Only the target was touched: one 4 KiB rescind, no re-validation of its neighbours. */
	assert_int_equal(m->pvalidate_4k, pv4k + 1);
	assert_memory_equal(snp_sim_ptr(NEIGHBOUR), secret, sizeof(secret));
	assert_false(snp_sim_host_sees(secret, sizeof(secret) - 1));

	/* Back to private: one 4 KiB validate; the block stays split, every page validated once. */
	assert_int_equal(tee->mem_set_shared(TARGET, 1, false), TEE_OK);
	assert_int_equal(m->pvalidate_4k, pv4k + 2);
	assert_block_validated_except(~0ull);
}

static void test_a_split_block_is_not_psmashed_again(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	assert_int_equal(tee->mem_set_shared(TARGET, 1, true), TEE_OK);
	assert_int_equal(tee->mem_set_shared(NEIGHBOUR, 1, true), TEE_OK);
	assert_int_equal(snp_sim.psmash_calls, 1);
	/* A range crossing into the next 2 MiB block splits that one too. */
	assert_int_equal(tee->mem_set_shared(BLOCK + SNP_2M_SIZE - 0x1000, 2, true), TEE_OK);
	assert_int_equal(snp_sim.psmash_calls, 2);
	assert_false(snp_sim.rmp[(BLOCK + SNP_2M_SIZE) >> 12].size_2m);
	assert_true(snp_sim.rmp[(BLOCK + SNP_2M_SIZE + 0x1000) >> 12].validated);
}

static void test_whole_2m_block_is_shared_without_psmash(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	assert_int_equal(tee->mem_set_shared(BLOCK, SNP_PAGES_PER_2M, true), TEE_OK);
	assert_int_equal(snp_sim.psmash_calls, 0);
	assert_int_equal(tee->mem_set_shared(BLOCK, SNP_PAGES_PER_2M, false), TEE_OK);
	assert_true(snp_sim.rmp[BLOCK >> 12].size_2m);
	assert_block_validated_except(~0ull);
}

static void test_4k_only_host_needs_no_psmash(void **state)
{
	(void)state;
	boot(SNP_SIM_HOST_4K_ONLY);
	assert_int_equal(tee->mem_set_shared(TARGET, 1, true), TEE_OK);
	assert_int_equal(snp_sim.psmash_calls, 0);
	assert_block_validated_except(TARGET);
}

static void test_host_lying_about_psmash_is_refused_and_nothing_leaks(void **state)
{
	(void)state;
	boot(SNP_SIM_HOST_PSMASH_LIE);
	const struct snp_mem *m = snp_backend_mem();

	assert_int_equal(tee->mem_set_shared(TARGET, 1, true), TEE_ERR_HOST);
	assert_int_equal(snp_sim.psmash_calls, 1);
	/* The RMP kept the 2 MiB entry: the page is still validated, private and recorded so. */
	assert_true(snp_sim.rmp[TARGET >> 12].assigned);
	assert_true(snp_sim.rmp[TARGET >> 12].validated);
	assert_true(snp_mem_is_validated(m, TARGET));
	assert_block_validated_except(~0ull);
	assert_false(snp_sim_host_sees(secret, sizeof(secret) - 1));
}

static void test_psmash_that_drops_validation_is_detected_as_a_remap(void **state)
{
	(void)state;
	boot(SNP_SIM_HOST_PSMASH_RESET);
	const struct snp_mem *m = snp_backend_mem();

	/* The 4 KiB rescind finds the page already unvalidated (CF = 1): refused. */
	assert_int_equal(tee->mem_set_shared(TARGET, 1, true), TEE_ERR_HOST);
	assert_false(snp_mem_is_validated(m, TARGET));
	/* Its neighbours are not re-validated: Mantle's record still says validated, so the guest's
	 * next access to one (#VC 0x404) is a remap and terminates. */
	assert_false(snp_sim.rmp[NEIGHBOUR >> 12].validated);
	assert_true(snp_mem_remap_detected(m, NEIGHBOUR));
	assert_false(snp_sim_host_sees(secret, sizeof(secret) - 1));
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ram_is_validated_in_2m_pages),
		T(test_sharing_one_page_of_a_2m_block_psmashes_it_and_keeps_the_rest),
		T(test_a_split_block_is_not_psmashed_again),
		T(test_whole_2m_block_is_shared_without_psmash),
		T(test_4k_only_host_needs_no_psmash),
		T(test_host_lying_about_psmash_is_refused_and_nothing_leaks),
		T(test_psmash_that_drops_validation_is_detected_as_a_remap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
