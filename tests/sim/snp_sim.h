/* A simulated SEV-SNP platform for host tests of tee/snp: the hardware (RMP, PVALIDATE, RMPADJUST,
 * VMSA and #VC reflection), a GHCB-servicing hypervisor that can misbehave on purpose, and a PSP that
 * answers guest requests. It implements the arch/x86_64/hw.h primitives the backend calls in host
 * builds (MANTLE_HOST). Test code only: never linked into the image.
 *
 * Guest-physical memory is one 2 MiB-aligned buffer; GPA g lives at snp_host_va_base + g. The launch
 * runs with vTOM (VIRTUAL_TOM = 2^46): accesses below vTOM are private, and a shared page is reached
 * through its alias above vTOM, which the model keeps as a second buffer (the shared view, GPA g at
 * snp_host_shared_va_base + g): what the host reads and writes of shared pages. Converting a page
 * copies its bytes to the other view in plaintext (pessimistic: a missing wipe shows).
 *
 * Model simplifications (docs/tee-snp.md lists them): the paravisor's own plain loads and stores are
 * not checked against the RMP; PVALIDATE of a page not assigned to the guest returns FAIL_INPUT and
 * counts an RMP #NPF (hardware exits to the host instead).
 */
#ifndef MANTLE_TESTS_SIM_SNP_SIM_H
#define MANTLE_TESTS_SIM_SNP_SIM_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/exception.h"
#include "tee/snp/snp_abi.h"

#define SNP_SIM_MEM_SIZE (16u << 20)
#define SNP_SIM_PAGES (SNP_SIM_MEM_SIZE / SNP_PAGE_SIZE)

struct snp_sim_rmp {
	bool assigned;      /* private to the guest (else hypervisor-owned: shared) */
	bool validated;
	bool size_2m;       /* part of a 2 MiB RMP entry */
	bool vmsa;
	uint8_t perms[4];   /* per VMPL; VMPL0 always has all */
	uint32_t backing;   /* changes every time the host gives the GPA a new physical page */
};

/* Ways the host misbehaves (bit flags, combinable). */
enum snp_sim_host_mode {
	SNP_SIM_HONEST = 0,
	SNP_SIM_HOST_4K_ONLY = 1u << 0,       /* backs private memory with 4 KiB RMP entries */
	SNP_SIM_HOST_PSC_LIE = 1u << 1,       /* GHCB-page PSC: reports success, changes nothing */
	SNP_SIM_HOST_PSC_BAD_HDR = 1u << 2,   /* PSC: cur_entry beyond end_entry + 1 */
	SNP_SIM_HOST_PSC_EDIT = 1u << 3,      /* PSC: rewrites an entry's GFN in the shared buffer */
	SNP_SIM_HOST_GREQ_REPLAY = 1u << 4,   /* guest request: replays the previous response */
	SNP_SIM_HOST_GREQ_TAMPER = 1u << 5,   /* guest request: flips a ciphertext bit */
	SNP_SIM_HOST_GREQ_BUSY_ONCE = 1u << 6,/* guest request: BUSY once, then serves it */
	SNP_SIM_HOST_GHCB_BAD_VALID = 1u << 7,/* CPUID/MSR answers without the valid bits */
	SNP_SIM_HOST_GHCB_BAD_RESULT = 1u << 8,/* SW_EXITINFO1 = 7 (undefined) */
	SNP_SIM_HOST_REG_WRONG_GFN = 1u << 9, /* GHCB registration answered for another GFN */
	SNP_SIM_HOST_OLD_PROTOCOL = 1u << 10, /* offers GHCB protocol 1 only */
	SNP_SIM_HOST_INJECT = 1u << 11,       /* tries to inject vector 0x30 into the guest VMSA */
	SNP_SIM_HOST_RUN_FAIL = 1u << 12,     /* Run VMPL answered with an error */
	SNP_SIM_HOST_PSMASH_LIE = 1u << 13,   /* PSC PSMASH: reports success, leaves the 2 MiB entry */
	SNP_SIM_HOST_AP_DESTROY_LIE = 1u << 15,/* AP destroy: reports success, keeps the VMSA registered */
	SNP_SIM_HOST_PSMASH_RESET = 1u << 14, /* PSC PSMASH: splits, but gives every page a fresh
					       * (unvalidated) backing page: a remap of the block */
};

#define SNP_SIM_MAX_VMSAS 4

/* How the host fills the certificate buffer of an extended guest request (one at a time). */
enum snp_sim_cert_lie {
	SNP_SIM_CERTS_HONEST = 0,
	SNP_SIM_CERTS_OVERLAP,        /* the ASK entry's data overlaps the VCEK's */
	SNP_SIM_CERTS_PAST_END,       /* the ARK entry's length runs past the buffer */
	SNP_SIM_CERTS_WRAP,           /* offset + length wraps around 2^32 */
	SNP_SIM_CERTS_NO_TERMINATOR,  /* entries all the way to the end, no all-zero entry */
	SNP_SIM_CERTS_IN_TABLE,       /* an entry's data starts inside the table */
	SNP_SIM_CERTS_HUGE,           /* "too small" with RBX = 1000 pages, every time */
	SNP_SIM_CERTS_SAME_RBX,       /* "too small" with RBX = the pages offered (no progress) */
	SNP_SIM_CERTS_NO_RBX,         /* "too small" without marking RBX valid */
};
#define SNP_SIM_CERT_COUNT 3

struct snp_sim {
	uint8_t *mem;                /* private view (below vTOM) */
	uint8_t *shared;             /* shared view (the alias above vTOM) */
	struct snp_sim_rmp rmp[SNP_SIM_PAGES];
	uint32_t mode;

	/* CPU */
	bool cpu_has_sev;            /* CPUID 0x8000001F present with SEV/ES/SNP */
	uint64_t sev_status;
	uint64_t ghcb_msr;
	uint64_t msr_gp;             /* RDMSR/WRMSR of an MSR the model lacks (#GP on hardware) */
	uint64_t npf;                /* RMP #NPFs (PVALIDATE of a page not assigned) */
	uint32_t force_rc;           /* nonzero: PVALIDATE and RMPADJUST return this code */

	/* hypervisor */
	uint64_t ghcb_gfn;           /* registered GHCB GFN, 0 = none */
	uint64_t hv_features;
	uint64_t psc_calls, greq_calls, runs, psmash_calls;
	bool busy_sent;
	uint64_t io_out_log[64];     /* (port << 32) | value of OUTs Mantle sent through the GHCB */
	uint32_t io_out_count;
	uint64_t vmsa_gpa[SNP_SIM_MAX_VMSAS]; /* registered by AP creation, indexed by APIC ID */
	uint64_t vmsa_features[SNP_SIM_MAX_VMSAS];
	bool vmsa_runnable[SNP_SIM_MAX_VMSAS]; /* "create" (now) vs "create on INIT" (after an INIT) */
	uint32_t cpu;                /* APIC ID of the vCPU Mantle is running on (Run VMPL's vCPU) */
	uint64_t ap_creates, ap_destroys;
	uint64_t doorbell_gpa;       /* registered #HV doorbell page */
	uint64_t inject_blocked;     /* host injection attempts the hardware refused */
	uint64_t guest_events[16];   /* EVENTINJ values the guest model took, in order */
	uint32_t guest_event_count;
	uint32_t guest_steps;        /* instructions the guest model executed */

	/* certificates the host serves with extended guest requests (table + data) */
	uint8_t certs[3 * 4096];
	uint32_t certs_len;
	uint32_t cert_lie;
	uint64_t ext_calls;

	/* Mantle's own accesses (snp_sim_mantle_touch), CPUIDs (hw_cpuid raises #VC) and validations */
	uint8_t validations[SNP_SIM_PAGES]; /* times each page went from not validated to validated */
	uint64_t unvalidated_touches;  /* Mantle touched a page that was not validated (#VC 0x404) */
	uint64_t cpuid_vcs, unhandled_vcs;
	bool in_vc_cpuid;
	uint64_t msr_cpuid_calls;      /* MSR-protocol CPUID requests (0x004) */
	/* the arch services the backend calls (tests/sim/snp_sim_core.c) */
	uint32_t port_io_ready_calls;
	uint64_t port_io_ready_ghcb_gfn; /* the registered GHCB when the arch was told port I/O works */
	uint64_t alias_maps;           /* pages whose vTOM alias the backend mapped */

	/* the arch's exception vectors a backend took (x86_set_vector_handler) */
	x86_vector_fn vector_fn[32];

	/* fuzzing: called after the host serviced a request, to replace what it answered */
	void (*tamper_ghcb)(struct snp_ghcb *page);
	uint64_t (*tamper_msr)(uint64_t response);
	void (*tamper_greq)(uint8_t *rsp_page);

	/* termination (GHCB MSR 0x100) */
	bool terminated;
	uint32_t term_set, term_code;
	jmp_buf *term_jmp;           /* longjmp target when set, else the test aborts */

	/* PSP */
	uint8_t vmpck[4][32];
	uint64_t psp_seqno[4];       /* last sequence number the PSP saw per VMPCK */
	uint8_t last_rsp[4096];      /* for replay */
	bool have_last_rsp;
	uint8_t measurement[48];
	uint64_t reports, keys;
};

extern struct snp_sim snp_sim;

/* The honest certificate table (VCEK, ASK, ARK stand-ins) into snp_sim.certs. */
void snp_sim_certs_default(void);

/* Fresh platform: SNP active, all memory hypervisor-owned; `mode` selects misbehaviour. */
void snp_sim_init(uint32_t mode);
void snp_sim_fini(void);

static inline void *snp_sim_ptr(uint64_t gpa)
{
	return snp_sim.mem + gpa;
}

/* The shared view of a GPA: where the host reads and writes shared pages. */
static inline void *snp_sim_shared_ptr(uint64_t gpa)
{
	return snp_sim.shared + gpa;
}

/* Mantle's memory map for whole-backend tests: [0, 2 MiB) Mantle (validated at launch, pool from
 * 0x40000), the rest guest RAM; provides core_memmap() and core_alloc_pages(). */
void snp_sim_layout(void);

/* Mantle touching [gpa, gpa + len) privately (stores of the core's allocator in whole-backend tests):
 * false, after raising #VC 0x404 to the vector-29 handler if one is installed, when a page is not
 * validated. */
bool snp_sim_mantle_touch(uint64_t gpa, uint64_t len);

/* Whole-backend layout of an IGVM launch: Mantle's image [0, 1 MiB) loaded and launch-validated but
 * for its last two pages (not loaded, like igvmgen's spare boot-region pages), guest RAM [1, 2) MiB,
 * Mantle's pool [2, 4) MiB assigned by the host but not validated (the core's pool outside the
 * loaded pages), guest RAM above. Records the launch ranges (core/tee.h) as boot/igvm.c does. */
void snp_sim_layout_igvm(void);
#define SNP_SIM_IGVM_SPARE 0xfe000ull
#define SNP_SIM_IGVM_GHCB 0x30000ull /* the image's GHCB page (a .bss page in the real image) */
#define SNP_SIM_IGVM_IMAGE_END 0x100000ull
#define SNP_SIM_IGVM_POOL 0x200000ull
#define SNP_SIM_IGVM_POOL_END 0x400000ull

/* Host RMPUPDATE: assign (private) or release (shared) pages; validated is cleared either way. */
void snp_sim_host_assign(uint64_t gpa, uint64_t pages, bool private_, bool size_2m);
/* The launch (PSP) validating pages, as for measured IGVM pages. */
void snp_sim_launch_validate(uint64_t gpa, uint64_t pages);
/* Host remaps a GPA to a fresh physical page: assigned, not validated, new contents. */
void snp_sim_host_remap(uint64_t gpa, uint8_t fill);

/* The host signals an event through the #HV doorbell page (vector, flags); false if none registered. */
bool snp_sim_host_doorbell(uint8_t vector, uint8_t flags);

/* What the host sees of a page: plaintext for shared pages, a scrambled image for private ones. */
void snp_sim_host_read(uint64_t gpa, void *buf, uint32_t len);
/* True when `needle` occurs in any page the host can read in plaintext (shared pages). */
bool snp_sim_host_sees(const void *needle, uint32_t len);

/* Guest vCPU model: runs the VMSA registered for APIC ID snp_sim.cpu at `vmpl` until a #VC condition, which
 * ReflectVC turns into an exit to VMPL0 (GUEST_EXIT_CODE/EXITINFO1/2 in the VMSA, RIP at the
 * instruction). It executes a small instruction set from guest memory (flat, paging off): CPUID,
 * RDMSR/WRMSR, IN/OUT (imm8 and DX forms, 8/32-bit), HLT, VMMCALL, CLI, STI, MOV EAX/ECX/EDX,imm32 and
 * MOV EAX,[disp32] / MOV [disp32],EAX. Accesses beyond RAM exit as MMIO (NPF); to a page that is not
 * validated as #VC 0x404; without the VMPL's RMP permission or on an unknown opcode the guest is
 * shut down (exit 0x7F). A virtual interrupt posted in VINTR_CTRL (V_IRQ) is taken before any
 * instruction once RFLAGS.IF = 1. Returns false when the host cannot run the VMSA. */
bool snp_sim_guest_run(uint8_t vmpl);

/* PSP: answers one guest request; returns SW_EXITINFO2 for the host. */
uint64_t snp_sim_psp_request(uint64_t req_gpa, uint64_t rsp_gpa);
/* The test VCEK's public key, uncompressed SEC1 point (97 bytes). */
void snp_sim_vcek_public(uint8_t out[97]);
/* The key the PSP derives for a MSG_KEY_REQ (the model's definition, for tests). */
void snp_sim_psp_derive(const struct snp_key_req *req, uint32_t vmpl, uint8_t out[32]);
void snp_sim_psp_init(void);
void snp_sim_psp_fini(void);

#endif
