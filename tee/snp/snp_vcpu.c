/* Guest VMSA creation, Run VMPL and #VC-exit normalisation (see snp_vcpu.h). */
#include "tee/snp/snp_vcpu.h"

#include "arch/x86_64/svm_defs.h"
#include "tee/svm_exit.h"

#include "core/str.h"
#include "core/x86/msr.h"

#define PAT_POWER_ON 0x0007040600070406ull
#define MXCSR_RESET 0x1f80u
#define FCW_RESET 0x037fu

uint64_t snp_guest_sev_features(uint64_t sev_status)
{
	uint64_t kept = SNP_FEAT_VTOM | SNP_FEAT_PREVENT_HOST_IBS | SNP_FEAT_BTB_ISOLATION |
			SNP_FEAT_SMT_PROTECTION;
	uint64_t mine = sev_status >> 2;

	return SNP_FEAT_SNP_ACTIVE | (mine & kept) | SNP_FEAT_REFLECT_VC | SNP_FEAT_ALTERNATE_INJ;
}

static void regs_to_vmsa(struct snp_vmsa *s, const struct vp_regs *r)
{
	SVM_SAVE_FROM_REGS(s, r);
	s->rcx = r->gpr[VP_RCX];
	s->rdx = r->gpr[VP_RDX];
	s->rbx = r->gpr[VP_RBX];
	s->rbp = r->gpr[VP_RBP];
	s->rsi = r->gpr[VP_RSI];
	s->rdi = r->gpr[VP_RDI];
	for (int i = 0; i < 8; i++)
		s->r8_r15[i] = r->gpr[VP_R8 + i];
	/* EFER.SVME is the VMSA's "runnable" bit here; the guest never sees it (core/x86/msr.c). */
	s->efer = (r->efer & ~EFER_SVME) | (s->efer & EFER_SVME);
	s->xcr0 = r->xcr0 ? r->xcr0 : 1;
}

static void regs_from_vmsa(const struct snp_vmsa *s, struct vp_regs *r)
{
	SVM_SAVE_TO_REGS(s, r);
	r->gpr[VP_RCX] = s->rcx;
	r->gpr[VP_RDX] = s->rdx;
	r->gpr[VP_RBX] = s->rbx;
	r->gpr[VP_RBP] = s->rbp;
	r->gpr[VP_RSI] = s->rsi;
	r->gpr[VP_RDI] = s->rdi;
	for (int i = 0; i < 8; i++)
		r->gpr[VP_R8 + i] = s->r8_r15[i];
	r->efer = s->efer & ~EFER_SVME;
	r->xcr0 = s->xcr0;
}

/* Builds the VMSA, protects it and registers it with AP Creation request `request`. */
static enum snp_vcpu_status vcpu_register(struct snp_vcpu *v, struct snp_mem *m, struct snp_ghcb_state *g,
					  uint64_t vmsa_gpa, uint8_t vmpl, uint32_t apic_id,
					  uint64_t sev_features, const struct vp_regs *regs, uint32_t request)
{
	/* A 2 MiB-aligned VMSA page hits an erratum on some parts (reference D.5). */
	if (!snp_mem_is_owned(m, vmsa_gpa) || !snp_mem_is_validated(m, vmsa_gpa) ||
	    (vmsa_gpa & (SNP_2M_SIZE - 1)) == 0 || (vmsa_gpa & (SNP_PAGE_SIZE - 1)) || vmpl == 0 ||
	    vmpl > 3)
		return SNP_VCPU_BAD_PAGE;
	*v = (struct snp_vcpu){ .vmsa = snp_va(vmsa_gpa), .vmsa_gpa = vmsa_gpa, .vmpl = vmpl,
				.apic_id = apic_id, .sev_features = sev_features };
	struct snp_vmsa *s = v->vmsa;
	memset(s, 0, sizeof(*s));
	regs_to_vmsa(s, regs);
	s->vmpl = vmpl;
	s->sev_features = sev_features;
	/* vTOM without VIRTUAL_TOM would make all of the guest's memory shared: the guest gets Mantle's
	 * boundary, below which its RAM lies (an unmodified guest never uses the alias above). */
	if (sev_features & SNP_FEAT_VTOM)
		s->virtual_tom = SNP_VTOM;
	s->g_pat = PAT_POWER_ON;
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	s->mxcsr = MXCSR_RESET;
	s->x87_fcw = FCW_RESET;
	if (sev_features & SNP_FEAT_ALTERNATE_INJ)
		s->vintr_ctrl = SNP_VINTR_V_GIF;
	if (snp_mem_make_vmsa(m, vmsa_gpa, vmpl) != SNP_MEM_OK)
		return SNP_VCPU_RMPADJUST;
	struct snp_ghcb_call c = {
		.exit_code = SVM_VMGEXIT_AP_CREATION,
		.info1 = request | ((uint64_t)vmpl << 16) | ((uint64_t)apic_id << 32),
		.info2 = vmsa_gpa,
		.rax = sev_features,
		.in = SNP_GHCB_R_RAX,
	};
	if (snp_ghcb_call(g, &c) != SNP_GHCB_OK) {
		/* Whatever the host did with the request, the page must not stay runnable. */
		if (snp_mem_unmake_vmsa(m, vmsa_gpa, vmpl) != SNP_MEM_OK)
			return SNP_VCPU_RMPADJUST;
		memset(s, 0, sizeof(*s));
		return SNP_VCPU_HOST_REFUSED;
	}
	v->live = true;
	return SNP_VCPU_OK;
}

enum snp_vcpu_status snp_vcpu_create(struct snp_vcpu *v, struct snp_mem *m, struct snp_ghcb_state *g,
				     uint64_t vmsa_gpa, uint8_t vmpl, uint32_t apic_id,
				     uint64_t sev_features, const struct vp_regs *regs)
{
	return vcpu_register(v, m, g, vmsa_gpa, vmpl, apic_id, sev_features, regs, SNP_AP_CREATE_ON_INIT);
}

enum snp_vcpu_status snp_vcpu_start(struct snp_vcpu *v, struct snp_mem *m, struct snp_ghcb_state *g,
				    uint64_t vmsa_gpa, uint8_t vmpl, uint32_t apic_id,
				    uint64_t sev_features, const struct vp_regs *regs)
{
	return vcpu_register(v, m, g, vmsa_gpa, vmpl, apic_id, sev_features, regs, SNP_AP_CREATE);
}

enum snp_vcpu_status snp_vcpu_destroy(struct snp_vcpu *v, struct snp_mem *m, struct snp_ghcb_state *g)
{
	if (!v->live)
		return SNP_VCPU_BAD_PAGE;
	/* From here on Mantle never enters this VMSA, whatever the host answers. */
	v->live = false;
	struct snp_ghcb_call c = {
		.exit_code = SVM_VMGEXIT_AP_CREATION,
		.info1 = SNP_AP_DESTROY | ((uint64_t)v->vmpl << 16) | ((uint64_t)v->apic_id << 32),
		.info2 = v->vmsa_gpa,
	};
	enum snp_ghcb_status gs = snp_ghcb_call(g, &c);
	/* Taking the VMSA attribute away makes the page unrunnable even if the host kept it
	 * registered; only then may the page hold anything else. */
	if (snp_mem_unmake_vmsa(m, v->vmsa_gpa, v->vmpl) != SNP_MEM_OK)
		return SNP_VCPU_RMPADJUST;
	memset(v->vmsa, 0, sizeof(*v->vmsa));
	return gs == SNP_GHCB_OK ? SNP_VCPU_OK : SNP_VCPU_HOST_REFUSED;
}

void snp_decode_exit(uint64_t code, uint64_t info1, uint64_t info2, const struct vp_regs *regs,
		     struct vp_exit *e)
{
	svm_decode_exit(code, info1, info2, regs, e);
	/* Exit code 0 after Run VMPL: the switch was cancelled (e.g. a pending #HV), nothing to do. */
	if (code == 0)
		e->kind = VP_EXIT_NONE;
}

void snp_vcpu_run(struct snp_vcpu *v, struct snp_mem *m, struct vp *vp)
{
	struct snp_vmsa *s = v->vmsa;

	if (!v->live) {
		vp->exit = (struct vp_exit){ .kind = VP_EXIT_FAILED, .raw = SVM_EXIT_INVALID };
		return;
	}
	regs_to_vmsa(s, &vp->regs);
	s->event_inj = v->pending_event;
	v->pending_event = 0;
	s->guest_exit_code = 0;
	s->efer |= EFER_SVME;
	enum snp_ghcb_status st = snp_run_vmpl(v->vmpl);
	s->efer &= ~EFER_SVME;
	if (st != SNP_GHCB_OK) {
		vp->exit = (struct vp_exit){ .kind = VP_EXIT_FAILED, .raw = SVM_EXIT_INVALID };
		return;
	}
	regs_from_vmsa(s, &vp->regs);
	uint64_t code = s->guest_exit_code, info1 = s->guest_exit_info1, info2 = s->guest_exit_info2;
	if (code == SVM_EXIT_PAGE_NOT_VALIDATED && snp_mem_remap_detected(m, info2 & ~0xfffull))
		snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_REMAP);
	snp_decode_exit(code, info1, info2, &vp->regs, &vp->exit);
	/* An event whose delivery the exit interrupted is delivered again (APM vol. 2 15.7.2). */
	if ((s->guest_exit_int_info & SVM_EVTINJ_VALID) && !v->pending_event)
		v->pending_event = s->guest_exit_int_info;
}

void snp_vcpu_inject(struct snp_vcpu *v, const struct vp_event *ev)
{
	uint64_t type = ev->type == VP_EVENT_EXCEPTION ? SVM_EVTINJ_TYPE_EXCEPTION
		      : ev->type == VP_EVENT_NMI       ? SVM_EVTINJ_TYPE_NMI
						       : SVM_EVTINJ_TYPE_INTR;
	uint64_t inj = ev->vector | type | SVM_EVTINJ_VALID;

	if (ev->has_error)
		inj |= SVM_EVTINJ_EV | ((uint64_t)ev->error << 32);
	v->pending_event = inj;
}

bool snp_vcpu_post_irq(struct snp_vcpu *v, uint8_t vector)
{
	struct snp_vmsa *s = v->vmsa;

	if (s->vintr_ctrl & SNP_VINTR_V_IRQ)
		return false;
	s->vintr_ctrl = (s->vintr_ctrl & SNP_VINTR_V_GIF) | SNP_VINTR_V_IRQ | SNP_VINTR_V_IGN_TPR |
			((uint64_t)(vector >> 4) << SNP_VINTR_PRIO_SHIFT) |
			((uint64_t)vector << SNP_VINTR_VECTOR_SHIFT);
	return true;
}

void snp_vcpu_vec(struct snp_vcpu *v, unsigned reg, uint8_t *buf, uint32_t len, bool write)
{
	if (reg >= 16 || (len != 16 && len != 32))
		return;
	if (write) {
		memcpy(v->vmsa->xmm[reg], buf, 16);
		if (len == 32)
			memcpy(v->vmsa->ymm_hi[reg], buf + 16, 16);
	} else {
		memcpy(buf, v->vmsa->xmm[reg], 16);
		if (len == 32)
			memcpy(buf + 16, v->vmsa->ymm_hi[reg], 16);
	}
}
