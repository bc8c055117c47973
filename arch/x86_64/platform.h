#ifndef MANTLE_ARCH_X86_64_PLATFORM_H
#define MANTLE_ARCH_X86_64_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

/* Programs COM1 (115200 8N1); called before the first console output. */
void x86_serial_init(void);

/* Calibrates the TSC against the PIT (arch/x86_64/timer.c). */
void x86_timer_init(void);

/* CPU bring-up every x86_64 boot path (PVH, IGVM) runs before parsing its boot information: GDT/TSS/
 * IDT, the confidential platform's early hook, SSE/AVX state access for MMIO emulation, then (unless the
 * hook deferred port I/O) the log console and the TSC calibration (setup.c). */
void x86_early_init(void);

/* The confidential platform's early hook, if one is linked in (weak: the arch names no TEE). It runs
 * right after the IDT is loaded and before Mantle's first CPUID, MSR or port access, so it can take the
 * vectors those raise on its platform (SEV-SNP: #VC). It returns X86_EARLY_* flags. */
#define X86_EARLY_PORT_IO_DEFERRED (1u << 0) /* no port I/O until x86_port_io_ready() */
unsigned x86_early_platform(void) __attribute__((weak));

/* Port I/O works from now on: programs COM1, writes out what the console buffered meanwhile and
 * calibrates the TSC. x86_early_init calls it unless the early hook deferred port I/O; then the
 * platform's backend calls it once it can complete port accesses (SNP: GHCB page registered).
 * Idempotent. */
void x86_port_io_ready(void);
/* Whether x86_port_io_ready() has run. */
bool x86_port_io_is_ready(void);

/* Maps [va, va + size) to [pa, pa + size) read/write, no-execute, write-back in Mantle's page tables
 * after arch_mmu_init (e.g. a platform's shared-memory alias). Page aligned; va below 2^47. */
void x86_mmu_map_data(uint64_t va, uint64_t pa, uint64_t size);

#endif
