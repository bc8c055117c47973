/* The x86_64 services core/arch.h asks for: log console, exit, interrupt state.
 *
 * Mantle's log goes to QEMU's debug console port 0xe9 (isa-debugcon: one OUT per byte, no UART
 * handshake) and, until a guest takes it over, also to COM1 so `make run` shows Mantle's banner on the
 * terminal (docs/debugging.md). Exit uses QEMU's isa-debug-exit device at port 0xf4, which our QEMU
 * command lines always add: writing v makes QEMU exit with status (v << 1) | 1.
 */
#include "core/arch.h"

#include "arch/x86_64/hw.h"
#include "arch/x86_64/platform.h"

#define COM1 0x3f8
#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_THRE 0x20
#define UART_DLL 0
#define UART_DLM 1

#define DEBUGCON_PORT 0xe9
#define DEBUG_EXIT_PORT 0xf4
/* Exit statuses seen by the shell: 33 ok, 35 panic, 37 exception (tools/exit-code.sh). */
#define DEBUG_EXIT_BASE 0x10
/* Guest statuses 0..63 leave QEMU with 65 + 2 * status (tools/exit-code.sh). */
#define DEBUG_EXIT_GUEST_BASE 0x20

static bool serial_owned_by_guest;

/* Console output from before port I/O works (a confidential platform defers it until its backend can
 * complete port accesses): kept here and written out by x86_port_io_ready(). What does not fit is
 * counted, not kept. */
#define EARLY_LOG_BYTES 16384u
static char early_log[EARLY_LOG_BYTES];
static uint32_t early_log_len, early_log_lost;
static bool port_io_ready;

void x86_serial_init(void)
{
	hw_outb(COM1 + UART_IER, 0x00);
	hw_outb(COM1 + UART_LCR, 0x80);   /* DLAB: set the divisor */
	hw_outb(COM1 + UART_DLL, 0x01);   /* 115200 baud */
	hw_outb(COM1 + UART_DLM, 0x00);
	hw_outb(COM1 + UART_LCR, 0x03);   /* 8N1 */
	hw_outb(COM1 + UART_FCR, 0xc7);   /* FIFOs on and cleared */
	hw_outb(COM1 + UART_MCR, 0x03);
}

static void serial_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		/* Bounded wait: a missing or wedged UART must not hang the paravisor forever. */
		for (unsigned spin = 0; spin < 100000; spin++) {
			if (hw_inb(COM1 + UART_LSR) & UART_LSR_THRE)
				break;
			hw_pause();
		}
		hw_outb(COM1 + UART_THR, (uint8_t)s[i]);
	}
}

static void early_log_append(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (early_log_len < EARLY_LOG_BYTES)
			early_log[early_log_len++] = s[i];
		else
			early_log_lost++;
	}
}

static void ports_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		hw_outb(DEBUGCON_PORT, (uint8_t)s[i]);
	if (!serial_owned_by_guest)
		serial_write(s, len);
}

void arch_console_write(const char *s, size_t len)
{
	if (!port_io_ready) {
		early_log_append(s, len);
		return;
	}
	ports_write(s, len);
}

bool x86_port_io_is_ready(void)
{
	return port_io_ready;
}

void x86_port_io_ready(void)
{
	static const char lost[] = "mantle: [early console output truncated]\n";

	if (port_io_ready)
		return;
	x86_serial_init();
	port_io_ready = true;
	ports_write(early_log, early_log_len);
	if (early_log_lost)
		ports_write(lost, sizeof(lost) - 1);
	early_log_len = early_log_lost = 0;
	x86_timer_init();
}

void arch_console_handoff(void)
{
	serial_owned_by_guest = true;
}

static __attribute__((noreturn)) void debug_exit(uint8_t value)
{
	hw_outb(DEBUG_EXIT_PORT, value);
	/* Not under QEMU (or no exit device): stop this CPU for good. */
	for (;;) {
		hw_cli();
		hw_hlt();
	}
}

void arch_exit_guest(uint8_t status)
{
	debug_exit((uint8_t)(DEBUG_EXIT_GUEST_BASE + (status & 0x3f)));
}

void arch_exit(enum mantle_exit code)
{
	debug_exit((uint8_t)(DEBUG_EXIT_BASE + code));
}

bool arch_irq_save(void)
{
	bool enabled = (hw_read_rflags() >> 9) & 1;

	hw_cli();
	return enabled;
}

void arch_irq_restore(bool enabled)
{
	if (enabled)
		hw_sti();
}

void arch_cpu_relax(void)
{
	hw_pause();
}
