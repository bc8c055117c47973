/* GDT, TSS and IDT of the paravisor's own CPU context. */
#ifndef MANTLE_ARCH_X86_64_DESC_H
#define MANTLE_ARCH_X86_64_DESC_H

#include <stdint.h>

/* Installs the final GDT with a TSS (IST stacks for #DF, NMI and #MC) and the IDT for vectors 0-31. */
void x86_desc_init(void);

/* Base of the stack slot array (arch/x86_64/layout.h) for the MMU's guard-page pass. */
extern uint8_t x86_stacks[];

#endif
