/* The whole snp backend against the simulated platform: probe, boot to "guest entered", an
 * unmodified guest whose CPUID/IO/MSR/MMIO/HLT come back to Mantle as reflected #VC exits and get
 * the core's answers, event injection, VMSA protection, AP creation, and the misbehaving-host cases
 * that must end in a refusal or a termination that leaks nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/x86/cpuid.h"
#include "core/x86/msr.h"
#include "tee/snp/snp_backend.h"
#include "tee/snp/snp_vc.h"
#include "tee/snp/snp_vcpu.h"
#include "tests/sim/snp_sim.h"

const char mantle_version[] = "0.1.0";

#define CODE 0x300000ull
#define DATA 0x400000ull
#define MMIO_GPA 0xfe000000ull
#define SECRETS_GPA 0x20000ull
#define CPUID_GPA 0x21000ull

static const struct tee_backend *tee = &snp_tee_backend;
static jmp_buf term;
static struct vp vp;
static uint8_t out_log[16];
static uint32_t out_count;

/* The guest program (32-bit flat protected mode). */
static const uint8_t program[] = {
	0xb8, 0x00, 0x00, 0x00, 0x40,             /* mov eax, 0x40000000 */
	0x0f, 0xa2,                               /* cpuid                */
	0x89, 0x05, 0x00, 0x00, 0x40, 0x00,       /* mov [DATA], eax      */
	0xb8, 0x41, 0x00, 0x00, 0x00,             /* mov eax, 'A'         */
	0xe6, 0xe9,                               /* out 0xe9, al         */
	0xe4, 0x71,                               /* in al, 0x71          */
	0x89, 0x05, 0x04, 0x00, 0x40, 0x00,       /* mov [DATA+4], eax    */
	0x8b, 0x05, 0x00, 0x00, 0x00, 0xfe,       /* mov eax, [MMIO_GPA]  */
	0x89, 0x05, 0x08, 0x00, 0x40, 0x00,       /* mov [DATA+8], eax    */
	0xb9, 0x80, 0x00, 0x00, 0xc0,             /* mov ecx, EFER        */
	0x0f, 0x32,                               /* rdmsr                */
	0x89, 0x05, 0x0c, 0x00, 0x40, 0x00,       /* mov [DATA+12], eax   */
	0xf4,                                     /* hlt                  */
	0xb8, 0x07, 0x00, 0x00, 0x00,             /* mov eax, 7           */
	0xe6, 0xf4,                               /* out 0xf4, al: exit   */
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

/* Launch pages Mantle finds in its memory: the secrets page and a CPUID page. */
static void put_launch_pages(void)
{
	struct snp_secrets *sec = snp_sim_ptr(SECRETS_GPA);
	struct snp_cpuid_page *cp = snp_sim_ptr(CPUID_GPA);

	memcpy(sec->vmpck, snp_sim.vmpck, sizeof(sec->vmpck));
	cp->count = 2;
	cp->fn[0] = (struct snp_cpuid_fn){ .eax_in = 0, .eax = 0x10, .ebx = 0x68747541, .ecx = 0x444d4163,
					   .edx = 0x69746e65 };
	cp->fn[1] = (struct snp_cpuid_fn){ .eax_in = 1, .eax = 0xa10f11, .ecx = 0x80000000u | 1, .edx = 1 };
	snp_set_launch_pages(SECRETS_GPA, CPUID_GPA);
}

static void boot(uint32_t mode)
{
	snp_sim_init(mode);
	snp_sim.term_jmp = &term;
	snp_sim_layout();
	put_launch_pages();
	assert_true(tee->probe());
	assert_int_equal(tee->init(), 0);
	memcpy(snp_sim_ptr(CODE), program, sizeof(program));
	memset(&vp, 0, sizeof(vp));
	vp.tee = tee;
	flat32_regs(&vp.regs, CODE);
	assert_int_equal(tee->vp_create(&vp), 0);
	out_count = 0;
}

static int teardown(void **state)
{
	(void)state;
	snp_sim_fini();
	return 0;
}

static void advance(struct vp *v)
{
	v->regs.rip += v->exit.insn_len;
}

/* One exit handled the way core/x86/vp.c would, with this test's devices. */
static void handle(struct vp *v)
{
	struct vp_exit *e = &v->exit;

	switch (e->kind) {
	case VP_EXIT_CPUID: {
		struct cpuid_result r = cpuid_guest(v, e->u.cpuid.leaf, e->u.cpuid.subleaf);
		v->regs.gpr[VP_RAX] = r.eax, v->regs.gpr[VP_RBX] = r.ebx;
		v->regs.gpr[VP_RCX] = r.ecx, v->regs.gpr[VP_RDX] = r.edx;
		advance(v);
		break;
	}
	case VP_EXIT_MSR: {
		uint64_t val = 0;
		assert_false(e->u.msr.write);
		assert_int_equal(msr_guest_read(v, e->u.msr.index, &val), 0);
		v->regs.gpr[VP_RAX] = (uint32_t)val, v->regs.gpr[VP_RDX] = val >> 32;
		advance(v);
		break;
	}
	case VP_EXIT_IO:
		if (e->u.io.in) {
			assert_int_equal(e->u.io.port, 0x71);
			v->regs.gpr[VP_RAX] = (v->regs.gpr[VP_RAX] & ~0xffull) | 0x42;
		} else if (e->u.io.port == 0xf4) {
			v->stop = true;
			v->stop_status = (uint8_t)v->regs.gpr[VP_RAX];
		} else if (out_count < sizeof(out_log)) {
			out_log[out_count++] = (uint8_t)v->regs.gpr[VP_RAX];
		}
		advance(v);
		break;
	case VP_EXIT_MMIO:
		/* The core would run x86emu here; the test knows the instruction: mov eax, [disp32]. */
		assert_int_equal(e->u.mmio.gpa, MMIO_GPA);
		assert_false(e->u.mmio.write);
		v->regs.gpr[VP_RAX] = 0xcafef00d;
		v->regs.rip += 6;
		break;
	case VP_EXIT_HLT:
		advance(v);
		break;
	default:
		v->stop = true;
		v->stop_status = 0xff;
		break;
	}
}

static void run(struct vp *v, uint32_t max_exits)
{
	for (uint32_t i = 0; i < max_exits && !v->stop; i++) {
		tee->vp_run(v);
		v->exits[v->exit.kind]++;
		handle(v);
	}
}

static uint32_t rd32(uint64_t gpa)
{
	uint32_t x;

	memcpy(&x, snp_sim_ptr(gpa), 4);
	return x;
}

static void test_probe_is_false_without_sev_and_never_reads_sev_status(void **state)
{
	(void)state;
	snp_sim_init(SNP_SIM_HONEST);
	snp_sim.cpu_has_sev = false;
	assert_false(tee->probe());
	assert_int_equal(snp_sim.msr_gp, 0);
	snp_sim.cpu_has_sev = true;
	snp_sim.sev_status = SNP_STATUS_SEV | SNP_STATUS_SEV_ES; /* SEV-ES without SNP */
	assert_false(tee->probe());
	assert_int_equal(tee->priority > 0, 1);
}

static void test_boot_validates_and_grants_guest_ram_only(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	const struct snp_mem *m = snp_backend_mem();
	for (uint64_t p = 0x200; p < SNP_SIM_PAGES; p++) {
		assert_true(snp_sim.rmp[p].validated);
		assert_int_equal(snp_sim.rmp[p].perms[SNP_GUEST_VMPL], SNP_RMP_PERM_ALL);
	}
	for (uint64_t p = 0; p < 0x200; p++) {
		assert_true(snp_mem_is_owned(m, p << 12));
		if (snp_sim.rmp[p].vmsa)
			assert_int_equal(snp_sim.rmp[p].perms[SNP_GUEST_VMPL], SNP_RMP_PERM_READ);
		else
			assert_int_equal(snp_sim.rmp[p].perms[SNP_GUEST_VMPL], 0);
	}
	/* Guest RAM was taken in 2 MiB PVALIDATEs: 7 blocks from 2 MiB to 16 MiB. */
	assert_int_equal(m->pvalidate_2m, 7);
}

static void test_vmsa_is_protected_and_registered_with_reflect_vc(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	struct snp_vcpu *v = vp.tee_state;
	assert_int_equal(snp_sim.vmsa_gpa[0], v->vmsa_gpa);
	assert_true(snp_sim.rmp[v->vmsa_gpa >> 12].vmsa);
	assert_int_not_equal(v->vmsa_gpa & (SNP_2M_SIZE - 1), 0);
	uint64_t f = snp_sim.vmsa_features[0];
	assert_true(f & SNP_FEAT_SNP_ACTIVE);
	assert_true(f & SNP_FEAT_REFLECT_VC);
	assert_true(f & SNP_FEAT_ALTERNATE_INJ);
	assert_false(f & (SNP_FEAT_RESTRICTED_INJ | SNP_FEAT_DEBUG_SWAP));
	assert_int_equal(v->vmsa->vmpl, SNP_GUEST_VMPL);
	assert_int_equal(v->vmsa->sev_features, f);
}

static void test_guest_cpuid_io_mmio_msr_hlt_round_trip_through_reflected_vc(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	run(&vp, 32);
	assert_true(vp.stop);
	assert_int_equal(vp.stop_status, 7);
	assert_int_equal(rd32(DATA), CPUID_MANTLE_MAX);     /* the core's CPUID policy answered */
	assert_int_equal(out_count, 1);
	assert_int_equal(out_log[0], 'A');
	assert_int_equal(rd32(DATA + 4), 0x42);             /* IN merged into AL */
	assert_int_equal(rd32(DATA + 8), 0xcafef00d);       /* MMIO read completed */
	assert_int_equal(rd32(DATA + 12), EFER_SCE);        /* EFER without SVME */
	assert_int_equal(vp.exits[VP_EXIT_CPUID], 1);
	assert_int_equal(vp.exits[VP_EXIT_IO], 3);
	assert_int_equal(vp.exits[VP_EXIT_MMIO], 1);
	assert_int_equal(vp.exits[VP_EXIT_MSR], 1);
	assert_int_equal(vp.exits[VP_EXIT_HLT], 1);
	/* The VMSA is not runnable while Mantle holds it. */
	assert_false(((struct snp_vcpu *)vp.tee_state)->vmsa->efer & EFER_SVME);
}

static void test_injected_event_reaches_guest_through_vmsa_eventinj(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	struct vp_event ev = { .type = VP_EVENT_EXCEPTION, .vector = 13, .has_error = true, .error = 0 };
	tee->vp_inject(&vp, &ev);
	tee->vp_run(&vp);
	assert_int_equal(snp_sim.guest_event_count, 1);
	assert_int_equal(snp_sim.guest_events[0], 13 | SVM_EVTINJ_TYPE_EXCEPTION | SVM_EVTINJ_EV |
							  SVM_EVTINJ_VALID);
	tee->vp_run(&vp);
	assert_int_equal(snp_sim.guest_event_count, 1); /* delivered once */
}

static void test_host_cannot_inject_into_the_guest(void **state)
{
	(void)state;
	boot(SNP_SIM_HOST_INJECT);
	tee->vp_run(&vp);
	assert_int_equal(snp_sim.guest_event_count, 0);
	assert_true(snp_sim.inject_blocked > 0);
}

static void test_doorbell_interrupt_is_forwarded_to_the_guest(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	vp.regs.rflags |= 1u << 9;
	assert_true(snp_sim_host_doorbell(0x41, 0));
	tee->vp_run(&vp);
	assert_int_equal(snp_sim.guest_event_count, 1);
	assert_int_equal(snp_sim.guest_events[0], 0x41 | SVM_EVTINJ_TYPE_INTR | SVM_EVTINJ_VALID);
	assert_int_equal(*(uint8_t *)snp_sim_shared_ptr(snp_sim.doorbell_gpa), 0); /* taken exactly once */
	tee->vp_run(&vp);
	assert_int_equal(snp_sim.guest_event_count, 1);
}

static void test_doorbell_interrupt_is_posted_until_the_guest_enables_interrupts(void **state)
{
	(void)state;
	static const uint8_t prog[] = { 0xb8, 1, 0, 0, 0, /* mov eax, 1 */ 0xfb /* sti */, 0xf4 /* hlt */ };
	boot(SNP_SIM_HONEST);
	memcpy(snp_sim_ptr(CODE), prog, sizeof(prog));
	vp.regs.rflags &= ~(1ull << 9);
	assert_true(snp_sim_host_doorbell(0x50, 0));
	tee->vp_run(&vp);
	/* Delivered by the CPU at STI, inside the same run, with no extra exit. */
	assert_int_equal(vp.exit.kind, VP_EXIT_HLT);
	assert_int_equal(snp_sim.guest_event_count, 1);
	assert_int_equal(snp_sim.guest_events[0], 0x50 | SVM_EVTINJ_TYPE_INTR | SVM_EVTINJ_VALID);
	assert_false(((struct snp_vcpu *)vp.tee_state)->vmsa->vintr_ctrl & SNP_VINTR_V_IRQ);
}

static void test_doorbell_nmi_is_forwarded(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	assert_true(snp_sim_host_doorbell(0, 1u << 0));
	tee->vp_run(&vp);
	assert_int_equal(snp_sim.guest_event_count, 1);
	assert_int_equal(snp_sim.guest_events[0], 2 | SVM_EVTINJ_TYPE_NMI | SVM_EVTINJ_VALID);
}

static void test_doorbell_exception_vectors_and_mc_are_refused(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	vp.regs.rflags |= 1u << 9;
	assert_true(snp_sim_host_doorbell(14, 0)); /* a "#PF" from the host */
	tee->vp_run(&vp);
	assert_true(snp_sim_host_doorbell(0, 1u << 1)); /* #MC */
	tee->vp_run(&vp);
	assert_int_equal(snp_sim.guest_event_count, 0);
	assert_int_equal(snp_backend_doorbell_refused(), 2);
}

static void test_guest_cannot_write_its_vmsa_or_read_mantle_memory(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	uint64_t vmsa = ((struct snp_vcpu *)vp.tee_state)->vmsa_gpa;
	uint8_t prog[] = { 0x89, 0x05, 0, 0, 0, 0 };
	memcpy(prog + 2, &vmsa, 4);
	memcpy(snp_sim_ptr(CODE), prog, sizeof(prog));
	tee->vp_run(&vp);
	assert_int_equal(vp.exit.kind, VP_EXIT_SHUTDOWN);

	uint8_t rd[] = { 0x8b, 0x05, 0x00, 0x00, 0x02, 0x00 }; /* mov eax, [SECRETS_GPA] */
	memcpy(snp_sim_ptr(CODE), rd, sizeof(rd));
	vp.regs.rip = CODE;
	tee->vp_run(&vp);
	assert_int_equal(vp.exit.kind, VP_EXIT_SHUTDOWN);
	assert_int_not_equal(vp.regs.gpr[VP_RAX], rd32(SECRETS_GPA + 0x20));
}

static void test_host_remap_under_the_guest_terminates_without_leaking(void **state)
{
	(void)state;
	static const char secret[] = "guest-secret-in-private-memory!";
	boot(SNP_SIM_HONEST);
	memcpy(snp_sim_ptr(DATA + 0x100), secret, sizeof(secret));
	snp_sim_host_remap(DATA, 0x00);
	if (setjmp(term) == 0) {
		run(&vp, 32);
		fail_msg("the guest ran on a remapped page");
	}
	assert_int_equal(snp_sim.term_set, GHCB_TERM_SET_MANTLE);
	assert_int_equal(snp_sim.term_code, SNP_TERM_REMAP);
	assert_false(snp_sim_host_sees(secret, sizeof(secret) - 1));
	assert_false(snp_sim_host_sees(snp_sim.vmpck[0], 32));
}

static void test_run_vmpl_failure_is_a_failed_exit(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	snp_sim.mode = SNP_SIM_HOST_RUN_FAIL;
	tee->vp_run(&vp);
	assert_int_equal(vp.exit.kind, VP_EXIT_FAILED);
}

static void test_boot_terminates_when_host_lies_about_psc(void **state)
{
	(void)state;
	snp_sim_init(SNP_SIM_HOST_PSC_LIE);
	snp_sim.term_jmp = &term;
	snp_sim_layout();
	assert_true(tee->probe());
	if (setjmp(term) == 0) {
		int rc = tee->init();
		fail_msg("boot continued (%d) on memory the host never assigned", rc);
	}
	assert_int_equal(snp_sim.term_code, SNP_TERM_BOOT);
	for (uint64_t p = 0x200; p < SNP_SIM_PAGES; p++)
		assert_int_equal(snp_sim.rmp[p].perms[SNP_GUEST_VMPL], 0);
}

static void test_backend_attestation_report_carries_report_data(void **state)
{
	(void)state;
	uint8_t data[64];
	static struct snp_report report;

	boot(SNP_SIM_HONEST);
	memset(data, 0x5c, sizeof(data));
	assert_int_equal(snp_backend_attest(data, 0, &report), SNP_GREQ_OK);
	assert_memory_equal(report.report_data, data, 64);
	struct snp_key_req kr = { .vmpl = 0 };
	uint8_t key[32], want[32];
	assert_int_equal(snp_backend_derive_key(&kr, key), SNP_GREQ_OK);
	snp_sim_psp_derive(&kr, 0, want);
	assert_memory_equal(key, want, 32);
}

static void test_platform_cpuid_comes_from_the_cpuid_page(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	struct cpuid_result r = tee->cpuid(1, 0);
	assert_int_equal(r.eax, 0xa10f11);
	r = tee->cpuid(0x80000008u, 0); /* not in the page: zero, the host is not asked */
	assert_int_equal(r.eax, 0);
	assert_int_equal(r.ebx, 0);
}

static void test_vcpu_create_refuses_guest_or_2m_aligned_vmsa_pages(void **state)
{
	(void)state;
	struct snp_vcpu v;
	struct snp_ghcb_state g = { 0 };

	boot(SNP_SIM_HONEST);
	struct vp_regs r;
	flat32_regs(&r, CODE);
	/* A guest page (the guest could write its own VMSA) and Mantle's 2 MiB-aligned page 0. */
	assert_int_equal(snp_vcpu_create(&v, snp_backend_mem(), &g, DATA, 2, 1, 0, &r), SNP_VCPU_BAD_PAGE);
	assert_int_equal(snp_vcpu_create(&v, snp_backend_mem(), &g, 0, 2, 1, 0, &r), SNP_VCPU_BAD_PAGE);
	assert_int_equal(snp_vcpu_create(&v, snp_backend_mem(), &g, 0x31000, 0, 1, 0, &r),
			 SNP_VCPU_BAD_PAGE);
	assert_false(snp_sim.rmp[DATA >> 12].vmsa);
}

static void test_decode_exit_table(void **state)
{
	(void)state;
	static const struct {
		uint64_t code, info1, info2;
		uint32_t kind;
		uint8_t len;
	} rows[] = {
		{ SVM_EXIT_CPUID, 0, 0, VP_EXIT_CPUID, 2 },
		{ SVM_EXIT_MSR, 1, 0, VP_EXIT_MSR, 2 },
		{ SVM_EXIT_IOIO, (0x3f8u << 16) | SVM_IOIO_SZ8, 0x1001, VP_EXIT_IO, 1 },
		{ SVM_EXIT_IOIO, (0x3f8u << 16) | SVM_IOIO_SZ8, 0x0999, VP_EXIT_IO, 0 }, /* bogus next RIP */
		{ SVM_EXIT_NPF, SVM_NPF_W, MMIO_GPA, VP_EXIT_MMIO, 0 },
		{ SVM_EXIT_HLT, 0, 0, VP_EXIT_HLT, 1 },
		{ SVM_EXIT_VMMCALL, 0, 0, VP_EXIT_HYPERCALL, 3 },
		{ SVM_EXIT_SHUTDOWN, 0, 0, VP_EXIT_SHUTDOWN, 0 },
		{ SVM_EXIT_VMGEXIT, 0, 0, VP_EXIT_UNSUPPORTED, 0 },
		{ 0x60, 0, 0, VP_EXIT_NONE, 0 },
		{ SVM_EXIT_PAGE_NOT_VALIDATED, 0, 0x5000, VP_EXIT_FAILED, 0 },
		{ 0x12345678, 0, 0, VP_EXIT_FAILED, 0 },
	};
	struct vp_regs regs = { .rip = 0x1000 };
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct vp_exit e;
		snp_decode_exit(rows[i].code, rows[i].info1, rows[i].info2, &regs, &e);
		assert_int_equal(e.kind, rows[i].kind);
		assert_int_equal(e.insn_len, rows[i].len);
	}
}

static void test_own_vc_handler_cpuid_msr_and_io(void **state)
{
	(void)state;
	boot(SNP_SIM_HONEST);
	/* Early boot: CPUID through the MSR protocol, no GHCB page, no CPUID page. */
	uint32_t r[4];
	assert_true(snp_cpuid_msr_protocol(7, r));
	assert_int_equal(r[1], 7 * 16 + 1);
	/* Mantle's own OUT, RDMSR and 16-bit IN through the GHCB page. */
	static const uint8_t out_insn[] = { 0xe6, 0xe9 }, rdmsr_insn[] = { 0x0f, 0x32 },
			     in16[] = { 0x66, 0xed };
	struct snp_vc_ctx ctx = { .rax = 0x1234, .rip = (uint64_t)(uintptr_t)out_insn };
	/* The backend's GHCB is private to it; its cpuid op shows the path works, and the handler
	 * itself is driven here with a GHCB set up on a Mantle page of this test. */
	struct snp_ghcb_state gh = { 0 };
	assert_int_equal(snp_ghcb_setup(&gh, snp_backend_mem(), 0x30000), SNP_GHCB_OK);
	struct snp_vc vc = { .ghcb = &gh };
	uint32_t before = snp_sim.io_out_count;
	assert_int_equal(snp_vc_handle(&vc, &ctx, SVM_EXIT_IOIO), SNP_VC_OK);
	assert_int_equal(snp_sim.io_out_count, before + 1);
	assert_int_equal(snp_sim.io_out_log[before], (0xe9ull << 32) | 0x34);
	assert_int_equal(ctx.rip, (uint64_t)(uintptr_t)out_insn + 2);
	ctx = (struct snp_vc_ctx){ .rcx = 0x10, .rax = ~0ull, .rip = (uint64_t)(uintptr_t)rdmsr_insn };
	assert_int_equal(snp_vc_handle(&vc, &ctx, SVM_EXIT_MSR), SNP_VC_OK);
	assert_int_equal(ctx.rax, 0x11223344);
	assert_int_equal(ctx.rdx, 0x55667788);
	ctx = (struct snp_vc_ctx){ .rdx = 0x71, .rax = 0xffff0000ffffffffull,
				   .rip = (uint64_t)(uintptr_t)in16 };
	assert_int_equal(snp_vc_handle(&vc, &ctx, SVM_EXIT_IOIO), SNP_VC_OK);
	assert_int_equal(ctx.rax, 0xffff0000ffff5a5aull);
	assert_int_equal(snp_vc_handle(&vc, &ctx, SVM_EXIT_WBINVD), SNP_VC_UNSUPPORTED);
	/* A host that drops the valid bits is refused. */
	snp_sim.mode = SNP_SIM_HOST_GHCB_BAD_VALID;
	ctx = (struct snp_vc_ctx){ .rcx = 0x10, .rip = (uint64_t)(uintptr_t)rdmsr_insn };
	assert_int_equal(snp_vc_handle(&vc, &ctx, SVM_EXIT_MSR), SNP_VC_HOST_FAILED);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_probe_is_false_without_sev_and_never_reads_sev_status),
		T(test_boot_validates_and_grants_guest_ram_only),
		T(test_vmsa_is_protected_and_registered_with_reflect_vc),
		T(test_guest_cpuid_io_mmio_msr_hlt_round_trip_through_reflected_vc),
		T(test_injected_event_reaches_guest_through_vmsa_eventinj),
		T(test_host_cannot_inject_into_the_guest),
		T(test_doorbell_interrupt_is_forwarded_to_the_guest),
		T(test_doorbell_interrupt_is_posted_until_the_guest_enables_interrupts),
		T(test_doorbell_nmi_is_forwarded),
		T(test_doorbell_exception_vectors_and_mc_are_refused),
		T(test_guest_cannot_write_its_vmsa_or_read_mantle_memory),
		T(test_host_remap_under_the_guest_terminates_without_leaking),
		T(test_run_vmpl_failure_is_a_failed_exit),
		T(test_boot_terminates_when_host_lies_about_psc),
		T(test_backend_attestation_report_carries_report_data),
		T(test_platform_cpuid_comes_from_the_cpuid_page),
		T(test_vcpu_create_refuses_guest_or_2m_aligned_vmsa_pages),
		T(test_decode_exit_table),
		T(test_own_vc_handler_cpuid_msr_and_io),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
