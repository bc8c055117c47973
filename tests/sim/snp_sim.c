/* Simulated SNP hardware: the RMP, PVALIDATE, RMPADJUST, CPUID and the SEV MSRs (APM vol. 3
 * PVALIDATE/RMPADJUST semantics and return codes). */
#include "tests/sim/snp_sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/hw.h"

struct snp_sim snp_sim;
uintptr_t snp_host_va_base;
uintptr_t snp_host_shared_va_base;

/* Allocated once and reused: fresh 16 MiB per test (or fuzz input) is slow under ASan. */
static uint8_t *sim_memory, *sim_shared;

void snp_sim_init(uint32_t mode)
{
	if (!sim_memory)
		sim_memory = aligned_alloc(SNP_2M_SIZE, SNP_SIM_MEM_SIZE);
	if (!sim_shared)
		sim_shared = aligned_alloc(SNP_2M_SIZE, SNP_SIM_MEM_SIZE);
	uint8_t *mem = sim_memory;

	if (!mem || !sim_shared)
		abort();
	memset(&snp_sim, 0, sizeof(snp_sim));
	memset(mem, 0, SNP_SIM_MEM_SIZE);
	memset(sim_shared, 0, SNP_SIM_MEM_SIZE);
	snp_sim.mem = mem;
	snp_sim.shared = sim_shared;
	snp_sim.mode = mode;
	snp_sim.cpu_has_sev = true;
	snp_sim.sev_status = SNP_STATUS_SEV | SNP_STATUS_SEV_ES | SNP_STATUS_SNP |
			     SNP_STATUS_FEATURE(1) /* vTOM (igvmgen's VMSA) */ |
			     SNP_STATUS_FEATURE(3) /* RestrictedInjection */ |
			     SNP_STATUS_FEATURE(5) /* DebugSwap */;
	snp_sim.hv_features = GHCB_HV_FT_REQUIRED | GHCB_HV_FT_RESTRICTED_INJ;
	for (uint32_t i = 0; i < SNP_SIM_PAGES; i++)
		snp_sim.rmp[i].backing = i;
	snp_host_va_base = (uintptr_t)mem;
	snp_host_shared_va_base = (uintptr_t)sim_shared;
	snp_sim_psp_init();
	snp_sim_certs_default();
}

/* VCEK, ASK, ARK stand-ins: recognisable filler of typical DER sizes (4.5 KB in all: two pages). */
static const uint8_t cert_guids[SNP_SIM_CERT_COUNT][16] = {
	{ 0x8d, 0x75, 0xda, 0x63, 0x64, 0xe6, 0x64, 0x45, 0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd },
	{ 0x79, 0xb3, 0xb7, 0x4a, 0xac, 0xbb, 0xe4, 0x4f, 0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82 },
	{ 0xa4, 0x06, 0xb4, 0xc0, 0x03, 0xa8, 0x52, 0x49, 0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae },
};
static const uint32_t cert_sizes[SNP_SIM_CERT_COUNT] = { 1300, 1500, 1600 };

void snp_sim_certs_default(void)
{
	uint32_t at = (SNP_SIM_CERT_COUNT + 1) * (uint32_t)sizeof(struct snp_cert_table_entry);

	memset(snp_sim.certs, 0, sizeof(snp_sim.certs));
	for (uint32_t i = 0; i < SNP_SIM_CERT_COUNT; i++) {
		struct snp_cert_table_entry e = { .offset = at, .length = cert_sizes[i] };
		memcpy(e.guid, cert_guids[i], 16);
		memcpy(snp_sim.certs + i * sizeof(e), &e, sizeof(e));
		memset(snp_sim.certs + at, 0xc0 + (int)i, cert_sizes[i]);
		at += cert_sizes[i];
	}
	snp_sim.certs_len = at;
}

void snp_sim_fini(void)
{
	snp_sim_psp_fini();
	snp_sim.mem = NULL;
	snp_sim.shared = NULL;
	snp_host_va_base = 0;
	snp_host_shared_va_base = 0;
}

void snp_sim_host_assign(uint64_t gpa, uint64_t pages, bool private_, bool size_2m)
{
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t pfn = (gpa >> 12) + i;
		if (pfn >= SNP_SIM_PAGES)
			abort();
		struct snp_sim_rmp *e = &snp_sim.rmp[pfn];
		/* The other view now shows the page's bytes: pessimistically in plaintext, so a page
		 * converted without a wipe leaks (and host data is not wiped on the way in) visibly. */
		if (e->assigned && !private_)
			memcpy(snp_sim.shared + pfn * SNP_PAGE_SIZE, snp_sim.mem + pfn * SNP_PAGE_SIZE, SNP_PAGE_SIZE);
		else if (!e->assigned && private_)
			memcpy(snp_sim.mem + pfn * SNP_PAGE_SIZE, snp_sim.shared + pfn * SNP_PAGE_SIZE, SNP_PAGE_SIZE);
		*e = (struct snp_sim_rmp){ .assigned = private_, .size_2m = private_ && size_2m,
					    .backing = e->backing };
	}
}

void snp_sim_launch_validate(uint64_t gpa, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++) {
		struct snp_sim_rmp *e = &snp_sim.rmp[(gpa >> 12) + i];
		e->assigned = true;
		if (!e->validated)
			snp_sim.validations[(gpa >> 12) + i]++;
		e->validated = true;
	}
}

bool snp_sim_mantle_touch(uint64_t gpa, uint64_t len)
{
	for (uint64_t a = gpa & ~0xfffull; a < gpa + len; a += SNP_PAGE_SIZE) {
		const struct snp_sim_rmp *e = &snp_sim.rmp[a >> 12];
		if (e->assigned && e->validated)
			continue;
		/* A private access to a page that is not validated: #VC 0x404 (APM vol. 2 15.36.11). */
		snp_sim.unvalidated_touches++;
		if (snp_sim.vector_fn[X86_VEC_VC]) {
			struct x86_frame f = { .vector = X86_VEC_VC, .error = SVM_EXIT_PAGE_NOT_VALIDATED };
			snp_sim.vector_fn[X86_VEC_VC](&f);
		}
		return false;
	}
	return true;
}

void snp_sim_host_remap(uint64_t gpa, uint8_t fill)
{
	struct snp_sim_rmp *e = &snp_sim.rmp[gpa >> 12];

	*e = (struct snp_sim_rmp){ .assigned = true, .backing = e->backing + SNP_SIM_PAGES };
	memset(snp_sim_ptr(gpa & ~0xfffull), fill, SNP_PAGE_SIZE);
}

void snp_sim_host_read(uint64_t gpa, void *buf, uint32_t len)
{
	uint8_t *out = buf;

	for (uint32_t i = 0; i < len; i++) {
		uint64_t a = gpa + i;
		bool priv = snp_sim.rmp[a >> 12].assigned;
		uint8_t b = priv ? snp_sim.mem[a] : snp_sim.shared[a];
		/* Private pages read back as "ciphertext": a keyed scramble of address and contents. */
		out[i] = priv ? (uint8_t)(b ^ 0xa5 ^ (a * 0x9e3779b1u >> 13)) : b;
	}
}

bool snp_sim_host_sees(const void *needle, uint32_t len)
{
	for (uint32_t p = 0; p < SNP_SIM_PAGES; p++) {
		if (snp_sim.rmp[p].assigned)
			continue;
		const uint8_t *page = snp_sim.shared + (uint64_t)p * SNP_PAGE_SIZE;
		for (uint32_t o = 0; o + len <= SNP_PAGE_SIZE; o++)
			if (memcmp(page + o, needle, len) == 0)
				return true;
	}
	return false;
}

/* ------------------------------------------------------------------------------------------------ */
/* Instructions. */

static bool va_to_pfn(uint64_t va, uint64_t *pfn)
{
	uint64_t base = (uint64_t)(uintptr_t)snp_sim.mem;

	if (va < base || va >= base + SNP_SIM_MEM_SIZE)
		return false;
	*pfn = (va - base) >> 12;
	return true;
}

/* The RMP entries an operation of `size` at `pfn` touches, or a return code. */
static uint32_t rmp_span(uint64_t va, uint32_t size, uint64_t *first, uint64_t *count)
{
	uint64_t pfn;

	if (size > HW_PAGE_2M || !va_to_pfn(va, &pfn) || (va & 0xfff))
		return SNP_PVALIDATE_FAIL_INPUT;
	if (size == HW_PAGE_2M) {
		if (pfn % SNP_PAGES_PER_2M)
			return SNP_PVALIDATE_FAIL_INPUT;
		for (uint64_t i = 0; i < SNP_PAGES_PER_2M; i++)
			if (!snp_sim.rmp[pfn + i].size_2m)
				return SNP_PVALIDATE_FAIL_SIZEMISMATCH;
		*first = pfn;
		*count = SNP_PAGES_PER_2M;
		return 0;
	}
	if (snp_sim.rmp[pfn].size_2m)
		return SNP_PVALIDATE_FAIL_SIZEMISMATCH;
	*first = pfn;
	*count = 1;
	return 0;
}

uint32_t hw_pvalidate(uint64_t va, uint32_t page_size, uint32_t validate, uint8_t *cf)
{
	uint64_t first, count;
	uint32_t rc = rmp_span(va, page_size, &first, &count);

	*cf = 0;
	if (snp_sim.force_rc)
		return snp_sim.force_rc;
	if (rc)
		return rc;
	if (validate > 1)
		return SNP_PVALIDATE_FAIL_INPUT;
	for (uint64_t i = 0; i < count; i++) {
		if (!snp_sim.rmp[first + i].assigned) {
			snp_sim.npf++;
			return SNP_PVALIDATE_FAIL_INPUT;
		}
	}
	bool unchanged = true;
	for (uint64_t i = 0; i < count; i++) {
		struct snp_sim_rmp *e = &snp_sim.rmp[first + i];
		if (e->validated != (bool)validate)
			unchanged = false;
		if (validate && !e->validated)
			snp_sim.validations[first + i]++;
		e->validated = validate;
		if (!validate)
			memset(e->perms, 0, sizeof(e->perms));
	}
	*cf = unchanged;
	return 0;
}

uint32_t hw_rmpadjust(uint64_t va, uint32_t page_size, uint64_t attrs)
{
	uint64_t first, count;
	uint32_t vmpl = attrs & 0xff, perms = (attrs >> 8) & 0xff;
	bool vmsa = (attrs >> 16) & 1;

	if (snp_sim.force_rc)
		return snp_sim.force_rc;
	if (attrs >> 17 || perms & ~SNP_RMP_PERM_ALL)
		return SNP_PVALIDATE_FAIL_INPUT;
	/* Only a numerically higher (less privileged) VMPL can be adjusted from VMPL0. */
	if (vmpl == 0 || vmpl > 3)
		return SNP_RMPADJUST_FAIL_PERMISSION;
	if (vmsa && page_size != HW_PAGE_4K)
		return SNP_PVALIDATE_FAIL_INPUT;
	uint32_t rc = rmp_span(va, page_size, &first, &count);
	if (rc)
		return rc;
	for (uint64_t i = 0; i < count; i++)
		if (!snp_sim.rmp[first + i].assigned || !snp_sim.rmp[first + i].validated)
			return SNP_PVALIDATE_FAIL_INPUT;
	for (uint64_t i = 0; i < count; i++) {
		struct snp_sim_rmp *e = &snp_sim.rmp[first + i];
		e->perms[vmpl] = (uint8_t)perms;
		e->vmsa = vmsa;
	}
	return 0;
}

/* CPUID by Mantle itself: on an SEV-ES/SNP guest the instruction raises #VC (exit code 0x72), which
 * the handler Mantle took must complete; without one the model counts an unhandled #VC (hardware:
 * the guest dies). */
static struct cpuid_regs cpuid_via_vc(uint32_t leaf, uint32_t subleaf)
{
	static const uint8_t insn[2] = { 0x0f, 0xa2 };
	struct x86_frame f = { .vector = X86_VEC_VC, .error = SVM_EXIT_CPUID, .rax = leaf, .rcx = subleaf,
			       .rip = (uint64_t)(uintptr_t)insn };

	snp_sim.cpuid_vcs++;
	if (!snp_sim.vector_fn[X86_VEC_VC]) {
		snp_sim.unhandled_vcs++;
		return (struct cpuid_regs){ 0 };
	}
	snp_sim.vector_fn[X86_VEC_VC](&f);
	if (f.rip != (uint64_t)(uintptr_t)insn + 2)
		snp_sim.unhandled_vcs++;
	return (struct cpuid_regs){ .eax = (uint32_t)f.rax, .ebx = (uint32_t)f.rbx, .ecx = (uint32_t)f.rcx,
				    .edx = (uint32_t)f.rdx };
}

struct cpuid_regs hw_cpuid(uint32_t leaf, uint32_t subleaf)
{
	if (snp_sim.cpu_has_sev && (snp_sim.sev_status & SNP_STATUS_SEV_ES) && !snp_sim.in_vc_cpuid) {
		snp_sim.in_vc_cpuid = true;
		struct cpuid_regs r = cpuid_via_vc(leaf, subleaf);
		snp_sim.in_vc_cpuid = false;
		return r;
	}
	(void)subleaf;
	if (leaf == 0x80000000u)
		return (struct cpuid_regs){ .eax = snp_sim.cpu_has_sev ? SNP_CPUID_SEV_LEAF : 0x80000008u };
	if (leaf == SNP_CPUID_SEV_LEAF && snp_sim.cpu_has_sev)
		return (struct cpuid_regs){ .eax = SNP_CPUID_SEV_EAX_SEV | SNP_CPUID_SEV_EAX_SEV_ES |
						   SNP_CPUID_SEV_EAX_SNP | 1u,
					    .ebx = 51 };
	return (struct cpuid_regs){ 0 };
}

uint64_t hw_rdmsr(uint32_t msr)
{
	if (msr == SNP_MSR_GHCB && snp_sim.cpu_has_sev)
		return snp_sim.ghcb_msr;
	if (msr == SNP_MSR_SEV_STATUS && snp_sim.cpu_has_sev)
		return snp_sim.sev_status;
	snp_sim.msr_gp++;
	return 0;
}

void hw_wrmsr(uint32_t msr, uint64_t value)
{
	if (msr == SNP_MSR_GHCB && snp_sim.cpu_has_sev) {
		snp_sim.ghcb_msr = value;
		return;
	}
	snp_sim.msr_gp++;
}

/* The arch's exception-routing hook (arch/x86_64/exception.c): the test raises the exception by
 * calling the registered handler with a frame it built. */
void x86_set_vector_handler(unsigned vector, x86_vector_fn fn)
{
	if (vector < 32)
		snp_sim.vector_fn[vector] = fn;
}
