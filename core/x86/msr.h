/* The guest's view of the MSRs Mantle must own: EFER without the virtualization bit, and the SVM/SEV
 * MSRs that do not exist for a guest that is not told about SVM or SEV. Backends intercept exactly the
 * MSRs in msr_policy_list; every other MSR is the platform's business. */
#ifndef MANTLE_CORE_X86_MSR_H
#define MANTLE_CORE_X86_MSR_H

#include <stdint.h>

#include "core/vp.h"

#define MSR_EFER 0xc0000080u
#define MSR_VM_CR 0xc0010114u      /* APM vol. 2, 15.30.1 */
#define MSR_VM_HSAVE_PA 0xc0010117u
#define MSR_SEV_GHCB 0xc0010130u   /* GHCB MSR protocol */
#define MSR_SEV_STATUS 0xc0010131u

#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define EFER_SVME (1ull << 12)
#define EFER_LMSLE (1ull << 13)
#define EFER_FFXSR (1ull << 14)
#define EFER_TCE (1ull << 15)

extern const uint32_t msr_policy_list[];
extern const uint32_t msr_policy_count;

/* Return 0 on success, non-zero to make the guest take #GP. */
int msr_guest_read(struct vp *vp, uint32_t index, uint64_t *value);
int msr_guest_write(struct vp *vp, uint32_t index, uint64_t value);

#endif
