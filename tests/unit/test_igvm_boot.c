/* IGVM boot parameters: a fake guest-physical memory holds the manifest igvmgen would write and the
 * parameter areas a loader would fill; hostile loaders write bad lengths, overlaps, unterminated
 * strings and misaligned areas. Every area is reached through the bounds-checked phys callback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boot/igvm.h"
#include "boot/igvm_defs.h"
#include "boot/igvm_layout.h"
#include "core/tee.h"

#define PHYS_BASE IGVM_LAYOUT_BASE
#define PHYS_SIZE (IGVM_LAYOUT_END - IGVM_LAYOUT_BASE)
#define IMAGE_END 0x1100000u

static uint8_t phys[PHYS_SIZE];
static struct boot_info bi;
static struct igvm_boot_areas areas;
static struct igvm_boot_result res;
static struct igvm_mantle_manifest man;

static const void *fake_phys(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	if (pa < PHYS_BASE || len > PHYS_SIZE || pa - PHYS_BASE > PHYS_SIZE - len)
		return NULL;
	return phys + (pa - PHYS_BASE);
}

static void put(uint64_t gpa, const void *src, size_t len)
{
	assert_true(gpa >= PHYS_BASE && gpa - PHYS_BASE + len <= PHYS_SIZE);
	memcpy(phys + (gpa - PHYS_BASE), src, len);
}

static void put_memmap(const struct igvm_vhs_memory_map_entry *e, size_t n)
{
	memset(phys + (IGVM_MEMMAP_GPA - PHYS_BASE), 0, IGVM_MEMMAP_BYTES);
	if (n)
		put(IGVM_MEMMAP_GPA, e, n * sizeof(*e));
}

static void put_cmdline(const char *s)
{
	memset(phys + (IGVM_CMDLINE_GPA - PHYS_BASE), 0, IGVM_CMDLINE_BYTES);
	put(IGVM_CMDLINE_GPA, s, strlen(s) + 1);
}

static void put_vpcount(uint32_t n)
{
	put(IGVM_VPCOUNT_GPA, &n, sizeof(n));
}

static enum igvm_boot_status parse(void)
{
	put(IGVM_MANIFEST_GPA, &man, sizeof(man));
	return igvm_boot_parse(&areas, fake_phys, NULL, &bi, &res);
}

#define PN(a) ((uint64_t)(a) / IGVM_PAGE_SIZE)

static int setup(void **state)
{
	/* Low RAM, a reserved hole, and RAM covering the boot region, image and bundle. */
	static const struct igvm_vhs_memory_map_entry good[] = {
		{ 0, PN(0xA0000), IGVM_MEMORY_MAP_ENTRY_TYPE_MEMORY, 0, 0 },
		{ PN(0xA0000), PN(0x60000), IGVM_MEMORY_MAP_ENTRY_TYPE_PLATFORM_RESERVED, 0, 0 },
		{ PN(0x100000), PN(0x7F00000), IGVM_MEMORY_MAP_ENTRY_TYPE_MEMORY, 0, 0 },
	};
	(void)state;
	memset(phys, 0, sizeof(phys));
	memset(&bi, 0, sizeof(bi));
	memset(&res, 0, sizeof(res));
	areas = igvm_boot_default_areas();
	man = (struct igvm_mantle_manifest){ .magic = IGVM_MANIFEST_MAGIC, .version = IGVM_MANIFEST_VERSION,
					     .image_base = IGVM_LAYOUT_BASE, .image_end = IMAGE_END };
	put_memmap(good, 3);
	put_cmdline("");
	put_vpcount(4);
	return 0;
}

static void test_igvm_boot_parses_memmap_cmdline_and_vp_count(void **state)
{
	(void)state;
	strcpy(man.cmdline, "mantle.log=debug");
	man.bundle_base = 0x1200000;
	man.bundle_size = 0x3000;
	put_cmdline("console=ttyS0 mantle.log=quiet");
	assert_int_equal(parse(), IGVM_BOOT_OK);
	assert_string_equal(bi.loader, "igvm");
	assert_int_equal(res.vp_count, 4);
	assert_int_equal(res.memmap_entries, 3);
	assert_int_equal(bi.mem.count, 3);
	assert_int_equal(bi.mem.r[0].type, MEM_USABLE);
	assert_int_equal(bi.mem.r[1].base, 0xA0000);
	assert_int_equal(bi.mem.r[1].type, MEM_RESERVED);
	assert_int_equal(bi.mem.r[2].size, 0x7F00000);
	/* The measured words come last, so cmdline_get() (last occurrence wins) prefers them. */
	assert_string_equal(bi.cmdline, "console=ttyS0 mantle.log=quiet mantle.log=debug");
	assert_int_equal(bi.module_count, 1);
	assert_int_equal(bi.modules[0].base, 0x1200000);
	assert_int_equal(bi.modules[0].size, 0x3000);
	assert_int_equal(bi.image_base, IGVM_LAYOUT_BASE);
	assert_int_equal(bi.image_end, IMAGE_END);
}

static void test_igvm_boot_records_the_snp_launch_pages_inside_the_boot_region(void **state)
{
	(void)state;
	tee_set_launch_page(TEE_LAUNCH_SNP_SECRETS, 0x1234000);
	assert_int_equal(parse(), IGVM_BOOT_OK);
	assert_int_equal(tee_launch_page(TEE_LAUNCH_SNP_SECRETS), IGVM_SNP_SECRETS_GPA);
	assert_int_equal(tee_launch_page(TEE_LAUNCH_SNP_CPUID), IGVM_SNP_CPUID_GPA);
	/* What igvmgen loaded: the boot region up to its layout's end and the image, not the two pages
	 * between (a TEE validates those itself). */
	const struct tee_range *r;
	assert_int_equal(tee_launch_ranges(&r), 2);
	assert_int_equal(r[0].base, IGVM_LAYOUT_BASE);
	assert_int_equal(r[0].base + r[0].size, IGVM_LAYOUT_END);
	assert_int_equal(r[1].base, IGVM_IMAGE_GPA);
	assert_int_equal(r[1].base + r[1].size, IMAGE_END);
	/* A measured region that does not hold igvmgen's pages: none recorded, nothing stale kept. */
	man.image_base = IGVM_SNP_VMSA_GPA;
	assert_int_equal(parse(), IGVM_BOOT_OK);
	assert_int_equal(tee_launch_page(TEE_LAUNCH_SNP_SECRETS), 0);
	assert_int_equal(tee_launch_page(TEE_LAUNCH_SNP_CPUID), 0);
	assert_int_equal(tee_launch_ranges(&r), 0);
}

static void test_igvm_boot_memmap_types(void **state)
{
	static const struct igvm_vhs_memory_map_entry e[] = {
		{ PN(0x100000), PN(0x7F00000), IGVM_MEMORY_MAP_ENTRY_TYPE_VTL2_PROTECTABLE, 0, 0 },
		{ PN(0x8000000), 1, IGVM_MEMORY_MAP_ENTRY_TYPE_PERSISTENT, 0, 0 },
		{ PN(0x8001000), 1, IGVM_MEMORY_MAP_ENTRY_TYPE_HIDDEN, 0, 0 },
		{ PN(0x8002000), 1, 77, 0x5, 0 },
	};
	(void)state;
	put_memmap(e, 4);
	assert_int_equal(parse(), IGVM_BOOT_OK);
	assert_int_equal(bi.mem.r[0].type, MEM_USABLE);
	assert_int_equal(bi.mem.r[1].type, MEM_RESERVED);
	assert_int_equal(bi.mem.r[2].type, MEM_RESERVED);
	assert_int_equal(bi.mem.r[3].type, MEM_RESERVED); /* unknown type: never RAM */
}

static void test_igvm_boot_rejects_empty_memmap(void **state)
{
	(void)state;
	put_memmap(NULL, 0);
	assert_int_equal(parse(), IGVM_BOOT_NO_MEMMAP);
}

static void test_igvm_boot_rejects_unsorted_or_overlapping_memmap(void **state)
{
	static const struct igvm_vhs_memory_map_entry unsorted[] = {
		{ PN(0x100000), PN(0x7F00000), 0, 0, 0 },
		{ 0, PN(0xA0000), 0, 0, 0 },
	};
	static const struct igvm_vhs_memory_map_entry overlap[] = {
		{ 0, PN(0x200000), 0, 0, 0 },
		{ PN(0x100000), PN(0x7F00000), 0, 0, 0 },
	};
	(void)state;
	put_memmap(unsorted, 2);
	assert_int_equal(parse(), IGVM_BOOT_BAD_MEMMAP);
	put_memmap(overlap, 2);
	assert_int_equal(parse(), IGVM_BOOT_BAD_MEMMAP);
}

static void test_igvm_boot_rejects_wrapping_or_reserved_memmap(void **state)
{
	static const struct igvm_vhs_memory_map_entry wrap[] = {
		{ PN(0x100000), UINT64_MAX, 0, 0, 0 },
	};
	static const struct igvm_vhs_memory_map_entry beyond[] = {
		{ PN(0x100000), PN(0x7F00000), 0, 0, 0 },
		{ 1ull << 40, 1, 0, 0, 0 }, /* starts at 2^52 bytes: beyond any x86 physical address */
	};
	static const struct igvm_vhs_memory_map_entry to_limit[] = {
		{ PN(0x100000), (1ull << 40) - PN(0x100000), 0, 0, 0 }, /* ends exactly at 2^52: fine */
	};
	static const struct igvm_vhs_memory_map_entry reserved[] = {
		{ PN(0x100000), PN(0x7F00000), 0, 0, 1 },
	};
	(void)state;
	put_memmap(wrap, 1);
	assert_int_equal(parse(), IGVM_BOOT_BAD_MEMMAP);
	put_memmap(beyond, 2);
	assert_int_equal(parse(), IGVM_BOOT_BAD_MEMMAP);
	put_memmap(to_limit, 1);
	assert_int_equal(parse(), IGVM_BOOT_OK);
	assert_int_equal(bi.mem.r[0].base + bi.mem.r[0].size, 1ull << 52);
	put_memmap(reserved, 1);
	assert_int_equal(parse(), IGVM_BOOT_BAD_MEMMAP);
}

static void test_igvm_boot_full_area_without_terminator_is_bounded(void **state)
{
	/* 341 one-page entries fill both pages with no terminator; more than struct memmap holds. */
	static struct igvm_vhs_memory_map_entry many[IGVM_MEMMAP_BYTES / sizeof(struct igvm_vhs_memory_map_entry)];
	(void)state;
	for (size_t i = 0; i < sizeof(many) / sizeof(many[0]); i++)
		many[i] = (struct igvm_vhs_memory_map_entry){ PN(0x100000) + 2 * i, 1, 0, 0, 0 };
	put_memmap(many, sizeof(many) / sizeof(many[0]));
	assert_int_equal(parse(), IGVM_BOOT_IMAGE_NOT_RAM); /* holes everywhere: the image is not in RAM */
	for (size_t i = 0; i < sizeof(many) / sizeof(many[0]); i++)
		many[i] = (struct igvm_vhs_memory_map_entry){ i == 0 ? PN(0x100000) : PN(0x10000000) + i, i == 0 ? PN(0x7F00000) : 1, 0, 0, 0 };
	put_memmap(many, sizeof(many) / sizeof(many[0]));
	assert_int_equal(parse(), IGVM_BOOT_BAD_MEMMAP); /* 341 ranges > MEMMAP_MAX */
}

static void test_igvm_boot_rejects_image_outside_ram(void **state)
{
	static const struct igvm_vhs_memory_map_entry hole[] = {
		{ PN(0x100000), PN(0xF00000), 0, 0, 0 },   /* ends at 16 MiB: the image is past it */
		{ PN(0x1080000), PN(0x1000000), 0, 0, 0 },
	};
	static const struct igvm_vhs_memory_map_entry reserved[] = {
		{ PN(0x100000), PN(0x7F00000), IGVM_MEMORY_MAP_ENTRY_TYPE_PLATFORM_RESERVED, 0, 0 },
	};
	(void)state;
	put_memmap(hole, 2);
	assert_int_equal(parse(), IGVM_BOOT_IMAGE_NOT_RAM);
	put_memmap(reserved, 1);
	assert_int_equal(parse(), IGVM_BOOT_IMAGE_NOT_RAM);
	setup(NULL);
	man.bundle_base = 0x9000000; /* beyond the reported RAM */
	man.bundle_size = 0x1000;
	assert_int_equal(parse(), IGVM_BOOT_IMAGE_NOT_RAM);
}

static void test_igvm_boot_rejects_bad_cmdlines(void **state)
{
	(void)state;
	memset(phys + (IGVM_CMDLINE_GPA - PHYS_BASE), 'a', IGVM_CMDLINE_BYTES); /* no NUL in the area */
	assert_int_equal(parse(), IGVM_BOOT_BAD_CMDLINE);
	put_cmdline("quiet \x1b[2J");
	assert_int_equal(parse(), IGVM_BOOT_BAD_CMDLINE);
	put_cmdline("caf\xc3\xa9");
	assert_int_equal(parse(), IGVM_BOOT_BAD_CMDLINE);
	char longer[1100];
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	put_cmdline(longer); /* fits the area, not boot_info */
	assert_int_equal(parse(), IGVM_BOOT_BAD_CMDLINE);
	put_cmdline("tab\tand\nnewline");
	assert_int_equal(parse(), IGVM_BOOT_OK);
	assert_string_equal(bi.cmdline, "tab\tand\nnewline");
}

static void test_igvm_boot_rejects_bad_vp_counts(void **state)
{
	(void)state;
	put_vpcount(0);
	assert_int_equal(parse(), IGVM_BOOT_BAD_VP_COUNT);
	put_vpcount(IGVM_BOOT_VP_MAX + 1);
	assert_int_equal(parse(), IGVM_BOOT_BAD_VP_COUNT);
	put_vpcount(IGVM_BOOT_VP_MAX);
	assert_int_equal(parse(), IGVM_BOOT_OK);
}

static void test_igvm_boot_rejects_bad_manifest(void **state)
{
	(void)state;
	man.magic = 0;
	assert_int_equal(parse(), IGVM_BOOT_BAD_MANIFEST);
	setup(NULL);
	man.image_end = man.image_base; /* empty image */
	assert_int_equal(parse(), IGVM_BOOT_BAD_MANIFEST);
	setup(NULL);
	man.image_end = IMAGE_END + 1; /* unaligned */
	assert_int_equal(parse(), IGVM_BOOT_BAD_MANIFEST);
	setup(NULL);
	memset(man.cmdline, 'm', sizeof(man.cmdline)); /* unterminated */
	assert_int_equal(parse(), IGVM_BOOT_BAD_MANIFEST);
	setup(NULL);
	man.bundle_base = IMAGE_END - 0x1000; /* overlaps the image */
	man.bundle_size = 0x2000;
	assert_int_equal(parse(), IGVM_BOOT_BAD_MANIFEST);
	setup(NULL);
	man.bundle_base = 0xFFFFF000;
	man.bundle_size = 0x2000; /* crosses 4 GiB */
	assert_int_equal(parse(), IGVM_BOOT_BAD_MANIFEST);
}

static void test_igvm_boot_rejects_bad_area_layouts(void **state)
{
	(void)state;
	areas.memmap += 8; /* misaligned */
	assert_int_equal(parse(), IGVM_BOOT_BAD_AREAS);
	areas = igvm_boot_default_areas();
	areas.cmdline = areas.memmap + IGVM_PAGE_SIZE; /* overlaps the memory map's second page */
	assert_int_equal(parse(), IGVM_BOOT_BAD_AREAS);
	areas = igvm_boot_default_areas();
	areas.memmap_bytes = 0x10000; /* larger than the parser's private copy */
	assert_int_equal(parse(), IGVM_BOOT_BAD_AREAS);
	areas = igvm_boot_default_areas();
	areas.vpcount = 0x20000000; /* not addressable */
	assert_int_equal(parse(), IGVM_BOOT_UNREACHABLE);
	areas = igvm_boot_default_areas();
	areas.vpcount = 0xFFFFFFFFFFFFF000ull; /* wraps */
	assert_int_equal(parse(), IGVM_BOOT_BAD_AREAS);
}

static void test_igvm_boot_status_names(void **state)
{
	(void)state;
	assert_string_equal(igvm_boot_status_name(IGVM_BOOT_OK), "ok");
	assert_string_equal(igvm_boot_status_name((enum igvm_boot_status)99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_igvm_boot_parses_memmap_cmdline_and_vp_count, setup),
		cmocka_unit_test_setup(test_igvm_boot_records_the_snp_launch_pages_inside_the_boot_region, setup),
		cmocka_unit_test_setup(test_igvm_boot_memmap_types, setup),
		cmocka_unit_test_setup(test_igvm_boot_rejects_empty_memmap, setup),
		cmocka_unit_test_setup(test_igvm_boot_rejects_unsorted_or_overlapping_memmap, setup),
		cmocka_unit_test_setup(test_igvm_boot_rejects_wrapping_or_reserved_memmap, setup),
		cmocka_unit_test_setup(test_igvm_boot_full_area_without_terminator_is_bounded, setup),
		cmocka_unit_test_setup(test_igvm_boot_rejects_image_outside_ram, setup),
		cmocka_unit_test_setup(test_igvm_boot_rejects_bad_cmdlines, setup),
		cmocka_unit_test_setup(test_igvm_boot_rejects_bad_vp_counts, setup),
		cmocka_unit_test_setup(test_igvm_boot_rejects_bad_manifest, setup),
		cmocka_unit_test_setup(test_igvm_boot_rejects_bad_area_layouts, setup),
		cmocka_unit_test(test_igvm_boot_status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
