/* Services core_main() offers the layers it starts (arch MMU setup, later backends and devices). */
#ifndef MANTLE_CORE_MAIN_H
#define MANTLE_CORE_MAIN_H

#include <stdint.h>

#include "core/memmap.h"

/* Allocates `pages` zeroed, page-aligned pages of Mantle-private memory (identity-mapped physical
 * addresses). Returns 0 on success, non-zero when memory is exhausted. */
__attribute__((warn_unused_result)) int core_alloc_pages(uint64_t pages, uint64_t *pa);

/* Records an emulated device's MMIO range in the memory map (MEM_EMULATED), so backends leave it out
 * of the guest's nested page tables and the guest's e820. Returns 0, or non-zero if the range
 * overlaps RAM or Mantle's memory. */
__attribute__((warn_unused_result)) int core_claim_emulated(uint64_t base, uint64_t size);

/* Takes `bytes` (page multiple) of guest RAM below 4 GiB for firmware data the guest must see (ACPI
 * tables, the TPM event log) and marks it `type` (MEM_ACPI_RECLAIM or MEM_ACPI_NVS): the guest gets it
 * as that e820 type. Returns its address; panics if no usable RAM below 4 GiB holds it. */
uint64_t core_take_guest_firmware(uint64_t bytes, uint32_t type);

/* The normalised physical memory map after Mantle's own memory has been claimed. */
const struct memmap *core_memmap(void);

#endif
