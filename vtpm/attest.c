/* Attestation commands besides Quote (TPM 2.0 Library Part 3, 18): Certify, CertifyCreation,
 * GetTime and NV_Certify. Each builds a TPMS_ATTEST (Part 2, 10.12.12) through sign.c's
 * vtpm_attest_begin/finish, so header, clock obfuscation and signing are Quote's; the signing key
 * may be TPM_RH_NULL, which gives the structure with a TPM_ALG_NULL signature. */
#include "core/str.h"
#include "vtpm/internal.h"

#define DATA_MAX 66u /* TPM2B_DATA: sizeof(TPMT_HA) */

/* qualifyingData and inScheme, the first two parameters of every command here. */
struct attest_in {
	uint8_t extra[DATA_MAX];
	uint16_t extra_len;
	struct vtpm_attest_sig s;
};

static uint32_t get_common(struct vtpm_cmd *c, const struct vtpm_object *signer, unsigned n, struct attest_in *in)
{
	uint32_t rc = vtpm_get_tpm2b(&c->in, in->extra, &in->extra_len, sizeof(in->extra));

	if (rc)
		return vtpm_param_rc(rc, n);
	return vtpm_attest_scheme(&c->in, n + 1, signer, &in->s);
}

/* Certify (Part 3, 18.2): objectHandle (ADMIN role) is certified by signHandle. TPMS_CERTIFY_INFO =
 * { Name, qualifiedName } of the object. */
uint32_t vtpm_cmd_certify(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_object *o = vtpm_object_find(t, c->handles[0]), *k;
	struct attest_in in;
	size_t start;
	uint32_t rc;

	if (!o || !vtpm_obj_is_key(o))
		return RC_H(TPM_RC_HANDLE, 1);
	rc = vtpm_attest_signer(t, c->handles[1], 2, &k);
	if (!rc)
		rc = get_common(c, k, 1, &in);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	start = vtpm_attest_begin(t, &c->out, TPM_ST_ATTEST_CERTIFY, k, in.extra, in.extra_len);
	vtpm_put_tpm2b(&c->out, o->name, o->name_len);
	vtpm_put_tpm2b(&c->out, o->qname, o->qname_len);
	return vtpm_attest_finish(t, &c->out, start, k, &in.s);
}

/* The creation ticket of object o (Part 2, 10.7.3): HMAC_nameAlg(proof(hierarchy), TPM_ST_CREATION
 * || Name || creationHash), as create.c issues it. A NULL ticket never matches. */
static bool creation_ticket_ok(const struct vtpm *t, const struct vtpm_object *o, uint32_t hier, const uint8_t *chash,
			       uint16_t chl, const uint8_t *tk, uint16_t tkl)
{
	uint8_t proof[32], want[CRYPTO_HASH_MAX_DIGEST], tg[2];
	struct crypto_hmac_ctx m;
	enum crypto_hash_alg h;
	bool ok;

	if (!vtpm_hash_from_alg(o->name_alg, &h) || tkl != crypto_hash_size(h) || !vtpm_hierarchy_proof(t, hier, proof))
		return false;
	vtpm_set_be16(tg, TPM_ST_CREATION);
	crypto_hmac_init(&m, h, proof, sizeof(proof));
	crypto_hmac_update(&m, tg, 2);
	crypto_hmac_update(&m, o->name, o->name_len);
	crypto_hmac_update(&m, chash, chl);
	crypto_hmac_final(&m, want);
	ok = crypto_ct_equal(want, tk, tkl);
	crypto_wipe(proof, sizeof(proof));
	return ok;
}

/* CertifyCreation (Part 3, 18.3): the ticket proves the TPM created objectHandle with creationHash.
 * TPMS_CREATION_INFO = { objectName, creationHash }. */
uint32_t vtpm_cmd_certify_creation(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t chash[CRYPTO_HASH_MAX_DIGEST], tk[CRYPTO_HASH_MAX_DIGEST];
	uint16_t chl, tag, tkl;
	uint32_t hier, rc;
	struct vtpm_object *o = vtpm_object_find(t, c->handles[1]), *k;
	struct attest_in in;
	size_t start;

	rc = vtpm_attest_signer(t, c->handles[0], 1, &k);
	if (rc)
		return rc;
	if (!o || !vtpm_obj_is_key(o))
		return RC_H(TPM_RC_HANDLE, 2);
	rc = vtpm_get_tpm2b(&c->in, in.extra, &in.extra_len, sizeof(in.extra));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = vtpm_get_tpm2b(&c->in, chash, &chl, sizeof(chash));
	if (rc)
		return vtpm_param_rc(rc, 2);
	rc = vtpm_attest_scheme(&c->in, 3, k, &in.s);
	if (rc)
		return rc;
	if (!vtpm_get_u16(&c->in, &tag) || !vtpm_get_u32(&c->in, &hier))
		return RC_P(TPM_RC_INSUFFICIENT, 4);
	rc = vtpm_get_tpm2b(&c->in, tk, &tkl, sizeof(tk));
	if (rc)
		return vtpm_param_rc(rc, 4);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (tag != TPM_ST_CREATION)
		return RC_P(TPM_RC_TAG, 4);
	if (!creation_ticket_ok(t, o, hier, chash, chl, tk, tkl))
		return RC_P(TPM_RC_TICKET, 4);
	start = vtpm_attest_begin(t, &c->out, TPM_ST_ATTEST_CREATION, k, in.extra, in.extra_len);
	vtpm_put_tpm2b(&c->out, o->name, o->name_len);
	vtpm_put_tpm2b(&c->out, chash, chl);
	return vtpm_attest_finish(t, &c->out, start, k, &in.s);
}

/* GetTime (Part 3, 18.7): authorized by the privacy administrator (the endorsement hierarchy), so
 * TPMS_TIME_ATTEST_INFO = { TPMS_TIME_INFO { time, clockInfo }, firmwareVersion } carries the plain
 * counters while the header's copies stay obfuscated as for every attestation. */
uint32_t vtpm_cmd_get_time(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_object *k;
	struct attest_in in;
	size_t start;
	uint32_t rc;

	if (c->handles[0] != TPM_RH_ENDORSEMENT)
		return RC_H(TPM_RC_VALUE, 1);
	rc = vtpm_attest_signer(t, c->handles[1], 2, &k);
	if (!rc)
		rc = get_common(c, k, 1, &in);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	start = vtpm_attest_begin(t, &c->out, TPM_ST_ATTEST_TIME, k, in.extra, in.extra_len);
	vtpm_put_u64(&c->out, vtpm_time_now(t));
	vtpm_put_u64(&c->out, vtpm_clock_now(t));
	vtpm_put_u32(&c->out, t->p.reset_count);
	vtpm_put_u32(&c->out, t->p.restart_count);
	vtpm_put_u8(&c->out, 1);
	vtpm_put_u64(&c->out, ((uint64_t)VTPM_FIRMWARE_1 << 32) | VTPM_FIRMWARE_2);
	return vtpm_attest_finish(t, &c->out, start, k, &in.s);
}

/* NV_Certify (Part 3, 18.9): signHandle, authHandle (read authorization of the index, as NV_Read),
 * nvIndex. size = offset = 0 asks for TPMS_NV_DIGEST_CERTIFY_INFO (spec 1.59, which Mantle reports):
 * { indexName, H_scheme(whole data) } (empty digest without a signing key); otherwise
 * TPMS_NV_CERTIFY_INFO { indexName, offset, data[offset, offset + size) }. */
uint32_t vtpm_cmd_nv_certify(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t name[2 + CRYPTO_HASH_MAX_DIGEST], dg[CRYPTO_HASH_MAX_DIGEST];
	uint16_t size, off, nl;
	bool policy = c->n_auths > 1 && c->auths[1].s && vtpm_session_is_policy(c->auths[1].s);
	struct vtpm_nv_index *x;
	struct vtpm_object *k;
	struct attest_in in;
	size_t start;
	uint32_t rc;

	rc = vtpm_attest_signer(t, c->handles[0], 1, &k);
	if (rc)
		return rc;
	if ((c->handles[2] >> 24) != TPM_HT_NV_INDEX)
		return RC_H(TPM_RC_VALUE, 3);
	x = vtpm_nv_find(t, c->handles[2]);
	if (!x)
		return RC_H(TPM_RC_HANDLE, 3);
	rc = vtpm_nv_access(x, c->handles[1], false, policy);
	if (rc)
		return rc == RC_H(TPM_RC_VALUE, 1) ? RC_H(TPM_RC_VALUE, 2) : rc;
	rc = get_common(c, k, 1, &in);
	if (rc)
		return rc;
	if (!vtpm_get_u16(&c->in, &size))
		return RC_P(TPM_RC_INSUFFICIENT, 3);
	if (!vtpm_get_u16(&c->in, &off))
		return RC_P(TPM_RC_INSUFFICIENT, 4);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (x->attrs & TPMA_NV_READLOCKED)
		return TPM_RC_NV_LOCKED;
	if (!(x->attrs & TPMA_NV_WRITTEN))
		return TPM_RC_NV_UNINITIALIZED;
	if (size > VTPM_NV_BUFFER_MAX)
		return RC_P(TPM_RC_VALUE, 3);
	if ((uint32_t)off + size > x->size)
		return TPM_RC_NV_RANGE;
	vtpm_nv_name(x, name, &nl);
	if (size == 0 && off == 0) {
		start = vtpm_attest_begin(t, &c->out, TPM_ST_ATTEST_NV_DIGEST, k, in.extra, in.extra_len);
		vtpm_put_tpm2b(&c->out, name, nl);
		if (k) {
			crypto_hash(in.s.h, x->data, x->size, dg);
			vtpm_put_tpm2b(&c->out, dg, (uint16_t)crypto_hash_size(in.s.h));
		} else {
			vtpm_put_u16(&c->out, 0);
		}
	} else {
		start = vtpm_attest_begin(t, &c->out, TPM_ST_ATTEST_NV, k, in.extra, in.extra_len);
		vtpm_put_tpm2b(&c->out, name, nl);
		vtpm_put_u16(&c->out, off);
		vtpm_put_tpm2b(&c->out, x->data + off, size);
	}
	return vtpm_attest_finish(t, &c->out, start, k, &in.s);
}
