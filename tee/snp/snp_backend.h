/* The `snp` backend's services beyond core/tee.h (proposed as tee ops in docs/tee-snp.md; exported
 * here until the interface has them). */
#ifndef MANTLE_TEE_SNP_SNP_BACKEND_H
#define MANTLE_TEE_SNP_SNP_BACKEND_H

#include <stdint.h>

#include "core/tee.h"
#include "tee/snp/snp_abi.h"
#include "tee/snp/snp_greq.h"
#include "tee/snp/snp_mem.h"

extern const struct tee_backend snp_tee_backend;

/* Where the launch (IGVM parameter/page directives) put the secrets and CPUID pages, inside Mantle's
 * memory; called by the boot path before init. 0 = none (guest requests or the CPUID page are then
 * unavailable). */
void snp_set_launch_pages(uint64_t secrets_gpa, uint64_t cpuid_gpa);

/* An attestation report for `vmpl` (0 = Mantle's own, SNP_GUEST_VMPL = the guest's) carrying
 * `report_data` (MSG_REPORT_REQ under VMPCK0). */
SNP_MUST_CHECK enum snp_greq_status snp_backend_attest(const uint8_t report_data[64], uint32_t vmpl,
						       struct snp_report *out);
/* The same as an extended guest request: the report plus the host's certificate table, copied and
 * checked (certs->status says why there are none). */
SNP_MUST_CHECK enum snp_greq_status snp_backend_attest_ext(const uint8_t report_data[64], uint32_t vmpl,
							   struct snp_report *out, struct snp_certs *certs);
/* A key derived by the PSP (MSG_KEY_REQ), e.g. for sealing vTPM state. */
SNP_MUST_CHECK enum snp_greq_status snp_backend_derive_key(const struct snp_key_req *req,
							   uint8_t key[32]);

/* Stops a vCPU created by vp_create (AP Creation "destroy"; the VMSA page loses its VMSA attribute).
 * The vCPU is never entered again; 0, or -1 if the host refused (still stopped on Mantle's side). The
 * core's SMP wiring (INIT/SIPI through core/x86/vp.c) is not done: tests call this directly. */
int snp_backend_vp_destroy(struct vp *vp);

/* Doorbell events from the host that Mantle refused (exception vectors, #MC). */
uint64_t snp_backend_doorbell_refused(void);

/* The backend's memory state (for the #VC path and tests). */
struct snp_mem *snp_backend_mem(void);

/* Forgets what the early hook (x86_early_platform) found, the early-validated ranges and the launch
 * ranges: host tests start each platform afresh. */
void snp_backend_early_reset(void);

#ifdef MANTLE_HOST
/* tests/sim: the GHCB page's GPA (a launch page of the model's layout), or 0 to take a pool page. */
extern uint64_t snp_host_ghcb_gpa;
#endif

#endif
