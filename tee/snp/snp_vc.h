/* Mantle's own #VC handling (vector 29): what happens when Mantle itself, at VMPL0 under SEV-SNP,
 * executes an instruction the host must see (CPUID, RDMSR/WRMSR, IN/OUT).
 *
 * CPUID is answered from the SNP CPUID page (checked by the PSP at launch) when Mantle has one, else
 * through the GHCB MSR protocol (early boot) or the GHCB page; MSR and port I/O go through the GHCB
 * page. Anything else Mantle does not expect from itself terminates the guest.
 *
 * Wiring: the arch exception code (arch/x86_64/exception.c) does not route vector 29 here yet; the
 * proposed hook is in docs/tee-snp.md. Until then the handler is exercised by the host tests.
 */
#ifndef MANTLE_TEE_SNP_SNP_VC_H
#define MANTLE_TEE_SNP_SNP_VC_H

#include <stdbool.h>
#include <stdint.h>

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

/* CPUID from the CPUID page: true when the page has the leaf (out filled). */
bool snp_cpuid_lookup(const struct snp_cpuid_page *p, uint32_t leaf, uint32_t subleaf,
		      uint32_t out[4]);

/* CPUID through the host (MSR protocol, one register per exchange); false if the host misbehaves. */
bool snp_cpuid_msr_protocol(uint32_t leaf, uint32_t out[4]);

#endif
