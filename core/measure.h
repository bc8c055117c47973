/* Measured boot: what Mantle measures before the guest runs goes to whichever measurement sink
 * registered itself (the vTPM device: PCR extend + event log). The core never names the device.
 *
 * PCR use (docs/vtpm.md): 0 Mantle's own identity, 4 the guest kernel, 9 the initrd, 12 the kernel
 * command line — what Linux's EFI stub / systemd-stub practice makes verifiers expect. */
#ifndef MANTLE_CORE_MEASURE_H
#define MANTLE_CORE_MEASURE_H

#include <stddef.h>
#include <stdint.h>

#define MEASURE_PCR_MANTLE 0u
#define MEASURE_PCR_KERNEL 4u
#define MEASURE_PCR_INITRD 9u
#define MEASURE_PCR_CMDLINE 12u

struct measure_sink {
	const char *name;
	/* Extends `pcr` in every bank with the digests of data[0..len) and records the event (type and
	 * event bytes) in the log. Returns 0 on success. */
	int (*measure)(uint32_t pcr, uint32_t type, const void *data, size_t len, const void *event,
		       uint32_t event_len);
};

void measure_register_sink(const struct measure_sink *sink);

/* Measures through the registered sink; without one, does nothing and returns 0. A sink's failure
 * is returned (the caller decides whether to boot an unmeasured guest; Mantle does not). */
__attribute__((warn_unused_result)) int measure(uint32_t pcr, uint32_t type, const void *data, size_t len,
						const void *event, uint32_t event_len);

/* True once a sink is registered. */
int measure_active(void);

#endif
