/* AES modes. BearSSL supplies the constant-time 64-bit AES core (aes_ct64) with CBC, CTR and GCM;
 * CFB-128 is Mantle's, built on single-block encryption. */
#include "core/crypto/crypto.h"

#include "bearssl_aead.h"
#include "bearssl_block.h"
#include "bearssl_hash.h"
#include "core/str.h"

enum { AES_NONE = 0, AES_ENC = 1, AES_DEC = 2 };

/* An encryption schedule holds both the CBC-encrypt and CTR contexts (same key). */
struct aes_enc {
	br_aes_ct64_cbcenc_keys cbc;
	br_aes_ct64_ctr_keys ctr;
};

_Static_assert(sizeof(struct aes_enc) <= sizeof(((struct crypto_aes_key *)0)->opaque),
	       "crypto_aes_key too small for BearSSL's AES contexts");
_Static_assert(sizeof(br_aes_ct64_cbcdec_keys) <= sizeof(((struct crypto_aes_key *)0)->opaque),
	       "crypto_aes_key too small for BearSSL's AES decryption context");

static bool aes_key_len_ok(size_t len)
{
	return len == 16 || len == 24 || len == 32;
}

bool crypto_aes_init_enc(struct crypto_aes_key *k, const void *key, size_t key_len)
{
	struct aes_enc *e = (struct aes_enc *)k->opaque;

	k->dir = AES_NONE;
	if (!aes_key_len_ok(key_len))
		return false;
	br_aes_ct64_cbcenc_init(&e->cbc, key, key_len);
	br_aes_ct64_ctr_init(&e->ctr, key, key_len);
	k->dir = AES_ENC;
	return true;
}

bool crypto_aes_init_dec(struct crypto_aes_key *k, const void *key, size_t key_len)
{
	k->dir = AES_NONE;
	if (!aes_key_len_ok(key_len))
		return false;
	br_aes_ct64_cbcdec_init((br_aes_ct64_cbcdec_keys *)k->opaque, key, key_len);
	k->dir = AES_DEC;
	return true;
}

/* One block: out = AES_K(in). CBC encryption of one block under IV = in, plaintext = 0. */
static void aes_block(const struct aes_enc *e, const uint8_t in[16], uint8_t out[16])
{
	uint8_t iv[16];

	memcpy(iv, in, 16);
	memset(out, 0, 16);
	br_aes_ct64_cbcenc_run(&e->cbc, iv, out, 16);
}

bool crypto_aes_cbc_encrypt(const struct crypto_aes_key *k, uint8_t iv[16], void *data, size_t len)
{
	if (k->dir != AES_ENC || len % 16 != 0)
		return false;
	if (len)
		br_aes_ct64_cbcenc_run(&((const struct aes_enc *)k->opaque)->cbc, iv, data, len);
	return true;
}

bool crypto_aes_cbc_decrypt(const struct crypto_aes_key *k, uint8_t iv[16], void *data, size_t len)
{
	if (k->dir != AES_DEC || len % 16 != 0)
		return false;
	if (len)
		br_aes_ct64_cbcdec_run((const br_aes_ct64_cbcdec_keys *)k->opaque, iv, data, len);
	return true;
}

static void ctr_increment(uint8_t ctr[16])
{
	for (int i = 15; i >= 0; i--) {
		if (++ctr[i] != 0)
			break;
	}
}

void crypto_aes_ctr(const struct crypto_aes_key *k, uint8_t ctr[16], void *data, size_t len)
{
	const struct aes_enc *e = (const struct aes_enc *)k->opaque;
	uint8_t *p = data, ks[16];

	/* Block by block so the full 128-bit counter carries (BearSSL's CTR only wraps the low 32 bits). */
	while (len) {
		size_t n = len < 16 ? len : 16;

		aes_block(e, ctr, ks);
		for (size_t i = 0; i < n; i++)
			p[i] ^= ks[i];
		ctr_increment(ctr);
		p += n;
		len -= n;
	}
	crypto_wipe(ks, sizeof(ks));
}

void crypto_aes_cfb_encrypt(const struct crypto_aes_key *k, uint8_t iv[16], void *data, size_t len)
{
	const struct aes_enc *e = (const struct aes_enc *)k->opaque;
	uint8_t *p = data, ks[16];

	while (len) {
		size_t n = len < 16 ? len : 16;

		aes_block(e, iv, ks);
		for (size_t i = 0; i < n; i++)
			p[i] ^= ks[i];
		/* C_j feeds the next block; after a partial last block the stream cannot continue. */
		if (n == 16)
			memcpy(iv, p, 16);
		p += n;
		len -= n;
	}
	crypto_wipe(ks, sizeof(ks));
}

void crypto_aes_cfb_decrypt(const struct crypto_aes_key *k, uint8_t iv[16], void *data, size_t len)
{
	const struct aes_enc *e = (const struct aes_enc *)k->opaque;
	uint8_t *p = data, ks[16];

	while (len) {
		size_t n = len < 16 ? len : 16;

		aes_block(e, iv, ks);
		if (n == 16)
			memcpy(iv, p, 16); /* the ciphertext is the next input block */
		for (size_t i = 0; i < n; i++)
			p[i] ^= ks[i];
		p += n;
		len -= n;
	}
	crypto_wipe(ks, sizeof(ks));
}

static void gcm_run(const struct crypto_aes_key *k, const void *iv, size_t iv_len, const void *aad,
		    size_t aad_len, void *data, size_t len, int encrypt, br_gcm_context *g)
{
	const struct aes_enc *e = (const struct aes_enc *)k->opaque;

	br_gcm_init(g, (const br_block_ctr_class **)&e->ctr.vtable, br_ghash_ctmul64);
	br_gcm_reset(g, iv, iv_len);
	if (aad_len)
		br_gcm_aad_inject(g, aad, aad_len);
	br_gcm_flip(g);
	if (len)
		br_gcm_run(g, encrypt, data, len);
}

void crypto_aes_gcm_encrypt(const struct crypto_aes_key *k, const void *iv, size_t iv_len,
			    const void *aad, size_t aad_len, void *data, size_t len, uint8_t tag[16])
{
	br_gcm_context g;

	gcm_run(k, iv, iv_len, aad, aad_len, data, len, 1, &g);
	br_gcm_get_tag(&g, tag);
	crypto_wipe(&g, sizeof(g));
}

bool crypto_aes_gcm_decrypt(const struct crypto_aes_key *k, const void *iv, size_t iv_len,
			    const void *aad, size_t aad_len, void *data, size_t len,
			    const uint8_t tag[16])
{
	br_gcm_context g;
	uint8_t want[16];
	bool ok;

	gcm_run(k, iv, iv_len, aad, aad_len, data, len, 0, &g);
	br_gcm_get_tag(&g, want);
	crypto_wipe(&g, sizeof(g));
	ok = crypto_ct_equal(want, tag, 16);
	if (!ok)
		crypto_wipe(data, len);
	return ok;
}
