/* tguest's entry and mode switches: Mantle's 32-bit boot-protocol entry, a trip through real mode
 * (the low blob, copied below 1 MiB), then long mode and the 64-bit C in main.c.
 *
 *   32-bit entry (flat, paging off)  -> own GDT, COM1, banner
 *   16-bit protected mode -> real mode (CS = 0, IVT at 0): the real-mode checks, results recorded
 *   back to 32-bit protected mode -> PAE page tables, EFER.LME (WRMSR, intercepted), paging
 *   64-bit mode -> tguest_main()
 *
 * Mode-switch sequences follow SDM vol. 3, 10.9 (switching to real mode) and 10.8.5 / APM vol. 2,
 * 14.6 (enabling long mode). */
#include "tguest.h"

#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_NE (1 << 5)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define EFER_LME (1 << 8)
#define PTE_PW 0x03		/* present, writable */
#define PDE_2M 0x83		/* present, writable, 2 MiB page */
#define PTE_PCD_PWT 0x18	/* uncached */
#define COM1 0x3f8

/* ------------------------------------------------------------------------------------------------
 * 32-bit entry: Mantle's state is CS = 0x10, DS = 0x18 flat, paging off, interrupts off, ESI = zero
 * page, and no stack. */
	.section .entry32, "ax"
	.code32
	.globl tguest_entry32
tguest_entry32:
	cli
	cld
	/* A scratch stack below Mantle's GDT (0x6000) until we know we run where we were linked. */
	mov $0x5000, %esp
	call 1f
1:	pop %eax
	cmp $1b, %eax
	je 2f
	mov $TGUEST_STATUS_BAD_LOAD, %al
	out %al, $EXIT_PORT
3:	hlt
	jmp 3b

2:	mov %esi, %ebx
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb
	mov %ebx, tguest_zero_page
	mov $stack_top, %esp

	/* The low blob (GDT, real-mode code and its data) goes below 1 MiB. */
	mov $__low_src, %esi
	mov $__low_start, %edi
	mov $__low_size, %ecx
	rep movsb

	lgdt low_gdt_ptr
	ljmp $SEL_CODE32, $4f
4:	mov $SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov %eax, %ss

	call serial_init32
	mov $msg_banner, %esi
	call puts32

	/* Real mode and back (pm32_return). */
	mov %esp, saved_esp
	ljmp $SEL_CODE16, $rm_enter

	.globl pm32_return
pm32_return:
	mov $SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov %eax, %ss
	mov saved_esp, %esp
	mov $msg_pm_back, %esi
	call puts32

	call build_page_tables
	mov %cr4, %eax
	or $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	mov %eax, %cr4
	mov $pml4, %eax
	mov %eax, %cr3
	/* EFER is on Mantle's MSR list: both the read and the write exit (core/x86/msr.c). */
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	and $~CR0_EM, %eax
	or $(CR0_PG | CR0_MP | CR0_NE), %eax
	mov %eax, %cr0
	ljmp $SEL_CODE64, $lm_entry

	.code64
lm_entry:
	mov $SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov %eax, %ss
	mov $stack_top, %rsp
	mov $msg_long, %esi
	call puts64
	call tguest_main
5:	cli
	hlt
	jmp 5b

puts64:
	lodsb
	test %al, %al
	jz 1f
	mov %al, %ah
	mov $COM1 + 5, %dx
2:	in %dx, %al
	test $0x20, %al
	jz 2b
	mov %ah, %al
	mov $COM1, %dx
	out %al, %dx
	jmp puts64
1:	ret

	.code32
/* COM1: 115200 8N1, FIFO on, its interrupt off. */
serial_init32:
	mov $COM1 + 1, %dx
	xor %al, %al
	out %al, %dx
	mov $COM1 + 3, %dx
	mov $0x80, %al
	out %al, %dx
	mov $COM1, %dx
	mov $1, %al
	out %al, %dx
	mov $COM1 + 1, %dx
	xor %al, %al
	out %al, %dx
	mov $COM1 + 3, %dx
	mov $0x03, %al
	out %al, %dx
	mov $COM1 + 2, %dx
	mov $0xc7, %al
	out %al, %dx
	mov $COM1 + 4, %dx
	mov $0x03, %al
	out %al, %dx
	ret

/* puts32: ESI = NUL-terminated string. */
puts32:
	lodsb
	test %al, %al
	jz 1f
	mov %al, %ah
	mov $COM1 + 5, %dx
2:	in %dx, %al
	test $0x20, %al
	jz 2b
	mov %ah, %al
	mov $COM1, %dx
	out %al, %dx
	jmp puts32
1:	ret

/* Identity map of the low 4 GiB with 2 MiB pages (this covers us, the low blob, QEMU's MMIO and
 * Mantle's hidden image at 16 MiB), plus one uncached 2 MiB page at 0x4000000000, an address that is
 * neither RAM nor reserved, so Mantle emulates it as unbacked. */
build_page_tables:
	mov $pdpt + PTE_PW, %eax
	mov %eax, pml4
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $12, %eax
	add $pd + PTE_PW, %eax
	mov %eax, pdpt(, %ecx, 8)
	inc %ecx
	cmp $4, %ecx
	jb 1b
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $21, %eax
	or $PDE_2M, %eax
	mov %eax, pd(, %ecx, 8)
	mov %ecx, %eax
	shr $11, %eax
	mov %eax, pd + 4(, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jb 2b
	movl $pd_hi + PTE_PW, pdpt + 256 * 8
	movl $PDE_2M | PTE_PCD_PWT, pd_hi
	movl $0x40, pd_hi + 4
	ret

/* ------------------------------------------------------------------------------------------------
 * 64-bit interrupt stubs: 48 of them, 16 bytes apart (vectors 0-31 exceptions, 0x20-0x2f the PIC).
 * Vectors without a CPU-pushed error code push a zero so every frame looks the same. */
	.code64
	.balign 16
	.globl isr_stubs
isr_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31, \
		32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.balign 16
	.if (\v == 8) || ((\v >= 10) && (\v <= 14)) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30)
	.else
	pushq $0
	.endif
	pushq $\v
	jmp isr_common
	.endr

isr_common:
	cld
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	mov %rsp, %rdi
	call tguest_isr
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	add $16, %rsp
	iretq

	.section .rodata
msg_banner:
	.asciz "tguest: Mantle test guest, 32-bit entry at 0x2000000\n"
msg_pm_back:
	.asciz "tguest: back in 32-bit protected mode\n"
msg_long:
	.asciz "tguest: in long mode\n"

	.data
	.balign 4
	.globl tguest_zero_page
tguest_zero_page:
	.long 0
saved_esp:
	.long 0

	.bss
	.balign 4096
pml4:	.skip 4096
pdpt:	.skip 4096
pd:	.skip 4 * 4096
pd_hi:	.skip 4096
	.balign 16
	.skip 16384
stack_top:

/* ------------------------------------------------------------------------------------------------
 * The low blob, linked at LOW_BASE and copied there: the GDT (real mode must reach it to return) and
 * everything that runs in real mode. DS = ES = SS = CS = 0 in real mode, so addresses are offsets. */
	.section .low, "awx"
	.code16
	.balign 8
low_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code, flat */
	.quad 0x00cf92000000ffff	/* 0x10: data, flat */
	.quad 0x00af9a000000ffff	/* 0x18: 64-bit code (L = 1, D = 0) */
	.quad 0x00009a000000ffff	/* 0x20: 16-bit code, base 0, limit 64 KiB */
	.quad 0x000092000000ffff	/* 0x28: 16-bit data, base 0, limit 64 KiB */
low_gdt_end:
	.balign 4
	.word 0
low_gdt_ptr:
	.word low_gdt_end - low_gdt - 1
	.long low_gdt
	.word 0
rm_ivt_ptr:
	.word 0x3ff
	.long 0

	.balign 4
	.globl rm_results
rm_results:
	.skip RM_SIZE

/* Entered from 32-bit code by a far jump to the 16-bit code segment (SDM vol. 3, 10.9.2). */
rm_enter:
	mov $SEL_DATA16, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %fs
	mov %ax, %gs
	mov %ax, %ss
	mov %cr0, %eax
	and $~CR0_PE, %eax
	mov %eax, %cr0
	ljmp $0, $rm_real
rm_real:
	xor %ax, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %fs
	mov %ax, %gs
	mov %ax, %ss
	mov $RM_STACK_TOP, %sp
	lidt rm_ivt_ptr
	call rm_fill_ivt
	mov $rm_msg_entered, %si
	call rm_puts
	call rm_checks
	mov $rm_msg_leaving, %si
	call rm_puts
	cli
	lgdtl low_gdt_ptr
	mov %cr0, %eax
	or $CR0_PE, %eax
	mov %eax, %cr0
	ljmpl $SEL_CODE32, $pm32_return

/* The real-mode checks; main.c judges what they recorded once it runs in long mode. */
rm_checks:
	/* CPUID: Mantle's signature leaf. */
	mov $0x40000000, %eax
	xor %ecx, %ecx
	cpuid
	mov %eax, rm_results + RM_CPUID
	mov %ebx, rm_results + RM_CPUID + 4
	mov %ecx, rm_results + RM_CPUID + 8
	mov %edx, rm_results + RM_CPUID + 12
	/* IN from Mantle's exit port: 8 bits merge into AL, 16 bits fill AX. */
	mov $0x5a00, %ax
	in $EXIT_PORT_READ, %al
	mov %ax, rm_results + RM_IN8
	xor %ax, %ax
	in $EXIT_PORT_READ, %ax
	mov %ax, rm_results + RM_IN16
	/* RDMSR EFER (intercepted). */
	mov $MSR_EFER, %ecx
	rdmsr
	mov %eax, rm_results + RM_EFER
	mov %edx, rm_results + RM_EFER + 4
	/* HLT, woken by the PIT's IRQ0 through the PIC; rm_irq0 records the IP it interrupted. */
	call rm_pic_init
	movw $0, rm_results + RM_TICKS
	movw $0, rm_results + RM_IRQ_IP
	mov $0x30, %al			/* PIT channel 0, lobyte/hibyte, mode 0 (one shot), binary */
	out %al, $0x43
	mov $(PIT_COUNT & 0xff), %al
	out %al, $0x40
	mov $(PIT_COUNT >> 8), %al
	out %al, $0x40
	mov $0xfe, %al			/* unmask IRQ0 only */
	out %al, $0x21
	sti
	hlt
	.globl rm_after_hlt
rm_after_hlt:
	cli
	mov $0xff, %al
	out %al, $0x21
	/* The illegal action: VMMCALL, which Mantle answers with #UD (no hypercalls defined). */
	movb $0xff, rm_results + RM_CAUGHT
	movb $0, rm_results + RM_FELL_THROUGH
	movw $rm_after_vmmcall, rm_results + RM_RESUME
	.globl rm_vmmcall
rm_vmmcall:
	vmmcall
	movb $1, rm_results + RM_FELL_THROUGH
rm_after_vmmcall:
	movw $0, rm_results + RM_RESUME
	ret

/* 8259A initialisation (ICW1-4): IRQ0-7 at vectors 0x20-0x27, IRQ8-15 at 0x28-0x2f, all masked. */
rm_pic_init:
	mov $0x11, %al
	out %al, $0x20
	out %al, $0xa0
	mov $PIC_VECTOR_BASE, %al
	out %al, $0x21
	mov $PIC_VECTOR_BASE + 8, %al
	out %al, $0xa1
	mov $0x04, %al
	out %al, $0x21
	mov $0x02, %al
	out %al, $0xa1
	mov $0x01, %al
	out %al, $0x21
	out %al, $0xa1
	mov $0xff, %al
	out %al, $0x21
	out %al, $0xa1
	ret

/* IVT: vectors 0-31 to rm_exc_stubs, 0x20 to rm_irq0, 0x21-0x2f to rm_irq_other. */
rm_fill_ivt:
	xor %di, %di
	mov $rm_exc_stubs, %ax
	mov $32, %cx
1:	mov %ax, (%di)
	movw $0, 2(%di)
	add $8, %ax
	add $4, %di
	loop 1b
	movw $rm_irq0, PIC_VECTOR_BASE * 4
	movw $0, PIC_VECTOR_BASE * 4 + 2
	mov $(PIC_VECTOR_BASE + 1) * 4, %di
	mov $15, %cx
2:	movw $rm_irq_other, (%di)
	movw $0, 2(%di)
	add $4, %di
	loop 2b
	ret

rm_irq0:
	push %bp
	mov %sp, %bp
	push %ax
	mov 2(%bp), %ax
	mov %ax, rm_results + RM_IRQ_IP
	incw rm_results + RM_TICKS
	mov $0x20, %al			/* non-specific EOI */
	out %al, $0x20
	pop %ax
	pop %bp
	iret

rm_irq_other:
	push %ax
	mov $0x20, %al
	out %al, $0xa0
	out %al, $0x20
	pop %ax
	iret

/* Exception stubs, 8 bytes apart: push the vector, then the common handler. Real mode pushes no
 * error codes. An expected exception (RM_RESUME set) resumes there; anything else ends the run. */
	.balign 8
rm_exc_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.balign 8
	pushw $\v
	jmp rm_exc_common
	.endr

rm_exc_common:				/* stack: vector, IP, CS, FLAGS */
	push %bp
	mov %sp, %bp
	push %ax
	cmpw $0, rm_results + RM_RESUME
	je rm_unexpected
	mov 2(%bp), %al
	mov %al, rm_results + RM_CAUGHT
	mov 4(%bp), %ax
	mov %ax, rm_results + RM_FAULT_IP
	mov rm_results + RM_RESUME, %ax
	mov %ax, 4(%bp)
	movw $0, rm_results + RM_RESUME
	pop %ax
	pop %bp
	add $2, %sp
	iret
rm_unexpected:
	mov $rm_msg_unexpected, %si
	call rm_puts
	mov 2(%bp), %ax
	call rm_puthex16
	mov $rm_msg_at, %si
	call rm_puts
	mov 4(%bp), %ax
	call rm_puthex16
	mov $'\n', %al
	call rm_putc
	mov $TGUEST_STATUS_UNEXPECTED, %al
	out %al, $EXIT_PORT
1:	cli
	hlt
	jmp 1b

rm_puts:
	lodsb
	test %al, %al
	jz 1f
	call rm_putc
	jmp rm_puts
1:	ret

rm_putc:
	push %dx
	push %ax
	mov $COM1 + 5, %dx
1:	in %dx, %al
	test $0x20, %al
	jz 1b
	pop %ax
	mov $COM1, %dx
	out %al, %dx
	pop %dx
	ret

/* AX as four hex digits. */
rm_puthex16:
	push %cx
	push %bx
	mov %ax, %bx
	mov $4, %cx
1:	rol $4, %bx
	mov %bl, %al
	and $0x0f, %al
	add $'0', %al
	cmp $'9', %al
	jbe 2f
	add $'a' - '9' - 1, %al
2:	call rm_putc
	loop 1b
	pop %bx
	pop %cx
	ret

rm_msg_entered:
	.asciz "tguest: real: entered real mode\n"
rm_msg_leaving:
	.asciz "tguest: real: checks recorded, back to protected mode\n"
rm_msg_unexpected:
	.asciz "tguest: real: unexpected exception 0x"
rm_msg_at:
	.asciz " at ip 0x"
