/* PVH boot: the Xen "HVM direct boot" ABI that QEMU also implements for `-kernel` ELF images that carry
 * a XEN_ELFNOTE_PHYS32_ENTRY note. The loader enters the image in 32-bit protected mode, paging off,
 * with EBX = physical address of `struct hvm_start_info`.
 *
 * Layouts: Xen public header xen/include/public/arch-x86/hvm/start_info.h (start_info versions 0 and
 * 1; the memory map was added in version 1).
 */
#ifndef MANTLE_BOOT_PVH_H
#define MANTLE_BOOT_PVH_H

#include <stddef.h>
#include <stdint.h>

#include "core/bootinfo.h"

#define XEN_HVM_START_MAGIC_VALUE 0x336ec578u
#define XEN_ELFNOTE_PHYS32_ENTRY 18

/* hvm_memmap_table_entry.type values (start_info.h, "XEN_HVM_MEMMAP_TYPE_*", e820 numbering). */
#define XEN_HVM_MEMMAP_TYPE_RAM 1
#define XEN_HVM_MEMMAP_TYPE_RESERVED 2
#define XEN_HVM_MEMMAP_TYPE_ACPI 3
#define XEN_HVM_MEMMAP_TYPE_NVS 4
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE 5
#define XEN_HVM_MEMMAP_TYPE_DISABLED 6
#define XEN_HVM_MEMMAP_TYPE_PMEM 7

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	/* version >= 1 */
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};
_Static_assert(sizeof(struct hvm_start_info) == 56, "start_info.h: hvm_start_info is 56 bytes (v1)");
_Static_assert(offsetof(struct hvm_start_info, memmap_paddr) == 40, "start_info.h: memmap_paddr at 40");

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "start_info.h: hvm_modlist_entry is 32 bytes");

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "start_info.h: memmap entry is 24 bytes");

/* How the parser reaches loader memory: returns a pointer to `len` readable bytes at physical address
 * `pa`, or NULL if that range is not addressable. The image maps physical memory 1:1; host tests map
 * a buffer. */
typedef const void *(*pvh_phys_fn)(void *ctx, uint64_t pa, size_t len);

enum pvh_status {
	PVH_OK = 0,
	PVH_BAD_MAGIC,
	PVH_UNREACHABLE,      /* a pointer in start_info points outside addressable memory */
	PVH_NO_MEMMAP,        /* version 0 or zero entries: nothing to run on */
	PVH_BAD_MEMMAP,       /* an entry overflows, or too many entries */
	PVH_TOO_MANY_MODULES,
	PVH_BAD_MODULE,       /* a module's extent overflows */
};

/* Copies start_info's memory map, command line and modules into bi (loader "pvh"). */
__attribute__((warn_unused_result)) enum pvh_status pvh_parse(uint64_t start_info_pa, pvh_phys_fn phys,
							      void *ctx, struct boot_info *bi);

const char *pvh_status_name(enum pvh_status st);

#endif
