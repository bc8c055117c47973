/* tee/snp memory: PVALIDATE (2 MiB first, 4 KiB fallback), RMPADJUST and the validated-page bitmap,
 * against the strict RMP model of tests/sim, including a host that remaps and replays RMP state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tee/snp/snp_mem.h"
#include "tests/sim/snp_sim.h"

#define MB (1024ull * 1024)
#define PFN(gpa) ((gpa) >> 12)

static uint64_t valid_bits[SNP_SIM_PAGES / 64], owned_bits[SNP_SIM_PAGES / 64];
static struct snp_mem mem;

/* Mantle's image and pool: the first 1 MiB, validated at launch. */
static int setup(void **state)
{
	(void)state;
	snp_sim_init(SNP_SIM_HONEST);
	snp_mem_setup(&mem, valid_bits, owned_bits, SNP_SIM_PAGES);
	snp_sim_launch_validate(0, 256);
	assert_int_equal(snp_mem_mark_launch_validated(&mem, 0, 256), SNP_MEM_OK);
	assert_int_equal(snp_mem_own(&mem, 0, 256), SNP_MEM_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	snp_sim_fini();
	return 0;
}

static void test_validate_uses_one_2m_pvalidate_when_host_backs_2m(void **state)
{
	(void)state;
	snp_sim_host_assign(2 * MB, 512, true, true);
	assert_int_equal(snp_mem_validate(&mem, 2 * MB, 512), SNP_MEM_OK);
	assert_int_equal(mem.pvalidate_2m, 1);
	assert_int_equal(mem.pvalidate_4k, 0);
	for (uint64_t p = PFN(2 * MB); p < PFN(4 * MB); p++)
		assert_true(snp_sim.rmp[p].validated);
	assert_true(snp_mem_is_validated(&mem, 2 * MB + 0x1ff000));
}

static void test_validate_falls_back_to_4k_on_sizemismatch(void **state)
{
	(void)state;
	snp_sim_host_assign(2 * MB, 512, true, false);
	assert_int_equal(snp_mem_validate(&mem, 2 * MB, 512), SNP_MEM_OK);
	assert_int_equal(mem.size_fallbacks, 1);
	assert_int_equal(mem.pvalidate_2m, 0);
	assert_int_equal(mem.pvalidate_4k, 512);
	assert_true(snp_sim.rmp[PFN(2 * MB) + 511].validated);
}

static void test_validate_mixed_range_uses_4k_edges_and_2m_middle(void **state)
{
	(void)state;
	snp_sim_host_assign(2 * MB - 8192, 2, true, false);
	snp_sim_host_assign(2 * MB, 512, true, true);
	snp_sim_host_assign(4 * MB, 3, true, false);
	assert_int_equal(snp_mem_validate(&mem, 2 * MB - 8192, 517), SNP_MEM_OK);
	assert_int_equal(mem.pvalidate_2m, 1);
	assert_int_equal(mem.pvalidate_4k, 5);
}

static void test_pvalidate_refuses_second_validation(void **state)
{
	(void)state;
	snp_sim_host_assign(4 * MB, 4, true, false);
	assert_int_equal(snp_mem_validate(&mem, 4 * MB, 4), SNP_MEM_OK);
	uint64_t before = mem.pvalidate_4k;
	assert_int_equal(snp_mem_validate(&mem, 4 * MB + 4096, 1), SNP_MEM_DOUBLE);
	assert_int_equal(snp_mem_validate(&mem, 4 * MB - 4096, 2), SNP_MEM_DOUBLE);
	assert_int_equal(mem.pvalidate_4k, before); /* no instruction was even issued */
}

static void test_validate_refuses_page_the_rmp_already_had_validated(void **state)
{
	(void)state;
	/* The host replays an old RMP state in which the page is validated (CF = 1 on PVALIDATE). */
	snp_sim_host_assign(4 * MB, 3, true, false);
	snp_sim.rmp[PFN(4 * MB) + 2].validated = true;
	assert_int_equal(snp_mem_validate(&mem, 4 * MB, 3), SNP_MEM_HW_UNCHANGED);
	/* All or nothing: the pages this call validated are rescinded, the bitmap is untouched. */
	assert_false(snp_sim.rmp[PFN(4 * MB)].validated);
	assert_false(snp_sim.rmp[PFN(4 * MB) + 1].validated);
	assert_false(snp_mem_is_validated(&mem, 4 * MB));
	assert_false(snp_mem_is_validated(&mem, 4 * MB + 8192));
}

static void test_validate_rolls_back_when_host_did_not_assign_a_page(void **state)
{
	(void)state;
	snp_sim_host_assign(2 * MB, 512, true, true);
	/* 4 MiB + 4 KiB was never assigned: FAIL_INPUT (an RMP #NPF on hardware). */
	snp_sim_host_assign(4 * MB, 1, true, false);
	assert_int_equal(snp_mem_validate(&mem, 2 * MB, 514), SNP_MEM_HW_INPUT);
	assert_int_equal(snp_sim.npf, 1);
	for (uint64_t p = PFN(2 * MB); p <= PFN(4 * MB); p++) {
		assert_false(snp_sim.rmp[p].validated);
		assert_false(snp_mem_is_validated(&mem, p << 12));
	}
}

static void test_remap_of_validated_page_is_detected_and_not_revalidated(void **state)
{
	(void)state;
	snp_sim_host_assign(6 * MB, 1, true, false);
	assert_int_equal(snp_mem_validate(&mem, 6 * MB, 1), SNP_MEM_OK);
	snp_sim_host_remap(6 * MB, 0xee);
	/* The guest's next access takes #VC 0x404; the bitmap says Mantle validated it: a remap. */
	assert_true(snp_mem_remap_detected(&mem, 6 * MB));
	assert_int_equal(snp_mem_validate(&mem, 6 * MB, 1), SNP_MEM_DOUBLE);
	assert_false(snp_sim.rmp[PFN(6 * MB)].validated);
	/* A page Mantle never validated is an ordinary fault, not a remap. */
	assert_false(snp_mem_remap_detected(&mem, 7 * MB));
}

static void test_invalidate_rescinds_2m_and_4k_pages(void **state)
{
	(void)state;
	snp_sim_host_assign(2 * MB, 512, true, true);
	snp_sim_host_assign(4 * MB, 1, true, false);
	assert_int_equal(snp_mem_validate(&mem, 2 * MB, 513), SNP_MEM_OK);
	assert_int_equal(snp_mem_invalidate(&mem, 2 * MB, 513), SNP_MEM_OK);
	for (uint64_t p = PFN(2 * MB); p <= PFN(4 * MB); p++) {
		assert_false(snp_sim.rmp[p].validated);
		assert_false(snp_mem_is_validated(&mem, p << 12));
	}
}

static void test_invalidate_of_part_of_a_2m_page_changes_nothing(void **state)
{
	(void)state;
	snp_sim_host_assign(2 * MB, 512, true, true);
	assert_int_equal(snp_mem_validate(&mem, 2 * MB, 512), SNP_MEM_OK);
	assert_int_equal(snp_mem_invalidate(&mem, 2 * MB + 4096, 1), SNP_MEM_HW_SIZE);
	assert_true(snp_sim.rmp[PFN(2 * MB) + 1].validated);
	assert_true(snp_mem_is_validated(&mem, 2 * MB + 4096));
}

static void test_invalidate_refuses_pages_not_validated(void **state)
{
	(void)state;
	snp_sim_host_assign(4 * MB, 2, true, false);
	assert_int_equal(snp_mem_validate(&mem, 4 * MB, 1), SNP_MEM_OK);
	assert_int_equal(snp_mem_invalidate(&mem, 4 * MB, 2), SNP_MEM_NOT_VALIDATED);
	assert_true(snp_sim.rmp[PFN(4 * MB)].validated);
}

static void test_grant_gives_guest_vmpl_its_permissions(void **state)
{
	(void)state;
	snp_sim_host_assign(2 * MB, 512, true, true);
	snp_sim_host_assign(4 * MB, 2, true, false);
	assert_int_equal(snp_mem_validate(&mem, 2 * MB, 514), SNP_MEM_OK);
	assert_int_equal(snp_mem_grant(&mem, 2 * MB, 514, 2, SNP_RMP_PERM_ALL), SNP_MEM_OK);
	assert_int_equal(snp_sim.rmp[PFN(2 * MB)].perms[2], SNP_RMP_PERM_ALL);
	assert_int_equal(snp_sim.rmp[PFN(4 * MB) + 1].perms[2], SNP_RMP_PERM_ALL);
	assert_int_equal(snp_sim.rmp[PFN(4 * MB) + 1].perms[1], 0);
}

static void test_grant_refuses_mantle_pages(void **state)
{
	(void)state;
	assert_int_equal(snp_mem_grant(&mem, 0, 1, 1, SNP_RMP_PERM_READ), SNP_MEM_OWNED);
	/* A range that merely ends in Mantle's memory is refused as a whole. */
	snp_sim_host_assign(1 * MB, 1, true, false);
	assert_int_equal(snp_mem_grant(&mem, 1 * MB - 4096, 2, 1, SNP_RMP_PERM_READ), SNP_MEM_OWNED);
	for (uint32_t p = 0; p < 256; p++)
		assert_int_equal(snp_sim.rmp[p].perms[1], 0);
}

static void test_grant_refuses_unvalidated_pages_and_vmpl0(void **state)
{
	(void)state;
	snp_sim_host_assign(4 * MB, 1, true, false);
	assert_int_equal(snp_mem_grant(&mem, 4 * MB, 1, 1, SNP_RMP_PERM_READ), SNP_MEM_NOT_VALIDATED);
	assert_int_equal(snp_mem_validate(&mem, 4 * MB, 1), SNP_MEM_OK);
	assert_int_equal(snp_mem_grant(&mem, 4 * MB, 1, 0, SNP_RMP_PERM_READ), SNP_MEM_RANGE);
	assert_int_equal(snp_mem_grant(&mem, 4 * MB, 1, 4, SNP_RMP_PERM_READ), SNP_MEM_RANGE);
	assert_int_equal(snp_mem_grant(&mem, 4 * MB, 1, 1, 0x10), SNP_MEM_RANGE);
}

static void test_make_vmsa_marks_mantle_page_read_only_vmsa(void **state)
{
	(void)state;
	assert_int_equal(snp_mem_make_vmsa(&mem, 0x5000, 2), SNP_MEM_OK);
	assert_true(snp_sim.rmp[5].vmsa);
	assert_int_equal(snp_sim.rmp[5].perms[2], SNP_RMP_PERM_READ);
	/* A guest page can never become a VMSA (the guest could write its own register state). */
	snp_sim_host_assign(4 * MB, 1, true, false);
	assert_int_equal(snp_mem_validate(&mem, 4 * MB, 1), SNP_MEM_OK);
	assert_int_equal(snp_mem_make_vmsa(&mem, 4 * MB, 2), SNP_MEM_OWNED);
	assert_false(snp_sim.rmp[PFN(4 * MB)].vmsa);
}

static void test_every_hardware_return_code_maps_to_a_status(void **state)
{
	(void)state;
	static const struct {
		uint32_t rc;
		enum snp_mem_status want;
	} rows[] = {
		{ SNP_PVALIDATE_FAIL_INPUT, SNP_MEM_HW_INPUT },
		{ SNP_RMPADJUST_FAIL_PERMISSION, SNP_MEM_HW_PERMISSION },
		{ 3, SNP_MEM_HW_UNKNOWN },
		{ 0xffffffffu, SNP_MEM_HW_UNKNOWN },
	};
	snp_sim_host_assign(4 * MB, 1, true, false);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snp_sim.force_rc = rows[i].rc;
		assert_int_equal(snp_mem_validate(&mem, 4 * MB, 1), rows[i].want);
		assert_false(snp_mem_is_validated(&mem, 4 * MB));
		assert_int_equal(snp_mem_make_vmsa(&mem, 0x6000, 1), rows[i].want);
		assert_string_not_equal(snp_mem_status_name(rows[i].want), "?");
	}
	snp_sim.force_rc = 0;
	/* FAIL_SIZEMISMATCH on a 4 KiB operation (host kept a 2 MiB entry): no further fallback. */
	snp_sim_host_assign(2 * MB, 512, true, true);
	assert_int_equal(snp_mem_validate(&mem, 2 * MB, 1), SNP_MEM_HW_SIZE);
}

static void test_ranges_are_checked(void **state)
{
	(void)state;
	assert_int_equal(snp_mem_validate(&mem, 4 * MB + 1, 1), SNP_MEM_RANGE);
	assert_int_equal(snp_mem_validate(&mem, 4 * MB, 0), SNP_MEM_RANGE);
	assert_int_equal(snp_mem_validate(&mem, SNP_SIM_MEM_SIZE - 4096, 2), SNP_MEM_RANGE);
	assert_int_equal(snp_mem_validate(&mem, UINT64_MAX & ~0xfffull, 1), SNP_MEM_RANGE);
	assert_int_equal(snp_mem_grant(&mem, 4 * MB, UINT64_MAX, 1, 1), SNP_MEM_RANGE);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_validate_uses_one_2m_pvalidate_when_host_backs_2m),
		T(test_validate_falls_back_to_4k_on_sizemismatch),
		T(test_validate_mixed_range_uses_4k_edges_and_2m_middle),
		T(test_pvalidate_refuses_second_validation),
		T(test_validate_refuses_page_the_rmp_already_had_validated),
		T(test_validate_rolls_back_when_host_did_not_assign_a_page),
		T(test_remap_of_validated_page_is_detected_and_not_revalidated),
		T(test_invalidate_rescinds_2m_and_4k_pages),
		T(test_invalidate_of_part_of_a_2m_page_changes_nothing),
		T(test_invalidate_refuses_pages_not_validated),
		T(test_grant_gives_guest_vmpl_its_permissions),
		T(test_grant_refuses_mantle_pages),
		T(test_grant_refuses_unvalidated_pages_and_vmpl0),
		T(test_make_vmsa_marks_mantle_page_read_only_vmsa),
		T(test_every_hardware_return_code_maps_to_a_status),
		T(test_ranges_are_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
