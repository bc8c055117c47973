/* Guest bundle parsing: well-formed bundles as tools/mkbundle lays them out, and every way a
 * corrupt or hostile one must be refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boot/bundle.h"

#define PAGE 4096u
static uint8_t buf[8 * PAGE];
static struct bundle_view view;

static struct bundle_header *hdr(void)
{
	return (struct bundle_header *)buf;
}

static struct bundle_entry *ent(unsigned i)
{
	return (struct bundle_entry *)(buf + sizeof(struct bundle_header)) + i;
}

/* kernel at page 1 (2 pages), initrd at page 3 (1 page + 10 bytes), cmdline at page 5. */
static int make_valid(void **state)
{
	(void)state;
	memset(buf, 0, sizeof(buf));
	memcpy(hdr()->magic, BUNDLE_MAGIC, 8);
	hdr()->version = BUNDLE_VERSION;
	hdr()->entry_count = 3;
	hdr()->total_size = 6 * PAGE;
	*ent(0) = (struct bundle_entry){ .type = BUNDLE_KERNEL, .offset = PAGE, .size = 2 * PAGE };
	*ent(1) = (struct bundle_entry){ .type = BUNDLE_INITRD, .offset = 3 * PAGE, .size = PAGE + 10 };
	*ent(2) = (struct bundle_entry){ .type = BUNDLE_CMDLINE, .offset = 5 * PAGE, .size = 13 };
	memcpy(buf + 5 * PAGE, "console=ttyS0", 13);
	return 0;
}

static void test_bundle_valid_bundle_parses(void **state)
{
	(void)state;
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_OK);
	assert_int_equal(view.kernel_off, PAGE);
	assert_int_equal(view.kernel_size, 2 * PAGE);
	assert_int_equal(view.initrd_off, 3 * PAGE);
	assert_int_equal(view.initrd_size, PAGE + 10);
	assert_string_equal(view.cmdline, "console=ttyS0");
}

static void test_bundle_kernel_only(void **state)
{
	(void)state;
	hdr()->entry_count = 1;
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_OK);
	assert_int_equal(view.initrd_size, 0);
	assert_string_equal(view.cmdline, "");
}

static void test_bundle_rejects_truncation(void **state)
{
	(void)state;
	assert_int_equal(bundle_parse(buf, 0, &view), BUNDLE_TRUNCATED);
	assert_int_equal(bundle_parse(buf, sizeof(struct bundle_header) - 1, &view), BUNDLE_TRUNCATED);
	/* The module is shorter than the bundle claims. */
	assert_int_equal(bundle_parse(buf, 6 * PAGE - 1, &view), BUNDLE_TRUNCATED);
	/* total_size too small to hold its own entry table. */
	hdr()->total_size = sizeof(struct bundle_header) + 10;
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_TRUNCATED);
}

static void test_bundle_rejects_bad_header(void **state)
{
	(void)state;
	buf[0] ^= 1;
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_BAD_MAGIC);
	buf[0] ^= 1;
	hdr()->version = 2;
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_BAD_VERSION);
	hdr()->version = BUNDLE_VERSION;
	hdr()->entry_count = BUNDLE_MAX_ENTRIES + 1;
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_TOO_MANY_ENTRIES);
	hdr()->entry_count = 0xffffffffu;
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_TOO_MANY_ENTRIES);
}

static void test_bundle_rejects_bad_entries(void **state)
{
	(void)state;
	ent(1)->type = 9;
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_BAD_ENTRY);
	make_valid(NULL);
	ent(1)->reserved = 1;
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_BAD_ENTRY);
	make_valid(NULL);
	ent(1)->offset = 3 * PAGE + 8; /* misaligned */
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_BAD_ENTRY);
	make_valid(NULL);
	ent(1)->size = 6 * PAGE; /* runs past the end */
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_BAD_ENTRY);
	make_valid(NULL);
	ent(1)->offset = 0xfffffffffffff000ull; /* offset + size would wrap */
	ent(1)->size = 0x2000;
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_BAD_ENTRY);
}

static void test_bundle_rejects_overlaps_and_duplicates(void **state)
{
	(void)state;
	ent(1)->offset = 2 * PAGE; /* inside the kernel */
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_OVERLAP);
	make_valid(NULL);
	ent(0)->offset = 0; /* over the header */
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_OVERLAP);
	make_valid(NULL);
	ent(2)->type = BUNDLE_INITRD;
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_DUPLICATE);
	make_valid(NULL);
	ent(0)->type = BUNDLE_CMDLINE;
	ent(2)->type = BUNDLE_KERNEL;
	ent(2)->size = 0; /* an empty kernel is no kernel */
	ent(0)->size = 13;
	memcpy(buf + PAGE, "console=ttyS0", 13);
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_NO_KERNEL);
}

static void test_bundle_rejects_bad_cmdlines(void **state)
{
	(void)state;
	buf[5 * PAGE + 3] = '\0';
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_BAD_CMDLINE);
	make_valid(NULL);
	ent(2)->size = BUNDLE_CMDLINE_MAX;
	hdr()->total_size = 5 * PAGE + BUNDLE_CMDLINE_MAX;
	assert_int_equal(bundle_parse(buf, sizeof(buf), &view), BUNDLE_BAD_CMDLINE);
	assert_string_equal(bundle_status_name(BUNDLE_OVERLAP), "overlapping entries");
	assert_string_equal(bundle_status_name((enum bundle_status)99), "?");
}

#define T(f) cmocka_unit_test_setup(f, make_valid)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_bundle_valid_bundle_parses),
		T(test_bundle_kernel_only),
		T(test_bundle_rejects_truncation),
		T(test_bundle_rejects_bad_header),
		T(test_bundle_rejects_bad_entries),
		T(test_bundle_rejects_overlaps_and_duplicates),
		T(test_bundle_rejects_bad_cmdlines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
