#include "core/measure.h"

#include <stddef.h>

static const struct measure_sink *sink;

void measure_register_sink(const struct measure_sink *s)
{
	sink = s;
}

int measure_active(void)
{
	return sink != NULL;
}

int measure(uint32_t pcr, uint32_t type, const void *data, size_t len, const void *event, uint32_t event_len)
{
	if (!sink)
		return 0;
	return sink->measure(pcr, type, data, len, event, event_len);
}
