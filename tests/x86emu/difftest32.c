/* Compatibility-mode phases of the x86emu differential test: the integer forms of difftest.c run as
 * 32-bit code (Linux's selector 0x23) and as 16-bit code (an LDT code segment based at CODE_BASE),
 * with 16- and 32-bit operand sizes and 16- and 32-bit addressing ([BX+SI], [BP+DI], disp16...,
 * chosen by the code segment's default and the 66/67 prefixes). ES and GS come from this process's
 * LDT: an expand-up segment based at the scratch buffer with limit 0x3fff and an expand-down one with
 * limit 0xfff, so segment-limit #GP(0) and expand-down rules are checked against the CPU as well. The
 * emulator runs the same bytes in X86EMU_MODE_PROT32 / X86EMU_MODE_PROT16 with the same descriptor
 * caches.
 */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tests/x86emu/difftest.h"

#define LDT_UP_SEL 0x07   /* LDT entry 0, RPL 3 */
#define LDT_DOWN_SEL 0x0f /* LDT entry 1, RPL 3 */
#define LDT_CODE16_SEL 0x17 /* LDT entry 2: 16-bit code at CODE_BASE */
#define UP_LIMIT 0x3fffu
#define DOWN_LIMIT 0x0fffu
#define STACK32_BASE 0x51000000ull
#define STACK32_SIZE 0x10000ull
#define STUB_OFF 0x800
#define STUB16_OFF 0x900
#define FARPTR_OFF 0xa00
#define FARPTR16_OFF 0xa08
#define RETPTR_OFF 0xa10

uint64_t dt_stub64, dt_stack32_top;
static bool code16; /* the phase runs a 16-bit code segment */

static int pick_reg8(void)
{
	int r;
	do
		r = (int)rn(8);
	while (r == 4);
	return r;
}

/* 32-bit addressing: base/index/scale/disp solved for EA = target - segment base (mod 2^32). */
static void gen_mem32(struct gen *g)
{
	uint64_t ea = (g->target - (g->gs ? SCRATCH_BASE : 0)) & 0xffffffffull;

	g->mode = (int)rn(6); /* 0 base+disp, 1 base+index, 2 index+disp32, 3 SIB disp32, 4 disp32, 5 base */
	g->base = g->index = -1;
	g->scale = rn(4);
	if (g->mode == 0 || g->mode == 1 || g->mode == 5)
		g->base = pick_reg8();
	if (g->mode == 1 || g->mode == 2) {
		do
			g->index = pick_reg8();
		while (g->index == g->base);
	}
	if (g->mode == 5 && g->base == 5)
		g->mode = 0;
	g->disp_size = g->mode == 5 ? 0 : (g->mode >= 2 ? 4 : (rn(2) ? 1 : 4));
	g->disp = g->disp_size == 1 ? (int8_t)rnd() : g->disp_size == 4 ? (int32_t)rnd() : 0;
	uint64_t idxv = 0;
	if (g->index >= 0) {
		idxv = rnd() & 0xffffffffull;
		g->st.gpr[g->index] = idxv;
	}
	if (g->mode == 2)
		g->disp = (int64_t)(int32_t)(uint32_t)(ea - (idxv << g->scale));
	if (g->mode == 3 || g->mode == 4)
		g->disp = (int64_t)(int32_t)(uint32_t)ea;
	if (g->base >= 0)
		g->st.gpr[g->base] = (ea - (uint64_t)g->disp - (idxv << g->scale)) & 0xffffffffull;
}

/* 16-bit addressing (SDM Vol. 2 Table 2-1), always through GS: EA = target - SCRATCH_BASE. */
static void gen_mem16(struct gen *g, unsigned int regf)
{
	static const int8_t base16[8] = { 3, 3, 5, 5, -1, -1, 5, 3 };
	static const int8_t index16[8] = { 6, 7, 6, 7, 6, 7, -1, -1 };
	uint64_t ea = g->target - SCRATCH_BASE;
	unsigned int rm = rn(8), mod = rn(3);
	uint64_t disp = mod == 1 ? (uint64_t)(int64_t)(int8_t)rnd() : mod == 2 ? rnd() & 0xffff : 0;

	g->base = (rm == 6 && mod == 0) ? -1 : base16[rm];
	g->index = index16[rm];
	if (rm == 6 && mod == 0)
		disp = ea;
	uint64_t idxv = rnd() & 0xffff;
	if (g->index >= 0)
		g->st.gpr[g->index] = (rnd() & 0xffff0000ull) | idxv;
	else
		idxv = 0;
	if (g->base >= 0)
		g->st.gpr[g->base] = (rnd() & 0xffff0000ull) | ((ea - disp - idxv) & 0xffff);
	else if (g->index >= 0)
		g->st.gpr[g->index] = (rnd() & 0xffff0000ull) | ((ea - disp) & 0xffff);
	emit(g, (uint8_t)((mod << 6) | ((regf & 7) << 3) | rm));
	if (mod == 1)
		emit(g, (uint8_t)disp);
	else if (mod == 2 || (mod == 0 && rm == 6))
		emit_le(g, disp, 2);
}

static uint64_t pick_target32(const struct gen *g, unsigned int len)
{
	uint64_t off;

	if (g->gs && g->gs_down)
		off = 0xff0 + rn(0x2800); /* below 0x1000: #GP */
	else if (g->gs && rn(6) == 0)
		off = UP_LIMIT + 1 - rn(8) - 1; /* may cross the limit: #GP */
	else if (rn(4) == 0)
		off = 0x2000 - 1 - rn(len > 1 ? len - 1 : 1);
	else
		off = 0x800 + rn(0x3000);
	return SCRATCH_BASE + off;
}

static void gen_int32(struct gen *g)
{
	const struct form *f = g->f;
	uint8_t pfx[8];
	unsigned int np = 0;
	bool byte = f->sizes == SZ_B;

	g->opsize = byte ? 1 : pick_size(f->sizes & (SZ_W | SZ_D));
	g->mem = f->kind == K_MEM || f->kind == K_MOFFS || (f->kind == K_RM && rn(3) != 0);
	bool p67 = g->mem && rn(3) == 0;
	g->a32 = p67 != code16; /* here: 16-bit addressing */
	g->gs = g->mem && (g->a32 || rn(2) == 0);
	g->gs_down = g->gs && rn(3) == 0;
	g->target = pick_target32(g, g->opsize);
	g->reg = f->digit >= 0 ? f->digit : (byte ? (int)rn(8) : pick_reg8());
	if (!byte && (g->opsize == 2) != code16)
		pfx[np++] = 0x66;
	if (p67)
		pfx[np++] = 0x67;
	if (g->gs)
		pfx[np++] = 0x65;
	if ((f->flags & F_LOCK) && g->mem ? rn(2) : rn(24) == 0)
		pfx[np++] = 0xf0;
	shuffle_emit(g, pfx, np);
	if (g->mem && f->kind != K_MOFFS && !g->a32)
		gen_mem32(g);
	if (f->flags & F_BTREG) {
		/* the bit offset register must not be an address register (16-bit forms use BX/BP/SI/DI) */
		while (g->reg == g->base || g->reg == g->index || g->reg == 4 || (g->a32 && g->reg > 2))
			g->reg = pick_reg8();
		int64_t off = (int64_t)rn(512) - 256;
		g->st.gpr[g->reg] = g->mem ? (uint64_t)off & 0xffffffffull : rnd() & 0xffffffffull;
	}
	if (f->map >= 1)
		emit(g, 0x0f);
	if (f->map == 2)
		emit(g, 0x38);
	if (f->kind == K_OI)
		g->reg = byte ? (int)rn(8) : pick_reg8();
	emit(g, (uint8_t)(f->kind == K_OI ? f->opc + (g->reg & 7) : f->opc));
	if (f->kind == K_MOFFS) {
		emit_le(g, g->target - (g->gs ? SCRATCH_BASE : 0), g->a32 ? 2 : 4);
	} else if (f->kind == K_RM || f->kind == K_MEM) {
		if (g->mem && g->a32)
			gen_mem16(g, (unsigned int)g->reg);
		else if (g->mem)
			emit_modrm_mem(g, (unsigned int)g->reg);
		else
			emit(g, (uint8_t)(0xc0 | ((g->reg & 7) << 3) | (g->rm = byte ? (int)rn(8) : pick_reg8())));
	}
	emit_imm(g);
}

/* Strings: destination ES:(E)DI in the expand-up LDT segment; source DS:(E)SI flat or GS:(E)SI. */
static void gen_str32(struct gen *g)
{
	const struct form *f = g->f;
	uint8_t pfx[8];
	unsigned int np = 0;

	g->opsize = f->sizes == SZ_B ? 1 : pick_size(f->sizes & (SZ_W | SZ_D));
	bool p67 = rn(3) == 0;
	g->a32 = p67 != code16; /* 16-bit addressing: SI/DI/CX */
	g->gs = g->a32 || rn(2) == 0;
	g->gs_down = g->gs && rn(3) == 0;
	if (g->opsize != 1 && (g->opsize == 2) != code16)
		pfx[np++] = 0x66;
	if (p67)
		pfx[np++] = 0x67;
	if (g->gs)
		pfx[np++] = 0x65;
	if (rn(4) != 0)
		pfx[np++] = rn(4) ? 0xf3 : 0xf2;
	if (rn(24) == 0)
		pfx[np++] = 0xf0;
	shuffle_emit(g, pfx, np);
	emit(g, f->opc);
	uint64_t keep = g->a32 ? 0xffff0000ull : 0;
	uint64_t si = 0x1800 + rn(0x1000), di = 0x1800 + rn(0x1000), cx = rn(8) == 0 ? 0 : rn(48);
	if (!g->gs)
		si += SCRATCH_BASE;
	g->st.gpr[X86EMU_RSI] = (rnd() & keep) | si;
	g->st.gpr[X86EMU_RDI] = (rnd() & keep) | di;
	g->st.gpr[X86EMU_RCX] = (rnd() & keep) | cx;
	g->target = SCRATCH_BASE + di;
}

/* Vector forms with XMM0-7 only: legacy SSE (mandatory prefix, no REX) or VEX with R/X/B = 0. */
static void gen_vec32(struct gen *g)
{
	const struct form *f = g->f;
	bool gpr_rm = f->opc == 0x6e || (f->opc == 0x7e && f->pfx == 0x66);
	bool mem_only = f->opc == 0x2b || f->opc == 0xe7;
	uint8_t pfx[8];
	unsigned int np = 0;

	g->opsize = gpr_rm ? 4 : f->vlen;
	g->mem = mem_only || rn(3) != 0;
	bool p67 = g->mem && rn(3) == 0;
	g->a32 = p67 != code16; /* 16-bit addressing */
	g->gs = g->mem && (g->a32 || rn(2) == 0);
	g->gs_down = g->gs && rn(3) == 0;
	g->target = pick_target32(g, g->opsize);
	if (f->align)
		g->target &= ~(uint64_t)(f->align - 1);
	if (f->align && rn(8) == 0)
		g->target += 8; /* misaligned: #GP(0) */
	g->reg = (int)rn(8);
	if (p67)
		pfx[np++] = 0x67;
	if (g->gs)
		pfx[np++] = 0x65;
	if (!f->vex && f->pfx)
		pfx[np++] = f->pfx;
	if (rn(24) == 0)
		pfx[np++] = 0xf0; /* #UD */
	shuffle_emit(g, pfx, np);
	unsigned int pp = f->pfx == 0x66 ? 1 : f->pfx == 0xf3 ? 2 : f->pfx == 0xf2 ? 3 : 0;
	if (!f->vex) {
		emit(g, 0x0f);
	} else if (rn(2)) {
		emit(g, 0xc5);
		emit(g, (uint8_t)(0xf8 | ((f->vex == 2) << 2) | pp));
	} else {
		emit(g, 0xc4);
		emit(g, 0xe1);
		emit(g, (uint8_t)(0x78 | ((f->vex == 2) << 2) | pp));
	}
	emit(g, f->opc);
	if (g->mem && g->a32) {
		gen_mem16(g, (unsigned int)g->reg);
	} else if (g->mem) {
		gen_mem32(g);
		emit_modrm_mem(g, (unsigned int)g->reg);
	} else {
		g->rm = gpr_rm ? pick_reg8() : (int)rn(8);
		emit(g, (uint8_t)(0xc0 | ((g->reg & 7) << 3) | (g->rm & 7)));
	}
}

static bool form_ok32(const struct form *f)
{
	if (f->map == 0 && f->opc == 0x63)
		return false; /* ARPL outside 64-bit mode */
	if ((f->need == N_MOVBE && !dt_have_movbe) || (f->need == N_AVX && !dt_use_avx))
		return false;
	return f->kind == K_V || (f->sizes & (SZ_B | SZ_W | SZ_D)) != 0;
}

static void gen_case32(struct gen *g, const struct form *f)
{
	memset(g, 0, sizeof(*g));
	g->f = f;
	g->base = g->index = g->rm = -1;
	for (unsigned int i = 0; i < 8; i++)
		g->st.gpr[i] = rn(4) == 0 ? rnd() & 0xff : rnd() & 0xffffffffull;
	g->st.gpr[X86EMU_RSP] = 0;
	g->st.rflags = 0x202 | (rnd() & (X86EMU_FLAGS_ARITH | X86EMU_FLAG_DF));
	if (rn(4) == 0)
		g->st.rflags |= X86EMU_FLAG_AC;
	for (unsigned int i = 0; i < 16; i++)
		for (unsigned int j = 0; j < 32; j += 8) {
			uint64_t v = rnd();
			memcpy(&g->st.vec[i][j], &v, 8);
		}
	if (f->kind == K_STR)
		gen_str32(g);
	else if (f->kind == K_V)
		gen_vec32(g);
	else
		gen_int32(g);
	g->undef = f->undef;
}

static void emu_segments(struct fake_cpu *c, bool gs_down)
{
	const uint16_t dpl3 = 3u << X86EMU_SEG_ATTR_DPL_SHIFT;
	const uint16_t data = 0x3u | X86EMU_SEG_ATTR_S | X86EMU_SEG_ATTR_P | X86EMU_SEG_ATTR_DB | dpl3;

	fake_cpu_init_legacy(c, true, true);
	for (unsigned int i = 0; i < X86EMU_NR_SEGS; i++)
		c->seg[i].attr |= dpl3;
	c->seg[X86EMU_ES] = (struct x86emu_segdesc){ .base = SCRATCH_BASE, .limit = UP_LIMIT, .sel = LDT_UP_SEL,
						      .attr = data };
	c->seg[X86EMU_GS] = c->seg[X86EMU_ES];
	if (gs_down) {
		c->seg[X86EMU_GS].limit = DOWN_LIMIT;
		c->seg[X86EMU_GS].sel = LDT_DOWN_SEL;
		c->seg[X86EMU_GS].attr = (uint16_t)(data | 0x4u); /* expand-down */
	}
	c->cr[0] |= (1ull << 31) | (1ull << 18) | (1ull << 16); /* PG, AM, WP as Linux */
	c->cr[4] |= 1ull << 18; /* OSXSAVE */
	c->cr[X86EMU_CR_XCR0] = dt_use_avx ? 7 : 3;
	if (code16) {
		c->seg[X86EMU_CS] = (struct x86emu_segdesc){ .base = CODE_BASE, .limit = 0xfff, .sel = LDT_CODE16_SEL,
							      .attr = (uint16_t)(0xbu | X86EMU_SEG_ATTR_S |
										 X86EMU_SEG_ATTR_P | dpl3) };
	}
}

static bool run_case32(struct gen *g)
{
	struct dt_state nat = g->st;
	struct fake_cpu c;
	struct x86emu_insn insn;
	struct x86emu_exception exc;

	for (unsigned int i = 0; i < 128; i++) {
		scratch[(g->target - SCRATCH_BASE - 64 + i) % SCRATCH_SIZE] = (uint8_t)rnd();
		scratch[0x1800 + rn(0x1400)] = (uint8_t)rnd();
	}
	if (g->f->map == 1 && (g->f->opc == 0xb0 || g->f->opc == 0xb1) && g->mem && rn(2) && g->base != 0 &&
	    g->index != 0 && g->target + 4 <= SCRATCH_BASE + SCRATCH_SIZE)
		memcpy(&g->st.gpr[0], scratch + (g->target - SCRATCH_BASE), g->opsize); /* CMPXCHG equal */
	nat = g->st;
	memcpy(before, scratch, SCRATCH_SIZE);
	memcpy(emu_mem, scratch, SCRATCH_SIZE);
	memcpy(code, g->b, g->n);
	code[g->n] = code16 ? 0x66 : 0xcb; /* 32-bit far return to the 64-bit stub */
	code[g->n + 1] = 0xcb;
	native_sig = 0;
	dt_in_compat = 1;
	dt_native_run32(&nat, LDT_UP_SEL, g->gs_down ? LDT_DOWN_SEL : LDT_UP_SEL);
	dt_in_compat = 0;
	int sig = native_sig;

	memset(&c, 0, sizeof(c));
	emu_segments(&c, g->gs_down);
	c.mem_base = SCRATCH_BASE;
	c.mem = emu_mem;
	c.mem_size = SCRATCH_SIZE;
	c.rip = dt_rip_base;
	c.rflags = g->st.rflags;
	memcpy(c.gpr, g->st.gpr, sizeof(c.gpr));
	memcpy(c.vec, g->st.vec, sizeof(c.vec));
	enum x86emu_mode mode = code16 ? X86EMU_MODE_PROT16 : X86EMU_MODE_PROT32;
	struct x86emu emu = { .ops = &fake_cpu_ops, .ctx = &c, .mode = mode };
	uint8_t bytes[X86EMU_MAX_INSN_LEN + 1];
	memset(bytes, 0xcb, sizeof(bytes));
	memcpy(bytes, g->b, g->n);
	enum x86emu_result r = x86emu_decode(&insn, mode, bytes, sizeof(bytes), &exc);
	if (r == X86EMU_DONE) {
		r = x86emu_execute(&emu, &insn);
		exc = emu.exc;
	}
	bool ok = sig ? dt_compare_fault(g, &c, r, &exc, 0xffffffffull)
		      : dt_compare(g, &nat, &c, r, &insn, 0xffffffffull, true);
	if (sig || !ok)
		memcpy(scratch, sig ? before : emu_mem, SCRATCH_SIZE);
	return ok;
}

static bool setup32(void)
{
	void *stk = mmap((void *)STACK32_BASE, STACK32_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	struct user_desc up = { .entry_number = 0, .base_addr = (unsigned int)SCRATCH_BASE, .limit = UP_LIMIT,
				.seg_32bit = 1, .contents = 0, .useable = 1 };
	struct user_desc down = up, cs16 = up;

	down.entry_number = 1;
	down.limit = DOWN_LIMIT;
	down.contents = 1; /* expand-down data */
	cs16.entry_number = 2;
	cs16.base_addr = (unsigned int)CODE_BASE;
	cs16.limit = 0xfff;
	cs16.seg_32bit = 0;
	cs16.contents = 2; /* code, readable */
	if (stk != (void *)STACK32_BASE || syscall(SYS_modify_ldt, 1, &up, sizeof(up)) != 0 ||
	    syscall(SYS_modify_ldt, 1, &down, sizeof(down)) != 0 ||
	    syscall(SYS_modify_ldt, 1, &cs16, sizeof(cs16)) != 0) {
		fprintf(stderr, "x86emu-difftest: cannot set up compatibility mode (low stack or LDT)\n");
		return false;
	}
	dt_stack32_top = STACK32_BASE + STACK32_SIZE - 64;
	/* 64-bit stub: lcall *[FARPTR] (m16:32); jmp *[RETPTR] */
	uint8_t *s = code + STUB_OFF;
	uint32_t farptr = (uint32_t)(CODE_BASE + FARPTR_OFF), retptr = (uint32_t)(CODE_BASE + RETPTR_OFF);
	uint32_t target = (uint32_t)CODE_BASE;
	uint16_t sel = 0x23;
	uint64_t back = (uint64_t)(uintptr_t)dt_native_back32;
	s[0] = 0xff, s[1] = 0x1c, s[2] = 0x25;
	memcpy(s + 3, &farptr, 4);
	s[7] = 0xff, s[8] = 0x24, s[9] = 0x25;
	memcpy(s + 10, &retptr, 4);
	memcpy(code + FARPTR_OFF, &target, 4);
	memcpy(code + FARPTR_OFF + 4, &sel, 2);
	memcpy(code + RETPTR_OFF, &back, 8);
	/* the same stub for the 16-bit code segment: lcall *[FARPTR16] with offset 0, selector 0x17 */
	memcpy(code + STUB16_OFF, s, 14);
	uint32_t farptr16 = (uint32_t)(CODE_BASE + FARPTR16_OFF), zero = 0;
	uint16_t sel16 = LDT_CODE16_SEL;
	memcpy(code + STUB16_OFF + 3, &farptr16, 4);
	memcpy(code + FARPTR16_OFF, &zero, 4);
	memcpy(code + FARPTR16_OFF + 4, &sel16, 2);
	return true;
}

bool dt_run_compat(unsigned long cases, bool c16)
{
	static bool ready;
	struct gen g;
	unsigned long shown = 0;

	if (!ready && !setup32())
		return false;
	ready = true;
	code16 = c16;
	dt_stub64 = CODE_BASE + (c16 ? STUB16_OFF : STUB_OFF);
	dt_rip_base = c16 ? 0 : CODE_BASE;
	for (unsigned long i = 0; i < cases; i++) {
		const struct form *f = &forms[i % dt_nforms];
		if (!form_ok32(f))
			continue;
		gen_case32(&g, f);
		if (run_case32(&g)) {
			rep.pass++;
		} else if (++rep.fail > 50 && shown++ == 0) {
			fprintf(stderr, "x86emu-difftest: too many failures, stopping\n");
			break;
		}
	}
	return true;
}
