/* ContextSave, ContextLoad, FlushContext (TPM 2.0 Library Part 3, 28) for HMAC sessions and
 * sequence objects.
 *
 * TPMS_CONTEXT = { u64 sequence, u32 savedHandle, u32 hierarchy, TPM2B contextBlob }, and
 * contextBlob = TPM2B_DIGEST integrity || AES-128-CFB(encKey, iv, state), where
 *   encKey || iv = KDFa(SHA-256, contextKey, "CONTEXT", sequence, savedHandle, 256)
 *   integrity   = HMAC-SHA-256(KDFa(SHA-256, contextKey, "INTEGRITY", -, -, 256),
 *                              sequence || savedHandle || hierarchy || ciphertext)
 * contextKey is drawn from the DRBG at every _TPM_Init, so blobs never outlive a power cycle. A
 * session's encrypted state is its slot struct; an object's is a compact encoding (kind, algorithm,
 * authValue, then only what its kind uses: one hash state, three, an HMAC state, or a key's public
 * area, Name and key), so an object context stays a few hundred bytes. Hash states are BearSSL
 * contexts copied as they are: they are only decrypted after their integrity is verified, by the
 * same binary in the same boot. A session keeps its handle (slot reserved while
 * saved) and each saved session context can be loaded once; an object gets a fresh handle. */
#include "core/str.h"
#include "vtpm/internal.h"

#define SAVED_TRANSIENT 0x80000000u /* Part 2, 14.6: savedHandle of a transient object */
#define SAVED_SEQUENCE 0x80000001u  /* ... of a sequence object */
#define OBJ_STATE_MAX VTPM_OBJECT_STATE_MAX
#define BLOB_MAX (2u + 32u + (OBJ_STATE_MAX > sizeof(struct vtpm_session) ? OBJ_STATE_MAX \
									: sizeof(struct vtpm_session)))
_Static_assert(sizeof(struct crypto_hmac_ctx) <= VTPM_BANKS * sizeof(struct crypto_hash_ctx),
	       "an HMAC sequence must encode within VTPM_OBJECT_STATE_MAX");
static bool derive(const struct vtpm *t, uint64_t seq, uint32_t saved, uint8_t key_iv[32],
		   uint8_t mac_key[32])
{
	uint8_t u[8], v[4];

	vtpm_set_be32(u, (uint32_t)(seq >> 32));
	vtpm_set_be32(u + 4, (uint32_t)seq);
	vtpm_set_be32(v, saved);
	return crypto_kdfa(CRYPTO_SHA256, t->context_key, 32, "CONTEXT", u, 8, v, 4, 256, key_iv) &&
	       crypto_kdfa(CRYPTO_SHA256, t->context_key, 32, "INTEGRITY", NULL, 0, NULL, 0, 256,
			   mac_key);
}

/* The HMAC also covers the hierarchy's proof for contexts of objects in a hierarchy (ECC keys), so
 * they stop loading when the proof changes (Clear, or a new NULL seed at _TPM_Init), as Part 1,
 * 30.3 has it. Returns false for a hierarchy without a usable proof. */
static bool integrity(const struct vtpm *t, const uint8_t mac_key[32], uint64_t seq, uint32_t saved,
		      uint32_t hier, const uint8_t *ct, size_t n, uint8_t out[32])
{
	struct crypto_hmac_ctx m;
	uint8_t hdr[16], proof[32];

	vtpm_set_be32(hdr, (uint32_t)(seq >> 32));
	vtpm_set_be32(hdr + 4, (uint32_t)seq);
	vtpm_set_be32(hdr + 8, saved);
	vtpm_set_be32(hdr + 12, hier);
	crypto_hmac_init(&m, CRYPTO_SHA256, mac_key, 32);
	crypto_hmac_update(&m, hdr, sizeof(hdr));
	crypto_hmac_update(&m, ct, n);
	if (hier != TPM_RH_NULL) {
		if (!vtpm_hierarchy_proof(t, hier, proof))
			return false;
		crypto_hmac_update(&m, proof, sizeof(proof));
		crypto_wipe(proof, sizeof(proof));
	}
	crypto_hmac_final(&m, out);
	return true;
}

static void seal(struct vtpm *t, struct vtpm_wr *w, uint32_t saved, uint32_t hier, const void *state,
		 size_t n)
{
	uint8_t blob[BLOB_MAX], key_iv[32], mac_key[32];
	struct crypto_aes_key k;
	uint64_t seq = ++t->context_seq;

	if (!derive(t, seq, saved, key_iv, mac_key) || !crypto_aes_init_enc(&k, key_iv, 16)) {
		w->overflow = true; /* cannot happen with fixed sizes; fail the command if it does */
		return;
	}
	memcpy(blob + 34, state, n);
	crypto_aes_cfb_encrypt(&k, key_iv + 16, blob + 34, n);
	vtpm_set_be16(blob, 32);
	if (!integrity(t, mac_key, seq, saved, hier, blob + 34, n, blob + 2)) {
		w->overflow = true;
		return;
	}
	vtpm_put_u64(w, seq);
	vtpm_put_u32(w, saved);
	vtpm_put_u32(w, hier);
	vtpm_put_tpm2b(w, blob, (uint16_t)(34 + n));
	crypto_wipe(key_iv, sizeof(key_iv));
	crypto_wipe(mac_key, sizeof(mac_key));
	crypto_wipe(&k, sizeof(k));
}

/* Compact encoding of an object's state (see the header comment). */
size_t vtpm_object_encode(const struct vtpm_object *o, uint8_t *out, size_t cap)
{
	struct vtpm_wr w = { .p = out, .cap = cap };

	vtpm_put_u8(&w, o->kind);
	vtpm_put_u16(&w, o->alg);
	vtpm_put_tpm2b(&w, o->auth, o->auth_len);
	switch (o->kind) {
	case VTPM_OBJ_HASH_SEQ:
		vtpm_put_bytes(&w, &o->h[0], sizeof(o->h[0]));
		break;
	case VTPM_OBJ_EVENT_SEQ:
		vtpm_put_bytes(&w, o->h, sizeof(o->h));
		break;
	case VTPM_OBJ_HMAC_SEQ:
		vtpm_put_bytes(&w, &o->mac, sizeof(o->mac));
		break;
	default: /* keys: the public area is decoded again at ContextLoad */
		vtpm_put_u32(&w, o->hierarchy);
		vtpm_put_u8(&w, o->has_sensitive);
		vtpm_put_tpm2b(&w, o->pub, o->pub_len);
		vtpm_put_tpm2b(&w, o->qname, o->qname_len);
		vtpm_put_tpm2b(&w, o->seed, o->seed_len);
		vtpm_put_tpm2b(&w, o->key, o->key_len);
		break;
	}
	return w.overflow ? 0 : w.len;
}

/* A key's state, decoded with the same parsing as anything else. A context blob is MACed under a key
 * of this boot, so its point and pairing checks (scalar multiplications on the resource manager's
 * every ContextLoad) are skipped; a persistent object from the NV blob, which only carries a
 * checksum, gets them all. */
static bool key_decode(struct vtpm_object *o, struct vtpm_rd *r, bool trusted)
{
	uint8_t pub[VTPM_PUBLIC_MAX], qn[2 + CRYPTO_HASH_MAX_DIGEST], pqn[4] = { 0 };
	uint16_t pub_len, qn_len, auth_len = o->auth_len;
	struct vtpm_public tp;
	uint32_t hier;
	uint8_t b;

	if (!vtpm_get_u32(r, &hier) || !vtpm_get_u8(r, &b) || b > 1 ||
	    vtpm_get_tpm2b(r, pub, &pub_len, sizeof(pub)) || vtpm_get_tpm2b(r, qn, &qn_len, sizeof(qn)) ||
	    vtpm_get_tpm2b(r, o->seed, &o->seed_len, sizeof(o->seed)) ||
	    vtpm_get_tpm2b(r, o->key, &o->key_len, sizeof(o->key)))
		return false;
	if (vtpm_public_parse(pub, pub_len, 1, &tp) ||
	    (trusted ? vtpm_object_fill_trusted(o, &tp, pub, pub_len, NULL, hier, pqn, 4, 1)
		     : vtpm_object_fill(o, &tp, pub, pub_len, NULL, hier, pqn, 4, 1)))
		return false;
	o->auth_len = auth_len;
	o->has_sensitive = b;
	memcpy(o->qname, qn, qn_len);
	o->qname_len = qn_len;
	return true;
}

bool vtpm_object_decode(struct vtpm_object *o, const uint8_t *p, size_t n, bool trusted)
{
	struct vtpm_rd r;

	vtpm_rd_init(&r, p, n);
	if (!vtpm_get_u8(&r, &o->kind) || !vtpm_get_u16(&r, &o->alg) ||
	    vtpm_get_tpm2b(&r, o->auth, &o->auth_len, sizeof(o->auth)))
		return false;
	switch (o->kind) {
	case VTPM_OBJ_HASH_SEQ:
		if (!vtpm_get_bytes(&r, &o->h[0], sizeof(o->h[0])))
			return false;
		break;
	case VTPM_OBJ_EVENT_SEQ:
		if (!vtpm_get_bytes(&r, o->h, sizeof(o->h)))
			return false;
		break;
	case VTPM_OBJ_HMAC_SEQ:
		if (!vtpm_get_bytes(&r, &o->mac, sizeof(o->mac)))
			return false;
		break;
	default:
		if (!vtpm_obj_is_key(o) || !key_decode(o, &r, trusted))
			return false;
		break;
	}
	return vtpm_rd_left(&r) == 0;
}

uint32_t vtpm_cmd_context_save(struct vtpm *t, struct vtpm_cmd *c)
{
	uint32_t h = c->handles[0];
	struct vtpm_session *s;
	struct vtpm_object *o;

	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	s = vtpm_session_find(t, h);
	if (s) {
		uint64_t next = t->context_seq + 1;
		s->saved_seq = next;
		seal(t, &c->out, h, TPM_RH_NULL, s, sizeof(*s));
		s->saved = true;
		return 0;
	}
	o = (h >> 24) == TPM_HT_TRANSIENT ? vtpm_object_find(t, h) : NULL;
	if (o) {
		uint8_t state[OBJ_STATE_MAX];
		size_t n = vtpm_object_encode(o, state, sizeof(state));

		if (n == 0)
			return TPM_RC_FAILURE;
		seal(t, &c->out, vtpm_obj_is_key(o) ? SAVED_TRANSIENT : SAVED_SEQUENCE,
		     vtpm_obj_is_key(o) && o->hierarchy != 0 ? o->hierarchy : TPM_RH_NULL, state, n);
		crypto_wipe(state, n);
		return 0;
	}
	/* A transient object or session that is not loaded is TPM_RC_REFERENCE_H0 (Part 3, handle area
	 * validation), not TPM_RC_HANDLE: Linux's resource manager relies on that answer to drop a context
	 * the command itself flushed (tpm2-space.c, tpm2_save_context). */
	uint8_t ht = (uint8_t)(h >> 24);
	if (ht == TPM_HT_TRANSIENT || ht == TPM_HT_HMAC_SESSION || ht == TPM_HT_POLICY_SESSION)
		return TPM_RC_REFERENCE_H0;
	return RC_H(TPM_RC_HANDLE, 1);
}

uint32_t vtpm_cmd_context_load(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t blob[BLOB_MAX], key_iv[32], mac_key[32], want[32];
	struct crypto_aes_key k;
	uint32_t saved, hier, rc;
	uint16_t n;
	uint64_t seq;
	size_t ct_len;

	if (!vtpm_get_u64(&c->in, &seq) || !vtpm_get_u32(&c->in, &saved) ||
	    !vtpm_get_u32(&c->in, &hier))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	rc = vtpm_get_tpm2b(&c->in, blob, &n, sizeof(blob));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (n < 34 || vtpm_be16(blob) != 32)
		return RC_P(TPM_RC_SIZE, 1);
	ct_len = n - 34u;
	if (!derive(t, seq, saved, key_iv, mac_key))
		return TPM_RC_FAILURE;
	if (hier != TPM_RH_NULL && hier != TPM_RH_OWNER && hier != TPM_RH_ENDORSEMENT && hier != TPM_RH_PLATFORM)
		return RC_P(TPM_RC_VALUE, 1);
	if ((hier == TPM_RH_OWNER && !t->sh_enable) || (hier == TPM_RH_ENDORSEMENT && !t->eh_enable) ||
	    (hier == TPM_RH_PLATFORM && !t->ph_enable))
		return RC_P(TPM_RC_HIERARCHY, 1);
	if (!integrity(t, mac_key, seq, saved, hier, blob + 34, ct_len, want) ||
	    !crypto_ct_equal(want, blob + 2, 32))
		return RC_P(TPM_RC_INTEGRITY, 1);
	if (!crypto_aes_init_enc(&k, key_iv, 16))
		return TPM_RC_FAILURE;
	crypto_aes_cfb_decrypt(&k, key_iv + 16, blob + 34, ct_len);
	crypto_wipe(key_iv, sizeof(key_iv));

	if ((saved >> 24) == TPM_HT_HMAC_SESSION || (saved >> 24) == TPM_HT_POLICY_SESSION) {
		struct vtpm_session *slot = NULL, tmp;
		for (unsigned i = 0; i < VTPM_SESSIONS; i++) {
			struct vtpm_session *s = &t->sessions[i];
			if (s->used && s->saved && s->handle == saved)
				slot = s;
		}
		if (!slot)
			return RC_P(TPM_RC_HANDLE, 1); /* flushed, or never saved here */
		if (ct_len != sizeof(tmp))
			return RC_P(TPM_RC_SIZE, 1);
		memcpy(&tmp, blob + 34, sizeof(tmp));
		if (tmp.handle != saved || slot->saved_seq != seq)
			return RC_P(TPM_RC_HANDLE, 1); /* an older context of this session */
		*slot = tmp;
		slot->saved = false;
		c->rsp_handle = saved;
		return 0;
	}
	if (saved == SAVED_SEQUENCE || saved == SAVED_TRANSIENT) {
		struct vtpm_object *o = vtpm_object_alloc(t);

		if (!o)
			return TPM_RC_OBJECT_MEMORY;
		if (!vtpm_object_decode(o, blob + 34, ct_len, true)) {
			crypto_wipe(o, sizeof(*o)); /* frees the slot again */
			return RC_P(TPM_RC_SIZE, 1);
		}
		c->rsp_handle = o->handle;
		return 0;
	}
	return RC_P(TPM_RC_HANDLE, 1);
}

uint32_t vtpm_cmd_flush_context(struct vtpm *t, struct vtpm_cmd *c)
{
	uint32_t h;
	struct vtpm_object *o;

	if (!vtpm_get_u32(&c->in, &h))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if ((h >> 24) == TPM_HT_HMAC_SESSION || (h >> 24) == TPM_HT_POLICY_SESSION) {
		for (unsigned i = 0; i < VTPM_SESSIONS; i++) {
			struct vtpm_session *s = &t->sessions[i];
			if (s->used && s->handle == h) {
				crypto_wipe(s, sizeof(*s));
				return 0;
			}
		}
		return RC_P(TPM_RC_HANDLE, 1);
	}
	if ((h >> 24) != TPM_HT_TRANSIENT)
		return RC_P(TPM_RC_VALUE, 1);
	o = vtpm_object_find(t, h);
	if (!o)
		return RC_P(TPM_RC_HANDLE, 1);
	crypto_wipe(o, sizeof(*o));
	return 0;
}
