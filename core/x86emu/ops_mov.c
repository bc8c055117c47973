/* x86emu data-movement executors: MOV (all forms), MOVNTI, MOVZX/MOVSX/MOVSXD, XCHG, CMPXCHG, MOVBE. */
#include "core/x86emu/alu.h"
#include "core/x86emu/exec.h"

static uint64_t bswap(uint64_t v, unsigned int size)
{
	uint64_t r = 0;
	for (unsigned int i = 0; i < size; i++)
		r |= ((v >> (8 * i)) & 0xff) << (8 * (size - 1 - i));
	return r;
}

static enum x86emu_result mov_moffs(struct x86emu *emu, const struct x86emu_insn *insn)
{
	unsigned int size = insn->opsize;
	uint64_t off = insn->imm & x86emu_size_mask(insn->addrsize), v;
	uint8_t b[8];
	enum x86emu_result r;

	if (insn->form == X86EMU_F_MA) {
		v = x86emu_gpr_read(emu, insn, X86EMU_RAX, size);
		for (unsigned int i = 0; i < size; i++)
			b[i] = (uint8_t)(v >> (8 * i));
		return x86emu_mem_write(emu, insn, insn->seg, off, b, size);
	}
	r = x86emu_mem_read(emu, insn, insn->seg, off, b, size, 0);
	if (r != X86EMU_DONE)
		return r;
	v = 0;
	for (unsigned int i = 0; i < size; i++)
		v |= (uint64_t)b[i] << (8 * i);
	x86emu_gpr_write(emu, insn, X86EMU_RAX, size, v);
	return X86EMU_DONE;
}

/* MOV r/m,r; MOV r,r/m; MOV r/m,imm; MOV r,imm; MOV moffs forms; MOVNTI m,r. */
enum x86emu_result x86emu_exec_mov(struct x86emu *emu, const struct x86emu_insn *insn)
{
	unsigned int size = insn->opsize;
	uint64_t v;
	enum x86emu_result r;

	switch (insn->form) {
	case X86EMU_F_EG:
		return x86emu_rm_write(emu, insn, size, x86emu_gpr_read(emu, insn, insn->modrm_reg, size));
	case X86EMU_F_GE:
		r = x86emu_rm_read(emu, insn, size, 0, &v);
		if (r == X86EMU_DONE)
			x86emu_gpr_write(emu, insn, insn->modrm_reg, size, v);
		return r;
	case X86EMU_F_EI:
		return x86emu_rm_write(emu, insn, size, insn->imm);
	case X86EMU_F_OI:
		x86emu_gpr_write(emu, insn, (insn->opc & 7u) | ((insn->rex & 1u) << 3), size, insn->imm);
		return X86EMU_DONE;
	case X86EMU_F_AM:
	case X86EMU_F_MA:
		return mov_moffs(emu, insn);
	default:
		return X86EMU_UNHANDLEABLE;
	}
}

/* MOVZX/MOVSX (0F B6/B7/BE/BF: byte or word source) and MOVSXD (63: dword source). */
enum x86emu_result x86emu_exec_movx(struct x86emu *emu, const struct x86emu_insn *insn)
{
	unsigned int size = insn->opsize, ssize;
	uint64_t v;
	enum x86emu_result r;

	if (insn->op == X86EMU_OP_MOVSXD)
		ssize = 4; /* 66 63 (MOVSXD r16) still reads 32 bits on the host CPU (its #AC shows it) */
	else
		ssize = (insn->opc & 1) ? 2 : 1;
	r = x86emu_rm_read(emu, insn, ssize, 0, &v);
	if (r != X86EMU_DONE)
		return r;
	if (insn->op != X86EMU_OP_MOVZX)
		v = x86emu_sext(v, ssize);
	x86emu_gpr_write(emu, insn, insn->modrm_reg, size, v);
	return X86EMU_DONE;
}

/* XCHG r/m, r: memory is written before the register so a fault leaves registers untouched. */
enum x86emu_result x86emu_exec_xchg(struct x86emu *emu, const struct x86emu_insn *insn)
{
	unsigned int size = insn->opsize;
	uint64_t old, reg = x86emu_gpr_read(emu, insn, insn->modrm_reg, size);
	enum x86emu_result r;

	r = x86emu_rm_read(emu, insn, size, X86EMU_ACC_WRITE, &old);
	if (r != X86EMU_DONE)
		return r;
	r = x86emu_rm_write(emu, insn, size, reg);
	if (r != X86EMU_DONE)
		return r;
	x86emu_gpr_write(emu, insn, insn->modrm_reg, size, old);
	return X86EMU_DONE;
}

/* CMPXCHG r/m, r (SDM Vol. 2 "CMPXCHG"): flags as CMP accumulator, destination. Equal: destination
 * <- source. Not equal: accumulator <- destination, and a memory destination is written back with
 * its own value (the processor always writes). */
enum x86emu_result x86emu_exec_cmpxchg(struct x86emu *emu, const struct x86emu_insn *insn)
{
	unsigned int size = insn->opsize;
	uint64_t dst, fl, acc = x86emu_gpr_read(emu, insn, X86EMU_RAX, size);
	uint64_t src = x86emu_gpr_read(emu, insn, insn->modrm_reg, size);
	enum x86emu_result r;

	r = x86emu_rm_read(emu, insn, size, X86EMU_ACC_WRITE, &dst);
	if (r != X86EMU_DONE)
		return r;
	(void)x86emu_alu(X86EMU_OP_CMP, size, acc, dst, 0, &fl);
	bool eq = (fl & X86EMU_FLAG_ZF) != 0;
	if (eq || insn->mem) {
		r = x86emu_rm_write(emu, insn, size, eq ? src : dst);
		if (r != X86EMU_DONE)
			return r;
	}
	if (!eq)
		x86emu_gpr_write(emu, insn, X86EMU_RAX, size, dst);
	x86emu_flags_update(emu, X86EMU_FLAGS_ARITH, fl);
	return X86EMU_DONE;
}

/* MOVBE r, m (0F 38 F0) and MOVBE m, r (0F 38 F1): byte-swapped load/store of 16/32/64 bits. */
enum x86emu_result x86emu_exec_movbe(struct x86emu *emu, const struct x86emu_insn *insn)
{
	unsigned int size = insn->opsize;
	uint64_t v;
	enum x86emu_result r;

	if (insn->form == X86EMU_F_EG)
		return x86emu_rm_write(emu, insn, size,
				       bswap(x86emu_gpr_read(emu, insn, insn->modrm_reg, size), size));
	r = x86emu_rm_read(emu, insn, size, 0, &v);
	if (r == X86EMU_DONE)
		x86emu_gpr_write(emu, insn, insn->modrm_reg, size, bswap(v, size));
	return r;
}
