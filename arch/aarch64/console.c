/* PL011 console (Arm PrimeCell UART PL011 TRM, DDI 0183: UARTDR at 0x000, UARTFR at 0x018).
 * The firmware/QEMU has set the line up; Mantle only writes characters. */
#include "core/arch.h"

#include "arch/aarch64/aarch64.h"
#include "arch/aarch64/hw.h"

#define PL011_DR 0x000
#define PL011_FR 0x018
#define PL011_FR_TXFF (1u << 5)

/* Spins before giving up on a full FIFO, so a missing UART cannot hang the paravisor. */
#define PL011_SPIN_LIMIT 1000000u

static uint64_t uart_base = AARCH64_DEFAULT_UART;

void aarch64_console_set_base(uint64_t pa)
{
	uart_base = pa;
}

static void pl011_putc(char c)
{
	for (unsigned spin = 0; hw_mmio_read32(uart_base + PL011_FR) & PL011_FR_TXFF; spin++) {
		if (spin == PL011_SPIN_LIMIT)
			return;
		arch_cpu_relax();
	}
	hw_mmio_write32(uart_base + PL011_DR, (uint8_t)c);
}

void arch_console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		pl011_putc(s[i]);
}

bool arch_irq_save(void)
{
	uint64_t daif = hw_read_sysreg(DAIF);

	hw_irq_disable();
	return !(daif & DAIF_I);
}

void arch_irq_restore(bool enabled)
{
	if (enabled)
		hw_irq_enable();
}

void arch_cpu_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}
