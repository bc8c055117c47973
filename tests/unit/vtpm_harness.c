/* The host harness the vTPM engine's unit tests share (test_vtpm.c, test_vtpm_ecc.c): an in-memory
 * platform (NV blob, settable time, deterministic entropy), one engine instance, and a command
 * builder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/vtpm_harness.h"

/* ---- host platform: in-memory NV, settable time, deterministic entropy ---- */
uint8_t nv_store_buf[VTPM_BLOB_MAX];
size_t nv_len;
bool nv_fail;
uint64_t now_ms;
unsigned stores;

/* Deterministic but different at every call (each power-on draws a new seed). */
static bool p_entropy(void *c, void *b, size_t n)
{
	static uint8_t draw;
	(void)c;
	draw++;
	for (size_t i = 0; i < n; i++)
		((uint8_t *)b)[i] = (uint8_t)(i * 31 + 7 + draw);
	return true;
}
static uint64_t p_time(void *c) { (void)c; return now_ms; }
static size_t p_load(void *c, void *b, size_t cap)
{
	(void)c;
	if (nv_len > cap)
		return cap + 1;
	memcpy(b, nv_store_buf, nv_len);
	return nv_len;
}
static bool p_store(void *c, const void *b, size_t n)
{
	(void)c;
	if (nv_fail)
		return false;
	memcpy(nv_store_buf, b, n);
	nv_len = n;
	stores++;
	return true;
}
const struct vtpm_platform plat = { NULL, p_entropy, p_time, p_load, p_store };

struct vtpm *T;
uint8_t rsp[VTPM_MAX_RESPONSE];
size_t rlen;

/* ---- command builder ---- */
void u8(struct cb *c, uint8_t v) { c->b[c->n++] = v; }
void u16(struct cb *c, uint16_t v) { u8(c, (uint8_t)(v >> 8)); u8(c, (uint8_t)v); }
void u32(struct cb *c, uint32_t v) { u16(c, (uint16_t)(v >> 16)); u16(c, (uint16_t)v); }
void bytes(struct cb *c, const void *p, size_t n) { memcpy(c->b + c->n, p, n); c->n += n; }
void b2b(struct cb *c, const void *p, uint16_t n) { u16(c, n); bytes(c, p, n); }
void start(struct cb *c, uint16_t tag, uint32_t cc) { c->n = 0; u16(c, tag); u32(c, 0); u32(c, cc); }
void fin(struct cb *c) { c->b[2] = (uint8_t)(c->n >> 24); c->b[3] = (uint8_t)(c->n >> 16); c->b[4] = (uint8_t)(c->n >> 8); c->b[5] = (uint8_t)c->n; }
/* Password session area with one TPM_RS_PW authorization. */
void pw(struct cb *c, const char *pass)
{
	size_t l = strlen(pass);
	u32(c, (uint32_t)(9 + l));
	u32(c, TPM_RS_PW);
	u16(c, 0);
	u8(c, 1);
	b2b(c, pass, (uint16_t)l);
}

uint32_t rc_of(void) { return vtpm_be32(rsp + 6); }
uint32_t exec(struct cb *c)
{
	fin(c);
	rlen = vtpm_execute(T, c->b, c->n, rsp, sizeof(rsp));
	assert_true(rlen >= 10);
	assert_int_equal(vtpm_be32(rsp + 2), rlen);
	return rc_of();
}

uint32_t startup(uint16_t su)
{
	struct cb c;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_Startup);
	u16(&c, su);
	return exec(&c);
}
uint32_t shutdown(uint16_t su)
{
	struct cb c;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_Shutdown);
	u16(&c, su);
	return exec(&c);
}

int setup(void **state)
{
	(void)state;
	nv_len = 0;
	nv_fail = false;
	now_ms = 1000;
	T = calloc(1, vtpm_state_size());
	vtpm_power_on(T, &plat);
	return 0;
}
int setup_started(void **state)
{
	setup(state);
	assert_int_equal(startup(TPM_SU_CLEAR), 0);
	return 0;
}
int teardown(void **state) { (void)state; free(T); return 0; }
