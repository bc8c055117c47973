/* RSA paddings BearSSL 0.6 does not have, on encoded messages: EMSA-PSS (RFC 8017 9.1) and the
 * RSAES-PKCS1-v1_5 encryption block (RFC 8017 7.2). rsa.c puts them around the raw operations.
 *
 * The private-side code (PSS encoding of a digest to be signed, the PKCS #1 v1.5 decryption check)
 * runs in constant time with respect to the encoded message; tests/ct/ct_check.c verifies it under
 * valgrind. PSS verification and PKCS #1 v1.5 encryption only see public data. */
#include "core/crypto/crypto.h"

#include "core/crypto/crypto_internal.h"
#include "core/str.h"

/* RFC 8017 B.2.1: XORs MGF1(alg, seed)'s first len bytes into buf. */
static void mgf1_xor(enum crypto_hash_alg alg, const uint8_t *seed, size_t seed_len, uint8_t *buf, size_t len)
{
	size_t hlen = crypto_hash_size(alg);
	uint8_t t[CRYPTO_HASH_MAX_DIGEST], c[4];
	struct crypto_hash_ctx h;

	for (uint32_t i = 0; len; i++) {
		size_t take = len < hlen ? len : hlen;

		c[0] = (uint8_t)(i >> 24);
		c[1] = (uint8_t)(i >> 16);
		c[2] = (uint8_t)(i >> 8);
		c[3] = (uint8_t)i;
		crypto_hash_init(&h, alg);
		crypto_hash_update(&h, seed, seed_len);
		crypto_hash_update(&h, c, 4);
		crypto_hash_final(&h, t);
		for (size_t j = 0; j < take; j++)
			buf[j] ^= t[j];
		buf += take;
		len -= take;
	}
	crypto_wipe(t, sizeof(t));
	crypto_wipe(&h, sizeof(h));
}

/* H = Hash(0x00 * 8 || mHash || salt) (RFC 8017 9.1.1 steps 5-6). */
static void pss_hash(enum crypto_hash_alg alg, const uint8_t *digest, const uint8_t *salt, size_t salt_len,
		     uint8_t *out)
{
	static const uint8_t zeros[8];
	struct crypto_hash_ctx h;

	crypto_hash_init(&h, alg);
	crypto_hash_update(&h, zeros, sizeof(zeros));
	crypto_hash_update(&h, digest, crypto_hash_size(alg));
	crypto_hash_update(&h, salt, salt_len);
	crypto_hash_final(&h, out);
	crypto_wipe(&h, sizeof(h));
}

/* emBits = modBits - 1; the encoded message occupies the last emLen bytes of the k-byte
 * representative, and the first byte is 0 when emLen < k. */
static size_t em_offset(unsigned mod_bits, size_t k)
{
	size_t em_len = (mod_bits - 1 + 7) / 8;

	return k - em_len;
}

bool rsa_pad_pss_encode(enum crypto_hash_alg alg, const uint8_t *digest, const uint8_t *salt, size_t salt_len,
			unsigned mod_bits, uint8_t *em, size_t k)
{
	size_t hlen = crypto_hash_size(alg), off, em_len, db_len;
	unsigned top_bits;
	uint8_t *db;

	if (hlen == 0 || mod_bits < 2 || (mod_bits + 7) / 8 != k)
		return false;
	off = em_offset(mod_bits, k);
	em_len = k - off;
	if (em_len < hlen + salt_len + 2)
		return false;
	db_len = em_len - hlen - 1;
	db = em + off;
	/* DB = PS || 0x01 || salt, then maskedDB || H || 0xbc */
	memset(em, 0, k);
	db[db_len - salt_len - 1] = 0x01;
	memcpy(db + db_len - salt_len, salt, salt_len);
	pss_hash(alg, digest, salt, salt_len, db + db_len);
	mgf1_xor(alg, db + db_len, hlen, db, db_len);
	top_bits = (unsigned)(8 * em_len - (mod_bits - 1));
	db[0] &= (uint8_t)(0xFFu >> top_bits);
	em[k - 1] = 0xBC;
	return true;
}

bool rsa_pad_pss_verify(enum crypto_hash_alg alg, const uint8_t *digest, const uint8_t *em, unsigned mod_bits,
			size_t k)
{
	size_t hlen = crypto_hash_size(alg), off, em_len, db_len, i;
	uint8_t db[CRYPTO_RSA_MAX_BYTES], h2[CRYPTO_HASH_MAX_DIGEST];
	unsigned top_bits;
	const uint8_t *h;

	/* Public data (a signature and the signer's public key): plain early returns. */
	if (hlen == 0 || mod_bits < 2 || (mod_bits + 7) / 8 != k || k > sizeof(db))
		return false;
	off = em_offset(mod_bits, k);
	em_len = k - off;
	if (off && em[0] != 0)
		return false;
	if (em_len < hlen + 2 || em[k - 1] != 0xBC)
		return false;
	db_len = em_len - hlen - 1;
	h = em + off + db_len;
	top_bits = (unsigned)(8 * em_len - (mod_bits - 1));
	if (em[off] & (uint8_t)~(0xFFu >> top_bits))
		return false;
	memcpy(db, em + off, db_len);
	mgf1_xor(alg, h, hlen, db, db_len);
	db[0] &= (uint8_t)(0xFFu >> top_bits);
	/* DB = 0x00 ... 0x00 0x01 salt, salt of any length (TPM 2.0 verifiers accept any). */
	for (i = 0; i < db_len && db[i] == 0; i++)
		;
	if (i == db_len || db[i] != 0x01)
		return false;
	i++;
	pss_hash(alg, digest, db + i, db_len - i, h2);
	return crypto_ct_equal(h, h2, hlen);
}

bool rsa_pad_pkcs1_encrypt_encode(const uint8_t *msg, size_t len, const uint8_t *ps, uint8_t *em, size_t k)
{
	size_t ps_len;

	if (k < 11 || len > k - 11)
		return false;
	ps_len = k - len - 3;
	for (size_t i = 0; i < ps_len; i++)
		if (ps[i] == 0)
			return false;
	em[0] = 0x00;
	em[1] = 0x02;
	memcpy(em + 2, ps, ps_len);
	em[2 + ps_len] = 0x00;
	memcpy(em + 3 + ps_len, msg, len);
	return true;
}

/* All-ones when a == b, else 0 (for values below 2^31). */
static uint32_t ct_eq_mask(uint32_t a, uint32_t b)
{
	uint32_t x = a ^ b;

	return ((x | (0u - x)) >> 31) - 1u;
}

/* All-ones when a < b, else 0 (for values below 2^31). */
static uint32_t ct_lt_mask(uint32_t a, uint32_t b)
{
	return 0u - ((a - b) >> 31);
}

/* Moves em[shift .. k-1] to em[0 ..] without the access pattern depending on shift (< 2^16): one
 * pass per bit of the shift amount, each pass touching every byte. */
static void ct_shift_left(uint8_t *em, size_t k, uint32_t shift)
{
	for (unsigned b = 0; ((size_t)1 << b) < k; b++) {
		size_t step = (size_t)1 << b;
		uint8_t mask = (uint8_t)(0u - ((shift >> b) & 1u));

		for (size_t i = 0; i < k; i++) {
			uint8_t next = i + step < k ? em[i + step] : 0;

			em[i] = (uint8_t)((em[i] & (uint8_t)~mask) | (next & mask));
		}
	}
}

uint32_t rsa_pad_pkcs1_decrypt_check(uint8_t *em, size_t k, size_t *len)
{
	uint32_t good, looking = ~0u, zero_at = 0;

	if (k < 11 || k > 0xFFFF) {
		*len = 0;
		return 0;
	}
	good = ct_eq_mask(em[0], 0x00) & ct_eq_mask(em[1], 0x02);
	/* The separator: the first zero byte after the block type. Every byte is examined. */
	for (uint32_t i = 2; i < k; i++) {
		uint32_t is_zero = ct_eq_mask(em[i], 0) & looking;

		zero_at |= i & is_zero;
		looking &= ~is_zero;
	}
	good &= ~looking;
	/* At least 8 bytes of padding string: the separator is at index 10 or later. */
	good &= ~ct_lt_mask(zero_at, 10);
	ct_shift_left(em, k, (zero_at + 1) & good);
	*len = (size_t)((k - 1 - zero_at) & good);
	return good & 1u;
}
