#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/memmap.h"

static struct memmap in, out;

static void add_ok(uint64_t base, uint64_t size, uint32_t type)
{
	assert_int_equal(memmap_add(&in, base, size, type), MEMMAP_OK);
}

static void expect_range(uint32_t i, uint64_t base, uint64_t size, uint32_t type)
{
	assert_true(i < out.count);
	assert_int_equal(out.r[i].base, base);
	assert_int_equal(out.r[i].size, size);
	assert_int_equal(out.r[i].type, type);
}

static int reset(void **state)
{
	(void)state;
	memmap_init(&in);
	memmap_init(&out);
	return 0;
}

static void test_memmap_empty_map_normalizes_to_empty(void **state)
{
	(void)state;
	assert_int_equal(memmap_normalize(&in, &out), MEMMAP_OK);
	assert_int_equal(out.count, 0);
	assert_int_equal(memmap_total(&out, MEM_USABLE), 0);
	assert_int_equal(memmap_type_at(&out, 0), 0);
}

static void test_memmap_sorts_unsorted_ranges_and_keeps_gaps(void **state)
{
	(void)state;
	add_ok(0x100000, 0x100000, MEM_USABLE);
	add_ok(0x0, 0x9f000, MEM_USABLE);
	add_ok(0xf0000, 0x10000, MEM_RESERVED);
	assert_int_equal(memmap_normalize(&in, &out), MEMMAP_OK);
	assert_int_equal(out.count, 3);
	expect_range(0, 0x0, 0x9f000, MEM_USABLE);
	expect_range(1, 0xf0000, 0x10000, MEM_RESERVED);
	expect_range(2, 0x100000, 0x100000, MEM_USABLE);
	assert_int_equal(memmap_type_at(&out, 0x9f000), 0);
}

static void test_memmap_merges_adjacent_and_duplicate_ranges(void **state)
{
	(void)state;
	add_ok(0x1000, 0x1000, MEM_USABLE);
	add_ok(0x2000, 0x2000, MEM_USABLE);
	add_ok(0x1000, 0x3000, MEM_USABLE);
	assert_int_equal(memmap_normalize(&in, &out), MEMMAP_OK);
	assert_int_equal(out.count, 1);
	expect_range(0, 0x1000, 0x3000, MEM_USABLE);
}

static void test_memmap_overlap_restrictive_type_wins(void **state)
{
	(void)state;
	/* RAM reported over a reserved hole: the hole must survive, splitting the RAM. */
	add_ok(0x0, 0x10000, MEM_USABLE);
	add_ok(0x4000, 0x2000, MEM_RESERVED);
	add_ok(0x5000, 0x8000, MEM_ACPI_RECLAIM);
	assert_int_equal(memmap_normalize(&in, &out), MEMMAP_OK);
	assert_int_equal(out.count, 4);
	expect_range(0, 0x0, 0x4000, MEM_USABLE);
	expect_range(1, 0x4000, 0x2000, MEM_RESERVED);
	expect_range(2, 0x6000, 0x7000, MEM_ACPI_RECLAIM);
	expect_range(3, 0xd000, 0x3000, MEM_USABLE);
}

static void test_memmap_range_reaching_top_of_address_space(void **state)
{
	(void)state;
	add_ok(0xfffffffffffff000ull, 0x1000, MEM_RESERVED);
	add_ok(0xffffffffffff0000ull, 0x10000, MEM_USABLE);
	assert_int_equal(memmap_normalize(&in, &out), MEMMAP_OK);
	assert_int_equal(out.count, 2);
	expect_range(0, 0xffffffffffff0000ull, 0xf000, MEM_USABLE);
	expect_range(1, 0xfffffffffffff000ull, 0x1000, MEM_RESERVED);
	assert_int_equal(memmap_type_at(&out, UINT64_MAX), MEM_RESERVED);
}

static void test_memmap_rejects_overflow_empty_and_bad_type(void **state)
{
	(void)state;
	assert_int_equal(memmap_add(&in, 0xfffffffffffff000ull, 0x1001, MEM_USABLE), MEMMAP_OVERFLOW);
	assert_int_equal(memmap_add(&in, 2, UINT64_MAX, MEM_USABLE), MEMMAP_OVERFLOW);
	assert_int_equal(memmap_add(&in, 0, UINT64_MAX, MEM_USABLE), MEMMAP_OK);
	assert_int_equal(memmap_add(&in, 0x1000, 0, MEM_USABLE), MEMMAP_EMPTY_RANGE);
	assert_int_equal(memmap_add(&in, 0x1000, 1, 0), MEMMAP_BAD_TYPE);
	assert_int_equal(memmap_add(&in, 0x1000, 1, MEM_TYPE_MAX + 1), MEMMAP_BAD_TYPE);
	assert_int_equal(in.count, 1);
}

static void test_memmap_full_map_is_reported(void **state)
{
	(void)state;
	for (uint32_t i = 0; i < MEMMAP_MAX; i++)
		add_ok((uint64_t)i * 0x2000, 0x1000, MEM_USABLE);
	assert_int_equal(memmap_add(&in, 0x10000000, 0x1000, MEM_USABLE), MEMMAP_FULL);
	assert_int_equal(memmap_normalize(&in, &out), MEMMAP_OK);
	assert_int_equal(out.count, MEMMAP_MAX);
}

static void test_memmap_interleaved_overlaps_can_overflow_output(void **state)
{
	(void)state;
	/* One big RAM range cut by MEMMAP_MAX-1 holes yields 2*MAX-3 pieces: more than fit. */
	add_ok(0, 0x10000000, MEM_USABLE);
	for (uint32_t i = 1; i < MEMMAP_MAX; i++)
		add_ok((uint64_t)i * 0x2000, 0x1000, MEM_RESERVED);
	assert_int_equal(memmap_normalize(&in, &out), MEMMAP_FULL);
	assert_true(out.count <= MEMMAP_MAX);
}

static void test_memmap_claim_splits_usable_range(void **state)
{
	(void)state;
	add_ok(0x100000, 0x400000, MEM_USABLE);
	assert_int_equal(memmap_normalize(&in, &out), MEMMAP_OK);
	assert_int_equal(memmap_claim(&out, 0x200000, 0x1000, MEM_MANTLE), MEMMAP_OK);
	assert_int_equal(out.count, 3);
	expect_range(0, 0x100000, 0x100000, MEM_USABLE);
	expect_range(1, 0x200000, 0x1000, MEM_MANTLE);
	expect_range(2, 0x201000, 0x2ff000, MEM_USABLE);
	assert_int_equal(memmap_total(&out, MEM_USABLE), 0x3ff000);
	/* Claiming usable over the image cannot hand Mantle's memory back. */
	assert_int_equal(memmap_claim(&out, 0x200000, 0x1000, MEM_USABLE), MEMMAP_OK);
	assert_int_equal(memmap_type_at(&out, 0x200000), MEM_MANTLE);
}

static void test_memmap_total_saturates(void **state)
{
	(void)state;
	add_ok(0, UINT64_MAX, MEM_USABLE);
	add_ok(0, 0x1000, MEM_USABLE);
	assert_int_equal(memmap_total(&in, MEM_USABLE), UINT64_MAX);
	assert_string_equal(memmap_type_name(MEM_MANTLE), "mantle");
	assert_string_equal(memmap_type_name(99), "?");
}

#define T(f) cmocka_unit_test_setup(f, reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_memmap_empty_map_normalizes_to_empty),
		T(test_memmap_sorts_unsorted_ranges_and_keeps_gaps),
		T(test_memmap_merges_adjacent_and_duplicate_ranges),
		T(test_memmap_overlap_restrictive_type_wins),
		T(test_memmap_range_reaching_top_of_address_space),
		T(test_memmap_rejects_overflow_empty_and_bad_type),
		T(test_memmap_full_map_is_reported),
		T(test_memmap_interleaved_overlaps_can_overflow_output),
		T(test_memmap_claim_splits_usable_range),
		T(test_memmap_total_saturates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
