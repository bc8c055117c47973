/* The guest-facing CPUID and MSR policy (core/x86/cpuid.c, core/x86/msr.c) and the I/O bus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/bus.h"
#include "core/tee.h"
#include "core/x86/cpuid.h"
#include "core/x86/msr.h"

const char mantle_version[] = "1.2.3";
const char mantle_gitrev[] = "test";
const char mantle_arch[] = "host";

/* A platform that reports every feature bit, so the policy's masking is visible. */
static struct cpuid_result all_ones(uint32_t leaf, uint32_t subleaf)
{
	(void)leaf;
	(void)subleaf;
	return (struct cpuid_result){ 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu };
}

static const struct tee_backend fake_tee = { .name = "fake", .isolation = ISOLATION_SNP, .cpuid = all_ones };
static struct vp vp;

static int setup(void **state)
{
	(void)state;
	memset(&vp, 0, sizeof(vp));
	vp.tee = &fake_tee;
	bus_reset();
	return 0;
}

static void test_cpuid_advertises_mantle_and_isolation(void **state)
{
	(void)state;
	struct cpuid_result r = cpuid_guest(&vp, CPUID_MANTLE_BASE, 0);
	char sig[13];

	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = '\0';
	assert_string_equal(sig, "MantlePVisor");
	assert_int_equal(r.eax, CPUID_MANTLE_MAX);
	r = cpuid_guest(&vp, CPUID_MANTLE_VERSION, 0);
	assert_int_equal(r.eax, 0x010203);
	r = cpuid_guest(&vp, CPUID_MANTLE_ISOLATION, 0);
	assert_int_equal(r.eax & 1, ISOLATION_PARAVISOR_PRESENT);
	assert_int_equal(r.ebx & 0xf, ISOLATION_SNP);
	r = cpuid_guest(&vp, CPUID_MANTLE_MAX + 1, 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = cpuid_guest(&vp, 0x4fffffffu, 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
}

static void test_cpuid_hides_svm_sev_tdx_and_vmx(void **state)
{
	(void)state;
	struct cpuid_result r = cpuid_guest(&vp, 1, 0);

	assert_true(r.ecx & (1u << 31));   /* hypervisor */
	assert_false(r.ecx & (1u << 5));   /* VMX */
	assert_false(r.ecx & (1u << 27));  /* OSXSAVE follows the guest's CR4, which is clear */
	vp.regs.cr4 = 1u << 18;
	assert_true(cpuid_guest(&vp, 1, 0).ecx & (1u << 27));
	assert_false(cpuid_guest(&vp, 0x80000001u, 0).ecx & (1u << 2)); /* SVM */
	r = cpuid_guest(&vp, 0x8000000au, 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = cpuid_guest(&vp, 0x8000001fu, 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = cpuid_guest(&vp, 0x21, 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	/* Other leaves pass through untouched. */
	assert_int_equal(cpuid_guest(&vp, 7, 0).ebx, 0xffffffffu);
}

static void test_msr_efer_hides_svme(void **state)
{
	(void)state;
	uint64_t v;

	vp.regs.efer = EFER_LME | EFER_LMA | EFER_NXE;
	assert_int_equal(msr_guest_read(&vp, MSR_EFER, &v), 0);
	assert_int_equal(v, EFER_LME | EFER_LMA | EFER_NXE);
	assert_int_not_equal(msr_guest_write(&vp, MSR_EFER, v | EFER_SVME), 0);
	assert_int_not_equal(msr_guest_write(&vp, MSR_EFER, v | (1ull << 20)), 0);
	assert_int_equal(msr_guest_write(&vp, MSR_EFER, EFER_LME | EFER_SCE), 0);
	/* LMA is the CPU's: a write neither sets nor clears it. */
	assert_int_equal(vp.regs.efer, EFER_LME | EFER_SCE | EFER_LMA);
}

static void test_msr_lme_cannot_change_under_paging(void **state)
{
	(void)state;
	vp.regs.cr0 = 1ull << 31;
	vp.regs.efer = EFER_LME | EFER_LMA;
	assert_int_not_equal(msr_guest_write(&vp, MSR_EFER, 0), 0);
	assert_int_equal(vp.regs.efer, EFER_LME | EFER_LMA);
	assert_int_equal(msr_guest_write(&vp, MSR_EFER, EFER_LME | EFER_NXE), 0);
}

static void test_msr_svm_and_sev_msrs_fault(void **state)
{
	(void)state;
	uint64_t v;
	const uint32_t absent[] = { MSR_VM_CR, MSR_VM_HSAVE_PA, MSR_SEV_GHCB, MSR_SEV_STATUS };

	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		assert_int_not_equal(msr_guest_read(&vp, absent[i], &v), 0);
		assert_int_not_equal(msr_guest_write(&vp, absent[i], 0), 0);
	}
	/* Every MSR with a policy is intercepted by the backends. */
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		bool listed = false;
		for (uint32_t j = 0; j < msr_policy_count; j++)
			listed |= msr_policy_list[j] == absent[i];
		assert_true(listed);
	}
}

static int io_in(struct vp *v, uint16_t port, uint8_t size, uint32_t *val)
{
	(void)v;
	(void)size;
	*val = port;
	return 0;
}

static const struct io_handler h1 = { .name = "a", .base = 0x100, .count = 8, .in = io_in };
static const struct io_handler h2 = { .name = "b", .base = 0x108, .count = 1, .in = io_in };
static const struct io_handler overlap = { .name = "c", .base = 0x107, .count = 2, .in = io_in };
static const struct io_handler wraps = { .name = "d", .base = 0xffff, .count = 2, .in = io_in };
static const struct io_handler empty = { .name = "e", .base = 0x200, .count = 0, .in = io_in };

static void test_bus_registers_and_finds_ports(void **state)
{
	(void)state;
	assert_int_equal(bus_io_register(&h1), 0);
	assert_int_equal(bus_io_register(&h2), 0);
	assert_int_not_equal(bus_io_register(&overlap), 0);
	assert_int_not_equal(bus_io_register(&wraps), 0);
	assert_int_not_equal(bus_io_register(&empty), 0);
	assert_ptr_equal(bus_io_find(0x100), &h1);
	assert_ptr_equal(bus_io_find(0x107), &h1);
	assert_ptr_equal(bus_io_find(0x108), &h2);
	assert_null(bus_io_find(0x109));
	assert_null(bus_io_find(0xff));
	assert_int_equal(bus_io_count(), 2);
	assert_null(bus_io_at(2));
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_cpuid_advertises_mantle_and_isolation),
		T(test_cpuid_hides_svm_sev_tdx_and_vmx),
		T(test_msr_efer_hides_svme),
		T(test_msr_lme_cannot_change_under_paging),
		T(test_msr_svm_and_sev_msrs_fault),
		T(test_bus_registers_and_finds_ports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
