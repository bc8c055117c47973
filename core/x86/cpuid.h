/* The CPUID the guest sees: the platform's values with the paravisor's policy applied.
 *
 * - The hypervisor bit is set and Mantle's leaves answer at 0x40000000: vendor signature, version,
 *   and an isolation-configuration leaf modelled on Hyper-V's (docs/guest-interface.md).
 * - SVM, SEV/SEV-ES/SEV-SNP and TDX enumeration are hidden: the guest is told it runs in a CVM through
 *   Mantle's leaf, but it is not in charge of the confidential features.
 * - OSXSAVE follows the guest's own CR4, not Mantle's.
 */
#ifndef MANTLE_CORE_X86_CPUID_H
#define MANTLE_CORE_X86_CPUID_H

#include <stdint.h>

#include "core/tee.h"
#include "core/vp.h"

#define CPUID_MANTLE_BASE 0x40000000u
#define CPUID_MANTLE_VERSION 0x40000001u
#define CPUID_MANTLE_ISOLATION 0x40000002u
#define CPUID_MANTLE_MAX CPUID_MANTLE_ISOLATION
/* "MantlePVisor" in EBX, ECX, EDX. */
#define CPUID_MANTLE_SIG_EBX 0x746e614du /* "Mant" */
#define CPUID_MANTLE_SIG_ECX 0x5650656cu /* "lePV" */
#define CPUID_MANTLE_SIG_EDX 0x726f7369u /* "isor" */

/* Isolation leaf, EAX bit 0 and EBX bits 3:0 (same encoding as Hyper-V's leaf 0x4000000C). */
#define ISOLATION_PARAVISOR_PRESENT 1u
#define ISOLATION_NONE 0u
#define ISOLATION_VBS 1u
#define ISOLATION_SNP 2u
#define ISOLATION_TDX 3u

struct cpuid_result cpuid_guest(const struct vp *vp, uint32_t leaf, uint32_t subleaf);

/* Mantle's version as reported in leaf 0x40000001 EAX: major << 16 | minor << 8 | patch. */
uint32_t cpuid_mantle_version(void);

#endif
