/* x86emu test table: one row per instruction form or rule (bytes, initial state, expected state).
 * tests/unit/test_x86emu.c runs every row; tests/x86emu/mkseeds.c writes each row as a fuzzer seed.
 *
 * Memory: a 96 KiB buffer at MEM_BASE; rows put up to 16 bytes at `addr` and expect `mem_out` there
 * afterwards. Unlisted registers start as 0 (RSP = 0xdead0000 so a stray use shows). RIP starts at
 * CODE_ADDR, where the bytes are also placed (for the x86emu_emulate path).
 */
#ifndef MANTLE_TESTS_X86EMU_CASES_H
#define MANTLE_TESTS_X86EMU_CASES_H

#include <stdint.h>

#include "core/x86emu/x86emu.h"

#define MEM_BASE 0x8000ull
#define MEM_SIZE 0x18000ull
#define CODE_ADDR 0x1f000ull
#define D 0x18000ull /* default data address */

struct case_reg {
	uint8_t reg; /* enum x86emu_gpr + 1; 0 ends the list */
	uint64_t val;
};

struct x86emu_case {
	const char *name;
	uint8_t mode;
	uint8_t cpl;
	uint8_t len;
	uint8_t bytes[16];
	struct case_reg in[5];
	uint64_t flags_in;
	uint64_t addr;
	uint8_t mem_in[16];
	/* expectations */
	uint8_t result;
	uint8_t vector;
	uint32_t error_code;
	struct case_reg out[5];
	uint64_t flags_out; /* compared on X86EMU_FLAGS_ARITH | DF */
	uint8_t mem_len;    /* bytes of mem_out to compare at addr */
	uint8_t mem_out[16];
	uint8_t rip_adv;    /* expected RIP advance (0 when it must not move) */
	uint8_t mem_ops;    /* if nonzero: exact number of memory callbacks */
	uint16_t io_port;   /* if nonzero: first port access expected */
	uint32_t io_val;
	uint8_t io_n;       /* number of port accesses expected */
	uint8_t setup;      /* CASE_* special setups */
	bool vec_check;     /* compare vector register 0 with vec_out (all registers start as bytes 0..31) */
	uint8_t vec_out[32];
};

#define CASE_NONE 0
#define CASE_SEG_LIMIT 1   /* DS limit 0xfff */
#define CASE_SEG_RO 2      /* DS read-only */
#define CASE_FS_BASE 3     /* FS base = 0x8000 */
#define CASE_RETRY_1ST 4   /* first memory callback asks for a retry */
#define CASE_BUDGET4 5     /* REP budget 4 */
#define CASE_NO_OSFXSR 6
#define CASE_TS 7
#define CASE_SS_LIMIT 8    /* SS limit 0xfff */
#define CASE_EXPDOWN 9     /* DS expand-down, limit 0x17fff */
#define CASE_AM 10         /* CR0.AM */
#define CASE_NO_AVX 11     /* XCR0 without YMM state */

#define R(r, v) { (uint8_t)(X86EMU_##r + 1), (uint64_t)(v) }
#define B(...) .bytes = { __VA_ARGS__ }, .len = sizeof((uint8_t[]){ __VA_ARGS__ })
#define M64 .mode = X86EMU_MODE_LONG64
#define M32 .mode = X86EMU_MODE_PROT32
#define M16 .mode = X86EMU_MODE_PROT16
#define MRM .mode = X86EMU_MODE_REAL
#define OK .result = X86EMU_DONE
#define EXC(v, ec) .result = X86EMU_EXCEPTION, .vector = (v), .error_code = (ec)
#define UNH .result = X86EMU_UNHANDLEABLE

#define CF X86EMU_FLAG_CF
#define PF X86EMU_FLAG_PF
#define AF X86EMU_FLAG_AF
#define ZF X86EMU_FLAG_ZF
#define SF X86EMU_FLAG_SF
#define OF X86EMU_FLAG_OF
#define DF X86EMU_FLAG_DF

static const struct x86emu_case x86emu_cases[] = {
	/* ---- MOV ---- */
	{ "mov_m32_r32_mmio_store", M64, B(0x89, 0x43, 0x10), .in = { R(RBX, D - 0x10), R(RAX, 0x1122334455667788) },
	  OK, .mem_len = 4, .addr = D, .mem_out = { 0x88, 0x77, 0x66, 0x55 }, .rip_adv = 3, .mem_ops = 1 },
	{ "mov_r32_m32_zero_extends", M64, B(0x8b, 0x03), .in = { R(RBX, D), R(RAX, ~0ull) },
	  .addr = D, .mem_in = { 1, 2, 3, 4 }, OK, .out = { R(RAX, 0x04030201) }, .rip_adv = 2 },
	{ "mov_r16_m16_merges", M64, B(0x66, 0x8b, 0x03), .in = { R(RBX, D), R(RAX, ~0ull) },
	  .addr = D, .mem_in = { 1, 2 }, OK, .out = { R(RAX, 0xffffffffffff0201) }, .rip_adv = 3 },
	{ "mov_ah_m8_high_byte", M64, B(0x8a, 0x23), .in = { R(RBX, D), R(RAX, 0x1111) },
	  .addr = D, .mem_in = { 0xab }, OK, .out = { R(RAX, 0xab11) }, .rip_adv = 2 },
	{ "mov_sil_m8_with_rex", M64, B(0x40, 0x8a, 0x33), .in = { R(RBX, D), R(RSI, 0x1111) },
	  .addr = D, .mem_in = { 0xab }, OK, .out = { R(RSI, 0x11ab) }, .rip_adv = 3 },
	{ "mov_m64_r64_rex_w", M64, B(0x4c, 0x89, 0x03), .in = { R(RBX, D), R(R8, 0x0102030405060708) },
	  OK, .addr = D, .mem_len = 8, .mem_out = { 8, 7, 6, 5, 4, 3, 2, 1 }, .rip_adv = 3 },
	{ "mov_m8_imm8", M64, B(0xc6, 0x03, 0x5a), .in = { R(RBX, D) }, OK, .addr = D, .mem_len = 1,
	  .mem_out = { 0x5a }, .rip_adv = 3 },
	{ "mov_m16_imm16", M64, B(0x66, 0xc7, 0x03, 0x34, 0x12), .in = { R(RBX, D) }, OK, .addr = D,
	  .mem_len = 2, .mem_out = { 0x34, 0x12 }, .rip_adv = 5 },
	{ "mov_m64_imm32_sign_extends", M64, B(0x48, 0xc7, 0x03, 0xff, 0xff, 0xff, 0xff), .in = { R(RBX, D) },
	  OK, .addr = D, .mem_len = 8, .mem_out = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, .rip_adv = 7 },
	{ "mov_r64_imm64", M64, B(0x49, 0xbb, 1, 2, 3, 4, 5, 6, 7, 8), OK, .out = { R(R11, 0x0807060504030201) },
	  .rip_adv = 10 },
	{ "mov_al_moffs64", M64, B(0xa0, 0x00, 0x80, 0x01, 0, 0, 0, 0, 0), .addr = D, .mem_in = { 0x42 },
	  .in = { R(RAX, 0x100) }, OK, .out = { R(RAX, 0x142) }, .rip_adv = 9 },
	{ "mov_moffs32_eax_addr32", M64, B(0x67, 0xa3, 0x00, 0x80, 0x01, 0x00), .in = { R(RAX, 0xdeadbeef) },
	  OK, .addr = D, .mem_len = 4, .mem_out = { 0xef, 0xbe, 0xad, 0xde }, .rip_adv = 6 },
	{ "mov_rip_relative", M64, B(0x8b, 0x05, 0xfa, 0x8f, 0xff, 0xff), .addr = D, .mem_in = { 9, 8, 7, 6 },
	  OK, .out = { R(RAX, 0x06070809) }, .rip_adv = 6 },
	{ "mov_sib_base_index_scale_disp8", M64, B(0x8b, 0x44, 0xb3, 0x08), .in = { R(RBX, D - 0x28), R(RSI, 8) },
	  .addr = D, .mem_in = { 1, 0, 0, 0x80 }, OK, .out = { R(RAX, 0x80000001) }, .rip_adv = 4 },
	{ "mov_addr32_wraps_registers", M64, B(0x67, 0x8b, 0x03), .in = { R(RBX, 0xffffffff00000000 | D) },
	  .addr = D, .mem_in = { 5 }, OK, .out = { R(RAX, 5) }, .rip_adv = 3 },
	{ "mov_fs_override_adds_base", M64, B(0x64, 0x8b, 0x03), .in = { R(RBX, D - 0x8000) }, .addr = D,
	  .mem_in = { 7 }, OK, .out = { R(RAX, 7) }, .rip_adv = 3, .setup = CASE_FS_BASE },
	{ "mov_ds_override_ignored_in_64bit", M64, B(0x3e, 0x26, 0x8b, 0x03), .in = { R(RBX, D) }, .addr = D,
	  .mem_in = { 7 }, OK, .out = { R(RAX, 7) }, .rip_adv = 4 },
	{ "mov_page_crossing_splits", M64, B(0x89, 0x03), .in = { R(RBX, 0x18ffe), R(RAX, 0x44332211) },
	  OK, .addr = 0x18ffe, .mem_len = 4, .mem_out = { 0x11, 0x22, 0x33, 0x44 }, .rip_adv = 2, .mem_ops = 2 },
	/* ---- MOVZX / MOVSX / MOVSXD ---- */
	{ "movzx_r32_m8", M64, B(0x0f, 0xb6, 0x03), .in = { R(RBX, D), R(RAX, ~0ull) }, .addr = D,
	  .mem_in = { 0x80 }, OK, .out = { R(RAX, 0x80) }, .rip_adv = 3 },
	{ "movzx_r64_m16", M64, B(0x48, 0x0f, 0xb7, 0x03), .in = { R(RBX, D) }, .addr = D, .mem_in = { 1, 0x80 },
	  OK, .out = { R(RAX, 0x8001) }, .rip_adv = 4 },
	{ "movsx_r64_m8", M64, B(0x48, 0x0f, 0xbe, 0x03), .in = { R(RBX, D) }, .addr = D, .mem_in = { 0x80 },
	  OK, .out = { R(RAX, 0xffffffffffffff80) }, .rip_adv = 4 },
	{ "movsx_r16_m8_merges", M64, B(0x66, 0x0f, 0xbe, 0x03), .in = { R(RBX, D), R(RAX, 0x12345678) },
	  .addr = D, .mem_in = { 0xfe }, OK, .out = { R(RAX, 0x1234fffe) }, .rip_adv = 4 },
	{ "movsxd_r64_m32", M64, B(0x48, 0x63, 0x03), .in = { R(RBX, D) }, .addr = D, .mem_in = { 0, 0, 0, 0x80 },
	  OK, .out = { R(RAX, 0xffffffff80000000) }, .rip_adv = 3 },
	{ "movsxd_is_arpl_outside_64bit", M32, B(0x63, 0x03), UNH },
	/* ---- ALU ---- */
	{ "add_m32_r32_carry_zero", M64, B(0x01, 0x03), .in = { R(RBX, D), R(RAX, 1) }, .addr = D,
	  .mem_in = { 0xff, 0xff, 0xff, 0xff }, OK, .mem_len = 4, .mem_out = { 0, 0, 0, 0 },
	  .flags_out = CF | ZF | PF | AF, .rip_adv = 2 },
	{ "add_m8_imm8_overflow", M64, B(0x80, 0x03, 0x01), .in = { R(RBX, D) }, .addr = D, .mem_in = { 0x7f },
	  OK, .mem_len = 1, .mem_out = { 0x80 }, .flags_out = OF | SF | AF, .rip_adv = 3 },
	{ "adc_r32_m32_uses_cf", M64, B(0x13, 0x03), .in = { R(RBX, D), R(RAX, 1) }, .flags_in = CF, .addr = D,
	  .mem_in = { 1 }, OK, .out = { R(RAX, 3) }, .flags_out = PF, .rip_adv = 2 },
	{ "sbb_m16_imm8_borrow", M64, B(0x66, 0x83, 0x1b, 0x00), .in = { R(RBX, D) }, .flags_in = CF, .addr = D,
	  .mem_in = { 0, 0 }, OK, .mem_len = 2, .mem_out = { 0xff, 0xff }, .flags_out = CF | SF | AF | PF,
	  .rip_adv = 4 },
	{ "sub_m64_r64", M64, B(0x48, 0x29, 0x03), .in = { R(RBX, D), R(RAX, 2) }, .addr = D, .mem_in = { 1 },
	  OK, .mem_len = 8, .mem_out = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	  .flags_out = CF | SF | AF | PF, .rip_adv = 3 },
	{ "cmp_m32_imm32_no_write", M64, B(0x81, 0x3b, 0x00, 0x00, 0x00, 0x80), .in = { R(RBX, D) }, .addr = D,
	  .mem_in = { 0, 0, 0, 0 }, OK, .mem_len = 4, .mem_out = { 0, 0, 0, 0 }, .flags_out = CF | OF | SF | PF,
	  .rip_adv = 6 },
	{ "and_m32_imm8_sign_extended", M64, B(0x83, 0x23, 0xf0), .in = { R(RBX, D) }, .flags_in = CF | OF,
	  .addr = D, .mem_in = { 0xff, 0xff, 0xff, 0xff }, OK, .mem_len = 4, .mem_out = { 0xf0, 0xff, 0xff, 0xff },
	  .flags_out = SF | PF, .rip_adv = 3 },
	{ "or_r8_m8", M64, B(0x0a, 0x03), .in = { R(RBX, D), R(RAX, 0x01) }, .addr = D, .mem_in = { 0x02 }, OK,
	  .out = { R(RAX, 0x03) }, .flags_out = PF, .rip_adv = 2 },
	{ "xor_m32_r32_zero", M64, B(0x31, 0x03), .in = { R(RBX, D), R(RAX, 0x55) }, .addr = D, .mem_in = { 0x55 },
	  OK, .mem_len = 4, .mem_out = { 0 }, .flags_out = ZF | PF, .rip_adv = 2 },
	{ "test_m8_imm8", M64, B(0xf6, 0x03, 0x80), .in = { R(RBX, D) }, .addr = D, .mem_in = { 0x81 }, OK,
	  .flags_out = SF, .rip_adv = 3 },
	{ "test_m32_r32", M64, B(0x85, 0x03), .in = { R(RBX, D), R(RAX, 2) }, .addr = D, .mem_in = { 1 }, OK,
	  .flags_out = ZF | PF, .rip_adv = 2 },
	{ "lock_add_m32_r32", M64, B(0xf0, 0x01, 0x03), .in = { R(RBX, D), R(RAX, 1) }, .addr = D,
	  .mem_in = { 1 }, OK, .mem_len = 1, .mem_out = { 2 }, .rip_adv = 3 },
	{ "add_al_imm8", M64, B(0x04, 0x7f), .in = { R(RAX, 0x101) }, OK, .out = { R(RAX, 0x180) },
	  .flags_out = OF | SF | AF, .rip_adv = 2 },
	{ "add_eax_imm32_zero_extends", M64, B(0x05, 0xff, 0xff, 0xff, 0xff), .in = { R(RAX, 0xaaaaaaaa00000001) },
	  OK, .out = { R(RAX, 0) }, .flags_out = CF | ZF | PF | AF, .rip_adv = 5 },
	{ "or_m8_r8", M64, B(0x08, 0x03), .in = { R(RBX, D), R(RAX, 0xf0) }, .addr = D, .mem_in = { 0x0f }, OK,
	  .mem_len = 1, .mem_out = { 0xff }, .flags_out = SF | PF, .rip_adv = 2 },
	{ "adc_m32_imm8_carry_chain", M64, B(0x83, 0x13, 0xff), .in = { R(RBX, D) }, .flags_in = CF, .addr = D,
	  .mem_in = { 0 }, OK, .mem_len = 4, .mem_out = { 0 }, .flags_out = CF | ZF | PF | AF, .rip_adv = 3 },
	{ "sbb_r32_m32", M64, B(0x1b, 0x03), .in = { R(RBX, D), R(RAX, 5) }, .flags_in = CF, .addr = D,
	  .mem_in = { 3 }, OK, .out = { R(RAX, 1) }, .flags_out = 0, .rip_adv = 2 },
	{ "and_r8_m8", M64, B(0x22, 0x03), .in = { R(RBX, D), R(RAX, 0x3c) }, .addr = D, .mem_in = { 0x0f }, OK,
	  .out = { R(RAX, 0x0c) }, .flags_out = PF, .rip_adv = 2 },
	{ "sub_m8_imm8_borrow", M64, B(0x80, 0x2b, 0x01), .in = { R(RBX, D) }, .addr = D, .mem_in = { 0 }, OK,
	  .mem_len = 1, .mem_out = { 0xff }, .flags_out = CF | SF | AF | PF, .rip_adv = 3 },
	{ "xor_r64_m64", M64, B(0x48, 0x33, 0x03), .in = { R(RBX, D), R(RAX, ~0ull) }, .addr = D,
	  .mem_in = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, OK, .out = { R(RAX, 0) },
	  .flags_out = ZF | PF, .rip_adv = 3 },
	{ "cmp_al_imm8_equal", M64, B(0x3c, 0x05), .in = { R(RAX, 5) }, OK, .out = { R(RAX, 5) },
	  .flags_out = ZF | PF, .rip_adv = 2 },
	{ "cmp_rax_imm32_sign_extended", M64, B(0x48, 0x3d, 0xff, 0xff, 0xff, 0xff), .in = { R(RAX, ~0ull) }, OK,
	  .flags_out = ZF | PF, .rip_adv = 6 },
	{ "test_eax_imm32", M64, B(0xa9, 0x00, 0x00, 0x00, 0x80), .in = { R(RAX, 0x80000000) }, OK,
	  .flags_out = SF | PF, .rip_adv = 5 },
	{ "test_al_imm8", M64, B(0xa8, 0x01), .in = { R(RAX, 2) }, OK, .flags_out = ZF | PF, .rip_adv = 2 },
	{ "test_m32_imm32", M64, B(0xf7, 0x03, 0xff, 0x00, 0x00, 0x00), .in = { R(RBX, D) }, .addr = D,
	  .mem_in = { 0, 1 }, OK, .flags_out = ZF | PF, .rip_adv = 6 },
	{ "mov_m8_ah", M64, B(0x88, 0x23), .in = { R(RBX, D), R(RAX, 0x1234) }, OK, .addr = D, .mem_len = 1,
	  .mem_out = { 0x12 }, .rip_adv = 2 },
	{ "mov_bh_imm8", M64, B(0xb7, 0x99), .in = { R(RBX, 0x11) }, OK, .out = { R(RBX, 0x9911) }, .rip_adv = 2 },
	{ "mov_rax_moffs64", M64, B(0x48, 0xa1, 0x00, 0x80, 0x01, 0, 0, 0, 0, 0), .addr = D,
	  .mem_in = { 1, 2, 3, 4, 5, 6, 7, 8 }, OK, .out = { R(RAX, 0x0807060504030201) }, .rip_adv = 10 },
	{ "mov_moffs64_al", M64, B(0xa2, 0x00, 0x80, 0x01, 0, 0, 0, 0, 0), .in = { R(RAX, 0x5a) }, OK, .addr = D,
	  .mem_len = 1, .mem_out = { 0x5a }, .rip_adv = 9 },
	{ "movsx_r32_m16", M64, B(0x0f, 0xbf, 0x03), .in = { R(RBX, D), R(RAX, ~0ull) }, .addr = D,
	  .mem_in = { 0x00, 0x80 }, OK, .out = { R(RAX, 0xffff8000) }, .rip_adv = 3 },
	/* ---- XCHG / CMPXCHG ---- */
	{ "xchg_m8_r8", M64, B(0x86, 0x03), .in = { R(RBX, D), R(RAX, 0x11) }, .addr = D, .mem_in = { 0x22 }, OK,
	  .out = { R(RAX, 0x22) }, .mem_len = 1, .mem_out = { 0x11 }, .rip_adv = 2 },
	{ "cmpxchg_m8_equal", M64, B(0x0f, 0xb0, 0x0b), .in = { R(RBX, D), R(RAX, 7), R(RCX, 9) }, .addr = D,
	  .mem_in = { 7 }, OK, .mem_len = 1, .mem_out = { 9 }, .out = { R(RAX, 7) }, .flags_out = ZF | PF,
	  .rip_adv = 3 },
	{ "cmpxchg_r32_unequal_leaves_register_destination", M64, B(0x0f, 0xb1, 0xcb),
	  .in = { R(RAX, 1), R(RBX, 0xaaaaaaaa00000002), R(RCX, 9) }, OK,
	  .out = { R(RAX, 2), R(RBX, 0xaaaaaaaa00000002) }, .flags_out = CF | SF | AF | PF, .rip_adv = 3 },
	{ "xchg_m32_r32", M64, B(0x87, 0x03), .in = { R(RBX, D), R(RAX, 0xaabbccdd) }, .addr = D,
	  .mem_in = { 1, 2, 3, 4 }, OK, .out = { R(RAX, 0x04030201) }, .mem_len = 4,
	  .mem_out = { 0xdd, 0xcc, 0xbb, 0xaa }, .rip_adv = 2 },
	{ "cmpxchg_m32_equal_stores_source", M64, B(0x0f, 0xb1, 0x0b), .in = { R(RBX, D), R(RAX, 5), R(RCX, 9) },
	  .addr = D, .mem_in = { 5 }, OK, .mem_len = 4, .mem_out = { 9 }, .out = { R(RAX, 5) },
	  .flags_out = ZF | PF, .rip_adv = 3 },
	{ "cmpxchg_m32_unequal_loads_accumulator", M64, B(0x0f, 0xb1, 0x0b),
	  .in = { R(RBX, D), R(RAX, 0xffffffff00000004), R(RCX, 9) }, .addr = D, .mem_in = { 5 }, OK,
	  .mem_len = 4, .mem_out = { 5 }, .out = { R(RAX, 5) }, .flags_out = CF | SF | AF | PF, .rip_adv = 3,
	  .mem_ops = 2 },
	/* ---- BT family ---- */
	{ "bt_m32_r32_negative_offset", M64, B(0x0f, 0xa3, 0x03), .in = { R(RBX, D + 4), R(RAX, (uint64_t)-31) },
	  .addr = D, .mem_in = { 0x02 }, OK, .flags_out = CF, .rip_adv = 3 },
	{ "bts_m16_imm8_wraps", M64, B(0x66, 0x0f, 0xba, 0x2b, 0x11), .in = { R(RBX, D) }, .addr = D,
	  .mem_in = { 0, 0 }, OK, .mem_len = 2, .mem_out = { 0x02, 0 }, .flags_out = 0, .rip_adv = 5 },
	{ "btr_m64_r64", M64, B(0x48, 0x0f, 0xb3, 0x03), .in = { R(RBX, D), R(RAX, 63 + 64) }, .addr = D + 8,
	  .mem_in = { 0, 0, 0, 0, 0, 0, 0, 0x80 }, OK, .mem_len = 8, .mem_out = { 0 }, .flags_out = CF,
	  .rip_adv = 4 },
	{ "btc_r32_imm8_register", M64, B(0x0f, 0xba, 0xf8, 0x21), .in = { R(RAX, 0x1) }, OK,
	  .out = { R(RAX, 0x3) }, .rip_adv = 4 },
	{ "btc_m32_r32", M64, B(0x0f, 0xbb, 0x03), .in = { R(RBX, D) }, .addr = D, .mem_in = { 1 }, OK,
	  .mem_len = 4, .mem_out = { 0 }, .flags_out = CF, .rip_adv = 3 },
	{ "bt_m16_imm8_no_write", M64, B(0x66, 0x0f, 0xba, 0x23, 0x0f), .in = { R(RBX, D) }, .addr = D,
	  .mem_in = { 0x00, 0x80 }, OK, .mem_len = 2, .mem_out = { 0x00, 0x80 }, .flags_out = CF, .rip_adv = 5 },
	{ "btr_r64_imm8", M64, B(0x48, 0x0f, 0xba, 0xf0, 0x3f), .in = { R(RAX, 1ull << 63) }, OK,
	  .out = { R(RAX, 0) }, .flags_out = CF, .rip_adv = 5 },
	{ "bt_keeps_zf", M64, B(0x0f, 0xa3, 0x03), .in = { R(RBX, D), R(RAX, 0) }, .flags_in = ZF, .addr = D,
	  .mem_in = { 0 }, OK, .flags_out = ZF, .rip_adv = 3 },
	/* ---- MOVNTI / MOVBE ---- */
	{ "movnti_m32_r32", M64, B(0x0f, 0xc3, 0x03), .in = { R(RBX, D), R(RAX, 0x01020304) }, OK, .addr = D,
	  .mem_len = 4, .mem_out = { 4, 3, 2, 1 }, .rip_adv = 3 },
	{ "movbe_m64_r64", M64, B(0x48, 0x0f, 0x38, 0xf1, 0x03), .in = { R(RBX, D), R(RAX, 0x0102030405060708) },
	  OK, .addr = D, .mem_len = 8, .mem_out = { 1, 2, 3, 4, 5, 6, 7, 8 }, .rip_adv = 5 },
	{ "movnti_m64_r64", M64, B(0x48, 0x0f, 0xc3, 0x03), .in = { R(RBX, D), R(RAX, 0x0102030405060708) }, OK,
	  .addr = D, .mem_len = 8, .mem_out = { 8, 7, 6, 5, 4, 3, 2, 1 }, .rip_adv = 4 },
	{ "movnti_register_is_ud", M64, B(0x0f, 0xc3, 0xc0), EXC(X86EMU_EXC_UD, 0) },
	{ "movnti_with_66_is_ud", M64, B(0x66, 0x0f, 0xc3, 0x03), .in = { R(RBX, D) }, EXC(X86EMU_EXC_UD, 0) },
	{ "movnti_in_16bit_code_stores_dword", M16, B(0x0f, 0xc3, 0x07), .in = { R(RBX, 0x9000), R(RAX, 0x11223344) },
	  OK, .addr = 0x9000, .mem_len = 4, .mem_out = { 0x44, 0x33, 0x22, 0x11 }, .rip_adv = 3 },
	{ "movbe_r32_m32", M64, B(0x0f, 0x38, 0xf0, 0x03), .in = { R(RBX, D) }, .addr = D, .mem_in = { 1, 2, 3, 4 },
	  OK, .out = { R(RAX, 0x01020304) }, .rip_adv = 4 },
	{ "movbe_m16_r16", M64, B(0x66, 0x0f, 0x38, 0xf1, 0x03), .in = { R(RBX, D), R(RAX, 0x1234) }, OK,
	  .addr = D, .mem_len = 2, .mem_out = { 0x12, 0x34 }, .rip_adv = 5 },
	{ "crc32_is_refused", M64, B(0xf2, 0x0f, 0x38, 0xf0, 0x03), UNH },
	/* ---- strings ---- */
	{ "rep_movsb_4", M64, B(0xf3, 0xa4), .in = { R(RSI, D), R(RDI, D + 8), R(RCX, 4) }, .addr = D,
	  .mem_in = { 1, 2, 3, 4 }, OK, .mem_len = 12, .mem_out = { 1, 2, 3, 4, 0, 0, 0, 0, 1, 2, 3, 4 },
	  .out = { R(RSI, D + 4), R(RDI, D + 12), R(RCX, 0) }, .rip_adv = 2 },
	{ "rep_movsd_backwards", M64, B(0xf3, 0xa5), .in = { R(RSI, D + 4), R(RDI, D + 12), R(RCX, 2) },
	  .flags_in = DF, .addr = D, .mem_in = { 1, 1, 1, 1, 2, 2, 2, 2 }, OK, .mem_len = 16,
	  .mem_out = { 1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 2 }, .flags_out = DF,
	  .out = { R(RSI, D - 4), R(RDI, D + 4), R(RCX, 0) }, .rip_adv = 2 },
	{ "rep_stosw_rcx_zero_does_nothing", M64, B(0x66, 0xf3, 0xab), .in = { R(RDI, D), R(RAX, 0xffff) },
	  OK, .addr = D, .mem_len = 2, .mem_out = { 0, 0 }, .out = { R(RDI, D) }, .rip_adv = 3, .mem_ops = 0 },
	{ "stosq_no_rep", M64, B(0x48, 0xab), .in = { R(RDI, D), R(RAX, 0x0807060504030201), R(RCX, 5) },
	  OK, .addr = D, .mem_len = 8, .mem_out = { 1, 2, 3, 4, 5, 6, 7, 8 }, .out = { R(RDI, D + 8), R(RCX, 5) },
	  .rip_adv = 2 },
	{ "lodsb_addr32", M64, B(0x67, 0xac), .in = { R(RSI, 0xabcd00000000 | D) }, .addr = D, .mem_in = { 0x77 },
	  OK, .out = { R(RAX, 0x77), R(RSI, D + 1) }, .rip_adv = 2 },
	{ "rep_movsb_budget_keeps_rip", M64, B(0xf3, 0xa4), .in = { R(RSI, D), R(RDI, D + 8), R(RCX, 10) },
	  OK, .out = { R(RCX, 6), R(RSI, D + 4), R(RDI, D + 12) }, .rip_adv = 0, .setup = CASE_BUDGET4 },
	{ "retry_modifies_nothing", M64, B(0xf3, 0xa4), .in = { R(RSI, D), R(RDI, D + 8), R(RCX, 3) },
	  .result = X86EMU_RETRY, .out = { R(RCX, 3), R(RSI, D), R(RDI, D + 8) }, .rip_adv = 0,
	  .setup = CASE_RETRY_1ST },
	{ "movsw_no_rep", M64, B(0x66, 0xa5), .in = { R(RSI, D), R(RDI, D + 8), R(RCX, 7) }, .addr = D,
	  .mem_in = { 1, 2 }, OK, .mem_len = 10, .mem_out = { 1, 2, 0, 0, 0, 0, 0, 0, 1, 2 },
	  .out = { R(RSI, D + 2), R(RDI, D + 10), R(RCX, 7) }, .rip_adv = 2 },
	{ "rep_stosb_3", M64, B(0xf3, 0xaa), .in = { R(RDI, D), R(RCX, 3), R(RAX, 7) }, OK, .addr = D,
	  .mem_len = 4, .mem_out = { 7, 7, 7, 0 }, .out = { R(RDI, D + 3), R(RCX, 0) }, .rip_adv = 2 },
	{ "lodsd_backwards", M64, B(0xad), .in = { R(RSI, D + 4) }, .flags_in = DF, .addr = D,
	  .mem_in = { 0, 0, 0, 0, 1, 2, 3, 4 }, OK, .out = { R(RAX, 0x04030201), R(RSI, D) }, .flags_out = DF,
	  .rip_adv = 1 },
	{ "repne_movsb_acts_as_rep", M64, B(0xf2, 0xa4), .in = { R(RSI, D), R(RDI, D + 8), R(RCX, 2) },
	  .addr = D, .mem_in = { 5, 6, 7 }, OK, .mem_len = 11, .mem_out = { 5, 6, 7, 0, 0, 0, 0, 0, 5, 6, 0 },
	  .out = { R(RCX, 0) }, .rip_adv = 2 },
	{ "rep_lodsq", M64, B(0xf3, 0x48, 0xad), .in = { R(RSI, D), R(RCX, 2) }, .addr = D,
	  .mem_in = { 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0 }, OK,
	  .out = { R(RAX, 2), R(RSI, D + 16), R(RCX, 0) }, .rip_adv = 3 },
	{ "prot16_rep_movsb_si_di_cx", M16, B(0xf3, 0xa4), .in = { R(RSI, 0xabcd9000), R(RDI, 0x9008), R(RCX, 0x50002) },
	  .addr = 0x9000, .mem_in = { 3, 4 }, OK, .mem_len = 10, .mem_out = { 3, 4, 0, 0, 0, 0, 0, 0, 3, 4 },
	  .out = { R(RSI, 0xabcd9002), R(RDI, 0x900a), R(RCX, 0x50000) }, .rip_adv = 2 },
	/* ---- port I/O ---- */
	{ "out_imm8_al", M64, B(0xe6, 0x80), .in = { R(RAX, 0x1255) }, OK, .io_port = 0x80, .io_val = 0x55,
	  .io_n = 1, .rip_adv = 2 },
	{ "in_ax_dx_merges", M64, B(0x66, 0xed), .in = { R(RDX, 0x1f0), R(RAX, 0xffffffff) }, OK,
	  .out = { R(RAX, 0xffffa5a5) }, .io_port = 0x1f0, .io_val = 0xa5a5, .io_n = 1, .rip_adv = 2 },
	{ "outsw_no_rep", M64, B(0x66, 0x6f), .in = { R(RDX, 0x3f8), R(RSI, D) }, .addr = D, .mem_in = { 0x34, 0x12 },
	  OK, .io_port = 0x3f8, .io_val = 0x1234, .io_n = 1, .out = { R(RSI, D + 2) }, .rip_adv = 2 },
	{ "insb_no_rep", M64, B(0x6c), .in = { R(RDX, 0x60), R(RDI, D) }, OK, .addr = D, .mem_len = 1,
	  .mem_out = { 0xa5 }, .io_port = 0x60, .io_val = 0xa5, .io_n = 1, .out = { R(RDI, D + 1) }, .rip_adv = 1 },
	{ "prot32_cpl3_iopl3_port_allowed", M32, .cpl = 3, B(0xec), .in = { R(RDX, 0x60) }, .flags_in = 0x3000, OK,
	  .out = { R(RAX, 0xa5) }, .io_port = 0x60, .io_val = 0xa5, .io_n = 1, .rip_adv = 1 },
	{ "in_al_imm8", M64, B(0xe4, 0x60), .in = { R(RAX, 0xffff) }, OK, .out = { R(RAX, 0xffa5) },
	  .io_port = 0x60, .io_val = 0xa5, .io_n = 1, .rip_adv = 2 },
	{ "in_eax_dx_zero_extends", M64, B(0xed), .in = { R(RDX, 0xcfc), R(RAX, ~0ull) }, OK,
	  .out = { R(RAX, 0xa5a5a5a5) }, .io_port = 0xcfc, .io_val = 0xa5a5a5a5, .io_n = 1, .rip_adv = 1 },
	{ "out_dx_ax", M64, B(0x66, 0xef), .in = { R(RDX, 0x3f8), R(RAX, 0x1234) }, OK, .io_port = 0x3f8,
	  .io_val = 0x1234, .io_n = 1, .rip_adv = 2 },
	{ "rep_outsb_3", M64, B(0xf3, 0x6e), .in = { R(RDX, 0x3f8), R(RSI, D), R(RCX, 3) }, .addr = D,
	  .mem_in = { 'a', 'b', 'c' }, OK, .io_port = 0x3f8, .io_val = 'a', .io_n = 3,
	  .out = { R(RSI, D + 3), R(RCX, 0) }, .rip_adv = 2 },
	{ "rep_insw_2", M64, B(0x66, 0xf3, 0x6d), .in = { R(RDX, 0x1f0), R(RDI, D), R(RCX, 2) }, OK,
	  .addr = D, .mem_len = 4, .mem_out = { 0xa5, 0xa5, 0xa5, 0xa5 }, .io_port = 0x1f0, .io_val = 0xa5a5,
	  .io_n = 2, .out = { R(RDI, D + 4) }, .rip_adv = 3 },
	{ "in_cpl3_iopl0_refused", M64, .cpl = 3, B(0xec), UNH },
	{ "out_with_rflags_vm_refused", MRM, B(0xee), .flags_in = X86EMU_FLAG_VM | 0x3000, UNH },
	{ "real_mode_out_allowed", MRM, B(0xee), .in = { R(RDX, 0x80), R(RAX, 0x42) }, OK, .io_port = 0x80,
	  .io_val = 0x42, .io_n = 1, .rip_adv = 1 },
	/* ---- SSE / AVX ---- */
	{ "movdqu_xmm_m128_load_keeps_upper_ymm", M64, B(0xf3, 0x0f, 0x6f, 0x03), .in = { R(RBX, D) }, .addr = D,
	  .mem_in = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, OK, .rip_adv = 4, .vec_check = 1,
	  .vec_out = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		       16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 } },
	{ "vmovdqu_xmm_m128_load_zeroes_upper", M64, B(0xc5, 0xfa, 0x6f, 0x03), .in = { R(RBX, D) }, .addr = D,
	  .mem_in = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, OK, .rip_adv = 4, .vec_check = 1,
	  .vec_out = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 } },
	{ "movq_xmm_m64_zeroes_bits_127_64", M64, B(0xf3, 0x0f, 0x7e, 0x03), .in = { R(RBX, D) }, .addr = D,
	  .mem_in = { 1, 2, 3, 4, 5, 6, 7, 8 }, OK, .rip_adv = 4, .vec_check = 1,
	  .vec_out = { 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0,
		       16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 } },
	{ "vmovdqa_ymm_m256_load_misaligned_gp", M64, B(0xc5, 0xfd, 0x6f, 0x03), .in = { R(RBX, D + 16) },
	  EXC(X86EMU_EXC_GP, 0) },
	{ "movdqa_m128_store_misaligned_gp", M64, B(0x66, 0x0f, 0x7f, 0x03), .in = { R(RBX, D + 8) },
	  EXC(X86EMU_EXC_GP, 0) },
	{ "movaps_store_aligned", M64, B(0x0f, 0x29, 0x03), .in = { R(RBX, D) }, OK, .addr = D, .mem_len = 16,
	  .mem_out = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 }, .rip_adv = 3 },
	{ "vmovdqu_ymm_m256_store", M64, B(0xc5, 0xfe, 0x7f, 0x43, 0x10), .in = { R(RBX, D - 0x10) }, OK,
	  .addr = D + 16, .mem_len = 16, .mem_out = { 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 },
	  .rip_adv = 5, .mem_ops = 1 },
	{ "vex_vvvv_not_1111_ud", M64, B(0xc5, 0xf6, 0x7f, 0x03), EXC(X86EMU_EXC_UD, 0) },
	{ "vex_l1_vmovd_ud", M64, B(0xc5, 0xfd, 0x7e, 0xc0), EXC(X86EMU_EXC_UD, 0) },
	{ "vex_after_66_ud", M64, B(0x66, 0xc5, 0xfe, 0x7f, 0x03), EXC(X86EMU_EXC_UD, 0) },
	{ "vex_map_0f38_refused", M64, B(0xc4, 0xe2, 0x79, 0x2a, 0x03), UNH },
	{ "movd_r32_xmm", M64, B(0x66, 0x0f, 0x7e, 0xc0), .in = { R(RAX, ~0ull) }, OK,
	  .out = { R(RAX, 0x03020100) }, .rip_adv = 4 },
	{ "movq_m64_xmm", M64, B(0x66, 0x0f, 0xd6, 0x03), .in = { R(RBX, D) }, OK, .addr = D, .mem_len = 8,
	  .mem_out = { 0, 1, 2, 3, 4, 5, 6, 7 }, .rip_adv = 4 },
	{ "sse_without_osfxsr_ud", M64, B(0xf3, 0x0f, 0x6f, 0x03), .in = { R(RBX, D) }, EXC(X86EMU_EXC_UD, 0),
	  .setup = CASE_NO_OSFXSR },
	{ "sse_with_cr0_ts_nm", M64, B(0xf3, 0x0f, 0x6f, 0x03), .in = { R(RBX, D) }, EXC(X86EMU_EXC_NM, 0),
	  .setup = CASE_TS },
	{ "mmx_movq_refused", M64, B(0x0f, 0x6f, 0x03), UNH },
	{ "movups_xmm_m128_load", M64, B(0x0f, 0x10, 0x03), .in = { R(RBX, D + 1) }, .addr = D + 1,
	  .mem_in = { 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9 }, OK, .rip_adv = 3, .vec_check = 1,
	  .vec_out = { 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
		       16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 } },
	{ "movupd_m128_store", M64, B(0x66, 0x0f, 0x11, 0x03), .in = { R(RBX, D + 3) }, OK, .addr = D + 3,
	  .mem_len = 16, .mem_out = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 }, .rip_adv = 4 },
	{ "movapd_xmm_m128_load", M64, B(0x66, 0x0f, 0x28, 0x03), .in = { R(RBX, D) }, .addr = D,
	  .mem_in = { 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7 }, OK, .rip_adv = 4, .vec_check = 1,
	  .vec_out = { 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
		       16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 } },
	{ "movntps_m128_store", M64, B(0x0f, 0x2b, 0x03), .in = { R(RBX, D) }, OK, .addr = D, .mem_len = 16,
	  .mem_out = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 }, .rip_adv = 3 },
	{ "movntdq_register_form_refused", M64, B(0x66, 0x0f, 0xe7, 0xc0), UNH },
	{ "movdqa_xmm_m128_load", M64, B(0x66, 0x0f, 0x6f, 0x03), .in = { R(RBX, D) }, .addr = D,
	  .mem_in = { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5 }, OK, .rip_adv = 4, .vec_check = 1,
	  .vec_out = { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
		       16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 } },
	{ "movdqu_m128_store_page_crossing", M64, B(0xf3, 0x0f, 0x7f, 0x03), .in = { R(RBX, 0x18ff8) }, OK,
	  .addr = 0x18ff8, .mem_len = 16, .mem_out = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	  .rip_adv = 4, .mem_ops = 2 },
	{ "movd_xmm_m32_zeroes_to_127", M64, B(0x66, 0x0f, 0x6e, 0x03), .in = { R(RBX, D) }, .addr = D,
	  .mem_in = { 1, 2, 3, 4 }, OK, .rip_adv = 4, .vec_check = 1,
	  .vec_out = { 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		       16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 } },
	{ "movq_xmm_r64_rex_w", M64, B(0x66, 0x48, 0x0f, 0x6e, 0xc0), .in = { R(RAX, 0x0807060504030201) }, OK,
	  .rip_adv = 5, .vec_check = 1,
	  .vec_out = { 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0,
		       16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 } },
	{ "movq_xmm_xmm_register", M64, B(0xf3, 0x0f, 0x7e, 0xc1), OK, .rip_adv = 4, .vec_check = 1,
	  .vec_out = { 0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0,
		       16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 } },
	{ "vmovaps_ymm_m256_load", M64, B(0xc5, 0xfc, 0x28, 0x03), .in = { R(RBX, D) }, .addr = D,
	  .mem_in = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, OK, .rip_adv = 4, .vec_check = 1,
	  .vec_out = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 } },
	{ "vmovq_xmm_m64_zeroes_to_255", M64, B(0xc5, 0xfa, 0x7e, 0x03), .in = { R(RBX, D) }, .addr = D,
	  .mem_in = { 1, 2, 3, 4, 5, 6, 7, 8 }, OK, .rip_adv = 4, .vec_check = 1,
	  .vec_out = { 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ "vmovd_r32_xmm", M64, B(0xc5, 0xf9, 0x7e, 0xc0), .in = { R(RAX, ~0ull) }, OK,
	  .out = { R(RAX, 0x03020100) }, .rip_adv = 4 },
	{ "vmovntdq_m256_store", M64, B(0xc5, 0xfd, 0xe7, 0x03), .in = { R(RBX, D) }, OK, .addr = D,
	  .mem_len = 16, .mem_out = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 }, .rip_adv = 4 },
	{ "avx_without_xcr0_ymm_ud", M64, B(0xc5, 0xfe, 0x6f, 0x03), .in = { R(RBX, D) }, EXC(X86EMU_EXC_UD, 0),
	  .setup = CASE_NO_AVX },
	/* ---- legacy modes and segmentation ---- */
	{ "prot32_moffs32", M32, B(0xa1, 0x00, 0x80, 0x01, 0x00), .addr = D, .mem_in = { 1, 2, 3, 4 }, OK,
	  .out = { R(RAX, 0x04030201) }, .rip_adv = 5 },
	{ "prot16_addr32_sib", M16, B(0x67, 0x8b, 0x04, 0x1e), .in = { R(RSI, 0x10000), R(RBX, D - 0x10000) },
	  .addr = D, .mem_in = { 1, 2 }, OK, .out = { R(RAX, 0x0201) }, .rip_adv = 4 },
	{ "prot32_sib_addressing", M32, B(0x8b, 0x44, 0xb3, 0x08), .in = { R(RBX, D - 0x28), R(RSI, 8) },
	  .addr = D, .mem_in = { 1, 2, 3, 4 }, OK, .out = { R(RAX, 0x04030201) }, .rip_adv = 4 },
	{ "prot32_addr16_bx_si", M32, B(0x67, 0x8b, 0x40, 0x02), .in = { R(RBX, 0x8000), R(RSI, 0x0ffe) },
	  .addr = 0x9000, .mem_in = { 9 }, OK, .out = { R(RAX, 9) }, .rip_adv = 4 },
	{ "prot16_mov_ax_bx_di", M16, B(0x8b, 0x01), .in = { R(RBX, 0x8000), R(RDI, 0x1000), R(RAX, 0xffff0000) },
	  .addr = 0x9000, .mem_in = { 1, 2 }, OK, .out = { R(RAX, 0xffff0201) }, .rip_adv = 2 },
	{ "prot16_opsize32", M16, B(0x66, 0x89, 0x07), .in = { R(RBX, 0x9000), R(RAX, 0x11223344) }, OK,
	  .addr = 0x9000, .mem_len = 4, .mem_out = { 0x44, 0x33, 0x22, 0x11 }, .rip_adv = 3 },
	{ "real_mov_bp_di_uses_ss", MRM, B(0x88, 0x03), .in = { R(RBP, 0x8000), R(RDI, 0x1000), R(RAX, 0x5a) },
	  OK, .addr = 0x9000, .mem_len = 1, .mem_out = { 0x5a }, .rip_adv = 2 },
	{ "real_limit_violation_gp_no_error_code", MRM, B(0x8b, 0x07), .in = { R(RBX, 0xffff) },
	  EXC(X86EMU_EXC_GP, 0) },
	{ "prot32_ds_limit_gp", M32, B(0x8b, 0x03), .in = { R(RBX, 0xffe) }, EXC(X86EMU_EXC_GP, 0),
	  .setup = CASE_SEG_LIMIT },
	{ "prot32_ss_limit_ss", M32, B(0x8b, 0x45, 0x00), .in = { R(RBP, 0x1000) }, EXC(X86EMU_EXC_SS, 0),
	  .setup = CASE_SS_LIMIT },
	{ "prot32_write_readonly_gp", M32, B(0x89, 0x03), .in = { R(RBX, D) }, EXC(X86EMU_EXC_GP, 0),
	  .setup = CASE_SEG_RO },
	{ "prot32_expand_down_below_limit_gp", M32, B(0x8b, 0x03), .in = { R(RBX, 0x17000) }, EXC(X86EMU_EXC_GP, 0),
	  .setup = CASE_EXPDOWN },
	{ "prot32_expand_down_above_limit_ok", M32, B(0x8b, 0x03), .in = { R(RBX, D) }, .addr = D,
	  .mem_in = { 3 }, OK, .out = { R(RAX, 3) }, .rip_adv = 2, .setup = CASE_EXPDOWN },
	{ "long64_non_canonical_gp", M64, B(0x8b, 0x03), .in = { R(RBX, 0x0000800000000000) },
	  EXC(X86EMU_EXC_GP, 0) },
	{ "long64_non_canonical_rsp_ss", M64, B(0x8b, 0x04, 0x24), .in = { R(RSP, 0x8000000000000000) },
	  EXC(X86EMU_EXC_SS, 0) },
	/* ---- alignment check ---- */
	{ "cpl3_ac_misaligned_dword_ac", M64, .cpl = 3, B(0x8b, 0x03), .in = { R(RBX, D + 2) },
	  .flags_in = X86EMU_FLAG_AC, EXC(X86EMU_EXC_AC, 0), .setup = CASE_AM },
	{ "cpl3_ac_aligned_dword_ok", M64, .cpl = 3, B(0x8b, 0x03), .in = { R(RBX, D + 4) }, .addr = D + 4,
	  .mem_in = { 1 }, .flags_in = X86EMU_FLAG_AC, OK, .out = { R(RAX, 1) }, .flags_out = 0, .rip_adv = 2,
	  .setup = CASE_AM },
	{ "cpl0_ac_misaligned_ok", M64, B(0x8b, 0x03), .in = { R(RBX, D + 2) }, .flags_in = X86EMU_FLAG_AC, OK,
	  .rip_adv = 2, .setup = CASE_AM },
	{ "movsxd_r16_reads_dword", M64, .cpl = 3, B(0x66, 0x63, 0x03), .in = { R(RBX, D + 2) },
	  .flags_in = X86EMU_FLAG_AC, EXC(X86EMU_EXC_AC, 0), .setup = CASE_AM },
	/* ---- decoder rules ---- */
	{ "lock_mov_ud", M64, B(0xf0, 0x89, 0x03), .in = { R(RBX, D) }, EXC(X86EMU_EXC_UD, 0) },
	{ "lock_add_register_ud", M64, B(0xf0, 0x01, 0xc3), EXC(X86EMU_EXC_UD, 0) },
	{ "lock_cmp_ud", M64, B(0xf0, 0x39, 0x03), EXC(X86EMU_EXC_UD, 0) },
	{ "sixteen_bytes_gp", M64, B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
				      0x66, 0x89, 0x43, 0x10), EXC(X86EMU_EXC_GP, 0) },
	{ "fifteen_bytes_ok", M64, B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
				     0x89, 0x43, 0x10), .in = { R(RBX, D - 0x10), R(RAX, 0xbeef) }, OK, .addr = D,
	  .mem_len = 2, .mem_out = { 0xef, 0xbe }, .rip_adv = 15 },
	{ "ud2_refused", M64, B(0x0f, 0x0b), UNH },
	{ "hlt_refused", M64, B(0xf4), UNH },
	{ "cpuid_refused", M64, B(0x0f, 0xa2), UNH },
	{ "not_m32_refused", M64, B(0xf7, 0x13), UNH },
	{ "group11_other_digit_refused", M64, B(0xc7, 0x0b, 0, 0, 0, 0), UNH },
	{ "op_82_ud_in_64bit", M64, B(0x82, 0x03, 0x01), EXC(X86EMU_EXC_UD, 0) },
	{ "op_82_alias_in_32bit", M32, B(0x82, 0x03, 0x01), .in = { R(RBX, D) }, .addr = D, .mem_in = { 1 }, OK,
	  .mem_len = 1, .mem_out = { 2 }, .rip_adv = 3 },
	{ "les_refused_in_32bit", M32, B(0xc4, 0x03), UNH },
};

#define X86EMU_NCASES (sizeof(x86emu_cases) / sizeof(x86emu_cases[0]))

#endif
