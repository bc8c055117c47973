/* The TCG crypto-agile event log (TCG PC Client Platform Firmware Profile, 10.2 "Crypto Agile Log
 * Entry Format"): a Spec ID event in the legacy TCG_PCR_EVENT format, then TCG_PCR_EVENT2 entries
 * carrying one digest per active PCR bank. Mantle writes it while measuring the guest; the guest reads
 * it through the TPM2 ACPI table's log area. */
#ifndef MANTLE_CORE_TCGLOG_H
#define MANTLE_CORE_TCGLOG_H

#include <stddef.h>
#include <stdint.h>

#define TPM_ALG_SHA1 0x0004u
#define TPM_ALG_SHA256 0x000bu
#define TPM_ALG_SHA384 0x000cu

/* Event types (PC Client PFP, table 9). */
#define EV_POST_CODE 0x00000001u
#define EV_NO_ACTION 0x00000003u
#define EV_SEPARATOR 0x00000004u
#define EV_S_CRTM_VERSION 0x00000008u
#define EV_IPL 0x0000000du

#define TCGLOG_MAX_BANKS 3u

struct tcglog_bank {
	uint16_t alg;       /* TPM_ALG_* */
	uint16_t size;      /* digest bytes */
};

struct tcglog {
	uint8_t *buf;
	size_t cap;
	size_t len;
	uint32_t bank_count;
	struct tcglog_bank banks[TCGLOG_MAX_BANKS];
};

/* Starts a log in buf with the Spec ID event for `banks`. Returns 0, or -1 if it does not fit. */
__attribute__((warn_unused_result)) int tcglog_init(struct tcglog *log, void *buf, size_t cap,
						    const struct tcglog_bank *banks, uint32_t bank_count);

/* Appends an event; digests holds one digest per bank, in bank order, back to back. */
__attribute__((warn_unused_result)) int tcglog_add(struct tcglog *log, uint32_t pcr, uint32_t type,
						   const uint8_t *digests, const void *event, uint32_t event_len);

#endif
