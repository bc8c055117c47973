/* Helpers shared by the vTPM engine tests; see vtpm_engine_util.c. */
#ifndef MANTLE_TESTS_VTPM_ENGINE_UTIL_H
#define MANTLE_TESTS_VTPM_ENGINE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define ORD (TPMA_NV_OWNERWRITE | TPMA_NV_OWNERREAD | TPMA_NV_AUTHREAD | TPMA_NV_AUTHWRITE)

void pcr_value(unsigned pcr, uint8_t out[32]);
uint32_t nv_write(uint32_t idx, const void *data, uint16_t n, uint16_t off);
uint32_t nv_read(uint32_t auth, uint32_t idx, uint16_t n, uint16_t off, const char *pass);
void sha256(const void *p, size_t n, uint8_t out[32]);
uint32_t nv_define(uint32_t idx, uint32_t attrs, uint16_t size, const char *auth);

#endif
