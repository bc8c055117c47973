/* IGVM encoding, reader and measurements (tools/igvm/). Expected digests and the example file's
 * checksum are the reference's independently derived vectors (../shared/reference/snp-tdx-igvm.md
 * A.15, B.6, C.3), not outputs of this code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/crypto/crypto.h"
#include "tools/igvm/igvm_file.h"
#include "tools/igvm/igvm_measure.h"
#include "tools/igvm/igvm_writer.h"

#define NO_DATA ((size_t)-1)

static const uint8_t zero_page[4096];

static void unhex(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sscanf(s + 2 * i, "%2hhx", &out[i]), 1);
}

static void platform(struct igvm_writer *w, uint32_t mask, uint8_t type)
{
	struct igvm_vhs_supported_platform p = { mask, 2, type, 1, 0 };
	if (type == IGVM_PLATFORM_TYPE_NATIVE)
		p.highest_vtl = 0;
	igvm_writer_header(w, IGVM_VHT_SUPPORTED_PLATFORM, &p, sizeof(p), NO_DATA);
}

static void page(struct igvm_writer *w, uint64_t gpa, uint32_t mask, const uint8_t *data, uint32_t flags, uint16_t type)
{
	struct igvm_vhs_page_data pd = { .gpa = gpa, .compatibility_mask = mask, .flags = flags, .data_type = type };
	pd.file_offset = data ? igvm_writer_data(w, data, 4096, 0) : 0;
	igvm_writer_header(w, IGVM_VHT_PAGE_DATA, &pd, sizeof(pd), offsetof(struct igvm_vhs_page_data, file_offset));
}

static uint8_t *finish(struct igvm_writer *w, size_t *len)
{
	uint8_t *buf;
	assert_int_equal(igvm_writer_finish(w, &buf, len), 0);
	igvm_writer_free(w);
	return buf;
}

static bool parses(const uint8_t *buf, size_t len, char *err)
{
	struct igvm_file f;
	bool ok = igvm_file_parse(buf, len, &f, err, 256);
	if (ok)
		igvm_file_free(&f);
	return ok;
}

/* Ref A.15: SNP platform + policy + one page of 0xCC; the writer must produce the vector's bytes. */
static uint8_t *example_file(size_t *len)
{
	struct igvm_writer w;
	static uint8_t cc[4096];
	memset(cc, 0xCC, sizeof(cc));
	igvm_writer_init(&w);
	platform(&w, 1, IGVM_PLATFORM_TYPE_SEV_SNP);
	struct igvm_vhs_guest_policy pol = { 0x30000, 1, 0 };
	igvm_writer_header(&w, IGVM_VHT_GUEST_POLICY, &pol, sizeof(pol), NO_DATA);
	page(&w, 0, 1, cc, 0, 0);
	return finish(&w, len);
}

static void test_igvm_writer_matches_reference_example_vector(void **state)
{
	size_t len;
	struct igvm_fixed_header fh;
	char err[256];
	(void)state;
	uint8_t *buf = example_file(&len);
	memcpy(&fh, buf, sizeof(fh));
	assert_int_equal(fh.variable_header_offset, 24);
	assert_int_equal(fh.variable_header_size, 80);
	assert_int_equal(fh.total_file_size, 4200);
	assert_int_equal(len, 4200);
	assert_int_equal(fh.checksum, 0xD59A2643u);
	struct igvm_vhs_page_data pd;
	memcpy(&pd, buf + 24 + 2 * 24 + 8, sizeof(pd));
	assert_int_equal(pd.file_offset, 104);
	assert_true(parses(buf, len, err));
	free(buf);
}

static void test_snp_page_info_chain_known_answers(void **state)
{
	uint8_t ld[48] = { 0 }, want[48];
	(void)state;
	snp_ld_extend(ld, SNP_PAGE_TYPE_NORMAL, 0x1000, zero_page);
	unhex("e6e4d78904d9d6b33c0cbfd121998fd2d11744dae606b3aee35e2a45d6869b60b35c63928a9232bef72d6be386f48ec6", want, 48);
	assert_memory_equal(ld, want, 48);

	memset(ld, 0, sizeof(ld));
	snp_ld_extend(ld, SNP_PAGE_TYPE_NORMAL, 0, zero_page);
	snp_ld_extend(ld, SNP_PAGE_TYPE_UNMEASURED, 0x1000, NULL);
	snp_ld_extend(ld, SNP_PAGE_TYPE_ZERO, 0x2000, NULL);
	snp_ld_extend(ld, SNP_PAGE_TYPE_SECRETS, 0x3000, NULL);
	snp_ld_extend(ld, SNP_PAGE_TYPE_CPUID, 0x4000, NULL);
	snp_ld_extend(ld, SNP_PAGE_TYPE_VMSA, SNP_KVM_VMSA_GPA, zero_page);
	unhex("341e92ce98d747b980a98e5e1f4cc7e30be602edb04608717cb60e2e6956a19466eec06a8ab749a9e9a666afe850f4c3", want, 48);
	assert_memory_equal(ld, want, 48);
}

static void test_tdx_mrtd_known_answers(void **state)
{
	struct crypto_hash_ctx h;
	uint8_t mr[48], want[48];
	(void)state;
	crypto_hash_init(&h, CRYPTO_SHA384);
	tdx_mr_page_add(&h, 0);
	tdx_mr_extend_page(&h, 0, zero_page);
	crypto_hash_final(&h, mr);
	unhex("236f0efa607ff8843f1855d7ef80dc3dda8fb455787a186b8787212951eab0096e3193bb26f817c2b63c21f5e10f9938", want, 48);
	assert_memory_equal(mr, want, 48);
	crypto_hash_init(&h, CRYPTO_SHA384);
	tdx_mr_page_add(&h, 0xFFFFF000);
	crypto_hash_final(&h, mr);
	unhex("8d411e4377a0da03b249acbe9a7939b44b4483b5a6c81341f00d60c1f417257f9a5c1c03f2f223c59f010f4933f238b8", want, 48);
	assert_memory_equal(mr, want, 48);
}

/* A file whose directives reproduce the known-answer sequences through the whole reader + walker:
 * SNP case A (a zero PAGE_DATA at 0x1000) and TDX T1 (a zero page at 0). Masks keep them apart. */
static void test_measurements_of_a_file_match_known_answers(void **state)
{
	struct igvm_writer w;
	struct igvm_file f;
	uint8_t d[48], want[48];
	char err[256];
	size_t len;
	(void)state;
	igvm_writer_init(&w);
	platform(&w, 1, IGVM_PLATFORM_TYPE_SEV_SNP);
	platform(&w, 2, IGVM_PLATFORM_TYPE_TDX);
	page(&w, 0x1000, 1, NULL, 0, 0);
	page(&w, 0x0, 2, zero_page, 0, 0); /* explicit zero data: same as file_offset 0 */
	page(&w, 0x5000, 3, zero_page, IGVM_PAGE_DATA_FLAG_SHARED, 0); /* shared: in neither digest */
	uint8_t *buf = finish(&w, &len);
	assert_true(igvm_file_parse(buf, len, &f, err, sizeof(err)));
	assert_true(igvm_measure_snp(&f, false, d, err, sizeof(err)));
	unhex("e6e4d78904d9d6b33c0cbfd121998fd2d11744dae606b3aee35e2a45d6869b60b35c63928a9232bef72d6be386f48ec6", want, 48);
	assert_memory_equal(d, want, 48);
	assert_true(igvm_measure_tdx(&f, d, err, sizeof(err)));
	unhex("236f0efa607ff8843f1855d7ef80dc3dda8fb455787a186b8787212951eab0096e3193bb26f817c2b63c21f5e10f9938", want, 48);
	assert_memory_equal(d, want, 48);
	assert_false(igvm_measure_vbs(&f, d, err, sizeof(err))); /* no VBS platform */
	igvm_file_free(&f);
	free(buf);
}

/* ---- hostile files ------------------------------------------------------------------------------ */

static void refix_checksum(uint8_t *buf)
{
	struct igvm_fixed_header fh;
	memcpy(&fh, buf, sizeof(fh));
	fh.checksum = igvm_checksum(buf, sizeof(fh), buf + fh.variable_header_offset, fh.variable_header_size);
	memcpy(buf + offsetof(struct igvm_fixed_header, checksum), &fh.checksum, 4);
}

static void test_reader_rejects_corrupt_fixed_header(void **state)
{
	size_t len;
	char err[256];
	(void)state;
	uint8_t *buf = example_file(&len);
	assert_false(parses(buf, 10, err));
	assert_false(parses(buf, len - 1, err)); /* total_file_size mismatch */
	assert_non_null(strstr(err, "total_file_size"));
	buf[0] ^= 1;
	assert_false(parses(buf, len, err));
	assert_non_null(strstr(err, "magic"));
	buf[0] ^= 1;
	buf[30] ^= 0x40; /* inside the variable header: checksum no longer matches */
	assert_false(parses(buf, len, err));
	assert_non_null(strstr(err, "checksum"));
	buf[30] ^= 0x40;
	uint32_t v = 100; /* variable header would swallow the file data */
	memcpy(buf + 12, &v, 4);
	refix_checksum(buf);
	assert_false(parses(buf, len, err));
	free(buf);
}

/* Builds a one-platform SNP file with `extra` appended as raw variable-header bytes. */
static uint8_t *with_raw(const void *extra, size_t extra_len, size_t *len)
{
	struct igvm_writer w;
	igvm_writer_init(&w);
	platform(&w, 1, IGVM_PLATFORM_TYPE_SEV_SNP);
	uint8_t *buf = finish(&w, len);
	/* Splice the raw bytes at the end of the variable header and a data page after it. */
	size_t nlen = *len + extra_len + 4096;
	uint8_t *n = calloc(1, nlen);
	memcpy(n, buf, *len);
	memcpy(n + *len, extra, extra_len);
	struct igvm_fixed_header fh;
	memcpy(&fh, n, sizeof(fh));
	fh.variable_header_size += (uint32_t)extra_len;
	fh.total_file_size = (uint32_t)nlen;
	memcpy(n, &fh, sizeof(fh));
	refix_checksum(n);
	free(buf);
	*len = nlen;
	return n;
}

static void expect_rejected(const void *raw, size_t raw_len, const char *why)
{
	size_t len;
	char err[256];
	uint8_t *buf = with_raw(raw, raw_len, &len);
	assert_false(parses(buf, len, err));
	if (!strstr(err, why))
		fail_msg("expected \"%s\" in \"%s\"", why, err);
	free(buf);
}

static void test_reader_rejects_bad_tlvs(void **state)
{
	(void)state;
	/* PAGE_DATA with a wrong length. */
	struct { uint32_t t, l; uint8_t b[16]; } shortpd = { IGVM_VHT_PAGE_DATA, 16, { 0 } };
	expect_rejected(&shortpd, sizeof(shortpd), "length 16, expected 24");
	/* Length running past the variable header. */
	struct { uint32_t t, l; } past = { IGVM_VHT_PAGE_DATA, 1000 };
	expect_rejected(&past, sizeof(past), "runs past");
	/* Unknown required type; an unknown optional one is skipped. */
	struct { uint32_t t, l; uint64_t b; } unk = { 0x3F0, 8, 0 };
	expect_rejected(&unk, sizeof(unk), "unknown required type");
	/* Nonzero padding after a 20-byte VP_CONTEXT. */
	struct { uint32_t t, l; uint8_t b[24]; } pad = { IGVM_VHT_VP_CONTEXT, 20, { 0 } };
	pad.b[22] = 1;
	expect_rejected(&pad, sizeof(pad), "nonzero padding");
	/* A platform header after a directive. */
	struct { uint32_t t1, l1; struct igvm_vhs_parameter_area a; uint32_t t2, l2; struct igvm_vhs_supported_platform p; } order = {
		IGVM_VHT_PARAMETER_AREA, 16, { 4096, 0, 0 }, IGVM_VHT_SUPPORTED_PLATFORM, 16, { 2, 0, 3, 1, 0 } };
	expect_rejected(&order, sizeof(order), "after a later section");
}

static void test_reader_rejects_bad_directives(void **state)
{
	(void)state;
	struct { uint32_t t, l; struct igvm_vhs_page_data pd; } pd = { IGVM_VHT_PAGE_DATA, 24, { 0x1234, 1, 0, 0, 0, 0 } };
	expect_rejected(&pd, sizeof(pd), "not page aligned");
	pd.pd = (struct igvm_vhs_page_data){ 0x1000, 2, 0, 0, 0, 0 }; /* mask bit 1 is no platform */
	expect_rejected(&pd, sizeof(pd), "undeclared");
	pd.pd = (struct igvm_vhs_page_data){ 0x1000, 1, 0xFFFF0000, 0, 0, 0 };
	expect_rejected(&pd, sizeof(pd), "inside the file data");
	pd.pd = (struct igvm_vhs_page_data){ 0x1000, 1, 0, 0x10, 0, 0 };
	expect_rejected(&pd, sizeof(pd), "reserved flags");
	pd.pd = (struct igvm_vhs_page_data){ 0x1000, 1, 0, 0, 9, 0 };
	expect_rejected(&pd, sizeof(pd), "data type");

	struct { uint32_t t, l; struct igvm_vhs_parameter p; } param = { IGVM_VHT_MEMORY_MAP, 8, { 7, 0 } };
	expect_rejected(&param, sizeof(param), "not declared");
	struct { uint32_t t1, l1; struct igvm_vhs_parameter_area a; uint32_t t2, l2; struct igvm_vhs_parameter_insert i1;
		 uint32_t t3, l3; struct igvm_vhs_parameter_insert i2; } twice = {
		IGVM_VHT_PARAMETER_AREA, 16, { 4096, 3, 0 }, IGVM_VHT_PARAMETER_INSERT, 16, { 0x1000, 1, 3 },
		IGVM_VHT_PARAMETER_INSERT, 16, { 0x2000, 1, 3 } };
	expect_rejected(&twice, sizeof(twice), "inserted already");
	struct { uint32_t t1, l1; struct igvm_vhs_parameter_area a; uint32_t t2, l2; struct igvm_vhs_parameter p; } off = {
		IGVM_VHT_PARAMETER_AREA, 16, { 4096, 3, 0 }, IGVM_VHT_COMMAND_LINE, 8, { 3, 4096 } };
	expect_rejected(&off, sizeof(off), "outside area");
	struct { uint32_t t, l; struct igvm_vhs_parameter_area a; } odd = { IGVM_VHT_PARAMETER_AREA, 16, { 100, 3, 0 } };
	expect_rejected(&odd, sizeof(odd), "page multiple");
}

static void test_reader_rejects_vp_context_without_data_or_for_tdx(void **state)
{
	struct igvm_writer w;
	char err[256];
	size_t len;
	(void)state;
	struct { uint32_t t, l; struct igvm_vhs_vp_context vp; uint32_t pad; } vp = { IGVM_VHT_VP_CONTEXT, 20, { 0x5000, 1, 0x10, 0, 0 }, 0 };
	expect_rejected(&vp, sizeof(vp), "outside the file data");

	igvm_writer_init(&w);
	platform(&w, 1, IGVM_PLATFORM_TYPE_TDX);
	struct igvm_vhs_vp_context tdx = { .compatibility_mask = 1 };
	tdx.file_offset = igvm_writer_data(&w, zero_page, 4096, 0);
	igvm_writer_header(&w, IGVM_VHT_VP_CONTEXT, &tdx, sizeof(tdx), offsetof(struct igvm_vhs_vp_context, file_offset));
	uint8_t *buf = finish(&w, &len);
	assert_false(parses(buf, len, err));
	assert_non_null(strstr(err, "not valid for platform TDX"));
	free(buf);
}

static void test_reader_rejects_duplicate_platforms(void **state)
{
	struct igvm_writer w;
	char err[256];
	size_t len;
	(void)state;
	igvm_writer_init(&w);
	platform(&w, 1, IGVM_PLATFORM_TYPE_SEV_SNP);
	platform(&w, 2, IGVM_PLATFORM_TYPE_SEV_SNP);
	page(&w, 0, 3, zero_page, 0, 0);
	uint8_t *buf = finish(&w, &len);
	assert_false(parses(buf, len, err));
	assert_non_null(strstr(err, "declared twice"));
	free(buf);
	igvm_writer_init(&w);
	platform(&w, 3, IGVM_PLATFORM_TYPE_SEV_SNP); /* two bits */
	page(&w, 0, 3, zero_page, 0, 0);
	buf = finish(&w, &len);
	assert_false(parses(buf, len, err));
	assert_non_null(strstr(err, "exactly one bit"));
	free(buf);
}

static void test_reader_rejects_a_page_loaded_twice(void **state)
{
	struct igvm_writer w;
	char err[256];
	size_t len;
	(void)state;
	igvm_writer_init(&w);
	platform(&w, 1, IGVM_PLATFORM_TYPE_SEV_SNP);
	platform(&w, 2, IGVM_PLATFORM_TYPE_TDX);
	page(&w, 0x3000, 1, NULL, 0, 0);
	page(&w, 0x3000, 2, NULL, 0, 0); /* same GPA, other platform: fine */
	struct igvm_vhs_parameter_area pa = { 0x2000, 5, 0 };
	igvm_writer_header(&w, IGVM_VHT_PARAMETER_AREA, &pa, sizeof(pa), NO_DATA);
	struct igvm_vhs_parameter_insert pi = { 0x2000, 1, 5 }; /* 0x2000 and 0x3000: overlaps on SNP */
	igvm_writer_header(&w, IGVM_VHT_PARAMETER_INSERT, &pi, sizeof(pi), NO_DATA);
	page(&w, 0x9000, 2, zero_page, 0, 0);
	uint8_t *buf = finish(&w, &len);
	assert_false(parses(buf, len, err));
	assert_non_null(strstr(err, "guest page 0x3000 is loaded twice for platform SEV_SNP"));
	free(buf);
}

/* Every single-byte corruption of the headers either parses or is rejected: never a crash or an
 * out-of-bounds read (ASan/UBSan watch this loop). */
static void test_reader_survives_byte_corruption_sweep(void **state)
{
	size_t len;
	char err[256];
	(void)state;
	uint8_t *buf = example_file(&len);
	const uint32_t vh_end = 24 + 80;
	for (uint32_t i = 0; i < vh_end; i++) {
		for (int bit = 0; bit < 8; bit++) {
			buf[i] ^= (uint8_t)(1u << bit);
			struct igvm_fixed_header fh;
			memcpy(&fh, buf, sizeof(fh));
			/* Re-sign header edits so the reader gets past the checksum, when the edited extent
			 * still lies inside the buffer (otherwise the checksum cannot be computed). */
			if ((i < 20 || i >= 24) && (uint64_t)fh.variable_header_offset + fh.variable_header_size <= len)
				refix_checksum(buf);
			struct igvm_file f;
			if (igvm_file_parse(buf, len, &f, err, sizeof(err))) {
				uint8_t d[48];
				(void)igvm_measure_snp(&f, true, d, err, sizeof(err));
				igvm_file_free(&f);
			}
			buf[i] ^= (uint8_t)(1u << bit);
			refix_checksum(buf);
		}
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_igvm_writer_matches_reference_example_vector),
		cmocka_unit_test(test_snp_page_info_chain_known_answers),
		cmocka_unit_test(test_tdx_mrtd_known_answers),
		cmocka_unit_test(test_measurements_of_a_file_match_known_answers),
		cmocka_unit_test(test_reader_rejects_corrupt_fixed_header),
		cmocka_unit_test(test_reader_rejects_bad_tlvs),
		cmocka_unit_test(test_reader_rejects_bad_directives),
		cmocka_unit_test(test_reader_rejects_vp_context_without_data_or_for_tdx),
		cmocka_unit_test(test_reader_rejects_duplicate_platforms),
		cmocka_unit_test(test_reader_rejects_a_page_loaded_twice),
		cmocka_unit_test(test_reader_survives_byte_corruption_sweep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
