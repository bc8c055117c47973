#include "arch/x86_64/pt.h"

#include "core/main.h"
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
	CHECK(va < PT_LIMIT && size <= PT_LIMIT - va);
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
