/* Booting an x86 guest: the Linux kernel, initrd and command line of the guest bundle (boot module 0),
 * started through the 32-bit boot protocol entry on vCPU 0 of the selected TEE backend.
 *
 * Guest physical layout Mantle prepares (all in guest RAM; docs/tee-none.md):
 *   0x6000   GDT with the boot protocol's flat __BOOT_CS (0x10) and __BOOT_DS (0x18)
 *   0x7000   boot_params (the zero page)
 *   0x20000  kernel command line
 *   32 MiB   protected-mode kernel (or the first kernel_alignment boundary above Mantle's image)
 *   initrd   left in place inside the bundle, which QEMU loaded page aligned near the top of RAM
 */
#include "core/guest.h"

#include "boot/bundle.h"
#include "core/acpi.h"
#include "core/measure.h"
#include "core/tcglog.h"
#include "core/version.h"
#include "boot/linux.h"
#include "core/arch.h"
#include "core/cmdline.h"
#include "core/console.h"
#include "core/fmt.h"
#include "core/main.h"
#include "core/panic.h"
#include "core/pfa.h"
#include "core/str.h"
#include "core/tee.h"
#include "core/vp.h"
#include "devices/dev.h"

#define GUEST_GDT 0x6000ull
#define GUEST_BOOT_PARAMS 0x7000ull
#define GUEST_CMDLINE 0x20000ull
#define GUEST_CMDLINE_MAX 0x10000ull
#define GUEST_KERNEL_MIN 0x2000000ull
#define BOOT_CS 0x10
#define BOOT_DS 0x18

static struct vp vp0;
static struct bundle_view bundle;
static struct linux_e820 guest_e820[LINUX_E820_MAX];
static uint8_t zero_page[LINUX_BOOT_PARAMS_SIZE];

static void *gpa_ptr(uint64_t gpa)
{
	return (void *)(uintptr_t)gpa;
}

/* True if [base, base+size) is plain guest RAM that nothing else claimed. */
static bool guest_ram_free(uint64_t base, uint64_t size)
{
	const struct memmap *m = core_memmap();

	for (uint32_t i = 0; i < m->count; i++) {
		const struct mem_range *r = &m->r[i];
		if (r->type == MEM_USABLE && base >= r->base && size <= r->size &&
		    base - r->base <= r->size - size)
			return true;
	}
	return false;
}

static uint32_t e820_type(uint32_t mem_type)
{
	switch (mem_type) {
	case MEM_USABLE: return E820_RAM;
	/* The bundle stays intact for the next boot after a guest reset: reserved, so the guest kernel
	 * copies the initrd out of it instead of freeing it into its allocator. */
	case MEM_MODULE: return E820_RESERVED;
	case MEM_ACPI_RECLAIM: return E820_ACPI;
	case MEM_ACPI_NVS: return E820_NVS;
	case MEM_UNUSABLE: return E820_UNUSABLE;
	case MEM_MANTLE: return 0;         /* absent: the guest never learns where Mantle is */
	case MEM_EMULATED: return 0;       /* device MMIO: described by ACPI, not by e820 */
	default: return E820_RESERVED;
	}
}

/* The guest's e820: the machine's map without Mantle's memory, adjacent RAM merged. */
static uint32_t build_e820(void)
{
	const struct memmap *m = core_memmap();
	uint32_t n = 0;

	for (uint32_t i = 0; i < m->count; i++) {
		uint32_t t = e820_type(m->r[i].type);
		if (!t)
			continue;
		if (n && guest_e820[n - 1].type == t &&
		    guest_e820[n - 1].addr + guest_e820[n - 1].size == m->r[i].base) {
			guest_e820[n - 1].size += m->r[i].size;
			continue;
		}
		if (n == LINUX_E820_MAX)
			panic("guest e820 map has more than %u entries", LINUX_E820_MAX);
		guest_e820[n++] = (struct linux_e820){ m->r[i].base, m->r[i].size, t };
	}
	return n;
}

static uint64_t kernel_load_address(const struct linux_image *li, const struct boot_info *bi)
{
	uint64_t a = li->kernel_alignment;
	uint64_t lo = bi->image_end > GUEST_KERNEL_MIN ? bi->image_end : GUEST_KERNEL_MIN;

	return (lo + a - 1) & ~(a - 1);
}

static void write_gdt(void)
{
	uint64_t *gdt = gpa_ptr(GUEST_GDT);

	gdt[0] = 0;
	gdt[1] = 0;
	gdt[BOOT_CS / 8] = 0x00cf9a000000ffffull;  /* flat 4 GiB code, execute/read */
	gdt[BOOT_DS / 8] = 0x00cf92000000ffffull;  /* flat 4 GiB data, read/write */
}

/* The state the 32-bit boot protocol asks for (boot.rst, "32-bit boot protocol"): protected mode,
 * paging off, flat __BOOT_CS/__BOOT_DS, interrupts off, ESI = boot_params, EBP/EDI/EBX = 0. */
static void initial_regs(struct vp_regs *r, uint64_t entry)
{
	const struct vp_segment code = { BOOT_CS, 0xc9b, 0xffffffffu, 0 };
	const struct vp_segment data = { BOOT_DS, 0xc93, 0xffffffffu, 0 };

	memset(r, 0, sizeof(*r));
	r->gpr[VP_RSI] = GUEST_BOOT_PARAMS;
	r->rip = entry;
	r->rflags = 0x2;
	r->cr0 = 0x11;  /* PE, ET */
	r->seg[VP_CS] = code;
	r->seg[VP_DS] = r->seg[VP_ES] = r->seg[VP_SS] = r->seg[VP_FS] = r->seg[VP_GS] = data;
	r->gdtr = (struct vp_segment){ 0, 0, 4 * 8 - 1, GUEST_GDT };
	r->idtr = (struct vp_segment){ 0, 0, 0, 0 };
	r->ldtr = (struct vp_segment){ 0, 0x82, 0xffff, 0 };
	r->tr = (struct vp_segment){ 0, 0x8b, 0xffff, 0 };
	r->xcr0 = 1;
}

/* Measured boot (core/measure.h): Mantle's identity, then what it is about to boot. Each digest is of
 * the exact bytes: the bzImage file as bundled, the initrd file, the command line without a NUL. */
static void measure_guest(const struct boot_info *bi, const uint8_t *base, const char *tee_name)
{
	char id[160];
	size_t n = fmt_snprintf(id, sizeof(id), "Mantle %s (%s) %s backend=%s", mantle_version, mantle_gitrev,
				mantle_arch, tee_name);
	const char *ev_kernel = "guest kernel", *ev_initrd = "guest initrd";
	uint64_t ro_len = bi->image_ro_end > bi->image_base ? bi->image_ro_end - bi->image_base : 0;
	int r = 0;

	if (!measure_active())
		return;
	n = n < sizeof(id) ? n : sizeof(id) - 1;
	r |= measure(MEASURE_PCR_MANTLE, EV_S_CRTM_VERSION, id, n, id, (uint32_t)n);
	/* Mantle's code and read-only data as loaded: its build digest. */
	r |= measure(MEASURE_PCR_MANTLE, EV_POST_CODE, (const void *)(uintptr_t)bi->image_base, ro_len,
		     "mantle image", 12);
	r |= measure(MEASURE_PCR_KERNEL, EV_IPL, base + bundle.kernel_off, bundle.kernel_size, ev_kernel,
		     (uint32_t)strlen(ev_kernel));
	if (bundle.initrd_size)
		r |= measure(MEASURE_PCR_INITRD, EV_IPL, base + bundle.initrd_off, bundle.initrd_size, ev_initrd,
			     (uint32_t)strlen(ev_initrd));
	size_t clen = strlen(bundle.cmdline);
	r |= measure(MEASURE_PCR_CMDLINE, EV_IPL, bundle.cmdline, clen, bundle.cmdline, (uint32_t)clen);
	if (r)
		panic("measured boot failed: refusing to boot an unmeasured guest");
	console_printf("mantle: measured Mantle (PCR %u), kernel (PCR %u), initrd (PCR %u), command line (PCR %u)\n",
		       MEASURE_PCR_MANTLE, MEASURE_PCR_KERNEL, MEASURE_PCR_INITRD, MEASURE_PCR_CMDLINE);
}

static const void *acpi_phys(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	/* The platform's tables are in low RAM or firmware ranges below 4 GiB, identity-mapped. */
	if (pa == 0 || len > (1ull << 32) || pa > (1ull << 32) - len)
		return NULL;
	return (const void *)(uintptr_t)pa;
}

/* The guest's ACPI: the platform's tables plus those devices registered, behind a new RSDP. Rebuilt
 * in the same place on every boot (the guest may have written over its copy). */
static uint64_t install_acpi(const struct boot_info *bi)
{
	const uint64_t bytes = 0x4000;
	static uint64_t area;
	uint64_t rsdp = bi->rsdp;

	if (acpi_extra_count() == 0 || bi->rsdp == 0)
		return bi->rsdp;
	if (!area)
		area = core_take_guest_firmware(bytes, MEM_ACPI_RECLAIM);
	enum acpi_status st = acpi_rebuild(bi->rsdp, acpi_phys, NULL, gpa_ptr(area), area, bytes,
					   acpi_extra_tables(), acpi_extra_count(), &rsdp);
	if (st != ACPI_OK)
		panic("cannot extend the platform's ACPI tables: %s", acpi_status_name(st));
	console_printf("mantle: guest ACPI: RSDP at %llx with %u added tables\n", (unsigned long long)rsdp,
		       acpi_extra_count());
	return rsdp;
}

static void load_linux(struct boot_info *bi, const uint8_t *base, uint64_t rsdp)
{
	struct linux_image li;
	const uint8_t *kernel = base + bundle.kernel_off;
	enum linux_status st = linux_parse(kernel, bundle.kernel_size, &li);

	if (st != LINUX_OK)
		panic("guest kernel: %s", linux_status_name(st));
	uint64_t kaddr = kernel_load_address(&li, bi);
	if (!guest_ram_free(kaddr, li.init_size))
		panic("guest kernel: no room for %u bytes at %llx", li.init_size, (unsigned long long)kaddr);
	memcpy(gpa_ptr(kaddr), kernel + li.pm_offset, li.pm_size);

	size_t clen = strlen(bundle.cmdline);
	if (clen > li.cmdline_size || clen >= GUEST_CMDLINE_MAX)
		panic("guest command line longer than the kernel accepts (%u)", li.cmdline_size);
	memcpy(gpa_ptr(GUEST_CMDLINE), bundle.cmdline, clen + 1);
	write_gdt();

	struct linux_placement pl = {
		.kernel_addr = kaddr,
		.cmdline_addr = GUEST_CMDLINE,
		.initrd_addr = bundle.initrd_size ? (uint64_t)(uintptr_t)base + bundle.initrd_off : 0,
		.initrd_size = bundle.initrd_size,
		.rsdp = rsdp,
		.e820 = guest_e820,
		.e820_count = build_e820(),
	};
	st = linux_build_boot_params(kernel, &li, &pl, zero_page);
	if (st != LINUX_OK)
		panic("guest boot_params: %s", linux_status_name(st));
	memcpy(gpa_ptr(GUEST_BOOT_PARAMS), zero_page, sizeof(zero_page));
	console_printf("mantle: guest: Linux boot protocol %u.%u, kernel %llu bytes at %llx (init_size %u), "
		       "initrd %llu bytes at %llx, %u e820 entries\n", li.version >> 8, li.version & 0xff,
		       (unsigned long long)li.pm_size, (unsigned long long)kaddr, li.init_size,
		       (unsigned long long)pl.initrd_size, (unsigned long long)pl.initrd_addr, pl.e820_count);
	console_printf("mantle: guest: command line \"%s\"\n", bundle.cmdline);
	initial_regs(&vp0.regs, kaddr);
}

static void print_exit_counts(const struct vp *vp)
{
	static const char *const names[VP_EXIT_KINDS] = {
		"none", "cpuid", "msr", "io", "mmio", "hlt", "hypercall", "shutdown", "exception",
		"unsupported", "failed",
	};

	console_printf("mantle: vp%u exits:", vp->id);
	for (uint32_t k = 0; k < VP_EXIT_KINDS; k++) {
		if (vp->exits[k])
			console_printf(" %s=%llu", names[k], (unsigned long long)vp->exits[k]);
	}
	console_printf("\n");
}

void guest_launch(struct boot_info *bi)
{
	char want[32] = "";

	if (bi->module_count == 0)
		return;
	const uint8_t *base = (const uint8_t *)(uintptr_t)bi->modules[0].base;
	enum bundle_status bst = bundle_parse(base, bi->modules[0].size, &bundle);
	if (bst != BUNDLE_OK)
		panic("boot module 0 is not a usable guest bundle: %s", bundle_status_name(bst));

	(void)cmdline_get(bi->cmdline, "mantle.tee", want, sizeof(want));
	const struct tee_backend *tee = tee_select(want);
	if (!tee)
		panic("no TEE backend fits this platform%s%s", want[0] ? " as " : "", want);
	console_printf("mantle: TEE backend: %s\n", tee->name);

	devices_init();
	uint64_t rsdp = install_acpi(bi);
	if (tee->init() != 0)
		panic("TEE backend %s failed to initialise", tee->name);

	/* Each pass is one boot of the guest; a guest that resets the platform gets a fresh boot of the
	 * same bundle (kept out of the guest's RAM, see e820_type) while Mantle and its devices' state,
	 * such as the vTPM's NV, carry on. */
	for (uint32_t boot = 0;; boot++) {
		if (boot) {
			console_printf("mantle: guest reset the platform; booting it again (boot %u)\n", boot + 1);
			devices_reset();
		}
		measure_guest(bi, base, tee->name);
		load_linux(bi, base, boot ? install_acpi(bi) : rsdp);
		void *tee_state = vp0.tee_state;
		vp0 = (struct vp){ .id = 0, .tee = tee, .tee_state = tee_state, .regs = vp0.regs };
		if (tee->vp_create(&vp0) != 0)
			panic("cannot create vCPU 0");
		if (!boot) {
			console_printf("mantle: starting the guest; its console is the serial port from here on\n");
			arch_console_handoff();
		}
		uint8_t status = vp_run_loop(&vp0);
		print_exit_counts(&vp0);
		if (vp0.reset)
			continue;
		console_printf("mantle: guest stopped with status %u\n", status);
		arch_exit_guest(status);
	}
}
