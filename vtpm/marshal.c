#include "vtpm/marshal.h"

#include "core/str.h"
#include "vtpm/tpm_types.h"

bool vtpm_get_bytes(struct vtpm_rd *r, void *out, size_t n)
{
	if (vtpm_rd_left(r) < n)
		return false;
	if (n)
		memcpy(out, r->p + r->off, n);
	r->off += n;
	return true;
}

bool vtpm_get_u8(struct vtpm_rd *r, uint8_t *v)
{
	return vtpm_get_bytes(r, v, 1);
}

bool vtpm_get_u16(struct vtpm_rd *r, uint16_t *v)
{
	uint8_t b[2];

	if (!vtpm_get_bytes(r, b, 2))
		return false;
	*v = vtpm_be16(b);
	return true;
}

bool vtpm_get_u32(struct vtpm_rd *r, uint32_t *v)
{
	uint8_t b[4];

	if (!vtpm_get_bytes(r, b, 4))
		return false;
	*v = vtpm_be32(b);
	return true;
}

bool vtpm_get_u64(struct vtpm_rd *r, uint64_t *v)
{
	uint32_t hi, lo;

	if (!vtpm_get_u32(r, &hi) || !vtpm_get_u32(r, &lo))
		return false;
	*v = ((uint64_t)hi << 32) | lo;
	return true;
}

uint32_t vtpm_get_tpm2b(struct vtpm_rd *r, uint8_t *out, uint16_t *size, size_t max)
{
	uint16_t n;

	if (!vtpm_get_u16(r, &n))
		return TPM_RC_INSUFFICIENT;
	if (n > max)
		return TPM_RC_SIZE;
	if (!vtpm_get_bytes(r, out, n))
		return TPM_RC_INSUFFICIENT;
	*size = n;
	return TPM_RC_SUCCESS;
}

void vtpm_put_bytes(struct vtpm_wr *w, const void *p, size_t n)
{
	if (w->overflow || w->cap - w->len < n) {
		w->overflow = true;
		return;
	}
	if (n)
		memcpy(w->p + w->len, p, n);
	w->len += n;
}

void vtpm_put_u8(struct vtpm_wr *w, uint8_t v)
{
	vtpm_put_bytes(w, &v, 1);
}

void vtpm_put_u16(struct vtpm_wr *w, uint16_t v)
{
	uint8_t b[2];

	vtpm_set_be16(b, v);
	vtpm_put_bytes(w, b, 2);
}

void vtpm_put_u32(struct vtpm_wr *w, uint32_t v)
{
	uint8_t b[4];

	vtpm_set_be32(b, v);
	vtpm_put_bytes(w, b, 4);
}

void vtpm_put_u64(struct vtpm_wr *w, uint64_t v)
{
	vtpm_put_u32(w, (uint32_t)(v >> 32));
	vtpm_put_u32(w, (uint32_t)v);
}

void vtpm_put_tpm2b(struct vtpm_wr *w, const void *p, uint16_t n)
{
	vtpm_put_u16(w, n);
	vtpm_put_bytes(w, p, n);
}
