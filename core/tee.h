/* The TEE backend interface: one const table of operations per backend, selected once at boot.
 *
 * The core never names a backend. Backends register themselves with TEE_BACKEND(), which places a
 * pointer in the `.mantle_tee` section; tee_select() probes them in priority order (or the one named
 * by `mantle.tee=` on the command line) and keeps the first that fits the platform it runs on.
 */
#ifndef MANTLE_CORE_TEE_H
#define MANTLE_CORE_TEE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/vp.h"

struct cpuid_result {
	uint32_t eax, ebx, ecx, edx;
};

struct tee_backend {
	const char *name;
	uint32_t priority;          /* higher probes first: confidential backends before `none` */
	/* Guest isolation type reported to the guest (core/cpuid.h ISOLATION_*). */
	uint32_t isolation;
	bool (*probe)(void);
	/* Prepares the platform and the guest's physical address space from core_memmap(); I/O ports
	 * registered on the core's bus (core/bus.h) are intercepted, the rest pass through. */
	int (*init)(void);
	int (*vp_create)(struct vp *vp);
	/* Enters the guest with vp->regs and returns at the next exit with vp->exit filled in and
	 * vp->regs synced. */
	void (*vp_run)(struct vp *vp);
	void (*vp_inject)(struct vp *vp, const struct vp_event *ev);
	/* Reads or writes the guest's vector register `reg` (XMM/YMM 0..15, len 16 or 32, little-endian)
	 * wherever the backend keeps it; used to emulate SSE/AVX moves to MMIO. */
	void (*vp_vec)(struct vp *vp, unsigned reg, uint8_t *buf, uint32_t len, bool write);
	/* Carries out a guest port access on the platform's device (the untrusted host's I/O path). Used
	 * for accesses that exit only because they overlap a port Mantle emulates, e.g. a 32-bit access
	 * to 0xCF8 covering 0xCF9: hardware intercepts by port range, not by register. */
	void (*io_forward)(uint16_t port, uint8_t size, bool in, uint32_t *val);
	/* CPUID as the platform reports it to Mantle, before the guest-facing policy (core/cpuid.c). */
	struct cpuid_result (*cpuid)(uint32_t leaf, uint32_t subleaf);
};

#define TEE_BACKEND(sym)                                                              \
	static const struct tee_backend *const sym##_registration                     \
		__attribute__((used, section("mantle_tee"))) = &sym

/* The chosen backend, or NULL if none fits (`want` = "" probes all). */
const struct tee_backend *tee_select(const char *want);

#endif
