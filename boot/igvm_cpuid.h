/* The SNP CPUID page template Mantle's IGVM file carries (page-data type CPUID_DATA at
 * IGVM_SNP_CPUID_GPA): the leaves Mantle and its guest-facing CPUID policy read, with zero outputs.
 *
 * At launch the loader fills in each listed leaf's values for the vCPU model it runs and hands the
 * page to the PSP (SNP_LAUNCH_UPDATE, page type CPUID), which checks the values against the
 * platform and refuses the launch if they claim what the CPU does not have (SNP Firmware ABI,
 * "CPUID reporting"). The page's contents are not part of the launch digest (type 6 pages are
 * measured with zero CONTENTS), so the list can change without changing MEASUREMENT — it is, however,
 * part of the file (image-sha256). Mantle answers its own CPUID from the accepted page; leaves it
 * does not list read as zero (tee/snp/snp_vc.c), and the guest sees them only through the core's
 * CPUID policy (core/x86/cpuid.c). Shared by tools/igvm/igvmgen.c and the tests.
 */
#ifndef MANTLE_BOOT_IGVM_CPUID_H
#define MANTLE_BOOT_IGVM_CPUID_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* SNP Firmware ABI, "CPUID page": count, 12 reserved bytes, up to 64 48-byte entries. */
struct igvm_snp_cpuid_entry {
	uint32_t eax_in, ecx_in;
	uint64_t xcr0_in, xss_in;
	uint32_t eax, ebx, ecx, edx;
	uint64_t reserved;
};
_Static_assert(sizeof(struct igvm_snp_cpuid_entry) == 48, "SNP ABI CPUID page: 48-byte entries");
#define IGVM_SNP_CPUID_MAX 64u
#define IGVM_SNP_CPUID_HEADER 16u

struct igvm_snp_cpuid_leaf {
	uint32_t leaf, subleaf;
	uint64_t xcr0;      /* XCR0 the values are for: leaf 0xD's sizes depend on it */
};

/* Standard and extended leaves in the ranges Mantle reports, x87 state only for leaf 0xD. */
static const struct igvm_snp_cpuid_leaf igvm_snp_cpuid_leaves[] = {
	{ 0x00000000, 0, 0 }, { 0x00000001, 0, 0 }, { 0x00000004, 0, 0 }, { 0x00000004, 1, 0 },
	{ 0x00000004, 2, 0 }, { 0x00000004, 3, 0 }, { 0x00000006, 0, 0 }, { 0x00000007, 0, 0 },
	{ 0x00000007, 1, 0 }, { 0x0000000b, 0, 0 }, { 0x0000000b, 1, 0 }, { 0x0000000d, 0, 1 },
	{ 0x0000000d, 1, 1 }, { 0x80000000, 0, 0 }, { 0x80000001, 0, 0 }, { 0x80000002, 0, 0 },
	{ 0x80000003, 0, 0 }, { 0x80000004, 0, 0 }, { 0x80000005, 0, 0 }, { 0x80000006, 0, 0 },
	{ 0x80000007, 0, 0 }, { 0x80000008, 0, 0 }, { 0x8000001f, 0, 0 },
};
#define IGVM_SNP_CPUID_LEAVES (sizeof(igvm_snp_cpuid_leaves) / sizeof(igvm_snp_cpuid_leaves[0]))
_Static_assert(IGVM_SNP_CPUID_LEAVES <= IGVM_SNP_CPUID_MAX, "the CPUID page holds 64 entries");

/* Writes the template into a zeroed 4 KiB page. */
static inline void igvm_snp_cpuid_template(uint8_t page[4096])
{
	uint32_t count = (uint32_t)IGVM_SNP_CPUID_LEAVES;

	memset(page, 0, 4096);
	memcpy(page, &count, sizeof(count));
	for (size_t i = 0; i < IGVM_SNP_CPUID_LEAVES; i++) {
		struct igvm_snp_cpuid_entry e = { .eax_in = igvm_snp_cpuid_leaves[i].leaf,
						  .ecx_in = igvm_snp_cpuid_leaves[i].subleaf,
						  .xcr0_in = igvm_snp_cpuid_leaves[i].xcr0 };
		memcpy(page + IGVM_SNP_CPUID_HEADER + i * sizeof(e), &e, sizeof(e));
	}
}

#endif
