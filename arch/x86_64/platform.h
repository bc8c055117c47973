#ifndef MANTLE_ARCH_X86_64_PLATFORM_H
#define MANTLE_ARCH_X86_64_PLATFORM_H

/* Programs COM1 (115200 8N1); called before the first console output. */
void x86_serial_init(void);

/* Calibrates the TSC against the PIT (arch/x86_64/timer.c). */
void x86_timer_init(void);

#endif
