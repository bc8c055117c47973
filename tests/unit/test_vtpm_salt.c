/* vTPM salted sessions (Part 1, 19.6.8 and C.6.1; Part 3, 11.1): the test encrypts a salt to an
 * ECC P-256 decryption key (ephemeral ECDH + KDFe with OpenSSL), derives the sessionKey itself
 * (KDFa "ATH"), and proves the TPM derived the same one: the command HMAC it computes is accepted,
 * AES-CFB-encrypted NV data decrypts to the plaintext, the response HMAC verifies. Bad points,
 * encodings and keys get the spec's error codes and leave no session.
 *
 * CreatePrimary does not make ECC decryption keys yet (the object model is being rebuilt), so the
 * key object is put into a slot directly: a P-256 scalar chosen here, its point from OpenSSL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>

#include "vtpm/internal.h"

#include "tests/unit/vtpm_harness.h"

#define IDX 0x01500020u
#define NV_ATTRS (TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD | TPMA_NV_AUTHREAD | TPMA_NV_AUTHWRITE)

static void sha256(const void *p, size_t n, uint8_t out[32])
{
	EVP_Digest(p, n, out, NULL, EVP_sha256(), NULL);
}

static void hmac256(const void *key, size_t kl, const void *data, size_t n, uint8_t out[32])
{
	unsigned l;
	HMAC(EVP_sha256(), key, (int)kl, data, n, out, &l);
}

/* KDFa(SHA-256, key, label, u || v, bits), SP 800-108 counter mode written out on OpenSSL's HMAC */
static void kdfa(const uint8_t *key, size_t kl, const char *label, const uint8_t *u, size_t ul, const uint8_t *v,
		 size_t vl, uint8_t *out, uint32_t bits)
{
	for (uint32_t i = 1, done = 0; done < bits / 8; i++, done += 32) {
		uint8_t in[512], blk[32];
		size_t n = 0, ll = strlen(label) + 1;
		vtpm_set_be32(in, i); n = 4;
		memcpy(in + n, label, ll); n += ll;
		memcpy(in + n, u, ul); n += ul;
		memcpy(in + n, v, vl); n += vl;
		vtpm_set_be32(in + n, bits); n += 4;
		hmac256(key, kl, in, n, blk);
		memcpy(out + done, blk, bits / 8 - done < 32 ? bits / 8 - done : 32);
	}
}

/* KDFe(SHA-256, Z, "SECRET", partyU, partyV, 256): one block of SP 800-56A's concatenation KDF */
static void kdfe_secret(const uint8_t z[32], const uint8_t *u, size_t ul, const uint8_t *v, size_t vl, uint8_t out[32])
{
	uint8_t in[256];
	size_t n = 0;
	vtpm_set_be32(in, 1); n = 4;
	memcpy(in + n, z, 32); n += 32;
	memcpy(in + n, "SECRET", 7); n += 7;
	memcpy(in + n, u, ul); n += ul;
	memcpy(in + n, v, vl); n += vl;
	sha256(in, n, out);
}

/* scalar * point (or * G when point is NULL) on P-256; x || y out */
static void p256_mul(const uint8_t d[32], const uint8_t *point, uint8_t xy[64])
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *r = EC_POINT_new(g), *p = NULL;
	BIGNUM *bn = BN_bin2bn(d, 32, NULL), *x = BN_new(), *y = BN_new();

	if (point) {
		BIGNUM *px = BN_bin2bn(point, 32, NULL), *py = BN_bin2bn(point + 32, 32, NULL);
		p = EC_POINT_new(g);
		assert_int_equal(EC_POINT_set_affine_coordinates(g, p, px, py, NULL), 1);
		assert_int_equal(EC_POINT_mul(g, r, NULL, p, bn, NULL), 1);
		BN_free(px); BN_free(py);
	} else {
		assert_int_equal(EC_POINT_mul(g, r, bn, NULL, NULL, NULL), 1);
	}
	assert_int_equal(EC_POINT_get_affine_coordinates(g, r, x, y, NULL), 1);
	BN_bn2binpad(x, xy, 32);
	BN_bn2binpad(y, xy + 32, 32);
	BN_free(bn); BN_free(x); BN_free(y);
	EC_POINT_free(r); EC_POINT_free(p);
	EC_GROUP_free(g);
}

static const uint8_t key_d[32] = { 0x51, 0x7a, 0x11, 0x02, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
				   0xcc, 0xdd, 0xee, 0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96,
				   0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0 };
static uint8_t key_xy[64];

/* An ECC P-256 key object with the given attributes, as the object model would hold it. */
static uint32_t put_key(uint32_t attrs)
{
	struct vtpm_object *o = vtpm_object_alloc(T);
	uint32_t h;

	assert_non_null(o);
	h = o->handle;
	memset(o, 0, sizeof(*o));
	o->used = true;
	o->handle = h;
	o->kind = VTPM_OBJ_ECC;
	o->name_alg = TPM_ALG_SHA256;
	o->attrs = attrs;
	o->hierarchy = TPM_RH_OWNER;
	o->scheme = TPM_ALG_NULL;
	o->has_sensitive = true;
	o->tp.type = TPM_ALG_ECC;
	o->tp.curve = TPM_ECC_NIST_P256;
	p256_mul(key_d, NULL, key_xy);
	memcpy(o->key, key_d, 32);
	o->key_len = 32;
	memcpy(o->ecc_xy, key_xy, 64);
	vtpm_set_be16(o->name, TPM_ALG_SHA256);
	sha256(key_xy, 64, o->name + 2);
	o->name_len = 34;
	return h;
}

/* encryptedSalt for the key: TPMS_ECC_POINT of Qe = e·G; salt = KDFe(Z = x(e·Qkey), Qe.x, Qkey.x) */
static size_t make_salt(const uint8_t e[32], uint8_t *enc, uint8_t salt[32])
{
	uint8_t qe[64], z[64];

	p256_mul(e, NULL, qe);
	p256_mul(e, key_xy, z);
	kdfe_secret(z, qe, 32, key_xy, 32, salt);
	vtpm_set_be16(enc, 32); memcpy(enc + 2, qe, 32);
	vtpm_set_be16(enc + 34, 32); memcpy(enc + 36, qe + 32, 32);
	return 68;
}

static unsigned sessions_used(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < VTPM_SESSIONS; i++)
		n += T->sessions[i].used;
	return n;
}

static const uint8_t nc0[16] = "caller-nonce-016";

static uint32_t start_salted(uint32_t key, uint32_t bind, const uint8_t *enc, size_t el, uint8_t nt[32], uint32_t *h)
{
	struct cb c;
	uint32_t rc;

	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_StartAuthSession);
	u32(&c, key); u32(&c, bind);
	b2b(&c, nc0, 16); b2b(&c, enc, (uint16_t)el);
	u8(&c, TPM_SE_HMAC); u16(&c, TPM_ALG_AES); u16(&c, 128); u16(&c, TPM_ALG_CFB); u16(&c, TPM_ALG_SHA256);
	rc = exec(&c);
	if (rc == 0) {
		*h = vtpm_be32(rsp + 10);
		assert_int_equal(vtpm_be16(rsp + 14), 32);
		memcpy(nt, rsp + 16, 32);
	}
	return rc;
}

static uint32_t nv_define(uint32_t idx)
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_DefineSpace);
	u32(&c, TPM_RH_OWNER); pw(&c, "ownerpw");
	u16(&c, 0);
	u16(&c, 14); u32(&c, idx); u16(&c, TPM_ALG_SHA256); u32(&c, NV_ATTRS); u16(&c, 0); u16(&c, 16);
	return exec(&c);
}

static void nv_name(uint32_t idx, uint8_t name[34])
{
	struct cb c;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_NV_ReadPublic);
	u32(&c, idx);
	assert_int_equal(exec(&c), 0);
	const uint8_t *p = rsp + 10;
	p += 2 + vtpm_be16(p);
	assert_int_equal(vtpm_be16(p), 34);
	memcpy(name, p + 2, 34);
}

/* NV_Write(owner, idx, data) through session h whose HMAC key is hkey (sessionKey, plus authValue when
 * not bound), with the data AES-128-CFB encrypted under the session when decrypt is set.
 * Checks the response HMAC when the command succeeds. */
static uint32_t nv_write_session(uint32_t h, uint8_t nt[32], const uint8_t *skey, const uint8_t *hkey, size_t hkl,
				 uint32_t idx, const uint8_t plain[16], bool decrypt)
{
	uint8_t nc[16], data[16], kiv[32], buf[256], cp[32], mac[32], name[34], rp[32];
	uint8_t attrs = TPMA_SESSION_CONTINUESESSION | (decrypt ? TPMA_SESSION_DECRYPT : 0);
	EVP_CIPHER_CTX *x;
	struct cb c;
	size_t n;
	int ol;
	uint32_t rc;

	memset(nc, 0x5e, 16);
	memcpy(data, plain, 16);
	if (decrypt) {
		/* CFB key || iv = KDFa(SHA-256, sessionKey || authValue, "CFB", nonceCaller, nonceTPM, 256) */
		kdfa(hkey, hkl, "CFB", nc, 16, nt, 32, kiv, 256);
		x = EVP_CIPHER_CTX_new();
		assert_int_equal(EVP_EncryptInit_ex(x, EVP_aes_128_cfb128(), NULL, kiv, kiv + 16), 1);
		assert_int_equal(EVP_EncryptUpdate(x, data, &ol, plain, 16), 1);
		EVP_CIPHER_CTX_free(x);
		assert_memory_not_equal(data, plain, 16);
	}
	(void)skey;
	nv_name(idx, name);
	vtpm_set_be32(buf, TPM_CC_NV_Write); n = 4;
	vtpm_set_be32(buf + n, TPM_RH_OWNER); n += 4;
	memcpy(buf + n, name, 34); n += 34;
	vtpm_set_be16(buf + n, 16); n += 2;
	memcpy(buf + n, data, 16); n += 16;
	vtpm_set_be16(buf + n, 0); n += 2;
	sha256(buf, n, cp);
	memcpy(buf, cp, 32); memcpy(buf + 32, nc, 16); memcpy(buf + 48, nt, 32); buf[80] = attrs;
	hmac256(hkey, hkl, buf, 81, mac);
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_Write);
	u32(&c, TPM_RH_OWNER); u32(&c, idx);
	u32(&c, 4 + 2 + 16 + 1 + 2 + 32); u32(&c, h); b2b(&c, nc, 16); u8(&c, attrs); b2b(&c, mac, 32);
	b2b(&c, data, 16); u16(&c, 0);
	rc = exec(&c);
	if (rc)
		return rc;
	/* response: paramSize 0, nonceTPM', attrs, HMAC(key, rpHash || nonceTPM' || nonceCaller || attrs) */
	assert_int_equal(vtpm_be32(rsp + 10), 0);
	memcpy(nt, rsp + 16, 32);
	vtpm_set_be32(buf, 0); vtpm_set_be32(buf + 4, TPM_CC_NV_Write);
	sha256(buf, 8, rp);
	memcpy(buf, rp, 32); memcpy(buf + 32, nt, 32); memcpy(buf + 64, nc, 16); buf[80] = attrs;
	hmac256(hkey, hkl, buf, 81, mac);
	assert_memory_equal(rsp + 51, mac, 32);
	return 0;
}

static void nv_read_plain(uint32_t idx, uint8_t out[16])
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_Read);
	u32(&c, TPM_RH_OWNER); u32(&c, idx); pw(&c, "ownerpw");
	u16(&c, 16); u16(&c, 0);
	assert_int_equal(exec(&c), 0);
	memcpy(out, rsp + 16, 16);
}

static int setup_owner(void **state)
{
	struct cb c;
	setup_started(state);
	start(&c, TPM_ST_SESSIONS, TPM_CC_HierarchyChangeAuth);
	u32(&c, TPM_RH_OWNER); pw(&c, ""); b2b(&c, "ownerpw", 7);
	assert_int_equal(exec(&c), 0);
	assert_int_equal(nv_define(IDX), 0);
	return 0;
}

/* ---- tests ---- */

/* Salted, unbound: sessionKey = KDFa(SHA-256, salt, "ATH", nonceTPM, nonceCaller, 256). The HMAC
 * key for the owner is sessionKey || ownerAuth; the parameter is AES-CFB encrypted under it. */
static void test_salted_session_key_hmac_and_decrypt(void **state)
{
	(void)state;
	const uint8_t e[32] = { 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 };
	const uint8_t plain[16] = "salted-and-encr!";
	uint8_t enc[80], salt[32], nt[32], skey[32], hkey[64], got[16];
	uint32_t key = put_key(TPMA_OBJECT_DECRYPT | TPMA_OBJECT_USERWITHAUTH), h;
	size_t el = make_salt(e, enc, salt);

	assert_int_equal(start_salted(key, TPM_RH_NULL, enc, el, nt, &h), 0);
	kdfa(salt, 32, "ATH", nt, 32, nc0, 16, skey, 256);
	memcpy(hkey, skey, 32); memcpy(hkey + 32, "ownerpw", 7);
	assert_int_equal(nv_write_session(h, nt, skey, hkey, 39, IDX, plain, true), 0);
	nv_read_plain(IDX, got);
	assert_memory_equal(got, plain, 16);
	/* the same again with the rolled nonces */
	assert_int_equal(nv_write_session(h, nt, skey, hkey, 39, IDX, (const uint8_t *)"second-write-ok!", true), 0);
	nv_read_plain(IDX, got);
	assert_memory_equal(got, "second-write-ok!", 16);
	/* a key computed as if there were no salt is wrong */
	{
		uint8_t nosalt[64];
		kdfa((const uint8_t *)"", 0, "ATH", nt, 32, nc0, 16, nosalt, 256);
		memcpy(nosalt + 32, "ownerpw", 7);
		assert_int_equal(nv_write_session(h, nt, nosalt, nosalt, 39, IDX, plain, false), RC_S(TPM_RC_AUTH_FAIL, 1));
	}
}

/* Salted and bound to the owner: sessionKey = KDFa(ownerAuth || salt, ...); authorizing the bind
 * entity leaves the authValue out of the HMAC key. */
static void test_salted_and_bound_session(void **state)
{
	(void)state;
	const uint8_t e[32] = { 0x33, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 };
	uint8_t enc[80], salt[32], nt[32], skey[32], secret[64], got[16];
	uint32_t key = put_key(TPMA_OBJECT_DECRYPT | TPMA_OBJECT_USERWITHAUTH), h;
	size_t el = make_salt(e, enc, salt);

	assert_int_equal(start_salted(key, TPM_RH_OWNER, enc, el, nt, &h), 0);
	memcpy(secret, "ownerpw", 7); memcpy(secret + 7, salt, 32);
	kdfa(secret, 39, "ATH", nt, 32, nc0, 16, skey, 256);
	assert_int_equal(nv_write_session(h, nt, skey, skey, 32, IDX, (const uint8_t *)"bound+salted-key", true), 0);
	nv_read_plain(IDX, got);
	assert_memory_equal(got, "bound+salted-key", 16);
}

/* A valid point other than the one the salt was computed for: the TPM derives another salt, so the
 * caller's HMAC fails. */
static void test_salt_from_another_point_gives_another_key(void **state)
{
	(void)state;
	const uint8_t e1[32] = { 0x44, 9 }, e2[32] = { 0x45, 9 };
	uint8_t enc1[80], enc2[80], salt1[32], salt2[32], nt[32], skey[32], hkey[64];
	uint32_t key = put_key(TPMA_OBJECT_DECRYPT | TPMA_OBJECT_USERWITHAUTH), h;

	make_salt(e1, enc1, salt1);
	size_t el = make_salt(e2, enc2, salt2);
	assert_int_equal(start_salted(key, TPM_RH_NULL, enc2, el, nt, &h), 0);
	kdfa(salt1, 32, "ATH", nt, 32, nc0, 16, skey, 256);
	memcpy(hkey, skey, 32); memcpy(hkey + 32, "ownerpw", 7);
	assert_int_equal(nv_write_session(h, nt, skey, hkey, 39, IDX, (const uint8_t *)"never written...", false),
			 RC_S(TPM_RC_AUTH_FAIL, 1));
}

/* Every malformed salt or unsuitable key: the spec's code, no session left behind. */
static void test_bad_salts_and_keys_are_refused(void **state)
{
	(void)state;
	const uint8_t e[32] = { 0x21, 3 };
	uint8_t enc[80], bad[80], salt[32], nt[32];
	uint32_t key = put_key(TPMA_OBJECT_DECRYPT | TPMA_OBJECT_USERWITHAUTH);
	uint32_t sign_key = put_key(TPMA_OBJECT_SIGN | TPMA_OBJECT_USERWITHAUTH), h;
	size_t el = make_salt(e, enc, salt);

	/* a point not on the curve */
	memcpy(bad, enc, el);
	bad[40] ^= 1;
	assert_int_equal(start_salted(key, TPM_RH_NULL, bad, el, nt, &h), RC_P(TPM_RC_VALUE, 2));
	/* the point at infinity as (0, 0) */
	memset(bad, 0, sizeof(bad));
	vtpm_set_be16(bad, 32); vtpm_set_be16(bad + 34, 32);
	assert_int_equal(start_salted(key, TPM_RH_NULL, bad, 68, nt, &h), RC_P(TPM_RC_VALUE, 2));
	/* a coordinate of 33 bytes, a trailing byte, a truncated point, an empty salt */
	memset(bad, 0, sizeof(bad));
	vtpm_set_be16(bad, 33); memcpy(bad + 3, enc + 2, 32);
	vtpm_set_be16(bad + 35, 32); memcpy(bad + 37, enc + 36, 32);
	assert_int_equal(start_salted(key, TPM_RH_NULL, bad, 69, nt, &h), RC_P(TPM_RC_VALUE, 2));
	memcpy(bad, enc, el); bad[el] = 0;
	assert_int_equal(start_salted(key, TPM_RH_NULL, bad, el + 1, nt, &h), RC_P(TPM_RC_VALUE, 2));
	assert_int_equal(start_salted(key, TPM_RH_NULL, enc, el - 1, nt, &h), RC_P(TPM_RC_VALUE, 2));
	assert_int_equal(start_salted(key, TPM_RH_NULL, enc, 0, nt, &h), RC_P(TPM_RC_VALUE, 2));
	/* a salt without a key */
	assert_int_equal(start_salted(TPM_RH_NULL, TPM_RH_NULL, enc, el, nt, &h), RC_P(TPM_RC_VALUE, 2));
	/* a signing key cannot decrypt; a handle that is not loaded */
	assert_int_equal(start_salted(sign_key, TPM_RH_NULL, enc, el, nt, &h), RC_H(TPM_RC_ATTRIBUTES, 1));
	assert_int_equal(start_salted(0x80FFFFFFu, TPM_RH_NULL, enc, el, nt, &h), RC_H(TPM_RC_HANDLE, 1));
	assert_int_equal(sessions_used(), 0);
	/* and the good one still works */
	assert_int_equal(start_salted(key, TPM_RH_NULL, enc, el, nt, &h), 0);
	assert_int_equal(sessions_used(), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_salted_session_key_hmac_and_decrypt, setup_owner, teardown),
		cmocka_unit_test_setup_teardown(test_salted_and_bound_session, setup_owner, teardown),
		cmocka_unit_test_setup_teardown(test_salt_from_another_point_gives_another_key, setup_owner, teardown),
		cmocka_unit_test_setup_teardown(test_bad_salts_and_keys_are_refused, setup_owner, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
