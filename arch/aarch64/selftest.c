/* Built-in self-tests: each probe deliberately faults inside arch_catch_call() and checks that the
 * exception handler reported the expected class and fault status. `mantle.fatal=` picks a fault to
 * take outside any catch, which must end the run with the exception report and exit status 2. */
#include "core/arch.h"
#include "core/console.h"
#include "core/str.h"

#include "arch/aarch64/aarch64.h"
#include "arch/aarch64/hw.h"

#define A64_RET 0xd65f03c0u

enum fsc_kind { FSC_ANY, FSC_TRANSLATION, FSC_PERMISSION };

struct probe {
	const char *name;
	void (*fn)(void *);
	void *arg;
	uint64_t ec;
	enum fsc_kind fsc;
	bool check_far;
};

/* A word in .rodata and an instruction in .data: the first must not be writable, the second not
 * executable. (A const volatile object would land in .data, so the probe adds the volatile.) */
static const uint64_t rodata_word = 0x4d414e544c45ull;
static volatile uint32_t data_insn[2] = { A64_RET, A64_RET };

static void do_udf(void *arg)
{
	(void)arg;
	__asm__ volatile("udf #0");
}

/* Reads then writes back the same value: harmless if the write were (wrongly) allowed. */
static void rewrite(void *p)
{
	volatile uint64_t *q = p;

	*q = *q;
}

static void store_zero(void *p)
{
	*(volatile uint64_t *)p = 0;
}

static void call(void *p)
{
	((void (*)(void))p)();
}

static bool fsc_matches(uint64_t esr, enum fsc_kind kind)
{
	uint64_t fsc = ESR_FSC(esr) & 0x3c;

	return kind == FSC_ANY || (kind == FSC_TRANSLATION && fsc == 0x04) ||
	       (kind == FSC_PERMISSION && fsc == 0x0c);
}

static bool run_probe(const struct probe *p)
{
	uint64_t esr = arch_catch_call(p->fn, p->arg);
	uint64_t far = arch_catch_ctx.far;

	if (esr == 0) {
		console_printf("selftest: %s: FAILED no exception taken\n", p->name);
		return false;
	}
	if (ESR_EC(esr) != p->ec) {
		console_printf("selftest: %s: FAILED EC=0x%02lx (%s), expected 0x%02lx\n", p->name,
			       ESR_EC(esr), aarch64_ec_name(ESR_EC(esr)), p->ec);
		return false;
	}
	if (!fsc_matches(esr, p->fsc)) {
		console_printf("selftest: %s: FAILED FSC=0x%02lx, expected a %s fault\n", p->name,
			       ESR_FSC(esr), p->fsc == FSC_PERMISSION ? "permission" : "translation");
		return false;
	}
	if (p->check_far && far != (uint64_t)(uintptr_t)p->arg) {
		console_printf("selftest: %s: FAILED FAR=0x%lx, expected 0x%lx\n", p->name, far,
			       (uint64_t)(uintptr_t)p->arg);
		return false;
	}
	console_printf("selftest: %s: ok\n", p->name);
	return true;
}

/* Recurses until the boot stack runs into its guard page; the depth bound only keeps the compiler
 * from proving the recursion infinite. */
static __attribute__((noinline)) uint64_t overflow(uint64_t depth)
{
	volatile uint8_t frame[512];

	frame[0] = (uint8_t)depth;
	if (depth > (1ull << 32))
		return frame[0];
	return overflow(depth + 1) + frame[0];
}

static void take_fatal(const char *fatal)
{
	console_printf("selftest: taking a fatal '%s' fault on purpose\n", fatal);
	if (strcmp(fatal, "undef") == 0)
		__asm__ volatile("udf #1");
	else if (strcmp(fatal, "wx") == 0)
		rewrite((void *)(uintptr_t)take_fatal);
	else if (strcmp(fatal, "stack") == 0)
		console_printf("selftest: overflow returned %lu\n", overflow(0));
}

unsigned arch_selftest(const char *fatal)
{
	char *guard_top = __boot_stack_guard + 4096 - 8;
	const struct probe probes[] = {
		{ "undef", do_udf, NULL, ESR_EC_UNKNOWN, FSC_ANY, false },
		{ "wx-text", rewrite, (void *)(uintptr_t)rewrite, ESR_EC_DABT_CUR, FSC_PERMISSION, true },
		{ "nx-data", call, (void *)data_insn, ESR_EC_IABT_CUR, FSC_PERMISSION, true },
		{ "guard", store_zero, guard_top, ESR_EC_DABT_CUR, FSC_TRANSLATION, true },
		{ "rodata", rewrite, (void *)(uintptr_t)&rodata_word, ESR_EC_DABT_CUR, FSC_PERMISSION, true },
	};
	unsigned failed = 0;

	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		failed += !run_probe(&probes[i]);
	if (fatal[0] == '\0')
		return failed;
	if (strcmp(fatal, "undef") != 0 && strcmp(fatal, "wx") != 0 && strcmp(fatal, "stack") != 0) {
		console_printf("selftest: fatal: FAILED unknown mantle.fatal=%s (undef, wx, stack)\n", fatal);
		return failed + 1;
	}
	take_fatal(fatal);
	console_printf("selftest: fatal %s: FAILED the fault did not stop Mantle\n", fatal);
	return failed + 1;
}
