/* EL2 exception reporting. vectors.S saves a struct arch_frame on the exception stack (SP_EL2) and
 * calls arch_exception(). Three outcomes:
 *  - the semihosting HLT faulted because semihosting is off: return ~0 to the caller;
 *  - a synchronous exception while arch_catch_call() is armed (a self-test probe): print the report
 *    marked "expected by self-test" and resume at arch_catch_resume with the ESR as result;
 *  - anything else: print the report and end the run with MANTLE_EXIT_EXCEPTION.
 */
#include "core/arch.h"
#include "core/console.h"

#include "arch/aarch64/aarch64.h"
#include "arch/aarch64/hw.h"

/* Exception classes, ESR_ELx.EC (Arm ARM DDI 0487, D17.2.37). */
static const char *const ec_names[64] = {
	[0x00] = "unknown reason (undefined instruction)",
	[0x01] = "WFI/WFE",
	[0x03] = "MCR/MRC cp15",
	[0x04] = "MCRR/MRRC cp15",
	[0x05] = "MCR/MRC cp14",
	[0x06] = "LDC/STC cp14",
	[0x07] = "SVE/SIMD/FP access",
	[0x0a] = "LD64B/ST64B",
	[0x0c] = "MRRC cp14",
	[0x0d] = "branch target exception",
	[0x0e] = "illegal execution state",
	[0x11] = "SVC (AArch32)",
	[0x12] = "HVC (AArch32)",
	[0x13] = "SMC (AArch32)",
	[0x15] = "SVC (AArch64)",
	[0x16] = "HVC (AArch64)",
	[0x17] = "SMC (AArch64)",
	[0x18] = "MSR/MRS/system instruction",
	[0x19] = "SVE access",
	[0x1a] = "ERET/ERETAA/ERETAB",
	[0x1c] = "pointer authentication failure",
	[0x20] = "instruction abort from lower EL",
	[0x21] = "instruction abort at current EL",
	[0x22] = "PC alignment fault",
	[0x24] = "data abort from lower EL",
	[0x25] = "data abort at current EL",
	[0x26] = "SP alignment fault",
	[0x28] = "FP exception (AArch32)",
	[0x2c] = "FP exception (AArch64)",
	[0x2f] = "SError",
	[0x30] = "breakpoint from lower EL",
	[0x31] = "breakpoint at current EL",
	[0x32] = "software step from lower EL",
	[0x33] = "software step at current EL",
	[0x34] = "watchpoint from lower EL",
	[0x35] = "watchpoint at current EL",
	[0x38] = "BKPT (AArch32)",
	[0x3a] = "vector catch (AArch32)",
	[0x3c] = "BRK (AArch64)",
};

static const char *const kind_names[4] = { "synchronous", "IRQ", "FIQ", "SError" };
static const char *const origin_names[4] = {
	"current EL with SP_EL0", "current EL with SP_EL2", "lower EL (AArch64)", "lower EL (AArch32)",
};

const char *aarch64_ec_name(uint64_t ec)
{
	const char *n = ec < 64 ? ec_names[ec] : NULL;

	return n ? n : "reserved/unallocated";
}

/* DFSC/IFSC of an abort (Arm ARM D17.2.37, ISS encoding for data/instruction aborts). */
static const char *fsc_name(uint64_t fsc)
{
	switch (fsc & 0x3c) {
	case 0x00: return "address size fault";
	case 0x04: return "translation fault";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	default: break;
	}
	switch (fsc) {
	case 0x10: return "synchronous external abort";
	case 0x21: return "alignment fault";
	case 0x30: return "TLB conflict abort";
	default: return "other fault";
	}
}

static bool is_abort(uint64_t ec)
{
	return ec == ESR_EC_IABT_LOW || ec == ESR_EC_IABT_CUR || ec == ESR_EC_DABT_LOW ||
	       ec == ESR_EC_DABT_CUR;
}

static bool in_range(uint64_t a, const char *lo, const char *hi)
{
	return a >= (uint64_t)(uintptr_t)lo && a < (uint64_t)(uintptr_t)hi;
}

static void report(const struct arch_frame *fr, bool expected)
{
	uint64_t ec = ESR_EC(fr->esr);
	/* SPSR_EL2.M[0] selects the interrupted stack: 0 = SP_EL0 (EL2t), 1 = SP_EL2 (EL2h). */
	uint64_t sp = (fr->kind < 8 && (fr->spsr & 1)) ? fr->sp_elx : fr->sp_el0;

	console_printf_nolock("mantle: %s %s at EL2: ESR_EL2=0x%08lx EC=0x%02lx (%s) ELR_EL2=0x%016lx "
			      "FAR_EL2=0x%016lx\n",
			      expected ? "exception (expected by self-test)" : "EXCEPTION",
			      kind_names[fr->kind & 3], fr->esr, ec, aarch64_ec_name(ec), fr->elr, fr->far);
	console_printf_nolock("mantle:   taken from %s; SPSR_EL2=0x%08lx SP=0x%016lx ISS=0x%07lx\n",
			      origin_names[(fr->kind >> 2) & 3], fr->spsr, sp, ESR_ISS(fr->esr));
	if (is_abort(ec)) {
		uint64_t fsc = ESR_FSC(fr->esr);
		bool data = ec == ESR_EC_DABT_LOW || ec == ESR_EC_DABT_CUR;
		console_printf_nolock("mantle:   %s abort: FSC=0x%02lx (%s, level %d)%s\n",
				      data ? "data" : "instruction", fsc, fsc_name(fsc), (int)(fsc & 3),
				      data ? ((fr->esr & ESR_WNR) ? ", write" : ", read") : "");
	}
	if (in_range(fr->far, __boot_stack_guard, __boot_stack_bottom))
		console_printf_nolock("mantle:   FAR is in the guard page below the boot stack (a stack overflow)\n");
	else if (in_range(fr->far, __exc_stack_guard, __exc_stack_bottom))
		console_printf_nolock("mantle:   FAR is in the guard page below the exception stack\n");
	for (int i = 0; i < 28; i += 4)
		console_printf_nolock("mantle:   x%-2d=%016lx x%-2d=%016lx x%-2d=%016lx x%-2d=%016lx\n", i,
				      fr->x[i], i + 1, fr->x[i + 1], i + 2, fr->x[i + 2], i + 3, fr->x[i + 3]);
	console_printf_nolock("mantle:   x28=%016lx x29=%016lx x30=%016lx sp =%016lx\n", fr->x[28],
			      fr->x[29], fr->x[30], sp);
}

void arch_exception(struct arch_frame *fr)
{
	static volatile int depth;
	bool sync = (fr->kind & 3) == 0;
	uint64_t ec = ESR_EC(fr->esr);

	if (sync && ec == ESR_EC_UNKNOWN && fr->elr == (uint64_t)(uintptr_t)arch_semihost_insn) {
		fr->x[0] = ~0ull;  /* semihosting disabled: HLT is undefined */
		fr->elr += 4;
		return;
	}
	if (++depth > 1) {
		/* A fault while reporting a fault: say the minimum and stop. */
		console_printf_nolock("mantle: EXCEPTION inside the exception handler: ESR_EL2=0x%08lx "
				      "ELR_EL2=0x%016lx FAR_EL2=0x%016lx\n", fr->esr, fr->elr, fr->far);
		arch_exit(MANTLE_EXIT_EXCEPTION);
	}
	if (sync && fr->kind < 4 && arch_catch_ctx.armed) {
		report(fr, true);
		arch_catch_ctx.esr = fr->esr;
		arch_catch_ctx.far = fr->far;
		arch_catch_ctx.armed = 0;
		fr->elr = (uint64_t)(uintptr_t)arch_catch_resume;
		depth--;
		return;
	}
	report(fr, false);
	arch_exit(MANTLE_EXIT_EXCEPTION);
}
