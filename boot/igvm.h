/* IGVM boot: what Mantle reads after an IGVM loader started it (docs/igvm.md).
 *
 * The loader has written three parameter areas (memory map, command line, vp count; boot/igvm_layout.h)
 * with values the host chose, and Mantle's measured manifest page says what the build put in the file.
 * igvm_boot_parse() copies each area once into private memory, validates it, and fills struct
 * boot_info as boot/pvh.c does for PVH. Nothing in a parameter area is trusted: lengths, ordering,
 * overlaps, alignment and terminators are all checked, and a malformed area fails the boot with a
 * status rather than being repaired.
 */
#ifndef MANTLE_BOOT_IGVM_H
#define MANTLE_BOOT_IGVM_H

#include <stddef.h>
#include <stdint.h>

#include "core/bootinfo.h"

/* How the parser reaches guest-physical memory (same contract as pvh_phys_fn): a pointer to `len`
 * readable bytes at `pa`, or NULL if that range is not addressable. */
typedef const void *(*igvm_phys_fn)(void *ctx, uint64_t pa, size_t len);

/* Where the areas are; igvm_boot_default_areas() is the layout igvmgen writes. Tests move them. */
struct igvm_boot_areas {
	uint64_t manifest;
	uint64_t memmap;
	uint32_t memmap_bytes;
	uint64_t cmdline;
	uint32_t cmdline_bytes;
	uint64_t vpcount;
};

#define IGVM_BOOT_MEMMAP_BYTES_MAX 0x2000u
#define IGVM_BOOT_CMDLINE_BYTES_MAX 0x1000u
#define IGVM_BOOT_VP_MAX 1024u
/* Mantle's boot page tables map the low 4 GiB; everything the build placed must sit below it. */
#define IGVM_BOOT_ADDR_LIMIT 0x100000000ull

enum igvm_boot_status {
	IGVM_BOOT_OK = 0,
	IGVM_BOOT_BAD_AREAS,      /* area layout itself is unusable: misaligned, oversized, overlapping */
	IGVM_BOOT_UNREACHABLE,    /* an area is not addressable */
	IGVM_BOOT_BAD_MANIFEST,   /* measured manifest: wrong magic/version, bad extents, unterminated */
	IGVM_BOOT_NO_MEMMAP,      /* the first memory-map entry is the terminator */
	IGVM_BOOT_BAD_MEMMAP,     /* overflowing, unsorted or overlapping entries, reserved bits set */
	IGVM_BOOT_IMAGE_NOT_RAM,  /* the loaded image, boot region or bundle is not inside reported RAM */
	IGVM_BOOT_BAD_CMDLINE,    /* unterminated, not printable ASCII, or too long */
	IGVM_BOOT_BAD_VP_COUNT,   /* zero or above IGVM_BOOT_VP_MAX */
};

struct igvm_boot_result {
	uint32_t vp_count;
	uint32_t memmap_entries;
};

struct igvm_boot_areas igvm_boot_default_areas(void);

/* Fills bi (loader "igvm"): memory map, command line (host's first, then the measured one, so a
 * measured `key=value` wins: cmdline_get() takes the last), the guest bundle as module 0, and
 * image_base/image_end from the manifest (the boot region below the image included). */
__attribute__((warn_unused_result)) enum igvm_boot_status
igvm_boot_parse(const struct igvm_boot_areas *areas, igvm_phys_fn phys, void *ctx, struct boot_info *bi,
		struct igvm_boot_result *res);

const char *igvm_boot_status_name(enum igvm_boot_status st);

#endif
