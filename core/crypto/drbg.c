/* DRBG glue: BearSSL's HMAC_DRBG (SHA-256) seeded by the caller, and the CPU entropy source through
 * BearSSL's system seeder (RDRAND on x86_64 images; nothing elsewhere, since every OS source is
 * compiled out of Mantle's BearSSL). */
#include "core/crypto/crypto.h"

#include "bearssl_hash.h"
#include "bearssl_rand.h"
#include "core/str.h"

_Static_assert(sizeof(br_hmac_drbg_context) <= sizeof(((struct crypto_drbg *)0)->opaque),
	       "crypto_drbg too small for BearSSL's HMAC_DRBG context");

#define DRBG_MIN_SEED 32u

bool crypto_drbg_init(struct crypto_drbg *d, const void *seed, size_t seed_len)
{
	d->seeded = false;
	if (seed_len < DRBG_MIN_SEED)
		return false;
	br_hmac_drbg_init((br_hmac_drbg_context *)d->opaque, &br_sha256_vtable, seed, seed_len);
	d->seeded = true;
	return true;
}

void crypto_drbg_reseed(struct crypto_drbg *d, const void *data, size_t len)
{
	if (d->seeded && len)
		br_hmac_drbg_update((br_hmac_drbg_context *)d->opaque, data, len);
}

bool crypto_drbg_generate(struct crypto_drbg *d, void *out, size_t len)
{
	if (!d->seeded) {
		memset(out, 0, len);
		return false;
	}
	if (len)
		br_hmac_drbg_generate((br_hmac_drbg_context *)d->opaque, out, len);
	return true;
}

/* A br_prng_class whose only job is to capture what a seeder injects. */
struct capture {
	const br_prng_class *vtable;
	uint8_t buf[32];
	size_t len;
};

static void capture_update(const br_prng_class **ctx, const void *seed, size_t len)
{
	struct capture *c = (struct capture *)(void *)ctx;
	size_t n = len < sizeof(c->buf) ? len : sizeof(c->buf);

	memcpy(c->buf, seed, n);
	c->len = n;
}

static const br_prng_class capture_class = {
	.context_size = sizeof(struct capture),
	.init = NULL,
	.generate = NULL,
	.update = capture_update,
};

bool crypto_entropy_cpu(void *out, size_t len)
{
	br_prng_seeder seeder = br_prng_seeder_system(NULL);
	uint8_t *p = out;
	struct capture c = { .vtable = &capture_class };

	if (!seeder)
		return false;
	while (len) {
		c.len = 0;
		if (!seeder(&c.vtable) || c.len == 0) {
			crypto_wipe(&c, sizeof(c));
			return false;
		}
		size_t n = len < c.len ? len : c.len;
		memcpy(p, c.buf, n);
		p += n;
		len -= n;
	}
	crypto_wipe(&c, sizeof(c));
	return true;
}
