/* libFuzzer target for vtpm_execute.
 *
 * An input is a stream of TPM commands back to back, as tools/vtpm-sim --record writes them (the
 * seed corpus in tests/vtpm/seeds). Each input runs on a freshly manufactured TPM (in-memory NV,
 * fixed entropy) after Startup(CLEAR); a command whose size field does not fit the rest of the input
 * is executed as it is (malformed) and ends the stream. After every command the response must be
 * well formed; the first byte of the input also picks the locality. */
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
	nv_len = 0;
	vtpm_power_on(t, &plat);
	check_response(rsp, vtpm_execute(t, su, sizeof(su), rsp, sizeof(rsp)));
	if (size > 0)
		vtpm_set_locality(t, data[0] % 5);
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
