/* IGVM reader for the host tools: parses a whole file held in memory, checking every length and offset
 * (ref A.4, A.5, A.12), and exposes its headers in file order. Used by igvmdump, the measurement code,
 * the unit tests and the fuzz target. No allocation survives a failed parse.
 */
#ifndef MANTLE_TOOLS_IGVM_FILE_H
#define MANTLE_TOOLS_IGVM_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/igvm_defs.h"

enum igvm_section { IGVM_SECTION_PLATFORM, IGVM_SECTION_INIT, IGVM_SECTION_DIRECTIVE };

struct igvm_hdr {
	uint32_t type;       /* without IGVM_VHT_OPTIONAL_BIT */
	bool optional;       /* the optional bit was set */
	bool known;          /* a type this reader understands (unknown ones are optional, or rejected) */
	enum igvm_section section;
	uint32_t length;     /* unpadded body length */
	uint32_t offset;     /* file offset of the body */
	const uint8_t *body; /* points into the file buffer */
};

#define IGVM_MAX_PLATFORMS 32

struct igvm_platform {
	uint32_t mask;
	uint8_t type;
	uint8_t highest_vtl;
	uint64_t shared_gpa_boundary;
};

struct igvm_file {
	const uint8_t *buf;
	size_t size;
	uint32_t version;
	uint32_t header_size;      /* fixed header: 24 (v1) or 32 (v2) */
	uint32_t vh_offset, vh_size;
	uint32_t data_start;       /* first byte of the file-data section */
	uint32_t checksum;
	size_t count;
	struct igvm_hdr *hdrs;
	size_t platform_count;
	struct igvm_platform platforms[IGVM_MAX_PLATFORMS];
};

/* Parses buf (which must outlive f). On failure returns false and writes a one-line reason to err. */
bool igvm_file_parse(const uint8_t *buf, size_t size, struct igvm_file *f, char *err, size_t err_len);
void igvm_file_free(struct igvm_file *f);

/* `len` bytes of file data at absolute file offset `off`, or NULL if they are not all inside the
 * file-data section. */
const uint8_t *igvm_file_data(const struct igvm_file *f, uint32_t off, size_t len);

/* The platform whose single-bit mask is `mask`, or NULL. */
const struct igvm_platform *igvm_file_platform(const struct igvm_file *f, uint32_t mask);
const struct igvm_platform *igvm_file_platform_of_type(const struct igvm_file *f, uint8_t type);

/* The compatibility mask of a header that has one (false for PARAMETER_AREA and parameters). */
bool igvm_hdr_mask(const struct igvm_hdr *h, uint32_t *mask);

const char *igvm_type_name(uint32_t type);
const char *igvm_platform_name(uint8_t type);

/* zlib CRC-32 of the fixed header (checksum field taken as zero) followed by the variable header. */
uint32_t igvm_checksum(const uint8_t *fixed, size_t fixed_len, const uint8_t *vh, size_t vh_len);

#endif
