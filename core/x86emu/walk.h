/* Guest page-table walker: 32-bit, PAE, 4-level and 5-level paging (SDM Vol. 3 ch. 4), with the
 * permission rules of §4.6 (U/S, R/W with CR0.WP, NX, SMEP, SMAP with RFLAGS.AC, protection keys),
 * accessed/dirty updates (§4.8) and the #PF error code of §4.7.
 *
 * Callers use it inside their x86emu_ops memory callbacks to turn a linear address into a guest
 * physical one; the `acc` flags the emulator passes (X86EMU_ACC_*) go straight through.
 */
#ifndef MANTLE_CORE_X86EMU_WALK_H
#define MANTLE_CORE_X86EMU_WALK_H

#include "core/x86emu/x86emu.h"

struct x86emu_walk_ops {
	/* Reads a 4- or 8-byte paging-structure entry at guest physical address `gpa`. Returns
	 * X86EMU_DONE, or X86EMU_UNHANDLEABLE if gpa is not ordinary guest memory (the walk stops). */
	enum x86emu_result (*read_pte)(void *ctx, uint64_t gpa, uint32_t size, uint64_t *val);
	/* Sets accessed/dirty bits: stores `val` if the entry still holds `old` (a locked compare-and-
	 * exchange, as the CPU does). X86EMU_RETRY if it changed under us. */
	enum x86emu_result (*update_pte)(void *ctx, uint64_t gpa, uint32_t size, uint64_t old, uint64_t val);
};

/* The paging controls of the vCPU doing the access. */
struct x86emu_paging {
	uint64_t cr0, cr3, cr4, efer, rflags;
	uint32_t pkru;
	uint8_t maxphyaddr; /* physical-address width, e.g. 52 (bits above it are reserved in entries) */
};

/* Translates `la` for an access of kind `acc` (X86EMU_ACC_*). Returns X86EMU_DONE with *gpa set;
 * X86EMU_EXCEPTION with a #PF in *exc (error code and CR2 filled); X86EMU_RETRY if an A/D update
 * raced; X86EMU_UNHANDLEABLE if a paging structure is not in guest memory. A/D bits are only set
 * when the access is permitted. */
__attribute__((warn_unused_result))
enum x86emu_result x86emu_walk(const struct x86emu_walk_ops *ops, void *ctx, const struct x86emu_paging *pg,
			       uint64_t la, uint32_t acc, uint64_t *gpa, struct x86emu_exception *exc);

#endif
