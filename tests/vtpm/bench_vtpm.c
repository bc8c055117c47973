/* make bench: per-command cost of Mantle's vTPM beside libtpms (Debian's libtpms, TPMLIB_Process),
 * fed the same command bytes in one run, plus SHA-256 throughput of core/crypto beside OpenSSL.
 *
 * Each figure is the best of 5 timed rounds of N commands (best-of to damp the noise of a shared
 * machine). Prints a table; the ratio column is ours / libtpms (target <= 1.0). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libtpms/tpm_error.h>
#include <libtpms/tpm_library.h>
#include <openssl/evp.h>

#include "core/crypto/crypto.h"
#include "vtpm/vtpm.h"

#define ROUNDS 5

static uint8_t nv[200000];
static size_t nv_len;
static bool b_entropy(void *c, void *b, size_t n) { (void)c; memset(b, 0x42, n); return true; }
static uint64_t b_time(void *c) { (void)c; return 0; }
static size_t b_load(void *c, void *b, size_t cap) { (void)c; if (nv_len > cap) return 0; memcpy(b, nv, nv_len); return nv_len; }
static bool b_store(void *c, const void *b, size_t n) { (void)c; memcpy(nv, b, n); nv_len = n; return true; }
static const struct vtpm_platform plat = { NULL, b_entropy, b_time, b_load, b_store };

static struct vtpm *ours;
static uint8_t rsp[VTPM_MAX_RESPONSE];
static unsigned char *lt_buf;
static uint32_t lt_size;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint32_t rc_ours(const uint8_t *cmd, size_t len)
{
	size_t n = vtpm_execute(ours, cmd, len, rsp, sizeof(rsp));
	return n >= 10 ? ((uint32_t)rsp[6] << 24 | (uint32_t)rsp[7] << 16 | (uint32_t)rsp[8] << 8 | rsp[9]) : 0xFFFFFFFF;
}

static uint32_t rc_libtpms(const uint8_t *cmd, size_t len)
{
	uint32_t rlen = 0;
	if (TPMLIB_Process(&lt_buf, &rlen, &lt_size, (unsigned char *)cmd, (uint32_t)len) != TPM_SUCCESS || rlen < 10)
		return 0xFFFFFFFF;
	return (uint32_t)lt_buf[6] << 24 | (uint32_t)lt_buf[7] << 16 | (uint32_t)lt_buf[8] << 8 | lt_buf[9];
}

struct cmd { uint8_t b[1200]; size_t n; };
static void put(struct cmd *c, const char *hex)
{
	for (; hex[0] && hex[1]; hex += 2) {
		unsigned v;
		sscanf(hex, "%2x", &v);
		c->b[c->n++] = (uint8_t)v;
	}
}
static void fix(struct cmd *c)
{
	c->b[2] = (uint8_t)(c->n >> 24); c->b[3] = (uint8_t)(c->n >> 16);
	c->b[4] = (uint8_t)(c->n >> 8); c->b[5] = (uint8_t)c->n;
}

static double best_ns(uint32_t (*run)(const uint8_t *, size_t), const struct cmd *c, int n)
{
	double best = 1e30;
	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now_s();
		for (int i = 0; i < n; i++) {
			if (run(c->b, c->n) != 0) {
				fprintf(stderr, "bench: command failed\n");
				exit(1);
			}
		}
		double dt = (now_s() - t0) / n * 1e9;
		if (dt < best)
			best = dt;
	}
	return best;
}

static void setup_both(const struct cmd *c)
{
	uint32_t a = rc_ours(c->b, c->n), b = rc_libtpms(c->b, c->n);
	if (a != 0 || b != 0) {
		fprintf(stderr, "bench: setup command failed (ours 0x%x, libtpms 0x%x)\n", a, b);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	struct cmd startup = { 0 }, extend = { 0 }, rnd = { 0 }, hash = { 0 }, def = { 0 }, wr = { 0 }, rd = { 0 };
	char tmpl[] = "/tmp/vtpm-bench.XXXXXX";

	/* libtpms keeps its NV in files under TPM_PATH; only the setup commands write there. */
	if (!mkdtemp(tmpl))
		return 1;
	setenv("TPM_PATH", tmpl, 1);
	if (TPMLIB_ChooseTPMVersion(TPMLIB_TPM_VERSION_2) != TPM_SUCCESS || TPMLIB_MainInit() != TPM_SUCCESS) {
		fprintf(stderr, "bench: libtpms init failed\n");
		return 1;
	}
	ours = calloc(1, vtpm_state_size());
	vtpm_power_on(ours, &plat);

	put(&startup, "80010000000c000001440000");
	setup_both(&startup);
	/* PCR_Extend(10, SHA-256) with an empty-password session */
	put(&extend, "80020000000000000182" "0000000a" "00000009" "40000009" "0000" "01" "0000" "00000001" "000b");
	for (int i = 0; i < 32; i++) extend.b[extend.n++] = (uint8_t)i;
	fix(&extend);
	put(&rnd, "80010000000c0000017b0020");
	put(&hash, "8001" "00000000" "0000017d" "0400");
	for (int i = 0; i < 1024; i++) hash.b[hash.n++] = (uint8_t)i;
	put(&hash, "000b" "40000007");
	fix(&hash);
	/* NV_DefineSpace(owner, 0x01500020, ownerread|ownerwrite, 512 bytes), NV_Write(512), NV_Read(512) */
	put(&def, "8002" "00000000" "0000012a" "40000001" "00000009" "40000009" "0000" "01" "0000"
		  "0000" "000e" "01500020" "000b" "00020002" "0000" "0200");
	fix(&def);
	setup_both(&def);
	put(&wr, "8002" "00000000" "00000137" "40000001" "01500020" "00000009" "40000009" "0000" "01" "0000" "0200");
	for (int i = 0; i < 512; i++) wr.b[wr.n++] = (uint8_t)(i * 3);
	put(&wr, "0000");
	fix(&wr);
	setup_both(&wr);
	put(&rd, "8002" "00000000" "0000014e" "40000001" "01500020" "00000009" "40000009" "0000" "01" "0000"
		 "0200" "0000");
	fix(&rd);

	struct { const char *name; const struct cmd *c; } rows[] = {
		{ "PCR_Extend(SHA-256)", &extend }, { "GetRandom(32)", &rnd },
		{ "Hash(1 KiB, SHA-256)", &hash }, { "NV_Read(512)", &rd },
	};
	printf("vtpm bench: %d commands x %d rounds, best round, in-process (no transport)\n", n, ROUNDS);
	printf("  %-22s %12s %12s %8s\n", "command", "mantle ns", "libtpms ns", "ratio");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		double a = best_ns(rc_ours, rows[i].c, n), b = best_ns(rc_libtpms, rows[i].c, n);
		printf("  %-22s %12.0f %12.0f %7.2fx\n", rows[i].name, a, b, a / b);
	}

	/* SHA-256 throughput: 64 x 1 MiB */
	static uint8_t buf[1 << 20], d[32];
	unsigned dl;
	double best_m = 0, best_o = 0;
	memset(buf, 0xA5, sizeof(buf));
	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now_s();
		for (int i = 0; i < 32; i++) crypto_hash(CRYPTO_SHA256, buf, sizeof(buf), d);
		double m = 32.0 / (now_s() - t0);
		t0 = now_s();
		for (int i = 0; i < 32; i++) EVP_Digest(buf, sizeof(buf), d, &dl, EVP_sha256(), NULL);
		double o = 32.0 / (now_s() - t0);
		if (m > best_m) best_m = m;
		if (o > best_o) best_o = o;
	}
	printf("  %-22s %9.0f MB/s %9.0f MB/s (core/crypto vs OpenSSL)\n", "SHA-256", best_m * 1.048576, best_o * 1.048576);
	TPMLIB_Terminate();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpl);
	if (system(cmd) != 0)
		return 1;
	free(ours);
	return 0;
}
