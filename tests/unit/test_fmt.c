#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/fmt.h"

#define FMT(buf, ...) fmt_snprintf(buf, sizeof(buf), __VA_ARGS__)

static void test_fmt_integers(void **state)
{
	char b[64];
	(void)state;

	FMT(b, "%d %i %u", -42, 7, 4000000000u);
	assert_string_equal(b, "-42 7 4000000000");
	FMT(b, "%d", (int)INT32_MIN);
	assert_string_equal(b, "-2147483648");
	FMT(b, "%lld", (long long)INT64_MIN);
	assert_string_equal(b, "-9223372036854775808");
	FMT(b, "%llu", (unsigned long long)UINT64_MAX);
	assert_string_equal(b, "18446744073709551615");
	FMT(b, "%hhu %hd", 0x1ff, 0x18000);
	assert_string_equal(b, "255 -32768");
	FMT(b, "%zu %o", (size_t)12345, 8);
	assert_string_equal(b, "12345 10");
}

static void test_fmt_hex_and_pointer(void **state)
{
	char b[64];
	(void)state;

	FMT(b, "%x %X %lx", 0xdeadbeefu, 0xabcu, 0x123456789abcdefUL);
	assert_string_equal(b, "deadbeef ABC 123456789abcdef");
	FMT(b, "%x", 0);
	assert_string_equal(b, "0");
	FMT(b, "%p", (void *)0x1000);
	assert_string_equal(b, "0x1000");
	FMT(b, "%018p", (void *)0x1000);
	assert_string_equal(b, "0x0000000000001000");
}

static void test_fmt_width_and_padding(void **state)
{
	char b[64];
	(void)state;

	FMT(b, "[%5d][%-5d][%05d]", 42, 42, 42);
	assert_string_equal(b, "[   42][42   ][00042]");
	FMT(b, "[%05d]", -42);
	assert_string_equal(b, "[-0042]");
	FMT(b, "[%016lx]", 0xffUL);
	assert_string_equal(b, "[00000000000000ff]");
	FMT(b, "[%*d][%-*d]", 4, 1, 3, 2);
	assert_string_equal(b, "[   1][2  ]");
	FMT(b, "[%2d]", 12345);
	assert_string_equal(b, "[12345]");
}

static void test_fmt_strings_and_chars(void **state)
{
	char b[64];
	(void)state;

	FMT(b, "%s|%6s|%-6s|%c%c", "ab", "cd", "ef", 'x', 'y');
	assert_string_equal(b, "ab|    cd|ef    |xy");
	FMT(b, "%.3s|%.*s", "abcdef", 2, "xyz");
	assert_string_equal(b, "abc|xy");
	FMT(b, "%s", (const char *)NULL);
	assert_string_equal(b, "(null)");
	FMT(b, "100%%");
	assert_string_equal(b, "100%");
}

static void test_fmt_unknown_conversion_is_echoed(void **state)
{
	char b[64];
	(void)state;

	FMT(b, "a%qb%d", 5);
	assert_string_equal(b, "a%qb5");
	FMT(b, "tail%");
	assert_string_equal(b, "tail%");
	FMT(b, "tail%-0");
	assert_string_equal(b, "tail%-0");
}

static void test_fmt_truncates_and_reports_full_length(void **state)
{
	char b[8];
	(void)state;

	memset(b, 'Z', sizeof(b));
	size_t n = fmt_snprintf(b, sizeof(b), "%s-%d", "hello", 12345);
	assert_int_equal(n, 11);
	assert_string_equal(b, "hello-1");
	n = fmt_snprintf(b, 1, "abc");
	assert_int_equal(n, 3);
	assert_int_equal(b[0], '\0');
	b[0] = 'Q';
	n = fmt_snprintf(b, 0, "abc");
	assert_int_equal(n, 3);
	assert_int_equal(b[0], 'Q');
}

static void test_fmt_huge_width_is_bounded(void **state)
{
	char b[16];
	(void)state;

	/* A width parsed from a long digit string must not overflow; output is merely truncated. */
	size_t n = fmt_snprintf(b, sizeof(b), "%99999999999d", 1);
	assert_true(n <= 1000000);
	assert_int_equal(strlen(b), sizeof(b) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_integers),
		cmocka_unit_test(test_fmt_hex_and_pointer),
		cmocka_unit_test(test_fmt_width_and_padding),
		cmocka_unit_test(test_fmt_strings_and_chars),
		cmocka_unit_test(test_fmt_unknown_conversion_is_echoed),
		cmocka_unit_test(test_fmt_truncates_and_reports_full_length),
		cmocka_unit_test(test_fmt_huge_width_is_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
