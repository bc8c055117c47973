#include "core/pfa.h"

#include "core/panic.h"
#include "core/str.h"

#define BITS_PER_WORD 64u

static uint64_t words_for(uint64_t pages)
{
	return (pages + BITS_PER_WORD - 1) / BITS_PER_WORD;
}

/* The page-aligned interior of a usable range; false if it holds no whole page. */
static bool usable_pages(const struct mem_range *r, uint64_t *base, uint64_t *pages)
{
	uint64_t last = r->base + (r->size - 1);
	uint64_t lo = (r->base + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);

	if (r->type != MEM_USABLE || lo < r->base || lo > last)
		return false;
	uint64_t n = (last - lo + 1) / PAGE_SIZE;
	if (n == 0)
		return false;
	*base = lo;
	*pages = n;
	return true;
}

size_t pfa_metadata_bytes(const struct memmap *m)
{
	uint64_t bytes = 0;

	for (uint32_t i = 0; i < m->count; i++) {
		uint64_t base, pages;
		if (usable_pages(&m->r[i], &base, &pages))
			bytes += words_for(pages) * sizeof(uint64_t);
	}
	return (size_t)bytes;
}

enum pfa_status pfa_init(struct pfa *a, const struct memmap *m, void *meta, size_t meta_bytes)
{
	uint64_t *words = meta;
	uint64_t used = 0;

	if (meta_bytes < pfa_metadata_bytes(m))
		return PFA_METADATA_TOO_SMALL;
	memset(a, 0, sizeof(*a));
	for (uint32_t i = 0; i < m->count; i++) {
		uint64_t base, pages;
		if (!usable_pages(&m->r[i], &base, &pages))
			continue;
		struct pfa_zone *z = &a->zones[a->zone_count++];
		uint64_t nw = words_for(pages);
		z->base = base;
		z->pages = pages;
		z->bitmap = words + used;
		memset(z->bitmap, 0, nw * sizeof(uint64_t));
		/* Bits past the zone's end are marked allocated so a scan never hands them out. */
		if (pages % BITS_PER_WORD)
			z->bitmap[nw - 1] = ~(uint64_t)0 << (pages % BITS_PER_WORD);
		used += nw;
		a->total_pages += pages;
	}
	a->free_pages = a->total_pages;
	return PFA_OK;
}

static bool bit_get(const struct pfa_zone *z, uint64_t i)
{
	return (z->bitmap[i / BITS_PER_WORD] >> (i % BITS_PER_WORD)) & 1;
}

static void bits_set(struct pfa_zone *z, uint64_t first, uint64_t n, bool value)
{
	for (uint64_t i = first; i < first + n; i++) {
		uint64_t bit = (uint64_t)1 << (i % BITS_PER_WORD);
		CHECK(bit_get(z, i) != value);
		if (value)
			z->bitmap[i / BITS_PER_WORD] |= bit;
		else
			z->bitmap[i / BITS_PER_WORD] &= ~bit;
	}
}

/* Highest run of `pages` free pages in z whose physical address is aligned; scans downward. */
static bool zone_find(const struct pfa_zone *z, uint64_t pages, uint64_t align, uint64_t *first)
{
	if (pages > z->pages)
		return false;
	uint64_t start = z->pages - pages;
	for (;;) {
		uint64_t pfn = (z->base >> PAGE_SHIFT) + start;
		uint64_t mis = pfn & (align - 1);
		if (mis) {
			if (start < mis)
				return false;
			start -= mis;
			continue;
		}
		uint64_t busy = UINT64_MAX;
		for (uint64_t i = pages; i-- > 0;) {
			if (bit_get(z, start + i)) {
				busy = start + i;
				break;
			}
		}
		if (busy == UINT64_MAX) {
			*first = start;
			return true;
		}
		/* The run must end below the busy page. */
		if (busy < pages)
			return false;
		start = busy - pages;
	}
}

enum pfa_status pfa_alloc(struct pfa *a, uint64_t pages, uint64_t align_pages, uint64_t *pa_out)
{
	if (pages == 0 || align_pages == 0 || (align_pages & (align_pages - 1)))
		return PFA_BAD_ARGS;
	if (pages > a->free_pages)
		return PFA_NO_MEMORY;
	for (uint32_t zi = a->zone_count; zi-- > 0;) {
		struct pfa_zone *z = &a->zones[zi];
		uint64_t first;
		if (!zone_find(z, pages, align_pages, &first))
			continue;
		bits_set(z, first, pages, true);
		a->free_pages -= pages;
		*pa_out = z->base + (first << PAGE_SHIFT);
		return PFA_OK;
	}
	return PFA_NO_MEMORY;
}

static struct pfa_zone *zone_of(const struct pfa *a, uint64_t pa)
{
	for (uint32_t i = 0; i < a->zone_count; i++) {
		const struct pfa_zone *z = &a->zones[i];
		if (pa >= z->base && ((pa - z->base) >> PAGE_SHIFT) < z->pages)
			return (struct pfa_zone *)z;
	}
	return NULL;
}

void pfa_free(struct pfa *a, uint64_t pa, uint64_t pages)
{
	struct pfa_zone *z = zone_of(a, pa);

	CHECK((pa & (PAGE_SIZE - 1)) == 0);
	CHECK(z != NULL);
	uint64_t first = (pa - z->base) >> PAGE_SHIFT;
	CHECK(pages <= z->pages - first);
	bits_set(z, first, pages, false);
	a->free_pages += pages;
}

bool pfa_is_allocated(const struct pfa *a, uint64_t pa)
{
	const struct pfa_zone *z = zone_of(a, pa);

	return z && bit_get(z, (pa - z->base) >> PAGE_SHIFT);
}
