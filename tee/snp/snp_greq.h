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
	uint8_t buf[SNP_PAGE_SIZE]; /* private message buffer */
};

/* Takes VMPCK `vmpck_id` from Mantle's (private) secrets page; `req_gpa`/`rsp_gpa` are shared pages. */
SNP_MUST_CHECK enum snp_greq_status snp_greq_init(struct snp_greq *g, struct snp_ghcb_state *ghcb,
						  const struct snp_secrets *secrets, uint8_t vmpck_id,
						  uint64_t req_gpa, uint64_t rsp_gpa);

/* One request/response exchange of the given types and exact payload sizes. */
SNP_MUST_CHECK enum snp_greq_status snp_greq_send(struct snp_greq *g, uint8_t type, const void *req,
						  uint16_t req_len, uint8_t rsp_type, void *rsp,
						  uint16_t rsp_len);

/* MSG_REPORT_REQ: an attestation report for `vmpl` carrying `report_data`. */
SNP_MUST_CHECK enum snp_greq_status snp_attest(struct snp_greq *g, const uint8_t report_data[64],
					       uint32_t vmpl, struct snp_report *out);

/* MSG_KEY_REQ: a key derived by the PSP (e.g. to seal vTPM state). */
SNP_MUST_CHECK enum snp_greq_status snp_derive_key(struct snp_greq *g, const struct snp_key_req *req,
						   uint8_t key[32]);

#endif
