/* tguest: the purpose-built test guest Mantle's second QEMU test boots (docs/test-guest.md).
 * Constants shared by the assembly (entry.S: 32-bit entry, real mode, mode switches, interrupt stubs)
 * and the 64-bit C that runs the checks (main.c, lib.c). */
#ifndef TGUEST_H
#define TGUEST_H

/* Where Mantle puts us (core/x86/guest.c): the protected-mode part at 32 MiB, entered in 32-bit
 * protected mode with ESI = the zero page. */
#define TGUEST_LOAD 0x2000000
#define ZP_CMD_LINE_PTR 0x228

/* Our GDT (entry.S, in the low blob so real mode can reload it). */
#define SEL_CODE32 0x08
#define SEL_DATA 0x10
#define SEL_CODE64 0x18
#define SEL_CODE16 0x20
#define SEL_DATA16 0x28

/* The real-mode blob is copied to LOW_BASE; its stack grows down from RM_STACK_TOP. Mantle's own
 * guest layout uses 0x6000 (GDT), 0x7000 (zero page) and 0x20000 (command line). */
#define LOW_BASE 0x8000
#define RM_STACK_TOP 0xf000

/* Mantle's guest interface (docs/guest-interface.md). */
#define EXIT_PORT 0xf4		/* a byte written here ends the run with that status */
#define EXIT_PORT_READ 0xf5	/* reads return all-ones */
/* Our own statuses besides "number of failed checks". */
#define TGUEST_STATUS_BAD_LOAD 61	/* not loaded at TGUEST_LOAD */
#define TGUEST_STATUS_UNEXPECTED 62	/* an exception nobody expected */

/* 8259A PIC and 8254 PIT. The PIC is remapped so IRQ0..15 arrive at vectors 0x20..0x2f. */
#define PIC_VECTOR_BASE 0x20
#define PIT_HZ 1193182
#define PIT_COUNT 11932		/* about 10 ms */

#define MSR_EFER 0xc0000080
#define CR0_PE (1 << 0)

/* Results the real-mode code records for main.c to check (struct rm_results). */
#define RM_CPUID 0		/* 4 x u32: leaf 0x40000000 */
#define RM_EFER 16		/* u64: RDMSR EFER */
#define RM_IN8 24		/* u16: AX after AX = 0x5a00; IN AL, 0xf5 */
#define RM_IN16 26		/* u16: AX after IN AX, 0xf5 */
#define RM_TICKS 28		/* u16: IRQ0 count */
#define RM_IRQ_IP 30		/* u16: IP the last IRQ0 interrupted */
#define RM_RESUME 32		/* u16: where an expected exception resumes (0: none expected) */
#define RM_FAULT_IP 34		/* u16: IP of the last expected exception */
#define RM_CAUGHT 36		/* u8: vector of the last expected exception, 0xff none */
#define RM_FELL_THROUGH 37	/* u8: 1 if VMMCALL completed without an exception */
#define RM_SIZE 40

#ifndef __ASSEMBLER__
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

struct rm_results {
	uint32_t cpuid[4];
	uint64_t efer;
	uint16_t in8, in16;
	uint16_t ticks, irq_ip;
	uint16_t resume, fault_ip;
	uint8_t caught, fell_through;
	uint16_t pad;
};
_Static_assert(sizeof(struct rm_results) == RM_SIZE, "entry.S lays out struct rm_results");
_Static_assert(__builtin_offsetof(struct rm_results, caught) == RM_CAUGHT, "entry.S layout");

/* entry.S */
extern struct rm_results rm_results;
extern char rm_after_hlt[], rm_vmmcall[], isr_stubs[];
extern uint32_t tguest_zero_page;

/* The frame isr_common (entry.S) builds: saved caller-saved registers, then vector and error code,
 * then what the CPU pushed (SDM vol. 3, 6.14.2: 64-bit mode always pushes SS:RSP). */
struct isr_frame {
	uint64_t r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
	uint64_t vec, err;
	uint64_t rip, cs, rflags, rsp, ss;
};
void tguest_isr(struct isr_frame *f);
void tguest_main(void);

/* lib.c */
static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void tg_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tg_vprintf(const char *fmt, va_list ap);
void tg_exit(uint8_t status) __attribute__((noreturn));
void idt_init(void);
void pic_mask(uint8_t master);
void pit_oneshot(uint16_t count);
uint64_t cmdline_number(const char *key, uint64_t dflt);
void *memset(void *d, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);

/* Filled by tguest_isr: the last expected exception and the IRQ0 count. */
extern volatile uint64_t tg_resume;	/* where an expected exception resumes; 0 = none expected */
extern volatile int tg_caught;		/* its vector, -1 if none was taken */
extern volatile uint64_t tg_fault_rip, tg_fault_err;
extern volatile uint32_t tg_ticks;
extern volatile uint64_t tg_irq_rip;
#endif

#endif
