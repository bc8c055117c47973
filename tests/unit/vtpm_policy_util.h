/* Helpers the policy unit tests share (tests/unit/vtpm_policy_util.c): digests computed with
 * OpenSSL, policy commands, NV indices and keys, and authorization through a session whose HMAC
 * is computed here. */
#ifndef MANTLE_TESTS_UNIT_VTPM_POLICY_UTIL_H
#define MANTLE_TESTS_UNIT_VTPM_POLICY_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDX 0x01500010u
#define ATTRS_SK_POLICY 0x00040032u /* fixedTPM fixedParent sensitiveDataOrigin sign, no userWithAuth */
#define ATTRS_SK 0x00040072u        /* the same with userWithAuth */

/* A session as the test tracks it: handle, current nonceTPM, sessionKey, a counter for nonces. */
struct sess {
	uint32_t h;
	uint8_t nt[32];
	uint8_t key[32];
	size_t kl;
	uint8_t nc;
};

void sha256(const void *p, size_t n, uint8_t out[32]);
void hmac256(const void *key, size_t kl, const void *data, size_t n, uint8_t out[32]);
void ext(uint8_t d[32], uint32_t cc, const void *a, size_t al);
void ext_ref(uint8_t d[32], const void *r, size_t rl);
uint32_t start_session(uint8_t type, struct sess *s);
uint32_t get_digest(const struct sess *s, uint8_t out[32]);
void expect_digest(const struct sess *s, const uint8_t want[32]);
uint32_t pol(uint32_t cc, const struct sess *s, const void *params, size_t n);
uint32_t pol_u32(uint32_t cc, const struct sess *s, uint32_t v);
uint32_t pol_2b(uint32_t cc, const struct sess *s, const uint8_t *d, uint16_t n);
size_t pcr_sel(uint8_t *p, uint32_t mask);
uint32_t pol_pcr(const struct sess *s, const uint8_t *dg, uint16_t dl, uint32_t mask);
void pcr_read256(unsigned pcr, uint8_t out[32]);
uint32_t pcr_extend(unsigned pcr, uint8_t v);
uint32_t nv_define_policy(uint32_t idx, uint32_t attrs, uint16_t size, const char *auth, const uint8_t pol32[32]);
uint32_t nv_write_owner(uint32_t idx, const void *data, uint16_t n);
size_t name_of(uint32_t h, uint8_t *out);
uint32_t run_auth(struct sess *s, bool password, const char *auth, uint32_t cc, const uint32_t *hs, unsigned nh,
		  const uint8_t *params, size_t pl);
uint32_t nv_read_with(struct sess *s, uint32_t idx, uint16_t size);
uint32_t create_key(uint32_t attrs, const uint8_t *pol32);
void tpm_sign(uint32_t key, const uint8_t dg[32], uint8_t sig[72]);

#endif
