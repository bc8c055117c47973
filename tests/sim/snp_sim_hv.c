/* The simulated hypervisor: services VMGEXIT through the GHCB MSR protocol and the GHCB page (GHCB
 * specification v2), honestly or in the misbehaving modes of enum snp_sim_host_mode. */
#include "tests/sim/snp_sim.h"

#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/hw.h"

/* SW_EXITINFO1/2 of the request being serviced (the page fields become results). */
static uint64_t req_info1, req_info2;
static uint8_t req_valid[16];

static uint64_t cpuid_value(uint32_t leaf, uint32_t sub, int reg)
{
	/* A small, recognisable CPUID table: each register encodes leaf and register number. */
	(void)sub;
	if (leaf == 0)
		return reg == 0 ? 0x0d : reg == 1 ? 0x68747541 : reg == 2 ? 0x444d4163 : 0x69746e65;
	/* The leaves the snp probe reads: an honest host reports the CPU's SEV capabilities. */
	if (leaf == 0x80000000u && snp_sim.cpu_has_sev)
		return reg == 0 ? SNP_CPUID_SEV_LEAF : 0;
	if (leaf == SNP_CPUID_SEV_LEAF && snp_sim.cpu_has_sev)
		return reg == 0 ? SNP_CPUID_SEV_EAX_SEV | SNP_CPUID_SEV_EAX_SEV_ES | SNP_CPUID_SEV_EAX_SNP | 1u
			       : reg == 1 ? 51 : 0;
	return (uint64_t)(leaf * 16 + (uint32_t)reg) & 0xffffffffu;
}

static void terminate(uint64_t msr)
{
	snp_sim.terminated = true;
	snp_sim.term_set = (msr >> 12) & 0xf;
	snp_sim.term_code = (msr >> 16) & 0xff;
	if (snp_sim.term_jmp)
		longjmp(*snp_sim.term_jmp, 1);
	abort();
}

static void apply_psc(uint64_t gfn, uint32_t op, bool size_2m, bool lie)
{
	if (lie)
		return;
	bool big = size_2m && !(snp_sim.mode & SNP_SIM_HOST_4K_ONLY);
	uint64_t pages = size_2m ? SNP_PAGES_PER_2M : 1;
	if ((gfn + pages) > SNP_SIM_PAGES)
		return;
	snp_sim_host_assign(gfn << 12, pages, op == GHCB_PSC_OP_PRIVATE, big);
}

/* PSMASH (APM3): a 2 MiB RMP entry becomes 512 4 KiB entries with the same attributes, each keeping
 * its Validated bit and VMPL permissions [M]. Fails (host error) unless the block is one 2 MiB entry. */
static bool apply_psmash(uint64_t gfn)
{
	if (gfn % SNP_PAGES_PER_2M || gfn + SNP_PAGES_PER_2M > SNP_SIM_PAGES)
		return false;
	snp_sim.psmash_calls++;
	for (uint64_t i = 0; i < SNP_PAGES_PER_2M; i++)
		if (!snp_sim.rmp[gfn + i].size_2m || !snp_sim.rmp[gfn + i].assigned)
			return false;
	if (snp_sim.mode & SNP_SIM_HOST_PSMASH_LIE)
		return true;
	for (uint64_t i = 0; i < SNP_PAGES_PER_2M; i++) {
		struct snp_sim_rmp *e = &snp_sim.rmp[gfn + i];
		e->size_2m = false;
		if (snp_sim.mode & SNP_SIM_HOST_PSMASH_RESET)
			*e = (struct snp_sim_rmp){ .assigned = true, .backing = e->backing + SNP_SIM_PAGES };
	}
	return true;
}

static uint64_t msr_protocol(uint64_t msr)
{
	uint64_t code = msr & GHCB_MSR_INFO_MASK;

	switch (code) {
	case GHCB_MSR_SEV_INFO_REQ: {
		uint64_t max = (snp_sim.mode & SNP_SIM_HOST_OLD_PROTOCOL) ? 1 : 2;
		return GHCB_MSR_SEV_INFO_RESP | (max << 48) | (1ull << 32) | (51ull << 24);
	}
	case GHCB_MSR_CPUID_REQ: {
		uint32_t reg = (msr >> 30) & 3, leaf = (uint32_t)(msr >> 32);
		snp_sim.msr_cpuid_calls++;
		return GHCB_MSR_CPUID_RESP | ((uint64_t)reg << 30) | (cpuid_value(leaf, 0, (int)reg) << 32);
	}
	case GHCB_MSR_HV_FT_REQ:
		return GHCB_MSR_HV_FT_RESP | (snp_sim.hv_features << 12);
	case GHCB_MSR_REG_GPA_REQ: {
		uint64_t gfn = msr >> 12;
		if (snp_sim.mode & SNP_SIM_HOST_REG_WRONG_GFN)
			gfn += 1;
		snp_sim.ghcb_gfn = gfn;
		return GHCB_MSR_REG_GPA_RESP | (gfn << 12);
	}
	case GHCB_MSR_PSC_REQ: {
		uint64_t gfn = (msr & SNP_PSC_GFN_MASK) >> 12;
		uint32_t op = (msr >> SNP_PSC_OP_SHIFT) & 0xf;
		snp_sim.psc_calls++;
		if (op != GHCB_PSC_OP_PRIVATE && op != GHCB_PSC_OP_SHARED)
			return GHCB_MSR_PSC_RESP | (1ull << 32);
		apply_psc(gfn, op, false, false);
		return GHCB_MSR_PSC_RESP;
	}
	case GHCB_MSR_RUN_VMPL_REQ: {
		uint8_t vmpl = (uint8_t)(msr >> 32);
		snp_sim.runs++;
		if ((snp_sim.mode & SNP_SIM_HOST_RUN_FAIL) || vmpl == 0 || vmpl > 3)
			return GHCB_MSR_RUN_VMPL_RESP | (1ull << 32);
		if (!snp_sim_guest_run(vmpl))
			return GHCB_MSR_RUN_VMPL_RESP | (2ull << 32);
		return GHCB_MSR_RUN_VMPL_RESP;
	}
	case GHCB_MSR_TERM_REQ:
		terminate(msr);
		return 0;
	default:
		/* Unknown request: a real host would terminate the guest. */
		terminate(GHCB_MSR_TERM_REQ | (0xffull << 16));
		return 0;
	}
}

/* Whether the guest marked a field valid in the request being serviced. */
static bool valid(const struct snp_ghcb *p, size_t bit)
{
	(void)p;
	return (req_valid[bit / 8] >> (bit % 8)) & 1;
}

static void set_valid(struct snp_ghcb *p, size_t bit)
{
	if (!(snp_sim.mode & SNP_SIM_HOST_GHCB_BAD_VALID))
		p->valid_bitmap[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

static uint64_t ghcb_psc(struct snp_ghcb *p)
{
	uint64_t scratch = p->sw_scratch;
	uint64_t base = (snp_sim.ghcb_gfn << 12) + offsetof(struct snp_ghcb, shared_buffer);

	if (!valid(p, GHCB_FIELD_BIT(sw_scratch)) || scratch != base)
		return 1;
	struct snp_psc_desc *d = (struct snp_psc_desc *)p->shared_buffer;
	if (d->hdr.end_entry >= SNP_PSC_MAX_ENTRIES || d->hdr.cur_entry > d->hdr.end_entry)
		return 1;
	snp_sim.psc_calls++;
	for (uint32_t i = d->hdr.cur_entry; i <= d->hdr.end_entry; i++) {
		uint64_t e = d->entries[i];
		uint32_t op = (e >> SNP_PSC_OP_SHIFT) & 0xf;
		if (op == GHCB_PSC_OP_PSMASH) {
			if (!(e & SNP_PSC_SIZE_2M) || !apply_psmash((e & SNP_PSC_GFN_MASK) >> 12))
				return 1;
			continue;
		}
		if (op != GHCB_PSC_OP_PRIVATE && op != GHCB_PSC_OP_SHARED)
			return 1;
		apply_psc((e & SNP_PSC_GFN_MASK) >> 12, op, e & SNP_PSC_SIZE_2M,
			  snp_sim.mode & SNP_SIM_HOST_PSC_LIE);
	}
	d->hdr.cur_entry = (uint16_t)(d->hdr.end_entry + 1);
	if (snp_sim.mode & SNP_SIM_HOST_PSC_BAD_HDR)
		d->hdr.cur_entry = (uint16_t)(d->hdr.end_entry + 7);
	if (snp_sim.mode & SNP_SIM_HOST_PSC_EDIT)
		d->entries[0] += 1ull << 12;
	return 0;
}

static void ghcb_ioio(struct snp_ghcb *p)
{
	uint32_t port = (uint32_t)(req_info1 >> SVM_IOIO_PORT_SHIFT) & 0xffff;

	if (req_info1 & SVM_IOIO_IN) {
		p->rax = 0x5a5a5a5a;
		set_valid(p, GHCB_FIELD_BIT(rax));
		return;
	}
	if (snp_sim.io_out_count < 64)
		snp_sim.io_out_log[snp_sim.io_out_count++] = ((uint64_t)port << 32) | (uint32_t)p->rax;
}

/* AP Creation (GHCB 4.1.9): EXITINFO1 31:0 request with the VMPL in 19:16, 63:32 APIC ID; EXITINFO2
 * the VMSA's GPA; RAX its SEV_FEATURES. The hardware only runs a page the RMP marks as a VMSA, whose
 * VMPL field is the one requested. */
static void ghcb_ap_create(struct snp_ghcb *p)
{
	uint32_t req = (uint32_t)req_info1 & 0xffff, vmpl = ((uint32_t)req_info1 >> 16) & 0xf;
	uint32_t apic = (uint32_t)(req_info1 >> 32);
	uint64_t vmsa = req_info2;

	if (apic >= SNP_SIM_MAX_VMSAS || req > SNP_AP_DESTROY) {
		p->sw_exit_info1 = 1;
		return;
	}
	if (req == SNP_AP_DESTROY) {
		snp_sim.ap_destroys++;
		if (!(snp_sim.mode & SNP_SIM_HOST_AP_DESTROY_LIE)) {
			snp_sim.vmsa_gpa[apic] = 0;
			snp_sim.vmsa_runnable[apic] = false;
		}
		return;
	}
	if (!valid(p, GHCB_FIELD_BIT(rax)) || vmsa >= SNP_SIM_MEM_SIZE || (vmsa & 0xfff) ||
	    !snp_sim.rmp[vmsa >> 12].vmsa || ((struct snp_vmsa *)snp_sim_ptr(vmsa))->vmpl != vmpl) {
		p->sw_exit_info1 = 1;
		return;
	}
	snp_sim.ap_creates++;
	snp_sim.vmsa_gpa[apic] = vmsa;
	snp_sim.vmsa_features[apic] = p->rax;
	/* The boot vCPU's "create on INIT" VMSA runs once Mantle asks (its INIT is the launch). */
	snp_sim.vmsa_runnable[apic] = req == SNP_AP_CREATE || apic == 0;
}

/* The certificate buffer as the host writes it, honestly or per snp_sim.cert_lie. */
static void write_certs(uint8_t *buf, uint64_t len)
{
	struct snp_cert_table_entry e[SNP_SIM_CERT_COUNT];

	uint64_t n = snp_sim.certs_len < sizeof(snp_sim.certs) ? snp_sim.certs_len : sizeof(snp_sim.certs);

	memset(buf, 0, len);
	memcpy(buf, snp_sim.certs, n < len ? n : len);
	memcpy(e, buf, sizeof(e));
	switch (snp_sim.cert_lie) {
	case SNP_SIM_CERTS_OVERLAP:
		e[1].offset = e[0].offset + 10;
		break;
	case SNP_SIM_CERTS_PAST_END:
		e[2].length = (uint32_t)len;
		break;
	case SNP_SIM_CERTS_WRAP:
		e[2].offset = 0xfffffff0u;
		e[2].length = 0x20;
		break;
	case SNP_SIM_CERTS_IN_TABLE:
		e[0].offset = 8;
		break;
	case SNP_SIM_CERTS_NO_TERMINATOR:
		for (uint64_t at = 0; at + sizeof(e[0]) <= len; at += sizeof(e[0]))
			memcpy(buf + at, &e[at / sizeof(e[0]) % SNP_SIM_CERT_COUNT], sizeof(e[0]));
		return;
	default:
		return;
	}
	memcpy(buf, e, sizeof(e));
}

/* Extended guest request (GHCB 4.1.8): the certificates into RAX's buffer, then the guest request. */
static void ghcb_ext_guest_request(struct snp_ghcb *p)
{
	uint64_t gpa = p->rax, pages = p->rbx;
	uint64_t need = (snp_sim.certs_len + 4095) / 4096;

	snp_sim.ext_calls++;
	if (!valid(p, GHCB_FIELD_BIT(rax)) || !valid(p, GHCB_FIELD_BIT(rbx))) {
		p->sw_exit_info1 = 1;
		return;
	}
	uint32_t lie = snp_sim.cert_lie;
	if (pages < need || lie == SNP_SIM_CERTS_HUGE || lie == SNP_SIM_CERTS_SAME_RBX ||
	    lie == SNP_SIM_CERTS_NO_RBX) {
		p->sw_exit_info2 = (uint64_t)SNP_GUEST_REQ_HV_INVALID_LEN << 32;
		p->rbx = lie == SNP_SIM_CERTS_HUGE ? 1000 : lie == SNP_SIM_CERTS_SAME_RBX ? pages : need;
		if (lie != SNP_SIM_CERTS_NO_RBX)
			set_valid(p, GHCB_FIELD_BIT(rbx));
		return;
	}
	if ((gpa & 0xfff) || gpa >= SNP_SIM_MEM_SIZE || pages > (SNP_SIM_MEM_SIZE - gpa) / 4096) {
		p->sw_exit_info1 = 1;
		return;
	}
	for (uint64_t i = 0; i < pages; i++)
		if (snp_sim.rmp[(gpa >> 12) + i].assigned) { /* the host cannot write private pages */
			p->sw_exit_info1 = 1;
			return;
		}
	write_certs(snp_sim_shared_ptr(gpa), pages * 4096);
	p->sw_exit_info2 = snp_sim_psp_request(req_info1, req_info2);
}

static void ghcb_page(uint64_t gpa)
{
	if (gpa >> 12 != snp_sim.ghcb_gfn || snp_sim.rmp[gpa >> 12].assigned) {
		/* Not the registered GHCB, or a private page the host cannot read. */
		terminate(GHCB_MSR_TERM_REQ | (0xfeull << 16));
	}
	struct snp_ghcb *p = snp_sim_shared_ptr(gpa);
	memcpy(req_valid, p->valid_bitmap, sizeof(req_valid));
	if (p->protocol_version != 2 || p->ghcb_usage != 0 || !valid(p, GHCB_FIELD_BIT(sw_exit_code)))
		terminate(GHCB_MSR_TERM_REQ | (0xfdull << 16));
	uint64_t code = p->sw_exit_code;
	req_info1 = p->sw_exit_info1;
	req_info2 = p->sw_exit_info2;
	memset(p->valid_bitmap, 0, sizeof(p->valid_bitmap));
	p->sw_exit_info1 = 0;
	switch (code) {
	case SVM_EXIT_CPUID: {
		uint32_t leaf = (uint32_t)p->rax, sub = (uint32_t)p->rcx;
		p->rax = cpuid_value(leaf, sub, 0);
		p->rbx = cpuid_value(leaf, sub, 1);
		p->rcx = cpuid_value(leaf, sub, 2);
		p->rdx = cpuid_value(leaf, sub, 3);
		set_valid(p, GHCB_FIELD_BIT(rax));
		set_valid(p, GHCB_FIELD_BIT(rbx));
		set_valid(p, GHCB_FIELD_BIT(rcx));
		set_valid(p, GHCB_FIELD_BIT(rdx));
		break;
	}
	case SVM_EXIT_MSR:
		if ((req_info1 & 1) == 0) {
			p->rax = 0x11223344;
			p->rdx = 0x55667788;
			set_valid(p, GHCB_FIELD_BIT(rax));
			set_valid(p, GHCB_FIELD_BIT(rdx));
		}
		break;
	case SVM_EXIT_IOIO:
		ghcb_ioio(p);
		break;
	case SVM_EXIT_RDTSC:
	case SVM_EXIT_RDTSCP:
		p->rax = 0x89abcdef;
		p->rdx = 0x01234567;
		p->rcx = 3; /* TSC_AUX */
		set_valid(p, GHCB_FIELD_BIT(rax));
		set_valid(p, GHCB_FIELD_BIT(rdx));
		if (code == SVM_EXIT_RDTSCP)
			set_valid(p, GHCB_FIELD_BIT(rcx));
		break;
	case SVM_VMGEXIT_PSC:
		p->sw_exit_info2 = ghcb_psc(p);
		break;
	case SVM_VMGEXIT_GUEST_REQUEST:
		p->sw_exit_info2 = snp_sim_psp_request(req_info1, req_info2);
		break;
	case SVM_VMGEXIT_EXT_GUEST_REQUEST:
		ghcb_ext_guest_request(p);
		break;
	case SVM_VMGEXIT_AP_CREATION:
		ghcb_ap_create(p);
		break;
	case SVM_VMGEXIT_HV_DOORBELL:
		if (req_info1 == 1 && req_info2 < SNP_SIM_MEM_SIZE && !(req_info2 & 0xfff) &&
		    !snp_sim.rmp[req_info2 >> 12].assigned)
			snp_sim.doorbell_gpa = req_info2;
		else if (req_info1 == 2)
			p->sw_exit_info2 = snp_sim.doorbell_gpa;
		else
			p->sw_exit_info1 = 1;
		break;
	default:
		p->sw_exit_info1 = 1;
		p->sw_exit_info2 = 0;
		break;
	}
	if (snp_sim.mode & SNP_SIM_HOST_GHCB_BAD_RESULT)
		p->sw_exit_info1 = 7;
	if (snp_sim.tamper_ghcb)
		snp_sim.tamper_ghcb(p);
}

bool snp_sim_host_doorbell(uint8_t vector, uint8_t flags)
{
	if (!snp_sim.doorbell_gpa)
		return false;
	uint8_t *d = snp_sim_shared_ptr(snp_sim.doorbell_gpa);
	d[0] = vector;
	d[1] = flags;
	return true;
}

void hw_vmgexit(void)
{
	uint64_t msr = snp_sim.ghcb_msr;

	if (msr & GHCB_MSR_INFO_MASK) {
		snp_sim.ghcb_msr = msr_protocol(msr);
		if (snp_sim.tamper_msr)
			snp_sim.ghcb_msr = snp_sim.tamper_msr(snp_sim.ghcb_msr);
	}
	else {
		ghcb_page(msr);
	}
}
