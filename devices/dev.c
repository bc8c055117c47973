#include "devices/dev.h"

#include "core/console.h"
#include "core/main.h"
#include "core/panic.h"

extern const struct device *const __start_mantle_devices[], *const __stop_mantle_devices[];

void devices_reset(void)
{
	for (const struct device *const *d = __start_mantle_devices; d < __stop_mantle_devices; d++) {
		if ((*d)->reset)
			(*d)->reset();
	}
}

void devices_init(void)
{
	for (const struct device *const *d = __start_mantle_devices; d < __stop_mantle_devices; d++) {
		if ((*d)->init() != 0)
			console_printf("mantle: device %s failed to start; left out\n", (*d)->name);
	}
	for (uint32_t i = 0; i < bus_mmio_count(); i++) {
		const struct mmio_handler *h = bus_mmio_at(i);
		if (core_claim_emulated(h->base, h->size) != 0)
			panic("device %s: MMIO [%llx+%llx] overlaps memory", h->name,
			      (unsigned long long)h->base, (unsigned long long)h->size);
	}
}
