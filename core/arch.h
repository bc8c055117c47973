/* What the architecture-neutral core asks of the architecture (implemented in arch/<arch>/).
 *
 * The hardware primitives themselves (cpuid, msr, pvalidate, tdcall, vmrun, sysregs...) are in
 * arch/<arch>/hw.h; this header is the small set of services the core needs regardless of TEE.
 */
#ifndef MANTLE_CORE_ARCH_H
#define MANTLE_CORE_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct boot_info;

/* Logical exit codes; each arch maps them to its QEMU exit mechanism (docs/debugging.md). */
enum mantle_exit {
	MANTLE_EXIT_OK = 0,
	MANTLE_EXIT_PANIC = 1,
	MANTLE_EXIT_EXCEPTION = 2,
};

/* Writes raw bytes to Mantle's own log channel. Must work from the first instruction of C code and
 * from exception context. */
void arch_console_write(const char *s, size_t len);

/* Ends the run: under QEMU the process exits with a code derived from `code`; on other platforms the
 * CPU halts forever. */
__attribute__((noreturn)) void arch_exit(enum mantle_exit code);

/* Ends the run with the guest's exit status (core/vp.h VP_STATUS_*): under QEMU the process exits
 * with a status tools/mantle-run maps back to it (docs/debugging.md). Only arches that run guests. */
__attribute__((noreturn)) void arch_exit_guest(uint8_t status);

/* The guest owns the console UART from now on: Mantle's log continues on its separate channel only.
 * Only arches that run guests. */
void arch_console_handoff(void);

/* Milliseconds since an arbitrary point at boot, monotonic. Only arches that run guests. */
uint64_t arch_time_ms(void);

/* Fills buf with len bytes from the CPU's hardware entropy source; false if it failed or is absent.
 * Only arches that run guests. */
bool arch_entropy(void *buf, size_t len);

/* Builds Mantle's own final page tables (W^X, guard pages) from the boot info and switches to them. */
void arch_mmu_init(const struct boot_info *bi);

/* Runs the arch self-tests (deliberate exceptions, W^X and guard-page probes); returns the number of
 * failed checks. `fatal` names a deliberately unrecoverable fault to take instead ("" for none). */
unsigned arch_selftest(const char *fatal);

/* Interrupt state for spinlocks: disables and returns whether interrupts were enabled. */
bool arch_irq_save(void);
void arch_irq_restore(bool enabled);
void arch_cpu_relax(void);

#endif
