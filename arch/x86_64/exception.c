#include "arch/x86_64/exception.h"

#include "arch/x86_64/hw.h"
#include "core/arch.h"
#include "core/console.h"

/* Armed by x86_catch_call; cleared when the call returns or faults. */
struct x86_catch *volatile x86_catch_armed;

/* Vectors a backend took over (x86_set_vector_handler). */
static x86_vector_fn vector_fns[32];

void x86_set_vector_handler(unsigned vector, x86_vector_fn fn)
{
	if (vector < 32)
		vector_fns[vector] = fn;
}

static const char *const vector_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound range",
	"#UD invalid opcode", "#NM device not available", "#DF double fault", "coprocessor overrun",
	"#TS invalid TSS", "#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization", "#CP control protection", "reserved 22", "reserved 23",
	"reserved 24", "reserved 25", "reserved 26", "reserved 27", "#HV hypervisor injection",
	"#VC VMM communication", "#SX security", "reserved 31",
};

static void report(const struct x86_frame *f, const char *what, bool registers)
{
	const char *name = f->vector < 32 ? vector_names[f->vector] : "interrupt";

	console_printf_nolock("mantle: %s: vector %llu (%s) error code 0x%llx\n", what,
			      (unsigned long long)f->vector, name, (unsigned long long)f->error);
	if (!registers)
		return;
	console_printf_nolock("  rip %016llx  cs %04llx  rflags %016llx  rsp %016llx  ss %04llx\n",
			      (unsigned long long)f->rip, (unsigned long long)f->cs,
			      (unsigned long long)f->rflags, (unsigned long long)f->rsp,
			      (unsigned long long)f->ss);
	console_printf_nolock("  cr0 %016llx  cr2 %016llx  cr3 %016llx  cr4 %016llx\n",
			      (unsigned long long)hw_read_cr0(), (unsigned long long)hw_read_cr2(),
			      (unsigned long long)hw_read_cr3(), (unsigned long long)hw_read_cr4());
	console_printf_nolock("  rax %016llx  rbx %016llx  rcx %016llx  rdx %016llx\n",
			      (unsigned long long)f->rax, (unsigned long long)f->rbx,
			      (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	console_printf_nolock("  rsi %016llx  rdi %016llx  rbp %016llx  r8  %016llx\n",
			      (unsigned long long)f->rsi, (unsigned long long)f->rdi,
			      (unsigned long long)f->rbp, (unsigned long long)f->r8);
	console_printf_nolock("  r9  %016llx  r10 %016llx  r11 %016llx  r12 %016llx\n",
			      (unsigned long long)f->r9, (unsigned long long)f->r10,
			      (unsigned long long)f->r11, (unsigned long long)f->r12);
	console_printf_nolock("  r13 %016llx  r14 %016llx  r15 %016llx\n", (unsigned long long)f->r13,
			      (unsigned long long)f->r14, (unsigned long long)f->r15);
}

/* Resumes the interrupted x86_catch_call as if it had returned 1. */
static void resume_catch(struct x86_frame *f, struct x86_catch *c)
{
	c->vector = f->vector;
	c->error = f->error;
	c->rip = f->rip;
	c->cr2 = hw_read_cr2();
	f->rbx = c->rbx;
	f->rbp = c->rbp;
	f->r12 = c->r12;
	f->r13 = c->r13;
	f->r14 = c->r14;
	f->r15 = c->r15;
	f->rsp = c->rsp;
	f->rip = c->resume_rip;
	f->rax = 1;
}

void x86_exception(struct x86_frame *f)
{
	struct x86_catch *c = x86_catch_armed;

	/* Before the catcher: a self-test's own CPUID or port access under SNP raises #VC, which the
	 * backend must complete rather than the test see as a fault. */
	if (f->vector < 32 && vector_fns[f->vector]) {
		vector_fns[f->vector](f);
		return;
	}
	/* A double fault or machine check is never a self-test's expected outcome: the stack it would
	 * resume on may be the one that just overflowed. */
	if (c && f->vector != X86_VEC_DF && f->vector != X86_VEC_MC) {
		x86_catch_armed = NULL;
		report(f, "exception (expected by self-test)", c->verbose);
		resume_catch(f, c);
		return;
	}
	report(f, "EXCEPTION", true);
	console_printf_nolock("mantle: unexpected exception; stopping\n");
	arch_exit(MANTLE_EXIT_EXCEPTION);
}
