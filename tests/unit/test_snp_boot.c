/* The SNP launch path from the arch's first instruction to "guest entered", against the simulated
 * platform:
 *   - before the probe: the arch's early hook (x86_early_platform) takes #VC before Mantle's first
 *     CPUID, which then goes through the GHCB MSR protocol (the model raises #VC for every CPUID
 *     Mantle executes); port I/O is deferred until the GHCB page is registered, and a port access
 *     before that terminates;
 *   - vTOM: shared pages are used through their alias above vTOM (the model keeps a separate shared
 *     view), the guest's VMSA carries VIRTUAL_TOM, a launch without vTOM is refused;
 *   - Mantle's memory outside the launch-loaded pages: the pool is validated before its first use
 *     (2 MiB PVALIDATEs), the spare pages at init, each page exactly once; touching an unvalidated
 *     page is caught (#VC 0x404 in the model). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86_64/hw.h"
#include "arch/x86_64/platform.h"
#include "core/tee.h"
#include "tee/snp/snp_backend.h"
#include "tee/snp/snp_vc.h"
#include "tee/snp/snp_vcpu.h"
#include "tests/sim/snp_sim.h"

const char mantle_version[] = "0.1.0";

#define SECRETS_GPA 0x20000ull
#define GUEST_PAGE 0x600000ull

static const struct tee_backend *tee = &snp_tee_backend;
static jmp_buf term;
static const uint8_t out_dx_al[] = { 0xee };

static int setup(void **state)
{
	(void)state;
	snp_backend_early_reset();
	snp_set_launch_pages(0, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	snp_backend_early_reset();
	snp_set_launch_pages(0, 0);
	snp_sim_fini();
	return 0;
}

static struct x86_frame vc_frame(uint64_t code, const uint8_t *insn)
{
	return (struct x86_frame){ .vector = X86_VEC_VC, .error = code, .rip = (uint64_t)(uintptr_t)insn,
				   .cs = 0x08, .rflags = 2 };
}

/* Runs fn expecting a termination request; returns Mantle's code. */
static uint32_t expect_termination(void (*fn)(void *), void *arg)
{
	snp_sim.term_jmp = &term;
	if (setjmp(term) == 0) {
		fn(arg);
		fail_msg("no termination");
	}
	snp_sim.term_jmp = NULL;
	assert_true(snp_sim.terminated);
	assert_int_equal(snp_sim.term_set, GHCB_TERM_SET_MANTLE);
	return snp_sim.term_code;
}

/* What x86_early_init and core_main do on an IGVM launch before the backend is selected. */
static void early_boot(uint32_t mode, bool accept_pool)
{
	snp_sim_init(mode);
	snp_sim_layout_igvm();
	assert_int_equal(x86_early_platform(), X86_EARLY_PORT_IO_DEFERRED);
	if (accept_pool)
		assert_int_equal(tee_early_accept(SNP_SIM_IGVM_POOL, SNP_SIM_IGVM_POOL_END - SNP_SIM_IGVM_POOL),
				 TEE_OK);
	struct snp_secrets *sec = snp_sim_ptr(SECRETS_GPA);
	memcpy(sec->vmpck, snp_sim.vmpck, sizeof(sec->vmpck));
	snp_set_launch_pages(SECRETS_GPA, 0);
	assert_true(tee->probe());
}

static void run_init(void *arg)
{
	(void)arg;
	(void)tee->init();
}

static void full_boot(uint32_t mode)
{
	early_boot(mode, true);
	snp_sim.term_jmp = &term;
	if (setjmp(term) != 0)
		fail_msg("boot terminated: %u/%u", snp_sim.term_set, snp_sim.term_code);
	assert_int_equal(tee->init(), 0);
	snp_sim.term_jmp = NULL;
}

/* ------------------------------------------------------------------------------------------------ */
/* 1. Before the probe. */

static void test_early_hook_takes_vc_before_the_first_cpuid(void **state)
{
	(void)state;
	snp_sim_init(SNP_SIM_HONEST);
	assert_int_equal(x86_early_platform(), X86_EARLY_PORT_IO_DEFERRED);
	/* The hook's own CPUIDs (0x8000_0000, 0x8000_001F) raised #VC and were completed. */
	assert_true(snp_sim.cpuid_vcs >= 2);
	assert_int_equal(snp_sim.unhandled_vcs, 0);
	assert_ptr_equal(snp_sim.vector_fn[X86_VEC_VC], snp_vc_exception);
	assert_ptr_equal(snp_sim.vector_fn[X86_VEC_HV], snp_hv_exception);
	/* Each through the MSR protocol, one register per exchange: no GHCB page exists yet. */
	assert_true(snp_sim.msr_cpuid_calls >= 8);
	assert_int_equal(snp_sim.ghcb_gfn, 0);
	assert_int_equal(snp_sim.msr_gp, 0);
	/* The arch's next CPUID (enable_vector_access: leaf 1) is completed the same way. */
	uint64_t before = snp_sim.msr_cpuid_calls;
	struct cpuid_regs r = hw_cpuid(1, 0);
	assert_int_equal(snp_sim.msr_cpuid_calls, before + 4);
	assert_int_equal(r.eax, 1 * 16 + 0); /* the model host's answer for leaf 1 */
	assert_int_equal(r.edx, 1 * 16 + 3);
	assert_int_equal(snp_sim.unhandled_vcs, 0);
	/* The backend's probe reuses what the hook found. */
	before = snp_sim.cpuid_vcs;
	assert_true(tee->probe());
	assert_int_equal(snp_sim.cpuid_vcs, before);
}

static void test_early_hook_without_sev_takes_nothing(void **state)
{
	(void)state;
	snp_sim_init(SNP_SIM_HONEST);
	snp_sim.cpu_has_sev = false;
	assert_int_equal(x86_early_platform(), 0);
	assert_null(snp_sim.vector_fn[X86_VEC_VC]);
	assert_null(snp_sim.vector_fn[X86_VEC_HV]);
	assert_int_equal(snp_sim.msr_gp, 0); /* SEV_STATUS never read: it would #GP */
	assert_int_equal(tee_early_accept(SNP_SIM_IGVM_POOL, SNP_2M_SIZE), TEE_OK);
	assert_int_equal(snp_sim.validations[SNP_SIM_IGVM_POOL >> 12], 0); /* nothing registered */
	assert_false(tee->probe());
}

static void out_before_ghcb(void *arg)
{
	struct x86_frame *f = arg;
	snp_sim.vector_fn[X86_VEC_VC](f);
}

static void test_port_write_before_the_ghcb_terminates_without_reaching_the_host(void **state)
{
	(void)state;
	early_boot(SNP_SIM_HONEST, true);
	struct x86_frame f = vc_frame(SVM_EXIT_IOIO, out_dx_al);
	f.rdx = 0x3f8;
	f.rax = 'M';
	assert_int_equal(expect_termination(out_before_ghcb, &f), SNP_TERM_VC_HOST);
	assert_int_equal(snp_sim.io_out_count, 0);
	assert_int_equal(snp_sim.port_io_ready_calls, 0);
}

static void test_port_io_starts_once_the_ghcb_is_registered(void **state)
{
	(void)state;
	full_boot(SNP_SIM_HONEST);
	assert_int_equal(snp_sim.port_io_ready_calls, 1);
	assert_int_not_equal(snp_sim.port_io_ready_ghcb_gfn, 0);
	assert_int_equal(snp_sim.port_io_ready_ghcb_gfn, snp_sim.ghcb_gfn);
	struct x86_frame f = vc_frame(SVM_EXIT_IOIO, out_dx_al);
	f.rdx = 0x3f8;
	f.rax = 'M';
	snp_sim.vector_fn[X86_VEC_VC](&f);
	assert_int_equal(f.rip, (uint64_t)(uintptr_t)out_dx_al + 1);
	assert_int_equal(snp_sim.io_out_count, 1);
	assert_int_equal(snp_sim.io_out_log[0], (0x3f8ull << 32) | 'M');
}

/* ------------------------------------------------------------------------------------------------ */
/* 2. vTOM. */

static void test_shared_pages_are_used_through_the_vtom_alias(void **state)
{
	(void)state;
	full_boot(SNP_SIM_HONEST);
	uint64_t ghcb = snp_sim.ghcb_gfn << 12;
	/* GHCB, two message pages, eight certificate pages, the doorbell: all mapped above vTOM. */
	assert_int_equal(snp_sim.alias_maps, 1 + 2 + SNP_CERT_MAX_PAGES + 1);
	/* The host answered through the shared view; nothing of the exchange is in the private view. */
	const struct snp_ghcb *shared = snp_sim_shared_ptr(ghcb), *priv = snp_sim_ptr(ghcb);
	assert_int_equal(shared->protocol_version, 2);
	assert_int_equal(priv->protocol_version, 0);
	/* A guest request (through the shared message pages) works end to end. */
	uint8_t data[64], rep[TEE_ATTEST_MAX];
	uint32_t len = sizeof(rep);
	memset(data, 0x5a, sizeof(data));
	assert_int_equal(tee->attest(data, rep, &len), TEE_OK);
	assert_memory_equal(((struct snp_report *)rep)->report_data, data, sizeof(data));
}

static void test_guest_vmsa_carries_virtual_tom(void **state)
{
	(void)state;
	static struct vp vp;
	full_boot(SNP_SIM_HONEST);
	memset(&vp, 0, sizeof(vp));
	vp.regs.rip = GUEST_PAGE;
	vp.regs.rflags = 2;
	vp.regs.cr0 = 0x11;
	vp.regs.efer = 1; /* SCE */
	((uint8_t *)snp_sim_ptr(GUEST_PAGE))[0] = 0xf4; /* hlt */
	assert_int_equal(tee->vp_create(&vp), 0);
	const struct snp_vcpu *v = vp.tee_state;
	assert_true(v->vmsa->sev_features & SNP_FEAT_VTOM);
	assert_int_equal(v->vmsa->virtual_tom, SNP_VTOM);
	/* The model refuses a vTOM VMSA whose boundary lies inside guest RAM: this one runs. */
	tee->vp_run(&vp);
	assert_int_equal(vp.exit.kind, VP_EXIT_HLT);
}

static void test_launch_without_vtom_is_refused(void **state)
{
	(void)state;
	early_boot(SNP_SIM_HONEST, true);
	snp_sim.sev_status &= ~SNP_STATUS_FEATURE(1);
	/* The hook read SEV_STATUS already; the backend's copy must be the new one. */
	snp_backend_early_reset();
	assert_true(tee->probe());
	assert_int_equal(expect_termination(run_init, NULL), SNP_TERM_BOOT);
	assert_int_equal(snp_sim.ghcb_gfn, 0);
}

/* ------------------------------------------------------------------------------------------------ */
/* 3. Mantle's memory outside the launch-loaded pages. */

static bool mantle_page(uint64_t gpa)
{
	return gpa < SNP_SIM_IGVM_IMAGE_END || (gpa >= SNP_SIM_IGVM_POOL && gpa < SNP_SIM_IGVM_POOL_END);
}

static void test_every_mantle_page_is_validated_exactly_once(void **state)
{
	(void)state;
	early_boot(SNP_SIM_HONEST, true);
	/* The pool: validated before the core's first write, with one 2 MiB PVALIDATE. */
	assert_true(snp_sim.rmp[SNP_SIM_IGVM_POOL >> 12].validated);
	assert_true(snp_sim.rmp[SNP_SIM_IGVM_POOL >> 12].size_2m);
	assert_false(snp_sim.rmp[SNP_SIM_IGVM_SPARE >> 12].validated);
	snp_sim.term_jmp = &term;
	if (setjmp(term) != 0)
		fail_msg("boot terminated: %u/%u", snp_sim.term_set, snp_sim.term_code);
	assert_int_equal(tee->init(), 0);
	snp_sim.term_jmp = NULL;
	assert_int_equal(snp_sim.unvalidated_touches, 0);
	const struct snp_mem *m = snp_backend_mem();
	uint32_t shared = 0;
	for (uint64_t gpa = 0; gpa < SNP_SIM_IGVM_POOL_END; gpa += SNP_PAGE_SIZE) {
		if (!mantle_page(gpa))
			continue;
		assert_int_equal(snp_sim.validations[gpa >> 12], 1);
		assert_true(snp_mem_is_owned(m, gpa));
		const struct snp_sim_rmp *e = &snp_sim.rmp[gpa >> 12];
		if (!e->assigned) { /* made shared by Mantle (GHCB, messages, certificates, doorbell) */
			assert_false(snp_mem_is_validated(m, gpa));
			shared++;
			continue;
		}
		assert_true(e->validated);
		assert_true(snp_mem_is_validated(m, gpa));
		assert_int_equal(e->perms[SNP_GUEST_VMPL], 0);
	}
	assert_int_equal(shared, 1 + 2 + SNP_CERT_MAX_PAGES + 1);
	/* No page can be validated a second time. */
	assert_int_equal(snp_mem_validate(snp_backend_mem(), SNP_SIM_IGVM_SPARE, 1), SNP_MEM_DOUBLE);
}

static void test_touching_the_pool_before_validation_is_caught(void **state)
{
	(void)state;
	early_boot(SNP_SIM_HONEST, false);
	assert_int_equal(expect_termination(run_init, NULL), SNP_TERM_REMAP);
	assert_int_equal(snp_sim.unvalidated_touches, 1);
	assert_int_equal(snp_sim.rmp[GUEST_PAGE >> 12].perms[SNP_GUEST_VMPL], 0);
}

static void accept_pool(void *arg)
{
	(void)arg;
	(void)tee_early_accept(SNP_SIM_IGVM_POOL, SNP_SIM_IGVM_POOL_END - SNP_SIM_IGVM_POOL);
}

static void test_early_accept_refuses_a_pool_the_rmp_already_had_validated(void **state)
{
	(void)state;
	snp_sim_init(SNP_SIM_HONEST);
	snp_sim_layout_igvm();
	/* The host swaps in pages validated earlier: PVALIDATE reports no change (CF = 1). */
	snp_sim_launch_validate(SNP_SIM_IGVM_POOL + SNP_2M_SIZE - SNP_PAGE_SIZE, 1);
	snp_sim_host_assign(SNP_SIM_IGVM_POOL, SNP_PAGES_PER_2M - 1, true, false);
	assert_int_equal(x86_early_platform(), X86_EARLY_PORT_IO_DEFERRED);
	assert_int_equal(expect_termination(accept_pool, NULL), SNP_TERM_BOOT);
	/* Rolled back: none of the pool stays validated by Mantle. */
	assert_false(snp_sim.rmp[SNP_SIM_IGVM_POOL >> 12].validated);
}

static void test_early_accept_outside_mantle_memory_is_refused_at_init(void **state)
{
	(void)state;
	early_boot(SNP_SIM_HONEST, true);
	snp_sim_host_assign(GUEST_PAGE, 1, true, false);
	assert_int_equal(tee_early_accept(GUEST_PAGE, SNP_PAGE_SIZE), TEE_OK);
	assert_int_equal(expect_termination(run_init, NULL), SNP_TERM_BOOT);
}

static void test_pool_on_a_4k_only_host_falls_back_to_4k(void **state)
{
	(void)state;
	snp_sim_init(SNP_SIM_HONEST);
	snp_sim_layout_igvm();
	snp_sim_host_assign(SNP_SIM_IGVM_POOL, (SNP_SIM_IGVM_POOL_END - SNP_SIM_IGVM_POOL) >> 12, true, false);
	assert_int_equal(x86_early_platform(), X86_EARLY_PORT_IO_DEFERRED);
	accept_pool(NULL);
	for (uint64_t gpa = SNP_SIM_IGVM_POOL; gpa < SNP_SIM_IGVM_POOL_END; gpa += SNP_PAGE_SIZE) {
		assert_true(snp_sim.rmp[gpa >> 12].validated);
		assert_int_equal(snp_sim.validations[gpa >> 12], 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_early_hook_takes_vc_before_the_first_cpuid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_early_hook_without_sev_takes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_write_before_the_ghcb_terminates_without_reaching_the_host,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_io_starts_once_the_ghcb_is_registered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_pages_are_used_through_the_vtom_alias, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_vmsa_carries_virtual_tom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_launch_without_vtom_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_mantle_page_is_validated_exactly_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_touching_the_pool_before_validation_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(test_early_accept_refuses_a_pool_the_rmp_already_had_validated, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_early_accept_outside_mantle_memory_is_refused_at_init, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pool_on_a_4k_only_host_falls_back_to_4k, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
