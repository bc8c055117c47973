#include "core/main.h"

#include "core/arch.h"
#include "core/bootinfo.h"
#include "core/cmdline.h"
#include "core/console.h"
#include "core/guest.h"
#include "core/panic.h"
#include "core/pfa.h"
#include "core/str.h"
#include "core/tee.h"
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

static void claim(uint64_t base, uint64_t size, uint32_t type, const char *what);

int core_claim_emulated(uint64_t base, uint64_t size)
{
	for (uint64_t a = base; a - base < size; a += PAGE_SIZE) {
		uint32_t t = memmap_type_at(&phys_map, a);
		if (t != 0 && t != MEM_RESERVED)
			return -1;
	}
	return memmap_claim(&phys_map, base, size, MEM_EMULATED) == MEMMAP_OK ? 0 : -1;
}

uint64_t core_take_guest_firmware(uint64_t bytes, uint32_t type)
{
	const uint64_t four_gib = 0x100000000ull;

	for (uint32_t i = phys_map.count; i-- > 0;) {
		const struct mem_range *r = &phys_map.r[i];
		uint64_t end = r->base + r->size;
		if (r->type != MEM_USABLE || r->base >= four_gib)
			continue;
		uint64_t top = (end < four_gib ? end : four_gib) & ~(uint64_t)(PAGE_SIZE - 1);
		if (top < bytes || top - bytes < r->base)
			continue;
		claim(top - bytes, bytes, type, "guest firmware data");
		memset((void *)(uintptr_t)(top - bytes), 0, bytes);
		return top - bytes;
	}
	panic("no guest RAM below 4 GiB for %llu bytes of firmware data", (unsigned long long)bytes);
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

/* Mantle's private memory pool: page tables, backend structures (VMCB, IOPM, nested tables) and
 * everything else Mantle allocates at run time. Everything outside it that is RAM belongs to the
 * guest. `mantle.pool=<MiB>` on the command line overrides the size. */
#define POOL_DEFAULT_MIB 16u
#define POOL_MIN_MIB 2u
#define POOL_MAX_MIB 4096u

static uint64_t pool_bytes(const struct boot_info *bi)
{
	char v[16];
	uint64_t mib = POOL_DEFAULT_MIB;

	if (cmdline_get(bi->cmdline, "mantle.pool", v, sizeof(v))) {
		uint64_t n = 0;
		for (const char *p = v; *p >= '0' && *p <= '9' && n <= POOL_MAX_MIB; p++)
			n = n * 10 + (uint64_t)(*p - '0');
		if (n >= POOL_MIN_MIB && n <= POOL_MAX_MIB)
			mib = n;
		else
			console_printf("mantle: ignoring mantle.pool=%s (%u..%u MiB)\n", v, POOL_MIN_MIB,
				       POOL_MAX_MIB);
	}
	return mib << 20;
}

/* The top of the highest usable range that holds `bytes` (2 MiB aligned, so nested page tables can
 * map the guest's RAM around it with large pages). */
static uint64_t place_pool(uint64_t bytes)
{
	const uint64_t align = 0x200000;

	for (uint32_t i = phys_map.count; i-- > 0;) {
		const struct mem_range *r = &phys_map.r[i];
		uint64_t top = (r->base + r->size) & ~(align - 1); /* usable RAM never reaches 2^64 */
		if (r->type != MEM_USABLE || top < bytes || top - bytes < r->base)
			continue;
		return top - bytes;
	}
	panic("no usable range holds Mantle's %llu MiB memory pool", (unsigned long long)(bytes >> 20));
}

/* The allocator manages the pool only; its bitmaps sit at the pool's start. */
static void pool_init(uint64_t base, uint64_t bytes)
{
	static struct memmap pool_map;

	memmap_init(&pool_map);
	if (memmap_add(&pool_map, base, bytes, MEM_USABLE) != MEMMAP_OK)
		panic("bad pool range");
	size_t meta = pfa_metadata_bytes(&pool_map);
	uint64_t meta_bytes = (meta + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	pool_map.r[0].base += meta_bytes;
	pool_map.r[0].size -= meta_bytes;
	if (pfa_init(&page_alloc, &pool_map, (void *)(uintptr_t)base, meta) != PFA_OK)
		panic("page-frame allocator init failed");
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

	uint64_t pool = pool_bytes(bi);
	uint64_t pool_base = place_pool(pool);
	claim(pool_base, pool, MEM_MANTLE, "memory pool");
	/* Before pool_init's first write: on SNP the pool must be validated first (core/tee.h). */
	if (tee_early_accept(pool_base, pool) != TEE_OK)
		panic("the platform could not accept Mantle's memory pool");
	pool_init(pool_base, pool);

	console_printf("mantle: memory map (%u ranges):\n", phys_map.count);
	print_memmap(&phys_map);
	console_printf("mantle: %llu MiB for the guest, Mantle pool [%llx+%llx] with %llu pages free\n",
		       (unsigned long long)(memmap_total(&phys_map, MEM_USABLE) >> 20),
		       (unsigned long long)pool_base, (unsigned long long)pool,
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
	guest_launch(bi);
	console_printf("mantle: no guest configured; stopping\n");
	arch_exit(MANTLE_EXIT_OK);
}
