/* Shared declarations of the x86emu differential test (difftest.c: 64-bit mode, difftest32.c:
 * compatibility mode). */
#ifndef MANTLE_TESTS_X86EMU_DIFFTEST_H
#define MANTLE_TESTS_X86EMU_DIFFTEST_H

#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tests/x86emu/fakecpu.h"

#define SCRATCH_BASE 0x40000000ull
#define SCRATCH_SIZE 0x4000ull
#define CODE_BASE 0x50000000ull
#define GS_BASE (SCRATCH_BASE - 0x10000000ull)

struct dt_state {
	uint64_t gpr[16];
	uint64_t rflags;
	uint64_t pad;
	uint8_t vec[16][32];
};
_Static_assert(__builtin_offsetof(struct dt_state, rflags) == 128, "native.S layout");
_Static_assert(__builtin_offsetof(struct dt_state, vec) == 144, "native.S layout");

void dt_native_run(struct dt_state *s, void *code, int use_avx);
/* Runs CODE_BASE in compatibility mode with ES/GS loaded from the given LDT selectors. */
void dt_native_run32(struct dt_state *s, uint64_t es_sel, uint64_t gs_sel);
void dt_native_back32(void);
void dt_native_fault32(void);
extern volatile sig_atomic_t dt_in_compat; /* a fault resumes at dt_native_fault32, not by longjmp */
extern uint64_t dt_stub64, dt_stack32_top;

enum kind { K_RM, K_MEM, K_AI, K_OI, K_MOFFS, K_STR, K_V };
enum need { N_NONE, N_MOVBE, N_AVX };
#define SZ_B 1u
#define SZ_W 2u
#define SZ_D 4u
#define SZ_Q 8u
#define SZ_V (SZ_W | SZ_D | SZ_Q)

struct form {
	const char *name;
	uint8_t map;     /* 0 one-byte, 1 0F, 2 0F38 */
	uint8_t opc;
	int8_t digit;    /* ModRM.reg /digit, or -1 */
	uint8_t kind;
	uint8_t imm;     /* 0, 1, 'z' (2/4), 'v' (2/4/8) */
	uint8_t sizes;
	uint8_t pfx;     /* SIMD mandatory prefix byte (0x66/0xf3/0 none) */
	uint8_t vex;     /* 0 legacy, 1 VEX.L0, 2 VEX.L1 */
	uint8_t align;   /* required alignment of the memory operand */
	uint8_t vlen;    /* bytes of memory a vector form accesses */
	uint8_t need;
	uint8_t flags;   /* F_* */
	uint32_t undef;  /* flags the SDM leaves undefined */
};
#define F_LOCK 1  /* LOCK allowed with a memory destination */
#define F_BTREG 2 /* BT with register bit offset: the offset moves the address */
#define F_W 4     /* REX.W / VEX.W selects 64-bit (MOVD/MOVQ) */

struct gen {
	const struct form *f;
	uint8_t b[32];
	unsigned int n;
	unsigned int opsize, addrsize;
	bool mem, gs, a32;
	uint8_t rex;                 /* bits W R X B (0x48 etc.), 0 if none */
	bool force_rex;
	int reg, rm, base, index;    /* register numbers, -1 none */
	unsigned int scale;
	int mode;                    /* memory addressing shape */
	int64_t disp;
	unsigned int disp_size, disp_pos;
	uint64_t target;             /* linear address of the memory operand */
	struct dt_state st;
	uint32_t undef;
	bool gs_down;                /* compatibility mode: GS is the expand-down LDT segment */
};

#define DT_MAX_FORMS 256

struct report {
	unsigned long pass, fail, faults, per_form[DT_MAX_FORMS], skipped[DT_MAX_FORMS];
};

struct dt_fault_ctx {
	uint64_t gpr[16], rip, trapno, err;
};

extern const struct form forms[];
extern const size_t dt_nforms;
extern struct report rep;
extern uint8_t *scratch, *code;
extern uint8_t emu_mem[SCRATCH_SIZE], before[SCRATCH_SIZE];
extern sigjmp_buf native_jmp;
extern volatile sig_atomic_t native_sig;
extern struct dt_fault_ctx fault_ctx;
extern bool dt_have_movbe;
extern int dt_use_avx; /* the host has AVX and the OS enabled YMM state */

uint64_t rnd(void);
unsigned int rn(unsigned int n);
void emit(struct gen *g, uint8_t v);
void emit_le(struct gen *g, uint64_t v, unsigned int n);
void emit_modrm_mem(struct gen *g, unsigned int regf);
void shuffle_emit(struct gen *g, uint8_t *p, unsigned int n);
unsigned int pick_size(uint8_t sizes);
void emit_imm(struct gen *g);
void dump(const struct gen *g, const char *what);
bool dt_compare(const struct gen *g, const struct dt_state *nat, const struct fake_cpu *c,
		enum x86emu_result r, const struct x86emu_insn *insn, uint64_t gmask, bool vec);
bool dt_compare_fault(const struct gen *g, const struct fake_cpu *c, enum x86emu_result r,
		      const struct x86emu_exception *exc, uint64_t gmask);

/* Compatibility-mode phase (difftest32.c): runs `cases` cases with a 32-bit or (code16) 16-bit code
 * segment; returns false if it cannot run. */
bool dt_run_compat(unsigned long cases, bool code16);
/* RIP of the generated instruction as the emulator and the signal context see it (CS-relative). */
extern uint64_t dt_rip_base;

#endif
