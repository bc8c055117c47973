/* tguest's small runtime in long mode: console output on COM1, the exit port, the 64-bit IDT and its
 * C handler, the PIC and PIT, and the command line. */
#include <stdarg.h>

#include "tguest.h"

#define COM1 0x3f8
#define COM1_LSR (COM1 + 5)
#define LSR_THRE 0x20
#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI 0x20
#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define IDT_VECTORS 48
#define GATE_INTERRUPT 0x8e	/* present, DPL 0, 64-bit interrupt gate (SDM vol. 3, 6.14.1) */

volatile uint64_t tg_resume;
volatile int tg_caught = -1;
volatile uint64_t tg_fault_rip, tg_fault_err;
volatile uint32_t tg_ticks;
volatile uint64_t tg_irq_rip;

void *memset(void *d, int c, unsigned long n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

static void putc(char c)
{
	while (!(inb(COM1_LSR) & LSR_THRE))
		;
	outb(COM1, (uint8_t)c);
}

static void put_num(uint64_t v, unsigned base)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		putc(buf[--n]);
}

/* A printf with what the checks need: %s %c %d %u %x, and %ld %lu %lx for 64-bit values. */
void tg_vprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putc(*fmt);
			continue;
		}
		bool wide = fmt[1] == 'l';
		if (wide)
			fmt++;
		switch (*++fmt) {
		case 's': for (const char *s = va_arg(ap, const char *); *s; s++) putc(*s); break;
		case 'c': putc((char)va_arg(ap, int)); break;
		case 'd': {
			long v = wide ? va_arg(ap, long) : va_arg(ap, int);
			if (v < 0)
				putc('-');
			put_num(v < 0 ? -(unsigned long)v : (unsigned long)v, 10);
			break;
		}
		case 'u': put_num(wide ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10); break;
		case 'x': put_num(wide ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16); break;
		case '%': putc('%'); break;
		default: putc('?'); break;
		}
	}
}

void tg_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tg_vprintf(fmt, ap);
	va_end(ap);
}

void tg_exit(uint8_t status)
{
	outb(EXIT_PORT, status);
	for (;;)
		__asm__ volatile("cli; hlt");
}

struct idt_gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, zero;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "SDM vol. 3, 6.14.1: 64-bit IDT gates are 16 bytes");

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));

void idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

	for (unsigned v = 0; v < IDT_VECTORS; v++) {
		uint64_t h = (uint64_t)(uintptr_t)isr_stubs + 16 * v;
		idt[v] = (struct idt_gate){ (uint16_t)h, SEL_CODE64, 0, GATE_INTERRUPT, (uint16_t)(h >> 16),
					    (uint32_t)(h >> 32), 0 };
	}
	__asm__ volatile("lidt %0" ::"m"(idtr));
}

void pic_mask(uint8_t master)
{
	outb(PIC1_DATA, master);
	outb(PIC2_DATA, 0xff);
}

/* Channel 0, lobyte/hibyte, mode 0: one IRQ0 edge when the count runs out (8254 data sheet). */
void pit_oneshot(uint16_t count)
{
	outb(PIT_CMD, 0x30);
	outb(PIT_CH0, (uint8_t)count);
	outb(PIT_CH0, (uint8_t)(count >> 8));
}

void tguest_isr(struct isr_frame *f)
{
	if (f->vec == PIC_VECTOR_BASE) {
		tg_ticks++;
		tg_irq_rip = f->rip;
		outb(PIC1_CMD, PIC_EOI);
		return;
	}
	if (f->vec > PIC_VECTOR_BASE) {
		outb(PIC2_CMD, PIC_EOI);
		outb(PIC1_CMD, PIC_EOI);
		return;
	}
	if (tg_resume) {
		tg_caught = (int)f->vec;
		tg_fault_rip = f->rip;
		tg_fault_err = f->err;
		f->rip = tg_resume;
		tg_resume = 0;
		return;
	}
	uint64_t cr2;
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	tg_printf("tguest: long: unexpected exception %lu (error %lx) at rip %lx, cr2 %lx\n",
		  (unsigned long)f->vec, (unsigned long)f->err, (unsigned long)f->rip, (unsigned long)cr2);
	tg_exit(TGUEST_STATUS_UNEXPECTED);
}

/* The value of KEY=NUMBER on the command line (decimal, or hex with 0x), else dflt. */
uint64_t cmdline_number(const char *key, uint64_t dflt)
{
	uint32_t ptr = *(volatile uint32_t *)(uintptr_t)(tguest_zero_page + ZP_CMD_LINE_PTR);
	const char *start = (const char *)(uintptr_t)ptr;

	if (!start)
		return dflt;
	for (const char *p = start; *p; p++) {
		if (p != start && p[-1] != ' ')
			continue;
		const char *k = key, *q = p;
		while (*k && *q == *k)
			k++, q++;
		if (*k || *q != '=')
			continue;
		q++;
		unsigned base = 10;
		if (q[0] == '0' && q[1] == 'x')
			base = 16, q += 2;
		uint64_t v = 0;
		bool any = false;
		for (;; q++) {
			unsigned d;
			if (*q >= '0' && *q <= '9')
				d = (unsigned)(*q - '0');
			else if (base == 16 && *q >= 'a' && *q <= 'f')
				d = (unsigned)(*q - 'a' + 10);
			else
				break;
			v = v * base + d;
			any = true;
		}
		return any ? v : dflt;
	}
	return dflt;
}
