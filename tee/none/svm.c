/* The `none` backend on x86_64: Mantle runs the guest with AMD SVM and nested paging, without any
 * confidential-computing isolation. This is how the whole stack runs under stock QEMU (TCG), which
 * emulates SVM+NPT but neither NRIPS nor decode assists (../shared/reference/qemu-tcg-svm.md): the
 * core fetches and decodes instructions itself, and instruction lengths come from what each exit
 * implies.
 *
 * What the guest owns directly (docs/tee-none.md): every I/O port except those registered on the
 * core's bus, every MSR except core/x86/msr.h's list, physical interrupts (no INTR intercept,
 * V_INTR_MASKING clear: they go straight to the guest's IDT), its own page tables, HLT. Mantle's own
 * memory is absent from the nested page tables.
 */
#include "tee/none/svm.h"

#include "tee/svm_exit.h"

#include "arch/x86_64/hw.h"
#include "arch/x86_64/pt.h"
#include "core/bus.h"
#include "core/console.h"
#include "core/main.h"
#include "core/panic.h"
#include "core/pfa.h"
#include "core/str.h"
#include "core/tee.h"
#include "core/x86/cpuid.h"
#include "core/x86/msr.h"

#define SVM_MAX_VPS 1
#define GUEST_ASID 1
#define VM_CR_SVMDIS (1ull << 4)
#define CPUID_EXT1_ECX_SVM (1u << 2)
#define CPUID_SVM_EDX_NP (1u << 0)
#define PAT_POWER_ON 0x0007040600070406ull

struct svm_vp {
	struct vmcb *vmcb;
	uint64_t vmcb_pa;
	struct svm_gprs gprs;
	bool flush_tlb;
};

static struct svm_vp svm_vps[SVM_MAX_VPS];
static uint64_t host_vmcb_pa;
static uint64_t iopm_pa, msrpm_pa;
static struct x86_pt npt;

static uint64_t alloc_zeroed(uint64_t pages)
{
	uint64_t pa;

	if (core_alloc_pages(pages, &pa) != 0)
		panic("svm: out of Mantle memory");
	return pa;
}

static struct cpuid_result svm_cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r = hw_cpuid(leaf, subleaf);

	return (struct cpuid_result){ r.eax, r.ebx, r.ecx, r.edx };
}

static bool svm_probe(void)
{
	if (hw_cpuid(0x80000000u, 0).eax < 0x8000000au)
		return false;
	if (!(hw_cpuid(0x80000001u, 0).ecx & CPUID_EXT1_ECX_SVM))
		return false;
	if (!(hw_cpuid(0x8000000au, 0).edx & CPUID_SVM_EDX_NP))
		return false;
	return !(hw_rdmsr(MSR_VM_CR) & VM_CR_SVMDIS);
}

/* I/O permission map: one bit per port, set = intercept (APM vol. 2, 15.10.1). */
static void build_iopm(void)
{
	uint8_t *iopm;

	iopm_pa = alloc_zeroed(SVM_IOPM_BYTES / PAGE_SIZE);
	iopm = (uint8_t *)(uintptr_t)iopm_pa;
	for (uint32_t i = 0; i < bus_io_count(); i++) {
		const struct io_handler *h = bus_io_at(i);
		for (uint32_t p = h->base; p < (uint32_t)h->base + h->count; p++)
			iopm[p / 8] |= (uint8_t)(1u << (p % 8));
	}
}

/* MSR permission map: two bits per MSR (read, write) in three 2 KiB ranges (APM vol. 2, 15.11). */
static void msrpm_intercept(uint8_t *msrpm, uint32_t msr)
{
	uint32_t base, offset;

	if (msr <= 0x1fff) {
		base = 0;
		offset = msr;
	} else if (msr >= 0xc0000000u && msr <= 0xc0001fffu) {
		base = 0x800;
		offset = msr - 0xc0000000u;
	} else if (msr >= 0xc0010000u && msr <= 0xc0011fffu) {
		base = 0x1000;
		offset = msr - 0xc0010000u;
	} else {
		panic("svm: MSR %x is outside the MSR permission map", msr);
	}
	msrpm[base + offset / 4] |= (uint8_t)(3u << (2 * (offset % 4)));
}

static void build_msrpm(void)
{
	msrpm_pa = alloc_zeroed(SVM_MSRPM_BYTES / PAGE_SIZE);
	for (uint32_t i = 0; i < msr_policy_count; i++)
		msrpm_intercept((uint8_t *)(uintptr_t)msrpm_pa, msr_policy_list[i]);
}

/* Nested page table flags: U=1 is required on every level (APM vol. 2, 15.25.5: nested walks are
 * user accesses). */
#define NPT_TABLE (PTE_P | PTE_W | PTE_U)
#define NPT_RAM (PTE_P | PTE_W | PTE_U)
#define NPT_MMIO (PTE_P | PTE_W | PTE_U | PTE_PCD | PTE_PWT)

static uint64_t npt_type_flags(uint32_t type)
{
	switch (type) {
	case MEM_USABLE:
	case MEM_ACPI_RECLAIM:
	case MEM_ACPI_NVS:
	case MEM_MODULE:
		return NPT_RAM;
	case MEM_MANTLE:
	case MEM_EMULATED:
	case MEM_UNUSABLE:
		return 0;     /* absent: a guest access exits as an NPF */
	default:
		return NPT_MMIO;
	}
}

static void build_npt(void)
{
	const struct x86_pt_memmap_policy policy = {
		.type_flags = npt_type_flags,
		.hole_flags = NPT_MMIO,
		.map_page0 = true,
	};

	x86_pt_init(&npt, NPT_TABLE);
	x86_pt_map_memmap(&npt, core_memmap(), &policy);
}

static int svm_init(void)
{
	hw_wrmsr(MSR_EFER, hw_rdmsr(MSR_EFER) | EFER_SVME);
	hw_wrmsr(MSR_VM_HSAVE_PA_ADDR, alloc_zeroed(1));
	/* Mantle's own FS/GS/TR/LDTR and syscall MSRs, restored by VMLOAD after every exit. */
	host_vmcb_pa = alloc_zeroed(1);
	hw_vmsave(host_vmcb_pa);
	build_iopm();
	build_msrpm();
	build_npt();
	console_printf("mantle: svm: nested page tables at %llx, %u intercepted port ranges, %u MSRs\n",
		       (unsigned long long)npt.root_pa, bus_io_count(), msr_policy_count);
	return 0;
}

/* Copies the core's view of the registers into the VMCB and the GPR block. */
static void regs_to_vmcb(struct svm_vp *s, const struct vp_regs *r)
{
	struct vmcb_save *v = &s->vmcb->save;

	SVM_SAVE_FROM_REGS(v, r);
	s->gprs = (struct svm_gprs){
		r->gpr[VP_RBX], r->gpr[VP_RCX], r->gpr[VP_RDX], r->gpr[VP_RSI], r->gpr[VP_RDI],
		r->gpr[VP_RBP], r->gpr[VP_R8],  r->gpr[VP_R9],  r->gpr[VP_R10], r->gpr[VP_R11],
		r->gpr[VP_R12], r->gpr[VP_R13], r->gpr[VP_R14], r->gpr[VP_R15],
	};
	/* SVME must stay set in the guest's EFER for VMRUN; the guest never sees it (core/x86/msr.c). */
	v->efer = r->efer | EFER_SVME;
}

static void regs_from_vmcb(const struct svm_vp *s, struct vp_regs *r)
{
	const struct vmcb_save *v = &s->vmcb->save;
	const struct svm_gprs *g = &s->gprs;

	SVM_SAVE_TO_REGS(v, r);
	r->gpr[VP_RBX] = g->rbx;
	r->gpr[VP_RCX] = g->rcx;
	r->gpr[VP_RDX] = g->rdx;
	r->gpr[VP_RSI] = g->rsi;
	r->gpr[VP_RDI] = g->rdi;
	r->gpr[VP_RBP] = g->rbp;
	r->gpr[VP_R8] = g->r8;
	r->gpr[VP_R9] = g->r9;
	r->gpr[VP_R10] = g->r10;
	r->gpr[VP_R11] = g->r11;
	r->gpr[VP_R12] = g->r12;
	r->gpr[VP_R13] = g->r13;
	r->gpr[VP_R14] = g->r14;
	r->gpr[VP_R15] = g->r15;
	r->efer = v->efer & ~EFER_SVME;
}

static int svm_vp_create(struct vp *vp)
{
	if (vp->id >= SVM_MAX_VPS)
		return -1;
	struct svm_vp *s = &svm_vps[vp->id];
	/* A vCPU created again (guest reset) starts from a clean VMCB in the same page. */
	if (!s->vmcb_pa)
		s->vmcb_pa = alloc_zeroed(1);
	s->vmcb = (struct vmcb *)(uintptr_t)s->vmcb_pa;
	memset(s->vmcb, 0, sizeof(*s->vmcb));
	memset(&s->gprs, 0, sizeof(s->gprs));
	struct vmcb_control *c = &s->vmcb->control;
	c->intercept_misc1 = SVM_INTERCEPT_CPUID | SVM_INTERCEPT_IOIO_PROT | SVM_INTERCEPT_MSR_PROT |
			     SVM_INTERCEPT_SHUTDOWN;
	c->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL | SVM_INTERCEPT_VMLOAD |
			     SVM_INTERCEPT_VMSAVE | SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
			     SVM_INTERCEPT_SKINIT;
	c->iopm_base_pa = iopm_pa;
	c->msrpm_base_pa = msrpm_pa;
	c->guest_asid = GUEST_ASID;
	c->np_control = SVM_NP_ENABLE;
	c->n_cr3 = npt.root_pa;
	s->vmcb->save.g_pat = PAT_POWER_ON;
	s->vmcb->save.dr6 = 0xffff0ff0;
	s->vmcb->save.dr7 = 0x400;
	s->flush_tlb = true;
	vp->tee_state = s;
	return 0;
}

/* Normalises the VMCB's exit into vp->exit (tee/svm_exit.c). QEMU TCG writes the exit code as 32
 * bits (VMEXIT_INVALID reads 0x00000000ffffffff), so only the low half is decoded. */
static void decode_exit(struct vp *vp, const struct vmcb_control *c)
{
	svm_decode_exit((uint32_t)c->exit_code, c->exit_info1, c->exit_info2, &vp->regs, &vp->exit);
	vp->exit.raw = c->exit_code;
}

/* An event whose delivery the exit interrupted (EXITINTINFO valid) must be delivered again, unless
 * the handler queues a new one (APM vol. 2, 15.7.2). */
static void requeue_interrupted_event(struct vmcb_control *c)
{
	if ((c->exit_int_info & SVM_EVTINJ_VALID) && !(c->event_inj & SVM_EVTINJ_VALID))
		c->event_inj = c->exit_int_info;
}

static void svm_vp_run(struct vp *vp)
{
	struct svm_vp *s = vp->tee_state;
	struct vmcb_control *c = &s->vmcb->control;

	regs_to_vmcb(s, &vp->regs);
	c->tlb_control = s->flush_tlb ? SVM_TLB_CONTROL_FLUSH_ALL : 0;
	s->flush_tlb = false;
	svm_enter(s->vmcb_pa, host_vmcb_pa, &s->gprs);
	c->event_inj = 0;
	regs_from_vmcb(s, &vp->regs);
	/* XCR0 is not switched by VMRUN: the guest's value is live in the CPU. */
	vp->regs.xcr0 = (hw_read_cr4() & (1ull << 18)) ? hw_xgetbv(0) : 1;
	decode_exit(vp, c);
	requeue_interrupted_event(c);
}

static void svm_vp_inject(struct vp *vp, const struct vp_event *ev)
{
	struct svm_vp *s = vp->tee_state;
	uint64_t type = ev->type == VP_EVENT_EXCEPTION ? SVM_EVTINJ_TYPE_EXCEPTION
		      : ev->type == VP_EVENT_NMI	 ? SVM_EVTINJ_TYPE_NMI
							 : SVM_EVTINJ_TYPE_INTR;
	uint64_t inj = ev->vector | type | SVM_EVTINJ_VALID;

	if (ev->has_error)
		inj |= SVM_EVTINJ_EV | ((uint64_t)ev->error << 32);
	s->vmcb->control.event_inj = inj;
}

/* The guest's vector registers live in the CPU across exits: Mantle's own code never touches SSE or
 * AVX state (-mgeneral-regs-only) and VMRUN does not switch it, so an MMIO move of an XMM/YMM register
 * reads or writes the register itself. A YMM access only exits if the guest enabled AVX (else the
 * guest took #UD), and Mantle runs with CR4.OSXSAVE whenever the CPU has XSAVE (arch/x86_64/setup.c). */
#define VEC_REG(n)                                                                              \
	case n:                                                                                 \
		if (len == 32 && write)                                                         \
			__asm__ volatile("vmovdqu (%0), %%ymm" #n ::"r"(buf) : "memory");      \
		else if (len == 32)                                                             \
			__asm__ volatile("vmovdqu %%ymm" #n ", (%0)" ::"r"(buf) : "memory");   \
		else if (write)                                                                 \
			__asm__ volatile("movdqu (%0), %%xmm" #n ::"r"(buf) : "memory");       \
		else                                                                            \
			__asm__ volatile("movdqu %%xmm" #n ", (%0)" ::"r"(buf) : "memory");    \
		break;

static void svm_vp_vec(struct vp *vp, unsigned reg, uint8_t *buf, uint32_t len, bool write)
{
	(void)vp;
	CHECK(len == 16 || len == 32);
	switch (reg) {
	VEC_REG(0) VEC_REG(1) VEC_REG(2) VEC_REG(3) VEC_REG(4) VEC_REG(5) VEC_REG(6) VEC_REG(7)
	VEC_REG(8) VEC_REG(9) VEC_REG(10) VEC_REG(11) VEC_REG(12) VEC_REG(13) VEC_REG(14) VEC_REG(15)
	default:
		CHECK(reg < 16);
	}
}

/* Without isolation the platform's devices are Mantle's to touch directly. */
static void svm_io_forward(uint16_t port, uint8_t size, bool in, uint32_t *val)
{
	if (in)
		*val = size == 4 ? hw_inl(port) : size == 2 ? hw_inw(port) : hw_inb(port);
	else if (size == 4)
		hw_outl(port, *val);
	else if (size == 2)
		hw_outw(port, (uint16_t)*val);
	else
		hw_outb(port, (uint8_t)*val);
}

static const struct tee_backend svm_backend = {
	.name = "none-svm",
	.priority = 0,
	.isolation = ISOLATION_NONE,
	.probe = svm_probe,
	.init = svm_init,
	.vp_create = svm_vp_create,
	.vp_run = svm_vp_run,
	.vp_inject = svm_vp_inject,
	.vp_vec = svm_vp_vec,
	.io_forward = svm_io_forward,
	.cpuid = svm_cpuid,
	/* No isolation: nothing to accept or share, no evidence, no sealing key. */
	.mem_accept = tee_absent_mem_accept,
	.mem_set_shared = tee_absent_mem_set_shared,
	.attest = tee_absent_attest,
	.derive_key = tee_absent_derive_key,
};
TEE_BACKEND(svm_backend);
