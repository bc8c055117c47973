#include "arch/x86_64/pt.h"

#include "core/main.h"
#include "core/memmap.h"
#include "core/panic.h"

static uint64_t *table_at(uint64_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}

static uint64_t alloc_table(void)
{
	uint64_t pa;

	if (core_alloc_pages(1, &pa) != 0)
		panic("out of memory building page tables");
	return pa;
}

void x86_pt_init(struct x86_pt *pt, uint64_t table_flags)
{
	pt->root_pa = alloc_table();
	pt->table_flags = table_flags;
}

/* The next-level table behind entry `idx`, created empty if absent. */
static uint64_t *next_table(const struct x86_pt *pt, uint64_t *table, unsigned idx)
{
	if (!(table[idx] & PTE_P))
		table[idx] = alloc_table() | pt->table_flags;
	CHECK(!(table[idx] & PTE_PS));
	return table_at(table[idx] & PTE_ADDR);
}

static void map_one(struct x86_pt *pt, uint64_t va, uint64_t pa, uint64_t flags, bool large)
{
	uint64_t *pdpt = next_table(pt, table_at(pt->root_pa), (va >> 39) & 511);
	uint64_t *pd = next_table(pt, pdpt, (va >> 30) & 511);
	uint64_t *leaf;
	unsigned idx;

	if (large) {
		leaf = pd;
		idx = (va >> 21) & 511;
		flags |= PTE_PS;
	} else {
		leaf = next_table(pt, pd, (va >> 21) & 511);
		idx = (va >> 12) & 511;
	}
	CHECK(!(leaf[idx] & PTE_P));
	leaf[idx] = pa | flags;
}

void x86_pt_map(struct x86_pt *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t flags)
{
	CHECK(((va | pa | size) & (PT_SZ_4K - 1)) == 0);
	CHECK(va < PT_VA_LIMIT && size <= PT_VA_LIMIT - va);
	while (size) {
		bool large = ((va | pa) & (PT_SZ_2M - 1)) == 0 && size >= PT_SZ_2M;
		uint64_t step = large ? PT_SZ_2M : PT_SZ_4K;
		map_one(pt, va, pa, flags, large);
		va += step;
		pa += step;
		size -= step;
	}
}

uint64_t x86_pt_lookup(const struct x86_pt *pt, uint64_t va)
{
	const uint64_t *t = table_at(pt->root_pa);
	unsigned shift = 39;

	for (;;) {
		uint64_t e = t[(va >> shift) & 511];
		if (!(e & PTE_P))
			return 0;
		if (shift == 12 || (e & PTE_PS))
			return e;
		t = table_at(e & PTE_ADDR);
		shift -= 9;
	}
}

#define SZ_4G 0x100000000ull

/* State of one x86_pt_map_memmap() pass, which walks the sorted map upwards. */
struct memmap_pass {
	struct x86_pt *pt;
	uint64_t mapped_end;   /* everything below is decided: mapped, or deliberately skipped */
	uint64_t skip_base, skip_end;
};

/* Identity-maps the pages covering [base, end) that no earlier range took. */
static void pass_map(struct memmap_pass *ps, uint64_t base, uint64_t end, uint64_t flags)
{
	base &= ~(PT_SZ_4K - 1);
	end = (end + PT_SZ_4K - 1) & ~(PT_SZ_4K - 1);
	if (end > PT_LIMIT)
		end = PT_LIMIT;
	if (base < ps->mapped_end)
		base = ps->mapped_end;
	if (base >= end)
		return;
	if (flags)
		x86_pt_map(ps->pt, base, base, end - base, flags);
	ps->mapped_end = end;
}

static void pass_range(struct memmap_pass *ps, uint64_t base, uint64_t end, uint64_t flags)
{
	if (base < ps->skip_base)
		pass_map(ps, base, end < ps->skip_base ? end : ps->skip_base, flags);
	if (end > ps->skip_end) {
		if (ps->mapped_end < ps->skip_end)
			ps->mapped_end = ps->skip_end;
		pass_map(ps, base > ps->skip_end ? base : ps->skip_end, end, flags);
	}
}

void x86_pt_map_memmap(struct x86_pt *pt, const struct memmap *m, const struct x86_pt_memmap_policy *policy)
{
	struct memmap_pass ps = { .pt = pt, .mapped_end = policy->map_page0 ? 0 : PT_SZ_4K,
				  .skip_base = policy->skip_base, .skip_end = policy->skip_end };
	uint64_t hole_flags = policy->hole_flags;
	uint64_t cursor = 0;

	for (uint32_t i = 0; i < m->count; i++) {
		const struct mem_range *r = &m->r[i];
		if (r->base >= PT_LIMIT)
			break;
		uint64_t end = r->base + (r->size - 1) < PT_LIMIT ? r->base + r->size : PT_LIMIT;
		if (cursor < r->base && cursor < SZ_4G)
			pass_range(&ps, cursor, r->base < SZ_4G ? r->base : SZ_4G, hole_flags);
		pass_range(&ps, r->base, end, policy->type_flags(r->type));
		cursor = end;
	}
	if (cursor < SZ_4G)
		pass_range(&ps, cursor, SZ_4G, hole_flags);
}
