#include "devices/dev.h"

#include "core/console.h"

extern const struct device *const __mantle_devices_start[], *const __mantle_devices_end[];

void devices_init(void)
{
	for (const struct device *const *d = __mantle_devices_start; d < __mantle_devices_end; d++) {
		if ((*d)->init() != 0)
			console_printf("mantle: device %s failed to start; left out\n", (*d)->name);
	}
}
