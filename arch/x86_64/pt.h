/* Builder for x86-64 4-level page tables, shared by Mantle's own tables (mmu.c) and the nested page
 * tables a backend builds for its guest (tee/none: SVM NPT). Both use the long-mode format (AMD APM
 * vol. 2, 5.3 and 15.25.5); table pages come from core_alloc_pages() and are identity-mapped. */
#ifndef MANTLE_ARCH_X86_64_PT_H
#define MANTLE_ARCH_X86_64_PT_H

#include <stdbool.h>
#include <stdint.h>

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

#define PT_SZ_4K 0x1000ull
#define PT_SZ_2M 0x200000ull
/* Highest address either table maps: the canonical lower half of 4-level paging, with margin. */
#define PT_LIMIT (1ull << 46)
/* Highest address x86_pt_map() accepts: the canonical lower half (e.g. SEV-SNP's shared alias above
 * vTOM = 2^46). x86_pt_map_memmap() still maps nothing at or above PT_LIMIT. */
#define PT_VA_LIMIT (1ull << 47)

struct x86_pt {
	uint64_t root_pa;
	uint64_t table_flags; /* flags of non-leaf entries; leaves carry the real permissions */
};

/* Allocates an empty root. */
void x86_pt_init(struct x86_pt *pt, uint64_t table_flags);

/* Maps [va, va+size) to [pa, pa+size) with `flags`, 2 MiB pages where both sides allow. Every page
 * must be unmapped before (a second mapping is a bug: CHECK). va, pa and size are 4 KiB aligned. */
void x86_pt_map(struct x86_pt *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t flags);

/* Decides how an identity map covers one memory-map type: leaf flags, or 0 to leave it unmapped. */
typedef uint64_t (*x86_pt_type_flags)(uint32_t mem_type);

struct memmap;

/* How x86_pt_map_memmap() covers the physical address space. */
struct x86_pt_memmap_policy {
	x86_pt_type_flags type_flags; /* per memory-map type */
	uint64_t hole_flags;          /* holes below 4 GiB (device MMIO); 0 leaves them unmapped */
	uint64_t skip_base, skip_end; /* page-aligned range left out (the caller maps it itself) */
	bool map_page0;               /* false leaves page 0 unmapped, so NULL dereferences fault */
};

/* Identity-maps the physical address space a normalised memory map describes, by `policy`. Nothing
 * above 4 GiB that the map does not list is mapped. A page shared by two ranges with sub-page edges
 * takes the flags of the lower range. */
void x86_pt_map_memmap(struct x86_pt *pt, const struct memmap *m, const struct x86_pt_memmap_policy *policy);

/* Leaf entry for va (with PTE_PS set for a 2 MiB leaf), or 0 if unmapped. */
uint64_t x86_pt_lookup(const struct x86_pt *pt, uint64_t va);

#endif
