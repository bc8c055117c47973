/* TPM 2.0 key derivation functions (TPM 2.0 Library Part 1, 11.4.10): KDFa (SP 800-108 counter mode
 * over HMAC) and KDFe (SP 800-56A concatenation KDF over a hash). BearSSL has neither; both are
 * short loops over its HMAC and hashes. */
#include "core/crypto/crypto.h"

#include "core/crypto/crypto_internal.h"
#include "core/str.h"

static void be32(uint8_t out[4], uint32_t v)
{
	out[0] = (uint8_t)(v >> 24);
	out[1] = (uint8_t)(v >> 16);
	out[2] = (uint8_t)(v >> 8);
	out[3] = (uint8_t)v;
}

/* Copies `take` bytes of one block into out and clears the unused high bits of the first byte. */
static void kdf_emit(uint8_t *out, size_t done, const uint8_t *block, size_t take, uint32_t bits)
{
	memcpy(out + done, block, take);
	if (done == 0 && bits % 8 != 0)
		out[0] &= (uint8_t)((1u << (bits % 8)) - 1u);
}

/* One KDFa block: HMAC(key, [i]32 || label || 0x00 || ctx_u || ctx_v || [bits]32). */
static void kdfa_block(enum crypto_hash_alg alg, const void *key, size_t key_len, const char *label,
		       const void *ctx_u, size_t u_len, const void *ctx_v, size_t v_len, uint32_t i,
		       uint32_t bits, uint8_t *block)
{
	size_t label_len = label ? strlen(label) + 1 : 0; /* the NUL is part of the input */
	uint8_t ctr[4], lbits[4];
	struct crypto_hmac_ctx h;

	be32(ctr, i);
	be32(lbits, bits);
	crypto_hmac_init(&h, alg, key, key_len);
	crypto_hmac_update(&h, ctr, 4);
	if (label_len)
		crypto_hmac_update(&h, label, label_len);
	crypto_hmac_update(&h, ctx_u, u_len);
	crypto_hmac_update(&h, ctx_v, v_len);
	crypto_hmac_update(&h, lbits, 4);
	crypto_hmac_final(&h, block);
	crypto_wipe(&h, sizeof(h));
}

bool crypto_kdfa(enum crypto_hash_alg alg, const void *key, size_t key_len, const char *label,
		 const void *ctx_u, size_t u_len, const void *ctx_v, size_t v_len, uint32_t bits,
		 uint8_t *out)
{
	size_t hlen = crypto_hash_size(alg), total = ((size_t)bits + 7) / 8, done = 0;
	uint8_t block[CRYPTO_HASH_MAX_DIGEST];

	if (bits == 0 || hlen == 0)
		return false;
	for (uint32_t i = 1; done < total; i++) {
		size_t take = total - done < hlen ? total - done : hlen;

		kdfa_block(alg, key, key_len, label, ctx_u, u_len, ctx_v, v_len, i, bits, block);
		kdf_emit(out, done, block, take, bits);
		done += take;
	}
	crypto_wipe(block, sizeof(block));
	return true;
}

bool crypto_kdfa_stream_init(struct crypto_kdfa_stream *s, enum crypto_hash_alg alg, const void *key,
			     size_t key_len, const char *label, const void *ctx_u, size_t u_len,
			     const void *ctx_v, size_t v_len)
{
	size_t hlen = crypto_hash_size(alg);

	if (hlen == 0)
		return false;
	*s = (struct crypto_kdfa_stream){
		.alg = alg, .key = key, .key_len = key_len, .label = label,
		.ctx_u = ctx_u, .u_len = u_len, .ctx_v = ctx_v, .v_len = v_len,
		.counter = 0, .used = hlen, /* no block yet */
	};
	return true;
}

void crypto_kdfa_stream_read(struct crypto_kdfa_stream *s, void *out, size_t len)
{
	size_t hlen = crypto_hash_size(s->alg);
	uint32_t max_blocks = (uint32_t)((CRYPTO_KDFA_STREAM_BITS / 8u + hlen - 1) / hlen);
	uint8_t *o = out;

	while (len) {
		size_t take;

		if (s->used == hlen) {
			/* The stream is a prefix of KDFa(..., CRYPTO_KDFA_STREAM_BITS): past its last
			 * block there is nothing left to give (unreachable in practice). */
			if (s->exhausted || s->counter == max_blocks) {
				s->exhausted = true;
				memset(o, 0, len);
				return;
			}
			s->counter++;
			kdfa_block(s->alg, s->key, s->key_len, s->label, s->ctx_u, s->u_len, s->ctx_v,
				   s->v_len, s->counter, CRYPTO_KDFA_STREAM_BITS, s->block);
			s->used = 0;
		}
		take = hlen - s->used < len ? hlen - s->used : len;
		memcpy(o, s->block + s->used, take);
		s->used += take;
		o += take;
		len -= take;
	}
}

void crypto_kdfa_stream_end(struct crypto_kdfa_stream *s)
{
	crypto_wipe(s->block, sizeof(s->block));
	s->used = crypto_hash_size(s->alg);
}

bool crypto_kdfe(enum crypto_hash_alg alg, const void *z, size_t z_len, const char *label,
		 const void *party_u, size_t u_len, const void *party_v, size_t v_len, uint32_t bits,
		 uint8_t *out)
{
	size_t hlen = crypto_hash_size(alg), total = ((size_t)bits + 7) / 8, done = 0;
	uint8_t ctr[4], block[CRYPTO_HASH_MAX_DIGEST];
	size_t label_len = label ? strlen(label) + 1 : 0;
	struct crypto_hash_ctx h;

	if (bits == 0 || hlen == 0)
		return false;
	for (uint32_t i = 1; done < total; i++) {
		size_t take = total - done < hlen ? total - done : hlen;

		be32(ctr, i);
		crypto_hash_init(&h, alg);
		crypto_hash_update(&h, ctr, 4);
		crypto_hash_update(&h, z, z_len);
		if (label_len)
			crypto_hash_update(&h, label, label_len);
		crypto_hash_update(&h, party_u, u_len);
		crypto_hash_update(&h, party_v, v_len);
		crypto_hash_final(&h, block);
		kdf_emit(out, done, block, take, bits);
		done += take;
	}
	crypto_wipe(block, sizeof(block));
	crypto_wipe(&h, sizeof(h));
	return true;
}
