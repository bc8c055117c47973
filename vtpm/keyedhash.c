/* LoadExternal (any key type), ReadPublic, and the HMAC commands with keyedHash keys: HMAC and
 * HMAC_Start (TPM 2.0 Library Part 3, 12.3, 12.4, 15.5, 17.2).
 *
 * LoadExternal takes a public area alone (into any hierarchy) or with its sensitive area (into
 * the NULL hierarchy only, never fixedTPM/fixedParent); the sensitive area must bind to the public
 * one (object.c: unique = H_nameAlg(seedValue || key) for keyedHash/symmetric objects, the public
 * point or modulus for ECC/RSA). */
#include "core/str.h"
#include "vtpm/internal.h"

#define MAX_BUFFER 1024u /* TPM2B_MAX_BUFFER */

uint32_t vtpm_cmd_load_external(struct vtpm *t, struct vtpm_cmd *c)
{
	const uint8_t *priv, *pub;
	uint16_t priv_len, pub_len;
	struct vtpm_public tp;
	struct vtpm_sensitive s;
	struct vtpm_object *tmp = &t->scratch, *o;
	uint8_t pqn[4];
	uint32_t hier, rc;

	rc = vtpm_get_sized(&c->in, 1, &priv, &priv_len, VTPM_SENSITIVE_MAX);
	if (!rc)
		rc = vtpm_get_sized(&c->in, 2, &pub, &pub_len, VTPM_PUBLIC_MAX);
	if (rc)
		return rc;
	if (!vtpm_get_u32(&c->in, &hier))
		return RC_P(TPM_RC_INSUFFICIENT, 3);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	rc = vtpm_public_parse(pub, pub_len, 2, &tp);
	if (rc)
		return rc;
	if (priv_len) {
		rc = vtpm_sensitive_parse(priv, priv_len, 1, &s);
		if (rc)
			return rc;
		/* Part 3, 12.3.1: with a sensitive area the object may not claim to be the TPM's own, and
		 * it belongs to no hierarchy but NULL. */
		if (tp.attrs & (TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT))
			return RC_P(TPM_RC_ATTRIBUTES, 2);
		if (hier != TPM_RH_NULL)
			return RC_P(TPM_RC_HIERARCHY, 3);
		/* HMAC keys keep part 1's rule (sign, not restricted; tpm2-tools also sets decrypt) */
		if (tp.type == TPM_ALG_KEYEDHASH)
			rc = (tp.attrs & TPMA_OBJECT_SIGN) && !(tp.attrs & TPMA_OBJECT_RESTRICTED) &&
					     tp.scheme != TPM_ALG_XOR ? 0 : RC_P(TPM_RC_ATTRIBUTES, 2);
		else
			rc = vtpm_public_check(&tp, NULL, 2);
		if (rc)
			return rc;
	} else if (hier != TPM_RH_NULL && hier != TPM_RH_OWNER && hier != TPM_RH_ENDORSEMENT &&
		   hier != TPM_RH_PLATFORM) {
		return RC_P(TPM_RC_VALUE, 3);
	}
	memset(tmp, 0, sizeof(*tmp));
	vtpm_set_be32(pqn, hier);
	rc = vtpm_object_fill(tmp, &tp, pub, pub_len, priv_len ? &s : NULL, hier, pqn, 4, 2);
	crypto_wipe(&s, sizeof(s));
	rc = vtpm_object_commit(t, tmp, rc, &o);
	if (rc)
		return rc;
	c->rsp_handle = o->handle;
	vtpm_put_tpm2b(&c->out, o->name, o->name_len);
	return 0;
}

static uint32_t key_object(struct vtpm *t, uint32_t h, struct vtpm_object **out)
{
	struct vtpm_object *o = vtpm_object_find(t, h);

	if (!o)
		return RC_H(TPM_RC_HANDLE, 1);
	if (o->kind != VTPM_OBJ_KEYEDHASH)
		return RC_H(TPM_RC_TYPE, 1);
	if (!(o->attrs & TPMA_OBJECT_SIGN))
		return RC_H(TPM_RC_KEY, 1); /* sealed data is no HMAC key */
	*out = o;
	return 0;
}

/* Any key (keyedHash or ECC) for ReadPublic. */
static uint32_t any_key(struct vtpm *t, uint32_t h, struct vtpm_object **out)
{
	struct vtpm_object *o = vtpm_object_find(t, h);

	if (!o)
		return RC_H(TPM_RC_HANDLE, 1);
	if (!vtpm_obj_is_key(o))
		return RC_H(TPM_RC_TYPE, 1);
	*out = o;
	return 0;
}

uint32_t vtpm_cmd_read_public(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_object *o;
	uint32_t rc = any_key(t, c->handles[0], &o);

	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	/* qualifiedName = nameAlg || H(QN(parent) || Name), QN of a hierarchy = its handle */
	vtpm_put_tpm2b(&c->out, o->pub, o->pub_len);
	vtpm_put_tpm2b(&c->out, o->name, o->name_len);
	vtpm_put_tpm2b(&c->out, o->qname, o->qname_len);
	return 0;
}

/* The hash an HMAC with this key uses: the key's scheme, or the command's when the scheme is NULL
 * (Part 3, 15.5.1: both set and different is TPM_RC_VALUE). */
static uint32_t hmac_hash(const struct vtpm_object *o, uint16_t want, unsigned n, enum crypto_hash_alg *h)
{
	uint16_t alg = o->scheme_hash;

	if (alg == TPM_ALG_NULL)
		alg = want;
	else if (want != TPM_ALG_NULL && want != alg)
		return RC_P(TPM_RC_VALUE, n);
	if (alg == TPM_ALG_NULL || !vtpm_hash_from_alg(alg, h))
		return RC_P(TPM_RC_VALUE, n);
	if (!o->has_sensitive)
		return RC_H(TPM_RC_KEY, 1);
	return 0;
}

/* HMAC and HMAC_Start share their parameters: the HMAC key (handle 1), a TPM2B (parameter 1: the
 * data, or the sequence's authValue) into buf, and the hash (parameter 2) checked against the key. */
static uint32_t hmac_params(struct vtpm *t, struct vtpm_cmd *c, uint8_t *buf, size_t cap, uint16_t *n,
			   struct vtpm_object **o, uint16_t *alg, enum crypto_hash_alg *h)
{
	uint32_t rc = key_object(t, c->handles[0], o);

	if (rc)
		return rc;
	rc = vtpm_get_tpm2b(&c->in, buf, n, cap);
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (!vtpm_get_u16(&c->in, alg))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	return hmac_hash(*o, *alg, 2, h);
}

uint32_t vtpm_cmd_hmac(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t data[MAX_BUFFER], mac[CRYPTO_HASH_MAX_DIGEST];
	struct vtpm_object *o;
	enum crypto_hash_alg h;
	uint16_t n, alg;
	uint32_t rc = hmac_params(t, c, data, sizeof(data), &n, &o, &alg, &h);

	if (rc)
		return rc;
	crypto_hmac(h, o->key, o->key_len, data, n, mac);
	vtpm_put_tpm2b(&c->out, mac, (uint16_t)crypto_hash_size(h));
	return 0;
}

uint32_t vtpm_cmd_hmac_start(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t auth[VTPM_AUTH_MAX];
	struct vtpm_object *o, *seq;
	enum crypto_hash_alg h;
	uint16_t n, alg;
	uint32_t rc = hmac_params(t, c, auth, sizeof(auth), &n, &o, &alg, &h);

	if (rc)
		return rc;
	seq = vtpm_object_alloc(t);
	if (!seq)
		return TPM_RC_OBJECT_MEMORY;
	seq->kind = VTPM_OBJ_HMAC_SEQ;
	seq->alg = (uint16_t)(o->scheme_hash != TPM_ALG_NULL ? o->scheme_hash : alg);
	memcpy(seq->auth, auth, n);
	seq->auth_len = vtpm_trim_zeros(auth, n);
	crypto_hmac_init(&seq->mac, h, o->key, o->key_len);
	c->rsp_handle = seq->handle;
	return 0;
}
