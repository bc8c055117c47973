/* Test-only 64 KiB "BIOS" for tests/igvm/qemu_load.py. QEMU's x86 CPU resets in real mode; this shim
 * puts the BSP in the state an IGVM loader would, from values qemu_load.py read out of the IGVM file
 * (passed as -D defines), then jumps to the file's entry:
 *   TDX:    a TD vCPU's initial state (ref C.4): flat 32-bit protected mode, paging off, ESI = 0 (BSP),
 *           EBX = 48 (GPAW); jump to TARGET, where the file's reset-vector page jumps.
 *   NATIVE: the file's native VP context: CR4, CR3, EFER, GDTR, CR0 (paging on), CS, data selectors,
 *           RSP, then jump to RIP in 64-bit mode. */
	.code16
	.org 0xF000
	.globl _start
_start:
	cli
	lgdtl %cs:gdt_desc
	mov %cr0, %eax
	or $1, %eax
	mov %eax, %cr0
	ljmpl $0x08, $(0xFFFF0000 + pm32)

	.code32
pm32:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
#ifdef TARGET
	xor %esi, %esi
	mov $48, %ebx
	mov $TARGET, %eax
	jmp *%eax
#else
	mov $CTX_CR4, %eax
	mov %eax, %cr4
	mov $CTX_CR3, %eax
	mov %eax, %cr3
	mov $0xC0000080, %ecx
	mov $CTX_EFER, %eax
	xor %edx, %edx
	wrmsr
	lgdt 0xFFFF0000 + ctx_gdtr
	mov $CTX_CR0, %eax
	mov %eax, %cr0
	ljmp $CTX_CS, $(0xFFFF0000 + lm64)

	.code64
lm64:
	mov $CTX_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	mov $CTX_RSP, %rsp
	mov $CTX_RIP, %rax
	jmp *%rax

	.p2align 3
ctx_gdtr:
	.word CTX_GDT_LIMIT
	.long CTX_GDT_BASE
#endif

	.p2align 3
gdt:
	.quad 0
	.quad 0x00cf9a000000ffff        /* 0x08: flat 32-bit code */
	.quad 0x00cf92000000ffff        /* 0x10: flat data */
gdt_desc:
	.word gdt_desc - gdt - 1
	.long 0xFFFF0000 + gdt

	.code16
	.org 0xFFF0
	jmp _start
	.org 0x10000
