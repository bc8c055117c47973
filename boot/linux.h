/* Linux x86 boot protocol (Documentation/arch/x86/boot.rst, protocol 2.12+) and the zero page
 * (Documentation/arch/x86/zero-page.rst): parsing a bzImage and building `struct boot_params` for
 * the 32-bit entry point. Pure functions over buffers, so host tests drive them with crafted images. */
#ifndef MANTLE_BOOT_LINUX_H
#define MANTLE_BOOT_LINUX_H

#include <stddef.h>
#include <stdint.h>

#define LINUX_BOOT_PARAMS_SIZE 4096u
#define LINUX_SETUP_HEADER_OFF 0x1f1u
#define LINUX_HDRS_MAGIC 0x53726448u       /* "HdrS" at 0x202 */
#define LINUX_MIN_VERSION 0x020cu          /* 2.12: xloadflags, 64-bit capable loaders */
#define LINUX_E820_MAX 128u

/* Key zero-page offsets (zero-page.rst). */
#define ZP_ACPI_RSDP_ADDR 0x070u
#define ZP_EXT_RAMDISK_IMAGE 0x0c0u
#define ZP_EXT_RAMDISK_SIZE 0x0c4u
#define ZP_EXT_CMD_LINE_PTR 0x0c8u
#define ZP_E820_ENTRIES 0x1e8u
#define ZP_SENTINEL 0x1efu
#define ZP_E820_TABLE 0x2d0u

/* Setup-header offsets within the zero page / the bzImage (boot.rst, "The real-mode kernel header"). */
#define HDR_SETUP_SECTS 0x1f1u
#define HDR_BOOT_FLAG 0x1feu
#define HDR_JUMP 0x200u
#define HDR_HEADER 0x202u
#define HDR_VERSION 0x206u
#define HDR_TYPE_OF_LOADER 0x210u
#define HDR_LOADFLAGS 0x211u
#define HDR_CODE32_START 0x214u
#define HDR_RAMDISK_IMAGE 0x218u
#define HDR_RAMDISK_SIZE 0x21cu
#define HDR_CMD_LINE_PTR 0x228u
#define HDR_INITRD_ADDR_MAX 0x22cu
#define HDR_KERNEL_ALIGNMENT 0x230u
#define HDR_RELOCATABLE 0x234u
#define HDR_XLOADFLAGS 0x236u
#define HDR_CMDLINE_SIZE 0x238u
#define HDR_PREF_ADDRESS 0x258u
#define HDR_INIT_SIZE 0x260u

#define LOADFLAGS_LOADED_HIGH 0x01u
#define LOADFLAGS_KEEP_SEGMENTS 0x40u
#define XLF_CAN_BE_LOADED_ABOVE_4G 0x02u
#define LOADER_TYPE_UNDEFINED 0xffu

/* e820 entry as in the zero page (20 bytes, packed). */
struct linux_e820 {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct linux_e820) == 20, "zero-page.rst: boot_e820_entry is 20 bytes");

#define E820_RAM 1u
#define E820_RESERVED 2u
#define E820_ACPI 3u
#define E820_NVS 4u
#define E820_UNUSABLE 5u

struct linux_image {
	uint64_t setup_size;        /* real-mode part: (setup_sects + 1) * 512 */
	uint64_t pm_offset;         /* protected-mode kernel: offset in the bzImage... */
	uint64_t pm_size;           /* ...and size */
	uint16_t version;
	uint32_t kernel_alignment;
	uint32_t init_size;         /* memory the kernel needs from its load address on */
	uint32_t initrd_addr_max;
	uint32_t cmdline_size;      /* longest command line, without the NUL */
	uint8_t xloadflags;
	uint8_t relocatable;
	uint64_t pref_address;
};

struct linux_placement {
	uint64_t kernel_addr;
	uint64_t cmdline_addr;
	uint64_t initrd_addr;
	uint64_t initrd_size;
	uint64_t rsdp;
	const struct linux_e820 *e820;
	uint32_t e820_count;
};

enum linux_status {
	LINUX_OK = 0,
	LINUX_TOO_SMALL,        /* shorter than the setup header, or than its own setup + kernel */
	LINUX_NOT_BZIMAGE,      /* no boot flag / "HdrS" */
	LINUX_OLD_PROTOCOL,     /* older than 2.12 */
	LINUX_NOT_RELOCATABLE,
	LINUX_BAD_ALIGNMENT,    /* kernel_alignment not a power of two, or the load address misaligned */
	LINUX_INITRD_TOO_HIGH,  /* above initrd_addr_max and the kernel cannot take it above 4 GiB */
	LINUX_CMDLINE_TOO_HIGH, /* above 4 GiB */
	LINUX_TOO_MANY_E820,
};

__attribute__((warn_unused_result)) enum linux_status linux_parse(const uint8_t *img, uint64_t len,
								  struct linux_image *out);

/* Writes the zero page for the 32-bit entry into zp (LINUX_BOOT_PARAMS_SIZE bytes): the bzImage's
 * setup header, the loader fields and the e820 map. */
__attribute__((warn_unused_result)) enum linux_status linux_build_boot_params(
	const uint8_t *img, const struct linux_image *li, const struct linux_placement *pl, uint8_t *zp);

const char *linux_status_name(enum linux_status st);

#endif
