/* Big-endian TPM 2.0 marshalling over bounded buffers (TPM 2.0 Library Part 2, 4 and 5).
 *
 * A reader never reads past its end: every get returns false instead, and the caller turns that into
 * TPM_RC_INSUFFICIENT (or TPM_RC_SIZE for a TPM2B longer than its type allows). A writer records an
 * overflow instead of writing past its capacity; the engine checks it once per response. */
#ifndef MANTLE_VTPM_MARSHAL_H
#define MANTLE_VTPM_MARSHAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vtpm_rd {
	const uint8_t *p;
	size_t len;
	size_t off;
};

struct vtpm_wr {
	uint8_t *p;
	size_t cap;
	size_t len;
	bool overflow;
};

static inline void vtpm_rd_init(struct vtpm_rd *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
}

static inline size_t vtpm_rd_left(const struct vtpm_rd *r)
{
	return r->len - r->off;
}

bool vtpm_get_u8(struct vtpm_rd *r, uint8_t *v) __attribute__((warn_unused_result));
bool vtpm_get_u16(struct vtpm_rd *r, uint16_t *v) __attribute__((warn_unused_result));
bool vtpm_get_u32(struct vtpm_rd *r, uint32_t *v) __attribute__((warn_unused_result));
bool vtpm_get_u64(struct vtpm_rd *r, uint64_t *v) __attribute__((warn_unused_result));
bool vtpm_get_bytes(struct vtpm_rd *r, void *out, size_t n) __attribute__((warn_unused_result));

/* A TPM2B: u16 size then size bytes, copied into out (capacity max). Returns 0 on success,
 * TPM_RC_INSUFFICIENT when the buffer ends early, TPM_RC_SIZE when size > max. */
uint32_t vtpm_get_tpm2b(struct vtpm_rd *r, uint8_t *out, uint16_t *size, size_t max)
	__attribute__((warn_unused_result));

void vtpm_put_u8(struct vtpm_wr *w, uint8_t v);
void vtpm_put_u16(struct vtpm_wr *w, uint16_t v);
void vtpm_put_u32(struct vtpm_wr *w, uint32_t v);
void vtpm_put_u64(struct vtpm_wr *w, uint64_t v);
void vtpm_put_bytes(struct vtpm_wr *w, const void *p, size_t n);
void vtpm_put_tpm2b(struct vtpm_wr *w, const void *p, uint16_t n);

static inline uint16_t vtpm_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t vtpm_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void vtpm_set_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void vtpm_set_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
