#include "core/bus.h"

#include <stddef.h>

static const struct io_handler *io_handlers[BUS_IO_MAX];
static uint32_t io_count;

static bool overlaps(const struct io_handler *a, const struct io_handler *b)
{
	uint32_t a_end = (uint32_t)a->base + a->count, b_end = (uint32_t)b->base + b->count;

	return a->base < b_end && b->base < a_end;
}

int bus_io_register(const struct io_handler *h)
{
	if (h->count == 0 || (uint32_t)h->base + h->count > 0x10000u || io_count == BUS_IO_MAX)
		return -1;
	for (uint32_t i = 0; i < io_count; i++) {
		if (overlaps(io_handlers[i], h))
			return -1;
	}
	io_handlers[io_count++] = h;
	return 0;
}

const struct io_handler *bus_io_find(uint16_t port)
{
	for (uint32_t i = 0; i < io_count; i++) {
		const struct io_handler *h = io_handlers[i];
		if (port >= h->base && (uint32_t)port < (uint32_t)h->base + h->count)
			return h;
	}
	return NULL;
}

uint32_t bus_io_count(void)
{
	return io_count;
}

const struct io_handler *bus_io_at(uint32_t i)
{
	return i < io_count ? io_handlers[i] : NULL;
}

static const struct mmio_handler *mmio_handlers[BUS_MMIO_MAX];
static uint32_t mmio_count;

int bus_mmio_register(const struct mmio_handler *h)
{
	const uint64_t page = 4096;

	if (h->size == 0 || (h->base | h->size) & (page - 1) || h->size > UINT64_MAX - h->base ||
	    mmio_count == BUS_MMIO_MAX)
		return -1;
	for (uint32_t i = 0; i < mmio_count; i++) {
		const struct mmio_handler *o = mmio_handlers[i];
		if (h->base < o->base + o->size && o->base < h->base + h->size)
			return -1;
	}
	mmio_handlers[mmio_count++] = h;
	return 0;
}

const struct mmio_handler *bus_mmio_find(uint64_t gpa)
{
	for (uint32_t i = 0; i < mmio_count; i++) {
		const struct mmio_handler *h = mmio_handlers[i];
		if (gpa >= h->base && gpa - h->base < h->size)
			return h;
	}
	return NULL;
}

uint32_t bus_mmio_count(void)
{
	return mmio_count;
}

const struct mmio_handler *bus_mmio_at(uint32_t i)
{
	return i < mmio_count ? mmio_handlers[i] : NULL;
}

void bus_reset(void)
{
	io_count = 0;
	mmio_count = 0;
}
