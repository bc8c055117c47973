/* Differential test of the x86 emulator against the host CPU (64-bit mode).
 *
 * For every supported instruction form (table `forms` below) it generates random encodings (operand
 * sizes, prefixes incl. 66/67/REX/LOCK/REP/GS override, ModRM/SIB/disp/RIP-relative addressing,
 * random registers, flags, vector registers and memory), runs the bytes natively in an executable
 * buffer through tests/x86emu/native.S on a scratch buffer at a fixed address, runs x86emu on a model
 * vCPU (tests/x86emu/fakecpu.c) holding a copy of the same memory, and compares every GPR, RIP, the
 * flags the SDM defines for that instruction, the vector registers and the scratch memory.
 *
 *   usage: x86emu-difftest [cases] [seed]     (default 120000 cases)
 *
 * Some cases are generated to fault (LOCK on a non-lockable form, a misaligned MOVDQA-class access,
 * a misaligned access at CPL 3 with RFLAGS.AC): the native fault's vector and error code come from
 * the signal context and must match the exception the emulator reports, with no state modified.
 *
 * Port I/O forms cannot run natively without touching real hardware; the unit tests cover them.
 */
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <cpuid.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <unistd.h>

#include "tests/x86emu/difftest.h"

#define AF X86EMU_FLAG_AF
#define BTU (X86EMU_FLAG_OF | X86EMU_FLAG_SF | X86EMU_FLAG_AF | X86EMU_FLAG_PF)
#define ALU(n, o, lk, u) \
	{ n " Eb,Gb", 0, (o) + 0, -1, K_RM, 0, SZ_B, 0, 0, 0, 0, 0, lk, u }, \
	{ n " Ev,Gv", 0, (o) + 1, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, lk, u }, \
	{ n " Gb,Eb", 0, (o) + 2, -1, K_RM, 0, SZ_B, 0, 0, 0, 0, 0, 0, u }, \
	{ n " Gv,Ev", 0, (o) + 3, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, 0, u }, \
	{ n " AL,Ib", 0, (o) + 4, -1, K_AI, 1, SZ_B, 0, 0, 0, 0, 0, 0, u }, \
	{ n " rAX,Iz", 0, (o) + 5, -1, K_AI, 'z', SZ_V, 0, 0, 0, 0, 0, 0, u }, \
	{ n " Eb,Ib", 0, 0x80, (o) / 8, K_RM, 1, SZ_B, 0, 0, 0, 0, 0, lk, u }, \
	{ n " Ev,Iz", 0, 0x81, (o) / 8, K_RM, 'z', SZ_V, 0, 0, 0, 0, 0, lk, u }, \
	{ n " Ev,Ib", 0, 0x83, (o) / 8, K_RM, 1, SZ_V, 0, 0, 0, 0, 0, lk, u }
#define VMOV(n, pf, o, al, v) \
	{ n, 1, o, -1, K_V, 0, 0, pf, v, al, (v) == 2 ? 32 : 16, (v) ? N_AVX : N_NONE, 0, 0 }

const struct form forms[] = {
	ALU("add", 0x00, F_LOCK, 0), ALU("or", 0x08, F_LOCK, AF), ALU("adc", 0x10, F_LOCK, 0),
	ALU("sbb", 0x18, F_LOCK, 0), ALU("and", 0x20, F_LOCK, AF), ALU("sub", 0x28, F_LOCK, 0),
	ALU("xor", 0x30, F_LOCK, AF), ALU("cmp", 0x38, 0, 0),
	{ "test Eb,Gb", 0, 0x84, -1, K_RM, 0, SZ_B, 0, 0, 0, 0, 0, 0, AF },
	{ "test Ev,Gv", 0, 0x85, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, 0, AF },
	{ "test AL,Ib", 0, 0xa8, -1, K_AI, 1, SZ_B, 0, 0, 0, 0, 0, 0, AF },
	{ "test rAX,Iz", 0, 0xa9, -1, K_AI, 'z', SZ_V, 0, 0, 0, 0, 0, 0, AF },
	{ "test Eb,Ib", 0, 0xf6, 0, K_RM, 1, SZ_B, 0, 0, 0, 0, 0, 0, AF },
	{ "test Ev,Iz", 0, 0xf7, 0, K_RM, 'z', SZ_V, 0, 0, 0, 0, 0, 0, AF },
	{ "xchg Eb,Gb", 0, 0x86, -1, K_RM, 0, SZ_B, 0, 0, 0, 0, 0, F_LOCK, 0 },
	{ "xchg Ev,Gv", 0, 0x87, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, F_LOCK, 0 },
	{ "mov Eb,Gb", 0, 0x88, -1, K_RM, 0, SZ_B, 0, 0, 0, 0, 0, 0, 0 },
	{ "mov Ev,Gv", 0, 0x89, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, 0, 0 },
	{ "mov Gb,Eb", 0, 0x8a, -1, K_RM, 0, SZ_B, 0, 0, 0, 0, 0, 0, 0 },
	{ "mov Gv,Ev", 0, 0x8b, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, 0, 0 },
	{ "mov Eb,Ib", 0, 0xc6, 0, K_RM, 1, SZ_B, 0, 0, 0, 0, 0, 0, 0 },
	{ "mov Ev,Iz", 0, 0xc7, 0, K_RM, 'z', SZ_V, 0, 0, 0, 0, 0, 0, 0 },
	{ "mov r8,Ib", 0, 0xb0, -1, K_OI, 1, SZ_B, 0, 0, 0, 0, 0, 0, 0 },
	{ "mov r,Iv", 0, 0xb8, -1, K_OI, 'v', SZ_V, 0, 0, 0, 0, 0, 0, 0 },
	{ "mov AL,moffs", 0, 0xa0, -1, K_MOFFS, 0, SZ_B, 0, 0, 0, 0, 0, 0, 0 },
	{ "mov rAX,moffs", 0, 0xa1, -1, K_MOFFS, 0, SZ_V, 0, 0, 0, 0, 0, 0, 0 },
	{ "mov moffs,AL", 0, 0xa2, -1, K_MOFFS, 0, SZ_B, 0, 0, 0, 0, 0, 0, 0 },
	{ "mov moffs,rAX", 0, 0xa3, -1, K_MOFFS, 0, SZ_V, 0, 0, 0, 0, 0, 0, 0 },
	{ "movsxd Gv,Ed", 0, 0x63, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, 0, 0 },
	{ "movzx Gv,Eb", 1, 0xb6, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, 0, 0 },
	{ "movzx Gv,Ew", 1, 0xb7, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, 0, 0 },
	{ "movsx Gv,Eb", 1, 0xbe, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, 0, 0 },
	{ "movsx Gv,Ew", 1, 0xbf, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, 0, 0 },
	{ "cmpxchg Eb,Gb", 1, 0xb0, -1, K_RM, 0, SZ_B, 0, 0, 0, 0, 0, F_LOCK, 0 },
	{ "cmpxchg Ev,Gv", 1, 0xb1, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, F_LOCK, 0 },
	{ "bt Ev,Gv", 1, 0xa3, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, F_BTREG, BTU },
	{ "bts Ev,Gv", 1, 0xab, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, F_BTREG | F_LOCK, BTU },
	{ "btr Ev,Gv", 1, 0xb3, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, F_BTREG | F_LOCK, BTU },
	{ "btc Ev,Gv", 1, 0xbb, -1, K_RM, 0, SZ_V, 0, 0, 0, 0, 0, F_BTREG | F_LOCK, BTU },
	{ "bt Ev,Ib", 1, 0xba, 4, K_RM, 1, SZ_V, 0, 0, 0, 0, 0, 0, BTU },
	{ "bts Ev,Ib", 1, 0xba, 5, K_RM, 1, SZ_V, 0, 0, 0, 0, 0, F_LOCK, BTU },
	{ "btr Ev,Ib", 1, 0xba, 6, K_RM, 1, SZ_V, 0, 0, 0, 0, 0, F_LOCK, BTU },
	{ "btc Ev,Ib", 1, 0xba, 7, K_RM, 1, SZ_V, 0, 0, 0, 0, 0, F_LOCK, BTU },
	{ "movnti My,Gy", 1, 0xc3, -1, K_MEM, 0, SZ_W | SZ_D | SZ_Q, 0, 0, 0, 0, 0, 0, 0 }, /* 66: #UD */
	{ "movbe Gv,Mv", 2, 0xf0, -1, K_MEM, 0, SZ_V, 0, 0, 0, 0, N_MOVBE, 0, 0 },
	{ "movbe Mv,Gv", 2, 0xf1, -1, K_MEM, 0, SZ_V, 0, 0, 0, 0, N_MOVBE, 0, 0 },
	{ "movsb", 0, 0xa4, -1, K_STR, 0, SZ_B, 0, 0, 0, 0, 0, 0, 0 },
	{ "movs", 0, 0xa5, -1, K_STR, 0, SZ_V, 0, 0, 0, 0, 0, 0, 0 },
	{ "stosb", 0, 0xaa, -1, K_STR, 0, SZ_B, 0, 0, 0, 0, 0, 0, 0 },
	{ "stos", 0, 0xab, -1, K_STR, 0, SZ_V, 0, 0, 0, 0, 0, 0, 0 },
	{ "lodsb", 0, 0xac, -1, K_STR, 0, SZ_B, 0, 0, 0, 0, 0, 0, 0 },
	{ "lods", 0, 0xad, -1, K_STR, 0, SZ_V, 0, 0, 0, 0, 0, 0, 0 },
	VMOV("movups V,W", 0, 0x10, 0, 0), VMOV("movups W,V", 0, 0x11, 0, 0),
	VMOV("movupd V,W", 0x66, 0x10, 0, 0), VMOV("movupd W,V", 0x66, 0x11, 0, 0),
	VMOV("movaps V,W", 0, 0x28, 16, 0), VMOV("movaps W,V", 0, 0x29, 16, 0),
	VMOV("movapd V,W", 0x66, 0x28, 16, 0), VMOV("movapd W,V", 0x66, 0x29, 16, 0),
	VMOV("movdqa V,W", 0x66, 0x6f, 16, 0), VMOV("movdqa W,V", 0x66, 0x7f, 16, 0),
	VMOV("movdqu V,W", 0xf3, 0x6f, 0, 0), VMOV("movdqu W,V", 0xf3, 0x7f, 0, 0),
	VMOV("movntps M,V", 0, 0x2b, 16, 0), VMOV("movntdq M,V", 0x66, 0xe7, 16, 0),
	{ "movd/q V,Ey", 1, 0x6e, -1, K_V, 0, SZ_D | SZ_Q, 0x66, 0, 0, 0, 0, F_W, 0 },
	{ "movd/q Ey,V", 1, 0x7e, -1, K_V, 0, SZ_D | SZ_Q, 0x66, 0, 0, 0, 0, F_W, 0 },
	{ "movq V,Wq", 1, 0x7e, -1, K_V, 0, 0, 0xf3, 0, 0, 8, 0, 0, 0 },
	{ "movq Wq,V", 1, 0xd6, -1, K_V, 0, 0, 0x66, 0, 0, 8, 0, 0, 0 },
	VMOV("vmovups V,W", 0, 0x10, 0, 1), VMOV("vmovups W,V", 0, 0x11, 0, 1),
	VMOV("vmovaps V,W", 0, 0x28, 16, 1), VMOV("vmovaps W,V", 0, 0x29, 16, 1),
	VMOV("vmovdqa V,W", 0x66, 0x6f, 16, 1), VMOV("vmovdqa W,V", 0x66, 0x7f, 16, 1),
	VMOV("vmovdqu V,W", 0xf3, 0x6f, 0, 1), VMOV("vmovdqu W,V", 0xf3, 0x7f, 0, 1),
	VMOV("vmovntdq M,V", 0x66, 0xe7, 16, 1),
	VMOV("vmovups256 V,W", 0, 0x10, 0, 2), VMOV("vmovups256 W,V", 0, 0x11, 0, 2),
	VMOV("vmovapd256 V,W", 0x66, 0x28, 32, 2), VMOV("vmovapd256 W,V", 0x66, 0x29, 32, 2),
	VMOV("vmovdqa256 V,W", 0x66, 0x6f, 32, 2), VMOV("vmovdqa256 W,V", 0x66, 0x7f, 32, 2),
	VMOV("vmovdqu256 V,W", 0xf3, 0x6f, 0, 2), VMOV("vmovdqu256 W,V", 0xf3, 0x7f, 0, 2),
	VMOV("vmovntdq256 M,V", 0x66, 0xe7, 32, 2),
	{ "vmovd/q V,Ey", 1, 0x6e, -1, K_V, 0, SZ_D | SZ_Q, 0x66, 1, 0, 0, N_AVX, F_W, 0 },
	{ "vmovd/q Ey,V", 1, 0x7e, -1, K_V, 0, SZ_D | SZ_Q, 0x66, 1, 0, 0, N_AVX, F_W, 0 },
	{ "vmovq V,Wq", 1, 0x7e, -1, K_V, 0, 0, 0xf3, 1, 0, 8, N_AVX, 0, 0 },
	{ "vmovq Wq,V", 1, 0xd6, -1, K_V, 0, 0, 0x66, 1, 0, 8, N_AVX, 0, 0 },
};
const size_t dt_nforms = sizeof(forms) / sizeof(forms[0]);
_Static_assert(sizeof(forms) / sizeof(forms[0]) <= DT_MAX_FORMS, "raise DT_MAX_FORMS");
#define NFORMS (sizeof(forms) / sizeof(forms[0]))

/* ---- random numbers (xorshift64*) ---- */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}
unsigned int rn(unsigned int n) { return (unsigned int)(rnd() % n); }

/* ---- case generation ---- */

void emit(struct gen *g, uint8_t v) { g->b[g->n++] = v; }
void emit_le(struct gen *g, uint64_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		emit(g, (uint8_t)(v >> (8 * i)));
}

static int pick_reg(void)
{
	int r;
	do
		r = (int)rn(16);
	while (r == 4);
	return r;
}

/* Picks the memory shape and the registers it uses, then solves the register values so that
 * seg_base + EA (wrapped to the address size) == target. */
static void gen_mem(struct gen *g)
{
	uint64_t amask = g->a32 ? 0xffffffffull : ~0ull;
	uint64_t ea = g->target - (g->gs ? GS_BASE : 0);

	g->mode = (int)rn(6); /* 0 base, 1 base+index, 2 index no base, 3 abs disp32, 4 rip, 5 base no disp */
	g->base = g->index = -1;
	g->scale = rn(4);
	if (g->mode == 4 && g->gs)
		g->mode = 0; /* keep RIP-relative targets simple: no segment base */
	if (g->mode == 0 || g->mode == 1 || g->mode == 5)
		g->base = pick_reg();
	if (g->mode == 1 || g->mode == 2) {
		do
			g->index = pick_reg();
		while (g->index == g->base);
	}
	if (g->mode == 5 && (g->base & 7) == 5)
		g->mode = 0;
	g->disp_size = g->mode == 5 ? 0 : (g->mode >= 2 ? 4 : (rn(2) ? 1 : 4));
	g->disp = g->disp_size == 1 ? (int8_t)rnd() : (int32_t)(rnd() >> 34);
	if (g->disp_size == 0)
		g->disp = 0;
	uint64_t idxv = 0;
	if (g->index >= 0) {
		idxv = rnd() & (g->mode == 2 ? 0xffffff : (rn(2) ? 0xffff : ~0ull));
		if (g->mode == 2) {
			/* disp32 = ea - idx << scale must fit in a signed 32-bit field */
			g->disp = (int64_t)(ea - (idxv << g->scale));
			if ((uint64_t)g->disp >= 0x7fffffffull) {
				idxv = 0;
				g->disp = (int64_t)ea;
			}
		}
		g->st.gpr[g->index] = g->a32 ? ((rnd() << 32) | (idxv & 0xffffffff)) : idxv;
	}
	if (g->mode == 3)
		g->disp = (int64_t)ea;
	if (g->base >= 0) {
		uint64_t bv = (ea - (uint64_t)g->disp - (idxv << g->scale)) & amask;
		g->st.gpr[g->base] = g->a32 ? ((rnd() << 32) | bv) : bv;
	}
	if (g->base >= 8)
		g->rex |= 0x41;
	if (g->index >= 8)
		g->rex |= 0x42;
}

void emit_modrm_mem(struct gen *g, unsigned int regf)
{
	unsigned int mod = g->disp_size == 0 ? 0 : g->disp_size == 1 ? 1 : 2;

	if (g->mode == 4) {
		emit(g, (uint8_t)(((regf & 7) << 3) | 5));
	} else if (g->mode == 2 || g->mode == 3) {
		emit(g, (uint8_t)(((regf & 7) << 3) | 4));
		unsigned int idx = g->mode == 3 ? 4 : (unsigned int)g->index & 7;
		emit(g, (uint8_t)((g->scale << 6) | (idx << 3) | 5));
	} else if (g->index >= 0 || (g->base & 7) == 4) {
		emit(g, (uint8_t)((mod << 6) | ((regf & 7) << 3) | 4));
		unsigned int idx = g->index >= 0 ? (unsigned int)g->index & 7 : 4;
		emit(g, (uint8_t)((g->scale << 6) | (idx << 3) | ((unsigned int)g->base & 7)));
	} else {
		emit(g, (uint8_t)((mod << 6) | ((regf & 7) << 3) | ((unsigned int)g->base & 7)));
	}
	g->disp_pos = g->n;
	emit_le(g, (uint64_t)g->disp, g->mode == 4 ? 4 : g->disp_size);
}

void shuffle_emit(struct gen *g, uint8_t *p, unsigned int n)
{
	for (unsigned int i = n; i > 1; i--) {
		unsigned int j = rn(i);
		uint8_t t = p[i - 1];
		p[i - 1] = p[j];
		p[j] = t;
	}
	for (unsigned int i = 0; i < n; i++)
		emit(g, p[i]);
}

static uint64_t pick_target(unsigned int align, unsigned int len)
{
	uint64_t off;

	if (rn(4) == 0) /* straddle the page boundary at 0x2000 */
		off = 0x2000 - 1 - rn(len > 1 ? len - 1 : 1);
	else
		off = 0x800 + rn((unsigned int)SCRATCH_SIZE - 0x1000);
	if (align)
		off &= ~(uint64_t)(align - 1);
	return SCRATCH_BASE + off;
}

unsigned int pick_size(uint8_t sizes)
{
	static const unsigned int all[4] = { 1, 2, 4, 8 };
	for (;;) {
		unsigned int s = all[rn(4)];
		if (sizes & s)
			return s;
	}
}

void emit_imm(struct gen *g)
{
	unsigned int n = g->f->imm == 1 ? 1 : g->f->imm == 'z' ? (g->opsize == 2 ? 2 : 4) :
			 g->f->imm == 'v' ? g->opsize : 0;
	uint64_t v = rnd();
	if (g->f->flags & F_BTREG || (g->f->map == 1 && g->f->opc == 0xba))
		v = rn(2) ? v : v & 0x3f; /* bit numbers beyond the width wrap */
	emit_le(g, v, n);
}

/* Integer forms: prefixes, REX, opcode, ModRM/SIB/disp, immediate. */
static void gen_int(struct gen *g)
{
	const struct form *f = g->f;
	uint8_t pfx[8];
	unsigned int np = 0;
	bool byte = f->sizes == SZ_B;

	g->opsize = byte ? 1 : pick_size(f->sizes);
	g->mem = f->kind == K_MEM || f->kind == K_MOFFS || (f->kind == K_RM && rn(3) != 0);
	g->a32 = (g->mem || f->kind == K_STR) && rn(4) == 0;
	g->gs = (g->mem || f->kind == K_STR) && rn(4) == 0;
	unsigned int acc_len = g->opsize;
	g->target = pick_target(0, acc_len);
	g->reg = f->digit >= 0 ? f->digit : pick_reg();
	if (g->opsize == 8)
		g->rex |= 0x48;
	if (g->opsize == 2)
		pfx[np++] = 0x66;
	if (g->a32)
		pfx[np++] = 0x67;
	if (g->gs)
		pfx[np++] = 0x65;
	if ((f->flags & F_LOCK) && g->mem ? rn(2) : rn(24) == 0)
		pfx[np++] = 0xf0; /* LOCK on a register destination or a non-lockable form is #UD */
	if (f->kind == K_STR && rn(4) != 0)
		pfx[np++] = rn(4) ? 0xf3 : 0xf2;
	if (g->mem && f->kind != K_MOFFS)
		gen_mem(g);
	if (f->flags & F_BTREG) {
		while (g->reg == g->base || g->reg == g->index)
			g->reg = pick_reg();
		int64_t off = (int64_t)rn(512) - 256;
		g->st.gpr[g->reg] = g->mem ? (uint64_t)off : rnd();
	}
	if (f->kind == K_RM && !g->mem)
		g->rm = pick_reg();
	if (f->digit < 0 && g->reg >= 8)
		g->rex |= 0x44;
	if (f->kind == K_RM && !g->mem && g->rm >= 8)
		g->rex |= 0x41;
	if (f->kind == K_OI) {
		g->reg = pick_reg();
		if (g->reg >= 8)
			g->rex |= 0x41;
	}
	if (byte && rn(3) == 0)
		g->rex |= 0x40; /* SPL..DIL instead of AH..BH */
	if (byte && !g->rex && rn(3) == 0 && f->digit < 0)
		g->reg = 4;     /* AH (ModRM.reg 4 without REX) */
	shuffle_emit(g, pfx, np);
	if (g->rex)
		emit(g, g->rex);
	if (f->map >= 1)
		emit(g, 0x0f);
	if (f->map == 2)
		emit(g, 0x38);
	emit(g, (uint8_t)(f->kind == K_OI ? f->opc + (g->reg & 7) : f->opc));
	if (f->kind == K_MOFFS) {
		emit_le(g, g->target - (g->gs ? GS_BASE : 0), g->a32 ? 4 : 8);
	} else if (f->kind == K_RM || f->kind == K_MEM) {
		if (g->mem)
			emit_modrm_mem(g, (unsigned int)g->reg);
		else
			emit(g, (uint8_t)(0xc0 | ((g->reg & 7) << 3) | (g->rm & 7)));
	}
	emit_imm(g);
}

/* String forms: rSI/rDI in the scratch buffer, a small rCX, random DF. */
static void gen_str(struct gen *g)
{
	gen_int(g);
	uint64_t as_mask = g->a32 ? 0xffffffffull : ~0ull;
	uint64_t si = SCRATCH_BASE + 0x1800 + rn(0x1000), di = SCRATCH_BASE + 0x1800 + rn(0x1000);
	if (g->gs)
		si -= GS_BASE;
	g->st.gpr[X86EMU_RSI] = g->a32 ? (rnd() << 32) | (si & as_mask) : si;
	g->st.gpr[X86EMU_RDI] = g->a32 ? (rnd() << 32) | (di & as_mask) : di;
	uint64_t cx = rn(8) == 0 ? 0 : rn(48);
	g->st.gpr[X86EMU_RCX] = g->a32 ? (rnd() << 32) | cx : cx;
}

/* Vector forms: legacy SSE (mandatory prefix + optional REX) or VEX (C5/C4). */
static void gen_vec(struct gen *g)
{
	const struct form *f = g->f;
	bool gpr_rm = f->opc == 0x6e || (f->opc == 0x7e && f->pfx == 0x66);
	bool mem_only = f->opc == 0x2b || f->opc == 0xe7;
	uint8_t pfx[8];
	unsigned int np = 0;

	g->opsize = gpr_rm ? pick_size(f->sizes) : f->vlen;
	g->mem = mem_only || rn(3) != 0;
	g->a32 = g->mem && rn(4) == 0;
	g->gs = g->mem && rn(4) == 0;
	g->target = pick_target(f->align, g->opsize);
	if (f->align && rn(8) == 0)
		g->target += 8; /* misaligned: #GP(0) */
	g->reg = (int)rn(16);
	if (g->mem)
		gen_mem(g);
	else
		g->rm = gpr_rm ? pick_reg() : (int)rn(16);
	bool w = gpr_rm && g->opsize == 8;
	bool r = g->reg >= 8, x = (g->rex & 2) != 0, b = (g->rex & 1) || (!g->mem && g->rm >= 8);
	if (g->a32)
		pfx[np++] = 0x67;
	if (g->gs)
		pfx[np++] = 0x65;
	if (!f->vex && f->pfx)
		pfx[np++] = f->pfx;
	if (rn(24) == 0)
		pfx[np++] = 0xf0; /* #UD */
	shuffle_emit(g, pfx, np);
	if (!f->vex) {
		uint8_t rex = (uint8_t)((w ? 8 : 0) | (r ? 4 : 0) | (x ? 2 : 0) | (b ? 1 : 0));
		if (rex || rn(4) == 0)
			emit(g, (uint8_t)(0x40 | rex));
		emit(g, 0x0f);
	} else {
		unsigned int pp = f->pfx == 0x66 ? 1 : f->pfx == 0xf3 ? 2 : f->pfx == 0xf2 ? 3 : 0;
		unsigned int l = f->vex == 2;
		if (!x && !b && !w && rn(2)) {
			emit(g, 0xc5);
			emit(g, (uint8_t)((r ? 0 : 0x80) | 0x78 | (l << 2) | pp));
		} else {
			emit(g, 0xc4);
			emit(g, (uint8_t)((r ? 0 : 0x80) | (x ? 0 : 0x40) | (b ? 0 : 0x20) | 1));
			emit(g, (uint8_t)((w ? 0x80 : 0) | 0x78 | (l << 2) | pp));
		}
	}
	emit(g, f->opc);
	if (g->mem)
		emit_modrm_mem(g, (unsigned int)g->reg);
	else
		emit(g, (uint8_t)(0xc0 | ((g->reg & 7) << 3) | (g->rm & 7)));
}

static void gen_case(struct gen *g, const struct form *f)
{
	memset(g, 0, sizeof(*g));
	g->f = f;
	g->base = g->index = g->rm = -1;
	for (unsigned int i = 0; i < 16; i++)
		g->st.gpr[i] = rn(4) == 0 ? rnd() & 0xff : rnd();
	g->st.gpr[X86EMU_RSP] = 0;
	for (unsigned int i = 0; i < 16; i++)
		for (unsigned int j = 0; j < 32; j += 8) {
			uint64_t v = rnd();
			memcpy(&g->st.vec[i][j], &v, 8);
		}
	g->st.rflags = 0x202 | (rnd() & (X86EMU_FLAGS_ARITH | X86EMU_FLAG_DF));
	if (rn(4) == 0)
		g->st.rflags |= X86EMU_FLAG_AC; /* misaligned accesses then raise #AC (Linux sets CR0.AM) */
	if (f->kind == K_V)
		gen_vec(g);
	else if (f->kind == K_STR)
		gen_str(g);
	else
		gen_int(g);
	if (g->mem && g->mode == 4) {
		int32_t d = (int32_t)(int64_t)(g->target - (CODE_BASE + g->n));
		memcpy(&g->b[g->disp_pos], &d, 4);
	}
	g->undef = f->undef;
}

/* ---- running ---- */
uint8_t *scratch, *code;
uint8_t emu_mem[SCRATCH_SIZE], before[SCRATCH_SIZE];
sigjmp_buf native_jmp;
volatile sig_atomic_t native_sig;
volatile sig_atomic_t dt_in_compat;
uint64_t dt_rip_base = CODE_BASE;
struct dt_fault_ctx fault_ctx;
static bool have_avx, have_movbe;
bool dt_have_movbe;
int dt_use_avx;

static void on_signal(int sig, siginfo_t *si, void *ucv)
{
	static const int map[16] = { REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
				     REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15 };
	const ucontext_t *uc = ucv;

	/* the kernel keeps RFLAGS.AC for the handler; C code must not run with it */
	__asm__ volatile("pushfq; andl $0xfffbffff, (%%rsp); popfq" ::: "memory", "cc");
	(void)si;
	for (unsigned int i = 0; i < 16; i++)
		fault_ctx.gpr[i] = (uint64_t)uc->uc_mcontext.gregs[map[i]];
	fault_ctx.rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
	fault_ctx.trapno = (uint64_t)uc->uc_mcontext.gregs[REG_TRAPNO];
	fault_ctx.err = (uint64_t)uc->uc_mcontext.gregs[REG_ERR];
	native_sig = sig;
	if (dt_in_compat) {
		/* resume in 64-bit code that restores the normal stack (see native.S) */
		ucontext_t *w = ucv;
		w->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)dt_native_fault32;
		w->uc_mcontext.gregs[REG_CSGSFS] = (w->uc_mcontext.gregs[REG_CSGSFS] & ~0xffffll) | 0x33;
		dt_in_compat = 0;
		return;
	}
	siglongjmp(native_jmp, 1);
}

static int run_native(struct gen *g, struct dt_state *out)
{
	memcpy(code, g->b, g->n);
	code[g->n] = 0xc3;
	*out = g->st;
	native_sig = 0;
	if (sigsetjmp(native_jmp, 1) == 0)
		dt_native_run(out, code, have_avx);
	return native_sig;
}

struct report rep;

void dump(const struct gen *g, const char *what)
{
	fprintf(stderr, "FAIL %s: %s, bytes", g->f->name, what);
	for (unsigned int i = 0; i < g->n; i++)
		fprintf(stderr, " %02x", g->b[i]);
	fprintf(stderr, "\n");
}

/* Compares the emulator's result with the CPU's: all GPRs but RSP (bits in gmask: the legacy eight
 * only, low halves, in compatibility mode), RIP, the defined flags, vector registers if `vec`, memory. */
bool dt_compare(const struct gen *g, const struct dt_state *nat, const struct fake_cpu *c,
		enum x86emu_result r, const struct x86emu_insn *insn, uint64_t gmask, bool vec)
{
	unsigned int ngpr = gmask == ~0ull ? 16 : 8;

	char msg[160];
	uint64_t fmask = (X86EMU_FLAGS_ARITH | X86EMU_FLAG_DF) & ~(uint64_t)g->undef;

	if (r != X86EMU_DONE) {
		snprintf(msg, sizeof(msg), "emulator returned %d (vector %u)", r, c->raised.vector);
		dump(g, msg);
		return false;
	}
	if (insn->len != g->n || c->rip != dt_rip_base + g->n) {
		snprintf(msg, sizeof(msg), "length %u vs %u", insn->len, g->n);
		dump(g, msg);
		return false;
	}
	for (unsigned int i = 0; i < ngpr; i++) {
		if (i != X86EMU_RSP && ((c->gpr[i] ^ nat->gpr[i]) & gmask)) {
			snprintf(msg, sizeof(msg), "r%u emu %#llx cpu %#llx (was %#llx)", i,
				 (unsigned long long)c->gpr[i], (unsigned long long)nat->gpr[i],
				 (unsigned long long)g->st.gpr[i]);
			dump(g, msg);
			return false;
		}
	}
	if ((c->rflags ^ nat->rflags) & fmask) {
		snprintf(msg, sizeof(msg), "rflags emu %#llx cpu %#llx (was %#llx)", (unsigned long long)c->rflags,
			 (unsigned long long)nat->rflags, (unsigned long long)g->st.rflags);
		dump(g, msg);
		return false;
	}
	for (unsigned int i = 0; vec && i < 16; i++) {
		if (memcmp(c->vec[i], nat->vec[i], have_avx ? 32 : 16) != 0) {
			snprintf(msg, sizeof(msg), "vector register %u differs", i);
			dump(g, msg);
			return false;
		}
	}
	if (memcmp(emu_mem, scratch, SCRATCH_SIZE) != 0) {
		for (unsigned int i = 0; i < SCRATCH_SIZE; i++)
			if (emu_mem[i] != scratch[i]) {
				snprintf(msg, sizeof(msg), "memory at +%#x emu %02x cpu %02x (was %02x)", i,
					 emu_mem[i], scratch[i], before[i]);
				break;
			}
		dump(g, msg);
		return false;
	}
	return true;
}

/* The CPU faulted: the emulator must report the same exception and modify nothing. */
bool dt_compare_fault(const struct gen *g, const struct fake_cpu *c, enum x86emu_result r,
		      const struct x86emu_exception *exc, uint64_t gmask)
{
	char msg[160];
	unsigned int ngpr = gmask == ~0ull ? 16 : 8;

	if (r != X86EMU_EXCEPTION || exc->vector != fault_ctx.trapno ||
	    (exc->has_error_code && exc->error_code != fault_ctx.err)) {
		snprintf(msg, sizeof(msg), "CPU raised vector %llu (error %#llx), emulator returned %d vector %u",
			 (unsigned long long)fault_ctx.trapno, (unsigned long long)fault_ctx.err, r, exc->vector);
		dump(g, msg);
		return false;
	}
	if ((fault_ctx.rip & gmask) != dt_rip_base || c->rip != dt_rip_base) {
		dump(g, "fault did not leave RIP on the instruction");
		return false;
	}
	for (unsigned int i = 0; i < ngpr; i++) {
		if (i != X86EMU_RSP && (((c->gpr[i] ^ fault_ctx.gpr[i]) & gmask) || c->gpr[i] != g->st.gpr[i])) {
			snprintf(msg, sizeof(msg), "after fault r%u emu %#llx cpu %#llx", i,
				 (unsigned long long)c->gpr[i], (unsigned long long)fault_ctx.gpr[i]);
			dump(g, msg);
			return false;
		}
	}
	if (memcmp(emu_mem, before, SCRATCH_SIZE) != 0 || memcmp(scratch, before, SCRATCH_SIZE) != 0) {
		dump(g, "memory modified by a faulting instruction");
		return false;
	}
	rep.faults++;
	return true;
}

static bool run_case(struct gen *g)
{
	struct dt_state nat;
	struct fake_cpu c;
	struct x86emu_insn insn;
	struct x86emu_exception exc;

	/* fresh random bytes around the operand and the string buffers */
	for (unsigned int i = 0; i < 128; i++) {
		scratch[(g->target - SCRATCH_BASE - 64 + i) % SCRATCH_SIZE] = (uint8_t)rnd();
		scratch[0x1800 + rn(0x1400)] = (uint8_t)rnd();
	}
	if (g->f->opc == 0xb1 || g->f->opc == 0xb0) {
		/* CMPXCHG: make the comparison succeed half of the time */
		if (g->f->map == 1 && g->mem && rn(2) && g->base != 0 && g->index != 0)
			memcpy(&g->st.gpr[0], scratch + (g->target - SCRATCH_BASE), g->opsize);
		else if (g->f->map == 1 && !g->mem && rn(2) && g->rm >= 0)
			g->st.gpr[0] = g->st.gpr[g->rm];
	}
	memcpy(before, scratch, SCRATCH_SIZE);
	memcpy(emu_mem, scratch, SCRATCH_SIZE);
	int sig = run_native(g, &nat);
	memset(&c, 0, sizeof(c));
	fake_cpu_init64(&c, 3);
	c.seg[X86EMU_GS].base = GS_BASE;
	c.mem_base = SCRATCH_BASE;
	c.mem = emu_mem;
	c.mem_size = SCRATCH_SIZE;
	c.rip = CODE_BASE;
	c.rflags = g->st.rflags;
	c.cr[0] |= 1ull << 18; /* CR0.AM, as Linux runs user space */
	memcpy(c.gpr, g->st.gpr, sizeof(c.gpr));
	memcpy(c.vec, g->st.vec, sizeof(c.vec));
	if (!have_avx)
		c.cr[X86EMU_CR_XCR0] = 3;
	struct x86emu emu = { .ops = &fake_cpu_ops, .ctx = &c, .mode = X86EMU_MODE_LONG64 };
	uint8_t bytes[X86EMU_MAX_INSN_LEN + 1];
	memset(bytes, 0xc3, sizeof(bytes));
	memcpy(bytes, g->b, g->n);
	enum x86emu_result r = x86emu_decode(&insn, X86EMU_MODE_LONG64, bytes, sizeof(bytes), &exc);
	if (r == X86EMU_DONE) {
		r = x86emu_execute(&emu, &insn);
		exc = emu.exc;
	}
	bool ok = sig ? dt_compare_fault(g, &c, r, &exc, ~0ull) : dt_compare(g, &nat, &c, r, &insn, ~0ull, true);
	if (sig)
		memcpy(scratch, before, SCRATCH_SIZE);
	if (!ok)
		memcpy(scratch, emu_mem, SCRATCH_SIZE); /* resynchronise */
	return ok;
}

static void detect_cpu(void)
{
	unsigned int a, b, c, d;

	__cpuid(1, a, b, c, d);
	have_movbe = (c >> 22) & 1;
	dt_have_movbe = have_movbe;
	if (((c >> 27) & 1) && ((c >> 28) & 1)) {
		unsigned int lo, hi;
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		have_avx = (lo & 6) == 6;
		dt_use_avx = have_avx;
	}
}

static bool form_supported(const struct form *f)
{
	return !(f->need == N_MOVBE && !have_movbe) && !(f->need == N_AVX && !have_avx);
}

static void setup(void)
{
	scratch = mmap((void *)SCRATCH_BASE, SCRATCH_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	code = mmap((void *)CODE_BASE, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (scratch != (void *)SCRATCH_BASE || code != (void *)CODE_BASE) {
		fprintf(stderr, "x86emu-difftest: cannot map the fixed scratch/code buffers\n");
		exit(2);
	}
	if (syscall(SYS_arch_prctl, ARCH_SET_GS, GS_BASE) != 0) {
		fprintf(stderr, "x86emu-difftest: arch_prctl(ARCH_SET_GS) failed\n");
		exit(2);
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	for (unsigned int i = 0; i < SCRATCH_SIZE; i++)
		scratch[i] = (uint8_t)rnd();
}

int main(int argc, char **argv)
{
	unsigned long cases = argc > 1 ? strtoul(argv[1], NULL, 0) : 120000;
	unsigned long cases32 = argc > 3 ? strtoul(argv[3], NULL, 0) : 40000;
	struct gen g;
	unsigned int shown = 0;

	if (argc > 2)
		rng_state = strtoull(argv[2], NULL, 0) | 1;
	detect_cpu();
	setup();
	for (unsigned long i = 0; i < cases; i++) {
		unsigned int fi = (unsigned int)(i % NFORMS);
		if (!form_supported(&forms[fi])) {
			rep.skipped[fi]++;
			continue;
		}
		gen_case(&g, &forms[fi]);
		if (run_case(&g)) {
			rep.pass++;
			rep.per_form[fi]++;
		} else if (++rep.fail > 50 && shown++ == 0) {
			fprintf(stderr, "x86emu-difftest: too many failures, stopping\n");
			break;
		}
	}
	unsigned int covered = 0, skipped = 0;
	for (unsigned int i = 0; i < NFORMS; i++) {
		covered += rep.per_form[i] != 0;
		if (rep.skipped[i]) {
			skipped++;
			printf("x86emu-difftest: skipped %s (host CPU lacks %s)\n", forms[i].name,
			       forms[i].need == N_AVX ? "AVX" : "MOVBE");
		}
	}
	printf("x86emu-difftest: %u instruction forms, %u covered, %u skipped (AVX %s, MOVBE %s)\n",
	       (unsigned int)NFORMS, covered, skipped, have_avx ? "yes" : "no", have_movbe ? "yes" : "no");
	printf("x86emu-difftest: 64-bit mode: %lu of the passing cases faulted on the CPU with the same exception in the emulator\n",
	       rep.faults);
	printf("x86emu-difftest: 64-bit mode: %lu passed, %lu failed\n", rep.pass, rep.fail);
	unsigned long pass64 = rep.pass, fail64 = rep.fail, faults64 = rep.faults;
	for (int code16 = 0; code16 <= 1; code16++) {
		if (rep.fail <= 50 && !dt_run_compat(cases32, code16)) {
			printf("x86emu-difftest: compatibility-mode phases skipped: this kernel refuses the LDT "
			       "or the low mappings they need\n");
			break;
		}
		printf("x86emu-difftest: compatibility mode, %s code segment (LDT data segments, 16/32-bit "
		       "addressing): %lu passed, %lu failed, %lu native faults matched\n", code16 ? "16-bit" : "32-bit",
		       rep.pass - pass64, rep.fail - fail64, rep.faults - faults64);
		pass64 = rep.pass, fail64 = rep.fail, faults64 = rep.faults;
	}
	printf("x86emu-difftest: %lu passed, %lu failed\n", rep.pass, rep.fail);
	return rep.fail ? 1 : 0;
}
