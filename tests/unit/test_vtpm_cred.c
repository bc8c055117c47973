/* vTPM credentials (issue 6, credentials part) against OpenSSL: MakeCredential's blob and secret
 * opened in the test, ActivateCredential of blobs built in the test, tampered blobs, wrong keys and
 * wrong objects, RSA protectors. Duplication and import are in test_vtpm_dup.c. */
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

#include "tests/unit/vtpm_cred_util.h"

/* ---- OpenSSL side ---- */

/* The inverse of outer_wrap: the plaintext, or 0 when the integrity does not match */
static size_t outer_open(const uint8_t seed[32], const uint8_t *name, size_t nl, const uint8_t *in, size_t n,
			 uint8_t *plain)
{
	uint8_t sym[16], hk[32], mac[32];

	ossl_kdfa(seed, 32, "STORAGE", name, nl, NULL, 0, sym, 128);
	ossl_kdfa(seed, 32, "INTEGRITY", NULL, 0, NULL, 0, hk, 256);
	assert_int_equal(vtpm_be16(in), 32);
	hmac256(hk, in + 34, n - 34, name, nl, mac);
	if (memcmp(mac, in + 2, 32) != 0)
		return 0;
	memcpy(plain, in + 34, n - 34);
	cfb128(sym, 16, plain, n - 34, 0);
	return n - 34;
}

/* ---- vTPM side ---- */

/* An ECC restricted decryption key (an "EK") and an ECC signing key (an "AK") under it. */
static void ek_ak(uint32_t *ek, uint32_t *ak, struct blob *akb)
{
	struct tp t;

	assert_int_equal(srk(ek), 0);
	ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	assert_int_equal(create(*ek, "", &t, "", NULL, 0, akb), 0);
	assert_int_equal(load(*ek, akb, ak), 0);
}

static void test_make_credential_blob_opens_with_openssl(void **state)
{
	static const char credential[] = "0123456789abcdef0123456789abcdef";
	uint8_t name[34], kxy[64], z[32], seed[32], plain[100];
	struct cred cr;
	struct blob akb;
	uint16_t pl;
	uint32_t ek, ak;

	(void)state;
	ek_ak(&ek, &ak, &akb);
	name_of_pub(akb.pub, akb.pub_len, name);
	assert_int_equal(make_credential(ek, credential, 32, name, 34, &cr), 0);
	/* the seed as the EK's holder derives it: ECDH with its private scalar, KDFe "IDENTITY" */
	memcpy(kxy, obj(ek)->ecc_xy, 64);
	assert_int_equal(cr.sl, 68);
	ecdh(obj(ek)->key, cr.secret + 2, cr.secret + 36, z);
	kdfe(z, "IDENTITY", cr.secret + 2, kxy, seed);
	pl = (uint16_t)outer_open(seed, name, 34, cr.blob, cr.bl, plain);
	assert_int_equal(pl, 34);
	assert_int_equal(vtpm_be16(plain), 32);
	assert_memory_equal(plain + 2, credential, 32);
	/* the TPM gets it back */
	assert_int_equal(activate(ak, ek, &cr), 0);
	assert_int_equal(vtpm_be16(rsp + 14), 32);
	assert_memory_equal(rsp + 16, credential, 32);
	/* a credential longer than the EK's nameAlg digest */
	assert_int_equal(make_credential(ek, "0123456789abcdef0123456789abcdef!", 33, name, 34, &cr),
			 RC_P(TPM_RC_SIZE, 1));
	/* a signing key is no protector */
	assert_int_equal(make_credential(ak, credential, 32, name, 34, &cr), RC_H(TPM_RC_TYPE, 1));
}

static void test_activate_credential_of_a_blob_built_by_openssl(void **state)
{
	uint8_t name[34], seed[32], plain[40];
	struct cred cr;
	struct blob akb;
	uint32_t ek, ak;

	(void)state;
	ek_ak(&ek, &ak, &akb);
	name_of_pub(akb.pub, akb.pub_len, name);
	cr.sl = (uint16_t)ecc_share(obj(ek)->ecc_xy, "IDENTITY", seed, cr.secret);
	plain[0] = 0; plain[1] = 20;
	memcpy(plain + 2, "twenty byte secret!!", 20);
	cr.bl = (uint16_t)outer_wrap(seed, name, 34, plain, 22, cr.blob);
	assert_int_equal(activate(ak, ek, &cr), 0);
	assert_int_equal(vtpm_be16(rsp + 14), 20);
	assert_memory_equal(rsp + 16, "twenty byte secret!!", 20);
}

static void test_activate_credential_rejects_tampering_and_wrong_keys(void **state)
{
	static const char credential[] = "attestation credential";
	uint8_t name[34];
	struct cred cr, bad;
	struct blob akb, other;
	struct tp t;
	uint32_t ek, ak, ek2, dec, o2;

	(void)state;
	ek_ak(&ek, &ak, &akb);
	name_of_pub(akb.pub, akb.pub_len, name);
	assert_int_equal(make_credential(ek, credential, 22, name, 34, &cr), 0);
	/* every byte of the blob is covered by the integrity */
	for (unsigned i = 2; i < cr.bl; i += 7) {
		bad = cr;
		bad.blob[i] ^= 0x20;
		assert_int_equal(activate(ak, ek, &bad), RC_P(TPM_RC_INTEGRITY, 1));
	}
	/* a tampered secret is another ECDH point: off the curve, or another seed */
	bad = cr;
	bad.secret[40] ^= 1;
	assert_int_equal(activate(ak, ek, &bad), RC_P(TPM_RC_ECC_POINT, 2));
	/* the wrong object: a blob bound to the AK's Name does not activate for another key */
	ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	assert_int_equal(create(ek, "", &t, "", NULL, 0, &other), 0);
	assert_int_equal(load(ek, &other, &o2), 0);
	assert_int_equal(activate(o2, ek, &cr), RC_P(TPM_RC_INTEGRITY, 1));
	assert_int_equal(flush(o2), 0);
	/* the wrong protector (another storage key): another seed */
	srk_tp_other(&t, 'x');
	assert_int_equal(create_primary(TPM_RH_OWNER, &t, "", &ek2), 0);
	assert_int_equal(activate(ak, ek2, &cr), RC_P(TPM_RC_INTEGRITY, 1));
	assert_int_equal(flush(ek2), 0);
	/* an unrestricted decryption key is not a credential protector */
	ecc_tp(&t, A_KEY | TPMA_OBJECT_DECRYPT, 0, 0, TPM_ALG_NULL, TPM_ECC_NIST_P256);
	assert_int_equal(create(ek, "", &t, "", NULL, 0, &other), 0);
	assert_int_equal(load(ek, &other, &dec), 0);
	assert_int_equal(activate(ak, dec, &cr), RC_H(TPM_RC_ATTRIBUTES, 2));
	assert_int_equal(activate(ak, ak, &cr), RC_H(TPM_RC_ATTRIBUTES, 2));
	/* the original still works */
	assert_int_equal(activate(ak, ek, &cr), 0);
	assert_memory_equal(rsp + 16, credential, 22);
}

/* RSA protector (the TCG EK template): the blob the test builds with OAEP("IDENTITY\0") activates,
 * and MakeCredential's output activates. */
static void test_rsa_credential_round_trips(void **state)
{
	uint8_t pol[32], name[34], seed[32], plain[40], ct[256];
	const uint8_t *pub;
	uint16_t pl;
	struct cred cr;
	struct blob akb;
	struct tp t;
	struct tp akt;
	uint32_t ek, ak;

	(void)state;
	if (!have_rsa())
		skip();
	unhex(EK_POLICY, pol);
	/* the EK template without its policy so a password session can activate */
	head(&t, TPM_ALG_RSA, TPM_ALG_SHA256, A_EK | TPMA_OBJECT_USERWITHAUTH, pol, 32);
	t16(&t, TPM_ALG_AES); t16(&t, 128); t16(&t, TPM_ALG_CFB);
	t16(&t, TPM_ALG_NULL); t16(&t, 2048); t32(&t, 0); t16(&t, 256);
	memset(t.b + t.n, 0, 256); t.n += 256;
	assert_int_equal(create_primary(TPM_RH_ENDORSEMENT, &t, "", &ek), 0);
	pub = primary_pub(&pl);
	ecc_tp(&akt, A_KEY | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	{
		uint8_t n[256];
		memcpy(n, pub + pl - 256, 256);
		assert_int_equal(create(ek, "", &akt, "", NULL, 0, &akb), 0);
		assert_int_equal(load(ek, &akb, &ak), 0);
		name_of_pub(akb.pub, akb.pub_len, name);
		RSA *r = RSA_new();
		EVP_PKEY *pk = EVP_PKEY_new();
		RSA_set0_key(r, BN_bin2bn(n, 256, NULL), BN_bin2bn((const uint8_t *)"\x01\x00\x01", 3, NULL), NULL);
		EVP_PKEY_assign_RSA(pk, r);
		EVP_PKEY_CTX *ec = EVP_PKEY_CTX_new(pk, NULL);
		uint8_t *lab = OPENSSL_malloc(9);
		size_t cl = sizeof(ct);
		memcpy(lab, "IDENTITY", 9);
		for (int i = 0; i < 32; i++)
			seed[i] = (uint8_t)(i * 7 + 3);
		EVP_PKEY_encrypt_init(ec);
		EVP_PKEY_CTX_set_rsa_padding(ec, RSA_PKCS1_OAEP_PADDING);
		EVP_PKEY_CTX_set_rsa_oaep_md(ec, EVP_sha256());
		EVP_PKEY_CTX_set_rsa_mgf1_md(ec, EVP_sha256());
		EVP_PKEY_CTX_set0_rsa_oaep_label(ec, lab, 9);
		assert_int_equal(EVP_PKEY_encrypt(ec, ct, &cl, seed, 32), 1);
		assert_int_equal(cl, 256);
		EVP_PKEY_CTX_free(ec);
		EVP_PKEY_free(pk);
	}
	memcpy(cr.secret, ct, 256);
	cr.sl = 256;
	plain[0] = 0; plain[1] = 16;
	memcpy(plain + 2, "rsa-ek-credentia", 16);
	cr.bl = (uint16_t)outer_wrap(seed, name, 34, plain, 18, cr.blob);
	assert_int_equal(activate(ak, ek, &cr), 0);
	assert_memory_equal(rsp + 16, "rsa-ek-credentia", 16);
	cr.secret[100] ^= 1; /* OAEP fails */
	assert_int_equal(activate(ak, ek, &cr), RC_P(TPM_RC_VALUE, 2));
	assert_int_equal(make_credential(ek, "0123456789", 10, name, 34, &cr), 0);
	assert_int_equal(cr.sl, 256);
	assert_int_equal(activate(ak, ek, &cr), 0);
	assert_memory_equal(rsp + 16, "0123456789", 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_make_credential_blob_opens_with_openssl, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_activate_credential_of_a_blob_built_by_openssl, setup_started,
						teardown),
		cmocka_unit_test_setup_teardown(test_activate_credential_rejects_tampering_and_wrong_keys, setup_started,
						teardown),
		cmocka_unit_test_setup_teardown(test_rsa_credential_round_trips, setup_started, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
