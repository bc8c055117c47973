/* Emulated devices. A device is one file: it defines a `struct device` whose init() registers its
 * ports (core/bus.h), and one DEVICE() line makes core_main() start it (docs/adding-a-device.md). */
#ifndef MANTLE_DEVICES_DEV_H
#define MANTLE_DEVICES_DEV_H

#include "core/bus.h"

struct device {
	const char *name;
	/* Returns 0 on success; a device that cannot start is reported and left out. */
	int (*init)(void);
	/* Optional: back to power-on state when the guest resets the platform (Mantle keeps running). */
	void (*reset)(void);
};

#define DEVICE(sym)                                                                    \
	static const struct device *const sym##_registration                          \
		__attribute__((used, section("mantle_devices"))) = &sym

/* Starts every registered device (called once by core_main before the guest runs). */
void devices_init(void);

/* Resets every device that has a reset operation (a guest-initiated platform reset). */
void devices_reset(void);

#endif
