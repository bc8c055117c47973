/* Helpers shared by the crypto and key tests (crypto_test_util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/crypto_test_util.h"

size_t test_unhex(const char *h, uint8_t *out)
{
	size_t n = strlen(h) / 2;

	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(h + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
	return n;
}

void test_assert_hex(const uint8_t *got, const char *want)
{
	uint8_t w[512];
	size_t n = test_unhex(want, w);

	assert_memory_equal(got, w, n);
}

void test_rng_fill(void *ctx, void *out, size_t n)
{
	struct test_rng *r = ctx;
	uint8_t *b = out;

	for (size_t i = 0; i < n; i++) {
		r->s ^= r->s >> 12;
		r->s ^= r->s << 25;
		r->s ^= r->s >> 27;
		b[i] = (uint8_t)((r->s * 0x2545F4914F6CDD1Dull) >> 56);
	}
}
