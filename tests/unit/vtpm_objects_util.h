/* Helpers shared by the object-model tests (test_vtpm_objects.c, test_vtpm_keys.c): template
 * builders, command wrappers, OpenSSL recomputations. Built on tests/unit/vtpm_harness.h. */
#ifndef MANTLE_TESTS_UNIT_VTPM_OBJECTS_UTIL_H
#define MANTLE_TESTS_UNIT_VTPM_OBJECTS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tests/unit/vtpm_harness.h"

/* TPMA_OBJECT combinations */
#define A_FIXED (TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT)
#define A_SRK (A_FIXED | TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_NODA | \
	       TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT)                                     /* 0x30472 */
#define A_SEAL (A_FIXED | TPMA_OBJECT_USERWITHAUTH)                                              /* 0x00052 */
#define A_KEY (A_FIXED | TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH)              /* 0x00072 */
#define A_EK 0x000300B2u /* TCG EK Credential Profile, templates L-1 and L-2 */

#define EK_POLICY "837197674484B3F81A90CC8D46A5D724FD52D76E06520B64F2A1DA1B331469AA"

size_t unhex(const char *h, uint8_t *out);

/* TPMT_PUBLIC templates */
struct tp { uint8_t b[600]; size_t n; };
void t16(struct tp *t, uint16_t v);
void t32(struct tp *t, uint32_t v);
void t2b(struct tp *t, const void *p, uint16_t n);
void head(struct tp *t, uint16_t type, uint16_t name_alg, uint32_t attrs, const uint8_t *pol, uint16_t pl);
void ecc_tp(struct tp *t, uint32_t attrs, uint16_t sym_bits, uint16_t mode, uint16_t scheme, uint16_t curve);
void srk_tp(struct tp *t);
void srk_tp_other(struct tp *t, char c);
void keyed_tp(struct tp *t, uint32_t attrs, uint16_t scheme);
void aes_tp(struct tp *t, uint32_t attrs, uint16_t bits, uint16_t mode);

/* commands (password sessions with an empty password unless given) */
struct blob { uint8_t priv[600], pub[600]; uint16_t priv_len, pub_len; };
void sens_create(struct cb *c, const char *auth, const void *data, uint16_t dl);
uint32_t create_primary(uint32_t hier, const struct tp *t, const char *auth, uint32_t *h);
const uint8_t *primary_pub(uint16_t *len); /* outPublic of the last CreatePrimary response */
uint32_t create(uint32_t parent, const char *pauth, const struct tp *t, const char *auth, const void *data,
		uint16_t dl, struct blob *out);
uint32_t load(uint32_t parent, const struct blob *b, uint32_t *h);
uint32_t unseal(uint32_t h, const char *auth);
uint32_t flush(uint32_t h);
uint32_t srk(uint32_t *h); /* an ECC P-256 storage primary in the owner hierarchy */
uint32_t sign(uint32_t key, const uint8_t dg[32]); /* Sign of a 32-byte digest, NULL ticket */
size_t context_save(uint32_t h, uint8_t *blob);
uint32_t context_load(const uint8_t *blob, size_t n, uint32_t *h);
unsigned objects_used(void);
struct vtpm_object *obj(uint32_t h);
bool have_rsa(void);

/* OpenSSL recomputations */
void ossl_kdfa(const uint8_t *key, size_t kl, const char *label, const uint8_t *u, size_t ul, const uint8_t *v,
	       size_t vl, uint8_t *out, uint32_t bits);
void sha256(const void *p, size_t n, uint8_t out[32]);
void ctx_u(const struct tp *t, uint8_t u[34]); /* 000b || SHA-256(template) */

#endif
