/* SNP guest requests: message build, AES-256-GCM, sequence numbers, response checks. */
#include "tee/snp/snp_greq.h"

#include "core/str.h"

enum snp_greq_status snp_greq_init(struct snp_greq *g, struct snp_ghcb_state *ghcb,
				   const struct snp_secrets *secrets, uint8_t vmpck_id, uint64_t req_gpa,
				   uint64_t rsp_gpa)
{
	memset(g, 0, sizeof(*g));
	if (vmpck_id > 3 || (req_gpa | rsp_gpa) & (SNP_PAGE_SIZE - 1) || req_gpa == rsp_gpa)
		return SNP_GREQ_BAD_ARGS;
	g->ghcb = ghcb;
	g->req_gpa = req_gpa;
	g->rsp_gpa = rsp_gpa;
	g->vmpck_id = vmpck_id;
	if (!crypto_aes_init_enc(&g->key, secrets->vmpck[vmpck_id], 32))
		return SNP_GREQ_BAD_ARGS;
	return SNP_GREQ_OK;
}

static void retire_key(struct snp_greq *g)
{
	crypto_wipe(&g->key, sizeof(g->key));
	g->disabled = true;
}

/* The GCM IV: the sequence number, little-endian, in a 12-byte block. */
static void make_iv(uint8_t iv[12], uint64_t seqno)
{
	memset(iv, 0, 12);
	for (int i = 0; i < 8; i++)
		iv[i] = (uint8_t)(seqno >> (8 * i));
}

/* Builds and encrypts the request in g->buf. */
static void build_request(struct snp_greq *g, uint64_t seqno, uint8_t type, const void *req,
			  uint16_t len)
{
	struct snp_msg_hdr *h = (struct snp_msg_hdr *)g->buf;
	uint8_t *payload = g->buf + sizeof(*h);
	uint8_t iv[12];

	memset(g->buf, 0, sizeof(g->buf));
	h->msg_seqno = seqno;
	h->algo = SNP_AEAD_AES_256_GCM;
	h->hdr_version = SNP_MSG_HDR_VERSION;
	h->hdr_size = sizeof(*h);
	h->msg_type = type;
	h->msg_version = SNP_MSG_VERSION;
	h->msg_size = len;
	h->msg_vmpck = g->vmpck_id;
	memcpy(payload, req, len);
	make_iv(iv, seqno);
	crypto_aes_gcm_encrypt(&g->key, iv, sizeof(iv), g->buf + SNP_MSG_AAD_OFFSET, SNP_MSG_AAD_LEN,
			       payload, len, h->authtag);
}

/* What an extended exchange offered and learned (NULL for a plain guest request). */
struct ext_req {
	uint32_t offered;       /* pages of the certificate buffer offered (0: send as a plain request) */
	uint32_t needed;        /* set when the host answered "too small": the pages it asked for */
	enum snp_cert_status status; /* why the request went out plain after all */
};

/* Sends g->buf until the host stops answering BUSY. An extended request the host finds too small
 * ends with SNP_GREQ_HOST_FAILED and x->needed set: the PSP did not see the message. */
static enum snp_greq_status exchange(struct snp_greq *g, uint16_t len, struct ext_req *x)
{
	bool ext = x && x->offered;

	for (uint32_t tries = 0; tries <= SNP_GREQ_BUSY_RETRIES; tries++) {
		memcpy(snp_shared_va(g->req_gpa), g->buf, sizeof(struct snp_msg_hdr) + len);
		memset(snp_shared_va(g->rsp_gpa), 0, SNP_PAGE_SIZE);
		struct snp_ghcb_call c = { .exit_code = SVM_VMGEXIT_GUEST_REQUEST, .info1 = g->req_gpa,
					   .info2 = g->rsp_gpa };
		if (ext) {
			memset(snp_shared_va(g->cert_gpa), 0, (uint64_t)x->offered * SNP_PAGE_SIZE);
			c.exit_code = SVM_VMGEXIT_EXT_GUEST_REQUEST;
			c.rax = g->cert_gpa;
			c.rbx = x->offered;
			c.in = SNP_GHCB_R_RAX | SNP_GHCB_R_RBX;
		}
		if (snp_ghcb_call(g->ghcb, &c) != SNP_GHCB_OK)
			return SNP_GREQ_HOST_FAILED;
		if (c.info2 == 0)
			return SNP_GREQ_OK;
		if (ext && (c.info2 >> 32) == SNP_GUEST_REQ_HV_INVALID_LEN) {
			/* RBX from the private copy, and only if the host marked it valid. */
			x->needed = snp_ghcb_copy_valid(g->ghcb, GHCB_FIELD_BIT(rbx)) &&
					    c.rbx <= UINT32_MAX ? (uint32_t)c.rbx : UINT32_MAX;
			return SNP_GREQ_HOST_FAILED;
		}
		if ((c.info2 >> 32) != SNP_GUEST_REQ_HV_BUSY)
			return SNP_GREQ_HOST_FAILED;
	}
	return SNP_GREQ_HOST_FAILED;
}

/* Checks and decrypts the response (copied once from the shared page into g->buf). */
static bool open_response(struct snp_greq *g, uint64_t seqno, uint8_t type, uint16_t len)
{
	struct snp_msg_hdr *h = (struct snp_msg_hdr *)g->buf;
	uint8_t iv[12];

	memcpy(g->buf, snp_shared_va(g->rsp_gpa), sizeof(g->buf));
	if (h->algo != SNP_AEAD_AES_256_GCM || h->hdr_version != SNP_MSG_HDR_VERSION ||
	    h->hdr_size != sizeof(*h) || h->msg_type != type || h->msg_version != SNP_MSG_VERSION ||
	    h->msg_vmpck != g->vmpck_id || h->msg_size != len || h->msg_seqno != seqno)
		return false;
	make_iv(iv, seqno);
	return crypto_aes_gcm_decrypt(&g->key, iv, sizeof(iv), g->buf + SNP_MSG_AAD_OFFSET,
				      SNP_MSG_AAD_LEN, g->buf + sizeof(*h), len, h->authtag);
}

static enum snp_greq_status send(struct snp_greq *g, uint8_t type, const void *req, uint16_t req_len,
				 uint8_t rsp_type, void *rsp, uint16_t rsp_len, struct ext_req *x)
{
	if (g->disabled)
		return SNP_GREQ_DISABLED;
	if (req_len > SNP_MSG_PAYLOAD_MAX || rsp_len > SNP_MSG_PAYLOAD_MAX)
		return SNP_GREQ_BAD_ARGS;
	if (g->seqno >= UINT64_MAX - 2) {
		retire_key(g); /* numbers must never wrap */
		return SNP_GREQ_DISABLED;
	}
	uint64_t seq = g->seqno + 1;
	build_request(g, seq, type, req, req_len);
	enum snp_greq_status s = exchange(g, req_len, x);
	/* Too small a certificate buffer: the same bytes again with the buffer the host asked for, up to
	 * the limit; else as a plain request, so that the number is used once and only once. */
	while (s != SNP_GREQ_OK && x && x->needed) {
		bool grow = x->needed > x->offered && x->needed <= g->cert_pages_max;
		x->offered = grow ? x->needed : 0;
		if (grow)
			g->cert_pages = x->needed;
		else
			x->status = x->needed > g->cert_pages_max && x->needed != UINT32_MAX ? SNP_CERTS_TOO_LARGE
												 : SNP_CERTS_NONE;
		x->needed = 0;
		s = exchange(g, req_len, x);
	}
	if (s != SNP_GREQ_OK) {
		retire_key(g);
		return s;
	}
	if (!open_response(g, seq + 1, rsp_type, rsp_len)) {
		retire_key(g);
		crypto_wipe(g->buf, sizeof(g->buf));
		snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_GREQ_RESPONSE);
	}
	g->seqno = seq + 1;
	memcpy(rsp, g->buf + sizeof(struct snp_msg_hdr), rsp_len);
	crypto_wipe(g->buf, sizeof(g->buf));
	return SNP_GREQ_OK;
}

enum snp_greq_status snp_greq_send(struct snp_greq *g, uint8_t type, const void *req, uint16_t req_len,
				   uint8_t rsp_type, void *rsp, uint16_t rsp_len)
{
	return send(g, type, req, req_len, rsp_type, rsp, rsp_len, NULL);
}

enum snp_greq_status snp_greq_set_cert_buffer(struct snp_greq *g, uint64_t gpa, uint32_t pages)
{
	if (!gpa || (gpa & (SNP_PAGE_SIZE - 1)) || pages == 0 || pages > SNP_CERT_MAX_PAGES)
		return SNP_GREQ_BAD_ARGS;
	g->cert_gpa = gpa;
	g->cert_pages_max = pages;
	g->cert_pages = 1;
	return SNP_GREQ_OK;
}

static enum snp_greq_status attest(struct snp_greq *g, const uint8_t report_data[64], uint32_t vmpl,
				   struct snp_report *out, struct ext_req *x)
{
	struct snp_report_req req = { .vmpl = vmpl };
	static struct snp_report_rsp rsp; /* 1.2 KiB: kept off the stack */

	if (vmpl > 3)
		return SNP_GREQ_BAD_ARGS;
	memcpy(req.report_data, report_data, 64);
	enum snp_greq_status s = send(g, SNP_MSG_REPORT_REQ, &req, sizeof(req), SNP_MSG_REPORT_RSP, &rsp,
				      sizeof(rsp), x);
	if (s != SNP_GREQ_OK)
		return s;
	if (rsp.status != 0)
		return SNP_GREQ_FW_ERROR;
	if (rsp.report_size != sizeof(rsp.report) || rsp.report.vmpl != vmpl ||
	    memcmp(rsp.report.report_data, report_data, 64) != 0)
		return SNP_GREQ_BAD_ANSWER;
	memcpy(out, &rsp.report, sizeof(*out));
	return SNP_GREQ_OK;
}

enum snp_greq_status snp_attest(struct snp_greq *g, const uint8_t report_data[64], uint32_t vmpl,
				struct snp_report *out)
{
	return attest(g, report_data, vmpl, out, NULL);
}

enum snp_greq_status snp_attest_ext(struct snp_greq *g, const uint8_t report_data[64], uint32_t vmpl,
				    struct snp_report *out, struct snp_certs *certs)
{
	struct ext_req x = { .offered = g->cert_gpa ? g->cert_pages : 0, .status = SNP_CERTS_OK };

	certs->status = SNP_CERTS_NONE;
	certs->len = certs->count = 0;
	if (!g->cert_gpa)
		return attest(g, report_data, vmpl, out, NULL);
	enum snp_greq_status s = attest(g, report_data, vmpl, out, &x);
	if (s != SNP_GREQ_OK || !x.offered) {
		certs->status = x.offered ? SNP_CERTS_NONE : x.status;
		return s;
	}
	/* The one read of the shared certificate pages; everything below works on the copy. */
	certs->len = x.offered * SNP_PAGE_SIZE;
	memcpy(certs->data, snp_shared_va(g->cert_gpa), certs->len);
	certs->status = snp_certs_parse(certs->data, certs->len, certs->e, SNP_CERT_MAX_ENTRIES,
					&certs->count);
	if (certs->status != SNP_CERTS_OK)
		certs->count = 0;
	return SNP_GREQ_OK;
}

enum snp_greq_status snp_derive_key(struct snp_greq *g, const struct snp_key_req *req, uint8_t key[32])
{
	struct snp_key_rsp rsp;

	enum snp_greq_status s = snp_greq_send(g, SNP_MSG_KEY_REQ, req, sizeof(*req), SNP_MSG_KEY_RSP,
					       &rsp, sizeof(rsp));
	if (s != SNP_GREQ_OK)
		return s;
	if (rsp.status != 0) {
		crypto_wipe(&rsp, sizeof(rsp));
		return SNP_GREQ_FW_ERROR;
	}
	memcpy(key, rsp.derived_key, 32);
	crypto_wipe(&rsp, sizeof(rsp));
	return SNP_GREQ_OK;
}
