/* x86emu execution helpers shared by the per-group executors (alu.c, ops_mov.c, ops_string.c,
 * ops_simd.c): register access with x86 width rules, operand addressing, segmentation, and memory
 * access split at page boundaries. Everything goes through emu->ops.
 */
#ifndef MANTLE_CORE_X86EMU_EXEC_H
#define MANTLE_CORE_X86EMU_EXEC_H

#include "core/x86emu/decode.h"
#include "core/x86emu/x86emu.h"

typedef enum x86emu_result (*x86emu_exec_fn)(struct x86emu *emu, const struct x86emu_insn *insn);

/* Executors, one per operation id (dispatch table in exec.c). */
enum x86emu_result x86emu_exec_alu(struct x86emu *emu, const struct x86emu_insn *insn);
enum x86emu_result x86emu_exec_bt(struct x86emu *emu, const struct x86emu_insn *insn);
enum x86emu_result x86emu_exec_mov(struct x86emu *emu, const struct x86emu_insn *insn);
enum x86emu_result x86emu_exec_movx(struct x86emu *emu, const struct x86emu_insn *insn);
enum x86emu_result x86emu_exec_xchg(struct x86emu *emu, const struct x86emu_insn *insn);
enum x86emu_result x86emu_exec_cmpxchg(struct x86emu *emu, const struct x86emu_insn *insn);
enum x86emu_result x86emu_exec_movbe(struct x86emu *emu, const struct x86emu_insn *insn);
enum x86emu_result x86emu_exec_string(struct x86emu *emu, const struct x86emu_insn *insn);
enum x86emu_result x86emu_exec_port(struct x86emu *emu, const struct x86emu_insn *insn);
enum x86emu_result x86emu_exec_vmov(struct x86emu *emu, const struct x86emu_insn *insn);

static inline uint64_t x86emu_size_mask(unsigned int size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

/* Sign-extends the low `size` bytes of v. */
static inline uint64_t x86emu_sext(uint64_t v, unsigned int size)
{
	if (size >= 8)
		return v;
	uint64_t sign = 1ull << (8 * size - 1);
	return ((v & x86emu_size_mask(size)) ^ sign) - sign;
}

/* Fills emu->exc and returns X86EMU_EXCEPTION. Error codes are dropped in real mode. */
enum x86emu_result x86emu_fault(struct x86emu *emu, uint8_t vector, bool has_ec, uint32_t ec);

/* GPR access honouring operand size: 8-bit AH..BH without REX, 32-bit writes zero-extend in 64-bit
 * mode, 8/16-bit writes merge. */
uint64_t x86emu_gpr_read(struct x86emu *emu, const struct x86emu_insn *insn, unsigned int reg,
			 unsigned int size);
void x86emu_gpr_write(struct x86emu *emu, const struct x86emu_insn *insn, unsigned int reg,
		      unsigned int size, uint64_t val);

/* Effective address (offset within the segment, wrapped to the address size) of the ModRM memory
 * operand. */
uint64_t x86emu_ea(struct x86emu *emu, const struct x86emu_insn *insn);

/* Reads/writes `size` bytes at seg:off (off already wrapped to the address size) after segment
 * limit/type and canonical checks, split at 4 KiB page boundaries. `acc` carries X86EMU_ACC_WRITE on
 * the read half of a read-modify-write, so the checks are those of a write. */
__attribute__((warn_unused_result))
enum x86emu_result x86emu_mem_read(struct x86emu *emu, const struct x86emu_insn *insn, unsigned int seg,
				   uint64_t off, void *buf, uint32_t size, uint32_t acc);
__attribute__((warn_unused_result))
enum x86emu_result x86emu_mem_write(struct x86emu *emu, const struct x86emu_insn *insn, unsigned int seg,
				    uint64_t off, const void *buf, uint32_t size);

/* Checks (through ops->probe) that a write of `size` bytes at seg:off would succeed, without
 * writing. */
__attribute__((warn_unused_result))
enum x86emu_result x86emu_mem_probe_write(struct x86emu *emu, unsigned int seg, uint64_t off,
					  uint32_t size);

/* ModRM r/m operand as an integer of insn->opsize (or `size`) bytes: register or memory. */
__attribute__((warn_unused_result))
enum x86emu_result x86emu_rm_read(struct x86emu *emu, const struct x86emu_insn *insn, unsigned int size,
				  uint32_t acc, uint64_t *val);
__attribute__((warn_unused_result))
enum x86emu_result x86emu_rm_write(struct x86emu *emu, const struct x86emu_insn *insn, unsigned int size,
				   uint64_t val);

/* Replaces the arithmetic flags selected by `mask` with those in `val`. */
void x86emu_flags_update(struct x86emu *emu, uint64_t mask, uint64_t val);

/* CPL of the current code: SS.DPL in protected modes (CS.DPL can differ for conforming code), 0 in
 * real mode. */
unsigned int x86emu_cpl(struct x86emu *emu);

#endif
