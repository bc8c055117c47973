/* tguest's checks. The real-mode half ran in entry.S and recorded its results in rm_results; this
 * file judges them, then runs the long-mode checks, the CPUID bench loop, and reports the number of
 * failed checks through Mantle's guest exit port. Every expectation comes from Mantle's guest
 * interface (docs/guest-interface.md) or the architecture (SDM, APM). */
#include "tguest.h"

/* Mantle's CPUID leaves (docs/guest-interface.md). */
#define LEAF_MANTLE 0x40000000u
#define LEAF_ISOLATION 0x40000002u
#define MANTLE_MAX_LEAF 0x40000002u
#define SIG_EBX 0x746e614du	/* "Mant" */
#define SIG_ECX 0x5650656cu	/* "lePV" */
#define SIG_EDX 0x726f7369u	/* "isor" */
/* Leaf 1 ECX (SDM vol. 2, CPUID) and 0x80000001 ECX (APM vol. 3, E.4.2). */
#define L1_ECX_VMX (1u << 5)
#define L1_ECX_XSAVE (1u << 26)
#define L1_ECX_OSXSAVE (1u << 27)
#define L1_ECX_HYPERVISOR (1u << 31)
#define EXT1_ECX_SVM (1u << 2)
#define CR4_OSXSAVE (1ull << 18)

/* EFER (APM vol. 2, 3.1.7) and the SVM MSRs (APM vol. 2, 15.30). */
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define EFER_SVME (1ull << 12)
#define EFER_RESERVED_63 (1ull << 63)
#define MSR_VM_CR 0xc0010114u
#define MSR_VM_HSAVE_PA 0xc0010117u

#define VEC_UD 6
#define VEC_GP 13
#define ALL_ONES 0xffffffffffffffffull
/* Neither RAM nor reserved: not in the nested tables, so Mantle emulates it as unbacked. */
#define UNBACKED_GPA 0x4000000000ull
/* Mantle's image (its link address); tguest.hidden= on the command line overrides it. */
#define HIDDEN_GPA_DEFAULT 0x1000000ull
#define BENCH_DEFAULT 200000u
#define STATUS_MAX 60u

static unsigned checks_run, checks_failed;

static void check(const char *mode, const char *name, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* One line per check: "tguest: MODE: NAME: ok", or "...: FAIL: what was seen". */
static void check(const char *mode, const char *name, bool ok, const char *fmt, ...)
{
	va_list ap;

	checks_run++;
	if (ok) {
		tg_printf("tguest: %s: %s: ok\n", mode, name);
		return;
	}
	checks_failed++;
	tg_printf("tguest: %s: %s: FAIL: ", mode, name);
	va_start(ap, fmt);
	tg_vprintf(fmt, ap);
	va_end(ap);
	tg_printf("\n");
}

struct regs4 {
	uint32_t a, b, c, d;
};

static struct regs4 cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct regs4 r;

	__asm__ volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d) : "a"(leaf), "c"(subleaf));
	return r;
}

static bool is_mantle_signature(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	return a == MANTLE_MAX_LEAF && b == SIG_EBX && c == SIG_ECX && d == SIG_EDX;
}

/* An instruction that may fault: tguest_isr resumes at label 1 with tg_caught set, and records the
 * faulting RIP, which must be the instruction's own address (label 2). */
#define TRY_ASM(insn, addr, ...)                                                                     \
	__asm__ volatile("leaq 1f(%%rip), %%r11\n\t"                                              \
			 "movq %%r11, tg_resume(%%rip)\n\t"                                       \
			 "leaq 2f(%%rip), %[at]\n"                                                \
			 "2:\t" insn "\n"                                                         \
			 "1:\tmovq $0, tg_resume(%%rip)"                                          \
			 : [at] "=&r"(addr), __VA_ARGS__)

static int try_rdmsr(uint32_t msr, uint64_t *val, uint64_t *at)
{
	uint32_t lo = 0, hi = 0;

	tg_caught = -1;
	TRY_ASM("rdmsr", *at, "+a"(lo), "+d"(hi) : "c"(msr) : "r11", "memory");
	*val = (uint64_t)hi << 32 | lo;
	return tg_caught;
}

static int try_wrmsr(uint32_t msr, uint64_t val, uint64_t *at)
{
	tg_caught = -1;
	TRY_ASM("wrmsr", *at, "+a"((uint32_t){ (uint32_t)val }) : "c"(msr), "d"((uint32_t)(val >> 32))
		: "r11", "memory");
	return tg_caught;
}

/* The SVM instructions take RAX (a VMCB or the SKINIT SLB); 0 is as good as any: they never run. */
#define TRY_SVM_INSN(insn, at)                                                                     \
	({                                                                                         \
		tg_caught = -1;                                                                    \
		TRY_ASM(insn, at, "+a"((uint64_t){ 0 })::"r11", "memory");                         \
		tg_caught;                                                                         \
	})

static void check_fault(const char *mode, const char *name, int want, int vec, uint64_t at)
{
	if (vec < 0) {
		check(mode, name, false, "no exception at rip %lx, expected vector %d", (unsigned long)at, want);
		return;
	}
	check(mode, name, vec == want && tg_fault_rip == at, "vector %d at rip %lx, expected %d at %lx", vec,
	      (unsigned long)tg_fault_rip, want, (unsigned long)at);
}

static void real_mode_results(void)
{
	const struct rm_results *r = &rm_results;
	uint16_t after_hlt = (uint16_t)(uintptr_t)rm_after_hlt, vmmcall = (uint16_t)(uintptr_t)rm_vmmcall;

	check("real", "cpuid-signature", is_mantle_signature(r->cpuid[0], r->cpuid[1], r->cpuid[2], r->cpuid[3]),
	      "leaf 0x40000000 = %x %x %x %x", r->cpuid[0], r->cpuid[1], r->cpuid[2], r->cpuid[3]);
	check("real", "io-in8-exit-port", r->in8 == 0x5aff, "AX %x after AX = 0x5a00; IN AL, 0xf5", r->in8);
	check("real", "io-in16-exit-port", r->in16 == 0xffff, "AX %x after IN AX, 0xf5", r->in16);
	check("real", "msr-efer-svme-hidden", !(r->efer & (EFER_SVME | EFER_LMA)), "EFER %lx",
	      (unsigned long)r->efer);
	check("real", "hlt-pit-wakeup", r->ticks >= 1 && r->irq_ip == after_hlt,
	      "%u IRQ0s, the last at ip %x; HLT is followed by %x", r->ticks, r->irq_ip, after_hlt);
	check("real", "vmmcall-ud", r->caught == VEC_UD && r->fault_ip == vmmcall && !r->fell_through,
	      "vector %u at ip %x (VMMCALL at %x)%s", r->caught, r->fault_ip, vmmcall,
	      r->fell_through ? ", VMMCALL completed" : "");
}

static void long_cpuid(void)
{
	struct regs4 s = cpuid(LEAF_MANTLE, 0), iso = cpuid(LEAF_ISOLATION, 0), l1 = cpuid(1, 0);

	check("long", "cpuid-signature", is_mantle_signature(s.a, s.b, s.c, s.d), "leaf 0x40000000 = %x %x %x %x",
	      s.a, s.b, s.c, s.d);
	check("long", "cpuid-isolation-leaf", (iso.a & 1) && (iso.b & 0xf) == 0 && !iso.c && !iso.d,
	      "leaf 0x40000002 = %x %x %x %x (paravisor bit, isolation type none)", iso.a, iso.b, iso.c, iso.d);
	check("long", "cpuid-hypervisor-bit", l1.c & L1_ECX_HYPERVISOR, "leaf 1 ECX %x", l1.c);
	check("long", "cpuid-vmx-hidden", !(l1.c & L1_ECX_VMX), "leaf 1 ECX %x", l1.c);

	/* OSXSAVE mirrors the guest's CR4.OSXSAVE, not Mantle's. */
	bool osx_ok = !(l1.c & L1_ECX_OSXSAVE);
	uint32_t with = 0;
	if (l1.c & L1_ECX_XSAVE) {
		uint64_t cr4;
		__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
		__asm__ volatile("mov %0, %%cr4" ::"r"(cr4 | CR4_OSXSAVE));
		with = cpuid(1, 0).c;
		__asm__ volatile("mov %0, %%cr4" ::"r"(cr4));
		osx_ok = osx_ok && (with & L1_ECX_OSXSAVE);
	}
	check("long", "cpuid-osxsave-follows-cr4", osx_ok, "leaf 1 ECX %x with CR4.OSXSAVE clear, %x set", l1.c,
	      with);

	struct regs4 e1 = cpuid(0x80000001u, 0), svm = cpuid(0x8000000au, 0), sev = cpuid(0x8000001fu, 0);
	check("long", "cpuid-svm-hidden", !(e1.c & EXT1_ECX_SVM), "leaf 0x80000001 ECX %x", e1.c);
	check("long", "cpuid-svm-leaf-zero", !(svm.a | svm.b | svm.c | svm.d), "leaf 0x8000000a = %x %x %x %x",
	      svm.a, svm.b, svm.c, svm.d);
	check("long", "cpuid-sev-leaf-zero", !(sev.a | sev.b | sev.c | sev.d), "leaf 0x8000001f = %x %x %x %x",
	      sev.a, sev.b, sev.c, sev.d);
}

static void long_msr(void)
{
	uint64_t efer = 0, v = 0, at = 0;
	int vec = try_rdmsr(MSR_EFER, &efer, &at);

	check("long", "msr-efer-read", vec < 0 && (efer & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA) &&
	      !(efer & EFER_SVME), "vector %d, EFER %lx (want LME, LMA, no SVME)", vec, (unsigned long)efer);
	vec = try_wrmsr(MSR_EFER, efer, &at);
	check("long", "msr-efer-write-same", vec < 0, "vector %d", vec);
	vec = try_wrmsr(MSR_EFER, efer | EFER_NXE, &at);
	int vec2 = try_rdmsr(MSR_EFER, &v, &at);
	(void)try_wrmsr(MSR_EFER, efer, &at);
	check("long", "msr-efer-write-nxe", vec < 0 && vec2 < 0 && (v & EFER_NXE), "vectors %d/%d, EFER %lx",
	      vec, vec2, (unsigned long)v);
	vec = try_wrmsr(MSR_EFER, efer | EFER_SVME, &at);
	check_fault("long", "msr-efer-write-svme-gp", VEC_GP, vec, at);
	vec = try_wrmsr(MSR_EFER, efer & ~EFER_LME, &at);
	check_fault("long", "msr-efer-clear-lme-with-paging-gp", VEC_GP, vec, at);
	vec = try_wrmsr(MSR_EFER, efer | EFER_RESERVED_63, &at);
	check_fault("long", "msr-efer-reserved-bit-gp", VEC_GP, vec, at);
	vec = try_rdmsr(MSR_EFER, &v, &at);
	check("long", "msr-efer-unchanged", vec < 0 && v == efer, "vector %d, EFER %lx, was %lx", vec,
	      (unsigned long)v, (unsigned long)efer);
	vec = try_rdmsr(MSR_VM_HSAVE_PA, &v, &at);
	check_fault("long", "msr-vm-hsave-pa-read-gp", VEC_GP, vec, at);
	vec = try_wrmsr(MSR_VM_HSAVE_PA, 0x100000, &at);
	check_fault("long", "msr-vm-hsave-pa-write-gp", VEC_GP, vec, at);
	vec = try_rdmsr(MSR_VM_CR, &v, &at);
	check_fault("long", "msr-vm-cr-read-gp", VEC_GP, vec, at);
}

static void long_io(void)
{
	uint64_t a8 = 0x1122334455667700ull, a16 = 0x1122334455660000ull, a32 = 0x1122334455667788ull;

	__asm__ volatile("inb %1, %%al" : "+a"(a8) : "i"(EXIT_PORT_READ));
	__asm__ volatile("inw %1, %%ax" : "+a"(a16) : "i"(EXIT_PORT_READ));
	__asm__ volatile("inl %1, %%eax" : "+a"(a32) : "i"(EXIT_PORT_READ));
	check("long", "io-in8-exit-port", a8 == 0x11223344556677ffull, "RAX %lx", (unsigned long)a8);
	check("long", "io-in16-exit-port", a16 == 0x112233445566ffffull, "RAX %lx", (unsigned long)a16);
	/* A 32-bit IN zero-extends into RAX (SDM vol. 1, 3.4.1.1). */
	check("long", "io-in32-exit-port", a32 == 0xffffffffull, "RAX %lx", (unsigned long)a32);
}

static uint64_t rd64(uint64_t a)
{
	uint64_t v;

	__asm__ volatile("movq (%1), %0" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static void wr64(uint64_t a, uint64_t v)
{
	__asm__ volatile("movq %0, (%1)" ::"r"(v), "r"(a) : "memory");
}

static void long_mmio(void)
{
	uint64_t u = UNBACKED_GPA, h = cmdline_number("tguest.hidden", HIDDEN_GPA_DEFAULT);
	uint32_t r32;
	uint16_t r16;
	uint8_t r8;

	uint64_t r64 = rd64(u);
	check("long", "mmio-unbacked-read64", r64 == ALL_ONES, "%lx", (unsigned long)r64);
	__asm__ volatile("movl (%1), %0" : "=r"(r32) : "r"(u + 4) : "memory");
	__asm__ volatile("movw (%1), %0" : "=r"(r16) : "r"(u + 2) : "memory");
	__asm__ volatile("movb (%1), %0" : "=q"(r8) : "r"(u + 1) : "memory");
	check("long", "mmio-unbacked-read-sizes", r32 == 0xffffffffu && r16 == 0xffff && r8 == 0xff,
	      "32-bit %x, 16-bit %x, 8-bit %x", r32, r16, r8);
	wr64(u, 0x0123456789abcdefull);
	r64 = rd64(u);
	check("long", "mmio-unbacked-write-dropped", r64 == ALL_ONES, "read back %lx", (unsigned long)r64);

	r64 = rd64(h);
	check("long", "mmio-hidden-read", r64 == ALL_ONES, "%lx at %lx", (unsigned long)r64, (unsigned long)h);
	wr64(h, 0x5a5a5a5a5a5a5a5aull);
	r64 = rd64(h);
	check("long", "mmio-hidden-write-dropped", r64 == ALL_ONES, "read back %lx at %lx", (unsigned long)r64,
	      (unsigned long)h);

	/* SSE: the emulator moves the XMM register itself (CR4.OSFXSR is set by entry.S). No XMM clobber
	 * is declared: tguest's C is built with -mgeneral-regs-only, so nothing else uses XMM0. */
	uint64_t xmm[2] = { 1, 2 };
	__asm__ volatile("pxor %%xmm0, %%xmm0\n\t"
			 "movdqu (%0), %%xmm0\n\t"
			 "movdqu %%xmm0, (%1)" ::"r"(u), "r"(xmm) : "memory");
	check("long", "mmio-sse-movdqu-load", xmm[0] == ALL_ONES && xmm[1] == ALL_ONES, "XMM0 %lx:%lx",
	      (unsigned long)xmm[1], (unsigned long)xmm[0]);
	__asm__ volatile("pxor %%xmm0, %%xmm0\n\t"
			 "movdqu %%xmm0, (%0)" ::"r"(u) : "memory");
	r64 = rd64(u);
	check("long", "mmio-sse-movdqu-store-dropped", r64 == ALL_ONES, "read back %lx", (unsigned long)r64);
}

static void long_hlt(void)
{
	uint64_t after;

	tg_ticks = 0;
	tg_irq_rip = 0;
	pit_oneshot(PIT_COUNT);
	pic_mask(0xfe);
	/* STI's interrupt shadow covers HLT, so the interrupt always finds the CPU halted. */
	__asm__ volatile("leaq 1f(%%rip), %0\n\tsti\n\thlt\n1:\tcli" : "=r"(after)::"memory");
	pic_mask(0xff);
	check("long", "hlt-pit-wakeup", tg_ticks >= 1 && tg_irq_rip == after,
	      "%u IRQ0s, the last at rip %lx; HLT is followed by %lx", tg_ticks, (unsigned long)tg_irq_rip,
	      (unsigned long)after);
}

static void long_illegal(void)
{
	uint64_t at = 0;
	int vec;

	vec = TRY_SVM_INSN("vmrun", at);
	check_fault("long", "vmrun-ud", VEC_UD, vec, at);
	vec = TRY_SVM_INSN("vmmcall", at);
	check_fault("long", "vmmcall-ud", VEC_UD, vec, at);
	vec = TRY_SVM_INSN("vmload", at);
	check_fault("long", "vmload-ud", VEC_UD, vec, at);
	vec = TRY_SVM_INSN("vmsave", at);
	check_fault("long", "vmsave-ud", VEC_UD, vec, at);
	vec = TRY_SVM_INSN("stgi", at);
	check_fault("long", "stgi-ud", VEC_UD, vec, at);
	vec = TRY_SVM_INSN("clgi", at);
	check_fault("long", "clgi-ud", VEC_UD, vec, at);
	vec = TRY_SVM_INSN("skinit", at);
	check_fault("long", "skinit-ud", VEC_UD, vec, at);
}

/* N CPUIDs of Mantle's leaf between two console lines the host timestamps (tests/bench). */
static void bench(void)
{
	uint32_t n = (uint32_t)cmdline_number("tguest.bench", BENCH_DEFAULT), wrong = 0;

	tg_printf("tguest: bench-start %u\n", n);
	for (uint32_t i = 0; i < n; i++)
		wrong += cpuid(LEAF_MANTLE, 0).b != SIG_EBX;
	tg_printf("tguest: bench-end %u\n", n);
	check("bench", "cpuid-loop", wrong == 0, "%u of %u CPUIDs returned another signature", wrong, n);
}

void tguest_main(void)
{
	idt_init();
	real_mode_results();
	long_cpuid();
	long_msr();
	long_io();
	long_mmio();
	long_hlt();
	long_illegal();
	bench();
	tg_printf("tguest: %u checks run\n", checks_run);
	tg_printf("tguest: %u checks failed\n", checks_failed);
	tg_exit((uint8_t)(checks_failed > STATUS_MAX ? STATUS_MAX : checks_failed));
}
