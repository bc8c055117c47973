/* x86_64 hardware primitives: the one header through which Mantle executes privileged or
 * TEE-specific instructions.
 *
 * In the image these are inline assembly. In host builds (MANTLE_HOST) the same names are plain
 * function declarations that tests/sim/ implements with platform models, so backend code that uses
 * them links and runs unchanged in unit tests. Nothing else in Mantle writes inline asm for these.
 */
#ifndef MANTLE_ARCH_X86_64_HW_H
#define MANTLE_ARCH_X86_64_HW_H

#include <stdbool.h>
#include <stdint.h>

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

/* PVALIDATE/RMPADJUST page-size operand (AMD APM vol. 3, PVALIDATE). */
#define HW_PAGE_4K 0u
#define HW_PAGE_2M 1u

#ifdef MANTLE_HOST

struct cpuid_regs hw_cpuid(uint32_t leaf, uint32_t subleaf);
uint64_t hw_rdmsr(uint32_t msr);
void hw_wrmsr(uint32_t msr, uint64_t value);
uint8_t hw_inb(uint16_t port);
uint16_t hw_inw(uint16_t port);
uint32_t hw_inl(uint16_t port);
void hw_outb(uint16_t port, uint8_t v);
void hw_outw(uint16_t port, uint16_t v);
void hw_outl(uint16_t port, uint32_t v);
/* Returns PVALIDATE's rax result; *cf receives the carry flag ("no RMP change"). */
uint32_t hw_pvalidate(uint64_t va, uint32_t page_size, uint32_t validate, uint8_t *cf);
uint32_t hw_rmpadjust(uint64_t va, uint32_t page_size, uint64_t attrs);
void hw_vmgexit(void);
/* TDCALL: leaf in rax; the in/out register block is rcx, rdx, r8..r15 in that order. */
uint64_t hw_tdcall(uint64_t leaf, uint64_t regs[10]);
void hw_vmrun(uint64_t vmcb_pa);
void hw_vmload(uint64_t vmcb_pa);
void hw_vmsave(uint64_t vmcb_pa);
void hw_stgi(void);
void hw_clgi(void);

#else

static inline struct cpuid_regs hw_cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t hw_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void hw_wrmsr(uint32_t msr, uint64_t value)
{
	__asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
			 : "memory");
}

static inline uint8_t hw_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t hw_inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t hw_inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void hw_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline void hw_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}

static inline void hw_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint32_t hw_pvalidate(uint64_t va, uint32_t page_size, uint32_t validate, uint8_t *cf)
{
	uint64_t rax = va;

	__asm__ volatile("pvalidate\n\tsetc %1"
			 : "+a"(rax), "=qm"(*cf)
			 : "c"((uint64_t)page_size), "d"((uint64_t)validate)
			 : "memory", "cc");
	return (uint32_t)rax;
}

static inline uint32_t hw_rmpadjust(uint64_t va, uint32_t page_size, uint64_t attrs)
{
	uint64_t rax = va;

	__asm__ volatile("rmpadjust" : "+a"(rax) : "c"((uint64_t)page_size), "d"(attrs)
			 : "memory", "cc");
	return (uint32_t)rax;
}

static inline void hw_vmgexit(void)
{
	__asm__ volatile("rep; vmmcall" ::: "memory");
}

static inline uint64_t hw_tdcall(uint64_t leaf, uint64_t regs[10])
{
	register uint64_t r8 __asm__("r8") = regs[2];
	register uint64_t r9 __asm__("r9") = regs[3];
	register uint64_t r10 __asm__("r10") = regs[4];
	register uint64_t r11 __asm__("r11") = regs[5];
	register uint64_t r12 __asm__("r12") = regs[6];
	register uint64_t r13 __asm__("r13") = regs[7];
	register uint64_t r14 __asm__("r14") = regs[8];
	register uint64_t r15 __asm__("r15") = regs[9];
	uint64_t rax = leaf, rcx = regs[0], rdx = regs[1];

	__asm__ volatile("tdcall"
			 : "+a"(rax), "+c"(rcx), "+d"(rdx), "+r"(r8), "+r"(r9), "+r"(r10), "+r"(r11),
			   "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15)
			 :
			 : "memory");
	regs[0] = rcx;
	regs[1] = rdx;
	regs[2] = r8;
	regs[3] = r9;
	regs[4] = r10;
	regs[5] = r11;
	regs[6] = r12;
	regs[7] = r13;
	regs[8] = r14;
	regs[9] = r15;
	return rax;
}

static inline void hw_vmrun(uint64_t vmcb_pa)
{
	__asm__ volatile("vmrun" ::"a"(vmcb_pa) : "memory");
}

static inline void hw_vmload(uint64_t vmcb_pa)
{
	__asm__ volatile("vmload" ::"a"(vmcb_pa) : "memory");
}

static inline void hw_vmsave(uint64_t vmcb_pa)
{
	__asm__ volatile("vmsave" ::"a"(vmcb_pa) : "memory");
}

static inline void hw_stgi(void)
{
	__asm__ volatile("stgi" ::: "memory");
}

static inline void hw_clgi(void)
{
	__asm__ volatile("clgi" ::: "memory");
}

#endif /* MANTLE_HOST */

/* Control registers and descriptor tables only matter inside the image; host tests never need them. */
#ifndef MANTLE_HOST

static inline uint64_t hw_read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint64_t hw_read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t hw_read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint64_t hw_read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void hw_write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" ::"r"(v) : "memory"); }
static inline void hw_write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
static inline void hw_write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }

static inline uint64_t hw_read_rflags(void)
{
	uint64_t v;

	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

static inline uint64_t hw_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* RDSEED / RDRAND: true with *v set when the CPU delivered a value (CF=1). */
static inline bool hw_rdseed64(uint64_t *v)
{
	uint8_t ok;

	__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
	return ok;
}

static inline bool hw_rdrand64(uint64_t *v)
{
	uint8_t ok;

	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
	return ok;
}

/* Requires CR4.OSXSAVE (set by setup.c when the CPU has XSAVE). */
static inline uint64_t hw_xgetbv(uint32_t index)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(index));
	return ((uint64_t)hi << 32) | lo;
}

static inline void hw_cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void hw_sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hw_hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline void hw_pause(void) { __asm__ volatile("pause"); }

#endif

#endif
