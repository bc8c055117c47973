/* The TPM CRB device (devices/tpm_crb.c) driven the way a guest drives it, through its MMIO handler:
 * Linux's probe and command sequence, measured boot through the sink, and guest abuse of the
 * registers. The engine, crypto and core pieces are the real ones; Mantle's memory services are
 * host stand-ins below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <cmocka.h>

#include "core/acpi.h"
#include "core/bus.h"
#include "core/crypto/crypto.h"
#include "core/measure.h"
#include "core/memmap.h"
#include "core/tcglog.h"
#include "devices/dev.h"

/* Host stand-ins: guest "physical" addresses are host pointers here. */
int core_alloc_pages(uint64_t pages, uint64_t *pa)
{
	void *p = aligned_alloc(4096, pages * 4096);

	if (!p)
		return -1;
	memset(p, 0, pages * 4096);
	*pa = (uint64_t)(uintptr_t)p;
	return 0;
}

static uint8_t firmware_area[0x20000] __attribute__((aligned(4096)));

uint64_t core_take_guest_firmware(uint64_t bytes, uint32_t type)
{
	(void)type;
	assert_true(bytes <= sizeof(firmware_area));
	return (uint64_t)(uintptr_t)firmware_area;
}

int core_claim_emulated(uint64_t base, uint64_t size)
{
	(void)base;
	(void)size;
	return 0;
}

bool arch_entropy(void *buf, size_t len)
{
	return getrandom(buf, len, 0) == (ssize_t)len;
}

uint64_t arch_time_ms(void)
{
	return 1000;
}

#define CRB 0xfed40000ull
static const struct mmio_handler *dev;

static uint32_t rd(uint64_t off)
{
	uint64_t v = 0;

	assert_int_equal(dev->read(NULL, off, 4, &v), 0);
	return (uint32_t)v;
}

static void wr(uint64_t off, uint32_t v)
{
	assert_int_equal(dev->write(NULL, off, 4, v), 0);
}

static void put_buffer(const uint8_t *cmd, size_t len)
{
	for (size_t i = 0; i < len; i++)
		assert_int_equal(dev->write(NULL, 0x80 + i, 1, cmd[i]), 0);
}

static void get_buffer(uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uint64_t v;
		assert_int_equal(dev->read(NULL, 0x80 + i, 1, &v), 0);
		out[i] = (uint8_t)v;
	}
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static const uint8_t getrandom16[12] = { 0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01, 0x7b, 0, 16 };

/* Linux tpm_crb: request locality, cmdReady, write, START, poll START, read; goIdle, relinquish. */
static uint32_t linux_command(const uint8_t *cmd, size_t len, uint8_t *rsp, size_t cap)
{
	wr(0x08, 1);
	assert_int_equal(rd(0x00) & 0x82, 0x82);
	wr(0x40, 1);
	assert_int_equal(rd(0x40) & 1, 0);
	wr(0x48, 0);
	put_buffer(cmd, len);
	wr(0x4c, 1);
	assert_int_equal(rd(0x4c), 0);
	assert_int_equal(rd(0x44) & 1, 0);
	get_buffer(rsp, cap);
	wr(0x40, 2);
	wr(0x08, 2);
	assert_int_equal(rd(0x00) & 0x82, 0x80);
	return be32(rsp + 6);
}

static int setup(void **state)
{
	(void)state;
	bus_reset();
	devices_init();
	dev = bus_mmio_find(CRB);
	assert_non_null(dev);
	return 0;
}

static void test_crb_registers_describe_a_crb_tpm_as_linux_expects(void **state)
{
	(void)state;
	assert_ptr_equal(bus_mmio_find(CRB + 0xfff), dev);
	assert_null(bus_mmio_find(CRB + 0x1000));
	assert_int_equal(rd(0x00) & 0x80, 0x80);               /* tpmRegValidSts */
	assert_int_equal(rd(0x30) & 0xf, 1);                   /* CRB interface active */
	assert_true(rd(0x30) & (1u << 14));                    /* CapCRB */
	assert_int_equal(rd(0x58), 0xf80);                     /* CMD_SIZE == RSP_SIZE */
	assert_int_equal(rd(0x64), 0xf80);
	assert_int_equal(rd(0x5c), CRB + 0x80);
	assert_int_equal(rd(0x68), CRB + 0x80);
	assert_int_equal(rd(0x44) & 2, 2);                     /* idle until cmdReady */
}

static void test_crb_linux_command_sequence_runs_commands(void **state)
{
	uint8_t rsp[64];
	(void)state;

	assert_int_equal(linux_command(getrandom16, sizeof(getrandom16), rsp, sizeof(rsp)), 0);
	assert_int_equal(be32(rsp + 2), 10 + 2 + 16);
	assert_int_equal(rsp[10] << 8 | rsp[11], 16);
}

static void test_crb_start_without_ready_or_locality_is_ignored(void **state)
{
	uint8_t rsp[12];
	(void)state;

	put_buffer(getrandom16, sizeof(getrandom16));
	wr(0x4c, 1); /* no locality, no cmdReady */
	assert_int_equal(rd(0x4c), 0);
	get_buffer(rsp, sizeof(rsp));
	assert_memory_equal(rsp, getrandom16, sizeof(rsp)); /* nothing ran */
	wr(0x08, 1);
	wr(0x4c, 1); /* locality but not ready */
	get_buffer(rsp, sizeof(rsp));
	assert_memory_equal(rsp, getrandom16, sizeof(rsp));
	wr(0x08, 2);
}

static void test_crb_garbage_and_oversize_leave_the_device_usable(void **state)
{
	uint8_t rsp[64], big[16] = { 0x80, 0x01, 0xff, 0xff, 0xff, 0xff, 0, 0, 0x01, 0x7b, 0, 16 };
	(void)state;

	/* Garbage everywhere in the register block, every width, every alignment. */
	for (uint64_t off = 0; off < 0x80; off++) {
		assert_int_equal(dev->write(NULL, off, 1, 0xa5), 0);
		if (off % 2 == 0)
			assert_int_equal(dev->write(NULL, off, 2, 0xdead), 0);
		if (off % 8 == 0)
			assert_int_equal(dev->write(NULL, off, 8, ~0ull), 0);
	}
	wr(0x48, 1); /* cancel with nothing running */
	/* A command claiming 4 GiB: answered with a size error, nothing read past the buffer. */
	uint32_t rc = linux_command(big, sizeof(big), rsp, sizeof(rsp));
	assert_int_equal(rc, 0x142); /* TPM_RC_COMMAND_SIZE */
	/* A truncated header. */
	static const uint8_t tiny[6] = { 0x80, 0x01, 0, 0, 0, 6 };
	assert_int_not_equal(linux_command(tiny, sizeof(tiny), rsp, sizeof(rsp)), 0);
	/* The next proper command works. */
	assert_int_equal(linux_command(getrandom16, sizeof(getrandom16), rsp, sizeof(rsp)), 0);
}

static void test_crb_measurements_extend_pcrs_and_log(void **state)
{
	(void)state;
	static const char data[] = "guest kernel bytes";
	uint8_t d[32], z[64] = { 0 }, want[32], rsp[64];

	assert_true(measure_active());
	assert_int_equal(measure(4, EV_IPL, data, sizeof(data) - 1, "k", 1), 0);
	crypto_hash(CRYPTO_SHA256, data, sizeof(data) - 1, d);
	memcpy(z + 32, d, 32);
	crypto_hash(CRYPTO_SHA256, z, 64, want);
	/* TPM2_PCR_Read(sha256: PCR 4). */
	static const uint8_t pcr_read[20] = { 0x80, 0x01, 0, 0, 0, 20, 0, 0, 0x01, 0x7e,
					      0, 0, 0, 1, 0x00, 0x0b, 3, 0x10, 0, 0 };
	assert_int_equal(linux_command(pcr_read, sizeof(pcr_read), rsp, sizeof(rsp)), 0);
	/* rsp: header(10) updateCounter(4) selection(4+2+1+3=10) digests count(4) size(2) digest */
	assert_memory_equal(rsp + 10 + 4 + 10 + 4 + 2, want, 32);
	/* The log starts with the Spec ID event and holds the new event after it. */
	assert_memory_equal(firmware_area + 32, "Spec ID Event03", 16);
}

static void test_crb_adds_tpm2_and_ssdt_tables(void **state)
{
	(void)state;
	const struct acpi_header *const *t = acpi_extra_tables();

	assert_true(acpi_extra_count() >= 2);
	assert_memory_equal(t[0]->signature, "TPM2", 4);
	assert_int_equal(t[0]->length, sizeof(struct acpi_tpm2));
	assert_int_equal(((const struct acpi_tpm2 *)t[0])->control_area, CRB + 0x40);
	assert_int_equal(((const struct acpi_tpm2 *)t[0])->start_method, ACPI_TPM2_START_CRB);
	assert_int_equal(((const struct acpi_tpm2 *)t[0])->log_area_start, (uintptr_t)firmware_area);
	assert_memory_equal(t[1]->signature, "SSDT", 4);
	assert_int_equal(acpi_checksum(t[1], t[1]->length), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crb_registers_describe_a_crb_tpm_as_linux_expects),
		cmocka_unit_test(test_crb_linux_command_sequence_runs_commands),
		cmocka_unit_test(test_crb_start_without_ready_or_locality_is_ignored),
		cmocka_unit_test(test_crb_garbage_and_oversize_leave_the_device_usable),
		cmocka_unit_test(test_crb_measurements_extend_pcrs_and_log),
		cmocka_unit_test(test_crb_adds_tpm2_and_ssdt_tables),
	};
	/* One device instance for the whole group, as in the image. */
	setup(NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
