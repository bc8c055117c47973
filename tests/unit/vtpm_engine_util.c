/* Helpers shared by the vTPM engine tests (test_vtpm.c, test_vtpm_sessions.c): PCR reads, NV
 * index commands with password authorization, SHA-256 through OpenSSL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "vtpm/internal.h"

#include "tests/unit/vtpm_harness.h"
#include "tests/unit/vtpm_engine_util.h"

void pcr_value(unsigned pcr, uint8_t out[32])
{
	struct cb c;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PCR_Read);
	u32(&c, 1); u16(&c, TPM_ALG_SHA256); u8(&c, 3);
	uint8_t sel[3] = { 0 };
	sel[pcr / 8] = (uint8_t)(1u << (pcr % 8));
	bytes(&c, sel, 3);
	assert_int_equal(exec(&c), 0);
	/* counter(4) count(4) sel(2+1+3) ndig(4) size(2) digest */
	assert_int_equal(vtpm_be32(rsp + 10 + 4 + 4 + 6), 1);
	memcpy(out, rsp + 10 + 4 + 4 + 6 + 4 + 2, 32);
}

uint32_t nv_write(uint32_t idx, const void *data, uint16_t n, uint16_t off)
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_Write);
	u32(&c, TPM_RH_OWNER); u32(&c, idx); pw(&c, "");
	b2b(&c, data, n); u16(&c, off);
	return exec(&c);
}

uint32_t nv_read(uint32_t auth, uint32_t idx, uint16_t n, uint16_t off, const char *pass)
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_Read);
	u32(&c, auth); u32(&c, idx); pw(&c, pass);
	u16(&c, n); u16(&c, off);
	return exec(&c);
}

void sha256(const void *p, size_t n, uint8_t out[32])
{
	unsigned l;
	EVP_Digest(p, n, out, &l, EVP_sha256(), NULL);
}

uint32_t nv_define(uint32_t idx, uint32_t attrs, uint16_t size, const char *auth)
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_NV_DefineSpace);
	u32(&c, TPM_RH_OWNER); pw(&c, "");
	b2b(&c, auth, (uint16_t)strlen(auth));
	u16(&c, 14); u32(&c, idx); u16(&c, TPM_ALG_SHA256); u32(&c, attrs); u16(&c, 0); u16(&c, size);
	return exec(&c);
}

