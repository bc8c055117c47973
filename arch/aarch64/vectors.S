/* EL2 exception vector table (VBAR_EL2). Sixteen 128-byte entries in four groups:
 *
 *   0x000  current EL, SP_EL0   sync, IRQ, FIQ, SError   <- Mantle's normal state (SPSel = 0)
 *   0x200  current EL, SP_EL2   sync, IRQ, FIQ, SError   <- a fault inside an exception handler
 *   0x400  lower EL, AArch64    sync, IRQ, FIQ, SError   <- guests (later issues)
 *   0x600  lower EL, AArch32    sync, IRQ, FIQ, SError
 *
 * Taking an exception selects SP_EL2, the dedicated exception stack. Each entry pushes a struct
 * arch_frame (arch/aarch64/frame.h) and calls arch_exception(frame); on return the possibly
 * modified ELR, SPSR, SP_EL0 and general registers are restored and the handler ERETs.
 */
#include "arch/aarch64/frame.h"

.macro ventry kind
	.balign	128
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #FRAME_X0]
	mov	x0, #\kind
	b	exception_entry
.endm

	.section .text.vectors, "ax"
	.balign	2048
	.globl	arch_vectors
arch_vectors:
	ventry	0
	ventry	1
	ventry	2
	ventry	3
	ventry	4
	ventry	5
	ventry	6
	ventry	7
	ventry	8
	ventry	9
	ventry	10
	ventry	11
	ventry	12
	ventry	13
	ventry	14
	ventry	15

exception_entry:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mrs	x1, sp_el0
	add	x2, sp, #FRAME_SIZE
	stp	x1, x2, [sp, #FRAME_SP_EL0]
	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	stp	x1, x2, [sp, #FRAME_ELR]
	mrs	x1, esr_el2
	mrs	x2, far_el2
	stp	x1, x2, [sp, #FRAME_ESR]
	str	x0, [sp, #FRAME_KIND]

	mov	x0, sp
	mov	x29, #0			/* end of the frame-pointer chain for debuggers */
	bl	arch_exception

	ldp	x1, x2, [sp, #FRAME_ELR]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldr	x1, [sp, #FRAME_SP_EL0]
	msr	sp_el0, x1
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME_SIZE
	eret
