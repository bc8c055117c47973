/* Hashes and HMAC: thin wrappers over BearSSL's SHA-1/SHA-2 and HMAC. */
#include "core/crypto/crypto.h"

#include "bearssl_hash.h"
#include "bearssl_hmac.h"
#include "core/crypto/crypto_internal.h"

_Static_assert(sizeof(br_hash_compat_context) <= sizeof(((struct crypto_hash_ctx *)0)->opaque),
	       "crypto_hash_ctx too small for BearSSL's hash context");
_Static_assert(sizeof(br_hmac_context) <= sizeof(((struct crypto_hmac_ctx *)0)->opaque),
	       "crypto_hmac_ctx too small for BearSSL's HMAC context");

const br_hash_class *crypto_br_hash_class(enum crypto_hash_alg alg)
{
	switch (alg) {
	case CRYPTO_SHA1:
		return &br_sha1_vtable;
	case CRYPTO_SHA256:
		return &br_sha256_vtable;
	case CRYPTO_SHA384:
		return &br_sha384_vtable;
	case CRYPTO_SHA512:
		return &br_sha512_vtable;
	default:
		return NULL;
	}
}

size_t crypto_hash_size(enum crypto_hash_alg alg)
{
	const br_hash_class *c = crypto_br_hash_class(alg);

	return c ? (c->desc >> BR_HASHDESC_OUT_OFF) & BR_HASHDESC_OUT_MASK : 0;
}

size_t crypto_hash_block_size(enum crypto_hash_alg alg)
{
	const br_hash_class *c = crypto_br_hash_class(alg);

	return c ? (size_t)1 << ((c->desc >> BR_HASHDESC_LBLEN_OFF) & BR_HASHDESC_LBLEN_MASK) : 0;
}

void crypto_hash_init(struct crypto_hash_ctx *ctx, enum crypto_hash_alg alg)
{
	const br_hash_class *c = crypto_br_hash_class(alg);
	br_hash_compat_context *h = (br_hash_compat_context *)ctx->opaque;

	/* An unknown algorithm is a programming error in Mantle; fall back to SHA-256 so the context is
	 * always usable, and record the real choice for crypto_hash_final's size. */
	if (!c) {
		c = &br_sha256_vtable;
		alg = CRYPTO_SHA256;
	}
	ctx->alg = (uint32_t)alg;
	c->init(&h->vtable);
}

void crypto_hash_update(struct crypto_hash_ctx *ctx, const void *data, size_t len)
{
	br_hash_compat_context *h = (br_hash_compat_context *)ctx->opaque;

	h->vtable->update(&h->vtable, data, len);
}

void crypto_hash_final(const struct crypto_hash_ctx *ctx, uint8_t *out)
{
	const br_hash_compat_context *h = (const br_hash_compat_context *)ctx->opaque;

	h->vtable->out(&h->vtable, out);
}

void crypto_hash(enum crypto_hash_alg alg, const void *data, size_t len, uint8_t *out)
{
	struct crypto_hash_ctx ctx;

	crypto_hash_init(&ctx, alg);
	crypto_hash_update(&ctx, data, len);
	crypto_hash_final(&ctx, out);
}

void crypto_hmac_init(struct crypto_hmac_ctx *ctx, enum crypto_hash_alg alg, const void *key,
		      size_t key_len)
{
	const br_hash_class *c = crypto_br_hash_class(alg);
	br_hmac_key_context kc;

	if (!c) {
		c = &br_sha256_vtable;
		alg = CRYPTO_SHA256;
	}
	ctx->alg = (uint32_t)alg;
	br_hmac_key_init(&kc, c, key, key_len);
	br_hmac_init((br_hmac_context *)ctx->opaque, &kc, 0);
	crypto_wipe(&kc, sizeof(kc));
}

void crypto_hmac_update(struct crypto_hmac_ctx *ctx, const void *data, size_t len)
{
	br_hmac_update((br_hmac_context *)ctx->opaque, data, len);
}

void crypto_hmac_final(struct crypto_hmac_ctx *ctx, uint8_t *out)
{
	br_hmac_out((const br_hmac_context *)ctx->opaque, out);
	crypto_wipe(ctx->opaque, sizeof(ctx->opaque));
}

void crypto_hmac(enum crypto_hash_alg alg, const void *key, size_t key_len, const void *data,
		 size_t len, uint8_t *out)
{
	struct crypto_hmac_ctx ctx;

	crypto_hmac_init(&ctx, alg, key, key_len);
	crypto_hmac_update(&ctx, data, len);
	crypto_hmac_final(&ctx, out);
}
