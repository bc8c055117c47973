/* Input format of the x86emu fuzzer (tests/x86emu/fuzz.c); tests/x86emu/mkseeds.c writes seeds in it.
 *
 *   [0]        mode (low 2 bits: enum x86emu_mode)
 *   [1]        bit 0-1 CPL, bit 2 paging (CR3 = MEM_BASE, page tables from the memory records),
 *              bit 3 REP budget 3, bit 4 small DS/SS limits, bit 5 go through x86emu_emulate (fetch),
 *              bit 6 CR0.TS, bit 7 LA57
 *   [2..17]    16 instruction bytes (one more than the architectural limit)
 *   [18..145]  16 GPRs, little-endian 64-bit
 *   [146..153] RFLAGS
 *   then       memory records: offset (3 bytes LE, from MEM_BASE), length (1 byte, <= 32), data
 */
#ifndef MANTLE_TESTS_X86EMU_FUZZFMT_H
#define MANTLE_TESTS_X86EMU_FUZZFMT_H

#define FZ_MODE 0
#define FZ_CTL 1
#define FZ_INSN 2
#define FZ_GPR 18
#define FZ_FLAGS 146
#define FZ_MEM 154

#define FZ_CTL_PAGING 0x04
#define FZ_CTL_BUDGET 0x08
#define FZ_CTL_LIMITS 0x10
#define FZ_CTL_EMULATE 0x20
#define FZ_CTL_TS 0x40
#define FZ_CTL_LA57 0x80

#endif
