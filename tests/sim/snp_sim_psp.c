/* The simulated PSP: SNP_GUEST_REQUEST messages (SNP Firmware ABI, "Guest messages") decrypted and
 * answered with OpenSSL, independently of Mantle's BearSSL-based code: AES-256-GCM under VMPCKn,
 * IV = sequence number, AAD = header bytes 0x30..0x5F; attestation reports signed with a test VCEK
 * (ECDSA P-384 over SHA-384 of bytes 0x000..0x29F, R and S little-endian in 72-byte fields). */
#include "tests/sim/snp_sim.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

static EVP_PKEY *vcek;
static const uint8_t chip_secret[32] = "mantle-sim-chip-secret-for-keys";

void snp_sim_psp_init(void)
{
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 32; j++)
			snp_sim.vmpck[i][j] = (uint8_t)(0x40 * i + j * 7 + 1);
	for (int i = 0; i < 48; i++)
		snp_sim.measurement[i] = (uint8_t)(0xa0 + i);
	if (!vcek)
		vcek = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	if (!vcek)
		abort();
}

void snp_sim_psp_fini(void)
{
}

void snp_sim_vcek_public(uint8_t out[97])
{
	size_t len = 0;

	if (!EVP_PKEY_get_octet_string_param(vcek, OSSL_PKEY_PARAM_PUB_KEY, out, 97, &len) || len != 97)
		abort();
}

static bool gcm(bool enc, const uint8_t key[32], uint64_t seqno, const uint8_t *aad, uint8_t *data,
		int len, uint8_t tag[16])
{
	uint8_t iv[12] = { 0 };
	int outl = 0;
	bool ok;

	memcpy(iv, &seqno, 8);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	ok = EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, key, iv, enc) &&
	     EVP_CipherUpdate(c, NULL, &outl, aad, SNP_MSG_AAD_LEN) &&
	     (len == 0 || EVP_CipherUpdate(c, data, &outl, data, len));
	if (ok && !enc)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag);
	ok = ok && EVP_CipherFinal_ex(c, data + len, &outl);
	if (ok && enc)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag);
	EVP_CIPHER_CTX_free(c);
	return ok;
}

static void sign_report(struct snp_report *r)
{
	uint8_t der[160];
	size_t der_len = sizeof(der);
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	if (!EVP_DigestSignInit(md, NULL, EVP_sha384(), NULL, vcek) ||
	    !EVP_DigestSign(md, der, &der_len, (const uint8_t *)r, SNP_REPORT_SIGNED_LEN))
		abort();
	EVP_MD_CTX_free(md);
	const uint8_t *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	if (!sig)
		abort();
	memset(r->sig_r, 0, sizeof(r->sig_r));
	memset(r->sig_s, 0, sizeof(r->sig_s));
	BN_bn2lebinpad(ECDSA_SIG_get0_r(sig), r->sig_r, 48);
	BN_bn2lebinpad(ECDSA_SIG_get0_s(sig), r->sig_s, 48);
	ECDSA_SIG_free(sig);
}

void snp_sim_psp_derive(const struct snp_key_req *req, uint32_t vmpl, uint8_t out[32])
{
	uint8_t buf[sizeof(*req) + 4 + 48];
	uint8_t md[64];
	unsigned int md_len = 0;
	size_t off = 0;

	memcpy(buf + off, req, sizeof(*req));
	off += sizeof(*req);
	memcpy(buf + off, &vmpl, 4);
	off += 4;
	memcpy(buf + off, snp_sim.measurement, 48);
	off += 48;
	if (!HMAC(EVP_sha384(), chip_secret, sizeof(chip_secret), buf, off, md, &md_len))
		abort();
	memcpy(out, md, 32);
}

/* Builds the plaintext answer for a decrypted request; returns its size, 0 for an unknown type. */
static uint32_t answer(uint8_t type, uint32_t vmpck, const uint8_t *pt, uint32_t len, uint8_t *out,
		       uint8_t *rsp_type)
{
	if (type == SNP_MSG_REPORT_REQ && len == sizeof(struct snp_report_req)) {
		const struct snp_report_req *q = (const void *)pt;
		struct snp_report_rsp *r = (void *)out;
		memset(r, 0, sizeof(*r));
		*rsp_type = SNP_MSG_REPORT_RSP;
		if (q->vmpl < vmpck || q->vmpl > 3) {
			r->status = 0x16;
			return sizeof(*r);
		}
		r->report_size = sizeof(r->report);
		r->report.version = 2;
		r->report.vmpl = q->vmpl;
		r->report.signature_algo = SNP_REPORT_SIG_ECDSA_P384_SHA384;
		memcpy(r->report.report_data, q->report_data, 64);
		memcpy(r->report.measurement, snp_sim.measurement, 48);
		memset(r->report.chip_id, 0xc1, sizeof(r->report.chip_id));
		sign_report(&r->report);
		snp_sim.reports++;
		return sizeof(*r);
	}
	if (type == SNP_MSG_KEY_REQ && len == sizeof(struct snp_key_req)) {
		const struct snp_key_req *q = (const void *)pt;
		struct snp_key_rsp *r = (void *)out;
		memset(r, 0, sizeof(*r));
		*rsp_type = SNP_MSG_KEY_RSP;
		if (q->vmpl < vmpck || q->vmpl > 3) {
			r->status = 0x16;
			return sizeof(*r);
		}
		snp_sim_psp_derive(q, q->vmpl, r->derived_key);
		snp_sim.keys++;
		return sizeof(*r);
	}
	return 0;
}

/* Firmware status codes (SNP ABI "Status codes"). */
#define FW_SUCCESS 0u
#define FW_INVALID_PARAM 0x16u
#define FW_AUTH_FAILURE 0x1bu

uint64_t snp_sim_psp_request(uint64_t req_gpa, uint64_t rsp_gpa)
{
	snp_sim.greq_calls++;
	if ((snp_sim.mode & SNP_SIM_HOST_GREQ_BUSY_ONCE) && !snp_sim.busy_sent) {
		snp_sim.busy_sent = true;
		return (uint64_t)SNP_GUEST_REQ_HV_BUSY << 32;
	}
	if (req_gpa >= SNP_SIM_MEM_SIZE || rsp_gpa >= SNP_SIM_MEM_SIZE || (req_gpa | rsp_gpa) & 0xfff ||
	    snp_sim.rmp[req_gpa >> 12].assigned || snp_sim.rmp[rsp_gpa >> 12].assigned)
		return FW_INVALID_PARAM;
	uint8_t *rsp_page = snp_sim_shared_ptr(rsp_gpa);
	if ((snp_sim.mode & SNP_SIM_HOST_GREQ_REPLAY) && snp_sim.have_last_rsp) {
		memcpy(rsp_page, snp_sim.last_rsp, 4096);
		return FW_SUCCESS;
	}
	struct snp_msg_hdr h;
	uint8_t pt[4096], out[4096];
	memcpy(&h, snp_sim_shared_ptr(req_gpa), sizeof(h));
	uint32_t v = h.msg_vmpck;
	if (v > 3 || h.algo != SNP_AEAD_AES_256_GCM || h.hdr_size != sizeof(h) ||
	    h.msg_size > SNP_MSG_PAYLOAD_MAX || h.msg_seqno != snp_sim.psp_seqno[v] + 1)
		return FW_INVALID_PARAM;
	memcpy(pt, (uint8_t *)snp_sim_shared_ptr(req_gpa) + sizeof(h), h.msg_size);
	if (!gcm(false, snp_sim.vmpck[v], h.msg_seqno, (uint8_t *)&h + SNP_MSG_AAD_OFFSET, pt,
		 h.msg_size, h.authtag))
		return FW_AUTH_FAILURE;
	uint8_t rsp_type = 0;
	uint32_t n = answer(h.msg_type, v, pt, h.msg_size, out, &rsp_type);
	if (n == 0)
		return FW_INVALID_PARAM;
	struct snp_msg_hdr rh = { .msg_seqno = h.msg_seqno + 1, .algo = SNP_AEAD_AES_256_GCM,
				  .hdr_version = SNP_MSG_HDR_VERSION, .hdr_size = sizeof(rh),
				  .msg_type = rsp_type, .msg_version = SNP_MSG_VERSION,
				  .msg_size = (uint16_t)n, .msg_vmpck = (uint8_t)v };
	if (!gcm(true, snp_sim.vmpck[v], rh.msg_seqno, (uint8_t *)&rh + SNP_MSG_AAD_OFFSET, out, (int)n,
		 rh.authtag))
		abort();
	snp_sim.psp_seqno[v] = rh.msg_seqno;
	memset(rsp_page, 0, 4096);
	memcpy(rsp_page, &rh, sizeof(rh));
	memcpy(rsp_page + sizeof(rh), out, n);
	if (snp_sim.mode & SNP_SIM_HOST_GREQ_TAMPER)
		rsp_page[sizeof(rh) + 5] ^= 0x10;
	memcpy(snp_sim.last_rsp, rsp_page, 4096);
	snp_sim.have_last_rsp = true;
	if (snp_sim.tamper_greq)
		snp_sim.tamper_greq(rsp_page);
	return FW_SUCCESS;
}
