/* HMAC keys: LoadExternal of a keyedHash object, ReadPublic, HMAC and HMAC_Start
 * (TPM 2.0 Library Part 3, 12.3, 12.4, 15.5, 17.2).
 *
 * Only what HMAC_Start needs before part 2 brings the key hierarchy: an external keyedHash key with
 * the HMAC (or NULL) scheme, loaded with its sensitive area into the NULL hierarchy. Its Name is
 * nameAlg || H(TPMT_PUBLIC) and the sensitive area must bind to the public one:
 * unique = H_nameAlg(seedValue || key) (Part 1, 27.2.4). */
#include "core/str.h"
#include "vtpm/internal.h"

#define MAX_BUFFER 1024u /* TPM2B_MAX_BUFFER */

struct keyed_public {
	uint16_t name_alg, scheme_hash;
	uint32_t attrs;
	uint16_t unique_len;
	uint8_t unique[CRYPTO_HASH_MAX_DIGEST];
};

/* TPMT_PUBLIC of a keyedHash object (Part 2, 12.2.4); rc numbers parameter n. */
static uint32_t parse_public(const uint8_t *p, uint16_t len, unsigned n, struct keyed_public *out)
{
	struct vtpm_rd r;
	uint8_t policy[CRYPTO_HASH_MAX_DIGEST];
	uint16_t type, policy_len, scheme, hash;
	enum crypto_hash_alg h;
	uint32_t rc;

	vtpm_rd_init(&r, p, len);
	if (!vtpm_get_u16(&r, &type) || !vtpm_get_u16(&r, &out->name_alg) || !vtpm_get_u32(&r, &out->attrs))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (type != TPM_ALG_KEYEDHASH)
		return RC_P(TPM_RC_TYPE, n); /* RSA/ECC/symmetric objects: part 2 */
	if (!vtpm_hash_from_alg(out->name_alg, &h))
		return RC_P(TPM_RC_HASH, n);
	rc = vtpm_get_tpm2b(&r, policy, &policy_len, sizeof(policy));
	if (rc)
		return vtpm_param_rc(rc, n);
	if (policy_len != 0 && policy_len != crypto_hash_size(h))
		return RC_P(TPM_RC_SIZE, n);
	if (!vtpm_get_u16(&r, &scheme))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	out->scheme_hash = TPM_ALG_NULL;
	if (scheme == TPM_ALG_HMAC) {
		if (!vtpm_get_u16(&r, &hash))
			return RC_P(TPM_RC_INSUFFICIENT, n);
		if (!vtpm_hash_from_alg(hash, &h))
			return RC_P(TPM_RC_HASH, n);
		out->scheme_hash = hash;
	} else if (scheme != TPM_ALG_NULL) {
		return RC_P(TPM_RC_SCHEME, n); /* XOR data objects: part 2 */
	}
	rc = vtpm_get_tpm2b(&r, out->unique, &out->unique_len, sizeof(out->unique));
	if (rc)
		return vtpm_param_rc(rc, n);
	if (vtpm_rd_left(&r))
		return RC_P(TPM_RC_SIZE, n);
	/* An HMAC key signs; restricted signing keys only sign TPM-generated data (not supported).
	 * decrypt may be set as well (tpm2-tools sets sign|decrypt for HMAC keys); it grants nothing
	 * here. */
	if (!(out->attrs & TPMA_OBJECT_SIGN) || (out->attrs & TPMA_OBJECT_RESTRICTED))
		return RC_P(TPM_RC_ATTRIBUTES, n);
	return 0;
}

/* TPMT_SENSITIVE of a keyedHash object (Part 2, 12.3.2.5) into o. */
static uint32_t parse_sensitive(const uint8_t *p, uint16_t len, enum crypto_hash_alg h, struct vtpm_object *o,
				uint8_t *seed, uint16_t *seed_len)
{
	struct vtpm_rd r;
	uint16_t type;
	uint32_t rc;

	vtpm_rd_init(&r, p, len);
	if (!vtpm_get_u16(&r, &type))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (type != TPM_ALG_KEYEDHASH)
		return RC_P(TPM_RC_TYPE, 1);
	rc = vtpm_get_tpm2b(&r, o->auth, &o->auth_len, crypto_hash_size(h));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = vtpm_get_tpm2b(&r, seed, seed_len, crypto_hash_size(h));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = vtpm_get_tpm2b(&r, o->key, &o->key_len, sizeof(o->key));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (vtpm_rd_left(&r))
		return RC_P(TPM_RC_SIZE, 1);
	o->auth_len = vtpm_trim_zeros(o->auth, o->auth_len);
	return 0;
}

/* Reads a TPM2B and returns its contents in place (no copy); rc numbers parameter n. */
static uint32_t get_sized(struct vtpm_rd *r, unsigned n, const uint8_t **p, uint16_t *len, size_t max)
{
	if (!vtpm_get_u16(r, len) || *len > vtpm_rd_left(r))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (*len > max)
		return RC_P(TPM_RC_SIZE, n);
	*p = r->p + r->off;
	r->off += *len;
	return 0;
}

uint32_t vtpm_cmd_load_external(struct vtpm *t, struct vtpm_cmd *c)
{
	const uint8_t *priv, *pub;
	uint16_t priv_len, pub_len, seed_len = 0;
	uint8_t seed[CRYPTO_HASH_MAX_DIGEST], digest[CRYPTO_HASH_MAX_DIGEST];
	struct keyed_public kp;
	struct vtpm_object tmp, *o;
	enum crypto_hash_alg h;
	struct crypto_hash_ctx hc;
	uint32_t hier, rc;

	rc = get_sized(&c->in, 1, &priv, &priv_len, 2 + 2 + 3 * (2 + VTPM_SYM_DATA_MAX));
	if (rc)
		return rc;
	rc = get_sized(&c->in, 2, &pub, &pub_len, VTPM_PUBLIC_MAX);
	if (rc)
		return rc;
	if (!vtpm_get_u32(&c->in, &hier))
		return RC_P(TPM_RC_INSUFFICIENT, 3);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	rc = parse_public(pub, pub_len, 2, &kp);
	if (rc)
		return rc;
	(void)vtpm_hash_from_alg(kp.name_alg, &h);
	memset(&tmp, 0, sizeof(tmp));
	if (priv_len) {
		rc = parse_sensitive(priv, priv_len, h, &tmp, seed, &seed_len);
		if (rc)
			return rc;
		/* Part 3, 12.3.1: with a sensitive area the object may not claim to be the TPM's own, and
		 * it belongs to no hierarchy but NULL. */
		if (kp.attrs & (TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT))
			return RC_P(TPM_RC_ATTRIBUTES, 2);
		if (hier != TPM_RH_NULL)
			return RC_P(TPM_RC_HIERARCHY, 3);
		crypto_hash_init(&hc, h);
		crypto_hash_update(&hc, seed, seed_len);
		crypto_hash_update(&hc, tmp.key, tmp.key_len);
		crypto_hash_final(&hc, digest);
		if (kp.unique_len != crypto_hash_size(h) || !crypto_ct_equal(digest, kp.unique, kp.unique_len))
			return RC_P(TPM_RC_BINDING, 2);
		tmp.has_sensitive = true;
	} else if (hier != TPM_RH_NULL && hier != TPM_RH_OWNER && hier != TPM_RH_ENDORSEMENT &&
		   hier != TPM_RH_PLATFORM) {
		return RC_P(TPM_RC_VALUE, 3);
	}
	o = vtpm_object_alloc(t);
	if (!o)
		return TPM_RC_OBJECT_MEMORY;
	tmp.used = true;
	tmp.handle = o->handle;
	tmp.kind = VTPM_OBJ_KEYEDHASH;
	tmp.name_alg = kp.name_alg;
	tmp.scheme_hash = kp.scheme_hash;
	tmp.attrs = kp.attrs;
	memcpy(tmp.pub, pub, pub_len);
	tmp.pub_len = pub_len;
	vtpm_set_be16(tmp.name, kp.name_alg);
	crypto_hash(h, pub, pub_len, tmp.name + 2);
	tmp.name_len = (uint16_t)(2 + crypto_hash_size(h));
	*o = tmp;
	crypto_wipe(&tmp, sizeof(tmp));
	crypto_wipe(seed, sizeof(seed));
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
	uint8_t qn_in[4 + 2 + CRYPTO_HASH_MAX_DIGEST], qn[2 + CRYPTO_HASH_MAX_DIGEST];
	struct vtpm_object *o;
	enum crypto_hash_alg h;
	uint32_t rc = any_key(t, c->handles[0], &o);

	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	(void)vtpm_hash_from_alg(o->name_alg, &h);
	/* qualifiedName = nameAlg || H(QN(parent) || Name), QN of a hierarchy = its handle; keyedHash
	 * keys live in the NULL hierarchy, ECC primaries in the one they were created in. */
	vtpm_set_be32(qn_in, o->kind == VTPM_OBJ_ECC ? o->hierarchy : TPM_RH_NULL);
	memcpy(qn_in + 4, o->name, o->name_len);
	vtpm_set_be16(qn, o->name_alg);
	crypto_hash(h, qn_in, 4u + o->name_len, qn + 2);
	vtpm_put_tpm2b(&c->out, o->pub, o->pub_len);
	vtpm_put_tpm2b(&c->out, o->name, o->name_len);
	vtpm_put_tpm2b(&c->out, qn, o->name_len);
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

uint32_t vtpm_cmd_hmac(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t data[MAX_BUFFER], mac[CRYPTO_HASH_MAX_DIGEST];
	struct vtpm_object *o;
	enum crypto_hash_alg h;
	uint16_t n, alg;
	uint32_t rc = key_object(t, c->handles[0], &o);

	if (rc)
		return rc;
	rc = vtpm_get_tpm2b(&c->in, data, &n, sizeof(data));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (!vtpm_get_u16(&c->in, &alg))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	rc = hmac_hash(o, alg, 2, &h);
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
	uint32_t rc = key_object(t, c->handles[0], &o);

	if (rc)
		return rc;
	rc = vtpm_get_tpm2b(&c->in, auth, &n, sizeof(auth));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (!vtpm_get_u16(&c->in, &alg))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	rc = hmac_hash(o, alg, 2, &h);
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
