/* The core services tee/snp's backend calls (core/main.h), over the simulated platform's memory:
 * a memory map with Mantle's launch-validated image/pool at [0, 2 MiB) and guest RAM above. */
#include "tests/sim/snp_sim.h"

#include <string.h>

#include "core/main.h"

#define SIM_MANTLE_END 0x200000ull
#define SIM_POOL_BASE 0x40000ull

static struct memmap sim_map;
static uint64_t pool_next;

void snp_sim_layout(void)
{
	memset(&sim_map, 0, sizeof(sim_map));
	sim_map.r[0] = (struct mem_range){ 0, SIM_MANTLE_END, MEM_MANTLE };
	sim_map.r[1] = (struct mem_range){ SIM_MANTLE_END, SNP_SIM_MEM_SIZE - SIM_MANTLE_END, MEM_USABLE };
	sim_map.count = 2;
	pool_next = SIM_POOL_BASE;
	/* The launch validated Mantle's image and pool (measured IGVM pages). */
	snp_sim_launch_validate(0, SIM_MANTLE_END >> 12);
}

const struct memmap *core_memmap(void)
{
	return &sim_map;
}

int core_alloc_pages(uint64_t pages, uint64_t *pa)
{
	if (pool_next + pages * SNP_PAGE_SIZE > SIM_MANTLE_END)
		return -1;
	*pa = pool_next;
	memset(snp_sim_ptr(pool_next), 0, pages * SNP_PAGE_SIZE);
	pool_next += pages * SNP_PAGE_SIZE;
	return 0;
}
