/* ECDH_KeyGen and ECDH_ZGen (TPM 2.0 Library Part 3, 14.5 and 14.6) on P-256 and P-384 keys. Both
 * return the whole shared point d·Q (TPMS_ECC_POINT), not only its x coordinate: the caller runs the
 * KDF. Every point from outside is validated by core/crypto before it is multiplied. */
#include "core/str.h"
#include "vtpm/internal.h"

bool vtpm_ecc_dh_point(uint16_t curve, const uint8_t *d, const uint8_t *peer, uint8_t *xy)
{
	if (curve == TPM_ECC_NIST_P256)
		return crypto_ecdh_p256_point(d, peer, xy);
	return crypto_ecdh_p384_point(d, peer, xy);
}

/* TPM2B_ECC_POINT with full-size coordinates (sz bytes each). */
static void put_point(struct vtpm_wr *w, const uint8_t *xy, size_t sz)
{
	vtpm_put_u16(w, (uint16_t)(4u + 2u * sz));
	vtpm_put_tpm2b(w, xy, (uint16_t)sz);
	vtpm_put_tpm2b(w, xy + sz, (uint16_t)sz);
}

/* TPM2B_ECC_POINT (parameter n) into xy, shorter coordinates left-padded with zeros. */
static uint32_t get_point(struct vtpm_rd *r, unsigned n, size_t sz, uint8_t *xy)
{
	uint8_t x[CRYPTO_P384_SCALAR], y[CRYPTO_P384_SCALAR];
	uint16_t outer, xl, yl;
	size_t before;
	uint32_t rc;

	if (!vtpm_get_u16(r, &outer))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	before = r->off;
	rc = vtpm_get_tpm2b(r, x, &xl, sz);
	if (!rc)
		rc = vtpm_get_tpm2b(r, y, &yl, sz);
	if (rc)
		return vtpm_param_rc(rc, n);
	if (r->off - before != outer)
		return RC_P(TPM_RC_SIZE, n);
	memset(xy, 0, 2 * sz);
	memcpy(xy + sz - xl, x, xl);
	memcpy(xy + 2 * sz - yl, y, yl);
	return 0;
}

/* ECDH_KeyGen: an ephemeral d_e from the DRBG, Q_e = d_e·G and Z = d_e·Q_key. Only the public part
 * of keyHandle is used, so any loaded ECC key qualifies (Part 3, 14.5: TPM_RC_KEY otherwise). */
uint32_t vtpm_cmd_ecdh_keygen(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t seed[32], d[CRYPTO_P384_SCALAR], q[CRYPTO_P384_POINT], z[CRYPTO_P384_POINT];
	struct vtpm_object *o = vtpm_object_find(t, c->handles[0]);
	size_t sz;
	bool ok;

	if (!o)
		return RC_H(TPM_RC_HANDLE, 1);
	if (o->kind != VTPM_OBJ_ECC)
		return RC_H(TPM_RC_KEY, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	sz = vtpm_ecc_size(o->tp.curve);
	vtpm_random(t, seed, sizeof(seed));
	ok = vtpm_ecc_derive(o->tp.curve, CRYPTO_SHA256, seed, sizeof(seed), "ECDH_KeyGen", NULL, 0, NULL, 0, d) &&
	     vtpm_ecc_public(o->tp.curve, d, q) && vtpm_ecc_dh_point(o->tp.curve, d, o->ecc_xy, z);
	crypto_wipe(seed, sizeof(seed));
	crypto_wipe(d, sizeof(d));
	if (!ok) {
		crypto_wipe(z, sizeof(z));
		return TPM_RC_NO_RESULT;
	}
	put_point(&c->out, z, sz);
	put_point(&c->out, q, sz);
	crypto_wipe(z, sizeof(z));
	return 0;
}

/* ECDH_ZGen: Z = d_key·inPoint with an unrestricted decryption ECC key whose scheme is ECDH or
 * NULL (Part 3, 14.6). */
uint32_t vtpm_cmd_ecdh_zgen(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t q[CRYPTO_P384_POINT], z[CRYPTO_P384_POINT];
	struct vtpm_object *o = vtpm_object_find(t, c->handles[0]);
	size_t sz;
	uint32_t rc;

	if (!o)
		return RC_H(TPM_RC_HANDLE, 1);
	if (o->kind != VTPM_OBJ_ECC || !o->has_sensitive)
		return RC_H(TPM_RC_KEY, 1);
	if ((o->attrs & TPMA_OBJECT_RESTRICTED) || !(o->attrs & TPMA_OBJECT_DECRYPT))
		return RC_H(TPM_RC_ATTRIBUTES, 1);
	if (o->scheme != TPM_ALG_NULL && o->scheme != TPM_ALG_ECDH)
		return RC_H(TPM_RC_SCHEME, 1);
	sz = vtpm_ecc_size(o->tp.curve);
	rc = get_point(&c->in, 1, sz, q);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (!vtpm_ecc_point_valid(o->tp.curve, q))
		return RC_P(TPM_RC_ECC_POINT, 1);
	if (!vtpm_ecc_dh_point(o->tp.curve, o->key, q, z)) {
		crypto_wipe(z, sizeof(z));
		return TPM_RC_NO_RESULT;
	}
	put_point(&c->out, z, sz);
	crypto_wipe(z, sizeof(z));
	return 0;
}
