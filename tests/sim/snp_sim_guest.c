/* The guest vCPU model behind "Run VMPL" (see snp_sim.h for the instruction set and exits). */
#include "tests/sim/snp_sim.h"

#include <string.h>

#define EFER_SVME (1ull << 12)
#define MAX_STEPS 10000u
#define MMIO_BASE SNP_SIM_MEM_SIZE
#define RFLAGS_IF (1ull << 9)

/* A virtual interrupt posted in VINTR_CTRL is taken as soon as the guest has IF = 1. */
static void take_virtual_irq(struct snp_vmsa *s)
{
	if (!(s->vintr_ctrl & SNP_VINTR_V_IRQ) || !(s->rflags & RFLAGS_IF))
		return;
	if (snp_sim.guest_event_count < 16)
		snp_sim.guest_events[snp_sim.guest_event_count++] =
			((s->vintr_ctrl >> SNP_VINTR_VECTOR_SHIFT) & 0xff) | SVM_EVTINJ_TYPE_INTR | SVM_EVTINJ_VALID;
	s->vintr_ctrl &= ~SNP_VINTR_V_IRQ;
}

static void vc_exit(struct snp_vmsa *s, uint64_t code, uint64_t info1, uint64_t info2)
{
	s->guest_exit_code = code;
	s->guest_exit_info1 = info1;
	s->guest_exit_info2 = info2;
}

/* Checks the guest's access to guest RAM at `gpa`; false (and the exit set) if it cannot proceed. */
static bool ram_ok(struct snp_vmsa *s, uint8_t vmpl, uint64_t gpa, uint32_t len, uint8_t perm)
{
	for (uint64_t a = gpa & ~0xfffull; a < gpa + len; a += 4096) {
		const struct snp_sim_rmp *e = &snp_sim.rmp[a >> 12];
		if (!e->assigned || !e->validated) {
			vc_exit(s, SVM_EXIT_PAGE_NOT_VALIDATED, 0, a);
			return false;
		}
		if ((e->perms[vmpl] & perm) != perm) {
			vc_exit(s, SVM_EXIT_SHUTDOWN, 0, 0);
			return false;
		}
	}
	return true;
}

static uint32_t rd32(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, snp_sim_ptr(gpa), 4);
	return v;
}

static uint64_t ioio(uint16_t port, bool in, bool wide)
{
	return ((uint64_t)port << SVM_IOIO_PORT_SHIFT) | (in ? SVM_IOIO_IN : 0) |
	       (wide ? SVM_IOIO_SZ32 : SVM_IOIO_SZ8);
}

/* Executes one instruction; returns false when it exits to VMPL0. */
static bool step(struct snp_vmsa *s, uint8_t vmpl)
{
	uint64_t rip = s->rip;

	if (rip + 16 > SNP_SIM_MEM_SIZE || !ram_ok(s, vmpl, rip, 16, SNP_RMP_PERM_SUPER_EXEC))
		return rip + 16 > SNP_SIM_MEM_SIZE ? (vc_exit(s, SVM_EXIT_SHUTDOWN, 0, 0), false) : false;
	const uint8_t *b = snp_sim_ptr(rip);
	snp_sim.guest_steps++;
	switch (b[0]) {
	case 0x0f:
		if (b[1] == 0xa2)
			return vc_exit(s, SVM_EXIT_CPUID, 0, 0), false;
		if (b[1] == 0x30 || b[1] == 0x32)
			return vc_exit(s, SVM_EXIT_MSR, b[1] == 0x30, 0), false;
		if (b[1] == 0x01 && b[2] == 0xd9)
			return vc_exit(s, SVM_EXIT_VMMCALL, 0, 0), false;
		break;
	case 0xe4: case 0xe5: case 0xe6: case 0xe7:
		return vc_exit(s, SVM_EXIT_IOIO, ioio(b[1], b[0] < 0xe6, b[0] & 1), rip + 2), false;
	case 0xec: case 0xed: case 0xee: case 0xef:
		return vc_exit(s, SVM_EXIT_IOIO, ioio((uint16_t)s->rdx, b[0] < 0xee, b[0] & 1), rip + 1),
		       false;
	case 0xf4:
		return vc_exit(s, SVM_EXIT_HLT, 0, 0), false;
	case 0xfa: /* CLI */
	case 0xfb: /* STI */
		s->rflags = b[0] == 0xfb ? s->rflags | RFLAGS_IF : s->rflags & ~RFLAGS_IF;
		s->rip += 1;
		return true;
	case 0xb8:
		s->rax = rd32(rip + 1);
		s->rip += 5;
		return true;
	case 0xb9:
		s->rcx = rd32(rip + 1);
		s->rip += 5;
		return true;
	case 0xba:
		s->rdx = rd32(rip + 1);
		s->rip += 5;
		return true;
	case 0x8b: case 0x89: {
		if (b[1] != 0x05)
			break;
		uint64_t gpa = rd32(rip + 2);
		bool write = b[0] == 0x89;
		if (gpa >= MMIO_BASE)
			return vc_exit(s, SVM_EXIT_NPF, write ? SVM_NPF_W : 0, gpa), false;
		if (!ram_ok(s, vmpl, gpa, 4, write ? SNP_RMP_PERM_WRITE : SNP_RMP_PERM_READ))
			return false;
		if (write)
			memcpy(snp_sim_ptr(gpa), &s->rax, 4);
		else
			s->rax = rd32(gpa);
		s->rip += 6;
		return true;
	}
	default:
		break;
	}
	vc_exit(s, SVM_EXIT_SHUTDOWN, 0, 0);
	return false;
}

bool snp_sim_guest_run(uint8_t vmpl)
{
	uint32_t cpu = snp_sim.cpu;
	if (cpu >= SNP_SIM_MAX_VMSAS)
		return false;
	uint64_t gpa = snp_sim.vmsa_gpa[cpu];

	if (!gpa || !snp_sim.vmsa_runnable[cpu] || !snp_sim.rmp[gpa >> 12].vmsa)
		return false;
	struct snp_vmsa *s = snp_sim_ptr(gpa);
	if (s->vmpl != vmpl || !(s->efer & EFER_SVME) || s->sev_features != snp_sim.vmsa_features[cpu])
		return false;
	/* vTOM with VIRTUAL_TOM inside the guest's RAM would make that RAM shared: the guest could not run
	 * (its private memory would be the host's). */
	if ((s->sev_features & SNP_FEAT_VTOM) && s->virtual_tom < SNP_SIM_MEM_SIZE)
		return false;
	/* The host's own injection attempts: with Alternate Injection the CPU ignores them. */
	if (snp_sim.mode & SNP_SIM_HOST_INJECT) {
		if (s->sev_features & (SNP_FEAT_ALTERNATE_INJ | SNP_FEAT_RESTRICTED_INJ))
			snp_sim.inject_blocked++;
		else if (snp_sim.guest_event_count < 16)
			snp_sim.guest_events[snp_sim.guest_event_count++] = 0x30 | SVM_EVTINJ_VALID;
	}
	if (s->event_inj & SVM_EVTINJ_VALID) {
		if (snp_sim.guest_event_count < 16)
			snp_sim.guest_events[snp_sim.guest_event_count++] = s->event_inj;
		s->event_inj = 0;
	}
	if (!(s->sev_features & SNP_FEAT_REFLECT_VC)) {
		/* The unenlightened guest would take #VC itself and fault: model it as a shutdown. */
		vc_exit(s, SVM_EXIT_SHUTDOWN, 0, 0);
		return true;
	}
	for (uint32_t i = 0; i < MAX_STEPS; i++) {
		take_virtual_irq(s);
		if (!step(s, vmpl))
			return true;
	}
	vc_exit(s, 0x60, 0, 0); /* a timer interrupt ends a long run */
	return true;
}
