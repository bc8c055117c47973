/* Object commands: CreatePrimary, Create, CreateLoaded, Load, Unseal, ObjectChangeAuth (TPM 2.0
 * Library Part 3, 24.1, 12.1, 12.9, 12.2, 12.7, 12.6).
 *
 * Every handler parses and validates all its parameters into locals, builds the new object in a
 * scratch struct, and only then takes an object slot: a failing command leaves no object behind. */
#include "core/str.h"
#include "vtpm/internal.h"

#define DATA_MAX 66u /* TPM2B_DATA: sizeof(TPMT_HA) */
#define CREATION_OUT_MAX 768u /* creationData, creationHash, creationTicket */
#define SENS_CREATE_MAX (4u + CRYPTO_HASH_MAX_DIGEST + VTPM_SYM_DATA_MAX)

/* CreatePrimary's and Create's parameters (Part 3, 24.1.2 / 12.1.2). */
struct create_in {
	uint16_t auth_len, data_len, pub_len, outside_len;
	uint8_t auth[CRYPTO_HASH_MAX_DIGEST], data[VTPM_SYM_DATA_MAX];
	const uint8_t *pub, *outside;
	struct vtpm_public tp;
	struct vtpm_pcr_list sel;
};

/* with_creation: outsideInfo and creationPCR follow (CreatePrimary, Create; not CreateLoaded) */
static uint32_t parse_create_in(struct vtpm *t, struct vtpm_cmd *c, const struct vtpm_object *parent,
				bool with_creation, struct create_in *ci)
{
	const uint8_t *sens;
	uint16_t sens_len;
	struct vtpm_rd sr;
	enum crypto_hash_alg h;
	uint32_t rc;

	rc = vtpm_get_sized(&c->in, 1, &sens, &sens_len, SENS_CREATE_MAX);
	if (rc)
		return rc;
	vtpm_rd_init(&sr, sens, sens_len);
	rc = vtpm_get_tpm2b(&sr, ci->auth, &ci->auth_len, sizeof(ci->auth));
	if (!rc)
		rc = vtpm_get_tpm2b(&sr, ci->data, &ci->data_len, sizeof(ci->data));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (vtpm_rd_left(&sr))
		return RC_P(TPM_RC_SIZE, 1);
	rc = vtpm_get_sized(&c->in, 2, &ci->pub, &ci->pub_len, VTPM_PUBLIC_MAX);
	if (!rc && with_creation)
		rc = vtpm_get_sized(&c->in, 3, &ci->outside, &ci->outside_len, DATA_MAX);
	if (!rc && with_creation)
		rc = vtpm_pcr_list_get(t, &c->in, 4, &ci->sel);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	rc = vtpm_public_parse(ci->pub, ci->pub_len, 2, &ci->tp);
	if (rc)
		return rc;
	/* an asymmetric primary's private key is derived from the seed alone (docs/vtpm.md, FROZEN) */
	if (!parent && ci->data_len && (ci->tp.type == TPM_ALG_ECC || ci->tp.type == TPM_ALG_RSA))
		return RC_P(TPM_RC_SIZE, 1);
	rc = vtpm_public_create_check(&ci->tp, parent, ci->data_len, 2);
	if (rc)
		return rc;
	(void)vtpm_hash_from_alg(ci->tp.name_alg, &h);
	if (vtpm_trim_zeros(ci->auth, ci->auth_len) > crypto_hash_size(h))
		return RC_P(TPM_RC_SIZE, 1);
	return 0;
}

/* creationData, creationHash, creationTicket = HMAC(proof, TPM_ST_CREATION || Name || creationHash) */
static uint32_t put_creation(struct vtpm *t, struct vtpm_wr *w, const struct create_in *ci,
			     const struct vtpm_object *o, uint32_t parent_handle, const struct vtpm_object *parent)
{
	uint8_t cd[512], chash[CRYPTO_HASH_MAX_DIGEST];
	enum crypto_hash_alg h;
	size_t n, hl;

	(void)vtpm_hash_from_alg(o->name_alg, &h);
	hl = crypto_hash_size(h);
	n = vtpm_creation_data(t, &ci->sel, h, parent_handle, parent, ci->outside, ci->outside_len, cd, sizeof(cd),
			       chash);
	if (n == 0)
		return TPM_RC_FAILURE;
	vtpm_put_tpm2b(w, cd, (uint16_t)n);
	vtpm_put_tpm2b(w, chash, (uint16_t)hl);
	vtpm_put_ticket(t, w, TPM_ST_CREATION, o->hierarchy, h, o->name, o->name_len, chash, hl);
	return w->overflow ? TPM_RC_FAILURE : 0;
}

uint32_t vtpm_cmd_create_primary(struct vtpm *t, struct vtpm_cmd *c)
{
	uint32_t hier = c->handles[0], rc;
	struct create_in ci;
	struct vtpm_object *tmp = &t->scratch, *o;
	uint8_t cbuf[CREATION_OUT_MAX];
	struct vtpm_wr cw = { .p = cbuf, .cap = sizeof(cbuf) };

	if (hier != TPM_RH_OWNER && hier != TPM_RH_ENDORSEMENT && hier != TPM_RH_PLATFORM && hier != TPM_RH_NULL)
		return RC_H(TPM_RC_VALUE, 1);
	if (!vtpm_hierarchy_enabled(t, hier))
		return RC_H(TPM_RC_HIERARCHY, 1);
	rc = parse_create_in(t, c, NULL, true, &ci);
	if (rc)
		return rc;
	memset(tmp, 0, sizeof(*tmp));
	rc = vtpm_object_generate(t, tmp, &ci.tp, ci.pub, ci.pub_len, ci.auth, ci.auth_len, ci.data, ci.data_len, hier,
				  NULL);
	if (!rc)
		rc = put_creation(t, &cw, &ci, tmp, hier, NULL);
	crypto_wipe(&ci, sizeof(ci));
	rc = vtpm_object_commit(t, tmp, rc, &o);
	if (rc)
		return rc;
	c->rsp_handle = o->handle;
	vtpm_put_tpm2b(&c->out, o->pub, o->pub_len);
	vtpm_put_bytes(&c->out, cbuf, cw.len);
	vtpm_put_tpm2b(&c->out, o->name, o->name_len);
	return 0;
}

/* A loaded object that can be a parent (Part 1, 27.1: a restricted decryption key with a symmetric
 * definition); handle position hn. */
static uint32_t parent_object(struct vtpm *t, uint32_t handle, unsigned hn, struct vtpm_object **out)
{
	struct vtpm_object *p = vtpm_object_find(t, handle);

	if (!p)
		return RC_H(TPM_RC_HANDLE, hn);
	if (!vtpm_object_is_parent(p))
		return RC_H(TPM_RC_TYPE, hn);
	*out = p;
	return 0;
}

uint32_t vtpm_cmd_create(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_object *parent, *tmp = &t->scratch;
	struct vtpm_sensitive s;
	struct create_in ci;
	uint8_t priv[VTPM_PRIVATE_MAX];
	struct vtpm_wr pw = { .p = priv, .cap = sizeof(priv) };
	uint32_t rc;

	rc = parent_object(t, c->handles[0], 1, &parent);
	if (rc)
		return rc;
	rc = parse_create_in(t, c, parent, true, &ci);
	if (rc)
		return rc;
	memset(tmp, 0, sizeof(*tmp));
	rc = vtpm_object_generate(t, tmp, &ci.tp, ci.pub, ci.pub_len, ci.auth, ci.auth_len, ci.data, ci.data_len,
				  parent->hierarchy, parent);
	if (!rc) {
		vtpm_object_sensitive(tmp, &s);
		if (!vtpm_private_wrap(parent, tmp->name, tmp->name_len, &s, &pw))
			rc = TPM_RC_FAILURE;
		crypto_wipe(&s, sizeof(s));
	}
	if (!rc) {
		vtpm_put_tpm2b(&c->out, priv, (uint16_t)pw.len);
		vtpm_put_tpm2b(&c->out, tmp->pub, tmp->pub_len);
		rc = put_creation(t, &c->out, &ci, tmp, parent->handle, parent);
	}
	crypto_wipe(&ci, sizeof(ci));
	crypto_wipe(tmp, sizeof(*tmp));
	return rc;
}

/* CreateLoaded (Part 3, 12.9): Create or CreatePrimary without creation data, the object loaded;
 * outPrivate for a child, empty for a primary. Derivation parents (XOR keyedHash) do not exist here,
 * so the template is an ordinary TPMT_PUBLIC. */
uint32_t vtpm_cmd_create_loaded(struct vtpm *t, struct vtpm_cmd *c)
{
	uint32_t ph = c->handles[0], hier, rc;
	struct vtpm_object *parent = NULL, *tmp = &t->scratch, *o;
	struct vtpm_sensitive s;
	struct create_in ci;
	uint8_t priv[VTPM_PRIVATE_MAX];
	struct vtpm_wr pw = { .p = priv, .cap = sizeof(priv) };

	if ((ph >> 24) == TPM_HT_PERMANENT) {
		if (ph != TPM_RH_OWNER && ph != TPM_RH_ENDORSEMENT && ph != TPM_RH_PLATFORM && ph != TPM_RH_NULL)
			return RC_H(TPM_RC_VALUE, 1);
		if (!vtpm_hierarchy_enabled(t, ph))
			return RC_H(TPM_RC_HIERARCHY, 1);
		hier = ph;
	} else {
		rc = parent_object(t, ph, 1, &parent);
		if (rc)
			return rc;
		hier = parent->hierarchy;
	}
	rc = parse_create_in(t, c, parent, false, &ci);
	if (rc)
		return rc;
	memset(tmp, 0, sizeof(*tmp));
	rc = vtpm_object_generate(t, tmp, &ci.tp, ci.pub, ci.pub_len, ci.auth, ci.auth_len, ci.data, ci.data_len, hier,
				  parent);
	if (!rc && parent) {
		vtpm_object_sensitive(tmp, &s);
		if (!vtpm_private_wrap(parent, tmp->name, tmp->name_len, &s, &pw))
			rc = TPM_RC_FAILURE;
		crypto_wipe(&s, sizeof(s));
	}
	crypto_wipe(&ci, sizeof(ci));
	rc = vtpm_object_commit(t, tmp, rc, &o);
	if (rc)
		return rc;
	c->rsp_handle = o->handle;
	vtpm_put_tpm2b(&c->out, priv, (uint16_t)pw.len);
	vtpm_put_tpm2b(&c->out, o->pub, o->pub_len);
	vtpm_put_tpm2b(&c->out, o->name, o->name_len);
	return 0;
}

uint32_t vtpm_cmd_load(struct vtpm *t, struct vtpm_cmd *c)
{
	const uint8_t *priv, *pub;
	uint16_t priv_len, pub_len;
	struct vtpm_object *parent, *tmp = &t->scratch, *o;
	struct vtpm_public tp;
	struct vtpm_sensitive s;
	uint8_t name[2 + CRYPTO_HASH_MAX_DIGEST];
	enum crypto_hash_alg h;
	uint32_t rc;

	rc = parent_object(t, c->handles[0], 1, &parent);
	if (rc)
		return rc;
	rc = vtpm_get_sized(&c->in, 1, &priv, &priv_len, VTPM_PRIVATE_MAX);
	if (!rc)
		rc = vtpm_get_sized(&c->in, 2, &pub, &pub_len, VTPM_PUBLIC_MAX);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	rc = vtpm_public_parse(pub, pub_len, 2, &tp);
	if (!rc)
		rc = vtpm_public_check(&tp, parent, 2);
	if (rc)
		return rc;
	(void)vtpm_hash_from_alg(tp.name_alg, &h);
	vtpm_set_be16(name, tp.name_alg);
	crypto_hash(h, pub, pub_len, name + 2);
	rc = vtpm_private_unwrap(parent, name, 2 + crypto_hash_size(h), priv, priv_len, 1, &s);
	if (rc)
		return rc;
	memset(tmp, 0, sizeof(*tmp));
	rc = vtpm_object_fill(tmp, &tp, pub, pub_len, &s, parent->hierarchy, parent->qname, parent->qname_len, 2);
	crypto_wipe(&s, sizeof(s));
	rc = vtpm_object_commit(t, tmp, rc, &o);
	if (rc)
		return rc;
	c->rsp_handle = o->handle;
	vtpm_put_tpm2b(&c->out, o->name, o->name_len);
	return 0;
}

uint32_t vtpm_cmd_unseal(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_object *o = vtpm_object_find(t, c->handles[0]);

	if (!o || !vtpm_obj_is_key(o))
		return RC_H(TPM_RC_HANDLE, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (o->kind != VTPM_OBJ_KEYEDHASH || !o->has_sensitive)
		return RC_H(TPM_RC_TYPE, 1);
	/* only a data object (Part 3, 12.7.1) */
	if (o->attrs & (TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN | TPMA_OBJECT_DECRYPT))
		return RC_H(TPM_RC_ATTRIBUTES, 1);
	vtpm_put_tpm2b(&c->out, o->key, o->key_len);
	return 0;
}

uint32_t vtpm_cmd_object_change_auth(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_object *o = vtpm_object_find(t, c->handles[0]), *parent;
	uint8_t auth[CRYPTO_HASH_MAX_DIGEST], qin[2 * (2 + CRYPTO_HASH_MAX_DIGEST)], qn[CRYPTO_HASH_MAX_DIGEST];
	uint8_t priv[VTPM_PRIVATE_MAX];
	struct vtpm_wr pw = { .p = priv, .cap = sizeof(priv) };
	struct vtpm_sensitive s;
	enum crypto_hash_alg h;
	uint16_t auth_len;
	uint32_t rc;
	bool ok;

	if (!o || !vtpm_obj_is_key(o) || !o->has_sensitive)
		return RC_H(TPM_RC_HANDLE, 1);
	/* ObjectChangeAuth is an ADMIN-role command: its descriptor says so and session.c requires a
	 * policy session (with PolicyCommandCode) when the key has adminWithPolicy (Part 1, 19.7). */
	rc = parent_object(t, c->handles[1], 2, &parent);
	if (rc)
		return rc;
	rc = vtpm_get_tpm2b(&c->in, auth, &auth_len, sizeof(auth));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	(void)vtpm_hash_from_alg(o->name_alg, &h);
	/* parentHandle must be the object's parent: QN(object) = H(QN(parent) || Name) */
	memcpy(qin, parent->qname, parent->qname_len);
	memcpy(qin + parent->qname_len, o->name, o->name_len);
	crypto_hash(h, qin, (size_t)parent->qname_len + o->name_len, qn);
	if (parent->hierarchy != o->hierarchy || !crypto_ct_equal(qn, o->qname + 2, crypto_hash_size(h)))
		return RC_H(TPM_RC_TYPE, 2);
	if (vtpm_trim_zeros(auth, auth_len) > crypto_hash_size(h))
		return RC_P(TPM_RC_SIZE, 1);
	vtpm_object_sensitive(o, &s);
	memcpy(s.auth, auth, auth_len);
	s.auth_len = auth_len;
	ok = vtpm_private_wrap(parent, o->name, o->name_len, &s, &pw);
	crypto_wipe(&s, sizeof(s));
	crypto_wipe(auth, sizeof(auth));
	if (!ok)
		return TPM_RC_FAILURE;
	vtpm_put_tpm2b(&c->out, priv, (uint16_t)pw.len);
	return 0;
}
