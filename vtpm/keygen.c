/* Generating an object's sensitive area and unique field: derived from the hierarchy seed for
 * primaries (FROZEN, version 1: docs/vtpm.md "Primary-key derivation"), drawn from the DRBG for
 * ordinary objects.
 *
 * Primaries, with ctxU = nameAlg || H_nameAlg(inPublic exactly as sent) and ctxV = inSensitive.data:
 *   ECC d        = crypto_p256_derive / crypto_p384_derive(nameAlg, seed, "Primary Object Creation", ctxU, ctxV)
 *   RSA (p, q)   = crypto_rsa_derive(nameAlg, seed, "Primary Object Creation", ctxU, ctxV, bits, e)
 *   AES/HMAC key = KDFa(nameAlg, seed, "Primary Object Creation", ctxU, ctxV, key bits)  (when the
 *                  TPM makes it: sensitiveDataOrigin SET; otherwise it is inSensitive.data)
 *   seedValue    = KDFa(nameAlg, seed, "Mantle primary seedValue", ctxU, ctxV, digest bits)  (parents,
 *                  KEYEDHASH and SYMCIPHER objects)
 * The ECC P-256 row is the derivation of the first slice, unchanged. */
#include "core/str.h"
#include "vtpm/internal.h"

#define LABEL_PRIMARY "Primary Object Creation"
#define LABEL_SEED "Mantle primary seedValue"
#define LABEL_RANDOM_ECC "Mantle random ECC key"

struct gen {
	struct vtpm *t;
	enum crypto_hash_alg h;
	const uint8_t *seed; /* hierarchy seed for a primary, NULL for a DRBG-drawn object */
	uint8_t u[2 + CRYPTO_HASH_MAX_DIGEST];
	size_t ul;
	const uint8_t *v;
	size_t vl;
};

static bool gen_bytes(struct gen *g, const char *label, uint8_t *out, size_t len)
{
	if (!g->seed) {
		vtpm_random(g->t, out, len);
		return true;
	}
	return crypto_kdfa(g->h, g->seed, VTPM_SEED_SIZE, label, g->u, g->ul, g->v, g->vl, (uint32_t)(8 * len), out);
}

static bool gen_ecc(struct gen *g, struct vtpm_public *tp, struct vtpm_sensitive *s)
{
	size_t sz = vtpm_ecc_size(tp->curve);
	uint8_t r[VTPM_SEED_SIZE], xy[CRYPTO_P384_POINT];
	bool ok;

	if (g->seed) {
		ok = vtpm_ecc_derive(tp->curve, g->h, g->seed, VTPM_SEED_SIZE, LABEL_PRIMARY, g->u, g->ul, g->v, g->vl,
				     s->key);
	} else {
		/* 512 bits from the DRBG through the same candidate selection */
		vtpm_random(g->t, r, sizeof(r));
		ok = vtpm_ecc_derive(tp->curve, CRYPTO_SHA256, r, sizeof(r), LABEL_RANDOM_ECC, NULL, 0, NULL, 0, s->key);
		crypto_wipe(r, sizeof(r));
	}
	ok = ok && vtpm_ecc_public(tp->curve, s->key, xy);
	s->key_len = (uint16_t)sz;
	memcpy(tp->u1, xy, sz);
	memcpy(tp->u2, xy + sz, sz);
	tp->u1_len = tp->u2_len = (uint16_t)sz;
	return ok;
}

static bool gen_rsa(struct gen *g, struct vtpm_public *tp, struct vtpm_sensitive *s)
{
	struct crypto_rsa_pub pub;
	struct crypto_rsa_priv priv;
	bool ok;

	if (g->seed)
		ok = crypto_rsa_derive(g->h, g->seed, VTPM_SEED_SIZE, LABEL_PRIMARY, g->u, g->ul, g->v, g->vl,
				       tp->rsa_bits, tp->rsa_e, &pub, &priv);
	else
		ok = crypto_rsa_generate(tp->rsa_bits, tp->rsa_e, vtpm_rand_fn, g->t, &pub, &priv);
	if (ok) {
		s->key_len = tp->rsa_bits / 16u;
		memcpy(s->key, priv.p, s->key_len);
		tp->u1_len = tp->rsa_bits / 8u;
		memcpy(tp->u1, pub.n, tp->u1_len);
	}
	crypto_wipe(&priv, sizeof(priv));
	return ok;
}

/* KEYEDHASH and SYMCIPHER: the key (or sealed data), then unique = H_nameAlg(seedValue || key). */
static bool gen_symmetric(struct gen *g, struct vtpm_public *tp, struct vtpm_sensitive *s, const uint8_t *data,
			  uint16_t data_len)
{
	struct crypto_hash_ctx hc;
	enum crypto_hash_alg kh;
	size_t len;

	if (!(tp->attrs & TPMA_OBJECT_SENSITIVEDATAORIGIN)) {
		memcpy(s->key, data, data_len);
		s->key_len = data_len;
	} else {
		if (tp->type == TPM_ALG_SYMCIPHER)
			len = tp->sym_bits / 8u;
		else
			len = crypto_hash_size(vtpm_hash_from_alg(tp->scheme_hash, &kh) ? kh : g->h);
		if (!gen_bytes(g, LABEL_PRIMARY, s->key, len))
			return false;
		s->key_len = (uint16_t)len;
	}
	crypto_hash_init(&hc, g->h);
	crypto_hash_update(&hc, s->seed, s->seed_len);
	crypto_hash_update(&hc, s->key, s->key_len);
	crypto_hash_final(&hc, tp->u1);
	tp->u1_len = (uint16_t)crypto_hash_size(g->h);
	return true;
}

uint32_t vtpm_object_generate(struct vtpm *t, struct vtpm_object *o, struct vtpm_public *tpp, const uint8_t *pub,
			      size_t pub_len, const uint8_t *auth, uint16_t auth_len, const uint8_t *data,
			      uint16_t data_len, uint32_t hier, const struct vtpm_object *parent)
{
	struct vtpm_public *const tp = tpp; /* its unique field is filled in */
	struct vtpm_sensitive s;
	struct gen g = { .t = t, .v = data, .vl = data_len };
	struct vtpm_wr w = { .p = o->pub, .cap = sizeof(o->pub) };
	uint8_t pqn[4];
	size_t hl;
	bool ok;
	uint32_t rc;

	(void)vtpm_hash_from_alg(tp->name_alg, &g.h);
	hl = crypto_hash_size(g.h);
	if (!parent) {
		g.seed = vtpm_hierarchy_seed(t, hier);
		vtpm_set_be16(g.u, tp->name_alg);
		crypto_hash(g.h, pub, pub_len, g.u + 2);
		g.ul = 2 + hl;
	}
	memset(&s, 0, sizeof(s));
	s.type = tp->type;
	memcpy(s.auth, auth, auth_len);
	s.auth_len = auth_len;
	if (vtpm_public_is_parent(tp) || tp->type == TPM_ALG_KEYEDHASH || tp->type == TPM_ALG_SYMCIPHER) {
		if (!gen_bytes(&g, LABEL_SEED, s.seed, hl))
			return TPM_RC_FAILURE;
		s.seed_len = (uint16_t)hl;
	}
	switch (tp->type) {
	case TPM_ALG_ECC: ok = gen_ecc(&g, tp, &s); break;
	case TPM_ALG_RSA: ok = gen_rsa(&g, tp, &s); break;
	default: ok = gen_symmetric(&g, tp, &s, data, data_len); break;
	}
	if (!ok) {
		crypto_wipe(&s, sizeof(s));
		return TPM_RC_FAILURE; /* a derivation that finds no key (< 2^-128), or no RSA in the build */
	}
	vtpm_public_put(&w, tp);
	if (w.overflow) {
		crypto_wipe(&s, sizeof(s));
		return TPM_RC_FAILURE;
	}
	vtpm_set_be32(pqn, hier);
	/* outPublic was marshalled into o->pub, where vtpm_object_fill keeps it */
	rc = vtpm_object_fill_trusted(o, tp, o->pub, w.len, &s, parent ? parent->hierarchy : hier,
			      parent ? parent->qname : pqn, parent ? parent->qname_len : 4u, 2);
	crypto_wipe(&s, sizeof(s));
	return rc;
}
