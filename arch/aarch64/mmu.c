/* Mantle's own EL2 stage-1 page tables: an identity map with W^X.
 *
 * Translation regime: EL2 with HCR_EL2.E2H = 0, TTBR0_EL2 only, 4 KiB granule, 48-bit VA (T0SZ =
 * 16), so a walk is L0 (512 GiB per entry) -> L1 (1 GiB) -> L2 (2 MiB) -> L3 (4 KiB).
 *
 *   image .text          RX            4 KiB pages
 *   image .rodata        R, XN
 *   image .data .bss     RW, XN
 *   stacks               RW, XN        the guard page below each stack is left unmapped
 *   other RAM            RW, XN        2 MiB / 1 GiB blocks where aligned (page tables included)
 *   device MMIO (DT)     Device-nGnRE, RW, XN
 *
 * SCTLR_EL2.WXN is set too, so the hardware refuses to execute any writable mapping. Mappings are
 * made first-wins: the image is mapped first with its exact permissions, RAM around it skips pages
 * already mapped, so the image's guard pages stay holes.
 *
 * Descriptor bits (Arm ARM DDI 0487, D8.3): [1:0] 0b11 table/page, 0b01 block; AttrIndx [4:2];
 * AP[2:1] [7:6] with AP[1] RES1 in the EL2 regime (0b01 RW, 0b11 RO); SH [9:8]; AF [10];
 * XN [54].
 */
#include "core/arch.h"
#include "core/bootinfo.h"
#include "core/console.h"
#include "core/main.h"
#include "core/panic.h"
#include "core/pfa.h"

#include "arch/aarch64/aarch64.h"
#include "arch/aarch64/hw.h"

#define PTE_VALID (1ull << 0)
#define PTE_TABLE (1ull << 1)     /* L0-L2: next-level table; L3: page */
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_AP_RW (1ull << 6)
#define PTE_AP_RO (3ull << 6)
#define PTE_SH_INNER (3ull << 8)
#define PTE_AF (1ull << 10)
#define PTE_XN (1ull << 54)
#define PTE_ADDR_MASK 0x0000fffffffff000ull

/* MAIR_EL2 slots. */
#define MAIR_IDX_NORMAL 0          /* 0xff: Normal, inner/outer write-back, read/write-allocate */
#define MAIR_IDX_DEVICE 1          /* 0x04: Device-nGnRE */
#define MAIR_VALUE 0x04ffull

/* TCR_EL2 (E2H = 0): T0SZ [5:0], IRGN0 [9:8], ORGN0 [11:10], SH0 [13:12], TG0 [15:14], PS [18:16];
 * bits 23 and 31 are RES1. */
#define TCR_T0SZ_48 16ull
#define TCR_WBWA_INNER (1ull << 8)
#define TCR_WBWA_OUTER (1ull << 10)
#define TCR_SH_INNER (3ull << 12)
#define TCR_TG0_4K (0ull << 14)
#define TCR_PS_SHIFT 16
#define TCR_RES1 ((1ull << 23) | (1ull << 31))
#define PARANGE_48 5ull

#define VA_BITS 48
#define ATTR_TEXT (PTE_ATTR(MAIR_IDX_NORMAL) | PTE_AP_RO | PTE_SH_INNER | PTE_AF)
#define ATTR_RODATA (ATTR_TEXT | PTE_XN)
#define ATTR_RW (PTE_ATTR(MAIR_IDX_NORMAL) | PTE_AP_RW | PTE_SH_INNER | PTE_AF | PTE_XN)
#define ATTR_DEVICE (PTE_ATTR(MAIR_IDX_DEVICE) | PTE_AP_RW | PTE_AF | PTE_XN)

static uint64_t *root;
static unsigned table_pages;

static uint64_t *new_table(void)
{
	uint64_t pa;

	if (core_alloc_pages(1, &pa) != 0)
		panic("out of memory for page tables");
	table_pages++;
	return (uint64_t *)(uintptr_t)pa;  /* zeroed by the allocator; identity-mapped */
}

static unsigned level_shift(int level)
{
	return 12 + 9 * (3 - (unsigned)level);
}

/* Maps [va, va+size) to pa with `attr`, page aligned. Blocks (1 GiB at L1, 2 MiB at L2) are used
 * when `blocks` and alignment allow. Anything already mapped is left as it is (first wins). */
static void map_range(uint64_t va, uint64_t pa, uint64_t size, uint64_t attr, bool blocks)
{
	CHECK(va % PAGE_SIZE == 0 && pa % PAGE_SIZE == 0 && size % PAGE_SIZE == 0);
	CHECK(size <= (1ull << VA_BITS) && va <= (1ull << VA_BITS) - size);
	while (size) {
		uint64_t *table = root;
		uint64_t step = PAGE_SIZE;
		for (int level = 0; level <= 3; level++) {
			unsigned shift = level_shift(level);
			uint64_t *e = &table[(va >> shift) & 511];
			uint64_t span = 1ull << shift;
			bool can_block = level == 3 || (blocks && (level == 1 || level == 2) &&
							va % span == 0 && pa % span == 0 && size >= span);
			if (can_block && *e == 0) {
				*e = pa | attr | PTE_VALID | (level == 3 ? PTE_TABLE : 0);
				step = span;
				break;
			}
			if ((*e & PTE_VALID) && (level == 3 || !(*e & PTE_TABLE))) {
				/* Already mapped by a page or block: skip to the end of that mapping. */
				step = span - (va & (span - 1));
				break;
			}
			if (*e == 0)
				*e = (uint64_t)(uintptr_t)new_table() | PTE_TABLE | PTE_VALID;
			table = (uint64_t *)(uintptr_t)(*e & PTE_ADDR_MASK);
		}
		if (step > size)
			step = size;
		va += step;
		pa += step;
		size -= step;
	}
}

static uint64_t addr(const char *sym)
{
	return (uint64_t)(uintptr_t)sym;
}

static void map_image(void)
{
	map_range(addr(__text_start), addr(__text_start), addr(__text_end) - addr(__text_start),
		  ATTR_TEXT, false);
	map_range(addr(__rodata_start), addr(__rodata_start), addr(__rodata_end) - addr(__rodata_start),
		  ATTR_RODATA, false);
	map_range(addr(__data_start), addr(__data_start), addr(__boot_stack_guard) - addr(__data_start),
		  ATTR_RW, false);
	map_range(addr(__boot_stack_bottom), addr(__boot_stack_bottom),
		  addr(__boot_stack_top) - addr(__boot_stack_bottom), ATTR_RW, false);
	map_range(addr(__exc_stack_bottom), addr(__exc_stack_bottom),
		  addr(__exc_stack_top) - addr(__exc_stack_bottom), ATTR_RW, false);
}

/* Maps [base, base+size) rounded out to pages, minus Mantle's image (mapped precisely already). */
static void map_outside_image(uint64_t base, uint64_t size, uint64_t attr)
{
	uint64_t lo = base & ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t last = base + (size - 1);

	if (size == 0 || last < base || last >= (1ull << VA_BITS)) {
		console_printf("aarch64: not mapping [%llx+%llx]: beyond the %d-bit address space\n",
			       (unsigned long long)base, (unsigned long long)size, VA_BITS);
		return;
	}
	uint64_t hi = (last | (PAGE_SIZE - 1)) + 1;
	uint64_t img_lo = addr(__image_start), img_hi = addr(__image_end);
	if (lo < img_lo)
		map_range(lo, lo, (hi < img_lo ? hi : img_lo) - lo, attr, true);
	if (hi > img_hi) {
		uint64_t from = lo > img_hi ? lo : img_hi;
		map_range(from, from, hi - from, attr, true);
	}
}

static void mmu_enable(void)
{
	uint64_t parange = hw_read_sysreg(ID_AA64MMFR0_EL1) & 0xf;
	uint64_t ps = parange < PARANGE_48 ? parange : PARANGE_48;
	uint64_t tcr = TCR_RES1 | TCR_T0SZ_48 | TCR_WBWA_INNER | TCR_WBWA_OUTER | TCR_SH_INNER |
		       TCR_TG0_4K | (ps << TCR_PS_SHIFT);

	hw_write_sysreg(MAIR_EL2, MAIR_VALUE);
	hw_write_sysreg(TCR_EL2, tcr);
	hw_write_sysreg(TTBR0_EL2, (uint64_t)(uintptr_t)root);
	hw_dsb_ish();
	hw_isb();
	hw_tlbi_alle2();
	hw_ic_iallu();
	hw_dsb_ish();
	hw_isb();
	uint64_t sctlr = hw_read_sysreg(SCTLR_EL2);
	sctlr |= SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_I | SCTLR_EL2_WXN | SCTLR_EL2_SA;
	hw_write_sysreg(SCTLR_EL2, sctlr);
	hw_isb();
}

void arch_mmu_init(const struct boot_info *bi)
{
	const struct memmap *m = core_memmap();

	console_printf("aarch64: device tree at 0x%llx (%llu bytes), console pl011@0x%llx, PSCI %s\n",
		       (unsigned long long)bi->fdt, (unsigned long long)bi->fdt_size,
		       (unsigned long long)aarch64_plat.uart,
		       aarch64_plat.psci == PSCI_CONDUIT_SMC   ? "smc"
		       : aarch64_plat.psci == PSCI_CONDUIT_HVC ? "hvc"
							       : "absent");
	root = new_table();
	map_image();
	for (uint32_t i = 0; i < m->count; i++) {
		if (m->r[i].type != MEM_UNUSABLE)
			map_outside_image(m->r[i].base, m->r[i].size, ATTR_RW);
	}
	map_outside_image(aarch64_plat.uart, PAGE_SIZE, ATTR_DEVICE);
	for (uint32_t i = 0; i < aarch64_plat.device_count; i++)
		map_outside_image(aarch64_plat.devices[i].base, aarch64_plat.devices[i].size, ATTR_DEVICE);
	mmu_enable();
	console_printf("aarch64: MMU on: text RX [%llx-%llx), rodata R [%llx-%llx), data/bss/stacks RW+XN "
		       "to %llx, %u device ranges, %u page-table pages\n",
		       (unsigned long long)addr(__text_start), (unsigned long long)addr(__text_end),
		       (unsigned long long)addr(__rodata_start), (unsigned long long)addr(__rodata_end),
		       (unsigned long long)addr(__image_end), aarch64_plat.device_count + 1, table_pages);
	console_printf("aarch64: guard pages (unmapped) at %llx (boot stack) and %llx (exception stack)\n",
		       (unsigned long long)addr(__boot_stack_guard),
		       (unsigned long long)addr(__exc_stack_guard));
}
