/* Services core_main() offers the layers it starts (arch MMU setup, later backends and devices). */
#ifndef MANTLE_CORE_MAIN_H
#define MANTLE_CORE_MAIN_H

#include <stdint.h>

#include "core/memmap.h"

/* Allocates `pages` zeroed, page-aligned pages of Mantle-private memory (identity-mapped physical
 * addresses). Returns 0 on success, non-zero when memory is exhausted. */
__attribute__((warn_unused_result)) int core_alloc_pages(uint64_t pages, uint64_t *pa);

/* The normalised physical memory map after Mantle's own memory has been claimed. */
const struct memmap *core_memmap(void);

#endif
