/* The guest's exit-status port (0xf4, where QEMU's isa-debug-exit device sits): a byte written here
 * ends the guest's run with that status. Mantle forwards it to the real exit device, so a test's
 * status reaches the shell (tools/mantle-run) without the guest touching Mantle's own exit codes. */
#include "devices/dev.h"

#include "core/vp.h"

#define EXIT_PORT 0xf4

static int exit_out(struct vp *vp, uint16_t port, uint8_t size, uint32_t val)
{
	(void)port;
	(void)size;
	vp_stop(vp, (uint8_t)val);
	return 0;
}

static int exit_in(struct vp *vp, uint16_t port, uint8_t size, uint32_t *val)
{
	(void)vp;
	(void)port;
	(void)size;
	*val = 0xffffffffu;
	return 0;
}

static const struct io_handler exit_ports = {
	.name = "guest-exit", .base = EXIT_PORT, .count = 4, .in = exit_in, .out = exit_out,
};

static int exit_port_init(void)
{
	return bus_io_register(&exit_ports);
}

static const struct device exit_port = { .name = "guest-exit", .init = exit_port_init };
DEVICE(exit_port);
