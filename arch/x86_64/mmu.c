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
#include "arch/x86_64/pt.h"
#include "core/bootinfo.h"
#include "core/console.h"
#include "core/main.h"
#include "core/panic.h"
#include "core/pfa.h"

#define SZ_4G 0x100000000ull

#define FLAGS_RAM (PTE_P | PTE_W | PTE_NX)
#define FLAGS_MMIO (PTE_P | PTE_W | PTE_NX | PTE_PCD | PTE_PWT)
#define FLAGS_TEXT (PTE_P)
#define FLAGS_RODATA (PTE_P | PTE_NX)

extern uint8_t __image_start[], __text_end[], __rodata_end[], __image_end[];

static struct x86_pt mantle_pt;
/* The physical pass walks the sorted map upwards; ranges whose edges share a page are mapped once,
 * with the attributes of the lower range (firmware reports such sub-page edges around 640 KiB). */
static uint64_t phys_mapped_end;

/* Identity-maps the pages covering [base, end), below PT_LIMIT and never page 0. */
static void map_range(uint64_t base, uint64_t end, uint64_t flags)
{
	base &= ~(uint64_t)(PAGE_SIZE - 1);
	end = (end + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	if (base == 0)
		base = PAGE_SIZE;
	if (end > PT_LIMIT)
		end = PT_LIMIT;
	if (base < end)
		x86_pt_map(&mantle_pt, base, base, end - base, flags);
}

static void map_phys(uint64_t base, uint64_t end, uint64_t flags)
{
	if (base < phys_mapped_end)
		base = phys_mapped_end;
	if (base >= end)
		return;
	map_range(base, end, flags);
	phys_mapped_end = (end + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

/* Maps [base, end) minus the image, which map_image() maps with its own permissions. */
static void map_outside_image(uint64_t base, uint64_t end, uint64_t flags)
{
	uint64_t ib = (uint64_t)(uintptr_t)__image_start, ie = (uint64_t)(uintptr_t)__image_end;

	if (base < ib)
		map_phys(base, end < ib ? end : ib, flags);
	if (end > ie) {
		if (phys_mapped_end < ie)
			phys_mapped_end = ie;
		map_phys(base > ie ? base : ie, end, flags);
	}
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

static bool is_ram(uint32_t type)
{
	return type == MEM_USABLE || type == MEM_ACPI_RECLAIM || type == MEM_ACPI_NVS ||
	       type == MEM_MODULE || type == MEM_MANTLE;
}

/* RAM and firmware ranges from the map; the holes between them below 4 GiB are device MMIO. */
static void map_physical(const struct memmap *m)
{
	uint64_t cursor = 0;

	for (uint32_t i = 0; i < m->count; i++) {
		const struct mem_range *r = &m->r[i];
		uint64_t end = r->base + (r->size - 1) < PT_LIMIT ? r->base + r->size : PT_LIMIT;
		if (r->base >= PT_LIMIT)
			break;
		if (cursor < r->base && cursor < SZ_4G)
			map_outside_image(cursor, r->base < SZ_4G ? r->base : SZ_4G, FLAGS_MMIO);
		if (r->type != MEM_UNUSABLE)
			map_outside_image(r->base, end, is_ram(r->type) ? FLAGS_RAM : FLAGS_MMIO);
		cursor = end;
	}
	if (cursor < SZ_4G)
		map_outside_image(cursor, SZ_4G, FLAGS_MMIO);
}

void arch_mmu_init(const struct boot_info *bi)
{
	(void)bi;
	x86_pt_init(&mantle_pt, PTE_P | PTE_W);
	map_physical(core_memmap());
	map_image();
	hw_write_cr0(hw_read_cr0() | (1ull << 16)); /* CR0.WP: read-only applies to Mantle itself */
	hw_write_cr3(mantle_pt.root_pa);
	console_printf("mantle: page tables at %llx: text RX, rodata R, data/bss RW NX, %u stack guard pages\n",
		       (unsigned long long)mantle_pt.root_pa, (unsigned)STACK_COUNT);
}
