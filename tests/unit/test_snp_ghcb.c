/* tee/snp host interface: GHCB MSR protocol negotiation, GHCB page registration and calls, Page State
 * Change round trips, against the simulated hypervisor in honest and misbehaving modes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tee/snp/snp_ghcb.h"
#include "tee/snp/snp_mem.h"
#include "tee/snp/snp_psc.h"
#include "tests/sim/snp_sim.h"

#define MB (1024ull * 1024)
#define GHCB_GPA 0x10000ull

static uint64_t valid_bits[SNP_SIM_PAGES / 64], owned_bits[SNP_SIM_PAGES / 64];
static struct snp_mem mem;
static struct snp_ghcb_state ghcb;
static jmp_buf term;

static void boot(uint32_t mode)
{
	snp_sim_init(mode);
	snp_sim.term_jmp = &term;
	memset(&ghcb, 0, sizeof(ghcb));
	snp_mem_setup(&mem, valid_bits, owned_bits, SNP_SIM_PAGES);
	snp_sim_launch_validate(0, 256);
	assert_int_equal(snp_mem_mark_launch_validated(&mem, 0, 256), SNP_MEM_OK);
	assert_int_equal(snp_mem_own(&mem, 0, 256), SNP_MEM_OK);
}

static void boot_with_ghcb(uint32_t mode)
{
	boot(mode);
	assert_int_equal(snp_ghcb_negotiate(&ghcb), SNP_GHCB_OK);
	assert_int_equal(snp_ghcb_setup(&ghcb, &mem, GHCB_GPA), SNP_GHCB_OK);
}

static int teardown(void **state)
{
	(void)state;
	snp_sim_fini();
	return 0;
}

static void test_negotiate_accepts_protocol_2_and_required_features(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	assert_int_equal(snp_ghcb_negotiate(&ghcb), SNP_GHCB_OK);
	assert_true(ghcb.hv_features & GHCB_HV_FT_MULTI_VMPL);
	assert_false(snp_sim.terminated);
}

static void test_negotiate_terminates_when_host_lacks_protocol_2(void **state)
{
	(void)state;
	boot(SNP_SIM_HOST_OLD_PROTOCOL);
	if (setjmp(term) == 0) {
		enum snp_ghcb_status s = snp_ghcb_negotiate(&ghcb);
		fail_msg("status %d", s);
		fail_msg("negotiation continued with a protocol-1 host");
	}
	assert_true(snp_sim.terminated);
	assert_int_equal(snp_sim.term_code, GHCB_TERM_PROTOCOL_RANGE);
}

static void test_negotiate_terminates_without_multi_vmpl(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	snp_sim.hv_features &= ~GHCB_HV_FT_MULTI_VMPL;
	if (setjmp(term) == 0) {
		enum snp_ghcb_status s = snp_ghcb_negotiate(&ghcb);
		fail_msg("status %d", s);
		fail_msg("negotiation accepted a host without multi-VMPL support");
	}
	assert_int_equal(snp_sim.term_code, GHCB_TERM_SNP_UNSUPPORTED);
}

static void test_ghcb_setup_shares_and_registers_the_page(void **state)
{
	(void)state;
	boot_with_ghcb(SNP_SIM_HONEST);
	assert_false(snp_sim.rmp[GHCB_GPA >> 12].assigned);
	assert_false(snp_mem_is_validated(&mem, GHCB_GPA));
	assert_int_equal(snp_sim.ghcb_gfn, GHCB_GPA >> 12);
	/* Still Mantle's: never granted to the guest. */
	assert_true(snp_mem_is_owned(&mem, GHCB_GPA));
}

static void test_ghcb_setup_refuses_wrong_gfn_echo(void **state)
{
	(void)state;
	boot(SNP_SIM_HOST_REG_WRONG_GFN);
	assert_int_equal(snp_ghcb_negotiate(&ghcb), SNP_GHCB_OK);
	assert_int_equal(snp_ghcb_setup(&ghcb, &mem, GHCB_GPA), SNP_GHCB_BAD_RESPONSE);
	assert_null(ghcb.page);
	struct snp_ghcb_call c = { .exit_code = SVM_EXIT_CPUID };
	assert_int_equal(snp_ghcb_call(&ghcb, &c), SNP_GHCB_NOT_READY);
}

static void test_ghcb_setup_refuses_guest_page(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	assert_int_equal(snp_ghcb_setup(&ghcb, &mem, 4 * MB), SNP_GHCB_BAD_RESPONSE);
}

static void test_ghcb_cpuid_call_returns_host_answer(void **state)
{
	(void)state;
	boot_with_ghcb(SNP_SIM_HONEST);
	struct snp_ghcb_call c = { .exit_code = SVM_EXIT_CPUID, .rax = 7, .rcx = 0,
				   .in = SNP_GHCB_R_RAX | SNP_GHCB_R_RCX,
				   .out = SNP_GHCB_R_RAX | SNP_GHCB_R_RBX | SNP_GHCB_R_RCX | SNP_GHCB_R_RDX };
	assert_int_equal(snp_ghcb_call(&ghcb, &c), SNP_GHCB_OK);
	assert_int_equal(c.rax, 7 * 16);
	assert_int_equal(c.rdx, 7 * 16 + 3);
}

static void test_ghcb_answer_without_valid_bits_is_refused(void **state)
{
	(void)state;
	boot_with_ghcb(SNP_SIM_HOST_GHCB_BAD_VALID);
	struct snp_ghcb_call c = { .exit_code = SVM_EXIT_CPUID, .rax = 1, .in = SNP_GHCB_R_RAX,
				   .out = SNP_GHCB_R_RAX };
	assert_int_equal(snp_ghcb_call(&ghcb, &c), SNP_GHCB_BAD_RESPONSE);
}

static void test_ghcb_undefined_result_is_refused(void **state)
{
	(void)state;
	boot_with_ghcb(SNP_SIM_HOST_GHCB_BAD_RESULT);
	struct snp_ghcb_call c = { .exit_code = SVM_EXIT_CPUID, .rax = 1, .in = SNP_GHCB_R_RAX };
	assert_int_equal(snp_ghcb_call(&ghcb, &c), SNP_GHCB_BAD_RESPONSE);
}

static void test_ghcb_host_error_is_reported(void **state)
{
	(void)state;
	boot_with_ghcb(SNP_SIM_HONEST);
	struct snp_ghcb_call c = { .exit_code = 0x12345 };
	assert_int_equal(snp_ghcb_call(&ghcb, &c), SNP_GHCB_HV_ERROR);
}

static void test_conversion_round_trip_private_shared_private(void **state)
{
	(void)state;
	boot_with_ghcb(SNP_SIM_HONEST);
	/* 2 MiB + 3 pages: one 2 MiB PSC entry and PVALIDATE, three 4 KiB ones. */
	assert_int_equal(snp_mem_make_private(&mem, &ghcb, 2 * MB, 515), SNP_PSC_OK);
	assert_int_equal(mem.pvalidate_2m, 1);
	assert_true(snp_sim.rmp[(2 * MB >> 12) + 514].validated);
	memset(snp_sim_ptr(4 * MB), 0x77, 4096);
	assert_int_equal(snp_mem_make_shared(&mem, &ghcb, 4 * MB, 1), SNP_PSC_OK);
	assert_false(snp_sim.rmp[4 * MB >> 12].assigned);
	assert_false(snp_mem_is_validated(&mem, 4 * MB));
	assert_int_equal(*(uint8_t *)snp_sim_shared_ptr(4 * MB), 0); /* wiped before it left */
	memset(snp_sim_shared_ptr(4 * MB), 0x99, 4096);             /* the host writes while it is shared */
	assert_int_equal(snp_mem_make_private(&mem, &ghcb, 4 * MB, 1), SNP_PSC_OK);
	assert_true(snp_sim.rmp[4 * MB >> 12].validated);
	assert_int_equal(*(uint8_t *)snp_sim_ptr(4 * MB + 100), 0); /* host data not taken as ours */
}

static void test_make_shared_leaks_no_private_byte(void **state)
{
	(void)state;
	static const char secret[] = "mantle-private-secret-0123456789";
	boot_with_ghcb(SNP_SIM_HONEST);
	assert_int_equal(snp_mem_make_private(&mem, &ghcb, 4 * MB, 4), SNP_PSC_OK);
	for (int i = 0; i < 4; i++)
		memcpy(snp_sim_ptr(4 * MB + i * 4096 + 100), secret, sizeof(secret));
	assert_false(snp_sim_host_sees(secret, sizeof(secret)));
	assert_int_equal(snp_mem_make_shared(&mem, &ghcb, 4 * MB, 4), SNP_PSC_OK);
	assert_false(snp_sim_host_sees(secret, sizeof(secret)));
}

static void test_psc_splits_requests_over_253_entries(void **state)
{
	(void)state;
	boot_with_ghcb(SNP_SIM_HONEST);
	/* 600 unaligned 4 KiB pages: three GHCB calls. */
	assert_int_equal(snp_mem_make_private(&mem, &ghcb, 4 * MB + 4096, 600), SNP_PSC_OK);
	assert_int_equal(snp_sim.psc_calls, 1 /* GHCB page itself */ + 3);
	assert_true(snp_sim.rmp[((4 * MB + 4096) >> 12) + 599].validated);
}

static void test_psc_that_lies_about_private_is_caught_by_pvalidate(void **state)
{
	(void)state;
	boot_with_ghcb(SNP_SIM_HONEST);
	snp_sim.mode = SNP_SIM_HOST_PSC_LIE;
	assert_int_equal(snp_mem_make_private(&mem, &ghcb, 4 * MB, 2), SNP_PSC_VALIDATE);
	assert_false(snp_mem_is_validated(&mem, 4 * MB));
	assert_false(snp_sim.rmp[4 * MB >> 12].validated);
}

static void test_psc_with_out_of_range_header_is_refused(void **state)
{
	(void)state;
	boot_with_ghcb(SNP_SIM_HONEST);
	snp_sim.mode = SNP_SIM_HOST_PSC_BAD_HDR;
	assert_int_equal(snp_mem_make_private(&mem, &ghcb, 4 * MB, 2), SNP_PSC_BAD_RESPONSE);
	assert_false(snp_mem_is_validated(&mem, 4 * MB));
}

static void test_psc_with_edited_entries_is_refused(void **state)
{
	(void)state;
	boot_with_ghcb(SNP_SIM_HONEST);
	snp_sim.mode = SNP_SIM_HOST_PSC_EDIT;
	assert_int_equal(snp_mem_make_private(&mem, &ghcb, 4 * MB, 2), SNP_PSC_BAD_RESPONSE);
}

static void test_psc_on_4k_only_host_falls_back_to_4k_pvalidate(void **state)
{
	(void)state;
	boot_with_ghcb(SNP_SIM_HOST_4K_ONLY);
	assert_int_equal(snp_mem_make_private(&mem, &ghcb, 2 * MB, 512), SNP_PSC_OK);
	assert_int_equal(mem.size_fallbacks, 1);
	assert_int_equal(mem.pvalidate_2m, 0);
}

/* Encodings the structures' _Static_asserts do not cover (GHCB 2.3.1/2.3.2, 4.1.6; APM3 RMPADJUST). */
static void test_abi_bit_encodings_match_the_spec(void **state)
{
	(void)state;
	assert_int_equal(GHCB_FIELD_BIT(sw_exit_code), 0x390 / 8);
	assert_int_equal(GHCB_FIELD_BIT(rax), 0x1f8 / 8);
	assert_int_equal(GHCB_FIELD_BIT(sw_scratch), 0x3a8 / 8);
	assert_int_equal(SNP_PSC_ENTRY(0x12345, GHCB_PSC_OP_SHARED, true),
			 (0x12345ull << 12) | (2ull << 52) | (1ull << 56));
	assert_int_equal(SNP_PSC_ENTRY(0xfffffffffull, GHCB_PSC_OP_PRIVATE, false) & ~SNP_PSC_GFN_MASK,
			 1ull << 52);
	assert_int_equal(SNP_RMPADJUST_ATTRS(2, SNP_RMP_PERM_READ, true), 2 | (1u << 8) | (1u << 16));
	assert_int_equal(SNP_STATUS_FEATURE(2), 1ull << 4); /* ReflectVC is SEV_STATUS bit 4 */
	boot(SNP_SIM_HONEST);
	/* MSR-protocol requests as the host receives them: register GPA, PSC, Run VMPL. */
	assert_int_equal(snp_msr_psc(0x345000, GHCB_PSC_OP_PRIVATE), SNP_GHCB_OK);
	assert_true(snp_sim.rmp[0x345].assigned);
	assert_int_equal(snp_run_vmpl(0), SNP_GHCB_HV_ERROR); /* VMPL0 cannot be a target */
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_negotiate_accepts_protocol_2_and_required_features),
		T(test_negotiate_terminates_when_host_lacks_protocol_2),
		T(test_negotiate_terminates_without_multi_vmpl),
		T(test_ghcb_setup_shares_and_registers_the_page),
		T(test_ghcb_setup_refuses_wrong_gfn_echo),
		T(test_ghcb_setup_refuses_guest_page),
		T(test_ghcb_cpuid_call_returns_host_answer),
		T(test_ghcb_answer_without_valid_bits_is_refused),
		T(test_ghcb_undefined_result_is_refused),
		T(test_ghcb_host_error_is_reported),
		T(test_conversion_round_trip_private_shared_private),
		T(test_make_shared_leaks_no_private_byte),
		T(test_psc_splits_requests_over_253_entries),
		T(test_psc_that_lies_about_private_is_caught_by_pvalidate),
		T(test_psc_with_out_of_range_header_is_refused),
		T(test_psc_with_edited_entries_is_refused),
		T(test_psc_on_4k_only_host_falls_back_to_4k_pvalidate),
		T(test_abi_bit_encodings_match_the_spec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
