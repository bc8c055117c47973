/* Exception entry stubs and the fault-catching call used by self-tests.
 *
 * Each stub makes the stack look the same whether or not the CPU pushed an error code, then the
 * common path saves the general registers as `struct x86_frame` (exception.h) and calls
 * x86_exception(frame). The handler may edit the frame (RIP/RSP/GPRs) before iretq resumes it.
 */
	.text

.macro STUB vec, has_err
	.p2align 4
x86_vec_\vec:
	.if \has_err == 0
	pushq $0
	.endif
	pushq $\vec
	jmp x86_exception_common
.endm


/* Vectors whose exceptions push an error code: SDM vol. 3, table 6-1. */
.altmacro
.macro STUBS from, to
	.if (\from == 8) || ((\from >= 10) && (\from <= 14)) || (\from == 17) || (\from == 21) || (\from == 29) || (\from == 30)
	STUB %from, 1
	.else
	STUB %from, 0
	.endif
	.if \to - \from
	STUBS %(\from + 1), \to
	.endif
.endm

	STUBS 0, 31

x86_exception_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	mov %rsp, %rdi
	cld
	call x86_exception
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	add $16, %rsp                   /* vector, error code */
	iretq

/* Table of the 32 stub addresses, read by desc.c to fill the IDT. */
	.section .rodata
	.p2align 3
	.globl x86_vector_stubs
x86_vector_stubs:
.macro STUBADDR from, to
	.quad x86_vec_\from
	.if \to - \from
	STUBADDR %(\from + 1), \to
	.endif
.endm
	STUBADDR 0, 31

/* uint64_t x86_catch_call(void (*fn)(void *), void *arg, struct x86_catch *ctx)
 *
 * Calls fn(arg) with ctx armed. Returns 0 if fn returned normally. If fn faults, x86_exception()
 * records the fault in ctx and resumes here as if this function had returned 1, with the callee-saved
 * registers and stack pointer it had on entry. Offsets match struct x86_catch (exception.h). */
	.text
	.globl x86_catch_call
x86_catch_call:
	mov %rbx, 0(%rdx)
	mov %rbp, 8(%rdx)
	mov %r12, 16(%rdx)
	mov %r13, 24(%rdx)
	mov %r14, 32(%rdx)
	mov %r15, 40(%rdx)
	lea 8(%rsp), %rax
	mov %rax, 48(%rdx)              /* RSP after our return */
	mov (%rsp), %rax
	mov %rax, 56(%rdx)              /* where to resume */
	mov %rdx, x86_catch_armed(%rip)
	push %rdx                       /* also realigns the stack to 16 for the call */
	mov %rdi, %rax
	mov %rsi, %rdi
	call *%rax
	pop %rdx
	movq $0, x86_catch_armed(%rip)
	xor %eax, %eax
	ret
