/* Shared host harness for the vTPM engine's unit tests (tests/unit/vtpm_harness.c). */
#ifndef MANTLE_TESTS_UNIT_VTPM_HARNESS_H
#define MANTLE_TESTS_UNIT_VTPM_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtpm/internal.h"

/* The platform's state, which tests inspect and change. */
extern uint8_t nv_store_buf[VTPM_BLOB_MAX];
extern size_t nv_len;
extern bool nv_fail;        /* make the NV stores fail */
extern uint64_t now_ms;
extern unsigned stores;     /* successful NV stores so far */
extern const struct vtpm_platform plat;

/* The engine under test and its last response. */
extern struct vtpm *T;
extern uint8_t rsp[VTPM_MAX_RESPONSE];
extern size_t rlen;

/* Command builder: start() a header, append big-endian fields, exec() fills in the size, runs the
 * command and returns its response code. */
struct cb { uint8_t b[VTPM_MAX_COMMAND + 64]; size_t n; };
void u8(struct cb *c, uint8_t v);
void u16(struct cb *c, uint16_t v);
void u32(struct cb *c, uint32_t v);
void bytes(struct cb *c, const void *p, size_t n);
void b2b(struct cb *c, const void *p, uint16_t n);
void start(struct cb *c, uint16_t tag, uint32_t cc);
void fin(struct cb *c);
/* Password session area with one TPM_RS_PW authorization. */
void pw(struct cb *c, const char *pass);
uint32_t rc_of(void);
uint32_t exec(struct cb *c);
uint32_t startup(uint16_t su);
uint32_t shutdown(uint16_t su);

/* cmocka fixtures: a powered-on engine with an empty NV store (setup), also started (setup_started). */
int setup(void **state);
int setup_started(void **state);
int teardown(void **state);

#endif
