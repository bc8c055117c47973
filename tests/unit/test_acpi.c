/* Guest ACPI construction (core/acpi.c) over fake platform tables, and the TCG event log layout
 * (core/tcglog.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/acpi.h"
#include "core/tcglog.h"

#define BASE 0xe0000u
static uint8_t mem[0x2000];
static uint8_t out[0x1000];

static const void *phys(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	if (pa < BASE || len > sizeof(mem) || pa - BASE > sizeof(mem) - len)
		return NULL;
	return mem + (pa - BASE);
}

/* RSDP at BASE, root table at BASE+0x100 listing `n` fake table addresses. */
static void make_platform(int xsdt, uint32_t n)
{
	struct acpi_rsdp r = { .revision = (uint8_t)(xsdt ? 2 : 0), .length = 36 };
	struct acpi_header h = { .length = (uint32_t)(36 + n * (xsdt ? 8 : 4)) };

	memset(mem, 0, sizeof(mem));
	memcpy(r.signature, "RSD PTR ", 8);
	memcpy(h.signature, xsdt ? "XSDT" : "RSDT", 4);
	if (xsdt)
		r.xsdt_address = BASE + 0x100;
	else
		r.rsdt_address = BASE + 0x100;
	memcpy(mem + 0x100, &h, sizeof(h));
	for (uint32_t i = 0; i < n; i++) {
		uint64_t a = 0x7000 + i * 0x100;
		memcpy(mem + 0x100 + 36 + i * (xsdt ? 8 : 4), &a, xsdt ? 8 : 4);
	}
	mem[0x100 + 9] = acpi_checksum(mem + 0x100, h.length);
	memcpy(mem, &r, sizeof(r));
	mem[8] = acpi_checksum(mem, 20);
	mem[32] = acpi_checksum(mem, 36);
}

static struct acpi_tpm2 tpm2;

static void test_acpi_rebuild_from_xsdt_and_rsdt(void **state)
{
	uint64_t rsdp = 0;
	(void)state;

	acpi_build_tpm2(&tpm2, 0xfed40000, 0x1f000000, 0x10000);
	const struct acpi_header *extra[] = { &tpm2.hdr };
	for (int xsdt = 0; xsdt <= 1; xsdt++) {
		make_platform(xsdt, 3);
		assert_int_equal(acpi_rebuild(BASE, phys, NULL, out, 0x1ffd0000, sizeof(out), extra, 1, &rsdp),
				 ACPI_OK);
		const struct acpi_rsdp *r = (const struct acpi_rsdp *)out;
		assert_int_equal(rsdp, 0x1ffd0000);
		assert_int_equal(acpi_checksum(r, 20), 0);
		assert_int_equal(acpi_checksum(r, 36), 0);
		assert_int_equal(r->revision, 2);
		const struct acpi_header *x = (const struct acpi_header *)(out + (r->xsdt_address - 0x1ffd0000));
		assert_memory_equal(x->signature, "XSDT", 4);
		assert_int_equal(x->length, 36 + 4 * 8);
		assert_int_equal(acpi_checksum(x, x->length), 0);
		uint64_t e[4];
		memcpy(e, (const uint8_t *)x + 36, sizeof(e));
		assert_int_equal(e[0], 0x7000);
		assert_int_equal(e[2], 0x7200);
		const struct acpi_header *t = (const struct acpi_header *)(out + (e[3] - 0x1ffd0000));
		assert_memory_equal(t->signature, "TPM2", 4);
		assert_int_equal(acpi_checksum(t, t->length), 0);
	}
}

static void test_acpi_refuses_hostile_platform_tables(void **state)
{
	uint64_t rsdp;
	(void)state;

	make_platform(1, 2);
	mem[8] ^= 1; /* RSDP checksum */
	assert_int_equal(acpi_rebuild(BASE, phys, NULL, out, 0, sizeof(out), NULL, 0, &rsdp), ACPI_NO_RSDP);
	assert_int_equal(acpi_rebuild(0x100000, phys, NULL, out, 0, sizeof(out), NULL, 0, &rsdp), ACPI_NO_RSDP);
	make_platform(1, 2);
	mem[0x100 + 9] ^= 1; /* XSDT checksum */
	assert_int_equal(acpi_rebuild(BASE, phys, NULL, out, 0, sizeof(out), NULL, 0, &rsdp), ACPI_BAD_ROOT);
	make_platform(1, 2);
	uint32_t huge = 0x7fffffff; /* a length that runs off memory */
	memcpy(mem + 0x100 + 4, &huge, 4);
	assert_int_equal(acpi_rebuild(BASE, phys, NULL, out, 0, sizeof(out), NULL, 0, &rsdp), ACPI_BAD_ROOT);
	make_platform(1, 2);
	uint32_t tiny = 10;
	memcpy(mem + 0x100 + 4, &tiny, 4);
	assert_int_equal(acpi_rebuild(BASE, phys, NULL, out, 0, sizeof(out), NULL, 0, &rsdp), ACPI_BAD_ROOT);
	make_platform(1, ACPI_MAX_ENTRIES);
	acpi_build_tpm2(&tpm2, 0xfed40000, 0, 0);
	const struct acpi_header *extra[] = { &tpm2.hdr };
	assert_int_equal(acpi_rebuild(BASE, phys, NULL, out, 0, sizeof(out), extra, 1, &rsdp), ACPI_TOO_MANY);
	make_platform(1, 2);
	assert_int_equal(acpi_rebuild(BASE, phys, NULL, out, 0, 64, extra, 1, &rsdp), ACPI_NO_ROOM);
}

/* Decodes an AML PkgLength; returns the number of bytes it used. */
static size_t pkglen(const uint8_t *p, size_t *len)
{
	size_t extra = p[0] >> 6;

	if (!extra) {
		*len = p[0] & 0x3f;
		return 1;
	}
	*len = p[0] & 0xf;
	for (size_t i = 0; i < extra; i++)
		*len |= (size_t)p[1 + i] << (4 + 8 * i);
	return 1 + extra;
}

static void test_acpi_tpm_ssdt_is_well_formed_aml(void **state)
{
	uint8_t s[200];
	size_t len, pl;
	(void)state;

	len = acpi_build_tpm_ssdt(s, sizeof(s), 0xfed40000, 0x1000);
	assert_true(len > 36);
	assert_int_equal(acpi_checksum(s, len), 0);
	assert_memory_equal(s, "SSDT", 4);
	assert_int_equal(s[36], 0x10); /* ScopeOp */
	size_t n = pkglen(s + 37, &pl);
	assert_int_equal(37 + pl, len);  /* the scope's package runs to the table's end */
	assert_memory_equal(s + 37 + n, "\\_SB_", 5);
	const uint8_t *dev = s + 37 + n + 5;
	assert_int_equal(dev[0], 0x5b);
	assert_int_equal(dev[1], 0x82);
	size_t dn = pkglen(dev + 2, &pl);
	assert_int_equal(dev + 2 + pl, s + len); /* the device's package ends with the scope's */
	assert_memory_equal(dev + 2 + dn, "TPM0", 4);
	assert_non_null(memmem(s, len, "_HID\x0dMSFT0101", 14));
	static const uint8_t crs[] = { 0x86, 0x09, 0x00, 0x01, 0x00, 0x00, 0xd4, 0xfe, 0x00, 0x10, 0, 0, 0x79, 0 };
	assert_non_null(memmem(s, len, crs, sizeof(crs)));
	assert_int_equal(acpi_build_tpm_ssdt(s, 40, 0xfed40000, 0x1000), 0);
}

static void test_tcglog_layout_and_overflow(void **state)
{
	static const struct tcglog_bank banks[] = { { TPM_ALG_SHA1, 20 }, { TPM_ALG_SHA256, 32 } };
	uint8_t buf[256], digests[52];
	struct tcglog log;
	(void)state;

	assert_int_equal(tcglog_init(&log, buf, sizeof(buf), banks, 2), 0);
	/* TCG_PCR_EVENT: pcr 0, EV_NO_ACTION, 20 zero bytes, size, then "Spec ID Event03". */
	assert_int_equal(buf[4], EV_NO_ACTION);
	uint32_t sz;
	memcpy(&sz, buf + 28, 4);
	assert_int_equal(sz, 16 + 8 + 4 + 2 * 4 + 1);
	assert_memory_equal(buf + 32, "Spec ID Event03", 16);
	assert_int_equal(log.len, 32 + sz);
	memset(digests, 0xab, sizeof(digests));
	size_t before = log.len;
	assert_int_equal(tcglog_add(&log, 9, EV_IPL, digests, "x", 1), 0);
	assert_int_equal(log.len, before + 4 + 4 + 4 + (2 + 20) + (2 + 32) + 4 + 1);
	/* An event that does not fit leaves the log as it was. */
	before = log.len;
	uint8_t big[200] = { 0 };
	assert_int_equal(tcglog_add(&log, 9, EV_IPL, digests, big, sizeof(big)), -1);
	assert_int_equal(log.len, before);
	assert_int_equal(tcglog_init(&log, buf, 20, banks, 2), -1);
	assert_int_equal(tcglog_init(&log, buf, sizeof(buf), banks, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acpi_rebuild_from_xsdt_and_rsdt),
		cmocka_unit_test(test_acpi_refuses_hostile_platform_tables),
		cmocka_unit_test(test_acpi_tpm_ssdt_is_well_formed_aml),
		cmocka_unit_test(test_tcglog_layout_and_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
