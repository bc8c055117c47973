/* The per-vCPU run loop and the exit dispatch table. */
#include "core/vp.h"

#include "core/bus.h"
#include "core/console.h"
#include "core/x86/cpuid.h"
#include "core/x86/mmio.h"
#include "core/x86/msr.h"
#include "core/panic.h"
#include "core/tee.h"

#define VEC_UD 6
#define VEC_GP 13
#define MASK32 0xffffffffull

void vp_inject_exception(struct vp *vp, uint8_t vector, bool has_error, uint32_t error)
{
	struct vp_event ev = { .type = VP_EVENT_EXCEPTION, .vector = vector, .has_error = has_error,
			       .error = error };

	vp->tee->vp_inject(vp, &ev);
}

void vp_stop(struct vp *vp, uint8_t status)
{
	vp->stop = true;
	vp->stop_status = status > VP_STATUS_GUEST_MAX ? VP_STATUS_GUEST_MAX : status;
}

void vp_request_reset(struct vp *vp)
{
	vp->stop = true;
	vp->reset = true;
}

static enum vp_action inject_gp(struct vp *vp)
{
	vp_inject_exception(vp, VEC_GP, true, 0);
	return VP_INJECT;
}

static enum vp_action inject_ud(struct vp *vp)
{
	vp_inject_exception(vp, VEC_UD, false, 0);
	return VP_INJECT;
}

static enum vp_action on_none(struct vp *vp)
{
	(void)vp;
	return VP_RESUME;
}

static enum vp_action on_cpuid(struct vp *vp)
{
	struct cpuid_result r = cpuid_guest(vp, vp->exit.u.cpuid.leaf, vp->exit.u.cpuid.subleaf);

	vp->regs.gpr[VP_RAX] = r.eax;
	vp->regs.gpr[VP_RBX] = r.ebx;
	vp->regs.gpr[VP_RCX] = r.ecx;
	vp->regs.gpr[VP_RDX] = r.edx;
	return VP_ADVANCE;
}

static enum vp_action on_msr(struct vp *vp)
{
	uint32_t index = vp->exit.u.msr.index;

	if (vp->exit.u.msr.write) {
		uint64_t v = (vp->regs.gpr[VP_RDX] << 32) | (vp->regs.gpr[VP_RAX] & MASK32);
		return msr_guest_write(vp, index, v) == 0 ? VP_ADVANCE : inject_gp(vp);
	}
	uint64_t v;
	if (msr_guest_read(vp, index, &v) != 0)
		return inject_gp(vp);
	vp->regs.gpr[VP_RAX] = v & MASK32;
	vp->regs.gpr[VP_RDX] = v >> 32;
	return VP_ADVANCE;
}

static enum vp_action on_io(struct vp *vp)
{
	/* A port access belongs to the device whose range holds its first port; one that only overlaps
	 * an emulated port goes to the platform. */
	const struct io_handler *h = bus_io_find(vp->exit.u.io.port);
	uint8_t size = vp->exit.u.io.size;

	/* String and REP forms to emulated ports go through the instruction emulator. */
	if (vp->exit.u.io.string || vp->exit.u.io.rep)
		return mmio_emulate_insn(vp);
	if (vp->exit.u.io.in) {
		uint32_t v = 0;
		if (!h)
			vp->tee->io_forward(vp->exit.u.io.port, size, true, &v);
		else if (h->in(vp, vp->exit.u.io.port, size, &v) != 0)
			return inject_gp(vp);
		uint64_t mask = size == 4 ? MASK32 : size == 2 ? 0xffffull : 0xffull;
		/* A 32-bit IN zero-extends into RAX; 8/16-bit INs merge into AL/AX. */
		if (size == 4)
			vp->regs.gpr[VP_RAX] = v;
		else
			vp->regs.gpr[VP_RAX] = (vp->regs.gpr[VP_RAX] & ~mask) | (v & mask);
		return VP_ADVANCE;
	}
	uint32_t v = (uint32_t)vp->regs.gpr[VP_RAX];
	if (!h) {
		vp->tee->io_forward(vp->exit.u.io.port, size, false, &v);
		return VP_ADVANCE;
	}
	return h->out(vp, vp->exit.u.io.port, size, v) == 0 ? VP_ADVANCE : inject_gp(vp);
}

static enum vp_action on_mmio(struct vp *vp)
{
	return mmio_emulate_insn(vp);
}

static enum vp_action on_hlt(struct vp *vp)
{
	/* Backends that intercept HLT wait for the next event themselves before returning here. */
	(void)vp;
	return VP_ADVANCE;
}

static enum vp_action on_hypercall(struct vp *vp)
{
	/* No Mantle hypercalls are defined yet: behave like hardware without a hypervisor. */
	return inject_ud(vp);
}

static enum vp_action on_shutdown(struct vp *vp)
{
	console_printf("mantle: vp%u: guest shutdown (triple fault) at rip %llx\n", vp->id,
		       (unsigned long long)vp->regs.rip);
	vp->stop = true;
	vp->stop_status = VP_STATUS_SHUTDOWN;
	return VP_RESUME;
}

static enum vp_action on_exception(struct vp *vp)
{
	/* Intercepted exceptions are reflected unchanged. */
	bool has_error = vp->exit.u.exc.vector == 8 || (vp->exit.u.exc.vector >= 10 && vp->exit.u.exc.vector <= 14) ||
			 vp->exit.u.exc.vector == 17;
	vp_inject_exception(vp, vp->exit.u.exc.vector, has_error, vp->exit.u.exc.error);
	return VP_INJECT;
}

static enum vp_action on_failed(struct vp *vp)
{
	panic("vp%u: %s could not enter the guest (exit code %llx, info %llx/%llx)", vp->id,
	      vp->tee->name, (unsigned long long)vp->exit.raw, (unsigned long long)vp->exit.info1,
	      (unsigned long long)vp->exit.info2);
}

static const vp_exit_handler exit_handlers[VP_EXIT_KINDS] = {
	[VP_EXIT_NONE] = on_none,
	[VP_EXIT_CPUID] = on_cpuid,
	[VP_EXIT_MSR] = on_msr,
	[VP_EXIT_IO] = on_io,
	[VP_EXIT_MMIO] = on_mmio,
	[VP_EXIT_HLT] = on_hlt,
	[VP_EXIT_HYPERCALL] = on_hypercall,
	[VP_EXIT_SHUTDOWN] = on_shutdown,
	[VP_EXIT_EXCEPTION] = on_exception,
	[VP_EXIT_UNSUPPORTED] = inject_ud,
	[VP_EXIT_FAILED] = on_failed,
};

/* Completes an instruction: skips it and clears RFLAGS.RF like the CPU does on retirement. */
static void advance(struct vp *vp)
{
	CHECK(vp->exit.insn_len != 0 && vp->exit.insn_len <= 15);
	vp->regs.rip += vp->exit.insn_len;
	if (!(vp->regs.efer & (1u << 10))) /* outside long mode RIP wraps at 32 bits */
		vp->regs.rip &= MASK32;
	vp->regs.rflags &= ~(1ull << 16);
}

uint8_t vp_run_loop(struct vp *vp)
{
	while (!vp->stop) {
		vp->tee->vp_run(vp);
		uint32_t kind = vp->exit.kind;
		CHECK(kind < VP_EXIT_KINDS);
		vp->exits[kind]++;
		if (exit_handlers[kind](vp) == VP_ADVANCE)
			advance(vp);
	}
	return vp->stop_status;
}
