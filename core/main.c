#include "core/main.h"

#include "core/arch.h"
#include "core/bootinfo.h"
#include "core/cmdline.h"
#include "core/console.h"
#include "core/panic.h"
#include "core/pfa.h"
#include "core/str.h"
#include "core/version.h"

static struct memmap phys_map;
static struct pfa page_alloc;

const struct memmap *core_memmap(void)
{
	return &phys_map;
}

int core_alloc_pages(uint64_t pages, uint64_t *pa)
{
	if (pfa_alloc(&page_alloc, pages, 1, pa) != PFA_OK)
		return -1;
	/* Identity-mapped at this stage of boot: the page is addressable at its physical address. */
	memset((void *)(uintptr_t)*pa, 0, pages * PAGE_SIZE);
	return 0;
}

static void print_memmap(const struct memmap *m)
{
	for (uint32_t i = 0; i < m->count; i++) {
		const struct mem_range *r = &m->r[i];
		console_printf("mantle:   [%016llx-%016llx] %s\n", (unsigned long long)r->base,
			       (unsigned long long)(r->base + (r->size - 1)), memmap_type_name(r->type));
	}
}

/* Claims `type` for a range in the normalised map; failure means the boot map is unusable. */
static void claim(uint64_t base, uint64_t size, uint32_t type, const char *what)
{
	enum memmap_status st = memmap_claim(&phys_map, base, size, type);

	if (st != MEMMAP_OK && st != MEMMAP_EMPTY_RANGE)
		panic("cannot record %s [%llx+%llx] in the memory map (status %d)", what,
		      (unsigned long long)base, (unsigned long long)size, (int)st);
}

/* Finds room for the allocator's bitmaps: the highest usable range that fits, taken from its top. */
static uint64_t place_metadata(size_t bytes)
{
	uint64_t need = (bytes + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);

	for (uint32_t i = phys_map.count; i-- > 0;) {
		const struct mem_range *r = &phys_map.r[i];
		uint64_t end = r->base + r->size; /* usable RAM never reaches 2^64 */
		uint64_t top = end & ~(uint64_t)(PAGE_SIZE - 1);
		if (r->type != MEM_USABLE || top < r->base + need || top - need < r->base)
			continue;
		return top - need;
	}
	panic("no usable memory for %zu bytes of allocator metadata", bytes);
}

static void memory_init(struct boot_info *bi)
{
	if (memmap_normalize(&bi->mem, &phys_map) != MEMMAP_OK)
		panic("boot memory map too fragmented (more than %u ranges)", MEMMAP_MAX);
	claim(bi->image_base, bi->image_end - bi->image_base, MEM_MANTLE, "image");
	for (uint32_t i = 0; i < bi->module_count; i++)
		claim(bi->modules[i].base, bi->modules[i].size, MEM_MODULE, "boot module");
	if (bi->fdt)
		claim(bi->fdt, bi->fdt_size, MEM_RESERVED, "device tree");
	if (memmap_total(&phys_map, MEM_USABLE) == 0)
		panic("the boot memory map has no usable RAM");

	size_t meta = pfa_metadata_bytes(&phys_map);
	uint64_t meta_pa = place_metadata(meta);
	claim(meta_pa, (meta + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1), MEM_MANTLE, "allocator");
	/* The claim above shrank a usable range, so the bitmaps needed can only have shrunk too. */
	CHECK(pfa_metadata_bytes(&phys_map) <= meta);
	if (pfa_init(&page_alloc, &phys_map, (void *)(uintptr_t)meta_pa, meta) != PFA_OK)
		panic("page-frame allocator init failed");

	console_printf("mantle: memory map (%u ranges):\n", phys_map.count);
	print_memmap(&phys_map);
	console_printf("mantle: %llu MiB usable, %llu pages free\n",
		       (unsigned long long)(memmap_total(&phys_map, MEM_USABLE) >> 20),
		       (unsigned long long)page_alloc.free_pages);
}

static void print_modules(const struct boot_info *bi)
{
	for (uint32_t i = 0; i < bi->module_count; i++)
		console_printf("mantle: module %u: [%llx+%llx] \"%s\"\n", i,
			       (unsigned long long)bi->modules[i].base,
			       (unsigned long long)bi->modules[i].size, bi->modules[i].cmdline);
}

void core_main(struct boot_info *bi)
{
	char fatal[32] = "";

	console_printf("\nMantle %s (%s) %s, booted via %s\n", mantle_version, mantle_gitrev, mantle_arch,
		       bi->loader);
	console_printf("mantle: command line: \"%s\"\n", bi->cmdline);
	memory_init(bi);
	print_modules(bi);
	arch_mmu_init(bi);

	(void)cmdline_get(bi->cmdline, "mantle.fatal", fatal, sizeof(fatal));
	unsigned failed = arch_selftest(fatal);
	console_printf("mantle: self-test: %u failed\n", failed);
	if (failed)
		panic("self-test failed");
	console_printf("mantle: no guest configured; stopping\n");
	arch_exit(MANTLE_EXIT_OK);
}
