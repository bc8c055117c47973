/* A model vCPU behind struct x86emu_ops, shared by the x86emu unit tests, differential test, fuzzer
 * and benchmark. Guest memory is one flat buffer at `mem_base` (physical = linear unless `paging` is
 * set, in which case linear addresses are translated with x86emu_walk() over the same buffer). */
#ifndef MANTLE_TESTS_X86EMU_FAKECPU_H
#define MANTLE_TESTS_X86EMU_FAKECPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/x86emu/walk.h"
#include "core/x86emu/x86emu.h"

struct fake_io {
	uint16_t port;
	uint8_t size;
	bool out;
	uint32_t val;
};

struct fake_cpu {
	uint64_t gpr[16];
	uint64_t rip, rflags;
	struct x86emu_segdesc seg[X86EMU_NR_SEGS];
	uint64_t cr[18]; /* CR0..CR8, [16] EFER, [17] XCR0 */
	uint8_t vec[16][32];
	uint64_t mem_base;
	uint8_t *mem;
	size_t mem_size;
	bool paging;
	struct x86emu_paging pg;
	uint32_t io_in_val;          /* value every port read returns (masked to size) */
	struct fake_io io_log[64];
	unsigned int io_n;
	struct x86emu_exception raised;
	unsigned int raised_n;
	unsigned int mem_ops;        /* number of read/write callbacks */
	unsigned int retry_countdown; /* >0: the n-th memory access returns X86EMU_RETRY */
	bool outside;                /* an access fell outside mem */
	uint64_t last_la;
};

extern const struct x86emu_ops fake_cpu_ops;
extern const struct x86emu_walk_ops fake_walk_ops;

/* Flat 64-bit user-mode state: CS.L, data segments base 0, CR0.PE|PG|WP, CR4 OSFXSR|OSXSAVE|PAE,
 * EFER LME|LMA|NXE, XCR0 x87|SSE|AVX, SS.DPL = cpl. */
void fake_cpu_init64(struct fake_cpu *c, unsigned int cpl);
/* Protected mode with flat 4 GiB segments (db: 32-bit code), or real mode when !prot. */
void fake_cpu_init_legacy(struct fake_cpu *c, bool prot, bool db);

#endif
