#include "core/tee.h"

#include "core/str.h"

/* Weak: host programs that link the launch-page record without any backend have no such section. */
extern const struct tee_backend *const __start_mantle_tee[] __attribute__((weak));
extern const struct tee_backend *const __stop_mantle_tee[] __attribute__((weak));

static uint64_t launch_pages[TEE_LAUNCH_PAGE_COUNT];
static struct tee_range launch_ranges[TEE_LAUNCH_RANGES_MAX];
static uint32_t launch_range_count;
static tee_early_accept_fn early_accept;

const struct tee_backend *tee_select(const char *want)
{
	const struct tee_backend *best = NULL;

	for (const struct tee_backend *const *b = __start_mantle_tee; b < __stop_mantle_tee; b++) {
		if (want[0] && strcmp(want, (*b)->name) != 0)
			continue;
		if (best && (*b)->priority <= best->priority)
			continue;
		if ((*b)->probe())
			best = *b;
	}
	return best;
}

void tee_set_launch_page(enum tee_launch_page which, uint64_t gpa)
{
	if ((unsigned)which < TEE_LAUNCH_PAGE_COUNT)
		launch_pages[which] = gpa;
}

uint64_t tee_launch_page(enum tee_launch_page which)
{
	return (unsigned)which < TEE_LAUNCH_PAGE_COUNT ? launch_pages[which] : 0;
}

void tee_add_launch_range(uint64_t base, uint64_t size)
{
	if (launch_range_count < TEE_LAUNCH_RANGES_MAX && size)
		launch_ranges[launch_range_count++] = (struct tee_range){ base, size };
}

void tee_clear_launch_ranges(void)
{
	launch_range_count = 0;
}

uint32_t tee_launch_ranges(const struct tee_range **ranges)
{
	*ranges = launch_ranges;
	return launch_range_count;
}

void tee_set_early_accept(tee_early_accept_fn fn)
{
	early_accept = fn;
}

int tee_early_accept(uint64_t base, uint64_t size)
{
	return early_accept ? early_accept(base, size) : TEE_OK;
}

int tee_absent_mem_accept(uint64_t gpa, uint64_t pages)
{
	(void)gpa, (void)pages;
	return TEE_ERR_UNSUPPORTED;
}

int tee_absent_mem_set_shared(uint64_t gpa, uint64_t pages, bool shared)
{
	(void)gpa, (void)pages, (void)shared;
	return TEE_ERR_UNSUPPORTED;
}

int tee_absent_attest(const uint8_t report_data[64], uint8_t *out, uint32_t *len)
{
	(void)report_data, (void)out;
	if (len)
		*len = 0;
	return TEE_ERR_UNSUPPORTED;
}

int tee_absent_derive_key(uint32_t context, uint8_t key[32])
{
	(void)context;
	/* Nothing that looks like a key leaves a backend that has none. */
	for (int i = 0; i < 32; i++)
		key[i] = 0;
	return TEE_ERR_UNSUPPORTED;
}
