#include "core/tcglog.h"

#include "core/str.h"

static int put(struct tcglog *log, const void *p, size_t n)
{
	if (n > log->cap - log->len)
		return -1;
	memcpy(log->buf + log->len, p, n);
	log->len += n;
	return 0;
}

static int put32(struct tcglog *log, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	return put(log, b, 4);
}

static int put16(struct tcglog *log, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	return put(log, b, 2);
}

/* TCG_EfiSpecIDEventStruct (PFP 10.4.5.1): "Spec ID Event03", platform class 0 (client), spec 2.0
 * errata 2, uintnSize 2 (UINT64 fields), the banks, no vendor data. */
static int put_spec_id(struct tcglog *log)
{
	static const char sig[16] = "Spec ID Event03";
	uint8_t head[8] = { 0, 0, 0, 0, 0 /* minor */, 2 /* major */, 2 /* errata */, 2 /* uintnSize */ };
	int r = put(log, sig, sizeof(sig));

	r |= put(log, head, sizeof(head));
	r |= put32(log, log->bank_count);
	for (uint32_t i = 0; i < log->bank_count; i++) {
		r |= put16(log, log->banks[i].alg);
		r |= put16(log, log->banks[i].size);
	}
	uint8_t vendor_info_size = 0;
	return r | put(log, &vendor_info_size, 1);
}

int tcglog_init(struct tcglog *log, void *buf, size_t cap, const struct tcglog_bank *banks,
		uint32_t bank_count)
{
	static const uint8_t zero_sha1[20];

	if (bank_count == 0 || bank_count > TCGLOG_MAX_BANKS)
		return -1;
	*log = (struct tcglog){ .buf = buf, .cap = cap, .bank_count = bank_count };
	memcpy(log->banks, banks, bank_count * sizeof(*banks));
	uint32_t spec_size = 16 + 8 + 4 + 4 * bank_count + 1;
	/* TCG_PCR_EVENT header: PCR 0, EV_NO_ACTION, a zero SHA-1 digest, the event's size. */
	int r = put32(log, 0);
	r |= put32(log, EV_NO_ACTION);
	r |= put(log, zero_sha1, sizeof(zero_sha1));
	r |= put32(log, spec_size);
	return r | put_spec_id(log);
}

int tcglog_add(struct tcglog *log, uint32_t pcr, uint32_t type, const uint8_t *digests, const void *event,
	       uint32_t event_len)
{
	size_t start = log->len;
	int r = put32(log, pcr);

	r |= put32(log, type);
	r |= put32(log, log->bank_count);
	for (uint32_t i = 0; i < log->bank_count; i++) {
		r |= put16(log, log->banks[i].alg);
		r |= put(log, digests, log->banks[i].size);
		digests += log->banks[i].size;
	}
	r |= put32(log, event_len);
	r |= put(log, event, event_len);
	if (r) {
		log->len = start; /* all or nothing */
		return -1;
	}
	return 0;
}
