/* Port 0xe9 carries Mantle's own log (QEMU's debugcon). The guest must not be able to write into it
 * (it could forge log lines) or read it back, so the port is claimed and guest accesses are dropped. */
#include "devices/dev.h"

#define LOG_PORT 0xe9

static int log_out(struct vp *vp, uint16_t port, uint8_t size, uint32_t val)
{
	(void)vp;
	(void)port;
	(void)size;
	(void)val;
	return 0;
}

static int log_in(struct vp *vp, uint16_t port, uint8_t size, uint32_t *val)
{
	(void)vp;
	(void)port;
	(void)size;
	*val = 0xffffffffu;
	return 0;
}

static const struct io_handler log_ports = {
	.name = "mantle-log", .base = LOG_PORT, .count = 1, .in = log_in, .out = log_out,
};

static int log_port_init(void)
{
	return bus_io_register(&log_ports);
}

static const struct device log_port = { .name = "mantle-log", .init = log_port_init };
DEVICE(log_port);
