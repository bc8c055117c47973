/* Linux boot protocol: bzImage header parsing and zero-page construction, on crafted images. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boot/linux.h"

static uint8_t img[16384];
static uint8_t zp[LINUX_BOOT_PARAMS_SIZE];
static struct linux_image li;

static void put16(uint32_t off, uint16_t v)
{
	img[off] = (uint8_t)v;
	img[off + 1] = (uint8_t)(v >> 8);
}

static void put32(uint32_t off, uint32_t v)
{
	put16(off, (uint16_t)v);
	put16(off + 2, (uint16_t)(v >> 16));
}

static uint32_t zp32(uint32_t off)
{
	return (uint32_t)zp[off] | (uint32_t)zp[off + 1] << 8 | (uint32_t)zp[off + 2] << 16 |
	       (uint32_t)zp[off + 3] << 24;
}

static int make_image(void **state)
{
	(void)state;
	memset(img, 0, sizeof(img));
	img[HDR_SETUP_SECTS] = 4;
	put16(HDR_BOOT_FLAG, 0xaa55);
	img[HDR_JUMP] = 0xeb;
	img[0x201] = 0x6a;                 /* setup header ends at 0x202 + 0x6a = 0x26c */
	put32(HDR_HEADER, LINUX_HDRS_MAGIC);
	put16(HDR_VERSION, 0x020f);
	img[HDR_LOADFLAGS] = LOADFLAGS_KEEP_SEGMENTS;
	put32(HDR_INITRD_ADDR_MAX, 0x7fffffff);
	put32(HDR_KERNEL_ALIGNMENT, 0x200000);
	img[HDR_RELOCATABLE] = 1;
	put16(HDR_XLOADFLAGS, 0x7f & ~XLF_CAN_BE_LOADED_ABOVE_4G);
	put32(HDR_CMDLINE_SIZE, 2047);
	put32(HDR_INIT_SIZE, 0x100000);
	img[0x268] = 0xa5;                 /* inside the header (kernel_info_offset) */
	img[0x270] = 0x5a;                 /* beyond the header: must not be copied */
	memset(zp, 0xcc, sizeof(zp));
	return 0;
}

static const struct linux_e820 e820[2] = {
	{ 0, 0x9fc00, E820_RAM },
	{ 0x100000, 0x1ff00000, E820_RAM },
};

static struct linux_placement placement(void)
{
	return (struct linux_placement){
		.kernel_addr = 0x2000000, .cmdline_addr = 0x20000, .initrd_addr = 0x1f000000,
		.initrd_size = 0x123456, .rsdp = 0xf5a40, .e820 = e820, .e820_count = 2,
	};
}

static void test_linux_parses_header(void **state)
{
	(void)state;
	assert_int_equal(linux_parse(img, sizeof(img), &li), LINUX_OK);
	assert_int_equal(li.version, 0x020f);
	assert_int_equal(li.setup_size, 5 * 512);
	assert_int_equal(li.pm_offset, 5 * 512);
	assert_int_equal(li.pm_size, sizeof(img) - 5 * 512);
	assert_int_equal(li.kernel_alignment, 0x200000);
	assert_int_equal(li.init_size, 0x100000);
	assert_int_equal(li.cmdline_size, 2047);
}

static void test_linux_zero_setup_sects_means_four(void **state)
{
	(void)state;
	img[HDR_SETUP_SECTS] = 0;
	assert_int_equal(linux_parse(img, sizeof(img), &li), LINUX_OK);
	assert_int_equal(li.setup_size, 5 * 512);
	/* init_size never below what must be copied. */
	put32(HDR_INIT_SIZE, 16);
	assert_int_equal(linux_parse(img, sizeof(img), &li), LINUX_OK);
	assert_int_equal(li.init_size, li.pm_size);
}

static void test_linux_rejects_bad_images(void **state)
{
	(void)state;
	assert_int_equal(linux_parse(img, 0x200, &li), LINUX_TOO_SMALL);
	assert_int_equal(linux_parse(img, 5 * 512, &li), LINUX_TOO_SMALL); /* no kernel after setup */
	img[HDR_SETUP_SECTS] = 255;                                        /* setup larger than image */
	assert_int_equal(linux_parse(img, sizeof(img), &li), LINUX_TOO_SMALL);
	make_image(NULL);
	put32(HDR_HEADER, 0x12345678);
	assert_int_equal(linux_parse(img, sizeof(img), &li), LINUX_NOT_BZIMAGE);
	make_image(NULL);
	put16(HDR_BOOT_FLAG, 0);
	assert_int_equal(linux_parse(img, sizeof(img), &li), LINUX_NOT_BZIMAGE);
	make_image(NULL);
	put16(HDR_VERSION, 0x020b);
	assert_int_equal(linux_parse(img, sizeof(img), &li), LINUX_OLD_PROTOCOL);
	make_image(NULL);
	img[HDR_RELOCATABLE] = 0;
	assert_int_equal(linux_parse(img, sizeof(img), &li), LINUX_NOT_RELOCATABLE);
	make_image(NULL);
	put32(HDR_KERNEL_ALIGNMENT, 0x300000);
	assert_int_equal(linux_parse(img, sizeof(img), &li), LINUX_BAD_ALIGNMENT);
	put32(HDR_KERNEL_ALIGNMENT, 0);
	assert_int_equal(linux_parse(img, sizeof(img), &li), LINUX_BAD_ALIGNMENT);
}

static void test_linux_builds_zero_page(void **state)
{
	(void)state;
	struct linux_placement pl = placement();

	assert_int_equal(linux_parse(img, sizeof(img), &li), LINUX_OK);
	assert_int_equal(linux_build_boot_params(img, &li, &pl, zp), LINUX_OK);
	/* The setup header is copied exactly, nothing before or after it. */
	assert_int_equal(zp[0x1f0], 0);
	assert_int_equal(zp[HDR_SETUP_SECTS], 4);
	assert_int_equal(zp32(HDR_HEADER), LINUX_HDRS_MAGIC);
	assert_int_equal(zp[0x268], 0xa5);
	assert_int_equal(zp[0x270], 0);
	/* Loader fields. */
	assert_int_equal(zp[HDR_TYPE_OF_LOADER], LOADER_TYPE_UNDEFINED);
	assert_int_equal(zp[HDR_LOADFLAGS], LOADFLAGS_LOADED_HIGH); /* KEEP_SEGMENTS cleared */
	assert_int_equal(zp32(HDR_CODE32_START), 0x2000000);
	assert_int_equal(zp32(HDR_CMD_LINE_PTR), 0x20000);
	assert_int_equal(zp32(HDR_RAMDISK_IMAGE), 0x1f000000);
	assert_int_equal(zp32(HDR_RAMDISK_SIZE), 0x123456);
	assert_int_equal(zp32(ZP_EXT_RAMDISK_IMAGE), 0);
	assert_int_equal(zp32(ZP_ACPI_RSDP_ADDR), 0xf5a40);
	assert_int_equal(zp[ZP_E820_ENTRIES], 2);
	struct linux_e820 e;
	memcpy(&e, zp + ZP_E820_TABLE + sizeof(e), sizeof(e));
	assert_int_equal(e.addr, 0x100000);
	assert_int_equal(e.size, 0x1ff00000);
	assert_int_equal(e.type, E820_RAM);
	assert_int_equal(zp[ZP_SENTINEL], 0);
}

static void test_linux_refuses_bad_placements(void **state)
{
	(void)state;
	struct linux_placement pl = placement();

	assert_int_equal(linux_parse(img, sizeof(img), &li), LINUX_OK);
	pl.kernel_addr = 0x2001000;
	assert_int_equal(linux_build_boot_params(img, &li, &pl, zp), LINUX_BAD_ALIGNMENT);
	pl = placement();
	pl.initrd_addr = 0x7ffff000; /* ends above initrd_addr_max */
	pl.initrd_size = 0x2000;
	assert_int_equal(linux_build_boot_params(img, &li, &pl, zp), LINUX_INITRD_TOO_HIGH);
	pl.initrd_addr = 0xfffffffffffff000ull; /* would wrap */
	assert_int_equal(linux_build_boot_params(img, &li, &pl, zp), LINUX_INITRD_TOO_HIGH);
	pl = placement();
	pl.cmdline_addr = 0x100000000ull;
	assert_int_equal(linux_build_boot_params(img, &li, &pl, zp), LINUX_CMDLINE_TOO_HIGH);
	pl = placement();
	pl.e820_count = LINUX_E820_MAX + 1;
	assert_int_equal(linux_build_boot_params(img, &li, &pl, zp), LINUX_TOO_MANY_E820);
}

static void test_linux_initrd_above_4g_needs_the_kernel_flag(void **state)
{
	(void)state;
	struct linux_placement pl = placement();

	put16(HDR_XLOADFLAGS, XLF_CAN_BE_LOADED_ABOVE_4G);
	assert_int_equal(linux_parse(img, sizeof(img), &li), LINUX_OK);
	pl.initrd_addr = 0x123000000ull;
	assert_int_equal(linux_build_boot_params(img, &li, &pl, zp), LINUX_OK);
	assert_int_equal(zp32(HDR_RAMDISK_IMAGE), 0x23000000);
	assert_int_equal(zp32(ZP_EXT_RAMDISK_IMAGE), 1);
	assert_string_equal(linux_status_name(LINUX_OLD_PROTOCOL), "boot protocol older than 2.12");
}

#define T(f) cmocka_unit_test_setup(f, make_image)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_linux_parses_header),
		T(test_linux_zero_setup_sects_means_four),
		T(test_linux_rejects_bad_images),
		T(test_linux_builds_zero_page),
		T(test_linux_refuses_bad_placements),
		T(test_linux_initrd_above_4g_needs_the_kernel_flag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
