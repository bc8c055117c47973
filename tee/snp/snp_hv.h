/* The #HV doorbell page (GHCB specification v2, "#HV doorbell page"; NAE 0x8000_0014).
 *
 * Mantle runs with Restricted Injection: the host may only raise #HV (vector 28) in VMPL0 and writes
 * the event it wants delivered into a shared doorbell page. Mantle takes the event with one atomic
 * fetch-and-clear of the page's first two bytes (the one read of shared memory), checks it, and
 * forwards a valid external interrupt to the guest through Alternate Injection. Layout [S]:
 *   byte 0 pending vector (0 = none), byte 1 flags (bit 0 NMI, bit 1 #MC, bit 7 NoFurtherSignal),
 *   byte 2 no_eoi_required.
 */
#ifndef MANTLE_TEE_SNP_SNP_HV_H
#define MANTLE_TEE_SNP_SNP_HV_H

#include <stdbool.h>
#include <stdint.h>

#include "core/vp.h"
#include "tee/snp/snp_ghcb.h"
#include "tee/snp/snp_mem.h"

#define SNP_HV_FLAG_NMI (1u << 0)
#define SNP_HV_FLAG_MC (1u << 1)
#define SNP_HV_FLAG_NO_FURTHER_SIGNAL (1u << 7)

#define SNP_HV_DOORBELL_SET 1u
#define SNP_HV_DOORBELL_QUERY 2u

enum snp_hv_status {
	SNP_HV_OK = 0,
	SNP_HV_PSC,             /* the page could not be made shared */
	SNP_HV_HOST_REFUSED,    /* the host refused the registration */
	SNP_HV_BAD_RESPONSE,    /* the query did not return the registered GPA */
};

struct snp_hv {
	uint64_t gpa;           /* the shared doorbell page, 0 = none */
	uint64_t bogus;         /* events the host signalled that Mantle refused (vector < 32, #MC) */
};

/* Makes Mantle's page at `gpa` shared and registers it as this vCPU's doorbell. */
SNP_MUST_CHECK enum snp_hv_status snp_hv_setup(struct snp_hv *hv, struct snp_mem *m,
					       struct snp_ghcb_state *g, uint64_t gpa);

/* Takes the pending event, if any, into `ev` (external interrupt or NMI). Vectors below 32 and #MC
 * requests are refused (counted in hv->bogus): the host does not get to raise exceptions. */
bool snp_hv_take(struct snp_hv *hv, struct vp_event *ev);

#endif
