/* The core's I/O bus: emulated devices register port ranges and MMIO ranges here. The backend
 * intercepts exactly those ports and leaves exactly those MMIO ranges out of the guest's nested page
 * tables; every other port and every other non-RAM address passes through to the platform
 * (docs/guest-interface.md). */
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

/* MMIO handlers get the offset into their range and an access of 1, 2, 4 or 8 bytes that does not
 * cross the range's end. Return 0 when the access completed; non-zero makes the core inject #GP. */
struct mmio_handler {
	const char *name;
	uint64_t base;   /* page aligned */
	uint64_t size;   /* multiple of the page size */
	int (*read)(struct vp *vp, uint64_t offset, uint8_t size, uint64_t *val);
	int (*write)(struct vp *vp, uint64_t offset, uint8_t size, uint64_t val);
};

#define BUS_MMIO_MAX 16

/* Registers an MMIO range; fails (non-zero) when misaligned, overlapping another, or full.
 * devices_init() then records every range in the core's memory map as MEM_EMULATED. */
__attribute__((warn_unused_result)) int bus_mmio_register(const struct mmio_handler *h);

const struct mmio_handler *bus_mmio_find(uint64_t gpa);
uint32_t bus_mmio_count(void);
const struct mmio_handler *bus_mmio_at(uint32_t i);

/* Registers a port range; fails (non-zero) on overlap or when the table is full. */
__attribute__((warn_unused_result)) int bus_io_register(const struct io_handler *h);

/* The handler owning `port`, or NULL if the port passes through. */
const struct io_handler *bus_io_find(uint16_t port);

uint32_t bus_io_count(void);
const struct io_handler *bus_io_at(uint32_t i);

/* Forgets every registration (host tests). */
void bus_reset(void);

#endif
