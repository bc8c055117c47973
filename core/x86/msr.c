#include "core/x86/msr.h"

/* Bits a guest may set in EFER; SVME stays the backend's (it must be set under SVM, and the guest was
 * told SVM does not exist). LMA is read-only: the CPU sets it when paging turns on with LME. */
#define EFER_GUEST_WRITABLE (EFER_SCE | EFER_LME | EFER_NXE | EFER_LMSLE | EFER_FFXSR | EFER_TCE)

const uint32_t msr_policy_list[] = {
	MSR_EFER, MSR_VM_CR, MSR_VM_HSAVE_PA, MSR_SEV_GHCB, MSR_SEV_STATUS,
};
const uint32_t msr_policy_count = sizeof(msr_policy_list) / sizeof(msr_policy_list[0]);

int msr_guest_read(struct vp *vp, uint32_t index, uint64_t *value)
{
	if (index == MSR_EFER) {
		*value = vp->regs.efer;
		return 0;
	}
	/* The SVM and SEV MSRs: absent on a CPU without those features, so #GP. */
	return -1;
}

int msr_guest_write(struct vp *vp, uint32_t index, uint64_t value)
{
	if (index != MSR_EFER)
		return -1;
	if (value & ~(EFER_GUEST_WRITABLE | EFER_LMA))
		return -1;
	/* Changing LME while paging is on is #GP on hardware too (APM vol. 2, 14.6.1). */
	if ((vp->regs.cr0 & (1ull << 31)) && ((value ^ vp->regs.efer) & EFER_LME))
		return -1;
	vp->regs.efer = (value & EFER_GUEST_WRITABLE) | (vp->regs.efer & EFER_LMA);
	return 0;
}
