/* The guest bundle: guest kernel, initrd and command line in one file, handed to Mantle as a boot
 * module (PVH module 0) and built by tools/mkbundle. Format (all little-endian), docs/guest-bundle.md:
 *
 *   header   struct bundle_header                 at offset 0
 *   entries  struct bundle_entry[entry_count]      right after the header
 *   payloads at the entries' offsets, each 4 KiB aligned so a payload is page aligned in memory
 *
 * The loader (the host) wrote this memory: every length and offset is checked before use, and the
 * parser works on a copy of the header and entry table.
 */
#ifndef MANTLE_BOOT_BUNDLE_H
#define MANTLE_BOOT_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#define BUNDLE_MAGIC "MNTLBNDL"
#define BUNDLE_VERSION 1u
#define BUNDLE_ALIGN 4096u
#define BUNDLE_MAX_ENTRIES 8u
#define BUNDLE_CMDLINE_MAX 4096u

enum bundle_type {
	BUNDLE_KERNEL = 1,   /* Linux bzImage */
	BUNDLE_INITRD = 2,
	BUNDLE_CMDLINE = 3,  /* text without NUL; its size is its length */
};

struct bundle_header {
	uint8_t magic[8];
	uint32_t version;
	uint32_t entry_count;
	uint64_t total_size;   /* bytes of the whole bundle, header included */
};
_Static_assert(sizeof(struct bundle_header) == 24, "docs/guest-bundle.md: header is 24 bytes");

struct bundle_entry {
	uint32_t type;
	uint32_t reserved;     /* must be 0 */
	uint64_t offset;       /* from the start of the bundle; BUNDLE_ALIGN aligned */
	uint64_t size;
};
_Static_assert(sizeof(struct bundle_entry) == 24, "docs/guest-bundle.md: entries are 24 bytes");

enum bundle_status {
	BUNDLE_OK = 0,
	BUNDLE_TRUNCATED,       /* shorter than its header, entry table or total_size */
	BUNDLE_BAD_MAGIC,
	BUNDLE_BAD_VERSION,
	BUNDLE_TOO_MANY_ENTRIES,
	BUNDLE_BAD_ENTRY,       /* unknown type, reserved bits, misaligned, out of bounds, overflow */
	BUNDLE_OVERLAP,         /* two payloads, or a payload and the header/table, overlap */
	BUNDLE_DUPLICATE,       /* a type appears twice */
	BUNDLE_NO_KERNEL,
	BUNDLE_BAD_CMDLINE,     /* too long or contains NUL */
};

/* What a valid bundle holds, as offsets into it. */
struct bundle_view {
	uint64_t kernel_off, kernel_size;
	uint64_t initrd_off, initrd_size;   /* size 0: no initrd */
	char cmdline[BUNDLE_CMDLINE_MAX];   /* NUL-terminated copy */
};

__attribute__((warn_unused_result)) enum bundle_status bundle_parse(const uint8_t *data, uint64_t len,
								    struct bundle_view *out);

const char *bundle_status_name(enum bundle_status st);

#endif
