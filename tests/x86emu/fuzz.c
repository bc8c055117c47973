/* libFuzzer target: x86emu decode + execute (or fetch + decode + execute) on a bounded model vCPU
 * whose registers, flags, memory and page tables come from the input (format: fuzzfmt.h).
 *
 * Beyond the sanitizers it checks the result-code contract: X86EMU_UNHANDLEABLE modifies nothing,
 * X86EMU_EXCEPTION and X86EMU_RETRY leave RIP on the instruction, and instructions are <= 15 bytes. */
#include <stdlib.h>
#include <string.h>

#include "tests/x86emu/cases.h"
#include "tests/x86emu/fakecpu.h"
#include "tests/x86emu/fuzzfmt.h"

static uint8_t mem[MEM_SIZE], mem_before[MEM_SIZE];

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (unsigned int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void load_memory(const uint8_t *data, size_t size)
{
	size_t pos = FZ_MEM;

	memset(mem, 0, sizeof(mem));
	while (pos + 4 <= size) {
		size_t off = (size_t)data[pos] | (size_t)data[pos + 1] << 8 | (size_t)data[pos + 2] << 16;
		size_t len = data[pos + 3] & 31;
		pos += 4;
		if (len > size - pos)
			len = size - pos;
		off %= MEM_SIZE;
		if (len > MEM_SIZE - off)
			len = MEM_SIZE - off;
		memcpy(mem + off, data + pos, len);
		pos += len;
	}
}

static void setup(struct fake_cpu *c, const uint8_t *data, size_t size)
{
	uint8_t mode = data[FZ_MODE] & 3, ctl = data[FZ_CTL];

	memset(c, 0, sizeof(*c));
	if (mode == X86EMU_MODE_LONG64)
		fake_cpu_init64(c, ctl & 3);
	else
		fake_cpu_init_legacy(c, mode != X86EMU_MODE_REAL, mode == X86EMU_MODE_PROT32);
	c->mem = mem;
	c->mem_base = MEM_BASE;
	c->mem_size = MEM_SIZE;
	c->io_in_val = 0x12345678;
	for (unsigned int i = 0; i < 16; i++)
		c->gpr[i] = get64(data + FZ_GPR + 8 * i);
	c->rflags = get64(data + FZ_FLAGS) | 2;
	for (unsigned int i = 0; i < 16; i++)
		memset(c->vec[i], (int)i, sizeof(c->vec[i]));
	load_memory(data, size);
	if (ctl & FZ_CTL_PAGING) {
		c->paging = true;
		c->pg = (struct x86emu_paging){ .cr0 = c->cr[0] | (1ull << 31), .cr3 = MEM_BASE,
						.cr4 = c->cr[4] | (1ull << 20) | (1ull << 21) | (1ull << 22),
						.efer = c->cr[X86EMU_CR_EFER], .rflags = c->rflags,
						.pkru = (uint32_t)c->gpr[0], .maxphyaddr = 40 };
		if (mode != X86EMU_MODE_LONG64 && (ctl & 1))
			c->pg.cr4 &= ~(1ull << 5); /* 32-bit paging */
	}
	if (ctl & FZ_CTL_LIMITS) {
		c->seg[X86EMU_DS].limit = 0xfff;
		c->seg[X86EMU_SS].attr |= 4; /* expand-down */
	}
	if (ctl & FZ_CTL_TS)
		c->cr[0] |= 1ull << 3;
	if (ctl & FZ_CTL_LA57) {
		c->cr[4] |= 1ull << 12;
		c->pg.cr4 |= 1ull << 12;
	}
	c->rip = CODE_ADDR;
	if (mode == X86EMU_MODE_REAL || mode == X86EMU_MODE_PROT16) {
		c->seg[X86EMU_CS].base = 0x10000;
		c->rip = CODE_ADDR - 0x10000;
	}
	memcpy(mem + (CODE_ADDR - MEM_BASE), data + FZ_INSN, 16);
}

/* Memory is unchanged, except that with paging a translation that succeeded may have set accessed
 * and dirty bits (bits 5 and 6 of a paging-structure entry) before the access itself was refused: the
 * CPU's own walks do the same, and they belong to the caller's memory callback, not to the emulator. */
static bool memory_unchanged(bool paging)
{
	for (size_t i = 0; i < sizeof(mem); i++) {
		if (mem[i] == mem_before[i])
			continue;
		if (!paging || ((mem[i] ^ mem_before[i]) & ~0x60) || (mem[i] & mem_before[i]) != mem_before[i])
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake_cpu c;
	struct x86emu_insn insn;
	struct x86emu_exception exc;
	enum x86emu_result r;

	if (size < FZ_MEM)
		return 0;
	setup(&c, data, size);
	struct fake_cpu before = c;
	memcpy(mem_before, mem, sizeof(mem));
	struct x86emu emu = { .ops = &fake_cpu_ops, .ctx = &c, .mode = (enum x86emu_mode)(data[FZ_MODE] & 3),
			      .rep_budget = (data[FZ_CTL] & FZ_CTL_BUDGET) ? 3 : 0 };
	if (data[FZ_CTL] & FZ_CTL_EMULATE) {
		r = x86emu_emulate(&emu, &insn);
	} else {
		r = x86emu_decode(&insn, emu.mode, data + FZ_INSN, 16, &exc);
		if (r == X86EMU_DONE && insn.len > X86EMU_MAX_INSN_LEN)
			abort();
		if (r == X86EMU_DONE)
			r = x86emu_execute(&emu, &insn);
	}
	if (r == X86EMU_UNHANDLEABLE) {
		/* nothing modified */
		if (memcmp(c.gpr, before.gpr, sizeof(c.gpr)) || c.rip != before.rip || c.rflags != before.rflags ||
		    !memory_unchanged(c.paging) || memcmp(c.vec, before.vec, sizeof(c.vec)) || c.io_n)
			abort();
	}
	if ((r == X86EMU_EXCEPTION || r == X86EMU_RETRY || r == X86EMU_UNHANDLEABLE) && c.rip != before.rip)
		abort();
	return 0;
}
