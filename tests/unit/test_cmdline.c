#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/cmdline.h"

static void test_cmdline_finds_values_and_bare_words(void **state)
{
	char v[16];
	(void)state;

	assert_true(cmdline_get("a=1 mantle.fatal=ud  b", "mantle.fatal", v, sizeof(v)));
	assert_string_equal(v, "ud");
	assert_true(cmdline_get("a=1 b", "b", v, sizeof(v)));
	assert_string_equal(v, "");
	assert_false(cmdline_get("ab=1 a2=3", "a", v, sizeof(v)));
	assert_false(cmdline_get("", "a", v, sizeof(v)));
}

static void test_cmdline_last_value_wins_and_truncates(void **state)
{
	char v[4];
	(void)state;

	assert_true(cmdline_get("k=first\tk=second", "k", v, sizeof(v)));
	assert_string_equal(v, "sec");
	assert_true(cmdline_get("k=", "k", v, sizeof(v)));
	assert_string_equal(v, "");
	assert_true(cmdline_get("k=x", "k", v, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdline_finds_values_and_bare_words),
		cmocka_unit_test(test_cmdline_last_value_wins_and_truncates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
