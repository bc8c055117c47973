/* The seed generators' shared platform, builder and recorder (seedgen.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/vtpm/seedgen.h"

static uint8_t nv[VTPM_BLOB_MAX];
static size_t nv_len;
static bool f_entropy(void *c, void *b, size_t n) { (void)c; memset(b, 0x5a, n); return true; }
static uint64_t f_time(void *c) { (void)c; return 0; }
static size_t f_load(void *c, void *b, size_t cap) { (void)c; if (nv_len > cap) return 0; memcpy(b, nv, nv_len); return nv_len; }
static bool f_store(void *c, const void *b, size_t n) { (void)c; if (n > sizeof(nv)) return false; memcpy(nv, b, n); nv_len = n; return true; }
static const struct vtpm_platform plat = { NULL, f_entropy, f_time, f_load, f_store };

struct vtpm *T;
uint8_t rsp[VTPM_MAX_RESPONSE];
unsigned failures;
static uint8_t stream[65536];
static size_t stream_len;

uint32_t run(struct cb *c)
{
	vtpm_set_be32(c->b + 2, (uint32_t)c->n);
	if (stream_len + c->n > sizeof(stream))
		abort();
	memcpy(stream + stream_len, c->b, c->n);
	stream_len += c->n;
	size_t n = vtpm_execute(T, c->b, c->n, rsp, sizeof(rsp));
	return n >= 10 ? vtpm_be32(rsp + 6) : 0xFFFFFFFFu;
}

void fresh(void)
{
	static const uint8_t su[12] = { 0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01, 0x44, 0, 0 };
	nv_len = 0;
	vtpm_power_on(T, &plat);
	vtpm_set_locality(T, 0);
	(void)vtpm_execute(T, su, sizeof(su), rsp, sizeof(rsp));
	stream_len = 0;
}

void save(const char *dir, const char *name)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s-%s", dir, seedgen_name, name);
	f = fopen(path, "wb");
	if (!f || fwrite(stream, 1, stream_len, f) != stream_len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

void expect(uint32_t rc, uint32_t want, const char *what)
{
	if (rc != want) {
		fprintf(stderr, "seedgen_%s: %s: rc 0x%x, expected 0x%x\n", seedgen_name, what, rc, want);
		failures++;
	}
}
