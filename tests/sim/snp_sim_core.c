/* The core services tee/snp's backend calls (core/main.h), over the simulated platform's memory:
 * a memory map with Mantle's launch-validated image/pool at [0, 2 MiB) and guest RAM above. */
#include "tests/sim/snp_sim.h"

#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/platform.h"
#include "core/main.h"
#include "core/tee.h"
#include "tee/snp/snp_backend.h"

#define SIM_MANTLE_END 0x200000ull
#define SIM_POOL_BASE 0x40000ull

static struct memmap sim_map;
static uint64_t pool_next, pool_end;

void snp_sim_layout(void)
{
	memset(&sim_map, 0, sizeof(sim_map));
	sim_map.r[0] = (struct mem_range){ 0, SIM_MANTLE_END, MEM_MANTLE };
	sim_map.r[1] = (struct mem_range){ SIM_MANTLE_END, SNP_SIM_MEM_SIZE - SIM_MANTLE_END, MEM_USABLE };
	sim_map.count = 2;
	pool_next = SIM_POOL_BASE;
	pool_end = SIM_MANTLE_END;
	snp_host_ghcb_gpa = 0;
	/* The launch validated Mantle's image and pool (measured IGVM pages). */
	snp_sim_launch_validate(0, SIM_MANTLE_END >> 12);
}

const struct memmap *core_memmap(void)
{
	return &sim_map;
}

void snp_sim_layout_igvm(void)
{
	memset(&sim_map, 0, sizeof(sim_map));
	sim_map.r[0] = (struct mem_range){ 0, SNP_SIM_IGVM_IMAGE_END, MEM_MANTLE };
	sim_map.r[1] = (struct mem_range){ SNP_SIM_IGVM_IMAGE_END, SNP_SIM_IGVM_POOL - SNP_SIM_IGVM_IMAGE_END,
					   MEM_USABLE };
	sim_map.r[2] = (struct mem_range){ SNP_SIM_IGVM_POOL, SNP_SIM_IGVM_POOL_END - SNP_SIM_IGVM_POOL, MEM_MANTLE };
	sim_map.r[3] = (struct mem_range){ SNP_SIM_IGVM_POOL_END, SNP_SIM_MEM_SIZE - SNP_SIM_IGVM_POOL_END,
					   MEM_USABLE };
	sim_map.count = 4;
	pool_next = SNP_SIM_IGVM_POOL;
	pool_end = SNP_SIM_IGVM_POOL_END;
	snp_sim_launch_validate(0, SNP_SIM_IGVM_SPARE >> 12);
	/* The host backs the rest of Mantle's memory (REQUIRED_MEMORY) privately, unvalidated. */
	snp_sim_host_assign(SNP_SIM_IGVM_SPARE, (SNP_SIM_IGVM_IMAGE_END - SNP_SIM_IGVM_SPARE) >> 12, true, false);
	snp_sim_host_assign(SNP_SIM_IGVM_POOL, (SNP_SIM_IGVM_POOL_END - SNP_SIM_IGVM_POOL) >> 12, true, true);
	tee_clear_launch_ranges();
	tee_add_launch_range(0, SNP_SIM_IGVM_SPARE);
	snp_host_ghcb_gpa = SNP_SIM_IGVM_GHCB;
}

int core_alloc_pages(uint64_t pages, uint64_t *pa)
{
	if (pool_next + pages * SNP_PAGE_SIZE > pool_end)
		return -1;
	if (!snp_sim_mantle_touch(pool_next, pages * SNP_PAGE_SIZE))
		return -1;
	*pa = pool_next;
	memset(snp_sim_ptr(pool_next), 0, pages * SNP_PAGE_SIZE);
	pool_next += pages * SNP_PAGE_SIZE;
	return 0;
}

/* The arch services tee/snp calls (arch/x86_64/platform.h), recorded for the tests. */
static bool port_io_ready;

void x86_port_io_ready(void)
{
	snp_sim.port_io_ready_calls++;
	snp_sim.port_io_ready_ghcb_gfn = snp_sim.ghcb_gfn;
	port_io_ready = true;
}

bool x86_port_io_is_ready(void)
{
	return port_io_ready;
}

void x86_mmu_map_data(uint64_t va, uint64_t pa, uint64_t size)
{
	/* Mantle maps the vTOM alias identically: VA = PA = GPA + 2^46. */
	if (va != pa || va < (1ull << 46) || (size & 0xfff))
		abort();
	snp_sim.alias_maps += size >> 12;
}
