/* Certificate-table parsing (see snp_certs.h). */
#include "tee/snp/snp_certs.h"

#include "core/str.h"

static bool all_zero(const uint8_t *p, uint32_t n)
{
	uint8_t acc = 0;

	for (uint32_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* Reads the entries up to the terminator; *table_end is the byte after it. */
static enum snp_cert_status read_table(const uint8_t *buf, uint32_t len, struct snp_cert_entry *out,
				       uint32_t max, uint32_t *count, uint32_t *table_end)
{
	const uint32_t sz = sizeof(struct snp_cert_table_entry);
	uint32_t n = 0;

	for (uint32_t at = 0; len >= sz && at <= len - sz; at += sz) {
		struct snp_cert_table_entry t;
		memcpy(&t, buf + at, sz);
		if (all_zero((const uint8_t *)&t, sz)) {
			*count = n;
			*table_end = at + sz;
			return SNP_CERTS_OK;
		}
		if (all_zero(t.guid, sizeof(t.guid)) || t.length == 0)
			return SNP_CERTS_BAD_ENTRY;
		if (n == max)
			return SNP_CERTS_TOO_MANY;
		memcpy(out[n].guid, t.guid, sizeof(t.guid));
		out[n].offset = t.offset;
		out[n].length = t.length;
		n++;
	}
	return SNP_CERTS_NO_TERMINATOR;
}

enum snp_cert_status snp_certs_parse(const uint8_t *buf, uint32_t len, struct snp_cert_entry *out,
				     uint32_t max, uint32_t *count)
{
	uint32_t n = 0, table_end = 0;

	*count = 0;
	enum snp_cert_status s = read_table(buf, len, out, max, &n, &table_end);
	if (s != SNP_CERTS_OK)
		return s;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t lo = out[i].offset, hi = lo + out[i].length; /* 64-bit: no wrap */
		if (lo < table_end || hi > len)
			return SNP_CERTS_OUT_OF_RANGE;
		for (uint32_t j = 0; j < i; j++) {
			uint64_t jlo = out[j].offset, jhi = jlo + out[j].length;
			if (lo < jhi && jlo < hi)
				return SNP_CERTS_OVERLAP;
			if (memcmp(out[i].guid, out[j].guid, sizeof(out[i].guid)) == 0)
				return SNP_CERTS_DUPLICATE;
		}
	}
	*count = n;
	return SNP_CERTS_OK;
}

const char *snp_cert_status_name(enum snp_cert_status s)
{
	static const char *const names[] = {
		[SNP_CERTS_OK] = "ok", [SNP_CERTS_NO_TERMINATOR] = "no terminator",
		[SNP_CERTS_BAD_ENTRY] = "bad entry", [SNP_CERTS_OUT_OF_RANGE] = "entry out of range",
		[SNP_CERTS_OVERLAP] = "overlapping entries", [SNP_CERTS_DUPLICATE] = "duplicate GUID",
		[SNP_CERTS_TOO_MANY] = "too many entries", [SNP_CERTS_TOO_LARGE] = "buffer too large",
		[SNP_CERTS_NONE] = "none",
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}
