/* x86 instruction emulator for MMIO and port-I/O exits.
 *
 * The emulator is pure: it decodes guest-supplied bytes with x86emu_decode() and carries them out with
 * x86emu_execute(). Every side effect goes through a const struct x86emu_ops supplied by the caller
 * (guest linear memory, instruction fetch, registers, segments, control registers, vector registers,
 * port I/O, exception delivery). It never touches VMCB/VMSA/TD state itself, so the same sources build
 * into the image, the host unit tests, the differential test against the host CPU and the fuzzer.
 *
 * Guest input is hostile: instructions are at most 15 bytes, every table index is bounded, and an
 * opcode the emulator does not implement is reported as X86EMU_UNHANDLEABLE, never guessed.
 * docs/x86emu.md lists every supported form.
 */
#ifndef MANTLE_CORE_X86EMU_X86EMU_H
#define MANTLE_CORE_X86EMU_X86EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Architectural limit on instruction length (Intel SDM Vol. 2 §2.3.11, AMD APM Vol. 3 §1.1). */
#define X86EMU_MAX_INSN_LEN 15u

/* The closed set of outcomes. Each says exactly what was modified. */
enum x86emu_result {
	/* The instruction completed: its register, flag and memory effects are committed and RIP points
	 * at the next instruction. (A REP string instruction that reached the emulator's iteration budget
	 * also returns DONE with RCX/RSI/RDI updated and RIP left on the instruction, exactly as hardware
	 * does when it takes an interrupt between iterations: re-entering the guest resumes it.) */
	X86EMU_DONE = 0,
	/* The emulator does not handle this instruction (unknown or refused opcode, prefix combination or
	 * operand). Nothing was modified: no register, flag, memory or port was written. */
	X86EMU_UNHANDLEABLE = 1,
	/* An exception must be delivered to the guest; ops->raise() has been called with it and it is also
	 * in emu->exc. Architectural state is as the CPU leaves it at a fault: RIP still points at the
	 * instruction, and only completed REP iterations (RCX/RSI/RDI) have been committed. */
	X86EMU_EXCEPTION = 2,
	/* An ops callback asked to be called again later (e.g. the host has not answered an I/O request).
	 * State is as for X86EMU_EXCEPTION without the exception: RIP still points at the instruction and
	 * only completed REP iterations are committed. Re-running the instruction is safe. */
	X86EMU_RETRY = 3,
};

enum x86emu_mode {
	X86EMU_MODE_REAL = 0,   /* real mode (and unreal: limits come from the descriptor cache) */
	X86EMU_MODE_PROT16 = 1, /* protected or compatibility mode, CS.D = 0 */
	X86EMU_MODE_PROT32 = 2, /* protected or compatibility mode, CS.D = 1 */
	X86EMU_MODE_LONG64 = 3, /* 64-bit mode (EFER.LMA = 1, CS.L = 1) */
};

/* General-purpose registers, in the encoding's order (SDM Vol. 2 Table 2-2). */
enum x86emu_gpr {
	X86EMU_RAX, X86EMU_RCX, X86EMU_RDX, X86EMU_RBX, X86EMU_RSP, X86EMU_RBP, X86EMU_RSI, X86EMU_RDI,
	X86EMU_R8, X86EMU_R9, X86EMU_R10, X86EMU_R11, X86EMU_R12, X86EMU_R13, X86EMU_R14, X86EMU_R15,
	X86EMU_NR_GPRS
};

/* Segment registers, in the encoding's order (sreg field of MOV Sreg). */
enum x86emu_seg {
	X86EMU_ES, X86EMU_CS, X86EMU_SS, X86EMU_DS, X86EMU_FS, X86EMU_GS, X86EMU_NR_SEGS
};

/* Register numbers for ops->read_cr: CR0..CR8 by number, plus EFER and XCR0. */
#define X86EMU_CR_EFER 16u
#define X86EMU_CR_XCR0 17u

/* Hidden part of a segment register, in the VMCB attribute layout (AMD APM Vol. 2 §15.5.1):
 * attr bits 3:0 type, 4 S, 6:5 DPL, 7 P, 8 AVL, 9 L, 10 D/B, 11 G. `limit` is the expanded byte
 * limit. A segment with P = 0 is unusable. */
struct x86emu_segdesc {
	uint64_t base;
	uint32_t limit;
	uint16_t sel;
	uint16_t attr;
};
_Static_assert(sizeof(struct x86emu_segdesc) == 16, "segment descriptor cache layout");

#define X86EMU_SEG_ATTR_TYPE 0x000fu
#define X86EMU_SEG_ATTR_S 0x0010u
#define X86EMU_SEG_ATTR_DPL_SHIFT 5
#define X86EMU_SEG_ATTR_P 0x0080u
#define X86EMU_SEG_ATTR_L 0x0200u
#define X86EMU_SEG_ATTR_DB 0x0400u
#define X86EMU_SEG_ATTR_G 0x0800u

/* RFLAGS bits (SDM Vol. 1 §3.4.3). */
#define X86EMU_FLAG_CF (1u << 0)
#define X86EMU_FLAG_PF (1u << 2)
#define X86EMU_FLAG_AF (1u << 4)
#define X86EMU_FLAG_ZF (1u << 6)
#define X86EMU_FLAG_SF (1u << 7)
#define X86EMU_FLAG_TF (1u << 8)
#define X86EMU_FLAG_IF (1u << 9)
#define X86EMU_FLAG_DF (1u << 10)
#define X86EMU_FLAG_OF (1u << 11)
#define X86EMU_FLAG_IOPL (3u << 12)
#define X86EMU_FLAG_RF (1u << 16)
#define X86EMU_FLAG_VM (1u << 17)
#define X86EMU_FLAG_AC (1u << 18)
#define X86EMU_FLAGS_ARITH (X86EMU_FLAG_CF | X86EMU_FLAG_PF | X86EMU_FLAG_AF | X86EMU_FLAG_ZF | \
			    X86EMU_FLAG_SF | X86EMU_FLAG_OF)

/* Exception vectors (SDM Vol. 3 Table 6-1). */
#define X86EMU_EXC_DE 0u
#define X86EMU_EXC_UD 6u
#define X86EMU_EXC_NM 7u
#define X86EMU_EXC_SS 12u
#define X86EMU_EXC_GP 13u
#define X86EMU_EXC_PF 14u
#define X86EMU_EXC_AC 17u

/* #PF error code bits (SDM Vol. 3 §4.7). */
#define X86EMU_PF_P (1u << 0)
#define X86EMU_PF_W (1u << 1)
#define X86EMU_PF_U (1u << 2)
#define X86EMU_PF_RSVD (1u << 3)
#define X86EMU_PF_I (1u << 4)
#define X86EMU_PF_PK (1u << 5)

struct x86emu_exception {
	uint8_t vector;
	bool has_error_code;
	uint32_t error_code;
	uint64_t cr2; /* faulting linear address, for #PF */
};

/* Access kinds passed to the memory callbacks (and to x86emu_walk()), so a callback that translates
 * through the guest page tables can build the right #PF error code. */
#define X86EMU_ACC_WRITE (1u << 0)    /* write (or the write half of a read-modify-write) */
#define X86EMU_ACC_USER (1u << 1)     /* CPL 3 access subject to U/S checks */
#define X86EMU_ACC_FETCH (1u << 2)    /* instruction fetch */
#define X86EMU_ACC_IMPLICIT (1u << 3) /* implicit supervisor access (SMAP ignores RFLAGS.AC) */

struct x86emu_ops {
	/* Guest linear memory. A call never crosses a 4 KiB page boundary (the emulator splits accesses)
	 * and len is 1..32. Returns X86EMU_DONE, or X86EMU_EXCEPTION after filling *exc (e.g. a #PF
	 * from the guest page tables), or X86EMU_RETRY / X86EMU_UNHANDLEABLE. */
	enum x86emu_result (*read)(void *ctx, uint64_t la, void *buf, uint32_t len, uint32_t acc,
				   struct x86emu_exception *exc);
	enum x86emu_result (*write)(void *ctx, uint64_t la, const void *buf, uint32_t len, uint32_t acc,
				    struct x86emu_exception *exc);
	/* Checks that a read/write of `len` bytes at `la` would succeed (translation, permissions, and
	 * that the caller can carry it out) without touching memory. Same results as read/write. The
	 * emulator probes destinations before any side effect (port input for INS, the source read of
	 * MOVS, the first page of a page-crossing write), so X86EMU_UNHANDLEABLE or a fault never
	 * follows a partial effect. */
	enum x86emu_result (*probe)(void *ctx, uint64_t la, uint32_t len, uint32_t acc,
				    struct x86emu_exception *exc);
	/* Instruction fetch; same contract as read. */
	enum x86emu_result (*fetch)(void *ctx, uint64_t la, void *buf, uint32_t len, uint32_t acc,
				    struct x86emu_exception *exc);
	uint64_t (*read_gpr)(void *ctx, enum x86emu_gpr reg);
	void (*write_gpr)(void *ctx, enum x86emu_gpr reg, uint64_t val);
	uint64_t (*read_rip)(void *ctx);
	void (*write_rip)(void *ctx, uint64_t rip);
	uint64_t (*read_rflags)(void *ctx);
	void (*write_rflags)(void *ctx, uint64_t rflags);
	void (*read_seg)(void *ctx, enum x86emu_seg seg, struct x86emu_segdesc *out);
	/* CR0, CR2, CR3, CR4, CR8 by number; X86EMU_CR_EFER; X86EMU_CR_XCR0. */
	uint64_t (*read_cr)(void *ctx, unsigned int cr);
	/* Vector register `reg` (0..15): `len` is 16 (XMM) or 32 (YMM) bytes, little-endian. A 16-byte
	 * write leaves bits 255:128 alone (legacy SSE); VEX.128 writes pass 32 bytes with the top zero. */
	void (*read_vec)(void *ctx, unsigned int reg, uint8_t *out, uint32_t len);
	void (*write_vec)(void *ctx, unsigned int reg, const uint8_t *in, uint32_t len);
	/* Port I/O of size 1, 2 or 4. */
	enum x86emu_result (*io_in)(void *ctx, uint16_t port, uint32_t size, uint32_t *val,
				    struct x86emu_exception *exc);
	enum x86emu_result (*io_out)(void *ctx, uint16_t port, uint32_t size, uint32_t val,
				     struct x86emu_exception *exc);
	/* Called once before x86emu_execute()/x86emu_emulate() returns X86EMU_EXCEPTION. */
	void (*raise)(void *ctx, const struct x86emu_exception *exc);
};

/* A decoded instruction. Filled by x86emu_decode(); read-only to callers. */
struct x86emu_insn {
	uint8_t len;
	uint8_t mode;       /* enum x86emu_mode */
	uint8_t op;         /* internal operation id (core/x86emu/decode.h) */
	uint8_t form;       /* operand form (core/x86emu/decode.h) */
	uint8_t opc;        /* last opcode byte */
	uint8_t map;        /* 0: one-byte, 1: 0F, 2: 0F38, 3: 0F3A */
	uint8_t opsize;     /* operand size in bytes: 1, 2, 4, 8 (16/32 for vector ops) */
	uint8_t addrsize;   /* 2, 4 or 8 */
	uint8_t seg;        /* enum x86emu_seg of the memory operand */
	uint8_t rep;        /* 0, 0xf2 or 0xf3 */
	uint8_t rex;        /* REX byte (0x40..0x4f) or 0 */
	bool lock;
	bool has_modrm;
	bool mem;           /* ModRM names memory */
	bool rip_rel;
	bool vex;
	uint8_t vex_l;      /* VEX.L */
	uint8_t vex_pp;     /* VEX.pp, or the mandatory prefix of legacy SSE (0 none, 1 66, 2 F3, 3 F2) */
	uint8_t modrm_mod, modrm_reg, modrm_rm; /* reg and rm include REX.R / REX.B */
	uint8_t base, index, scale;            /* base/index are GPR numbers or 0xff for none */
	uint8_t imm_size;
	uint8_t align;      /* required memory alignment of a vector access (0: none) */
	uint16_t dflags;    /* decoder table flags (core/x86emu/decode.h) */
	int64_t disp;
	uint64_t imm;
	uint64_t imm2;
};

struct x86emu {
	const struct x86emu_ops *ops;
	void *ctx;
	enum x86emu_mode mode;
	/* Maximum REP iterations per x86emu_execute() call (0 means the default, 4096). */
	uint32_t rep_budget;
	/* Set when X86EMU_EXCEPTION is returned. */
	struct x86emu_exception exc;
	/* Internal: the executor asked to leave RIP on the instruction (REP budget reached). */
	bool hold_rip;
	/* Internal: CPL + 1 once read during this instruction, 0 before (reset by x86emu_execute). */
	uint8_t cpl_cache;
};

/* Decodes up to `avail` bytes of `bytes` in `mode`. Returns X86EMU_DONE with *insn filled;
 * X86EMU_EXCEPTION with *exc set for an encoding the CPU rejects with #UD (e.g. LOCK on a non-lockable
 * form, more than 15 bytes); X86EMU_RETRY if `avail` bytes are not enough to finish decoding (the
 * caller fetches more or reports the fetch fault); X86EMU_UNHANDLEABLE for anything not supported. */
__attribute__((warn_unused_result))
enum x86emu_result x86emu_decode(struct x86emu_insn *insn, enum x86emu_mode mode, const uint8_t *bytes,
				 size_t avail, struct x86emu_exception *exc);

/* Executes a decoded instruction through emu->ops. See enum x86emu_result for what is modified. */
__attribute__((warn_unused_result))
enum x86emu_result x86emu_execute(struct x86emu *emu, const struct x86emu_insn *insn);

/* Fetches the instruction at CS:RIP through ops->fetch (at most 15 bytes, split at page boundaries),
 * decodes and executes it. */
__attribute__((warn_unused_result))
enum x86emu_result x86emu_emulate(struct x86emu *emu, struct x86emu_insn *insn);

/* The mode the CPU is in, from CR0.PE, EFER.LMA and the CS attributes (L, D). Virtual-8086 mode is
 * not modelled: a caller that sees RFLAGS.VM must not emulate (its segmentation and IOPL rules differ). */
enum x86emu_mode x86emu_mode_of(uint64_t cr0, uint64_t efer, uint16_t cs_attr);

#endif
