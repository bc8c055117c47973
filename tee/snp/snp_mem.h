/* Guest-physical memory under SEV-SNP: PVALIDATE, RMPADJUST and the validated-page bitmap.
 *
 * The RMP (owned by the hardware, changed by the host with RMPUPDATE) says which pages are assigned to
 * this guest and whether each is validated. The host can change it behind Mantle's back: it can give a
 * validated GPA a fresh, unvalidated backing page (a "remap") and hope Mantle validates it again, or
 * keep an old validated page around to swap in later. So Mantle keeps its own record of intent, one
 * bit per 4 KiB page, and believes it over the RMP:
 *   - a page is PVALIDATEd only when its bit is clear, and PVALIDATE must then report a change
 *     (RFLAGS.CF = 0); CF = 1 means the RMP already had it validated: refused;
 *   - a #VC "page not validated" (0x404) on a page whose bit is set means the host remapped it: fatal.
 * A second bitmap marks Mantle's own pages (image, pool, GHCB, VMSAs): RMPADJUST never grants a lower
 * VMPL any access to them.
 *
 * Addresses are guest-physical; PVALIDATE and RMPADJUST take a virtual address, which is the GPA plus
 * SNP_VA_BASE (0 in the image, which identity-maps memory; the simulated platform's buffer in tests).
 */
#ifndef MANTLE_TEE_SNP_SNP_MEM_H
#define MANTLE_TEE_SNP_SNP_MEM_H

#include <stdbool.h>
#include <stdint.h>

#include "tee/snp/snp_abi.h"

#define SNP_MUST_CHECK __attribute__((warn_unused_result))

#ifdef MANTLE_HOST
extern uintptr_t snp_host_va_base; /* tests/sim: where the model's guest-physical memory lives */
#define SNP_VA_BASE snp_host_va_base
#else
#define SNP_VA_BASE ((uintptr_t)0)
#endif

static inline void *snp_va(uint64_t gpa)
{
	return (void *)(uintptr_t)(gpa + SNP_VA_BASE);
}

/* Shared pages (GHCB, guest-request messages, certificates, doorbell) under vTOM: Mantle runs with
 * VIRTUAL_TOM = 2^46 (igvmgen's VMSA), so every access below vTOM is private whatever the page tables
 * say, and a shared page is reached only through its alias at GPA + vTOM, which Mantle's page tables
 * map identically (x86_mmu_map_data). The host is always given the GPA itself (below vTOM). In tests
 * the simulated platform keeps the shared view in a buffer of its own. docs/tee-snp.md "vTOM". */
#define SNP_VTOM (1ull << 46)
#ifdef MANTLE_HOST
extern uintptr_t snp_host_shared_va_base;
#define SNP_SHARED_VA_BASE snp_host_shared_va_base
#else
#define SNP_SHARED_VA_BASE ((uintptr_t)SNP_VTOM)
#endif

static inline void *snp_shared_va(uint64_t gpa)
{
	return (void *)(uintptr_t)(gpa + SNP_SHARED_VA_BASE);
}

enum snp_mem_status {
	SNP_MEM_OK = 0,
	SNP_MEM_RANGE,          /* outside the tracked memory, unaligned, or empty: nothing done */
	SNP_MEM_DOUBLE,         /* a page in the range is already validated (bitmap): nothing done */
	SNP_MEM_NOT_VALIDATED,  /* invalidate/grant of a page the bitmap says is not validated */
	SNP_MEM_OWNED,          /* grant of one of Mantle's own pages: nothing done */
	SNP_MEM_HW_UNCHANGED,   /* PVALIDATE succeeded with CF = 1: the RMP disagrees with the bitmap */
	SNP_MEM_HW_INPUT,       /* FAIL_INPUT */
	SNP_MEM_HW_PERMISSION,  /* RMPADJUST FAIL_PERMISSION */
	SNP_MEM_HW_SIZE,        /* FAIL_SIZEMISMATCH on a 4 KiB operation (the host kept a 2 MiB page) */
	SNP_MEM_HW_UNKNOWN,     /* a return code the APM does not define for the instruction */
};

struct snp_mem {
	uint64_t *valid;        /* 1 bit per 4 KiB page: validated by Mantle (or at launch) */
	uint64_t *owned;        /* 1 bit per 4 KiB page: Mantle's own */
	uint64_t pages;         /* tracked GPAs are [0, pages * 4 KiB) */
	uint64_t pvalidate_2m, pvalidate_4k, size_fallbacks; /* statistics for logs and tests */
	uint64_t psmash;        /* 2 MiB RMP entries split on request (tee/snp/snp_psc.c) */
};

/* Bitmap words needed for `pages` pages. */
static inline uint64_t snp_mem_words(uint64_t pages)
{
	return (pages + 63) / 64;
}

/* Starts tracking [0, pages * 4 KiB) with both bitmaps (snp_mem_words(pages) words each, zeroed). */
void snp_mem_setup(struct snp_mem *m, uint64_t *valid, uint64_t *owned, uint64_t pages);

/* Maps the vTOM alias of [gpa, gpa + pages * 4 KiB) into Mantle's page tables (once per page, before
 * Mantle first touches a shared page there through snp_shared_va). */
void snp_map_shared_alias(uint64_t gpa, uint64_t pages);

/* Records pages validated by the launch (measured IGVM pages): no PVALIDATE is issued. */
SNP_MUST_CHECK enum snp_mem_status snp_mem_mark_launch_validated(struct snp_mem *m, uint64_t gpa,
								 uint64_t pages);
/* Marks Mantle's own pages: never granted to a lower VMPL. */
SNP_MUST_CHECK enum snp_mem_status snp_mem_own(struct snp_mem *m, uint64_t gpa, uint64_t pages);

/* PVALIDATEs [gpa, gpa + pages * 4 KiB): 2 MiB operations where the range covers aligned 2 MiB
 * blocks, 4 KiB ones otherwise and after FAIL_SIZEMISMATCH. All-or-nothing: on failure every page
 * this call validated is rescinded again and the bitmap is unchanged. */
SNP_MUST_CHECK enum snp_mem_status snp_mem_validate(struct snp_mem *m, uint64_t gpa, uint64_t pages);
/* The PVALIDATE part of snp_mem_validate (2 MiB first, 4 KiB fallback, all-or-nothing) without the
 * bitmap: for memory Mantle validates before the bitmap exists (its page pool, early in boot); the
 * caller records it once the bitmap is set up. Only `m`'s statistics are used. */
SNP_MUST_CHECK enum snp_mem_status snp_mem_pvalidate_untracked(struct snp_mem *m, uint64_t gpa,
							       uint64_t pages);
/* Rescinds validation (before a page is made shared). Every page must be validated in the bitmap. */
SNP_MUST_CHECK enum snp_mem_status snp_mem_invalidate(struct snp_mem *m, uint64_t gpa, uint64_t pages);

/* RMPADJUST: gives `vmpl` (1..3) the permission mask `perms` on validated, non-Mantle pages. */
SNP_MUST_CHECK enum snp_mem_status snp_mem_grant(struct snp_mem *m, uint64_t gpa, uint64_t pages,
						 uint8_t vmpl, uint8_t perms);
/* Turns one of Mantle's own validated 4 KiB pages into a VMSA for `vmpl`: the lower VMPL loses all
 * access first, then the page gets the VMSA attribute (APM3 RMPADJUST). */
SNP_MUST_CHECK enum snp_mem_status snp_mem_make_vmsa(struct snp_mem *m, uint64_t gpa, uint8_t vmpl);

/* Takes the VMSA attribute away again (RMPADJUST without it, no access for `vmpl`). */
SNP_MUST_CHECK enum snp_mem_status snp_mem_unmake_vmsa(struct snp_mem *m, uint64_t gpa, uint8_t vmpl);

bool snp_mem_is_validated(const struct snp_mem *m, uint64_t gpa);
bool snp_mem_is_owned(const struct snp_mem *m, uint64_t gpa);

/* A #VC "page not validated" at `gpa`: true when the bitmap says Mantle validated it, i.e. the host
 * swapped the page underneath (the caller terminates). */
bool snp_mem_remap_detected(const struct snp_mem *m, uint64_t gpa);

const char *snp_mem_status_name(enum snp_mem_status s);

#endif
