/* Page State Change (GHCB specification v2, 4.1.6) and the conversions built on it. */
#include "tee/snp/snp_psc.h"

#include "core/str.h"

/* Entry fields the host must leave alone (it may only advance cur_page). */
#define PSC_ENTRY_FIXED (~SNP_PSC_CUR_PAGE_MASK)
/* GHCB calls allowed without progress before the host is declared broken. */
#define PSC_MAX_STALLS 4

static uint32_t fill_entries(struct snp_psc_desc *d, uint64_t gpa, uint64_t end, uint32_t op,
			     uint64_t *next)
{
	uint32_t n = 0;

	while (gpa < end && n < SNP_PSC_MAX_ENTRIES) {
		bool big = (gpa & (SNP_2M_SIZE - 1)) == 0 && end - gpa >= SNP_2M_SIZE;
		d->entries[n++] = SNP_PSC_ENTRY(gpa >> SNP_PAGE_SHIFT, op, big);
		gpa += big ? SNP_2M_SIZE : SNP_PAGE_SIZE;
	}
	*next = gpa;
	return n;
}

/* One batch (<= 253 entries) until the host has processed it all. */
static enum snp_psc_status psc_batch(struct snp_ghcb_state *g, const struct snp_psc_desc *req,
				     uint32_t n)
{
	struct snp_psc_desc rsp;
	uint16_t cur = 0;
	uint32_t stalls = 0;

	while (cur < n) {
		struct snp_psc_desc *shared = (struct snp_psc_desc *)g->page->shared_buffer;
		shared->hdr = (struct snp_psc_hdr){ .cur_entry = cur, .end_entry = (uint16_t)(n - 1) };
		memcpy(shared->entries, req->entries, n * sizeof(uint64_t));
		struct snp_ghcb_call c = { .exit_code = SVM_VMGEXIT_PSC, .use_scratch = true,
					   .scratch = snp_ghcb_scratch_gpa(g) };
		enum snp_ghcb_status s = snp_ghcb_call(g, &c);
		if (s == SNP_GHCB_HV_ERROR)
			return SNP_PSC_HV_ERROR;
		if (s != SNP_GHCB_OK)
			return SNP_PSC_BAD_RESPONSE;
		if (c.info2 != 0)
			return SNP_PSC_HV_ERROR;
		/* Copied once from Mantle's private copy of the page (snp_ghcb_call took it). */
		memcpy(&rsp, g->copy.shared_buffer, sizeof(rsp.hdr) + n * sizeof(uint64_t));
		if (rsp.hdr.end_entry != n - 1 || rsp.hdr.cur_entry > n || rsp.hdr.cur_entry < cur)
			return SNP_PSC_BAD_RESPONSE;
		for (uint32_t i = 0; i < n; i++)
			if ((rsp.entries[i] & PSC_ENTRY_FIXED) != (req->entries[i] & PSC_ENTRY_FIXED))
				return SNP_PSC_BAD_RESPONSE;
		if (rsp.hdr.cur_entry == cur && ++stalls > PSC_MAX_STALLS)
			return SNP_PSC_BAD_RESPONSE;
		cur = rsp.hdr.cur_entry;
	}
	return SNP_PSC_OK;
}

enum snp_psc_status snp_psc(struct snp_ghcb_state *g, uint64_t gpa, uint64_t pages, uint32_t op)
{
	struct snp_psc_desc req;

	if (!g->page || (gpa & (SNP_PAGE_SIZE - 1)) || pages == 0 ||
	    (op != GHCB_PSC_OP_PRIVATE && op != GHCB_PSC_OP_SHARED && op != GHCB_PSC_OP_PSMASH))
		return SNP_PSC_RANGE;
	/* PSMASH names whole 2 MiB entries only. */
	if (op == GHCB_PSC_OP_PSMASH && ((gpa & (SNP_2M_SIZE - 1)) || pages % SNP_PAGES_PER_2M))
		return SNP_PSC_RANGE;
	uint64_t end = gpa + pages * SNP_PAGE_SIZE;
	while (gpa < end) {
		uint64_t next;
		uint32_t n = fill_entries(&req, gpa, end, op, &next);
		enum snp_psc_status s = psc_batch(g, &req, n);
		if (s != SNP_PSC_OK)
			return s;
		gpa = next;
	}
	return SNP_PSC_OK;
}

/* Rescinds [gpa, gpa + pages * 4 KiB). A 4 KiB page inside a block the RMP holds as one 2 MiB entry
 * (FAIL_SIZEMISMATCH, nothing changed) is split first: the host PSMASHes the block, which keeps each
 * 4 KiB entry's Validated bit and permissions [M: APM3 PSMASH], so the other 511 pages stay validated
 * throughout and no page is ever re-validated (re-validating would accept whatever the host put there
 * meanwhile). One PSMASH per block: a second size mismatch means the host did not split it. */
static enum snp_psc_status rescind(struct snp_mem *m, struct snp_ghcb_state *g, uint64_t gpa,
				   uint64_t pages)
{
	uint64_t a = gpa, end = gpa + pages * SNP_PAGE_SIZE, smashed = ~0ull;

	for (;;) {
		enum snp_mem_status s = snp_mem_invalidate(m, a, (end - a) >> SNP_PAGE_SHIFT);
		if (s == SNP_MEM_OK)
			return SNP_PSC_OK;
		/* Pages before the one that failed were rescinded; a size mismatch leaves it validated. */
		while (a < end && !snp_mem_is_validated(m, a))
			a += SNP_PAGE_SIZE;
		if (s != SNP_MEM_HW_SIZE || a >= end)
			return SNP_PSC_VALIDATE;
		uint64_t block = a & ~((uint64_t)SNP_2M_SIZE - 1);
		if (block == smashed)
			return SNP_PSC_BAD_RESPONSE;
		enum snp_psc_status ps = snp_psc(g, block, SNP_PAGES_PER_2M, GHCB_PSC_OP_PSMASH);
		if (ps != SNP_PSC_OK)
			return ps;
		m->psmash++;
		smashed = block;
	}
}

enum snp_psc_status snp_mem_make_shared(struct snp_mem *m, struct snp_ghcb_state *g, uint64_t gpa,
					uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++)
		if (!snp_mem_is_validated(m, gpa + i * SNP_PAGE_SIZE))
			return SNP_PSC_RANGE;
	memset(snp_va(gpa), 0, pages * SNP_PAGE_SIZE);
	enum snp_psc_status s = rescind(m, g, gpa, pages);
	if (s != SNP_PSC_OK)
		return s;
	return snp_psc(g, gpa, pages, GHCB_PSC_OP_SHARED);
}

enum snp_psc_status snp_mem_make_private(struct snp_mem *m, struct snp_ghcb_state *g, uint64_t gpa,
					 uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++)
		if (snp_mem_is_validated(m, gpa + i * SNP_PAGE_SIZE))
			return SNP_PSC_RANGE;
	enum snp_psc_status s = snp_psc(g, gpa, pages, GHCB_PSC_OP_PRIVATE);
	if (s != SNP_PSC_OK)
		return s;
	if (snp_mem_validate(m, gpa, pages) != SNP_MEM_OK)
		return SNP_PSC_VALIDATE;
	/* Whatever the host left in the page is not Mantle's data. */
	memset(snp_va(gpa), 0, pages * SNP_PAGE_SIZE);
	return SNP_PSC_OK;
}
