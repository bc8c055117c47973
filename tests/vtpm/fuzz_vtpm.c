/* libFuzzer target for vtpm_execute.
 *
 * An input is a stream of TPM commands back to back, as tools/vtpm-sim --record writes them (the
 * seed corpus in tests/vtpm/seeds). Each input runs on a freshly manufactured TPM (in-memory NV,
 * fixed entropy) after Startup(CLEAR); a command whose size field does not fit the rest of the input
 * is executed as it is (malformed) and ends the stream. After every command the response must be
 * well formed. The first byte of the input also drives the platform: bits 0-2 the locality of the
 * commands (mod 5), bit 3 an H-CRTM sequence before Startup, bit 4 a D-RTM sequence after it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vtpm/internal.h"

static uint8_t nv[VTPM_BLOB_MAX];
static size_t nv_len;

static bool f_entropy(void *c, void *b, size_t n)
{
	(void)c;
	memset(b, 0x5a, n);
	return true;
}
static uint64_t f_time(void *c) { (void)c; return 0; }
static size_t f_load(void *c, void *b, size_t cap)
{
	(void)c;
	if (nv_len > cap)
		return 0;
	memcpy(b, nv, nv_len);
	return nv_len;
}
static bool f_store(void *c, const void *b, size_t n)
{
	(void)c;
	if (n > sizeof(nv))
		return false;
	memcpy(nv, b, n);
	nv_len = n;
	return true;
}
static const struct vtpm_platform plat = { NULL, f_entropy, f_time, f_load, f_store };

static void check_response(const uint8_t *rsp, size_t len)
{
	if (len < 10 || len > VTPM_MAX_RESPONSE)
		abort();
	if (vtpm_be32(rsp + 2) != len)
		abort();
	if (vtpm_be32(rsp + 6) != 0 && len != 10)
		abort(); /* error responses carry no parameters */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vtpm *t;
	static uint8_t rsp[VTPM_MAX_RESPONSE];
	static const uint8_t su[12] = { 0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01, 0x44, 0, 0 };
	size_t off = 0, len;

	if (!t)
		t = malloc(vtpm_state_size());
	uint8_t ctl = size > 0 ? data[0] : 0;

	nv_len = 0;
	vtpm_power_on(t, &plat);
	if (ctl & 0x08) {
		vtpm_set_locality(t, 4);
		(void)vtpm_hash_start(t);
		(void)vtpm_hash_data(t, data, size < 16 ? size : 16);
		(void)vtpm_hash_end(t);
	}
	vtpm_set_locality(t, 0);
	check_response(rsp, vtpm_execute(t, su, sizeof(su), rsp, sizeof(rsp)));
	if (ctl & 0x10) {
		vtpm_set_locality(t, 4);
		(void)vtpm_hash_start(t);
		(void)vtpm_hash_data(t, data, size < 32 ? size : 32);
		(void)vtpm_hash_end(t);
	}
	vtpm_set_locality(t, (uint8_t)((ctl & 7) % 5));
	while (size - off >= 10) {
		uint32_t want = vtpm_be32(data + off + 2);
		len = (want >= 10 && want <= size - off) ? want : size - off;
		len = vtpm_execute(t, data + off, len, rsp, sizeof(rsp));
		check_response(rsp, len);
		if (!(want >= 10 && want <= size - off))
			break;
		off += want;
	}
	/* Whatever the commands did, the persisted blob must load back cleanly. */
	vtpm_power_on(t, &plat);
	if (vtpm_in_failure(t, NULL))
		abort();
	return 0;
}
