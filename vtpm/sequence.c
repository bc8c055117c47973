/* Hash and HMAC sequence objects and the one-shot hash (TPM 2.0 Library Part 3, 15.4 and 17):
 * Hash, HashSequenceStart, HMAC_Start, SequenceUpdate, SequenceComplete, EventSequenceComplete.
 *
 * HMAC_Start lives with the keys it needs, in keyedhash.c. */
#include "core/str.h"
#include "vtpm/internal.h"

#define MAX_BUFFER 1024u /* TPM2B_MAX_BUFFER */

/* TPMT_TK_HASHCHECK for a digest the TPM did not check (Part 2, 10.7.4): NULL ticket. */
static void put_null_ticket(struct vtpm_wr *w)
{
	vtpm_put_u16(w, 0x8024); /* TPM_ST_HASHCHECK */
	vtpm_put_u32(w, TPM_RH_NULL);
	vtpm_put_u16(w, 0);
}

uint32_t vtpm_cmd_hash(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t data[MAX_BUFFER], d[CRYPTO_HASH_MAX_DIGEST];
	enum crypto_hash_alg h;
	uint16_t n, alg;
	uint32_t hier, rc;

	rc = vtpm_get_tpm2b(&c->in, data, &n, sizeof(data));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (!vtpm_get_u16(&c->in, &alg))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (!vtpm_hash_from_alg(alg, &h))
		return RC_P(TPM_RC_HASH, 2);
	if (!vtpm_get_u32(&c->in, &hier))
		return RC_P(TPM_RC_INSUFFICIENT, 3);
	if (hier != TPM_RH_NULL && hier != TPM_RH_OWNER && hier != TPM_RH_ENDORSEMENT &&
	    hier != TPM_RH_PLATFORM)
		return RC_P(TPM_RC_VALUE, 3);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	crypto_hash(h, data, n, d);
	vtpm_put_tpm2b(&c->out, d, (uint16_t)crypto_hash_size(h));
	/* The hashcheck ticket (Part 3, 15.4): HMAC_hash(proof(hierarchy), TPM_ST_HASHCHECK || digest),
	 * only for data that does not start with TPM_GENERATED_VALUE (what lets a restricted key tell
	 * TPM-made attestation structures from outside data); otherwise, or for the NULL hierarchy,
	 * the NULL ticket. */
	if (n >= 4 && vtpm_be32(data) == TPM_GENERATED_VALUE)
		put_null_ticket(&c->out);
	else
		vtpm_put_ticket(t, &c->out, TPM_ST_HASHCHECK, hier, h, d, crypto_hash_size(h), NULL, 0);
	return 0;
}

uint32_t vtpm_cmd_hash_sequence_start(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t auth[VTPM_AUTH_MAX];
	enum crypto_hash_alg h = CRYPTO_SHA256;
	struct vtpm_object *o;
	uint16_t n, alg;
	uint32_t rc;

	rc = vtpm_get_tpm2b(&c->in, auth, &n, sizeof(auth));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (!vtpm_get_u16(&c->in, &alg))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (alg != TPM_ALG_NULL && !vtpm_hash_from_alg(alg, &h))
		return RC_P(TPM_RC_HASH, 2);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	o = vtpm_object_alloc(t);
	if (!o)
		return TPM_RC_OBJECT_MEMORY;
	memcpy(o->auth, auth, n);
	o->auth_len = vtpm_trim_zeros(auth, n);
	o->alg = alg;
	if (alg == TPM_ALG_NULL) {
		/* An event sequence: one digest per implemented bank (Part 3, 17.3). */
		o->kind = VTPM_OBJ_EVENT_SEQ;
		for (unsigned b = 0; b < VTPM_BANKS; b++)
			crypto_hash_init(&o->h[b], vtpm_bank_hash(b));
	} else {
		o->kind = VTPM_OBJ_HASH_SEQ;
		crypto_hash_init(&o->h[0], h);
	}
	c->rsp_handle = o->handle;
	return 0;
}


static uint32_t sequence_object(struct vtpm *t, uint32_t h, struct vtpm_object **out)
{
	struct vtpm_object *o = vtpm_object_find(t, h);

	if (!o)
		return RC_H(TPM_RC_HANDLE, 1);
	*out = o;
	return 0;
}

static void sequence_feed(struct vtpm_object *o, const uint8_t *data, size_t n)
{
	if (o->kind == VTPM_OBJ_EVENT_SEQ) {
		for (unsigned b = 0; b < VTPM_BANKS; b++)
			crypto_hash_update(&o->h[b], data, n);
	} else if (o->kind == VTPM_OBJ_HMAC_SEQ) {
		crypto_hmac_update(&o->mac, data, n);
	} else {
		crypto_hash_update(&o->h[0], data, n);
	}
}

uint32_t vtpm_cmd_sequence_update(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t data[MAX_BUFFER];
	struct vtpm_object *o;
	uint16_t n;
	uint32_t rc = sequence_object(t, c->handles[0], &o);

	if (rc)
		return rc;
	rc = vtpm_get_tpm2b(&c->in, data, &n, sizeof(data));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	sequence_feed(o, data, n);
	return 0;
}

uint32_t vtpm_cmd_sequence_complete(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t data[MAX_BUFFER], d[CRYPTO_HASH_MAX_DIGEST];
	struct vtpm_object *o;
	enum crypto_hash_alg h;
	uint16_t n;
	uint32_t hier, rc = sequence_object(t, c->handles[0], &o);

	if (rc)
		return rc;
	if (o->kind == VTPM_OBJ_EVENT_SEQ)
		return RC_H(TPM_RC_MODE, 1);
	rc = vtpm_get_tpm2b(&c->in, data, &n, sizeof(data));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (!vtpm_get_u32(&c->in, &hier))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (hier != TPM_RH_NULL && hier != TPM_RH_OWNER && hier != TPM_RH_ENDORSEMENT &&
	    hier != TPM_RH_PLATFORM)
		return RC_P(TPM_RC_VALUE, 2);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	sequence_feed(o, data, n);
	if (o->kind == VTPM_OBJ_HMAC_SEQ) {
		(void)vtpm_hash_from_alg(o->alg, &h);
		crypto_hmac_final(&o->mac, d);
	} else {
		(void)vtpm_hash_from_alg(o->alg, &h);
		crypto_hash_final(&o->h[0], d);
	}
	vtpm_put_tpm2b(&c->out, d, (uint16_t)crypto_hash_size(h));
	put_null_ticket(&c->out);
	crypto_wipe(o, sizeof(*o));
	return 0;
}

uint32_t vtpm_cmd_event_sequence_complete(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t data[MAX_BUFFER], d[CRYPTO_HASH_MAX_DIGEST];
	struct vtpm_object *o;
	unsigned banks = 0;
	uint16_t n;
	uint32_t rc;
	int pcr = -1;

	if (c->handles[0] != TPM_RH_NULL) {
		if (c->handles[0] >= VTPM_PCR_COUNT)
			return RC_H(TPM_RC_VALUE, 1);
		if (!vtpm_pcr_can_extend(t, c->handles[0]))
			return TPM_RC_LOCALITY;
		pcr = (int)c->handles[0];
	}
	o = vtpm_object_find(t, c->handles[1]);
	if (!o)
		return RC_H(TPM_RC_HANDLE, 2);
	if (o->kind != VTPM_OBJ_EVENT_SEQ)
		return RC_H(TPM_RC_MODE, 2);
	rc = vtpm_get_tpm2b(&c->in, data, &n, sizeof(data));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	sequence_feed(o, data, n);
	for (unsigned b = 0; b < VTPM_BANKS; b++)
		banks += t->active_alloc >> b & 1u;
	vtpm_put_u32(&c->out, banks);
	for (unsigned b = 0; b < VTPM_BANKS; b++) {
		if (!(t->active_alloc >> b & 1u))
			continue;
		crypto_hash_final(&o->h[b], d);
		vtpm_put_u16(&c->out, vtpm_bank_alg(b));
		vtpm_put_bytes(&c->out, d, crypto_hash_size(vtpm_bank_hash(b)));
		if (pcr >= 0)
			vtpm_pcr_extend(t, b, (unsigned)pcr, d);
	}
	if (pcr >= 0)
		t->pcr_update_counter++;
	crypto_wipe(o, sizeof(*o));
	return 0;
}
