/* Page-frame allocator: one bitmap per usable range of the normalised memory map.
 *
 * The allocator never touches the memory it manages, only its bitmaps, so it runs unchanged in host
 * tests over fake physical addresses. Allocation goes top-down: Mantle's own pages stay at the top of
 * RAM and the low memory a guest kernel expects (ZONE_DMA and below 4 GiB) stays free.
 */
#ifndef MANTLE_CORE_PFA_H
#define MANTLE_CORE_PFA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/memmap.h"

#define PAGE_SIZE 4096u
#define PAGE_SHIFT 12

struct pfa_zone {
	uint64_t base;       /* page aligned */
	uint64_t pages;
	uint64_t *bitmap;    /* bit set = allocated */
};

struct pfa {
	uint32_t zone_count;
	uint64_t free_pages;
	uint64_t total_pages;
	struct pfa_zone zones[MEMMAP_MAX];
};

enum pfa_status {
	PFA_OK = 0,
	PFA_NO_MEMORY,
	PFA_BAD_ARGS,
	PFA_METADATA_TOO_SMALL,
};

/* Bytes of bitmap storage pfa_init() needs for the usable ranges of `m`. */
size_t pfa_metadata_bytes(const struct memmap *m);

/* Builds zones from the MEM_USABLE ranges of a normalised map; `meta` must hold pfa_metadata_bytes()
 * bytes and must not lie inside any usable range of `m` (claim it first). */
__attribute__((warn_unused_result)) enum pfa_status pfa_init(struct pfa *a, const struct memmap *m,
							     void *meta, size_t meta_bytes);

/* Allocates `pages` contiguous pages aligned to `align_pages` (a power of two). */
__attribute__((warn_unused_result)) enum pfa_status pfa_alloc(struct pfa *a, uint64_t pages,
							      uint64_t align_pages, uint64_t *pa_out);

/* Frees pages from a previous pfa_alloc. Freeing a page that is not allocated is a Mantle bug: CHECK. */
void pfa_free(struct pfa *a, uint64_t pa, uint64_t pages);

bool pfa_is_allocated(const struct pfa *a, uint64_t pa);

#endif
