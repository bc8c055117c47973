/* The `snp` backend: Mantle at VMPL0 of an SEV-SNP guest, the unmodified guest at SNP_GUEST_VMPL.
 *
 * Boot (snp_init): negotiate the GHCB protocol (MSR protocol), register a GHCB page, build the
 * validated-page bitmap from the memory map (Mantle's ranges and launch-supplied guest data as
 * validated at launch, free guest RAM PSC'd to private and PVALIDATEd), grant the guest VMPL
 * read/write/execute on guest RAM only, and set up the guest-request channel. Each vCPU's VMSA is
 * built, protected and registered in vp_create; vp_run enters it with Run VMPL. docs/tee-snp.md.
 */
#include "tee/snp/snp_backend.h"

#include "arch/x86_64/hw.h"
#include "arch/x86_64/platform.h"
#include "boot/igvm_layout.h"
#include "core/console.h"
#include "core/main.h"
#include "core/memmap.h"
#include "core/str.h"
#include "core/x86/cpuid.h"
#include "tee/snp/snp_ghcb.h"
#include "tee/snp/snp_hv.h"
#include "tee/snp/snp_psc.h"
#include "tee/snp/snp_vc.h"
#include "tee/snp/snp_vcpu.h"

_Static_assert(SNP_VTOM == IGVM_SNP_VTOM, "Mantle's shared alias is the VIRTUAL_TOM igvmgen puts in the VMSA");
/* SEV_STATUS bit 3: the launch enabled vTOM (SEV_FEATURES bit 1, APM vol. 2 15.34.10 [M]). */
#define SNP_STATUS_VTOM (SNP_FEAT_VTOM << 2)

/* vCPUs with a guest VMSA (APIC IDs 0..3); the core itself still runs one (docs/tee-snp.md). */
#define SNP_MAX_VPS 4

static struct snp_mem mem;
static struct snp_ghcb_state ghcb;
static struct snp_greq greq;
static bool greq_ready;
static struct snp_cpuid_page cpuid_copy;
static bool have_cpuid;
static uint64_t sev_status;
static struct snp_vcpu vcpus[SNP_MAX_VPS];
/* Each slot's VMSA page, kept across destroy/re-create (it stays Mantle's, validated). */
static uint64_t vmsa_pages[SNP_MAX_VPS];
static struct snp_hv doorbell;
/* An interrupt taken from the doorbell that the guest could not accept yet (RFLAGS.IF clear). */
static struct vp_event held_irq;
static bool irq_held;
/* What Mantle's own #VC handler uses: the GHCB once registered, the CPUID page once copied. */
static struct snp_vc own_vc = { .ghcb = &ghcb };

void snp_set_launch_pages(uint64_t secrets_gpa, uint64_t cpuid_gpa)
{
	tee_set_launch_page(TEE_LAUNCH_SNP_SECRETS, secrets_gpa);
	tee_set_launch_page(TEE_LAUNCH_SNP_CPUID, cpuid_gpa);
}

struct snp_mem *snp_backend_mem(void)
{
	return &mem;
}

static bool probe_cpu(void)
{
	/* CPUID first: SEV_STATUS does not exist (#GP) on a CPU without SEV, e.g. QEMU TCG. */
	if (hw_cpuid(0x80000000u, 0).eax < SNP_CPUID_SEV_LEAF)
		return false;
	if (!(hw_cpuid(SNP_CPUID_SEV_LEAF, 0).eax & SNP_CPUID_SEV_EAX_SNP))
		return false;
	sev_status = hw_rdmsr(SNP_MSR_SEV_STATUS);
	return (sev_status & SNP_STATUS_SNP) != 0;
}

/* On SNP the probe's own CPUID raises #VC, so the handler is in place first (MSR protocol: no GHCB
 * page yet); without SNP no #VC ever comes and the vectors are given back. */
static bool probe_with_vc(void)
{
	own_vc = (struct snp_vc){ .ghcb = &ghcb };
	ghcb.page = NULL;
	snp_vc_install(&own_vc);
	if (probe_cpu())
		return true;
	snp_vc_uninstall();
	return false;
}

/* ------------------------------------------------------------------------------------------------ */
/* Before any backend is selected: the arch's early hook (x86_early_init, arch/x86_64/platform.h). */

static bool early_ran, early_snp;
/* Mantle's memory validated before the bitmap exists (the core's page pool), recorded at init. */
#define SNP_EARLY_RANGES 4u
static struct tee_range early_ranges[SNP_EARLY_RANGES];
static uint32_t early_count;
static struct snp_mem early_stats; /* PVALIDATE counters only: no bitmap yet */

/* Validates Mantle's pool before the core's first write to it (core/tee.h tee_early_accept). A page
 * the RMP already has validated (CF = 1) or any PVALIDATE failure terminates: Mantle cannot run on
 * memory it did not validate itself. */
static int snp_early_accept(uint64_t base, uint64_t size)
{
	uint64_t lo = base & ~(SNP_PAGE_SIZE - 1), hi = (base + size + SNP_PAGE_SIZE - 1) & ~(SNP_PAGE_SIZE - 1);

	if (hi <= lo || early_count == SNP_EARLY_RANGES)
		snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_BOOT);
	if (snp_mem_pvalidate_untracked(&early_stats, lo, (hi - lo) >> SNP_PAGE_SHIFT) != SNP_MEM_OK)
		snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_BOOT);
	early_ranges[early_count++] = (struct tee_range){ lo, hi - lo };
	return TEE_OK;
}

/* On SNP: #VC is Mantle's from here on (CPUID through the MSR protocol), port I/O waits for the GHCB
 * page (snp_init calls x86_port_io_ready), and the pool is validated before the core touches it. */
unsigned x86_early_platform(void)
{
	early_ran = true;
	early_count = 0;
	early_stats = (struct snp_mem){ 0 };
	early_snp = probe_with_vc();
	if (!early_snp)
		return 0;
	tee_set_early_accept(snp_early_accept);
	return X86_EARLY_PORT_IO_DEFERRED;
}

void snp_backend_early_reset(void)
{
	early_ran = early_snp = false;
	early_count = 0;
	tee_set_early_accept(NULL);
	tee_clear_launch_ranges();
}

static bool snp_probe(void)
{
	/* The early hook already probed (and kept #VC on SNP): probing again would repeat its work. */
	if (early_ran)
		return early_snp;
	return probe_with_vc();
}

static uint64_t alloc_page(void)
{
	uint64_t pa;

	if (core_alloc_pages(1, &pa) != 0)
		snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_BOOT);
	return pa;
}

/* The GHCB page is one of the image's own pages: the launch loaded it with a 4 KiB RMP entry, so a
 * 4 KiB PVALIDATE can rescind it before there is a GHCB to ask the host for a PSMASH with (the MSR
 * protocol has none), whereas a pool page may sit in a 2 MiB entry. */
#ifdef MANTLE_HOST
uint64_t snp_host_ghcb_gpa;

static uint64_t ghcb_page_gpa(void)
{
	return snp_host_ghcb_gpa ? snp_host_ghcb_gpa : alloc_page();
}
#else
static uint8_t ghcb_store[SNP_PAGE_SIZE] __attribute__((aligned(SNP_PAGE_SIZE)));

static uint64_t ghcb_page_gpa(void)
{
	return (uint64_t)(uintptr_t)ghcb_store;
}
#endif

static bool is_guest_ram(uint32_t type)
{
	return type == MEM_USABLE || type == MEM_ACPI_RECLAIM || type == MEM_ACPI_NVS ||
	       type == MEM_MODULE;
}

/* Tracked GPAs: up to the end of the highest RAM or Mantle range. */
static uint64_t tracked_pages(const struct memmap *mm)
{
	uint64_t end = 0;

	for (uint32_t i = 0; i < mm->count; i++)
		if (is_guest_ram(mm->r[i].type) || mm->r[i].type == MEM_MANTLE)
			if (mm->r[i].base + mm->r[i].size > end)
				end = mm->r[i].base + mm->r[i].size;
	return (end + SNP_PAGE_SIZE - 1) >> SNP_PAGE_SHIFT;
}

static void setup_bitmaps(const struct memmap *mm)
{
	uint64_t pages = tracked_pages(mm);
	uint64_t bm_pages = (snp_mem_words(pages) * 8 + SNP_PAGE_SIZE - 1) / SNP_PAGE_SIZE;
	uint64_t valid_pa, owned_pa;

	if (core_alloc_pages(bm_pages, &valid_pa) != 0 || core_alloc_pages(bm_pages, &owned_pa) != 0)
		snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_BOOT);
	snp_mem_setup(&mem, snp_va(valid_pa), snp_va(owned_pa), pages);
}

/* Page range inside [base, base + size): rounded inward for guest RAM, outward for Mantle. */
static void page_span(const struct mem_range *r, bool outward, uint64_t *gpa, uint64_t *pages)
{
	uint64_t lo = outward ? r->base & ~0xfffull : (r->base + 0xfff) & ~0xfffull;
	uint64_t hi = outward ? (r->base + r->size + 0xfff) & ~0xfffull : (r->base + r->size) & ~0xfffull;

	*gpa = lo;
	*pages = hi > lo ? (hi - lo) >> SNP_PAGE_SHIFT : 0;
}

static bool in_ranges(uint64_t gpa, const struct tee_range *r, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (gpa >= r[i].base && gpa - r[i].base < r[i].size)
			return true;
	return false;
}

/* How one of Mantle's pages got (or gets) validated. */
enum mantle_page {
	PAGE_LAUNCH,    /* loaded and validated by the launch (IGVM page data) */
	PAGE_EARLY,     /* validated by snp_early_accept before the bitmap existed */
	PAGE_SPARE,     /* Mantle's but not loaded: validated here */
};

static enum mantle_page mantle_page_kind(uint64_t gpa)
{
	const struct tee_range *launch;
	uint32_t n = tee_launch_ranges(&launch);

	if (in_ranges(gpa, early_ranges, early_count))
		return PAGE_EARLY;
	/* No recorded launch ranges (not an IGVM launch of this layout): all of it came with the launch. */
	return n == 0 || in_ranges(gpa, launch, n) ? PAGE_LAUNCH : PAGE_SPARE;
}

/* Records Mantle's pages [gpa, gpa + pages) in both bitmaps, run by run of one kind; spare pages are
 * PVALIDATEd now (2 MiB first), each exactly once. */
static bool claim_mantle(uint64_t gpa, uint64_t pages)
{
	uint64_t end = gpa + pages * SNP_PAGE_SIZE;

	if (snp_mem_own(&mem, gpa, pages) != SNP_MEM_OK)
		return false;
	for (uint64_t a = gpa; a < end;) {
		enum mantle_page kind = mantle_page_kind(a);
		uint64_t b = a + SNP_PAGE_SIZE;
		while (b < end && mantle_page_kind(b) == kind)
			b += SNP_PAGE_SIZE;
		uint64_t n = (b - a) >> SNP_PAGE_SHIFT;
		enum snp_mem_status s = kind == PAGE_SPARE ? snp_mem_validate(&mem, a, n)
							   : snp_mem_mark_launch_validated(&mem, a, n);
		if (s != SNP_MEM_OK)
			return false;
		a = b;
	}
	return true;
}

/* Every early-validated range must be Mantle's: otherwise it would stay validated but unrecorded. */
static bool early_ranges_are_mantle(const struct memmap *mm)
{
	for (uint32_t e = 0; e < early_count; e++) {
		uint64_t lo = early_ranges[e].base, hi = lo + early_ranges[e].size;
		bool inside = false;
		for (uint32_t i = 0; i < mm->count && !inside; i++)
			inside = mm->r[i].type == MEM_MANTLE && mm->r[i].base <= lo &&
				 hi <= mm->r[i].base + mm->r[i].size;
		if (!inside)
			return false;
	}
	return true;
}

static void claim_memory(const struct memmap *mm, bool mantle_pass)
{
	for (uint32_t i = 0; i < mm->count; i++) {
		const struct mem_range *r = &mm->r[i];
		uint64_t gpa, pages;
		bool ok = true;
		if (mantle_pass && r->type == MEM_MANTLE) {
			page_span(r, true, &gpa, &pages);
			ok = claim_mantle(gpa, pages);
		} else if (!mantle_pass && is_guest_ram(r->type)) {
			page_span(r, false, &gpa, &pages);
			if (pages == 0)
				continue;
			/* Boot modules and ACPI data come with the launch; free RAM is accepted now. */
			if (r->type == MEM_USABLE)
				ok = snp_mem_make_private(&mem, &ghcb, gpa, pages) == SNP_PSC_OK;
			else
				ok = snp_mem_mark_launch_validated(&mem, gpa, pages) == SNP_MEM_OK;
			ok = ok && snp_mem_grant(&mem, gpa, pages, SNP_GUEST_VMPL, SNP_RMP_PERM_ALL) ==
					   SNP_MEM_OK;
		}
		if (!ok) {
			console_printf("mantle: snp: cannot set up %llx+%llx (type %u)\n",
				       (unsigned long long)r->base, (unsigned long long)r->size, r->type);
			snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_BOOT);
		}
	}
}

static void setup_launch_pages(void)
{
	uint64_t launch_cpuid_gpa = tee_launch_page(TEE_LAUNCH_SNP_CPUID);
	uint64_t launch_secrets_gpa = tee_launch_page(TEE_LAUNCH_SNP_SECRETS);

	if (launch_cpuid_gpa && snp_mem_is_owned(&mem, launch_cpuid_gpa)) {
		memcpy(&cpuid_copy, snp_va(launch_cpuid_gpa), sizeof(cpuid_copy));
		/* The PSP accepted the page at launch; one that is malformed now means the launch is not
		 * what Mantle was built for. Falling back to the host's CPUID would trust the host. */
		if (!snp_cpuid_page_check(&cpuid_copy)) {
			console_printf("mantle: snp: CPUID page malformed\n");
			snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_BOOT);
		}
		have_cpuid = true;
		own_vc.cpuid = &cpuid_copy;
	}
	if (!launch_secrets_gpa || !snp_mem_is_owned(&mem, launch_secrets_gpa))
		return;
	uint64_t req = alloc_page(), rsp = alloc_page();
	if (snp_mem_make_shared(&mem, &ghcb, req, 1) != SNP_PSC_OK ||
	    snp_mem_make_shared(&mem, &ghcb, rsp, 1) != SNP_PSC_OK)
		snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_BOOT);
	snp_map_shared_alias(req, 1);
	snp_map_shared_alias(rsp, 1);
	greq_ready = snp_greq_init(&greq, &ghcb, snp_va(launch_secrets_gpa), 0, req, rsp) == SNP_GREQ_OK;
	/* Shared pages the host writes certificates into (extended requests); Mantle only reads them,
	 * once, into a private copy. */
	uint64_t certs;
	if (!greq_ready || core_alloc_pages(SNP_CERT_MAX_PAGES, &certs) != 0 ||
	    snp_mem_own(&mem, certs, SNP_CERT_MAX_PAGES) != SNP_MEM_OK ||
	    snp_mem_make_shared(&mem, &ghcb, certs, SNP_CERT_MAX_PAGES) != SNP_PSC_OK) {
		console_printf("mantle: snp: no certificate buffer: extended guest requests off\n");
		return;
	}
	snp_map_shared_alias(certs, SNP_CERT_MAX_PAGES);
	if (snp_greq_set_cert_buffer(&greq, certs, SNP_CERT_MAX_PAGES) != SNP_GREQ_OK)
		console_printf("mantle: snp: no certificate buffer: extended guest requests off\n");
}

static int snp_init(void)
{
	const struct memmap *mm = core_memmap();

	greq_ready = have_cpuid = irq_held = false;
	memset(vcpus, 0, sizeof(vcpus));
	memset(vmsa_pages, 0, sizeof(vmsa_pages));
	own_vc.cpuid = NULL;
	if (snp_ghcb_negotiate(&ghcb) != SNP_GHCB_OK)
		snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_BOOT);
	/* Mantle's model is vTOM (snp_mem.h snp_shared_va): a launch without it would make every shared
	 * access below private. */
	if (!(sev_status & SNP_STATUS_VTOM) || !early_ranges_are_mantle(mm))
		snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_BOOT);
	setup_bitmaps(mm);
	claim_memory(mm, true);
	if (snp_ghcb_setup(&ghcb, &mem, ghcb_page_gpa()) != SNP_GHCB_OK)
		snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_BOOT);
	/* Port I/O completes through the GHCB page from here on: the arch's console and timer start. */
	x86_port_io_ready();
	claim_memory(mm, false);
	setup_launch_pages();
	if (snp_hv_setup(&doorbell, &mem, &ghcb, alloc_page()) != SNP_HV_OK)
		snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_BOOT);
	console_printf("mantle: snp: SEV_STATUS %llx, %llu pages tracked, %llu 2M + %llu 4K PVALIDATEs, "
		       "guest at VMPL%u, guest requests %s\n", (unsigned long long)sev_status,
		       (unsigned long long)mem.pages, (unsigned long long)mem.pvalidate_2m,
		       (unsigned long long)mem.pvalidate_4k, SNP_GUEST_VMPL, greq_ready ? "on" : "off");
	return 0;
}

/* The boot vCPU (id 0) is registered "create on INIT" (the launch is its INIT); any other is an AP
 * the guest starts, registered "create" so the host makes it runnable now. */
static int snp_vp_create(struct vp *vp)
{
	if (vp->id >= SNP_MAX_VPS || vcpus[vp->id].live)
		return -1;
	uint64_t pa = vmsa_pages[vp->id];
	if (!pa) {
		pa = alloc_page();
		if ((pa & (SNP_2M_SIZE - 1)) == 0)
			pa = alloc_page(); /* erratum: no 2 MiB-aligned VMSA; the first page stays unused */
		vmsa_pages[vp->id] = pa;
	}
	struct snp_vcpu *v = &vcpus[vp->id];
	uint64_t features = snp_guest_sev_features(sev_status);
	enum snp_vcpu_status s =
		vp->id == 0 ? snp_vcpu_create(v, &mem, &ghcb, pa, SNP_GUEST_VMPL, vp->id, features, &vp->regs)
			    : snp_vcpu_start(v, &mem, &ghcb, pa, SNP_GUEST_VMPL, vp->id, features, &vp->regs);
	if (s == SNP_VCPU_RMPADJUST)
		vmsa_pages[vp->id] = 0; /* the page may have kept the VMSA attribute: never reuse it */
	if (s != SNP_VCPU_OK)
		return -1;
	vp->tee_state = v;
	return 0;
}

int snp_backend_vp_destroy(struct vp *vp)
{
	if (!vp->tee_state)
		return -1;
	enum snp_vcpu_status s = snp_vcpu_destroy(vp->tee_state, &mem, &ghcb);
	if (s == SNP_VCPU_RMPADJUST) {
		vmsa_pages[vp->id] = 0; /* the page may still be a VMSA: never reuse it */
		return -1;
	}
	return s == SNP_VCPU_OK ? 0 : -1;
}

#define RFLAGS_IF (1ull << 9)

/* Forwards the host's doorbell event to the guest: an NMI or an interrupt the guest can take now goes
 * into EVENTINJ (unless another event is queued); an interrupt arriving while the guest has IF = 0 is
 * posted in VINTR_CTRL, which the CPU delivers when the guest enables interrupts. */
static void forward_doorbell(struct snp_vcpu *v, const struct vp *vp)
{
	if (!irq_held)
		irq_held = snp_hv_take(&doorbell, &held_irq);
	if (!irq_held || v->pending_event)
		return;
	if (held_irq.type == VP_EVENT_INTR && !(vp->regs.rflags & RFLAGS_IF)) {
		if (snp_vcpu_post_irq(v, held_irq.vector))
			irq_held = false;
		return;
	}
	snp_vcpu_inject(v, &held_irq);
	irq_held = false;
}

static void snp_vp_run(struct vp *vp)
{
	forward_doorbell(vp->tee_state, vp);
	snp_vcpu_run(vp->tee_state, &mem, vp);
}

uint64_t snp_backend_doorbell_refused(void)
{
	return doorbell.bogus;
}

static void snp_vp_inject(struct vp *vp, const struct vp_event *ev)
{
	snp_vcpu_inject(vp->tee_state, ev);
}

static void snp_vp_vec(struct vp *vp, unsigned reg, uint8_t *buf, uint32_t len, bool write)
{
	snp_vcpu_vec(vp->tee_state, reg, buf, len, write);
}

/* The platform's CPUID: the PSP-checked CPUID page when the launch provided one, else the host's. */
static struct cpuid_result snp_cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct snp_vc_ctx ctx = { .rax = leaf, .rcx = subleaf };
	static const uint8_t cpuid_insn[2] = { 0x0f, 0xa2 };

	ctx.rip = (uint64_t)(uintptr_t)cpuid_insn;
	if (snp_vc_handle(&own_vc, &ctx, SVM_EXIT_CPUID) != SNP_VC_OK)
		return (struct cpuid_result){ 0 };
	return (struct cpuid_result){ (uint32_t)ctx.rax, (uint32_t)ctx.rbx, (uint32_t)ctx.rcx,
				      (uint32_t)ctx.rdx };
}

/* A port access that exits only because it overlaps a port Mantle emulates goes to the host's device
 * through the GHCB, like Mantle's own port I/O; a host that fails it reads as a floating bus. */
static void snp_io_forward(uint16_t port, uint8_t size, bool in, uint32_t *val)
{
	uint64_t mask = size == 4 ? 0xffffffffull : size == 2 ? 0xffffull : 0xffull;
	uint64_t info1 = ((uint64_t)port << SVM_IOIO_PORT_SHIFT) | (in ? SVM_IOIO_IN : 0) |
			 (size == 4 ? SVM_IOIO_SZ32 : size == 2 ? SVM_IOIO_SZ16 : SVM_IOIO_SZ8);
	struct snp_ghcb_call c = { .exit_code = SVM_EXIT_IOIO, .info1 = info1, .rax = *val & mask,
				   .in = SNP_GHCB_R_RAX, .out = in ? SNP_GHCB_R_RAX : 0 };

	if (snp_ghcb_call(&ghcb, &c) != SNP_GHCB_OK) {
		if (in)
			*val = (uint32_t)mask;
		return;
	}
	if (in)
		*val = (uint32_t)(c.rax & mask);
}

enum snp_greq_status snp_backend_attest(const uint8_t report_data[64], uint32_t vmpl,
					struct snp_report *out)
{
	if (!greq_ready)
		return SNP_GREQ_DISABLED;
	return snp_attest(&greq, report_data, vmpl, out);
}

enum snp_greq_status snp_backend_attest_ext(const uint8_t report_data[64], uint32_t vmpl,
					    struct snp_report *out, struct snp_certs *certs)
{
	if (!greq_ready) {
		certs->status = SNP_CERTS_NONE;
		certs->count = certs->len = 0;
		return SNP_GREQ_DISABLED;
	}
	return snp_attest_ext(&greq, report_data, vmpl, out, certs);
}

enum snp_greq_status snp_backend_derive_key(const struct snp_key_req *req, uint8_t key[32])
{
	if (!greq_ready)
		return SNP_GREQ_DISABLED;
	return snp_derive_key(&greq, req, key);
}

/* ------------------------------------------------------------------------------------------------ */
/* Confidential services (core/tee.h). */

static bool range_ok(uint64_t gpa, uint64_t pages)
{
	return !(gpa & (SNP_PAGE_SIZE - 1)) && pages && pages <= mem.pages &&
	       (gpa >> SNP_PAGE_SHIFT) <= mem.pages - pages;
}

static bool any_owned(uint64_t gpa, uint64_t pages, bool want)
{
	for (uint64_t i = 0; i < pages; i++)
		if (snp_mem_is_owned(&mem, gpa + i * SNP_PAGE_SIZE) == want)
			return true;
	return false;
}

static int psc_result(enum snp_psc_status s)
{
	switch (s) {
	case SNP_PSC_OK:
		return TEE_OK;
	case SNP_PSC_RANGE:
		return TEE_ERR_INVALID;
	default:
		return TEE_ERR_HOST;
	}
}

static int snp_mem_accept(uint64_t gpa, uint64_t pages)
{
	if (!mem.valid || !range_ok(gpa, pages) || any_owned(gpa, pages, true))
		return TEE_ERR_INVALID;
	int r = psc_result(snp_mem_make_private(&mem, &ghcb, gpa, pages));
	if (r != TEE_OK)
		return r;
	return snp_mem_grant(&mem, gpa, pages, SNP_GUEST_VMPL, SNP_RMP_PERM_ALL) == SNP_MEM_OK ? TEE_OK
												 : TEE_ERR_HOST;
}

/* A range is either all Mantle's or all the guest's: a mixed one is refused, so the grant after
 * going private can never reach one of Mantle's pages. */
static int snp_mem_set_shared(uint64_t gpa, uint64_t pages, bool shared)
{
	if (!mem.valid || !range_ok(gpa, pages))
		return TEE_ERR_INVALID;
	bool mantle = any_owned(gpa, pages, true);
	if (mantle && any_owned(gpa, pages, false))
		return TEE_ERR_INVALID;
	if (shared)
		return psc_result(snp_mem_make_shared(&mem, &ghcb, gpa, pages));
	int r = psc_result(snp_mem_make_private(&mem, &ghcb, gpa, pages));
	if (r != TEE_OK || mantle)
		return r;
	return snp_mem_grant(&mem, gpa, pages, SNP_GUEST_VMPL, SNP_RMP_PERM_ALL) == SNP_MEM_OK ? TEE_OK
												 : TEE_ERR_HOST;
}

static int greq_result(enum snp_greq_status s)
{
	switch (s) {
	case SNP_GREQ_OK:
		return TEE_OK;
	case SNP_GREQ_DISABLED:
		return TEE_ERR_UNSUPPORTED;
	case SNP_GREQ_FW_ERROR:
		return TEE_ERR_PLATFORM;
	case SNP_GREQ_BAD_ARGS:
		return TEE_ERR_INVALID;
	default:
		return TEE_ERR_HOST;
	}
}

static int snp_tee_attest(const uint8_t report_data[64], uint8_t *out, uint32_t *len)
{
	static struct snp_report report;

	if (!len)
		return TEE_ERR_INVALID;
	if (!out || *len < sizeof(report)) {
		*len = sizeof(report);
		return TEE_ERR_SIZE;
	}
	int r = greq_result(snp_backend_attest(report_data, 0, &report));
	if (r != TEE_OK) {
		*len = 0;
		return r;
	}
	memcpy(out, &report, sizeof(report));
	*len = sizeof(report);
	return TEE_OK;
}

/* Fields the PSP mixes into the key (SNP ABI MSG_KEY_REQ GUEST_FIELD_SELECT): the guest policy and
 * the launch measurement, so another image or a weaker policy gets another key; not the TCB
 * version, so a firmware update does not lose sealed state. */
#define SNP_KEY_FIELD_POLICY (1ull << 0)
#define SNP_KEY_FIELD_MEASUREMENT (1ull << 3)

static int snp_tee_derive_key(uint32_t context, uint8_t key[32])
{
	struct snp_key_req req = { .root_key_select = 0 /* VCEK */,
				   .guest_field_select = SNP_KEY_FIELD_POLICY | SNP_KEY_FIELD_MEASUREMENT,
				   .vmpl = 0 };
	static const char prefix[] = "mantle derive key"; /* 17 bytes, without its NUL */
	uint8_t psp_key[32], label[sizeof(prefix) - 1 + 4];

	memset(key, 0, 32);
	int r = greq_result(snp_backend_derive_key(&req, psp_key));
	if (r != TEE_OK)
		return r;
	/* One PSP key, many uses: each context gets its own key through HMAC-SHA-256. */
	memcpy(label, prefix, sizeof(prefix) - 1);
	for (int i = 0; i < 4; i++)
		label[sizeof(prefix) - 1 + i] = (uint8_t)(context >> (8 * i));
	uint8_t mac[32];
	crypto_hmac(CRYPTO_SHA256, psp_key, sizeof(psp_key), label, sizeof(label), mac);
	memcpy(key, mac, 32);
	crypto_wipe(psp_key, sizeof(psp_key));
	crypto_wipe(mac, sizeof(mac));
	return TEE_OK;
}

const struct tee_backend snp_tee_backend = {
	.name = "snp",
	.priority = 100,
	.isolation = ISOLATION_SNP,
	.probe = snp_probe,
	.init = snp_init,
	.vp_create = snp_vp_create,
	.vp_run = snp_vp_run,
	.vp_inject = snp_vp_inject,
	.vp_vec = snp_vp_vec,
	.io_forward = snp_io_forward,
	.cpuid = snp_cpuid,
	.mem_accept = snp_mem_accept,
	.mem_set_shared = snp_mem_set_shared,
	.attest = snp_tee_attest,
	.derive_key = snp_tee_derive_key,
};
TEE_BACKEND(snp_tee_backend);
