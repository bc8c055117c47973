/* libFuzzer target for everything tee/snp takes from the host: the input chooses a host answer to
 * forge (GHCB page fields, MSR-protocol values, PSC buffers, guest-request responses, doorbell bytes)
 * and the bytes that replace the honest answer. The backend must never crash, and must keep its
 * invariants: nothing validated in the bitmap that the RMP does not have validated, no guest-request
 * response accepted unless it is the PSP's own, no exit kind out of range. Not part of unit tests
 * (tee/snp/module.mk filters this file out). */
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tee/snp/snp_certs.h"
#include "tee/snp/snp_ghcb.h"
#include "tee/snp/snp_greq.h"
#include "tee/snp/snp_hv.h"
#include "tee/snp/snp_mem.h"
#include "tee/snp/snp_psc.h"
#include "tee/snp/snp_vcpu.h"
#include "tests/sim/snp_sim.h"

#define GHCB_GPA 0x10000ull
#define REQ_GPA 0x11000ull
#define RSP_GPA 0x12000ull
#define DB_GPA 0x13000ull
#define CERT_GPA 0x20000ull

static uint64_t valid_bits[SNP_SIM_PAGES / 64], owned_bits[SNP_SIM_PAGES / 64];
static struct snp_mem mem;
static struct snp_ghcb_state ghcb;
static struct snp_greq greq;
static struct snp_secrets secrets;
static jmp_buf term;
static const uint8_t *fz;
static size_t fz_len, fz_off;

static uint64_t take64(void)
{
	uint64_t v = 0;

	for (int i = 0; i < 8 && fz_off < fz_len; i++)
		v |= (uint64_t)fz[fz_off++] << (8 * i);
	return v;
}

static void take(void *dst, size_t n)
{
	size_t k = fz_len - fz_off < n ? fz_len - fz_off : n;

	memcpy(dst, fz + fz_off, k);
	fz_off += k;
}

static void forge_ghcb(struct snp_ghcb *p)
{
	p->sw_exit_info1 = take64() & 3;
	p->sw_exit_info2 = take64();
	take(p->valid_bitmap, sizeof(p->valid_bitmap));
	take(p->shared_buffer, 64);
}

static uint64_t forge_msr(uint64_t honest)
{
	return fz_off < fz_len && (fz[fz_off++] & 1) ? take64() : honest;
}

static bool greq_forged;

static void forge_greq(uint8_t *rsp)
{
	uint8_t before[0xa0];

	memcpy(before, rsp, sizeof(before));
	take(rsp, sizeof(before));
	greq_forged = memcmp(before, rsp, sizeof(before)) != 0;
}

static void boot(void)
{
	snp_sim_init(SNP_SIM_HONEST);
	snp_sim.term_jmp = &term;
	memset(&ghcb, 0, sizeof(ghcb));
	snp_mem_setup(&mem, valid_bits, owned_bits, SNP_SIM_PAGES);
	snp_sim_launch_validate(0, 256);
	if (snp_mem_mark_launch_validated(&mem, 0, 256) || snp_mem_own(&mem, 0, 256) ||
	    snp_ghcb_negotiate(&ghcb) || snp_ghcb_setup(&ghcb, &mem, GHCB_GPA) ||
	    snp_mem_make_shared(&mem, &ghcb, REQ_GPA, 2))
		abort();
	memcpy(secrets.vmpck, snp_sim.vmpck, sizeof(secrets.vmpck));
	if (snp_greq_init(&greq, &ghcb, &secrets, 0, REQ_GPA, RSP_GPA) ||
	    snp_mem_make_shared(&mem, &ghcb, CERT_GPA, SNP_CERT_MAX_PAGES) ||
	    snp_greq_set_cert_buffer(&greq, CERT_GPA, SNP_CERT_MAX_PAGES))
		abort();
}

/* What snp_certs_parse accepted is inside the buffer, after the table, and disjoint. */
static void check_certs(const struct snp_cert_entry *e, uint32_t n, uint32_t len)
{
	for (uint32_t i = 0; i < n; i++) {
		uint64_t lo = e[i].offset, hi = lo + e[i].length;
		if (e[i].length == 0 || hi > len || lo < (uint64_t)(n + 1) * 24)
			abort();
		for (uint32_t j = 0; j < i; j++)
			if (lo < (uint64_t)e[j].offset + e[j].length && e[j].offset < hi)
				abort();
	}
}

/* The bitmap never claims a page the RMP does not have validated. */
static void check_bitmap(void)
{
	for (uint64_t p = 256; p < SNP_SIM_PAGES; p++)
		if (snp_mem_is_validated(&mem, p << 12) && !snp_sim.rmp[p].validated)
			abort();
}

static void fuzz_one(uint8_t which)
{
	switch (which % 10) {
	case 0: { /* PSC answers */
		snp_sim.tamper_ghcb = forge_ghcb;
		uint64_t pages = 1 + (take64() % 700);
		(void)snp_mem_make_private(&mem, &ghcb, 0x200000, pages);
		check_bitmap();
		break;
	}
	case 1: { /* MSR-protocol answers during negotiation and PSC */
		struct snp_ghcb_state g = { 0 };
		snp_sim.tamper_msr = forge_msr;
		(void)snp_ghcb_negotiate(&g);
		(void)snp_msr_psc(0x300000, GHCB_PSC_OP_PRIVATE);
		(void)snp_ghcb_setup(&g, &mem, 0x14000);
		(void)snp_run_vmpl(2);
		break;
	}
	case 2: { /* guest-request responses */
		uint8_t data[64] = { 9 };
		static struct snp_report r;
		snp_sim.tamper_greq = forge_greq;
		greq_forged = false;
		if (snp_attest(&greq, data, 0, &r) == SNP_GREQ_OK && greq_forged)
			abort(); /* a forged response was accepted */
		break;
	}
	case 3: { /* GHCB answers to CPUID/MSR/IO calls */
		snp_sim.tamper_ghcb = forge_ghcb;
		struct snp_ghcb_call c = { .exit_code = SVM_EXIT_CPUID, .in = SNP_GHCB_R_RAX,
					   .out = SNP_GHCB_R_RAX | SNP_GHCB_R_RDX };
		(void)snp_ghcb_call(&ghcb, &c);
		break;
	}
	case 4: { /* doorbell bytes */
		struct snp_hv hv;
		struct vp_event ev;
		if (snp_hv_setup(&hv, &mem, &ghcb, DB_GPA) != SNP_HV_OK)
			break;
		take(snp_sim_shared_ptr(DB_GPA), 4);
		if (snp_hv_take(&hv, &ev) && ev.type == VP_EVENT_INTR && ev.vector < 32)
			abort();
		break;
	}
	case 6: { /* a certificate table, parsed directly */
		static uint8_t buf[SNP_CERT_MAX_BYTES];
		static struct snp_cert_entry e[SNP_CERT_MAX_ENTRIES];
		uint32_t len = (uint32_t)(fz_len - fz_off < sizeof(buf) ? fz_len - fz_off : sizeof(buf)), n;
		take(buf, len);
		if (snp_certs_parse(buf, len, e, SNP_CERT_MAX_ENTRIES, &n) == SNP_CERTS_OK)
			check_certs(e, n, len);
		else if (n != 0)
			abort();
		break;
	}
	case 7: { /* an extended guest request with a certificate buffer (and size) the host chose */
		uint8_t data[64] = { 7 };
		static struct snp_report r;
		static struct snp_certs c;
		snp_sim.certs_len = (uint32_t)(take64() % (sizeof(snp_sim.certs) + 1));
		snp_sim.cert_lie = (uint32_t)(take64() % 9);
		memset(snp_sim.certs, 0, sizeof(snp_sim.certs));
		take(snp_sim.certs, snp_sim.certs_len);
		if (snp_attest_ext(&greq, data, 0, &r, &c) == SNP_GREQ_OK) {
			if (memcmp(r.report_data, data, 64) != 0)
				abort();
			if (c.status == SNP_CERTS_OK)
				check_certs(c.e, c.count, c.len);
			else if (c.count != 0)
				abort();
		}
		break;
	}
	case 8: { /* PSC/PSMASH answers while one 4 KiB page of a 2 MiB-validated block goes shared */
		if (snp_mem_make_private(&mem, &ghcb, 0x400000, SNP_PAGES_PER_2M) != SNP_PSC_OK)
			abort(); /* the honest host, before any forging */
		snp_sim.tamper_ghcb = forge_ghcb;
		(void)snp_mem_make_shared(&mem, &ghcb, 0x400000 + (take64() % SNP_PAGES_PER_2M) * 4096, 1);
		check_bitmap();
		break;
	}
	case 9: { /* AP Creation answers (create, then destroy): a page the host left in an unknown
		   * state must never keep the VMSA attribute when Mantle says the vCPU is gone */
		static struct snp_vcpu v;
		struct vp_regs regs = { .rip = 0x300000 };
		const uint64_t page = 0x31000;
		snp_sim.tamper_ghcb = forge_ghcb;
		enum snp_vcpu_status st = snp_vcpu_start(&v, &mem, &ghcb, page, 2, 1, SNP_FEAT_SNP_ACTIVE, &regs);
		if (st == SNP_VCPU_OK)
			st = snp_vcpu_destroy(&v, &mem, &ghcb) == SNP_VCPU_RMPADJUST ? SNP_VCPU_RMPADJUST : SNP_VCPU_OK;
		if (st != SNP_VCPU_RMPADJUST && snp_sim.rmp[page >> 12].vmsa)
			abort();
		break;
	}
	default: { /* exit decoding */
		struct vp_regs regs = { .rip = take64() };
		struct vp_exit e;
		uint64_t code = take64(), i1 = take64(), i2 = take64();
		snp_decode_exit(code, i1, i2, &regs, &e);
		if (e.kind >= VP_EXIT_KINDS || e.insn_len > 15)
			abort();
		break;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	boot();
	fz = data + 1;
	fz_len = size - 1;
	fz_off = 0;
	if (setjmp(term) == 0)
		fuzz_one(data[0]);
	snp_sim.tamper_ghcb = NULL;
	snp_sim.tamper_msr = NULL;
	snp_sim.tamper_greq = NULL;
	snp_sim_fini();
	return 0;
}
