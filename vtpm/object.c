/* Object slots, Names and loading an object from its public and sensitive areas (TPM 2.0 Library
 * Part 1, 16 "Names", 27 "Objects"), ECC by curve, and the secret-sharing primitive.
 *
 * An object of any key type is a struct vtpm_object holding its TPMT_PUBLIC exactly as loaded (the
 * Name hashes those bytes), the decoded public area, the authValue, seedValue and private key,
 * its hierarchy and qualified name = nameAlg || H(QN(parent) || Name), QN(hierarchy) = its handle. */
#include "core/str.h"
#include "vtpm/internal.h"

/* Transient objects in their slots; persistent ones (evict.c) while their hierarchy is enabled. */
struct vtpm_object *vtpm_object_find(struct vtpm *t, uint32_t handle)
{
	for (unsigned i = 0; i < VTPM_OBJECTS; i++) {
		if (t->objects[i].used && t->objects[i].handle == handle)
			return &t->objects[i];
	}
	if ((handle >> 24) != TPM_HT_PERSISTENT)
		return NULL;
	for (unsigned i = 0; i < VTPM_PERSISTENT; i++) {
		struct vtpm_object *o = &t->pobjects[i];

		if (o->used && o->handle == handle)
			return vtpm_hierarchy_enabled(t, o->hierarchy) ? o : NULL;
	}
	return NULL;
}

struct vtpm_object *vtpm_object_alloc(struct vtpm *t)
{
	for (unsigned i = 0; i < VTPM_OBJECTS; i++) {
		struct vtpm_object *o = &t->objects[i];
		if (o->used)
			continue;
		memset(o, 0, sizeof(*o));
		/* Transient handles are 0x80000000 + a counter that skips handles still in use. */
		do {
			o->handle = HR_TRANSIENT | (t->next_object++ & 0xFFFFFFu);
		} while (vtpm_object_find(t, o->handle));
		o->used = true;
		return o;
	}
	return NULL;
}

void vtpm_rand_fn(void *ctx, void *out, size_t len)
{
	vtpm_random(ctx, out, len);
}

/* ---- ECC by curve ------------------------------------------------------------------------------ */

bool vtpm_ecc_public(uint16_t curve, const uint8_t *d, uint8_t *xy)
{
	return curve == TPM_ECC_NIST_P256 ? crypto_p256_public(d, xy) : crypto_p384_public(d, xy);
}

bool vtpm_ecc_point_valid(uint16_t curve, const uint8_t *xy)
{
	return curve == TPM_ECC_NIST_P256 ? crypto_p256_point_valid(xy) : crypto_p384_point_valid(xy);
}

bool vtpm_ecc_derive(uint16_t curve, enum crypto_hash_alg h, const uint8_t *seed, size_t seed_len, const char *label,
		     const void *u, size_t ul, const void *v, size_t vl, uint8_t *d)
{
	if (curve == TPM_ECC_NIST_P256)
		return crypto_p256_derive(h, seed, seed_len, label, u, ul, v, vl, d);
	return crypto_p384_derive(h, seed, seed_len, label, u, ul, v, vl, d);
}

bool vtpm_ecc_sign(uint16_t curve, const uint8_t *d, enum crypto_hash_alg h, const uint8_t *digest, uint8_t *rs)
{
	if (curve == TPM_ECC_NIST_P256)
		return crypto_ecdsa_p256_sign(d, h, digest, rs);
	return crypto_ecdsa_p384_sign(d, h, digest, rs);
}

bool vtpm_ecc_verify(uint16_t curve, const uint8_t *xy, const uint8_t *digest, size_t dlen, const uint8_t *rs)
{
	if (curve == TPM_ECC_NIST_P256)
		return crypto_ecdsa_p256_verify(xy, digest, dlen, rs);
	return crypto_ecdsa_p384_verify(xy, digest, dlen, rs);
}

bool vtpm_ecc_dh(uint16_t curve, const uint8_t *d, const uint8_t *peer, uint8_t *z)
{
	return curve == TPM_ECC_NIST_P256 ? crypto_ecdh_p256(d, peer, z) : crypto_ecdh_p384(d, peer, z);
}

/* Whether the crypto layer implements P-384 and RSA (vtpm/crypto_pending.c stands in until it
 * does): 1·G on P-384, and 2^e mod (a 2048-bit odd modulus). */
bool vtpm_have_p384(void)
{
	uint8_t one[CRYPTO_P384_SCALAR] = { 0 }, xy[CRYPTO_P384_POINT];

	one[CRYPTO_P384_SCALAR - 1] = 1;
	return crypto_p384_public(one, xy);
}

bool vtpm_have_rsa(void)
{
	struct crypto_rsa_pub pub;
	uint8_t in[256] = { 0 }, out[256];

	memset(&pub, 0xff, sizeof(pub));
	pub.bits = 2048;
	pub.e = 65537;
	in[255] = 2;
	return crypto_rsa_public_raw(&pub, in, out);
}

/* ---- loading ----------------------------------------------------------------------------------- */

static uint8_t kind_of(uint16_t type)
{
	switch (type) {
	case TPM_ALG_RSA: return VTPM_OBJ_RSA;
	case TPM_ALG_ECC: return VTPM_OBJ_ECC;
	case TPM_ALG_SYMCIPHER: return VTPM_OBJ_SYMCIPHER;
	default: return VTPM_OBJ_KEYEDHASH;
	}
}

bool vtpm_object_is_parent(const struct vtpm_object *o)
{
	return vtpm_obj_is_key(o) && o->has_sensitive && vtpm_public_is_parent(&o->tp);
}

void vtpm_object_rsa_pub(const struct vtpm_object *o, struct crypto_rsa_pub *pub)
{
	memset(pub, 0, sizeof(*pub));
	pub->bits = o->tp.rsa_bits;
	pub->e = o->tp.rsa_e ? o->tp.rsa_e : 65537u;
	memcpy(pub->n, o->tp.u1, o->tp.u1_len);
}

bool vtpm_object_rsa_priv(const struct vtpm_object *o, struct crypto_rsa_priv *priv)
{
	struct crypto_rsa_pub pub;

	vtpm_object_rsa_pub(o, &pub);
	return o->has_sensitive && crypto_rsa_priv_from_prime(&pub, o->key, o->key_len, priv);
}

/* The public point of an ECC public area, left-padded to the curve size, validated unless the TPM
 * itself produced it. */
static bool ecc_point(const struct vtpm_public *tp, uint8_t *xy, bool trusted)
{
	size_t sz = vtpm_ecc_size(tp->curve);

	memset(xy, 0, 2 * sz);
	memcpy(xy + sz - tp->u1_len, tp->u1, tp->u1_len);
	memcpy(xy + 2 * sz - tp->u2_len, tp->u2, tp->u2_len);
	return trusted || vtpm_ecc_point_valid(tp->curve, xy);
}

/* Does the sensitive area belong to the public one (Part 1, 27.2: the unique field binds them)? */
static uint32_t check_binding(struct vtpm_object *o, const struct vtpm_sensitive *s, enum crypto_hash_alg h,
			      unsigned n, bool trusted)
{
	const struct vtpm_public *tp = &o->tp;
	size_t hl = crypto_hash_size(h), sz;
	uint8_t d[CRYPTO_P384_SCALAR], xy[CRYPTO_P384_POINT], dg[CRYPTO_HASH_MAX_DIGEST];
	struct crypto_rsa_priv priv;
	struct crypto_hash_ctx hc;
	bool ok;

	switch (tp->type) {
	case TPM_ALG_ECC:
		sz = vtpm_ecc_size(tp->curve);
		if (s->key_len == 0 || s->key_len > sz)
			return RC_P(TPM_RC_KEY_SIZE, 1);
		memset(d, 0, sizeof(d));
		memcpy(d + sz - s->key_len, s->key, s->key_len);
		ok = trusted || (vtpm_ecc_public(tp->curve, d, xy) && crypto_ct_equal(xy, o->ecc_xy, 2 * sz));
		memcpy(o->key, d, sz);
		o->key_len = (uint16_t)sz;
		crypto_wipe(d, sizeof(d));
		return ok ? 0 : RC_P(TPM_RC_BINDING, n);
	case TPM_ALG_RSA:
		if (s->key_len != tp->rsa_bits / 16u)
			return RC_P(TPM_RC_KEY_SIZE, 1);
		memcpy(o->key, s->key, s->key_len);
		o->key_len = s->key_len;
		o->has_sensitive = true;
		ok = vtpm_object_rsa_priv(o, &priv);
		crypto_wipe(&priv, sizeof(priv));
		return ok ? 0 : RC_P(TPM_RC_BINDING, n);
	default:
		if (tp->type == TPM_ALG_SYMCIPHER ? s->key_len != tp->sym_bits / 8u
						  : (s->key_len == 0 || s->key_len > VTPM_SYM_DATA_MAX))
			return RC_P(TPM_RC_KEY_SIZE, 1);
		crypto_hash_init(&hc, h);
		crypto_hash_update(&hc, s->seed, s->seed_len);
		crypto_hash_update(&hc, s->key, s->key_len);
		crypto_hash_final(&hc, dg);
		if (tp->u1_len != hl || !crypto_ct_equal(dg, tp->u1, hl))
			return RC_P(TPM_RC_BINDING, n);
		memcpy(o->key, s->key, s->key_len);
		o->key_len = s->key_len;
		return 0;
	}
}

static uint32_t fill_sensitive(struct vtpm_object *o, const struct vtpm_sensitive *s, enum crypto_hash_alg h,
			       unsigned n, bool trusted)
{
	size_t hl = crypto_hash_size(h);
	bool needs_seed = vtpm_public_is_parent(&o->tp) || o->tp.type == TPM_ALG_KEYEDHASH ||
			  o->tp.type == TPM_ALG_SYMCIPHER;
	uint32_t rc;

	if (s->type != o->tp.type)
		return RC_P(TPM_RC_TYPE, 1);
	if (vtpm_trim_zeros(s->auth, s->auth_len) > hl)
		return RC_P(TPM_RC_SIZE, 1);
	/* seedValue: a parent's protection seed and a symmetric object's obfuscation value are a
	 * digest of nameAlg; other keys do not use it (tpm2-tools' LoadExternal sends one anyway) */
	if (needs_seed ? s->seed_len != hl : s->seed_len > hl)
		return RC_P(TPM_RC_KEY_SIZE, 1);
	rc = check_binding(o, s, h, n, trusted);
	if (rc)
		return rc;
	memcpy(o->auth, s->auth, s->auth_len);
	o->auth_len = vtpm_trim_zeros(s->auth, s->auth_len);
	memcpy(o->seed, s->seed, s->seed_len);
	o->seed_len = s->seed_len;
	o->has_sensitive = true;
	return 0;
}

static uint32_t object_fill(struct vtpm_object *o, const struct vtpm_public *tp, const uint8_t *pub, size_t pub_len,
			    const struct vtpm_sensitive *s, uint32_t hier, const uint8_t *pqn, size_t pqn_len, unsigned n,
			    bool trusted)
{
	enum crypto_hash_alg h;
	uint8_t qin[2 + 2 * CRYPTO_HASH_MAX_DIGEST + 4];
	size_t hl;

	if (pub_len > sizeof(o->pub) || pqn_len > sizeof(o->qname))
		return RC_P(TPM_RC_SIZE, n);
	(void)vtpm_hash_from_alg(tp->name_alg, &h);
	hl = crypto_hash_size(h);
	o->kind = kind_of(tp->type);
	o->tp = *tp;
	o->attrs = tp->attrs;
	o->name_alg = tp->name_alg;
	o->scheme = tp->type == TPM_ALG_RSA || tp->type == TPM_ALG_ECC ? tp->scheme : TPM_ALG_NULL;
	o->scheme_hash = tp->scheme_hash;
	memcpy(o->policy, tp->policy, tp->policy_len);
	o->policy_len = tp->policy_len;
	o->hierarchy = hier;
	if (tp->type == TPM_ALG_ECC && !ecc_point(tp, o->ecc_xy, trusted))
		return RC_P(TPM_RC_ECC_POINT, n);
	if (tp->type == TPM_ALG_RSA && tp->u1_len != tp->rsa_bits / 8u)
		return RC_P(TPM_RC_KEY, n);
	if (pub != o->pub)
		memcpy(o->pub, pub, pub_len);
	o->pub_len = (uint16_t)pub_len;
	vtpm_set_be16(o->name, tp->name_alg);
	crypto_hash(h, pub, pub_len, o->name + 2);
	o->name_len = (uint16_t)(2 + hl);
	memcpy(qin, pqn, pqn_len);
	memcpy(qin + pqn_len, o->name, o->name_len);
	vtpm_set_be16(o->qname, tp->name_alg);
	crypto_hash(h, qin, pqn_len + o->name_len, o->qname + 2);
	o->qname_len = o->name_len;
	return s ? fill_sensitive(o, s, h, n, trusted) : 0;
}

uint32_t vtpm_object_fill(struct vtpm_object *o, const struct vtpm_public *tp, const uint8_t *pub, size_t pub_len,
			  const struct vtpm_sensitive *s, uint32_t hier, const uint8_t *pqn, size_t pqn_len, unsigned n)
{
	return object_fill(o, tp, pub, pub_len, s, hier, pqn, pqn_len, n, false);
}

uint32_t vtpm_object_fill_trusted(struct vtpm_object *o, const struct vtpm_public *tp, const uint8_t *pub,
				  size_t pub_len, const struct vtpm_sensitive *s, uint32_t hier, const uint8_t *pqn,
				  size_t pqn_len, unsigned n)
{
	return object_fill(o, tp, pub, pub_len, s, hier, pqn, pqn_len, n, true);
}

uint32_t vtpm_object_commit(struct vtpm *t, struct vtpm_object *tmp, uint32_t rc, struct vtpm_object **out)
{
	struct vtpm_object *o = rc ? NULL : vtpm_object_alloc(t);

	if (!rc && !o)
		rc = TPM_RC_OBJECT_MEMORY;
	if (rc) {
		crypto_wipe(tmp, sizeof(*tmp));
		return rc;
	}
	tmp->used = true;
	tmp->handle = o->handle;
	*o = *tmp;
	crypto_wipe(tmp, sizeof(*tmp));
	*out = o;
	return 0;
}

void vtpm_object_sensitive(const struct vtpm_object *o, struct vtpm_sensitive *s)
{
	memset(s, 0, sizeof(*s));
	s->type = o->tp.type;
	memcpy(s->auth, o->auth, o->auth_len);
	s->auth_len = o->auth_len;
	memcpy(s->seed, o->seed, o->seed_len);
	s->seed_len = o->seed_len;
	memcpy(s->key, o->key, o->key_len);
	s->key_len = o->key_len;
}

/* ---- secret sharing ---------------------------------------------------------------------------- */

/* ECC: in is a TPMS_ECC_POINT Q; secret = KDFe(nameAlg, x(d·Q), label, Q.x, key.x, digest bits)
 * (Part 1, 11.4.10.3 and Annex C.6). */
static uint32_t ecc_secret(struct vtpm_object *o, const char *label, const uint8_t *in, size_t in_len, uint8_t *out,
			   size_t *out_len)
{
	size_t sz = vtpm_ecc_size(o->tp.curve);
	uint8_t x[CRYPTO_P384_SCALAR], y[CRYPTO_P384_SCALAR], q[CRYPTO_P384_POINT], z[CRYPTO_P384_SCALAR];
	uint16_t xl, yl;
	enum crypto_hash_alg h;
	struct vtpm_rd r;
	bool ok;

	vtpm_rd_init(&r, in, in_len);
	if (vtpm_get_tpm2b(&r, x, &xl, sz) || vtpm_get_tpm2b(&r, y, &yl, sz) || vtpm_rd_left(&r))
		return TPM_RC_SIZE;
	memset(q, 0, sizeof(q));
	memcpy(q + sz - xl, x, xl);
	memcpy(q + 2 * sz - yl, y, yl);
	if (!vtpm_ecc_point_valid(o->tp.curve, q))
		return TPM_RC_ECC_POINT;
	if (!vtpm_ecc_dh(o->tp.curve, o->key, q, z))
		return TPM_RC_ECC_POINT;
	(void)vtpm_hash_from_alg(o->name_alg, &h);
	/* partyUInfo is the ephemeral x as the caller sent it (its TPM2B contents) */
	ok = crypto_kdfe(h, z, sz, label, x, xl, o->ecc_xy, sz, (uint32_t)(8 * crypto_hash_size(h)), out);
	crypto_wipe(z, sizeof(z));
	*out_len = crypto_hash_size(h);
	return ok ? 0 : TPM_RC_FAILURE;
}

uint32_t vtpm_object_decrypt_secret(struct vtpm *t, struct vtpm_object *o, const char *label, const uint8_t *in,
				    size_t in_len, uint8_t *out, size_t *out_len)
{
	struct crypto_rsa_priv priv;
	enum crypto_hash_alg h;
	bool ok;

	(void)t;
	if (!vtpm_obj_is_key(o) || !o->has_sensitive)
		return TPM_RC_KEY;
	if (!(o->attrs & TPMA_OBJECT_DECRYPT))
		return TPM_RC_ATTRIBUTES;
	if (o->kind == VTPM_OBJ_ECC)
		return ecc_secret(o, label, in, in_len, out, out_len);
	if (o->kind != VTPM_OBJ_RSA)
		return TPM_RC_KEY;
	if (o->scheme != TPM_ALG_NULL && o->scheme != TPM_ALG_OAEP)
		return TPM_RC_SCHEME;
	(void)vtpm_hash_from_alg(o->name_alg, &h);
	if (!vtpm_object_rsa_priv(o, &priv))
		return TPM_RC_FAILURE;
	ok = crypto_rsa_oaep_decrypt(&priv, h, label, strlen(label) + 1, in, in_len, out, out_len);
	crypto_wipe(&priv, sizeof(priv));
	return ok ? 0 : TPM_RC_VALUE;
}
