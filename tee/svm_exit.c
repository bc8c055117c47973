#include "tee/svm_exit.h"

#include "arch/x86_64/svm_defs.h"

/* Which port-I/O exit: EXITINFO1 (APM vol. 2, figure 15-2); EXITINFO2 is the next RIP. */
static void decode_ioio(uint64_t info1, uint64_t info2, const struct vp_regs *regs, struct vp_exit *e)
{
	e->kind = VP_EXIT_IO;
	e->u.io.port = (uint16_t)(info1 >> SVM_IOIO_PORT_SHIFT);
	e->u.io.in = info1 & SVM_IOIO_IN;
	e->u.io.string = info1 & SVM_IOIO_STR;
	e->u.io.rep = info1 & SVM_IOIO_REP;
	e->u.io.size = (info1 & SVM_IOIO_SZ32) ? 4 : (info1 & SVM_IOIO_SZ16) ? 2 : 1;
	/* Anything implausible leaves decoding the instruction to the core. */
	uint64_t len = info2 - regs->rip;
	e->insn_len = len >= 1 && len <= 15 ? (uint8_t)len : 0;
}

void svm_decode_exit(uint64_t code, uint64_t info1, uint64_t info2, const struct vp_regs *regs,
		     struct vp_exit *e)
{
	*e = (struct vp_exit){ .raw = code, .info1 = info1, .info2 = info2 };
	switch (code) {
	case SVM_EXIT_CPUID:
		e->kind = VP_EXIT_CPUID;
		e->insn_len = 2;
		e->u.cpuid.leaf = (uint32_t)regs->gpr[VP_RAX];
		e->u.cpuid.subleaf = (uint32_t)regs->gpr[VP_RCX];
		break;
	case SVM_EXIT_MSR:
		e->kind = VP_EXIT_MSR;
		e->insn_len = 2;
		e->u.msr.index = (uint32_t)regs->gpr[VP_RCX];
		e->u.msr.write = info1 & 1;
		break;
	case SVM_EXIT_IOIO:
		decode_ioio(info1, info2, regs, e);
		break;
	case SVM_EXIT_NPF:
		e->kind = VP_EXIT_MMIO;
		e->u.mmio.gpa = info2;
		e->u.mmio.write = info1 & SVM_NPF_W;
		e->u.mmio.fetch = info1 & SVM_NPF_I;
		break;
	case SVM_EXIT_HLT:
		e->kind = VP_EXIT_HLT;
		e->insn_len = 1;
		break;
	case SVM_EXIT_VMMCALL:
		e->kind = VP_EXIT_HYPERCALL;
		e->insn_len = 3;
		break;
	case SVM_EXIT_SHUTDOWN:
		e->kind = VP_EXIT_SHUTDOWN;
		break;
	/* SVM (and, for an SNP guest, VMGEXIT) is hidden from the guest: #UD, as without the feature. */
	case SVM_EXIT_VMRUN: case SVM_EXIT_VMLOAD: case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI: case SVM_EXIT_CLGI: case SVM_EXIT_SKINIT:
	case 0x403: /* VMGEXIT */
		e->kind = VP_EXIT_UNSUPPORTED;
		break;
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
		e->kind = VP_EXIT_NONE;
		break;
	default:
		if (code >= SVM_EXIT_EXCP_BASE && code < SVM_EXIT_EXCP_BASE + 32) {
			e->kind = VP_EXIT_EXCEPTION;
			e->u.exc.vector = (uint8_t)(code - SVM_EXIT_EXCP_BASE);
			e->u.exc.error = (uint32_t)info1;
		} else {
			e->kind = VP_EXIT_FAILED;
		}
		break;
	}
}
