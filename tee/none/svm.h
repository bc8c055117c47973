/* AMD SVM structures and constants used by the `none` backend on x86_64.
 * Source: AMD64 Architecture Programmer's Manual vol. 2, chapter 15 and appendix B ("Layout of VMCB"),
 * and appendix C (SVM intercept exit codes). */
#ifndef MANTLE_TEE_NONE_SVM_H
#define MANTLE_TEE_NONE_SVM_H

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/svm_defs.h"
#include "core/vp.h"

#define MSR_VM_HSAVE_PA_ADDR 0xc0010117u

#define SVM_IOPM_BYTES (12 * 1024)   /* 3 pages: one bit per port, 64K ports + 3 bytes (15.10.1) */
#define SVM_MSRPM_BYTES (8 * 1024)   /* 2 pages: two bits per MSR in three 8K-MSR ranges (15.11) */

struct vmcb_control {
	uint32_t intercept_cr;        /* 0x000: reads 15:0, writes 31:16 */
	uint32_t intercept_dr;        /* 0x004 */
	uint32_t intercept_exceptions;/* 0x008 */
	uint32_t intercept_misc1;     /* 0x00c: vector 3 */
	uint32_t intercept_misc2;     /* 0x010: vector 4 */
	uint32_t intercept_misc3;     /* 0x014: vector 5 */
	uint8_t reserved_018[0x03c - 0x018];
	uint16_t pause_filter_threshold;
	uint16_t pause_filter_count;
	uint64_t iopm_base_pa;        /* 0x040 */
	uint64_t msrpm_base_pa;       /* 0x048 */
	uint64_t tsc_offset;          /* 0x050 */
	uint32_t guest_asid;          /* 0x058 */
	uint8_t tlb_control;          /* 0x05c */
	uint8_t reserved_05d[3];
	uint64_t vintr;               /* 0x060: V_TPR, V_IRQ, V_INTR_MASKING, V_INTR_VECTOR... */
	uint64_t interrupt_shadow;    /* 0x068 */
	uint64_t exit_code;           /* 0x070 */
	uint64_t exit_info1;          /* 0x078 */
	uint64_t exit_info2;          /* 0x080 */
	uint64_t exit_int_info;       /* 0x088 */
	uint64_t np_control;          /* 0x090: bit 0 NP_ENABLE */
	uint64_t avic_apic_bar;       /* 0x098 */
	uint64_t ghcb_gpa;            /* 0x0a0 */
	uint64_t event_inj;           /* 0x0a8 */
	uint64_t n_cr3;               /* 0x0b0 */
	uint64_t virt_ext;            /* 0x0b8: LBR virtualization, VMSAVE/VMLOAD virtualization */
	uint32_t clean_bits;          /* 0x0c0 */
	uint32_t reserved_0c4;
	uint64_t next_rip;            /* 0x0c8 */
	uint8_t insn_bytes_fetched;   /* 0x0d0 */
	uint8_t insn_bytes[15];
	uint8_t reserved_0e0[0x400 - 0x0e0];
};
_Static_assert(offsetof(struct vmcb_control, iopm_base_pa) == 0x040, "APM vol. 2, table B-1");
_Static_assert(offsetof(struct vmcb_control, guest_asid) == 0x058, "APM vol. 2, table B-1");
_Static_assert(offsetof(struct vmcb_control, exit_code) == 0x070, "APM vol. 2, table B-1");
_Static_assert(offsetof(struct vmcb_control, np_control) == 0x090, "APM vol. 2, table B-1");
_Static_assert(offsetof(struct vmcb_control, event_inj) == 0x0a8, "APM vol. 2, table B-1");
_Static_assert(offsetof(struct vmcb_control, n_cr3) == 0x0b0, "APM vol. 2, table B-1");
_Static_assert(offsetof(struct vmcb_control, next_rip) == 0x0c8, "APM vol. 2, table B-1");
_Static_assert(sizeof(struct vmcb_control) == 0x400, "APM vol. 2, table B-1: control area is 1 KiB");

struct vmcb_save {
	struct vp_segment es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x000 (VMCB 0x400) */
	uint8_t reserved_0a0[0x0cb - 0x0a0];
	uint8_t cpl;                  /* 0x0cb */
	uint32_t reserved_0cc;
	uint64_t efer;                /* 0x0d0 */
	uint8_t reserved_0d8[0x148 - 0x0d8];
	uint64_t cr4;                 /* 0x148 */
	uint64_t cr3;
	uint64_t cr0;
	uint64_t dr7;
	uint64_t dr6;
	uint64_t rflags;              /* 0x170 */
	uint64_t rip;                 /* 0x178 */
	uint8_t reserved_180[0x1d8 - 0x180];
	uint64_t rsp;                 /* 0x1d8 */
	uint64_t s_cet, ssp, isst_addr;
	uint64_t rax;                 /* 0x1f8 */
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
	uint64_t cr2;                 /* 0x240 */
	uint8_t reserved_248[0x268 - 0x248];
	uint64_t g_pat;               /* 0x268 */
	uint64_t dbgctl, br_from, br_to, last_excp_from, last_excp_to;
	uint8_t reserved_298[0xc00 - 0x298];
};
_Static_assert(offsetof(struct vmcb_save, cpl) == 0x0cb, "APM vol. 2, table B-2 (VMCB 0x4cb)");
_Static_assert(offsetof(struct vmcb_save, efer) == 0x0d0, "APM vol. 2, table B-2 (VMCB 0x4d0)");
_Static_assert(offsetof(struct vmcb_save, cr4) == 0x148, "APM vol. 2, table B-2 (VMCB 0x548)");
_Static_assert(offsetof(struct vmcb_save, rip) == 0x178, "APM vol. 2, table B-2 (VMCB 0x578)");
_Static_assert(offsetof(struct vmcb_save, rsp) == 0x1d8, "APM vol. 2, table B-2 (VMCB 0x5d8)");
_Static_assert(offsetof(struct vmcb_save, rax) == 0x1f8, "APM vol. 2, table B-2 (VMCB 0x5f8)");
_Static_assert(offsetof(struct vmcb_save, cr2) == 0x240, "APM vol. 2, table B-2 (VMCB 0x640)");
_Static_assert(offsetof(struct vmcb_save, g_pat) == 0x268, "APM vol. 2, table B-2 (VMCB 0x668)");

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
};
_Static_assert(sizeof(struct vmcb) == 4096, "the VMCB is one 4 KiB page");

/* Guest GPRs the CPU does not keep in the VMCB (RAX and RSP are in the save area); the order is the
 * one svm_entry.S loads and stores. */
struct svm_gprs {
	uint64_t rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};
_Static_assert(sizeof(struct svm_gprs) == 14 * 8, "svm_entry.S: 14 saved GPRs");

/* Enters the guest: VMLOAD the guest's hidden state, VMRUN, VMSAVE it back, VMLOAD Mantle's. */
void svm_enter(uint64_t vmcb_pa, uint64_t host_vmcb_pa, struct svm_gprs *gprs);

#endif
