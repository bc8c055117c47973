/* Application processors under SNP: the guest's boot vCPU sends a start-up IPI (an x2APIC ICR write,
 * which ReflectVC brings to Mantle as an MSR exit); the test plays the core, which would turn it into
 * vp_create for the AP; the backend builds and protects the AP's VMSA at the guest's VMPL and
 * registers it with AP Creation "create"; the simulated host then runs it on vCPU 1, where it
 * executes its own program. AP destroy takes the VMSA attribute away so no host can run it again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/tee.h"
#include "core/x86/msr.h"
#include "tee/snp/snp_backend.h"
#include "tee/snp/snp_vcpu.h"
#include "tests/sim/snp_sim.h"

const char mantle_version[] = "0.1.0";

#define BSP_CODE 0x300000ull
#define AP_CODE 0x301000ull
#define AP_DATA 0x402000ull
#define X2APIC_ICR 0x830u
#define ICR_STARTUP (6u << 8)

static const struct tee_backend *tee = &snp_tee_backend;
static jmp_buf term;
static struct vp bsp, ap;

/* BSP: send SIPI (vector 0x08) to APIC ID 1, then halt. */
static const uint8_t bsp_program[] = {
	0xb9, 0x30, 0x08, 0x00, 0x00,             /* mov ecx, 0x830 (x2APIC ICR) */
	0xba, 0x01, 0x00, 0x00, 0x00,             /* mov edx, 1 (destination)    */
	0xb8, 0x08, 0x46, 0x00, 0x00,             /* mov eax, 0x4608 (SIPI, v 8) */
	0x0f, 0x30,                               /* wrmsr                       */
	0xf4,                                     /* hlt                         */
};

/* AP: report in through a port and memory, then halt. */
static const uint8_t ap_program[] = {
	0xb8, 0x55, 0x00, 0x00, 0x00,             /* mov eax, 0x55     */
	0xe6, 0xf5,                               /* out 0xf5, al      */
	0x89, 0x05, 0x00, 0x20, 0x40, 0x00,       /* mov [AP_DATA], eax */
	0xf4,                                     /* hlt               */
};

static void flat32_regs(struct vp_regs *r, uint64_t rip)
{
	memset(r, 0, sizeof(*r));
	r->rip = rip;
	r->rflags = 2;
	r->cr0 = 0x11;
	r->efer = EFER_SCE;
	for (int s = 0; s < VP_NR_SEGS; s++)
		r->seg[s] = (struct vp_segment){ .sel = 0x18, .attr = 0xc93, .limit = 0xffffffff };
	r->seg[VP_CS] = (struct vp_segment){ .sel = 0x10, .attr = 0xc9b, .limit = 0xffffffff };
	r->tr = (struct vp_segment){ .attr = 0x8b, .limit = 0xffff };
	r->ldtr = (struct vp_segment){ .attr = 0x82, .limit = 0xffff };
}

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
	memcpy(snp_sim_ptr(BSP_CODE), bsp_program, sizeof(bsp_program));
	memcpy(snp_sim_ptr(AP_CODE), ap_program, sizeof(ap_program));
	memset(&bsp, 0, sizeof(bsp));
	memset(&ap, 0, sizeof(ap));
	bsp.tee = ap.tee = tee;
	ap.id = 1;
	flat32_regs(&bsp.regs, BSP_CODE);
	assert_int_equal(tee->vp_create(&bsp), 0);
}

static int teardown(void **state)
{
	(void)state;
	snp_sim_fini();
	return 0;
}

/* Runs vCPU `cpu` (the host schedules Mantle there) until the next exit. */
static void run_on(uint32_t cpu, struct vp *v)
{
	snp_sim.cpu = cpu;
	tee->vp_run(v);
}

/* The BSP runs until it sends the SIPI; returns the SIPI's vector and destination. */
static void bsp_sends_sipi(uint8_t *vector, uint32_t *dest)
{
	run_on(0, &bsp);
	assert_int_equal(bsp.exit.kind, VP_EXIT_MSR);
	assert_true(bsp.exit.u.msr.write);
	assert_int_equal(bsp.exit.u.msr.index, X2APIC_ICR);
	uint32_t lo = (uint32_t)bsp.regs.gpr[VP_RAX];
	assert_int_equal(lo & (7u << 8), ICR_STARTUP);
	*vector = (uint8_t)lo;
	*dest = (uint32_t)bsp.regs.gpr[VP_RDX];
	bsp.regs.rip += bsp.exit.insn_len;
}

static void test_guest_starts_an_ap_which_runs_its_own_program(void **state)
{
	(void)state;
	uint8_t vector;
	uint32_t dest;

	boot(SNP_SIM_HONEST);
	bsp_sends_sipi(&vector, &dest);
	assert_int_equal(vector, 8);
	assert_int_equal(dest, 1);

	/* The core's part: an AP for APIC ID `dest` at the guest's start address (the model has no
	 * guest RAM below 1 MiB, so the test's core places the trampoline at AP_CODE). */
	ap.id = dest;
	flat32_regs(&ap.regs, AP_CODE);
	assert_int_equal(tee->vp_create(&ap), 0);
	const struct snp_vcpu *v = ap.tee_state;
	assert_int_equal(snp_sim.ap_creates, 2);
	assert_int_equal(snp_sim.vmsa_gpa[1], v->vmsa_gpa);
	assert_true(snp_sim.vmsa_runnable[1]);
	assert_true(snp_sim.rmp[v->vmsa_gpa >> 12].vmsa);
	assert_int_equal(snp_sim.rmp[v->vmsa_gpa >> 12].perms[SNP_GUEST_VMPL], SNP_RMP_PERM_READ);
	assert_int_not_equal(v->vmsa_gpa & (SNP_2M_SIZE - 1), 0);
	assert_int_equal(v->vmsa->vmpl, SNP_GUEST_VMPL);
	assert_true(v->sev_features & SNP_FEAT_REFLECT_VC);

	run_on(1, &ap);
	assert_int_equal(ap.exit.kind, VP_EXIT_IO);
	assert_int_equal(ap.exit.u.io.port, 0xf5);
	assert_int_equal((uint8_t)ap.regs.gpr[VP_RAX], 0x55);
	ap.regs.rip += ap.exit.insn_len;
	run_on(1, &ap);
	assert_int_equal(ap.exit.kind, VP_EXIT_HLT);
	uint32_t seen;
	memcpy(&seen, snp_sim_ptr(AP_DATA), 4);
	assert_int_equal(seen, 0x55);

	/* The BSP goes on independently on its own vCPU. */
	run_on(0, &bsp);
	assert_int_equal(bsp.exit.kind, VP_EXIT_HLT);
}

static void test_a_running_vcpu_cannot_be_created_twice(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	assert_int_equal(tee->vp_create(&bsp), -1);
	ap.id = 1;
	flat32_regs(&ap.regs, AP_CODE);
	assert_int_equal(tee->vp_create(&ap), 0);
	assert_int_equal(tee->vp_create(&ap), -1);
	ap.id = 9;
	assert_int_equal(tee->vp_create(&ap), -1);
}

static void test_destroyed_ap_is_never_run_again_and_can_be_restarted(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	flat32_regs(&ap.regs, AP_CODE);
	assert_int_equal(tee->vp_create(&ap), 0);
	uint64_t page = ((const struct snp_vcpu *)ap.tee_state)->vmsa_gpa;
	assert_int_equal(snp_backend_vp_destroy(&ap), 0);
	assert_int_equal(snp_sim.ap_destroys, 1);
	assert_int_equal(snp_sim.vmsa_gpa[1], 0);
	assert_false(snp_sim.rmp[page >> 12].vmsa);
	assert_int_equal(snp_sim.rmp[page >> 12].perms[SNP_GUEST_VMPL], 0);
	uint64_t runs = snp_sim.runs;
	run_on(1, &ap);
	assert_int_equal(ap.exit.kind, VP_EXIT_FAILED);
	assert_int_equal(snp_sim.runs, runs); /* Mantle did not even ask */
	/* SIPI again: the same page becomes the AP's VMSA once more and the AP runs. */
	flat32_regs(&ap.regs, AP_CODE);
	assert_int_equal(tee->vp_create(&ap), 0);
	assert_int_equal(((const struct snp_vcpu *)ap.tee_state)->vmsa_gpa, page);
	run_on(1, &ap);
	assert_int_equal(ap.exit.kind, VP_EXIT_IO);
}

static void test_host_that_keeps_a_destroyed_vmsa_cannot_run_it(void **state)
{
	(void)state;
	boot(SNP_SIM_HOST_AP_DESTROY_LIE);
	flat32_regs(&ap.regs, AP_CODE);
	assert_int_equal(tee->vp_create(&ap), 0);
	uint64_t page = ((const struct snp_vcpu *)ap.tee_state)->vmsa_gpa;
	assert_int_equal(snp_backend_vp_destroy(&ap), 0);
	assert_int_equal(snp_sim.vmsa_gpa[1], page); /* the host kept it */
	/* Even asked directly on vCPU 1, the hardware refuses a page without the VMSA attribute. */
	snp_sim.cpu = 1;
	((struct snp_vmsa *)snp_sim_ptr(page))->efer |= 1ull << 12;
	assert_false(snp_sim_guest_run(SNP_GUEST_VMPL));
	/* And the wiped page holds no guest register state. */
	const uint8_t *p = snp_sim_ptr(page);
	for (uint32_t i = 0; i < 4096; i++)
		if (i < 0xd0 || i >= 0xd8) /* EFER, set just above */
			assert_int_equal(p[i], 0);
}

static void test_ap_creation_refused_by_the_host_fails_cleanly(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	snp_sim.mode = SNP_SIM_HOST_GHCB_BAD_RESULT;
	flat32_regs(&ap.regs, AP_CODE);
	assert_int_equal(tee->vp_create(&ap), -1);
	assert_null(ap.tee_state);
	/* The host registered the page but answered garbage: the page is no VMSA any more. */
	uint64_t page = snp_sim.vmsa_gpa[1];
	assert_int_not_equal(page, 0);
	assert_false(snp_sim.rmp[page >> 12].vmsa);
	snp_sim.cpu = 1;
	assert_false(snp_sim_guest_run(SNP_GUEST_VMPL));
	/* A later attempt with a working host succeeds on the same slot. */
	snp_sim.mode = SNP_SIM_HONEST;
	assert_int_equal(tee->vp_create(&ap), 0);
	run_on(1, &ap);
	assert_int_equal(ap.exit.kind, VP_EXIT_IO);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_guest_starts_an_ap_which_runs_its_own_program),
		T(test_a_running_vcpu_cannot_be_created_twice),
		T(test_destroyed_ap_is_never_run_again_and_can_be_restarted),
		T(test_host_that_keeps_a_destroyed_vmsa_cannot_run_it),
		T(test_ap_creation_refused_by_the_host_fails_cleanly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
