/* Helpers shared by test_vtpm_cred.c and test_vtpm_dup.c; see vtpm_cred_util.c. */
#ifndef MANTLE_TESTS_UNIT_VTPM_CRED_UTIL_H
#define MANTLE_TESTS_UNIT_VTPM_CRED_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "tests/unit/vtpm_objects_util.h"

struct cred { uint8_t blob[200], secret[300]; uint16_t bl, sl; };

uint32_t activate(uint32_t obj_h, uint32_t key, const struct cred *cr);
void cfb128(const uint8_t *key, size_t kl, uint8_t *buf, size_t n, int enc);
void ec_keypair(uint8_t d[32], uint8_t xy[64]);
size_t ecc_share(const uint8_t kxy[64], const char *label, uint8_t seed[32], uint8_t *secret);
void ecdh(const uint8_t d[32], const uint8_t px[32], const uint8_t py[32], uint8_t zx[32]);
void hmac256(const uint8_t *key, const uint8_t *a, size_t al, const uint8_t *b, size_t bl, uint8_t out[32]);
void kdfe(const uint8_t z[32], const char *label, const uint8_t u[32], const uint8_t v[32], uint8_t out[32]);
uint32_t make_credential(uint32_t key, const void *cred, uint16_t cl, const uint8_t *name, uint16_t nl, struct cred *out);
void name_of_pub(const uint8_t *pub, size_t n, uint8_t name[34]);
size_t outer_wrap(const uint8_t seed[32], const uint8_t *name, size_t nl, const uint8_t *plain, size_t n, uint8_t *out);
void pw2(struct cb *c);

#endif
