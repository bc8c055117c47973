/* ECC P-256 signing keys: CreatePrimary, Sign, VerifySignature, Quote (TPM 2.0 Library Part 3,
 * 24.1, 20.2, 20.1, 18.4) and the hierarchy proofs their tickets use.
 *
 * Object model: an ECC key is a struct vtpm_object of kind VTPM_OBJ_ECC holding its TPMT_PUBLIC as
 * produced (canonical marshalling), Name = nameAlg || H_nameAlg(TPMT_PUBLIC), the authValue, the
 * private scalar (never leaves the TPM except inside an encrypted context blob) and the hierarchy.
 *
 * Primary keys are derived, never drawn (docs/vtpm.md "Primary-key derivation", FROZEN v1):
 *   d = crypto_p256_derive(nameAlg, seed(hierarchy), "Primary Object Creation",
 *                          ctxU = nameAlg || H_nameAlg(inPublic as sent), ctxV = inSensitive.data)
 * so the same template in the same hierarchy gives the same key until the seed changes.
 *
 * Hierarchy proofs (ticket and object-context HMAC keys): proof(h) = KDFa(SHA-256, seed(h),
 * "Mantle hierarchy proof", ctxU, -, 256) with ctxU = SPS for the endorsement hierarchy and empty
 * otherwise, so they change when the spec's proofs do: owner and endorsement at Clear, platform
 * never here (no ChangePPS), NULL at every _TPM_Init (its tickets are NULL tickets anyway). */
#include "core/str.h"
#include "vtpm/internal.h"

#define DATA_MAX 66u      /* TPM2B_DATA: sizeof(TPMT_HA) */
#define SENS_DATA_MAX 128u /* TPM2B_SENSITIVE_DATA (MAX_SYM_DATA) */
#define LABEL_PRIMARY "Primary Object Creation"

static const uint8_t *hier_seed(const struct vtpm *t, uint32_t hier)
{
	switch (hier) {
	case TPM_RH_OWNER: return t->p.sps;
	case TPM_RH_ENDORSEMENT: return t->p.eps;
	case TPM_RH_PLATFORM: return t->p.pps;
	case TPM_RH_NULL: return t->null_seed;
	default: return NULL;
	}
}

bool vtpm_hierarchy_proof(const struct vtpm *t, uint32_t hier, uint8_t proof[32])
{
	const uint8_t *seed = hier_seed(t, hier);
	/* ehProof changes with Clear as well as with the EPS (Part 3, 24.6): SPS is its context. */
	const uint8_t *ctx = hier == TPM_RH_ENDORSEMENT ? t->p.sps : NULL;

	return seed && hier != TPM_RH_NULL &&
	       crypto_kdfa(CRYPTO_SHA256, seed, VTPM_SEED_SIZE, "Mantle hierarchy proof", ctx,
			   ctx ? VTPM_SEED_SIZE : 0, NULL, 0, 256, proof);
}

void vtpm_flush_hierarchy(struct vtpm *t, uint32_t hier)
{
	for (unsigned i = 0; i < VTPM_OBJECTS; i++) {
		struct vtpm_object *o = &t->objects[i];

		if (o->used && o->kind == VTPM_OBJ_ECC && o->hierarchy == hier)
			crypto_wipe(o, sizeof(*o));
	}
}

/* A ticket (Part 2, 10.7): tag, hierarchy, TPM2B digest = HMAC_alg(proof(hier), tag || a || b).
 * NULL hierarchy (or none): the NULL ticket with an empty digest. */
void vtpm_put_ticket(const struct vtpm *t, struct vtpm_wr *w, uint16_t tag, uint32_t hier,
		     enum crypto_hash_alg alg, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
	uint8_t proof[32], mac[CRYPTO_HASH_MAX_DIGEST], tg[2];
	struct crypto_hmac_ctx m;

	vtpm_put_u16(w, tag);
	if (!vtpm_hierarchy_proof(t, hier, proof)) {
		vtpm_put_u32(w, TPM_RH_NULL);
		vtpm_put_u16(w, 0);
		return;
	}
	vtpm_set_be16(tg, tag);
	crypto_hmac_init(&m, alg, proof, sizeof(proof));
	crypto_hmac_update(&m, tg, 2);
	crypto_hmac_update(&m, a, a_len);
	crypto_hmac_update(&m, b, b_len);
	crypto_hmac_final(&m, mac);
	vtpm_put_u32(w, hier);
	vtpm_put_tpm2b(w, mac, (uint16_t)crypto_hash_size(alg));
	crypto_wipe(proof, sizeof(proof));
}

/* ---- PCR selections (TPML_PCR_SELECTION, Part 2, 10.9.7) ---------------------------------------- */

struct pcr_list {
	uint32_t count;
	struct {
		uint16_t alg;
		uint8_t size;
		uint8_t bits[4];
	} s[VTPM_BANKS];
};

/* Parses a selection; PCRs of unallocated banks are dropped (Part 1, 17.5: the TPM filters the
 * selection to what is implemented); other hashes, too many entries, bad sizes: parameter n. */
static uint32_t get_pcr_list(const struct vtpm *t, struct vtpm_rd *r, unsigned n, struct pcr_list *l)
{
	uint32_t count;

	if (!vtpm_get_u32(r, &count))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (count > VTPM_BANKS)
		return RC_P(TPM_RC_SIZE, n);
	l->count = count;
	for (uint32_t i = 0; i < count; i++) {
		int b;

		memset(l->s[i].bits, 0, 4);
		if (!vtpm_get_u16(r, &l->s[i].alg) || !vtpm_get_u8(r, &l->s[i].size))
			return RC_P(TPM_RC_INSUFFICIENT, n);
		if (l->s[i].size < 1 || l->s[i].size > 4)
			return RC_P(TPM_RC_VALUE, n);
		if (!vtpm_get_bytes(r, l->s[i].bits, l->s[i].size))
			return RC_P(TPM_RC_INSUFFICIENT, n);
		b = vtpm_bank_of_alg(l->s[i].alg);
		if (b < 0)
			return RC_P(TPM_RC_HASH, n);
		if (!(t->active_alloc >> b & 1u))
			memset(l->s[i].bits, 0, 4);
		if (l->s[i].size == 4)
			l->s[i].bits[3] = 0; /* PCRs 24-31 are not implemented */
	}
	return 0;
}

static void put_pcr_list(struct vtpm_wr *w, const struct pcr_list *l)
{
	vtpm_put_u32(w, l->count);
	for (uint32_t i = 0; i < l->count; i++) {
		vtpm_put_u16(w, l->s[i].alg);
		vtpm_put_u8(w, l->s[i].size);
		vtpm_put_bytes(w, l->s[i].bits, l->s[i].size);
	}
}

/* H_alg of the selected PCR values, in selection order, ascending within a selection. */
static void pcr_digest(const struct vtpm *t, const struct pcr_list *l, enum crypto_hash_alg alg, uint8_t *out)
{
	struct crypto_hash_ctx h;

	crypto_hash_init(&h, alg);
	for (uint32_t i = 0; i < l->count; i++) {
		int b = vtpm_bank_of_alg(l->s[i].alg);
		size_t dl = crypto_hash_size(vtpm_bank_hash((unsigned)b));

		for (unsigned p = 0; p < 8u * l->s[i].size && p < VTPM_PCR_COUNT; p++)
			if (l->s[i].bits[p / 8] >> (p % 8) & 1u)
				crypto_hash_update(&h, t->pcr[b][p], dl);
	}
	crypto_hash_final(&h, out);
}

/* ---- TPMT_PUBLIC of an ECC signing key ----------------------------------------------------------- */

struct ecc_template {
	uint16_t name_alg, scheme, scheme_hash, policy_len;
	uint32_t attrs;
	uint8_t policy[CRYPTO_HASH_MAX_DIGEST];
};

/* Parses and checks a template (parameter n); unique is read and ignored (it only feeds the
 * derivation through the Name of the template). */
static uint32_t parse_template(const uint8_t *p, uint16_t len, unsigned n, struct ecc_template *e)
{
	struct vtpm_rd r;
	uint16_t type, sym, curve, kdf, xl, yl;
	uint8_t xy[2 * 32];
	enum crypto_hash_alg h;
	uint32_t rc;

	vtpm_rd_init(&r, p, len);
	if (!vtpm_get_u16(&r, &type) || !vtpm_get_u16(&r, &e->name_alg) || !vtpm_get_u32(&r, &e->attrs))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (type != TPM_ALG_ECC)
		return RC_P(TPM_RC_TYPE, n); /* RSA, symmetric, keyedHash primaries: not in this slice */
	if (!vtpm_hash_from_alg(e->name_alg, &h))
		return RC_P(TPM_RC_HASH, n);
	if (e->attrs & TPMA_OBJECT_RESERVED)
		return RC_P(TPM_RC_RESERVED_BITS, n);
	rc = vtpm_get_tpm2b(&r, e->policy, &e->policy_len, sizeof(e->policy));
	if (rc)
		return vtpm_param_rc(rc, n);
	if (e->policy_len != 0 && e->policy_len != crypto_hash_size(h))
		return RC_P(TPM_RC_SIZE, n);
	if (!vtpm_get_u16(&r, &sym))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (sym != TPM_ALG_NULL)
		return RC_P(TPM_RC_SYMMETRIC, n); /* only restricted decryption keys have one */
	if (!vtpm_get_u16(&r, &e->scheme))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	e->scheme_hash = TPM_ALG_NULL;
	if (e->scheme == TPM_ALG_ECDSA) {
		if (!vtpm_get_u16(&r, &e->scheme_hash))
			return RC_P(TPM_RC_INSUFFICIENT, n);
		if (!vtpm_hash_from_alg(e->scheme_hash, &h))
			return RC_P(TPM_RC_HASH, n);
	} else if (e->scheme != TPM_ALG_NULL) {
		return RC_P(TPM_RC_SCHEME, n); /* ECDAA, SM2, ECSchnorr, ECDH, ECMQV: not supported */
	}
	if (!vtpm_get_u16(&r, &curve) || !vtpm_get_u16(&r, &kdf))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (curve != TPM_ECC_NIST_P256)
		return RC_P(TPM_RC_CURVE, n);
	if (kdf != TPM_ALG_NULL)
		return RC_P(TPM_RC_KDF, n);
	rc = vtpm_get_tpm2b(&r, xy, &xl, 32);
	if (!rc)
		rc = vtpm_get_tpm2b(&r, xy + 32, &yl, 32);
	if (rc)
		return vtpm_param_rc(rc, n);
	if (vtpm_rd_left(&r))
		return RC_P(TPM_RC_SIZE, n);
	/* Attributes (Part 1, 27.2; Part 2, 8.3.3): a signing key, not a decryption key (ECDH and
	 * storage keys are not in this slice); fixedTPM needs fixedParent; the TPM generates the
	 * private key, so sensitiveDataOrigin; a restricted signing key needs a full scheme. */
	if (!(e->attrs & TPMA_OBJECT_SIGN) || (e->attrs & (TPMA_OBJECT_DECRYPT | TPMA_OBJECT_X509SIGN)))
		return RC_P(TPM_RC_ATTRIBUTES, n);
	if ((e->attrs & TPMA_OBJECT_FIXEDTPM) && !(e->attrs & TPMA_OBJECT_FIXEDPARENT))
		return RC_P(TPM_RC_ATTRIBUTES, n);
	if (!(e->attrs & TPMA_OBJECT_SENSITIVEDATAORIGIN))
		return RC_P(TPM_RC_ATTRIBUTES, n);
	if ((e->attrs & TPMA_OBJECT_RESTRICTED) && e->scheme == TPM_ALG_NULL)
		return RC_P(TPM_RC_SCHEME, n);
	return 0;
}

static void put_public(struct vtpm_wr *w, const struct ecc_template *e, const uint8_t xy[64])
{
	vtpm_put_u16(w, TPM_ALG_ECC);
	vtpm_put_u16(w, e->name_alg);
	vtpm_put_u32(w, e->attrs);
	vtpm_put_tpm2b(w, e->policy, e->policy_len);
	vtpm_put_u16(w, TPM_ALG_NULL); /* symmetric */
	vtpm_put_u16(w, e->scheme);
	if (e->scheme != TPM_ALG_NULL)
		vtpm_put_u16(w, e->scheme_hash);
	vtpm_put_u16(w, TPM_ECC_NIST_P256);
	vtpm_put_u16(w, TPM_ALG_NULL); /* kdf */
	vtpm_put_tpm2b(w, xy, 32);
	vtpm_put_tpm2b(w, xy + 32, 32);
}

/* Reads a TPM2B in place; rc numbers parameter n. */
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

/* qualifiedName of a primary key: nameAlg || H(handle of its hierarchy || Name) (Part 1, 16). */
static uint16_t qualified_name(const struct vtpm_object *o, uint32_t hier, uint8_t *qn)
{
	uint8_t in[4 + 2 + CRYPTO_HASH_MAX_DIGEST];
	enum crypto_hash_alg h;

	(void)vtpm_hash_from_alg(o->name_alg, &h);
	vtpm_set_be32(in, hier);
	memcpy(in + 4, o->name, o->name_len);
	vtpm_set_be16(qn, o->name_alg);
	crypto_hash(h, in, 4u + o->name_len, qn + 2);
	return (uint16_t)(2 + crypto_hash_size(h));
}

uint32_t vtpm_cmd_create_primary(struct vtpm *t, struct vtpm_cmd *c)
{
	uint32_t hier = c->handles[0], rc;
	const uint8_t *sens, *pub, *outside;
	uint16_t sens_len, pub_len, outside_len, auth_len, data_len;
	uint8_t auth[VTPM_AUTH_MAX], data[SENS_DATA_MAX], tname[2 + CRYPTO_HASH_MAX_DIGEST];
	uint8_t d[32], xy[64], cd_buf[512], chash[CRYPTO_HASH_MAX_DIGEST], pdig[CRYPTO_HASH_MAX_DIGEST];
	struct ecc_template e;
	struct pcr_list sel;
	struct vtpm_rd sr;
	struct vtpm_object tmp, *o;
	struct vtpm_wr pw, cw;
	enum crypto_hash_alg h;
	size_t hl;

	if (hier != TPM_RH_OWNER && hier != TPM_RH_ENDORSEMENT && hier != TPM_RH_PLATFORM && hier != TPM_RH_NULL)
		return RC_H(TPM_RC_VALUE, 1);
	if ((hier == TPM_RH_OWNER && !t->sh_enable) || (hier == TPM_RH_ENDORSEMENT && !t->eh_enable) ||
	    (hier == TPM_RH_PLATFORM && !t->ph_enable))
		return RC_H(TPM_RC_HIERARCHY, 1);
	/* inSensitive: TPM2B_SENSITIVE_CREATE { userAuth, data } */
	rc = get_sized(&c->in, 1, &sens, &sens_len, 4u + VTPM_AUTH_MAX + SENS_DATA_MAX);
	if (rc)
		return rc;
	vtpm_rd_init(&sr, sens, sens_len);
	rc = vtpm_get_tpm2b(&sr, auth, &auth_len, sizeof(auth));
	if (!rc)
		rc = vtpm_get_tpm2b(&sr, data, &data_len, sizeof(data));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (vtpm_rd_left(&sr))
		return RC_P(TPM_RC_SIZE, 1);
	rc = get_sized(&c->in, 2, &pub, &pub_len, VTPM_PUBLIC_MAX);
	if (rc)
		return rc;
	rc = get_sized(&c->in, 3, &outside, &outside_len, DATA_MAX);
	if (rc)
		return rc;
	rc = get_pcr_list(t, &c->in, 4, &sel);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (pub_len == 0)
		return RC_P(TPM_RC_SIZE, 2);
	rc = parse_template(pub, pub_len, 2, &e);
	if (rc)
		return rc;
	(void)vtpm_hash_from_alg(e.name_alg, &h);
	hl = crypto_hash_size(h);
	if (auth_len > hl)
		return RC_P(TPM_RC_SIZE, 1);
	if (data_len != 0)
		return RC_P(TPM_RC_SIZE, 1); /* an asymmetric key's private part comes from the TPM */

	/* Derivation (FROZEN v1, docs/vtpm.md). */
	vtpm_set_be16(tname, e.name_alg);
	crypto_hash(h, pub, pub_len, tname + 2);
	if (!crypto_p256_derive(h, hier_seed(t, hier), VTPM_SEED_SIZE, LABEL_PRIMARY, tname, 2 + hl, data,
				data_len, d) ||
	    !crypto_p256_public(d, xy)) {
		crypto_wipe(d, sizeof(d));
		return TPM_RC_FAILURE; /* probability < 2^-128 */
	}
	o = vtpm_object_alloc(t);
	if (!o) {
		crypto_wipe(d, sizeof(d));
		return TPM_RC_OBJECT_MEMORY;
	}
	memset(&tmp, 0, sizeof(tmp));
	tmp.used = true;
	tmp.handle = o->handle;
	tmp.kind = VTPM_OBJ_ECC;
	tmp.name_alg = e.name_alg;
	tmp.attrs = e.attrs;
	tmp.scheme = e.scheme;
	tmp.scheme_hash = e.scheme_hash;
	tmp.hierarchy = hier;
	tmp.has_sensitive = true;
	memcpy(tmp.auth, auth, auth_len);
	tmp.auth_len = vtpm_trim_zeros(auth, auth_len);
	memcpy(tmp.key, d, 32);
	tmp.key_len = 32;
	memcpy(tmp.ecc_xy, xy, 64);
	memcpy(tmp.policy, e.policy, e.policy_len);
	tmp.policy_len = e.policy_len;
	pw = (struct vtpm_wr){ .p = tmp.pub, .cap = sizeof(tmp.pub) };
	put_public(&pw, &e, xy);
	if (pw.overflow) {
		crypto_wipe(&tmp, sizeof(tmp));
		crypto_wipe(d, sizeof(d));
		crypto_wipe(o, sizeof(*o)); /* frees the slot again: a failed command changes nothing */
		return TPM_RC_FAILURE;
	}
	tmp.pub_len = (uint16_t)pw.len;
	vtpm_set_be16(tmp.name, e.name_alg);
	crypto_hash(h, tmp.pub, tmp.pub_len, tmp.name + 2);
	tmp.name_len = (uint16_t)(2 + hl);

	/* TPMS_CREATION_DATA (Part 2, 15.1): the parent of a primary is its hierarchy, named by its
	 * handle (nameAlg NULL). */
	pcr_digest(t, &sel, h, pdig);
	cw = (struct vtpm_wr){ .p = cd_buf, .cap = sizeof(cd_buf) };
	put_pcr_list(&cw, &sel);
	vtpm_put_tpm2b(&cw, pdig, (uint16_t)hl);
	vtpm_put_u8(&cw, (uint8_t)(1u << t->locality));
	vtpm_put_u16(&cw, TPM_ALG_NULL);
	vtpm_put_u16(&cw, 4);
	vtpm_put_u32(&cw, hier);
	vtpm_put_u16(&cw, 4);
	vtpm_put_u32(&cw, hier);
	vtpm_put_tpm2b(&cw, outside, outside_len);
	if (cw.overflow) {
		crypto_wipe(&tmp, sizeof(tmp));
		crypto_wipe(d, sizeof(d));
		crypto_wipe(o, sizeof(*o));
		return TPM_RC_FAILURE;
	}
	crypto_hash(h, cd_buf, cw.len, chash);

	*o = tmp;
	crypto_wipe(&tmp, sizeof(tmp));
	crypto_wipe(d, sizeof(d));
	c->rsp_handle = o->handle;
	vtpm_put_tpm2b(&c->out, o->pub, o->pub_len);
	vtpm_put_tpm2b(&c->out, cd_buf, (uint16_t)cw.len);
	vtpm_put_tpm2b(&c->out, chash, (uint16_t)hl);
	/* creationTicket = HMAC(proof, TPM_ST_CREATION || Name || creationHash) */
	vtpm_put_ticket(t, &c->out, TPM_ST_CREATION, hier, h, o->name, o->name_len, chash, hl);
	vtpm_put_tpm2b(&c->out, o->name, o->name_len);
	return 0;
}

/* ---- signing ------------------------------------------------------------------------------------ */

static uint32_t signing_key(struct vtpm *t, uint32_t handle, struct vtpm_object **out)
{
	struct vtpm_object *o = vtpm_object_find(t, handle);

	if (!o)
		return RC_H(TPM_RC_HANDLE, 1);
	if (o->kind != VTPM_OBJ_ECC)
		return RC_H(TPM_RC_KEY, 1); /* only ECC keys sign in this slice */
	if (!(o->attrs & TPMA_OBJECT_SIGN))
		return RC_H(TPM_RC_KEY, 1);
	*out = o;
	return 0;
}

/* TPMT_SIG_SCHEME (parameter n) against the key's scheme (Part 1, 27.2.4 / Part 3, 20.2.1): the
 * key's scheme wins; a NULL key scheme takes the command's; both set and different: TPM_RC_SCHEME. */
static uint32_t get_scheme(struct vtpm_rd *r, unsigned n, const struct vtpm_object *o, uint16_t *hash_alg,
			   enum crypto_hash_alg *h)
{
	uint16_t scheme, hash = TPM_ALG_NULL;

	if (!vtpm_get_u16(r, &scheme))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (scheme != TPM_ALG_NULL) {
		if (!vtpm_get_u16(r, &hash))
			return RC_P(TPM_RC_INSUFFICIENT, n);
		if (scheme != TPM_ALG_ECDSA)
			return RC_P(TPM_RC_SCHEME, n);
		if (!vtpm_hash_from_alg(hash, h))
			return RC_P(TPM_RC_HASH, n);
	}
	if (o->scheme != TPM_ALG_NULL) {
		if (scheme != TPM_ALG_NULL && hash != o->scheme_hash)
			return RC_P(TPM_RC_SCHEME, n);
		hash = o->scheme_hash;
	} else if (scheme == TPM_ALG_NULL) {
		return RC_P(TPM_RC_SCHEME, n);
	}
	*hash_alg = hash;
	(void)vtpm_hash_from_alg(hash, h);
	return 0;
}

/* ECDSA over digest (already hashed), TPMT_SIGNATURE out. */
static uint32_t put_signature(struct vtpm_wr *w, const struct vtpm_object *o, uint16_t hash_alg,
			      enum crypto_hash_alg h, const uint8_t *digest)
{
	uint8_t rs[64];

	if (!crypto_ecdsa_p256_sign(o->key, h, digest, rs))
		return TPM_RC_FAILURE;
	vtpm_put_u16(w, TPM_ALG_ECDSA);
	vtpm_put_u16(w, hash_alg);
	vtpm_put_tpm2b(w, rs, 32);
	vtpm_put_tpm2b(w, rs + 32, 32);
	return 0;
}

uint32_t vtpm_cmd_sign(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t digest[CRYPTO_HASH_MAX_DIGEST], tk[CRYPTO_HASH_MAX_DIGEST], want[CRYPTO_HASH_MAX_DIGEST];
	uint8_t proof[32], tg[2];
	uint16_t dlen, tag, tklen, hash_alg;
	uint32_t tk_hier, rc;
	struct vtpm_object *o;
	struct crypto_hmac_ctx m;
	enum crypto_hash_alg h;

	rc = signing_key(t, c->handles[0], &o);
	if (rc)
		return rc;
	rc = vtpm_get_tpm2b(&c->in, digest, &dlen, sizeof(digest));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = get_scheme(&c->in, 2, o, &hash_alg, &h);
	if (rc)
		return rc;
	if (!vtpm_get_u16(&c->in, &tag) || !vtpm_get_u32(&c->in, &tk_hier))
		return RC_P(TPM_RC_INSUFFICIENT, 3);
	rc = vtpm_get_tpm2b(&c->in, tk, &tklen, sizeof(tk));
	if (rc)
		return vtpm_param_rc(rc, 3);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (tag != TPM_ST_HASHCHECK)
		return RC_P(TPM_RC_TAG, 3);
	if (dlen != crypto_hash_size(h))
		return RC_P(TPM_RC_SIZE, 1);
	/* A restricted key signs only digests of data the TPM hashed and found not to start with
	 * TPM_GENERATED_VALUE: the hashcheck ticket HMAC(proof(hierarchy), TPM_ST_HASHCHECK || digest)
	 * proves it (Part 1, 11.4.6.3; Part 3, 20.2.1). */
	if (o->attrs & TPMA_OBJECT_RESTRICTED) {
		bool ok = vtpm_hierarchy_proof(t, tk_hier, proof) && tklen == crypto_hash_size(h);

		if (ok) {
			vtpm_set_be16(tg, TPM_ST_HASHCHECK);
			crypto_hmac_init(&m, h, proof, sizeof(proof));
			crypto_hmac_update(&m, tg, 2);
			crypto_hmac_update(&m, digest, dlen);
			crypto_hmac_final(&m, want);
			ok = crypto_ct_equal(want, tk, tklen);
			crypto_wipe(proof, sizeof(proof));
		}
		if (!ok)
			return RC_P(TPM_RC_TICKET, 3);
	}
	return put_signature(&c->out, o, hash_alg, h, digest);
}

uint32_t vtpm_object_verify(struct vtpm *t, uint32_t handle, unsigned hn, const uint8_t *digest, size_t dlen,
			    struct vtpm_rd *in, unsigned n, struct vtpm_object **key)
{
	uint8_t r[32], s[32], rs[64];
	uint16_t sig_alg, hash, rl, sl;
	struct vtpm_object *o = vtpm_object_find(t, handle);
	enum crypto_hash_alg h;
	uint32_t rc;

	if (!o)
		return RC_H(TPM_RC_HANDLE, hn);
	if (o->kind != VTPM_OBJ_ECC)
		return RC_H(TPM_RC_KEY, hn);
	if (!(o->attrs & TPMA_OBJECT_SIGN))
		return RC_H(TPM_RC_ATTRIBUTES, hn);
	if (!vtpm_get_u16(in, &sig_alg))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (sig_alg != TPM_ALG_ECDSA) {
		in->off = in->len;
		return RC_P(TPM_RC_SCHEME, n);
	}
	if (!vtpm_get_u16(in, &hash))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	rc = vtpm_get_tpm2b(in, r, &rl, sizeof(r));
	if (!rc)
		rc = vtpm_get_tpm2b(in, s, &sl, sizeof(s));
	if (rc)
		return vtpm_param_rc(rc, n);
	if (!vtpm_hash_from_alg(hash, &h))
		return RC_P(TPM_RC_HASH, n);
	if (dlen == 0)
		return RC_P(TPM_RC_SIZE, n);
	/* r and s are numbers: shorter encodings are left-padded */
	memset(rs, 0, sizeof(rs));
	memcpy(rs + 32 - rl, r, rl);
	memcpy(rs + 64 - sl, s, sl);
	if (!crypto_ecdsa_p256_verify(o->ecc_xy, digest, dlen, rs))
		return RC_P(TPM_RC_SIGNATURE, n);
	*key = o;
	return 0;
}

uint32_t vtpm_cmd_verify_signature(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t digest[CRYPTO_HASH_MAX_DIGEST];
	uint16_t dlen;
	struct vtpm_object *o;
	enum crypto_hash_alg nh;
	uint32_t rc;

	rc = vtpm_get_tpm2b(&c->in, digest, &dlen, sizeof(digest));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (dlen == 0)
		return RC_P(TPM_RC_SIZE, 1);
	rc = vtpm_object_verify(t, c->handles[0], 1, digest, dlen, &c->in, 2, &o);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	/* TPMT_TK_VERIFIED = HMAC_nameAlg(proof, TPM_ST_VERIFIED || digest || keyName) */
	(void)vtpm_hash_from_alg(o->name_alg, &nh);
	vtpm_put_ticket(t, &c->out, TPM_ST_VERIFIED, o->hierarchy, nh, digest, dlen, o->name, o->name_len);
	return 0;
}

uint32_t vtpm_cmd_quote(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t qdata[DATA_MAX], att[VTPM_PUBLIC_MAX * 2], qn[2 + CRYPTO_HASH_MAX_DIGEST];
	uint8_t pdig[CRYPTO_HASH_MAX_DIGEST], adig[CRYPTO_HASH_MAX_DIGEST];
	uint16_t qlen, hash_alg, qn_len;
	struct vtpm_object *o;
	struct pcr_list sel;
	struct vtpm_wr w;
	enum crypto_hash_alg h;
	uint32_t rc;

	rc = signing_key(t, c->handles[0], &o);
	if (rc)
		return rc;
	rc = vtpm_get_tpm2b(&c->in, qdata, &qlen, sizeof(qdata));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = get_scheme(&c->in, 2, o, &hash_alg, &h);
	if (rc)
		return rc;
	rc = get_pcr_list(t, &c->in, 3, &sel);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	pcr_digest(t, &sel, h, pdig);
	qn_len = qualified_name(o, o->hierarchy, qn);
	/* TPMS_ATTEST (Part 2, 10.12.12). clockInfo and firmwareVersion are reported as they are
	 * (the privacy obfuscation for keys outside the endorsement/platform hierarchies is not done
	 * yet, docs/vtpm.md). */
	w = (struct vtpm_wr){ .p = att, .cap = sizeof(att) };
	vtpm_put_u32(&w, TPM_GENERATED_VALUE);
	vtpm_put_u16(&w, TPM_ST_ATTEST_QUOTE);
	vtpm_put_tpm2b(&w, qn, qn_len);
	vtpm_put_tpm2b(&w, qdata, qlen);
	vtpm_put_u64(&w, vtpm_clock_now(t));
	vtpm_put_u32(&w, t->p.reset_count);
	vtpm_put_u32(&w, t->p.restart_count);
	vtpm_put_u8(&w, 1); /* safe: the clock only moves forward and persists with every change */
	vtpm_put_u64(&w, ((uint64_t)VTPM_FIRMWARE_1 << 32) | VTPM_FIRMWARE_2);
	put_pcr_list(&w, &sel);
	vtpm_put_tpm2b(&w, pdig, (uint16_t)crypto_hash_size(h));
	if (w.overflow)
		return TPM_RC_FAILURE;
	crypto_hash(h, att, w.len, adig);
	vtpm_put_tpm2b(&c->out, att, (uint16_t)w.len);
	return put_signature(&c->out, o, hash_alg, h, adig);
}
