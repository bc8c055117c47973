/* Layouts shared by the assembly (vectors.S, head.S) and C (exception.c). The C side pins every
 * offset with static_assert, so the two cannot drift apart. */
#ifndef MANTLE_ARCH_AARCH64_FRAME_H
#define MANTLE_ARCH_AARCH64_FRAME_H

/* struct arch_frame: saved by every vector entry on the exception stack (SP_EL2). */
#define FRAME_X0 0
#define FRAME_SP_EL0 248
#define FRAME_SP_ELX 256
#define FRAME_ELR 264
#define FRAME_SPSR 272
#define FRAME_ESR 280
#define FRAME_FAR 288
#define FRAME_KIND 296
#define FRAME_SIZE 304

/* struct arch_catch_ctx: arch_catch_call()'s saved callee-saved state (x19..x30, sp). */
#define CATCH_REGS 0
#define CATCH_SP 96
#define CATCH_ARMED 104
#define CATCH_ESR 112
#define CATCH_FAR 120
#define CATCH_SIZE 128

#ifndef __ASSEMBLY__
#include <stdint.h>

struct arch_frame {
	uint64_t x[31];
	uint64_t sp_el0;     /* SP_EL0 at entry: the interrupted stack when SPSR.M is EL2t */
	uint64_t sp_elx;     /* SP_EL2 just above this frame: the interrupted stack when EL2h */
	uint64_t elr;        /* written back to ELR_EL2 on return */
	uint64_t spsr;       /* written back to SPSR_EL2 on return */
	uint64_t esr;
	uint64_t far;
	uint64_t kind;       /* vector index 0..15, see enum arch_vector_kind */
};

struct arch_catch_ctx {
	uint64_t regs[12];
	uint64_t sp;
	uint64_t armed;
	uint64_t esr;
	uint64_t far;
};

_Static_assert(__builtin_offsetof(struct arch_frame, sp_el0) == FRAME_SP_EL0, "frame layout");
_Static_assert(__builtin_offsetof(struct arch_frame, sp_elx) == FRAME_SP_ELX, "frame layout");
_Static_assert(__builtin_offsetof(struct arch_frame, elr) == FRAME_ELR, "frame layout");
_Static_assert(__builtin_offsetof(struct arch_frame, spsr) == FRAME_SPSR, "frame layout");
_Static_assert(__builtin_offsetof(struct arch_frame, esr) == FRAME_ESR, "frame layout");
_Static_assert(__builtin_offsetof(struct arch_frame, far) == FRAME_FAR, "frame layout");
_Static_assert(__builtin_offsetof(struct arch_frame, kind) == FRAME_KIND, "frame layout");
_Static_assert(sizeof(struct arch_frame) == FRAME_SIZE && FRAME_SIZE % 16 == 0, "frame size");
_Static_assert(__builtin_offsetof(struct arch_catch_ctx, sp) == CATCH_SP, "catch layout");
_Static_assert(__builtin_offsetof(struct arch_catch_ctx, armed) == CATCH_ARMED, "catch layout");
_Static_assert(__builtin_offsetof(struct arch_catch_ctx, esr) == CATCH_ESR, "catch layout");
_Static_assert(__builtin_offsetof(struct arch_catch_ctx, far) == CATCH_FAR, "catch layout");
_Static_assert(sizeof(struct arch_catch_ctx) == CATCH_SIZE, "catch size");
#endif

#endif
