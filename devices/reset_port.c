/* The reset control register at port 0xCF9 (Intel ICH/PCH "RST_CNT"; on QEMU q35 also the FADT reset
 * register, which is how Linux reboots by default). Writing it with the reset bit (bit 2) asks for a
 * platform reset: Mantle reboots the guest instead of letting the whole machine reset, so Mantle's own
 * state — the vTPM's NV among it — survives the guest's reboot. */
#include "devices/dev.h"

#include "core/vp.h"

#define RST_CNT 0xcf9
#define RST_CPU (1u << 2)
#define RST_WRITABLE 0x0eu   /* SYS_RST (1), RST_CPU (2), FULL_RST (3) */

static uint8_t rst_cnt;

static int rst_out(struct vp *vp, uint16_t port, uint8_t size, uint32_t val)
{
	(void)port;
	(void)size;
	rst_cnt = (uint8_t)(val & RST_WRITABLE);
	if (val & RST_CPU)
		vp_request_reset(vp);
	return 0;
}

static int rst_in(struct vp *vp, uint16_t port, uint8_t size, uint32_t *val)
{
	(void)vp;
	(void)port;
	(void)size;
	*val = rst_cnt;
	return 0;
}

static const struct io_handler rst_port = {
	.name = "reset-control", .base = RST_CNT, .count = 1, .in = rst_in, .out = rst_out,
};

static int rst_init(void)
{
	return bus_io_register(&rst_port);
}

static void rst_reset(void)
{
	rst_cnt = 0;
}

static const struct device reset_port = { .name = "reset-control", .init = rst_init, .reset = rst_reset };
DEVICE(reset_port);
