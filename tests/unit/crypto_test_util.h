/* Helpers shared by the crypto and key tests: hex vectors and a deterministic byte source. */
#ifndef MANTLE_TESTS_UNIT_CRYPTO_TEST_UTIL_H
#define MANTLE_TESTS_UNIT_CRYPTO_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Decodes a hex string into out; returns the byte count (strlen / 2). */
size_t test_unhex(const char *h, uint8_t *out);
/* cmocka assertion: got starts with the bytes the hex string spells (at most 512). */
void test_assert_hex(const uint8_t *got, const char *want);

/* Deterministic test data (xorshift64*), so a failure reproduces; each test file seeds its own.
 * test_rng_fill has crypto_rand_fn's signature. */
struct test_rng {
	uint64_t s;
};
void test_rng_fill(void *ctx, void *out, size_t n);

#endif
