#include "boot/linux.h"

#include <stdbool.h>

#include "core/str.h"

static uint8_t get8(const uint8_t *p, uint32_t off)
{
	return p[off];
}

static uint16_t get16(const uint8_t *p, uint32_t off)
{
	return (uint16_t)(p[off] | p[off + 1] << 8);
}

static uint32_t get32(const uint8_t *p, uint32_t off)
{
	return (uint32_t)get16(p, off) | (uint32_t)get16(p, off + 2) << 16;
}

static uint64_t get64(const uint8_t *p, uint32_t off)
{
	return (uint64_t)get32(p, off) | (uint64_t)get32(p, off + 4) << 32;
}

static void put8(uint8_t *p, uint32_t off, uint8_t v)
{
	p[off] = v;
}

static void put32(uint8_t *p, uint32_t off, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[off + i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint32_t off, uint64_t v)
{
	put32(p, off, (uint32_t)v);
	put32(p, off + 4, (uint32_t)(v >> 32));
}

enum linux_status linux_parse(const uint8_t *img, uint64_t len, struct linux_image *out)
{
	/* The header's last field we read is init_size at 0x260. */
	if (len < HDR_INIT_SIZE + 4)
		return LINUX_TOO_SMALL;
	if (get16(img, HDR_BOOT_FLAG) != 0xaa55 || get32(img, HDR_HEADER) != LINUX_HDRS_MAGIC)
		return LINUX_NOT_BZIMAGE;
	*out = (struct linux_image){
		.version = get16(img, HDR_VERSION),
		.kernel_alignment = get32(img, HDR_KERNEL_ALIGNMENT),
		.init_size = get32(img, HDR_INIT_SIZE),
		.initrd_addr_max = get32(img, HDR_INITRD_ADDR_MAX),
		.cmdline_size = get32(img, HDR_CMDLINE_SIZE),
		.xloadflags = (uint8_t)get16(img, HDR_XLOADFLAGS),
		.relocatable = get8(img, HDR_RELOCATABLE),
		.pref_address = get64(img, HDR_PREF_ADDRESS),
	};
	if (out->version < LINUX_MIN_VERSION)
		return LINUX_OLD_PROTOCOL;
	if (!out->relocatable)
		return LINUX_NOT_RELOCATABLE;
	uint32_t a = out->kernel_alignment;
	if (a < 4096 || (a & (a - 1)))
		return LINUX_BAD_ALIGNMENT;
	/* boot.rst: setup_sects 0 means 4. */
	uint8_t sects = get8(img, HDR_SETUP_SECTS);
	out->setup_size = ((uint64_t)(sects ? sects : 4) + 1) * 512;
	if (out->setup_size >= len)
		return LINUX_TOO_SMALL;
	out->pm_offset = out->setup_size;
	out->pm_size = len - out->setup_size;
	if (out->init_size < out->pm_size)
		out->init_size = (uint32_t)out->pm_size;
	return LINUX_OK;
}

/* `img` must have passed linux_parse(), which guarantees it is longer than the whole zero page. */
enum linux_status linux_build_boot_params(const uint8_t *img, const struct linux_image *li,
					  const struct linux_placement *pl, uint8_t *zp)
{
	if (pl->kernel_addr & (li->kernel_alignment - 1))
		return LINUX_BAD_ALIGNMENT;
	if (pl->e820_count > LINUX_E820_MAX)
		return LINUX_TOO_MANY_E820;
	if (pl->cmdline_addr >> 32)
		return LINUX_CMDLINE_TOO_HIGH;
	bool above_4g_ok = li->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G;
	if (pl->initrd_size) {
		if (pl->initrd_size - 1 > UINT64_MAX - pl->initrd_addr)
			return LINUX_INITRD_TOO_HIGH;
		if (pl->initrd_addr + pl->initrd_size - 1 > li->initrd_addr_max && !above_4g_ok)
			return LINUX_INITRD_TOO_HIGH;
	}

	memset(zp, 0, LINUX_BOOT_PARAMS_SIZE);
	/* The setup header runs from 0x1f1 to 0x202 + the byte at 0x201 (boot.rst, "Details of header
	 * fields"); copy exactly that, bounded by the zero page. */
	uint32_t hdr_end = HDR_HEADER + get8(img, 0x201);
	if (hdr_end > ZP_E820_TABLE)
		hdr_end = ZP_E820_TABLE;
	memcpy(zp + LINUX_SETUP_HEADER_OFF, img + LINUX_SETUP_HEADER_OFF, hdr_end - LINUX_SETUP_HEADER_OFF);

	put8(zp, HDR_TYPE_OF_LOADER, LOADER_TYPE_UNDEFINED);
	put8(zp, HDR_LOADFLAGS, (uint8_t)((get8(zp, HDR_LOADFLAGS) | LOADFLAGS_LOADED_HIGH) &
					  ~LOADFLAGS_KEEP_SEGMENTS));
	put32(zp, HDR_CODE32_START, (uint32_t)pl->kernel_addr);
	put32(zp, HDR_CMD_LINE_PTR, (uint32_t)pl->cmdline_addr);
	put32(zp, HDR_RAMDISK_IMAGE, (uint32_t)pl->initrd_addr);
	put32(zp, HDR_RAMDISK_SIZE, (uint32_t)pl->initrd_size);
	put32(zp, ZP_EXT_RAMDISK_IMAGE, (uint32_t)(pl->initrd_addr >> 32));
	put32(zp, ZP_EXT_RAMDISK_SIZE, (uint32_t)(pl->initrd_size >> 32));
	put64(zp, ZP_ACPI_RSDP_ADDR, pl->rsdp);
	put8(zp, ZP_E820_ENTRIES, (uint8_t)pl->e820_count);
	memcpy(zp + ZP_E820_TABLE, pl->e820, pl->e820_count * sizeof(struct linux_e820));
	return LINUX_OK;
}

const char *linux_status_name(enum linux_status st)
{
	static const char *const names[] = {
		[LINUX_OK] = "ok",
		[LINUX_TOO_SMALL] = "image too small",
		[LINUX_NOT_BZIMAGE] = "not a bzImage",
		[LINUX_OLD_PROTOCOL] = "boot protocol older than 2.12",
		[LINUX_NOT_RELOCATABLE] = "kernel is not relocatable",
		[LINUX_BAD_ALIGNMENT] = "bad kernel alignment",
		[LINUX_INITRD_TOO_HIGH] = "initrd above the kernel's limit",
		[LINUX_CMDLINE_TOO_HIGH] = "command line above 4 GiB",
		[LINUX_TOO_MANY_E820] = "too many e820 entries",
	};

	if ((unsigned)st >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[st];
}
