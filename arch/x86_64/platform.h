#ifndef MANTLE_ARCH_X86_64_PLATFORM_H
#define MANTLE_ARCH_X86_64_PLATFORM_H

/* Programs COM1 (115200 8N1); called before the first console output. */
void x86_serial_init(void);

/* Calibrates the TSC against the PIT (arch/x86_64/timer.c). */
void x86_timer_init(void);

/* CPU bring-up every x86_64 boot path (PVH, IGVM) runs before parsing its boot information: log
 * console, GDT/TSS/IDT, SSE/AVX state access for MMIO emulation, TSC calibration (setup.c). */
void x86_early_init(void);

#endif
