/* Constants shared by the x86_64 assembly and C: selectors, stack layout. */
#ifndef MANTLE_ARCH_X86_64_LAYOUT_H
#define MANTLE_ARCH_X86_64_LAYOUT_H

/* GDT selectors; the boot GDT and the final GDT (desc.c) agree on the first three. */
#define BOOT_CS 0x08
#define BOOT_DS 0x10
#define TSS_SEL 0x18

/* Stacks live in one .bss.stacks array: each slot is a guard page followed by the stack itself.
 * The guard page is left unmapped by mmu.c, so running off the bottom of a stack faults instead of
 * silently overwriting the slot below. */
#define STACK_PAGES 4
#define STACK_SLOT_SIZE ((1 + STACK_PAGES) * 4096)
#define STACK_BOOT 0   /* the BSP's main stack */
#define STACK_DF 1     /* IST1: double fault */
#define STACK_NMI 2    /* IST2: NMI */
#define STACK_MC 3     /* IST3: machine check */
#define STACK_VC 4     /* IST4: #VC (SEV-ES/SNP), which can hit any instruction, even on a bad stack */
#define STACK_COUNT 5
#define STACK_TOP(slot) (((slot) + 1) * STACK_SLOT_SIZE)
#define STACK_BOOT_TOP STACK_TOP(STACK_BOOT)

#endif
