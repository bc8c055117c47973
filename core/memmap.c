#include "core/memmap.h"

#include <stddef.h>

void memmap_init(struct memmap *m)
{
	m->count = 0;
}

enum memmap_status memmap_add(struct memmap *m, uint64_t base, uint64_t size, uint32_t type)
{
	if (size == 0)
		return MEMMAP_EMPTY_RANGE;
	if (size - 1 > UINT64_MAX - base)
		return MEMMAP_OVERFLOW;
	if (type < MEM_USABLE || type > MEM_TYPE_MAX)
		return MEMMAP_BAD_TYPE;
	if (m->count >= MEMMAP_MAX)
		return MEMMAP_FULL;
	m->r[m->count++] = (struct mem_range){ .base = base, .size = size, .type = type };
	return MEMMAP_OK;
}

static uint64_t range_last(const struct mem_range *r)
{
	return r->base + (r->size - 1);
}

/* The most restrictive type of any range covering addr, or 0. */
static uint32_t type_covering(const struct memmap *in, uint64_t addr)
{
	uint32_t t = 0;

	for (uint32_t i = 0; i < in->count; i++) {
		const struct mem_range *r = &in->r[i];
		if (addr >= r->base && addr <= range_last(r) && r->type > t)
			t = r->type;
	}
	return t;
}

/* Smallest range boundary strictly above addr (a base, or a last+1); false if there is none. */
static bool next_boundary(const struct memmap *in, uint64_t addr, uint64_t *next)
{
	bool found = false;

	for (uint32_t i = 0; i < in->count; i++) {
		const struct mem_range *r = &in->r[i];
		uint64_t last = range_last(r);
		if (r->base > addr && (!found || r->base < *next)) {
			*next = r->base;
			found = true;
		}
		if (last != UINT64_MAX && last + 1 > addr && (!found || last + 1 < *next)) {
			*next = last + 1;
			found = true;
		}
	}
	return found;
}

static enum memmap_status emit(struct memmap *out, uint64_t base, uint64_t last, uint32_t type)
{
	if (out->count > 0) {
		struct mem_range *prev = &out->r[out->count - 1];
		if (prev->type == type && range_last(prev) + 1 == base) {
			prev->size += last - base + 1;
			return MEMMAP_OK;
		}
	}
	if (out->count >= MEMMAP_MAX)
		return MEMMAP_FULL;
	out->r[out->count++] = (struct mem_range){ .base = base, .size = last - base + 1, .type = type };
	return MEMMAP_OK;
}

/* A sweep over the boundaries: between two consecutive boundaries the covering type is constant.
 * O(n^2) in the number of ranges, which is bounded by MEMMAP_MAX and runs once per boot. */
enum memmap_status memmap_normalize(const struct memmap *in, struct memmap *out)
{
	uint64_t cur = UINT64_MAX;

	out->count = 0;
	for (uint32_t i = 0; i < in->count; i++) {
		if (in->r[i].base < cur)
			cur = in->r[i].base;
	}
	if (in->count == 0)
		return MEMMAP_OK;
	for (;;) {
		uint64_t next = 0;
		bool more = next_boundary(in, cur, &next);
		uint64_t last = more ? next - 1 : UINT64_MAX;
		uint32_t type = type_covering(in, cur);
		if (type != 0 && emit(out, cur, last, type) != MEMMAP_OK)
			return MEMMAP_FULL;
		if (!more)
			return MEMMAP_OK;
		cur = next;
	}
}

enum memmap_status memmap_claim(struct memmap *m, uint64_t base, uint64_t size, uint32_t type)
{
	static struct memmap tmp;
	enum memmap_status st;

	/* Callers run single-threaded at boot; the static scratch keeps a 3 KiB map off the stack. */
	tmp = *m;
	st = memmap_add(&tmp, base, size, type);
	if (st != MEMMAP_OK)
		return st;
	return memmap_normalize(&tmp, m);
}

uint64_t memmap_total(const struct memmap *m, uint32_t type)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < m->count; i++) {
		if (m->r[i].type != type)
			continue;
		if (m->r[i].size > UINT64_MAX - total)
			return UINT64_MAX;
		total += m->r[i].size;
	}
	return total;
}

uint32_t memmap_type_at(const struct memmap *m, uint64_t addr)
{
	for (uint32_t i = 0; i < m->count; i++) {
		if (addr >= m->r[i].base && addr <= range_last(&m->r[i]))
			return m->r[i].type;
	}
	return 0;
}

const char *memmap_type_name(uint32_t type)
{
	static const char *const names[] = {
		[MEM_USABLE] = "usable",       [MEM_ACPI_RECLAIM] = "acpi",
		[MEM_ACPI_NVS] = "acpi-nvs",   [MEM_MODULE] = "module",
		[MEM_RESERVED] = "reserved",   [MEM_UNUSABLE] = "unusable",
		[MEM_EMULATED] = "emulated",   [MEM_MANTLE] = "mantle",
	};

	if (type >= sizeof(names) / sizeof(names[0]) || !names[type])
		return "?";
	return names[type];
}
