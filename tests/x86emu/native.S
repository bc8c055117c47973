/* Runs one generated instruction natively for the x86emu differential test.
 *
 *   void dt_native_run(struct dt_state *s, void *code, int use_avx)
 *
 * struct dt_state (tests/x86emu/dt.h): gpr[16] at 0 (RSP slot unused), rflags at 128, vectors
 * (16 x 32 bytes) at 144. `code` holds the instruction followed by RET; it runs with every GPR but
 * RSP and the arithmetic flags/DF loaded from *s, and everything is stored back afterwards.
 */
	.text
	.globl dt_native_run
	.type dt_native_run, @function
dt_native_run:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdx		/* use_avx */
	push %rdi		/* state */
	push %rsi		/* code */
	test %edx, %edx
	jz 1f
	vmovdqu 144+32*0(%rdi), %ymm0
	vmovdqu 144+32*1(%rdi), %ymm1
	vmovdqu 144+32*2(%rdi), %ymm2
	vmovdqu 144+32*3(%rdi), %ymm3
	vmovdqu 144+32*4(%rdi), %ymm4
	vmovdqu 144+32*5(%rdi), %ymm5
	vmovdqu 144+32*6(%rdi), %ymm6
	vmovdqu 144+32*7(%rdi), %ymm7
	vmovdqu 144+32*8(%rdi), %ymm8
	vmovdqu 144+32*9(%rdi), %ymm9
	vmovdqu 144+32*10(%rdi), %ymm10
	vmovdqu 144+32*11(%rdi), %ymm11
	vmovdqu 144+32*12(%rdi), %ymm12
	vmovdqu 144+32*13(%rdi), %ymm13
	vmovdqu 144+32*14(%rdi), %ymm14
	vmovdqu 144+32*15(%rdi), %ymm15
	jmp 2f
1:	movdqu 144+32*0(%rdi), %xmm0
	movdqu 144+32*1(%rdi), %xmm1
	movdqu 144+32*2(%rdi), %xmm2
	movdqu 144+32*3(%rdi), %xmm3
	movdqu 144+32*4(%rdi), %xmm4
	movdqu 144+32*5(%rdi), %xmm5
	movdqu 144+32*6(%rdi), %xmm6
	movdqu 144+32*7(%rdi), %xmm7
	movdqu 144+32*8(%rdi), %xmm8
	movdqu 144+32*9(%rdi), %xmm9
	movdqu 144+32*10(%rdi), %xmm10
	movdqu 144+32*11(%rdi), %xmm11
	movdqu 144+32*12(%rdi), %xmm12
	movdqu 144+32*13(%rdi), %xmm13
	movdqu 144+32*14(%rdi), %xmm14
	movdqu 144+32*15(%rdi), %xmm15
2:	pushq 128(%rdi)
	popfq
	mov 0(%rdi), %rax
	mov 8(%rdi), %rcx
	mov 16(%rdi), %rdx
	mov 24(%rdi), %rbx
	mov 40(%rdi), %rbp
	mov 48(%rdi), %rsi
	mov 64(%rdi), %r8
	mov 72(%rdi), %r9
	mov 80(%rdi), %r10
	mov 88(%rdi), %r11
	mov 96(%rdi), %r12
	mov 104(%rdi), %r13
	mov 112(%rdi), %r14
	mov 120(%rdi), %r15
	mov 56(%rdi), %rdi
	call *(%rsp)
	push %rdi
	mov 16(%rsp), %rdi	/* [rsp] guest rdi, [rsp+8] code, [rsp+16] state, [rsp+24] use_avx */
	mov %rax, 0(%rdi)
	mov %rcx, 8(%rdi)
	mov %rdx, 16(%rdi)
	mov %rbx, 24(%rdi)
	mov %rbp, 40(%rdi)
	mov %rsi, 48(%rdi)
	mov %r8, 64(%rdi)
	mov %r9, 72(%rdi)
	mov %r10, 80(%rdi)
	mov %r11, 88(%rdi)
	mov %r12, 96(%rdi)
	mov %r13, 104(%rdi)
	mov %r14, 112(%rdi)
	mov %r15, 120(%rdi)
	pushfq
	popq 128(%rdi)
	pushfq
	andl $0xfffbffff, (%rsp)	/* clear AC before returning to C */
	popfq
	cld
	pop %rax
	mov %rax, 56(%rdi)
	mov 16(%rsp), %rax	/* use_avx */
	test %eax, %eax
	jz 3f
	vmovdqu %ymm0, 144+32*0(%rdi)
	vmovdqu %ymm1, 144+32*1(%rdi)
	vmovdqu %ymm2, 144+32*2(%rdi)
	vmovdqu %ymm3, 144+32*3(%rdi)
	vmovdqu %ymm4, 144+32*4(%rdi)
	vmovdqu %ymm5, 144+32*5(%rdi)
	vmovdqu %ymm6, 144+32*6(%rdi)
	vmovdqu %ymm7, 144+32*7(%rdi)
	vmovdqu %ymm8, 144+32*8(%rdi)
	vmovdqu %ymm9, 144+32*9(%rdi)
	vmovdqu %ymm10, 144+32*10(%rdi)
	vmovdqu %ymm11, 144+32*11(%rdi)
	vmovdqu %ymm12, 144+32*12(%rdi)
	vmovdqu %ymm13, 144+32*13(%rdi)
	vmovdqu %ymm14, 144+32*14(%rdi)
	vmovdqu %ymm15, 144+32*15(%rdi)
	vzeroupper
	jmp 4f
3:	movdqu %xmm0, 144+32*0(%rdi)
	movdqu %xmm1, 144+32*1(%rdi)
	movdqu %xmm2, 144+32*2(%rdi)
	movdqu %xmm3, 144+32*3(%rdi)
	movdqu %xmm4, 144+32*4(%rdi)
	movdqu %xmm5, 144+32*5(%rdi)
	movdqu %xmm6, 144+32*6(%rdi)
	movdqu %xmm7, 144+32*7(%rdi)
	movdqu %xmm8, 144+32*8(%rdi)
	movdqu %xmm9, 144+32*9(%rdi)
	movdqu %xmm10, 144+32*10(%rdi)
	movdqu %xmm11, 144+32*11(%rdi)
	movdqu %xmm12, 144+32*12(%rdi)
	movdqu %xmm13, 144+32*13(%rdi)
	movdqu %xmm14, 144+32*14(%rdi)
	movdqu %xmm15, 144+32*15(%rdi)
4:	add $24, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size dt_native_run, .-dt_native_run

/*   void dt_native_run32(struct dt_state *s, uint64_t es_sel, uint64_t gs_sel)
 *
 * Runs the instruction at CODE_BASE in compatibility mode. The code page holds a 64-bit stub at
 * dt_stub64 that far-calls the instruction through selector 0x23 (Linux's 32-bit user code segment);
 * the instruction is followed by a 32-bit far return, and the stub then jumps to dt_native_back32.
 * Everything below 4 GiB: the stack is switched to dt_stack32_top first. DS becomes 0x2b (flat user
 * data) and ES/GS the given LDT selectors; all three are null again on the way back. XMM0-7 (YMM0-7
 * when the global dt_use_avx is set) are loaded from and stored back to the state.
 */
	.globl dt_native_run32
	.type dt_native_run32, @function
dt_native_run32:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, dt_saved_rsp(%rip)
	mov dt_stack32_top(%rip), %rsp
	push %rdi		/* state, on the low stack */
	cmpl $0, dt_use_avx(%rip)
	je 1f
	vmovdqu 144+32*0(%rdi), %ymm0
	vmovdqu 144+32*1(%rdi), %ymm1
	vmovdqu 144+32*2(%rdi), %ymm2
	vmovdqu 144+32*3(%rdi), %ymm3
	vmovdqu 144+32*4(%rdi), %ymm4
	vmovdqu 144+32*5(%rdi), %ymm5
	vmovdqu 144+32*6(%rdi), %ymm6
	vmovdqu 144+32*7(%rdi), %ymm7
	jmp 2f
1:	movdqu 144+32*0(%rdi), %xmm0
	movdqu 144+32*1(%rdi), %xmm1
	movdqu 144+32*2(%rdi), %xmm2
	movdqu 144+32*3(%rdi), %xmm3
	movdqu 144+32*4(%rdi), %xmm4
	movdqu 144+32*5(%rdi), %xmm5
	movdqu 144+32*6(%rdi), %xmm6
	movdqu 144+32*7(%rdi), %xmm7
2:	mov $0x2b, %eax
	mov %eax, %ds
	mov %esi, %es
	mov %edx, %gs
	pushq 128(%rdi)
	popfq
	mov 0(%rdi), %rax
	mov 8(%rdi), %rcx
	mov 16(%rdi), %rdx
	mov 24(%rdi), %rbx
	mov 40(%rdi), %rbp
	mov 48(%rdi), %rsi
	mov 56(%rdi), %rdi
	jmp *dt_stub64(%rip)
	.size dt_native_run32, .-dt_native_run32

	.globl dt_native_back32
	.type dt_native_back32, @function
dt_native_back32:
	push %rdi
	mov 8(%rsp), %rdi	/* [rsp] guest rdi, [rsp+8] state */
	mov %rax, 0(%rdi)
	mov %rcx, 8(%rdi)
	mov %rdx, 16(%rdi)
	mov %rbx, 24(%rdi)
	mov %rbp, 40(%rdi)
	mov %rsi, 48(%rdi)
	pushfq
	popq 128(%rdi)
	pushfq
	andl $0xfffbffff, (%rsp)
	popfq
	cld
	pop %rax
	mov %rax, 56(%rdi)
	cmpl $0, dt_use_avx(%rip)
	je 3f
	vmovdqu %ymm0, 144+32*0(%rdi)
	vmovdqu %ymm1, 144+32*1(%rdi)
	vmovdqu %ymm2, 144+32*2(%rdi)
	vmovdqu %ymm3, 144+32*3(%rdi)
	vmovdqu %ymm4, 144+32*4(%rdi)
	vmovdqu %ymm5, 144+32*5(%rdi)
	vmovdqu %ymm6, 144+32*6(%rdi)
	vmovdqu %ymm7, 144+32*7(%rdi)
	vzeroupper
	jmp 4f
3:	movdqu %xmm0, 144+32*0(%rdi)
	movdqu %xmm1, 144+32*1(%rdi)
	movdqu %xmm2, 144+32*2(%rdi)
	movdqu %xmm3, 144+32*3(%rdi)
	movdqu %xmm4, 144+32*4(%rdi)
	movdqu %xmm5, 144+32*5(%rdi)
	movdqu %xmm6, 144+32*6(%rdi)
	movdqu %xmm7, 144+32*7(%rdi)
4:	xor %eax, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %gs
	mov dt_saved_rsp(%rip), %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size dt_native_back32, .-dt_native_back32

/* The SIGSEGV/SIGBUS/SIGILL handler resumes here (in 64-bit mode) after a fault in the compatibility-
 * mode run, instead of longjmp-ing off the low stack. */
	.globl dt_native_fault32
	.type dt_native_fault32, @function
dt_native_fault32:
	pushfq
	andl $0xfffbffff, (%rsp)
	popfq
	cld
	xor %eax, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %gs
	mov dt_saved_rsp(%rip), %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size dt_native_fault32, .-dt_native_fault32

	.data
	.p2align 3
dt_saved_rsp:
	.quad 0
	.section .note.GNU-stack,"",@progbits
