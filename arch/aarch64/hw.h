/* aarch64 hardware primitives: system registers, barriers, TLB and cache maintenance, SMCCC calls,
 * MMIO. In the image they are inline assembly; in host builds (MANTLE_HOST) the same names are
 * extern functions so tests/sim can model a CPU (a register file indexed by enum hw_sysreg).
 *
 * Use: hw_read_sysreg(ESR_EL2), hw_write_sysreg(VBAR_EL2, v). Only registers in HW_SYSREGS are
 * accepted, so a model cannot silently miss one the image uses.
 */
#ifndef MANTLE_ARCH_AARCH64_HW_H
#define MANTLE_ARCH_AARCH64_HW_H

#include <stdint.h>

/* Every system register Mantle touches (name as the assembler spells it). */
#define HW_SYSREGS(X)                                                                        \
	X(CurrentEL) X(DAIF) X(SCTLR_EL2) X(HCR_EL2) X(TCR_EL2) X(MAIR_EL2) X(TTBR0_EL2)         \
	X(VBAR_EL2) X(ESR_EL2) X(ELR_EL2) X(FAR_EL2) X(SPSR_EL2) X(HPFAR_EL2) X(VTCR_EL2)        \
	X(VTTBR_EL2) X(CPTR_EL2) X(MDCR_EL2) X(CNTHCTL_EL2) X(CNTVOFF_EL2) X(SP_EL0)             \
	X(ID_AA64MMFR0_EL1) X(ID_AA64PFR0_EL1) X(MIDR_EL1) X(MPIDR_EL1) X(CNTFRQ_EL0)            \
	X(CNTPCT_EL0)

enum hw_sysreg {
#define HW_SYSREG_ENUM(r) HW_SYSREG_##r,
	HW_SYSREGS(HW_SYSREG_ENUM)
#undef HW_SYSREG_ENUM
	HW_SYSREG_COUNT
};

/* SMC Calling Convention (Arm DEN 0028) results in x0..x3; x4..x17 may be clobbered by the callee. */
struct hw_smccc_res {
	uint64_t a0, a1, a2, a3;
};

#ifdef MANTLE_HOST

uint64_t hw_sysreg_read(enum hw_sysreg r);
void hw_sysreg_write(enum hw_sysreg r, uint64_t v);
#define hw_read_sysreg(r) hw_sysreg_read(HW_SYSREG_##r)
#define hw_write_sysreg(r, v) hw_sysreg_write(HW_SYSREG_##r, (v))

void hw_isb(void);
void hw_dsb_ish(void);
void hw_dsb_sy(void);
void hw_dmb_ish(void);
void hw_tlbi_alle2(void);
void hw_tlbi_vae2(uint64_t va);
void hw_tlbi_vmalls12e1(void);
void hw_ic_iallu(void);
void hw_wfi(void);
void hw_irq_disable(void);
void hw_irq_enable(void);
struct hw_smccc_res hw_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
struct hw_smccc_res hw_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
uint32_t hw_mmio_read32(uint64_t pa);
void hw_mmio_write32(uint64_t pa, uint32_t v);

#else /* image */

/* Every register in HW_SYSREGS; the check makes a typo a build error instead of an assembler error. */
#define hw_read_sysreg(r)                                                      \
	({                                                                     \
		uint64_t v_;                                                   \
		(void)HW_SYSREG_##r;                                           \
		__asm__ volatile("mrs %0, " #r : "=r"(v_));                    \
		v_;                                                            \
	})
#define hw_write_sysreg(r, v)                                                  \
	do {                                                                   \
		(void)HW_SYSREG_##r;                                           \
		__asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory"); \
	} while (0)

static inline void hw_isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

static inline void hw_dsb_ish(void)
{
	__asm__ volatile("dsb ish" : : : "memory");
}

static inline void hw_dsb_sy(void)
{
	__asm__ volatile("dsb sy" : : : "memory");
}

static inline void hw_dmb_ish(void)
{
	__asm__ volatile("dmb ish" : : : "memory");
}

/* All EL2 stage-1 translations (non-VHE EL2 regime). */
static inline void hw_tlbi_alle2(void)
{
	__asm__ volatile("tlbi alle2" : : : "memory");
}

static inline void hw_tlbi_vae2(uint64_t va)
{
	__asm__ volatile("tlbi vae2, %0" : : "r"(va >> 12) : "memory");
}

/* Stage 1 and 2 translations of the current VMID. */
static inline void hw_tlbi_vmalls12e1(void)
{
	__asm__ volatile("tlbi vmalls12e1" : : : "memory");
}

static inline void hw_ic_iallu(void)
{
	__asm__ volatile("ic iallu" : : : "memory");
}

static inline void hw_wfi(void)
{
	__asm__ volatile("wfi" : : : "memory");
}

static inline void hw_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

static inline void hw_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

#define HW_SMCCC_CALL(insn)                                                                  \
	register uint64_t x0_ __asm__("x0") = fid;                                           \
	register uint64_t x1_ __asm__("x1") = a1;                                            \
	register uint64_t x2_ __asm__("x2") = a2;                                            \
	register uint64_t x3_ __asm__("x3") = a3;                                            \
	__asm__ volatile(insn " #0" : "+r"(x0_), "+r"(x1_), "+r"(x2_), "+r"(x3_) : :              \
			 "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",  \
			 "x15", "x16", "x17", "memory");                                          \
	return (struct hw_smccc_res){ x0_, x1_, x2_, x3_ }

static inline struct hw_smccc_res hw_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	HW_SMCCC_CALL("smc");
}

static inline struct hw_smccc_res hw_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	HW_SMCCC_CALL("hvc");
}

static inline uint32_t hw_mmio_read32(uint64_t pa)
{
	return *(volatile uint32_t *)(uintptr_t)pa;
}

static inline void hw_mmio_write32(uint64_t pa, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)pa = v;
}

#endif /* MANTLE_HOST */

/* Field layouts used by arch/aarch64 (Arm ARM DDI 0487, chapter D17 register descriptions). */
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_IL (1ull << 25)
#define ESR_ISS(esr) ((esr) & 0x1ffffff)
#define ESR_FSC(esr) ((esr) & 0x3f)      /* data/instruction aborts: DFSC/IFSC */
#define ESR_WNR (1ull << 6)              /* data aborts: write not read */

#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_HVC64 0x16
#define ESR_EC_SMC64 0x17
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25

#define SCTLR_EL2_M (1ull << 0)
#define SCTLR_EL2_A (1ull << 1)
#define SCTLR_EL2_C (1ull << 2)
#define SCTLR_EL2_SA (1ull << 3)
#define SCTLR_EL2_I (1ull << 12)
#define SCTLR_EL2_WXN (1ull << 19)
#define SCTLR_EL2_EE (1ull << 25)
/* RES1 bits of SCTLR_EL2 when HCR_EL2.E2H is 0: 4, 5, 11, 16, 18, 22, 23, 28, 29. */
#define SCTLR_EL2_RES1 0x30c50830ull

#define HCR_EL2_RW (1ull << 31)

#define DAIF_I (1ull << 7)

#endif
