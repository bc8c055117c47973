/* Physical memory map: what the boot path reports, normalised into sorted, non-overlapping ranges.
 *
 * Every range is [base, base+size) with size > 0 and base+size <= 2^64; ranges are kept as (base,
 * last) internally so a range ending at the top of the address space needs no 65-bit arithmetic.
 * Where reported ranges overlap, the more restrictive type wins (enum order: later wins), so a firmware
 * that reports RAM over a reserved hole never hands the hole to the allocator.
 */
#ifndef MANTLE_CORE_MEMMAP_H
#define MANTLE_CORE_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

#define MEMMAP_MAX 128

/* Ordered by restrictiveness: a higher value wins over a lower one where ranges overlap. */
enum mem_type {
	MEM_USABLE = 1,       /* RAM nobody has claimed */
	MEM_ACPI_RECLAIM = 2, /* ACPI tables: readable, reclaimable after parsing */
	MEM_ACPI_NVS = 3,
	MEM_MODULE = 4,       /* boot modules (guest bundle): RAM that must not be handed out */
	MEM_RESERVED = 5,     /* firmware/device reserved */
	MEM_UNUSABLE = 6,     /* bad or disabled RAM */
	MEM_EMULATED = 7,     /* MMIO of a device Mantle emulates: absent from the guest's nested tables */
	MEM_MANTLE = 8,       /* the paravisor's own image, stacks and allocator metadata */
	MEM_TYPE_MAX = MEM_MANTLE,
};

struct mem_range {
	uint64_t base;
	uint64_t size;
	uint32_t type;
};

struct memmap {
	uint32_t count;
	struct mem_range r[MEMMAP_MAX];
};

enum memmap_status {
	MEMMAP_OK = 0,
	MEMMAP_EMPTY_RANGE,   /* size 0: ignored by callers that do not care */
	MEMMAP_OVERFLOW,      /* base + size wraps past 2^64 */
	MEMMAP_BAD_TYPE,
	MEMMAP_FULL,
};

void memmap_init(struct memmap *m);

/* Appends a raw range without merging; normalise afterwards. */
__attribute__((warn_unused_result)) enum memmap_status memmap_add(struct memmap *m, uint64_t base,
								  uint64_t size, uint32_t type);

/* Writes the normalised form of `in` into `out` (which may not alias `in`): sorted by base, no
 * overlaps, adjacent ranges of the same type merged. Returns MEMMAP_FULL if the result does not fit
 * (only possible with many interleaved overlaps), leaving `out` valid but incomplete. */
__attribute__((warn_unused_result)) enum memmap_status memmap_normalize(const struct memmap *in,
									struct memmap *out);

/* Marks [base, base+size) as `type` in a normalised map, keeping it normalised. */
__attribute__((warn_unused_result)) enum memmap_status memmap_claim(struct memmap *m, uint64_t base,
								    uint64_t size, uint32_t type);

/* Total bytes of `type`, saturating at UINT64_MAX. */
uint64_t memmap_total(const struct memmap *m, uint32_t type);

/* Type of the range containing `addr`, or 0 if none does. */
uint32_t memmap_type_at(const struct memmap *m, uint64_t addr);

const char *memmap_type_name(uint32_t type);

#endif
