/* x86emu integer ALU and bit-test executors. */
#include "core/x86emu/alu.h"
#include "core/x86emu/exec.h"

static uint64_t flags_szp(uint64_t res, unsigned int size)
{
	uint8_t p = (uint8_t)res;
	uint64_t f = 0;

	p ^= (uint8_t)(p >> 4);
	p ^= (uint8_t)(p >> 2);
	p ^= (uint8_t)(p >> 1);
	if (!(p & 1))
		f |= X86EMU_FLAG_PF; /* even number of set bits in the low byte */
	if (res == 0)
		f |= X86EMU_FLAG_ZF;
	if (res >> (8 * size - 1) & 1)
		f |= X86EMU_FLAG_SF;
	return f;
}

static uint64_t alu_add(unsigned int size, uint64_t a, uint64_t b, uint64_t cin, uint64_t *fl)
{
	uint64_t m = x86emu_size_mask(size), sign = 1ull << (8 * size - 1);
	uint64_t res = (a + b + cin) & m;
	bool cf = size == 8 ? (res < a || (cin && res == a)) : (a + b + cin) > m;
	uint64_t f = flags_szp(res, size);

	if (cf)
		f |= X86EMU_FLAG_CF;
	if ((a ^ res) & (b ^ res) & sign)
		f |= X86EMU_FLAG_OF;
	if ((a ^ b ^ res) & 0x10)
		f |= X86EMU_FLAG_AF;
	*fl = f;
	return res;
}

static uint64_t alu_sub(unsigned int size, uint64_t a, uint64_t b, uint64_t bin, uint64_t *fl)
{
	uint64_t m = x86emu_size_mask(size), sign = 1ull << (8 * size - 1);
	uint64_t res = (a - b - bin) & m;
	uint64_t f = flags_szp(res, size);

	if (a < b || (bin && a == b))
		f |= X86EMU_FLAG_CF;
	if ((a ^ b) & (a ^ res) & sign)
		f |= X86EMU_FLAG_OF;
	if ((a ^ b ^ res) & 0x10)
		f |= X86EMU_FLAG_AF;
	*fl = f;
	return res;
}

uint64_t x86emu_alu(unsigned int op, unsigned int size, uint64_t a, uint64_t b, uint64_t flags_in,
		    uint64_t *flags_out)
{
	uint64_t m = x86emu_size_mask(size), cin = flags_in & X86EMU_FLAG_CF ? 1 : 0, res;

	a &= m;
	b &= m;
	switch (op) {
	case X86EMU_OP_ADD: return alu_add(size, a, b, 0, flags_out);
	case X86EMU_OP_ADC: return alu_add(size, a, b, cin, flags_out);
	case X86EMU_OP_SUB: case X86EMU_OP_CMP: return alu_sub(size, a, b, 0, flags_out);
	case X86EMU_OP_SBB: return alu_sub(size, a, b, cin, flags_out);
	case X86EMU_OP_OR: res = a | b; break;
	case X86EMU_OP_XOR: res = a ^ b; break;
	default: res = a & b; break; /* AND, TEST */
	}
	*flags_out = flags_szp(res, size);
	return res;
}

/* ALU forms: E,G / G,E / E,imm / acc,imm. CMP and TEST write only flags. */
enum x86emu_result x86emu_exec_alu(struct x86emu *emu, const struct x86emu_insn *insn)
{
	unsigned int size = insn->opsize, op = insn->op;
	bool writes = op != X86EMU_OP_CMP && op != X86EMU_OP_TEST;
	uint64_t dst, src, res, fl;
	enum x86emu_result r;

	switch (insn->form) {
	case X86EMU_F_EG:
	case X86EMU_F_EI:
		r = x86emu_rm_read(emu, insn, size, writes ? X86EMU_ACC_WRITE : 0, &dst);
		if (r != X86EMU_DONE)
			return r;
		src = insn->form == X86EMU_F_EG ? x86emu_gpr_read(emu, insn, insn->modrm_reg, size) : insn->imm;
		break;
	case X86EMU_F_GE:
		r = x86emu_rm_read(emu, insn, size, 0, &src);
		if (r != X86EMU_DONE)
			return r;
		dst = x86emu_gpr_read(emu, insn, insn->modrm_reg, size);
		break;
	case X86EMU_F_AI:
		dst = x86emu_gpr_read(emu, insn, X86EMU_RAX, size);
		src = insn->imm;
		break;
	default:
		return X86EMU_UNHANDLEABLE;
	}
	uint64_t flags = emu->ops->read_rflags(emu->ctx);
	res = x86emu_alu(op, size, dst, src, flags, &fl);
	if (writes) {
		if (insn->form == X86EMU_F_GE)
			x86emu_gpr_write(emu, insn, insn->modrm_reg, size, res);
		else if (insn->form == X86EMU_F_AI)
			x86emu_gpr_write(emu, insn, X86EMU_RAX, size, res);
		else if ((r = x86emu_rm_write(emu, insn, size, res)) != X86EMU_DONE)
			return r;
	}
	emu->ops->write_rflags(emu->ctx, (flags & ~(uint64_t)X86EMU_FLAGS_ARITH) | fl);
	return X86EMU_DONE;
}

/* BT/BTS/BTR/BTC (SDM Vol. 2 "BT"): with a register bit offset and a memory operand the offset is a
 * signed operand-size integer that also selects the operand-sized unit to access; with an immediate
 * it is taken modulo the operand width. CF receives the bit; ZF is unchanged; OF, SF, AF, PF are
 * undefined and left unchanged here. */
enum x86emu_result x86emu_exec_bt(struct x86emu *emu, const struct x86emu_insn *insn)
{
	unsigned int size = insn->opsize, bits = 8 * size;
	uint32_t acc = insn->op == X86EMU_OP_BT ? 0 : X86EMU_ACC_WRITE;
	uint64_t off, val, bit;
	uint8_t b[8];
	enum x86emu_result r;

	if (insn->form == X86EMU_F_EI)
		off = insn->imm & (bits - 1);
	else
		off = x86emu_gpr_read(emu, insn, insn->modrm_reg, size);
	bit = off & (bits - 1);
	uint64_t ea = 0;
	if (insn->mem) {
		ea = x86emu_ea(emu, insn);
		if (insn->form == X86EMU_F_EG) {
			int64_t unit = (int64_t)x86emu_sext(off, size) >> (size == 2 ? 4 : size == 4 ? 5 : 6);
			ea = (ea + (uint64_t)unit * size) & x86emu_size_mask(insn->addrsize);
		}
		r = x86emu_mem_read(emu, insn, insn->seg, ea, b, size, acc);
		if (r != X86EMU_DONE)
			return r;
		val = 0;
		for (unsigned int i = 0; i < size; i++)
			val |= (uint64_t)b[i] << (8 * i);
	} else {
		val = x86emu_gpr_read(emu, insn, insn->modrm_rm, size);
	}
	uint64_t cf = (val >> bit) & 1, nv = val;
	if (insn->op == X86EMU_OP_BTS)
		nv |= 1ull << bit;
	else if (insn->op == X86EMU_OP_BTR)
		nv &= ~(1ull << bit);
	else if (insn->op == X86EMU_OP_BTC)
		nv ^= 1ull << bit;
	if (insn->op != X86EMU_OP_BT) {
		if (insn->mem) {
			for (unsigned int i = 0; i < size; i++)
				b[i] = (uint8_t)(nv >> (8 * i));
			r = x86emu_mem_write(emu, insn, insn->seg, ea, b, size);
			if (r != X86EMU_DONE)
				return r;
		} else {
			x86emu_gpr_write(emu, insn, insn->modrm_rm, size, nv);
		}
	}
	x86emu_flags_update(emu, X86EMU_FLAG_CF, cf ? X86EMU_FLAG_CF : 0);
	return X86EMU_DONE;
}
