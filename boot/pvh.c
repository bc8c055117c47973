#include "boot/pvh.h"

#include "core/str.h"

/* Longest memory map accepted from the loader; QEMU reports well under a dozen entries. */
#define PVH_MEMMAP_MAX 128

static uint32_t mem_type(uint32_t xen_type)
{
	switch (xen_type) {
	case XEN_HVM_MEMMAP_TYPE_RAM: return MEM_USABLE;
	case XEN_HVM_MEMMAP_TYPE_ACPI: return MEM_ACPI_RECLAIM;
	case XEN_HVM_MEMMAP_TYPE_NVS: return MEM_ACPI_NVS;
	case XEN_HVM_MEMMAP_TYPE_UNUSABLE:
	case XEN_HVM_MEMMAP_TYPE_DISABLED: return MEM_UNUSABLE;
	default: return MEM_RESERVED; /* PMEM and unknown types: never RAM for the allocator */
	}
}

/* Copies a NUL-terminated loader string of at most cap-1 characters; a longer or unreachable string
 * is truncated at what could be read, never over-read. */
static void copy_string(uint64_t pa, pvh_phys_fn phys, void *ctx, char *dst, size_t cap)
{
	size_t n = 0;

	dst[0] = '\0';
	if (pa == 0)
		return;
	while (n + 1 < cap) {
		const char *c = phys(ctx, pa + n, 1);
		if (!c || *c == '\0')
			break;
		dst[n++] = *c;
	}
	dst[n] = '\0';
}

static enum pvh_status parse_memmap(const struct hvm_start_info *si, pvh_phys_fn phys, void *ctx,
				    struct boot_info *bi)
{
	if (si->version < 1 || si->memmap_entries == 0 || si->memmap_paddr == 0)
		return PVH_NO_MEMMAP;
	if (si->memmap_entries > PVH_MEMMAP_MAX)
		return PVH_BAD_MEMMAP;
	size_t len = (size_t)si->memmap_entries * sizeof(struct hvm_memmap_table_entry);
	const struct hvm_memmap_table_entry *e = phys(ctx, si->memmap_paddr, len);
	if (!e)
		return PVH_UNREACHABLE;
	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		struct hvm_memmap_table_entry ent;
		memcpy(&ent, &e[i], sizeof(ent)); /* the loader promises no alignment */
		enum memmap_status st = memmap_add(&bi->mem, ent.addr, ent.size, mem_type(ent.type));
		if (st == MEMMAP_EMPTY_RANGE)
			continue;
		if (st != MEMMAP_OK)
			return PVH_BAD_MEMMAP;
	}
	return PVH_OK;
}

static enum pvh_status parse_modules(const struct hvm_start_info *si, pvh_phys_fn phys, void *ctx,
				     struct boot_info *bi)
{
	if (si->nr_modules == 0)
		return PVH_OK;
	if (si->nr_modules > BOOTINFO_MODULES_MAX)
		return PVH_TOO_MANY_MODULES;
	size_t len = (size_t)si->nr_modules * sizeof(struct hvm_modlist_entry);
	const struct hvm_modlist_entry *m = phys(ctx, si->modlist_paddr, len);
	if (!m)
		return PVH_UNREACHABLE;
	for (uint32_t i = 0; i < si->nr_modules; i++) {
		struct hvm_modlist_entry ent;
		memcpy(&ent, &m[i], sizeof(ent));
		if (ent.size && ent.size - 1 > UINT64_MAX - ent.paddr)
			return PVH_BAD_MODULE;
		struct boot_module *bm = &bi->modules[bi->module_count++];
		bm->base = ent.paddr;
		bm->size = ent.size;
		copy_string(ent.cmdline_paddr, phys, ctx, bm->cmdline, sizeof(bm->cmdline));
	}
	return PVH_OK;
}

enum pvh_status pvh_parse(uint64_t start_info_pa, pvh_phys_fn phys, void *ctx, struct boot_info *bi)
{
	const struct hvm_start_info *p = phys(ctx, start_info_pa, sizeof(*p));
	enum pvh_status st;

	if (!p)
		return PVH_UNREACHABLE;
	/* One copy: nothing below reads the loader's structure again. */
	struct hvm_start_info si;
	memcpy(&si, p, sizeof(si));
	if (si.magic != XEN_HVM_START_MAGIC_VALUE)
		return PVH_BAD_MAGIC;
	bi->loader = "pvh";
	bi->rsdp = si.rsdp_paddr;
	copy_string(si.cmdline_paddr, phys, ctx, bi->cmdline, sizeof(bi->cmdline));
	st = parse_memmap(&si, phys, ctx, bi);
	if (st != PVH_OK)
		return st;
	return parse_modules(&si, phys, ctx, bi);
}

const char *pvh_status_name(enum pvh_status st)
{
	static const char *const names[] = {
		[PVH_OK] = "ok",
		[PVH_BAD_MAGIC] = "bad start_info magic",
		[PVH_UNREACHABLE] = "start_info points outside addressable memory",
		[PVH_NO_MEMMAP] = "no memory map (start_info version 0 or empty)",
		[PVH_BAD_MEMMAP] = "malformed memory map",
		[PVH_TOO_MANY_MODULES] = "too many boot modules",
		[PVH_BAD_MODULE] = "module extent overflows",
	};

	if ((unsigned)st >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[st];
}
