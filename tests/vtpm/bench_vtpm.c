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

/* ---- key commands: each TPM gets its own key handle, so command bytes are patched per TPM ---- */

#define PW_AUTH "00000009" "40000009" "0000" "01" "0000"
#define ECC_TMPL(attrs) "0023" "000b" attrs "0000" "0010" "0018" "000b" "0003" "0010" "0000" "0000"
#define RSA_TMPL(attrs) "0001" "000b" attrs "0000" "0010" "0014" "000b" "0800" "00000000"
#define ATTR_SIGN "00040072"       /* fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|sign */
#define ATTR_AK "00050072"         /* ... |restricted: an attestation key */

static uint32_t handle_of(const uint8_t *r) { return (uint32_t)r[10] << 24 | (uint32_t)r[11] << 16 | (uint32_t)r[12] << 8 | r[13]; }
static void set_handle(struct cmd *c, uint32_t h)
{
	c->b[10] = (uint8_t)(h >> 24); c->b[11] = (uint8_t)(h >> 16); c->b[12] = (uint8_t)(h >> 8); c->b[13] = (uint8_t)h;
}

/* CreatePrimary(owner) of `tmpl`; for RSA the TPM2B unique is appended by the caller's `unique`. */
static void create_primary_cmd(struct cmd *c, const char *tmpl, int rsa, uint8_t unique)
{
	struct cmd t = { 0 };
	put(&t, tmpl);
	if (rsa) {
		put(&t, "0001");
		t.b[t.n++] = unique;
	}
	c->n = 0;
	put(c, "8002" "00000000" "00000131" "40000001" PW_AUTH "0004" "0000" "0000");
	c->b[c->n++] = (uint8_t)(t.n >> 8);
	c->b[c->n++] = (uint8_t)t.n;
	memcpy(c->b + c->n, t.b, t.n);
	c->n += t.n;
	put(c, "0000" "00000000");
	fix(c);
}

static const uint8_t *last_rsp(int which) { return which ? lt_buf : rsp; }
static uint32_t (*const runner[2])(const uint8_t *, size_t) = { rc_ours, rc_libtpms };

static void flush(int which, uint32_t h)
{
	struct cmd f = { 0 };
	put(&f, "8001" "0000000e" "00000165" "00000000");
	set_handle(&f, h);
	fix(&f);
	(void)runner[which](f.b, f.n);
}

/* ns of one CreatePrimary (+ the FlushContext after it, untimed); median over `n` when `median`
 * (RSA: key generation time varies with where the primes fall, so each run uses a new unique),
 * else best of ROUNDS rounds of n. Returns < 0 when the TPM refuses the template. */
static int cmp_d(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }
static double create_primary_ns(int which, const char *tmpl, int rsa, int n, int median)
{
	double t[64], best = 1e30;
	struct cmd c;
	int rounds = median ? 1 : ROUNDS;

	for (int r = 0; r < rounds; r++) {
		double sum = 0;
		for (int i = 0; i < n; i++) {
			create_primary_cmd(&c, tmpl, rsa, (uint8_t)i);
			double t0 = now_s();
			if (runner[which](c.b, c.n) != 0)
				return -1;
			double dt = (now_s() - t0) * 1e9;
			flush(which, handle_of(last_rsp(which)));
			if (median && i < 64)
				t[i] = dt;
			sum += dt;
		}
		if (sum / n < best)
			best = sum / n;
	}
	if (!median)
		return best;
	qsort(t, (size_t)(n < 64 ? n : 64), sizeof(double), cmp_d);
	return t[(n < 64 ? n : 64) / 2];
}

/* Loads a primary from tmpl in both TPMs and times `use` (whose handle is patched per TPM). */
static void key_row(const char *name, const char *tmpl, int rsa, struct cmd *use, int n)
{
	struct cmd c, u[2];
	uint32_t h[2];
	double ns[2];

	create_primary_cmd(&c, tmpl, rsa, 0);
	for (int w = 0; w < 2; w++) {
		if (runner[w](c.b, c.n) != 0) {
			printf("  %-22s %12s\n", name, w ? "libtpms: unsupported" : "not supported yet");
			if (w)
				flush(0, h[0]);
			return;
		}
		h[w] = handle_of(last_rsp(w));
		u[w] = *use;
		set_handle(&u[w], h[w]);
	}
	/* one untimed warm-up each: libtpms answers TPM_RC_RETRY to the first use of a key at times */
	for (int w = 0; w < 2; w++)
		for (int i = 0; i < 3 && runner[w](u[w].b, u[w].n) == 0x922; i++)
			;
	for (int w = 0; w < 2; w++) {
		double best = 1e30;
		for (int r = 0; r < ROUNDS; r++) {
			double t0 = now_s();
			for (int i = 0; i < n; i++) {
				uint32_t rc = runner[w](u[w].b, u[w].n);
				if (rc != 0) {
					fprintf(stderr, "bench: %s failed in %s (rc 0x%x)\n", name, w ? "libtpms" : "mantle", rc);
					exit(1);
				}
			}
			double dt = (now_s() - t0) / n * 1e9;
			if (dt < best)
				best = dt;
		}
		ns[w] = best;
		flush(w, h[w]);
	}
	printf("  %-22s %12.0f %12.0f %7.2fx\n", name, ns[0], ns[1], ns[0] / ns[1]);
}

static void key_rows(int n)
{
	struct cmd sign = { 0 }, quote = { 0 };
	double a, b;

	/* Sign(key, 32-byte digest, key's scheme, NULL hashcheck ticket) */
	put(&sign, "8002" "00000000" "0000015d" "00000000" PW_AUTH "0020");
	for (int i = 0; i < 32; i++) sign.b[sign.n++] = (uint8_t)(0xA0 + i);
	put(&sign, "0010" "8024" "40000007" "0000");
	fix(&sign);
	/* Quote(AK, no qualifying data, key's scheme, SHA-256 PCRs 0-7) */
	put(&quote, "8002" "00000000" "00000158" "00000000" PW_AUTH "0000" "0010" "00000001" "000b" "03" "ff0000");
	fix(&quote);

	int kn = n / 20 > 0 ? n / 20 : 1;
	for (int rsa = 0; rsa < 2; rsa++) {
		const char *name = rsa ? "CreatePrimary RSA-2048" : "CreatePrimary P-256";
		const char *tmpl = rsa ? RSA_TMPL(ATTR_SIGN) : ECC_TMPL(ATTR_SIGN);
		int cn = rsa ? 20 : kn, med = rsa;
		a = create_primary_ns(0, tmpl, rsa, cn, med);
		b = create_primary_ns(1, tmpl, rsa, cn, med);
		if (a < 0 || b < 0)
			printf("  %-22s %12s\n", name, a < 0 ? "not supported yet" : "libtpms: unsupported");
		else
			printf("  %-22s %12.0f %12.0f %7.2fx%s\n", name, a, b, a / b, med ? "  (median of 20)" : "");
	}
	key_row("Sign P-256", ECC_TMPL(ATTR_SIGN), 0, &sign, kn);
	key_row("Sign RSA-2048", RSA_TMPL(ATTR_SIGN), 1, &sign, kn / 4 > 0 ? kn / 4 : 1);
	key_row("Quote P-256 AK", ECC_TMPL(ATTR_AK), 0, &quote, kn);
	key_row("Quote RSA-2048 AK", RSA_TMPL(ATTR_AK), 1, &quote, kn / 4 > 0 ? kn / 4 : 1);
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
	key_rows(n);

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
