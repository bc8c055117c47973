/* x86_64 boot self-tests: prove that the exception path reports faults and that Mantle's own page
 * tables enforce W^X, guard pages and the NULL page, by taking each fault on purpose. */
#include "core/arch.h"

#include "arch/x86_64/desc.h"
#include "arch/x86_64/exception.h"
#include "arch/x86_64/layout.h"
#include "core/console.h"
#include "core/str.h"

struct probe {
	const char *name;
	void (*fn)(void *arg);
	void *arg;
	uint64_t vector;
	uint64_t error;       /* expected error code (exact) */
	bool check_cr2;       /* CR2 must equal arg */
	bool rip_is_arg;      /* the faulting RIP must equal arg (instruction fetch faults) */
};

static void probe_ud(void *arg)
{
	(void)arg;
	__asm__ volatile("ud2");
}

static void probe_write(void *arg)
{
	volatile uint8_t *p = arg;

	*p = *p;
}

static void probe_store(void *arg)
{
	*(volatile uint8_t *)arg = 0;
}

static void probe_read(void *arg)
{
	(void)*(volatile uint8_t *)arg;
}

static void probe_exec(void *arg)
{
	((void (*)(void))arg)();
}

static const uint8_t rodata_byte = 0x5a;
/* A `ret` in writable data: executing it must fault although the bytes are a valid function. */
static uint8_t data_ret[16] = { 0xc3 };

static unsigned run_probe(const struct probe *p)
{
	struct x86_catch c;

	memset(&c, 0, sizeof(c));
	/* The first probe's report shows the full register dump an unexpected exception gets. */
	c.verbose = p->vector == X86_VEC_UD;
	if (x86_catch_call(p->fn, p->arg, &c) == 0) {
		console_printf("selftest: %s: FAILED: no exception was raised\n", p->name);
		return 1;
	}
	bool ok = c.vector == p->vector && c.error == p->error;
	if (p->check_cr2 && c.cr2 != (uint64_t)(uintptr_t)p->arg)
		ok = false;
	if (p->rip_is_arg && c.rip != (uint64_t)(uintptr_t)p->arg)
		ok = false;
	if (p->vector == X86_VEC_UD && (c.rip < (uintptr_t)p->fn || c.rip >= (uintptr_t)p->fn + 32))
		ok = false;
	if (!ok) {
		console_printf("selftest: %s: FAILED: vector %llu error %llx rip %llx cr2 %llx\n", p->name,
			       (unsigned long long)c.vector, (unsigned long long)c.error,
			       (unsigned long long)c.rip, (unsigned long long)c.cr2);
		return 1;
	}
	console_printf("selftest: %s: ok\n", p->name);
	return 0;
}

static unsigned run_probes(void)
{
	const struct probe probes[] = {
		{ "undef", probe_ud, NULL, X86_VEC_UD, 0, false, false },
		{ "wx-text", probe_write, (void *)probe_ud, X86_VEC_PF, PF_P | PF_W, true, false },
		{ "rodata", probe_write, (void *)&rodata_byte, X86_VEC_PF, PF_P | PF_W, true, false },
		{ "nx-data", probe_exec, data_ret, X86_VEC_PF, PF_P | PF_I, true, true },
		{ "guard", probe_store, x86_stacks + STACK_SLOT_SIZE * STACK_BOOT, X86_VEC_PF, PF_W, true,
		  false },
		{ "null", probe_read, NULL, X86_VEC_PF, 0, true, false },
	};
	unsigned failed = 0;

	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		failed += run_probe(&probes[i]);
	return failed;
}

/* Deep enough to run through the 16 KiB boot stack; the bound only keeps the compiler from calling
 * this an infinite recursion. */
static unsigned overflow_stack(unsigned depth)
{
	volatile uint8_t frame[256];

	frame[0] = (uint8_t)depth;
	if (depth > 1000000)
		return frame[0];
	return overflow_stack(depth + 1) + frame[0];
}

/* Takes a deliberately unrecoverable fault; returns only for an unknown name. */
static void take_fatal(const char *fatal)
{
	console_printf("selftest: taking a fatal '%s' fault on purpose\n", fatal);
	if (strcmp(fatal, "undef") == 0)
		__asm__ volatile("ud2");
	else if (strcmp(fatal, "wx") == 0)
		probe_write((void *)take_fatal);
	else if (strcmp(fatal, "stack") == 0)
		console_printf("unreachable %u\n", overflow_stack(0));
	console_printf("selftest: unknown mantle.fatal value '%s' (undef, wx, stack)\n", fatal);
}

unsigned arch_selftest(const char *fatal)
{
	unsigned failed = run_probes();

	if (fatal[0]) {
		take_fatal(fatal);
		failed++;
	}
	return failed;
}
