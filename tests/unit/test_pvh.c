/* PVH start_info parsing: the loader-supplied structure is laid out in a fake physical memory
 * buffer, and every pointer in it is resolved through the bounds-checked phys callback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boot/pvh.h"

#define PHYS_BASE 0x10000u
#define PHYS_SIZE 0x4000u

static uint8_t phys[PHYS_SIZE];
static struct boot_info bi;

static const void *fake_phys(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	if (pa < PHYS_BASE || len > PHYS_SIZE || pa - PHYS_BASE > PHYS_SIZE - len)
		return NULL;
	return phys + (pa - PHYS_BASE);
}

/* Offsets inside the fake memory. */
#define SI_AT 0x000u
#define MEMMAP_AT 0x101u   /* deliberately unaligned: the loader promises no alignment */
#define MODS_AT 0x800u
#define CMD_AT 0x1000u
#define MODCMD_AT 0x1800u

static struct hvm_start_info si;

static void put(uint32_t off, const void *src, size_t len)
{
	assert_true(off + len <= PHYS_SIZE);
	memcpy(phys + off, src, len);
}

static void put_memmap(const struct hvm_memmap_table_entry *e, uint32_t n)
{
	put(MEMMAP_AT, e, n * sizeof(*e));
	si.memmap_paddr = PHYS_BASE + MEMMAP_AT;
	si.memmap_entries = n;
}

static enum pvh_status parse(void)
{
	put(SI_AT, &si, sizeof(si));
	return pvh_parse(PHYS_BASE + SI_AT, fake_phys, NULL, &bi);
}

static int setup(void **state)
{
	static const struct hvm_memmap_table_entry two[] = {
		{ .addr = 0, .size = 0x9fc00, .type = XEN_HVM_MEMMAP_TYPE_RAM },
		{ .addr = 0x100000, .size = 0x1ff00000, .type = XEN_HVM_MEMMAP_TYPE_RAM },
	};
	(void)state;
	memset(phys, 0, sizeof(phys));
	memset(&bi, 0, sizeof(bi));
	si = (struct hvm_start_info){ .magic = XEN_HVM_START_MAGIC_VALUE, .version = 1 };
	put_memmap(two, 2);
	return 0;
}

static void test_pvh_parses_memmap_cmdline_and_rsdp(void **state)
{
	static const struct hvm_memmap_table_entry e[] = {
		{ .addr = 0x100000, .size = 0x1000000, .type = XEN_HVM_MEMMAP_TYPE_RAM },
		{ .addr = 0xe0000, .size = 0x20000, .type = XEN_HVM_MEMMAP_TYPE_RESERVED },
		{ .addr = 0x7000000, .size = 0x10000, .type = XEN_HVM_MEMMAP_TYPE_ACPI },
		{ .addr = 0x7010000, .size = 0x1000, .type = XEN_HVM_MEMMAP_TYPE_NVS },
		{ .addr = 0x8000000, .size = 0x1000, .type = XEN_HVM_MEMMAP_TYPE_UNUSABLE },
		{ .addr = 0x9000000, .size = 0x1000, .type = XEN_HVM_MEMMAP_TYPE_PMEM },
		{ .addr = 0xa000000, .size = 0x1000, .type = 99 },
		{ .addr = 0xb000000, .size = 0, .type = XEN_HVM_MEMMAP_TYPE_RAM },
	};
	(void)state;
	put_memmap(e, 8);
	put(CMD_AT, "console=ttyS0 mantle.x=1", 25);
	si.cmdline_paddr = PHYS_BASE + CMD_AT;
	si.rsdp_paddr = 0xf5a40;
	assert_int_equal(parse(), PVH_OK);
	assert_string_equal(bi.loader, "pvh");
	assert_string_equal(bi.cmdline, "console=ttyS0 mantle.x=1");
	assert_int_equal(bi.rsdp, 0xf5a40);
	assert_int_equal(bi.mem.count, 7); /* the empty entry is dropped */
	assert_int_equal(bi.mem.r[0].type, MEM_USABLE);
	assert_int_equal(bi.mem.r[1].type, MEM_RESERVED);
	assert_int_equal(bi.mem.r[2].type, MEM_ACPI_RECLAIM);
	assert_int_equal(bi.mem.r[3].type, MEM_ACPI_NVS);
	assert_int_equal(bi.mem.r[4].type, MEM_UNUSABLE);
	assert_int_equal(bi.mem.r[5].type, MEM_RESERVED);
	assert_int_equal(bi.mem.r[6].type, MEM_RESERVED);
	assert_int_equal(bi.module_count, 0);
}

static void test_pvh_parses_modules_with_cmdlines(void **state)
{
	struct hvm_modlist_entry m[2] = {
		{ .paddr = 0x2000000, .size = 0x1234, .cmdline_paddr = PHYS_BASE + MODCMD_AT },
		{ .paddr = 0x3000000, .size = 0, .cmdline_paddr = 0 },
	};
	(void)state;
	put(MODS_AT, m, sizeof(m));
	put(MODCMD_AT, "guest.bundle", 13);
	si.nr_modules = 2;
	si.modlist_paddr = PHYS_BASE + MODS_AT;
	assert_int_equal(parse(), PVH_OK);
	assert_int_equal(bi.module_count, 2);
	assert_int_equal(bi.modules[0].base, 0x2000000);
	assert_int_equal(bi.modules[0].size, 0x1234);
	assert_string_equal(bi.modules[0].cmdline, "guest.bundle");
	assert_string_equal(bi.modules[1].cmdline, "");
}

static void test_pvh_rejects_bad_magic_and_unreachable_start_info(void **state)
{
	(void)state;
	si.magic = 0x12345678;
	assert_int_equal(parse(), PVH_BAD_MAGIC);
	assert_int_equal(pvh_parse(0x900000, fake_phys, NULL, &bi), PVH_UNREACHABLE);
	assert_int_equal(pvh_parse(PHYS_BASE + PHYS_SIZE - 8, fake_phys, NULL, &bi), PVH_UNREACHABLE);
}

static void test_pvh_requires_a_memory_map(void **state)
{
	(void)state;
	si.version = 0;
	assert_int_equal(parse(), PVH_NO_MEMMAP);
	si.version = 1;
	si.memmap_entries = 0;
	assert_int_equal(parse(), PVH_NO_MEMMAP);
}

static void test_pvh_rejects_hostile_memory_maps(void **state)
{
	static const struct hvm_memmap_table_entry wrap[] = {
		{ .addr = 0xfffffffffffff000ull, .size = 0x2000, .type = XEN_HVM_MEMMAP_TYPE_RAM },
	};
	(void)state;
	put_memmap(wrap, 1);
	assert_int_equal(parse(), PVH_BAD_MEMMAP);
	/* An entry count that would run past addressable memory, and one beyond any sane map. */
	si.memmap_entries = 1000;
	assert_int_equal(parse(), PVH_BAD_MEMMAP);
	si.memmap_paddr = PHYS_BASE + PHYS_SIZE - 2 * sizeof(struct hvm_memmap_table_entry);
	si.memmap_entries = 3;
	assert_int_equal(parse(), PVH_UNREACHABLE);
	si.memmap_entries = 0xffffffffu;
	assert_int_equal(parse(), PVH_BAD_MEMMAP);
}

static void test_pvh_rejects_hostile_module_lists(void **state)
{
	struct hvm_modlist_entry m = { .paddr = 0xfffffffffffff000ull, .size = 0x2000 };
	(void)state;
	put(MODS_AT, &m, sizeof(m));
	si.modlist_paddr = PHYS_BASE + MODS_AT;
	si.nr_modules = 1;
	assert_int_equal(parse(), PVH_BAD_MODULE);
	si.nr_modules = BOOTINFO_MODULES_MAX + 1;
	assert_int_equal(parse(), PVH_TOO_MANY_MODULES);
	si.nr_modules = 1;
	si.modlist_paddr = 0x100;
	assert_int_equal(parse(), PVH_UNREACHABLE);
}

static void test_pvh_unterminated_strings_are_bounded(void **state)
{
	(void)state;
	/* A command line that runs to the end of addressable memory without a NUL. */
	memset(phys + CMD_AT, 'A', PHYS_SIZE - CMD_AT);
	si.cmdline_paddr = PHYS_BASE + CMD_AT;
	assert_int_equal(parse(), PVH_OK);
	assert_int_equal(strlen(bi.cmdline), BOOTINFO_CMDLINE_MAX - 1);
	/* Ending exactly at the edge of memory: truncated at what is readable. */
	si.cmdline_paddr = PHYS_BASE + PHYS_SIZE - 3;
	assert_int_equal(parse(), PVH_OK);
	assert_string_equal(bi.cmdline, "AAA");
	assert_string_equal(pvh_status_name(PVH_BAD_MAGIC), "bad start_info magic");
	assert_string_equal(pvh_status_name((enum pvh_status)77), "?");
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_pvh_parses_memmap_cmdline_and_rsdp),
		T(test_pvh_parses_modules_with_cmdlines),
		T(test_pvh_rejects_bad_magic_and_unreachable_start_info),
		T(test_pvh_requires_a_memory_map),
		T(test_pvh_rejects_hostile_memory_maps),
		T(test_pvh_unterminated_strings_are_bounded),
		T(test_pvh_rejects_hostile_module_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
