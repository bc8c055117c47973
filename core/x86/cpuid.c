#include "core/x86/cpuid.h"

#include "core/version.h"

/* Leaf 1 (SDM vol. 2, CPUID): ECX bit 27 OSXSAVE, bit 31 hypervisor present; bit 5 VMX. */
#define L1_ECX_VMX (1u << 5)
#define L1_ECX_OSXSAVE (1u << 27)
#define L1_ECX_HYPERVISOR (1u << 31)
/* Leaf 0x80000001 ECX bit 2: SVM (APM vol. 3, E.4.2). */
#define EXT1_ECX_SVM (1u << 2)
#define CR4_OSXSAVE (1u << 18)
#define EXT_SVM_LEAF 0x8000000au   /* SVM revision and features */
#define EXT_SEV_LEAF 0x8000001fu   /* SEV, SEV-ES, SEV-SNP capabilities */
#define TDX_LEAF 0x21u             /* "IntelTDX    " inside a TD */

static uint32_t parse_number(const char **p)
{
	uint32_t v = 0;

	while (**p >= '0' && **p <= '9' && v < 1000)
		v = v * 10 + (uint32_t)(*(*p)++ - '0');
	if (**p == '.')
		(*p)++;
	return v;
}

uint32_t cpuid_mantle_version(void)
{
	const char *p = mantle_version;
	uint32_t major = parse_number(&p), minor = parse_number(&p), patch = parse_number(&p);

	return (major & 0xff) << 16 | (minor & 0xff) << 8 | (patch & 0xff);
}

static struct cpuid_result mantle_leaf(const struct vp *vp, uint32_t leaf)
{
	switch (leaf) {
	case CPUID_MANTLE_BASE:
		return (struct cpuid_result){ CPUID_MANTLE_MAX, CPUID_MANTLE_SIG_EBX, CPUID_MANTLE_SIG_ECX,
					      CPUID_MANTLE_SIG_EDX };
	case CPUID_MANTLE_VERSION:
		return (struct cpuid_result){ cpuid_mantle_version(), 0, 0, 0 };
	case CPUID_MANTLE_ISOLATION:
		return (struct cpuid_result){ ISOLATION_PARAVISOR_PRESENT, vp->tee->isolation & 0xf, 0, 0 };
	default:
		/* Beyond Mantle's range: all zeros, like an unimplemented hypervisor leaf. */
		return (struct cpuid_result){ 0, 0, 0, 0 };
	}
}

struct cpuid_result cpuid_guest(const struct vp *vp, uint32_t leaf, uint32_t subleaf)
{
	if (leaf >= CPUID_MANTLE_BASE && leaf < 0x80000000u)
		return mantle_leaf(vp, leaf);
	if (leaf == EXT_SVM_LEAF || leaf == EXT_SEV_LEAF || leaf == TDX_LEAF)
		return (struct cpuid_result){ 0, 0, 0, 0 };

	struct cpuid_result r = vp->tee->cpuid(leaf, subleaf);
	switch (leaf) {
	case 1:
		r.ecx |= L1_ECX_HYPERVISOR;
		r.ecx &= ~L1_ECX_VMX;
		r.ecx &= ~L1_ECX_OSXSAVE;
		if (vp->regs.cr4 & CR4_OSXSAVE)
			r.ecx |= L1_ECX_OSXSAVE;
		break;
	case 0x80000001u:
		r.ecx &= ~EXT1_ECX_SVM;
		break;
	default:
		break;
	}
	return r;
}
