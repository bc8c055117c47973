/* IGVM entry points (docs/igvm.md). tools/igvm/igvmgen finds these symbols in the ELF.
 *
 * igvm_start64: SEV-SNP, VBS and native. The VP context in the IGVM file starts the BSP here already in
 *   64-bit mode: CR3 = the boot page tables igvmgen placed at IGVM_PT_PML4_GPA (identity map of the
 *   low 4 GiB, 2 MiB pages), GDTR = boot_gdt (boot.S), CS = BOOT_CS, data segments BOOT_DS, RSP = the boot
 *   stack. No MSR or I/O access happens before C code, so nothing here needs a #VC handler.
 * igvm_start32: TDX. A TD has no VP context: every vCPU starts at the reset vector (0xFFFFFFF0) in
 *   32-bit protected mode with paging off, EBX = GPAW, ESI = vCPU index (ref C.4). igvmgen's reset-
 *   vector page jumps here; the BSP turns on long mode with the same boot page tables, the APs spin
 *   (HLT would raise #VE with no handler yet).
 * Both end in igvm_x86_entry (arch/x86_64/igvm_setup.c) on the boot stack.
 *
 * Everything is in .text.boot, which the linker script keeps; nothing else references these entries.
 */
#include "arch/x86_64/layout.h"
#include "boot/igvm_layout.h"

	.section .text.boot, "ax"
	.code32
	.globl igvm_start32
igvm_start32:
	cli
	cld
	test %esi, %esi
	jnz 9f

	lgdt boot_gdt_ptr
	mov $BOOT_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs

	mov $IGVM_PT_PML4_GPA, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $(1 << 5), %eax              /* CR4.PAE; other bits (TDX keeps MCE set) preserved */
	mov %eax, %cr4

	/* EFER.LME and NXE: write only if not already set, so a TD whose initial EFER has them takes
	 * no WRMSR (TDX initial EFER value: [M], Intel TDX Module ABI "vCPU initial state"). */
	mov $0xC0000080, %ecx
	rdmsr
	mov %eax, %edi
	or $((1 << 8) | (1 << 11)), %eax
	cmp %eax, %edi
	je 1f
	wrmsr
1:	mov %cr0, %eax
	and $~((1 << 30) | (1 << 29)), %eax     /* caches on: clear CD, NW (set after a plain reset) */
	or $((1 << 31) | (1 << 16) | 1), %eax   /* PG, WP, PE */
	mov %eax, %cr0
	ljmp $BOOT_CS, $igvm_start64

9:	pause                           /* APs: no AP bring-up yet */
	jmp 9b

	.code64
	.globl igvm_start64
igvm_start64:
	cli
	cld
	mov $BOOT_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs

	/* The loader added .bss as zero pages; clear it anyway, as boot.S does, before the stack in it
	 * is used. */
	lea __bss_start(%rip), %rdi
	lea __bss_end(%rip), %rcx
	sub %rdi, %rcx
	shr $3, %rcx
	xor %eax, %eax
	rep stosq

	lea x86_stacks + STACK_BOOT_TOP(%rip), %rsp
	xor %ebp, %ebp
	call igvm_x86_entry
2:	cli
	hlt
	jmp 2b

