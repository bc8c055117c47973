/* PCR banks and the PCR commands (TPM 2.0 Library Part 3, 22; PC Client PTP for the attributes).
 *
 * Banks: SHA-1, SHA-256, SHA-384, 24 PCRs each. PC Client rules used here:
 *   PCR 0-15   extend from any locality, never reset, saved by Shutdown(STATE)
 *   PCR 16, 23 extend and PCR_Reset from any locality (debug / application)
 *   PCR 17-22  DRTM: extend from localities 4 (17), 3-4 (18-19), 2-4 (20), 2 (21-22); start at all
 *              ones; reset only by the DRTM sequence (not implemented), so PCR_Reset refuses them. */
#include "core/str.h"
#include "vtpm/internal.h"

#define PCR_SELECT_MAX 3u

/* Bitmask of localities (bit n = locality n) allowed to extend each PCR. */
static uint8_t extend_localities(unsigned pcr)
{
	switch (pcr) {
	case 17:
		return 0x10;
	case 18:
	case 19:
		return 0x18;
	case 20:
		return 0x1C;
	case 21:
	case 22:
		return 0x04;
	default:
		return 0x1F;
	}
}

static bool pcr_resettable(unsigned pcr)
{
	return pcr == 16 || pcr == 23;
}

bool vtpm_pcr_extend_allowed(unsigned pcr, uint8_t locality)
{
	return (extend_localities(pcr) >> locality) & 1u;
}

bool vtpm_pcr_can_extend(const struct vtpm *t, unsigned pcr)
{
	return vtpm_pcr_extend_allowed(pcr, t->locality);
}

void vtpm_pcr_startup(struct vtpm *t, bool restore)
{
	memset(t->pcr, 0, sizeof(t->pcr));
	for (unsigned b = 0; b < VTPM_BANKS; b++) {
		for (unsigned i = 17; i <= 22; i++)
			memset(t->pcr[b][i], 0xFF, VTPM_MAX_DIGEST);
		if (restore && (t->p.saved_pcr_alloc >> b & 1u))
			memcpy(t->pcr[b], t->p.saved_pcr[b], sizeof(t->p.saved_pcr[b]));
	}
	t->pcr_update_counter = 0;
}

void vtpm_pcr_save(struct vtpm *t)
{
	for (unsigned b = 0; b < VTPM_BANKS; b++)
		memcpy(t->p.saved_pcr[b], t->pcr[b], sizeof(t->p.saved_pcr[b]));
}

void vtpm_pcr_extend(struct vtpm *t, unsigned bank, unsigned pcr, const uint8_t *digest)
{
	enum crypto_hash_alg h = vtpm_bank_hash(bank);
	size_t dl = crypto_hash_size(h);
	struct crypto_hash_ctx ctx;

	crypto_hash_init(&ctx, h);
	crypto_hash_update(&ctx, t->pcr[bank][pcr], dl);
	crypto_hash_update(&ctx, digest, dl);
	crypto_hash_final(&ctx, t->pcr[bank][pcr]);
}

/* The PCR handle of PCR_Extend/Event/Reset: 0..23 or TPM_RH_NULL (-> *pcr = -1). */
static uint32_t pcr_handle(const struct vtpm *t, uint32_t h, int *pcr, bool reset)
{
	if (h == TPM_RH_NULL && !reset) {
		*pcr = -1;
		return 0;
	}
	if (h >= VTPM_PCR_COUNT)
		return RC_H(TPM_RC_VALUE, 1);
	if (reset ? !pcr_resettable(h) : !vtpm_pcr_can_extend(t, h))
		return TPM_RC_LOCALITY;
	*pcr = (int)h;
	return 0;
}

uint32_t vtpm_cmd_pcr_extend(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t digests[VTPM_BANKS][VTPM_MAX_DIGEST];
	bool have[VTPM_BANKS] = { false };
	uint32_t count, rc;
	int pcr;

	rc = pcr_handle(t, c->handles[0], &pcr, false);
	if (rc)
		return rc;
	if (!vtpm_get_u32(&c->in, &count))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (count > 4) /* HASH_COUNT: SHA-1/256/384/512 */
		return RC_P(TPM_RC_SIZE, 1);
	for (uint32_t i = 0; i < count; i++) {
		uint8_t tmp[CRYPTO_HASH_MAX_DIGEST];
		enum crypto_hash_alg h;
		uint16_t alg;
		int b;

		if (!vtpm_get_u16(&c->in, &alg))
			return RC_P(TPM_RC_INSUFFICIENT, 1);
		if (!vtpm_hash_from_alg(alg, &h))
			return RC_P(TPM_RC_HASH, 1);
		if (!vtpm_get_bytes(&c->in, tmp, crypto_hash_size(h)))
			return RC_P(TPM_RC_INSUFFICIENT, 1);
		b = vtpm_bank_of_alg(alg);
		if (b >= 0) {
			memcpy(digests[b], tmp, crypto_hash_size(h));
			have[b] = true;
		}
	}
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (pcr < 0)
		return 0;
	for (unsigned b = 0; b < VTPM_BANKS; b++) {
		if (have[b] && (t->active_alloc >> b & 1u))
			vtpm_pcr_extend(t, b, (unsigned)pcr, digests[b]);
	}
	t->pcr_update_counter++;
	return 0;
}

uint32_t vtpm_cmd_pcr_event(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t data[1024], d[CRYPTO_HASH_MAX_DIGEST];
	uint16_t n;
	uint32_t rc;
	int pcr;
	unsigned banks = 0;

	rc = pcr_handle(t, c->handles[0], &pcr, false);
	if (rc)
		return rc;
	rc = vtpm_get_tpm2b(&c->in, data, &n, sizeof(data));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	for (unsigned b = 0; b < VTPM_BANKS; b++)
		banks += t->active_alloc >> b & 1u;
	vtpm_put_u32(&c->out, banks);
	for (unsigned b = 0; b < VTPM_BANKS; b++) {
		if (!(t->active_alloc >> b & 1u))
			continue;
		crypto_hash(vtpm_bank_hash(b), data, n, d);
		vtpm_put_u16(&c->out, vtpm_bank_alg(b));
		vtpm_put_bytes(&c->out, d, crypto_hash_size(vtpm_bank_hash(b)));
		if (pcr >= 0)
			vtpm_pcr_extend(t, b, (unsigned)pcr, d);
	}
	if (pcr >= 0)
		t->pcr_update_counter++;
	return 0;
}

struct pcr_sel {
	uint16_t alg;
	uint8_t size;
	uint8_t bits[4];
};

/* TPML_PCR_SELECTION (Part 2, 10.9.7). */
static uint32_t get_selection(struct vtpm_rd *r, struct pcr_sel *sel, uint32_t *count)
{
	if (!vtpm_get_u32(r, count))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (*count > 4)
		return RC_P(TPM_RC_SIZE, 1);
	for (uint32_t i = 0; i < *count; i++) {
		memset(sel[i].bits, 0, sizeof(sel[i].bits));
		if (!vtpm_get_u16(r, &sel[i].alg) || !vtpm_get_u8(r, &sel[i].size))
			return RC_P(TPM_RC_INSUFFICIENT, 1);
		if (sel[i].size > 4 || sel[i].size < 1)
			return RC_P(TPM_RC_VALUE, 1);
		if (!vtpm_get_bytes(r, sel[i].bits, sel[i].size))
			return RC_P(TPM_RC_INSUFFICIENT, 1);
	}
	return 0;
}

uint32_t vtpm_cmd_pcr_read(struct vtpm *t, struct vtpm_cmd *c)
{
	struct pcr_sel sel[4];
	uint32_t count, rc, ndig = 0;
	struct vtpm_wr digs;
	uint8_t dbuf[8 * (2 + VTPM_MAX_DIGEST)];

	rc = get_selection(&c->in, sel, &count);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	digs = (struct vtpm_wr){ .p = dbuf, .cap = sizeof(dbuf) };
	/* Up to 8 digests (TPML_DIGEST); selected PCRs that do not fit are cleared from the output
	 * selection so the caller asks again (Part 3, 22.4.1). */
	for (uint32_t i = 0; i < count; i++) {
		int b = vtpm_bank_of_alg(sel[i].alg);
		for (unsigned p = 0; p < 8u * sel[i].size; p++) {
			bool on = sel[i].bits[p / 8] >> (p % 8) & 1u;
			if (!on)
				continue;
			if (b < 0 || !(t->active_alloc >> b & 1u) || p >= VTPM_PCR_COUNT || ndig >= 8) {
				sel[i].bits[p / 8] &= (uint8_t)~(1u << (p % 8));
				continue;
			}
			size_t dl = crypto_hash_size(vtpm_bank_hash((unsigned)b));
			vtpm_put_tpm2b(&digs, t->pcr[b][p], (uint16_t)dl);
			ndig++;
		}
	}
	vtpm_put_u32(&c->out, t->pcr_update_counter);
	vtpm_put_u32(&c->out, count);
	for (uint32_t i = 0; i < count; i++) {
		vtpm_put_u16(&c->out, sel[i].alg);
		vtpm_put_u8(&c->out, sel[i].size);
		vtpm_put_bytes(&c->out, sel[i].bits, sel[i].size);
	}
	vtpm_put_u32(&c->out, ndig);
	vtpm_put_bytes(&c->out, dbuf, digs.len);
	return 0;
}

uint32_t vtpm_cmd_pcr_reset(struct vtpm *t, struct vtpm_cmd *c)
{
	int pcr;
	uint32_t rc = pcr_handle(t, c->handles[0], &pcr, true);

	if (rc)
		return rc;
	for (unsigned b = 0; b < VTPM_BANKS; b++)
		memset(t->pcr[b][pcr], 0, VTPM_MAX_DIGEST);
	t->pcr_update_counter++;
	return 0;
}

uint32_t vtpm_cmd_pcr_allocate(struct vtpm *t, struct vtpm_cmd *c)
{
	struct pcr_sel sel[4];
	uint32_t count, rc;
	uint8_t alloc = t->p.pcr_alloc;

	if (c->handles[0] != TPM_RH_PLATFORM)
		return RC_H(TPM_RC_VALUE, 1);
	rc = get_selection(&c->in, sel, &count);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	/* A bank is allocated with all 24 PCRs or not at all; banks not named keep their state. */
	for (uint32_t i = 0; i < count; i++) {
		int b = vtpm_bank_of_alg(sel[i].alg);
		bool any = false;

		if (b < 0)
			continue;
		for (unsigned k = 0; k < sel[i].size; k++)
			any |= sel[i].bits[k] != 0;
		if (any)
			alloc |= (uint8_t)(1u << b);
		else
			alloc &= (uint8_t)~(1u << b);
	}
	vtpm_put_u8(&c->out, alloc != 0); /* allocationSuccess */
	vtpm_put_u32(&c->out, VTPM_PCR_COUNT); /* maxPCR */
	vtpm_put_u32(&c->out, 0);              /* sizeNeeded */
	vtpm_put_u32(&c->out, 0);              /* sizeAvailable */
	if (alloc != 0) {
		t->p.pcr_alloc = alloc;
		c->nv_dirty = true;
	}
	return 0;
}
