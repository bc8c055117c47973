/* Extended guest requests (NAE 0x8000_0012): the certificate table parser on hand-made tables, and
 * the whole exchange against the simulated host — "buffer too small" answered with a larger buffer
 * and the same message, hosts that ask for too much or make no progress (the report still comes,
 * its sequence number used once), and tables that lie (overlap, past the end, wrap-around, inside
 * the table, no terminator), which cost only the certificates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tee/snp/snp_backend.h"
#include "tee/snp/snp_certs.h"
#include "tests/sim/snp_sim.h"

const char mantle_version[] = "0.1.0";

#define SECRETS_GPA 0x20000ull

static const struct tee_backend *tee = &snp_tee_backend;
static jmp_buf term;
static struct snp_certs certs;
static struct snp_report report;

/* ------------------------------------------------------------------------------------------------ */
/* The parser. */

static uint8_t buf[4096];
static struct snp_cert_entry out[SNP_CERT_MAX_ENTRIES];

static void put_entry(uint32_t i, uint8_t guid_byte, uint32_t offset, uint32_t length)
{
	struct snp_cert_table_entry e = { .offset = offset, .length = length };
	memset(e.guid, guid_byte, sizeof(e.guid));
	memcpy(buf + i * sizeof(e), &e, sizeof(e));
}

static enum snp_cert_status parse(uint32_t len, uint32_t *count)
{
	return snp_certs_parse(buf, len, out, SNP_CERT_MAX_ENTRIES, count);
}

static void test_parser_accepts_a_good_table_and_an_empty_one(void **state)
{
	(void)state;
	uint32_t n = 99;

	memset(buf, 0, sizeof(buf));
	assert_int_equal(parse(sizeof(buf), &n), SNP_CERTS_OK);
	assert_int_equal(n, 0);
	put_entry(0, 1, 72, 100);
	put_entry(1, 2, 172, 200);
	assert_int_equal(parse(sizeof(buf), &n), SNP_CERTS_OK);
	assert_int_equal(n, 2);
	assert_int_equal(out[1].offset, 172);
	assert_int_equal(out[1].length, 200);
	assert_int_equal(out[0].guid[0], 1);
	/* Exactly up to the end of the buffer is fine; one byte more is not. */
	put_entry(1, 2, 172, sizeof(buf) - 172);
	assert_int_equal(parse(sizeof(buf), &n), SNP_CERTS_OK);
	put_entry(1, 2, 172, sizeof(buf) - 171);
	assert_int_equal(parse(sizeof(buf), &n), SNP_CERTS_OUT_OF_RANGE);
	assert_int_equal(n, 0);
}

static void test_parser_refuses_each_malformation(void **state)
{
	(void)state;
	uint32_t n;

	memset(buf, 0, sizeof(buf));
	put_entry(0, 1, 72, 100);
	put_entry(1, 2, 100, 200); /* overlaps the first */
	assert_int_equal(parse(sizeof(buf), &n), SNP_CERTS_OVERLAP);
	put_entry(1, 1, 172, 200); /* same GUID twice */
	assert_int_equal(parse(sizeof(buf), &n), SNP_CERTS_DUPLICATE);
	put_entry(1, 2, 40, 10); /* data inside the table */
	assert_int_equal(parse(sizeof(buf), &n), SNP_CERTS_OUT_OF_RANGE);
	put_entry(1, 2, 0xfffffff0u, 0x20); /* wraps in 32 bits */
	assert_int_equal(parse(sizeof(buf), &n), SNP_CERTS_OUT_OF_RANGE);
	put_entry(1, 2, 172, 0); /* empty certificate */
	assert_int_equal(parse(sizeof(buf), &n), SNP_CERTS_BAD_ENTRY);
	put_entry(1, 0, 172, 10); /* zero GUID that is not the terminator */
	assert_int_equal(parse(sizeof(buf), &n), SNP_CERTS_BAD_ENTRY);
	/* No terminator: entries to the last whole 24-byte slot. */
	for (uint32_t i = 0; i < sizeof(buf) / 24; i++)
		put_entry(i, (uint8_t)(i + 1), 4000, 1);
	assert_int_equal(parse(sizeof(buf), &n), SNP_CERTS_TOO_MANY);
	static struct snp_cert_entry many[sizeof(buf) / 24];
	assert_int_equal(snp_certs_parse(buf, sizeof(buf), many, sizeof(buf) / 24, &n), SNP_CERTS_NO_TERMINATOR);
	/* Shorter than one entry. */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(parse(23, &n), SNP_CERTS_NO_TERMINATOR);
	assert_int_equal(parse(24, &n), SNP_CERTS_OK);
	assert_string_equal(snp_cert_status_name(SNP_CERTS_OVERLAP), "overlapping entries");
}

/* ------------------------------------------------------------------------------------------------ */
/* The exchange. */

static void boot(uint32_t cert_lie)
{
	snp_sim_init(SNP_SIM_HONEST);
	snp_sim_layout();
	struct snp_secrets *sec = snp_sim_ptr(SECRETS_GPA);
	memcpy(sec->vmpck, snp_sim.vmpck, sizeof(sec->vmpck));
	snp_set_launch_pages(SECRETS_GPA, 0);
	assert_true(tee->probe());
	snp_sim.term_jmp = &term;
	if (setjmp(term) != 0)
		fail_msg("terminated: %u/%u", snp_sim.term_set, snp_sim.term_code);
	assert_int_equal(tee->init(), 0);
	snp_sim.cert_lie = cert_lie;
}

static int teardown(void **state)
{
	(void)state;
	snp_set_launch_pages(0, 0);
	snp_sim_fini();
	return 0;
}

/* One report request; checks the report is the PSP's answer to this request (one sequence number). */
static void attest_ext(void)
{
	uint8_t data[64];
	uint64_t seq = snp_sim.psp_seqno[0];

	memset(data, 0x3c, sizeof(data));
	memset(&certs, 0xee, sizeof(certs));
	assert_int_equal(snp_backend_attest_ext(data, 0, &report, &certs), SNP_GREQ_OK);
	assert_memory_equal(report.report_data, data, 64);
	assert_int_equal(snp_sim.psp_seqno[0], seq + 2);
	assert_false(snp_sim_host_sees(snp_sim.vmpck[0], 32));
}

static void test_too_small_buffer_is_retried_larger_with_the_same_message(void **state)
{
	(void)state;
	boot(SNP_SIM_CERTS_HONEST);
	attest_ext();
	/* One page offered, two needed: asked again with two, then served. */
	assert_int_equal(snp_sim.ext_calls, 2);
	assert_int_equal(snp_sim.reports, 1);
	assert_int_equal(certs.status, SNP_CERTS_OK);
	assert_int_equal(certs.count, SNP_SIM_CERT_COUNT);
	assert_int_equal(certs.len, 2 * 4096);
	/* The entries are the host's table, and the data is in the private copy. */
	for (uint32_t i = 0; i < certs.count; i++) {
		struct snp_cert_table_entry t;
		memcpy(&t, snp_sim.certs + i * sizeof(t), sizeof(t));
		assert_memory_equal(certs.e[i].guid, t.guid, 16);
		assert_int_equal(certs.e[i].offset, t.offset);
		assert_int_equal(certs.e[i].length, t.length);
		assert_memory_equal(certs.data + t.offset, snp_sim.certs + t.offset, t.length);
	}
	/* The size is remembered: the next request fits at once. */
	attest_ext();
	assert_int_equal(snp_sim.ext_calls, 3);
	assert_int_equal(certs.status, SNP_CERTS_OK);
}

static void expect_report_without_certs(uint32_t lie, enum snp_cert_status want)
{
	boot(lie);
	attest_ext();
	assert_int_equal(certs.status, want);
	assert_int_equal(certs.count, 0);
	assert_int_equal(snp_sim.reports, 1);
	snp_set_launch_pages(0, 0);
	snp_sim_fini();
}

static void test_lying_tables_cost_only_the_certificates(void **state)
{
	(void)state;
	expect_report_without_certs(SNP_SIM_CERTS_OVERLAP, SNP_CERTS_OVERLAP);
	expect_report_without_certs(SNP_SIM_CERTS_PAST_END, SNP_CERTS_OUT_OF_RANGE);
	expect_report_without_certs(SNP_SIM_CERTS_WRAP, SNP_CERTS_OUT_OF_RANGE);
	expect_report_without_certs(SNP_SIM_CERTS_IN_TABLE, SNP_CERTS_OUT_OF_RANGE);
	expect_report_without_certs(SNP_SIM_CERTS_NO_TERMINATOR, SNP_CERTS_TOO_MANY);
}

static void test_host_asking_for_too_much_gets_a_plain_request(void **state)
{
	(void)state;
	expect_report_without_certs(SNP_SIM_CERTS_HUGE, SNP_CERTS_TOO_LARGE);
	expect_report_without_certs(SNP_SIM_CERTS_SAME_RBX, SNP_CERTS_NONE);
	expect_report_without_certs(SNP_SIM_CERTS_NO_RBX, SNP_CERTS_NONE);
	/* Each ended after one extended attempt, then the same message went out plain. */
	boot(SNP_SIM_CERTS_HUGE);
	attest_ext();
	assert_int_equal(snp_sim.ext_calls, 1);
	assert_int_equal(snp_sim.greq_calls, 1);
}

static void test_certificates_larger_than_the_limit_are_refused(void **state)
{
	(void)state;
	boot(SNP_SIM_CERTS_HONEST);
	/* The host honestly has 9 pages of certificates: one more than Mantle ever offers. */
	snp_sim.certs_len = 8 * 4096 + 200;
	attest_ext();
	assert_int_equal(certs.status, SNP_CERTS_TOO_LARGE);
	assert_int_equal(certs.count, 0);
	/* 1 page offered, 9 asked: over the limit at once, so one extended call, then plain. */
	assert_int_equal(snp_sim.ext_calls, 1);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parser_accepts_a_good_table_and_an_empty_one),
		cmocka_unit_test(test_parser_refuses_each_malformation),
		T(test_too_small_buffer_is_retried_larger_with_the_same_message),
		T(test_lying_tables_cost_only_the_certificates),
		T(test_host_asking_for_too_much_gets_a_plain_request),
		T(test_certificates_larger_than_the_limit_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
