/* SEV-SNP ABI: every hardware, GHCB and firmware structure and constant the snp backend uses.
 *
 * Sources (cited once per block below): AMD64 APM vol. 2 ch. 15 and appendix B ("APM2"), APM vol. 3
 * PVALIDATE/RMPADJUST ("APM3"), the GHCB specification v2 ("GHCB"), and the SEV-SNP Firmware ABI
 * ("SNP ABI"). ../shared/reference/snp-tdx-igvm.md section D collects them. Every structure here has
 * its size and the offsets Mantle depends on pinned with _Static_assert.
 *
 * All fields are little-endian.
 */
#ifndef MANTLE_TEE_SNP_SNP_ABI_H
#define MANTLE_TEE_SNP_SNP_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/svm_defs.h"
#include "core/vp.h"

#define SNP_PAGE_SIZE 4096u
#define SNP_PAGE_SHIFT 12
#define SNP_2M_SIZE 0x200000u
#define SNP_PAGES_PER_2M 512u

/* ------------------------------------------------------------------------------------------------ */
/* MSRs and CPUID (APM2 15.34, 15.36). */
#define SNP_MSR_GHCB 0xc0010130u
#define SNP_MSR_SEV_STATUS 0xc0010131u

#define SNP_CPUID_SEV_LEAF 0x8000001fu
#define SNP_CPUID_SEV_EAX_SEV (1u << 1)
#define SNP_CPUID_SEV_EAX_SEV_ES (1u << 3)
#define SNP_CPUID_SEV_EAX_SNP (1u << 4)

/* SEV_STATUS: bits 0/1/2 SEV/SEV-ES/SNP active; bit N+2 reports SEV_FEATURES bit N (APM2 15.34.10). */
#define SNP_STATUS_SEV (1ull << 0)
#define SNP_STATUS_SEV_ES (1ull << 1)
#define SNP_STATUS_SNP (1ull << 2)
#define SNP_STATUS_FEATURE(bit) (1ull << ((bit) + 2))

/* SEV_FEATURES (VMSA 0x3B0; APM2 table B-4). */
#define SNP_FEAT_SNP_ACTIVE (1ull << 0)
#define SNP_FEAT_VTOM (1ull << 1)
#define SNP_FEAT_REFLECT_VC (1ull << 2)
#define SNP_FEAT_RESTRICTED_INJ (1ull << 3)
#define SNP_FEAT_ALTERNATE_INJ (1ull << 4)
#define SNP_FEAT_DEBUG_SWAP (1ull << 5)
#define SNP_FEAT_PREVENT_HOST_IBS (1ull << 6)
#define SNP_FEAT_BTB_ISOLATION (1ull << 7)
#define SNP_FEAT_VMPL_SSS (1ull << 8)
#define SNP_FEAT_SECURE_TSC (1ull << 9)
#define SNP_FEAT_VMSA_REG_PROT (1ull << 14)
#define SNP_FEAT_SMT_PROTECTION (1ull << 15)

/* ------------------------------------------------------------------------------------------------ */
/* PVALIDATE / RMPADJUST return codes and operands (APM3 "PVALIDATE", "RMPADJUST"). */
#define SNP_PVALIDATE_SUCCESS 0u
#define SNP_PVALIDATE_FAIL_INPUT 1u
#define SNP_RMPADJUST_FAIL_PERMISSION 2u
#define SNP_PVALIDATE_FAIL_SIZEMISMATCH 6u

/* RMPADJUST RDX: bits 7:0 target VMPL, 15:8 permission mask, bit 16 VMSA. */
#define SNP_RMP_PERM_READ (1u << 0)
#define SNP_RMP_PERM_WRITE (1u << 1)
#define SNP_RMP_PERM_USER_EXEC (1u << 2)
#define SNP_RMP_PERM_SUPER_EXEC (1u << 3)
#define SNP_RMP_PERM_ALL 0x0fu
#define SNP_RMPADJUST_ATTRS(vmpl, perms, vmsa) \
	((uint64_t)(vmpl) | ((uint64_t)(perms) << 8) | ((uint64_t)((vmsa) ? 1 : 0) << 16))

/* ------------------------------------------------------------------------------------------------ */
/* GHCB MSR protocol (GHCB 2.3.1): bits 11:0 of the MSR value are the request/response code. */
#define GHCB_MSR_INFO_MASK 0xfffull
#define GHCB_MSR_SEV_INFO_RESP 0x001ull
#define GHCB_MSR_SEV_INFO_REQ 0x002ull
#define GHCB_MSR_CPUID_REQ 0x004ull
#define GHCB_MSR_CPUID_RESP 0x005ull
#define GHCB_MSR_REG_GPA_REQ 0x012ull
#define GHCB_MSR_REG_GPA_RESP 0x013ull
#define GHCB_MSR_PSC_REQ 0x014ull
#define GHCB_MSR_PSC_RESP 0x015ull
#define GHCB_MSR_RUN_VMPL_REQ 0x016ull
#define GHCB_MSR_RUN_VMPL_RESP 0x017ull
#define GHCB_MSR_HV_FT_REQ 0x080ull
#define GHCB_MSR_HV_FT_RESP 0x081ull
#define GHCB_MSR_TERM_REQ 0x100ull

/* SEV_INFO response: 63:48 max version, 47:32 min version, 31:24 C-bit position. */
#define GHCB_PROTOCOL_VERSION 2u
/* HV features (GHCB 2.3.1 / NAE 0x8000_FFFD). */
#define GHCB_HV_FT_SNP (1ull << 0)
#define GHCB_HV_FT_AP_CREATION (1ull << 1)
#define GHCB_HV_FT_RESTRICTED_INJ (1ull << 2)
#define GHCB_HV_FT_MULTI_VMPL (1ull << 5)
#define GHCB_HV_FT_REQUIRED (GHCB_HV_FT_SNP | GHCB_HV_FT_AP_CREATION | GHCB_HV_FT_MULTI_VMPL)

/* MSR-protocol PSC: 51:12 GFN, 55:52 operation; response 63:32 error. */
#define GHCB_PSC_OP_PRIVATE 1u
#define GHCB_PSC_OP_SHARED 2u
/* GHCB-page PSC only (GHCB 4.1.6): split a 2 MiB RMP entry into 512 4 KiB ones (the host runs PSMASH),
 * or join them again (UNSMASH). Entries name the 2 MiB-aligned GFN with the 2 MiB size bit. */
#define GHCB_PSC_OP_PSMASH 3u
#define GHCB_PSC_OP_UNSMASH 4u

/* Termination reason set 0 (GHCB 2.3.1), codes Mantle uses. Set 1 is Mantle's own. */
#define GHCB_TERM_SET_GENERAL 0u
#define GHCB_TERM_GENERAL_REQUEST 0u
#define GHCB_TERM_PROTOCOL_RANGE 1u
#define GHCB_TERM_SNP_UNSUPPORTED 2u
#define GHCB_TERM_SET_MANTLE 1u

/* ------------------------------------------------------------------------------------------------ */
/* SVM / NAE exit codes (APM2 appendix C; GHCB table 7). */
#define SVM_EXIT_RDTSC 0x6eull
#define SVM_EXIT_RDTSCP 0x87ull
#define SVM_EXIT_WBINVD 0x89ull
#define SVM_EXIT_VMGEXIT 0x403ull
#define SVM_EXIT_PAGE_NOT_VALIDATED 0x404ull /* #VC error code: access to a page with Validated = 0 */

#define SVM_VMGEXIT_MMIO_READ 0x80000001ull
#define SVM_VMGEXIT_MMIO_WRITE 0x80000002ull
#define SVM_VMGEXIT_PSC 0x80000010ull
#define SVM_VMGEXIT_GUEST_REQUEST 0x80000011ull
#define SVM_VMGEXIT_EXT_GUEST_REQUEST 0x80000012ull
#define SVM_VMGEXIT_AP_CREATION 0x80000013ull
#define SVM_VMGEXIT_HV_DOORBELL 0x80000014ull
#define SVM_VMGEXIT_RUN_VMPL 0x80000018ull
#define SVM_VMGEXIT_HV_FEATURES 0x8000fffdull
#define SVM_VMGEXIT_TERMINATE 0x8000fffeull

/* AP creation EXITINFO1 (GHCB 4.1.9): 31:0 request (VMPL in 19:16), 63:32 APIC ID. */
#define SNP_AP_CREATE_ON_INIT 0u
#define SNP_AP_CREATE 1u
#define SNP_AP_DESTROY 2u

/* IOIO EXITINFO1 (APM2 15.10.2). */

/* NPF EXITINFO1 (APM2 15.25.6). */

/* EVENTINJ (APM2 15.20). */

/* ------------------------------------------------------------------------------------------------ */
/* The GHCB page (GHCB table 3). The save-area part reuses the VMSA offsets. */
struct snp_ghcb {
	uint8_t reserved_000[0x0cb];
	uint8_t cpl;                    /* 0x0cb */
	uint8_t reserved_0cc[0x140 - 0x0cc];
	uint64_t xss;                   /* 0x140 */
	uint8_t reserved_148[0x160 - 0x148];
	uint64_t dr7;                   /* 0x160 */
	uint8_t reserved_168[0x1f8 - 0x168];
	uint64_t rax;                   /* 0x1f8 */
	uint8_t reserved_200[0x308 - 0x200];
	uint64_t rcx;                   /* 0x308 */
	uint64_t rdx;                   /* 0x310 */
	uint64_t rbx;                   /* 0x318 */
	uint64_t reserved_320;
	uint64_t rbp, rsi, rdi;         /* 0x328 */
	uint64_t r8_r15[8];             /* 0x340 */
	uint8_t reserved_380[0x390 - 0x380];
	uint64_t sw_exit_code;          /* 0x390 */
	uint64_t sw_exit_info1;         /* 0x398 */
	uint64_t sw_exit_info2;         /* 0x3a0 */
	uint64_t sw_scratch;            /* 0x3a8 */
	uint8_t reserved_3b0[0x3e8 - 0x3b0];
	uint64_t xcr0;                  /* 0x3e8 */
	uint8_t valid_bitmap[16];       /* 0x3f0 */
	uint64_t x87_state_gpa;         /* 0x400 */
	uint8_t reserved_408[0x800 - 0x408];
	uint8_t shared_buffer[0x7f0];   /* 0x800 */
	uint8_t reserved_ff0[10];
	uint16_t protocol_version;      /* 0xffa */
	uint32_t ghcb_usage;            /* 0xffc */
};
_Static_assert(sizeof(struct snp_ghcb) == 4096, "GHCB table 3: one 4 KiB page");
_Static_assert(offsetof(struct snp_ghcb, rax) == 0x1f8, "GHCB table 3: RAX");
_Static_assert(offsetof(struct snp_ghcb, rcx) == 0x308, "GHCB table 3: RCX");
_Static_assert(offsetof(struct snp_ghcb, rbx) == 0x318, "GHCB table 3: RBX");
_Static_assert(offsetof(struct snp_ghcb, sw_exit_code) == 0x390, "GHCB table 3: SW_EXITCODE");
_Static_assert(offsetof(struct snp_ghcb, sw_scratch) == 0x3a8, "GHCB table 3: SW_SCRATCH");
_Static_assert(offsetof(struct snp_ghcb, xcr0) == 0x3e8, "GHCB table 3: XCR0");
_Static_assert(offsetof(struct snp_ghcb, valid_bitmap) == 0x3f0, "GHCB table 3: VALID_BITMAP");
_Static_assert(offsetof(struct snp_ghcb, shared_buffer) == 0x800, "GHCB table 3: SHARED_BUFFER");
_Static_assert(offsetof(struct snp_ghcb, protocol_version) == 0xffa, "GHCB table 3: PROTOCOL_VERSION");
_Static_assert(offsetof(struct snp_ghcb, ghcb_usage) == 0xffc, "GHCB table 3: GHCB_USAGE");

/* A field's bit in VALID_BITMAP is its offset / 8 (GHCB 2.3.2). */
#define GHCB_FIELD_BIT(field) (offsetof(struct snp_ghcb, field) / 8)
#define GHCB_USAGE_STANDARD 0u

/* SW_EXITINFO1[31:0] after VMGEXIT (GHCB 2.3.2). */
#define GHCB_RESULT_OK 0u
#define GHCB_RESULT_ERROR 1u
#define GHCB_RESULT_INJECT 2u

/* ------------------------------------------------------------------------------------------------ */
/* Page State Change buffer (GHCB 4.1.6), in the GHCB shared buffer: 8-byte header, 253 entries. */
struct snp_psc_hdr {
	uint16_t cur_entry;
	uint16_t end_entry;
	uint32_t reserved;
};
#define SNP_PSC_MAX_ENTRIES 253u
struct snp_psc_desc {
	struct snp_psc_hdr hdr;
	uint64_t entries[SNP_PSC_MAX_ENTRIES];
};
_Static_assert(sizeof(struct snp_psc_hdr) == 8, "GHCB 4.1.6: PSC header is 8 bytes");
_Static_assert(sizeof(struct snp_psc_desc) == 8 + 253 * 8, "GHCB 4.1.6: header + 253 entries");
_Static_assert(sizeof(struct snp_psc_desc) <= sizeof(((struct snp_ghcb *)0)->shared_buffer),
	       "GHCB 4.1.6: the PSC buffer fits in the shared buffer");
/* Entry: 11:0 cur_page, 51:12 GFN, 55:52 operation, 56 page size (1 = 2 MiB). */
#define SNP_PSC_ENTRY(gfn, op, is2m) \
	(((uint64_t)(gfn) << 12) | ((uint64_t)(op) << 52) | ((uint64_t)((is2m) ? 1 : 0) << 56))
#define SNP_PSC_GFN_MASK 0x000ffffffffff000ull
#define SNP_PSC_OP_SHIFT 52
#define SNP_PSC_SIZE_2M (1ull << 56)
#define SNP_PSC_CUR_PAGE_MASK 0xfffull

/* ------------------------------------------------------------------------------------------------ */
/* The SNP VMSA: the VMCB state save area extended for SEV-ES/SNP (APM2 table B-4). Only fields Mantle
 * reads or writes are named; the rest is reserved padding. */
struct snp_vmsa {
	struct vp_segment es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x000 */
	uint8_t reserved_0a0[0x0ca - 0x0a0];
	uint8_t vmpl;                   /* 0x0ca */
	uint8_t cpl;                    /* 0x0cb */
	uint32_t reserved_0cc;
	uint64_t efer;                  /* 0x0d0 */
	uint8_t reserved_0d8[0x148 - 0x0d8];
	uint64_t cr4, cr3, cr0;         /* 0x148 */
	uint64_t dr7, dr6;              /* 0x160 */
	uint64_t rflags;                /* 0x170 */
	uint64_t rip;                   /* 0x178 */
	uint8_t reserved_180[0x1d8 - 0x180];
	uint64_t rsp;                   /* 0x1d8 */
	uint8_t reserved_1e0[0x1f8 - 0x1e0];
	uint64_t rax;                   /* 0x1f8 */
	uint8_t reserved_200[0x240 - 0x200];
	uint64_t cr2;                   /* 0x240 */
	uint8_t reserved_248[0x268 - 0x248];
	uint64_t g_pat;                 /* 0x268 */
	uint8_t reserved_270[0x308 - 0x270];
	uint64_t rcx, rdx, rbx;         /* 0x308 */
	uint64_t reserved_320;
	uint64_t rbp, rsi, rdi;         /* 0x328 */
	uint64_t r8_r15[8];             /* 0x340 */
	uint8_t reserved_380[0x390 - 0x380];
	uint64_t guest_exit_info1;      /* 0x390 */
	uint64_t guest_exit_info2;      /* 0x398 */
	uint64_t guest_exit_int_info;   /* 0x3a0 */
	uint64_t guest_nrip;            /* 0x3a8 */
	uint64_t sev_features;          /* 0x3b0 */
	uint64_t vintr_ctrl;            /* 0x3b8 */
	uint64_t guest_exit_code;       /* 0x3c0 */
	uint64_t virtual_tom;           /* 0x3c8 */
	uint64_t tlb_id, pcpu_id;       /* 0x3d0 */
	uint64_t event_inj;             /* 0x3e0 */
	uint64_t xcr0;                  /* 0x3e8 */
	uint8_t reserved_3f0[0x408 - 0x3f0];
	uint32_t mxcsr;                 /* 0x408 */
	uint16_t x87_ftw, x87_fsw, x87_fcw, x87_fop; /* 0x40c */
	uint8_t reserved_414[0x470 - 0x414];
	uint8_t xmm[16][16];            /* 0x470 */
	uint8_t ymm_hi[16][16];         /* 0x570 */
	uint8_t reserved_670[0x1000 - 0x670];
};
_Static_assert(sizeof(struct snp_vmsa) == 4096, "APM2 B-4: the VMSA is one 4 KiB page");
_Static_assert(offsetof(struct snp_vmsa, vmpl) == 0x0ca, "APM2 B-4: VMPL");
_Static_assert(offsetof(struct snp_vmsa, efer) == 0x0d0, "APM2 B-4: EFER");
_Static_assert(offsetof(struct snp_vmsa, cr4) == 0x148, "APM2 B-4: CR4");
_Static_assert(offsetof(struct snp_vmsa, rip) == 0x178, "APM2 B-4: RIP");
_Static_assert(offsetof(struct snp_vmsa, rsp) == 0x1d8, "APM2 B-4: RSP");
_Static_assert(offsetof(struct snp_vmsa, rax) == 0x1f8, "APM2 B-4: RAX");
_Static_assert(offsetof(struct snp_vmsa, g_pat) == 0x268, "APM2 B-4: G_PAT");
_Static_assert(offsetof(struct snp_vmsa, rcx) == 0x308, "APM2 B-4: RCX");
_Static_assert(offsetof(struct snp_vmsa, r8_r15) == 0x340, "APM2 B-4: R8");
_Static_assert(offsetof(struct snp_vmsa, guest_exit_info1) == 0x390, "APM2 B-4: GUEST_EXITINFO1");
_Static_assert(offsetof(struct snp_vmsa, sev_features) == 0x3b0, "APM2 B-4: SEV_FEATURES");
_Static_assert(offsetof(struct snp_vmsa, vintr_ctrl) == 0x3b8, "APM2 B-4: VINTR_CTRL");
_Static_assert(offsetof(struct snp_vmsa, guest_exit_code) == 0x3c0, "APM2 B-4: GUEST_EXIT_CODE");
_Static_assert(offsetof(struct snp_vmsa, event_inj) == 0x3e0, "APM2 B-4: EVENTINJ");
_Static_assert(offsetof(struct snp_vmsa, xcr0) == 0x3e8, "APM2 B-4: XCR0");
_Static_assert(offsetof(struct snp_vmsa, mxcsr) == 0x408, "APM2 B-4: MXCSR");
_Static_assert(offsetof(struct snp_vmsa, x87_fcw) == 0x410, "APM2 B-4: x87 FCW");
_Static_assert(offsetof(struct snp_vmsa, xmm) == 0x470, "APM2 B-4: XMM registers");
_Static_assert(offsetof(struct snp_vmsa, ymm_hi) == 0x570, "APM2 B-4: YMM high halves");

/* VINTR_CTRL (APM2 B-4): a virtual interrupt the CPU delivers once the guest can take it. */
#define SNP_VINTR_V_IRQ (1ull << 8)
#define SNP_VINTR_V_GIF (1ull << 9)
#define SNP_VINTR_PRIO_SHIFT 16
#define SNP_VINTR_V_IGN_TPR (1ull << 20)
#define SNP_VINTR_VECTOR_SHIFT 32

/* ------------------------------------------------------------------------------------------------ */
/* SNP CPUID page (SNP ABI "CPUID page"): up to 64 entries. */
struct snp_cpuid_fn {
	uint32_t eax_in, ecx_in;
	uint64_t xcr0_in, xss_in;
	uint32_t eax, ebx, ecx, edx;
	uint64_t reserved;
};
#define SNP_CPUID_MAX 64u
struct snp_cpuid_page {
	uint32_t count;
	uint32_t reserved0;
	uint64_t reserved1;
	struct snp_cpuid_fn fn[SNP_CPUID_MAX];
	uint8_t reserved2[4096 - 16 - 64 * 48];
};
_Static_assert(sizeof(struct snp_cpuid_fn) == 48, "SNP ABI CPUID page: 48-byte entries");
_Static_assert(sizeof(struct snp_cpuid_page) == 4096, "SNP ABI CPUID page: one page");

/* ------------------------------------------------------------------------------------------------ */
/* Secrets page (SNP ABI "Secrets page", version 2+). */
struct snp_secrets {
	uint32_t version;
	uint32_t imien;
	uint32_t fms;
	uint32_t reserved_00c;
	uint8_t gosvw[16];
	uint8_t vmpck[4][32];           /* 0x020 */
	uint8_t os_area[96];            /* 0x0a0 */
	uint8_t vmsa_tweak_bitmap[64];  /* 0x100 */
	uint8_t reserved_140[0x1000 - 0x140];
};
_Static_assert(sizeof(struct snp_secrets) == 4096, "SNP ABI: secrets page is one page");
_Static_assert(offsetof(struct snp_secrets, vmpck) == 0x020, "SNP ABI: VMPCK0 at 0x20");
_Static_assert(offsetof(struct snp_secrets, os_area) == 0x0a0, "SNP ABI: OS area at 0xa0");

/* ------------------------------------------------------------------------------------------------ */
/* Guest messages (SNP ABI "Guest messages", message header table). */
struct snp_msg_hdr {
	uint8_t authtag[32];            /* 0x00: first 16 bytes hold the AES-GCM tag */
	uint64_t msg_seqno;             /* 0x20 */
	uint64_t reserved_28;
	uint8_t algo;                   /* 0x30 */
	uint8_t hdr_version;            /* 0x31 */
	uint16_t hdr_size;              /* 0x32 */
	uint8_t msg_type;               /* 0x34 */
	uint8_t msg_version;            /* 0x35 */
	uint16_t msg_size;              /* 0x36 */
	uint32_t reserved_38;
	uint8_t msg_vmpck;              /* 0x3c */
	uint8_t reserved_3d[35];
};
_Static_assert(sizeof(struct snp_msg_hdr) == 0x60, "SNP ABI guest message header: 0x60 bytes");
_Static_assert(offsetof(struct snp_msg_hdr, msg_seqno) == 0x20, "SNP ABI: MSG_SEQNO");
_Static_assert(offsetof(struct snp_msg_hdr, algo) == 0x30, "SNP ABI: AAD starts at ALGO");
_Static_assert(offsetof(struct snp_msg_hdr, msg_size) == 0x36, "SNP ABI: MSG_SIZE");
_Static_assert(offsetof(struct snp_msg_hdr, msg_vmpck) == 0x3c, "SNP ABI: MSG_VMPCK");

#define SNP_MSG_AAD_OFFSET 0x30u
#define SNP_MSG_AAD_LEN 0x30u
#define SNP_MSG_PAYLOAD_MAX (SNP_PAGE_SIZE - sizeof(struct snp_msg_hdr))
#define SNP_AEAD_AES_256_GCM 1u
#define SNP_MSG_HDR_VERSION 1u
#define SNP_MSG_VERSION 1u

#define SNP_MSG_KEY_REQ 3u
#define SNP_MSG_KEY_RSP 4u
#define SNP_MSG_REPORT_REQ 5u
#define SNP_MSG_REPORT_RSP 6u

/* Extended guest request (GHCB 4.1.8): RAX = GPA of the certificate buffer (shared, contiguous),
 * RBX = its size in pages. A buffer too small is answered with SNP_GUEST_REQ_HV_INVALID_LEN and RBX
 * = the pages needed; the message was then not given to the PSP (its sequence number is unused).
 * The buffer starts with a table of entries {GUID, offset, length} ending with an all-zero entry;
 * offsets are from the start of the buffer. GUIDs (Linux Documentation/virt/coco/sev-guest.rst) [M]:
 * VCEK 63da758d-e664-4564-adc5-f4b93be8accd, VLEK a8074bc2-a25a-483e-aae6-39c045a0b8a1,
 * ASK 4ab7b379-bbac-4fe4-a02f-05aef327c782, ARK c0b406a4-a803-4952-9743-3fb6014cd0ae. */
struct snp_cert_table_entry {
	uint8_t guid[16];
	uint32_t offset;
	uint32_t length;
};
_Static_assert(sizeof(struct snp_cert_table_entry) == 24, "GHCB 4.1.8: certificate table entries are 24 bytes");
_Static_assert(offsetof(struct snp_cert_table_entry, offset) == 16, "GHCB 4.1.8: offset after the GUID");

/* Guest-request HV errors, SW_EXITINFO2[63:32] (GHCB 4.1.7). */
#define SNP_GUEST_REQ_HV_INVALID_LEN 1u
#define SNP_GUEST_REQ_HV_BUSY 2u

struct snp_report_req {
	uint8_t report_data[64];
	uint32_t vmpl;
	uint32_t flags;                 /* 1:0 KEY_SEL */
	uint8_t reserved[24];
};
_Static_assert(sizeof(struct snp_report_req) == 0x60, "SNP ABI MSG_REPORT_REQ: 0x60 bytes");

/* ATTESTATION_REPORT (SNP ABI "ATTESTATION_REPORT structure"); the signature covers 0x000–0x29F. */
struct snp_report {
	uint32_t version;
	uint32_t guest_svn;
	uint64_t policy;
	uint8_t family_id[16];
	uint8_t image_id[16];
	uint32_t vmpl;                  /* 0x030 */
	uint32_t signature_algo;        /* 0x034 */
	uint64_t current_tcb;
	uint64_t platform_info;
	uint32_t flags;                 /* 0x048 */
	uint32_t reserved_04c;
	uint8_t report_data[64];        /* 0x050 */
	uint8_t measurement[48];        /* 0x090 */
	uint8_t host_data[32];          /* 0x0c0 */
	uint8_t id_key_digest[48];      /* 0x0e0 */
	uint8_t author_key_digest[48];  /* 0x110 */
	uint8_t report_id[32];          /* 0x140 */
	uint8_t report_id_ma[32];       /* 0x160 */
	uint64_t reported_tcb;          /* 0x180 */
	uint8_t reserved_188[24];
	uint8_t chip_id[64];            /* 0x1a0 */
	uint8_t reserved_1e0[192];
	uint8_t sig_r[72];              /* 0x2a0: little-endian */
	uint8_t sig_s[72];              /* 0x2e8 */
	uint8_t sig_reserved[368];
};
_Static_assert(sizeof(struct snp_report) == 0x4a0, "SNP ABI: ATTESTATION_REPORT is 0x4A0 bytes");
_Static_assert(offsetof(struct snp_report, vmpl) == 0x030, "SNP ABI: report VMPL");
_Static_assert(offsetof(struct snp_report, report_data) == 0x050, "SNP ABI: REPORT_DATA");
_Static_assert(offsetof(struct snp_report, measurement) == 0x090, "SNP ABI: MEASUREMENT");
_Static_assert(offsetof(struct snp_report, chip_id) == 0x1a0, "SNP ABI: CHIP_ID");
_Static_assert(offsetof(struct snp_report, sig_r) == 0x2a0, "SNP ABI: SIGNATURE");
#define SNP_REPORT_SIGNED_LEN 0x2a0u
#define SNP_REPORT_SIG_ECDSA_P384_SHA384 1u

struct snp_report_rsp {
	uint32_t status;
	uint32_t report_size;
	uint8_t reserved[24];
	struct snp_report report;       /* 0x20 */
};
_Static_assert(offsetof(struct snp_report_rsp, report) == 0x20, "SNP ABI MSG_REPORT_RSP: report at 0x20");

/* MSG_KEY_REQ / MSG_KEY_RSP (SNP ABI "MSG_KEY_REQ"). */
struct snp_key_req {
	uint32_t root_key_select;       /* bit 0: 0 = VCEK, 1 = VMRK; 2:1 KEY_SEL */
	uint32_t reserved_04;
	uint64_t guest_field_select;    /* 0x08 */
	uint32_t vmpl;                  /* 0x10 */
	uint32_t guest_svn;             /* 0x14 */
	uint64_t tcb_version;           /* 0x18 */
};
_Static_assert(sizeof(struct snp_key_req) == 0x20, "SNP ABI MSG_KEY_REQ: 0x20 bytes");

struct snp_key_rsp {
	uint32_t status;
	uint8_t reserved[28];
	uint8_t derived_key[32];        /* 0x20 */
};
_Static_assert(sizeof(struct snp_key_rsp) == 0x40, "SNP ABI MSG_KEY_RSP: 0x40 bytes");

#endif
