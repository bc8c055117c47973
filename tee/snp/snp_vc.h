/* Mantle's own #VC handling (vector 29): what happens when Mantle itself, at VMPL0 under SEV-SNP,
 * executes an instruction the host must see (CPUID, RDMSR/WRMSR, IN/OUT).
 *
 * CPUID is answered from the SNP CPUID page (checked by the PSP at launch) when Mantle has one, else
 * through the GHCB MSR protocol (early boot) or the GHCB page; MSR and port I/O go through the GHCB
 * page. Anything else Mantle does not expect from itself terminates the guest.
 *
 * Wiring: snp_vc_install() takes vectors 29 (#VC, on its own IST stack) and 28 (#HV) through the
 * arch's x86_set_vector_handler(); the snp probe installs it before its first CPUID, so from then on
 * Mantle's CPUID/MSR/port accesses are completed here: with the MSR protocol before the GHCB page is
 * registered, with the GHCB page afterwards. Each #VC either completes the instruction (RIP advanced
 * by its length) or terminates the guest — there is no "return and fault again":
 *   - a #VC while the handler runs (nested) is fatal: the handler executes no instruction that can
 *     raise one (the GHCB MSR and VMGEXIT do not), so a nested #VC means Mantle's state or the host's
 *     RMP handling is broken, and the IST stack the outer #VC is using has just been reused;
 *   - 0x404 (page not validated) on Mantle's own access: the host remapped Mantle's memory;
 *   - any other exit code Mantle never causes (MMIO included: Mantle has no MMIO device of its own
 *     under SNP), and a host that fails a request: terminate, never resume with a wrong result.
 */
#ifndef MANTLE_TEE_SNP_SNP_VC_H
#define MANTLE_TEE_SNP_SNP_VC_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/exception.h"
#include "tee/snp/snp_abi.h"
#include "tee/snp/snp_ghcb.h"

/* The interrupted context as the #VC handler sees it. */
struct snp_vc_ctx {
	uint64_t rax, rbx, rcx, rdx;
	uint64_t rip;
};

struct snp_vc {
	struct snp_ghcb_state *ghcb;        /* NULL before the GHCB page is registered */
	const struct snp_cpuid_page *cpuid; /* private copy, or NULL */
};

enum snp_vc_status {
	SNP_VC_OK = 0,          /* handled, RIP advanced */
	SNP_VC_UNSUPPORTED,     /* not an exit Mantle expects from itself */
	SNP_VC_HOST_FAILED,     /* the host refused or misbehaved */
};

/* Handles one #VC with error code `exit_code`; the instruction bytes are read at ctx->rip. */
SNP_MUST_CHECK enum snp_vc_status snp_vc_handle(const struct snp_vc *vc, struct snp_vc_ctx *ctx,
						uint64_t exit_code);

/* Routes vectors 29 and 28 to this module with `vc` as the state (kept by the caller: its ghcb and
 * cpuid pointers may be filled in later, e.g. once the GHCB page is registered). */
void snp_vc_install(const struct snp_vc *vc);
/* Gives the vectors back (the probe found no SNP). */
void snp_vc_uninstall(void);

/* The vector-29 handler: completes the instruction in `f` or terminates the guest. */
void snp_vc_exception(struct x86_frame *f);
/* The vector-28 handler: the host rang the #HV doorbell while Mantle ran. The event stays in the
 * doorbell page and is taken before the next guest entry (snp_backend), so this only counts it. */
void snp_hv_exception(struct x86_frame *f);
/* #HV notifications seen (statistics, tests). */
uint64_t snp_hv_notifications(void);

/* The launch's CPUID page, checked in Mantle's private copy: at most 64 entries, reserved fields
 * zero, a subleaf only for leaves that have subleaves, and no two entries for the same input. */
bool snp_cpuid_page_check(const struct snp_cpuid_page *p);

/* CPUID from the CPUID page: true when the page has the leaf (out filled). */
bool snp_cpuid_lookup(const struct snp_cpuid_page *p, uint32_t leaf, uint32_t subleaf,
		      uint32_t out[4]);

/* CPUID through the host (MSR protocol, one register per exchange); false if the host misbehaves. */
bool snp_cpuid_msr_protocol(uint32_t leaf, uint32_t out[4]);

#endif
