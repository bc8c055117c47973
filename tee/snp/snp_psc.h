/* Private <-> shared conversion: Page State Change requests to the host (GHCB NAE 0x8000_0010) paired
 * with PVALIDATE, so a page is never shared while validated and never used as private before
 * Mantle validated it itself.
 *
 * The host's PSC answer is untrusted: it is copied once and checked (result, header range, entries
 * unchanged, progress). A host that lies about having assigned a page is caught by the PVALIDATE that
 * follows (it fails or reports no change); a host that lies about having released one only hurts
 * itself: the page stays encrypted.
 */
#ifndef MANTLE_TEE_SNP_SNP_PSC_H
#define MANTLE_TEE_SNP_SNP_PSC_H

#include <stdint.h>

#include "tee/snp/snp_ghcb.h"
#include "tee/snp/snp_mem.h"

enum snp_psc_status {
	SNP_PSC_OK = 0,
	SNP_PSC_RANGE,          /* bad range or page state for the request: nothing done */
	SNP_PSC_HV_ERROR,       /* the host reported an error (EXITINFO2 != 0 or result 1) */
	SNP_PSC_BAD_RESPONSE,   /* header out of range, entries edited, no progress: host misbehaves */
	SNP_PSC_VALIDATE,       /* the PVALIDATE after a "successful" PSC failed: the host lied */
};

/* Sends one PSC for [gpa, gpa + pages * 4 KiB) with operation `op` (GHCB_PSC_OP_*), in as many
 * GHCB calls as needed; 2 MiB entries where the range covers aligned 2 MiB blocks. */
SNP_MUST_CHECK enum snp_psc_status snp_psc(struct snp_ghcb_state *g, uint64_t gpa, uint64_t pages,
					   uint32_t op);

/* Private -> shared: zero, rescind validation, PSC shared. */
SNP_MUST_CHECK enum snp_psc_status snp_mem_make_shared(struct snp_mem *m, struct snp_ghcb_state *g,
						       uint64_t gpa, uint64_t pages);
/* Shared (or unassigned) -> private: PSC private, PVALIDATE (must change the RMP), zero. */
SNP_MUST_CHECK enum snp_psc_status snp_mem_make_private(struct snp_mem *m, struct snp_ghcb_state *g,
							uint64_t gpa, uint64_t pages);

#endif
