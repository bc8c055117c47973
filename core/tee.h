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

/* Results of the confidential-service operations (mem_accept ... derive_key). Every failure leaves
 * the backend's memory state as it was before the call unless the comment of the op says otherwise. */
enum tee_status {
	TEE_OK = 0,
	TEE_ERR_UNSUPPORTED = -1,   /* the backend has no such service (e.g. `none`) */
	TEE_ERR_INVALID = -2,       /* bad range/arguments, or a page in the wrong state: nothing done */
	TEE_ERR_HOST = -3,          /* the untrusted host refused or misbehaved */
	TEE_ERR_SIZE = -4,          /* output buffer too small: *len holds the size needed */
	TEE_ERR_PLATFORM = -5,      /* the TEE firmware (PSP, TDX module) answered with an error */
};

/* Size of the largest attestation evidence any backend returns (SNP: ATTESTATION_REPORT, 0x4A0). */
#define TEE_ATTEST_MAX 0x4a0u

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

	/* Confidential services (enum tee_status). A backend without one points at the tee_absent_*
	 * functions below, so every call site stays unconditional. */
	/* Accepts guest pages [gpa, gpa + pages * 4 KiB) for the guest, each exactly once (SNP: PSC to
	 * private, PVALIDATE, RMPADJUST to the guest's VMPL). Mantle's own pages are refused. */
	int (*mem_accept)(uint64_t gpa, uint64_t pages);
	/* Converts pages between private and shared (bounce buffers, device DMA). Going shared wipes the
	 * pages first; going private wipes what the host left. Guest RAM made private is the guest's
	 * again; Mantle's pages stay Mantle's. */
	int (*mem_set_shared)(uint64_t gpa, uint64_t pages, bool shared);
	/* Hardware-signed evidence of Mantle's launch binding report_data (SNP: the ATTESTATION_REPORT
	 * for VMPL0). *len is the capacity of `out` on entry and the evidence's size on return. */
	int (*attest)(const uint8_t report_data[64], uint8_t *out, uint32_t *len);
	/* A 32-byte key bound to the platform, Mantle's launch measurement and `context`, the same at
	 * every boot of the same image on the same platform (e.g. to seal vTPM state). */
	int (*derive_key)(uint32_t context, uint8_t key[32]);
};

/* The "not supported" answers for backends without confidential services. */
int tee_absent_mem_accept(uint64_t gpa, uint64_t pages);
int tee_absent_mem_set_shared(uint64_t gpa, uint64_t pages, bool shared);
int tee_absent_attest(const uint8_t report_data[64], uint8_t *out, uint32_t *len);
int tee_absent_derive_key(uint32_t context, uint8_t key[32]);

/* Pages a launch placed for a backend inside Mantle's own memory, at addresses the measured image
 * knows (IGVM: boot/igvm_layout.h). The boot path records them; the backend reads them at init.
 * 0 = none (e.g. PVH boot). */
enum tee_launch_page {
	TEE_LAUNCH_SNP_SECRETS,     /* SNP secrets page (VMPCKs), filled by the PSP */
	TEE_LAUNCH_SNP_CPUID,       /* SNP CPUID page, filled by the launcher and checked by the PSP */
	TEE_LAUNCH_PAGE_COUNT,
};
void tee_set_launch_page(enum tee_launch_page which, uint64_t gpa);
uint64_t tee_launch_page(enum tee_launch_page which);

/* Ranges of Mantle's memory whose every page the launch itself loaded (IGVM: the measured boot region
 * and image), recorded by the boot path. A backend that must validate memory before use (SNP) treats
 * only these as validated by the launch; any other page of Mantle's it validates itself. None
 * recorded (PVH boot, tests): the backend's own default applies. */
#define TEE_LAUNCH_RANGES_MAX 4u
struct tee_range {
	uint64_t base, size;
};
void tee_add_launch_range(uint64_t base, uint64_t size);
void tee_clear_launch_ranges(void);
/* The recorded ranges; returns how many. */
uint32_t tee_launch_ranges(const struct tee_range **ranges);

/* Early acceptance: memory Mantle takes for itself before any backend is selected (the core's page
 * pool) must be made usable first on platforms where touching unaccepted memory faults (SNP:
 * PVALIDATE). The platform's early hook registers the function; the core calls tee_early_accept()
 * before the first access. Without a registered function it succeeds and does nothing. */
typedef int (*tee_early_accept_fn)(uint64_t base, uint64_t size);
void tee_set_early_accept(tee_early_accept_fn fn);
int tee_early_accept(uint64_t base, uint64_t size);

#define TEE_BACKEND(sym)                                                              \
	static const struct tee_backend *const sym##_registration                     \
		__attribute__((used, section("mantle_tee"))) = &sym

/* The chosen backend, or NULL if none fits (`want` = "" probes all). */
const struct tee_backend *tee_select(const char *want);

#endif
