/* Key duplication: Duplicate and Import (TPM 2.0 Library Part 1, 23.3 "Duplication"; Part 3, 13.1
 * and 13.3).
 *
 * A duplicate is the object's TPM2B_SENSITIVE under up to two wrappers:
 *   inner (symmetricAlg not NULL; Part 1, 23.3.2.3):
 *     innerIntegrity = H_nameAlg(object)(TPM2B_SENSITIVE || Name)
 *     encInner       = AES-CFB(encryptionKey, IV = 0, TPM2B_DIGEST innerIntegrity || TPM2B_SENSITIVE)
 *   outer (new parent not TPM_RH_NULL; Part 1, 23.3.2.2): protect.c's wrapper keyed by a seed
 *     shared with the new parent under the label "DUPLICATE" (nameAlg and symmetric key size of the
 *     new parent, Name of the object)
 * TPM2B_PRIVATE duplicate = [outer integrity] || [encInner or] TPM2B_SENSITIVE.
 * Import undoes both, checks that the sensitive area belongs to the public one (RSA prime divides n,
 * ECC d·G = Q, keyedHash/symcipher unique = H(seed || key)) and that the attributes fit the parent,
 * then wraps the object for the parent as Create would. Nothing is created when any check fails. */
#include "core/str.h"
#include "vtpm/internal.h"

#define DATA_MAX 64u /* TPM2B_DATA encryptionKey: an AES-256 key at most here */

struct sym_def {
	uint16_t alg, bits, mode;
};

/* TPMT_SYM_DEF_OBJECT+: NULL, or AES-128/256 in CFB (the only mode the inner wrapper uses). */
static uint32_t get_sym(struct vtpm_rd *r, unsigned n, struct sym_def *s)
{
	s->bits = s->mode = 0;
	if (!vtpm_get_u16(r, &s->alg))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (s->alg == TPM_ALG_NULL)
		return 0;
	if (s->alg != TPM_ALG_AES)
		return RC_P(TPM_RC_SYMMETRIC, n);
	if (!vtpm_get_u16(r, &s->bits) || !vtpm_get_u16(r, &s->mode))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (s->bits != 128 && s->bits != 256)
		return RC_P(TPM_RC_KEY_SIZE, n);
	if (s->mode != TPM_ALG_CFB)
		return RC_P(TPM_RC_MODE, n);
	return 0;
}

/* innerIntegrity = H(TPM2B_SENSITIVE || Name) */
static void inner_integrity(enum crypto_hash_alg h, const uint8_t *sens, size_t len, const uint8_t *name,
			    size_t name_len, uint8_t *out)
{
	struct crypto_hash_ctx hc;

	crypto_hash_init(&hc, h);
	crypto_hash_update(&hc, sens, len);
	crypto_hash_update(&hc, name, name_len);
	crypto_hash_final(&hc, out);
	crypto_wipe(&hc, sizeof(hc));
}

/* buf holds TPM2B_SENSITIVE (len bytes); with a key it becomes encInner. Returns the new length. */
static size_t inner_wrap(const struct vtpm_object *o, const uint8_t *key, uint16_t bits, uint8_t *buf, size_t len)
{
	uint8_t iv[CRYPTO_AES_BLOCK] = { 0 };
	struct crypto_aes_key k;
	enum crypto_hash_alg h;
	size_t hl;

	(void)vtpm_hash_from_alg(o->name_alg, &h);
	hl = crypto_hash_size(h);
	memmove(buf + 2 + hl, buf, len);
	vtpm_set_be16(buf, (uint16_t)hl);
	inner_integrity(h, buf + 2 + hl, len, o->name, o->name_len, buf + 2);
	if (!crypto_aes_init_enc(&k, key, bits / 8u))
		return 0;
	crypto_aes_cfb_encrypt(&k, iv, buf, 2 + hl + len);
	crypto_wipe(&k, sizeof(k));
	return 2 + hl + len;
}

/* Inverse of inner_wrap in place: TPM_RC_INTEGRITY unless the digest matches. *len: in and out. */
static uint32_t inner_unwrap(enum crypto_hash_alg h, const uint8_t *name, size_t name_len, const uint8_t *key,
			     uint16_t bits, uint8_t *buf, size_t *len)
{
	uint8_t iv[CRYPTO_AES_BLOCK] = { 0 }, want[CRYPTO_HASH_MAX_DIGEST];
	size_t hl = crypto_hash_size(h);
	struct crypto_aes_key k;
	bool ok;

	if (!crypto_aes_init_enc(&k, key, bits / 8u))
		return TPM_RC_FAILURE;
	crypto_aes_cfb_decrypt(&k, iv, buf, *len);
	crypto_wipe(&k, sizeof(k));
	if (*len < 2 + hl || vtpm_be16(buf) != hl)
		return TPM_RC_INTEGRITY;
	inner_integrity(h, buf + 2 + hl, *len - 2 - hl, name, name_len, want);
	ok = crypto_ct_equal(want, buf + 2, hl);
	if (!ok)
		return TPM_RC_INTEGRITY;
	*len -= 2 + hl;
	memmove(buf, buf + 2 + hl, *len);
	return 0;
}

/* ---- Duplicate --------------------------------------------------------------------------------- */

struct dup_in {
	struct vtpm_object *o, *np; /* np NULL: TPM_RH_NULL */
	uint16_t key_len;
	uint8_t key[DATA_MAX];
	struct sym_def sym;
};

static uint32_t dup_parse(struct vtpm *t, struct vtpm_cmd *c, struct dup_in *in)
{
	uint32_t rc;

	in->o = vtpm_object_find(t, c->handles[0]);
	if (!in->o || !vtpm_obj_is_key(in->o) || !in->o->has_sensitive)
		return RC_H(TPM_RC_HANDLE, 1);
	if (in->o->attrs & (TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT))
		return RC_H(TPM_RC_ATTRIBUTES, 1);
	in->np = NULL;
	if (c->handles[1] != TPM_RH_NULL) {
		in->np = vtpm_object_find(t, c->handles[1]);
		if (!in->np || !vtpm_obj_is_key(in->np))
			return RC_H(TPM_RC_HANDLE, 2);
		if ((in->np->kind != VTPM_OBJ_RSA && in->np->kind != VTPM_OBJ_ECC) || !vtpm_public_is_parent(&in->np->tp))
			return RC_H(TPM_RC_TYPE, 2);
	}
	rc = vtpm_get_tpm2b(&c->in, in->key, &in->key_len, sizeof(in->key));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = get_sym(&c->in, 2, &in->sym);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	/* encryptedDuplication: both wrappers are mandatory (Part 1, 23.3.1) */
	if (in->o->attrs & TPMA_OBJECT_ENCRYPTEDDUPLICATION) {
		if (in->sym.alg == TPM_ALG_NULL)
			return RC_P(TPM_RC_SYMMETRIC, 2);
		if (!in->np)
			return RC_H(TPM_RC_HIERARCHY, 2);
	}
	if (in->sym.alg == TPM_ALG_NULL ? in->key_len != 0 : (in->key_len != 0 && in->key_len != in->sym.bits / 8u))
		return RC_P(TPM_RC_SIZE, 1);
	return 0;
}

/* The duplicate's sensitive part, inner-wrapped when asked, into buf (VTPM_WRAPPED_MAX); the
 * generated inner key (if any) into key_out. Returns its length, 0 on failure. */
static size_t dup_inner(struct vtpm *t, struct dup_in *in, uint8_t *buf, uint8_t *key_out, uint16_t *key_out_len)
{
	struct vtpm_wr sw = { .p = buf + 2, .cap = VTPM_WRAPPED_MAX - 2 - 2 - CRYPTO_HASH_MAX_DIGEST };
	struct vtpm_sensitive s;
	size_t len;

	vtpm_object_sensitive(in->o, &s);
	vtpm_sensitive_put(&sw, &s);
	crypto_wipe(&s, sizeof(s));
	if (sw.overflow)
		return 0;
	vtpm_set_be16(buf, (uint16_t)sw.len);
	len = 2 + sw.len;
	*key_out_len = 0;
	if (in->sym.alg == TPM_ALG_NULL)
		return len;
	if (in->key_len == 0) {
		in->key_len = in->sym.bits / 8u;
		vtpm_random(t, in->key, in->key_len);
		memcpy(key_out, in->key, in->key_len);
		*key_out_len = in->key_len;
	}
	return inner_wrap(in->o, in->key, in->sym.bits, buf, len);
}

uint32_t vtpm_cmd_duplicate(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t buf[VTPM_WRAPPED_MAX], key_out[DATA_MAX], seed[CRYPTO_HASH_MAX_DIGEST], secret[VTPM_SECRET_MAX];
	uint8_t dup[2 + CRYPTO_HASH_MAX_DIGEST + VTPM_WRAPPED_MAX];
	struct vtpm_wr dw = { .p = dup, .cap = sizeof(dup) };
	size_t len, seed_len = 0, secret_len = 0;
	uint16_t key_out_len = 0;
	struct dup_in in;
	enum crypto_hash_alg h;
	uint32_t rc = dup_parse(t, c, &in);

	if (rc)
		goto out;
	len = dup_inner(t, &in, buf, key_out, &key_out_len);
	if (len == 0) {
		rc = TPM_RC_FAILURE;
		goto out;
	}
	if (!in.np) {
		vtpm_put_bytes(&dw, buf, len);
	} else {
		rc = vtpm_object_encrypt_secret(t, in.np, "DUPLICATE", seed, &seed_len, secret, &secret_len);
		if (rc) {
			rc = (rc & 0x80u) ? RC_H(rc, 2) : rc;
			goto out;
		}
		(void)vtpm_hash_from_alg(in.np->name_alg, &h);
		if (!vtpm_outer_wrap(h, seed, seed_len, in.np->tp.sym_bits, in.o->name, in.o->name_len, buf, len, &dw))
			rc = TPM_RC_FAILURE;
	}
	if (!rc) {
		vtpm_put_tpm2b(&c->out, key_out, key_out_len);
		vtpm_put_tpm2b(&c->out, dup, (uint16_t)dw.len);
		vtpm_put_tpm2b(&c->out, secret, (uint16_t)secret_len);
	}
out:
	crypto_wipe(&in, sizeof(in));
	crypto_wipe(buf, sizeof(buf));
	crypto_wipe(dup, sizeof(dup));
	crypto_wipe(key_out, sizeof(key_out));
	crypto_wipe(seed, sizeof(seed));
	return rc;
}

/* ---- Import ------------------------------------------------------------------------------------ */

struct imp_in {
	uint16_t key_len, pub_len, dup_len, seed_len;
	uint8_t key[DATA_MAX];
	const uint8_t *pub, *dup, *in_seed;
	struct sym_def sym;
	struct vtpm_public tp;
	uint8_t name[2 + CRYPTO_HASH_MAX_DIGEST];
	size_t name_len;
};

static uint32_t imp_parse(struct vtpm_cmd *c, const struct vtpm_object *parent, struct imp_in *in)
{
	enum crypto_hash_alg h;
	uint32_t rc;

	rc = vtpm_get_tpm2b(&c->in, in->key, &in->key_len, sizeof(in->key));
	if (rc)
		return vtpm_param_rc(rc, 1);
	rc = vtpm_get_sized(&c->in, 2, &in->pub, &in->pub_len, VTPM_PUBLIC_MAX);
	if (!rc)
		rc = vtpm_get_sized(&c->in, 3, &in->dup, &in->dup_len, 2 + CRYPTO_HASH_MAX_DIGEST + VTPM_WRAPPED_MAX);
	if (!rc)
		rc = vtpm_get_sized(&c->in, 4, &in->in_seed, &in->seed_len, VTPM_SECRET_MAX);
	if (!rc)
		rc = get_sym(&c->in, 5, &in->sym);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	rc = vtpm_public_parse(in->pub, in->pub_len, 2, &in->tp);
	if (rc)
		return rc;
	/* only objects that may leave their parent can arrive (Part 3, 13.3.1) */
	if (in->tp.attrs & (TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT))
		return RC_P(TPM_RC_ATTRIBUTES, 2);
	rc = vtpm_public_check(&in->tp, parent, 2);
	if (rc)
		return rc;
	if (in->tp.attrs & TPMA_OBJECT_ENCRYPTEDDUPLICATION) {
		if (in->sym.alg == TPM_ALG_NULL)
			return RC_P(TPM_RC_SYMMETRIC, 5);
		if (in->seed_len == 0)
			return RC_P(TPM_RC_SIZE, 4);
	}
	if (in->sym.alg == TPM_ALG_NULL ? in->key_len != 0 : in->key_len != in->sym.bits / 8u)
		return RC_P(TPM_RC_SIZE, 1);
	(void)vtpm_hash_from_alg(in->tp.name_alg, &h);
	vtpm_set_be16(in->name, in->tp.name_alg);
	crypto_hash(h, in->pub, in->pub_len, in->name + 2);
	in->name_len = 2 + crypto_hash_size(h);
	return 0;
}

/* The duplicate's TPM2B_SENSITIVE with both wrappers removed into buf (VTPM_WRAPPED_MAX). */
static uint32_t imp_unwrap(struct vtpm *t, struct vtpm_object *parent, struct imp_in *in, uint8_t *buf, size_t *len)
{
	uint8_t seed[CRYPTO_RSA_MAX_BYTES];
	size_t seed_len = 0;
	enum crypto_hash_alg h;
	uint32_t rc;

	if (in->seed_len == 0) {
		if (in->dup_len > VTPM_WRAPPED_MAX)
			return RC_P(TPM_RC_SIZE, 3);
		memcpy(buf, in->dup, in->dup_len);
		*len = in->dup_len;
	} else {
		rc = vtpm_object_decrypt_secret(t, parent, "DUPLICATE", in->in_seed, in->seed_len, seed, &seed_len);
		if (rc)
			return rc == TPM_RC_KEY ? TPM_RC_FAILURE : vtpm_param_rc(rc, 4);
		(void)vtpm_hash_from_alg(parent->name_alg, &h);
		rc = vtpm_outer_unwrap(h, seed, seed_len, parent->tp.sym_bits, in->name, in->name_len, in->dup,
				       in->dup_len, buf, len);
		crypto_wipe(seed, sizeof(seed));
		if (rc)
			return vtpm_param_rc(rc, 3);
	}
	if (in->sym.alg != TPM_ALG_NULL) {
		(void)vtpm_hash_from_alg(in->tp.name_alg, &h);
		rc = inner_unwrap(h, in->name, in->name_len, in->key, in->sym.bits, buf, len);
		if (rc)
			return vtpm_param_rc(rc, 3);
	}
	if (*len < 2 || vtpm_be16(buf) != *len - 2)
		return RC_P(TPM_RC_INTEGRITY, 3); /* no TPM2B_SENSITIVE: the wrong key or a forged blob */
	return 0;
}

uint32_t vtpm_cmd_import(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_object *parent = vtpm_object_find(t, c->handles[0]), *tmp = &t->scratch;
	uint8_t buf[VTPM_WRAPPED_MAX], priv[VTPM_PRIVATE_MAX];
	struct vtpm_wr pw = { .p = priv, .cap = sizeof(priv) };
	struct vtpm_sensitive s;
	struct imp_in in;
	size_t len = 0;
	uint32_t rc;

	if (!parent || !vtpm_obj_is_key(parent))
		return RC_H(TPM_RC_HANDLE, 1);
	if (!vtpm_object_is_parent(parent))
		return RC_H(TPM_RC_TYPE, 1);
	memset(&s, 0, sizeof(s));
	rc = imp_parse(c, parent, &in);
	if (!rc)
		rc = imp_unwrap(t, parent, &in, buf, &len);
	if (!rc)
		rc = vtpm_sensitive_parse(buf + 2, len - 2, 3, &s);
	/* the sensitive area must belong to the public one: vtpm_object_fill checks the binding */
	if (!rc) {
		memset(tmp, 0, sizeof(*tmp));
		rc = vtpm_object_fill(tmp, &in.tp, in.pub, in.pub_len, &s, parent->hierarchy, parent->qname,
				      parent->qname_len, 3);
	}
	if (!rc && !vtpm_private_wrap(parent, in.name, in.name_len, &s, &pw))
		rc = TPM_RC_FAILURE;
	if (!rc)
		vtpm_put_tpm2b(&c->out, priv, (uint16_t)pw.len);
	crypto_wipe(tmp, sizeof(*tmp));
	crypto_wipe(&s, sizeof(s));
	crypto_wipe(&in, sizeof(in));
	crypto_wipe(buf, sizeof(buf));
	crypto_wipe(priv, sizeof(priv));
	return rc;
}
