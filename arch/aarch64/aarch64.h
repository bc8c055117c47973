/* Private to arch/aarch64: what the boot path learns from the device tree for the later stages
 * (console, MMU, exit), the linker's layout symbols, and the assembly helpers. */
#ifndef MANTLE_ARCH_AARCH64_AARCH64_H
#define MANTLE_ARCH_AARCH64_AARCH64_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/aarch64/frame.h"

/* QEMU virt's PL011, used until (and unless) the device tree names another console. */
#define AARCH64_DEFAULT_UART 0x09000000ull
#define AARCH64_MAX_DEVICES 64

enum aarch64_psci_conduit {
	PSCI_CONDUIT_NONE = 0,
	PSCI_CONDUIT_SMC,
	PSCI_CONDUIT_HVC,
};

struct aarch64_range {
	uint64_t base;
	uint64_t size;
};

/* Copied out of the DTB by arch_boot() before core_main() runs; the DTB is not read again. */
struct aarch64_platform {
	uint64_t uart;                       /* PL011 base */
	enum aarch64_psci_conduit psci;
	uint32_t device_count;               /* MMIO ranges of the root's devices, mapped as Device */
	struct aarch64_range devices[AARCH64_MAX_DEVICES];
};

extern struct aarch64_platform aarch64_plat;

/* linker/aarch64.ld */
extern char __image_start[], __image_end[], __text_start[], __text_end[], __rodata_start[],
	__rodata_end[], __data_start[], __bss_start[], __bss_end[], __boot_stack_guard[],
	__boot_stack_bottom[], __boot_stack_top[], __exc_stack_guard[], __exc_stack_bottom[],
	__exc_stack_top[];

/* head.S */
uint64_t arch_semihost(uint64_t op, uint64_t param);
extern const char arch_semihost_insn[];
uint64_t arch_catch_call(void (*fn)(void *), void *arg);
extern const char arch_catch_resume[];
extern struct arch_catch_ctx arch_catch_ctx;
__attribute__((noreturn)) void arch_halt(void);

/* console.c */
void aarch64_console_set_base(uint64_t pa);

/* exception.c: C entry from vectors.S, and the name of an ESR_EL2.EC value */
const char *aarch64_ec_name(uint64_t ec);
void arch_exception(struct arch_frame *fr);

/* boot.c: C entry from head.S */
__attribute__((noreturn)) void arch_boot(uint64_t dtb);

#endif
