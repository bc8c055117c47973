/* TPMT_PUBLIC and TPMT_SENSITIVE (TPM 2.0 Library Part 2, 12.2 and 12.3): unmarshalling with the
 * algorithm checks of the spec's unmarshal functions, the attribute and scheme rules of Part 1, 27
 * (objects) and Part 3 CreatePrimary/Create/Load, and canonical marshalling.
 *
 * Supported: RSA 2048/3072 (exponent 0 = 65537 or 65537), ECC NIST P-256/P-384, KEYEDHASH (HMAC keys,
 * sealed data; XOR derivation parents are refused), SYMCIPHER AES-128/256 with CFB, CBC, CTR, OFB,
 * ECB or a NULL mode. Parents (restricted decryption keys) need AES-128/256-CFB. */
#include "core/str.h"
#include "vtpm/internal.h"

static bool hash_ok(uint16_t alg)
{
	enum crypto_hash_alg h;

	return vtpm_hash_from_alg(alg, &h);
}

size_t vtpm_ecc_size(uint16_t curve)
{
	return curve == TPM_ECC_NIST_P256 ? 32u : curve == TPM_ECC_NIST_P384 ? 48u : 0u;
}

/* TPMT_SYM_DEF_OBJECT; null_ok for the asymmetric keys' symmetric field. */
static uint32_t get_sym(struct vtpm_rd *r, unsigned n, bool null_ok, struct vtpm_public *tp)
{
	if (!vtpm_get_u16(r, &tp->sym_alg))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	tp->sym_bits = 0;
	tp->sym_mode = TPM_ALG_NULL;
	if (tp->sym_alg == TPM_ALG_NULL)
		return null_ok ? 0 : RC_P(TPM_RC_SYMMETRIC, n);
	if (tp->sym_alg != TPM_ALG_AES)
		return RC_P(TPM_RC_SYMMETRIC, n);
	if (!vtpm_get_u16(r, &tp->sym_bits) || !vtpm_get_u16(r, &tp->sym_mode))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (tp->sym_bits != 128 && tp->sym_bits != 256)
		return RC_P(TPM_RC_KEY_SIZE, n);
	switch (tp->sym_mode) {
	case TPM_ALG_CFB: case TPM_ALG_CBC: case TPM_ALG_CTR: case TPM_ALG_OFB: case TPM_ALG_ECB: case TPM_ALG_NULL:
		return 0;
	default:
		return RC_P(TPM_RC_MODE, n);
	}
}

/* TPMT_RSA_SCHEME / TPMT_ECC_SCHEME / TPMT_KEYEDHASH_SCHEME: the scheme and its hash. */
static uint32_t get_scheme(struct vtpm_rd *r, unsigned n, struct vtpm_public *tp)
{
	bool has_hash;

	if (!vtpm_get_u16(r, &tp->scheme))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	tp->scheme_hash = TPM_ALG_NULL;
	tp->scheme_kdf = TPM_ALG_NULL;
	switch (tp->type) {
	case TPM_ALG_RSA:
		if (tp->scheme != TPM_ALG_RSASSA && tp->scheme != TPM_ALG_RSAPSS && tp->scheme != TPM_ALG_OAEP &&
		    tp->scheme != TPM_ALG_RSAES && tp->scheme != TPM_ALG_NULL)
			return RC_P(TPM_RC_SCHEME, n);
		has_hash = tp->scheme != TPM_ALG_RSAES && tp->scheme != TPM_ALG_NULL;
		break;
	case TPM_ALG_ECC:
		if (tp->scheme != TPM_ALG_ECDSA && tp->scheme != TPM_ALG_ECDH && tp->scheme != TPM_ALG_NULL)
			return RC_P(TPM_RC_SCHEME, n); /* ECDAA, SM2, ECSchnorr, ECMQV: not supported */
		has_hash = tp->scheme != TPM_ALG_NULL;
		break;
	default: /* KEYEDHASH */
		if (tp->scheme != TPM_ALG_HMAC && tp->scheme != TPM_ALG_XOR && tp->scheme != TPM_ALG_NULL)
			return RC_P(TPM_RC_SCHEME, n);
		has_hash = tp->scheme != TPM_ALG_NULL;
		break;
	}
	if (!has_hash)
		return 0;
	if (!vtpm_get_u16(r, &tp->scheme_hash))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (!hash_ok(tp->scheme_hash))
		return RC_P(TPM_RC_HASH, n);
	if (tp->scheme == TPM_ALG_XOR) {
		if (!vtpm_get_u16(r, &tp->scheme_kdf))
			return RC_P(TPM_RC_INSUFFICIENT, n);
		if (tp->scheme_kdf != TPM_ALG_KDF1_SP800_108)
			return RC_P(TPM_RC_KDF, n);
	}
	return 0;
}

uint32_t vtpm_public_parms_parse(struct vtpm_rd *r, unsigned n, struct vtpm_public *tp)
{
	uint16_t kdf;
	uint32_t rc;

	switch (tp->type) {
	case TPM_ALG_KEYEDHASH:
		return get_scheme(r, n, tp);
	case TPM_ALG_SYMCIPHER:
		return get_sym(r, n, false, tp);
	case TPM_ALG_RSA:
		rc = get_sym(r, n, true, tp);
		if (!rc)
			rc = get_scheme(r, n, tp);
		if (rc)
			return rc;
		if (!vtpm_get_u16(r, &tp->rsa_bits) || !vtpm_get_u32(r, &tp->rsa_e))
			return RC_P(TPM_RC_INSUFFICIENT, n);
		if (tp->rsa_bits != 2048 && tp->rsa_bits != 3072)
			return RC_P(TPM_RC_KEY_SIZE, n);
		if (tp->rsa_e != 0 && tp->rsa_e != 65537)
			return RC_P(TPM_RC_VALUE, n); /* BearSSL's keygen; other exponents not supported */
		return 0;
	case TPM_ALG_ECC:
		rc = get_sym(r, n, true, tp);
		if (!rc)
			rc = get_scheme(r, n, tp);
		if (rc)
			return rc;
		if (!vtpm_get_u16(r, &tp->curve) || !vtpm_get_u16(r, &kdf))
			return RC_P(TPM_RC_INSUFFICIENT, n);
		if (!vtpm_ecc_size(tp->curve))
			return RC_P(TPM_RC_CURVE, n);
		if (kdf != TPM_ALG_NULL)
			return RC_P(TPM_RC_KDF, n);
		return 0;
	default:
		return RC_P(TPM_RC_TYPE, n);
	}
}

static uint32_t get_unique(struct vtpm_rd *r, unsigned n, struct vtpm_public *tp)
{
	uint32_t rc;

	tp->u2_len = 0;
	switch (tp->type) {
	case TPM_ALG_RSA:
		rc = vtpm_get_tpm2b(r, tp->u1, &tp->u1_len, tp->rsa_bits / 8u);
		break;
	case TPM_ALG_ECC:
		rc = vtpm_get_tpm2b(r, tp->u1, &tp->u1_len, vtpm_ecc_size(tp->curve));
		if (!rc)
			rc = vtpm_get_tpm2b(r, tp->u2, &tp->u2_len, vtpm_ecc_size(tp->curve));
		break;
	default:
		rc = vtpm_get_tpm2b(r, tp->u1, &tp->u1_len, CRYPTO_HASH_MAX_DIGEST);
		break;
	}
	return rc ? vtpm_param_rc(rc, n) : 0;
}

uint32_t vtpm_public_parse(const uint8_t *p, size_t len, unsigned n, struct vtpm_public *tp)
{
	struct vtpm_rd r;
	uint32_t rc;

	memset(tp, 0, sizeof(*tp));
	if (len == 0)
		return RC_P(TPM_RC_SIZE, n);
	vtpm_rd_init(&r, p, len);
	if (!vtpm_get_u16(&r, &tp->type) || !vtpm_get_u16(&r, &tp->name_alg) || !vtpm_get_u32(&r, &tp->attrs))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (tp->type != TPM_ALG_RSA && tp->type != TPM_ALG_ECC && tp->type != TPM_ALG_KEYEDHASH &&
	    tp->type != TPM_ALG_SYMCIPHER)
		return RC_P(TPM_RC_TYPE, n);
	if (!hash_ok(tp->name_alg))
		return RC_P(TPM_RC_HASH, n);
	if (tp->attrs & TPMA_OBJECT_RESERVED)
		return RC_P(TPM_RC_RESERVED_BITS, n);
	rc = vtpm_get_tpm2b(&r, tp->policy, &tp->policy_len, sizeof(tp->policy));
	if (rc)
		return vtpm_param_rc(rc, n);
	rc = vtpm_public_parms_parse(&r, n, tp);
	if (!rc)
		rc = get_unique(&r, n, tp);
	if (rc)
		return rc;
	if (vtpm_rd_left(&r))
		return RC_P(TPM_RC_SIZE, n);
	return 0;
}

bool vtpm_public_is_parent(const struct vtpm_public *tp)
{
	uint32_t a = tp->attrs;

	return tp->type != TPM_ALG_KEYEDHASH && (a & TPMA_OBJECT_RESTRICTED) && (a & TPMA_OBJECT_DECRYPT) &&
	       !(a & TPMA_OBJECT_SIGN) && tp->sym_alg == TPM_ALG_AES && tp->sym_mode == TPM_ALG_CFB;
}

/* Scheme rules for RSA and ECC keys (Part 1, 27.2.4 and 27.2.5 with Part 2's TPMT_*_SCHEME): a key
 * that both signs and decrypts names no scheme; a signing key names a signing scheme (restricted:
 * required); a decryption key a decryption scheme (restricted: none); only parents have a symmetric
 * algorithm. */
static uint32_t asym_scheme_check(const struct vtpm_public *tp, unsigned n)
{
	uint32_t a = tp->attrs;
	bool sign = a & TPMA_OBJECT_SIGN, dec = a & TPMA_OBJECT_DECRYPT, restricted = a & TPMA_OBJECT_RESTRICTED;
	bool sign_scheme = tp->scheme == TPM_ALG_RSASSA || tp->scheme == TPM_ALG_RSAPSS || tp->scheme == TPM_ALG_ECDSA;
	bool dec_scheme = tp->scheme == TPM_ALG_OAEP || tp->scheme == TPM_ALG_RSAES || tp->scheme == TPM_ALG_ECDH;

	if (sign == dec) {
		if (tp->scheme != TPM_ALG_NULL)
			return RC_P(TPM_RC_SCHEME, n);
	} else if (sign) {
		if (!sign_scheme && (restricted || tp->scheme != TPM_ALG_NULL))
			return RC_P(TPM_RC_SCHEME, n);
	} else if (restricted ? tp->scheme != TPM_ALG_NULL : (tp->scheme != TPM_ALG_NULL && !dec_scheme)) {
		return RC_P(TPM_RC_SCHEME, n);
	}
	if (!(restricted && dec) && tp->sym_alg != TPM_ALG_NULL)
		return RC_P(TPM_RC_SYMMETRIC, n);
	return 0;
}

static uint32_t scheme_check(const struct vtpm_public *tp, const struct vtpm_object *parent, unsigned n)
{
	uint32_t a = tp->attrs, rc;
	bool sign = a & TPMA_OBJECT_SIGN, dec = a & TPMA_OBJECT_DECRYPT;

	switch (tp->type) {
	case TPM_ALG_KEYEDHASH:
		if (sign == dec ? tp->scheme != TPM_ALG_NULL : sign ? tp->scheme != TPM_ALG_HMAC : tp->scheme != TPM_ALG_XOR)
			return RC_P(TPM_RC_SCHEME, n);
		if (dec)
			return RC_P(TPM_RC_SCHEME, n); /* XOR keys (derivation parents): not supported */
		return 0;
	case TPM_ALG_SYMCIPHER:
		/* sign on a symmetric key means "may encrypt" for EncryptDecrypt (tpm2-tools sets both) */
		break;
	default:
		rc = asym_scheme_check(tp, n);
		if (rc)
			return rc;
		break;
	}
	if ((a & TPMA_OBJECT_RESTRICTED) && dec) {
		/* an ordinary parent: AES-CFB; a non-duplicable one uses its parent's algorithms */
		if (tp->sym_alg == TPM_ALG_NULL)
			return RC_P(TPM_RC_SYMMETRIC, n);
		if (tp->sym_mode != TPM_ALG_CFB)
			return RC_P(TPM_RC_MODE, n);
		if ((a & TPMA_OBJECT_FIXEDPARENT) && parent) {
			if (tp->name_alg != parent->tp.name_alg)
				return RC_P(TPM_RC_HASH, n);
			if (tp->sym_alg != parent->tp.sym_alg || tp->sym_bits != parent->tp.sym_bits ||
			    tp->sym_mode != parent->tp.sym_mode)
				return RC_P(TPM_RC_SYMMETRIC, n);
		}
	}
	return 0;
}

/* Part 1, 27.2 and Part 3 Create (PublicAttributesValidation of the reference code). */
uint32_t vtpm_public_check(const struct vtpm_public *tp, const struct vtpm_object *parent, unsigned n)
{
	uint32_t a = tp->attrs, pa = parent ? parent->attrs : TPMA_OBJECT_FIXEDTPM;
	bool sign = a & TPMA_OBJECT_SIGN, dec = a & TPMA_OBJECT_DECRYPT;
	enum crypto_hash_alg h;

	(void)vtpm_hash_from_alg(tp->name_alg, &h);
	if (tp->policy_len != 0 && tp->policy_len != crypto_hash_size(h))
		return RC_P(TPM_RC_SIZE, n);
	/* under a fixedTPM parent (a hierarchy counts as one) fixedTPM and fixedParent agree; under
	 * another parent the object cannot be fixedTPM */
	if (pa & TPMA_OBJECT_FIXEDTPM) {
		if (!(a & TPMA_OBJECT_FIXEDPARENT) != !(a & TPMA_OBJECT_FIXEDTPM))
			return RC_P(TPM_RC_ATTRIBUTES, n);
	} else if (a & TPMA_OBJECT_FIXEDTPM) {
		return RC_P(TPM_RC_ATTRIBUTES, n);
	}
	if (sign == dec) {
		if (a & TPMA_OBJECT_RESTRICTED)
			return RC_P(TPM_RC_ATTRIBUTES, n);
		if (tp->type != TPM_ALG_KEYEDHASH && !sign)
			return RC_P(TPM_RC_ATTRIBUTES, n); /* only data objects neither sign nor decrypt */
	}
	if ((a & TPMA_OBJECT_FIXEDTPM) && (a & TPMA_OBJECT_ENCRYPTEDDUPLICATION))
		return RC_P(TPM_RC_ATTRIBUTES, n);
	if (parent && !(pa & TPMA_OBJECT_FIXEDTPM) &&
	    !(a & TPMA_OBJECT_ENCRYPTEDDUPLICATION) != !(pa & TPMA_OBJECT_ENCRYPTEDDUPLICATION))
		return RC_P(TPM_RC_ATTRIBUTES, n);
	if (a & TPMA_OBJECT_X509SIGN)
		return RC_P(TPM_RC_ATTRIBUTES, n); /* CertifyX509 keys: not supported */
	return scheme_check(tp, parent, n);
}

/* CreateChecks: who provides the sensitive data. */
uint32_t vtpm_public_create_check(const struct vtpm_public *tp, const struct vtpm_object *parent, size_t data_len,
				  unsigned n)
{
	uint32_t a = tp->attrs;
	bool origin = a & TPMA_OBJECT_SENSITIVEDATAORIGIN;

	if (!origin && data_len == 0)
		return RC_P(TPM_RC_ATTRIBUTES, n);
	if (parent && origin && data_len != 0)
		return RC_P(TPM_RC_ATTRIBUTES, n);
	switch (tp->type) {
	case TPM_ALG_KEYEDHASH:
		if (!(a & (TPMA_OBJECT_SIGN | TPMA_OBJECT_DECRYPT)) && origin)
			return RC_P(TPM_RC_ATTRIBUTES, n); /* sealed data comes from the caller */
		/* fall through */
	case TPM_ALG_SYMCIPHER:
		if ((a & TPMA_OBJECT_RESTRICTED) && !origin && (a & (TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_FIXEDTPM)))
			return RC_P(TPM_RC_ATTRIBUTES, n);
		break;
	default:
		if (!origin)
			return RC_P(TPM_RC_ATTRIBUTES, n); /* asymmetric private keys come from the TPM */
		break;
	}
	return vtpm_public_check(tp, parent, n);
}

void vtpm_public_put(struct vtpm_wr *w, const struct vtpm_public *tp)
{
	vtpm_put_u16(w, tp->type);
	vtpm_put_u16(w, tp->name_alg);
	vtpm_put_u32(w, tp->attrs);
	vtpm_put_tpm2b(w, tp->policy, tp->policy_len);
	if (tp->type == TPM_ALG_SYMCIPHER || tp->type == TPM_ALG_RSA || tp->type == TPM_ALG_ECC) {
		vtpm_put_u16(w, tp->sym_alg);
		if (tp->sym_alg != TPM_ALG_NULL) {
			vtpm_put_u16(w, tp->sym_bits);
			vtpm_put_u16(w, tp->sym_mode);
		}
	}
	if (tp->type != TPM_ALG_SYMCIPHER) {
		vtpm_put_u16(w, tp->scheme);
		if (tp->scheme_hash != TPM_ALG_NULL)
			vtpm_put_u16(w, tp->scheme_hash);
		if (tp->scheme == TPM_ALG_XOR)
			vtpm_put_u16(w, tp->scheme_kdf);
	}
	if (tp->type == TPM_ALG_RSA) {
		vtpm_put_u16(w, tp->rsa_bits);
		vtpm_put_u32(w, tp->rsa_e);
	} else if (tp->type == TPM_ALG_ECC) {
		vtpm_put_u16(w, tp->curve);
		vtpm_put_u16(w, TPM_ALG_NULL); /* kdf */
	}
	vtpm_put_tpm2b(w, tp->u1, tp->u1_len);
	if (tp->type == TPM_ALG_ECC)
		vtpm_put_tpm2b(w, tp->u2, tp->u2_len);
}

uint32_t vtpm_sensitive_parse(const uint8_t *p, size_t len, unsigned n, struct vtpm_sensitive *s)
{
	struct vtpm_rd r;
	uint32_t rc;

	memset(s, 0, sizeof(*s));
	vtpm_rd_init(&r, p, len);
	if (!vtpm_get_u16(&r, &s->type))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	rc = vtpm_get_tpm2b(&r, s->auth, &s->auth_len, sizeof(s->auth));
	if (!rc)
		rc = vtpm_get_tpm2b(&r, s->seed, &s->seed_len, sizeof(s->seed));
	if (!rc)
		rc = vtpm_get_tpm2b(&r, s->key, &s->key_len, sizeof(s->key));
	if (rc)
		return vtpm_param_rc(rc, n);
	if (vtpm_rd_left(&r))
		return RC_P(TPM_RC_SIZE, n);
	return 0;
}

void vtpm_sensitive_put(struct vtpm_wr *w, const struct vtpm_sensitive *s)
{
	vtpm_put_u16(w, s->type);
	vtpm_put_tpm2b(w, s->auth, s->auth_len);
	vtpm_put_tpm2b(w, s->seed, s->seed_len);
	vtpm_put_tpm2b(w, s->key, s->key_len);
}
