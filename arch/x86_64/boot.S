/* PVH entry: 32-bit protected mode, paging off, EBX = &hvm_start_info (boot/pvh.h).
 *
 * Builds a throw-away identity map of the low 4 GiB with 2 MiB pages (enough to reach the image,
 * start_info and the loader's modules), enters long mode and calls x86_entry(start_info_pa) on the
 * boot stack. arch/x86_64/mmu.c replaces these tables with the final W^X ones.
 */
#include "arch/x86_64/layout.h"

	.section .note.pvh, "a"
	.p2align 2
	.long 4                 /* namesz: "Xen\0" */
	.long 4                 /* descsz */
	.long 18                /* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.long pvh_start32

	.section .text.boot, "ax"
	.code32
	.globl pvh_start32
pvh_start32:
	cli
	cld
	mov %ebx, %esi                  /* keep start_info across the setup below */

	lgdt boot_gdt_ptr
	mov $BOOT_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs

	/* The loader zero-fills .bss, but a reset or another loader may not: clear it before use. */
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	shr $2, %ecx
	xor %eax, %eax
	rep stosl

	/* PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 2 MiB pages covering 4 GiB. */
	mov $boot_pml4, %edi
	mov $boot_pdpt, %eax
	or $0x3, %eax                   /* present, writable */
	mov %eax, (%edi)

	mov $boot_pdpt, %edi
	mov $boot_pd, %eax
	or $0x3, %eax
	mov $4, %ecx
1:	mov %eax, (%edi)
	add $4096, %eax
	add $8, %edi
	loop 1b

	mov $boot_pd, %edi
	mov $0x83, %eax                 /* present, writable, 2 MiB page */
	xor %edx, %edx                  /* high half of the physical address */
	mov $2048, %ecx
2:	mov %eax, (%edi)
	mov %edx, 4(%edi)
	add $0x200000, %eax
	adc $0, %edx
	add $8, %edi
	loop 2b

	mov %cr4, %eax
	or $(1 << 5), %eax              /* CR4.PAE */
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3

	mov $0xC0000080, %ecx           /* IA32_EFER */
	rdmsr
	or $((1 << 8) | (1 << 11)), %eax  /* LME, NXE */
	wrmsr

	mov %cr0, %eax
	or $((1 << 31) | (1 << 16) | 1), %eax   /* PG, WP, PE */
	mov %eax, %cr0
	ljmp $BOOT_CS, $start64

	.code64
start64:
	mov $BOOT_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs

	lea x86_stacks + STACK_BOOT_TOP(%rip), %rsp
	xor %ebp, %ebp
	mov %esi, %edi                  /* x86_entry(start_info_pa) */
	call x86_entry
3:	cli
	hlt
	jmp 3b

	.section .rodata
	.p2align 3
	/* The one boot GDT: the PVH path loads it here, the IGVM entry (igvm_entry.S) loads it too,
	 * and igvmgen finds it by name for the VMSA/VP context's GDTR. */
	.globl boot_gdt, boot_gdt_ptr
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* BOOT_CS: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff        /* BOOT_DS: flat data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.section .bss.pagetables, "aw", @nobits
	.p2align 12
boot_pml4:
	.skip 4096
boot_pdpt:
	.skip 4096
boot_pd:
	.skip 4 * 4096
