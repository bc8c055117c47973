/* void svm_enter(uint64_t vmcb_pa, uint64_t host_vmcb_pa, struct svm_gprs *gprs)
 *
 * VMRUN saves and restores only RAX, RSP, RIP and RFLAGS of the host, and loads/saves only part of the
 * guest's state (APM vol. 2, 15.5): the other guest GPRs are loaded and stored here, and the hidden
 * state VMRUN does not switch (FS, GS, TR, LDTR, KernelGSBase, STAR/LSTAR/CSTAR/SFMASK, SYSENTER) is
 * switched with VMLOAD/VMSAVE so the guest's TSS never becomes Mantle's. GIF is clear from VMLOAD to
 * the host's VMLOAD, so nothing interrupts the switch. Offsets follow struct svm_gprs (tee/none/svm.h).
 */
	.text
	.globl svm_enter
svm_enter:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rsi                       /* 16(%rsp): host VMCB */
	push %rdx                       /*  8(%rsp): guest GPR block */
	push %rdi                       /*  0(%rsp): guest VMCB */

	clgi
	mov %rdi, %rax
	vmload %rax

	mov 0(%rdx), %rbx
	mov 8(%rdx), %rcx
	mov 24(%rdx), %rsi
	mov 32(%rdx), %rdi
	mov 40(%rdx), %rbp
	mov 48(%rdx), %r8
	mov 56(%rdx), %r9
	mov 64(%rdx), %r10
	mov 72(%rdx), %r11
	mov 80(%rdx), %r12
	mov 88(%rdx), %r13
	mov 96(%rdx), %r14
	mov 104(%rdx), %r15
	mov 16(%rdx), %rdx

	vmrun %rax
	/* #VMEXIT: RAX, RSP and RIP are the host's again (RAX = guest VMCB). */
	vmsave %rax

	mov 8(%rsp), %rax
	mov %rbx, 0(%rax)
	mov %rcx, 8(%rax)
	mov %rdx, 16(%rax)
	mov %rsi, 24(%rax)
	mov %rdi, 32(%rax)
	mov %rbp, 40(%rax)
	mov %r8, 48(%rax)
	mov %r9, 56(%rax)
	mov %r10, 64(%rax)
	mov %r11, 72(%rax)
	mov %r12, 80(%rax)
	mov %r13, 88(%rax)
	mov %r14, 96(%rax)
	mov %r15, 104(%rax)

	mov 16(%rsp), %rax
	vmload %rax
	stgi

	add $24, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
