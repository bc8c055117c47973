/* The FDT reader against blobs built here: well-formed trees, then every way a loader-supplied blob
 * can be corrupt. Blobs live in exactly-sized heap buffers so ASan catches any read past the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/fdt.h"

/* ---- a tiny FDT builder ------------------------------------------------------------------------ */

struct builder {
	uint8_t st[8192];
	size_t st_len;
	char strings[1024];
	size_t str_len;
	uint64_t rsv[8][2];
	unsigned rsv_count;
};

static struct builder b;

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static void emit32(uint32_t v)
{
	assert_true(b.st_len + 4 <= sizeof(b.st));
	put32(b.st + b.st_len, v);
	b.st_len += 4;
}

static void emit_bytes(const void *p, size_t n)
{
	assert_true(b.st_len + n + 3 <= sizeof(b.st));
	memcpy(b.st + b.st_len, p, n);
	b.st_len += n;
	while (b.st_len % 4)
		b.st[b.st_len++] = 0;
}

static uint32_t string_off(const char *name)
{
	for (size_t off = 0; off < b.str_len; off += strlen(b.strings + off) + 1) {
		if (strcmp(b.strings + off, name) == 0)
			return (uint32_t)off;
	}
	size_t n = strlen(name) + 1;
	assert_true(b.str_len + n <= sizeof(b.strings));
	memcpy(b.strings + b.str_len, name, n);
	b.str_len += n;
	return (uint32_t)(b.str_len - n);
}

static void begin(const char *name)
{
	emit32(FDT_BEGIN_NODE);
	emit_bytes(name, strlen(name) + 1);
}

static void end(void)
{
	emit32(FDT_END_NODE);
}

static void prop(const char *name, const void *val, uint32_t len)
{
	emit32(FDT_PROP);
	emit32(len);
	emit32(string_off(name));
	emit_bytes(val, len);
}

static void prop_u32(const char *name, uint32_t v)
{
	uint8_t buf[4];

	put32(buf, v);
	prop(name, buf, 4);
}

static void prop_str(const char *name, const char *s)
{
	prop(name, s, (uint32_t)strlen(s) + 1);
}

/* `reg` from up to 4 (base, size) pairs encoded with the given cells. */
static void prop_reg(uint32_t ac, uint32_t sc, const uint64_t *pairs, unsigned n)
{
	uint8_t buf[64];
	size_t len = 0;

	for (unsigned i = 0; i < n; i++) {
		if (ac == 2)
			put64(buf + len, pairs[2 * i]);
		else
			put32(buf + len, (uint32_t)pairs[2 * i]);
		len += ac * 4;
		if (sc == 2)
			put64(buf + len, pairs[2 * i + 1]);
		else if (sc == 1)
			put32(buf + len, (uint32_t)pairs[2 * i + 1]);
		len += sc * 4;
	}
	prop("reg", buf, (uint32_t)len);
}

static void reserve(uint64_t addr, uint64_t size)
{
	b.rsv[b.rsv_count][0] = addr;
	b.rsv[b.rsv_count][1] = size;
	b.rsv_count++;
}

/* Lays out header, reservation map, structure and strings; returns an exactly-sized heap blob. */
static uint8_t *finish(size_t *size_out)
{
	emit32(FDT_END);
	size_t rsv_off = FDT_HEADER_SIZE;
	size_t rsv_len = (b.rsv_count + 1) * 16;
	size_t st_off = rsv_off + rsv_len;
	size_t str_off = st_off + b.st_len;
	size_t total = str_off + b.str_len;
	uint8_t *blob = calloc(1, total);

	assert_non_null(blob);
	put32(blob + 0, FDT_MAGIC);
	put32(blob + 4, (uint32_t)total);
	put32(blob + 8, (uint32_t)st_off);
	put32(blob + 12, (uint32_t)str_off);
	put32(blob + 16, (uint32_t)rsv_off);
	put32(blob + 20, 17);
	put32(blob + 24, 16);
	put32(blob + 32, (uint32_t)b.str_len);
	put32(blob + 36, (uint32_t)b.st_len);
	for (unsigned i = 0; i < b.rsv_count; i++) {
		put64(blob + rsv_off + 16 * i, b.rsv[i][0]);
		put64(blob + rsv_off + 16 * i + 8, b.rsv[i][1]);
	}
	memcpy(blob + st_off, b.st, b.st_len);
	memcpy(blob + str_off, b.strings, b.str_len);
	*size_out = total;
	return blob;
}

static int reset(void **state)
{
	(void)state;
	memset(&b, 0, sizeof(b));
	return 0;
}

/* A QEMU-virt-like tree. */
static uint8_t *build_virt(size_t *size)
{
	static const uint64_t mem[] = { 0x40000000, 0x20000000, 0x100000000ull, 0x40000000 };
	static const uint64_t uart[] = { 0x09000000, 0x1000 };
	static const uint64_t rsv[] = { 0x48000000, 0x100000 };

	reserve(0x41000000, 0x2000);
	begin("");
	prop_u32("#address-cells", 2);
	prop_u32("#size-cells", 2);
	prop_str("compatible", "linux,dummy-virt");
	begin("memory@40000000");
	prop_str("device_type", "memory");
	prop_reg(2, 2, mem, 2);
	end();
	begin("pl011@9000000");
	prop("compatible", "arm,pl011\0arm,primecell", 24);
	prop_reg(2, 2, uart, 1);
	end();
	begin("reserved-memory");
	prop_u32("#address-cells", 2);
	prop_u32("#size-cells", 2);
	begin("secure@48000000");
	prop_reg(2, 2, rsv, 1);
	end();
	end();
	begin("chosen");
	prop_str("bootargs", "mantle.fatal=undef console=ttyAMA0");
	prop_str("stdout-path", "/pl011@9000000");
	prop_u32("linux,initrd-start", 0x48000000);
	prop("linux,initrd-end", "\0\0\0\0\x48\x10\0\0", 8);
	end();
	end();
	return finish(size);
}

/* ---- well-formed trees ------------------------------------------------------------------------- */

static void test_fdt_finds_nodes_by_path_with_and_without_unit_address(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = build_virt(&size);
	struct fdt f;
	uint32_t n, m;

	assert_int_equal(fdt_init(&f, blob, size), FDT_OK);
	assert_int_equal(fdt_path(&f, "/", &n), FDT_OK);
	assert_int_equal(n, f.root);
	assert_int_equal(fdt_path(&f, "/memory", &n), FDT_OK);
	assert_string_equal(fdt_node_name(&f, n), "memory@40000000");
	assert_int_equal(fdt_path(&f, "/memory@40000000", &m), FDT_OK);
	assert_int_equal(n, m);
	assert_int_equal(fdt_path(&f, "/memory@0", &m), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path(&f, "/reserved-memory/secure", &n), FDT_OK);
	assert_string_equal(fdt_node_name(&f, n), "secure@48000000");
	assert_int_equal(fdt_path(&f, "/chosen/", &n), FDT_OK);
	assert_int_equal(fdt_path(&f, "/nope", &n), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path(&f, "/chosen/nope", &n), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path(&f, "chosen", &n), FDT_ERR_NOTFOUND);
	free(blob);
}

static void test_fdt_reads_string_and_integer_properties(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = build_virt(&size);
	struct fdt f;
	uint32_t chosen, uart, v32;
	uint64_t v64;
	const char *s;

	assert_int_equal(fdt_init(&f, blob, size), FDT_OK);
	assert_int_equal(fdt_path(&f, "/chosen", &chosen), FDT_OK);
	assert_int_equal(fdt_prop_string(&f, chosen, "bootargs", &s), FDT_OK);
	assert_string_equal(s, "mantle.fatal=undef console=ttyAMA0");
	assert_int_equal(fdt_prop_u64(&f, chosen, "linux,initrd-start", &v64), FDT_OK);
	assert_int_equal(v64, 0x48000000);
	assert_int_equal(fdt_prop_u64(&f, chosen, "linux,initrd-end", &v64), FDT_OK);
	assert_int_equal(v64, 0x48100000);
	assert_int_equal(fdt_prop_u32(&f, chosen, "linux,initrd-end", &v32), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_prop_u32(&f, chosen, "absent", &v32), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path(&f, "/pl011", &uart), FDT_OK);
	assert_true(fdt_prop_has_string(&f, uart, "compatible", "arm,pl011"));
	assert_true(fdt_prop_has_string(&f, uart, "compatible", "arm,primecell"));
	assert_false(fdt_prop_has_string(&f, uart, "compatible", "arm,pl01"));
	assert_false(fdt_prop_has_string(&f, uart, "absent", "arm,pl011"));
	free(blob);
}

static void test_fdt_decodes_reg_with_two_cells(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = build_virt(&size);
	struct fdt f;
	struct fdt_cells cells;
	uint32_t mem, parent;
	uint64_t base, sz;

	assert_int_equal(fdt_init(&f, blob, size), FDT_OK);
	assert_int_equal(fdt_path(&f, "/memory", &mem), FDT_OK);
	assert_int_equal(fdt_parent(&f, mem, &parent), FDT_OK);
	assert_int_equal(parent, f.root);
	assert_int_equal(fdt_cells(&f, parent, &cells), FDT_OK);
	assert_int_equal(cells.address, 2);
	assert_int_equal(cells.size, 2);
	assert_int_equal(fdt_reg(&f, mem, cells, 0, &base, &sz), FDT_OK);
	assert_int_equal(base, 0x40000000);
	assert_int_equal(sz, 0x20000000);
	assert_int_equal(fdt_reg(&f, mem, cells, 1, &base, &sz), FDT_OK);
	assert_int_equal(base, 0x100000000ull);
	assert_int_equal(sz, 0x40000000);
	assert_int_equal(fdt_reg(&f, mem, cells, 2, &base, &sz), FDT_ERR_NOTFOUND);
	/* The same 32 bytes read with 1+1 cells are four entries; with 2+1 they do not divide. */
	cells = (struct fdt_cells){ 1, 1 };
	assert_int_equal(fdt_reg(&f, mem, cells, 3, &base, &sz), FDT_OK);
	cells = (struct fdt_cells){ 2, 1 };
	assert_int_equal(fdt_reg(&f, mem, cells, 0, &base, &sz), FDT_ERR_BADVALUE);
	cells = (struct fdt_cells){ 3, 1 };
	assert_int_equal(fdt_reg(&f, mem, cells, 0, &base, &sz), FDT_ERR_BADVALUE);
	free(blob);
}

static void test_fdt_decodes_reg_with_one_cell_and_default_cells(void **state)
{
	(void)state;
	static const uint64_t r1[] = { 0x80000000, 0x10000000, 0x1000, 0x20 };
	static const uint64_t r2[] = { 0x1234, 0x10 };
	size_t size;
	struct fdt f;
	struct fdt_cells cells;
	uint32_t n, parent;
	uint64_t base, sz;

	begin("");
	begin("bus");
	prop_u32("#address-cells", 1);
	prop_u32("#size-cells", 1);
	begin("memory@80000000");
	prop_reg(1, 1, r1, 2);
	end();
	end();
	begin("defaults"); /* no #cells: 2 and 1 apply */
	begin("dev@1234");
	prop_reg(2, 1, r2, 1);
	end();
	end();
	end();
	uint8_t *blob = finish(&size);

	assert_int_equal(fdt_init(&f, blob, size), FDT_OK);
	assert_int_equal(fdt_path(&f, "/bus/memory", &n), FDT_OK);
	assert_int_equal(fdt_parent(&f, n, &parent), FDT_OK);
	assert_int_equal(fdt_cells(&f, parent, &cells), FDT_OK);
	assert_int_equal(fdt_reg(&f, n, cells, 1, &base, &sz), FDT_OK);
	assert_int_equal(base, 0x1000);
	assert_int_equal(sz, 0x20);
	assert_int_equal(fdt_path(&f, "/defaults/dev", &n), FDT_OK);
	assert_int_equal(fdt_parent(&f, n, &parent), FDT_OK);
	assert_int_equal(fdt_cells(&f, parent, &cells), FDT_OK);
	assert_int_equal(cells.address, 2);
	assert_int_equal(cells.size, 1);
	assert_int_equal(fdt_reg(&f, n, cells, 0, &base, &sz), FDT_OK);
	assert_int_equal(base, 0x1234);
	assert_int_equal(sz, 0x10);
	free(blob);
}

static void test_fdt_rejects_unsupported_cell_counts(void **state)
{
	(void)state;
	size_t size;
	struct fdt f;
	struct fdt_cells cells;
	uint32_t n;

	begin("");
	begin("pci");
	prop_u32("#address-cells", 3);
	end();
	begin("short");
	prop("#size-cells", "\0\0", 2);
	end();
	end();
	uint8_t *blob = finish(&size);

	assert_int_equal(fdt_init(&f, blob, size), FDT_OK);
	assert_int_equal(fdt_path(&f, "/pci", &n), FDT_OK);
	assert_int_equal(fdt_cells(&f, n, &cells), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_path(&f, "/short", &n), FDT_OK);
	assert_int_equal(fdt_cells(&f, n, &cells), FDT_ERR_BADVALUE);
	free(blob);
}

static void test_fdt_empty_memory_node_has_no_reg_entries(void **state)
{
	(void)state;
	size_t size;
	struct fdt f;
	uint32_t n;
	uint64_t base, sz;

	begin("");
	begin("memory@0");
	prop_str("device_type", "memory");
	prop("reg", "", 0);
	end();
	begin("memory@1");
	end();
	end();
	uint8_t *blob = finish(&size);

	assert_int_equal(fdt_init(&f, blob, size), FDT_OK);
	assert_int_equal(fdt_path(&f, "/memory@0", &n), FDT_OK);
	assert_int_equal(fdt_reg(&f, n, (struct fdt_cells){ 2, 2 }, 0, &base, &sz), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path(&f, "/memory@1", &n), FDT_OK);
	assert_int_equal(fdt_reg(&f, n, (struct fdt_cells){ 2, 2 }, 0, &base, &sz), FDT_ERR_NOTFOUND);
	free(blob);
}

static void test_fdt_iterates_children_in_order_skipping_nops(void **state)
{
	(void)state;
	size_t size;
	struct fdt f;
	uint32_t n;

	begin("");
	prop_u32("a", 1);
	emit32(FDT_NOP);
	begin("one");
	begin("deep");
	end();
	end();
	emit32(FDT_NOP);
	begin("two");
	end();
	end();
	uint8_t *blob = finish(&size);

	assert_int_equal(fdt_init(&f, blob, size), FDT_OK);
	assert_int_equal(fdt_first_child(&f, f.root, &n), FDT_OK);
	assert_string_equal(fdt_node_name(&f, n), "one");
	assert_int_equal(fdt_next_sibling(&f, n, &n), FDT_OK);
	assert_string_equal(fdt_node_name(&f, n), "two");
	assert_int_equal(fdt_next_sibling(&f, n, &n), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_first_child(&f, n, &n), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_next_sibling(&f, f.root, &n), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_parent(&f, f.root, &n), FDT_ERR_NOTFOUND);
	free(blob);
}

static void test_fdt_iterates_memory_reservations(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = build_virt(&size);
	struct fdt f;
	uint64_t a, s;

	assert_int_equal(fdt_init(&f, blob, size), FDT_OK);
	assert_int_equal(fdt_memreserve(&f, 0, &a, &s), FDT_OK);
	assert_int_equal(a, 0x41000000);
	assert_int_equal(s, 0x2000);
	assert_int_equal(fdt_memreserve(&f, 1, &a, &s), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_memreserve(&f, UINT32_MAX, &a, &s), FDT_ERR_NOTFOUND);
	free(blob);
}

static void test_fdt_rejects_offsets_that_are_not_nodes(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = build_virt(&size);
	struct fdt f;
	uint32_t n;
	const uint8_t *v;
	uint32_t len;

	assert_int_equal(fdt_init(&f, blob, size), FDT_OK);
	assert_int_equal(fdt_first_child(&f, f.root + 1, &n), FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_getprop(&f, f.struct_size, "reg", &v, &len), FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_getprop(&f, UINT32_MAX - 3, "reg", &v, &len), FDT_ERR_BADOFFSET);
	/* Offset 8 of the root is its first PROP token (root name "" pads to 4). */
	assert_int_equal(fdt_next_sibling(&f, f.root + 8, &n), FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_parent(&f, f.root + 8, &n), FDT_ERR_BADOFFSET);
	assert_string_equal(fdt_node_name(&f, f.root + 8), "");
	free(blob);
}

static void test_fdt_rejects_unterminated_property_strings(void **state)
{
	(void)state;
	size_t size;
	struct fdt f;
	const char *s;

	begin("");
	prop("bootargs", "abc", 3);
	prop("empty", "", 0);
	prop("compatible", "a\0b", 3);
	end();
	uint8_t *blob = finish(&size);

	assert_int_equal(fdt_init(&f, blob, size), FDT_OK);
	assert_int_equal(fdt_prop_string(&f, f.root, "bootargs", &s), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_prop_string(&f, f.root, "empty", &s), FDT_ERR_BADVALUE);
	assert_true(fdt_prop_has_string(&f, f.root, "compatible", "a"));
	assert_false(fdt_prop_has_string(&f, f.root, "compatible", "b"));
	free(blob);
}

/* ---- corrupt blobs ----------------------------------------------------------------------------- */

static uint8_t *build_small(size_t *size)
{
	begin("");
	prop_str("model", "x");
	begin("chosen");
	end();
	end();
	return finish(size);
}

static enum fdt_status init_patched(size_t field, uint32_t value)
{
	size_t size;
	uint8_t *blob = build_small(&size);
	struct fdt f;

	put32(blob + field, value);
	enum fdt_status st = fdt_init(&f, blob, size);
	free(blob);
	return st;
}

static void test_fdt_rejects_short_or_absent_blob(void **state)
{
	(void)state;
	struct fdt f;
	uint8_t hdr[FDT_HEADER_SIZE - 1] = { 0xd0, 0x0d, 0xfe, 0xed };

	assert_int_equal(fdt_init(&f, NULL, 4096), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_init(&f, hdr, sizeof(hdr)), FDT_ERR_TRUNCATED);
}

static void test_fdt_rejects_bad_magic_and_version(void **state)
{
	(void)state;
	assert_int_equal(init_patched(0, 0xedfe0dd0), FDT_ERR_BADMAGIC);
	assert_int_equal(init_patched(20, 16), FDT_ERR_BADVERSION);
	assert_int_equal(init_patched(24, 18), FDT_ERR_BADVERSION);
}

static void test_fdt_every_truncation_is_an_error(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = build_virt(&size);
	struct fdt f;

	for (size_t cap = 0; cap < size; cap++) {
		uint8_t *cut = malloc(cap ? cap : 1);
		memcpy(cut, blob, cap);
		assert_int_equal(fdt_init(&f, cut, cap), FDT_ERR_TRUNCATED);
		/* Claiming a smaller totalsize cuts the blocks instead: still an error, never a crash. */
		if (cap >= FDT_HEADER_SIZE) {
			put32(cut + 4, (uint32_t)cap);
			assert_int_not_equal(fdt_init(&f, cut, cap), FDT_OK);
		}
		free(cut);
	}
	free(blob);
}

static void test_fdt_rejects_sizes_and_offsets_that_overflow_or_point_outside(void **state)
{
	(void)state;
	assert_int_equal(init_patched(4, 8), FDT_ERR_BADLAYOUT);              /* totalsize < header */
	assert_int_equal(init_patched(4, 0xffffffff), FDT_ERR_BADLAYOUT);     /* above FDT_MAX_SIZE */
	assert_int_equal(init_patched(4, 0x100000), FDT_ERR_TRUNCATED);       /* more than we may read */
	assert_int_equal(init_patched(8, 0xfffffff0), FDT_ERR_BADLAYOUT);     /* off_dt_struct */
	assert_int_equal(init_patched(36, 0xfffffff0), FDT_ERR_BADLAYOUT);    /* off+size wraps */
	assert_int_equal(init_patched(8, 0), FDT_ERR_BADLAYOUT);              /* inside the header */
	assert_int_equal(init_patched(8, 0x3a), FDT_ERR_BADLAYOUT);           /* misaligned */
	assert_int_equal(init_patched(12, 0xffffffff), FDT_ERR_BADLAYOUT);    /* off_dt_strings */
	assert_int_equal(init_patched(32, 0xffffff00), FDT_ERR_BADLAYOUT);    /* size_dt_strings */
	assert_int_equal(init_patched(16, 0x44), FDT_ERR_BADLAYOUT);          /* rsvmap misaligned */
	assert_int_equal(init_patched(16, 0x100000), FDT_ERR_BADLAYOUT);      /* rsvmap outside */
	assert_int_equal(init_patched(12, 0x38), FDT_ERR_BADLAYOUT);          /* strings over struct */
}

static void test_fdt_rejects_reservation_map_without_terminator(void **state)
{
	(void)state;
	size_t size;
	struct fdt f;

	begin("");
	end();
	uint8_t *blob = finish(&size);
	/* Point the map at the structure block, whose tokens never form a {0, 0} pair. */
	put32(blob + 16, 0x30);
	put64(blob + 0x30, 1);
	assert_int_equal(fdt_init(&f, blob, size), FDT_ERR_TRUNCATED);
	free(blob);
}

static void test_fdt_rejects_malformed_structure_blocks(void **state)
{
	(void)state;
	size_t size;
	struct fdt f;
	uint8_t *blob;

	/* END_NODE without a node. */
	emit32(FDT_END_NODE);
	blob = finish(&size);
	assert_int_equal(fdt_init(&f, blob, size), FDT_ERR_BADSTRUCTURE);
	free(blob);

	/* Unknown token. */
	reset(NULL);
	begin("");
	emit32(7);
	end();
	blob = finish(&size);
	assert_int_equal(fdt_init(&f, blob, size), FDT_ERR_BADSTRUCTURE);
	free(blob);

	/* Unclosed root. */
	reset(NULL);
	begin("");
	blob = finish(&size);
	assert_int_equal(fdt_init(&f, blob, size), FDT_ERR_BADSTRUCTURE);
	free(blob);

	/* Two roots. */
	reset(NULL);
	begin("");
	end();
	begin("");
	end();
	blob = finish(&size);
	assert_int_equal(fdt_init(&f, blob, size), FDT_ERR_BADSTRUCTURE);
	free(blob);

	/* Property outside any node. */
	reset(NULL);
	prop_u32("x", 1);
	begin("");
	end();
	blob = finish(&size);
	assert_int_equal(fdt_init(&f, blob, size), FDT_ERR_BADSTRUCTURE);
	free(blob);

	/* No END token: the walk runs off the block. */
	reset(NULL);
	begin("");
	end();
	blob = finish(&size);
	put32(blob + 36, (uint32_t)b.st_len - 4);
	assert_int_equal(fdt_init(&f, blob, size), FDT_ERR_TRUNCATED);
	free(blob);
}

static void test_fdt_rejects_property_lengths_and_names_out_of_bounds(void **state)
{
	(void)state;
	size_t size;
	struct fdt f;
	uint8_t *blob;

	begin("");
	prop_u32("x", 1);
	end();
	blob = finish(&size);
	size_t prop_at = FDT_HEADER_SIZE + 16 + 8; /* after the map terminator and root BEGIN_NODE "" */
	put32(blob + prop_at + 4, 0xfffffffc);      /* len wraps */
	assert_int_equal(fdt_init(&f, blob, size), FDT_ERR_TRUNCATED);
	put32(blob + prop_at + 4, 4);
	put32(blob + prop_at + 8, 0x1000);          /* nameoff outside strings */
	assert_int_equal(fdt_init(&f, blob, size), FDT_ERR_BADSTRUCTURE);
	put32(blob + prop_at + 8, 0);
	assert_int_equal(fdt_init(&f, blob, size), FDT_OK);
	blob[size - 1] = 'y';                       /* strings block's last string unterminated */
	assert_int_equal(fdt_init(&f, blob, size), FDT_ERR_BADSTRUCTURE);
	free(blob);
}

static void test_fdt_rejects_unterminated_node_name(void **state)
{
	(void)state;
	size_t size;
	struct fdt f;

	begin("");
	begin("abc");
	end();
	end();
	uint8_t *blob = finish(&size);
	size_t name_at = FDT_HEADER_SIZE + 16 + 8 + 4;
	/* Fill the rest of the structure block with non-NUL bytes from the child's name on. */
	memset(blob + name_at, 'a', b.st_len - (name_at - FDT_HEADER_SIZE - 16));
	assert_int_equal(fdt_init(&f, blob, size), FDT_ERR_BADSTRUCTURE);
	free(blob);
}

static void test_fdt_limits_nesting_depth(void **state)
{
	(void)state;
	size_t size;
	struct fdt f;
	uint32_t n;
	uint8_t *blob;

	for (int i = 0; i < FDT_MAX_DEPTH; i++)
		begin(i ? "n" : "");
	for (int i = 0; i < FDT_MAX_DEPTH; i++)
		end();
	blob = finish(&size);
	assert_int_equal(fdt_init(&f, blob, size), FDT_OK);
	assert_int_equal(fdt_path(&f, "/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n", &n),
			 FDT_OK);
	assert_int_equal(fdt_first_child(&f, n, &n), FDT_ERR_NOTFOUND);
	free(blob);

	reset(NULL);
	for (int i = 0; i <= FDT_MAX_DEPTH; i++)
		begin(i ? "n" : "");
	for (int i = 0; i <= FDT_MAX_DEPTH; i++)
		end();
	blob = finish(&size);
	assert_int_equal(fdt_init(&f, blob, size), FDT_ERR_TOODEEP);
	free(blob);
}

/* Every single-byte corruption of a valid blob either fails fdt_init or leaves a tree every query
 * handles without reading out of bounds (ASan would abort the test). */
static void test_fdt_survives_every_single_byte_corruption(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = build_virt(&size);
	static const uint8_t values[] = { 0x00, 0x01, 0x02, 0x03, 0x09, 0x7f, 0xff };

	for (size_t i = 0; i < size; i++) {
		for (size_t v = 0; v < sizeof(values); v++) {
			uint8_t saved = blob[i];
			struct fdt f;
			uint32_t n, c;
			uint64_t a, s;
			const char *str;
			struct fdt_cells cells;

			blob[i] = values[v];
			if (fdt_init(&f, blob, size) == FDT_OK) {
				if (fdt_memreserve(&f, 0, &a, &s) == FDT_OK)
					assert_true(f.rsv_count > 0);
				if (fdt_path(&f, "/chosen", &n) == FDT_OK &&
				    fdt_prop_string(&f, n, "bootargs", &str) == FDT_OK)
					assert_true(strlen(str) < size);
				for (enum fdt_status st = fdt_first_child(&f, f.root, &n); st == FDT_OK;
				     st = fdt_next_sibling(&f, n, &n)) {
					(void)fdt_node_name(&f, n);
					(void)fdt_prop_has_string(&f, n, "compatible", "arm,pl011");
					if (fdt_parent(&f, n, &c) == FDT_OK && fdt_cells(&f, c, &cells) == FDT_OK &&
					    fdt_reg(&f, n, cells, 0, &a, &s) == FDT_OK)
						assert_true(cells.address <= 2);
				}
			}
			blob[i] = saved;
		}
	}
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_fdt_finds_nodes_by_path_with_and_without_unit_address, reset),
		cmocka_unit_test_setup(test_fdt_reads_string_and_integer_properties, reset),
		cmocka_unit_test_setup(test_fdt_decodes_reg_with_two_cells, reset),
		cmocka_unit_test_setup(test_fdt_decodes_reg_with_one_cell_and_default_cells, reset),
		cmocka_unit_test_setup(test_fdt_rejects_unsupported_cell_counts, reset),
		cmocka_unit_test_setup(test_fdt_empty_memory_node_has_no_reg_entries, reset),
		cmocka_unit_test_setup(test_fdt_iterates_children_in_order_skipping_nops, reset),
		cmocka_unit_test_setup(test_fdt_iterates_memory_reservations, reset),
		cmocka_unit_test_setup(test_fdt_rejects_offsets_that_are_not_nodes, reset),
		cmocka_unit_test_setup(test_fdt_rejects_unterminated_property_strings, reset),
		cmocka_unit_test_setup(test_fdt_rejects_short_or_absent_blob, reset),
		cmocka_unit_test_setup(test_fdt_rejects_bad_magic_and_version, reset),
		cmocka_unit_test_setup(test_fdt_every_truncation_is_an_error, reset),
		cmocka_unit_test_setup(test_fdt_rejects_sizes_and_offsets_that_overflow_or_point_outside, reset),
		cmocka_unit_test_setup(test_fdt_rejects_reservation_map_without_terminator, reset),
		cmocka_unit_test_setup(test_fdt_rejects_malformed_structure_blocks, reset),
		cmocka_unit_test_setup(test_fdt_rejects_property_lengths_and_names_out_of_bounds, reset),
		cmocka_unit_test_setup(test_fdt_rejects_unterminated_node_name, reset),
		cmocka_unit_test_setup(test_fdt_limits_nesting_depth, reset),
		cmocka_unit_test_setup(test_fdt_survives_every_single_byte_corruption, reset),
	};

	return cmocka_run_group_tests_name("fdt", tests, NULL, NULL);
}
