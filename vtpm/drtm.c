/* D-RTM signals _TPM_Hash_Start/_Data/_End (TPM 2.0 Library Part 3, 9.5-9.7; PC Client PTP):
 * platform signals, not commands, so they arrive through vtpm.h functions (tools/vtpm-sim maps the
 * simulator protocol's HASH_START/DATA/END onto them). */
#include "core/str.h"
#include "vtpm/internal.h"

#define DRTM_LOCALITY 4u
#define DRTM_FIRST_PCR 17u
#define DRTM_LAST_PCR 22u

bool vtpm_hash_start(struct vtpm *t)
{
	if (!t->started || t->failure_rc || t->locality != DRTM_LOCALITY)
		return false;
	for (unsigned b = 0; b < VTPM_BANKS; b++) {
		for (unsigned p = DRTM_FIRST_PCR; p <= DRTM_LAST_PCR; p++)
			memset(t->pcr[b][p], 0, VTPM_MAX_DIGEST);
		crypto_hash_init(&t->drtm[b], vtpm_bank_hash(b));
	}
	t->drtm_active = true;
	t->pcr_update_counter++;
	return true;
}

bool vtpm_hash_data(struct vtpm *t, const void *data, size_t len)
{
	if (!t->drtm_active)
		return false;
	for (unsigned b = 0; b < VTPM_BANKS; b++)
		crypto_hash_update(&t->drtm[b], data, len);
	return true;
}

bool vtpm_hash_end(struct vtpm *t)
{
	uint8_t d[CRYPTO_HASH_MAX_DIGEST];

	if (!t->drtm_active)
		return false;
	for (unsigned b = 0; b < VTPM_BANKS; b++) {
		if (!(t->active_alloc >> b & 1u))
			continue;
		crypto_hash_final(&t->drtm[b], d);
		vtpm_pcr_extend(t, b, DRTM_FIRST_PCR, d);
	}
	t->drtm_active = false;
	t->pcr_update_counter++;
	return true;
}
