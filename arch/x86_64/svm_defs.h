/* AMD SVM architectural constants shared by every backend that runs a guest through an SVM-format
 * control block or VMSA (tee/none's VMCB, tee/snp's reflected #VC exits).
 * Source: AMD64 Architecture Programmer's Manual vol. 2, chapter 15 and appendix C. */
#ifndef MANTLE_ARCH_X86_64_SVM_DEFS_H
#define MANTLE_ARCH_X86_64_SVM_DEFS_H

/* Intercept vector 3 (VMCB offset 0x0c), APM vol. 2, table B-1. */
#define SVM_INTERCEPT_INTR (1u << 0)
#define SVM_INTERCEPT_NMI (1u << 1)
#define SVM_INTERCEPT_INIT (1u << 3)
#define SVM_INTERCEPT_CPUID (1u << 18)
#define SVM_INTERCEPT_HLT (1u << 24)
#define SVM_INTERCEPT_IOIO_PROT (1u << 27)
#define SVM_INTERCEPT_MSR_PROT (1u << 28)
#define SVM_INTERCEPT_SHUTDOWN (1u << 31)
/* Intercept vector 4 (offset 0x10). */
#define SVM_INTERCEPT_VMRUN (1u << 0)
#define SVM_INTERCEPT_VMMCALL (1u << 1)
#define SVM_INTERCEPT_VMLOAD (1u << 2)
#define SVM_INTERCEPT_VMSAVE (1u << 3)
#define SVM_INTERCEPT_STGI (1u << 4)
#define SVM_INTERCEPT_CLGI (1u << 5)
#define SVM_INTERCEPT_SKINIT (1u << 6)
#define SVM_INTERCEPT_XSETBV (1u << 13)

/* Exit codes, APM vol. 2, appendix C. */
#define SVM_EXIT_EXCP_BASE 0x40ull
#define SVM_EXIT_INTR 0x60ull
#define SVM_EXIT_NMI 0x61ull
#define SVM_EXIT_INIT 0x63ull
#define SVM_EXIT_CPUID 0x72ull
#define SVM_EXIT_HLT 0x78ull
#define SVM_EXIT_IOIO 0x7bull
#define SVM_EXIT_MSR 0x7cull
#define SVM_EXIT_SHUTDOWN 0x7full
#define SVM_EXIT_VMRUN 0x80ull
#define SVM_EXIT_VMMCALL 0x81ull
#define SVM_EXIT_VMLOAD 0x82ull
#define SVM_EXIT_VMSAVE 0x83ull
#define SVM_EXIT_STGI 0x84ull
#define SVM_EXIT_CLGI 0x85ull
#define SVM_EXIT_SKINIT 0x86ull
#define SVM_EXIT_XSETBV 0x8dull
#define SVM_EXIT_NPF 0x400ull
/* VMEXIT_INVALID is -1; QEMU TCG writes it as 32 bits (0x00000000ffffffff): compare the low half. */
#define SVM_EXIT_INVALID 0xffffffffffffffffull

/* IOIO EXITINFO1 (APM vol. 2, 15.10.2, figure 15-2). */
#define SVM_IOIO_IN (1u << 0)
#define SVM_IOIO_STR (1u << 2)
#define SVM_IOIO_REP (1u << 3)
#define SVM_IOIO_SZ8 (1u << 4)
#define SVM_IOIO_SZ16 (1u << 5)
#define SVM_IOIO_SZ32 (1u << 6)
#define SVM_IOIO_PORT_SHIFT 16

/* NPF EXITINFO1 (APM vol. 2, 15.25.6): a #PF-style error code. */
#define SVM_NPF_P (1ull << 0)
#define SVM_NPF_W (1ull << 1)
#define SVM_NPF_I (1ull << 4)

/* EVENTINJ (APM vol. 2, 15.20). */
#define SVM_EVTINJ_VALID (1ull << 31)
#define SVM_EVTINJ_EV (1ull << 11)
#define SVM_EVTINJ_TYPE_INTR (0ull << 8)
#define SVM_EVTINJ_TYPE_NMI (2ull << 8)
#define SVM_EVTINJ_TYPE_EXCEPTION (3ull << 8)

#define SVM_NP_ENABLE (1ull << 0)
#define SVM_TLB_CONTROL_FLUSH_ALL 1

/* The VMCB save area and the SNP VMSA keep the state below under the same field names at the same
 * offsets (APM vol. 2, appendix B): these copy it between either and the core's struct vp_regs
 * (core/vp.h). EFER and the GPRs the VMCB does not hold are each backend's own business. */
#define SVM_SAVE_FROM_REGS(s, r)                                                        \
	do {                                                                            \
		(s)->rax = (r)->gpr[VP_RAX];                                            \
		(s)->rsp = (r)->gpr[VP_RSP];                                            \
		(s)->rip = (r)->rip;                                                    \
		(s)->rflags = (r)->rflags;                                              \
		(s)->cr0 = (r)->cr0;                                                    \
		(s)->cr2 = (r)->cr2;                                                    \
		(s)->cr3 = (r)->cr3;                                                    \
		(s)->cr4 = (r)->cr4;                                                    \
		(s)->es = (r)->seg[VP_ES];                                              \
		(s)->cs = (r)->seg[VP_CS];                                              \
		(s)->ss = (r)->seg[VP_SS];                                              \
		(s)->ds = (r)->seg[VP_DS];                                              \
		(s)->fs = (r)->seg[VP_FS];                                              \
		(s)->gs = (r)->seg[VP_GS];                                              \
		(s)->gdtr = (r)->gdtr;                                                  \
		(s)->idtr = (r)->idtr;                                                  \
		(s)->ldtr = (r)->ldtr;                                                  \
		(s)->tr = (r)->tr;                                                      \
		(s)->cpl = (r)->cpl;                                                    \
	} while (0)

#define SVM_SAVE_TO_REGS(s, r)                                                          \
	do {                                                                            \
		(r)->gpr[VP_RAX] = (s)->rax;                                            \
		(r)->gpr[VP_RSP] = (s)->rsp;                                            \
		(r)->rip = (s)->rip;                                                    \
		(r)->rflags = (s)->rflags;                                              \
		(r)->cr0 = (s)->cr0;                                                    \
		(r)->cr2 = (s)->cr2;                                                    \
		(r)->cr3 = (s)->cr3;                                                    \
		(r)->cr4 = (s)->cr4;                                                    \
		(r)->seg[VP_ES] = (s)->es;                                              \
		(r)->seg[VP_CS] = (s)->cs;                                              \
		(r)->seg[VP_SS] = (s)->ss;                                              \
		(r)->seg[VP_DS] = (s)->ds;                                              \
		(r)->seg[VP_FS] = (s)->fs;                                              \
		(r)->seg[VP_GS] = (s)->gs;                                              \
		(r)->gdtr = (s)->gdtr;                                                  \
		(r)->idtr = (s)->idtr;                                                  \
		(r)->ldtr = (s)->ldtr;                                                  \
		(r)->tr = (s)->tr;                                                      \
		(r)->cpl = (s)->cpl;                                                    \
	} while (0)

#endif
