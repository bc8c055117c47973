/* Talking to the untrusted host: the GHCB MSR protocol (early boot, one 64-bit value through MSR
 * 0xC001_0130) and the GHCB page (a shared 4 KiB page registered with the host).
 *
 * Every answer is copied out of shared memory once (the MSR value into a local, the GHCB page into a
 * private copy) and validated there: response codes, echoed values, the valid bitmap of each register
 * the caller needs, and the SW_EXITINFO1 result. Mantle never reads the shared page again after the
 * copy.
 */
#ifndef MANTLE_TEE_SNP_SNP_GHCB_H
#define MANTLE_TEE_SNP_SNP_GHCB_H

#include <stdbool.h>
#include <stdint.h>

#include "tee/snp/snp_abi.h"
#include "tee/snp/snp_mem.h"

enum snp_ghcb_status {
	SNP_GHCB_OK = 0,
	SNP_GHCB_HV_ERROR,      /* SW_EXITINFO1 = 1: the host refused; details in info2 */
	SNP_GHCB_BAD_RESPONSE,  /* wrong response code, echo, result or valid bitmap: host misbehaves */
	SNP_GHCB_NOT_READY,     /* no GHCB page registered yet */
};

/* Registers a caller passes in and gets back. `in` / `out` are SNP_GHCB_R_* masks: which registers
 * the request sets, and which the response must mark valid. */
#define SNP_GHCB_R_RAX (1u << 0)
#define SNP_GHCB_R_RBX (1u << 1)
#define SNP_GHCB_R_RCX (1u << 2)
#define SNP_GHCB_R_RDX (1u << 3)
#define SNP_GHCB_R_XCR0 (1u << 4)

struct snp_ghcb_call {
	uint64_t exit_code, info1, info2, scratch;
	uint64_t rax, rbx, rcx, rdx, xcr0;
	uint32_t in, out;
	bool use_scratch;
};

struct snp_ghcb_state {
	struct snp_ghcb *page;      /* the shared page, or NULL before registration */
	uint64_t gpa;
	uint64_t hv_features;
	struct snp_ghcb copy;       /* private copy of the last response */
};

/* Mantle's termination codes (reason set GHCB_TERM_SET_MANTLE). */
#define SNP_TERM_GREQ_RESPONSE 1u  /* a guest-request response failed authentication or checks */
#define SNP_TERM_REMAP 2u          /* the host remapped a page Mantle had validated */
#define SNP_TERM_BOOT 3u           /* the platform or host could not be set up safely */
#define SNP_TERM_RUN 4u            /* Run VMPL failed or the guest VMSA is unusable */
#define SNP_TERM_VC_NESTED 5u      /* a #VC inside Mantle's own #VC handler */
#define SNP_TERM_VC_UNKNOWN 6u     /* Mantle's own #VC with an exit code it never causes */
#define SNP_TERM_VC_HOST 7u        /* the host failed one of Mantle's own #VC requests */

/* One MSR-protocol exchange: writes `req`, VMGEXIT, returns what the host put in the MSR. */
uint64_t snp_msr_protocol(uint64_t req);

/* Asks the host to terminate the guest (GHCB MSR 0x100) and never returns. */
__attribute__((noreturn)) void snp_terminate(uint32_t set, uint32_t code);

/* SEV_INFO and HV features (MSR protocol): protocol 2 must be in the host's range and the features
 * Mantle needs (SNP, AP creation, multi-VMPL) present; otherwise the guest is terminated. */
SNP_MUST_CHECK enum snp_ghcb_status snp_ghcb_negotiate(struct snp_ghcb_state *g);

/* MSR-protocol page state change of one 4 KiB page (op GHCB_PSC_OP_*). */
SNP_MUST_CHECK enum snp_ghcb_status snp_msr_psc(uint64_t gpa, uint32_t op);

/* Makes Mantle's page at `gpa` the GHCB: rescind validation, PSC to shared (MSR protocol), register
 * the GFN (the host must echo it). The page stays Mantle's (never granted to the guest). */
SNP_MUST_CHECK enum snp_ghcb_status snp_ghcb_setup(struct snp_ghcb_state *g, struct snp_mem *m,
						   uint64_t gpa);

/* One GHCB-page exchange. On SNP_GHCB_OK, c's output fields hold the validated answer. */
SNP_MUST_CHECK enum snp_ghcb_status snp_ghcb_call(struct snp_ghcb_state *g, struct snp_ghcb_call *c);

/* Whether the host marked `bit` (GHCB_FIELD_BIT) valid in its last answer (the private copy). */
bool snp_ghcb_copy_valid(const struct snp_ghcb_state *g, size_t bit);

/* GPA of the GHCB's shared buffer (SW_SCRATCH for PSC and MMIO) and a pointer to it. */
static inline uint64_t snp_ghcb_scratch_gpa(const struct snp_ghcb_state *g)
{
	return g->gpa + offsetof(struct snp_ghcb, shared_buffer);
}

/* Run VMPL (MSR protocol): enters the VMSA the host knows for `vmpl` on this vCPU; returns when that
 * VMPL exits to VMPL0. */
SNP_MUST_CHECK enum snp_ghcb_status snp_run_vmpl(uint8_t vmpl);

#endif
