/* x86emu unit tests: every row of tests/x86emu/cases.h, run twice (x86emu_decode + x86emu_execute on
 * the row's bytes, and x86emu_emulate fetching them from guest memory), plus API-level checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/x86emu/cases.h"
#include "tests/x86emu/fakecpu.h"

static uint8_t mem[MEM_SIZE];

static void setup_cpu(struct fake_cpu *c, const struct x86emu_case *tc)
{
	memset(c, 0, sizeof(*c));
	memset(mem, 0, sizeof(mem));
	if (tc->mode == X86EMU_MODE_LONG64)
		fake_cpu_init64(c, tc->cpl);
	else
		fake_cpu_init_legacy(c, tc->mode != X86EMU_MODE_REAL, tc->mode == X86EMU_MODE_PROT32);
	c->mem = mem;
	c->mem_base = MEM_BASE;
	c->mem_size = MEM_SIZE;
	c->rip = CODE_ADDR;
	c->gpr[X86EMU_RSP] = 0xdead0000;
	c->io_in_val = 0xa5a5a5a5;
	for (unsigned int i = 0; i < 16; i++)
		for (unsigned int j = 0; j < 32; j++)
			c->vec[i][j] = (uint8_t)j;
	for (unsigned int i = 0; i < 5 && tc->in[i].reg; i++)
		c->gpr[tc->in[i].reg - 1] = tc->in[i].val;
	c->rflags = 0x2 | tc->flags_in;
	if (tc->addr)
		memcpy(mem + (tc->addr - MEM_BASE), tc->mem_in, sizeof(tc->mem_in));
	memcpy(mem + (CODE_ADDR - MEM_BASE), tc->bytes, tc->len);
	if (tc->mode == X86EMU_MODE_REAL || tc->mode == X86EMU_MODE_PROT16) {
		/* 16-bit IP: run the code at CS base 0x10000 */
		c->seg[X86EMU_CS].base = 0x10000;
		c->rip = CODE_ADDR - 0x10000;
	}
	switch (tc->setup) {
	case CASE_SEG_LIMIT: c->seg[X86EMU_DS].limit = 0xfff; break;
	case CASE_SS_LIMIT: c->seg[X86EMU_SS].limit = 0xfff; break;
	case CASE_SEG_RO: c->seg[X86EMU_DS].attr &= (uint16_t)~2u; break;
	case CASE_EXPDOWN: c->seg[X86EMU_DS].attr |= 4; c->seg[X86EMU_DS].limit = 0x17fff; break;
	case CASE_FS_BASE: c->seg[X86EMU_FS].base = 0x8000; break;
	case CASE_RETRY_1ST: c->retry_countdown = 1; break;
	case CASE_NO_OSFXSR: c->cr[4] &= ~(1ull << 9); break;
	case CASE_TS: c->cr[0] |= 1ull << 3; break;
	case CASE_AM: c->cr[0] |= 1ull << 18; break;
	case CASE_NO_AVX: c->cr[X86EMU_CR_XCR0] = 3; break;
	default: break;
	}
}

/* UNHANDLEABLE and EXCEPTION leave registers, RIP, memory and ports as they were. */
static void check_untouched(const struct x86emu_case *tc, const struct fake_cpu *c, const struct fake_cpu *before,
			    const uint8_t *mem_before, enum x86emu_result r)
{
	assert_memory_equal(c->gpr, before->gpr, sizeof(c->gpr));
	assert_int_equal(c->rip, before->rip);
	assert_memory_equal(mem, mem_before, sizeof(mem));
	if (r == X86EMU_UNHANDLEABLE) {
		assert_int_equal(c->rflags, before->rflags);
		assert_int_equal(c->io_n, 0);
		return;
	}
	assert_int_equal(c->raised_n, 1);
	assert_int_equal(c->raised.vector, tc->vector);
	assert_int_equal(c->raised.error_code, tc->error_code);
	if (tc->mode == X86EMU_MODE_REAL)
		assert_false(c->raised.has_error_code);
}

static void check_done(const struct x86emu_case *tc, const struct fake_cpu *c, const struct fake_cpu *before)
{
	uint64_t fm = X86EMU_FLAGS_ARITH | X86EMU_FLAG_DF;

	assert_int_equal(c->raised_n, 0);
	assert_int_equal(c->rip, before->rip + tc->rip_adv);
	for (unsigned int i = 0; i < 5 && tc->out[i].reg; i++)
		if (c->gpr[tc->out[i].reg - 1] != tc->out[i].val)
			fail_msg("%s: gpr %u = %#llx, expected %#llx", tc->name, tc->out[i].reg - 1,
				 (unsigned long long)c->gpr[tc->out[i].reg - 1], (unsigned long long)tc->out[i].val);
	if ((c->rflags & fm) != (tc->flags_out & fm))
		fail_msg("%s: rflags %#llx, expected %#llx", tc->name, (unsigned long long)(c->rflags & fm),
			 (unsigned long long)tc->flags_out);
	if (tc->mem_len)
		assert_memory_equal(mem + (tc->addr - MEM_BASE), tc->mem_out, tc->mem_len);
	if (tc->mem_ops)
		assert_int_equal(c->mem_ops, tc->mem_ops);
	if (tc->vec_check)
		assert_memory_equal(c->vec[0], tc->vec_out, 32);
	assert_int_equal(c->io_n, tc->io_n);
	if (tc->io_n) {
		assert_int_equal(c->io_log[0].port, tc->io_port);
		assert_int_equal(c->io_log[0].val, tc->io_val);
	}
}

static void check_row(const struct x86emu_case *tc, bool via_emulate)
{
	static uint8_t mem_before[MEM_SIZE];
	struct fake_cpu c;
	struct x86emu_insn insn;
	struct x86emu_exception exc;
	enum x86emu_result r;

	setup_cpu(&c, tc);
	struct fake_cpu before = c;
	memcpy(mem_before, mem, sizeof(mem));
	struct x86emu emu = { .ops = &fake_cpu_ops, .ctx = &c, .mode = (enum x86emu_mode)tc->mode,
			      .rep_budget = tc->setup == CASE_BUDGET4 ? 4 : 0 };
	if (via_emulate) {
		r = x86emu_emulate(&emu, &insn);
	} else {
		r = x86emu_decode(&insn, (enum x86emu_mode)tc->mode, tc->bytes, tc->len, &exc);
		if (r == X86EMU_EXCEPTION) {
			c.raised = exc; /* the decoder reports; delivering is the caller's job */
			c.raised_n = 1;
		} else if (r == X86EMU_DONE) {
			r = x86emu_execute(&emu, &insn);
		}
	}
	if (r != tc->result)
		fail_msg("%s (%s): result %d, expected %d", tc->name, via_emulate ? "emulate" : "decode+execute",
			 r, tc->result);
	if (r == X86EMU_UNHANDLEABLE || r == X86EMU_EXCEPTION)
		check_untouched(tc, &c, &before, mem_before, r);
	else if (r == X86EMU_DONE)
		check_done(tc, &c, &before);
	else
		check_untouched(tc, &c, &before, mem_before, X86EMU_UNHANDLEABLE); /* RETRY: nothing done */
}

static void test_row(void **state)
{
	const struct x86emu_case *tc = *state;

	check_row(tc, false);
	check_row(tc, true);
}

/* Every truncation of a valid instruction asks for more bytes rather than guessing. */
static void test_decode_truncated_asks_for_more(void **state)
{
	static const uint8_t bytes[] = { 0x65, 0x48, 0xc7, 0x84, 0x8b, 0x11, 0x22, 0x33, 0x44, 1, 2, 3, 4 };
	struct x86emu_insn insn;
	struct x86emu_exception exc;
	(void)state;

	for (size_t n = 0; n < sizeof(bytes); n++)
		assert_int_equal(x86emu_decode(&insn, X86EMU_MODE_LONG64, bytes, n, &exc), X86EMU_RETRY);
	assert_int_equal(x86emu_decode(&insn, X86EMU_MODE_LONG64, bytes, sizeof(bytes), &exc), X86EMU_DONE);
	assert_int_equal(insn.len, sizeof(bytes));
	assert_int_equal(insn.seg, X86EMU_GS);
	assert_int_equal(insn.opsize, 8);
	assert_int_equal(insn.imm, 0x04030201);
}

/* An instruction fetch that crosses into an unmapped page reports the fetch failure. */
static void test_emulate_fetch_stops_at_missing_page(void **state)
{
	struct fake_cpu c;
	struct x86emu_insn insn;
	static const struct x86emu_case tc = { .name = "fetch", .mode = X86EMU_MODE_LONG64 };
	(void)state;

	setup_cpu(&c, &tc);
	c.rip = MEM_BASE + MEM_SIZE - 2;
	mem[MEM_SIZE - 2] = 0x89; /* mov [rbx+disp8], eax needs a third byte beyond the buffer */
	mem[MEM_SIZE - 1] = 0x43;
	struct x86emu emu = { .ops = &fake_cpu_ops, .ctx = &c, .mode = X86EMU_MODE_LONG64 };
	assert_int_equal(x86emu_emulate(&emu, &insn), X86EMU_UNHANDLEABLE);
	assert_true(c.outside);
}

static void test_execute_refuses_foreign_or_forged_insn(void **state)
{
	struct fake_cpu c;
	struct x86emu_insn insn;
	struct x86emu_exception exc;
	static const uint8_t bytes[] = { 0x89, 0x03 };
	(void)state;

	memset(&c, 0, sizeof(c));
	assert_int_equal(x86emu_decode(&insn, X86EMU_MODE_PROT32, bytes, 2, &exc), X86EMU_DONE);
	struct x86emu emu = { .ops = &fake_cpu_ops, .ctx = &c, .mode = X86EMU_MODE_LONG64 };
	assert_int_equal(x86emu_execute(&emu, &insn), X86EMU_UNHANDLEABLE); /* decoded for another mode */
	insn.mode = X86EMU_MODE_LONG64;
	insn.op = 0xff;
	assert_int_equal(x86emu_execute(&emu, &insn), X86EMU_UNHANDLEABLE);
	/* fields that would size or index something out of range */
	assert_int_equal(x86emu_decode(&insn, X86EMU_MODE_LONG64, bytes, 2, &exc), X86EMU_DONE);
	insn.opsize = 64;
	assert_int_equal(x86emu_execute(&emu, &insn), X86EMU_UNHANDLEABLE);
	insn.opsize = 4;
	insn.scale = 9;
	assert_int_equal(x86emu_execute(&emu, &insn), X86EMU_UNHANDLEABLE);
	insn.scale = 0;
	insn.seg = 6;
	assert_int_equal(x86emu_execute(&emu, &insn), X86EMU_UNHANDLEABLE);
	insn.seg = X86EMU_DS;
	insn.addrsize = 3;
	assert_int_equal(x86emu_execute(&emu, &insn), X86EMU_UNHANDLEABLE);
	assert_int_equal(c.raised_n, 0);
}

static void test_mode_of(void **state)
{
	(void)state;
	assert_int_equal(x86emu_mode_of(0, 0, 0), X86EMU_MODE_REAL);
	assert_int_equal(x86emu_mode_of(1, 0, X86EMU_SEG_ATTR_DB), X86EMU_MODE_PROT32);
	assert_int_equal(x86emu_mode_of(1, 0, 0), X86EMU_MODE_PROT16);
	assert_int_equal(x86emu_mode_of(0x80000001, 1u << 10, X86EMU_SEG_ATTR_L), X86EMU_MODE_LONG64);
	assert_int_equal(x86emu_mode_of(0x80000001, 1u << 10, X86EMU_SEG_ATTR_DB), X86EMU_MODE_PROT32);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_decode_truncated_asks_for_more),
		cmocka_unit_test(test_emulate_fetch_stops_at_missing_page),
		cmocka_unit_test(test_execute_refuses_foreign_or_forged_insn),
		cmocka_unit_test(test_mode_of),
	};
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest *tests = calloc(X86EMU_NCASES + nfixed, sizeof(*tests));

	if (!tests)
		return 1;
	for (size_t i = 0; i < X86EMU_NCASES; i++) {
		tests[i].name = x86emu_cases[i].name;
		tests[i].test_func = test_row;
		tests[i].initial_state = (void *)&x86emu_cases[i];
	}
	memcpy(tests + X86EMU_NCASES, fixed, sizeof(fixed));
	int rc = _cmocka_run_group_tests("x86emu", tests, X86EMU_NCASES + nfixed, NULL, NULL);
	free(tests);
	return rc;
}
