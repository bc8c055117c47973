/* Ending a run: semihosting SYS_EXIT first (QEMU exits with our status), then PSCI SYSTEM_OFF,
 * then WFI forever. Reentrant: a fault while trying one step moves on to the next. */
#include "core/arch.h"
#include "core/console.h"

#include "arch/aarch64/aarch64.h"
#include "arch/aarch64/hw.h"

/* Semihosting for AArch64 (Arm IHI 0059): SYS_EXIT with a parameter block {reason, subcode}. */
#define SEMIHOST_SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
/* PSCI (Arm DEN 0022) SYSTEM_OFF, SMC32 function ID. */
#define PSCI_SYSTEM_OFF 0x84000008u

void arch_exit(enum mantle_exit code)
{
	static volatile int stage;

	hw_irq_disable();
	if (stage == 0) {
		stage = 1;
		uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uint64_t)code };
		(void)arch_semihost(SEMIHOST_SYS_EXIT, (uint64_t)(uintptr_t)block);
	}
	if (stage == 1) {
		stage = 2;
		if (aarch64_plat.psci == PSCI_CONDUIT_SMC) {
			(void)hw_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
		} else if (aarch64_plat.psci == PSCI_CONDUIT_HVC) {
			/* At EL2 an HVC is taken by Mantle itself, so an hvc conduit cannot reach PSCI. */
			console_printf_nolock("mantle: PSCI conduit is hvc, unusable at EL2; halting\n");
		}
	}
	console_printf_nolock("mantle: halted (exit code %d)\n", (int)code);
	arch_halt();
}
