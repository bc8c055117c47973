/* Exit decoding shared by the backends whose guest exits arrive in SVM form: tee/none (the VMCB of
 * VMRUN) and tee/snp (the exit fields of the guest's VMSA after Run VMPL with ReflectVC). */
#ifndef MANTLE_TEE_SVM_EXIT_H
#define MANTLE_TEE_SVM_EXIT_H

#include <stdint.h>

#include "core/vp.h"

/* Normalises an SVM exit code and its EXITINFO1/2 into *e. The instruction lengths come from what
 * each exit implies (CPUID/RDMSR/WRMSR 2 bytes, HLT 1, VMMCALL 3, IOIO from EXITINFO2 = next RIP),
 * so no NRIPS or decode assist is needed. Unknown codes, and VMEXIT_INVALID, are VP_EXIT_FAILED. */
void svm_decode_exit(uint64_t code, uint64_t info1, uint64_t info2, const struct vp_regs *regs,
		     struct vp_exit *e);

#endif
