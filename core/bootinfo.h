/* What every boot path (PVH, IGVM, FDT/aarch64, EFI) hands to core_main().
 *
 * The boot path copies everything it needs out of loader-owned memory (start_info, the device tree,
 * IGVM parameter pages) into this structure before core_main() runs: after that the loader's
 * structures may be overwritten and the core never reads them again.
 */
#ifndef MANTLE_CORE_BOOTINFO_H
#define MANTLE_CORE_BOOTINFO_H

#include <stdint.h>

#include "core/memmap.h"

#define BOOTINFO_CMDLINE_MAX 1024
#define BOOTINFO_MODULES_MAX 8
#define BOOTINFO_MODULE_CMDLINE_MAX 256

struct boot_module {
	uint64_t base;
	uint64_t size;
	char cmdline[BOOTINFO_MODULE_CMDLINE_MAX];
};

struct boot_info {
	const char *loader;            /* "pvh", "linux-arm64", "igvm", ... */
	struct memmap mem;             /* as reported by the loader, not yet normalised */
	char cmdline[BOOTINFO_CMDLINE_MAX];
	uint32_t module_count;
	struct boot_module modules[BOOTINFO_MODULES_MAX];
	uint64_t image_base;           /* physical extent of Mantle's loaded image */
	uint64_t image_end;
	uint64_t image_ro_end;         /* end of code + read-only data (measured as Mantle's identity) */
	uint64_t rsdp;                 /* x86: ACPI RSDP physical address, 0 if none */
	uint64_t fdt;                  /* aarch64: device tree physical address, 0 if none */
	uint64_t fdt_size;
};

/* Entered once per boot on the bootstrap CPU, with the console working and interrupts off. */
__attribute__((noreturn)) void core_main(struct boot_info *bi);

#endif
