/* libFuzzer target: the IGVM file reader (tools/igvm/igvm_file.c) and the boot-time parameter parser
 * (boot/igvm.c). Each input is parsed as a whole IGVM file, and also written over the boot region's
 * loader-filled pages (command line, vp count, memory map) behind a well-formed manifest, as a
 * hostile loader would. Built by `make fuzz` (target igvm-fuzz) with clang -fsanitize=fuzzer. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/igvm.h"
#include "boot/igvm_layout.h"
#include "tools/igvm/igvm_file.h"

#define REGION_SIZE (IGVM_LAYOUT_END - IGVM_LAYOUT_BASE)

static uint8_t region[REGION_SIZE];
static struct boot_info bi;

static const void *phys(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	if (pa < IGVM_LAYOUT_BASE || len > REGION_SIZE || pa - IGVM_LAYOUT_BASE > REGION_SIZE - len)
		return NULL;
	return region + (pa - IGVM_LAYOUT_BASE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct igvm_file f;
	char err[256];

	if (igvm_file_parse(data, size, &f, err, sizeof(err)))
		igvm_file_free(&f);
	/* Again with the checksum made right, so mutations reach the variable-header checks. */
	struct igvm_fixed_header fh;
	if (size >= sizeof(fh) && size <= (1u << 20)) {
		memcpy(&fh, data, sizeof(fh));
		if ((uint64_t)fh.variable_header_offset + fh.variable_header_size <= size && fh.variable_header_offset >= sizeof(fh)) {
			uint8_t *copy = malloc(size);
			memcpy(copy, data, size);
			uint32_t crc = igvm_checksum(copy, sizeof(fh), copy + fh.variable_header_offset, fh.variable_header_size);
			memcpy(copy + offsetof(struct igvm_fixed_header, checksum), &crc, 4);
			if (igvm_file_parse(copy, size, &f, err, sizeof(err)))
				igvm_file_free(&f);
			free(copy);
		}
	}

	memset(region, 0, sizeof(region));
	struct igvm_mantle_manifest m = {
		.magic = IGVM_MANIFEST_MAGIC, .version = IGVM_MANIFEST_VERSION,
		.image_base = IGVM_LAYOUT_BASE, .image_end = 0x1100000,
	};
	strcpy(m.cmdline, "mantle.measured=1");
	memcpy(region + (IGVM_MANIFEST_GPA - IGVM_LAYOUT_BASE), &m, sizeof(m));
	size_t n = size < IGVM_SNP_SECRETS_GPA - IGVM_CMDLINE_GPA ? size : IGVM_SNP_SECRETS_GPA - IGVM_CMDLINE_GPA;
	memcpy(region + (IGVM_CMDLINE_GPA - IGVM_LAYOUT_BASE), data, n);
	struct igvm_boot_areas areas = igvm_boot_default_areas();
	struct igvm_boot_result res;
	memset(&bi, 0, sizeof(bi));
	(void)igvm_boot_parse(&areas, phys, NULL, &bi, &res);
	return 0;
}
