/* Entry from the loader: a Linux arm64 Image header (Documentation/arch/arm64/booting.rst), then
 * the EL2 bring-up that must happen before C runs.
 *
 * Loader contract: entered at EL2 (or EL1), MMU off, x0 = physical address of the DTB, x1..x3 = 0,
 * interrupts masked. QEMU's -kernel honours the header's text_offset/image_size and jumps here.
 */
#include "arch/aarch64/frame.h"

#define SCTLR_EL2_RES1 0x30c50830	/* MMU, caches and alignment checks off, little-endian */
#define HCR_EL2_RW (1 << 31)		/* lower ELs are AArch64; no traps, no stage 2, E2H = 0 */

	.section .head.text, "ax"
	.globl _start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: QEMU then loads us at RAM base + 2 MiB */
	.quad	__image_size		/* image_size, including .bss and stacks */
	.quad	0x2			/* flags: little-endian, 4K pages, 2 MiB base near DRAM start */
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE/COFF header */

primary_entry:
	msr	daifset, #0xf
	mov	x19, x0				/* DTB address, kept across the setup below */

	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	not_el2

	/* Linked at a fixed address: refuse to run anywhere else. */
	adr	x1, _start
	ldr	x2, =_start
	cmp	x1, x2
	b.ne	wrong_address

	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	mov	x1, #HCR_EL2_RW
	msr	hcr_el2, x1
	isb

	adr	x1, arch_vectors
	msr	vbar_el2, x1

	/* SP_EL2 is the exception stack; C runs on SP_EL0 (SPSel = 0), so an exception, a stack
	 * overflow into the guard page included, always lands on a fresh stack. */
	ldr	x1, =__exc_stack_top
	mov	sp, x1
	ldr	x1, =__boot_stack_top
	msr	sp_el0, x1
	msr	spsel, #0
	isb

	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	mov	x0, x19
	mov	x29, #0
	mov	x30, #0
	bl	arch_boot
	b	arch_halt

not_el2:
	adr	x0, msg_not_el2
	b	early_fail
wrong_address:
	adr	x0, msg_wrong_address
	/* fall through */

/* Prints the NUL-terminated string at x0 on QEMU virt's PL011 (no DT yet), then exits with
 * status 1 through semihosting, then halts. */
early_fail:
	ldr	x1, =0x09000000
3:	ldrb	w2, [x0], #1
	cbz	w2, 4f
	str	w2, [x1]
	b	3b
4:	adr	x1, early_exit_block
	mov	x0, #0x18			/* SYS_EXIT */
	hlt	#0xf000
	b	arch_halt

	.globl arch_halt
arch_halt:
	wfi
	b	arch_halt

	.balign 8
early_exit_block:
	.quad	0x20026				/* ADP_Stopped_ApplicationExit */
	.quad	1
msg_not_el2:
	.asciz	"mantle: not entered at EL2; run QEMU with -M virt,virtualization=on\r\n"
msg_wrong_address:
	.asciz	"mantle: loaded at the wrong address; the image is linked at 0x40200000\r\n"

	.text
/* uint64_t arch_semihost(uint64_t op, uint64_t param): one semihosting call (Arm IHI 0059,
 * AArch64: HLT #0xF000, operation in w0, parameter in x1, result in x0). Where semihosting is
 * disabled HLT is undefined; the exception handler recognises this address and returns ~0. */
	.globl arch_semihost, arch_semihost_insn
arch_semihost:
arch_semihost_insn:
	hlt	#0xf000
	ret

/* uint64_t arch_catch_call(void (*fn)(void *), void *arg): calls fn(arg); returns 0 when it
 * returns normally, or the ESR of a synchronous exception it took, after which the handler resumed
 * execution at arch_catch_resume with the state saved here (a setjmp/longjmp pair). Not reentrant. */
	.globl arch_catch_call, arch_catch_resume
arch_catch_call:
	adrp	x9, arch_catch_ctx
	add	x9, x9, :lo12:arch_catch_ctx
	stp	x19, x20, [x9, #CATCH_REGS + 0]
	stp	x21, x22, [x9, #CATCH_REGS + 16]
	stp	x23, x24, [x9, #CATCH_REGS + 32]
	stp	x25, x26, [x9, #CATCH_REGS + 48]
	stp	x27, x28, [x9, #CATCH_REGS + 64]
	stp	x29, x30, [x9, #CATCH_REGS + 80]
	mov	x10, sp
	str	x10, [x9, #CATCH_SP]
	stp	xzr, xzr, [x9, #CATCH_ESR]
	mov	x10, #1
	str	x10, [x9, #CATCH_ARMED]
	mov	x10, x0
	mov	x0, x1
	blr	x10
	adrp	x9, arch_catch_ctx
	add	x9, x9, :lo12:arch_catch_ctx
	str	xzr, [x9, #CATCH_ARMED]
	ldp	x29, x30, [x9, #CATCH_REGS + 80]
	mov	x0, #0
	ret

arch_catch_resume:
	adrp	x9, arch_catch_ctx
	add	x9, x9, :lo12:arch_catch_ctx
	ldp	x19, x20, [x9, #CATCH_REGS + 0]
	ldp	x21, x22, [x9, #CATCH_REGS + 16]
	ldp	x23, x24, [x9, #CATCH_REGS + 32]
	ldp	x25, x26, [x9, #CATCH_REGS + 48]
	ldp	x27, x28, [x9, #CATCH_REGS + 64]
	ldp	x29, x30, [x9, #CATCH_REGS + 80]
	ldr	x10, [x9, #CATCH_SP]
	mov	sp, x10
	str	xzr, [x9, #CATCH_ARMED]
	ldr	x0, [x9, #CATCH_ESR]
	ret

	.bss
	.balign 16
	.globl arch_catch_ctx
arch_catch_ctx:
	.skip	CATCH_SIZE
