/* SNP guest requests (SNP Firmware ABI, "Guest messages"; GHCB NAE 0x8000_0011): messages to the PSP
 * through the host, AES-256-GCM under a VMPCK from the secrets page.
 *
 * Sequence numbers: request = last + 1, response = last + 2, so each number (the GCM IV) is used once
 * per key. A request the host reports BUSY is re-sent byte for byte (same number, same ciphertext);
 * any other host failure retires the key, because the PSP may or may not have consumed the number and
 * a new message under it would reuse an IV. A response that fails any check (header, type, size,
 * VMPCK id, sequence number, GCM tag) — e.g. a replay or a tampered message — wipes the key and
 * terminates the guest: the channel to the PSP is under attack.
 */
#ifndef MANTLE_TEE_SNP_SNP_GREQ_H
#define MANTLE_TEE_SNP_SNP_GREQ_H

#include <stdbool.h>
#include <stdint.h>

#include "core/crypto/crypto.h"
#include "tee/snp/snp_abi.h"
#include "tee/snp/snp_certs.h"
#include "tee/snp/snp_ghcb.h"

enum snp_greq_status {
	SNP_GREQ_OK = 0,
	SNP_GREQ_DISABLED,      /* the key was retired after an earlier failure */
	SNP_GREQ_HOST_FAILED,   /* the host refused or failed the request: key retired */
	SNP_GREQ_FW_ERROR,      /* the PSP answered with a nonzero status in the payload */
	SNP_GREQ_BAD_ANSWER,    /* authenticated answer that does not match the request */
	SNP_GREQ_BAD_ARGS,
};

/* Retries of a BUSY request before the key is retired. */
#define SNP_GREQ_BUSY_RETRIES 16u

struct snp_greq {
	struct snp_ghcb_state *ghcb;
	uint64_t req_gpa, rsp_gpa;  /* two shared pages (Mantle's, converted with PSC) */
	struct crypto_aes_key key;  /* VMPCKn schedule; wiped on failure */
	uint8_t vmpck_id;
	bool disabled;
	uint64_t seqno;             /* sequence number of the last response */
	uint64_t cert_gpa;          /* shared certificate buffer (extended requests), 0 = none */
	uint32_t cert_pages_max;    /* its size in pages (<= SNP_CERT_MAX_PAGES) */
	uint32_t cert_pages;        /* pages offered next: grows to what the host asked for */
	uint8_t buf[SNP_PAGE_SIZE]; /* private message buffer */
};

/* Takes VMPCK `vmpck_id` from Mantle's (private) secrets page; `req_gpa`/`rsp_gpa` are shared pages. */
SNP_MUST_CHECK enum snp_greq_status snp_greq_init(struct snp_greq *g, struct snp_ghcb_state *ghcb,
						  const struct snp_secrets *secrets, uint8_t vmpck_id,
						  uint64_t req_gpa, uint64_t rsp_gpa);

/* Gives the channel a certificate buffer for extended requests: `pages` (1..SNP_CERT_MAX_PAGES)
 * contiguous shared pages at `gpa`. */
SNP_MUST_CHECK enum snp_greq_status snp_greq_set_cert_buffer(struct snp_greq *g, uint64_t gpa,
							     uint32_t pages);

/* One request/response exchange of the given types and exact payload sizes. */
SNP_MUST_CHECK enum snp_greq_status snp_greq_send(struct snp_greq *g, uint8_t type, const void *req,
						  uint16_t req_len, uint8_t rsp_type, void *rsp,
						  uint16_t rsp_len);

/* MSG_REPORT_REQ: an attestation report for `vmpl` carrying `report_data`. */
SNP_MUST_CHECK enum snp_greq_status snp_attest(struct snp_greq *g, const uint8_t report_data[64],
					       uint32_t vmpl, struct snp_report *out);

/* MSG_REPORT_REQ as an extended guest request (NAE 0x8000_0012): the report plus the host's
 * certificate table, copied once into certs->data and checked (certs->status). The buffer offered
 * starts at the size the host last asked for; a "too small" answer (RBX = pages needed) is retried
 * with the same message — the PSP has not seen it — and a larger buffer, up to
 * SNP_CERT_MAX_PAGES. Beyond that, or when the host asks for no more than it was offered, the same
 * message goes out as a plain guest request (its sequence number is used exactly once) and the report
 * comes without certificates (SNP_CERTS_TOO_LARGE / SNP_GREQ_HOST_FAILED). A malformed table only
 * costs the certificates: the report, authenticated by the PSP, is returned with certs->status
 * saying why there are none. */
SNP_MUST_CHECK enum snp_greq_status snp_attest_ext(struct snp_greq *g, const uint8_t report_data[64],
						   uint32_t vmpl, struct snp_report *out,
						   struct snp_certs *certs);

/* MSG_KEY_REQ: a key derived by the PSP (e.g. to seal vTPM state). */
SNP_MUST_CHECK enum snp_greq_status snp_derive_key(struct snp_greq *g, const struct snp_key_req *req,
						   uint8_t key[32]);

#endif
