/* x86emu SSE/AVX move executors: the vector moves guests use for 16- and 32-byte MMIO accesses.
 *
 * Vector values travel as byte arrays: the emulator itself never uses an SSE register (the image is
 * built with -mgeneral-regs-only). Write widths follow SDM Vol. 1 §14.1.3: a legacy-SSE write of an
 * XMM register leaves bits 255:128 of the YMM register alone; a VEX.128 write zeroes them.
 */
#include "core/str.h"
#include "core/x86emu/exec.h"

#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXSAVE (1ull << 18)
#define XCR0_SSE_AVX 6ull

/* SIMD availability (SDM Vol. 2 §2.4, exception classes 4 and 5): #UD without OS support (CR0.EM,
 * CR4.OSFXSR; for VEX CR4.OSXSAVE and XCR0.SSE/AVX), then #NM with CR0.TS. */
static enum x86emu_result simd_available(struct x86emu *emu, const struct x86emu_insn *insn)
{
	uint64_t cr0 = emu->ops->read_cr(emu->ctx, 0), cr4 = emu->ops->read_cr(emu->ctx, 4);

	if (insn->vex) {
		if (!(cr4 & CR4_OSXSAVE) ||
		    (emu->ops->read_cr(emu->ctx, X86EMU_CR_XCR0) & XCR0_SSE_AVX) != XCR0_SSE_AVX)
			return x86emu_fault(emu, X86EMU_EXC_UD, false, 0);
	} else if ((cr0 & CR0_EM) || !(cr4 & CR4_OSFXSR)) {
		return x86emu_fault(emu, X86EMU_EXC_UD, false, 0);
	}
	if (cr0 & CR0_TS)
		return x86emu_fault(emu, X86EMU_EXC_NM, false, 0);
	return X86EMU_DONE;
}

/* Writes `len` bytes of `v` to vector register `reg`, zeroing up to 32 bytes for VEX encodings and up
 * to 16 bytes for legacy ones. */
static void vec_write(struct x86emu *emu, const struct x86emu_insn *insn, unsigned int reg,
		      const uint8_t *v, uint32_t len)
{
	uint8_t full[32];

	memset(full, 0, sizeof(full));
	memcpy(full, v, len);
	emu->ops->write_vec(emu->ctx, reg & 15, full, insn->vex ? 32 : 16);
}

static enum x86emu_result src_read(struct x86emu *emu, const struct x86emu_insn *insn, uint8_t *v,
				   uint32_t len, uint64_t *ea)
{
	if (!insn->mem) {
		emu->ops->read_vec(emu->ctx, insn->modrm_rm & 15, v, len < 16 ? 16 : len);
		return X86EMU_DONE;
	}
	*ea = x86emu_ea(emu, insn);
	if (insn->align && (*ea & (insn->align - 1u)))
		return x86emu_fault(emu, X86EMU_EXC_GP, true, 0);
	return x86emu_mem_read(emu, insn, insn->seg, *ea, v, len, 0);
}

/* MOVD/MOVQ between an XMM register and r/m32/64 (66 0F 6E / 66 0F 7E, and their VEX forms). */
static enum x86emu_result exec_movd(struct x86emu *emu, const struct x86emu_insn *insn)
{
	unsigned int size = insn->opsize;
	uint8_t v[32];
	uint64_t x;
	enum x86emu_result r;

	if (insn->form == X86EMU_F_VE) {
		r = x86emu_rm_read(emu, insn, size, 0, &x);
		if (r != X86EMU_DONE)
			return r;
		for (unsigned int i = 0; i < size; i++)
			v[i] = (uint8_t)(x >> (8 * i));
		vec_write(emu, insn, insn->modrm_reg, v, size);
		return X86EMU_DONE;
	}
	emu->ops->read_vec(emu->ctx, insn->modrm_reg & 15, v, 16);
	x = 0;
	for (unsigned int i = 0; i < size; i++)
		x |= (uint64_t)v[i] << (8 * i);
	return x86emu_rm_write(emu, insn, size, x);
}

enum x86emu_result x86emu_exec_vmov(struct x86emu *emu, const struct x86emu_insn *insn)
{
	uint32_t len = insn->opsize;
	uint8_t v[32];
	uint64_t ea = 0;
	enum x86emu_result r;

	r = simd_available(emu, insn);
	if (r != X86EMU_DONE)
		return r;
	if (insn->op == X86EMU_OP_VMOVD)
		return exec_movd(emu, insn);
	if (insn->form == X86EMU_F_VE) {
		r = src_read(emu, insn, v, len, &ea);
		if (r != X86EMU_DONE)
			return r;
		/* MOVQ xmm, xmm/m64 zero-extends; full moves write the whole width. */
		vec_write(emu, insn, insn->modrm_reg, v, len);
		return X86EMU_DONE;
	}
	emu->ops->read_vec(emu->ctx, insn->modrm_reg & 15, v, len < 16 ? 16 : len);
	if (!insn->mem) {
		vec_write(emu, insn, insn->modrm_rm, v, len);
		return X86EMU_DONE;
	}
	ea = x86emu_ea(emu, insn);
	if (insn->align && (ea & (insn->align - 1u)))
		return x86emu_fault(emu, X86EMU_EXC_GP, true, 0);
	return x86emu_mem_write(emu, insn, insn->seg, ea, v, len);
}
