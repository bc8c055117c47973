/* x86_64 exception frames, reporting and the self-test fault catcher. */
#ifndef MANTLE_ARCH_X86_64_EXCEPTION_H
#define MANTLE_ARCH_X86_64_EXCEPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What vectors.S leaves on the stack: GPRs pushed by the common stub, then the vector and error code
 * pushed by the per-vector stub, then the CPU's interrupt frame (SDM vol. 3, 6.14.2). */
struct x86_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct x86_frame) == 22 * 8, "vectors.S pushes 17 qwords above the CPU's 5");
_Static_assert(offsetof(struct x86_frame, vector) == 15 * 8, "vectors.S: vector above the 15 GPRs");

/* Saved by x86_catch_call (vectors.S) at these exact offsets; the fault fields are filled in by the
 * exception handler when the armed call faults. */
struct x86_catch {
	uint64_t rbx, rbp, r12, r13, r14, r15;
	uint64_t rsp, resume_rip;
	/* results */
	uint64_t vector, error, rip, cr2;
	bool verbose; /* print every register in the report, as for an unexpected exception */
};
_Static_assert(offsetof(struct x86_catch, rsp) == 48, "vectors.S stores RSP at 48");
_Static_assert(offsetof(struct x86_catch, resume_rip) == 56, "vectors.S stores the resume RIP at 56");

/* #PF error code bits (SDM vol. 3, 4.7). */
#define PF_P (1u << 0)
#define PF_W (1u << 1)
#define PF_U (1u << 2)
#define PF_RSVD (1u << 3)
#define PF_I (1u << 4)

#define X86_VEC_DE 0
#define X86_VEC_NMI 2
#define X86_VEC_UD 6
#define X86_VEC_DF 8
#define X86_VEC_GP 13
#define X86_VEC_PF 14
#define X86_VEC_MC 18
#define X86_VEC_HV 28 /* hypervisor injection (SEV-SNP Restricted Injection) */
#define X86_VEC_VC 29 /* VMM communication (SEV-ES/SNP), error code = the exit code */

/* Returns 0 if fn(arg) returned, 1 if it faulted (details in *ctx). Not reentrant: one armed catch. */
uint64_t x86_catch_call(void (*fn)(void *), void *arg, struct x86_catch *ctx);

void x86_exception(struct x86_frame *f);

/* A handler that owns one of the 32 exception vectors (a TEE backend's #VC or #HV). It runs before
 * the self-test catcher and the fatal report, may edit the frame (RIP, GPRs) that iretq resumes, and
 * must not return if it cannot handle the exception. NULL gives the vector back to the default path.
 * The arch stays TEE-neutral: which vectors a backend takes is the backend's business. */
typedef void (*x86_vector_fn)(struct x86_frame *f);
void x86_set_vector_handler(unsigned vector, x86_vector_fn fn);

#endif
