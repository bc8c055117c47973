#include "boot/igvm.h"

#include "boot/igvm_defs.h"
#include "boot/igvm_layout.h"
#include "core/str.h"
#include "core/tee.h"

/* x86 physical addresses have at most 52 bits: no entry may reach past 2^52 bytes (2^40 pages). That
 * also keeps every byte address computed below under 2^64. */
#define GPA_PAGE_LIMIT (1ull << (52 - 12))
#define MEMMAP_ENTRY_MAX (IGVM_BOOT_MEMMAP_BYTES_MAX / sizeof(struct igvm_vhs_memory_map_entry))

/* Private copies: each area is read from loader memory exactly once, into these. */
/* The area is a whole number of pages, not of 24-byte entries: copy the bytes, read whole entries. */
static union {
	uint8_t raw[IGVM_BOOT_MEMMAP_BYTES_MAX];
	struct igvm_vhs_memory_map_entry e[MEMMAP_ENTRY_MAX];
} memmap_copy;
static char cmdline_copy[IGVM_BOOT_CMDLINE_BYTES_MAX];
static struct igvm_mantle_manifest manifest_copy;

struct igvm_boot_areas igvm_boot_default_areas(void)
{
	return (struct igvm_boot_areas){
		.manifest = IGVM_MANIFEST_GPA,
		.memmap = IGVM_MEMMAP_GPA,
		.memmap_bytes = IGVM_MEMMAP_BYTES,
		.cmdline = IGVM_CMDLINE_GPA,
		.cmdline_bytes = IGVM_CMDLINE_BYTES,
		.vpcount = IGVM_VPCOUNT_GPA,
	};
}

static bool page_aligned(uint64_t v)
{
	return (v & (IGVM_PAGE_SIZE - 1)) == 0;
}

static bool ranges_overlap(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

/* The area layout comes from Mantle's own build, but the parser does not assume it is sane. */
static bool areas_ok(const struct igvm_boot_areas *a)
{
	const uint64_t base[] = { a->manifest, a->memmap, a->cmdline, a->vpcount };
	const uint64_t len[] = { IGVM_PAGE_SIZE, a->memmap_bytes, a->cmdline_bytes, IGVM_PAGE_SIZE };

	if (a->memmap_bytes == 0 || a->memmap_bytes > IGVM_BOOT_MEMMAP_BYTES_MAX ||
	    a->cmdline_bytes == 0 || a->cmdline_bytes > IGVM_BOOT_CMDLINE_BYTES_MAX)
		return false;
	for (size_t i = 0; i < 4; i++) {
		if (!page_aligned(base[i]) || base[i] == 0 || base[i] > IGVM_BOOT_ADDR_LIMIT - len[i])
			return false;
		for (size_t j = 0; j < i; j++)
			if (ranges_overlap(base[i], len[i], base[j], len[j]))
				return false;
	}
	return true;
}

static const void *read_area(igvm_phys_fn phys, void *ctx, uint64_t pa, size_t len, void *dst)
{
	const void *p = phys(ctx, pa, len);

	if (p)
		memcpy(dst, p, len);
	return p;
}

static enum igvm_boot_status check_manifest(const struct igvm_mantle_manifest *m)
{
	if (m->magic != IGVM_MANIFEST_MAGIC || m->version != IGVM_MANIFEST_VERSION)
		return IGVM_BOOT_BAD_MANIFEST;
	if (!page_aligned(m->image_base) || !page_aligned(m->image_end) || m->image_base >= m->image_end ||
	    m->image_end > IGVM_BOOT_ADDR_LIMIT)
		return IGVM_BOOT_BAD_MANIFEST;
	if (m->bundle_size != 0 &&
	    (!page_aligned(m->bundle_base) || m->bundle_base < m->image_end ||
	     m->bundle_base > IGVM_BOOT_ADDR_LIMIT || m->bundle_size > IGVM_BOOT_ADDR_LIMIT - m->bundle_base))
		return IGVM_BOOT_BAD_MANIFEST;
	if (strnlen(m->cmdline, sizeof(m->cmdline)) == sizeof(m->cmdline))
		return IGVM_BOOT_BAD_MANIFEST;
	return IGVM_BOOT_OK;
}

static uint32_t mem_type(uint16_t igvm_type)
{
	switch (igvm_type) {
	case IGVM_MEMORY_MAP_ENTRY_TYPE_MEMORY:
	case IGVM_MEMORY_MAP_ENTRY_TYPE_VTL2_PROTECTABLE: return MEM_USABLE;
	default: return MEM_RESERVED; /* persistent, specific-purpose, hidden, reserved, unknown */
	}
}

/* Validates the copied entries: at least one, each in range, sorted and disjoint, reserved zero.
 * Returns the number of entries before the terminator (or the whole area when it is full). */
static enum igvm_boot_status check_memmap(size_t cap, uint32_t *count)
{
	uint64_t prev_end = 0;
	size_t n;

	for (n = 0; n < cap; n++) {
		const struct igvm_vhs_memory_map_entry *e = &memmap_copy.e[n];
		if (e->number_of_pages == 0)
			break;
		if (e->reserved != 0)
			return IGVM_BOOT_BAD_MEMMAP;
		if (e->starting_gpa_page_number >= GPA_PAGE_LIMIT ||
		    e->number_of_pages > GPA_PAGE_LIMIT - e->starting_gpa_page_number)
			return IGVM_BOOT_BAD_MEMMAP;
		if (n > 0 && e->starting_gpa_page_number < prev_end)
			return IGVM_BOOT_BAD_MEMMAP; /* unsorted or overlapping */
		prev_end = e->starting_gpa_page_number + e->number_of_pages;
	}
	if (n == 0)
		return IGVM_BOOT_NO_MEMMAP;
	*count = (uint32_t)n;
	return IGVM_BOOT_OK;
}

/* True if [base, end) is entirely covered by RAM entries (sorted and disjoint by now). */
static bool covered_by_ram(uint32_t count, uint64_t base, uint64_t end)
{
	uint64_t at = base;

	for (uint32_t i = 0; i < count && at < end; i++) {
		const struct igvm_vhs_memory_map_entry *e = &memmap_copy.e[i];
		uint64_t lo = e->starting_gpa_page_number * IGVM_PAGE_SIZE;
		uint64_t hi = lo + e->number_of_pages * IGVM_PAGE_SIZE; /* <= 2^52 by check_memmap */
		if (mem_type(e->entry_type) != MEM_USABLE || hi <= at)
			continue;
		if (lo > at)
			return false; /* a hole */
		at = hi;
	}
	return at >= end;
}

static enum igvm_boot_status add_memmap(uint32_t count, struct boot_info *bi)
{
	for (uint32_t i = 0; i < count; i++) {
		const struct igvm_vhs_memory_map_entry *e = &memmap_copy.e[i];
		if (memmap_add(&bi->mem, e->starting_gpa_page_number * IGVM_PAGE_SIZE,
			       e->number_of_pages * IGVM_PAGE_SIZE, mem_type(e->entry_type)) != MEMMAP_OK)
			return IGVM_BOOT_BAD_MEMMAP; /* more entries than struct memmap holds */
	}
	return IGVM_BOOT_OK;
}

static bool printable(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c >= 0x7F)
			return false;
	}
	return true;
}

/* bi->cmdline = host words, a space, then the measured words (the later occurrence of a key wins). */
static enum igvm_boot_status build_cmdline(size_t host_cap, struct boot_info *bi)
{
	size_t host_len = strnlen(cmdline_copy, host_cap);
	size_t meas_len = strlen(manifest_copy.cmdline);

	if (host_len == host_cap || !printable(cmdline_copy) || !printable(manifest_copy.cmdline))
		return IGVM_BOOT_BAD_CMDLINE;
	if (host_len + 1 + meas_len + 1 > sizeof(bi->cmdline))
		return IGVM_BOOT_BAD_CMDLINE;
	memcpy(bi->cmdline, cmdline_copy, host_len);
	size_t at = host_len;
	if (host_len && meas_len)
		bi->cmdline[at++] = ' ';
	memcpy(bi->cmdline + at, manifest_copy.cmdline, meas_len);
	bi->cmdline[at + meas_len] = '\0';
	return IGVM_BOOT_OK;
}

/* The SNP secrets and CPUID pages sit at fixed GPAs of igvmgen's layout inside the boot region, which
 * the measured manifest says is Mantle's: the backend learns them from here, never from the host.
 * A manifest whose region does not hold them (another layout) records none. */
static void record_launch_pages(void)
{
	bool inside = manifest_copy.image_base <= IGVM_SNP_SECRETS_GPA &&
		      IGVM_SNP_CPUID_GPA + IGVM_PAGE_SIZE <= manifest_copy.image_end;

	tee_set_launch_page(TEE_LAUNCH_SNP_SECRETS, inside ? IGVM_SNP_SECRETS_GPA : 0);
	tee_set_launch_page(TEE_LAUNCH_SNP_CPUID, inside ? IGVM_SNP_CPUID_GPA : 0);
	/* What igvmgen loads of the manifest's region: the boot region up to IGVM_LAYOUT_END and every page
	 * of the image from IGVM_IMAGE_GPA on. The pages between are Mantle's but not loaded: a TEE that
	 * validates memory must validate them itself (docs/tee-snp.md). */
	tee_clear_launch_ranges();
	if (manifest_copy.image_base != IGVM_LAYOUT_BASE || manifest_copy.image_end <= IGVM_IMAGE_GPA)
		return;
	tee_add_launch_range(IGVM_LAYOUT_BASE, IGVM_LAYOUT_END - IGVM_LAYOUT_BASE);
	tee_add_launch_range(IGVM_IMAGE_GPA, manifest_copy.image_end - IGVM_IMAGE_GPA);
}

enum igvm_boot_status igvm_boot_parse(const struct igvm_boot_areas *areas, igvm_phys_fn phys, void *ctx,
				      struct boot_info *bi, struct igvm_boot_result *res)
{
	enum igvm_boot_status st;
	uint32_t vp_count, count = 0;

	if (!areas_ok(areas))
		return IGVM_BOOT_BAD_AREAS;
	/* One copy of each area; nothing below reads loader memory again. */
	memset(&memmap_copy, 0, sizeof(memmap_copy));
	if (!read_area(phys, ctx, areas->manifest, sizeof(manifest_copy), &manifest_copy) ||
	    !read_area(phys, ctx, areas->memmap, areas->memmap_bytes, memmap_copy.raw) ||
	    !read_area(phys, ctx, areas->cmdline, areas->cmdline_bytes, cmdline_copy) ||
	    !read_area(phys, ctx, areas->vpcount, sizeof(vp_count), &vp_count))
		return IGVM_BOOT_UNREACHABLE;

	st = check_manifest(&manifest_copy);
	if (st != IGVM_BOOT_OK)
		return st;
	st = check_memmap(areas->memmap_bytes / sizeof(memmap_copy.e[0]), &count);
	if (st != IGVM_BOOT_OK)
		return st;
	/* The host must report as RAM what it loaded: the boot region and image, and the bundle. */
	if (!covered_by_ram(count, manifest_copy.image_base, manifest_copy.image_end) ||
	    (manifest_copy.bundle_size &&
	     !covered_by_ram(count, manifest_copy.bundle_base, manifest_copy.bundle_base + manifest_copy.bundle_size)))
		return IGVM_BOOT_IMAGE_NOT_RAM;
	if (vp_count == 0 || vp_count > IGVM_BOOT_VP_MAX)
		return IGVM_BOOT_BAD_VP_COUNT;

	bi->loader = "igvm";
	memmap_init(&bi->mem);
	st = add_memmap(count, bi);
	if (st != IGVM_BOOT_OK)
		return st;
	st = build_cmdline(areas->cmdline_bytes, bi);
	if (st != IGVM_BOOT_OK)
		return st;
	bi->module_count = 0;
	if (manifest_copy.bundle_size) {
		bi->modules[0].base = manifest_copy.bundle_base;
		bi->modules[0].size = manifest_copy.bundle_size;
		bi->modules[0].cmdline[0] = '\0';
		bi->module_count = 1;
	}
	bi->image_base = manifest_copy.image_base;
	bi->image_end = manifest_copy.image_end;
	bi->rsdp = 0;
	record_launch_pages();
	res->vp_count = vp_count;
	res->memmap_entries = count;
	return IGVM_BOOT_OK;
}

const char *igvm_boot_status_name(enum igvm_boot_status st)
{
	static const char *const names[] = {
		[IGVM_BOOT_OK] = "ok",
		[IGVM_BOOT_BAD_AREAS] = "parameter area layout unusable",
		[IGVM_BOOT_UNREACHABLE] = "a parameter area is not addressable",
		[IGVM_BOOT_BAD_MANIFEST] = "measured manifest malformed",
		[IGVM_BOOT_NO_MEMMAP] = "empty memory map",
		[IGVM_BOOT_BAD_MEMMAP] = "malformed memory map (range, order, overlap or reserved bits)",
		[IGVM_BOOT_IMAGE_NOT_RAM] = "the loaded image is not inside reported RAM",
		[IGVM_BOOT_BAD_CMDLINE] = "malformed command line (unterminated, non-ASCII or too long)",
		[IGVM_BOOT_BAD_VP_COUNT] = "vp count out of range",
	};

	if ((unsigned)st >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[st];
}
