/* core/crypto RSA against published vectors: the PKCS #1 v2.1 (draft 2) PSS and OAEP files and the
 * PKCS #1 v1.5 encryption and signature files that Debian's python3-cryptography-vectors ships, read
 * at run time from RSA_VECTORS_DIR. The paddings Mantle writes (PSS, v1.5 encryption) are checked
 * on every key (1024..2048 bits, so every emBits edge) through the padding functions and OpenSSL's
 * modular exponentiation; the 2048-bit keys also go through the full crypto_rsa_* interface. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>

#include "core/crypto/crypto.h"
#include "core/crypto/crypto_internal.h"

#ifndef RSA_VECTORS_DIR
#error "RSA_VECTORS_DIR must name the python3-cryptography-vectors RSA directory"
#endif

/* A crypto_rand_fn that hands out fixed bytes (the vectors' seeds), then zeros. */
struct fixed_rng {
	const uint8_t *b;
	size_t len, pos;
};
static void fixed_fill(void *ctx, void *out, size_t n)
{
	struct fixed_rng *f = ctx;
	uint8_t *o = out;

	for (size_t i = 0; i < n; i++)
		o[i] = f->pos < f->len ? f->b[f->pos++] : 0;
}

struct vec_key {
	BIGNUM *n, *e, *d;
	uint8_t p[128], q[128], dp[128], dq[128], qinv[128];
	size_t plen, qlen, dplen, dqlen, qinvlen, k;
	unsigned bits;
	int exponents; /* "Exponent:" fields seen since the key started: e, then d */
};

struct vec_state {
	struct vec_key key;
	uint8_t msg[512], salt[512], sig[512];
	size_t msg_len, salt_len, sig_len;
	unsigned checked, full_api;
	void (*check)(struct vec_state *);
};

/* An encoded key field (left-padded) as our fixed-size CRT field, when the key is 2048 bits. */
static bool vec_priv(const struct vec_key *vk, struct crypto_rsa_priv *priv, struct crypto_rsa_pub *pub)
{
	BN_ULONG e = BN_get_word(vk->e);

	if (vk->bits != 2048)
		return false;
	*priv = (struct crypto_rsa_priv){ .bits = 2048, .e = (uint32_t)e };
	*pub = (struct crypto_rsa_pub){ .bits = 2048, .e = (uint32_t)e };
	assert_int_equal(BN_bn2binpad(vk->n, pub->n, 256), 256);
	memcpy(priv->p + 128 - vk->plen, vk->p, vk->plen);
	memcpy(priv->q + 128 - vk->qlen, vk->q, vk->qlen);
	memcpy(priv->dp + 128 - vk->dplen, vk->dp, vk->dplen);
	memcpy(priv->dq + 128 - vk->dqlen, vk->dq, vk->dqlen);
	memcpy(priv->iq + 128 - vk->qinvlen, vk->qinv, vk->qinvlen);
	return true;
}

/* x^y mod n as k bytes, OpenSSL's arithmetic (independent of ours). */
static void bn_modexp(const uint8_t *x, size_t k, const BIGNUM *y, const BIGNUM *n, uint8_t *out)
{
	BN_CTX *c = BN_CTX_new();
	BIGNUM *a = BN_bin2bn(x, (int)k, NULL), *r = BN_new();

	assert_int_equal(BN_mod_exp(r, a, y, n, c), 1);
	assert_int_equal(BN_bn2binpad(r, out, (int)k), (int)k);
	BN_free(a);
	BN_free(r);
	BN_CTX_free(c);
}

/* PSS: our EMSA-PSS encoding with the vector's salt, raised to d, is the vector's signature; the
 * signature raised to e passes our verification (any key size: 1024..2048 bits, emBits edge cases). */
static void vec_check_pss(struct vec_state *v)
{
	struct vec_key *vk = &v->key;
	uint8_t h[20], em[256], s[256];
	struct crypto_rsa_pub pub;
	struct crypto_rsa_priv priv;

	crypto_hash(CRYPTO_SHA1, v->msg, v->msg_len, h);
	assert_int_equal(v->sig_len, vk->k);
	assert_true(rsa_pad_pss_encode(CRYPTO_SHA1, h, v->salt, v->salt_len, vk->bits, em, vk->k));
	bn_modexp(em, vk->k, vk->d, vk->n, s);
	assert_memory_equal(s, v->sig, vk->k);
	bn_modexp(v->sig, vk->k, vk->e, vk->n, em);
	assert_true(rsa_pad_pss_verify(CRYPTO_SHA1, h, em, vk->bits, vk->k));
	h[0] ^= 1;
	assert_false(rsa_pad_pss_verify(CRYPTO_SHA1, h, em, vk->bits, vk->k));
	h[0] ^= 1;
	em[vk->k - 1] ^= 1; /* trailer 0xbc */
	assert_false(rsa_pad_pss_verify(CRYPTO_SHA1, h, em, vk->bits, vk->k));
	if (vec_priv(vk, &priv, &pub)) {
		assert_true(crypto_rsa_pss_sign_salt(&priv, CRYPTO_SHA1, h, v->salt, v->salt_len, s));
		assert_memory_equal(s, v->sig, 256);
		assert_true(crypto_rsa_pss_verify(&pub, CRYPTO_SHA1, h, v->sig, 256));
		v->full_api++;
	}
	v->checked++;
}

/* PKCS #1 v1.5 encryption: the vector's "seed" is the padding string. */
static void vec_check_pkcs1_encrypt(struct vec_state *v)
{
	struct vec_key *vk = &v->key;
	uint8_t em[256], c[256], pt[256];
	struct crypto_rsa_pub pub;
	struct crypto_rsa_priv priv;
	size_t len;

	assert_int_equal(v->salt_len, vk->k - v->msg_len - 3);
	assert_true(rsa_pad_pkcs1_encrypt_encode(v->msg, v->msg_len, v->salt, em, vk->k));
	bn_modexp(em, vk->k, vk->e, vk->n, c);
	assert_memory_equal(c, v->sig, vk->k);
	bn_modexp(v->sig, vk->k, vk->d, vk->n, em);
	assert_int_equal(rsa_pad_pkcs1_decrypt_check(em, vk->k, &len), 1);
	assert_int_equal(len, v->msg_len);
	assert_memory_equal(em, v->msg, len);
	if (vec_priv(vk, &priv, &pub)) {
		assert_true(crypto_rsa_pkcs1_encrypt_ps(&pub, v->msg, v->msg_len, v->salt, c));
		assert_memory_equal(c, v->sig, 256);
		assert_true(crypto_rsa_pkcs1_decrypt(&priv, v->sig, 256, pt, &len));
		assert_int_equal(len, v->msg_len);
		assert_memory_equal(pt, v->msg, len);
		v->full_api++;
	}
	v->checked++;
}

/* OAEP (BearSSL's padding): with the vector's seed as our randomness, encryption is bit-exact. */
static void vec_check_oaep(struct vec_state *v)
{
	struct crypto_rsa_pub pub;
	struct crypto_rsa_priv priv;
	struct fixed_rng f = { .b = v->salt, .len = v->salt_len };
	uint8_t c[256], pt[256];
	size_t len;

	if (vec_priv(&v->key, &priv, &pub)) {
		assert_true(crypto_rsa_oaep_encrypt(&pub, CRYPTO_SHA1, NULL, 0, v->msg, v->msg_len, fixed_fill, &f, c));
		assert_memory_equal(c, v->sig, 256);
		assert_true(crypto_rsa_oaep_decrypt(&priv, CRYPTO_SHA1, NULL, 0, v->sig, 256, pt, &len));
		assert_int_equal(len, v->msg_len);
		assert_memory_equal(pt, v->msg, len);
		v->full_api++;
	}
	v->checked++;
}

/* PKCS #1 v1.5 signatures (BearSSL's padding), SHA-1 DigestInfo: deterministic, bit-exact. */
static void vec_check_pkcs1_sign(struct vec_state *v)
{
	struct crypto_rsa_pub pub;
	struct crypto_rsa_priv priv;
	uint8_t h[20], s[256];

	if (vec_priv(&v->key, &priv, &pub)) {
		crypto_hash(CRYPTO_SHA1, v->msg, v->msg_len, h);
		assert_true(crypto_rsa_pkcs1_sign(&priv, CRYPTO_SHA1, h, s));
		assert_memory_equal(s, v->sig, 256);
		assert_true(crypto_rsa_pkcs1_verify(&pub, CRYPTO_SHA1, h, v->sig, 256));
		v->full_api++;
	}
	v->checked++;
}

static void vec_field(struct vec_state *v, const char *name, const uint8_t *b, size_t n)
{
	struct vec_key *vk = &v->key;

	if (!strcmp(name, "Modulus")) {
		if (vk->exponents >= 2 || !vk->n) { /* a new key starts with its public modulus */
			BN_free(vk->n), BN_free(vk->e), BN_free(vk->d);
			memset(vk, 0, sizeof(*vk));
			vk->n = BN_bin2bn(b, (int)n, NULL);
			vk->bits = (unsigned)BN_num_bits(vk->n);
			vk->k = (vk->bits + 7) / 8;
		}
	} else if (!strcmp(name, "Exponent")) {
		if (vk->exponents++ == 0)
			vk->e = BN_bin2bn(b, (int)n, NULL);
		else
			vk->d = BN_bin2bn(b, (int)n, NULL);
	} else if (!strcmp(name, "Prime 1")) {
		memcpy(vk->p, b, vk->plen = n);
	} else if (!strcmp(name, "Prime 2")) {
		memcpy(vk->q, b, vk->qlen = n);
	} else if (!strcmp(name, "Prime exponent 1")) {
		memcpy(vk->dp, b, vk->dplen = n);
	} else if (!strcmp(name, "Prime exponent 2")) {
		memcpy(vk->dq, b, vk->dqlen = n);
	} else if (!strcmp(name, "Coefficient")) {
		memcpy(vk->qinv, b, vk->qinvlen = n);
	} else if (!strcmp(name, "Message to be signed") || !strcmp(name, "Message")) {
		memcpy(v->msg, b, v->msg_len = n);
	} else if (!strcmp(name, "Salt") || !strcmp(name, "Seed")) {
		memcpy(v->salt, b, v->salt_len = n);
	} else if (!strcmp(name, "Signature") || !strcmp(name, "Encryption")) {
		memcpy(v->sig, b, v->sig_len = n);
		v->check(v);
	}
}

static bool hex_line(const char *l)
{
	size_t n = 0;

	for (; *l && *l != '\n' && *l != '\r'; l++, n++)
		if (!strchr("0123456789abcdefABCDEF ", *l))
			return false;
	return n > 0;
}

/* The files: "# Field name:" lines, each followed by lines of spaced hex bytes. */
static unsigned run_vector_file(const char *file, void (*check)(struct vec_state *), unsigned *full_api)
{
	char path[512], line[512], name[512] = "";
	static uint8_t buf[4096];
	static struct vec_state v;
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", RSA_VECTORS_DIR, file);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (Debian package python3-cryptography-vectors)", path);
	memset(&v, 0, sizeof(v));
	v.check = check;
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);

		if (name[0] && hex_line(line)) {
			for (char *p = line; *p;) {
				unsigned x;
				int used;
				if (sscanf(p, " %2x%n", &x, &used) != 1)
					break;
				assert_true(n < sizeof(buf));
				buf[n++] = (uint8_t)x;
				p += used;
			}
			continue;
		}
		if (name[0] && n)
			vec_field(&v, name, buf, n);
		name[0] = 0;
		n = 0;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' '))
			line[--len] = 0;
		if (line[0] == '#' && len > 3 && line[len - 1] == ':') {
			line[len - 1] = 0;
			snprintf(name, sizeof(name), "%s", line + 2);
		}
	}
	if (name[0] && n)
		vec_field(&v, name, buf, n);
	fclose(f);
	BN_free(v.key.n), BN_free(v.key.e), BN_free(v.key.d);
	*full_api = v.full_api;
	return v.checked;
}

static void test_rsa_pss_published_vectors(void **state)
{
	unsigned full;

	(void)state;
	/* 10 keys of 1024..2048 bits, 6 signatures each; key 10 (2048 bits) also through the API. */
	assert_int_equal(run_vector_file("pkcs-1v2-1d2-vec/pss-vect.txt", vec_check_pss, &full), 60);
	assert_int_equal(full, 6);
}

static void test_rsa_pkcs1_encryption_published_vectors(void **state)
{
	unsigned full;

	(void)state;
	/* 15 keys of 1024..2048 bits, 20 messages each; key 15 (2048 bits) also through the API. */
	assert_int_equal(run_vector_file("pkcs1v15crypt-vectors.txt", vec_check_pkcs1_encrypt, &full), 300);
	assert_int_equal(full, 20);
}

static void test_rsa_oaep_and_pkcs1_sign_published_vectors(void **state)
{
	unsigned full;

	(void)state;
	assert_int_equal(run_vector_file("pkcs-1v2-1d2-vec/oaep-vect.txt", vec_check_oaep, &full), 60);
	assert_int_equal(full, 6);
	assert_int_equal(run_vector_file("pkcs1v15sign-vectors.txt", vec_check_pkcs1_sign, &full), 300);
	assert_int_equal(full, 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsa_pss_published_vectors),
		cmocka_unit_test(test_rsa_pkcs1_encryption_published_vectors),
		cmocka_unit_test(test_rsa_oaep_and_pkcs1_sign_published_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
