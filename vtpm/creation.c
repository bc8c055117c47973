/* What CreatePrimary, Create and Quote share: PCR selections (TPML_PCR_SELECTION, Part 2, 10.9.7)
 * and their digests, creation data (TPMS_CREATION_DATA, Part 2, 15.1), hierarchy seeds. */
#include "core/str.h"
#include "vtpm/internal.h"

const uint8_t *vtpm_hierarchy_seed(const struct vtpm *t, uint32_t hier)
{
	switch (hier) {
	case TPM_RH_OWNER: return t->p.sps;
	case TPM_RH_ENDORSEMENT: return t->p.eps;
	case TPM_RH_PLATFORM: return t->p.pps;
	case TPM_RH_NULL: return t->null_seed;
	default: return NULL;
	}
}

bool vtpm_hierarchy_enabled(const struct vtpm *t, uint32_t hier)
{
	switch (hier) {
	case TPM_RH_OWNER: return t->sh_enable;
	case TPM_RH_ENDORSEMENT: return t->eh_enable;
	case TPM_RH_PLATFORM: return t->ph_enable;
	default: return hier == TPM_RH_NULL;
	}
}

uint32_t vtpm_get_sized(struct vtpm_rd *r, unsigned n, const uint8_t **p, uint16_t *len, size_t max)
{
	if (!vtpm_get_u16(r, len) || *len > vtpm_rd_left(r))
		return RC_P(TPM_RC_INSUFFICIENT, n);
	if (*len > max)
		return RC_P(TPM_RC_SIZE, n);
	*p = r->p + r->off;
	r->off += *len;
	return 0;
}

/* Parses a selection; PCRs of unallocated banks are dropped (Part 1, 17.5: the TPM filters the
 * selection to what is implemented); other hashes, too many entries, bad sizes: parameter n. */
uint32_t vtpm_pcr_list_get(const struct vtpm *t, struct vtpm_rd *r, unsigned n, struct vtpm_pcr_list *l)
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

void vtpm_pcr_list_put(struct vtpm_wr *w, const struct vtpm_pcr_list *l)
{
	vtpm_put_u32(w, l->count);
	for (uint32_t i = 0; i < l->count; i++) {
		vtpm_put_u16(w, l->s[i].alg);
		vtpm_put_u8(w, l->s[i].size);
		vtpm_put_bytes(w, l->s[i].bits, l->s[i].size);
	}
}

/* H_alg of the selected PCR values, in selection order, ascending within a selection. */
void vtpm_pcr_list_digest(const struct vtpm *t, const struct vtpm_pcr_list *l, enum crypto_hash_alg alg, uint8_t *out)
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

/* The parent of a primary is its hierarchy, named (and qualified-named) by its handle with
 * parentNameAlg NULL; an object parent gives its nameAlg, Name and qualified name. */
size_t vtpm_creation_data(const struct vtpm *t, const struct vtpm_pcr_list *sel, enum crypto_hash_alg h,
			  uint32_t parent_handle, const struct vtpm_object *parent, const uint8_t *outside,
			  uint16_t outside_len, uint8_t *cd, size_t cap, uint8_t *chash)
{
	uint8_t pdig[CRYPTO_HASH_MAX_DIGEST];
	struct vtpm_wr w = { .p = cd, .cap = cap };

	vtpm_pcr_list_digest(t, sel, h, pdig);
	vtpm_pcr_list_put(&w, sel);
	vtpm_put_tpm2b(&w, pdig, (uint16_t)crypto_hash_size(h));
	vtpm_put_u8(&w, (uint8_t)(1u << t->locality));
	if (parent) {
		vtpm_put_u16(&w, parent->name_alg);
		vtpm_put_tpm2b(&w, parent->name, parent->name_len);
		vtpm_put_tpm2b(&w, parent->qname, parent->qname_len);
	} else {
		vtpm_put_u16(&w, TPM_ALG_NULL);
		vtpm_put_u16(&w, 4);
		vtpm_put_u32(&w, parent_handle);
		vtpm_put_u16(&w, 4);
		vtpm_put_u32(&w, parent_handle);
	}
	vtpm_put_tpm2b(&w, outside, outside_len);
	if (w.overflow)
		return 0;
	crypto_hash(h, cd, w.len, chash);
	return w.len;
}
