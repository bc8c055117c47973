/* Mantle's own x86_64 page tables: identity map, W^X, guard pages.
 *
 *   page 0                      unmapped (catches NULL dereferences)
 *   RAM outside the image       RW NX, write-back
 *   non-RAM below 4 GiB         RW NX, uncached (MMIO: LAPIC, IOAPIC, PCI BARs, flash)
 *   image .text                 R X
 *   image .rodata               R NX
 *   image .data/.bss            RW NX, except each stack's guard page, which stays unmapped
 *
 * Nothing is both writable and executable, and the image is reached only through its own mapping (no
 * RW alias of .text in the RAM map). 2 MiB pages where a range allows, 4 KiB elsewhere.
 */
#include "core/arch.h"

#include "arch/x86_64/desc.h"
#include "arch/x86_64/hw.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/platform.h"
#include "arch/x86_64/pt.h"
#include "core/bootinfo.h"
#include "core/console.h"
#include "core/main.h"
#include "core/panic.h"
#include "core/pfa.h"

#define FLAGS_RAM (PTE_P | PTE_W | PTE_NX)
#define FLAGS_MMIO (PTE_P | PTE_W | PTE_NX | PTE_PCD | PTE_PWT)
#define FLAGS_TEXT (PTE_P)
#define FLAGS_RODATA (PTE_P | PTE_NX)

extern uint8_t __image_start[], __text_end[], __rodata_end[], __image_end[];

static struct x86_pt mantle_pt;
/* Identity-maps [base, end) (page aligned) with the image's own permissions. */
static void map_range(uint64_t base, uint64_t end, uint64_t flags)
{
	if (base < end)
		x86_pt_map(&mantle_pt, base, base, end - base, flags);
}

static bool is_guard_page(uint64_t va)
{
	uint64_t stacks = (uint64_t)(uintptr_t)x86_stacks;

	if (va < stacks || va >= stacks + (uint64_t)STACK_COUNT * STACK_SLOT_SIZE)
		return false;
	return (va - stacks) % STACK_SLOT_SIZE == 0;
}

static void map_image(void)
{
	map_range((uintptr_t)__image_start, (uintptr_t)__text_end, FLAGS_TEXT);
	map_range((uintptr_t)__text_end, (uintptr_t)__rodata_end, FLAGS_RODATA);
	for (uint64_t va = (uintptr_t)__rodata_end; va < (uintptr_t)__image_end; va += PAGE_SIZE) {
		if (!is_guard_page(va))
			x86_pt_map(&mantle_pt, va, va, PAGE_SIZE, FLAGS_RAM);
	}
}

static uint64_t type_flags(uint32_t type)
{
	switch (type) {
	case MEM_USABLE:
	case MEM_ACPI_RECLAIM:
	case MEM_ACPI_NVS:
	case MEM_MODULE:
	case MEM_MANTLE:
		return FLAGS_RAM;
	case MEM_UNUSABLE:
		return 0;
	default:
		return FLAGS_MMIO; /* reserved: firmware and device ranges */
	}
}

void x86_mmu_map_data(uint64_t va, uint64_t pa, uint64_t size)
{
	x86_pt_map(&mantle_pt, va, pa, size, FLAGS_RAM);
	/* The entries were not present; drop any cached walk of them anyway (AMD may cache upper levels). */
	for (uint64_t off = 0; off < size; off += PAGE_SIZE)
		__asm__ volatile("invlpg (%0)" ::"r"(va + off) : "memory");
}

void arch_mmu_init(const struct boot_info *bi)
{
	(void)bi;
	x86_pt_init(&mantle_pt, PTE_P | PTE_W);
	/* The image is mapped only through map_image(): the RAM map holds no writable alias of .text. */
	const struct x86_pt_memmap_policy policy = {
		.type_flags = type_flags,
		.hole_flags = FLAGS_MMIO,
		.skip_base = (uintptr_t)__image_start,
		.skip_end = (uintptr_t)__image_end,
		.map_page0 = false,
	};
	x86_pt_map_memmap(&mantle_pt, core_memmap(), &policy);
	map_image();
	hw_write_cr0(hw_read_cr0() | (1ull << 16)); /* CR0.WP: read-only applies to Mantle itself */
	hw_write_cr3(mantle_pt.root_pa);
	console_printf("mantle: page tables at %llx: text RX, rodata R, data/bss RW NX, %u stack guard pages\n",
		       (unsigned long long)mantle_pt.root_pa, (unsigned)STACK_COUNT);
}
