/* GHCB MSR protocol and GHCB page calls (GHCB specification v2, sections 2.3 and 4). */
#include "tee/snp/snp_ghcb.h"

#include "arch/x86_64/hw.h"
#include "core/str.h"

uint64_t snp_msr_protocol(uint64_t req)
{
	hw_wrmsr(SNP_MSR_GHCB, req);
	hw_vmgexit();
	return hw_rdmsr(SNP_MSR_GHCB);
}

void snp_terminate(uint32_t set, uint32_t code)
{
	uint64_t req = GHCB_MSR_TERM_REQ | ((uint64_t)(set & 0xf) << 12) | ((uint64_t)(code & 0xff) << 16);

	/* The host must not resume a guest that asked to terminate; if it does, ask again. */
	for (;;) {
		hw_wrmsr(SNP_MSR_GHCB, req);
		hw_vmgexit();
	}
}

enum snp_ghcb_status snp_ghcb_negotiate(struct snp_ghcb_state *g)
{
	uint64_t r = snp_msr_protocol(GHCB_MSR_SEV_INFO_REQ);

	if ((r & GHCB_MSR_INFO_MASK) != GHCB_MSR_SEV_INFO_RESP)
		return SNP_GHCB_BAD_RESPONSE;
	uint16_t max = (uint16_t)(r >> 48), min = (uint16_t)(r >> 32);
	if (min > GHCB_PROTOCOL_VERSION || max < GHCB_PROTOCOL_VERSION)
		snp_terminate(GHCB_TERM_SET_GENERAL, GHCB_TERM_PROTOCOL_RANGE);

	r = snp_msr_protocol(GHCB_MSR_HV_FT_REQ);
	if ((r & GHCB_MSR_INFO_MASK) != GHCB_MSR_HV_FT_RESP)
		return SNP_GHCB_BAD_RESPONSE;
	g->hv_features = r >> 12;
	if ((g->hv_features & GHCB_HV_FT_REQUIRED) != GHCB_HV_FT_REQUIRED)
		snp_terminate(GHCB_TERM_SET_GENERAL, GHCB_TERM_SNP_UNSUPPORTED);
	return SNP_GHCB_OK;
}

enum snp_ghcb_status snp_msr_psc(uint64_t gpa, uint32_t op)
{
	uint64_t gfn = gpa >> SNP_PAGE_SHIFT;
	uint64_t r = snp_msr_protocol(GHCB_MSR_PSC_REQ | ((gfn << 12) & SNP_PSC_GFN_MASK) |
				      ((uint64_t)(op & 0xf) << SNP_PSC_OP_SHIFT));

	if ((r & GHCB_MSR_INFO_MASK) != GHCB_MSR_PSC_RESP)
		return SNP_GHCB_BAD_RESPONSE;
	return (r >> 32) == 0 ? SNP_GHCB_OK : SNP_GHCB_HV_ERROR;
}

enum snp_ghcb_status snp_ghcb_setup(struct snp_ghcb_state *g, struct snp_mem *m, uint64_t gpa)
{
	if (!snp_mem_is_owned(m, gpa))
		return SNP_GHCB_BAD_RESPONSE;
	/* The page's private contents are wiped before it leaves Mantle's control. */
	memset(snp_va(gpa), 0, SNP_PAGE_SIZE);
	if (snp_mem_invalidate(m, gpa, 1) != SNP_MEM_OK)
		return SNP_GHCB_BAD_RESPONSE;
	enum snp_ghcb_status s = snp_msr_psc(gpa, GHCB_PSC_OP_SHARED);
	if (s != SNP_GHCB_OK)
		return s;
	uint64_t gfn = gpa >> SNP_PAGE_SHIFT;
	uint64_t r = snp_msr_protocol(GHCB_MSR_REG_GPA_REQ | (gfn << 12));
	if ((r & GHCB_MSR_INFO_MASK) != GHCB_MSR_REG_GPA_RESP || (r >> 12) != gfn)
		return SNP_GHCB_BAD_RESPONSE;
	snp_map_shared_alias(gpa, 1);
	g->page = snp_shared_va(gpa);
	g->gpa = gpa;
	memset(g->page, 0, SNP_PAGE_SIZE);
	return SNP_GHCB_OK;
}

static void set_valid(struct snp_ghcb *p, size_t bit)
{
	p->valid_bitmap[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

static bool is_valid(const struct snp_ghcb *p, size_t bit)
{
	return (p->valid_bitmap[bit / 8] >> (bit % 8)) & 1;
}

/* Writes the request into the shared page (write-only: nothing is read back from it here). */
static void put_request(struct snp_ghcb *p, const struct snp_ghcb_call *c)
{
	memset(p->valid_bitmap, 0, sizeof(p->valid_bitmap));
	p->sw_exit_code = c->exit_code;
	p->sw_exit_info1 = c->info1;
	p->sw_exit_info2 = c->info2;
	set_valid(p, GHCB_FIELD_BIT(sw_exit_code));
	set_valid(p, GHCB_FIELD_BIT(sw_exit_info1));
	set_valid(p, GHCB_FIELD_BIT(sw_exit_info2));
	if (c->use_scratch) {
		p->sw_scratch = c->scratch;
		set_valid(p, GHCB_FIELD_BIT(sw_scratch));
	}
	if (c->in & SNP_GHCB_R_RAX) { p->rax = c->rax; set_valid(p, GHCB_FIELD_BIT(rax)); }
	if (c->in & SNP_GHCB_R_RBX) { p->rbx = c->rbx; set_valid(p, GHCB_FIELD_BIT(rbx)); }
	if (c->in & SNP_GHCB_R_RCX) { p->rcx = c->rcx; set_valid(p, GHCB_FIELD_BIT(rcx)); }
	if (c->in & SNP_GHCB_R_RDX) { p->rdx = c->rdx; set_valid(p, GHCB_FIELD_BIT(rdx)); }
	if (c->in & SNP_GHCB_R_XCR0) { p->xcr0 = c->xcr0; set_valid(p, GHCB_FIELD_BIT(xcr0)); }
	p->protocol_version = GHCB_PROTOCOL_VERSION;
	p->ghcb_usage = GHCB_USAGE_STANDARD;
}

bool snp_ghcb_copy_valid(const struct snp_ghcb_state *g, size_t bit)
{
	return bit < sizeof(g->copy.valid_bitmap) * 8 && is_valid(&g->copy, bit);
}

enum snp_ghcb_status snp_ghcb_call(struct snp_ghcb_state *g, struct snp_ghcb_call *c)
{
	if (!g->page)
		return SNP_GHCB_NOT_READY;
	put_request(g->page, c);
	hw_wrmsr(SNP_MSR_GHCB, g->gpa);
	hw_vmgexit();
	/* The one read of the shared page. */
	memcpy(&g->copy, g->page, sizeof(g->copy));
	const struct snp_ghcb *r = &g->copy;

	uint32_t result = (uint32_t)r->sw_exit_info1;
	c->info1 = r->sw_exit_info1;
	c->info2 = r->sw_exit_info2;
	if (result == GHCB_RESULT_ERROR)
		return SNP_GHCB_HV_ERROR;
	/* GHCB_RESULT_INJECT: Mantle runs with Restricted Injection; events come through #HV only. */
	if (result != GHCB_RESULT_OK)
		return SNP_GHCB_BAD_RESPONSE;
	if (((c->out & SNP_GHCB_R_RAX) && !is_valid(r, GHCB_FIELD_BIT(rax))) ||
	    ((c->out & SNP_GHCB_R_RBX) && !is_valid(r, GHCB_FIELD_BIT(rbx))) ||
	    ((c->out & SNP_GHCB_R_RCX) && !is_valid(r, GHCB_FIELD_BIT(rcx))) ||
	    ((c->out & SNP_GHCB_R_RDX) && !is_valid(r, GHCB_FIELD_BIT(rdx))))
		return SNP_GHCB_BAD_RESPONSE;
	c->rax = r->rax;
	c->rbx = r->rbx;
	c->rcx = r->rcx;
	c->rdx = r->rdx;
	return SNP_GHCB_OK;
}

enum snp_ghcb_status snp_run_vmpl(uint8_t vmpl)
{
	uint64_t r = snp_msr_protocol(GHCB_MSR_RUN_VMPL_REQ | ((uint64_t)vmpl << 32));

	if ((r & GHCB_MSR_INFO_MASK) != GHCB_MSR_RUN_VMPL_RESP)
		return SNP_GHCB_BAD_RESPONSE;
	return (r >> 32) == 0 ? SNP_GHCB_OK : SNP_GHCB_HV_ERROR;
}
