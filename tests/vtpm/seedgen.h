/* Shared by the fuzz-seed generators (seedgen_policy.c, seedgen_cred.c): the fuzz target's own
 * platform (fixed entropy, in-memory NV), a command builder, and a recorder that runs each command on
 * the engine and appends it to the seed stream, so that handles, nonces and keys in the stream are
 * exactly those of the replay. */
#ifndef MANTLE_TESTS_VTPM_SEEDGEN_H
#define MANTLE_TESTS_VTPM_SEEDGEN_H

#include <stdint.h>
#include <string.h>

#include "vtpm/internal.h"

extern struct vtpm *T;
extern uint8_t rsp[VTPM_MAX_RESPONSE];
extern unsigned failures;
extern const char *seedgen_name; /* "policy", "cred": the seed file prefix and message tag */

struct cb { uint8_t b[4096]; size_t n; };
static inline void u8(struct cb *c, uint8_t v) { c->b[c->n++] = v; }
static inline void u16(struct cb *c, uint16_t v) { u8(c, (uint8_t)(v >> 8)); u8(c, (uint8_t)v); }
static inline void u32(struct cb *c, uint32_t v) { u16(c, (uint16_t)(v >> 16)); u16(c, (uint16_t)v); }
static inline void bytes(struct cb *c, const void *p, size_t n) { if (n) memcpy(c->b + c->n, p, n); c->n += n; }
static inline void b2b(struct cb *c, const void *p, uint16_t n) { u16(c, n); bytes(c, p, n); }
static inline void start(struct cb *c, uint16_t tag, uint32_t cc) { c->n = 0; u16(c, tag); u32(c, 0); u32(c, cc); }
static inline void pw(struct cb *c, const char *pass)
{
	size_t l = strlen(pass);
	u32(c, (uint32_t)(9 + l)); u32(c, TPM_RS_PW); u16(c, 0); u8(c, 1); b2b(c, pass, (uint16_t)l);
}

/* Runs the command and appends it to the stream; returns the response code. */
uint32_t run(struct cb *c);
/* Power-on with empty NV, Startup(CLEAR), and a new (empty) stream. */
void fresh(void);
/* Writes the stream to DIR/<seedgen_name>-NAME; exits on an I/O error. */
void save(const char *dir, const char *name);
/* Counts (and reports) a response code other than the expected one. */
void expect(uint32_t rc, uint32_t want, const char *what);

#endif
