/* x86emu integer ALU: the arithmetic of ADD/OR/ADC/SBB/AND/SUB/XOR/CMP/TEST with flags computed as the
 * SDM defines them (Vol. 1 Appendix A, Vol. 2 per-instruction "Flags Affected").
 */
#ifndef MANTLE_CORE_X86EMU_ALU_H
#define MANTLE_CORE_X86EMU_ALU_H

#include <stdint.h>

/* Computes `a op b` on `size`-byte operands (op is an enum x86emu_op ALU id). Carry-in for ADC/SBB
 * comes from flags_in. Returns the result (masked to size) and stores the six arithmetic flags in
 * *flags_out (other bits zero). For AND/OR/XOR/TEST, CF = OF = 0 and AF (undefined) is 0. */
uint64_t x86emu_alu(unsigned int op, unsigned int size, uint64_t a, uint64_t b, uint64_t flags_in,
		    uint64_t *flags_out);

#endif
