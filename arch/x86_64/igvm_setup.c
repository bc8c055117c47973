/* x86_64 C entry for an IGVM launch: from arch/x86_64/igvm_entry.S to core_main().
 *
 * The CPU bring-up is the PVH path's (x86_early_init, arch/x86_64/setup.c); only the boot-information
 * source differs (boot/igvm.c instead of PVH start_info). */
#include <stdint.h>

#include "arch/x86_64/platform.h"
#include "boot/igvm.h"
#include "core/bootinfo.h"
#include "core/console.h"
#include "core/panic.h"

extern uint8_t __image_start[], __rodata_end[], __image_end[];

void igvm_x86_entry(void);

static struct boot_info igvm_boot_info;

/* The boot page tables in the IGVM file identity-map the low 4 GiB; nothing beyond is reachable. */
static const void *igvm_phys(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	if (pa == 0 || len > IGVM_BOOT_ADDR_LIMIT || pa > IGVM_BOOT_ADDR_LIMIT - len)
		return NULL;
	return (const void *)(uintptr_t)pa;
}

void igvm_x86_entry(void)
{
	struct igvm_boot_areas areas = igvm_boot_default_areas();
	struct igvm_boot_result res;

	x86_early_init();

	enum igvm_boot_status st = igvm_boot_parse(&areas, igvm_phys, NULL, &igvm_boot_info, &res);
	if (st != IGVM_BOOT_OK)
		panic("IGVM boot parameters unusable: %s", igvm_boot_status_name(st));
	/* The manifest is measured and written by igvmgen from this very ELF: a mismatch is a build bug. */
	if (igvm_boot_info.image_base > (uintptr_t)__image_start ||
	    igvm_boot_info.image_end < (uintptr_t)__image_end)
		panic("IGVM manifest does not cover the linked image");
	igvm_boot_info.image_ro_end = (uint64_t)(uintptr_t)__rodata_end;
	console_printf("mantle: IGVM launch, %u vCPUs, %u memory-map entries\n", res.vp_count,
		       res.memmap_entries);
	core_main(&igvm_boot_info);
}
