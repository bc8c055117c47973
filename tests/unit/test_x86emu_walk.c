/* Guest page-table walker tests (core/x86emu/walk.c): each paging mode, each permission rule and the
 * #PF error code it produces (SDM Vol. 3 §4.6, §4.7), A/D updates, and the emulator raising a #PF
 * through a model vCPU that translates with the walker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tests/x86emu/fakecpu.h"

#define P 0x1ull
#define RW 0x2ull
#define US 0x4ull
#define A 0x20ull
#define Dty 0x40ull
#define PS 0x80ull
#define XD (1ull << 63)
#define CR0_PE 1ull
#define CR0_WP (1ull << 16)
#define CR0_PG (1ull << 31)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_LA57 (1ull << 12)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define CR4_PKE (1ull << 22)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

static uint8_t mem[0x10000];
static struct fake_cpu cpu;

static void set64(uint64_t pa, uint64_t v) { memcpy(mem + pa, &v, 8); }
static void set32(uint64_t pa, uint32_t v) { memcpy(mem + pa, &v, 4); }
static uint64_t get64(uint64_t pa) { uint64_t v; memcpy(&v, mem + pa, 8); return v; }

/* 4-level tables for la 0x401234: PML4 0x1000 -> PDPT 0x2000 -> PD 0x3000 -> PT 0x4000 -> 0x9000. */
#define LA 0x401234ull
static struct x86emu_paging pg4(uint64_t leaf_flags)
{
	memset(mem, 0, sizeof(mem));
	set64(0x1000, 0x2000 | P | RW | US);
	set64(0x2000, 0x3000 | P | RW | US);
	set64(0x3000 + 2 * 8, 0x4000 | P | RW | US);
	set64(0x4000 + 1 * 8, 0x9000 | leaf_flags);
	return (struct x86emu_paging){ .cr0 = CR0_PE | CR0_PG | CR0_WP, .cr3 = 0x1000, .cr4 = CR4_PAE,
				       .efer = EFER_LMA | EFER_NXE, .maxphyaddr = 40 };
}

static int setup(void **state)
{
	(void)state;
	memset(&cpu, 0, sizeof(cpu));
	cpu.mem = mem;
	cpu.mem_base = 0;
	cpu.mem_size = sizeof(mem);
	return 0;
}

static enum x86emu_result walk(const struct x86emu_paging *pg, uint64_t la, uint32_t acc, uint64_t *gpa,
			       struct x86emu_exception *exc)
{
	memset(exc, 0, sizeof(*exc));
	return x86emu_walk(&fake_walk_ops, &cpu, pg, la, acc, gpa, exc);
}

static void expect_pf(const struct x86emu_paging *pg, uint64_t la, uint32_t acc, uint32_t ec)
{
	uint64_t gpa = 0;
	struct x86emu_exception exc;

	assert_int_equal(walk(pg, la, acc, &gpa, &exc), X86EMU_EXCEPTION);
	assert_int_equal(exc.vector, X86EMU_EXC_PF);
	assert_true(exc.has_error_code);
	assert_int_equal(exc.error_code, ec);
	assert_int_equal(exc.cr2, la);
}

static void expect_ok(const struct x86emu_paging *pg, uint64_t la, uint32_t acc, uint64_t want)
{
	uint64_t gpa = 0;
	struct x86emu_exception exc;

	assert_int_equal(walk(pg, la, acc, &gpa, &exc), X86EMU_DONE);
	assert_int_equal(gpa, want);
}

static void test_walk_4level_translates_and_sets_accessed_dirty(void **state)
{
	struct x86emu_paging pg = pg4(P | RW | US);
	(void)state;

	expect_ok(&pg, LA, 0, 0x9234);
	assert_int_equal(get64(0x4008) & (A | Dty), A);
	assert_true(get64(0x1000) & A);
	expect_ok(&pg, LA, X86EMU_ACC_WRITE, 0x9234);
	assert_int_equal(get64(0x4008) & (A | Dty), A | Dty);
	assert_false(get64(0x3010) & Dty); /* D only in the leaf */
}

static void test_walk_not_present_error_code(void **state)
{
	struct x86emu_paging pg = pg4(0);
	(void)state;

	expect_pf(&pg, LA, 0, 0);
	expect_pf(&pg, LA, X86EMU_ACC_WRITE | X86EMU_ACC_USER, X86EMU_PF_W | X86EMU_PF_U);
	expect_pf(&pg, LA, X86EMU_ACC_FETCH, X86EMU_PF_I); /* I reported with NXE */
	assert_false(get64(0x1000) & A); /* no A/D on a fault */
}

static void test_walk_user_write_to_readonly(void **state)
{
	struct x86emu_paging pg = pg4(P | US);
	(void)state;

	expect_pf(&pg, LA, X86EMU_ACC_WRITE | X86EMU_ACC_USER, X86EMU_PF_P | X86EMU_PF_W | X86EMU_PF_U);
	expect_ok(&pg, LA, X86EMU_ACC_USER, 0x9234);
}

static void test_walk_supervisor_write_honours_cr0_wp(void **state)
{
	struct x86emu_paging pg = pg4(P);
	(void)state;

	expect_pf(&pg, LA, X86EMU_ACC_WRITE, X86EMU_PF_P | X86EMU_PF_W);
	pg.cr0 &= ~CR0_WP;
	expect_ok(&pg, LA, X86EMU_ACC_WRITE, 0x9234);
}

static void test_walk_user_access_to_supervisor_page(void **state)
{
	struct x86emu_paging pg = pg4(P | RW);
	(void)state;

	expect_pf(&pg, LA, X86EMU_ACC_USER, X86EMU_PF_P | X86EMU_PF_U);
	expect_ok(&pg, LA, 0, 0x9234);
}

static void test_walk_nx_fetch(void **state)
{
	struct x86emu_paging pg = pg4(P | RW | US | XD);
	(void)state;

	expect_pf(&pg, LA, X86EMU_ACC_FETCH | X86EMU_ACC_USER, X86EMU_PF_P | X86EMU_PF_U | X86EMU_PF_I);
	expect_ok(&pg, LA, X86EMU_ACC_USER, 0x9234);
	pg.efer &= ~EFER_NXE; /* XD is then a reserved bit */
	expect_pf(&pg, LA, X86EMU_ACC_USER, X86EMU_PF_P | X86EMU_PF_RSVD | X86EMU_PF_U);
}

static void test_walk_smep_blocks_supervisor_fetch_from_user_page(void **state)
{
	struct x86emu_paging pg = pg4(P | RW | US);
	(void)state;

	expect_ok(&pg, LA, X86EMU_ACC_FETCH, 0x9234);
	pg.cr4 |= CR4_SMEP;
	expect_pf(&pg, LA, X86EMU_ACC_FETCH, X86EMU_PF_P | X86EMU_PF_I);
}

static void test_walk_smap_with_ac_and_implicit_accesses(void **state)
{
	struct x86emu_paging pg = pg4(P | RW | US);
	(void)state;

	pg.cr4 |= CR4_SMAP;
	expect_pf(&pg, LA, 0, X86EMU_PF_P);
	expect_pf(&pg, LA, X86EMU_ACC_WRITE, X86EMU_PF_P | X86EMU_PF_W);
	pg.rflags = X86EMU_FLAG_AC;
	expect_ok(&pg, LA, 0, 0x9234);
	expect_pf(&pg, LA, X86EMU_ACC_IMPLICIT, X86EMU_PF_P);
}

static void test_walk_protection_keys(void **state)
{
	struct x86emu_paging pg = pg4(P | RW | US | (3ull << 59)); /* key 3 */
	(void)state;

	pg.cr4 |= CR4_PKE;
	pg.pkru = 2u << 6; /* WD for key 3 */
	expect_ok(&pg, LA, X86EMU_ACC_USER, 0x9234);
	expect_pf(&pg, LA, X86EMU_ACC_WRITE | X86EMU_ACC_USER,
		  X86EMU_PF_P | X86EMU_PF_W | X86EMU_PF_U | X86EMU_PF_PK);
	pg.cr0 &= ~CR0_WP; /* supervisor writes ignore WD without CR0.WP */
	expect_ok(&pg, LA, X86EMU_ACC_WRITE, 0x9234);
	pg.pkru = 1u << 6; /* AD for key 3 */
	expect_pf(&pg, LA, 0, X86EMU_PF_P | X86EMU_PF_PK);
	expect_ok(&pg, LA, X86EMU_ACC_FETCH | X86EMU_ACC_USER, 0x9234); /* keys do not apply to fetches */
}

static void test_walk_reserved_bits(void **state)
{
	struct x86emu_paging pg = pg4(P | RW | (1ull << 45)); /* above MAXPHYADDR 40 */
	(void)state;

	expect_pf(&pg, LA, 0, X86EMU_PF_P | X86EMU_PF_RSVD);
	pg = pg4(P | RW);
	set64(0x1000, 0x2000 | P | RW | PS); /* PS is reserved in a PML4E */
	expect_pf(&pg, LA, X86EMU_ACC_WRITE, X86EMU_PF_P | X86EMU_PF_RSVD | X86EMU_PF_W);
}

static void test_walk_large_pages(void **state)
{
	struct x86emu_paging pg = pg4(0);
	(void)state;

	set64(0x3010, 0x600000 | P | RW | PS);                    /* 2 MiB */
	expect_ok(&pg, LA, 0, 0x600000 | (LA & 0x1fffff));
	set64(0x3010, 0x600000 | P | RW | PS | (1ull << 13));    /* bit 13 reserved in a 2 MiB PDE */
	expect_pf(&pg, LA, 0, X86EMU_PF_P | X86EMU_PF_RSVD);
	set64(0x2000, 0x40000000 | P | RW | PS);                  /* 1 GiB */
	expect_ok(&pg, LA, X86EMU_ACC_WRITE, 0x40000000 | LA);
	assert_true(get64(0x2000) & Dty);
}

static void test_walk_5level(void **state)
{
	struct x86emu_paging pg = pg4(P | RW);
	uint64_t la = (1ull << 48) | LA; /* PML5 index 1 */
	(void)state;

	set64(0x5000 + 8, 0x1000 | P | RW);
	pg.cr3 = 0x5000;
	pg.cr4 |= CR4_LA57;
	expect_ok(&pg, la, 0, 0x9234);
	expect_pf(&pg, LA, 0, 0); /* PML5 index 0 is empty */
}

static void test_walk_pae(void **state)
{
	struct x86emu_paging pg = { .cr0 = CR0_PE | CR0_PG, .cr3 = 0x1020, .cr4 = CR4_PAE, .maxphyaddr = 36 };
	uint64_t la = 0xc0201abc; /* PDPT 3, PD 1, PT 1 */
	(void)state;

	memset(mem, 0, sizeof(mem));
	set64(0x1020 + 3 * 8, 0x2000 | P);
	set64(0x2000 + 1 * 8, 0x3000 | P | RW | US);
	set64(0x3000 + 1 * 8, 0x7000 | P | RW | US);
	expect_ok(&pg, la, X86EMU_ACC_USER | X86EMU_ACC_WRITE, 0x7abc);
	assert_int_equal(get64(0x1038) & A, 0); /* the PDPTE has no A bit */
	set64(0x1020 + 3 * 8, 0x2000 | P | RW); /* bit 1 is reserved in a PAE PDPTE */
	expect_pf(&pg, la, 0, X86EMU_PF_P | X86EMU_PF_RSVD);
}

static void test_walk_32bit_with_pse(void **state)
{
	struct x86emu_paging pg = { .cr0 = CR0_PE | CR0_PG, .cr3 = 0x1000, .cr4 = CR4_PSE };
	(void)state;

	memset(mem, 0, sizeof(mem));
	set32(0x1000 + 1 * 4, 0x2000 | P | RW | US);                 /* 0x00400000-0x007fffff: 4 KiB */
	set32(0x2000 + 2 * 4, 0x8000 | P | US);
	set32(0x1000 + 3 * 4, 0x01c00000 | P | RW | PS | (1u << 13)); /* 4 MiB, PSE-36 bit 32 */
	expect_ok(&pg, 0x402123, X86EMU_ACC_USER, 0x8123);
	expect_pf(&pg, 0x402123, X86EMU_ACC_USER | X86EMU_ACC_WRITE, X86EMU_PF_P | X86EMU_PF_W | X86EMU_PF_U);
	expect_ok(&pg, 0x00c12345, 0, 0x101c12345ull);
	expect_pf(&pg, 0x00800000, 0, 0);
}

static void test_walk_paging_disabled_is_identity(void **state)
{
	struct x86emu_paging pg = { .cr0 = CR0_PE };
	(void)state;

	expect_ok(&pg, 0x12345678, X86EMU_ACC_WRITE, 0x12345678);
}

static enum x86emu_result racing_update(void *ctx, uint64_t gpa, uint32_t size, uint64_t old, uint64_t val)
{
	(void)ctx; (void)gpa; (void)size; (void)old; (void)val;
	return X86EMU_RETRY;
}

static void test_walk_ad_race_retries(void **state)
{
	struct x86emu_paging pg = pg4(P | RW);
	struct x86emu_walk_ops ops = { .read_pte = fake_walk_ops.read_pte, .update_pte = racing_update };
	struct x86emu_exception exc;
	uint64_t gpa;
	(void)state;

	assert_int_equal(x86emu_walk(&ops, &cpu, &pg, LA, 0, &gpa, &exc), X86EMU_RETRY);
}

static void test_walk_table_outside_memory_unhandleable(void **state)
{
	struct x86emu_paging pg = pg4(P | RW);
	struct x86emu_exception exc;
	uint64_t gpa;
	(void)state;

	pg.cr3 = 0x100000;
	assert_int_equal(walk(&pg, LA, 0, &gpa, &exc), X86EMU_UNHANDLEABLE);
}

/* The emulator, through a model vCPU translating with the walker, raises #PF with CR2 and W|U. */
static void test_emulator_raises_page_fault_from_walk(void **state)
{
	struct x86emu_paging pg = pg4(P | US); /* read-only user page */
	static const uint8_t bytes[] = { 0x89, 0x03 }; /* mov [rbx], eax */
	struct x86emu_insn insn;
	struct x86emu_exception exc;
	(void)state;

	fake_cpu_init64(&cpu, 3);
	cpu.paging = true;
	cpu.pg = pg;
	cpu.gpr[X86EMU_RBX] = LA;
	cpu.rip = 0x1000;
	struct x86emu emu = { .ops = &fake_cpu_ops, .ctx = &cpu, .mode = X86EMU_MODE_LONG64 };
	assert_int_equal(x86emu_decode(&insn, X86EMU_MODE_LONG64, bytes, sizeof(bytes), &exc), X86EMU_DONE);
	assert_int_equal(x86emu_execute(&emu, &insn), X86EMU_EXCEPTION);
	assert_int_equal(cpu.raised.vector, X86EMU_EXC_PF);
	assert_int_equal(cpu.raised.error_code, X86EMU_PF_P | X86EMU_PF_W | X86EMU_PF_U);
	assert_int_equal(cpu.raised.cr2, LA);
	assert_int_equal(cpu.rip, 0x1000);
	/* a read of the same page succeeds and lands on the translated address */
	static const uint8_t load[] = { 0x8b, 0x03 };
	mem[0x9234] = 0x5a;
	assert_int_equal(x86emu_decode(&insn, X86EMU_MODE_LONG64, load, sizeof(load), &exc), X86EMU_DONE);
	assert_int_equal(x86emu_execute(&emu, &insn), X86EMU_DONE);
	assert_int_equal(cpu.gpr[X86EMU_RAX], 0x5a);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_walk_4level_translates_and_sets_accessed_dirty, setup),
		cmocka_unit_test_setup(test_walk_not_present_error_code, setup),
		cmocka_unit_test_setup(test_walk_user_write_to_readonly, setup),
		cmocka_unit_test_setup(test_walk_supervisor_write_honours_cr0_wp, setup),
		cmocka_unit_test_setup(test_walk_user_access_to_supervisor_page, setup),
		cmocka_unit_test_setup(test_walk_nx_fetch, setup),
		cmocka_unit_test_setup(test_walk_smep_blocks_supervisor_fetch_from_user_page, setup),
		cmocka_unit_test_setup(test_walk_smap_with_ac_and_implicit_accesses, setup),
		cmocka_unit_test_setup(test_walk_protection_keys, setup),
		cmocka_unit_test_setup(test_walk_reserved_bits, setup),
		cmocka_unit_test_setup(test_walk_large_pages, setup),
		cmocka_unit_test_setup(test_walk_5level, setup),
		cmocka_unit_test_setup(test_walk_pae, setup),
		cmocka_unit_test_setup(test_walk_32bit_with_pse, setup),
		cmocka_unit_test_setup(test_walk_paging_disabled_is_identity, setup),
		cmocka_unit_test_setup(test_walk_ad_race_retries, setup),
		cmocka_unit_test_setup(test_walk_table_outside_memory_unhandleable, setup),
		cmocka_unit_test_setup(test_emulator_raises_page_fault_from_walk, setup),
	};
	return cmocka_run_group_tests_name("x86emu_walk", tests, NULL, NULL);
}
