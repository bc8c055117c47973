/* The core's I/O bus: emulated devices register port ranges here; the backend intercepts exactly
 * those ports and lets every other port pass through to the platform (docs/guest-interface.md). */
#ifndef MANTLE_CORE_BUS_H
#define MANTLE_CORE_BUS_H

#include <stdbool.h>
#include <stdint.h>

struct vp;

/* Handlers return 0 when the access completed; non-zero makes the core inject #GP. */
struct io_handler {
	const char *name;
	uint16_t base;
	uint16_t count;
	int (*in)(struct vp *vp, uint16_t port, uint8_t size, uint32_t *val);
	int (*out)(struct vp *vp, uint16_t port, uint8_t size, uint32_t val);
};

#define BUS_IO_MAX 32

/* Registers a port range; fails (non-zero) on overlap or when the table is full. */
__attribute__((warn_unused_result)) int bus_io_register(const struct io_handler *h);

/* The handler owning `port`, or NULL if the port passes through. */
const struct io_handler *bus_io_find(uint16_t port);

uint32_t bus_io_count(void);
const struct io_handler *bus_io_at(uint32_t i);

/* Forgets every registration (host tests). */
void bus_reset(void);

#endif
