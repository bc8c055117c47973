/* vTPM key commands against OpenSSL (issue 6, objects part): HMAC and EncryptDecrypt with created
 * keys, ECC P-256/P-384 and RSA (RSASSA, RSAPSS) signatures, LoadExternal of an OpenSSL key with
 * VerifySignature, RSA_Encrypt/RSA_Decrypt (OAEP, RSAES, raw), vtpm_object_decrypt_secret. */
/* the EC_KEY and RSA interfaces keep the OpenSSL cross-checks short */
#define OPENSSL_API_COMPAT 0x10100000L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/rsa.h>

#include "vtpm/internal.h"

#include "tests/unit/vtpm_objects_util.h"

static uint32_t hmac_cmd(uint32_t h, const void *data, uint16_t n)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_HMAC);
	u32(&c, h);
	pw(&c, "");
	b2b(&c, data, n);
	u16(&c, TPM_ALG_NULL);
	return exec(&c);
}

static void test_created_hmac_key_matches_openssl(void **state)
{
	struct tp t;
	struct blob b;
	uint8_t mac[32];
	unsigned ml = 32;
	uint32_t p, h;

	(void)state;
	assert_int_equal(srk(&p), 0);
	keyed_tp(&t, A_KEY | TPMA_OBJECT_SIGN, TPM_ALG_HMAC);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &h), 0);
	assert_int_equal(obj(h)->key_len, 32);
	assert_int_equal(hmac_cmd(h, "abc", 3), 0);
	HMAC(EVP_sha256(), obj(h)->key, 32, (const uint8_t *)"abc", 3, mac, &ml);
	assert_int_equal(vtpm_be16(rsp + 14), 32);
	assert_memory_equal(rsp + 16, mac, 32);
	/* keys are drawn, not derived: a second key differs */
	{
		uint32_t h2;
		assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
		assert_int_equal(load(p, &b, &h2), 0);
		assert_memory_not_equal(obj(h2)->key, obj(h)->key, 32);
	}
	/* Sign with the HMAC key: TPMT_SIGNATURE { HMAC, TPMT_HA = HMAC(key, digest) }, and back */
	{
		uint8_t dg[32], want[32];
		struct cb c;
		memset(dg, 0x5e, 32);
		assert_int_equal(sign(h, dg), 0);
		HMAC(EVP_sha256(), obj(h)->key, 32, dg, 32, want, &ml);
		assert_int_equal(vtpm_be16(rsp + 14), TPM_ALG_HMAC);
		assert_int_equal(vtpm_be16(rsp + 16), TPM_ALG_SHA256);
		assert_memory_equal(rsp + 18, want, 32);
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_VerifySignature);
		u32(&c, h);
		b2b(&c, dg, 32);
		bytes(&c, rsp + 14, 4 + 32);
		assert_int_equal(exec(&c), 0);
		c.b[c.n - 1] ^= 1;
		assert_int_equal(exec(&c), RC_P(TPM_RC_SIGNATURE, 2));
	}
	/* sealed data is no HMAC key, and cannot be unsealed through HMAC's handle either */
	assert_int_equal(unseal(h, ""), RC_H(TPM_RC_ATTRIBUTES, 1));
}

static uint32_t ed2(uint32_t h, uint8_t dec, uint16_t mode, const uint8_t *iv, uint16_t ivl, const uint8_t *in,
		    uint16_t n)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_EncryptDecrypt2);
	u32(&c, h);
	pw(&c, "");
	b2b(&c, in, n);
	u8(&c, dec);
	u16(&c, mode);
	b2b(&c, iv, ivl);
	return exec(&c);
}

static const EVP_CIPHER *ossl_cipher(uint16_t mode)
{
	switch (mode) {
	case TPM_ALG_CFB: return EVP_aes_128_cfb128();
	case TPM_ALG_CBC: return EVP_aes_128_cbc();
	case TPM_ALG_CTR: return EVP_aes_128_ctr();
	case TPM_ALG_OFB: return EVP_aes_128_ofb();
	default: return EVP_aes_128_ecb();
	}
}

static void test_encrypt_decrypt_modes_match_openssl(void **state)
{
	static const uint16_t modes[] = { TPM_ALG_CFB, TPM_ALG_CBC, TPM_ALG_CTR, TPM_ALG_OFB, TPM_ALG_ECB };
	struct tp t;
	struct blob b;
	uint8_t data[64], iv[16], want[80], ct[64];
	uint32_t p, h;
	int ol, fl;

	(void)state;
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	for (unsigned i = 0; i < 16; i++)
		iv[i] = (uint8_t)(0xa0 + i);
	assert_int_equal(srk(&p), 0);
	aes_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT | TPMA_OBJECT_SIGN, 128, TPM_ALG_NULL);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &h), 0);
	for (unsigned m = 0; m < 5; m++) {
		uint16_t ivl = modes[m] == TPM_ALG_ECB ? 0 : 16;
		size_t n = modes[m] == TPM_ALG_CBC || modes[m] == TPM_ALG_ECB ? 64 : 61;
		EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();

		EVP_EncryptInit_ex(x, ossl_cipher(modes[m]), NULL, obj(h)->key, ivl ? iv : NULL);
		EVP_CIPHER_CTX_set_padding(x, 0);
		EVP_EncryptUpdate(x, want, &ol, data, (int)n);
		EVP_EncryptFinal_ex(x, want + ol, &fl);
		EVP_CIPHER_CTX_free(x);
		assert_int_equal(ed2(h, 0, modes[m], iv, ivl, data, (uint16_t)n), 0);
		assert_int_equal(vtpm_be16(rsp + 14), n);
		assert_memory_equal(rsp + 16, want, n);
		assert_int_equal(vtpm_be16(rsp + 16 + n), ivl);
		if (modes[m] == TPM_ALG_CBC)
			assert_memory_equal(rsp + 18 + n, want + n - 16, 16); /* ivOut chains */
		memcpy(ct, rsp + 16, n);
		assert_int_equal(ed2(h, 1, modes[m], iv, ivl, ct, (uint16_t)n), 0);
		assert_memory_equal(rsp + 16, data, n);
	}
	/* EncryptDecrypt (parameter order decrypt, mode, ivIn, inData) gives the same */
	{
		struct cb c;
		start(&c, TPM_ST_SESSIONS, TPM_CC_EncryptDecrypt);
		u32(&c, h);
		pw(&c, "");
		u8(&c, 0);
		u16(&c, TPM_ALG_CFB);
		b2b(&c, iv, 16);
		b2b(&c, data, 16);
		assert_int_equal(exec(&c), 0);
		EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
		EVP_EncryptInit_ex(x, EVP_aes_128_cfb128(), NULL, obj(h)->key, iv);
		EVP_EncryptUpdate(x, want, &ol, data, 16);
		EVP_CIPHER_CTX_free(x);
		assert_memory_equal(rsp + 16, want, 16);
		c.n -= 2 + 16 + 2 + 16;
		b2b(&c, iv, 15);
		b2b(&c, data, 16);
		assert_int_equal(exec(&c), RC_P(TPM_RC_SIZE, 3));
	}
	/* errors: IV size, CBC length, NULL mode on a NULL-mode key, decrypt flag */
	assert_int_equal(ed2(h, 0, TPM_ALG_CFB, iv, 8, data, 16), RC_P(TPM_RC_SIZE, 4));
	assert_int_equal(ed2(h, 0, TPM_ALG_ECB, iv, 16, data, 16), RC_P(TPM_RC_SIZE, 4));
	assert_int_equal(ed2(h, 0, TPM_ALG_CBC, iv, 16, data, 15), RC_P(TPM_RC_SIZE, 1));
	assert_int_equal(ed2(h, 0, TPM_ALG_NULL, iv, 16, data, 16), RC_P(TPM_RC_MODE, 3));
	assert_int_equal(ed2(h, 2, TPM_ALG_CFB, iv, 16, data, 16), RC_P(TPM_RC_VALUE, 2));
	/* a CFB key refuses another mode; a key without sign may not encrypt */
	aes_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT, 256, TPM_ALG_CFB);
	assert_int_equal(flush(h), 0);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &h), 0);
	assert_int_equal(ed2(h, 1, TPM_ALG_CBC, iv, 16, data, 16), RC_P(TPM_RC_MODE, 3));
	assert_int_equal(ed2(h, 1, TPM_ALG_NULL, iv, 16, data, 16), 0);
	assert_int_equal(ed2(h, 0, TPM_ALG_NULL, iv, 16, data, 16), RC_H(TPM_RC_ATTRIBUTES, 1));
	/* other key types are no symmetric keys */
	assert_int_equal(ed2(p, 0, TPM_ALG_CFB, iv, 16, data, 16), RC_H(TPM_RC_KEY, 1));
}

static int ossl_verify(const uint8_t xy[64], const uint8_t *dg, const uint8_t rs[64])
{
	EC_KEY *k = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	BIGNUM *x = BN_bin2bn(xy, 32, NULL), *y = BN_bin2bn(xy + 32, 32, NULL);
	ECDSA_SIG *s = ECDSA_SIG_new();
	int ok;

	EC_KEY_set_public_key_affine_coordinates(k, x, y);
	ECDSA_SIG_set0(s, BN_bin2bn(rs, 32, NULL), BN_bin2bn(rs + 32, 32, NULL));
	ok = ECDSA_do_verify(dg, 32, s, k);
	ECDSA_SIG_free(s);
	BN_free(x);
	BN_free(y);
	EC_KEY_free(k);
	return ok;
}

static void test_created_ecc_key_signs_for_openssl(void **state)
{
	struct tp t;
	struct blob b;
	uint8_t dg[32] = { 9, 8, 7 }, xy[64], rs[64];
	uint32_t p, h;

	(void)state;
	assert_int_equal(srk(&p), 0);
	ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	memcpy(xy, b.pub + b.pub_len - 66, 32);
	memcpy(xy + 32, b.pub + b.pub_len - 32, 32);
	assert_int_equal(load(p, &b, &h), 0);
	assert_int_equal(sign(h, dg), 0);
	memcpy(rs, rsp + 20, 32);
	memcpy(rs + 32, rsp + 54, 32);
	assert_int_equal(ossl_verify(xy, dg, rs), 1);
	/* a storage key does not sign */
	assert_int_equal(sign(p, dg), RC_H(TPM_RC_KEY, 1));
	/* a child's ReadPublic qualified name = 000b || H(QN(SRK) || Name) */
	{
		struct cb c;
		uint8_t in[68], qn[32];
		memcpy(in, obj(p)->qname, 34);
		memcpy(in + 34, obj(h)->name, 34);
		sha256(in, 68, qn);
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_ReadPublic);
		u32(&c, h);
		assert_int_equal(exec(&c), 0);
		assert_memory_equal(rsp + 10 + 2 + b.pub_len + 2 + 34 + 2 + 2, qn, 32);
	}
}

/* LoadExternal of an ECC public key made by OpenSSL; VerifySignature of OpenSSL's signature; an
 * off-curve point is refused. */
static void test_load_external_ecc_public_verifies_openssl_signature(void **state)
{
	EC_KEY *k = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	uint8_t xy[64], dg[32] = { 5, 5, 5 }, r[32], s[32];
	struct tp t;
	struct cb c;
	ECDSA_SIG *sig;
	uint32_t h;

	(void)state;
	assert_int_equal(EC_KEY_generate_key(k), 1);
	{
		BIGNUM *x = BN_new(), *y = BN_new();
		EC_POINT_get_affine_coordinates(EC_KEY_get0_group(k), EC_KEY_get0_public_key(k), x, y, NULL);
		BN_bn2binpad(x, xy, 32);
		BN_bn2binpad(y, xy + 32, 32);
		BN_free(x);
		BN_free(y);
	}
	sig = ECDSA_do_sign(dg, 32, k);
	BN_bn2binpad(ECDSA_SIG_get0_r(sig), r, 32);
	BN_bn2binpad(ECDSA_SIG_get0_s(sig), s, 32);
	ECDSA_SIG_free(sig);
	EC_KEY_free(k);
	ecc_tp(&t, TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	t.n -= 4;
	t2b(&t, xy, 32);
	t2b(&t, xy + 32, 32);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_LoadExternal);
	u16(&c, 0);
	b2b(&c, t.b, (uint16_t)t.n);
	u32(&c, TPM_RH_OWNER);
	assert_int_equal(exec(&c), 0);
	h = vtpm_be32(rsp + 10);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_VerifySignature);
	u32(&c, h);
	b2b(&c, dg, 32);
	u16(&c, TPM_ALG_ECDSA);
	u16(&c, TPM_ALG_SHA256);
	b2b(&c, r, 32);
	b2b(&c, s, 32);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(vtpm_be16(rsp + 10), TPM_ST_VERIFIED);
	c.b[c.n - 1] ^= 1;
	assert_int_equal(exec(&c), RC_P(TPM_RC_SIGNATURE, 2));
	/* a public key cannot sign */
	assert_int_equal(sign(h, dg), RC_H(TPM_RC_KEY, 1));
	/* off the curve */
	t.b[t.n - 1] ^= 1;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_LoadExternal);
	u16(&c, 0);
	b2b(&c, t.b, (uint16_t)t.n);
	u32(&c, TPM_RH_OWNER);
	assert_int_equal(exec(&c), RC_P(TPM_RC_ECC_POINT, 2));
	assert_int_equal(objects_used(), 1);
}

static EVP_PKEY *ossl_rsa_pub(const uint8_t *n, size_t nl)
{
	RSA *r = RSA_new();
	EVP_PKEY *pk = EVP_PKEY_new();

	RSA_set0_key(r, BN_bin2bn(n, (int)nl, NULL), BN_bin2bn((const uint8_t *)"\x01\x00\x01", 3, NULL), NULL);
	EVP_PKEY_assign_RSA(pk, r);
	return pk;
}

/* RSA: the EK (L-1) derivation pinned, children sign for OpenSSL (RSASSA and RSAPSS), OAEP both
 * ways, the raw and RSAES paths, the scheme rules. */
static void test_rsa_keys_against_openssl(void **state)
{
	struct tp t;
	struct blob b;
	uint8_t pol[32], z[256] = { 0 }, dg[32], pin[32], n[256];
	uint16_t pl;
	const uint8_t *pub;
	uint32_t p, h;
	struct cb c;

	(void)state;
	if (!have_rsa())
		skip();
	for (unsigned i = 0; i < VTPM_SEED_SIZE; i++)
		T->p.eps[i] = (uint8_t)i;
	unhex(EK_POLICY, pol);
	head(&t, TPM_ALG_RSA, TPM_ALG_SHA256, A_EK, pol, 32);
	t16(&t, TPM_ALG_AES); t16(&t, 128); t16(&t, TPM_ALG_CFB);
	t16(&t, TPM_ALG_NULL);
	t16(&t, 2048);
	t32(&t, 0);
	t2b(&t, z, 256);
	assert_int_equal(create_primary(TPM_RH_ENDORSEMENT, &t, "", &p), 0);
	pub = primary_pub(&pl);
	sha256(pub + pl - 256, 256, dg);
	/* the largest key context (RSA-3072 would be larger still: checked below) fits the reported maximum */
	/* FROZEN (docs/vtpm.md): SHA-256 of the RSA EK modulus for EPS = 00 01 .. 3f */
	unhex("d24432c73c2d863f68c27ce3bf0549a46ebc0bb4efb1da8d545e22ad82af93da", pin);
	assert_memory_equal(dg, pin, 32);
	/* ... which is crypto_rsa_derive (docs/crypto.md, pinned there) over the documented inputs */
	{
		struct crypto_rsa_pub rp;
		struct crypto_rsa_priv *rk = malloc(sizeof(*rk));
		uint8_t u[34];
		ctx_u(&t, u);
		assert_true(crypto_rsa_derive(CRYPTO_SHA256, T->p.eps, 64, "Primary Object Creation", u, 34, NULL, 0, 2048,
					      0, &rp, rk));
		assert_memory_equal(rp.n, pub + pl - 256, 256);
		free(rk);
	}
	assert_int_equal(flush(p), 0);
	/* an RSA-3072 storage key with a SHA-512 policy: the largest context is within
	 * TPM_PT_MAX_OBJECT_CONTEXT */
	{
		uint8_t pol64[64], blob[1200];
		size_t n3;
		memset(pol64, 0xab, 64);
		head(&t, TPM_ALG_RSA, TPM_ALG_SHA512, A_SRK, pol64, 64);
		t16(&t, TPM_ALG_AES); t16(&t, 256); t16(&t, TPM_ALG_CFB);
		t16(&t, TPM_ALG_NULL);
		t16(&t, 3072);
		t32(&t, 0);
		t16(&t, 0);
		assert_int_equal(create_primary(TPM_RH_OWNER, &t, "0123456789012345678901234567890123456789012345678901234567890123", &p), 0);
		n3 = context_save(p, blob);
		assert_true(n3 <= VTPM_OBJECT_CONTEXT_MAX);
		assert_true(VTPM_OBJECT_CONTEXT_MAX - n3 < 64); /* the maximum is not loose */
		assert_int_equal(flush(p), 0);
		assert_int_equal(context_load(blob, n3, &p), 0);
		assert_int_equal(flush(p), 0);
	}

	assert_int_equal(srk(&p), 0);
	for (int pss = 0; pss < 2; pss++) {
		head(&t, TPM_ALG_RSA, TPM_ALG_SHA256, A_KEY | TPMA_OBJECT_SIGN, NULL, 0);
		t16(&t, TPM_ALG_NULL);
		t16(&t, pss ? TPM_ALG_RSAPSS : TPM_ALG_RSASSA); t16(&t, TPM_ALG_SHA256);
		t16(&t, 2048);
		t32(&t, 0);
		t16(&t, 0);
		assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
		memcpy(n, b.pub + b.pub_len - 256, 256);
		assert_int_equal(load(p, &b, &h), 0);
		memset(dg, 0x3c, 32);
		assert_int_equal(sign(h, dg), 0);
		assert_int_equal(vtpm_be16(rsp + 14), pss ? TPM_ALG_RSAPSS : TPM_ALG_RSASSA);
		assert_int_equal(vtpm_be16(rsp + 18), 256);
		{
			EVP_PKEY *pk = ossl_rsa_pub(n, 256);
			EVP_PKEY_CTX *vc = EVP_PKEY_CTX_new(pk, NULL);
			EVP_PKEY_verify_init(vc);
			EVP_PKEY_CTX_set_rsa_padding(vc, pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING);
			EVP_PKEY_CTX_set_signature_md(vc, EVP_sha256());
			if (pss)
				EVP_PKEY_CTX_set_rsa_pss_saltlen(vc, 32);
			assert_int_equal(EVP_PKEY_verify(vc, rsp + 20, 256, dg, 32), 1);
			dg[0] ^= 1;
			assert_int_not_equal(EVP_PKEY_verify(vc, rsp + 20, 256, dg, 32), 1);
			EVP_PKEY_CTX_free(vc);
			EVP_PKEY_free(pk);
		}
		/* VerifySignature with the same key: good, then a flipped bit */
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_VerifySignature);
		u32(&c, h);
		dg[0] ^= 1;
		b2b(&c, dg, 32);
		bytes(&c, rsp + 14, 4 + 2 + 256);
		assert_int_equal(exec(&c), 0);
		c.b[c.n - 1] ^= 1;
		assert_int_equal(exec(&c), RC_P(TPM_RC_SIGNATURE, 2));
		assert_int_equal(flush(h), 0);
	}
	/* an RSA decryption key with no scheme: OAEP (SHA-256, empty label) from OpenSSL decrypts */
	head(&t, TPM_ALG_RSA, TPM_ALG_SHA256, A_KEY | TPMA_OBJECT_DECRYPT, NULL, 0);
	t16(&t, TPM_ALG_NULL);
	t16(&t, TPM_ALG_NULL);
	t16(&t, 2048);
	t32(&t, 0);
	t16(&t, 0);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	memcpy(n, b.pub + b.pub_len - 256, 256);
	assert_int_equal(load(p, &b, &h), 0);
	{
		EVP_PKEY *pk = ossl_rsa_pub(n, 256);
		EVP_PKEY_CTX *ec = EVP_PKEY_CTX_new(pk, NULL);
		uint8_t ct[256];
		size_t cl = sizeof(ct);
		EVP_PKEY_encrypt_init(ec);
		EVP_PKEY_CTX_set_rsa_padding(ec, RSA_PKCS1_OAEP_PADDING);
		EVP_PKEY_CTX_set_rsa_oaep_md(ec, EVP_sha256());
		EVP_PKEY_CTX_set_rsa_mgf1_md(ec, EVP_sha256());
		assert_int_equal(EVP_PKEY_encrypt(ec, ct, &cl, (const uint8_t *)"hello oaep", 10), 1);
		EVP_PKEY_CTX_free(ec);
		EVP_PKEY_free(pk);
		start(&c, TPM_ST_SESSIONS, TPM_CC_RSA_Decrypt);
		u32(&c, h);
		pw(&c, "");
		b2b(&c, ct, 256);
		u16(&c, TPM_ALG_OAEP); u16(&c, TPM_ALG_SHA256);
		u16(&c, 0);
		assert_int_equal(exec(&c), 0);
		assert_int_equal(vtpm_be16(rsp + 14), 10);
		assert_memory_equal(rsp + 16, "hello oaep", 10);
		/* a corrupted ciphertext: TPM_RC_VALUE, no plaintext */
		c.b[c.n - 10] ^= 1;
		assert_int_equal(exec(&c), RC_P(TPM_RC_VALUE, 1));
		/* a label without its NUL */
		c.n -= 2;
		b2b(&c, "abc", 3);
		assert_int_equal(exec(&c), RC_P(TPM_RC_VALUE, 3));
	}
	/* RSA_Encrypt (no authorization) RSAES, decrypted by RSA_Decrypt; raw (NULL) round trip */
	for (int raw = 0; raw < 2; raw++) {
		uint8_t ct[256];
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_RSA_Encrypt);
		u32(&c, h);
		b2b(&c, "msg", 3);
		u16(&c, raw ? TPM_ALG_NULL : TPM_ALG_RSAES);
		u16(&c, 0);
		assert_int_equal(exec(&c), 0);
		assert_int_equal(vtpm_be16(rsp + 10), 256);
		memcpy(ct, rsp + 12, 256);
		start(&c, TPM_ST_SESSIONS, TPM_CC_RSA_Decrypt);
		u32(&c, h);
		pw(&c, "");
		b2b(&c, ct, 256);
		u16(&c, raw ? TPM_ALG_NULL : TPM_ALG_RSAES);
		u16(&c, 0);
		assert_int_equal(exec(&c), 0);
		if (raw) {
			assert_int_equal(vtpm_be16(rsp + 14), 256);
			assert_memory_equal(rsp + 16 + 253, "msg", 3);
		} else {
			assert_int_equal(vtpm_be16(rsp + 14), 3);
			assert_memory_equal(rsp + 16, "msg", 3);
		}
	}
	/* a signing-only key does not decrypt; the storage key is restricted */
	start(&c, TPM_ST_SESSIONS, TPM_CC_RSA_Decrypt);
	u32(&c, p);
	pw(&c, "");
	b2b(&c, z, 32);
	u16(&c, TPM_ALG_NULL);
	u16(&c, 0);
	assert_int_equal(exec(&c), RC_H(TPM_RC_KEY, 1));
}

/* P-384: the primary derivation recomputed with OpenSSL; ECDSA-SHA384 verified by OpenSSL. */
static void test_p384_keys_against_openssl(void **state)
{
	struct tp t;
	uint8_t u[34], stream[192], xy[96], dg[48];
	uint16_t pl;
	const uint8_t *pub;
	uint32_t h;
	struct cb c;

	(void)state;
	if (!vtpm_have_p384())
		skip();
	for (unsigned i = 0; i < VTPM_SEED_SIZE; i++)
		T->p.eps[i] = (uint8_t)i;
	head(&t, TPM_ALG_ECC, TPM_ALG_SHA256, A_KEY | TPMA_OBJECT_SIGN, NULL, 0);
	t16(&t, TPM_ALG_NULL);
	t16(&t, TPM_ALG_ECDSA); t16(&t, TPM_ALG_SHA384);
	t16(&t, TPM_ECC_NIST_P384);
	t16(&t, TPM_ALG_NULL);
	t16(&t, 0);
	t16(&t, 0);
	assert_int_equal(create_primary(TPM_RH_ENDORSEMENT, &t, "", &h), 0);
	pub = primary_pub(&pl);
	assert_int_equal(vtpm_be16(pub + pl - 100), 48);
	ctx_u(&t, u);
	ossl_kdfa(T->p.eps, 64, "Primary Object Creation", u, 34, NULL, 0, stream, 8 * 48 * 4);
	{
		EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_secp384r1);
		EC_POINT *pt = EC_POINT_new(g);
		BIGNUM *d = BN_bin2bn(stream, 48, NULL), *x = BN_new(), *y = BN_new();
		assert_true(BN_cmp(d, EC_GROUP_get0_order(g)) < 0); /* the first candidate is in range */
		EC_POINT_mul(g, pt, d, NULL, NULL, NULL);
		EC_POINT_get_affine_coordinates(g, pt, x, y, NULL);
		BN_bn2binpad(x, xy, 48);
		BN_bn2binpad(y, xy + 48, 48);
		assert_memory_equal(pub + pl - 98, xy, 48);
		assert_memory_equal(pub + pl - 48, xy + 48, 48);
		BN_free(d); BN_free(x); BN_free(y);
		EC_POINT_free(pt);
		EC_GROUP_free(g);
	}
	memset(dg, 0x77, 48);
	start(&c, TPM_ST_SESSIONS, TPM_CC_Sign);
	u32(&c, h);
	pw(&c, "");
	b2b(&c, dg, 48);
	u16(&c, TPM_ALG_NULL);
	u16(&c, TPM_ST_HASHCHECK);
	u32(&c, TPM_RH_NULL);
	u16(&c, 0);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(vtpm_be16(rsp + 16), TPM_ALG_SHA384);
	assert_int_equal(vtpm_be16(rsp + 18), 48);
	{
		EC_KEY *k = EC_KEY_new_by_curve_name(NID_secp384r1);
		BIGNUM *x = BN_bin2bn(xy, 48, NULL), *y = BN_bin2bn(xy + 48, 48, NULL);
		ECDSA_SIG *sg = ECDSA_SIG_new();
		EC_KEY_set_public_key_affine_coordinates(k, x, y);
		ECDSA_SIG_set0(sg, BN_bin2bn(rsp + 20, 48, NULL), BN_bin2bn(rsp + 70, 48, NULL));
		assert_int_equal(ECDSA_do_verify(dg, 48, sg, k), 1);
		ECDSA_SIG_free(sg);
		BN_free(x); BN_free(y);
		EC_KEY_free(k);
	}
	/* digest size must match the scheme's hash */
	c.n = 0;
	start(&c, TPM_ST_SESSIONS, TPM_CC_Sign);
	u32(&c, h);
	pw(&c, "");
	b2b(&c, dg, 32);
	u16(&c, TPM_ALG_NULL);
	u16(&c, TPM_ST_HASHCHECK);
	u32(&c, TPM_RH_NULL);
	u16(&c, 0);
	assert_int_equal(exec(&c), RC_P(TPM_RC_SIZE, 1));
}

/* vtpm_object_decrypt_secret (salted sessions, ActivateCredential, Import): ECDH + KDFe with an ECC
 * key and OAEP with an RSA key, against secrets OpenSSL made for the key's public part. */
static void test_decrypt_secret_ecc_and_rsa(void **state)
{
	struct tp t;
	struct blob b;
	uint8_t kxy[64], in[200], out[512], want[32];
	size_t ol = 0;
	uint32_t p, h;

	(void)state;
	assert_int_equal(srk(&p), 0);
	ecc_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT, 0, 0, TPM_ALG_NULL, TPM_ECC_NIST_P256);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	memcpy(kxy, b.pub + b.pub_len - 66, 32);
	memcpy(kxy + 32, b.pub + b.pub_len - 32, 32);
	assert_int_equal(load(p, &b, &h), 0);
	{
		EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
		EC_POINT *q = EC_POINT_new(g), *zp = EC_POINT_new(g), *kp = EC_POINT_new(g);
		BIGNUM *e = BN_new(), *x = BN_new(), *y = BN_new(), *kx = BN_bin2bn(kxy, 32, NULL),
		       *ky = BN_bin2bn(kxy + 32, 32, NULL);
		uint8_t qx[32], qy[32], zx[32], kin[4 + 32 + 7 + 64];
		BN_rand_range(e, EC_GROUP_get0_order(g));
		EC_POINT_mul(g, q, e, NULL, NULL, NULL);
		EC_POINT_get_affine_coordinates(g, q, x, y, NULL);
		BN_bn2binpad(x, qx, 32);
		BN_bn2binpad(y, qy, 32);
		EC_POINT_set_affine_coordinates(g, kp, kx, ky, NULL);
		EC_POINT_mul(g, zp, NULL, kp, e, NULL);
		EC_POINT_get_affine_coordinates(g, zp, x, NULL, NULL);
		BN_bn2binpad(x, zx, 32);
		/* KDFe(SHA-256, Z, "SECRET", Qe.x, Qs.x, 256) = H(00000001 || Z || "SECRET\0" || Qe.x || Qs.x) */
		memcpy(kin, "\0\0\0\1", 4);
		memcpy(kin + 4, zx, 32);
		memcpy(kin + 36, "SECRET", 7);
		memcpy(kin + 43, qx, 32);
		memcpy(kin + 75, kxy, 32);
		sha256(kin, sizeof(kin), want);
		in[0] = 0; in[1] = 32;
		memcpy(in + 2, qx, 32);
		in[34] = 0; in[35] = 32;
		memcpy(in + 36, qy, 32);
		BN_free(e); BN_free(x); BN_free(y); BN_free(kx); BN_free(ky);
		EC_POINT_free(q); EC_POINT_free(zp); EC_POINT_free(kp);
		EC_GROUP_free(g);
	}
	assert_int_equal(vtpm_object_decrypt_secret(T, obj(h), "SECRET", in, 68, out, &ol), 0);
	assert_int_equal(ol, 32);
	assert_memory_equal(out, want, 32);
	in[40] ^= 1; /* off the curve */
	assert_int_equal(vtpm_object_decrypt_secret(T, obj(h), "SECRET", in, 68, out, &ol), TPM_RC_ECC_POINT);
	assert_int_equal(vtpm_object_decrypt_secret(T, obj(h), "SECRET", in, 67, out, &ol), TPM_RC_SIZE);
	assert_int_equal(flush(h), 0);
	if (!have_rsa())
		return;
	head(&t, TPM_ALG_RSA, TPM_ALG_SHA256, A_KEY | TPMA_OBJECT_DECRYPT, NULL, 0);
	t16(&t, TPM_ALG_NULL);
	t16(&t, TPM_ALG_NULL);
	t16(&t, 2048);
	t32(&t, 0);
	t16(&t, 0);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &h), 0);
	{
		EVP_PKEY *pk = ossl_rsa_pub(b.pub + b.pub_len - 256, 256);
		EVP_PKEY_CTX *ec = EVP_PKEY_CTX_new(pk, NULL);
		uint8_t ct[256], *lab = OPENSSL_malloc(7);
		size_t cl = sizeof(ct);
		memcpy(lab, "SECRET", 7);
		EVP_PKEY_encrypt_init(ec);
		EVP_PKEY_CTX_set_rsa_padding(ec, RSA_PKCS1_OAEP_PADDING);
		EVP_PKEY_CTX_set_rsa_oaep_md(ec, EVP_sha256());
		EVP_PKEY_CTX_set_rsa_mgf1_md(ec, EVP_sha256());
		EVP_PKEY_CTX_set0_rsa_oaep_label(ec, lab, 7);
		memset(want, 0x42, 32);
		assert_int_equal(EVP_PKEY_encrypt(ec, ct, &cl, want, 32), 1);
		EVP_PKEY_CTX_free(ec);
		EVP_PKEY_free(pk);
		assert_int_equal(vtpm_object_decrypt_secret(T, obj(h), "SECRET", ct, 256, out, &ol), 0);
		assert_int_equal(ol, 32);
		assert_memory_equal(out, want, 32);
		/* another label: the padding check fails */
		assert_int_equal(vtpm_object_decrypt_secret(T, obj(h), "IDENTITY", ct, 256, out, &ol), TPM_RC_VALUE);
	}
}

static uint32_t test_parms(const struct tp *t)
{
	struct cb c;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_TestParms);
	bytes(&c, t->b, t->n);
	return exec(&c);
}

/* TestParms answers for exactly what CreatePrimary accepts. */
static void test_test_parms_matches_the_object_model(void **state)
{
	struct tp t;

	(void)state;
	t.n = 0;
	t16(&t, TPM_ALG_SYMCIPHER); t16(&t, TPM_ALG_AES); t16(&t, 256); t16(&t, TPM_ALG_CBC);
	assert_int_equal(test_parms(&t), 0);
	t.n = 0;
	t16(&t, TPM_ALG_SYMCIPHER); t16(&t, TPM_ALG_AES); t16(&t, 192); t16(&t, TPM_ALG_CBC);
	assert_int_equal(test_parms(&t), RC_P(TPM_RC_KEY_SIZE, 1));
	t.n = 0;
	t16(&t, TPM_ALG_RSA); t16(&t, TPM_ALG_NULL); t16(&t, TPM_ALG_RSAPSS); t16(&t, TPM_ALG_SHA256); t16(&t, 2048);
	t32(&t, 0);
	assert_int_equal(test_parms(&t), have_rsa() ? 0 : RC_P(TPM_RC_VALUE, 1));
	t.n -= 6;
	t16(&t, 1024);
	t32(&t, 0);
	assert_int_equal(test_parms(&t), RC_P(TPM_RC_KEY_SIZE, 1));
	t.n = 0;
	t16(&t, TPM_ALG_ECC); t16(&t, TPM_ALG_NULL); t16(&t, TPM_ALG_ECDSA); t16(&t, TPM_ALG_SHA384);
	t16(&t, TPM_ECC_NIST_P384); t16(&t, TPM_ALG_NULL);
	assert_int_equal(test_parms(&t), vtpm_have_p384() ? 0 : RC_P(TPM_RC_CURVE, 1));
	t.b[t.n - 3] = 5;
	assert_int_equal(test_parms(&t), RC_P(TPM_RC_CURVE, 1));
	t.n = 0;
	t16(&t, TPM_ALG_KEYEDHASH); t16(&t, TPM_ALG_XOR); t16(&t, TPM_ALG_SHA256); t16(&t, TPM_ALG_KDF1_SP800_108);
	assert_int_equal(test_parms(&t), RC_P(TPM_RC_SCHEME, 1));
	t.n = 0;
	t16(&t, 0x0099);
	assert_int_equal(test_parms(&t), RC_P(TPM_RC_TYPE, 1));
}

/* Quote with a key outside the endorsement/platform hierarchies obfuscates resetCount,
 * restartCount and firmwareVersion with KDFa(SHA-256, proof(owner), "OBFUSCATE", Name, -, 128);
 * an endorsement key's quote reports them as they are (test_vtpm_ecc.c). */
static void test_quote_obfuscates_counters_outside_endorsement(void **state)
{
	struct tp t;
	struct blob b;
	uint8_t proof[32], ob[16], name[34];
	const uint8_t *a;
	uint32_t p, h;
	struct cb c;

	(void)state;
	assert_int_equal(srk(&p), 0);
	ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN | TPMA_OBJECT_RESTRICTED, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	assert_int_equal(create(p, "", &t, "", NULL, 0, &b), 0);
	assert_int_equal(load(p, &b, &h), 0);
	memcpy(name, rsp + 20, 34);
	start(&c, TPM_ST_SESSIONS, TPM_CC_Quote);
	u32(&c, h);
	pw(&c, "");
	u16(&c, 0);
	u16(&c, TPM_ALG_NULL);
	u32(&c, 0);
	assert_int_equal(exec(&c), 0);
	a = rsp + 16;
	ossl_kdfa(T->p.sps, 64, "Mantle hierarchy proof", NULL, 0, NULL, 0, proof, 256);
	ossl_kdfa(proof, 32, "OBFUSCATE", name, 34, NULL, 0, ob, 128);
	/* magic 4, type 2, qualifiedSigner 2+34, extraData 2+0, clock 8 */
	assert_int_equal(vtpm_be32(a + 52), (uint32_t)(T->p.reset_count + vtpm_be32(ob + 8)));
	assert_int_equal(vtpm_be32(a + 56), (uint32_t)(T->p.restart_count + vtpm_be32(ob + 12)));
	assert_int_equal(a[60], 1);
	{
		uint64_t fw = ((uint64_t)vtpm_be32(a + 61) << 32) | vtpm_be32(a + 65);
		uint64_t want = (((uint64_t)VTPM_FIRMWARE_1 << 32) | VTPM_FIRMWARE_2) +
				(((uint64_t)vtpm_be32(ob) << 32) | vtpm_be32(ob + 4));
		assert_true(fw == want);
	}
	assert_int_not_equal(vtpm_be32(a + 52), T->p.reset_count);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_created_hmac_key_matches_openssl, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_encrypt_decrypt_modes_match_openssl, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_created_ecc_key_signs_for_openssl, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_load_external_ecc_public_verifies_openssl_signature, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_rsa_keys_against_openssl, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_p384_keys_against_openssl, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_decrypt_secret_ecc_and_rsa, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_test_parms_matches_the_object_model, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_quote_obfuscates_counters_outside_endorsement, setup_started, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
