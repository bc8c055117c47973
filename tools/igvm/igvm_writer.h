/* IGVM serializer for igvmgen: collects variable headers and file data in order, then lays the file out
 * as the reference serializer does (microsoft/igvm igvm/src/lib.rs `serialize`): fixed header v1 at 0,
 * variable header at 24, file data after it, CRC-32 over the first two (ref A.2, A.3). Identical data
 * pages are stored once; all-zero pages are stored as file_offset 0.
 */
#ifndef MANTLE_TOOLS_IGVM_WRITER_H
#define MANTLE_TOOLS_IGVM_WRITER_H

#include <stddef.h>
#include <stdint.h>

struct igvm_writer {
	uint8_t *vh;
	size_t vh_len, vh_cap;
	uint8_t *data;
	size_t data_len, data_cap;
	/* variable-header offsets of file_offset fields holding data-relative offsets + 1 */
	size_t *fixups;
	size_t fixup_count, fixup_cap;
};

void igvm_writer_init(struct igvm_writer *w);
void igvm_writer_free(struct igvm_writer *w);

/* Appends one TLV; `body` is `len` bytes (the unpadded struct). If `file_offset_at` is not
 * (size_t)-1, the u32 at that body offset is a data reference made by igvm_writer_data(). */
void igvm_writer_header(struct igvm_writer *w, uint32_t type, const void *body, uint32_t len, size_t file_offset_at);

/* Stores `len` bytes of file data (a 4 KiB page is zero-padded by the caller) and returns a reference
 * to put in a file_offset field: 0 for an all-zero page when zero_ok, else an opaque nonzero value
 * that igvm_writer_finish() turns into the absolute file offset. */
uint32_t igvm_writer_data(struct igvm_writer *w, const void *data, size_t len, int zero_ok);

/* Lays out the file; the caller frees *out. Returns 0, or -1 if it would exceed 4 GiB. */
int igvm_writer_finish(struct igvm_writer *w, uint8_t **out, size_t *out_len);

#endif
