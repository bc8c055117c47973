/* x86emu decoder internals: operation ids and operand forms shared by decode.c and the executors.
 *
 * The decoder turns bytes into a struct x86emu_insn whose `op` names one executor (a row of the
 * dispatch table in exec.c) and whose `form` says where the operands are. Nothing here touches guest
 * state.
 */
#ifndef MANTLE_CORE_X86EMU_DECODE_H
#define MANTLE_CORE_X86EMU_DECODE_H

#include <stdint.h>

#include "core/x86emu/x86emu.h"

/* Operation ids. X86EMU_OP_NONE (0) means "not supported": the decoder never emits it. The ALU ids
 * follow the ModRM.reg order of group 1 (SDM Vol. 2 Table A-6) so group 1 maps by adding reg. */
enum x86emu_op {
	X86EMU_OP_NONE = 0,
	X86EMU_OP_ADD, X86EMU_OP_OR, X86EMU_OP_ADC, X86EMU_OP_SBB,
	X86EMU_OP_AND, X86EMU_OP_SUB, X86EMU_OP_XOR, X86EMU_OP_CMP,
	X86EMU_OP_TEST,
	X86EMU_OP_MOV,
	X86EMU_OP_MOVZX,
	X86EMU_OP_MOVSX,
	X86EMU_OP_MOVSXD,
	X86EMU_OP_XCHG,
	X86EMU_OP_CMPXCHG,
	X86EMU_OP_BT, X86EMU_OP_BTS, X86EMU_OP_BTR, X86EMU_OP_BTC,
	X86EMU_OP_MOVNTI,
	X86EMU_OP_MOVBE,
	X86EMU_OP_MOVS, X86EMU_OP_STOS, X86EMU_OP_LODS,
	X86EMU_OP_IN, X86EMU_OP_OUT, X86EMU_OP_INS, X86EMU_OP_OUTS,
	X86EMU_OP_VMOV,     /* full-width vector move: MOVDQA/U, MOVAPS/UPS/APD/UPD, VMOV* */
	X86EMU_OP_VMOVD,    /* MOVD/MOVQ between a vector register and r/m32/64 */
	X86EMU_OP_VMOVQ,    /* MOVQ xmm, xmm/m64 and MOVQ xmm/m64, xmm */
	X86EMU_OP_COUNT
};

/* Operand forms. E = ModRM r/m, G = ModRM reg, I = immediate, A = accumulator, O = register in the
 * low three opcode bits, M = moffs, X/Y = string source DS:rSI / destination ES:rDI, V = vector reg. */
enum x86emu_form {
	X86EMU_F_NONE = 0,
	X86EMU_F_EG,     /* E is destination, G source */
	X86EMU_F_GE,     /* G is destination, E source */
	X86EMU_F_EI,     /* E destination, immediate source */
	X86EMU_F_AI,     /* accumulator destination, immediate source */
	X86EMU_F_OI,     /* opcode register destination, immediate source */
	X86EMU_F_AM,     /* accumulator <- moffs */
	X86EMU_F_MA,     /* moffs <- accumulator */
	X86EMU_F_E,      /* E only (string/bit-test immediate groups use EI) */
	X86EMU_F_PORT_I, /* port in imm8 */
	X86EMU_F_PORT_D, /* port in DX */
	X86EMU_F_VE,     /* vector reg destination, E source */
	X86EMU_F_EV,     /* E destination, vector reg source */
};

/* Decoder table flags (struct x86emu_insn.dflags). */
#define X86EMU_D_MODRM 0x0001u  /* a ModRM byte follows */
#define X86EMU_D_BYTE 0x0002u   /* 8-bit operands */
#define X86EMU_D_IMM8 0x0004u   /* 8-bit immediate */
#define X86EMU_D_IMMZ 0x0008u   /* 16/32-bit immediate (sign-extended to 64 with REX.W) */
#define X86EMU_D_IMMV 0x0010u   /* immediate of the full operand size (MOV r64, imm64) */
#define X86EMU_D_MOFFS 0x0020u  /* address-size offset */
#define X86EMU_D_GRP 0x0040u    /* `op` is a group number; ModRM.reg selects the operation */
#define X86EMU_D_MEM 0x0080u    /* ModRM must name memory (#UD otherwise) */
#define X86EMU_D_LOCK 0x0100u   /* LOCK allowed when the destination is memory */
#define X86EMU_D_NO64 0x0200u   /* invalid in 64-bit mode */
#define X86EMU_D_ONLY64 0x0400u /* only in 64-bit mode (MOVSXD) */
#define X86EMU_D_MAX32 0x0800u  /* operand size at most 32 bits (REX.W ignored): port I/O */
#define X86EMU_D_STR 0x1000u    /* string instruction: REP honoured */
#define X86EMU_D_SIMD 0x2000u   /* SSE/AVX: 66/F2/F3 are mandatory prefixes */

#endif
