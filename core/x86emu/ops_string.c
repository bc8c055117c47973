/* x86emu string and port-I/O executors: MOVS/STOS/LODS/INS/OUTS (with REP/REPNE, which act alike on
 * these non-comparing forms) and IN/OUT.
 *
 * Registers (SDM Vol. 2 "MOVS", "INS", "OUTS"): the source is seg:rSI (DS unless overridden), the
 * destination ES:rDI (never overridden), the count rCX; the address size picks SI/ESI/RSI etc. Each
 * completed iteration commits rSI/rDI/rCX, so a fault mid-way leaves the state the CPU would.
 */
#include "core/x86emu/exec.h"

#define DEFAULT_REP_BUDGET 4096u

/* Port I/O is allowed outright in real mode and when CPL <= IOPL. Otherwise the CPU consults the TSS
 * I/O bitmap, which the emulator cannot see: refuse (docs/x86emu.md). */
static bool io_allowed(struct x86emu *emu, uint64_t rflags)
{
	if (rflags & X86EMU_FLAG_VM)
		return false; /* virtual-8086 mode: the bitmap decides even at IOPL 3 */
	if (emu->mode == X86EMU_MODE_REAL)
		return true;
	return x86emu_cpl(emu) <= ((rflags & X86EMU_FLAG_IOPL) >> 12);
}

static uint64_t le_load(const uint8_t *b, unsigned int size)
{
	uint64_t v = 0;
	for (unsigned int i = 0; i < size; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

static void le_store(uint8_t *b, uint64_t v, unsigned int size)
{
	for (unsigned int i = 0; i < size; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

/* One iteration at the given rSI/rDI. Only the first iteration probes the destination before a side
 * effect: later ones are covered by the stop-and-resume rule in x86emu_exec_string(). */
static enum x86emu_result string_step(struct x86emu *emu, const struct x86emu_insn *insn, uint64_t si,
				      uint64_t di, uint16_t port, bool first)
{
	unsigned int size = insn->opsize;
	uint8_t b[8];
	uint32_t v32;
	enum x86emu_result r;

	switch (insn->op) {
	case X86EMU_OP_MOVS:
		r = first ? x86emu_mem_probe_write(emu, X86EMU_ES, di, size) : X86EMU_DONE;
		if (r != X86EMU_DONE)
			return r;
		r = x86emu_mem_read(emu, insn, insn->seg, si, b, size, 0);
		if (r != X86EMU_DONE)
			return r;
		return x86emu_mem_write(emu, insn, X86EMU_ES, di, b, size);
	case X86EMU_OP_STOS:
		le_store(b, x86emu_gpr_read(emu, insn, X86EMU_RAX, size), size);
		return x86emu_mem_write(emu, insn, X86EMU_ES, di, b, size);
	case X86EMU_OP_LODS:
		r = x86emu_mem_read(emu, insn, insn->seg, si, b, size, 0);
		if (r == X86EMU_DONE)
			x86emu_gpr_write(emu, insn, X86EMU_RAX, size, le_load(b, size));
		return r;
	case X86EMU_OP_INS:
		r = first ? x86emu_mem_probe_write(emu, X86EMU_ES, di, size) : X86EMU_DONE;
		if (r != X86EMU_DONE)
			return r;
		r = emu->ops->io_in(emu->ctx, port, size, &v32, &emu->exc);
		if (r != X86EMU_DONE)
			return r;
		le_store(b, v32, size);
		return x86emu_mem_write(emu, insn, X86EMU_ES, di, b, size);
	case X86EMU_OP_OUTS:
		r = x86emu_mem_read(emu, insn, insn->seg, si, b, size, 0);
		if (r != X86EMU_DONE)
			return r;
		return emu->ops->io_out(emu->ctx, port, size, (uint32_t)le_load(b, size), &emu->exc);
	default:
		return X86EMU_UNHANDLEABLE;
	}
}

struct str_regs {
	uint64_t si, di, cx;
	uint32_t done; /* completed iterations */
};

/* Writes back rSI/rDI/rCX (address-size wide) after `done` completed iterations. */
static void str_commit(struct x86emu *emu, const struct x86emu_insn *insn, const struct str_regs *s)
{
	unsigned int as = insn->addrsize;

	if (s->done == 0)
		return;
	if (insn->op == X86EMU_OP_MOVS || insn->op == X86EMU_OP_LODS || insn->op == X86EMU_OP_OUTS)
		x86emu_gpr_write(emu, insn, X86EMU_RSI, as, s->si);
	if (insn->op == X86EMU_OP_MOVS || insn->op == X86EMU_OP_STOS || insn->op == X86EMU_OP_INS)
		x86emu_gpr_write(emu, insn, X86EMU_RDI, as, s->di);
	if (insn->rep)
		x86emu_gpr_write(emu, insn, X86EMU_RCX, as, s->cx);
}

/* Runs the iterations; registers are committed once on every way out. */
enum x86emu_result x86emu_exec_string(struct x86emu *emu, const struct x86emu_insn *insn)
{
	uint64_t amask = x86emu_size_mask(insn->addrsize), rflags = emu->ops->read_rflags(emu->ctx);
	uint64_t delta = (rflags & X86EMU_FLAG_DF) ? (uint64_t)0 - insn->opsize : insn->opsize;
	uint32_t budget = emu->rep_budget ? emu->rep_budget : DEFAULT_REP_BUDGET;
	struct str_regs s = {
		.si = emu->ops->read_gpr(emu->ctx, X86EMU_RSI) & amask,
		.di = emu->ops->read_gpr(emu->ctx, X86EMU_RDI) & amask,
		.cx = insn->rep ? emu->ops->read_gpr(emu->ctx, X86EMU_RCX) & amask : 1,
	};
	uint16_t port = 0;
	enum x86emu_result r = X86EMU_DONE;

	if (insn->op == X86EMU_OP_INS || insn->op == X86EMU_OP_OUTS) {
		if (!io_allowed(emu, rflags))
			return X86EMU_UNHANDLEABLE;
		port = (uint16_t)emu->ops->read_gpr(emu->ctx, X86EMU_RDX);
	}
	for (; s.cx != 0; s.done++) {
		if (s.done == budget) {
			emu->hold_rip = true; /* resume like an interrupted REP: RIP stays */
			break;
		}
		r = string_step(emu, insn, s.si, s.di, port, s.done == 0);
		if (r == X86EMU_UNHANDLEABLE && s.done > 0) {
			/* Earlier iterations are committed: stop like an interrupted REP, so the
			 * unhandleable iteration is reported, with nothing modified, when re-run. */
			emu->hold_rip = true;
			r = X86EMU_DONE;
			break;
		}
		if (r != X86EMU_DONE)
			break;
		s.cx--;
		s.si = (s.si + delta) & amask;
		s.di = (s.di + delta) & amask;
	}
	str_commit(emu, insn, &s);
	return r;
}

/* IN AL/AX/EAX, imm8|DX and OUT imm8|DX, AL/AX/EAX. */
enum x86emu_result x86emu_exec_port(struct x86emu *emu, const struct x86emu_insn *insn)
{
	unsigned int size = insn->opsize;
	uint16_t port = insn->form == X86EMU_F_PORT_I ? (uint16_t)(insn->imm & 0xff)
						       : (uint16_t)emu->ops->read_gpr(emu->ctx, X86EMU_RDX);
	uint32_t v;
	enum x86emu_result r;

	if (!io_allowed(emu, emu->ops->read_rflags(emu->ctx)))
		return X86EMU_UNHANDLEABLE;
	if (insn->op == X86EMU_OP_OUT)
		return emu->ops->io_out(emu->ctx, port, size,
					(uint32_t)x86emu_gpr_read(emu, insn, X86EMU_RAX, size), &emu->exc);
	r = emu->ops->io_in(emu->ctx, port, size, &v, &emu->exc);
	if (r == X86EMU_DONE)
		x86emu_gpr_write(emu, insn, X86EMU_RAX, size, v);
	return r;
}
