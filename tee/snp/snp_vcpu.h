/* Guest vCPUs under SNP: the guest runs at a lower VMPL (SNP_GUEST_VMPL) from a VMSA that Mantle
 * builds in its own memory and protects with RMPADJUST (VMSA attribute, guest VMPL read-only), registers
 * with the host through the AP Creation NAE, and enters through the GHCB "Run VMPL" request.
 *
 * The guest is unmodified: it sees no SNP. Its VMSA runs with ReflectVC, so every #VC condition (CPUID,
 * port and MSR accesses, MMIO faults, HLT...) exits to VMPL0 instead of reaching the guest, and with
 * Alternate Injection, so only Mantle (through the VMSA's EVENTINJ) delivers events to it — the host
 * cannot inject anything. Each exit becomes a normalised struct vp_exit for the core.
 *
 * [M] The exit-to-VMPL0 contract assumed for ReflectVC (GUEST_EXIT_CODE = the #VC error code, i.e. the
 * SVM exit code; GUEST_EXITINFO1/2 as for that exit; RIP at the instruction) is the reading of APM
 * vol. 2 15.36 documented in docs/tee-snp.md; it is what tests/sim models.
 */
#ifndef MANTLE_TEE_SNP_SNP_VCPU_H
#define MANTLE_TEE_SNP_SNP_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "core/vp.h"
#include "tee/snp/snp_abi.h"
#include "tee/snp/snp_ghcb.h"
#include "tee/snp/snp_mem.h"

#define SNP_GUEST_VMPL 2u

enum snp_vcpu_status {
	SNP_VCPU_OK = 0,
	SNP_VCPU_BAD_PAGE,      /* the VMSA page is not a validated Mantle page, or is 2 MiB-aligned */
	SNP_VCPU_RMPADJUST,     /* the page could not be made a VMSA */
	SNP_VCPU_HOST_REFUSED,  /* AP Creation failed */
};

struct snp_vcpu {
	struct snp_vmsa *vmsa;
	uint64_t vmsa_gpa;
	uint8_t vmpl;
	uint32_t apic_id;
	uint64_t sev_features;
	uint64_t pending_event;  /* EVENTINJ value for the next entry, 0 = none */
	bool live;               /* registered with the host and not destroyed: Mantle may enter it */
};

/* SEV_FEATURES for the unmodified guest's VMSA, from Mantle's own SEV_STATUS: SNP, plus what
 * isolation Mantle itself runs with (vTOM, PreventHostIBS, BTB isolation, SMT protection), plus
 * ReflectVC and AlternateInjection; never RestrictedInjection or DebugSwap (Mantle's own settings). */
uint64_t snp_guest_sev_features(uint64_t sev_status);

/* Builds the VMSA at `vmsa_gpa` (one of Mantle's validated pages, not 2 MiB-aligned) from `regs`,
 * protects it and registers it for APIC ID `apic_id` with the host. */
SNP_MUST_CHECK enum snp_vcpu_status snp_vcpu_create(struct snp_vcpu *v, struct snp_mem *m,
						    struct snp_ghcb_state *g, uint64_t vmsa_gpa,
						    uint8_t vmpl, uint32_t apic_id, uint64_t sev_features,
						    const struct vp_regs *regs);

/* The same for an application processor the guest starts now (AP Creation "create", request 1): the
 * host makes the VMSA runnable at once instead of at the vCPU's next INIT. */
SNP_MUST_CHECK enum snp_vcpu_status snp_vcpu_start(struct snp_vcpu *v, struct snp_mem *m,
						   struct snp_ghcb_state *g, uint64_t vmsa_gpa,
						   uint8_t vmpl, uint32_t apic_id, uint64_t sev_features,
						   const struct vp_regs *regs);

/* AP Creation "destroy" (request 2), then the page loses the VMSA attribute (RMPADJUST) and is wiped:
 * a host that keeps the VMSA registered cannot run it any more. The vCPU is never entered again,
 * even when the host refuses (SNP_VCPU_HOST_REFUSED) — the page is then still safe to reuse. */
SNP_MUST_CHECK enum snp_vcpu_status snp_vcpu_destroy(struct snp_vcpu *v, struct snp_mem *m,
						     struct snp_ghcb_state *g);

/* Writes vp->regs into the VMSA, runs the guest VMPL until it exits to Mantle, reads the registers back
 * and fills vp->exit. A page the host remapped under the guest terminates the guest. */
void snp_vcpu_run(struct snp_vcpu *v, struct snp_mem *m, struct vp *vp);

/* Queues an event for the next entry (Alternate Injection: EVENTINJ in the VMSA). */
void snp_vcpu_inject(struct snp_vcpu *v, const struct vp_event *ev);

/* Posts external interrupt `vector` in VINTR_CTRL (V_IRQ): the CPU delivers it when the guest enables
 * interrupts, without an exit. One at a time: false while an earlier one is still posted. */
bool snp_vcpu_post_irq(struct snp_vcpu *v, uint8_t vector);

/* The guest's XMM/YMM register `reg` in the VMSA (len 16 or 32). */
void snp_vcpu_vec(struct snp_vcpu *v, unsigned reg, uint8_t *buf, uint32_t len, bool write);

/* Decodes the VMSA's exit into `e` (exposed for tests and fuzzing: takes the exit fields only). */
void snp_decode_exit(uint64_t code, uint64_t info1, uint64_t info2, const struct vp_regs *regs,
		     struct vp_exit *e);

#endif
