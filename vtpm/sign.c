/* Signing and verification with RSA (RSASSA, RSAPSS), ECC (ECDSA, P-256/P-384) and HMAC keys: Sign,
 * VerifySignature, Quote (TPM 2.0 Library Part 3, 20.2, 20.1, 18.4), and the hierarchy proofs and
 * tickets they use.
 *
 * Hierarchy proofs (ticket and object-context HMAC keys): proof(h) = KDFa(SHA-256, seed(h),
 * "Mantle hierarchy proof", ctxU, -, 256) with ctxU = SPS for the endorsement hierarchy and empty
 * otherwise, so they change when the spec's proofs do: owner and endorsement at Clear, platform
 * never here (no ChangePPS), NULL at every _TPM_Init (its tickets are NULL tickets anyway). */
#include "core/str.h"
#include "vtpm/internal.h"

#define DATA_MAX 66u      /* TPM2B_DATA: sizeof(TPMT_HA) */

bool vtpm_hierarchy_proof(const struct vtpm *t, uint32_t hier, uint8_t proof[32])
{
	const uint8_t *seed = vtpm_hierarchy_seed(t, hier);
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

		if (o->used && vtpm_obj_is_key(o) && o->hierarchy == hier)
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

/* ---- signing ------------------------------------------------------------------------------------ */

static uint32_t signing_key(struct vtpm *t, uint32_t handle, struct vtpm_object **out)
{
	struct vtpm_object *o = vtpm_object_find(t, handle);

	if (!o)
		return RC_H(TPM_RC_HANDLE, 1);
	if ((o->kind != VTPM_OBJ_ECC && o->kind != VTPM_OBJ_RSA && o->kind != VTPM_OBJ_KEYEDHASH) || !o->has_sensitive)
		return RC_H(TPM_RC_KEY, 1);
	if (!(o->attrs & TPMA_OBJECT_SIGN))
		return RC_H(TPM_RC_KEY, 1);
	*out = o;
	return 0;
}

static bool sign_scheme_fits(const struct vtpm_object *o, uint16_t scheme)
{
	if (o->kind == VTPM_OBJ_ECC)
		return scheme == TPM_ALG_ECDSA;
	if (o->kind == VTPM_OBJ_KEYEDHASH)
		return scheme == TPM_ALG_HMAC;
	return scheme == TPM_ALG_RSASSA || scheme == TPM_ALG_RSAPSS;
}

/* The key's own signing scheme (an HMAC key keeps its hash in scheme_hash), or TPM_ALG_NULL. */
static uint16_t key_scheme(const struct vtpm_object *o)
{
	if (o->kind == VTPM_OBJ_KEYEDHASH)
		return o->scheme_hash != TPM_ALG_NULL ? TPM_ALG_HMAC : TPM_ALG_NULL;
	return o->scheme;
}

/* TPMT_SIG_SCHEME (parameter n) against the key's scheme (Part 1, 27.2.4 / Part 3, 20.2.1): the
 * key's scheme wins; a NULL key scheme takes the command's; both set and different: TPM_RC_SCHEME. */
static uint32_t get_scheme(struct vtpm_rd *r, unsigned n, const struct vtpm_object *o, uint16_t *scheme_out,
			   uint16_t *hash_alg, enum crypto_hash_alg *h)
{
	uint16_t scheme, hash = TPM_ALG_NULL;

	if (!vtpm_get_u16(r, &scheme))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (scheme != TPM_ALG_NULL) {
		if (!vtpm_get_u16(r, &hash))
			return RC_P(TPM_RC_INSUFFICIENT, n);
		if (!sign_scheme_fits(o, scheme))
			return RC_P(TPM_RC_SCHEME, n);
		if (!vtpm_hash_from_alg(hash, h))
			return RC_P(TPM_RC_HASH, n);
	}
	if (key_scheme(o) != TPM_ALG_NULL) {
		if (scheme != TPM_ALG_NULL && (scheme != key_scheme(o) || hash != o->scheme_hash))
			return RC_P(TPM_RC_SCHEME, n);
		scheme = key_scheme(o);
		hash = o->scheme_hash;
	} else if (scheme == TPM_ALG_NULL) {
		return RC_P(TPM_RC_SCHEME, n);
	}
	*scheme_out = scheme;
	*hash_alg = hash;
	(void)vtpm_hash_from_alg(hash, h);
	return 0;
}

/* Signs digest (crypto_hash_size(h) bytes) with the key; TPMT_SIGNATURE out. */
static uint32_t put_signature(struct vtpm *t, struct vtpm_wr *w, const struct vtpm_object *o, uint16_t scheme,
			      uint16_t hash_alg, enum crypto_hash_alg h, const uint8_t *digest)
{
	uint8_t sig[CRYPTO_RSA_MAX_BYTES];
	struct crypto_rsa_priv priv;
	size_t sz;
	bool ok;

	if (o->kind == VTPM_OBJ_KEYEDHASH) {
		/* an HMAC "signature" is TPMT_HA: HMAC_hash(key, digest) (Part 1, 11.2.2) */
		crypto_hmac(h, o->key, o->key_len, digest, crypto_hash_size(h), sig);
		vtpm_put_u16(w, TPM_ALG_HMAC);
		vtpm_put_u16(w, hash_alg);
		vtpm_put_bytes(w, sig, crypto_hash_size(h));
		crypto_wipe(sig, sizeof(sig));
		return 0;
	}
	if (o->kind == VTPM_OBJ_ECC) {
		sz = vtpm_ecc_size(o->tp.curve);
		if (!vtpm_ecc_sign(o->tp.curve, o->key, h, digest, sig))
			return TPM_RC_FAILURE;
		vtpm_put_u16(w, TPM_ALG_ECDSA);
		vtpm_put_u16(w, hash_alg);
		vtpm_put_tpm2b(w, sig, (uint16_t)sz);
		vtpm_put_tpm2b(w, sig + sz, (uint16_t)sz);
		return 0;
	}
	if (!vtpm_object_rsa_priv(o, &priv))
		return TPM_RC_FAILURE;
	ok = scheme == TPM_ALG_RSASSA ? crypto_rsa_pkcs1_sign(&priv, h, digest, sig)
				      : crypto_rsa_pss_sign(&priv, h, digest, vtpm_rand_fn, t, sig);
	crypto_wipe(&priv, sizeof(priv));
	if (!ok)
		return TPM_RC_FAILURE;
	vtpm_put_u16(w, scheme);
	vtpm_put_u16(w, hash_alg);
	vtpm_put_tpm2b(w, sig, o->tp.rsa_bits / 8u);
	return 0;
}

uint32_t vtpm_cmd_sign(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t digest[CRYPTO_HASH_MAX_DIGEST], tk[CRYPTO_HASH_MAX_DIGEST], want[CRYPTO_HASH_MAX_DIGEST];
	uint8_t proof[32], tg[2];
	uint16_t dlen, tag, tklen, hash_alg, scheme;
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
	rc = get_scheme(&c->in, 2, o, &scheme, &hash_alg, &h);
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
	return put_signature(t, &c->out, o, scheme, hash_alg, h, digest);
}

/* ECDSA: r and s are numbers, shorter encodings are left-padded. */
static uint32_t verify_ecdsa(const struct vtpm_object *o, const uint8_t *digest, size_t dlen, struct vtpm_rd *in,
			     unsigned n)
{
	size_t sz = vtpm_ecc_size(o->tp.curve);
	uint8_t r[CRYPTO_P384_SCALAR], s[CRYPTO_P384_SCALAR], rs[2 * CRYPTO_P384_SCALAR];
	uint16_t rl, sl;
	uint32_t rc;

	rc = vtpm_get_tpm2b(in, r, &rl, sz);
	if (!rc)
		rc = vtpm_get_tpm2b(in, s, &sl, sz);
	if (rc)
		return vtpm_param_rc(rc, n);
	memset(rs, 0, sizeof(rs));
	memcpy(rs + sz - rl, r, rl);
	memcpy(rs + 2 * sz - sl, s, sl);
	return vtpm_ecc_verify(o->tp.curve, o->ecc_xy, digest, dlen, rs) ? 0 : RC_P(TPM_RC_SIGNATURE, n);
}

static uint32_t verify_rsa(const struct vtpm_object *o, uint16_t alg, enum crypto_hash_alg h, const uint8_t *digest,
			   size_t dlen, struct vtpm_rd *in, unsigned n)
{
	uint8_t sig[CRYPTO_RSA_MAX_BYTES];
	struct crypto_rsa_pub pub;
	uint16_t len;
	uint32_t rc;
	bool ok;

	rc = vtpm_get_tpm2b(in, sig, &len, sizeof(sig));
	if (rc)
		return vtpm_param_rc(rc, n);
	if (dlen != crypto_hash_size(h))
		return RC_P(TPM_RC_SIGNATURE, n);
	vtpm_object_rsa_pub(o, &pub);
	ok = alg == TPM_ALG_RSASSA ? crypto_rsa_pkcs1_verify(&pub, h, digest, sig, len)
				   : crypto_rsa_pss_verify(&pub, h, digest, sig, len);
	return ok ? 0 : RC_P(TPM_RC_SIGNATURE, n);
}

/* HMAC: TPMT_HA's digest of the hash's size, compared with HMAC(key, digest) in constant time. */
static uint32_t verify_hmac(const struct vtpm_object *o, enum crypto_hash_alg h, const uint8_t *digest, size_t dlen,
			    struct vtpm_rd *in, unsigned n)
{
	uint8_t got[CRYPTO_HASH_MAX_DIGEST], want[CRYPTO_HASH_MAX_DIGEST];
	size_t hl = crypto_hash_size(h);
	bool ok;

	if (!vtpm_get_bytes(in, got, hl))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (!o->has_sensitive)
		return RC_P(TPM_RC_SIGNATURE, n);
	crypto_hmac(h, o->key, o->key_len, digest, dlen, want);
	ok = crypto_ct_equal(got, want, hl);
	crypto_wipe(want, sizeof(want));
	return ok ? 0 : RC_P(TPM_RC_SIGNATURE, n);
}

uint32_t vtpm_object_verify(struct vtpm *t, uint32_t handle, unsigned hn, const uint8_t *digest, size_t dlen,
			    struct vtpm_rd *in, unsigned n, struct vtpm_object **key)
{
	uint16_t sig_alg, hash;
	struct vtpm_object *o = vtpm_object_find(t, handle);
	enum crypto_hash_alg h;
	uint32_t rc;

	if (!o)
		return RC_H(TPM_RC_HANDLE, hn);
	if (o->kind != VTPM_OBJ_ECC && o->kind != VTPM_OBJ_RSA && o->kind != VTPM_OBJ_KEYEDHASH)
		return RC_H(TPM_RC_KEY, hn);
	if (!(o->attrs & TPMA_OBJECT_SIGN))
		return RC_H(TPM_RC_ATTRIBUTES, hn);
	if (!vtpm_get_u16(in, &sig_alg))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (!sign_scheme_fits(o, sig_alg)) {
		in->off = in->len;
		return RC_P(TPM_RC_SCHEME, n);
	}
	if (!vtpm_get_u16(in, &hash))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (!vtpm_hash_from_alg(hash, &h)) {
		in->off = in->len;
		return RC_P(TPM_RC_HASH, n);
	}
	if (dlen == 0)
		return RC_P(TPM_RC_SIZE, n);
	if (o->kind == VTPM_OBJ_KEYEDHASH)
		rc = verify_hmac(o, h, digest, dlen, in, n);
	else if (o->kind == VTPM_OBJ_ECC)
		rc = verify_ecdsa(o, digest, dlen, in, n);
	else
		rc = verify_rsa(o, sig_alg, h, digest, dlen, in, n);
	if (rc)
		return rc;
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

/* clockInfo and firmwareVersion of a TPMS_ATTEST. For a signing key outside the endorsement and
 * platform hierarchies (or no key: TPM_RH_NULL) resetCount, restartCount and firmwareVersion are
 * obfuscated (Part 1, 36.7 / Part 3, 18.1): each is added to by a value only the TPM knows,
 *   ob = KDFa(SHA-256, proof(owner), "OBFUSCATE", name, -, 128)
 *   firmwareVersion += ob[0..7], resetCount += ob[8..11], restartCount += ob[12..15]  (big-endian)
 * with name = Name(key), or the handle TPM_RH_NULL without a key, so a key's attestations stay
 * comparable with each other but reveal nothing about the TPM's counters (which change with Clear,
 * as proof(owner) does). */
static void put_clock_and_firmware(const struct vtpm *t, struct vtpm_wr *w, uint32_t hier, const uint8_t *name,
				   size_t name_len)
{
	uint64_t fw = ((uint64_t)VTPM_FIRMWARE_1 << 32) | VTPM_FIRMWARE_2;
	uint32_t reset = t->p.reset_count, restart = t->p.restart_count;
	uint8_t proof[32], ob[16];

	if (hier != TPM_RH_ENDORSEMENT && hier != TPM_RH_PLATFORM && vtpm_hierarchy_proof(t, TPM_RH_OWNER, proof)) {
		if (crypto_kdfa(CRYPTO_SHA256, proof, sizeof(proof), "OBFUSCATE", name, name_len, NULL, 0, 128, ob)) {
			fw += ((uint64_t)vtpm_be32(ob) << 32) | vtpm_be32(ob + 4);
			reset += vtpm_be32(ob + 8);
			restart += vtpm_be32(ob + 12);
		}
		crypto_wipe(proof, sizeof(proof));
		crypto_wipe(ob, sizeof(ob));
	}
	vtpm_put_u64(w, vtpm_clock_now(t));
	vtpm_put_u32(w, reset);
	vtpm_put_u32(w, restart);
	vtpm_put_u8(w, 1); /* safe: the clock only moves forward and persists with every change */
	vtpm_put_u64(w, fw);
}

/* ---- shared by every TPMS_ATTEST producer (Quote here, attest.c) ------------------------------- */

uint32_t vtpm_attest_signer(struct vtpm *t, uint32_t handle, unsigned hn, struct vtpm_object **out)
{
	uint32_t rc;

	if (handle == TPM_RH_NULL) {
		*out = NULL;
		return 0;
	}
	rc = signing_key(t, handle, out);
	return rc ? RC_H(rc & ~0xF00u, hn) : 0;
}

uint32_t vtpm_attest_scheme(struct vtpm_rd *r, unsigned n, const struct vtpm_object *o, struct vtpm_attest_sig *s)
{
	uint16_t scheme, hash;

	if (o)
		return get_scheme(r, n, o, &s->scheme, &s->hash_alg, &s->h);
	/* No key: the scheme is read and ignored (the signature is TPM_ALG_NULL). */
	if (!vtpm_get_u16(r, &scheme) || (scheme != TPM_ALG_NULL && !vtpm_get_u16(r, &hash)))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	s->scheme = TPM_ALG_NULL;
	s->hash_alg = TPM_ALG_NULL;
	s->h = CRYPTO_SHA256;
	return 0;
}

size_t vtpm_attest_begin(const struct vtpm *t, struct vtpm_wr *w, uint16_t type, const struct vtpm_object *o,
			 const uint8_t *extra, uint16_t extra_len)
{
	size_t start = w->len;
	uint8_t null_name[4];

	vtpm_put_u16(w, 0); /* TPM2B_ATTEST size, set by vtpm_attest_finish */
	vtpm_put_u32(w, TPM_GENERATED_VALUE);
	vtpm_put_u16(w, type);
	if (o) {
		vtpm_put_tpm2b(w, o->qname, o->qname_len);
	} else {
		vtpm_set_be32(null_name, TPM_RH_NULL);
		vtpm_put_tpm2b(w, null_name, sizeof(null_name));
	}
	vtpm_put_tpm2b(w, extra, extra_len);
	if (o)
		put_clock_and_firmware(t, w, o->hierarchy, o->name, o->name_len);
	else
		put_clock_and_firmware(t, w, TPM_RH_NULL, null_name, sizeof(null_name));
	return start;
}

uint32_t vtpm_attest_finish(struct vtpm *t, struct vtpm_wr *w, size_t start, const struct vtpm_object *o,
			    const struct vtpm_attest_sig *s)
{
	uint8_t adig[CRYPTO_HASH_MAX_DIGEST];
	size_t len;

	if (w->overflow || w->len - start - 2u > 0xFFFFu)
		return TPM_RC_FAILURE;
	len = w->len - start - 2u;
	vtpm_set_be16(w->p + start, (uint16_t)len);
	if (!o) {
		vtpm_put_u16(w, TPM_ALG_NULL);
		return 0;
	}
	crypto_hash(s->h, w->p + start + 2u, len, adig);
	return put_signature(t, w, o, s->scheme, s->hash_alg, s->h, adig);
}

uint32_t vtpm_cmd_quote(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t qdata[DATA_MAX], pdig[CRYPTO_HASH_MAX_DIGEST];
	uint16_t qlen;
	struct vtpm_object *o;
	struct vtpm_pcr_list sel;
	struct vtpm_attest_sig s;
	size_t start;
	uint32_t rc;

	rc = signing_key(t, c->handles[0], &o);
	if (rc)
		return rc;
	rc = vtpm_get_tpm2b(&c->in, qdata, &qlen, sizeof(qdata));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = vtpm_attest_scheme(&c->in, 2, o, &s);
	if (rc)
		return rc;
	rc = vtpm_pcr_list_get(t, &c->in, 3, &sel);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	vtpm_pcr_list_digest(t, &sel, s.h, pdig);
	/* TPMS_ATTEST (Part 2, 10.12.12) with TPMS_QUOTE_INFO (10.12.4) */
	start = vtpm_attest_begin(t, &c->out, TPM_ST_ATTEST_QUOTE, o, qdata, qlen);
	vtpm_pcr_list_put(&c->out, &sel);
	vtpm_put_tpm2b(&c->out, pdig, (uint16_t)crypto_hash_size(s.h));
	return vtpm_attest_finish(t, &c->out, start, o, &s);
}
