#include "arch/x86_64/desc.h"

#include <stddef.h>

#include "arch/x86_64/layout.h"

/* 64-bit TSS (SDM vol. 3, 8.7, figure 8-11). */
struct x86_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_tss) == 104, "SDM vol. 3, 8.7: the 64-bit TSS is 104 bytes");
_Static_assert(offsetof(struct x86_tss, ist) == 36, "SDM vol. 3, 8.7: IST1 at offset 36");

/* 64-bit interrupt gate (SDM vol. 3, 6.14.1, figure 6-8). */
struct x86_idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_idt_gate) == 16, "SDM vol. 3, 6.14.1: 64-bit IDT gates are 16 bytes");

struct x86_desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_desc_ptr) == 10, "lgdt/lidt take a 10-byte operand in long mode");

#define GATE_INTERRUPT_DPL0 0x8e   /* present, DPL 0, 64-bit interrupt gate */
#define IST_DF 1
#define IST_NMI 2
#define IST_MC 3
#define IST_VC 4

__attribute__((section(".bss.stacks"), aligned(4096))) uint8_t x86_stacks[STACK_COUNT * STACK_SLOT_SIZE];

static struct x86_tss tss __attribute__((aligned(16)));
static uint64_t gdt[5] __attribute__((aligned(16)));
static struct x86_idt_gate idt[32] __attribute__((aligned(16)));

extern const uint64_t x86_vector_stubs[32];

static void gdt_set_tss(uint64_t *slot, const struct x86_tss *t)
{
	uint64_t base = (uint64_t)(uintptr_t)t;
	uint64_t limit = sizeof(*t) - 1;

	/* System-segment descriptor, type 9 (available 64-bit TSS), present (SDM vol. 3, 8.2.3). */
	slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		  (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	slot[1] = base >> 32;
}

static void idt_set(unsigned vec, uint64_t handler, uint8_t ist)
{
	idt[vec] = (struct x86_idt_gate){
		.offset_lo = (uint16_t)handler,
		.selector = BOOT_CS,
		.ist = ist,
		.type_attr = GATE_INTERRUPT_DPL0,
		.offset_mid = (uint16_t)(handler >> 16),
		.offset_hi = (uint32_t)(handler >> 32),
	};
}

static uint64_t stack_top(unsigned slot)
{
	return (uint64_t)(uintptr_t)(x86_stacks + STACK_TOP(slot));
}

void x86_desc_init(void)
{
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull;   /* BOOT_CS: 64-bit code, DPL 0 */
	gdt[2] = 0x00cf92000000ffffull;   /* BOOT_DS */
	gdt_set_tss(&gdt[3], &tss);        /* TSS_SEL, two slots */

	tss.ist[IST_DF - 1] = stack_top(STACK_DF);
	tss.ist[IST_NMI - 1] = stack_top(STACK_NMI);
	tss.ist[IST_MC - 1] = stack_top(STACK_MC);
	tss.ist[IST_VC - 1] = stack_top(STACK_VC);
	tss.iomap_base = sizeof(tss);     /* no I/O permission bitmap */

	for (unsigned v = 0; v < 32; v++) {
		uint8_t ist = v == 8 ? IST_DF : v == 2 ? IST_NMI : v == 18 ? IST_MC : v == 29 ? IST_VC : 0;
		idt_set(v, x86_vector_stubs[v], ist);
	}

	struct x86_desc_ptr gp = { .limit = sizeof(gdt) - 1, .base = (uint64_t)(uintptr_t)gdt };
	struct x86_desc_ptr ip = { .limit = sizeof(idt) - 1, .base = (uint64_t)(uintptr_t)idt };

	/* Reload CS through a far return so the new GDT's code descriptor is the one in use. */
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "mov %2, %%eax\n\t"
			 "mov %%eax, %%ds\n\t"
			 "mov %%eax, %%es\n\t"
			 "mov %%eax, %%ss\n\t"
			 "ltr %w3\n\t"
			 "lidt %4"
			 :
			 : "m"(gp), "i"(BOOT_CS), "i"(BOOT_DS), "r"((uint16_t)TSS_SEL), "m"(ip)
			 : "rax", "memory");
}
