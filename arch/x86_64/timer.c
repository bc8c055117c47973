/* Time and entropy for the core (core/arch.h): the TSC, calibrated once at boot against the PIT, and
 * RDSEED/RDRAND.
 *
 * The calibration gates PIT channel 2 for 10 ms (mode 0, counting down from 11932 at 1.193182 MHz)
 * and counts TSC ticks meanwhile: the classic PC method, which needs no ACPI and runs before the
 * guest owns the PIT. */
#include "core/arch.h"

#include "arch/x86_64/hw.h"
#include "arch/x86_64/platform.h"
#include "core/console.h"

#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61          /* bit 0 gate of channel 2, bit 1 speaker, bit 5 OUT2 */
#define PIT_HZ 1193182u
#define CAL_MS 10u

static uint64_t tsc_per_ms;
static uint64_t tsc_boot;

void x86_timer_init(void)
{
	uint16_t count = (uint16_t)(PIT_HZ * CAL_MS / 1000);
	uint8_t gate = hw_inb(PIT_GATE);

	hw_outb(PIT_GATE, (uint8_t)((gate & ~0x02) | 0x01));
	hw_outb(PIT_CMD, 0xb0);                  /* channel 2, lobyte/hibyte, mode 0, binary */
	hw_outb(PIT_CH2, (uint8_t)count);
	hw_outb(PIT_CH2, (uint8_t)(count >> 8));
	uint64_t t0 = hw_rdtsc(), t1 = t0;
	/* Bounded: a platform without a PIT must not hang the boot. */
	for (uint64_t spin = 0; spin < 100000000ull && !(hw_inb(PIT_GATE) & 0x20); spin++)
		t1 = hw_rdtsc();
	hw_outb(PIT_GATE, gate);
	tsc_per_ms = (t1 - t0) / CAL_MS;
	if (tsc_per_ms == 0)
		tsc_per_ms = 1000000; /* no PIT answer: assume 1 GHz rather than divide by zero */
	tsc_boot = hw_rdtsc();
	console_printf("mantle: TSC %llu kHz (PIT calibration)\n", (unsigned long long)tsc_per_ms);
}

uint64_t arch_time_ms(void)
{
	/* Not calibrated yet (port I/O deferred by the platform): time has not started. */
	if (tsc_per_ms == 0)
		return 0;
	return (hw_rdtsc() - tsc_boot) / tsc_per_ms;
}

static bool entropy64(uint64_t *v, bool rdseed)
{
	for (int i = 0; i < 16; i++) {
		if ((rdseed && hw_rdseed64(v)) || hw_rdrand64(v))
			return true;
		hw_pause();
	}
	return false;
}

bool arch_entropy(void *buf, size_t len)
{
	uint8_t *p = buf;
	bool rdrand = hw_cpuid(1, 0).ecx & (1u << 30);
	bool rdseed = hw_cpuid(7, 0).ebx & (1u << 18);

	if (!rdrand) /* RDSEED is preferred where present, RDRAND is the fallback */
		return false;
	while (len) {
		uint64_t v;
		if (!entropy64(&v, rdseed))
			return false;
		size_t n = len < 8 ? len : 8;
		for (size_t i = 0; i < n; i++)
			p[i] = (uint8_t)(v >> (8 * i));
		p += n;
		len -= n;
	}
	return true;
}
