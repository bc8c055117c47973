/* A small, defensive reader for flattened device trees (DTB), as handed over by the aarch64 loader.
 *
 * The blob is loader/host input: every read is bounds-checked against the blob's validated header and
 * a corrupt tree yields an error code, never a crash. fdt_init() validates the header and walks the
 * whole structure block once (token layout, nesting, name and string termination), so the lookups
 * below may assume a well-formed tree but still check every offset they use.
 *
 * Layout (Devicetree Specification v0.4, chapter 5; all fields big-endian):
 *
 *   +----------------------+ 0
 *   | header (40 bytes)    |  magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap,
 *   +----------------------+  version, last_comp_version, boot_cpuid_phys, size_dt_strings,
 *   | memory reservations  |  size_dt_struct
 *   |  {u64 addr, u64 size}... terminated by {0, 0}
 *   +----------------------+
 *   | structure block      |  tokens: BEGIN_NODE name\0 (pad 4) | PROP len nameoff value (pad 4) |
 *   |                      |          END_NODE | NOP | END
 *   +----------------------+
 *   | strings block        |  NUL-terminated property names
 *   +----------------------+ totalsize
 *
 * Nodes are named by the offset of their BEGIN_NODE token inside the structure block.
 */
#ifndef MANTLE_CORE_FDT_H
#define MANTLE_CORE_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Devicetree Specification v0.4, section 5.2 and 5.4.1. */
#define FDT_MAGIC 0xd00dfeedu
#define FDT_HEADER_SIZE 40u
#define FDT_VERSION 17u
#define FDT_BEGIN_NODE 0x1u
#define FDT_END_NODE 0x2u
#define FDT_PROP 0x3u
#define FDT_NOP 0x4u
#define FDT_END 0x9u

/* Deepest node nesting accepted (the root is depth 1). Real trees stay well below 16. */
#define FDT_MAX_DEPTH 32
/* Largest blob accepted; the Linux arm64 boot protocol caps the DTB at 2 MiB. */
#define FDT_MAX_SIZE (2u << 20)

enum fdt_status {
	FDT_OK = 0,
	FDT_ERR_TRUNCATED,   /* a field or block runs past the end of the blob */
	FDT_ERR_BADMAGIC,
	FDT_ERR_BADVERSION,
	FDT_ERR_BADLAYOUT,   /* header offsets/sizes overlap, overflow or are misaligned */
	FDT_ERR_BADSTRUCTURE, /* bad token, unbalanced nodes, unterminated name or string */
	FDT_ERR_TOODEEP,
	FDT_ERR_NOTFOUND,
	FDT_ERR_BADOFFSET,   /* a node offset that is not a BEGIN_NODE token of this tree */
	FDT_ERR_BADVALUE,    /* a property exists but its length or content is not what was asked */
};

struct fdt {
	const uint8_t *blob;
	uint32_t size;        /* totalsize from the header, validated */
	uint32_t struct_off;
	uint32_t struct_size;
	uint32_t strings_off;
	uint32_t strings_size;
	uint32_t rsvmap_off;
	uint32_t rsv_count;   /* entries before the {0, 0} terminator */
	uint32_t root;        /* offset of the root node in the structure block */
};

/* #address-cells / #size-cells that apply to a node's `reg` (read from its parent). */
struct fdt_cells {
	uint32_t address;
	uint32_t size;
};

/* Validates the blob at `blob`, of which at most `cap` bytes may be read. */
__attribute__((warn_unused_result)) enum fdt_status fdt_init(struct fdt *f, const void *blob, size_t cap);

const char *fdt_strerror(enum fdt_status st);

/* Memory reservation block entry `index`; FDT_ERR_NOTFOUND past the terminating entry. */
__attribute__((warn_unused_result)) enum fdt_status fdt_memreserve(const struct fdt *f, uint32_t index,
								   uint64_t *addr, uint64_t *size);

/* Node lookup by absolute path ("/", "/chosen", "/memory@40000000"). A path component without a unit
 * address ("memory") also matches a node with one ("memory@40000000"); the first match wins. */
__attribute__((warn_unused_result)) enum fdt_status fdt_path(const struct fdt *f, const char *path,
							     uint32_t *node);

__attribute__((warn_unused_result)) enum fdt_status fdt_first_child(const struct fdt *f, uint32_t node,
								    uint32_t *child);
__attribute__((warn_unused_result)) enum fdt_status fdt_next_sibling(const struct fdt *f, uint32_t node,
								     uint32_t *sibling);
__attribute__((warn_unused_result)) enum fdt_status fdt_parent(const struct fdt *f, uint32_t node,
							       uint32_t *parent);

/* The node's name including any unit address; NUL-terminated inside the blob. */
const char *fdt_node_name(const struct fdt *f, uint32_t node);

/* Raw property value (not NUL-terminated, possibly unaligned) and its length. */
__attribute__((warn_unused_result)) enum fdt_status fdt_getprop(const struct fdt *f, uint32_t node,
								const char *name, const uint8_t **val,
								uint32_t *len);

/* A property holding one NUL-terminated string (the first string of a string list). */
__attribute__((warn_unused_result)) enum fdt_status fdt_prop_string(const struct fdt *f, uint32_t node,
								    const char *name, const char **str);

/* A property of exactly one cell, or of one or two cells (u32 or u64, as linux,initrd-start). */
__attribute__((warn_unused_result)) enum fdt_status fdt_prop_u32(const struct fdt *f, uint32_t node,
								 const char *name, uint32_t *out);
__attribute__((warn_unused_result)) enum fdt_status fdt_prop_u64(const struct fdt *f, uint32_t node,
								 const char *name, uint64_t *out);

/* True when the node's string-list property `name` contains `str` (e.g. "compatible", "arm,pl011"). */
bool fdt_prop_has_string(const struct fdt *f, uint32_t node, const char *name, const char *str);

/* #address-cells and #size-cells declared by `parent` (defaults 2 and 1 when absent, per the
 * Devicetree Specification section 2.3.5); FDT_ERR_BADVALUE if either is above 2 (64-bit). */
__attribute__((warn_unused_result)) enum fdt_status fdt_cells(const struct fdt *f, uint32_t parent,
							      struct fdt_cells *cells);

/* Entry `index` of the node's `reg`, decoded with `cells`; FDT_ERR_NOTFOUND past the last entry,
 * FDT_ERR_BADVALUE if the property length is not a multiple of the entry size. */
__attribute__((warn_unused_result)) enum fdt_status fdt_reg(const struct fdt *f, uint32_t node,
							    struct fdt_cells cells, uint32_t index,
							    uint64_t *base, uint64_t *size);

/* Big-endian field readers for callers holding a property value (`p` may be unaligned). */
static inline uint32_t fdt_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint64_t fdt_be64(const uint8_t *p)
{
	return (uint64_t)fdt_be32(p) << 32 | fdt_be32(p + 4);
}

#endif
