#include "tools/igvm/igvm_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/igvm_defs.h"
#include "tools/igvm/igvm_file.h"

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (!q) {
		fprintf(stderr, "igvm: out of memory\n");
		exit(1);
	}
	return q;
}

static void grow(uint8_t **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 4096;
	while (n < need)
		n *= 2;
	*buf = xrealloc(*buf, n);
	*cap = n;
}

void igvm_writer_init(struct igvm_writer *w)
{
	memset(w, 0, sizeof(*w));
}

void igvm_writer_free(struct igvm_writer *w)
{
	free(w->vh);
	free(w->data);
	free(w->fixups);
	memset(w, 0, sizeof(*w));
}

void igvm_writer_header(struct igvm_writer *w, uint32_t type, const void *body, uint32_t len, size_t file_offset_at)
{
	size_t padded = ((size_t)len + 7) & ~(size_t)7;
	struct igvm_vhs_variable_header vh = { .type = type, .length = len };

	grow(&w->vh, &w->vh_cap, w->vh_len + sizeof(vh) + padded);
	memcpy(w->vh + w->vh_len, &vh, sizeof(vh));
	memcpy(w->vh + w->vh_len + sizeof(vh), body, len);
	memset(w->vh + w->vh_len + sizeof(vh) + len, 0, padded - len);
	if (file_offset_at != (size_t)-1) {
		uint32_t ref;
		memcpy(&ref, (const uint8_t *)body + file_offset_at, 4);
		if (ref != 0) {
			if (w->fixup_count == w->fixup_cap) {
				w->fixup_cap = w->fixup_cap ? w->fixup_cap * 2 : 256;
				w->fixups = xrealloc(w->fixups, w->fixup_cap * sizeof(*w->fixups));
			}
			w->fixups[w->fixup_count++] = w->vh_len + sizeof(vh) + file_offset_at;
		}
	}
	w->vh_len += sizeof(vh) + padded;
}

static int all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

uint32_t igvm_writer_data(struct igvm_writer *w, const void *data, size_t len, int zero_ok)
{
	if (zero_ok && all_zero(data, len))
		return 0;
	/* Deduplicate whole pages (the image has few, so a linear scan over page-aligned data is enough). */
	if (len == IGVM_PAGE_SIZE) {
		for (size_t off = 0; off + len <= w->data_len; off += IGVM_PAGE_SIZE)
			if (memcmp(w->data + off, data, len) == 0)
				return (uint32_t)off + 1;
	}
	/* Keep page-sized blobs page aligned within the data section so dedup finds them. */
	size_t at = (w->data_len + IGVM_PAGE_SIZE - 1) & ~(size_t)(IGVM_PAGE_SIZE - 1);
	grow(&w->data, &w->data_cap, at + len);
	memset(w->data + w->data_len, 0, at - w->data_len);
	memcpy(w->data + at, data, len);
	w->data_len = at + len;
	return (uint32_t)at + 1;
}

int igvm_writer_finish(struct igvm_writer *w, uint8_t **out, size_t *out_len)
{
	struct igvm_fixed_header fh = {
		.magic = IGVM_MAGIC_VALUE,
		.format_version = IGVM_FORMAT_VERSION_1,
		.variable_header_offset = sizeof(fh),
		.variable_header_size = (uint32_t)w->vh_len,
	};
	size_t data_start = sizeof(fh) + w->vh_len, total = data_start + w->data_len;

	if (total > UINT32_MAX)
		return -1;
	for (size_t i = 0; i < w->fixup_count; i++) {
		uint32_t ref;
		memcpy(&ref, w->vh + w->fixups[i], 4);
		ref = ref - 1 + (uint32_t)data_start;
		memcpy(w->vh + w->fixups[i], &ref, 4);
	}
	w->fixup_count = 0;
	fh.total_file_size = (uint32_t)total;
	fh.checksum = igvm_checksum((const uint8_t *)&fh, sizeof(fh), w->vh, w->vh_len);
	uint8_t *buf = xrealloc(NULL, total);
	memcpy(buf, &fh, sizeof(fh));
	memcpy(buf + sizeof(fh), w->vh, w->vh_len);
	if (w->data_len)
		memcpy(buf + data_start, w->data, w->data_len);
	*out = buf;
	*out_len = total;
	return 0;
}
