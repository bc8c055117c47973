/* Constant-time comparison and wiping. */
#include "core/crypto/crypto.h"

bool crypto_ct_equal(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint32_t diff = 0;

	for (size_t i = 0; i < len; i++)
		diff |= (uint32_t)(x[i] ^ y[i]);
	/* (diff - 1) >> 8 has bit 0 set only when diff == 0 (diff < 256). */
	return (((diff - 1u) >> 8) & 1u) != 0;
}

void crypto_wipe(void *p, size_t len)
{
	volatile uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		b[i] = 0;
}
