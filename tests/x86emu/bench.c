/* x86emu benchmark driver for callgrind (tests/x86emu/bench.sh): one call of bench_mov() decodes and
 * executes a 4-byte MMIO store `mov [rbx+0x10], eax`; bench_movsb() a `rep movsb` of 64 bytes. Both
 * run against the model vCPU (tests/x86emu/fakecpu.c), whose callbacks are included in the count.
 *   usage: bench mov|movsb */
#include <stdio.h>
#include <string.h>

#include "tests/x86emu/fakecpu.h"

static uint8_t mem[0x4000];

static void setup(struct fake_cpu *c)
{
	memset(c, 0, sizeof(*c));
	fake_cpu_init64(c, 0);
	c->mem = mem;
	c->mem_base = 0x100000;
	c->mem_size = sizeof(mem);
	c->rip = 0x400000;
}

__attribute__((noinline)) int bench_mov(struct fake_cpu *c)
{
	static const uint8_t bytes[] = { 0x89, 0x43, 0x10 };
	struct x86emu emu = { .ops = &fake_cpu_ops, .ctx = c, .mode = X86EMU_MODE_LONG64 };
	struct x86emu_insn insn;
	enum x86emu_result r = x86emu_decode(&insn, X86EMU_MODE_LONG64, bytes, sizeof(bytes), &emu.exc);

	if (r == X86EMU_DONE)
		r = x86emu_execute(&emu, &insn);
	return (int)r;
}

__attribute__((noinline)) int bench_movsb(struct fake_cpu *c)
{
	static const uint8_t bytes[] = { 0xf3, 0xa4 };
	struct x86emu emu = { .ops = &fake_cpu_ops, .ctx = c, .mode = X86EMU_MODE_LONG64 };
	struct x86emu_insn insn;
	enum x86emu_result r = x86emu_decode(&insn, X86EMU_MODE_LONG64, bytes, sizeof(bytes), &emu.exc);

	if (r == X86EMU_DONE)
		r = x86emu_execute(&emu, &insn);
	return (int)r;
}

int main(int argc, char **argv)
{
	struct fake_cpu c;
	int r;

	setup(&c);
	if (argc > 1 && strcmp(argv[1], "movsb") == 0) {
		c.gpr[X86EMU_RSI] = 0x100100;
		c.gpr[X86EMU_RDI] = 0x100800;
		c.gpr[X86EMU_RCX] = 64;
		r = bench_movsb(&c);
		if (r != X86EMU_DONE || c.gpr[X86EMU_RCX] != 0 || memcmp(mem + 0x100, mem + 0x800, 64) != 0)
			return 1;
	} else {
		c.gpr[X86EMU_RBX] = 0x100200;
		c.gpr[X86EMU_RAX] = 0x11223344;
		r = bench_mov(&c);
		if (r != X86EMU_DONE || mem[0x210] != 0x44 || c.rip != 0x400003)
			return 1;
	}
	return 0;
}
