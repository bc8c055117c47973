/* vTPM credentials and duplication (issue 6, credentials part) against OpenSSL: MakeCredential's
 * blob and secret opened in the test, ActivateCredential of blobs built in the test, tampered
 * blobs, wrong keys and wrong objects; Duplicate -> Import round trips with and without the inner
 * wrapper; Import of a key wrapped entirely by the test; bad imports. */
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

#define A_DUPKEY (TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_SIGN)

/* ---- OpenSSL side ---- */

static void cfb128(const uint8_t *key, size_t kl, uint8_t *buf, size_t n, int enc)
{
	uint8_t iv[16] = { 0 }, out[1024];
	int ol = 0;
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();

	assert_true(n <= sizeof(out));
	EVP_CipherInit_ex(x, kl == 16 ? EVP_aes_128_cfb128() : EVP_aes_256_cfb128(), NULL, key, iv, enc);
	EVP_CipherUpdate(x, out, &ol, buf, (int)n);
	EVP_CIPHER_CTX_free(x);
	memcpy(buf, out, n);
}

static void hmac256(const uint8_t *key, const uint8_t *a, size_t al, const uint8_t *b, size_t bl, uint8_t out[32])
{
	uint8_t in[1200];
	unsigned ol = 32;

	memcpy(in, a, al);
	memcpy(in + al, b, bl);
	HMAC(EVP_sha256(), key, 32, in, al + bl, out, &ol);
}

/* KDFe(SHA-256, Z, label, u, v, 256) = H(00000001 || Z || label\0 || u || v) */
static void kdfe(const uint8_t z[32], const char *label, const uint8_t u[32], const uint8_t v[32], uint8_t out[32])
{
	uint8_t in[4 + 32 + 16 + 64];
	size_t ll = strlen(label) + 1, n = 0;

	memcpy(in, "\0\0\0\1", 4); n = 4;
	memcpy(in + n, z, 32); n += 32;
	memcpy(in + n, label, ll); n += ll;
	memcpy(in + n, u, 32); n += 32;
	memcpy(in + n, v, 32); n += 32;
	sha256(in, n, out);
}

/* x(d·(px, py)) on P-256 */
static void ecdh(const uint8_t d[32], const uint8_t px[32], const uint8_t py[32], uint8_t zx[32])
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *p = EC_POINT_new(g), *z = EC_POINT_new(g);
	BIGNUM *bd = BN_bin2bn(d, 32, NULL), *x = BN_bin2bn(px, 32, NULL), *y = BN_bin2bn(py, 32, NULL);

	assert_int_equal(EC_POINT_set_affine_coordinates(g, p, x, y, NULL), 1);
	EC_POINT_mul(g, z, NULL, p, bd, NULL);
	EC_POINT_get_affine_coordinates(g, z, x, NULL, NULL);
	BN_bn2binpad(x, zx, 32);
	BN_free(bd); BN_free(x); BN_free(y);
	EC_POINT_free(p); EC_POINT_free(z);
	EC_GROUP_free(g);
}

/* A fresh P-256 key: d and Q = x || y */
static void ec_keypair(uint8_t d[32], uint8_t xy[64])
{
	EC_KEY *k = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	BIGNUM *x = BN_new(), *y = BN_new();

	assert_int_equal(EC_KEY_generate_key(k), 1);
	BN_bn2binpad(EC_KEY_get0_private_key(k), d, 32);
	EC_POINT_get_affine_coordinates(EC_KEY_get0_group(k), EC_KEY_get0_public_key(k), x, y, NULL);
	BN_bn2binpad(x, xy, 32);
	BN_bn2binpad(y, xy + 32, 32);
	BN_free(x); BN_free(y);
	EC_KEY_free(k);
}

/* secret sharing to an ECC P-256 key (x || y) as a remote party does it: seed and TPMS_ECC_POINT */
static size_t ecc_share(const uint8_t kxy[64], const char *label, uint8_t seed[32], uint8_t *secret)
{
	uint8_t d[32], qe[64], z[32];

	ec_keypair(d, qe);
	ecdh(d, kxy, kxy + 32, z);
	kdfe(z, label, qe, kxy, seed);
	secret[0] = 0; secret[1] = 32; memcpy(secret + 2, qe, 32);
	secret[34] = 0; secret[35] = 32; memcpy(secret + 36, qe + 32, 32);
	return 68;
}

/* The outer wrapper (Part 1, 23.3.2.2 / 24.4) with AES-128 and SHA-256: integrity TPM2B || enc */
static size_t outer_wrap(const uint8_t seed[32], const uint8_t *name, size_t nl, const uint8_t *plain, size_t n,
			 uint8_t *out)
{
	uint8_t sym[16], hk[32];

	ossl_kdfa(seed, 32, "STORAGE", name, nl, NULL, 0, sym, 128);
	ossl_kdfa(seed, 32, "INTEGRITY", NULL, 0, NULL, 0, hk, 256);
	memcpy(out + 34, plain, n);
	cfb128(sym, 16, out + 34, n, 1);
	out[0] = 0; out[1] = 32;
	hmac256(hk, out + 34, n, name, nl, out + 2);
	return 34 + n;
}

/* ... and its inverse: the plaintext, or 0 when the integrity does not match */
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

static int ossl_verify(const uint8_t xy[64], const uint8_t *dg, const uint8_t *r, const uint8_t *s)
{
	EC_KEY *k = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	BIGNUM *x = BN_bin2bn(xy, 32, NULL), *y = BN_bin2bn(xy + 32, 32, NULL);
	ECDSA_SIG *sig = ECDSA_SIG_new();
	int ok;

	EC_KEY_set_public_key_affine_coordinates(k, x, y);
	ECDSA_SIG_set0(sig, BN_bin2bn(r, 32, NULL), BN_bin2bn(s, 32, NULL));
	ok = ECDSA_do_verify(dg, 32, sig, k);
	ECDSA_SIG_free(sig);
	BN_free(x); BN_free(y);
	EC_KEY_free(k);
	return ok;
}

/* ---- vTPM side ---- */

static void name_of_pub(const uint8_t *pub, size_t n, uint8_t name[34])
{
	name[0] = 0; name[1] = 0x0b;
	sha256(pub, n, name + 2);
}

/* The public point of an ecc_tp() public area */
static void pub_xy(const uint8_t *pub, size_t n, uint8_t xy[64])
{
	memcpy(xy, pub + n - 66, 32);
	memcpy(xy + 32, pub + n - 32, 32);
}

/* Two password authorizations (ActivateCredential) */
static void pw2(struct cb *c)
{
	u32(c, 18);
	for (int i = 0; i < 2; i++) {
		u32(c, TPM_RS_PW); u16(c, 0); u8(c, 1); u16(c, 0);
	}
}

struct cred { uint8_t blob[200], secret[300]; uint16_t bl, sl; };

static uint32_t make_credential(uint32_t key, const void *cred, uint16_t cl, const uint8_t *name, uint16_t nl,
				struct cred *out)
{
	struct cb c;
	uint32_t rc;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_MakeCredential);
	u32(&c, key);
	b2b(&c, cred, cl);
	b2b(&c, name, nl);
	rc = exec(&c);
	if (rc == 0) {
		out->bl = vtpm_be16(rsp + 10);
		memcpy(out->blob, rsp + 12, out->bl);
		out->sl = vtpm_be16(rsp + 12 + out->bl);
		memcpy(out->secret, rsp + 14 + out->bl, out->sl);
	}
	return rc;
}

static uint32_t activate(uint32_t obj_h, uint32_t key, const struct cred *cr)
{
	struct cb c;

	start(&c, TPM_ST_SESSIONS, TPM_CC_ActivateCredential);
	u32(&c, obj_h);
	u32(&c, key);
	pw2(&c);
	b2b(&c, cr->blob, cr->bl);
	b2b(&c, cr->secret, cr->sl);
	return exec(&c);
}

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

/* ---- duplication ---- */

/* policyDigest of PolicyCommandCode(Duplicate) from an empty policy */
static void dup_policy(uint8_t d[32])
{
	uint8_t in[40] = { 0 };

	vtpm_set_be32(in + 32, TPM_CC_PolicyCommandCode);
	vtpm_set_be32(in + 36, TPM_CC_Duplicate);
	sha256(in, 40, d);
}

static uint8_t dup_nonce[32]; /* nonceTPM of the last dup_session() */

/* A policy session with PolicyCommandCode(Duplicate) run */
static uint32_t dup_session(void)
{
	struct cb c;
	uint32_t s;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_StartAuthSession);
	u32(&c, TPM_RH_NULL); u32(&c, TPM_RH_NULL);
	u16(&c, 16); for (int i = 0; i < 16; i++) u8(&c, (uint8_t)i);
	u16(&c, 0); u8(&c, TPM_SE_POLICY); u16(&c, TPM_ALG_NULL); u16(&c, TPM_ALG_SHA256);
	assert_int_equal(exec(&c), 0);
	s = vtpm_be32(rsp + 10);
	assert_int_equal(vtpm_be16(rsp + 14), 32);
	memcpy(dup_nonce, rsp + 16, 32);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicyCommandCode);
	u32(&c, s); u32(&c, TPM_CC_Duplicate);
	assert_int_equal(exec(&c), 0);
	return s;
}

struct dup { uint8_t key[32], dup[700], seed[300]; uint16_t kl, dl, sl; };

static uint32_t duplicate(uint32_t key, uint32_t np, uint32_t sess, bool inner, struct dup *out)
{
	struct cb c;
	uint32_t rc;
	const uint8_t *p;

	uint8_t prm[8], cp[32], hin[32 + 4 + 34 + 34 + 8], mac[32];
	size_t pl = 0, n = 0;
	unsigned ml = 32;

	/* encryptionKeyIn (empty), symmetricAlg */
	vtpm_set_be16(prm, 0); pl = 2;
	if (inner) {
		vtpm_set_be16(prm + 2, TPM_ALG_AES); vtpm_set_be16(prm + 4, 128); vtpm_set_be16(prm + 6, TPM_ALG_CFB);
		pl = 8;
	} else {
		vtpm_set_be16(prm + 2, TPM_ALG_NULL);
		pl = 4;
	}
	/* the policy session's HMAC, keyed by an empty sessionKey (unbound, unsalted, no PolicyAuthValue):
	 * HMAC(cpHash || nonceCaller (empty) || nonceTPM || attributes 0) */
	vtpm_set_be32(hin, TPM_CC_Duplicate); n = 4;
	n += (size_t)(obj(key)->name_len);
	memcpy(hin + 4, obj(key)->name, obj(key)->name_len);
	if (np == TPM_RH_NULL) {
		vtpm_set_be32(hin + n, np); n += 4;
	} else {
		memcpy(hin + n, obj(np)->name, obj(np)->name_len); n += obj(np)->name_len;
	}
	memcpy(hin + n, prm, pl); n += pl;
	sha256(hin, n, cp);
	memcpy(hin, cp, 32); memcpy(hin + 32, dup_nonce, 32); hin[64] = 0;
	HMAC(EVP_sha256(), "", 0, hin, 65, mac, &ml);
	start(&c, TPM_ST_SESSIONS, TPM_CC_Duplicate);
	u32(&c, key); u32(&c, np);
	if (sess) {
		u32(&c, 41); u32(&c, sess); u16(&c, 0); u8(&c, 0); b2b(&c, mac, 32);
	} else {
		pw(&c, "");
	}
	bytes(&c, prm, pl);
	rc = exec(&c);
	if (rc == 0) {
		p = rsp + 14;
		out->kl = vtpm_be16(p); memcpy(out->key, p + 2, out->kl); p += 2 + out->kl;
		out->dl = vtpm_be16(p); memcpy(out->dup, p + 2, out->dl); p += 2 + out->dl;
		out->sl = vtpm_be16(p); memcpy(out->seed, p + 2, out->sl);
	}
	return rc;
}

static uint32_t import(uint32_t parent, const uint8_t *pub, uint16_t publ, const struct dup *d, bool inner,
		       struct blob *out)
{
	struct cb c;
	uint32_t rc;

	start(&c, TPM_ST_SESSIONS, TPM_CC_Import);
	u32(&c, parent);
	pw(&c, "");
	b2b(&c, d->key, d->kl);
	b2b(&c, pub, publ);
	b2b(&c, d->dup, d->dl);
	b2b(&c, d->seed, d->sl);
	if (inner) {
		u16(&c, TPM_ALG_AES); u16(&c, 128); u16(&c, TPM_ALG_CFB);
	} else {
		u16(&c, TPM_ALG_NULL);
	}
	rc = exec(&c);
	if (rc == 0 && out) {
		out->priv_len = vtpm_be16(rsp + 14);
		memcpy(out->priv, rsp + 16, out->priv_len);
		memcpy(out->pub, pub, publ);
		out->pub_len = publ;
	}
	return rc;
}

/* The loaded key signs a digest; the signature verifies under xy with OpenSSL. */
static void signs_for(uint32_t h, const uint8_t xy[64])
{
	uint8_t dg[32];

	sha256("imported", 8, dg);
	assert_int_equal(sign(h, dg), 0);
	assert_int_equal(vtpm_be16(rsp + 14), TPM_ALG_ECDSA);
	assert_int_equal(ossl_verify(xy, dg, rsp + 20, rsp + 54), 1);
	dg[0] ^= 1;
	assert_int_not_equal(ossl_verify(xy, dg, rsp + 20, rsp + 54), 1);
}

static void dup_key(uint32_t parent, uint32_t attrs, struct blob *b, uint32_t *h)
{
	uint8_t pol[32];
	struct tp t;

	dup_policy(pol);
	ecc_tp(&t, attrs, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	memmove(t.b + 8 + 32 + 2, t.b + 10, t.n - 10); /* splice in the authPolicy */
	t.b[8] = 0; t.b[9] = 32;
	memcpy(t.b + 10, pol, 32);
	t.n += 32;
	assert_int_equal(create(parent, "", &t, "", NULL, 0, b), 0);
	assert_int_equal(load(parent, b, h), 0);
}

static void test_duplicate_import_round_trip(void **state)
{
	struct blob b, ib;
	struct dup d;
	struct tp t;
	uint8_t xy[64];
	uint32_t p1, p2, k, ik;

	(void)state;
	assert_int_equal(srk(&p1), 0);
	srk_tp_other(&t, 'n');
	assert_int_equal(create_primary(TPM_RH_OWNER, &t, "", &p2), 0);
	dup_key(p1, A_DUPKEY, &b, &k);
	pub_xy(b.pub, b.pub_len, xy);
	assert_int_equal(flush(p1), 0); /* three object slots: key, new parent, imported key */
	for (int inner = 0; inner < 2; inner++) {
		assert_int_equal(duplicate(k, p2, dup_session(), inner, &d), 0);
		assert_int_equal(d.kl, inner ? 16 : 0);
		assert_int_equal(d.sl, 68); /* an ECDH point for the P-256 parent */
		assert_int_equal(import(p2, b.pub, b.pub_len, &d, inner, &ib), 0);
		assert_int_equal(load(p2, &ib, &ik), 0);
		signs_for(ik, xy);
		assert_int_equal(flush(ik), 0);
		if (inner) {
			d.key[3] ^= 1; /* the wrong inner key */
			assert_int_equal(import(p2, b.pub, b.pub_len, &d, inner, NULL), RC_P(TPM_RC_INTEGRITY, 3));
		}
	}
	/* to TPM_RH_NULL: only the inner wrapper; the test opens it with OpenSSL */
	assert_int_equal(duplicate(k, TPM_RH_NULL, dup_session(), true, &d), 0);
	assert_int_equal(d.sl, 0);
	{
		uint8_t buf[700], name[34], want[32], hin[700];
		name_of_pub(b.pub, b.pub_len, name);
		memcpy(buf, d.dup, d.dl);
		cfb128(d.key, 16, buf, d.dl, 0);
		assert_int_equal(vtpm_be16(buf), 32);
		memcpy(hin, buf + 34, d.dl - 34u);
		memcpy(hin + d.dl - 34, name, 34);
		sha256(hin, d.dl - 34u + 34u, want);
		assert_memory_equal(buf + 2, want, 32);
		assert_int_equal(vtpm_be16(buf + 34), d.dl - 36);
		assert_int_equal(vtpm_be16(buf + 36), TPM_ALG_ECC);
	}
	assert_int_equal(import(p2, b.pub, b.pub_len, &d, true, &ib), 0);
	assert_int_equal(load(p2, &ib, &ik), 0);
	signs_for(ik, xy);
	/* the old parent is not the one a duplicate for p2 was made for */
	assert_int_equal(duplicate(k, p2, dup_session(), true, &d), 0);
	assert_int_equal(flush(ik), 0);
	assert_int_equal(srk(&p1), 0);
	assert_int_equal(import(p1, b.pub, b.pub_len, &d, true, NULL), RC_P(TPM_RC_INTEGRITY, 3));
	assert_int_equal(import(p2, b.pub, b.pub_len, &d, true, NULL), 0);
}

static void test_duplicate_refusals(void **state)
{
	struct blob b;
	struct dup d;
	uint32_t p1, k, fixed, s;

	(void)state;
	assert_int_equal(srk(&p1), 0);
	/* fixedParent keys cannot be duplicated */
	dup_key(p1, A_KEY | TPMA_OBJECT_SIGN, &b, &fixed);
	assert_int_equal(duplicate(fixed, TPM_RH_NULL, dup_session(), false, &d), RC_H(TPM_RC_ATTRIBUTES, 1));
	assert_int_equal(flush(fixed), 0);
	dup_key(p1, A_DUPKEY, &b, &k);
	/* DUP role: the authValue never authorizes it */
	assert_int_equal(duplicate(k, TPM_RH_NULL, 0, false, &d), TPM_RC_AUTH_TYPE);
	/* a signing key is no new parent */
	assert_int_equal(duplicate(k, k, dup_session(), false, &d), RC_H(TPM_RC_TYPE, 2));
	s = dup_session();
	assert_int_equal(duplicate(k, TPM_RH_NULL, s, false, &d), 0);
	assert_int_equal(d.kl, 0);
	assert_int_equal(d.sl, 0);
}

static void test_encrypted_duplication_needs_both_wrappers(void **state)
{
	struct blob b;
	struct dup d;
	struct tp t;
	uint32_t p1, p2, k;

	(void)state;
	assert_int_equal(srk(&p1), 0);
	srk_tp_other(&t, 'e');
	assert_int_equal(create_primary(TPM_RH_OWNER, &t, "", &p2), 0);
	dup_key(p1, A_DUPKEY | TPMA_OBJECT_ENCRYPTEDDUPLICATION, &b, &k);
	assert_int_equal(duplicate(k, p2, dup_session(), false, &d), RC_P(TPM_RC_SYMMETRIC, 2));
	assert_int_equal(duplicate(k, TPM_RH_NULL, dup_session(), true, &d), RC_H(TPM_RC_HIERARCHY, 2));
	assert_int_equal(duplicate(k, p2, dup_session(), true, &d), 0);
	assert_int_equal(import(p2, b.pub, b.pub_len, &d, true, NULL), 0);
	d.sl = 0;
	assert_int_equal(import(p2, b.pub, b.pub_len, &d, true, NULL), RC_P(TPM_RC_SIZE, 4));
}

/* A persistent key is authorized by its policy like a transient one: Duplicate of a key evicted to
 * 0x81000010 with its PolicyCommandCode(Duplicate) session, then Import and Load elsewhere. */
static void test_duplicate_of_a_persistent_key(void **state)
{
	struct blob b, ib;
	struct dup d;
	struct tp t;
	struct cb c;
	uint8_t xy[64];
	uint32_t p1, p2, k, ik, ph = 0x81000010u;

	(void)state;
	assert_int_equal(srk(&p1), 0);
	dup_key(p1, A_DUPKEY, &b, &k);
	pub_xy(b.pub, b.pub_len, xy);
	start(&c, TPM_ST_SESSIONS, TPM_CC_EvictControl);
	u32(&c, TPM_RH_OWNER); u32(&c, k); pw(&c, ""); u32(&c, ph);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(flush(k), 0);
	assert_int_equal(flush(p1), 0);
	srk_tp_other(&t, 'p');
	assert_int_equal(create_primary(TPM_RH_OWNER, &t, "", &p2), 0);
	assert_int_equal(duplicate(ph, p2, dup_session(), true, &d), 0);
	assert_int_equal(import(p2, b.pub, b.pub_len, &d, true, &ib), 0);
	assert_int_equal(load(p2, &ib, &ik), 0);
	signs_for(ik, xy);
}

/* A P-384 storage key with SHA-384 nameAlg as protector and as new parent: 48-byte coordinates and
 * seeds on both sides of secret sharing. */
static void test_p384_protector_and_parent(void **state)
{
	struct blob akb, ib;
	struct cred cr;
	struct dup d;
	struct tp t;
	uint8_t name[34], xy[64];
	uint32_t ek, ak, k, ik;

	(void)state;
	if (!vtpm_have_p384())
		skip();
	head(&t, TPM_ALG_ECC, TPM_ALG_SHA384, A_SRK, NULL, 0);
	t16(&t, TPM_ALG_AES); t16(&t, 256); t16(&t, TPM_ALG_CFB);
	t16(&t, TPM_ALG_NULL); t16(&t, TPM_ECC_NIST_P384); t16(&t, TPM_ALG_NULL); t16(&t, 0); t16(&t, 0);
	assert_int_equal(create_primary(TPM_RH_OWNER, &t, "", &ek), 0);
	ecc_tp(&t, A_KEY | TPMA_OBJECT_SIGN, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	assert_int_equal(create(ek, "", &t, "", NULL, 0, &akb), 0);
	assert_int_equal(load(ek, &akb, &ak), 0);
	name_of_pub(akb.pub, akb.pub_len, name);
	assert_int_equal(make_credential(ek, "p384 credential of 48 bytes max", 31, name, 34, &cr), 0);
	assert_int_equal(cr.sl, 2 + 48 + 2 + 48);
	assert_int_equal(vtpm_be16(cr.blob), 48); /* integrity: a SHA-384 HMAC */
	assert_int_equal(activate(ak, ek, &cr), 0);
	assert_memory_equal(rsp + 16, "p384 credential of 48 bytes max", 31);
	cr.blob[60] ^= 1;
	assert_int_equal(activate(ak, ek, &cr), RC_P(TPM_RC_INTEGRITY, 1));
	assert_int_equal(flush(ak), 0);
	/* a duplicable P-256 key under an ordinary SRK, duplicated to the P-384 parent */
	assert_int_equal(srk(&ak), 0);
	dup_key(ak, A_DUPKEY, &akb, &k);
	assert_int_equal(flush(ak), 0);
	pub_xy(akb.pub, akb.pub_len, xy);
	assert_int_equal(duplicate(k, ek, dup_session(), true, &d), 0);
	assert_int_equal(d.sl, 2 + 48 + 2 + 48);
	assert_int_equal(import(ek, akb.pub, akb.pub_len, &d, true, &ib), 0);
	assert_int_equal(flush(k), 0);
	assert_int_equal(load(ek, &ib, &ik), 0);
	signs_for(ik, xy);
}

/* ---- Import of a key wrapped by the test ---- */

/* TPMT_PUBLIC of an ECDSA P-256 signing key with point xy, importable (no fixedTPM/fixedParent) */
static void ext_pub(struct tp *t, uint32_t attrs, const uint8_t xy[64])
{
	ecc_tp(t, attrs, 0, 0, TPM_ALG_ECDSA, TPM_ECC_NIST_P256);
	t->n -= 4;
	t2b(t, xy, 32);
	t2b(t, xy + 32, 32);
}

/* The duplicate of (pub, sensitive key of type) for the P-256 storage key parent_xy, inner key ik
 * (16 bytes) or none. */
static void wrap_key(const struct tp *pub, uint16_t type, const uint8_t *key, uint16_t kl,
		     const uint8_t parent_xy[64], const uint8_t *ik, struct dup *out)
{
	uint8_t sens[400], inner[500], name[34], seed[32], hin[500];
	size_t sl = 0, il;

	name_of_pub(pub->b, pub->n, name);
	/* TPM2B_SENSITIVE: size || type || authValue "" || seedValue "" || TPM2B key */
	vtpm_set_be16(sens + 2, type); sl = 4;
	sens[sl++] = 0; sens[sl++] = 0;
	sens[sl++] = 0; sens[sl++] = 0;
	vtpm_set_be16(sens + sl, kl); sl += 2;
	memcpy(sens + sl, key, kl); sl += kl;
	vtpm_set_be16(sens, (uint16_t)(sl - 2));
	if (ik) {
		memcpy(hin, sens, sl);
		memcpy(hin + sl, name, 34);
		inner[0] = 0; inner[1] = 32;
		sha256(hin, sl + 34, inner + 2);
		memcpy(inner + 34, sens, sl);
		il = 34 + sl;
		cfb128(ik, 16, inner, il, 1);
		memcpy(out->key, ik, 16);
		out->kl = 16;
	} else {
		memcpy(inner, sens, sl);
		il = sl;
		out->kl = 0;
	}
	out->sl = (uint16_t)ecc_share(parent_xy, "DUPLICATE", seed, out->seed);
	out->dl = (uint16_t)outer_wrap(seed, name, 34, inner, il, out->dup);
}

static void wrap_external(const struct tp *pub, const uint8_t d32[32], const uint8_t parent_xy[64],
			  const uint8_t *ik, struct dup *out)
{
	wrap_key(pub, TPM_ALG_ECC, d32, 32, parent_xy, ik, out);
}

/* An OpenSSL RSA-2048 key: n and the prime p */
static void rsa_keypair(uint8_t n[256], uint8_t p[128])
{
	RSA *r = RSA_new();
	BIGNUM *e = BN_new();
	const BIGNUM *bn, *bp;

	BN_set_word(e, 65537);
	assert_int_equal(RSA_generate_key_ex(r, 2048, e, NULL), 1);
	RSA_get0_key(r, &bn, NULL, NULL);
	RSA_get0_factors(r, &bp, NULL);
	BN_bn2binpad(bn, n, 256);
	BN_bn2binpad(bp, p, 128);
	BN_free(e);
	RSA_free(r);
}

/* An RSA key from OpenSSL imported (prime p in the sensitive area, Part 2, 11.2.4.5): it signs with
 * RSASSA and OpenSSL verifies; a prime of another key is refused (TPM_RC_BINDING). */
static void test_import_of_an_openssl_rsa_key(void **state)
{
	uint8_t n[256], p[128], n2[256], p2[128], dg[32];
	struct blob ib;
	struct dup dp;
	struct tp pub;
	uint32_t par, h;

	(void)state;
	if (!have_rsa())
		skip();
	assert_int_equal(srk(&par), 0);
	rsa_keypair(n, p);
	head(&pub, TPM_ALG_RSA, TPM_ALG_SHA256, TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_SIGN, NULL, 0);
	t16(&pub, TPM_ALG_NULL); t16(&pub, TPM_ALG_RSASSA); t16(&pub, TPM_ALG_SHA256);
	t16(&pub, 2048); t32(&pub, 0); t2b(&pub, n, 256);
	wrap_key(&pub, TPM_ALG_RSA, p, 128, obj(par)->ecc_xy, NULL, &dp);
	assert_int_equal(import(par, pub.b, (uint16_t)pub.n, &dp, false, &ib), 0);
	assert_int_equal(load(par, &ib, &h), 0);
	sha256("rsa import", 10, dg);
	assert_int_equal(sign(h, dg), 0);
	assert_int_equal(vtpm_be16(rsp + 14), TPM_ALG_RSASSA);
	assert_int_equal(vtpm_be16(rsp + 18), 256);
	{
		RSA *r = RSA_new();
		RSA_set0_key(r, BN_bin2bn(n, 256, NULL), BN_bin2bn((const uint8_t *)"\x01\x00\x01", 3, NULL), NULL);
		assert_int_equal(RSA_verify(NID_sha256, dg, 32, rsp + 20, 256, r), 1);
		dg[5] ^= 1;
		assert_int_not_equal(RSA_verify(NID_sha256, dg, 32, rsp + 20, 256, r), 1);
		RSA_free(r);
	}
	rsa_keypair(n2, p2);
	wrap_key(&pub, TPM_ALG_RSA, p2, 128, obj(par)->ecc_xy, NULL, &dp);
	assert_int_equal(import(par, pub.b, (uint16_t)pub.n, &dp, false, NULL), RC_P(TPM_RC_BINDING, 3));
}

static void test_import_of_an_openssl_key(void **state)
{
	static const uint8_t ik[16] = "inner key 16 by";
	uint8_t d[32], xy[64], d2[32], xy2[64];
	struct blob ib;
	struct dup dp;
	struct tp pub;
	uint32_t p, h;

	(void)state;
	assert_int_equal(srk(&p), 0);
	ec_keypair(d, xy);
	ext_pub(&pub, A_DUPKEY & ~TPMA_OBJECT_SENSITIVEDATAORIGIN, xy);
	for (int inner = 0; inner < 2; inner++) {
		wrap_external(&pub, d, obj(p)->ecc_xy, inner ? ik : NULL, &dp);
		assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, inner, &ib), 0);
		assert_int_equal(load(p, &ib, &h), 0);
		signs_for(h, xy);
		assert_int_equal(flush(h), 0);
	}
	/* the sensitive area must belong to the public one */
	ec_keypair(d2, xy2);
	wrap_external(&pub, d2, obj(p)->ecc_xy, ik, &dp);
	assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, true, NULL), RC_P(TPM_RC_BINDING, 3));
	/* a tampered duplicate, a wrong inner key size, a missing inner wrapper */
	wrap_external(&pub, d, obj(p)->ecc_xy, ik, &dp);
	dp.dup[50] ^= 4;
	assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, true, NULL), RC_P(TPM_RC_INTEGRITY, 3));
	wrap_external(&pub, d, obj(p)->ecc_xy, ik, &dp);
	dp.kl = 15;
	assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, true, NULL), RC_P(TPM_RC_SIZE, 1));
	dp.kl = 16;
	assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, false, NULL), RC_P(TPM_RC_SIZE, 1));
	dp.kl = 0;
	assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, false, NULL), RC_P(TPM_RC_INTEGRITY, 3));
	/* fixedParent objects cannot be imported */
	ext_pub(&pub, A_DUPKEY | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_FIXEDTPM, xy);
	wrap_external(&pub, d, obj(p)->ecc_xy, ik, &dp);
	assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, true, NULL), RC_P(TPM_RC_ATTRIBUTES, 2));
	/* a signing key is no parent */
	ext_pub(&pub, A_DUPKEY, xy);
	wrap_external(&pub, d, obj(p)->ecc_xy, ik, &dp);
	assert_int_equal(import(p, pub.b, (uint16_t)pub.n, &dp, true, &ib), 0);
	assert_int_equal(load(p, &ib, &h), 0);
	assert_int_equal(import(h, pub.b, (uint16_t)pub.n, &dp, true, NULL), RC_H(TPM_RC_TYPE, 1));
	assert_int_equal(objects_used(), 2);
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
		cmocka_unit_test_setup_teardown(test_p384_protector_and_parent, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_import_round_trip, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_refusals, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_encrypted_duplication_needs_both_wrappers, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_of_a_persistent_key, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_import_of_an_openssl_key, setup_started, teardown),
		cmocka_unit_test_setup_teardown(test_import_of_an_openssl_rsa_key, setup_started, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
