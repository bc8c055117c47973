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
	if (!t->powered || t->failure_rc || t->locality != DRTM_LOCALITY)
		return false;
	for (unsigned b = 0; b < VTPM_BANKS; b++) {
		if (t->started) {
			for (unsigned p = DRTM_FIRST_PCR; p <= DRTM_LAST_PCR; p++)
				memset(t->pcr[b][p], 0, VTPM_MAX_DIGEST);
		}
		crypto_hash_init(&t->drtm[b], vtpm_bank_hash(b));
	}
	t->hcrtm_active = !t->started;
	t->hcrtm_done = false;
	t->drtm_active = true;
	if (t->started)
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
	t->drtm_active = false;
	if (t->hcrtm_active) {
		for (unsigned b = 0; b < VTPM_BANKS; b++)
			crypto_hash_final(&t->drtm[b], t->hcrtm[b]);
		t->hcrtm_active = false;
		t->hcrtm_done = true;
		return true;
	}
	for (unsigned b = 0; b < VTPM_BANKS; b++) {
		if (!(t->active_alloc >> b & 1u))
			continue;
		crypto_hash_final(&t->drtm[b], d);
		vtpm_pcr_extend(t, b, DRTM_FIRST_PCR, d);
	}
	t->pcr_update_counter++;
	return true;
}

/* At Startup: PCR 0 starts from the startup locality (PC Client: 0, or 3 when Startup comes from
 * locality 3), or from 4 extended with the H-CRTM digests when an H-CRTM sequence completed. */
void vtpm_drtm_startup(struct vtpm *t, bool clear)
{
	t->drtm_active = false;
	t->hcrtm_active = false;
	if (clear) {
		for (unsigned b = 0; b < VTPM_BANKS; b++) {
			memset(t->pcr[b][0], 0, VTPM_MAX_DIGEST);
			if (t->hcrtm_done) {
				t->pcr[b][0][crypto_hash_size(vtpm_bank_hash(b)) - 1] = DRTM_LOCALITY;
				vtpm_pcr_extend(t, b, 0, t->hcrtm[b]);
			} else if (t->locality == 3) {
				t->pcr[b][0][crypto_hash_size(vtpm_bank_hash(b)) - 1] = 3;
			}
		}
	}
	t->hcrtm_done = false;
}
