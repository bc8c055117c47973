/* The certificate table of an extended guest request (GHCB NAE 0x8000_0012): what the host says are
 * the certificates (VCEK/VLEK, ASK, ARK) that sign the attestation report.
 *
 * The host writes the whole buffer; Mantle copies it once out of the shared pages and parses the
 * private copy here. Nothing in it is trusted: every entry must lie inside the buffer, after the
 * table, with a nonzero length, no two entries may overlap or repeat a GUID, and the table must end
 * with an all-zero entry inside the buffer. The certificates themselves are not interpreted: a
 * relying party checks the chain; Mantle only guarantees that what it hands on is well-formed.
 */
#ifndef MANTLE_TEE_SNP_SNP_CERTS_H
#define MANTLE_TEE_SNP_SNP_CERTS_H

#include <stdint.h>

#include "tee/snp/snp_abi.h"

/* Largest certificate buffer Mantle offers: the host may ask for more (RBX), never beyond this. */
#define SNP_CERT_MAX_PAGES 8u
#define SNP_CERT_MAX_BYTES (SNP_CERT_MAX_PAGES * SNP_PAGE_SIZE)
#define SNP_CERT_MAX_ENTRIES 16u

enum snp_cert_status {
	SNP_CERTS_OK = 0,
	SNP_CERTS_NO_TERMINATOR,  /* no all-zero entry inside the buffer */
	SNP_CERTS_BAD_ENTRY,      /* zero GUID in a non-terminator, or zero length */
	SNP_CERTS_OUT_OF_RANGE,   /* data before the table's end or past the buffer */
	SNP_CERTS_OVERLAP,        /* two entries share bytes */
	SNP_CERTS_DUPLICATE,      /* two entries with one GUID */
	SNP_CERTS_TOO_MANY,       /* more than SNP_CERT_MAX_ENTRIES */
	SNP_CERTS_TOO_LARGE,      /* the host needs more than SNP_CERT_MAX_PAGES: no certificates */
	SNP_CERTS_NONE,           /* not requested or not obtained */
};

struct snp_cert_entry {
	uint8_t guid[16];
	uint32_t offset, length;  /* within snp_certs.data */
};

/* The private copy of the buffer and its parsed table. */
struct snp_certs {
	enum snp_cert_status status;
	uint32_t len;             /* bytes copied from the shared buffer */
	uint32_t count;
	struct snp_cert_entry e[SNP_CERT_MAX_ENTRIES];
	uint8_t data[SNP_CERT_MAX_BYTES];
};

/* Parses the table at the start of buf[0..len); fills out[0..*count) on SNP_CERTS_OK. */
enum snp_cert_status snp_certs_parse(const uint8_t *buf, uint32_t len, struct snp_cert_entry *out,
				     uint32_t max, uint32_t *count);

const char *snp_cert_status_name(enum snp_cert_status s);

#endif
