/* x86_64 C entry: from boot.S's long-mode trampoline to core_main(). */
#include <stdint.h>

#include "arch/x86_64/desc.h"
#include "arch/x86_64/hw.h"
#include "arch/x86_64/platform.h"
#include "boot/pvh.h"
#include "core/bootinfo.h"
#include "core/console.h"
#include "core/panic.h"

extern uint8_t __image_start[], __rodata_end[], __image_end[];

void x86_entry(uint32_t start_info_pa);

static struct boot_info boot_info;

/* boot.S identity-maps the low 4 GiB; anything the loader points at beyond that is refused. */
static const void *early_phys(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	if (pa == 0 || len > (1ull << 32) || pa > (1ull << 32) - len)
		return NULL;
	return (const void *)(uintptr_t)pa;
}

#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_OSXSAVE (1ull << 18)
#define CPUID1_ECX_XSAVE (1u << 26)

/* Mantle's own code never uses SSE/AVX, but emulating a guest's MMIO move of an XMM/YMM register
 * reads the guest's register in place (tee/none/svm.c), which needs these CR4 bits in Mantle's mode. */
static void enable_vector_access(void)
{
	uint64_t cr4 = hw_read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;

	if (hw_cpuid(1, 0).ecx & CPUID1_ECX_XSAVE)
		cr4 |= CR4_OSXSAVE;
	hw_write_cr4(cr4);
}

void x86_early_init(void)
{
	unsigned flags = 0;

	/* The IDT before anything else: on a confidential platform Mantle's first CPUID or port write
	 * already raises an exception (SEV-SNP: #VC) that the early hook's handler must complete. */
	x86_desc_init();
	if (x86_early_platform)
		flags = x86_early_platform();
	enable_vector_access();
	/* Until then the console is buffered in memory (platform.c). */
	if (!(flags & X86_EARLY_PORT_IO_DEFERRED))
		x86_port_io_ready();
}

void x86_entry(uint32_t start_info_pa)
{
	x86_early_init();

	enum pvh_status st = pvh_parse(start_info_pa, early_phys, NULL, &boot_info);
	if (st != PVH_OK)
		panic("PVH boot information unusable: %s", pvh_status_name(st));
	boot_info.image_base = (uint64_t)(uintptr_t)__image_start;
	boot_info.image_end = (uint64_t)(uintptr_t)__image_end;
	boot_info.image_ro_end = (uint64_t)(uintptr_t)__rodata_end;
	core_main(&boot_info);
}
