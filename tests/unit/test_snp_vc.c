/* Mantle's own #VC and #HV through the arch's exception routing: the snp probe takes vectors 29/28
 * (x86_set_vector_handler, modelled by tests/sim), and each test raises the exception the way the
 * CPU would — a struct x86_frame with the exit code as error code and RIP at the instruction — then
 * checks the registers and RIP the handler leaves for iretq, or the termination it asks for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boot/igvm_cpuid.h"
#include "tee/snp/snp_backend.h"
#include "tee/snp/snp_vc.h"
#include "tests/sim/snp_sim.h"

const char mantle_version[] = "0.1.0";

#define CPUID_GPA 0x21000ull

static const struct tee_backend *tee = &snp_tee_backend;
static jmp_buf term;

static const uint8_t cpuid_insn[] = { 0x0f, 0xa2 }, rdmsr_insn[] = { 0x0f, 0x32 },
		     wrmsr_insn[] = { 0x0f, 0x30 }, out_dx_al[] = { 0xee }, in16_imm[] = { 0x66, 0xe5, 0x71 };

static struct x86_frame frame(uint64_t code, const uint8_t *insn)
{
	return (struct x86_frame){ .vector = X86_VEC_VC, .error = code, .rip = (uint64_t)(uintptr_t)insn,
				   .cs = 0x08, .rflags = 2 };
}

static void raise_vc(struct x86_frame *f)
{
	assert_non_null(snp_sim.vector_fn[X86_VEC_VC]);
	snp_sim.vector_fn[X86_VEC_VC](f);
}

/* Raises #VC expecting a termination; returns Mantle's termination code. */
static uint32_t raise_vc_fatal(struct x86_frame *f)
{
	snp_sim.term_jmp = &term;
	if (setjmp(term) == 0) {
		raise_vc(f);
		fail_msg("the #VC handler returned instead of terminating");
	}
	assert_true(snp_sim.terminated);
	assert_int_equal(snp_sim.term_set, GHCB_TERM_SET_MANTLE);
	return snp_sim.term_code;
}

static void probe_only(uint32_t mode)
{
	snp_sim_init(mode);
	snp_sim_layout();
	assert_true(tee->probe());
}

static void boot(uint32_t mode, bool cpuid_page)
{
	probe_only(mode);
	if (cpuid_page) {
		struct snp_cpuid_page *cp = snp_sim_ptr(CPUID_GPA);
		cp->count = 1;
		cp->fn[0] = (struct snp_cpuid_fn){ .eax_in = 1, .eax = 0xa10f11, .ebx = 0x800, .ecx = 0x80000001u,
						   .edx = 0x178bfbff };
		snp_set_launch_pages(0, CPUID_GPA);
	} else {
		snp_set_launch_pages(0, 0);
	}
	snp_sim.term_jmp = &term;
	if (setjmp(term) != 0)
		fail_msg("boot terminated: %u/%u", snp_sim.term_set, snp_sim.term_code);
	assert_int_equal(tee->init(), 0);
	snp_sim.term_jmp = NULL;
}

static int teardown(void **state)
{
	(void)state;
	snp_set_launch_pages(0, 0);
	snp_sim_fini();
	return 0;
}

static void test_probe_takes_vc_and_hv_only_on_snp(void **state)
{
	(void)state;
	snp_sim_init(SNP_SIM_HONEST);
	snp_sim.cpu_has_sev = false;
	assert_false(tee->probe());
	assert_null(snp_sim.vector_fn[X86_VEC_VC]);
	assert_null(snp_sim.vector_fn[X86_VEC_HV]);
	snp_sim.cpu_has_sev = true;
	assert_true(tee->probe());
	assert_ptr_equal(snp_sim.vector_fn[X86_VEC_VC], snp_vc_exception);
	assert_ptr_equal(snp_sim.vector_fn[X86_VEC_HV], snp_hv_exception);
}

static void test_early_cpuid_vc_uses_the_msr_protocol_and_advances_rip(void **state)
{
	(void)state;
	probe_only(SNP_SIM_HONEST);
	struct x86_frame f = frame(SVM_EXIT_CPUID, cpuid_insn);
	f.rax = 0xffffffff00000005ull; /* upper half ignored by CPUID */
	f.rcx = 0;
	f.rsi = 0x5151;
	uint64_t psc_before = snp_sim.psc_calls;
	raise_vc(&f);
	/* The model's host answers leaf * 16 + register index. */
	assert_int_equal(f.rax, 5 * 16 + 0);
	assert_int_equal(f.rbx, 5 * 16 + 1);
	assert_int_equal(f.rcx, 5 * 16 + 2);
	assert_int_equal(f.rdx, 5 * 16 + 3);
	assert_int_equal(f.rip, (uint64_t)(uintptr_t)cpuid_insn + 2);
	assert_int_equal(f.rsi, 0x5151);
	assert_int_equal(snp_sim.psc_calls, psc_before);
	assert_int_equal(snp_sim.ghcb_gfn, 0); /* no GHCB page was needed */
}

static void test_early_msr_vc_without_ghcb_terminates(void **state)
{
	(void)state;
	probe_only(SNP_SIM_HONEST);
	struct x86_frame f = frame(SVM_EXIT_MSR, rdmsr_insn);
	f.rcx = 0x1b;
	assert_int_equal(raise_vc_fatal(&f), SNP_TERM_VC_HOST);
}

static void test_cpuid_vc_after_boot_goes_through_the_ghcb_page(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST, false);
	struct x86_frame f = frame(SVM_EXIT_CPUID, cpuid_insn);
	f.rax = 7;
	raise_vc(&f);
	assert_int_equal(f.rbx, 7 * 16 + 1);
	assert_int_equal(f.rip, (uint64_t)(uintptr_t)cpuid_insn + 2);
	/* The same request with a host that answers without the valid bits: the GHCB path was taken,
	 * and a bad answer ends Mantle rather than resuming with made-up registers. */
	snp_sim.mode = SNP_SIM_HOST_GHCB_BAD_VALID;
	f = frame(SVM_EXIT_CPUID, cpuid_insn);
	f.rax = 7;
	assert_int_equal(raise_vc_fatal(&f), SNP_TERM_VC_HOST);
}

static void test_cpuid_vc_is_answered_from_the_cpuid_page_without_asking_the_host(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST, true);
	/* Every host answer is now wrong: the CPUID page must be the only source. */
	snp_sim.mode = SNP_SIM_HOST_GHCB_BAD_RESULT;
	struct x86_frame f = frame(SVM_EXIT_CPUID, cpuid_insn);
	f.rax = 1;
	raise_vc(&f);
	assert_int_equal(f.rax, 0xa10f11);
	assert_int_equal(f.rdx, 0x178bfbff);
	/* A leaf the page does not list reads as zero. */
	f = frame(SVM_EXIT_CPUID, cpuid_insn);
	f.rax = 0x40000000;
	f.rbx = 0x1234;
	raise_vc(&f);
	assert_int_equal(f.rax | f.rbx | f.rcx | f.rdx, 0);
	assert_int_equal(f.rip, (uint64_t)(uintptr_t)cpuid_insn + 2);
}

static void test_msr_and_port_vcs_complete_through_the_ghcb(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST, false);
	struct x86_frame f = frame(SVM_EXIT_MSR, rdmsr_insn);
	f.rcx = 0x1b;
	f.rax = f.rdx = ~0ull;
	raise_vc(&f);
	assert_int_equal(f.rax, 0x11223344);
	assert_int_equal(f.rdx, 0x55667788);
	assert_int_equal(f.rip, (uint64_t)(uintptr_t)rdmsr_insn + 2);

	f = frame(SVM_EXIT_MSR, wrmsr_insn);
	f.rcx = 0x1b;
	raise_vc(&f);
	assert_int_equal(f.rip, (uint64_t)(uintptr_t)wrmsr_insn + 2);

	uint32_t before = snp_sim.io_out_count;
	f = frame(SVM_EXIT_IOIO, out_dx_al);
	f.rdx = 0x3f8;
	f.rax = 0x4d;
	raise_vc(&f);
	assert_int_equal(snp_sim.io_out_count, before + 1);
	assert_int_equal(snp_sim.io_out_log[before], (0x3f8ull << 32) | 0x4d);
	assert_int_equal(f.rip, (uint64_t)(uintptr_t)out_dx_al + 1);

	f = frame(SVM_EXIT_IOIO, in16_imm);
	f.rax = 0xabcdabcdabcdabcdull;
	raise_vc(&f);
	assert_int_equal(f.rax, 0xabcdabcdabcd5a5aull); /* 16-bit IN keeps the upper bits */
	assert_int_equal(f.rip, (uint64_t)(uintptr_t)in16_imm + 3);
}

static void test_intercepted_rdtsc_and_rdtscp_complete_through_the_ghcb(void **state)
{
	(void)state;
	static const uint8_t rdtsc[] = { 0x0f, 0x31 }, rdtscp[] = { 0x0f, 0x01, 0xf9 };
	boot(SNP_SIM_HONEST, false);
	struct x86_frame f = frame(SVM_EXIT_RDTSC, rdtsc);
	f.rax = f.rdx = ~0ull;
	raise_vc(&f);
	assert_int_equal(f.rax, 0x89abcdef);
	assert_int_equal(f.rdx, 0x01234567);
	assert_int_equal(f.rip, (uint64_t)(uintptr_t)rdtsc + 2);
	f = frame(SVM_EXIT_RDTSCP, rdtscp);
	raise_vc(&f);
	assert_int_equal(f.rcx, 3);
	assert_int_equal(f.rip, (uint64_t)(uintptr_t)rdtscp + 3);
	/* The RDTSC code with another instruction at RIP is not guessed at. */
	f = frame(SVM_EXIT_RDTSC, rdtscp);
	assert_int_equal(raise_vc_fatal(&f), SNP_TERM_VC_UNKNOWN);
}

static void test_msr_vc_on_a_different_opcode_terminates(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST, false);
	/* The exit code says MSR but RIP points at CPUID: never guess. */
	struct x86_frame f = frame(SVM_EXIT_MSR, cpuid_insn);
	assert_int_equal(raise_vc_fatal(&f), SNP_TERM_VC_UNKNOWN);
}

static void test_unknown_exit_codes_terminate(void **state)
{
	(void)state;
	static const uint64_t codes[] = { SVM_EXIT_WBINVD, SVM_EXIT_NPF, SVM_EXIT_HLT, SVM_EXIT_VMMCALL,
					  0x7fffffffull };
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		boot(SNP_SIM_HONEST, false);
		struct x86_frame f = frame(codes[i], cpuid_insn);
		assert_int_equal(raise_vc_fatal(&f), SNP_TERM_VC_UNKNOWN);
		snp_sim_fini();
	}
}

static void test_page_not_validated_vc_on_mantle_is_a_remap(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST, false);
	struct x86_frame f = frame(SVM_EXIT_PAGE_NOT_VALIDATED, cpuid_insn);
	assert_int_equal(raise_vc_fatal(&f), SNP_TERM_REMAP);
}

/* The host's GHCB service raises another #VC in Mantle, as a broken handler would. */
static struct x86_frame inner;
static void nested_vc(struct snp_ghcb *page)
{
	(void)page;
	snp_sim.tamper_ghcb = NULL;
	inner = frame(SVM_EXIT_CPUID, cpuid_insn);
	raise_vc(&inner);
}

static void test_nested_vc_is_fatal(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST, false);
	snp_sim.tamper_ghcb = nested_vc;
	struct x86_frame f = frame(SVM_EXIT_MSR, rdmsr_insn);
	f.rcx = 0x1b;
	assert_int_equal(raise_vc_fatal(&f), SNP_TERM_VC_NESTED);
	/* The outer frame was never completed. */
	assert_int_equal(f.rip, (uint64_t)(uintptr_t)rdmsr_insn);
}

static void test_vc_handler_is_reusable_after_a_handled_vc(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST, false);
	for (int i = 0; i < 3; i++) {
		struct x86_frame f = frame(SVM_EXIT_CPUID, cpuid_insn);
		f.rax = 0x80000000u + (uint32_t)i;
		raise_vc(&f);
		assert_int_equal(f.rip, (uint64_t)(uintptr_t)cpuid_insn + 2);
	}
}

static void test_hv_is_counted_and_leaves_the_frame_alone(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST, false);
	struct x86_frame f = { .vector = X86_VEC_HV, .rip = 0x1234, .rax = 9 };
	struct x86_frame copy = f;
	assert_non_null(snp_sim.vector_fn[X86_VEC_HV]);
	snp_sim.vector_fn[X86_VEC_HV](&f);
	snp_sim.vector_fn[X86_VEC_HV](&f);
	assert_int_equal(snp_hv_notifications(), 2);
	assert_memory_equal(&f, &copy, sizeof(f));
}

static void test_igvmgen_cpuid_template_passes_the_page_check(void **state)
{
	(void)state;
	static union { uint8_t raw[4096]; struct snp_cpuid_page p; } page;
	_Static_assert(sizeof(struct igvm_snp_cpuid_entry) == sizeof(struct snp_cpuid_fn), "same layout");
	igvm_snp_cpuid_template(page.raw);
	assert_int_equal(page.p.count, IGVM_SNP_CPUID_LEAVES);
	assert_true(snp_cpuid_page_check(&page.p));
	/* Every leaf Mantle's own code asks for is listed (the loader fills its values). */
	uint32_t r[4];
	assert_true(snp_cpuid_lookup(&page.p, 0x8000001f, 0, r));
	assert_true(snp_cpuid_lookup(&page.p, 0x80000000, 0, r));
	assert_true(snp_cpuid_lookup(&page.p, 1, 0, r));
	assert_true(snp_cpuid_lookup(&page.p, 7, 0, r));
	assert_true(snp_cpuid_lookup(&page.p, 0xd, 1, r));
}

static void test_cpuid_page_check_refuses_malformed_pages(void **state)
{
	(void)state;
	static struct snp_cpuid_page p;
	memset(&p, 0, sizeof(p));
	p.count = 2;
	p.fn[0] = (struct snp_cpuid_fn){ .eax_in = 7, .ecx_in = 1 };
	p.fn[1] = (struct snp_cpuid_fn){ .eax_in = 7, .ecx_in = 0 };
	assert_true(snp_cpuid_page_check(&p));
	p.count = SNP_CPUID_MAX + 1;                   /* more entries than the page holds */
	assert_false(snp_cpuid_page_check(&p));
	p.count = 2;
	p.fn[1].ecx_in = 1;                             /* the same input twice: which one is true? */
	assert_false(snp_cpuid_page_check(&p));
	p.fn[1] = (struct snp_cpuid_fn){ .eax_in = 1, .ecx_in = 3 }; /* a subleaf for leaf 1 */
	assert_false(snp_cpuid_page_check(&p));
	p.fn[1] = (struct snp_cpuid_fn){ .eax_in = 1, .reserved = 1 };
	assert_false(snp_cpuid_page_check(&p));
	p.fn[1].reserved = 0;
	p.reserved1 = 1;
	assert_false(snp_cpuid_page_check(&p));
}

static void test_boot_with_a_malformed_cpuid_page_terminates(void **state)
{
	(void)state;
	probe_only(SNP_SIM_HONEST);
	struct snp_cpuid_page *cp = snp_sim_ptr(CPUID_GPA);
	cp->count = 1000;
	snp_set_launch_pages(0, CPUID_GPA);
	snp_sim.term_jmp = &term;
	if (setjmp(term) == 0) {
		(void)tee->init();
		fail_msg("boot went on with a malformed CPUID page");
	}
	assert_int_equal(snp_sim.term_code, SNP_TERM_BOOT);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_probe_takes_vc_and_hv_only_on_snp),
		T(test_early_cpuid_vc_uses_the_msr_protocol_and_advances_rip),
		T(test_early_msr_vc_without_ghcb_terminates),
		T(test_cpuid_vc_after_boot_goes_through_the_ghcb_page),
		T(test_cpuid_vc_is_answered_from_the_cpuid_page_without_asking_the_host),
		T(test_msr_and_port_vcs_complete_through_the_ghcb),
		T(test_intercepted_rdtsc_and_rdtscp_complete_through_the_ghcb),
		T(test_msr_vc_on_a_different_opcode_terminates),
		T(test_unknown_exit_codes_terminate),
		T(test_page_not_validated_vc_on_mantle_is_a_remap),
		T(test_nested_vc_is_fatal),
		T(test_vc_handler_is_reusable_after_a_handled_vc),
		T(test_hv_is_counted_and_leaves_the_frame_alone),
		T(test_igvmgen_cpuid_template_passes_the_page_check),
		T(test_cpuid_page_check_refuses_malformed_pages),
		T(test_boot_with_a_malformed_cpuid_page_terminates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
