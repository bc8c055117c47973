#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/pfa.h"

static struct memmap map;
static struct pfa pfa;
static void *meta;

static void build(void)
{
	size_t bytes = pfa_metadata_bytes(&map);

	meta = calloc(1, bytes ? bytes : 1);
	assert_non_null(meta);
	assert_int_equal(pfa_init(&pfa, &map, meta, bytes), PFA_OK);
}

static void add(uint64_t base, uint64_t size, uint32_t type)
{
	struct memmap raw = map;

	assert_int_equal(memmap_add(&raw, base, size, type), MEMMAP_OK);
	assert_int_equal(memmap_normalize(&raw, &map), MEMMAP_OK);
}

static int setup(void **state)
{
	(void)state;
	memmap_init(&map);
	meta = NULL;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(meta);
	return 0;
}

static void test_pfa_empty_map_has_no_memory(void **state)
{
	uint64_t pa;
	(void)state;

	build();
	assert_int_equal(pfa.total_pages, 0);
	assert_int_equal(pfa_alloc(&pfa, 1, 1, &pa), PFA_NO_MEMORY);
}

static void test_pfa_allocates_top_down_and_frees(void **state)
{
	uint64_t a, b;
	(void)state;

	add(0x100000, 0x10000, MEM_USABLE);
	build();
	assert_int_equal(pfa.total_pages, 16);
	assert_int_equal(pfa_alloc(&pfa, 1, 1, &a), PFA_OK);
	assert_int_equal(a, 0x10f000);
	assert_int_equal(pfa_alloc(&pfa, 2, 1, &b), PFA_OK);
	assert_int_equal(b, 0x10d000);
	assert_int_equal(pfa.free_pages, 13);
	assert_true(pfa_is_allocated(&pfa, 0x10e000));
	pfa_free(&pfa, a, 1);
	assert_false(pfa_is_allocated(&pfa, a));
	assert_int_equal(pfa_alloc(&pfa, 1, 1, &a), PFA_OK);
	assert_int_equal(a, 0x10f000);
	assert_int_equal(pfa.free_pages, 13);
}

static void test_pfa_only_whole_pages_of_usable_ranges(void **state)
{
	uint64_t pa;
	(void)state;

	/* Unaligned edges are trimmed; reserved and Mantle ranges are never handed out. */
	add(0x1800, 0x2000, MEM_USABLE);     /* whole page: 0x2000 only */
	add(0x10000, 0x3000, MEM_RESERVED);
	add(0x20000, 0x800, MEM_USABLE);     /* no whole page */
	add(0x30000, 0x1000, MEM_MANTLE);
	build();
	assert_int_equal(pfa.total_pages, 1);
	assert_int_equal(pfa_alloc(&pfa, 1, 1, &pa), PFA_OK);
	assert_int_equal(pa, 0x2000);
	assert_int_equal(pfa_alloc(&pfa, 1, 1, &pa), PFA_NO_MEMORY);
}

static void test_pfa_alignment_and_contiguity(void **state)
{
	uint64_t pa, pin;
	(void)state;

	add(0x1000, 0x400000, MEM_USABLE);
	build();
	assert_int_equal(pfa_alloc(&pfa, 512, 512, &pa), PFA_OK);
	assert_int_equal(pa % 0x200000, 0);
	/* A busy page in the middle forces the next run below it. */
	assert_int_equal(pfa_alloc(&pfa, 1, 1, &pin), PFA_OK);
	assert_int_equal(pfa_alloc(&pfa, 100, 1, &pa), PFA_OK);
	assert_true(pa + 100 * PAGE_SIZE <= pin);
	assert_int_equal(pfa_alloc(&pfa, 3, 3, &pa), PFA_BAD_ARGS);
	assert_int_equal(pfa_alloc(&pfa, 0, 1, &pa), PFA_BAD_ARGS);
	assert_int_equal(pfa_alloc(&pfa, 1, 0, &pa), PFA_BAD_ARGS);
}

static void test_pfa_request_larger_than_any_zone_fails(void **state)
{
	uint64_t pa;
	(void)state;

	add(0x100000, 0x8000, MEM_USABLE);
	add(0x200000, 0x8000, MEM_USABLE);
	build();
	assert_int_equal(pfa.free_pages, 16);
	assert_int_equal(pfa_alloc(&pfa, 9, 1, &pa), PFA_NO_MEMORY);
	assert_int_equal(pfa_alloc(&pfa, UINT64_MAX, 1, &pa), PFA_NO_MEMORY);
	assert_int_equal(pfa_alloc(&pfa, 8, 1, &pa), PFA_OK);
	assert_int_equal(pa, 0x200000);
	assert_int_equal(pfa_alloc(&pfa, 8, 1, &pa), PFA_OK);
	assert_int_equal(pa, 0x100000);
	assert_int_equal(pfa_alloc(&pfa, 1, 1, &pa), PFA_NO_MEMORY);
}

static void test_pfa_exhaust_every_page_exactly_once(void **state)
{
	uint64_t pa, seen = 0;
	(void)state;

	add(0, 0x41000, MEM_USABLE); /* 65 pages: the bitmap's last word is partial */
	build();
	while (pfa_alloc(&pfa, 1, 1, &pa) == PFA_OK) {
		assert_true(pa < 0x41000);
		seen++;
	}
	assert_int_equal(seen, 65);
	assert_int_equal(pfa.free_pages, 0);
}

static void test_pfa_metadata_too_small_is_refused(void **state)
{
	uint64_t word;
	(void)state;

	add(0, 0x10000000, MEM_USABLE);
	assert_int_equal(pfa_init(&pfa, &map, &word, sizeof(word)), PFA_METADATA_TOO_SMALL);
}

static void test_pfa_double_free_is_a_checked_bug(void **state)
{
	uint64_t pa;
	(void)state;

	add(0x100000, 0x10000, MEM_USABLE);
	build();
	assert_int_equal(pfa_alloc(&pfa, 1, 1, &pa), PFA_OK);
	pfa_free(&pfa, pa, 1);
	expect_assert_failure(pfa_free(&pfa, pa, 1));
	expect_assert_failure(pfa_free(&pfa, 0x900000, 1));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_pfa_empty_map_has_no_memory),
		T(test_pfa_allocates_top_down_and_frees),
		T(test_pfa_only_whole_pages_of_usable_ranges),
		T(test_pfa_alignment_and_contiguity),
		T(test_pfa_request_larger_than_any_zone_fails),
		T(test_pfa_exhaust_every_page_exactly_once),
		T(test_pfa_metadata_too_small_is_refused),
		T(test_pfa_double_free_is_a_checked_bug),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
