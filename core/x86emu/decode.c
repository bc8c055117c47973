/* x86 instruction decoder: prefixes, REX/VEX, opcode tables, ModRM/SIB/displacement, immediates.
 *
 * Layout of an instruction (SDM Vol. 2 §2.1, Figure 2-1):
 *
 *   [legacy prefixes][REX | VEX] opcode(1-3) [ModRM] [SIB] [disp 1/2/4] [imm 1/2/4/8]   <= 15 bytes
 *
 * Every read of an input byte goes through dec_byte(), which checks both the caller's buffer and the
 * 15-byte architectural limit. Tables are indexed by a byte, so every index is in range by type.
 */
#include "core/str.h"
#include "core/x86emu/decode.h"

struct opdesc {
	uint8_t op;
	uint8_t form;
	uint16_t flags;
};

#define M X86EMU_D_MODRM
#define B X86EMU_D_BYTE
#define L X86EMU_D_LOCK

/* ALU rows 00-3D: for each of the eight operations, six forms (SDM Vol. 2 Table A-2). */
#define ALU_ROWS(base, opid, lk)                                              \
	[(base) + 0] = { opid, X86EMU_F_EG, M | B | (lk) },                  \
	[(base) + 1] = { opid, X86EMU_F_EG, M | (lk) },                      \
	[(base) + 2] = { opid, X86EMU_F_GE, M | B },                         \
	[(base) + 3] = { opid, X86EMU_F_GE, M },                             \
	[(base) + 4] = { opid, X86EMU_F_AI, B | X86EMU_D_IMM8 },             \
	[(base) + 5] = { opid, X86EMU_F_AI, X86EMU_D_IMMZ }

#define OI8(r) [0xb0 + (r)] = { X86EMU_OP_MOV, X86EMU_F_OI, B | X86EMU_D_IMM8 }
#define OIV(r) [0xb8 + (r)] = { X86EMU_OP_MOV, X86EMU_F_OI, X86EMU_D_IMMV }

enum { GRP_1 = 1, GRP_3, GRP_11, GRP_8 };

static const struct opdesc map_onebyte[256] = {
	ALU_ROWS(0x00, X86EMU_OP_ADD, L), ALU_ROWS(0x08, X86EMU_OP_OR, L),
	ALU_ROWS(0x10, X86EMU_OP_ADC, L), ALU_ROWS(0x18, X86EMU_OP_SBB, L),
	ALU_ROWS(0x20, X86EMU_OP_AND, L), ALU_ROWS(0x28, X86EMU_OP_SUB, L),
	ALU_ROWS(0x30, X86EMU_OP_XOR, L), ALU_ROWS(0x38, X86EMU_OP_CMP, 0),
	[0x63] = { X86EMU_OP_MOVSXD, X86EMU_F_GE, M | X86EMU_D_ONLY64 },
	[0x6c] = { X86EMU_OP_INS, X86EMU_F_NONE, B | X86EMU_D_STR },
	[0x6d] = { X86EMU_OP_INS, X86EMU_F_NONE, X86EMU_D_STR | X86EMU_D_MAX32 },
	[0x6e] = { X86EMU_OP_OUTS, X86EMU_F_NONE, B | X86EMU_D_STR },
	[0x6f] = { X86EMU_OP_OUTS, X86EMU_F_NONE, X86EMU_D_STR | X86EMU_D_MAX32 },
	[0x80] = { GRP_1, X86EMU_F_EI, X86EMU_D_GRP | M | B | X86EMU_D_IMM8 },
	[0x81] = { GRP_1, X86EMU_F_EI, X86EMU_D_GRP | M | X86EMU_D_IMMZ },
	[0x82] = { GRP_1, X86EMU_F_EI, X86EMU_D_GRP | M | B | X86EMU_D_IMM8 | X86EMU_D_NO64 },
	[0x83] = { GRP_1, X86EMU_F_EI, X86EMU_D_GRP | M | X86EMU_D_IMM8 },
	[0x84] = { X86EMU_OP_TEST, X86EMU_F_EG, M | B },
	[0x85] = { X86EMU_OP_TEST, X86EMU_F_EG, M },
	[0x86] = { X86EMU_OP_XCHG, X86EMU_F_EG, M | B | L },
	[0x87] = { X86EMU_OP_XCHG, X86EMU_F_EG, M | L },
	[0x88] = { X86EMU_OP_MOV, X86EMU_F_EG, M | B },
	[0x89] = { X86EMU_OP_MOV, X86EMU_F_EG, M },
	[0x8a] = { X86EMU_OP_MOV, X86EMU_F_GE, M | B },
	[0x8b] = { X86EMU_OP_MOV, X86EMU_F_GE, M },
	[0xa0] = { X86EMU_OP_MOV, X86EMU_F_AM, B | X86EMU_D_MOFFS },
	[0xa1] = { X86EMU_OP_MOV, X86EMU_F_AM, X86EMU_D_MOFFS },
	[0xa2] = { X86EMU_OP_MOV, X86EMU_F_MA, B | X86EMU_D_MOFFS },
	[0xa3] = { X86EMU_OP_MOV, X86EMU_F_MA, X86EMU_D_MOFFS },
	[0xa4] = { X86EMU_OP_MOVS, X86EMU_F_NONE, B | X86EMU_D_STR },
	[0xa5] = { X86EMU_OP_MOVS, X86EMU_F_NONE, X86EMU_D_STR },
	[0xa8] = { X86EMU_OP_TEST, X86EMU_F_AI, B | X86EMU_D_IMM8 },
	[0xa9] = { X86EMU_OP_TEST, X86EMU_F_AI, X86EMU_D_IMMZ },
	[0xaa] = { X86EMU_OP_STOS, X86EMU_F_NONE, B | X86EMU_D_STR },
	[0xab] = { X86EMU_OP_STOS, X86EMU_F_NONE, X86EMU_D_STR },
	[0xac] = { X86EMU_OP_LODS, X86EMU_F_NONE, B | X86EMU_D_STR },
	[0xad] = { X86EMU_OP_LODS, X86EMU_F_NONE, X86EMU_D_STR },
	OI8(0), OI8(1), OI8(2), OI8(3), OI8(4), OI8(5), OI8(6), OI8(7),
	OIV(0), OIV(1), OIV(2), OIV(3), OIV(4), OIV(5), OIV(6), OIV(7),
	[0xc6] = { GRP_11, X86EMU_F_EI, X86EMU_D_GRP | M | B | X86EMU_D_IMM8 },
	[0xc7] = { GRP_11, X86EMU_F_EI, X86EMU_D_GRP | M | X86EMU_D_IMMZ },
	[0xe4] = { X86EMU_OP_IN, X86EMU_F_PORT_I, B | X86EMU_D_IMM8 },
	[0xe5] = { X86EMU_OP_IN, X86EMU_F_PORT_I, X86EMU_D_IMM8 | X86EMU_D_MAX32 },
	[0xe6] = { X86EMU_OP_OUT, X86EMU_F_PORT_I, B | X86EMU_D_IMM8 },
	[0xe7] = { X86EMU_OP_OUT, X86EMU_F_PORT_I, X86EMU_D_IMM8 | X86EMU_D_MAX32 },
	[0xec] = { X86EMU_OP_IN, X86EMU_F_PORT_D, B },
	[0xed] = { X86EMU_OP_IN, X86EMU_F_PORT_D, X86EMU_D_MAX32 },
	[0xee] = { X86EMU_OP_OUT, X86EMU_F_PORT_D, B },
	[0xef] = { X86EMU_OP_OUT, X86EMU_F_PORT_D, X86EMU_D_MAX32 },
	[0xf6] = { GRP_3, X86EMU_F_EI, X86EMU_D_GRP | M | B | X86EMU_D_IMM8 },
	[0xf7] = { GRP_3, X86EMU_F_EI, X86EMU_D_GRP | M | X86EMU_D_IMMZ },
};

#define S X86EMU_D_SIMD
static const struct opdesc map_0f[256] = {
	[0x10] = { X86EMU_OP_VMOV, X86EMU_F_VE, M | S },
	[0x11] = { X86EMU_OP_VMOV, X86EMU_F_EV, M | S },
	[0x28] = { X86EMU_OP_VMOV, X86EMU_F_VE, M | S },
	[0x29] = { X86EMU_OP_VMOV, X86EMU_F_EV, M | S },
	[0x2b] = { X86EMU_OP_VMOV, X86EMU_F_EV, M | S | X86EMU_D_MEM },
	[0x6e] = { X86EMU_OP_VMOVD, X86EMU_F_VE, M | S },
	[0x6f] = { X86EMU_OP_VMOV, X86EMU_F_VE, M | S },
	[0x7e] = { X86EMU_OP_VMOVD, X86EMU_F_EV, M | S },
	[0x7f] = { X86EMU_OP_VMOV, X86EMU_F_EV, M | S },
	[0xa3] = { X86EMU_OP_BT, X86EMU_F_EG, M },
	[0xab] = { X86EMU_OP_BTS, X86EMU_F_EG, M | L },
	[0xb0] = { X86EMU_OP_CMPXCHG, X86EMU_F_EG, M | B | L },
	[0xb1] = { X86EMU_OP_CMPXCHG, X86EMU_F_EG, M | L },
	[0xb3] = { X86EMU_OP_BTR, X86EMU_F_EG, M | L },
	[0xb6] = { X86EMU_OP_MOVZX, X86EMU_F_GE, M },
	[0xb7] = { X86EMU_OP_MOVZX, X86EMU_F_GE, M },
	[0xba] = { GRP_8, X86EMU_F_EI, X86EMU_D_GRP | M | X86EMU_D_IMM8 },
	[0xbb] = { X86EMU_OP_BTC, X86EMU_F_EG, M | L },
	[0xbe] = { X86EMU_OP_MOVSX, X86EMU_F_GE, M },
	[0xbf] = { X86EMU_OP_MOVSX, X86EMU_F_GE, M },
	[0xc3] = { X86EMU_OP_MOVNTI, X86EMU_F_EG, M | X86EMU_D_MEM },
	[0xd6] = { X86EMU_OP_VMOVQ, X86EMU_F_EV, M | S },
	[0xe7] = { X86EMU_OP_VMOV, X86EMU_F_EV, M | S | X86EMU_D_MEM },
};
#undef S
#undef M
#undef B
#undef L

/* Groups: ModRM.reg selects the operation (SDM Vol. 2 Table A-6). Unlisted rows are unsupported. */
static const uint8_t group_ops[5][8] = {
	[GRP_1] = { X86EMU_OP_ADD, X86EMU_OP_OR, X86EMU_OP_ADC, X86EMU_OP_SBB,
		    X86EMU_OP_AND, X86EMU_OP_SUB, X86EMU_OP_XOR, X86EMU_OP_CMP },
	[GRP_3] = { [0] = X86EMU_OP_TEST },
	[GRP_11] = { [0] = X86EMU_OP_MOV },
	[GRP_8] = { [4] = X86EMU_OP_BT, [5] = X86EMU_OP_BTS, [6] = X86EMU_OP_BTR, [7] = X86EMU_OP_BTC },
};

struct dec {
	const uint8_t *bytes;
	size_t avail;
	size_t pos;
	bool short_input; /* ran out of caller bytes before 15 */
	bool ud;          /* the encoding is architecturally #UD */
	bool too_long;    /* needed a 16th byte */
	uint8_t opsize_prefix, addrsize_prefix;
	int seg_override;
	uint8_t vex_w, vex_vvvv, vex_map;
};

static bool dec_byte(struct dec *d, uint8_t *out)
{
	if (d->pos >= X86EMU_MAX_INSN_LEN) {
		d->too_long = true;
		return false;
	}
	if (d->pos >= d->avail) {
		d->short_input = true;
		return false;
	}
	*out = d->bytes[d->pos++];
	return true;
}

/* Little-endian immediate/displacement of `n` bytes (1, 2, 4, 8), sign-extended if `sx`. */
static bool dec_imm(struct dec *d, unsigned int n, bool sx, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 1) {
		uint8_t b;
		if (!dec_byte(d, &b))
			return false;
		*out = sx ? (uint64_t)(int64_t)(int8_t)b : b;
		return true;
	}
	for (unsigned int i = 0; i < n; i++) {
		uint8_t b;
		if (!dec_byte(d, &b))
			return false;
		v |= (uint64_t)b << (8 * i);
	}
	if (sx && n < 8) {
		uint64_t sign = 1ull << (8 * n - 1);
		v = (v ^ sign) - sign;
	}
	*out = v;
	return true;
}

static enum x86emu_result dec_fail(const struct dec *d)
{
	/* Running out of caller bytes is "fetch more" unless the 15-byte limit came first. */
	return d->too_long ? X86EMU_EXCEPTION : X86EMU_RETRY;
}

/* Legacy prefixes (SDM Vol. 2 §2.1.1), indexed by byte; 0 for anything else. */
enum { P_NONE, P_LOCK, P_REP, P_OPSIZE, P_ADDRSIZE, P_SEG_OLD, P_FS, P_GS };
static const uint8_t prefix_kind[256] = {
	[0xf0] = P_LOCK, [0xf2] = P_REP, [0xf3] = P_REP, [0x66] = P_OPSIZE, [0x67] = P_ADDRSIZE,
	[0x26] = P_SEG_OLD, [0x2e] = P_SEG_OLD, [0x36] = P_SEG_OLD, [0x3e] = P_SEG_OLD,
	[0x64] = P_FS, [0x65] = P_GS,
};

static void dec_prefix(struct dec *d, struct x86emu_insn *insn, uint8_t b)
{
	static const int8_t seg_of[4] = { X86EMU_ES, X86EMU_CS, X86EMU_SS, X86EMU_DS };

	switch (prefix_kind[b]) {
	case P_LOCK: insn->lock = true; break;
	case P_REP: insn->rep = b; break;
	case P_OPSIZE: d->opsize_prefix = 1; break;
	case P_ADDRSIZE: d->addrsize_prefix = 1; break;
	case P_FS: d->seg_override = X86EMU_FS; break;
	case P_GS: d->seg_override = X86EMU_GS; break;
	default:
		/* 26/2E/36/3E: bits 4:3 select ES/CS/SS/DS. Ignored in 64-bit mode (SDM Vol. 1 §3.3.7.1). */
		if (insn->mode != X86EMU_MODE_LONG64)
			d->seg_override = seg_of[(b >> 3) & 3];
		break;
	}
}

/* Legacy prefixes, then REX (64-bit mode; a REX followed by another prefix is ignored). */
static bool dec_prefixes(struct dec *d, struct x86emu_insn *insn, uint8_t *opc)
{
	for (;;) {
		uint8_t b;
		if (!dec_byte(d, &b))
			return false;
		if (prefix_kind[b] != P_NONE) {
			dec_prefix(d, insn, b);
			insn->rex = 0;
			continue;
		}
		if (insn->mode == X86EMU_MODE_LONG64 && (b & 0xf0) == 0x40) {
			insn->rex = b;
			continue;
		}
		*opc = b;
		return true;
	}
}

static void dec_sizes(struct dec *d, struct x86emu_insn *insn)
{
	bool rexw = (insn->rex & 8) != 0 || d->vex_w;

	switch (insn->mode) {
	case X86EMU_MODE_LONG64:
		insn->addrsize = d->addrsize_prefix ? 4 : 8;
		insn->opsize = rexw ? 8 : (d->opsize_prefix ? 2 : 4);
		break;
	case X86EMU_MODE_PROT32:
		insn->addrsize = d->addrsize_prefix ? 2 : 4;
		insn->opsize = d->opsize_prefix ? 2 : 4;
		break;
	default:
		insn->addrsize = d->addrsize_prefix ? 4 : 2;
		insn->opsize = d->opsize_prefix ? 4 : 2;
		break;
	}
}

/* 16-bit addressing (SDM Vol. 2 Table 2-1). */
static bool dec_modrm16(struct dec *d, struct x86emu_insn *insn)
{
	static const uint8_t base16[8] = { X86EMU_RBX, X86EMU_RBX, X86EMU_RBP, X86EMU_RBP,
					   0xff, 0xff, X86EMU_RBP, X86EMU_RBX };
	static const uint8_t index16[8] = { X86EMU_RSI, X86EMU_RDI, X86EMU_RSI, X86EMU_RDI,
					    X86EMU_RSI, X86EMU_RDI, 0xff, 0xff };
	uint8_t rm = insn->modrm_rm & 7;
	uint64_t disp = 0;

	insn->base = base16[rm];
	insn->index = index16[rm];
	if (insn->modrm_mod == 0 && rm == 6) {
		insn->base = 0xff;
		if (!dec_imm(d, 2, true, &disp))
			return false;
	} else if (insn->modrm_mod == 1) {
		if (!dec_imm(d, 1, true, &disp))
			return false;
	} else if (insn->modrm_mod == 2) {
		if (!dec_imm(d, 2, true, &disp))
			return false;
	}
	insn->disp = (int64_t)disp;
	insn->seg = insn->base == X86EMU_RBP ? X86EMU_SS : X86EMU_DS;
	return true;
}

/* 32/64-bit addressing with SIB and RIP-relative forms (SDM Vol. 2 Tables 2-2, 2-3, §2.2.1.6). */
static bool dec_modrm32(struct dec *d, struct x86emu_insn *insn)
{
	uint8_t rex_b = (insn->rex & 1) << 3, rex_x = (insn->rex & 2) << 2;
	uint8_t rm = insn->modrm_rm & 7, base_lo = rm;
	uint64_t disp = 0;

	insn->index = 0xff;
	insn->base = (uint8_t)(rm | rex_b);
	if (rm == 4) {
		uint8_t sib;
		if (!dec_byte(d, &sib))
			return false;
		uint8_t idx = (uint8_t)(((sib >> 3) & 7) | rex_x);
		insn->scale = (uint8_t)(sib >> 6);
		insn->index = idx == X86EMU_RSP ? 0xff : idx;
		base_lo = sib & 7;
		insn->base = (uint8_t)(base_lo | rex_b);
		if (base_lo == 5 && insn->modrm_mod == 0)
			insn->base = 0xff;
	} else if (rm == 5 && insn->modrm_mod == 0) {
		insn->base = 0xff;
		insn->rip_rel = insn->mode == X86EMU_MODE_LONG64;
	}
	if (insn->base == 0xff || insn->modrm_mod == 2) {
		if (!dec_imm(d, 4, true, &disp))
			return false;
	} else if (insn->modrm_mod == 1) {
		if (!dec_imm(d, 1, true, &disp))
			return false;
	}
	insn->disp = (int64_t)disp;
	insn->seg = (insn->base == X86EMU_RSP || insn->base == X86EMU_RBP) ? X86EMU_SS : X86EMU_DS;
	return true;
}

static bool dec_modrm(struct dec *d, struct x86emu_insn *insn)
{
	uint8_t m;

	if (!dec_byte(d, &m))
		return false;
	insn->has_modrm = true;
	insn->modrm_mod = (uint8_t)(m >> 6);
	insn->modrm_reg = (uint8_t)(((m >> 3) & 7) | ((insn->rex & 4) << 1));
	insn->modrm_rm = (uint8_t)((m & 7) | ((insn->rex & 1) << 3));
	insn->mem = insn->modrm_mod != 3;
	if (!insn->mem)
		return true;
	if (insn->addrsize == 2)
		return dec_modrm16(d, insn);
	return dec_modrm32(d, insn);
}

/* VEX prefix (SDM Vol. 2 §2.3.5). Called with the C4/C5 byte consumed. R, X, B and vvvv are stored
 * inverted. Only map 0F is supported. */
static bool dec_vex(struct dec *d, struct x86emu_insn *insn, uint8_t c, uint8_t *opc)
{
	uint8_t b1, b2;

	if (!dec_byte(d, &b1))
		return false;
	insn->vex = true;
	if (c == 0xc5) {
		b2 = b1;
		d->vex_map = 1;
		insn->rex = (uint8_t)(0x40 | ((~b1 >> 5) & 4));
	} else {
		if (!dec_byte(d, &b2))
			return false;
		d->vex_map = b1 & 0x1f;
		insn->rex = (uint8_t)(0x40 | ((~b1 >> 5) & 7));
		d->vex_w = (uint8_t)(b2 >> 7);
	}
	if (insn->mode != X86EMU_MODE_LONG64) {
		insn->rex = 0x40 & insn->rex; /* R, X, B, W ignored outside 64-bit mode */
		d->vex_w = 0;
	}
	d->vex_vvvv = (uint8_t)((~b2 >> 3) & 0xf);
	insn->vex_l = (uint8_t)((b2 >> 2) & 1);
	insn->vex_pp = (uint8_t)(b2 & 3);
	return dec_byte(d, opc);
}

struct simd_row {
	uint8_t opc, pp, align, flags;
};
#define SR_VEXL 1 /* VEX.L = 1 allowed (256-bit) */
#define SR_LEG 2  /* legacy SSE encoding exists */

/* Accepted (opcode, mandatory prefix) pairs of the vector moves. pp: 0 none, 1 66, 2 F3, 3 F2. */
static const struct simd_row simd_rows[] = {
	{ 0x10, 0, 0, SR_VEXL | SR_LEG }, { 0x10, 1, 0, SR_VEXL | SR_LEG },   /* MOVUPS/MOVUPD load */
	{ 0x11, 0, 0, SR_VEXL | SR_LEG }, { 0x11, 1, 0, SR_VEXL | SR_LEG },   /* MOVUPS/MOVUPD store */
	{ 0x28, 0, 1, SR_VEXL | SR_LEG }, { 0x28, 1, 1, SR_VEXL | SR_LEG },   /* MOVAPS/MOVAPD load */
	{ 0x29, 0, 1, SR_VEXL | SR_LEG }, { 0x29, 1, 1, SR_VEXL | SR_LEG },   /* MOVAPS/MOVAPD store */
	{ 0x2b, 0, 1, SR_VEXL | SR_LEG }, { 0x2b, 1, 1, SR_VEXL | SR_LEG },   /* MOVNTPS/MOVNTPD */
	{ 0x6e, 1, 0, SR_LEG },                                               /* MOVD/MOVQ xmm, r/m */
	{ 0x6f, 1, 1, SR_VEXL | SR_LEG }, { 0x6f, 2, 0, SR_VEXL | SR_LEG },   /* MOVDQA/MOVDQU load */
	{ 0x7e, 1, 0, SR_LEG }, { 0x7e, 2, 0, SR_LEG },                       /* MOVD r/m, xmm; MOVQ */
	{ 0x7f, 1, 1, SR_VEXL | SR_LEG }, { 0x7f, 2, 0, SR_VEXL | SR_LEG },   /* MOVDQA/MOVDQU store */
	{ 0xd6, 1, 0, SR_LEG },                                               /* MOVQ xmm/m64, xmm */
	{ 0xe7, 1, 1, SR_VEXL | SR_LEG },                                     /* MOVNTDQ */
};

/* Resolves mandatory prefixes for the SIMD rows: X86EMU_UNHANDLEABLE for anything not in simd_rows,
 * X86EMU_EXCEPTION (with d->ud) for a listed move with VEX.vvvv != 1111b or a VEX.L it lacks. */
static enum x86emu_result dec_simd(struct dec *d, struct x86emu_insn *insn)
{
	if (!insn->vex) {
		if (d->opsize_prefix && insn->rep)
			return X86EMU_UNHANDLEABLE; /* 66 with F2/F3: refuse rather than guess precedence */
		insn->vex_pp = (uint8_t)(insn->rep == 0xf3 ? 2 : insn->rep == 0xf2 ? 3 : d->opsize_prefix);
		insn->rep = 0;
	}
	for (size_t i = 0; i < sizeof(simd_rows) / sizeof(simd_rows[0]); i++) {
		const struct simd_row *r = &simd_rows[i];
		if (r->opc != insn->opc || r->pp != insn->vex_pp)
			continue;
		if (insn->vex && (d->vex_vvvv != 0 || (insn->vex_l && !(r->flags & SR_VEXL)))) {
			d->ud = true; /* SDM Vol. 2 §2.3.6: reserved vvvv / L for these moves */
			return X86EMU_EXCEPTION;
		}
		/* F3 0F 7E is MOVQ xmm, xmm/m64 (load form), not MOVD store. */
		if (insn->opc == 0x7e && insn->vex_pp == 2) {
			insn->op = X86EMU_OP_VMOVQ;
			insn->form = X86EMU_F_VE;
		}
		insn->opsize = insn->vex_l ? 32 : 16;
		insn->align = r->align ? insn->opsize : 0;
		if (insn->op == X86EMU_OP_VMOVQ)
			insn->opsize = 8;
		else if (insn->op == X86EMU_OP_VMOVD)
			insn->opsize = ((insn->rex & 8) || d->vex_w) ? 8 : 4;
		return X86EMU_DONE;
	}
	return X86EMU_UNHANDLEABLE;
}

static enum x86emu_result dec_opcode(struct dec *d, struct x86emu_insn *insn, uint8_t opc,
				     const struct opdesc **desc)
{
	if (opc == 0x0f) {
		if (!dec_byte(d, &opc))
			return dec_fail(d);
		if (opc == 0x38) {
			insn->map = 2;
			if (!dec_byte(d, &opc))
				return dec_fail(d);
			insn->opc = opc;
			/* MOVBE (0F 38 F0/F1): F2 makes it CRC32, F3 is undefined: refuse both. */
			if ((opc != 0xf0 && opc != 0xf1) || insn->rep)
				return X86EMU_UNHANDLEABLE;
			static const struct opdesc movbe_ld = { X86EMU_OP_MOVBE, X86EMU_F_GE,
								 X86EMU_D_MODRM | X86EMU_D_MEM };
			static const struct opdesc movbe_st = { X86EMU_OP_MOVBE, X86EMU_F_EG,
								 X86EMU_D_MODRM | X86EMU_D_MEM };
			*desc = opc == 0xf0 ? &movbe_ld : &movbe_st;
			return X86EMU_DONE;
		}
		insn->map = 1;
		insn->opc = opc;
		*desc = &map_0f[opc];
		return X86EMU_DONE;
	}
	insn->map = 0;
	insn->opc = opc;
	*desc = &map_onebyte[opc];
	if (opc != 0xc4 && opc != 0xc5)
		return X86EMU_DONE;
	bool prot = insn->mode == X86EMU_MODE_PROT16 || insn->mode == X86EMU_MODE_PROT32;
	if (prot && d->pos >= d->avail)
		return dec_fail(d); /* VEX or LES/LDS depends on the next byte */
	if (insn->mode == X86EMU_MODE_LONG64 || (prot && d->bytes[d->pos] >= 0xc0)) {
		/* VEX after 66/F2/F3/REX or with LOCK is #UD (SDM Vol. 2 §2.3.2). */
		if (insn->rex || insn->rep || d->opsize_prefix || insn->lock) {
			d->ud = true;
			return X86EMU_EXCEPTION;
		}
		if (!dec_vex(d, insn, opc, &opc))
			return dec_fail(d);
		if (d->vex_map != 1)
			return X86EMU_UNHANDLEABLE;
		insn->map = 1;
		insn->opc = opc;
		if (!(map_0f[opc].flags & X86EMU_D_SIMD))
			return X86EMU_UNHANDLEABLE;
		*desc = &map_0f[opc];
		return X86EMU_DONE;
	}
	return X86EMU_DONE; /* LES/LDS: map_onebyte has no entry, so unhandleable */
}

static bool dec_immediates(struct dec *d, struct x86emu_insn *insn)
{
	uint16_t f = insn->dflags;
	unsigned int n = 0;

	if (f & X86EMU_D_IMM8)
		n = 1;
	else if (f & X86EMU_D_IMMZ)
		n = insn->opsize == 2 ? 2 : 4;
	else if (f & X86EMU_D_IMMV)
		n = insn->opsize;
	else if (f & X86EMU_D_MOFFS)
		n = insn->addrsize;
	if (n == 0)
		return true;
	insn->imm_size = (uint8_t)n;
	/* Group-1 imm8 with a wider operand (83 /r) is sign-extended; port numbers are zero-extended. */
	return dec_imm(d, n, insn->form != X86EMU_F_PORT_I && !(f & X86EMU_D_MOFFS), &insn->imm);
}

static enum x86emu_result dec_ud(struct x86emu_exception *exc)
{
	exc->vector = X86EMU_EXC_UD;
	exc->has_error_code = false;
	exc->error_code = 0;
	exc->cr2 = 0;
	return X86EMU_EXCEPTION;
}

/* LOCK is allowed on the read-modify-write forms (SDM Vol. 2 "LOCK"); for groups that depends on the
 * operation ModRM.reg selected. */
static bool lockable(const struct x86emu_insn *insn)
{
	if (!(insn->dflags & X86EMU_D_GRP))
		return (insn->dflags & X86EMU_D_LOCK) != 0;
	return (insn->op >= X86EMU_OP_ADD && insn->op <= X86EMU_OP_XOR) || insn->op == X86EMU_OP_BTS ||
	       insn->op == X86EMU_OP_BTR || insn->op == X86EMU_OP_BTC;
}

/* Checks that depend on the whole instruction: mode restrictions, memory-only forms, LOCK. */
static enum x86emu_result dec_validate(struct x86emu_insn *insn, bool d_opsize_prefix,
					struct x86emu_exception *exc)
{
	uint16_t f = insn->dflags;
	bool long64 = insn->mode == X86EMU_MODE_LONG64;

	if ((f & X86EMU_D_NO64) && long64)
		return dec_ud(exc);
	if ((f & X86EMU_D_ONLY64) && !long64)
		return X86EMU_UNHANDLEABLE; /* 63 is ARPL outside 64-bit mode */
	if ((f & X86EMU_D_MEM) && !insn->mem)
		return (f & X86EMU_D_SIMD) ? X86EMU_UNHANDLEABLE : dec_ud(exc);
	if (insn->lock && (!lockable(insn) || !insn->mem))
		return dec_ud(exc);
	/* MOVNTI has no 16-bit form: with 66 the host CPU raises #UD in every mode, and in 16-bit code
	 * without 66 it stores 32 bits. */
	if (insn->op == X86EMU_OP_MOVNTI) {
		if (d_opsize_prefix)
			return dec_ud(exc);
		if (insn->opsize == 2)
			insn->opsize = 4;
	}
	return X86EMU_DONE;
}

static enum x86emu_result dec_operands(struct dec *d, struct x86emu_insn *insn,
				       const struct opdesc *desc)
{
	insn->dflags = desc->flags;
	insn->form = desc->form;
	insn->op = desc->op;
	dec_sizes(d, insn);
	if (desc->flags & X86EMU_D_BYTE)
		insn->opsize = 1;
	else if ((desc->flags & X86EMU_D_MAX32) && insn->opsize == 8)
		insn->opsize = 4;
	if ((desc->flags & X86EMU_D_MODRM) && !dec_modrm(d, insn))
		return dec_fail(d);
	if (desc->flags & X86EMU_D_GRP)
		insn->op = desc->op < 5 ? group_ops[desc->op][insn->modrm_reg & 7] : X86EMU_OP_NONE;
	if (insn->op == X86EMU_OP_NONE)
		return X86EMU_UNHANDLEABLE;
	if (desc->flags & X86EMU_D_SIMD) {
		enum x86emu_result r = dec_simd(d, insn);
		if (r != X86EMU_DONE)
			return r;
	}
	if (!(desc->flags & (X86EMU_D_STR | X86EMU_D_SIMD)))
		insn->rep = 0; /* REP on a non-string instruction is ignored */
	if (!dec_immediates(d, insn))
		return dec_fail(d);
	if (d->seg_override >= 0)
		insn->seg = (uint8_t)d->seg_override;
	else if (!insn->mem)
		insn->seg = X86EMU_DS;
	return X86EMU_DONE;
}

enum x86emu_result x86emu_decode(struct x86emu_insn *insn, enum x86emu_mode mode, const uint8_t *bytes,
				 size_t avail, struct x86emu_exception *exc)
{
	struct dec d = { .bytes = bytes, .avail = avail, .seg_override = -1 };
	const struct opdesc *desc = NULL;
	enum x86emu_result r;
	uint8_t opc;

	__builtin_memset(insn, 0, sizeof(*insn)); /* inline even under -fno-builtin */
	if ((unsigned int)mode > X86EMU_MODE_LONG64)
		return X86EMU_UNHANDLEABLE;
	insn->mode = (uint8_t)mode;
	insn->base = insn->index = 0xff;
	if (!dec_prefixes(&d, insn, &opc))
		goto fail;
	r = dec_opcode(&d, insn, opc, &desc);
	if (r != X86EMU_DONE)
		goto out;
	r = dec_operands(&d, insn, desc);
	if (r != X86EMU_DONE)
		goto out;
	r = dec_validate(insn, d.opsize_prefix, exc);
	if (r != X86EMU_DONE)
		return r;
	insn->len = (uint8_t)d.pos;
	return X86EMU_DONE;
fail:
	r = dec_fail(&d);
out:
	if (r == X86EMU_EXCEPTION && d.ud)
		return dec_ud(exc);
	if (r == X86EMU_EXCEPTION && d.too_long) {
		/* More than 15 bytes: #GP(0) (SDM Vol. 3 §6.15, "Interrupt 13"). */
		exc->vector = X86EMU_EXC_GP;
		exc->has_error_code = true;
		exc->error_code = 0;
		exc->cr2 = 0;
	}
	return r;
}
